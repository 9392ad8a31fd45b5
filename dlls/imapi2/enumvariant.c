/* IEnumVARIANT over a copied array of VARIANTs: what _NewEnum hands to
 * For Each (VBScript) and Enumerator (JScript). */
#include "imapi2_private.h"

struct variant_items {
    LONG ref; /* shared by clones */
    ULONG count;
    VARIANT items[];
};

struct enum_variant {
    IEnumVARIANT IEnumVARIANT_iface;
    LONG ref;
    struct variant_items *items;
    ULONG pos;
};

static inline struct enum_variant *impl_from_IEnumVARIANT(IEnumVARIANT *iface)
{
    return CONTAINING_RECORD(iface, struct enum_variant, IEnumVARIANT_iface);
}

static void items_release(struct variant_items *items)
{
    if (InterlockedDecrement(&items->ref))
        return;
    for (ULONG i = 0; i < items->count; i++)
        VariantClear(&items->items[i]);
    HeapFree(GetProcessHeap(), 0, items);
}

static HRESULT enum_variant_wrap(struct variant_items *items, ULONG pos, IEnumVARIANT **out);

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
        items_release(e->items);
        HeapFree(GetProcessHeap(), 0, e);
        imapi2_module_release();
    }
    return ref;
}

static HRESULT WINAPI ev_Next(IEnumVARIANT *iface, ULONG count, VARIANT *out, ULONG *fetched)
{
    struct enum_variant *e = impl_from_IEnumVARIANT(iface);
    ULONG n = 0;
    if (!out)
        return E_POINTER;
    while (n < count && e->pos < e->items->count) {
        VariantInit(&out[n]);
        HRESULT hr = VariantCopy(&out[n], &e->items->items[e->pos]);
        if (FAILED(hr)) {
            while (n)
                VariantClear(&out[--n]);
            return hr;
        }
        n++;
        e->pos++;
    }
    if (fetched)
        *fetched = n;
    return n == count ? S_OK : S_FALSE;
}

static HRESULT WINAPI ev_Skip(IEnumVARIANT *iface, ULONG count)
{
    struct enum_variant *e = impl_from_IEnumVARIANT(iface);
    ULONG left = e->items->count - e->pos;
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
    if (!out)
        return E_POINTER;
    InterlockedIncrement(&e->items->ref);
    return enum_variant_wrap(e->items, e->pos, out);
}

static const IEnumVARIANTVtbl enum_variant_vtbl = {
    ev_QueryInterface, ev_AddRef, ev_Release, ev_Next, ev_Skip, ev_Reset, ev_Clone,
};

/* Takes over one reference to items. */
static HRESULT enum_variant_wrap(struct variant_items *items, ULONG pos, IEnumVARIANT **out)
{
    struct enum_variant *e = HeapAlloc(GetProcessHeap(), 0, sizeof(*e));
    if (!e) {
        items_release(items);
        *out = NULL;
        return E_OUTOFMEMORY;
    }
    e->IEnumVARIANT_iface.lpVtbl = &enum_variant_vtbl;
    e->ref = 1;
    e->items = items;
    e->pos = pos;
    imapi2_module_addref();
    *out = &e->IEnumVARIANT_iface;
    return S_OK;
}

HRESULT enum_variant_create(const VARIANT *values, ULONG count, IEnumVARIANT **out)
{
    struct variant_items *items;
    if (!out)
        return E_POINTER;
    *out = NULL;
    items = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*items) + count * sizeof(VARIANT));
    if (!items)
        return E_OUTOFMEMORY;
    items->ref = 1;
    for (ULONG i = 0; i < count; i++) {
        HRESULT hr = VariantCopy(&items->items[i], (VARIANT *)&values[i]);
        if (FAILED(hr)) {
            items->count = i;
            items_release(items);
            return hr;
        }
    }
    items->count = count;
    return enum_variant_wrap(items, 0, out);
}
