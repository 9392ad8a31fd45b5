// IMAPI2.MsftDiscFormat2Erase from JScript: properties, a full erase of a
// written CD-RW on a virtual recorder, and the errors scripts see. Wine 8's
// cscript has no ConnectObject, so the Update events cannot be hooked here
// (tests/conformance/erase.c covers them).
var recorderKey = "HKCU\\Software\\imapi2-open\\VirtualRecorders\\";
var shell = WScript.CreateObject("WScript.Shell");
var fso = WScript.CreateObject("Scripting.FileSystemObject");
var folder = fso.GetSpecialFolder(2).Path;

function mediaPath(name) { return folder + "\\" + name + ".media"; }

function deleteMedia(name) {
    var media = mediaPath(name);
    if (fso.FileExists(media)) fso.DeleteFile(media);
    if (fso.FileExists(media + ".sectors")) fso.DeleteFile(media + ".sectors");
}

// A virtual recorder with a disc of the given kind, without simulated time.
function openRecorder(name, kind) {
    deleteMedia(name);
    shell.RegWrite(recorderKey + name + "\\MediaPath", mediaPath(name), "REG_SZ");
    shell.RegWrite(recorderKey + name + "\\MediaKind", kind, "REG_SZ");
    shell.RegWrite(recorderKey + name + "\\Unthrottled", 1, "REG_DWORD");
    var rec = WScript.CreateObject("IMAPI2.MsftDiscRecorder2");
    rec.InitializeDiscRecorder("\\\\?\\imapi2virtual#cdrom#" + name + "#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}");
    return rec;
}

function removeRecorder(name) {
    shell.RegDelete(recorderKey + name + "\\");
    deleteMedia(name);
}

function hresult(e) { return (e.number >>> 0).toString(16).toUpperCase(); }

var recorder = openRecorder("jserase", "cdrw-written");
var eraser = WScript.CreateObject("IMAPI2.MsftDiscFormat2Erase");
WScript.Echo("IsRecorderSupported: " + eraser.IsRecorderSupported(recorder));
eraser.Recorder = recorder;
eraser.ClientName = "JScript Eraser";
eraser.FullErase = true;
WScript.Echo("ClientName: " + eraser.ClientName);
WScript.Echo("FullErase: " + eraser.FullErase);
WScript.Echo("CurrentPhysicalMediaType: " + eraser.CurrentPhysicalMediaType);
var types = new VBArray(eraser.SupportedMediaTypes).toArray();
WScript.Echo("SupportedMediaTypes: " + types.join(","));
WScript.Echo("MediaPhysicallyBlank before: " + eraser.MediaPhysicallyBlank);
eraser.EraseMedia();
WScript.Echo("EraseMedia: done");
WScript.Echo("MediaPhysicallyBlank after: " + eraser.MediaPhysicallyBlank);
WScript.Echo("ExclusiveAccessOwner after: [" + recorder.ExclusiveAccessOwner + "]");

try {
    eraser.ClientName = "";
    WScript.Echo("empty ClientName accepted");
} catch (e) {
    WScript.Echo("empty ClientName: " + hresult(e) + " " + e.description);
}
var dvd = openRecorder("jsdvd", "dvd");
WScript.Echo("DVD CurrentPhysicalMediaType: " + (eraser.Recorder = dvd, eraser.CurrentPhysicalMediaType));
try {
    eraser.EraseMedia();
    WScript.Echo("DVD erased");
} catch (e) {
    WScript.Echo("DVD EraseMedia: " + hresult(e) + " " + e.description);
}
var none = openRecorder("jsnone", "none");
eraser.Recorder = none;
try {
    eraser.EraseMedia();
    WScript.Echo("no disc erased");
} catch (e) {
    WScript.Echo("no disc EraseMedia: " + hresult(e) + " " + e.description);
}

eraser = null;
recorder = dvd = none = null;
CollectGarbage();
removeRecorder("jserase");
removeRecorder("jsdvd");
removeRecorder("jsnone");
WScript.Echo("done");
