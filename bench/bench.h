/* Shared helpers of the host benchmarks (bench/bench_*.c): wall-clock time,
 * the "cp" baseline every throughput is divided by, peak RSS, the
 * 80-minute raw images, and the figure lines tools/run-bench collects.
 *
 * A benchmark prints one "name: value" line a figure and exits 0; it exits
 * non-zero only when something failed to run (an error, never a figure).
 * Include this header first: getrusage and unlink are POSIX. */
#ifndef IMAPI2_BENCH_H
#define IMAPI2_BENCH_H

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mmc/rawimage.h"
#include "transport/clock.h"

#define BENCH_MB 1e6                    /* figures in MB are 10^6 bytes */
#define BENCH_CHUNK (64u * 1024u)       /* reads and copies go 64 KiB at a time */
/* The 80-minute disc: track 1 at LBA 0 as long as a cdr80 allows (its
 * lead-out starts at the last possible lead-out, 79:59:74 = LBA 359849),
 * so the program area (150-sector pregap + track) is 359,999 sectors. */
#define BENCH_TRACK_SECTORS 359849u

static inline double bench_now(void)
{
    return (double)io_clock_host_now_us(NULL) / 1e6;
}

static inline void bench_figure(const char *name, const char *fmt, ...)
{
    va_list ap;
    printf("%s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static inline void bench_die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "bench error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    exit(1);
}

/* Wall-clock and CPU (user + system, all threads) seconds. On a shared
 * machine the CPU ratio is the steadier one: other load stretches wall time
 * far more than it changes the work done. */
struct bench_cost {
    double wall, cpu;
};

static inline struct bench_cost bench_mark(void)
{
    struct bench_cost c = { bench_now(), 0 };
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        c.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                (double)ru.ru_stime.tv_usec / 1e6;
    return c;
}

static inline struct bench_cost bench_since(struct bench_cost start)
{
    struct bench_cost now = bench_mark();
    return (struct bench_cost){ now.wall - start.wall, now.cpu - start.cpu };
}

/* Each figure takes the best of its repetitions: BENCH_RUNS of the thing
 * measured, each between two baseline copies (2 x BENCH_RUNS copies, which
 * are cheap and the noisiest). The least disturbed run of each side is the
 * closest to its own cost on a shared machine. */
#define BENCH_RUNS 2

static inline struct bench_cost bench_best(struct bench_cost a, struct bench_cost b)
{
    return (struct bench_cost){ a.wall < b.wall ? a.wall : b.wall, a.cpu < b.cpu ? a.cpu : b.cpu };
}

static const struct bench_cost bench_none = { 1e300, 1e300 };

/* Peak resident set of this process so far, MiB (Linux: ru_maxrss in KiB). */
static inline double bench_peak_rss_mib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return (double)ru.ru_maxrss / 1024.0;
}

/* The working folder (in the build dir) from argv[1], else the current one. */
static inline const char *bench_dir(int argc, char **argv)
{
    return argc > 1 ? argv[1] : ".";
}

static inline void bench_path(char *out, size_t n, const char *dir, const char *name)
{
    if ((size_t)snprintf(out, n, "%s/%s", dir, name) >= n)
        bench_die("path too long: %s/%s", dir, name);
}

static inline void bench_write_all(int fd, const uint8_t *p, size_t n, const char *what)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            bench_die("write %s: %s", what, strerror(errno));
        p += w;
        n -= (size_t)w;
    }
}

/* The baseline: the cost of a plain copy of `bytes` from one file to another in
 * dir takes, 64 KiB read()/write() at a time, as cp does it (no fsync: both
 * sides of every ratio end in the page cache). The source is written once
 * beforehand, untimed; both files are removed afterwards. */
static inline struct bench_cost bench_cp(const char *dir, uint64_t bytes)
{
    static uint8_t buf[BENCH_CHUNK];
    char src[4096], dst[4096];
    bench_path(src, sizeof(src), dir, "cp-src.tmp");
    bench_path(dst, sizeof(dst), dir, "cp-dst.tmp");
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 131 + (i >> 8));
    int fd = open(src, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        bench_die("create %s: %s", src, strerror(errno));
    for (uint64_t left = bytes; left > 0;) {
        size_t n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
        bench_write_all(fd, buf, n, src);
        left -= n;
    }
    close(fd);

    struct bench_cost t0 = bench_mark();
    int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0)
        bench_die("open %s / %s: %s", src, dst, strerror(errno));
    uint64_t copied = 0;
    for (;;) {
        ssize_t r = read(in, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            bench_die("read %s: %s", src, strerror(errno));
        if (r == 0)
            break;
        bench_write_all(out, buf, (size_t)r, dst);
        copied += (uint64_t)r;
    }
    close(in);
    close(out);
    struct bench_cost t = bench_since(t0);
    unlink(src);
    unlink(dst);
    if (copied != bytes)
        bench_die("copied %llu of %llu bytes", (unsigned long long)copied, (unsigned long long)bytes);
    return t;
}

/* ---- the 80-minute images ---- */

/* Track data: a fixed pattern, copied out the way a file in the page cache
 * would be (so the figures are the generator's, not the source's). */
#define BENCH_PATTERN_BYTES (256u * 1024u)
static uint8_t bench_pattern[BENCH_PATTERN_BYTES + BENCH_CHUNK * 4];

static inline int bench_source_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    uint8_t *out = buf;
    (void)ctx;
    if (!bench_pattern[1])
        for (size_t i = 0; i < sizeof(bench_pattern); i++)
            bench_pattern[i] = (uint8_t)(i * 7 + (i >> 9) + 1);
    while (len > 0) {
        size_t at = (size_t)(offset % BENCH_PATTERN_BYTES);
        size_t n = sizeof(bench_pattern) - at < len ? sizeof(bench_pattern) - at : len;
        memcpy(out, bench_pattern + at, n);
        out += n;
        offset += n;
        len -= n;
    }
    return 0;
}

/* A finalized image of one track of `type` (RAWIMAGE_AUDIO, RAWIMAGE_MODE1
 * ...) and `sectors` sectors (BENCH_TRACK_SECTORS: the 80-minute disc), raw
 * P-W sub-channel (2448 bytes). */
static inline struct rawimage *bench_image(int type, uint32_t sectors)
{
    struct rawimage *img = NULL;
    int index = 0;
    struct rawimage_source src = { bench_source_read, NULL, NULL, (uint64_t)sectors * rawimage_user_sector_size(type) };
    int32_t hr = rawimage_create(&img);
    if (hr == 0)
        hr = rawimage_set_image_type(img, 3);
    if (hr == 0)
        hr = rawimage_add_track(img, type, &src, &index);
    if (hr == 0)
        hr = rawimage_finalize(img);
    if (hr != 0)
        bench_die("image of type %d: %#x", type, (unsigned)hr);
    return img;
}

#endif
