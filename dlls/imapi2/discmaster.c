/* MsftDiscMaster2: the list of recorders, by unique ID. */
#include "imapi2_private.h"
#include "devices.h"

struct discmaster {
    IDiscMaster2 IDiscMaster2_iface;
    struct event_source source; /* DDiscMaster2Events */
    LONG ref;
};

static inline struct discmaster *impl_from_IDiscMaster2(IDiscMaster2 *iface)
{
    return CONTAINING_RECORD(iface, struct discmaster, IDiscMaster2_iface);
}

static HRESULT WINAPI discmaster_QueryInterface(IDiscMaster2 *iface, REFIID riid, void **out)
{
    struct discmaster *dm = impl_from_IDiscMaster2(iface);
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IDiscMaster2)) {
        *out = iface;
        IDiscMaster2_AddRef(iface);
        return S_OK;
    }
    if (event_source_query(&dm->source, riid, out))
        return S_OK;
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI discmaster_AddRef(IDiscMaster2 *iface)
{
    return InterlockedIncrement(&impl_from_IDiscMaster2(iface)->ref);
}

static ULONG WINAPI discmaster_Release(IDiscMaster2 *iface)
{
    struct discmaster *dm = impl_from_IDiscMaster2(iface);
    ULONG ref = InterlockedDecrement(&dm->ref);
    if (!ref) {
        event_source_destroy(&dm->source);
        HeapFree(GetProcessHeap(), 0, dm);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(discmaster, IDiscMaster2)

static HRESULT WINAPI discmaster_get__NewEnum(IDiscMaster2 *iface, IEnumVARIANT **out)
{
    struct device_entry *list;
    unsigned count;
    VARIANT *ids;
    HRESULT hr;
    (void)iface;
    TRACE("\n");
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (FAILED(hr = devices_list(&list, &count)))
        return hr;
    ids = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (count ? count : 1) * sizeof(*ids));
    hr = ids ? S_OK : E_OUTOFMEMORY;
    for (unsigned i = 0; SUCCEEDED(hr) && i < count; i++) {
        V_VT(&ids[i]) = VT_BSTR;
        if (!(V_BSTR(&ids[i]) = SysAllocString(list[i].unique_id)))
            hr = E_OUTOFMEMORY;
    }
    if (SUCCEEDED(hr))
        hr = enum_variant_create(ids, count, out);
    for (unsigned i = 0; ids && i < count; i++)
        VariantClear(&ids[i]);
    HeapFree(GetProcessHeap(), 0, ids);
    HeapFree(GetProcessHeap(), 0, list);
    return hr;
}

static HRESULT WINAPI discmaster_get_Item(IDiscMaster2 *iface, LONG index, BSTR *value)
{
    struct device_entry *list;
    unsigned count;
    HRESULT hr;
    (void)iface;
    TRACE("%ld\n", (long)index);
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = devices_list(&list, &count)))
        return hr;
    if (index < 0 || (unsigned)index >= count)
        hr = E_INVALIDARG;
    else if (!(*value = SysAllocString(list[index].unique_id)))
        hr = E_OUTOFMEMORY;
    HeapFree(GetProcessHeap(), 0, list);
    return hr;
}

static HRESULT WINAPI discmaster_get_Count(IDiscMaster2 *iface, LONG *value)
{
    struct device_entry *list;
    unsigned count;
    HRESULT hr;
    (void)iface;
    if (!value)
        return E_POINTER;
    if (FAILED(hr = devices_list(&list, &count)))
        return hr;
    HeapFree(GetProcessHeap(), 0, list);
    *value = (LONG)count;
    return S_OK;
}

/* TRUE when there is at least one recorder this caller can use. */
static HRESULT WINAPI discmaster_get_IsSupportedEnvironment(IDiscMaster2 *iface, VARIANT_BOOL *value)
{
    LONG count;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (FAILED(hr = discmaster_get_Count(iface, &count)))
        return hr;
    *value = count > 0 ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static const IDiscMaster2Vtbl discmaster_vtbl = {
    discmaster_QueryInterface,
    discmaster_AddRef,
    discmaster_Release,
    discmaster_GetTypeInfoCount,
    discmaster_GetTypeInfo,
    discmaster_GetIDsOfNames,
    discmaster_Invoke,
    discmaster_get__NewEnum,
    discmaster_get_Item,
    discmaster_get_Count,
    discmaster_get_IsSupportedEnvironment,
};

HRESULT discmaster_create(IUnknown *outer, REFIID riid, void **out)
{
    struct discmaster *dm;
    HRESULT hr;
    (void)outer;
    if (!(dm = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*dm))))
        return E_OUTOFMEMORY;
    dm->IDiscMaster2_iface.lpVtbl = &discmaster_vtbl;
    dm->ref = 1;
    event_source_init(&dm->source, (IUnknown *)&dm->IDiscMaster2_iface, &CLSID_MsftDiscMaster2,
                      &IID_IDiscMaster2, &IID_DDiscMaster2Events);
    imapi2_module_addref();
    hr = IDiscMaster2_QueryInterface(&dm->IDiscMaster2_iface, riid, out);
    IDiscMaster2_Release(&dm->IDiscMaster2_iface);
    return hr;
}
