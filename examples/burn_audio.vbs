' burn_audio.vbs -- burns an audio CD from WAV files (44.1 kHz, 16-bit,
' stereo PCM) in one disc-at-once pass: MsftRawCDImageCreator lays the
' tracks out as a raw image, MsftDiscFormat2RawCD writes it, and its Update
' event shows the progress.
'
'   Windows:  cscript //nologo burn_audio.vbs [/recorder:N] one.wav [two.wav ...]
'   Wine:     wine imapi2script.exe burn_audio.vbs [/recorder:N] one.wav [...]
'
' Each track must last at least 4 seconds. The WAV files are opened with
' IMAPI2Open.FileStream, an extension of imapi2-open (see README.md).
Option Explicit

' IMAPI_CD_SECTOR_TYPE, IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE and
' IMAPI_FORMAT2_RAW_CD_WRITE_ACTION (imapi2.h)
Const IMAPI_CD_SECTOR_AUDIO = 0
Const IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW = 3
Const IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_UNKNOWN = 0
Const IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_PREPARING = 1
Const IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_WRITING = 2
Const IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING = 3

Dim args, recorderIndex, master, recorder, opener, creator, format, image
Dim file, lastAction, nextMark

Set args = WScript.Arguments
If args.Unnamed.Count = 0 Then
    WScript.Echo "usage: burn_audio.vbs [/recorder:N] one.wav [two.wav ...]"
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
    WScript.Echo "imapi2-open's imapi2.dll, whose extension opens WAV files as streams."
    WScript.Quit 1
End If
On Error GoTo 0

Set creator = CreateObject("IMAPI2.MsftRawCDImageCreator")
creator.ResultingImageType = IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW
For Each file In args.Unnamed
    On Error Resume Next
    creator.AddTrack IMAPI_CD_SECTOR_AUDIO, opener.OpenWaveFile(file)
    If Err.Number <> 0 Then
        WScript.Echo "Cannot use " & file & ": " & ErrorText()
        WScript.Quit 1
    End If
    On Error GoTo 0
    WScript.Echo "Track " & creator.NumberOfExistingTracks & ": " & file
Next
Set image = creator.CreateResultImage()
WScript.Echo "Image: " & creator.NumberOfExistingTracks & " tracks, lead-out at sector " & creator.StartOfLeadout

Set format = WScript.CreateObject("IMAPI2.MsftDiscFormat2RawCD", "format_")
format.Recorder = recorder
format.ClientName = "burn_audio.vbs"

lastAction = -1
nextMark = 25
On Error Resume Next
format.PrepareMedia
If Err.Number <> 0 Then
    WScript.Echo "Cannot burn: " & ErrorText()
    WScript.Quit 1
End If
' The sector type is a property of prepared media: set it after PrepareMedia.
format.RequestedSectorType = IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW
format.WriteMedia image
If Err.Number <> 0 Then
    WScript.Echo "Burn failed: " & ErrorText()
    format.ReleaseMedia
    WScript.Quit 1
End If
On Error GoTo 0
format.ReleaseMedia
WScript.Echo "Done: the disc holds " & creator.NumberOfExistingTracks & " audio tracks."

' Raised again and again while WriteMedia runs. The progress is
' printed when the action changes and at each quarter of the sectors.
Sub format_Update(object, progress)
    Dim action, percent
    action = progress.CurrentAction
    If action <> lastAction Then
        WScript.Echo ActionName(action)
        lastAction = action
    End If
    If progress.SectorCount > 0 Then
        percent = 100 * (progress.LastWrittenLba - progress.StartLba) / progress.SectorCount
        Do While nextMark < 100 And percent >= nextMark
            WScript.Echo "  " & nextMark & "% written"
            nextMark = nextMark + 25
        Loop
    End If
End Sub

Function ActionName(action)
    Select Case action
        Case IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_PREPARING: ActionName = "Preparing the recorder..."
        Case IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_WRITING: ActionName = "Writing..."
        Case IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING: ActionName = "Finishing..."
        Case Else: ActionName = "Working (action " & action & ")..."
    End Select
End Function

' Err as text: IMAPI2's errors come with a description (IErrorInfo).
Function ErrorText()
    ErrorText = "error 0x" & Hex(Err.Number)
    If Err.Description <> "" Then ErrorText = ErrorText & ": " & Err.Description
End Function
