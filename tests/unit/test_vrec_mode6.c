/* Virtual recorder: the 6-byte MODE SENSE and MODE SELECT. Linux sr sends
 * MODE SENSE(6) for page 2A to a drive that is not ATAPI and calls it a
 * read-only "scsi-1" drive when that fails; the answer must be the 4-byte
 * header, no block descriptors, and the same pages as the 10-byte form. */
#include "test_vrec_util.h"

static char path[256];

static void mode_sense6(struct vrec_drive *d, uint8_t byte1, uint8_t pc_page, uint8_t subpage, uint8_t *r,
                        uint8_t alloc)
{
    uint8_t cdb[6] = { 0x1A, byte1, pc_page, subpage, alloc, 0 };
    memset(r, 0xEE, 256);
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_IN, r, alloc);
}

static void mode_sense10(struct vrec_drive *d, uint8_t pc_page, uint8_t *r, uint16_t alloc)
{
    uint8_t cdb[10] = { 0x5A, 0, pc_page, 0, 0, 0, 0, (uint8_t)(alloc >> 8), (uint8_t)alloc, 0 };
    memset(r, 0, alloc);
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_IN, r, alloc);
}

/* Page 2A of a fresh 52x drive with a 2 MiB buffer, behind the 4-byte
 * header: what sr's capability probe reads (CD-R/RW reader and writer,
 * test write, tray, eject, lock, 10 write speed descriptors). */
static const uint8_t want_2a[4 + 72] = {
    75, 0x00, 0x00, 0x00,                   /* mode data length, medium type, device-specific, BD length */
    0x2A, 70,                               /* page code, page length */
    0x0B, 0x07, 0xF1, 0x6F, 0x29, 0x00,     /* read / write / capability bits */
    0x23, 0xD5, 0x00, 0x00, 0x08, 0x00,     /* max read 9173 kB/s, volume levels, buffer 2048 KiB */
    0x23, 0xD5, 0x00, 0x00, 0x23, 0xD5,     /* current read, reserved, max write */
    0x23, 0xD5, 0x00, 0x00, 0x00, 0x00,     /* current write (obsolete field), copy management */
    0x00, 0x00, 0x23, 0xD5, 0x00, 0x0A,     /* reserved, current write speed, 10 descriptors */
    0, 0, 0x23, 0xD5, 0, 0, 0x21, 0x13,     /* 52x, 48x */
    0, 0, 0x1B, 0x90, 0, 0, 0x16, 0x0D,     /* 40x, 32x */
    0, 0, 0x10, 0x8A, 0, 0, 0x0B, 0x06,     /* 24x, 16x */
    0, 0, 0x05, 0x83, 0, 0, 0x02, 0xC2,     /* 8x, 4x */
    0, 0, 0x01, 0x61, 0, 0, 0x00, 0xB0,     /* 2x, 1x */
};

static void test_sense6_page_2a(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL);
    uint8_t r[256];
    mode_sense6(d, 0, 0x2A, 0, r, 128); /* sr's probe: DBD clear, 128 bytes */
    ok(t_good() && t_st.resid == 128 - sizeof(want_2a), "MODE SENSE(6) 2A: " T_SENSE_FMT " resid %u\n", T_SENSE_ARGS,
       (unsigned)t_st.resid);
    ok(memcmp(r, want_2a, sizeof(want_2a)) == 0, "MODE SENSE(6) 2A bytes\n");
    for (size_t i = 0; i < sizeof(want_2a); i++)
        if (r[i] != want_2a[i]) {
            ok(0, "byte %u: %02x, want %02x\n", (unsigned)i, r[i], want_2a[i]);
            break;
        }

    /* the page is the one MODE SENSE(10) gives, after the longer header */
    uint8_t r10[256];
    mode_sense10(d, 0x2A, r10, sizeof(r10));
    ok(t_good() && t_be16(r10) == 6 + 72 && memcmp(r10 + 8, r + 4, 72) == 0, "same page 2A as MODE SENSE(10)\n");

    mode_sense6(d, 0x08, 0x2A, 0, r, 128); /* DBD set: nothing changes, there are no descriptors anyway */
    ok(t_good() && memcmp(r, want_2a, sizeof(want_2a)) == 0, "DBD set: same answer\n");

    mode_sense6(d, 0, 0x2A, 0, r, 4);
    ok(t_good() && t_st.resid == 0 && r[0] == 75 && r[3] == 0 && r[4] == 0xEE,
       "allocation 4: header only, full length %u\n", r[0]);
    mode_sense6(d, 0, 0x2A, 0, r, 0);
    ok(t_good() && r[0] == 0xEE, "allocation 0: no data\n");
    vrec_close(d);
}

static void test_sense6_other_pages(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL);
    uint8_t r[256];
    mode_sense6(d, 0, 0x05, 0, r, 255);
    static const uint8_t want_05[4 + 8] = { 55, 0, 0, 0, 0x05, 0x32, 0x01, 0x04, 0x08, 0, 0, 0 };
    ok(t_good() && t_st.resid == 255 - 56 && memcmp(r, want_05, sizeof(want_05)) == 0 && r[4 + 15] == 150,
       "page 05 default: len %u %02x %02x %02x %02x\n", r[0], r[4], r[5], r[6], r[8]);
    mode_sense6(d, 0, 0x3F, 0, r, 255);
    ok(t_good() && r[0] == 4 + 52 + 72 - 1 && r[4] == 0x05 && r[4 + 52] == 0x2A, "all pages: len %u\n", r[0]);
    mode_sense6(d, 0, 0x45, 0, r, 255);
    ok(t_good() && r[4] == 0x05 && r[4 + 2] == 0x7F && r[4 + 4] == 0x0F, "page 05 changeable %02x %02x\n", r[6],
       r[8]);
    mode_sense6(d, 0, 0xEA, 0, r, 255);
    ok(t_sense_is(5, 0x39, 0), "saved values " T_SENSE_FMT "\n", T_SENSE_ARGS);
    mode_sense6(d, 0, 0x2A, 1, r, 255);
    ok(t_sense_is(5, 0x24, 0), "subpage 1 " T_SENSE_FMT "\n", T_SENSE_ARGS);
    mode_sense6(d, 0, 0x01, 0, r, 255);
    ok(t_sense_is(5, 0x24, 0), "page 01 " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);
}

static void select6(struct vrec_drive *d, uint8_t byte1, uint8_t *p, uint8_t plen, uint32_t sent)
{
    uint8_t cdb[6] = { 0x15, byte1, 0, 0, plen, 0 };
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_OUT, p, sent);
}

static void test_select6(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL);
    uint8_t p[4 + 52] = { 0 }, r[256];
    p[4] = 0x05, p[5] = 0x32, p[6] = 0x40 | 3, p[8] = 1; /* BUFE, raw, data block type 1 */
    select6(d, 0x10, p, sizeof(p), sizeof(p));
    ok(t_good() && t_st.resid == 0, "MODE SELECT(6) page 05: " T_SENSE_FMT "\n", T_SENSE_ARGS);
    mode_sense10(d, 0x05, r, sizeof(r));
    ok(r[8] == 0x05 && r[10] == (0x40 | 3) && r[12] == 1, "page 05 now %02x %02x\n", r[10], r[12]);

    select6(d, 0x00, p, sizeof(p), sizeof(p));
    ok(t_sense_is(5, 0x24, 0), "without PF " T_SENSE_FMT "\n", T_SENSE_ARGS);
    select6(d, 0x11, p, sizeof(p), sizeof(p));
    ok(t_sense_is(5, 0x24, 0), "SP set " T_SENSE_FMT "\n", T_SENSE_ARGS);
    select6(d, 0x10, p, sizeof(p), sizeof(p) - 10);
    ok(t_sense_is(5, 0x1A, 0), "parameter list longer than data " T_SENSE_FMT "\n", T_SENSE_ARGS);
    select6(d, 0x10, p, 5, 5);
    ok(t_sense_is(5, 0x1A, 0), "list shorter than header + page header " T_SENSE_FMT "\n", T_SENSE_ARGS);

    uint8_t bd[4 + 8 + 52] = { 0 };
    bd[3] = 8; /* one block descriptor: MMC drives take none */
    memcpy(bd + 12, p + 4, 52);
    select6(d, 0x10, bd, sizeof(bd), sizeof(bd));
    ok(t_sense_is(5, 0x26, 0), "block descriptor " T_SENSE_FMT "\n", T_SENSE_ARGS);

    p[8] = 8; /* raw with a Mode 1 block type */
    select6(d, 0x10, p, sizeof(p), sizeof(p));
    ok(t_sense_is(5, 0x26, 0), "raw with block type 8 " T_SENSE_FMT "\n", T_SENSE_ARGS);
    mode_sense6(d, 0, 0x05, 0, r, 255);
    ok(t_good() && r[4 + 2] == (0x40 | 3) && r[4 + 4] == 1, "rejected page left page 05 as it was\n");
    vrec_close(d);
}

int main(void)
{
    t_media_path(path, sizeof(path), "mode6");
    test_sense6_page_2a();
    test_sense6_other_pages();
    test_select6();
    t_media_remove(path);
    return okay_summary("vrec_mode6");
}
