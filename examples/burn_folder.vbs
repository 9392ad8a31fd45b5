' burn_folder.vbs -- burns a folder to a blank or appendable disc as one data
' session, the steps of Microsoft's "burning a disc" sample: a recorder, a
' file-system image and its Root, a data writer given the Recorder and a
' ClientName, ChooseImageDefaults(recorder) for the disc's file systems and
' size, Root.AddTree, CreateResultImage, ImageStream, then Write. The data
' writer's Update event shows each step and each quarter written.
'
'   Windows:  cscript //nologo burn_folder.vbs [/recorder:N] FOLDER
'   Wine:     wine imapi2script.exe burn_folder.vbs [/recorder:N] FOLDER
Option Explicit

' FsiFileSystems (imapi2fs.h), IMAPI_FORMAT2_DATA_WRITE_ACTION and
' IMAPI_FORMAT2_DATA_MEDIA_STATE (imapi2.h)
Const FsiFileSystemISO9660 = 1
Const FsiFileSystemJoliet = 2
Const FsiFileSystemUDF = 4
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_VALIDATING_MEDIA = 0
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_FORMATTING_MEDIA = 1
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_INITIALIZING_HARDWARE = 2
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_CALIBRATING_POWER = 3
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA = 4
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_FINALIZATION = 5
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED = 6
Const IMAPI_FORMAT2_DATA_WRITE_ACTION_VERIFYING = 7
Const IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK = 2
Const IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE = 4
Const IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED = 16384

Dim args, recorderIndex, master, recorder, image, root, writer, result, stream, lastAction, nextMark

Set args = WScript.Arguments
If args.Unnamed.Count <> 1 Then
    WScript.Echo "usage: burn_folder.vbs [/recorder:N] FOLDER"
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

Set image = CreateObject("IMAPI2FS.MsftFileSystemImage")
Set root = image.Root
Set writer = WScript.CreateObject("IMAPI2.MsftDiscFormat2Data", "writer_")
writer.Recorder = recorder
writer.ClientName = "burn_folder.vbs"

On Error Resume Next
' The disc decides the file systems and how many blocks the image may take.
' (Written as Microsoft's sample writes its calls: one argument in
' parentheses here and at Write, the stream taken without Set.)
image.ChooseImageDefaults(recorder)
If Err.Number <> 0 Then Fail "Cannot use this disc"
WScript.Echo "Disc: " & StateName(writer.CurrentMediaStatus) & ", " & image.FreeMediaBlocks & _
    " blocks free, file systems: " & FileSystemNames(image.FileSystemsToCreate)
root.AddTree args.Unnamed(0), False
If Err.Number <> 0 Then Fail "Cannot add " & args.Unnamed(0)
Set result = image.CreateResultImage()
If Err.Number <> 0 Then Fail "Cannot lay out the image"
WScript.Echo "Image: " & image.FileCount & " files, " & image.DirectoryCount & " directories, " & _
    result.TotalBlocks & " blocks"
stream = result.ImageStream
lastAction = -1
nextMark = 25
writer.Write(stream)
If Err.Number <> 0 Then Fail "Cannot burn"
On Error GoTo 0
WScript.Echo "Done: the disc is " & StateName(writer.CurrentMediaStatus) & "."

Sub Fail(what)
    WScript.Echo what & ": error 0x" & Hex(Err.Number) & ": " & Err.Description
    WScript.Quit 1
End Sub

' Raised at each step of Write, and every half second while it writes.
Sub writer_Update(object, progress)
    Dim action, percent
    action = progress.CurrentAction
    If action <> lastAction Then
        WScript.Echo "  " & ActionName(action)
        lastAction = action
    End If
    If action = IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA And progress.SectorCount > 0 Then
        percent = 100 * (progress.LastWrittenLba - progress.StartLba + 1) / progress.SectorCount
        Do While nextMark <= 100 And percent >= nextMark
            WScript.Echo "    " & nextMark & "% written"
            nextMark = nextMark + 25
        Loop
    End If
End Sub

Function ActionName(action)
    Select Case action
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_VALIDATING_MEDIA: ActionName = "Validating the disc..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_FORMATTING_MEDIA: ActionName = "Formatting..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_INITIALIZING_HARDWARE: ActionName = "Initializing the drive..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_CALIBRATING_POWER: ActionName = "Calibrating the laser..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA: ActionName = "Writing..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_FINALIZATION: ActionName = "Closing the session..."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED: ActionName = "Completed."
        Case IMAPI_FORMAT2_DATA_WRITE_ACTION_VERIFYING: ActionName = "Verifying..."
        Case Else: ActionName = "Working (action " & action & ")..."
    End Select
End Function

' The flags of IMAPI_FORMAT2_DATA_MEDIA_STATE a burner cares about.
Function StateName(state)
    If state And IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK Then
        StateName = "blank"
    ElseIf state And IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE Then
        StateName = "appendable"
    ElseIf state And IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED Then
        StateName = "closed"
    Else
        StateName = "not writable (state 0x" & Hex(state) & ")"
    End If
End Function

Function FileSystemNames(fs)
    FileSystemNames = ""
    If fs And FsiFileSystemISO9660 Then FileSystemNames = FileSystemNames & " ISO9660"
    If fs And FsiFileSystemJoliet Then FileSystemNames = FileSystemNames & " Joliet"
    If fs And FsiFileSystemUDF Then FileSystemNames = FileSystemNames & " UDF"
    FileSystemNames = Trim(FileSystemNames)
End Function
