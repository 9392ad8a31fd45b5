/* libs/fsimage: a directory tree and the disc image of it (ISO 9660 levels
 * 1-3, Joliet, UDF), generated while it is read.
 *
 * The tree holds names (UTF-16), times, sizes and, for each file, a read
 * callback. fsi_image_build lays the image out: all metadata (volume
 * descriptors, path tables, directories, UDF descriptors and file entries)
 * is rendered into memory, whose size depends on the number of items, never
 * on the size of the files; file data is read from its source only when
 * fsi_image_read reaches it. No temporary copy of anything is made.
 *
 * Every function returns 0 (S_OK) or an imapi2fs HRESULT from
 * imapi2fs_errors.def (imapi2fserror.h). No windows.h here. */
#ifndef IMAPI2_FSIMAGE_H
#define IMAPI2_FSIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "imapi2fserror.h"

#define FSI_BLOCK 2048u
/* E_OUTOFMEMORY, the one failure that is not an imapi2fs code. */
#define FSI_E_OUTOFMEMORY ((int32_t)0x8007000EL)

/* FsiFileSystems bits (the same values as the typelib's enum). */
enum fsi_fs {
    FSI_FS_ISO9660 = 1,
    FSI_FS_JOLIET = 2,
    FSI_FS_UDF = 4,
};

/* A file's data: read len bytes at offset into buf; 0 or an HRESULT. */
struct fsi_source {
    int32_t (*read)(void *ctx, uint64_t offset, void *buf, size_t len);
    void (*release)(void *ctx);
    void *ctx;
};

struct fsi_node;
struct fsi_tree;

struct fsi_times {
    int64_t created, accessed, modified; /* seconds since 1970-01-01 UTC */
};

struct fsi_tree *fsi_tree_new(const struct fsi_times *root_times);
void fsi_tree_free(struct fsi_tree *tree);
struct fsi_node *fsi_tree_root(struct fsi_tree *tree);

/* New child of dir; a name that is empty, too long (over FSI_NAME_MAX units),
 * or has a character Windows file names cannot have gives
 * IMAPI_E_INVALID_PATH, a name already there (case-insensitively)
 * IMAPI_E_DUP_NAME. The file takes ownership of src (released with the tree,
 * or at once on failure). */
#define FSI_NAME_MAX 255
int32_t fsi_add_dir(struct fsi_node *dir, const uint16_t *name, size_t len, const struct fsi_times *times,
                    struct fsi_node **out);
int32_t fsi_add_file(struct fsi_node *dir, const uint16_t *name, size_t len, const struct fsi_times *times,
                     uint64_t size, struct fsi_source src, struct fsi_node **out);
void fsi_node_set_hidden(struct fsi_node *node, int hidden);
struct fsi_node *fsi_find_child(const struct fsi_node *dir, const uint16_t *name, size_t len);

/* Name checks the tree applies, for callers that check before adding. */
int32_t fsi_check_name(const uint16_t *name, size_t len);
int fsi_names_equal(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen);

/* UTF-8 -> UTF-16 into out (capacity cap units); the length, or -1. */
long fsi_utf16_from_utf8(const char *s, uint16_t *out, size_t cap);

struct fsi_options {
    unsigned filesystems;    /* FSI_FS_* bits */
    int iso_level;           /* 1, 2 or 3 */
    unsigned udf_revision;   /* 0x102 or 0x201 */
    const uint16_t *volume;  /* volume name, UTF-16; NULL: made from `now` */
    size_t volume_len;
    int64_t now;             /* volume creation time, seconds since 1970 UTC */
    uint32_t max_blocks;     /* FreeMediaBlocks; 0 = no limit */
};

struct fsi_image;

/* Lays out the image of tree (which the image then owns, also on failure).
 * Failures: IMAPI_E_NO_OUTPUT, IMAPI_E_ISO9660_LEVELS, IMAPI_E_DATA_TOO_BIG,
 * IMAPI_E_IMAGE_TOO_BIG, IMAPI_E_INVALID_VOLUME_NAME, IMAPI_E_INVALID_PARAM,
 * IMAPI_E_NO_UNIQUE_NAME, FSI_E_OUTOFMEMORY. */
int32_t fsi_image_build(struct fsi_tree *tree, const struct fsi_options *opts, struct fsi_image **out);
uint32_t fsi_image_blocks(const struct fsi_image *image);
/* Bytes [offset, offset+len) of the image; reading past the end is
 * IMAPI_E_INVALID_PARAM, a source that fails gives
 * IMAPI_E_DATA_STREAM_READ_FAILURE. */
int32_t fsi_image_read(struct fsi_image *image, uint64_t offset, void *buf, size_t len);
void fsi_image_free(struct fsi_image *image);

/* Counts of the tree (FileCount / DirectoryCount; the root is not counted). */
void fsi_tree_counts(const struct fsi_tree *tree, long *files, long *dirs);

#endif
