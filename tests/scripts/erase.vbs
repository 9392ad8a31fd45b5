' IMAPI2.MsftDiscFormat2Erase from VBScript: the IDiscFormat2 questions,
' properties, a minimal and a full erase of a written CD-RW on a virtual
' recorder, and the errors scripts see for refusals. erase.js does the same
' in JScript and prints the same lines (both compare with erase.expected).
' Wine 8's cscript has no ConnectObject, so Update events cannot be hooked
' here: tests/conformance/erase.c covers them.
Option Explicit
Const RecorderKey = "HKCU\Software\imapi2-open\VirtualRecorders\"
Const Name = "vbserase"
Dim shell, fso, folder, recorder, eraser, t

Set shell = CreateObject("WScript.Shell")
Set fso = CreateObject("Scripting.FileSystemObject")
folder = fso.GetSpecialFolder(2)

Sub DeleteMedia()
    Dim media
    media = folder & "\" & Name & ".media"
    If fso.FileExists(media) Then fso.DeleteFile media
    If fso.FileExists(media & ".sectors") Then fso.DeleteFile media & ".sectors"
End Sub

' The virtual recorder with a fresh disc of the given kind, without simulated
' time. Its settings are read when a recorder object opens it.
Function OpenRecorder(kind)
    Dim rec
    DeleteMedia
    shell.RegWrite RecorderKey & Name & "\MediaPath", folder & "\" & Name & ".media", "REG_SZ"
    shell.RegWrite RecorderKey & Name & "\MediaKind", kind, "REG_SZ"
    shell.RegWrite RecorderKey & Name & "\Unthrottled", 1, "REG_DWORD"
    Set rec = CreateObject("IMAPI2.MsftDiscRecorder2")
    rec.InitializeDiscRecorder "\\?\imapi2virtual#cdrom#" & Name & "#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}"
    Set OpenRecorder = rec
End Function

Function Erase(kind)
    Dim rec, er, supported
    Set rec = OpenRecorder(kind)
    Set er = CreateObject("IMAPI2.MsftDiscFormat2Erase")
    er.Recorder = rec
    er.ClientName = "Script Eraser"
    WScript.Echo kind & " CurrentPhysicalMediaType: " & er.CurrentPhysicalMediaType
    On Error Resume Next
    ' Without a disc the question itself fails (Windows 7 and later).
    supported = er.IsCurrentMediaSupported(rec)
    If Err.Number Then
        WScript.Echo kind & " IsCurrentMediaSupported: error " & Hex(Err.Number)
    Else
        WScript.Echo kind & " IsCurrentMediaSupported: " & supported
    End If
    Err.Clear
    er.EraseMedia
    WScript.Echo kind & " EraseMedia: " & Hex(Err.Number) & " " & Err.Description
    Err.Clear
    On Error GoTo 0
    WScript.Echo kind & " ExclusiveAccessOwner after: [" & rec.ExclusiveAccessOwner & "]"
End Function

Set recorder = OpenRecorder("cdrw-written")
Set eraser = CreateObject("IMAPI2.MsftDiscFormat2Erase")
WScript.Echo "IsRecorderSupported: " & eraser.IsRecorderSupported(recorder)
WScript.Echo "IsCurrentMediaSupported: " & eraser.IsCurrentMediaSupported(recorder)
eraser.Recorder = recorder
eraser.ClientName = "Script Eraser"
WScript.Echo "ClientName: " & eraser.ClientName
WScript.Echo "FullErase: " & eraser.FullErase
WScript.Echo "CurrentPhysicalMediaType: " & eraser.CurrentPhysicalMediaType
For Each t In eraser.SupportedMediaTypes
    WScript.Echo "SupportedMediaTypes: " & t
Next
WScript.Echo "MediaPhysicallyBlank before: " & eraser.MediaPhysicallyBlank
eraser.EraseMedia
WScript.Echo "minimal EraseMedia: done"
WScript.Echo "MediaPhysicallyBlank after: " & eraser.MediaPhysicallyBlank
WScript.Echo "MediaHeuristicallyBlank after: " & eraser.MediaHeuristicallyBlank
WScript.Echo "ExclusiveAccessOwner after: [" & recorder.ExclusiveAccessOwner & "]"
eraser.FullErase = True
WScript.Echo "FullErase: " & eraser.FullErase
eraser.EraseMedia
WScript.Echo "full EraseMedia: done"
WScript.Echo "MediaPhysicallyBlank after: " & eraser.MediaPhysicallyBlank

On Error Resume Next
eraser.ClientName = "bad/name"
WScript.Echo "bad ClientName: " & Hex(Err.Number) & " " & Err.Description
Err.Clear
On Error GoTo 0
WScript.Echo "ClientName kept: " & eraser.ClientName

Set eraser = Nothing
Set recorder = Nothing
Erase "cdr80"
Erase "dvd"
Erase "none"

' WScript.Shell.RegDelete is a stub in Wine 8: reg.exe removes the key.
shell.Run "reg delete """ & RecorderKey & Name & """ /f", 0, True
DeleteMedia
WScript.Echo "done"
