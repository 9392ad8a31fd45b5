/* MsftRawCDImageCreator (IRawCDImageCreator), the IRawCDImageTrackInfo views
 * and the result stream: every member, defaults, documented limits and
 * errors, the generated image read back.
 *
 * Windows facts come from the IRawCDImageCreator / IRawCDImageTrackInfo
 * reference pages (see dlls/imapi2/rawimage.c). Checks marked "choice" pin
 * behaviour Windows does not document (which error for a syntax error,
 * the ExpectedTableOfContents element type, NULL streams); they want a run
 * against a real imapi2.dll before they count as Windows facts. */
#define COBJMACROS
#define CONST_VTABLE
#include <windows.h>
#include <ole2.h>
#include <string.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "okay.h"
#include "test_com.h"
#include "mmc/geometry.h"


/* ---------------------------------------------------------------------
 * A test IStream: bytes computed from their offset (so 80 minutes cost
 * nothing), with counters and injectable failures.
 * --------------------------------------------------------------------- */

struct test_stream {
    IStream IStream_iface;
    LONG ref;
    ULONGLONG size, pos;
    int fill;               /* -1: pattern_byte(offset); else this byte everywhere */
    HRESULT read_error;     /* returned by Read when set */
    HRESULT stat_error;
    LONG reads;
};

static BYTE pattern_byte(ULONGLONG o)
{
    return (BYTE)(o * 31 + (o >> 11) + (o >> 21) * 7);
}

static inline struct test_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct test_stream, IStream_iface);
}

static ULONG WINAPI ts_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}

static ULONG WINAPI ts_Release(IStream *iface)
{
    struct test_stream *ts = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&ts->ref);
    if (!ref)
        HeapFree(GetProcessHeap(), 0, ts);
    return ref;
}

static HRESULT WINAPI ts_Read(IStream *iface, void *buf, ULONG cb, ULONG *read)
{
    struct test_stream *ts = impl_from_IStream(iface);
    ULONG n = 0;
    InterlockedIncrement(&ts->reads);
    if (ts->read_error)
        return ts->read_error;
    if (ts->pos < ts->size)
        n = ts->size - ts->pos < cb ? (ULONG)(ts->size - ts->pos) : cb;
    for (ULONG i = 0; i < n; i++)
        ((BYTE *)buf)[i] = ts->fill < 0 ? pattern_byte(ts->pos + i) : (BYTE)ts->fill;
    ts->pos += n;
    if (read)
        *read = n;
    return n < cb ? S_FALSE : S_OK;
}

static HRESULT WINAPI ts_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *pos)
{
    struct test_stream *ts = impl_from_IStream(iface);
    LONGLONG base = origin == STREAM_SEEK_SET ? 0 : origin == STREAM_SEEK_CUR ? (LONGLONG)ts->pos : (LONGLONG)ts->size;
    if (origin > STREAM_SEEK_END || base + move.QuadPart < 0)
        return STG_E_INVALIDFUNCTION;
    ts->pos = (ULONGLONG)(base + move.QuadPart);
    if (pos)
        pos->QuadPart = ts->pos;
    return S_OK;
}

static HRESULT WINAPI ts_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface; (void)size;
    return E_NOTIMPL;
}

static HRESULT WINAPI ts_Stat(IStream *iface, STATSTG *st, DWORD flags)
{
    struct test_stream *ts = impl_from_IStream(iface);
    (void)flags;
    if (ts->stat_error)
        return ts->stat_error;
    return test_stream_stat(st, ts->size);
}

static const IStreamVtbl test_stream_vtbl =
    TEST_STREAM_VTBL(ts_AddRef, ts_Release, ts_Read, ts_Seek, ts_SetSize, ts_Stat);

static struct test_stream *test_stream_new(ULONGLONG size, int fill)
{
    struct test_stream *ts = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*ts));
    ts->IStream_iface.lpVtbl = &test_stream_vtbl;
    ts->ref = 1;
    ts->size = size;
    ts->fill = fill;
    return ts;
}

/* ---------------------------------------------------------------------
 * helpers
 * --------------------------------------------------------------------- */

static IRawCDImageCreator *new_creator(void)
{
    IRawCDImageCreator *c = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftRawCDImageCreator, NULL, CLSCTX_INPROC_SERVER,
                                  &IID_IRawCDImageCreator, (void **)&c);
    ok(hr == S_OK && c, "CoCreateInstance got %#lx\n", hr);
    return c;
}

/* 16-bit stereo: a rising ramp left, its negative right, offset by seed. */
static void fill_audio(BYTE *buf, size_t bytes, unsigned seed)
{
    for (size_t i = 0; i + 4 <= bytes; i += 4) {
        SHORT left = (SHORT)((i / 4) * 37 + seed), right = (SHORT)-left;
        memcpy(buf + i, &left, 2);
        memcpy(buf + i + 2, &right, 2);
    }
}

/* A memory stream (CreateStreamOnHGlobal) of generated audio, left at its end. */
static IStream *audio_stream(ULONG sectors, unsigned seed, BYTE **copy)
{
    size_t bytes = (size_t)sectors * CD_SECTOR_SIZE;
    BYTE *data = HeapAlloc(GetProcessHeap(), 0, bytes ? bytes : 1);
    IStream *s = NULL;
    ULONG written = 0;
    HRESULT hr;
    fill_audio(data, bytes, seed);
    hr = CreateStreamOnHGlobal(NULL, TRUE, &s);
    ok(hr == S_OK, "CreateStreamOnHGlobal got %#lx\n", hr);
    if (bytes)
        IStream_Write(s, data, (ULONG)bytes, &written);
    ok(written == bytes, "wrote %lu of %Iu\n", written, bytes);
    if (copy)
        *copy = data;
    else
        HeapFree(GetProcessHeap(), 0, data);
    return s;
}

static HRESULT add_audio(IRawCDImageCreator *c, ULONG sectors, LONG *index)
{
    IStream *s = audio_stream(sectors, sectors, NULL);
    LONG dummy;
    HRESULT hr = IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, index ? index : &dummy);
    IStream_Release(s);
    return hr;
}

static HRESULT add_stream(IRawCDImageCreator *c, struct test_stream *ts)
{
    LONG index;
    return IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, &ts->IStream_iface, &index);
}

static IRawCDImageTrackInfo *track(IRawCDImageCreator *c, LONG n)
{
    IRawCDImageTrackInfo *t = NULL;
    HRESULT hr = IRawCDImageCreator_get_TrackInfo(c, n, &t);
    ok(hr == S_OK && t, "TrackInfo(%ld) got %#lx\n", n, hr);
    return t;
}

static LONG track_lba(IRawCDImageCreator *c, LONG n)
{
    IRawCDImageTrackInfo *t = track(c, n);
    LONG lba = -99999;
    if (t) {
        ok(IRawCDImageTrackInfo_get_StartingLba(t, &lba) == S_OK, "StartingLba\n");
        IRawCDImageTrackInfo_Release(t);
    }
    return lba;
}

static LONG leadout(IRawCDImageCreator *c)
{
    LONG lba = -99999;
    HRESULT hr = IRawCDImageCreator_get_StartOfLeadout(c, &lba);
    ok(hr == S_OK, "StartOfLeadout got %#lx\n", hr);
    return lba;
}

static IStream *result_image(IRawCDImageCreator *c)
{
    IStream *s = NULL;
    HRESULT hr = IRawCDImageCreator_CreateResultImage(c, &s);
    ok(hr == S_OK && s, "CreateResultImage got %#lx\n", hr);
    return s;
}

static ULONGLONG stat_size(IStream *s)
{
    STATSTG st;
    HRESULT hr;
    memset(&st, 0xcc, sizeof(st));
    hr = IStream_Stat(s, &st, STATFLAG_NONAME);
    ok(hr == S_OK && st.type == STGTY_STREAM, "Stat got %#lx type %lu\n", hr, st.type);
    return hr == S_OK ? st.cbSize.QuadPart : ~0ull;
}

/* Reads len bytes at offset; returns how many came. */
static ULONG read_at(IStream *s, ULONGLONG offset, void *buf, ULONG len)
{
    ULONG got = 0;
    HRESULT hr = IStream_Seek(s, li((LONGLONG)offset), STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Seek got %#lx\n", hr);
    hr = IStream_Read(s, buf, len, &got);
    ok(SUCCEEDED(hr), "Read got %#lx\n", hr);
    return got;
}

/* Offset of LBA lba in an image whose sectors are size bytes. */
static ULONGLONG image_offset(LONG lba, ULONG size)
{
    return (ULONGLONG)(lba - CD_RAW_IMAGE_START_LBA) * size;
}

static BSTR text(const WCHAR *s)
{
    return SysAllocString(s);
}

static HRESULT put_mcn(IRawCDImageCreator *c, const WCHAR *value)
{
    BSTR b = text(value);
    HRESULT hr = IRawCDImageCreator_put_MediaCatalogNumber(c, b);
    SysFreeString(b);
    return hr;
}

static BOOL mcn_is(IRawCDImageCreator *c, const WCHAR *expect)
{
    BSTR b = NULL;
    HRESULT hr = IRawCDImageCreator_get_MediaCatalogNumber(c, &b);
    return test_bstr_is(hr, b, expect);
}

static HRESULT put_isrc(IRawCDImageTrackInfo *t, const WCHAR *value)
{
    BSTR b = value ? text(value) : NULL;
    HRESULT hr = IRawCDImageTrackInfo_put_ISRC(t, b);
    SysFreeString(b);
    return hr;
}

static BOOL isrc_is(IRawCDImageTrackInfo *t, const WCHAR *expect)
{
    BSTR b = NULL;
    HRESULT hr = IRawCDImageTrackInfo_get_ISRC(t, &b);
    return test_bstr_is(hr, b, expect);
}

/* Element i of a SAFEARRAY(VARIANT) as an integer; vt gets its type. */
static LONG array_item(SAFEARRAY *sa, LONG i, VARTYPE *vt)
{
    VARIANT v;
    LONG value = -1;
    VariantInit(&v);
    if (SUCCEEDED(SafeArrayGetElement(sa, &i, &v))) {
        *vt = V_VT(&v);
        value = V_VT(&v) == VT_UI1 ? V_UI1(&v) : V_VT(&v) == VT_I4 ? V_I4(&v) : -1;
    }
    VariantClear(&v);
    return value;
}

static BOOL indexes_are(IRawCDImageTrackInfo *t, const LONG *expect, LONG count)
{
    SAFEARRAY *sa = NULL;
    BOOL same;
    HRESULT hr = IRawCDImageTrackInfo_get_TrackIndexes(t, &sa);
    same = hr == S_OK && test_array_count(sa) == count;
    for (LONG i = 0; same && i < count; i++) {
        VARTYPE vt = VT_EMPTY;
        same = array_item(sa, i, &vt) == expect[i] && vt == VT_I4;
    }
    SafeArrayDestroy(sa);
    return same;
}

/* The last error's description, to see IErrorInfo was set. */
static BOOL error_info_set(void)
{
    IErrorInfo *info = NULL;
    BSTR desc = NULL;
    BOOL set = GetErrorInfo(0, &info) == S_OK && info;
    if (set) {
        set = IErrorInfo_GetDescription(info, &desc) == S_OK && desc && desc[0];
        SysFreeString(desc);
        IErrorInfo_Release(info);
    }
    return set;
}

/* Whether the last error's description holds every one of the words. */
static BOOL error_says(const WCHAR *const *words, int count)
{
    IErrorInfo *info = NULL;
    BSTR desc = NULL;
    BOOL says = GetErrorInfo(0, &info) == S_OK && info && IErrorInfo_GetDescription(info, &desc) == S_OK && desc;
    for (int i = 0; says && i < count; i++)
        says = wcsstr(desc, words[i]) != NULL;
    if (!says)
        printf("description: %ls\n", desc ? desc : L"(none)");
    SysFreeString(desc);
    if (info)
        IErrorInfo_Release(info);
    return says;
}

/* ---------------------------------------------------------------------
 * tests
 * --------------------------------------------------------------------- */

static void test_defaults(void)
{
    IRawCDImageCreator *c = new_creator();
    IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE type = 0;
    IRawCDImageTrackInfo *t = (void *)0xdead;
    VARIANT_BOOL gapless = 7;
    SAFEARRAY *sa = (void *)0xdead;
    IUnknown *unk = NULL;
    IStream *s = (void *)0xdead;
    LONG value;
    HRESULT hr;
    if (!c)
        return;
    ok(IRawCDImageCreator_get_ResultingImageType(c, &type) == S_OK && type == IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW,
       "ResultingImageType default %d\n", type);
    value = -1;
    ok(IRawCDImageCreator_get_StartOfLeadoutLimit(c, &value) == S_OK && value == 0, "limit default %ld\n", value);
    ok(IRawCDImageCreator_get_DisableGaplessAudio(c, &gapless) == S_OK && gapless == VARIANT_FALSE,
       "DisableGaplessAudio default %d\n", gapless);
    ok(mcn_is(c, L""), "MediaCatalogNumber default not empty\n");
    ok(IRawCDImageCreator_get_StartingTrackNumber(c, &value) == S_OK && value == 1, "StartingTrackNumber %ld\n", value);
    ok(IRawCDImageCreator_get_NumberOfExistingTracks(c, &value) == S_OK && value == 0, "tracks %ld\n", value);
    /* documented: these two need a track */
    hr = IRawCDImageCreator_get_StartOfLeadout(c, &value);
    ok(hr == E_IMAPI_RAW_IMAGE_NO_TRACKS, "StartOfLeadout without tracks got %#lx\n", hr);
    ok(error_info_set(), "no IErrorInfo after a failure\n");
    hr = IRawCDImageCreator_get_ExpectedTableOfContents(c, &sa);
    ok(hr == E_IMAPI_RAW_IMAGE_NO_TRACKS && !sa, "ExpectedTableOfContents without tracks got %#lx\n", hr);
    hr = IRawCDImageCreator_CreateResultImage(c, &s);
    ok(hr == E_IMAPI_RAW_IMAGE_NO_TRACKS && !s, "CreateResultImage without tracks got %#lx\n", hr);
    hr = IRawCDImageCreator_get_TrackInfo(c, 1, &t);
    ok(hr == E_INVALIDARG && !t, "TrackInfo(1) without tracks got %#lx\n", hr);
    /* choice: the last used sector of an empty image is the one before LBA 0 */
    ok(IRawCDImageCreator_get_LastUsedUserSectorInImage(c, &value) == S_OK && value == -1, "last used %ld\n", value);
    /* NULL out-pointers */
    ok(IRawCDImageCreator_get_ResultingImageType(c, NULL) == E_POINTER, "NULL ResultingImageType\n");
    ok(IRawCDImageCreator_get_NumberOfExistingTracks(c, NULL) == E_POINTER, "NULL NumberOfExistingTracks\n");
    ok(IRawCDImageCreator_get_MediaCatalogNumber(c, NULL) == E_POINTER, "NULL MediaCatalogNumber\n");
    ok(IRawCDImageCreator_CreateResultImage(c, NULL) == E_POINTER, "NULL CreateResultImage\n");
    /* interfaces */
    ok(IRawCDImageCreator_QueryInterface(c, &IID_IDispatch, (void **)&unk) == S_OK, "no IDispatch\n");
    if (unk)
        IUnknown_Release(unk);
    unk = NULL;
    ok(IRawCDImageCreator_QueryInterface(c, &IID_IStream, (void **)&unk) == E_NOINTERFACE && !unk, "IStream?\n");
    IRawCDImageCreator_Release(c);
}

static void test_error_info(void)
{
    IRawCDImageCreator *c = new_creator();
    IRawCDImageTrackInfo *t;
    ISupportErrorInfo *sei = NULL;
    if (!c)
        return;
    ok(IRawCDImageCreator_QueryInterface(c, &IID_ISupportErrorInfo, (void **)&sei) == S_OK && sei,
       "no ISupportErrorInfo\n");
    if (sei) {
        ok(ISupportErrorInfo_InterfaceSupportsErrorInfo(sei, &IID_IRawCDImageCreator) == S_OK, "creator iid\n");
        ok(ISupportErrorInfo_InterfaceSupportsErrorInfo(sei, &IID_IStream) == S_FALSE, "IStream iid\n");
        ISupportErrorInfo_Release(sei);
        sei = NULL;
    }
    ok(add_audio(c, 300, NULL) == S_OK, "AddTrack\n");
    if ((t = track(c, 1))) {
        ok(IRawCDImageTrackInfo_QueryInterface(t, &IID_ISupportErrorInfo, (void **)&sei) == S_OK && sei,
           "track view: no ISupportErrorInfo\n");
        if (sei) {
            ok(ISupportErrorInfo_InterfaceSupportsErrorInfo(sei, &IID_IRawCDImageTrackInfo) == S_OK, "track iid\n");
            ISupportErrorInfo_Release(sei);
        }
        SetErrorInfo(0, NULL);
        ok(IRawCDImageTrackInfo_ClearTrackIndex(t, 0) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED,
           "ClearTrackIndex(0)\n");
        ok(error_info_set(), "track view: no IErrorInfo after a failure\n");
        IRawCDImageTrackInfo_Release(t);
    }
    IRawCDImageCreator_Release(c);
}

static void test_add_track_types(void)
{
    IRawCDImageCreator *c = new_creator();
    IStream *s;
    LONG index = -1;
    HRESULT hr;
    if (!c)
        return;
    s = audio_stream(300, 1, NULL);
    /* documented: IMAPI_CD_SECTOR_AUDIO is the only type AddTrack supports */
    for (int type = IMAPI_CD_SECTOR_MODE_ZERO; type <= IMAPI_CD_SECTOR_MODE2FORM2RAW; type++) {
        hr = IRawCDImageCreator_AddTrack(c, type, s, &index);
        ok(hr == E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED, "AddTrack(type %d) got %#lx\n", type, hr);
    }
    /* choice: values outside the enum are invalid arguments */
    ok(IRawCDImageCreator_AddTrack(c, 10, s, &index) == E_INVALIDARG, "AddTrack(type 10)\n");
    ok(IRawCDImageCreator_AddTrack(c, -1, s, &index) == E_INVALIDARG, "AddTrack(type -1)\n");
    ok(IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, NULL, &index) == E_POINTER, "AddTrack(NULL)\n");
    ok(IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, NULL) == E_POINTER, "AddTrack(, NULL)\n");
    ok(IRawCDImageCreator_get_NumberOfExistingTracks(c, &index) == S_OK && index == 0, "refused tracks counted\n");
    hr = IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &index);
    ok(hr == S_OK && index == 1, "AddTrack(audio) got %#lx index %ld\n", hr, index);
    hr = IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &index);
    ok(hr == S_OK && index == 2, "same stream twice got %#lx index %ld\n", hr, index);
    ok(IRawCDImageCreator_get_NumberOfExistingTracks(c, &index) == S_OK && index == 2, "tracks %ld\n", index);
    IStream_Release(s);
    IRawCDImageCreator_Release(c);
}

static void test_track_sizes(void)
{
    IRawCDImageCreator *c = new_creator();
    struct test_stream *ts;
    HRESULT hr;
    if (!c)
        return;
    /* documented: at least 4 seconds (300 sectors) */
    ok(add_audio(c, 299, NULL) == E_INVALIDARG, "299-sector track accepted\n");
    ts = test_stream_new(300 * CD_SECTOR_SIZE + 1, -1);
    hr = add_stream(c, ts);
    ok(hr == E_INVALIDARG, "size not a multiple of 2352 got %#lx\n", hr);
    ok(ts->ref == 1, "refused stream kept: ref %ld\n", ts->ref);
    ts->size = 0;
    ok(add_stream(c, ts) == E_INVALIDARG, "empty stream accepted\n");
    ts->size = 300 * CD_SECTOR_SIZE;
    ts->stat_error = STG_E_ACCESSDENIED;
    ok(add_stream(c, ts) == STG_E_ACCESSDENIED, "Stat failure not passed on\n");
    ts->stat_error = S_OK;
    ok(add_stream(c, ts) == S_OK, "300 sectors refused\n");
    ok(ts->ref == 2, "track stream not kept: ref %ld\n", ts->ref);
    ok(ts->reads == 0, "stream read at AddTrack (%ld reads)\n", ts->reads);
    IRawCDImageCreator_Release(c);
    ok(ts->ref == 1, "stream not released with the creator: ref %ld\n", ts->ref);
    IStream_Release(&ts->IStream_iface);
}

static void test_too_many_tracks(void)
{
    IRawCDImageCreator *c = new_creator();
    IStream *s = audio_stream(300, 3, NULL);
    LONG index = 0, n;
    HRESULT hr = S_OK;
    if (!c)
        return;
    for (n = 1; n <= 99 && hr == S_OK; n++)
        hr = IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &index);
    ok(hr == S_OK && index == 99, "99 tracks: got %#lx, last index %ld\n", hr, index);
    hr = IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &index);
    ok(hr == E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS, "100th track got %#lx\n", hr);
    ok(leadout(c) == 99 * 300 + 98 * 150, "leadout of 99 tracks %ld\n", leadout(c));
    IRawCDImageCreator_Release(c);

    /* track numbers stop at 99 too */
    c = new_creator();
    ok(IRawCDImageCreator_put_StartingTrackNumber(c, 98) == S_OK, "StartingTrackNumber 98\n");
    ok(IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &index) == S_OK && index == 1, "track 98\n");
    ok(IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &index) == S_OK && index == 2, "track 99\n");
    hr = IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &index);
    ok(hr == E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS, "track 100 got %#lx\n", hr);
    IRawCDImageCreator_Release(c);
    IStream_Release(s);
}

static void test_starting_track_number(void)
{
    IRawCDImageCreator *c = new_creator();
    IRawCDImageTrackInfo *t;
    LONG value = 0;
    if (!c)
        return;
    ok(IRawCDImageCreator_put_StartingTrackNumber(c, 0) == E_INVALIDARG, "StartingTrackNumber 0\n");
    ok(IRawCDImageCreator_put_StartingTrackNumber(c, 100) == E_INVALIDARG, "StartingTrackNumber 100\n");
    ok(IRawCDImageCreator_put_StartingTrackNumber(c, 99) == S_OK, "StartingTrackNumber 99\n");
    ok(IRawCDImageCreator_put_StartingTrackNumber(c, 5) == S_OK, "StartingTrackNumber 5\n");
    ok(IRawCDImageCreator_get_StartingTrackNumber(c, &value) == S_OK && value == 5, "got %ld\n", value);
    ok(add_audio(c, 300, NULL) == S_OK && add_audio(c, 300, NULL) == S_OK, "AddTrack\n");
    /* documented: only before tracks are added */
    ok(IRawCDImageCreator_put_StartingTrackNumber(c, 1) == E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED,
       "StartingTrackNumber after AddTrack\n");
    if ((t = track(c, 2))) {
        ok(IRawCDImageTrackInfo_get_TrackNumber(t, &value) == S_OK && value == 6, "track 2 number %ld\n", value);
        IRawCDImageTrackInfo_Release(t);
    }
    IRawCDImageCreator_Release(c);
}

static void test_limits(void)
{
    IRawCDImageCreator *c = new_creator();
    struct test_stream *ts;
    LONG value = 0;
    HRESULT hr;
    if (!c)
        return;
    /* documented maximum: 398,099 (MSF 88:29:74) */
    ok(IRawCDImageCreator_put_StartOfLeadoutLimit(c, 398100) == E_INVALIDARG, "limit 398100\n");
    ok(IRawCDImageCreator_put_StartOfLeadoutLimit(c, -1) == E_INVALIDARG, "limit -1\n");
    ok(IRawCDImageCreator_put_StartOfLeadoutLimit(c, 398099) == S_OK, "limit 398099\n");
    ok(IRawCDImageCreator_put_StartOfLeadoutLimit(c, 700) == S_OK, "limit 700\n");
    ok(IRawCDImageCreator_get_StartOfLeadoutLimit(c, &value) == S_OK && value == 700, "limit %ld\n", value);
    ok(add_audio(c, 300, NULL) == S_OK, "first track\n");
    hr = add_audio(c, 300, NULL);
    ok(hr == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE, "track past the limit got %#lx\n", hr);
    ok(add_audio(c, 400, NULL) == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE, "track past the limit\n");
    ok(leadout(c) == 300, "refused track changed the layout: %ld\n", leadout(c));
    ok(IRawCDImageCreator_put_StartOfLeadoutLimit(c, 299) == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE,
       "limit below the tracks\n");
    ok(IRawCDImageCreator_put_StartOfLeadoutLimit(c, 300) == S_OK, "limit at the lead-out\n");
    ok(IRawCDImageCreator_put_StartOfLeadoutLimit(c, 0) == S_OK, "limit cleared\n");
    ok(add_audio(c, 300, NULL) == S_OK, "second track after clearing the limit\n");
    IRawCDImageCreator_Release(c);

    /* documented: the lead-out may not pass LBA 398,099 (it then ends by 89:59:74) */
    c = new_creator();
    ts = test_stream_new(398100ull * CD_SECTOR_SIZE, -1);
    ok(add_stream(c, ts) == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE, "398100-sector track accepted\n");
    ts->size = 398099ull * CD_SECTOR_SIZE;
    ok(add_stream(c, ts) == S_OK, "398099-sector track refused\n");
    ok(leadout(c) == 398099, "lead-out %ld\n", leadout(c));
    ok(add_audio(c, 300, NULL) == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE, "a track after a full disc\n");
    IRawCDImageCreator_Release(c);
    IStream_Release(&ts->IStream_iface);
}

static void test_special_pregap(void)
{
    IRawCDImageCreator *c = new_creator();
    IStream *pregap, *img;
    BYTE *pregap_data = NULL, sector[CD_SECTOR_SIZE];
    if (!c)
        return;
    ok(IRawCDImageCreator_AddSpecialPregap(c, NULL) == E_POINTER, "AddSpecialPregap(NULL)\n");
    pregap = audio_stream(149, 9, NULL);
    /* documented: at least 2 seconds (150 sectors) */
    ok(IRawCDImageCreator_AddSpecialPregap(c, pregap) == E_INVALIDARG, "149-sector pregap accepted\n");
    IStream_Release(pregap);
    pregap = audio_stream(300, 9, &pregap_data);
    ok(IRawCDImageCreator_AddSpecialPregap(c, pregap) == S_OK, "300-sector pregap refused\n");
    ok(add_audio(c, 300, NULL) == S_OK, "AddTrack\n");
    /* the pregap is track 1's index 0: index 1 moves by the extra 150 sectors */
    ok(track_lba(c, 1) == 150, "track 1 starts at %ld\n", track_lba(c, 1));
    ok(leadout(c) == 450, "lead-out %ld\n", leadout(c));
    /* documented: only before any track */
    ok(IRawCDImageCreator_AddSpecialPregap(c, pregap) == E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED,
       "AddSpecialPregap after AddTrack\n");
    if ((img = result_image(c))) {
        ok(read_at(img, image_offset(-150, CD_SECTOR_RAW_PW), sector, CD_SECTOR_SIZE) == CD_SECTOR_SIZE, "read LBA -150\n");
        ok(!memcmp(sector, pregap_data, CD_SECTOR_SIZE), "pregap sector 0 not the caller's data\n");
        ok(read_at(img, image_offset(149, CD_SECTOR_RAW_PW), sector, CD_SECTOR_SIZE) == CD_SECTOR_SIZE, "read LBA 149\n");
        ok(!memcmp(sector, pregap_data + 299 * CD_SECTOR_SIZE, CD_SECTOR_SIZE), "last pregap sector differs\n");
        IStream_Release(img);
    }
    HeapFree(GetProcessHeap(), 0, pregap_data);
    IStream_Release(pregap);
    IRawCDImageCreator_Release(c);
}

static void test_gapless(void)
{
    IRawCDImageCreator *c = new_creator();
    LONG last = 0;
    if (!c)
        return;
    ok(add_audio(c, 300, NULL) == S_OK && add_audio(c, 300, NULL) == S_OK, "AddTrack\n");
    /* documented default: a 2-second (150-sector) gap between tracks */
    ok(track_lba(c, 2) == 450, "track 2 at %ld\n", track_lba(c, 2));
    ok(leadout(c) == 750, "lead-out %ld\n", leadout(c));
    ok(IRawCDImageCreator_get_LastUsedUserSectorInImage(c, &last) == S_OK && last == 749, "last used %ld\n", last);
    ok(IRawCDImageCreator_put_DisableGaplessAudio(c, VARIANT_TRUE) == S_OK, "DisableGaplessAudio TRUE\n");
    ok(track_lba(c, 2) == 300, "gapless: track 2 at %ld\n", track_lba(c, 2));
    ok(leadout(c) == 600, "gapless: lead-out %ld\n", leadout(c));
    ok(IRawCDImageCreator_put_DisableGaplessAudio(c, VARIANT_FALSE) == S_OK, "DisableGaplessAudio FALSE\n");
    ok(track_lba(c, 2) == 450, "gap back: track 2 at %ld\n", track_lba(c, 2));
    IRawCDImageCreator_Release(c);
}

static void test_mcn(void)
{
    IRawCDImageCreator *c = new_creator();
    if (!c)
        return;
    /* documented: 13 digits with a valid check digit; leading zeros may go */
    ok(put_mcn(c, L"0123456789012") == S_OK && mcn_is(c, L"0123456789012"), "13-digit MCN\n");
    ok(put_mcn(c, L"4006381333931") == S_OK && mcn_is(c, L"4006381333931"), "EAN-13 MCN\n");
    ok(put_mcn(c, L"123456789012") == S_OK && mcn_is(c, L"0123456789012"), "MCN without its leading zero\n");
    ok(put_mcn(c, L"0123456789013") == E_INVALIDARG, "bad check digit accepted\n");
    {
        /* Windows' text is not known; ours must say what is wrong and what
         * the digit should be (an extension of the description only). */
        static const WCHAR *const words[] = { L"check digit", L"0123456789013", L" 2 " };
        ok(error_says(words, 3), "the description does not name the check digit EAN-13 wants\n");
    }
    ok(mcn_is(c, L"0123456789012"), "refused MCN changed the value\n");
    ok(put_mcn(c, L"01234567890120") == E_INVALIDARG, "14 digits accepted\n");
    ok(put_mcn(c, L"01234567A9012") == E_INVALIDARG, "letter accepted\n");
    ok(put_mcn(c, L"012345-789012") == E_INVALIDARG, "dash accepted\n");
    ok(put_mcn(c, L"") == S_OK && mcn_is(c, L""), "empty MCN does not clear\n");
    ok(IRawCDImageCreator_put_MediaCatalogNumber(c, NULL) == S_OK && mcn_is(c, L""), "NULL MCN\n");
    IRawCDImageCreator_Release(c);
}

static void test_isrc(IRawCDImageTrackInfo *t)
{
    /* documented: per DIN-31-621, e.g. "US-K7Y-98-12345"; the dashes may be left out */
    ok(isrc_is(t, L""), "ISRC default not empty\n");
    ok(put_isrc(t, L"US-K7Y-98-12345") == S_OK && isrc_is(t, L"US-K7Y-98-12345"), "dashed ISRC\n");
    ok(put_isrc(t, L"GBAYE6900523") == S_OK && isrc_is(t, L"GB-AYE-69-00523"), "ISRC without dashes\n");
    ok(put_isrc(t, L"US-K7Y-98-1234") == E_INVALIDARG, "short ISRC accepted\n");
    ok(put_isrc(t, L"USK7Y98A2345") == E_INVALIDARG, "letter in the serial accepted\n");
    ok(put_isrc(t, L"US-K7Y98-12345") == E_INVALIDARG, "some dashes accepted\n");
    ok(put_isrc(t, L"U$-K7Y-98-12345") == E_INVALIDARG, "symbol accepted\n");
    ok(isrc_is(t, L"GB-AYE-69-00523"), "refused ISRC changed the value\n");
    ok(put_isrc(t, L"") == S_OK && isrc_is(t, L""), "empty ISRC does not clear\n");
    ok(put_isrc(t, NULL) == S_OK && isrc_is(t, L""), "NULL ISRC\n");
}

static void test_track_properties(void)
{
    IRawCDImageCreator *c = new_creator();
    IRawCDImageTrackInfo *t, *t2;
    IMAPI_CD_TRACK_DIGITAL_COPY_SETTING copy = -1;
    IMAPI_CD_SECTOR_TYPE type = -1;
    VARIANT_BOOL pre = 7;
    LONG value;
    if (!c)
        return;
    ok(add_audio(c, 300, NULL) == S_OK && add_audio(c, 500, NULL) == S_OK, "AddTrack\n");
    ok(IRawCDImageCreator_get_TrackInfo(c, 0, &t) == E_INVALIDARG, "TrackInfo(0)\n");
    ok(IRawCDImageCreator_get_TrackInfo(c, 3, &t) == E_INVALIDARG, "TrackInfo(3)\n");
    ok(IRawCDImageCreator_get_TrackInfo(c, 1, NULL) == E_POINTER, "TrackInfo(1, NULL)\n");
    if (!(t = track(c, 2))) {
        IRawCDImageCreator_Release(c);
        return;
    }
    ok(IRawCDImageTrackInfo_get_StartingLba(t, &value) == S_OK && value == 450, "StartingLba %ld\n", value);
    ok(IRawCDImageTrackInfo_get_SectorCount(t, &value) == S_OK && value == 500, "SectorCount %ld\n", value);
    ok(IRawCDImageTrackInfo_get_TrackNumber(t, &value) == S_OK && value == 2, "TrackNumber %ld\n", value);
    ok(IRawCDImageTrackInfo_get_SectorType(t, &type) == S_OK && type == IMAPI_CD_SECTOR_AUDIO, "type %d\n", type);
    ok(IRawCDImageTrackInfo_get_DigitalAudioCopySetting(t, &copy) == S_OK && copy == IMAPI_CD_TRACK_DIGITAL_COPY_PERMITTED,
       "copy setting default %d\n", copy);
    ok(IRawCDImageTrackInfo_get_AudioHasPreemphasis(t, &pre) == S_OK && pre == VARIANT_FALSE, "preemphasis %d\n", pre);
    ok(IRawCDImageTrackInfo_get_StartingLba(t, NULL) == E_POINTER, "StartingLba(NULL)\n");
    test_isrc(t);
    ok(IRawCDImageTrackInfo_put_DigitalAudioCopySetting(t, IMAPI_CD_TRACK_DIGITAL_COPY_SCMS) == S_OK, "SCMS\n");
    ok(IRawCDImageTrackInfo_put_DigitalAudioCopySetting(t, 3) == E_INVALIDARG, "copy setting 3\n");
    ok(IRawCDImageTrackInfo_put_AudioHasPreemphasis(t, VARIANT_TRUE) == S_OK, "preemphasis\n");
    /* views are live: another view of the same track sees the changes */
    if ((t2 = track(c, 2))) {
        ok(IRawCDImageTrackInfo_get_DigitalAudioCopySetting(t2, &copy) == S_OK && copy == IMAPI_CD_TRACK_DIGITAL_COPY_SCMS,
           "second view copy setting %d\n", copy);
        ok(IRawCDImageTrackInfo_get_AudioHasPreemphasis(t2, &pre) == S_OK && pre == VARIANT_TRUE, "second view %d\n", pre);
        IRawCDImageTrackInfo_Release(t2);
    }
    /* and follow layout changes made later on the creator */
    ok(IRawCDImageCreator_put_DisableGaplessAudio(c, VARIANT_TRUE) == S_OK, "gapless\n");
    ok(IRawCDImageTrackInfo_get_StartingLba(t, &value) == S_OK && value == 300, "view StartingLba %ld\n", value);
    IRawCDImageTrackInfo_Release(t);
    IRawCDImageCreator_Release(c);
}

static void test_track_indexes(void)
{
    static const LONG none[] = { 0 }, one[] = { 0, 100 }, two[] = { 0, 20, 100 };
    IRawCDImageCreator *c = new_creator();
    IRawCDImageTrackInfo *t;
    HRESULT hr = S_OK;
    LONG n;
    if (!c)
        return;
    ok(add_audio(c, 1000, NULL) == S_OK, "AddTrack\n");
    if (!(t = track(c, 1))) {
        IRawCDImageCreator_Release(c);
        return;
    }
    ok(indexes_are(t, none, 1), "default TrackIndexes not [0]\n");
    ok(IRawCDImageTrackInfo_get_TrackIndexes(t, NULL) == E_POINTER, "TrackIndexes(NULL)\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 100) == S_OK, "AddTrackIndex(100)\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 100) == S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS, "twice\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 0) == S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS, "offset 0\n");
    ok(indexes_are(t, one, 2), "TrackIndexes not [0, 100]\n");
    /* documented: every index spans at least 10 sectors */
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 105) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "105\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 91) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "91\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 5) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "5\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 995) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "995\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, -1) == E_INVALIDARG, "AddTrackIndex(-1)\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 1000) == E_INVALIDARG, "AddTrackIndex past the track\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 20) == S_OK, "AddTrackIndex(20)\n");
    ok(indexes_are(t, two, 3), "TrackIndexes not sorted [0, 20, 100]\n");
    ok(IRawCDImageTrackInfo_ClearTrackIndex(t, 0) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED,
       "ClearTrackIndex(0)\n");
    ok(IRawCDImageTrackInfo_ClearTrackIndex(t, 50) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND, "ClearTrackIndex(50)\n");
    ok(IRawCDImageTrackInfo_ClearTrackIndex(t, 20) == S_OK, "ClearTrackIndex(20)\n");
    ok(indexes_are(t, one, 2), "after clearing: not [0, 100]\n");
    ok(IRawCDImageTrackInfo_ClearTrackIndex(t, 100) == S_OK, "ClearTrackIndex(100)\n");
    /* indexes 2..99: 98 extra ones fit, the 99th does not */
    for (n = 1; n <= 98 && hr == S_OK; n++)
        hr = IRawCDImageTrackInfo_AddTrackIndex(t, n * 10);
    ok(hr == S_OK, "index %ld got %#lx\n", n - 1, hr);
    hr = IRawCDImageTrackInfo_AddTrackIndex(t, 990);
    ok(hr == E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES, "100th index got %#lx\n", hr);
    IRawCDImageTrackInfo_Release(t);
    IRawCDImageCreator_Release(c);
}

/* READ TOC format 0 bytes: header, then 8 bytes a track and the lead-out. */
static void check_toc(SAFEARRAY *sa, const LONG *lbas, const BYTE *points, const BYTE *controls, int entries)
{
    VARTYPE vt = VT_EMPTY;
    LONG len = test_array_count(sa), total = 4 + 8 * entries;
    ok(len == total, "TOC is %ld bytes, want %ld\n", len, total);
    if (len != total)
        return;
    ok(array_item(sa, 0, &vt) == 0 && array_item(sa, 1, &vt) == total - 2, "TOC data length\n");
    ok(vt == VT_UI1, "TOC element type %d\n", vt);
    ok(array_item(sa, 2, &vt) == points[0] && array_item(sa, 3, &vt) == points[entries - 2], "first/last track\n");
    for (int i = 0; i < entries; i++) {
        LONG at = 4 + 8 * i, lba = 0;
        for (int b = 4; b < 8; b++)
            lba = (LONG)((ULONG)lba << 8 | (ULONG)array_item(sa, at + b, &vt));
        ok(array_item(sa, at + 1, &vt) == (0x10 | controls[i]), "entry %d ADR/control %#lx\n", i,
           array_item(sa, at + 1, &vt));
        ok(array_item(sa, at + 2, &vt) == points[i], "entry %d point %ld\n", i, array_item(sa, at + 2, &vt));
        ok(lba == lbas[i], "entry %d LBA %ld, want %ld\n", i, lba, lbas[i]);
    }
}

static void test_toc(void)
{
    static const LONG lbas[] = { 0, 450, 750 };
    static const BYTE points[] = { 7, 8, 0xAA }, controls[] = { 0x2, 0x1, 0x1 };
    IRawCDImageCreator *c = new_creator();
    IRawCDImageTrackInfo *t;
    SAFEARRAY *sa = NULL;
    HRESULT hr;
    if (!c)
        return;
    ok(IRawCDImageCreator_put_StartingTrackNumber(c, 7) == S_OK, "StartingTrackNumber\n");
    ok(add_audio(c, 300, NULL) == S_OK && add_audio(c, 300, NULL) == S_OK, "AddTrack\n");
    /* copy prohibited + preemphasis on the last track: control 1 (the lead-out takes it too) */
    if ((t = track(c, 2))) {
        IRawCDImageTrackInfo_put_DigitalAudioCopySetting(t, IMAPI_CD_TRACK_DIGITAL_COPY_PROHIBITED);
        IRawCDImageTrackInfo_put_AudioHasPreemphasis(t, VARIANT_TRUE);
        IRawCDImageTrackInfo_Release(t);
    }
    hr = IRawCDImageCreator_get_ExpectedTableOfContents(c, &sa);
    ok(hr == S_OK && sa, "ExpectedTableOfContents got %#lx\n", hr);
    if (sa) {
        VARTYPE vt = VT_EMPTY;
        ok(SafeArrayGetVartype(sa, &vt) == S_OK && vt == VT_VARIANT, "TOC array of %d\n", vt);
        check_toc(sa, lbas, points, controls, 3);
        SafeArrayDestroy(sa);
    }
    ok(IRawCDImageCreator_get_ExpectedTableOfContents(c, NULL) == E_POINTER, "ExpectedTableOfContents(NULL)\n");
    IRawCDImageCreator_Release(c);
}

static void test_read_only(void)
{
    IRawCDImageCreator *c = new_creator();
    IRawCDImageTrackInfo *t;
    IStream *img, *s, *again = (void *)0xdead;
    LONG value = 0;
    BSTR b;
    if (!c)
        return;
    ok(add_audio(c, 300, NULL) == S_OK, "AddTrack\n");
    t = track(c, 1);
    if (!(img = result_image(c)) || !t) {
        IRawCDImageCreator_Release(c);
        return;
    }
    /* documented: CreateResultImage once; then everything is read-only */
    ok(IRawCDImageCreator_CreateResultImage(c, &again) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY && !again, "second image\n");
    s = audio_stream(300, 1, NULL);
    ok(IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &value) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "AddTrack\n");
    ok(IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_MODE1, s, &value) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY,
       "AddTrack(mode 1)\n");
    ok(IRawCDImageCreator_AddSpecialPregap(c, s) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "AddSpecialPregap\n");
    ok(IRawCDImageCreator_AddSubcodeRWGenerator(c, s) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "AddSubcodeRWGenerator\n");
    IStream_Release(s);
    ok(IRawCDImageCreator_put_ResultingImageType(c, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY) ==
       E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "ResultingImageType\n");
    ok(IRawCDImageCreator_put_StartOfLeadoutLimit(c, 1000) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "limit\n");
    ok(IRawCDImageCreator_put_DisableGaplessAudio(c, VARIANT_TRUE) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "gapless\n");
    ok(put_mcn(c, L"0123456789012") == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "MediaCatalogNumber\n");
    ok(put_mcn(c, L"bad") == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "bad MediaCatalogNumber\n");
    ok(IRawCDImageCreator_put_StartingTrackNumber(c, 2) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "StartingTrackNumber\n");
    ok(put_isrc(t, L"US-K7Y-98-12345") == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "ISRC\n");
    ok(put_isrc(t, L"bad") == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "bad ISRC\n");
    ok(IRawCDImageTrackInfo_put_DigitalAudioCopySetting(t, IMAPI_CD_TRACK_DIGITAL_COPY_SCMS) ==
       E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "DigitalAudioCopySetting\n");
    ok(IRawCDImageTrackInfo_put_AudioHasPreemphasis(t, VARIANT_TRUE) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "preemphasis\n");
    ok(IRawCDImageTrackInfo_AddTrackIndex(t, 100) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "AddTrackIndex\n");
    ok(IRawCDImageTrackInfo_ClearTrackIndex(t, 100) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "ClearTrackIndex\n");
    /* documented: the properties can still be read */
    ok(leadout(c) == 300, "StartOfLeadout after CreateResultImage\n");
    ok(IRawCDImageTrackInfo_get_SectorCount(t, &value) == S_OK && value == 300, "SectorCount %ld\n", value);
    ok(IRawCDImageCreator_get_MediaCatalogNumber(c, &b) == S_OK, "MediaCatalogNumber\n");
    SysFreeString(b);
    IRawCDImageTrackInfo_Release(t);
    IStream_Release(img);
    IRawCDImageCreator_Release(c);
}

static ULONG sector_size_of(IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE type)
{
    return type == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY ? CD_SECTOR_RAW_PQ : CD_SECTOR_RAW_PW;
}

static void test_image_types(void)
{
    for (int type = IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY; type <= IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW; type++) {
        IRawCDImageCreator *c = new_creator();
        IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE got = 0;
        ULONGLONG want;
        IStream *img;
        if (!c)
            return;
        ok(IRawCDImageCreator_put_ResultingImageType(c, type) == S_OK, "ResultingImageType %d\n", type);
        ok(IRawCDImageCreator_get_ResultingImageType(c, &got) == S_OK && (int)got == type, "got %d\n", got);
        ok(add_audio(c, 300, NULL) == S_OK && add_audio(c, 450, NULL) == S_OK, "AddTrack\n");
        /* every sector from MSF 95:00:00 to the end of the 6750-sector lead-out */
        want = (ULONGLONG)(leadout(c) + CD_FIRST_LEADOUT_SECTORS - CD_RAW_IMAGE_START_LBA) * sector_size_of(type);
        if ((img = result_image(c))) {
            ULONGLONG size = stat_size(img);
            ok(size == want, "type %d: Stat size %I64u, want %I64u\n", type, size, want);
            IStream_Release(img);
        }
        IRawCDImageCreator_Release(c);
    }
    {
        IRawCDImageCreator *c = new_creator();
        ok(IRawCDImageCreator_put_ResultingImageType(c, 0) == E_INVALIDARG, "ResultingImageType 0\n");
        ok(IRawCDImageCreator_put_ResultingImageType(c, 4) == E_INVALIDARG, "ResultingImageType 4\n");
        IRawCDImageCreator_Release(c);
    }
}

/* A one-track image and its bytes read in one sequential pass. */
static IStream *small_image(IRawCDImageCreator **creator, BYTE **all, ULONGLONG *size)
{
    IRawCDImageCreator *c = new_creator();
    IStream *img;
    ULONGLONG done = 0;
    *creator = c;
    *all = NULL;
    if (!c || add_audio(c, 300, NULL) != S_OK || !(img = result_image(c)))
        return NULL;
    *size = stat_size(img);
    *all = HeapAlloc(GetProcessHeap(), 0, (SIZE_T)*size);
    while (done < *size) {
        ULONG got = 0, want = *size - done < 65536 ? (ULONG)(*size - done) : 65536;
        if (FAILED(IStream_Read(img, *all + done, want, &got)) || !got)
            break;
        done += got;
    }
    ok(done == *size, "sequential read got %I64u of %I64u bytes\n", done, *size);
    return img;
}

static void test_result_stream(void)
{
    IRawCDImageCreator *c;
    ULONGLONG size = 0, pos;
    BYTE *all, buf[5000];
    ULARGE_INTEGER at;
    IStream *img = small_image(&c, &all, &size), *clone = NULL;
    IUnknown *unk = NULL;
    ULONG got, seed = 12345;
    HRESULT hr;
    BOOL same = TRUE;
    if (!img) {
        if (c)
            IRawCDImageCreator_Release(c);
        HeapFree(GetProcessHeap(), 0, all);
        return;
    }
    ok(IStream_QueryInterface(img, &IID_ISequentialStream, (void **)&unk) == S_OK, "no ISequentialStream\n");
    if (unk)
        IUnknown_Release(unk);
    /* read-only */
    hr = IStream_Write(img, buf, 10, &got);
    ok(hr == STG_E_ACCESSDENIED, "Write got %#lx\n", hr);
    ok(IStream_SetSize(img, uli(10)) == STG_E_ACCESSDENIED, "SetSize\n");
    ok(stat_size(img) == size, "Stat size changed\n");
    /* random positions and lengths read what the sequential pass read */
    for (int i = 0; i < 300 && same; i++) {
        ULONG len;
        seed = seed * 1103515245 + 12345;
        pos = ((ULONGLONG)seed << 8 ^ seed) % size;
        len = 1 + (seed >> 7) % sizeof(buf);
        if (len > size - pos)
            len = (ULONG)(size - pos);
        got = read_at(img, pos, buf, len);
        same = got == len && !memcmp(buf, all + pos, len);
    }
    ok(same, "random read at %I64u differs from the sequential read\n", pos);
    /* Seek: past the end is allowed and reads nothing; before 0 and bad origins are not */
    hr = IStream_Seek(img, li(0), STREAM_SEEK_END, &at);
    ok(hr == S_OK && at.QuadPart == size, "Seek(END) got %#lx %I64u\n", hr, at.QuadPart);
    hr = IStream_Seek(img, li(100), STREAM_SEEK_END, &at);
    ok(hr == S_OK && at.QuadPart == size + 100, "Seek past the end got %#lx\n", hr);
    got = 1;
    ok(IStream_Read(img, buf, 10, &got) == S_OK && got == 0, "Read past the end got %lu bytes\n", got);
    ok(read_at(img, size - 5, buf, 10) == 5 && !memcmp(buf, all + size - 5, 5), "read across the end\n");
    hr = IStream_Seek(img, li(-1), STREAM_SEEK_SET, &at);
    ok(hr == STG_E_INVALIDFUNCTION, "Seek before 0 got %#lx\n", hr);
    hr = IStream_Seek(img, li(0), 3, &at);
    ok(hr == STG_E_INVALIDFUNCTION, "Seek with origin 3 got %#lx\n", hr);
    /* Clone: same bytes, same position, its own pointer */
    IStream_Seek(img, li(4096), STREAM_SEEK_SET, NULL);
    hr = IStream_Clone(img, &clone);
    ok(hr == S_OK && clone, "Clone got %#lx\n", hr);
    if (clone) {
        hr = IStream_Seek(clone, li(0), STREAM_SEEK_CUR, &at);
        ok(hr == S_OK && at.QuadPart == 4096, "clone at %I64u\n", at.QuadPart);
        ok(stat_size(clone) == size, "clone size\n");
        got = 0;
        ok(IStream_Read(clone, buf, 3000, &got) == S_OK && got == 3000 && !memcmp(buf, all + 4096, 3000),
           "clone bytes differ\n");
        hr = IStream_Seek(img, li(0), STREAM_SEEK_CUR, &at);
        ok(hr == S_OK && at.QuadPart == 4096, "clone moved the original to %I64u\n", at.QuadPart);
        /* the image lives on without the creator and the original stream */
        IStream_Release(img);
        img = NULL;
        IRawCDImageCreator_Release(c);
        c = NULL;
        ok(read_at(clone, size / 2, buf, 4000) == 4000 && !memcmp(buf, all + size / 2, 4000), "orphan clone\n");
        IStream_Release(clone);
    }
    if (img)
        IStream_Release(img);
    if (c)
        IRawCDImageCreator_Release(c);
    HeapFree(GetProcessHeap(), 0, all);
}

/* Audio from an in-memory stream comes back unchanged from the image, and
 * the Q sub-channel names the track (PQ image: 12 Q bytes after the audio). */
static void test_audio_roundtrip(void)
{
    IRawCDImageCreator *c = new_creator();
    BYTE *source = NULL, sector[CD_SECTOR_RAW_PQ];
    IStream *s, *img;
    BOOL same = TRUE;
    LONG index = 0, n;
    if (!c)
        return;
    ok(IRawCDImageCreator_put_ResultingImageType(c, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY) == S_OK, "PQ\n");
    ok(add_audio(c, 300, NULL) == S_OK, "AddTrack 1\n");
    s = audio_stream(400, 77, &source);
    ok(IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &index) == S_OK && index == 2, "AddTrack 2\n");
    IStream_Release(s); /* the creator keeps its own reference */
    if (!(img = result_image(c))) {
        IRawCDImageCreator_Release(c);
        HeapFree(GetProcessHeap(), 0, source);
        return;
    }
    IRawCDImageCreator_Release(c);
    for (n = 0; n < 400 && same; n++)
        same = read_at(img, image_offset(450 + n, CD_SECTOR_RAW_PQ), sector, CD_SECTOR_RAW_PQ) == CD_SECTOR_RAW_PQ &&
               !memcmp(sector, source + (size_t)n * CD_SECTOR_SIZE, CD_SECTOR_SIZE);
    ok(same, "track 2 sector %ld differs from the source\n", n - 1);
    /* LBA 450: Q = control 2 / ADR 1, track 02, index 01, relative 00:00:00, absolute 00:08:00 */
    read_at(img, image_offset(450, CD_SECTOR_RAW_PQ), sector, CD_SECTOR_RAW_PQ);
    ok(sector[CD_SECTOR_SIZE] == 0x21 && sector[CD_SECTOR_SIZE + 1] == 0x02 && sector[CD_SECTOR_SIZE + 2] == 0x01,
       "Q at LBA 450: %02x %02x %02x\n", sector[CD_SECTOR_SIZE], sector[CD_SECTOR_SIZE + 1], sector[CD_SECTOR_SIZE + 2]);
    ok(sector[CD_SECTOR_SIZE + 7] == 0x00 && sector[CD_SECTOR_SIZE + 8] == 0x08 && sector[CD_SECTOR_SIZE + 9] == 0x00,
       "absolute time at LBA 450: %02x:%02x:%02x\n", sector[CD_SECTOR_SIZE + 7], sector[CD_SECTOR_SIZE + 8],
       sector[CD_SECTOR_SIZE + 9]);
    ok(!(sector[CD_SECTOR_SIZE + 15] & 0x80), "P set in the program area\n");
    /* LBA 449: track 2's pregap, index 0, P set, silence */
    read_at(img, image_offset(449, CD_SECTOR_RAW_PQ), sector, CD_SECTOR_RAW_PQ);
    ok(sector[CD_SECTOR_SIZE + 1] == 0x02 && sector[CD_SECTOR_SIZE + 2] == 0x00, "Q at LBA 449: track %02x index %02x\n",
       sector[CD_SECTOR_SIZE + 1], sector[CD_SECTOR_SIZE + 2]);
    ok(sector[CD_SECTOR_SIZE + 15] & 0x80, "P clear in a pregap\n");
    ok(!sector[0] && !memcmp(sector, sector + 1, CD_SECTOR_SIZE - 1), "pregap not silent\n");
    IStream_Release(img);
    HeapFree(GetProcessHeap(), 0, source);
}

/* An 80-minute image: sized up front, read at its far end, and the track
 * stream only read where the image was read (nothing built in advance). */
static void test_80_minutes(void)
{
    const LONG sectors = 80 * 60 * 75 - 150;
    struct test_stream *ts = test_stream_new((ULONGLONG)sectors * CD_SECTOR_SIZE, -1);
    IRawCDImageCreator *c = new_creator();
    BYTE sector[CD_SECTOR_RAW_PW * 2];
    IStream *img;
    BOOL same = TRUE;
    if (!c)
        return;
    ok(add_stream(c, ts) == S_OK, "80-minute track refused\n");
    ok(leadout(c) == sectors, "lead-out %ld\n", leadout(c));
    if ((img = result_image(c))) {
        ULONGLONG want = (ULONGLONG)(sectors + CD_FIRST_LEADOUT_SECTORS - CD_RAW_IMAGE_START_LBA) * CD_SECTOR_RAW_PW;
        ok(stat_size(img) == want, "Stat size %I64u, want %I64u\n", stat_size(img), want);
        ok(ts->reads == 0, "track read before the image was (%ld reads)\n", ts->reads);
        for (LONG n = sectors - 3; n < sectors && same; n++) {
            ULONGLONG base = (ULONGLONG)n * CD_SECTOR_SIZE;
            read_at(img, image_offset(n, CD_SECTOR_RAW_PW), sector, CD_SECTOR_RAW_PW);
            for (int i = 0; i < CD_SECTOR_SIZE && same; i++)
                same = sector[i] == pattern_byte(base + i);
        }
        ok(same, "last sectors of the track differ from the source\n");
        ok(ts->reads > 0 && ts->reads <= 6, "%ld track reads for 3 sectors\n", ts->reads);
        ok(read_at(img, want - CD_SECTOR_RAW_PW, sector, CD_SECTOR_RAW_PW * 2) == CD_SECTOR_RAW_PW, "last lead-out sector\n");
        IStream_Release(img);
    }
    IRawCDImageCreator_Release(c);
    ok(ts->ref == 1, "track stream still held: ref %ld\n", ts->ref);
    IStream_Release(&ts->IStream_iface);
}

static void test_source_errors(void)
{
    struct test_stream *ts = test_stream_new(300 * CD_SECTOR_SIZE, -1);
    IRawCDImageCreator *c = new_creator();
    BYTE sector[CD_SECTOR_RAW_PW];
    IStream *img;
    ULONG got = 0;
    HRESULT hr;
    if (!c)
        return;
    ok(add_stream(c, ts) == S_OK, "AddTrack\n");
    if ((img = result_image(c))) {
        ts->read_error = STG_E_READFAULT;
        IStream_Seek(img, li((LONGLONG)image_offset(10, CD_SECTOR_RAW_PW)), STREAM_SEEK_SET, NULL);
        hr = IStream_Read(img, sector, CD_SECTOR_RAW_PW, &got);
        ok(hr == STG_E_READFAULT, "failing track stream: Read got %#lx\n", hr);
        ts->read_error = S_OK;
        ts->size = 100 * CD_SECTOR_SIZE; /* shrank behind our back */
        IStream_Seek(img, li((LONGLONG)image_offset(200, CD_SECTOR_RAW_PW)), STREAM_SEEK_SET, NULL);
        hr = IStream_Read(img, sector, CD_SECTOR_RAW_PW, &got);
        ok(FAILED(hr), "a stream ending early gave %#lx\n", hr);
        /* lead-in sectors need no track data */
        ok(read_at(img, 0, sector, CD_SECTOR_RAW_PW) == CD_SECTOR_RAW_PW, "lead-in unreadable\n");
        IStream_Release(img);
    }
    IRawCDImageCreator_Release(c);
    IStream_Release(&ts->IStream_iface);
}

static void test_subcode_rw(void)
{
    IRawCDImageCreator *c = new_creator();
    struct test_stream *rw = test_stream_new(0, 0x3F);
    BYTE sector[CD_SECTOR_RAW_PW];
    IStream *img;
    ULONGLONG total;
    BOOL all_set = TRUE;
    if (!c)
        return;
    ok(IRawCDImageCreator_AddSubcodeRWGenerator(c, NULL) == E_POINTER, "AddSubcodeRWGenerator(NULL)\n");
    ok(add_audio(c, 300, NULL) == S_OK, "AddTrack\n");
    total = (ULONGLONG)(leadout(c) + CD_FIRST_LEADOUT_SECTORS - CD_RAW_IMAGE_START_LBA);
    /* documented: no R-W in a PQ image, whichever is set first */
    ok(IRawCDImageCreator_put_ResultingImageType(c, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY) == S_OK, "PQ\n");
    ok(IRawCDImageCreator_AddSubcodeRWGenerator(c, &rw->IStream_iface) == E_INVALIDARG, "R-W into a PQ image\n");
    ok(IRawCDImageCreator_put_ResultingImageType(c, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "raw\n");
    rw->size = total * 96 - 96;
    ok(IRawCDImageCreator_AddSubcodeRWGenerator(c, &rw->IStream_iface) == S_OK, "AddSubcodeRWGenerator\n");
    ok(IRawCDImageCreator_put_ResultingImageType(c, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY) == E_INVALIDARG,
       "PQ with an R-W generator\n");
    /* documented: its size must be (sectors in the image) x 96 when the image is made */
    img = (void *)0xdead;
    ok(IRawCDImageCreator_CreateResultImage(c, &img) == E_INVALIDARG && !img, "R-W of the wrong size\n");
    rw->size = total * 96; /* the size counts as Stat gave it when the generator was added */
    ok(IRawCDImageCreator_AddSubcodeRWGenerator(c, &rw->IStream_iface) == S_OK, "replacing the generator\n");
    if ((img = result_image(c))) {
        read_at(img, image_offset(100, CD_SECTOR_RAW_PW), sector, CD_SECTOR_RAW_PW);
        for (int i = CD_SECTOR_SIZE; i < CD_SECTOR_RAW_PW; i++)
            all_set = all_set && (sector[i] & 0x3F) == 0x3F;
        ok(all_set, "R-W bits of the generator missing\n");
        IStream_Release(img);
    }
    IRawCDImageCreator_Release(c);
    IStream_Release(&rw->IStream_iface);
}

struct reader_args {
    IStream *stream;
    ULONGLONG size;
    ULONGLONG hash;
};

static ULONGLONG hash_bytes(ULONGLONG h, const BYTE *p, ULONG n)
{
    for (ULONG i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static DWORD WINAPI reader_thread(void *arg)
{
    struct reader_args *a = arg;
    BYTE buf[7777];
    ULONG got;
    a->hash = 14695981039346656037ull;
    IStream_Seek(a->stream, li(0), STREAM_SEEK_SET, NULL);
    while (SUCCEEDED(IStream_Read(a->stream, buf, sizeof(buf), &got)) && got)
        a->hash = hash_bytes(a->hash, buf, got);
    return 0;
}

/* Clones read on two threads at once give the bytes of a plain read. */
static void test_threads(void)
{
    IRawCDImageCreator *c;
    ULONGLONG size = 0;
    BYTE *all = NULL;
    IStream *img = small_image(&c, &all, &size);
    struct reader_args args[2];
    HANDLE threads[2];
    ULONGLONG want;
    if (!img) {
        if (c)
            IRawCDImageCreator_Release(c);
        HeapFree(GetProcessHeap(), 0, all);
        return;
    }
    want = hash_bytes(14695981039346656037ull, all, (ULONG)size);
    for (int i = 0; i < 2; i++) {
        args[i].size = size;
        IStream_Clone(img, &args[i].stream);
        threads[i] = CreateThread(NULL, 0, reader_thread, &args[i], 0, NULL);
    }
    WaitForMultipleObjects(2, threads, TRUE, INFINITE);
    for (int i = 0; i < 2; i++) {
        ok(args[i].hash == want, "thread %d read other bytes\n", i);
        CloseHandle(threads[i]);
        IStream_Release(args[i].stream);
    }
    IStream_Release(img);
    IRawCDImageCreator_Release(c);
    HeapFree(GetProcessHeap(), 0, all);
}

static HRESULT invoke(IDispatch *disp, const WCHAR *name, WORD flags, VARIANT *args, UINT nargs, VARIANT *result,
                      EXCEPINFO *excep)
{
    DISPID id = DISPID_UNKNOWN, put = DISPID_PROPERTYPUT;
    DISPPARAMS params = { args, NULL, nargs, 0 };
    OLECHAR *names = (OLECHAR *)name;
    HRESULT hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, &names, 1, LOCALE_USER_DEFAULT, &id);
    ok(hr == S_OK, "GetIDsOfNames(%ls) got %#lx\n", name, hr);
    if (flags == DISPATCH_PROPERTYPUT) {
        params.rgdispidNamedArgs = &put;
        params.cNamedArgs = 1;
    }
    if (result)
        VariantInit(result);
    return IDispatch_Invoke(disp, id, &IID_NULL, LOCALE_USER_DEFAULT, flags, &params, result, excep, NULL);
}

static void test_dispatch(void)
{
    IRawCDImageCreator *c = new_creator();
    IDispatch *disp = NULL, *tdisp;
    IStream *s = audio_stream(300, 5, NULL);
    OLECHAR *name = (OLECHAR *)L"ExpectedTableOfContents";
    VARIANT args[2], result;
    EXCEPINFO excep;
    DISPID id = 0;
    HRESULT hr;
    if (!c)
        return;
    IRawCDImageCreator_QueryInterface(c, &IID_IDispatch, (void **)&disp);
    ok(IDispatch_GetIDsOfNames(disp, &IID_NULL, &name, 1, LOCALE_USER_DEFAULT, &id) == S_OK && id == 0x109,
       "ExpectedTableOfContents DISPID %#lx\n", id);
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = 3;
    ok(invoke(disp, L"StartingTrackNumber", DISPATCH_PROPERTYPUT, args, 1, NULL, NULL) == S_OK, "put by name\n");
    hr = invoke(disp, L"StartingTrackNumber", DISPATCH_PROPERTYGET, NULL, 0, &result, NULL);
    ok(hr == S_OK && V_VT(&result) == VT_I4 && V_I4(&result) == 3, "get by name: %#lx vt %d\n", hr, V_VT(&result));
    /* an error comes back as an exception carrying the HRESULT and our text */
    memset(&excep, 0, sizeof(excep));
    hr = invoke(disp, L"StartOfLeadout", DISPATCH_PROPERTYGET, NULL, 0, &result, &excep);
    ok(hr == DISP_E_EXCEPTION && excep.scode == E_IMAPI_RAW_IMAGE_NO_TRACKS, "StartOfLeadout: %#lx scode %#lx\n", hr,
       excep.scode);
    ok(excep.bstrDescription && excep.bstrDescription[0], "no description\n");
    SysFreeString(excep.bstrSource);
    SysFreeString(excep.bstrDescription);
    SysFreeString(excep.bstrHelpFile);
    /* arguments are given last first */
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = IMAPI_CD_SECTOR_AUDIO;
    V_VT(&args[0]) = VT_UNKNOWN;
    V_UNKNOWN(&args[0]) = (IUnknown *)s;
    hr = invoke(disp, L"AddTrack", DISPATCH_METHOD, args, 2, &result, NULL);
    ok(hr == S_OK && V_VT(&result) == VT_I4 && V_I4(&result) == 1, "AddTrack by name: %#lx vt %d\n", hr,
       V_VT(&result));
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = 1;
    hr = invoke(disp, L"TrackInfo", DISPATCH_PROPERTYGET, args, 1, &result, NULL);
    ok(hr == S_OK && V_VT(&result) == VT_DISPATCH && V_DISPATCH(&result), "TrackInfo by name: %#lx vt %d\n", hr,
       V_VT(&result));
    if (hr == S_OK && V_VT(&result) == VT_DISPATCH) {
        tdisp = V_DISPATCH(&result);
        V_VT(&args[0]) = VT_BSTR;
        V_BSTR(&args[0]) = SysAllocString(L"USK7Y9812345");
        ok(invoke(tdisp, L"ISRC", DISPATCH_PROPERTYPUT, args, 1, NULL, NULL) == S_OK, "ISRC put by name\n");
        VariantClear(&args[0]);
        hr = invoke(tdisp, L"ISRC", DISPATCH_PROPERTYGET, NULL, 0, &result, NULL);
        ok(hr == S_OK && V_VT(&result) == VT_BSTR && !wcscmp(V_BSTR(&result), L"US-K7Y-98-12345"), "ISRC by name\n");
        VariantClear(&result);
        hr = invoke(tdisp, L"TrackNumber", DISPATCH_PROPERTYGET, NULL, 0, &result, NULL);
        ok(hr == S_OK && V_VT(&result) == VT_I4 && V_I4(&result) == 3, "TrackNumber by name\n");
        hr = invoke(tdisp, L"TrackIndexes", DISPATCH_PROPERTYGET, NULL, 0, &result, NULL);
        ok(hr == S_OK && V_VT(&result) == (VT_ARRAY | VT_VARIANT), "TrackIndexes by name: vt %d\n", V_VT(&result));
        VariantClear(&result);
        IDispatch_Release(tdisp);
    }
    hr = invoke(disp, L"ExpectedTableOfContents", DISPATCH_PROPERTYGET, NULL, 0, &result, NULL);
    ok(hr == S_OK && V_VT(&result) == (VT_ARRAY | VT_VARIANT), "ExpectedTableOfContents by name: vt %d\n",
       V_VT(&result));
    VariantClear(&result);
    hr = invoke(disp, L"CreateResultImage", DISPATCH_METHOD, NULL, 0, &result, NULL);
    ok(hr == S_OK && V_VT(&result) == VT_UNKNOWN && V_UNKNOWN(&result), "CreateResultImage by name: vt %d\n",
       V_VT(&result));
    VariantClear(&result);
    IDispatch_Release(disp);
    IStream_Release(s);
    IRawCDImageCreator_Release(c);
}

static void test_progid(void)
{
    CLSID clsid;
    ok(CLSIDFromProgID(L"IMAPI2.MsftRawCDImageCreator", &clsid) == S_OK &&
       IsEqualGUID(&clsid, &CLSID_MsftRawCDImageCreator), "ProgID\n");
    ok(CLSIDFromProgID(L"IMAPI2.MsftRawCDImageCreator.1", &clsid) == S_OK &&
       IsEqualGUID(&clsid, &CLSID_MsftRawCDImageCreator), "versioned ProgID\n");
}

int main(void)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_progid();
    test_defaults();
    test_error_info();
    test_add_track_types();
    test_track_sizes();
    test_too_many_tracks();
    test_starting_track_number();
    test_limits();
    test_special_pregap();
    test_gapless();
    test_mcn();
    test_track_properties();
    test_track_indexes();
    test_toc();
    test_read_only();
    test_image_types();
    test_result_stream();
    test_audio_roundtrip();
    test_80_minutes();
    test_source_errors();
    test_subcode_rw();
    test_threads();
    test_dispatch();
    CoUninitialize();
    return okay_summary("rawimage");
}
