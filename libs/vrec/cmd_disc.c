/* Disc structure: READ DISC INFORMATION, READ TRACK INFORMATION, READ TOC/PMA/ATIP
 * and READ CAPACITY, all from the TOC learnt from the written lead-in (DVD+R
 * and BD-R: from their tracks, cmd_seq.c); READ
 * DISC STRUCTURE's physical format information of the DVD-ROM kind. */
#include <stdlib.h>
#include <string.h>

#include "mmc/cdtext.h"
#include "vrec_internal.h"

enum { DISC_EMPTY = 0, DISC_INCOMPLETE = 1, DISC_COMPLETE = 2 };
enum { SESSION_EMPTY = 0, SESSION_INCOMPLETE = 1, SESSION_DAMAGED = 2, SESSION_COMPLETE = 3 };

static bool disc_closed(const struct vrec_drive *d)
{
    return vrec_kind(d->media.kind)->is_cd && d->media.state == VREC_DISC_CLOSED && vrec_toc_complete(&d->media);
}

static void put_msf_field(uint8_t *out, int32_t lba)
{
    struct cd_msf msf = cd_lba_to_msf(lba);
    out[0] = 0;
    out[1] = msf.m;
    out[2] = msf.s;
    out[3] = msf.f;
}

static void put_address(uint8_t *out, int32_t lba, bool msf)
{
    if (msf)
        put_msf_field(out, lba);
    else
        vrec_put32(out, (uint32_t)lba);
}

void vrec_handle_read_disc_information(struct vrec_drive *d, struct vrec_cmd *c)
{
    if (c->cdb[1] & 0x07) { /* only standard disc information */
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    const struct vrec_kind_info *k = vrec_kind(d->media.kind);
    const struct vrec_media *m = &d->media;
    uint8_t r[34] = { 0 };
    vrec_put16(r, sizeof(r) - 2);
    r[3] = r[4] = r[5] = r[6] = 1;
    r[7] = 0x20; /* unrestricted use */
    memset(r + 16, 0xFF, 8);
    if (vrec_is_sequential(d)) {
        vrec_seq_disc_information(d, r);
    } else if (m->state == VREC_DISC_BLANK) {
        r[2] = DISC_EMPTY | SESSION_EMPTY << 2;
        put_msf_field(r + 16, k->leadin_start);
        put_msf_field(r + 20, k->last_leadout);
    } else if (m->state == VREC_DISC_OPEN || d->tao_open) {
        /* TAO session open: the invisible track counts as the last one */
        int last = m->tao_tracks + 1;
        r[2] = DISC_INCOMPLETE | SESSION_INCOMPLETE << 2;
        r[6] = (uint8_t)(last > 99 ? 99 : last);
        put_msf_field(r + 16, k->leadin_start);
        put_msf_field(r + 20, k->last_leadout);
    } else if (disc_closed(d)) {
        r[2] = (m->next_session ? DISC_INCOMPLETE : DISC_COMPLETE) | SESSION_COMPLETE << 2;
        r[3] = r[5] = (uint8_t)vrec_toc_first_track(m);
        r[6] = (uint8_t)vrec_toc_last_track(m);
        r[8] = m->toc[0xA0].psec; /* disc type from A0 */
    } else if (m->state == VREC_DISC_CLOSED) {
        r[2] = DISC_COMPLETE | SESSION_COMPLETE << 2; /* DVD: finished, nothing CD about it */
    } else {
        r[2] = DISC_INCOMPLETE | SESSION_DAMAGED << 2; /* spoiled: not blank, no TOC */
    }
    if (k->erasable)
        r[2] |= 0x10;
    vrec_reply(c, r, sizeof(r), vrec_get16(c->cdb + 7));
}

/* Track number the READ TRACK INFORMATION address names on a closed disc, 0 if none. */
static int closed_track(const struct vrec_media *m, int type, uint32_t addr)
{
    int first = vrec_toc_first_track(m), last = vrec_toc_last_track(m);
    uint8_t control;
    if (type == 1)
        return (int)addr >= first && (int)addr <= last ? (int)addr : 0;
    if (type == 2)
        return addr == 1 ? first : 0;
    int32_t lba = (int32_t)addr;
    return lba < vrec_toc_leadout(m) ? vrec_toc_track_of(m, lba, &control) : 0;
}

static int32_t track_end(const struct vrec_media *m, int t)
{
    return t < vrec_toc_last_track(m) ? vrec_toc_lba(&m->toc[t + 1]) : vrec_toc_leadout(m);
}

static bool fill_closed_track(const struct vrec_drive *d, int type, uint32_t addr, uint8_t *r)
{
    const struct vrec_media *m = &d->media;
    int t = closed_track(m, type, addr);
    if (!t)
        return false;
    int32_t start = vrec_toc_lba(&m->toc[t]), end = track_end(m, t);
    r[2] = (uint8_t)t;
    r[5] = m->toc[t].control;
    r[6] = (m->toc[t].control & 0x04) ? 0x01 : 0x0F; /* data mode 1, or not a data track */
    r[7] = 0x02;                                     /* last recorded address valid */
    vrec_put32(r + 8, (uint32_t)start);
    vrec_put32(r + 24, (uint32_t)(end - start));
    vrec_put32(r + 28, (uint32_t)(end - 1));
    return true;
}

/* The one track of a blank or spoiled disc (also the "invisible" track FFh). */
static bool fill_open_track(const struct vrec_drive *d, int type, uint32_t addr, uint8_t *r)
{
    const struct vrec_kind_info *k = vrec_kind(d->media.kind);
    bool named = (type == 1 && (addr == 1 || addr == 0xFF)) || (type == 2 && addr == 1) ||
                 (type == 0 && (int32_t)addr >= 0 && (int32_t)addr < k->last_leadout);
    if (!named)
        return false;
    r[2] = 1;
    r[6] = 0x0F; /* data mode unknown */
    if (d->media.state == VREC_DISC_BLANK) {
        r[6] |= 0x40; /* blank */
        r[7] = 0x01;  /* next writable address valid: 0 */
        vrec_put32(r + 16, (uint32_t)k->last_leadout);
    } else {
        r[5] = 0x20;  /* damaged */
    }
    vrec_put32(r + 24, (uint32_t)k->last_leadout);
    return true;
}

void vrec_handle_read_track_information(struct vrec_drive *d, struct vrec_cmd *c)
{
    int type = c->cdb[1] & 0x03;
    uint32_t addr = vrec_get32(c->cdb + 2);
    uint8_t r[36] = { 0 };
    vrec_put16(r, sizeof(r) - 2);
    r[3] = 1; /* session */
    bool ok = false;
    if (type != 3 && vrec_is_sequential(d)) {
        ok = vrec_seq_track_info(d, type, addr, r);
    } else if (type != 3 && vrec_kind(d->media.kind)->is_cd) {
        if (d->media.state == VREC_DISC_OPEN || d->tao_open)
            ok = vrec_tao_track_info(d, type, addr, r);
        else
            ok = disc_closed(d) ? fill_closed_track(d, type, addr, r) : fill_open_track(d, type, addr, r);
    }
    if (!ok) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    vrec_reply(c, r, sizeof(r), vrec_get16(c->cdb + 7));
}

static uint8_t adr_control(const struct vrec_toc_entry *e)
{
    return (uint8_t)(e->adr << 4 | e->control);
}

static size_t toc_format0(const struct vrec_media *m, uint8_t start, bool msf, uint8_t *r)
{
    int first = vrec_toc_first_track(m), last = vrec_toc_last_track(m);
    if (start == 0)
        start = (uint8_t)first;
    if (start > last && start != 0xAA)
        return 0;
    size_t n = 4;
    for (int t = first < start ? start : first; t <= last; t++, n += 8) {
        r[n + 1] = adr_control(&m->toc[t]);
        r[n + 2] = (uint8_t)t;
        put_address(r + n + 4, vrec_toc_lba(&m->toc[t]), msf);
    }
    r[n + 1] = adr_control(&m->toc[0xA2]);
    r[n + 2] = 0xAA;
    put_address(r + n + 4, vrec_toc_leadout(m), msf);
    n += 8;
    r[2] = (uint8_t)first;
    r[3] = (uint8_t)last;
    return n;
}

static size_t toc_format1(const struct vrec_media *m, bool msf, uint8_t *r)
{
    int first = vrec_toc_first_track(m);
    r[2] = r[3] = 1;
    r[5] = adr_control(&m->toc[first]);
    r[6] = (uint8_t)first;
    put_address(r + 8, vrec_toc_lba(&m->toc[first]), msf);
    return 12;
}

static size_t full_toc_entry(const struct vrec_media *m, int point, uint8_t *e)
{
    const struct vrec_toc_entry *t = &m->toc[point];
    const uint8_t bytes[11] = { 1, adr_control(t), 0, (uint8_t)point, t->min, t->sec, t->frame, 0,
                                t->pmin, t->psec, t->pframe };
    memcpy(e, bytes, sizeof(bytes));
    return sizeof(bytes);
}

static size_t toc_format2(const struct vrec_media *m, uint8_t *r)
{
    size_t n = 4;
    r[2] = r[3] = 1;
    for (int p = 0xA0; p <= 0xA2; p++)
        n += full_toc_entry(m, p, r + n);
    for (int t = vrec_toc_first_track(m); t <= vrec_toc_last_track(m); t++)
        n += full_toc_entry(m, t, r + n);
    return n;
}

static size_t toc_atip(const struct vrec_drive *d, uint8_t *r)
{
    const struct vrec_kind_info *k = vrec_kind(d->media.kind);
    r[4] = 0x80 | 0x40;                     /* fixed 1, indicative writing power 4 */
    r[6] = (uint8_t)(0x80 | (k->erasable ? 0x40 : 0x00)); /* fixed 1, disc type (CD-RW) */
    put_msf_field(r + 7, k->leadin_start);  /* bytes 8-10 */
    put_msf_field(r + 11, k->last_leadout); /* bytes 12-14 */
    return 28;
}

/* Format 5: the 4-byte header, then the lead-in's CD-Text packs as
 * recorded (CRC included); header only when the disc has none. */
static void read_toc_cdtext(struct vrec_drive *d, struct vrec_cmd *c)
{
    enum { MAX_PACKS = CDTEXT_BLOCKS * CDTEXT_BLOCK_PACKS };
    uint8_t *r = calloc(1, 4 + MAX_PACKS * CDTEXT_PACK_SIZE);
    if (!r) {
        vrec_fail_raw(c, 0x04, 0x44, 0x00); /* internal target failure */
        return;
    }
    FILE *f = d->own_write ? NULL : fopen(d->sectors_path, "rb");
    size_t n = vrec_read_cdtext(f, &d->media, r + 4, MAX_PACKS);
    if (f)
        fclose(f);
    vrec_put16(r, (uint32_t)(2 + n * CDTEXT_PACK_SIZE));
    vrec_reply(c, r, (uint32_t)(4 + n * CDTEXT_PACK_SIZE), vrec_get16(c->cdb + 7));
    free(r);
}

void vrec_handle_read_toc(struct vrec_drive *d, struct vrec_cmd *c)
{
    int format = c->cdb[2] & 0x0F;
    if (format == 5 && disc_closed(d) && d->sectors_path) {
        read_toc_cdtext(d, c);
        return;
    }
    bool msf = c->cdb[1] & 0x02;
    uint8_t r[4 + 11 * 103] = { 0 };
    size_t n = 0;
    if (format == 4 && vrec_kind(d->media.kind)->recordable)
        n = toc_atip(d, r);
    else if (format == 0 && disc_closed(d))
        n = toc_format0(&d->media, c->cdb[6], msf, r);
    else if (format == 1 && disc_closed(d))
        n = toc_format1(&d->media, msf, r);
    else if (format == 2 && disc_closed(d) && c->cdb[6] <= 1)
        n = toc_format2(&d->media, r);
    if (n == 0) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    vrec_put16(r, (uint32_t)(n - 2));
    vrec_reply(c, r, (uint32_t)n, vrec_get16(c->cdb + 7));
}

void vrec_handle_read_capacity(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint8_t r[8] = { 0 };
    if (vrec_is_sequential(d))
        vrec_put32(r, (uint32_t)vrec_seq_last_recorded(&d->media));
    else if (disc_closed(d))
        vrec_put32(r, (uint32_t)(vrec_toc_leadout(&d->media) - 1));
    vrec_put32(r + 4, 2048);
    vrec_reply(c, r, sizeof(r), sizeof(r));
}

/* Format C0h (write protection status) of any medium: MSWI for the
 * write-protected kinds. */
static void write_protection_status(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint8_t r[8] = { 0 };
    vrec_put16(r, sizeof(r) - 2);
    r[4] = vrec_kind(d->media.kind)->write_protected ? 0x08 : 0x00;
    vrec_reply(c, r, sizeof(r), vrec_get16(c->cdb + 8));
}

/* Format C0h of any medium; otherwise only format 00h (physical format
 * information, layer 0) of a DVD medium: a single-layer embossed DVD-ROM of
 * 120 mm. A CD answers 05/30/02, as a DVD drive does for a disc without
 * DVD structures. */
void vrec_handle_read_disc_structure(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint8_t r[4 + 2048] = { 0 };
    if ((c->cdb[1] & 0x0F) == 0 && c->cdb[7] == 0xC0) {
        write_protection_status(d, c);
        return;
    }
    if (d->media.kind != VREC_MEDIA_DVD) {
        vrec_fail(c, VS_CANNOT_READ_MEDIUM);
        return;
    }
    if ((c->cdb[1] & 0x0F) != 0 || c->cdb[6] != 0 || c->cdb[7] != 0x00) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    vrec_put16(r, sizeof(r) - 2);
    r[4] = 0x01;                  /* book type DVD-ROM, part version 1 */
    r[5] = 0x0F;                  /* 120 mm, maximum rate not specified */
    r[6] = 0x01;                  /* one layer, parallel track path, embossed */
    vrec_put32(r + 8, 0x030000);  /* first physical sector of the data area */
    vrec_put32(r + 12, 0x030000 + 2295104 - 1); /* its last: a 4.7 GB disc */
    vrec_reply(c, r, sizeof(r), vrec_get16(c->cdb + 8));
}
