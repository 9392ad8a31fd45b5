/* The IStream IRawCDImageCreator::CreateResultImage returns. It holds no
 * image bytes: every Read asks the generator for the sectors it touches,
 * which reads the callers' track streams at that moment. So an 80-minute
 * image (about 1 GB) costs a few kilobytes, and Stat knows the size before
 * anything is read, as IDiscFormat2RawCD::WriteMedia needs.
 *
 * Clones share the generator and have their own seek pointer; the shared
 * lock serialises them, since the generator (and its one-sector cache) is
 * not thread-safe. */
#include "stream_common.h"
#include "rawimage_stream.h"

/* ---- the shared image ---- */

HRESULT rawimage_shared_create(struct rawimage_shared **out)
{
    struct rawimage_shared *shared = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*shared));
    HRESULT hr;
    *out = NULL;
    if (!shared)
        return E_OUTOFMEMORY;
    if (FAILED(hr = rawimage_create(&shared->img))) {
        HeapFree(GetProcessHeap(), 0, shared);
        return hr;
    }
    shared->ref = 1;
    InitializeCriticalSection(&shared->cs);
    *out = shared;
    return S_OK;
}

void rawimage_shared_addref(struct rawimage_shared *shared)
{
    InterlockedIncrement(&shared->ref);
}

/* The last holder frees the generator, which releases the callers' streams. */
void rawimage_shared_release(struct rawimage_shared *shared)
{
    if (InterlockedDecrement(&shared->ref))
        return;
    rawimage_free(shared->img);
    DeleteCriticalSection(&shared->cs);
    HeapFree(GetProcessHeap(), 0, shared);
}

/* ---- the result stream ---- */

struct result_stream {
    IStream IStream_iface;
    LONG ref;
    struct stream_base base;
    struct rawimage_shared *shared;
};

static inline struct result_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct result_stream, IStream_iface);
}

static inline struct stream_base *base_from_IStream(IStream *iface)
{
    return &impl_from_IStream(iface)->base;
}

static HRESULT result_stream_new(struct rawimage_shared *shared, ULONGLONG pos, struct result_stream **out);

static HRESULT WINAPI result_QueryInterface(IStream *iface, REFIID riid, void **out)
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

static ULONG WINAPI result_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}

static ULONG WINAPI result_Release(IStream *iface)
{
    struct result_stream *stream = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&stream->ref);
    if (!ref) {
        rawimage_shared_release(stream->shared);
        HeapFree(GetProcessHeap(), 0, stream);
        imapi2_module_release();
    }
    return ref;
}

STREAM_BASE_METHODS(result, IStream, base_from_IStream)

static const IStreamVtbl result_stream_vtbl = {
    result_QueryInterface,
    result_AddRef,
    result_Release,
    STREAM_BASE_VTBL_ENTRIES(result),
};

/* A failing track stream fails the Read with its own HRESULT, so a burn
 * stops with the caller's error rather than writing garbage. */
static HRESULT result_read_at(struct stream_base *s, ULONGLONG pos, BYTE *buf, ULONG len, ULONG *done)
{
    struct result_stream *stream = CONTAINING_RECORD(s, struct result_stream, base);
    struct rawimage *img = rawimage_shared_lock(stream->shared);
    size_t got = 0;
    HRESULT hr = rawimage_read(img, pos, buf, len, &got);
    rawimage_shared_unlock(stream->shared);
    *done = (ULONG)got;
    if (FAILED(hr))
        WARN("image read at %llu failed: %#lx\n", (unsigned long long)pos, (unsigned long)hr);
    return hr;
}

static HRESULT result_clone(struct stream_base *s, IStream **out)
{
    struct result_stream *stream = CONTAINING_RECORD(s, struct result_stream, base), *copy;
    HRESULT hr = result_stream_new(stream->shared, s->pos, &copy);
    if (SUCCEEDED(hr))
        *out = &copy->IStream_iface;
    return hr;
}

static const struct stream_ops result_ops = { result_read_at, result_clone };

static HRESULT result_stream_new(struct rawimage_shared *shared, ULONGLONG pos, struct result_stream **out)
{
    struct result_stream *stream = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*stream));
    if (!stream)
        return E_OUTOFMEMORY;
    stream->IStream_iface.lpVtbl = &result_stream_vtbl;
    stream->ref = 1;
    stream_base_init(&stream->base, &result_ops, FALSE); /* SetSize: STG_E_ACCESSDENIED */
    rawimage_shared_lock(shared);
    stream->base.size = rawimage_total_bytes(shared->img);
    rawimage_shared_unlock(shared);
    stream->base.pos = pos;
    rawimage_shared_addref(shared);
    stream->shared = shared;
    imapi2_module_addref();
    *out = stream;
    return S_OK;
}

HRESULT rawimage_result_stream_create(struct rawimage_shared *shared, IStream **out)
{
    struct result_stream *stream;
    HRESULT hr = result_stream_new(shared, 0, &stream);
    *out = SUCCEEDED(hr) ? &stream->IStream_iface : NULL;
    return hr;
}
