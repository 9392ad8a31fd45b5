/* Every MMC response parser and the sense decoder on arbitrary bytes. The
 * first input byte picks the parser (mod the table size), the rest is the
 * response, copied to an exact-size heap block so ASan flags any read past
 * the length. Parsers must return, never crash or read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmc/parse.h"
#include "mmc/sense.h"

static union {
    struct mmc_inquiry inquiry;
    struct mmc_configuration config;
    struct mmc_disc_info disc;
    struct mmc_track_info track;
    struct mmc_toc toc;
    struct mmc_session_info session;
    struct mmc_full_toc full;
    struct mmc_atip atip;
    struct mmc_write_params wp;
    struct mmc_capabilities caps;
    struct mmc_buffer_capacity bufcap;
    struct mmc_write_speeds speeds;
    struct mmc_event_status event;
    struct mmc_sense sense;
} out;

static int32_t inquiry(const uint8_t *b, size_t n) { return mmc_parse_inquiry(b, n, &out.inquiry); }
static int32_t config(const uint8_t *b, size_t n) { return mmc_parse_configuration(b, n, &out.config); }
static int32_t disc(const uint8_t *b, size_t n) { return mmc_parse_disc_info(b, n, &out.disc); }
static int32_t track(const uint8_t *b, size_t n) { return mmc_parse_track_info(b, n, &out.track); }
static int32_t toc_lba(const uint8_t *b, size_t n) { return mmc_parse_toc(b, n, false, &out.toc); }
static int32_t toc_msf(const uint8_t *b, size_t n) { return mmc_parse_toc(b, n, true, &out.toc); }
static int32_t session(const uint8_t *b, size_t n) { return mmc_parse_session_info(b, n, n & 1, &out.session); }
static int32_t atip(const uint8_t *b, size_t n) { return mmc_parse_atip(b, n, &out.atip); }
static int32_t bufcap(const uint8_t *b, size_t n) { return mmc_parse_buffer_capacity(b, n, &out.bufcap); }
static int32_t speeds(const uint8_t *b, size_t n) { return mmc_parse_write_speeds(b, n, &out.speeds); }
static int32_t event(const uint8_t *b, size_t n) { return mmc_parse_event_status(b, n, &out.event); }

static int32_t sense(const uint8_t *b, size_t n)
{
    int32_t hr = mmc_sense_decode(b, n, &out.sense);
    if (MMC_SUCCEEDED(hr) && !mmc_sense_lookup(out.sense.key, out.sense.asc, out.sense.ascq))
        abort(); /* the table ends in a catch-all */
    return hr;
}

static int32_t full_toc(const uint8_t *b, size_t n)
{
    int32_t hr = mmc_parse_full_toc(b, n, &out.full);
    if (MMC_SUCCEEDED(hr))
        mmc_full_toc_find(&out.full, 1, 0xA2);
    return hr;
}

static int32_t features(const uint8_t *b, size_t n)
{
    size_t pos = 0, last = 0;
    struct mmc_feature f;
    while (mmc_next_feature(b, n, &pos, &f) == 1) {
        if (pos <= last || f.data + f.data_len > b + n)
            abort(); /* the walk must advance and stay inside */
        last = pos;
    }
    return 0;
}

/* MODE SENSE response: find page 05 or 2A, parse it, modify 05 and build a
 * MODE SELECT list from it. */
static int32_t mode_page(const uint8_t *b, size_t n, uint8_t code)
{
    const uint8_t *page;
    size_t len;
    int32_t hr = mmc_mode_find_page(b, n, code, &page, &len);
    if (MMC_FAILED(hr))
        return hr;
    if (page < b || page + len > b + n)
        abort();
    if (code == MMC_PAGE_CAPABILITIES)
        return mmc_parse_capabilities(page, len, &out.caps);
    hr = mmc_parse_write_params(page, len, &out.wp);
    if (MMC_FAILED(hr) || len > 300)
        return hr;
    uint8_t copy[300], list[320];
    size_t list_len;
    memcpy(copy, page, len);
    out.wp.write_type = MMC_WT_RAW;
    mmc_apply_write_params(copy, len, &out.wp);
    return mmc_mode_select_list(copy, len, list, sizeof(list), &list_len);
}

static int32_t page05(const uint8_t *b, size_t n) { return mode_page(b, n, MMC_PAGE_WRITE_PARAMETERS); }
static int32_t page2a(const uint8_t *b, size_t n) { return mode_page(b, n, MMC_PAGE_CAPABILITIES); }

static int32_t (*const parsers[])(const uint8_t *, size_t) = {
    inquiry, config, features, disc, track, toc_lba, toc_msf, session, full_toc,
    atip, page05, page2a, bufcap, speeds, event, sense,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t which = data[0] % (sizeof(parsers) / sizeof(parsers[0]));
    size_t n = size - 1;
    uint8_t *b = malloc(n ? n : 1);
    if (!b)
        return 0;
    memcpy(b, data + 1, n);
    parsers[which](b, n);
    free(b);
    return 0;
}
