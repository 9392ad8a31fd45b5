/* Fixed facts of UDF (ECMA-167 3rd edition, OSTA UDF 1.02-2.01) that the
 * generator and the tests share: tag identifiers, where the fixed
 * structures sit, field offsets, and what differs per UDF revision. */
#ifndef IMAPI2_UDF_TABLES_H
#define IMAPI2_UDF_TABLES_H

#include <stdint.h>

/* Descriptor tag identifiers (ECMA-167 3/7.2.1, 4/7.2.1). */
enum udf_tag_id {
    UDF_TAG_PVD = 1, UDF_TAG_AVDP = 2, UDF_TAG_IUVD = 4, UDF_TAG_PD = 5, UDF_TAG_LVD = 6, UDF_TAG_USD = 7,
    UDF_TAG_TD = 8, UDF_TAG_LVID = 9, UDF_TAG_FSD = 256, UDF_TAG_FID = 257, UDF_TAG_FE = 261,
};

/* Where the fixed structures go (absolute blocks). The anchor at 256 is
 * ECMA-167 3/8.4.2.1; the rest is this generator's choice. */
enum udf_fixed_block {
    UDF_MAIN_VDS = 32, UDF_RESERVE_VDS = 48, UDF_VDS_BLOCKS = 16, UDF_LVID = 64, UDF_LVID_BLOCKS = 2,
    UDF_ANCHOR = 256, UDF_PARTITION_START = 257,
};
/* The main sequence, block by block from UDF_MAIN_VDS. */
static const uint16_t udf_vds_order[] = {UDF_TAG_PVD, UDF_TAG_IUVD, UDF_TAG_PD, UDF_TAG_LVD, UDF_TAG_USD, UDF_TAG_TD};
#define UDF_VDS_COUNT (sizeof(udf_vds_order) / sizeof(udf_vds_order[0]))

/* Bytes each descriptor covers (its CRC runs over the bytes after the tag). */
enum udf_sizes {
    UDF_TAG_SIZE = 16, UDF_PVD_SIZE = 512, UDF_AVDP_SIZE = 512, UDF_IUVD_SIZE = 512, UDF_PD_SIZE = 512,
    UDF_LVD_SIZE = 446, UDF_USD_SIZE = 24, UDF_TD_SIZE = 512, UDF_LVID_SIZE = 134, UDF_FSD_SIZE = 512,
    UDF_FE_FIXED = 176, UDF_FID_FIXED = 38, UDF_SHORT_AD = 8,
};

/* Field offsets used by more than one function, or by tests. */
enum udf_offsets {
    /* anchor */
    AVDP_MAIN = 16, AVDP_RESERVE = 24,
    /* primary volume descriptor */
    PVD_VDSN = 16, PVD_NUMBER = 20, PVD_VOLUME_ID = 24, PVD_SEQ = 56, PVD_MAX_SEQ = 58, PVD_LEVEL = 60,
    PVD_MAX_LEVEL = 62, PVD_CHARSETS = 64, PVD_MAX_CHARSETS = 68, PVD_SET_ID = 72, PVD_DESC_CHARSET = 200,
    PVD_EXPL_CHARSET = 264, PVD_APPLICATION = 344, PVD_TIME = 376, PVD_IMPLEMENTATION = 388,
    /* implementation use volume descriptor */
    IUVD_VDSN = 16, IUVD_IMPLEMENTATION = 20, IUVD_CHARSET = 52, IUVD_LV_ID = 116, IUVD_OWN_IMPLEMENTATION = 352,
    /* partition descriptor */
    PD_VDSN = 16, PD_FLAGS = 20, PD_NUMBER = 22, PD_CONTENTS = 24, PD_ACCESS = 184, PD_START = 188,
    PD_LENGTH = 192, PD_IMPLEMENTATION = 196,
    /* logical volume descriptor */
    LVD_VDSN = 16, LVD_CHARSET = 20, LVD_ID = 84, LVD_BLOCK_SIZE = 212, LVD_DOMAIN = 216, LVD_FSD = 248,
    LVD_MAP_LENGTH = 264, LVD_MAPS = 268, LVD_IMPLEMENTATION = 272, LVD_INTEGRITY = 432, LVD_MAP1 = 440,
    /* unallocated space descriptor */
    USD_VDSN = 16,
    /* logical volume integrity descriptor */
    LVID_TIME = 16, LVID_TYPE = 28, LVID_NEXT_UNIQUE = 40, LVID_PARTITIONS = 72, LVID_IMPL_USE_LENGTH = 76,
    LVID_FREE = 80, LVID_SIZE = 84, LVID_IMPLEMENTATION = 88, LVID_FILES = 120, LVID_DIRS = 124,
    LVID_MIN_READ = 128, LVID_MIN_WRITE = 130, LVID_MAX_WRITE = 132,
    /* file set descriptor */
    FSD_TIME = 16, FSD_LEVEL = 28, FSD_MAX_LEVEL = 30, FSD_CHARSETS = 32, FSD_MAX_CHARSETS = 36,
    FSD_LV_CHARSET = 48, FSD_LV_ID = 112, FSD_CHARSET = 240, FSD_ID = 304, FSD_ROOT = 400, FSD_DOMAIN = 416,
    /* file entry (ICB tag at 16) */
    FE_STRATEGY = 20, FE_MAX_ENTRIES = 24, FE_FILE_TYPE = 27, FE_ICB_FLAGS = 34, FE_UID = 36, FE_GID = 40,
    FE_PERMISSIONS = 44, FE_LINKS = 48, FE_INFO_LENGTH = 56, FE_BLOCKS = 64, FE_ACCESS_TIME = 72,
    FE_MODIFY_TIME = 84, FE_ATTR_TIME = 96, FE_CHECKPOINT = 108, FE_IMPLEMENTATION = 128, FE_UNIQUE = 160,
    FE_EA_LENGTH = 168, FE_AD_LENGTH = 172,
    /* file identifier descriptor */
    FID_VERSION = 16, FID_CHARACTERISTICS = 18, FID_NAME_LENGTH = 19, FID_ICB = 20, FID_IU_LENGTH = 36,
};

enum { UDF_FILE_TYPE_DIR = 4, UDF_FILE_TYPE_FILE = 5 };
enum { FID_HIDDEN = 0x01, FID_DIRECTORY = 0x02, FID_PARENT = 0x08 };
/* ECMA-167 permission bits: read|execute for owner, group, others. */
enum { UDF_PERM_DIR = 0x14A5, UDF_PERM_FILE = 0x1084 };
/* Longest extent one short_ad records: 2^30 - 1 bytes, cut at a block. */
#define UDF_EXTENT_PIECE 0x3FFFF800ull
#define UDF_MAX_ADS ((2048 - UDF_FE_FIXED) / UDF_SHORT_AD)
/* Unique IDs 1-15 are reserved; the root has 0. */
#define UDF_FIRST_UNIQUE 16

/* Per revision: the descriptor version in tags, the NSR identifier of the
 * volume recognition sequence and partition contents. */
struct udf_revision_facts {
    uint16_t revision, descriptor_version;
    const char *nsr;
};
static const struct udf_revision_facts udf_revisions[] = {
    {0x102, 2, "NSR02"},
    {0x150, 2, "NSR02"},
    {0x200, 3, "NSR03"},
    {0x201, 3, "NSR03"},
};
#define UDF_REVISION_COUNT (sizeof(udf_revisions) / sizeof(udf_revisions[0]))

#define UDF_DOMAIN_ID "*OSTA UDF Compliant"
#define UDF_LV_INFO_ID "*UDF LV Info"
#define UDF_IMPLEMENTATION_ID "*imapi2-open"
#define UDF_CS0_INFO "OSTA Compressed Unicode"

#endif
