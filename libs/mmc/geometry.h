/* Disc geometry facts (Red Book / IEC 60908, ECMA-130, MMC), each written
 * once for every layer to use: frame rate, sector and sub-channel sizes, the
 * address offsets of the lead-in and the program area, the lengths of gaps
 * and of a first session's lead-out, and the 1x data rate. Nothing else in
 * the tree defines these numbers; the MSF/LBA arithmetic built on them is in
 * msf.h. */
#ifndef IMAPI2_MMC_GEOMETRY_H
#define IMAPI2_MMC_GEOMETRY_H

/* ---- frames and sectors ---- */
#define CD_FRAMES_PER_SECOND 75                 /* sectors (sub-channel frames) a second at 1x */
#define CD_SECTOR_SIZE 2352                     /* one sector's main channel */
#define CD_SUBCODE_RAW 96                       /* P-W of one sector: 8 channels x 12 bytes */
#define CD_SUBCODE_PQ 16                        /* MMC PQ block: 12 bytes Q + 4 (P in byte 15 bit 7) */
#define CD_SECTOR_RAW_PW (CD_SECTOR_SIZE + CD_SUBCODE_RAW) /* 2448 */
#define CD_SECTOR_RAW_PQ (CD_SECTOR_SIZE + CD_SUBCODE_PQ)  /* 2368 */
#define CD_MODE1_USER_BYTES 2048                /* Mode 1 and Mode 2 Form 1 user data */
#define CD_MODE2_USER_BYTES 2336                /* Mode 0 / Mode 2 formless user data, a Form 2 sector after its header */
#define CD_FORM2_USER_BYTES 2324                /* Mode 2 Form 2 user data */

/* ---- addresses and lengths (LBA 0 = MSF 00:02:00) ---- */
#define CD_PREGAP_SECTORS (2 * CD_FRAMES_PER_SECOND)  /* 150: the 2-s pause before a track */
#define CD_MSF_OFFSET CD_PREGAP_SECTORS               /* MSF 00:02:00 is LBA 0: track 1's pregap */
#define CD_LEADIN_MSF_BASE (100 * 60 * CD_FRAMES_PER_SECOND + CD_MSF_OFFSET) /* 450150: MSF >= 90:00:00 wraps below LBA -150 */
#define CD_RAW_IMAGE_START_LBA (-(5 * 60 * CD_FRAMES_PER_SECOND) - CD_MSF_OFFSET) /* -22650 = MSF 95:00:00, IMAPI2's raw images */
#define CD_TYPICAL_LEADIN_LBA (-11634)          /* ATIP lead-in start 97:26:66, the common one */
#define CD_FIRST_LEADOUT_SECTORS (90 * CD_FRAMES_PER_SECOND) /* 6750: lead-out of a first session, 90 s */
#define CD_MIN_TRACK_SECTORS (4 * CD_FRAMES_PER_SECOND)      /* 300: the shortest track, 4 s */
#define CD_MAX_LEADOUT_LBA 398099               /* 88:29:74: a lead-out starting here ends by 89:59:74 */
#define CD80_LAST_LEADOUT_LBA 359849            /* ATIP last possible lead-out of an 80-minute disc (79:59:74) */
#define CD_RUNOUT_SECTORS 2                     /* TAO: run-out blocks after a track's data */

/* DVD and BD: 2048-byte user sectors (CD_MODE1_USER_BYTES) recorded in
 * fixed units, and the single-layer write-once capacities the virtual
 * recorder models (READ CAPACITY of a blank disc's invisible track). */
#define DVD_ECC_BLOCK_SECTORS 16                /* DVD: one ECC block, 32 KiB */
#define BD_CLUSTER_SECTORS 32                   /* BD: one cluster, 64 KiB */
#define DVD_PLUS_R_SL_SECTORS 2295104           /* 4.7 GB DVD+R */
#define DVD_DASH_R_SL_SECTORS 2298496           /* 4.7 GB DVD-R */
#define BD_R_SL_SECTORS 12219392                /* 25 GB BD-R */

/* ---- the 1x rate ---- */
#define CD_BYTES_PER_SECOND_1X (CD_FRAMES_PER_SECOND * CD_SECTOR_SIZE) /* 176400 */
#define MMC_CD_KBS_PER_X 176                    /* MMC SET CD SPEED / speed descriptors count 1x as 176 kB/s */
/* kB/s (1000 bytes) <-> sectors/s: IMAPI2 counts speeds in sectors/s
 * (75 = 1x), MMC in kB/s. Rounded up, and to the nearest. */
#define CD_KBS_FROM_SECTORS(sps) ((uint32_t)(((uint64_t)(sps) * CD_SECTOR_SIZE + 999u) / 1000u))
#define CD_SECTORS_FROM_KBS(kbs) ((((uint64_t)(kbs) * 1000u + CD_SECTOR_SIZE / 2) / CD_SECTOR_SIZE))
/* A speed multiple -> kB/s at 176.4 kB/s a 1x, rounded. */
#define CD_KBS_FROM_X(x) (((uint64_t)(x) * CD_BYTES_PER_SECOND_1X + 500u) / 1000u)

#endif
