/* Raw DAO write engine. Layout of the file: the ring buffer (the only state a
 * reader thread and the writer would share), prepare, the stream checks, and
 * the write job (skip to the lead-in start, read ahead, WRITE, report,
 * finish or abort). */
#include "rawwrite.h"

#include <stdlib.h>
#include <string.h>

#include "imapi2error.h"

#define US_PER_S 1000000u
#define US_PER_MS 1000u

void mmc_raw_options_default(struct mmc_raw_options *o)
{
    memset(o, 0, sizeof(*o));
    o->layout = CD_RAW_RAW;
    o->stream_leadin_sectors = MMC_RAW_DEFAULT_LEADIN_SECTORS;
    o->bufe = true;
    o->write_speed_kbs = MMC_SPEED_MAX;
}

static void fill_option_defaults(struct mmc_raw_options *o)
{
    if (!o->sectors_per_write)
        o->sectors_per_write = MMC_RAW_DEFAULT_CHUNK;
    if (!o->ring_bytes)
        o->ring_bytes = MMC_RAW_DEFAULT_RING_BYTES;
    if (!o->progress_interval_ms)
        o->progress_interval_ms = MMC_RAW_DEFAULT_PROGRESS_MS;
    if (!o->progress_bytes)
        o->progress_bytes = MMC_RAW_DEFAULT_PROGRESS_BYTES;
}

void mmc_raw_writer_init(struct mmc_raw_writer *w, struct scsi_transport *t, const struct mmc_clock *clock)
{
    memset(w, 0, sizeof(*w));
    mmc_device_init(&w->dev, t);
    if (clock)
        w->dev.clock = *clock;
    atomic_init(&w->cancel, false);
    w->dev.cancel = &w->cancel;
    mmc_raw_options_default(&w->opt);
}

void mmc_raw_cancel(struct mmc_raw_writer *w)
{
    atomic_store(&w->cancel, true);
    scsi_transport_cancel(w->dev.transport);
}

static bool cancelled(struct mmc_raw_writer *w)
{
    return atomic_load(&w->cancel);
}

/* A cancel belongs to the write it interrupted; the next operation starts clean. */
static void clear_cancel(struct mmc_raw_writer *w)
{
    atomic_store(&w->cancel, false);
    scsi_transport_reset_cancel(w->dev.transport);
}

/* ---- ring: fixed slots of one WRITE each; the reader fills at head, the
 * writer drains at tail. Single-threaded today; a reader thread would only
 * need a lock (or atomics) around full_slots. ---- */

struct raw_ring {
    uint8_t *alloc, *mem;
    size_t slot_bytes;
    uint32_t slots, head, tail, full_slots;
    uint32_t *sectors;  /* sectors held by each slot */
    size_t sector_size;
};

static bool ring_open(struct raw_ring *r, uint32_t slots, uint32_t chunk, size_t sector_size, uint32_t align_mask)
{
    memset(r, 0, sizeof(*r));
    r->slots = slots;
    r->sector_size = sector_size;
    r->slot_bytes = (size_t)chunk * sector_size;
    r->alloc = malloc(r->slot_bytes * slots + align_mask + 1);
    r->sectors = calloc(slots, sizeof(*r->sectors));
    if (!r->alloc || !r->sectors)
        return false;
    /* The transport may need aligned data buffers (SPTI adapters do). */
    uintptr_t p = ((uintptr_t)r->alloc + align_mask) & ~(uintptr_t)align_mask;
    r->mem = (uint8_t *)p;
    return true;
}

static void ring_close(struct raw_ring *r)
{
    free(r->alloc);
    free(r->sectors);
    memset(r, 0, sizeof(*r));
}

static bool ring_can_fill(const struct raw_ring *r) { return r->full_slots < r->slots; }
static bool ring_can_drain(const struct raw_ring *r) { return r->full_slots > 0; }
static uint8_t *ring_slot(const struct raw_ring *r, uint32_t i) { return r->mem + r->slot_bytes * i; }

static void ring_commit(struct raw_ring *r, uint32_t sectors)
{
    r->sectors[r->head] = sectors;
    r->head = (r->head + 1) % r->slots;
    r->full_slots++;
}

static void ring_release(struct raw_ring *r)
{
    r->tail = (r->tail + 1) % r->slots;
    r->full_slots--;
}

static uint32_t ring_used_bytes(const struct raw_ring *r)
{
    uint64_t used = 0;
    for (uint32_t i = 0, s = r->tail; i < r->full_slots; i++, s = (s + 1) % r->slots)
        used += (uint64_t)r->sectors[s] * r->sector_size;
    return (uint32_t)used;
}

/* ---- prepare ---- */

static bool profile_is_cd_recordable(uint16_t p)
{
    return p == MMC_PROFILE_CD_R || p == MMC_PROFILE_CD_RW;
}

static bool rejected_parameters(const struct mmc_device *d)
{
    const struct mmc_sense *s = &d->last.sense;
    return d->last.has_sense && s->key == MMC_KEY_ILLEGAL_REQUEST && (s->asc == 0x24 || s->asc == 0x26);
}

/* Page 05 to RAW with a data block type; keeps the drive's other bytes. */
static int32_t select_raw_page(struct mmc_device *d, const struct mmc_mode_page *current, int layout, bool bufe,
                               bool test_write)
{
    struct mmc_mode_page page = *current;
    struct mmc_write_params wp;
    int32_t hr = mmc_parse_write_params(page.data, page.len, &wp);
    if (MMC_FAILED(hr))
        return hr;
    wp.write_type = MMC_WT_RAW;
    wp.data_block_type = (uint8_t)layout;
    wp.bufe = bufe;
    wp.test_write = test_write;
    wp.multi_session = 0;
    wp.ls_v = false;
    hr = mmc_apply_write_params(page.data, page.len, &wp);
    return MMC_FAILED(hr) ? hr : mmc_select_mode_page(d, &page);
}

static int32_t set_write_parameters(struct mmc_raw_writer *w)
{
    struct mmc_mode_page page;
    int32_t hr = mmc_query_mode_page(&w->dev, MMC_PC_CURRENT, MMC_PAGE_WRITE_PARAMETERS, &page);
    if (MMC_FAILED(hr))
        return hr;
    hr = select_raw_page(&w->dev, &page, w->opt.layout, w->opt.bufe, w->opt.test_write);
    if (MMC_SUCCEEDED(hr) || !rejected_parameters(&w->dev))
        return hr;
    /* Refused: was it the block type, or test write on a drive without it? */
    if (w->opt.test_write && MMC_SUCCEEDED(select_raw_page(&w->dev, &page, w->opt.layout, w->opt.bufe, false)))
        return E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS;
    return E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED;
}

static int32_t check_drive_and_media(struct mmc_raw_writer *w)
{
    struct mmc_configuration cfg;
    int32_t hr = mmc_query_configuration(&w->dev, MMC_RT_ALL, 0, &cfg);
    if (MMC_FAILED(hr))
        return hr;
    if (!cfg.mastering.present || !cfg.mastering.raw)
        return E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED;
    if (cfg.current_profile == 0) { /* no current profile: most likely no disc; let the drive say */
        hr = mmc_wait_ready(&w->dev);
        return MMC_FAILED(hr) ? hr : E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED;
    }
    if (!profile_is_cd_recordable(cfg.current_profile))
        return E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED;
    w->media.profile = cfg.current_profile;
    struct mmc_disc_info di;
    hr = mmc_query_disc_info(&w->dev, &di);
    if (MMC_FAILED(hr))
        return hr;
    if (di.disc_status != MMC_DISC_EMPTY)
        return E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK;
    w->media.erasable = di.erasable;
    struct mmc_atip atip;
    if (MMC_FAILED(mmc_query_atip(&w->dev, &atip)))
        return E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED; /* a blank CD without ATIP is not one we can place */
    w->media.leadin_start = atip.leadin_start;
    w->media.last_possible_leadout = atip.last_possible_leadout;
    return MMC_S_OK;
}

static void set_speed(struct mmc_raw_writer *w)
{
    /* A drive may refuse or round the speed; neither stops a burn. */
    mmc_set_cd_speed(&w->dev, MMC_SPEED_MAX, w->opt.write_speed_kbs);
    struct mmc_capabilities caps;
    if (MMC_SUCCEEDED(mmc_query_capabilities(&w->dev, &caps)))
        w->media.write_speed_kbs = caps.has_selected_speed ? caps.selected_write_kbs : caps.current_write_kbs;
}

int32_t mmc_raw_prepare(struct mmc_raw_writer *w, const struct mmc_raw_options *o)
{
    w->prepared = false;
    clear_cancel(w);
    w->opt = *o;
    fill_option_defaults(&w->opt);
    memset(&w->media, 0, sizeof(w->media));
    if (!cd_raw_sector_size(w->opt.layout) || w->opt.stream_leadin_sectors < 0)
        return MMC_E_INVALIDARG;
    int32_t hr = check_drive_and_media(w);
    if (MMC_SUCCEEDED(hr))
        hr = mmc_raw_supported_layouts(&w->dev, w->media.layouts);
    if (MMC_FAILED(hr))
        return hr;
    set_speed(w);
    w->prepared = true;
    return MMC_S_OK;
}

int32_t mmc_raw_supported_layouts(struct mmc_device *d, bool supported[4])
{
    memset(supported, 0, 4 * sizeof(bool));
    struct mmc_mode_page saved;
    int32_t hr = mmc_query_mode_page(d, MMC_PC_CURRENT, MMC_PAGE_WRITE_PARAMETERS, &saved);
    if (MMC_FAILED(hr))
        return hr;
    static const int layouts[] = { CD_RAW_PQ, CD_RAW_COOKED, CD_RAW_RAW };
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        struct mmc_write_params wp;
        mmc_parse_write_params(saved.data, saved.len, &wp);
        supported[layouts[i]] = MMC_SUCCEEDED(select_raw_page(d, &saved, layouts[i], wp.bufe, false));
    }
    return mmc_select_mode_page(d, &saved);
}

/* ---- stream checks ---- */

int32_t mmc_raw_check_stream(const struct mmc_raw_writer *w, uint64_t stream_size)
{
    if (!w->prepared)
        return E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED;
    size_t ss = cd_raw_sector_size(w->opt.layout);
    if (!ss)
        return MMC_E_INVALIDARG;
    if (stream_size == 0 || stream_size % ss)
        return E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED;
    int64_t first = -(int64_t)w->opt.stream_leadin_sectors;
    int64_t last = first + (int64_t)(stream_size / ss) - 1;
    if (first > w->media.leadin_start)
        return E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT;
    if (last < w->media.leadin_start)
        return E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED; /* nothing at or after the lead-in start */
    if (last >= (int64_t)w->media.last_possible_leadout + MMC_RAW_LEADOUT_SECTORS)
        return E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE;
    return MMC_S_OK;
}

/* ---- the write job ---- */

struct raw_job {
    struct mmc_raw_writer *w;
    const struct mmc_raw_stream *s;
    mmc_raw_progress_fn cb;
    void *cb_ctx;
    struct raw_ring ring;
    size_t ss;
    uint32_t chunk;
    int32_t start_lba;
    uint32_t total, read, written;
    uint64_t t0_us, last_report_us, bytes_since_report;
    struct mmc_buffer_capacity drive_buffer;
};

static void fail(struct raw_job *j, int32_t hr)
{
    if (j->w->hr == MMC_S_OK && MMC_FAILED(hr))
        j->w->hr = hr; /* the first fatal error is the one the caller hears */
}

static bool healthy(const struct raw_job *j)
{
    return j->w->hr == MMC_S_OK;
}

static uint64_t now_us(const struct raw_job *j)
{
    return mmc_device_now_us(&j->w->dev);
}

static bool report(struct raw_job *j, enum mmc_raw_action action)
{
    struct mmc_raw_progress p = { 0 };
    uint64_t elapsed = now_us(j) - j->t0_us;
    if (action == MMC_RAW_ACTION_WRITING &&
        MMC_SUCCEEDED(mmc_query_buffer_capacity(&j->w->dev, &j->drive_buffer)) && j->drive_buffer.block)
        memset(&j->drive_buffer, 0, sizeof(j->drive_buffer)); /* blocks only: no byte figures */
    p.action = action;
    p.start_lba = j->start_lba;
    p.sector_count = j->total;
    p.last_read_lba = j->start_lba + (int32_t)j->read - 1;
    p.last_written_lba = j->start_lba + (int32_t)j->written - 1;
    p.total_system_buffer = (uint32_t)(j->ring.slot_bytes * j->ring.slots);
    p.used_system_buffer = ring_used_bytes(&j->ring);
    p.free_system_buffer = p.total_system_buffer - p.used_system_buffer;
    p.drive_buffer_size = j->drive_buffer.length;
    p.drive_buffer_free = j->drive_buffer.blank;
    p.elapsed_s = (uint32_t)(elapsed / US_PER_S);
    if (j->written > 0 && j->written < j->total)
        p.remaining_s = (uint32_t)(elapsed * (j->total - j->written) / j->written / US_PER_S);
    j->last_report_us = now_us(j);
    j->bytes_since_report = 0;
    j->w->progress_reports++;
    return j->cb ? j->cb(j->cb_ctx, &p) : false;
}

/* Reports when 0.5 s or 1 MiB have passed since the last report: WRITING
 * while writing, PREPARING while the stream is read up to the lead-in start.
 * A callback that asks to stop cancels the write. */
static void report_if_due(struct raw_job *j, enum mmc_raw_action action)
{
    bool time_due = j->w->dev.clock.now_us &&
                    now_us(j) - j->last_report_us >= (uint64_t)j->w->opt.progress_interval_ms * US_PER_MS;
    if ((time_due || j->bytes_since_report >= j->w->opt.progress_bytes) && report(j, action))
        mmc_raw_cancel(j->w);
}

/* Reads exactly len bytes; a stream that ends early is not a raw image. A
 * cancel is honoured between the stream's reads, however small they are. */
static int32_t read_exact(struct raw_job *j, uint8_t *buf, size_t len)
{
    const struct mmc_raw_stream *s = j->s;
    while (len > 0) {
        if (cancelled(j->w))
            return E_IMAPI_REQUEST_CANCELLED;
        uint32_t want = len > 0x40000000u ? 0x40000000u : (uint32_t)len, got = 0;
        int32_t hr = s->read(s->ctx, buf, want, &got);
        if (MMC_FAILED(hr))
            return hr;
        if (got == 0 || got > want)
            return E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED;
        buf += got;
        len -= got;
    }
    return MMC_S_OK;
}

/* Moves the stream to the ATIP lead-in start: the sectors before it are the
 * part of the image's lead-in this disc has no room for. A seek that fails
 * means "read and discard"; E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED from it means
 * the stream no longer knows where it is (a seek that said it moved but did
 * not), and nothing may be written from it. Reading a long lead-in takes
 * seconds: it reports PREPARING as a write reports WRITING, and stops at a
 * cancel. */
static void skip_to_leadin(struct raw_job *j, uint64_t skip_sectors)
{
    uint64_t bytes = skip_sectors * j->ss;
    if (bytes == 0)
        return;
    if (j->s->seek) {
        int32_t hr = j->s->seek(j->s->ctx, bytes);
        if (MMC_SUCCEEDED(hr))
            return;
        if (hr == E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED) {
            fail(j, hr);
            return;
        }
    }
    uint8_t *scratch = ring_slot(&j->ring, 0);
    while (bytes > 0 && healthy(j) && !cancelled(j->w)) {
        size_t n = bytes < j->ring.slot_bytes ? (size_t)bytes : j->ring.slot_bytes;
        fail(j, read_exact(j, scratch, n));
        bytes -= n;
        j->bytes_since_report += n;
        if (healthy(j))
            report_if_due(j, MMC_RAW_ACTION_PREPARING);
    }
    j->bytes_since_report = 0;
}

static void read_ahead(struct raw_job *j)
{
    while (healthy(j) && !cancelled(j->w) && j->read < j->total && ring_can_fill(&j->ring)) {
        uint32_t n = j->total - j->read < j->chunk ? j->total - j->read : j->chunk;
        int32_t hr = read_exact(j, ring_slot(&j->ring, j->ring.head), (size_t)n * j->ss);
        if (MMC_FAILED(hr)) {
            fail(j, hr);
            return;
        }
        ring_commit(&j->ring, n);
        j->read += n;
    }
}

static void write_one(struct raw_job *j)
{
    uint32_t n = j->ring.sectors[j->ring.tail];
    struct scsi_request r;
    mmc_build_write10(&r, j->start_lba + (int32_t)j->written, (uint16_t)n, ring_slot(&j->ring, j->ring.tail),
                      (uint32_t)(n * j->ss));
    j->w->writes_issued++;
    int32_t hr = mmc_run(&j->w->dev, &r);
    if (MMC_FAILED(hr)) {
        fail(j, hr);
        return;
    }
    ring_release(&j->ring);
    j->written += n;
    j->bytes_since_report += (uint64_t)n * j->ss;
}

/* Ends the drive's write whatever happened, without letting the cancel flag
 * stop the flush itself. */
static void flush_after_stop(struct raw_job *j)
{
    struct mmc_device *d = &j->w->dev;
    atomic_bool *cancel = d->cancel;
    scsi_transport_reset_cancel(d->transport);
    d->cancel = NULL;
    struct scsi_request r;
    mmc_build_synchronize_cache(&r, true);
    if (MMC_SUCCEEDED(mmc_run(d, &r)))
        mmc_wait_ready(d);
    d->cancel = cancel;
}

static int32_t verify(struct raw_job *j)
{
    struct mmc_disc_info di;
    int32_t hr = mmc_query_disc_info(&j->w->dev, &di);
    if (MMC_FAILED(hr))
        return hr;
    if (j->w->opt.test_write) /* a simulation records nothing */
        return di.disc_status == MMC_DISC_EMPTY ? MMC_S_OK : E_IMAPI_BURN_VERIFICATION_FAILED;
    struct mmc_toc toc;
    if (di.disc_status != MMC_DISC_COMPLETE || MMC_FAILED(mmc_query_toc(&j->w->dev, &toc)))
        return E_IMAPI_BURN_VERIFICATION_FAILED;
    return MMC_S_OK;
}

static void finish(struct raw_job *j)
{
    report(j, MMC_RAW_ACTION_FINISHING); /* too late to cancel: the lead-out is written */
    struct scsi_request r;
    mmc_build_synchronize_cache(&r, true);
    fail(j, mmc_run(&j->w->dev, &r));
    if (healthy(j))
        fail(j, mmc_wait_ready(&j->w->dev));
    if (healthy(j))
        fail(j, verify(j));
    if (healthy(j))
        report(j, MMC_RAW_ACTION_FINISHED);
}

static bool job_open(struct raw_job *j)
{
    struct mmc_raw_writer *w = j->w;
    struct scsi_transport *t = w->dev.transport;
    j->ss = cd_raw_sector_size(w->opt.layout);
    j->chunk = w->opt.sectors_per_write > 0xFFFF ? 0xFFFF : w->opt.sectors_per_write;
    if (t->max_transfer && j->chunk * j->ss > t->max_transfer)
        j->chunk = (uint32_t)(t->max_transfer / j->ss);
    if (j->chunk == 0)
        j->chunk = 1;
    uint32_t slots = (uint32_t)(w->opt.ring_bytes / (j->chunk * j->ss));
    return ring_open(&j->ring, slots < 2 ? 2 : slots, j->chunk, j->ss, t->alignment_mask);
}

static void run_job(struct raw_job *j)
{
    uint64_t first = (uint64_t)((int64_t)j->start_lba + j->w->opt.stream_leadin_sectors);
    if (report(j, MMC_RAW_ACTION_PREPARING))
        mmc_raw_cancel(j->w);
    skip_to_leadin(j, first);
    while (healthy(j) && j->written < j->total && !cancelled(j->w)) {
        read_ahead(j);
        if (!healthy(j) || cancelled(j->w) || !ring_can_drain(&j->ring))
            break;
        write_one(j);
        if (healthy(j))
            report_if_due(j, MMC_RAW_ACTION_WRITING);
    }
}

int32_t mmc_raw_write(struct mmc_raw_writer *w, const struct mmc_raw_stream *s, mmc_raw_progress_fn progress,
                      void *ctx)
{
    w->hr = MMC_S_OK;
    clear_cancel(w);
    w->writes_issued = 0;
    w->progress_reports = 0;
    if (!s || !s->read)
        return MMC_E_POINTER;
    int32_t hr = mmc_raw_check_stream(w, s->size);
    if (MMC_FAILED(hr))
        return hr;
    /* The options may have changed since prepare (IMAPI2 sets the sector
     * type after PrepareMedia): page 05 and the speed go to the drive now. */
    if (!w->media.layouts[w->opt.layout])
        return E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED;
    if (MMC_FAILED(hr = set_write_parameters(w)))
        return hr;
    set_speed(w);
    struct raw_job j = { .w = w, .s = s, .cb = progress, .cb_ctx = ctx };
    j.start_lba = w->media.leadin_start;
    j.total = (uint32_t)(s->size / cd_raw_sector_size(w->opt.layout) -
                         (uint64_t)((int64_t)j.start_lba + w->opt.stream_leadin_sectors));
    if (!job_open(&j)) {
        ring_close(&j.ring);
        return MMC_E_OUTOFMEMORY;
    }
    j.t0_us = j.last_report_us = now_us(&j);
    run_job(&j);
    if (cancelled(w))
        fail(&j, E_IMAPI_REQUEST_CANCELLED);
    if (healthy(&j))
        finish(&j);
    else
        flush_after_stop(&j);
    ring_close(&j.ring);
    return w->hr;
}
