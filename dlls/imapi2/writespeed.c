/* MsftWriteSpeedDescriptor: one write speed a recorder offers for the disc in
 * it (not creatable; handed out by SupportedWriteSpeedDescriptors). */
#include "imapi2_private.h"
#include "writespeed.h"

struct write_speed {
    IWriteSpeedDescriptor IWriteSpeedDescriptor_iface;
    LONG ref;
    IMAPI_MEDIA_PHYSICAL_TYPE media_type;
    BOOL pure_cav;
    LONG sectors_per_second;
};

static inline struct write_speed *impl_from_IWriteSpeedDescriptor(IWriteSpeedDescriptor *iface)
{
    return CONTAINING_RECORD(iface, struct write_speed, IWriteSpeedDescriptor_iface);
}

static HRESULT WINAPI speed_QueryInterface(IWriteSpeedDescriptor *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IWriteSpeedDescriptor)) {
        *out = iface;
        IWriteSpeedDescriptor_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI speed_AddRef(IWriteSpeedDescriptor *iface)
{
    return InterlockedIncrement(&impl_from_IWriteSpeedDescriptor(iface)->ref);
}

static ULONG WINAPI speed_Release(IWriteSpeedDescriptor *iface)
{
    struct write_speed *s = impl_from_IWriteSpeedDescriptor(iface);
    ULONG ref = InterlockedDecrement(&s->ref);
    if (!ref) {
        HeapFree(GetProcessHeap(), 0, s);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(speed, IWriteSpeedDescriptor)

static HRESULT WINAPI speed_get_MediaType(IWriteSpeedDescriptor *iface, IMAPI_MEDIA_PHYSICAL_TYPE *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IWriteSpeedDescriptor(iface)->media_type;
    return S_OK;
}

static HRESULT WINAPI speed_get_RotationTypeIsPureCAV(IWriteSpeedDescriptor *iface, VARIANT_BOOL *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IWriteSpeedDescriptor(iface)->pure_cav ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI speed_get_WriteSpeed(IWriteSpeedDescriptor *iface, LONG *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IWriteSpeedDescriptor(iface)->sectors_per_second;
    return S_OK;
}

static const IWriteSpeedDescriptorVtbl speed_vtbl = {
    speed_QueryInterface,
    speed_AddRef,
    speed_Release,
    speed_GetTypeInfoCount,
    speed_GetTypeInfo,
    speed_GetIDsOfNames,
    speed_Invoke,
    speed_get_MediaType,
    speed_get_RotationTypeIsPureCAV,
    speed_get_WriteSpeed,
};

HRESULT write_speed_create(IMAPI_MEDIA_PHYSICAL_TYPE media_type, BOOL pure_cav, LONG sectors_per_second,
                           IDispatch **out)
{
    struct write_speed *s = HeapAlloc(GetProcessHeap(), 0, sizeof(*s));
    if (!s)
        return E_OUTOFMEMORY;
    s->IWriteSpeedDescriptor_iface.lpVtbl = &speed_vtbl;
    s->ref = 1;
    s->media_type = media_type;
    s->pure_cav = pure_cav;
    s->sectors_per_second = sectors_per_second;
    imapi2_module_addref();
    *out = (IDispatch *)&s->IWriteSpeedDescriptor_iface;
    return S_OK;
}
