/* IStreams made by rawburn: one small read-only IStream over a read-at
 * callback (Read, Seek, Stat; the rest is not needed by IMAPI2's readers),
 * and a "piece" source that strings file ranges and runs of zeros together
 * (a track and the silence after it, a whole raw image). */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "rawburn.h"

struct cb_stream {
    IStream IStream_iface;
    LONG ref;
    uint64_t size, pos;
    stream_read_fn read_at;
    void (*free_ctx)(void *);
    void *ctx;
};

static inline struct cb_stream *impl(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct cb_stream, IStream_iface);
}

static HRESULT WINAPI s_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IStream) ||
        IsEqualGUID(riid, &IID_ISequentialStream)) {
        *out = iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI s_AddRef(IStream *iface)
{
    return InterlockedIncrement(&impl(iface)->ref);
}

static ULONG WINAPI s_Release(IStream *iface)
{
    struct cb_stream *s = impl(iface);
    ULONG ref = InterlockedDecrement(&s->ref);
    if (!ref) {
        if (s->free_ctx)
            s->free_ctx(s->ctx);
        free(s);
    }
    return ref;
}

static HRESULT WINAPI s_Read(IStream *iface, void *buf, ULONG len, ULONG *done)
{
    struct cb_stream *s = impl(iface);
    uint64_t left = s->pos < s->size ? s->size - s->pos : 0;
    ULONG n = left < len ? (ULONG)left : len;
    HRESULT hr = n ? s->read_at(s->ctx, s->pos, buf, n) : S_OK;
    if (FAILED(hr))
        n = 0;
    s->pos += n;
    if (done)
        *done = n;
    return FAILED(hr) ? hr : (n < len ? S_FALSE : S_OK);
}

static HRESULT WINAPI s_Write(IStream *iface, const void *buf, ULONG len, ULONG *done)
{
    (void)iface; (void)buf; (void)len;
    if (done)
        *done = 0;
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI s_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *newpos)
{
    struct cb_stream *s = impl(iface);
    int64_t base = origin == STREAM_SEEK_SET ? 0 : origin == STREAM_SEEK_CUR ? (int64_t)s->pos : (int64_t)s->size;
    if (origin > STREAM_SEEK_END)
        return STG_E_INVALIDFUNCTION;
    if (base + move.QuadPart < 0)
        return STG_E_INVALIDFUNCTION;
    s->pos = (uint64_t)(base + move.QuadPart);
    if (newpos)
        newpos->QuadPart = s->pos;
    return S_OK;
}

static HRESULT WINAPI s_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface; (void)size;
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI s_CopyTo(IStream *iface, IStream *to, ULARGE_INTEGER len, ULARGE_INTEGER *read,
                               ULARGE_INTEGER *written)
{
    (void)iface; (void)to; (void)len; (void)read; (void)written;
    return E_NOTIMPL;
}

static HRESULT WINAPI s_Commit(IStream *iface, DWORD flags)
{
    (void)iface; (void)flags;
    return S_OK;
}

static HRESULT WINAPI s_Revert(IStream *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT WINAPI s_LockRegion(IStream *iface, ULARGE_INTEGER off, ULARGE_INTEGER len, DWORD type)
{
    (void)iface; (void)off; (void)len; (void)type;
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI s_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct cb_stream *s = impl(iface);
    (void)flags;
    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = s->size;
    stat->grfMode = STGM_READ;
    return S_OK;
}

static HRESULT WINAPI s_Clone(IStream *iface, IStream **out)
{
    (void)iface;
    *out = NULL;
    return E_NOTIMPL;
}

static const IStreamVtbl cb_stream_vtbl = {
    s_QueryInterface, s_AddRef, s_Release, s_Read, s_Write, s_Seek, s_SetSize,
    s_CopyTo, s_Commit, s_Revert, s_LockRegion, s_LockRegion, s_Stat, s_Clone,
};

HRESULT cb_stream_create(uint64_t size, stream_read_fn read_at, void (*free_ctx)(void *), void *ctx, IStream **out)
{
    struct cb_stream *s = calloc(1, sizeof(*s));
    *out = NULL;
    if (!s) {
        if (free_ctx)
            free_ctx(ctx);
        return E_OUTOFMEMORY;
    }
    s->IStream_iface.lpVtbl = &cb_stream_vtbl;
    s->ref = 1;
    s->size = size;
    s->read_at = read_at;
    s->free_ctx = free_ctx;
    s->ctx = ctx;
    *out = &s->IStream_iface;
    return S_OK;
}

/* ------------------------------------------------------------ pieces */

struct piece {
    HANDLE file;        /* INVALID_HANDLE_VALUE: zeros */
    uint64_t offset;    /* in the file */
    uint64_t start;     /* in the stream */
    uint64_t len;
};

struct piece_stream {
    int count, capacity;
    struct piece *items;
    uint64_t size;
};

struct piece_stream *pieces_new(void)
{
    return calloc(1, sizeof(struct piece_stream));
}

static struct piece *pieces_append(struct piece_stream *p)
{
    if (p->count == p->capacity) {
        int cap = p->capacity ? p->capacity * 2 : 8;
        struct piece *items = realloc(p->items, (size_t)cap * sizeof(*items));
        if (!items)
            return NULL;
        p->items = items;
        p->capacity = cap;
    }
    return &p->items[p->count++];
}

bool pieces_add_file(struct piece_stream *p, const WCHAR *path, uint64_t offset, uint64_t len)
{
    if (!len)
        return true;
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    struct piece *piece;
    if (h == INVALID_HANDLE_VALUE)
        return false;
    if (!(piece = pieces_append(p))) {
        CloseHandle(h);
        return false;
    }
    piece->file = h;
    piece->offset = offset;
    piece->start = p->size;
    piece->len = len;
    p->size += len;
    return true;
}

bool pieces_add_zeros(struct piece_stream *p, uint64_t len)
{
    struct piece *piece;
    if (!len)
        return true;
    if (!(piece = pieces_append(p)))
        return false;
    piece->file = INVALID_HANDLE_VALUE;
    piece->offset = 0;
    piece->start = p->size;
    piece->len = len;
    p->size += len;
    return true;
}

uint64_t pieces_size(const struct piece_stream *p)
{
    return p->size;
}

static HRESULT read_file_at(HANDLE h, uint64_t offset, void *buf, uint32_t len)
{
    OVERLAPPED at = { 0 };
    DWORD got = 0;
    at.Offset = (DWORD)offset;
    at.OffsetHigh = (DWORD)(offset >> 32);
    if (!ReadFile(h, buf, len, &got, &at) && GetLastError() != ERROR_HANDLE_EOF)
        return HRESULT_FROM_WIN32(GetLastError());
    if (got < len)
        memset((char *)buf + got, 0, len - got); /* a file that shrank reads as zeros */
    return S_OK;
}

HRESULT pieces_read(struct piece_stream *p, uint64_t offset, void *buf, uint32_t len)
{
    char *out = buf;
    int lo = 0, hi = p->count - 1;
    /* Binary search for the piece holding offset. */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (p->items[mid].start <= offset)
            lo = mid;
        else
            hi = mid - 1;
    }
    for (int i = lo; len && i < p->count; i++) {
        struct piece *piece = &p->items[i];
        if (offset >= piece->start + piece->len)
            continue;
        uint64_t in = offset - piece->start, left = piece->len - in;
        uint32_t n = left < len ? (uint32_t)left : len;
        if (piece->file == INVALID_HANDLE_VALUE) {
            memset(out, 0, n);
        } else {
            HRESULT hr = read_file_at(piece->file, piece->offset + in, out, n);
            if (FAILED(hr))
                return hr;
        }
        out += n;
        offset += n;
        len -= n;
    }
    if (len)
        memset(out, 0, len);
    return S_OK;
}

void pieces_free(void *ctx)
{
    struct piece_stream *p = ctx;
    if (!p)
        return;
    for (int i = 0; i < p->count; i++)
        if (p->items[i].file != INVALID_HANDLE_VALUE)
            CloseHandle(p->items[i].file);
    free(p->items);
    free(p);
}

static HRESULT pieces_read_cb(void *ctx, uint64_t offset, void *buf, uint32_t len)
{
    return pieces_read(ctx, offset, buf, len);
}

HRESULT pieces_finish(struct piece_stream *p, IStream **out)
{
    return cb_stream_create(p->size, pieces_read_cb, pieces_free, p, out);
}
