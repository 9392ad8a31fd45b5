/* What the write engines (rawwrite.c: raw Disc-At-Once; taowrite.c: Track
 * At Once) share: the byte stream they read, a ring of WRITE-sized slots
 * that a reader fills and a writer drains, reading with cancel checks,
 * progress timing (every interval or every so many bytes), the
 * read / WRITE(10) pipeline over consecutive LBAs, and ending a write the
 * drive must flush whatever happened.
 *
 * The pipeline (mmc_loop_run) has two threads: the caller's keeps reading
 * the stream (a COM stream belongs to its caller's apartment) and makes the
 * progress reports; a writer thread, raised to the highest priority the
 * platform gives (thread.h), issues the WRITEs from the ring. The ring is
 * filled (or the whole stream read) before the first WRITE, so a source
 * that stalls, or a report handler that takes its time, costs the drive
 * nothing while the ring lasts. No COM. */
#ifndef IMAPI2_MMC_WRITELOOP_H
#define IMAPI2_MMC_WRITELOOP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc/device.h"
#include "mmc/thread.h"

/* The stream an engine writes from: read is required, seek optional (NULL
 * or failing: the engine reads and discards). read returns an HRESULT and
 * the bytes read in *got; *got == 0 with success means end of stream. (The
 * name is the raw engine's, which had it first.) */
struct mmc_raw_stream {
    int32_t (*read)(void *ctx, void *buf, uint32_t len, uint32_t *got);
    int32_t (*seek)(void *ctx, uint64_t offset); /* absolute, from the stream start */
    void *ctx;
    uint64_t size;                                /* bytes, as the stream declares it */
};

/* Fixed slots of one WRITE each; the reader fills at head, the writer
 * drains at tail; head, tail and full_slots change under the loop's lock. */
struct mmc_ring {
    uint8_t *alloc, *mem;
    size_t slot_bytes;
    uint32_t slots, head, tail, full_slots;
    uint32_t *sectors; /* sectors held by each slot */
    size_t sector_size;
};

/* The settings every writer shares; each writer's options embed one. */
struct mmc_loop_options {
    bool bufe;                      /* underrun protection (BufferUnderrunFreeDisabled = !bufe) */
    bool test_write;                /* simulate: the drive records nothing */
    uint16_t write_speed_kbs;       /* MMC_SPEED_MAX: fastest */
    uint32_t sectors_per_write;     /* 0: the writer's default; capped by 0xFFFF and the transport's max_transfer */
    uint32_t ring_bytes;            /* 0: MMC_LOOP_DEFAULT_RING_BYTES */
    uint32_t progress_interval_ms;  /* 0: MMC_LOOP_DEFAULT_PROGRESS_MS */
    uint32_t progress_bytes;        /* 0: MMC_LOOP_DEFAULT_PROGRESS_BYTES */
};
#define MMC_LOOP_DEFAULT_RING_BYTES (32u * 1024u * 1024u) /* 3.6 s at 52x */
#define MMC_LOOP_DEFAULT_PROGRESS_MS 500u
#define MMC_LOOP_DEFAULT_PROGRESS_BYTES (1024u * 1024u)

/* BUFE on, fastest, every size 0 (the defaults). */
void mmc_loop_options_default(struct mmc_loop_options *o);
/* Replaces each 0 by its default; default_chunk is the writer's sectors per WRITE. */
void mmc_loop_fill_defaults(struct mmc_loop_options *o, uint32_t default_chunk);

/* The actions every writer has, with IMAPI_FORMAT2_*_WRITE_ACTION's values;
 * a writer's own enum goes on from 4. */
enum mmc_write_action {
    MMC_WRITE_ACTION_UNKNOWN = 0,
    MMC_WRITE_ACTION_PREPARING = 1,
    MMC_WRITE_ACTION_WRITING = 2,
    MMC_WRITE_ACTION_FINISHING = 3
};

/* One progress report of any writer: the figures of
 * IWriteEngine2EventArgs, the writer's action (enum mmc_write_action or
 * the writer's own) and, for writers with
 * tracks, the track. */
struct mmc_write_progress {
    int action;
    int track;                      /* 1-based; 0 for a writer without tracks */
    int32_t start_lba;              /* first LBA written */
    uint32_t sector_count;          /* sectors to write */
    int32_t last_read_lba;          /* last sector taken from the stream (start_lba - 1: none yet) */
    int32_t last_written_lba;       /* last sector the drive accepted (start_lba - 1: none yet) */
    uint32_t total_system_buffer;   /* the ring, bytes */
    uint32_t used_system_buffer;
    uint32_t free_system_buffer;
    uint32_t drive_buffer_size;     /* READ BUFFER CAPACITY, 0 when unknown */
    uint32_t drive_buffer_free;
    uint32_t elapsed_s;
    uint32_t remaining_s;           /* estimate from the rate so far, 0 when unknown */
};
/* Return true to cancel (CancelWrite / CancelAddTrack from an Update handler). */
typedef bool (*mmc_write_progress_fn)(void *ctx, const struct mmc_write_progress *p);

struct mmc_write_loop {
    /* set by the engine before mmc_loop_open */
    struct mmc_device *dev;           /* its cancel flag is the write's */
    const struct mmc_raw_stream *s;
    int32_t start_lba;                /* LBA of the first sector written */
    uint32_t total;                   /* sectors to write */
    uint64_t stream_bytes;            /* bytes taken from the stream; sectors past them are zeros */
    int32_t short_stream_hr;          /* the error of a stream that ends before stream_bytes */
    mmc_write_progress_fn progress;   /* may be NULL */
    void *progress_ctx;
    int track;                        /* copied into every report */
    bool ask_drive_buffer;            /* WRITING reports carry READ BUFFER CAPACITY */
    _Atomic uint32_t *writes_out;     /* optional: the writer's counters; WRITEs kept current as they go */
    uint32_t *reports_out;
    /* the loop's */
    struct mmc_ring ring;
    size_t ss;                        /* bytes per sector */
    uint32_t chunk;                   /* sectors per WRITE */
    uint32_t progress_interval_ms, progress_bytes;
    uint32_t read, written;
    uint64_t taken;                   /* stream bytes read */
    uint64_t t0_us, last_report_us, bytes_since_report;
    uint64_t report_cost_us;          /* how long the last report's handler took */
    int32_t hr;                       /* first fatal error: sticky */
    _Atomic uint32_t writes_issued;
    uint32_t reports;
    /* the pipeline: what the lock guards (ring positions, read, written,
     * bytes_since_report, hr, the flags and the drive's figures) */
    struct mmc_lock lock;
    struct mmc_thread writer;
    bool primed;                      /* the ring is full or the stream read: WRITEs may start */
    bool reader_done;                 /* no more slots will come */
    bool writer_done;
    bool buffer_wanted;               /* a report asks the writer for READ BUFFER CAPACITY */
    uint32_t drive_buffer_size, drive_buffer_free;
};

/* Sizes the ring from o (filled: mmc_loop_fill_defaults; chunk capped by
 * 0xFFFF and the transport's max_transfer, slots from ring_bytes, at least 2)
 * and starts the clock. false: no memory (nothing to close). */
bool mmc_loop_open(struct mmc_write_loop *l, size_t sector_size, const struct mmc_loop_options *o);
void mmc_loop_close(struct mmc_write_loop *l);

bool mmc_loop_cancelled(const struct mmc_write_loop *l);
/* Keeps the first failure. */
void mmc_loop_fail(struct mmc_write_loop *l, int32_t hr);
static inline bool mmc_loop_healthy(const struct mmc_write_loop *l) { return l->hr == MMC_S_OK; }
uint64_t mmc_loop_now_us(const struct mmc_write_loop *l);

/* Reads exactly len bytes (cancel checked between the stream's reads);
 * a stream that ends early gives l->short_stream_hr. */
int32_t mmc_loop_read_exact(struct mmc_write_loop *l, uint8_t *buf, size_t len);

/* Reports action now and resets the report timer; true when the handler
 * asked to cancel. A WRITING report with ask_drive_buffer carries the
 * drive's buffer as the writer thread last read it (READ BUFFER CAPACITY
 * before the first WRITE, then after a WRITE when a report asked). */
bool mmc_loop_report(struct mmc_write_loop *l, int action);
/* Reports while the interval or the byte count has passed (one report per
 * progress_bytes written), each after the reader has had four times the
 * last handler's time to itself; a report that says stop cancels the
 * device. */
void mmc_loop_report_if_due(struct mmc_write_loop *l, int action);
/* Reads and drops bytes of the stream (a part that is not written),
 * reporting action as it goes; stops at a cancel or a failure. */
void mmc_loop_discard(struct mmc_write_loop *l, uint64_t bytes, int action);
/* Fills the ring, then reads on while the writer thread WRITEs, until total
 * sectors are written, a failure (the stream's, or a WRITE's: the first one
 * is kept) or a cancel (no WRITE starts after it; waits poll every
 * MMC_LOOP_POLL_MS); reports action while it writes. Returns with the
 * writer thread gone. MMC_E_OUTOFMEMORY when the thread cannot start. */
void mmc_loop_run(struct mmc_write_loop *l, int action);
#define MMC_LOOP_POLL_MS 20u

/* After a cancel: writes silence (zero sectors) from where the write stopped
 * up to `upto` sectors of the track, with the cancel flag set aside; what
 * was read ahead and not written is dropped. For a cut track that must still
 * have its minimum length. Does nothing after a failure. */
void mmc_loop_pad_after_cancel(struct mmc_write_loop *l, uint32_t upto);

/* A writer's device: the runner on transport t with the clock (may be NULL:
 * progress is then driven by bytes only) and `cancel` as its cancel flag. */
void mmc_writer_device_init(struct mmc_device *d, atomic_bool *cancel, struct scsi_transport *t,
                            const struct io_clock *clock);
/* SET CD SPEED to kbs (a drive may refuse or round it: neither stops a
 * burn), then the speed the drive chose into *chosen (unchanged when the
 * drive does not say). */
void mmc_writer_set_speed(struct mmc_device *d, uint16_t kbs, uint16_t *chosen);
/* Sets the device's cancel flag and the transport's: thread-safe and
 * idempotent, no WRITE is issued after it, waits in the transport end. */
void mmc_device_cancel(struct mmc_device *d);
/* A cancel belongs to the operation it interrupted: the next starts clean. */
void mmc_device_clear_cancel(struct mmc_device *d);
/* SYNCHRONIZE CACHE (Immed) and wait (polling every MMC_LOOP_POLL_MS), not
 * stopped by the cancel flag: a write that stopped still has to be flushed. */
void mmc_flush_after_stop(struct mmc_device *d);

#endif
