' TypeName() and the default interfaces scripts see: Windows' names.
Dim names, i, o
names = Array("IMAPI2.MsftDiscMaster2", "IMAPI2.MsftDiscRecorder2", "IMAPI2.MsftDiscFormat2RawCD", _
              "IMAPI2.MsftDiscFormat2Erase", "IMAPI2.MsftRawCDImageCreator")
For i = 0 To UBound(names)
    Set o = CreateObject(names(i))
    WScript.Echo names(i) & ": " & TypeName(o)
    Set o = Nothing
Next
