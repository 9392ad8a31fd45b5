// list_recorders.js -- lists the CD/DVD recorders IMAPI2 sees, with their
// properties and the disc in each.
//
//   Windows:  cscript //nologo list_recorders.js
//   Wine:     wine imapi2script.exe list_recorders.js   (see README.md)

// IMAPI_MEDIA_PHYSICAL_TYPE (imapi2.h)
var IMAPI_MEDIA_TYPE_UNKNOWN = 0;
var IMAPI_MEDIA_TYPE_CDROM = 1;
var IMAPI_MEDIA_TYPE_CDR = 2;
var IMAPI_MEDIA_TYPE_CDRW = 3;
var IMAPI_MEDIA_TYPE_DVDROM = 4;

var master = new ActiveXObject("IMAPI2.MsftDiscMaster2");
if (!master.IsSupportedEnvironment) {
    WScript.Echo("IMAPI2 finds no recorder it can use on this computer.");
    WScript.Quit(1);
}
WScript.Echo("Recorders: " + master.Count);

// An index loop: under Wine 8, new Enumerator(master) fails.
for (var index = 0; index < master.Count; index++) {
    var id = master.Item(index);
    var recorder = new ActiveXObject("IMAPI2.MsftDiscRecorder2");
    recorder.InitializeDiscRecorder(id);

    WScript.Echo("");
    WScript.Echo("Recorder " + index);
    WScript.Echo("  Unique id:      " + id);
    WScript.Echo("  Vendor:         " + recorder.VendorId);
    WScript.Echo("  Product:        " + recorder.ProductId);
    WScript.Echo("  Revision:       " + recorder.ProductRevision);
    WScript.Echo("  Drive paths:    " + pathList(recorder.VolumePathNames));
    WScript.Echo("  Profiles:       " + profileList(recorder.SupportedProfiles));
    WScript.Echo("  Current:        " + profileList(recorder.CurrentProfiles));

    // The disc: asked through a format object, as Windows scripts do.
    var format = new ActiveXObject("IMAPI2.MsftDiscFormat2RawCD");
    if (!answer(format, recorder, false)) {
        WScript.Echo("  Raw CD writing: not supported by this recorder");
    } else if (!answer(format, recorder, true)) {
        WScript.Echo("  Disc:           none, or not a CD that can be written raw");
    } else {
        format.Recorder = recorder;
        var mediaType = format.CurrentPhysicalMediaType;
        if (format.MediaPhysicallyBlank)
            WScript.Echo("  Disc:           " + mediaName(mediaType) + ", blank");
        else
            WScript.Echo("  Disc:           " + mediaName(mediaType) + ", written");
    }
}

// SAFEARRAYs reach JScript as VBArrays.
// IsRecorderSupported / IsCurrentMediaSupported as a plain yes or no. IMAPI2
// answers "no" with an error in two documented cases: a recorder that cannot
// write raw (E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED) and, from Windows 7 on,
// an empty drive (E_IMAPI_RECORDER_MEDIA_NO_MEDIA).
function answer(format, recorder, media) {
    try {
        return media ? format.IsCurrentMediaSupported(recorder) : format.IsRecorderSupported(recorder);
    } catch (e) {
        return false;
    }
}

function profileList(profiles) {
    var list = new VBArray(profiles).toArray(), text = "";
    for (var i = 0; i < list.length; i++) {
        if (text != "") text += " ";
        text += "0x" + ("000" + list[i].toString(16).toUpperCase()).slice(-4);
    }
    return text == "" ? "(none)" : text;
}

function pathList(paths) {
    var list = new VBArray(paths).toArray(), text = "";
    for (var i = 0; i < list.length; i++) {
        if (text != "") text += ", ";
        text += list[i];
    }
    return text == "" ? "(none)" : text;
}

function mediaName(mediaType) {
    switch (mediaType) {
    case IMAPI_MEDIA_TYPE_CDROM: return "CD-ROM";
    case IMAPI_MEDIA_TYPE_CDR: return "CD-R";
    case IMAPI_MEDIA_TYPE_CDRW: return "CD-RW";
    case IMAPI_MEDIA_TYPE_DVDROM: return "DVD-ROM";
    case IMAPI_MEDIA_TYPE_UNKNOWN: return "unknown medium";
    default: return "medium type " + mediaType;
    }
}
