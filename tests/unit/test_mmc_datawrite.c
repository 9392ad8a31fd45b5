/* The data write engine against the virtual recorder: what a blank, a
 * written, a closed, a pressed and an empty drive look like to the getters
 * (media state flags, addresses, free and total sectors); an image written
 * to CD-R and read back sector by sector with READ(10), with the post-gap,
 * with the image's own post-gap, with quick and full verification; the
 * Update actions in the documented order; the disc left appendable or closed
 * (ForceMediaToBeClosed); cancels before the first WRITE and midway; a
 * stream too large, not whole sectors, shorter than it said; a medium error;
 * refused media. */
#include "test_vrec_util.h"

#include "imapi2error.h"
#include "mmc/datawrite.h"
#include "transport/virtual.h"

#define SS 2048u

static char path[256];

/* ---- an image: bytes from (seed, offset) ---- */

struct image {
    int seed;
    uint64_t size, pos, gives;      /* gives: bytes it really has (< size: a short stream) */
};

static uint8_t image_byte(int seed, uint64_t off)
{
    return (uint8_t)(off * 31 + off / SS * 7 + (uint64_t)seed * 53);
}

static int32_t image_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    struct image *a = ctx;
    uint8_t *out = buf;
    *got = 0;
    while (len > 0 && a->pos < a->gives) {
        out[(*got)++] = image_byte(a->seed, a->pos++);
        len--;
    }
    return MMC_S_OK;
}

static struct mmc_raw_stream image_stream(struct image *a, int seed, uint64_t size)
{
    *a = (struct image){ seed, size, 0, size };
    return (struct mmc_raw_stream){ image_read, NULL, a, size };
}

/* ---- rig ---- */

struct rig {
    struct scsi_transport *t;
    struct mmc_data_writer w;
};

static void rig_open(struct rig *g, enum vrec_media_kind kind, const char *faults)
{
    t_media_remove(path);
    struct vrec_config cfg = { 0 };
    cfg.media_path = path;
    cfg.media_kind = kind;
    cfg.fault_script = faults;
    cfg.unthrottled = true;
    int rc = virtual_transport_open(&cfg, NULL, &g->t);
    ok(rc == 0 && g->t, "virtual transport %d\n", rc);
    mmc_data_writer_init(&g->w, g->t, NULL);
}

static void rig_close(struct rig *g)
{
    scsi_transport_close(g->t);
}

static struct mmc_data_media inspect(struct rig *g, int32_t *hr)
{
    struct mmc_data_media m;
    *hr = mmc_data_inspect(&g->w.dev, &m);
    return m;
}

/* ---- progress ---- */

struct events {
    enum mmc_data_action seen[4096];
    unsigned count;
    int cancel_at_report;          /* -1: never */
    enum mmc_data_action cancel_action;
};

static bool record(void *ctx, const struct mmc_data_progress *p)
{
    struct events *e = ctx;
    if (e->count < sizeof(e->seen) / sizeof(e->seen[0]))
        e->seen[e->count] = p->action;
    e->count++;
    if (e->cancel_at_report >= 0 && p->action == e->cancel_action && e->cancel_at_report-- == 0)
        return true;
    return false;
}

static void events_init(struct events *e)
{
    memset(e, 0, sizeof(*e));
    e->cancel_at_report = -1;
}

/* VALIDATING, INITIALIZING, CALIBRATING, WRITING (>= 1), FINALIZATION,
 * [VERIFYING], COMPLETED: audit §12. */
static bool documented_order(const struct events *e, bool verifying)
{
    unsigned i = 0, n = e->count;
    if (n < 6 || e->seen[i++] != MMC_DATA_ACTION_VALIDATING || e->seen[i++] != MMC_DATA_ACTION_INITIALIZING ||
        e->seen[i++] != MMC_DATA_ACTION_CALIBRATING || e->seen[i] != MMC_DATA_ACTION_WRITING)
        return false;
    while (i < n && e->seen[i] == MMC_DATA_ACTION_WRITING)
        i++;
    if (i >= n || e->seen[i++] != MMC_DATA_ACTION_FINALIZATION)
        return false;
    if (verifying && (i >= n || e->seen[i++] != MMC_DATA_ACTION_VERIFYING))
        return false;
    return i + 1 == n && e->seen[i] == MMC_DATA_ACTION_COMPLETED;
}

/* ---- reading back ---- */

static int compare_image(struct rig *g, int seed, int32_t start, uint32_t sectors)
{
    uint8_t buf[SS];
    int bad = 0;
    for (uint32_t i = 0; i < sectors && bad < 3; i++) {
        struct scsi_request r;
        mmc_build_read10(&r, start + (int32_t)i, 1, buf, SS);
        if (scsi_transport_execute(g->t, &r) != TRANSPORT_OK || r.status != SCSI_STATUS_GOOD) {
            bad++;
            ok(0, "READ(10) of LBA %d failed\n", start + (int32_t)i);
            continue;
        }
        for (uint32_t b = 0; b < SS; b++) {
            if (buf[b] != image_byte(seed, (uint64_t)i * SS + b)) {
                ok(0, "sector %u byte %u differs\n", i, b);
                bad++;
                break;
            }
        }
    }
    return bad;
}

static int32_t write_image(struct rig *g, const struct mmc_data_options *o, int seed, uint32_t sectors,
                           struct events *e)
{
    struct image a;
    struct mmc_raw_stream s = image_stream(&a, seed, (uint64_t)sectors * SS);
    return mmc_data_write(&g->w, o, &s, e ? record : NULL, e);
}

/* ---- tests ---- */

static void test_blank_cdr(void)
{
    struct rig g;
    int32_t hr, nwa;
    rig_open(&g, VREC_MEDIA_CDR80, NULL);
    struct mmc_data_media m = inspect(&g, &hr);
    ok(hr == MMC_S_OK && m.writable && m.cd && m.profile == 0x0009, "blank CD-R: %#x\n", (unsigned)hr);
    ok(m.state == (MMC_DATA_STATE_BLANK | MMC_DATA_STATE_APPENDABLE), "blank CD-R state %#x\n", m.state);
    ok(m.total == 359849 && m.nwa_valid && m.nwa == 0 && m.free_blocks == 359849, "blank CD-R: total %u, NWA %d, free %u\n",
       m.total, m.nwa, m.free_blocks);
    ok(mmc_data_free_sectors(&m, false) == 359849 - 2 - 150 && mmc_data_free_sectors(&m, true) == 359849 - 2,
       "free sectors less run-out and post-gap\n");
    ok(mmc_data_next_writable(&m, &nwa) == MMC_S_OK && nwa == 0, "NWA 0 on blank media\n");
    ok(m.previous_start == -1 && m.previous_last == -1, "no previous session\n");
    ok(m.write_protect == 0, "not write protected\n");
    rig_close(&g);
}

static void test_write_cdr(enum mmc_data_verify level, bool postgap_in_image)
{
    struct rig g;
    struct mmc_data_options o;
    struct events *e = calloc(1, sizeof(*e));
    int32_t hr, nwa;
    uint32_t sectors = 1000;
    rig_open(&g, VREC_MEDIA_CDR80, NULL);
    events_init(e);
    mmc_data_options_default(&o);
    o.verify = level;
    o.postgap_in_image = postgap_in_image;
    o.progress_bytes = 256 * 1024; /* no clock: reports by bytes */
    hr = write_image(&g, &o, 5, sectors, e);
    ok(hr == MMC_S_OK, "write %u sectors (verify %d, post-gap in image %d): %#x\n", sectors, level, postgap_in_image,
       (unsigned)hr);
    ok(documented_order(e, level != MMC_DATA_VERIFY_NONE), "Update actions in the documented order (%u reports)\n",
       e->count);
    ok(g.w.start_lba == 0 && g.w.sectors == sectors && !g.w.closed_disc, "at LBA 0, session closed, disc open\n");
    uint32_t want_blocks = level == MMC_DATA_VERIFY_FULL ? (sectors + 15) / 16 : level == MMC_DATA_VERIFY_QUICK ? 3 : 0;
    ok(g.w.verified_blocks == want_blocks, "verification read %u blocks, expected %u\n", g.w.verified_blocks,
       want_blocks);
    ok(compare_image(&g, 5, 0, sectors) == 0, "the image reads back byte for byte\n");
    struct mmc_data_media m = inspect(&g, &hr);
    uint32_t track = sectors + (postgap_in_image ? 0 : 150);
    ok(hr == MMC_S_OK && m.state == MMC_DATA_STATE_APPENDABLE, "after the write: %#x state %#x\n", (unsigned)hr,
       m.state);
    /* The drive's last recorded address: vrec counts the 2 run-out blocks into a closed TAO track. */
    ok(m.previous_start == 0 && m.previous_last == (int32_t)track + 2 - 1, "previous session %d..%d, expected 0..%u\n",
       m.previous_start, m.previous_last, track + 2 - 1);
    /* vrec records no second session: no next writable address on a disc with a closed session. */
    ok(mmc_data_free_sectors(&m, false) == 0 && mmc_data_next_writable(&m, &nwa) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE,
       "nothing more to append on this drive\n");
    ok(write_image(&g, &o, 6, 10, NULL) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, "a second write is refused\n");
    rig_close(&g);
    free(e);
}

static void test_force_close(void)
{
    struct rig g;
    struct mmc_data_options o;
    int32_t hr;
    rig_open(&g, VREC_MEDIA_CDRW, NULL);
    mmc_data_options_default(&o);
    o.force_close = true;
    ok(write_image(&g, &o, 9, 333, NULL) == MMC_S_OK && g.w.closed_disc, "ForceMediaToBeClosed: disc closed\n");
    struct mmc_data_media m = inspect(&g, &hr);
    ok(hr == MMC_S_OK && m.state == (MMC_DATA_STATE_FINALIZED | MMC_DATA_STATE_ERASE_REQUIRED),
       "closed CD-RW: state %#x\n", m.state);
    ok(m.total == 333 + 150 + 2 && m.previous_start == 0, "closed CD-RW: total %u from READ CAPACITY\n", m.total);
    ok(compare_image(&g, 9, 0, 333) == 0, "reads back\n");
    ok(write_image(&g, &o, 9, 10, NULL) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, "closed disc refused\n");
    rig_close(&g);
}

/* ≤ 2 % of the disc left closes it whatever ForceMediaToBeClosed says
 * (the rule alone: writing 98 % of a CD-R on the host takes too long). */
static void test_almost_full_closes(void)
{
    struct rig g;
    struct mmc_data_options o;
    int32_t hr;
    rig_open(&g, VREC_MEDIA_CDR74, NULL);
    struct mmc_data_media m = inspect(&g, &hr);
    uint32_t free = mmc_data_free_sectors(&m, false), two = m.total / 50;
    mmc_data_options_default(&o);
    ok(!mmc_data_closes_disc(&m, &o, free - two - 1), "just over 2 %% left: the disc stays open\n");
    ok(mmc_data_closes_disc(&m, &o, free - two), "2 %% left: the disc is closed\n");
    ok(mmc_data_closes_disc(&m, &o, free), "nothing left: closed\n");
    o.force_close = true;
    ok(mmc_data_closes_disc(&m, &o, 1), "ForceMediaToBeClosed\n");
    rig_close(&g);
}

static void test_too_large_and_bad_streams(void)
{
    struct rig g;
    struct mmc_data_options o;
    struct image a;
    int32_t hr;
    rig_open(&g, VREC_MEDIA_CDR80, NULL);
    mmc_data_options_default(&o);
    struct mmc_data_media m = inspect(&g, &hr);
    uint32_t free = mmc_data_free_sectors(&m, false);
    ok(write_image(&g, &o, 1, free + 1, NULL) == E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA &&
           g.w.writes_issued == 0,
       "one sector too many: refused before any WRITE\n");
    o.postgap_in_image = true; /* the 150 sectors of post-gap are then the image's */
    ok(write_image(&g, &o, 1, free + 151, NULL) == E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA,
       "too large with the post-gap in the image\n");
    o.postgap_in_image = false;
    struct mmc_raw_stream s = image_stream(&a, 1, 4097);
    ok(mmc_data_write(&g.w, &o, &s, NULL, NULL) == E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED, "not whole sectors\n");
    s = image_stream(&a, 1, 0);
    ok(mmc_data_write(&g.w, &o, &s, NULL, NULL) == E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED, "empty\n");
    ok(mmc_data_write(&g.w, &o, NULL, NULL, NULL) == MMC_E_POINTER, "no stream\n");
    ok(vrec_disc_state(virtual_transport_drive(g.t)) == VREC_DISC_BLANK, "still blank\n");
    s = image_stream(&a, 1, 5000 * SS); /* more than a 1-MiB ring: some WRITEs go out before it runs dry */
    a.gives = 4000 * SS;
    o.ring_bytes = 1024 * 1024;
    hr = mmc_data_write(&g.w, &o, &s, NULL, NULL);
    ok(hr == E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED && g.w.writes_issued > 0, "a stream shorter than it said: %#x\n",
       (unsigned)hr);
    m = inspect(&g, &hr);
    ok(m.state == MMC_DATA_STATE_NON_EMPTY_SESSION, "its track is closed, the session left open: %#x\n", m.state);
    rig_close(&g);
}

static void test_cancel(enum mmc_data_action at, int report)
{
    struct rig g;
    struct mmc_data_options o;
    struct events *e = calloc(1, sizeof(*e));
    int32_t hr;
    rig_open(&g, VREC_MEDIA_CDR80, NULL);
    events_init(e);
    e->cancel_action = at;
    e->cancel_at_report = report;
    mmc_data_options_default(&o);
    o.progress_bytes = 64 * 1024;
    o.ring_bytes = 2 * MMC_DATA_DEFAULT_CHUNK * MMC_DATA_SECTOR_BYTES; /* two WRITEs ahead: the cancel lands midway */
    hr = write_image(&g, &o, 2, 2000, e);
    ok(hr == E_IMAPI_REQUEST_CANCELLED, "cancel at action %d report %d: %#x\n", at, report, (unsigned)hr);
    ok(e->seen[e->count - 1] == at, "no report after the cancel (last %d)\n", e->seen[e->count - 1]);
    struct mmc_data_media m = inspect(&g, &hr);
    if (at == MMC_DATA_ACTION_WRITING) {
        ok(g.w.writes_issued > 0 && g.w.writes_issued < 2150 / 32, "stopped midway after %llu WRITEs\n",
           (unsigned long long)g.w.writes_issued);
        ok(m.state == MMC_DATA_STATE_NON_EMPTY_SESSION, "the written part is a closed track of an open session\n");
        ok(compare_image(&g, 2, 0, 0) == 0, "nothing else checked on an open session\n");
    } else {
        ok(g.w.writes_issued == 0 && m.state == (MMC_DATA_STATE_BLANK | MMC_DATA_STATE_APPENDABLE),
           "nothing written: still blank (%#x)\n", m.state);
    }
    ok(!atomic_load(&g.w.cancel), "the cancel flag is cleared for the next write\n");
    rig_close(&g);
    free(e);
}

/* A cancel asked for once the data is on the disc (FINALIZATION) is too
 * late: the session is closed and the write succeeds. */
static void test_cancel_too_late(void)
{
    struct rig g;
    struct mmc_data_options o;
    struct events *e = calloc(1, sizeof(*e));
    int32_t hr;
    rig_open(&g, VREC_MEDIA_CDR80, NULL);
    events_init(e);
    e->cancel_action = MMC_DATA_ACTION_FINALIZATION;
    e->cancel_at_report = 0;
    mmc_data_options_default(&o);
    ok(write_image(&g, &o, 8, 500, e) == MMC_S_OK, "cancel at FINALIZATION: the write completes\n");
    ok(e->seen[e->count - 1] == MMC_DATA_ACTION_COMPLETED, "COMPLETED is the last report\n");
    struct mmc_data_media m = inspect(&g, &hr);
    ok(m.state == MMC_DATA_STATE_APPENDABLE && compare_image(&g, 8, 0, 500) == 0, "session closed, data there\n");
    rig_close(&g);
    free(e);
}

/* DVD+R with Windows' defaults: closed in compatible mode even without
 * ForceMediaToBeClosed (audit finding 2). */
static void test_dvdplusr_default_closes(void)
{
    struct rig g;
    struct mmc_data_options o;
    int32_t hr, nwa;
    rig_open(&g, VREC_MEDIA_DVDPLUSR, NULL);
    struct mmc_data_media m = inspect(&g, &hr);
    ok(hr == MMC_S_OK && m.writable && !m.cd && m.profile == 0x001B &&
           m.state == (MMC_DATA_STATE_BLANK | MMC_DATA_STATE_APPENDABLE),
       "blank DVD+R: %#x state %#x\n", (unsigned)hr, m.state);
    ok(mmc_data_write_unit(m.profile) == 16 && mmc_data_write_unit(0x0009) == 1 && mmc_data_write_unit(0x0041) == 32 &&
           mmc_data_write_unit(0x1234) == 1,
       "write units: DVD 16, CD 1, BD 32, unknown 1\n");
    ok(m.total == 2295104 && mmc_data_free_sectors(&m, false) == 2295104 && mmc_data_next_writable(&m, &nwa) == 0 &&
           nwa == 0,
       "DVD+R: total %u, no run-out or post-gap taken off\n", m.total);
    mmc_data_options_default(&o);
    o.verify = MMC_DATA_VERIFY_FULL;
    ok(write_image(&g, &o, 21, 3000, NULL) == MMC_S_OK && g.w.closed_disc, "default write closes the DVD+R\n");
    ok(g.w.verified_blocks == (3000 + 15) / 16, "full verification read every block\n");
    ok(compare_image(&g, 21, 0, 3000) == 0, "reads back\n");
    m = inspect(&g, &hr);
    ok(m.state == MMC_DATA_STATE_FINALIZED && m.previous_start == 0 && m.previous_last == 2999 && m.total == 3000,
       "closed DVD+R: state %#x, session 0..%d, total %u\n", m.state, m.previous_last, m.total);
    ok(write_image(&g, &o, 22, 10, NULL) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, "no second session\n");
    rig_close(&g);
}

/* Two sessions: DVD+R with DisableConsumerDvdCompatibilityMode and no
 * ForceMediaToBeClosed, and BD-R, stay appendable; the second write goes
 * to the next writable address (the first track padded to the ECC block)
 * and the first session becomes the previous one. Then the disc is closed. */
static void test_two_sessions(enum vrec_media_kind kind, uint32_t unit)
{
    struct rig g;
    struct mmc_data_options o;
    int32_t hr, nwa;
    rig_open(&g, kind, NULL);
    mmc_data_options_default(&o);
    o.dvd_compat_disabled = true;
    o.verify = MMC_DATA_VERIFY_QUICK;
    ok(write_image(&g, &o, 31, 1000, NULL) == MMC_S_OK && !g.w.closed_disc, "kind %d: first session\n", kind);
    struct mmc_data_media m = inspect(&g, &hr);
    uint32_t second = (1000 + unit - 1) / unit * unit;
    ok(hr == MMC_S_OK && m.state == MMC_DATA_STATE_APPENDABLE, "appendable: %#x\n", m.state);
    ok(mmc_data_next_writable(&m, &nwa) == MMC_S_OK && nwa == (int32_t)second, "NWA %d, expected %u\n", nwa, second);
    ok(m.previous_start == 0 && m.previous_last == 999, "previous session %d..%d\n", m.previous_start,
       m.previous_last);
    o.force_close = true;
    ok(write_image(&g, &o, 32, 500, NULL) == MMC_S_OK && g.w.start_lba == (int32_t)second && g.w.closed_disc,
       "second session at %d, disc closed\n", g.w.start_lba);
    ok(compare_image(&g, 31, 0, 1000) == 0 && compare_image(&g, 32, (int32_t)second, 500) == 0,
       "both sessions read back\n");
    m = inspect(&g, &hr);
    ok(m.state == MMC_DATA_STATE_FINALIZED && m.previous_start == (int32_t)second &&
           m.previous_last == (int32_t)second + 499,
       "closed: state %#x, last session %d..%d\n", m.state, m.previous_start, m.previous_last);
    rig_close(&g);
}

static void test_dvd_cancel(void)
{
    struct rig g;
    struct mmc_data_options o;
    struct events *e = calloc(1, sizeof(*e));
    int32_t hr;
    rig_open(&g, VREC_MEDIA_BDR, NULL);
    events_init(e);
    e->cancel_action = MMC_DATA_ACTION_WRITING;
    e->cancel_at_report = 2;
    mmc_data_options_default(&o);
    o.progress_bytes = 64 * 1024;
    ok(write_image(&g, &o, 2, 5000, e) == E_IMAPI_REQUEST_CANCELLED, "BD-R cancelled\n");
    struct mmc_data_media m = inspect(&g, &hr);
    ok(m.state == MMC_DATA_STATE_NON_EMPTY_SESSION, "BD-R: a closed track in an open session (%#x)\n", m.state);
    ok(write_image(&g, &o, 3, 10, NULL) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, "and Data takes it no more\n");
    rig_close(&g);
    free(e);
}

/* An image past 4 GiB: too large for a DVD+R, taken by a BD-R (cancelled
 * after a few MiB: the sizes, not the bytes, are what is checked). */
static void test_image_over_4gib(void)
{
    struct rig g;
    struct mmc_data_options o;
    struct image a;
    struct events *e = calloc(1, sizeof(*e));
    uint64_t size = 5ull << 30;
    struct mmc_raw_stream s = image_stream(&a, 9, size);
    mmc_data_options_default(&o);
    o.progress_bytes = 1024 * 1024;
    rig_open(&g, VREC_MEDIA_DVDPLUSR, NULL);
    ok(mmc_data_write(&g.w, &o, &s, NULL, NULL) == E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA,
       "5 GiB on a DVD+R: too large\n");
    rig_close(&g);
    rig_open(&g, VREC_MEDIA_BDR, NULL);
    events_init(e);
    e->cancel_action = MMC_DATA_ACTION_WRITING;
    e->cancel_at_report = 2;
    s = image_stream(&a, 9, size);
    ok(mmc_data_write(&g.w, &o, &s, record, e) == E_IMAPI_REQUEST_CANCELLED, "5 GiB on a BD-R, cancelled\n");
    ok(g.w.sectors == 2621440 && g.w.writes_issued > 0, "%u sectors, %llu WRITEs\n", g.w.sectors,
       (unsigned long long)g.w.writes_issued);
    ok(compare_image(&g, 9, 0, 64) == 0, "the first sectors read back\n");
    rig_close(&g);
    free(e);
}

static void test_medium_error(void)
{
    struct rig g;
    struct mmc_data_options o;
    rig_open(&g, VREC_MEDIA_CDR80, "at-write 5 sense 3/0C/00\n");
    mmc_data_options_default(&o);
    int32_t hr = write_image(&g, &o, 4, 1000, NULL);
    ok(hr == E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE && g.w.writes_issued == 5, "medium error: %#x after %llu\n",
       (unsigned)hr, (unsigned long long)g.w.writes_issued);
    rig_close(&g);
}

static void test_refused_media(void)
{
    struct rig g;
    struct mmc_data_options o;
    int32_t hr, nwa;
    mmc_data_options_default(&o);

    rig_open(&g, VREC_MEDIA_CDROM, NULL);
    struct mmc_data_media m = inspect(&g, &hr);
    ok(hr == MMC_S_OK && !m.writable &&
           m.state == (MMC_DATA_STATE_UNSUPPORTED_MEDIA | MMC_DATA_STATE_WRITE_PROTECTED) &&
           m.write_protect == MMC_DATA_WP_READ_ONLY_MEDIA,
       "CD-ROM: state %#x, write protect %#x\n", m.state, m.write_protect);
    ok(mmc_data_next_writable(&m, &nwa) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE && mmc_data_free_sectors(&m, false) == 0,
       "CD-ROM: no address, no room\n");
    ok(write_image(&g, &o, 1, 10, NULL) == E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED, "CD-ROM refused\n");
    rig_close(&g);

    rig_open(&g, VREC_MEDIA_CDR_CLOSED, NULL);
    m = inspect(&g, &hr);
    ok(hr == MMC_S_OK && m.state == MMC_DATA_STATE_FINALIZED && m.total == 4500 && m.previous_start == 0,
       "closed CD-R: state %#x total %u\n", m.state, m.total);
    ok(write_image(&g, &o, 1, 10, NULL) == E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, "closed CD-R refused\n");
    rig_close(&g);

    rig_open(&g, VREC_MEDIA_DVD, NULL);
    m = inspect(&g, &hr);
    ok(hr == MMC_S_OK && m.profile == 0x0010 && (m.state & MMC_DATA_STATE_UNSUPPORTED_MEDIA), "DVD-ROM unsupported\n");
    rig_close(&g);

    rig_open(&g, VREC_MEDIA_NONE, NULL);
    m = inspect(&g, &hr);
    ok(hr == E_IMAPI_RECORDER_MEDIA_NO_MEDIA, "no disc: %#x\n", (unsigned)hr);
    ok(write_image(&g, &o, 1, 10, NULL) == E_IMAPI_RECORDER_MEDIA_NO_MEDIA, "no disc: Write says so\n");
    rig_close(&g);

    rig_open(&g, VREC_MEDIA_CDR_PROTECTED, NULL);
    m = inspect(&g, &hr);
    ok(hr == MMC_S_OK && m.write_protect == MMC_DATA_WP_BY_MEDIA_SPECIFIC_REASON &&
           m.state == (MMC_DATA_STATE_BLANK | MMC_DATA_STATE_APPENDABLE | MMC_DATA_STATE_WRITE_PROTECTED),
       "write-protected CD-R: protect %#x, state %#x\n", m.write_protect, m.state);
    hr = write_image(&g, &o, 1, 10, NULL);
    ok(hr == E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED && g.w.writes_issued == 0,
       "write-protected CD-R refused before any WRITE: %#x\n", (unsigned)hr);
    rig_close(&g);
}

int main(void)
{
    t_media_path(path, sizeof(path), "datawrite");
    test_blank_cdr();
    test_write_cdr(MMC_DATA_VERIFY_NONE, false);
    test_write_cdr(MMC_DATA_VERIFY_QUICK, false);
    test_write_cdr(MMC_DATA_VERIFY_FULL, true);
    test_force_close();
    test_almost_full_closes();
    test_too_large_and_bad_streams();
    test_cancel(MMC_DATA_ACTION_VALIDATING, 0);
    test_cancel(MMC_DATA_ACTION_CALIBRATING, 0);
    test_cancel(MMC_DATA_ACTION_WRITING, 3);
    test_cancel_too_late();
    test_dvdplusr_default_closes();
    test_two_sessions(VREC_MEDIA_DVDPLUSR, 16);
    test_two_sessions(VREC_MEDIA_BDR, 32);
    test_two_sessions(VREC_MEDIA_DVDR, 16);
    test_dvd_cancel();
    test_image_over_4gib();
    test_medium_error();
    test_refused_media();
    t_media_remove(path);
    return okay_summary("mmc_datawrite");
}
