' make_image.vbs -- lays out a disc image of a folder with IMAPI2FS, the way
' burning scripts do before they hand ImageStream to a data writer:
' FileSystemsToCreate, VolumeName, Root.AddTree, CreateResultImage.
' /udf adds UDF to ISO 9660 + Joliet; /volume:NAME names the volume.
'
'   Windows:  cscript //nologo make_image.vbs FOLDER [/volume:NAME] [/udf]
'   Wine:     wine imapi2script.exe make_image.vbs FOLDER [/volume:NAME] [/udf]
Option Explicit

' FsiFileSystems (imapi2fs.h)
Const FsiFileSystemISO9660 = 1
Const FsiFileSystemJoliet = 2
Const FsiFileSystemUDF = 4

Dim args, folder, image, result, path, opener, reported

Set args = WScript.Arguments
If args.Unnamed.Count <> 1 Then
    WScript.Echo "usage: make_image.vbs FOLDER [/volume:NAME] [/udf]"
    WScript.Quit 2
End If
folder = args.Unnamed(0)

' Update reports each file added: 0 sectors first, then all of them.
Set image = WScript.CreateObject("IMAPI2FS.MsftFileSystemImage", "image_")
reported = 0
If args.Named.Exists("udf") Then
    image.FileSystemsToCreate = FsiFileSystemISO9660 Or FsiFileSystemJoliet Or FsiFileSystemUDF
Else
    image.FileSystemsToCreate = FsiFileSystemISO9660 Or FsiFileSystemJoliet
End If
If args.Named.Exists("volume") Then image.VolumeName = args.Named("volume")

On Error Resume Next
image.Root.AddTree folder, False
If Err.Number <> 0 Then
    WScript.Echo "Cannot add " & folder & " (error 0x" & Hex(Err.Number) & "): " & Err.Description
    WScript.Quit 1
End If
On Error GoTo 0

WScript.Echo "Files: " & image.FileCount & ", directories: " & image.DirectoryCount & _
    " (Update reported " & reported & ")"
For Each path In image.Root
    WScript.Echo "  " & path
Next

Set result = image.CreateResultImage()
WScript.Echo "Image: " & result.TotalBlocks & " blocks of " & result.BlockSize & " bytes"

' The image is made while it is read; a data writer reads ImageStream.
' IMAPI2Open.FileStream (an extension of imapi2-open) can tell its size.
On Error Resume Next
Set opener = CreateObject("IMAPI2Open.FileStream")
If Err.Number = 0 Then
    On Error GoTo 0
    WScript.Echo "ImageStream: " & opener.GetStreamSize(result.ImageStream) & " bytes"
End If

Sub image_Update(object, currentFile, copiedSectors, totalSectors)
    If copiedSectors = totalSectors Then reported = reported + 1
End Sub
