' MsftDiscMaster2 and MsftDiscRecorder2 from VBScript: enumeration, the
' recorder's identity and profiles, exclusive access, and error cases.
' recorders.js does the same in JScript; both print recorders.expected.
' The virtual recorders are made here, the way a user configures them, and
' removed at the end; recorders that were there before are left alone.
Option Explicit
Const KEY = "HKCU\Software\imapi2-open\VirtualRecorders\"
Dim shell, fso, folder, names, name, master, before, id, rec, ours, i

Set shell = CreateObject("WScript.Shell")
Set fso = CreateObject("Scripting.FileSystemObject")
' Not shell.ExpandEnvironmentStrings("%TEMP%"): Wine's keeps the terminating
' NUL in the string, which cuts every concatenation with it short.
folder = fso.GetSpecialFolder(2)
names = Array("scriptrec1", "scriptrec2")

' Left over from a run that died half way?
For Each name In names
    If KeyExists(KEY & name) Then RemoveKey KEY & name
Next

Set master = CreateObject("IMAPI2.MsftDiscMaster2")
before = master.Count
For Each name In names
    shell.RegWrite KEY & name & "\MediaPath", folder & "\" & name & ".media", "REG_SZ"
    shell.RegWrite KEY & name & "\MediaKind", "cdr80", "REG_SZ"
    shell.RegWrite KEY & name & "\Unthrottled", 1, "REG_DWORD"
Next
WScript.Echo "added: " & (master.Count - before)
WScript.Echo "supported environment: " & master.IsSupportedEnvironment

' For Each over the master gives unique IDs; keep ours.
ours = 0
For Each id In master
    If InStr(id, "#scriptrec") > 0 Then
        ours = ours + 1
        WScript.Echo "listed: " & id
    End If
Next
WScript.Echo "ours listed: " & ours

' Item(i) gives the same IDs as For Each.
For i = 0 To master.Count - 1
    If InStr(master.Item(i), "#scriptrec1#") > 0 Then id = master.Item(i)
Next
WScript.Echo "Item: " & id

Set rec = CreateObject("IMAPI2.MsftDiscRecorder2")
rec.InitializeDiscRecorder id
WScript.Echo "ActiveDiscRecorder matches: " & (rec.ActiveDiscRecorder = id)
WScript.Echo "VendorId: [" & rec.VendorId & "]"
WScript.Echo "ProductId: [" & rec.ProductId & "]"
WScript.Echo "ProductRevision: [" & rec.ProductRevision & "]"
WScript.Echo "SupportedProfiles: " & Numbers(rec.SupportedProfiles)
WScript.Echo "CurrentProfiles: " & Numbers(rec.CurrentProfiles)
WScript.Echo "SupportedModePages: " & Numbers(rec.SupportedModePages)

rec.AcquireExclusiveAccess False, "recorders script"
WScript.Echo "ExclusiveAccessOwner: " & rec.ExclusiveAccessOwner
rec.ReleaseExclusiveAccess
WScript.Echo "released"

' A second recorder object on the same drive while the first holds it.
Dim other
Set other = CreateObject("IMAPI2.MsftDiscRecorder2")
other.InitializeDiscRecorder id
rec.AcquireExclusiveAccess False, "recorders script"
On Error Resume Next
other.AcquireExclusiveAccess False, "someone else"
WScript.Echo "second owner: " & Hex(Err.Number) & ": " & Err.Description
Err.Clear
On Error GoTo 0
rec.ReleaseExclusiveAccess
Set other = Nothing

On Error Resume Next
Set rec = CreateObject("IMAPI2.MsftDiscRecorder2")
rec.InitializeDiscRecorder "\\?\no-such-recorder"
WScript.Echo "unknown recorder: " & ErrorName(Err.Number)
Err.Clear
id = master.Item(master.Count)
WScript.Echo "Item past the end: " & ErrorName(Err.Number)
Err.Clear
On Error GoTo 0

For Each name In names
    RemoveKey KEY & name
    If fso.FileExists(folder & "\" & name & ".media") Then fso.DeleteFile folder & "\" & name & ".media"
    If fso.FileExists(folder & "\" & name & ".media.sectors") Then fso.DeleteFile folder & "\" & name & ".media.sectors"
Next
WScript.Echo "removed: " & (master.Count = before)
WScript.Echo "done"

' VBScript turns E_INVALIDARG into its own error 5 (with its own text).
Function ErrorName(number)
    If number = 5 Or number = &H80070057 Then
        ErrorName = "E_INVALIDARG"
    Else
        ErrorName = Hex(number)
    End If
End Function

Function KeyExists(path)
    On Error Resume Next
    shell.RegRead path & "\MediaPath"
    KeyExists = Err.Number = 0
    Err.Clear
End Function

' WshShell.RegDelete is a stub in Wine 8 (error 1BD): fall back to reg.exe.
Sub RemoveKey(path)
    On Error Resume Next
    shell.RegDelete path & "\"
    If Err.Number <> 0 Then
        Err.Clear
        shell.Run "reg delete """ & path & """ /f", 0, True
    End If
End Sub

' A SAFEARRAY of VT_I4 as "(count) n n n".
Function Numbers(list)
    Dim item, text
    text = ""
    For Each item In list
        If text <> "" Then text = text & " "
        text = text & item
    Next
    Numbers = "(" & (UBound(list) - LBound(list) + 1) & ") " & text
End Function
