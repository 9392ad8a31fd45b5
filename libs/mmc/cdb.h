/* MMC command descriptor blocks: one table of the commands the project sends
 * (opcode, name, CDB length, data direction, default timeout) and one builder
 * per command. A builder fills a whole struct scsi_request (cdb, cdb_len,
 * dir, buf, len, timeout_ms) and clears its outputs, so a request can be
 * built, run through a transport and rebuilt without leftovers. Allocation /
 * parameter list length fields are derived from len (clamped to the field). */
#ifndef IMAPI2_MMC_CDB_H
#define IMAPI2_MMC_CDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc/geometry.h"
#include "transport/transport.h"

enum mmc_opcode {
    MMC_OP_TEST_UNIT_READY = 0x00,
    MMC_OP_REQUEST_SENSE = 0x03,
    MMC_OP_INQUIRY = 0x12,
    MMC_OP_START_STOP_UNIT = 0x1B,
    MMC_OP_PREVENT_ALLOW = 0x1E,
    MMC_OP_READ_CAPACITY = 0x25,
    MMC_OP_READ10 = 0x28,
    MMC_OP_WRITE10 = 0x2A,
    MMC_OP_SYNCHRONIZE_CACHE = 0x35,
    MMC_OP_READ_TOC = 0x43,
    MMC_OP_GET_CONFIGURATION = 0x46,
    MMC_OP_GET_EVENT_STATUS = 0x4A,
    MMC_OP_READ_DISC_INFORMATION = 0x51,
    MMC_OP_READ_TRACK_INFORMATION = 0x52,
    MMC_OP_MODE_SELECT10 = 0x55,
    MMC_OP_MODE_SENSE10 = 0x5A,
    MMC_OP_CLOSE_TRACK_SESSION = 0x5B,
    MMC_OP_READ_BUFFER_CAPACITY = 0x5C,
    MMC_OP_BLANK = 0xA1,
    MMC_OP_WRITE12 = 0xAA,
    MMC_OP_GET_PERFORMANCE = 0xAC,
    MMC_OP_READ_DISC_STRUCTURE = 0xAD,
    MMC_OP_SET_CD_SPEED = 0xBB,
    MMC_OP_READ_CD = 0xBE,
    MMC_OP_SEND_DISC_STRUCTURE = 0xBF
};

struct mmc_command_info {
    uint8_t opcode;
    uint8_t cdb_len;
    enum scsi_direction dir;
    uint32_t timeout_ms; /* default; builders of Immed-less long commands use it */
    const char *name;
};

/* The table, by index (NULL past the end) and by opcode (NULL if unknown). */
const struct mmc_command_info *mmc_command_at(size_t index);
const struct mmc_command_info *mmc_command_info(uint8_t opcode);
/* Name of the command in a request's cdb[0], "unknown" when not in the table. */
const char *mmc_command_name(uint8_t opcode);

/* GET CONFIGURATION request types (RT field). */
enum mmc_config_rt {
    MMC_RT_ALL = 0,     /* every feature from the starting one on */
    MMC_RT_CURRENT = 1, /* only current features */
    MMC_RT_ONE = 2      /* only the starting feature */
};

/* READ TOC/PMA/ATIP formats. */
enum mmc_toc_format {
    MMC_TOC_FORMAT_TOC = 0,
    MMC_TOC_FORMAT_SESSION = 1,
    MMC_TOC_FORMAT_FULL = 2,
    MMC_TOC_FORMAT_ATIP = 4
};

/* READ TRACK INFORMATION address types. */
enum mmc_track_address {
    MMC_TRACK_BY_LBA = 0,
    MMC_TRACK_BY_NUMBER = 1,
    MMC_TRACK_BY_SESSION = 2
};

/* MODE SENSE page control. */
enum mmc_page_control {
    MMC_PC_CURRENT = 0,
    MMC_PC_CHANGEABLE = 1,
    MMC_PC_DEFAULT = 2,
    MMC_PC_SAVED = 3
};

/* BLANK types the project uses (MMC numbers). */
enum mmc_blank_type {
    MMC_BLANK_FULL = 0,
    MMC_BLANK_MINIMAL = 1
};

/* READ CD byte 9 flags and sub-channel selection. */
#define MMC_READ_CD_SYNC 0x80
#define MMC_READ_CD_HEADER 0x20   /* header code 01b: 4-byte header */
#define MMC_READ_CD_SUBHEADER 0x40 /* header code 10b: subheader only */
#define MMC_READ_CD_USER_DATA 0x10
#define MMC_READ_CD_EDC_ECC 0x08
#define MMC_READ_CD_ALL_MAIN 0xF8 /* sync + all headers + user + EDC/ECC: 2352 bytes */
enum mmc_subchannel {
    MMC_SUB_NONE = 0,
    MMC_SUB_RAW_PW = 1,
    MMC_SUB_Q = 2,
    MMC_SUB_RW = 4
};
/* READ CD expected sector type (byte 1 bits 4-2). */
enum mmc_sector_type {
    MMC_SECTOR_ANY = 0,
    MMC_SECTOR_CDDA = 1,
    MMC_SECTOR_MODE1 = 2,
    MMC_SECTOR_MODE2 = 3,
    MMC_SECTOR_MODE2_FORM1 = 4,
    MMC_SECTOR_MODE2_FORM2 = 5
};

/* READ / SEND DISC STRUCTURE media type (byte 1): DVD (and HD DVD), BD. */
enum mmc_structure_media {
    MMC_STRUCTURE_DVD = 0,
    MMC_STRUCTURE_BD = 1
};
/* Both answers and parameter lists start with this header: a 16-bit length
 * of what follows it, then two reserved bytes. */
#define MMC_DISC_STRUCTURE_HEADER 4u

/* GET EVENT STATUS NOTIFICATION class request bits. */
#define MMC_EVENT_CLASS_OPERATIONAL 0x02
#define MMC_EVENT_CLASS_POWER 0x04
#define MMC_EVENT_CLASS_EXTERNAL 0x08
#define MMC_EVENT_CLASS_MEDIA 0x10
#define MMC_EVENT_CLASS_BUSY 0x40

/* SET CD SPEED: 0xFFFF asks for the drive's maximum. 1x = 176 kB/s here. */
#define MMC_SPEED_MAX 0xFFFFu

/* Whether a caller-built CDB of len bytes may be sent for opcode, by the rule
 * of the IDiscRecorder2Ex SendCommand* pages: 6 to 16 bytes, and the length
 * of the opcode's group (00-1F: 6, 20-5F: 10, 80-9F: 16, A0-BF: 12; 60-7F
 * and the vendor-unique C0-FF: any), except the few opcodes early devices
 * used as vendor-unique, for which only 6 to 16 is checked. */
bool mmc_cdb_length_ok(uint8_t opcode, uint32_t len);

/* Clears a request and fills it for an opcode from the table (cdb[0],
 * cdb_len, dir, default timeout) and the data buffer. Unknown opcode: the
 * request gets cdb_len 0, which every transport refuses. */
void mmc_request_init(struct scsi_request *r, uint8_t opcode, void *buf, uint32_t len);

void mmc_build_test_unit_ready(struct scsi_request *r);
void mmc_build_request_sense(struct scsi_request *r, bool descriptor_format, void *buf, uint32_t len);
void mmc_build_inquiry(struct scsi_request *r, void *buf, uint32_t len);
void mmc_build_start_stop_unit(struct scsi_request *r, bool immed, bool load_eject, bool start);
void mmc_build_prevent_allow(struct scsi_request *r, bool prevent);
void mmc_build_read_capacity(struct scsi_request *r, void *buf, uint32_t len);
void mmc_build_read10(struct scsi_request *r, int32_t lba, uint16_t count, void *buf, uint32_t len);
void mmc_build_write10(struct scsi_request *r, int32_t lba, uint16_t count, const void *buf, uint32_t len);
void mmc_build_write12(struct scsi_request *r, int32_t lba, uint32_t count, const void *buf, uint32_t len);
void mmc_build_synchronize_cache(struct scsi_request *r, bool immed);
void mmc_build_read_toc(struct scsi_request *r, enum mmc_toc_format format, bool msf, uint8_t track_session,
                        void *buf, uint32_t len);
void mmc_build_get_configuration(struct scsi_request *r, enum mmc_config_rt rt, uint16_t start_feature, void *buf,
                                 uint32_t len);
void mmc_build_get_event_status(struct scsi_request *r, uint8_t class_request, void *buf, uint32_t len);
void mmc_build_read_disc_information(struct scsi_request *r, void *buf, uint32_t len);
void mmc_build_read_track_information(struct scsi_request *r, enum mmc_track_address type, uint32_t address,
                                      void *buf, uint32_t len);
void mmc_build_mode_sense10(struct scsi_request *r, enum mmc_page_control pc, uint8_t page_code, void *buf,
                            uint32_t len);
/* PF set, SP clear (MMC drives keep no saved pages). */
void mmc_build_mode_select10(struct scsi_request *r, const void *buf, uint32_t len);
void mmc_build_close_track_session(struct scsi_request *r, bool immed, uint8_t close_function, uint16_t number);
void mmc_build_read_buffer_capacity(struct scsi_request *r, bool block, void *buf, uint32_t len);
void mmc_build_blank(struct scsi_request *r, enum mmc_blank_type type, bool immed, uint32_t address);
/* Write speed descriptors (type 03h): 16 bytes each after an 8-byte header. */
void mmc_build_get_performance_write_speed(struct scsi_request *r, uint16_t max_descriptors, void *buf,
                                           uint32_t len);
/* Speeds in kB/s, MMC_SPEED_MAX for "fastest"; CLV rotation. */
void mmc_build_set_cd_speed(struct scsi_request *r, uint16_t read_kbs, uint16_t write_kbs);
void mmc_build_read_cd(struct scsi_request *r, enum mmc_sector_type type, int32_t lba, uint32_t count,
                       uint8_t flags, enum mmc_subchannel sub, void *buf, uint32_t len);
/* agid: 0..3 (authentication grant ID, bits 7-6 of byte 10). */
void mmc_build_read_disc_structure(struct scsi_request *r, enum mmc_structure_media media, uint32_t address,
                                   uint8_t layer, uint8_t format, uint8_t agid, void *buf, uint32_t len);
/* buf holds the parameter list, its 4-byte header included. */
void mmc_build_send_disc_structure(struct scsi_request *r, enum mmc_structure_media media, uint8_t format,
                                   uint8_t agid, const void *buf, uint32_t len);

/* Big-endian helpers shared by builders and parsers. */
static inline void mmc_put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static inline void mmc_put24(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 16);
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)v;
}
static inline void mmc_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
static inline uint16_t mmc_get16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}
static inline uint32_t mmc_get24(const uint8_t *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}
static inline uint32_t mmc_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

#endif
