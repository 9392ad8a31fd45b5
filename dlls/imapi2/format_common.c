/* Helpers the IDiscFormat2 writers share (format_common.h). */
#include "format_common.h"
#include "media_type.h"
#include "recorder.h"
#include "writespeed.h"

uint16_t format_requested_kbs(LONG sectors_per_second)
{
    return sectors_per_second == FASTEST ? MMC_SPEED_MAX
                                         : (uint16_t)min(CD_KBS_FROM_SECTORS(sectors_per_second), MMC_SPEED_MAX - 1);
}

HRESULT speeds_job(struct mmc_device *dev, void *ctx)
{
    struct speed_list *list = ctx;
    HRESULT hr;
    memset(list, 0, sizeof(*list));
    hr = mmc_query_write_speeds(dev, &list->speeds);
    if (SUCCEEDED(hr))
        hr = media_physical_type(dev, &list->media_type);
    return hr;
}

HRESULT tray_job(struct mmc_device *dev, void *ctx)
{
    return drive_prevent_removal(dev, *(const bool *)ctx);
}

HRESULT disc_info_job(struct mmc_device *dev, void *ctx)
{
    return mmc_query_disc_info(dev, ctx);
}

HRESULT media_type_job(struct mmc_device *dev, void *ctx)
{
    return media_physical_type(dev, ctx);
}

HRESULT capabilities_job(struct mmc_device *dev, void *ctx)
{
    return mmc_query_capabilities(dev, ctx);
}

static HRESULT speed_element(const struct speed_list *list, size_t index, BOOL descriptor, VARIANT *out)
{
    LONG sps = (LONG)CD_SECTORS_FROM_KBS(list->speeds.d[index].write_kbs);
    if (!descriptor) {
        V_VT(out) = VT_UI4;
        V_UI4(out) = (ULONG)sps;
        return S_OK;
    }
    V_VT(out) = VT_DISPATCH;
    return write_speed_create(list->media_type, list->speeds.d[index].wrc == 1, sps, &V_DISPATCH(out));
}

HRESULT speed_list_array(const struct speed_list *list, BOOL descriptors, SAFEARRAY **value)
{
    SAFEARRAY *sa;
    HRESULT hr = S_OK;
    if (!(sa = SafeArrayCreateVector(VT_VARIANT, 0, (ULONG)list->speeds.count)))
        return E_OUTOFMEMORY;
    for (LONG i = 0; SUCCEEDED(hr) && i < (LONG)list->speeds.count; i++) {
        VARIANT v;
        VariantInit(&v);
        if (SUCCEEDED(hr = speed_element(list, (size_t)i, descriptors, &v)))
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

static HRESULT support_job(struct mmc_device *dev, void *ctx)
{
    struct support_query *q = ctx;
    struct mmc_configuration *config = HeapAlloc(GetProcessHeap(), 0, sizeof(*config));
    HRESULT hr;
    if (!config)
        return E_OUTOFMEMORY;
    hr = mmc_query_configuration(dev, MMC_RT_ALL, 0, config);
    if (SUCCEEDED(hr)) {
        q->capable = q->capable_of(config);
        q->media_ok = q->capable && (q->media_of ? q->media_of(config->current_profile)
                                                 : config->current_profile == MMC_PROFILE_CD_R ||
                                                       config->current_profile == MMC_PROFILE_CD_RW);
        if (!config->current_profile)
            hr = E_IMAPI_RECORDER_MEDIA_NO_MEDIA;
    }
    HeapFree(GetProcessHeap(), 0, config);
    return hr;
}

HRESULT query_support(IDiscRecorder2 *recorder, struct support_query *q)
{
    IDiscRecorder2 *ours;
    HRESULT hr;
    q->capable = q->media_ok = false;
    if (FAILED(hr = recorder_own(recorder, &ours)))
        return hr;
    hr = recorder_run(ours, support_job, q);
    IDiscRecorder2_Release(ours);
    return hr;
}

HRESULT ask_support(IDiscRecorder2 *recorder, VARIANT_BOOL *value, struct support_query *q)
{
    q->capable = q->media_ok = false;
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    return recorder ? query_support(recorder, q) : E_POINTER;
}

int32_t format_stream_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    ULONG read = 0;
    HRESULT hr = IStream_Read((IStream *)ctx, buf, len, &read);
    *got = read;
    return FAILED(hr) ? hr : S_OK;
}

void format_fire_update(struct connection_point *point, DISPID id, IDispatch *object, format_progress_create_fn create,
                        LONG action, const struct mmc_write_progress *p)
{
    struct write_progress_values v;
    IDispatch *progress;
    VARIANT args[2];
    DISPPARAMS params = { args, NULL, 2, 0 };
    v.track = p->track;
    v.action = action;
    v.start_lba = p->start_lba;
    v.sector_count = (LONG)p->sector_count;
    v.last_read_lba = p->last_read_lba;
    v.last_written_lba = p->last_written_lba;
    v.total_system_buffer = (LONG)p->total_system_buffer;
    v.used_system_buffer = (LONG)p->used_system_buffer;
    v.free_system_buffer = (LONG)p->free_system_buffer;
    v.elapsed_s = (LONG)p->elapsed_s;
    v.remaining_s = (LONG)p->remaining_s;
    v.total_s = (LONG)(p->elapsed_s + p->remaining_s);
    if (FAILED(create(&v, &progress)))
        return;
    /* DISPPARAMS run backwards: rgvarg[0] is the last argument. */
    V_VT(&args[1]) = VT_DISPATCH;
    V_DISPATCH(&args[1]) = object;
    V_VT(&args[0]) = VT_DISPATCH;
    V_DISPATCH(&args[0]) = progress;
    connection_point_fire(point, id, &params);
    IDispatch_Release(progress);
}

/* ---- the state machine bracket ---- */

void format_machine_init(struct format_machine *fm, const struct state_table *t, const IID *iid)
{
    state_machine_init(&fm->m, t);
    fm->iid = iid;
}

HRESULT format_fail(const struct format_machine *fm, HRESULT hr)
{
    return imapi2_set_error(hr, fm->iid);
}

HRESULT format_enter(struct format_machine *fm, int call, struct state_ticket *ticket)
{
    return format_fail(fm, (HRESULT)state_machine_enter(&fm->m, call, ticket));
}

HRESULT format_leave(struct format_machine *fm, const struct state_ticket *ticket, HRESULT hr)
{
    state_machine_leave(&fm->m, ticket, SUCCEEDED(hr) ? STATE_SUCCEEDED : STATE_REFUSED);
    return format_fail(fm, hr);
}

HRESULT format_enter_get(struct format_machine *fm, int call, int *answer)
{
    struct state_ticket ticket;
    HRESULT hr = format_enter(fm, call, &ticket);
    if (SUCCEEDED(hr))
        *answer = ticket.rule->answer;
    return hr;
}

/* ---- the answers every writer gives alike ---- */

/* A get checked by `call`: *cached when the table says the session's value
 * answers, else job has asked the drive into ctx. */
static HRESULT answer_of(struct format_machine *fm, int call, IDiscRecorder2 *recorder, recorder_job job, void *ctx,
                         BOOL *cached)
{
    int answer;
    HRESULT hr;
    if (FAILED(hr = format_enter_get(fm, call, &answer)))
        return hr;
    *cached = answer == STATE_ANSWER_CACHE;
    return *cached ? S_OK : format_fail(fm, recorder_run(recorder, job, ctx));
}

HRESULT format_get_blank(struct format_machine *fm, int call, IDiscRecorder2 *recorder, BOOL written,
                         VARIANT_BOOL *value)
{
    struct mmc_disc_info info;
    BOOL cached;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (FAILED(hr = answer_of(fm, call, recorder, disc_info_job, &info, &cached)))
        return hr;
    /* writing: blank until the first WRITE */
    *value = (cached ? !written : info.disc_status == MMC_DISC_EMPTY) ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

HRESULT format_get_write_speed(struct format_machine *fm, int call, IDiscRecorder2 *recorder, uint16_t cached_kbs,
                               LONG *value)
{
    struct mmc_capabilities caps;
    BOOL cached;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (FAILED(hr = answer_of(fm, call, recorder, capabilities_job, &caps, &cached)))
        return hr;
    *value = (LONG)CD_SECTORS_FROM_KBS(cached                    ? cached_kbs
                              : caps.has_selected_speed ? caps.selected_write_kbs
                                                        : caps.current_write_kbs);
    return S_OK;
}

HRESULT format_get_media_type(struct format_machine *fm, int call, IDiscRecorder2 *recorder, uint16_t cached_profile,
                              IMAPI_MEDIA_PHYSICAL_TYPE *value)
{
    BOOL cached;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (SUCCEEDED(hr = answer_of(fm, call, recorder, media_type_job, value, &cached)) && cached)
        *value = media_type_from_profile(cached_profile);
    return hr;
}

HRESULT format_get_pure_cav(struct format_machine *fm, int call, VARIANT_BOOL *value)
{
    int answer;
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    return format_enter_get(fm, call, &answer);
}

HRESULT format_get_speeds(struct format_machine *fm, int call, IDiscRecorder2 *recorder,
                          const struct speed_list *cached, BOOL descriptors, SAFEARRAY **value)
{
    struct speed_list asked;
    BOOL from_cache;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = answer_of(fm, call, recorder, speeds_job, &asked, &from_cache)))
        return hr;
    return speed_list_array(from_cache ? cached : &asked, descriptors, value);
}

HRESULT format_set_write_speed(struct format_machine *fm, int call, LONG sectors_per_second, VARIANT_BOOL pure_cav,
                               LONG *speed, VARIANT_BOOL *cav)
{
    struct state_ticket ticket;
    HRESULT hr;
    if (FAILED(hr = format_enter(fm, call, &ticket)))
        return hr;
    if (sectors_per_second < FASTEST)
        return format_leave(fm, &ticket, E_INVALIDARG);
    *speed = sectors_per_second;
    *cav = pure_cav ? VARIANT_TRUE : VARIANT_FALSE;
    return format_leave(fm, &ticket, pure_cav ? S_IMAPI_ROTATIONADJUSTED : S_OK);
}

HRESULT format_put_recorder(struct format_machine *fm, int put_call, int clear_call, format_capable_fn capable_of,
                            HRESULT not_supported, IDiscRecorder2 **recorder, IDiscRecorder2 *value)
{
    struct support_query q = { capable_of, false, false, NULL };
    struct state_ticket ticket;
    IDiscRecorder2 *ours = NULL;
    HRESULT hr;
    if (FAILED(hr = format_enter(fm, value ? put_call : clear_call, &ticket)))
        return hr;
    if (value) {
        hr = query_support(value, &q);
        if (hr == E_IMAPI_RECORDER_LOCKED)
            q.capable = true;
        else if (FAILED(hr) && hr != E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
            return format_leave(fm, &ticket, hr);
        if (!q.capable)
            return format_leave(fm, &ticket, not_supported);
        if (FAILED(hr = recorder_own(value, &ours)))
            return format_leave(fm, &ticket, hr);
    }
    if (*recorder)
        IDiscRecorder2_Release(*recorder);
    *recorder = ours;
    return format_leave(fm, &ticket, S_OK);
}

HRESULT format_get_recorder(IDiscRecorder2 *recorder, IDiscRecorder2 **value)
{
    if (!value)
        return E_POINTER;
    *value = recorder;
    if (recorder)
        IDiscRecorder2_AddRef(recorder);
    return S_OK;
}

HRESULT format_get_client_name(BSTR name, BSTR *value)
{
    if (!value)
        return E_POINTER;
    *value = SysAllocString(name ? name : L"");
    return *value ? S_OK : E_OUTOFMEMORY;
}
