/* Fixed facts of ISO 9660 (ECMA-119) and Joliet that the generator and the
 * tests share: where each volume descriptor field sits and how big it is,
 * directory record and path table record offsets, and the block numbers of
 * the volume recognition area. One table per structure; code indexes them
 * by the enums below. */
#ifndef IMAPI2_ISO9660_TABLES_H
#define IMAPI2_ISO9660_TABLES_H

#include <stdint.h>

struct fsi_field {
    uint16_t offset, size;
};

/* Primary (type 1) and supplementary (type 2, Joliet) volume descriptor,
 * ECMA-119 8.4 / 8.5. */
enum iso_vd_field {
    VD_TYPE, VD_STANDARD_ID, VD_VERSION, VD_FLAGS, VD_SYSTEM_ID, VD_VOLUME_ID, VD_SPACE_SIZE, VD_ESCAPES,
    VD_SET_SIZE, VD_SEQUENCE_NUMBER, VD_BLOCK_SIZE, VD_PATH_TABLE_SIZE, VD_L_PATH_TABLE, VD_OPT_L_PATH_TABLE,
    VD_M_PATH_TABLE, VD_OPT_M_PATH_TABLE, VD_ROOT_RECORD, VD_SET_ID, VD_PUBLISHER_ID, VD_PREPARER_ID,
    VD_APPLICATION_ID, VD_COPYRIGHT_FILE, VD_ABSTRACT_FILE, VD_BIBLIOGRAPHIC_FILE, VD_CREATION_TIME,
    VD_MODIFICATION_TIME, VD_EXPIRATION_TIME, VD_EFFECTIVE_TIME, VD_FILE_STRUCTURE_VERSION, VD_FIELD_COUNT
};
static const struct fsi_field iso_vd_fields[VD_FIELD_COUNT] = {
    [VD_TYPE] = {0, 1},                 [VD_STANDARD_ID] = {1, 5},
    [VD_VERSION] = {6, 1},              [VD_FLAGS] = {7, 1},
    [VD_SYSTEM_ID] = {8, 32},           [VD_VOLUME_ID] = {40, 32},
    [VD_SPACE_SIZE] = {80, 8},          [VD_ESCAPES] = {88, 32},
    [VD_SET_SIZE] = {120, 4},           [VD_SEQUENCE_NUMBER] = {124, 4},
    [VD_BLOCK_SIZE] = {128, 4},         [VD_PATH_TABLE_SIZE] = {132, 8},
    [VD_L_PATH_TABLE] = {140, 4},       [VD_OPT_L_PATH_TABLE] = {144, 4},
    [VD_M_PATH_TABLE] = {148, 4},       [VD_OPT_M_PATH_TABLE] = {152, 4},
    [VD_ROOT_RECORD] = {156, 34},       [VD_SET_ID] = {190, 128},
    [VD_PUBLISHER_ID] = {318, 128},     [VD_PREPARER_ID] = {446, 128},
    [VD_APPLICATION_ID] = {574, 128},   [VD_COPYRIGHT_FILE] = {702, 37},
    [VD_ABSTRACT_FILE] = {739, 37},     [VD_BIBLIOGRAPHIC_FILE] = {776, 37},
    [VD_CREATION_TIME] = {813, 17},     [VD_MODIFICATION_TIME] = {830, 17},
    [VD_EXPIRATION_TIME] = {847, 17},   [VD_EFFECTIVE_TIME] = {864, 17},
    [VD_FILE_STRUCTURE_VERSION] = {881, 1},
};

enum { ISO_VD_PRIMARY = 1, ISO_VD_SUPPLEMENTARY = 2, ISO_VD_TERMINATOR = 255 };
#define ISO_STANDARD_ID "CD001"
/* Joliet's UCS-2 level 3 escape sequence in VD_ESCAPES: %/E */
static const uint8_t joliet_escapes[3] = {0x25, 0x2F, 0x45};

/* Directory record, ECMA-119 9.1. */
enum iso_dr_field {
    DR_LENGTH, DR_EA_LENGTH, DR_EXTENT, DR_DATA_LENGTH, DR_TIME, DR_FLAGS, DR_UNIT_SIZE, DR_GAP,
    DR_SEQUENCE_NUMBER, DR_NAME_LENGTH, DR_NAME, DR_FIELD_COUNT
};
static const struct fsi_field iso_dr_fields[DR_FIELD_COUNT] = {
    [DR_LENGTH] = {0, 1},          [DR_EA_LENGTH] = {1, 1},
    [DR_EXTENT] = {2, 8},          [DR_DATA_LENGTH] = {10, 8},
    [DR_TIME] = {18, 7},           [DR_FLAGS] = {25, 1},
    [DR_UNIT_SIZE] = {26, 1},      [DR_GAP] = {27, 1},
    [DR_SEQUENCE_NUMBER] = {28, 4},[DR_NAME_LENGTH] = {32, 1},
    [DR_NAME] = {33, 0},
};
enum { DR_FLAG_HIDDEN = 0x01, DR_FLAG_DIRECTORY = 0x02, DR_FLAG_MULTI_EXTENT = 0x80 };

/* Path table record, ECMA-119 9.4. */
enum iso_pt_field { PT_NAME_LENGTH, PT_EA_LENGTH, PT_EXTENT, PT_PARENT, PT_NAME, PT_FIELD_COUNT };
static const struct fsi_field iso_pt_fields[PT_FIELD_COUNT] = {
    [PT_NAME_LENGTH] = {0, 1}, [PT_EA_LENGTH] = {1, 1}, [PT_EXTENT] = {2, 4}, [PT_PARENT] = {6, 2}, [PT_NAME] = {8, 0},
};

/* The volume recognition area starts at block 16 (ECMA-119 6.2.1; ECMA-167
 * 2/8.3 uses the same sequence); blocks 0-15 are the system area. */
#define ISO_FIRST_VD_BLOCK 16

/* Identifier limits per interchange level (ECMA-119 10.1-10.3) and Joliet. */
struct iso_level_limits {
    uint8_t file_name, file_ext, file_total, dir_name; /* d-characters */
    int multi_extent;                                    /* files may have several extents */
};
static const struct iso_level_limits iso_levels[4] = {
    [1] = {8, 3, 11, 8, 0},
    [2] = {30, 30, 30, 31, 0},
    [3] = {30, 30, 30, 31, 1},
};
/* One extent holds at most 2^32-1 bytes (32-bit data length); extents other
 * than a file's last must be whole blocks, so a multi-extent file is cut
 * into pieces of this many bytes. */
#define ISO_EXTENT_MAX 0xFFFFFFFFull
#define ISO_EXTENT_PIECE 0xFFFFF800ull
/* Joliet identifiers: at most 64 UCS-2 characters. */
#define JOLIET_NAME_MAX 64
#define ISO_MAX_DEPTH 8 /* ECMA-119 6.8.2.1: root is level 1 */

#endif
