' burn_image.vbs -- burns a disc image (an .iso file, or any file of whole
' 2048-byte sectors) as a new data session with MsftDiscFormat2Data, the
' order of Microsoft's "burning a disc" sample: recorder, data writer,
' Recorder, ClientName, then Write; its Update event shows each step and
' each quarter of the image written. /close closes the disc
' (ForceMediaToBeClosed). (Burn verification is IBurnVerification, which
' only compiled programs reach: scripts cannot.)
'
'   Windows:  cscript //nologo burn_image.vbs [/recorder:N] [/close] image.iso
'   Wine:     wine imapi2script.exe burn_image.vbs [/recorder:N] [/close] image.iso
'
' The file is opened with IMAPI2Open.FileStream, an extension of imapi2-open
' (see README.md); on Windows an ADODB.Stream or IMAPI2FS's ImageStream
' does the same.
Option Explicit

' IMAPI_FORMAT2_DATA_WRITE_ACTION, IMAPI_FORMAT2_DATA_MEDIA_STATE (imapi2.h)
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_VALIDATING_MEDIA = 0
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_FORMATTING_MEDIA = 1
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_INITIALIZING_HARDWARE = 2
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_CALIBRATING_POWER = 3
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA = 4
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_FINALIZATION = 5
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED = 6
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_VERIFYING = 7
Const IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK = 2
Const IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE = 4
Const IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED = 16384

Dim args, recorderIndex, master, recorder, opener, format, stream, lastAction, nextMark

Set args = WScript.Arguments
If args.Unnamed.Count <> 1 Then
    WScript.Echo "usage: burn_image.vbs [/recorder:N] [/close] image.iso"
    WScript.Quit 2
End If
recorderIndex = 0
If args.Named.Exists("recorder") Then recorderIndex = CLng(args.Named("recorder"))

Set master = CreateObject("IMAPI2.MsftDiscMaster2")
If recorderIndex >= master.Count Then
    WScript.Echo "There is no recorder " & recorderIndex & " (found " & master.Count & ")."
    WScript.Quit 1
End If
Set recorder = CreateObject("IMAPI2.MsftDiscRecorder2")
recorder.InitializeDiscRecorder master.Item(recorderIndex)
WScript.Echo "Recorder: " & recorder.VendorId & " " & recorder.ProductId

' Windows' IMAPI2 cannot open a file as a stream for a script.
On Error Resume Next
Set opener = CreateObject("IMAPI2Open.FileStream")
If Err.Number <> 0 Then
    WScript.Echo "IMAPI2Open.FileStream is missing (error 0x" & Hex(Err.Number) & "): this script needs"
    WScript.Echo "imapi2-open's imapi2.dll, whose extension opens files as streams."
    WScript.Quit 1
End If
On Error GoTo 0

Set format = WScript.CreateObject("IMAPI2.MsftDiscFormat2Data", "format_")
format.Recorder = recorder
format.ClientName = "burn_image.vbs"
If args.Named.Exists("close") Then format.ForceMediaToBeClosed = True

On Error Resume Next
WScript.Echo "Disc: " & StateName(format.CurrentMediaStatus) & ", " & format.FreeSectorsOnMedia & " sectors free"
If Err.Number <> 0 Then
    WScript.Echo "Cannot burn: " & ErrorText()
    WScript.Quit 1
End If
Set stream = opener.OpenFile(args.Unnamed(0))
If Err.Number = 0 Then
    lastAction = -1
    nextMark = 25
    format.Write stream
End If
If Err.Number <> 0 Then
    WScript.Echo "Cannot burn: " & ErrorText()
    WScript.Quit 1
End If
On Error GoTo 0
WScript.Echo "Done: the disc is " & StateName(format.CurrentMediaStatus) & "."

' Raised at each step of Write, and every half second while it writes.
Sub format_Update(object, progress)
    Dim action, percent
    action = progress.CurrentAction
    If action <> lastAction Then
        WScript.Echo "  " & ActionName(action)
        lastAction = action
    End If
    If action = IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA And progress.SectorCount > 0 Then
        percent = 100 * (progress.LastWrittenLba - progress.StartLba + 1) / progress.SectorCount
        Do While nextMark <= 100 And percent >= nextMark
            WScript.Echo "    " & nextMark & "% written"
            nextMark = nextMark + 25
        Loop
    End If
End Sub

Function ActionName(action)
    Select Case action
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_VALIDATING_MEDIA: ActionName = "Validating the disc..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_FORMATTING_MEDIA: ActionName = "Formatting..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_INITIALIZING_HARDWARE: ActionName = "Initializing the drive..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_CALIBRATING_POWER: ActionName = "Calibrating the laser..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA: ActionName = "Writing..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_FINALIZATION: ActionName = "Closing the session..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED: ActionName = "Completed."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_VERIFYING: ActionName = "Verifying..."
        Case Else: ActionName = "Working (action " & action & ")..."
    End Select
End Function

' The flags of IMAPI_FORMAT2_DATA_MEDIA_STATE a burner cares about.
Function StateName(state)
    If state And IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK Then
        StateName = "blank"
    ElseIf state And IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE Then
        StateName = "appendable"
    ElseIf state And IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED Then
        StateName = "closed"
    Else
        StateName = "not writable (state 0x" & Hex(state) & ")"
    End If
End Function

Function ErrorText()
    ErrorText = "error 0x" & Hex(Err.Number)
    If Err.Description <> "" Then ErrorText = ErrorText & ": " & Err.Description
End Function
