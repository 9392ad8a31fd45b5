// An error inside an event handler stops the script (as under Windows'
// cscript) instead of only ending the handler while the burn goes on.
var master = new ActiveXObject("IMAPI2.MsftDiscMaster2");
var recorder = new ActiveXObject("IMAPI2.MsftDiscRecorder2");
recorder.InitializeDiscRecorder(master.Item(0));
var creator = new ActiveXObject("IMAPI2.MsftRawCDImageCreator");
creator.AddTrack(0, new ActiveXObject("IMAPI2Open.FileStream").OpenWaveFile(WScript.Arguments(0)));
var format = WScript.CreateObject("IMAPI2.MsftDiscFormat2RawCD", "format_");
format.Recorder = recorder;
format.ClientName = "host_event_error";
format.PrepareMedia();
var updates = 0;
format.WriteMedia(creator.CreateResultImage());
WScript.Echo("not reached");

function format_Update(object, progress) {
    updates++;
    WScript.Echo("update " + updates);
    if (updates == 2) throw new Error(5000, "stop at the second update");
}
