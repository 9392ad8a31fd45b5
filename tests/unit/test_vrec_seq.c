/* DVD+R and BD-R sequential recording in the virtual recorder, command by
 * command (cmd_seq.c): GET CONFIGURATION profiles, READ DISC / TRACK
 * INFORMATION of a blank, an open, an appendable and a closed disc, WRITE
 * only at the next writable address, CLOSE TRACK padding to the ECC block,
 * CLOSE SESSION leaving the disc appendable and function 6 closing it,
 * READ(10) of recorded sectors only, READ CAPACITY, and the state file
 * carrying tracks and sessions to a second drive (another process). */
#include "test_vrec_util.h"

static char path[256];

static void read_disc_info(struct vrec_drive *d, uint8_t r[34])
{
    uint8_t cdb[10] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0 };
    memset(r, 0, 34);
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_IN, r, 34);
}

static bool read_track_info(struct vrec_drive *d, int type, uint32_t addr, uint8_t r[36])
{
    uint8_t cdb[10] = { 0x52, (uint8_t)type, (uint8_t)(addr >> 24), (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
                        (uint8_t)addr, 0, 0, 36, 0 };
    memset(r, 0, 36);
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_IN, r, 36);
    return t_good();
}

static void write10(struct vrec_drive *d, int32_t lba, uint16_t count, uint8_t fill)
{
    static uint8_t buf[64 * 2048];
    uint8_t cdb[10] = { 0x2A, 0, (uint8_t)(lba >> 24), (uint8_t)(lba >> 16), (uint8_t)(lba >> 8), (uint8_t)lba, 0,
                        (uint8_t)(count >> 8), (uint8_t)count, 0 };
    memset(buf, fill, (size_t)count * 2048);
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_OUT, buf, (uint32_t)count * 2048);
}

static void close_function(struct vrec_drive *d, int function, uint16_t number)
{
    uint8_t cdb[10] = { 0x5B, 0, (uint8_t)function, 0, (uint8_t)(number >> 8), (uint8_t)number, 0, 0, 0, 0 };
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_NONE, NULL, 0);
}

static bool read10(struct vrec_drive *d, int32_t lba, uint8_t out[2048])
{
    uint8_t cdb[10] = { 0x28, 0, (uint8_t)(lba >> 24), (uint8_t)(lba >> 16), (uint8_t)(lba >> 8), (uint8_t)lba, 0, 0, 1, 0 };
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_IN, out, 2048);
    return t_good();
}

static void test_kind(enum vrec_media_kind kind, uint16_t profile, uint32_t capacity, uint32_t unit)
{
    uint8_t r[36], sector[2048];
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, kind, NULL, NULL);
    uint8_t gc[10] = { 0x46, 0, 0, 0, 0, 0, 0, 0, 8, 0 };
    t_exec(d, gc, sizeof(gc), SCSI_DIR_IN, r, 8);
    ok(t_good() && t_be16(r + 6) == profile, "current profile %#x\n", t_be16(r + 6));

    read_disc_info(d, r);
    ok(t_good() && (r[2] & 0x1F) == 0x00 && r[4] == 1 && r[5] == 1 && r[6] == 1, "blank: empty disc, 1 session\n");
    ok(read_track_info(d, 1, 0xFF, r) && (r[6] & 0x40) && (r[7] & 1) && t_be32(r + 12) == 0 &&
           t_be32(r + 16) == capacity,
       "invisible track: blank, NWA 0, free %u\n", t_be32(r + 16));

    write10(d, 16, 1, 1);
    ok(t_sense_is(5, 0x21, 0x02), "WRITE away from the NWA: 05/21/02, " T_SENSE_FMT "\n", T_SENSE_ARGS);
    write10(d, 0, 40, 0xA1);
    ok(t_good(), "WRITE 40 at 0\n");
    write10(d, 41, 1, 0xA1);
    ok(t_sense_is(5, 0x21, 0x02), "WRITE past the open track's NWA: 05/21/02\n");
    read_disc_info(d, r);
    ok((r[2] & 0x03) == 1 && ((r[2] >> 2) & 3) == 1, "writing: incomplete disc, incomplete session\n");
    ok(read_track_info(d, 1, 1, r) && !(r[6] & 0x40) && t_be32(r + 12) == 40, "open track 1: NWA 40\n");
    close_function(d, 1, 1);
    ok(t_good(), "CLOSE TRACK 1\n");
    ok(read_track_info(d, 1, 1, r) && t_be32(r + 8) == 0 && t_be32(r + 24) == 40 && t_be32(r + 28) == 39 &&
           (r[7] & 2),
       "fixed track 1: 0, 40 sectors, LRA 39\n");
    ok(read_track_info(d, 1, 0xFF, r) && t_be32(r + 12) == unit * ((40 + unit - 1) / unit),
       "next NWA padded to the %u-sector block: %u\n", unit, t_be32(r + 12));
    close_function(d, 2, 0);
    ok(t_good(), "CLOSE SESSION\n");
    read_disc_info(d, r);
    ok((r[2] & 0x03) == 1 && ((r[2] >> 2) & 3) == 0 && r[4] == 2 && r[5] == 2 && r[6] == 2,
       "appendable: incomplete disc, empty last session, 2 sessions, track 2 next (%02x %u %u %u)\n", r[2], r[4],
       r[5], r[6]);
    ok(read_track_info(d, 2, 1, r) && r[2] == 1 && read_track_info(d, 2, 2, r) && r[2] == 2 && (r[6] & 0x40),
       "READ TRACK INFORMATION by session\n");
    ok(read10(d, 39, sector) && sector[0] == 0xA1 && sector[2047] == 0xA1, "READ(10) of a recorded sector\n");
    ok(!read10(d, 40, sector) && t_sense_is(5, 0x21, 0x00), "READ(10) of a blank one: 05/21/00\n");
    uint8_t cap[8], rc[10] = { 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    t_exec(d, rc, sizeof(rc), SCSI_DIR_IN, cap, 8);
    ok(t_good() && t_be32(cap) == 39 && t_be32(cap + 4) == 2048, "READ CAPACITY: last recorded 39\n");
    vrec_close(d);

    /* another process appends a session and closes the disc */
    d = t_open(path, kind, NULL, NULL);
    int32_t second = (int32_t)(unit * ((40 + unit - 1) / unit));
    write10(d, second, 8, 0xB2);
    ok(t_good(), "second session at %d from a second drive\n", second);
    close_function(d, 6, 0);
    ok(t_good(), "finalise\n");
    read_disc_info(d, r);
    ok((r[2] & 0x03) == 2 && ((r[2] >> 2) & 3) == 3 && r[4] == 2 && r[5] == 2 && r[6] == 2,
       "closed: complete disc, 2 sessions, last session track 2\n");
    ok(!read_track_info(d, 1, 0xFF, r), "no invisible track on a closed disc\n");
    write10(d, second + 8, 1, 0);
    ok(t_sense_is(5, 0x21, 0x02), "WRITE on a closed disc: 05/21/02\n");
    close_function(d, 2, 0);
    ok(t_sense_is(5, 0x2C, 0x00), "CLOSE SESSION with nothing open: 05/2C/00\n");
    ok(read10(d, second + 7, sector) && sector[0] == 0xB2, "the second session reads back\n");
    vrec_close(d);
    t_media_remove(path);
}

/* DVD-R records only with page 05 set to incremental writing of Mode 1
 * blocks, and closes as its multi-session field says. */
static void test_dvd_dash_r(void)
{
    uint8_t r[36];
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_DVDR, NULL, NULL);
    write10(d, 0, 4, 1);
    ok(t_sense_is(5, 0x64, 0x00), "DVD-R with the power-on page 05 (TAO): 05/64/00\n");
    uint8_t sense10[10] = { 0x5A, 0, 0x05, 0, 0, 0, 0, 0, 60, 0 }, page[60];
    t_exec(d, sense10, sizeof(sense10), SCSI_DIR_IN, page, 60);
    ok(t_good(), "MODE SENSE page 05\n");
    page[0] = page[1] = 0;
    page[8 + 2] = (uint8_t)(page[8 + 2] & 0xF0);       /* write type 0: incremental */
    page[8 + 3] = (uint8_t)(page[8 + 3] & 0x1F) | 0x20; /* FP: fixed packets, refused */
    page[8 + 4] = 8;
    uint8_t select10[10] = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, 60, 0 };
    t_exec(d, select10, sizeof(select10), SCSI_DIR_OUT, page, 60);
    ok(t_sense_is(5, 0x26, 0x00), "fixed packets: 05/26/00\n");
    page[8 + 3] = (uint8_t)(page[8 + 3] & 0x1F);       /* variable packets, multi-session 00b */
    t_exec(d, select10, sizeof(select10), SCSI_DIR_OUT, page, 60);
    ok(t_good(), "incremental, variable packets, Mode 1: accepted\n");
    write10(d, 0, 4, 7);
    ok(t_good(), "WRITE at 0\n");
    close_function(d, 6, 0);
    ok(t_sense_is(5, 0x24, 0x00), "function 6 on DVD-R: 05/24/00\n");
    close_function(d, 2, 0);
    ok(t_good(), "CLOSE SESSION\n");
    read_disc_info(d, r);
    ok((r[2] & 0x03) == 2, "multi-session 00b: the disc is closed\n");
    ok(!read_track_info(d, 1, 0xFF, r), "no invisible track\n");
    vrec_close(d);
    t_media_remove(path);

    d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL); /* incremental is DVD-R's */
    t_exec(d, select10, sizeof(select10), SCSI_DIR_OUT, page, 60);
    ok(t_sense_is(5, 0x26, 0x00), "write type 0 with a CD-R loaded: 05/26/00\n");
    vrec_close(d);
    t_media_remove(path);
}

int main(void)
{
    t_media_path(path, sizeof(path), "seq");
    test_kind(VREC_MEDIA_DVDPLUSR, 0x001B, 2295104, 16);
    test_kind(VREC_MEDIA_BDR, 0x0041, 12219392, 32);
    test_dvd_dash_r();
    return okay_summary("vrec_seq");
}
