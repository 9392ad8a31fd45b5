' An error inside an event handler stops the script (as under Windows'
' cscript) instead of only ending the handler while the burn goes on.
Set master = CreateObject("IMAPI2.MsftDiscMaster2")
Set recorder = CreateObject("IMAPI2.MsftDiscRecorder2")
recorder.InitializeDiscRecorder master.Item(0)
Set creator = CreateObject("IMAPI2.MsftRawCDImageCreator")
creator.AddTrack 0, CreateObject("IMAPI2Open.FileStream").OpenWaveFile(WScript.Arguments(0))
Set format = WScript.CreateObject("IMAPI2.MsftDiscFormat2RawCD", "format_")
format.Recorder = recorder
format.ClientName = "host_event_error"
format.PrepareMedia
updates = 0
format.WriteMedia creator.CreateResultImage()
WScript.Echo "not reached"

Sub format_Update(object, progress)
    updates = updates + 1
    WScript.Echo "update " & updates
    If updates = 2 Then Err.Raise 5000, "format_Update", "stop at the second update"
End Sub
