/* Blanking rewritable media: checks the disc, sends BLANK with Immed, then
 * polls TEST UNIT READY on the device's clock until the drive is ready
 * again, reporting elapsed and estimated total seconds at a steady rate
 * (from the drive's sense-key-specific progress once it gives one, from the
 * nominal duration before). No COM, no threads: IDiscFormat2Erase
 * (dlls/imapi2/erase.c) turns the reports into Update events. */
#ifndef IMAPI2_MMC_BLANK_H
#define IMAPI2_MMC_BLANK_H

#include <stdbool.h>
#include <stdint.h>

#include "mmc/device.h"

/* DDiscFormat2EraseEvents::Update: every 0.5 or 1.0 s "depending on the
 * method required to blank the media"; the short minimal blank gets the
 * finer rate. */
#define MMC_BLANK_UPDATE_MS_MINIMAL 500u
#define MMC_BLANK_UPDATE_MS_FULL 1000u
#define MMC_BLANK_POLL_MS 100u
#define MMC_BLANK_LIMIT_MS (60u * 60u * 1000u) /* E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR */
#define MMC_BLANK_MAX_UNIT_ATTENTIONS 8       /* in a row while polling: the drive keeps resetting */

/* What made the drive fail, for the caller's description. */
struct mmc_blank_cause {
    bool has_sense;
    uint8_t key, asc, ascq;
    const char *meaning;          /* the sense table's words, NULL when unknown */
};

struct mmc_blank_report {
    uint32_t elapsed_s;
    uint32_t total_s;             /* always > elapsed_s while running; == elapsed_s (>= 1) at the end */
    bool done;
};

/* Return true to stop waiting (the drive goes on blanking: BLANK cannot be
 * aborted; the result is then E_IMAPI_REQUEST_CANCELLED). */
typedef bool (*mmc_blank_report_fn)(void *ctx, const struct mmc_blank_report *r);

struct mmc_blank_job {
    bool full;                    /* full blank, else minimal */
    uint32_t update_ms;           /* 0: MMC_BLANK_UPDATE_MS_MINIMAL / _FULL */
    uint64_t limit_ms;            /* 0: MMC_BLANK_LIMIT_MS */
    uint32_t nominal_ms;          /* out: expected duration before the drive reports progress */
    struct mmc_blank_cause cause; /* out: of a failure the drive reported */
};

/* Whether a profile is one BLANK applies to (CD-RW, DVD-RW); DVD+RW and
 * DVD-RAM are formatted, not blanked. */
bool mmc_blank_profile_erasable(uint16_t profile);

/* Refusals first, in the order a caller can act on them: no disc, a disc
 * that is not blanked (E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED), a disc the
 * drive says is not erasable (_MEDIA_IS_NOT_ERASABLE); then BLANK with
 * Immed (_DRIVE_FAILED_ERASE_COMMAND when refused, cause filled). */
int32_t mmc_blank_start(struct mmc_device *d, struct mmc_blank_job *job);

/* Polls until the drive is ready, calling report at the job's rate (a first
 * report at once, a last one with done). Failures:
 * E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND (medium or hardware error),
 * _UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE, _TOOK_LONGER_THAN_ONE_HOUR,
 * E_IMAPI_REQUEST_CANCELLED (device cancel or report said stop). */
int32_t mmc_blank_wait(struct mmc_device *d, struct mmc_blank_job *job, mmc_blank_report_fn report, void *ctx);

#endif
