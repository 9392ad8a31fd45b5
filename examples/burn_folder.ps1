# burn_folder.ps1 -- burns a folder to a blank or appendable disc as one data
# session, the steps of Microsoft's "burning a disc" sample: a recorder, a
# file-system image and its Root, a data writer given the Recorder and a
# ClientName, ChooseImageDefaults(recorder) for the disc's file systems and
# size, Root.AddTree, CreateResultImage, ImageStream, then Write. The data
# writer's Update event shows each step and each quarter written. Mirrors
# burn_folder.vbs.
#
#   Windows:  powershell -ExecutionPolicy Bypass -File burn_folder.ps1 [-Recorder N] FOLDER
#   (Not tested by imapi2-open: PowerShell does not run under its Wine tests.)
param([int]$Recorder = 0, [Parameter(Mandatory = $true)][string]$Folder)

# FsiFileSystems (imapi2fs.h), IMAPI_FORMAT2_DATA_MEDIA_STATE (imapi2.h)
$FsiFileSystemISO9660 = 1
$FsiFileSystemJoliet = 2
$FsiFileSystemUDF = 4
$IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK = 2
$IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE = 4
$IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED = 16384

# The flags of IMAPI_FORMAT2_DATA_MEDIA_STATE a burner cares about.
function StateName($state) {
    if ($state -band $IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK) { return 'blank' }
    if ($state -band $IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE) { return 'appendable' }
    if ($state -band $IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED) { return 'closed' }
    return ('not writable (state 0x{0:X})' -f $state)
}

function FileSystemNames($fs) {
    $names = @()
    if ($fs -band $FsiFileSystemISO9660) { $names += 'ISO9660' }
    if ($fs -band $FsiFileSystemJoliet) { $names += 'Joliet' }
    if ($fs -band $FsiFileSystemUDF) { $names += 'UDF' }
    return $names -join ' '
}

# The error as text: IMAPI2's errors come with a description (IErrorInfo).
function ErrorText($err) {
    return ('error 0x{0:X8}: {1}' -f $err.Exception.HResult, $err.Exception.Message)
}

$master = New-Object -ComObject IMAPI2.MsftDiscMaster2
if ($Recorder -ge $master.Count) {
    Write-Output "There is no recorder $Recorder (found $($master.Count))."
    exit 1
}
$discRecorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
$discRecorder.InitializeDiscRecorder($master.Item($Recorder))
Write-Output "Recorder: $($discRecorder.VendorId) $($discRecorder.ProductId)"

$image = New-Object -ComObject IMAPI2FS.MsftFileSystemImage
$root = $image.Root
$writer = New-Object -ComObject IMAPI2.MsftDiscFormat2Data
$writer.Recorder = $discRecorder
$writer.ClientName = 'burn_folder.ps1'

# Raised at each step of Write, and every half second while it writes.
$global:lastAction = -1
$global:nextMark = 25
$null = Register-ObjectEvent -InputObject $writer -EventName Update -SourceIdentifier BurnFolderUpdate -Action {
    $progress = $Event.SourceArgs[1]
    $action = $progress.CurrentAction
    if ($action -ne $global:lastAction) {
        switch ($action) {
            0 { Write-Host '  Validating the disc...' }
            1 { Write-Host '  Formatting...' }
            2 { Write-Host '  Initializing the drive...' }
            3 { Write-Host '  Calibrating the laser...' }
            4 { Write-Host '  Writing...' }
            5 { Write-Host '  Closing the session...' }
            6 { Write-Host '  Completed.' }
            7 { Write-Host '  Verifying...' }
            default { Write-Host "  Working (action $action)..." }
        }
        $global:lastAction = $action
    }
    if ($action -eq 4 -and $progress.SectorCount -gt 0) {
        $percent = 100 * ($progress.LastWrittenLba - $progress.StartLba + 1) / $progress.SectorCount
        while ($global:nextMark -le 100 -and $percent -ge $global:nextMark) {
            Write-Host "    $($global:nextMark)% written"
            $global:nextMark += 25
        }
    }
}

$step = 'Cannot use this disc'
try {
    # The disc decides the file systems and how many blocks the image may take.
    $image.ChooseImageDefaults($discRecorder)
    Write-Output ("Disc: {0}, {1} blocks free, file systems: {2}" -f (StateName $writer.CurrentMediaStatus),
        $image.FreeMediaBlocks, (FileSystemNames $image.FileSystemsToCreate))
    $step = "Cannot add $Folder"
    # IMAPI2FS resolves relative paths against its own current folder.
    $root.AddTree((Resolve-Path $Folder).Path, $false)
    $step = 'Cannot lay out the image'
    $result = $image.CreateResultImage()
    Write-Output ("Image: {0} files, {1} directories, {2} blocks" -f $image.FileCount, $image.DirectoryCount,
        $result.TotalBlocks)
    $step = 'Cannot burn'
    $writer.Write($result.ImageStream)
} catch {
    Write-Output "${step}: $(ErrorText $_)"
    Unregister-Event BurnFolderUpdate
    exit 1
}
Unregister-Event BurnFolderUpdate
Write-Output "Done: the disc is $(StateName $writer.CurrentMediaStatus)."
