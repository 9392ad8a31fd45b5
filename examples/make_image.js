// make_image.js -- lays out a disc image of a folder with IMAPI2FS, the way
// burning scripts do before they hand ImageStream to a data writer:
// FileSystemsToCreate, VolumeName, Root.AddTree, CreateResultImage.
// /udf adds UDF to ISO 9660 + Joliet; /volume:NAME names the volume.
//
//   Windows:  cscript //nologo make_image.js FOLDER [/volume:NAME] [/udf]
//   Wine:     wine imapi2script.exe make_image.js FOLDER [/volume:NAME] [/udf]

// FsiFileSystems (imapi2fs.h)
var FsiFileSystemISO9660 = 1;
var FsiFileSystemJoliet = 2;
var FsiFileSystemUDF = 4;

var args = WScript.Arguments;
if (args.Unnamed.Count != 1) {
    WScript.Echo("usage: make_image.js FOLDER [/volume:NAME] [/udf]");
    WScript.Quit(2);
}
var folder = args.Unnamed(0);

// Update reports each file added: 0 sectors first, then all of them.
var image = WScript.CreateObject("IMAPI2FS.MsftFileSystemImage", "image_");
var reported = 0;
if (args.Named.Exists("udf"))
    image.FileSystemsToCreate = FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF;
else
    image.FileSystemsToCreate = FsiFileSystemISO9660 | FsiFileSystemJoliet;
if (args.Named.Exists("volume"))
    image.VolumeName = args.Named("volume");

try {
    image.Root.AddTree(folder, false);
} catch (e) {
    WScript.Echo("Cannot add " + folder + " (error 0x" + hex(e.number) + "): " + e.description);
    WScript.Quit(1);
}

WScript.Echo("Files: " + image.FileCount + ", directories: " + image.DirectoryCount +
    " (Update reported " + reported + ")");
for (var paths = new Enumerator(image.Root); !paths.atEnd(); paths.moveNext())
    WScript.Echo("  " + paths.item());

var result = image.CreateResultImage();
WScript.Echo("Image: " + result.TotalBlocks + " blocks of " + result.BlockSize + " bytes");

// The image is made while it is read; a data writer reads ImageStream.
// IMAPI2Open.FileStream (an extension of imapi2-open) can tell its size.
var opener = null;
try {
    opener = new ActiveXObject("IMAPI2Open.FileStream");
} catch (e) {
}
if (opener)
    WScript.Echo("ImageStream: " + opener.GetStreamSize(result.ImageStream) + " bytes");

function image_Update(object, currentFile, copiedSectors, totalSectors) {
    if (copiedSectors == totalSectors)
        reported++;
}

function hex(number) {
    return (number >>> 0).toString(16).toUpperCase();
}
