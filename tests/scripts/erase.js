// IMAPI2.MsftDiscFormat2Erase from JScript: the same steps as erase.vbs,
// printing the same lines (both compare with erase.expected). Wine 8's
// cscript has no ConnectObject, so Update events cannot be hooked here:
// tests/conformance/erase.c covers them.
var recorderKey = "HKCU\\Software\\imapi2-open\\VirtualRecorders\\";
var name = "jserase";
var shell = WScript.CreateObject("WScript.Shell");
var fso = WScript.CreateObject("Scripting.FileSystemObject");
var media = fso.GetSpecialFolder(2).Path + "\\" + name + ".media";

function deleteMedia() {
    if (fso.FileExists(media)) fso.DeleteFile(media);
    if (fso.FileExists(media + ".sectors")) fso.DeleteFile(media + ".sectors");
}

// The virtual recorder with a fresh disc of the given kind, without simulated
// time. Its settings are read when a recorder object opens it.
function openRecorder(kind) {
    deleteMedia();
    shell.RegWrite(recorderKey + name + "\\MediaPath", media, "REG_SZ");
    shell.RegWrite(recorderKey + name + "\\MediaKind", kind, "REG_SZ");
    shell.RegWrite(recorderKey + name + "\\Unthrottled", 1, "REG_DWORD");
    var rec = WScript.CreateObject("IMAPI2.MsftDiscRecorder2");
    rec.InitializeDiscRecorder("\\\\?\\imapi2virtual#cdrom#" + name + "#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}");
    return rec;
}

// As VBScript prints them.
function vb(b) { return b ? "True" : "False"; }
function hresult(e) { return (e.number >>> 0).toString(16).toUpperCase(); }

function eraseOn(kind) {
    var rec = openRecorder(kind), er = WScript.CreateObject("IMAPI2.MsftDiscFormat2Erase");
    er.Recorder = rec;
    er.ClientName = "Script Eraser";
    WScript.Echo(kind + " CurrentPhysicalMediaType: " + er.CurrentPhysicalMediaType);
    // Without a disc the question itself fails (Windows 7 and later).
    try {
        WScript.Echo(kind + " IsCurrentMediaSupported: " + vb(er.IsCurrentMediaSupported(rec)));
    } catch (e) {
        WScript.Echo(kind + " IsCurrentMediaSupported: error " + hresult(e));
    }
    try {
        er.EraseMedia();
        WScript.Echo(kind + " EraseMedia: 0 ");
    } catch (e) {
        WScript.Echo(kind + " EraseMedia: " + hresult(e) + " " + e.description);
    }
    WScript.Echo(kind + " ExclusiveAccessOwner after: [" + rec.ExclusiveAccessOwner + "]");
}

var recorder = openRecorder("cdrw-written");
var eraser = WScript.CreateObject("IMAPI2.MsftDiscFormat2Erase");
WScript.Echo("IsRecorderSupported: " + vb(eraser.IsRecorderSupported(recorder)));
WScript.Echo("IsCurrentMediaSupported: " + vb(eraser.IsCurrentMediaSupported(recorder)));
eraser.Recorder = recorder;
eraser.ClientName = "Script Eraser";
WScript.Echo("ClientName: " + eraser.ClientName);
WScript.Echo("FullErase: " + vb(eraser.FullErase));
WScript.Echo("CurrentPhysicalMediaType: " + eraser.CurrentPhysicalMediaType);
var types = new VBArray(eraser.SupportedMediaTypes).toArray();
for (var i = 0; i < types.length; i++)
    WScript.Echo("SupportedMediaTypes: " + types[i]);
WScript.Echo("MediaPhysicallyBlank before: " + vb(eraser.MediaPhysicallyBlank));
eraser.EraseMedia();
WScript.Echo("minimal EraseMedia: done");
WScript.Echo("MediaPhysicallyBlank after: " + vb(eraser.MediaPhysicallyBlank));
WScript.Echo("MediaHeuristicallyBlank after: " + vb(eraser.MediaHeuristicallyBlank));
WScript.Echo("ExclusiveAccessOwner after: [" + recorder.ExclusiveAccessOwner + "]");
eraser.FullErase = true;
WScript.Echo("FullErase: " + vb(eraser.FullErase));
eraser.EraseMedia();
WScript.Echo("full EraseMedia: done");
WScript.Echo("MediaPhysicallyBlank after: " + vb(eraser.MediaPhysicallyBlank));

try {
    eraser.ClientName = "bad/name";
    WScript.Echo("bad ClientName accepted");
} catch (e) {
    WScript.Echo("bad ClientName: " + hresult(e) + " " + e.description);
}
WScript.Echo("ClientName kept: " + eraser.ClientName);

// Let the recorder go before its media file is replaced.
eraser = recorder = null;
CollectGarbage();
eraseOn("cdr80");
CollectGarbage();
eraseOn("dvd");
CollectGarbage();
eraseOn("none");
CollectGarbage();

// WScript.Shell.RegDelete is a stub in Wine 8: reg.exe removes the key.
shell.Run("reg delete \"" + recorderKey + name + "\" /f", 0, true);
deleteMedia();
WScript.Echo("done");
