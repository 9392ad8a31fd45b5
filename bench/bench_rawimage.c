/* Raw image generation rate: an 80-minute audio image and an 80-minute
 * Mode 1 data image (sync, header, EDC/ECC, scrambling, P-W sub-channel)
 * read front to back through rawimage_read() 64 KiB at a time, as a ratio
 * to a plain file copy of the same byte count measured in the same run; and
 * the peak RSS, which shows the image never sits in memory whole.
 * Usage: bench_rawimage [work dir in the build tree] */
#include "bench.h"

static uint8_t chunk[BENCH_CHUNK];

/* Seconds to read the whole image; a checksum keeps the reads honest. */
static double generate(struct rawimage *img, uint64_t *bytes_out)
{
    uint64_t total = rawimage_total_bytes(img), pos = 0, sum = 0;
    double t0 = bench_now();
    while (pos < total) {
        size_t done = 0;
        int32_t hr = rawimage_read(img, pos, chunk, sizeof(chunk), &done);
        if (hr != 0 || done == 0)
            bench_die("rawimage_read at %llu: %#x", (unsigned long long)pos, (unsigned)hr);
        sum += chunk[done - 1] + chunk[0];
        pos += done;
    }
    double t = bench_now() - t0;
    if (sum == 0)
        bench_die("image reads as zeros");
    *bytes_out = pos;
    return t;
}

static void one(const char *label, int type, const char *dir, double *cp_s, uint64_t *cp_bytes)
{
    struct rawimage *img = bench_image(type);
    uint64_t bytes = 0;
    double t = generate(img, &bytes);
    rawimage_free(img);
    /* both images have the same size: one baseline serves both */
    if (*cp_bytes != bytes) {
        *cp_s = bench_cp_seconds(dir, bytes);
        *cp_bytes = bytes;
    }
    char name[64];
    snprintf(name, sizeof(name), "rawimage.%s.mb_per_s", label);
    bench_figure(name, "%.1f", (double)bytes / BENCH_MB / t);
    snprintf(name, sizeof(name), "rawimage.%s.vs_cp", label);
    bench_figure(name, "%.2f", *cp_s / t);
}

int main(int argc, char **argv)
{
    const char *dir = bench_dir(argc, argv);
    double cp_s = 0;
    uint64_t cp_bytes = 0;
    struct rawimage *probe = bench_image(RAWIMAGE_AUDIO);
    uint64_t image_bytes = rawimage_total_bytes(probe);
    bench_figure("rawimage.image_sectors", "%lld", (long long)rawimage_total_sectors(probe));
    bench_figure("rawimage.image_mb", "%.1f", (double)image_bytes / BENCH_MB);
    rawimage_free(probe);
    one("audio", RAWIMAGE_AUDIO, dir, &cp_s, &cp_bytes);
    one("mode1", RAWIMAGE_MODE1, dir, &cp_s, &cp_bytes);
    bench_figure("rawimage.cp.mb_per_s", "%.1f", (double)cp_bytes / BENCH_MB / cp_s);
    double rss = bench_peak_rss_mib();
    bench_figure("rawimage.peak_rss_mib", "%.1f", rss);
    bench_figure("rawimage.peak_rss_vs_image", "%.4f", rss * 1024.0 * 1024.0 / (double)image_bytes);
    return 0;
}
