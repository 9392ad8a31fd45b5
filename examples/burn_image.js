// burn_image.js -- burns a disc image (an .iso file, or any file of whole
// 2048-byte sectors) as a new data session with MsftDiscFormat2Data, the
// order of Microsoft's "burning a disc" sample: recorder, data writer,
// Recorder, ClientName, then Write; its Update event shows each step and
// each quarter of the image written. /close closes the disc
// (ForceMediaToBeClosed). (Burn verification is IBurnVerification, which
// only compiled programs reach: scripts cannot.) Mirrors burn_image.vbs.
//
//   Windows:  cscript //nologo burn_image.js [/recorder:N] [/close] image.iso
//   Wine:     wine imapi2script.exe burn_image.js [/recorder:N] [/close] image.iso
//
// The file is opened with IMAPI2Open.FileStream, an extension of imapi2-open
// (see README.md); on Windows an ADODB.Stream or IMAPI2FS's ImageStream
// does the same.

// IMAPI_FORMAT2_DATA_WRITE_ACTION, IMAPI_FORMAT2_DATA_MEDIA_STATE (imapi2.h)
var IMAPI_FORMAT2_DATA_WRITE_ACTION_VALIDATING_MEDIA = 0;
var IMAPI_FORMAT2_DATA_WRITE_ACTION_FORMATTING_MEDIA = 1;
var IMAPI_FORMAT2_DATA_WRITE_ACTION_INITIALIZING_HARDWARE = 2;
var IMAPI_FORMAT2_DATA_WRITE_ACTION_CALIBRATING_POWER = 3;
var IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA = 4;
var IMAPI_FORMAT2_DATA_WRITE_ACTION_FINALIZATION = 5;
var IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED = 6;
var IMAPI_FORMAT2_DATA_WRITE_ACTION_VERIFYING = 7;
var IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK = 2;
var IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE = 4;
var IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED = 16384;

var args = WScript.Arguments;
if (args.Unnamed.Count != 1) {
    WScript.Echo("usage: burn_image.js [/recorder:N] [/close] image.iso");
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
    WScript.Echo("imapi2-open's imapi2.dll, whose extension opens files as streams.");
    WScript.Quit(1);
}

var format = WScript.CreateObject("IMAPI2.MsftDiscFormat2Data", "format_");
format.Recorder = recorder;
format.ClientName = "burn_image.js";
if (args.Named.Exists("close")) format.ForceMediaToBeClosed = true;

var lastAction = -1;
var nextMark = 25;
try {
    WScript.Echo("Disc: " + stateName(format.CurrentMediaStatus) + ", " + format.FreeSectorsOnMedia + " sectors free");
    format.Write(opener.OpenFile(args.Unnamed.Item(0)));
} catch (e) {
    WScript.Echo("Cannot burn: " + errorText(e));
    WScript.Quit(1);
}
WScript.Echo("Done: the disc is " + stateName(format.CurrentMediaStatus) + ".");

// Raised at each step of Write, and every half second while it writes.
function format_Update(object, progress) {
    var action = progress.CurrentAction;
    if (action != lastAction) {
        WScript.Echo("  " + actionName(action));
        lastAction = action;
    }
    if (action == IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA && progress.SectorCount > 0) {
        var percent = 100 * (progress.LastWrittenLba - progress.StartLba + 1) / progress.SectorCount;
        while (nextMark <= 100 && percent >= nextMark) {
            WScript.Echo("    " + nextMark + "% written");
            nextMark += 25;
        }
    }
}

function actionName(action) {
    switch (action) {
    case IMAPI_FORMAT2_DATA_WRITE_ACTION_VALIDATING_MEDIA: return "Validating the disc...";
    case IMAPI_FORMAT2_DATA_WRITE_ACTION_FORMATTING_MEDIA: return "Formatting...";
    case IMAPI_FORMAT2_DATA_WRITE_ACTION_INITIALIZING_HARDWARE: return "Initializing the drive...";
    case IMAPI_FORMAT2_DATA_WRITE_ACTION_CALIBRATING_POWER: return "Calibrating the laser...";
    case IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA: return "Writing...";
    case IMAPI_FORMAT2_DATA_WRITE_ACTION_FINALIZATION: return "Closing the session...";
    case IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED: return "Completed.";
    case IMAPI_FORMAT2_DATA_WRITE_ACTION_VERIFYING: return "Verifying...";
    default: return "Working (action " + action + ")...";
    }
}

// The flags of IMAPI_FORMAT2_DATA_MEDIA_STATE a burner cares about.
function stateName(state) {
    if (state & IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK) return "blank";
    if (state & IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE) return "appendable";
    if (state & IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED) return "closed";
    return "not writable (state 0x" + hex(state) + ")";
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
