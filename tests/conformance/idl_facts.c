/* Conformance of our type library and headers to Windows' IMAPI2 facts.
 *
 * Every expected value below is transcribed from spec/imapi2-interfaces.md,
 * not taken from idl/imapi2.idl, so a slip in the IDL (a GUID digit, a DISPID,
 * a swapped vtable slot, a wrong enum value) shows up here as a failure.
 * The same checks would pass against Windows' own imapi2.dll typelib, except
 * where a comment says otherwise.
 *
 * The typelib is the registered one (LIBID_IMAPI2 1.0), as clients find it.
 * IMAPI2_TLB=<path of a .tlb> loads that file instead, unregistered, which
 * allows checking a freshly generated typelib before any DLL exists. */
#define COBJMACROS
#include <windows.h>
#include <ole2.h>
#include <string.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "okay.h"

static const GUID stdole2_libid = {0x00020430, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};

/* Windows' IMAPI2 GUIDs mostly share one tail; the 2nd group varies. */
#define IMAPI_GUID(d1, d2) {d1, d2, 0x5B0F, {0x8F, 0x00, 0x5D, 0x77, 0xAF, 0xBE, 0x26, 0x1E}}
#define RAWIMG_GUID(d1) {d1, 0x9D65, 0x49CE, {0xB3, 0x35, 0x40, 0x63, 0x0D, 0x90, 0x12, 0x27}}
#define B507_GUID(d1) {d1, 0x2204, 0x11DD, {0x96, 0x6A, 0x00, 0x1A, 0xA0, 0x1B, 0xBC, 0x58}}

static const char *guid_str(const GUID *g)
{
    static char buf[4][40];
    static int n;
    char *s = buf[n++ & 3];
    snprintf(s, 40, "{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", (unsigned long)g->Data1, g->Data2,
             g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6],
             g->Data4[7]);
    return s;
}

static WCHAR *wide(const char *s)
{
    static WCHAR buf[4][128];
    static int n;
    WCHAR *w = buf[n++ & 3];
    MultiByteToWideChar(CP_ACP, 0, s, -1, w, 128);
    return w;
}

static const char *narrow(const WCHAR *w)
{
    static char buf[4][256];
    static int n;
    char *s = buf[n++ & 3];
    if (!w)
        return "(null)";
    WideCharToMultiByte(CP_ACP, 0, w, -1, s, 256, NULL, NULL);
    return s;
}

/* ------------------------------------------------------------ the facts */

enum { M = INVOKE_FUNC, G = INVOKE_PROPERTYGET, P = INVOKE_PROPERTYPUT };

struct member_fact {
    const char *name;
    int kind;
    DISPID id; /* ignored for interfaces that are not dispatchable */
};

enum iface_style {
    DUAL_NONEXT,  /* dual, nonextensible, oleautomation */
    DUAL_EXT,     /* dual, oleautomation */
    SINK,         /* IDispatch-derived, nonextensible, oleautomation, not dual */
    PLAIN,        /* IUnknown/IStream-derived, no automation */
};

struct iface_fact {
    const char *name;
    const IID *symbol;
    GUID iid;
    const char *base;
    unsigned first_slot; /* vtable index of the first own member */
    enum iface_style style;
    const struct member_fact *members; /* in vtable order, NULL-terminated */
    const char *const *absent;         /* names the interface must not have */
    const char *helpstring;            /* NULL: not checked */
};

static const struct member_fact disc_master2[] = {
    {"_NewEnum", G, -4}, {"Item", G, 0}, {"Count", G, 1}, {"IsSupportedEnvironment", G, 2}, {NULL, 0, 0}};

static const struct member_fact disc_master2_events[] = {
    {"NotifyDeviceAdded", M, 0x100}, {"NotifyDeviceRemoved", M, 0x101}, {NULL, 0, 0}};

static const struct member_fact disc_recorder2[] = {
    {"EjectMedia", M, 0x100},
    {"CloseTray", M, 0x101},
    {"AcquireExclusiveAccess", M, 0x102},
    {"ReleaseExclusiveAccess", M, 0x103},
    {"DisableMcn", M, 0x104},
    {"EnableMcn", M, 0x105},
    {"InitializeDiscRecorder", M, 0x106},
    {"ActiveDiscRecorder", G, 0},
    {"VendorId", G, 0x201},
    {"ProductId", G, 0x202},
    {"ProductRevision", G, 0x203},
    {"VolumeName", G, 0x204},
    {"VolumePathNames", G, 0x205},
    {"DeviceCanLoadMedia", G, 0x206},
    {"LegacyDeviceNumber", G, 0x207},
    {"SupportedFeaturePages", G, 0x208},
    {"CurrentFeaturePages", G, 0x209},
    {"SupportedProfiles", G, 0x20A},
    {"CurrentProfiles", G, 0x20B},
    {"SupportedModePages", G, 0x20C},
    {"ExclusiveAccessOwner", G, 0x20D},
    {NULL, 0, 0}};

static const struct member_fact disc_recorder2_ex[] = {
    {"SendCommandNoData", M, 0},
    {"SendCommandSendDataToDevice", M, 0},
    {"SendCommandGetDataFromDevice", M, 0},
    {"ReadDvdStructure", M, 0},
    {"SendDvdStructure", M, 0},
    {"GetAdapterDescriptor", M, 0},
    {"GetDeviceDescriptor", M, 0},
    {"GetDiscInformation", M, 0},
    {"GetTrackInformation", M, 0},
    {"GetFeaturePage", M, 0},
    {"GetModePage", M, 0},
    {"SetModePage", M, 0},
    {"GetSupportedFeaturePages", M, 0},
    {"GetSupportedProfiles", M, 0},
    {"GetSupportedModePages", M, 0},
    {"GetByteAlignmentMask", M, 0},
    {"GetMaximumNonPageAlignedTransferSize", M, 0},
    {"GetMaximumPageAlignedTransferSize", M, 0},
    {NULL, 0, 0}};

static const struct member_fact write_speed_descriptor[] = {
    {"MediaType", G, 0x101}, {"RotationTypeIsPureCAV", G, 0x102}, {"WriteSpeed", G, 0x103}, {NULL, 0, 0}};

static const struct member_fact write_engine2_event_args[] = {
    {"StartLba", G, 0x100},          {"SectorCount", G, 0x101},      {"LastReadLba", G, 0x102},
    {"LastWrittenLba", G, 0x103},    {"TotalSystemBuffer", G, 0x106}, {"UsedSystemBuffer", G, 0x107},
    {"FreeSystemBuffer", G, 0x108},  {NULL, 0, 0}};
static const char *const write_engine2_event_args_absent[] = {"TotalDeviceBuffer", "UsedDeviceBuffer", NULL};

static const struct member_fact disc_format2[] = {
    {"IsRecorderSupported", M, 0x800},   {"IsCurrentMediaSupported", M, 0x801}, {"MediaPhysicallyBlank", G, 0x700},
    {"MediaHeuristicallyBlank", G, 0x701}, {"SupportedMediaTypes", G, 0x702},   {NULL, 0, 0}};

static const struct member_fact disc_format2_raw_cd[] = {
    {"PrepareMedia", M, 0x200},
    {"WriteMedia", M, 0x201},
    {"WriteMedia2", M, 0x202},
    {"CancelWrite", M, 0x203},
    {"ReleaseMedia", M, 0x204},
    {"SetWriteSpeed", M, 0x205},
    {"Recorder", P, 0x100},
    {"Recorder", G, 0x100},
    {"BufferUnderrunFreeDisabled", P, 0x102},
    {"BufferUnderrunFreeDisabled", G, 0x102},
    {"StartOfNextSession", G, 0x103},
    {"LastPossibleStartOfLeadout", G, 0x104},
    {"CurrentPhysicalMediaType", G, 0x105},
    {"SupportedSectorTypes", G, 0x108},
    {"RequestedSectorType", P, 0x109},
    {"RequestedSectorType", G, 0x109},
    {"ClientName", P, 0x10A},
    {"ClientName", G, 0x10A},
    {"RequestedWriteSpeed", G, 0x10B},
    {"RequestedRotationTypeIsPureCAV", G, 0x10C},
    {"CurrentWriteSpeed", G, 0x10D},
    {"CurrentRotationTypeIsPureCAV", G, 0x10E},
    {"SupportedWriteSpeeds", G, 0x10F},
    {"SupportedWriteSpeedDescriptors", G, 0x110},
    {NULL, 0, 0}};

static const struct member_fact disc_format2_raw_cd_events[] = {{"Update", M, 0x200}, {NULL, 0, 0}};

static const struct member_fact disc_format2_raw_cd_event_args[] = {
    {"CurrentAction", G, 0x301}, {"ElapsedTime", G, 0x302}, {"RemainingTime", G, 0x303}, {NULL, 0, 0}};
/* Only the track-at-once event args have a track number. */
static const char *const disc_format2_raw_cd_event_args_absent[] = {"CurrentTrackNumber", NULL};

static const struct member_fact disc_format2_erase[] = {
    {"Recorder", P, 0x100},   {"Recorder", G, 0x100},   {"FullErase", P, 0x101},
    {"FullErase", G, 0x101},  {"CurrentPhysicalMediaType", G, 0x102},
    {"ClientName", P, 0x103}, {"ClientName", G, 0x103}, {"EraseMedia", M, 0x201},
    {NULL, 0, 0}};

static const struct member_fact disc_format2_erase_events[] = {{"Update", M, 0x200}, {NULL, 0, 0}};

static const struct member_fact raw_cd_image_creator[] = {
    {"CreateResultImage", M, 0x200},
    {"AddTrack", M, 0x201},
    {"AddSpecialPregap", M, 0x202},
    {"AddSubcodeRWGenerator", M, 0x203},
    {"ResultingImageType", P, 0x100},
    {"ResultingImageType", G, 0x100},
    {"StartOfLeadout", G, 0x101},
    {"StartOfLeadoutLimit", P, 0x102},
    {"StartOfLeadoutLimit", G, 0x102},
    {"DisableGaplessAudio", P, 0x103},
    {"DisableGaplessAudio", G, 0x103},
    {"MediaCatalogNumber", P, 0x104},
    {"MediaCatalogNumber", G, 0x104},
    {"StartingTrackNumber", P, 0x105},
    {"StartingTrackNumber", G, 0x105},
    {"TrackInfo", G, 0x106},
    {"NumberOfExistingTracks", G, 0x107},
    {"LastUsedUserSectorInImage", G, 0x108},
    {"ExpectedTableOfContents", G, 0x109},
    {NULL, 0, 0}};

/* Getter before putter here, the reverse of IRawCDImageCreator. */
static const struct member_fact raw_cd_image_track_info[] = {
    {"StartingLba", G, 0x100},
    {"SectorCount", G, 0x101},
    {"TrackNumber", G, 0x102},
    {"SectorType", G, 0x103},
    {"ISRC", G, 0x104},
    {"ISRC", P, 0x104},
    {"DigitalAudioCopySetting", G, 0x105},
    {"DigitalAudioCopySetting", P, 0x105},
    {"AudioHasPreemphasis", G, 0x106},
    {"AudioHasPreemphasis", P, 0x106},
    {"TrackIndexes", G, 0x107},
    {"AddTrackIndex", M, 0x200},
    {"ClearTrackIndex", M, 0x201},
    {NULL, 0, 0}};
static const char *const raw_cd_image_track_info_absent[] = {"DigitalAudioCopyAllowed", "ClearSubcode", NULL};

/* imapi2-data-tao-fs.md A.4-A.6, A.9 (DISPIDs in vtable order). */
static const struct member_fact disc_format2_tao[] = {
    {"PrepareMedia", M, 0x200},
    {"AddAudioTrack", M, 0x201},
    {"CancelAddTrack", M, 0x202},
    {"ReleaseMedia", M, 0x203},
    {"SetWriteSpeed", M, 0x204},
    {"Recorder", P, 0x100},
    {"Recorder", G, 0x100},
    {"BufferUnderrunFreeDisabled", P, 0x102},
    {"BufferUnderrunFreeDisabled", G, 0x102},
    {"NumberOfExistingTracks", G, 0x103},
    {"TotalSectorsOnMedia", G, 0x104},
    {"FreeSectorsOnMedia", G, 0x105},
    {"UsedSectorsOnMedia", G, 0x106},
    {"DoNotFinalizeMedia", P, 0x107},
    {"DoNotFinalizeMedia", G, 0x107},
    {"ExpectedTableOfContents", G, 0x10A},
    {"CurrentPhysicalMediaType", G, 0x10B},
    {"ClientName", P, 0x10E},
    {"ClientName", G, 0x10E},
    {"RequestedWriteSpeed", G, 0x10F},
    {"RequestedRotationTypeIsPureCAV", G, 0x110},
    {"CurrentWriteSpeed", G, 0x111},
    {"CurrentRotationTypeIsPureCAV", G, 0x112},
    {"SupportedWriteSpeeds", G, 0x113},
    {"SupportedWriteSpeedDescriptors", G, 0x114},
    {NULL, 0, 0}};
/* FinishMedia is only the SDK's DISPID constant name for ReleaseMedia. */
static const char *const disc_format2_tao_absent[] = {"FinishMedia", "RequestedSectorType", NULL};

static const struct member_fact disc_format2_tao_events[] = {{"Update", M, 0x200}, {NULL, 0, 0}};

static const struct member_fact disc_format2_tao_event_args[] = {
    {"CurrentTrackNumber", G, 0x300}, {"CurrentAction", G, 0x301}, {"ElapsedTime", G, 0x302},
    {"RemainingTime", G, 0x303}, {NULL, 0, 0}};
/* 0x304 (ESTIMATEDTOTALTIME) is a constant no property uses. */
static const char *const disc_format2_tao_event_args_absent[] = {"EstimatedTotalTime", "TotalTime", NULL};

/* imapi2-data-tao-fs.md A.1-A.3 (DISPIDs in vtable order). */
static const struct member_fact disc_format2_data[] = {
    {"Recorder", P, 0x100},
    {"Recorder", G, 0x100},
    {"BufferUnderrunFreeDisabled", P, 0x101},
    {"BufferUnderrunFreeDisabled", G, 0x101},
    {"PostgapAlreadyInImage", P, 0x104},
    {"PostgapAlreadyInImage", G, 0x104},
    {"CurrentMediaStatus", G, 0x106},
    {"WriteProtectStatus", G, 0x107},
    {"TotalSectorsOnMedia", G, 0x108},
    {"FreeSectorsOnMedia", G, 0x109},
    {"NextWritableAddress", G, 0x10A},
    {"StartAddressOfPreviousSession", G, 0x10B},
    {"LastWrittenAddressOfPreviousSession", G, 0x10C},
    {"ForceMediaToBeClosed", P, 0x10D},
    {"ForceMediaToBeClosed", G, 0x10D},
    {"DisableConsumerDvdCompatibilityMode", P, 0x10E},
    {"DisableConsumerDvdCompatibilityMode", G, 0x10E},
    {"CurrentPhysicalMediaType", G, 0x10F},
    {"ClientName", P, 0x110},
    {"ClientName", G, 0x110},
    {"RequestedWriteSpeed", G, 0x111},
    {"RequestedRotationTypeIsPureCAV", G, 0x112},
    {"CurrentWriteSpeed", G, 0x113},
    {"CurrentRotationTypeIsPureCAV", G, 0x114},
    {"SupportedWriteSpeeds", G, 0x115},
    {"SupportedWriteSpeedDescriptors", G, 0x116},
    {"ForceOverwrite", P, 0x117},
    {"ForceOverwrite", G, 0x117},
    {"MultisessionInterfaces", G, 0x118},
    {"Write", M, 0x200},
    {"CancelWrite", M, 0x201},
    {"SetWriteSpeed", M, 0x202},
    {NULL, 0, 0}};
/* MutlisessionInterfaces is only the SDK's (misspelt) DISPID constant name. */
static const char *const disc_format2_data_absent[] = {"MutlisessionInterfaces", "PrepareMedia", NULL};

static const struct member_fact disc_format2_data_events[] = {{"Update", M, 0x200}, {NULL, 0, 0}};

static const struct member_fact disc_format2_data_event_args[] = {
    {"ElapsedTime", G, 0x300}, {"RemainingTime", G, 0x301}, {"TotalTime", G, 0x302}, {"CurrentAction", G, 0x303},
    {NULL, 0, 0}};

/* imapi2-data-tao-fs.md A.10.1-A.10.3. */
static const struct member_fact multisession[] = {
    {"IsSupportedOnCurrentMediaState", G, 0x100}, {"InUse", P, 0x101}, {"InUse", G, 0x101},
    {"ImportRecorder", G, 0x102}, {NULL, 0, 0}};
static const struct member_fact multisession_sequential[] = {
    {"IsFirstDataSession", G, 0x200}, {"StartAddressOfPreviousSession", G, 0x201},
    {"LastWrittenAddressOfPreviousSession", G, 0x202}, {"NextWritableAddress", G, 0x203},
    {"FreeSectorsOnMedia", G, 0x204}, {NULL, 0, 0}};
static const struct member_fact multisession_sequential2[] = {{"WriteUnitSize", G, 0x205}, {NULL, 0, 0}};

static const struct member_fact burn_verification[] = {
    {"BurnVerificationLevel", P, 0x400}, {"BurnVerificationLevel", G, 0x400}, {NULL, 0, 0}};

static const struct member_fact block_range[] = {{"StartLba", G, 0x100}, {"EndLba", G, 0x101}, {NULL, 0, 0}};
static const struct member_fact block_range_list[] = {{"BlockRanges", G, 0x100}, {NULL, 0, 0}};

static const struct member_fact stream_prng[] = {
    {"Seed", P, 0}, {"Seed", G, 0}, {"put_ExtendedSeed", M, 0}, {"get_ExtendedSeed", M, 0}, {NULL, 0, 0}};
static const struct member_fact stream_concatenate[] = {
    {"Initialize", M, 0}, {"Initialize2", M, 0}, {"Append", M, 0}, {"Append2", M, 0}, {NULL, 0, 0}};
static const struct member_fact stream_interleave[] = {{"Initialize", M, 0}, {NULL, 0, 0}};

static const struct iface_fact ifaces[] = {
    {"IDiscMaster2", &IID_IDiscMaster2, IMAPI_GUID(0x27354130, 0x7F64), "IDispatch", 7, DUAL_NONEXT, disc_master2,
     NULL, NULL},
    {"DDiscMaster2Events", &IID_DDiscMaster2Events, IMAPI_GUID(0x27354131, 0x7F64), "IDispatch", 7, SINK,
     disc_master2_events, NULL, NULL},
    {"IDiscRecorder2", &IID_IDiscRecorder2, IMAPI_GUID(0x27354133, 0x7F64), "IDispatch", 7, DUAL_NONEXT,
     disc_recorder2, NULL,
     "Represents a single CD/DVD type device, and enables many common operations via a simplified API."},
    {"IDiscRecorder2Ex", &IID_IDiscRecorder2Ex, IMAPI_GUID(0x27354132, 0x7F64), "IUnknown", 3, PLAIN,
     disc_recorder2_ex, NULL, NULL},
    {"IWriteSpeedDescriptor", &IID_IWriteSpeedDescriptor, IMAPI_GUID(0x27354144, 0x7F64), "IDispatch", 7, DUAL_EXT,
     write_speed_descriptor, NULL, NULL},
    {"IWriteEngine2EventArgs", &IID_IWriteEngine2EventArgs, IMAPI_GUID(0x27354136, 0x7F64), "IDispatch", 7,
     DUAL_NONEXT, write_engine2_event_args, write_engine2_event_args_absent, "CD Write Engine"},
    {"IDiscFormat2", &IID_IDiscFormat2, IMAPI_GUID(0x27354152, 0x8F64), "IDispatch", 7, DUAL_NONEXT, disc_format2,
     NULL, "Common Disc Format (writer) Operations"},
    {"IDiscFormat2RawCD", &IID_IDiscFormat2RawCD, IMAPI_GUID(0x27354155, 0x8F64), "IDiscFormat2", 12, DUAL_NONEXT,
     disc_format2_raw_cd, NULL, "CD Disc-At-Once RAW Writer"},
    {"DDiscFormat2RawCDEvents", &IID_DDiscFormat2RawCDEvents, IMAPI_GUID(0x27354142, 0x7F64), "IDispatch", 7, SINK,
     disc_format2_raw_cd_events, NULL, "CD Disc-At-Once RAW Writer Events"},
    {"IDiscFormat2RawCDEventArgs", &IID_IDiscFormat2RawCDEventArgs, IMAPI_GUID(0x27354143, 0x7F64),
     "IWriteEngine2EventArgs", 14, DUAL_NONEXT, disc_format2_raw_cd_event_args,
     disc_format2_raw_cd_event_args_absent, "CD Disc-At-Once RAW Writer Event Arguments"},
    {"IDiscFormat2TrackAtOnce", &IID_IDiscFormat2TrackAtOnce, IMAPI_GUID(0x27354154, 0x8F64), "IDiscFormat2", 12,
     DUAL_NONEXT, disc_format2_tao, disc_format2_tao_absent, "CD Track-at-Once Audio Writer"},
    {"DDiscFormat2TrackAtOnceEvents", &IID_DDiscFormat2TrackAtOnceEvents, IMAPI_GUID(0x2735413F, 0x7F64), "IDispatch",
     7, SINK, disc_format2_tao_events, NULL, "CD Track-at-Once Audio Writer Events"},
    {"IDiscFormat2TrackAtOnceEventArgs", &IID_IDiscFormat2TrackAtOnceEventArgs, IMAPI_GUID(0x27354140, 0x7F64),
     "IWriteEngine2EventArgs", 14, DUAL_NONEXT, disc_format2_tao_event_args, disc_format2_tao_event_args_absent,
     "CD Track-at-once Audio Writer Event Arguments"},
    {"IDiscFormat2Data", &IID_IDiscFormat2Data, IMAPI_GUID(0x27354153, 0x9F64), "IDiscFormat2", 12, DUAL_NONEXT,
     disc_format2_data, disc_format2_data_absent, "Data Writer"},
    {"DDiscFormat2DataEvents", &IID_DDiscFormat2DataEvents, IMAPI_GUID(0x2735413C, 0x7F64), "IDispatch", 7, SINK,
     disc_format2_data_events, NULL, "Data Writer"},
    {"IDiscFormat2DataEventArgs", &IID_IDiscFormat2DataEventArgs, IMAPI_GUID(0x2735413D, 0x7F64),
     "IWriteEngine2EventArgs", 14, DUAL_NONEXT, disc_format2_data_event_args, NULL, "Track-at-once Data Writer"},
    {"IMultisession", &IID_IMultisession, IMAPI_GUID(0x27354150, 0x7F64), "IDispatch", 7, DUAL_EXT, multisession,
     NULL, "Generic multisession support interface."},
    {"IMultisessionSequential", &IID_IMultisessionSequential, IMAPI_GUID(0x27354151, 0x7F64), "IMultisession", 11,
     DUAL_EXT, multisession_sequential, NULL, "Sequential multisession support interface"},
    {"IMultisessionSequential2", &IID_IMultisessionSequential2, B507_GUID(0xB507CA22), "IMultisessionSequential", 16,
     DUAL_EXT, multisession_sequential2, NULL, "Sequential multisession support interface (rev.2)"},
    {"IBurnVerification", &IID_IBurnVerification,
     {0xD2FFD834, 0x958B, 0x426D, {0x84, 0x70, 0x2A, 0x13, 0x87, 0x9C, 0x6A, 0x91}}, "IUnknown", 3, PLAIN,
     burn_verification, NULL, "An interface to control burn verification for a burning object"},
    {"IDiscFormat2Erase", &IID_IDiscFormat2Erase, IMAPI_GUID(0x27354156, 0x8F64), "IDiscFormat2", 12, DUAL_NONEXT,
     disc_format2_erase, NULL, "Optical media erase"},
    {"DDiscFormat2EraseEvents", &IID_DDiscFormat2EraseEvents, IMAPI_GUID(0x2735413A, 0x7F64), "IDispatch", 7, SINK,
     disc_format2_erase_events, NULL, NULL},
    {"IRawCDImageCreator", &IID_IRawCDImageCreator, RAWIMG_GUID(0x25983550), "IDispatch", 7, DUAL_NONEXT,
     raw_cd_image_creator, NULL, "CD Raw CD (Disc-at-Once) Image Creator"},
    {"IRawCDImageTrackInfo", &IID_IRawCDImageTrackInfo, RAWIMG_GUID(0x25983551), "IDispatch", 7, DUAL_NONEXT,
     raw_cd_image_track_info, raw_cd_image_track_info_absent, "CD Raw CD (Disc-at-Once) Per-Track Information"},
    {"IBlockRange", &IID_IBlockRange, B507_GUID(0xB507CA25), "IDispatch", 7, DUAL_EXT, block_range, NULL, NULL},
    {"IBlockRangeList", &IID_IBlockRangeList, B507_GUID(0xB507CA26), "IDispatch", 7, DUAL_EXT, block_range_list,
     NULL, NULL},
    {"IStreamPseudoRandomBased", &IID_IStreamPseudoRandomBased, IMAPI_GUID(0x27354145, 0x7F64), "IStream", 14, PLAIN,
     stream_prng, NULL, NULL},
    {"IStreamConcatenate", &IID_IStreamConcatenate, IMAPI_GUID(0x27354146, 0x7F64), "IStream", 14, PLAIN,
     stream_concatenate, NULL, NULL},
    {"IStreamInterleave", &IID_IStreamInterleave, IMAPI_GUID(0x27354147, 0x7F64), "IStream", 14, PLAIN,
     stream_interleave, NULL, NULL},
};

/* Parameter names late-bound callers pass as named arguments, and script
 * hosts use to call sinks. */
struct param_fact {
    const char *iface, *member, *param;
    int index;
};
static const struct param_fact params[] = {
    {"IDiscFormat2RawCD", "WriteMedia2", "data", 0},
    {"IDiscFormat2RawCD", "WriteMedia2", "streamLeadInSectors", 1},
    {"IDiscFormat2RawCD", "SetWriteSpeed", "RequestedSectorsPerSecond", 0},
    {"IDiscFormat2RawCD", "SetWriteSpeed", "RotationTypeIsPureCAV", 1},
    {"DDiscFormat2RawCDEvents", "Update", "object", 0},
    {"DDiscFormat2RawCDEvents", "Update", "progress", 1},
    {"IDiscFormat2Data", "Write", "data", 0},
    {"IDiscFormat2Data", "SetWriteSpeed", "RequestedSectorsPerSecond", 0},
    {"IDiscFormat2Data", "SetWriteSpeed", "RotationTypeIsPureCAV", 1},
    {"DDiscFormat2DataEvents", "Update", "object", 0},
    {"DDiscFormat2DataEvents", "Update", "progress", 1},
    {"IDiscFormat2TrackAtOnce", "AddAudioTrack", "data", 0},
    {"IDiscFormat2TrackAtOnce", "SetWriteSpeed", "RequestedSectorsPerSecond", 0},
    {"IDiscFormat2TrackAtOnce", "SetWriteSpeed", "RotationTypeIsPureCAV", 1},
    {"DDiscFormat2TrackAtOnceEvents", "Update", "object", 0},
    {"DDiscFormat2TrackAtOnceEvents", "Update", "progress", 1},
    {"DDiscFormat2EraseEvents", "Update", "object", 0},
    {"DDiscFormat2EraseEvents", "Update", "elapsedSeconds", 1},
    {"DDiscFormat2EraseEvents", "Update", "estimatedTotalSeconds", 2},
    {"DDiscMaster2Events", "NotifyDeviceAdded", "uniqueId", 1},
    {"IDiscRecorder2", "AcquireExclusiveAccess", "force", 0},
    {"IDiscRecorder2", "InitializeDiscRecorder", "recorderUniqueId", 0},
    {"IRawCDImageCreator", "AddTrack", "dataType", 0},
    {"IRawCDImageCreator", "AddTrack", "data", 1},
    {"IRawCDImageTrackInfo", "AddTrackIndex", "lbaOffset", 0},
};

/* Properties whose value is a SAFEARRAY of VARIANT (the automation-friendly
 * array every IMAPI2 collection uses). */
struct safearray_fact {
    const char *iface, *member;
};
static const struct safearray_fact safearrays[] = {
    {"IDiscFormat2", "SupportedMediaTypes"},
    {"IDiscFormat2RawCD", "SupportedSectorTypes"},
    {"IDiscFormat2RawCD", "SupportedWriteSpeeds"},
    {"IDiscFormat2RawCD", "SupportedWriteSpeedDescriptors"},
    {"IDiscFormat2Data", "SupportedWriteSpeeds"},
    {"IDiscFormat2Data", "SupportedWriteSpeedDescriptors"},
    {"IDiscFormat2Data", "MultisessionInterfaces"},
    {"IDiscFormat2TrackAtOnce", "ExpectedTableOfContents"},
    {"IDiscFormat2TrackAtOnce", "SupportedWriteSpeeds"},
    {"IDiscFormat2TrackAtOnce", "SupportedWriteSpeedDescriptors"},
    {"IDiscRecorder2", "VolumePathNames"},
    {"IDiscRecorder2", "SupportedFeaturePages"},
    {"IDiscRecorder2", "CurrentFeaturePages"},
    {"IDiscRecorder2", "SupportedProfiles"},
    {"IDiscRecorder2", "CurrentProfiles"},
    {"IDiscRecorder2", "SupportedModePages"},
    {"IRawCDImageCreator", "ExpectedTableOfContents"},
    {"IRawCDImageTrackInfo", "TrackIndexes"},
    {"IBlockRangeList", "BlockRanges"},
};

struct impl_fact {
    const char *name;
    int flags;
};
struct coclass_fact {
    const char *name;
    const CLSID *symbol;
    GUID clsid;
    BOOL creatable;
    const char *helpstring;
    struct impl_fact impls[5]; /* NULL-terminated when fewer */
};

#define DEF IMPLTYPEFLAG_FDEFAULT
#define SRC (IMPLTYPEFLAG_FDEFAULT | IMPLTYPEFLAG_FSOURCE)
static const struct coclass_fact coclasses[] = {
    {"MsftDiscMaster2", &CLSID_MsftDiscMaster2, IMAPI_GUID(0x2735412E, 0x7F64), TRUE, "Microsoft IMAPIv2 Disc Master",
     {{"IDiscMaster2", DEF}, {"IConnectionPointContainer", 0}, {"DDiscMaster2Events", SRC}, {NULL, 0}}},
    {"MsftDiscRecorder2", &CLSID_MsftDiscRecorder2, IMAPI_GUID(0x2735412D, 0x7F64), TRUE,
     "Microsoft IMAPIv2 Disc Recorder", {{"IDiscRecorder2", DEF}, {"IDiscRecorder2Ex", 0}, {NULL, 0}}},
    {"MsftDiscFormat2Erase", &CLSID_MsftDiscFormat2Erase, IMAPI_GUID(0x2735412B, 0x7F64), TRUE,
     "Microsoft IMAPIv2 Media Erase/Blank",
     {{"IDiscFormat2Erase", DEF}, {"IConnectionPointContainer", 0}, {"DDiscFormat2EraseEvents", SRC}, {NULL, 0}}},
    {"MsftDiscFormat2RawCD", &CLSID_MsftDiscFormat2RawCD, IMAPI_GUID(0x27354128, 0x7F64), TRUE,
     "Microsoft IMAPIv2 Disc-at-Once RAW CD Image Writer",
     {{"IDiscFormat2RawCD", DEF}, {"IConnectionPointContainer", 0}, {"DDiscFormat2RawCDEvents", SRC}, {NULL, 0}}},
    {"MsftDiscFormat2TrackAtOnce", &CLSID_MsftDiscFormat2TrackAtOnce, IMAPI_GUID(0x27354129, 0x7F64), TRUE,
     "Microsoft IMAPIv2 Track-at-Once Audio CD Writer",
     {{"IDiscFormat2TrackAtOnce", DEF}, {"IBurnVerification", 0}, {"IConnectionPointContainer", 0},
      {"DDiscFormat2TrackAtOnceEvents", SRC}}},
    {"MsftDiscFormat2Data", &CLSID_MsftDiscFormat2Data, IMAPI_GUID(0x2735412A, 0x7F64), TRUE,
     "Microsoft IMAPIv2 Data Writer",
     {{"IDiscFormat2Data", DEF}, {"IBurnVerification", 0}, {"IConnectionPointContainer", 0},
      {"DDiscFormat2DataEvents", SRC}}},
    {"MsftStreamZero", &CLSID_MsftStreamZero, IMAPI_GUID(0x27354127, 0x7F64), TRUE,
     "Microsoft IMAPIv2 /dev/zero Stream ", {{"IStream", DEF}, {NULL, 0}}},
    {"MsftStreamPrng001", &CLSID_MsftStreamPrng001, IMAPI_GUID(0x27354126, 0x7F64), TRUE,
     "Microsoft IMAPIv2 PRNG based Stream (LCG: 0x19660D, 0x3C6EF35F)", {{"IStreamPseudoRandomBased", DEF}, {NULL, 0}}},
    {"MsftStreamConcatenate", &CLSID_MsftStreamConcatenate, IMAPI_GUID(0x27354125, 0x7F64), TRUE,
     "Microsoft IMAPIv2 concatenation stream", {{"IStreamConcatenate", DEF}, {NULL, 0}}},
    {"MsftStreamInterleave", &CLSID_MsftStreamInterleave, IMAPI_GUID(0x27354124, 0x7F64), TRUE,
     "Microsoft IMAPIv2 interleave stream", {{"IStreamInterleave", DEF}, {NULL, 0}}},
    {"MsftMultisessionSequential", &CLSID_MsftMultisessionSequential, IMAPI_GUID(0x27354122, 0x7F64), FALSE,
     "Microsoft IMAPIv2 sequential Multi-session",
     {{"IMultisessionSequential2", DEF}, {"IMultisessionSequential", 0}, {NULL, 0}}},
    {"MsftWriteSpeedDescriptor", &CLSID_MsftWriteSpeedDescriptor, IMAPI_GUID(0x27354123, 0x7F64), FALSE,
     "Microsoft IMAPIv2 Write Speed Descriptor", {{"IWriteSpeedDescriptor", DEF}, {NULL, 0}}},
    {"MsftRawCDImageCreator", &CLSID_MsftRawCDImageCreator, RAWIMG_GUID(0x25983561), TRUE,
     "Microsoft IMAPIv2 RAW CD Image Creator", {{"IRawCDImageCreator", DEF}, {NULL, 0}}},
};

struct enum_value {
    const char *name;
    LONG value;
};
struct enum_fact {
    const char *name;
    BOOL complete; /* the list is every member, not a sample */
    const struct enum_value *values;
};

static const struct enum_value media_physical_type[] = {
    {"IMAPI_MEDIA_TYPE_UNKNOWN", 0},
    {"IMAPI_MEDIA_TYPE_CDROM", 1},
    {"IMAPI_MEDIA_TYPE_CDR", 2},
    {"IMAPI_MEDIA_TYPE_CDRW", 3},
    {"IMAPI_MEDIA_TYPE_DVDROM", 4},
    {"IMAPI_MEDIA_TYPE_DVDRAM", 5},
    {"IMAPI_MEDIA_TYPE_DVDPLUSR", 6},
    {"IMAPI_MEDIA_TYPE_DVDPLUSRW", 7},
    {"IMAPI_MEDIA_TYPE_DVDPLUSR_DUALLAYER", 8},
    {"IMAPI_MEDIA_TYPE_DVDDASHR", 9},
    {"IMAPI_MEDIA_TYPE_DVDDASHRW", 10},
    {"IMAPI_MEDIA_TYPE_DVDDASHR_DUALLAYER", 11},
    {"IMAPI_MEDIA_TYPE_DISK", 12},
    {"IMAPI_MEDIA_TYPE_DVDPLUSRW_DUALLAYER", 13},
    {"IMAPI_MEDIA_TYPE_HDDVDROM", 14},
    {"IMAPI_MEDIA_TYPE_HDDVDR", 15},
    {"IMAPI_MEDIA_TYPE_HDDVDRAM", 16},
    {"IMAPI_MEDIA_TYPE_BDROM", 17},
    {"IMAPI_MEDIA_TYPE_BDR", 18},
    {"IMAPI_MEDIA_TYPE_BDRE", 19},
    {"IMAPI_MEDIA_TYPE_MAX", 19},
    {NULL, 0}};

static const struct enum_value media_write_protect_state[] = {
    {"IMAPI_WRITEPROTECTED_UNTIL_POWERDOWN", 0x1},
    {"IMAPI_WRITEPROTECTED_BY_CARTRIDGE", 0x2},
    {"IMAPI_WRITEPROTECTED_BY_MEDIA_SPECIFIC_REASON", 0x4},
    {"IMAPI_WRITEPROTECTED_BY_SOFTWARE_WRITE_PROTECT", 0x8},
    {"IMAPI_WRITEPROTECTED_BY_DISC_CONTROL_BLOCK", 0x10},
    {"IMAPI_WRITEPROTECTED_READ_ONLY_MEDIA", 0x4000},
    {NULL, 0}};

static const struct enum_value profile_type_sample[] = {
    {"IMAPI_PROFILE_TYPE_INVALID", 0x0000},
    {"IMAPI_PROFILE_TYPE_NON_REMOVABLE_DISK", 0x0001},
    {"IMAPI_PROFILE_TYPE_AS_MO", 0x0005},
    {"IMAPI_PROFILE_TYPE_CDROM", 0x0008},
    {"IMAPI_PROFILE_TYPE_CD_RECORDABLE", 0x0009},
    {"IMAPI_PROFILE_TYPE_CD_REWRITABLE", 0x000A},
    {"IMAPI_PROFILE_TYPE_DVDROM", 0x0010},
    {"IMAPI_PROFILE_TYPE_DVD_DASH_R_DUAL_LAYER_JUMP", 0x0016},
    {"IMAPI_PROFILE_TYPE_DVD_PLUS_RW", 0x001A},
    {"IMAPI_PROFILE_TYPE_DVD_PLUS_R", 0x001B},
    {"IMAPI_PROFILE_TYPE_DDCD_REWRITABLE", 0x0022},
    {"IMAPI_PROFILE_TYPE_DVD_PLUS_R_DUAL", 0x002B},
    {"IMAPI_PROFILE_TYPE_BD_ROM", 0x0040},
    {"IMAPI_PROFILE_TYPE_BD_REWRITABLE", 0x0043},
    {"IMAPI_PROFILE_TYPE_HD_DVD_RAM", 0x0052},
    {"IMAPI_PROFILE_TYPE_NON_STANDARD", 0xFFFF},
    {NULL, 0}};

static const struct enum_value feature_page_type_sample[] = {
    {"IMAPI_FEATURE_PAGE_TYPE_PROFILE_LIST", 0x0000},
    {"IMAPI_FEATURE_PAGE_TYPE_CORE", 0x0001},
    {"IMAPI_FEATURE_PAGE_TYPE_WRITE_PROTECT", 0x0004},
    {"IMAPI_FEATURE_PAGE_TYPE_RANDOMLY_READABLE", 0x0010},
    {"IMAPI_FEATURE_PAGE_TYPE_CD_MULTIREAD", 0x001D},
    {"IMAPI_FEATURE_PAGE_TYPE_CD_READ", 0x001E},
    {"IMAPI_FEATURE_PAGE_TYPE_INCREMENTAL_STREAMING_WRITABLE", 0x0021},
    {"IMAPI_FEATURE_PAGE_TYPE_CDRW_CAV_WRITE", 0x0027},
    {"IMAPI_FEATURE_PAGE_TYPE_CD_TRACK_AT_ONCE", 0x002D},
    {"IMAPI_FEATURE_PAGE_TYPE_CD_MASTERING", 0x002E},
    {"IMAPI_FEATURE_PAGE_TYPE_LAYER_JUMP_RECORDING", 0x0033},
    {"IMAPI_FEATURE_PAGE_TYPE_CD_RW_MEDIA_WRITE_SUPPORT", 0x0037},
    {"IMAPI_FEATURE_PAGE_TYPE_DVD_PLUS_R_DUAL_LAYER", 0x003B},
    {"IMAPI_FEATURE_PAGE_TYPE_HD_DVD_WRITE", 0x0051},
    {"IMAPI_FEATURE_PAGE_TYPE_POWER_MANAGEMENT", 0x0100},
    {"IMAPI_FEATURE_PAGE_TYPE_REAL_TIME_STREAMING", 0x0107},
    {"IMAPI_FEATURE_PAGE_TYPE_AACS", 0x010D},
    {"IMAPI_FEATURE_PAGE_TYPE_VCPS", 0x0110},
    {NULL, 0}};

static const struct enum_value mode_page_type[] = {
    {"IMAPI_MODE_PAGE_TYPE_READ_WRITE_ERROR_RECOVERY", 0x01},
    {"IMAPI_MODE_PAGE_TYPE_MRW", 0x03},
    {"IMAPI_MODE_PAGE_TYPE_WRITE_PARAMETERS", 0x05},
    {"IMAPI_MODE_PAGE_TYPE_CACHING", 0x08},
    {"IMAPI_MODE_PAGE_TYPE_INFORMATIONAL_EXCEPTIONS", 0x1C},
    {"IMAPI_MODE_PAGE_TYPE_TIMEOUT_AND_PROTECT", 0x1D},
    {"IMAPI_MODE_PAGE_TYPE_POWER_CONDITION", 0x1A},
    {"IMAPI_MODE_PAGE_TYPE_LEGACY_CAPABILITIES", 0x2A},
    {NULL, 0}};

static const struct enum_value mode_page_request_type[] = {
    {"IMAPI_MODE_PAGE_REQUEST_TYPE_CURRENT_VALUES", 0},
    {"IMAPI_MODE_PAGE_REQUEST_TYPE_CHANGEABLE_VALUES", 1},
    {"IMAPI_MODE_PAGE_REQUEST_TYPE_DEFAULT_VALUES", 2},
    {"IMAPI_MODE_PAGE_REQUEST_TYPE_SAVED_VALUES", 3},
    {NULL, 0}};

static const struct enum_value read_track_address_type[] = {
    {"IMAPI_READ_TRACK_ADDRESS_TYPE_LBA", 0},
    {"IMAPI_READ_TRACK_ADDRESS_TYPE_TRACK", 1},
    {"IMAPI_READ_TRACK_ADDRESS_TYPE_SESSION", 2},
    {NULL, 0}};

static const struct enum_value raw_cd_data_sector_type[] = {
    {"IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY", 1},
    {"IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED", 2},
    {"IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW", 3},
    {NULL, 0}};

static const struct enum_value raw_cd_write_action[] = {
    {"IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_UNKNOWN", 0},
    {"IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_PREPARING", 1},
    {"IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_WRITING", 2},
    {"IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING", 3},
    {NULL, 0}};

static const struct enum_value cd_sector_type[] = {
    {"IMAPI_CD_SECTOR_AUDIO", 0},
    {"IMAPI_CD_SECTOR_MODE_ZERO", 1},
    {"IMAPI_CD_SECTOR_MODE1", 2},
    {"IMAPI_CD_SECTOR_MODE2FORM0", 3},
    {"IMAPI_CD_SECTOR_MODE2FORM1", 4},
    {"IMAPI_CD_SECTOR_MODE2FORM2", 5},
    {"IMAPI_CD_SECTOR_MODE1RAW", 6},
    {"IMAPI_CD_SECTOR_MODE2FORM0RAW", 7},
    {"IMAPI_CD_SECTOR_MODE2FORM1RAW", 8},
    {"IMAPI_CD_SECTOR_MODE2FORM2RAW", 9},
    {NULL, 0}};

static const struct enum_value cd_track_digital_copy_setting[] = {
    {"IMAPI_CD_TRACK_DIGITAL_COPY_PERMITTED", 0},
    {"IMAPI_CD_TRACK_DIGITAL_COPY_PROHIBITED", 1},
    {"IMAPI_CD_TRACK_DIGITAL_COPY_SCMS", 2},
    {NULL, 0}};

static const struct enum_value burn_verification_level[] = {
    {"IMAPI_BURN_VERIFICATION_NONE", 0},
    {"IMAPI_BURN_VERIFICATION_QUICK", 1},
    {"IMAPI_BURN_VERIFICATION_FULL", 2},
    {NULL, 0}};

static const struct enum_value tao_write_action[] = {
    {"IMAPI_FORMAT2_TAO_WRITE_ACTION_UNKNOWN", 0},
    {"IMAPI_FORMAT2_TAO_WRITE_ACTION_PREPARING", 1},
    {"IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING", 2},
    {"IMAPI_FORMAT2_TAO_WRITE_ACTION_FINISHING", 3},
    {"IMAPI_FORMAT2_TAO_WRITE_ACTION_VERIFYING", 4},
    {NULL, 0}};

static const struct enum_value data_write_action[] = {
    {"IMAPI_FORMAT2_DATA_WRITE_ACTION_VALIDATING_MEDIA", 0},
    {"IMAPI_FORMAT2_DATA_WRITE_ACTION_FORMATTING_MEDIA", 1},
    {"IMAPI_FORMAT2_DATA_WRITE_ACTION_INITIALIZING_HARDWARE", 2},
    {"IMAPI_FORMAT2_DATA_WRITE_ACTION_CALIBRATING_POWER", 3},
    {"IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA", 4},
    {"IMAPI_FORMAT2_DATA_WRITE_ACTION_FINALIZATION", 5},
    {"IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED", 6},
    {"IMAPI_FORMAT2_DATA_WRITE_ACTION_VERIFYING", 7},
    {NULL, 0}};

static const struct enum_value data_media_state[] = {
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_UNKNOWN", 0x0000},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_INFORMATIONAL_MASK", 0x000F},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_UNSUPPORTED_MASK", 0xFC00},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_OVERWRITE_ONLY", 0x0001},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_RANDOMLY_WRITABLE", 0x0001},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK", 0x0002},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE", 0x0004},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_FINAL_SESSION", 0x0008},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_DAMAGED", 0x0400},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_ERASE_REQUIRED", 0x0800},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_NON_EMPTY_SESSION", 0x1000},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_WRITE_PROTECTED", 0x2000},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED", 0x4000},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE_UNSUPPORTED_MEDIA", 0x8000},
    {NULL, 0}};

static const struct enum_fact enums[] = {
    {"IMAPI_MEDIA_PHYSICAL_TYPE", TRUE, media_physical_type},
    {"IMAPI_MEDIA_WRITE_PROTECT_STATE", TRUE, media_write_protect_state},
    {"IMAPI_PROFILE_TYPE", FALSE, profile_type_sample},
    {"IMAPI_FEATURE_PAGE_TYPE", FALSE, feature_page_type_sample},
    {"IMAPI_MODE_PAGE_TYPE", TRUE, mode_page_type},
    {"IMAPI_MODE_PAGE_REQUEST_TYPE", TRUE, mode_page_request_type},
    {"IMAPI_READ_TRACK_ADDRESS_TYPE", TRUE, read_track_address_type},
    {"IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE", TRUE, raw_cd_data_sector_type},
    {"IMAPI_FORMAT2_RAW_CD_WRITE_ACTION", TRUE, raw_cd_write_action},
    {"IMAPI_CD_SECTOR_TYPE", TRUE, cd_sector_type},
    {"IMAPI_CD_TRACK_DIGITAL_COPY_SETTING", TRUE, cd_track_digital_copy_setting},
    {"IMAPI_BURN_VERIFICATION_LEVEL", TRUE, burn_verification_level},
    {"IMAPI_FORMAT2_TAO_WRITE_ACTION", TRUE, tao_write_action},
    {"IMAPI_FORMAT2_DATA_WRITE_ACTION", TRUE, data_write_action},
    {"IMAPI_FORMAT2_DATA_MEDIA_STATE", TRUE, data_media_state},
};

/* The header's macro next to the value the spec prints. */
struct hresult_fact {
    const char *name;
    HRESULT header;
    unsigned long spec;
};
#define HR(name, value) {#name, name, value##UL}
static const struct hresult_fact hresults[] = {
    /* general and recorder */
    HR(E_IMAPI_REQUEST_CANCELLED, 0xC0AA0002),
    HR(E_IMAPI_RECORDER_REQUIRED, 0xC0AA0003),
    HR(S_IMAPI_SPEEDADJUSTED, 0x00AA0004),
    HR(S_IMAPI_ROTATIONADJUSTED, 0x00AA0005),
    HR(S_IMAPI_BOTHADJUSTED, 0x00AA0006),
    HR(E_IMAPI_BURN_VERIFICATION_FAILED, 0xC0AA0007),
    HR(S_IMAPI_COMMAND_HAS_SENSE_DATA, 0x00AA0200),
    HR(E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE, 0xC0AA0201),
    HR(E_IMAPI_RECORDER_MEDIA_NO_MEDIA, 0xC0AA0202),
    HR(E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, 0xC0AA0203),
    HR(E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN, 0xC0AA0204),
    HR(E_IMAPI_RECORDER_MEDIA_BECOMING_READY, 0xC0AA0205),
    HR(E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS, 0xC0AA0206),
    HR(E_IMAPI_RECORDER_MEDIA_BUSY, 0xC0AA0207),
    HR(E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS, 0xC0AA0208),
    HR(E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED, 0xC0AA0209),
    HR(E_IMAPI_RECORDER_NO_SUCH_FEATURE, 0xC0AA020A),
    HR(E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT, 0xC0AA020B),
    HR(E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED, 0xC0AA020C),
    HR(E_IMAPI_RECORDER_COMMAND_TIMEOUT, 0xC0AA020D),
    HR(E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT, 0xC0AA020E),
    HR(E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH, 0xC0AA020F),
    HR(E_IMAPI_RECORDER_LOCKED, 0xC0AA0210),
    HR(E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID, 0xC0AA0211),
    HR(E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED, 0xC0AA0212),
    HR(E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE, 0xC0AA02FF),
    HR(E_IMAPI_LOSS_OF_STREAMING, 0xC0AA0300),
    HR(E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, 0xC0AA0301),
    HR(S_IMAPI_WRITE_NOT_IN_PROGRESS, 0x00AA0302),
    /* raw disc-at-once writer: 0605, 0608, 060B and 060C do not exist */
    HR(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS, 0xC0AA0600),
    HR(E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS, 0xC0AA0601),
    HR(E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED, 0xC0AA0602),
    HR(E_IMAPI_DF2RAW_MEDIA_IS_PREPARED, 0xC0AA0603),
    HR(E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID, 0xC0AA0604),
    HR(E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK, 0xC0AA0606),
    HR(E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED, 0xC0AA0607),
    HR(E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE, 0xC0AA0609),
    HR(E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED, 0xC0AA060A),
    HR(E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED, 0xC0AA060D),
    HR(E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED, 0xC0AA060E),
    HR(E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT, 0xC0AA060F),
    HR(E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED, 0xC0AA0610),
    /* erase: mostly severity 0x80, the last three 0xC0 */
    HR(E_IMAPI_ERASE_RECORDER_IN_USE, 0x80AA0900),
    HR(E_IMAPI_ERASE_ONLY_ONE_RECORDER_SUPPORTED, 0x80AA0901),
    HR(E_IMAPI_ERASE_DISC_INFORMATION_TOO_SMALL, 0x80AA0902),
    HR(E_IMAPI_ERASE_MODE_PAGE_2A_TOO_SMALL, 0x80AA0903),
    HR(E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE, 0x80AA0904),
    HR(E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND, 0x80AA0905),
    HR(E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR, 0x80AA0906),
    HR(E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE, 0x80AA0907),
    HR(E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND, 0x80AA0908),
    HR(E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED, 0xC0AA0909),
    HR(E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED, 0xC0AA090A),
    HR(E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID, 0xC0AA090B),
    /* raw image creator: severity 0x80 */
    HR(E_IMAPI_RAW_IMAGE_IS_READ_ONLY, 0x80AA0A00),
    HR(E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS, 0x80AA0A01),
    HR(E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED, 0x80AA0A02),
    HR(E_IMAPI_RAW_IMAGE_NO_TRACKS, 0x80AA0A03),
    HR(E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED, 0x80AA0A04),
    HR(E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE, 0x80AA0A05),
    HR(E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES, 0x80AA0A06),
    HR(E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND, 0x80AA0A07),
    HR(S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS, 0x00AA0A08),
    HR(E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED, 0x80AA0A09),
    HR(E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, 0x80AA0A0A),
};

/* ------------------------------------------------------------- helpers */

static ITypeLib *typelib;

static ITypeLib *load_typelib(void)
{
    const char *path = getenv("IMAPI2_TLB");
    ITypeLib *tl = NULL;
    HRESULT hr;

    if (path && *path) {
        WCHAR wpath[MAX_PATH];
        MultiByteToWideChar(CP_ACP, 0, path, -1, wpath, MAX_PATH);
        hr = LoadTypeLibEx(wpath, REGKIND_NONE, &tl);
        ok(hr == S_OK, "LoadTypeLibEx(%s) returned %#lx\n", path, (unsigned long)hr);
    } else {
        hr = LoadRegTypeLib(&LIBID_IMAPI2, 1, 0, LOCALE_NEUTRAL, &tl);
        ok(hr == S_OK, "LoadRegTypeLib(LIBID_IMAPI2 1.0) returned %#lx; is imapi2.dll registered?\n",
           (unsigned long)hr);
    }
    return SUCCEEDED(hr) ? tl : NULL;
}

static const char *type_name(ITypeInfo *ti)
{
    BSTR name = NULL;
    static char buf[4][128];
    static int n;
    char *s = buf[n++ & 3];

    if (FAILED(ITypeInfo_GetDocumentation(ti, MEMBERID_NIL, &name, NULL, NULL, NULL)))
        return "(no name)";
    snprintf(s, 128, "%s", narrow(name));
    SysFreeString(name);
    return s;
}

/* By name, the way a client would look a type up in the library. */
static ITypeInfo *find_type(const char *name)
{
    UINT count = ITypeLib_GetTypeInfoCount(typelib);
    for (UINT i = 0; i < count; i++) {
        ITypeInfo *ti;
        if (FAILED(ITypeLib_GetTypeInfo(typelib, i, &ti)))
            continue;
        if (!strcmp(type_name(ti), name))
            return ti;
        ITypeInfo_Release(ti);
    }
    return NULL;
}

static ITypeInfo *resolve_alias(ITypeInfo *ti)
{
    TYPEATTR *attr;
    ITypeInfo *target = ti;

    if (FAILED(ITypeInfo_GetTypeAttr(ti, &attr)))
        return ti;
    if (attr->typekind == TKIND_ALIAS && attr->tdescAlias.vt == VT_USERDEFINED &&
        SUCCEEDED(ITypeInfo_GetRefTypeInfo(ti, attr->tdescAlias.hreftype, &target)))
        ITypeInfo_Release(ti);
    else
        target = ti;
    ITypeInfo_ReleaseTypeAttr(ti, attr);
    return target;
}

/* The vtable view: for a dual interface the TKIND_INTERFACE half. */
static ITypeInfo *vtable_view(ITypeInfo *ti)
{
    TYPEATTR *attr;
    ITypeInfo *view = NULL;
    HREFTYPE href;

    if (FAILED(ITypeInfo_GetTypeAttr(ti, &attr)))
        return NULL;
    if (attr->typekind == TKIND_DISPATCH && (attr->wTypeFlags & TYPEFLAG_FDUAL) &&
        SUCCEEDED(ITypeInfo_GetRefTypeOfImplType(ti, -1, &href)))
        ITypeInfo_GetRefTypeInfo(ti, href, &view);
    else {
        view = ti;
        ITypeInfo_AddRef(ti);
    }
    ITypeInfo_ReleaseTypeAttr(ti, attr);
    return view;
}

static MEMBERID member_id(ITypeInfo *ti, const char *name, HRESULT *hr)
{
    MEMBERID id = MEMBERID_NIL;
    LPOLESTR names[1] = {wide(name)};
    *hr = ITypeInfo_GetIDsOfNames(ti, names, 1, &id);
    return id;
}

/* The FUNCDESC of an own member of a vtable view, by DISPID and kind. */
static FUNCDESC *own_func(ITypeInfo *view, MEMBERID id, int kind)
{
    TYPEATTR *attr;
    FUNCDESC *found = NULL;

    if (FAILED(ITypeInfo_GetTypeAttr(view, &attr)))
        return NULL;
    for (UINT i = 0; i < attr->cFuncs && !found; i++) {
        FUNCDESC *fd;
        if (FAILED(ITypeInfo_GetFuncDesc(view, i, &fd)))
            continue;
        if (fd->memid == id && (int)fd->invkind == kind)
            found = fd;
        else
            ITypeInfo_ReleaseFuncDesc(view, fd);
    }
    ITypeInfo_ReleaseTypeAttr(view, attr);
    return found;
}

static const struct iface_fact *iface_by_name(const char *name)
{
    for (size_t i = 0; i < ARRAYSIZE(ifaces); i++)
        if (!strcmp(ifaces[i].name, name))
            return &ifaces[i];
    return NULL;
}

/* --------------------------------------------------------------- tests */

static void test_library(void)
{
    static const GUID libid = IMAPI_GUID(0x2735412F, 0x7F64);
    TLIBATTR *attr;
    BSTR name = NULL, help = NULL;
    HRESULT hr;

    ok(IsEqualGUID(&LIBID_IMAPI2, &libid), "LIBID_IMAPI2 is %s\n", guid_str(&LIBID_IMAPI2));
    ok(IMAPILib2_MajorVersion == 1 && IMAPILib2_MinorVersion == 0, "header says version %d.%d\n",
       (int)IMAPILib2_MajorVersion, (int)IMAPILib2_MinorVersion);

    hr = ITypeLib_GetLibAttr(typelib, &attr);
    ok(hr == S_OK, "GetLibAttr returned %#lx\n", (unsigned long)hr);
    if (SUCCEEDED(hr)) {
        ok(IsEqualGUID(&attr->guid, &libid), "typelib LIBID is %s\n", guid_str(&attr->guid));
        ok(attr->wMajorVerNum == 1 && attr->wMinorVerNum == 0, "typelib version %u.%u\n", attr->wMajorVerNum,
           attr->wMinorVerNum);
        ITypeLib_ReleaseTLibAttr(typelib, attr);
    }

    hr = ITypeLib_GetDocumentation(typelib, -1, &name, &help, NULL, NULL);
    ok(hr == S_OK, "GetDocumentation(-1) returned %#lx\n", (unsigned long)hr);
    if (SUCCEEDED(hr)) {
        /* Windows' library is "imapi2"; case does not matter to any client. */
        ok(name && !_wcsicmp(name, L"imapi2"), "library name %s\n", narrow(name));
        ok(help && !wcscmp(help, L"Microsoft IMAPI2 Base Functionality"), "library helpstring %s\n", narrow(help));
        SysFreeString(name);
        SysFreeString(help);
    }
}

/* IDispatch must come from stdole2 (importlib), not from a private copy. */
static void test_importlib(void)
{
    ITypeInfo *ti, *view, *base = NULL;
    ITypeLib *owner = NULL;
    TLIBATTR *attr;
    HREFTYPE href;
    UINT index;

    if (!SUCCEEDED(ITypeLib_GetTypeInfoOfGuid(typelib, &IID_IDiscMaster2, &ti))) {
        ok(0, "no IDiscMaster2\n");
        return;
    }
    view = vtable_view(ti);
    if (view && SUCCEEDED(ITypeInfo_GetRefTypeOfImplType(view, 0, &href)))
        ITypeInfo_GetRefTypeInfo(view, href, &base);
    ok(base != NULL, "IDiscMaster2 has no base interface\n");
    if (base && SUCCEEDED(ITypeInfo_GetContainingTypeLib(base, &owner, &index))) {
        if (SUCCEEDED(ITypeLib_GetLibAttr(owner, &attr))) {
            ok(IsEqualGUID(&attr->guid, &stdole2_libid), "IDispatch comes from %s\n", guid_str(&attr->guid));
            ITypeLib_ReleaseTLibAttr(owner, attr);
        }
        ITypeLib_Release(owner);
    }
    if (base)
        ITypeInfo_Release(base);
    if (view)
        ITypeInfo_Release(view);
    ITypeInfo_Release(ti);
}

static void check_type_flags(const struct iface_fact *f, ITypeInfo *ti, ITypeInfo *view)
{
    TYPEATTR *attr, *vattr;
    WORD flags, vflags;
    TYPEKIND kind;

    if (FAILED(ITypeInfo_GetTypeAttr(ti, &attr)))
        return;
    flags = attr->wTypeFlags;
    kind = attr->typekind;
    ITypeInfo_ReleaseTypeAttr(ti, attr);
    if (FAILED(ITypeInfo_GetTypeAttr(view, &vattr)))
        return;
    vflags = vattr->wTypeFlags;
    ITypeInfo_ReleaseTypeAttr(view, vattr);

    switch (f->style) {
    case DUAL_NONEXT:
    case DUAL_EXT:
        ok(kind == TKIND_DISPATCH, "%s: typekind %d\n", f->name, kind);
        ok((flags & TYPEFLAG_FDUAL) && (flags & TYPEFLAG_FDISPATCHABLE), "%s: flags %#x, want dual\n", f->name, flags);
        ok(!!(flags & TYPEFLAG_FNONEXTENSIBLE) == (f->style == DUAL_NONEXT), "%s: flags %#x, nonextensible wrong\n",
           f->name, flags);
        ok(vflags & TYPEFLAG_FOLEAUTOMATION, "%s: vtable view flags %#x, want oleautomation\n", f->name, vflags);
        break;
    case SINK:
        ok(kind == TKIND_INTERFACE, "%s: typekind %d\n", f->name, kind);
        ok(!(flags & TYPEFLAG_FDUAL), "%s: flags %#x, must not be dual\n", f->name, flags);
        ok((flags & (TYPEFLAG_FNONEXTENSIBLE | TYPEFLAG_FOLEAUTOMATION | TYPEFLAG_FDISPATCHABLE)) ==
               (TYPEFLAG_FNONEXTENSIBLE | TYPEFLAG_FOLEAUTOMATION | TYPEFLAG_FDISPATCHABLE),
           "%s: flags %#x, want nonextensible oleautomation dispatchable\n", f->name, flags);
        break;
    case PLAIN:
        ok(kind == TKIND_INTERFACE, "%s: typekind %d\n", f->name, kind);
        ok(!(flags & (TYPEFLAG_FDUAL | TYPEFLAG_FOLEAUTOMATION | TYPEFLAG_FDISPATCHABLE)),
           "%s: flags %#x, want no automation\n", f->name, flags);
        break;
    }
}

static void check_base(const struct iface_fact *f, ITypeInfo *view)
{
    ITypeInfo *base = NULL;
    HREFTYPE href;

    if (SUCCEEDED(ITypeInfo_GetRefTypeOfImplType(view, 0, &href)))
        ITypeInfo_GetRefTypeInfo(view, href, &base);
    ok(base && !strcmp(type_name(base), f->base), "%s: base is %s, want %s\n", f->name,
       base ? type_name(base) : "none", f->base);
    if (base)
        ITypeInfo_Release(base);
}

static void check_members(const struct iface_fact *f, ITypeInfo *ti, ITypeInfo *view)
{
    TYPEATTR *vattr;
    unsigned count = 0;
    HRESULT hr;

    for (const struct member_fact *m = f->members; m->name; m++, count++) {
        unsigned slot = f->first_slot + count;
        MEMBERID id = member_id(ti, m->name, &hr);
        FUNCDESC *fd;

        ok(hr == S_OK, "%s.%s: GetIDsOfNames returned %#lx\n", f->name, m->name, (unsigned long)hr);
        if (hr != S_OK)
            continue;
        if (f->style != PLAIN)
            ok(id == m->id, "%s.%s: DISPID %#lx, want %#lx\n", f->name, m->name, (unsigned long)id,
               (unsigned long)m->id);
        fd = own_func(view, id, m->kind);
        ok(fd != NULL, "%s.%s: no member of kind %d\n", f->name, m->name, m->kind);
        if (!fd)
            continue;
        ok(fd->oVft == (SHORT)(slot * sizeof(void *)), "%s.%s (kind %d): vtable slot %d, want %u\n", f->name,
           m->name, m->kind, (int)(fd->oVft / (SHORT)sizeof(void *)), slot);
        ITypeInfo_ReleaseFuncDesc(view, fd);
    }

    /* Nothing beyond the spec's members. */
    if (SUCCEEDED(ITypeInfo_GetTypeAttr(view, &vattr))) {
        ok(vattr->cFuncs == count, "%s: %u own members, want %u\n", f->name, vattr->cFuncs, count);
        ok(vattr->cbSizeVft == (f->first_slot + count) * sizeof(void *), "%s: vtable of %u slots, want %u\n",
           f->name, (unsigned)(vattr->cbSizeVft / sizeof(void *)), f->first_slot + count);
        ITypeInfo_ReleaseTypeAttr(view, vattr);
    }

    for (const char *const *a = f->absent; a && *a; a++) {
        member_id(ti, *a, &hr);
        ok(hr == DISP_E_UNKNOWNNAME, "%s.%s must not exist: GetIDsOfNames returned %#lx\n", f->name, *a,
           (unsigned long)hr);
    }
}

static void test_interfaces(void)
{
    for (size_t i = 0; i < ARRAYSIZE(ifaces); i++) {
        const struct iface_fact *f = &ifaces[i];
        ITypeInfo *ti = NULL, *view;
        BSTR help = NULL;
        HRESULT hr;

        okay_context = f->name;
        ok(IsEqualGUID(f->symbol, &f->iid), "IID_%s is %s, want %s\n", f->name, guid_str(f->symbol),
           guid_str(&f->iid));
        hr = ITypeLib_GetTypeInfoOfGuid(typelib, &f->iid, &ti);
        ok(hr == S_OK, "%s %s not in the typelib: %#lx\n", f->name, guid_str(&f->iid), (unsigned long)hr);
        if (hr != S_OK)
            continue;
        ok(!strcmp(type_name(ti), f->name), "%s is named %s in the typelib\n", guid_str(&f->iid), type_name(ti));
        if (f->helpstring) {
            ITypeInfo_GetDocumentation(ti, MEMBERID_NIL, NULL, &help, NULL, NULL);
            ok(help && !strcmp(narrow(help), f->helpstring), "helpstring %s\n", narrow(help));
            SysFreeString(help);
        }
        view = vtable_view(ti);
        ok(view != NULL, "no vtable view\n");
        if (view) {
            check_type_flags(f, ti, view);
            check_base(f, view);
            check_members(f, ti, view);
            ITypeInfo_Release(view);
        }
        ITypeInfo_Release(ti);
    }
    okay_context = NULL;
}

static void test_param_names(void)
{
    for (size_t i = 0; i < ARRAYSIZE(params); i++) {
        const struct param_fact *p = &params[i];
        const struct iface_fact *f = iface_by_name(p->iface);
        LPOLESTR names[2];
        MEMBERID ids[2] = {MEMBERID_NIL, MEMBERID_NIL};
        ITypeInfo *ti;
        HRESULT hr;

        if (!f || FAILED(ITypeLib_GetTypeInfoOfGuid(typelib, &f->iid, &ti))) {
            ok(0, "no %s\n", p->iface);
            continue;
        }
        names[0] = wide(p->member);
        names[1] = wide(p->param);
        hr = ITypeInfo_GetIDsOfNames(ti, names, 2, ids);
        ok(hr == S_OK && ids[1] == p->index, "%s.%s(%s): hr %#lx, parameter index %ld, want %d\n", p->iface,
           p->member, p->param, (unsigned long)hr, (long)ids[1], p->index);
        ITypeInfo_Release(ti);
    }
}

static void test_safearrays(void)
{
    for (size_t i = 0; i < ARRAYSIZE(safearrays); i++) {
        const struct safearray_fact *s = &safearrays[i];
        const struct iface_fact *f = iface_by_name(s->iface);
        ITypeInfo *ti, *view;
        FUNCDESC *fd = NULL;
        MEMBERID id;
        HRESULT hr;

        if (!f || FAILED(ITypeLib_GetTypeInfoOfGuid(typelib, &f->iid, &ti))) {
            ok(0, "no %s\n", s->iface);
            continue;
        }
        id = member_id(ti, s->member, &hr);
        view = vtable_view(ti);
        if (hr == S_OK && view)
            fd = own_func(view, id, G);
        ok(fd != NULL, "%s.%s: no getter\n", s->iface, s->member);
        if (fd) {
            /* In the vtable view the value is the last parameter, [out, retval] SAFEARRAY(VARIANT) *. */
            TYPEDESC *t = fd->cParams ? &fd->lprgelemdescParam[fd->cParams - 1].tdesc : NULL;
            BOOL good = t && t->vt == VT_PTR && t->lptdesc->vt == VT_SAFEARRAY &&
                        t->lptdesc->lptdesc->vt == VT_VARIANT &&
                        (fd->lprgelemdescParam[fd->cParams - 1].paramdesc.wParamFlags & PARAMFLAG_FRETVAL);
            ok(good, "%s.%s is not [out, retval] SAFEARRAY(VARIANT) *\n", s->iface, s->member);
            ITypeInfo_ReleaseFuncDesc(view, fd);
        }
        if (view)
            ITypeInfo_Release(view);
        ITypeInfo_Release(ti);
    }
}

static void test_coclasses(void)
{
    for (size_t i = 0; i < ARRAYSIZE(coclasses); i++) {
        const struct coclass_fact *c = &coclasses[i];
        ITypeInfo *ti = NULL;
        TYPEATTR *attr;
        BSTR help = NULL;
        unsigned want = 0;
        HRESULT hr;

        okay_context = c->name;
        ok(IsEqualGUID(c->symbol, &c->clsid), "CLSID_%s is %s, want %s\n", c->name, guid_str(c->symbol),
           guid_str(&c->clsid));
        hr = ITypeLib_GetTypeInfoOfGuid(typelib, &c->clsid, &ti);
        ok(hr == S_OK, "%s %s not in the typelib: %#lx\n", c->name, guid_str(&c->clsid), (unsigned long)hr);
        if (hr != S_OK)
            continue;
        ok(!strcmp(type_name(ti), c->name), "%s is named %s\n", guid_str(&c->clsid), type_name(ti));
        ITypeInfo_GetDocumentation(ti, MEMBERID_NIL, NULL, &help, NULL, NULL);
        ok(help && !strcmp(narrow(help), c->helpstring), "helpstring \"%s\"\n", narrow(help));
        SysFreeString(help);

        if (FAILED(ITypeInfo_GetTypeAttr(ti, &attr))) {
            ITypeInfo_Release(ti);
            continue;
        }
        ok(attr->typekind == TKIND_COCLASS, "typekind %d\n", attr->typekind);
        ok(!!(attr->wTypeFlags & TYPEFLAG_FCANCREATE) == c->creatable, "flags %#x, creatable should be %d\n",
           attr->wTypeFlags, c->creatable);
        for (const struct impl_fact *im = c->impls; im->name; im++)
            want++;
        ok(attr->cImplTypes == want, "%u interfaces, want %u\n", attr->cImplTypes, want);

        for (const struct impl_fact *im = c->impls; im->name; im++) {
            BOOL found = FALSE;
            for (UINT k = 0; k < attr->cImplTypes && !found; k++) {
                ITypeInfo *ref;
                HREFTYPE href;
                INT flags = -1;
                if (FAILED(ITypeInfo_GetRefTypeOfImplType(ti, k, &href)) ||
                    FAILED(ITypeInfo_GetRefTypeInfo(ti, href, &ref)))
                    continue;
                if (!strcmp(type_name(ref), im->name)) {
                    found = TRUE;
                    ITypeInfo_GetImplTypeFlags(ti, k, &flags);
                    ok(flags == im->flags, "%s: impltype flags %#x, want %#x\n", im->name, flags, im->flags);
                }
                ITypeInfo_Release(ref);
            }
            ok(found, "%s is not listed\n", im->name);
        }
        ITypeInfo_ReleaseTypeAttr(ti, attr);
        ITypeInfo_Release(ti);
    }
    okay_context = NULL;
}

static void test_enums(void)
{
    for (size_t i = 0; i < ARRAYSIZE(enums); i++) {
        const struct enum_fact *e = &enums[i];
        ITypeInfo *ti = find_type(e->name);
        TYPEATTR *attr;
        unsigned want = 0;

        okay_context = e->name;
        ok(ti != NULL, "not in the typelib\n");
        if (!ti)
            continue;
        ti = resolve_alias(ti);
        if (FAILED(ITypeInfo_GetTypeAttr(ti, &attr))) {
            ITypeInfo_Release(ti);
            continue;
        }
        ok(attr->typekind == TKIND_ENUM, "typekind %d\n", attr->typekind);
        for (const struct enum_value *v = e->values; v->name; v++, want++) {
            BOOL found = FALSE;
            for (UINT k = 0; k < attr->cVars && !found; k++) {
                VARDESC *vd;
                BSTR name = NULL;
                if (FAILED(ITypeInfo_GetVarDesc(ti, k, &vd)))
                    continue;
                ITypeInfo_GetDocumentation(ti, vd->memid, &name, NULL, NULL, NULL);
                if (name && !strcmp(narrow(name), v->name)) {
                    found = TRUE;
                    ok(vd->varkind == VAR_CONST && vd->lpvarValue &&
                           (V_VT(vd->lpvarValue) == VT_I4 || V_VT(vd->lpvarValue) == VT_INT) &&
                           V_I4(vd->lpvarValue) == v->value,
                       "%s = %ld (vt %d), want %ld\n", v->name,
                       vd->lpvarValue ? (long)V_I4(vd->lpvarValue) : -1L,
                       vd->lpvarValue ? V_VT(vd->lpvarValue) : -1, (long)v->value);
                }
                SysFreeString(name);
                ITypeInfo_ReleaseVarDesc(ti, vd);
            }
            ok(found, "%s missing\n", v->name);
        }
        if (e->complete)
            ok(attr->cVars == want, "%u members, want %u\n", attr->cVars, want);
        ITypeInfo_ReleaseTypeAttr(ti, attr);
        ITypeInfo_Release(ti);
    }
    okay_context = NULL;
}

/* Header-only facts: compiled in, so a wrong value fails here, not in a client. */
static void test_header_constants(void)
{
    ok(IMAPI_SECTORS_PER_SECOND_AT_1X_CD == 75, "1x CD %lu\n", (unsigned long)IMAPI_SECTORS_PER_SECOND_AT_1X_CD);
    ok(IMAPI_SECTORS_PER_SECOND_AT_1X_DVD == 680, "1x DVD %lu\n", (unsigned long)IMAPI_SECTORS_PER_SECOND_AT_1X_DVD);
    ok(IMAPI_SECTORS_PER_SECOND_AT_1X_BD == 2195, "1x BD %lu\n", (unsigned long)IMAPI_SECTORS_PER_SECOND_AT_1X_BD);
    ok(IMAPI_SECTORS_PER_SECOND_AT_1X_HD_DVD == 4568, "1x HD DVD %lu\n",
       (unsigned long)IMAPI_SECTORS_PER_SECOND_AT_1X_HD_DVD);
    ok(IMAPI2_DEFAULT_COMMAND_TIMEOUT == 10, "timeout %lu\n", (unsigned long)IMAPI2_DEFAULT_COMMAND_TIMEOUT);
    ok(DISPID_DDISCFORMAT2RAWCDEVENTS_UPDATE == 0x200, "raw CD Update %#lx\n",
       (unsigned long)DISPID_DDISCFORMAT2RAWCDEVENTS_UPDATE);
    ok(DISPID_IDISCFORMAT2ERASEEVENTS_UPDATE == 0x200, "erase Update %#lx\n",
       (unsigned long)DISPID_IDISCFORMAT2ERASEEVENTS_UPDATE);
    ok(DISPID_DDISCMASTER2EVENTS_DEVICEADDED == 0x100 && DISPID_DDISCMASTER2EVENTS_DEVICEREMOVED == 0x101,
       "disc master events %#lx %#lx\n", (unsigned long)DISPID_DDISCMASTER2EVENTS_DEVICEADDED,
       (unsigned long)DISPID_DDISCMASTER2EVENTS_DEVICEREMOVED);
    ok(DISPID_IDISCFORMAT2_RECORDERSUPPORTED == 0x800 && DISPID_IDISCFORMAT2_MEDIASUPPORTED == 0x801 &&
           DISPID_IDISCFORMAT2_MEDIAPHYSICALLYBLANK == 0x700 && DISPID_IDISCFORMAT2_MEDIAHEURISTICALLYBLANK == 0x701 &&
           DISPID_IDISCFORMAT2_SUPPORTEDMEDIATYPES == 0x702,
       "IDiscFormat2 DISPID constants\n");
    /* A few enum values as C sees them (the typelib is checked above). */
    ok(IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW == 3 && IMAPI_MEDIA_TYPE_MAX == 19 &&
           IMAPI_PROFILE_TYPE_NON_STANDARD == 0xFFFF && IMAPI_FEATURE_PAGE_TYPE_VCPS == 0x110,
       "enum constants in the header\n");
    ok(sizeof(IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE) == 4, "v1_enum size %u\n",
       (unsigned)sizeof(IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE));
}

static void test_hresults(void)
{
    for (size_t i = 0; i < ARRAYSIZE(hresults); i++) {
        const struct hresult_fact *h = &hresults[i];
        ok((unsigned long)(ULONG)h->header == h->spec, "%s is %#lx, want %#lx\n", h->name,
           (unsigned long)(ULONG)h->header, h->spec);
        ok(HRESULT_FACILITY(h->header) == 0xAA, "%s: facility %#lx\n", h->name,
           (unsigned long)HRESULT_FACILITY(h->header));
        ok(!!FAILED(h->header) == (h->name[0] == 'E'), "%s: severity does not match its name\n", h->name);
    }
}

int main(void)
{
    CoInitialize(NULL);
    test_header_constants();
    test_hresults();
    typelib = load_typelib();
    if (typelib) {
        test_library();
        test_importlib();
        test_interfaces();
        test_param_names();
        test_safearrays();
        test_coclasses();
        test_enums();
        ITypeLib_Release(typelib);
    } else
        skip("no type library: every typelib check is missing\n");
    CoUninitialize();
    return okay_summary("idl_facts");
}
