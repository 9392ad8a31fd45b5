/* The track-at-once write engine (what IDiscFormat2TrackAtOnce needs):
 * prepare checks the drive (feature 002Dh CD Track at Once) and a blank or
 * open CD-R/RW and learns the tracks already there, the Next Writable
 * Address and the free blocks; each track is written from a stream of
 * 2352-byte audio sectors with WRITE(10) at the NWA, flushed (SYNCHRONIZE
 * CACHE) and closed (CLOSE TRACK); finish closes the session (CLOSE
 * SESSION) or leaves it open, and checks what the disc reads back. Shares
 * the ring, progress timing and cancel with the raw engine (writeloop.h).
 *
 * Track length (IDiscFormat2TrackAtOnce::AddAudioTrack, imapi2-data-tao-fs
 * D.2 #3): a track shorter than 4 s (300 sectors) is extended with zero
 * samples, and a stream that is not whole sectors has its last sector
 * completed with zeros (IMAPI does not document that case; padding is what
 * the 4-s rule already does with silence). An empty stream is refused. */
#ifndef IMAPI2_MMC_TAOWRITE_H
#define IMAPI2_MMC_TAOWRITE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "mmc/geometry.h"
#include "mmc/device.h"
#include "mmc/writeloop.h"

#define MMC_TAO_MAX_TRACKS 99
#define MMC_TAO_DEFAULT_CHUNK 27    /* sectors per WRITE: 63,504 bytes, under 64 KiB */

struct mmc_tao_options {
    struct mmc_loop_options loop;   /* sectors_per_write 0: MMC_TAO_DEFAULT_CHUNK */
    bool close_appendable;          /* CLOSE SESSION leaves "next session allowed" (page 05 multi-session 11b) */
};
void mmc_tao_options_default(struct mmc_tao_options *o);

/* 1-4 equal IMAPI_FORMAT2_TAO_WRITE_ACTION (1-3: enum mmc_write_action);
 * FINISHED is the engine's own. */
enum mmc_tao_action {
    MMC_TAO_ACTION_UNKNOWN = MMC_WRITE_ACTION_UNKNOWN,
    MMC_TAO_ACTION_PREPARING = MMC_WRITE_ACTION_PREPARING,
    MMC_TAO_ACTION_WRITING = MMC_WRITE_ACTION_WRITING,
    MMC_TAO_ACTION_FINISHING = MMC_WRITE_ACTION_FINISHING,
    MMC_TAO_ACTION_VERIFYING = 4,
    MMC_TAO_ACTION_FINISHED = 5
};

/* Progress: struct mmc_write_progress (writeloop.h) with the track
 * (CurrentTrackNumber, 1-based); no drive buffer figures. */

struct mmc_tao_media {
    uint16_t profile;
    bool erasable;
    bool was_blank;                 /* blank at prepare */
    int tracks;                     /* tracks on the disc (NumberOfExistingTracks) */
    int32_t track_start[MMC_TAO_MAX_TRACKS + 1]; /* by track number */
    bool nwa_valid;
    int32_t nwa;                    /* where the next track's data goes */
    int32_t last_track_end;         /* the block after the last track this engine wrote */
    uint32_t free_blocks;           /* of the invisible track */
    int32_t last_possible_leadout;
    uint16_t write_speed_kbs;
};

struct mmc_tao_writer {
    struct mmc_device dev;
    atomic_bool cancel;
    struct mmc_tao_options opt;
    struct mmc_tao_media media;
    bool prepared;
    int32_t hr;                     /* first fatal error of the last operation */
    _Atomic uint32_t writes_issued; /* WRITEs of the last track, kept current by the writer thread */
    uint32_t progress_reports;
};

void mmc_tao_writer_init(struct mmc_tao_writer *w, struct scsi_transport *t, const struct io_clock *clock);
/* E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED, _MEDIA_IS_NOT_SUPPORTED (no CD-R/RW),
 * _MEDIA_IS_NOT_BLANK (closed, or damaged), or the drive's error. */
int32_t mmc_tao_prepare(struct mmc_tao_writer *w, const struct mmc_tao_options *o);
/* Sectors a track of that many bytes takes (padding included); 0 for 0. */
uint32_t mmc_tao_track_sectors(uint64_t bytes);
/* Writes, flushes and closes one audio track. E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED,
 * _TRACK_LIMIT_REACHED, _NOT_ENOUGH_SPACE, _STREAM_NOT_SUPPORTED (empty, or
 * shorter than it said) before any WRITE; E_IMAPI_REQUEST_CANCELLED after a
 * cancel (what was written stays, as a closed track); the drive's error;
 * E_IMAPI_BURN_VERIFICATION_FAILED when the track does not read back where
 * it was written. */
int32_t mmc_tao_write_track(struct mmc_tao_writer *w, const struct mmc_raw_stream *s, mmc_write_progress_fn progress,
                            void *ctx);
/* Ends the work on the disc: with finalize, CLOSE SESSION and the TOC must
 * list every track at its start; without, the session stays open for more
 * tracks. Unprepares. */
int32_t mmc_tao_finish(struct mmc_tao_writer *w, bool finalize, mmc_write_progress_fn progress, void *ctx);
/* Cancel: mmc_device_cancel(&w->dev) (writeloop.h). */
/* The READ TOC format 0 response (LBA form) the disc will give once the
 * session is closed: the tracks written so far (2-channel audio, ADR 1) and
 * the lead-out where the drive will put it (the next writable address less
 * the run-out after the last track). Returns the full length,
 * 0 when no track is on the disc; writes at most len bytes. */
size_t mmc_tao_expected_toc(const struct mmc_tao_writer *w, uint8_t *buf, size_t len);
/* Blocks the session has used: the next writable address (gaps, run-out
 * and link blocks as the drive counts them), or after the last possible
 * track its end and run-out; 0 with no track. */
uint32_t mmc_tao_used_sectors(const struct mmc_tao_writer *w);
/* Blocks a track after the last one could take: the drive's free blocks
 * less the run-out it adds after a track (the next track's gap is already
 * in the next writable address). 0 when nothing more fits. */
uint32_t mmc_tao_free_sectors(const struct mmc_tao_writer *w);

#endif
