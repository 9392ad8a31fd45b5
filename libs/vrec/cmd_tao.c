/* Track-at-once recording on CD-R/RW (write type 1 in page 05), as MMC
 * describes a drive doing it:
 *
 * - The host sends user data only: data block type 0 (2352-byte audio) or
 *   8 (Mode 1, 2048 bytes); the drive adds sync, header, EDC/ECC and the
 *   ECMA-130 scrambling to Mode 1 sectors and makes the sub-channel (P, and
 *   Q mode 1: track, index, relative and absolute time). Stored as layout 2
 *   (cooked P-W) records, so READ CD and the exporters read them as any.
 * - Each track is one write event at the Next Writable Address, after a
 *   150-block (2 s, Red Book) pregap the drive records itself: LBA -150..-1
 *   for track 1. A write event ends with 2 run-out blocks and the next one
 *   begins with 1 link and 4 run-in blocks (the 7-block overhead of CD-R
 *   incremental recording that drive manuals quote: run-in 4, run-out 2,
 *   link 1); vrec places the link and run-in blocks at the start of the
 *   next track's pregap, so
 *       NWA(track n + 1) = end of track n + 2 run-out + 150 pregap
 *   (the run-outs count in track n's size, as TAO data tracks show them).
 *   Link, run-in and run-out blocks are stored as silence / zero with the
 *   Q of where they are (a real disc has unreadable blocks there).
 * - WRITE anywhere but the NWA of the open track (or, with none open, of
 *   the invisible track): 05/21/02 INVALID ADDRESS FOR WRITE (MMC's sense
 *   for a write not at the NWA of a sequential track); a data block type
 *   other than the open track's or one TAO does not record here: 05/64/00
 *   ILLEGAL MODE FOR THIS TRACK.
 * - CLOSE TRACK writes the run-out and fixes the track; CLOSE SESSION
 *   writes the lead-in (the TOC in Q, each point 3 times, cycling) and a
 *   6750-block first-session lead-out; the TOC is then learnt from that
 *   lead-in exactly as for a raw burn. Multi-session 11b in page 05 leaves
 *   "next session allowed" (disc status incomplete, last session complete);
 *   a second session is not recorded.
 * - Until the session is closed the disc is "open": READ DISC INFORMATION
 *   incomplete / session incomplete, READ TRACK INFORMATION lists the fixed
 *   tracks and the invisible one, and the state file keeps the tracks, so
 *   another run (or process) appends to it. */
#include <string.h>

#include "vfile.h"
#include "vrec_internal.h"

#define TAO_LINK 1
#define TAO_RUNIN 4
#define US_PER_S 1000000u

/* Data block types TAO records, with what they become. */
static const struct tao_block {
    uint8_t block_type;
    uint32_t bytes;
    uint8_t control;   /* Q CONTROL of the track */
    enum cd_sector_form form;
} tao_blocks[] = {
    { 0, CD_SECTOR_SIZE, 0x0, CD_FORM_AUDIO },
    { 8, 2048, 0x4, CD_FORM_MODE1 },
};

static const struct tao_block *block_of_page(const struct vrec_drive *d)
{
    for (size_t i = 0; i < sizeof(tao_blocks) / sizeof(tao_blocks[0]); i++)
        if (tao_blocks[i].block_type == (d->page05[4] & 0x0F))
            return &tao_blocks[i];
    return NULL;
}

static const struct tao_block *block_of_control(uint8_t control)
{
    return &tao_blocks[(control & 0x4) ? 1 : 0];
}

/* Where the next track's user data goes; INT32_MIN when no track can follow. */
static int32_t next_writable(const struct vrec_media *m)
{
    if (m->tao_tracks >= VREC_TAO_MAX_TRACKS)
        return INT32_MIN;
    if (m->tao_tracks == 0)
        return 0;
    const struct vrec_tao_track *t = &m->tao[m->tao_tracks];
    return t->start + t->length + CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS;
}

static bool appendable(const struct vrec_media *m)
{
    return m->state == VREC_DISC_BLANK || m->state == VREC_DISC_OPEN;
}

/* ---- records ---- */

/* Q mode 1 of a program-area or lead-out block, into the cooked sub-channel. */
static void program_sub(uint8_t *sub, uint8_t control, uint8_t tno, uint8_t index, int32_t rel, int32_t lba,
                        bool p)
{
    uint8_t q[CD_SUBQ_LEN];
    struct cd_subq s = cd_subq_position(control, tno, index, rel, lba);
    cd_subq_encode(&s, q);
    cd_subcode_encode(CD_RAW_COOKED, p, q, NULL, sub);
}

/* Main channel of a track block: user data (NULL: zeros) in the track's form. */
static void track_main(uint8_t *main, const struct tao_block *b, const uint8_t *user, int32_t lba)
{
    memset(main, 0, CD_SECTOR_SIZE);
    if (b->form == CD_FORM_AUDIO) {
        if (user)
            memcpy(main, user, CD_SECTOR_SIZE);
        return;
    }
    if (user)
        memcpy(main + cd_sector_user_offset(b->form), user, b->bytes);
    cd_sector_build(main, b->form, lba);
    cd_scramble(main); /* stored as recorded, like a raw burn's data sectors */
}

/* The pregap the drive records before track t's user data at start:
 * pause (P on, index 0, time counting down to the track). */
static bool write_pregap(struct vrec_drive *d, int t, int32_t start, const struct tao_block *b)
{
    uint8_t rec[CD_SECTOR_RAW_PW];
    for (int32_t lba = start - CD_PREGAP_SECTORS; lba < start; lba++) {
        track_main(rec, b, NULL, lba);
        program_sub(rec + CD_SECTOR_SIZE, b->control, (uint8_t)t, 0, start - lba, lba, true);
        if (!vrec_put_records(d, lba, rec, 1))
            return false;
    }
    return true;
}

static bool write_runout(struct vrec_drive *d, const struct vrec_tao_track *t, int n)
{
    uint8_t rec[CD_SECTOR_RAW_PW];
    for (int32_t i = 0; i < CD_RUNOUT_SECTORS; i++) {
        int32_t lba = t->start + t->length + i;
        memset(rec, 0, CD_SECTOR_SIZE);
        program_sub(rec + CD_SECTOR_SIZE, t->control, (uint8_t)n, 1, t->length + i, lba, false);
        if (!vrec_put_records(d, lba, rec, 1))
            return false;
    }
    return true;
}

/* ---- WRITE ---- */

/* The first WRITE of a track: at the NWA, with room for the track's run-out. */
static bool begin_track(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, const struct tao_block *b)
{
    struct vrec_media *m = &d->media;
    int t = m->tao_tracks + 1;
    if (!appendable(m) || lba != next_writable(m)) {
        vrec_fail(c, VS_INVALID_WRITE_ADDRESS);
        return false;
    }
    bool blank = m->state == VREC_DISC_BLANK;
    d->simulating = (d->page05[2] & 0x10) != 0;
    if (!d->simulating && !vrec_open_sectors(d, blank)) {
        vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        return false;
    }
    if (blank)
        vrec_media_blank(m);
    m->layout = CD_RAW_COOKED;
    m->tao[t] = (struct vrec_tao_track){ lba, 0, b->control };
    m->state = VREC_DISC_WRITING;
    d->own_write = d->tao_open = true;
    d->host_sector = b->bytes;
    d->fill = 0;
    d->ran_empty = d->primed = false;
    d->drain_us = vrec_now(d);
    if (!write_pregap(d, t, lba, b)) {
        vrec_spoil_write(d);
        vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        return false;
    }
    if (!d->simulating)
        vrec_store_media(d);
    return true;
}

static bool store_track_sectors(struct vrec_drive *d, int32_t lba, uint32_t count, const uint8_t *data,
                                const struct tao_block *b)
{
    struct vrec_media *m = &d->media;
    int t = m->tao_tracks + 1;
    uint8_t *recs = vrec_batch(d, count);
    if (!recs)
        return false;
    for (uint32_t i = 0; i < count; i++, data += b->bytes) {
        uint8_t *rec = recs + (size_t)i * CD_SECTOR_RAW_PW;
        int32_t at = lba + (int32_t)i;
        track_main(rec, b, data, at);
        program_sub(rec + CD_SECTOR_SIZE, b->control, (uint8_t)t, 1, at - m->tao[t].start, at, false);
    }
    return vrec_put_records(d, lba, recs, count);
}

void vrec_tao_write(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count)
{
    const struct vrec_kind_info *k = vrec_kind(d->media.kind);
    const struct tao_block *b = block_of_page(d);
    if (!b || (d->tao_open && b != block_of_control(d->media.tao[d->media.tao_tracks + 1].control))) {
        vrec_fail(c, VS_ILLEGAL_MODE);
        return;
    }
    if (d->own_write && !d->tao_open) {
        vrec_fail(c, VS_SEQUENCE_ERROR); /* a raw write is in progress */
        return;
    }
    if (count == 0)
        return;
    if ((uint64_t)count * b->bytes > c->len) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    if (lba < 0 || (int64_t)lba + count + CD_RUNOUT_SECTORS > k->last_leadout) {
        vrec_fail(c, VS_LBA_OUT_OF_RANGE);
        return;
    }
    if (!d->tao_open && !begin_track(d, c, lba, b))
        return;
    struct vrec_tao_track *t = &d->media.tao[d->media.tao_tracks + 1];
    if (lba != t->start + t->length) {
        vrec_fail(c, VS_INVALID_WRITE_ADDRESS); /* not at the open track's NWA */
        return;
    }
    if (!vrec_fault_on_write(d, c, lba, count) || !vrec_accept_into_buffer(d, c, (uint64_t)count * b->bytes))
        return;
    if (!store_track_sectors(d, lba, count, c->buf, b)) {
        vrec_spoil_write(d);
        vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        return;
    }
    t->length += (int32_t)count;
    d->counters.sectors_written += count;
    d->counters.bytes_written += (uint64_t)count * b->bytes;
    c->done = (uint32_t)(count * b->bytes);
}

void vrec_tao_flush(struct vrec_drive *d, struct vrec_cmd *c)
{
    uint64_t us = vrec_drain_us(d);
    d->fill = 0;
    vrec_run_busy(d, c, VREC_BUSY_SYNC, us, c->cdb[1] & 0x02);
}

/* ---- CLOSE TRACK / SESSION ---- */

/* Fixes the open track: run-out, the track joins the list, the write ends.
 * A track that received no user data is dropped (nothing to fix). */
static bool close_open_track(struct vrec_drive *d)
{
    struct vrec_media *m = &d->media;
    int n = m->tao_tracks + 1;
    bool ok = m->tao[n].length == 0 || write_runout(d, &m->tao[n], n);
    if (ok && m->tao[n].length > 0)
        m->tao_tracks = n;
    if (d->sectors)
        fclose(d->sectors);
    d->sectors = NULL;
    bool simulating = d->simulating;
    d->own_write = d->tao_open = d->simulating = false;
    d->host_sector = 0;
    d->fill = 0;
    if (simulating) { /* a test write records nothing: the disc is as the file says */
        if (!d->media_path || vrec_media_load(d->media_path, m) != 0)
            vrec_media_blank(m);
        return true;
    }
    m->state = !ok ? VREC_DISC_INDETERMINATE : m->tao_tracks ? VREC_DISC_OPEN : VREC_DISC_BLANK;
    vrec_store_media(d);
    return ok;
}

/* One lead-in Q: POINT p of the TOC at running time lba. */
static void leadin_q(const struct vrec_media *m, uint8_t point, int32_t lba, uint8_t q[CD_SUBQ_LEN])
{
    int last = m->tao_tracks;
    const struct vrec_tao_track *lt = &m->tao[last];
    struct cd_subq s;
    if (point == 0xA0) {
        s = cd_subq_toc(m->tao[1].control, point, 1, 0, 0, lba); /* first track; PSEC 00: CD-DA / CD-ROM disc */
    } else if (point == 0xA1) {
        s = cd_subq_toc(lt->control, point, (uint8_t)last, 0, 0, lba);
    } else {
        int32_t at = point == 0xA2 ? lt->start + lt->length + CD_RUNOUT_SECTORS : m->tao[point].start;
        struct cd_msf a = cd_lba_to_msf(at);
        s = cd_subq_toc(point == 0xA2 ? lt->control : m->tao[point].control, point, a.m, a.s, a.f, lba);
    }
    cd_subq_encode(&s, q);
}

#define CLOSE_BATCH 512u /* records a write at session close */

/* Lead-in from the ATIP start to the first pregap (the TOC: A0, A1, A2 and
 * every track, each in 3 consecutive blocks, over and over), then the
 * lead-out; the TOC is learnt from the lead-in Q as a raw burn's is. */
static bool write_leadin_leadout(struct vrec_drive *d)
{
    struct vrec_media *m = &d->media;
    const struct vrec_kind_info *k = vrec_kind(m->kind);
    uint8_t points[3 + VREC_TAO_MAX_TRACKS] = { 0xA0, 0xA1, 0xA2 };
    int count = 3;
    for (int t = 1; t <= m->tao_tracks; t++)
        points[count++] = (uint8_t)t;
    const struct vrec_tao_track *lt = &m->tao[m->tao_tracks];
    int32_t leadout = lt->start + lt->length + CD_RUNOUT_SECTORS;
    uint8_t *recs = vrec_batch(d, CLOSE_BATCH);
    if (!recs)
        return false;
    /* in batches of records, each stored with one write */
    for (int32_t from = k->leadin_start; from < -CD_PREGAP_SECTORS; from += CLOSE_BATCH) {
        uint32_t n = (uint32_t)(-CD_PREGAP_SECTORS - from) < CLOSE_BATCH ? (uint32_t)(-CD_PREGAP_SECTORS - from) : CLOSE_BATCH;
        memset(recs, 0, (size_t)n * CD_SECTOR_RAW_PW);
        for (uint32_t j = 0; j < n; j++) {
            uint8_t *q = recs + (size_t)j * CD_SECTOR_RAW_PW + CD_SECTOR_SIZE + 12;
            int32_t i = from + (int32_t)j - k->leadin_start;
            leadin_q(m, points[i / 3 % count], from + (int32_t)j, q);
            vrec_toc_learn(m, q);
        }
        if (!vrec_put_records(d, from, recs, n))
            return false;
    }
    for (int32_t from = 0; from < CD_FIRST_LEADOUT_SECTORS; from += CLOSE_BATCH) {
        uint32_t n = (uint32_t)(CD_FIRST_LEADOUT_SECTORS - from) < CLOSE_BATCH ? (uint32_t)(CD_FIRST_LEADOUT_SECTORS - from)
                                                                             : CLOSE_BATCH;
        memset(recs, 0, (size_t)n * CD_SECTOR_RAW_PW);
        for (uint32_t j = 0; j < n; j++) {
            int32_t i = from + (int32_t)j;
            program_sub(recs + (size_t)j * CD_SECTOR_RAW_PW + CD_SECTOR_SIZE, lt->control, 0xAA, 1, i, leadout + i,
                        cd_leadout_p(i));
        }
        if (!vrec_put_records(d, leadout + from, recs, n))
            return false;
    }
    return true;
}

static void close_session(struct vrec_drive *d, struct vrec_cmd *c)
{
    struct vrec_media *m = &d->media;
    if (d->tao_open && !close_open_track(d)) {
        vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        return;
    }
    if (m->state != VREC_DISC_OPEN || m->tao_tracks == 0) {
        vrec_fail(c, VS_SEQUENCE_ERROR); /* no open session with tracks to close */
        return;
    }
    bool ok = vrec_open_sectors(d, false);
    d->simulating = false;
    memset(m->toc, 0, sizeof(m->toc));
    ok = ok && write_leadin_leadout(d);
    if (d->sectors)
        fclose(d->sectors);
    d->sectors = NULL;
    m->next_session = (d->page05[3] >> 6) == 3;
    m->state = ok && vrec_toc_complete(m) ? VREC_DISC_CLOSED : VREC_DISC_INDETERMINATE;
    vrec_store_media(d);
    if (!ok) {
        vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        return;
    }
    const struct vrec_kind_info *k = vrec_kind(m->kind);
    uint64_t sectors = (uint64_t)(-k->leadin_start) + CD_FIRST_LEADOUT_SECTORS;
    uint64_t us = d->unthrottled ? 0 : sectors * US_PER_S / (CD_FRAMES_PER_SECOND * d->write_speed);
    vrec_run_busy(d, c, VREC_BUSY_SYNC, us, c->cdb[1] & 0x01);
}

static void close_track(struct vrec_drive *d, struct vrec_cmd *c, unsigned number)
{
    struct vrec_media *m = &d->media;
    if (d->tao_open && number == (unsigned)m->tao_tracks + 1) {
        uint64_t us = vrec_drain_us(d);
        if (!close_open_track(d))
            vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        else
            vrec_run_busy(d, c, VREC_BUSY_SYNC, us, c->cdb[1] & 0x01);
        return;
    }
    /* A fixed track of the open session is already closed: nothing to do. */
    if (!(m->state == VREC_DISC_OPEN && number >= 1 && number <= (unsigned)m->tao_tracks))
        vrec_fail(c, VS_INVALID_FIELD_CDB);
}

void vrec_handle_close_track_session(struct vrec_drive *d, struct vrec_cmd *c)
{
    unsigned function = c->cdb[2] & 0x07, number = vrec_get16(c->cdb + 4);
    if (!vrec_check_medium_writable(d, c))
        return;
    if (vrec_is_sequential(d)) {
        vrec_seq_close(d, c);
        return;
    }
    if (d->own_write && !d->tao_open) {
        vrec_fail(c, VS_SEQUENCE_ERROR); /* raw DAO closes from its lead-out */
        return;
    }
    if (function == 1)
        close_track(d, c, number);
    else if (function == 2)
        close_session(d, c);
    else
        vrec_fail(c, VS_INVALID_FIELD_CDB);
}

/* ---- READ TRACK INFORMATION of an open session ---- */

static void fixed_track_info(const struct vrec_media *m, int n, uint8_t *r)
{
    const struct vrec_tao_track *t = &m->tao[n];
    r[2] = (uint8_t)n;
    r[5] = t->control;
    r[6] = (t->control & 0x4) ? 0x01 : 0x0F;
    r[7] = 0x02; /* last recorded address valid */
    vrec_put32(r + 8, (uint32_t)t->start);
    vrec_put32(r + 24, (uint32_t)(t->length + CD_RUNOUT_SECTORS));
    vrec_put32(r + 28, (uint32_t)(t->start + t->length - 1));
}

/* The incomplete track being written, or the invisible one after the last. */
static bool next_track_info(const struct vrec_drive *d, uint8_t *r)
{
    const struct vrec_media *m = &d->media;
    const struct vrec_kind_info *k = vrec_kind(m->kind);
    int n = m->tao_tracks + 1;
    int32_t start, nwa;
    if (d->tao_open) {
        start = m->tao[n].start;
        nwa = start + m->tao[n].length;
        r[5] = m->tao[n].control;
        r[6] = (m->tao[n].control & 0x4) ? 0x01 : 0x0F;
    } else {
        if ((nwa = next_writable(m)) == INT32_MIN)
            return false; /* 99 tracks: no invisible track */
        start = nwa;
        r[6] = 0x40 | 0x0F; /* blank, data mode unknown */
    }
    r[2] = (uint8_t)n;
    r[7] = 0x01; /* next writable address valid */
    vrec_put32(r + 8, (uint32_t)start);
    vrec_put32(r + 12, (uint32_t)nwa);
    vrec_put32(r + 16, (uint32_t)(k->last_leadout > nwa ? k->last_leadout - nwa : 0));
    vrec_put32(r + 24, (uint32_t)(k->last_leadout - start));
    return true;
}

bool vrec_tao_track_info(const struct vrec_drive *d, int type, uint32_t addr, uint8_t r[36])
{
    const struct vrec_media *m = &d->media;
    int n = m->tao_tracks + 1;
    if (type == 1 && addr >= 1 && (int)addr <= m->tao_tracks) {
        fixed_track_info(m, (int)addr, r);
        return true;
    }
    if ((type == 1 && (addr == 0xFF || (int)addr == n)) || (type == 2 && addr == 1 && m->tao_tracks == 0))
        return next_track_info(d, r);
    if (type == 2 && addr == 1) {
        fixed_track_info(m, 1, r);
        return true;
    }
    if (type != 0)
        return false;
    int32_t lba = (int32_t)addr;
    for (int t = m->tao_tracks; t >= 1; t--) {
        if (lba >= m->tao[t].start - CD_PREGAP_SECTORS && lba < m->tao[t].start + m->tao[t].length + CD_RUNOUT_SECTORS) {
            fixed_track_info(m, t, r);
            return true;
        }
    }
    return lba >= 0 && lba < vrec_kind(m->kind)->last_leadout && next_track_info(d, r);
}
