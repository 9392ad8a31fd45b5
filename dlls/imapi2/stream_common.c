/* The IStream behaviour the read-only stream classes share. Where Windows'
 * exact answer is unknown the choice follows the IStream contract as
 * documented for IStream/ISequentialStream (see the notes per method). */
#include "stream_common.h"

void stream_base_init(struct stream_base *s, const struct stream_ops *ops, BOOL resizable)
{
    s->ops = ops;
    s->pos = 0;
    s->size = 0;
    s->resizable = resizable;
    s->name = NULL;
}

/* Reading at or past the end is not an error: it reads what is left (maybe
 * nothing) and says so in *read, as the stock IStream implementations do. */
HRESULT stream_base_read(struct stream_base *s, void *buf, ULONG cb, ULONG *read)
{
    ULONG want, done = 0;
    HRESULT hr = S_OK;
    if (read)
        *read = 0;
    if (!buf)
        return STG_E_INVALIDPOINTER;
    want = s->pos >= s->size ? 0 : (s->size - s->pos < cb ? (ULONG)(s->size - s->pos) : cb);
    if (want)
        hr = s->ops->read_at(s, s->pos, buf, want, &done);
    if (FAILED(hr))
        return hr;
    s->pos += done;
    if (read)
        *read = done;
    return S_OK;
}

/* All these streams are documented read-only. */
HRESULT stream_base_write(struct stream_base *s, const void *buf, ULONG cb, ULONG *written)
{
    (void)s; (void)cb;
    if (written)
        *written = 0;
    if (!buf)
        return STG_E_INVALIDPOINTER;
    return STG_E_ACCESSDENIED;
}

/* Seeking past the end is allowed (a later Read returns nothing); before the
 * start, or beyond what 64 bits hold, is STG_E_INVALIDFUNCTION and leaves
 * the pointer where it was. */
HRESULT stream_base_seek(struct stream_base *s, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *new_pos)
{
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
HRESULT stream_base_set_size(struct stream_base *s, ULARGE_INTEGER size)
{
    if (!s->resizable)
        return STG_E_ACCESSDENIED;
    s->size = size.QuadPart;
    return S_OK;
}

HRESULT stream_base_copy_to(struct stream_base *s, IStream *dest, ULARGE_INTEGER cb, ULARGE_INTEGER *read,
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
        if (FAILED(hr = stream_base_read(s, buf, chunk, &got)) || !got)
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

/* Nothing can change these streams' bytes, so there is nothing to lock;
 * IStream's contract names STG_E_INVALIDFUNCTION for "locking not supported". */
HRESULT stream_base_lock(struct stream_base *s)
{
    (void)s;
    return STG_E_INVALIDFUNCTION;
}

HRESULT stream_base_stat(struct stream_base *s, STATSTG *stat, DWORD flags)
{
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

HRESULT stream_base_clone(struct stream_base *s, IStream **out)
{
    if (!out)
        return STG_E_INVALIDPOINTER;
    *out = NULL;
    return s->ops->clone(s, out);
}
