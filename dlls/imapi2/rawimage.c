/* MsftRawCDImageCreator (IRawCDImageCreator) and the IRawCDImageTrackInfo
 * views it hands out: the COM face of the raw DAO image generator in
 * libs/mmc/rawimage.c, whose header describes the image layout.
 *
 * Windows behaviour followed here, from the IRawCDImageCreator /
 * IRawCDImageTrackInfo reference pages (learn.microsoft.com, imapi2.h):
 *  - AddTrack accepts IMAPI_CD_SECTOR_AUDIO only ("the only value
 *    supported"); the other IMAPI_CD_SECTOR_TYPE values get
 *    E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED, values outside the enum
 *    E_INVALIDARG.
 *  - CreateResultImage can be called once and makes the object read-only:
 *    a second call, and every setter after it (here and on the track
 *    views), get E_IMAPI_RAW_IMAGE_IS_READ_ONLY; getters keep working.
 *  - StartOfLeadout and ExpectedTableOfContents need a track first
 *    (E_IMAPI_RAW_IMAGE_NO_TRACKS).
 *  - MediaCatalogNumber: 13 decimal digits with a valid check digit (the
 *    last one, EAN-13 weighting); leading zeros may be left out and are
 *    put back; the getter gives all 13. Anything else: E_INVALIDARG (the
 *    raw-image error family has no code for it); a wrong check digit with
 *    a description naming the digit EAN-13 wants (the Q channel itself
 *    stores any 13 digits: rawburn burns such numbers on its own path).
 *  - ISRC: given as "CC-OOO-YY-NNNNN" or without the dashes; the getter
 *    gives the dashed form. Bad syntax: E_INVALIDARG.
 *  - ResultingImageType PQ_ONLY cannot go with an R-W generator (either
 *    order: E_INVALIDARG).
 * Extension (not in Windows): CD-Text given by Imapi2OpenCDText::AttachTo
 * (cdtext.c) is written into the lead-in R-W (libs/mmc/rawimage.h). It
 * and an R-W generator both claim that R-W: the second one is refused with
 * E_INVALIDARG and a description naming the first; so is CD-Text with a
 * PQ-only image type (either order).
 * Choices where Windows documents nothing:
 *  - ExpectedTableOfContents: a SAFEARRAY of VARIANTs, one VT_UI1 a byte,
 *    holding the READ TOC format 0 response (LBA addressing) the burnt
 *    disc would give: the "SCSI-form table of contents" of the docs.
 *  - TrackIndexes: VT_I4 VARIANTs, the LBA offsets from the track start,
 *    index 1's offset 0 first.
 *  - A NULL stream is E_POINTER.
 *
 * The caller's streams are kept (AddRef'ed) and read only when the result
 * stream is read, by IStream::Seek + Read, serialised by the shared lock. */
#include <stdio.h>
#include "imapi2_private.h"
#include "rawimage_stream.h"
#include "mmc/cdtext.h"
#include "mmc/subcode.h"

/* ---- a caller's IStream as a generator source ---- */

/* A stream that ends before its Stat size fails the read: the image would
 * otherwise silently carry bytes that are not the caller's. */
static int stream_source_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    IStream *stream = ctx;
    LARGE_INTEGER at;
    BYTE *out = buf;
    HRESULT hr;
    at.QuadPart = (LONGLONG)offset;
    if (FAILED(hr = IStream_Seek(stream, at, STREAM_SEEK_SET, NULL)))
        return hr;
    while (len) {
        ULONG want = len > 0x100000 ? 0x100000 : (ULONG)len, got = 0;
        if (FAILED(hr = IStream_Read(stream, out, want, &got)))
            return hr;
        if (!got)
            return HRESULT_FROM_WIN32(ERROR_HANDLE_EOF);
        out += got;
        len -= got;
    }
    return 0;
}

static void stream_source_release(void *ctx)
{
    IStream_Release((IStream *)ctx);
}

/* The generator takes the source over (and releases it even when the call
 * that was given it fails), so the AddRef here is always balanced. */
static HRESULT source_from_stream(IStream *stream, struct rawimage_source *src)
{
    STATSTG stat;
    HRESULT hr;
    memset(&stat, 0, sizeof(stat));
    if (FAILED(hr = IStream_Stat(stream, &stat, STATFLAG_NONAME))) {
        WARN("Stat of the caller's stream failed: %#lx\n", (unsigned long)hr);
        return hr;
    }
    CoTaskMemFree(stat.pwcsName); /* NONAME, but not every stream obeys */
    src->read = stream_source_read;
    src->release = stream_source_release;
    src->ctx = stream;
    src->size = stat.cbSize.QuadPart;
    IStream_AddRef(stream);
    return S_OK;
}

/* ---- text forms ---- */

/* "" or NULL clears; else up to 13 digits, zero-padded on the left. */
static HRESULT mcn_from_text(const WCHAR *text, char out[14])
{
    size_t len = text ? wcslen(text) : 0, pad;
    out[0] = 0;
    if (!len)
        return S_OK;
    if (len > 13)
        return E_INVALIDARG;
    pad = 13 - len;
    memset(out, '0', pad);
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return E_INVALIDARG;
        out[pad + i] = (char)text[i];
    }
    out[13] = 0;
    return S_OK;
}

/* A catalog number whose check digit is not EAN-13's is refused, as
 * documented, with a description saying which digit it wants. */
static HRESULT mcn_check(const char mcn[14], char *why, size_t why_len)
{
    char want;
    if (!mcn[0] || mcn[12] == (want = cd_mcn_check_digit(mcn)))
        return S_OK;
    snprintf(why, why_len,
             "The media catalog number %s has a wrong check digit: EAN-13 gives %c as its last digit, not %c.", mcn,
             want, mcn[12]);
    return E_INVALIDARG;
}

/* "CC-OOO-YY-NNNNN" or "CCOOOYYNNNNN" -> the 12 characters (the generator
 * checks which characters are allowed); FALSE for any other shape. */
static BOOL isrc_compact(const WCHAR *text, char out[13])
{
    size_t len = wcslen(text), n = 0;
    if (len != 12 && len != 15)
        return FALSE;
    for (size_t i = 0; i < len; i++) {
        if (len == 15 && (i == 2 || i == 6 || i == 9)) {
            if (text[i] != '-')
                return FALSE;
            continue;
        }
        if (text[i] > 0x7f)
            return FALSE;
        out[n++] = (char)text[i];
    }
    out[n] = 0;
    return TRUE;
}

static BSTR isrc_dashed(const char isrc[13])
{
    char text[16];
    if (!isrc[0])
        return SysAllocString(L"");
    snprintf(text, sizeof(text), "%.2s-%.3s-%.2s-%.5s", isrc, isrc + 2, isrc + 5, isrc + 7);
    return bstr_from_utf8(text);
}

static HRESULT bytes_as_variants(const BYTE *bytes, size_t count, SAFEARRAY **out)
{
    SAFEARRAY *sa = SafeArrayCreateVector(VT_VARIANT, 0, (ULONG)count);
    VARIANT *data;
    if (!sa)
        return E_OUTOFMEMORY;
    if (count && FAILED(SafeArrayAccessData(sa, (void **)&data))) {
        SafeArrayDestroy(sa);
        return E_FAIL;
    }
    for (size_t i = 0; i < count; i++) {
        V_VT(&data[i]) = VT_UI1;
        V_UI1(&data[i]) = bytes[i];
    }
    if (count)
        SafeArrayUnaccessData(sa);
    *out = sa;
    return S_OK;
}

/* ======================================================================
 * What the creator and its track views share: one dual interface,
 * ISupportErrorInfo, and a hold on the image
 * ====================================================================== */

struct image_object {
    /* ISupportErrorInfo only; its owner is the object's interface and its
     * error_iid that interface's IID, which is all QueryInterface needs. */
    struct event_source source;
    LONG ref;
    struct rawimage_shared *shared;
};

/* Takes over one reference to shared. */
static void image_object_init(struct image_object *object, IUnknown *iface, const CLSID *clsid, const IID *iid,
                              struct rawimage_shared *shared)
{
    object->ref = 1;
    event_source_init(&object->source, iface, clsid, iid, NULL);
    object->shared = shared;
    imapi2_module_addref();
}

static HRESULT image_object_query(struct image_object *object, REFIID riid, void **out)
{
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, object->source.error_iid)) {
        *out = object->source.owner;
        IUnknown_AddRef(object->source.owner);
        return S_OK;
    }
    if (event_source_query(&object->source, riid, out))
        return S_OK;
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

/* allocation: the heap block object lives in, freed with the last reference. */
static ULONG image_object_release(struct image_object *object, void *allocation)
{
    ULONG ref = InterlockedDecrement(&object->ref);
    if (!ref) {
        event_source_destroy(&object->source);
        rawimage_shared_release(object->shared);
        HeapFree(GetProcessHeap(), 0, allocation);
        imapi2_module_release();
    }
    return ref;
}

/* IUnknown of an object whose impl_from_<Iface>() has an image_object `object`. */
#define IMAGE_OBJECT_IUNKNOWN_METHODS(prefix, Iface)                                            \
    static HRESULT WINAPI prefix##_QueryInterface(Iface *iface, REFIID riid, void **out)        \
    {                                                                                           \
        return image_object_query(&impl_from_##Iface(iface)->object, riid, out);                \
    }                                                                                           \
    static ULONG WINAPI prefix##_AddRef(Iface *iface)                                           \
    {                                                                                           \
        return InterlockedIncrement(&impl_from_##Iface(iface)->object.ref);                     \
    }                                                                                           \
    static ULONG WINAPI prefix##_Release(Iface *iface)                                          \
    {                                                                                           \
        return image_object_release(&impl_from_##Iface(iface)->object, impl_from_##Iface(iface)); \
    }

/* A setter whose whole work is one call into the generator, made as `call`
 * with the generator as img under the lock (the generator itself refuses
 * changes once the image is final); prefix##_result records the outcome. */
#define IMAGE_SETTER(prefix, Iface, method, type, call)                                         \
    static HRESULT WINAPI prefix##_##method(Iface *iface, type value)                           \
    {                                                                                           \
        struct image_object *object = &impl_from_##Iface(iface)->object;                        \
        struct rawimage *img;                                                                   \
        HRESULT hr;                                                                             \
        TRACE("%ld\n", (long)value);                                                            \
        img = rawimage_shared_lock(object->shared);                                             \
        hr = (call);                                                                            \
        rawimage_shared_unlock(object->shared);                                                 \
        return prefix##_result(hr);                                                             \
    }

/* ======================================================================
 * IRawCDImageTrackInfo: a live view of one track of the creator's image
 * ====================================================================== */

struct track_view {
    IRawCDImageTrackInfo IRawCDImageTrackInfo_iface;
    struct image_object object;
    int index;                  /* 1-based, as AddTrack returned it */
};

static inline struct track_view *impl_from_IRawCDImageTrackInfo(IRawCDImageTrackInfo *iface)
{
    return CONTAINING_RECORD(iface, struct track_view, IRawCDImageTrackInfo_iface);
}

static int track_index(IRawCDImageTrackInfo *iface)
{
    return impl_from_IRawCDImageTrackInfo(iface)->index;
}

/* Every call leaves the error object of its own outcome: a failure without
 * an IMAPI2 text must not let IDispatch::Invoke report an older one. */
static HRESULT track_result(HRESULT hr)
{
    SetErrorInfo(0, NULL);
    return imapi2_set_error(hr, &IID_IRawCDImageTrackInfo);
}

IMAGE_OBJECT_IUNKNOWN_METHODS(track, IRawCDImageTrackInfo)
IMAPI2_DISPATCH_METHODS(track, IRawCDImageTrackInfo)

/* A snapshot of the track as the generator has it now. */
static HRESULT track_info(struct track_view *view, struct rawimage_track_info *info)
{
    struct rawimage *img = rawimage_shared_lock(view->object.shared);
    HRESULT hr = rawimage_track_info(img, view->index, info);
    rawimage_shared_unlock(view->object.shared);
    return hr;
}

/* Reads one field of the snapshot: the getters differ only in which. */
#define TRACK_GETTER(name, type, expr)                                         \
    static HRESULT WINAPI track_get_##name(IRawCDImageTrackInfo *iface, type *value) \
    {                                                                          \
        struct rawimage_track_info info;                                       \
        HRESULT hr;                                                            \
        TRACE("%p\n", iface);                                                  \
        if (!value)                                                            \
            return E_POINTER;                                                  \
        if (FAILED(hr = track_info(impl_from_IRawCDImageTrackInfo(iface), &info))) \
            return track_result(hr);                                           \
        *value = (expr);                                                       \
        return S_OK;                                                           \
    }

TRACK_GETTER(StartingLba, LONG, info.start_lba)
TRACK_GETTER(SectorCount, LONG, info.sector_count)
TRACK_GETTER(TrackNumber, LONG, info.number)
TRACK_GETTER(SectorType, IMAPI_CD_SECTOR_TYPE, (IMAPI_CD_SECTOR_TYPE)info.type)
TRACK_GETTER(DigitalAudioCopySetting, IMAPI_CD_TRACK_DIGITAL_COPY_SETTING,
             (IMAPI_CD_TRACK_DIGITAL_COPY_SETTING)info.copy)
TRACK_GETTER(AudioHasPreemphasis, VARIANT_BOOL, info.preemphasis ? VARIANT_TRUE : VARIANT_FALSE)

static HRESULT WINAPI track_get_ISRC(IRawCDImageTrackInfo *iface, BSTR *value)
{
    struct rawimage_track_info info;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = track_info(impl_from_IRawCDImageTrackInfo(iface), &info)))
        return track_result(hr);
    return (*value = isrc_dashed(info.isrc)) ? S_OK : E_OUTOFMEMORY;
}

static HRESULT WINAPI track_put_ISRC(IRawCDImageTrackInfo *iface, BSTR value)
{
    struct track_view *view = impl_from_IRawCDImageTrackInfo(iface);
    struct rawimage *img;
    char isrc[13] = "";
    HRESULT hr;
    TRACE("%s\n", debugstr_w(value));
    img = rawimage_shared_lock(view->object.shared);
    if (rawimage_is_final(img))
        hr = E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    else if (value && value[0] && !isrc_compact(value, isrc))
        hr = E_INVALIDARG;
    else
        hr = rawimage_set_isrc(img, view->index, isrc);
    rawimage_shared_unlock(view->object.shared);
    return track_result(hr);
}

IMAGE_SETTER(track, IRawCDImageTrackInfo, put_DigitalAudioCopySetting, IMAPI_CD_TRACK_DIGITAL_COPY_SETTING,
             rawimage_set_copy(img, track_index(iface), value))

IMAGE_SETTER(track, IRawCDImageTrackInfo, put_AudioHasPreemphasis, VARIANT_BOOL,
             rawimage_set_preemphasis(img, track_index(iface), value != VARIANT_FALSE))

static HRESULT WINAPI track_get_TrackIndexes(IRawCDImageTrackInfo *iface, SAFEARRAY **value)
{
    struct rawimage_track_info info;
    LONG offsets[ARRAYSIZE(info.index_offsets)];
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = track_info(impl_from_IRawCDImageTrackInfo(iface), &info)))
        return track_result(hr);
    for (int i = 0; i < info.index_count; i++)
        offsets[i] = info.index_offsets[i];
    return safearray_of_i4(offsets, (unsigned)info.index_count, value);
}

IMAGE_SETTER(track, IRawCDImageTrackInfo, AddTrackIndex, LONG, rawimage_add_index(img, track_index(iface), value))

IMAGE_SETTER(track, IRawCDImageTrackInfo, ClearTrackIndex, LONG, rawimage_clear_index(img, track_index(iface), value))

static const IRawCDImageTrackInfoVtbl track_vtbl = {
    track_QueryInterface,
    track_AddRef,
    track_Release,
    track_GetTypeInfoCount,
    track_GetTypeInfo,
    track_GetIDsOfNames,
    track_Invoke,
    track_get_StartingLba,
    track_get_SectorCount,
    track_get_TrackNumber,
    track_get_SectorType,
    track_get_ISRC,
    track_put_ISRC,
    track_get_DigitalAudioCopySetting,
    track_put_DigitalAudioCopySetting,
    track_get_AudioHasPreemphasis,
    track_put_AudioHasPreemphasis,
    track_get_TrackIndexes,
    track_AddTrackIndex,
    track_ClearTrackIndex,
};

static HRESULT track_view_create(struct rawimage_shared *shared, int index, IRawCDImageTrackInfo **out)
{
    struct track_view *view = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*view));
    if (!view)
        return E_OUTOFMEMORY;
    view->IRawCDImageTrackInfo_iface.lpVtbl = &track_vtbl;
    rawimage_shared_addref(shared);
    image_object_init(&view->object, (IUnknown *)&view->IRawCDImageTrackInfo_iface, NULL,
                      &IID_IRawCDImageTrackInfo, shared);
    view->index = index;
    *out = &view->IRawCDImageTrackInfo_iface;
    return S_OK;
}

/* ======================================================================
 * IRawCDImageCreator
 * ====================================================================== */

struct creator {
    IRawCDImageCreator IRawCDImageCreator_iface;
    struct image_object object; /* no events */
};

static inline struct creator *impl_from_IRawCDImageCreator(IRawCDImageCreator *iface)
{
    return CONTAINING_RECORD(iface, struct creator, IRawCDImageCreator_iface);
}

static HRESULT creator_result(HRESULT hr)
{
    SetErrorInfo(0, NULL); /* as track_result */
    return imapi2_set_error(hr, &IID_IRawCDImageCreator);
}

IMAGE_OBJECT_IUNKNOWN_METHODS(creator, IRawCDImageCreator)
IMAPI2_DISPATCH_METHODS(creator, IRawCDImageCreator)

static struct rawimage *creator_lock(struct creator *creator)
{
    return rawimage_shared_lock(creator->object.shared);
}

static void creator_unlock(struct creator *creator)
{
    rawimage_shared_unlock(creator->object.shared);
}

/* Reads one property of the generator under the lock: the getters differ only in which. */
#define CREATOR_GETTER(name, type, expr)                                                        \
    static HRESULT WINAPI creator_get_##name(IRawCDImageCreator *iface, type *value)            \
    {                                                                                           \
        struct creator *creator = impl_from_IRawCDImageCreator(iface);                          \
        struct rawimage *img;                                                                   \
        if (!value)                                                                             \
            return E_POINTER;                                                                   \
        img = creator_lock(creator);                                                            \
        *value = (expr);                                                                        \
        creator_unlock(creator);                                                                \
        return S_OK;                                                                            \
    }

static HRESULT WINAPI creator_CreateResultImage(IRawCDImageCreator *iface, IStream **result)
{
    struct creator *creator = impl_from_IRawCDImageCreator(iface);
    struct rawimage *img;
    HRESULT hr;
    TRACE("%p\n", result);
    if (!result)
        return E_POINTER;
    *result = NULL;
    int text_status = CDTEXT_OK;
    img = creator_lock(creator);
    if (rawimage_is_final(img)) {
        hr = E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    } else if (rawimage_track_count(img) && (text_status = rawimage_check_cdtext(img)) != CDTEXT_OK) {
        hr = text_status == CDTEXT_ERR_NOMEM ? E_OUTOFMEMORY : E_INVALIDARG;
    } else {
        hr = rawimage_finalize(img);
    }
    creator_unlock(creator);
    if (text_status != CDTEXT_OK)
        return imapi2_set_error_text(hr, &IID_IRawCDImageCreator, cdtext_strerror(text_status));
    if (SUCCEEDED(hr))
        hr = rawimage_result_stream_create(creator->object.shared, result);
    return creator_result(hr);
}

/* AddTrack, AddSpecialPregap and AddSubcodeRWGenerator: under the lock,
 * refuse once final, run the method's own check, wrap the caller's stream
 * and hand it to the generator (which takes the source over). */
struct stream_adder {
    HRESULT (*check)(struct creator *creator, struct rawimage *img, int arg);  /* NULL: none */
    int32_t (*add)(struct creator *creator, struct rawimage *img, const struct rawimage_source *src, int arg,
                   int *added);
};

static HRESULT add_stream(struct creator *creator, IStream *stream, const struct stream_adder *adder, int arg,
                          int *added)
{
    struct rawimage_source src;
    struct rawimage *img = creator_lock(creator);
    HRESULT hr = S_OK;
    if (rawimage_is_final(img))
        hr = E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    else if ((!adder->check || SUCCEEDED(hr = adder->check(creator, img, arg))) &&
             SUCCEEDED(hr = source_from_stream(stream, &src)))
        hr = adder->add(creator, img, &src, arg, added);
    creator_unlock(creator);
    return hr;
}

static HRESULT check_track_type(struct creator *creator, struct rawimage *img, int type)
{
    (void)creator;
    (void)img;
    if (type < IMAPI_CD_SECTOR_AUDIO || type > IMAPI_CD_SECTOR_MODE2FORM2RAW)
        return E_INVALIDARG;
    if (type != IMAPI_CD_SECTOR_AUDIO) {
        WARN("sector type %d: Windows takes audio tracks only\n", type);
        return E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED;
    }
    return S_OK;
}

static int32_t add_track(struct creator *creator, struct rawimage *img, const struct rawimage_source *src, int type,
                         int *added)
{
    (void)creator;
    return rawimage_add_track(img, type, src, added);
}

static int32_t add_pregap(struct creator *creator, struct rawimage *img, const struct rawimage_source *src, int arg,
                          int *added)
{
    (void)creator;
    (void)arg;
    (void)added;
    return rawimage_add_special_pregap(img, src);
}

static const char rw_taken_by_cdtext[] =
    "CD-Text (IMAPI2Open.CDText) already holds the lead-in R-W: an R-W generator cannot be added as well";
static const char rw_taken_by_generator[] =
    "an R-W generator (AddSubcodeRWGenerator) already holds the R-W sub-channel: CD-Text cannot be added as well";
static const char pq_has_no_rw[] = "a PQ-only image (ResultingImageType 1) has no R-W sub-channel";

/* A PQ image has no room for R-W; CD-Text and an R-W stream both claim the
 * lead-in R-W, so the second of them is refused (clearly, not silently). */
static HRESULT check_rw(struct creator *creator, struct rawimage *img, int arg)
{
    (void)creator;
    (void)arg;
    if (rawimage_image_type(img) == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY)
        return imapi2_set_error_text(E_INVALIDARG, &IID_IRawCDImageCreator, pq_has_no_rw);
    if (rawimage_has_cdtext(img))
        return imapi2_set_error_text(E_INVALIDARG, &IID_IRawCDImageCreator, rw_taken_by_cdtext);
    return S_OK;
}

static int32_t add_rw(struct creator *creator, struct rawimage *img, const struct rawimage_source *src, int arg,
                      int *added)
{
    int32_t hr = rawimage_add_subcode_rw(img, src);
    (void)arg;
    (void)added;
    if (SUCCEEDED(hr))
        creator->object.shared->has_rw = TRUE;
    return hr;
}

static const struct stream_adder track_adder = { check_track_type, add_track };
static const struct stream_adder pregap_adder = { NULL, add_pregap };
static const struct stream_adder rw_adder = { check_rw, add_rw };

static HRESULT WINAPI creator_AddTrack(IRawCDImageCreator *iface, IMAPI_CD_SECTOR_TYPE type, IStream *data,
                                       LONG *index)
{
    struct creator *creator = impl_from_IRawCDImageCreator(iface);
    int added = 0;
    HRESULT hr;
    TRACE("%d %p\n", type, data);
    if (!data || !index)
        return E_POINTER;
    hr = add_stream(creator, data, &track_adder, (int)type, &added);
    if (SUCCEEDED(hr))
        *index = added;
    if (hr == E_INVALIDARG && type == IMAPI_CD_SECTOR_AUDIO) {
        /* The one E_INVALIDARG an audio track's stream gets: too short. */
        STATSTG stat;
        if (SUCCEEDED(IStream_Stat(data, &stat, STATFLAG_NONAME))) {
            ULONGLONG sectors = (stat.cbSize.QuadPart + CD_SECTOR_SIZE - 1) / CD_SECTOR_SIZE;
            if (sectors < CD_MIN_TRACK_SECTORS) {
                char why[160];
                SetErrorInfo(0, NULL);
                snprintf(why, sizeof(why),
                         "track shorter than 4 s: %.2f s (%llu sector%s); a track needs at least 300 sectors",
                         (double)sectors / 75, sectors, sectors == 1 ? "" : "s");
                return imapi2_set_error_text(hr, &IID_IRawCDImageCreator, why);
            }
        }
    }
    return creator_result(hr);
}

static HRESULT WINAPI creator_AddSpecialPregap(IRawCDImageCreator *iface, IStream *data)
{
    TRACE("%p\n", data);
    if (!data)
        return E_POINTER;
    return creator_result(add_stream(impl_from_IRawCDImageCreator(iface), data, &pregap_adder, 0, NULL));
}

static HRESULT WINAPI creator_AddSubcodeRWGenerator(IRawCDImageCreator *iface, IStream *subcode)
{
    HRESULT hr;
    TRACE("%p\n", subcode);
    SetErrorInfo(0, NULL);
    if (!subcode)
        return E_POINTER;
    hr = add_stream(impl_from_IRawCDImageCreator(iface), subcode, &rw_adder, 0, NULL);
    /* check_rw has described its refusals already */
    return hr == E_INVALIDARG ? hr : creator_result(hr);
}

static HRESULT WINAPI creator_put_ResultingImageType(IRawCDImageCreator *iface,
                                                     IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE value)
{
    struct creator *creator = impl_from_IRawCDImageCreator(iface);
    struct rawimage *img;
    HRESULT hr;
    TRACE("%d\n", value);
    const char *why = NULL;
    img = creator_lock(creator);
    if (!rawimage_is_final(img) && value == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY &&
        (creator->object.shared->has_rw || rawimage_has_cdtext(img))) {
        hr = E_INVALIDARG;
        why = rawimage_has_cdtext(img) ? "a PQ-only image has no R-W sub-channel for the CD-Text it was given"
                                       : "a PQ-only image has no R-W sub-channel for the R-W generator it was given";
    } else {
        hr = rawimage_set_image_type(img, value);
    }
    creator_unlock(creator);
    if (why)
        return imapi2_set_error_text(hr, &IID_IRawCDImageCreator, why);
    return creator_result(hr);
}

CREATOR_GETTER(ResultingImageType, IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE, rawimage_image_type(img))

static HRESULT WINAPI creator_get_StartOfLeadout(IRawCDImageCreator *iface, LONG *value)
{
    struct creator *creator = impl_from_IRawCDImageCreator(iface);
    struct rawimage *img;
    HRESULT hr = S_OK;
    if (!value)
        return E_POINTER;
    img = creator_lock(creator);
    if (!rawimage_track_count(img))
        hr = E_IMAPI_RAW_IMAGE_NO_TRACKS;
    else
        *value = rawimage_leadout_lba(img);
    creator_unlock(creator);
    return creator_result(hr);
}

IMAGE_SETTER(creator, IRawCDImageCreator, put_StartOfLeadoutLimit, LONG, rawimage_set_leadout_limit(img, value))

CREATOR_GETTER(StartOfLeadoutLimit, LONG, rawimage_leadout_limit(img))

IMAGE_SETTER(creator, IRawCDImageCreator, put_DisableGaplessAudio, VARIANT_BOOL,
             rawimage_set_disable_gapless_audio(img, value != VARIANT_FALSE))

CREATOR_GETTER(DisableGaplessAudio, VARIANT_BOOL, rawimage_disable_gapless_audio(img) ? VARIANT_TRUE : VARIANT_FALSE)

static HRESULT WINAPI creator_put_MediaCatalogNumber(IRawCDImageCreator *iface, BSTR value)
{
    struct creator *creator = impl_from_IRawCDImageCreator(iface);
    struct rawimage *img;
    char mcn[14], why[160] = "";
    HRESULT hr;
    TRACE("%s\n", debugstr_w(value));
    img = creator_lock(creator);
    if (rawimage_is_final(img))
        hr = E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    else if (SUCCEEDED(hr = mcn_from_text(value, mcn)) && SUCCEEDED(hr = mcn_check(mcn, why, sizeof(why))))
        hr = rawimage_set_mcn(img, mcn);
    creator_unlock(creator);
    if (why[0])
        return imapi2_set_error_text(hr, &IID_IRawCDImageCreator, why);
    return creator_result(hr);
}

static HRESULT WINAPI creator_get_MediaCatalogNumber(IRawCDImageCreator *iface, BSTR *value)
{
    struct creator *creator = impl_from_IRawCDImageCreator(iface);
    if (!value)
        return E_POINTER;
    *value = bstr_from_utf8(rawimage_mcn(creator_lock(creator)));
    creator_unlock(creator);
    return *value ? S_OK : E_OUTOFMEMORY;
}

IMAGE_SETTER(creator, IRawCDImageCreator, put_StartingTrackNumber, LONG, rawimage_set_starting_track(img, value))

CREATOR_GETTER(StartingTrackNumber, LONG, rawimage_starting_track(img))

static HRESULT WINAPI creator_get_TrackInfo(IRawCDImageCreator *iface, LONG index, IRawCDImageTrackInfo **value)
{
    struct creator *creator = impl_from_IRawCDImageCreator(iface);
    int count;
    TRACE("%ld\n", (long)index);
    if (!value)
        return E_POINTER;
    *value = NULL;
    count = rawimage_track_count(creator_lock(creator));
    creator_unlock(creator);
    if (index < 1 || index > count)
        return creator_result(E_INVALIDARG);
    return creator_result(track_view_create(creator->object.shared, index, value));
}

CREATOR_GETTER(NumberOfExistingTracks, LONG, rawimage_track_count(img))

CREATOR_GETTER(LastUsedUserSectorInImage, LONG, rawimage_last_used_sector(img))

static HRESULT WINAPI creator_get_ExpectedTableOfContents(IRawCDImageCreator *iface, SAFEARRAY **value)
{
    struct creator *creator = impl_from_IRawCDImageCreator(iface);
    BYTE toc[4 + 8 * (RAWIMAGE_MAX_TRACKS + 1)];
    struct rawimage *img;
    size_t len = 0;
    HRESULT hr = S_OK;
    if (!value)
        return E_POINTER;
    *value = NULL;
    img = creator_lock(creator);
    if (!rawimage_track_count(img))
        hr = E_IMAPI_RAW_IMAGE_NO_TRACKS;
    else
        len = rawimage_toc_format0(img, toc, sizeof(toc));
    creator_unlock(creator);
    if (SUCCEEDED(hr))
        hr = bytes_as_variants(toc, len, value);
    return creator_result(hr);
}

static const IRawCDImageCreatorVtbl creator_vtbl = {
    creator_QueryInterface,
    creator_AddRef,
    creator_Release,
    creator_GetTypeInfoCount,
    creator_GetTypeInfo,
    creator_GetIDsOfNames,
    creator_Invoke,
    creator_CreateResultImage,
    creator_AddTrack,
    creator_AddSpecialPregap,
    creator_AddSubcodeRWGenerator,
    creator_put_ResultingImageType,
    creator_get_ResultingImageType,
    creator_get_StartOfLeadout,
    creator_put_StartOfLeadoutLimit,
    creator_get_StartOfLeadoutLimit,
    creator_put_DisableGaplessAudio,
    creator_get_DisableGaplessAudio,
    creator_put_MediaCatalogNumber,
    creator_get_MediaCatalogNumber,
    creator_put_StartingTrackNumber,
    creator_get_StartingTrackNumber,
    creator_get_TrackInfo,
    creator_get_NumberOfExistingTracks,
    creator_get_LastUsedUserSectorInImage,
    creator_get_ExpectedTableOfContents,
};

/* EXTENSION (Imapi2OpenCDText::AttachTo, cdtext.c). Only our own creator
 * can take CD-Text: its vtable says it is ours. */
HRESULT rawimage_creator_set_cdtext(IRawCDImageCreator *iface, const struct cdtext *text)
{
    struct creator *creator;
    struct cdtext *copy = NULL;
    struct rawimage *img;
    const char *why = NULL;
    HRESULT hr = S_OK;
    SetErrorInfo(0, NULL);
    if (iface->lpVtbl != &creator_vtbl)
        return imapi2_set_error_text(E_INVALIDARG, &IID_IImapi2OpenCDText,
                                     "CD-Text can only be given to this implementation's MsftRawCDImageCreator");
    creator = impl_from_IRawCDImageCreator(iface);
    if (text && !cdtext_is_empty(text) && cdtext_copy(text, &copy) != CDTEXT_OK)
        return E_OUTOFMEMORY;
    img = creator_lock(creator);
    if (rawimage_is_final(img))
        hr = E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    else if (copy && rawimage_image_type(img) == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY)
        hr = E_INVALIDARG, why = pq_has_no_rw;
    else if (copy && creator->object.shared->has_rw)
        hr = E_INVALIDARG, why = rw_taken_by_generator;
    if (FAILED(hr))
        cdtext_free(copy);
    else
        hr = rawimage_set_cdtext(img, copy);
    creator_unlock(creator);
    return why ? imapi2_set_error_text(hr, &IID_IImapi2OpenCDText, why) : imapi2_set_error(hr, &IID_IImapi2OpenCDText);
}

HRESULT rawimage_creator_create(IUnknown *outer, REFIID riid, void **out)
{
    struct rawimage_shared *shared;
    struct creator *creator;
    HRESULT hr;
    (void)outer;
    if (!(creator = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*creator))))
        return E_OUTOFMEMORY;
    if (FAILED(hr = rawimage_shared_create(&shared))) {
        HeapFree(GetProcessHeap(), 0, creator);
        return hr;
    }
    creator->IRawCDImageCreator_iface.lpVtbl = &creator_vtbl;
    image_object_init(&creator->object, (IUnknown *)&creator->IRawCDImageCreator_iface,
                      &CLSID_MsftRawCDImageCreator, &IID_IRawCDImageCreator, shared);
    hr = IRawCDImageCreator_QueryInterface(&creator->IRawCDImageCreator_iface, riid, out);
    IRawCDImageCreator_Release(&creator->IRawCDImageCreator_iface);
    return hr;
}
