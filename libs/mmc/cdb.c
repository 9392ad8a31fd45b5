/* CDB builders over one command table. Field positions follow MMC; the
 * comments name the field where the byte alone does not say it. */
#include "cdb.h"

#include <string.h>

#define QUICK_MS 10000u        /* identity, status and setup commands */
#define MEDIUM_MS 60000u       /* data transfer; a WRITE may wait for buffer room */
#define LONG_MS 600000u        /* flushing a whole recording without Immed */
#define BLANK_MS 3600000u      /* a full blank at 1x takes most of an hour */

static const struct mmc_command_info commands[] = {
    { MMC_OP_TEST_UNIT_READY, 6, SCSI_DIR_NONE, QUICK_MS, "TEST UNIT READY" },
    { MMC_OP_REQUEST_SENSE, 6, SCSI_DIR_IN, QUICK_MS, "REQUEST SENSE" },
    { MMC_OP_INQUIRY, 6, SCSI_DIR_IN, QUICK_MS, "INQUIRY" },
    { MMC_OP_START_STOP_UNIT, 6, SCSI_DIR_NONE, MEDIUM_MS, "START STOP UNIT" },
    { MMC_OP_PREVENT_ALLOW, 6, SCSI_DIR_NONE, QUICK_MS, "PREVENT ALLOW MEDIUM REMOVAL" },
    { MMC_OP_READ_CAPACITY, 10, SCSI_DIR_IN, QUICK_MS, "READ CAPACITY" },
    { MMC_OP_READ10, 10, SCSI_DIR_IN, MEDIUM_MS, "READ(10)" },
    { MMC_OP_WRITE10, 10, SCSI_DIR_OUT, MEDIUM_MS, "WRITE(10)" },
    { MMC_OP_SYNCHRONIZE_CACHE, 10, SCSI_DIR_NONE, LONG_MS, "SYNCHRONIZE CACHE" },
    { MMC_OP_READ_TOC, 10, SCSI_DIR_IN, QUICK_MS, "READ TOC/PMA/ATIP" },
    { MMC_OP_GET_CONFIGURATION, 10, SCSI_DIR_IN, QUICK_MS, "GET CONFIGURATION" },
    { MMC_OP_GET_EVENT_STATUS, 10, SCSI_DIR_IN, QUICK_MS, "GET EVENT STATUS NOTIFICATION" },
    { MMC_OP_READ_DISC_INFORMATION, 10, SCSI_DIR_IN, QUICK_MS, "READ DISC INFORMATION" },
    { MMC_OP_READ_TRACK_INFORMATION, 10, SCSI_DIR_IN, QUICK_MS, "READ TRACK INFORMATION" },
    { MMC_OP_MODE_SELECT10, 10, SCSI_DIR_OUT, QUICK_MS, "MODE SELECT(10)" },
    { MMC_OP_MODE_SENSE10, 10, SCSI_DIR_IN, QUICK_MS, "MODE SENSE(10)" },
    { MMC_OP_CLOSE_TRACK_SESSION, 10, SCSI_DIR_NONE, LONG_MS, "CLOSE TRACK/SESSION" },
    { MMC_OP_READ_BUFFER_CAPACITY, 10, SCSI_DIR_IN, QUICK_MS, "READ BUFFER CAPACITY" },
    { MMC_OP_BLANK, 12, SCSI_DIR_NONE, BLANK_MS, "BLANK" },
    { MMC_OP_WRITE12, 12, SCSI_DIR_OUT, MEDIUM_MS, "WRITE(12)" },
    { MMC_OP_GET_PERFORMANCE, 12, SCSI_DIR_IN, QUICK_MS, "GET PERFORMANCE" },
    { MMC_OP_READ_DISC_STRUCTURE, 12, SCSI_DIR_IN, QUICK_MS, "READ DISC STRUCTURE" },
    { MMC_OP_SET_CD_SPEED, 12, SCSI_DIR_NONE, QUICK_MS, "SET CD SPEED" },
    { MMC_OP_READ_CD, 12, SCSI_DIR_IN, MEDIUM_MS, "READ CD" },
    { MMC_OP_SEND_DISC_STRUCTURE, 12, SCSI_DIR_OUT, QUICK_MS, "SEND DISC STRUCTURE" },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))


const struct mmc_command_info *mmc_command_at(size_t index)
{
    return index < COMMAND_COUNT ? &commands[index] : NULL;
}

const struct mmc_command_info *mmc_command_info(uint8_t opcode)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (commands[i].opcode == opcode)
            return &commands[i];
    return NULL;
}

const char *mmc_command_name(uint8_t opcode)
{
    const struct mmc_command_info *c = mmc_command_info(opcode);
    return c ? c->name : "unknown";
}

/* The SendCommand* pages' table. Required CDB length per group (opcode >> 5);
 * 0: not enforced (group 3 "in the future", groups 6 and 7 vendor unique). */
static const uint8_t group_cdb_len[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };
/* Opcodes the pages exempt from the group length. */
static const uint8_t group_len_exempt[] = {
    0x02, 0x05, 0x06, 0x09, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x13, 0x14,
    0x19, 0x20, 0x21, 0x22, 0x23, 0x24, 0x26, 0x27, 0x29, 0x2C, 0x2D,
};

bool mmc_cdb_length_ok(uint8_t opcode, uint32_t len)
{
    uint8_t need = group_cdb_len[opcode >> 5];
    if (len < 6 || len > 16)
        return false;
    for (size_t i = 0; i < sizeof(group_len_exempt); i++)
        if (group_len_exempt[i] == opcode)
            return true;
    return !need || len == need;
}

void mmc_request_init(struct scsi_request *r, uint8_t opcode, void *buf, uint32_t len)
{
    const struct mmc_command_info *c = mmc_command_info(opcode);
    memset(r, 0, sizeof(*r));
    r->cdb[0] = opcode;
    r->buf = buf;
    r->len = len;
    if (!c)
        return;
    r->cdb_len = c->cdb_len;
    r->dir = c->dir;
    r->timeout_ms = c->timeout_ms;
}

static uint16_t clamp16(uint32_t v)
{
    return v > 0xFFFF ? 0xFFFF : (uint16_t)v;
}

static uint8_t clamp8(uint32_t v)
{
    return v > 0xFF ? 0xFF : (uint8_t)v;
}

/* Most 10- and 12-byte MMC commands carry a 16-bit allocation length in bytes 7-8. */
static void init_with_alloc16(struct scsi_request *r, uint8_t opcode, void *buf, uint32_t len)
{
    mmc_request_init(r, opcode, buf, len);
    mmc_put16(r->cdb + 7, clamp16(len));
}

void mmc_build_test_unit_ready(struct scsi_request *r)
{
    mmc_request_init(r, MMC_OP_TEST_UNIT_READY, NULL, 0);
}

void mmc_build_request_sense(struct scsi_request *r, bool descriptor_format, void *buf, uint32_t len)
{
    mmc_request_init(r, MMC_OP_REQUEST_SENSE, buf, len);
    r->cdb[1] = descriptor_format ? 0x01 : 0x00;
    r->cdb[4] = clamp8(len);
}

void mmc_build_inquiry(struct scsi_request *r, void *buf, uint32_t len)
{
    mmc_request_init(r, MMC_OP_INQUIRY, buf, len);
    /* SPC-3 widened the allocation length to bytes 3-4; older drives read byte 4 only,
     * which is the same as long as len stays below 256. */
    mmc_put16(r->cdb + 3, clamp16(len));
}

void mmc_build_start_stop_unit(struct scsi_request *r, bool immed, bool load_eject, bool start)
{
    mmc_request_init(r, MMC_OP_START_STOP_UNIT, NULL, 0);
    r->cdb[1] = immed ? 0x01 : 0x00;
    r->cdb[4] = (uint8_t)((load_eject ? 0x02 : 0x00) | (start ? 0x01 : 0x00));
    if (immed)
        r->timeout_ms = QUICK_MS;
}

void mmc_build_prevent_allow(struct scsi_request *r, bool prevent)
{
    mmc_request_init(r, MMC_OP_PREVENT_ALLOW, NULL, 0);
    r->cdb[4] = prevent ? 0x01 : 0x00;
}

void mmc_build_read_capacity(struct scsi_request *r, void *buf, uint32_t len)
{
    mmc_request_init(r, MMC_OP_READ_CAPACITY, buf, len);
}

void mmc_build_read10(struct scsi_request *r, int32_t lba, uint16_t count, void *buf, uint32_t len)
{
    mmc_request_init(r, MMC_OP_READ10, buf, len);
    mmc_put32(r->cdb + 2, (uint32_t)lba);
    mmc_put16(r->cdb + 7, count);
}

/* WRITE keeps the address signed: raw DAO writes the lead-in at negative LBAs,
 * carried as two's complement in the 32-bit field. */
void mmc_build_write10(struct scsi_request *r, int32_t lba, uint16_t count, const void *buf, uint32_t len)
{
    mmc_request_init(r, MMC_OP_WRITE10, (void *)buf, len);
    mmc_put32(r->cdb + 2, (uint32_t)lba);
    mmc_put16(r->cdb + 7, count);
}

void mmc_build_write12(struct scsi_request *r, int32_t lba, uint32_t count, const void *buf, uint32_t len)
{
    mmc_request_init(r, MMC_OP_WRITE12, (void *)buf, len);
    mmc_put32(r->cdb + 2, (uint32_t)lba);
    mmc_put32(r->cdb + 6, count);
}

void mmc_build_synchronize_cache(struct scsi_request *r, bool immed)
{
    mmc_request_init(r, MMC_OP_SYNCHRONIZE_CACHE, NULL, 0);
    r->cdb[1] = immed ? 0x02 : 0x00;
    if (immed)
        r->timeout_ms = QUICK_MS;
}

void mmc_build_read_toc(struct scsi_request *r, enum mmc_toc_format format, bool msf, uint8_t track_session,
                        void *buf, uint32_t len)
{
    init_with_alloc16(r, MMC_OP_READ_TOC, buf, len);
    r->cdb[1] = msf ? 0x02 : 0x00;
    r->cdb[2] = (uint8_t)(format & 0x0F);
    r->cdb[6] = track_session;
}

void mmc_build_get_configuration(struct scsi_request *r, enum mmc_config_rt rt, uint16_t start_feature, void *buf,
                                 uint32_t len)
{
    init_with_alloc16(r, MMC_OP_GET_CONFIGURATION, buf, len);
    r->cdb[1] = (uint8_t)(rt & 0x03);
    mmc_put16(r->cdb + 2, start_feature);
}

void mmc_build_get_event_status(struct scsi_request *r, uint8_t class_request, void *buf, uint32_t len)
{
    init_with_alloc16(r, MMC_OP_GET_EVENT_STATUS, buf, len);
    r->cdb[1] = 0x01; /* polled: asynchronous notification is not used */
    r->cdb[4] = class_request;
}

void mmc_build_read_disc_information(struct scsi_request *r, void *buf, uint32_t len)
{
    init_with_alloc16(r, MMC_OP_READ_DISC_INFORMATION, buf, len);
}

void mmc_build_read_track_information(struct scsi_request *r, enum mmc_track_address type, uint32_t address,
                                      void *buf, uint32_t len)
{
    init_with_alloc16(r, MMC_OP_READ_TRACK_INFORMATION, buf, len);
    r->cdb[1] = (uint8_t)(type & 0x03);
    mmc_put32(r->cdb + 2, address);
}

void mmc_build_mode_sense10(struct scsi_request *r, enum mmc_page_control pc, uint8_t page_code, void *buf,
                            uint32_t len)
{
    init_with_alloc16(r, MMC_OP_MODE_SENSE10, buf, len);
    r->cdb[2] = (uint8_t)((pc & 0x03) << 6 | (page_code & 0x3F));
}

void mmc_build_mode_select10(struct scsi_request *r, const void *buf, uint32_t len)
{
    init_with_alloc16(r, MMC_OP_MODE_SELECT10, (void *)buf, len);
    r->cdb[1] = 0x10; /* PF: the pages follow the standard format */
}

void mmc_build_close_track_session(struct scsi_request *r, bool immed, uint8_t close_function, uint16_t number)
{
    mmc_request_init(r, MMC_OP_CLOSE_TRACK_SESSION, NULL, 0);
    r->cdb[1] = immed ? 0x01 : 0x00;
    r->cdb[2] = close_function & 0x07;
    mmc_put16(r->cdb + 4, number);
    if (immed)
        r->timeout_ms = QUICK_MS;
}

void mmc_build_read_buffer_capacity(struct scsi_request *r, bool block, void *buf, uint32_t len)
{
    init_with_alloc16(r, MMC_OP_READ_BUFFER_CAPACITY, buf, len);
    r->cdb[1] = block ? 0x01 : 0x00;
}

void mmc_build_blank(struct scsi_request *r, enum mmc_blank_type type, bool immed, uint32_t address)
{
    mmc_request_init(r, MMC_OP_BLANK, NULL, 0);
    r->cdb[1] = (uint8_t)((immed ? 0x10 : 0x00) | (type & 0x07));
    mmc_put32(r->cdb + 2, address);
    if (immed)
        r->timeout_ms = QUICK_MS;
}

void mmc_build_get_performance_write_speed(struct scsi_request *r, uint16_t max_descriptors, void *buf,
                                           uint32_t len)
{
    mmc_request_init(r, MMC_OP_GET_PERFORMANCE, buf, len);
    mmc_put16(r->cdb + 8, max_descriptors);
    r->cdb[10] = 0x03; /* type: write speed descriptors */
}

void mmc_build_set_cd_speed(struct scsi_request *r, uint16_t read_kbs, uint16_t write_kbs)
{
    mmc_request_init(r, MMC_OP_SET_CD_SPEED, NULL, 0);
    mmc_put16(r->cdb + 2, read_kbs);
    mmc_put16(r->cdb + 4, write_kbs);
}

void mmc_build_read_cd(struct scsi_request *r, enum mmc_sector_type type, int32_t lba, uint32_t count,
                       uint8_t flags, enum mmc_subchannel sub, void *buf, uint32_t len)
{
    mmc_request_init(r, MMC_OP_READ_CD, buf, len);
    r->cdb[1] = (uint8_t)((type & 0x07) << 2);
    mmc_put32(r->cdb + 2, (uint32_t)lba);
    mmc_put24(r->cdb + 6, count > 0xFFFFFF ? 0xFFFFFF : count);
    r->cdb[9] = flags;
    r->cdb[10] = (uint8_t)(sub & 0x07);
}

void mmc_build_read_disc_structure(struct scsi_request *r, enum mmc_structure_media media, uint32_t address,
                                   uint8_t layer, uint8_t format, uint8_t agid, void *buf, uint32_t len)
{
    /* Allocation length in bytes 8-9: byte 7 is the format code. */
    mmc_request_init(r, MMC_OP_READ_DISC_STRUCTURE, buf, len);
    r->cdb[1] = (uint8_t)(media & 0x0F);
    mmc_put32(r->cdb + 2, address);
    r->cdb[6] = layer;
    r->cdb[7] = format;
    mmc_put16(r->cdb + 8, clamp16(len));
    r->cdb[10] = (uint8_t)((agid & 0x03) << 6);
}

void mmc_build_send_disc_structure(struct scsi_request *r, enum mmc_structure_media media, uint8_t format,
                                   uint8_t agid, const void *buf, uint32_t len)
{
    /* Parameter list length in bytes 8-9, as above. */
    mmc_request_init(r, MMC_OP_SEND_DISC_STRUCTURE, (void *)buf, len);
    r->cdb[1] = (uint8_t)(media & 0x0F);
    r->cdb[7] = format;
    mmc_put16(r->cdb + 8, clamp16(len));
    r->cdb[10] = (uint8_t)((agid & 0x03) << 6);
}
