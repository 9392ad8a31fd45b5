/* Virtual recorder: raw DAO burns of a hand-made image, the TOC the drive
 * derives from the lead-in Q, reading back, persistence, the media state
 * machine (spoiled writes, CD-RW blanking, test write). */
#include "test_vrec_util.h"
#include "mmc/geometry.h"

static char path[256];

static void read_cd(struct vrec_drive *d, int32_t lba, uint32_t count, uint8_t type, uint8_t flags, uint8_t sub,
                    uint8_t *buf, uint32_t len)
{
    uint8_t cdb[12] = { 0xBE, (uint8_t)(type << 2), (uint8_t)((uint32_t)lba >> 24), (uint8_t)((uint32_t)lba >> 16),
                        (uint8_t)((uint32_t)lba >> 8), (uint8_t)lba, (uint8_t)(count >> 16), (uint8_t)(count >> 8),
                        (uint8_t)count, flags, sub, 0 };
    t_exec(d, cdb, 12, SCSI_DIR_IN, buf, len);
}

static void check_closed_disc(struct vrec_drive *d, int layout)
{
    uint8_t r[256];
    uint8_t rdi[10] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0 };
    t_exec(d, rdi, 10, SCSI_DIR_IN, r, 34);
    ok(t_good() && r[2] == 0x0E && r[3] == 1 && r[5] == 1 && r[6] == 2 && r[8] == 0x00,
       "closed disc info: %02x tracks %u-%u\n", r[2], r[5], r[6]);

    uint8_t toc0[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 255, 0 };
    t_exec(d, toc0, 10, SCSI_DIR_IN, r, 255);
    static const uint8_t want_toc[28] = { 0, 26, 1, 2,
                                          0, 0x14, 1, 0, 0, 0, 0, 0,
                                          0, 0x10, 2, 0, 0, 0, 0x01, 0xC2,
                                          0, 0x10, 0xAA, 0, 0, 0, 0x02, 0xEE };
    ok(t_good() && memcmp(r, want_toc, sizeof(want_toc)) == 0, "TOC format 0: %02x %02x ... %02x%02x\n", r[0], r[1],
       r[26], r[27]);

    uint8_t toc2[10] = { 0x43, 0, 2, 0, 0, 0, 0, 0, 255, 0 };
    t_exec(d, toc2, 10, SCSI_DIR_IN, r, 255);
    /* A0 comes from the first lead-in frame (97:26:66), A1 from the 4th, ... */
    static const uint8_t want_full[4 + 55] = {
        0, 57, 1, 1,
        1, 0x14, 0, 0xA0, 97, 26, 66, 0, 1, 0x00, 0,
        1, 0x10, 0, 0xA1, 97, 26, 69, 0, 2, 0, 0,
        1, 0x10, 0, 0xA2, 97, 26, 72, 0, 0, 12, 0,
        1, 0x14, 0, 0x01, 97, 27, 0, 0, 0, 2, 0,
        1, 0x10, 0, 0x02, 97, 27, 3, 0, 0, 8, 0,
    };
    ok(t_good() && memcmp(r, want_full, sizeof(want_full)) == 0, "full TOC\n");
    for (size_t i = 0; i < sizeof(want_full); i++)
        if (r[i] != want_full[i]) {
            ok(0, "full TOC byte %u: %02x want %02x\n", (unsigned)i, r[i], want_full[i]);
            break;
        }

    uint8_t toc1[10] = { 0x43, 0, 1, 0, 0, 0, 0, 0, 12, 0 };
    t_exec(d, toc1, 10, SCSI_DIR_IN, r, 12);
    static const uint8_t want_s[12] = { 0, 10, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0 };
    ok(t_good() && memcmp(r, want_s, 12) == 0, "session info\n");

    uint8_t cap[10] = { 0x25 };
    t_exec(d, cap, 10, SCSI_DIR_IN, r, 8);
    ok(t_good() && t_be32(r) == T_LEADOUT - 1, "capacity %u\n", t_be32(r));

    uint8_t rti[10] = { 0x52, 0x01, 0, 0, 0, 2, 0, 0, 36, 0 };
    t_exec(d, rti, 10, SCSI_DIR_IN, r, 36);
    ok(t_good() && r[2] == 2 && r[5] == 0 && t_be32(r + 8) == T_TRACK2 && t_be32(r + 24) == T_LEADOUT - T_TRACK2,
       "track 2 info start %u size %u\n", t_be32(r + 8), t_be32(r + 24));

    /* READ CD: full raw sector + raw P-W, byte for byte what a reader expects */
    uint8_t *buf = malloc(CD_SECTOR_RAW_PW * 5), main_[CD_SECTOR_SIZE], ch[8][12], raw[96];
    int bad = 0;
    for (int32_t lba = 0; lba < T_LEADOUT && !bad; lba += 5) {
        read_cd(d, lba, 5, 0, 0xF8, 1, buf, CD_SECTOR_RAW_PW * 5);
        for (int i = 0; i < 5 && !bad; i++) {
            t_plain_main(lba + i, main_);
            t_channels(lba + i, ch);
            memset(raw, 0, 96);
            for (int k = 0; k < 96; k++)
                for (int c = 0; c < 8; c++)
                    if (ch[c][k / 8] & (0x80 >> (k % 8)))
                        raw[k] |= (uint8_t)(0x80 >> c);
            if (layout == 1) { /* PQ only: P from the flag, R-W empty */
                memset(raw, 0, 96);
                memset(ch[0], ch[0][0] ? 0xFF : 0, 12);
                memset(ch[2], 0, 12 * 6);
                for (int k = 0; k < 96; k++)
                    for (int c = 0; c < 2; c++)
                        if (ch[c][k / 8] & (0x80 >> (k % 8)))
                            raw[k] |= (uint8_t)(0x80 >> c);
            }
            bad = !t_good() || memcmp(buf + CD_SECTOR_RAW_PW * i, main_, CD_SECTOR_SIZE) != 0 || memcmp(buf + CD_SECTOR_RAW_PW * i + CD_SECTOR_SIZE, raw, 96);
            if (bad)
                ok(0, "READ CD lba %d differs " T_SENSE_FMT "\n", lba + i, T_SENSE_ARGS);
        }
    }
    ok(!bad, "READ CD of the program area matches the source (layout %d)\n", layout);

    read_cd(d, 5, 1, 2, 0x10, 2, buf, 2048 + 16);
    t_plain_main(5, main_);
    t_channels(5, ch);
    ok(t_good() && t_st.resid == 0 && memcmp(buf, main_ + 16, 2048) == 0 && memcmp(buf + 2048, ch[1], 12) == 0,
       "READ CD Mode 1 user data + formatted Q\n");
    read_cd(d, T_TRACK2, 1, 2, 0x10, 0, buf, CD_SECTOR_SIZE);
    ok(t_sense_is(5, 0x64, 0), "READ CD expecting Mode 1 on audio " T_SENSE_FMT "\n", T_SENSE_ARGS);
    read_cd(d, T_TRACK2, 1, 1, 0x10, 0, buf, CD_SECTOR_SIZE);
    t_plain_main(T_TRACK2, main_);
    ok(t_good() && memcmp(buf, main_, CD_SECTOR_SIZE) == 0, "READ CD audio\n");
    read_cd(d, T_LEADOUT - 1, 2, 0, 0xF8, 0, buf, CD_SECTOR_SIZE * 2);
    ok(t_sense_is(5, 0x21, 0), "READ CD past lead-out " T_SENSE_FMT "\n", T_SENSE_ARGS);
    read_cd(d, 0, 1, 0, 0xF8, 3, buf, CD_SECTOR_RAW_PW);
    ok(t_sense_is(5, 0x24, 0), "sub-channel selection 3 " T_SENSE_FMT "\n", T_SENSE_ARGS);

    uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 10, 0, 0, 2, 0 };
    t_exec(d, r10, 10, SCSI_DIR_IN, buf, 4096);
    t_plain_main(10, main_);
    ok(t_good() && memcmp(buf, main_ + 16, 2048) == 0, "READ(10) LBA 10 descrambled user data\n");
    t_plain_main(11, main_);
    ok(memcmp(buf + 2048, main_ + 16, 2048) == 0, "READ(10) LBA 11\n");
    r10[5] = (uint8_t)T_TRACK2 & 0xFF, r10[4] = T_TRACK2 >> 8;
    t_exec(d, r10, 10, SCSI_DIR_IN, buf, 4096);
    ok(t_sense_is(5, 0x64, 0), "READ(10) on audio " T_SENSE_FMT "\n", T_SENSE_ARGS);
    free(buf);
}

static void test_burn(int layout)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL);
    ok(t_burn_all(d, layout), "burn with layout %d: " T_SENSE_FMT "\n", layout, T_SENSE_ARGS);
    ok(vrec_disc_state(d) == VREC_DISC_CLOSED, "closed after SYNCHRONIZE CACHE: %d\n", vrec_disc_state(d));
    const struct vrec_counters *k = vrec_counters(d);
    ok(k->sectors_written == T_END - CD_TYPICAL_LEADIN_LBA && k->bytes_written == (uint64_t)(T_END - CD_TYPICAL_LEADIN_LBA) * t_sector_size(layout),
       "counted %llu sectors\n", (unsigned long long)k->sectors_written);
    check_closed_disc(d, layout);
    vrec_close(d);

    /* a second drive (as a second process would) sees the same disc */
    d = t_open(path, VREC_MEDIA_NONE, NULL, NULL);
    ok(vrec_disc_state(d) == VREC_DISC_CLOSED, "persisted closed state\n");
    check_closed_disc(d, layout);
    t_mode_select(d, 3, layout, 0, 0);
    uint8_t sector[CD_SECTOR_RAW_PW] = { 0 };
    t_write10(d, CD_TYPICAL_LEADIN_LBA, 1, sector, (uint32_t)t_sector_size(layout));
    ok(t_sense_is(5, 0x21, 0x02), "write on a closed disc " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);

    /* byte-exact storage: the sectors file holds what the host sent */
    char sp[300];
    snprintf(sp, sizeof(sp), "%s.sectors", path);
    FILE *f = fopen(sp, "rb");
    uint8_t rec[CD_SECTOR_RAW_PW], want[CD_SECTOR_RAW_PW];
    int same = f != NULL;
    for (int32_t lba = CD_TYPICAL_LEADIN_LBA; same && lba < T_END; lba += 97) {
        fseek(f, (long)(lba - CD_TYPICAL_LEADIN_LBA) * CD_SECTOR_RAW_PW, SEEK_SET);
        same = fread(rec, 1, CD_SECTOR_RAW_PW, f) == CD_SECTOR_RAW_PW;
        t_make_sector(lba, layout, want);
        same = same && memcmp(rec, want, t_sector_size(layout)) == 0;
    }
    ok(same, "stored sectors equal the written ones\n");
    if (f)
        fclose(f);
}

static void test_write_rules(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL);
    uint8_t buf[CD_SECTOR_RAW_PW * 2];
    t_mode_select(d, 3, 3, 0, 0);
    t_make_sector(CD_TYPICAL_LEADIN_LBA + 1, 3, buf);
    t_write10(d, CD_TYPICAL_LEADIN_LBA + 1, 1, buf, CD_SECTOR_RAW_PW);
    ok(t_sense_is(5, 0x21, 0x02), "first write not at the ATIP lead-in " T_SENSE_FMT "\n", T_SENSE_ARGS);
    ok(vrec_disc_state(d) == VREC_DISC_BLANK, "still blank\n");
    t_write10(d, CD_TYPICAL_LEADIN_LBA - 1, 1, buf, CD_SECTOR_RAW_PW);
    ok(t_sense_is(5, 0x21, 0x00), "write before the lead-in " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_write10(d, 359849 + CD_FIRST_LEADOUT_SECTORS - 1, 2, buf, sizeof(buf));
    ok(t_sense_is(5, 0x21, 0x00), "write past last lead-out + 6750 " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_write10(d, CD_TYPICAL_LEADIN_LBA, 2, buf, CD_SECTOR_RAW_PW);
    ok(t_sense_is(5, 0x24, 0x00), "transfer shorter than the count " T_SENSE_FMT "\n", T_SENSE_ARGS);
    ok(t_burn_range(d, 3, CD_TYPICAL_LEADIN_LBA, CD_TYPICAL_LEADIN_LBA + 10, 5) == CD_TYPICAL_LEADIN_LBA + 10, "first sectors\n");
    ok(vrec_disc_state(d) == VREC_DISC_WRITING, "writing\n");
    t_write10(d, CD_TYPICAL_LEADIN_LBA + 11, 1, buf, CD_SECTOR_RAW_PW);
    ok(t_sense_is(5, 0x21, 0x02), "gap " T_SENSE_FMT "\n", T_SENSE_ARGS);
    /* WRITE(12): 32-bit count, the same rules */
    t_make_sector(CD_TYPICAL_LEADIN_LBA + 10, 3, buf);
    t_make_sector(CD_TYPICAL_LEADIN_LBA + 11, 3, buf + CD_SECTOR_RAW_PW);
    uint32_t at = (uint32_t)(CD_TYPICAL_LEADIN_LBA + 10);
    uint8_t w12[12] = { 0xAA, 0, (uint8_t)(at >> 24), (uint8_t)(at >> 16), (uint8_t)(at >> 8), (uint8_t)at, 0, 0, 0, 2 };
    t_exec(d, w12, 12, SCSI_DIR_OUT, buf, sizeof(buf));
    ok(t_good() && t_st.resid == 0, "WRITE(12) of 2 sectors " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_exec(d, w12, 12, SCSI_DIR_OUT, buf, sizeof(buf));
    ok(t_sense_is(5, 0x21, 0x02), "WRITE(12) rewrite " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_write10(d, CD_TYPICAL_LEADIN_LBA + 5, 1, buf, CD_SECTOR_RAW_PW);
    ok(t_sense_is(5, 0x21, 0x02), "rewrite " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_mode_select(d, 3, 1, 0, 0);
    ok(t_sense_is(5, 0x2C, 0x00), "changing page 05 mid-write " T_SENSE_FMT "\n", T_SENSE_ARGS);

    /* another opener sees a write in progress as indeterminate */
    struct vrec_drive *other = t_open(path, VREC_MEDIA_NONE, NULL, NULL);
    ok(vrec_disc_state(other) == VREC_DISC_INDETERMINATE, "other opener: %d\n", vrec_disc_state(other));
    vrec_close(other);

    /* stop before the lead-out is complete: spoiled */
    ok(t_burn_range(d, 3, CD_TYPICAL_LEADIN_LBA + 12, T_END - 100, 32) == T_END - 100, "most of the disc\n");
    t_sync(d, 0);
    ok(t_good() && vrec_disc_state(d) == VREC_DISC_INDETERMINATE, "short lead-out: indeterminate\n");
    uint8_t r[34], rdi[10] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0 };
    t_exec(d, rdi, 10, SCSI_DIR_IN, r, 34);
    ok(t_good() && r[2] == 0x09, "spoiled disc info %02x\n", r[2]);
    uint8_t toc0[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0 };
    t_exec(d, toc0, 10, SCSI_DIR_IN, r, 34);
    ok(t_sense_is(5, 0x24, 0), "no TOC on a spoiled disc " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);
}

static void test_eject_midway_and_rw(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDRW, NULL, NULL);
    t_mode_select(d, 3, 1, 0, 0);
    ok(t_burn_range(d, 1, CD_TYPICAL_LEADIN_LBA, CD_TYPICAL_LEADIN_LBA + 100, 20) == CD_TYPICAL_LEADIN_LBA + 100, "start writing CD-RW\n");
    uint8_t eject[6] = { 0x1B, 0, 0, 0, 0x02, 0 }, load[6] = { 0x1B, 0, 0, 0, 0x03, 0 };
    t_exec(d, eject, 6, SCSI_DIR_NONE, NULL, 0);
    t_exec(d, load, 6, SCSI_DIR_NONE, NULL, 0);
    t_tur(d);
    ok(vrec_disc_state(d) == VREC_DISC_INDETERMINATE, "eject midway spoils\n");
    uint8_t blank[12] = { 0xA1, 0x01 };
    t_exec(d, blank, 12, SCSI_DIR_NONE, NULL, 0);
    ok(t_good() && vrec_disc_state(d) == VREC_DISC_BLANK, "minimal blank: " T_SENSE_FMT "\n", T_SENSE_ARGS);
    blank[1] = 0x02;
    t_exec(d, blank, 12, SCSI_DIR_NONE, NULL, 0);
    ok(t_sense_is(5, 0x24, 0), "blank type 2 " T_SENSE_FMT "\n", T_SENSE_ARGS);
    ok(t_burn_all(d, 1), "burn the blanked CD-RW\n");
    ok(vrec_disc_state(d) == VREC_DISC_CLOSED, "closed\n");
    blank[1] = 0x00;
    t_exec(d, blank, 12, SCSI_DIR_NONE, NULL, 0);
    ok(t_good() && vrec_disc_state(d) == VREC_DISC_BLANK, "full blank\n");
    vrec_close(d);

    /* test write: goes through, records nothing */
    t_media_remove(path);
    d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL);
    t_mode_select(d, 3, 1, 0, 1);
    ok(t_burn_range(d, 1, CD_TYPICAL_LEADIN_LBA, T_END, 50) == T_END, "simulated burn\n");
    t_sync(d, 0);
    ok(t_good() && vrec_disc_state(d) == VREC_DISC_BLANK, "still blank after a test write\n");
    vrec_close(d);
    t_media_remove(path);
}

/* The test's own scrambler against the first bytes of the ECMA-130 table. */
static void test_scrambler(void)
{
    static const uint8_t first[16] = { 0x01, 0x80, 0x00, 0x60, 0x00, 0x28, 0x00, 0x1E,
                                       0x80, 0x08, 0x60, 0x06, 0xA8, 0x02, 0xFE, 0x81 };
    uint8_t sector[CD_SECTOR_SIZE] = { 0 };
    t_scramble(sector);
    ok(memcmp(sector + 12, first, 16) == 0, "scrambler table starts %02x %02x %02x\n", sector[12], sector[13],
       sector[14]);
}

int main(void)
{
    t_media_path(path, sizeof(path), "burn");
    test_scrambler();
    test_burn(3);
    test_burn(1);
    test_burn(2);
    test_write_rules();
    test_eject_midway_and_rw();
    t_media_remove(path);
    return okay_summary("vrec_burn");
}
