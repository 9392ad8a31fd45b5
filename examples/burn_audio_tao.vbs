' burn_audio_tao.vbs -- burns an audio CD from WAV files (44.1 kHz, 16-bit,
' stereo PCM) one track at a time: MsftDiscFormat2TrackAtOnce writes each
' file as a track with 2 seconds of silence before the next, and its Update
' event shows the progress of every track. /open leaves the disc open for a
' data session (DoNotFinalizeMedia).
'
'   Windows:  cscript //nologo burn_audio_tao.vbs [/recorder:N] [/open] one.wav [two.wav ...]
'   Wine:     wine imapi2script.exe burn_audio_tao.vbs [/recorder:N] [/open] one.wav [...]
'
' A track shorter than 4 seconds is filled up with silence. The WAV files are
' opened with IMAPI2Open.FileStream, an extension of imapi2-open (see
' README.md), which hands the samples out in whole 2352-byte sectors.
Option Explicit

' IMAPI_FORMAT2_TAO_WRITE_ACTION (imapi2.h)
Const IMAPI_FORMAT2_TAO_WRITE_ACTION_UNKNOWN = 0
Const IMAPI_FORMAT2_TAO_WRITE_ACTION_PREPARING = 1
Const IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING = 2
Const IMAPI_FORMAT2_TAO_WRITE_ACTION_FINISHING = 3
Const IMAPI_FORMAT2_TAO_WRITE_ACTION_VERIFYING = 4

Dim args, recorderIndex, master, recorder, opener, format, stream
Dim file, lastAction, lastTrack, nextMark

Set args = WScript.Arguments
If args.Unnamed.Count = 0 Then
    WScript.Echo "usage: burn_audio_tao.vbs [/recorder:N] [/open] one.wav [two.wav ...]"
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

Set format = WScript.CreateObject("IMAPI2.MsftDiscFormat2TrackAtOnce", "format_")
format.Recorder = recorder
format.ClientName = "burn_audio_tao.vbs"
' Only before PrepareMedia: the session's closing is decided up front.
If args.Named.Exists("open") Then format.DoNotFinalizeMedia = True

lastAction = -1
lastTrack = 0
On Error Resume Next
format.PrepareMedia
If Err.Number <> 0 Then
    WScript.Echo "Cannot burn: " & ErrorText()
    WScript.Quit 1
End If
On Error GoTo 0
WScript.Echo "Free: " & format.FreeSectorsOnMedia & " sectors"

For Each file In args.Unnamed
    On Error Resume Next
    Set stream = opener.OpenWaveFile(file)
    If Err.Number = 0 Then format.AddAudioTrack stream
    If Err.Number <> 0 Then
        WScript.Echo "Track " & (format.NumberOfExistingTracks + 1) & " (" & file & ") failed: " & ErrorText()
        Err.Clear
        ' What is on the disc stays: close the session around it.
        format.ReleaseMedia
        WScript.Quit 1
    End If
    On Error GoTo 0
Next

format.ReleaseMedia
WScript.Echo "Done: the disc holds " & lastTrack & " audio tracks."

' Raised again and again while AddAudioTrack runs, and once more while
' ReleaseMedia closes the session. Prints each track, each change of action
' and each quarter of the track's sectors.
Sub format_Update(object, progress)
    Dim action, percent
    action = progress.CurrentAction
    If progress.CurrentTrackNumber <> lastTrack Then
        lastTrack = progress.CurrentTrackNumber
        WScript.Echo "Track " & lastTrack & ":"
        lastAction = -1
        nextMark = 25
    End If
    If action <> lastAction Then
        WScript.Echo "  " & ActionName(action)
        lastAction = action
    End If
    If action = IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING And progress.SectorCount > 0 Then
        percent = 100 * (progress.LastWrittenLba - progress.StartLba + 1) / progress.SectorCount
        Do While nextMark <= 100 And percent >= nextMark
            WScript.Echo "    " & nextMark & "% written"
            nextMark = nextMark + 25
        Loop
    End If
End Sub

Function ActionName(action)
    Select Case action
        Case IMAPI_FORMAT2_TAO_WRITE_ACTION_PREPARING: ActionName = "Preparing the track..."
        Case IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING: ActionName = "Writing..."
        Case IMAPI_FORMAT2_TAO_WRITE_ACTION_FINISHING: ActionName = "Finishing..."
        Case IMAPI_FORMAT2_TAO_WRITE_ACTION_VERIFYING: ActionName = "Verifying..."
        Case Else: ActionName = "Working (action " & action & ")..."
    End Select
End Function

' Err as text: IMAPI2's errors come with a description (IErrorInfo).
Function ErrorText()
    ErrorText = "error 0x" & Hex(Err.Number)
    If Err.Description <> "" Then ErrorText = ErrorText & ": " & Err.Description
End Function
