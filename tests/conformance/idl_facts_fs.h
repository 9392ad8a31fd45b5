/* Generated once from shared/spec/imapi2-data-tao-fs.md part B (tables B.2
 * and B.3-B.8) by a throw-away script, then committed: the facts the
 * imapi2fs type library must show, transcribed from the sheet and not from
 * idl/imapi2fs.idl, so a slip in the IDL shows up in idl_facts_fs.c.
 * Members: name as the type library records it, kind, DISPID (none for the
 * IUnknown-based enumerators), vtable slot. */
struct fs_fact_member { const char *name; INVOKEKIND kind; BOOL has_id; MEMBERID id; int slot; };
struct fs_fact_iface { const char *name, *iid, *base; WORD flags; const struct fs_fact_member *members; unsigned count; };
static const struct fs_fact_member fs_members_IBootOptions[] = {
    {"BootImage", INVOKE_PROPERTYGET, TRUE, 1, 7},
    {"Manufacturer", INVOKE_PROPERTYGET, TRUE, 2, 8},
    {"Manufacturer", INVOKE_PROPERTYPUT, TRUE, 2, 9},
    {"PlatformId", INVOKE_PROPERTYGET, TRUE, 3, 10},
    {"PlatformId", INVOKE_PROPERTYPUT, TRUE, 3, 11},
    {"Emulation", INVOKE_PROPERTYGET, TRUE, 4, 12},
    {"Emulation", INVOKE_PROPERTYPUT, TRUE, 4, 13},
    {"ImageSize", INVOKE_PROPERTYGET, TRUE, 5, 14},
    {"AssignBootImage", INVOKE_FUNC, TRUE, 20, 15},
};
static const struct fs_fact_member fs_members_IProgressItem[] = {
    {"Description", INVOKE_PROPERTYGET, TRUE, 1, 7},
    {"FirstBlock", INVOKE_PROPERTYGET, TRUE, 2, 8},
    {"LastBlock", INVOKE_PROPERTYGET, TRUE, 3, 9},
    {"BlockCount", INVOKE_PROPERTYGET, TRUE, 4, 10},
};
static const struct fs_fact_member fs_members_IEnumProgressItems[] = {
    {"RemoteNext", INVOKE_FUNC, FALSE, 0, 3},
    {"Skip", INVOKE_FUNC, FALSE, 0, 4},
    {"Reset", INVOKE_FUNC, FALSE, 0, 5},
    {"Clone", INVOKE_FUNC, FALSE, 0, 6},
};
static const struct fs_fact_member fs_members_IProgressItems[] = {
    {"_NewEnum", INVOKE_PROPERTYGET, TRUE, -4, 7},
    {"Item", INVOKE_PROPERTYGET, TRUE, 0, 8},
    {"Count", INVOKE_PROPERTYGET, TRUE, 1, 9},
    {"ProgressItemFromBlock", INVOKE_FUNC, TRUE, 2, 10},
    {"ProgressItemFromDescription", INVOKE_FUNC, TRUE, 3, 11},
    {"EnumProgressItems", INVOKE_PROPERTYGET, TRUE, 4, 12},
};
static const struct fs_fact_member fs_members_IFileSystemImageResult[] = {
    {"ImageStream", INVOKE_PROPERTYGET, TRUE, 1, 7},
    {"ProgressItems", INVOKE_PROPERTYGET, TRUE, 2, 8},
    {"TotalBlocks", INVOKE_PROPERTYGET, TRUE, 3, 9},
    {"BlockSize", INVOKE_PROPERTYGET, TRUE, 4, 10},
    {"DiscId", INVOKE_PROPERTYGET, TRUE, 5, 11},
};
static const struct fs_fact_member fs_members_IFileSystemImageResult2[] = {
    {"ModifiedBlocks", INVOKE_PROPERTYGET, TRUE, 6, 12},
};
static const struct fs_fact_member fs_members_IFsiItem[] = {
    {"Name", INVOKE_PROPERTYGET, TRUE, 11, 7},
    {"FullPath", INVOKE_PROPERTYGET, TRUE, 12, 8},
    {"CreationTime", INVOKE_PROPERTYGET, TRUE, 13, 9},
    {"CreationTime", INVOKE_PROPERTYPUT, TRUE, 13, 10},
    {"LastAccessedTime", INVOKE_PROPERTYGET, TRUE, 14, 11},
    {"LastAccessedTime", INVOKE_PROPERTYPUT, TRUE, 14, 12},
    {"LastModifiedTime", INVOKE_PROPERTYGET, TRUE, 15, 13},
    {"LastModifiedTime", INVOKE_PROPERTYPUT, TRUE, 15, 14},
    {"IsHidden", INVOKE_PROPERTYGET, TRUE, 16, 15},
    {"IsHidden", INVOKE_PROPERTYPUT, TRUE, 16, 16},
    {"FileSystemName", INVOKE_FUNC, TRUE, 17, 17},
    {"FileSystemPath", INVOKE_FUNC, TRUE, 18, 18},
};
static const struct fs_fact_member fs_members_IEnumFsiItems[] = {
    {"RemoteNext", INVOKE_FUNC, FALSE, 0, 3},
    {"Skip", INVOKE_FUNC, FALSE, 0, 4},
    {"Reset", INVOKE_FUNC, FALSE, 0, 5},
    {"Clone", INVOKE_FUNC, FALSE, 0, 6},
};
static const struct fs_fact_member fs_members_IFsiFileItem[] = {
    {"DataSize", INVOKE_PROPERTYGET, TRUE, 41, 19},
    {"DataSize32BitLow", INVOKE_PROPERTYGET, TRUE, 42, 20},
    {"DataSize32BitHigh", INVOKE_PROPERTYGET, TRUE, 43, 21},
    {"Data", INVOKE_PROPERTYGET, TRUE, 44, 22},
    {"Data", INVOKE_PROPERTYPUT, TRUE, 44, 23},
};
static const struct fs_fact_member fs_members_IFsiFileItem2[] = {
    {"FsiNamedStreams", INVOKE_PROPERTYGET, TRUE, 45, 24},
    {"IsNamedStream", INVOKE_PROPERTYGET, TRUE, 46, 25},
    {"AddStream", INVOKE_FUNC, TRUE, 47, 26},
    {"RemoveStream", INVOKE_FUNC, TRUE, 48, 27},
    {"IsRealTime", INVOKE_PROPERTYGET, TRUE, 49, 28},
    {"IsRealTime", INVOKE_PROPERTYPUT, TRUE, 49, 29},
};
static const struct fs_fact_member fs_members_IFsiNamedStreams[] = {
    {"_NewEnum", INVOKE_PROPERTYGET, TRUE, -4, 7},
    {"Item", INVOKE_PROPERTYGET, TRUE, 0, 8},
    {"Count", INVOKE_PROPERTYGET, TRUE, 81, 9},
    {"EnumNamedStreams", INVOKE_PROPERTYGET, TRUE, 82, 10},
};
static const struct fs_fact_member fs_members_IFsiDirectoryItem[] = {
    {"_NewEnum", INVOKE_PROPERTYGET, TRUE, -4, 19},
    {"Item", INVOKE_PROPERTYGET, TRUE, 0, 20},
    {"Count", INVOKE_PROPERTYGET, TRUE, 1, 21},
    {"EnumFsiItems", INVOKE_PROPERTYGET, TRUE, 2, 22},
    {"AddDirectory", INVOKE_FUNC, TRUE, 30, 23},
    {"AddFile", INVOKE_FUNC, TRUE, 31, 24},
    {"AddTree", INVOKE_FUNC, TRUE, 32, 25},
    {"Add", INVOKE_FUNC, TRUE, 33, 26},
    {"Remove", INVOKE_FUNC, TRUE, 34, 27},
    {"RemoveTree", INVOKE_FUNC, TRUE, 35, 28},
};
static const struct fs_fact_member fs_members_IFsiDirectoryItem2[] = {
    {"AddTreeWithNamedStreams", INVOKE_FUNC, TRUE, 36, 29},
};
static const struct fs_fact_member fs_members_IFileSystemImage[] = {
    {"Root", INVOKE_PROPERTYGET, TRUE, 0, 7},
    {"SessionStartBlock", INVOKE_PROPERTYGET, TRUE, 1, 8},
    {"SessionStartBlock", INVOKE_PROPERTYPUT, TRUE, 1, 9},
    {"FreeMediaBlocks", INVOKE_PROPERTYGET, TRUE, 2, 10},
    {"FreeMediaBlocks", INVOKE_PROPERTYPUT, TRUE, 2, 11},
    {"SetMaxMediaBlocksFromDevice", INVOKE_FUNC, TRUE, 36, 12},
    {"UsedBlocks", INVOKE_PROPERTYGET, TRUE, 3, 13},
    {"VolumeName", INVOKE_PROPERTYGET, TRUE, 4, 14},
    {"VolumeName", INVOKE_PROPERTYPUT, TRUE, 4, 15},
    {"ImportedVolumeName", INVOKE_PROPERTYGET, TRUE, 5, 16},
    {"BootImageOptions", INVOKE_PROPERTYGET, TRUE, 6, 17},
    {"BootImageOptions", INVOKE_PROPERTYPUT, TRUE, 6, 18},
    {"FileCount", INVOKE_PROPERTYGET, TRUE, 7, 19},
    {"DirectoryCount", INVOKE_PROPERTYGET, TRUE, 8, 20},
    {"WorkingDirectory", INVOKE_PROPERTYGET, TRUE, 9, 21},
    {"WorkingDirectory", INVOKE_PROPERTYPUT, TRUE, 9, 22},
    {"ChangePoint", INVOKE_PROPERTYGET, TRUE, 10, 23},
    {"StrictFileSystemCompliance", INVOKE_PROPERTYGET, TRUE, 11, 24},
    {"StrictFileSystemCompliance", INVOKE_PROPERTYPUT, TRUE, 11, 25},
    {"UseRestrictedCharacterSet", INVOKE_PROPERTYGET, TRUE, 12, 26},
    {"UseRestrictedCharacterSet", INVOKE_PROPERTYPUT, TRUE, 12, 27},
    {"FileSystemsToCreate", INVOKE_PROPERTYGET, TRUE, 13, 28},
    {"FileSystemsToCreate", INVOKE_PROPERTYPUT, TRUE, 13, 29},
    {"FileSystemsSupported", INVOKE_PROPERTYGET, TRUE, 14, 30},
    {"UDFRevision", INVOKE_PROPERTYPUT, TRUE, 37, 31},
    {"UDFRevision", INVOKE_PROPERTYGET, TRUE, 37, 32},
    {"UDFRevisionsSupported", INVOKE_PROPERTYGET, TRUE, 31, 33},
    {"ChooseImageDefaults", INVOKE_FUNC, TRUE, 32, 34},
    {"ChooseImageDefaultsForMediaType", INVOKE_FUNC, TRUE, 33, 35},
    {"ISO9660InterchangeLevel", INVOKE_PROPERTYPUT, TRUE, 34, 36},
    {"ISO9660InterchangeLevel", INVOKE_PROPERTYGET, TRUE, 34, 37},
    {"ISO9660InterchangeLevelsSupported", INVOKE_PROPERTYGET, TRUE, 38, 38},
    {"CreateResultImage", INVOKE_FUNC, TRUE, 15, 39},
    {"Exists", INVOKE_FUNC, TRUE, 16, 40},
    {"CalculateDiscIdentifier", INVOKE_FUNC, TRUE, 18, 41},
    {"IdentifyFileSystemsOnDisc", INVOKE_FUNC, TRUE, 19, 42},
    {"GetDefaultFileSystemForImport", INVOKE_FUNC, TRUE, 20, 43},
    {"ImportFileSystem", INVOKE_FUNC, TRUE, 21, 44},
    {"ImportSpecificFileSystem", INVOKE_FUNC, TRUE, 22, 45},
    {"RollbackToChangePoint", INVOKE_FUNC, TRUE, 23, 46},
    {"LockInChangePoint", INVOKE_FUNC, TRUE, 24, 47},
    {"CreateDirectoryItem", INVOKE_FUNC, TRUE, 25, 48},
    {"CreateFileItem", INVOKE_FUNC, TRUE, 26, 49},
    {"VolumeNameUDF", INVOKE_PROPERTYGET, TRUE, 27, 50},
    {"VolumeNameJoliet", INVOKE_PROPERTYGET, TRUE, 28, 51},
    {"VolumeNameISO9660", INVOKE_PROPERTYGET, TRUE, 29, 52},
    {"StageFiles", INVOKE_PROPERTYGET, TRUE, 30, 53},
    {"StageFiles", INVOKE_PROPERTYPUT, TRUE, 30, 54},
    {"MultisessionInterfaces", INVOKE_PROPERTYGET, TRUE, 40, 55},
    {"MultisessionInterfaces", INVOKE_PROPERTYPUT, TRUE, 40, 56},
};
static const struct fs_fact_member fs_members_IFileSystemImage2[] = {
    {"BootImageOptionsArray", INVOKE_PROPERTYGET, TRUE, 60, 57},
    {"BootImageOptionsArray", INVOKE_PROPERTYPUT, TRUE, 60, 58},
};
static const struct fs_fact_member fs_members_IFileSystemImage3[] = {
    {"CreateRedundantUdfMetadataFiles", INVOKE_PROPERTYGET, TRUE, 61, 59},
    {"CreateRedundantUdfMetadataFiles", INVOKE_PROPERTYPUT, TRUE, 61, 60},
    {"ProbeSpecificFileSystem", INVOKE_FUNC, TRUE, 70, 61},
};
static const struct fs_fact_member fs_members_DFileSystemImageEvents[] = {
    {"Update", INVOKE_FUNC, TRUE, 256, 7},
};
static const struct fs_fact_member fs_members_DFileSystemImageImportEvents[] = {
    {"UpdateImport", INVOKE_FUNC, TRUE, 257, 7},
};
static const struct fs_fact_member fs_members_IIsoImageManager[] = {
    {"Path", INVOKE_PROPERTYGET, TRUE, 256, 7},
    {"Stream", INVOKE_PROPERTYGET, TRUE, 257, 8},
    {"SetPath", INVOKE_FUNC, TRUE, 512, 9},
    {"SetStream", INVOKE_FUNC, TRUE, 513, 10},
    {"Validate", INVOKE_FUNC, TRUE, 514, 11},
};
static const struct fs_fact_iface fs_facts[] = {
    {"IBootOptions", "{2C941FD4-975B-59BE-A960-9A2A262853A5}", "IDispatch", 0x11C0, fs_members_IBootOptions, ARRAYSIZE(fs_members_IBootOptions)},
    {"IProgressItem", "{2C941FD5-975B-59BE-A960-9A2A262853A5}", "IDispatch", 0x11C0, fs_members_IProgressItem, ARRAYSIZE(fs_members_IProgressItem)},
    {"IEnumProgressItems", "{2C941FD6-975B-59BE-A960-9A2A262853A5}", "IUnknown", 0, fs_members_IEnumProgressItems, ARRAYSIZE(fs_members_IEnumProgressItems)},
    {"IProgressItems", "{2C941FD7-975B-59BE-A960-9A2A262853A5}", "IDispatch", 0x11C0, fs_members_IProgressItems, ARRAYSIZE(fs_members_IProgressItems)},
    {"IFileSystemImageResult", "{2C941FD8-975B-59BE-A960-9A2A262853A5}", "IDispatch", 0x1140, fs_members_IFileSystemImageResult, ARRAYSIZE(fs_members_IFileSystemImageResult)},
    {"IFileSystemImageResult2", "{B507CA29-2204-11DD-966A-001AA01BBC58}", "IFileSystemImageResult", 0x1140, fs_members_IFileSystemImageResult2, ARRAYSIZE(fs_members_IFileSystemImageResult2)},
    {"IFsiItem", "{2C941FD9-975B-59BE-A960-9A2A262853A5}", "IDispatch", 0x1140, fs_members_IFsiItem, ARRAYSIZE(fs_members_IFsiItem)},
    {"IEnumFsiItems", "{2C941FDA-975B-59BE-A960-9A2A262853A5}", "IUnknown", 0, fs_members_IEnumFsiItems, ARRAYSIZE(fs_members_IEnumFsiItems)},
    {"IFsiFileItem", "{2C941FDB-975B-59BE-A960-9A2A262853A5}", "IFsiItem", 0x1140, fs_members_IFsiFileItem, ARRAYSIZE(fs_members_IFsiFileItem)},
    {"IFsiFileItem2", "{199D0C19-11E1-40EB-8EC2-C8C822A07792}", "IFsiFileItem", 0x1140, fs_members_IFsiFileItem2, ARRAYSIZE(fs_members_IFsiFileItem2)},
    {"IFsiNamedStreams", "{ED79BA56-5294-4250-8D46-F9AECEE23459}", "IDispatch", 0x11C0, fs_members_IFsiNamedStreams, ARRAYSIZE(fs_members_IFsiNamedStreams)},
    {"IFsiDirectoryItem", "{2C941FDC-975B-59BE-A960-9A2A262853A5}", "IFsiItem", 0x1140, fs_members_IFsiDirectoryItem, ARRAYSIZE(fs_members_IFsiDirectoryItem)},
    {"IFsiDirectoryItem2", "{F7FB4B9B-6D96-4D7B-9115-201B144811EF}", "IFsiDirectoryItem", 0x1140, fs_members_IFsiDirectoryItem2, ARRAYSIZE(fs_members_IFsiDirectoryItem2)},
    {"IFileSystemImage", "{2C941FE1-975B-59BE-A960-9A2A262853A5}", "IDispatch", 0x1140, fs_members_IFileSystemImage, ARRAYSIZE(fs_members_IFileSystemImage)},
    {"IFileSystemImage2", "{D7644B2C-1537-4767-B62F-F1387B02DDFD}", "IFileSystemImage", 0x1140, fs_members_IFileSystemImage2, ARRAYSIZE(fs_members_IFileSystemImage2)},
    {"IFileSystemImage3", "{7CFF842C-7E97-4807-8304-910DD8F7C051}", "IFileSystemImage2", 0x1140, fs_members_IFileSystemImage3, ARRAYSIZE(fs_members_IFileSystemImage3)},
    {"DFileSystemImageEvents", "{2C941FDF-975B-59BE-A960-9A2A262853A5}", "IDispatch", 0x1180, fs_members_DFileSystemImageEvents, ARRAYSIZE(fs_members_DFileSystemImageEvents)},
    {"DFileSystemImageImportEvents", "{D25C30F9-4087-4366-9E24-E55BE286424B}", "IDispatch", 0x1180, fs_members_DFileSystemImageImportEvents, ARRAYSIZE(fs_members_DFileSystemImageImportEvents)},
    {"IIsoImageManager", "{6CA38BE5-FBBB-4800-95A1-A438865EB0D4}", "IDispatch", 0x1000, fs_members_IIsoImageManager, ARRAYSIZE(fs_members_IIsoImageManager)},
};
/* Coclasses (sheet B.9): name, CLSID, creatable, default interface. */
struct fs_fact_class { const char *name, *clsid; BOOL creatable; const char *default_iface; };
static const struct fs_fact_class fs_classes[] = {
    {"BootOptions", "{2C941FCE-975B-59BE-A960-9A2A262853A5}", TRUE, "IBootOptions"},
    {"FsiStream", "{2C941FCD-975B-59BE-A960-9A2A262853A5}", FALSE, "IStream"},
    {"FileSystemImageResult", "{2C941FCC-975B-59BE-A960-9A2A262853A5}", FALSE, "IFileSystemImageResult2"},
    {"ProgressItem", "{2C941FCB-975B-59BE-A960-9A2A262853A5}", FALSE, "IProgressItem"},
    {"EnumProgressItems", "{2C941FCA-975B-59BE-A960-9A2A262853A5}", FALSE, "IEnumProgressItems"},
    {"ProgressItems", "{2C941FC9-975B-59BE-A960-9A2A262853A5}", FALSE, "IProgressItems"},
    {"FsiDirectoryItem", "{2C941FC8-975B-59BE-A960-9A2A262853A5}", FALSE, "IFsiDirectoryItem2"},
    {"FsiFileItem", "{2C941FC7-975B-59BE-A960-9A2A262853A5}", FALSE, "IFsiFileItem2"},
    {"EnumFsiItems", "{2C941FC6-975B-59BE-A960-9A2A262853A5}", FALSE, "IEnumFsiItems"},
    {"FsiNamedStreams", "{C6B6F8ED-6D19-44B4-B539-B159B793A32D}", FALSE, "IFsiNamedStreams"},
    {"MsftFileSystemImage", "{2C941FC5-975B-59BE-A960-9A2A262853A5}", TRUE, "IFileSystemImage3"},
    {"MsftIsoImageManager", "{CEEE3B62-8F56-4056-869B-EF16917E3EFC}", TRUE, "IIsoImageManager"},
    {"BlockRange", "{B507CA27-2204-11DD-966A-001AA01BBC58}", FALSE, "IBlockRange"},
    {"BlockRangeList", "{B507CA28-2204-11DD-966A-001AA01BBC58}", FALSE, "IBlockRangeList"},
};
