// burn_audio_tao.js -- burns an audio CD from WAV files (44.1 kHz, 16-bit,
// stereo PCM) one track at a time: MsftDiscFormat2TrackAtOnce writes each
// file as a track with 2 seconds of silence before the next, and its Update
// event shows the progress of every track. /open leaves the disc open for a
// data session (DoNotFinalizeMedia). Mirrors burn_audio_tao.vbs.
//
//   Windows:  cscript //nologo burn_audio_tao.js [/recorder:N] [/open] one.wav [two.wav ...]
//   Wine:     wine imapi2script.exe burn_audio_tao.js [/recorder:N] [/open] one.wav [...]
//
// A track shorter than 4 seconds is filled up with silence. The WAV files are
// opened with IMAPI2Open.FileStream, an extension of imapi2-open (see
// README.md), which hands the samples out in whole 2352-byte sectors.

// IMAPI_FORMAT2_TAO_WRITE_ACTION (imapi2.h)
var IMAPI_FORMAT2_TAO_WRITE_ACTION_UNKNOWN = 0;
var IMAPI_FORMAT2_TAO_WRITE_ACTION_PREPARING = 1;
var IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING = 2;
var IMAPI_FORMAT2_TAO_WRITE_ACTION_FINISHING = 3;
var IMAPI_FORMAT2_TAO_WRITE_ACTION_VERIFYING = 4;

var args = WScript.Arguments;
if (args.Unnamed.Count == 0) {
    WScript.Echo("usage: burn_audio_tao.js [/recorder:N] [/open] one.wav [two.wav ...]");
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

var format = WScript.CreateObject("IMAPI2.MsftDiscFormat2TrackAtOnce", "format_");
format.Recorder = recorder;
format.ClientName = "burn_audio_tao.js";
// Only before PrepareMedia: the session's closing is decided up front.
if (args.Named.Exists("open")) format.DoNotFinalizeMedia = true;

var lastAction = -1;
var lastTrack = 0;
var nextMark = 25;
try {
    format.PrepareMedia();
} catch (e) {
    WScript.Echo("Cannot burn: " + errorText(e));
    WScript.Quit(1);
}
WScript.Echo("Free: " + format.FreeSectorsOnMedia + " sectors");

for (var i = 0; i < args.Unnamed.Count; i++) {
    var file = args.Unnamed.Item(i);
    try {
        format.AddAudioTrack(opener.OpenWaveFile(file));
    } catch (e) {
        WScript.Echo("Track " + (format.NumberOfExistingTracks + 1) + " (" + file + ") failed: " + errorText(e));
        // What is on the disc stays: close the session around it.
        format.ReleaseMedia();
        WScript.Quit(1);
    }
}

format.ReleaseMedia();
WScript.Echo("Done: the disc holds " + lastTrack + " audio tracks.");

// Raised again and again while AddAudioTrack runs, and once more while
// ReleaseMedia closes the session. Prints each track, each change of action
// and each quarter of the track's sectors.
function format_Update(object, progress) {
    var action = progress.CurrentAction;
    if (progress.CurrentTrackNumber != lastTrack) {
        lastTrack = progress.CurrentTrackNumber;
        WScript.Echo("Track " + lastTrack + ":");
        lastAction = -1;
        nextMark = 25;
    }
    if (action != lastAction) {
        WScript.Echo("  " + actionName(action));
        lastAction = action;
    }
    if (action == IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING && progress.SectorCount > 0) {
        var percent = 100 * (progress.LastWrittenLba - progress.StartLba + 1) / progress.SectorCount;
        while (nextMark <= 100 && percent >= nextMark) {
            WScript.Echo("    " + nextMark + "% written");
            nextMark += 25;
        }
    }
}

function actionName(action) {
    switch (action) {
    case IMAPI_FORMAT2_TAO_WRITE_ACTION_PREPARING: return "Preparing the track...";
    case IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING: return "Writing...";
    case IMAPI_FORMAT2_TAO_WRITE_ACTION_FINISHING: return "Finishing...";
    case IMAPI_FORMAT2_TAO_WRITE_ACTION_VERIFYING: return "Verifying...";
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
