/* MsftFileSystemImage (IFileSystemImage, 2, 3): the settings of an image,
 * its root directory, and CreateResultImage, which hands the tree to
 * libs/fsimage and returns the image it lays out. */
#include <wchar.h>
#include "imapi2fs_private.h"

#define DEFAULT_FREE_MEDIA_BLOCKS 332800 /* documented: a 74-minute CD */
#define VOLUME_NAME_MAX 15               /* documented */

struct fs_image {
    IFileSystemImage3 IFileSystemImage3_iface;
    struct event_source events; /* DFileSystemImageEvents, ISupportErrorInfo */
    LONG ref;
    struct fs_dir *root;
    FsiFileSystems to_create;
    LONG udf_revision, iso_level, free_blocks, session_start;
    WCHAR volume[VOLUME_NAME_MAX + 1];
    BSTR working_dir;
    VARIANT_BOOL strict, restricted, stage, redundant_udf;
};

/* What this implementation makes (libs/fsimage). */
static const FsiFileSystems supported_fs = FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF;
static const LONG udf_revisions[] = {0x102, 0x150, 0x200, 0x201};
static const LONG iso_levels[] = {1, 2, 3};

/* ChooseImageDefaultsForMediaType: file systems and capacity (2048-byte
 * blocks of a blank disc) per physical media type. The capacities are the
 * media's nominal sizes; Windows does not document its own figures. */
static const struct {
    IMAPI_MEDIA_PHYSICAL_TYPE type;
    FsiFileSystems fs;
    LONG blocks;
} media_defaults[] = {
    {IMAPI_MEDIA_TYPE_CDROM, FsiFileSystemISO9660 | FsiFileSystemJoliet, 359847},
    {IMAPI_MEDIA_TYPE_CDR, FsiFileSystemISO9660 | FsiFileSystemJoliet, 359847},
    {IMAPI_MEDIA_TYPE_CDRW, FsiFileSystemISO9660 | FsiFileSystemJoliet, 359847},
    {IMAPI_MEDIA_TYPE_DVDROM, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 2295104},
    {IMAPI_MEDIA_TYPE_DVDRAM, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 2236704},
    {IMAPI_MEDIA_TYPE_DVDPLUSR, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 2295104},
    {IMAPI_MEDIA_TYPE_DVDPLUSRW, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 2295104},
    {IMAPI_MEDIA_TYPE_DVDPLUSR_DUALLAYER, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 4173824},
    {IMAPI_MEDIA_TYPE_DVDDASHR, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 2298496},
    {IMAPI_MEDIA_TYPE_DVDDASHRW, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 2298496},
    {IMAPI_MEDIA_TYPE_DVDDASHR_DUALLAYER, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 4171712},
    {IMAPI_MEDIA_TYPE_DISK, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 0},
    {IMAPI_MEDIA_TYPE_DVDPLUSRW_DUALLAYER, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 4173824},
    {IMAPI_MEDIA_TYPE_HDDVDROM, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 7307264},
    {IMAPI_MEDIA_TYPE_HDDVDR, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 7307264},
    {IMAPI_MEDIA_TYPE_HDDVDRAM, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 7307264},
    {IMAPI_MEDIA_TYPE_BDROM, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 12219392},
    {IMAPI_MEDIA_TYPE_BDR, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 12219392},
    {IMAPI_MEDIA_TYPE_BDRE, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF, 12219392},
};

static inline struct fs_image *impl_from_IFileSystemImage3(IFileSystemImage3 *iface)
{
    return CONTAINING_RECORD(iface, struct fs_image, IFileSystemImage3_iface);
}

#define IMAGE_IID (&IID_IFileSystemImage)

FsiFileSystems image_filesystems(const struct fs_image *image)
{
    return image->to_create;
}

void image_file_added(struct fs_image *image, const WCHAR *path, ULONGLONG bytes)
{
    LONG sectors = (LONG)((bytes + 2047) / 2048);
    VARIANT args[4]; /* last argument first */
    DISPPARAMS params = {args, NULL, 4, 0};
    V_VT(&args[3]) = VT_DISPATCH;
    V_DISPATCH(&args[3]) = (IDispatch *)&image->IFileSystemImage3_iface;
    V_VT(&args[2]) = VT_BSTR;
    V_BSTR(&args[2]) = SysAllocString(path);
    V_VT(&args[1]) = VT_I4;
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = sectors;
    for (int last = 0; last < 2; last++) {
        if (last && !sectors)
            break;
        V_I4(&args[1]) = last ? sectors : 0;
        connection_point_fire(&image->events.point, DISPID_DFILESYSTEMIMAGEEVENTS_UPDATE, &params);
    }
    SysFreeString(V_BSTR(&args[2]));
}

HRESULT image_check_depth(const struct fs_image *image, unsigned depth)
{
    /* ECMA-119 6.8.2.1: eight levels, the root being the first */
    return (image->to_create & FsiFileSystemISO9660) && depth > 8 ? IMAPI_E_ISO9660_LEVELS : S_OK;
}

static BOOL in_list(const LONG *list, unsigned count, LONG value)
{
    for (unsigned i = 0; i < count; i++)
        if (list[i] == value)
            return TRUE;
    return FALSE;
}

/* ---------------------------------------------------------------- building */

static HRESULT export_tree(struct fs_image *image, struct fsi_tree **out)
{
    struct fs_item *root = dir_item(image->root);
    struct fsi_times t = {unix_from_date(root->created), unix_from_date(root->accessed),
                          unix_from_date(root->modified)};
    struct fsi_tree *tree = fsi_tree_new(&t);
    HRESULT hr;
    if (!tree)
        return E_OUTOFMEMORY;
    hr = dir_export(image->root, fsi_tree_root(tree));
    if (FAILED(hr)) {
        fsi_tree_free(tree);
        return hr;
    }
    *out = tree;
    return S_OK;
}

/* Lays the current tree out; max_blocks 0: no limit. */
static HRESULT build(struct fs_image *image, LONG max_blocks, struct fsi_image **out)
{
    struct fsi_options o = {
        .filesystems = image->to_create,
        .iso_level = image->iso_level,
        .udf_revision = (unsigned)image->udf_revision,
        .volume = (const uint16_t *)image->volume,
        .volume_len = wcslen(image->volume),
        .now = unix_from_date(item_now()),
        .max_blocks = (uint32_t)max_blocks,
    };
    struct fsi_tree *tree;
    HRESULT hr = export_tree(image, &tree);
    if (FAILED(hr))
        return hr;
    return fsi_image_build(tree, &o, out);
}

static HRESULT used_blocks(struct fs_image *image, LONG *blocks)
{
    struct fsi_image *img;
    HRESULT hr = build(image, 0, &img);
    if (SUCCEEDED(hr)) {
        *blocks = (LONG)fsi_image_blocks(img);
        fsi_image_free(img);
    }
    return hr;
}

/* ---------------------------------------------------------------- IUnknown */

static HRESULT WINAPI image_QueryInterface(IFileSystemImage3 *iface, REFIID riid, void **out)
{
    TRACE("%p %s\n", iface, debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IFileSystemImage) || IsEqualGUID(riid, &IID_IFileSystemImage2) ||
        IsEqualGUID(riid, &IID_IFileSystemImage3)) {
        *out = iface;
        IFileSystemImage3_AddRef(iface);
        return S_OK;
    }
    if (event_source_query(&impl_from_IFileSystemImage3(iface)->events, riid, out))
        return S_OK;
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI image_AddRef(IFileSystemImage3 *iface)
{
    return InterlockedIncrement(&impl_from_IFileSystemImage3(iface)->ref);
}

static ULONG WINAPI image_Release(IFileSystemImage3 *iface)
{
    struct fs_image *image = impl_from_IFileSystemImage3(iface);
    ULONG ref = InterlockedDecrement(&image->ref);
    if (!ref) {
        dir_item(image->root)->image = NULL; /* the root may outlive us */
        IFsiDirectoryItem_Release(dir_iface(image->root));
        SysFreeString(image->working_dir);
        event_source_destroy(&image->events);
        HeapFree(GetProcessHeap(), 0, image);
        imapi2_module_release();
    }
    return ref;
}

FS_DISPATCH_METHODS(image, IFileSystemImage3, IFileSystemImage3_tid)

/* ---------------------------------------------------------------- properties */

static HRESULT get_long(LONG value, LONG *out)
{
    if (!out)
        return E_POINTER;
    *out = value;
    return S_OK;
}

static HRESULT get_bool(VARIANT_BOOL value, VARIANT_BOOL *out)
{
    if (!out)
        return E_POINTER;
    *out = value;
    return S_OK;
}

static HRESULT get_string(const WCHAR *value, BSTR *out)
{
    if (!out)
        return E_POINTER;
    return (*out = SysAllocString(value ? value : L"")) ? S_OK : E_OUTOFMEMORY;
}

static HRESULT WINAPI image_get_Root(IFileSystemImage3 *iface, IFsiDirectoryItem **root)
{
    TRACE("%p\n", iface);
    if (!root)
        return E_POINTER;
    *root = dir_iface(impl_from_IFileSystemImage3(iface)->root);
    IFsiDirectoryItem_AddRef(*root);
    return S_OK;
}

static HRESULT WINAPI image_get_SessionStartBlock(IFileSystemImage3 *iface, LONG *block)
{
    TRACE("%p\n", iface);
    return get_long(impl_from_IFileSystemImage3(iface)->session_start, block);
}

/* Images that continue a previous session (a start other than 0) need
 * import, which is not implemented. */
static HRESULT WINAPI image_put_SessionStartBlock(IFileSystemImage3 *iface, LONG block)
{
    TRACE("%p %ld\n", iface, (long)block);
    if (block < 0)
        return fs_set_error(IMAPI_E_INVALID_PARAM, IMAGE_IID);
    if (block) {
        FIXME("sessions after the first are not implemented\n");
        return E_NOTIMPL;
    }
    impl_from_IFileSystemImage3(iface)->session_start = block;
    return S_OK;
}

static HRESULT WINAPI image_get_FreeMediaBlocks(IFileSystemImage3 *iface, LONG *blocks)
{
    TRACE("%p\n", iface);
    return get_long(impl_from_IFileSystemImage3(iface)->free_blocks, blocks);
}

/* Documented: 0 means no limit; a value below the current image size is
 * IMAPI_E_IMAGE_TOO_BIG. */
static HRESULT WINAPI image_put_FreeMediaBlocks(IFileSystemImage3 *iface, LONG blocks)
{
    struct fs_image *image = impl_from_IFileSystemImage3(iface);
    LONG used;
    HRESULT hr;
    TRACE("%p %ld\n", iface, (long)blocks);
    if (blocks < 0)
        return fs_set_error(IMAPI_E_INVALID_PARAM, IMAGE_IID);
    if (blocks && SUCCEEDED(hr = used_blocks(image, &used)) && used > blocks)
        return fs_set_error(IMAPI_E_IMAGE_TOO_BIG, IMAGE_IID);
    image->free_blocks = blocks;
    return S_OK;
}

/* The recorder's current disc as MsftDiscFormat2Data (imapi2.dll, reached
 * through COM) sees it: its physical type and the sectors a new session may
 * fill. A disc no data session can go on is refused as Write would refuse
 * it; a disc the data writer cannot write at all is incompatible. */
static HRESULT media_of_recorder(IDiscRecorder2 *recorder, IMAPI_MEDIA_PHYSICAL_TYPE *type, LONG *free_sectors)
{
    static const IMAPI_FORMAT2_DATA_MEDIA_STATE writable =
        IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK | IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE |
        IMAPI_FORMAT2_DATA_MEDIA_STATE_OVERWRITE_ONLY | IMAPI_FORMAT2_DATA_MEDIA_STATE_RANDOMLY_WRITABLE;
    IMAPI_FORMAT2_DATA_MEDIA_STATE state = 0;
    VARIANT_BOOL supported = VARIANT_FALSE;
    IDiscFormat2Data *data;
    HRESULT hr;
    if (!recorder)
        return E_POINTER;
    hr = CoCreateInstance(&CLSID_MsftDiscFormat2Data, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2Data,
                          (void **)&data);
    if (FAILED(hr))
        return hr;
    hr = IDiscFormat2Data_IsCurrentMediaSupported(data, recorder, &supported);
    if (SUCCEEDED(hr) && !supported)
        hr = E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE;
    if (SUCCEEDED(hr))
        hr = IDiscFormat2Data_put_Recorder(data, recorder);
    if (SUCCEEDED(hr))
        hr = IDiscFormat2Data_get_CurrentMediaStatus(data, &state);
    if (SUCCEEDED(hr) && !(state & writable))
        hr = E_IMAPI_DF2DATA_INVALID_MEDIA_STATE;
    if (SUCCEEDED(hr))
        hr = IDiscFormat2Data_get_CurrentPhysicalMediaType(data, type);
    if (SUCCEEDED(hr))
        hr = IDiscFormat2Data_get_FreeSectorsOnMedia(data, free_sectors);
    IDiscFormat2Data_Release(data);
    return hr;
}

/* The capacity the recorder can write now: the free sectors of its disc. */
static HRESULT WINAPI image_SetMaxMediaBlocksFromDevice(IFileSystemImage3 *iface, IDiscRecorder2 *recorder)
{
    IMAPI_MEDIA_PHYSICAL_TYPE type;
    LONG free_sectors;
    HRESULT hr;
    TRACE("%p %p\n", iface, recorder);
    if (FAILED(hr = media_of_recorder(recorder, &type, &free_sectors)))
        return fs_set_error(hr, IMAGE_IID);
    return image_put_FreeMediaBlocks(iface, free_sectors);
}

static HRESULT WINAPI image_get_UsedBlocks(IFileSystemImage3 *iface, LONG *blocks)
{
    TRACE("%p\n", iface);
    if (!blocks)
        return E_POINTER;
    return fs_set_error(used_blocks(impl_from_IFileSystemImage3(iface), blocks), IMAGE_IID);
}

static HRESULT WINAPI image_get_VolumeName(IFileSystemImage3 *iface, BSTR *name)
{
    TRACE("%p\n", iface);
    return get_string(impl_from_IFileSystemImage3(iface)->volume, name);
}

/* Documented: at most 15 characters from A-Z a-z 0-9 . _ (ISO 9660 gets
 * them upper case, '.' as '_'). */
static HRESULT WINAPI image_put_VolumeName(IFileSystemImage3 *iface, BSTR name)
{
    struct fs_image *image = impl_from_IFileSystemImage3(iface);
    size_t len = name ? wcslen(name) : 0;
    TRACE("%p %s\n", iface, debugstr_w(name));
    if (len > VOLUME_NAME_MAX)
        return fs_set_error(IMAPI_E_INVALID_VOLUME_NAME, IMAGE_IID);
    for (size_t i = 0; i < len; i++)
        if (!iswascii(name[i]) || !(iswalnum(name[i]) || name[i] == '.' || name[i] == '_'))
            return fs_set_error(IMAPI_E_INVALID_VOLUME_NAME, IMAGE_IID);
    memcpy(image->volume, name ? name : L"", len * sizeof(WCHAR));
    image->volume[len] = 0;
    return S_OK;
}

static HRESULT WINAPI image_get_ImportedVolumeName(IFileSystemImage3 *iface, BSTR *name)
{
    TRACE("%p\n", iface);
    return get_string(L"", name); /* nothing is imported */
}

static HRESULT WINAPI image_get_BootImageOptions(IFileSystemImage3 *iface, IBootOptions **options)
{
    TRACE("%p\n", iface);
    if (!options)
        return E_POINTER;
    *options = NULL; /* none set */
    return S_OK;
}

static HRESULT WINAPI image_put_BootImageOptions(IFileSystemImage3 *iface, IBootOptions *options)
{
    FIXME("%p %p: El Torito boot images are not implemented\n", iface, options);
    return E_NOTIMPL;
}

static HRESULT WINAPI image_get_FileCount(IFileSystemImage3 *iface, LONG *count)
{
    LONG files = 0, dirs = 0;
    TRACE("%p\n", iface);
    if (!count)
        return E_POINTER;
    dir_counts(impl_from_IFileSystemImage3(iface)->root, &files, &dirs);
    *count = files;
    return S_OK;
}

static HRESULT WINAPI image_get_DirectoryCount(IFileSystemImage3 *iface, LONG *count)
{
    LONG files = 0, dirs = 0;
    TRACE("%p\n", iface);
    if (!count)
        return E_POINTER;
    dir_counts(impl_from_IFileSystemImage3(iface)->root, &files, &dirs);
    *count = dirs;
    return S_OK;
}

static HRESULT WINAPI image_get_WorkingDirectory(IFileSystemImage3 *iface, BSTR *dir)
{
    TRACE("%p\n", iface);
    return get_string(impl_from_IFileSystemImage3(iface)->working_dir, dir);
}

static HRESULT WINAPI image_put_WorkingDirectory(IFileSystemImage3 *iface, BSTR dir)
{
    struct fs_image *image = impl_from_IFileSystemImage3(iface);
    DWORD attrs = dir ? GetFileAttributesW(dir) : INVALID_FILE_ATTRIBUTES;
    BSTR copy;
    TRACE("%p %s\n", iface, debugstr_w(dir));
    if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY))
        return fs_set_error(IMAPI_E_INVALID_WORKING_DIRECTORY, IMAGE_IID);
    if (!(copy = SysAllocString(dir)))
        return E_OUTOFMEMORY;
    SysFreeString(image->working_dir);
    image->working_dir = copy;
    return S_OK;
}

/* Change points are not implemented: there is only the initial one. */
static HRESULT WINAPI image_get_ChangePoint(IFileSystemImage3 *iface, LONG *point)
{
    TRACE("%p\n", iface);
    return get_long(0, point);
}

static HRESULT WINAPI image_get_StrictFileSystemCompliance(IFileSystemImage3 *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_bool(impl_from_IFileSystemImage3(iface)->strict, value);
}

/* Documented: TRUE only while the image is empty. */
static HRESULT WINAPI image_put_StrictFileSystemCompliance(IFileSystemImage3 *iface, VARIANT_BOOL value)
{
    struct fs_image *image = impl_from_IFileSystemImage3(iface);
    TRACE("%p %d\n", iface, value);
    if (value && dir_count(image->root))
        return fs_set_error(IMAPI_E_FILE_SYSTEM_NOT_EMPTY, IMAGE_IID);
    image->strict = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI image_get_UseRestrictedCharacterSet(IFileSystemImage3 *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_bool(impl_from_IFileSystemImage3(iface)->restricted, value);
}

static HRESULT WINAPI image_put_UseRestrictedCharacterSet(IFileSystemImage3 *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    impl_from_IFileSystemImage3(iface)->restricted = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI image_get_FileSystemsToCreate(IFileSystemImage3 *iface, FsiFileSystems *fs)
{
    TRACE("%p\n", iface);
    if (!fs)
        return E_POINTER;
    *fs = impl_from_IFileSystemImage3(iface)->to_create;
    return S_OK;
}

static HRESULT WINAPI image_put_FileSystemsToCreate(IFileSystemImage3 *iface, FsiFileSystems fs)
{
    TRACE("%p %#x\n", iface, fs);
    if (fs & ~supported_fs)
        return fs_set_error(IMAPI_E_INVALID_PARAM, IMAGE_IID);
    impl_from_IFileSystemImage3(iface)->to_create = fs;
    return S_OK;
}

static HRESULT WINAPI image_get_FileSystemsSupported(IFileSystemImage3 *iface, FsiFileSystems *fs)
{
    TRACE("%p\n", iface);
    if (!fs)
        return E_POINTER;
    *fs = supported_fs;
    return S_OK;
}

static HRESULT WINAPI image_put_UDFRevision(IFileSystemImage3 *iface, LONG revision)
{
    TRACE("%p %#lx\n", iface, (long)revision);
    if (!in_list(udf_revisions, ARRAYSIZE(udf_revisions), revision))
        return fs_set_error(IMAPI_E_INVALID_PARAM, IMAGE_IID);
    impl_from_IFileSystemImage3(iface)->udf_revision = revision;
    return S_OK;
}

static HRESULT WINAPI image_get_UDFRevision(IFileSystemImage3 *iface, LONG *revision)
{
    TRACE("%p\n", iface);
    return get_long(impl_from_IFileSystemImage3(iface)->udf_revision, revision);
}

static HRESULT WINAPI image_get_UDFRevisionsSupported(IFileSystemImage3 *iface, SAFEARRAY **out)
{
    TRACE("%p\n", iface);
    return safearray_of_longs(udf_revisions, ARRAYSIZE(udf_revisions), VT_I4, out);
}

/* The file systems of a media type, and `blocks` (the type's nominal
 * capacity when -1) as FreeMediaBlocks unless the image is already larger. */
static HRESULT apply_media_defaults(struct fs_image *image, IMAPI_MEDIA_PHYSICAL_TYPE type, LONG blocks,
                                    HRESULT unknown_type)
{
    for (unsigned i = 0; i < ARRAYSIZE(media_defaults); i++) {
        FsiFileSystems old_fs = image->to_create;
        LONG used;
        if (media_defaults[i].type != type)
            continue;
        if (blocks < 0)
            blocks = media_defaults[i].blocks;
        image->to_create = media_defaults[i].fs;
        if (blocks && SUCCEEDED(used_blocks(image, &used)) && used > blocks) {
            image->to_create = old_fs;
            return fs_set_error(IMAPI_E_IMAGE_TOO_BIG, IMAGE_IID);
        }
        image->free_blocks = blocks;
        return S_OK;
    }
    return fs_set_error(unknown_type, IMAGE_IID);
}

/* The defaults of the disc in the recorder: its type's file systems, its
 * free sectors as FreeMediaBlocks. */
static HRESULT WINAPI image_ChooseImageDefaults(IFileSystemImage3 *iface, IDiscRecorder2 *recorder)
{
    IMAPI_MEDIA_PHYSICAL_TYPE type;
    LONG free_sectors;
    HRESULT hr;
    TRACE("%p %p\n", iface, recorder);
    if (FAILED(hr = media_of_recorder(recorder, &type, &free_sectors)))
        return fs_set_error(hr, IMAGE_IID);
    return apply_media_defaults(impl_from_IFileSystemImage3(iface), type, free_sectors,
                                E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE);
}

static HRESULT WINAPI image_ChooseImageDefaultsForMediaType(IFileSystemImage3 *iface, IMAPI_MEDIA_PHYSICAL_TYPE type)
{
    TRACE("%p %d\n", iface, type);
    return apply_media_defaults(impl_from_IFileSystemImage3(iface), type, -1, IMAPI_E_INVALID_PARAM);
}

static HRESULT WINAPI image_put_ISO9660InterchangeLevel(IFileSystemImage3 *iface, LONG level)
{
    TRACE("%p %ld\n", iface, (long)level);
    if (!in_list(iso_levels, ARRAYSIZE(iso_levels), level))
        return fs_set_error(IMAPI_E_INVALID_PARAM, IMAGE_IID);
    impl_from_IFileSystemImage3(iface)->iso_level = level;
    return S_OK;
}

static HRESULT WINAPI image_get_ISO9660InterchangeLevel(IFileSystemImage3 *iface, LONG *level)
{
    TRACE("%p\n", iface);
    return get_long(impl_from_IFileSystemImage3(iface)->iso_level, level);
}

static HRESULT WINAPI image_get_ISO9660InterchangeLevelsSupported(IFileSystemImage3 *iface, SAFEARRAY **out)
{
    TRACE("%p\n", iface);
    return safearray_of_longs(iso_levels, ARRAYSIZE(iso_levels), VT_I4, out);
}

static HRESULT WINAPI image_CreateResultImage(IFileSystemImage3 *iface, IFileSystemImageResult **result)
{
    struct fs_image *image = impl_from_IFileSystemImage3(iface);
    struct fsi_image *img;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!result)
        return E_POINTER;
    *result = NULL;
    hr = build(image, image->free_blocks, &img);
    if (SUCCEEDED(hr))
        hr = result_create(img, result);
    return fs_set_error(hr, IMAGE_IID);
}

static HRESULT WINAPI image_Exists(IFileSystemImage3 *iface, BSTR path, FsiItemType *type)
{
    struct fs_image *image = impl_from_IFileSystemImage3(iface);
    IFsiItem *item;
    HRESULT hr;
    TRACE("%p %s\n", iface, debugstr_w(path));
    if (!type)
        return E_POINTER;
    if (path && (!wcscmp(path, L"\\") || !*path)) {
        *type = FsiItemDirectory;
        return S_OK;
    }
    hr = IFsiDirectoryItem_get_Item(dir_iface(image->root), path, &item);
    if (hr == IMAPI_E_ITEM_NOT_FOUND) {
        SetErrorInfo(0, NULL);
        *type = FsiItemNotFound;
        return S_OK;
    }
    if (FAILED(hr))
        return hr;
    *type = item_from_iface(item)->is_dir ? FsiItemDirectory : FsiItemFile;
    IFsiItem_Release(item);
    return S_OK;
}

/* The members that read a disc need MultisessionInterfaces, which cannot be
 * set yet (import is not implemented): they give the documented
 * IMAPI_E_MULTISESSION_NOT_SET. */
static HRESULT WINAPI image_CalculateDiscIdentifier(IFileSystemImage3 *iface, BSTR *id)
{
    TRACE("%p\n", iface);
    if (id)
        *id = NULL;
    return fs_set_error(IMAPI_E_MULTISESSION_NOT_SET, IMAGE_IID);
}

static HRESULT WINAPI image_IdentifyFileSystemsOnDisc(IFileSystemImage3 *iface, IDiscRecorder2 *recorder,
                                                      FsiFileSystems *fs)
{
    FIXME("%p %p: reading a disc's file systems is not implemented\n", iface, recorder);
    if (fs)
        *fs = FsiFileSystemNone;
    return E_NOTIMPL;
}

/* Documented preference when importing: UDF, then Joliet, then ISO 9660. */
static HRESULT WINAPI image_GetDefaultFileSystemForImport(IFileSystemImage3 *iface, FsiFileSystems fs,
                                                          FsiFileSystems *choice)
{
    static const FsiFileSystems preference[] = {FsiFileSystemUDF, FsiFileSystemJoliet, FsiFileSystemISO9660};
    TRACE("%p %#x\n", iface, fs);
    if (!choice)
        return E_POINTER;
    *choice = FsiFileSystemNone;
    for (unsigned i = 0; i < ARRAYSIZE(preference); i++)
        if (fs & preference[i]) {
            *choice = preference[i];
            return S_OK;
        }
    return fs_set_error(IMAPI_E_NO_SUPPORTED_FILE_SYSTEM, IMAGE_IID);
}

static HRESULT WINAPI image_ImportFileSystem(IFileSystemImage3 *iface, FsiFileSystems *fs)
{
    TRACE("%p\n", iface);
    if (fs)
        *fs = FsiFileSystemNone;
    return fs_set_error(IMAPI_E_MULTISESSION_NOT_SET, IMAGE_IID);
}

static HRESULT WINAPI image_ImportSpecificFileSystem(IFileSystemImage3 *iface, FsiFileSystems fs)
{
    TRACE("%p %#x\n", iface, fs);
    return fs_set_error(IMAPI_E_MULTISESSION_NOT_SET, IMAGE_IID);
}

static HRESULT WINAPI image_RollbackToChangePoint(IFileSystemImage3 *iface, LONG point)
{
    FIXME("%p %ld: change points are not implemented\n", iface, (long)point);
    return E_NOTIMPL;
}

static HRESULT WINAPI image_LockInChangePoint(IFileSystemImage3 *iface)
{
    FIXME("%p: change points are not implemented\n", iface);
    return E_NOTIMPL;
}

static HRESULT WINAPI image_CreateDirectoryItem(IFileSystemImage3 *iface, BSTR name, IFsiDirectoryItem **out)
{
    struct fs_dir *dir;
    HRESULT hr;
    TRACE("%p %s\n", iface, debugstr_w(name));
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (FAILED(hr = item_check_name(name)) || FAILED(hr = dir_create(NULL, name, &dir)))
        return fs_set_error(hr, IMAGE_IID);
    *out = dir_iface(dir);
    return S_OK;
}

static HRESULT WINAPI image_CreateFileItem(IFileSystemImage3 *iface, BSTR name, IFsiFileItem **out)
{
    HRESULT hr;
    TRACE("%p %s\n", iface, debugstr_w(name));
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (FAILED(hr = item_check_name(name)))
        return fs_set_error(hr, IMAGE_IID);
    return fs_set_error(file_create(NULL, name, NULL, out), IMAGE_IID);
}

/* Volume names as each file system records them. */
static HRESULT WINAPI image_get_VolumeNameUDF(IFileSystemImage3 *iface, BSTR *name)
{
    TRACE("%p\n", iface);
    return get_string(impl_from_IFileSystemImage3(iface)->volume, name);
}

static HRESULT WINAPI image_get_VolumeNameJoliet(IFileSystemImage3 *iface, BSTR *name)
{
    TRACE("%p\n", iface);
    return get_string(impl_from_IFileSystemImage3(iface)->volume, name);
}

static HRESULT WINAPI image_get_VolumeNameISO9660(IFileSystemImage3 *iface, BSTR *name)
{
    WCHAR iso[VOLUME_NAME_MAX + 1];
    const WCHAR *v = impl_from_IFileSystemImage3(iface)->volume;
    size_t i = 0;
    TRACE("%p\n", iface);
    for (; v[i]; i++)
        iso[i] = v[i] == '.' ? '_' : towupper(v[i]);
    iso[i] = 0;
    return get_string(iso, name);
}

static HRESULT WINAPI image_get_StageFiles(IFileSystemImage3 *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_bool(impl_from_IFileSystemImage3(iface)->stage, value);
}

/* Files are never copied: their data is read from the source streams while
 * the image is read. The setting is kept for callers that read it back. */
static HRESULT WINAPI image_put_StageFiles(IFileSystemImage3 *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    impl_from_IFileSystemImage3(iface)->stage = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI image_get_MultisessionInterfaces(IFileSystemImage3 *iface, SAFEARRAY **out)
{
    TRACE("%p\n", iface);
    if (out)
        *out = NULL;
    return fs_set_error(IMAPI_E_MULTISESSION_NOT_SET, IMAGE_IID);
}

static HRESULT WINAPI image_put_MultisessionInterfaces(IFileSystemImage3 *iface, SAFEARRAY *value)
{
    FIXME("%p %p: multisession import is not implemented\n", iface, value);
    return E_NOTIMPL;
}

/* ---------------------------------------------------------------- IFileSystemImage2, 3 */

static HRESULT WINAPI image_get_BootImageOptionsArray(IFileSystemImage3 *iface, SAFEARRAY **out)
{
    TRACE("%p\n", iface);
    return safearray_of_longs(NULL, 0, VT_DISPATCH, out); /* documented: empty when none */
}

static HRESULT WINAPI image_put_BootImageOptionsArray(IFileSystemImage3 *iface, SAFEARRAY *value)
{
    FIXME("%p %p: El Torito boot images are not implemented\n", iface, value);
    return E_NOTIMPL;
}

static HRESULT WINAPI image_get_CreateRedundantUdfMetadataFiles(IFileSystemImage3 *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_bool(impl_from_IFileSystemImage3(iface)->redundant_udf, value);
}

/* Only meaningful for UDF 2.50 (a metadata partition), which is not made. */
static HRESULT WINAPI image_put_CreateRedundantUdfMetadataFiles(IFileSystemImage3 *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    impl_from_IFileSystemImage3(iface)->redundant_udf = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI image_ProbeSpecificFileSystem(IFileSystemImage3 *iface, FsiFileSystems fs,
                                                    VARIANT_BOOL *appendable)
{
    TRACE("%p %#x\n", iface, fs);
    if (appendable)
        *appendable = VARIANT_FALSE;
    return fs_set_error(IMAPI_E_MULTISESSION_NOT_SET, &IID_IFileSystemImage3);
}

static const IFileSystemImage3Vtbl image_vtbl = {
    image_QueryInterface, image_AddRef, image_Release,
    image_GetTypeInfoCount, image_GetTypeInfo, image_GetIDsOfNames, image_Invoke,
    image_get_Root, image_get_SessionStartBlock, image_put_SessionStartBlock, image_get_FreeMediaBlocks,
    image_put_FreeMediaBlocks, image_SetMaxMediaBlocksFromDevice, image_get_UsedBlocks, image_get_VolumeName,
    image_put_VolumeName, image_get_ImportedVolumeName, image_get_BootImageOptions, image_put_BootImageOptions,
    image_get_FileCount, image_get_DirectoryCount, image_get_WorkingDirectory, image_put_WorkingDirectory,
    image_get_ChangePoint, image_get_StrictFileSystemCompliance, image_put_StrictFileSystemCompliance,
    image_get_UseRestrictedCharacterSet, image_put_UseRestrictedCharacterSet, image_get_FileSystemsToCreate,
    image_put_FileSystemsToCreate, image_get_FileSystemsSupported, image_put_UDFRevision, image_get_UDFRevision,
    image_get_UDFRevisionsSupported, image_ChooseImageDefaults, image_ChooseImageDefaultsForMediaType,
    image_put_ISO9660InterchangeLevel, image_get_ISO9660InterchangeLevel,
    image_get_ISO9660InterchangeLevelsSupported, image_CreateResultImage, image_Exists,
    image_CalculateDiscIdentifier, image_IdentifyFileSystemsOnDisc, image_GetDefaultFileSystemForImport,
    image_ImportFileSystem, image_ImportSpecificFileSystem, image_RollbackToChangePoint, image_LockInChangePoint,
    image_CreateDirectoryItem, image_CreateFileItem, image_get_VolumeNameUDF, image_get_VolumeNameJoliet,
    image_get_VolumeNameISO9660, image_get_StageFiles, image_put_StageFiles, image_get_MultisessionInterfaces,
    image_put_MultisessionInterfaces,
    image_get_BootImageOptionsArray, image_put_BootImageOptionsArray,
    image_get_CreateRedundantUdfMetadataFiles, image_put_CreateRedundantUdfMetadataFiles,
    image_ProbeSpecificFileSystem,
};

HRESULT file_system_image_create(IUnknown *outer, REFIID riid, void **out)
{
    struct fs_image *image = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*image));
    WCHAR temp[MAX_PATH];
    HRESULT hr;
    (void)outer;
    if (!image)
        return E_OUTOFMEMORY;
    image->IFileSystemImage3_iface.lpVtbl = &image_vtbl;
    image->ref = 1;
    event_source_init(&image->events, (IUnknown *)&image->IFileSystemImage3_iface, &CLSID_MsftFileSystemImage,
                      &IID_IFileSystemImage, &IID_DFileSystemImageEvents);
    /* Undocumented defaults, chosen: ISO 9660 + Joliet, level 2, UDF 1.02. */
    image->to_create = FsiFileSystemISO9660 | FsiFileSystemJoliet;
    image->iso_level = 2;
    image->udf_revision = 0x102;
    image->free_blocks = DEFAULT_FREE_MEDIA_BLOCKS;
    if (GetTempPathW(ARRAYSIZE(temp), temp)) /* documented default */
        image->working_dir = SysAllocString(temp);
    hr = dir_create(image, L"", &image->root);
    if (FAILED(hr)) {
        SysFreeString(image->working_dir);
        event_source_destroy(&image->events);
        HeapFree(GetProcessHeap(), 0, image);
        return hr;
    }
    imapi2_module_addref();
    hr = IFileSystemImage3_QueryInterface(&image->IFileSystemImage3_iface, riid, out);
    IFileSystemImage3_Release(&image->IFileSystemImage3_iface);
    return hr;
}
