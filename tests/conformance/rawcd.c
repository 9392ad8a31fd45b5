/* MsftDiscFormat2RawCD on virtual recorders: burns compared byte for byte,
 * Update events, CancelWrite, errors, and the state table visited pair by
 * pair (libs/mmc/rawcd_states.c is the table the object must follow). */
#define COBJMACROS
#define CONST_VTABLE
#include <stdio.h>
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "mmc/rawcd_states.h"
#include "mmc/rawimage.h"
#include "okay.h"
#include "virtual_recorders.h"
#include "test_com.h"
#include "mmc/geometry.h"

/* Names of rawcd_state_table's states and calls, for messages. */
#define STATE_NAME(s) state_table_state_name(&rawcd_state_table, (int)(s))
#define CALL_NAME(c) state_table_call_name(&rawcd_state_table, (int)(c))


/* ------------------------------------------------ a raw image as an IStream */

static int tone_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    uint8_t *out = buf;
    (void)ctx;
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)((offset + i) * 7 + ((offset + i) >> 9));
    return 0;
}

/* A finalized image of `tracks` audio tracks of `sectors` each. */
/* A finalized image whose first track is of first_type, the others audio. */
static struct rawimage *make_image_typed(int first_type, int tracks, uint32_t sectors, int layout)
{
    struct rawimage *img = NULL;
    if (rawimage_create(&img) != 0)
        return NULL;
    rawimage_set_image_type(img, layout);
    for (int i = 0; i < tracks; i++) {
        int type = i ? RAWIMAGE_AUDIO : first_type;
        struct rawimage_source src = { tone_read, NULL, NULL, (uint64_t)sectors * rawimage_user_sector_size(type) };
        int index;
        if (rawimage_add_track(img, type, &src, &index) != 0) {
            rawimage_free(img);
            return NULL;
        }
    }
    if (rawimage_finalize(img) != 0) {
        rawimage_free(img);
        return NULL;
    }
    return img;
}

static struct rawimage *make_image(int tracks, uint32_t sectors, int layout)
{
    return make_image_typed(RAWIMAGE_AUDIO, tracks, sectors, layout);
}

/* STREAM_SEEK_LIES: Seek(SET) says S_OK and the position asked for but does
 * not move; STREAM_SEEK_WANDERS: it moves somewhere else (half way) and says
 * the same. Seek(CUR) tells the truth in both. */
enum stream_flavour { STREAM_PLAIN, STREAM_NO_SEEK, STREAM_FAILS, STREAM_SHORT, STREAM_FAILS_AT_ONCE, STREAM_SEEK_LIES,
                      STREAM_SEEK_WANDERS };

struct image_stream {
    IStream IStream_iface;
    LONG ref;
    struct rawimage *img;
    uint64_t pos, size;
    enum stream_flavour flavour;
};

static struct image_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct image_stream, IStream_iface);
}

static ULONG WINAPI is_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}
static ULONG WINAPI is_Release(IStream *iface)
{
    struct image_stream *s = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&s->ref);
    if (!ref) {
        rawimage_free(s->img);
        HeapFree(GetProcessHeap(), 0, s);
    }
    return ref;
}
static HRESULT WINAPI is_Read(IStream *iface, void *buf, ULONG len, ULONG *read)
{
    struct image_stream *s = impl_from_IStream(iface);
    size_t done = 0;
    uint64_t limit = s->flavour == STREAM_SHORT ? s->size / 2 : s->size;
    if ((s->flavour == STREAM_FAILS && s->pos > s->size / 2) || s->flavour == STREAM_FAILS_AT_ONCE)
        return STG_E_READFAULT;
    if (s->pos >= limit) {
        *read = 0;
        return S_FALSE;
    }
    if (len > limit - s->pos)
        len = (ULONG)(limit - s->pos);
    if (rawimage_read(s->img, s->pos, buf, len, &done) != 0)
        return E_FAIL;
    s->pos += done;
    if (read)
        *read = (ULONG)done;
    return done == len ? S_OK : S_FALSE;
}
static HRESULT WINAPI is_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *pos)
{
    struct image_stream *s = impl_from_IStream(iface);
    LONGLONG base = origin == STREAM_SEEK_SET ? 0 : origin == STREAM_SEEK_CUR ? (LONGLONG)s->pos : (LONGLONG)s->size;
    if (s->flavour == STREAM_NO_SEEK)
        return E_NOTIMPL;
    if (base + move.QuadPart < 0)
        return STG_E_INVALIDFUNCTION;
    if (origin == STREAM_SEEK_SET && (s->flavour == STREAM_SEEK_LIES || s->flavour == STREAM_SEEK_WANDERS)) {
        if (s->flavour == STREAM_SEEK_WANDERS)
            s->pos = (uint64_t)move.QuadPart / 2;
        if (pos)
            pos->QuadPart = (uint64_t)move.QuadPart;
        return S_OK;
    }
    s->pos = (uint64_t)(base + move.QuadPart);
    if (pos)
        pos->QuadPart = s->pos;
    return S_OK;
}
static HRESULT WINAPI is_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface; (void)size;
    return STG_E_ACCESSDENIED;
}
static HRESULT WINAPI is_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    (void)flags;
    return test_stream_stat(stat, impl_from_IStream(iface)->size);
}
static const IStreamVtbl image_stream_vtbl =
    TEST_STREAM_VTBL(is_AddRef, is_Release, is_Read, is_Seek, is_SetSize, is_Stat);

/* Takes the image. size_override: a Stat size other than the image's (0: none). */
static IStream *image_stream(struct rawimage *img, enum stream_flavour flavour, uint64_t size_override)
{
    struct image_stream *s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    s->IStream_iface.lpVtbl = &image_stream_vtbl;
    s->ref = 1;
    s->img = img;
    s->size = size_override ? size_override : rawimage_total_bytes(img);
    s->flavour = flavour;
    return &s->IStream_iface;
}

/* ------------------------------------------------ an Update sink */

struct sink;
typedef void (*sink_action)(struct sink *sink, IDiscFormat2RawCD *format, IDiscFormat2RawCDEventArgs *args);

struct sink {
    struct test_sink base;    /* first */
    unsigned updates;
    LONG first_start_lba, sector_count, last_written, last_read;
    IMAPI_FORMAT2_RAW_CD_WRITE_ACTION last_action;
    BOOL monotonic, writing_seen;
    sink_action action;       /* called on each Update */
    unsigned act_at;          /* ...from this Update on (1-based) */
    HRESULT result;           /* what the action saw */
    BOOL acted;
    enum rawcd_call call;     /* for the state-table action */
    enum rawcd_state in_state; /* ...made in WRITING or CANCELLING */
    IStream *stream;
};

static struct sink *impl_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct sink, base.IDispatch_iface);
}
static HRESULT WINAPI sink_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags, DISPPARAMS *params,
                                  VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct sink *sink = impl_from_IDispatch(iface);
    IDiscFormat2RawCD *format = NULL;
    IDiscFormat2RawCDEventArgs *args = NULL;
    LONG start, count, written, read;
    IMAPI_FORMAT2_RAW_CD_WRITE_ACTION action;
    (void)riid; (void)lcid; (void)result; (void)excep; (void)arg_err;
    ok(id == DISPID_DDISCFORMAT2RAWCDEVENTS_UPDATE && flags == DISPATCH_METHOD, "Invoke %ld flags %u\n", id, flags);
    ok(params->cArgs == 2 && V_VT(&params->rgvarg[0]) == VT_DISPATCH && V_VT(&params->rgvarg[1]) == VT_DISPATCH,
       "Update arguments\n");
    if (params->cArgs != 2)
        return E_INVALIDARG;
    IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[1]), &IID_IDiscFormat2RawCD, (void **)&format);
    IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[0]), &IID_IDiscFormat2RawCDEventArgs, (void **)&args);
    ok(format && args, "Update object %p, progress %p\n", format, args);
    if (!format || !args)
        return E_INVALIDARG;
    sink->updates++;
    IDiscFormat2RawCDEventArgs_get_StartLba(args, &start);
    IDiscFormat2RawCDEventArgs_get_SectorCount(args, &count);
    IDiscFormat2RawCDEventArgs_get_LastWrittenLba(args, &written);
    IDiscFormat2RawCDEventArgs_get_LastReadLba(args, &read);
    IDiscFormat2RawCDEventArgs_get_CurrentAction(args, &action);
    if (sink->updates == 1)
        sink->first_start_lba = start;
    if (written < sink->last_written || read < sink->last_read || action < sink->last_action || read < written)
        sink->monotonic = FALSE;
    sink->writing_seen |= action == IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_WRITING;
    sink->sector_count = count;
    sink->last_written = written;
    sink->last_read = read;
    sink->last_action = action;
    if (sink->action && sink->updates >= sink->act_at && !sink->acted)
        sink->action(sink, format, args);
    IDiscFormat2RawCDEventArgs_Release(args);
    IDiscFormat2RawCD_Release(format);
    return S_OK;
}
static const IDispatchVtbl sink_vtbl = TEST_SINK_VTBL(sink_Invoke);

static void sink_init(struct sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    test_sink_init(&sink->base, &sink_vtbl, &IID_DDiscFormat2RawCDEvents, NULL);
    sink->monotonic = TRUE;
    sink->last_written = sink->last_read = INT32_MIN;
}

static DWORD advise(IDiscFormat2RawCD *format, struct sink *sink)
{
    return test_advise((IUnknown *)format, &IID_DDiscFormat2RawCDEvents, &sink->base);
}

/* ------------------------------------------------ helpers */

static IDiscFormat2RawCD *new_format(void)
{
    IDiscFormat2RawCD *f = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2RawCD,
                                  (void **)&f);
    ok(hr == S_OK && f, "CoCreateInstance(MsftDiscFormat2RawCD) got %#lx\n", hr);
    return f;
}

/* A format object with recorder and client name set: what Microsoft's
 * sample does before PrepareMedia. */
static IDiscFormat2RawCD *ready_format(const WCHAR *name)
{
    IDiscFormat2RawCD *f = new_format();
    IDiscRecorder2 *rec = test_recorder(name);
    BSTR client = SysAllocString(L"imapi2 tests");
    ok(rec != NULL, "recorder %ls\n", name);
    if (f && rec) {
        ok(IDiscFormat2RawCD_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
        ok(IDiscFormat2RawCD_put_ClientName(f, client) == S_OK, "put_ClientName\n");
    }
    if (rec)
        IDiscRecorder2_Release(rec);
    SysFreeString(client);
    return f;
}

/* PrepareMedia, then the sector type: the documented order
 * (nf-imapi2-idiscformat2rawcd-put_requestedsectortype: only valid once the
 * media is prepared). */
static HRESULT prepare_for(IDiscFormat2RawCD *f, int layout)
{
    HRESULT hr = IDiscFormat2RawCD_PrepareMedia(f), put;
    if (FAILED(hr))
        return hr;
    put = IDiscFormat2RawCD_put_RequestedSectorType(f, layout);
    ok(put == S_OK, "put_RequestedSectorType(%d) after PrepareMedia got %#lx\n", layout, put);
    return hr;
}

/* The virtual disc's sectors file: one 2448-byte record per sector from the
 * ATIP lead-in start. */
static FILE *open_sectors(const WCHAR *name)
{
    WCHAR path[MAX_PATH + 32];
    swprintf(path, ARRAYSIZE(path), L"%ls\\%ls.media.sectors", test_vr_folder(), name);
    return _wfopen(path, L"rb");
}

/* Compares every written sector (main channel and sub-channel of the layout)
 * with the image; returns the number of differing sectors. */
static unsigned compare_disc(const WCHAR *name, struct rawimage *img)
{
    size_t sector = rawimage_sector_size(img);
    uint8_t rec[CD_SECTOR_RAW_PW], want[CD_SECTOR_RAW_PW];
    unsigned bad = 0;
    int64_t total = rawimage_total_sectors(img);
    FILE *f = open_sectors(name);
    ok(f != NULL, "no sectors file for %ls\n", name);
    if (!f)
        return 1;
    for (int64_t i = CD_TYPICAL_LEADIN_LBA - CD_RAW_IMAGE_START_LBA; i < total; i++) {
        size_t done = 0;
        if (fread(rec, 1, sizeof(rec), f) != sizeof(rec) ||
            rawimage_read(img, (uint64_t)i * sector, want, sector, &done) != 0 || done != sector ||
            memcmp(rec, want, sector)) {
            if (!bad)
                ok(0, "sector at LBA %lld differs\n", (long long)(i + CD_RAW_IMAGE_START_LBA));
            bad++;
        }
    }
    fclose(f);
    return bad;
}

static BOOL disc_blank(IDiscFormat2RawCD *f)
{
    VARIANT_BOOL blank = VARIANT_FALSE;
    IDiscFormat2RawCD_get_MediaPhysicallyBlank(f, &blank);
    return blank == VARIANT_TRUE;
}

/* ------------------------------------------------ tests */

static void test_burn(int first_type, int layout, int tracks, uint32_t sectors, enum stream_flavour flavour)
{
    struct rawimage *img = make_image_typed(first_type, tracks, sectors, layout);
    struct rawimage *expect = make_image_typed(first_type, tracks, sectors, layout);
    IDiscFormat2RawCD *f;
    struct sink sink;
    IStream *stream;
    HRESULT hr;
    ok(img && expect, "image generation failed\n");
    if (!img || !expect)
        return;
    test_vr_add(L"burn", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"burn")))
        return;
    sink_init(&sink);
    advise(f, &sink);
    ok(disc_blank(f), "disc not blank before the burn\n");
    hr = prepare_for(f, layout);
    ok(hr == S_OK, "PrepareMedia got %#lx\n", hr);
    stream = image_stream(img, flavour, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == S_OK, "layout %d, %d tracks: WriteMedia got %#lx\n", layout, tracks, hr);
    ok(sink.updates >= 2 && sink.writing_seen, "%u updates\n", sink.updates);
    ok(sink.monotonic, "progress went backwards\n");
    ok(sink.first_start_lba == CD_TYPICAL_LEADIN_LBA, "StartLba %ld\n", sink.first_start_lba);
    ok(sink.sector_count == (LONG)(rawimage_total_sectors(expect) - (CD_TYPICAL_LEADIN_LBA - CD_RAW_IMAGE_START_LBA)),
       "SectorCount %ld\n", sink.sector_count);
    ok(sink.last_written == CD_TYPICAL_LEADIN_LBA + sink.sector_count - 1, "LastWrittenLba %ld at the end\n", sink.last_written);
    ok(sink.last_action == IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING, "last action %d\n", sink.last_action);
    ok(!disc_blank(f), "disc blank after the burn\n");
    ok(IDiscFormat2RawCD_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    ok(compare_disc(L"burn", expect) == 0, "disc differs from the image\n");
    IStream_Release(stream);
    IDiscFormat2RawCD_Release(f);
    rawimage_free(expect);
    test_vr_remove(L"burn");
}

static void cancel_action(struct sink *sink, IDiscFormat2RawCD *format, IDiscFormat2RawCDEventArgs *args)
{
    (void)args;
    sink->result = IDiscFormat2RawCD_CancelWrite(format);
    /* A second cancel while cancelling is harmless. */
    if (sink->result == S_OK)
        sink->result = IDiscFormat2RawCD_CancelWrite(format);
    sink->acted = TRUE;
}

static void test_cancel(unsigned at_update, const WCHAR *kind)
{
    struct rawimage *img = make_image(1, 3000, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW);
    IDiscFormat2RawCD *f;
    IDiscRecorder2 *rec = NULL;
    struct sink sink;
    IStream *stream;
    BSTR owner = NULL;
    BOOL written;
    HRESULT hr;
    test_vr_add(L"cancel", kind, NULL, TRUE);
    if (!img || !(f = ready_format(L"cancel")))
        return;
    sink_init(&sink);
    sink.action = cancel_action;
    sink.act_at = at_update;
    advise(f, &sink);
    ok(IDiscFormat2RawCD_CancelWrite(f) == E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS, "CancelWrite when idle\n");
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    stream = image_stream(img, STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == E_IMAPI_REQUEST_CANCELLED, "cancel at update %u: WriteMedia got %#lx\n", at_update, hr);
    ok(sink.acted && sink.result == S_OK, "CancelWrite in Update got %#lx\n", sink.result);
    ok(IDiscFormat2RawCD_CancelWrite(f) == E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS, "CancelWrite after the write\n");
    ok(IDiscFormat2RawCD_ReleaseMedia(f) == S_OK, "ReleaseMedia after cancel\n");
    /* Cancelled before its first WRITE the disc is untouched; after, spoiled. */
    written = sink.last_written >= CD_TYPICAL_LEADIN_LBA;
    ok(disc_blank(f) == !written, "cancel at update %u: blank %d after %ld written\n", at_update, disc_blank(f),
       sink.last_written - CD_TYPICAL_LEADIN_LBA + 1);
    /* Nothing is left locked. */
    IDiscFormat2RawCD_get_Recorder(f, &rec);
    if (rec) {
        ok(IDiscRecorder2_get_ExclusiveAccessOwner(rec, &owner) == S_OK && owner && !owner[0],
           "owner after ReleaseMedia: %ls\n", owner);
        SysFreeString(owner);
        IDiscRecorder2_Release(rec);
    }
    /* The same object prepares again once the disc is usable (a fresh blank). */
    hr = IDiscFormat2RawCD_PrepareMedia(f);
    ok(hr == (written ? E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK : S_OK), "PrepareMedia again got %#lx\n", hr);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IStream_Release(stream);
    IDiscFormat2RawCD_Release(f);
    test_vr_remove(L"cancel");
}

static void test_bad_streams(void)
{
    IDiscFormat2RawCD *f;
    IStream *stream;
    HRESULT hr;
    test_vr_add(L"bad", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"bad")))
        return;
    ok(IDiscFormat2RawCD_WriteMedia(f, NULL) == E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED, "WriteMedia before prepare\n");
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    ok(IDiscFormat2RawCD_WriteMedia(f, NULL) == E_POINTER, "WriteMedia(NULL)\n");
    /* Not whole sectors. */
    stream = image_stream(make_image(1, 300, 3), STREAM_PLAIN, CD_SECTOR_RAW_PW * 30000 + 5);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED, "partial sector got %#lx\n", hr);
    IStream_Release(stream);
    /* Lead-in shorter than the disc's. */
    stream = image_stream(make_image(1, 300, 3), STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia2(f, stream, 10000);
    ok(hr == E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT, "short lead-in got %#lx\n", hr);
    IStream_Release(stream);
    /* More than the disc holds. */
    stream = image_stream(make_image(1, 300, 3), STREAM_PLAIN, (uint64_t)CD_SECTOR_RAW_PW * 420000);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE, "too large got %#lx\n", hr);
    IStream_Release(stream);
    /* Seek said it moved to the lead-in start but went elsewhere: where the
     * stream is cannot be trusted, nothing is written. */
    stream = image_stream(make_image(1, 300, 3), STREAM_SEEK_WANDERS, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED, "stream whose Seek goes elsewhere got %#lx\n", hr);
    IStream_Release(stream);
    ok(disc_blank(f), "a refused stream wrote to the disc\n");
    /* Still prepared: a good write goes through now... with a stream that
     * fails midway, past what the engine reads ahead before its first WRITE
     * (a 32 MiB ring): the disc is touched. */
    stream = image_stream(make_image(1, 30000, 3), STREAM_FAILS, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == STG_E_READFAULT, "failing stream got %#lx\n", hr);
    IStream_Release(stream);
    ok(!disc_blank(f), "a failed write left the disc blank\n");
    ok(IDiscFormat2RawCD_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    IDiscFormat2RawCD_Release(f);

    test_vr_add(L"bad", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"bad")))
        return;
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    stream = image_stream(make_image(1, 300, 3), STREAM_SHORT, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(FAILED(hr), "stream ending early got %#lx\n", hr);
    IStream_Release(stream);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IDiscFormat2RawCD_Release(f);
    test_vr_remove(L"bad");
}

static void test_media_refusals(void)
{
    static const struct {
        const WCHAR *kind;
        HRESULT prepare;
        VARIANT_BOOL media_supported;
    } cases[] = {
        { L"cdr-closed", E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK, VARIANT_TRUE },
        { L"cdrw-written", E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK, VARIANT_TRUE },
        { L"dvd", E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED, VARIANT_FALSE },
        { L"cdrom", E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED, VARIANT_FALSE },
        { L"none", E_IMAPI_RECORDER_MEDIA_NO_MEDIA, VARIANT_FALSE },
    };
    for (unsigned i = 0; i < ARRAYSIZE(cases); i++) {
        IDiscFormat2RawCD *f;
        IDiscRecorder2 *rec;
        VARIANT_BOOL v = 0x55;
        HRESULT hr;
        test_vr_add(L"refuse", cases[i].kind, NULL, TRUE);
        if (!(f = ready_format(L"refuse")))
            continue;
        rec = test_recorder(L"refuse");
        hr = IDiscFormat2RawCD_IsRecorderSupported(f, rec, &v);
        ok(hr == S_OK && v == VARIANT_TRUE, "%ls: IsRecorderSupported got %#lx %d\n", cases[i].kind, hr, v);
        hr = IDiscFormat2RawCD_IsCurrentMediaSupported(f, rec, &v);
        /* No disc: E_IMAPI_RECORDER_MEDIA_NO_MEDIA with FALSE, as Windows 7 on answers. */
        ok(hr == (cases[i].media_supported || wcscmp(cases[i].kind, L"none") ? S_OK : E_IMAPI_RECORDER_MEDIA_NO_MEDIA) &&
               v == cases[i].media_supported, "%ls: IsCurrentMediaSupported got %#lx %d\n",
           cases[i].kind, hr, v);
        hr = IDiscFormat2RawCD_PrepareMedia(f);
        ok(hr == cases[i].prepare, "%ls: PrepareMedia got %#lx\n", cases[i].kind, hr);
        if (rec) {
            BSTR owner = NULL;
            IDiscRecorder2_get_ExclusiveAccessOwner(rec, &owner);
            ok(owner && !owner[0], "%ls: lock left by a failed PrepareMedia: %ls\n", cases[i].kind, owner);
            SysFreeString(owner);
            IDiscRecorder2_Release(rec);
        }
        IDiscFormat2RawCD_Release(f);
    }
    test_vr_remove(L"refuse");
}

/* SupportedSectorTypes: VT_UI4 elements, exactly the types in `mask` (bit n: type n). */
static void check_sector_types(SAFEARRAY *sa, unsigned mask, const char *when)
{
    LONG lo = 0, hi = -1;
    unsigned seen = 0;
    if (!sa)
        return;
    SafeArrayGetLBound(sa, 1, &lo);
    SafeArrayGetUBound(sa, 1, &hi);
    for (LONG i = lo; i <= hi; i++) {
        VARIANT v;
        VariantInit(&v);
        if (SUCCEEDED(SafeArrayGetElement(sa, &i, &v))) {
            ok(V_VT(&v) == VT_UI4, "%s: element %ld has type %d, documented VT_UI4\n", when, i, V_VT(&v));
            if (V_VT(&v) == VT_UI4 && V_UI4(&v) < 8)
                seen |= 1u << V_UI4(&v);
        }
        VariantClear(&v);
    }
    ok(seen == mask, "%s: sector types %#x, expected %#x\n", when, seen, mask);
    SafeArrayDestroy(sa);
}

static void test_properties(void)
{
    IDiscFormat2RawCD *f = new_format();
    IDiscRecorder2 *rec;
    BSTR s = NULL, bad = SysAllocString(L"no/slashes");
    LONG l = 0;
    VARIANT_BOOL b = 0x55;
    IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE type = 0;
    IMAPI_MEDIA_PHYSICAL_TYPE media = 0;
    SAFEARRAY *sa = NULL;
    if (!f)
        return;
    /* Only valid once the media is prepared (put_/get_RequestedSectorType,
     * put_BufferUnderrunFreeDisabled, StartOfNextSession, LastPossibleStartOfLeadout pages). */
    ok(IDiscFormat2RawCD_get_RequestedSectorType(f, &type) == E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED,
       "sector type before PrepareMedia\n");
    ok(IDiscFormat2RawCD_put_RequestedSectorType(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) ==
       E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED, "put sector type before PrepareMedia\n");
    ok(IDiscFormat2RawCD_put_BufferUnderrunFreeDisabled(f, VARIANT_TRUE) == E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED,
       "put BUFE before PrepareMedia\n");
    ok(IDiscFormat2RawCD_get_LastPossibleStartOfLeadout(f, &l) == E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED,
       "last lead-out before PrepareMedia\n");
    ok(IDiscFormat2RawCD_get_RequestedWriteSpeed(f, &l) == S_OK && l == -1, "default speed %ld\n", l);
    ok(IDiscFormat2RawCD_get_BufferUnderrunFreeDisabled(f, &b) == S_OK && b == VARIANT_FALSE, "default BUFE\n");
    /* No recorder: E_POINTER for the sector types (its page), RECORDER_REQUIRED
     * for SetWriteSpeed (its page), NO_RECORDER_SPECIFIED for the drive values. */
    ok(IDiscFormat2RawCD_get_SupportedSectorTypes(f, &sa) == E_POINTER && !sa, "sector types without recorder\n");
    ok(IDiscFormat2RawCD_SetWriteSpeed(f, 75 * 16, VARIANT_FALSE) == E_IMAPI_RECORDER_REQUIRED,
       "SetWriteSpeed without recorder\n");
    ok(IDiscFormat2RawCD_get_CurrentRotationTypeIsPureCAV(f, &b) == E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED,
       "rotation without recorder\n");
    rec = (IDiscRecorder2 *)0xdeadbeef;
    ok(IDiscFormat2RawCD_get_Recorder(f, &rec) == S_OK && !rec, "no recorder: S_OK and NULL\n");
    ok(IDiscFormat2RawCD_put_ClientName(f, bad) == E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID, "bad client name\n");
    ok(IDiscFormat2RawCD_put_ClientName(f, NULL) == E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID, "NULL client name\n");
    ok(IDiscFormat2RawCD_get_ClientName(f, &s) == S_OK && s && !s[0], "default client name\n");
    SysFreeString(s);
    ok(IDiscFormat2RawCD_get_StartOfNextSession(f, &l) == E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED, "no recorder\n");
    ok(IDiscFormat2RawCD_PrepareMedia(f) == E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED, "PrepareMedia without recorder\n");
    ok(IDiscFormat2RawCD_get_SupportedMediaTypes(f, &sa) == S_OK && sa, "SupportedMediaTypes\n");
    SafeArrayDestroy(sa);

    test_vr_add(L"props", L"cdr80", NULL, TRUE);
    rec = test_recorder(L"props");
    ok(IDiscFormat2RawCD_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
    ok(IDiscFormat2RawCD_PrepareMedia(f) == E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID, "PrepareMedia without name\n");
    ok(IDiscFormat2RawCD_SetWriteSpeed(f, 75 * 16, VARIANT_FALSE) == S_OK, "SetWriteSpeed\n");
    ok(IDiscFormat2RawCD_get_RequestedWriteSpeed(f, &l) == S_OK && l == 1200, "requested speed %ld\n", l);
    ok(IDiscFormat2RawCD_SetWriteSpeed(f, -1, VARIANT_TRUE) == S_IMAPI_ROTATIONADJUSTED, "pure CAV on a CLV drive\n");
    ok(IDiscFormat2RawCD_SetWriteSpeed(f, -2, VARIANT_FALSE) == E_INVALIDARG, "speed -2\n");
    ok(IDiscFormat2RawCD_get_StartOfNextSession(f, &l) == E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED,
       "StartOfNextSession before PrepareMedia\n");
    ok(IDiscFormat2RawCD_get_CurrentPhysicalMediaType(f, &media) == S_OK && media == IMAPI_MEDIA_TYPE_CDR,
       "media type %d\n", media);
    ok(IDiscFormat2RawCD_get_SupportedSectorTypes(f, &sa) == S_OK && sa, "SupportedSectorTypes\n");
    check_sector_types(sa, 0xE, "not prepared");
    ok(IDiscFormat2RawCD_get_SupportedWriteSpeeds(f, &sa) == S_OK && sa, "SupportedWriteSpeeds\n");
    SafeArrayDestroy(sa);
    ok(IDiscFormat2RawCD_get_SupportedWriteSpeedDescriptors(f, &sa) == S_OK && sa, "SupportedWriteSpeedDescriptors\n");
    if (sa) {
        VARIANT v;
        LONG i = 0, speed = 0;
        IWriteSpeedDescriptor *d = NULL;
        VariantInit(&v);
        if (SUCCEEDED(SafeArrayGetElement(sa, &i, &v)) && V_VT(&v) == VT_DISPATCH &&
            SUCCEEDED(IDispatch_QueryInterface(V_DISPATCH(&v), &IID_IWriteSpeedDescriptor, (void **)&d))) {
            ok(IWriteSpeedDescriptor_get_WriteSpeed(d, &speed) == S_OK && speed >= 75, "descriptor speed %ld\n", speed);
            ok(IWriteSpeedDescriptor_get_MediaType(d, &media) == S_OK && media == IMAPI_MEDIA_TYPE_CDR, "media %d\n",
               media);
            IWriteSpeedDescriptor_Release(d);
        } else {
            ok(0, "no write speed descriptor\n");
        }
        VariantClear(&v);
        SafeArrayDestroy(sa);
    }
    ok(IDiscFormat2RawCD_get_CurrentWriteSpeed(f, &l) == S_OK && l > 0, "CurrentWriteSpeed %ld\n", l);

    /* Prepared: the pure CAV asked for above is not what a CLV drive does. */
    s = SysAllocString(L"props");
    ok(IDiscFormat2RawCD_put_ClientName(f, s) == S_OK, "put_ClientName\n");
    SysFreeString(s);
    ok(IDiscFormat2RawCD_PrepareMedia(f) == S_IMAPI_ROTATIONADJUSTED, "PrepareMedia with pure CAV asked for\n");
    ok(IDiscFormat2RawCD_get_RequestedSectorType(f, &type) == S_OK && type == IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED,
       "default sector type %d, documented IS_COOKED\n", type);
    ok(IDiscFormat2RawCD_get_StartOfNextSession(f, &l) == S_OK && l == CD_TYPICAL_LEADIN_LBA, "StartOfNextSession %ld\n", l);
    ok(IDiscFormat2RawCD_get_LastPossibleStartOfLeadout(f, &l) == S_OK && l == 359849, "last lead-out %ld\n", l);
    sa = NULL;
    ok(IDiscFormat2RawCD_get_SupportedSectorTypes(f, &sa) == S_OK && sa, "SupportedSectorTypes prepared\n");
    check_sector_types(sa, 0xE, "prepared"); /* the whole list, not the current type */
    ok(IDiscFormat2RawCD_put_RequestedSectorType(f, 4) == E_INVALIDARG, "sector type 4\n");
    ok(IDiscFormat2RawCD_put_RequestedSectorType(f, 0) == E_INVALIDARG, "sector type 0\n");
    ok(IDiscFormat2RawCD_put_RequestedSectorType(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY) == S_OK, "PQ only\n");
    ok(IDiscFormat2RawCD_get_RequestedSectorType(f, &type) == S_OK && type == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY,
       "sector type %d\n", type);
    ok(IDiscFormat2RawCD_put_BufferUnderrunFreeDisabled(f, VARIANT_TRUE) == S_OK, "put BUFE prepared\n");
    ok(IDiscFormat2RawCD_put_Recorder(f, rec) == E_IMAPI_DF2RAW_MEDIA_IS_PREPARED, "put_Recorder prepared\n");
    ok(IDiscFormat2RawCD_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    ok(IDiscFormat2RawCD_put_Recorder(f, NULL) == S_OK, "put_Recorder(NULL)\n");
    ok(IDiscFormat2RawCD_get_CurrentPhysicalMediaType(f, &media) == E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED,
       "recorder cleared\n");
    if (rec)
        IDiscRecorder2_Release(rec);
    SysFreeString(bad);
    IDiscFormat2RawCD_Release(f);
    test_vr_remove(L"props");
}


/* A drive that does not take every data block type, and one without raw DAO. */
static void test_drive_limits(void)
{
    IDiscFormat2RawCD *f;
    IDiscRecorder2 *rec;
    IStream *stream;
    SAFEARRAY *sa = NULL;
    VARIANT_BOOL v = 0x55;
    HRESULT hr;

    test_vr_add(L"limits", L"cdr80", NULL, TRUE);
    test_vr_set_dword(L"limits", L"RawBlockTypes", 0x2 | 0x8); /* PQ and raw P-W, no cooked */
    if (!(f = ready_format(L"limits")))
        return;
    ok(IDiscFormat2RawCD_get_SupportedSectorTypes(f, &sa) == S_OK, "SupportedSectorTypes\n");
    check_sector_types(sa, 0xA, "no cooked, not prepared");
    ok(IDiscFormat2RawCD_PrepareMedia(f) == S_OK, "PrepareMedia\n");
    sa = NULL;
    ok(IDiscFormat2RawCD_get_SupportedSectorTypes(f, &sa) == S_OK, "SupportedSectorTypes prepared\n");
    check_sector_types(sa, 0xA, "no cooked, prepared");
    ok(IDiscFormat2RawCD_put_RequestedSectorType(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED) ==
       E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED, "cooked refused by the put\n");
    /* The default (cooked) is what this drive cannot do: WriteMedia says so and writes nothing. */
    stream = image_stream(make_image(1, 300, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW), STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED, "WriteMedia with the default type got %#lx\n", hr);
    ok(disc_blank(f), "a refused write touched the disc\n");
    ok(IDiscFormat2RawCD_put_RequestedSectorType(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "raw P-W\n");
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == S_OK, "WriteMedia after choosing a supported type got %#lx\n", hr);
    IStream_Release(stream);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IDiscFormat2RawCD_Release(f);

    /* The speed asked for is more than the drive does: PrepareMedia says it adjusted it. */
    test_vr_add(L"limits", L"cdr80", NULL, TRUE);
    test_vr_set_dword(L"limits", L"Speed", 16);
    if (!(f = ready_format(L"limits")))
        return;
    ok(IDiscFormat2RawCD_SetWriteSpeed(f, 75 * 48, VARIANT_FALSE) == S_OK, "SetWriteSpeed 48x\n");
    hr = IDiscFormat2RawCD_PrepareMedia(f);
    ok(hr == S_IMAPI_SPEEDADJUSTED, "48x on a 16x drive: PrepareMedia got %#lx\n", hr);
    IDiscFormat2RawCD_ReleaseMedia(f);
    ok(IDiscFormat2RawCD_SetWriteSpeed(f, 75 * 48, VARIANT_TRUE) == S_IMAPI_ROTATIONADJUSTED, "48x CAV\n");
    hr = IDiscFormat2RawCD_PrepareMedia(f);
    ok(hr == S_IMAPI_BOTHADJUSTED, "48x CAV on a 16x CLV drive: PrepareMedia got %#lx\n", hr);
    IDiscFormat2RawCD_ReleaseMedia(f);
    ok(IDiscFormat2RawCD_SetWriteSpeed(f, 75 * 8, VARIANT_FALSE) == S_OK, "SetWriteSpeed 8x\n");
    hr = IDiscFormat2RawCD_PrepareMedia(f);
    ok(hr == S_OK, "8x on a 16x drive: PrepareMedia got %#lx\n", hr);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IDiscFormat2RawCD_Release(f);

    /* No raw DAO at all: the recorder is refused where the pages say. */
    test_vr_add(L"limits", L"cdr80", NULL, TRUE);
    test_vr_set_dword(L"limits", L"RawBlockTypes", 0x1);
    f = new_format();
    rec = test_recorder(L"limits");
    if (f && rec) {
        hr = IDiscFormat2RawCD_IsRecorderSupported(f, rec, &v);
        ok(hr == E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED && v == VARIANT_FALSE,
           "IsRecorderSupported on a drive without raw: %#lx %d\n", hr, v);
        hr = IDiscFormat2RawCD_put_Recorder(f, rec);
        ok(hr == E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED, "put_Recorder of a drive without raw got %#lx\n", hr);
        ok(IDiscFormat2RawCD_PrepareMedia(f) == E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED, "not taken\n");
    }
    if (rec)
        IDiscRecorder2_Release(rec);
    if (f)
        IDiscFormat2RawCD_Release(f);
    test_vr_remove(L"limits");
}

/* The stream fails on its very first Read: nothing is written, the disc is
 * blank, and the same prepared object writes it with the next stream. */
static void test_retry_after_failed_stream(void)
{
    struct rawimage *img = make_image(1, 300, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW);
    IDiscFormat2RawCD *f;
    IStream *stream;
    HRESULT hr;
    test_vr_add(L"retry", L"cdr80", NULL, TRUE);
    if (!img || !(f = ready_format(L"retry")))
        return;
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    stream = image_stream(make_image(1, 300, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW), STREAM_FAILS_AT_ONCE, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == STG_E_READFAULT, "stream failing at once got %#lx\n", hr);
    IStream_Release(stream);
    ok(disc_blank(f), "nothing was written, yet the disc is not blank\n");
    stream = image_stream(img, STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == S_OK, "second WriteMedia got %#lx\n", hr);
    ok(!disc_blank(f), "second WriteMedia left the disc blank\n");
    IStream_Release(stream);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IDiscFormat2RawCD_Release(f);
    test_vr_remove(L"retry");
}

/* Another thread asks while the burn holds the drive: nothing that needs no
 * drive waits for the burn, and what needs it is answered busy in bounded time. */
struct reader {
    IDiscFormat2RawCD *format;
    IDiscRecorder2 *rec;
    HRESULT vendor, blank, media, profiles;
    DWORD vendor_ms, blank_ms, profiles_ms;
};

static DWORD WINAPI reader_thread(void *arg)
{
    struct reader *r = arg;
    IMAPI_MEDIA_PHYSICAL_TYPE media;
    SAFEARRAY *sa = NULL;
    VARIANT_BOOL b;
    BSTR vendor = NULL;
    DWORD t0;
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    t0 = GetTickCount();
    r->vendor = IDiscRecorder2_get_VendorId(r->rec, &vendor);
    r->vendor_ms = GetTickCount() - t0;
    SysFreeString(vendor);
    t0 = GetTickCount();
    r->blank = IDiscFormat2RawCD_get_MediaPhysicallyBlank(r->format, &b);
    r->media = IDiscFormat2RawCD_get_CurrentPhysicalMediaType(r->format, &media);
    r->blank_ms = GetTickCount() - t0;
    t0 = GetTickCount();
    r->profiles = IDiscRecorder2_get_CurrentProfiles(r->rec, &sa);
    r->profiles_ms = GetTickCount() - t0;
    SafeArrayDestroy(sa);
    CoUninitialize();
    return 0;
}

static struct reader reads;

static void read_from_thread(struct sink *sink, IDiscFormat2RawCD *format, IDiscFormat2RawCDEventArgs *args)
{
    HANDLE thread;
    (void)args;
    reads.format = format;
    thread = CreateThread(NULL, 0, reader_thread, &reads, 0, NULL);
    /* The burn waits here, holding the drive, until the reader is done. */
    sink->result = WaitForSingleObject(thread, 10000) == WAIT_OBJECT_0 ? S_OK : E_FAIL;
    CloseHandle(thread);
    sink->acted = TRUE;
}

static void test_reads_during_burn(void)
{
    struct rawimage *img = make_image(1, 600, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW);
    IDiscFormat2RawCD *f;
    struct sink sink;
    IStream *stream;
    HRESULT hr;
    test_vr_add(L"reads", L"cdr80", NULL, TRUE);
    if (!img || !(f = ready_format(L"reads")))
        return;
    IDiscFormat2RawCD_get_Recorder(f, &reads.rec);
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    sink_init(&sink);
    sink.action = read_from_thread;
    sink.act_at = 2;
    advise(f, &sink);
    stream = image_stream(img, STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == S_OK, "WriteMedia got %#lx\n", hr);
    ok(sink.acted && sink.result == S_OK, "the reader thread did not finish while the burn waited\n");
    ok(reads.vendor == S_OK && reads.vendor_ms < 500, "VendorId during a burn: %#lx after %lu ms\n", reads.vendor,
       reads.vendor_ms);
    ok(reads.blank == S_OK && reads.media == S_OK && reads.blank_ms < 500,
       "format properties during a burn: %#lx %#lx after %lu ms\n", reads.blank, reads.media, reads.blank_ms);
    ok(reads.profiles == E_IMAPI_RECORDER_LOCKED && reads.profiles_ms < 3000,
       "CurrentProfiles while the drive is busy: %#lx after %lu ms\n", reads.profiles, reads.profiles_ms);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IStream_Release(stream);
    if (reads.rec)
        IDiscRecorder2_Release(reads.rec);
    IDiscFormat2RawCD_Release(f);
    test_vr_remove(L"reads");
}

/* ------------------------------------------------ device faults mid-burn */

static void test_faults(void)
{
    static const struct {
        const WCHAR *script;
        HRESULT expected;
    } cases[] = {
        { L"at-lba 100 sense 3/0C/00", E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE },
        { L"at-write 40 sense 4/44/00", E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE },
        { L"at-write 20 sense 7/27/00", E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED },
        { L"remove-medium at-lba -5000", E_IMAPI_RECORDER_MEDIA_NO_MEDIA },
        { L"disappear at-write 30", HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) },
        /* held past the command's timeout (60 s for a WRITE, 600 s for the
         * flush): the virtual clock meets the deadline at once */
        { L"at-write 20 stall ms 61000", E_IMAPI_RECORDER_COMMAND_TIMEOUT },
        { L"delay opcode 0x35 ms 601000", E_IMAPI_RECORDER_COMMAND_TIMEOUT },
        /* a recovered error is the drive's success: the burn completes */
        { L"at-write 20 sense 1/17/01", S_OK },
    };
    for (unsigned i = 0; i < ARRAYSIZE(cases); i++) {
        IDiscFormat2RawCD *f;
        IDiscRecorder2 *rec = NULL;
        IStream *stream = image_stream(make_image(1, 300, 3), STREAM_PLAIN, 0);
        BSTR owner = NULL;
        HRESULT hr;
        test_vr_add(L"fault", L"cdr80", cases[i].script, TRUE);
        if (!(f = ready_format(L"fault")))
            continue;
        ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "%ls: PrepareMedia\n", cases[i].script);
        hr = IDiscFormat2RawCD_WriteMedia(f, stream);
        ok(hr == cases[i].expected, "%ls: WriteMedia got %#lx, expected %#lx\n", cases[i].script, hr,
           cases[i].expected);
        ok(IDiscFormat2RawCD_ReleaseMedia(f) == S_OK, "%ls: ReleaseMedia\n", cases[i].script);
        IDiscFormat2RawCD_get_Recorder(f, &rec);
        if (rec) {
            ok(IDiscRecorder2_get_ExclusiveAccessOwner(rec, &owner) == S_OK && owner && !owner[0],
               "%ls: lock left: %ls\n", cases[i].script, owner);
            SysFreeString(owner);
            IDiscRecorder2_Release(rec);
        }
        IDiscFormat2RawCD_Release(f);
        IStream_Release(stream);
    }
    test_vr_remove(L"fault");
}

/* ------------------------------------------------ sinks that misbehave */

static void fail_action(struct sink *sink, IDiscFormat2RawCD *format, IDiscFormat2RawCDEventArgs *args)
{
    LONG l;
    IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE type;
    (void)args;
    /* Calls back into the object: gets work, puts are refused. */
    sink->result = IDiscFormat2RawCD_get_StartOfNextSession(format, &l);
    if (SUCCEEDED(sink->result))
        sink->result = IDiscFormat2RawCD_get_RequestedSectorType(format, &type);
    if (SUCCEEDED(sink->result) && IDiscFormat2RawCD_put_RequestedSectorType(format, 1) != E_IMAPI_DF2RAW_WRITE_IN_PROGRESS)
        sink->result = E_FAIL;
    if (SUCCEEDED(sink->result) && IDiscFormat2RawCD_PrepareMedia(format) != E_IMAPI_DF2RAW_WRITE_IN_PROGRESS)
        sink->result = E_FAIL;
    sink->acted = TRUE;
}

static DWORD unadvise_cookie;
static void unadvise_action(struct sink *sink, IDiscFormat2RawCD *format, IDiscFormat2RawCDEventArgs *args)
{
    IConnectionPointContainer *cpc;
    IConnectionPoint *cp;
    (void)args;
    IDiscFormat2RawCD_QueryInterface(format, &IID_IConnectionPointContainer, (void **)&cpc);
    IConnectionPointContainer_FindConnectionPoint(cpc, &IID_DDiscFormat2RawCDEvents, &cp);
    sink->result = IConnectionPoint_Unadvise(cp, unadvise_cookie);
    IConnectionPoint_Release(cp);
    IConnectionPointContainer_Release(cpc);
    sink->acted = TRUE;
}

/* The caller's only reference goes away inside Update (a script setting its
 * variable to Nothing): the write must finish all the same. */
static void drop_action(struct sink *sink, IDiscFormat2RawCD *format, IDiscFormat2RawCDEventArgs *args)
{
    (void)args;
    IDiscFormat2RawCD_Release(format);
    sink->acted = TRUE;
}

static void test_misbehaving_sinks(void)
{
    struct sink sink;
    IDiscFormat2RawCD *f;
    IStream *stream;
    HRESULT hr;

    test_vr_add(L"sinks", L"cdr80", NULL, TRUE);
    f = ready_format(L"sinks");
    sink_init(&sink);
    sink.action = fail_action;
    sink.act_at = 2;
    advise(f, &sink);
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    stream = image_stream(make_image(1, 300, 3), STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == S_OK && sink.acted && sink.result == S_OK, "calls from Update: %#lx, %#lx\n", hr, sink.result);
    IStream_Release(stream);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IDiscFormat2RawCD_Release(f);

    test_vr_add(L"sinks", L"cdr80", NULL, TRUE);
    f = ready_format(L"sinks");
    sink_init(&sink);
    sink.action = unadvise_action;
    sink.act_at = 2;
    unadvise_cookie = advise(f, &sink);
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    stream = image_stream(make_image(1, 300, 3), STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == S_OK && sink.result == S_OK, "unadvise in Update: %#lx, %#lx\n", hr, sink.result);
    ok(sink.updates == 2, "%u updates after unadvising at the second\n", sink.updates);
    IStream_Release(stream);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IDiscFormat2RawCD_Release(f);

    test_vr_add(L"sinks", L"cdr80", NULL, TRUE);
    f = ready_format(L"sinks");
    sink_init(&sink);
    sink.action = drop_action;
    sink.act_at = 2;
    advise(f, &sink);
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    stream = image_stream(make_image(1, 300, 3), STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == S_OK && sink.acted, "last reference dropped in Update: %#lx\n", hr);
    /* f is gone; its lock must be too. */
    {
        IDiscRecorder2 *rec = test_recorder(L"sinks");
        BSTR owner = NULL;
        if (rec) {
            IDiscRecorder2_get_ExclusiveAccessOwner(rec, &owner);
            ok(owner && !owner[0], "lock outlived the object: %ls\n", owner);
            SysFreeString(owner);
            IDiscRecorder2_Release(rec);
        }
    }
    IStream_Release(stream);
    test_vr_remove(L"sinks");
}

/* ------------------------------------------------ cancel from another thread */

struct cancel_thread {
    IDiscFormat2RawCD *format; /* the object itself: CancelWrite is safe from any thread */
    HANDLE go, done;
    HRESULT result;
};

static struct cancel_thread cancel_ctx;

static DWORD WINAPI cancel_thread_proc(void *arg)
{
    struct cancel_thread *t = arg;
    if (WaitForSingleObject(t->go, 10000) == WAIT_OBJECT_0)
        t->result = IDiscFormat2RawCD_CancelWrite(t->format);
    SetEvent(t->done);
    return 0;
}

/* Update hands over to the other thread and waits until it has cancelled. */
static void wait_for_cancel_action(struct sink *sink, IDiscFormat2RawCD *format, IDiscFormat2RawCDEventArgs *args)
{
    (void)format; (void)args;
    SetEvent(cancel_ctx.go);
    WaitForSingleObject(cancel_ctx.done, 10000);
    sink->acted = TRUE;
}

static void test_cancel_from_thread(void)
{
    struct sink sink;
    IDiscFormat2RawCD *f;
    IStream *stream;
    HANDLE thread;
    HRESULT hr;
    test_vr_add(L"thread", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"thread")))
        return;
    sink_init(&sink);
    sink.action = wait_for_cancel_action;
    sink.act_at = 2;
    advise(f, &sink);
    cancel_ctx.format = f;
    cancel_ctx.go = CreateEventW(NULL, FALSE, FALSE, NULL);
    cancel_ctx.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    cancel_ctx.result = E_FAIL;
    thread = CreateThread(NULL, 0, cancel_thread_proc, &cancel_ctx, 0, NULL);
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    stream = image_stream(make_image(1, 3000, 3), STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    WaitForSingleObject(thread, 10000);
    ok(cancel_ctx.result == S_OK, "CancelWrite from another thread got %#lx\n", cancel_ctx.result);
    ok(hr == E_IMAPI_REQUEST_CANCELLED, "WriteMedia after a cancel from another thread got %#lx\n", hr);
    ok(IDiscFormat2RawCD_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    CloseHandle(thread);
    CloseHandle(cancel_ctx.go);
    CloseHandle(cancel_ctx.done);
    IStream_Release(stream);
    IDiscFormat2RawCD_Release(f);
    test_vr_remove(L"thread");
}


/* ------------------------------------------------ a vtable-only sink */

/* A C client that implements DDiscFormat2RawCDEvents::Update itself and no
 * IDispatch::Invoke: the events must still arrive. */
struct vtable_sink {
    DDiscFormat2RawCDEvents iface;
    unsigned updates;
    BOOL args_ok;
};

static struct vtable_sink *impl_from_vtable_sink(DDiscFormat2RawCDEvents *iface)
{
    return CONTAINING_RECORD(iface, struct vtable_sink, iface);
}
static HRESULT WINAPI vs_QueryInterface(DDiscFormat2RawCDEvents *iface, REFIID riid, void **out)
{
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_DDiscFormat2RawCDEvents)) {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI vs_AddRef(DDiscFormat2RawCDEvents *iface)
{
    (void)iface;
    return 2;
}
static ULONG WINAPI vs_Release(DDiscFormat2RawCDEvents *iface)
{
    (void)iface;
    return 1;
}
static HRESULT WINAPI vs_GetTypeInfoCount(DDiscFormat2RawCDEvents *iface, UINT *n)
{
    (void)iface;
    *n = 0;
    return S_OK;
}
static HRESULT WINAPI vs_GetTypeInfo(DDiscFormat2RawCDEvents *iface, UINT i, LCID l, ITypeInfo **t)
{
    (void)iface; (void)i; (void)l; (void)t;
    return E_NOTIMPL;
}
static HRESULT WINAPI vs_GetIDsOfNames(DDiscFormat2RawCDEvents *iface, REFIID r, LPOLESTR *n, UINT c, LCID l,
                                       DISPID *d)
{
    (void)iface; (void)r; (void)n; (void)c; (void)l; (void)d;
    return E_NOTIMPL;
}
static HRESULT WINAPI vs_Invoke(DDiscFormat2RawCDEvents *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                DISPPARAMS *p, VARIANT *r, EXCEPINFO *e, UINT *a)
{
    (void)iface; (void)id; (void)riid; (void)lcid; (void)flags; (void)p; (void)r; (void)e; (void)a;
    return E_NOTIMPL;
}
static HRESULT WINAPI vs_Update(DDiscFormat2RawCDEvents *iface, IDispatch *object, IDispatch *progress)
{
    struct vtable_sink *sink = impl_from_vtable_sink(iface);
    IDiscFormat2RawCD *format = NULL;
    IDiscFormat2RawCDEventArgs *args = NULL;
    sink->updates++;
    if (object)
        IDispatch_QueryInterface(object, &IID_IDiscFormat2RawCD, (void **)&format);
    if (progress)
        IDispatch_QueryInterface(progress, &IID_IDiscFormat2RawCDEventArgs, (void **)&args);
    if (!format || !args)
        sink->args_ok = FALSE;
    if (format)
        IDiscFormat2RawCD_Release(format);
    if (args)
        IDiscFormat2RawCDEventArgs_Release(args);
    return S_OK;
}
static const DDiscFormat2RawCDEventsVtbl vtable_sink_vtbl = {
    vs_QueryInterface, vs_AddRef, vs_Release, vs_GetTypeInfoCount, vs_GetTypeInfo, vs_GetIDsOfNames, vs_Invoke,
    vs_Update,
};

static void test_vtable_sink(void)
{
    struct vtable_sink sink = { { &vtable_sink_vtbl }, 0, TRUE };
    IConnectionPointContainer *cpc = NULL;
    IConnectionPoint *cp = NULL;
    IDiscFormat2RawCD *f;
    IStream *stream;
    DWORD cookie = 0;
    HRESULT hr;
    test_vr_add(L"vtsink", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"vtsink")))
        return;
    IDiscFormat2RawCD_QueryInterface(f, &IID_IConnectionPointContainer, (void **)&cpc);
    IConnectionPointContainer_FindConnectionPoint(cpc, &IID_DDiscFormat2RawCDEvents, &cp);
    ok(IConnectionPoint_Advise(cp, (IUnknown *)&sink.iface, &cookie) == S_OK, "Advise\n");
    ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
    stream = image_stream(make_image(1, 300, 3), STREAM_PLAIN, 0);
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    ok(hr == S_OK, "WriteMedia got %#lx\n", hr);
    ok(sink.updates >= 2 && sink.args_ok, "vtable sink: %u updates, arguments %d\n", sink.updates, sink.args_ok);
    IConnectionPoint_Unadvise(cp, cookie);
    IConnectionPoint_Release(cp);
    IConnectionPointContainer_Release(cpc);
    IStream_Release(stream);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IDiscFormat2RawCD_Release(f);
    test_vr_remove(L"vtsink");
}


/* ------------------------------------------------ MsftRawCDImageCreator -> MsftDiscFormat2RawCD */

static IStream *audio_stream(ULONG sectors, BYTE seed)
{
    HGLOBAL mem = GlobalAlloc(GMEM_MOVEABLE, (SIZE_T)sectors * CD_SECTOR_SIZE);
    IStream *stream = NULL;
    BYTE *p = GlobalLock(mem);
    for (SIZE_T i = 0; i < (SIZE_T)sectors * CD_SECTOR_SIZE; i++)
        p[i] = (BYTE)(i * seed + (i >> 11));
    GlobalUnlock(mem);
    CreateStreamOnHGlobal(mem, TRUE, &stream);
    return stream;
}

static void test_burn_from_creator(void)
{
    IRawCDImageCreator *creator = NULL;
    IDiscFormat2RawCD *f;
    IStream *image = NULL, *tracks[2];
    LONG index = 0, leadout = 0;
    STATSTG stat;
    HRESULT hr;
    hr = CoCreateInstance(&CLSID_MsftRawCDImageCreator, NULL, CLSCTX_INPROC_SERVER, &IID_IRawCDImageCreator,
                          (void **)&creator);
    ok(hr == S_OK, "CoCreateInstance(MsftRawCDImageCreator) got %#lx\n", hr);
    if (!creator)
        return;
    tracks[0] = audio_stream(400, 3);
    tracks[1] = audio_stream(350, 5);
    for (int i = 0; i < 2; i++)
        ok(IRawCDImageCreator_AddTrack(creator, IMAPI_CD_SECTOR_AUDIO, tracks[i], &index) == S_OK, "AddTrack %d\n", i);
    ok(IRawCDImageCreator_CreateResultImage(creator, &image) == S_OK && image, "CreateResultImage\n");
    IRawCDImageCreator_get_StartOfLeadout(creator, &leadout);
    test_vr_add(L"creator", L"cdr80", NULL, TRUE);
    if (image && (f = ready_format(L"creator"))) {
        ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia\n");
        hr = IDiscFormat2RawCD_WriteMedia(f, image);
        ok(hr == S_OK, "WriteMedia of the creator's image got %#lx\n", hr);
        ok(!disc_blank(f), "disc blank after the burn\n");
        IDiscFormat2RawCD_ReleaseMedia(f);
        IDiscFormat2RawCD_Release(f);
        /* The disc holds the image from the lead-in start on, byte for byte. */
        if (SUCCEEDED(IStream_Stat(image, &stat, STATFLAG_NONAME))) {
            FILE *disc = open_sectors(L"creator");
            BYTE want[CD_SECTOR_RAW_PW], got[CD_SECTOR_RAW_PW];
            LARGE_INTEGER at;
            ULONG n = 0;
            unsigned bad = 0;
            int64_t total = (int64_t)(stat.cbSize.QuadPart / CD_SECTOR_RAW_PW);
            at.QuadPart = (LONGLONG)(CD_TYPICAL_LEADIN_LBA - CD_RAW_IMAGE_START_LBA) * CD_SECTOR_RAW_PW;
            IStream_Seek(image, at, STREAM_SEEK_SET, NULL);
            for (int64_t i = CD_TYPICAL_LEADIN_LBA - CD_RAW_IMAGE_START_LBA; disc && i < total; i++)
                if (IStream_Read(image, want, CD_SECTOR_RAW_PW, &n) != S_OK || n != CD_SECTOR_RAW_PW || fread(got, 1, CD_SECTOR_RAW_PW, disc) != CD_SECTOR_RAW_PW ||
                    memcmp(want, got, CD_SECTOR_RAW_PW))
                    bad++;
            ok(disc && bad == 0, "%u sectors differ from the creator's image\n", bad);
            ok(leadout == 150 + 400 + 150 + 350 - 150, "StartOfLeadout %ld\n", leadout);
            if (disc)
                fclose(disc);
        }
    }
    if (image)
        IStream_Release(image);
    for (int i = 0; i < 2; i++)
        IStream_Release(tracks[i]);
    IRawCDImageCreator_Release(creator);
    test_vr_remove(L"creator");
}

/* ------------------------------------------------ the state table, pair by pair */

/* Every member a table call stands for, called in turn: they must all answer alike. */
static HRESULT same_answer(const char *what, const HRESULT *answers, unsigned count)
{
    for (unsigned i = 1; i < count; i++)
        ok(answers[i] == answers[0], "%s: member %u answered %#lx, member 0 %#lx\n", what, i, answers[i], answers[0]);
    return answers[0];
}

static HRESULT do_call(IDiscFormat2RawCD *f, enum rawcd_call call, IStream *stream)
{
    IDiscRecorder2 *rec;
    IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE type;
    IMAPI_MEDIA_PHYSICAL_TYPE media;
    VARIANT_BOOL b;
    SAFEARRAY *sa = NULL, *sb = NULL;
    BSTR name;
    LONG l;
    HRESULT hr[5];
    switch (call) {
    case RAWCD_CALL_PUT_RECORDER:
        if (!(rec = test_recorder(L"states")))
            return E_FAIL;
        hr[0] = IDiscFormat2RawCD_put_Recorder(f, rec);
        IDiscRecorder2_Release(rec);
        return hr[0];
    case RAWCD_CALL_CLEAR_RECORDER:
        return IDiscFormat2RawCD_put_Recorder(f, NULL);
    case RAWCD_CALL_PREPARE_MEDIA:
        return IDiscFormat2RawCD_PrepareMedia(f);
    case RAWCD_CALL_WRITE_MEDIA:
        return IDiscFormat2RawCD_WriteMedia(f, stream);
    case RAWCD_CALL_CANCEL_WRITE:
        return IDiscFormat2RawCD_CancelWrite(f);
    case RAWCD_CALL_RELEASE_MEDIA:
        return IDiscFormat2RawCD_ReleaseMedia(f);
    case RAWCD_CALL_PUT_CLIENT_NAME:
        name = SysAllocString(L"state test");
        hr[0] = IDiscFormat2RawCD_put_ClientName(f, name);
        SysFreeString(name);
        return hr[0];
    case RAWCD_CALL_PUT_WRITE_SETTING:
        hr[0] = IDiscFormat2RawCD_put_RequestedSectorType(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW);
        hr[1] = IDiscFormat2RawCD_put_BufferUnderrunFreeDisabled(f, VARIANT_FALSE);
        return same_answer("write settings", hr, 2);
    case RAWCD_CALL_SET_WRITE_SPEED:
        return IDiscFormat2RawCD_SetWriteSpeed(f, -1, VARIANT_FALSE);
    case RAWCD_CALL_GET_PREPARED_VALUE:
        hr[0] = IDiscFormat2RawCD_get_RequestedSectorType(f, &type);
        hr[1] = IDiscFormat2RawCD_get_StartOfNextSession(f, &l);
        hr[2] = IDiscFormat2RawCD_get_LastPossibleStartOfLeadout(f, &l);
        return same_answer("prepared values", hr, 3);
    case RAWCD_CALL_GET_SECTOR_TYPES:
        hr[0] = IDiscFormat2RawCD_get_SupportedSectorTypes(f, &sa);
        SafeArrayDestroy(sa);
        return hr[0];
    case RAWCD_CALL_GET_MEDIA_STATE:
        hr[0] = IDiscFormat2RawCD_get_MediaPhysicallyBlank(f, &b);
        hr[1] = IDiscFormat2RawCD_get_MediaHeuristicallyBlank(f, &b);
        return same_answer("media state", hr, 2);
    case RAWCD_CALL_GET_DRIVE_VALUE:
        hr[0] = IDiscFormat2RawCD_get_CurrentPhysicalMediaType(f, &media);
        hr[1] = IDiscFormat2RawCD_get_CurrentWriteSpeed(f, &l);
        hr[2] = IDiscFormat2RawCD_get_CurrentRotationTypeIsPureCAV(f, &b);
        hr[3] = IDiscFormat2RawCD_get_SupportedWriteSpeeds(f, &sa);
        hr[4] = IDiscFormat2RawCD_get_SupportedWriteSpeedDescriptors(f, &sb);
        SafeArrayDestroy(sa);
        SafeArrayDestroy(sb);
        return same_answer("drive values", hr, 5);
    default:
        return E_FAIL;
    }
}

/* The object's state from outside, without changing it: WriteMedia(NULL)
 * answers differently in each state it can be in between calls. */
static enum rawcd_state probe_state(IDiscFormat2RawCD *f)
{
    switch (IDiscFormat2RawCD_WriteMedia(f, NULL)) {
    case E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED: return RAWCD_NO_RECORDER;
    case E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED: return RAWCD_READY;
    case E_POINTER: return RAWCD_PREPARED;
    case E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK: return RAWCD_DONE;
    case E_IMAPI_DF2RAW_WRITE_IN_PROGRESS: return RAWCD_WRITING;
    default: return RAWCD_STATE_COUNT;
    }
}

/* Inside Update: the call under test, in WRITING or (after a cancel) CANCELLING. */
static void state_action(struct sink *sink, IDiscFormat2RawCD *format, IDiscFormat2RawCDEventArgs *args)
{
    (void)args;
    if (sink->in_state == RAWCD_CANCELLING)
        IDiscFormat2RawCD_CancelWrite(format);
    sink->result = do_call(format, sink->call, sink->stream);
    IDiscFormat2RawCD_CancelWrite(format);
    sink->acted = TRUE;
}

/* Brings a fresh object to `state` (WRITING and CANCELLING: runs the call
 * from Update) and returns the call's answer. */
static HRESULT call_in_state(IDiscFormat2RawCD *f, enum rawcd_state state, enum rawcd_call call, IStream *stream)
{
    struct sink sink;
    sink_init(&sink);
    if (state >= RAWCD_PREPARED)
        ok(prepare_for(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "PrepareMedia to reach %s\n",
           STATE_NAME(state));
    if (state == RAWCD_WRITING || state == RAWCD_CANCELLING) {
        sink.action = state_action;
        sink.act_at = 1;
        sink.in_state = state;
        sink.call = call;
        sink.stream = stream;
        advise(f, &sink);
        IDiscFormat2RawCD_WriteMedia(f, stream);
        ok(sink.acted, "no Update reached state %s\n", STATE_NAME(state));
        return sink.acted ? sink.result : E_FAIL;
    }
    if (state == RAWCD_DONE) { /* cancelled once sectors were written: the disc is touched */
        sink.action = cancel_action;
        sink.act_at = 3;
        advise(f, &sink);
        ok(IDiscFormat2RawCD_WriteMedia(f, stream) == E_IMAPI_REQUEST_CANCELLED, "cancelled write\n");
    }
    ok(probe_state(f) == state, "object not in %s before %s\n", STATE_NAME(state), CALL_NAME(call));
    return do_call(f, call, stream);
}

static void check_cell(enum rawcd_state state, enum rawcd_call call)
{
    const struct state_rule *rule = state_table_rule(&rawcd_state_table, state, call);
    IDiscFormat2RawCD *f;
    IStream *stream = image_stream(make_image(1, 300, 3), STREAM_PLAIN, 0);
    HRESULT hr;
    test_vr_add(L"states", L"cdr80", NULL, TRUE);
    f = state == RAWCD_NO_RECORDER ? new_format() : ready_format(L"states");
    if (!f)
        return;
    if (state == RAWCD_NO_RECORDER) {
        BSTR name = SysAllocString(L"state test");
        IDiscFormat2RawCD_put_ClientName(f, name);
        SysFreeString(name);
    }
    hr = call_in_state(f, state, call, stream);
    if (rule->refusal)
        ok(hr == (HRESULT)rule->refusal, "%s in %s: got %#lx, table says %#lx\n", CALL_NAME(call),
           STATE_NAME(state), hr, (long)rule->refusal);
    else
        ok(SUCCEEDED(hr) || hr == E_IMAPI_REQUEST_CANCELLED, "%s in %s: got %#lx, table says go ahead\n",
           CALL_NAME(call), STATE_NAME(state), hr);
    /* The transition the table names is the one the object made. */
    if (state != RAWCD_WRITING && state != RAWCD_CANCELLING) {
        enum rawcd_state want =
            state_table_next(&rawcd_state_table, state, call, SUCCEEDED(hr) ? STATE_SUCCEEDED : STATE_REFUSED);
        enum rawcd_state got = probe_state(f);
        ok(got == want, "%s in %s: left %s, table says %s\n", CALL_NAME(call), STATE_NAME(state),
           STATE_NAME(got), STATE_NAME(want));
    }
    IDiscFormat2RawCD_CancelWrite(f);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IDiscFormat2RawCD_Release(f);
    IStream_Release(stream);
}

static void test_state_table(void)
{
    for (int state = 0; state < RAWCD_STATE_COUNT; state++)
        for (int call = 0; call < RAWCD_CALL_COUNT; call++)
            check_cell((enum rawcd_state)state, (enum rawcd_call)call);
    test_vr_remove(L"states");
}

static void test_interfaces(void)
{
    static const IID *const yes[] = { &IID_IUnknown, &IID_IDispatch, &IID_IDiscFormat2, &IID_IDiscFormat2RawCD,
                                      &IID_IConnectionPointContainer, &IID_IProvideClassInfo2,
                                      &IID_ISupportErrorInfo };
    IDiscFormat2RawCD *f = new_format();
    IProvideClassInfo2 *pci = NULL;
    GUID guid;
    if (!f)
        return;
    for (unsigned i = 0; i < ARRAYSIZE(yes); i++) {
        IUnknown *unk = NULL;
        ok(IDiscFormat2RawCD_QueryInterface(f, yes[i], (void **)&unk) == S_OK && unk, "QI %u\n", i);
        if (unk)
            IUnknown_Release(unk);
    }
    if (SUCCEEDED(IDiscFormat2RawCD_QueryInterface(f, &IID_IProvideClassInfo2, (void **)&pci))) {
        ok(IProvideClassInfo2_GetGUID(pci, GUIDKIND_DEFAULT_SOURCE_DISP_IID, &guid) == S_OK &&
           IsEqualGUID(&guid, &IID_DDiscFormat2RawCDEvents), "default source\n");
        IProvideClassInfo2_Release(pci);
    }
    IDiscFormat2RawCD_Release(f);
}

int main(void)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_vr_remove_all();
    test_interfaces();
    test_properties();
    test_burn(RAWIMAGE_AUDIO, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW, 1, 300, STREAM_PLAIN);
    test_burn(RAWIMAGE_AUDIO, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY, 3, 400, STREAM_PLAIN);
    test_burn(RAWIMAGE_AUDIO, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW, 2, 300, STREAM_NO_SEEK);
    /* Seek answers S_OK without moving: read and discarded instead, the disc is right */
    test_burn(RAWIMAGE_AUDIO, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW, 2, 300, STREAM_SEEK_LIES);
    /* 99 tracks, the most a disc has; a data track followed by audio (mixed mode). */
    test_burn(RAWIMAGE_AUDIO, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW, 99, 300, STREAM_PLAIN);
    test_burn(RAWIMAGE_MODE1, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW, 3, 500, STREAM_PLAIN);
    test_burn(RAWIMAGE_MODE1, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY, 2, 400, STREAM_PLAIN);
    test_cancel(1, L"cdr80");
    test_cancel(2, L"cdr80");
    test_cancel(3, L"cdrw");
    test_bad_streams();
    test_retry_after_failed_stream();
    test_drive_limits();
    test_media_refusals();
    test_faults();
    test_misbehaving_sinks();
    test_vtable_sink();
    test_burn_from_creator();
    test_cancel_from_thread();
    test_reads_during_burn();
    test_state_table();
    test_vr_remove_all();
    RemoveDirectoryW(test_vr_folder());
    CoUninitialize();
    return okay_summary("rawcd");
}
