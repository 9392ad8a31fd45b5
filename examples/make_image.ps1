# make_image.ps1 -- lays out a disc image of a folder with IMAPI2FS, the way
# burning scripts do before they hand ImageStream to a data writer:
# FileSystemsToCreate, VolumeName, Root.AddTree, CreateResultImage.
# -Udf adds UDF to ISO 9660 + Joliet; -Volume NAME names the volume.
#
#   powershell -File make_image.ps1 FOLDER [-Volume NAME] [-Udf]
param([Parameter(Mandatory = $true)][string]$Folder, [string]$Volume, [switch]$Udf)

# FsiFileSystems (imapi2fs.h)
$FsiFileSystemISO9660 = 1
$FsiFileSystemJoliet = 2
$FsiFileSystemUDF = 4

$image = New-Object -ComObject IMAPI2FS.MsftFileSystemImage
# Update reports each file added: 0 sectors first, then all of them.
$script:reported = 0
$null = Register-ObjectEvent -InputObject $image -EventName Update -Action {
    if ($Args[2] -eq $Args[3]) { $script:reported++ }
}
if ($Udf) {
    $image.FileSystemsToCreate = $FsiFileSystemISO9660 -bor $FsiFileSystemJoliet -bor $FsiFileSystemUDF
} else {
    $image.FileSystemsToCreate = $FsiFileSystemISO9660 -bor $FsiFileSystemJoliet
}
if ($Volume) { $image.VolumeName = $Volume }

try {
    $image.Root.AddTree($Folder, $false)
} catch {
    Write-Output ("Cannot add {0} (error 0x{1:X8}): {2}" -f $Folder, $_.Exception.HResult, $_.Exception.Message)
    exit 1
}

Write-Output ("Files: {0}, directories: {1} (Update reported {2})" -f $image.FileCount, $image.DirectoryCount, $script:reported)
foreach ($path in $image.Root) { Write-Output "  $path" }

$result = $image.CreateResultImage()
Write-Output ("Image: {0} blocks of {1} bytes" -f $result.TotalBlocks, $result.BlockSize)

# The image is made while it is read; a data writer reads ImageStream.
# IMAPI2Open.FileStream (an extension of imapi2-open) can tell its size.
try {
    $opener = New-Object -ComObject IMAPI2Open.FileStream
    Write-Output ("ImageStream: {0} bytes" -f $opener.GetStreamSize($result.ImageStream))
} catch {
}
