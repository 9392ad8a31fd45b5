/* libs/mmc/geometry.h against the standards' own figures (Red Book /
 * IEC 60908, ECMA-130, MMC-6, IMAPI2's raw image layout), written here as
 * numbers once so that a wrong fact in the one header shows: every other
 * test reads the header. Also the MSF arithmetic msf.c builds on them. */
#include <stdint.h>

#include "mmc/geometry.h"
#include "mmc/msf.h"
#include "okay.h"

static void test_sizes(void)
{
    ok(CD_FRAMES_PER_SECOND == 75, "75 sectors a second at 1x, got %d\n", CD_FRAMES_PER_SECOND);
    ok(CD_SECTOR_SIZE == 2352, "2352 bytes of main channel, got %d\n", CD_SECTOR_SIZE);
    ok(CD_SUBCODE_RAW == 96 && CD_SUBCODE_PQ == 16, "96 bytes P-W, 16 bytes PQ\n");
    ok(CD_SECTOR_RAW_PW == 2448 && CD_SECTOR_RAW_PQ == 2368, "raw sectors of 2448 and 2368 bytes\n");
    ok(CD_MODE1_USER_BYTES == 2048 && CD_MODE2_USER_BYTES == 2336 && CD_FORM2_USER_BYTES == 2324,
       "user bytes: Mode 1 2048, Mode 2 2336, Form 2 2324\n");
    ok(CD_BYTES_PER_SECOND_1X == 176400, "1x is 176,400 bytes a second, got %d\n", CD_BYTES_PER_SECOND_1X);
    ok(MMC_CD_KBS_PER_X == 176, "MMC counts 1x as 176 kB/s\n");
}

static void test_addresses(void)
{
    ok(CD_PREGAP_SECTORS == 150 && CD_MSF_OFFSET == 150, "2-s pregap: LBA 0 is 00:02:00\n");
    ok(CD_LEADIN_MSF_BASE == 450150, "lead-in LBA = frames - 450150, got %d\n", CD_LEADIN_MSF_BASE);
    ok(CD_RAW_IMAGE_START_LBA == -22650, "IMAPI2's raw image starts at 95:00:00 = LBA -22650, got %d\n",
       CD_RAW_IMAGE_START_LBA);
    ok(CD_TYPICAL_LEADIN_LBA == -11634, "ATIP 97:26:66 = LBA -11634, got %d\n", CD_TYPICAL_LEADIN_LBA);
    ok(CD_FIRST_LEADOUT_SECTORS == 6750, "a first session's lead-out is 90 s, got %d\n", CD_FIRST_LEADOUT_SECTORS);
    ok(CD_MIN_TRACK_SECTORS == 300, "a track is 4 s at least, got %d\n", CD_MIN_TRACK_SECTORS);
    ok(CD_MAX_LEADOUT_LBA == 398099, "last lead-out start 88:29:74, got %d\n", CD_MAX_LEADOUT_LBA);
    ok(CD80_LAST_LEADOUT_LBA == 359849, "80-min disc: last lead-out 79:59:74, got %d\n", CD80_LAST_LEADOUT_LBA);
    ok(CD_RUNOUT_SECTORS == 2, "TAO: 2 run-out blocks\n");
    /* the same through msf.c */
    struct cd_msf m = cd_lba_to_msf(CD_RAW_IMAGE_START_LBA);
    ok(m.m == 95 && m.s == 0 && m.f == 0, "raw image start is 95:00:00, got %02d:%02d:%02d\n", m.m, m.s, m.f);
    m = cd_lba_to_msf(CD_TYPICAL_LEADIN_LBA);
    ok(m.m == 97 && m.s == 26 && m.f == 66, "ATIP start is 97:26:66, got %02d:%02d:%02d\n", m.m, m.s, m.f);
    m = cd_lba_to_msf(CD_MAX_LEADOUT_LBA);
    ok(m.m == 88 && m.s == 29 && m.f == 74, "the latest lead-out starts at 88:29:74, got %02d:%02d:%02d\n", m.m, m.s,
       m.f);
    ok(cd_msf_to_lba((struct cd_msf){ 89, 59, 74 }) >= CD_MAX_LEADOUT_LBA + CD_FIRST_LEADOUT_SECTORS - 1,
       "and its last sector comes by 89:59:74\n");
    m = cd_lba_to_msf(CD80_LAST_LEADOUT_LBA);
    ok(m.m == 79 && m.s == 59 && m.f == 74, "80-min last lead-out 79:59:74, got %02d:%02d:%02d\n", m.m, m.s, m.f);
    ok(cd_msf_to_lba((struct cd_msf){ 0, 2, 0 }) == 0, "00:02:00 is LBA 0\n");
}

static void test_rates(void)
{
    /* kB/s (1000 bytes) <-> sectors/s: 75 sectors/s = 176.4 kB/s */
    ok(CD_KBS_FROM_SECTORS(75) == 177 && CD_KBS_FROM_SECTORS(750) == 1764, "sectors/s -> kB/s rounds up: %u %u\n",
       CD_KBS_FROM_SECTORS(75), CD_KBS_FROM_SECTORS(750));
    ok(CD_SECTORS_FROM_KBS(176) == 75 && CD_SECTORS_FROM_KBS(1764) == 750 && CD_SECTORS_FROM_KBS(7056) == 3000,
       "kB/s -> sectors/s rounds to the nearest\n");
    ok(CD_KBS_FROM_X(1) == 176 && CD_KBS_FROM_X(10) == 1764 && CD_KBS_FROM_X(52) == 9173, "x -> kB/s: %llu\n",
       (unsigned long long)CD_KBS_FROM_X(52));
    for (unsigned sps = 1; sps < 52 * 75; sps++)
        if (CD_SECTORS_FROM_KBS(CD_KBS_FROM_SECTORS(sps)) != sps) {
            ok(0, "%u sectors/s does not come back from kB/s\n", sps);
            break;
        }
}

int main(void)
{
    test_sizes();
    test_addresses();
    test_rates();
    return okay_summary("mmc_geometry");
}
