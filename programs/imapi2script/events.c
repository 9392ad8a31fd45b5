/* WScript.ConnectObject obj, "prefix_": a sink of ours is advised on the
 * object's default source interface; when the object raises an event, the
 * sink names it from the type information ("Update") and calls the script's
 * function prefix_Update with the same arguments. */
#include <wchar.h>
#include "host.h"

struct event_sink {
    IDispatch IDispatch_iface;
    LONG ref;
    IID iid;
    WCHAR *prefix;
    unsigned count;
    DISPID *ids;
    BSTR *names;
};

struct connection {
    struct connection *next;
    IUnknown *identity;
    IConnectionPoint *point;
    DWORD cookie;
};

static struct connection *connections;

static inline struct event_sink *impl_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct event_sink, IDispatch_iface);
}

static HRESULT WINAPI sink_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    struct event_sink *sink = impl_from_IDispatch(iface);
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) || IsEqualGUID(riid, &sink->iid)) {
        *out = iface;
        IDispatch_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sink_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&impl_from_IDispatch(iface)->ref);
}

static ULONG WINAPI sink_Release(IDispatch *iface)
{
    struct event_sink *sink = impl_from_IDispatch(iface);
    ULONG ref = InterlockedDecrement(&sink->ref);
    if (!ref) {
        for (unsigned i = 0; i < sink->count; i++)
            SysFreeString(sink->names[i]);
        HeapFree(GetProcessHeap(), 0, sink->names);
        HeapFree(GetProcessHeap(), 0, sink->ids);
        HeapFree(GetProcessHeap(), 0, sink->prefix);
        HeapFree(GetProcessHeap(), 0, sink);
    }
    return ref;
}

static HRESULT WINAPI sink_GetTypeInfoCount(IDispatch *iface, UINT *count)
{
    (void)iface;
    if (!count)
        return E_POINTER;
    *count = 0;
    return S_OK;
}

static HRESULT WINAPI sink_GetTypeInfo(IDispatch *iface, UINT index, LCID lcid, ITypeInfo **out)
{
    (void)iface; (void)index; (void)lcid;
    if (out)
        *out = NULL;
    return DISP_E_BADINDEX;
}

static HRESULT WINAPI sink_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names, UINT count, LCID lcid,
                                         DISPID *ids)
{
    struct event_sink *sink = impl_from_IDispatch(iface);
    (void)riid; (void)lcid;
    if (!names || !ids || !count)
        return E_INVALIDARG;
    for (UINT i = 0; i < count; i++)
        ids[i] = DISPID_UNKNOWN;
    for (unsigned i = 0; i < sink->count; i++)
        if (!_wcsicmp(sink->names[i], names[0])) {
            ids[0] = sink->ids[i];
            return count == 1 ? S_OK : DISP_E_UNKNOWNNAME;
        }
    return DISP_E_UNKNOWNNAME;
}

static HRESULT WINAPI sink_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                  DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    static DISPPARAMS no_params;
    struct event_sink *sink = impl_from_IDispatch(iface);
    WCHAR *function;
    size_t prefix_len, name_len;
    HRESULT hr;
    (void)riid; (void)lcid; (void)flags; (void)excep; (void)arg_err;

    if (result)
        VariantInit(result);
    for (unsigned i = 0; i < sink->count; i++) {
        if (sink->ids[i] != id)
            continue;
        prefix_len = wcslen(sink->prefix);
        name_len = SysStringLen(sink->names[i]);
        function = HeapAlloc(GetProcessHeap(), 0, (prefix_len + name_len + 1) * sizeof(WCHAR));
        if (!function)
            return E_OUTOFMEMORY;
        memcpy(function, sink->prefix, prefix_len * sizeof(WCHAR));
        memcpy(function + prefix_len, sink->names[i], (name_len + 1) * sizeof(WCHAR));
        /* Keep ourselves alive: the handler may disconnect this object. */
        IDispatch_AddRef(iface);
        hr = host_call_script_function(function, params ? params : &no_params);
        IDispatch_Release(iface);
        HeapFree(GetProcessHeap(), 0, function);
        return FAILED(hr) ? hr : S_OK;
    }
    return S_OK; /* an event of no interest */
}

static const IDispatchVtbl sink_vtbl = {
    sink_QueryInterface, sink_AddRef, sink_Release,
    sink_GetTypeInfoCount, sink_GetTypeInfo, sink_GetIDsOfNames, sink_Invoke,
};

/* ---- finding the source interface and its member names ---- */

/* The coclass's [default, source] interface, from its type information. */
static HRESULT source_from_class_info(ITypeInfo *class_info, ITypeInfo **out)
{
    TYPEATTR *attr;
    HRESULT hr = E_FAIL;
    *out = NULL;
    if (FAILED(ITypeInfo_GetTypeAttr(class_info, &attr)))
        return E_FAIL;
    for (UINT i = 0; i < attr->cImplTypes && !*out; i++) {
        INT flags = 0;
        HREFTYPE ref;
        if (FAILED(ITypeInfo_GetImplTypeFlags(class_info, i, &flags)))
            continue;
        if ((flags & (IMPLTYPEFLAG_FDEFAULT | IMPLTYPEFLAG_FSOURCE | IMPLTYPEFLAG_FRESTRICTED)) !=
            (IMPLTYPEFLAG_FDEFAULT | IMPLTYPEFLAG_FSOURCE))
            continue;
        if (SUCCEEDED(ITypeInfo_GetRefTypeOfImplType(class_info, i, &ref)))
            hr = ITypeInfo_GetRefTypeInfo(class_info, ref, out);
    }
    ITypeInfo_ReleaseTypeAttr(class_info, attr);
    return *out ? S_OK : hr;
}

/* Type information for interface `iid` from the library that describes `info`. */
static HRESULT info_from_library_of(ITypeInfo *info, const IID *iid, ITypeInfo **out)
{
    ITypeLib *lib;
    UINT index;
    HRESULT hr = ITypeInfo_GetContainingTypeLib(info, &lib, &index);
    if (FAILED(hr))
        return hr;
    hr = ITypeLib_GetTypeInfoOfGuid(lib, iid, out);
    ITypeLib_Release(lib);
    return hr;
}

static HRESULT first_connection_interface(IDispatch *object, IID *iid)
{
    IConnectionPointContainer *cpc;
    IEnumConnectionPoints *points;
    IConnectionPoint *point = NULL;
    HRESULT hr = IDispatch_QueryInterface(object, &IID_IConnectionPointContainer, (void **)&cpc);
    if (FAILED(hr))
        return hr;
    hr = IConnectionPointContainer_EnumConnectionPoints(cpc, &points);
    IConnectionPointContainer_Release(cpc);
    if (FAILED(hr))
        return hr;
    hr = IEnumConnectionPoints_Next(points, 1, &point, NULL);
    IEnumConnectionPoints_Release(points);
    if (hr != S_OK || !point)
        return CONNECT_E_NOCONNECTION;
    hr = IConnectionPoint_GetConnectionInterface(point, iid);
    IConnectionPoint_Release(point);
    return hr;
}

/* The default source interface of `object` (IID and type information), the
 * way script hosts find it: IProvideClassInfo2, the coclass's type
 * information, and failing those the object's first connection point. */
static HRESULT find_source(IDispatch *object, IID *iid, ITypeInfo **out)
{
    IProvideClassInfo2 *pci2;
    IProvideClassInfo *pci;
    ITypeInfo *class_info = NULL, *any_info = NULL;
    BOOL have_iid = FALSE;
    *out = NULL;

    if (SUCCEEDED(IDispatch_QueryInterface(object, &IID_IProvideClassInfo2, (void **)&pci2))) {
        have_iid = SUCCEEDED(IProvideClassInfo2_GetGUID(pci2, GUIDKIND_DEFAULT_SOURCE_DISP_IID, iid));
        IProvideClassInfo2_Release(pci2);
    }
    if (SUCCEEDED(IDispatch_QueryInterface(object, &IID_IProvideClassInfo, (void **)&pci))) {
        if (FAILED(IProvideClassInfo_GetClassInfo(pci, &class_info)))
            class_info = NULL;
        IProvideClassInfo_Release(pci);
    }
    if (class_info) {
        if (have_iid)
            info_from_library_of(class_info, iid, out);
        if (!*out && SUCCEEDED(source_from_class_info(class_info, out)) && !have_iid) {
            TYPEATTR *attr;
            if (SUCCEEDED(ITypeInfo_GetTypeAttr(*out, &attr))) {
                *iid = attr->guid;
                have_iid = TRUE;
                ITypeInfo_ReleaseTypeAttr(*out, attr);
            }
        }
        ITypeInfo_Release(class_info);
    }
    if (!have_iid)
        have_iid = SUCCEEDED(first_connection_interface(object, iid));
    if (have_iid && !*out && SUCCEEDED(IDispatch_GetTypeInfo(object, 0, LOCALE_USER_DEFAULT, &any_info))) {
        info_from_library_of(any_info, iid, out);
        ITypeInfo_Release(any_info);
    }
    if (!have_iid || !*out) {
        if (*out)
            ITypeInfo_Release(*out);
        *out = NULL;
        return host_fail(CONNECT_E_NOCONNECTION, L"The object has no events described by type information.");
    }
    return S_OK;
}

static HRESULT sink_create(const IID *iid, ITypeInfo *info, const WCHAR *prefix, struct event_sink **out)
{
    struct event_sink *sink = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*sink));
    TYPEATTR *attr;
    size_t prefix_size = (wcslen(prefix) + 1) * sizeof(WCHAR);
    *out = NULL;
    if (!sink)
        return E_OUTOFMEMORY;
    sink->IDispatch_iface.lpVtbl = &sink_vtbl;
    sink->ref = 1;
    sink->iid = *iid;
    if (!(sink->prefix = HeapAlloc(GetProcessHeap(), 0, prefix_size))) {
        sink_Release(&sink->IDispatch_iface);
        return E_OUTOFMEMORY;
    }
    memcpy(sink->prefix, prefix, prefix_size);
    if (SUCCEEDED(ITypeInfo_GetTypeAttr(info, &attr))) {
        UINT funcs = attr->cFuncs;
        ITypeInfo_ReleaseTypeAttr(info, attr);
        sink->ids = HeapAlloc(GetProcessHeap(), 0, (funcs ? funcs : 1) * sizeof(*sink->ids));
        sink->names = HeapAlloc(GetProcessHeap(), 0, (funcs ? funcs : 1) * sizeof(*sink->names));
        if (!sink->ids || !sink->names) {
            sink_Release(&sink->IDispatch_iface);
            return E_OUTOFMEMORY;
        }
        for (UINT i = 0; i < funcs; i++) {
            FUNCDESC *desc;
            BSTR name = NULL;
            UINT got = 0;
            if (FAILED(ITypeInfo_GetFuncDesc(info, i, &desc)))
                continue;
            if (!(desc->wFuncFlags & FUNCFLAG_FRESTRICTED) &&
                SUCCEEDED(ITypeInfo_GetNames(info, desc->memid, &name, 1, &got)) && got) {
                sink->ids[sink->count] = desc->memid;
                sink->names[sink->count++] = name;
            }
            ITypeInfo_ReleaseFuncDesc(info, desc);
        }
    }
    *out = sink;
    return S_OK;
}

HRESULT events_connect(IDispatch *object, const WCHAR *prefix)
{
    IConnectionPointContainer *cpc;
    IConnectionPoint *point;
    struct event_sink *sink;
    struct connection *conn;
    ITypeInfo *info;
    IID iid;
    HRESULT hr;

    if (FAILED(hr = find_source(object, &iid, &info)))
        return hr;
    hr = sink_create(&iid, info, prefix, &sink);
    ITypeInfo_Release(info);
    if (FAILED(hr))
        return hr;
    if (FAILED(hr = IDispatch_QueryInterface(object, &IID_IConnectionPointContainer, (void **)&cpc))) {
        IDispatch_Release(&sink->IDispatch_iface);
        return host_fail(hr, L"The object does not raise events (no IConnectionPointContainer).");
    }
    hr = IConnectionPointContainer_FindConnectionPoint(cpc, &iid, &point);
    IConnectionPointContainer_Release(cpc);
    if (FAILED(hr)) {
        IDispatch_Release(&sink->IDispatch_iface);
        return host_fail(hr, L"The object has no connection point for its events.");
    }
    conn = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*conn));
    if (!conn) {
        IConnectionPoint_Release(point);
        IDispatch_Release(&sink->IDispatch_iface);
        return E_OUTOFMEMORY;
    }
    hr = IConnectionPoint_Advise(point, (IUnknown *)&sink->IDispatch_iface, &conn->cookie);
    IDispatch_Release(&sink->IDispatch_iface); /* the point holds it now */
    if (FAILED(hr)) {
        IConnectionPoint_Release(point);
        HeapFree(GetProcessHeap(), 0, conn);
        return host_fail(hr, L"Could not connect to the object's events (Advise failed).");
    }
    IDispatch_QueryInterface(object, &IID_IUnknown, (void **)&conn->identity);
    conn->point = point;
    conn->next = connections;
    connections = conn;
    return S_OK;
}

static void connection_free(struct connection *conn)
{
    IConnectionPoint_Unadvise(conn->point, conn->cookie);
    IConnectionPoint_Release(conn->point);
    if (conn->identity)
        IUnknown_Release(conn->identity);
    HeapFree(GetProcessHeap(), 0, conn);
}

HRESULT events_disconnect(IDispatch *object)
{
    IUnknown *identity = NULL;
    struct connection **link = &connections;
    IDispatch_QueryInterface(object, &IID_IUnknown, (void **)&identity);
    while (*link) {
        struct connection *conn = *link;
        if (conn->identity == identity) {
            *link = conn->next;
            connection_free(conn);
        } else {
            link = &conn->next;
        }
    }
    if (identity)
        IUnknown_Release(identity);
    return S_OK; /* WSH does not complain about an object never connected */
}

void events_disconnect_all(void)
{
    while (connections) {
        struct connection *conn = connections;
        connections = conn->next;
        connection_free(conn);
    }
}
