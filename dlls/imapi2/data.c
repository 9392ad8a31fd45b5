/* MsftDiscFormat2Data: a file-system image (any stream of 2048-byte
 * sectors) written as one new session, with DDiscFormat2DataEvents progress,
 * CancelWrite and IBurnVerification. Every call is checked and its
 * transition applied by the state table in libs/mmc/data_states.c
 * (docs/data-audit.md §8, the contract: where it says "ours", so does this
 * file); the medium and the writing are libs/mmc/datawrite.c's.
 *
 * Write takes exclusive access itself under ClientName (counted, so a
 * caller that already holds it under the same name keeps it: audit finding
 * 6), locks the tray and holds media change notification off, and gives all
 * of them back before it returns. Media values asked for from Update (or
 * another thread) while Write runs come from the snapshot Write took
 * before it began.
 *
 * Choices of ours, from the audit and where it stops:
 * - a closed, damaged or open-session disc is
 *   E_IMAPI_DF2DATA_INVALID_MEDIA_STATE from Write (the getters' code for a
 *   medium Data cannot use); a disc the engine does not write is
 *   E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED;
 * - ClientName NULL or empty is E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID at
 *   put time, unset at Write time the same;
 * - SupportedMediaTypes lists what the engine writes today (CD-R, CD-RW,
 *   DVD+R, DVD-R, BD-R);
 * - MultisessionInterfaces is one MsftMultisessionSequential (multisession.c)
 *   whatever the medium: the engine writes no overwrite-only media, whose
 *   MsftMultisessionRandomWrite is not implemented. */
#include "imapi2_private.h"
#include "exclusive.h"
#include "format_common.h"
#include "media_type.h"
#include "multisession.h"
#include "recorder.h"
#include "write_progress.h"
#include "mmc/data_states.h"
#include "mmc/datawrite.h"

struct data {
    IDiscFormat2Data IDiscFormat2Data_iface;
    IBurnVerification IBurnVerification_iface;
    struct event_source source; /* DDiscFormat2DataEvents */
    LONG ref;
    struct data_machine machine;
    IDiscRecorder2 *recorder;   /* ours (recorder_own) */
    BSTR client_name;
    VARIANT_BOOL bufe_disabled, postgap_in_image, force_close, dvd_compat_disabled, force_overwrite;
    LONG requested_speed;       /* sectors per second, FASTEST = -1 */
    VARIANT_BOOL requested_cav;
    IMAPI_BURN_VERIFICATION_LEVEL verification;
    struct mmc_data_media snapshot; /* the medium when Write began */
    struct speed_list speeds;   /* read by Write: answers while the drive is busy */
    struct mmc_data_writer writer;
};

static inline struct data *impl_from_IDiscFormat2Data(IDiscFormat2Data *iface)
{
    return CONTAINING_RECORD(iface, struct data, IDiscFormat2Data_iface);
}

static inline struct data *impl_from_IBurnVerification(IBurnVerification *iface)
{
    return CONTAINING_RECORD(iface, struct data, IBurnVerification_iface);
}

static HRESULT data_fail(HRESULT hr)
{
    return imapi2_set_error(hr, &IID_IDiscFormat2Data);
}

static HRESULT enter(struct data *f, enum data_call call, struct state_ticket *ticket)
{
    return data_fail((HRESULT)data_enter(&f->machine, call, ticket));
}

/* A call that failed before touching the disc or drive leaves nothing behind. */
static HRESULT leave(struct data *f, const struct state_ticket *ticket, HRESULT hr)
{
    data_leave(&f->machine, ticket, SUCCEEDED(hr) ? DATA_SUCCEEDED : DATA_REFUSED);
    return data_fail(hr);
}

/* Gets change no state: entering is the whole check, and says where the answer comes from. */
static HRESULT enter_get(struct data *f, enum data_call call, int *answer)
{
    struct state_ticket ticket;
    HRESULT hr = enter(f, call, &ticket);
    if (SUCCEEDED(hr))
        *answer = ticket.rule->answer;
    return hr;
}

/* ---- IUnknown ---- */

static HRESULT WINAPI data_QueryInterface(IDiscFormat2Data *iface, REFIID riid, void **out)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    TRACE("%p %s\n", iface, debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IDiscFormat2) || IsEqualGUID(riid, &IID_IDiscFormat2Data)) {
        *out = iface;
    } else if (IsEqualGUID(riid, &IID_IBurnVerification)) {
        *out = &f->IBurnVerification_iface;
    } else if (event_source_query(&f->source, riid, out)) {
        return S_OK;
    } else {
        *out = NULL;
        WARN("no interface %s\n", debugstr_guid(riid));
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI data_AddRef(IDiscFormat2Data *iface)
{
    return InterlockedIncrement(&impl_from_IDiscFormat2Data(iface)->ref);
}

static ULONG WINAPI data_Release(IDiscFormat2Data *iface)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    ULONG ref = InterlockedDecrement(&f->ref);
    if (!ref) {
        if (f->recorder)
            IDiscRecorder2_Release(f->recorder);
        SysFreeString(f->client_name);
        event_source_destroy(&f->source);
        HeapFree(GetProcessHeap(), 0, f);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(data, IDiscFormat2Data)

/* ---- the medium ---- */

static HRESULT inspect_job(struct mmc_device *dev, void *ctx)
{
    return mmc_data_inspect(dev, ctx);
}

/* The medium as a get sees it: asked now, or the snapshot while Write runs. */
static HRESULT media_values(struct data *f, struct mmc_data_media *out)
{
    int answer;
    HRESULT hr;
    if (FAILED(hr = enter_get(f, DATA_CALL_GET_MEDIA_VALUE, &answer)))
        return hr;
    if (answer == STATE_ANSWER_CACHE) {
        *out = f->snapshot;
        return S_OK;
    }
    return data_fail(recorder_run(f->recorder, inspect_job, out));
}

/* ---- IDiscFormat2 ---- */

/* A drive with a profile the engine writes. */
static bool data_capable(const struct mmc_configuration *config)
{
    for (size_t i = 0; i < config->profile_count; i++)
        if (mmc_data_profile_writable(config->profiles[i].number))
            return true;
    return false;
}

static HRESULT WINAPI data_IsRecorderSupported(IDiscFormat2Data *iface, IDiscRecorder2 *recorder, VARIANT_BOOL *value)
{
    struct support_query q = { data_capable, false, false, mmc_data_profile_writable };
    HRESULT hr;
    TRACE("%p %p\n", iface, recorder);
    hr = ask_support(recorder, value, &q);
    if (FAILED(hr) && hr != E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
        return data_fail(hr);
    *value = q.capable ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

/* The kind of disc, not its state: a closed CD-R is a supported medium
 * that CurrentMediaStatus calls FINALIZED. No disc: NO_MEDIA with FALSE. */
static HRESULT WINAPI data_IsCurrentMediaSupported(IDiscFormat2Data *iface, IDiscRecorder2 *recorder,
                                                   VARIANT_BOOL *value)
{
    struct support_query q = { data_capable, false, false, mmc_data_profile_writable };
    HRESULT hr;
    TRACE("%p %p\n", iface, recorder);
    if (FAILED(hr = ask_support(recorder, value, &q)))
        return data_fail(hr);
    *value = q.media_ok ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI data_get_MediaPhysicallyBlank(IDiscFormat2Data *iface, VARIANT_BOOL *value)
{
    struct mmc_data_media m;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    if (FAILED(hr = media_values(impl_from_IDiscFormat2Data(iface), &m)))
        return hr;
    *value = m.state & MMC_DATA_STATE_BLANK ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

/* On CD the drive's own blank report is the best guess there is. */
static HRESULT WINAPI data_get_MediaHeuristicallyBlank(IDiscFormat2Data *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return data_get_MediaPhysicallyBlank(iface, value);
}

static HRESULT WINAPI data_get_SupportedMediaTypes(IDiscFormat2Data *iface, SAFEARRAY **value)
{
    static const LONG types[] = { IMAPI_MEDIA_TYPE_CDR, IMAPI_MEDIA_TYPE_CDRW, IMAPI_MEDIA_TYPE_DVDPLUSR,
                                  IMAPI_MEDIA_TYPE_DVDDASHR, IMAPI_MEDIA_TYPE_BDR };
    TRACE("%p\n", iface);
    return safearray_of_i4(types, ARRAYSIZE(types), value);
}

/* ---- properties ---- */

static HRESULT WINAPI data_put_Recorder(IDiscFormat2Data *iface, IDiscRecorder2 *value)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    struct support_query q = { data_capable, false, false, mmc_data_profile_writable };
    struct state_ticket ticket;
    IDiscRecorder2 *ours;
    HRESULT hr;
    TRACE("%p %p\n", iface, value);
    if (FAILED(hr = enter(f, value ? DATA_CALL_PUT_RECORDER : DATA_CALL_CLEAR_RECORDER, &ticket)))
        return hr;
    if (!value) {
        if (f->recorder)
            IDiscRecorder2_Release(f->recorder);
        f->recorder = NULL;
        return leave(f, &ticket, S_OK);
    }
    /* Only a recorder IsRecorderSupported accepts [d1]; one another client
     * holds cannot be asked now: it is taken, and Write says it is locked. */
    hr = query_support(value, &q);
    if (hr == E_IMAPI_RECORDER_LOCKED)
        q.capable = true;
    else if (FAILED(hr) && hr != E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
        return leave(f, &ticket, hr);
    if (!q.capable)
        return leave(f, &ticket, E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED);
    if (FAILED(hr = recorder_own(value, &ours)))
        return leave(f, &ticket, hr);
    if (f->recorder)
        IDiscRecorder2_Release(f->recorder);
    f->recorder = ours;
    return leave(f, &ticket, S_OK);
}

static HRESULT WINAPI data_get_Recorder(IDiscFormat2Data *iface, IDiscRecorder2 **value)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = f->recorder;
    if (f->recorder)
        IDiscRecorder2_AddRef(f->recorder);
    return S_OK;
}

static HRESULT put_option(struct data *f, VARIANT_BOOL *field, VARIANT_BOOL value)
{
    struct state_ticket ticket;
    HRESULT hr;
    if (FAILED(hr = enter(f, DATA_CALL_PUT_OPTION, &ticket)))
        return hr;
    *field = value ? VARIANT_TRUE : VARIANT_FALSE;
    return leave(f, &ticket, S_OK);
}

static HRESULT get_option(const VARIANT_BOOL *field, VARIANT_BOOL *value)
{
    if (!value)
        return E_POINTER;
    *value = *field;
    return S_OK;
}

static HRESULT WINAPI data_put_BufferUnderrunFreeDisabled(IDiscFormat2Data *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    return put_option(impl_from_IDiscFormat2Data(iface), &impl_from_IDiscFormat2Data(iface)->bufe_disabled, value);
}

static HRESULT WINAPI data_get_BufferUnderrunFreeDisabled(IDiscFormat2Data *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_option(&impl_from_IDiscFormat2Data(iface)->bufe_disabled, value);
}

static HRESULT WINAPI data_put_PostgapAlreadyInImage(IDiscFormat2Data *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    return put_option(impl_from_IDiscFormat2Data(iface), &impl_from_IDiscFormat2Data(iface)->postgap_in_image, value);
}

static HRESULT WINAPI data_get_PostgapAlreadyInImage(IDiscFormat2Data *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_option(&impl_from_IDiscFormat2Data(iface)->postgap_in_image, value);
}

static HRESULT WINAPI data_get_CurrentMediaStatus(IDiscFormat2Data *iface, IMAPI_FORMAT2_DATA_MEDIA_STATE *value)
{
    struct mmc_data_media m;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    if (FAILED(hr = media_values(impl_from_IDiscFormat2Data(iface), &m)))
        return hr;
    *value = (IMAPI_FORMAT2_DATA_MEDIA_STATE)m.state;
    return S_OK;
}

static HRESULT WINAPI data_get_WriteProtectStatus(IDiscFormat2Data *iface, IMAPI_MEDIA_WRITE_PROTECT_STATE *value)
{
    struct mmc_data_media m;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    if (FAILED(hr = media_values(impl_from_IDiscFormat2Data(iface), &m)))
        return hr;
    *value = (IMAPI_MEDIA_WRITE_PROTECT_STATE)m.write_protect;
    return S_OK;
}

/* The address and size values: E_IMAPI_DF2DATA_INVALID_MEDIA_STATE on a
 * medium Data cannot write [d13]. */
enum media_number { TOTAL_SECTORS, FREE_SECTORS, NEXT_WRITABLE, PREVIOUS_START, PREVIOUS_LAST };

static HRESULT media_number(IDiscFormat2Data *iface, enum media_number which, LONG *value)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    struct mmc_data_media m;
    int32_t nwa;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (FAILED(hr = media_values(f, &m)))
        return hr;
    if (!m.writable)
        return data_fail(E_IMAPI_DF2DATA_INVALID_MEDIA_STATE);
    switch (which) {
    case TOTAL_SECTORS: *value = (LONG)m.total; return S_OK;
    case FREE_SECTORS: *value = (LONG)mmc_data_free_sectors(&m, f->postgap_in_image != VARIANT_FALSE); return S_OK;
    case PREVIOUS_START: *value = m.previous_start; return S_OK;
    case PREVIOUS_LAST: *value = m.previous_last; return S_OK;
    case NEXT_WRITABLE: break;
    }
    if (FAILED(hr = mmc_data_next_writable(&m, &nwa)))
        return data_fail(hr);
    *value = nwa;
    return S_OK;
}

static HRESULT WINAPI data_get_TotalSectorsOnMedia(IDiscFormat2Data *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return media_number(iface, TOTAL_SECTORS, value);
}

static HRESULT WINAPI data_get_FreeSectorsOnMedia(IDiscFormat2Data *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return media_number(iface, FREE_SECTORS, value);
}

static HRESULT WINAPI data_get_NextWritableAddress(IDiscFormat2Data *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return media_number(iface, NEXT_WRITABLE, value);
}

static HRESULT WINAPI data_get_StartAddressOfPreviousSession(IDiscFormat2Data *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return media_number(iface, PREVIOUS_START, value);
}

static HRESULT WINAPI data_get_LastWrittenAddressOfPreviousSession(IDiscFormat2Data *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return media_number(iface, PREVIOUS_LAST, value);
}

static HRESULT WINAPI data_put_ForceMediaToBeClosed(IDiscFormat2Data *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    return put_option(impl_from_IDiscFormat2Data(iface), &impl_from_IDiscFormat2Data(iface)->force_close, value);
}

static HRESULT WINAPI data_get_ForceMediaToBeClosed(IDiscFormat2Data *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_option(&impl_from_IDiscFormat2Data(iface)->force_close, value);
}

/* How a DVD+R is closed [d9]: FALSE (the default) closes the disc in
 * compatible mode whatever ForceMediaToBeClosed says. */
static HRESULT WINAPI data_put_DisableConsumerDvdCompatibilityMode(IDiscFormat2Data *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    return put_option(impl_from_IDiscFormat2Data(iface), &impl_from_IDiscFormat2Data(iface)->dvd_compat_disabled,
                      value);
}

static HRESULT WINAPI data_get_DisableConsumerDvdCompatibilityMode(IDiscFormat2Data *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_option(&impl_from_IDiscFormat2Data(iface)->dvd_compat_disabled, value);
}

static HRESULT WINAPI data_get_CurrentPhysicalMediaType(IDiscFormat2Data *iface, IMAPI_MEDIA_PHYSICAL_TYPE *value)
{
    struct mmc_data_media m;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    if (FAILED(hr = media_values(impl_from_IDiscFormat2Data(iface), &m)))
        return hr;
    *value = media_type_from_profile(m.profile);
    return S_OK;
}

/* Not NULL, not empty, the exclusive-access character set [d3]. */
static HRESULT WINAPI data_put_ClientName(IDiscFormat2Data *iface, BSTR value)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    struct state_ticket ticket;
    BSTR copy;
    HRESULT hr;
    TRACE("%p %s\n", iface, debugstr_w(value));
    if (FAILED(hr = enter(f, DATA_CALL_PUT_CLIENT_NAME, &ticket)))
        return hr;
    if (!exclusive_client_name_valid(value))
        return leave(f, &ticket, E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID);
    if (!(copy = SysAllocString(value)))
        return leave(f, &ticket, E_OUTOFMEMORY);
    SysFreeString(f->client_name);
    f->client_name = copy;
    return leave(f, &ticket, S_OK);
}

static HRESULT WINAPI data_get_ClientName(IDiscFormat2Data *iface, BSTR *value)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = SysAllocString(f->client_name ? f->client_name : L"");
    return *value ? S_OK : E_OUTOFMEMORY;
}

static HRESULT WINAPI data_get_RequestedWriteSpeed(IDiscFormat2Data *iface, LONG *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2Data(iface)->requested_speed;
    return S_OK;
}

static HRESULT WINAPI data_get_RequestedRotationTypeIsPureCAV(IDiscFormat2Data *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_option(&impl_from_IDiscFormat2Data(iface)->requested_cav, value);
}

static HRESULT WINAPI data_get_CurrentWriteSpeed(IDiscFormat2Data *iface, LONG *value)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    struct mmc_capabilities caps;
    int answer;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    if (FAILED(hr = enter_get(f, DATA_CALL_GET_DRIVE_VALUE, &answer)))
        return hr;
    if (answer == STATE_ANSWER_CACHE) {
        *value = (LONG)CD_SECTORS_FROM_KBS(f->writer.write_speed_kbs);
        return S_OK;
    }
    if (FAILED(hr = recorder_run(f->recorder, capabilities_job, &caps)))
        return data_fail(hr);
    *value = (LONG)CD_SECTORS_FROM_KBS(caps.has_selected_speed ? caps.selected_write_kbs : caps.current_write_kbs);
    return S_OK;
}

/* CLV recording: the drives this serves record CDs at constant linear velocity. */
static HRESULT WINAPI data_get_CurrentRotationTypeIsPureCAV(IDiscFormat2Data *iface, VARIANT_BOOL *value)
{
    int answer;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    if (FAILED(hr = enter_get(impl_from_IDiscFormat2Data(iface), DATA_CALL_GET_DRIVE_VALUE, &answer)))
        return hr;
    return S_OK;
}

static HRESULT speed_array(struct data *f, BOOL descriptors, SAFEARRAY **value)
{
    struct speed_list asked;
    const struct speed_list *list = &asked;
    int answer;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = enter_get(f, DATA_CALL_GET_DRIVE_VALUE, &answer)))
        return hr;
    if (answer == STATE_ANSWER_CACHE)
        list = &f->speeds;
    else if (FAILED(hr = recorder_run(f->recorder, speeds_job, &asked)))
        return data_fail(hr);
    return speed_list_array(list, descriptors, value);
}

static HRESULT WINAPI data_get_SupportedWriteSpeeds(IDiscFormat2Data *iface, SAFEARRAY **value)
{
    TRACE("%p\n", iface);
    return speed_array(impl_from_IDiscFormat2Data(iface), FALSE, value);
}

static HRESULT WINAPI data_get_SupportedWriteSpeedDescriptors(IDiscFormat2Data *iface, SAFEARRAY **value)
{
    TRACE("%p\n", iface);
    return speed_array(impl_from_IDiscFormat2Data(iface), TRUE, value);
}

/* Stored; it matters for overwrite-only media [d10], which the engine does not write yet. */
static HRESULT WINAPI data_put_ForceOverwrite(IDiscFormat2Data *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    return put_option(impl_from_IDiscFormat2Data(iface), &impl_from_IDiscFormat2Data(iface)->force_overwrite, value);
}

static HRESULT WINAPI data_get_ForceOverwrite(IDiscFormat2Data *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return get_option(&impl_from_IDiscFormat2Data(iface)->force_overwrite, value);
}

/* One element, never none [d15]: the sequential kind's object, which says
 * through IsSupportedOnCurrentMediaState whether a session can be added
 * (audit §10). No disc: the drive's E_IMAPI_RECORDER_MEDIA_NO_MEDIA. */
static HRESULT WINAPI data_get_MultisessionInterfaces(IDiscFormat2Data *iface, SAFEARRAY **value)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    struct mmc_data_media media;
    SAFEARRAY *sa;
    VARIANT v;
    LONG index = 0;
    int answer;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = enter_get(f, DATA_CALL_GET_MULTISESSION, &answer)))
        return hr;
    if (FAILED(hr = recorder_run(f->recorder, inspect_job, &media)))
        return data_fail(hr);
    if (!(sa = SafeArrayCreateVector(VT_VARIANT, 0, 1)))
        return E_OUTOFMEMORY;
    V_VT(&v) = VT_DISPATCH;
    hr = multisession_sequential_create(f->recorder, &media, f->postgap_in_image != VARIANT_FALSE, &V_DISPATCH(&v));
    if (SUCCEEDED(hr)) {
        hr = SafeArrayPutElement(sa, &index, &v);
        VariantClear(&v);
    }
    if (FAILED(hr)) {
        SafeArrayDestroy(sa);
        return hr;
    }
    *value = sa;
    return S_OK;
}

/* ---- Write ---- */

static void fire_update(struct data *f, const struct mmc_data_progress *p)
{
    const struct mmc_write_progress wp = {
        .action = (int)p->action,
        .start_lba = p->start_lba,
        .sector_count = p->sector_count,
        .last_read_lba = p->last_read_lba,
        .last_written_lba = p->last_written_lba,
        .total_system_buffer = p->total_system_buffer,
        .used_system_buffer = p->used_system_buffer,
        .free_system_buffer = p->free_system_buffer,
        .elapsed_s = p->elapsed_s,
        .remaining_s = p->remaining_s,
    };
    format_fire_update(&f->source.point, DISPID_DDISCFORMAT2DATAEVENTS_UPDATE, (IDispatch *)&f->IDiscFormat2Data_iface,
                       data_progress_create, (LONG)p->action, &wp);
}

/* Called by the engine on the caller's thread (VERIFYING only when a
 * verification level asks for it, §12); true stops the write. */
static bool on_progress(void *ctx, const struct mmc_data_progress *p)
{
    struct data *f = ctx;
    fire_update(f, p);
    return data_current(&f->machine) == DATA_CANCELLING;
}

struct write_job {
    struct data *f;
    struct mmc_raw_stream stream;
};

static struct mmc_data_options write_options(const struct data *f)
{
    struct mmc_data_options o;
    mmc_data_options_default(&o);
    o.bufe = f->bufe_disabled == VARIANT_FALSE;
    o.force_close = f->force_close != VARIANT_FALSE;
    o.postgap_in_image = f->postgap_in_image != VARIANT_FALSE;
    o.dvd_compat_disabled = f->dvd_compat_disabled != VARIANT_FALSE;
    o.verify = (enum mmc_data_verify)f->verification;
    o.write_speed_kbs = format_requested_kbs(f->requested_speed);
    return o;
}

/* The snapshot the getters answer from while the drive writes, then the write. */
static HRESULT write_job(struct mmc_device *dev, void *ctx)
{
    struct write_job *job = ctx;
    struct data *f = job->f;
    struct mmc_data_options o = write_options(f);
    bool prevent = true;
    HRESULT hr;
    mmc_data_inspect(dev, &f->snapshot);
    speeds_job(dev, &f->speeds);
    if (FAILED(hr = tray_job(dev, &prevent)))
        return hr;
    mmc_data_writer_init(&f->writer, dev->transport, &imapi2_wall_clock);
    hr = mmc_data_write(&f->writer, &o, &job->stream, on_progress, f);
    prevent = false;
    tray_job(dev, &prevent);
    return hr;
}

/* The size from IStream::Stat, or from Seek(END) when Stat fails; whole
 * 2048-byte sectors, at least one [d5]. The stream is read from its start. */
static HRESULT stream_size(IStream *data, uint64_t *size)
{
    STATSTG stat;
    ULARGE_INTEGER end;
    LARGE_INTEGER zero;
    zero.QuadPart = 0;
    if (SUCCEEDED(IStream_Stat(data, &stat, STATFLAG_NONAME))) {
        *size = stat.cbSize.QuadPart;
    } else if (SUCCEEDED(IStream_Seek(data, zero, STREAM_SEEK_END, &end))) {
        *size = end.QuadPart;
    } else {
        return E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED;
    }
    if (!*size || *size % MMC_DATA_SECTOR_BYTES || FAILED(IStream_Seek(data, zero, STREAM_SEEK_SET, NULL)))
        return E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED;
    return S_OK;
}

/* A script's stream object (ADODB.Stream, an FSI ImageStream) may arrive
 * as the IDispatch the caller had (audit §13): ask it for its IStream. */
static HRESULT stream_of(IStream *data, IStream **out)
{
    *out = NULL;
    if (!data)
        return E_POINTER;
    if (FAILED(IUnknown_QueryInterface((IUnknown *)data, &IID_IStream, (void **)out)))
        return E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED;
    return S_OK;
}

/* The success codes Write lists [d5]: the speed the drive took is not the
 * one asked for (ours: compared in the drive's kB/s, unknown counts as
 * taken), and pure CAV asked for where this engine records CLV. */
static HRESULT adjusted(const struct data *f, HRESULT hr)
{
    bool speed = f->requested_speed != FASTEST && f->writer.write_speed_kbs &&
                 f->writer.write_speed_kbs != format_requested_kbs(f->requested_speed);
    bool rotation = f->requested_cav != VARIANT_FALSE;
    if (FAILED(hr))
        return hr;
    return speed && rotation ? S_IMAPI_BOTHADJUSTED : speed ? S_IMAPI_SPEEDADJUSTED
                                                    : rotation ? S_IMAPI_ROTATIONADJUSTED : hr;
}

/* Exclusive access (counted: a caller holding it under the same name
 * keeps it), MCN off, the job, everything given back. */
static HRESULT locked_write(struct data *f, struct write_job *job)
{
    HRESULT hr = IDiscRecorder2_AcquireExclusiveAccess(f->recorder, VARIANT_FALSE, f->client_name);
    if (FAILED(hr))
        return hr;
    IDiscRecorder2_DisableMcn(f->recorder);
    hr = recorder_run(f->recorder, write_job, job);
    IDiscRecorder2_EnableMcn(f->recorder);
    IDiscRecorder2_ReleaseExclusiveAccess(f->recorder);
    return hr;
}

static HRESULT WINAPI data_Write(IDiscFormat2Data *iface, IStream *data)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    struct write_job job = { f, { format_stream_read, NULL, NULL, 0 } };
    struct state_ticket ticket;
    IStream *stream;
    HRESULT hr;
    TRACE("%p %p\n", iface, data);
    if (FAILED(hr = enter(f, DATA_CALL_WRITE, &ticket)))
        return hr;
    if (!exclusive_client_name_valid(f->client_name))
        return leave(f, &ticket, E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID);
    if (FAILED(hr = stream_of(data, &stream)))
        return leave(f, &ticket, hr);
    job.stream.ctx = stream;
    if (FAILED(hr = stream_size(stream, &job.stream.size))) {
        IStream_Release(stream);
        return leave(f, &ticket, hr);
    }
    /* A sink may drop the caller's last reference from inside Update. */
    IDiscFormat2Data_AddRef(iface);
    hr = locked_write(f, &job);
    data_leave(&f->machine, &ticket, SUCCEEDED(hr) ? DATA_SUCCEEDED : DATA_FAILED);
    IStream_Release(stream);
    IDiscFormat2Data_Release(iface);
    return data_fail(adjusted(f, hr));
}

/* Safe from any thread: the table moves WRITING to CANCELLING atomically,
 * and the engine stops before its next WRITE. */
static HRESULT WINAPI data_CancelWrite(IDiscFormat2Data *iface)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (FAILED(hr = enter(f, DATA_CALL_CANCEL_WRITE, &ticket)))
        return hr;
    mmc_data_cancel(&f->writer);
    return leave(f, &ticket, S_OK);
}

/* Stored, sent to the drive when Write starts. CD recording here is CLV. */
static HRESULT WINAPI data_SetWriteSpeed(IDiscFormat2Data *iface, LONG sectors_per_second, VARIANT_BOOL pure_cav)
{
    struct data *f = impl_from_IDiscFormat2Data(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p %ld %d\n", iface, (long)sectors_per_second, pure_cav);
    if (FAILED(hr = enter(f, DATA_CALL_SET_WRITE_SPEED, &ticket)))
        return hr;
    if (sectors_per_second < FASTEST)
        return leave(f, &ticket, E_INVALIDARG);
    f->requested_speed = sectors_per_second;
    f->requested_cav = pure_cav ? VARIANT_TRUE : VARIANT_FALSE;
    return leave(f, &ticket, pure_cav ? S_IMAPI_ROTATIONADJUSTED : S_OK);
}

static const IDiscFormat2DataVtbl data_vtbl = {
    data_QueryInterface,
    data_AddRef,
    data_Release,
    data_GetTypeInfoCount,
    data_GetTypeInfo,
    data_GetIDsOfNames,
    data_Invoke,
    data_IsRecorderSupported,
    data_IsCurrentMediaSupported,
    data_get_MediaPhysicallyBlank,
    data_get_MediaHeuristicallyBlank,
    data_get_SupportedMediaTypes,
    data_put_Recorder,
    data_get_Recorder,
    data_put_BufferUnderrunFreeDisabled,
    data_get_BufferUnderrunFreeDisabled,
    data_put_PostgapAlreadyInImage,
    data_get_PostgapAlreadyInImage,
    data_get_CurrentMediaStatus,
    data_get_WriteProtectStatus,
    data_get_TotalSectorsOnMedia,
    data_get_FreeSectorsOnMedia,
    data_get_NextWritableAddress,
    data_get_StartAddressOfPreviousSession,
    data_get_LastWrittenAddressOfPreviousSession,
    data_put_ForceMediaToBeClosed,
    data_get_ForceMediaToBeClosed,
    data_put_DisableConsumerDvdCompatibilityMode,
    data_get_DisableConsumerDvdCompatibilityMode,
    data_get_CurrentPhysicalMediaType,
    data_put_ClientName,
    data_get_ClientName,
    data_get_RequestedWriteSpeed,
    data_get_RequestedRotationTypeIsPureCAV,
    data_get_CurrentWriteSpeed,
    data_get_CurrentRotationTypeIsPureCAV,
    data_get_SupportedWriteSpeeds,
    data_get_SupportedWriteSpeedDescriptors,
    data_put_ForceOverwrite,
    data_get_ForceOverwrite,
    data_get_MultisessionInterfaces,
    data_Write,
    data_CancelWrite,
    data_SetWriteSpeed,
};

/* ---- IBurnVerification ---- */

static HRESULT WINAPI verification_QueryInterface(IBurnVerification *iface, REFIID riid, void **out)
{
    return data_QueryInterface(&impl_from_IBurnVerification(iface)->IDiscFormat2Data_iface, riid, out);
}

static ULONG WINAPI verification_AddRef(IBurnVerification *iface)
{
    return data_AddRef(&impl_from_IBurnVerification(iface)->IDiscFormat2Data_iface);
}

static ULONG WINAPI verification_Release(IBurnVerification *iface)
{
    return data_Release(&impl_from_IBurnVerification(iface)->IDiscFormat2Data_iface);
}

/* Out of range: E_INVALIDARG; during Write: 0400 (ours, audit §5). */
static HRESULT WINAPI verification_put_BurnVerificationLevel(IBurnVerification *iface,
                                                             IMAPI_BURN_VERIFICATION_LEVEL value)
{
    struct data *f = impl_from_IBurnVerification(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p %d\n", iface, value);
    if (FAILED(hr = enter(f, DATA_CALL_PUT_OPTION, &ticket)))
        return hr;
    if (value < IMAPI_BURN_VERIFICATION_NONE || value > IMAPI_BURN_VERIFICATION_FULL)
        return leave(f, &ticket, E_INVALIDARG);
    f->verification = value;
    return leave(f, &ticket, S_OK);
}

static HRESULT WINAPI verification_get_BurnVerificationLevel(IBurnVerification *iface,
                                                             IMAPI_BURN_VERIFICATION_LEVEL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IBurnVerification(iface)->verification;
    return S_OK;
}

static const IBurnVerificationVtbl verification_vtbl = {
    verification_QueryInterface,
    verification_AddRef,
    verification_Release,
    verification_put_BurnVerificationLevel,
    verification_get_BurnVerificationLevel,
};

HRESULT data_create(IUnknown *outer, REFIID riid, void **out)
{
    struct data *f;
    HRESULT hr;
    (void)outer;
    if (!(f = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*f))))
        return E_OUTOFMEMORY;
    f->IDiscFormat2Data_iface.lpVtbl = &data_vtbl;
    f->IBurnVerification_iface.lpVtbl = &verification_vtbl;
    f->ref = 1;
    data_machine_init(&f->machine);
    f->bufe_disabled = f->postgap_in_image = f->force_close = VARIANT_FALSE;
    f->dvd_compat_disabled = f->force_overwrite = f->requested_cav = VARIANT_FALSE;
    f->requested_speed = FASTEST;
    f->verification = IMAPI_BURN_VERIFICATION_NONE;
    event_source_init(&f->source, (IUnknown *)&f->IDiscFormat2Data_iface, &CLSID_MsftDiscFormat2Data,
                      &IID_IDiscFormat2Data, &IID_DDiscFormat2DataEvents);
    imapi2_module_addref();
    hr = IDiscFormat2Data_QueryInterface(&f->IDiscFormat2Data_iface, riid, out);
    IDiscFormat2Data_Release(&f->IDiscFormat2Data_iface);
    return hr;
}
