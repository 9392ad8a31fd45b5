/* MsftDiscFormat2RawCD: raw Disc-At-Once writing of a DAO-96 image, with
 * DDiscFormat2RawCDEvents progress and CancelWrite. The state machine is the
 * table in libs/mmc/rawcd_states.c; the write itself is libs/mmc/rawwrite.c. */
#include "imapi2_private.h"
#include "format_common.h"
#include "media_type.h"
#include "write_progress.h"
#include "recorder.h"
#include "exclusive.h"
#include "mmc/drive_query.h"
#include "mmc/rawcd_states.h"
#include "mmc/rawwrite.h"

struct rawcd {
    IDiscFormat2RawCD IDiscFormat2RawCD_iface;
    struct event_source source; /* DDiscFormat2RawCDEvents */
    LONG ref;
    struct format_machine machine; /* libs/mmc/rawcd_states.c: checks every call and moves the state */
    IDiscRecorder2 *recorder;   /* ours (recorder_own) */
    BSTR client_name;
    IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE sector_type;
    VARIANT_BOOL bufe_disabled;
    LONG requested_speed;       /* sectors per second, FASTEST = -1 */
    VARIANT_BOOL requested_cav;
    BOOL holds_lock;            /* AcquireExclusiveAccess succeeded */
    struct speed_list speeds;   /* read by PrepareMedia: answers while the drive is busy */
    struct mmc_raw_writer writer; /* writer.media: what PrepareMedia learnt of the disc */
};

static inline struct rawcd *impl_from_IDiscFormat2RawCD(IDiscFormat2RawCD *iface)
{
    return CONTAINING_RECORD(iface, struct rawcd, IDiscFormat2RawCD_iface);
}

/* ---- IUnknown ---- */

static HRESULT WINAPI rawcd_QueryInterface(IDiscFormat2RawCD *iface, REFIID riid, void **out)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    TRACE("%p %s\n", iface, debugstr_guid(riid));
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

static bool raw_capable(const struct mmc_configuration *config)
{
    return config->mastering.present && config->mastering.raw;
}

/* The page's rule for RawCD: a recorder that cannot write raw is answered
 * with E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED and VARIANT_FALSE, "the result
 * of a successful operation" (nf-imapi2-idiscformat2-isrecordersupported). */
static HRESULT WINAPI rawcd_IsRecorderSupported(IDiscFormat2RawCD *iface, IDiscRecorder2 *recorder,
                                                VARIANT_BOOL *value)
{
    struct support_query q = { raw_capable, false, false, NULL };
    HRESULT hr;
    TRACE("%p %p\n", iface, recorder);
    hr = ask_support(recorder, value, &q);
    if (FAILED(hr) && hr != E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
        return imapi2_set_error(hr, &IID_IDiscFormat2RawCD);
    if (!q.capable)
        return imapi2_set_error(E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED, &IID_IDiscFormat2RawCD);
    *value = VARIANT_TRUE;
    return S_OK;
}

/* Windows 7 on: no disc is E_IMAPI_RECORDER_MEDIA_NO_MEDIA with VARIANT_FALSE
 * (nf-imapi2-idiscformat2-iscurrentmediasupported). */
static HRESULT WINAPI rawcd_IsCurrentMediaSupported(IDiscFormat2RawCD *iface, IDiscRecorder2 *recorder,
                                                    VARIANT_BOOL *value)
{
    struct support_query q = { raw_capable, false, false, NULL };
    HRESULT hr;
    TRACE("%p %p\n", iface, recorder);
    if (FAILED(hr = ask_support(recorder, value, &q)))
        return imapi2_set_error(hr, &IID_IDiscFormat2RawCD);
    *value = q.media_ok ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_MediaPhysicallyBlank(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    TRACE("%p\n", iface);
    return format_get_blank(&f->machine, RAWCD_CALL_GET_MEDIA_STATE, f->recorder, f->writer.writes_issued != 0, value);
}

/* On CD the drive's own blank report is the best guess there is. */
static HRESULT WINAPI rawcd_get_MediaHeuristicallyBlank(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return rawcd_get_MediaPhysicallyBlank(iface, value);
}

static HRESULT WINAPI rawcd_get_SupportedMediaTypes(IDiscFormat2RawCD *iface, SAFEARRAY **value)
{
    static const LONG types[] = { IMAPI_MEDIA_TYPE_CDR, IMAPI_MEDIA_TYPE_CDRW };
    TRACE("%p\n", iface);
    return safearray_of_i4(types, ARRAYSIZE(types), value);
}

/* ---- PrepareMedia / WriteMedia / CancelWrite / ReleaseMedia ---- */

static HRESULT prepare_job(struct mmc_device *dev, void *ctx)
{
    struct rawcd *f = ctx;
    struct mmc_raw_options o;
    bool prevent = true;
    HRESULT hr = tray_job(dev, &prevent);
    if (FAILED(hr))
        return hr;
    mmc_raw_writer_init(&f->writer, dev->transport, &imapi2_wall_clock);
    mmc_raw_options_default(&o);
    o.layout = f->sector_type;
    o.loop.bufe = f->bufe_disabled == VARIANT_FALSE;
    o.loop.write_speed_kbs = format_requested_kbs(f->requested_speed);
    hr = mmc_raw_prepare(&f->writer, &o);
    /* The speed list belongs to the prepared disc: read once, answered from here while writing. */
    if (SUCCEEDED(hr))
        speeds_job(dev, &f->speeds);
    if (FAILED(hr)) {
        prevent = false;
        tray_job(dev, &prevent);
    }
    return hr;
}

/* S_IMAPI_*ADJUSTED when the drive did not take the speed or rotation asked
 * for (nf-imapi2-idiscformat2rawcd-preparemedia). CD recording here is CLV,
 * so pure CAV is always adjusted; a speed counts as taken within 1 %. */
static HRESULT adjustments(const struct rawcd *f, uint16_t granted_kbs)
{
    BOOL rotation = f->requested_cav != VARIANT_FALSE;
    BOOL speed = FALSE;
    if (f->requested_speed != FASTEST && granted_kbs) {
        LONG granted = (LONG)CD_SECTORS_FROM_KBS(granted_kbs);
        speed = labs(granted - f->requested_speed) > f->requested_speed / 100 + 1;
    }
    if (speed && rotation)
        return S_IMAPI_BOTHADJUSTED;
    return speed ? S_IMAPI_SPEEDADJUSTED : rotation ? S_IMAPI_ROTATIONADJUSTED : S_OK;
}

static HRESULT WINAPI rawcd_PrepareMedia(IDiscFormat2RawCD *iface)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (FAILED(hr = format_enter(&f->machine, RAWCD_CALL_PREPARE_MEDIA, &ticket)))
        return hr;
    if (!exclusive_client_name_valid(f->client_name))
        return format_leave(&f->machine, &ticket, E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID);
    if (FAILED(hr = IDiscRecorder2_AcquireExclusiveAccess(f->recorder, VARIANT_FALSE, f->client_name)))
        return format_leave(&f->machine, &ticket, hr);
    hr = recorder_run(f->recorder, prepare_job, f);
    if (FAILED(hr)) {
        IDiscRecorder2_ReleaseExclusiveAccess(f->recorder);
        return format_leave(&f->machine, &ticket, hr);
    }
    f->holds_lock = TRUE;
    return format_leave(&f->machine, &ticket, adjustments(f, f->writer.media.write_speed_kbs));
}

/* Where the stream says it is now (Seek by 0 from the current position). */
static BOOL stream_tell(IStream *s, ULONGLONG *pos)
{
    LARGE_INTEGER none;
    ULARGE_INTEGER at;
    none.QuadPart = 0;
    if (FAILED(IStream_Seek(s, none, STREAM_SEEK_CUR, &at)))
        return FALSE;
    *pos = at.QuadPart;
    return TRUE;
}

/* The position is checked after the seek, as a Seek may answer S_OK without
 * moving: one that stayed where it was is read and discarded instead (a
 * failure here tells the engine so); one that went elsewhere cannot be
 * trusted, and the write fails before any WRITE. */
static int32_t stream_seek(void *ctx, uint64_t offset)
{
    IStream *s = ctx;
    LARGE_INTEGER to;
    ULARGE_INTEGER said;
    ULONGLONG before = 0, after;
    BOOL know_before = stream_tell(s, &before);
    HRESULT hr;
    to.QuadPart = (LONGLONG)offset;
    said.QuadPart = offset;
    if (FAILED(hr = IStream_Seek(s, to, STREAM_SEEK_SET, &said)))
        return hr;
    if (!stream_tell(s, &after))
        after = said.QuadPart;
    if (said.QuadPart == offset && after == offset)
        return S_OK;
    WARN("Seek to %llu answered S_OK, stream at %llu\n", (unsigned long long)offset, (unsigned long long)after);
    if (know_before && after == before)
        return E_NOTIMPL;
    return E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED;
}

struct write_job {
    struct rawcd *f;
    struct mmc_raw_stream stream;
};

/* Called by the engine on the caller's thread; true stops the write. */
static bool on_progress(void *ctx, const struct mmc_write_progress *p)
{
    struct rawcd *f = ctx;
    /* The enum has no FINISHED: the engine's last report is still FINISHING. */
    LONG action = p->action >= MMC_RAW_ACTION_FINISHING ? IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING : p->action;
    format_fire_update(&f->source.point, DISPID_DDISCFORMAT2RAWCDEVENTS_UPDATE,
                       (IDispatch *)&f->IDiscFormat2RawCD_iface, rawcd_progress_create, action, p);
    return state_machine_current(&f->machine.m) == RAWCD_CANCELLING;
}

static HRESULT write_job(struct mmc_device *dev, void *ctx)
{
    struct write_job *job = ctx;
    (void)dev;
    return mmc_raw_write(&job->f->writer, &job->stream, on_progress, job->f);
}

/* The settings chosen after PrepareMedia, handed to the engine for WriteMedia. */
static void apply_write_settings(struct rawcd *f, LONG leadin_sectors)
{
    f->writer.opt.layout = f->sector_type;
    f->writer.opt.loop.bufe = f->bufe_disabled == VARIANT_FALSE;
    f->writer.opt.loop.write_speed_kbs = format_requested_kbs(f->requested_speed);
    f->writer.opt.stream_leadin_sectors = leadin_sectors;
}

/* Every check before the first WRITE; a refused stream leaves the disc blank
 * and the object PREPARED. */
static HRESULT check_stream(struct rawcd *f, IStream *data, LONG leadin_sectors, uint64_t *size)
{
    STATSTG stat;
    if (!data)
        return E_POINTER;
    if (leadin_sectors < 0)
        return E_INVALIDARG;
    if (FAILED(IStream_Stat(data, &stat, STATFLAG_NONAME)))
        return E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED;
    *size = stat.cbSize.QuadPart;
    apply_write_settings(f, leadin_sectors);
    return mmc_raw_check_stream(&f->writer, *size);
}

static HRESULT write_media(struct rawcd *f, IStream *data, LONG leadin_sectors)
{
    struct write_job job = { f, { format_stream_read, stream_seek, data, 0 } };
    struct state_ticket ticket;
    enum state_outcome outcome;
    HRESULT hr;
    if (FAILED(hr = format_enter(&f->machine, RAWCD_CALL_WRITE_MEDIA, &ticket)))
        return hr;
    if (FAILED(hr = check_stream(f, data, leadin_sectors, &job.stream.size)))
        return format_leave(&f->machine, &ticket, hr);
    /* A sink may drop the caller's last reference from inside Update. */
    IDiscFormat2RawCD_AddRef(&f->IDiscFormat2RawCD_iface);
    hr = recorder_run(f->recorder, write_job, &job);
    /* Nothing written (page 05 refused, the stream failed before the first
     * WRITE): the disc is still blank and WriteMedia may be called again. */
    outcome = SUCCEEDED(hr) ? STATE_SUCCEEDED : f->writer.writes_issued ? STATE_FAILED : STATE_REFUSED;
    state_machine_leave(&f->machine.m, &ticket, outcome);
    IDiscFormat2RawCD_Release(&f->IDiscFormat2RawCD_iface);
    return format_fail(&f->machine, hr);
}

static HRESULT WINAPI rawcd_WriteMedia(IDiscFormat2RawCD *iface, IStream *data)
{
    TRACE("%p %p\n", iface, data);
    return write_media(impl_from_IDiscFormat2RawCD(iface), data, (-CD_RAW_IMAGE_START_LBA));
}

static HRESULT WINAPI rawcd_WriteMedia2(IDiscFormat2RawCD *iface, IStream *data, LONG leadin_sectors)
{
    TRACE("%p %p %ld\n", iface, data, (long)leadin_sectors);
    return write_media(impl_from_IDiscFormat2RawCD(iface), data, leadin_sectors);
}

/* Safe from any thread: the table moves WRITING to CANCELLING atomically,
 * and the engine stops before its next WRITE and any wait in the transport ends. */
static HRESULT WINAPI rawcd_CancelWrite(IDiscFormat2RawCD *iface)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (FAILED(hr = format_enter(&f->machine, RAWCD_CALL_CANCEL_WRITE, &ticket)))
        return hr;
    mmc_device_cancel(&f->writer.dev);
    return format_leave(&f->machine, &ticket, S_OK);
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
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (FAILED(hr = format_enter(&f->machine, RAWCD_CALL_RELEASE_MEDIA, &ticket)))
        return hr;
    release_media(f);
    return format_leave(&f->machine, &ticket, S_OK);
}

/* Stored, and sent to the drive when WriteMedia starts. The drive's answer
 * to a speed is known at PrepareMedia (S_IMAPI_SPEEDADJUSTED there); the
 * rotation is known now: CD recording here is CLV. */
static HRESULT WINAPI rawcd_SetWriteSpeed(IDiscFormat2RawCD *iface, LONG sectors_per_second, VARIANT_BOOL pure_cav)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    TRACE("%p %ld %d\n", iface, (long)sectors_per_second, pure_cav);
    return format_set_write_speed(&f->machine, RAWCD_CALL_SET_WRITE_SPEED, sectors_per_second, pure_cav,
                                  &f->requested_speed, &f->requested_cav);
}

/* ---- properties ---- */

/* Only a recorder IsRecorderSupported accepts (nf-imapi2-idiscformat2rawcd-put_recorder). */
static HRESULT WINAPI rawcd_put_Recorder(IDiscFormat2RawCD *iface, IDiscRecorder2 *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    TRACE("%p %p\n", iface, value);
    return format_put_recorder(&f->machine, RAWCD_CALL_PUT_RECORDER, RAWCD_CALL_CLEAR_RECORDER, raw_capable,
                               E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED, &f->recorder, value);
}

/* Unset: S_OK and NULL, as IDiscFormat2Erase answers (the page lists only E_POINTER). */
static HRESULT WINAPI rawcd_get_Recorder(IDiscFormat2RawCD *iface, IDiscRecorder2 **value)
{
    TRACE("%p\n", iface);
    return format_get_recorder(impl_from_IDiscFormat2RawCD(iface)->recorder, value);
}

static HRESULT WINAPI rawcd_put_BufferUnderrunFreeDisabled(IDiscFormat2RawCD *iface, VARIANT_BOOL value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p %d\n", iface, value);
    if (FAILED(hr = format_enter(&f->machine, RAWCD_CALL_PUT_WRITE_SETTING, &ticket)))
        return hr;
    f->bufe_disabled = value ? VARIANT_TRUE : VARIANT_FALSE;
    return format_leave(&f->machine, &ticket, S_OK);
}

static HRESULT WINAPI rawcd_get_BufferUnderrunFreeDisabled(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2RawCD(iface)->bufe_disabled;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_StartOfNextSession(IDiscFormat2RawCD *iface, LONG *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    int answer;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    if (FAILED(hr = format_enter_get(&f->machine, RAWCD_CALL_GET_PREPARED_VALUE, &answer)))
        return hr;
    *value = f->writer.media.leadin_start;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_LastPossibleStartOfLeadout(IDiscFormat2RawCD *iface, LONG *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    int answer;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    if (FAILED(hr = format_enter_get(&f->machine, RAWCD_CALL_GET_PREPARED_VALUE, &answer)))
        return hr;
    *value = f->writer.media.last_possible_leadout;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_CurrentPhysicalMediaType(IDiscFormat2RawCD *iface, IMAPI_MEDIA_PHYSICAL_TYPE *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    TRACE("%p\n", iface);
    return format_get_media_type(&f->machine, RAWCD_CALL_GET_DRIVE_VALUE, f->recorder, f->writer.media.profile, value);
}

static HRESULT layouts_job(struct mmc_device *dev, void *ctx)
{
    return mmc_raw_supported_layouts(dev, ctx);
}

/* Every data block type the drive takes, as VT_UI4 (ulVal): probed now, or
 * the list PrepareMedia read (nf-imapi2-idiscformat2rawcd-get_supportedsectortypes). */
static HRESULT WINAPI rawcd_get_SupportedSectorTypes(IDiscFormat2RawCD *iface, SAFEARRAY **value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    bool probed[4] = { false };
    const bool *supported = probed;
    int answer;
    LONG types[3];
    unsigned count = 0;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = format_enter_get(&f->machine, RAWCD_CALL_GET_SECTOR_TYPES, &answer)))
        return hr;
    if (answer == STATE_ANSWER_CACHE)
        supported = f->writer.media.layouts;
    else if (FAILED(hr = recorder_run(f->recorder, layouts_job, probed)))
        return format_fail(&f->machine, hr);
    for (int layout = IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY; layout <= IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW; layout++)
        if (supported[layout])
            types[count++] = layout;
    return safearray_of_longs(types, count, VT_UI4, value);
}

static HRESULT WINAPI rawcd_put_RequestedSectorType(IDiscFormat2RawCD *iface, IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p %d\n", iface, value);
    if (FAILED(hr = format_enter(&f->machine, RAWCD_CALL_PUT_WRITE_SETTING, &ticket)))
        return hr;
    if (value < IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY || value > IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW)
        return format_leave(&f->machine, &ticket, E_INVALIDARG);
    if (!f->writer.media.layouts[value])
        return format_leave(&f->machine, &ticket, E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED);
    f->sector_type = value;
    return format_leave(&f->machine, &ticket, S_OK);
}

static HRESULT WINAPI rawcd_get_RequestedSectorType(IDiscFormat2RawCD *iface,
                                                     IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    int answer;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    if (FAILED(hr = format_enter_get(&f->machine, RAWCD_CALL_GET_PREPARED_VALUE, &answer)))
        return hr;
    *value = f->sector_type;
    return S_OK;
}

static HRESULT WINAPI rawcd_put_ClientName(IDiscFormat2RawCD *iface, BSTR value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    struct state_ticket ticket;
    BSTR copy;
    HRESULT hr;
    TRACE("%p %s\n", iface, debugstr_w(value));
    if (FAILED(hr = format_enter(&f->machine, RAWCD_CALL_PUT_CLIENT_NAME, &ticket)))
        return hr;
    if (!exclusive_client_name_valid(value))
        return format_leave(&f->machine, &ticket, E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID);
    if (!(copy = SysAllocString(value)))
        return format_leave(&f->machine, &ticket, E_OUTOFMEMORY);
    SysFreeString(f->client_name);
    f->client_name = copy;
    return format_leave(&f->machine, &ticket, S_OK);
}

static HRESULT WINAPI rawcd_get_ClientName(IDiscFormat2RawCD *iface, BSTR *value)
{
    TRACE("%p\n", iface);
    return format_get_client_name(impl_from_IDiscFormat2RawCD(iface)->client_name, value);
}

static HRESULT WINAPI rawcd_get_RequestedWriteSpeed(IDiscFormat2RawCD *iface, LONG *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2RawCD(iface)->requested_speed;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_RequestedRotationTypeIsPureCAV(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2RawCD(iface)->requested_cav;
    return S_OK;
}

static HRESULT WINAPI rawcd_get_CurrentWriteSpeed(IDiscFormat2RawCD *iface, LONG *value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    TRACE("%p\n", iface);
    return format_get_write_speed(&f->machine, RAWCD_CALL_GET_DRIVE_VALUE, f->recorder, f->writer.media.write_speed_kbs,
                                  value);
}

/* CLV recording: the drives this serves record CDs at constant linear velocity. */
static HRESULT WINAPI rawcd_get_CurrentRotationTypeIsPureCAV(IDiscFormat2RawCD *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return format_get_pure_cav(&impl_from_IDiscFormat2RawCD(iface)->machine, RAWCD_CALL_GET_DRIVE_VALUE, value);
}

static HRESULT WINAPI rawcd_get_SupportedWriteSpeeds(IDiscFormat2RawCD *iface, SAFEARRAY **value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    TRACE("%p\n", iface);
    return format_get_speeds(&f->machine, RAWCD_CALL_GET_DRIVE_VALUE, f->recorder, &f->speeds, FALSE, value);
}

static HRESULT WINAPI rawcd_get_SupportedWriteSpeedDescriptors(IDiscFormat2RawCD *iface, SAFEARRAY **value)
{
    struct rawcd *f = impl_from_IDiscFormat2RawCD(iface);
    TRACE("%p\n", iface);
    return format_get_speeds(&f->machine, RAWCD_CALL_GET_DRIVE_VALUE, f->recorder, &f->speeds, TRUE, value);
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
    format_machine_init(&f->machine, &rawcd_state_table, &IID_IDiscFormat2RawCD);
    /* nf-imapi2-idiscformat2rawcd-put_requestedsectortype: the default is cooked P-W. */
    f->sector_type = IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED;
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
