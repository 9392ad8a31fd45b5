/* The raw DAO write engine against the virtual recorder: full burns in both
 * layouts compared byte for byte with the drive's stored sectors, the
 * stream checks (nothing written when they fail), bad streams, wrong media,
 * cancel at start / middle / end, device faults, underrun with BUFE off,
 * test write, and progress values checked against the drive's counters. */
#include "test_vrec_util.h"

#include "imapi2error.h"
#include "mmc/rawwrite.h"
#include "transport/virtual.h"
#include "mmc/geometry.h"

#define READ_FAULT ((int32_t)0x8003001Eu) /* STG_E_READFAULT, as an IStream would say */

static char path[256];

/* ---- a generated image stream: sectors from t_make_sector, lead-in
 * sectors before the ATIP start filled with a marker the drive must never
 * receive ---- */

struct image {
    int layout;
    int32_t first_lba;
    uint64_t size, pos;
    bool seekable;
    bool seek_lies;           /* seek answers "not where you asked" (the COM side saw a lie) */
    int64_t fail_at_sector;   /* read error there; -1 none */
    int64_t end_at_sector;    /* EOF there (short stream); -1 none */
    int64_t slow_from_sector; /* from there, each read costs slow_us of simulated time */
    uint64_t slow_us;
    struct t_clock *clock;
    struct mmc_raw_writer *cancel_writer; /* cancels "from another thread" at cancel_at_sector */
    int64_t cancel_at_sector;
    uint8_t sector[CD_SECTOR_RAW_PW];
    int64_t cached;
    uint64_t seeks;
};

static void image_init(struct image *im, int layout, int32_t first_lba, int32_t end_lba)
{
    memset(im, 0, sizeof(*im));
    im->layout = layout;
    im->first_lba = first_lba;
    im->size = (uint64_t)(end_lba - first_lba) * t_sector_size(layout);
    im->seekable = true;
    im->fail_at_sector = im->end_at_sector = im->slow_from_sector = im->cancel_at_sector = -1;
    im->cached = -1;
}

static void image_sector(struct image *im, int64_t index)
{
    if (im->cached == index)
        return;
    int32_t lba = im->first_lba + (int32_t)index;
    if (lba < CD_TYPICAL_LEADIN_LBA)
        memset(im->sector, 0xA5, sizeof(im->sector)); /* outside this disc's lead-in: skipped */
    else
        t_make_sector(lba, im->layout, im->sector);
    im->cached = index;
}

static int32_t image_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    struct image *im = ctx;
    size_t ss = t_sector_size(im->layout);
    uint8_t *out = buf;
    *got = 0;
    while (len > 0 && im->pos < im->size) {
        int64_t index = (int64_t)(im->pos / ss);
        size_t off = im->pos % ss;
        if (index == im->fail_at_sector)
            return READ_FAULT;
        if (index == im->end_at_sector)
            break;
        if (index == im->cancel_at_sector && im->cancel_writer)
            mmc_device_cancel(&im->cancel_writer->dev);
        if (off == 0 && im->slow_from_sector >= 0 && index >= im->slow_from_sector && im->clock)
            t_clock_sleep(im->clock, im->slow_us);
        image_sector(im, index);
        size_t n = ss - off < len ? ss - off : len;
        memcpy(out, im->sector + off, n);
        out += n;
        len -= (uint32_t)n;
        *got += (uint32_t)n;
        im->pos += n;
    }
    return MMC_S_OK;
}

static int32_t image_seek(void *ctx, uint64_t offset)
{
    struct image *im = ctx;
    if (!im->seekable)
        return (int32_t)0x80004001u; /* E_NOTIMPL */
    if (im->seek_lies)
        return E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED;
    im->pos = offset;
    im->seeks++;
    return MMC_S_OK;
}

static struct mmc_raw_stream stream_of(struct image *im)
{
    struct mmc_raw_stream s = { image_read, image_seek, im, im->size };
    return s;
}

/* ---- progress recorder ---- */

struct watch {
    struct mmc_raw_writer *w;
    struct vrec_drive *drive;
    int calls, preparing, writing, finishing, finished, order_bad, monotonic_bad, counters_bad, buffer_bad;
    int last_action;
    int32_t last_written, last_read;
    uint32_t last_elapsed;
    struct mmc_write_progress last;
    /* cancel when a WRITING report shows at least this LBA written (INT32_MAX: never) */
    int32_t cancel_at_lba;
    bool cancel_on_preparing;
    int cancel_at_preparing;   /* cancel at this PREPARING report (0: never) */
    uint64_t writes_at_cancel;
    bool did_cancel;
};

static void watch_init(struct watch *wt, struct mmc_raw_writer *w, struct scsi_transport *t)
{
    memset(wt, 0, sizeof(*wt));
    wt->w = w;
    wt->drive = virtual_transport_drive(t);
    wt->cancel_at_lba = INT32_MAX;
    wt->last_written = INT32_MIN;
}

static bool on_progress(void *ctx, const struct mmc_write_progress *p)
{
    struct watch *wt = ctx;
    wt->calls++;
    if (p->action < wt->last_action)
        wt->order_bad++;
    wt->last_action = p->action;
    wt->preparing += p->action == MMC_RAW_ACTION_PREPARING;
    wt->writing += p->action == MMC_RAW_ACTION_WRITING;
    wt->finishing += p->action == MMC_RAW_ACTION_FINISHING;
    wt->finished += p->action == MMC_RAW_ACTION_FINISHED;
    if (p->last_written_lba < wt->last_written || p->last_read_lba < p->last_written_lba ||
        p->elapsed_s < wt->last_elapsed)
        wt->monotonic_bad++;
    wt->last_written = p->last_written_lba;
    wt->last_elapsed = p->elapsed_s;
    /* the drive counted what the engine says was written, and perhaps what
     * the writer thread has written since; never more than was read */
    uint64_t drive_sectors = vrec_counters(wt->drive)->sectors_written;
    if ((uint64_t)(p->last_written_lba - p->start_lba + 1) > drive_sectors ||
        drive_sectors > (uint64_t)(p->last_read_lba - p->start_lba + 1))
        wt->counters_bad++;
    if (p->used_system_buffer + p->free_system_buffer != p->total_system_buffer || p->total_system_buffer == 0 ||
        (p->action == MMC_RAW_ACTION_WRITING && (p->drive_buffer_size == 0 || p->drive_buffer_free > p->drive_buffer_size)))
        wt->buffer_bad++;
    wt->last = *p;
    bool cancel = (p->action == MMC_RAW_ACTION_PREPARING && wt->cancel_on_preparing) ||
                  (p->action == MMC_RAW_ACTION_PREPARING && wt->preparing == wt->cancel_at_preparing) ||
                  (p->action == MMC_RAW_ACTION_WRITING && p->last_written_lba >= wt->cancel_at_lba);
    if (cancel && !wt->did_cancel) {
        wt->did_cancel = true;
        wt->writes_at_cancel = wt->w->writes_issued;
    }
    return cancel;
}

/* ---- helpers ---- */

struct rig {
    struct scsi_transport *t;
    struct mmc_raw_writer w;
    struct mmc_raw_options o;
    struct t_clock clk;
    struct io_clock mclk;
};

/* The data block types the next rig's drive takes for RAW (vrec_config). */
static unsigned rig_raw_block_types;

static bool rig_open(struct rig *g, enum vrec_media_kind kind, bool timed, const char *faults)
{
    memset(g, 0, sizeof(*g));
    t_media_remove(path);
    struct vrec_config cfg = { 0 };
    cfg.media_path = kind == VREC_MEDIA_NONE ? NULL : path;
    cfg.media_kind = kind;
    cfg.fault_script = faults;
    cfg.unthrottled = !timed;
    cfg.raw_block_types = rig_raw_block_types;
    struct io_clock vc = t_clock_of(&g->clk);
    int rc = virtual_transport_open(&cfg, timed ? &vc : NULL, &g->t);
    ok(rc == 0 && g->t, "open virtual drive: %d\n", rc);
    if (rc != 0)
        return false;
    g->mclk = (struct io_clock){ t_clock_now, t_clock_sleep, &g->clk };
    mmc_raw_writer_init(&g->w, g->t, timed ? &g->mclk : NULL);
    mmc_raw_options_default(&g->o);
    /* Two slots: the writer thread is never more than two WRITEs ahead of
     * the reports, so a cancel from one lands where the checks expect. */
    g->o.loop.ring_bytes = 1;
    return true;
}

static void rig_close(struct rig *g)
{
    if (g->t)
        scsi_transport_close(g->t);
    g->t = NULL;
}

static struct vrec_drive *drive_of(struct rig *g)
{
    return virtual_transport_drive(g->t);
}

/* Compares the drive's stored sector records with the image, byte for byte. */
static void compare_sectors(int layout, int32_t from, int32_t to)
{
    char sp[300];
    snprintf(sp, sizeof(sp), "%s.sectors", path);
    FILE *f = fopen(sp, "rb");
    uint8_t rec[CD_SECTOR_RAW_PW], want[CD_SECTOR_RAW_PW];
    size_t ss = t_sector_size(layout);
    int32_t bad_lba = INT32_MIN;
    for (int32_t lba = from; f && lba < to && bad_lba == INT32_MIN; lba++) {
        t_make_sector(lba, layout, want);
        if (fread(rec, 1, sizeof(rec), f) != sizeof(rec) || memcmp(rec, want, ss) != 0)
            bad_lba = lba;
    }
    ok(f && bad_lba == INT32_MIN, "stored sectors %d..%d equal the image (layout %d), first difference at %d\n",
       from, to - 1, layout, bad_lba);
    if (f)
        fclose(f);
}

/* ---- tests ---- */

static void test_burn(int layout, bool timed, bool seekable, int32_t stream_first)
{
    struct rig g;
    if (!rig_open(&g, VREC_MEDIA_CDR80, timed, NULL))
        return;
    g.o.layout = layout;
    g.o.stream_leadin_sectors = -stream_first;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK && g.w.media.leadin_start == CD_TYPICAL_LEADIN_LBA &&
           g.w.media.last_possible_leadout == 359849 && g.w.media.profile == MMC_PROFILE_CD_R,
       "prepare layout %d: %#x\n", layout, (unsigned)g.w.dev.last.hr);
    struct image im;
    image_init(&im, layout, stream_first, T_END);
    im.seekable = seekable;
    struct mmc_raw_stream s = stream_of(&im);
    struct watch wt;
    watch_init(&wt, &g.w, g.t);
    int32_t hr = mmc_raw_write(&g.w, &s, on_progress, &wt);
    ok(hr == MMC_S_OK, "burn layout %d timed %d seek %d: %#x\n", layout, timed, seekable, (unsigned)hr);
    ok(vrec_disc_state(drive_of(&g)) == VREC_DISC_CLOSED, "disc closed\n");
    const struct vrec_counters *k = vrec_counters(drive_of(&g));
    ok(k->sectors_written == (uint64_t)(T_END - CD_TYPICAL_LEADIN_LBA) && k->underruns == 0, "drive counted %llu sectors\n",
       (unsigned long long)k->sectors_written);
    ok(im.seeks == (seekable && stream_first < CD_TYPICAL_LEADIN_LBA ? 1u : 0u), "seeks %llu\n", (unsigned long long)im.seeks);
    /* a stream read up to the lead-in start reports PREPARING per MiB skipped */
    uint64_t skipped = seekable ? 0 : (uint64_t)(CD_TYPICAL_LEADIN_LBA - stream_first) * t_sector_size(layout);
    ok(wt.preparing >= 1 + (int)(skipped / (1024 * 1024 + 26 * CD_SECTOR_RAW_PW)) &&
           wt.preparing <= 1 + (int)(skipped / (1024 * 1024)) && wt.finishing == 1 && wt.finished == 1 && wt.writing >= 10 && wt.order_bad == 0,
       "progress sequence: %d/%d/%d/%d\n", wt.preparing, wt.writing, wt.finishing, wt.finished);
    ok(wt.monotonic_bad == 0 && wt.counters_bad == 0 && wt.buffer_bad == 0, "progress values: %d %d %d\n",
       wt.monotonic_bad, wt.counters_bad, wt.buffer_bad);
    ok(wt.last.action == MMC_RAW_ACTION_FINISHED && wt.last.start_lba == CD_TYPICAL_LEADIN_LBA &&
           wt.last.sector_count == (uint32_t)(T_END - CD_TYPICAL_LEADIN_LBA) && wt.last.last_written_lba == T_END - 1 &&
           wt.last.last_read_lba == T_END - 1,
       "final report: written to %d of %u\n", wt.last.last_written_lba, wt.last.sector_count);
    if (timed)
        ok(wt.last.elapsed_s > 0 && g.clk.now > 0, "simulated time passed: %u s\n", wt.last.elapsed_s);
    /* 1 MiB or 0.5 s: never more sectors between two reports than 1 MiB
     * (+ the two WRITEs the writer thread may be ahead) */
    ok(wt.writing >= (int)((uint64_t)(T_END - CD_TYPICAL_LEADIN_LBA) * t_sector_size(layout) / (1024 * 1024 + 2 * 26 * CD_SECTOR_RAW_PW)),
       "%d WRITING reports\n", wt.writing);
    rig_close(&g);
    compare_sectors(layout, CD_TYPICAL_LEADIN_LBA, T_END);
}

static void expect_nothing_written(struct rig *g, const char *what)
{
    ok(g->w.writes_issued == 0 && vrec_counters(drive_of(g))->sectors_written == 0 &&
           vrec_disc_state(drive_of(g)) == VREC_DISC_BLANK,
       "%s: nothing written, disc blank\n", what);
}

static void test_stream_checks(void)
{
    struct rig g;
    if (!rig_open(&g, VREC_MEDIA_CDR80, false, NULL))
        return;
    struct image im;
    struct mmc_raw_stream s;
    image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
    s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED, "write before prepare\n");
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    s.size += 100;
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED, "size not whole sectors\n");
    expect_nothing_written(&g, "size");
    s.size = 0;
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED, "empty stream\n");
    s.size = im.size - CD_SECTOR_RAW_PQ; /* whole PQ sectors, not whole P-W sectors */
    ok(mmc_raw_check_stream(&g.w, s.size) == E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED, "PQ-sized stream for P-W\n");

    /* lead-in shorter than the disc's: the stream starts after the ATIP lead-in */
    g.o.stream_leadin_sectors = -CD_TYPICAL_LEADIN_LBA - 1;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare for a short lead-in\n");
    image_init(&im, CD_RAW_RAW, CD_TYPICAL_LEADIN_LBA + 1, T_END);
    s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT, "lead-in too short\n");
    expect_nothing_written(&g, "lead-in");
    ok(mmc_raw_check_stream(&g.w, (uint64_t)(T_END - CD_TYPICAL_LEADIN_LBA) * CD_SECTOR_RAW_PW) == E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT,
       "check alone agrees\n");
    g.o.stream_leadin_sectors = -CD_TYPICAL_LEADIN_LBA;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK &&
           mmc_raw_check_stream(&g.w, (uint64_t)(T_END - CD_TYPICAL_LEADIN_LBA) * CD_SECTOR_RAW_PW) == MMC_S_OK,
       "a lead-in exactly as long as the disc's is fine\n");
    ok(mmc_raw_check_stream(&g.w, CD_SECTOR_RAW_PW) == MMC_S_OK, "one sector at the lead-in start passes the checks\n");

    /* too large: last sector past last possible lead-out + 6750 */
    g.o.stream_leadin_sectors = -CD_RAW_IMAGE_START_LBA;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    uint64_t fits = (uint64_t)(CD80_LAST_LEADOUT_LBA + CD_FIRST_LEADOUT_SECTORS - CD_RAW_IMAGE_START_LBA) * CD_SECTOR_RAW_PW;
    ok(mmc_raw_check_stream(&g.w, fits) == MMC_S_OK, "largest stream that fits\n");
    image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, CD80_LAST_LEADOUT_LBA + CD_FIRST_LEADOUT_SECTORS + 1);
    s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE, "one sector too many\n");
    expect_nothing_written(&g, "space");
    rig_close(&g);
}

static void test_bad_streams(void)
{
    static const struct {
        const char *what;
        int64_t fail_at, end_at;
        int32_t hr;
    } cases[] = {
        { "read error in the lead-in skip", 100, -1, READ_FAULT },
        { "read error mid-image", 22650 + 5000, -1, READ_FAULT },
        { "short stream", -1, 22650 + 3000, E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig g;
        if (!rig_open(&g, VREC_MEDIA_CDR80, false, NULL))
            return;
        ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
        struct image im;
        image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
        im.seekable = i != 0;
        im.fail_at_sector = cases[i].fail_at;
        im.end_at_sector = cases[i].end_at;
        struct mmc_raw_stream s = stream_of(&im);
        struct watch wt;
        watch_init(&wt, &g.w, g.t);
        int32_t hr = mmc_raw_write(&g.w, &s, on_progress, &wt);
        ok(hr == cases[i].hr, "%s: %#x\n", cases[i].what, (unsigned)hr);
        enum vrec_disc_state st = vrec_disc_state(drive_of(&g));
        ok(i == 0 ? st == VREC_DISC_BLANK : st == VREC_DISC_INDETERMINATE, "%s: disc state %d\n", cases[i].what, st);
        ok(wt.finished == 0 && wt.counters_bad == 0, "%s: no FINISHED report\n", cases[i].what);
        rig_close(&g);
    }
}

static void test_media(void)
{
    static const struct {
        enum vrec_media_kind kind;
        int32_t prepare_hr;
    } cases[] = {
        { VREC_MEDIA_CDR_CLOSED, E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK },
        { VREC_MEDIA_CDRW_WRITTEN, E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK },
        { VREC_MEDIA_CDROM, E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED },
        { VREC_MEDIA_DVD, E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED },
        { VREC_MEDIA_NONE, E_IMAPI_RECORDER_MEDIA_NO_MEDIA },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig g;
        if (!rig_open(&g, cases[i].kind, false, NULL))
            return;
        int32_t hr = mmc_raw_prepare(&g.w, &g.o);
        ok(hr == cases[i].prepare_hr && !g.w.prepared, "%s: prepare %#x\n", vrec_media_kind_name(cases[i].kind),
           (unsigned)hr);
        rig_close(&g);
    }

    /* write protected: prepared fine, the first WRITE fails */
    struct rig g;
    if (!rig_open(&g, VREC_MEDIA_CDR_PROTECTED, false, NULL))
        return;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "protected disc prepares\n");
    struct image im;
    image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
    struct mmc_raw_stream s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED && g.w.writes_issued == 1,
       "write protected: %#x after %llu writes\n", (unsigned)g.w.hr, (unsigned long long)g.w.writes_issued);
    rig_close(&g);

    /* CD-RW: burns, and every layout is accepted */
    if (!rig_open(&g, VREC_MEDIA_CDRW, false, NULL))
        return;
    bool layouts[4] = { false };
    ok(mmc_raw_supported_layouts(&g.w.dev, layouts) == MMC_S_OK && layouts[1] && layouts[2] && layouts[3] &&
           !layouts[0],
       "supported layouts %d %d %d\n", layouts[1], layouts[2], layouts[3]);
    g.o.layout = CD_RAW_COOKED;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK && g.w.media.erasable && g.w.media.profile == MMC_PROFILE_CD_RW,
       "CD-RW prepares (cooked P-W)\n");
    image_init(&im, CD_RAW_COOKED, CD_RAW_IMAGE_START_LBA, T_END);
    s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == MMC_S_OK && vrec_disc_state(drive_of(&g)) == VREC_DISC_CLOSED,
       "CD-RW burn: %#x\n", (unsigned)g.w.hr);
    rig_close(&g);
    compare_sectors(CD_RAW_COOKED, CD_TYPICAL_LEADIN_LBA, T_END);

    /* test write: goes through, records nothing, still blank */
    if (!rig_open(&g, VREC_MEDIA_CDR80, true, NULL))
        return;
    g.o.loop.test_write = true;
    g.o.layout = CD_RAW_PQ;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare test write\n");
    image_init(&im, CD_RAW_PQ, CD_RAW_IMAGE_START_LBA, T_END);
    s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == MMC_S_OK && vrec_disc_state(drive_of(&g)) == VREC_DISC_BLANK,
       "test write: %#x, disc %d\n", (unsigned)g.w.hr, vrec_disc_state(drive_of(&g)));
    rig_close(&g);
}

static void test_cancel(void)
{
    static const struct {
        const char *what;
        bool on_preparing;
        int32_t at_lba;
        enum vrec_disc_state after;
    } cases[] = {
        { "at PREPARING", true, INT32_MAX, VREC_DISC_BLANK },
        { "at start", false, CD_TYPICAL_LEADIN_LBA, VREC_DISC_INDETERMINATE },
        { "in the middle", false, 0, VREC_DISC_INDETERMINATE },
        { "at the end", false, T_END - 300, VREC_DISC_INDETERMINATE },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig g;
        if (!rig_open(&g, VREC_MEDIA_CDR80, i == 2, NULL))
            return;
        ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
        struct image im;
        image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
        struct mmc_raw_stream s = stream_of(&im);
        struct watch wt;
        watch_init(&wt, &g.w, g.t);
        wt.cancel_on_preparing = cases[i].on_preparing;
        wt.cancel_at_lba = cases[i].at_lba;
        int32_t hr = mmc_raw_write(&g.w, &s, on_progress, &wt);
        ok(hr == E_IMAPI_REQUEST_CANCELLED && wt.did_cancel, "cancel %s: %#x\n", cases[i].what, (unsigned)hr);
        /* the one WRITE the writer thread may have had in flight */
        ok(g.w.writes_issued <= wt.writes_at_cancel + 1, "cancel %s: no WRITE after the cancel (%llu vs %llu)\n",
           cases[i].what, (unsigned long long)g.w.writes_issued, (unsigned long long)wt.writes_at_cancel);
        ok(wt.finishing == 0 && wt.finished == 0, "cancel %s: no finishing reports\n", cases[i].what);
        ok(vrec_disc_state(drive_of(&g)) == cases[i].after, "cancel %s: disc %d\n", cases[i].what,
           vrec_disc_state(drive_of(&g)));
        rig_close(&g);
    }

    /* from elsewhere (as another thread would), while the engine reads */
    struct rig g;
    if (!rig_open(&g, VREC_MEDIA_CDR80, true, NULL))
        return;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    struct image im;
    image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
    im.cancel_writer = &g.w;
    im.cancel_at_sector = 22650 + 3000;
    struct mmc_raw_stream s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == E_IMAPI_REQUEST_CANCELLED &&
           vrec_disc_state(drive_of(&g)) == VREC_DISC_INDETERMINATE,
       "cancel from the stream side: %#x\n", (unsigned)g.w.hr);
    /* the writer is usable again: a second write on the spoiled disc is refused by the drive */
    ok(mmc_raw_prepare(&g.w, &g.o) == E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK, "spoiled disc is not blank\n");
    rig_close(&g);
}

/* A stream without seek is read up to the ATIP lead-in start (11,016
 * sectors for a 22,650-sector lead-in): seconds on a real stream. A cancel
 * there, from the progress callback or from elsewhere, stops the reading;
 * and the reading reports PREPARING as it goes. */
static void test_cancel_during_skip(void)
{
    for (int from_callback = 0; from_callback <= 1; from_callback++) {
        struct rig g;
        if (!rig_open(&g, VREC_MEDIA_CDR80, false, NULL))
            return;
        ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
        struct image im;
        image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
        im.seekable = false;
        if (!from_callback) {
            im.cancel_writer = &g.w;
            im.cancel_at_sector = 3000;
        }
        struct mmc_raw_stream s = stream_of(&im);
        struct watch wt;
        watch_init(&wt, &g.w, g.t);
        wt.cancel_at_preparing = from_callback ? 3 : 0;
        int32_t hr = mmc_raw_write(&g.w, &s, on_progress, &wt);
        uint64_t sectors_read = im.pos / CD_SECTOR_RAW_PW;
        ok(hr == E_IMAPI_REQUEST_CANCELLED, "cancel in the lead-in skip (%s): %#x\n",
           from_callback ? "callback" : "elsewhere", (unsigned)hr);
        ok(sectors_read < 3000 + 2 * 26 + 1024 * 1024 / CD_SECTOR_RAW_PW, "reading stopped after %llu of 11016 sectors\n",
           (unsigned long long)sectors_read);
        ok(wt.preparing >= (from_callback ? 3 : 2), "PREPARING reports during the skip: %d\n", wt.preparing);
        expect_nothing_written(&g, "cancel in the skip");
        rig_close(&g);
    }

    /* a seek that claimed to move but did not: nothing is written */
    struct rig g;
    if (!rig_open(&g, VREC_MEDIA_CDR80, false, NULL))
        return;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    struct image im;
    image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
    im.seek_lies = true;
    struct mmc_raw_stream s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED && im.pos == 0,
       "a lying seek: %#x, %llu bytes read\n", (unsigned)g.w.hr, (unsigned long long)im.pos);
    expect_nothing_written(&g, "lying seek");
    rig_close(&g);
}

static void test_faults(void)
{
    static const struct {
        const char *script;
        int32_t hr;
        enum vrec_disc_state after;
    } cases[] = {
        { "at-lba 100 sense 03/0C/00\n", E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, VREC_DISC_INDETERMINATE },
        { "at-lba -5000 sense 04/44/00\n", E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, VREC_DISC_INDETERMINATE },
        { "at-write 40 sense 03/73/03\n", E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, VREC_DISC_INDETERMINATE },
        { "disappear at-write 50\n", MMC_E_DEV_NOT_EXIST, VREC_DISC_INDETERMINATE },
        { "remove-medium at-lba 2000\n", E_IMAPI_RECORDER_MEDIA_NO_MEDIA, VREC_DISC_INDETERMINATE },
        /* busy and attention during the write: retried, the burn goes through */
        { "at-write 30 sense 02/04/08\n", MMC_S_OK, VREC_DISC_CLOSED },
        { "at-write 30 sense 06/29/00\n", MMC_S_OK, VREC_DISC_CLOSED },
        /* recovered errors: the drive did the work, the engine goes on */
        { "at-write 30 sense 01/17/01\nat-lba 0 sense 01/18/00\n", MMC_S_OK, VREC_DISC_CLOSED },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig g;
        if (!rig_open(&g, VREC_MEDIA_CDR80, false, cases[i].script))
            return;
        ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
        struct image im;
        image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
        struct mmc_raw_stream s = stream_of(&im);
        int32_t hr = mmc_raw_write(&g.w, &s, NULL, NULL);
        ok(hr == cases[i].hr, "fault '%.*s': %#x\n", (int)strlen(cases[i].script) - 1, cases[i].script,
           (unsigned)hr);
        ok(vrec_disc_state(drive_of(&g)) == cases[i].after, "fault '%.*s': disc %d\n",
           (int)strlen(cases[i].script) - 1, cases[i].script, vrec_disc_state(drive_of(&g)));
        rig_close(&g);
        if (cases[i].after == VREC_DISC_CLOSED)
            compare_sectors(CD_RAW_RAW, CD_TYPICAL_LEADIN_LBA, T_END);
    }
}

/* A command the drive holds past its timeout ends with the transport's
 * timeout, in every phase: prepare (GET CONFIGURATION, 10 s), a WRITE (60 s),
 * finish (SYNCHRONIZE CACHE, 600 s) and an erase's BLANK (3600 s). On the
 * simulated clock the deadline is met exactly, not the drive's stall. */
static void test_timeouts(void)
{
    static const struct {
        const char *script;
        bool timed;
        int32_t prepare_hr, write_hr;
        uint64_t min_writes;
        enum vrec_disc_state after;
    } cases[] = {
        { "delay opcode 0x46 ms 11000\n", true, E_IMAPI_RECORDER_COMMAND_TIMEOUT, 0, 0, VREC_DISC_BLANK },
        { "at-write 30 stall ms 61000\n", true, MMC_S_OK, E_IMAPI_RECORDER_COMMAND_TIMEOUT, 30, VREC_DISC_INDETERMINATE },
        { "at-lba 0 stall ms 100000\n", false, MMC_S_OK, E_IMAPI_RECORDER_COMMAND_TIMEOUT, 400, VREC_DISC_INDETERMINATE },
        { "at-write 30 stall ms 59000\n", true, MMC_S_OK, MMC_S_OK, 700, VREC_DISC_CLOSED },
        { "delay opcode 0x35 ms 601000\n", false, MMC_S_OK, E_IMAPI_RECORDER_COMMAND_TIMEOUT, 700, VREC_DISC_WRITING },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig g;
        if (!rig_open(&g, VREC_MEDIA_CDR80, cases[i].timed, cases[i].script))
            return;
        int32_t hr = mmc_raw_prepare(&g.w, &g.o);
        ok(hr == cases[i].prepare_hr, "'%.*s': prepare %#x\n", (int)strlen(cases[i].script) - 1, cases[i].script,
           (unsigned)hr);
        if (MMC_SUCCEEDED(hr)) {
            struct image im;
            image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
            struct mmc_raw_stream s = stream_of(&im);
            uint64_t t0 = g.clk.now;
            hr = mmc_raw_write(&g.w, &s, NULL, NULL);
            ok(hr == cases[i].write_hr && g.w.writes_issued >= cases[i].min_writes,
               "'%.*s': write %#x after %llu WRITEs\n", (int)strlen(cases[i].script) - 1, cases[i].script,
               (unsigned)hr, (unsigned long long)g.w.writes_issued);
            if (cases[i].timed && hr == E_IMAPI_RECORDER_COMMAND_TIMEOUT)
                ok(g.clk.now - t0 >= 60000000u && g.clk.now - t0 < 61000000u,
                   "the WRITE was abandoned at its 60 s, not after the drive's 61 s: %llu us\n",
                   (unsigned long long)(g.clk.now - t0));
        }
        ok(vrec_disc_state(drive_of(&g)) == cases[i].after, "'%.*s': disc %d\n", (int)strlen(cases[i].script) - 1,
           cases[i].script, vrec_disc_state(drive_of(&g)));
        rig_close(&g);
    }

    /* an erase's BLANK (no Immed: the command itself takes the time) */
    struct rig g;
    if (!rig_open(&g, VREC_MEDIA_CDRW_WRITTEN, true, "delay opcode 0xA1 ms 3601000\n"))
        return;
    struct scsi_request r;
    mmc_build_blank(&r, MMC_BLANK_MINIMAL, false, 0);
    uint64_t t0 = g.clk.now;
    int32_t hr = mmc_run(&g.w.dev, &r);
    ok(hr == E_IMAPI_RECORDER_COMMAND_TIMEOUT && g.clk.now - t0 >= 3600000000u && g.clk.now - t0 < 3601000000u,
       "BLANK held past its hour: %#x after %llu s\n", (unsigned)hr, (unsigned long long)((g.clk.now - t0) / 1000000));
    mmc_build_blank(&r, MMC_BLANK_MINIMAL, false, 0);
    r.timeout_ms = 3700000; /* the delay, then the blank itself */
    ok(mmc_run(&g.w.dev, &r) == MMC_S_OK && vrec_disc_state(drive_of(&g)) == VREC_DISC_BLANK,
       "the same BLANK within a longer timeout\n");
    rig_close(&g);
}

static void test_underrun(void)
{
    for (int bufe = 0; bufe <= 1; bufe++) {
        struct rig g;
        if (!rig_open(&g, VREC_MEDIA_CDR80, true, NULL))
            return;
        g.o.loop.bufe = bufe;
        g.o.loop.ring_bytes = 64 * 2448; /* a small ring so the slow source shows at the drive */
        ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare BUFE %d\n", bufe);
        struct image im;
        image_init(&im, CD_RAW_RAW, CD_RAW_IMAGE_START_LBA, T_END);
        im.clock = &g.clk;
        im.slow_from_sector = 22650 + 2000;
        im.slow_us = 20000; /* 50 sectors/s: far below the drive's pace */
        struct mmc_raw_stream s = stream_of(&im);
        struct watch wt;
        watch_init(&wt, &g.w, g.t);
        int32_t hr = mmc_raw_write(&g.w, &s, on_progress, &wt);
        const struct vrec_counters *k = vrec_counters(drive_of(&g));
        if (bufe)
            ok(hr == MMC_S_OK && k->underruns > 0 && vrec_disc_state(drive_of(&g)) == VREC_DISC_CLOSED,
               "BUFE on: %#x, %llu underruns survived\n", (unsigned)hr, (unsigned long long)k->underruns);
        else
            ok(hr == E_IMAPI_LOSS_OF_STREAMING && vrec_disc_state(drive_of(&g)) == VREC_DISC_INDETERMINATE,
               "BUFE off: %#x\n", (unsigned)hr);
        ok(wt.monotonic_bad == 0 && wt.counters_bad == 0, "progress consistent under underrun\n");
        rig_close(&g);
    }
}

/* IMAPI2 clients choose the sector type after PrepareMedia: prepare only
 * lists the types the drive takes, and the write sends page 05 as w->opt
 * says then. */
static void test_layout_after_prepare(void)
{
    struct rig g;
    struct image im;
    struct mmc_raw_stream s;
    if (!rig_open(&g, VREC_MEDIA_CDR80, false, NULL))
        return;
    g.o.layout = CD_RAW_PQ;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    ok(!g.w.media.layouts[0] && g.w.media.layouts[1] && g.w.media.layouts[2] && g.w.media.layouts[3],
       "every raw type listed\n");
    g.w.opt.layout = CD_RAW_COOKED;
    image_init(&im, CD_RAW_COOKED, CD_RAW_IMAGE_START_LBA, T_END);
    s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == MMC_S_OK, "burn with the type chosen after prepare: %#x\n",
       (unsigned)g.w.hr);
    rig_close(&g);
    compare_sectors(CD_RAW_COOKED, CD_TYPICAL_LEADIN_LBA, T_END);

    rig_raw_block_types = 0x2 | 0x8; /* no cooked P-W */
    if (!rig_open(&g, VREC_MEDIA_CDR80, false, NULL))
        return;
    g.o.layout = CD_RAW_RAW;
    ok(mmc_raw_prepare(&g.w, &g.o) == MMC_S_OK && g.w.media.layouts[1] && !g.w.media.layouts[2] &&
       g.w.media.layouts[3], "types of a drive without cooked P-W\n");
    g.w.opt.layout = CD_RAW_COOKED;
    image_init(&im, CD_RAW_COOKED, CD_RAW_IMAGE_START_LBA, T_END);
    s = stream_of(&im);
    ok(mmc_raw_write(&g.w, &s, NULL, NULL) == E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED && g.w.writes_issued == 0 &&
       vrec_disc_state(drive_of(&g)) == VREC_DISC_BLANK, "a type the drive lacks writes nothing\n");
    rig_close(&g);

    rig_raw_block_types = VREC_RAW_NONE;
    if (!rig_open(&g, VREC_MEDIA_CDR80, false, NULL))
        return;
    ok(mmc_raw_prepare(&g.w, &g.o) == E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED, "a drive without raw DAO\n");
    rig_close(&g);
    rig_raw_block_types = 0;
}

int main(void)
{
    t_media_path(path, sizeof(path), "mmc_rawwrite");
    test_burn(CD_RAW_RAW, false, true, CD_RAW_IMAGE_START_LBA);
    test_burn(CD_RAW_PQ, false, false, CD_RAW_IMAGE_START_LBA);
    test_burn(CD_RAW_PQ, true, true, CD_TYPICAL_LEADIN_LBA);
    test_burn(CD_RAW_RAW, true, false, CD_TYPICAL_LEADIN_LBA - 1000);
    test_stream_checks();
    test_layout_after_prepare();
    test_bad_streams();
    test_media();
    test_cancel();
    test_cancel_during_skip();
    test_faults();
    test_underrun();
    test_timeouts();
    t_media_remove(path);
    return okay_summary("mmc_rawwrite");
}
