/* The raw DAO write engine burning the 80-minute image (generated on the
 * fly through the engine's stream callbacks) onto a virtual recorder whose
 * media file is in the build tree:
 *  - throughput on an unthrottled drive, as a ratio to a plain file copy of
 *    the same bytes measured in the same run;
 *  - cancel latency: a cancel from the progress callback at about half way,
 *    the WRITE commands issued after it and the milliseconds until
 *    mmc_raw_write returned;
 *  - a simulated 52x drive fed by the engine: the host's own work takes real
 *    time, the drive's recording takes simulated time (its waits cost
 *    nothing, its file I/O is not counted), and the drive's counters give
 *    the buffer low-water mark and the underruns.
 * Usage: bench_rawwrite [work dir in the build tree] */
#include "bench.h"

#include "imapi2error.h"
#include "mmc/rawwrite.h"
#include "transport/virtual.h"

#define DRIVE_BUFFER (2u * 1024u * 1024u)

static char media[4096];

static void media_remove(void)
{
    char sectors[4200];
    snprintf(sectors, sizeof(sectors), "%s.sectors", media);
    unlink(media);
    unlink(sectors);
}

/* ---- clocks ---- */




/* The feed clock: real time while the host works (generator, engine), no
 * time while the drive runs a command except what it sleeps, which passes
 * at once. */
struct feed_clock {
    uint64_t acc_us;      /* time so far, up to running_since */
    uint64_t running_since;
    bool in_drive;
    uint64_t host_us;     /* real time the host spent */
    uint64_t slept_us;    /* simulated waits */
};

static void feed_fold(struct feed_clock *c)
{
    if (!c->in_drive) {
        uint64_t now = io_clock_host_now_us(NULL), d = now - c->running_since;
        c->acc_us += d;
        c->host_us += d;
        c->running_since = now;
    }
}

static uint64_t feed_now(void *ctx)
{
    struct feed_clock *c = ctx;
    feed_fold(c);
    return c->acc_us;
}

static int feed_sleep(void *ctx, uint64_t us)
{
    struct feed_clock *c = ctx;
    feed_fold(c);
    c->acc_us += us;
    c->slept_us += us;
    return 0;
}

/* A transport in front of the virtual one that stops the host's clock while
 * the drive runs a command. */
struct paced_transport {
    struct scsi_transport base;
    struct scsi_transport *inner;
    struct feed_clock *clock;
};

static enum transport_result paced_execute(struct scsi_transport *t, struct scsi_request *req)
{
    struct paced_transport *p = (struct paced_transport *)t;
    feed_fold(p->clock);
    p->clock->in_drive = true;
    enum transport_result r = scsi_transport_execute(p->inner, req);
    p->clock->in_drive = false;
    p->clock->running_since = io_clock_host_now_us(NULL);
    return r;
}

static void paced_cancel(struct scsi_transport *t)
{
    scsi_transport_cancel(((struct paced_transport *)t)->inner);
}

static void paced_reset_cancel(struct scsi_transport *t)
{
    scsi_transport_reset_cancel(((struct paced_transport *)t)->inner);
}

static void paced_close(struct scsi_transport *t)
{
    scsi_transport_close(((struct paced_transport *)t)->inner);
}

static const struct scsi_transport_ops paced_ops = {
    "paced", paced_execute, paced_cancel, paced_reset_cancel, paced_close, NULL,
};

/* ---- a burn ---- */

struct burn {
    struct scsi_transport *t;      /* what the engine talks to */
    struct vrec_drive *drive;
    struct paced_transport paced;
    struct feed_clock feed;
    struct io_clock mclk;
    struct mmc_raw_writer w;
    struct rawimage_cursor img;
    struct mmc_raw_stream stream;
    /* cancel at half way */
    bool cancel_midway, cancelled;
    uint64_t writes_at_cancel;
    unsigned reports_after_cancel;
    uint64_t cancel_us;
    double cancel_fraction;
};

/* speed 0: unthrottled, no drive time at all; otherwise a throttled drive
 * of that speed on the feed clock. */
static void burn_open(struct burn *b, int track_type, unsigned speed)
{
    memset(b, 0, sizeof(*b));
    media_remove();
    struct vrec_config cfg = { 0 };
    cfg.media_path = media;
    cfg.media_kind = VREC_MEDIA_CDR80;
    cfg.speed = speed;
    cfg.buffer_bytes = DRIVE_BUFFER;
    cfg.unthrottled = speed == 0;
    struct io_clock vc = { feed_now, feed_sleep, &b->feed };
    int rc = virtual_transport_open(&cfg, speed ? &vc : NULL, &b->t);
    if (rc != 0)
        bench_die("virtual_transport_open: %d", rc);
    b->drive = virtual_transport_drive(b->t);
    if (speed) {
        b->feed.running_since = io_clock_host_now_us(NULL);
        b->paced.base.ops = &paced_ops;
        b->paced.base.alignment_mask = b->t->alignment_mask;
        b->paced.base.max_transfer = b->t->max_transfer;
        b->paced.inner = b->t;
        b->paced.clock = &b->feed;
        b->t = &b->paced.base;
        b->mclk = (struct io_clock){ feed_now, feed_sleep, &b->feed };
    } else {
        b->mclk = io_clock_host;
    }
    mmc_raw_writer_init(&b->w, b->t, &b->mclk);
    struct mmc_raw_options o;
    mmc_raw_options_default(&o);
    o.layout = CD_RAW_RAW;
    int32_t hr = mmc_raw_prepare(&b->w, &o);
    if (hr != 0)
        bench_die("mmc_raw_prepare: %#x", (unsigned)hr);
    rawimage_as_raw_stream(bench_image(track_type), &b->img, &b->stream);
}

static void burn_close(struct burn *b)
{
    scsi_transport_close(b->t);
    rawimage_free(b->img.img);
    media_remove();
}

/* Bytes the drive receives: the image from the ATIP lead-in start on. */
static uint64_t burn_bytes(const struct burn *b)
{
    int64_t skipped = (int64_t)b->w.media.leadin_start - RAWIMAGE_START_LBA;
    return b->stream.size - (uint64_t)skipped * 2448u;
}

static bool on_progress(void *ctx, const struct mmc_write_progress *p)
{
    struct burn *b = ctx;
    if (b->cancelled) {
        b->reports_after_cancel++;
        return true;
    }
    uint32_t written = (uint32_t)(p->last_written_lba - p->start_lba + 1);
    if (b->cancel_midway && p->action == MMC_RAW_ACTION_WRITING && written >= p->sector_count / 2) {
        b->cancelled = true;
        b->writes_at_cancel = b->w.writes_issued;
        b->cancel_fraction = (double)written / p->sector_count;
        b->cancel_us = io_clock_host_now_us(NULL);
        return true;
    }
    return false;
}

static int32_t burn_run(struct burn *b)
{
    return mmc_raw_write(&b->w, &b->stream, on_progress, b);
}

/* ---- the three runs ---- */

/* One unthrottled burn of the audio image, checked. */
static struct bench_cost burn_once(uint64_t *bytes, uint64_t *writes)
{
    struct burn b;
    burn_open(&b, RAWIMAGE_AUDIO, 0);
    *bytes = burn_bytes(&b);
    struct bench_cost t0 = bench_mark();
    int32_t hr = burn_run(&b);
    struct bench_cost t = bench_since(t0);
    if (hr != 0 || vrec_disc_state(b.drive) != VREC_DISC_CLOSED)
        bench_die("unthrottled burn: %#x, disc state %d", (unsigned)hr, vrec_disc_state(b.drive));
    const struct vrec_counters *k = vrec_counters(b.drive);
    if (k->bytes_written != *bytes)
        bench_die("drive took %llu bytes, expected %llu", (unsigned long long)k->bytes_written,
                  (unsigned long long)*bytes);
    *writes = b.w.writes_issued;
    burn_close(&b);
    return t;
}

static void throughput(const char *dir)
{
    struct burn probe;
    burn_open(&probe, RAWIMAGE_AUDIO, 0);
    uint64_t bytes = burn_bytes(&probe), burnt = 0, writes = 0;
    burn_close(&probe);
    struct bench_cost t = bench_none, cp = bench_none;
    for (int run = 0; run < BENCH_RUNS; run++) {
        cp = bench_best(cp, bench_cp(dir, bytes));
        t = bench_best(t, burn_once(&burnt, &writes));
        cp = bench_best(cp, bench_cp(dir, bytes));
    }
    if (burnt != bytes)
        bench_die("burnt %llu bytes, expected %llu", (unsigned long long)burnt, (unsigned long long)bytes);
    bench_figure("rawwrite.burn_mb", "%.1f", (double)bytes / BENCH_MB);
    bench_figure("rawwrite.writes", "%llu", (unsigned long long)writes);
    bench_figure("rawwrite.throughput_mb_per_s", "%.1f", (double)bytes / BENCH_MB / t.wall);
    bench_figure("rawwrite.cp_mb_per_s", "%.1f", (double)bytes / BENCH_MB / cp.wall);
    bench_figure("rawwrite.throughput_vs_cp", "%.2f", cp.wall / t.wall);
    bench_figure("rawwrite.cpu_vs_cp", "%.2f", cp.cpu / t.cpu);
}

static void cancel_latency(void)
{
    struct burn b;
    burn_open(&b, RAWIMAGE_AUDIO, 0);
    b.cancel_midway = true;
    int32_t hr = burn_run(&b);
    uint64_t returned = io_clock_host_now_us(NULL);
    if (hr != E_IMAPI_REQUEST_CANCELLED || !b.cancelled)
        bench_die("cancelled burn returned %#x (cancel %s)", (unsigned)hr, b.cancelled ? "requested" : "never reached");
    bench_figure("rawwrite.cancel.at_percent", "%.1f", 100.0 * b.cancel_fraction);
    bench_figure("rawwrite.cancel.writes_after_cancel", "%llu",
                 (unsigned long long)(b.w.writes_issued - b.writes_at_cancel));
    bench_figure("rawwrite.cancel.reports_after_cancel", "%u", b.reports_after_cancel);
    bench_figure("rawwrite.cancel.return_ms", "%.3f", (double)(returned - b.cancel_us) / 1000.0);
    burn_close(&b);
}

static void fed_52x(void)
{
    struct burn b;
    /* Mode 1: the slowest image to generate, so the hardest to keep up with */
    burn_open(&b, RAWIMAGE_MODE1, 52);
    uint64_t t0 = feed_now(&b.feed), host0 = b.feed.host_us;
    int32_t hr = burn_run(&b);
    uint64_t span = feed_now(&b.feed) - t0, host = b.feed.host_us - host0;
    if (hr != 0 || vrec_disc_state(b.drive) != VREC_DISC_CLOSED)
        bench_die("52x burn: %#x, disc state %d", (unsigned)hr, vrec_disc_state(b.drive));
    const struct vrec_counters *k = vrec_counters(b.drive);
    bench_figure("rawwrite.52x.underruns", "%llu", (unsigned long long)k->underruns);
    if (k->buffer_low_water == UINT64_MAX)
        bench_figure("rawwrite.52x.buffer_low_water_pct", "n/a (buffer never filled)");
    else
        bench_figure("rawwrite.52x.buffer_low_water_pct", "%.1f", 100.0 * (double)k->buffer_low_water / DRIVE_BUFFER);
    bench_figure("rawwrite.52x.simulated_burn_s", "%.1f", (double)span / 1e6);
    bench_figure("rawwrite.52x.host_busy_pct", "%.1f", 100.0 * (double)host / (double)span);
    burn_close(&b);
}

int main(int argc, char **argv)
{
    const char *dir = bench_dir(argc, argv);
    bench_path(media, sizeof(media), dir, "rawwrite.media");
    throughput(dir);
    cancel_latency();
    fed_52x();
    return 0;
}
