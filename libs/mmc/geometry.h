/* Disc geometry facts (Red Book, MMC), each written once for every layer
 * to use: sector sizes, the lengths a first session's lead-out and the 1x
 * data rate. Frame/MSF arithmetic is in msf.h. */
#ifndef IMAPI2_MMC_GEOMETRY_H
#define IMAPI2_MMC_GEOMETRY_H

#define CD_RAW_SECTOR_BYTES 2352u          /* one frame's main channel */
#define CD_SUBCODE_BYTES 96u               /* P-W of one frame */
#define CD_FIRST_LEADOUT_SECTORS 6750u     /* 90 s: lead-out of a first session */
#define CD_BYTES_PER_SECOND_1X 176400u     /* 75 frames of 2352 bytes */
#define CD_TYPICAL_LEADIN_SECTORS 11634u   /* ATIP lead-in start 97:26:66, the common one */
#define CD80_LAST_LEADOUT_LBA 359849u      /* ATIP last possible lead-out of an 80-minute disc */

#endif
