// The WScript object of imapi2script, as scripts written for Windows'
// cscript use it. host_wscript.vbs prints the same lines.
var args = WScript.Arguments;
WScript.Echo("count", args.Count(), args.length);
WScript.Echo("unnamed", args.Unnamed.Count, args.Unnamed(0), args.Unnamed.Item(1));
WScript.Echo("named", args.Named.Count, args.Named.Exists("flag"), args.Named.Exists("FLAG"),
    args.Named.Exists("other"), args.Named("name"), args.Named.Item("Name"));
var text = "";
for (var e = new Enumerator(args); !e.atEnd(); e.moveNext())
    text += "[" + e.item() + "]";
WScript.Echo("all", text);
WScript.Echo("first", args(0), args.Item(3));

WScript.StdOut.Write("std");
WScript.StdOut.WriteLine("out");
WScript.StdErr.WriteLine("stderr line");
WScript.Echo();
var name = WScript.ScriptName, full = WScript.ScriptFullName;
WScript.Echo("script", name, full.substr(full.length - name.length - 1));
WScript.Echo("version", WScript.Version, "interactive", WScript.Interactive ? "True" : "False");

var start = new Date().getTime();
WScript.Sleep(200);
WScript.Echo("slept enough", new Date().getTime() - start >= 150 ? "True" : "False");

function hex(n) { return (n >>> 0).toString(16).toUpperCase(); }
var obj;
try { obj = WScript.CreateObject("No.Such.Class"); } catch (err) {
    WScript.Echo("bad ProgID", hex(err.number), err.description);
}
obj = WScript.CreateObject("IMAPI2.MsftDiscMaster2", "master_");
WScript.Echo("events of DiscMaster2", 0);
try { WScript.ConnectObject(new ActiveXObject("IMAPI2.MsftDiscRecorder2"), "rec_"); } catch (err) {
    WScript.Echo("no events", hex(err.number), err.description);
}
WScript.DisconnectObject(obj);
WScript.Echo("disconnected", 0);

WScript.Quit(5);
WScript.Echo("not reached");
