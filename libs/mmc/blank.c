/* The blanking protocol (blank.h). */
#include "mmc/blank.h"
#include "mmc/geometry.h"
#include "imapi2error.h"

#include <string.h>

#define FALLBACK_WRITE_KBS 706u /* 4x, when the drive does not say */

/* Profiles BLANK applies to: CD-RW, DVD-RW restricted overwrite and sequential. */
static const uint16_t erasable_profiles[] = { MMC_PROFILE_CD_RW, 0x0013, 0x0014 };

bool mmc_blank_profile_erasable(uint16_t profile)
{
    for (size_t i = 0; i < sizeof(erasable_profiles) / sizeof(erasable_profiles[0]); i++)
        if (erasable_profiles[i] == profile)
            return true;
    return false;
}

static void note_cause(const struct mmc_result *last, struct mmc_blank_cause *cause)
{
    cause->has_sense = last->has_sense;
    cause->key = last->sense.key;
    cause->asc = last->sense.asc;
    cause->ascq = last->sense.ascq;
    cause->meaning = last->rule ? last->rule->meaning : NULL;
}

/* What BLANK covers, in sectors, at the drive's write speed: minimal
 * blanking rewrites lead-in, first pregap and lead-out; full blanking the
 * whole disc as well. */
static uint32_t nominal_blank_ms(const struct mmc_disc_info *info, uint16_t write_kbs, bool full)
{
    uint64_t sectors = (-CD_TYPICAL_LEADIN_LBA) + CD_FIRST_LEADOUT_SECTORS;
    if (full)
        sectors += info->leadout_valid && info->last_possible_leadout > 0 ? (uint64_t)info->last_possible_leadout
                                                                         : CD80_LAST_LEADOUT_LBA;
    uint64_t per_second = (uint64_t)(write_kbs ? write_kbs : FALLBACK_WRITE_KBS) * 1000u / CD_SECTOR_SIZE;
    return (uint32_t)(sectors * 1000u / per_second);
}

int32_t mmc_blank_start(struct mmc_device *d, struct mmc_blank_job *job)
{
    struct mmc_configuration cfg;
    struct mmc_disc_info info;
    struct mmc_capabilities caps;
    struct scsi_request r;
    int32_t hr;
    memset(&job->cause, 0, sizeof(job->cause));
    if (MMC_FAILED(hr = mmc_wait_ready(d)))
        return hr;
    if (MMC_FAILED(hr = mmc_query_configuration(d, MMC_RT_CURRENT, 0, &cfg)))
        return hr;
    if (!mmc_blank_profile_erasable(cfg.current_profile))
        return E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED;
    if (MMC_FAILED(hr = mmc_query_disc_info(d, &info)))
        return hr;
    if (!info.erasable)
        return E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE;
    if (MMC_FAILED(mmc_query_capabilities(d, &caps)))
        caps.current_write_kbs = 0; /* only for the estimate */
    job->nominal_ms = nominal_blank_ms(&info, caps.current_write_kbs, job->full);
    mmc_build_blank(&r, job->full ? MMC_BLANK_FULL : MMC_BLANK_MINIMAL, true, 0);
    if (MMC_FAILED(hr = mmc_run(d, &r))) {
        note_cause(&d->last, &job->cause);
        return hr == E_IMAPI_REQUEST_CANCELLED ? hr : E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND;
    }
    return MMC_S_OK;
}

/* ---- waiting ---- */

enum poll_state { POLL_BUSY, POLL_DONE, POLL_FAILED };

struct poll {
    enum poll_state state;
    int32_t hr;                /* POLL_FAILED */
    bool progress_valid;
    uint16_t progress;         /* 0..65535 */
    unsigned unit_attentions;  /* in a row */
};

/* Drives put the progress of BLANK in the sense of TEST UNIT READY; one that
 * does not is asked with REQUEST SENSE. */
static void take_progress(struct mmc_device *d, struct poll *p)
{
    struct mmc_sense sense;
    if (d->last.has_sense && d->last.sense.progress_valid)
        sense = d->last.sense;
    else if (MMC_FAILED(mmc_query_sense(d, &sense)) || !sense.progress_valid)
        return;
    p->progress_valid = true;
    p->progress = sense.progress;
}

/* Medium and hardware errors are the drive failing the blank it was given;
 * anything else it says instead of "busy" or "ready" is unexpected. */
static int32_t poll_failure(const struct mmc_result *last)
{
    if (last->outcome == MMC_OUTCOME_CANCELLED)
        return E_IMAPI_REQUEST_CANCELLED;
    if (last->has_sense && (last->sense.key == MMC_KEY_MEDIUM_ERROR || last->sense.key == MMC_KEY_HARDWARE_ERROR))
        return E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND;
    return E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE;
}

static void poll_once(struct mmc_device *d, struct poll *p, struct mmc_blank_cause *cause)
{
    struct scsi_request r;
    mmc_build_test_unit_ready(&r);
    mmc_run_once(d, &r);
    if (d->last.outcome == MMC_OUTCOME_GOOD) {
        p->state = POLL_DONE;
        return;
    }
    p->state = POLL_BUSY;
    switch (d->last.retry) {
    case MMC_RETRY_POLL_PROGRESS:
    case MMC_RETRY_WAIT_READY:
        p->unit_attentions = 0;
        take_progress(d, p);
        return;
    case MMC_RETRY_ONCE:
        if (++p->unit_attentions <= MMC_BLANK_MAX_UNIT_ATTENTIONS)
            return;
        break;
    default:
        break;
    }
    p->state = POLL_FAILED;
    p->hr = poll_failure(&d->last);
    note_cause(&d->last, cause);
}

/* Estimated total seconds: from the drive's progress once it says enough to
 * go on (1% and a second in), from the nominal duration before. Always more
 * than the seconds elapsed while the blank runs, so "elapsed / total" never
 * divides by zero nor reaches 100% early. */
static uint32_t estimate_total_s(uint64_t elapsed_ms, const struct poll *p, uint32_t nominal_ms)
{
    uint64_t total_ms = nominal_ms;
    uint32_t elapsed_s = (uint32_t)(elapsed_ms / 1000u), total_s;
    if (p->progress_valid && p->progress >= 655 && elapsed_ms >= 1000u)
        total_ms = elapsed_ms * 65536u / p->progress;
    total_s = (uint32_t)((total_ms + 999u) / 1000u);
    return total_s > elapsed_s ? total_s : elapsed_s + 1;
}

static uint64_t now_ms(const struct mmc_device *d, uint64_t slept_ms)
{
    /* Without a clock, time is what was slept. */
    return d->clock.now_us ? mmc_device_now_us(d) / 1000u : slept_ms;
}

int32_t mmc_blank_wait(struct mmc_device *d, struct mmc_blank_job *job, mmc_blank_report_fn report, void *ctx)
{
    struct poll p = { 0 };
    uint32_t interval = job->update_ms ? job->update_ms
                        : job->full   ? MMC_BLANK_UPDATE_MS_FULL
                                      : MMC_BLANK_UPDATE_MS_MINIMAL;
    uint64_t limit = job->limit_ms ? job->limit_ms : MMC_BLANK_LIMIT_MS, slept = 0;
    uint64_t begin = now_ms(d, 0), next_update = interval, elapsed = 0;
    struct mmc_blank_report rep = { 0, estimate_total_s(0, &p, job->nominal_ms), false };
    if (report && report(ctx, &rep))
        return E_IMAPI_REQUEST_CANCELLED;
    for (;;) {
        if (mmc_device_cancelled(d))
            return E_IMAPI_REQUEST_CANCELLED;
        poll_once(d, &p, &job->cause);
        elapsed = now_ms(d, slept) - begin;
        if (p.state == POLL_FAILED)
            return p.hr;
        if (p.state == POLL_DONE)
            break;
        if (elapsed >= limit)
            return E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR;
        if (elapsed >= next_update) {
            rep.elapsed_s = (uint32_t)(elapsed / 1000u);
            rep.total_s = estimate_total_s(elapsed, &p, job->nominal_ms);
            if (report && report(ctx, &rep))
                return E_IMAPI_REQUEST_CANCELLED;
            /* A slow handler does not earn a burst of catch-up reports. */
            next_update += interval;
            if (next_update < elapsed + interval / 2)
                next_update = elapsed + interval / 2;
        }
        if (!mmc_device_sleep(d, MMC_BLANK_POLL_MS))
            return E_IMAPI_REQUEST_CANCELLED;
        slept += MMC_BLANK_POLL_MS;
    }
    /* The last one says "done": elapsed == total, rounded up, never 0. */
    rep.elapsed_s = rep.total_s = (uint32_t)((elapsed + 999u) / 1000u);
    if (!rep.elapsed_s)
        rep.elapsed_s = rep.total_s = 1;
    rep.done = true;
    if (report)
        report(ctx, &rep);
    return MMC_S_OK;
}
