// burn_folder.js -- burns a folder to a blank or appendable disc as one data
// session, the steps of Microsoft's "burning a disc" sample: a recorder, a
// file-system image and its Root, a data writer given the Recorder and a
// ClientName, ChooseImageDefaults(recorder) for the disc's file systems and
// size, Root.AddTree, CreateResultImage, ImageStream, then Write. The data
// writer's Update event shows each step and each quarter written. Mirrors
// burn_folder.vbs.
//
//   Windows:  cscript //nologo burn_folder.js [/recorder:N] FOLDER
//   Wine:     wine imapi2script.exe burn_folder.js [/recorder:N] FOLDER

// FsiFileSystems (imapi2fs.h), IMAPI_FORMAT2_DATA_WRITE_ACTION and
// IMAPI_FORMAT2_DATA_MEDIA_STATE (imapi2.h)
var FsiFileSystemISO9660 = 1;
var FsiFileSystemJoliet = 2;
var FsiFileSystemUDF = 4;
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
    WScript.Echo("usage: burn_folder.js [/recorder:N] FOLDER");
    WScript.Quit(2);
}
var folder = args.Unnamed.Item(0);
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

var image = new ActiveXObject("IMAPI2FS.MsftFileSystemImage");
var root = image.Root;
var writer = WScript.CreateObject("IMAPI2.MsftDiscFormat2Data", "writer_");
writer.Recorder = recorder;
writer.ClientName = "burn_folder.js";

var lastAction = -1;
var nextMark = 25;
var step = "Cannot use this disc";
try {
    // The disc decides the file systems and how many blocks the image may take.
    image.ChooseImageDefaults(recorder);
    WScript.Echo("Disc: " + stateName(writer.CurrentMediaStatus) + ", " + image.FreeMediaBlocks +
                 " blocks free, file systems: " + fileSystemNames(image.FileSystemsToCreate));
    step = "Cannot add " + folder;
    root.AddTree(folder, false);
    step = "Cannot lay out the image";
    var result = image.CreateResultImage();
    WScript.Echo("Image: " + image.FileCount + " files, " + image.DirectoryCount + " directories, " +
                 result.TotalBlocks + " blocks");
    step = "Cannot burn";
    writer.Write(result.ImageStream);
} catch (e) {
    WScript.Echo(step + ": error 0x" + hex(e.number) + ": " + e.description);
    WScript.Quit(1);
}
WScript.Echo("Done: the disc is " + stateName(writer.CurrentMediaStatus) + ".");

// Raised at each step of Write, and every half second while it writes.
function writer_Update(object, progress) {
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

function fileSystemNames(fs) {
    var names = [];
    if (fs & FsiFileSystemISO9660) names.push("ISO9660");
    if (fs & FsiFileSystemJoliet) names.push("Joliet");
    if (fs & FsiFileSystemUDF) names.push("UDF");
    return names.join(" ");
}

// An HRESULT as VBScript's Hex() prints it.
function hex(number) {
    return (number >>> 0).toString(16).toUpperCase();
}
