' erase_cdrw.vbs -- blanks a CD-RW with MsftDiscFormat2Erase, showing the
' progress its Update event reports (elapsed and estimated total seconds).
' /full blanks the whole disc instead of the quick minimal blank.
'
'   Windows:  cscript //nologo erase_cdrw.vbs [/recorder:N] [/full]
'   Wine:     wine imapi2script.exe erase_cdrw.vbs [/recorder:N] [/full]
Option Explicit

' IMAPI_MEDIA_PHYSICAL_TYPE (imapi2.h)
Const IMAPI_MEDIA_TYPE_CDRW = 3

Dim args, recorderIndex, master, recorder, eraser, check, nextMark

Set args = WScript.Arguments
recorderIndex = 0
If args.Named.Exists("recorder") Then recorderIndex = CLng(args.Named("recorder"))

Set master = CreateObject("IMAPI2.MsftDiscMaster2")
If recorderIndex >= master.Count Then
    WScript.Echo "There is no recorder " & recorderIndex & " (found " & master.Count & ")."
    WScript.Quit 1
End If
Set recorder = CreateObject("IMAPI2.MsftDiscRecorder2")
recorder.InitializeDiscRecorder master.Item(recorderIndex)

Set eraser = WScript.CreateObject("IMAPI2.MsftDiscFormat2Erase", "eraser_")
eraser.Recorder = recorder
eraser.ClientName = "erase_cdrw.vbs"
eraser.FullErase = args.Named.Exists("full")

If eraser.CurrentPhysicalMediaType <> IMAPI_MEDIA_TYPE_CDRW Then
    WScript.Echo "The disc in " & recorder.VendorId & " " & recorder.ProductId & " is not a CD-RW."
    WScript.Quit 1
End If

If eraser.FullErase Then
    WScript.Echo "Full erase of the CD-RW in " & recorder.VendorId & " " & recorder.ProductId
Else
    WScript.Echo "Quick erase of the CD-RW in " & recorder.VendorId & " " & recorder.ProductId
End If
nextMark = 0
On Error Resume Next
eraser.EraseMedia
If Err.Number <> 0 Then
    WScript.Echo "Erase failed: error 0x" & Hex(Err.Number) & ": " & Err.Description
    WScript.Quit 1
End If
On Error GoTo 0

' A raw CD format object tells whether the disc is blank now.
Set check = CreateObject("IMAPI2.MsftDiscFormat2RawCD")
check.Recorder = recorder
If check.MediaPhysicallyBlank Then
    WScript.Echo "Done: the disc is blank."
Else
    WScript.Echo "The erase ended but the disc is not blank."
    WScript.Quit 1
End If

' elapsed and total are seconds; total is an estimate that may change. The
' progress is printed at each quarter.
Sub eraser_Update(object, elapsed, total)
    Dim percent
    If total <= 0 Then Exit Sub
    percent = 100 * elapsed / total
    Do While nextMark <= 100 And percent >= nextMark
        WScript.Echo "  " & nextMark & "% erased"
        nextMark = nextMark + 25
    Loop
End Sub
