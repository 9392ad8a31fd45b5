/* The blanking protocol (libs/mmc/blank.c) on the virtual recorder with a
 * simulated clock: minimal and full blank with their report rates and
 * honest estimates, the refusals in order, a drive failing mid-blank, the
 * time limit, and cancel from the report and from the device. */
#include "mmc/blank.h"
#include "imapi2error.h"
#include "okay.h"
#include "test_vrec_util.h"
#include "transport/virtual.h"

static char path[256];

struct rig {
    struct scsi_transport *t;
    struct mmc_device d;
    struct t_clock clk;
    atomic_bool cancel;
};

static bool rig_open(struct rig *g, enum vrec_media_kind kind, const char *faults)
{
    memset(g, 0, sizeof(*g));
    t_media_remove(path);
    struct vrec_config cfg = { 0 };
    cfg.media_path = kind == VREC_MEDIA_NONE ? NULL : path;
    cfg.media_kind = kind;
    cfg.fault_script = faults;
    struct io_clock vc = t_clock_of(&g->clk);
    int rc = virtual_transport_open(&cfg, &vc, &g->t);
    ok(rc == 0 && g->t, "open virtual drive: %d\n", rc);
    if (rc)
        return false;
    mmc_device_init(&g->d, g->t);
    g->d.clock = (struct io_clock){ t_clock_now, t_clock_sleep, &g->clk };
    atomic_init(&g->cancel, false);
    g->d.cancel = &g->cancel;
    return true;
}

static void rig_close(struct rig *g)
{
    scsi_transport_close(g->t);
}

struct watch {
    unsigned reports;
    uint32_t first_elapsed, last_elapsed, last_total;
    bool done_seen, order_bad, estimate_bad;
    uint64_t last_at_us, min_gap_us;
    struct t_clock *clk;
    unsigned stop_at;      /* report number that asks to stop (0: never) */
    atomic_bool *cancel_at_2; /* set the device's cancel flag at the second report */
};

static bool on_report(void *ctx, const struct mmc_blank_report *r)
{
    struct watch *w = ctx;
    w->reports++;
    if (w->reports == 1)
        w->first_elapsed = r->elapsed_s;
    else {
        uint64_t gap = w->clk->now - w->last_at_us;
        if (!w->done_seen && !r->done && (w->min_gap_us == 0 || gap < w->min_gap_us))
            w->min_gap_us = gap;
        if (r->elapsed_s < w->last_elapsed)
            w->order_bad = true;
    }
    if (w->done_seen)
        w->order_bad = true; /* nothing after "done" */
    if (r->done ? (r->elapsed_s != r->total_s || r->elapsed_s == 0) : r->total_s <= r->elapsed_s)
        w->estimate_bad = true;
    w->done_seen |= r->done;
    w->last_elapsed = r->elapsed_s;
    w->last_total = r->total_s;
    w->last_at_us = w->clk->now;
    if (w->cancel_at_2 && w->reports == 2)
        atomic_store(w->cancel_at_2, true);
    return w->stop_at && w->reports == w->stop_at;
}

static void test_blank(bool full)
{
    struct rig g;
    struct watch w = { 0 };
    struct mmc_blank_job job = { 0 };
    if (!rig_open(&g, VREC_MEDIA_CDRW_WRITTEN, NULL))
        return;
    w.clk = &g.clk;
    job.full = full;
    int32_t started = mmc_blank_start(&g.d, &job);
    ok(started == MMC_S_OK && job.nominal_ms > 0, "%s: start, nominal %u ms\n", full ? "full" : "minimal",
       job.nominal_ms);
    uint64_t t0 = g.clk.now;
    int32_t hr = mmc_blank_wait(&g.d, &job, on_report, &w);
    uint64_t took_ms = (g.clk.now - t0) / 1000u;
    ok(hr == MMC_S_OK, "%s: wait %#x\n", full ? "full" : "minimal", (unsigned)hr);
    ok(w.reports >= 3 && w.first_elapsed == 0 && w.done_seen && !w.order_bad && !w.estimate_bad,
       "%s: %u reports, done %d, order %d, estimate %d\n", full ? "full" : "minimal", w.reports, w.done_seen,
       w.order_bad, w.estimate_bad);
    uint32_t interval_us = (full ? MMC_BLANK_UPDATE_MS_FULL : MMC_BLANK_UPDATE_MS_MINIMAL) * 1000u;
    ok(w.min_gap_us >= interval_us / 2 && w.min_gap_us <= interval_us + MMC_BLANK_POLL_MS * 1000u,
       "%s: reports every %llu us, rate %u us\n", full ? "full" : "minimal", (unsigned long long)w.min_gap_us,
       interval_us);
    ok(w.last_elapsed == (uint32_t)((took_ms + 999) / 1000) || (took_ms < 1000 && w.last_elapsed == 1),
       "%s: last report says %u s, took %llu ms\n", full ? "full" : "minimal", w.last_elapsed,
       (unsigned long long)took_ms);
    ok(vrec_disc_state(virtual_transport_drive(g.t)) == VREC_DISC_BLANK, "%s: disc blank afterwards\n",
       full ? "full" : "minimal");
    rig_close(&g);
}

static void test_refusals(void)
{
    static const struct {
        enum vrec_media_kind kind;
        int32_t hr;
    } cases[] = {
        { VREC_MEDIA_NONE, E_IMAPI_RECORDER_MEDIA_NO_MEDIA },
        { VREC_MEDIA_CDR80, E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED },
        { VREC_MEDIA_CDR_CLOSED, E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED },
        { VREC_MEDIA_CDROM, E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED },
        { VREC_MEDIA_DVD, E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rig g;
        struct mmc_blank_job job = { 0 };
        if (!rig_open(&g, cases[i].kind, NULL))
            continue;
        int32_t hr = mmc_blank_start(&g.d, &job);
        ok(hr == cases[i].hr, "%s: start %#x, expected %#x\n", vrec_media_kind_name(cases[i].kind), (unsigned)hr,
           (unsigned)cases[i].hr);
        ok(vrec_counters(virtual_transport_drive(g.t))->per_opcode[0xA1] == 0, "%s: no BLANK sent\n",
           vrec_media_kind_name(cases[i].kind));
        rig_close(&g);
    }
    ok(mmc_blank_profile_erasable(MMC_PROFILE_CD_RW) && !mmc_blank_profile_erasable(MMC_PROFILE_CD_R) &&
       mmc_blank_profile_erasable(0x0014) && !mmc_blank_profile_erasable(0x001A), "erasable profiles\n");
}

/* A medium error while the drive blanks: the drive failed the erase, and
 * the cause is kept for the description. */
static void test_drive_fails(void)
{
    struct rig g;
    struct watch w = { 0 };
    struct mmc_blank_job job = { 0 };
    if (!rig_open(&g, VREC_MEDIA_CDRW_WRITTEN, "after-ms 1500 sense 3/0C/00"))
        return;
    w.clk = &g.clk;
    job.full = true;
    ok(mmc_blank_start(&g.d, &job) == MMC_S_OK, "start\n");
    int32_t hr = mmc_blank_wait(&g.d, &job, on_report, &w);
    ok(hr == E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND && job.cause.has_sense && job.cause.key == 3 &&
       job.cause.asc == 0x0C && job.cause.meaning, "medium error mid-blank: %#x, cause %d %x/%x\n", (unsigned)hr,
       job.cause.has_sense, job.cause.key, job.cause.asc);
    ok(!w.done_seen, "no \"done\" report after a failure\n");
    rig_close(&g);
}

static void test_limits_and_cancel(void)
{
    struct rig g;
    struct watch w = { 0 };
    struct mmc_blank_job job = { 0 };
    if (!rig_open(&g, VREC_MEDIA_CDRW_WRITTEN, NULL))
        return;
    w.clk = &g.clk;
    job.full = true;
    job.limit_ms = 2000;
    mmc_blank_start(&g.d, &job);
    ok(mmc_blank_wait(&g.d, &job, on_report, &w) == E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR,
       "past the time limit\n");
    rig_close(&g);

    if (!rig_open(&g, VREC_MEDIA_CDRW_WRITTEN, NULL))
        return;
    memset(&w, 0, sizeof(w));
    w.clk = &g.clk;
    w.stop_at = 3;
    memset(&job, 0, sizeof(job));
    mmc_blank_start(&g.d, &job);
    ok(mmc_blank_wait(&g.d, &job, on_report, &w) == E_IMAPI_REQUEST_CANCELLED && w.reports == 3,
       "the report asked to stop: %u reports\n", w.reports);
    rig_close(&g);

    if (!rig_open(&g, VREC_MEDIA_CDRW_WRITTEN, NULL))
        return;
    memset(&w, 0, sizeof(w));
    w.clk = &g.clk;
    w.cancel_at_2 = &g.cancel;
    memset(&job, 0, sizeof(job));
    mmc_blank_start(&g.d, &job);
    ok(mmc_blank_wait(&g.d, &job, on_report, &w) == E_IMAPI_REQUEST_CANCELLED && w.reports == 2,
       "the device was cancelled: %u reports\n", w.reports);
    rig_close(&g);
}

int main(void)
{
    t_media_path(path, sizeof(path), "mmc_blank");
    test_blank(false);
    test_blank(true);
    test_refusals();
    test_drive_fails();
    test_limits_and_cancel();
    t_media_remove(path);
    return okay_summary("mmc_blank");
}
