/* What the drive can do and how it is set: GET CONFIGURATION, mode pages 05
 * and 2A (6- and 10-byte MODE SENSE/SELECT), speeds, performance, buffer
 * capacity. */
#include <string.h>

#include "vrec_internal.h"

static uint16_t current_profile(const struct vrec_drive *d)
{
    return d->loaded ? vrec_kind(d->media.kind)->profile : 0;
}

static bool always(const struct vrec_drive *d)
{
    (void)d;
    return true;
}

static bool cd_loaded(const struct vrec_drive *d)
{
    return d->loaded && vrec_kind(d->media.kind)->is_cd;
}

static bool readable_loaded(const struct vrec_drive *d)
{
    return d->loaded && d->media.state == VREC_DISC_CLOSED;
}

static bool blank_recordable_loaded(const struct vrec_drive *d)
{
    return cd_loaded(d) && vrec_kind(d->media.kind)->recordable && d->media.state == VREC_DISC_BLANK;
}

/* Track at once goes on a blank disc or appends to an open session. */
static bool tao_recordable_loaded(const struct vrec_drive *d)
{
    return blank_recordable_loaded(d) ||
           (cd_loaded(d) && vrec_kind(d->media.kind)->recordable && d->media.state == VREC_DISC_OPEN);
}

/* Profiles the drive knows, highest first as MMC lists them: BD-R (SRM),
 * DVD+R, DVD-R, DVD-ROM, CD-RW, CD-R, CD-ROM. */
static const uint16_t profiles[] = { 0x0041, 0x001B, 0x0011, 0x0010, 0x000A, 0x0009, 0x0008 };

static size_t body_profile_list(const struct vrec_drive *d, uint8_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++, n += 4) {
        vrec_put16(out + n, profiles[i]);
        out[n + 2] = profiles[i] == current_profile(d) ? 0x01 : 0x00;
        out[n + 3] = 0;
    }
    return n;
}

static size_t body_core(const struct vrec_drive *d, uint8_t *out)
{
    (void)d;
    static const uint8_t body[8] = { 0, 0, 0, 0x01 /* SCSI */, 0, 0, 0, 0 };
    memcpy(out, body, sizeof(body));
    return sizeof(body);
}

static size_t body_morphing(const struct vrec_drive *d, uint8_t *out)
{
    (void)d;
    static const uint8_t body[4] = { 0x02 /* OCEvent, polled only */, 0, 0, 0 };
    memcpy(out, body, sizeof(body));
    return sizeof(body);
}

static size_t body_removable(const struct vrec_drive *d, uint8_t *out)
{
    (void)d;
    static const uint8_t body[4] = { 0x20 /* tray */ | 0x08 /* eject */ | 0x01 /* lock */, 0, 0, 0 };
    memcpy(out, body, sizeof(body));
    return sizeof(body);
}

static size_t body_random_readable(const struct vrec_drive *d, uint8_t *out)
{
    (void)d;
    static const uint8_t body[8] = { 0, 0, 0x08, 0x00 /* 2048-byte blocks */, 0, 1 /* blocking */, 0, 0 };
    memcpy(out, body, sizeof(body));
    return sizeof(body);
}

static size_t body_cd_read(const struct vrec_drive *d, uint8_t *out)
{
    (void)d;
    memset(out, 0, 4); /* no C2 pointers, no CD-Text reading, no DAP */
    return 4;
}

static size_t body_cd_tao(const struct vrec_drive *d, uint8_t *out)
{
    (void)d;
    static const uint8_t body[4] = { 0x40 /* BUF */ | 0x04 /* test write */ | 0x02 /* CD-RW */, 0, 0x00, 0x01 };
    memcpy(out, body, sizeof(body));
    return sizeof(body);
}

#define MAX_CUE_SHEET 0x001000

static size_t body_cd_mastering(const struct vrec_drive *d, uint8_t *out)
{
    uint8_t raw = d->raw_block_types ? 0x10 /* raw multi-session */ | 0x08 /* raw */ : 0;
    out[0] = 0x40 /* BUF */ | raw | 0x04 /* test write */ | 0x02 /* CD-RW */ | 0x01 /* R-W */;
    out[1] = (uint8_t)(MAX_CUE_SHEET >> 16);
    out[2] = (uint8_t)(MAX_CUE_SHEET >> 8);
    out[3] = (uint8_t)MAX_CUE_SHEET;
    return 4;
}

/* A drive configured without TAO (vrec_config.no_tao) lacks the feature. */
static bool tao_present(const struct vrec_drive *d)
{
    return !d->no_tao;
}

struct feature {
    uint16_t code;
    uint8_t version;
    bool (*current)(const struct vrec_drive *d);
    size_t (*body)(const struct vrec_drive *d, uint8_t *out);
    bool (*present)(const struct vrec_drive *d); /* NULL: every drive has it */
};

static const struct feature features[] = {
    { 0x0000, 0, always, body_profile_list, NULL },
    { 0x0001, 2, always, body_core, NULL },
    { 0x0002, 1, always, body_morphing, NULL },
    { 0x0003, 0, always, body_removable, NULL },
    { 0x0010, 0, readable_loaded, body_random_readable, NULL },
    { 0x001E, 2, cd_loaded, body_cd_read, NULL },
    { 0x002D, 2, tao_recordable_loaded, body_cd_tao, tao_present },
    { 0x002E, 0, blank_recordable_loaded, body_cd_mastering, NULL },
};

static bool feature_wanted(const struct vrec_drive *d, const struct feature *f, int rt, uint16_t start)
{
    if (f->present && !f->present(d))
        return false;
    if (rt == 2)
        return f->code == start;
    return f->code >= start && (rt == 0 || f->current(d));
}

void vrec_handle_get_configuration(struct vrec_drive *d, struct vrec_cmd *c)
{
    int rt = c->cdb[1] & 0x03;
    if (rt == 3) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    uint16_t start = vrec_get16(c->cdb + 2);
    uint8_t r[256] = { 0 };
    size_t n = 8;
    for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++) {
        const struct feature *f = &features[i];
        if (!feature_wanted(d, f, rt, start))
            continue;
        size_t len = f->body(d, r + n + 4);
        vrec_put16(r + n, f->code);
        r[n + 2] = (uint8_t)(f->version << 2 | 0x02 /* persistent */ | (f->current(d) ? 0x01 : 0x00));
        r[n + 3] = (uint8_t)len;
        n += 4 + len;
    }
    vrec_put32(r, (uint32_t)(n - 4));
    vrec_put16(r + 6, current_profile(d));
    vrec_reply(c, r, (uint32_t)n, vrec_get16(c->cdb + 7));
}

/* ---- mode pages ---- */

enum { PC_CURRENT = 0, PC_CHANGEABLE = 1, PC_DEFAULT = 2, PC_SAVED = 3 };

void vrec_default_write_parameters(uint8_t page[VREC_PAGE05_LEN])
{
    memset(page, 0, VREC_PAGE05_LEN);
    page[0] = 0x05;
    page[1] = VREC_PAGE05_LEN - 2;
    page[2] = 0x01;  /* track-at-once until the host asks for raw */
    page[3] = 0x04;  /* data track */
    page[4] = 0x08;  /* Mode 1 */
    page[15] = CD_PREGAP_SECTORS;  /* audio pause length */
}

static size_t page05(const struct vrec_drive *d, int pc, uint8_t *out)
{
    if (pc == PC_CURRENT) {
        memcpy(out, d->page05, VREC_PAGE05_LEN);
    } else if (pc == PC_DEFAULT) {
        vrec_default_write_parameters(out);
    } else {
        memset(out, 0xFF, VREC_PAGE05_LEN);
        out[0] = 0x05;
        out[1] = VREC_PAGE05_LEN - 2;
        out[2] = 0x7F;  /* BUFE, LS_V, test write, write type */
        out[4] = 0x0F;  /* data block type */
        out[6] = 0x00;
        out[9] = 0x00;
    }
    return VREC_PAGE05_LEN;
}

static size_t page2a(const struct vrec_drive *d, int pc, uint8_t *out)
{
    unsigned speeds[16];
    int n = vrec_speed_list(d, speeds);
    size_t len = 32 + 4 * (size_t)n;
    memset(out, 0, len);
    out[0] = 0x2A;
    out[1] = (uint8_t)(len - 2);
    if (pc == PC_CHANGEABLE)
        return len; /* nothing in page 2A can be set */
    out[2] = 0x01 | 0x02 | 0x08;              /* reads CD-R, CD-RW, DVD-ROM */
    out[3] = 0x01 | 0x02 | 0x04;              /* writes CD-R, CD-RW; test write */
    out[4] = 0x80 | 0x40 | 0x20 | 0x10 | 0x01; /* BUF, multi-session, mode 2 form 1/2, audio play */
    out[5] = 0x40 | 0x20 | 0x08 | 0x04 | 0x02 | 0x01; /* UPC, ISRC, R-W de-interleaved, R-W, accurate CD-DA */
    out[6] = (uint8_t)(0x20 | 0x08 | 0x01 | (d->prevented ? 0x02 : 0x00)); /* tray, eject, lock, lock state */
    vrec_put16(out + 8, vrec_kbs_of_speed(d->max_speed));
    vrec_put16(out + 12, d->buffer_bytes / 1024);
    vrec_put16(out + 14, vrec_kbs_of_speed(d->max_speed));
    vrec_put16(out + 18, vrec_kbs_of_speed(d->max_speed));
    vrec_put16(out + 20, vrec_kbs_of_speed(d->write_speed));
    vrec_put16(out + 28, vrec_kbs_of_speed(d->write_speed));
    vrec_put16(out + 30, (uint32_t)n);
    for (int i = 0; i < n; i++)
        vrec_put16(out + 32 + 4 * i + 2, vrec_kbs_of_speed(speeds[i]));
    return len;
}

/* The pages MODE SENSE asks for, after a header of header_len bytes (left
 * zero); no block descriptors in either form, as MMC drives send none.
 * Returns the total length, 0 after failing the command. */
static size_t mode_sense_reply(struct vrec_drive *d, struct vrec_cmd *c, uint8_t *r, size_t header_len)
{
    int pc = c->cdb[2] >> 6, page = c->cdb[2] & 0x3F;
    if (pc == PC_SAVED) {
        vrec_fail(c, VS_SAVING_UNSUPPORTED);
        return 0;
    }
    if (c->cdb[3] != 0 || (page != 0x05 && page != 0x2A && page != 0x3F)) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return 0;
    }
    size_t n = header_len;
    if (page == 0x05 || page == 0x3F)
        n += page05(d, pc, r + n);
    if (page == 0x2A || page == 0x3F)
        n += page2a(d, pc, r + n);
    return n;
}

void vrec_handle_mode_sense10(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint8_t r[256] = { 0 };
    size_t n = mode_sense_reply(d, c, r, 8);
    if (!n)
        return;
    vrec_put16(r, (uint32_t)(n - 2)); /* mode data length; block descriptor length stays 0 */
    vrec_reply(c, r, (uint32_t)n, vrec_get16(c->cdb + 7));
}

/* The 6-byte form is what Linux sr sends to learn the capabilities (page
 * 2A) of a drive that is not ATAPI. Both pages together fit its one-byte
 * mode data length (at most 4 + 52 + 32 + 4 x 11 bytes). */
void vrec_handle_mode_sense6(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint8_t r[256] = { 0 };
    size_t n = mode_sense_reply(d, c, r, 4);
    if (!n)
        return;
    r[0] = (uint8_t)(n - 1); /* medium type, device-specific byte, block descriptor length: 0 */
    vrec_reply(c, r, (uint32_t)n, c->cdb[4]);
}

static bool in_list(unsigned v, const uint8_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == v)
            return true;
    return false;
}

/* Write types the page accepts, with their data block types (MMC values):
 * RAW and TAO record on CD, SAO settings are accepted but their WRITEs
 * fail; incremental (0) only with a DVD-R loaded. */
static bool write_parameters_valid(const struct vrec_drive *d, const uint8_t *p)
{
    static const uint8_t track_types[] = { 0, 1, 2, 3, 8, 10, 11, 12, 13 };
    unsigned write_type = p[2] & 0x0F, block_type = p[4] & 0x0F, multisession = p[3] >> 6;
    if (multisession == 2)
        return false;
    if (write_type == 3)
        return block_type < 8 && (d->raw_block_types >> block_type & 1u);
    if (write_type == 1 && d->no_tao)
        return false;
    if (write_type == 1 || write_type == 2)
        return in_list(block_type, track_types, sizeof(track_types));
    if (write_type == 0) /* incremental, variable packets, Mode 1: DVD-R only */
        return vrec_kind(d->media.kind)->incremental && block_type == 8 && !(p[3] & 0x20);
    return false;
}

static void select_page(struct vrec_drive *d, struct vrec_cmd *c, const uint8_t *p, size_t room)
{
    if ((p[0] & 0x3F) != 0x05 || p[1] < VREC_PAGE05_LEN - 2 || room < VREC_PAGE05_LEN ||
        !write_parameters_valid(d, p)) {
        vrec_fail(c, VS_INVALID_FIELD_PARAM);
        return;
    }
    if (d->own_write) {
        vrec_fail(c, VS_SEQUENCE_ERROR); /* write parameters are fixed once recording began */
        return;
    }
    memcpy(d->page05, p, VREC_PAGE05_LEN);
    d->page05[0] = 0x05;
    d->page05[1] = VREC_PAGE05_LEN - 2;
}

/* The parameter list of MODE SELECT(6) or (10): a header of header_len
 * bytes whose block descriptor length (bd_len) must be 0, then pages. */
static void select_parameter_list(struct vrec_drive *d, struct vrec_cmd *c, uint32_t plen, size_t header_len,
                                  uint32_t bd_len)
{
    if (!(c->cdb[1] & 0x10) || (c->cdb[1] & 0x01)) { /* PF required, SP unsupported */
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    if (plen > c->len || plen < header_len + 2) {
        vrec_fail(c, VS_PARAM_LIST_LENGTH);
        return;
    }
    const uint8_t *p = c->buf;
    if (bd_len != 0) { /* block descriptors are not used by MMC drives */
        vrec_fail(c, VS_INVALID_FIELD_PARAM);
        return;
    }
    size_t off = header_len;
    while (!c->check && off + 2 <= plen) {
        size_t page_len = 2 + (size_t)p[off + 1];
        if (off + page_len > plen) {
            vrec_fail(c, VS_PARAM_LIST_LENGTH);
            return;
        }
        select_page(d, c, p + off, page_len);
        off += page_len;
    }
    if (!c->check)
        c->done = plen;
}

void vrec_handle_mode_select10(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint32_t plen = vrec_get16(c->cdb + 7);
    const uint8_t *p = c->buf;
    select_parameter_list(d, c, plen, 8, plen >= 8 && plen <= c->len ? vrec_get16(p + 6) : 0);
}

void vrec_handle_mode_select6(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint32_t plen = c->cdb[4];
    const uint8_t *p = c->buf;
    select_parameter_list(d, c, plen, 4, plen >= 4 && plen <= c->len ? p[3] : 0);
}

/* ---- speed, performance, buffer ---- */

void vrec_handle_set_cd_speed(struct vrec_drive *d, struct vrec_cmd *c)
{
    if (c->cdb[1] & 0x03) { /* CLV only */
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    unsigned want = vrec_get16(c->cdb + 4), speeds[16];
    int n = vrec_speed_list(d, speeds);
    d->write_speed = speeds[n - 1];
    for (int i = n - 1; i >= 0; i--)
        if (vrec_kbs_of_speed(speeds[i]) <= want)
            d->write_speed = speeds[i];
}

static uint32_t capacity_blocks(const struct vrec_drive *d)
{
    return d->loaded ? (uint32_t)vrec_kind(d->media.kind)->last_leadout : 0;
}

void vrec_handle_get_performance(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint8_t type = c->cdb[10];
    uint32_t max_desc = vrec_get16(c->cdb + 8);
    unsigned speeds[16];
    int n = vrec_speed_list(d, speeds);
    uint8_t r[8 + 16 * 16] = { 0 };
    if (type == 0x00 && (c->cdb[1] & 0x03) == 0) {
        n = 1; /* nominal performance: one zone, flat */
        vrec_put32(r + 8 + 4, vrec_kbs_of_speed(d->max_speed));
        vrec_put32(r + 8 + 8, capacity_blocks(d));
        vrec_put32(r + 8 + 12, vrec_kbs_of_speed(d->max_speed));
        r[4] = c->cdb[1] & 0x04; /* echoes the Write bit */
    } else if (type == 0x03) {
        for (int i = 0; i < n; i++) {
            uint8_t *e = r + 8 + 16 * i;
            vrec_put32(e + 4, capacity_blocks(d));
            vrec_put32(e + 8, vrec_kbs_of_speed(d->max_speed));
            vrec_put32(e + 12, vrec_kbs_of_speed(speeds[i]));
        }
    } else {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    if ((uint32_t)n > max_desc)
        n = (int)max_desc;
    vrec_put32(r, 4 + 16 * (uint32_t)n);
    vrec_reply(c, r, 8 + 16 * (uint32_t)n, 8 + 16 * max_desc);
}

void vrec_handle_read_buffer_capacity(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint8_t r[12] = { 0 };
    uint64_t free_bytes = d->buffer_bytes > d->fill ? d->buffer_bytes - d->fill : 0;
    vrec_put16(r, 10);
    if (c->cdb[1] & 0x01) {
        r[3] = 0x01; /* block: free space in sectors */
        vrec_put32(r + 8, (uint32_t)(free_bytes / CD_SECTOR_SIZE));
    } else {
        vrec_put32(r + 4, d->buffer_bytes);
        vrec_put32(r + 8, (uint32_t)free_bytes);
    }
    vrec_reply(c, r, sizeof(r), vrec_get16(c->cdb + 7));
}
