/* MsftDiscFormat2Data on virtual recorders: defaults and refusals without a
 * recorder; the media values of a blank, a closed, a pressed and an empty
 * drive; images written to CD-R and CD-RW and read back byte for byte
 * through the drive (READ(10) via IDiscRecorder2Ex), to DVD+R and BD-R in
 * two sessions, and to DVD-R; the disc left
 * appendable or closed (ForceMediaToBeClosed); quick and full verification;
 * the Update actions in the documented order with their event arguments,
 * and what the object answers from inside Update; cancels from Update and
 * from another thread; not enough space, a closed disc, a write-protected
 * disc, a CD-ROM, bad streams, no client name; a caller that holds
 * exclusive access itself under the same name, and a recorder locked by
 * another; Microsoft's imapi2sample -image order (SHCreateStreamOnFile on an
 * ISO file); a stream that arrives as IDispatch; every (state, call) pair of
 * libs/mmc/data_states.c through the object; MultisessionInterfaces' one
 * MsftMultisessionSequential on blank, appendable, closed and pressed discs. Where docs/data-audit.md
 * marks a choice "ours", the check says so. */
#define COBJMACROS
#define CONST_VTABLE
#include <stdint.h>
#include <stdio.h>
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include <shlwapi.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "mmc/data_states.h"
#include "okay.h"
#include "virtual_recorders.h"
#include "test_com.h"

#define SS 2048
#define CDR80_LEADOUT 359849 /* the virtual CD-R's last possible lead-out */
#define POSTGAP 150
#define RUNOUT 2

#define STATE_BLANK_APPENDABLE (IMAPI_FORMAT2_DATA_MEDIA_STATE_BLANK | IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE)

/* ------------------------------------------------ image streams */

static uint8_t image_byte(int seed, uint64_t offset)
{
    return (uint8_t)(offset * 29 ^ (offset >> 9) ^ (uint64_t)seed * 77);
}

enum image_flavour { IMAGE_PLAIN, IMAGE_NO_STAT };

struct image {
    IStream IStream_iface;
    LONG ref;
    int seed;
    uint64_t pos, size;
    enum image_flavour flavour;
};

static struct image *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct image, IStream_iface);
}
static ULONG WINAPI image_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}
static ULONG WINAPI image_Release(IStream *iface)
{
    struct image *s = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&s->ref);
    if (!ref)
        HeapFree(GetProcessHeap(), 0, s);
    return ref;
}
static HRESULT WINAPI image_Read(IStream *iface, void *buf, ULONG len, ULONG *read)
{
    struct image *s = impl_from_IStream(iface);
    uint8_t *out = buf;
    if (len > s->size - s->pos)
        len = (ULONG)(s->size - s->pos);
    for (ULONG i = 0; i < len; i++)
        out[i] = image_byte(s->seed, s->pos + i);
    s->pos += len;
    if (read)
        *read = len;
    return len ? S_OK : S_FALSE;
}
static HRESULT WINAPI image_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *pos)
{
    struct image *s = impl_from_IStream(iface);
    LONGLONG base = origin == STREAM_SEEK_SET ? 0 : origin == STREAM_SEEK_CUR ? (LONGLONG)s->pos : (LONGLONG)s->size;
    if (base + move.QuadPart < 0)
        return STG_E_INVALIDFUNCTION;
    s->pos = (uint64_t)(base + move.QuadPart);
    if (pos)
        pos->QuadPart = s->pos;
    return S_OK;
}
static HRESULT WINAPI image_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface; (void)size;
    return STG_E_ACCESSDENIED;
}
static HRESULT WINAPI image_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct image *s = impl_from_IStream(iface);
    (void)flags;
    if (s->flavour == IMAGE_NO_STAT)
        return E_NOTIMPL;
    return test_stream_stat(stat, s->size);
}
static const IStreamVtbl image_vtbl =
    TEST_STREAM_VTBL(image_AddRef, image_Release, image_Read, image_Seek, image_SetSize, image_Stat);

static IStream *image_stream(int seed, uint64_t bytes, enum image_flavour flavour)
{
    struct image *s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    s->IStream_iface.lpVtbl = &image_vtbl;
    s->ref = 1;
    s->seed = seed;
    s->size = bytes;
    s->flavour = flavour;
    return &s->IStream_iface;
}

/* ------------------------------------------------ the event sink */

struct sink;
typedef void (*sink_action)(struct sink *sink, IDiscFormat2Data *format);

struct sink {
    struct test_sink base;    /* first */
    unsigned updates, per_action[8];
    IMAPI_FORMAT2_DATA_WRITE_ACTION order[64]; /* each action when it first came */
    unsigned distinct;
    BOOL lba_in_range;        /* WRITING: LastWrittenLba within [StartLba - 1, StartLba + SectorCount) */
    BOOL times_agree;         /* TotalTime = ElapsedTime + RemainingTime */
    LONG start_lba, sector_count;
    IMAPI_FORMAT2_DATA_MEDIA_STATE state_inside; /* CurrentMediaStatus from the first Update */
    HRESULT put_recorder_inside, write_inside, speed_inside, multisession_inside;
    sink_action action;
    unsigned act_at;          /* act at the act_at-th WRITING Update */
    unsigned writing_updates;
    BOOL acted;
    HRESULT result;
    HANDLE signal;
};

static struct sink *impl_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct sink, base.IDispatch_iface);
}

/* What the object answers from inside its own Update (audit §8, WRITING column). */
static void probe_inside(struct sink *sink, IDiscFormat2Data *format)
{
    SAFEARRAY *sa = NULL;
    IStream *s = image_stream(1, SS, IMAGE_PLAIN);
    IDiscFormat2Data_get_CurrentMediaStatus(format, &sink->state_inside);
    sink->put_recorder_inside = IDiscFormat2Data_put_Recorder(format, NULL);
    sink->write_inside = IDiscFormat2Data_Write(format, s);
    sink->speed_inside = IDiscFormat2Data_SetWriteSpeed(format, -1, VARIANT_FALSE);
    sink->multisession_inside = IDiscFormat2Data_get_MultisessionInterfaces(format, &sa);
    IStream_Release(s);
}

static HRESULT WINAPI sink_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags, DISPPARAMS *params,
                                  VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct sink *sink = impl_from_IDispatch(iface);
    IDiscFormat2Data *format = NULL;
    IDiscFormat2DataEventArgs *args = NULL;
    LONG start = 0, count = 0, written = 0, elapsed = -1, remaining = -1, total = -1;
    IMAPI_FORMAT2_DATA_WRITE_ACTION action = -1;
    (void)riid; (void)lcid; (void)result; (void)excep; (void)arg_err;
    ok(id == DISPID_DDISCFORMAT2DATAEVENTS_UPDATE && flags == DISPATCH_METHOD, "Invoke %ld flags %u\n", id, flags);
    if (params->cArgs != 2)
        return E_INVALIDARG;
    IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[1]), &IID_IDiscFormat2Data, (void **)&format);
    IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[0]), &IID_IDiscFormat2DataEventArgs, (void **)&args);
    ok(format && args, "Update object %p, progress %p\n", format, args);
    if (!format || !args)
        return E_INVALIDARG;
    if (!sink->updates++)
        probe_inside(sink, format);
    IDiscFormat2DataEventArgs_get_CurrentAction(args, &action);
    IDiscFormat2DataEventArgs_get_StartLba(args, &start);
    IDiscFormat2DataEventArgs_get_SectorCount(args, &count);
    IDiscFormat2DataEventArgs_get_LastWrittenLba(args, &written);
    IDiscFormat2DataEventArgs_get_ElapsedTime(args, &elapsed);
    IDiscFormat2DataEventArgs_get_RemainingTime(args, &remaining);
    IDiscFormat2DataEventArgs_get_TotalTime(args, &total);
    if (total != elapsed + remaining || elapsed < 0 || remaining < 0)
        sink->times_agree = FALSE;
    if (action >= 0 && action < 8) {
        if (!sink->per_action[action]++ && sink->distinct < ARRAYSIZE(sink->order))
            sink->order[sink->distinct++] = action;
    }
    if (action == IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA) {
        sink->writing_updates++;
        sink->start_lba = start;
        sink->sector_count = count;
        if (written < start - 1 || written >= start + count + POSTGAP)
            sink->lba_in_range = FALSE;
        if (sink->action && !sink->acted && sink->writing_updates >= sink->act_at)
            sink->action(sink, format);
    }
    IDiscFormat2DataEventArgs_Release(args);
    IDiscFormat2Data_Release(format);
    return S_OK;
}
static const IDispatchVtbl sink_vtbl = TEST_SINK_VTBL(sink_Invoke);

static void sink_init(struct sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    test_sink_init(&sink->base, &sink_vtbl, &IID_DDiscFormat2DataEvents, NULL);
    sink->lba_in_range = sink->times_agree = TRUE;
}

static IConnectionPoint *event_point(IDiscFormat2Data *format)
{
    IConnectionPointContainer *cpc = NULL;
    IConnectionPoint *cp = NULL;
    IDiscFormat2Data_QueryInterface(format, &IID_IConnectionPointContainer, (void **)&cpc);
    ok(cpc != NULL, "no IConnectionPointContainer\n");
    if (!cpc)
        return NULL;
    IConnectionPointContainer_FindConnectionPoint(cpc, &IID_DDiscFormat2DataEvents, &cp);
    ok(cp != NULL, "no DDiscFormat2DataEvents point\n");
    IConnectionPointContainer_Release(cpc);
    return cp;
}

static DWORD advise(IDiscFormat2Data *format, struct sink *sink)
{
    IConnectionPoint *cp = event_point(format);
    DWORD cookie = 0;
    if (cp) {
        HRESULT hr = IConnectionPoint_Advise(cp, (IUnknown *)&sink->base.IDispatch_iface, &cookie);
        ok(hr == S_OK && cookie, "Advise got %#lx\n", hr);
        IConnectionPoint_Release(cp);
    }
    return cookie;
}

static void unadvise(IDiscFormat2Data *format, DWORD cookie)
{
    IConnectionPoint *cp = event_point(format);
    if (cp) {
        ok(IConnectionPoint_Unadvise(cp, cookie) == S_OK, "Unadvise\n");
        IConnectionPoint_Release(cp);
    }
}

/* VALIDATING, INITIALIZING, CALIBRATING, WRITING, FINALIZATION, [VERIFYING],
 * COMPLETED, each once except WRITING (audit §12). */
static BOOL documented_order(const struct sink *sink, BOOL verifying)
{
    static const IMAPI_FORMAT2_DATA_WRITE_ACTION plain[] = {
        IMAPI_FORMAT2_DATA_WRITE_ACTION_VALIDATING_MEDIA, IMAPI_FORMAT2_DATA_WRITE_ACTION_INITIALIZING_HARDWARE,
        IMAPI_FORMAT2_DATA_WRITE_ACTION_CALIBRATING_POWER, IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA,
        IMAPI_FORMAT2_DATA_WRITE_ACTION_FINALIZATION, IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED,
    };
    static const IMAPI_FORMAT2_DATA_WRITE_ACTION verified[] = {
        IMAPI_FORMAT2_DATA_WRITE_ACTION_VALIDATING_MEDIA, IMAPI_FORMAT2_DATA_WRITE_ACTION_INITIALIZING_HARDWARE,
        IMAPI_FORMAT2_DATA_WRITE_ACTION_CALIBRATING_POWER, IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA,
        IMAPI_FORMAT2_DATA_WRITE_ACTION_FINALIZATION, IMAPI_FORMAT2_DATA_WRITE_ACTION_VERIFYING,
        IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED,
    };
    const IMAPI_FORMAT2_DATA_WRITE_ACTION *want = verifying ? verified : plain;
    unsigned n = verifying ? ARRAYSIZE(verified) : ARRAYSIZE(plain);
    if (sink->distinct != n)
        return FALSE;
    for (unsigned i = 0; i < n; i++)
        if (sink->order[i] != want[i] ||
            (want[i] != IMAPI_FORMAT2_DATA_WRITE_ACTION_WRITING_DATA && sink->per_action[want[i]] != 1))
            return FALSE;
    return sink->per_action[IMAPI_FORMAT2_DATA_WRITE_ACTION_FORMATTING_MEDIA] == 0;
}

/* ------------------------------------------------ helpers */

static IDiscFormat2Data *new_format(void)
{
    IDiscFormat2Data *f = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscFormat2Data, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2Data,
                                  (void **)&f);
    ok(hr == S_OK && f, "CoCreateInstance(MsftDiscFormat2Data) got %#lx\n", hr);
    return f;
}

static HRESULT put_name(IDiscFormat2Data *f, const WCHAR *name)
{
    BSTR b = name ? SysAllocString(name) : NULL;
    HRESULT hr = IDiscFormat2Data_put_ClientName(f, b);
    SysFreeString(b);
    return hr;
}

/* Recorder and client name set: the sample's order before Write. */
static IDiscFormat2Data *ready_format(const WCHAR *name)
{
    IDiscFormat2Data *f = new_format();
    IDiscRecorder2 *rec = test_open_recorder(name);
    if (f && rec) {
        ok(IDiscFormat2Data_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
        ok(put_name(f, L"imapi2 tests") == S_OK, "put_ClientName\n");
    }
    if (rec)
        IDiscRecorder2_Release(rec);
    return f;
}

static HRESULT write_image(IDiscFormat2Data *f, int seed, LONG sectors)
{
    IStream *s = image_stream(seed, (uint64_t)sectors * SS, IMAGE_PLAIN);
    HRESULT hr = IDiscFormat2Data_Write(f, s);
    IStream_Release(s);
    return hr;
}

static LONG number(IDiscFormat2Data *f, HRESULT(WINAPI *get)(IDiscFormat2Data *, LONG *), HRESULT want_hr)
{
    LONG v = 12345;
    HRESULT hr = get(f, &v);
    ok(hr == want_hr, "media value got %#lx, expected %#lx\n", hr, want_hr);
    return v;
}
#define TOTAL(f) number(f, (f)->lpVtbl->get_TotalSectorsOnMedia, S_OK)
#define FREE(f) number(f, (f)->lpVtbl->get_FreeSectorsOnMedia, S_OK)
#define NWA(f) number(f, (f)->lpVtbl->get_NextWritableAddress, S_OK)
#define PREV_START(f) number(f, (f)->lpVtbl->get_StartAddressOfPreviousSession, S_OK)
#define PREV_LAST(f) number(f, (f)->lpVtbl->get_LastWrittenAddressOfPreviousSession, S_OK)

static IMAPI_FORMAT2_DATA_MEDIA_STATE media_state(IDiscFormat2Data *f)
{
    IMAPI_FORMAT2_DATA_MEDIA_STATE state = 0xFFFF;
    HRESULT hr = IDiscFormat2Data_get_CurrentMediaStatus(f, &state);
    ok(hr == S_OK, "CurrentMediaStatus got %#lx\n", hr);
    return state;
}

/* Reads the disc back through the drive (READ(10), 16 sectors a command)
 * and compares it with the image; returns the sectors that differ. */
static unsigned compare_disc(const WCHAR *name, int seed, LONG start, LONG sectors)
{
    IDiscRecorder2 *rec = test_open_recorder(name);
    IDiscRecorder2Ex *ex = NULL;
    static BYTE buf[16 * SS];
    unsigned bad = 0;
    if (!rec)
        return 1;
    IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex);
    IDiscRecorder2_Release(rec);
    if (!ex)
        return 1;
    for (LONG at = 0; at < sectors && bad < 3; at += 16) {
        LONG n = sectors - at < 16 ? sectors - at : 16, lba = start + at;
        BYTE cdb[10] = { 0x28, 0, (BYTE)(lba >> 24), (BYTE)(lba >> 16), (BYTE)(lba >> 8), (BYTE)lba, 0, 0, (BYTE)n, 0 };
        BYTE sense[18];
        ULONG fetched = 0;
        HRESULT hr = IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, sizeof(cdb), sense, 10, buf,
                                                                   (ULONG)(n * SS), &fetched);
        if (FAILED(hr) || fetched != (ULONG)(n * SS)) {
            ok(0, "READ(10) at %ld got %#lx, %lu bytes\n", lba, hr, fetched);
            bad++;
            continue;
        }
        for (LONG i = 0; i < n; i++) {
            for (unsigned b = 0; b < SS; b++) {
                if (buf[i * SS + b] != image_byte(seed, (uint64_t)(at + i) * SS + b)) {
                    if (!bad++)
                        ok(0, "sector %ld differs at byte %u\n", at + i, b);
                    break;
                }
            }
        }
    }
    IDiscRecorder2Ex_Release(ex);
    return bad;
}

/* ------------------------------------------------ no recorder, defaults */

static void test_defaults(void)
{
    IDiscFormat2Data *f = new_format();
    IBurnVerification *bv = NULL;
    IDiscRecorder2 *rec = (IDiscRecorder2 *)0xdeadbeef;
    VARIANT_BOOL v = VARIANT_TRUE;
    IMAPI_BURN_VERIFICATION_LEVEL level = 99;
    IMAPI_FORMAT2_DATA_MEDIA_STATE state;
    IMAPI_MEDIA_PHYSICAL_TYPE type;
    SAFEARRAY *sa = NULL;
    BSTR name = NULL;
    LONG l = 0;
    HRESULT hr;
    if (!f)
        return;
    ok(IDiscFormat2Data_get_Recorder(f, &rec) == S_OK && rec == NULL, "no recorder: NULL (ours)\n");
    hr = IDiscFormat2Data_get_ClientName(f, &name);
    ok(test_bstr_is(hr, name, L""), "ClientName \"\" until set (ours)\n");
    ok(IDiscFormat2Data_get_BufferUnderrunFreeDisabled(f, &v) == S_OK && v == VARIANT_FALSE, "BUFD FALSE\n");
    v = VARIANT_TRUE;
    ok(IDiscFormat2Data_get_PostgapAlreadyInImage(f, &v) == S_OK && v == VARIANT_FALSE, "postgap FALSE\n");
    v = VARIANT_TRUE;
    ok(IDiscFormat2Data_get_ForceMediaToBeClosed(f, &v) == S_OK && v == VARIANT_FALSE, "close FALSE\n");
    v = VARIANT_TRUE;
    ok(IDiscFormat2Data_get_DisableConsumerDvdCompatibilityMode(f, &v) == S_OK && v == VARIANT_FALSE, "DVD FALSE\n");
    v = VARIANT_TRUE;
    ok(IDiscFormat2Data_get_ForceOverwrite(f, &v) == S_OK && v == VARIANT_FALSE, "overwrite FALSE\n");
    ok(IDiscFormat2Data_get_RequestedWriteSpeed(f, &l) == S_OK && l == -1, "requested speed -1\n");
    ok(IDiscFormat2Data_get_ForceMediaToBeClosed(f, NULL) == E_POINTER, "E_POINTER\n");
    /* no recorder: E_IMAPI_RECORDER_REQUIRED (audit finding 3) */
    ok(write_image(f, 1, 10) == E_IMAPI_RECORDER_REQUIRED, "Write without a recorder\n");
    ok(test_error_says(L"recorder"), "with a description\n");
    ok(IDiscFormat2Data_SetWriteSpeed(f, -1, VARIANT_FALSE) == E_IMAPI_RECORDER_REQUIRED, "SetWriteSpeed\n");
    ok(IDiscFormat2Data_get_CurrentMediaStatus(f, &state) == E_IMAPI_RECORDER_REQUIRED, "CurrentMediaStatus\n");
    ok(IDiscFormat2Data_get_CurrentPhysicalMediaType(f, &type) == E_IMAPI_RECORDER_REQUIRED, "media type\n");
    ok(IDiscFormat2Data_get_TotalSectorsOnMedia(f, &l) == E_IMAPI_RECORDER_REQUIRED, "TotalSectors (ours)\n");
    ok(IDiscFormat2Data_get_CurrentWriteSpeed(f, &l) == E_IMAPI_RECORDER_REQUIRED, "CurrentWriteSpeed\n");
    ok(IDiscFormat2Data_get_SupportedWriteSpeeds(f, &sa) == E_IMAPI_RECORDER_REQUIRED, "SupportedWriteSpeeds\n");
    ok(IDiscFormat2Data_get_MultisessionInterfaces(f, &sa) == E_IMAPI_RECORDER_REQUIRED, "MultisessionInterfaces\n");
    ok(IDiscFormat2Data_CancelWrite(f) == E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS, "CancelWrite: not writing\n");
    ok(put_name(f, NULL) == E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID, "ClientName NULL\n");
    ok(put_name(f, L"") == E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID, "ClientName empty\n");
    ok(put_name(f, L"bad/name") == E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID, "ClientName with a slash\n");
    ok(put_name(f, L"Good Name_1") == S_OK, "a valid ClientName\n");
    ok(IDiscFormat2Data_put_Recorder(f, NULL) == S_OK, "put_Recorder(NULL) without one: S_OK (sample)\n");
    ok(IDiscFormat2Data_put_ForceMediaToBeClosed(f, VARIANT_TRUE) == S_OK &&
           IDiscFormat2Data_get_ForceMediaToBeClosed(f, &v) == S_OK && v == VARIANT_TRUE,
       "options are stored without a recorder\n");
    ok(IDiscFormat2Data_SetWriteSpeed(f, -1, VARIANT_FALSE) == E_IMAPI_RECORDER_REQUIRED, "speed needs one\n");
    IDiscFormat2Data_QueryInterface(f, &IID_IBurnVerification, (void **)&bv);
    ok(bv != NULL, "IBurnVerification\n");
    if (bv) {
        ok(IBurnVerification_get_BurnVerificationLevel(bv, &level) == S_OK && level == IMAPI_BURN_VERIFICATION_NONE,
           "verification NONE by default (ours)\n");
        ok(IBurnVerification_put_BurnVerificationLevel(bv, 3) == E_INVALIDARG, "level 3\n");
        ok(IBurnVerification_put_BurnVerificationLevel(bv, IMAPI_BURN_VERIFICATION_FULL) == S_OK &&
               IBurnVerification_get_BurnVerificationLevel(bv, &level) == S_OK && level == IMAPI_BURN_VERIFICATION_FULL,
           "FULL stored\n");
        IBurnVerification_Release(bv);
    }
    ok(IDiscFormat2Data_get_SupportedMediaTypes(f, &sa) == S_OK && sa, "SupportedMediaTypes\n");
    if (sa) {
        ok(test_array_has(sa, IMAPI_MEDIA_TYPE_CDR) && test_array_has(sa, IMAPI_MEDIA_TYPE_CDRW) &&
               test_array_has(sa, IMAPI_MEDIA_TYPE_DVDPLUSR) && test_array_has(sa, IMAPI_MEDIA_TYPE_BDR) &&
               test_array_has(sa, IMAPI_MEDIA_TYPE_DVDDASHR) &&
               !test_array_has(sa, IMAPI_MEDIA_TYPE_CDROM),
           "CD-R, CD-RW, DVD+R, DVD-R, BD-R, not CD-ROM\n");
        SafeArrayDestroy(sa);
    }
    IDiscFormat2Data_Release(f);
}

/* ------------------------------------------------ media values */

static void test_media_values(void)
{
    IDiscFormat2Data *f;
    IDiscRecorder2 *rec;
    IMAPI_MEDIA_WRITE_PROTECT_STATE wp = 99;
    IMAPI_MEDIA_PHYSICAL_TYPE type = 0;
    IMAPI_FORMAT2_DATA_MEDIA_STATE state;
    VARIANT_BOOL v = VARIANT_FALSE;
    LONG l;

    test_vr_add(L"blank", L"cdr80", NULL, TRUE);
    rec = test_open_recorder(L"blank");
    if ((f = new_format()) && rec) {
        /* checking-media-support order: IsRecorderSupported, IsCurrentMediaSupported, ClientName never set */
        ok(IDiscFormat2Data_IsRecorderSupported(f, rec, &v) == S_OK && v == VARIANT_TRUE, "recorder supported\n");
        v = VARIANT_FALSE;
        ok(IDiscFormat2Data_IsCurrentMediaSupported(f, rec, &v) == S_OK && v == VARIANT_TRUE, "CD-R supported\n");
        ok(IDiscFormat2Data_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
        ok(media_state(f) == STATE_BLANK_APPENDABLE, "blank CD-R: BLANK | APPENDABLE (§11)\n");
        ok(IDiscFormat2Data_get_CurrentPhysicalMediaType(f, &type) == S_OK && type == IMAPI_MEDIA_TYPE_CDR, "CDR\n");
        ok(IDiscFormat2Data_get_WriteProtectStatus(f, &wp) == S_OK && wp == 0, "not write protected\n");
        ok(IDiscFormat2Data_get_MediaPhysicallyBlank(f, &v) == S_OK && v == VARIANT_TRUE, "physically blank\n");
        ok(IDiscFormat2Data_get_MediaHeuristicallyBlank(f, &v) == S_OK && v == VARIANT_TRUE, "heuristically blank\n");
        ok(TOTAL(f) == CDR80_LEADOUT, "total sectors\n");
        ok(FREE(f) == CDR80_LEADOUT - RUNOUT - POSTGAP, "free sectors: run-out and post-gap off\n");
        ok(IDiscFormat2Data_put_PostgapAlreadyInImage(f, VARIANT_TRUE) == S_OK && FREE(f) == CDR80_LEADOUT - RUNOUT,
           "free sectors with the post-gap in the image\n");
        ok(NWA(f) == 0, "NWA 0 on blank media [d13]\n");
        ok(PREV_START(f) == -1 && PREV_LAST(f) == -1, "no previous session: -1 [d13]\n");
        ok(IDiscFormat2Data_get_CurrentWriteSpeed(f, &l) == S_OK && l > 0, "CurrentWriteSpeed %ld\n", l);
        IDiscFormat2Data_Release(f);
    }
    if (rec)
        IDiscRecorder2_Release(rec);

    test_vr_add(L"rom", L"cdrom", NULL, TRUE);
    if ((f = ready_format(L"rom"))) {
        rec = test_open_recorder(L"rom");
        ok(rec && IDiscFormat2Data_IsCurrentMediaSupported(f, rec, &v) == S_OK && v == VARIANT_FALSE,
           "CD-ROM not supported\n");
        if (rec)
            IDiscRecorder2_Release(rec);
        state = media_state(f);
        ok(state == (IMAPI_FORMAT2_DATA_MEDIA_STATE_UNSUPPORTED_MEDIA | IMAPI_FORMAT2_DATA_MEDIA_STATE_WRITE_PROTECTED),
           "CD-ROM: %#x\n", state);
        ok(IDiscFormat2Data_get_WriteProtectStatus(f, &wp) == S_OK && wp == IMAPI_WRITEPROTECTED_READ_ONLY_MEDIA,
           "read-only media\n");
        ok(IDiscFormat2Data_get_TotalSectorsOnMedia(f, &l) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE,
           "TotalSectors on a CD-ROM: 0402 [d13]\n");
        ok(write_image(f, 1, 10) == E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED, "Write on a CD-ROM: 0406 [d5]\n");
        IDiscFormat2Data_Release(f);
    }

    test_vr_add(L"closed", L"cdr-closed", NULL, TRUE);
    if ((f = ready_format(L"closed"))) {
        ok(media_state(f) == IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED, "closed CD-R: FINALIZED\n");
        ok(TOTAL(f) == 4500 && PREV_START(f) == 0, "closed CD-R: 4500 sectors, session at 0\n");
        ok(FREE(f) == 0, "no free sectors\n");
        ok(IDiscFormat2Data_get_NextWritableAddress(f, &l) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE,
           "no NWA on a closed disc: 0402\n");
        ok(write_image(f, 1, 10) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, "Write on a closed disc: 0402 (ours)\n");
        IDiscFormat2Data_Release(f);
    }

    test_vr_add(L"empty", L"none", NULL, TRUE);
    if ((f = ready_format(L"empty"))) {
        rec = test_open_recorder(L"empty");
        v = VARIANT_TRUE;
        ok(rec && IDiscFormat2Data_IsCurrentMediaSupported(f, rec, &v) == E_IMAPI_RECORDER_MEDIA_NO_MEDIA &&
               v == VARIANT_FALSE,
           "no disc: NO_MEDIA and FALSE\n");
        if (rec)
            IDiscRecorder2_Release(rec);
        ok(IDiscFormat2Data_get_CurrentMediaStatus(f, &state) == E_IMAPI_RECORDER_MEDIA_NO_MEDIA,
           "no disc: NO_MEDIA (§11)\n");
        ok(write_image(f, 1, 10) == E_IMAPI_RECORDER_MEDIA_NO_MEDIA, "Write without a disc\n");
        IDiscFormat2Data_Release(f);
    }
}

/* ------------------------------------------------ writing */

static void burn(const WCHAR *kind, LONG sectors, BOOL close, IMAPI_BURN_VERIFICATION_LEVEL level)
{
    IDiscFormat2Data *f;
    IBurnVerification *bv = NULL;
    struct sink sink;
    DWORD cookie;
    HRESULT hr;
    LONG free_before;
    test_vr_add(L"burn", kind, NULL, TRUE);
    if (!(f = ready_format(L"burn")))
        return;
    IDiscFormat2Data_QueryInterface(f, &IID_IBurnVerification, (void **)&bv);
    if (bv) {
        IBurnVerification_put_BurnVerificationLevel(bv, level);
        IBurnVerification_Release(bv);
    }
    if (close)
        ok(IDiscFormat2Data_put_ForceMediaToBeClosed(f, VARIANT_TRUE) == S_OK, "ForceMediaToBeClosed\n");
    free_before = FREE(f);
    sink_init(&sink);
    cookie = advise(f, &sink);
    hr = write_image(f, sectors, sectors);
    ok(hr == S_OK, "%ls: Write of %ld sectors got %#lx\n", kind, sectors, hr);
    unadvise(f, cookie);
    ok(documented_order(&sink, level != IMAPI_BURN_VERIFICATION_NONE),
       "%ls: Update actions in the documented order (%u distinct, %u updates)\n", kind, sink.distinct, sink.updates);
    ok(sink.start_lba == 0 && sink.sector_count == sectors, "StartLba %ld SectorCount %ld\n", sink.start_lba,
       sink.sector_count);
    ok(sink.lba_in_range && sink.times_agree, "LastWrittenLba in range, TotalTime = Elapsed + Remaining\n");
    /* from inside Update (§8 WRITING): snapshot values, the rest refused */
    ok(sink.state_inside == STATE_BLANK_APPENDABLE, "CurrentMediaStatus from Update: the snapshot (%#x)\n",
       sink.state_inside);
    ok(sink.put_recorder_inside == E_IMAPI_DF2DATA_WRITE_IN_PROGRESS &&
           sink.write_inside == E_IMAPI_DF2DATA_WRITE_IN_PROGRESS &&
           sink.speed_inside == E_IMAPI_DF2DATA_WRITE_IN_PROGRESS &&
           sink.multisession_inside == E_IMAPI_DF2DATA_WRITE_IN_PROGRESS,
       "put_Recorder, Write, SetWriteSpeed, MultisessionInterfaces from Update: 0400\n");
    ok(compare_disc(L"burn", sectors, 0, sectors) == 0, "%ls: the image reads back byte for byte\n", kind);
    if (close) {
        ok((media_state(f) & IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED) != 0, "closed\n");
    } else {
        ok(media_state(f) == IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE, "session closed, disc appendable\n");
    }
    ok(PREV_START(f) == 0, "the session just written is the previous one\n");
    ok(free_before == CDR80_LEADOUT - RUNOUT - POSTGAP, "free before: %ld\n", free_before);
    ok(IDiscFormat2Data_CancelWrite(f) == E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS, "READY again after Write\n");
    ok(IDiscFormat2Data_put_Recorder(f, NULL) == S_OK, "put_Recorder(NULL) after Write (sample)\n");
    IDiscFormat2Data_Release(f);
}

static void test_burns(void)
{
    burn(L"cdr80", 300, FALSE, IMAPI_BURN_VERIFICATION_NONE);
    burn(L"cdr80", 2000, TRUE, IMAPI_BURN_VERIFICATION_QUICK);
    burn(L"cdrw", 777, FALSE, IMAPI_BURN_VERIFICATION_FULL);
}

/* DVD+R: Windows' defaults close the disc (compatible mode, audit finding
 * 2); with DisableConsumerDvdCompatibilityMode it stays appendable and a
 * second Write appends a session at NextWritableAddress. BD-R likewise
 * without the DVD rule. */
static void test_dvd_and_bd(void)
{
    IDiscFormat2Data *f;
    IMAPI_MEDIA_PHYSICAL_TYPE type = 0;
    struct sink sink;
    LONG nwa;
    test_vr_add(L"dvd", L"dvd+r", NULL, TRUE);
    if ((f = ready_format(L"dvd"))) {
        ok(IDiscFormat2Data_get_CurrentPhysicalMediaType(f, &type) == S_OK && type == IMAPI_MEDIA_TYPE_DVDPLUSR,
           "DVD+R\n");
        ok(media_state(f) == STATE_BLANK_APPENDABLE && TOTAL(f) == 2295104 && FREE(f) == 2295104 && NWA(f) == 0,
           "blank DVD+R: 2295104 sectors, all free\n");
        sink_init(&sink);
        advise(f, &sink);
        ok(write_image(f, 41, 5000) == S_OK, "Write on DVD+R\n");
        ok(documented_order(&sink, FALSE), "DVD+R: Update actions in order\n");
        ok(compare_disc(L"dvd", 41, 0, 5000) == 0, "reads back\n");
        ok(media_state(f) == IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED, "closed by default (compatible mode)\n");
        IDiscFormat2Data_Release(f);
    }
    test_vr_add(L"dvd", L"dvd+r", NULL, TRUE);
    if ((f = ready_format(L"dvd"))) {
        ok(IDiscFormat2Data_put_DisableConsumerDvdCompatibilityMode(f, VARIANT_TRUE) == S_OK, "compat mode off\n");
        ok(write_image(f, 42, 1000) == S_OK, "first session\n");
        ok(media_state(f) == IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE, "appendable\n");
        nwa = NWA(f);
        ok(nwa == 1008 && PREV_START(f) == 0 && PREV_LAST(f) == 999, "NWA %ld after a 1000-sector session\n", nwa);
        ok(FREE(f) == 2295104 - 1008, "free sectors after it\n");
        ok(write_image(f, 43, 300) == S_OK, "second session\n");
        ok(compare_disc(L"dvd", 42, 0, 1000) == 0 && compare_disc(L"dvd", 43, nwa, 300) == 0, "both read back\n");
        ok(PREV_START(f) == nwa && PREV_LAST(f) == nwa + 299, "the second session is now the previous one\n");
        IDiscFormat2Data_Release(f);
    }
    test_vr_add(L"dvdr", L"dvd-r", NULL, TRUE);
    if ((f = ready_format(L"dvdr"))) {
        ok(IDiscFormat2Data_get_CurrentPhysicalMediaType(f, &type) == S_OK && type == IMAPI_MEDIA_TYPE_DVDDASHR,
           "DVD-R\n");
        ok(write_image(f, 46, 700) == S_OK && media_state(f) == IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE,
           "DVD-R stays appendable by default (DisableConsumerDvdCompatibilityMode has no effect on it)\n");
        ok(compare_disc(L"dvdr", 46, 0, 700) == 0, "DVD-R reads back\n");
        IDiscFormat2Data_Release(f);
    }
    test_vr_add(L"bd", L"bd-r", NULL, TRUE);
    if ((f = ready_format(L"bd"))) {
        ok(IDiscFormat2Data_get_CurrentPhysicalMediaType(f, &type) == S_OK && type == IMAPI_MEDIA_TYPE_BDR, "BD-R\n");
        ok(write_image(f, 44, 2000) == S_OK && media_state(f) == IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE,
           "BD-R stays appendable without ForceMediaToBeClosed\n");
        ok(IDiscFormat2Data_put_ForceMediaToBeClosed(f, VARIANT_TRUE) == S_OK && write_image(f, 45, 64) == S_OK,
           "second session, closing\n");
        ok(media_state(f) == IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED, "BD-R closed\n");
        ok(compare_disc(L"bd", 45, 2016, 64) == 0, "the second session at 2016 reads back\n");
        IDiscFormat2Data_Release(f);
    }
}

/* ------------------------------------------------ MultisessionInterfaces */

/* The one element of MultisessionInterfaces as IMultisessionSequential2. */
static IMultisessionSequential2 *sequential_of(IDiscFormat2Data *f)
{
    IMultisessionSequential2 *ms = NULL;
    SAFEARRAY *sa = NULL;
    VARIANT v;
    LONG index = 0;
    HRESULT hr = IDiscFormat2Data_get_MultisessionInterfaces(f, &sa);
    ok(hr == S_OK && sa && test_array_count(sa) == 1, "MultisessionInterfaces: one element (%#lx)\n", hr);
    if (!sa)
        return NULL;
    VariantInit(&v);
    if (SUCCEEDED(SafeArrayGetElement(sa, &index, &v)) && V_VT(&v) == VT_DISPATCH)
        IDispatch_QueryInterface(V_DISPATCH(&v), &IID_IMultisessionSequential2, (void **)&ms);
    ok(ms != NULL, "a VT_DISPATCH that is an IMultisessionSequential2\n");
    VariantClear(&v);
    SafeArrayDestroy(sa);
    return ms;
}

static LONG ms_value(IMultisessionSequential2 *ms, HRESULT(WINAPI *get)(IMultisessionSequential2 *, LONG *))
{
    LONG v = 12345;
    HRESULT hr = get(ms, &v);
    ok(hr == S_OK, "multisession value got %#lx\n", hr);
    return v;
}
#define MS(ms, prop) ms_value(ms, (ms)->lpVtbl->get_##prop)

static VARIANT_BOOL ms_flag(IMultisessionSequential2 *ms,
                            HRESULT(WINAPI *get)(IMultisessionSequential2 *, VARIANT_BOOL *))
{
    VARIANT_BOOL v = 7;
    ok(get(ms, &v) == S_OK, "multisession flag\n");
    return v;
}
#define MSF(ms, prop) ms_flag(ms, (ms)->lpVtbl->get_##prop)

static void test_multisession(void)
{
    IDiscFormat2Data *f;
    IMultisessionSequential2 *ms;
    IDiscRecorder2 *imp = NULL;
    BSTR id = NULL;
    OLECHAR *name = (OLECHAR *)L"NextWritableAddress";
    DISPID dispid = 0;
    DISPPARAMS none = { NULL, NULL, 0, 0 };
    VARIANT result;
    LONG l;

    test_vr_add(L"multi", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"multi")))
        return;
    if ((ms = sequential_of(f))) {
        ok(MSF(ms, IsSupportedOnCurrentMediaState) == VARIANT_TRUE, "blank CD-R: supported\n");
        ok(MSF(ms, IsFirstDataSession) == VARIANT_TRUE, "blank: the first data session\n");
        ok(MSF(ms, InUse) == VARIANT_FALSE, "InUse FALSE until set (ours)\n");
        ok(IMultisessionSequential2_put_InUse(ms, VARIANT_TRUE) == S_OK && MSF(ms, InUse) == VARIANT_TRUE,
           "InUse set\n");
        ok(MS(ms, NextWritableAddress) == 0 && MS(ms, StartAddressOfPreviousSession) == -1 &&
               MS(ms, LastWrittenAddressOfPreviousSession) == -1,
           "blank: NWA 0, no previous session\n");
        ok(MS(ms, FreeSectorsOnMedia) == FREE(f) && MS(ms, WriteUnitSize) == 1,
           "free sectors as Data's, write unit 1 on CD\n");
        ok(IMultisessionSequential2_get_ImportRecorder(ms, &imp) == S_OK && imp &&
               IDiscRecorder2_get_ActiveDiscRecorder(imp, &id) == S_OK && id && wcsstr(id, L"multi"),
           "ImportRecorder is the Data object's drive\n");
        SysFreeString(id);
        if (imp)
            IDiscRecorder2_Release(imp);
        /* scripts reach it through the typelib */
        ok(IMultisessionSequential2_GetIDsOfNames(ms, &IID_NULL, &name, 1, 0, &dispid) == S_OK && dispid == 0x203,
           "NextWritableAddress is 0x203\n");
        VariantInit(&result);
        ok(IMultisessionSequential2_Invoke(ms, dispid, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &result, NULL,
                                           NULL) == S_OK &&
               V_VT(&result) == VT_I4 && V_I4(&result) == 0,
           "Invoke(NextWritableAddress)\n");
        IMultisessionSequential2_Release(ms);
    }
    IDiscFormat2Data_Release(f);

    test_vr_add(L"multi", L"dvd+r", NULL, TRUE);
    if ((f = ready_format(L"multi"))) {
        IDiscFormat2Data_put_DisableConsumerDvdCompatibilityMode(f, VARIANT_TRUE);
        ok(write_image(f, 51, 1000) == S_OK, "first session on DVD+R\n");
        if ((ms = sequential_of(f))) {
            ok(MSF(ms, IsSupportedOnCurrentMediaState) == VARIANT_TRUE && MSF(ms, IsFirstDataSession) == VARIANT_FALSE,
               "appendable DVD+R: supported, not the first data session\n");
            ok(MS(ms, StartAddressOfPreviousSession) == 0 && MS(ms, LastWrittenAddressOfPreviousSession) == 999 &&
                   MS(ms, NextWritableAddress) == 1008 && MS(ms, WriteUnitSize) == 16,
               "previous session 0..999, NWA 1008, write unit 16\n");
            IMultisessionSequential2_Release(ms);
        }
        IDiscFormat2Data_Release(f);
    }

    test_vr_add(L"multi", L"cdr-closed", NULL, TRUE);
    if ((f = ready_format(L"multi"))) {
        if ((ms = sequential_of(f))) {
            ok(MSF(ms, IsSupportedOnCurrentMediaState) == VARIANT_FALSE, "closed disc: not supported\n");
            ok(IMultisessionSequential2_get_NextWritableAddress(ms, &l) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE,
               "closed disc: no NWA (0402)\n");
            IMultisessionSequential2_Release(ms);
        }
        IDiscFormat2Data_Release(f);
    }

    test_vr_add(L"multi", L"cdrom", NULL, TRUE);
    if ((f = ready_format(L"multi"))) {
        if ((ms = sequential_of(f))) {
            ok(MSF(ms, IsSupportedOnCurrentMediaState) == VARIANT_FALSE, "CD-ROM: not supported, still one element\n");
            ok(IMultisessionSequential2_get_FreeSectorsOnMedia(ms, &l) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE,
               "CD-ROM: 0402 as Data's [d13]\n");
            IMultisessionSequential2_Release(ms);
        }
        IDiscFormat2Data_Release(f);
    }
}

/* ------------------------------------------------ speeds */

/* Write's success codes [d5]: a speed the drive cannot take, pure CAV
 * (CLV here), both; a speed from SupportedWriteSpeeds is taken as asked. */
static void test_write_speeds(void)
{
    static const struct {
        LONG speed;
        VARIANT_BOOL cav;
        HRESULT want;
    } cases[] = {
        { -1, VARIANT_FALSE, S_OK },
        { 1, VARIANT_FALSE, S_IMAPI_SPEEDADJUSTED },
        { -1, VARIANT_TRUE, S_IMAPI_ROTATIONADJUSTED },
        { 1, VARIANT_TRUE, S_IMAPI_BOTHADJUSTED },
    };
    IDiscFormat2Data *f;
    SAFEARRAY *sa = NULL;
    VARIANT v;
    LONG index = 0;
    HRESULT hr;
    for (unsigned i = 0; i < ARRAYSIZE(cases); i++) {
        test_vr_add(L"speed", L"cdr80", NULL, TRUE);
        if (!(f = ready_format(L"speed")))
            return;
        IDiscFormat2Data_SetWriteSpeed(f, cases[i].speed, cases[i].cav);
        hr = write_image(f, 60, 64);
        ok(hr == cases[i].want, "speed %ld CAV %d: Write got %#lx, expected %#lx\n", cases[i].speed, cases[i].cav, hr,
           cases[i].want);
        IDiscFormat2Data_Release(f);
    }
    test_vr_add(L"speed", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"speed")))
        return;
    VariantInit(&v);
    ok(IDiscFormat2Data_get_SupportedWriteSpeeds(f, &sa) == S_OK && sa && SafeArrayGetElement(sa, &index, &v) == S_OK &&
           V_VT(&v) == VT_UI4,
       "a supported speed\n");
    SafeArrayDestroy(sa);
    ok(IDiscFormat2Data_SetWriteSpeed(f, (LONG)V_UI4(&v), VARIANT_FALSE) == S_OK, "SetWriteSpeed(%lu)\n", V_UI4(&v));
    hr = write_image(f, 61, 64);
    ok(hr == S_OK, "a speed the drive lists is taken: %#lx\n", hr);
    IDiscFormat2Data_Release(f);
}

/* ------------------------------------------------ refusals */

static void test_refusals(void)
{
    IDiscFormat2Data *f;
    IStream *s;
    LONG free_sectors;
    HRESULT hr;
    test_vr_add(L"refuse", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"refuse")))
        return;
    free_sectors = FREE(f);
    ok(write_image(f, 1, free_sectors + 1) == E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA,
       "one sector more than FreeSectorsOnMedia: 0404 (ours, header)\n");
    ok(test_error_says(L"too large"), "with a description\n");
    s = image_stream(1, 4096 + 17, IMAGE_PLAIN);
    ok(IDiscFormat2Data_Write(f, s) == E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED, "not whole sectors: 0403 [d5]\n");
    IStream_Release(s);
    s = image_stream(1, 0, IMAGE_PLAIN);
    ok(IDiscFormat2Data_Write(f, s) == E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED, "empty: 0403\n");
    IStream_Release(s);
    ok(IDiscFormat2Data_Write(f, NULL) == E_POINTER, "NULL stream\n");
    ok(media_state(f) == STATE_BLANK_APPENDABLE, "nothing written by the refusals\n");
    /* Stat not implemented: the size comes from Seek(END) (ours) */
    s = image_stream(4, 64 * SS, IMAGE_NO_STAT);
    hr = IDiscFormat2Data_Write(f, s);
    ok(hr == S_OK, "a stream without Stat got %#lx\n", hr);
    IStream_Release(s);
    ok(compare_disc(L"refuse", 4, 0, 64) == 0, "and reads back\n");
    IDiscFormat2Data_Release(f);

    test_vr_add(L"noname", L"cdr80", NULL, TRUE);
    if ((f = new_format())) {
        IDiscRecorder2 *rec = test_open_recorder(L"noname");
        ok(rec && IDiscFormat2Data_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
        ok(write_image(f, 1, 10) == E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID, "no ClientName: 0408 (ours)\n");
        if (rec)
            IDiscRecorder2_Release(rec);
        IDiscFormat2Data_Release(f);
    }

    test_vr_add(L"protected", L"cdr-protected", NULL, TRUE);
    if ((f = ready_format(L"protected"))) {
        IMAPI_MEDIA_WRITE_PROTECT_STATE wp = 0;
        ok(media_state(f) == (STATE_BLANK_APPENDABLE | IMAPI_FORMAT2_DATA_MEDIA_STATE_WRITE_PROTECTED),
           "write-protected blank CD-R: BLANK | APPENDABLE | WRITE_PROTECTED\n");
        ok(IDiscFormat2Data_get_WriteProtectStatus(f, &wp) == S_OK &&
               wp == IMAPI_WRITEPROTECTED_BY_MEDIA_SPECIFIC_REASON,
           "WriteProtectStatus %#x (the drive's write protection status)\n", wp);
        hr = write_image(f, 1, 100);
        ok(hr == E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED, "write-protected disc: %#lx\n", hr);
        IDiscFormat2Data_Release(f);
    }
}

/* ------------------------------------------------ exclusive access */

/* A caller holding exclusive access under the same name (BurnMedia,
 * ModernDisk, audit finding 6): Write takes a counted reference and the
 * caller's lock survives it. Another name on another recorder object:
 * E_IMAPI_RECORDER_LOCKED, nothing written. */
static void test_exclusive_access(void)
{
    IDiscFormat2Data *f = new_format();
    IDiscRecorder2 *rec, *other;
    BSTR name = SysAllocString(L"imapi2 tests"), owner = NULL, intruder = SysAllocString(L"someone else");
    HRESULT hr;
    test_vr_add(L"excl", L"cdr80", NULL, TRUE);
    rec = test_open_recorder(L"excl");
    if (f && rec) {
        ok(IDiscRecorder2_AcquireExclusiveAccess(rec, VARIANT_TRUE, name) == S_OK, "caller takes the lock\n");
        ok(IDiscFormat2Data_put_Recorder(f, rec) == S_OK && put_name(f, L"imapi2 tests") == S_OK, "ready\n");
        ok(write_image(f, 3, 50) == S_OK, "Write under the caller's own lock\n");
        ok(IDiscRecorder2_get_ExclusiveAccessOwner(rec, &owner) == S_OK && owner && owner[0],
           "the caller still holds it (%ls)\n", owner ? owner : L"(null)");
        SysFreeString(owner);
        ok(IDiscRecorder2_ReleaseExclusiveAccess(rec) == S_OK, "released\n");
        IDiscFormat2Data_Release(f);
    }
    test_vr_add(L"excl", L"cdr80", NULL, TRUE);
    other = test_open_recorder(L"excl");
    f = ready_format(L"excl");
    if (f && other) {
        ok(IDiscRecorder2_AcquireExclusiveAccess(other, VARIANT_FALSE, intruder) == S_OK, "another client locks\n");
        hr = write_image(f, 3, 50);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "Write while another holds the drive: %#lx\n", hr);
        ok(IDiscFormat2Data_CancelWrite(f) == E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS, "READY after the refusal\n");
        IDiscRecorder2_ReleaseExclusiveAccess(other);
        ok(media_state(f) == STATE_BLANK_APPENDABLE, "nothing written\n");
        ok(write_image(f, 3, 50) == S_OK, "free again: Write goes ahead\n");
    }
    if (f)
        IDiscFormat2Data_Release(f);
    if (rec)
        IDiscRecorder2_Release(rec);
    if (other)
        IDiscRecorder2_Release(other);
    SysFreeString(name);
    SysFreeString(intruder);
}

/* ------------------------------------------------ cancel */

static void cancel_action(struct sink *sink, IDiscFormat2Data *format)
{
    sink->acted = TRUE;
    sink->result = IDiscFormat2Data_CancelWrite(format);
}

static void check_after_cancel(IDiscFormat2Data *f, const WCHAR *name)
{
    IDiscRecorder2 *rec = test_open_recorder(name);
    BSTR owner = NULL;
    ok(IDiscFormat2Data_CancelWrite(f) == E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS, "READY after the cancel\n");
    ok(media_state(f) == IMAPI_FORMAT2_DATA_MEDIA_STATE_NON_EMPTY_SESSION,
       "the written part is a closed track of an open session\n");
    ok(rec && IDiscRecorder2_get_ExclusiveAccessOwner(rec, &owner) == S_OK && (!owner || !owner[0]),
       "exclusive access given back\n");
    SysFreeString(owner);
    if (rec)
        IDiscRecorder2_Release(rec);
}

static void test_cancel_from_update(void)
{
    IDiscFormat2Data *f;
    struct sink sink;
    HRESULT hr;
    test_vr_add(L"cancel", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"cancel")))
        return;
    sink_init(&sink);
    sink.action = cancel_action;
    sink.act_at = 3;
    advise(f, &sink);
    hr = write_image(f, 5, 40000);
    ok(hr == E_IMAPI_REQUEST_CANCELLED, "cancelled from Update: %#lx\n", hr);
    ok(sink.acted && sink.result == S_OK, "CancelWrite from Update got %#lx\n", sink.result);
    ok(sink.per_action[IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED] == 0, "no COMPLETED after a cancel\n");
    check_after_cancel(f, L"cancel");
    IDiscFormat2Data_Release(f);
}

struct canceller {
    IDiscFormat2Data *f;
    HANDLE writing;
    HRESULT hr;
};

static void signal_action(struct sink *sink, IDiscFormat2Data *format)
{
    (void)format;
    sink->acted = TRUE;
    SetEvent(sink->signal);
}

static DWORD WINAPI cancel_thread(void *arg)
{
    struct canceller *c = arg;
    WaitForSingleObject(c->writing, 10000);
    c->hr = IDiscFormat2Data_CancelWrite(c->f);
    return 0;
}

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
    sink.signal = c.writing;
    advise(c.f, &sink);
    th = CreateThread(NULL, 0, cancel_thread, &c, 0, NULL);
    ok(write_image(c.f, 7, 100000) == E_IMAPI_REQUEST_CANCELLED, "cancelled from another thread\n");
    WaitForSingleObject(th, 10000);
    CloseHandle(th);
    ok(c.hr == S_OK, "CancelWrite from the other thread got %#lx\n", c.hr);
    check_after_cancel(c.f, L"thread");
    CloseHandle(c.writing);
    IDiscFormat2Data_Release(c.f);
}

/* ------------------------------------------------ every (state, call) pair */

/* One member for each call of the table (libs/mmc/data_states.c). */
static HRESULT make_call(IDiscFormat2Data *f, IDiscRecorder2 *rec, enum data_call call)
{
    IMAPI_FORMAT2_DATA_MEDIA_STATE state;
    SAFEARRAY *sa = NULL;
    IStream *s;
    LONG l;
    HRESULT hr;
    switch (call) {
    case DATA_CALL_PUT_RECORDER: return IDiscFormat2Data_put_Recorder(f, rec);
    case DATA_CALL_CLEAR_RECORDER: return IDiscFormat2Data_put_Recorder(f, NULL);
    case DATA_CALL_PUT_CLIENT_NAME: return put_name(f, L"imapi2 tests");
    case DATA_CALL_WRITE:
        s = image_stream(3, 16 * SS, IMAGE_PLAIN);
        hr = IDiscFormat2Data_Write(f, s);
        IStream_Release(s);
        return hr;
    case DATA_CALL_CANCEL_WRITE: return IDiscFormat2Data_CancelWrite(f);
    case DATA_CALL_SET_WRITE_SPEED: return IDiscFormat2Data_SetWriteSpeed(f, -1, VARIANT_FALSE);
    case DATA_CALL_PUT_OPTION: return IDiscFormat2Data_put_ForceOverwrite(f, VARIANT_FALSE);
    case DATA_CALL_GET_MEDIA_VALUE: return IDiscFormat2Data_get_CurrentMediaStatus(f, &state);
    case DATA_CALL_GET_DRIVE_VALUE: return IDiscFormat2Data_get_CurrentWriteSpeed(f, &l);
    case DATA_CALL_GET_MULTISESSION:
        hr = IDiscFormat2Data_get_MultisessionInterfaces(f, &sa);
        SafeArrayDestroy(sa);
        return hr;
    case DATA_CALL_COUNT: break;
    }
    return E_UNEXPECTED;
}

/* A cell goes ahead (its own HRESULT: the media's, E_NOTIMPL for the
 * multisession objects) or is refused with exactly the table's code. */
static void check_pair(IDiscFormat2Data *f, IDiscRecorder2 *rec, enum data_state state, enum data_call call)
{
    const struct state_rule *rule = data_state_rule(state, call);
    HRESULT hr = make_call(f, rec, call);
    if (rule->refusal)
        ok(hr == rule->refusal, "%s in %s: %#lx, expected %#lx\n", data_call_name(call), data_state_name(state), hr,
           (HRESULT)rule->refusal);
    else
        ok(hr != E_IMAPI_RECORDER_REQUIRED && hr != E_IMAPI_DF2DATA_WRITE_IN_PROGRESS &&
               hr != E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS,
           "%s in %s goes ahead: %#lx\n", data_call_name(call), data_state_name(state), hr);
}

/* Outside Write: each pair on a fresh object put in the state, on a closed
 * disc so that a Write that goes ahead writes nothing (0402). */
static void check_idle_pairs(enum data_state state)
{
    IDiscRecorder2 *rec = test_open_recorder(L"pairs");
    for (int call = 0; call < DATA_CALL_COUNT && rec; call++) {
        IDiscFormat2Data *f = new_format();
        if (!f)
            break;
        if (state == DATA_READY)
            ok(IDiscFormat2Data_put_Recorder(f, rec) == S_OK && put_name(f, L"imapi2 tests") == S_OK, "READY\n");
        check_pair(f, rec, state, (enum data_call)call);
        IDiscFormat2Data_Release(f);
    }
    if (rec)
        IDiscRecorder2_Release(rec);
}

static struct {
    IDiscRecorder2 *rec;
    unsigned checked;
} pairs;

/* Inside Update: every call in WRITING (CancelWrite last), then every call
 * in CANCELLING. */
static void pairs_action(struct sink *sink, IDiscFormat2Data *format)
{
    sink->acted = TRUE;
    for (int call = 0; call < DATA_CALL_COUNT; call++, pairs.checked++)
        if (call != DATA_CALL_CANCEL_WRITE)
            check_pair(format, pairs.rec, DATA_WRITING, (enum data_call)call);
    check_pair(format, pairs.rec, DATA_WRITING, DATA_CALL_CANCEL_WRITE);
    for (int call = 0; call < DATA_CALL_COUNT; call++, pairs.checked++)
        check_pair(format, pairs.rec, DATA_CANCELLING, (enum data_call)call);
}

static void test_state_table(void)
{
    IDiscFormat2Data *f;
    struct sink sink;
    test_vr_add(L"pairs", L"cdr-closed", NULL, TRUE);
    check_idle_pairs(DATA_NO_RECORDER);
    check_idle_pairs(DATA_READY);
    test_vr_add(L"pairs", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"pairs")))
        return;
    pairs.rec = test_open_recorder(L"pairs");
    pairs.checked = 0;
    sink_init(&sink);
    sink.action = pairs_action;
    sink.act_at = 1;
    advise(f, &sink);
    ok(write_image(f, 2, 4000) == E_IMAPI_REQUEST_CANCELLED, "the write the pairs ran in was cancelled\n");
    ok(sink.acted && pairs.checked == 2 * DATA_CALL_COUNT, "%u pairs checked inside Write\n", pairs.checked);
    ok(IDiscFormat2Data_CancelWrite(f) == E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS, "READY afterwards\n");
    if (pairs.rec)
        IDiscRecorder2_Release(pairs.rec);
    IDiscFormat2Data_Release(f);
}

/* ------------------------------------------------ replays */

/* imapi2sample.cpp ImageWriter (-image): CoCreate, put_Recorder, the caller
 * drops its recorder, put_ClientName, get_SupportedMediaTypes, an ISO file
 * through SHCreateStreamOnFile (size checked by the app), Advise, Write,
 * Unadvise, put_Recorder(NULL) (audit §13). */
static void test_sample_image_writer(void)
{
    IDiscFormat2Data *f = new_format();
    IDiscRecorder2 *rec;
    IStream *iso = NULL;
    SAFEARRAY *types = NULL;
    STATSTG stat;
    struct sink sink;
    WCHAR path[MAX_PATH];
    DWORD cookie, written;
    HANDLE file;
    static BYTE sector[SS];
    if (!f)
        return;
    swprintf(path, ARRAYSIZE(path), L"%ls\\sample.iso", test_vr_folder());
    file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    ok(file != INVALID_HANDLE_VALUE, "ISO file\n");
    for (int i = 0; i < 200; i++) {
        for (unsigned b = 0; b < SS; b++)
            sector[b] = image_byte(9, (uint64_t)i * SS + b);
        WriteFile(file, sector, SS, &written, NULL);
    }
    CloseHandle(file);
    test_vr_add(L"sample", L"cdr80", NULL, TRUE);
    rec = test_open_recorder(L"sample");
    ok(rec && IDiscFormat2Data_put_Recorder(f, rec) == S_OK, "put_Recorder\n");
    if (rec)
        IDiscRecorder2_Release(rec);
    ok(put_name(f, L"IMAPIv2 Sample") == S_OK, "put_ClientName\n");
    ok(IDiscFormat2Data_get_SupportedMediaTypes(f, &types) == S_OK, "SupportedMediaTypes\n");
    SafeArrayDestroy(types);
    ok(SHCreateStreamOnFileW(path, STGM_READ | STGM_SHARE_DENY_WRITE, &iso) == S_OK && iso, "SHCreateStreamOnFile\n");
    if (iso) {
        ok(IStream_Stat(iso, &stat, STATFLAG_NONAME) == S_OK && stat.cbSize.QuadPart % SS == 0, "whole sectors\n");
        sink_init(&sink);
        cookie = advise(f, &sink);
        ok(IDiscFormat2Data_Write(f, iso) == S_OK, "Write\n");
        unadvise(f, cookie);
        ok(sink.per_action[IMAPI_FORMAT2_DATA_WRITE_ACTION_COMPLETED] == 1, "COMPLETED once\n");
        IStream_Release(iso);
    }
    ok(IDiscFormat2Data_put_Recorder(f, NULL) == S_OK, "put_Recorder(NULL)\n");
    ok(compare_disc(L"sample", 9, 0, 200) == 0, "the ISO reads back\n");
    IDiscFormat2Data_Release(f);
    DeleteFileW(path);
}

/* A script hands Write the IDispatch it holds (an ADODB.Stream or an FSI
 * ImageStream): through IDispatch::Invoke with VT_DISPATCH, Write asks it
 * for IStream (audit §13). Here the stream object answers IDispatch too. */
struct dispatch_stream {
    IDispatch IDispatch_iface;
    LONG ref;
    IStream *inner;
};

static struct dispatch_stream *ds_impl(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct dispatch_stream, IDispatch_iface);
}
static HRESULT WINAPI ds_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    struct dispatch_stream *d = ds_impl(iface);
    if (IsEqualGUID(riid, &IID_IStream))
        return IStream_QueryInterface(d->inner, riid, out);
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch)) {
        *out = iface;
        InterlockedIncrement(&d->ref);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}
static ULONG WINAPI ds_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&ds_impl(iface)->ref);
}
static ULONG WINAPI ds_Release(IDispatch *iface)
{
    return InterlockedDecrement(&ds_impl(iface)->ref);
}
static HRESULT WINAPI ds_GetTypeInfoCount(IDispatch *iface, UINT *n)
{
    (void)iface;
    *n = 0;
    return S_OK;
}
static HRESULT WINAPI ds_GetTypeInfo(IDispatch *iface, UINT i, LCID l, ITypeInfo **t)
{
    (void)iface; (void)i; (void)l;
    *t = NULL;
    return E_NOTIMPL;
}
static HRESULT WINAPI ds_GetIDsOfNames(IDispatch *iface, REFIID r, LPOLESTR *n, UINT c, LCID l, DISPID *d)
{
    (void)iface; (void)r; (void)n; (void)c; (void)l; (void)d;
    return DISP_E_UNKNOWNNAME;
}
static HRESULT WINAPI ds_Invoke(IDispatch *iface, DISPID id, REFIID r, LCID l, WORD f, DISPPARAMS *p, VARIANT *v,
                                EXCEPINFO *e, UINT *a)
{
    (void)iface; (void)id; (void)r; (void)l; (void)f; (void)p; (void)v; (void)e; (void)a;
    return DISP_E_MEMBERNOTFOUND;
}
static const IDispatchVtbl ds_vtbl = { ds_QueryInterface, ds_AddRef, ds_Release, ds_GetTypeInfoCount,
                                       ds_GetTypeInfo, ds_GetIDsOfNames, ds_Invoke };

static void test_stream_through_dispatch(void)
{
    IDiscFormat2Data *f;
    struct dispatch_stream ds = { { &ds_vtbl }, 1, NULL };
    OLECHAR *name = (OLECHAR *)L"Write";
    DISPID id = 0;
    VARIANT arg;
    DISPPARAMS params = { &arg, NULL, 1, 0 };
    HRESULT hr;
    test_vr_add(L"script", L"cdr80", NULL, TRUE);
    if (!(f = ready_format(L"script")))
        return;
    ds.inner = image_stream(11, 40 * SS, IMAGE_PLAIN);
    ok(IDiscFormat2Data_GetIDsOfNames(f, &IID_NULL, &name, 1, 0, &id) == S_OK && id == 0x200, "Write is 0x200\n");
    V_VT(&arg) = VT_DISPATCH;
    V_DISPATCH(&arg) = &ds.IDispatch_iface;
    hr = IDiscFormat2Data_Invoke(f, id, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
    ok(hr == S_OK, "Write through Invoke with an IDispatch stream got %#lx\n", hr);
    ok(compare_disc(L"script", 11, 0, 40) == 0, "written\n");
    IStream_Release(ds.inner);
    IDiscFormat2Data_Release(f);
}

int main(void)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_vr_remove_all();
    test_defaults();
    test_media_values();
    test_burns();
    test_dvd_and_bd();
    test_multisession();
    test_write_speeds();
    test_refusals();
    test_exclusive_access();
    test_cancel_from_update();
    test_cancel_from_thread();
    test_sample_image_writer();
    test_stream_through_dispatch();
    test_state_table();
    test_vr_remove_all();
    CoUninitialize();
    return okay_summary("data");
}
