# list_recorders.ps1 -- lists the CD/DVD recorders IMAPI2 sees, with their
# properties and the disc in each. Mirrors list_recorders.vbs.
#
#   Windows:  powershell -ExecutionPolicy Bypass -File list_recorders.ps1
#   (Not tested by imapi2-open: PowerShell does not run under its Wine tests.)

# IMAPI_MEDIA_PHYSICAL_TYPE (imapi2.h)
$IMAPI_MEDIA_TYPE_UNKNOWN = 0
$IMAPI_MEDIA_TYPE_CDROM = 1
$IMAPI_MEDIA_TYPE_CDR = 2
$IMAPI_MEDIA_TYPE_CDRW = 3
$IMAPI_MEDIA_TYPE_DVDROM = 4

# IsRecorderSupported / IsCurrentMediaSupported as a plain yes or no. IMAPI2
# answers "no" with an error in two documented cases: a recorder that cannot
# write raw (E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED) and, from Windows 7 on,
# an empty drive (E_IMAPI_RECORDER_MEDIA_NO_MEDIA).
function Answer($format, $recorder, $media) {
    try {
        if ($media) { return [bool]$format.IsCurrentMediaSupported($recorder) }
        return [bool]$format.IsRecorderSupported($recorder)
    } catch {
        return $false
    }
}

function ProfileList($profiles) {
    $text = ($profiles | ForEach-Object { '0x{0:X4}' -f [int]$_ }) -join ' '
    if ($text -eq '') { $text = '(none)' }
    return $text
}

function PathList($paths) {
    $text = ($paths | ForEach-Object { "$_" }) -join ', '
    if ($text -eq '') { $text = '(none)' }
    return $text
}

function MediaName($mediaType) {
    switch ($mediaType) {
        $IMAPI_MEDIA_TYPE_CDROM { return 'CD-ROM' }
        $IMAPI_MEDIA_TYPE_CDR { return 'CD-R' }
        $IMAPI_MEDIA_TYPE_CDRW { return 'CD-RW' }
        $IMAPI_MEDIA_TYPE_DVDROM { return 'DVD-ROM' }
        $IMAPI_MEDIA_TYPE_UNKNOWN { return 'unknown medium' }
        default { return "medium type $mediaType" }
    }
}

$master = New-Object -ComObject IMAPI2.MsftDiscMaster2
if (-not $master.IsSupportedEnvironment) {
    Write-Output 'IMAPI2 finds no recorder it can use on this computer.'
    exit 1
}
Write-Output "Recorders: $($master.Count)"

$index = 0
foreach ($id in $master) {
    $recorder = New-Object -ComObject IMAPI2.MsftDiscRecorder2
    $recorder.InitializeDiscRecorder($id)

    Write-Output ''
    Write-Output "Recorder $index"
    Write-Output "  Unique id:      $id"
    Write-Output "  Vendor:         $($recorder.VendorId)"
    Write-Output "  Product:        $($recorder.ProductId)"
    Write-Output "  Revision:       $($recorder.ProductRevision)"
    Write-Output "  Drive paths:    $(PathList $recorder.VolumePathNames)"
    Write-Output "  Profiles:       $(ProfileList $recorder.SupportedProfiles)"
    Write-Output "  Current:        $(ProfileList $recorder.CurrentProfiles)"

    # The disc: asked through a format object, as Windows scripts do.
    $format = New-Object -ComObject IMAPI2.MsftDiscFormat2RawCD
    if (-not (Answer $format $recorder $false)) {
        Write-Output '  Raw CD writing: not supported by this recorder'
    } elseif (-not (Answer $format $recorder $true)) {
        Write-Output '  Disc:           none, or not a CD that can be written raw'
    } else {
        $format.Recorder = $recorder
        $mediaType = $format.CurrentPhysicalMediaType
        if ($format.MediaPhysicallyBlank) {
            Write-Output "  Disc:           $(MediaName $mediaType), blank"
        } else {
            Write-Output "  Disc:           $(MediaName $mediaType), written"
        }
    }
    $index++
}
