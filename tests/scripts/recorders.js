// MsftDiscMaster2 and MsftDiscRecorder2 from JScript: the same as
// recorders.vbs with Enumerator instead of For Each, and try/catch for
// errors; both print the same lines (recorders.expected). The virtual
// recorders are made here and removed at the end.
var KEY = "HKCU\\Software\\imapi2-open\\VirtualRecorders\\";
var shell = WScript.CreateObject("WScript.Shell");
var fso = WScript.CreateObject("Scripting.FileSystemObject");
// Not %TEMP% through ExpandEnvironmentStrings: Wine's keeps a trailing NUL.
var folder = fso.GetSpecialFolder(2).Path;
var names = ["scriptrec1", "scriptrec2"];

function hex(n) {
    return (n < 0 ? n + 0x100000000 : n).toString(16).toUpperCase();
}

// VBScript turns E_INVALIDARG into its own error 5: name it in both.
function errorName(n) {
    return hex(n) == "80070057" ? "E_INVALIDARG" : hex(n);
}

function vbBool(b) {
    return b ? "True" : "False";
}

// A SAFEARRAY of VT_I4 as "(count) n n n".
function numbers(list) {
    var items = new VBArray(list).toArray();
    return "(" + items.length + ") " + items.join(" ");
}

// WshShell.RegDelete is a stub in Wine 8: fall back to reg.exe.
function removeKey(path) {
    try {
        shell.RegDelete(path + "\\");
    } catch (e) {
        shell.Run("reg delete \"" + path + "\" /f", 0, true);
    }
}

// Left over from a run that died half way?
function keyExists(path) {
    try {
        shell.RegRead(path + "\\MediaPath");
        return true;
    } catch (e) {
        return false;
    }
}
for (var n = 0; n < names.length; n++)
    if (keyExists(KEY + names[n]))
        removeKey(KEY + names[n]);

var master = WScript.CreateObject("IMAPI2.MsftDiscMaster2");
var before = master.Count;
for (var n = 0; n < names.length; n++) {
    shell.RegWrite(KEY + names[n] + "\\MediaPath", folder + "\\" + names[n] + ".media", "REG_SZ");
    shell.RegWrite(KEY + names[n] + "\\MediaKind", "cdr80", "REG_SZ");
    shell.RegWrite(KEY + names[n] + "\\Unthrottled", 1, "REG_DWORD");
}
WScript.Echo("added: " + (master.Count - before));
WScript.Echo("supported environment: " + vbBool(master.IsSupportedEnvironment));

// The unique IDs through _NewEnum. Wine 8's JScript cannot construct an
// Enumerator at all (0x80070057, even over an array): there, Item(i) stands
// in, so the output is the same either way.
function listIds() {
    var ids = [];
    try {
        for (var e = new Enumerator(master); !e.atEnd(); e.moveNext())
            ids.push(e.item());
    } catch (err) {
        ids = [];
        for (var i = 0; i < master.Count; i++)
            ids.push(master.Item(i));
    }
    return ids;
}

var ours = 0, id, ids = listIds();
for (var i = 0; i < ids.length; i++) {
    if (ids[i].indexOf("#scriptrec") >= 0) {
        ours++;
        WScript.Echo("listed: " + ids[i]);
    }
}
WScript.Echo("ours listed: " + ours);

for (var i = 0; i < master.Count; i++)
    if (master.Item(i).indexOf("#scriptrec1#") >= 0)
        id = master.Item(i);
WScript.Echo("Item: " + id);

var rec = WScript.CreateObject("IMAPI2.MsftDiscRecorder2");
rec.InitializeDiscRecorder(id);
WScript.Echo("ActiveDiscRecorder matches: " + vbBool(rec.ActiveDiscRecorder == id));
WScript.Echo("VendorId: [" + rec.VendorId + "]");
WScript.Echo("ProductId: [" + rec.ProductId + "]");
WScript.Echo("ProductRevision: [" + rec.ProductRevision + "]");
WScript.Echo("SupportedProfiles: " + numbers(rec.SupportedProfiles));
WScript.Echo("CurrentProfiles: " + numbers(rec.CurrentProfiles));
WScript.Echo("SupportedModePages: " + numbers(rec.SupportedModePages));

rec.AcquireExclusiveAccess(false, "recorders script");
WScript.Echo("ExclusiveAccessOwner: " + rec.ExclusiveAccessOwner);
rec.ReleaseExclusiveAccess();
WScript.Echo("released");

// A second recorder object on the same drive while the first holds it.
var other = WScript.CreateObject("IMAPI2.MsftDiscRecorder2");
other.InitializeDiscRecorder(id);
rec.AcquireExclusiveAccess(false, "recorders script");
try {
    other.AcquireExclusiveAccess(false, "someone else");
    WScript.Echo("second owner accepted");
} catch (err) {
    WScript.Echo("second owner: " + hex(err.number) + ": " + err.description);
}
rec.ReleaseExclusiveAccess();
other = null;

rec = WScript.CreateObject("IMAPI2.MsftDiscRecorder2");
try {
    rec.InitializeDiscRecorder("\\\\?\\no-such-recorder");
    WScript.Echo("unknown recorder accepted");
} catch (err) {
    WScript.Echo("unknown recorder: " + errorName(err.number));
}
try {
    id = master.Item(master.Count);
    WScript.Echo("Item past the end accepted");
} catch (err) {
    WScript.Echo("Item past the end: " + errorName(err.number));
}

for (var n = 0; n < names.length; n++) {
    var media = folder + "\\" + names[n] + ".media";
    removeKey(KEY + names[n]);
    if (fso.FileExists(media)) fso.DeleteFile(media);
    if (fso.FileExists(media + ".sectors")) fso.DeleteFile(media + ".sectors");
}
WScript.Echo("removed: " + vbBool(master.Count == before));
WScript.Echo("done");
