/* FsiStream: the result image as a read-only IStream, generated as it is
 * read (libs/fsimage). Each stream has its own position; reads go through
 * the result's lock because the file sources underneath have one position
 * each. */
#include "imapi2fs_private.h"

struct image_stream {
    IStream IStream_iface;
    LONG ref;
    struct fsi_image *image;
    CRITICAL_SECTION *lock;
    IUnknown *owner;
    ULONGLONG pos, size;
};

static const IStreamVtbl image_stream_vtbl;

static inline struct image_stream *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct image_stream, IStream_iface);
}

static HRESULT WINAPI stream_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    TRACE("%p %s\n", iface, debugstr_guid(riid));
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

static ULONG WINAPI stream_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl_from_IStream(iface)->ref);
}

static ULONG WINAPI stream_Release(IStream *iface)
{
    struct image_stream *s = impl_from_IStream(iface);
    ULONG ref = InterlockedDecrement(&s->ref);
    if (!ref) {
        IUnknown_Release(s->owner);
        HeapFree(GetProcessHeap(), 0, s);
        imapi2_module_release();
    }
    return ref;
}

static HRESULT WINAPI stream_Read(IStream *iface, void *buf, ULONG size, ULONG *read)
{
    struct image_stream *s = impl_from_IStream(iface);
    ULONG n = 0;
    HRESULT hr = S_OK;
    TRACE("%p %lu at %llu\n", iface, (unsigned long)size, (unsigned long long)s->pos);
    if (!buf)
        return STG_E_INVALIDPOINTER;
    if (s->pos < s->size)
        n = s->size - s->pos < size ? (ULONG)(s->size - s->pos) : size;
    if (n) {
        EnterCriticalSection(s->lock);
        hr = fsi_image_read(s->image, s->pos, buf, n);
        LeaveCriticalSection(s->lock);
    }
    if (FAILED(hr))
        n = 0;
    s->pos += n;
    if (read)
        *read = n;
    return FAILED(hr) ? fs_set_error(hr, &IID_IStream) : n < size ? S_FALSE : S_OK;
}

static HRESULT WINAPI stream_Write(IStream *iface, const void *buf, ULONG size, ULONG *written)
{
    TRACE("%p %p %lu: read-only\n", iface, buf, (unsigned long)size);
    if (written)
        *written = 0;
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *newpos)
{
    struct image_stream *s = impl_from_IStream(iface);
    LONGLONG base;
    TRACE("%p %lld %lu\n", iface, (long long)move.QuadPart, (unsigned long)origin);
    switch (origin) {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = (LONGLONG)s->pos; break;
    case STREAM_SEEK_END: base = (LONGLONG)s->size; break;
    default: return STG_E_INVALIDFUNCTION;
    }
    if (base + move.QuadPart < 0)
        return STG_E_INVALIDFUNCTION;
    s->pos = (ULONGLONG)(base + move.QuadPart);
    if (newpos)
        newpos->QuadPart = s->pos;
    return S_OK;
}

static HRESULT WINAPI stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    TRACE("%p %llu: read-only\n", iface, (unsigned long long)size.QuadPart);
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI stream_CopyTo(IStream *iface, IStream *to, ULARGE_INTEGER size, ULARGE_INTEGER *read,
                                    ULARGE_INTEGER *written)
{
    static BYTE buf[0x10000];
    ULONGLONG done_read = 0, done_written = 0;
    HRESULT hr = S_OK;
    TRACE("%p %p %llu\n", iface, to, (unsigned long long)size.QuadPart);
    if (!to)
        return STG_E_INVALIDPOINTER;
    while (done_read < size.QuadPart) {
        ULONG want = size.QuadPart - done_read < sizeof(buf) ? (ULONG)(size.QuadPart - done_read) : sizeof(buf);
        ULONG got = 0, put = 0;
        hr = stream_Read(iface, buf, want, &got);
        if (FAILED(hr) || !got)
            break;
        done_read += got;
        hr = IStream_Write(to, buf, got, &put);
        done_written += put;
        if (FAILED(hr))
            break;
    }
    if (read)
        read->QuadPart = done_read;
    if (written)
        written->QuadPart = done_written;
    return FAILED(hr) ? hr : S_OK;
}

static HRESULT WINAPI stream_Commit(IStream *iface, DWORD flags)
{
    TRACE("%p %#lx\n", iface, (unsigned long)flags);
    return S_OK;
}

static HRESULT WINAPI stream_Revert(IStream *iface)
{
    TRACE("%p\n", iface);
    return S_OK;
}

static HRESULT WINAPI stream_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("%p %llu %llu %lu\n", iface, (unsigned long long)offset.QuadPart, (unsigned long long)size.QuadPart,
          (unsigned long)type);
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER size, DWORD type)
{
    TRACE("%p %llu %llu %lu\n", iface, (unsigned long long)offset.QuadPart, (unsigned long long)size.QuadPart,
          (unsigned long)type);
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI stream_Stat(IStream *iface, STATSTG *st, DWORD flags)
{
    struct image_stream *s = impl_from_IStream(iface);
    TRACE("%p %#lx\n", iface, (unsigned long)flags);
    if (!st)
        return STG_E_INVALIDPOINTER;
    ZeroMemory(st, sizeof(*st));
    st->type = STGTY_STREAM;
    st->cbSize.QuadPart = s->size;
    st->grfMode = STGM_READ;
    return S_OK;
}

static HRESULT WINAPI stream_Clone(IStream *iface, IStream **out)
{
    struct image_stream *s = impl_from_IStream(iface);
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!out)
        return STG_E_INVALIDPOINTER;
    hr = image_stream_create(s->image, s->lock, s->owner, out);
    if (SUCCEEDED(hr))
        impl_from_IStream(*out)->pos = s->pos;
    return hr;
}

static const IStreamVtbl image_stream_vtbl = {
    stream_QueryInterface, stream_AddRef, stream_Release, stream_Read, stream_Write, stream_Seek, stream_SetSize,
    stream_CopyTo, stream_Commit, stream_Revert, stream_LockRegion, stream_UnlockRegion, stream_Stat, stream_Clone,
};

HRESULT image_stream_create(struct fsi_image *image, CRITICAL_SECTION *lock, IUnknown *owner, IStream **out)
{
    struct image_stream *s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    if (!s)
        return E_OUTOFMEMORY;
    s->IStream_iface.lpVtbl = &image_stream_vtbl;
    s->ref = 1;
    s->image = image;
    s->lock = lock;
    s->owner = owner;
    IUnknown_AddRef(owner);
    s->size = (ULONGLONG)fsi_image_blocks(image) * FSI_BLOCK;
    imapi2_module_addref();
    *out = &s->IStream_iface;
    return S_OK;
}
