' list_recorders.vbs -- lists the CD/DVD recorders IMAPI2 sees, with their
' properties and the disc in each.
'
'   Windows:  cscript //nologo list_recorders.vbs
'   Wine:     wine imapi2script.exe list_recorders.vbs   (see README.md)
Option Explicit

' IMAPI_MEDIA_PHYSICAL_TYPE (imapi2.h)
Const IMAPI_MEDIA_TYPE_UNKNOWN = 0
Const IMAPI_MEDIA_TYPE_CDROM = 1
Const IMAPI_MEDIA_TYPE_CDR = 2
Const IMAPI_MEDIA_TYPE_CDRW = 3
Const IMAPI_MEDIA_TYPE_DVDROM = 4

Dim master, recorder, format, id, index, mediaType, blank

Set master = CreateObject("IMAPI2.MsftDiscMaster2")
If Not master.IsSupportedEnvironment Then
    WScript.Echo "IMAPI2 finds no recorder it can use on this computer."
    WScript.Quit 1
End If
WScript.Echo "Recorders: " & master.Count

index = 0
For Each id In master
    Set recorder = CreateObject("IMAPI2.MsftDiscRecorder2")
    recorder.InitializeDiscRecorder id

    WScript.Echo ""
    WScript.Echo "Recorder " & index
    WScript.Echo "  Unique id:      " & id
    WScript.Echo "  Vendor:         " & recorder.VendorId
    WScript.Echo "  Product:        " & recorder.ProductId
    WScript.Echo "  Revision:       " & recorder.ProductRevision
    WScript.Echo "  Drive paths:    " & PathList(recorder.VolumePathNames)
    WScript.Echo "  Profiles:       " & ProfileList(recorder.SupportedProfiles)
    WScript.Echo "  Current:        " & ProfileList(recorder.CurrentProfiles)

    ' The disc: asked through a format object, as Windows scripts do.
    Set format = CreateObject("IMAPI2.MsftDiscFormat2RawCD")
    If Not Answer(format, recorder, False) Then
        WScript.Echo "  Raw CD writing: not supported by this recorder"
    ElseIf Not Answer(format, recorder, True) Then
        WScript.Echo "  Disc:           none, or not a CD that can be written raw"
    Else
        format.Recorder = recorder
        mediaType = format.CurrentPhysicalMediaType
        blank = format.MediaPhysicallyBlank
        If blank Then
            WScript.Echo "  Disc:           " & MediaName(mediaType) & ", blank"
        Else
            WScript.Echo "  Disc:           " & MediaName(mediaType) & ", written"
        End If
    End If
    index = index + 1
Next

' IsRecorderSupported / IsCurrentMediaSupported as a plain yes or no. IMAPI2
' answers "no" with an error in two documented cases: a recorder that cannot
' write raw (E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED) and, from Windows 7 on,
' an empty drive (E_IMAPI_RECORDER_MEDIA_NO_MEDIA).
Function Answer(format, recorder, media)
    On Error Resume Next
    If media Then
        Answer = format.IsCurrentMediaSupported(recorder)
    Else
        Answer = format.IsRecorderSupported(recorder)
    End If
    If Err.Number <> 0 Then Answer = False
End Function

Function ProfileList(profiles)
    Dim profile, text
    text = ""
    For Each profile In profiles
        If text <> "" Then text = text & " "
        text = text & "0x" & Right("000" & Hex(profile), 4)
    Next
    If text = "" Then text = "(none)"
    ProfileList = text
End Function

Function PathList(paths)
    Dim path, text
    text = ""
    For Each path In paths
        If text <> "" Then text = text & ", "
        text = text & path
    Next
    If text = "" Then text = "(none)"
    PathList = text
End Function

Function MediaName(mediaType)
    Select Case mediaType
        Case IMAPI_MEDIA_TYPE_CDROM: MediaName = "CD-ROM"
        Case IMAPI_MEDIA_TYPE_CDR: MediaName = "CD-R"
        Case IMAPI_MEDIA_TYPE_CDRW: MediaName = "CD-RW"
        Case IMAPI_MEDIA_TYPE_DVDROM: MediaName = "DVD-ROM"
        Case IMAPI_MEDIA_TYPE_UNKNOWN: MediaName = "unknown medium"
        Case Else: MediaName = "medium type " & mediaType
    End Select
End Function
