/* MsftStreamZero: a read-only stream of zero bytes whose length the caller
 * sets with SetSize (MSDN, "MsftStreamZero object"); until then it is empty.
 * Typical use: silence or blank sectors for a raw image without a buffer. */
#include "stream_common.h"

struct stream_zero {
    IStream IStream_iface;
    LONG ref;
    struct stream_base base;
};

static inline struct stream_zero *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct stream_zero, IStream_iface);
}

static inline struct stream_base *base_from_IStream(IStream *iface)
{
    return &impl_from_IStream(iface)->base;
}

static HRESULT stream_zero_new(ULONGLONG size, ULONGLONG pos, struct stream_zero **out);

static HRESULT WINAPI zero_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_ISequentialStream) ||
        IsEqualGUID(riid, &IID_IStream)) {
        *out = iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI zero_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}

static ULONG WINAPI zero_Release(IStream *iface)
{
    struct stream_zero *zero = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&zero->ref);
    if (!ref) {
        HeapFree(GetProcessHeap(), 0, zero);
        imapi2_module_release();
    }
    return ref;
}

STREAM_BASE_METHODS(zero, IStream, base_from_IStream)

static const IStreamVtbl stream_zero_vtbl = {
    zero_QueryInterface,
    zero_AddRef,
    zero_Release,
    STREAM_BASE_VTBL_ENTRIES(zero),
};

static HRESULT zero_read_at(struct stream_base *s, ULONGLONG pos, BYTE *buf, ULONG len, ULONG *done)
{
    (void)s; (void)pos;
    memset(buf, 0, len);
    *done = len;
    return S_OK;
}

/* A clone has the same length and position but its own: a later SetSize on
 * one does not resize the other. */
static HRESULT zero_clone(struct stream_base *s, IStream **out)
{
    struct stream_zero *copy;
    HRESULT hr = stream_zero_new(s->size, s->pos, &copy);
    if (SUCCEEDED(hr))
        *out = &copy->IStream_iface;
    return hr;
}

static const struct stream_ops zero_ops = { zero_read_at, zero_clone };

static HRESULT stream_zero_new(ULONGLONG size, ULONGLONG pos, struct stream_zero **out)
{
    struct stream_zero *zero = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*zero));
    if (!zero)
        return E_OUTOFMEMORY;
    zero->IStream_iface.lpVtbl = &stream_zero_vtbl;
    zero->ref = 1;
    stream_base_init(&zero->base, &zero_ops, TRUE);
    zero->base.size = size;
    zero->base.pos = pos;
    imapi2_module_addref();
    *out = zero;
    return S_OK;
}

HRESULT stream_zero_create(IUnknown *outer, REFIID riid, void **out)
{
    struct stream_zero *zero;
    HRESULT hr;
    (void)outer;
    if (FAILED(hr = stream_zero_new(0, 0, &zero)))
        return hr;
    hr = IStream_QueryInterface(&zero->IStream_iface, riid, out);
    IStream_Release(&zero->IStream_iface);
    return hr;
}
