/* EnumFsiItems: IEnumFsiItems over a snapshot of a directory's children,
 * taken when the enumerator is made (each item held by reference). */
#include "imapi2fs_private.h"

struct item_list {
    LONG ref;
    unsigned count;
    IFsiItem *items[];
};

struct enum_items {
    IEnumFsiItems IEnumFsiItems_iface;
    LONG ref;
    struct item_list *list; /* shared with clones */
    unsigned pos;
};

static const IEnumFsiItemsVtbl enum_items_vtbl;

static inline struct enum_items *impl_from_IEnumFsiItems(IEnumFsiItems *iface)
{
    return CONTAINING_RECORD(iface, struct enum_items, IEnumFsiItems_iface);
}

static void list_release(struct item_list *list)
{
    if (InterlockedDecrement(&list->ref))
        return;
    for (unsigned i = 0; i < list->count; i++)
        IFsiItem_Release(list->items[i]);
    HeapFree(GetProcessHeap(), 0, list);
}

static HRESULT wrap(struct item_list *list, unsigned pos, IEnumFsiItems **out)
{
    struct enum_items *e = HeapAlloc(GetProcessHeap(), 0, sizeof(*e));
    if (!e)
        return E_OUTOFMEMORY;
    e->IEnumFsiItems_iface.lpVtbl = &enum_items_vtbl;
    e->ref = 1;
    e->list = list;
    e->pos = pos;
    InterlockedIncrement(&list->ref);
    imapi2_module_addref();
    *out = &e->IEnumFsiItems_iface;
    return S_OK;
}

static HRESULT WINAPI enum_items_QueryInterface(IEnumFsiItems *iface, REFIID riid, void **out)
{
    TRACE("%p %s\n", iface, debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IEnumFsiItems)) {
        *out = iface;
        IEnumFsiItems_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI enum_items_AddRef(IEnumFsiItems *iface)
{
    return InterlockedIncrement(&impl_from_IEnumFsiItems(iface)->ref);
}

static ULONG WINAPI enum_items_Release(IEnumFsiItems *iface)
{
    struct enum_items *e = impl_from_IEnumFsiItems(iface);
    ULONG ref = InterlockedDecrement(&e->ref);
    if (!ref) {
        list_release(e->list);
        HeapFree(GetProcessHeap(), 0, e);
        imapi2_module_release();
    }
    return ref;
}

static HRESULT WINAPI enum_items_Next(IEnumFsiItems *iface, ULONG count, IFsiItem **items, ULONG *fetched)
{
    struct enum_items *e = impl_from_IEnumFsiItems(iface);
    ULONG n = 0;
    TRACE("%p %lu\n", iface, (unsigned long)count);
    if (!items || (count > 1 && !fetched))
        return E_POINTER;
    while (n < count && e->pos < e->list->count) {
        items[n] = e->list->items[e->pos++];
        IFsiItem_AddRef(items[n]);
        n++;
    }
    if (fetched)
        *fetched = n;
    return n == count ? S_OK : S_FALSE;
}

static HRESULT WINAPI enum_items_Skip(IEnumFsiItems *iface, ULONG count)
{
    struct enum_items *e = impl_from_IEnumFsiItems(iface);
    ULONG left = e->list->count - e->pos;
    TRACE("%p %lu\n", iface, (unsigned long)count);
    e->pos += count < left ? count : left;
    return count <= left ? S_OK : S_FALSE;
}

static HRESULT WINAPI enum_items_Reset(IEnumFsiItems *iface)
{
    TRACE("%p\n", iface);
    impl_from_IEnumFsiItems(iface)->pos = 0;
    return S_OK;
}

static HRESULT WINAPI enum_items_Clone(IEnumFsiItems *iface, IEnumFsiItems **out)
{
    struct enum_items *e = impl_from_IEnumFsiItems(iface);
    TRACE("%p\n", iface);
    if (!out)
        return E_POINTER;
    return wrap(e->list, e->pos, out);
}

static const IEnumFsiItemsVtbl enum_items_vtbl = {
    enum_items_QueryInterface, enum_items_AddRef, enum_items_Release,
    enum_items_Next, enum_items_Skip, enum_items_Reset, enum_items_Clone,
};

HRESULT enum_fsi_items_create(struct fs_item *const *items, unsigned count, IEnumFsiItems **out)
{
    struct item_list *list = HeapAlloc(GetProcessHeap(), 0, sizeof(*list) + count * sizeof(list->items[0]));
    HRESULT hr;
    if (!list)
        return E_OUTOFMEMORY;
    list->ref = 1;
    list->count = count;
    for (unsigned i = 0; i < count; i++) {
        list->items[i] = items[i]->iface;
        IFsiItem_AddRef(list->items[i]);
    }
    hr = wrap(list, 0, out);
    list_release(list);
    return hr;
}
