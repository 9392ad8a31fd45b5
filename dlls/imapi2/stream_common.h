/* What the read-only stream classes (stream_*.c, rawimage_stream.c) share:
 * COM identity and lifetime, a seek pointer over a fixed-size byte
 * sequence, and the IStream methods that only depend on that. Each class
 * supplies a struct stream_class: "read these bytes at this offset",
 * Clone, and what to free with the object. */
#ifndef IMAPI2_STREAM_COMMON_H
#define IMAPI2_STREAM_COMMON_H

#include "imapi2_private.h"

struct stream_base;

struct stream_class {
    /* IStreamVtbl, or the vtable of an interface derived from IStream
     * (IStreamConcatenate, ...), which starts with IStream's methods. */
    const void *vtbl;
    /* That derived interface, answered by QueryInterface too; NULL for a plain IStream. */
    const IID *iid;
    BOOL resizable;      /* SetSize allowed (the generated streams); else read-only size */
    /* Fills buf with len bytes starting at pos (pos + len <= size); *done may
     * come back short only when an underlying stream ended early. */
    HRESULT (*read_at)(struct stream_base *s, ULONGLONG pos, BYTE *buf, ULONG len, ULONG *done);
    /* A new object of the same class and content, at the same position. */
    HRESULT (*clone)(struct stream_base *s, IStream **out);
    /* Releases what the object holds besides itself, on the last Release; may be NULL. */
    void (*free_parts)(struct stream_base *s);
};

/* The first member of every stream object. Its IStream_iface is the
 * object's one interface pointer, also for a derived interface. */
struct stream_base {
    IStream IStream_iface;
    LONG ref;
    const struct stream_class *cls;
    ULONGLONG pos;
    ULONGLONG size;
    const WCHAR *name;   /* Stat's pwcsName, or NULL */
};

/* A zeroed object of object_size bytes (its struct stream_base first) with
 * one reference, counted as a live object of the module until its last
 * Release; NULL when out of memory. */
void *stream_base_new(size_t object_size, const struct stream_class *cls);

/* Stream lengths made of parts: a + b and a * b, FALSE when the result does
 * not fit in the 64 bits IStream::Stat reports a size in. */
BOOL stream_size_add(ULONGLONG a, ULONGLONG b, ULONGLONG *out);
BOOL stream_size_mul(ULONGLONG a, ULONGLONG b, ULONGLONG *out);
/* E_INVALIDARG with a description saying the parts are too long together. */
HRESULT stream_size_overflow(const IID *iid);

/* A class's public constructor: a new object of that class, empty and at
 * position 0, as riid. */
HRESULT stream_base_create(size_t object_size, const struct stream_class *cls, REFIID riid, void **out);

/* The IStream methods of every stream class: a plain IStream object uses
 * stream_base_vtbl as it is; a derived interface's vtable gets them through
 * STREAM_BASE_METHODS. */
HRESULT WINAPI stream_base_QueryInterface(IStream *iface, REFIID riid, void **out);
ULONG WINAPI stream_base_AddRef(IStream *iface);
ULONG WINAPI stream_base_Release(IStream *iface);
HRESULT WINAPI stream_base_Read(IStream *iface, void *buf, ULONG cb, ULONG *read);
HRESULT WINAPI stream_base_Write(IStream *iface, const void *buf, ULONG cb, ULONG *written);
HRESULT WINAPI stream_base_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *new_pos);
HRESULT WINAPI stream_base_SetSize(IStream *iface, ULARGE_INTEGER size);
HRESULT WINAPI stream_base_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER cb, ULARGE_INTEGER *read,
                                  ULARGE_INTEGER *written);
HRESULT WINAPI stream_base_Commit(IStream *iface, DWORD flags);
HRESULT WINAPI stream_base_Revert(IStream *iface);
HRESULT WINAPI stream_base_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER cb, DWORD type);
HRESULT WINAPI stream_base_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER cb, DWORD type);
HRESULT WINAPI stream_base_Stat(IStream *iface, STATSTG *stat, DWORD flags);
HRESULT WINAPI stream_base_Clone(IStream *iface, IStream **out);

extern const IStreamVtbl stream_base_vtbl;

/* The IUnknown and IStream methods for an interface Iface derived from
 * IStream: they only differ from stream_base_* in the type of `iface`. */
#define STREAM_BASE_METHODS(prefix, Iface)                                                       \
    static HRESULT WINAPI prefix##_QueryInterface(Iface *iface, REFIID riid, void **out)         \
    {                                                                                            \
        return stream_base_QueryInterface((IStream *)iface, riid, out);                          \
    }                                                                                            \
    static ULONG WINAPI prefix##_AddRef(Iface *iface)                                            \
    {                                                                                            \
        return stream_base_AddRef((IStream *)iface);                                             \
    }                                                                                            \
    static ULONG WINAPI prefix##_Release(Iface *iface)                                           \
    {                                                                                            \
        return stream_base_Release((IStream *)iface);                                            \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Read(Iface *iface, void *buf, ULONG cb, ULONG *read)          \
    {                                                                                            \
        return stream_base_Read((IStream *)iface, buf, cb, read);                                \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Write(Iface *iface, const void *buf, ULONG cb, ULONG *written)\
    {                                                                                            \
        return stream_base_Write((IStream *)iface, buf, cb, written);                            \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Seek(Iface *iface, LARGE_INTEGER move, DWORD origin,          \
                                        ULARGE_INTEGER *new_pos)                                 \
    {                                                                                            \
        return stream_base_Seek((IStream *)iface, move, origin, new_pos);                        \
    }                                                                                            \
    static HRESULT WINAPI prefix##_SetSize(Iface *iface, ULARGE_INTEGER size)                    \
    {                                                                                            \
        return stream_base_SetSize((IStream *)iface, size);                                      \
    }                                                                                            \
    static HRESULT WINAPI prefix##_CopyTo(Iface *iface, IStream *dest, ULARGE_INTEGER cb,        \
                                          ULARGE_INTEGER *read, ULARGE_INTEGER *written)         \
    {                                                                                            \
        return stream_base_CopyTo((IStream *)iface, dest, cb, read, written);                    \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Commit(Iface *iface, DWORD flags)                             \
    {                                                                                            \
        return stream_base_Commit((IStream *)iface, flags);                                      \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Revert(Iface *iface)                                          \
    {                                                                                            \
        return stream_base_Revert((IStream *)iface);                                             \
    }                                                                                            \
    static HRESULT WINAPI prefix##_LockRegion(Iface *iface, ULARGE_INTEGER offset,               \
                                              ULARGE_INTEGER cb, DWORD type)                     \
    {                                                                                            \
        return stream_base_LockRegion((IStream *)iface, offset, cb, type);                       \
    }                                                                                            \
    static HRESULT WINAPI prefix##_UnlockRegion(Iface *iface, ULARGE_INTEGER offset,             \
                                                ULARGE_INTEGER cb, DWORD type)                   \
    {                                                                                            \
        return stream_base_UnlockRegion((IStream *)iface, offset, cb, type);                     \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Stat(Iface *iface, STATSTG *stat, DWORD flags)                \
    {                                                                                            \
        return stream_base_Stat((IStream *)iface, stat, flags);                                  \
    }                                                                                            \
    static HRESULT WINAPI prefix##_Clone(Iface *iface, IStream **out)                            \
    {                                                                                            \
        return stream_base_Clone((IStream *)iface, out);                                         \
    }

/* The same method list, in vtable order, for a vtable initialiser. */
#define STREAM_BASE_VTBL_ENTRIES(prefix)                                                         \
    prefix##_QueryInterface, prefix##_AddRef, prefix##_Release,                                  \
    prefix##_Read, prefix##_Write, prefix##_Seek, prefix##_SetSize, prefix##_CopyTo,             \
    prefix##_Commit, prefix##_Revert, prefix##_LockRegion, prefix##_UnlockRegion, prefix##_Stat, \
    prefix##_Clone

/* ---- our extension (stream_file.c), not in Windows ---- */
HRESULT file_stream_opener_create(IUnknown *outer, REFIID riid, void **out);

#endif
