/* Shared by the files of libs/fsimage: the node, the per-file-system names
 * and addresses the layout gives each node, and little byte writers. */
#ifndef IMAPI2_FSIMAGE_INTERNAL_H
#define IMAPI2_FSIMAGE_INTERNAL_H

#include "fsimage.h"

struct fsi_node {
    struct fsi_node *parent;
    uint16_t *name;
    size_t name_len;
    int is_dir, hidden;
    struct fsi_times times;
    uint64_t size;
    struct fsi_source src;
    struct fsi_node **kids;
    size_t nkids, capkids;

    /* filled by the layout */
    uint32_t data_lba;                 /* first block of the file's data */
    char iso_name[40];                 /* ISO 9660 identifier (files with ";1") */
    uint8_t iso_name_len;
    uint16_t joliet_name[FSI_NAME_MAX + 2];
    uint8_t joliet_name_len;           /* UTF-16 units */
    uint32_t iso_lba, iso_bytes;       /* ISO 9660 directory extent */
    uint32_t joliet_lba, joliet_bytes; /* Joliet directory extent */
    uint16_t iso_number, joliet_number;/* path table numbers (1 = root) */
    uint32_t udf_fe;                   /* UDF file entry, partition-relative */
    uint32_t udf_dir_lba, udf_dir_bytes; /* UDF directory data, partition-relative */
    uint64_t udf_unique;
    int depth;                         /* root = 1 */
    struct fsi_node **iso_sorted;      /* kids in ISO 9660 identifier order */
    struct fsi_node **joliet_sorted;   /* kids in Joliet identifier order */
};

struct fsi_tree {
    struct fsi_node *root;
};

static inline void put16le(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void put16be(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void put32le(uint8_t *p, uint32_t v) { put16le(p, v); put16le(p + 2, v >> 16); }
static inline void put32be(uint8_t *p, uint32_t v) { put16be(p, v >> 16); put16be(p + 2, v); }
static inline void put64le(uint8_t *p, uint64_t v) { put32le(p, (uint32_t)v); put32le(p + 4, (uint32_t)(v >> 32)); }
/* ISO 9660 "both byte orders" fields (7.2.3, 7.3.3). */
static inline void put16both(uint8_t *p, uint32_t v) { put16le(p, v); put16be(p + 2, v); }
static inline void put32both(uint8_t *p, uint32_t v) { put32le(p, v); put32be(p + 4, v); }

static inline uint32_t blocks_of(uint64_t bytes) { return (uint32_t)((bytes + FSI_BLOCK - 1) / FSI_BLOCK); }

/* Broken-down UTC time. */
struct fsi_civil {
    int year, month, day, hour, minute, second;
};
void fsi_civil_from_unix(int64_t t, struct fsi_civil *out);

#endif
