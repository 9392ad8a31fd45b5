/* MsftMultisessionSequential (IMultisessionSequential2): what
 * IDiscFormat2Data::get_MultisessionInterfaces hands out for sequential
 * media, so that a file-system image can import the previous session and
 * lay out the next one. Not creatable (Windows registers no class). Its
 * values are those of the Data object's properties of the same name
 * [nn-imapi2-imultisessionsequential], taken from the medium when the
 * array was asked for (docs/data-audit.md §6, §10).
 *
 * Choices of ours: InUse is FALSE until set (the application or the image
 * picks the one to use, [nn-imapi2-imultisession]); IsFirstDataSession is
 * TRUE when the disc holds no complete session yet; WriteUnitSize is the
 * medium's ECC block (1 on CD, 16 on DVD, 32 on BD, audit §6); on a medium
 * Data cannot write the address values answer
 * E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, as Data's do. */
#include "multisession.h"

struct multisession {
    IMultisessionSequential2 IMultisessionSequential2_iface;
    LONG ref;
    IDiscRecorder2 *recorder;
    struct mmc_data_media media;
    bool postgap_in_image;
    VARIANT_BOOL in_use;
};

static inline struct multisession *impl_from_IMultisessionSequential2(IMultisessionSequential2 *iface)
{
    return CONTAINING_RECORD(iface, struct multisession, IMultisessionSequential2_iface);
}

static HRESULT multisession_fail(HRESULT hr)
{
    return imapi2_set_error(hr, &IID_IMultisessionSequential2);
}

static HRESULT WINAPI multisession_QueryInterface(IMultisessionSequential2 *iface, REFIID riid, void **out)
{
    TRACE("%p %s\n", iface, debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IMultisession) || IsEqualGUID(riid, &IID_IMultisessionSequential) ||
        IsEqualGUID(riid, &IID_IMultisessionSequential2)) {
        *out = iface;
        IMultisessionSequential2_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI multisession_AddRef(IMultisessionSequential2 *iface)
{
    return InterlockedIncrement(&impl_from_IMultisessionSequential2(iface)->ref);
}

static ULONG WINAPI multisession_Release(IMultisessionSequential2 *iface)
{
    struct multisession *m = impl_from_IMultisessionSequential2(iface);
    ULONG ref = InterlockedDecrement(&m->ref);
    if (!ref) {
        if (m->recorder)
            IDiscRecorder2_Release(m->recorder);
        HeapFree(GetProcessHeap(), 0, m);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(multisession, IMultisessionSequential2)

/* ---- IMultisession ---- */

/* A next session can go on the medium as it is
 * [nf-imapi2-imultisession-get_issupportedoncurrentmediastate]. */
static HRESULT WINAPI multisession_get_IsSupportedOnCurrentMediaState(IMultisessionSequential2 *iface,
                                                                      VARIANT_BOOL *value)
{
    const struct mmc_data_media *media = &impl_from_IMultisessionSequential2(iface)->media;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = media->writable && (media->state & MMC_DATA_STATE_APPENDABLE) && media->nwa_valid ? VARIANT_TRUE
                                                                                                : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI multisession_put_InUse(IMultisessionSequential2 *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    impl_from_IMultisessionSequential2(iface)->in_use = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI multisession_get_InUse(IMultisessionSequential2 *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IMultisessionSequential2(iface)->in_use;
    return S_OK;
}

static HRESULT WINAPI multisession_get_ImportRecorder(IMultisessionSequential2 *iface, IDiscRecorder2 **value)
{
    struct multisession *m = impl_from_IMultisessionSequential2(iface);
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = m->recorder;
    IDiscRecorder2_AddRef(m->recorder);
    return S_OK;
}

/* ---- IMultisessionSequential(2) ---- */

static HRESULT WINAPI multisession_get_IsFirstDataSession(IMultisessionSequential2 *iface, VARIANT_BOOL *value)
{
    const struct mmc_data_media *media = &impl_from_IMultisessionSequential2(iface)->media;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    if (!media->writable)
        return multisession_fail(E_IMAPI_DF2DATA_INVALID_MEDIA_STATE);
    *value = media->previous_start < 0 ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

enum address { PREVIOUS_START, PREVIOUS_LAST, NEXT_WRITABLE, FREE_SECTORS, WRITE_UNIT };

static HRESULT address(IMultisessionSequential2 *iface, enum address which, LONG *value)
{
    struct multisession *m = impl_from_IMultisessionSequential2(iface);
    int32_t nwa;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (!m->media.writable)
        return multisession_fail(E_IMAPI_DF2DATA_INVALID_MEDIA_STATE);
    switch (which) {
    case PREVIOUS_START: *value = m->media.previous_start; return S_OK;
    case PREVIOUS_LAST: *value = m->media.previous_last; return S_OK;
    case FREE_SECTORS: *value = (LONG)mmc_data_free_sectors(&m->media, m->postgap_in_image); return S_OK;
    case WRITE_UNIT: *value = (LONG)mmc_data_write_unit(m->media.profile); return S_OK;
    case NEXT_WRITABLE: break;
    }
    if (FAILED(hr = mmc_data_next_writable(&m->media, &nwa)))
        return multisession_fail(hr);
    *value = nwa;
    return S_OK;
}

static HRESULT WINAPI multisession_get_StartAddressOfPreviousSession(IMultisessionSequential2 *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return address(iface, PREVIOUS_START, value);
}

static HRESULT WINAPI multisession_get_LastWrittenAddressOfPreviousSession(IMultisessionSequential2 *iface,
                                                                            LONG *value)
{
    TRACE("%p\n", iface);
    return address(iface, PREVIOUS_LAST, value);
}

static HRESULT WINAPI multisession_get_NextWritableAddress(IMultisessionSequential2 *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return address(iface, NEXT_WRITABLE, value);
}

static HRESULT WINAPI multisession_get_FreeSectorsOnMedia(IMultisessionSequential2 *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return address(iface, FREE_SECTORS, value);
}

static HRESULT WINAPI multisession_get_WriteUnitSize(IMultisessionSequential2 *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return address(iface, WRITE_UNIT, value);
}

static const IMultisessionSequential2Vtbl multisession_vtbl = {
    multisession_QueryInterface,
    multisession_AddRef,
    multisession_Release,
    multisession_GetTypeInfoCount,
    multisession_GetTypeInfo,
    multisession_GetIDsOfNames,
    multisession_Invoke,
    multisession_get_IsSupportedOnCurrentMediaState,
    multisession_put_InUse,
    multisession_get_InUse,
    multisession_get_ImportRecorder,
    multisession_get_IsFirstDataSession,
    multisession_get_StartAddressOfPreviousSession,
    multisession_get_LastWrittenAddressOfPreviousSession,
    multisession_get_NextWritableAddress,
    multisession_get_FreeSectorsOnMedia,
    multisession_get_WriteUnitSize,
};

HRESULT multisession_sequential_create(IDiscRecorder2 *recorder, const struct mmc_data_media *media,
                                       BOOL postgap_in_image, IDispatch **out)
{
    struct multisession *m;
    if (!(m = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*m))))
        return E_OUTOFMEMORY;
    m->IMultisessionSequential2_iface.lpVtbl = &multisession_vtbl;
    m->ref = 1;
    m->recorder = recorder;
    IDiscRecorder2_AddRef(recorder);
    m->media = *media;
    m->postgap_in_image = postgap_in_image != FALSE;
    m->in_use = VARIANT_FALSE;
    imapi2_module_addref();
    *out = (IDispatch *)&m->IMultisessionSequential2_iface;
    return S_OK;
}
