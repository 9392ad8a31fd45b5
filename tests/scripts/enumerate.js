// JScript's Enumerator over IDiscMaster2 (Wine's engine asks for _NewEnum as a method).
var shell = WScript.CreateObject("WScript.Shell");
var key = "HKCU\\Software\\imapi2-open\\VirtualRecorders\\";
var temp = shell.ExpandEnvironmentStrings("%TEMP%");
var names = ["jsenum-b", "jsenum-a"];
for (var i = 0; i < names.length; i++) {
    shell.RegWrite(key + names[i] + "\\MediaPath", temp + "\\" + names[i] + ".media", "REG_SZ");
    shell.RegWrite(key + names[i] + "\\MediaKind", "cdr80", "REG_SZ");
    shell.RegWrite(key + names[i] + "\\Unthrottled", 1, "REG_DWORD");
}
var master = WScript.CreateObject("IMAPI2.MsftDiscMaster2");
var count = 0;
for (var e = new Enumerator(master); !e.atEnd(); e.moveNext()) {
    var id = e.item();
    if (id.indexOf("jsenum-") >= 0) {
        WScript.Echo("recorder: " + id.split("#")[2]);
        count++;
    }
}
WScript.Echo("enumerated: " + count);
// The test runner removes the recorders (Wine's RegDelete cannot).
WScript.Echo("done");
