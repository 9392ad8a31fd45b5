/* MMC profile -> IMAPI_MEDIA_PHYSICAL_TYPE, one table for every format object. */
#include "media_type.h"

/* Profile numbers are MMC's (IMAPI_PROFILE_TYPE uses the same values). Both
 * DVD-RW profiles (restricted overwrite, sequential) are one IMAPI type, as
 * are the two DVD-R DL and the two BD-R recording modes. Removable disk
 * (0002h) is the randomly writable, defect-managed kind IMAPI calls DISK. */
static const struct {
    uint16_t profile;
    IMAPI_MEDIA_PHYSICAL_TYPE type;
} profile_types[] = {
    { IMAPI_PROFILE_TYPE_REMOVABLE_DISK, IMAPI_MEDIA_TYPE_DISK },
    { IMAPI_PROFILE_TYPE_CDROM, IMAPI_MEDIA_TYPE_CDROM },
    { IMAPI_PROFILE_TYPE_CD_RECORDABLE, IMAPI_MEDIA_TYPE_CDR },
    { IMAPI_PROFILE_TYPE_CD_REWRITABLE, IMAPI_MEDIA_TYPE_CDRW },
    { IMAPI_PROFILE_TYPE_DVDROM, IMAPI_MEDIA_TYPE_DVDROM },
    { IMAPI_PROFILE_TYPE_DVD_DASH_RECORDABLE, IMAPI_MEDIA_TYPE_DVDDASHR },
    { IMAPI_PROFILE_TYPE_DVD_RAM, IMAPI_MEDIA_TYPE_DVDRAM },
    { IMAPI_PROFILE_TYPE_DVD_DASH_REWRITABLE, IMAPI_MEDIA_TYPE_DVDDASHRW },
    { IMAPI_PROFILE_TYPE_DVD_DASH_RW_SEQUENTIAL, IMAPI_MEDIA_TYPE_DVDDASHRW },
    { IMAPI_PROFILE_TYPE_DVD_DASH_R_DUAL_SEQUENTIAL, IMAPI_MEDIA_TYPE_DVDDASHR_DUALLAYER },
    { IMAPI_PROFILE_TYPE_DVD_DASH_R_DUAL_LAYER_JUMP, IMAPI_MEDIA_TYPE_DVDDASHR_DUALLAYER },
    { IMAPI_PROFILE_TYPE_DVD_PLUS_RW, IMAPI_MEDIA_TYPE_DVDPLUSRW },
    { IMAPI_PROFILE_TYPE_DVD_PLUS_R, IMAPI_MEDIA_TYPE_DVDPLUSR },
    { IMAPI_PROFILE_TYPE_DVD_PLUS_RW_DUAL, IMAPI_MEDIA_TYPE_DVDPLUSRW_DUALLAYER },
    { IMAPI_PROFILE_TYPE_DVD_PLUS_R_DUAL, IMAPI_MEDIA_TYPE_DVDPLUSR_DUALLAYER },
    { IMAPI_PROFILE_TYPE_BD_ROM, IMAPI_MEDIA_TYPE_BDROM },
    { IMAPI_PROFILE_TYPE_BD_R_SEQUENTIAL, IMAPI_MEDIA_TYPE_BDR },
    { IMAPI_PROFILE_TYPE_BD_R_RANDOM_RECORDING, IMAPI_MEDIA_TYPE_BDR },
    { IMAPI_PROFILE_TYPE_BD_REWRITABLE, IMAPI_MEDIA_TYPE_BDRE },
    { IMAPI_PROFILE_TYPE_HD_DVD_ROM, IMAPI_MEDIA_TYPE_HDDVDROM },
    { IMAPI_PROFILE_TYPE_HD_DVD_RECORDABLE, IMAPI_MEDIA_TYPE_HDDVDR },
    { IMAPI_PROFILE_TYPE_HD_DVD_RAM, IMAPI_MEDIA_TYPE_HDDVDRAM },
};

IMAPI_MEDIA_PHYSICAL_TYPE media_type_from_profile(uint16_t profile)
{
    for (unsigned i = 0; i < ARRAYSIZE(profile_types); i++)
        if (profile_types[i].profile == profile)
            return profile_types[i].type;
    return IMAPI_MEDIA_TYPE_UNKNOWN;
}

HRESULT media_physical_type(struct mmc_device *d, IMAPI_MEDIA_PHYSICAL_TYPE *out)
{
    struct mmc_configuration *config = HeapAlloc(GetProcessHeap(), 0, sizeof(*config));
    HRESULT hr;
    *out = IMAPI_MEDIA_TYPE_UNKNOWN;
    if (!config)
        return E_OUTOFMEMORY;
    /* Only the header is needed: it carries the current profile, 0 without a disc. */
    hr = mmc_query_configuration(d, MMC_RT_ONE, MMC_FEATURE_PROFILE_LIST, config);
    if (SUCCEEDED(hr))
        *out = media_type_from_profile(config->current_profile);
    else if (hr == E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
        hr = S_OK; /* a drive that answers "no medium" to it has no disc either */
    HeapFree(GetProcessHeap(), 0, config);
    return hr;
}
