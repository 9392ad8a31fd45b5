/* The interfaces every event-raising coclass shares: IConnectionPointContainer
 * with its one source point, IProvideClassInfo2 (so script hosts find the
 * default source interface) and ISupportErrorInfo. Embedded in the object;
 * IUnknown goes to the owner. */
#include "imapi2_private.h"

static inline struct event_source *impl_from_ICPC(IConnectionPointContainer *iface)
{
    return CONTAINING_RECORD(iface, struct event_source, IConnectionPointContainer_iface);
}
static inline struct event_source *impl_from_IPCI(IProvideClassInfo2 *iface)
{
    return CONTAINING_RECORD(iface, struct event_source, IProvideClassInfo2_iface);
}
static inline struct event_source *impl_from_ISEI(ISupportErrorInfo *iface)
{
    return CONTAINING_RECORD(iface, struct event_source, ISupportErrorInfo_iface);
}

/* ---- IConnectionPointContainer ---- */
static HRESULT WINAPI cpc_QueryInterface(IConnectionPointContainer *iface, REFIID riid, void **out)
{
    return IUnknown_QueryInterface(impl_from_ICPC(iface)->owner, riid, out);
}
static ULONG WINAPI cpc_AddRef(IConnectionPointContainer *iface)
{
    return IUnknown_AddRef(impl_from_ICPC(iface)->owner);
}
static ULONG WINAPI cpc_Release(IConnectionPointContainer *iface)
{
    return IUnknown_Release(impl_from_ICPC(iface)->owner);
}
static HRESULT WINAPI cpc_EnumConnectionPoints(IConnectionPointContainer *iface, IEnumConnectionPoints **out)
{
    struct connection_point *point = &impl_from_ICPC(iface)->point;
    return connection_points_enum(&point, 1, out);
}
static HRESULT WINAPI cpc_FindConnectionPoint(IConnectionPointContainer *iface, REFIID riid, IConnectionPoint **out)
{
    struct connection_point *point = &impl_from_ICPC(iface)->point;
    return connection_points_find(&point, 1, riid, out);
}
static const IConnectionPointContainerVtbl cpc_vtbl = {
    cpc_QueryInterface, cpc_AddRef, cpc_Release, cpc_EnumConnectionPoints, cpc_FindConnectionPoint,
};

/* ---- IProvideClassInfo2 ---- */
static HRESULT WINAPI pci_QueryInterface(IProvideClassInfo2 *iface, REFIID riid, void **out)
{
    return IUnknown_QueryInterface(impl_from_IPCI(iface)->owner, riid, out);
}
static ULONG WINAPI pci_AddRef(IProvideClassInfo2 *iface)
{
    return IUnknown_AddRef(impl_from_IPCI(iface)->owner);
}
static ULONG WINAPI pci_Release(IProvideClassInfo2 *iface)
{
    return IUnknown_Release(impl_from_IPCI(iface)->owner);
}
static HRESULT WINAPI pci_GetClassInfo(IProvideClassInfo2 *iface, ITypeInfo **out)
{
    return provide_class_info_get(impl_from_IPCI(iface)->clsid, out);
}
static HRESULT WINAPI pci_GetGUID(IProvideClassInfo2 *iface, DWORD kind, GUID *out)
{
    return provide_class_info_get_guid(&impl_from_IPCI(iface)->point.iid, kind, out);
}
static const IProvideClassInfo2Vtbl pci_vtbl = {
    pci_QueryInterface, pci_AddRef, pci_Release, pci_GetClassInfo, pci_GetGUID,
};

/* ---- ISupportErrorInfo ---- */
static HRESULT WINAPI sei_QueryInterface(ISupportErrorInfo *iface, REFIID riid, void **out)
{
    return IUnknown_QueryInterface(impl_from_ISEI(iface)->owner, riid, out);
}
static ULONG WINAPI sei_AddRef(ISupportErrorInfo *iface)
{
    return IUnknown_AddRef(impl_from_ISEI(iface)->owner);
}
static ULONG WINAPI sei_Release(ISupportErrorInfo *iface)
{
    return IUnknown_Release(impl_from_ISEI(iface)->owner);
}
static HRESULT WINAPI sei_InterfaceSupportsErrorInfo(ISupportErrorInfo *iface, REFIID riid)
{
    struct event_source *s = impl_from_ISEI(iface);
    return imapi2_support_error_info(riid, &s->error_iid, 1);
}
static const ISupportErrorInfoVtbl sei_vtbl = {
    sei_QueryInterface, sei_AddRef, sei_Release, sei_InterfaceSupportsErrorInfo,
};

void event_source_init(struct event_source *s, IUnknown *owner, const CLSID *clsid, const IID *main_iid,
                       const IID *source_iid)
{
    s->IConnectionPointContainer_iface.lpVtbl = &cpc_vtbl;
    s->IProvideClassInfo2_iface.lpVtbl = &pci_vtbl;
    s->ISupportErrorInfo_iface.lpVtbl = &sei_vtbl;
    s->owner = owner;
    s->clsid = clsid;
    s->error_iid = main_iid;
    s->has_events = source_iid != NULL;
    connection_point_init(&s->point, source_iid ? source_iid : &GUID_NULL, &s->IConnectionPointContainer_iface);
}

void event_source_destroy(struct event_source *s)
{
    connection_point_destroy(&s->point);
}

BOOL event_source_query(struct event_source *s, REFIID riid, void **out)
{
    if (IsEqualGUID(riid, &IID_ISupportErrorInfo))
        *out = &s->ISupportErrorInfo_iface;
    else if (s->has_events && IsEqualGUID(riid, &IID_IConnectionPointContainer))
        *out = &s->IConnectionPointContainer_iface;
    else if (s->has_events && (IsEqualGUID(riid, &IID_IProvideClassInfo2) || IsEqualGUID(riid, &IID_IProvideClassInfo)))
        *out = &s->IProvideClassInfo2_iface;
    else
        return FALSE;
    IUnknown_AddRef((IUnknown *)*out);
    return TRUE;
}
