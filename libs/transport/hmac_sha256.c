/* SHA-256 after FIPS 180-4 section 6.2, HMAC after RFC 2104 (hmac_sha256.h). */
#include "hmac_sha256.h"

#include <string.h>

/* FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* FIPS 180-4 5.3.3: square roots of the first 8 primes. */
static const uint32_t h0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return x >> n | x << (32 - n);
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* FIPS 180-4 6.2.2: one 512-bit block. */
static void compress(uint32_t h[8], const uint8_t block[SHA256_BLOCK])
{
    uint32_t w[64], v[8];
    for (int t = 0; t < 16; t++)
        w[t] = get_be32(block + 4 * t);
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ w[t - 15] >> 3;
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ w[t - 2] >> 10;
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    memcpy(v, h, sizeof(v));
    for (int t = 0; t < 64; t++) {
        /* v: a b c d e f g h */
        uint32_t sum1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
        uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint32_t t1 = v[7] + sum1 + ch + k[t] + w[t];
        uint32_t sum0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
        uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        memmove(v + 1, v, 7 * sizeof(v[0]));
        v[4] += t1;
        v[0] = t1 + sum0 + maj;
    }
    for (int i = 0; i < 8; i++)
        h[i] += v[i];
}

void sha256_init(struct sha256 *s)
{
    memcpy(s->h, h0, sizeof(s->h));
    s->total = 0;
    s->used = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
    const uint8_t *p = data;
    s->total += len;
    while (len > 0) {
        size_t take = SHA256_BLOCK - s->used < len ? SHA256_BLOCK - s->used : len;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        len -= take;
        if (s->used == SHA256_BLOCK) {
            compress(s->h, s->block);
            s->used = 0;
        }
    }
}

/* FIPS 180-4 5.1.1: a 1 bit, zeros, the length in bits (64-bit big-endian). */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_SIZE])
{
    uint64_t bits = s->total * 8;
    uint8_t pad[SHA256_BLOCK + 8] = { 0x80 };
    size_t pad_len = (s->used < 56 ? 56 : 120) - s->used;
    for (int i = 0; i < 8; i++)
        pad[pad_len + (size_t)i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(s, pad, pad_len + 8);
    for (int i = 0; i < 8; i++)
        put_be32(out + 4 * i, s->h[i]);
    memset(s, 0, sizeof(*s));
}

void sha256(const void *data, size_t len, uint8_t out[SHA256_SIZE])
{
    struct sha256 s;
    sha256_init(&s);
    sha256_update(&s, data, len);
    sha256_final(&s, out);
}

/* RFC 2104: H((K ^ opad) || H((K ^ ipad) || text)); a key longer than a
 * block is hashed first. */
void hmac_sha256(const void *key, size_t key_len, const struct hmac_part *parts, size_t n_parts,
                 uint8_t out[SHA256_SIZE])
{
    uint8_t k0[SHA256_BLOCK] = { 0 }, pad[SHA256_BLOCK], inner[SHA256_SIZE];
    struct sha256 s;
    if (key_len > SHA256_BLOCK)
        sha256(key, key_len, k0);
    else if (key_len)
        memcpy(k0, key, key_len);
    for (int i = 0; i < SHA256_BLOCK; i++)
        pad[i] = k0[i] ^ 0x36;
    sha256_init(&s);
    sha256_update(&s, pad, sizeof(pad));
    for (size_t i = 0; i < n_parts; i++)
        sha256_update(&s, parts[i].data, parts[i].len);
    sha256_final(&s, inner);
    for (int i = 0; i < SHA256_BLOCK; i++)
        pad[i] = k0[i] ^ 0x5c;
    sha256_init(&s);
    sha256_update(&s, pad, sizeof(pad));
    sha256_update(&s, inner, sizeof(inner));
    sha256_final(&s, out);
    memset(k0, 0, sizeof(k0));
    memset(pad, 0, sizeof(pad));
}

int mem_equal_ct(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a, *y = b;
    uint8_t diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= x[i] ^ y[i];
    return diff == 0;
}
