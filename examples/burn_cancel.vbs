' burn_cancel.vbs -- starts an audio CD burn like burn_audio.vbs and stops
' it from inside the Update event once a condition holds: here, when the
' part of the disc given by /stopat (percent, default 50) has been written.
' A disc stopped midway is no longer blank: a CD-RW must be erased before
' its next use (erase_cdrw.vbs), a CD-R is lost.
'
'   Windows:  cscript //nologo burn_cancel.vbs [/recorder:N] [/stopat:P] one.wav [...]
'   Wine:     wine imapi2script.exe burn_cancel.vbs [/recorder:N] [/stopat:P] one.wav [...]
Option Explicit

' Enum values and error codes (imapi2.h, imapi2error.h)
Const IMAPI_CD_SECTOR_AUDIO = 0
Const IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW = 3
Const IMAPI_MEDIA_TYPE_CDRW = 3
Const E_IMAPI_REQUEST_CANCELLED = &HC0AA0002

Dim args, recorderIndex, stopAt, master, recorder, opener, creator, format, image
Dim file, cancelled, result

Set args = WScript.Arguments
If args.Unnamed.Count = 0 Then
    WScript.Echo "usage: burn_cancel.vbs [/recorder:N] [/stopat:P] one.wav [two.wav ...]"
    WScript.Quit 2
End If
recorderIndex = 0
If args.Named.Exists("recorder") Then recorderIndex = CLng(args.Named("recorder"))
stopAt = 50
If args.Named.Exists("stopat") Then stopAt = CLng(args.Named("stopat"))

Set master = CreateObject("IMAPI2.MsftDiscMaster2")
If recorderIndex >= master.Count Then
    WScript.Echo "There is no recorder " & recorderIndex & " (found " & master.Count & ")."
    WScript.Quit 1
End If
Set recorder = CreateObject("IMAPI2.MsftDiscRecorder2")
recorder.InitializeDiscRecorder master.Item(recorderIndex)

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
    creator.AddTrack IMAPI_CD_SECTOR_AUDIO, opener.OpenWaveFile(file)
Next
Set image = creator.CreateResultImage()

Set format = CreateObject("IMAPI2.MsftDiscFormat2RawCD")
WScript.ConnectObject format, "format_"
format.Recorder = recorder
format.ClientName = "burn_cancel.vbs"

cancelled = False
WScript.Echo "Burning " & creator.NumberOfExistingTracks & " tracks, stopping at " & stopAt & "%"
On Error Resume Next
format.PrepareMedia
If Err.Number <> 0 Then
    WScript.Echo "Cannot burn: " & ErrorText()
    WScript.Quit 1
End If
' The sector type is a property of prepared media: set it after PrepareMedia.
format.RequestedSectorType = IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW
format.WriteMedia image
result = Err.Number
If result = 0 Then
    WScript.Echo "The burn ended before the condition was met."
ElseIf result = E_IMAPI_REQUEST_CANCELLED Then
    WScript.Echo "WriteMedia stopped: " & ErrorText()
Else
    WScript.Echo "Burn failed: " & ErrorText()
End If
Err.Clear
format.ReleaseMedia
On Error GoTo 0
WScript.DisconnectObject format

If result = E_IMAPI_REQUEST_CANCELLED Then
    If format.MediaPhysicallyBlank Then
        WScript.Echo "The disc is still blank."
    ElseIf format.CurrentPhysicalMediaType = IMAPI_MEDIA_TYPE_CDRW Then
        WScript.Echo "The disc was partly written: erase it with erase_cdrw before using it again."
    Else
        WScript.Echo "The disc was partly written and cannot be used again."
    End If
ElseIf result <> 0 Then
    WScript.Quit 1
End If

Sub format_Update(object, progress)
    Dim percent
    If cancelled Or progress.SectorCount <= 0 Then Exit Sub
    percent = 100 * (progress.LastWrittenLba - progress.StartLba) / progress.SectorCount
    If percent >= stopAt Then
        WScript.Echo "Condition met at " & stopAt & "%: calling CancelWrite"
        cancelled = True
        object.CancelWrite
    End If
End Sub

' Err as text: IMAPI2's errors come with a description (IErrorInfo).
Function ErrorText()
    ErrorText = "error 0x" & Hex(Err.Number)
    If Err.Description <> "" Then ErrorText = ErrorText & ": " & Err.Description
End Function
