// burn_cancel.js -- starts an audio CD burn like burn_audio.js and stops
// it from inside the Update event once a condition holds: here, when the
// part of the disc given by /stopat (percent, default 50) has been written.
// A disc stopped midway is no longer blank: a CD-RW must be erased before
// its next use (erase_cdrw.js), a CD-R is lost.
//
//   Windows:  cscript //nologo burn_cancel.js [/recorder:N] [/stopat:P] one.wav [...]
//   Wine:     wine imapi2script.exe burn_cancel.js [/recorder:N] [/stopat:P] one.wav [...]

// Enum values and error codes (imapi2.h, imapi2error.h)
var IMAPI_CD_SECTOR_AUDIO = 0;
var IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW = 3;
var IMAPI_MEDIA_TYPE_CDRW = 3;
var E_IMAPI_REQUEST_CANCELLED = 0xC0AA0002;

var args = WScript.Arguments;
if (args.Unnamed.Count == 0) {
    WScript.Echo("usage: burn_cancel.js [/recorder:N] [/stopat:P] one.wav [two.wav ...]");
    WScript.Quit(2);
}
var recorderIndex = 0;
if (args.Named.Exists("recorder")) recorderIndex = parseInt(args.Named.Item("recorder"), 10);
var stopAt = 50;
if (args.Named.Exists("stopat")) stopAt = parseInt(args.Named.Item("stopat"), 10);

var master = new ActiveXObject("IMAPI2.MsftDiscMaster2");
if (recorderIndex >= master.Count) {
    WScript.Echo("There is no recorder " + recorderIndex + " (found " + master.Count + ").");
    WScript.Quit(1);
}
var recorder = new ActiveXObject("IMAPI2.MsftDiscRecorder2");
recorder.InitializeDiscRecorder(master.Item(recorderIndex));

var opener;
try {
    opener = new ActiveXObject("IMAPI2Open.FileStream");
} catch (e) {
    WScript.Echo("IMAPI2Open.FileStream is missing (error 0x" + hex(e.number) + "): this script needs");
    WScript.Echo("imapi2-open's imapi2.dll, whose extension opens WAV files as streams.");
    WScript.Quit(1);
}

var creator = new ActiveXObject("IMAPI2.MsftRawCDImageCreator");
creator.ResultingImageType = IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW;
for (var i = 0; i < args.Unnamed.Count; i++)
    creator.AddTrack(IMAPI_CD_SECTOR_AUDIO, opener.OpenWaveFile(args.Unnamed.Item(i)));
var image = creator.CreateResultImage();

var format = new ActiveXObject("IMAPI2.MsftDiscFormat2RawCD");
WScript.ConnectObject(format, "format_");
format.Recorder = recorder;
format.ClientName = "burn_cancel.js";

var cancelled = false;
var result = 0;
WScript.Echo("Burning " + creator.NumberOfExistingTracks + " tracks, stopping at " + stopAt + "%");
try {
    format.PrepareMedia();
} catch (e) {
    WScript.Echo("Cannot burn: " + errorText(e));
    WScript.Quit(1);
}
// The sector type is a property of prepared media: set it after PrepareMedia.
format.RequestedSectorType = IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW;
try {
    format.WriteMedia(image);
    WScript.Echo("The burn ended before the condition was met.");
} catch (e) {
    result = e.number >>> 0;
    if (result == E_IMAPI_REQUEST_CANCELLED)
        WScript.Echo("WriteMedia stopped: " + errorText(e));
    else
        WScript.Echo("Burn failed: " + errorText(e));
}
try {
    format.ReleaseMedia();
} catch (e) {
}
WScript.DisconnectObject(format);

if (result == E_IMAPI_REQUEST_CANCELLED) {
    if (format.MediaPhysicallyBlank)
        WScript.Echo("The disc is still blank.");
    else if (format.CurrentPhysicalMediaType == IMAPI_MEDIA_TYPE_CDRW)
        WScript.Echo("The disc was partly written: erase it with erase_cdrw before using it again.");
    else
        WScript.Echo("The disc was partly written and cannot be used again.");
} else if (result != 0) {
    WScript.Quit(1);
}

function format_Update(object, progress) {
    if (cancelled || progress.SectorCount <= 0) return;
    var percent = 100 * (progress.LastWrittenLba - progress.StartLba) / progress.SectorCount;
    if (percent >= stopAt) {
        WScript.Echo("Condition met at " + stopAt + "%: calling CancelWrite");
        cancelled = true;
        object.CancelWrite();
    }
}

// An HRESULT as VBScript's Hex() prints it.
function hex(number) {
    return (number >>> 0).toString(16).toUpperCase();
}

// The error as text: IMAPI2's errors come with a description (IErrorInfo).
function errorText(e) {
    var text = "error 0x" + hex(e.number);
    if (e.description) text += ": " + e.description;
    return text;
}
