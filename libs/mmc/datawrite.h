/* The data write protocol (what IDiscFormat2Data::Write needs): inspect the
 * medium (profile, disc and session state, next writable address, free and
 * total sectors, previous session, the IMAPI_FORMAT2_DATA_MEDIA_STATE
 * flags), then write a stream of 2048-byte sectors as one new track at the
 * next writable address through writeloop.c, flush, close the track and the
 * session (or the disc), and read back what was written when asked.
 *
 * Media this engine writes (the profile table in datawrite.c): CD-R and
 * CD-RW, one Mode 1 data track written track-at-once (page 05 data block
 * type 8) with the 150-sector post-gap appended unless the image already
 * holds it (docs/data-audit.md §10); DVD-R (incremental, page 05 write
 * type 0), DVD+R and BD-R (sequential recording mode, no page 05), one
 * track at the next writable address. The session
 * closes after the track; the disc closes with ForceMediaToBeClosed, with
 * 2 % or less left, and on DVD+R unless DisableConsumerDvdCompatibilityMode
 * (the put_DisableConsumerDvdCompatibilityMode table). Other profiles are
 * unsupported media: Write answers E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED.
 *
 * No COM, no threads: progress goes to a callback that may ask to cancel;
 * mmc_data_cancel() may be called from any thread. */
#ifndef IMAPI2_MMC_DATAWRITE_H
#define IMAPI2_MMC_DATAWRITE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc/device.h"
#include "mmc/geometry.h"
#include "mmc/writeloop.h"

#define MMC_DATA_SECTOR_BYTES ((uint32_t)CD_MODE1_USER_BYTES) /* CD Mode 1, DVD and BD alike */
#define MMC_DATA_CD_POSTGAP ((uint32_t)CD_PREGAP_SECTORS)    /* sectors appended on CD unless PostgapAlreadyInImage */
#define MMC_DATA_CD_RUNOUT ((uint32_t)CD_RUNOUT_SECTORS)
#define MMC_DATA_DEFAULT_CHUNK 32u   /* sectors per WRITE: 64 KiB */
#define MMC_DATA_VERIFY_BLOCK 16u    /* sectors per verification checksum */
#define MMC_DATA_CLOSE_PERCENT 2u    /* ForceMediaToBeClosed page: <= 2 % left closes the disc */

/* IMAPI_FORMAT2_DATA_MEDIA_STATE bits the engine reports (the numbers are Windows'). */
#define MMC_DATA_STATE_BLANK 0x0002u
#define MMC_DATA_STATE_APPENDABLE 0x0004u
#define MMC_DATA_STATE_DAMAGED 0x0400u
#define MMC_DATA_STATE_ERASE_REQUIRED 0x0800u
#define MMC_DATA_STATE_NON_EMPTY_SESSION 0x1000u
#define MMC_DATA_STATE_WRITE_PROTECTED 0x2000u
#define MMC_DATA_STATE_FINALIZED 0x4000u
#define MMC_DATA_STATE_UNSUPPORTED_MEDIA 0x8000u
/* IMAPI_MEDIA_WRITE_PROTECT_STATE bits (Windows' numbers). */
#define MMC_DATA_WP_UNTIL_POWERDOWN 0x0001u
#define MMC_DATA_WP_BY_CARTRIDGE 0x0002u
#define MMC_DATA_WP_BY_MEDIA_SPECIFIC_REASON 0x0004u
#define MMC_DATA_WP_BY_SOFTWARE_WRITE_PROTECT 0x0008u
#define MMC_DATA_WP_READ_ONLY_MEDIA 0x4000u

/* 0-7 equal IMAPI_FORMAT2_DATA_WRITE_ACTION. */
enum mmc_data_action {
    MMC_DATA_ACTION_VALIDATING = 0,
    MMC_DATA_ACTION_FORMATTING = 1,
    MMC_DATA_ACTION_INITIALIZING = 2,
    MMC_DATA_ACTION_CALIBRATING = 3,
    MMC_DATA_ACTION_WRITING = 4,
    MMC_DATA_ACTION_FINALIZATION = 5,
    MMC_DATA_ACTION_COMPLETED = 6,
    MMC_DATA_ACTION_VERIFYING = 7
};

/* IMAPI_BURN_VERIFICATION_LEVEL. */
enum mmc_data_verify { MMC_DATA_VERIFY_NONE = 0, MMC_DATA_VERIFY_QUICK = 1, MMC_DATA_VERIFY_FULL = 2 };

/* What the medium is and holds, as the getters report it. */
struct mmc_data_media {
    uint16_t profile;               /* 0: no disc */
    bool writable;                  /* a profile this engine writes */
    bool cd;
    bool erasable;
    uint8_t disc_status, session_state; /* READ DISC INFORMATION (enum mmc_disc_status / mmc_session_state) */
    bool nwa_valid;
    uint16_t next_track;            /* number of the invisible track */
    int32_t nwa;                    /* of the invisible track */
    uint32_t free_blocks;           /* of the invisible track, as the drive counts them */
    uint32_t total;                 /* TotalSectorsOnMedia */
    int32_t previous_start, previous_last; /* of the last complete session; -1: none */
    uint32_t write_protect;         /* IMAPI_MEDIA_WRITE_PROTECT_STATE */
    uint32_t state;                 /* IMAPI_FORMAT2_DATA_MEDIA_STATE */
};

/* Reads the medium. No disc: the drive's error (E_IMAPI_RECORDER_MEDIA_NO_MEDIA).
 * Write protection: READ_ONLY_MEDIA for pressed profiles, the rest from
 * READ DISC STRUCTURE format C0h (none when the drive does not answer it). */
int32_t mmc_data_inspect(struct mmc_device *d, struct mmc_data_media *m);
/* Whether the engine writes a profile (IsCurrentMediaSupported, IsRecorderSupported). */
bool mmc_data_profile_writable(uint16_t profile);
/* The medium's unit of writing in 2048-byte sectors: 1 on CD, the ECC
 * block on DVD (16) and BD (32); 1 for a profile the table does not know. */
uint32_t mmc_data_write_unit(uint16_t profile);
/* FreeSectorsOnMedia: what a Write can take, the run-out and (unless the
 * image holds it) the post-gap already taken off; 0 when nothing can be
 * appended. */
uint32_t mmc_data_free_sectors(const struct mmc_data_media *m, bool postgap_in_image);
/* NextWritableAddress: 0 on blank media, the invisible track's NWA when
 * appendable; E_IMAPI_DF2DATA_INVALID_MEDIA_STATE on media Data cannot use. */
int32_t mmc_data_next_writable(const struct mmc_data_media *m, int32_t *lba);

struct mmc_data_options {
    bool bufe;                      /* !BufferUnderrunFreeDisabled */
    bool force_close;               /* ForceMediaToBeClosed */
    bool postgap_in_image;          /* PostgapAlreadyInImage */
    bool dvd_compat_disabled;       /* DisableConsumerDvdCompatibilityMode */
    enum mmc_data_verify verify;
    uint16_t write_speed_kbs;       /* MMC_SPEED_MAX: fastest */
    uint32_t sectors_per_write;     /* 0: MMC_DATA_DEFAULT_CHUNK */
    uint32_t ring_bytes;            /* 0: MMC_LOOP_DEFAULT_RING_BYTES */
    uint32_t progress_interval_ms;  /* 0: 500 (DDiscFormat2DataEvents::Update "every 0.5 s") */
    uint32_t progress_bytes;        /* 0: 1 MiB */
};
void mmc_data_options_default(struct mmc_data_options *o);
/* Whether writing that many sectors closes the disc: ForceMediaToBeClosed,
 * or 2 % of the disc or less left after it (put_ForceMediaToBeClosed page). */
bool mmc_data_closes_disc(const struct mmc_data_media *m, const struct mmc_data_options *o, uint32_t sectors);

/* IWriteEngine2EventArgs + IDiscFormat2DataEventArgs. */
struct mmc_data_progress {
    enum mmc_data_action action;
    int32_t start_lba;
    uint32_t sector_count;
    int32_t last_read_lba, last_written_lba;
    uint32_t total_system_buffer, used_system_buffer, free_system_buffer;
    uint32_t elapsed_s, remaining_s;
};
/* Return true to cancel (CancelWrite from an Update handler). */
typedef bool (*mmc_data_progress_fn)(void *ctx, const struct mmc_data_progress *p);

struct mmc_data_writer {
    struct mmc_device dev;
    atomic_bool cancel;
    struct mmc_data_options opt;
    struct mmc_data_media media;    /* as found when the write began */
    int32_t hr;                     /* of the last write */
    int32_t start_lba;              /* where the last write began */
    uint32_t sectors;               /* of the stream, post-gap not counted */
    bool closed_disc;               /* the last write closed the disc */
    uint16_t write_speed_kbs;       /* the speed the drive took */
    uint64_t writes_issued;
    uint32_t progress_reports;
    uint32_t verified_blocks;       /* checksum blocks read back and compared */
};

void mmc_data_writer_init(struct mmc_data_writer *w, struct scsi_transport *t, const struct io_clock *clock);
/* Writes the whole stream as a new track (a new session on sequential
 * media). Before any WRITE: E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED (empty, or
 * not whole 2048-byte sectors), _MEDIA_IS_NOT_SUPPORTED (a profile this
 * engine does not write), E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED,
 * E_IMAPI_DF2DATA_INVALID_MEDIA_STATE (closed, damaged or open session),
 * _STREAM_TOO_LARGE_FOR_CURRENT_MEDIA, or the drive's error.
 * After: E_IMAPI_REQUEST_CANCELLED (the written part is flushed and its
 * track closed; the session stays open), the drive's error,
 * E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED for a stream shorter than it said,
 * E_IMAPI_BURN_VERIFICATION_FAILED when reading back differs. */
int32_t mmc_data_write(struct mmc_data_writer *w, const struct mmc_data_options *o, const struct mmc_raw_stream *s,
                       mmc_data_progress_fn progress, void *ctx);
void mmc_data_cancel(struct mmc_data_writer *w);

#endif
