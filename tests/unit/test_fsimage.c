/* libs/fsimage: images of a tree in every combination of ISO 9660 (levels
 * 1-3), Joliet and UDF (1.02, 2.01), read back by readers nobody here wrote
 * (xorriso, isoinfo, libcdio's iso-info, 7-Zip, udfinfo): every file's
 * names and bytes must equal the input. Plus the limits and bad inputs
 * with their HRESULTs, and an image read in odd pieces. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsimage/fsimage.h"
#include "host_files.h"
#include "okay.h"

/* ---------------------------------------------------------------- sources */

struct pattern {
    unsigned id;
    uint64_t size;
    int fail_at_read; /* a source that cannot be read */
    int sparse;       /* zero but for a mark in each MiB (large files) */
};

static uint8_t pattern_byte(const struct pattern *p, uint64_t at)
{
    if (p->sparse)
        return (at & 0xFFFFF) < 8 ? (uint8_t)((at >> 20) >> (8 * (at & 7))) ^ 0x5A : 0;
    return (uint8_t)((at * 31) ^ (p->id * 17) ^ (at >> 11) ^ (at >> 19));
}

static int reads_made;

static int32_t pattern_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    struct pattern *p = ctx;
    uint8_t *out = buf;
    reads_made++;
    if (p->fail_at_read)
        return -1;
    if (offset + len > p->size)
        return -1;
    if (p->sparse) { /* zeros, then the marks at each MiB */
        memset(out, 0, len);
        for (uint64_t mark = (offset + 0xFFFFF) & ~0xFFFFFull; mark < offset + len; mark += 0x100000)
            for (uint64_t at = mark; at < mark + 8 && at < offset + len; at++)
                out[at - offset] = pattern_byte(p, at);
        if (offset & 0xFFFFF) /* inside the first mark */
            for (uint64_t at = offset; (at & 0xFFFFF) < 8 && at < offset + len; at++)
                out[at - offset] = pattern_byte(p, at);
        return 0;
    }
    for (size_t i = 0; i < len; i++)
        out[i] = pattern_byte(p, offset + i);
    return 0;
}

static void pattern_release(void *ctx)
{
    free(ctx);
}

static struct fsi_source pattern_source(unsigned id, uint64_t size)
{
    struct pattern *p = calloc(1, sizeof(*p));
    p->id = id;
    p->size = size;
    return (struct fsi_source){pattern_read, pattern_release, p};
}

/* ---------------------------------------------------------------- trees */

/* A test tree: path (UTF-8, '/'-separated) and size; a path ending in '/' is
 * an (empty) directory. iso1/iso2 are the ISO 9660 paths the mangling
 * rules give at levels 1 and 2-3 (without ";1"). */
struct entry {
    const char *path;
    uint64_t size;
    const char *iso1, *iso2;
};

static const struct entry sample[] = {
    {"readme.txt", 1000, "README.TXT", "README.TXT"},
    {"empty.dat", 0, "EMPTY.DAT", "EMPTY.DAT"},
    {"one block.bin", 2048, "ONE_BLOC.BIN", "ONE_BLOCK.BIN"},
    {"Long file name number one.text", 2049, "LONG_FIL.TEX", "LONG_FILE_NAME_NUMBER_ONE.TEXT"},
    {"Long file name number two.text", 4095, "LONG_F~1.TEX", "LONG_FILE_NAME_NUMBER_TWO.TEXT"},
    {"Ünïcödé файл.txt", 3, "_N_C_D__.TXT", "_N_C_D______.TXT"},
    {"docs/guide.md", 70000, "DOCS/GUIDE.MD", "DOCS/GUIDE.MD"},
    {"docs/images/a.png", 123457, "DOCS/IMAGES/A.PNG", "DOCS/IMAGES/A.PNG"},
    {"docs/empty dir/", 0, "DOCS/EMPTY_DI", "DOCS/EMPTY_DIR"},
    {"a/b/c/d/e/f/g/deep.txt", 5, "A/B/C/D/E/F/G/DEEP.TXT", "A/B/C/D/E/F/G/DEEP.TXT"},
    {"noext", 10, "NOEXT", "NOEXT"},
};
#define SAMPLE_COUNT (sizeof(sample) / sizeof(sample[0]))

static const struct fsi_times test_times = {1700000000, 1700000100, 1700000200};

/* The directory `path` names (creating the missing levels); *name and
 * *nlen get the last component. */
static struct fsi_node *walk(struct fsi_node *root, const char *path, uint16_t *name, long *nlen)
{
    struct fsi_node *dir = root;
    char part[512];
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        memcpy(part, p, len);
        part[len] = 0;
        *nlen = fsi_utf16_from_utf8(part, name, 512);
        if (!slash || !slash[1])
            return dir;
        struct fsi_node *next = fsi_find_child(dir, name, (size_t)*nlen);
        if (!next && fsi_add_dir(dir, name, (size_t)*nlen, &test_times, &next))
            return NULL;
        dir = next;
        p = slash + 1;
    }
}

static int32_t add_entry(struct fsi_tree *t, const struct entry *e, unsigned id)
{
    uint16_t name[512];
    long nlen;
    struct fsi_node *dir = walk(fsi_tree_root(t), e->path, name, &nlen);
    if (!dir || nlen < 0)
        return -1;
    if (e->path[strlen(e->path) - 1] == '/')
        return fsi_add_dir(dir, name, (size_t)nlen, &test_times, NULL);
    return fsi_add_file(dir, name, (size_t)nlen, &test_times, e->size, pattern_source(id, e->size), NULL);
}

static struct fsi_tree *sample_tree(void)
{
    struct fsi_tree *t = fsi_tree_new(&test_times);
    for (unsigned i = 0; i < SAMPLE_COUNT; i++) {
        int32_t hr = add_entry(t, &sample[i], i);
        ok(hr == 0, "adding %s: %#x\n", sample[i].path, (unsigned)hr);
    }
    return t;
}

/* ---------------------------------------------------------------- images */

static char workdir[256];

/* Writes the image with reads of `chunk` bytes (a size that cuts blocks at
 * odd places); all-zero chunks are skipped so a large mostly-empty image
 * stays sparse on disk. */
static int write_image(struct fsi_image *img, const char *path, size_t chunk)
{
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    uint8_t *buf = malloc(chunk), *zero = calloc(1, chunk);
    uint64_t total = (uint64_t)fsi_image_blocks(img) * FSI_BLOCK, at = 0;
    int good = fd >= 0 && buf && zero;
    while (good && at < total) {
        size_t n = total - at < chunk ? (size_t)(total - at) : chunk;
        good = fsi_image_read(img, at, buf, n) == 0;
        if (good && memcmp(buf, zero, n))
            good = pwrite(fd, buf, n, (off_t)at) == (ssize_t)n;
        at += n;
    }
    good = good && ftruncate(fd, (off_t)total) == 0;
    if (fd >= 0)
        close(fd);
    free(buf);
    free(zero);
    return good;
}

static struct fsi_image *build(struct fsi_tree *t, unsigned fs, int level, unsigned udf, int32_t *hr)
{
    static const uint16_t volume[] = {'T', 'e', 's', 't', '_', 'V', 'o', 'l'};
    struct fsi_options o = {.filesystems = fs, .iso_level = level, .udf_revision = udf, .volume = volume,
                            .volume_len = 8, .now = 1700000300};
    struct fsi_image *img = NULL;
    *hr = fsi_image_build(t, &o, &img);
    return img;
}

/* ---------------------------------------------------------------- checks */

/* Compares a file a reader extracted with the pattern it came from. */
static int same_as_pattern(const char *file, unsigned id, uint64_t size)
{
    struct pattern p = {.id = id, .size = size};
    FILE *f = fopen(file, "rb");
    uint8_t buf[65536];
    uint64_t at = 0;
    size_t n;
    if (!f)
        return 0;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        for (size_t i = 0; i < n; i++)
            if (at + i >= size || buf[i] != pattern_byte(&p, at + i)) {
                fclose(f);
                return 0;
            }
        at += n;
    }
    fclose(f);
    return at == size;
}

static long count_tree(const char *dir, long *dirs)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    long files = 0;
    if (!d)
        return -1;
    while ((e = readdir(d))) {
        char sub[1024];
        struct stat st;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
        if (lstat(sub, &st))
            continue;
        if (S_ISDIR(st.st_mode)) {
            ++*dirs;
            files += count_tree(sub, dirs);
        } else {
            files++;
        }
    }
    closedir(d);
    return files;
}

enum names { NAMES_LONG, NAMES_ISO1, NAMES_ISO2 };

static const char *entry_name(const struct entry *e, enum names names)
{
    return names == NAMES_LONG ? e->path : names == NAMES_ISO1 ? e->iso1 : e->iso2;
}

/* Every sample entry is in the extracted tree `out` under the expected
 * name with its bytes, and nothing else is there. */
static void check_extracted(const char *reader, const char *out, enum names names, const char *suffix)
{
    long files = 0, dirs = 0, want_files = 0;
    for (unsigned i = 0; i < SAMPLE_COUNT; i++) {
        const struct entry *e = &sample[i];
        char file[1024];
        snprintf(file, sizeof(file), "%s/%s%s", out, entry_name(e, names), e->path[strlen(e->path) - 1] == '/' ? "" : suffix);
        if (e->path[strlen(e->path) - 1] == '/') {
            struct stat st;
            ok(!stat(file, &st) && S_ISDIR(st.st_mode), "%s: directory %s missing\n", reader, file);
            continue;
        }
        want_files++;
        ok(same_as_pattern(file, i, e->size), "%s: %s differs from its source or is missing\n", reader, file);
    }
    files = count_tree(out, &dirs);
    ok(files == want_files, "%s: %ld files extracted, want %ld\n", reader, files, want_files);
    ok(dirs == 10, "%s: %ld directories extracted, want 10\n", reader, dirs);
}

static int run(const char *cmd)
{
    char full[2048];
    snprintf(full, sizeof(full), "%s >%s/tool.log 2>&1", cmd, workdir);
    int rc = system(full);
    if (rc)
        printf("command failed (%d): %s\n", rc, cmd);
    return rc;
}

static void fresh_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    ok(system(cmd) == 0, "cannot make %s\n", dir);
}

static void check_with_xorriso(const char *img, enum names names, const char *suffix)
{
    char out[300], cmd[1024];
    if (!tool_present("xorriso")) {
        skip("xorriso is not installed\n");
        return;
    }
    snprintf(out, sizeof(out), "%s/xorriso", workdir);
    fresh_dir(out);
    snprintf(cmd, sizeof(cmd), "xorriso -abort_on FAILURE -return_with SORRY 32 -indev '%s' -osirrox on -extract / '%s'", img, out);
    ok(run(cmd) == 0, "xorriso could not read %s\n", img);
    check_extracted("xorriso", out, names, suffix);
}

static void check_with_7z(const char *img, const char *type, enum names names)
{
    char out[300], cmd[1024];
    if (!tool_present("7z")) {
        skip("7z is not installed\n");
        return;
    }
    snprintf(out, sizeof(out), "%s/7z-%s", workdir, type);
    fresh_dir(out);
    snprintf(cmd, sizeof(cmd), "7z x -y -t%s -o'%s' '%s'", type, out, img);
    ok(run(cmd) == 0, "7z -t%s could not read %s\n", type, img);
    check_extracted(type, out, names, "");
}

/* isoinfo extracts file by file (-x) and lists (-f): Joliet names with -J. */
static void check_with_isoinfo(const char *img, int joliet, enum names names)
{
    char cmd[1024], file[300];
    if (!tool_present("isoinfo")) {
        skip("isoinfo is not installed\n");
        return;
    }
    snprintf(file, sizeof(file), "%s/isoinfo.out", workdir);
    for (unsigned i = 0; i < SAMPLE_COUNT; i++) {
        const struct entry *e = &sample[i];
        const char *name = entry_name(e, names);
        if (e->path[strlen(e->path) - 1] == '/')
            continue;
        /* isoinfo writes names in its own 8-bit character set and cannot
         * be given a non-ASCII one to extract */
        if (joliet && strpbrk(name, "\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f"
                                    "\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f"
                                    "\xc2\xc3\xd0\xd1"))
            continue;
        /* ISO 9660 identifiers always have the '.' separator (ECMA-119 7.5.1) */
        snprintf(cmd, sizeof(cmd), "isoinfo %s -i '%s' -x '/%s%s' >'%s'", joliet ? "-J" : "", img, name,
                 joliet ? "" : strchr(strrchr(name, '/') ? strrchr(name, '/') : name, '.') ? ";1" : ".;1", file);
        ok(system(cmd) == 0 && same_as_pattern(file, i, e->size), "isoinfo: %s differs\n", e->path);
    }
    snprintf(cmd, sizeof(cmd), "isoinfo %s -l -i '%s'", joliet ? "-J" : "", img);
    ok(run(cmd) == 0, "isoinfo -l failed on %s\n", img);
}

/* libcdio's iso-info: the listing holds every path. */
static void check_with_iso_info(const char *img, enum names names)
{
    char cmd[1024];
    if (!tool_present("iso-info")) {
        skip("iso-info is not installed\n");
        return;
    }
    snprintf(cmd, sizeof(cmd), "iso-info -f -i '%s' %s >'%s/iso-info.out' 2>&1", img,
             names == NAMES_LONG ? "" : "--no-joliet", workdir);
    ok(system(cmd) == 0, "iso-info failed on %s\n", img);
    char list[300];
    snprintf(list, sizeof(list), "%s/iso-info.out", workdir);
    const char *text = slurp(list);
    for (unsigned i = 0; text && i < SAMPLE_COUNT; i++) {
        char want[600];
        const char *name = entry_name(&sample[i], names);
        snprintf(want, sizeof(want), "/%s", name);
        if (want[strlen(want) - 1] == '/')
            want[strlen(want) - 1] = 0;
        ok(strcasestr(text, want) != NULL, "iso-info does not list %s\n", want);
    }
}

static void check_with_udfinfo(const char *img, long files, long dirs)
{
    char cmd[1024], log[300];
    if (!tool_present("udfinfo")) {
        skip("udfinfo is not installed\n");
        return;
    }
    snprintf(cmd, sizeof(cmd), "udfinfo '%s'", img);
    ok(run(cmd) == 0, "udfinfo rejects %s\n", img);
    snprintf(log, sizeof(log), "%s/tool.log", workdir);
    const char *text = slurp(log);
    char want[64];
    snprintf(want, sizeof(want), "numfiles=%ld\n", files);
    ok(text && strstr(text, want), "udfinfo: no %s in:\n%s\n", want, text ? text : "");
    snprintf(want, sizeof(want), "numdirs=%ld\n", dirs);
    ok(text && strstr(text, want), "udfinfo: no %s\n", want);
}

/* ---------------------------------------------------------------- tests */

struct combo {
    const char *name;
    unsigned fs;
    int level;
    unsigned udf;
};

static const struct combo combos[] = {
    {"iso1", FSI_FS_ISO9660, 1, 0},
    {"iso2", FSI_FS_ISO9660, 2, 0},
    {"iso3-joliet", FSI_FS_ISO9660 | FSI_FS_JOLIET, 3, 0},
    {"joliet", FSI_FS_JOLIET, 2, 0},
    {"iso-joliet-udf102", FSI_FS_ISO9660 | FSI_FS_JOLIET | FSI_FS_UDF, 2, 0x102},
    {"udf102", FSI_FS_UDF, 0, 0x102},
    {"udf201", FSI_FS_UDF, 0, 0x201},
    {"iso-joliet-udf201", FSI_FS_ISO9660 | FSI_FS_JOLIET | FSI_FS_UDF, 2, 0x201},
};

static void test_combo(const struct combo *c)
{
    char img[300];
    int32_t hr;
    struct fsi_image *image = build(sample_tree(), c->fs, c->level, c->udf, &hr);
    okay_context = c->name;
    ok(hr == 0 && image, "build: %#x\n", (unsigned)hr);
    if (!image)
        return;
    snprintf(img, sizeof(img), "%s/%s.iso", workdir, c->name);
    ok(write_image(image, img, 7919), "writing %s\n", img);
    fsi_image_free(image);
    enum names iso_names = c->level == 1 ? NAMES_ISO1 : NAMES_ISO2;
    if (c->fs & FSI_FS_JOLIET) {
        check_with_xorriso(img, NAMES_LONG, "");
        check_with_isoinfo(img, 1, NAMES_LONG);
        check_with_iso_info(img, NAMES_LONG);
    } else if (c->fs & FSI_FS_ISO9660) {
        check_with_xorriso(img, iso_names, "");
        check_with_isoinfo(img, 0, iso_names);
        check_with_iso_info(img, iso_names);
    }
    if (c->fs & FSI_FS_ISO9660)
        check_with_7z(img, "iso", (c->fs & FSI_FS_JOLIET) ? NAMES_LONG : iso_names);
    if (c->fs & FSI_FS_UDF) {
        check_with_7z(img, "udf", NAMES_LONG);
        check_with_udfinfo(img, 10, 10);
    }
    okay_context = NULL;
}

static void test_bad_input(void)
{
    static const uint16_t a[] = {'a'}, bad[] = {'a', '?'}, dots[] = {'.', '.'}, upper[] = {'A'};
    struct fsi_tree *t = fsi_tree_new(&test_times);
    struct fsi_node *root = fsi_tree_root(t), *dir = NULL;
    ok(fsi_add_dir(root, a, 1, &test_times, &dir) == 0, "add a\n");
    ok(fsi_add_dir(root, upper, 1, &test_times, NULL) == IMAPI_E_DUP_NAME, "names differing in case clash\n");
    ok(fsi_add_file(root, a, 1, &test_times, 1, pattern_source(0, 1), NULL) == IMAPI_E_DUP_NAME,
       "file over a directory\n");
    ok(fsi_add_dir(root, bad, 2, &test_times, NULL) == IMAPI_E_INVALID_PATH, "'?' in a name\n");
    ok(fsi_add_dir(root, dots, 2, &test_times, NULL) == IMAPI_E_INVALID_PATH, "'..' as a name\n");
    ok(fsi_add_dir(root, a, 0, &test_times, NULL) == IMAPI_E_INVALID_PATH, "empty name\n");
    uint16_t longname[FSI_NAME_MAX + 1];
    for (int i = 0; i <= FSI_NAME_MAX; i++)
        longname[i] = 'x';
    ok(fsi_add_dir(root, longname, FSI_NAME_MAX + 1, &test_times, NULL) == IMAPI_E_INVALID_PATH, "name too long\n");
    int32_t hr;
    struct fsi_image *img = build(t, 0, 2, 0, &hr);
    ok(hr == IMAPI_E_NO_OUTPUT && !img, "no file system: %#x\n", (unsigned)hr);

    /* 9 directory levels: too deep for ISO 9660, fine for Joliet and UDF */
    for (int pass = 0; pass < 2; pass++) {
        t = fsi_tree_new(&test_times);
        struct fsi_node *d = fsi_tree_root(t);
        for (int level = 0; level < 8; level++)
            fsi_add_dir(d, a, 1, &test_times, &d);
        img = build(t, pass ? FSI_FS_JOLIET | FSI_FS_UDF : FSI_FS_ISO9660 | FSI_FS_JOLIET, 2, 0x102, &hr);
        if (pass)
            ok(hr == 0 && img, "9 levels in Joliet+UDF: %#x\n", (unsigned)hr);
        else
            ok(hr == IMAPI_E_ISO9660_LEVELS && !img, "9 levels in ISO 9660: %#x\n", (unsigned)hr);
        fsi_image_free(img);
    }

    /* a tree larger than FreeMediaBlocks */
    t = sample_tree();
    struct fsi_options o = {.filesystems = FSI_FS_ISO9660, .iso_level = 2, .max_blocks = 40};
    img = NULL;
    ok(fsi_image_build(t, &o, &img) == IMAPI_E_IMAGE_TOO_BIG && !img, "image over max_blocks\n");
    t = fsi_tree_new(&test_times);
    o.filesystems = FSI_FS_UDF;
    o.udf_revision = 0x250; /* not made (yet): no metadata partition */
    ok(fsi_image_build(t, &o, &img) == IMAPI_E_INVALID_PARAM && !img, "unsupported UDF revision\n");

    /* an unreadable source fails the read that reaches it, nothing else */
    t = fsi_tree_new(&test_times);
    struct fsi_source src = pattern_source(1, 5000);
    ((struct pattern *)src.ctx)->fail_at_read = 1;
    fsi_add_file(fsi_tree_root(t), a, 1, &test_times, 5000, src, NULL);
    img = build(t, FSI_FS_ISO9660, 2, 0, &hr);
    ok(hr == 0, "build with a bad source: %#x\n", (unsigned)hr);
    uint8_t block[FSI_BLOCK];
    ok(fsi_image_read(img, 16 * FSI_BLOCK, block, sizeof(block)) == 0, "metadata reads\n");
    uint64_t end = (uint64_t)fsi_image_blocks(img) * FSI_BLOCK;
    ok(fsi_image_read(img, end - FSI_BLOCK, block, sizeof(block)) == IMAPI_E_DATA_STREAM_READ_FAILURE,
       "file data read fails\n");
    ok(fsi_image_read(img, end - 10, block, 20) == IMAPI_E_INVALID_PARAM, "read past the end\n");
    fsi_image_free(img);
}

/* File data is read only when the image is read, and only the bytes asked. */
static void test_on_read(void)
{
    int32_t hr;
    struct fsi_image *img = build(sample_tree(), FSI_FS_ISO9660 | FSI_FS_JOLIET | FSI_FS_UDF, 2, 0x102, &hr);
    uint8_t block[FSI_BLOCK];
    reads_made = 0;
    ok(hr == 0, "build: %#x\n", (unsigned)hr);
    for (uint32_t b = 0; b < 300; b++)
        fsi_image_read(img, (uint64_t)b * FSI_BLOCK, block, sizeof(block));
    ok(reads_made == 0, "%d source reads for the metadata blocks\n", reads_made);
    fsi_image_free(img);
}

/* Compares what a command prints with a sparse pattern source of `size`
 * bytes, streaming (nothing that size goes to disk). */
static int sparse_stream_matches(const char *cmd, uint64_t size)
{
    static uint8_t buf[1 << 20], zero[1 << 20];
    struct pattern p = {.id = 1, .size = size, .sparse = 1};
    FILE *f = popen(cmd, "r");
    uint64_t at = 0;
    int same = f != NULL;
    size_t n;
    while (same && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
        for (size_t i = 0; same && i < n;) {
            uint64_t pos = at + i;
            if ((pos & 0xFFFFF) < 8) {
                same = buf[i] == pattern_byte(&p, pos);
                i++;
                continue;
            }
            size_t run = (size_t)(0x100000 - (pos & 0xFFFFF));
            if (run > n - i)
                run = n - i;
            same = !memcmp(buf + i, zero, run);
            i += run;
        }
        at += n;
    }
    if (f && pclose(f))
        same = 0;
    return same && at == size;
}

/* A 5 GiB file (a generated source: nothing that size is on disk): one
 * short_ad per GiB in UDF, multi-extent records at ISO level 3, refused
 * at level 2. Checked with 7-Zip (UDF and ISO) and udfinfo. */
static void test_large_file(void)
{
    static const uint16_t big[] = {'b', 'i', 'g', '.', 'b', 'i', 'n'}, after[] = {'z', '.', 't', 'x', 't'};
    const uint64_t size = 5ull * 1024 * 1024 * 1024 + 12345;
    int32_t hr;
    for (int level = 2; level <= 3; level++) {
        struct fsi_tree *t = fsi_tree_new(&test_times);
        struct fsi_source src = pattern_source(1, size);
        ((struct pattern *)src.ctx)->sparse = 1;
        fsi_add_file(fsi_tree_root(t), big, 7, &test_times, size, src, NULL);
        fsi_add_file(fsi_tree_root(t), after, 5, &test_times, 3000, pattern_source(2, 3000), NULL);
        struct fsi_image *img = build(t, FSI_FS_ISO9660 | FSI_FS_JOLIET | FSI_FS_UDF, level, 0x102, &hr);
        if (level == 2) {
            ok(hr == IMAPI_E_DATA_TOO_BIG && !img, "5 GiB at ISO level 2: %#x\n", (unsigned)hr);
            continue;
        }
        ok(hr == 0 && img, "5 GiB at level 3: %#x\n", (unsigned)hr);
        if (!img)
            return;
        char path[300], cmd[1024], out[300];
        snprintf(path, sizeof(path), "%s/large.iso", workdir);
        ok(write_image(img, path, 1 << 20), "writing the large image\n");
        fsi_image_free(img);
        check_with_udfinfo(path, 2, 0);
        if (!tool_present("7z")) {
            skip("7z is not installed\n");
            return;
        }
        for (int udf = 0; udf < 2; udf++) {
            snprintf(out, sizeof(out), "%s/big.out", workdir);
            snprintf(cmd, sizeof(cmd), "7z x -so -t%s '%s' z.txt >'%s' 2>/dev/null", udf ? "udf" : "iso", path, out);
            ok(system(cmd) == 0 && same_as_pattern(out, 2, 3000), "%s: the file after the big one\n",
               udf ? "udf" : "iso");
            if (udf) { /* the 5 GiB of bytes through one reader (7-Zip reads the multi-extent ISO file too, slowly) */
                snprintf(cmd, sizeof(cmd), "7z x -so -tudf '%s' big.bin 2>/dev/null", path);
                ok(sparse_stream_matches(cmd, size), "udf: big.bin differs from its source\n");
            } else {
                char want[64];
                snprintf(cmd, sizeof(cmd), "7z l -tiso '%s'", path);
                ok(run(cmd) == 0, "7z l -tiso\n");
                snprintf(out, sizeof(out), "%s/tool.log", workdir);
                snprintf(want, sizeof(want), " %llu ", (unsigned long long)size);
                const char *text = slurp(out);
                ok(text && strstr(text, want) && strstr(text, "big.bin"), "7z lists no%sbig.bin\n", want);
            }
        }
        unlink(path);
    }
}

int main(void)
{
    snprintf(workdir, sizeof(workdir), "%s/fsimage-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(workdir))
        return 1;
    for (size_t i = 0; i < sizeof(combos) / sizeof(combos[0]); i++)
        test_combo(&combos[i]);
    test_bad_input();
    test_on_read();
    test_large_file();
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", workdir);
    if (system(cmd))
        printf("could not remove %s\n", workdir);
    return okay_summary("fsimage");
}
