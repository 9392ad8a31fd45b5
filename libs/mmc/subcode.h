/* CD sub-channel: the Q channel (CRC, ADR 1/2/3 frames), the P channel, and the
 * three per-sector layouts a raw write carries (2448 raw interleaved P-W,
 * 2448 cooked/de-interleaved P-W, 2368 PQ-only). */
#ifndef IMAPI2_SUBCODE_H
#define IMAPI2_SUBCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc/geometry.h"

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
    /* ADR 2 and 3: aframe is the absolute frame of byte 9 */
};

/* Decodes 12 Q bytes; false when CRC or BCD is invalid (fields then undefined). */
bool cd_subq_decode(const uint8_t q[CD_SUBQ_LEN], struct cd_subq *out);

/* ---- the one sub-channel encoder (the inverse of the decoders above);
 * every generator (rawimage.c, rawburn's sheet layout, the virtual
 * recorder's TAO records) builds its frames with these. ---- */

/* Encodes a decoded Q frame and sets its CRC: cd_subq_decode(q) gives *in
 * back. ADR 1: tno 0xAA and POINTs A0..A2 (with tno 0) are codes, other
 * values binary and stored BCD; asec above 99 is stored as it is (the
 * decoder keeps a non-BCD A0 PSEC raw). ADR 2: mcn (13 digits), ADR 3: isrc
 * (CCOOOYYSSSSS), both with the absolute frame in aframe (byte 9). Other
 * ADRs: control and ADR only. */
void cd_subq_encode(const struct cd_subq *in, uint8_t q[CD_SUBQ_LEN]);
/* ADR 1 frames: the program area or the lead-out (tno 1..99 / 0xAA, index,
 * relative frames, the LBA for the absolute time), and the lead-in TOC
 * (POINT with its PMIN/PSEC/PFRAME, the LBA for the running time). */
struct cd_subq cd_subq_position(uint8_t control, uint8_t tno, uint8_t index, int32_t rel_frames, int32_t lba);
struct cd_subq cd_subq_toc(uint8_t control, uint8_t point, uint8_t pmin, uint8_t psec, uint8_t pframe, int32_t lba);
/* ADR 2 (13 ASCII digits) and ADR 3 (12 ASCII characters) frames at lba. */
struct cd_subq cd_subq_catalog(uint8_t control, const char *mcn, int32_t lba);
struct cd_subq cd_subq_recording_code(uint8_t control, const char *isrc, int32_t lba);

/* P of a lead-out sector rel sectors after its start: off for the first
 * 2 s, then a square wave of 19 sectors on / 19 off (about 2 Hz). In the
 * program area P is on in pregaps (index 0) and off elsewhere. */
bool cd_leadout_p(int32_t rel);
/* The sub-channel bytes of one sector in a layout, from its eight
 * channels (P = channels[0], Q = channels[1], R-W = 2..7): PQ (16 bytes:
 * Q, 3 zero bytes, P in byte 15 bit 7 from the P channel's first bit),
 * cooked (the channels in order) or raw (interleaved). The inverse of
 * cd_subcode_get_q / cd_subcode_get_rw. False for an unknown layout. */
bool cd_subcode_pack(int layout, const uint8_t channels[8][12], uint8_t *out);
/* The same from P, Q and optional R-W symbols (96 raw interleaved bytes,
 * bits 5-0 used; NULL: R-W zero). */
bool cd_subcode_encode(int layout, bool p, const uint8_t q[CD_SUBQ_LEN], const uint8_t *rw_symbols, uint8_t *out);


/* ---- Q mode 2 (MCN) and mode 3 (ISRC) frames ----
 * The rules (IEC 60908 / ECMA-130 sub-channel Q, as the facts at hand put
 * them): mode 1 (position) in at least 9 of every 10 successive frames;
 * mode 2, when the disc has a catalog number, in at least 1 of every 100
 * successive frames; mode 3 applies to audio tracks only, at the same rate,
 * and carries the ISRC of the track the frame belongs to. Where they go,
 * decided here for every generator:
 *  - only in the program area (track 1's pregap up to the last sector before
 *    the lead-out); never in the lead-in (its Q is the TOC) or the lead-out;
 *  - MCN in pregaps too (a 150-sector pause without one would leave up to
 *    300 frames between two); ISRC only in index 1 and later of an audio
 *    track with an ISRC (the usual practice: a pregap is a pause, not the
 *    recording the code names), so an ISRC never crosses a track boundary;
 *  - never on a boundary frame (the first sector of an index, the last
 *    sector of a track), where a reader needs the position;
 *  - twice every 50 frames: MCN on the first allowed frame of LBA mod 50 =
 *    10..13, ISRC of 35..38. A boundary moves a frame by at most 3, so MCN
 *    frames are at most 53 apart and mode 1 keeps 23 frames between any two
 *    mode 2/3 frames. */
struct cd_q_place {
    bool program;   /* the frame is in the program area (track 1's pregap included) */
    uint8_t track;  /* the track number its Q names, 1..99 */
    uint8_t index;  /* 0 in a pregap */
    bool isrc;      /* the track is audio and has an ISRC */
};
typedef struct cd_q_place (*cd_q_place_fn)(const void *ctx, int32_t lba);
/* The ADR of the Q frame at lba: 1 (position), 2 (MCN, only when has_mcn)
 * or 3 (the track's ISRC). where() describes any LBA (lead-in and lead-out
 * as not program). */
int cd_q_adr_at(int32_t lba, bool has_mcn, cd_q_place_fn where, const void *ctx);
/* The EAN-13 check digit ('0'..'9') the first 12 digits of a catalog number
 * call for. The Q channel stores any 13 digits (and real sheets carry
 * numbers whose last digit is not this); IMAPI2's image creator documents
 * a valid check digit. */
char cd_mcn_check_digit(const char *mcn);

#endif
