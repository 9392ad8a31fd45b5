' IMAPI2.MsftDiscFormat2Erase from VBScript: the IDiscFormat2 questions,
' properties, an erase of a written CD-RW on a virtual recorder, and the
' errors scripts see for refusals. Wine 8's cscript has no ConnectObject, so
' the Update events cannot be hooked here (tests/conformance/erase.c covers them).
Option Explicit
Const RecorderKey = "HKCU\Software\imapi2-open\VirtualRecorders\"
Dim shell, fso, folder, recorder, cdr, eraser, t

Set shell = CreateObject("WScript.Shell")
Set fso = CreateObject("Scripting.FileSystemObject")
folder = fso.GetSpecialFolder(2)

' A virtual recorder with a disc of the given kind, without simulated time.
Function OpenRecorder(name, kind)
    Dim media, rec
    media = folder & "\" & name & ".media"
    If fso.FileExists(media) Then fso.DeleteFile media
    If fso.FileExists(media & ".sectors") Then fso.DeleteFile media & ".sectors"
    shell.RegWrite RecorderKey & name & "\MediaPath", media, "REG_SZ"
    shell.RegWrite RecorderKey & name & "\MediaKind", kind, "REG_SZ"
    shell.RegWrite RecorderKey & name & "\Unthrottled", 1, "REG_DWORD"
    Set rec = CreateObject("IMAPI2.MsftDiscRecorder2")
    rec.InitializeDiscRecorder "\\?\imapi2virtual#cdrom#" & name & "#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}"
    Set OpenRecorder = rec
End Function

Sub RemoveRecorder(name)
    Dim media
    media = folder & "\" & name & ".media"
    shell.RegDelete RecorderKey & name & "\"
    If fso.FileExists(media) Then fso.DeleteFile media
    If fso.FileExists(media & ".sectors") Then fso.DeleteFile media & ".sectors"
End Sub

Set recorder = OpenRecorder("vbserase", "cdrw-written")
Set eraser = CreateObject("IMAPI2.MsftDiscFormat2Erase")
WScript.Echo "IsRecorderSupported: " & eraser.IsRecorderSupported(recorder)
WScript.Echo "IsCurrentMediaSupported: " & eraser.IsCurrentMediaSupported(recorder)
eraser.Recorder = recorder
eraser.ClientName = "VBScript Eraser"
WScript.Echo "ClientName: " & eraser.ClientName
WScript.Echo "FullErase: " & eraser.FullErase
WScript.Echo "CurrentPhysicalMediaType: " & eraser.CurrentPhysicalMediaType
For Each t In eraser.SupportedMediaTypes
    WScript.Echo "SupportedMediaTypes: " & t
Next
WScript.Echo "MediaPhysicallyBlank before: " & eraser.MediaPhysicallyBlank
eraser.EraseMedia
WScript.Echo "EraseMedia: done"
WScript.Echo "MediaPhysicallyBlank after: " & eraser.MediaPhysicallyBlank
WScript.Echo "MediaHeuristicallyBlank after: " & eraser.MediaHeuristicallyBlank
WScript.Echo "ExclusiveAccessOwner after: [" & recorder.ExclusiveAccessOwner & "]"

On Error Resume Next
eraser.ClientName = "bad/name"
WScript.Echo "bad ClientName: " & Hex(Err.Number) & " " & Err.Description
Err.Clear
Set cdr = OpenRecorder("vbscdr", "cdr80")
WScript.Echo "CD-R IsCurrentMediaSupported: " & eraser.IsCurrentMediaSupported(cdr)
eraser.Recorder = cdr
eraser.EraseMedia
WScript.Echo "CD-R EraseMedia: " & Hex(Err.Number) & " " & Err.Description
Err.Clear
On Error GoTo 0

Set eraser = Nothing
Set recorder = Nothing
Set cdr = Nothing
RemoveRecorder "vbserase"
RemoveRecorder "vbscdr"
WScript.Echo "done"
