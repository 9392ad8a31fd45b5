/* CD-Text packs: encoder, decoder/validator and the lead-in R-W symbol
 * mapping; the format is described in cdtext.h. */
#include "mmc/cdtext.h"

#include <stdlib.h>
#include <string.h>

#include "mmc/subcode.h"

#define SIZE_PACK_TYPE 0x8F
#define TEXT_LIMIT (CDTEXT_MAX_TEXT_PACKS * CDTEXT_PACK_PAYLOAD) /* bytes a block can hold */
#define TAB 0x09
#define GENRE_CODE_BYTES 2

/* ---- fields ---- */

struct field_info {
    const char *name;
    bool supported;   /* cdtext_set takes it, the encoder writes it */
    bool per_track;
    bool ascii_only;
};

static const struct field_info fields[CDTEXT_FIELD_COUNT] = {
    [CDTEXT_TITLE] = { "TITLE", true, true, false },
    [CDTEXT_PERFORMER] = { "PERFORMER", true, true, false },
    [CDTEXT_SONGWRITER] = { "SONGWRITER", true, true, false },
    [CDTEXT_COMPOSER] = { "COMPOSER", true, true, false },
    [CDTEXT_ARRANGER] = { "ARRANGER", true, true, false },
    [CDTEXT_MESSAGE] = { "MESSAGE", true, true, false },
    [CDTEXT_DISC_ID] = { "DISC_ID", true, false, true },
    [CDTEXT_GENRE] = { "GENRE", true, false, true },
    [0x8] = { "TOC_INFO1", false, false, false },
    [0x9] = { "TOC_INFO2", false, false, false },
    [0xD] = { "CLOSED_INFO", false, false, false },
    [CDTEXT_UPC_ISRC] = { "UPC_EAN", true, true, true },
    [0xF] = { "SIZE_INFO", false, false, false },
};

static const struct field_info *field_of(int field)
{
    return field >= 0 && field < CDTEXT_FIELD_COUNT ? &fields[field] : NULL;
}

const char *cdtext_field_name(int field)
{
    const struct field_info *f = field_of(field);
    return f ? f->name : NULL;
}

bool cdtext_field_supported(int field)
{
    const struct field_info *f = field_of(field);
    return f && f->supported;
}

bool cdtext_field_per_track(int field)
{
    const struct field_info *f = field_of(field);
    return f && f->per_track;
}

static const char *const status_text[] = {
    [0] = "no error",
    [1] = "not a CD-Text field that can be written",
    [2] = "track number outside the disc (0 = album, 1..99), or a field for the album only",
    [3] = "text has a control character or a character outside ISO 8859-1 (ASCII for IDs and codes)",
    [4] = "CD-Text too long: more than 253 packs of 12 bytes in the block",
    [5] = "CD-Text pack CRC error",
    [6] = "CD-Text pack sequence numbers out of order",
    [7] = "CD-Text size information packs missing or not matching the packs",
    [8] = "malformed CD-Text pack (type, track, character position or string)",
    [9] = "out of memory",
};

const char *cdtext_strerror(int status)
{
    int i = -status;
    if (i < 0 || i >= (int)(sizeof(status_text) / sizeof(status_text[0])))
        return "unknown CD-Text error";
    return status_text[i];
}

/* ---- the description ---- */

struct cdtext {
    char *text[CDTEXT_FIELD_COUNT][CDTEXT_MAX_TRACK + 1];
    uint16_t genre_code;
    uint8_t language;
};

int cdtext_create(struct cdtext **out)
{
    *out = calloc(1, sizeof(**out));
    if (!*out)
        return CDTEXT_ERR_NOMEM;
    (*out)->language = CDTEXT_LANGUAGE_ENGLISH;
    return CDTEXT_OK;
}

void cdtext_free(struct cdtext *t)
{
    if (!t)
        return;
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++)
        for (int n = 0; n <= CDTEXT_MAX_TRACK; n++)
            free(t->text[f][n]);
    free(t);
}

static char *copy_string(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = 0;
    }
    return c;
}

int cdtext_copy(const struct cdtext *src, struct cdtext **out)
{
    int rc = cdtext_create(out);
    if (rc)
        return rc;
    (*out)->genre_code = src->genre_code;
    (*out)->language = src->language;
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++)
        for (int n = 0; n <= CDTEXT_MAX_TRACK; n++)
            if (src->text[f][n] && !((*out)->text[f][n] = copy_string(src->text[f][n], strlen(src->text[f][n])))) {
                cdtext_free(*out);
                *out = NULL;
                return CDTEXT_ERR_NOMEM;
            }
    return CDTEXT_OK;
}

/* ISO 8859-1 minus the C0 and C1 controls and DEL; TAB is the encoding's
 * "same as previous" mark, so never text. */
static bool char_allowed(uint8_t c, bool ascii_only)
{
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
        return false;
    return !(ascii_only && c >= 0x80);
}

int cdtext_set(struct cdtext *t, int field, int track, const char *latin1)
{
    const struct field_info *f = field_of(field);
    if (!f || !f->supported)
        return CDTEXT_ERR_FIELD;
    if (track < 0 || track > CDTEXT_MAX_TRACK || (!f->per_track && track != 0))
        return CDTEXT_ERR_TRACK;
    size_t len = latin1 ? strlen(latin1) : 0;
    if (len >= TEXT_LIMIT)
        return CDTEXT_ERR_TOO_LONG;
    for (size_t i = 0; i < len; i++)
        if (!char_allowed((uint8_t)latin1[i], f->ascii_only))
            return CDTEXT_ERR_CHAR;
    char *copy = NULL;
    if (len && !(copy = copy_string(latin1, len)))
        return CDTEXT_ERR_NOMEM;
    free(t->text[field][track]);
    t->text[field][track] = copy;
    return CDTEXT_OK;
}

const char *cdtext_get(const struct cdtext *t, int field, int track)
{
    if (!field_of(field) || track < 0 || track > CDTEXT_MAX_TRACK)
        return NULL;
    return t->text[field][track];
}

void cdtext_set_genre_code(struct cdtext *t, uint16_t code)
{
    t->genre_code = code;
}

uint16_t cdtext_genre_code(const struct cdtext *t)
{
    return t->genre_code;
}

void cdtext_set_language(struct cdtext *t, uint8_t code)
{
    t->language = code;
}

uint8_t cdtext_language(const struct cdtext *t)
{
    return t->language;
}

static bool field_used(const struct cdtext *t, int field)
{
    if (field == CDTEXT_GENRE && t->genre_code)
        return true;
    for (int n = 0; n <= CDTEXT_MAX_TRACK; n++)
        if (t->text[field][n])
            return true;
    return false;
}

bool cdtext_is_empty(const struct cdtext *t)
{
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++)
        if (field_used(t, f))
            return false;
    return true;
}

int cdtext_highest_track(const struct cdtext *t)
{
    int high = 0;
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++)
        for (int n = 1; n <= CDTEXT_MAX_TRACK; n++)
            if (t->text[f][n] && n > high)
                high = n;
    return high;
}

int cdtext_latin1_from_utf8(const char *utf8, char *out, size_t size)
{
    const uint8_t *s = (const uint8_t *)utf8;
    size_t n = 0;
    while (*s) {
        unsigned c = *s++;
        if (c >= 0x80) {
            /* two-byte forms C2/C3 xx are exactly U+0080..U+00FF */
            if ((c != 0xC2 && c != 0xC3) || (*s & 0xC0) != 0x80)
                return CDTEXT_ERR_CHAR;
            c = (c & 0x1F) << 6 | (*s++ & 0x3F);
        }
        if (n + 1 >= size)
            return CDTEXT_ERR_TOO_LONG;
        out[n++] = (char)c;
    }
    if (size)
        out[n] = 0;
    return size ? CDTEXT_OK : CDTEXT_ERR_TOO_LONG;
}

/* ---- CRC and symbols ---- */

void cdtext_pack_set_crc(uint8_t pack[CDTEXT_PACK_SIZE])
{
    uint16_t crc = cd_crc16(pack, 16);
    pack[16] = (uint8_t)(crc >> 8);
    pack[17] = (uint8_t)crc;
}

bool cdtext_pack_crc_ok(const uint8_t pack[CDTEXT_PACK_SIZE])
{
    uint16_t crc = cd_crc16(pack, 16);
    return pack[16] == (uint8_t)(crc >> 8) && pack[17] == (uint8_t)crc;
}

/* Bit k of the pack (MSB of byte 0 first) is bit 5 - k % 6 of symbol k / 6. */
void cdtext_pack_to_symbols(const uint8_t pack[CDTEXT_PACK_SIZE], uint8_t symbols[CDTEXT_SYMBOLS_PER_PACK])
{
    memset(symbols, 0, CDTEXT_SYMBOLS_PER_PACK);
    for (int k = 0; k < CDTEXT_PACK_SIZE * 8; k++)
        if (pack[k / 8] & (0x80 >> (k % 8)))
            symbols[k / 6] |= (uint8_t)(0x20 >> (k % 6));
}

void cdtext_symbols_to_pack(const uint8_t symbols[CDTEXT_SYMBOLS_PER_PACK], uint8_t pack[CDTEXT_PACK_SIZE])
{
    memset(pack, 0, CDTEXT_PACK_SIZE);
    for (int k = 0; k < CDTEXT_PACK_SIZE * 8; k++)
        if (symbols[k / 6] & (0x20 >> (k % 6)))
            pack[k / 8] |= (uint8_t)(0x80 >> (k % 8));
}

void cdtext_leadin_symbols(const uint8_t *packs, size_t count, uint64_t sector, uint8_t symbols[CDTEXT_SECTOR_SYMBOLS])
{
    memset(symbols, 0, CDTEXT_SECTOR_SYMBOLS);
    if (!count)
        return;
    for (int j = 0; j < CDTEXT_PACKS_PER_SECTOR; j++) {
        size_t at = (size_t)((sector * CDTEXT_PACKS_PER_SECTOR + (uint64_t)j) % count);
        cdtext_pack_to_symbols(packs + at * CDTEXT_PACK_SIZE, symbols + j * CDTEXT_SYMBOLS_PER_PACK);
    }
}

/* ---- encoding ---- */

/* Packs are filled byte by byte; a new pack's header names the string
 * running at its first byte and how far into that string it starts. */
struct writer {
    uint8_t *packs;
    size_t n, limit;
    int fill;                 /* payload bytes of the open pack; -1: none open */
    uint8_t counts[16];
};

static int writer_put(struct writer *w, uint8_t type, int track, const uint8_t *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (w->fill < 0 || w->fill == CDTEXT_PACK_PAYLOAD) {
            if (w->n >= w->limit)
                return CDTEXT_ERR_TOO_LONG;
            uint8_t *p = w->packs + w->n * CDTEXT_PACK_SIZE;
            memset(p, 0, CDTEXT_PACK_SIZE);
            p[0] = type;
            p[1] = (uint8_t)track;
            p[2] = (uint8_t)w->n;
            p[3] = (uint8_t)(i < 15 ? i : 15);
            w->counts[type & 0x0F]++;
            w->n++;
            w->fill = 0;
        }
        w->packs[(w->n - 1) * CDTEXT_PACK_SIZE + 4 + (size_t)w->fill++] = bytes[i];
    }
    return CDTEXT_OK;
}

static int put_text(struct writer *w, int field, int track, const char *text)
{
    const char *s = text ? text : "";
    return writer_put(w, (uint8_t)(0x80 + field), track, (const uint8_t *)s, strlen(s) + 1);
}

static bool same_text(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int encode_per_track(const struct cdtext *t, int field, int first, int last, bool tab, struct writer *w)
{
    static const char tab_text[] = { TAB, 0 };
    int rc = put_text(w, field, 0, t->text[field][0]);
    for (int n = first; rc == CDTEXT_OK && n <= last; n++) {
        const char *s = t->text[field][n];
        if (tab && n > first && same_text(s, t->text[field][n - 1]))
            s = tab_text;
        rc = put_text(w, field, n, s);
    }
    return rc;
}

/* The code and the text are one string: character positions count both. */
static int encode_genre(const struct cdtext *t, struct writer *w)
{
    uint8_t bytes[GENRE_CODE_BYTES + TEXT_LIMIT + 1] = { (uint8_t)(t->genre_code >> 8), (uint8_t)t->genre_code };
    const char *text = t->text[CDTEXT_GENRE][0] ? t->text[CDTEXT_GENRE][0] : "";
    size_t len = strlen(text) + 1;
    memcpy(bytes + GENRE_CODE_BYTES, text, len);
    return writer_put(w, 0x80 + CDTEXT_GENRE, 0, bytes, GENRE_CODE_BYTES + len);
}

static int encode_field(const struct cdtext *t, int field, int first, int last, bool tab, struct writer *w)
{
    int rc;
    if (field == CDTEXT_GENRE)
        rc = encode_genre(t, w);
    else if (fields[field].per_track)
        rc = encode_per_track(t, field, first, last, tab, w);
    else
        rc = put_text(w, field, 0, t->text[field][0]);
    w->fill = -1; /* the next type starts a pack of its own; this one's rest stays NUL */
    return rc;
}

static bool tracks_inside(const struct cdtext *t, int first, int last)
{
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++)
        for (int n = 1; n <= CDTEXT_MAX_TRACK; n++)
            if (t->text[f][n] && (n < first || n > last))
                return false;
    return true;
}

static uint8_t charset_of(const struct cdtext *t)
{
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++)
        for (int n = 0; n <= CDTEXT_MAX_TRACK; n++)
            for (const char *s = t->text[f][n]; s && *s; s++)
                if ((uint8_t)*s >= 0x80)
                    return CDTEXT_CHARSET_LATIN1;
    return CDTEXT_CHARSET_ASCII;
}

static void put_size_packs(const struct cdtext *t, int first, int last, struct writer *w)
{
    uint8_t info[CDTEXT_SIZE_PACKS * CDTEXT_PACK_PAYLOAD] = { 0 };
    w->counts[SIZE_PACK_TYPE & 0x0F] = CDTEXT_SIZE_PACKS;
    info[0] = charset_of(t);
    info[1] = (uint8_t)first;
    info[2] = (uint8_t)last;
    memcpy(info + 4, w->counts, 16);
    info[20] = (uint8_t)(w->n + CDTEXT_SIZE_PACKS - 1);
    info[28] = t->language;
    for (int part = 0; part < CDTEXT_SIZE_PACKS; part++) {
        uint8_t *p = w->packs + w->n * CDTEXT_PACK_SIZE;
        p[0] = SIZE_PACK_TYPE;
        p[1] = (uint8_t)part;
        p[2] = (uint8_t)w->n;
        p[3] = 0;
        memcpy(p + 4, info + part * CDTEXT_PACK_PAYLOAD, CDTEXT_PACK_PAYLOAD);
        w->n++;
    }
}

int cdtext_encode(const struct cdtext *t, int first, int last, bool same_as_previous, uint8_t *packs,
                  size_t max_packs, size_t *count)
{
    *count = 0;
    if (first < 1 || last < first || last > CDTEXT_MAX_TRACK || !tracks_inside(t, first, last))
        return CDTEXT_ERR_TRACK;
    if (cdtext_is_empty(t))
        return CDTEXT_OK;
    if (max_packs <= CDTEXT_SIZE_PACKS)
        return CDTEXT_ERR_TOO_LONG;
    struct writer w = { packs, 0, max_packs - CDTEXT_SIZE_PACKS, -1, { 0 } };
    if (w.limit > CDTEXT_MAX_TEXT_PACKS)
        w.limit = CDTEXT_MAX_TEXT_PACKS;
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++) {
        if (!fields[f].supported || !field_used(t, f))
            continue;
        int rc = encode_field(t, f, first, last, same_as_previous, &w);
        if (rc)
            return rc;
    }
    put_size_packs(t, first, last, &w);
    for (size_t i = 0; i < w.n; i++)
        cdtext_pack_set_crc(packs + i * CDTEXT_PACK_SIZE);
    *count = w.n;
    return CDTEXT_OK;
}

/* ---- decoding ---- */

static uint8_t pack_block(const uint8_t *p)
{
    return (p[3] >> 4) & 0x07;
}

/* CRC, type, single-byte text, blocks in order, sequence 0, 1, ... per
 * block; *block0 gets how many packs block 0 has (they come first). */
static int check_packs(const uint8_t *packs, size_t count)
{
    int block = 0;
    size_t expect = 0;
    for (size_t i = 0; i < count; i++) {
        const uint8_t *p = packs + i * CDTEXT_PACK_SIZE;
        if (!cdtext_pack_crc_ok(p))
            return CDTEXT_ERR_CRC;
        if (p[0] < 0x80 || (p[3] & 0x80) || (p[1] & 0x80))
            return CDTEXT_ERR_FORMAT;
        if (pack_block(p) < block)
            return CDTEXT_ERR_SEQUENCE;
        if (pack_block(p) > block) {
            block = pack_block(p);
            expect = 0;
        }
        if (p[2] != expect++)
            return CDTEXT_ERR_SEQUENCE;
    }
    return CDTEXT_OK;
}

/* How many packs of the block that starts at `start` follow (blocks are in order). */
static size_t block_packs(const uint8_t *packs, size_t count, size_t start)
{
    size_t end = start;
    while (end < count && pack_block(packs + end * CDTEXT_PACK_SIZE) == pack_block(packs + start * CDTEXT_PACK_SIZE))
        end++;
    return end - start;
}

static int read_size_info(const uint8_t *packs, size_t n, int block, struct cdtext_size_info *si)
{
    uint8_t info[CDTEXT_SIZE_PACKS * CDTEXT_PACK_PAYLOAD];
    uint8_t counts[16] = { 0 };
    int parts = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = packs + i * CDTEXT_PACK_SIZE;
        counts[p[0] & 0x0F]++;
        if (p[0] != SIZE_PACK_TYPE)
            continue;
        if (parts >= CDTEXT_SIZE_PACKS || p[1] != parts)
            return CDTEXT_ERR_SIZE_INFO;
        memcpy(info + parts++ * CDTEXT_PACK_PAYLOAD, packs + i * CDTEXT_PACK_SIZE + 4, CDTEXT_PACK_PAYLOAD);
    }
    if (parts != CDTEXT_SIZE_PACKS)
        return CDTEXT_ERR_SIZE_INFO;
    si->charset = info[0];
    si->first_track = info[1];
    si->last_track = info[2];
    si->copyright = info[3];
    memcpy(si->pack_count, info + 4, 16);
    memcpy(si->last_sequence, info + 20, CDTEXT_BLOCKS);
    memcpy(si->language, info + 28, CDTEXT_BLOCKS);
    if (memcmp(counts, si->pack_count, 16) != 0 || si->last_sequence[block] != n - 1 || si->first_track < 1 ||
        si->last_track < si->first_track || si->last_track > CDTEXT_MAX_TRACK ||
        (si->charset != CDTEXT_CHARSET_LATIN1 && si->charset != CDTEXT_CHARSET_ASCII))
        return CDTEXT_ERR_SIZE_INFO;
    return CDTEXT_OK;
}

/* Walks one pack type's strings. The album string comes first, then the
 * disc's tracks from the first one; every pack must name the string it
 * starts in and how far into it that is. */
struct string_reader {
    struct cdtext *t;
    const struct cdtext_size_info *si;
    int field;
    int track;                /* of the running string; -1 before the first pack */
    char buf[TEXT_LIMIT + 1];
    size_t len;               /* bytes of the running string so far (genre code included) */
    size_t skip;              /* binary bytes still to take as the genre code */
};

static int next_track(const struct string_reader *r)
{
    return r->track == 0 ? r->si->first_track : r->track + 1;
}

static int finish_string(struct string_reader *r)
{
    const char *text = r->buf;
    size_t start = r->field == CDTEXT_GENRE ? GENRE_CODE_BYTES : 0;
    r->buf[r->len] = 0;
    text += start;
    if (r->len > start) {
        bool per_track = fields[r->field].per_track;
        if (r->track > (per_track ? r->si->last_track : 0))
            return CDTEXT_ERR_FORMAT;
        if (text[0] == TAB && text[1] == 0) {
            if (!per_track || r->track <= r->si->first_track)
                return CDTEXT_ERR_FORMAT;
            text = r->t->text[r->field][r->track - 1];
        }
        if (text && cdtext_set(r->t, r->field, r->track, text) != CDTEXT_OK)
            return CDTEXT_ERR_FORMAT;
    }
    r->track = next_track(r);
    r->len = 0;
    return CDTEXT_OK;
}

/* The character position a pack gives for its running string. Whether the
 * genre's 2-byte code counts is not settled (libburn's writer, for one,
 * gives continuation packs another value than ours), and the position only
 * helps a reader that starts mid-string: for the genre any value is read. */
static bool char_position_ok(const struct string_reader *r, const uint8_t *p)
{
    return r->field == CDTEXT_GENRE || (p[3] & 0x0F) == (r->len < 15 ? r->len : 15);
}

static int read_pack(struct string_reader *r, const uint8_t *p)
{
    if (r->track < 0)
        r->track = p[1];
    if (p[1] != r->track || !char_position_ok(r, p))
        return CDTEXT_ERR_FORMAT;
    for (int j = 0; j < CDTEXT_PACK_PAYLOAD; j++) {
        uint8_t c = p[4 + j];
        if (r->skip) {
            r->skip--;
            r->buf[r->len++] = (char)c;
            if (!r->skip)
                cdtext_set_genre_code(r->t, (uint16_t)((uint8_t)r->buf[0] << 8 | (uint8_t)r->buf[1]));
            continue;
        }
        if (c == 0) {
            int rc = finish_string(r);
            if (rc)
                return rc;
        } else if (r->len >= TEXT_LIMIT) {
            return CDTEXT_ERR_FORMAT;
        } else {
            r->buf[r->len++] = (char)c;
        }
    }
    return CDTEXT_OK;
}

static int decode_field(const uint8_t *packs, size_t n, int field, const struct cdtext_size_info *si,
                        struct cdtext *t)
{
    struct string_reader *r = calloc(1, sizeof(*r));
    int rc = CDTEXT_OK;
    if (!r)
        return CDTEXT_ERR_NOMEM;
    r->t = t;
    r->si = si;
    r->field = field;
    r->track = -1;
    r->skip = field == CDTEXT_GENRE ? GENRE_CODE_BYTES : 0;
    for (size_t i = 0; i < n && rc == CDTEXT_OK; i++) {
        const uint8_t *p = packs + i * CDTEXT_PACK_SIZE;
        if (p[0] == 0x80 + field)
            rc = read_pack(r, p);
    }
    if (rc == CDTEXT_OK && r->track >= 0 && (r->len || r->skip))
        rc = CDTEXT_ERR_FORMAT; /* the type's last string has no NUL */
    free(r);
    return rc;
}

/* One block: its size packs, then every supported type's strings. */
static int decode_block(const uint8_t *packs, size_t n, int block, struct cdtext_size_info *si, struct cdtext **out)
{
    struct cdtext *t = NULL;
    int rc = read_size_info(packs, n, block, si);
    if (rc == CDTEXT_OK)
        rc = cdtext_create(&t);
    if (rc == CDTEXT_OK)
        cdtext_set_language(t, si->language[block]);
    for (int f = 0; rc == CDTEXT_OK && f < CDTEXT_FIELD_COUNT; f++)
        if (fields[f].supported)
            rc = decode_field(packs, n, f, si, t);
    if (rc != CDTEXT_OK) {
        cdtext_free(t);
        t = NULL;
    }
    *out = t;
    return rc;
}

int cdtext_decode(const uint8_t *packs, size_t count, struct cdtext **out, struct cdtext_size_info *info)
{
    struct cdtext_size_info si, si_block;
    struct cdtext *t = NULL;
    if (out)
        *out = NULL;
    if (!count || count > CDTEXT_BLOCKS * CDTEXT_BLOCK_PACKS)
        return CDTEXT_ERR_SIZE_INFO;
    int rc = check_packs(packs, count);
    if (rc == CDTEXT_OK && pack_block(packs) != 0)
        rc = CDTEXT_ERR_SIZE_INFO; /* block 0 is always there */
    /* Every block (one a language) is decoded, so a broken one is found;
     * block 0's texts are the ones given back. */
    for (size_t start = 0; rc == CDTEXT_OK && start < count;) {
        size_t n = block_packs(packs, count, start);
        struct cdtext *b = NULL;
        rc = decode_block(packs + start * CDTEXT_PACK_SIZE, n, pack_block(packs + start * CDTEXT_PACK_SIZE),
                          start ? &si_block : &si, &b);
        if (start == 0)
            t = b;
        else
            cdtext_free(b);
        start += n;
    }
    if (rc != CDTEXT_OK) {
        cdtext_free(t);
        return rc;
    }
    if (info)
        *info = si;
    if (out)
        *out = t;
    else
        cdtext_free(t);
    return CDTEXT_OK;
}

/* ---- collecting packs from the lead-in ---- */

void cdtext_collector_reset(struct cdtext_collector *c)
{
    memset(c->have, 0, sizeof(c->have));
}

int cdtext_collector_add(struct cdtext_collector *c, const uint8_t symbols[CDTEXT_SECTOR_SYMBOLS])
{
    int added = 0;
    for (int j = 0; j < CDTEXT_PACKS_PER_SECTOR; j++) {
        uint8_t p[CDTEXT_PACK_SIZE];
        cdtext_symbols_to_pack(symbols + j * CDTEXT_SYMBOLS_PER_PACK, p);
        if (p[0] < 0x80 || !cdtext_pack_crc_ok(p))
            continue;
        uint8_t block = pack_block(p), seq = p[2];
        if (c->have[block][seq])
            continue;
        memcpy(c->pack[block][seq], p, CDTEXT_PACK_SIZE);
        c->have[block][seq] = true;
        added++;
    }
    return added;
}

bool cdtext_collector_complete(const struct cdtext_collector *c)
{
    for (int s = 0; s < CDTEXT_BLOCK_PACKS; s++) {
        const uint8_t *p = c->pack[0][s];
        if (!c->have[0][s] || p[0] != SIZE_PACK_TYPE || p[1] != 1)
            continue;
        int last = p[4 + 8]; /* size record byte 20: the last sequence number of block 0 */
        for (int k = 0; k <= last; k++)
            if (!c->have[0][k])
                return false;
        return true;
    }
    return false;
}

size_t cdtext_collector_packs(const struct cdtext_collector *c, uint8_t *out, size_t max)
{
    size_t n = 0;
    for (int b = 0; b < CDTEXT_BLOCKS; b++)
        for (int s = 0; s < CDTEXT_BLOCK_PACKS && c->have[b][s]; s++, n++)
            if (n < max)
                memcpy(out + n * CDTEXT_PACK_SIZE, c->pack[b][s], CDTEXT_PACK_SIZE);
    return n;
}
