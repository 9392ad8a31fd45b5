' MsftRawCDImageCreator from script: ProgID creation, property defaults and
' round trips, IRawCDImageTrackInfo views, the documented errors as a
' script sees them (Err.Number and, for IMAPI2 errors, Err.Description).
' Track data comes from a file opened with IMAPI2Open.FileStream, our
' extension (scripts have no other way to make an IStream under Wine;
' MsftStreamZero is IStream-only and cannot be created from script).
Option Explicit
On Error Resume Next

Const AUDIO = 0, MODE1 = 2
Dim fso, path, c, c1, opener, s, t, t2, toc, idx, line, i, r, n

' IMAPI2 errors carry our description; for system ones (E_INVALIDARG...)
' the text is the script engine's, so only the number is printed.
Sub Report(label)
    If (Err.Number And &HFFFF0000) = &H80AA0000 Then
        WScript.Echo label & ": " & Hex(Err.Number) & " " & Err.Description
    Else
        WScript.Echo label & ": " & Hex(Err.Number)
    End If
    Err.Clear
End Sub

Function Bytes(arr)
    Dim k, out
    out = ""
    For k = LBound(arr) To UBound(arr)
        out = out & Right("0" & Hex(arr(k)), 2)
    Next
    Bytes = out
End Function

Function List(arr)
    Dim k, out
    out = ""
    For k = LBound(arr) To UBound(arr)
        If k > LBound(arr) Then out = out & ","
        out = out & arr(k)
    Next
    List = out
End Function

' 300 sectors (4 s) of "audio": any bytes will do.
Set fso = CreateObject("Scripting.FileSystemObject")
path = fso.BuildPath(fso.GetSpecialFolder(2), "imapi2_rawimage_track.raw")
Set s = fso.CreateTextFile(path, True)
s.Write String(300 * 2352, "A")
s.Close
Set opener = CreateObject("IMAPI2Open.FileStream")

Set c1 = CreateObject("IMAPI2.MsftRawCDImageCreator.1")
Report "create versioned"
Set c1 = Nothing
Set c = CreateObject("IMAPI2.MsftRawCDImageCreator")
Report "create"

WScript.Echo "ResultingImageType " & c.ResultingImageType
WScript.Echo "StartOfLeadoutLimit " & c.StartOfLeadoutLimit
WScript.Echo "DisableGaplessAudio " & c.DisableGaplessAudio
WScript.Echo "MediaCatalogNumber [" & c.MediaCatalogNumber & "]"
WScript.Echo "StartingTrackNumber " & c.StartingTrackNumber
WScript.Echo "NumberOfExistingTracks " & c.NumberOfExistingTracks
n = c.StartOfLeadout
Report "StartOfLeadout without tracks"
toc = c.ExpectedTableOfContents
Report "ExpectedTableOfContents without tracks"
Set r = c.CreateResultImage()
Report "CreateResultImage without tracks"

c.ResultingImageType = 1
WScript.Echo "ResultingImageType " & c.ResultingImageType
c.ResultingImageType = 4
Report "ResultingImageType 4"
c.ResultingImageType = 3
c.StartOfLeadoutLimit = 398100
Report "StartOfLeadoutLimit 398100"
c.StartOfLeadoutLimit = 398099
WScript.Echo "StartOfLeadoutLimit " & c.StartOfLeadoutLimit
c.StartingTrackNumber = 100
Report "StartingTrackNumber 100"
c.StartingTrackNumber = 3
WScript.Echo "StartingTrackNumber " & c.StartingTrackNumber

c.MediaCatalogNumber = "123456789012"
WScript.Echo "MediaCatalogNumber [" & c.MediaCatalogNumber & "]"
c.MediaCatalogNumber = "0123456789013"
Report "MediaCatalogNumber with a bad check digit"
c.MediaCatalogNumber = "ABC"
Report "MediaCatalogNumber ABC"

Set s = opener.OpenFile(path)
Report "OpenFile"
n = c.AddTrack(MODE1, s)
Report "AddTrack mode 1"
n = c.AddTrack(AUDIO, s)
WScript.Echo "AddTrack -> " & n
n = c.AddTrack(AUDIO, s)
WScript.Echo "AddTrack -> " & n
WScript.Echo "NumberOfExistingTracks " & c.NumberOfExistingTracks
WScript.Echo "StartOfLeadout " & c.StartOfLeadout
WScript.Echo "LastUsedUserSectorInImage " & c.LastUsedUserSectorInImage
c.StartingTrackNumber = 1
Report "StartingTrackNumber after AddTrack"
c.StartOfLeadoutLimit = 700
Report "StartOfLeadoutLimit below the tracks"

Set t = c.TrackInfo(3)
Report "TrackInfo(3)"
Set t = c.TrackInfo(2)
WScript.Echo "track 2: lba " & t.StartingLba & " sectors " & t.SectorCount & " number " & t.TrackNumber & _
    " type " & t.SectorType
c.DisableGaplessAudio = True
WScript.Echo "gapless: DisableGaplessAudio " & c.DisableGaplessAudio & ", track 2 lba " & t.StartingLba
c.DisableGaplessAudio = False
WScript.Echo "gaps again: track 2 lba " & t.StartingLba

WScript.Echo "ISRC [" & t.ISRC & "]"
t.ISRC = "USK7Y9812345"
WScript.Echo "ISRC [" & t.ISRC & "]"
t.ISRC = "US-K7Y-98-1234"
Report "ISRC too short"
WScript.Echo "DigitalAudioCopySetting " & t.DigitalAudioCopySetting
t.DigitalAudioCopySetting = 1
t.AudioHasPreemphasis = True
Set t2 = c.TrackInfo(2)
WScript.Echo "other view: copy " & t2.DigitalAudioCopySetting & " preemphasis " & t2.AudioHasPreemphasis & _
    " ISRC " & t2.ISRC
t.DigitalAudioCopySetting = 3
Report "DigitalAudioCopySetting 3"

t.AddTrackIndex 100
t.AddTrackIndex 150
WScript.Echo "TrackIndexes " & List(t.TrackIndexes)
t.AddTrackIndex 105
Report "AddTrackIndex too close"
t.ClearTrackIndex 0
Report "ClearTrackIndex 0"
t.ClearTrackIndex 50
Report "ClearTrackIndex 50"
t.ClearTrackIndex 150
WScript.Echo "TrackIndexes " & List(t.TrackIndexes)

toc = c.ExpectedTableOfContents
WScript.Echo "ExpectedTableOfContents " & (UBound(toc) + 1) & " bytes: " & Bytes(toc)

Set r = c.CreateResultImage()
Report "CreateResultImage"
WScript.Echo "image bytes " & opener.GetStreamSize(r)
Set r = c.CreateResultImage()
Report "CreateResultImage again"
c.MediaCatalogNumber = ""
Report "MediaCatalogNumber after CreateResultImage"
n = c.AddTrack(AUDIO, s)
Report "AddTrack after CreateResultImage"
t.ISRC = ""
Report "ISRC after CreateResultImage"
t.AddTrackIndex 200
Report "AddTrackIndex after CreateResultImage"
WScript.Echo "still readable: ISRC " & t.ISRC & " MCN " & c.MediaCatalogNumber

Set r = Nothing
Set s = Nothing
Set t = Nothing
Set t2 = Nothing
Set c = Nothing
fso.DeleteFile path
Report "done"
