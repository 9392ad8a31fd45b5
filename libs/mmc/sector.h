/* CD main-channel sector encoding (ECMA-130): sync and header, Mode 0,
 * Mode 1 (EDC + RSPC P/Q parity), Mode 2 formless, Mode 2 Form 1 / Form 2
 * (CD-ROM XA: subheader, EDC, ECC with the header taken as zero), and the
 * Annex B scrambler a raw writer applies to data sectors.
 *
 * The builders work in place: the caller puts the user data (and, for the
 * XA forms, the subheader) where it belongs in the 2352-byte sector, then
 * cd_sector_build() adds everything else. That lets a generator read user
 * data straight from its source into the sector buffer. Scrambling is a
 * separate step because a reader-side sector (CloneCD .img, READ CD) is
 * not scrambled while the sector a raw DAO host sends is. */
#ifndef IMAPI2_SECTOR_H
#define IMAPI2_SECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc/geometry.h"

#define CD_SYNC_LEN 12
#define CD_HEADER_LEN 4
#define CD_SUBHEADER_LEN 8          /* 4 bytes, stored twice */
#define CD_EDC_LEN 4
#define CD_ECC_P_LEN 172
#define CD_ECC_Q_LEN 104
#define CD_ECC_P_OFFSET 2076
#define CD_ECC_Q_OFFSET 2248
#define CD_SCRAMBLE_OFFSET 12       /* scrambling covers bytes 12..2351 */
#define CD_SCRAMBLE_LEN 2340

/* Main-channel formats. The user data of each starts at cd_sector_user_offset(). */
enum cd_sector_form {
    CD_FORM_AUDIO = 0, /* 2352 bytes of samples, nothing added */
    CD_FORM_MODE0,     /* header mode 0, 2336 bytes (zero by definition) */
    CD_FORM_MODE1,     /* 2048 user bytes, EDC over 0..2063, 8 zero bytes, P and Q */
    CD_FORM_MODE2,     /* Mode 2 formless: 2336 user bytes, no EDC/ECC */
    CD_FORM_XA_FORM1,  /* subheader x2, 2048 user bytes, EDC over 16..2071, P and Q */
    CD_FORM_XA_FORM2,  /* subheader x2, 2324 user bytes, EDC over 16..2347 */
    CD_FORM_COUNT
};

/* Offset and size of the user data of a form (0/0 for an unknown form). */
size_t cd_sector_user_offset(enum cd_sector_form form);
size_t cd_sector_user_size(enum cd_sector_form form);
/* The header's mode byte of a form (audio: 0, unused). */
uint8_t cd_sector_mode_byte(enum cd_sector_form form);

/* Sync pattern and header (MSF of lba in BCD, mode byte). */
void cd_sector_header(uint8_t sector[CD_SECTOR_SIZE], int32_t lba, uint8_t mode);
/* XA subheader (file, channel, submode, coding) stored twice at 16..23. */
void cd_sector_subheader(uint8_t sector[CD_SECTOR_SIZE], uint8_t file, uint8_t channel, uint8_t submode,
                         uint8_t coding);
#define CD_SUBMODE_DATA 0x08
#define CD_SUBMODE_FORM2 0x20

/* Completes a sector whose user data (and subheader) is in place: sync,
 * header, EDC, zero fill and ECC as the form requires. Audio is left as is. */
void cd_sector_build(uint8_t sector[CD_SECTOR_SIZE], enum cd_sector_form form, int32_t lba);

/* EDC: CRC-32, polynomial x^32+x^31+x^16+x^15+x^4+x^3+x+1, reflected,
 * initial value 0, no final inversion; stored little-endian. */
uint32_t cd_edc(const uint8_t *data, size_t len);
/* cd_edc and cd_ecc without their CPU-specific paths (carry-less multiply,
 * AVX2): what they do on a CPU without them. Tests compare both on any machine. */
uint32_t cd_edc_portable(const uint8_t *data, size_t len);
/* RSPC P then Q parity over bytes 12..2351 as they are (for Mode 2 forms the
 * caller zeroes the header first; cd_sector_build does that). */
void cd_ecc(uint8_t sector[CD_SECTOR_SIZE]);
void cd_ecc_portable(uint8_t sector[CD_SECTOR_SIZE]);

/* Checks of a built (descrambled) sector: the EDC of Mode 1 / XA forms and
 * the P/Q parity of Mode 1 / Form 1. A form without the field passes. */
bool cd_sector_edc_ok(const uint8_t sector[CD_SECTOR_SIZE], enum cd_sector_form form);
bool cd_sector_ecc_ok(const uint8_t sector[CD_SECTOR_SIZE], enum cd_sector_form form);

/* ECMA-130 Annex B: XORs bytes 12..2351 with the scrambler sequence (its own
 * inverse). */
void cd_scramble(uint8_t sector[CD_SECTOR_SIZE]);
/* The scrambler sequence itself (CD_SCRAMBLE_LEN bytes). */
const uint8_t *cd_scramble_sequence(void);
/* Sync pattern present (00, 10 x FF, 00)? */
bool cd_sector_has_sync(const uint8_t sector[CD_SECTOR_SIZE]);

#endif
