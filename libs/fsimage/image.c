/* The layout of an image and reading it.
 *
 * Block map (each part only when its file system is chosen):
 *   0-15            system area (zeros)
 *   16...           ISO PVD, Joliet SVD, terminator, UDF BEA01/NSRxx/TEA01
 *   32-47, 48-63    UDF main and reserve volume descriptor sequences
 *   64-65           UDF logical volume integrity sequence
 *   256             UDF anchor; the UDF partition starts at 257
 *   ...             UDF file set descriptor, ISO and Joliet path tables and
 *                   directories, UDF file entries and directories
 *   ...             file data, each file contiguous, shared by all trees
 *   last            UDF anchor (UDF only)
 * Everything before the file data is rendered into one buffer at build
 * time; file data is read from the sources when the image is read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iso9660.h"
#include "iso9660_tables.h"
#include "udf.h"

struct fsi_image {
    struct fsi_tree *tree;
    uint8_t *meta;              /* blocks [0, meta_blocks) */
    uint32_t meta_blocks;
    struct fsi_node **files;    /* files with data, in data_lba order */
    size_t nfiles;
    uint32_t total_blocks;
    uint8_t tail[FSI_BLOCK];    /* the last block when has_tail */
    int has_tail;
};

/* ---------------------------------------------------------------- walking */

struct node_list {
    struct fsi_node **v;
    size_t n, cap;
};

static int list_push(struct node_list *l, struct fsi_node *n)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct fsi_node **grown = realloc(l->v, cap * sizeof(*grown));
        if (!grown)
            return 0;
        l->v = grown;
        l->cap = cap;
    }
    l->v[l->n++] = n;
    return 1;
}

/* Directories breadth first, children in the given sort order: the path
 * table order of ECMA-119 9.4 (by level, then parent, then identifier). */
static int32_t dirs_breadth_first(struct fsi_node *root, int joliet, struct node_list *out)
{
    if (!list_push(out, root))
        return FSI_E_OUTOFMEMORY;
    for (size_t i = 0; i < out->n; i++) {
        struct fsi_node *d = out->v[i];
        struct fsi_node **kids = joliet ? d->joliet_sorted : d->iso_sorted;
        for (size_t k = 0; k < d->nkids; k++)
            if (kids[k]->is_dir && !list_push(out, kids[k]))
                return FSI_E_OUTOFMEMORY;
    }
    return 0;
}

/* Every node, depth first, children in insertion order. */
static int32_t all_nodes(struct fsi_node *dir, struct node_list *out)
{
    for (size_t i = 0; i < dir->nkids; i++) {
        if (!list_push(out, dir->kids[i]))
            return FSI_E_OUTOFMEMORY;
        if (dir->kids[i]->is_dir) {
            int32_t hr = all_nodes(dir->kids[i], out);
            if (hr)
                return hr;
        }
    }
    return 0;
}

/* The limits of the chosen file systems that a tree can break. */
static int32_t check_tree(const struct node_list *nodes, const struct fsi_options *o)
{
    int iso_like = o->filesystems & (FSI_FS_ISO9660 | FSI_FS_JOLIET);
    for (size_t i = 0; i < nodes->n; i++) {
        struct fsi_node *n = nodes->v[i];
        n->depth = n->parent->depth + 1;
        if ((o->filesystems & FSI_FS_ISO9660) && n->is_dir && n->depth > ISO_MAX_DEPTH)
            return IMAPI_E_ISO9660_LEVELS;
        if (iso_like && n->size > ISO_EXTENT_MAX && !iso_levels[o->iso_level].multi_extent)
            return IMAPI_E_DATA_TOO_BIG;
        if ((o->filesystems & FSI_FS_UDF) && !udf_name_fits(n))
            return IMAPI_E_INVALID_PATH;
    }
    return 0;
}

static int32_t check_options(const struct fsi_options *o)
{
    if (!(o->filesystems & (FSI_FS_ISO9660 | FSI_FS_JOLIET | FSI_FS_UDF)))
        return IMAPI_E_NO_OUTPUT;
    if (o->filesystems & ~(unsigned)(FSI_FS_ISO9660 | FSI_FS_JOLIET | FSI_FS_UDF))
        return IMAPI_E_INVALID_PARAM;
    if ((o->filesystems & (FSI_FS_ISO9660 | FSI_FS_JOLIET)) && (o->iso_level < 1 || o->iso_level > 3))
        return IMAPI_E_INVALID_PARAM;
    if ((o->filesystems & FSI_FS_UDF) && !udf_revision_supported(o->udf_revision))
        return IMAPI_E_INVALID_PARAM;
    return 0;
}

/* ---------------------------------------------------------------- volume names */

/* Volume identifiers per file system: ISO 9660 gets d-characters, the
 * others the name as given (checked by the caller against the documented
 * character sets). Without a name, one is made from the creation time. */
static size_t volume_name(const struct fsi_options *o, int iso, uint16_t *out)
{
    size_t len = 0;
    if (o->volume && o->volume_len) {
        for (size_t i = 0; i < o->volume_len && i < 32; i++) {
            uint16_t c = o->volume[i];
            if (iso)
                c = (c >= 'a' && c <= 'z') ? (uint16_t)(c - 32)
                    : ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') ? c : '_';
            out[len++] = c;
        }
        return len;
    }
    struct fsi_civil c;
    char text[24];
    fsi_civil_from_unix(o->now, &c);
    len = (size_t)snprintf(text, sizeof(text), "%02d%02d%02d_%02d%02d", c.year % 100, c.month, c.day, c.hour,
                           c.minute);
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)text[i];
    return len;
}

/* ---------------------------------------------------------------- layout */

struct layout {
    const struct fsi_options *o;
    unsigned fs; /* what is recorded: Joliet brings the primary tree it supplements */
    struct node_list iso_dirs, joliet_dirs, nodes;
    uint32_t pvd, svd, terminator, vrs_udf;
    uint32_t iso_pt_bytes, iso_l_pt, iso_m_pt;
    uint32_t joliet_pt_bytes, joliet_l_pt, joliet_m_pt;
    struct udf_layout udf;
    uint32_t next;
};

static uint32_t take(struct layout *l, uint32_t blocks)
{
    uint32_t at = l->next;
    l->next += blocks;
    return at;
}

static void place_iso_tree(struct layout *l, int joliet)
{
    struct node_list *dirs = joliet ? &l->joliet_dirs : &l->iso_dirs;
    uint32_t bytes = (uint32_t)iso_path_table_bytes(dirs->v, dirs->n, joliet);
    uint32_t l_pt = take(l, blocks_of(bytes)), m_pt = take(l, blocks_of(bytes));
    if (joliet) {
        l->joliet_pt_bytes = bytes, l->joliet_l_pt = l_pt, l->joliet_m_pt = m_pt;
    } else {
        l->iso_pt_bytes = bytes, l->iso_l_pt = l_pt, l->iso_m_pt = m_pt;
    }
    for (size_t i = 0; i < dirs->n; i++) {
        struct fsi_node *d = dirs->v[i];
        uint32_t size = iso_dir_bytes(d, joliet);
        if (joliet) {
            d->joliet_number = (uint16_t)(i + 1);
            d->joliet_bytes = size;
            d->joliet_lba = take(l, blocks_of(size));
        } else {
            d->iso_number = (uint16_t)(i + 1);
            d->iso_bytes = size;
            d->iso_lba = take(l, blocks_of(size));
        }
    }
}

static int32_t place_everything(struct layout *l, struct fsi_image *img)
{
    const unsigned fs = l->fs;
    struct fsi_node *root = img->tree->root;
    l->next = ISO_FIRST_VD_BLOCK;
    if (fs & FSI_FS_ISO9660)
        l->pvd = take(l, 1);
    if (fs & FSI_FS_JOLIET)
        l->svd = take(l, 1);
    if (fs & (FSI_FS_ISO9660 | FSI_FS_JOLIET))
        l->terminator = take(l, 1);
    if (fs & FSI_FS_UDF) {
        l->vrs_udf = take(l, UDF_VRS_BLOCKS);
        l->next = udf_place_fixed(&l->udf);
    }
    if (fs & FSI_FS_ISO9660)
        place_iso_tree(l, 0);
    if (fs & FSI_FS_JOLIET)
        place_iso_tree(l, 1);
    if (fs & FSI_FS_UDF) {
        root->udf_unique = 0;
        l->next = udf_place_tree(&l->udf, root, l->nodes.v, l->nodes.n, l->next);
    }
    img->meta_blocks = l->next;
    /* file data, in tree order */
    for (size_t i = 0; i < l->nodes.n; i++) {
        struct fsi_node *n = l->nodes.v[i];
        if (n->is_dir || !n->size)
            continue;
        if ((uint64_t)l->next + blocks_of(n->size) + 1 > UINT32_MAX)
            return IMAPI_E_IMAGE_TOO_BIG;
        n->data_lba = take(l, blocks_of(n->size));
        img->files[img->nfiles++] = n;
    }
    if (fs & FSI_FS_UDF) {
        img->has_tail = 1;
        take(l, 1);
    }
    img->total_blocks = l->next;
    return 0;
}

static void render(struct layout *l, struct fsi_image *img)
{
    const unsigned fs = l->fs;
    struct fsi_node *root = img->tree->root;
    uint8_t *m = img->meta;
    uint16_t volume[32];
    for (int joliet = 0; joliet < 2; joliet++) {
        struct node_list *dirs = joliet ? &l->joliet_dirs : &l->iso_dirs;
        if (!(fs & (joliet ? FSI_FS_JOLIET : FSI_FS_ISO9660)))
            continue;
        struct iso_vd_params p = {
            .joliet = joliet,
            .volume = volume,
            .volume_len = volume_name(l->o, !joliet, volume),
            .space_blocks = img->total_blocks,
            .path_table_bytes = joliet ? l->joliet_pt_bytes : l->iso_pt_bytes,
            .l_path_table = joliet ? l->joliet_l_pt : l->iso_l_pt,
            .m_path_table = joliet ? l->joliet_m_pt : l->iso_m_pt,
            .now = l->o->now,
        };
        iso_root_record(root, joliet, p.root_record);
        iso_render_vd(m + (size_t)(joliet ? l->svd : l->pvd) * FSI_BLOCK, &p);
        iso_render_path_table(dirs->v, dirs->n, joliet, 0, m + (size_t)p.l_path_table * FSI_BLOCK);
        iso_render_path_table(dirs->v, dirs->n, joliet, 1, m + (size_t)p.m_path_table * FSI_BLOCK);
        for (size_t i = 0; i < dirs->n; i++)
            iso_render_dir(dirs->v[i], joliet,
                           m + (size_t)(joliet ? dirs->v[i]->joliet_lba : dirs->v[i]->iso_lba) * FSI_BLOCK);
    }
    if (fs & (FSI_FS_ISO9660 | FSI_FS_JOLIET))
        iso_render_terminator(m + (size_t)l->terminator * FSI_BLOCK);
    if (fs & FSI_FS_UDF) {
        struct udf_volume v = {.revision = l->o->udf_revision, .now = l->o->now, .total_blocks = img->total_blocks};
        v.name_len = volume_name(l->o, 0, v.name);
        udf_render_vrs(m + (size_t)l->vrs_udf * FSI_BLOCK, &v);
        udf_render(&l->udf, &v, root, l->nodes.v, l->nodes.n, m);
        udf_render_anchor(&l->udf, &v, img->tail, img->total_blocks - 1);
    }
}

int32_t fsi_image_build(struct fsi_tree *tree, const struct fsi_options *opts, struct fsi_image **out)
{
    struct layout l = {.o = opts};
    struct fsi_image *img = calloc(1, sizeof(*img));
    int32_t hr = img ? check_options(opts) : FSI_E_OUTOFMEMORY;
    *out = NULL;
    if (!img) {
        fsi_tree_free(tree);
        return hr;
    }
    img->tree = tree;
    tree->root->depth = 1;
    /* A Joliet SVD supplements a primary descriptor (ECMA-119 8.4, 8.5):
     * Joliet alone still records the ISO 9660 tree, without holding the tree
     * to ISO 9660's depth limit, which only a chosen ISO 9660 imposes. */
    l.fs = opts->filesystems | ((opts->filesystems & FSI_FS_JOLIET) ? FSI_FS_ISO9660 : 0);
    if (!hr)
        hr = all_nodes(tree->root, &l.nodes);
    if (!hr)
        hr = check_tree(&l.nodes, opts);
    if (!hr && (l.fs & FSI_FS_ISO9660))
        hr = iso_assign_names(tree->root, 0, opts->iso_level);
    if (!hr && (l.fs & FSI_FS_JOLIET))
        hr = iso_assign_names(tree->root, 1, opts->iso_level);
    if (!hr && (l.fs & FSI_FS_ISO9660))
        hr = dirs_breadth_first(tree->root, 0, &l.iso_dirs);
    if (!hr && (l.fs & FSI_FS_JOLIET))
        hr = dirs_breadth_first(tree->root, 1, &l.joliet_dirs);
    if (!hr && (l.iso_dirs.n > UINT16_MAX || l.joliet_dirs.n > UINT16_MAX))
        hr = IMAPI_E_TOO_MANY_DIRS; /* path table parent numbers are 16-bit */
    if (!hr && !(img->files = malloc((l.nodes.n ? l.nodes.n : 1) * sizeof(*img->files))))
        hr = FSI_E_OUTOFMEMORY;
    if (!hr)
        hr = place_everything(&l, img);
    if (!hr && opts->max_blocks && img->total_blocks > opts->max_blocks)
        hr = IMAPI_E_IMAGE_TOO_BIG;
    if (!hr && !(img->meta = calloc(img->meta_blocks, FSI_BLOCK)))
        hr = FSI_E_OUTOFMEMORY;
    if (!hr)
        render(&l, img);
    free(l.iso_dirs.v);
    free(l.joliet_dirs.v);
    free(l.nodes.v);
    if (hr)
        fsi_image_free(img);
    else
        *out = img;
    return hr;
}

uint32_t fsi_image_blocks(const struct fsi_image *image)
{
    return image->total_blocks;
}

/* ---------------------------------------------------------------- reading */

/* The file whose data holds block lba, or NULL (padding or the tail). */
static struct fsi_node *file_at(const struct fsi_image *img, uint32_t lba)
{
    size_t lo = 0, hi = img->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        struct fsi_node *f = img->files[mid];
        if (lba < f->data_lba)
            hi = mid;
        else if (lba >= f->data_lba + blocks_of(f->size))
            lo = mid + 1;
        else
            return f;
    }
    return NULL;
}

/* Reads within one block of the data area. */
static int32_t read_data(struct fsi_image *img, uint64_t offset, uint8_t *buf, size_t len)
{
    uint32_t lba = (uint32_t)(offset / FSI_BLOCK);
    struct fsi_node *f = file_at(img, lba);
    memset(buf, 0, len);
    if (img->has_tail && lba == img->total_blocks - 1) {
        memcpy(buf, img->tail + offset % FSI_BLOCK, len);
        return 0;
    }
    if (!f)
        return 0;
    uint64_t at = offset - (uint64_t)f->data_lba * FSI_BLOCK;
    if (at >= f->size)
        return 0;
    size_t n = f->size - at < len ? (size_t)(f->size - at) : len;
    return f->src.read(f->src.ctx, at, buf, n) ? IMAPI_E_DATA_STREAM_READ_FAILURE : 0;
}

int32_t fsi_image_read(struct fsi_image *img, uint64_t offset, void *buf, size_t len)
{
    uint8_t *out = buf;
    uint64_t end = (uint64_t)img->total_blocks * FSI_BLOCK;
    if (offset > end || len > end - offset)
        return IMAPI_E_INVALID_PARAM;
    uint64_t meta_end = (uint64_t)img->meta_blocks * FSI_BLOCK;
    if (offset < meta_end) {
        size_t n = meta_end - offset < len ? (size_t)(meta_end - offset) : len;
        memcpy(out, img->meta + offset, n);
        out += n, offset += n, len -= n;
    }
    while (len) {
        size_t n = FSI_BLOCK - offset % FSI_BLOCK;
        if (n > len)
            n = len;
        /* a file's run of blocks in one source call */
        struct fsi_node *f = file_at(img, (uint32_t)(offset / FSI_BLOCK));
        if (f) {
            uint64_t run_end = ((uint64_t)f->data_lba + blocks_of(f->size)) * FSI_BLOCK;
            n = run_end - offset < len ? (size_t)(run_end - offset) : len;
        }
        int32_t hr = read_data(img, offset, out, n);
        if (hr)
            return hr;
        out += n, offset += n, len -= n;
    }
    return 0;
}

void fsi_image_free(struct fsi_image *image)
{
    if (!image)
        return;
    fsi_tree_free(image->tree);
    free(image->meta);
    free(image->files);
    free(image);
}
