/* Connection points shared by every event source: sinks in an array
 * (cookie = index + 1), Advise accepting the event interface or plain
 * IDispatch, and one fire() that survives sinks misbehaving during the call. */
#include "imapi2_private.h"

/* Missing from mingw's libuuid. */
static const IID iid_dispatch_ex = {
    0xa6ef9860, 0xc720, 0x11d0, { 0x93, 0x37, 0x00, 0xa0, 0xc9, 0x0d, 0xca, 0xa9 }
};

static inline struct connection_point *impl_from_IConnectionPoint(IConnectionPoint *iface)
{
    return CONTAINING_RECORD(iface, struct connection_point, IConnectionPoint_iface);
}

static HRESULT WINAPI cp_QueryInterface(IConnectionPoint *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IConnectionPoint)) {
        *out = iface;
        IConnectionPoint_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI cp_AddRef(IConnectionPoint *iface)
{
    return IConnectionPointContainer_AddRef(impl_from_IConnectionPoint(iface)->container);
}

static ULONG WINAPI cp_Release(IConnectionPoint *iface)
{
    return IConnectionPointContainer_Release(impl_from_IConnectionPoint(iface)->container);
}

static HRESULT WINAPI cp_GetConnectionInterface(IConnectionPoint *iface, IID *iid)
{
    if (!iid)
        return E_POINTER;
    *iid = impl_from_IConnectionPoint(iface)->iid;
    return S_OK;
}

static HRESULT WINAPI cp_GetConnectionPointContainer(IConnectionPoint *iface, IConnectionPointContainer **out)
{
    struct connection_point *cp = impl_from_IConnectionPoint(iface);
    if (!out)
        return E_POINTER;
    *out = cp->container;
    IConnectionPointContainer_AddRef(cp->container);
    return S_OK;
}

/* Lets the owner start or stop work that only matters while someone listens. */
static void notify_sinks_changed(struct connection_point *cp)
{
    DWORD count = 0;
    if (!cp->sinks_changed)
        return;
    for (DWORD i = 0; i < cp->sinks_size; i++)
        count += cp->sinks[i] != NULL;
    cp->sinks_changed(cp, count);
}

static HRESULT WINAPI cp_Advise(IConnectionPoint *iface, IUnknown *sink_unk, DWORD *cookie)
{
    struct connection_point *cp = impl_from_IConnectionPoint(iface);
    IUnknown *sink;
    DWORD slot;

    TRACE("%p %s\n", sink_unk, debugstr_guid(&cp->iid));
    if (!cookie)
        return E_POINTER;
    *cookie = 0;
    if (!sink_unk)
        return E_POINTER;
    if (FAILED(IUnknown_QueryInterface(sink_unk, &cp->iid, (void **)&sink)) &&
        FAILED(IUnknown_QueryInterface(sink_unk, &IID_IDispatch, (void **)&sink)))
        return CONNECT_E_CANNOTCONNECT;

    for (slot = 0; slot < cp->sinks_size; slot++)
        if (!cp->sinks[slot])
            break;
    if (slot == cp->sinks_size) {
        DWORD new_size = cp->sinks_size ? cp->sinks_size * 2 : 4;
        IUnknown **grown = CoTaskMemRealloc(cp->sinks, new_size * sizeof(*grown));
        if (!grown) {
            IUnknown_Release(sink);
            return E_OUTOFMEMORY;
        }
        ZeroMemory(grown + cp->sinks_size, (new_size - cp->sinks_size) * sizeof(*grown));
        cp->sinks = grown;
        cp->sinks_size = new_size;
    }
    cp->sinks[slot] = sink;
    *cookie = slot + 1;
    notify_sinks_changed(cp);
    return S_OK;
}

static HRESULT WINAPI cp_Unadvise(IConnectionPoint *iface, DWORD cookie)
{
    struct connection_point *cp = impl_from_IConnectionPoint(iface);
    IUnknown *sink;
    TRACE("%lu\n", (unsigned long)cookie);
    if (!cookie || cookie > cp->sinks_size || !cp->sinks[cookie - 1])
        return CONNECT_E_NOCONNECTION;
    sink = cp->sinks[cookie - 1];
    cp->sinks[cookie - 1] = NULL;
    IUnknown_Release(sink);
    notify_sinks_changed(cp);
    return S_OK;
}

/* ---- IEnumConnections over a snapshot of the sinks ---- */
struct enum_connections {
    IEnumConnections IEnumConnections_iface;
    LONG ref;
    CONNECTDATA *items;
    ULONG count, pos;
};

static inline struct enum_connections *impl_from_IEnumConnections(IEnumConnections *iface)
{
    return CONTAINING_RECORD(iface, struct enum_connections, IEnumConnections_iface);
}

static HRESULT enum_connections_create(const CONNECTDATA *items, ULONG count, ULONG pos, IEnumConnections **out);

static HRESULT WINAPI ec_QueryInterface(IEnumConnections *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IEnumConnections)) {
        *out = iface;
        IEnumConnections_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI ec_AddRef(IEnumConnections *iface)
{
    return InterlockedIncrement(&impl_from_IEnumConnections(iface)->ref);
}

static ULONG WINAPI ec_Release(IEnumConnections *iface)
{
    struct enum_connections *e = impl_from_IEnumConnections(iface);
    ULONG ref = InterlockedDecrement(&e->ref);
    if (!ref) {
        for (ULONG i = 0; i < e->count; i++)
            IUnknown_Release(e->items[i].pUnk);
        CoTaskMemFree(e->items);
        CoTaskMemFree(e);
        imapi2_module_release();
    }
    return ref;
}

static HRESULT WINAPI ec_Next(IEnumConnections *iface, ULONG count, CONNECTDATA *out, ULONG *fetched)
{
    struct enum_connections *e = impl_from_IEnumConnections(iface);
    ULONG n = 0;
    if (!out || (count > 1 && !fetched))
        return E_POINTER;
    while (n < count && e->pos < e->count) {
        out[n] = e->items[e->pos++];
        IUnknown_AddRef(out[n].pUnk);
        n++;
    }
    if (fetched)
        *fetched = n;
    return n == count ? S_OK : S_FALSE;
}

static HRESULT WINAPI ec_Skip(IEnumConnections *iface, ULONG count)
{
    struct enum_connections *e = impl_from_IEnumConnections(iface);
    ULONG left = e->count - e->pos;
    e->pos += count < left ? count : left;
    return count <= left ? S_OK : S_FALSE;
}

static HRESULT WINAPI ec_Reset(IEnumConnections *iface)
{
    impl_from_IEnumConnections(iface)->pos = 0;
    return S_OK;
}

static HRESULT WINAPI ec_Clone(IEnumConnections *iface, IEnumConnections **out)
{
    struct enum_connections *e = impl_from_IEnumConnections(iface);
    if (!out)
        return E_POINTER;
    return enum_connections_create(e->items, e->count, e->pos, out);
}

static const IEnumConnectionsVtbl enum_connections_vtbl = {
    ec_QueryInterface, ec_AddRef, ec_Release, ec_Next, ec_Skip, ec_Reset, ec_Clone,
};

static HRESULT enum_connections_create(const CONNECTDATA *items, ULONG count, ULONG pos, IEnumConnections **out)
{
    struct enum_connections *e = CoTaskMemAlloc(sizeof(*e));
    *out = NULL;
    if (!e)
        return E_OUTOFMEMORY;
    e->items = CoTaskMemAlloc((count ? count : 1) * sizeof(*e->items));
    if (!e->items) {
        CoTaskMemFree(e);
        return E_OUTOFMEMORY;
    }
    for (ULONG i = 0; i < count; i++) {
        e->items[i] = items[i];
        IUnknown_AddRef(e->items[i].pUnk);
    }
    e->IEnumConnections_iface.lpVtbl = &enum_connections_vtbl;
    e->ref = 1;
    e->count = count;
    e->pos = pos;
    imapi2_module_addref();
    *out = &e->IEnumConnections_iface;
    return S_OK;
}

static HRESULT WINAPI cp_EnumConnections(IConnectionPoint *iface, IEnumConnections **out)
{
    struct connection_point *cp = impl_from_IConnectionPoint(iface);
    CONNECTDATA *items;
    ULONG count = 0;
    HRESULT hr;
    if (!out)
        return E_POINTER;
    items = CoTaskMemAlloc((cp->sinks_size ? cp->sinks_size : 1) * sizeof(*items));
    if (!items)
        return E_OUTOFMEMORY;
    for (DWORD i = 0; i < cp->sinks_size; i++)
        if (cp->sinks[i]) {
            items[count].pUnk = cp->sinks[i];
            items[count].dwCookie = i + 1;
            count++;
        }
    hr = enum_connections_create(items, count, 0, out);
    CoTaskMemFree(items);
    return hr;
}

static const IConnectionPointVtbl connection_point_vtbl = {
    cp_QueryInterface, cp_AddRef, cp_Release, cp_GetConnectionInterface,
    cp_GetConnectionPointContainer, cp_Advise, cp_Unadvise, cp_EnumConnections,
};

void connection_point_init(struct connection_point *cp, REFIID riid, IConnectionPointContainer *container)
{
    cp->IConnectionPoint_iface.lpVtbl = &connection_point_vtbl;
    cp->container = container;
    cp->iid = *riid;
    cp->sinks = NULL;
    cp->sinks_size = 0;
    cp->sinks_changed = NULL;
}

void connection_point_destroy(struct connection_point *cp)
{
    for (DWORD i = 0; i < cp->sinks_size; i++)
        if (cp->sinks[i])
            IUnknown_Release(cp->sinks[i]);
    CoTaskMemFree(cp->sinks);
    cp->sinks = NULL;
    cp->sinks_size = 0;
}

/* A sink that implements the event interface's vtable but not IDispatch::Invoke
 * (a C or C++ client deriving from the interface itself): call the method
 * through its vtable slot, found in our typelib by DISPID. */
static HRESULT fire_vtable(IUnknown *sink, const IID *iid, DISPID id, DISPPARAMS *params)
{
    VARTYPE types[8];
    VARIANTARG *args[8];
    ITypeLib *lib = NULL;
    ITypeInfo *info = NULL;
    IUnknown *iface = NULL;
    VARIANT result;
    UINT index;
    HRESULT hr;
    if (params->cArgs > ARRAYSIZE(args) || params->cNamedArgs)
        return DISP_E_BADPARAMCOUNT;
    if (FAILED(hr = imapi2_get_typelib(&lib)))
        return hr;
    hr = ITypeLib_GetTypeInfoOfGuid(lib, iid, &info);
    ITypeLib_Release(lib);
    if (FAILED(hr))
        return hr;
    hr = E_NOINTERFACE;
    for (index = 0;; index++) {
        FUNCDESC *func;
        if (FAILED(ITypeInfo_GetFuncDesc(info, index, &func)))
            break;
        if (func->memid == id && func->funckind == FUNC_PUREVIRTUAL && (UINT)func->cParams == params->cArgs &&
            SUCCEEDED(IUnknown_QueryInterface(sink, iid, (void **)&iface))) {
            /* DISPPARAMS are last-first; the vtable call takes them first-first. */
            for (UINT i = 0; i < params->cArgs; i++) {
                args[i] = &params->rgvarg[params->cArgs - 1 - i];
                types[i] = V_VT(args[i]);
            }
            VariantInit(&result);
            hr = DispCallFunc(iface, func->oVft, CC_STDCALL, VT_ERROR, params->cArgs, types, args, &result);
            IUnknown_Release(iface);
        }
        ITypeInfo_ReleaseFuncDesc(info, func);
        if (iface)
            break;
    }
    ITypeInfo_Release(info);
    return hr;
}

static void fire_one(IUnknown *sink, const IID *iid, DISPID id, DISPPARAMS *params)
{
    IDispatchEx *dispex;
    IDispatch *disp;
    VARIANT result;
    HRESULT hr;

    VariantInit(&result);
    /* Script engines' objects may only answer IDispatchEx properly. */
    if (SUCCEEDED(IUnknown_QueryInterface(sink, &iid_dispatch_ex, (void **)&dispex))) {
        hr = IDispatchEx_InvokeEx(dispex, id, LOCALE_USER_DEFAULT, DISPATCH_METHOD, params, &result, NULL, NULL);
        IDispatchEx_Release(dispex);
    } else if (SUCCEEDED(IUnknown_QueryInterface(sink, &IID_IDispatch, (void **)&disp))) {
        hr = IDispatch_Invoke(disp, id, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_METHOD, params, &result, NULL, NULL);
        IDispatch_Release(disp);
    } else {
        hr = E_NOINTERFACE;
    }
    VariantClear(&result);
    if (hr == E_NOTIMPL || hr == DISP_E_MEMBERNOTFOUND || hr == E_NOINTERFACE)
        hr = fire_vtable(sink, iid, id, params);
    /* The sink's return value is ignored, as Windows documents for Update. */
    if (FAILED(hr))
        WARN("sink %p returned %#lx\n", sink, (unsigned long)hr);
}

void connection_point_fire(struct connection_point *cp, DISPID id, DISPPARAMS *params)
{
    /* Snapshot with references: a sink may unadvise or advise during its call. */
    DWORD count = cp->sinks_size, n = 0;
    IUnknown **snapshot;
    if (!count)
        return;
    snapshot = CoTaskMemAlloc(count * sizeof(*snapshot));
    if (!snapshot)
        return;
    for (DWORD i = 0; i < count; i++)
        if (cp->sinks[i]) {
            snapshot[n] = cp->sinks[i];
            IUnknown_AddRef(snapshot[n]);
            n++;
        }
    for (DWORD i = 0; i < n; i++) {
        fire_one(snapshot[i], &cp->iid, id, params);
        IUnknown_Release(snapshot[i]);
    }
    CoTaskMemFree(snapshot);
}

/* ---- IEnumConnectionPoints ---- */
struct enum_points {
    IEnumConnectionPoints IEnumConnectionPoints_iface;
    LONG ref;
    IConnectionPoint **points;
    ULONG count, pos;
};

static inline struct enum_points *impl_from_IEnumConnectionPoints(IEnumConnectionPoints *iface)
{
    return CONTAINING_RECORD(iface, struct enum_points, IEnumConnectionPoints_iface);
}

static HRESULT enum_points_create(IConnectionPoint **points, ULONG count, ULONG pos, IEnumConnectionPoints **out);

static HRESULT WINAPI ep_QueryInterface(IEnumConnectionPoints *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IEnumConnectionPoints)) {
        *out = iface;
        IEnumConnectionPoints_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI ep_AddRef(IEnumConnectionPoints *iface)
{
    return InterlockedIncrement(&impl_from_IEnumConnectionPoints(iface)->ref);
}

static ULONG WINAPI ep_Release(IEnumConnectionPoints *iface)
{
    struct enum_points *e = impl_from_IEnumConnectionPoints(iface);
    ULONG ref = InterlockedDecrement(&e->ref);
    if (!ref) {
        for (ULONG i = 0; i < e->count; i++)
            IConnectionPoint_Release(e->points[i]);
        CoTaskMemFree(e->points);
        CoTaskMemFree(e);
        imapi2_module_release();
    }
    return ref;
}

static HRESULT WINAPI ep_Next(IEnumConnectionPoints *iface, ULONG count, IConnectionPoint **out, ULONG *fetched)
{
    struct enum_points *e = impl_from_IEnumConnectionPoints(iface);
    ULONG n = 0;
    if (!out || (count > 1 && !fetched))
        return E_POINTER;
    while (n < count && e->pos < e->count) {
        out[n] = e->points[e->pos++];
        IConnectionPoint_AddRef(out[n]);
        n++;
    }
    if (fetched)
        *fetched = n;
    return n == count ? S_OK : S_FALSE;
}

static HRESULT WINAPI ep_Skip(IEnumConnectionPoints *iface, ULONG count)
{
    struct enum_points *e = impl_from_IEnumConnectionPoints(iface);
    ULONG left = e->count - e->pos;
    e->pos += count < left ? count : left;
    return count <= left ? S_OK : S_FALSE;
}

static HRESULT WINAPI ep_Reset(IEnumConnectionPoints *iface)
{
    impl_from_IEnumConnectionPoints(iface)->pos = 0;
    return S_OK;
}

static HRESULT WINAPI ep_Clone(IEnumConnectionPoints *iface, IEnumConnectionPoints **out)
{
    struct enum_points *e = impl_from_IEnumConnectionPoints(iface);
    if (!out)
        return E_POINTER;
    return enum_points_create(e->points, e->count, e->pos, out);
}

static const IEnumConnectionPointsVtbl enum_points_vtbl = {
    ep_QueryInterface, ep_AddRef, ep_Release, ep_Next, ep_Skip, ep_Reset, ep_Clone,
};

static HRESULT enum_points_create(IConnectionPoint **points, ULONG count, ULONG pos, IEnumConnectionPoints **out)
{
    struct enum_points *e = CoTaskMemAlloc(sizeof(*e));
    *out = NULL;
    if (!e)
        return E_OUTOFMEMORY;
    e->points = CoTaskMemAlloc((count ? count : 1) * sizeof(*e->points));
    if (!e->points) {
        CoTaskMemFree(e);
        return E_OUTOFMEMORY;
    }
    for (ULONG i = 0; i < count; i++) {
        e->points[i] = points[i];
        IConnectionPoint_AddRef(points[i]);
    }
    e->IEnumConnectionPoints_iface.lpVtbl = &enum_points_vtbl;
    e->ref = 1;
    e->count = count;
    e->pos = pos;
    imapi2_module_addref();
    *out = &e->IEnumConnectionPoints_iface;
    return S_OK;
}

HRESULT connection_points_enum(struct connection_point **points, unsigned count, IEnumConnectionPoints **out)
{
    IConnectionPoint *ifaces[8];
    if (!out)
        return E_POINTER;
    if (count > ARRAYSIZE(ifaces))
        return E_FAIL;
    for (unsigned i = 0; i < count; i++)
        ifaces[i] = &points[i]->IConnectionPoint_iface;
    return enum_points_create(ifaces, count, 0, out);
}

HRESULT connection_points_find(struct connection_point **points, unsigned count, REFIID riid,
                               IConnectionPoint **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    for (unsigned i = 0; i < count; i++)
        if (IsEqualGUID(riid, &points[i]->iid)) {
            *out = &points[i]->IConnectionPoint_iface;
            IConnectionPoint_AddRef(*out);
            return S_OK;
        }
    return CONNECT_E_NOCONNECTION;
}
