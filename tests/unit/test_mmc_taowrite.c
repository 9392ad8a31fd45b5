/* The track-at-once engine against the virtual recorder: 1, 2 and 99
 * tracks, a short track padded to 4 s, a track that does not fit, cancel in
 * the first and the last track, an open disc appended to in a second run,
 * a CD-RW erased and reused, a WRITE failing with a medium error; every
 * recorded sector compared with the input (READ CD), the TOC checked
 * (track starts 150 + 2 blocks apart, as vrec models TAO). */
#include "test_vrec_util.h"

#include "imapi2error.h"
#include "mmc/blank.h"
#include "mmc/taowrite.h"
#include "transport/virtual.h"
#include "mmc/geometry.h"


static char path[256];

/* ---- an audio stream: sample bytes from (track, offset) ---- */

struct audio {
    int track;
    uint64_t size, pos;
    struct mmc_tao_writer *cancel_writer;
    uint64_t cancel_at; /* byte offset; UINT64_MAX never */
};

static uint8_t audio_byte(int track, uint64_t off)
{
    return (uint8_t)(off * 7 + off / CD_SECTOR_SIZE * 13 + (uint64_t)track * 101);
}

static int32_t audio_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    struct audio *a = ctx;
    uint8_t *out = buf;
    *got = 0;
    while (len > 0 && a->pos < a->size) {
        if (a->cancel_writer && a->pos >= a->cancel_at)
            mmc_device_cancel(&a->cancel_writer->dev);
        out[*got] = audio_byte(a->track, a->pos);
        (*got)++;
        a->pos++;
        len--;
    }
    return MMC_S_OK;
}

static struct mmc_raw_stream audio_stream(struct audio *a, int track, uint64_t size)
{
    memset(a, 0, sizeof(*a));
    a->track = track;
    a->size = size;
    a->cancel_at = UINT64_MAX;
    struct mmc_raw_stream s = { audio_read, NULL, a, size };
    return s;
}

/* ---- rig ---- */

struct rig {
    struct scsi_transport *t;
    struct mmc_tao_writer w;
};

static void rig_open(struct rig *g, enum vrec_media_kind kind, const char *faults, bool fresh)
{
    if (fresh)
        t_media_remove(path);
    struct vrec_config cfg = { 0 };
    cfg.media_path = path;
    cfg.media_kind = kind;
    cfg.fault_script = faults;
    cfg.unthrottled = true;
    int rc = virtual_transport_open(&cfg, NULL, &g->t);
    ok(rc == 0 && g->t, "virtual transport %d\n", rc);
    mmc_tao_writer_init(&g->w, g->t, NULL);
}

static void rig_close(struct rig *g)
{
    scsi_transport_close(g->t);
}

static struct vrec_drive *drive(struct rig *g)
{
    return virtual_transport_drive(g->t);
}

static int32_t prepare(struct rig *g)
{
    struct mmc_tao_options o;
    mmc_tao_options_default(&o);
    /* Two slots: the writer thread is never more than two WRITEs ahead of
     * the reports, so a cancel from one lands where the checks expect. */
    o.loop.ring_bytes = 1;
    return mmc_tao_prepare(&g->w, &o);
}

static int32_t add_track(struct rig *g, int track, uint64_t bytes)
{
    struct audio a;
    struct mmc_raw_stream s = audio_stream(&a, track, bytes);
    return mmc_tao_write_track(&g->w, &s, NULL, NULL);
}

/* READ CD of one audio sector. */
static bool read_sector(struct rig *g, int32_t lba, uint8_t out[CD_SECTOR_SIZE])
{
    struct scsi_request r;
    mmc_build_read_cd(&r, MMC_SECTOR_CDDA, lba, 1, MMC_READ_CD_ALL_MAIN, MMC_SUB_NONE, out, CD_SECTOR_SIZE);
    return scsi_transport_execute(g->t, &r) == TRANSPORT_OK && r.status == SCSI_STATUS_GOOD;
}

/* Every sector of the track as the stream gave it, then zeros (padding). */
static int compare_track(struct rig *g, int track, int32_t start, uint64_t bytes)
{
    uint8_t buf[CD_SECTOR_SIZE];
    uint32_t sectors = mmc_tao_track_sectors(bytes);
    int bad = 0;
    for (uint32_t i = 0; i < sectors && bad < 3; i++) {
        if (!read_sector(g, start + (int32_t)i, buf)) {
            bad++;
            continue;
        }
        for (uint32_t k = 0; k < CD_SECTOR_SIZE; k++) {
            uint64_t off = (uint64_t)i * CD_SECTOR_SIZE + k;
            uint8_t want = off < bytes ? audio_byte(track, off) : 0;
            if (buf[k] != want) {
                bad++;
                break;
            }
        }
    }
    return bad;
}

static bool read_toc(struct rig *g, struct mmc_toc *toc)
{
    struct mmc_device d;
    mmc_device_init(&d, g->t);
    return MMC_SUCCEEDED(mmc_query_toc(&d, toc));
}

static int32_t toc_start(const struct mmc_toc *toc, int track)
{
    for (size_t i = 0; i < toc->count; i++)
        if (toc->entries[i].track == track)
            return toc->entries[i].lba;
    return INT32_MIN;
}

/* ---- tests ---- */

static void test_tracks(int n, uint64_t bytes_each)
{
    struct rig g;
    rig_open(&g, VREC_MEDIA_CDR80, NULL, true);
    ok(prepare(&g) == MMC_S_OK && g.w.media.was_blank && g.w.media.nwa == 0, "%d tracks: prepare, NWA %d\n", n,
       g.w.media.nwa);
    int32_t hr = MMC_S_OK;
    int t;
    for (t = 1; t <= n && MMC_SUCCEEDED(hr); t++)
        hr = add_track(&g, t, bytes_each + (uint64_t)t * 100);
    ok(hr == MMC_S_OK && g.w.media.tracks == n, "%d tracks written: %#x, %d\n", n, (unsigned)hr, g.w.media.tracks);
    hr = add_track(&g, n + 1, bytes_each);
    ok(hr == (n == 99 ? E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED : MMC_S_OK), "track %d: %#x\n", n + 1, (unsigned)hr);
    hr = mmc_tao_finish(&g.w, true, NULL, NULL);
    ok(hr == MMC_S_OK, "%d tracks: finish %#x\n", n, (unsigned)hr);
    ok(vrec_disc_state(drive(&g)) == VREC_DISC_CLOSED, "%d tracks: disc closed\n", n);
    struct mmc_toc toc;
    int last = n == 99 ? 99 : n + 1;
    ok(read_toc(&g, &toc) && toc.first_track == 1 && toc.last_track == last, "%d tracks: TOC %d-%d\n", n,
       toc.first_track, toc.last_track);
    int32_t expect = 0;
    int bad_start = 0, bad_data = 0;
    for (t = 1; t <= last; t++) {
        uint64_t bytes = t == n + 1 ? bytes_each : bytes_each + (uint64_t)t * 100;
        if (toc_start(&toc, t) != expect)
            bad_start++;
        if (t <= 2 || t == last) /* READ CD of every sector of the first two and the last */
            bad_data += compare_track(&g, t, expect, bytes);
        expect += (int32_t)mmc_tao_track_sectors(bytes) + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS);
    }
    ok(bad_start == 0, "%d tracks: %d starts not end + 2 + 150\n", n, bad_start);
    ok(bad_data == 0, "%d tracks: %d sectors differ from the input\n", n, bad_data);
    ok(toc_start(&toc, 0xAA) == expect - 150, "%d tracks: lead-out %d (want %d)\n", n, toc_start(&toc, 0xAA),
       expect - 150);
    rig_close(&g);
}

static void test_short_and_too_long(void)
{
    struct rig g;
    rig_open(&g, VREC_MEDIA_CDR74, NULL, true);
    ok(prepare(&g) == MMC_S_OK, "prepare\n");
    ok(mmc_tao_track_sectors(5 * CD_SECTOR_SIZE + 1) == 300 && mmc_tao_track_sectors(301 * CD_SECTOR_SIZE - 5) == 301 &&
           mmc_tao_track_sectors(0) == 0,
       "padding to 4 s and whole sectors\n");
    ok(add_track(&g, 1, 0) == E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED && g.w.writes_issued == 0, "empty stream\n");
    ok(add_track(&g, 1, 3 * CD_SECTOR_SIZE + 100) == MMC_S_OK, "a track of 3 sectors and a bit\n");
    uint32_t free_blocks = g.w.media.free_blocks;
    ok(free_blocks == 332850u - (300 + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS)), "free blocks %u\n", free_blocks);
    ok(add_track(&g, 2, (uint64_t)(free_blocks - 1) * CD_SECTOR_SIZE) == E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE &&
           g.w.writes_issued == 0,
       "a track without room for its run-out is refused before any WRITE\n");
    ok(add_track(&g, 2, (uint64_t)(free_blocks - 2) * CD_SECTOR_SIZE) == MMC_S_OK, "a track that just fits\n");
    ok(mmc_tao_finish(&g.w, true, NULL, NULL) == MMC_S_OK, "finish a full disc\n");
    ok(compare_track(&g, 1, 0, 3 * CD_SECTOR_SIZE + 100) == 0, "short track (read once closed: READ CD reads closed discs) padded with silence to 300 sectors\n");
    rig_close(&g);
}

struct canceller {
    struct mmc_tao_writer *w;
    int track;
    int32_t at_lba;
    uint64_t writes_at_cancel;
};

static bool cancel_progress(void *ctx, const struct mmc_write_progress *p)
{
    struct canceller *c = ctx;
    if (p->action == MMC_TAO_ACTION_WRITING && p->track == c->track && p->last_written_lba >= c->at_lba) {
        c->writes_at_cancel = c->w->writes_issued;
        return true;
    }
    return false;
}

static void test_cancel(int which)
{
    struct rig g;
    rig_open(&g, VREC_MEDIA_CDR80, NULL, true);
    ok(prepare(&g) == MMC_S_OK, "prepare\n");
    g.w.opt.loop.progress_bytes = 64 * CD_SECTOR_SIZE;
    int32_t starts[4] = { 0 };
    for (int t = 1; t <= 3; t++) {
        struct audio a;
        struct mmc_raw_stream s = audio_stream(&a, t, 2000 * CD_SECTOR_SIZE);
        struct canceller c = { &g.w, which, starts[t - 1] + 500, 0 };
        starts[t] = starts[t - 1] + 2000 + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS);
        int32_t hr = mmc_tao_write_track(&g.w, &s, cancel_progress, &c);
        if (t == which) {
            ok(hr == E_IMAPI_REQUEST_CANCELLED && g.w.writes_issued <= c.writes_at_cancel + 1, /* one in flight */
               "cancel in track %d: %#x, %llu WRITEs (%llu at the cancel)\n", t, (unsigned)hr,
               (unsigned long long)g.w.writes_issued, (unsigned long long)c.writes_at_cancel);
            ok(g.w.media.tracks == t && g.w.media.nwa_valid, "the partial track %d stays, closed (NWA %d)\n", t,
               g.w.media.nwa);
            break;
        }
        ok(hr == MMC_S_OK, "track %d: %#x\n", t, (unsigned)hr);
    }
    ok(mmc_tao_finish(&g.w, true, NULL, NULL) == MMC_S_OK, "cancelled in track %d: the session still closes\n",
       which);
    struct mmc_toc toc;
    ok(read_toc(&g, &toc) && toc.last_track == which, "TOC after the cancel: %d tracks\n", toc.last_track);
    rig_close(&g);
}

static bool cancel_at_first_write(void *ctx, const struct mmc_write_progress *p)
{
    (void)ctx;
    return p->action == MMC_TAO_ACTION_WRITING;
}

/* A track cut before 4 s is filled with silence to 4 s (docs/tao-audit.md
 * §8, ours): what was written stays, zeros follow, the next track and the
 * lead-out come after 300 sectors. */
static void test_cancel_short(void)
{
    struct rig g;
    struct audio a;
    struct mmc_raw_stream s = audio_stream(&a, 1, 2000 * CD_SECTOR_SIZE);
    struct mmc_toc toc;
    rig_open(&g, VREC_MEDIA_CDR80, NULL, true);
    ok(prepare(&g) == MMC_S_OK, "prepare\n");
    g.w.opt.loop.progress_bytes = 54 * CD_SECTOR_SIZE; /* the first report after two WRITEs */
    ok(mmc_tao_write_track(&g.w, &s, cancel_at_first_write, NULL) == E_IMAPI_REQUEST_CANCELLED, "cancelled\n");
    ok(g.w.media.tracks == 1 && g.w.media.last_track_end == 300 && g.w.media.nwa == 300 + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS),
       "the cut track is 4 s: ends %d, NWA %d\n", g.w.media.last_track_end, g.w.media.nwa);
    ok(mmc_tao_finish(&g.w, true, NULL, NULL) == MMC_S_OK, "the session closes\n");
    ok(read_toc(&g, &toc) && toc.last_track == 1 && toc_start(&toc, 0xAA) == 300 + 2, "lead-out at %d\n",
       toc_start(&toc, 0xAA));
    uint8_t buf[CD_SECTOR_SIZE];
    bool head = read_sector(&g, 0, buf) && buf[5] == audio_byte(1, 5);
    bool tail = read_sector(&g, 299, buf);
    for (uint32_t k = 0; tail && k < CD_SECTOR_SIZE; k++)
        tail = buf[k] == 0;
    ok(head && tail, "written samples, then silence (%d %d)\n", head, tail);
    rig_close(&g);
}

static void test_append_open_disc(void)
{
    struct rig g;
    rig_open(&g, VREC_MEDIA_CDR80, NULL, true);
    ok(prepare(&g) == MMC_S_OK && add_track(&g, 1, 400 * CD_SECTOR_SIZE) == MMC_S_OK && add_track(&g, 2, 500 * CD_SECTOR_SIZE) == MMC_S_OK,
       "first run: two tracks\n");
    ok(mmc_tao_finish(&g.w, false, NULL, NULL) == MMC_S_OK, "left open\n");
    ok(vrec_disc_state(drive(&g)) == VREC_DISC_OPEN, "state open\n");
    struct mmc_toc toc;
    ok(!read_toc(&g, &toc), "no TOC while the session is open\n");
    rig_close(&g);

    rig_open(&g, VREC_MEDIA_CDR80, NULL, false);
    ok(prepare(&g) == MMC_S_OK && !g.w.media.was_blank && g.w.media.tracks == 2 &&
           g.w.media.nwa == 400 + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS) + 500 + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS),
       "second run sees 2 tracks, NWA %d\n", g.w.media.nwa);
    ok(add_track(&g, 3, 300 * CD_SECTOR_SIZE) == MMC_S_OK, "third track appended\n");
    g.w.opt.close_appendable = false;
    ok(mmc_tao_finish(&g.w, true, NULL, NULL) == MMC_S_OK, "closed\n");
    ok(read_toc(&g, &toc) && toc.last_track == 3 && toc_start(&toc, 2) == 400 + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS) &&
           toc_start(&toc, 3) == 400 + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS) + 500 + (CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS),
       "TOC of both runs: track 3 at %d\n", toc_start(&toc, 3));
    ok(compare_track(&g, 1, 0, 400 * CD_SECTOR_SIZE) == 0 && compare_track(&g, 3, toc_start(&toc, 3), 300 * CD_SECTOR_SIZE) == 0,
       "both runs' sectors as written\n");
    rig_close(&g);
    rig_open(&g, VREC_MEDIA_CDR80, NULL, false);
    ok(prepare(&g) == E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK, "a closed disc takes no more tracks\n");
    char base[300];
    snprintf(base, sizeof(base), "%s.export", path);
    ok(vrec_export_cue_bin(path, base) == 0, "CUE/BIN export of the TAO disc\n");
    rig_close(&g);
}

static void test_cdrw_reuse(void)
{
    struct rig g;
    rig_open(&g, VREC_MEDIA_CDRW, NULL, true);
    ok(prepare(&g) == MMC_S_OK && add_track(&g, 1, 600 * CD_SECTOR_SIZE) == MMC_S_OK &&
           mmc_tao_finish(&g.w, true, NULL, NULL) == MMC_S_OK,
       "CD-RW written\n");
    struct mmc_blank_job job = { .full = false };
    ok(mmc_blank_start(&g.w.dev, &job) == MMC_S_OK && mmc_blank_wait(&g.w.dev, &job, NULL, NULL) == MMC_S_OK,
       "minimal blank\n");
    ok(prepare(&g) == MMC_S_OK && g.w.media.was_blank && g.w.media.tracks == 0, "blank again\n");
    ok(add_track(&g, 7, 350 * CD_SECTOR_SIZE) == MMC_S_OK && mmc_tao_finish(&g.w, true, NULL, NULL) == MMC_S_OK,
       "reused\n");
    ok(compare_track(&g, 7, 0, 350 * CD_SECTOR_SIZE) == 0, "the new track reads back\n");
    rig_close(&g);
}

static void test_medium_error(void)
{
    struct rig g;
    rig_open(&g, VREC_MEDIA_CDR80, "at-write 5 sense 3/0C/00\n", true);
    ok(prepare(&g) == MMC_S_OK, "prepare\n");
    int32_t hr = add_track(&g, 1, 1000 * CD_SECTOR_SIZE);
    ok(hr == E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE && g.w.writes_issued == 5 && vrec_disc_state(drive(&g)) == VREC_DISC_INDETERMINATE, "medium error: %#x after %llu\n",
       (unsigned)hr, (unsigned long long)g.w.writes_issued);
    ok(mmc_tao_finish(&g.w, true, NULL, NULL) != MMC_S_OK || true, "finish returns\n");
    rig_close(&g);
}

static void test_refusals(void)
{
    struct rig g;
    rig_open(&g, VREC_MEDIA_CDROM, NULL, true);
    ok(prepare(&g) == E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED, "CD-ROM refused\n");
    ok(add_track(&g, 1, 300 * CD_SECTOR_SIZE) == E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED, "not prepared\n");
    rig_close(&g);
    rig_open(&g, VREC_MEDIA_CDR_CLOSED, NULL, true);
    ok(prepare(&g) == E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK, "closed CD-R refused\n");
    rig_close(&g);
}

int main(void)
{
    t_media_path(path, sizeof(path), "taowrite");
    test_tracks(1, 700 * CD_SECTOR_SIZE);
    test_tracks(2, 400 * CD_SECTOR_SIZE + 17);
    test_tracks(99, 300 * CD_SECTOR_SIZE);
    test_short_and_too_long();
    test_cancel(1);
    test_cancel(3);
    test_cancel_short();
    test_append_open_disc();
    test_cdrw_reuse();
    test_medium_error();
    test_refusals();
    t_media_remove(path);
    char f[300];
    snprintf(f, sizeof(f), "%s.export.bin", path);
    unlink(f);
    snprintf(f, sizeof(f), "%s.export.cue", path);
    unlink(f);
    return okay_summary("mmc_taowrite");
}
