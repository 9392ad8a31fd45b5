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

void format_fire_update(struct connection_point *point, DISPID id, IDispatch *object, IDispatch *progress)
{
    VARIANT args[2];
    DISPPARAMS params = { args, NULL, 2, 0 };
    /* DISPPARAMS run backwards: rgvarg[0] is the last argument. */
    V_VT(&args[1]) = VT_DISPATCH;
    V_DISPATCH(&args[1]) = object;
    V_VT(&args[0]) = VT_DISPATCH;
    V_DISPATCH(&args[0]) = progress;
    connection_point_fire(point, id, &params);
}
