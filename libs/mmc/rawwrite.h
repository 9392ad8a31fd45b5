/* The raw Disc-At-Once write engine: checks a blank CD and the drive
 * (prepare), validates a raw image stream against the disc, writes it from
 * the ATIP lead-in start through the lead-out with WRITE(10), reports
 * progress, honours cancel, and refuses to call a write good before the disc
 * reads back as closed. No COM: the stream is read on the caller's thread
 * into writeloop.c's ring, which a writer thread drains. */
#ifndef IMAPI2_MMC_RAWWRITE_H
#define IMAPI2_MMC_RAWWRITE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "mmc/device.h"
#include "mmc/subcode.h"
#include "mmc/writeloop.h"

#define MMC_RAW_DEFAULT_CHUNK 26           /* sectors per WRITE */

/* The image (struct mmc_raw_stream, writeloop.h). seek returns
 * E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED when the stream is not where it was
 * asked to go although it claimed success: the write then fails before any
 * WRITE. A stream that ends early is not a raw image. */

struct mmc_raw_options {
    struct mmc_loop_options loop;   /* sectors_per_write 0: MMC_RAW_DEFAULT_CHUNK */
    int layout;                     /* CD_RAW_PQ (2368), CD_RAW_RAW or CD_RAW_COOKED (2448) */
    int32_t stream_leadin_sectors;  /* sectors the stream holds before LBA 0 (WriteMedia2) */
};
/* Defaults: raw P-W, 22650 lead-in sectors, BUFE on, fastest. */
void mmc_raw_options_default(struct mmc_raw_options *o);

/* Values 1-3 equal IMAPI_FORMAT2_RAW_CD_WRITE_ACTION (enum mmc_write_action);
 * FINISHED is the engine's own last report after the disc was verified. */
enum mmc_raw_action {
    MMC_RAW_ACTION_UNKNOWN = MMC_WRITE_ACTION_UNKNOWN,
    MMC_RAW_ACTION_PREPARING = MMC_WRITE_ACTION_PREPARING,
    MMC_RAW_ACTION_WRITING = MMC_WRITE_ACTION_WRITING,
    MMC_RAW_ACTION_FINISHING = MMC_WRITE_ACTION_FINISHING,
    MMC_RAW_ACTION_FINISHED = 4
};

/* Progress: struct mmc_write_progress (writeloop.h), track 0; start_lba is
 * the ATIP lead-in start; WRITING reports carry the drive's buffer. */

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
    _Atomic uint32_t writes_issued; /* kept current by the writer thread */
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
int32_t mmc_raw_write(struct mmc_raw_writer *w, const struct mmc_raw_stream *s, mmc_write_progress_fn progress,
                      void *ctx);
/* Cancel: mmc_device_cancel(&w->dev) (writeloop.h). */

/* Which data block types the drive accepts for RAW (tries MODE SELECT with
 * each, then restores the page). supported[layout] for layouts 1..3. */
int32_t mmc_raw_supported_layouts(struct mmc_device *d, bool supported[4]);

#endif
