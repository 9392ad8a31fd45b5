/* MsftDiscFormat2TrackAtOnce on virtual recorders: 1, 2 and 99 tracks, a
 * short track, a track without room, bad streams, cancels in the first and
 * the last track (from Update and from another thread), a disc left open by
 * DoNotFinalizeMedia, a CD-RW erased and reused, the recording compared byte
 * for byte with the input through the virtual disc's sectors file, the TOC
 * the drive reads back (READ TOC) against ExpectedTableOfContents, events
 * counted, every (state, call) pair of libs/mmc/tao_states.c through the COM
 * object, and Microsoft's imapi2sample -audio call order. Where the audit
 * (docs/tao-audit.md) marks a choice "ours", the check says so. */
#define COBJMACROS
#define CONST_VTABLE
#include <stdio.h>
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include <shlwapi.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "mmc/tao_states.h"
#include "okay.h"
#include "virtual_recorders.h"
#include "test_com.h"
#include "mmc/geometry.h"

/* Names of tao_state_table's states and calls, for messages. */
#define STATE_NAME(s) state_table_state_name(&tao_state_table, (int)(s))
#define CALL_NAME(c) state_table_call_name(&tao_state_table, (int)(c))


/* ------------------------------------------------ PCM streams */

static uint8_t pcm_byte(int seed, uint64_t offset)
{
    return (uint8_t)(offset * 13 ^ (offset >> 11) ^ (uint64_t)seed * 101);
}

enum pcm_flavour { PCM_PLAIN, PCM_NO_STAT };

struct pcm {
    IStream IStream_iface;
    LONG ref;
    int seed;
    uint64_t pos, size;
    enum pcm_flavour flavour;
};

static struct pcm *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct pcm, IStream_iface);
}
static ULONG WINAPI pcm_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}
static ULONG WINAPI pcm_Release(IStream *iface)
{
    struct pcm *s = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&s->ref);
    if (!ref)
        HeapFree(GetProcessHeap(), 0, s);
    return ref;
}
static HRESULT WINAPI pcm_Read(IStream *iface, void *buf, ULONG len, ULONG *read)
{
    struct pcm *s = impl_from_IStream(iface);
    uint8_t *out = buf;
    if (len > s->size - s->pos)
        len = (ULONG)(s->size - s->pos);
    for (ULONG i = 0; i < len; i++)
        out[i] = pcm_byte(s->seed, s->pos + i);
    s->pos += len;
    if (read)
        *read = len;
    return len ? S_OK : S_FALSE;
}
static HRESULT WINAPI pcm_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *pos)
{
    struct pcm *s = impl_from_IStream(iface);
    LONGLONG base = origin == STREAM_SEEK_SET ? 0 : origin == STREAM_SEEK_CUR ? (LONGLONG)s->pos : (LONGLONG)s->size;
    if (base + move.QuadPart < 0)
        return STG_E_INVALIDFUNCTION;
    s->pos = (uint64_t)(base + move.QuadPart);
    if (pos)
        pos->QuadPart = s->pos;
    return S_OK;
}
static HRESULT WINAPI pcm_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface; (void)size;
    return STG_E_ACCESSDENIED;
}
static HRESULT WINAPI pcm_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct pcm *s = impl_from_IStream(iface);
    (void)flags;
    if (s->flavour == PCM_NO_STAT)
        return E_NOTIMPL;
    return test_stream_stat(stat, s->size);
}
static const IStreamVtbl pcm_vtbl = TEST_STREAM_VTBL(pcm_AddRef, pcm_Release, pcm_Read, pcm_Seek, pcm_SetSize, pcm_Stat);

static IStream *pcm_stream(int seed, uint64_t bytes, enum pcm_flavour flavour)
{
    struct pcm *s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    s->IStream_iface.lpVtbl = &pcm_vtbl;
    s->ref = 1;
    s->seed = seed;
    s->size = bytes;
    s->flavour = flavour;
    return &s->IStream_iface;
}

/* ------------------------------------------------ the event sink */

struct sink;
typedef void (*sink_action)(struct sink *sink, IDiscFormat2TrackAtOnce *format);

struct sink {
    struct test_sink base;    /* first */
    unsigned updates, per_action[5];
    LONG track;               /* CurrentTrackNumber of the last Update */
    BOOL tracks_in_order;     /* CurrentTrackNumber never went back */
    LONG start_lba[100], sector_count[100];
    LONG last_written;
    BOOL lba_in_range;        /* LastWrittenLba within [StartLba - 1, StartLba + SectorCount) */
    BOOL counts_before;       /* NumberOfExistingTracks from Update = track - 1 */
    sink_action action;
    LONG act_track;           /* act in this track (0: any) ... */
    unsigned act_at;          /* ... from its act_at-th Update on */
    unsigned track_updates;
    BOOL acted;
    HRESULT result;
    enum tao_call call;       /* for the state-table action ... */
    BOOL cancel_first;        /* ... made in CANCELLING */
    IStream *stream;
    IDiscRecorder2 *recorder;
};

static struct sink *impl_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct sink, base.IDispatch_iface);
}

static HRESULT WINAPI sink_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags, DISPPARAMS *params,
                                  VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct sink *sink = impl_from_IDispatch(iface);
    IDiscFormat2TrackAtOnce *format = NULL;
    IDiscFormat2TrackAtOnceEventArgs *args = NULL;
    LONG track = 0, start = 0, count = 0, written = 0, read = 0, elapsed = -1, remaining = -1, existing = -1;
    IMAPI_FORMAT2_TAO_WRITE_ACTION action = 0;
    (void)riid; (void)lcid; (void)result; (void)excep; (void)arg_err;
    ok(id == DISPID_DDISCFORMAT2TAOEVENTS_UPDATE && flags == DISPATCH_METHOD, "Invoke %ld flags %u\n", id, flags);
    if (params->cArgs != 2)
        return E_INVALIDARG;
    IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[1]), &IID_IDiscFormat2TrackAtOnce, (void **)&format);
    IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[0]), &IID_IDiscFormat2TrackAtOnceEventArgs, (void **)&args);
    ok(format && args, "Update object %p, progress %p\n", format, args);
    if (!format || !args)
        return E_INVALIDARG;
    sink->updates++;
    IDiscFormat2TrackAtOnceEventArgs_get_CurrentTrackNumber(args, &track);
    IDiscFormat2TrackAtOnceEventArgs_get_CurrentAction(args, &action);
    IDiscFormat2TrackAtOnceEventArgs_get_StartLba(args, &start);
    IDiscFormat2TrackAtOnceEventArgs_get_SectorCount(args, &count);
    IDiscFormat2TrackAtOnceEventArgs_get_LastWrittenLba(args, &written);
    IDiscFormat2TrackAtOnceEventArgs_get_LastReadLba(args, &read);
    IDiscFormat2TrackAtOnceEventArgs_get_ElapsedTime(args, &elapsed);
    IDiscFormat2TrackAtOnceEventArgs_get_RemainingTime(args, &remaining);
    ok(elapsed >= 0 && remaining >= 0, "times %ld %ld\n", elapsed, remaining);
    if (action >= 0 && action < 5)
        sink->per_action[action]++;
    if (track < sink->track)
        sink->tracks_in_order = FALSE;
    if (track != sink->track)
        sink->track_updates = 0;
    sink->track_updates++;
    sink->track = track;
    if (action == IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING && track >= 1 && track <= 99) {
        sink->start_lba[track] = start;
        sink->sector_count[track] = count;
        if (written < start - 1 || written >= start + count)
            sink->lba_in_range = FALSE;
        sink->last_written = written;
        if (IDiscFormat2TrackAtOnce_get_NumberOfExistingTracks(format, &existing) != S_OK || existing != track - 1)
            sink->counts_before = FALSE;
    }
    if (sink->action && !sink->acted && (!sink->act_track || sink->act_track == track) &&
        sink->track_updates >= sink->act_at)
        sink->action(sink, format);
    IDiscFormat2TrackAtOnceEventArgs_Release(args);
    IDiscFormat2TrackAtOnce_Release(format);
    return S_OK;
}
static const IDispatchVtbl sink_vtbl = TEST_SINK_VTBL(sink_Invoke);

static void sink_init(struct sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    test_sink_init(&sink->base, &sink_vtbl, &IID_DDiscFormat2TrackAtOnceEvents, NULL);
    sink->tracks_in_order = sink->lba_in_range = sink->counts_before = TRUE;
}

static DWORD advise(IDiscFormat2TrackAtOnce *format, struct sink *sink)
{
    return test_advise((IUnknown *)format, &IID_DDiscFormat2TrackAtOnceEvents, &sink->base);
}

static void unadvise(IDiscFormat2TrackAtOnce *format, DWORD cookie)
{
    test_unadvise((IUnknown *)format, &IID_DDiscFormat2TrackAtOnceEvents, cookie);
}

/* ------------------------------------------------ helpers */

static IDiscFormat2TrackAtOnce *new_format(void)
{
    IDiscFormat2TrackAtOnce *f = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscFormat2TrackAtOnce, NULL, CLSCTX_INPROC_SERVER,
                                  &IID_IDiscFormat2TrackAtOnce, (void **)&f);
    ok(hr == S_OK && f, "CoCreateInstance(MsftDiscFormat2TrackAtOnce) got %#lx\n", hr);
    return f;
}

static HRESULT put_name(IDiscFormat2TrackAtOnce *f, const WCHAR *name)
{
    BSTR b = name ? SysAllocString(name) : NULL;
    HRESULT hr = IDiscFormat2TrackAtOnce_put_ClientName(f, b);
    SysFreeString(b);
    return hr;
}

/* Recorder and client name set: the sample's order before PrepareMedia. */
static IDiscFormat2TrackAtOnce *ready_format(const WCHAR *name)
{
    IDiscFormat2TrackAtOnce *f = new_format();
    IDiscRecorder2 *rec = test_recorder(name);
    ok(rec != NULL, "recorder %ls\n", name);
    if (f && rec) {
        ok(IDiscFormat2TrackAtOnce_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
        ok(put_name(f, L"imapi2 tests") == S_OK, "put_ClientName\n");
    }
    if (rec)
        IDiscRecorder2_Release(rec);
    return f;
}

static LONG session_value(IDiscFormat2TrackAtOnce *f, HRESULT(WINAPI *get)(IDiscFormat2TrackAtOnce *, LONG *))
{
    LONG v = -1;
    HRESULT hr = get(f, &v);
    ok(hr == S_OK, "session value get got %#lx\n", hr);
    return v;
}
#define TRACKS(f) session_value(f, (f)->lpVtbl->get_NumberOfExistingTracks)
#define FREE(f) session_value(f, (f)->lpVtbl->get_FreeSectorsOnMedia)
#define USED(f) session_value(f, (f)->lpVtbl->get_UsedSectorsOnMedia)
#define TOTAL(f) session_value(f, (f)->lpVtbl->get_TotalSectorsOnMedia)

static HRESULT add_track(IDiscFormat2TrackAtOnce *f, int seed, uint64_t bytes)
{
    IStream *s = pcm_stream(seed, bytes, PCM_PLAIN);
    HRESULT hr = IDiscFormat2TrackAtOnce_AddAudioTrack(f, s);
    IStream_Release(s);
    return hr;
}

static LONG padded(uint64_t bytes)
{
    LONG sectors = (LONG)((bytes + CD_SECTOR_SIZE - 1) / CD_SECTOR_SIZE);
    return sectors < CD_MIN_TRACK_SECTORS ? CD_MIN_TRACK_SECTORS : sectors;
}

/* ExpectedTableOfContents' one blob (READ TOC format 0, LBA), copied. */
static size_t expected_toc(IDiscFormat2TrackAtOnce *f, BYTE *out, size_t size)
{
    SAFEARRAY *sa = NULL;
    VARIANT v;
    LONG index = 0;
    size_t len = 0;
    HRESULT hr = IDiscFormat2TrackAtOnce_get_ExpectedTableOfContents(f, &sa);
    ok(hr == S_OK && sa, "ExpectedTableOfContents got %#lx\n", hr);
    if (!sa)
        return 0;
    ok(test_array_count(sa) == 1, "%ld elements (ours: one)\n", test_array_count(sa));
    VariantInit(&v);
    if (SUCCEEDED(SafeArrayGetElement(sa, &index, &v))) {
        ok(V_VT(&v) == (VT_BYREF | VT_UI1), "element type %#x\n", V_VT(&v));
        if (V_VT(&v) == (VT_BYREF | VT_UI1)) {
            const BYTE *p = V_UI1REF(&v);
            len = 2 + ((size_t)p[0] << 8 | p[1]);
            memcpy(out, p, len < size ? len : size);
        }
    }
    SafeArrayDestroy(sa); /* VT_BYREF: the bytes stay the object's */
    return len;
}

/* READ TOC format 0 (LBA) as the drive answers it now. */
static size_t drive_toc(const WCHAR *name, BYTE *out, size_t size)
{
    IDiscRecorder2 *rec = test_recorder(name);
    IDiscRecorder2Ex *ex = NULL;
    BYTE cdb[10] = { 0x43, 0, 0, 0, 0, 0, 1, (BYTE)(size >> 8), (BYTE)size, 0 };
    BYTE sense[18];
    ULONG fetched = 0;
    HRESULT hr;
    if (!rec)
        return 0;
    IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex);
    IDiscRecorder2_Release(rec);
    if (!ex)
        return 0;
    hr = IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, sizeof(cdb), sense, 10, out, (ULONG)size, &fetched);
    ok(hr == S_OK, "READ TOC got %#lx\n", hr);
    IDiscRecorder2Ex_Release(ex);
    return SUCCEEDED(hr) ? fetched : 0;
}

static LONG toc_start(const BYTE *toc, size_t len, int point)
{
    for (size_t at = 4; at + 8 <= len; at += 8)
        if (toc[at + 2] == point)
            return (LONG)((DWORD)toc[at + 4] << 24 | toc[at + 5] << 16 | toc[at + 6] << 8 | toc[at + 7]);
    return INT32_MIN;
}

/* The track's main channel in the sectors file against the stream it came
 * from: bytes, then zeros up to `sectors`. Returns sectors that differ. */
static unsigned compare_track(const WCHAR *name, LONG start, int seed, uint64_t bytes, LONG sectors)
{
    WCHAR path[MAX_PATH + 32];
    uint8_t rec[CD_SECTOR_RAW_PW];
    unsigned bad = 0;
    FILE *f;
    swprintf(path, ARRAYSIZE(path), L"%ls\\%ls.media.sectors", test_vr_folder(), name);
    f = _wfopen(path, L"rb");
    ok(f != NULL, "no sectors file for %ls\n", name);
    if (!f)
        return 1;
    _fseeki64(f, (long long)(start - CD_TYPICAL_LEADIN_LBA) * CD_SECTOR_RAW_PW, SEEK_SET);
    for (LONG i = 0; i < sectors; i++) {
        BOOL same = fread(rec, 1, sizeof(rec), f) == sizeof(rec);
        for (unsigned b = 0; same && b < CD_SECTOR_SIZE; b++) {
            uint64_t at = (uint64_t)i * CD_SECTOR_SIZE + b;
            same = rec[b] == (at < bytes ? pcm_byte(seed, at) : 0);
        }
        if (!same && !bad++)
            ok(0, "sector %ld of the track at %ld differs\n", i, start);
    }
    fclose(f);
    return bad;
}

/* ------------------------------------------------ burns */

struct plan {
    int tracks;
    uint64_t bytes[100];
};

/* Burns plan on a fresh disc of kind, then checks events, the session
 * values, ExpectedTableOfContents, the drive's TOC and every sector. */
static void burn(const WCHAR *kind, const struct plan *p, int seed0, BOOL fresh)
{
    IDiscFormat2TrackAtOnce *f;
    struct sink sink;
    BYTE want[4 + 8 * 100], got[4 + 8 * 100];
    size_t want_len, got_len;
    LONG starts[100] = { 0 }, total, free_before;
    unsigned bad = 0;
    HRESULT hr;
    if (fresh)
        test_vr_add(L"burn", kind, NULL, TRUE);
    if (!(f = ready_format(L"burn")))
        return;
    sink_init(&sink);
    advise(f, &sink);
    hr = IDiscFormat2TrackAtOnce_PrepareMedia(f);
    ok(hr == S_OK, "PrepareMedia got %#lx\n", hr);
    if (hr != S_OK) {
        IDiscFormat2TrackAtOnce_Release(f);
        return;
    }
    ok(TRACKS(f) == 0 && USED(f) == 0, "a blank disc: 0 tracks, 0 used\n");
    total = TOTAL(f);
    ok(total > 300000 && FREE(f) <= total, "total %ld free %ld\n", total, FREE(f));
    ok(IDiscFormat2TrackAtOnce_get_ExpectedTableOfContents(f, (SAFEARRAY **)&want) ==
           E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC, "TOC of no track\n");
    for (int t = 1; t <= p->tracks; t++) {
        free_before = FREE(f);
        hr = add_track(f, seed0 + t, p->bytes[t - 1]);
        ok(hr == S_OK, "track %d of %d: AddAudioTrack got %#lx\n", t, p->tracks, hr);
        if (hr != S_OK)
            break;
        starts[t] = sink.start_lba[t];
        ok(TRACKS(f) == t, "%ld tracks after track %d\n", TRACKS(f), t);
        /* After track 99 nothing more fits: no gap for a next one (ours). */
        ok(FREE(f) == (t == 99 ? 0 : free_before - padded(p->bytes[t - 1]) - (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS)), "track %d: free %ld, was %ld\n", t,
           FREE(f), free_before);
        ok(USED(f) == starts[t] + padded(p->bytes[t - 1]) + (t == 99 ? 2 : (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS)), "track %d: used %ld\n", t, USED(f));
        ok(sink.sector_count[t] == padded(p->bytes[t - 1]), "track %d: SectorCount %ld\n", t, sink.sector_count[t]);
    }
    ok(sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_PREPARING] == (unsigned)p->tracks &&
           sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_FINISHING] == (unsigned)p->tracks &&
           sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING] >= (unsigned)p->tracks &&
           sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_VERIFYING] == 0 &&
           sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_UNKNOWN] == 0,
       "%d tracks: events P%u W%u F%u V%u U%u\n", p->tracks, sink.per_action[1], sink.per_action[2],
       sink.per_action[3], sink.per_action[4], sink.per_action[0]);
    ok(sink.tracks_in_order && sink.lba_in_range && sink.counts_before, "event values in order %d %d %d\n",
       sink.tracks_in_order, sink.lba_in_range, sink.counts_before);
    ok(starts[1] == 0, "track 1 at %ld\n", starts[1]);
    for (int t = 2; t <= p->tracks; t++)
        if (starts[t] != starts[t - 1] + padded(p->bytes[t - 2]) + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS) && !bad++)
            ok(0, "track %d at %ld, track %d at %ld: not a 2-s gap\n", t, starts[t], t - 1, starts[t - 1]);
    ok(bad == 0, "%u tracks not 2 s + run-out after the previous\n", bad);
    want_len = expected_toc(f, want, sizeof(want));
    ok(want_len == 4 + 8 * (size_t)(p->tracks + 1) && want[2] == 1 && want[3] == p->tracks,
       "expected TOC %u bytes, tracks %d-%d\n", (unsigned)want_len, want[2], want[3]);
    for (int t = 1; t <= p->tracks; t++)
        if (toc_start(want, want_len, t) != starts[t])
            ok(0, "expected TOC: track %d at %ld, written at %ld\n", t, toc_start(want, want_len, t), starts[t]);
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    ok(sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_FINISHING] == (unsigned)p->tracks + 1,
       "ReleaseMedia sends FINISHING once (ours)\n");
    got_len = drive_toc(L"burn", got, sizeof(got));
    ok(got_len == want_len && !memcmp(got, want, want_len), "READ TOC (%u bytes) differs from the expected TOC\n",
       (unsigned)got_len);
    for (int t = 1; t <= p->tracks; t++)
        if (compare_track(L"burn", starts[t], seed0 + t, p->bytes[t - 1], padded(p->bytes[t - 1])))
            ok(0, "track %d differs from its stream\n", t);
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK, "a finalised disc again\n");
    IDiscFormat2TrackAtOnce_Release(f);
}

static void test_burns(void)
{
    struct plan p = { 0 };
    p.tracks = 1;
    p.bytes[0] = 1000 * CD_SECTOR_SIZE;
    okay_context = "1 track";
    burn(L"cdr80", &p, 10, TRUE);
    p.tracks = 2;
    p.bytes[1] = 450 * CD_SECTOR_SIZE;
    okay_context = "2 tracks";
    burn(L"cdr80", &p, 20, TRUE);
    p.tracks = 1;
    p.bytes[0] = 5 * CD_SECTOR_SIZE; /* padded with zeros to 4 s [d4] */
    okay_context = "a track of 5 sectors";
    burn(L"cdr80", &p, 30, TRUE);
    p.tracks = 99;
    for (int t = 0; t < 99; t++)
        p.bytes[t] = (uint64_t)(CD_MIN_TRACK_SECTORS + (t % 3)) * CD_SECTOR_SIZE;
    okay_context = "99 tracks";
    burn(L"cdr80", &p, 40, TRUE);
    okay_context = NULL;
}

/* The 100th track, a track that does not fit, streams the object refuses:
 * each leaves the object prepared and the disc as it was. */
static void test_refused_tracks(void)
{
    IDiscFormat2TrackAtOnce *f;
    IStream *s;
    LONG free_sectors;
    test_vr_add(L"limits", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"limits")))
        return;
    ok(IDiscFormat2TrackAtOnce_AddAudioTrack(f, NULL) == E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED, "not prepared\n");
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == S_OK, "PrepareMedia\n");
    ok(IDiscFormat2TrackAtOnce_AddAudioTrack(f, NULL) == E_POINTER, "NULL stream\n");
    ok(add_track(f, 1, 0) == E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED, "empty stream (ours)\n");
    ok(add_track(f, 1, CD_SECTOR_SIZE * 400 + 1) == E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED, "not whole sectors (ours, Q5)\n");
    s = pcm_stream(1, CD_SECTOR_SIZE * 400, PCM_NO_STAT);
    ok(IDiscFormat2TrackAtOnce_AddAudioTrack(f, s) == E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED, "Stat fails (ours)\n");
    IStream_Release(s);
    free_sectors = FREE(f);
    ok(add_track(f, 1, (uint64_t)(free_sectors + 1) * CD_SECTOR_SIZE) == E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE,
       "a track of %ld sectors does not fit\n", free_sectors + 1);
    ok(TRACKS(f) == 0 && FREE(f) == free_sectors, "refusals left the disc alone\n");
    ok(add_track(f, 2, CD_SECTOR_SIZE * 300) == S_OK, "a track after the refusals\n");
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    ok(compare_track(L"limits", 0, 2, CD_SECTOR_SIZE * 300, 300) == 0, "the track after the refusals\n");
    IDiscFormat2TrackAtOnce_Release(f);
}

/* ------------------------------------------------ cancel */

static void cancel_action(struct sink *sink, IDiscFormat2TrackAtOnce *format)
{
    sink->result = IDiscFormat2TrackAtOnce_CancelAddTrack(format);
    if (sink->result == S_OK) /* a second one while cancelling is harmless (ours) */
        sink->result = IDiscFormat2TrackAtOnce_CancelAddTrack(format);
    sink->acted = TRUE;
}

/* `tracks` tracks of 3000 sectors, the last cancelled at its 3rd Update: it
 * stays on the disc, closed and shorter, and the session still closes [d5]. */
static void test_cancel(int tracks)
{
    IDiscFormat2TrackAtOnce *f;
    struct sink sink;
    BYTE want[4 + 8 * 100], got[4 + 8 * 100];
    size_t want_len, got_len;
    HRESULT hr;
    test_vr_add(L"cancel", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"cancel")))
        return;
    sink_init(&sink);
    sink.action = cancel_action;
    sink.act_track = tracks;
    sink.act_at = 3;
    advise(f, &sink);
    ok(IDiscFormat2TrackAtOnce_CancelAddTrack(f) == E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS, "CancelAddTrack idle\n");
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == S_OK, "PrepareMedia\n");
    for (int t = 1; t <= tracks; t++) {
        hr = add_track(f, 50 + t, 3000 * CD_SECTOR_SIZE);
        ok(hr == (t == tracks ? E_IMAPI_REQUEST_CANCELLED : S_OK), "track %d got %#lx\n", t, hr);
    }
    ok(sink.acted && sink.result == S_OK, "CancelAddTrack from Update got %#lx\n", sink.result);
    ok(TRACKS(f) == tracks, "the cut track counts: %ld tracks\n", TRACKS(f));
    ok(sink.sector_count[tracks] == 3000, "SectorCount %ld\n", sink.sector_count[tracks]);
    ok(IDiscFormat2TrackAtOnce_CancelAddTrack(f) == E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS, "CancelAddTrack after\n");
    want_len = expected_toc(f, want, sizeof(want));
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == S_OK, "ReleaseMedia after a cancel\n");
    got_len = drive_toc(L"cancel", got, sizeof(got));
    ok(got_len == want_len && !memcmp(got, want, want_len) && got[3] == tracks, "TOC after a cancel: %d tracks\n",
       got[3]);
    for (int t = 1; t < tracks; t++)
        ok(compare_track(L"cancel", sink.start_lba[t], 50 + t, 3000 * CD_SECTOR_SIZE, 3000) == 0, "track %d\n", t);
    IDiscFormat2TrackAtOnce_Release(f);
}

struct canceller {
    IDiscFormat2TrackAtOnce *f;
    HANDLE writing;
    HRESULT hr;
};

static void signal_action(struct sink *sink, IDiscFormat2TrackAtOnce *format)
{
    (void)format;
    SetEvent((HANDLE)sink->stream);
    sink->acted = TRUE;
    Sleep(50); /* let the other thread's CancelAddTrack land while writing */
}

static DWORD WINAPI cancel_thread(void *arg)
{
    struct canceller *c = arg;
    WaitForSingleObject(c->writing, 10000);
    c->hr = IDiscFormat2TrackAtOnce_CancelAddTrack(c->f);
    return 0;
}

/* DiscImageStudio cancels from another thread [s5] (ours: allowed). */
static void test_cancel_from_thread(void)
{
    struct canceller c = { 0 };
    struct sink sink;
    HANDLE th;
    test_vr_add(L"thread", L"cdr80", NULL, TRUE);
    if (!(c.f = ready_format(L"thread")))
        return;
    c.writing = CreateEventW(NULL, TRUE, FALSE, NULL);
    c.hr = E_FAIL;
    sink_init(&sink);
    sink.action = signal_action;
    sink.act_at = 2;
    sink.stream = (IStream *)c.writing;
    advise(c.f, &sink);
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(c.f) == S_OK, "PrepareMedia\n");
    th = CreateThread(NULL, 0, cancel_thread, &c, 0, NULL);
    ok(add_track(c.f, 7, 20000 * CD_SECTOR_SIZE) == E_IMAPI_REQUEST_CANCELLED, "cancelled from another thread\n");
    WaitForSingleObject(th, 10000);
    CloseHandle(th);
    ok(c.hr == S_OK, "CancelAddTrack from the other thread got %#lx\n", c.hr);
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(c.f) == S_OK, "ReleaseMedia\n");
    CloseHandle(c.writing);
    IDiscFormat2TrackAtOnce_Release(c.f);
}

/* ------------------------------------------------ DoNotFinalizeMedia, CD-RW */

/* The session closes with a next session allowed (§8): the disc is no longer
 * blank, so TAO's PrepareMedia refuses it [d3] (the open session is for a
 * data writer), and DoNotFinalizeMedia is then 0504 (ours). */
static void test_do_not_finalize(void)
{
    IDiscFormat2TrackAtOnce *f, *again;
    VARIANT_BOOL v = VARIANT_FALSE;
    BYTE toc[64];
    test_vr_add(L"open", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"open")))
        return;
    ok(IDiscFormat2TrackAtOnce_get_DoNotFinalizeMedia(f, &v) == S_OK && v == VARIANT_FALSE, "default FALSE\n");
    ok(IDiscFormat2TrackAtOnce_put_DoNotFinalizeMedia(f, VARIANT_TRUE) == S_OK, "put before PrepareMedia\n");
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == S_OK, "PrepareMedia\n");
    ok(IDiscFormat2TrackAtOnce_put_DoNotFinalizeMedia(f, VARIANT_TRUE) == E_IMAPI_DF2TAO_MEDIA_IS_PREPARED,
       "put while prepared (Q1)\n");
    ok(add_track(f, 3, 600 * CD_SECTOR_SIZE) == S_OK, "AddAudioTrack\n");
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    ok(IDiscFormat2TrackAtOnce_put_DoNotFinalizeMedia(f, VARIANT_FALSE) ==
           E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY, "put after a written session (ours)\n");
    ok(drive_toc(L"open", toc, sizeof(toc)) == 4 + 16 && toc[3] == 1, "one track in the TOC\n");
    ok(compare_track(L"open", 0, 3, 600 * CD_SECTOR_SIZE, 600) == 0, "the track\n");
    ok(IDiscFormat2TrackAtOnce_get_MediaPhysicallyBlank(f, &v) == S_OK && v == VARIANT_FALSE, "not blank\n");
    again = ready_format(L"open");
    if (again) {
        ok(IDiscFormat2TrackAtOnce_PrepareMedia(again) == E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK,
           "a disc with a closed session, next allowed: not blank [d3]\n");
        IDiscFormat2TrackAtOnce_Release(again);
    }
    IDiscFormat2TrackAtOnce_Release(f);
}

static void erase_disc(const WCHAR *name)
{
    IDiscFormat2Erase *erase = NULL;
    IDiscRecorder2 *rec = test_recorder(name);
    BSTR client = SysAllocString(L"imapi2 tests");
    CoCreateInstance(&CLSID_MsftDiscFormat2Erase, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2Erase, (void **)&erase);
    ok(erase && rec, "erase object and recorder\n");
    if (erase && rec) {
        ok(IDiscFormat2Erase_put_Recorder(erase, rec) == S_OK, "erase put_Recorder\n");
        ok(IDiscFormat2Erase_put_ClientName(erase, client) == S_OK, "erase put_ClientName\n");
        ok(IDiscFormat2Erase_EraseMedia(erase) == S_OK, "EraseMedia\n");
    }
    if (erase)
        IDiscFormat2Erase_Release(erase);
    if (rec)
        IDiscRecorder2_Release(rec);
    SysFreeString(client);
}

static void test_cdrw_reused(void)
{
    struct plan p = { 0 };
    p.tracks = 2;
    p.bytes[0] = 700 * CD_SECTOR_SIZE;
    p.bytes[1] = 333 * CD_SECTOR_SIZE;
    okay_context = "CD-RW, first burn";
    burn(L"cdrw", &p, 60, TRUE);
    okay_context = "CD-RW, erased";
    erase_disc(L"burn");
    p.tracks = 1;
    p.bytes[0] = 900 * CD_SECTOR_SIZE;
    okay_context = "CD-RW, after erasing";
    burn(L"cdrw", &p, 70, FALSE);
    okay_context = NULL;
}

/* ------------------------------------------------ properties outside a session */

static void test_properties(void)
{
    IDiscFormat2TrackAtOnce *f = new_format();
    IDiscRecorder2 *rec = NULL;
    IBurnVerification *bv = NULL;
    IMAPI_BURN_VERIFICATION_LEVEL level = -1;
    IMAPI_MEDIA_PHYSICAL_TYPE type = 0;
    VARIANT_BOOL v = VARIANT_TRUE;
    SAFEARRAY *sa = NULL;
    BSTR name = NULL;
    LONG l = 0;
    struct sink sink;
    HRESULT hr;
    if (!f)
        return;
    ok(IDiscFormat2TrackAtOnce_get_Recorder(f, &rec) == S_OK && !rec, "no recorder (ours: S_OK, NULL)\n");
    hr = IDiscFormat2TrackAtOnce_get_ClientName(f, &name);
    ok(test_bstr_is(hr, name, L""), "ClientName default \"\"\n");
    ok(IDiscFormat2TrackAtOnce_get_RequestedWriteSpeed(f, &l) == S_OK && l == -1, "speed default -1\n");
    ok(IDiscFormat2TrackAtOnce_get_BufferUnderrunFreeDisabled(f, &v) == S_OK && v == VARIANT_FALSE, "BUFE on\n");
    ok(IDiscFormat2TrackAtOnce_get_SupportedMediaTypes(f, &sa) == S_OK && test_array_count(sa) == 2 &&
           test_array_has(sa, IMAPI_MEDIA_TYPE_CDR) && test_array_has(sa, IMAPI_MEDIA_TYPE_CDRW),
       "SupportedMediaTypes CD-R, CD-RW\n");
    SafeArrayDestroy(sa);
    ok(IDiscFormat2TrackAtOnce_get_CurrentPhysicalMediaType(f, &type) == E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED,
       "media type without recorder\n");
    ok(IDiscFormat2TrackAtOnce_SetWriteSpeed(f, -1, VARIANT_FALSE) == E_IMAPI_RECORDER_REQUIRED, "speed w/o rec\n");
    ok(put_name(f, L"bad\\name") == E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID, "bad client name\n");
    ok(put_name(f, NULL) == S_OK, "NULL name stored as \"\" (ours, Q3)\n");
    ok(IDiscFormat2TrackAtOnce_QueryInterface(f, &IID_IBurnVerification, (void **)&bv) == S_OK, "IBurnVerification\n");
    if (bv) {
        ok(IBurnVerification_get_BurnVerificationLevel(bv, &level) == S_OK && level == IMAPI_BURN_VERIFICATION_NONE,
           "verification default NONE (ours, Q4)\n");
        ok(IBurnVerification_put_BurnVerificationLevel(bv, 3) == E_INVALIDARG, "level 3\n");
        IBurnVerification_Release(bv);
    }
    IDiscFormat2TrackAtOnce_Release(f);

    test_vr_add(L"props", L"cdr80", NULL, TRUE);
    rec = test_recorder(L"props");
    f = new_format();
    if (!rec || !f)
        return;
    ok(IDiscFormat2TrackAtOnce_IsRecorderSupported(f, rec, &v) == S_OK && v == VARIANT_TRUE, "recorder supported\n");
    ok(IDiscFormat2TrackAtOnce_IsCurrentMediaSupported(f, rec, &v) == S_OK && v == VARIANT_TRUE, "blank CD-R\n");
    ok(IDiscFormat2TrackAtOnce_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
    ok(IDiscFormat2TrackAtOnce_get_CurrentPhysicalMediaType(f, &type) == S_OK && type == IMAPI_MEDIA_TYPE_CDR,
       "media type %d\n", type);
    ok(IDiscFormat2TrackAtOnce_get_MediaPhysicallyBlank(f, &v) == S_OK && v == VARIANT_TRUE, "blank\n");
    ok(IDiscFormat2TrackAtOnce_get_SupportedWriteSpeeds(f, &sa) == S_OK && test_array_count(sa) > 0, "speeds\n");
    SafeArrayDestroy(sa);
    ok(IDiscFormat2TrackAtOnce_get_SupportedWriteSpeedDescriptors(f, &sa) == S_OK && test_array_count(sa) > 0,
       "descriptors\n");
    SafeArrayDestroy(sa);
    ok(IDiscFormat2TrackAtOnce_SetWriteSpeed(f, -2, VARIANT_FALSE) == E_INVALIDARG, "speed -2\n");
    ok(IDiscFormat2TrackAtOnce_SetWriteSpeed(f, 75 * 8, VARIANT_FALSE) == S_OK, "8x\n");
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID, "no client name\n");
    ok(put_name(f, L"props test") == S_OK, "put_ClientName\n");
    ok(IDiscFormat2TrackAtOnce_put_BufferUnderrunFreeDisabled(f, VARIANT_TRUE) == E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED,
       "BUFE before PrepareMedia [d8]\n");
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED, "release unprepared (ours)\n");
    /* QUICK verification adds VERIFYING events (§6). */
    sink_init(&sink);
    advise(f, &sink);
    IDiscFormat2TrackAtOnce_QueryInterface(f, &IID_IBurnVerification, (void **)&bv);
    ok(IBurnVerification_put_BurnVerificationLevel(bv, IMAPI_BURN_VERIFICATION_QUICK) == S_OK, "QUICK\n");
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == S_OK, "PrepareMedia\n");
    ok(IDiscFormat2TrackAtOnce_put_BufferUnderrunFreeDisabled(f, VARIANT_TRUE) == S_OK, "BUFE while prepared\n");
    ok(add_track(f, 9, 300 * CD_SECTOR_SIZE) == S_OK, "a track with BUFE off\n");
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    ok(sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_VERIFYING] == 2, "VERIFYING %u (track, disc)\n",
       sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_VERIFYING]);
    ok(IDiscFormat2TrackAtOnce_IsCurrentMediaSupported(f, rec, &v) == S_OK && v == VARIANT_FALSE,
       "a written CD-R is not current media for TAO (ours)\n");
    IBurnVerification_Release(bv);
    IDiscFormat2TrackAtOnce_Release(f);
    IDiscRecorder2_Release(rec);
}

/* ------------------------------------------------ a stream reached through IDispatch */

/* What an ADODB.Stream or a .NET stream looks like to IMAPI when a script
 * passes it [s8]: an IDispatch whose QueryInterface gives an IStream. */
struct dispatch_stream {
    IDispatch IDispatch_iface;
    LONG ref;
    IStream *inner;
};

static struct dispatch_stream *impl_from_dispatch_stream(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct dispatch_stream, IDispatch_iface);
}
static HRESULT WINAPI ds_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    struct dispatch_stream *d = impl_from_dispatch_stream(iface);
    if (IsEqualGUID(riid, &IID_IStream))
        return IStream_QueryInterface(d->inner, riid, out);
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch)) {
        *out = iface;
        IDispatch_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI ds_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&impl_from_dispatch_stream(iface)->ref);
}
static ULONG WINAPI ds_Release(IDispatch *iface)
{
    return InterlockedDecrement(&impl_from_dispatch_stream(iface)->ref);
}
static HRESULT WINAPI ds_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags, DISPPARAMS *params,
                                VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    (void)iface; (void)id; (void)riid; (void)lcid; (void)flags; (void)params; (void)result; (void)excep;
    (void)arg_err;
    return DISP_E_MEMBERNOTFOUND;
}
static const IDispatchVtbl ds_vtbl = {
    ds_QueryInterface, ds_AddRef, ds_Release, test_sink_GetTypeInfoCount, test_sink_GetTypeInfo,
    test_sink_GetIDsOfNames, ds_Invoke,
};

static void test_stream_through_dispatch(void)
{
    struct dispatch_stream ds = { { &ds_vtbl }, 1, NULL };
    IDiscFormat2TrackAtOnce *f;
    DISPPARAMS params;
    VARIANT arg, result;
    EXCEPINFO excep;
    UINT arg_err = 0;
    HRESULT hr;
    test_vr_add(L"dispatch", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"dispatch")))
        return;
    ds.inner = pcm_stream(11, 320 * CD_SECTOR_SIZE, PCM_PLAIN);
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == S_OK, "PrepareMedia\n");
    V_VT(&arg) = VT_DISPATCH;
    V_DISPATCH(&arg) = &ds.IDispatch_iface;
    params.rgvarg = &arg;
    params.rgdispidNamedArgs = NULL;
    params.cArgs = 1;
    params.cNamedArgs = 0;
    VariantInit(&result);
    memset(&excep, 0, sizeof(excep));
    hr = IDiscFormat2TrackAtOnce_Invoke(f, DISPID_IDISCFORMAT2TAO_ADDAUDIOTRACK, &IID_NULL, 0, DISPATCH_METHOD,
                                        &params, &result, &excep, &arg_err);
    ok(hr == S_OK, "AddAudioTrack through Invoke with an IDispatch stream got %#lx (scode %#lx)\n", hr,
       excep.scode);
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    ok(compare_track(L"dispatch", 0, 11, 320 * CD_SECTOR_SIZE, 320) == 0, "the track from the IDispatch stream\n");
    SysFreeString(excep.bstrSource);
    SysFreeString(excep.bstrDescription);
    SysFreeString(excep.bstrHelpFile);
    IStream_Release(ds.inner);
    IDiscFormat2TrackAtOnce_Release(f);
}

/* ------------------------------------------------ the state table through the object */

static HRESULT do_call(IDiscFormat2TrackAtOnce *f, enum tao_call call, IDiscRecorder2 *rec)
{
    IBurnVerification *bv = NULL;
    IMAPI_MEDIA_PHYSICAL_TYPE type;
    SAFEARRAY *sa = NULL;
    LONG l;
    HRESULT hr;
    switch (call) {
    case TAO_CALL_PUT_RECORDER: return IDiscFormat2TrackAtOnce_put_Recorder(f, rec);
    case TAO_CALL_CLEAR_RECORDER: return IDiscFormat2TrackAtOnce_put_Recorder(f, NULL);
    case TAO_CALL_PUT_CLIENT_NAME: return put_name(f, L"state test");
    case TAO_CALL_PREPARE_MEDIA: return IDiscFormat2TrackAtOnce_PrepareMedia(f);
    case TAO_CALL_ADD_AUDIO_TRACK: return add_track(f, 5, 300 * CD_SECTOR_SIZE);
    case TAO_CALL_CANCEL_ADD_TRACK: return IDiscFormat2TrackAtOnce_CancelAddTrack(f);
    case TAO_CALL_RELEASE_MEDIA:
    case TAO_CALL_RELEASE_UNWRITTEN: return IDiscFormat2TrackAtOnce_ReleaseMedia(f);
    case TAO_CALL_SET_WRITE_SPEED: return IDiscFormat2TrackAtOnce_SetWriteSpeed(f, -1, VARIANT_FALSE);
    case TAO_CALL_PUT_BUFE: return IDiscFormat2TrackAtOnce_put_BufferUnderrunFreeDisabled(f, VARIANT_FALSE);
    case TAO_CALL_PUT_DO_NOT_FINALIZE: return IDiscFormat2TrackAtOnce_put_DoNotFinalizeMedia(f, VARIANT_FALSE);
    case TAO_CALL_PUT_VERIFICATION:
        IDiscFormat2TrackAtOnce_QueryInterface(f, &IID_IBurnVerification, (void **)&bv);
        hr = IBurnVerification_put_BurnVerificationLevel(bv, IMAPI_BURN_VERIFICATION_NONE);
        IBurnVerification_Release(bv);
        return hr;
    case TAO_CALL_GET_SESSION_VALUE: return IDiscFormat2TrackAtOnce_get_NumberOfExistingTracks(f, &l);
    case TAO_CALL_GET_TOC:
        hr = IDiscFormat2TrackAtOnce_get_ExpectedTableOfContents(f, &sa);
        SafeArrayDestroy(sa);
        return hr;
    case TAO_CALL_GET_DRIVE_VALUE: return IDiscFormat2TrackAtOnce_get_CurrentPhysicalMediaType(f, &type);
    default: return E_UNEXPECTED;
    }
}

/* The state as the object shows it, by calls whose answers tell the states
 * apart without changing anything (outside AddAudioTrack). */
static enum tao_state probe_state(IDiscFormat2TrackAtOnce *f)
{
    IMAPI_MEDIA_PHYSICAL_TYPE type;
    VARIANT_BOOL dnf = VARIANT_FALSE;
    LONG l;
    if (IDiscFormat2TrackAtOnce_get_CurrentPhysicalMediaType(f, &type) == E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED)
        return TAO_NO_RECORDER;
    if (IDiscFormat2TrackAtOnce_get_NumberOfExistingTracks(f, &l) == S_OK)
        return TAO_PREPARED;
    IDiscFormat2TrackAtOnce_get_DoNotFinalizeMedia(f, &dnf);
    if (IDiscFormat2TrackAtOnce_put_DoNotFinalizeMedia(f, dnf) == E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY)
        return TAO_RELEASED;
    return TAO_READY;
}

static void call_from_update(struct sink *sink, IDiscFormat2TrackAtOnce *format)
{
    if (sink->cancel_first)
        ok(IDiscFormat2TrackAtOnce_CancelAddTrack(format) == S_OK, "CancelAddTrack to reach CANCELLING\n");
    sink->result = do_call(format, sink->call, sink->recorder);
    sink->acted = TRUE;
}

static BOOL needs_a_track(enum tao_state state, enum tao_call call)
{
    return state == TAO_RELEASED ||
           (state >= TAO_PREPARED && (call == TAO_CALL_RELEASE_MEDIA || call == TAO_CALL_GET_TOC));
}

static void check_cell(enum tao_state state, enum tao_call call)
{
    const struct state_rule *rule = state_table_rule(&tao_state_table, state, call);
    IDiscFormat2TrackAtOnce *f;
    IDiscRecorder2 *rec;
    struct sink sink;
    HRESULT hr;
    BOOL ahead;
    test_vr_add(L"states", L"cdr80", NULL, TRUE);
    rec = test_recorder(L"states");
    f = state == TAO_NO_RECORDER ? new_format() : ready_format(L"states");
    if (!f || !rec)
        return;
    if (state == TAO_NO_RECORDER)
        put_name(f, L"state test");
    if (state >= TAO_PREPARED)
        ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == S_OK, "PrepareMedia\n");
    if (needs_a_track(state, call))
        ok(add_track(f, 4, 300 * CD_SECTOR_SIZE) == S_OK, "a first track\n");
    if (state == TAO_RELEASED)
        ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    if (state == TAO_ADDING_TRACK || state == TAO_CANCELLING) {
        HRESULT add;
        sink_init(&sink);
        sink.action = call_from_update;
        sink.act_at = 1;
        sink.call = call;
        sink.recorder = rec;
        sink.cancel_first = state == TAO_CANCELLING;
        sink.result = E_FAIL;
        advise(f, &sink);
        add = add_track(f, 6, 300 * CD_SECTOR_SIZE);
        hr = sink.result;
        ok(sink.acted, "%s in %s: no Update\n", CALL_NAME(call), STATE_NAME(state));
        ok(add == S_OK || add == E_IMAPI_REQUEST_CANCELLED, "AddAudioTrack around the call got %#lx\n", add);
        ok(probe_state(f) == TAO_PREPARED, "%s in %s: AddAudioTrack left %s\n", CALL_NAME(call),
           STATE_NAME(state), STATE_NAME(probe_state(f)));
    } else {
        ok(probe_state(f) == state, "object not in %s before %s\n", STATE_NAME(state), CALL_NAME(call));
        hr = do_call(f, call, rec);
    }
    /* Went ahead: success, or what the disc or the stream says after the table let it through. */
    ahead = SUCCEEDED(hr) || hr == E_IMAPI_REQUEST_CANCELLED ||
            (call == TAO_CALL_PREPARE_MEDIA && state == TAO_RELEASED && hr == E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK);
    if (rule->refusal)
        ok(hr == (HRESULT)rule->refusal, "%s in %s: got %#lx, table says %#lx\n", CALL_NAME(call),
           STATE_NAME(state), hr, (long)rule->refusal);
    else
        ok(ahead, "%s in %s: got %#lx, table says go ahead\n", CALL_NAME(call), STATE_NAME(state), hr);
    if (state != TAO_ADDING_TRACK && state != TAO_CANCELLING) {
        enum tao_state want =
            state_table_next(&tao_state_table, state, call, SUCCEEDED(hr) ? STATE_SUCCEEDED : STATE_REFUSED);
        enum tao_state got = probe_state(f);
        ok(got == want, "%s in %s: left %s, table says %s\n", CALL_NAME(call), STATE_NAME(state),
           STATE_NAME(got), STATE_NAME(want));
    }
    IDiscFormat2TrackAtOnce_Release(f);
    IDiscRecorder2_Release(rec);
}

static void test_state_table(void)
{
    for (int state = 0; state < TAO_STATE_COUNT; state++)
        for (int call = 0; call < TAO_CALL_COUNT; call++) {
            /* ReleaseMedia picks its row by the tracks written; in the states
             * where both rows are refusals, either reaches the object. */
            check_cell((enum tao_state)state, (enum tao_call)call);
        }
}

/* ------------------------------------------------ Microsoft's imapi2sample -audio order */

/* A WAV-like file: a 44-byte header, then PCM; the sample burns the header too. */
static BOOL write_wave_file(const WCHAR *path, int seed, uint64_t bytes)
{
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    BYTE buf[4096];
    uint64_t at = 0;
    DWORD done;
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;
    while (at < bytes) {
        DWORD n = bytes - at < sizeof(buf) ? (DWORD)(bytes - at) : sizeof(buf);
        for (DWORD i = 0; i < n; i++)
            buf[i] = pcm_byte(seed, at + i);
        WriteFile(h, buf, n, &done, NULL);
        at += n;
    }
    CloseHandle(h);
    return TRUE;
}

/* AudioWriter() in imapi2sample.cpp, in its order (read for the order only):
 * CoCreate, put_Recorder, put_ClientName, get_CurrentPhysicalMediaType,
 * IsCurrentMediaSupported (a failure ignored), PrepareMedia, Advise; per
 * file SHCreateStreamOnFile, Stat, SetSize down to whole sectors,
 * AddAudioTrack; Unadvise; ReleaseMedia and put_Recorder(NULL) only when
 * everything succeeded, then the final Releases. With fail_second, the
 * second file does not fit: the sample then skips ReleaseMedia and drops
 * the object prepared, which must leave the drive free. */
static void sample_replay(BOOL fail_second)
{
    static const uint64_t sizes[] = { 44 + 1200 * CD_SECTOR_SIZE + 1000, 44 + 800 * CD_SECTOR_SIZE + 17 };
    IDiscFormat2TrackAtOnce *f = NULL;
    IDiscRecorder2 *rec;
    IMAPI_MEDIA_PHYSICAL_TYPE type = 0;
    VARIANT_BOOL supported = VARIANT_FALSE;
    struct sink sink;
    DWORD cookie = 0;
    HRESULT hr;
    test_vr_add(L"sample", L"cdr80", NULL, TRUE);
    hr = CoCreateInstance(&CLSID_MsftDiscFormat2TrackAtOnce, NULL, CLSCTX_ALL, &IID_IDiscFormat2TrackAtOnce, (void **)&f);
    rec = test_recorder(L"sample");
    ok(hr == S_OK && f && rec, "CoCreateInstance %#lx\n", hr);
    if (!f || !rec)
        return;
    ok(IDiscFormat2TrackAtOnce_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
    ok(put_name(f, L"Imapi2Sample") == S_OK, "put_ClientName\n");
    ok(IDiscFormat2TrackAtOnce_get_CurrentPhysicalMediaType(f, &type) == S_OK && type == IMAPI_MEDIA_TYPE_CDR,
       "media type\n");
    ok(IDiscFormat2TrackAtOnce_IsCurrentMediaSupported(f, rec, &supported) == S_OK && supported, "supported\n");
    hr = IDiscFormat2TrackAtOnce_PrepareMedia(f);
    ok(hr == S_OK, "PrepareMedia %#lx\n", hr);
    sink_init(&sink);
    if (SUCCEEDED(hr))
        cookie = advise(f, &sink);
    for (size_t i = 0; SUCCEEDED(hr) && i < ARRAYSIZE(sizes); i++) {
        WCHAR path[MAX_PATH + 32];
        IStream *file = NULL;
        STATSTG stat;
        ULARGE_INTEGER cut;
        swprintf(path, ARRAYSIZE(path), L"%ls\\sample%u.wav", test_vr_folder(), (unsigned)i);
        ok(write_wave_file(path, 80 + (int)i, sizes[i]), "write %ls\n", path);
        hr = SHCreateStreamOnFileW(path, STGM_READWRITE, &file);
        ok(hr == S_OK, "SHCreateStreamOnFileW %#lx\n", hr);
        if (SUCCEEDED(hr))
            hr = IStream_Stat(file, &stat, STATFLAG_DEFAULT);
        if (SUCCEEDED(hr)) {
            CoTaskMemFree(stat.pwcsName);
            cut.QuadPart = stat.cbSize.QuadPart - stat.cbSize.QuadPart % CD_SECTOR_SIZE;
            hr = IStream_SetSize(file, cut);
        }
        if (SUCCEEDED(hr) && fail_second && i == 1) {
            /* a file bigger than the disc: the stream claims it, the track is refused */
            cut.QuadPart = (uint64_t)(FREE(f) + 1) * CD_SECTOR_SIZE;
            hr = IStream_SetSize(file, cut);
        }
        if (SUCCEEDED(hr))
            hr = IDiscFormat2TrackAtOnce_AddAudioTrack(f, file);
        ok(hr == (fail_second && i == 1 ? E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE : S_OK), "file %u: %#lx\n", (unsigned)i, hr);
        if (file)
            IStream_Release(file);
        DeleteFileW(path);
    }
    if (cookie)
        unadvise(f, cookie);
    if (SUCCEEDED(hr)) {
        ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
        ok(IDiscFormat2TrackAtOnce_put_Recorder(f, NULL) == S_OK, "put_Recorder(NULL) after ReleaseMedia [s1]\n");
        ok(sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_PREPARING] == 2 &&
               sink.per_action[IMAPI_FORMAT2_TAO_WRITE_ACTION_FINISHING] == 2,
           "the sample's handler sees PREPARING/FINISHING per track: %u %u\n", sink.per_action[1],
           sink.per_action[3]);
        ok(compare_track(L"sample", 0, 80, sizes[0] / CD_SECTOR_SIZE * CD_SECTOR_SIZE, (LONG)(sizes[0] / CD_SECTOR_SIZE)) == 0, "first file\n");
    }
    IDiscFormat2TrackAtOnce_Release(f);
    if (fail_second) { /* the object went away prepared: the drive is free again */
        BSTR other = SysAllocString(L"someone else");
        ok(IDiscRecorder2_AcquireExclusiveAccess(rec, VARIANT_FALSE, other) == S_OK,
           "another client gets the drive after the sample gave up\n");
        IDiscRecorder2_ReleaseExclusiveAccess(rec);
        SysFreeString(other);
    }
    IDiscRecorder2_Release(rec);
}

static void test_sample_replay(void)
{
    okay_context = "imapi2sample -audio";
    sample_replay(FALSE);
    okay_context = "imapi2sample -audio, a file too big";
    sample_replay(TRUE);
    okay_context = NULL;
}

/* PortBurn's order [s2]: ClientName, Recorder, Advise, PrepareMedia, BUFE,
 * tracks, ReleaseMedia, Unadvise, Recorder(NULL), ClientName(NULL); and a
 * final Release while prepared unlocks the drive. */
static void test_portburn_order_and_release(void)
{
    IDiscFormat2TrackAtOnce *f = new_format(), *other;
    IDiscRecorder2 *rec;
    struct sink sink;
    DWORD cookie;
    test_vr_add(L"portburn", L"cdr80", NULL, TRUE);
    rec = test_recorder(L"portburn");
    if (!f || !rec)
        return;
    ok(put_name(f, L"PortBurn") == S_OK, "put_ClientName first\n");
    ok(IDiscFormat2TrackAtOnce_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
    sink_init(&sink);
    cookie = advise(f, &sink);
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == S_OK, "PrepareMedia\n");
    ok(IDiscFormat2TrackAtOnce_put_BufferUnderrunFreeDisabled(f, VARIANT_FALSE) == S_OK, "BUFE\n");
    ok(add_track(f, 90, 400 * CD_SECTOR_SIZE) == S_OK, "track\n");
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
    unadvise(f, cookie);
    ok(IDiscFormat2TrackAtOnce_put_Recorder(f, NULL) == S_OK, "put_Recorder(NULL)\n");
    ok(put_name(f, NULL) == S_OK, "put_ClientName(NULL)\n");
    IDiscFormat2TrackAtOnce_Release(f);

    /* final Release while prepared (futureburn's query pass [s4]) */
    test_vr_add(L"portburn", L"cdr80", NULL, TRUE);
    f = ready_format(L"portburn");
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == S_OK, "PrepareMedia\n");
    IDiscFormat2TrackAtOnce_Release(f);
    other = ready_format(L"portburn");
    ok(IDiscFormat2TrackAtOnce_PrepareMedia(other) == S_OK, "the drive is free after a Release while prepared\n");
    ok(IDiscFormat2TrackAtOnce_ReleaseMedia(other) == S_OK, "ReleaseMedia of 0 tracks\n");
    ok(probe_state(other) == TAO_READY, "0 tracks: back to READY\n");
    IDiscFormat2TrackAtOnce_Release(other);
    IDiscRecorder2_Release(rec);
}


/* ------------------------------------------------ a recorder without TAO */

/* A drive without the CD Track at Once write type (virtual recorder
 * NoTrackAtOnce=1: no feature 002Dh, page 05 refuses write type TAO) with a
 * blank CD-R. IsRecorderSupported: S_OK with VARIANT_FALSE (the answer is
 * the value, not an error [IsRecorderSupported page]); IsCurrentMediaSupported:
 * VARIANT_FALSE, since TRUE implies a supported recorder [its page];
 * put_Recorder: E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED, the recorder stays
 * unset [put_Recorder page: "must be compatible ... call IsRecorderSupported"].
 * The same drive with the write type (the control) is taken, and the raw
 * writer still takes the drive without it. */
static void test_recorder_without_tao(void)
{
    IDiscFormat2TrackAtOnce *f = new_format();
    IDiscFormat2RawCD *raw = NULL;
    IDiscRecorder2 *rec, *got = (IDiscRecorder2 *)1;
    VARIANT_BOOL v = VARIANT_TRUE;
    HRESULT hr;
    if (!f)
        return;
    test_vr_add(L"notao", L"cdr80", NULL, TRUE);
    ok(test_vr_set_dword(L"notao", L"NoTrackAtOnce", 1), "NoTrackAtOnce set\n");
    rec = test_recorder(L"notao");
    ok(rec != NULL, "recorder notao\n");
    if (rec) {
        hr = IDiscFormat2TrackAtOnce_IsRecorderSupported(f, rec, &v);
        ok(hr == S_OK && v == VARIANT_FALSE, "IsRecorderSupported got %#lx, %d\n", hr, v);
        v = VARIANT_TRUE;
        hr = IDiscFormat2TrackAtOnce_IsCurrentMediaSupported(f, rec, &v);
        ok(hr == S_OK && v == VARIANT_FALSE, "IsCurrentMediaSupported got %#lx, %d\n", hr, v);
        hr = IDiscFormat2TrackAtOnce_put_Recorder(f, rec);
        ok(hr == E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED, "put_Recorder got %#lx\n", hr);
        ok(test_error_says(L"not supported for track-at-once"), "put_Recorder: the description says why\n");
        ok(IDiscFormat2TrackAtOnce_get_Recorder(f, &got) == S_OK && got == NULL, "the recorder stays unset\n");
        ok(IDiscFormat2TrackAtOnce_PrepareMedia(f) == E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED,
           "PrepareMedia: still no recorder\n");
        if (SUCCEEDED(CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_INPROC_SERVER,
                                       &IID_IDiscFormat2RawCD, (void **)&raw))) {
            v = VARIANT_FALSE;
            ok(IDiscFormat2RawCD_IsRecorderSupported(raw, rec, &v) == S_OK && v == VARIANT_TRUE,
               "the raw writer still takes the drive\n");
            IDiscFormat2RawCD_Release(raw);
        }
        IDiscRecorder2_Release(rec);
    }
    /* the control: the same drive with the write type */
    ok(test_vr_set_dword(L"notao", L"NoTrackAtOnce", 0), "NoTrackAtOnce cleared\n");
    if ((rec = test_recorder(L"notao"))) {
        v = VARIANT_FALSE;
        ok(IDiscFormat2TrackAtOnce_IsRecorderSupported(f, rec, &v) == S_OK && v == VARIANT_TRUE,
           "with TAO: IsRecorderSupported TRUE\n");
        v = VARIANT_FALSE;
        ok(IDiscFormat2TrackAtOnce_IsCurrentMediaSupported(f, rec, &v) == S_OK && v == VARIANT_TRUE,
           "with TAO: a blank CD-R is supported\n");
        ok(IDiscFormat2TrackAtOnce_put_Recorder(f, rec) == S_OK, "with TAO: put_Recorder\n");
        IDiscRecorder2_Release(rec);
    }
    IDiscFormat2TrackAtOnce_Release(f);
    test_vr_remove(L"notao");
}

int main(void)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_vr_remove_all();
    test_properties();
    test_burns();
    test_refused_tracks();
    test_recorder_without_tao();
    test_cancel(1);
    test_cancel(3);
    test_cancel_from_thread();
    test_do_not_finalize();
    test_cdrw_reused();
    test_sample_replay();
    test_stream_through_dispatch();
    test_portburn_order_and_release();
    test_state_table();
    test_vr_remove_all();
    CoUninitialize();
    return okay_summary("tao");
}
