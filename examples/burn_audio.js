// burn_audio.js -- burns an audio CD from WAV files (44.1 kHz, 16-bit,
// stereo PCM) in one disc-at-once pass: MsftRawCDImageCreator lays the
// tracks out as a raw image, MsftDiscFormat2RawCD writes it, and its Update
// event shows the progress.
//
//   Windows:  cscript //nologo burn_audio.js [/recorder:N] one.wav [two.wav ...]
//   Wine:     wine imapi2script.exe burn_audio.js [/recorder:N] one.wav [...]
//
// Each track must last at least 4 seconds. The WAV files are opened with
// IMAPI2Open.FileStream, an extension of imapi2-open (see README.md).

// IMAPI_CD_SECTOR_TYPE, IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE and
// IMAPI_FORMAT2_RAW_CD_WRITE_ACTION (imapi2.h)
var IMAPI_CD_SECTOR_AUDIO = 0;
var IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW = 3;
var IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_UNKNOWN = 0;
var IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_PREPARING = 1;
var IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_WRITING = 2;
var IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING = 3;

var args = WScript.Arguments;
if (args.Unnamed.Count == 0) {
    WScript.Echo("usage: burn_audio.js [/recorder:N] one.wav [two.wav ...]");
    WScript.Quit(2);
}
var recorderIndex = 0;
if (args.Named.Exists("recorder")) recorderIndex = parseInt(args.Named.Item("recorder"), 10);

var master = new ActiveXObject("IMAPI2.MsftDiscMaster2");
if (recorderIndex >= master.Count) {
    WScript.Echo("There is no recorder " + recorderIndex + " (found " + master.Count + ").");
    WScript.Quit(1);
}
var recorder = new ActiveXObject("IMAPI2.MsftDiscRecorder2");
recorder.InitializeDiscRecorder(master.Item(recorderIndex));
WScript.Echo("Recorder: " + recorder.VendorId + " " + recorder.ProductId);

// Windows' IMAPI2 cannot open a file as a stream for a script.
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
for (var i = 0; i < args.Unnamed.Count; i++) {
    var file = args.Unnamed.Item(i);
    try {
        creator.AddTrack(IMAPI_CD_SECTOR_AUDIO, opener.OpenWaveFile(file));
    } catch (e) {
        WScript.Echo("Cannot use " + file + ": " + errorText(e));
        WScript.Quit(1);
    }
    WScript.Echo("Track " + creator.NumberOfExistingTracks + ": " + file);
}
var image = creator.CreateResultImage();
WScript.Echo("Image: " + creator.NumberOfExistingTracks + " tracks, lead-out at sector " + creator.StartOfLeadout);

var format = WScript.CreateObject("IMAPI2.MsftDiscFormat2RawCD", "format_");
format.Recorder = recorder;
format.ClientName = "burn_audio.js";

var lastAction = -1;
var nextMark = 25;
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
} catch (e) {
    WScript.Echo("Burn failed: " + errorText(e));
    format.ReleaseMedia();
    WScript.Quit(1);
}
format.ReleaseMedia();
WScript.Echo("Done: the disc holds " + creator.NumberOfExistingTracks + " audio tracks.");

// Raised again and again while WriteMedia runs. The progress is printed
// when the action changes and at each quarter of the sectors.
function format_Update(object, progress) {
    var action = progress.CurrentAction;
    if (action != lastAction) {
        WScript.Echo(actionName(action));
        lastAction = action;
    }
    if (progress.SectorCount > 0) {
        var percent = 100 * (progress.LastWrittenLba - progress.StartLba) / progress.SectorCount;
        while (nextMark < 100 && percent >= nextMark) {
            WScript.Echo("  " + nextMark + "% written");
            nextMark += 25;
        }
    }
}

function actionName(action) {
    switch (action) {
    case IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_PREPARING: return "Preparing the recorder...";
    case IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_WRITING: return "Writing...";
    case IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING: return "Finishing...";
    default: return "Working (action " + action + ")...";
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
