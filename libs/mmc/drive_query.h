/* The questions IDiscRecorder2 asks a drive that mmc_query_*() does not
 * answer as is: lists of features, profiles and mode pages, raw response
 * blocks for IDiscRecorder2Ex, the tray. Returns HRESULTs as int32_t. */
#ifndef IMAPI2_DRIVE_QUERY_H
#define IMAPI2_DRIVE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc/device.h"

/* More than any drive has (feature codes of GET CONFIGURATION). */
#define DRIVE_MAX_FEATURES 512
#define DRIVE_MAX_MODE_PAGES 64

/* Feature codes in the drive's order; current_only: RT=1. */
int32_t drive_query_features(struct mmc_device *d, bool current_only, uint16_t *codes, size_t max, size_t *count);
/* Profiles of the profile list feature; current_only keeps those flagged current. */
int32_t drive_query_profiles(struct mmc_device *d, bool current_only, uint16_t *profiles, size_t max,
                             size_t *count);
/* Page codes MODE SENSE page 3Fh (all pages) returns for page control pc. */
int32_t drive_query_mode_pages(struct mmc_device *d, enum mmc_page_control pc, uint8_t *pages, size_t max,
                               size_t *count);
/* Whether the drive can close its tray by itself (page 2Ah loading mechanism). */
int32_t drive_query_can_load(struct mmc_device *d, bool *can_load);
int32_t drive_eject(struct mmc_device *d);
int32_t drive_close_tray(struct mmc_device *d);
/* PREVENT/ALLOW MEDIUM REMOVAL: the tray stays shut while a burn holds it. */
int32_t drive_prevent_removal(struct mmc_device *d, bool prevent);

/* Raw answers (as many bytes as the response's own length field says, capped
 * at len) for IDiscRecorder2Ex. */
int32_t drive_disc_information(struct mmc_device *d, uint8_t *buf, uint32_t len, uint32_t *returned);
int32_t drive_track_information(struct mmc_device *d, enum mmc_track_address type, uint32_t address, uint8_t *buf,
                                uint32_t len, uint32_t *returned);
/* One feature descriptor (4-byte descriptor header, then its data):
 * E_IMAPI_RECORDER_NO_SUCH_FEATURE when the drive lacks it; with current_only,
 * E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT when it is there but not current. */
int32_t drive_feature(struct mmc_device *d, uint16_t code, bool current_only, uint8_t *buf, uint32_t len,
                      uint32_t *returned);

/* A DVD structure (READ DISC STRUCTURE, media type DVD) without its 4-byte
 * header: at most len bytes of what the header says follows it. A drive
 * that refuses the request (ILLEGAL REQUEST: no such command, format or
 * layer, or a medium without the structure, e.g. a CD) gives
 * E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT. agid: 0..3. */
int32_t drive_read_dvd_structure(struct mmc_device *d, uint8_t format, uint32_t address, uint8_t layer, uint8_t agid,
                                 uint8_t *buf, uint32_t len, uint32_t *returned);
/* SEND DISC STRUCTURE of len bytes of structure data; the header is added
 * here. E_INVALIDARG when the list would not fit its 16-bit length; refusals
 * as for reading. */
int32_t drive_send_dvd_structure(struct mmc_device *d, uint8_t format, const uint8_t *data, uint32_t len);

#endif
