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
    struct stream_base base;
    struct rawimage_shared *shared;
};

static HRESULT result_stream_new(struct rawimage_shared *shared, ULONGLONG pos, struct result_stream **out);

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
        *out = &copy->base.IStream_iface;
    return hr;
}

static void result_free_parts(struct stream_base *s)
{
    rawimage_shared_release(CONTAINING_RECORD(s, struct result_stream, base)->shared);
}

/* SetSize: STG_E_ACCESSDENIED, the image's length is the generator's. */
static const struct stream_class result_stream_class = {
    &stream_base_vtbl, NULL, FALSE, result_read_at, result_clone, result_free_parts
};

static HRESULT result_stream_new(struct rawimage_shared *shared, ULONGLONG pos, struct result_stream **out)
{
    struct result_stream *stream = stream_base_new(sizeof(*stream), &result_stream_class);
    if (!stream)
        return E_OUTOFMEMORY;
    rawimage_shared_lock(shared);
    stream->base.size = rawimage_total_bytes(shared->img);
    rawimage_shared_unlock(shared);
    stream->base.pos = pos;
    rawimage_shared_addref(shared);
    stream->shared = shared;
    *out = stream;
    return S_OK;
}

HRESULT rawimage_result_stream_create(struct rawimage_shared *shared, IStream **out)
{
    struct result_stream *stream;
    HRESULT hr = result_stream_new(shared, 0, &stream);
    *out = SUCCEEDED(hr) ? &stream->base.IStream_iface : NULL;
    return hr;
}
