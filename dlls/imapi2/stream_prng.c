/* MsftStreamPrng001: a read-only stream of pseudo-random bytes, sized with
 * SetSize like MsftStreamZero, for burn/verify tests that need data a
 * reader can regenerate from the seed alone.
 *
 * Windows facts (MSDN IStreamPseudoRandomBased pages, typelib helpstrings):
 * the generator is the LCG x' = x * 0x19660D + 0x3C6EF35F (mod 2^32);
 * put_Seed seeds it and seeks to the start; the ExtendedSeed pair is
 * documented "not implemented" and answers E_NOTIMPL.
 *
 * NOT VERIFIED ON WINDOWS (no source shows which bytes come out): we take
 * the seed as the state before the first step and emit every following
 * state as four little-endian bytes, i.e. bytes 0-3 are LCG(seed), bytes
 * 4-7 are LCG(LCG(seed)), ... (the Numerical Recipes "ranqd1" reading of
 * these constants). The seed of a fresh object is also a guess: 0.
 * Both want checking against a real imapi2.dll. */
#include "stream_common.h"

#define PRNG_MULTIPLIER 0x19660Du
#define PRNG_INCREMENT 0x3C6EF35Fu

struct stream_prng {
    struct stream_base base; /* its IStream_iface is our IStreamPseudoRandomBased */
    ULONG seed;
};

static inline struct stream_prng *impl_from_IStreamPseudoRandomBased(IStreamPseudoRandomBased *iface)
{
    return CONTAINING_RECORD((IStream *)iface, struct stream_prng, base.IStream_iface);
}

/* The state after `steps` steps from `state`, in O(log steps): n steps of
 * x -> a*x + c is again an affine map, built up by repeated squaring. */
static uint32_t lcg_skip(uint32_t state, ULONGLONG steps)
{
    uint32_t mul = 1, add = 0;                            /* the map so far: identity */
    uint32_t step_mul = PRNG_MULTIPLIER, step_add = PRNG_INCREMENT; /* 2^k steps */
    while (steps) {
        if (steps & 1) {
            mul = mul * step_mul;
            add = add * step_mul + step_add;
        }
        step_add = step_add * step_mul + step_add;
        step_mul = step_mul * step_mul;
        steps >>= 1;
    }
    return mul * state + add;
}

static HRESULT stream_prng_new(ULONG seed, ULONGLONG size, ULONGLONG pos, struct stream_prng **out);

STREAM_BASE_METHODS(prng, IStreamPseudoRandomBased)

static HRESULT WINAPI prng_put_Seed(IStreamPseudoRandomBased *iface, ULONG value)
{
    struct stream_prng *prng = impl_from_IStreamPseudoRandomBased(iface);
    TRACE("%#lx\n", (unsigned long)value);
    prng->seed = value;
    prng->base.pos = 0; /* documented: seeding seeks to the start */
    return S_OK;
}

static HRESULT WINAPI prng_get_Seed(IStreamPseudoRandomBased *iface, ULONG *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IStreamPseudoRandomBased(iface)->seed;
    return S_OK;
}

/* Documented as not implemented on Windows. */
static HRESULT WINAPI prng_put_ExtendedSeed(IStreamPseudoRandomBased *iface, ULONG *values, ULONG count)
{
    (void)iface; (void)values;
    FIXME("%lu values: not implemented, as on Windows\n", (unsigned long)count);
    return E_NOTIMPL;
}

static HRESULT WINAPI prng_get_ExtendedSeed(IStreamPseudoRandomBased *iface, ULONG **values, ULONG *count)
{
    (void)iface;
    if (values)
        *values = NULL;
    if (count)
        *count = 0;
    return E_NOTIMPL;
}

static const IStreamPseudoRandomBasedVtbl stream_prng_vtbl = {
    STREAM_BASE_VTBL_ENTRIES(prng),
    prng_put_Seed,
    prng_get_Seed,
    prng_put_ExtendedSeed,
    prng_get_ExtendedSeed,
};

/* Byte i is byte (i % 4) of word i / 4, word k being the state k + 1 steps
 * after the seed; one skip to the first word, then plain stepping. */
static HRESULT prng_read_at(struct stream_base *s, ULONGLONG pos, BYTE *buf, ULONG len, ULONG *done)
{
    struct stream_prng *prng = CONTAINING_RECORD(s, struct stream_prng, base);
    uint32_t state = lcg_skip(prng->seed, pos / 4 + 1);
    unsigned byte = pos % 4;
    for (ULONG i = 0; i < len; i++) {
        buf[i] = (BYTE)(state >> (8 * byte));
        if (++byte == 4) {
            byte = 0;
            state = state * PRNG_MULTIPLIER + PRNG_INCREMENT;
        }
    }
    *done = len;
    return S_OK;
}

static HRESULT prng_clone(struct stream_base *s, IStream **out)
{
    struct stream_prng *prng = CONTAINING_RECORD(s, struct stream_prng, base), *copy;
    HRESULT hr = stream_prng_new(prng->seed, s->size, s->pos, &copy);
    if (SUCCEEDED(hr))
        *out = &copy->base.IStream_iface;
    return hr;
}

static const struct stream_class stream_prng_class = {
    &stream_prng_vtbl, &IID_IStreamPseudoRandomBased, TRUE, prng_read_at, prng_clone, NULL
};

static HRESULT stream_prng_new(ULONG seed, ULONGLONG size, ULONGLONG pos, struct stream_prng **out)
{
    struct stream_prng *prng = stream_base_new(sizeof(*prng), &stream_prng_class);
    if (!prng)
        return E_OUTOFMEMORY;
    prng->base.size = size;
    prng->base.pos = pos;
    prng->seed = seed;
    *out = prng;
    return S_OK;
}

HRESULT stream_prng_create(IUnknown *outer, REFIID riid, void **out)
{
    (void)outer;
    return stream_base_create(sizeof(struct stream_prng), &stream_prng_class, riid, out);
}
