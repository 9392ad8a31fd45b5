/* Sub-channel encoding (libs/mmc/subcode.c) against the bit-at-a-time code
 * the library used before issue 24 (kept here as the reference): CRC-16/CCITT
 * shifted one bit at a time from the polynomial, and the P-W interleave one
 * bit at a time from its definition (symbol i carries bit 7 - c for channel
 * c; channel c's byte i / 8 holds its symbols MSB first). Random inputs,
 * SUBCODE_ROUNDS of them (default 50000), plus known answers. */
#include <stdint.h>
#include <string.h>

#include "okay.h"
#include "mmc/msf.h"
#include "mmc/subcode.h"

static uint16_t ref_crc16(const uint8_t *data, size_t len)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(data[i] << 8);
        for (int bit = 0; bit < 8; bit++)
            crc = (uint16_t)((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return (uint16_t)~crc;
}

static void ref_interleave(const uint8_t channels[8][12], uint8_t raw[CD_SUBCODE_RAW])
{
    for (int i = 0; i < CD_SUBCODE_RAW; i++) {
        uint8_t symbol = 0;
        for (int c = 0; c < 8; c++)
            if (channels[c][i / 8] & (0x80 >> (i % 8)))
                symbol |= (uint8_t)(0x80 >> c);
        raw[i] = symbol;
    }
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint8_t rnd(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint8_t)(rng >> 24);
}

static void test_crc16(void)
{
    /* CRC-16/XMODEM (poly 1021, init 0, no reflection) check value 31C3; the
     * disc stores it inverted. */
    ok(cd_crc16((const uint8_t *)"123456789", 9) == (uint16_t)~0x31C3, "check value %04x\n",
       cd_crc16((const uint8_t *)"123456789", 9));
    ok(cd_crc16(NULL, 0) == 0xFFFF, "CRC of nothing is ~0\n");
    /* Q of 00:02:00 in track 1 index 1, data track (control 4). */
    uint8_t q[12] = { 0x41, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 };
    cd_subq_set_crc(q);
    ok(cd_subq_crc_ok(q) && ((q[10] << 8) | q[11]) == ref_crc16(q, 10), "Q CRC stored big-endian\n");
    q[3] ^= 1;
    ok(!cd_subq_crc_ok(q), "a flipped bit fails the Q CRC\n");

    const char *env = getenv("SUBCODE_ROUNDS");
    long rounds = env && *env ? atol(env) : 50000, bad = 0;
    uint8_t buf[64];
    for (long k = 0; k < rounds; k++) {
        size_t n = rnd() % sizeof(buf);
        for (size_t i = 0; i < n; i++)
            buf[i] = rnd();
        bad += cd_crc16(buf, n) != ref_crc16(buf, n);
    }
    ok(bad == 0, "%ld random CRC-16s against the bitwise reference: %ld differ\n", rounds, bad);
}

static void test_interleave(void)
{
    uint8_t ch[8][12], raw[CD_SUBCODE_RAW], want[CD_SUBCODE_RAW], back[8][12];
    /* One bit at a time: channel c, byte j, bit b lands in symbol 8j + 7 - b, bit 7 - c. */
    int good = 1;
    for (int c = 0; c < 8; c++)
        for (int j = 0; j < 12; j++)
            for (int b = 0; b < 8; b++) {
                memset(ch, 0, sizeof(ch));
                ch[c][j] = (uint8_t)(1 << b);
                cd_subcode_interleave((const uint8_t(*)[12])ch, raw);
                for (int i = 0; i < CD_SUBCODE_RAW; i++)
                    good &= raw[i] == (i == 8 * j + 7 - b ? (uint8_t)(0x80 >> c) : 0);
            }
    ok(good, "each channel bit lands in its symbol\n");

    const char *env = getenv("SUBCODE_ROUNDS");
    long rounds = env && *env ? atol(env) : 50000, bad = 0, round_trip = 0;
    for (long k = 0; k < rounds; k++) {
        for (int c = 0; c < 8; c++)
            for (int j = 0; j < 12; j++)
                ch[c][j] = rnd();
        if (k % 3 == 0) /* P all 0 or all 1, as generated */
            memset(ch[0], k % 2 ? 0xFF : 0, 12);
        cd_subcode_interleave((const uint8_t(*)[12])ch, raw);
        ref_interleave((const uint8_t(*)[12])ch, want);
        bad += memcmp(raw, want, sizeof(raw)) != 0;
        cd_subcode_deinterleave(raw, back);
        round_trip += memcmp(back, ch, sizeof(ch)) != 0;
    }
    ok(bad == 0, "%ld random interleaves against the bitwise reference: %ld differ\n", rounds, bad);
    ok(round_trip == 0, "deinterleave undoes interleave: %ld differ\n", round_trip);
}

/* ---- the encoder: the inverse of the decoders ---- */

static bool same_subq(const struct cd_subq *a, const struct cd_subq *b)
{
    return a->control == b->control && a->adr == b->adr && a->tno == b->tno &&
           a->index_or_point == b->index_or_point && a->min == b->min && a->sec == b->sec &&
           a->frame == b->frame && a->zero == b->zero && a->amin == b->amin && a->asec == b->asec &&
           a->aframe == b->aframe && !strcmp(a->mcn, b->mcn) && !strcmp(a->isrc, b->isrc);
}

/* A random frame of every kind a generator makes, as the decoder gives it. */
static struct cd_subq random_subq(long k)
{
    static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const uint8_t points[] = { 0xA0, 0xA1, 0xA2, 0xB0, 0xC0 };
    int32_t lba = (int32_t)((rnd() << 16 | rnd() << 8 | rnd()) % 450000) - 22650;
    uint8_t control = rnd() & 0x0f;
    struct cd_subq s;
    switch (k % 5) {
    case 0: /* program area */
        return cd_subq_position(control, (uint8_t)(1 + rnd() % 99), (uint8_t)(rnd() % 100), rnd() * 97, lba);
    case 1: /* lead-out */
        return cd_subq_position(control, 0xAA, 1, rnd() * 53, lba);
    case 2: /* lead-in TOC: a track POINT or a code; A0's PSEC the disc type */
        s = cd_subq_toc(control, rnd() % 2 ? points[rnd() % 5] : (uint8_t)(1 + rnd() % 99), rnd() % 100,
                        rnd() % 2 ? rnd() % 60 : (uint8_t)(rnd() % 3 * 10), rnd() % 75, lba);
        return s;
    case 3: {
        char mcn[14];
        for (int i = 0; i < 13; i++)
            mcn[i] = (char)('0' + rnd() % 10);
        return cd_subq_catalog(control, mcn, lba);
    }
    default: {
        char isrc[13];
        for (int i = 0; i < 12; i++)
            isrc[i] = i < 5 ? alnum[rnd() % 36] : (char)('0' + rnd() % 10);
        return cd_subq_recording_code(control, isrc, lba);
    }
    }
}

static void test_encoder(void)
{
    /* Known answers: track 1 index 1 at 00:02:00 (control 4), the MCN and
     * ISRC layouts of IEC 60908. */
    uint8_t q[CD_SUBQ_LEN], pq[CD_SUBCODE_PQ], sub[CD_SUBCODE_RAW], back[CD_SUBQ_LEN];
    static const uint8_t want_q[10] = { 0x41, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00 };
    struct cd_subq s = cd_subq_position(4, 1, 1, 0, 0);
    cd_subq_encode(&s, q);
    ok(!memcmp(q, want_q, 10) && cd_subq_crc_ok(q), "ADR 1 at LBA 0: %02x %02x %02x .. %02x %02x %02x\n", q[0], q[1],
       q[2], q[7], q[8], q[9]);
    s = cd_subq_position(0, 0xAA, 1, 150, 1000);
    cd_subq_encode(&s, q);
    ok(q[1] == 0xAA && q[2] == 0x01 && q[4] == 0x02 && q[3] == 0 && q[5] == 0, "lead-out TNO AA, 00:02:00 relative\n");
    s = cd_subq_toc(4, 0xA0, 1, 20, 0, CD_RAW_IMAGE_START_LBA);
    cd_subq_encode(&s, q);
    ok(q[1] == 0 && q[2] == 0xA0 && q[3] == 0x95 && q[7] == 0x01 && q[8] == 0x20, "A0: disc type 20 at 95:00:00\n");
    s = cd_subq_catalog(0, "0123456789012", 75 + 7);
    cd_subq_encode(&s, q);
    ok(q[0] == 0x02 && q[1] == 0x01 && q[2] == 0x23 && q[7] == 0x20 && q[8] == 0 && q[9] == 0x07,
       "MCN digits packed two a byte, absolute frame 07\n");
    s = cd_subq_recording_code(0, "USRC17607839", 0);
    cd_subq_encode(&s, q);
    struct cd_subq d;
    ok(cd_subq_decode(q, &d) && !strcmp(d.isrc, "USRC17607839") && q[5] == 0x76 && q[8] == 0x90,
       "ISRC: 6-bit country/owner, BCD year and serial\n");
    ok(!cd_leadout_p(0) && !cd_leadout_p(CD_PREGAP_SECTORS - 1) && cd_leadout_p(CD_PREGAP_SECTORS) &&
           cd_leadout_p(CD_PREGAP_SECTORS + 18) && !cd_leadout_p(CD_PREGAP_SECTORS + 19) &&
           cd_leadout_p(CD_PREGAP_SECTORS + 38),
       "lead-out P: off for 2 s, then 19 on / 19 off\n");

    const char *env = getenv("SUBCODE_ROUNDS");
    long rounds = env && *env ? atol(env) : 50000, frames = 0, sectors = 0;
    for (long k = 0; k < rounds; k++) {
        s = random_subq(k);
        cd_subq_encode(&s, q);
        frames += !(cd_subq_decode(q, &d) && same_subq(&s, &d));
        /* and the sector layouts: P, Q and R-W come back from each */
        uint8_t rw[CD_SUBCODE_RAW], got_rw[CD_SUBCODE_RAW];
        bool p = rnd() & 1, got_p = !p;
        for (int i = 0; i < CD_SUBCODE_RAW; i++)
            rw[i] = rnd() & 0x3f;
        int layout = 1 + (int)(k % 3);
        uint8_t *out = layout == CD_RAW_PQ ? pq : sub;
        bool good = cd_subcode_encode(layout, p, q, rw, out) && cd_subcode_get_q(layout, out, back, &got_p) &&
                    !memcmp(back, q, CD_SUBQ_LEN) && got_p == p;
        if (layout != CD_RAW_PQ)
            good = good && cd_subcode_get_rw(layout, out, got_rw) && !memcmp(got_rw, rw, sizeof(rw));
        sectors += !good;
    }
    ok(frames == 0, "%ld random Q frames: decode(encode(x)) == x, %ld differ\n", rounds, frames);
    ok(sectors == 0, "%ld random sectors: P, Q and R-W read back from the layout, %ld differ\n", rounds, sectors);
    ok(!cd_subcode_encode(4, false, q, NULL, sub), "an unknown layout is refused\n");
}

int main(void)
{
    test_crc16();
    test_interleave();
    test_encoder();
    return okay_summary("mmc_subcode");
}
