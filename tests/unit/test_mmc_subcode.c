/* Sub-channel encoding (libs/mmc/subcode.c) against the bit-at-a-time code
 * the library used before issue 24 (kept here as the reference): CRC-16/CCITT
 * shifted one bit at a time from the polynomial, and the P-W interleave one
 * bit at a time from its definition (symbol i carries bit 7 - c for channel
 * c; channel c's byte i / 8 holds its symbols MSB first). Random inputs,
 * SUBCODE_ROUNDS of them (default 50000), plus known answers. */
#include <stdint.h>
#include <string.h>

#include "okay.h"
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

int main(void)
{
    test_crc16();
    test_interleave();
    return okay_summary("mmc_subcode");
}
