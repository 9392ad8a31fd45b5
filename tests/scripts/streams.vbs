' IMAPI2Open.FileStream -- our extension, not in Windows: opens files as
' read-only IStreams so that scripts can hand them to AddTrack / WriteMedia.
' (The Windows stream classes MsftStreamZero etc. have no IDispatch, so
' scripts cannot drive them; tests/conformance/streams.c covers those.)
Option Explicit
Dim opener, stream

Set opener = CreateObject("IMAPI2Open.FileStream")

' streams.wav: 44.1 kHz 16-bit stereo PCM with 8 bytes of samples, which
' OpenWaveFile pads to one 2352-byte audio sector.
Set stream = opener.OpenWaveFile("streams.wav")
WScript.Echo "wave stream size: " & opener.GetStreamSize(stream)
Set stream = opener.OpenFile("streams.wav")
WScript.Echo "file stream size: " & opener.GetStreamSize(stream)
Set stream = CreateObject("IMAPI2Open.FileStream.1").OpenFile("streams.vbs")
WScript.Echo "versioned ProgID works: " & (opener.GetStreamSize(stream) > 0)
Set stream = Nothing

On Error Resume Next
Set stream = opener.OpenWaveFile("streams.vbs")
WScript.Echo "not a WAV file: " & Hex(Err.Number)
Err.Clear
Set stream = opener.OpenFile("no-such-file.wav")
WScript.Echo "missing file: " & Hex(Err.Number)
Err.Clear

' What is wrong, in words: Err.Description from IErrorInfo.
Set stream = opener.OpenWaveFile("mono.wav")
WScript.Echo "mono WAV: " & Hex(Err.Number) & " " & Err.Description
Err.Clear
Set stream = opener.OpenWaveFile("streams.vbs")
WScript.Echo "not a WAV file, described: " & Err.Description
Err.Clear
On Error GoTo 0
Dim creator, n
Set creator = CreateObject("IMAPI2.MsftRawCDImageCreator")
On Error Resume Next
n = creator.AddTrack(0, opener.OpenWaveFile("streams.wav"))
WScript.Echo "short track: " & Err.Description
Err.Clear
On Error GoTo 0

WScript.Echo "done"
