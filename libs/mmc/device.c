/* The command runner: classify, map, retry. The retry decision comes from
 * the sense table (sense.c) and, for non-sense outcomes, from the two small
 * tables below; the loop itself only knows how long it may go on. */
#include "device.h"

#include <stdlib.h>
#include <string.h>

#include "imapi2error.h"

#define US_PER_MS 1000u

static const struct {
    enum transport_result tr;
    int32_t hr;
} transport_map[] = {
    { TRANSPORT_ERR_IO, MMC_E_IO_DEVICE },
    { TRANSPORT_ERR_TIMEOUT, E_IMAPI_RECORDER_COMMAND_TIMEOUT },
    { TRANSPORT_ERR_NO_DEVICE, MMC_E_DEV_NOT_EXIST },
    { TRANSPORT_ERR_CANCELLED, E_IMAPI_REQUEST_CANCELLED },
    { TRANSPORT_ERR_INVALID, MMC_E_INVALIDARG },
    { TRANSPORT_ERR_NO_MEMORY, MMC_E_OUTOFMEMORY },
};

/* SCSI statuses other than GOOD and CHECK CONDITION. */
static const struct {
    uint8_t status;
    enum mmc_retry retry;
    int32_t hr;
} status_map[] = {
    { SCSI_STATUS_BUSY, MMC_RETRY_WAIT_READY, E_IMAPI_RECORDER_MEDIA_BUSY },
    { 0x18 /* RESERVATION CONFLICT */, MMC_RETRY_NONE, E_IMAPI_RECORDER_LOCKED },
    { 0x28 /* TASK SET FULL */, MMC_RETRY_WAIT_READY, E_IMAPI_RECORDER_MEDIA_BUSY },
};

int32_t mmc_transport_hresult(enum transport_result tr)
{
    for (size_t i = 0; i < sizeof(transport_map) / sizeof(transport_map[0]); i++)
        if (transport_map[i].tr == tr)
            return transport_map[i].hr;
    return tr == TRANSPORT_OK ? MMC_S_OK : MMC_E_FAIL;
}

static void classify_status(uint8_t status, struct mmc_result *out)
{
    out->outcome = MMC_OUTCOME_STATUS;
    out->retry = MMC_RETRY_NONE;
    out->hr = E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE;
    for (size_t i = 0; i < sizeof(status_map) / sizeof(status_map[0]); i++) {
        if (status_map[i].status == status) {
            out->retry = status_map[i].retry;
            out->hr = status_map[i].hr;
        }
    }
}

static void classify_sense(const struct scsi_request *r, struct mmc_result *out)
{
    out->outcome = MMC_OUTCOME_SENSE;
    size_t n = r->sense_len < sizeof(r->sense) ? r->sense_len : sizeof(r->sense);
    if (MMC_FAILED(mmc_sense_decode(r->sense, n, &out->sense))) {
        /* CHECK CONDITION without usable sense: nothing says what went wrong */
        out->retry = MMC_RETRY_NONE;
        out->hr = E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE;
        return;
    }
    out->has_sense = true;
    out->rule = mmc_sense_lookup(out->sense.key, out->sense.asc, out->sense.ascq);
    out->retry = out->rule->retry;
    out->hr = out->rule->hresult;
}

void mmc_classify(const struct scsi_request *r, enum transport_result tr, struct mmc_result *out)
{
    unsigned attempts = out->attempts;
    memset(out, 0, sizeof(*out));
    out->attempts = attempts;
    out->opcode = r->cdb[0];
    out->transport = tr;
    out->status = r->status;
    out->transferred = r->len - (r->resid < r->len ? r->resid : r->len);
    if (tr == TRANSPORT_ERR_CANCELLED) {
        out->outcome = MMC_OUTCOME_CANCELLED;
        out->hr = E_IMAPI_REQUEST_CANCELLED;
    } else if (tr != TRANSPORT_OK) {
        out->outcome = MMC_OUTCOME_TRANSPORT;
        out->hr = mmc_transport_hresult(tr);
    } else if (r->status == SCSI_STATUS_GOOD) {
        out->outcome = MMC_OUTCOME_GOOD;
        out->hr = MMC_S_OK;
    } else if (r->status == SCSI_STATUS_CHECK_CONDITION) {
        classify_sense(r, out);
    } else {
        classify_status(r->status, out);
    }
}

void mmc_device_init(struct mmc_device *d, struct scsi_transport *t)
{
    memset(d, 0, sizeof(*d));
    d->transport = t;
    d->ready_timeout_ms = MMC_DEFAULT_READY_TIMEOUT_MS;
    d->long_op_timeout_ms = MMC_DEFAULT_LONG_OP_TIMEOUT_MS;
    d->poll_interval_ms = MMC_DEFAULT_POLL_INTERVAL_MS;
}

bool mmc_device_cancelled(const struct mmc_device *d)
{
    return d->cancel && atomic_load(d->cancel);
}

uint64_t mmc_device_now_us(const struct mmc_device *d)
{
    return d->clock.now_us ? d->clock.now_us(d->clock.ctx) : 0;
}

bool mmc_device_sleep(struct mmc_device *d, uint32_t ms)
{
    if (mmc_device_cancelled(d))
        return false;
    if (d->clock.sleep_us && ms)
        d->clock.sleep_us(d->clock.ctx, (uint64_t)ms * US_PER_MS);
    return !mmc_device_cancelled(d);
}

static void mark_cancelled(struct mmc_device *d, const struct scsi_request *r)
{
    unsigned attempts = d->last.attempts;
    memset(&d->last, 0, sizeof(d->last));
    d->last.attempts = attempts;
    d->last.opcode = r->cdb[0];
    d->last.outcome = MMC_OUTCOME_CANCELLED;
    d->last.hr = E_IMAPI_REQUEST_CANCELLED;
}

int32_t mmc_run_once(struct mmc_device *d, struct scsi_request *r)
{
    if (mmc_device_cancelled(d)) {
        mark_cancelled(d, r);
        return d->last.hr;
    }
    r->status = 0;
    r->sense_len = 0;
    r->resid = 0;
    enum transport_result tr = scsi_transport_execute(d->transport, r);
    d->last.attempts++;
    mmc_classify(r, tr, &d->last);
    return d->last.hr;
}

/* Time spent so far in a retry loop: the clock's when there is one, else the
 * poll intervals slept, so loops stay bounded without a clock. */
struct retry_timer {
    uint64_t start_us;
    uint64_t counted_us;
};

static uint64_t elapsed_ms(const struct mmc_device *d, const struct retry_timer *t)
{
    uint64_t us = d->clock.now_us ? mmc_device_now_us(d) - t->start_us : t->counted_us;
    return us / US_PER_MS;
}

int32_t mmc_run(struct mmc_device *d, struct scsi_request *r)
{
    struct retry_timer timer = { mmc_device_now_us(d), 0 };
    bool retried_once = false;
    d->last.attempts = 0;
    for (;;) {
        int32_t hr = mmc_run_once(d, r);
        uint32_t limit_ms;
        switch (d->last.retry) {
        case MMC_RETRY_ONCE:
            if (retried_once)
                return hr;
            retried_once = true;
            continue;
        case MMC_RETRY_WAIT_READY:
            limit_ms = d->ready_timeout_ms;
            break;
        case MMC_RETRY_POLL_PROGRESS:
            limit_ms = d->long_op_timeout_ms;
            if (d->on_busy)
                d->on_busy(d->on_busy_ctx, r->cdb[0], &d->last.sense);
            break;
        default:
            return hr;
        }
        if (elapsed_ms(d, &timer) >= limit_ms)
            return hr;
        if (!mmc_device_sleep(d, d->poll_interval_ms)) {
            mark_cancelled(d, r);
            return d->last.hr;
        }
        timer.counted_us += (uint64_t)d->poll_interval_ms * US_PER_MS;
    }
}

int32_t mmc_wait_ready(struct mmc_device *d)
{
    struct scsi_request r;
    mmc_build_test_unit_ready(&r);
    return mmc_run(d, &r);
}

/* ---- queries ---- */


/* Runs a data-in request into a heap buffer and hands the bytes received to
 * the parser. */
static int32_t run_and_parse_sized(struct mmc_device *d, struct scsi_request *r, const uint8_t *buf,
                                   int32_t (*parse)(const uint8_t *, size_t, void *), void *out, size_t out_size)
{
    memset(out, 0, out_size); /* a failed command leaves a clean answer, not stale fields */
    int32_t hr = mmc_run(d, r);
    if (MMC_FAILED(hr))
        return hr;
    return parse(buf, d->last.transferred, out);
}

#define run_and_parse(d, r, buf, parse, out) run_and_parse_sized(d, r, buf, parse, out, sizeof(*(out)))

static int32_t parse_inquiry_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_inquiry(b, n, o); }
static int32_t parse_config_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_configuration(b, n, o); }
static int32_t parse_disc_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_disc_info(b, n, o); }
static int32_t parse_track_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_track_info(b, n, o); }
static int32_t parse_toc_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_toc(b, n, false, o); }
static int32_t parse_session_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_session_info(b, n, false, o); }
static int32_t parse_full_toc_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_full_toc(b, n, o); }
static int32_t parse_atip_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_atip(b, n, o); }
static int32_t parse_wp_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_write_protection(b, n, o); }
static int32_t parse_capacity_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_capacity(b, n, o); }
static int32_t parse_bufcap_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_buffer_capacity(b, n, o); }
static int32_t parse_speeds_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_write_speeds(b, n, o); }
static int32_t parse_event_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_event_status(b, n, o); }

int32_t mmc_query_inquiry(struct mmc_device *d, struct mmc_inquiry *out)
{
    uint8_t buf[96];
    struct scsi_request r;
    mmc_build_inquiry(&r, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_inquiry_v, out);
}

#define CONFIG_BUFFER 8192u

int32_t mmc_query_configuration(struct mmc_device *d, enum mmc_config_rt rt, uint16_t start,
                                struct mmc_configuration *out)
{
    uint8_t *buf = malloc(CONFIG_BUFFER);
    if (!buf)
        return MMC_E_OUTOFMEMORY;
    struct scsi_request r;
    mmc_build_get_configuration(&r, rt, start, buf, CONFIG_BUFFER);
    int32_t hr = run_and_parse(d, &r, buf, parse_config_v, out);
    free(buf);
    const struct mmc_sense *s = &d->last.sense;
    if (d->last.has_sense && s->key == MMC_KEY_ILLEGAL_REQUEST && s->asc == 0x20)
        hr = E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED;
    return hr;
}

int32_t mmc_query_disc_info(struct mmc_device *d, struct mmc_disc_info *out)
{
    uint8_t buf[64];
    struct scsi_request r;
    mmc_build_read_disc_information(&r, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_disc_v, out);
}

int32_t mmc_query_track_info(struct mmc_device *d, enum mmc_track_address type, uint32_t address,
                             struct mmc_track_info *out)
{
    uint8_t buf[64];
    struct scsi_request r;
    mmc_build_read_track_information(&r, type, address, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_track_v, out);
}

#define TOC_BUFFER (4u + 11u * 256u)

int32_t mmc_query_toc(struct mmc_device *d, struct mmc_toc *out)
{
    uint8_t buf[4 + 8 * MMC_TOC_MAX_ENTRIES];
    struct scsi_request r;
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_TOC, false, 0, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_toc_v, out);
}

int32_t mmc_query_session_info(struct mmc_device *d, struct mmc_session_info *out)
{
    uint8_t buf[12];
    struct scsi_request r;
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_SESSION, false, 0, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_session_v, out);
}

int32_t mmc_query_full_toc(struct mmc_device *d, struct mmc_full_toc *out)
{
    uint8_t *buf = malloc(TOC_BUFFER);
    if (!buf)
        return MMC_E_OUTOFMEMORY;
    struct scsi_request r;
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_FULL, false, 1, buf, TOC_BUFFER);
    int32_t hr = run_and_parse(d, &r, buf, parse_full_toc_v, out);
    free(buf);
    return hr;
}

int32_t mmc_query_atip(struct mmc_device *d, struct mmc_atip *out)
{
    uint8_t buf[32];
    struct scsi_request r;
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_ATIP, false, 0, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_atip_v, out);
}

int32_t mmc_query_write_protection(struct mmc_device *d, struct mmc_write_protection *out)
{
    uint8_t buf[8];
    struct scsi_request r;
    mmc_build_read_disc_structure(&r, MMC_STRUCTURE_DVD, 0, 0, MMC_STRUCTURE_WRITE_PROTECTION, 0, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_wp_v, out);
}

int32_t mmc_query_capacity(struct mmc_device *d, struct mmc_capacity *out)
{
    uint8_t buf[8];
    struct scsi_request r;
    mmc_build_read_capacity(&r, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_capacity_v, out);
}

int32_t mmc_query_buffer_capacity(struct mmc_device *d, struct mmc_buffer_capacity *out)
{
    uint8_t buf[12];
    struct scsi_request r;
    mmc_build_read_buffer_capacity(&r, false, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_bufcap_v, out);
}

int32_t mmc_query_write_speeds(struct mmc_device *d, struct mmc_write_speeds *out)
{
    uint8_t buf[8 + 16 * MMC_MAX_SPEEDS];
    struct scsi_request r;
    mmc_build_get_performance_write_speed(&r, MMC_MAX_SPEEDS, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_speeds_v, out);
}

int32_t mmc_query_event_status(struct mmc_device *d, struct mmc_event_status *out)
{
    uint8_t buf[8];
    struct scsi_request r;
    mmc_build_get_event_status(&r, MMC_EVENT_CLASS_MEDIA, buf, sizeof(buf));
    return run_and_parse(d, &r, buf, parse_event_v, out);
}

int32_t mmc_query_sense(struct mmc_device *d, struct mmc_sense *out)
{
    uint8_t buf[252];
    struct scsi_request r;
    mmc_build_request_sense(&r, false, buf, sizeof(buf));
    int32_t hr = mmc_run_once(d, &r);
    if (MMC_FAILED(hr))
        return hr;
    return mmc_sense_decode(buf, d->last.transferred, out);
}

int32_t mmc_query_mode_page(struct mmc_device *d, enum mmc_page_control pc, uint8_t page_code,
                            struct mmc_mode_page *out)
{
    uint8_t buf[MMC_MODE_HEADER_LEN + 255 + MMC_MODE_PAGE_MAX];
    struct scsi_request r;
    memset(out, 0, sizeof(*out));
    mmc_build_mode_sense10(&r, pc, page_code, buf, sizeof(buf));
    int32_t hr = mmc_run(d, &r);
    /* A drive refuses a page it does not have as an invalid field in the CDB. */
    if (d->last.outcome == MMC_OUTCOME_SENSE && d->last.sense.key == MMC_KEY_ILLEGAL_REQUEST &&
        d->last.sense.asc == 0x24)
        return E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE;
    if (MMC_FAILED(hr))
        return hr;
    const uint8_t *page;
    size_t len;
    hr = mmc_mode_find_page(buf, d->last.transferred, page_code, &page, &len);
    if (MMC_FAILED(hr))
        return hr;
    if (len > sizeof(out->data))
        return E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE;
    memcpy(out->data, page, len);
    out->len = len;
    return MMC_S_OK;
}

int32_t mmc_select_mode_page(struct mmc_device *d, const struct mmc_mode_page *page)
{
    uint8_t list[MMC_MODE_HEADER_LEN + MMC_MODE_PAGE_MAX];
    size_t n;
    int32_t hr = mmc_mode_select_list(page->data, page->len, list, sizeof(list), &n);
    if (MMC_FAILED(hr))
        return hr;
    struct scsi_request r;
    mmc_build_mode_select10(&r, list, (uint32_t)n);
    return mmc_run(d, &r);
}

int32_t mmc_query_capabilities(struct mmc_device *d, struct mmc_capabilities *out)
{
    struct mmc_mode_page page;
    int32_t hr = mmc_query_mode_page(d, MMC_PC_CURRENT, MMC_PAGE_CAPABILITIES, &page);
    if (MMC_FAILED(hr)) {
        memset(out, 0, sizeof(*out));
        return hr;
    }
    return mmc_parse_capabilities(page.data, page.len, out);
}

int32_t mmc_set_cd_speed(struct mmc_device *d, uint16_t read_kbs, uint16_t write_kbs)
{
    struct scsi_request r;
    mmc_build_set_cd_speed(&r, read_kbs, write_kbs);
    return mmc_run(d, &r);
}

/* Both long operations end the same way: Immed returns at once and the
 * drive answers NOT READY (long write / operation in progress) until done. */
static int32_t run_immed_then_wait(struct mmc_device *d, struct scsi_request *r)
{
    int32_t hr = mmc_run(d, r);
    return MMC_FAILED(hr) ? hr : mmc_wait_ready(d);
}

int32_t mmc_synchronize_cache(struct mmc_device *d)
{
    struct scsi_request r;
    mmc_build_synchronize_cache(&r, true);
    return run_immed_then_wait(d, &r);
}

int32_t mmc_close_track_session(struct mmc_device *d, enum mmc_close_function function, uint16_t number)
{
    struct scsi_request r;
    mmc_build_close_track_session(&r, true, (uint8_t)function, number);
    return run_immed_then_wait(d, &r);
}
