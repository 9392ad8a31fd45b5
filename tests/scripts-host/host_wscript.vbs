' The WScript object of imapi2script, as scripts written for Windows'
' cscript use it. host_wscript.js prints the same lines.
Option Explicit
Dim args, a, text, obj, start

Set args = WScript.Arguments
WScript.Echo "count", args.Count, args.Length
WScript.Echo "unnamed", args.Unnamed.Count, args.Unnamed(0), args.Unnamed.Item(1)
WScript.Echo "named", args.Named.Count, args.Named.Exists("flag"), args.Named.Exists("FLAG"), _
    args.Named.Exists("other"), args.Named("name"), args.Named.Item("Name")
text = ""
For Each a In args
    text = text & "[" & a & "]"
Next
WScript.Echo "all", text
WScript.Echo "first", args(0), args.Item(3)

WScript.StdOut.Write "std"
WScript.StdOut.WriteLine "out"
WScript.StdErr.WriteLine "stderr line"
WScript.Echo
WScript.Echo "script", WScript.ScriptName, Right(WScript.ScriptFullName, Len(WScript.ScriptName) + 1)
WScript.Echo "version", WScript.Version, "interactive", CStr(WScript.Interactive)

start = Timer
WScript.Sleep 200
WScript.Echo "slept enough", CStr(Timer - start >= 0.15)

On Error Resume Next
Set obj = WScript.CreateObject("No.Such.Class")
WScript.Echo "bad ProgID", Hex(Err.Number), Err.Description
Err.Clear
Set obj = WScript.CreateObject("IMAPI2.MsftDiscMaster2", "master_")
WScript.Echo "events of DiscMaster2", Hex(Err.Number)
Err.Clear
WScript.ConnectObject CreateObject("IMAPI2.MsftDiscRecorder2"), "rec_"
WScript.Echo "no events", Hex(Err.Number), Err.Description
Err.Clear
WScript.DisconnectObject obj
WScript.Echo "disconnected", Hex(Err.Number)
On Error GoTo 0

WScript.Quit 5
WScript.Echo "not reached"
