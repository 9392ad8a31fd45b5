/* CD-Text packs (libs/mmc/cdtext.c): the CRC against packs published with
 * real discs' CD-Text, a committed golden pack set for a fixed multi-track
 * description (also read back by libcdio's cd-info through a CDTEXTFILE
 * when it is installed, and by our decoder), round trips, corruption that
 * must be caught, inputs that must be refused, and the lead-in symbols. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "okay.h"
#include "host_files.h"
#include "mmc/cdtext.h"
#include "cdtext_two_blocks.h"
#include "mmc/geometry.h"

static size_t hex_to_bytes(const char *hex, uint8_t *out, size_t max)
{
    size_t n = 0;
    unsigned v;
    int used;
    while (n < max && sscanf(hex, " %2x%n", &v, &used) == 1) {
        out[n++] = (uint8_t)v;
        hex += used;
    }
    return n;
}

/* ---- independent vectors ---- */

/* Packs printed in libburn's doc/cdtext.txt (three size packs and the
 * 0x88 / 0x89 TOC packs of Sony's sample) and in cdrecord's cdtext.c (the
 * size packs of a commercial disc): produced by other encoders, CRC
 * included, so they check our CRC and inversion independently. */
static const char *const published_packs[] = {
    "8f 00 2a 00 01 01 03 00 06 05 04 05 07 06 01 02 48 65",
    "8f 01 2b 00 00 00 00 00 00 00 06 03 2c 00 00 00 c0 20",
    "8f 02 2c 00 00 00 00 00 09 00 00 00 00 00 00 00 11 45",
    "8f 00 2b 00 01 01 0d 03 0c 0c 00 00 00 00 01 00 7b 3d",
    "8f 01 2c 00 00 00 00 00 00 00 12 03 2d 00 00 00 da b7",
    "8f 02 2d 00 00 00 00 00 09 00 00 00 00 00 00 00 6a 24",
    "88 00 23 00 01 0e 00 3f 02 12 00 00 00 00 00 00 12 00",
    "88 01 24 00 00 02 00 04 0b 19 08 02 32 0b 2f 3e 67 2d",
    "89 01 28 00 01 04 00 00 00 00 02 29 30 02 34 3a f3 0c",
};

static void test_published_crc(void)
{
    for (size_t i = 0; i < sizeof(published_packs) / sizeof(published_packs[0]); i++) {
        uint8_t p[CDTEXT_PACK_SIZE], q[CDTEXT_PACK_SIZE];
        ok(hex_to_bytes(published_packs[i], p, sizeof(p)) == CDTEXT_PACK_SIZE, "vector %zu parses\n", i);
        ok(cdtext_pack_crc_ok(p), "published pack %zu: CRC accepted\n", i);
        memcpy(q, p, sizeof(q));
        cdtext_pack_set_crc(q);
        ok(memcmp(p, q, sizeof(p)) == 0, "published pack %zu: our CRC equals the printed one\n", i);
        q[5] ^= 0x10;
        ok(!cdtext_pack_crc_ok(q), "published pack %zu: a flipped bit is caught\n", i);
    }
}

/* ---- the golden description ---- */

static struct cdtext *golden_text(void)
{
    struct cdtext *t = NULL;
    int rc = cdtext_create(&t);
    rc |= cdtext_set(t, CDTEXT_TITLE, 0, "Golden Album");
    rc |= cdtext_set(t, CDTEXT_PERFORMER, 0, "The Testers");
    rc |= cdtext_set(t, CDTEXT_TITLE, 1, "First Song");
    rc |= cdtext_set(t, CDTEXT_TITLE, 2, "Second Song, whose title spans packs");
    rc |= cdtext_set(t, CDTEXT_TITLE, 3, "Dritter \xc4rger"); /* Latin-1 A umlaut */
    rc |= cdtext_set(t, CDTEXT_PERFORMER, 1, "The Testers");
    rc |= cdtext_set(t, CDTEXT_PERFORMER, 2, "The Testers");
    rc |= cdtext_set(t, CDTEXT_PERFORMER, 3, "Guest Singer");
    rc |= cdtext_set(t, CDTEXT_COMPOSER, 2, "A. Composer");
    rc |= cdtext_set(t, CDTEXT_MESSAGE, 0, "Made by unit tests");
    rc |= cdtext_set(t, CDTEXT_DISC_ID, 0, "GOLD-1");
    rc |= cdtext_set(t, CDTEXT_GENRE, 0, "Test tones");
    cdtext_set_genre_code(t, 0x0005);
    rc |= cdtext_set(t, CDTEXT_UPC_ISRC, 0, "0000000000017");
    rc |= cdtext_set(t, CDTEXT_UPC_ISRC, 1, "ZZRBN2500001");
    ok(rc == 0, "golden description set up (%d)\n", rc);
    return t;
}

/* Committed output of cdtext_encode(golden_text(), 1, 3, no TABs). A change
 * here is a change of the bytes every disc gets: it must be deliberate. The
 * same bytes are decoded by libcdio (test_cdinfo_reads_golden) and by our
 * decoder (test_golden). */
static const char golden_hex[] =
    "80 00 00 00 47 6f 6c 64 65 6e 20 41 6c 62 75 6d ec 53 "
    "80 00 01 0c 00 46 69 72 73 74 20 53 6f 6e 67 00 58 41 "
    "80 02 02 00 53 65 63 6f 6e 64 20 53 6f 6e 67 2c 8b 8a "
    "80 02 03 0c 20 77 68 6f 73 65 20 74 69 74 6c 65 6b c4 "
    "80 02 04 0f 20 73 70 61 6e 73 20 70 61 63 6b 73 f4 52 "
    "80 02 05 0f 00 44 72 69 74 74 65 72 20 c4 72 67 d3 78 "
    "80 03 06 0b 65 72 00 00 00 00 00 00 00 00 00 00 7d 53 "
    "81 00 07 00 54 68 65 20 54 65 73 74 65 72 73 00 b5 6f "
    "81 01 08 00 54 68 65 20 54 65 73 74 65 72 73 00 80 fe "
    "81 02 09 00 54 68 65 20 54 65 73 74 65 72 73 00 18 ba "
    "81 03 0a 00 47 75 65 73 74 20 53 69 6e 67 65 72 d8 73 "
    "81 03 0b 0c 00 00 00 00 00 00 00 00 00 00 00 00 d4 b0 "
    "83 00 0c 00 00 00 41 2e 20 43 6f 6d 70 6f 73 65 88 44 "
    "83 02 0d 0a 72 00 00 00 00 00 00 00 00 00 00 00 3c 73 "
    "85 00 0e 00 4d 61 64 65 20 62 79 20 75 6e 69 74 f4 b0 "
    "85 00 0f 0c 20 74 65 73 74 73 00 00 00 00 00 00 22 ed "
    "86 00 10 00 47 4f 4c 44 2d 31 00 00 00 00 00 00 71 9d "
    "87 00 11 00 00 05 54 65 73 74 20 74 6f 6e 65 73 44 f2 "
    "87 00 12 0c 00 00 00 00 00 00 00 00 00 00 00 00 a1 d3 "
    "8e 00 13 00 30 30 30 30 30 30 30 30 30 30 30 31 64 52 "
    "8e 00 14 0c 37 00 5a 5a 52 42 4e 32 35 30 30 30 ee 80 "
    "8e 01 15 0a 30 31 00 00 00 00 00 00 00 00 00 00 37 1d "
    "8f 00 16 00 00 01 03 00 07 05 00 02 00 02 01 02 ad ad "
    "8f 01 17 00 00 00 00 00 00 00 03 03 18 00 00 00 28 cf "
    "8f 02 18 00 00 00 00 00 09 00 00 00 00 00 00 00 b7 d8";

#define MAX_BYTES (CDTEXT_BLOCK_PACKS * CDTEXT_PACK_SIZE)

static uint8_t golden[MAX_BYTES];
static size_t golden_count;

static void dump_packs(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("    \"");
        for (int j = 0; j < CDTEXT_PACK_SIZE; j++)
            printf(j ? " %02x" : "%02x", p[i * CDTEXT_PACK_SIZE + j]);
        printf("\"\n");
    }
}

static int same_field(const struct cdtext *a, const struct cdtext *b, int field, int track)
{
    const char *x = cdtext_get(a, field, track), *y = cdtext_get(b, field, track);
    return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static int same_text(const struct cdtext *a, const struct cdtext *b)
{
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++)
        for (int n = 0; n <= CDTEXT_MAX_TRACK; n++)
            if (!same_field(a, b, f, n))
                return 0;
    return cdtext_genre_code(a) == cdtext_genre_code(b) && cdtext_language(a) == cdtext_language(b);
}

static void test_golden(void)
{
    struct cdtext *t = golden_text(), *back = NULL;
    uint8_t packs[MAX_BYTES];
    size_t n = 0;
    golden_count = hex_to_bytes(golden_hex, golden, sizeof(golden)) / CDTEXT_PACK_SIZE;
    ok(golden_count == 25, "golden has %zu packs\n", golden_count);
    ok(cdtext_encode(t, 1, 3, false, packs, CDTEXT_BLOCK_PACKS, &n) == CDTEXT_OK, "golden encodes\n");
    int same = n == golden_count && memcmp(packs, golden, n * CDTEXT_PACK_SIZE) == 0;
    ok(same, "encoder output equals the committed golden (%zu packs)\n", n);
    if (!same)
        dump_packs(packs, n);
    struct cdtext_size_info si;
    ok(cdtext_decode(golden, golden_count, &back, &si) == CDTEXT_OK && back && same_text(t, back),
       "the golden decodes to the description\n");
    ok(si.charset == CDTEXT_CHARSET_LATIN1 && si.first_track == 1 && si.last_track == 3 &&
           si.pack_count[0] == 7 && si.pack_count[1] == 5 && si.pack_count[0xF] == 3 &&
           si.last_sequence[0] == 24 && si.language[0] == CDTEXT_LANGUAGE_ENGLISH,
       "size info: charset %u tracks %u-%u counts %u/%u/%u last %u language %u\n", si.charset, si.first_track,
       si.last_track, si.pack_count[0], si.pack_count[1], si.pack_count[0xF], si.last_sequence[0], si.language[0]);
    /* spot checks a reader of MMC Annex J would make by hand */
    ok(golden[18 * 2 + 1] == 2 && golden[18 * 3 + 3] == 12 && golden[18 * 4 + 3] == 15,
       "track and character position of a title spanning packs\n");
    cdtext_free(back);
    cdtext_free(t);
}

/* libcdio's own CD-Text parser reads the golden packs from a CDTEXTFILE. */
static void test_cdinfo_reads_golden(void)
{
    const char *tool = getenv("CD_INFO") && *getenv("CD_INFO") ? getenv("CD_INFO") : "cd-info";
    if (!tool_present(tool)) {
        skip("cd-info not installed\n");
        return;
    }
    char base[128], path[160], cmd[640];
    snprintf(base, sizeof(base), "/tmp/test_mmc_cdtext_%ld", (long)getpid());
    snprintf(path, sizeof(path), "%s.cdt", base);
    FILE *f = fopen(path, "wb");
    ok(f && fwrite(golden, CDTEXT_PACK_SIZE, golden_count, f) == golden_count, "wrote %s\n", path);
    if (f)
        fclose(f);
    snprintf(path, sizeof(path), "%s.bin", base);
    f = fopen(path, "wb");
    static const uint8_t silence[CD_SECTOR_SIZE];
    for (int i = 0; f && i < 900; i++)
        fwrite(silence, 1, sizeof(silence), f);
    if (f)
        fclose(f);
    snprintf(path, sizeof(path), "%s.cue", base);
    f = fopen(path, "w");
    if (f) {
        fprintf(f, "CDTEXTFILE \"%s.cdt\"\nFILE \"%s.bin\" BINARY\n", strrchr(base, '/') + 1, strrchr(base, '/') + 1);
        for (int n = 1; n <= 3; n++)
            fprintf(f, "  TRACK %02d AUDIO\n    INDEX 01 00:%02d:00\n", n, (n - 1) * 4);
        fclose(f);
    }
    snprintf(cmd, sizeof(cmd), "cd /tmp && %s --no-header --no-device-info --no-cddb -q --cue-file %s > %s.out 2>&1",
             tool, path, base);
    int rc = system(cmd);
    snprintf(path, sizeof(path), "%s.out", base);
    const char *out = slurp(path);
    ok(rc == 0 && out && strstr(out, "TITLE: Golden Album") && strstr(out, "PERFORMER: The Testers") &&
           strstr(out, "TITLE: Second Song, whose title spans packs") && strstr(out, "TITLE: Dritter \xc3\x84rger") &&
           strstr(out, "PERFORMER: Guest Singer") && strstr(out, "COMPOSER: A. Composer") &&
           strstr(out, "MESSAGE: Made by unit tests") && strstr(out, "DISC_ID: GOLD-1") &&
           strstr(out, "GENRE: Test tones") && strstr(out, "GENRE_CODE: 5") && strstr(out, "UPC_EAN: 0000000000017") &&
           strstr(out, "ISRC: ZZRBN2500001"),
       "cd-info decodes the golden packs (rc %d):\n%s", rc, out ? out : "");
    static const char *const ext[] = { ".cdt", ".bin", ".cue", ".out" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "%s%s", base, ext[i]);
        remove(path);
    }
}

/* ---- round trips ---- */

static void test_round_trip(void)
{
    struct cdtext *t = golden_text(), *back = NULL;
    uint8_t packs[MAX_BYTES], tabbed[MAX_BYTES];
    size_t n = 0, m = 0;
    ok(cdtext_encode(t, 1, 3, true, tabbed, CDTEXT_BLOCK_PACKS, &m) == CDTEXT_OK, "encodes with TABs\n");
    ok(cdtext_encode(t, 1, 3, false, packs, CDTEXT_BLOCK_PACKS, &n) == CDTEXT_OK && m < n,
       "TABs save packs (%zu < %zu)\n", m, n);
    ok(cdtext_decode(tabbed, m, &back, NULL) == CDTEXT_OK && back && same_text(t, back),
       "TAB form decodes to the same texts\n");
    cdtext_free(back);
    back = NULL;

    /* tracks starting at 5: strings after the album's go to 5, 6 */
    struct cdtext *s = NULL;
    cdtext_create(&s);
    cdtext_set(s, CDTEXT_TITLE, 5, "five");
    cdtext_set(s, CDTEXT_TITLE, 6, "six");
    cdtext_set(s, CDTEXT_ARRANGER, 0, "arr");
    cdtext_set(s, CDTEXT_SONGWRITER, 6, "writer");
    ok(cdtext_encode(s, 5, 6, false, packs, CDTEXT_BLOCK_PACKS, &n) == CDTEXT_OK &&
           cdtext_decode(packs, n, &back, NULL) == CDTEXT_OK && back && same_text(s, back),
       "first track 5 round trip\n");
    cdtext_free(back);
    back = NULL;

    /* long texts: 99 tracks of 24 characters fill 200 packs and more */
    struct cdtext *big = NULL;
    cdtext_create(&big);
    char text[48];
    for (int k = 1; k <= 99; k++) {
        snprintf(text, sizeof(text), "Track number %02d title...", k % 100);
        cdtext_set(big, CDTEXT_TITLE, k, text);
    }
    ok(cdtext_encode(big, 1, 99, false, packs, CDTEXT_BLOCK_PACKS, &n) == CDTEXT_OK && n > 200 &&
           cdtext_decode(packs, n, &back, NULL) == CDTEXT_OK && back && same_text(big, back),
       "99 tracks round trip (%zu packs)\n", n);
    cdtext_free(back);
    cdtext_free(big);
    cdtext_free(s);
    cdtext_free(t);
}

/* ---- corruption the decoder must catch ---- */

static void test_corruption(void)
{
    uint8_t p[MAX_BYTES];
    size_t n = golden_count;
    memcpy(p, golden, n * CDTEXT_PACK_SIZE);
    p[18 * 3 + 7] ^= 0x01;
    ok(cdtext_decode(p, n, NULL, NULL) == CDTEXT_ERR_CRC, "changed text byte: CRC error\n");

    memcpy(p, golden, n * CDTEXT_PACK_SIZE);
    memcpy(p + 18 * 3, golden + 18 * 4, 18);
    memcpy(p + 18 * 4, golden + 18 * 3, 18);
    ok(cdtext_decode(p, n, NULL, NULL) == CDTEXT_ERR_SEQUENCE, "swapped packs: sequence error\n");

    ok(cdtext_decode(golden, n - 1, NULL, NULL) == CDTEXT_ERR_SIZE_INFO, "last size pack missing\n");

    memcpy(p, golden, n * CDTEXT_PACK_SIZE);
    p[18 * 22 + 4 + 4] = 8; /* 8 title packs claimed */
    cdtext_pack_set_crc(p + 18 * 22);
    ok(cdtext_decode(p, n, NULL, NULL) == CDTEXT_ERR_SIZE_INFO, "size info count wrong (CRC fixed up)\n");

    memcpy(p, golden, n * CDTEXT_PACK_SIZE);
    p[18 * 3 + 3] = 0x0B; /* character position */
    cdtext_pack_set_crc(p + 18 * 3);
    ok(cdtext_decode(p, n, NULL, NULL) == CDTEXT_ERR_FORMAT, "wrong character position\n");

    memcpy(p, golden, n * CDTEXT_PACK_SIZE);
    p[18 * 2 + 1] = 1; /* track byte */
    cdtext_pack_set_crc(p + 18 * 2);
    ok(cdtext_decode(p, n, NULL, NULL) == CDTEXT_ERR_FORMAT, "wrong track number in a header\n");

    memcpy(p, golden, n * CDTEXT_PACK_SIZE);
    p[18 * 6 + 4 + 11] = 'x'; /* last title pack loses its padding NUL: fine; lose the terminator */
    p[18 * 6 + 4 + 2] = 'y';
    memset(p + 18 * 6 + 4 + 2, 'z', 10);
    cdtext_pack_set_crc(p + 18 * 6);
    ok(cdtext_decode(p, n, NULL, NULL) == CDTEXT_ERR_FORMAT, "unterminated last string\n");
}

/* ---- inputs refused ---- */

static void test_bad_inputs(void)
{
    struct cdtext *t = NULL;
    uint8_t packs[MAX_BYTES];
    size_t n;
    cdtext_create(&t);
    ok(cdtext_set(t, CDTEXT_TITLE, 100, "x") == CDTEXT_ERR_TRACK, "track 100\n");
    ok(cdtext_set(t, CDTEXT_TITLE, -1, "x") == CDTEXT_ERR_TRACK, "track -1\n");
    ok(cdtext_set(t, CDTEXT_DISC_ID, 1, "x") == CDTEXT_ERR_TRACK, "disc id for a track\n");
    ok(cdtext_set(t, 0x8, 0, "x") == CDTEXT_ERR_FIELD && cdtext_set(t, 0x8F, 0, "x") == CDTEXT_ERR_FIELD,
       "binary / unknown fields\n");
    ok(cdtext_set(t, CDTEXT_TITLE, 1, "tab\there") == CDTEXT_ERR_CHAR, "TAB in text\n");
    ok(cdtext_set(t, CDTEXT_TITLE, 1, "bell\a") == CDTEXT_ERR_CHAR, "control character\n");
    ok(cdtext_set(t, CDTEXT_TITLE, 1, "c1 \x85") == CDTEXT_ERR_CHAR, "C1 control\n");
    ok(cdtext_set(t, CDTEXT_UPC_ISRC, 1, "\xc4") == CDTEXT_ERR_CHAR, "ISRC must be ASCII\n");
    char latin1[16];
    ok(cdtext_latin1_from_utf8("\xc3\x84rger", latin1, sizeof(latin1)) == CDTEXT_OK && !strcmp(latin1, "\xc4rger"),
       "UTF-8 within Latin-1 converts\n");
    ok(cdtext_latin1_from_utf8("\xe2\x82\xac", latin1, sizeof(latin1)) == CDTEXT_ERR_CHAR, "euro sign refused\n");
    ok(cdtext_latin1_from_utf8("\xc3", latin1, sizeof(latin1)) == CDTEXT_ERR_CHAR, "cut UTF-8 refused\n");
    ok(cdtext_latin1_from_utf8("0123456789abcdef", latin1, sizeof(latin1)) == CDTEXT_ERR_TOO_LONG, "too long\n");

    ok(cdtext_set(t, CDTEXT_TITLE, 5, "five") == CDTEXT_OK &&
           cdtext_encode(t, 1, 3, false, packs, CDTEXT_BLOCK_PACKS, &n) == CDTEXT_ERR_TRACK,
       "text for track 5 on a 3-track disc\n");
    ok(cdtext_encode(t, 0, 5, false, packs, CDTEXT_BLOCK_PACKS, &n) == CDTEXT_ERR_TRACK &&
           cdtext_encode(t, 5, 100, false, packs, CDTEXT_BLOCK_PACKS, &n) == CDTEXT_ERR_TRACK,
       "track range 0 / 100\n");
    cdtext_set(t, CDTEXT_TITLE, 5, NULL);
    char big[2000];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    cdtext_set(t, CDTEXT_TITLE, 1, big);
    cdtext_set(t, CDTEXT_PERFORMER, 1, big);
    ok(cdtext_encode(t, 1, 3, false, packs, CDTEXT_BLOCK_PACKS, &n) == CDTEXT_ERR_TOO_LONG,
       "more than 253 packs refused\n");
    ok(cdtext_encode(t, 1, 3, false, packs, 2, &n) == CDTEXT_ERR_TOO_LONG, "no room for the size packs\n");
    memset(big, 'b', sizeof(big));
    ok(strcmp(cdtext_strerror(CDTEXT_ERR_TOO_LONG), cdtext_strerror(CDTEXT_ERR_CRC)) != 0 &&
           strstr(cdtext_strerror(CDTEXT_ERR_TOO_LONG), "253"),
       "messages say what is wrong\n");
    cdtext_free(t);
}

/* ---- lead-in symbols ---- */

static void test_symbols(void)
{
    uint8_t sym[CDTEXT_SYMBOLS_PER_PACK], back[CDTEXT_PACK_SIZE];
    cdtext_pack_to_symbols(golden, sym);
    int small = 1;
    for (int i = 0; i < CDTEXT_SYMBOLS_PER_PACK; i++)
        small &= sym[i] < 64;
    /* 80 00 00 00 47 6f -> 100000 000000 000000 000000 000000 000100 011101 101111 */
    ok(small && sym[0] == 0x20 && sym[1] == 0 && sym[4] == 0 && sym[5] == 0x04 && sym[6] == 0x1d && sym[7] == 0x2f,
       "symbols are 6-bit, MSB first: %02x %02x %02x %02x %02x\n", sym[0], sym[1], sym[5], sym[6], sym[7]);
    cdtext_symbols_to_pack(sym, back);
    ok(memcmp(back, golden, CDTEXT_PACK_SIZE) == 0, "symbols back to the pack\n");

    uint8_t s96[CDTEXT_SECTOR_SYMBOLS], p[CDTEXT_PACK_SIZE];
    cdtext_leadin_symbols(golden, golden_count, 7, s96);
    cdtext_symbols_to_pack(s96 + 2 * CDTEXT_SYMBOLS_PER_PACK, p);
    ok(memcmp(p, golden + ((7 * 4 + 2) % golden_count) * CDTEXT_PACK_SIZE, CDTEXT_PACK_SIZE) == 0,
       "sector 7 carries pack (7*4+2) mod count in its third quarter\n");

    struct cdtext_collector *c = malloc(sizeof(*c));
    cdtext_collector_reset(c);
    int sectors = 0;
    for (uint64_t s = 1000; !cdtext_collector_complete(c) && sectors < 100; s++, sectors++) {
        cdtext_leadin_symbols(golden, golden_count, s, s96);
        if (s == 1001)
            s96[30] ^= 0x01; /* a damaged pack is skipped, its next copy taken */
        cdtext_collector_add(c, s96);
    }
    uint8_t out[MAX_BYTES];
    size_t n = cdtext_collector_packs(c, out, CDTEXT_BLOCK_PACKS);
    ok(n == golden_count && memcmp(out, golden, n * CDTEXT_PACK_SIZE) == 0 && sectors <= 9,
       "collector rebuilds the set from any start despite a bad pack (%zu packs, %d sectors)\n", n, sectors);
    free(c);
}

/* ---- packs as another writer makes them (tests/include/cdtext_two_blocks.h) ---- */

static void test_other_writers(void)
{
    struct pack_set s;
    make_two_blocks(&s);
    struct cdtext *t = NULL;
    struct cdtext_size_info si;
    int rc = cdtext_decode(&s.p[0][0], s.n, &t, &si);
    ok(rc == CDTEXT_OK && t, "two blocks, libburn-style genre continuation: %s\n", cdtext_strerror(rc));
    if (t) {
        ok(!strcmp(cdtext_get(t, CDTEXT_TITLE, 0), "Album") && !strcmp(cdtext_get(t, CDTEXT_TITLE, 2), "Two") &&
               !strcmp(cdtext_get(t, CDTEXT_PERFORMER, 2), "Guest"),
           "block 0's texts\n");
        ok(!strcmp(cdtext_get(t, CDTEXT_GENRE, 0), "Alternative Rock") && cdtext_genre_code(t) == 0x0013 &&
               cdtext_language(t) == 0x09,
           "genre %s code %#x language %#x\n", cdtext_get(t, CDTEXT_GENRE, 0), cdtext_genre_code(t),
           cdtext_language(t));
        ok(si.last_sequence[1] > 2 && si.language[1] == 0x08, "block 1 listed (last sequence %u, language %#x)\n",
           si.last_sequence[1], si.language[1]);
    }
    cdtext_free(t);

    /* what is truly broken in the second block is still reported */
    struct pack_set bad = s;
    bad.p[bad.n - 5][6] ^= 0x20;
    ok(cdtext_decode(&bad.p[0][0], bad.n, NULL, NULL) == CDTEXT_ERR_CRC, "block 1 CRC error reported\n");
    bad = s;
    size_t first1 = 0;
    while ((bad.p[first1][3] >> 4) == 0)
        first1++;
    bad.p[first1 + 1][1] = 9; /* block 1's title pack names a track the disc lacks */
    uint16_t crc = own_crc(bad.p[first1 + 1], 16);
    bad.p[first1 + 1][16] = (uint8_t)(crc >> 8), bad.p[first1 + 1][17] = (uint8_t)crc;
    ok(cdtext_decode(&bad.p[0][0], bad.n, NULL, NULL) == CDTEXT_ERR_FORMAT, "block 1 bad track number reported\n");
}

int main(void)
{
    test_published_crc();
    test_golden();
    test_cdinfo_reads_golden();
    test_round_trip();
    test_corruption();
    test_bad_inputs();
    test_symbols();
    test_other_writers();
    return okay_summary("mmc_cdtext");
}
