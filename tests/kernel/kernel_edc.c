/* An independent check of our sector encoder (libs/mmc/sector.c): another
 * program (cdrdao's generic-mmc-raw driver, wodim -raw96r) burns a Mode 1
 * data track in raw mode onto the rig's virtual recorder, which keeps the
 * 2352 main-channel bytes of every sector exactly as that program encoded
 * and scrambled them. Each one, descrambled, must equal the sector
 * cd_sector_build() makes from the same user data at the same LBA: sync,
 * header, EDC, zero fill, P and Q parity.
 *   kernel_edc blank MEDIA_PATH            make MEDIA_PATH a blank CD-R 80
 *   kernel_edc compare NAME MEDIA_PATH DATA_FILE FIRST_LBA
 * DATA_FILE holds the track's user data, 2048 bytes a sector. */
#define _POSIX_C_SOURCE 200809L
#include "okay.h"

#include "mmc/sector.h"
#include "vrec/vrec.h"

#include <string.h>
#include "mmc/geometry.h"


struct field_counts {
    long sectors, equal, sync_header, edc, ecc_p, ecc_q, their_edc_ok, their_ecc_ok;
};

static bool same(const uint8_t *a, const uint8_t *b, size_t off, size_t len)
{
    return memcmp(a + off, b + off, len) == 0;
}

static void compare_sector(const uint8_t *recorded, const uint8_t *user, int32_t lba, struct field_counts *c)
{
    uint8_t theirs[CD_SECTOR_SIZE], ours[CD_SECTOR_SIZE];
    memcpy(theirs, recorded, CD_SECTOR_SIZE);
    cd_scramble(theirs); /* its own inverse: back to the sector as encoded */
    memset(ours, 0, sizeof(ours));
    memcpy(ours + cd_sector_user_offset(CD_FORM_MODE1), user, 2048);
    cd_sector_build(ours, CD_FORM_MODE1, lba);
    c->sectors++;
    c->equal += memcmp(theirs, ours, CD_SECTOR_SIZE) == 0;
    c->sync_header += same(theirs, ours, 0, CD_SYNC_LEN + CD_HEADER_LEN);
    c->edc += same(theirs, ours, 2064, CD_EDC_LEN);
    c->ecc_p += same(theirs, ours, CD_ECC_P_OFFSET, CD_ECC_P_LEN);
    c->ecc_q += same(theirs, ours, CD_ECC_Q_OFFSET, CD_ECC_Q_LEN);
    c->their_edc_ok += cd_sector_edc_ok(theirs, CD_FORM_MODE1);
    c->their_ecc_ok += cd_sector_ecc_ok(theirs, CD_FORM_MODE1);
    if (c->sectors - c->equal == 1 && memcmp(theirs, ours, CD_SECTOR_SIZE) != 0) {
        size_t i = 0;
        while (theirs[i] == ours[i])
            i++;
        printf("kernel_edc: LBA %d first differs at byte %u: theirs %02x ours %02x\n", (int)lba, (unsigned)i,
               theirs[i], ours[i]);
    }
}

static int compare(const char *name, const char *media, const char *data_path, int32_t first_lba)
{
    char path[512];
    snprintf(path, sizeof(path), "%s.sectors", media);
    FILE *rec = fopen(path, "rb"), *data = fopen(data_path, "rb");
    ok(rec && data, "open %s and %s\n", path, data_path);
    struct field_counts c = { 0 };
    uint8_t record[CD_SECTOR_RAW_PW], user[2048];
    if (rec && data && fseek(rec, (long)(first_lba - CD_TYPICAL_LEADIN_LBA) * CD_SECTOR_RAW_PW, SEEK_SET) == 0) {
        for (int32_t lba = first_lba; fread(user, 1, sizeof(user), data) == sizeof(user); lba++) {
            if (fread(record, 1, sizeof(record), rec) != sizeof(record)) {
                ok(0, "recording ends before LBA %d\n", (int)lba);
                break;
            }
            compare_sector(record, user, lba, &c);
        }
    }
    ok(c.sectors >= 300, "%s: compared %ld sectors\n", name, c.sectors);
    ok(c.their_edc_ok == c.sectors && c.their_ecc_ok == c.sectors,
       "%s's sectors pass our EDC check %ld/%ld, ECC check %ld/%ld\n", name, c.their_edc_ok, c.sectors,
       c.their_ecc_ok, c.sectors);
    ok(c.sync_header == c.sectors, "sync+header equal in %ld/%ld\n", c.sync_header, c.sectors);
    ok(c.edc == c.sectors, "EDC equal in %ld/%ld\n", c.edc, c.sectors);
    ok(c.ecc_p == c.sectors && c.ecc_q == c.sectors, "ECC P equal in %ld, Q in %ld of %ld\n", c.ecc_p, c.ecc_q,
       c.sectors);
    ok(c.equal == c.sectors, "%s vs cd_sector_build: %ld/%ld sectors bit-exact\n", name, c.equal, c.sectors);
    printf("kernel_edc: %s: %ld sectors from LBA %d, %ld bit-exact with cd_sector_build (sync+header %ld, EDC %ld, "
           "P %ld, Q %ld)\n",
           name, c.sectors, (int)first_lba, c.equal, c.sync_header, c.edc, c.ecc_p, c.ecc_q);
    if (rec)
        fclose(rec);
    if (data)
        fclose(data);
    return okay_summary(name);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "blank") == 0)
        return vrec_media_create(argv[2], VREC_MEDIA_CDR80) == 0 ? 0 : 1;
    if (argc == 6 && strcmp(argv[1], "compare") == 0)
        return compare(argv[2], argv[3], argv[4], (int32_t)atoi(argv[5]));
    fprintf(stderr, "usage: kernel_edc blank MEDIA | compare NAME MEDIA DATA_FILE FIRST_LBA\n");
    return 2;
}
