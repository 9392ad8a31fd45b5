/* UDF: volume recognition, volume descriptor sequences, integrity, file
 * set, file entries and directories (one partition, short_ad extents). */
#include <stdio.h>
#include <string.h>

#include "udf.h"
#include "udf_tables.h"

static const struct udf_revision_facts *facts(unsigned revision)
{
    for (size_t i = 0; i < UDF_REVISION_COUNT; i++)
        if (udf_revisions[i].revision == revision)
            return &udf_revisions[i];
    return NULL;
}

int udf_revision_supported(unsigned revision)
{
    return facts(revision) != NULL;
}

/* ---------------------------------------------------------------- encodings */

/* CRC-16 with polynomial x^16+x^12+x^5+1, initial 0 (ECMA-167 1/7.2.6). */
static uint16_t crc_ccitt(const uint8_t *p, size_t n)
{
    uint16_t crc = 0;
    while (n--) {
        crc ^= (uint16_t)(*p++ << 8);
        for (int i = 0; i < 8; i++)
            crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc;
}

/* Fills in the tag of a finished descriptor of `size` bytes. */
static void put_tag(uint8_t *d, uint16_t id, unsigned revision, uint32_t location, size_t size)
{
    uint8_t sum = 0;
    put16le(d, id);
    put16le(d + 2, facts(revision)->descriptor_version);
    d[5] = 0;
    put16le(d + 6, 0); /* serial number */
    put16le(d + 8, crc_ccitt(d + UDF_TAG_SIZE, size - UDF_TAG_SIZE));
    put16le(d + 10, (uint16_t)(size - UDF_TAG_SIZE));
    put32le(d + 12, location);
    for (int i = 0; i < UDF_TAG_SIZE; i++)
        if (i != 4)
            sum = (uint8_t)(sum + d[i]);
    d[4] = sum;
}

static void put_charspec(uint8_t *p)
{
    memset(p, 0, 64);
    memcpy(p + 1, UDF_CS0_INFO, strlen(UDF_CS0_INFO)); /* type 0 = CS0 */
}

/* OSTA compressed unicode: 8 bits a character when all fit, else 16 (big
 * endian); returns the bytes written, compression id included. */
static size_t cs0(const uint16_t *s, size_t len, uint8_t *out)
{
    int wide = 0;
    for (size_t i = 0; i < len; i++)
        wide |= s[i] > 0xFF;
    out[0] = wide ? 16 : 8;
    for (size_t i = 0; i < len; i++) {
        if (wide)
            put16be(out + 1 + 2 * i, s[i]);
        else
            out[1 + i] = (uint8_t)s[i];
    }
    return 1 + len * (wide ? 2 : 1);
}

static size_t cs0_bytes(const uint16_t *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] > 0xFF)
            return 1 + 2 * len;
    return 1 + len;
}

/* dstring: CS0 bytes, zero padded, the used length in the last byte. */
static void put_dstring(uint8_t *p, size_t size, const uint16_t *s, size_t len)
{
    uint8_t tmp[2 * 128 + 1];
    memset(p, 0, size);
    if (!len)
        return;
    while (cs0_bytes(s, len) > size - 1)
        len--;
    size_t n = cs0(s, len, tmp);
    memcpy(p, tmp, n);
    p[size - 1] = (uint8_t)n;
}

static void put_regid(uint8_t *p, const char *id, const uint8_t *suffix, size_t slen)
{
    memset(p, 0, 32);
    memcpy(p + 1, id, strlen(id));
    if (slen)
        memcpy(p + 24, suffix, slen);
}

static void put_domain(uint8_t *p, unsigned revision)
{
    uint8_t suffix[3] = {(uint8_t)revision, (uint8_t)(revision >> 8), 0};
    put_regid(p, UDF_DOMAIN_ID, suffix, sizeof(suffix));
}

static void put_implementation(uint8_t *p)
{
    put_regid(p, UDF_IMPLEMENTATION_ID, NULL, 0);
}

static void put_time(uint8_t *p, int64_t t)
{
    struct fsi_civil c;
    fsi_civil_from_unix(t, &c);
    put16le(p, 0x1000); /* type 1 (local time), offset 0 minutes: UTC */
    put16le(p + 2, (uint16_t)c.year);
    p[4] = (uint8_t)c.month;
    p[5] = (uint8_t)c.day;
    p[6] = (uint8_t)c.hour;
    p[7] = (uint8_t)c.minute;
    p[8] = (uint8_t)c.second;
    p[9] = p[10] = p[11] = 0;
}

static void put_long_ad(uint8_t *p, uint32_t bytes, uint32_t block, uint32_t unique)
{
    put32le(p, bytes);
    put32le(p + 4, block);
    put16le(p + 8, 0); /* partition reference */
    put16le(p + 10, 0); /* implementation use: flags, then the UDF unique ID */
    put32le(p + 12, unique);
}

/* ---------------------------------------------------------------- layout */

static uint32_t extents_of(uint64_t size)
{
    return (uint32_t)((size + UDF_EXTENT_PIECE - 1) / UDF_EXTENT_PIECE);
}

int udf_name_fits(const struct fsi_node *n)
{
    return cs0_bytes(n->name, n->name_len) <= 255 && extents_of(n->size) <= UDF_MAX_ADS;
}

uint32_t udf_place_fixed(struct udf_layout *u)
{
    u->partition_start = UDF_PARTITION_START;
    return UDF_PARTITION_START + 2; /* file set descriptor and its terminator */
}

static size_t fid_size(size_t name_bytes)
{
    return (UDF_FID_FIXED + name_bytes + 3) & ~(size_t)3;
}

static uint32_t dir_bytes(const struct fsi_node *d)
{
    size_t bytes = fid_size(0);
    for (size_t i = 0; i < d->nkids; i++)
        bytes += fid_size(cs0_bytes(d->kids[i]->name, d->kids[i]->name_len));
    return (uint32_t)bytes;
}

static uint32_t place_node(struct udf_layout *u, struct fsi_node *n, uint32_t next)
{
    n->udf_fe = next++ - u->partition_start;
    if (n->is_dir) {
        n->udf_dir_bytes = dir_bytes(n);
        n->udf_dir_lba = next - u->partition_start;
        next += blocks_of(n->udf_dir_bytes);
        u->dirs++;
    } else {
        u->files++;
    }
    return next;
}

uint32_t udf_place_tree(struct udf_layout *u, struct fsi_node *root, struct fsi_node *const *nodes, size_t n,
                        uint32_t next)
{
    u->files = u->dirs = 0;
    u->next_unique = UDF_FIRST_UNIQUE;
    next = place_node(u, root, next);
    u->dirs = 0; /* the root is not counted */
    for (size_t i = 0; i < n; i++) {
        nodes[i]->udf_unique = u->next_unique++;
        next = place_node(u, nodes[i], next);
    }
    return next;
}

/* ---------------------------------------------------------------- descriptors */

void udf_render_vrs(uint8_t *out, const struct udf_volume *v)
{
    const char *ids[UDF_VRS_BLOCKS] = {"BEA01", facts(v->revision)->nsr, "TEA01"};
    for (int i = 0; i < UDF_VRS_BLOCKS; i++) {
        uint8_t *b = out + (size_t)i * FSI_BLOCK;
        memset(b, 0, FSI_BLOCK);
        memcpy(b + 1, ids[i], 5); /* structure type 0, identifier, version 1 */
        b[6] = 1;
    }
}

static uint32_t partition_blocks(const struct udf_layout *u, const struct udf_volume *v)
{
    return v->total_blocks - 1 - u->partition_start; /* the last block is the second anchor */
}

static void render_vds(const struct udf_layout *u, const struct udf_volume *v, uint8_t *b, uint16_t id,
                       uint32_t vdsn, uint32_t lba)
{
    uint8_t suffix[4];
    size_t size = UDF_TD_SIZE;
    memset(b, 0, FSI_BLOCK);
    switch (id) {
    case UDF_TAG_PVD: {
        uint16_t set_id[48];
        char hex[17];
        size_t set_len = 0;
        size = UDF_PVD_SIZE;
        put32le(b + PVD_VDSN, vdsn);
        put_dstring(b + PVD_VOLUME_ID, 32, v->name, v->name_len);
        put16le(b + PVD_SEQ, 1);
        put16le(b + PVD_MAX_SEQ, 1);
        put16le(b + PVD_LEVEL, 2);
        put16le(b + PVD_MAX_LEVEL, 2);
        put32le(b + PVD_CHARSETS, 1);
        put32le(b + PVD_MAX_CHARSETS, 1);
        /* the volume set identifier starts with 16 unique hex digits (UDF 2.2.2.5) */
        snprintf(hex, sizeof(hex), "%016llX", (unsigned long long)v->now);
        for (int i = 0; i < 16; i++)
            set_id[set_len++] = (uint8_t)hex[i];
        for (size_t i = 0; i < v->name_len; i++)
            set_id[set_len++] = v->name[i];
        put_dstring(b + PVD_SET_ID, 128, set_id, set_len);
        put_charspec(b + PVD_DESC_CHARSET);
        put_charspec(b + PVD_EXPL_CHARSET);
        put_implementation(b + PVD_APPLICATION);
        put_time(b + PVD_TIME, v->now);
        put_implementation(b + PVD_IMPLEMENTATION);
        break;
    }
    case UDF_TAG_IUVD:
        size = UDF_IUVD_SIZE;
        put32le(b + IUVD_VDSN, vdsn);
        suffix[0] = (uint8_t)v->revision, suffix[1] = (uint8_t)(v->revision >> 8), suffix[2] = suffix[3] = 0;
        put_regid(b + IUVD_IMPLEMENTATION, UDF_LV_INFO_ID, suffix, 4);
        put_charspec(b + IUVD_CHARSET);
        put_dstring(b + IUVD_LV_ID, 128, v->name, v->name_len);
        put_implementation(b + IUVD_OWN_IMPLEMENTATION);
        break;
    case UDF_TAG_PD:
        size = UDF_PD_SIZE;
        put32le(b + PD_VDSN, vdsn);
        put16le(b + PD_FLAGS, 1); /* allocated */
        put16le(b + PD_NUMBER, 0);
        {
            char contents[8];
            snprintf(contents, sizeof(contents), "+%s", facts(v->revision)->nsr);
            put_regid(b + PD_CONTENTS, contents, NULL, 0);
        }
        put32le(b + PD_ACCESS, 1); /* read only */
        put32le(b + PD_START, u->partition_start);
        put32le(b + PD_LENGTH, partition_blocks(u, v));
        put_implementation(b + PD_IMPLEMENTATION);
        break;
    case UDF_TAG_LVD:
        size = UDF_LVD_SIZE;
        put32le(b + LVD_VDSN, vdsn);
        put_charspec(b + LVD_CHARSET);
        put_dstring(b + LVD_ID, 128, v->name, v->name_len);
        put32le(b + LVD_BLOCK_SIZE, FSI_BLOCK);
        put_domain(b + LVD_DOMAIN, v->revision);
        put_long_ad(b + LVD_FSD, FSI_BLOCK, 0, 0);
        put32le(b + LVD_MAP_LENGTH, 6);
        put32le(b + LVD_MAPS, 1);
        put_implementation(b + LVD_IMPLEMENTATION);
        put32le(b + LVD_INTEGRITY, UDF_LVID_BLOCKS * FSI_BLOCK);
        put32le(b + LVD_INTEGRITY + 4, UDF_LVID);
        b[LVD_MAP1] = 1;     /* type 1 partition map */
        b[LVD_MAP1 + 1] = 6; /* its length */
        put16le(b + LVD_MAP1 + 2, 1); /* volume sequence number */
        put16le(b + LVD_MAP1 + 4, 0); /* partition number */
        break;
    case UDF_TAG_USD:
        size = UDF_USD_SIZE;
        put32le(b + USD_VDSN, vdsn);
        break;
    }
    put_tag(b, id, v->revision, lba, size);
}

static void render_lvid(const struct udf_layout *u, const struct udf_volume *v, uint8_t *b)
{
    memset(b, 0, FSI_BLOCK);
    put_time(b + LVID_TIME, v->now);
    put32le(b + LVID_TYPE, 1); /* close */
    put64le(b + LVID_NEXT_UNIQUE, u->next_unique);
    put32le(b + LVID_PARTITIONS, 1);
    put32le(b + LVID_IMPL_USE_LENGTH, UDF_LVID_SIZE - LVID_IMPLEMENTATION);
    put32le(b + LVID_FREE, 0);
    put32le(b + LVID_SIZE, partition_blocks(u, v));
    put_implementation(b + LVID_IMPLEMENTATION);
    put32le(b + LVID_FILES, u->files);
    put32le(b + LVID_DIRS, u->dirs);
    put16le(b + LVID_MIN_READ, (uint16_t)v->revision);
    put16le(b + LVID_MIN_WRITE, (uint16_t)v->revision);
    put16le(b + LVID_MAX_WRITE, (uint16_t)v->revision);
    put_tag(b, UDF_TAG_LVID, v->revision, UDF_LVID, UDF_LVID_SIZE);
}

static void render_terminator(const struct udf_volume *v, uint8_t *b, uint32_t location)
{
    memset(b, 0, FSI_BLOCK);
    put_tag(b, UDF_TAG_TD, v->revision, location, UDF_TD_SIZE);
}

static void render_fsd(const struct udf_volume *v, const struct fsi_node *root, uint8_t *b)
{
    memset(b, 0, FSI_BLOCK);
    put_time(b + FSD_TIME, v->now);
    put16le(b + FSD_LEVEL, 3);
    put16le(b + FSD_MAX_LEVEL, 3);
    put32le(b + FSD_CHARSETS, 1);
    put32le(b + FSD_MAX_CHARSETS, 1);
    put_charspec(b + FSD_LV_CHARSET);
    put_dstring(b + FSD_LV_ID, 128, v->name, v->name_len);
    put_charspec(b + FSD_CHARSET);
    put_dstring(b + FSD_ID, 32, v->name, v->name_len);
    put_long_ad(b + FSD_ROOT, FSI_BLOCK, root->udf_fe, 0);
    put_domain(b + FSD_DOMAIN, v->revision);
    put_tag(b, UDF_TAG_FSD, v->revision, 0, UDF_FSD_SIZE);
}

void udf_render_anchor(const struct udf_layout *u, const struct udf_volume *v, uint8_t *b, uint32_t lba)
{
    (void)u;
    memset(b, 0, FSI_BLOCK);
    put32le(b + AVDP_MAIN, UDF_VDS_BLOCKS * FSI_BLOCK);
    put32le(b + AVDP_MAIN + 4, UDF_MAIN_VDS);
    put32le(b + AVDP_RESERVE, UDF_VDS_BLOCKS * FSI_BLOCK);
    put32le(b + AVDP_RESERVE + 4, UDF_RESERVE_VDS);
    put_tag(b, UDF_TAG_AVDP, v->revision, lba, UDF_AVDP_SIZE);
}

/* ---------------------------------------------------------------- files */

static void render_fe(const struct udf_volume *v, const struct fsi_node *n, uint8_t *b)
{
    uint64_t length = n->is_dir ? n->udf_dir_bytes : n->size;
    uint32_t first = n->is_dir ? n->udf_dir_lba : n->data_lba - UDF_PARTITION_START; /* unused when empty */
    uint32_t ads = length ? extents_of(length) : 0, links = 1;
    memset(b, 0, FSI_BLOCK);
    put16le(b + FE_STRATEGY, 4);
    put16le(b + FE_MAX_ENTRIES, 1);
    b[FE_FILE_TYPE] = n->is_dir ? UDF_FILE_TYPE_DIR : UDF_FILE_TYPE_FILE;
    put16le(b + FE_ICB_FLAGS, 0); /* short_ad */
    put32le(b + FE_UID, 0xFFFFFFFF);
    put32le(b + FE_GID, 0xFFFFFFFF);
    put32le(b + FE_PERMISSIONS, n->is_dir ? UDF_PERM_DIR : UDF_PERM_FILE);
    for (size_t i = 0; n->is_dir && i < n->nkids; i++)
        links += n->kids[i]->is_dir;
    put16le(b + FE_LINKS, links);
    put64le(b + FE_INFO_LENGTH, length);
    put64le(b + FE_BLOCKS, blocks_of(length));
    put_time(b + FE_ACCESS_TIME, n->times.accessed);
    put_time(b + FE_MODIFY_TIME, n->times.modified);
    put_time(b + FE_ATTR_TIME, n->times.modified);
    put32le(b + FE_CHECKPOINT, 1);
    put_implementation(b + FE_IMPLEMENTATION);
    put64le(b + FE_UNIQUE, n->udf_unique);
    put32le(b + FE_AD_LENGTH, ads * UDF_SHORT_AD);
    for (uint32_t i = 0; i < ads; i++) {
        uint64_t left = length - (uint64_t)i * UDF_EXTENT_PIECE;
        uint8_t *ad = b + UDF_FE_FIXED + i * UDF_SHORT_AD;
        put32le(ad, (uint32_t)(left < UDF_EXTENT_PIECE ? left : UDF_EXTENT_PIECE));
        put32le(ad + 4, first + i * (uint32_t)(UDF_EXTENT_PIECE / FSI_BLOCK));
    }
    put_tag(b, UDF_TAG_FE, v->revision, n->udf_fe, UDF_FE_FIXED + ads * UDF_SHORT_AD);
}

static size_t render_fid(const struct udf_volume *v, uint8_t *out, uint32_t block, uint8_t flags,
                         const struct fsi_node *target, const struct fsi_node *named)
{
    uint8_t name[256];
    size_t nlen = named ? cs0(named->name, named->name_len, name) : 0;
    size_t size = fid_size(nlen);
    memset(out, 0, size);
    put16le(out + FID_VERSION, 1);
    out[FID_CHARACTERISTICS] = flags;
    out[FID_NAME_LENGTH] = (uint8_t)nlen;
    put_long_ad(out + FID_ICB, FSI_BLOCK, target->udf_fe, (uint32_t)target->udf_unique);
    put16le(out + FID_IU_LENGTH, 0);
    memcpy(out + UDF_FID_FIXED, name, nlen);
    put_tag(out, UDF_TAG_FID, v->revision, block, size);
    return size;
}

static void render_dir(const struct udf_volume *v, const struct fsi_node *d, uint8_t *out)
{
    const struct fsi_node *parent = d->parent ? d->parent : d;
    size_t pos = render_fid(v, out, d->udf_dir_lba, FID_DIRECTORY | FID_PARENT, parent, NULL);
    for (size_t i = 0; i < d->nkids; i++) {
        const struct fsi_node *k = d->kids[i];
        uint8_t flags = (uint8_t)((k->is_dir ? FID_DIRECTORY : 0) | (k->hidden ? FID_HIDDEN : 0));
        pos += render_fid(v, out + pos, d->udf_dir_lba + (uint32_t)(pos / FSI_BLOCK), flags, k, k);
    }
}

static void render_node(const struct udf_layout *u, const struct udf_volume *v, const struct fsi_node *n,
                        uint8_t *meta)
{
    render_fe(v, n, meta + (size_t)(u->partition_start + n->udf_fe) * FSI_BLOCK);
    if (n->is_dir)
        render_dir(v, n, meta + (size_t)(u->partition_start + n->udf_dir_lba) * FSI_BLOCK);
}

void udf_render(const struct udf_layout *u, const struct udf_volume *v, const struct fsi_node *root,
                struct fsi_node *const *nodes, size_t n, uint8_t *meta)
{
    for (int copy = 0; copy < 2; copy++) {
        uint32_t base = copy ? UDF_RESERVE_VDS : UDF_MAIN_VDS;
        for (uint32_t i = 0; i < UDF_VDS_COUNT; i++)
            render_vds(u, v, meta + (size_t)(base + i) * FSI_BLOCK, udf_vds_order[i], i, base + i);
    }
    render_lvid(u, v, meta + (size_t)UDF_LVID * FSI_BLOCK);
    render_terminator(v, meta + (size_t)(UDF_LVID + 1) * FSI_BLOCK, UDF_LVID + 1);
    udf_render_anchor(u, v, meta + (size_t)UDF_ANCHOR * FSI_BLOCK, UDF_ANCHOR);
    render_fsd(v, root, meta + (size_t)u->partition_start * FSI_BLOCK);
    render_terminator(v, meta + (size_t)(u->partition_start + 1) * FSI_BLOCK, 1);
    render_node(u, v, root, meta);
    for (size_t i = 0; i < n; i++)
        render_node(u, v, nodes[i], meta);
}
