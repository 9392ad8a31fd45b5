/* CD sector encoding (libs/mmc/sector.c) against slow implementations of the
 * definitions written here from ECMA-130: a bit-serial CRC from the EDC
 * polynomial's exponents, GF(2^8) arithmetic by shift-and-add, the RSPC
 * parity solved from the check matrices, and the scrambler's recurrence;
 * and, sector for sector, against the byte-at-a-time encoder the library
 * used before it went table- and vector-driven (the reference below), over
 * random sectors, addresses and forms. SECTOR_ROUNDS=n sets how many
 * (default 20000; the sanitizer build makes millions slow). */
#include <stdint.h>
#include <string.h>

#include "okay.h"
#include "mmc/msf.h"
#include "mmc/sector.h"
#include "mmc/geometry.h"

/* ---- slow references ---- */

/* EDC polynomial from its exponents, reflected bit by bit here rather than
 * written as a constant. */
static uint32_t slow_edc_poly(void)
{
    static const int exps[] = { 31, 16, 15, 4, 3, 1, 0 };
    uint32_t poly = 0;
    for (size_t i = 0; i < sizeof(exps) / sizeof(exps[0]); i++)
        poly |= 1u << (31 - exps[i]);
    return poly;
}

static uint32_t slow_edc(const uint8_t *p, size_t n)
{
    uint32_t poly = slow_edc_poly(), crc = 0;
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++) {
            uint32_t bit = ((p[i] >> b) ^ crc) & 1;
            crc >>= 1;
            if (bit)
                crc ^= poly;
        }
    return crc;
}

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    unsigned acc = 0, x = a;
    for (int i = 0; i < 8; i++) {
        if (b & (1 << i))
            acc ^= x;
        x <<= 1;
        if (x & 0x100)
            x ^= 0x11D; /* x^8 + x^4 + x^3 + x^2 + 1 */
    }
    return (uint8_t)acc;
}

static uint8_t gf_pow_alpha(int e)
{
    uint8_t r = 1;
    for (int i = 0; i < e; i++)
        r = gf_mul(r, 2);
    return r;
}

static uint8_t gf_inv(uint8_t a)
{
    for (int b = 1; b < 256; b++)
        if (gf_mul(a, (uint8_t)b) == 1)
            return (uint8_t)b;
    return 0;
}

/* Symbol positions (byte offsets in the sector) of P codeword `col` in a
 * plane: 24 data + 2 parity, column-wise with a row length of 43 words. */
static int p_pos(int col, int i, int plane)
{
    return 12 + 2 * (43 * i + col) + plane;
}

/* Q codeword `diag`: 43 data words on a diagonal, then words 1118+d, 1144+d. */
static int q_pos(int diag, int i, int plane)
{
    int word = i < 43 ? (44 * i + 43 * diag) % 1118 : (i == 43 ? 1118 + diag : 1144 + diag);
    return 12 + 2 * word + plane;
}

/* Both check equations of a codeword of n symbols: sum v_i and
 * sum alpha^(n-1-i) v_i, each must be 0. */
static int syndromes_zero(const uint8_t *s, int n, int (*pos)(int, int, int), int vec, int plane)
{
    uint8_t s0 = 0, s1 = 0;
    for (int i = 0; i < n; i++) {
        uint8_t v = s[pos(vec, i, plane)];
        s0 ^= v;
        s1 ^= gf_mul(gf_pow_alpha(n - 1 - i), v);
    }
    return s0 == 0 && s1 == 0;
}

static int all_syndromes_zero(const uint8_t *sector)
{
    int good = 1;
    for (int plane = 0; plane < 2; plane++) {
        for (int c = 0; c < 43; c++)
            good &= syndromes_zero(sector, 26, p_pos, c, plane);
        for (int d = 0; d < 26; d++)
            good &= syndromes_zero(sector, 45, q_pos, d, plane);
    }
    return good;
}

/* Parity of one codeword solved from the two equations with generic field
 * arithmetic: a + b = S0, alpha a + b = S1 (S over the data, weighted). */
static void solve_parity(uint8_t *s, int n, int (*pos)(int, int, int), int vec, int plane)
{
    uint8_t s0 = 0, s1 = 0;
    for (int i = 0; i < n - 2; i++) {
        uint8_t v = s[pos(vec, i, plane)];
        s0 ^= v;
        s1 ^= gf_mul(gf_pow_alpha(n - 1 - i), v);
    }
    uint8_t a = gf_mul((uint8_t)(s0 ^ s1), gf_inv(3)); /* (alpha + 1) a = S0 + S1 */
    s[pos(vec, n - 2, plane)] = a;
    s[pos(vec, n - 1, plane)] = (uint8_t)(s0 ^ a);
}

static void slow_ecc(uint8_t *s)
{
    for (int plane = 0; plane < 2; plane++)
        for (int c = 0; c < 43; c++)
            solve_parity(s, 26, p_pos, c, plane);
    for (int plane = 0; plane < 2; plane++)
        for (int d = 0; d < 26; d++)
            solve_parity(s, 45, q_pos, d, plane);
}

/* Annex B as a bit recurrence: s[0] = 1, s[1..14] = 0, s[n+15] = s[n] ^ s[n+1]. */
static void slow_scramble_sequence(uint8_t out[CD_SCRAMBLE_LEN])
{
    static uint8_t bits[CD_SCRAMBLE_LEN * 8 + 15];
    memset(bits, 0, sizeof(bits));
    bits[0] = 1;
    for (size_t n = 0; n + 15 < sizeof(bits); n++)
        bits[n + 15] = bits[n] ^ bits[n + 1];
    memset(out, 0, CD_SCRAMBLE_LEN);
    for (int k = 0; k < CD_SCRAMBLE_LEN; k++)
        for (int b = 0; b < 8; b++)
            out[k] |= (uint8_t)(bits[8 * k + b] << b);
}

/* ---- the reference encoder: the library's byte-at-a-time code before
 * issue 24, its tables computed here from the slow functions above ---- */

static uint32_t ref_edc_table[256];
static uint8_t ref_mul_alpha[256], ref_div_alpha1[256];
static uint8_t ref_scramble[CD_SCRAMBLE_LEN];

static void ref_init(void)
{
    uint8_t inv3 = gf_inv(3);
    for (int b = 0; b < 256; b++) {
        uint8_t byte = (uint8_t)b;
        ref_edc_table[b] = slow_edc(&byte, 1);
        ref_mul_alpha[b] = gf_mul(byte, 2);
        ref_div_alpha1[b] = gf_mul(byte, inv3);
    }
    slow_scramble_sequence(ref_scramble);
}

static uint32_t ref_edc(const uint8_t *data, size_t len)
{
    uint32_t crc = 0;
    for (size_t i = 0; i < len; i++)
        crc = (crc >> 8) ^ ref_edc_table[(crc ^ data[i]) & 0xFF];
    return crc;
}

struct ref_code {
    int vectors, data, parity0, parity1;
};

static int ref_p_word(int vector, int i)
{
    return 43 * i + vector;
}

static int ref_q_word(int vector, int i)
{
    return (44 * i + 43 * vector) % 1118;
}

static void ref_rspc_encode(uint8_t *words, const struct ref_code *code, int (*word)(int, int))
{
    for (int plane = 0; plane < 2; plane++)
        for (int v = 0; v < code->vectors; v++) {
            uint8_t horner = 0, sum = 0;
            for (int i = 0; i < code->data; i++) {
                uint8_t s = words[2 * word(v, i) + plane];
                horner = (uint8_t)(ref_mul_alpha[horner] ^ s);
                sum ^= s;
            }
            uint8_t p0 = ref_div_alpha1[ref_mul_alpha[ref_mul_alpha[horner]] ^ sum];
            words[2 * (code->parity0 + v) + plane] = p0;
            words[2 * (code->parity1 + v) + plane] = (uint8_t)(sum ^ p0);
        }
}

static void ref_ecc(uint8_t sector[CD_SECTOR_SIZE])
{
    static const struct ref_code p = { 43, 24, 1032, 1075 }, q = { 26, 43, 1118, 1144 };
    ref_rspc_encode(sector + 12, &p, ref_p_word);
    ref_rspc_encode(sector + 12, &q, ref_q_word);
}

static void ref_scramble_sector(uint8_t sector[CD_SECTOR_SIZE])
{
    for (int i = 0; i < CD_SCRAMBLE_LEN; i++)
        sector[CD_SCRAMBLE_OFFSET + i] ^= ref_scramble[i];
}

/* Per form: mode byte, XA (header zero under the ECC), EDC range, ECC. */
static const struct {
    uint8_t mode;
    int xa;
    uint16_t edc_start, edc_end;
    int ecc;
} ref_forms[CD_FORM_COUNT] = {
    [CD_FORM_AUDIO] = { 0, 0, 0, 0, 0 },         [CD_FORM_MODE0] = { 0, 0, 0, 0, 0 },
    [CD_FORM_MODE1] = { 1, 0, 0, 2064, 1 },      [CD_FORM_MODE2] = { 2, 0, 0, 0, 0 },
    [CD_FORM_XA_FORM1] = { 2, 1, 16, 2072, 1 },  [CD_FORM_XA_FORM2] = { 2, 1, 16, 2348, 0 },
};

static void ref_build(uint8_t s[CD_SECTOR_SIZE], enum cd_sector_form form, int32_t lba)
{
    static const uint8_t sync[12] = { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0 };
    if (form == CD_FORM_AUDIO)
        return;
    struct cd_msf msf = cd_lba_to_msf(lba);
    memcpy(s, sync, 12);
    s[12] = cd_to_bcd(msf.m), s[13] = cd_to_bcd(msf.s), s[14] = cd_to_bcd(msf.f), s[15] = ref_forms[form].mode;
    if (form == CD_FORM_MODE1)
        memset(s + 2068, 0, 8);
    if (ref_forms[form].edc_end) {
        uint32_t e = ref_edc(s + ref_forms[form].edc_start, ref_forms[form].edc_end - ref_forms[form].edc_start);
        for (int i = 0; i < 4; i++)
            s[ref_forms[form].edc_end + i] = (uint8_t)(e >> (8 * i));
    }
    if (ref_forms[form].ecc) {
        uint8_t header[4];
        memcpy(header, s + 12, 4);
        if (ref_forms[form].xa)
            memset(s + 12, 0, 4);
        ref_ecc(s);
        memcpy(s + 12, header, 4);
    }
}

static uint32_t rng_state = 12345;
static uint8_t rnd(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (uint8_t)(rng_state >> 16);
}

static void fill_random(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = rnd();
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- tests ---- */

static void test_edc(void)
{
    uint8_t buf[3000];
    fill_random(buf, sizeof(buf));
    int same = 1;
    for (size_t n = 0; n < sizeof(buf); n += 97)
        same &= cd_edc(buf, n) == slow_edc(buf, n);
    ok(same, "table EDC equals the bit-serial CRC of the polynomial\n");
    ok(slow_edc_poly() == 0xD8018001u, "reflected polynomial %08x\n", slow_edc_poly());
    ok(cd_edc(buf, 0) == 0, "EDC of nothing is 0 (initial value 0)\n");
    /* A CRC with initial 0 and no final inversion: data + its CRC (LE) gives 0. */
    uint32_t e = cd_edc(buf, 2064);
    for (int i = 0; i < 4; i++)
        buf[2064 + i] = (uint8_t)(e >> (8 * i));
    ok(cd_edc(buf, 2068) == 0, "EDC over data and its little-endian EDC is 0\n");
    uint8_t one = 0x01;
    ok(cd_edc(&one, 1) == slow_edc(&one, 1) && cd_edc(&one, 1) != 0, "single byte %08x\n", cd_edc(&one, 1));
}

static void test_scrambler(void)
{
    static uint8_t want[CD_SCRAMBLE_LEN];
    slow_scramble_sequence(want);
    static const uint8_t first[8] = { 0x01, 0x80, 0x00, 0x60, 0x00, 0x28, 0x00, 0x1E };
    ok(memcmp(want, first, sizeof(first)) == 0, "reference sequence starts 01 80 00 60\n");
    ok(memcmp(cd_scramble_sequence(), want, CD_SCRAMBLE_LEN) == 0, "scrambler table equals the recurrence\n");

    uint8_t s[CD_SECTOR_SIZE], orig[CD_SECTOR_SIZE];
    fill_random(orig, sizeof(orig));
    memcpy(s, orig, sizeof(s));
    cd_scramble(s);
    ok(memcmp(s, orig, 12) == 0, "sync bytes are not scrambled\n");
    int xor_ok = 1;
    for (int i = 0; i < CD_SCRAMBLE_LEN; i++)
        xor_ok &= (uint8_t)(s[12 + i] ^ orig[12 + i]) == want[i];
    ok(xor_ok, "bytes 12..2351 XORed with the sequence\n");
    cd_scramble(s);
    ok(memcmp(s, orig, sizeof(s)) == 0, "descramble(scramble(x)) == x\n");
}

static void test_mode1_zero(void)
{
    uint8_t s[CD_SECTOR_SIZE], ref[CD_SECTOR_SIZE];
    memset(s, 0xEE, sizeof(s));
    memset(s + 16, 0, 2048);
    cd_sector_build(s, CD_FORM_MODE1, 0);
    static const uint8_t head[16] = { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0,
                                      0x00, 0x02, 0x00, 0x01 };
    ok(memcmp(s, head, 16) == 0, "Mode 1 sync + header 00:02:00 mode 1\n");
    ok(le32(s + 2064) == slow_edc(s, 2064), "EDC over 0..2063: %08x\n", le32(s + 2064));
    int zero = 1;
    for (int i = 2068; i < 2076; i++)
        zero &= s[i] == 0;
    ok(zero, "8 reserved bytes zero\n");
    ok(all_syndromes_zero(s), "all P and Q codewords satisfy the check matrices\n");
    memcpy(ref, s, sizeof(ref));
    memset(ref + CD_ECC_P_OFFSET, 0x55, CD_ECC_P_LEN + CD_ECC_Q_LEN);
    slow_ecc(ref);
    ok(memcmp(ref, s, sizeof(ref)) == 0, "ECC equals the parity solved with generic field arithmetic\n");
    ok(cd_sector_edc_ok(s, CD_FORM_MODE1) && cd_sector_ecc_ok(s, CD_FORM_MODE1), "checks pass\n");
    int nonzero = 0;
    for (int i = CD_ECC_P_OFFSET; i < CD_SECTOR_SIZE; i++)
        nonzero |= s[i];
    ok(nonzero, "the header makes the parity of a zero sector non-zero\n");

    /* The lead-in address the raw image starts at. */
    memset(s + 16, 0, 2048);
    cd_sector_build(s, CD_FORM_MODE1, CD_RAW_IMAGE_START_LBA);
    ok(s[12] == 0x95 && s[13] == 0x00 && s[14] == 0x00 && s[15] == 1, "header of LBA -22650: %02x:%02x:%02x\n",
       s[12], s[13], s[14]);
    ok(all_syndromes_zero(s), "lead-in sector parity\n");
    cd_sector_build(s, CD_FORM_MODE1, 449999 - 150);
    ok(s[12] == 0x99 && s[13] == 0x59 && s[14] == 0x74, "header of 99:59:74\n");
}

static void test_mode1_random(void)
{
    uint8_t s[CD_SECTOR_SIZE], ref[CD_SECTOR_SIZE];
    int good = 1;
    for (int k = 0; k < 20; k++) {
        int32_t lba = -150 + k * 17389;
        fill_random(s, sizeof(s));
        cd_sector_build(s, CD_FORM_MODE1, lba);
        memcpy(ref, s, sizeof(ref));
        slow_ecc(ref);
        good &= memcmp(ref, s, sizeof(s)) == 0 && all_syndromes_zero(s) && le32(s + 2064) == slow_edc(s, 2064);
    }
    ok(good, "random Mode 1 sectors: EDC and ECC equal the references\n");
    s[100] ^= 0x10;
    ok(!cd_sector_edc_ok(s, CD_FORM_MODE1) && !cd_sector_ecc_ok(s, CD_FORM_MODE1), "a flipped bit fails both\n");
    s[100] ^= 0x10;
    s[2300] ^= 1;
    ok(cd_sector_edc_ok(s, CD_FORM_MODE1) && !cd_sector_ecc_ok(s, CD_FORM_MODE1), "a flipped Q byte fails ECC\n");
}

static void test_xa_forms(void)
{
    uint8_t s[CD_SECTOR_SIZE], ref[CD_SECTOR_SIZE];
    fill_random(s, sizeof(s));
    cd_sector_subheader(s, 1, 2, CD_SUBMODE_DATA, 0);
    cd_sector_build(s, CD_FORM_XA_FORM1, 1000);
    ok(s[15] == 2 && s[16] == 1 && s[17] == 2 && s[18] == 8 && memcmp(s + 16, s + 20, 4) == 0,
       "Form 1 header mode 2, subheader twice\n");
    ok(le32(s + 2072) == slow_edc(s + 16, 2056), "Form 1 EDC over 16..2071\n");
    memcpy(ref, s, sizeof(ref));
    memset(ref + 12, 0, 4);
    ok(all_syndromes_zero(ref), "Form 1 parity holds with the header zeroed\n");
    ok(!all_syndromes_zero(s), "... and not with the header in place\n");
    slow_ecc(ref);
    ok(memcmp(ref + 2076, s + 2076, 276) == 0, "Form 1 ECC equals the reference\n");
    uint8_t moved[CD_SECTOR_SIZE];
    memcpy(moved, s, sizeof(moved));
    cd_sector_build(moved, CD_FORM_XA_FORM1, 123456);
    ok(memcmp(moved + 16, s + 16, CD_SECTOR_SIZE - 16) == 0, "Form 1 EDC/ECC do not depend on the address\n");
    ok(cd_sector_edc_ok(s, CD_FORM_XA_FORM1) && cd_sector_ecc_ok(s, CD_FORM_XA_FORM1), "Form 1 checks pass\n");

    fill_random(s, sizeof(s));
    memcpy(ref, s, sizeof(ref));
    cd_sector_subheader(s, 0, 0, CD_SUBMODE_FORM2, 0);
    cd_sector_build(s, CD_FORM_XA_FORM2, 42);
    ok(le32(s + 2348) == slow_edc(s + 16, 2332), "Form 2 EDC over 16..2347\n");
    ok(memcmp(s + 24, ref + 24, 2324) == 0, "Form 2 user data untouched\n");
    ok(cd_sector_edc_ok(s, CD_FORM_XA_FORM2) && cd_sector_ecc_ok(s, CD_FORM_XA_FORM2), "Form 2 checks\n");
    s[30] ^= 4;
    ok(!cd_sector_edc_ok(s, CD_FORM_XA_FORM2), "Form 2 EDC catches a flipped bit\n");
}

static void test_other_forms(void)
{
    uint8_t s[CD_SECTOR_SIZE], ref[CD_SECTOR_SIZE];
    fill_random(s, sizeof(s));
    memcpy(ref, s, sizeof(ref));
    cd_sector_build(s, CD_FORM_MODE2, 7);
    ok(s[15] == 2 && s[14] == 0x07 && memcmp(s + 16, ref + 16, 2336) == 0, "Mode 2 formless: header only\n");
    cd_sector_build(s, CD_FORM_MODE0, 7);
    ok(s[15] == 0 && memcmp(s + 16, ref + 16, 2336) == 0, "Mode 0: header only\n");
    memcpy(s, ref, sizeof(s));
    cd_sector_build(s, CD_FORM_AUDIO, 7);
    ok(memcmp(s, ref, sizeof(s)) == 0, "audio untouched\n");
    cd_sector_build(s, (enum cd_sector_form)99, 7);
    ok(memcmp(s, ref, sizeof(s)) == 0, "unknown form ignored\n");

    static const struct { enum cd_sector_form f; size_t off, size; uint8_t mode; } table[] = {
        { CD_FORM_AUDIO, 0, CD_SECTOR_SIZE, 0 },     { CD_FORM_MODE0, 16, 2336, 0 },    { CD_FORM_MODE1, 16, 2048, 1 },
        { CD_FORM_MODE2, 16, 2336, 2 },    { CD_FORM_XA_FORM1, 24, 2048, 2 }, { CD_FORM_XA_FORM2, 24, 2324, 2 },
    };
    int good = 1;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        good &= cd_sector_user_offset(table[i].f) == table[i].off && cd_sector_user_size(table[i].f) == table[i].size &&
                cd_sector_mode_byte(table[i].f) == table[i].mode;
    ok(good, "user offsets, sizes and mode bytes\n");
    ok(cd_sector_user_size(CD_FORM_COUNT) == 0 && cd_sector_user_offset((enum cd_sector_form)-1) == 0,
       "unknown forms have no user data\n");
    cd_sector_header(s, 0, 1);
    ok(cd_sector_has_sync(s), "sync detected\n");
    s[5] = 0;
    ok(!cd_sector_has_sync(s), "broken sync detected\n");
}

/* Fast against reference: EDC over every start alignment and random lengths,
 * RSPC of each single non-zero byte anywhere in 12..2351 (the parity is
 * linear: every symbol's contribution is checked on its own), then whole
 * random sectors of every form at random addresses, built and scrambled. */
static void test_against_reference(void)
{
    static uint8_t buf[4096 + 64];
    uint8_t s[CD_SECTOR_SIZE], r[CD_SECTOR_SIZE], t[CD_SECTOR_SIZE];
    int good = 1;
    fill_random(buf, sizeof(buf));
    for (size_t start = 0; start < 64; start++)
        for (size_t n = 0; n < 4096; n += 1 + rnd() % 61)
            good &= cd_edc(buf + start, n) == ref_edc(buf + start, n) &&
                    cd_edc_portable(buf + start, n) == ref_edc(buf + start, n);
    ok(good, "EDC (and its portable path) equals the byte-at-a-time reference at every alignment\n");

    good = 1;
    for (int pos = 12; pos < CD_SECTOR_SIZE; pos++) {
        memset(s, 0, sizeof(s));
        s[pos] = (uint8_t)(1 + rnd() % 255);
        memcpy(r, s, sizeof(r));
        memcpy(t, s, sizeof(t));
        cd_ecc(s);
        cd_ecc_portable(t);
        ref_ecc(r);
        if ((memcmp(s, r, sizeof(s)) != 0 || memcmp(t, r, sizeof(t)) != 0) && good) {
            good = 0;
            ok(0, "ECC of one byte at %d differs\n", pos);
        }
    }
    ok(good, "ECC (and its portable path) of a single byte at each position equals the reference\n");
    memset(s, 0xFF, sizeof(s));
    memcpy(r, s, sizeof(r));
    memcpy(t, s, sizeof(t));
    cd_ecc(s);
    cd_ecc_portable(t);
    ref_ecc(r);
    ok(memcmp(s, r, sizeof(s)) == 0 && memcmp(t, r, sizeof(t)) == 0, "ECC of all-FF equals the reference\n");

    const char *env = getenv("SECTOR_ROUNDS");
    long rounds = env && *env ? atol(env) : 20000;
    long bad = 0, per_form[CD_FORM_COUNT] = { 0 };
    for (long k = 0; k < rounds; k++) {
        enum cd_sector_form form = (enum cd_sector_form)(rnd() % CD_FORM_COUNT);
        int32_t lba = (int32_t)(((uint32_t)rnd() << 16 | (uint32_t)rnd() << 8 | rnd()) % 472500) - 22650;
        fill_random(s, sizeof(s));
        if (rnd() % 8 == 0) /* runs of equal bytes, as real data has */
            memset(s + rnd() % 2000, rnd(), rnd() % 300);
        memcpy(r, s, sizeof(r));
        if (form == CD_FORM_XA_FORM1 || form == CD_FORM_XA_FORM2) {
            cd_sector_subheader(s, rnd(), rnd(), rnd(), rnd());
            memcpy(r + 16, s + 16, 8);
        }
        cd_sector_build(s, form, lba);
        ref_build(r, form, lba);
        if (form != CD_FORM_AUDIO) {
            cd_scramble(s);
            ref_scramble_sector(r);
        }
        if (memcmp(s, r, sizeof(s)) != 0 && bad++ == 0)
            ok(0, "form %d LBA %d differs from the reference\n", (int)form, (int)lba);
        if (k % 4 == 0) { /* the portable ECC on random content */
            memcpy(t, r, sizeof(t));
            cd_ecc_portable(t);
            ref_ecc(r);
            if (memcmp(t, r, sizeof(t)) != 0 && bad++ == 0)
                ok(0, "portable ECC of round %ld differs\n", k);
        }
        per_form[form]++;
    }
    ok(bad == 0, "%ld random sectors (audio %ld, mode 0 %ld, mode 1 %ld, mode 2 %ld, form 1 %ld, form 2 %ld): %ld differ\n",
       rounds, per_form[0], per_form[1], per_form[2], per_form[3], per_form[4], per_form[5], bad);
}

int main(void)
{
    ref_init();
    test_edc();
    test_scrambler();
    test_mode1_zero();
    test_mode1_random();
    test_xa_forms();
    test_other_forms();
    test_against_reference();
    return okay_summary("mmc_sector");
}
