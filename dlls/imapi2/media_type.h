/* The kind of disc in a drive as IMAPI2 names it (IMAPI_MEDIA_PHYSICAL_TYPE),
 * from the drive's current MMC profile. Shared by the format objects
 * (erase.c, rawcd.c) so every CurrentPhysicalMediaType answers alike. */
#ifndef IMAPI2_MEDIA_TYPE_H
#define IMAPI2_MEDIA_TYPE_H

#include "imapi2_private.h"
#include "mmc/device.h"

/* IMAPI_MEDIA_TYPE_UNKNOWN for profile 0 (no disc) and for profiles IMAPI2
 * has no name for. */
IMAPI_MEDIA_PHYSICAL_TYPE media_type_from_profile(uint16_t profile);

/* Asks the drive (GET CONFIGURATION) for its current profile and names it.
 * No disc is not an error: *out = IMAPI_MEDIA_TYPE_UNKNOWN, S_OK. Other
 * failures are the command's HRESULT, with *out = IMAPI_MEDIA_TYPE_UNKNOWN.
 * Run it under the recorder's command lock (recorder_run). */
HRESULT media_physical_type(struct mmc_device *d, IMAPI_MEDIA_PHYSICAL_TYPE *out);

#endif
