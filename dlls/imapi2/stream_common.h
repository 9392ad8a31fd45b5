/* What the read-only stream classes (stream_*.c) share: a seek pointer over a
 * fixed-size byte sequence, and the IStream methods that only depend on
 * that. Each class supplies "read these bytes at this offset" and Clone. */
#ifndef IMAPI2_STREAM_COMMON_H
#define IMAPI2_STREAM_COMMON_H

#include "imapi2_private.h"

struct stream_base;

struct stream_ops {
    /* Fills buf with len bytes starting at pos (pos + len <= size); *done may
     * come back short only when an underlying stream ended early. */
    HRESULT (*read_at)(struct stream_base *s, ULONGLONG pos, BYTE *buf, ULONG len, ULONG *done);
    /* A new object of the same class and content, at the same position. */
    HRESULT (*clone)(struct stream_base *s, IStream **out);
};

struct stream_base {
    const struct stream_ops *ops;
    ULONGLONG pos;
    ULONGLONG size;
    BOOL resizable;      /* SetSize allowed (the generated streams); else read-only size */
    const WCHAR *name;   /* Stat's pwcsName, or NULL */
};

void stream_base_init(struct stream_base *s, const struct stream_ops *ops, BOOL resizable);

HRESULT stream_base_read(struct stream_base *s, void *buf, ULONG cb, ULONG *read);
HRESULT stream_base_write(struct stream_base *s, const void *buf, ULONG cb, ULONG *written);
HRESULT stream_base_seek(struct stream_base *s, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *new_pos);
HRESULT stream_base_set_size(struct stream_base *s, ULARGE_INTEGER size);
HRESULT stream_base_copy_to(struct stream_base *s, IStream *dest, ULARGE_INTEGER cb, ULARGE_INTEGER *read,
                            ULARGE_INTEGER *written);
HRESULT stream_base_lock(struct stream_base *s);
HRESULT stream_base_stat(struct stream_base *s, STATSTG *stat, DWORD flags);
HRESULT stream_base_clone(struct stream_base *s, IStream **out);

/* The eleven IStream methods after IUnknown for an object whose interface
 * Iface derives from IStream and which has base_of(iface) -> struct stream_base *. */
#define STREAM_BASE_METHODS(prefix, Iface, base_of)                                              \
    static HRESULT WINAPI prefix##_Read(Iface *iface, void *buf, ULONG cb, ULONG *read)          \
    {                                                                                            \
        return stream_base_read(base_of(iface), buf, cb, read);                                  \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Write(Iface *iface, const void *buf, ULONG cb, ULONG *written)\
    {                                                                                            \
        return stream_base_write(base_of(iface), buf, cb, written);                              \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Seek(Iface *iface, LARGE_INTEGER move, DWORD origin,          \
                                        ULARGE_INTEGER *new_pos)                                 \
    {                                                                                            \
        return stream_base_seek(base_of(iface), move, origin, new_pos);                          \
    }                                                                                            \
    static HRESULT WINAPI prefix##_SetSize(Iface *iface, ULARGE_INTEGER size)                    \
    {                                                                                            \
        return stream_base_set_size(base_of(iface), size);                                       \
    }                                                                                            \
    static HRESULT WINAPI prefix##_CopyTo(Iface *iface, IStream *dest, ULARGE_INTEGER cb,        \
                                          ULARGE_INTEGER *read, ULARGE_INTEGER *written)         \
    {                                                                                            \
        return stream_base_copy_to(base_of(iface), dest, cb, read, written);                     \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Commit(Iface *iface, DWORD flags)                             \
    {                                                                                            \
        (void)iface; (void)flags;                                                                \
        return S_OK; /* nothing is ever buffered for writing */                                  \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Revert(Iface *iface)                                          \
    {                                                                                            \
        (void)iface;                                                                             \
        return S_OK; /* not transacted: nothing to throw away */                                 \
    }                                                                                            \
    static HRESULT WINAPI prefix##_LockRegion(Iface *iface, ULARGE_INTEGER offset,               \
                                              ULARGE_INTEGER cb, DWORD type)                     \
    {                                                                                            \
        (void)offset; (void)cb; (void)type;                                                      \
        return stream_base_lock(base_of(iface));                                                 \
    }                                                                                            \
    static HRESULT WINAPI prefix##_UnlockRegion(Iface *iface, ULARGE_INTEGER offset,             \
                                                ULARGE_INTEGER cb, DWORD type)                   \
    {                                                                                            \
        (void)offset; (void)cb; (void)type;                                                      \
        return stream_base_lock(base_of(iface));                                                 \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Stat(Iface *iface, STATSTG *stat, DWORD flags)                \
    {                                                                                            \
        return stream_base_stat(base_of(iface), stat, flags);                                    \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Clone(Iface *iface, IStream **out)                            \
    {                                                                                            \
        return stream_base_clone(base_of(iface), out);                                           \
    }

/* The same method list, in vtable order, for a vtable initialiser. */
#define STREAM_BASE_VTBL_ENTRIES(prefix)                                                         \
    prefix##_Read, prefix##_Write, prefix##_Seek, prefix##_SetSize, prefix##_CopyTo,             \
    prefix##_Commit, prefix##_Revert, prefix##_LockRegion, prefix##_UnlockRegion, prefix##_Stat, \
    prefix##_Clone

/* ---- our extension (stream_file.c), not in Windows ---- */
HRESULT file_stream_opener_create(IUnknown *outer, REFIID riid, void **out);

#endif
