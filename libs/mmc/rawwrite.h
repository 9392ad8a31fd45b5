/* The raw Disc-At-Once write engine: checks a blank CD and the drive
 * (prepare), validates a raw image stream against the disc, writes it from
 * the ATIP lead-in start through the lead-out with WRITE(10), reports
 * progress, honours cancel, and refuses to call a write good before the disc
 * reads back as closed. No COM, no threads: the stream is read on the
 * caller's thread through a ring buffer that a reader thread could fill
 * later without changing the write side. */
#ifndef IMAPI2_MMC_RAWWRITE_H
#define IMAPI2_MMC_RAWWRITE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "mmc/device.h"
#include "mmc/subcode.h"
#include "mmc/writeloop.h"

#define MMC_RAW_DEFAULT_CHUNK 26           /* sectors per WRITE */
#define MMC_RAW_DEFAULT_RING_BYTES (4u * 1024u * 1024u)
#define MMC_RAW_DEFAULT_PROGRESS_MS 500u
#define MMC_RAW_DEFAULT_PROGRESS_BYTES (1024u * 1024u)

/* The image (struct mmc_raw_stream, writeloop.h). seek returns
 * E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED when the stream is not where it was
 * asked to go although it claimed success: the write then fails before any
 * WRITE. A stream that ends early is not a raw image. */

struct mmc_raw_options {
    int layout;                     /* CD_RAW_PQ (2368), CD_RAW_RAW or CD_RAW_COOKED (2448) */
    int32_t stream_leadin_sectors;  /* sectors the stream holds before LBA 0 (WriteMedia2) */
    bool bufe;                      /* underrun protection (BufferUnderrunFreeDisabled = !bufe) */
    bool test_write;                /* simulate: the drive records nothing */
    uint16_t write_speed_kbs;       /* MMC_SPEED_MAX: fastest */
    uint32_t sectors_per_write;     /* 0: MMC_RAW_DEFAULT_CHUNK; capped by the transport's max_transfer */
    uint32_t ring_bytes;            /* 0: MMC_RAW_DEFAULT_RING_BYTES */
    uint32_t progress_interval_ms;  /* 0: MMC_RAW_DEFAULT_PROGRESS_MS */
    uint32_t progress_bytes;        /* 0: MMC_RAW_DEFAULT_PROGRESS_BYTES */
};
/* Defaults: raw P-W, 22650 lead-in sectors, BUFE on, fastest. */
void mmc_raw_options_default(struct mmc_raw_options *o);

/* Values 1-3 equal IMAPI_FORMAT2_RAW_CD_WRITE_ACTION; FINISHED is the engine's
 * own last report after the disc was verified. */
enum mmc_raw_action {
    MMC_RAW_ACTION_UNKNOWN = 0,
    MMC_RAW_ACTION_PREPARING = 1,
    MMC_RAW_ACTION_WRITING = 2,
    MMC_RAW_ACTION_FINISHING = 3,
    MMC_RAW_ACTION_FINISHED = 4
};

struct mmc_raw_progress {
    enum mmc_raw_action action;
    int32_t start_lba;              /* first LBA written: the ATIP lead-in start */
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

/* Return true to cancel the write (as CancelWrite from an Update handler). */
typedef bool (*mmc_raw_progress_fn)(void *ctx, const struct mmc_raw_progress *p);

/* What prepare learnt about the disc. */
struct mmc_raw_media {
    uint16_t profile;
    bool erasable;
    int32_t leadin_start;           /* ATIP: StartOfNextSession */
    int32_t last_possible_leadout;  /* ATIP: LastPossibleStartOfLeadout */
    uint16_t write_speed_kbs;       /* what the drive chose after SET CD SPEED, 0 unknown */
    bool layouts[4];                /* data block types the drive takes for RAW, by layout 1..3 */
};

struct mmc_raw_writer {
    struct mmc_device dev;          /* runner; its clock drives progress timing */
    atomic_bool cancel;
    struct mmc_raw_options opt;
    struct mmc_raw_media media;
    bool prepared;
    int32_t hr;                     /* first fatal error of the write: sticky */
    /* counters for tests and the final report */
    uint64_t writes_issued;
    uint32_t progress_reports;
};

/* clock may be NULL (no time: progress is then driven by bytes only). */
void mmc_raw_writer_init(struct mmc_raw_writer *w, struct scsi_transport *t, const struct io_clock *clock);

/* PrepareMedia's work: the drive does raw DAO, the disc is a blank CD-R/RW,
 * ATIP read, the data block types the drive takes for RAW listed in
 * media.layouts, then SET CD SPEED (a refusal there is not fatal). Page 05
 * is not sent here: IMAPI2 clients choose the sector type and BUFE after
 * PrepareMedia, so mmc_raw_write() sends w->opt as it is then. Errors:
 * E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED, _MEDIA_IS_NOT_SUPPORTED,
 * _MEDIA_IS_NOT_BLANK, or the drive's. */
int32_t mmc_raw_prepare(struct mmc_raw_writer *w, const struct mmc_raw_options *o);

/* The checks WriteMedia makes before any WRITE (prepare must have run):
 * E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED (size not whole sectors, or empty),
 * _STREAM_LEADIN_TOO_SHORT, _NOT_ENOUGH_SPACE. */
int32_t mmc_raw_check_stream(const struct mmc_raw_writer *w, uint64_t stream_size);

/* Writes the stream with the options in w->opt: page 05 (RAW, the layout's
 * data block type, BUFE, test write) and SET CD SPEED first, then the
 * sectors. Returns MMC_S_OK only when the disc reads back closed (or, for a
 * test write, still blank); E_IMAPI_REQUEST_CANCELLED after a cancel;
 * _DATA_BLOCK_TYPE_NOT_SUPPORTED for a layout prepare did not find;
 * otherwise the first error (stream, device, verification). writes_issued
 * says whether the disc was touched. */
int32_t mmc_raw_write(struct mmc_raw_writer *w, const struct mmc_raw_stream *s, mmc_raw_progress_fn progress,
                      void *ctx);

/* Thread-safe and idempotent: no WRITE is issued after it, waits in the
 * transport end. */
void mmc_raw_cancel(struct mmc_raw_writer *w);

/* Which data block types the drive accepts for RAW (tries MODE SELECT with
 * each, then restores the page). supported[layout] for layouts 1..3. */
int32_t mmc_raw_supported_layouts(struct mmc_device *d, bool supported[4]);

#endif
