/* The raw DAO write engine burning the 80-minute image (generated on the
 * fly through the engine's stream callbacks) onto an unthrottled virtual
 * recorder whose media file is in the build tree:
 *  - throughput, as a ratio to a plain file copy of the same bytes measured
 *    in the same run;
 *  - cancel latency: a cancel from the progress callback at about half way,
 *    the WRITE commands issued after it and the milliseconds until
 *    mmc_raw_write returned;
 *  - peak memory of a burn of a 10-minute and of an 80-minute disc, each in
 *    a child process of its own.
 * A drive at 52x in real time, with contention, is bench_pipeline.c's.
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

/* ---- a burn ---- */

struct burn {
    struct scsi_transport *t;      /* what the engine talks to */
    struct vrec_drive *drive;
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

/* An unthrottled drive (no drive time at all) and an image of one track of
 * `sectors` sectors of track_type. */
static void burn_open(struct burn *b, int track_type, uint32_t sectors)
{
    memset(b, 0, sizeof(*b));
    media_remove();
    struct vrec_config cfg = { 0 };
    cfg.media_path = media;
    cfg.media_kind = VREC_MEDIA_CDR80;
    cfg.unthrottled = true;
    int rc = virtual_transport_open(&cfg, NULL, &b->t);
    if (rc != 0)
        bench_die("virtual_transport_open: %d", rc);
    b->drive = virtual_transport_drive(b->t);
    b->mclk = io_clock_host;
    mmc_raw_writer_init(&b->w, b->t, &b->mclk);
    struct mmc_raw_options o;
    mmc_raw_options_default(&o);
    o.layout = CD_RAW_RAW;
    int32_t hr = mmc_raw_prepare(&b->w, &o);
    if (hr != 0)
        bench_die("mmc_raw_prepare: %#x", (unsigned)hr);
    rawimage_as_raw_stream(bench_image(track_type, sectors), &b->img, &b->stream);
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

/* ---- the runs ---- */

/* One unthrottled burn of the audio image of `sectors`, checked. */
static struct bench_cost burn_once(uint32_t sectors, uint64_t *bytes, uint64_t *writes)
{
    struct burn b;
    burn_open(&b, RAWIMAGE_AUDIO, sectors);
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
    burn_open(&probe, RAWIMAGE_AUDIO, BENCH_TRACK_SECTORS);
    uint64_t bytes = burn_bytes(&probe), burnt = 0, writes = 0;
    burn_close(&probe);
    struct bench_cost t = bench_none, cp = bench_none;
    for (int run = 0; run < BENCH_RUNS; run++) {
        cp = bench_best(cp, bench_cp(dir, bytes));
        t = bench_best(t, burn_once(BENCH_TRACK_SECTORS, &burnt, &writes));
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
    burn_open(&b, RAWIMAGE_AUDIO, BENCH_TRACK_SECTORS);
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

/* The peak resident set of a child process that burns one disc: the ring
 * and the engine's state, not the disc, should set it. */
static double peak_rss_of_burn(uint32_t sectors)
{
    int fds[2];
    double peak = -1;
    if (pipe(fds) != 0)
        bench_die("pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        bench_die("fork: %s", strerror(errno));
    if (pid == 0) {
        uint64_t bytes, writes;
        close(fds[0]);
        burn_once(sectors, &bytes, &writes);
        peak = bench_peak_rss_mib();
        _exit(write(fds[1], &peak, sizeof(peak)) == sizeof(peak) ? 0 : 1);
    }
    close(fds[1]);
    ssize_t got = read(fds[0], &peak, sizeof(peak));
    close(fds[0]);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != sizeof(peak))
        bench_die("the burn of %u sectors in a child failed", sectors);
    return peak;
}

static void peak_memory(void)
{
    double ten = peak_rss_of_burn(45000u - 150u), eighty = peak_rss_of_burn(BENCH_TRACK_SECTORS);
    bench_figure("rawwrite.peak_rss_mib.10min", "%.1f", ten);
    bench_figure("rawwrite.peak_rss_mib.80min", "%.1f", eighty);
    bench_figure("rawwrite.peak_rss_80_vs_10", "%.2f", eighty / ten);
}

int main(int argc, char **argv)
{
    const char *dir = bench_dir(argc, argv);
    bench_path(media, sizeof(media), dir, "rawwrite.media");
    throughput(dir);
    cancel_latency();
    peak_memory();
    return 0;
}
