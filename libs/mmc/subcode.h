/* CD sub-channel: the Q channel (CRC, ADR 1/2/3 frames), the P channel, and the
 * three per-sector layouts a raw write carries (2448 raw interleaved P-W,
 * 2448 cooked/de-interleaved P-W, 2368 PQ-only). */
#ifndef IMAPI2_SUBCODE_H
#define IMAPI2_SUBCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CD_SECTOR_MAIN 2352
#define CD_SUBCODE_RAW 96     /* 8 channels x 12 bytes */
#define CD_SUBCODE_PQ 16      /* 12 bytes Q + 4 bytes (P flag in byte 15 bit 7) */
#define CD_SECTOR_RAW_PW (CD_SECTOR_MAIN + CD_SUBCODE_RAW) /* 2448 */
#define CD_SECTOR_RAW_PQ (CD_SECTOR_MAIN + CD_SUBCODE_PQ)  /* 2368 */
#define CD_SUBQ_LEN 12

/* MMC write-parameters data block types, numerically equal to
 * IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE. */
enum cd_raw_layout {
    CD_RAW_PQ = 1,     /* 2368: 2352 + 16 bytes PQ */
    CD_RAW_COOKED = 2, /* 2448: 2352 + 96 bytes de-interleaved P-W (channel-major) */
    CD_RAW_RAW = 3     /* 2448: 2352 + 96 bytes raw interleaved P-W (symbol-major) */
};

/* Bytes per sector of a layout, 0 for an unknown value. */
size_t cd_raw_sector_size(int layout);

/* CRC-16/CCITT (poly 0x1021, init 0), inverted as the disc stores it (Q
 * sub-channel and CD-Text packs put it big-endian after the data). */
uint16_t cd_crc16(const uint8_t *data, size_t len);
/* cd_crc16 over the first 10 Q bytes (stored in bytes 10-11). */
uint16_t cd_subq_crc(const uint8_t q[10]);
void cd_subq_set_crc(uint8_t q[CD_SUBQ_LEN]);
bool cd_subq_crc_ok(const uint8_t q[CD_SUBQ_LEN]);

/* Raw interleaved 96 bytes <-> 8 channels x 12 bytes (P=0 ... W=7). */
void cd_subcode_deinterleave(const uint8_t raw[CD_SUBCODE_RAW], uint8_t channels[8][12]);
void cd_subcode_interleave(const uint8_t channels[8][12], uint8_t raw[CD_SUBCODE_RAW]);

/* The Q channel and P flag of a sector's sub-channel bytes, whatever the layout
 * (for CD_RAW_PQ, sub points at the 16 PQ bytes; otherwise at the 96 bytes).
 * Returns false for an unknown layout. */
bool cd_subcode_get_q(int layout, const uint8_t *sub, uint8_t q[CD_SUBQ_LEN], bool *p_flag);

/* The 96 R-W symbols (bits 5-0 of each raw interleaved byte, values 0..63)
 * of a sector's 96 sub-channel bytes in layout 2 or 3; false for PQ (no R-W)
 * or an unknown layout. */
bool cd_subcode_get_rw(int layout, const uint8_t *sub, uint8_t symbols[CD_SUBCODE_RAW]);

/* Decoded Q frame (values binary, not BCD, except where noted). */
struct cd_subq {
    uint8_t control; /* 4 bits */
    uint8_t adr;     /* 4 bits */
    /* ADR 1 */
    uint8_t tno;     /* 0 in lead-in, 0xAA lead-out (kept raw: 0xAA), else 1..99 */
    uint8_t index_or_point; /* program area: index; lead-in: POINT (raw, 0xA0..0xA2 kept) */
    uint8_t min, sec, frame;     /* relative time (program area) / running time (lead-in) */
    uint8_t zero;
    uint8_t amin, asec, aframe;  /* absolute time (program area) / PMIN PSEC PFRAME (lead-in) */
    /* ADR 2: 13 MCN digits as ASCII + NUL; ADR 3: 12-char ISRC as ASCII + NUL */
    char mcn[14];
    char isrc[13];
};

/* Decodes 12 Q bytes; false when CRC or BCD is invalid (fields then undefined). */
bool cd_subq_decode(const uint8_t q[CD_SUBQ_LEN], struct cd_subq *out);

#endif
