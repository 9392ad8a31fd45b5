# burn_audio.ps1 -- burns an audio CD from WAV files (44.1 kHz, 16-bit,
# stereo PCM) in one disc-at-once pass: MsftRawCDImageCreator lays the
# tracks out as a raw image, MsftDiscFormat2RawCD writes it, and its Update
# event shows the progress. Mirrors burn_audio.vbs.
#
#   Windows:  powershell -ExecutionPolicy Bypass -File burn_audio.ps1 [-Recorder N] one.wav [two.wav ...]
#   (Not tested by imapi2-open: PowerShell does not run under its Wine tests.)
#
# Each track must last at least 4 seconds. The WAV files are opened with
# IMAPI2Open.FileStream, an extension of imapi2-open (see README.md).
param(
    [int]$Recorder = 0,
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Files
)

# IMAPI_CD_SECTOR_TYPE, IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE and
# IMAPI_FORMAT2_RAW_CD_WRITE_ACTION (imapi2.h)
$IMAPI_CD_SECTOR_AUDIO = 0
$IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW = 3
$IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_UNKNOWN = 0
$IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_PREPARING = 1
$IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_WRITING = 2
$IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING = 3

if (-not $Files) {
    Write-Output 'usage: burn_audio.ps1 [-Recorder N] one.wav [two.wav ...]'
    exit 2
}

$master = New-Object -ComObject IMAPI2.MsftDiscMaster2
if ($Recorder -ge $master.Count) {
    Write-Output "There is no recorder $Recorder (found $($master.Count))."
    exit 1
}
$discRecorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
$discRecorder.InitializeDiscRecorder($master.Item($Recorder))
Write-Output "Recorder: $($discRecorder.VendorId) $($discRecorder.ProductId)"

# Windows' IMAPI2 cannot open a file as a stream for a script.
try {
    $opener = New-Object -ComObject IMAPI2Open.FileStream
} catch {
    Write-Output ('IMAPI2Open.FileStream is missing (error 0x{0:X8}): this script needs' -f $_.Exception.HResult)
    Write-Output "imapi2-open's imapi2.dll, whose extension opens WAV files as streams."
    exit 1
}

# The error as text: IMAPI2's errors come with a description (IErrorInfo).
function ErrorText($err) {
    return ('error 0x{0:X8}: {1}' -f $err.Exception.HResult, $err.Exception.Message)
}

$creator = New-Object -ComObject IMAPI2.MsftRawCDImageCreator
$creator.ResultingImageType = $IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW
foreach ($file in $Files) {
    try {
        # IMAPI2Open.FileStream resolves relative paths against its own
        # current folder: hand it a full path.
        [void]$creator.AddTrack($IMAPI_CD_SECTOR_AUDIO, $opener.OpenWaveFile((Resolve-Path $file).Path))
    } catch {
        Write-Output "Cannot use ${file}: $(ErrorText $_)"
        exit 1
    }
    Write-Output "Track $($creator.NumberOfExistingTracks): $file"
}
$image = $creator.CreateResultImage()
Write-Output "Image: $($creator.NumberOfExistingTracks) tracks, lead-out at sector $($creator.StartOfLeadout)"

$format = New-Object -ComObject IMAPI2.MsftDiscFormat2RawCD
$format.Recorder = $discRecorder
$format.ClientName = 'burn_audio.ps1'

# Raised again and again while WriteMedia runs. The progress is printed
# when the action changes and at each quarter of the sectors.
$global:lastAction = -1
$global:nextMark = 25
$null = Register-ObjectEvent -InputObject $format -EventName Update -SourceIdentifier BurnAudioUpdate -Action {
    $progress = $Event.SourceArgs[1]
    $action = $progress.CurrentAction
    if ($action -ne $global:lastAction) {
        switch ($action) {
            1 { Write-Host 'Preparing the recorder...' }
            2 { Write-Host 'Writing...' }
            3 { Write-Host 'Finishing...' }
            default { Write-Host "Working (action $action)..." }
        }
        $global:lastAction = $action
    }
    if ($progress.SectorCount -gt 0) {
        $percent = 100 * ($progress.LastWrittenLba - $progress.StartLba) / $progress.SectorCount
        while ($global:nextMark -lt 100 -and $percent -ge $global:nextMark) {
            Write-Host "  $($global:nextMark)% written"
            $global:nextMark += 25
        }
    }
}

try {
    $format.PrepareMedia()
} catch {
    Write-Output "Cannot burn: $(ErrorText $_)"
    Unregister-Event BurnAudioUpdate
    exit 1
}
# The sector type is a property of prepared media: set it after PrepareMedia.
$format.RequestedSectorType = $IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW
try {
    $format.WriteMedia($image)
} catch {
    Write-Output "Burn failed: $(ErrorText $_)"
    $format.ReleaseMedia()
    Unregister-Event BurnAudioUpdate
    exit 1
}
$format.ReleaseMedia()
Unregister-Event BurnAudioUpdate
Write-Output "Done: the disc holds $($creator.NumberOfExistingTracks) audio tracks."
