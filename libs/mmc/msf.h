/* CD addresses: MSF <-> LBA, lead-in (negative) LBAs included, and BCD. */
#ifndef IMAPI2_MSF_H
#define IMAPI2_MSF_H

#include <stdbool.h>
#include <stdint.h>

#include "mmc/geometry.h"

struct cd_msf {
    uint8_t m, s, f;
};

/* MSF (binary) -> LBA; MSF at or above 90:00:00 maps to negative lead-in LBAs. */
int32_t cd_msf_to_lba(struct cd_msf msf);
/* LBA -> MSF (binary); negative LBAs >= -45150 map into the lead-in range. */
struct cd_msf cd_lba_to_msf(int32_t lba);
/* Absolute frame count (M*60+S)*75+F of a binary MSF, no offsets. */
static inline int32_t cd_msf_frames(struct cd_msf msf)
{
    return ((int32_t)msf.m * 60 + msf.s) * CD_FRAMES_PER_SECOND + msf.f;
}
/* Frames -> binary MSF (no offsets), for relative times. */
struct cd_msf cd_frames_to_msf(int32_t frames);

static inline uint8_t cd_to_bcd(uint8_t v) { return (uint8_t)(((v / 10) << 4) | (v % 10)); }
static inline uint8_t cd_from_bcd(uint8_t b) { return (uint8_t)((b >> 4) * 10 + (b & 0x0f)); }
static inline bool cd_is_bcd(uint8_t b) { return (b >> 4) < 10 && (b & 0x0f) < 10; }

#endif
