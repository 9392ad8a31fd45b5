/* The IStream behaviour the read-only stream classes share. Where Windows'
 * exact answer is unknown the choice follows the IStream contract as
 * documented for IStream/ISequentialStream (see the notes per method). */
#include "stream_common.h"

static inline struct stream_base *base_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct stream_base, IStream_iface);
}

void *stream_base_new(size_t object_size, const struct stream_class *cls)
{
    struct stream_base *s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, object_size);
    if (!s)
        return NULL;
    s->IStream_iface.lpVtbl = cls->vtbl;
    s->ref = 1;
    s->cls = cls;
    imapi2_module_addref();
    return s;
}

/* The creating reference is dropped, so a failed QueryInterface frees the object. */
static HRESULT stream_base_return_as(struct stream_base *s, REFIID riid, void **out)
{
    HRESULT hr = IStream_QueryInterface(&s->IStream_iface, riid, out);
    IStream_Release(&s->IStream_iface);
    return hr;
}

BOOL stream_size_add(ULONGLONG a, ULONGLONG b, ULONGLONG *out)
{
    if (b > ~0ull - a)
        return FALSE;
    *out = a + b;
    return TRUE;
}

BOOL stream_size_mul(ULONGLONG a, ULONGLONG b, ULONGLONG *out)
{
    if (a && b > ~0ull / a)
        return FALSE;
    *out = a * b;
    return TRUE;
}

HRESULT stream_size_overflow(const IID *iid)
{
    WARN("parts too long together\n");
    return imapi2_set_error_text(E_INVALIDARG, iid,
                                 "The streams are longer together than a stream can be (2^64 - 1 bytes); "
                                 "nothing was added.");
}

HRESULT stream_base_create(size_t object_size, const struct stream_class *cls, REFIID riid, void **out)
{
    struct stream_base *s = stream_base_new(object_size, cls);
    if (!s)
        return E_OUTOFMEMORY;
    return stream_base_return_as(s, riid, out);
}

HRESULT WINAPI stream_base_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    const IID *class_iid = base_from_IStream(iface)->cls->iid;
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_ISequentialStream) ||
        IsEqualGUID(riid, &IID_IStream) || (class_iid && IsEqualGUID(riid, class_iid))) {
        *out = iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

ULONG WINAPI stream_base_AddRef(IStream *iface)
{
    return InterlockedIncrement(&base_from_IStream(iface)->ref);
}

ULONG WINAPI stream_base_Release(IStream *iface)
{
    struct stream_base *s = base_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&s->ref);
    if (!ref) {
        if (s->cls->free_parts)
            s->cls->free_parts(s);
        HeapFree(GetProcessHeap(), 0, s);
        imapi2_module_release();
    }
    return ref;
}

/* Reading at or past the end is not an error: it reads what is left (maybe
 * nothing) and says so in *read, as the stock IStream implementations do. */
HRESULT WINAPI stream_base_Read(IStream *iface, void *buf, ULONG cb, ULONG *read)
{
    struct stream_base *s = base_from_IStream(iface);
    ULONG want, done = 0;
    HRESULT hr = S_OK;
    if (read)
        *read = 0;
    if (!buf)
        return STG_E_INVALIDPOINTER;
    want = s->pos >= s->size ? 0 : (s->size - s->pos < cb ? (ULONG)(s->size - s->pos) : cb);
    if (want)
        hr = s->cls->read_at(s, s->pos, buf, want, &done);
    if (FAILED(hr))
        return hr;
    s->pos += done;
    if (read)
        *read = done;
    return S_OK;
}

/* All these streams are documented read-only. */
HRESULT WINAPI stream_base_Write(IStream *iface, const void *buf, ULONG cb, ULONG *written)
{
    (void)iface; (void)cb;
    if (written)
        *written = 0;
    if (!buf)
        return STG_E_INVALIDPOINTER;
    return STG_E_ACCESSDENIED;
}

/* Seeking past the end is allowed (a later Read returns nothing); before the
 * start, or beyond what 64 bits hold, is STG_E_INVALIDFUNCTION and leaves
 * the pointer where it was. */
HRESULT WINAPI stream_base_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *new_pos)
{
    struct stream_base *s = base_from_IStream(iface);
    ULONGLONG from, to;
    switch (origin) {
    case STREAM_SEEK_SET: from = 0; break;
    case STREAM_SEEK_CUR: from = s->pos; break;
    case STREAM_SEEK_END: from = s->size; break;
    default:
        WARN("bad origin %lu\n", (unsigned long)origin);
        return STG_E_INVALIDFUNCTION;
    }
    if (move.QuadPart < 0) {
        ULONGLONG back = 0 - (ULONGLONG)move.QuadPart;
        if (back > from)
            return STG_E_INVALIDFUNCTION;
        to = from - back;
    } else {
        to = from + (ULONGLONG)move.QuadPart;
        if (to < from)
            return STG_E_INVALIDFUNCTION;
    }
    s->pos = to;
    if (new_pos)
        new_pos->QuadPart = to;
    return S_OK;
}

/* The generated streams (zero, PRNG) get their length this way — the
 * documented way to size them; the seek pointer stays put, as IStream::SetSize
 * requires. The composite and file streams take their length from their parts. */
HRESULT WINAPI stream_base_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    struct stream_base *s = base_from_IStream(iface);
    if (!s->cls->resizable)
        return STG_E_ACCESSDENIED;
    s->size = size.QuadPart;
    return S_OK;
}

HRESULT WINAPI stream_base_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER cb, ULARGE_INTEGER *read,
                                  ULARGE_INTEGER *written)
{
    BYTE buf[16384];
    ULONGLONG total_read = 0, total_written = 0;
    HRESULT hr = S_OK;
    if (read)
        read->QuadPart = 0;
    if (written)
        written->QuadPart = 0;
    if (!dest)
        return STG_E_INVALIDPOINTER;
    while (total_read < cb.QuadPart) {
        ULONG chunk = cb.QuadPart - total_read < sizeof(buf) ? (ULONG)(cb.QuadPart - total_read) : sizeof(buf);
        ULONG got = 0, put = 0;
        if (FAILED(hr = stream_base_Read(iface, buf, chunk, &got)) || !got)
            break;
        total_read += got;
        hr = IStream_Write(dest, buf, got, &put);
        total_written += put;
        if (FAILED(hr))
            break;
        if (put < got) {
            hr = STG_E_MEDIUMFULL;
            break;
        }
    }
    if (read)
        read->QuadPart = total_read;
    if (written)
        written->QuadPart = total_written;
    return FAILED(hr) ? hr : S_OK;
}

HRESULT WINAPI stream_base_Commit(IStream *iface, DWORD flags)
{
    (void)iface; (void)flags;
    return S_OK; /* nothing is ever buffered for writing */
}

HRESULT WINAPI stream_base_Revert(IStream *iface)
{
    (void)iface;
    return S_OK; /* not transacted: nothing to throw away */
}

/* Nothing can change these streams' bytes, so there is nothing to lock;
 * IStream's contract names STG_E_INVALIDFUNCTION for "locking not supported". */
HRESULT WINAPI stream_base_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER cb, DWORD type)
{
    (void)iface; (void)offset; (void)cb; (void)type;
    return STG_E_INVALIDFUNCTION;
}

HRESULT WINAPI stream_base_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER cb, DWORD type)
{
    return stream_base_LockRegion(iface, offset, cb, type);
}

HRESULT WINAPI stream_base_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct stream_base *s = base_from_IStream(iface);
    if (!stat)
        return STG_E_INVALIDPOINTER;
    if (flags & ~(DWORD)(STATFLAG_NONAME | STATFLAG_NOOPEN))
        return STG_E_INVALIDFLAG;
    memset(stat, 0, sizeof(*stat));
    if (s->name && !(flags & STATFLAG_NONAME)) {
        size_t bytes = (wcslen(s->name) + 1) * sizeof(WCHAR);
        if (!(stat->pwcsName = CoTaskMemAlloc(bytes)))
            return STG_E_INSUFFICIENTMEMORY;
        memcpy(stat->pwcsName, s->name, bytes);
    }
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = s->size;
    stat->grfMode = STGM_READ;
    stat->grfLocksSupported = 0;
    return S_OK;
}

HRESULT WINAPI stream_base_Clone(IStream *iface, IStream **out)
{
    struct stream_base *s = base_from_IStream(iface);
    if (!out)
        return STG_E_INVALIDPOINTER;
    *out = NULL;
    return s->cls->clone(s, out);
}

const IStreamVtbl stream_base_vtbl = {
    stream_base_QueryInterface,
    stream_base_AddRef,
    stream_base_Release,
    stream_base_Read,
    stream_base_Write,
    stream_base_Seek,
    stream_base_SetSize,
    stream_base_CopyTo,
    stream_base_Commit,
    stream_base_Revert,
    stream_base_LockRegion,
    stream_base_UnlockRegion,
    stream_base_Stat,
    stream_base_Clone,
};
