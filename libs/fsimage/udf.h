/* UDF (ECMA-167 / OSTA UDF) pieces of the layout (udf.c). */
#ifndef IMAPI2_UDF_H
#define IMAPI2_UDF_H

#include "fsimage_internal.h"

#define UDF_VRS_BLOCKS 3 /* BEA01, NSR0x, TEA01 */

struct udf_layout {
    uint32_t partition_start;  /* absolute block */
    uint64_t next_unique;      /* next UniqueID after the tree's */
    uint32_t files, dirs;
};

struct udf_volume {
    unsigned revision;
    int64_t now;
    uint32_t total_blocks;
    uint16_t name[32];
    size_t name_len;
};

int udf_revision_supported(unsigned revision);
/* Whether a node's name and size can be recorded. */
int udf_name_fits(const struct fsi_node *n);
/* The fixed area (descriptor sequences, integrity, anchor, file set
 * descriptor); returns the first free absolute block after it. */
uint32_t udf_place_fixed(struct udf_layout *u);
/* File entries and directory data for every node from absolute block next;
 * returns the first block after them. */
uint32_t udf_place_tree(struct udf_layout *u, struct fsi_node *root, struct fsi_node *const *nodes, size_t n,
                        uint32_t next);
void udf_render_vrs(uint8_t *out, const struct udf_volume *v);
void udf_render(const struct udf_layout *u, const struct udf_volume *v, const struct fsi_node *root,
                struct fsi_node *const *nodes, size_t n, uint8_t *meta);
void udf_render_anchor(const struct udf_layout *u, const struct udf_volume *v, uint8_t *block, uint32_t lba);

#endif
