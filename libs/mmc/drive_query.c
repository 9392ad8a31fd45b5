/* Recorder queries for IDiscRecorder2 / IDiscRecorder2Ex. */
#include "mmc/drive_query.h"

#include <stdlib.h>
#include <string.h>

#include "imapi2error.h"

/* GET CONFIGURATION's allocation length is 16 bits. */
#define CONFIG_MAX 0xFFF8u
#define MODE_ALL_PAGES 0x3F

static int32_t run_config(struct mmc_device *d, enum mmc_config_rt rt, uint16_t start, uint8_t *buf, uint32_t len)
{
    struct scsi_request r;
    mmc_build_get_configuration(&r, rt, start, buf, len);
    return mmc_run(d, &r);
}

int32_t drive_query_features(struct mmc_device *d, bool current_only, uint16_t *codes, size_t max, size_t *count)
{
    uint8_t *buf = malloc(CONFIG_MAX);
    *count = 0;
    if (!buf)
        return MMC_E_OUTOFMEMORY;
    int32_t hr = run_config(d, current_only ? MMC_RT_CURRENT : MMC_RT_ALL, 0, buf, CONFIG_MAX);
    size_t pos = 0, got = d->last.transferred;
    struct mmc_feature f;
    while (MMC_SUCCEEDED(hr)) {
        int32_t step = mmc_next_feature(buf, got, &pos, &f);
        if (step <= 0) {
            hr = step < 0 ? step : MMC_S_OK;
            break;
        }
        if (*count < max)
            codes[(*count)++] = f.code;
    }
    free(buf);
    return hr;
}

int32_t drive_query_profiles(struct mmc_device *d, bool current_only, uint16_t *profiles, size_t max,
                             size_t *count)
{
    struct mmc_configuration *config = malloc(sizeof(*config));
    *count = 0;
    if (!config)
        return MMC_E_OUTOFMEMORY;
    int32_t hr = mmc_query_configuration(d, MMC_RT_ONE, MMC_FEATURE_PROFILE_LIST, config);
    for (size_t i = 0; MMC_SUCCEEDED(hr) && i < config->profile_count; i++)
        if ((!current_only || config->profiles[i].current) && *count < max)
            profiles[(*count)++] = config->profiles[i].number;
    free(config);
    return MMC_SUCCEEDED(hr) ? MMC_S_OK : hr;
}

int32_t drive_query_mode_pages(struct mmc_device *d, enum mmc_page_control pc, uint8_t *pages, size_t max,
                               size_t *count)
{
    uint8_t *buf = malloc(0xFFF0);
    struct scsi_request r;
    *count = 0;
    if (!buf)
        return MMC_E_OUTOFMEMORY;
    mmc_build_mode_sense10(&r, pc, MODE_ALL_PAGES, buf, 0xFFF0);
    int32_t hr = mmc_run(d, &r);
    for (uint8_t code = 1; MMC_SUCCEEDED(hr) && code < MODE_ALL_PAGES; code++) {
        const uint8_t *page;
        size_t len;
        int32_t found = mmc_mode_find_page(buf, d->last.transferred, code, &page, &len);
        if (found == E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE)
            continue;
        if (MMC_FAILED(found))
            hr = found;
        else if (*count < max)
            pages[(*count)++] = code;
    }
    free(buf);
    return MMC_SUCCEEDED(hr) ? MMC_S_OK : hr;
}

/* Loading mechanism 0 is a caddy, 1 a tray, 2 a pop-up tray the user must
 * push back, 4/5 changers: the drive closes caddies, trays and changers. */
int32_t drive_query_can_load(struct mmc_device *d, bool *can_load)
{
    struct mmc_capabilities caps;
    int32_t hr = mmc_query_capabilities(d, &caps);
    *can_load = MMC_SUCCEEDED(hr) && caps.eject && caps.loading_mechanism != 2;
    return MMC_SUCCEEDED(hr) ? MMC_S_OK : hr;
}

static int32_t start_stop(struct mmc_device *d, bool start)
{
    struct scsi_request r;
    mmc_build_start_stop_unit(&r, false, true, start);
    return mmc_run(d, &r);
}

int32_t drive_eject(struct mmc_device *d)
{
    return start_stop(d, false);
}

int32_t drive_close_tray(struct mmc_device *d)
{
    return start_stop(d, true);
}

int32_t drive_prevent_removal(struct mmc_device *d, bool prevent)
{
    struct scsi_request r;
    mmc_build_prevent_allow(&r, prevent);
    return mmc_run(d, &r);
}

/* The bytes a response says it has: its 16-bit length field plus the field itself. */
static uint32_t declared(const uint8_t *buf, uint32_t got, uint32_t cap)
{
    if (got < 2)
        return got;
    uint32_t total = (uint32_t)mmc_get16(buf) + 2u;
    total = total < got ? total : got;
    return total < cap ? total : cap;
}

int32_t drive_disc_information(struct mmc_device *d, uint8_t *buf, uint32_t len, uint32_t *returned)
{
    struct scsi_request r;
    *returned = 0;
    mmc_build_read_disc_information(&r, buf, len);
    int32_t hr = mmc_run(d, &r);
    if (MMC_SUCCEEDED(hr))
        *returned = declared(buf, d->last.transferred, len);
    return hr;
}

int32_t drive_track_information(struct mmc_device *d, enum mmc_track_address type, uint32_t address, uint8_t *buf,
                                uint32_t len, uint32_t *returned)
{
    struct scsi_request r;
    *returned = 0;
    mmc_build_read_track_information(&r, type, address, buf, len);
    int32_t hr = mmc_run(d, &r);
    if (MMC_SUCCEEDED(hr))
        *returned = declared(buf, d->last.transferred, len);
    return hr;
}

int32_t drive_feature(struct mmc_device *d, uint16_t code, bool current_only, uint8_t *buf, uint32_t len,
                      uint32_t *returned)
{
    uint8_t *answer = malloc(CONFIG_MAX);
    size_t pos = 0;
    struct mmc_feature f;
    *returned = 0;
    if (!answer)
        return MMC_E_OUTOFMEMORY;
    int32_t hr = run_config(d, MMC_RT_ONE, code, answer, CONFIG_MAX);
    int32_t step = MMC_SUCCEEDED(hr) ? mmc_next_feature(answer, d->last.transferred, &pos, &f) : hr;
    if (step < 0)
        hr = step;
    else if (step == 0 || f.code != code)
        hr = E_IMAPI_RECORDER_NO_SUCH_FEATURE;
    else if (current_only && !f.current)
        hr = E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT;
    else {
        uint32_t n = 4u + f.data_len;
        n = n < len ? n : len;
        memcpy(buf, f.data - 4, n);
        *returned = n;
        hr = MMC_S_OK;
    }
    free(answer);
    return hr;
}

/* The senses that mean "no such structure here" for READ / SEND DISC
 * STRUCTURE; any other failure keeps the sense table's HRESULT (no disc,
 * becoming ready...). */
static const struct {
    int16_t key;
} structure_absent[] = {
    { MMC_KEY_ILLEGAL_REQUEST },
};

static int32_t structure_result(const struct mmc_device *d, int32_t hr)
{
    if (MMC_SUCCEEDED(hr) || d->last.outcome != MMC_OUTCOME_SENSE)
        return hr;
    for (size_t i = 0; i < sizeof(structure_absent) / sizeof(structure_absent[0]); i++)
        if (structure_absent[i].key == d->last.sense.key)
            return E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT;
    return hr;
}

int32_t drive_read_dvd_structure(struct mmc_device *d, uint8_t format, uint32_t address, uint8_t layer, uint8_t agid,
                                 uint8_t *buf, uint32_t len, uint32_t *returned)
{
    const uint32_t max = 0xFFFFu;
    uint8_t *answer = malloc(max);
    struct scsi_request r;
    *returned = 0;
    if (!answer)
        return MMC_E_OUTOFMEMORY;
    mmc_build_read_disc_structure(&r, MMC_STRUCTURE_DVD, address, layer, format, agid, answer, max);
    int32_t hr = structure_result(d, mmc_run(d, &r));
    if (MMC_SUCCEEDED(hr)) {
        uint32_t got = d->last.transferred;
        if (got < MMC_DISC_STRUCTURE_HEADER) {
            hr = E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE;
        } else {
            uint32_t n = declared(answer, got, max);
            n = n > MMC_DISC_STRUCTURE_HEADER ? n - MMC_DISC_STRUCTURE_HEADER : 0;
            n = n < len ? n : len;
            memcpy(buf, answer + MMC_DISC_STRUCTURE_HEADER, n);
            *returned = n;
        }
    }
    free(answer);
    return hr;
}

int32_t drive_send_dvd_structure(struct mmc_device *d, uint8_t format, const uint8_t *data, uint32_t len)
{
    struct scsi_request r;
    if (len > 0xFFFFu - MMC_DISC_STRUCTURE_HEADER)
        return MMC_E_INVALIDARG;
    uint8_t *list = malloc(MMC_DISC_STRUCTURE_HEADER + len);
    if (!list)
        return MMC_E_OUTOFMEMORY;
    mmc_put16(list, len + 2u); /* what follows the length field */
    list[2] = list[3] = 0;
    if (len)
        memcpy(list + MMC_DISC_STRUCTURE_HEADER, data, len);
    mmc_build_send_disc_structure(&r, MMC_STRUCTURE_DVD, format, 0, list, MMC_DISC_STRUCTURE_HEADER + len);
    int32_t hr = structure_result(d, mmc_run(d, &r));
    free(list);
    return hr;
}
