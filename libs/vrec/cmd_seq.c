/* Sequential recording on DVD+R, DVD-R and BD-R (profiles 001Bh, 0011h and
 * 0041h, BD-R in its sequential recording mode), as MMC describes a drive
 * doing it:
 *
 * - The host sends 2048-byte user sectors. Page 05 does not apply to DVD+R
 *   and BD-R (MMC: the write parameters page is for CD and DVD-R/-RW), so
 *   any setting records there; DVD-R records with write type 0
 *   (incremental, variable packets) and data block type 8 only, else
 *   05/64/00, and its page 05 multi-session field decides at CLOSE
 *   SESSION whether the disc stays appendable (11b) or closes (00b).
 * - One incomplete track at a time, written at its Next Writable Address;
 *   the first WRITE at the NWA of the invisible track opens it. A WRITE
 *   elsewhere: 05/21/02; past the capacity: 05/21/00.
 * - SYNCHRONIZE CACHE flushes and keeps the track open; CLOSE TRACK
 *   (function 1) fixes it and pads it to the ECC block (16 sectors on DVD,
 *   a 32-sector cluster on BD): the next NWA is the padded end. CLOSE
 *   SESSION (function 2) closes the session and leaves the disc appendable
 *   (a next session starts at the padded end: vrec records no lead-out or
 *   intro between sessions; DVD-R as page 05 says); function 5 (DVD+R:
 *   close the session and finalise the disc compatibly) and 6 (finalise)
 *   close a DVD+R or BD-R; DVD-R knows neither (05/24/00).
 * - READ DISC INFORMATION: empty / incomplete (open session, or closed
 *   sessions and room for another) / complete; the number of sessions
 *   counts the empty or open last one; first and last track of the last
 *   session (the invisible track when appendable); the lead-in / lead-out
 *   address fields are FFh (MMC gives them meaning on CD only).
 * - READ TRACK INFORMATION by track, session or LBA; READ(10) of any
 *   recorded sector of a fixed track; READ CAPACITY: the last recorded
 *   sector.
 * Stored in the sectors file as 2448-byte records from LBA 0, the user
 * data in the first 2048 bytes (as a CD sector record holds its main
 * channel), so the file format stays one. */
#include <string.h>

#include "vfile.h"
#include "vrec_internal.h"

#define SECTOR ((uint32_t)CD_MODE1_USER_BYTES) /* DVD and BD user sectors */
#define CONTROL_DATA 0x4
#define DATA_MODE_1 0x01

enum { CLOSE_TRACK = 1, CLOSE_SESSION = 2, FINALIZE_COMPATIBLE = 5, FINALIZE = 6 };

bool vrec_is_sequential(const struct vrec_drive *d)
{
    return vrec_kind(d->media.kind)->unit != 0;
}

static uint32_t unit_of(const struct vrec_media *m)
{
    return vrec_kind(m->kind)->unit;
}

static int32_t capacity(const struct vrec_media *m)
{
    return vrec_kind(m->kind)->last_leadout;
}

/* Sessions closed so far: the session of the last track, less one when
 * that session is still open. */
static int closed_sessions(const struct vrec_media *m)
{
    if (m->tao_tracks == 0)
        return 0;
    int last = m->session[m->tao_tracks];
    return m->state == VREC_DISC_CLOSED ? last : last - 1;
}

static bool appendable(const struct vrec_drive *d)
{
    const struct vrec_media *m = &d->media;
    return m->state == VREC_DISC_BLANK || m->state == VREC_DISC_OPEN || d->tao_open ||
           (m->state == VREC_DISC_CLOSED && m->next_session);
}

/* The end of the last fixed track, padded to the ECC block. */
static int32_t next_writable(const struct vrec_media *m)
{
    if (m->tao_tracks == 0)
        return 0;
    const struct vrec_tao_track *t = &m->tao[m->tao_tracks];
    uint32_t unit = unit_of(m), end = (uint32_t)(t->start + t->length);
    return (int32_t)((end + unit - 1) / unit * unit);
}

int32_t vrec_seq_last_recorded(const struct vrec_media *m)
{
    if (m->tao_tracks == 0)
        return 0;
    return m->tao[m->tao_tracks].start + m->tao[m->tao_tracks].length - 1;
}

/* ---- WRITE ---- */

static bool open_track(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba)
{
    struct vrec_media *m = &d->media;
    int n = m->tao_tracks + 1;
    if (!appendable(d) || n > VREC_TAO_MAX_TRACKS || lba != next_writable(m)) {
        vrec_fail(c, VS_INVALID_WRITE_ADDRESS);
        return false;
    }
    if (m->state == VREC_DISC_BLANK) { /* a new recording replaces whatever the file held */
        FILE *f = fopen(d->sectors_path, "wb");
        if (f)
            fclose(f);
    }
    d->sectors = fopen(d->sectors_path, "r+b");
    if (!d->sectors) {
        vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        return false;
    }
    m->tao[n] = (struct vrec_tao_track){ lba, 0, CONTROL_DATA };
    m->session[n] = (uint8_t)(closed_sessions(m) + 1);
    m->state = VREC_DISC_WRITING;
    m->next_session = false;
    d->own_write = d->tao_open = true;
    d->simulating = false;
    d->host_sector = SECTOR;
    d->fill = 0;
    d->ran_empty = d->primed = false;
    d->drain_us = vrec_now(d);
    vrec_store_media(d);
    return true;
}

static bool store(struct vrec_drive *d, int32_t lba, uint32_t count, const uint8_t *data)
{
    uint8_t rec[CD_SECTOR_RAW_PW] = { 0 };
    for (uint32_t i = 0; i < count; i++) {
        memcpy(rec, data + (size_t)i * SECTOR, SECTOR);
        if (vfile_seek(d->sectors, vrec_record_offset(&d->media, lba + (int32_t)i)) != 0 ||
            fwrite(rec, 1, sizeof(rec), d->sectors) != sizeof(rec))
            return false;
    }
    return fflush(d->sectors) == 0;
}

void vrec_seq_write(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count)
{
    if (count == 0)
        return;
    if ((uint64_t)count * SECTOR > c->len) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    if (lba < 0 || (int64_t)lba + count > capacity(&d->media)) {
        vrec_fail(c, VS_LBA_OUT_OF_RANGE);
        return;
    }
    if (vrec_kind(d->media.kind)->incremental && ((d->page05[2] & 0x0F) != 0 || (d->page05[4] & 0x0F) != 8)) {
        vrec_fail(c, VS_ILLEGAL_MODE); /* DVD-R: incremental writing of Mode 1 blocks only */
        return;
    }
    if (!d->tao_open && !open_track(d, c, lba))
        return;
    struct vrec_tao_track *t = &d->media.tao[d->media.tao_tracks + 1];
    if (lba != t->start + t->length) {
        vrec_fail(c, VS_INVALID_WRITE_ADDRESS);
        return;
    }
    if (!vrec_fault_on_write(d, c, lba, count) || !vrec_accept_into_buffer(d, c, (uint64_t)count * SECTOR))
        return;
    if (!store(d, lba, count, c->buf)) {
        vrec_spoil_write(d);
        vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        return;
    }
    t->length += (int32_t)count;
    d->counters.sectors_written += count;
    d->counters.bytes_written += (uint64_t)count * SECTOR;
    c->done = count * SECTOR;
}

/* ---- CLOSE TRACK / SESSION ---- */

/* Fixes the open track (one without data is dropped); the session stays open. */
static void fix_track(struct vrec_drive *d)
{
    struct vrec_media *m = &d->media;
    int n = m->tao_tracks + 1;
    if (m->tao[n].length > 0)
        m->tao_tracks = n;
    else
        m->session[n] = 0;
    if (d->sectors)
        fclose(d->sectors);
    d->sectors = NULL;
    d->own_write = d->tao_open = false;
    d->host_sector = 0;
    d->fill = 0;
    m->state = m->tao_tracks ? VREC_DISC_OPEN : VREC_DISC_BLANK;
}

static bool session_open(const struct vrec_media *m)
{
    return m->state == VREC_DISC_OPEN && m->tao_tracks > 0;
}

void vrec_seq_close(struct vrec_drive *d, struct vrec_cmd *c)
{
    struct vrec_media *m = &d->media;
    unsigned function = c->cdb[2] & 0x07, number = vrec_get16(c->cdb + 4);
    uint64_t us = vrec_drain_us(d);
    if (function == CLOSE_TRACK) {
        if (!(d->tao_open && number == (unsigned)m->tao_tracks + 1) &&
            !(session_open(m) && number >= 1 && number <= (unsigned)m->tao_tracks)) {
            vrec_fail(c, VS_INVALID_FIELD_CDB);
            return;
        }
    } else if (function == CLOSE_SESSION ||
               (!vrec_kind(m->kind)->incremental && (function == FINALIZE_COMPATIBLE || function == FINALIZE))) {
        bool finalize_closed = function != CLOSE_SESSION && m->state == VREC_DISC_CLOSED && m->next_session;
        if (!d->tao_open && !session_open(m) && !finalize_closed) {
            vrec_fail(c, VS_SEQUENCE_ERROR); /* nothing to close */
            return;
        }
    } else {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    if (d->tao_open)
        fix_track(d);
    if (function != CLOSE_TRACK && m->tao_tracks > 0) {
        m->state = VREC_DISC_CLOSED;
        bool next_allowed = !vrec_kind(m->kind)->incremental || (d->page05[3] >> 6) == 3;
        m->next_session = function == CLOSE_SESSION && next_allowed && next_writable(m) < capacity(m);
    }
    vrec_store_media(d);
    vrec_run_busy(d, c, VREC_BUSY_SYNC, us, c->cdb[1] & 0x01);
}

/* ---- READ DISC / TRACK INFORMATION ---- */

static int first_track_of_session(const struct vrec_media *m, int session, int otherwise)
{
    for (int t = 1; t <= m->tao_tracks; t++)
        if (m->session[t] == session)
            return t;
    return otherwise;
}

void vrec_seq_disc_information(const struct vrec_drive *d, uint8_t r[34])
{
    enum { EMPTY = 0, INCOMPLETE = 1, COMPLETE = 2 };
    enum { S_EMPTY = 0, S_INCOMPLETE = 1, S_COMPLETE = 3 };
    const struct vrec_media *m = &d->media;
    int n = m->tao_tracks;
    bool more = appendable(d), open = m->state == VREC_DISC_OPEN || d->tao_open;
    int sessions = closed_sessions(m) + (more ? 1 : 0);
    int first = more ? first_track_of_session(m, closed_sessions(m) + 1, n + 1)
                     : first_track_of_session(m, m->session[n], 1);
    if (m->state == VREC_DISC_BLANK && !d->tao_open)
        r[2] = EMPTY | S_EMPTY << 2;
    else if (open)
        r[2] = INCOMPLETE | S_INCOMPLETE << 2;
    else if (more)
        r[2] = INCOMPLETE | S_EMPTY << 2;
    else
        r[2] = COMPLETE | S_COMPLETE << 2;
    r[3] = 1;
    r[4] = (uint8_t)sessions;
    r[5] = (uint8_t)first;
    r[6] = (uint8_t)(more ? (n + 1 > 99 ? 99 : n + 1) : n);
    memset(r + 16, 0xFF, 8);
}

static void fixed_track(const struct vrec_media *m, int t, uint8_t r[36])
{
    r[2] = (uint8_t)t;
    r[3] = m->session[t];
    r[5] = CONTROL_DATA;
    r[6] = DATA_MODE_1;
    r[7] = 0x02; /* last recorded address valid */
    vrec_put32(r + 8, (uint32_t)m->tao[t].start);
    vrec_put32(r + 24, (uint32_t)m->tao[t].length);
    vrec_put32(r + 28, (uint32_t)(m->tao[t].start + m->tao[t].length - 1));
}

/* The track being written, or the blank invisible one after the last. */
static bool next_track(const struct vrec_drive *d, uint8_t r[36])
{
    const struct vrec_media *m = &d->media;
    int n = m->tao_tracks + 1;
    if (!appendable(d) || n > VREC_TAO_MAX_TRACKS)
        return false;
    int32_t start = d->tao_open ? m->tao[n].start : next_writable(m);
    int32_t nwa = d->tao_open ? start + m->tao[n].length : start;
    r[2] = (uint8_t)n;
    r[3] = (uint8_t)(d->tao_open ? m->session[n] : closed_sessions(m) + 1);
    r[5] = CONTROL_DATA;
    r[6] = (uint8_t)(DATA_MODE_1 | (d->tao_open ? 0 : 0x40 /* blank */));
    r[7] = 0x01; /* next writable address valid */
    vrec_put32(r + 8, (uint32_t)start);
    vrec_put32(r + 12, (uint32_t)nwa);
    vrec_put32(r + 16, (uint32_t)(capacity(m) - nwa));
    vrec_put32(r + 24, (uint32_t)(capacity(m) - start));
    return true;
}

bool vrec_seq_track_info(const struct vrec_drive *d, int type, uint32_t addr, uint8_t r[36])
{
    const struct vrec_media *m = &d->media;
    int n = m->tao_tracks;
    if (type == 1)
        return addr >= 1 && (int)addr <= n ? (fixed_track(m, (int)addr, r), true)
                                           : (addr == 0xFF || (int)addr == n + 1) && next_track(d, r);
    if (type == 2) {
        for (int t = 1; t <= n; t++)
            if (m->session[t] == addr)
                return fixed_track(m, t, r), true;
        return addr == (uint32_t)closed_sessions(m) + 1 && next_track(d, r);
    }
    if (type != 0)
        return false;
    for (int t = 1; t <= n; t++)
        if ((int32_t)addr >= m->tao[t].start && (int32_t)addr < m->tao[t].start + m->tao[t].length)
            return fixed_track(m, t, r), true;
    return (int32_t)addr >= next_writable(m) && (int32_t)addr < capacity(m) && next_track(d, r);
}

/* ---- READ(10) ---- */

static bool recorded(const struct vrec_media *m, int32_t lba)
{
    for (int t = 1; t <= m->tao_tracks; t++)
        if (lba >= m->tao[t].start && lba < m->tao[t].start + m->tao[t].length)
            return true;
    return false;
}

void vrec_seq_read10(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count)
{
    uint8_t rec[CD_SECTOR_RAW_PW];
    if ((uint64_t)count * SECTOR > c->len) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    FILE *f = d->sectors_path ? fopen(d->sectors_path, "rb") : NULL;
    for (uint32_t i = 0; i < count; i++) {
        if (!recorded(&d->media, lba + (int32_t)i)) {
            vrec_fail(c, VS_LBA_OUT_OF_RANGE);
            break;
        }
        if (vrec_read_record(f, &d->media, lba + (int32_t)i, rec) != 0) {
            vrec_fail_raw(c, 0x03, 0x11, 0x00); /* unrecovered read error */
            break;
        }
        memcpy(c->buf + c->done, rec, SECTOR);
        c->done += SECTOR;
    }
    if (f)
        fclose(f);
}
