/* MsftStreamZero: a read-only stream of zero bytes whose length the caller
 * sets with SetSize (MSDN, "MsftStreamZero object"); until then it is empty.
 * Typical use: silence or blank sectors for a raw image without a buffer. */
#include "stream_common.h"

struct stream_zero {
    struct stream_base base;
};

static HRESULT stream_zero_new(ULONGLONG size, ULONGLONG pos, struct stream_zero **out);

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
        *out = &copy->base.IStream_iface;
    return hr;
}

static const struct stream_class stream_zero_class = {
    &stream_base_vtbl, NULL, TRUE, zero_read_at, zero_clone, NULL
};

static HRESULT stream_zero_new(ULONGLONG size, ULONGLONG pos, struct stream_zero **out)
{
    struct stream_zero *zero = stream_base_new(sizeof(*zero), &stream_zero_class);
    if (!zero)
        return E_OUTOFMEMORY;
    zero->base.size = size;
    zero->base.pos = pos;
    *out = zero;
    return S_OK;
}

HRESULT stream_zero_create(IUnknown *outer, REFIID riid, void **out)
{
    (void)outer;
    return stream_base_create(sizeof(struct stream_zero), &stream_zero_class, riid, out);
}
