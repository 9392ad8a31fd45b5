/* CD-Text: the texts of a disc and its tracks as 18-byte packs, and those
 * packs as the lead-in carries them in the R-W sub-channel.
 *
 * PACKS (MMC-3 Annex J; Sony's CD-Text documentation as summarised in
 * libburn's doc/cdtext.txt and libcdio's "CD Text Format" page)
 *   byte 0      pack type 0x80..0x8F (field + 0x80)
 *   byte 1      track number of the string running at the pack's first
 *               text byte (0 = the album); for 0x8F the part number 0..2
 *   byte 2      sequence number, counted per block from 0
 *   byte 3      bit 7 double-byte characters (never set here), bits 6-4
 *               block number (language; only block 0 is written), bits
 *               3-0 how many characters of that running string earlier
 *               packs already hold (15 = 15 or more)
 *   bytes 4-15  text: NUL-terminated strings, one a track, continued across
 *               packs; a pack type's last pack is padded with NULs
 *   bytes 16-17 CRC-16 (x^16 + x^12 + x^5 + 1, initial 0) of bytes 0-15,
 *               inverted, big-endian: the sub-channel Q CRC
 * A block holds at most 256 packs (sequence 0..255): 253 text packs and the
 * three 0x8F size packs, whose 36 payload bytes are: character code (0x00
 * ISO 8859-1, 0x01 ASCII), first track, last track, copyright flags, 16
 * pack counts (types 0x80..0x8F), the last sequence number of blocks 0..7
 * and the language codes of blocks 0..7 (0x09 English).
 * Texts of 0x80-0x85 and 0x8E exist for the album and every track once a
 * type is used (unset ones as empty strings); 0x86 and 0x87 for the album
 * only; 0x87 starts with a 2-byte big-endian genre code. A track text equal
 * to the previous track's may be written as a single TAB (optional here).
 *
 * LEAD-IN R-W: an 18-byte pack is 144 bits = 24 six-bit symbols (MSB
 * first); a sector's 96 R-W symbols carry 4 consecutive packs. The packs
 * repeat cyclically through the lead-in: sector n (counted from any fixed
 * start) carries packs 4n .. 4n+3, each modulo the pack count. CD-Text in
 * the lead-in has no CD+G interleave and no extra parity (the pack CRC is
 * its only check): cdrecord sends the same symbols for its raw96r and
 * raw96p modes, cdrdao forces raw (data block type 3) for CD-Text. */
#ifndef IMAPI2_CDTEXT_H
#define IMAPI2_CDTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CDTEXT_PACK_SIZE 18
#define CDTEXT_PACK_PAYLOAD 12
#define CDTEXT_SIZE_PACKS 3
#define CDTEXT_BLOCK_PACKS 256           /* sequence numbers 0..255 */
#define CDTEXT_MAX_TEXT_PACKS (CDTEXT_BLOCK_PACKS - CDTEXT_SIZE_PACKS)
#define CDTEXT_BLOCKS 8
#define CDTEXT_MAX_TRACK 99
#define CDTEXT_SYMBOLS_PER_PACK 24
#define CDTEXT_PACKS_PER_SECTOR 4
#define CDTEXT_SECTOR_SYMBOLS (CDTEXT_SYMBOLS_PER_PACK * CDTEXT_PACKS_PER_SECTOR) /* 96 */
#define CDTEXT_LANGUAGE_ENGLISH 0x09
#define CDTEXT_CHARSET_LATIN1 0x00
#define CDTEXT_CHARSET_ASCII 0x01

/* Fields, numbered as their pack type minus 0x80. */
enum cdtext_field {
    CDTEXT_TITLE = 0x0,
    CDTEXT_PERFORMER = 0x1,
    CDTEXT_SONGWRITER = 0x2,
    CDTEXT_COMPOSER = 0x3,
    CDTEXT_ARRANGER = 0x4,
    CDTEXT_MESSAGE = 0x5,
    CDTEXT_DISC_ID = 0x6,   /* album only, ASCII */
    CDTEXT_GENRE = 0x7,     /* album only: the text after the genre code */
    CDTEXT_UPC_ISRC = 0xE,  /* album: UPC/EAN; tracks: ISRC; ASCII */
    CDTEXT_FIELD_COUNT = 16
};

enum cdtext_status {
    CDTEXT_OK = 0,
    CDTEXT_ERR_FIELD = -1,     /* not a text field this module writes */
    CDTEXT_ERR_TRACK = -2,     /* track outside 0..99 or the disc, or an album-only field */
    CDTEXT_ERR_CHAR = -3,      /* control character, TAB, or not ISO 8859-1 (ASCII fields: not ASCII) */
    CDTEXT_ERR_TOO_LONG = -4,  /* more than 253 text packs in the block */
    CDTEXT_ERR_CRC = -5,
    CDTEXT_ERR_SEQUENCE = -6,  /* sequence numbers not 0, 1, 2, ... per block */
    CDTEXT_ERR_SIZE_INFO = -7, /* size packs missing or not matching the packs */
    CDTEXT_ERR_FORMAT = -8,    /* bad pack type, track, character position or string layout */
    CDTEXT_ERR_NOMEM = -9
};

/* A sentence for a status, for error messages. */
const char *cdtext_strerror(int status);
/* The field's name as cue sheets spell it ("TITLE", "UPC_EAN"...), NULL if none. */
const char *cdtext_field_name(int field);
/* True for the fields cdtext_set accepts. */
bool cdtext_field_supported(int field);
/* True for fields given per track (title, performer... and UPC/ISRC). */
bool cdtext_field_per_track(int field);

/* ---- a description: the texts, by field and track (0 = album) ---- */

struct cdtext;

int cdtext_create(struct cdtext **out);
void cdtext_free(struct cdtext *t);
int cdtext_copy(const struct cdtext *src, struct cdtext **out);
/* Text in ISO 8859-1, one byte a character; NULL or "" clears. */
int cdtext_set(struct cdtext *t, int field, int track, const char *latin1);
/* NULL when unset. */
const char *cdtext_get(const struct cdtext *t, int field, int track);
void cdtext_set_genre_code(struct cdtext *t, uint16_t code);
uint16_t cdtext_genre_code(const struct cdtext *t);
void cdtext_set_language(struct cdtext *t, uint8_t code);
uint8_t cdtext_language(const struct cdtext *t);
bool cdtext_is_empty(const struct cdtext *t);
/* The highest track number any text names (0: album texts only). */
int cdtext_highest_track(const struct cdtext *t);

/* UTF-8 -> ISO 8859-1 (out holds size bytes with the NUL); CDTEXT_ERR_CHAR
 * for characters beyond U+00FF or bad UTF-8, CDTEXT_ERR_TOO_LONG when it
 * does not fit. */
int cdtext_latin1_from_utf8(const char *utf8, char *out, size_t size);

/* ---- encoding ---- */

/* The packs of block 0 for a disc with tracks first..last (1..99), in
 * ascending pack type order, size packs last, CRCs set. same_as_previous:
 * a track text equal to the previous track's becomes a TAB. *count gets
 * the number of packs (at most CDTEXT_BLOCK_PACKS; max_packs must allow
 * that many). Every texted track must lie in first..last. */
int cdtext_encode(const struct cdtext *t, int first, int last, bool same_as_previous, uint8_t *packs,
                  size_t max_packs, size_t *count);

void cdtext_pack_set_crc(uint8_t pack[CDTEXT_PACK_SIZE]);
bool cdtext_pack_crc_ok(const uint8_t pack[CDTEXT_PACK_SIZE]);

/* ---- decoding and checking ---- */

struct cdtext_size_info {
    uint8_t charset, first_track, last_track, copyright;
    uint8_t pack_count[16];   /* packs of type 0x80 + i */
    uint8_t last_sequence[CDTEXT_BLOCKS];
    uint8_t language[CDTEXT_BLOCKS];
};

/* Checks every pack (CRC, type, block order, sequence, each block's size
 * packs, track numbers and character positions: any value in genre packs,
 * whose 2-byte code writers count differently), decodes every block (one a
 * language) and gives block 0's texts (TABs resolved). *out (may be NULL)
 * is a new description; info (may be NULL) gets block 0's size info, whose
 * last_sequence says which other blocks there are. */
int cdtext_decode(const uint8_t *packs, size_t count, struct cdtext **out, struct cdtext_size_info *info);

/* ---- the lead-in R-W ---- */

void cdtext_pack_to_symbols(const uint8_t pack[CDTEXT_PACK_SIZE], uint8_t symbols[CDTEXT_SYMBOLS_PER_PACK]);
void cdtext_symbols_to_pack(const uint8_t symbols[CDTEXT_SYMBOLS_PER_PACK], uint8_t pack[CDTEXT_PACK_SIZE]);
/* The 96 R-W symbols (values 0..63) of lead-in sector number `sector`. */
void cdtext_leadin_symbols(const uint8_t *packs, size_t count, uint64_t sector,
                           uint8_t symbols[CDTEXT_SECTOR_SYMBOLS]);

/* Gathers packs from lead-in sectors as a reader does: CRC-good packs,
 * the first copy of each (block, sequence) kept. */
struct cdtext_collector {
    uint8_t pack[CDTEXT_BLOCKS][CDTEXT_BLOCK_PACKS][CDTEXT_PACK_SIZE];
    bool have[CDTEXT_BLOCKS][CDTEXT_BLOCK_PACKS];
};

void cdtext_collector_reset(struct cdtext_collector *c);
/* Returns how many new packs the sector added. */
int cdtext_collector_add(struct cdtext_collector *c, const uint8_t symbols[CDTEXT_SECTOR_SYMBOLS]);
/* True when block 0 is whole: its size packs seen and every sequence up to
 * the last they name. */
bool cdtext_collector_complete(const struct cdtext_collector *c);
/* Block by block, each block's packs from sequence 0 up to its first gap;
 * returns how many there are (only max are copied). */
size_t cdtext_collector_packs(const struct cdtext_collector *c, uint8_t *out, size_t max);

#endif
