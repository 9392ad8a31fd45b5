/* File-system image generation rate (libs/fsimage): an ISO 9660 + Joliet +
 * UDF image of a 700 MB tree (generated file data, nothing on disk) read
 * front to back through fsi_image_read() 64 KiB at a time, as a ratio to a
 * plain file copy of the same byte count in the same run; then a 6 GB
 * tree (801 files, one of them over 4 GiB) read the same way, and the peak
 * RSS, which shows the image never sits in memory (only its metadata does).
 * Usage: bench_fsimage [work dir in the build tree] */
#include "bench.h"
#include "fsimage/fsimage.h"

static uint8_t chunk[BENCH_CHUNK];

/* files of `size` bytes named f0000.bin... in dirs of 100 */
static struct fsi_image *bench_tree(unsigned files, uint64_t size, uint64_t extra)
{
    static const struct fsi_times t = {1700000000, 1700000000, 1700000000};
    struct fsi_tree *tree = fsi_tree_new(&t);
    struct fsi_node *dir = NULL;
    uint16_t name[32];
    char text[32];
    for (unsigned i = 0; i < files + (extra ? 1 : 0); i++) {
        struct fsi_source src = {bench_source_read, NULL, NULL};
        if (i % 100 == 0) {
            snprintf(text, sizeof(text), "dir%03u", i / 100);
            long len = fsi_utf16_from_utf8(text, name, 32);
            if (fsi_add_dir(fsi_tree_root(tree), name, (size_t)len, &t, &dir))
                bench_die("adding %s", text);
        }
        snprintf(text, sizeof(text), "file %05u.bin", i);
        long len = fsi_utf16_from_utf8(text, name, 32);
        if (fsi_add_file(dir, name, (size_t)len, &t, i < files ? size : extra, src, NULL))
            bench_die("adding %s", text);
    }
    struct fsi_options o = {.filesystems = FSI_FS_ISO9660 | FSI_FS_JOLIET | FSI_FS_UDF, .iso_level = 3,
                            .udf_revision = 0x102, .now = 1700000000};
    struct fsi_image *img = NULL;
    int32_t hr = fsi_image_build(tree, &o, &img);
    if (hr)
        bench_die("fsi_image_build: %#x", (unsigned)hr);
    return img;
}

/* The cost of reading the whole image; a checksum keeps the reads honest. */
static struct bench_cost generate(struct fsi_image *img, uint64_t *bytes_out)
{
    uint64_t total = (uint64_t)fsi_image_blocks(img) * FSI_BLOCK, pos = 0, sum = 0;
    struct bench_cost t0 = bench_mark();
    while (pos < total) {
        size_t n = total - pos < sizeof(chunk) ? (size_t)(total - pos) : sizeof(chunk);
        int32_t hr = fsi_image_read(img, pos, chunk, n);
        if (hr)
            bench_die("fsi_image_read at %llu: %#x", (unsigned long long)pos, (unsigned)hr);
        sum += chunk[n - 1] + chunk[0];
        pos += n;
    }
    struct bench_cost t = bench_since(t0);
    if (sum == 0)
        bench_die("image reads as zeros");
    *bytes_out = pos;
    return t;
}

int main(int argc, char **argv)
{
    const char *dir = bench_dir(argc, argv);
    struct fsi_image *img = bench_tree(200, 3500000, 0);
    uint64_t bytes = (uint64_t)fsi_image_blocks(img) * FSI_BLOCK, got = 0;
    struct bench_cost cp = bench_none, gen = bench_none;
    for (int run = 0; run < BENCH_RUNS; run++) {
        cp = bench_best(cp, bench_cp(dir, bytes));
        gen = bench_best(gen, generate(img, &got));
        cp = bench_best(cp, bench_cp(dir, bytes));
    }
    fsi_image_free(img);
    double rss_small = bench_peak_rss_mib();
    bench_figure("fsimage.image_mb", "%.1f", (double)bytes / BENCH_MB);
    bench_figure("fsimage.cp.mb_per_s", "%.1f", (double)bytes / BENCH_MB / cp.wall);
    bench_figure("fsimage.iso_joliet_udf.mb_per_s", "%.1f", (double)bytes / BENCH_MB / gen.wall);
    bench_figure("fsimage.iso_joliet_udf.vs_cp", "%.2f", cp.wall / gen.wall);
    bench_figure("fsimage.iso_joliet_udf.cpu_vs_cp", "%.2f", cp.cpu / gen.cpu);

    /* a larger tree: 800 files of 0.9 MB and one of 5 GiB (a UDF file over 4 GiB) */
    img = bench_tree(800, 900000, 5ull << 30);
    uint64_t big = (uint64_t)fsi_image_blocks(img) * FSI_BLOCK;
    struct bench_cost t = generate(img, &got);
    fsi_image_free(img);
    double rss = bench_peak_rss_mib();
    bench_figure("fsimage.large.image_mb", "%.1f", (double)big / BENCH_MB);
    bench_figure("fsimage.large.mb_per_s", "%.1f", (double)big / BENCH_MB / t.wall);
    bench_figure("fsimage.peak_rss_mib", "%.1f", rss);
    bench_figure("fsimage.peak_rss_large_vs_small", "%.2f", rss / rss_small);
    bench_figure("fsimage.peak_rss_vs_large_image", "%.5f", rss * 1024.0 * 1024.0 / (double)big);
    return 0;
}
