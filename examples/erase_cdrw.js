// erase_cdrw.js -- blanks a CD-RW with MsftDiscFormat2Erase, showing the
// progress its Update event reports (elapsed and estimated total seconds).
// /full blanks the whole disc instead of the quick minimal blank.
//
//   Windows:  cscript //nologo erase_cdrw.js [/recorder:N] [/full]
//   Wine:     wine imapi2script.exe erase_cdrw.js [/recorder:N] [/full]

// IMAPI_MEDIA_PHYSICAL_TYPE (imapi2.h)
var IMAPI_MEDIA_TYPE_CDRW = 3;

var args = WScript.Arguments;
var recorderIndex = 0;
if (args.Named.Exists("recorder")) recorderIndex = parseInt(args.Named.Item("recorder"), 10);

var master = new ActiveXObject("IMAPI2.MsftDiscMaster2");
if (recorderIndex >= master.Count) {
    WScript.Echo("There is no recorder " + recorderIndex + " (found " + master.Count + ").");
    WScript.Quit(1);
}
var recorder = new ActiveXObject("IMAPI2.MsftDiscRecorder2");
recorder.InitializeDiscRecorder(master.Item(recorderIndex));

var eraser = WScript.CreateObject("IMAPI2.MsftDiscFormat2Erase", "eraser_");
eraser.Recorder = recorder;
eraser.ClientName = "erase_cdrw.js";
eraser.FullErase = args.Named.Exists("full");

if (eraser.CurrentPhysicalMediaType != IMAPI_MEDIA_TYPE_CDRW) {
    WScript.Echo("The disc in " + recorder.VendorId + " " + recorder.ProductId + " is not a CD-RW.");
    WScript.Quit(1);
}

if (eraser.FullErase)
    WScript.Echo("Full erase of the CD-RW in " + recorder.VendorId + " " + recorder.ProductId);
else
    WScript.Echo("Quick erase of the CD-RW in " + recorder.VendorId + " " + recorder.ProductId);
var nextMark = 0;
try {
    eraser.EraseMedia();
} catch (e) {
    WScript.Echo("Erase failed: error 0x" + (e.number >>> 0).toString(16).toUpperCase() + ": " + e.description);
    WScript.Quit(1);
}

// A raw CD format object tells whether the disc is blank now.
var check = new ActiveXObject("IMAPI2.MsftDiscFormat2RawCD");
check.Recorder = recorder;
if (check.MediaPhysicallyBlank) {
    WScript.Echo("Done: the disc is blank.");
} else {
    WScript.Echo("The erase ended but the disc is not blank.");
    WScript.Quit(1);
}

// elapsed and total are seconds; total is an estimate that may change. The
// progress is printed at each quarter.
function eraser_Update(object, elapsed, total) {
    if (total <= 0) return;
    var percent = 100 * elapsed / total;
    while (nextMark <= 100 && percent >= nextMark) {
        WScript.Echo("  " + nextMark + "% erased");
        nextMark += 25;
    }
}
