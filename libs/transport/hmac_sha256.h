/* SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), written from the
 * published definitions for the sgio-pipe handshake (sgpipe_proto.h), plus
 * a comparison that takes the same time wherever the inputs differ.
 * Portable C11; tests/unit/test_transport_sgpipe.c checks them against the
 * FIPS 180 examples and the RFC 4231 test cases. */
#ifndef IMAPI2_TRANSPORT_HMAC_SHA256_H
#define IMAPI2_TRANSPORT_HMAC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_SIZE 32
#define SHA256_BLOCK 64

struct sha256 {
    uint32_t h[8];
    uint64_t total;             /* bytes hashed so far */
    uint8_t block[SHA256_BLOCK];
    size_t used;                /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_SIZE]);
void sha256(const void *data, size_t len, uint8_t out[SHA256_SIZE]);

/* HMAC-SHA-256 of the concatenation of `parts` (n_parts pieces). */
struct hmac_part {
    const void *data;
    size_t len;
};
void hmac_sha256(const void *key, size_t key_len, const struct hmac_part *parts, size_t n_parts,
                 uint8_t out[SHA256_SIZE]);

/* 1 when the n bytes are equal, else 0; the time does not depend on where
 * (or whether) they differ. */
int mem_equal_ct(const void *a, const void *b, size_t n);

#endif
