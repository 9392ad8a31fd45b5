/* The write pipeline against a drive in real time: the track-at-once engine
 * writes a 6-minute audio track from a file on the build tree's disk (out
 * of the page cache, so every read goes to the disk) to a virtual recorder
 * at 52x with a 2 MiB buffer and BUFE off, where one underrun ends the burn.
 * Four cases, BENCH_PIPE_RUNS runs each, each run bounded in time:
 *  - quiet: nothing else running;
 *  - contention: this benchmark's own CPU hog (a spinning process a core)
 *    and disk writer (8 MiB written and fdatasync'd over and over, on the
 *    same disk as the source) run throughout;
 *  - stall: the source stops for 2 s once, past the first ring fill;
 *  - slow_handler: every WRITING progress report takes 500 ms.
 * Per case: the runs that underran, the burn time, the CPU the burn used in
 * % of one core (this process: reader and writer threads), and the drive
 * buffer's lowest fill; min and median. Then a cancel from another thread
 * half way: its latency in ms and the WRITEs after it.
 * Usage: bench_pipeline [work dir in the build tree] */
#include "bench.h"

#include <pthread.h>
#include <signal.h>

#include "imapi2error.h"
#include "mmc/taowrite.h"
#include "transport/virtual.h"

#define SS 2352u
#define TRACK_SECTORS 27000u              /* 6 minutes, 63.5 MB: twice the ring */
#define DRIVE_BUFFER (2u * 1024u * 1024u)
#define BENCH_PIPE_RUNS 3
#define DISK_WRITER_CHUNK (8u * 1024u * 1024u)

static char media[4096], source_path[4096], storm_path[4096];

static void media_remove(void)
{
    char sectors[4200];
    snprintf(sectors, sizeof(sectors), "%s.sectors", media);
    unlink(media);
    unlink(sectors);
}

/* ---- the source: a file, dropped from the page cache before each run ---- */

struct source {
    int fd;
    uint64_t pos, size, stall_at;
    bool stalled;
};

static void source_make(void)
{
    static uint8_t buf[BENCH_CHUNK];
    int fd = open(source_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        bench_die("create %s: %s", source_path, strerror(errno));
    for (uint64_t left = (uint64_t)TRACK_SECTORS * SS; left > 0;) {
        size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
        bench_source_read(NULL, (uint64_t)TRACK_SECTORS * SS - left, buf, n);
        bench_write_all(fd, buf, n, source_path);
        left -= n;
    }
    if (fsync(fd) != 0)
        bench_die("fsync %s: %s", source_path, strerror(errno));
    close(fd);
}

static void source_open(struct source *s, uint64_t stall_at)
{
    memset(s, 0, sizeof(*s));
    s->fd = open(source_path, O_RDONLY);
    if (s->fd < 0)
        bench_die("open %s: %s", source_path, strerror(errno));
    posix_fadvise(s->fd, 0, 0, POSIX_FADV_DONTNEED); /* the reads go to the disk */
    s->size = (uint64_t)TRACK_SECTORS * SS;
    s->stall_at = stall_at;
}

static int32_t source_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    struct source *s = ctx;
    if (s->pos >= s->stall_at && !s->stalled) {
        s->stalled = true;
        struct timespec two = { 2, 0 };
        nanosleep(&two, NULL);
    }
    ssize_t r;
    do
        r = read(s->fd, buf, len);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return (int32_t)0x8003001Eu; /* STG_E_READFAULT */
    s->pos += (uint64_t)r;
    *got = (uint32_t)r;
    return MMC_S_OK;
}

/* ---- load: child processes, killed at the end of the case ---- */

static pid_t spawn(void (*body)(void))
{
    pid_t pid = fork();
    if (pid < 0)
        bench_die("fork: %s", strerror(errno));
    if (pid == 0) {
        alarm(600); /* whatever happens to the parent */
        body();
        _exit(0);
    }
    return pid;
}

static void spin(void)
{
    for (volatile uint64_t x = 0;; x++)
        ;
}

static void storm(void)
{
    static uint8_t buf[DISK_WRITER_CHUNK];
    memset(buf, 0x5A, sizeof(buf));
    int fd = open(storm_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        _exit(1);
    for (unsigned i = 0;; i++) {
        if (i % 8 == 0 && ftruncate(fd, 0) == 0)
            lseek(fd, 0, SEEK_SET);
        if (write(fd, buf, sizeof(buf)) < 0 || fdatasync(fd) != 0)
            _exit(1);
    }
}

struct load {
    pid_t pids[64];
    int count;
};

static void load_start(struct load *l)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    l->count = 0;
    for (long i = 0; i < cores && l->count < 63; i++)
        l->pids[l->count++] = spawn(spin);
    l->pids[l->count++] = spawn(storm);
}

static void load_stop(struct load *l)
{
    for (int i = 0; i < l->count; i++) {
        kill(l->pids[i], SIGKILL);
        waitpid(l->pids[i], NULL, 0);
    }
    l->count = 0;
    unlink(storm_path);
}

/* ---- one burn ---- */

enum pipe_case { CASE_QUIET, CASE_CONTENTION, CASE_STALL, CASE_SLOW_HANDLER, CASE_COUNT };
static const char *const case_names[CASE_COUNT] = { "quiet", "contention", "stall", "slow_handler" };

struct run {
    bool underran, failed;
    double burn_s, cpu_pct, low_water_pct;
};

struct burn {
    struct scsi_transport *t;
    struct mmc_tao_writer w;
    struct source src;
    bool slow_handler;
    /* a cancel from another thread once half is written */
    bool cancel_midway;
    uint32_t writes_at_cancel;
    uint64_t cancel_us;
};

static bool on_progress(void *ctx, const struct mmc_write_progress *p)
{
    struct burn *b = ctx;
    if (b->slow_handler && p->action == MMC_TAO_ACTION_WRITING) {
        struct timespec half = { 0, 500000000L };
        nanosleep(&half, NULL);
    }
    return false;
}

static void burn_open(struct burn *b, uint64_t stall_at)
{
    memset(b, 0, sizeof(*b));
    media_remove();
    struct vrec_config cfg = { 0 };
    cfg.media_path = media;
    cfg.media_kind = VREC_MEDIA_CDR80;
    cfg.speed = 52;
    cfg.buffer_bytes = DRIVE_BUFFER;
    int rc = virtual_transport_open(&cfg, &io_clock_host, &b->t);
    if (rc != 0)
        bench_die("virtual_transport_open: %d", rc);
    mmc_tao_writer_init(&b->w, b->t, &io_clock_host);
    struct mmc_tao_options o;
    mmc_tao_options_default(&o);
    o.loop.bufe = false;
    int32_t hr = mmc_tao_prepare(&b->w, &o);
    if (hr != 0)
        bench_die("mmc_tao_prepare: %#x", (unsigned)hr);
    source_open(&b->src, stall_at);
}

static void burn_close(struct burn *b)
{
    close(b->src.fd);
    scsi_transport_close(b->t);
    media_remove();
}

static struct run burn_run(enum pipe_case c)
{
    struct burn b;
    struct load load = { { 0 }, 0 };
    burn_open(&b, c == CASE_STALL ? (uint64_t)TRACK_SECTORS * SS * 6 / 10 : UINT64_MAX);
    b.slow_handler = c == CASE_SLOW_HANDLER;
    struct mmc_raw_stream s = { source_read, NULL, &b.src, b.src.size };
    if (c == CASE_CONTENTION)
        load_start(&load);
    struct bench_cost t0 = bench_mark();
    int32_t hr = mmc_tao_write_track(&b.w, &s, on_progress, &b);
    struct bench_cost t = bench_since(t0);
    load_stop(&load);
    const struct vrec_counters *k = vrec_counters(virtual_transport_drive(b.t));
    struct run r = { 0 };
    r.underran = hr == E_IMAPI_LOSS_OF_STREAMING || k->underruns > 0;
    r.failed = hr != 0 && !r.underran;
    r.burn_s = t.wall;
    r.cpu_pct = 100.0 * t.cpu / t.wall;
    r.low_water_pct = k->buffer_low_water == UINT64_MAX ? 0 : 100.0 * (double)k->buffer_low_water / DRIVE_BUFFER;
    if (r.failed)
        bench_die("%s burn: %#x", case_names[c], (unsigned)hr);
    burn_close(&b);
    return r;
}

/* ---- figures ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void min_median(const char *name, const char *what, double *v, int n)
{
    char fig[128];
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    snprintf(fig, sizeof(fig), "pipeline.%s.%s_min", name, what);
    bench_figure(fig, "%.1f", v[0]);
    snprintf(fig, sizeof(fig), "pipeline.%s.%s_median", name, what);
    bench_figure(fig, "%.1f", v[n / 2]);
}

static void run_case(enum pipe_case c)
{
    double burn_s[BENCH_PIPE_RUNS], cpu[BENCH_PIPE_RUNS], low[BENCH_PIPE_RUNS];
    int underran = 0;
    char fig[128];
    for (int i = 0; i < BENCH_PIPE_RUNS; i++) {
        struct run r = burn_run(c);
        underran += r.underran;
        burn_s[i] = r.burn_s;
        cpu[i] = r.cpu_pct;
        low[i] = r.low_water_pct;
    }
    snprintf(fig, sizeof(fig), "pipeline.%s.underrun_runs", case_names[c]);
    bench_figure(fig, "%d of %d", underran, BENCH_PIPE_RUNS);
    min_median(case_names[c], "burn_s", burn_s, BENCH_PIPE_RUNS);
    min_median(case_names[c], "cpu_pct_of_core", cpu, BENCH_PIPE_RUNS);
    min_median(case_names[c], "drive_low_water_pct", low, BENCH_PIPE_RUNS);
}

struct canceller {
    struct burn *b;
    uint32_t after_writes;
};

static void *cancel_later(void *arg)
{
    struct canceller *c = arg;
    struct timespec ms = { 0, 1000000L };
    while (atomic_load(&c->b->w.writes_issued) < c->after_writes)
        nanosleep(&ms, NULL);
    c->b->cancel_us = io_clock_host_now_us(NULL);
    mmc_device_cancel(&c->b->w.dev);
    c->b->writes_at_cancel = atomic_load(&c->b->w.writes_issued);
    return NULL;
}

static void cancel_latency(void)
{
    struct burn b;
    burn_open(&b, UINT64_MAX);
    struct mmc_raw_stream s = { source_read, NULL, &b.src, b.src.size };
    struct canceller c = { &b, TRACK_SECTORS / MMC_TAO_DEFAULT_CHUNK / 2 };
    pthread_t th;
    pthread_create(&th, NULL, cancel_later, &c);
    int32_t hr = mmc_tao_write_track(&b.w, &s, NULL, NULL);
    uint64_t returned = io_clock_host_now_us(NULL);
    pthread_join(th, NULL);
    if (hr != E_IMAPI_REQUEST_CANCELLED)
        bench_die("cancelled burn returned %#x", (unsigned)hr);
    bench_figure("pipeline.cancel.writes_after_cancel", "%u", (unsigned)(b.w.writes_issued - b.writes_at_cancel));
    bench_figure("pipeline.cancel.return_ms", "%.1f", (double)(returned - b.cancel_us) / 1000.0);
    burn_close(&b);
}

int main(int argc, char **argv)
{
    const char *dir = bench_dir(argc, argv);
    bench_path(media, sizeof(media), dir, "pipeline.media");
    bench_path(source_path, sizeof(source_path), dir, "pipeline-source.tmp");
    bench_path(storm_path, sizeof(storm_path), dir, "pipeline-storm.tmp");
    source_make();
    bench_figure("pipeline.track_mb", "%.1f", (double)TRACK_SECTORS * SS / BENCH_MB);
    bench_figure("pipeline.ring_mib", "%u", MMC_LOOP_DEFAULT_RING_BYTES >> 20);
    for (int c = 0; c < CASE_COUNT; c++)
        run_case((enum pipe_case)c);
    cancel_latency();
    unlink(source_path);
    return 0;
}
