/* The write loop the engines share (writeloop.h). */
#include "mmc/writeloop.h"

#include <stdlib.h>
#include <string.h>

#include "imapi2error.h"

#define US_PER_S 1000000u
#define US_PER_MS 1000u

/* ---- ring ---- */

static bool ring_open(struct mmc_ring *r, uint32_t slots, uint32_t chunk, size_t sector_size, uint32_t align_mask)
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

static void ring_close(struct mmc_ring *r)
{
    free(r->alloc);
    free(r->sectors);
    memset(r, 0, sizeof(*r));
}

static bool ring_can_fill(const struct mmc_ring *r) { return r->full_slots < r->slots; }
static bool ring_can_drain(const struct mmc_ring *r) { return r->full_slots > 0; }
static uint8_t *ring_slot(const struct mmc_ring *r, uint32_t i) { return r->mem + r->slot_bytes * i; }

static void ring_commit(struct mmc_ring *r, uint32_t sectors)
{
    r->sectors[r->head] = sectors;
    r->head = (r->head + 1) % r->slots;
    r->full_slots++;
}

static void ring_release(struct mmc_ring *r)
{
    r->tail = (r->tail + 1) % r->slots;
    r->full_slots--;
}

static uint32_t ring_used_bytes(const struct mmc_ring *r)
{
    uint64_t used = 0;
    for (uint32_t i = 0, s = r->tail; i < r->full_slots; i++, s = (s + 1) % r->slots)
        used += (uint64_t)r->sectors[s] * r->sector_size;
    return (uint32_t)used;
}

/* ---- the loop ---- */

void mmc_loop_options_default(struct mmc_loop_options *o)
{
    memset(o, 0, sizeof(*o));
    o->bufe = true;
    o->write_speed_kbs = MMC_SPEED_MAX;
}

void mmc_loop_fill_defaults(struct mmc_loop_options *o, uint32_t default_chunk)
{
    if (!o->sectors_per_write)
        o->sectors_per_write = default_chunk;
    if (!o->ring_bytes)
        o->ring_bytes = MMC_LOOP_DEFAULT_RING_BYTES;
    if (!o->progress_interval_ms)
        o->progress_interval_ms = MMC_LOOP_DEFAULT_PROGRESS_MS;
    if (!o->progress_bytes)
        o->progress_bytes = MMC_LOOP_DEFAULT_PROGRESS_BYTES;
}

bool mmc_loop_open(struct mmc_write_loop *l, size_t sector_size, const struct mmc_loop_options *o)
{
    struct scsi_transport *t = l->dev->transport;
    l->ss = sector_size;
    l->chunk = o->sectors_per_write > 0xFFFF ? 0xFFFF : o->sectors_per_write;
    if (t->max_transfer && l->chunk * l->ss > t->max_transfer)
        l->chunk = (uint32_t)(t->max_transfer / l->ss);
    if (l->chunk == 0)
        l->chunk = 1;
    uint32_t slots = (uint32_t)(o->ring_bytes / (l->chunk * l->ss));
    l->progress_interval_ms = o->progress_interval_ms;
    l->progress_bytes = o->progress_bytes;
    l->read = l->written = 0;
    l->taken = 0;
    l->hr = MMC_S_OK;
    atomic_init(&l->writes_issued, 0);
    l->reports = 0;
    l->bytes_since_report = 0;
    l->report_cost_us = 0;
    l->drive_buffer_size = l->drive_buffer_free = 0;
    l->t0_us = l->last_report_us = mmc_loop_now_us(l);
    if (!mmc_lock_init(&l->lock))
        return false;
    if (ring_open(&l->ring, slots < 2 ? 2 : slots, l->chunk, l->ss, t->alignment_mask))
        return true;
    ring_close(&l->ring);
    mmc_lock_destroy(&l->lock);
    return false;
}

void mmc_loop_close(struct mmc_write_loop *l)
{
    ring_close(&l->ring);
    mmc_lock_destroy(&l->lock);
    if (l->writes_out)
        atomic_store(l->writes_out, atomic_load(&l->writes_issued));
    if (l->reports_out)
        *l->reports_out = l->reports;
}

bool mmc_loop_cancelled(const struct mmc_write_loop *l)
{
    return mmc_device_cancelled(l->dev);
}

void mmc_loop_fail(struct mmc_write_loop *l, int32_t hr)
{
    if (l->hr == MMC_S_OK && MMC_FAILED(hr))
        l->hr = hr; /* the first fatal error is the one the caller hears */
}

uint64_t mmc_loop_now_us(const struct mmc_write_loop *l)
{
    return mmc_device_now_us(l->dev);
}

void mmc_writer_device_init(struct mmc_device *d, atomic_bool *cancel, struct scsi_transport *t,
                            const struct io_clock *clock)
{
    mmc_device_init(d, t);
    if (clock)
        d->clock = *clock;
    atomic_init(cancel, false);
    d->cancel = cancel;
}

void mmc_writer_set_speed(struct mmc_device *d, uint16_t kbs, uint16_t *chosen)
{
    struct mmc_capabilities caps;
    mmc_set_cd_speed(d, MMC_SPEED_MAX, kbs);
    if (MMC_SUCCEEDED(mmc_query_capabilities(d, &caps)))
        *chosen = caps.has_selected_speed ? caps.selected_write_kbs : caps.current_write_kbs;
}

void mmc_device_cancel(struct mmc_device *d)
{
    if (d->cancel)
        atomic_store(d->cancel, true);
    scsi_transport_cancel(d->transport);
}

void mmc_device_clear_cancel(struct mmc_device *d)
{
    if (d->cancel)
        atomic_store(d->cancel, false);
    scsi_transport_reset_cancel(d->transport);
}

int32_t mmc_loop_read_exact(struct mmc_write_loop *l, uint8_t *buf, size_t len)
{
    const struct mmc_raw_stream *s = l->s;
    while (len > 0) {
        if (mmc_loop_cancelled(l))
            return E_IMAPI_REQUEST_CANCELLED;
        uint32_t want = len > 0x40000000u ? 0x40000000u : (uint32_t)len, got = 0;
        int32_t hr = s->read(s->ctx, buf, want, &got);
        if (MMC_FAILED(hr))
            return hr;
        if (got == 0 || got > want)
            return l->short_stream_hr;
        buf += got;
        len -= got;
    }
    return MMC_S_OK;
}

bool mmc_loop_report(struct mmc_write_loop *l, int action)
{
    struct mmc_write_progress p = { 0 };
    uint64_t elapsed = mmc_loop_now_us(l) - l->t0_us;
    mmc_lock_take(&l->lock);
    p.action = action;
    p.track = l->track;
    p.start_lba = l->start_lba;
    p.sector_count = l->total;
    p.last_read_lba = l->start_lba + (int32_t)l->read - 1;
    p.last_written_lba = l->start_lba + (int32_t)l->written - 1;
    p.total_system_buffer = (uint32_t)(l->ring.slot_bytes * l->ring.slots);
    p.used_system_buffer = ring_used_bytes(&l->ring);
    p.free_system_buffer = p.total_system_buffer - p.used_system_buffer;
    if (l->ask_drive_buffer && action == MMC_WRITE_ACTION_WRITING) {
        p.drive_buffer_size = l->drive_buffer_size;
        p.drive_buffer_free = l->drive_buffer_free;
        l->buffer_wanted = true;
    }
    if (l->written > 0 && l->written < l->total)
        p.remaining_s = (uint32_t)(elapsed * (l->total - l->written) / l->written / US_PER_S);
    uint64_t covered = l->bytes_since_report < l->progress_bytes ? l->bytes_since_report : l->progress_bytes;
    mmc_lock_drop(&l->lock);
    p.elapsed_s = (uint32_t)(elapsed / US_PER_S);
    l->reports++;
    if (l->reports_out)
        *l->reports_out = l->reports;
    uint64_t before = mmc_loop_now_us(l);
    bool stop = l->progress ? l->progress(l->progress_ctx, &p) : false;
    l->last_report_us = mmc_loop_now_us(l);
    l->report_cost_us = l->last_report_us - before;
    mmc_lock_take(&l->lock);
    l->bytes_since_report -= covered; /* reports keep pace with the bytes written, one per progress_bytes */
    mmc_lock_drop(&l->lock);
    return stop;
}

/* Held: whether the interval or the byte count has passed, and the reader
 * has had REPORT_SHARE times the last report's cost to itself since: a
 * handler that takes its time spaces the reports out, so that the reader
 * keeps reading (the bytes they did not cover are reported later, or not
 * at all once the write is over). */
#define REPORT_SHARE 4u
static bool report_due(struct mmc_write_loop *l)
{
    uint64_t since = mmc_loop_now_us(l) - l->last_report_us;
    if (since < l->report_cost_us * REPORT_SHARE)
        return false;
    bool time_due = l->dev->clock.now_us && since >= (uint64_t)l->progress_interval_ms * US_PER_MS;
    return time_due || l->bytes_since_report >= l->progress_bytes;
}

void mmc_loop_report_if_due(struct mmc_write_loop *l, int action)
{
    for (;;) {
        mmc_lock_take(&l->lock);
        bool due = report_due(l) && !mmc_loop_cancelled(l);
        mmc_lock_drop(&l->lock);
        if (!due)
            return;
        if (mmc_loop_report(l, action))
            mmc_device_cancel(l->dev);
    }
}

/* One slot's worth: from the stream while it lasts, zeros after it. */
static int32_t fill_slot(struct mmc_write_loop *l, uint8_t *slot, uint32_t sectors)
{
    size_t want = (size_t)sectors * l->ss, from_stream = 0;
    if (l->taken < l->stream_bytes)
        from_stream = l->stream_bytes - l->taken < want ? (size_t)(l->stream_bytes - l->taken) : want;
    int32_t hr = mmc_loop_read_exact(l, slot, from_stream);
    if (MMC_FAILED(hr))
        return hr;
    l->taken += from_stream;
    memset(slot + from_stream, 0, want - from_stream);
    return MMC_S_OK;
}

/* One WRITE of the slot at the tail (n sectors at the next LBA); the
 * WRITE runs without the lock. */
static int32_t write_slot(struct mmc_write_loop *l, const uint8_t *slot, uint32_t n, int32_t lba)
{
    struct scsi_request r;
    mmc_build_write10(&r, lba, (uint16_t)n, (void *)slot, (uint32_t)(n * l->ss));
    uint32_t issued = atomic_fetch_add(&l->writes_issued, 1) + 1;
    if (l->writes_out)
        atomic_store(l->writes_out, issued);
    return mmc_run(l->dev, &r);
}

/* The writer thread's READ BUFFER CAPACITY: byte figures only. */
static void read_drive_buffer(struct mmc_write_loop *l)
{
    struct mmc_buffer_capacity cap = { 0 };
    if (MMC_FAILED(mmc_query_buffer_capacity(l->dev, &cap)) || cap.block)
        memset(&cap, 0, sizeof(cap));
    mmc_lock_take(&l->lock);
    l->drive_buffer_size = cap.length;
    l->drive_buffer_free = cap.blank;
    l->buffer_wanted = false;
    mmc_lock_drop(&l->lock);
}

/* Held: whether the pipeline is to stop (a failure or a cancel). */
static bool stopping(const struct mmc_write_loop *l)
{
    return !mmc_loop_healthy(l) || mmc_loop_cancelled(l);
}

/* Held: waits until there is a slot to write; false when there will be none. */
static bool wait_for_slot(struct mmc_write_loop *l)
{
    while (!stopping(l) && (!l->primed || !ring_can_drain(&l->ring))) {
        if (l->reader_done && !ring_can_drain(&l->ring))
            return false;
        mmc_lock_wait_ms(&l->lock, MMC_LOOP_POLL_MS);
    }
    return !stopping(l);
}

static void *writer_main(void *arg)
{
    struct mmc_write_loop *l = arg;
    mmc_thread_raise_priority();
    if (l->ask_drive_buffer)
        read_drive_buffer(l);
    mmc_lock_take(&l->lock);
    while (wait_for_slot(l)) {
        uint32_t n = l->ring.sectors[l->ring.tail];
        const uint8_t *slot = ring_slot(&l->ring, l->ring.tail);
        int32_t lba = l->start_lba + (int32_t)l->written;
        mmc_lock_drop(&l->lock);
        bool send = !mmc_loop_cancelled(l); /* the last look before a WRITE */
        int32_t hr = send ? write_slot(l, slot, n, lba) : MMC_S_OK;
        mmc_lock_take(&l->lock);
        if (MMC_FAILED(hr))
            mmc_loop_fail(l, hr);
        if (MMC_FAILED(hr) || !send)
            break;
        ring_release(&l->ring); /* the drive has it, cancel or not */
        l->written += n;
        l->bytes_since_report += (uint64_t)n * l->ss;
        mmc_lock_signal(&l->lock);
        if (l->buffer_wanted) {
            mmc_lock_drop(&l->lock);
            read_drive_buffer(l);
            mmc_lock_take(&l->lock);
        }
    }
    l->writer_done = true;
    mmc_lock_signal(&l->lock);
    mmc_lock_drop(&l->lock);
    return NULL;
}

/* Held: waits (reporting, unheld, as it goes) while cond says so. */
static void wait_reporting(struct mmc_write_loop *l, int action, bool (*cond)(const struct mmc_write_loop *l))
{
    while (cond(l)) {
        mmc_lock_wait_ms(&l->lock, MMC_LOOP_POLL_MS);
        mmc_lock_drop(&l->lock);
        mmc_loop_report_if_due(l, action);
        mmc_lock_take(&l->lock);
    }
}

static bool ring_full(const struct mmc_write_loop *l)
{
    return !stopping(l) && !ring_can_fill(&l->ring);
}

static bool writer_busy(const struct mmc_write_loop *l)
{
    return !l->writer_done;
}

/* Once the writer is done nothing can underrun: the bytes the spaced-out
 * reports did not cover get theirs now, one per progress_bytes, as long as
 * the handler is quick (a slow one would hold the caller for long). */
static void report_backlog(struct mmc_write_loop *l, int action)
{
    while (mmc_loop_healthy(l) && !mmc_loop_cancelled(l) && l->bytes_since_report >= l->progress_bytes &&
           l->report_cost_us <= (uint64_t)MMC_LOOP_POLL_MS * US_PER_MS)
        if (mmc_loop_report(l, action))
            mmc_device_cancel(l->dev);
}

/* The caller's side: fills slots as they free up; the ring full (or the
 * stream read) the first time lets the WRITEs start. */
static void read_slots(struct mmc_write_loop *l, int action)
{
    mmc_lock_take(&l->lock);
    while (!stopping(l) && l->read < l->total) {
        if (!ring_can_fill(&l->ring)) {
            l->primed = true;
            mmc_lock_signal(&l->lock);
            wait_reporting(l, action, ring_full);
            continue;
        }
        uint32_t n = l->total - l->read < l->chunk ? l->total - l->read : l->chunk;
        uint8_t *slot = ring_slot(&l->ring, l->ring.head);
        mmc_lock_drop(&l->lock);
        int32_t hr = fill_slot(l, slot, n);
        mmc_lock_take(&l->lock);
        if (MMC_FAILED(hr)) {
            mmc_loop_fail(l, hr);
            break;
        }
        ring_commit(&l->ring, n);
        l->read += n;
        mmc_lock_signal(&l->lock);
        mmc_lock_drop(&l->lock);
        mmc_loop_report_if_due(l, action);
        mmc_lock_take(&l->lock);
    }
    l->primed = l->reader_done = true;
    mmc_lock_signal(&l->lock);
    wait_reporting(l, action, writer_busy);
    mmc_lock_drop(&l->lock);
    report_backlog(l, action);
}

void mmc_loop_run(struct mmc_write_loop *l, int action)
{
    if (stopping(l) || l->written >= l->total)
        return;
    l->primed = l->reader_done = l->writer_done = l->buffer_wanted = false;
    if (!mmc_thread_start(&l->writer, writer_main, l)) {
        mmc_loop_fail(l, MMC_E_OUTOFMEMORY);
        return;
    }
    read_slots(l, action);
    mmc_thread_join(&l->writer);
}

void mmc_loop_discard(struct mmc_write_loop *l, uint64_t bytes, int action)
{
    uint8_t *scratch = ring_slot(&l->ring, 0);
    while (bytes > 0 && mmc_loop_healthy(l) && !mmc_loop_cancelled(l)) {
        size_t n = bytes < l->ring.slot_bytes ? (size_t)bytes : l->ring.slot_bytes;
        mmc_loop_fail(l, mmc_loop_read_exact(l, scratch, n));
        bytes -= n;
        l->bytes_since_report += n;
        if (mmc_loop_healthy(l))
            mmc_loop_report_if_due(l, action);
    }
    l->bytes_since_report = 0;
}

void mmc_loop_pad_after_cancel(struct mmc_write_loop *l, uint32_t upto)
{
    struct mmc_device *d = l->dev;
    atomic_bool *cancel = d->cancel;
    uint8_t *zeros = ring_slot(&l->ring, 0);
    if (!mmc_loop_healthy(l) || l->written >= upto)
        return;
    l->ring.head = l->ring.tail = l->ring.full_slots = 0;
    memset(zeros, 0, l->ring.slot_bytes); /* what was read ahead and not written is dropped */
    scsi_transport_reset_cancel(d->transport);
    d->cancel = NULL;
    while (mmc_loop_healthy(l) && l->written < upto) {
        uint32_t n = upto - l->written < l->chunk ? upto - l->written : l->chunk;
        mmc_loop_fail(l, write_slot(l, zeros, n, l->start_lba + (int32_t)l->written));
        if (mmc_loop_healthy(l))
            l->written += n;
    }
    l->read = l->written;
    d->cancel = cancel;
}

void mmc_flush_after_stop(struct mmc_device *d)
{
    atomic_bool *cancel = d->cancel;
    uint32_t poll = d->poll_interval_ms;
    scsi_transport_reset_cancel(d->transport);
    d->cancel = NULL;
    d->poll_interval_ms = MMC_LOOP_POLL_MS; /* a cancel waits for the drain: see it end soon */
    struct scsi_request r;
    mmc_build_synchronize_cache(&r, true);
    if (MMC_SUCCEEDED(mmc_run(d, &r)))
        mmc_wait_ready(d);
    d->poll_interval_ms = poll;
    d->cancel = cancel;
}
