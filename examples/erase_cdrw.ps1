# erase_cdrw.ps1 -- blanks a CD-RW with MsftDiscFormat2Erase, showing the
# progress its Update event reports (elapsed and estimated total seconds).
# -Full blanks the whole disc instead of the quick minimal blank.
# Mirrors erase_cdrw.vbs.
#
#   Windows:  powershell -ExecutionPolicy Bypass -File erase_cdrw.ps1 [-Recorder N] [-Full]
#   (Not tested by imapi2-open: PowerShell does not run under its Wine tests.)
param(
    [int]$Recorder = 0,
    [switch]$Full
)

# IMAPI_MEDIA_PHYSICAL_TYPE (imapi2.h)
$IMAPI_MEDIA_TYPE_CDRW = 3

$master = New-Object -ComObject IMAPI2.MsftDiscMaster2
if ($Recorder -ge $master.Count) {
    Write-Output "There is no recorder $Recorder (found $($master.Count))."
    exit 1
}
$discRecorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
$discRecorder.InitializeDiscRecorder($master.Item($Recorder))

$eraser = New-Object -ComObject IMAPI2.MsftDiscFormat2Erase
$eraser.Recorder = $discRecorder
$eraser.ClientName = 'erase_cdrw.ps1'
$eraser.FullErase = [bool]$Full

if ($eraser.CurrentPhysicalMediaType -ne $IMAPI_MEDIA_TYPE_CDRW) {
    Write-Output "The disc in $($discRecorder.VendorId) $($discRecorder.ProductId) is not a CD-RW."
    exit 1
}

if ($eraser.FullErase) {
    Write-Output "Full erase of the CD-RW in $($discRecorder.VendorId) $($discRecorder.ProductId)"
} else {
    Write-Output "Quick erase of the CD-RW in $($discRecorder.VendorId) $($discRecorder.ProductId)"
}

# elapsed and total are seconds; total is an estimate that may change. The
# progress is printed at each quarter.
$global:nextMark = 0
$null = Register-ObjectEvent -InputObject $eraser -EventName Update -SourceIdentifier EraseUpdate -Action {
    $elapsed = $Event.SourceArgs[1]
    $total = $Event.SourceArgs[2]
    if ($total -le 0) { return }
    $percent = 100 * $elapsed / $total
    while ($global:nextMark -le 100 -and $percent -ge $global:nextMark) {
        Write-Host "  $($global:nextMark)% erased"
        $global:nextMark += 25
    }
}

try {
    $eraser.EraseMedia()
} catch {
    Write-Output ('Erase failed: error 0x{0:X8}: {1}' -f $_.Exception.HResult, $_.Exception.Message)
    Unregister-Event EraseUpdate
    exit 1
}
Unregister-Event EraseUpdate

# A raw CD format object tells whether the disc is blank now.
$check = New-Object -ComObject IMAPI2.MsftDiscFormat2RawCD
$check.Recorder = $discRecorder
if ($check.MediaPhysicallyBlank) {
    Write-Output 'Done: the disc is blank.'
} else {
    Write-Output 'The erase ended but the disc is not blank.'
    exit 1
}
