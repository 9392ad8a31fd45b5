/* MsftDiscFormat2RawCD: raw Disc-At-Once writing of a DAO-96 image, with
 * DDiscFormat2RawCDEvents progress and CancelWrite. The state machine is the
 * table in libs/mmc/rawcd_states.c; the write itself is libs/mmc/rawwrite.c. */
#include "imapi2_private.h"
#include "media_type.h"
#include "rawcd_progress.h"
#include "recorder.h"
#include "writespeed.h"
#include "exclusive.h"
#include "mmc/rawcd_states.h"
#include "mmc/rawwrite.h"

/* SET CD SPEED counts 176.4 kB/s for 1x, IMAPI2 75 sectors/s. */
#define KBS_FROM_SECTORS(sps) ((uint32_t)(((uint64_t)(sps) * 1764u + 749u) / 750u))
#define SECTORS_FROM_KBS(kbs) ((LONG)(((uint64_t)(kbs) * 750u + 882u) / 1764u))
#define FASTEST (-1)

struct rawcd {
    IDiscFormat2RawCD IDiscFormat2RawCD_iface;
    struct event_source source; /* DDiscFormat2RawCDEvents */
    LONG ref;
    volatile LONG state;        /* enum rawcd_state; CancelWrite may change it from another thread */
    IDiscRecorder2 *recorder;   /* ours (recorder_own) */
    BSTR client_name;
    IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE sector_type;
    VARIANT_BOOL bufe_disabled;
    LONG requested_speed;       /* sectors per second, FASTEST = -1 */
    VARIANT_BOOL requested_cav;
    BOOL holds_lock;            /* AcquireExclusiveAccess succeeded */
    struct mmc_raw_writer writer;
};

static inline struct rawcd *impl_from_IDiscFormat2RawCD(IDiscFormat2RawCD *iface)
{
    return CONTAINING_RECORD(iface, struct rawcd, IDiscFormat2RawCD_iface);
}

static enum rawcd_state current_state(struct rawcd *f)
{
    return (enum rawcd_state)InterlockedCompareExchange(&f->state, 0, 0);
}

static void set_state(struct rawcd *f, enum rawcd_state state)
{
    InterlockedExchange(&f->state, state);
}

static HRESULT rawcd_fail(HRESULT hr)
{
    return imapi2_set_error(hr, &IID_IDiscFormat2RawCD);
}

/* The state table's answer for a call, with IErrorInfo on refusal. */
static HRESULT check_call(struct rawcd *f, enum rawcd_call call)
{
    return rawcd_fail((HRESULT)rawcd_state_check(current_state(f), call));
}

static const struct mmc_clock wall_clock = { wall_clock_now_us, wall_clock_sleep_us, NULL };

/* ---- IUnknown ---- */

static HRESULT WINAPI rawcd_QueryInterface(IDiscFormat2RawCD *iface, REFIID riid, void **out)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IDiscFormat2) || IsEqualGUID(riid, &IID_IDiscFormat2RawCD)) {
        *out = iface;
        IDiscFormat2RawCD_AddRef(iface);
        return S_OK;
    }
    if (event_source_query(&f->source, riid, out))
        return S_OK;
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI rawcd_AddRef(IDiscFormat2RawCD *iface)
{
    return InterlockedIncrement(&impl_from_IDiscFormat2RawCD(iface)->ref);
}

static void release_media(struct rawcd *f);

static ULONG WINAPI rawcd_Release(IDiscFormat2RawCD *iface)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    ULONG ref = InterlockedDecrement(&f->ref);
    if (!ref) {
        /* A client that never called ReleaseMedia must not leave the drive locked. */
        release_media(f);
        if (f->recorder)
            IDiscRecorder2_Release(f->recorder);
        SysFreeString(f->client_name);
        event_source_destroy(&f->source);
        HeapFree(GetProcessHeap(), 0, f);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(rawcd, IDiscFormat2RawCD)

/* ---- recorder questions (IDiscFormat2) ---- */

struct support_query {
    bool raw_capable;
    bool media_ok;
};

static HRESULT support_job(struct mmc_device *dev, void *ctx)
{
    struct support_query *q = ctx;
    struct mmc_configuration *config = HeapAlloc(GetProcessHeap(), 0, sizeof(*config));
    HRESULT hr;
    if (!config)
        return E_OUTOFMEMORY;
    hr = mmc_query_configuration(dev, MMC_RT_ALL, 0, config);
    if (SUCCEEDED(hr)) {
        q->raw_capable = config->mastering.present && config->mastering.raw;
        /* The kind of disc, not its state: a written CD-R is a supported
         * medium that PrepareMedia then refuses as not blank. */
        q->media_ok = q->raw_capable &&
                      (config->current_profile == MMC_PROFILE_CD_R || config->current_profile == MMC_PROFILE_CD_RW);
    }
    HeapFree(GetProcessHeap(), 0, config);
    return hr;
}

/* A question, not a failure: an unsuitable recorder is VARIANT_FALSE. */
static HRESULT ask_support(IDiscRecorder2 *recorder, BOOL media, VARIANT_BOOL *value)
{
    struct support_query q = { false, false };
    IDiscRecorder2 *ours;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    if (!recorder)
        return E_POINTER;
    if (FAILED(hr = recorder_own(recorder, &ours)))
        return rawcd_fail(hr);
    hr = recorder_run(ours, support_job, &q);
    IDiscRecorder2_Release(ours);
    if (FAILED(hr) && hr != E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
        return rawcd_fail(hr);
    *value = (media ? q.media_ok : q.raw_capable) ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI rawcd_IsRecorderSupported(IDiscFormat2RawCD *iface, IDiscRecorder2 *recorder,
                                                VARIANT_BOOL *value)
{
    (void)iface;
    TRACE("%p\n", recorder);
    return ask_support(recorder, FALSE, value);
}

static HRESULT WINAPI rawcd_IsCurrentMediaSupported(IDiscFormat2RawCD *iface, IDiscRecorder2 *recorder,
                                                    VARIANT_BOOL *value)
{
    (void)iface;
    TRACE("%p\n", recorder);
    return ask_support(recorder, TRUE, value);
}

static HRESULT disc_info_job(struct mmc_device *dev, void *ctx)
{
    return mmc_query_disc_info(dev, ctx);
}

/* Runs a job on the recorder of a format whose state allows media questions. */
static HRESULT media_query(struct rawcd *f, recorder_job job, void *ctx)
{
    HRESULT hr = check_call(f, RAWCD_CALL_GET_MEDIA_PROPERTY);
    if (FAILED(hr))
        return hr;
    return rawcd_fail(recorder_run(f->recorder, job, ctx));
}

static HRESULT WINAPI rawcd_get_MediaPhysicallyBlank(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    struct mmc_disc_info info;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (FAILED(hr = media_query(f, disc_info_job, &info)))
        return hr;
    *value = info.disc_status == MMC_DISC_EMPTY ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

/* On CD the drive's own blank report is the best guess there is. */
static HRESULT WINAPI rawcd_get_MediaHeuristicallyBlank(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    return rawcd_get_MediaPhysicallyBlank(iface, value);
}

static HRESULT WINAPI rawcd_get_SupportedMediaTypes(IDiscFormat2RawCD *iface, SAFEARRAY **value)
{
    static const LONG types[] = { IMAPI_MEDIA_TYPE_CDR, IMAPI_MEDIA_TYPE_CDRW };
    (void)iface;
    return safearray_of_i4(types, ARRAYSIZE(types), value);
}

/* ---- PrepareMedia / WriteMedia / CancelWrite / ReleaseMedia ---- */

static HRESULT tray_job(struct mmc_device *dev, void *ctx)
{
    struct scsi_request r;
    mmc_build_prevent_allow(&r, *(const bool *)ctx);
    return mmc_run(dev, &r);
}

static HRESULT prepare_job(struct mmc_device *dev, void *ctx)
{
    struct rawcd *f = ctx;
    struct mmc_raw_options o;
    bool prevent = true;
    HRESULT hr = tray_job(dev, &prevent);
    if (FAILED(hr))
        return hr;
    mmc_raw_writer_init(&f->writer, dev->transport, &wall_clock);
    mmc_raw_options_default(&o);
    o.layout = f->sector_type;
    o.bufe = f->bufe_disabled == VARIANT_FALSE;
    o.write_speed_kbs = f->requested_speed == FASTEST ? MMC_SPEED_MAX
                        : (uint16_t)min(KBS_FROM_SECTORS(f->requested_speed), MMC_SPEED_MAX - 1);
    hr = mmc_raw_prepare(&f->writer, &o);
    if (FAILED(hr)) {
        prevent = false;
        tray_job(dev, &prevent);
    }
    return hr;
}

static HRESULT WINAPI rawcd_PrepareMedia(IDiscFormat2RawCD *iface)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    HRESULT hr;
    TRACE("\n");
    if (FAILED(hr = check_call(f, RAWCD_CALL_PREPARE_MEDIA)))
        return hr;
    if (!exclusive_client_name_valid(f->client_name))
        return rawcd_fail(E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID);
    if (FAILED(hr = IDiscRecorder2_AcquireExclusiveAccess(f->recorder, VARIANT_FALSE, f->client_name)))
        return rawcd_fail(hr);
    hr = recorder_run(f->recorder, prepare_job, f);
    if (FAILED(hr)) {
        IDiscRecorder2_ReleaseExclusiveAccess(f->recorder);
        return rawcd_fail(hr);
    }
    f->holds_lock = TRUE;
    set_state(f, RAWCD_PREPARED);
    return S_OK;
}

/* The caller's IStream as the engine's stream: read and absolute seek. */
static int32_t stream_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    ULONG read = 0;
    HRESULT hr = IStream_Read((IStream *)ctx, buf, len, &read);
    *got = read;
    /* S_FALSE is a short read at the end, not an error. */
    return FAILED(hr) ? hr : S_OK;
}

static int32_t stream_seek(void *ctx, uint64_t offset)
{
    LARGE_INTEGER to;
    to.QuadPart = (LONGLONG)offset;
    return IStream_Seek((IStream *)ctx, to, STREAM_SEEK_SET, NULL);
}

struct write_job {
    struct rawcd *f;
    struct mmc_raw_stream stream;
    HRESULT hr;
};

static void fire_update(struct rawcd *f, const struct mmc_raw_progress *p)
{
    struct rawcd_progress_values v;
    IDispatch *progress;
    VARIANT args[2];
    DISPPARAMS params = { args, NULL, 2, 0 };
    /* The enum has no FINISHED: the engine's last report is still FINISHING. */
    v.action = p->action >= MMC_RAW_ACTION_FINISHING ? IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING
                                                     : (IMAPI_FORMAT2_RAW_CD_WRITE_ACTION)p->action;
    v.start_lba = p->start_lba;
    v.sector_count = (LONG)p->sector_count;
    v.last_read_lba = p->last_read_lba;
    v.last_written_lba = p->last_written_lba;
    v.total_system_buffer = (LONG)p->total_system_buffer;
    v.used_system_buffer = (LONG)p->used_system_buffer;
    v.free_system_buffer = (LONG)p->free_system_buffer;
    v.elapsed_s = (LONG)p->elapsed_s;
    v.remaining_s = (LONG)p->remaining_s;
    if (FAILED(rawcd_progress_create(&v, &progress)))
        return;
    /* DISPPARAMS run backwards: rgvarg[0] is the last argument. */
    V_VT(&args[1]) = VT_DISPATCH;
    V_DISPATCH(&args[1]) = (IDispatch *)&f->IDiscFormat2RawCD_iface;
    V_VT(&args[0]) = VT_DISPATCH;
    V_DISPATCH(&args[0]) = progress;
    connection_point_fire(&f->source.point, DISPID_DDISCFORMAT2RAWCDEVENTS_UPDATE, &params);
    IDispatch_Release(progress);
}

/* Called by the engine on the caller's thread; true stops the write. */
static bool on_progress(void *ctx, const struct mmc_raw_progress *p)
{
    struct rawcd *f = ctx;
    fire_update(f, p);
    return current_state(f) == RAWCD_CANCELLING;
}

static HRESULT write_job(struct mmc_device *dev, void *ctx)
{
    struct write_job *job = ctx;
    (void)dev;
    return mmc_raw_write(&job->f->writer, &job->stream, on_progress, job->f);
}

static HRESULT write_media(struct rawcd *f, IStream *data, LONG leadin_sectors)
{
    struct write_job job = { f, { stream_read, stream_seek, data, 0 }, S_OK };
    STATSTG stat;
    HRESULT hr;
    if (FAILED(hr = check_call(f, RAWCD_CALL_WRITE_MEDIA)))
        return hr;
    if (!data)
        return E_POINTER;
    if (leadin_sectors < 0)
        return rawcd_fail(E_INVALIDARG);
    if (FAILED(IStream_Stat(data, &stat, STATFLAG_NONAME)))
        return rawcd_fail(E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED);
    job.stream.size = stat.cbSize.QuadPart;
    f->writer.opt.stream_leadin_sectors = leadin_sectors;
    /* Every check before the first WRITE: a refused stream leaves the disc blank. */
    if (FAILED(hr = mmc_raw_check_stream(&f->writer, job.stream.size)))
        return rawcd_fail(hr);
    /* A sink may drop the caller's last reference from inside Update. */
    IDiscFormat2RawCD_AddRef(&f->IDiscFormat2RawCD_iface);
    set_state(f, RAWCD_WRITING);
    hr = recorder_run(f->recorder, write_job, &job);
    set_state(f, RAWCD_DONE);
    IDiscFormat2RawCD_Release(&f->IDiscFormat2RawCD_iface);
    return rawcd_fail(hr);
}

static HRESULT WINAPI rawcd_WriteMedia(IDiscFormat2RawCD *iface, IStream *data)
{
    TRACE("%p\n", data);
    return write_media(impl_from_IDiscFormat2RawCD(iface), data, MMC_RAW_DEFAULT_LEADIN_SECTORS);
}

static HRESULT WINAPI rawcd_WriteMedia2(IDiscFormat2RawCD *iface, IStream *data, LONG leadin_sectors)
{
    TRACE("%p %ld\n", data, (long)leadin_sectors);
    return write_media(impl_from_IDiscFormat2RawCD(iface), data, leadin_sectors);
}

/* Safe from any thread: moves WRITING to CANCELLING once, and makes the
 * engine stop before its next WRITE and any wait in the transport end. */
static HRESULT WINAPI rawcd_CancelWrite(IDiscFormat2RawCD *iface)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    LONG was = InterlockedCompareExchange(&f->state, RAWCD_CANCELLING, RAWCD_WRITING);
    TRACE("state %s\n", rawcd_state_name((enum rawcd_state)was));
    if (was != RAWCD_WRITING && was != RAWCD_CANCELLING)
        return rawcd_fail((HRESULT)rawcd_state_check((enum rawcd_state)was, RAWCD_CALL_CANCEL_WRITE));
    mmc_raw_cancel(&f->writer);
    return S_OK;
}

static void release_media(struct rawcd *f)
{
    bool prevent = false;
    if (!f->holds_lock)
        return;
    recorder_run(f->recorder, tray_job, &prevent);
    IDiscRecorder2_ReleaseExclusiveAccess(f->recorder);
    f->holds_lock = FALSE;
}

static HRESULT WINAPI rawcd_ReleaseMedia(IDiscFormat2RawCD *iface)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    HRESULT hr;
    TRACE("\n");
    if (FAILED(hr = check_call(f, RAWCD_CALL_RELEASE_MEDIA)))
        return hr;
    release_media(f);
    set_state(f, RAWCD_READY);
    return S_OK;
}

static HRESULT WINAPI rawcd_SetWriteSpeed(IDiscFormat2RawCD *iface, LONG sectors_per_second, VARIANT_BOOL pure_cav)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    HRESULT hr;
    TRACE("%ld %d\n", (long)sectors_per_second, pure_cav);
    if (FAILED(hr = check_call(f, RAWCD_CALL_PUT_PROPERTY)))
        return hr;
    if (sectors_per_second < FASTEST)
        return rawcd_fail(E_INVALIDARG);
    f->requested_speed = sectors_per_second;
    f->requested_cav = pure_cav ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

/* ---- properties ---- */

static HRESULT WINAPI rawcd_put_Recorder(IDiscFormat2RawCD *iface, IDiscRecorder2 *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    IDiscRecorder2 *ours;
    HRESULT hr;
    TRACE("%p\n", value);
    if (FAILED(hr = check_call(f, RAWCD_CALL_PUT_RECORDER)))
        return hr;
    if (!value)
        return rawcd_fail(E_POINTER);
    if (FAILED(hr = recorder_own(value, &ours)))
        return rawcd_fail(hr);
    if (f->recorder)
        IDiscRecorder2_Release(f->recorder);
    f->recorder = ours;
    set_state(f, RAWCD_READY);
    return S_OK;
}

static HRESULT WINAPI rawcd_get_Recorder(IDiscFormat2RawCD *iface, IDiscRecorder2 **value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    if (!value)
        return E_POINTER;
    *value = f->recorder;
    if (!f->recorder)
        return rawcd_fail(E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED);
    IDiscRecorder2_AddRef(f->recorder);
    return S_OK;
}

static HRESULT WINAPI rawcd_put_BufferUnderrunFreeDisabled(IDiscFormat2RawCD *iface, VARIANT_BOOL value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    HRESULT hr;
    if (FAILED(hr = check_call(f, RAWCD_CALL_PUT_PROPERTY)))
        return hr;
    f->bufe_disabled = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_BufferUnderrunFreeDisabled(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2RawCD(iface)->bufe_disabled;
    return S_OK;
}

static HRESULT atip_job(struct mmc_device *dev, void *ctx)
{
    return mmc_query_atip(dev, ctx);
}

/* Lead-in start and last lead-out from the ATIP: what PrepareMedia read, or
 * asked now. */
static HRESULT media_limits(struct rawcd *f, LONG *leadin, LONG *leadout)
{
    struct mmc_atip atip;
    HRESULT hr;
    enum rawcd_state state = current_state(f);
    if (state != RAWCD_READY && state != RAWCD_NO_RECORDER) {
        *leadin = f->writer.media.leadin_start;
        *leadout = f->writer.media.last_possible_leadout;
        return S_OK;
    }
    if (FAILED(hr = media_query(f, atip_job, &atip)))
        return hr;
    *leadin = atip.leadin_start;
    *leadout = atip.last_possible_leadout;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_StartOfNextSession(IDiscFormat2RawCD *iface, LONG *value)
{
    LONG leadout;
    if (!value)
        return E_POINTER;
    return media_limits(impl_from_IDiscFormat2RawCD(iface), value, &leadout);
}

static HRESULT WINAPI rawcd_get_LastPossibleStartOfLeadout(IDiscFormat2RawCD *iface, LONG *value)
{
    LONG leadin;
    if (!value)
        return E_POINTER;
    return media_limits(impl_from_IDiscFormat2RawCD(iface), &leadin, value);
}

static HRESULT media_type_job(struct mmc_device *dev, void *ctx)
{
    return media_physical_type(dev, ctx);
}

static HRESULT WINAPI rawcd_get_CurrentPhysicalMediaType(IDiscFormat2RawCD *iface, IMAPI_MEDIA_PHYSICAL_TYPE *value)
{
    if (!value)
        return E_POINTER;
    return media_query(impl_from_IDiscFormat2RawCD(iface), media_type_job, value);
}

static HRESULT layouts_job(struct mmc_device *dev, void *ctx)
{
    return mmc_raw_supported_layouts(dev, ctx);
}

static HRESULT WINAPI rawcd_get_SupportedSectorTypes(IDiscFormat2RawCD *iface, SAFEARRAY **value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    bool supported[4] = { false };
    LONG types[3];
    unsigned count = 0;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    *value = NULL;
    /* Trying page 05 block types would disturb a prepared write. */
    if (current_state(f) >= RAWCD_PREPARED) {
        types[count++] = f->sector_type;
        return safearray_of_i4(types, count, value);
    }
    if (FAILED(hr = media_query(f, layouts_job, supported)))
        return hr;
    for (int layout = IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY; layout <= IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW; layout++)
        if (supported[layout])
            types[count++] = layout;
    return safearray_of_i4(types, count, value);
}

static HRESULT WINAPI rawcd_put_RequestedSectorType(IDiscFormat2RawCD *iface, IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    HRESULT hr;
    if (FAILED(hr = check_call(f, RAWCD_CALL_PUT_PROPERTY)))
        return hr;
    if (value < IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY || value > IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW)
        return rawcd_fail(E_INVALIDARG);
    f->sector_type = value;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_RequestedSectorType(IDiscFormat2RawCD *iface,
                                                     IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2RawCD(iface)->sector_type;
    return S_OK;
}

static HRESULT WINAPI rawcd_put_ClientName(IDiscFormat2RawCD *iface, BSTR value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    BSTR copy;
    HRESULT hr;
    TRACE("%s\n", debugstr_w(value));
    if (FAILED(hr = check_call(f, RAWCD_CALL_PUT_PROPERTY)))
        return hr;
    if (!exclusive_client_name_valid(value))
        return rawcd_fail(E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID);
    if (!(copy = SysAllocString(value)))
        return E_OUTOFMEMORY;
    SysFreeString(f->client_name);
    f->client_name = copy;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_ClientName(IDiscFormat2RawCD *iface, BSTR *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    if (!value)
        return E_POINTER;
    *value = SysAllocString(f->client_name ? f->client_name : L"");
    return *value ? S_OK : E_OUTOFMEMORY;
}

static HRESULT WINAPI rawcd_get_RequestedWriteSpeed(IDiscFormat2RawCD *iface, LONG *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2RawCD(iface)->requested_speed;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_RequestedRotationTypeIsPureCAV(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2RawCD(iface)->requested_cav;
    return S_OK;
}

static HRESULT capabilities_job(struct mmc_device *dev, void *ctx)
{
    return mmc_query_capabilities(dev, ctx);
}

static HRESULT WINAPI rawcd_get_CurrentWriteSpeed(IDiscFormat2RawCD *iface, LONG *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    struct mmc_capabilities caps;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (f->writer.prepared && f->writer.media.write_speed_kbs) {
        *value = SECTORS_FROM_KBS(f->writer.media.write_speed_kbs);
        return S_OK;
    }
    if (FAILED(hr = media_query(f, capabilities_job, &caps)))
        return hr;
    *value = SECTORS_FROM_KBS(caps.has_selected_speed ? caps.selected_write_kbs : caps.current_write_kbs);
    return S_OK;
}

/* CLV recording: the drives this serves record CDs at constant linear velocity. */
static HRESULT WINAPI rawcd_get_CurrentRotationTypeIsPureCAV(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    (void)iface;
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    return S_OK;
}

struct speed_list {
    struct mmc_write_speeds speeds;
    IMAPI_MEDIA_PHYSICAL_TYPE media_type;
};

static HRESULT speeds_job(struct mmc_device *dev, void *ctx)
{
    struct speed_list *list = ctx;
    HRESULT hr = mmc_query_write_speeds(dev, &list->speeds);
    if (SUCCEEDED(hr))
        hr = media_physical_type(dev, &list->media_type);
    return hr;
}

static HRESULT speed_list(struct rawcd *f, struct speed_list *list)
{
    memset(list, 0, sizeof(*list));
    return media_query(f, speeds_job, list);
}

/* One VARIANT per write speed the drive offers: the speed itself or a descriptor. */
typedef HRESULT (*speed_element)(const struct speed_list *list, size_t index, VARIANT *out);

static HRESULT speed_value(const struct speed_list *list, size_t index, VARIANT *out)
{
    V_VT(out) = VT_UI4;
    V_UI4(out) = (ULONG)SECTORS_FROM_KBS(list->speeds.d[index].write_kbs);
    return S_OK;
}

static HRESULT speed_descriptor(const struct speed_list *list, size_t index, VARIANT *out)
{
    V_VT(out) = VT_DISPATCH;
    return write_speed_create(list->media_type, list->speeds.d[index].wrc == 1,
                              SECTORS_FROM_KBS(list->speeds.d[index].write_kbs), &V_DISPATCH(out));
}

static HRESULT speed_array(struct rawcd *f, speed_element element, SAFEARRAY **value)
{
    struct speed_list list;
    SAFEARRAY *sa;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = speed_list(f, &list)))
        return hr;
    if (!(sa = SafeArrayCreateVector(VT_VARIANT, 0, (ULONG)list.speeds.count)))
        return E_OUTOFMEMORY;
    for (LONG i = 0; SUCCEEDED(hr) && i < (LONG)list.speeds.count; i++) {
        VARIANT v;
        VariantInit(&v);
        if (SUCCEEDED(hr = element(&list, (size_t)i, &v)))
            hr = SafeArrayPutElement(sa, &i, &v);
        VariantClear(&v);
    }
    if (FAILED(hr)) {
        SafeArrayDestroy(sa);
        return hr;
    }
    *value = sa;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_SupportedWriteSpeeds(IDiscFormat2RawCD *iface, SAFEARRAY **value)
{
    return speed_array(impl_from_IDiscFormat2RawCD(iface), speed_value, value);
}

static HRESULT WINAPI rawcd_get_SupportedWriteSpeedDescriptors(IDiscFormat2RawCD *iface, SAFEARRAY **value)
{
    return speed_array(impl_from_IDiscFormat2RawCD(iface), speed_descriptor, value);
}

static const IDiscFormat2RawCDVtbl rawcd_vtbl = {
    rawcd_QueryInterface,
    rawcd_AddRef,
    rawcd_Release,
    rawcd_GetTypeInfoCount,
    rawcd_GetTypeInfo,
    rawcd_GetIDsOfNames,
    rawcd_Invoke,
    rawcd_IsRecorderSupported,
    rawcd_IsCurrentMediaSupported,
    rawcd_get_MediaPhysicallyBlank,
    rawcd_get_MediaHeuristicallyBlank,
    rawcd_get_SupportedMediaTypes,
    rawcd_PrepareMedia,
    rawcd_WriteMedia,
    rawcd_WriteMedia2,
    rawcd_CancelWrite,
    rawcd_ReleaseMedia,
    rawcd_SetWriteSpeed,
    rawcd_put_Recorder,
    rawcd_get_Recorder,
    rawcd_put_BufferUnderrunFreeDisabled,
    rawcd_get_BufferUnderrunFreeDisabled,
    rawcd_get_StartOfNextSession,
    rawcd_get_LastPossibleStartOfLeadout,
    rawcd_get_CurrentPhysicalMediaType,
    rawcd_get_SupportedSectorTypes,
    rawcd_put_RequestedSectorType,
    rawcd_get_RequestedSectorType,
    rawcd_put_ClientName,
    rawcd_get_ClientName,
    rawcd_get_RequestedWriteSpeed,
    rawcd_get_RequestedRotationTypeIsPureCAV,
    rawcd_get_CurrentWriteSpeed,
    rawcd_get_CurrentRotationTypeIsPureCAV,
    rawcd_get_SupportedWriteSpeeds,
    rawcd_get_SupportedWriteSpeedDescriptors,
};

HRESULT rawcd_create(IUnknown *outer, REFIID riid, void **out)
{
    struct rawcd *f;
    HRESULT hr;
    (void)outer;
    if (!(f = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*f))))
        return E_OUTOFMEMORY;
    f->IDiscFormat2RawCD_iface.lpVtbl = &rawcd_vtbl;
    f->ref = 1;
    f->state = RAWCD_NO_RECORDER;
    f->sector_type = IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW;
    f->bufe_disabled = VARIANT_FALSE;
    f->requested_speed = FASTEST;
    f->requested_cav = VARIANT_FALSE;
    event_source_init(&f->source, (IUnknown *)&f->IDiscFormat2RawCD_iface, &CLSID_MsftDiscFormat2RawCD,
                      &IID_IDiscFormat2RawCD, &IID_DDiscFormat2RawCDEvents);
    imapi2_module_addref();
    hr = IDiscFormat2RawCD_QueryInterface(&f->IDiscFormat2RawCD_iface, riid, out);
    IDiscFormat2RawCD_Release(&f->IDiscFormat2RawCD_iface);
    return hr;
}
