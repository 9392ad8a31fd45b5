/* Raw image generation rate: an 80-minute audio image and an 80-minute
 * Mode 1 data image (sync, header, EDC/ECC, scrambling, P-W sub-channel)
 * read front to back through rawimage_read() 64 KiB at a time, as a ratio
 * to a plain file copy of the same byte count measured in the same run; and
 * the peak RSS, which shows the image never sits in memory whole.
 * Usage: bench_rawimage [work dir in the build tree] */
#include "bench.h"

static uint8_t chunk[BENCH_CHUNK];

/* The cost of reading the whole image; a checksum keeps the reads honest. */
static struct bench_cost generate(struct rawimage *img, uint64_t *bytes_out)
{
    uint64_t total = rawimage_total_bytes(img), pos = 0, sum = 0;
    struct bench_cost t0 = bench_mark();
    while (pos < total) {
        size_t done = 0;
        int32_t hr = rawimage_read(img, pos, chunk, sizeof(chunk), &done);
        if (hr != 0 || done == 0)
            bench_die("rawimage_read at %llu: %#x", (unsigned long long)pos, (unsigned)hr);
        sum += chunk[done - 1] + chunk[0];
        pos += done;
    }
    struct bench_cost t = bench_since(t0);
    if (sum == 0)
        bench_die("image reads as zeros");
    *bytes_out = pos;
    return t;
}

/* Generating an image of one track of `type`. */
static struct bench_cost one(int type, uint64_t expect_bytes)
{
    struct rawimage *img = bench_image(type, BENCH_TRACK_SECTORS);
    uint64_t bytes = 0;
    struct bench_cost t = generate(img, &bytes);
    rawimage_free(img);
    if (bytes != expect_bytes)
        bench_die("image of type %d has %llu bytes, expected %llu", type, (unsigned long long)bytes,
                  (unsigned long long)expect_bytes);
    return t;
}

int main(int argc, char **argv)
{
    const char *dir = bench_dir(argc, argv);
    struct rawimage *probe = bench_image(RAWIMAGE_AUDIO, BENCH_TRACK_SECTORS);
    uint64_t bytes = rawimage_total_bytes(probe);
    int64_t sectors = rawimage_total_sectors(probe);
    rawimage_free(probe);
    struct bench_cost cp = bench_none, audio = bench_none, mode1 = bench_none;
    for (int run = 0; run < BENCH_RUNS; run++) {
        cp = bench_best(cp, bench_cp(dir, bytes));
        audio = bench_best(audio, one(RAWIMAGE_AUDIO, bytes));
        mode1 = bench_best(mode1, one(RAWIMAGE_MODE1, bytes));
        cp = bench_best(cp, bench_cp(dir, bytes));
    }
    bench_figure("rawimage.image_sectors", "%lld", (long long)sectors);
    bench_figure("rawimage.image_mb", "%.1f", (double)bytes / BENCH_MB);
    bench_figure("rawimage.cp.mb_per_s", "%.1f", (double)bytes / BENCH_MB / cp.wall);
    bench_figure("rawimage.audio.mb_per_s", "%.1f", (double)bytes / BENCH_MB / audio.wall);
    bench_figure("rawimage.audio.vs_cp", "%.2f", cp.wall / audio.wall);
    bench_figure("rawimage.audio.cpu_vs_cp", "%.2f", cp.cpu / audio.cpu);
    bench_figure("rawimage.mode1.mb_per_s", "%.1f", (double)bytes / BENCH_MB / mode1.wall);
    bench_figure("rawimage.mode1.vs_cp", "%.2f", cp.wall / mode1.wall);
    bench_figure("rawimage.mode1.cpu_vs_cp", "%.2f", cp.cpu / mode1.cpu);
    double rss = bench_peak_rss_mib();
    bench_figure("rawimage.peak_rss_mib", "%.1f", rss);
    bench_figure("rawimage.peak_rss_vs_image", "%.4f", rss * 1024.0 * 1024.0 / (double)bytes);
    return 0;
}
