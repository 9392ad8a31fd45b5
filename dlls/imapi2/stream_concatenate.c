/* MsftStreamConcatenate: one read-only stream over several, end to end
 * (e.g. pregap silence + track audio for IRawCDImageCreator).
 *
 * Windows facts (MSDN IStreamConcatenate pages, typelib helpstrings):
 * Initialize takes two streams, Initialize2 an array; Initialize2 on an
 * initialized object is E_INVALIDARG; NULL pointers are E_POINTER; Append
 * and Append2 "grow" the stream and need a prior Initialize. The parts must
 * not be touched by anyone else meanwhile (undefined behaviour on Windows).
 *
 * Our choices where Windows' answer is not known: the length of each part
 * is taken from its Stat at the time it is added; every Read seeks the part
 * it reads from (so clones, which share the parts, stay independent);
 * Append before Initialize is E_UNEXPECTED; an empty array is E_INVALIDARG. */
#include "stream_common.h"

struct stream_parts {
    ULONG count, capacity;
    IStream **streams;
    ULONGLONG *starts;   /* starts[i]: offset of part i; starts[count]: total */
};

struct stream_concatenate {
    struct stream_base base; /* its IStream_iface is our IStreamConcatenate */
    BOOL initialized;
    struct stream_parts parts;
};

static inline struct stream_concatenate *impl_from_IStreamConcatenate(IStreamConcatenate *iface)
{
    return CONTAINING_RECORD((IStream *)iface, struct stream_concatenate, base.IStream_iface);
}

static const struct stream_class stream_concatenate_class;

static void parts_clear(struct stream_parts *parts)
{
    for (ULONG i = 0; i < parts->count; i++)
        IStream_Release(parts->streams[i]);
    HeapFree(GetProcessHeap(), 0, parts->streams);
    HeapFree(GetProcessHeap(), 0, parts->starts);
    memset(parts, 0, sizeof(*parts));
}

static HRESULT parts_reserve(struct stream_parts *parts, ULONG extra)
{
    ULONG need = parts->count + extra, capacity = parts->capacity ? parts->capacity : 4;
    IStream **streams;
    ULONGLONG *starts;
    if (need < parts->count)
        return E_OUTOFMEMORY;
    if (need <= parts->capacity && parts->starts)
        return S_OK;
    while (capacity < need)
        capacity *= 2;
    streams = parts->streams ? HeapReAlloc(GetProcessHeap(), 0, parts->streams, capacity * sizeof(*streams))
                             : HeapAlloc(GetProcessHeap(), 0, capacity * sizeof(*streams));
    if (!streams)
        return E_OUTOFMEMORY;
    parts->streams = streams;
    starts = parts->starts ? HeapReAlloc(GetProcessHeap(), 0, parts->starts, (capacity + 1) * sizeof(*starts))
                           : HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (capacity + 1) * sizeof(*starts));
    if (!starts)
        return E_OUTOFMEMORY;
    parts->starts = starts;
    parts->capacity = capacity;
    return S_OK;
}

/* All or nothing: every stream is checked (and sized) before any is kept. */
static HRESULT concatenate_add(struct stream_concatenate *cat, IStream **streams, ULONG count)
{
    ULONGLONG *sizes;
    HRESULT hr = S_OK;
    if (!streams)
        return E_POINTER;
    if (!count)
        return E_INVALIDARG;
    for (ULONG i = 0; i < count; i++)
        if (!streams[i])
            return E_POINTER;
    if (!(sizes = HeapAlloc(GetProcessHeap(), 0, count * sizeof(*sizes))))
        return E_OUTOFMEMORY;
    for (ULONG i = 0; i < count && SUCCEEDED(hr); i++) {
        STATSTG stat;
        hr = IStream_Stat(streams[i], &stat, STATFLAG_NONAME);
        sizes[i] = stat.cbSize.QuadPart;
        if (FAILED(hr))
            WARN("part %lu: Stat failed %#lx\n", (unsigned long)i, (unsigned long)hr);
    }
    /* Sizes add up without wrapping, or nothing is added. */
    ULONGLONG total = cat->parts.starts ? cat->parts.starts[cat->parts.count] : 0;
    for (ULONG i = 0; i < count && SUCCEEDED(hr); i++)
        if (!stream_size_add(total, sizes[i], &total))
            hr = stream_size_overflow(&IID_IStreamConcatenate);
    if (SUCCEEDED(hr))
        hr = parts_reserve(&cat->parts, count);
    if (SUCCEEDED(hr)) {
        struct stream_parts *parts = &cat->parts;
        for (ULONG i = 0; i < count; i++) {
            IStream_AddRef(streams[i]);
            parts->streams[parts->count] = streams[i];
            parts->starts[parts->count + 1] = parts->starts[parts->count] + sizes[i];
            parts->count++;
        }
        cat->base.size = parts->starts[parts->count];
    }
    HeapFree(GetProcessHeap(), 0, sizes);
    return hr;
}

STREAM_BASE_METHODS(cat, IStreamConcatenate)

static HRESULT WINAPI cat_Initialize(IStreamConcatenate *iface, IStream *stream1, IStream *stream2)
{
    struct stream_concatenate *cat = impl_from_IStreamConcatenate(iface);
    IStream *pair[2] = { stream1, stream2 };
    HRESULT hr;
    TRACE("%p %p\n", stream1, stream2);
    if (!stream1 || !stream2)
        return E_POINTER;
    if (cat->initialized)
        return E_INVALIDARG;
    if (SUCCEEDED(hr = concatenate_add(cat, pair, 2)))
        cat->initialized = TRUE;
    return hr;
}

static HRESULT WINAPI cat_Initialize2(IStreamConcatenate *iface, IStream **streams, ULONG count)
{
    struct stream_concatenate *cat = impl_from_IStreamConcatenate(iface);
    HRESULT hr;
    TRACE("%p %lu\n", streams, (unsigned long)count);
    if (!streams)
        return E_POINTER;
    if (cat->initialized)
        return E_INVALIDARG;
    if (SUCCEEDED(hr = concatenate_add(cat, streams, count)))
        cat->initialized = TRUE;
    return hr;
}

static HRESULT WINAPI cat_Append(IStreamConcatenate *iface, IStream *stream)
{
    struct stream_concatenate *cat = impl_from_IStreamConcatenate(iface);
    TRACE("%p\n", stream);
    if (!stream)
        return E_POINTER;
    if (!cat->initialized)
        return E_UNEXPECTED;
    return concatenate_add(cat, &stream, 1);
}

static HRESULT WINAPI cat_Append2(IStreamConcatenate *iface, IStream **streams, ULONG count)
{
    struct stream_concatenate *cat = impl_from_IStreamConcatenate(iface);
    TRACE("%p %lu\n", streams, (unsigned long)count);
    if (!streams)
        return E_POINTER;
    if (!cat->initialized)
        return E_UNEXPECTED;
    return concatenate_add(cat, streams, count);
}

static const IStreamConcatenateVtbl stream_concatenate_vtbl = {
    STREAM_BASE_VTBL_ENTRIES(cat),
    cat_Initialize,
    cat_Initialize2,
    cat_Append,
    cat_Append2,
};

/* The last part whose start is <= pos (empty parts are skipped over). */
static ULONG part_at(const struct stream_parts *parts, ULONGLONG pos)
{
    ULONG lo = 0, hi = parts->count; /* answer in [lo, hi) */
    while (hi - lo > 1) {
        ULONG mid = lo + (hi - lo) / 2;
        if (parts->starts[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static HRESULT cat_read_at(struct stream_base *s, ULONGLONG pos, BYTE *buf, ULONG len, ULONG *done)
{
    struct stream_concatenate *cat = CONTAINING_RECORD(s, struct stream_concatenate, base);
    const struct stream_parts *parts = &cat->parts;
    ULONG total = 0, i = part_at(parts, pos);
    HRESULT hr = S_OK;
    while (total < len && i < parts->count) {
        ULONGLONG offset = pos + total - parts->starts[i], left = parts->starts[i + 1] - parts->starts[i];
        ULONG want, got = 0;
        LARGE_INTEGER move;
        if (offset >= left) {
            i++;
            continue;
        }
        want = left - offset < len - total ? (ULONG)(left - offset) : len - total;
        move.QuadPart = (LONGLONG)offset;
        if (FAILED(hr = IStream_Seek(parts->streams[i], move, STREAM_SEEK_SET, NULL)))
            break;
        if (FAILED(hr = IStream_Read(parts->streams[i], buf + total, want, &got)))
            break;
        total += got;
        if (got < want) /* the part is shorter than it said: the data ends here */
            break;
        i++;
    }
    *done = total;
    return total ? S_OK : hr;
}

/* The clone shares the parts (each Read seeks them anyway) but has its own
 * list: Append on one does not grow the other. */
static HRESULT cat_clone(struct stream_base *s, IStream **out)
{
    struct stream_concatenate *cat = CONTAINING_RECORD(s, struct stream_concatenate, base);
    struct stream_concatenate *copy = stream_base_new(sizeof(*copy), &stream_concatenate_class);
    HRESULT hr = S_OK;
    if (!copy)
        return E_OUTOFMEMORY;
    if (cat->parts.count)
        hr = concatenate_add(copy, cat->parts.streams, cat->parts.count);
    if (FAILED(hr)) {
        IStream_Release(&copy->base.IStream_iface);
        return hr;
    }
    copy->initialized = cat->initialized;
    copy->base.pos = s->pos;
    *out = &copy->base.IStream_iface;
    return S_OK;
}

static void cat_free_parts(struct stream_base *s)
{
    parts_clear(&CONTAINING_RECORD(s, struct stream_concatenate, base)->parts);
}

static const struct stream_class stream_concatenate_class = {
    &stream_concatenate_vtbl, &IID_IStreamConcatenate, FALSE, cat_read_at, cat_clone, cat_free_parts
};

HRESULT stream_concatenate_create(IUnknown *outer, REFIID riid, void **out)
{
    (void)outer;
    return stream_base_create(sizeof(struct stream_concatenate), &stream_concatenate_class, riid, out);
}
