/* CD-Text packs as another writer makes them, written from the pack format
 * for the tests (never with libs/mmc/cdtext.c): two blocks (block 0
 * English, block 1 German), each with titles, performers and a genre whose
 * text runs into a second pack. That continuation pack's character
 * position counts the genre text without its 2-byte code (10, where our
 * writer says 12), as libcdio's cdtext-libburnia.cdt (made by libburn)
 * does. Used by tests/unit/test_mmc_cdtext.c and, for rawburn's CDTEXTFILE,
 * tests/cli/cdtpacks.c. */
#ifndef IMAPI2_TESTS_CDTEXT_TWO_BLOCKS_H
#define IMAPI2_TESTS_CDTEXT_TWO_BLOCKS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint16_t own_crc(const uint8_t *p, size_t n)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++)
        for (int b = 7; b >= 0; b--) {
            int bit = ((p[i] >> b) & 1) ^ (crc >> 15);
            crc = (uint16_t)(crc << 1);
            if (bit)
                crc ^= 0x1021;
        }
    return (uint16_t)~crc;
}

struct pack_set {
    uint8_t p[64][18];
    size_t n;
    uint8_t seq;
};

static inline void put_pack(struct pack_set *s, int block, uint8_t type, uint8_t track, uint8_t pos,
                            const uint8_t *text)
{
    uint8_t *p = s->p[s->n++];
    p[0] = type, p[1] = track, p[2] = s->seq++, p[3] = (uint8_t)(block << 4 | (pos > 15 ? 15 : pos));
    memcpy(p + 4, text, 12);
    uint16_t crc = own_crc(p, 16);
    p[16] = (uint8_t)(crc >> 8), p[17] = (uint8_t)crc;
}

/* One type's strings (album, then tracks 1..) cut into packs. skip: bytes
 * at the start of the first string that the character position leaves out. */
static inline void put_type(struct pack_set *s, int block, uint8_t type, const char *const *strings, int count,
                     const uint8_t *prefix, size_t skip)
{
    uint8_t bytes[400];
    int owner[400], offset[400];
    size_t n = 0;
    for (int k = 0; k < count; k++) {
        size_t len = strlen(strings[k]);
        for (size_t i = 0; k == 0 && i < skip; i++, n++)
            bytes[n] = prefix[i], owner[n] = 0, offset[n] = -1;
        for (size_t i = 0; i <= len; i++, n++)
            bytes[n] = (uint8_t)strings[k][i], owner[n] = k, offset[n] = (int)i;
    }
    for (size_t at = 0; at < n; at += 12) {
        uint8_t text[12] = { 0 };
        memcpy(text, bytes + at, n - at < 12 ? n - at : 12);
        put_pack(s, block, type, (uint8_t)owner[at], (uint8_t)(offset[at] < 0 ? 0 : offset[at]), text);
    }
}

static inline void put_size_packs(struct pack_set *s, int block, size_t block_start, const uint8_t last_seq[8])
{
    uint8_t info[36] = { 0x00, 1, 2, 0 };
    for (size_t i = block_start; i < s->n; i++)
        info[4 + (s->p[i][0] & 0x0F)]++;
    info[4 + 0x0F] = 3;
    memcpy(info + 20, last_seq, 8);
    info[28] = 0x09, info[29] = 0x08; /* English, German */
    for (int k = 0; k < 3; k++)
        put_pack(s, block, 0x8F, (uint8_t)k, 0, info + 12 * k);
}

static inline void make_two_blocks(struct pack_set *s)
{
    static const char *const titles[2][3] = { { "Album", "One", "Two" }, { "Platte", "Eins", "Zwei" } };
    static const char *const performers[2][3] = { { "Band", "", "Guest" }, { "Gruppe", "", "Gast" } };
    static const char *const genre[2][1] = { { "Alternative Rock" }, { "Alternativer Rock" } };
    static const uint8_t code[2] = { 0x00, 0x13 };
    uint8_t last_seq[8] = { 0 };
    /* two passes: the first counts each block's packs for the size info */
    for (int pass = 0; pass < 2; pass++) {
        s->n = 0;
        for (int b = 0; b < 2; b++) {
            size_t start = s->n;
            s->seq = 0;
            put_type(s, b, 0x80, titles[b], 3, NULL, 0);
            put_type(s, b, 0x81, performers[b], 3, NULL, 0);
            put_type(s, b, 0x87, genre[b], 1, code, 2);
            put_size_packs(s, b, start, last_seq);
            last_seq[b] = (uint8_t)(s->n - start - 1);
        }
    }
}

#endif
