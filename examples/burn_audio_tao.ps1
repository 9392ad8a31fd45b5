# burn_audio_tao.ps1 -- burns an audio CD from WAV files (44.1 kHz, 16-bit,
# stereo PCM) one track at a time: MsftDiscFormat2TrackAtOnce writes each
# file as a track with 2 seconds of silence before the next, and its Update
# event shows the progress of every track. -Open leaves the disc open for a
# data session (DoNotFinalizeMedia). Mirrors burn_audio_tao.vbs.
#
#   Windows:  powershell -ExecutionPolicy Bypass -File burn_audio_tao.ps1 [-Recorder N] [-Open] one.wav [two.wav ...]
#   (Not tested by imapi2-open: PowerShell does not run under its Wine tests.)
#
# A track shorter than 4 seconds is filled up with silence. The WAV files are
# opened with IMAPI2Open.FileStream, an extension of imapi2-open (see
# README.md), which hands the samples out in whole 2352-byte sectors.
param(
    [int]$Recorder = 0,
    [switch]$Open,
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Files
)

# IMAPI_FORMAT2_TAO_WRITE_ACTION (imapi2.h)
$IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING = 2

if (-not $Files) {
    Write-Output 'usage: burn_audio_tao.ps1 [-Recorder N] [-Open] one.wav [two.wav ...]'
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

$format = New-Object -ComObject IMAPI2.MsftDiscFormat2TrackAtOnce
$format.Recorder = $discRecorder
$format.ClientName = 'burn_audio_tao.ps1'
# Only before PrepareMedia: the session's closing is decided up front.
if ($Open) { $format.DoNotFinalizeMedia = $true }

# Raised again and again while AddAudioTrack runs, and once more while
# ReleaseMedia closes the session. Prints each track, each change of action
# and each quarter of the track's sectors.
$global:lastAction = -1
$global:lastTrack = 0
$global:nextMark = 25
$null = Register-ObjectEvent -InputObject $format -EventName Update -SourceIdentifier BurnAudioTaoUpdate -Action {
    $progress = $Event.SourceArgs[1]
    $action = $progress.CurrentAction
    if ($progress.CurrentTrackNumber -ne $global:lastTrack) {
        $global:lastTrack = $progress.CurrentTrackNumber
        Write-Host "Track $($global:lastTrack):"
        $global:lastAction = -1
        $global:nextMark = 25
    }
    if ($action -ne $global:lastAction) {
        switch ($action) {
            1 { Write-Host '  Preparing the track...' }
            2 { Write-Host '  Writing...' }
            3 { Write-Host '  Finishing...' }
            4 { Write-Host '  Verifying...' }
            default { Write-Host "  Working (action $action)..." }
        }
        $global:lastAction = $action
    }
    if ($action -eq $IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING -and $progress.SectorCount -gt 0) {
        $percent = 100 * ($progress.LastWrittenLba - $progress.StartLba + 1) / $progress.SectorCount
        while ($global:nextMark -le 100 -and $percent -ge $global:nextMark) {
            Write-Host "    $($global:nextMark)% written"
            $global:nextMark += 25
        }
    }
}

try {
    $format.PrepareMedia()
} catch {
    Write-Output "Cannot burn: $(ErrorText $_)"
    Unregister-Event BurnAudioTaoUpdate
    exit 1
}
Write-Output "Free: $($format.FreeSectorsOnMedia) sectors"

foreach ($file in $Files) {
    try {
        # IMAPI2Open.FileStream resolves relative paths against its own
        # current folder: hand it a full path.
        $format.AddAudioTrack($opener.OpenWaveFile((Resolve-Path $file).Path))
    } catch {
        Write-Output "Track $($format.NumberOfExistingTracks + 1) ($file) failed: $(ErrorText $_)"
        # What is on the disc stays: close the session around it.
        $format.ReleaseMedia()
        Unregister-Event BurnAudioTaoUpdate
        exit 1
    }
}

$format.ReleaseMedia()
Unregister-Event BurnAudioTaoUpdate
Write-Output "Done: the disc holds $($global:lastTrack) audio tracks."
