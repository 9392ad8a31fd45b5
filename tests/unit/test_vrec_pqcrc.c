/* Virtual recorder: who owns the Q CRC. In the 16-byte PQ layout (data block
 * type 1) the drive builds the Q channel's CRC itself, so a host that sends
 * it wrong (cdrdao stores it not inverted) still gets a closed disc with good
 * CRCs on it; in the 96-byte raw P-W layout the drive records what it is
 * given, so the same mistake leaves no readable TOC. */
#include "test_vrec_util.h"
#include "mmc/geometry.h"

static char path[256];

/* cdrdao's form of the CRC: the CCITT remainder stored as is, not inverted. */
static void uninvert_pq_crc(uint8_t *sector)
{
    sector[CD_SECTOR_SIZE + 10] ^= 0xFF;
    sector[CD_SECTOR_SIZE + 11] ^= 0xFF;
}

/* The same mistake in the raw interleaved layout: Q bytes 10-11 are the Q
 * bits (bit 6) of symbols 80..95. */
static void uninvert_raw_crc(uint8_t *sector)
{
    for (int i = 80; i < 96; i++)
        sector[CD_SECTOR_SIZE + i] ^= 0x40;
}

/* A whole burn of the test image with every sector's Q CRC uninverted. */
static int burn_uninverted(struct vrec_drive *d, int layout)
{
    size_t size = t_sector_size(layout);
    enum { CHUNK = 27 };
    uint8_t *buf = malloc(size * CHUNK);
    int good = buf != NULL;
    t_mode_select(d, 3, layout, 0, 0);
    good = good && t_good();
    for (int32_t lba = CD_TYPICAL_LEADIN_LBA; good && lba < T_END; lba += CHUNK) {
        int n = T_END - lba < CHUNK ? T_END - lba : CHUNK;
        for (int i = 0; i < n; i++) {
            uint8_t *s = buf + size * (size_t)i;
            t_make_sector(lba + i, layout, s);
            if (layout == 1)
                uninvert_pq_crc(s);
            else
                uninvert_raw_crc(s);
        }
        t_write10(d, lba, (uint16_t)n, buf, (uint32_t)(size * (size_t)n));
        good = t_good();
    }
    free(buf);
    if (good)
        t_sync(d, 0);
    return good && t_good();
}

static void read_formatted_q(struct vrec_drive *d, int32_t lba, uint8_t q[16])
{
    uint8_t cdb[12] = { 0xBE, 0, (uint8_t)((uint32_t)lba >> 24), (uint8_t)((uint32_t)lba >> 16),
                        (uint8_t)((uint32_t)lba >> 8), (uint8_t)lba, 0, 0, 1, 0x00, 2, 0 };
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_IN, q, 16);
}

static void test_pq_crc_built_by_drive(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL);
    ok(burn_uninverted(d, 1), "PQ burn with uninverted CRCs: " T_SENSE_FMT "\n", T_SENSE_ARGS);
    ok(vrec_disc_state(d) == VREC_DISC_CLOSED, "PQ layout: disc closed (state %d)\n", vrec_disc_state(d));

    uint8_t r[64];
    uint8_t toc0[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 64, 0 };
    t_exec(d, toc0, 10, SCSI_DIR_IN, r, 64);
    ok(t_good() && t_be16(r) == 26 && r[2] == 1 && r[3] == 2 && t_be32(r + 8 + 8) == T_TRACK2 &&
           r[4 + 8 + 8 + 2] == 0xAA && t_be32(r + 4 + 8 + 8 + 4) == T_LEADOUT,
       "PQ layout: TOC learnt from the lead-in " T_SENSE_FMT "\n", T_SENSE_ARGS);

    /* What a reader gets back is the Q the drive recorded: the host's fields
     * with the CRC as ECMA-130 stores it. */
    static const int32_t probes[] = { 0, 299, T_TRACK2, T_LEADOUT - 1 };
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        uint8_t q[16], ch[8][12];
        read_formatted_q(d, probes[i], q);
        t_channels(probes[i], ch);
        ok(t_good() && memcmp(q, ch[1], 12) == 0, "LBA %d: formatted Q %02x%02x crc %02x%02x, want crc %02x%02x\n",
           probes[i], q[0], q[1], q[10], q[11], ch[1][10], ch[1][11]);
    }
    vrec_close(d);

    /* the sectors file keeps the corrected Q of the lead-in too */
    char sp[300];
    snprintf(sp, sizeof(sp), "%s.sectors", path);
    FILE *f = fopen(sp, "rb");
    uint8_t rec[CD_SECTOR_RAW_PW], want[CD_SECTOR_RAW_PW];
    int same = f != NULL;
    for (int32_t lba = CD_TYPICAL_LEADIN_LBA; same && lba < T_END; lba += 101) {
        same = fseek(f, (long)(lba - CD_TYPICAL_LEADIN_LBA) * CD_SECTOR_RAW_PW, SEEK_SET) == 0 && fread(rec, 1, CD_SECTOR_RAW_PW, f) == CD_SECTOR_RAW_PW;
        t_make_sector(lba, 1, want);
        same = same && memcmp(rec, want, CD_SECTOR_RAW_PQ) == 0;
    }
    ok(same, "PQ layout: stored sectors carry the drive-built CRC\n");
    if (f)
        fclose(f);
}

static void test_raw_pw_recorded_as_given(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL);
    ok(burn_uninverted(d, 3), "raw P-W burn with uninverted CRCs: " T_SENSE_FMT "\n", T_SENSE_ARGS);
    ok(vrec_disc_state(d) == VREC_DISC_INDETERMINATE, "raw P-W layout: bad CRCs leave no TOC (state %d)\n",
       vrec_disc_state(d));
    vrec_close(d);
}

int main(void)
{
    t_media_path(path, sizeof(path), "pqcrc");
    test_pq_crc_built_by_drive();
    test_raw_pw_recorded_as_given();
    t_media_remove(path);
    return okay_summary("vrec_pqcrc");
}
