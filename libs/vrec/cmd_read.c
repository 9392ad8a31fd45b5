/* Reading a closed disc back: READ CD (main channel selection, sub-channel
 * selection 0/1/2/4) and READ(10). Data sectors were recorded scrambled, as
 * the host sent them; the reader undoes the scrambling like a real drive. */
#include <string.h>

#include "vrec_internal.h"

struct span {
    uint16_t from, to; /* byte range in the CD_SECTOR_SIZE-byte sector */
};

/* The parts of a sector READ CD byte 9 can select, per sector layout. */
enum part { PART_SYNC, PART_HEADER, PART_SUBHEADER, PART_USER, PART_EDC, PART_COUNT };

enum sector_kind { SK_AUDIO, SK_MODE1, SK_MODE2, SK_MODE2_FORM1, SK_MODE2_FORM2, SK_UNWRITTEN };

static const struct span parts[][PART_COUNT] = {
    [SK_AUDIO] = { { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, CD_SECTOR_SIZE }, { 0, 0 } },
    [SK_MODE1] = { { 0, 12 }, { 12, 16 }, { 0, 0 }, { 16, 2064 }, { 2064, CD_SECTOR_SIZE } },
    [SK_MODE2] = { { 0, 12 }, { 12, 16 }, { 0, 0 }, { 16, CD_SECTOR_SIZE }, { 0, 0 } },
    [SK_MODE2_FORM1] = { { 0, 12 }, { 12, 16 }, { 16, 24 }, { 24, 2072 }, { 2072, CD_SECTOR_SIZE } },
    [SK_MODE2_FORM2] = { { 0, 12 }, { 12, 16 }, { 16, 24 }, { 24, 2348 }, { 2348, CD_SECTOR_SIZE } },
    [SK_UNWRITTEN] = { { 0, 12 }, { 12, 16 }, { 0, 0 }, { 16, 2064 }, { 2064, CD_SECTOR_SIZE } },
};

/* READ CD expected sector type -> kinds it accepts (bit mask of enum sector_kind). */
static const unsigned expected_kinds[8] = {
    [0] = 0x3F,
    [1] = 1u << SK_AUDIO,
    [2] = 1u << SK_MODE1 | 1u << SK_UNWRITTEN,
    [3] = 1u << SK_MODE2,
    [4] = 1u << SK_MODE2_FORM1,
    [5] = 1u << SK_MODE2_FORM2,
};

struct read_ctx {
    FILE *f;
    int32_t leadout;
};

static bool open_for_read(struct vrec_drive *d, struct vrec_cmd *c, struct read_ctx *rc)
{
    if (!vrec_kind(d->media.kind)->is_cd) {
        vrec_fail(c, VS_CANNOT_READ_MEDIUM);
        return false;
    }
    if (d->media.state != VREC_DISC_CLOSED || !vrec_toc_complete(&d->media)) {
        vrec_fail(c, VS_LBA_OUT_OF_RANGE); /* nothing readable on a blank or spoiled disc */
        return false;
    }
    rc->f = d->sectors_path ? fopen(d->sectors_path, "rb") : NULL;
    rc->leadout = vrec_toc_leadout(&d->media);
    return true;
}

/* Loads a sector as a reader sees it (descrambled main channel) and its kind. */
static enum sector_kind load_sector(struct vrec_drive *d, struct read_ctx *rc, int32_t lba,
                                    uint8_t rec[CD_SECTOR_RAW_PW])
{
    vrec_read_record(rc->f, &d->media, lba, rec);
    if (!vrec_sector_is_data(&d->media, lba, rec))
        return SK_AUDIO;
    if (!vrec_has_sync(rec))
        return SK_UNWRITTEN;
    vrec_descramble(d->scramble, rec);
    if (rec[15] == 1)
        return SK_MODE1;
    if (rec[15] != 2)
        return SK_UNWRITTEN;
    if (d->media.toc[0xA0].psec != 0x20) /* not CD-ROM XA: Mode 2 formless */
        return SK_MODE2;
    return (rec[18] & 0x20) ? SK_MODE2_FORM2 : SK_MODE2_FORM1;
}

static size_t copy_part(const uint8_t *sector, struct span s, uint8_t *out)
{
    memcpy(out, sector + s.from, s.to - s.from);
    return s.to - s.from;
}

static size_t select_main(const uint8_t *sector, enum sector_kind kind, uint8_t flags, uint8_t *out)
{
    const struct span *p = parts[kind];
    unsigned headers = (flags >> 5) & 0x03;
    size_t n = 0;
    if (kind == SK_AUDIO)
        return (flags & 0xF8) ? copy_part(sector, p[PART_USER], out) : 0;
    if (flags & 0x80)
        n += copy_part(sector, p[PART_SYNC], out + n);
    if (headers & 0x01)
        n += copy_part(sector, p[PART_HEADER], out + n);
    if (headers & 0x02)
        n += copy_part(sector, p[PART_SUBHEADER], out + n);
    if (flags & 0x10)
        n += copy_part(sector, p[PART_USER], out + n);
    if (flags & 0x08)
        n += copy_part(sector, p[PART_EDC], out + n);
    return n;
}

static size_t select_sub(const struct vrec_drive *d, const uint8_t *rec, unsigned selection, uint8_t *out)
{
    uint8_t channels[8][12];
    vrec_record_channels(d->media.layout, rec, channels);
    if (selection == 2) {
        memset(out, 0, CD_SUBCODE_PQ);
        memcpy(out, channels[1], CD_SUBQ_LEN);
        return CD_SUBCODE_PQ;
    }
    cd_subcode_interleave((const uint8_t(*)[12])channels, out);
    if (selection == 4)
        for (int i = 0; i < CD_SUBCODE_RAW; i++)
            out[i] &= 0x3F; /* R-W symbols only */
    return selection ? CD_SUBCODE_RAW : 0;
}

void vrec_handle_read_cd(struct vrec_drive *d, struct vrec_cmd *c)
{
    unsigned expected = (c->cdb[1] >> 2) & 0x07, sub = c->cdb[10] & 0x07;
    uint8_t flags = c->cdb[9];
    int32_t lba = (int32_t)vrec_get32(c->cdb + 2);
    uint32_t count = vrec_get24(c->cdb + 6);
    if (expected > 5 || (flags & 0x06) || (sub != 0 && sub != 1 && sub != 2 && sub != 4)) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    struct read_ctx rc;
    if (!open_for_read(d, c, &rc))
        return;
    if (lba < 0 || (int64_t)lba + count > rc.leadout)
        vrec_fail(c, VS_LBA_OUT_OF_RANGE);
    uint8_t rec[CD_SECTOR_RAW_PW], out[CD_SECTOR_SIZE + CD_SUBCODE_RAW];
    for (uint32_t i = 0; i < count && !c->check; i++) {
        enum sector_kind kind = load_sector(d, &rc, lba + (int32_t)i, rec);
        if (!(expected_kinds[expected] & (1u << kind))) {
            vrec_fail(c, VS_ILLEGAL_MODE);
            break;
        }
        size_t n = select_main(rec, kind, flags, out);
        n += select_sub(d, rec, sub, out + n);
        if (c->done + n > c->len)
            break;
        memcpy(c->buf + c->done, out, n);
        c->done += (uint32_t)n;
    }
    if (rc.f)
        fclose(rc.f);
}

void vrec_handle_read10(struct vrec_drive *d, struct vrec_cmd *c)
{
    int32_t lba = (int32_t)vrec_get32(c->cdb + 2);
    uint32_t count = vrec_get16(c->cdb + 7);
    struct read_ctx rc;
    if (vrec_is_sequential(d)) {
        vrec_seq_read10(d, c, lba, count);
        return;
    }
    if (!open_for_read(d, c, &rc))
        return;
    if (lba < 0 || (int64_t)lba + count > rc.leadout)
        vrec_fail(c, VS_LBA_OUT_OF_RANGE);
    uint8_t rec[CD_SECTOR_RAW_PW];
    for (uint32_t i = 0; i < count && !c->check && c->done + 2048 <= c->len; i++) {
        enum sector_kind kind = load_sector(d, &rc, lba + (int32_t)i, rec);
        if (kind == SK_AUDIO || kind == SK_MODE2 || kind == SK_MODE2_FORM2) {
            vrec_fail(c, VS_ILLEGAL_MODE);
            break;
        }
        c->done += (uint32_t)copy_part(rec, parts[kind][PART_USER], c->buf + c->done);
    }
    if (rc.f)
        fclose(rc.f);
}
