/* CDB builders: exact bytes of every command against the MMC field layout
 * (written out by hand here, not computed), and the command table against
 * the virtual recorder's own dispatch table. */
#include <stdio.h>
#include <string.h>

#include "okay.h"
#include "mmc/cdb.h"
#include "vrec/vrec.h"
#include "mmc/geometry.h"

static uint8_t data[64];
static int covered[256];

static void check(const char *what, const struct scsi_request *r, const uint8_t *want, size_t want_len,
                  enum scsi_direction dir, const void *buf, uint32_t len)
{
    covered[r->cdb[0]] = 1;
    int same = r->cdb_len == want_len && memcmp(r->cdb, want, want_len) == 0;
    for (size_t i = want_len; i < sizeof(r->cdb); i++)
        same = same && r->cdb[i] == 0;
    ok(same, "%s: cdb_len %u, bytes %02x %02x %02x %02x %02x %02x %02x %02x %02x %02x %02x %02x\n", what,
       r->cdb_len, r->cdb[0], r->cdb[1], r->cdb[2], r->cdb[3], r->cdb[4], r->cdb[5], r->cdb[6], r->cdb[7],
       r->cdb[8], r->cdb[9], r->cdb[10], r->cdb[11]);
    for (size_t i = 0; same && i < want_len; i++)
        if (r->cdb[i] != want[i])
            ok(0, "%s: byte %u is %02x, want %02x\n", what, (unsigned)i, r->cdb[i], want[i]);
    ok(r->dir == dir && r->buf == buf && r->len == len, "%s: dir %d buf %p len %u\n", what, r->dir, r->buf, r->len);
    ok(r->timeout_ms > 0 && r->status == 0 && r->sense_len == 0 && r->resid == 0, "%s: timeout %u, outputs clear\n",
       what, r->timeout_ms);
}

#define CHECK(what, r, dir, buf, len, ...)                                                     \
    do {                                                                                       \
        static const uint8_t want_[] = { __VA_ARGS__ };                                        \
        check(what, r, want_, sizeof(want_), dir, buf, len);                                   \
    } while (0)

static void test_unit_commands(void)
{
    struct scsi_request r;
    memset(&r, 0xAB, sizeof(r)); /* leftovers must be cleared */
    mmc_build_test_unit_ready(&r);
    CHECK("TEST UNIT READY", &r, SCSI_DIR_NONE, NULL, 0, 0x00, 0, 0, 0, 0, 0);
    mmc_build_request_sense(&r, false, data, 18);
    CHECK("REQUEST SENSE", &r, SCSI_DIR_IN, data, 18, 0x03, 0, 0, 0, 18, 0);
    mmc_build_request_sense(&r, true, data, 300);
    CHECK("REQUEST SENSE desc, clamped", &r, SCSI_DIR_IN, data, 300, 0x03, 1, 0, 0, 0xFF, 0);
    mmc_build_inquiry(&r, data, 36);
    CHECK("INQUIRY", &r, SCSI_DIR_IN, data, 36, 0x12, 0, 0, 0, 36, 0);
    mmc_build_inquiry(&r, data, 0x1234);
    CHECK("INQUIRY 16-bit length", &r, SCSI_DIR_IN, data, 0x1234, 0x12, 0, 0, 0x12, 0x34, 0);
    mmc_build_start_stop_unit(&r, false, true, false);
    CHECK("START STOP eject", &r, SCSI_DIR_NONE, NULL, 0, 0x1B, 0, 0, 0, 0x02, 0);
    mmc_build_start_stop_unit(&r, true, true, true);
    CHECK("START STOP load immed", &r, SCSI_DIR_NONE, NULL, 0, 0x1B, 1, 0, 0, 0x03, 0);
    mmc_build_start_stop_unit(&r, false, false, true);
    CHECK("START STOP spin up", &r, SCSI_DIR_NONE, NULL, 0, 0x1B, 0, 0, 0, 0x01, 0);
    mmc_build_prevent_allow(&r, true);
    CHECK("PREVENT", &r, SCSI_DIR_NONE, NULL, 0, 0x1E, 0, 0, 0, 1, 0);
    mmc_build_prevent_allow(&r, false);
    CHECK("ALLOW", &r, SCSI_DIR_NONE, NULL, 0, 0x1E, 0, 0, 0, 0, 0);
    mmc_build_get_event_status(&r, MMC_EVENT_CLASS_MEDIA, data, 8);
    CHECK("GET EVENT STATUS", &r, SCSI_DIR_IN, data, 8, 0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0);
}

static void test_read_write(void)
{
    struct scsi_request r;
    mmc_build_read_capacity(&r, data, 8);
    CHECK("READ CAPACITY", &r, SCSI_DIR_IN, data, 8, 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    mmc_build_read10(&r, 0x01020304, 2, data, 4096);
    CHECK("READ(10)", &r, SCSI_DIR_IN, data, 4096, 0x28, 0, 1, 2, 3, 4, 0, 0, 2, 0);
    mmc_build_write10(&r, CD_TYPICAL_LEADIN_LBA, 26, data, 26 * CD_SECTOR_RAW_PW);
    /* -11634 = 0xFFFFD28E in two's complement */
    CHECK("WRITE(10) lead-in", &r, SCSI_DIR_OUT, data, 26 * CD_SECTOR_RAW_PW, 0x2A, 0, 0xFF, 0xFF, 0xD2, 0x8E, 0, 0, 26, 0);
    mmc_build_write10(&r, 359849, 0x1234, data, 1);
    CHECK("WRITE(10) program", &r, SCSI_DIR_OUT, data, 1, 0x2A, 0, 0x00, 0x05, 0x7D, 0xA9, 0, 0x12, 0x34, 0);
    mmc_build_write12(&r, CD_RAW_IMAGE_START_LBA, 0x01020304, data, 2);
    /* -22650 = 0xFFFFA786 */
    CHECK("WRITE(12)", &r, SCSI_DIR_OUT, data, 2, 0xAA, 0, 0xFF, 0xFF, 0xA7, 0x86, 1, 2, 3, 4, 0, 0);
    mmc_build_synchronize_cache(&r, true);
    CHECK("SYNCHRONIZE CACHE immed", &r, SCSI_DIR_NONE, NULL, 0, 0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0);
    uint32_t immed_timeout = r.timeout_ms;
    mmc_build_synchronize_cache(&r, false);
    CHECK("SYNCHRONIZE CACHE", &r, SCSI_DIR_NONE, NULL, 0, 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    ok(r.timeout_ms > immed_timeout, "a full flush gets a longer timeout (%u vs %u)\n", r.timeout_ms, immed_timeout);
    mmc_build_read_cd(&r, MMC_SECTOR_ANY, 150, 3, MMC_READ_CD_ALL_MAIN, MMC_SUB_RAW_PW, data, 3 * CD_SECTOR_RAW_PW);
    CHECK("READ CD raw", &r, SCSI_DIR_IN, data, 3 * CD_SECTOR_RAW_PW, 0xBE, 0x00, 0, 0, 0, 150, 0, 0, 3, 0xF8, 0x01, 0);
    mmc_build_read_cd(&r, MMC_SECTOR_MODE1, -150, 0x010203, MMC_READ_CD_USER_DATA, MMC_SUB_Q, data, 10);
    CHECK("READ CD mode 1 + Q", &r, SCSI_DIR_IN, data, 10, 0xBE, 0x08, 0xFF, 0xFF, 0xFF, 0x6A, 1, 2, 3, 0x10,
          0x02, 0);
    mmc_build_read_cd(&r, MMC_SECTOR_CDDA, 0, 1, 0x10, MMC_SUB_RW, data, 10);
    CHECK("READ CD audio + R-W", &r, SCSI_DIR_IN, data, 10, 0xBE, 0x04, 0, 0, 0, 0, 0, 0, 1, 0x10, 0x04, 0);
}

static void test_disc_commands(void)
{
    struct scsi_request r;
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_TOC, false, 0, data, 804);
    CHECK("READ TOC 0", &r, SCSI_DIR_IN, data, 804, 0x43, 0, 0, 0, 0, 0, 0, 0x03, 0x24, 0);
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_TOC, true, 2, data, 12);
    CHECK("READ TOC 0 MSF from track 2", &r, SCSI_DIR_IN, data, 12, 0x43, 0x02, 0, 0, 0, 0, 2, 0, 12, 0);
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_SESSION, false, 0, data, 12);
    CHECK("READ TOC 1", &r, SCSI_DIR_IN, data, 12, 0x43, 0, 1, 0, 0, 0, 0, 0, 12, 0);
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_FULL, false, 1, data, 0x10000);
    CHECK("READ TOC 2 clamped", &r, SCSI_DIR_IN, data, 0x10000, 0x43, 0, 2, 0, 0, 0, 1, 0xFF, 0xFF, 0);
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_ATIP, false, 0, data, 28);
    CHECK("READ TOC 4 ATIP", &r, SCSI_DIR_IN, data, 28, 0x43, 0, 4, 0, 0, 0, 0, 0, 28, 0);
    mmc_build_get_configuration(&r, MMC_RT_ALL, 0, data, 8192);
    CHECK("GET CONFIGURATION all", &r, SCSI_DIR_IN, data, 8192, 0x46, 0, 0, 0, 0, 0, 0, 0x20, 0x00, 0);
    mmc_build_get_configuration(&r, MMC_RT_ONE, 0x002E, data, 16);
    CHECK("GET CONFIGURATION one", &r, SCSI_DIR_IN, data, 16, 0x46, 2, 0x00, 0x2E, 0, 0, 0, 0, 16, 0);
    mmc_build_get_configuration(&r, MMC_RT_CURRENT, 0x0102, data, 16);
    CHECK("GET CONFIGURATION current", &r, SCSI_DIR_IN, data, 16, 0x46, 1, 0x01, 0x02, 0, 0, 0, 0, 16, 0);
    mmc_build_read_disc_information(&r, data, 34);
    CHECK("READ DISC INFORMATION", &r, SCSI_DIR_IN, data, 34, 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0);
    mmc_build_read_track_information(&r, MMC_TRACK_BY_NUMBER, 0xFF, data, 36);
    CHECK("READ TRACK INFORMATION", &r, SCSI_DIR_IN, data, 36, 0x52, 1, 0, 0, 0, 0xFF, 0, 0, 36, 0);
    mmc_build_read_track_information(&r, MMC_TRACK_BY_LBA, 0x11223344, data, 36);
    CHECK("READ TRACK INFORMATION by LBA", &r, SCSI_DIR_IN, data, 36, 0x52, 0, 0x11, 0x22, 0x33, 0x44, 0, 0, 36, 0);
    mmc_build_blank(&r, MMC_BLANK_MINIMAL, true, 0);
    CHECK("BLANK minimal immed", &r, SCSI_DIR_NONE, NULL, 0, 0xA1, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    mmc_build_blank(&r, MMC_BLANK_FULL, false, 0x01020304);
    CHECK("BLANK full", &r, SCSI_DIR_NONE, NULL, 0, 0xA1, 0x00, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0);
    mmc_build_close_track_session(&r, true, 2, 0x0102);
    CHECK("CLOSE SESSION", &r, SCSI_DIR_NONE, NULL, 0, 0x5B, 1, 2, 0, 1, 2, 0, 0, 0, 0);
    mmc_build_close_track_session(&r, false, 1, 7);
    CHECK("CLOSE TRACK", &r, SCSI_DIR_NONE, NULL, 0, 0x5B, 0, 1, 0, 0, 7, 0, 0, 0, 0);
}

static void test_setup_commands(void)
{
    struct scsi_request r;
    mmc_build_mode_sense10(&r, MMC_PC_CURRENT, 0x05, data, 60);
    CHECK("MODE SENSE page 05", &r, SCSI_DIR_IN, data, 60, 0x5A, 0, 0x05, 0, 0, 0, 0, 0, 60, 0);
    mmc_build_mode_sense10(&r, MMC_PC_CHANGEABLE, 0x2A, data, 300);
    CHECK("MODE SENSE 2A changeable", &r, SCSI_DIR_IN, data, 300, 0x5A, 0, 0x6A, 0, 0, 0, 0, 0x01, 0x2C, 0);
    mmc_build_mode_sense10(&r, MMC_PC_DEFAULT, 0x3F, data, 8);
    CHECK("MODE SENSE all default", &r, SCSI_DIR_IN, data, 8, 0x5A, 0, 0xBF, 0, 0, 0, 0, 0, 8, 0);
    mmc_build_mode_select10(&r, data, 60);
    CHECK("MODE SELECT", &r, SCSI_DIR_OUT, data, 60, 0x55, 0x10, 0, 0, 0, 0, 0, 0, 60, 0);
    mmc_build_read_buffer_capacity(&r, false, data, 12);
    CHECK("READ BUFFER CAPACITY", &r, SCSI_DIR_IN, data, 12, 0x5C, 0, 0, 0, 0, 0, 0, 0, 12, 0);
    mmc_build_read_buffer_capacity(&r, true, data, 12);
    CHECK("READ BUFFER CAPACITY block", &r, SCSI_DIR_IN, data, 12, 0x5C, 1, 0, 0, 0, 0, 0, 0, 12, 0);
    mmc_build_set_cd_speed(&r, MMC_SPEED_MAX, 8 * MMC_CD_KBS_PER_X);
    CHECK("SET CD SPEED", &r, SCSI_DIR_NONE, NULL, 0, 0xBB, 0, 0xFF, 0xFF, 0x05, 0x80, 0, 0, 0, 0, 0, 0);
    mmc_build_get_performance_write_speed(&r, 4, data, 8 + 64);
    CHECK("GET PERFORMANCE write speed", &r, SCSI_DIR_IN, data, 72, 0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0x03, 0);
}

/* READ / SEND DISC STRUCTURE: byte 7 is the format, the length is in bytes 8-9. */
static void test_disc_structure(void)
{
    struct scsi_request r;
    mmc_build_read_disc_structure(&r, MMC_STRUCTURE_DVD, 0, 0, 0x00, 0, data, 2052);
    CHECK("READ DISC STRUCTURE physical", &r, SCSI_DIR_IN, data, 2052, 0xAD, 0, 0, 0, 0, 0, 0, 0x00, 0x08, 0x04, 0,
          0);
    mmc_build_read_disc_structure(&r, MMC_STRUCTURE_BD, 0x01020304, 1, 0x0C, 3, data, 0x12345);
    CHECK("READ DISC STRUCTURE all fields, clamped", &r, SCSI_DIR_IN, data, 0x12345, 0xAD, 0x01, 1, 2, 3, 4, 1, 0x0C,
          0xFF, 0xFF, 0xC0, 0);
    mmc_build_read_disc_structure(&r, MMC_STRUCTURE_DVD, 0, 0, 0xFF, 5, data, 8);
    CHECK("READ DISC STRUCTURE list, AGID masked", &r, SCSI_DIR_IN, data, 8, 0xAD, 0, 0, 0, 0, 0, 0, 0xFF, 0, 8,
          0x40, 0);
    mmc_build_send_disc_structure(&r, MMC_STRUCTURE_DVD, 0x04, 2, data, 4 + 32);
    CHECK("SEND DISC STRUCTURE", &r, SCSI_DIR_OUT, data, 36, 0xBF, 0, 0, 0, 0, 0, 0, 0x04, 0, 36, 0x80, 0);
}

/* Every command of the table has a builder checked above, and agrees with
 * the virtual recorder's table on length and direction. */
static void test_table(void)
{
    size_t n = 0;
    for (const struct mmc_command_info *c; (c = mmc_command_at(n)) != NULL; n++) {
        ok(covered[c->opcode], "builder of %s (%02x) tested\n", c->name, c->opcode);
        ok(mmc_command_info(c->opcode) == c, "lookup of %02x\n", c->opcode);
        ok(strcmp(mmc_command_name(c->opcode), c->name) == 0, "name of %02x\n", c->opcode);
        const struct vrec_command_info *v;
        for (size_t i = 0; (v = vrec_command_info(i)) != NULL; i++) {
            if (v->opcode == c->opcode)
                ok(v->cdb_len == c->cdb_len && v->dir == c->dir, "%s: vrec says len %u dir %d, we %u %d\n",
                   c->name, v->cdb_len, v->dir, c->cdb_len, c->dir);
        }
    }
    ok(n == 25, "%u commands in the table\n", (unsigned)n);
    ok(mmc_command_info(0xFF) == NULL && strcmp(mmc_command_name(0xFF), "unknown") == 0, "unknown opcode\n");
    struct scsi_request r;
    mmc_request_init(&r, 0xFF, NULL, 0);
    ok(r.cdb_len == 0 && r.cdb[0] == 0xFF, "unknown opcode gets cdb_len 0\n");
}

/* The SendCommand* pages' rule, written out from their text: required size
 * by opcode range, then the exempt opcodes (only 6..16 checked). */
static int page_cdb_len(unsigned op)
{
    if (op <= 0x1F) return 6;
    if (op <= 0x5F) return 10;
    if (op <= 0x7F) return 0; /* "will enforce ... in the future" */
    if (op <= 0x9F) return 16;
    if (op <= 0xBF) return 12;
    return 0;                 /* vendor unique: any size */
}

static void test_cdb_length_rule(void)
{
    static const char exempt[] = "02 05 06 09 0C 0D 0E 0F 10 13 14 19 20 21 22 23 24 26 27 29 2C 2D";
    char hex[3];
    unsigned accepted = 0;
    for (unsigned op = 0; op < 256; op++) {
        snprintf(hex, sizeof(hex), "%02X", op);
        int is_exempt = strstr(exempt, hex) != NULL && (strstr(exempt, hex) - exempt) % 3 == 0;
        int need = is_exempt ? 0 : page_cdb_len(op);
        char wrong[128] = "";
        for (unsigned len = 0; len <= 20; len++) {
            int want = len >= 6 && len <= 16 && (!need || (int)len == need);
            int got = mmc_cdb_length_ok((uint8_t)op, len);
            accepted += got != 0;
            if (got != want)
                snprintf(wrong + strlen(wrong), sizeof(wrong) - strlen(wrong), " %u:%d", len, got);
        }
        ok(!wrong[0], "opcode %02x: lengths judged wrong (len:got)%s\n", op, wrong);
    }
    /* 22 exempt + 32 of group 3 + 64 vendor unique accept 11 lengths; the other 138 one each. */
    ok(accepted == (22 + 32 + 64) * 11 + (256 - 22 - 32 - 64), "%u (opcode, length) pairs accepted\n", accepted);
    ok(mmc_cdb_length_ok(0x12, 6) && !mmc_cdb_length_ok(0x12, 10), "INQUIRY is 6 bytes\n");
    ok(mmc_cdb_length_ok(0xAD, 12) && !mmc_cdb_length_ok(0xAD, 10), "READ DISC STRUCTURE is 12 bytes\n");
    ok(mmc_cdb_length_ok(0x28, 10) && !mmc_cdb_length_ok(0x28, 12), "READ(10) is 10 bytes\n");
    ok(mmc_cdb_length_ok(0x23, 12) && !mmc_cdb_length_ok(0x23, 17), "exempt 23h: any of 6..16 only\n");
    ok(!mmc_cdb_length_ok(0xFF, 5) && mmc_cdb_length_ok(0xFF, 16), "vendor unique: 6..16\n");
}

int main(void)
{
    test_cdb_length_rule();
    test_unit_commands();
    test_read_write();
    test_disc_commands();
    test_setup_commands();
    test_disc_structure();
    test_table();
    return okay_summary("mmc_cdb");
}
