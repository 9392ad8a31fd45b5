' CD-Text from script through our extension IMAPI2Open.CDText (not in
' Windows): texts per track, the refusals a script sees (Err.Description
' says which rule), AttachTo a MsftRawCDImageCreator, and the conflicts
' with AddSubcodeRWGenerator and the PQ image type.
Option Explicit
On Error Resume Next

Dim fso, path, s, c, text, opener, n, img

Sub Report(label)
    If Err.Number = 0 Then
        WScript.Echo label & ": ok"
    Else
        WScript.Echo label & ": " & Hex(Err.Number) & " " & Err.Description
    End If
    Err.Clear
End Sub

Set fso = CreateObject("Scripting.FileSystemObject")
path = fso.BuildPath(fso.GetSpecialFolder(2), "imapi2_cdtext_track.raw")
Set s = fso.CreateTextFile(path, True)
s.Write String(300 * 2352, "A")
s.Close
Set opener = CreateObject("IMAPI2Open.FileStream")

Set text = CreateObject("IMAPI2Open.CDText")
Report "create"
text.Title(0) = "Script Album"
text.Performer(0) = "Script Band"
text.Title(1) = "First"
text.Title(2) = "Second"
text.Songwriter(2) = "Writer"
text.Text(&H86, 0) = "DISC-1"
WScript.Echo "Title(0) = " & text.Title(0)
WScript.Echo "Text(&H80, 2) = " & text.Text(&H80, 2)
WScript.Echo "Performer(1) = [" & text.Performer(1) & "]"
WScript.Echo "LanguageCode = " & text.LanguageCode
text.Title(100) = "x"
Report "Title(100)"
text.Title(1) = "bell " & Chr(7)
Report "Title with a control character"
text.Text(&H86, 1) = "x"
Report "DISC_ID for track 1"

Set c = CreateObject("IMAPI2.MsftRawCDImageCreator")
n = c.AddTrack(0, opener.OpenFile(path))
n = c.AddTrack(0, opener.OpenFile(path))
WScript.Echo "tracks " & c.NumberOfExistingTracks
text.AttachTo c
Report "AttachTo"
c.AddSubcodeRWGenerator opener.OpenFile(path)
Report "AddSubcodeRWGenerator after CD-Text"
c.ResultingImageType = 1
Report "ResultingImageType 1 with CD-Text"
Set img = c.CreateResultImage()
Report "CreateResultImage"
WScript.Echo "image bytes " & opener.GetStreamSize(img)
fso.DeleteFile path
