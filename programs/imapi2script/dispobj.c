/* IDispatch without type information: names are looked up, case-insensitive
 * as in Windows' WScript objects, in a table of members, and Invoke calls the
 * member's function. Errors reach the script through EXCEPINFO so that
 * Err.Number / Err.Description (or a JScript catch) see them. */
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>
#include "host.h"

static WCHAR fail_text[1024];

HRESULT host_fail(HRESULT hr, const WCHAR *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vsnwprintf(fail_text, ARRAYSIZE(fail_text), format, ap);
    fail_text[ARRAYSIZE(fail_text) - 1] = 0;
    va_end(ap);
    return hr;
}

static HRESULT WINAPI dispobj_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch)) {
        *out = iface;
        IDispatch_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI dispobj_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&dispobj_from_IDispatch(iface)->ref);
}

static ULONG WINAPI dispobj_Release(IDispatch *iface)
{
    struct dispobj *obj = dispobj_from_IDispatch(iface);
    ULONG ref = InterlockedDecrement(&obj->ref);
    if (!ref)
        obj->cls->destroy(obj);
    return ref;
}

static HRESULT WINAPI dispobj_GetTypeInfoCount(IDispatch *iface, UINT *count)
{
    (void)iface;
    if (!count)
        return E_POINTER;
    *count = 0;
    return S_OK;
}

static HRESULT WINAPI dispobj_GetTypeInfo(IDispatch *iface, UINT index, LCID lcid, ITypeInfo **out)
{
    (void)iface; (void)index; (void)lcid;
    if (out)
        *out = NULL;
    return DISP_E_BADINDEX;
}

static HRESULT WINAPI dispobj_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names, UINT count, LCID lcid,
                                            DISPID *ids)
{
    struct dispobj *obj = dispobj_from_IDispatch(iface);
    HRESULT hr = S_OK;
    (void)riid; (void)lcid;
    if (!names || !ids)
        return E_POINTER;
    for (UINT i = 0; i < count; i++)
        ids[i] = DISPID_UNKNOWN;
    if (!count)
        return S_OK;
    for (unsigned m = 0; m < obj->cls->member_count; m++)
        if (!_wcsicmp(names[0], obj->cls->members[m].name)) {
            ids[0] = obj->cls->members[m].id;
            break;
        }
    if (ids[0] == DISPID_UNKNOWN)
        hr = DISP_E_UNKNOWNNAME;
    /* No member has named parameters. */
    if (count > 1)
        hr = DISP_E_UNKNOWNNAME;
    return hr;
}

static HRESULT call_new_enum(struct dispobj *obj, VARIANT *result)
{
    IEnumVARIANT *e;
    HRESULT hr;
    if (!obj->cls->new_enum)
        return DISP_E_MEMBERNOTFOUND;
    if (!result)
        return S_OK;
    hr = obj->cls->new_enum(obj, &e);
    if (SUCCEEDED(hr)) {
        V_VT(result) = VT_UNKNOWN;
        V_UNKNOWN(result) = (IUnknown *)e;
    }
    return hr;
}

static HRESULT WINAPI dispobj_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                     DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    static DISPPARAMS no_params;
    struct dispobj *obj = dispobj_from_IDispatch(iface);
    const struct dispobj_member *member = NULL;
    VARIANT ignored;
    HRESULT hr;
    (void)riid; (void)lcid; (void)arg_err;

    if (!params)
        params = &no_params;
    if (id == DISPID_NEWENUM)
        return call_new_enum(obj, result);
    for (unsigned m = 0; m < obj->cls->member_count; m++)
        if (obj->cls->members[m].id == id) {
            member = &obj->cls->members[m];
            break;
        }
    if (!member)
        return DISP_E_MEMBERNOTFOUND;
    if (!result) {
        VariantInit(&ignored);
        result = &ignored;
    } else {
        VariantInit(result);
    }
    fail_text[0] = 0;
    hr = member->call(obj, flags, params, result);
    if (result == &ignored)
        VariantClear(&ignored);
    if (FAILED(hr) && hr != DISP_E_MEMBERNOTFOUND && hr != DISP_E_BADPARAMCOUNT && hr != DISP_E_PARAMNOTOPTIONAL &&
        excep) {
        WCHAR source[128];
        memset(excep, 0, sizeof(*excep));
        swprintf(source, ARRAYSIZE(source), L"%ls.%ls", obj->cls->name, member->name);
        excep->bstrSource = SysAllocString(source);
        if (fail_text[0]) {
            excep->bstrDescription = SysAllocString(fail_text);
        } else {
            WCHAR *text = NULL;
            if (FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER |
                               FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)hr, 0, (WCHAR *)&text, 0, NULL) && text) {
                size_t len = wcslen(text);
                while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
                    text[--len] = 0;
                excep->bstrDescription = SysAllocString(text);
                LocalFree(text);
            }
        }
        excep->scode = hr;
        return DISP_E_EXCEPTION;
    }
    return hr;
}

static const IDispatchVtbl dispobj_vtbl = {
    dispobj_QueryInterface, dispobj_AddRef, dispobj_Release,
    dispobj_GetTypeInfoCount, dispobj_GetTypeInfo, dispobj_GetIDsOfNames, dispobj_Invoke,
};

void dispobj_init(struct dispobj *obj, const struct dispobj_class *cls)
{
    obj->IDispatch_iface.lpVtbl = &dispobj_vtbl;
    obj->ref = 1;
    obj->cls = cls;
}

/* ---- arguments ---- */

unsigned host_arg_count(DISPPARAMS *params)
{
    return params->cArgs - params->cNamedArgs;
}

static VARIANT *strip_ref(VARIANT *v)
{
    while (v && V_VT(v) == (VT_BYREF | VT_VARIANT))
        v = V_VARIANTREF(v);
    return v;
}

VARIANT *host_arg(DISPPARAMS *params, unsigned i)
{
    unsigned positional = host_arg_count(params);
    VARIANT *v;
    if (i >= positional)
        return NULL;
    /* rgvarg holds named arguments first, then the positional ones reversed. */
    v = strip_ref(&params->rgvarg[params->cArgs - 1 - i]);
    if (V_VT(v) == VT_ERROR && V_ERROR(v) == DISP_E_PARAMNOTFOUND)
        return NULL;
    return v;
}

VARIANT *host_put_value(DISPPARAMS *params)
{
    for (UINT i = 0; i < params->cNamedArgs; i++)
        if (params->rgdispidNamedArgs[i] == DISPID_PROPERTYPUT)
            return strip_ref(&params->rgvarg[i]);
    return params->cArgs ? strip_ref(&params->rgvarg[0]) : NULL;
}

HRESULT host_arg_string(DISPPARAMS *params, unsigned i, BSTR *out)
{
    VARIANT *v = host_arg(params, i), tmp;
    HRESULT hr;
    *out = NULL;
    if (!v)
        return DISP_E_PARAMNOTOPTIONAL;
    if (V_VT(v) == VT_BSTR) {
        *out = SysAllocStringLen(V_BSTR(v), SysStringLen(V_BSTR(v)));
        return *out || !V_BSTR(v) ? S_OK : E_OUTOFMEMORY;
    }
    VariantInit(&tmp);
    hr = VariantChangeType(&tmp, v, 0, VT_BSTR);
    if (FAILED(hr))
        return hr;
    *out = V_BSTR(&tmp);
    return S_OK;
}

HRESULT host_value_as(VARIANT *v, VARTYPE vt, VARIANT *out)
{
    VariantInit(out);
    return v ? VariantChangeType(out, v, 0, vt) : DISP_E_PARAMNOTOPTIONAL;
}

HRESULT host_arg_long(DISPPARAMS *params, unsigned i, LONG *out)
{
    VARIANT tmp;
    HRESULT hr = host_value_as(host_arg(params, i), VT_I4, &tmp);
    if (SUCCEEDED(hr))
        *out = V_I4(&tmp);
    return hr;
}

/* ---- IEnumVARIANT over copied values ---- */

struct enum_variant {
    IEnumVARIANT IEnumVARIANT_iface;
    LONG ref;
    VARIANT *values;
    ULONG count, pos;
};

static inline struct enum_variant *impl_from_IEnumVARIANT(IEnumVARIANT *iface)
{
    return CONTAINING_RECORD(iface, struct enum_variant, IEnumVARIANT_iface);
}

static HRESULT WINAPI ev_QueryInterface(IEnumVARIANT *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IEnumVARIANT)) {
        *out = iface;
        IEnumVARIANT_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI ev_AddRef(IEnumVARIANT *iface)
{
    return InterlockedIncrement(&impl_from_IEnumVARIANT(iface)->ref);
}

static ULONG WINAPI ev_Release(IEnumVARIANT *iface)
{
    struct enum_variant *e = impl_from_IEnumVARIANT(iface);
    ULONG ref = InterlockedDecrement(&e->ref);
    if (!ref) {
        for (ULONG i = 0; i < e->count; i++)
            VariantClear(&e->values[i]);
        HeapFree(GetProcessHeap(), 0, e->values);
        HeapFree(GetProcessHeap(), 0, e);
    }
    return ref;
}

static HRESULT WINAPI ev_Next(IEnumVARIANT *iface, ULONG count, VARIANT *out, ULONG *fetched)
{
    struct enum_variant *e = impl_from_IEnumVARIANT(iface);
    ULONG n = 0;
    if (!out)
        return E_POINTER;
    while (n < count && e->pos < e->count) {
        VariantInit(&out[n]);
        VariantCopy(&out[n], &e->values[e->pos++]);
        n++;
    }
    if (fetched)
        *fetched = n;
    return n == count ? S_OK : S_FALSE;
}

static HRESULT WINAPI ev_Skip(IEnumVARIANT *iface, ULONG count)
{
    struct enum_variant *e = impl_from_IEnumVARIANT(iface);
    ULONG left = e->count - e->pos;
    e->pos += count < left ? count : left;
    return count <= left ? S_OK : S_FALSE;
}

static HRESULT WINAPI ev_Reset(IEnumVARIANT *iface)
{
    impl_from_IEnumVARIANT(iface)->pos = 0;
    return S_OK;
}

static HRESULT WINAPI ev_Clone(IEnumVARIANT *iface, IEnumVARIANT **out)
{
    struct enum_variant *e = impl_from_IEnumVARIANT(iface);
    HRESULT hr;
    if (!out)
        return E_POINTER;
    hr = enum_variant_create(e->values, e->count, out);
    if (SUCCEEDED(hr))
        impl_from_IEnumVARIANT(*out)->pos = e->pos;
    return hr;
}

static const IEnumVARIANTVtbl enum_variant_vtbl = {
    ev_QueryInterface, ev_AddRef, ev_Release, ev_Next, ev_Skip, ev_Reset, ev_Clone,
};

HRESULT enum_variant_create(const VARIANT *values, ULONG count, IEnumVARIANT **out)
{
    struct enum_variant *e = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*e));
    *out = NULL;
    if (!e)
        return E_OUTOFMEMORY;
    e->values = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (count ? count : 1) * sizeof(VARIANT));
    if (!e->values) {
        HeapFree(GetProcessHeap(), 0, e);
        return E_OUTOFMEMORY;
    }
    for (ULONG i = 0; i < count; i++) {
        VariantInit(&e->values[i]);
        VariantCopy(&e->values[i], (VARIANT *)&values[i]);
    }
    e->IEnumVARIANT_iface.lpVtbl = &enum_variant_vtbl;
    e->ref = 1;
    e->count = count;
    *out = &e->IEnumVARIANT_iface;
    return S_OK;
}
