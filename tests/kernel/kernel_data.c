/* A data disc through the kernel: libs/fsimage lays out a small generated
 * tree as ISO 9660 + Joliet + UDF (the bridge IMAPI2's file system image
 * makes by default), and the data write engine (libs/mmc/datawrite, the
 * engine of MsftDiscFormat2Data) writes it over the sgio transport to the
 * drive the kernel sees as /dev/srN or /dev/sgN, closing the disc. Every
 * sector of the track is read back with READ(10) through the kernel and
 * compared with the image. The tree's files are also written to OUT_DIR,
 * so that the rig can mount the disc (iso9660, udf) and compare what the
 * kernel's file systems read with them.
 *   kernel_data DEVICE OUT_DIR
 * DEVICE must hold a blank CD-R. */
#define _POSIX_C_SOURCE 200809L
#include "okay.h"

#include "fsimage/fsimage.h"
#include "mmc/cdb.h"
#include "mmc/datawrite.h"
#include "transport/sgio.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The tree: '/'-separated UTF-8 paths; a path ending in '/' is an empty
 * directory. Sizes are not whole sectors (but one empty file). The long
 * name stays within Joliet's 64 characters so both file systems show it
 * whole. */
struct entry {
    const char *path;
    uint64_t size;
};

static const struct entry tree_entries[] = {
    { "readme.txt", 1000 },
    { "empty.dat", 0 },
    { "big data.bin", 300 * 1024 + 777 },
    { "A long file name, beyond 8.3 - \xc3\x9cn\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 \xd1\x84\xd0\xb0\xd0\xb9\xd0\xbb.txt", 4097 },
    { "nested/guide.md", 70001 },
    { "nested/deeper/inner file.dat", 5 },
    { "nested/empty dir/", 0 },
};
#define ENTRY_COUNT (sizeof(tree_entries) / sizeof(tree_entries[0]))

static const struct fsi_times tree_times = { 1700000000, 1700000100, 1700000200 };

/* ---- file contents: a function of (file, offset), so the reference copy can be made ---- */

static uint8_t file_byte(uintptr_t id, uint64_t offset)
{
    uint64_t x = (offset + (uint64_t)id * 0x100000001ull) * 0x9E3779B97F4A7C15ull + 0x1234;
    return (uint8_t)(x >> 56 ^ x >> 29);
}

static int32_t file_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = file_byte((uintptr_t)ctx, offset + i);
    return 0;
}

/* ---- the tree and its image ---- */

/* The directory of path (created on the way), *name the last component. */
static struct fsi_node *walk(struct fsi_node *root, const char *path, uint16_t *name, long *nlen)
{
    struct fsi_node *dir = root;
    char part[256];
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len >= sizeof(part))
            return NULL;
        memcpy(part, p, len);
        part[len] = 0;
        *nlen = fsi_utf16_from_utf8(part, name, FSI_NAME_MAX + 1);
        if (*nlen < 0 || !slash || !slash[1])
            return dir;
        struct fsi_node *next = fsi_find_child(dir, name, (size_t)*nlen);
        if (!next && fsi_add_dir(dir, name, (size_t)*nlen, &tree_times, &next) != 0)
            return NULL;
        dir = next;
        p = slash + 1;
    }
}

static int32_t add_entry(struct fsi_tree *t, const struct entry *e, uintptr_t id)
{
    uint16_t name[FSI_NAME_MAX + 1];
    long nlen = -1;
    struct fsi_node *dir = walk(fsi_tree_root(t), e->path, name, &nlen);
    if (!dir || nlen < 0)
        return -1;
    if (e->path[strlen(e->path) - 1] == '/')
        return fsi_add_dir(dir, name, (size_t)nlen, &tree_times, NULL);
    struct fsi_source src = { file_read, NULL, (void *)id };
    return fsi_add_file(dir, name, (size_t)nlen, &tree_times, e->size, src, NULL);
}

static struct fsi_image *make_image(void)
{
    struct fsi_tree *t = fsi_tree_new(&tree_times);
    ok(t != NULL, "tree\n");
    if (!t)
        return NULL;
    for (size_t i = 0; i < ENTRY_COUNT; i++) {
        int32_t hr = add_entry(t, &tree_entries[i], i + 1);
        ok(hr == 0, "add %s: %#x\n", tree_entries[i].path, (unsigned)hr);
    }
    static const uint16_t volume[] = { 'K', 'R', 'I', 'G', '_', 'D', 'A', 'T', 'A' };
    struct fsi_options o = { .filesystems = FSI_FS_ISO9660 | FSI_FS_JOLIET | FSI_FS_UDF,
                             .iso_level = 2,
                             .udf_revision = 0x102,
                             .volume = volume,
                             .volume_len = sizeof(volume) / sizeof(volume[0]),
                             .now = tree_times.modified };
    struct fsi_image *img = NULL;
    int32_t hr = fsi_image_build(t, &o, &img);
    ok(hr == 0 && img, "image: %#x\n", (unsigned)hr);
    return hr == 0 ? img : NULL;
}

/* ---- the reference copy of the tree ---- */

static int make_dirs(char *path) /* every directory above path's last '/' */
{
    for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        int r = mkdir(path, 0755);
        *s = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

static int write_file(const char *path, uintptr_t id, uint64_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    static uint8_t buf[65536];
    int bad = 0;
    for (uint64_t off = 0; off < size && !bad; off += sizeof(buf)) {
        size_t n = size - off < sizeof(buf) ? (size_t)(size - off) : sizeof(buf);
        file_read((void *)id, off, buf, n);
        bad = fwrite(buf, 1, n, f) != n;
    }
    return fclose(f) != 0 || bad ? -1 : 0;
}

static void write_reference(const char *out)
{
    char path[1024];
    for (size_t i = 0; i < ENTRY_COUNT; i++) {
        const struct entry *e = &tree_entries[i];
        snprintf(path, sizeof(path), "%s/%s", out, e->path);
        int r = make_dirs(path);
        if (r == 0 && e->path[strlen(e->path) - 1] != '/')
            r = write_file(path, i + 1, e->size);
        ok(r == 0, "reference %s: %s\n", path, strerror(errno));
    }
}

/* ---- the burn ---- */

struct image_stream {
    struct fsi_image *img;
    uint64_t pos, size;
};

static int32_t stream_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    struct image_stream *s = ctx;
    uint64_t left = s->size - s->pos;
    uint32_t n = left < len ? (uint32_t)left : len;
    int32_t hr = n ? fsi_image_read(s->img, s->pos, buf, n) : 0;
    *got = hr == 0 ? n : 0;
    s->pos += *got;
    return hr;
}

static int32_t burn(struct scsi_transport *t, struct fsi_image *img, struct mmc_data_writer *w)
{
    struct io_clock clock = io_clock_host;
    mmc_data_writer_init(w, t, &clock);
    struct mmc_data_options o;
    mmc_data_options_default(&o);
    o.force_close = true;
    o.verify = MMC_DATA_VERIFY_FULL;
    uint32_t blocks = fsi_image_blocks(img);
    struct image_stream is = { img, 0, (uint64_t)blocks * FSI_BLOCK };
    struct mmc_raw_stream s = { stream_read, NULL, &is, is.size };
    uint64_t t0 = io_clock_host_now_us(NULL);
    int32_t hr = mmc_data_write(w, &o, &s, NULL, NULL);
    uint64_t us = io_clock_host_now_us(NULL) - t0;
    ok(hr == MMC_S_OK, "write: %#x after %llu WRITEs\n", (unsigned)hr, (unsigned long long)w->writes_issued);
    ok(w->media.profile == 0x0009 && w->media.cd, "a CD-R in the drive: profile %#x\n", w->media.profile);
    ok(w->start_lba == 0 && w->sectors == blocks, "track at LBA %d, %u sectors (image %u)\n", (int)w->start_lba,
       w->sectors, blocks);
    ok(hr != MMC_S_OK || w->closed_disc, "the disc was closed (ForceMediaToBeClosed)\n");
    ok(hr != MMC_S_OK || w->verified_blocks == (blocks + MMC_DATA_VERIFY_BLOCK - 1) / MMC_DATA_VERIFY_BLOCK,
       "full verification read %u blocks\n", w->verified_blocks);
    printf("kernel_data: %s max_transfer %u, image %u sectors, %llu WRITE commands, %.1f s\n", t->ops->name,
           t->max_transfer, blocks, (unsigned long long)w->writes_issued, (double)us / 1e6);
    return hr;
}

/* Every sector of the image read back with READ(10) through the kernel. */
static void check_read10(struct scsi_transport *t, struct fsi_image *img)
{
    enum { CHUNK = 16 };
    static uint8_t got[CHUNK * FSI_BLOCK], want[CHUNK * FSI_BLOCK];
    uint32_t blocks = fsi_image_blocks(img), bad = 0, failed = 0;
    for (uint32_t lba = 0; lba < blocks; lba += CHUNK) {
        uint32_t n = blocks - lba < CHUNK ? blocks - lba : CHUNK;
        struct scsi_request r;
        mmc_build_read10(&r, (int32_t)lba, (uint16_t)n, got, n * FSI_BLOCK);
        enum transport_result tr = scsi_transport_execute(t, &r);
        int32_t hr = fsi_image_read(img, (uint64_t)lba * FSI_BLOCK, want, n * FSI_BLOCK);
        if (tr != TRANSPORT_OK || r.status != SCSI_STATUS_GOOD || r.resid != 0 || hr != 0) {
            if (!failed++)
                ok(0, "READ(10) LBA %u x %u: %s status %#x resid %u\n", lba, n, transport_result_name(tr), r.status,
                   r.resid);
            continue;
        }
        for (uint32_t i = 0; i < n; i++)
            bad += memcmp(got + i * FSI_BLOCK, want + i * FSI_BLOCK, FSI_BLOCK) != 0;
    }
    ok(failed == 0, "%u READ(10)s failed\n", failed);
    ok(bad == 0, "%u of %u sectors read back differ from the image\n", bad, blocks);
    printf("kernel_data: read back %u sectors, %u differ\n", blocks, bad);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: kernel_data DEVICE OUT_DIR\n");
        return 2;
    }
    int made = mkdir(argv[2], 0755);
    ok(made == 0 || errno == EEXIST, "mkdir %s: %s\n", argv[2], strerror(errno));
    write_reference(argv[2]);
    struct scsi_transport *t = NULL;
    enum transport_result tr = sgio_open(argv[1], &t);
    ok(tr == TRANSPORT_OK, "sgio_open %s: %s\n", argv[1], transport_result_name(tr));
    struct fsi_image *img = tr == TRANSPORT_OK ? make_image() : NULL;
    static struct mmc_data_writer w;
    if (img && burn(t, img, &w) == MMC_S_OK)
        check_read10(t, img);
    if (img)
        fsi_image_free(img);
    if (t)
        scsi_transport_close(t);
    return okay_summary("kernel_data");
}
