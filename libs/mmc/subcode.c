/* CD sub-channel: Q CRC, P-W interleave and the per-layout views of a sector's
 * sub-channel bytes. */
#include "mmc/subcode.h"
#include "mmc/msf.h"

#include <string.h>

size_t cd_raw_sector_size(int layout)
{
    switch (layout) {
    case CD_RAW_PQ:
        return CD_SECTOR_RAW_PQ;
    case CD_RAW_COOKED:
    case CD_RAW_RAW:
        return CD_SECTOR_RAW_PW;
    default:
        return 0;
    }
}

/* Bitwise rather than table-driven: 10 (Q) or 16 (CD-Text) bytes a sector
 * never show in a profile. */
uint16_t cd_crc16(const uint8_t *data, size_t len)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(data[i] << 8);
        for (int bit = 0; bit < 8; bit++)
            crc = (uint16_t)((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return (uint16_t)~crc;
}

uint16_t cd_subq_crc(const uint8_t q[10])
{
    return cd_crc16(q, 10);
}

void cd_subq_set_crc(uint8_t q[CD_SUBQ_LEN])
{
    uint16_t crc = cd_subq_crc(q);
    q[10] = (uint8_t)(crc >> 8);
    q[11] = (uint8_t)crc;
}

bool cd_subq_crc_ok(const uint8_t q[CD_SUBQ_LEN])
{
    uint16_t crc = cd_subq_crc(q);
    return q[10] == (uint8_t)(crc >> 8) && q[11] == (uint8_t)crc;
}

/* Symbol i of the raw form carries bit (7 - c) for channel c; channel c's byte
 * i / 8 holds symbols MSB first. */
void cd_subcode_deinterleave(const uint8_t raw[CD_SUBCODE_RAW], uint8_t channels[8][12])
{
    memset(channels, 0, 8 * 12);
    for (int i = 0; i < CD_SUBCODE_RAW; i++)
        for (int c = 0; c < 8; c++)
            if (raw[i] & (0x80 >> c))
                channels[c][i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

void cd_subcode_interleave(const uint8_t channels[8][12], uint8_t raw[CD_SUBCODE_RAW])
{
    for (int i = 0; i < CD_SUBCODE_RAW; i++) {
        uint8_t symbol = 0;
        for (int c = 0; c < 8; c++)
            if (channels[c][i / 8] & (0x80 >> (i % 8)))
                symbol |= (uint8_t)(0x80 >> c);
        raw[i] = symbol;
    }
}

/* P is constant over a sector in everything we write or accept; a majority
 * vote keeps one flipped bit from changing the answer. */
static bool p_channel_flag(const uint8_t p[12])
{
    int ones = 0;
    for (int i = 0; i < 12; i++)
        for (int b = 0; b < 8; b++)
            ones += (p[i] >> b) & 1;
    return ones > 48;
}

bool cd_subcode_get_rw(int layout, const uint8_t *sub, uint8_t symbols[CD_SUBCODE_RAW])
{
    uint8_t raw[CD_SUBCODE_RAW];
    switch (layout) {
    case CD_RAW_COOKED:
        cd_subcode_interleave((const uint8_t(*)[12])sub, raw);
        sub = raw;
        /* fall through */
    case CD_RAW_RAW:
        for (int i = 0; i < CD_SUBCODE_RAW; i++)
            symbols[i] = sub[i] & 0x3F;
        return true;
    default:
        return false;
    }
}

bool cd_subcode_get_q(int layout, const uint8_t *sub, uint8_t q[CD_SUBQ_LEN], bool *p_flag)
{
    uint8_t channels[8][12];
    switch (layout) {
    case CD_RAW_PQ:
        memcpy(q, sub, CD_SUBQ_LEN);
        *p_flag = (sub[15] & 0x80) != 0;
        return true;
    case CD_RAW_COOKED:
        memcpy(q, sub + CD_SUBQ_LEN, CD_SUBQ_LEN);
        *p_flag = p_channel_flag(sub);
        return true;
    case CD_RAW_RAW:
        cd_subcode_deinterleave(sub, channels);
        memcpy(q, channels[1], CD_SUBQ_LEN);
        *p_flag = p_channel_flag(channels[0]);
        return true;
    default:
        return false;
    }
}

static bool decode_bcd_digits(const uint8_t *bytes, int digits, char *out)
{
    for (int i = 0; i < digits; i++) {
        uint8_t nibble = (uint8_t)((i % 2 == 0) ? bytes[i / 2] >> 4 : bytes[i / 2] & 0x0f);
        if (nibble > 9)
            return false;
        out[i] = (char)('0' + nibble);
    }
    out[digits] = '\0';
    return true;
}

/* ISRC country and owner codes: 6-bit characters, '0'-'9' as 0-9, 'A'-'Z' as 17-42. */
static bool isrc_char(unsigned code, char *out)
{
    if (code <= 9)
        *out = (char)('0' + code);
    else if (code >= 17 && code <= 42)
        *out = (char)('A' + code - 17);
    else
        return false;
    return true;
}

static bool decode_isrc(const uint8_t q[CD_SUBQ_LEN], char isrc[13])
{
    /* 5 characters x 6 bits in bytes 1..4 (30 bits, then 2 zero bits), then
     * 7 BCD digits in bytes 5..8 (the last nibble is zero). */
    uint32_t bits = ((uint32_t)q[1] << 24) | ((uint32_t)q[2] << 16) | ((uint32_t)q[3] << 8) | q[4];
    for (int i = 0; i < 5; i++)
        if (!isrc_char((bits >> (26 - 6 * i)) & 0x3f, &isrc[i]))
            return false;
    return decode_bcd_digits(q + 5, 7, isrc + 5);
}

static bool all_bcd(const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++)
        if (!cd_is_bcd(b[i]))
            return false;
    return true;
}

bool cd_subq_decode(const uint8_t q[CD_SUBQ_LEN], struct cd_subq *out)
{
    if (!cd_subq_crc_ok(q))
        return false;
    memset(out, 0, sizeof(*out));
    out->control = q[0] >> 4;
    out->adr = q[0] & 0x0f;
    switch (out->adr) {
    case 1: {
        /* TNO AA (lead-out) and POINTs A0-A2 are codes, not BCD numbers. */
        bool tno_code = q[1] == 0xAA;
        bool point_code = q[1] == 0 && q[2] >= 0xA0;
        if ((!tno_code && !cd_is_bcd(q[1])) || (!point_code && !cd_is_bcd(q[2])) || !all_bcd(q + 3, 4))
            return false;
        out->tno = tno_code ? 0xAA : cd_from_bcd(q[1]);
        out->index_or_point = point_code ? q[2] : cd_from_bcd(q[2]);
        out->min = cd_from_bcd(q[3]);
        out->sec = cd_from_bcd(q[4]);
        out->frame = cd_from_bcd(q[5]);
        out->zero = cd_from_bcd(q[6]);
        /* A0 PSEC carries the disc type (00/10/20): decode it only when BCD. */
        if (!cd_is_bcd(q[7]) || !cd_is_bcd(q[9]) || (!cd_is_bcd(q[8]) && !point_code))
            return false;
        out->amin = cd_from_bcd(q[7]);
        out->asec = cd_is_bcd(q[8]) ? cd_from_bcd(q[8]) : q[8];
        out->aframe = cd_from_bcd(q[9]);
        return true;
    }
    case 2:
        return decode_bcd_digits(q + 1, 13, out->mcn);
    case 3:
        return decode_isrc(q, out->isrc);
    default:
        return true; /* other ADR modes: control/adr only */
    }
}

/* ---- Q mode 2 / mode 3 placement (rules in subcode.h) ---- */

#define Q_CYCLE 50
#define Q_MCN_SLOT 10
#define Q_ISRC_SLOT 35
#define Q_SLOT_SPREAD 4 /* a slot's frame may move this many frames later, minus one */

static bool q_boundary(int32_t lba, struct cd_q_place here, cd_q_place_fn where, const void *ctx)
{
    struct cd_q_place prev = where(ctx, lba - 1), next = where(ctx, lba + 1);
    return !prev.program || prev.track != here.track || prev.index != here.index || !next.program ||
           next.track != here.track;
}

static bool q_allowed(int adr, int32_t lba, cd_q_place_fn where, const void *ctx)
{
    struct cd_q_place here = where(ctx, lba);
    if (!here.program || (adr == 3 && (!here.isrc || here.index == 0)))
        return false;
    return !q_boundary(lba, here, where, ctx);
}

static const struct {
    int adr, slot;
} q_slots[] = { { 2, Q_MCN_SLOT }, { 3, Q_ISRC_SLOT } };

int cd_q_adr_at(int32_t lba, bool has_mcn, cd_q_place_fn where, const void *ctx)
{
    int32_t phase = ((lba % Q_CYCLE) + Q_CYCLE) % Q_CYCLE;
    for (size_t i = 0; i < sizeof(q_slots) / sizeof(q_slots[0]); i++) {
        int adr = q_slots[i].adr;
        int32_t late = phase - q_slots[i].slot;
        if (late < 0 || late >= Q_SLOT_SPREAD || (adr == 2 && !has_mcn) || !q_allowed(adr, lba, where, ctx))
            continue;
        bool taken = false;
        for (int32_t k = 1; k <= late && !taken; k++)
            taken = q_allowed(adr, lba - k, where, ctx);
        if (!taken)
            return adr;
    }
    return 1;
}

static void q_digits(uint8_t *out, const char *digits, int n)
{
    for (int i = 0; i < n; i++) {
        uint8_t d = (uint8_t)(digits[i] - '0');
        out[i / 2] |= (uint8_t)(i % 2 ? d : d << 4);
    }
}

void cd_subq_mcn(uint8_t q[CD_SUBQ_LEN], uint8_t control, const char *mcn, int32_t lba)
{
    memset(q, 0, CD_SUBQ_LEN);
    q[0] = (uint8_t)(control << 4 | 2);
    q_digits(q + 1, mcn, 13);
    q[9] = cd_to_bcd(cd_lba_to_msf(lba).f);
}

/* ISRC country/owner characters as 6-bit codes: '0'-'9' 0-9, 'A'-'Z' 17-42. */
static uint32_t isrc_code(char c)
{
    return c <= '9' ? (uint32_t)(c - '0') : (uint32_t)(c - 'A' + 17);
}

void cd_subq_isrc(uint8_t q[CD_SUBQ_LEN], uint8_t control, const char *isrc, int32_t lba)
{
    uint32_t bits = 0;
    memset(q, 0, CD_SUBQ_LEN);
    q[0] = (uint8_t)(control << 4 | 3);
    for (int i = 0; i < 5; i++)
        bits |= isrc_code(isrc[i]) << (26 - 6 * i);
    q[1] = (uint8_t)(bits >> 24), q[2] = (uint8_t)(bits >> 16), q[3] = (uint8_t)(bits >> 8), q[4] = (uint8_t)bits;
    q_digits(q + 5, isrc + 5, 7);
    q[9] = cd_to_bcd(cd_lba_to_msf(lba).f);
}

char cd_mcn_check_digit(const char *mcn)
{
    int sum = 0;
    for (int i = 0; i < 12; i++)
        sum += (mcn[i] - '0') * (i % 2 ? 3 : 1);
    return (char)('0' + (10 - sum % 10) % 10);
}
