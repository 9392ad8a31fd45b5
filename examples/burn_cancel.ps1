# burn_cancel.ps1 -- starts an audio CD burn like burn_audio.ps1 and stops
# it from inside the Update event once a condition holds: here, when the
# part of the disc given by -StopAt (percent, default 50) has been written.
# A disc stopped midway is no longer blank: a CD-RW must be erased before
# its next use (erase_cdrw.ps1), a CD-R is lost. Mirrors burn_cancel.vbs.
#
#   Windows:  powershell -ExecutionPolicy Bypass -File burn_cancel.ps1 [-Recorder N] [-StopAt P] one.wav [...]
#   (Not tested by imapi2-open: PowerShell does not run under its Wine tests.)
param(
    [int]$Recorder = 0,
    [int]$StopAt = 50,
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Files
)

# Enum values and error codes (imapi2.h, imapi2error.h)
$IMAPI_CD_SECTOR_AUDIO = 0
$IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW = 3
$IMAPI_MEDIA_TYPE_CDRW = 3
$E_IMAPI_REQUEST_CANCELLED = 0xC0AA0002  # an Int32 (-1062600702), as Exception.HResult is

if (-not $Files) {
    Write-Output 'usage: burn_cancel.ps1 [-Recorder N] [-StopAt P] one.wav [two.wav ...]'
    exit 2
}

$master = New-Object -ComObject IMAPI2.MsftDiscMaster2
if ($Recorder -ge $master.Count) {
    Write-Output "There is no recorder $Recorder (found $($master.Count))."
    exit 1
}
$discRecorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
$discRecorder.InitializeDiscRecorder($master.Item($Recorder))

try {
    $opener = New-Object -ComObject IMAPI2Open.FileStream
} catch {
    Write-Output ('IMAPI2Open.FileStream is missing (error 0x{0:X8}): this script needs' -f $_.Exception.HResult)
    Write-Output "imapi2-open's imapi2.dll, whose extension opens WAV files as streams."
    exit 1
}

function ErrorText($err) {
    return ('error 0x{0:X8}: {1}' -f $err.Exception.HResult, $err.Exception.Message)
}

$creator = New-Object -ComObject IMAPI2.MsftRawCDImageCreator
$creator.ResultingImageType = $IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW
foreach ($file in $Files) {
    [void]$creator.AddTrack($IMAPI_CD_SECTOR_AUDIO, $opener.OpenWaveFile((Resolve-Path $file).Path))
}
$image = $creator.CreateResultImage()

$format = New-Object -ComObject IMAPI2.MsftDiscFormat2RawCD
$format.Recorder = $discRecorder
$format.ClientName = 'burn_cancel.ps1'

$global:cancelled = $false
$global:stopAt = $StopAt
$null = Register-ObjectEvent -InputObject $format -EventName Update -SourceIdentifier BurnCancelUpdate -Action {
    $object = $Event.SourceArgs[0]
    $progress = $Event.SourceArgs[1]
    if ($global:cancelled -or $progress.SectorCount -le 0) { return }
    $percent = 100 * ($progress.LastWrittenLba - $progress.StartLba) / $progress.SectorCount
    if ($percent -ge $global:stopAt) {
        Write-Host "Condition met at $($global:stopAt)%: calling CancelWrite"
        $global:cancelled = $true
        $object.CancelWrite()
    }
}

$result = 0
Write-Output "Burning $($creator.NumberOfExistingTracks) tracks, stopping at $StopAt%"
try {
    $format.PrepareMedia()
} catch {
    Write-Output "Cannot burn: $(ErrorText $_)"
    Unregister-Event BurnCancelUpdate
    exit 1
}
# The sector type is a property of prepared media: set it after PrepareMedia.
$format.RequestedSectorType = $IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW
try {
    $format.WriteMedia($image)
    Write-Output 'The burn ended before the condition was met.'
} catch {
    $result = $_.Exception.HResult
    if ($result -eq $E_IMAPI_REQUEST_CANCELLED) {
        Write-Output "WriteMedia stopped: $(ErrorText $_)"
    } else {
        Write-Output "Burn failed: $(ErrorText $_)"
    }
}
try { $format.ReleaseMedia() } catch { }
Unregister-Event BurnCancelUpdate

if ($result -eq $E_IMAPI_REQUEST_CANCELLED) {
    if ($format.MediaPhysicallyBlank) {
        Write-Output 'The disc is still blank.'
    } elseif ($format.CurrentPhysicalMediaType -eq $IMAPI_MEDIA_TYPE_CDRW) {
        Write-Output 'The disc was partly written: erase it with erase_cdrw before using it again.'
    } else {
        Write-Output 'The disc was partly written and cannot be used again.'
    }
} elseif ($result -ne 0) {
    exit 1
}
