/* The MMC command runner over a struct scsi_transport: run a request,
 * classify the outcome (transport error / SCSI status / sense / good), map it
 * to an HRESULT through the sense table, and retry or poll as the table says
 * (NOT READY becoming ready, long operations with progress, one retry after a
 * unit attention), bounded in time by an injectable clock and cancellable.
 * Plus small query helpers that pair a builder with its parser. */
#ifndef IMAPI2_MMC_DEVICE_H
#define IMAPI2_MMC_DEVICE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "mmc/cdb.h"
#include "mmc/parse.h"
#include "mmc/sense.h"
#include "transport/transport.h"
#include "transport/clock.h"

enum mmc_outcome {
    MMC_OUTCOME_GOOD = 0,      /* status GOOD */
    MMC_OUTCOME_SENSE,         /* CHECK CONDITION with sense data */
    MMC_OUTCOME_STATUS,        /* another SCSI status (BUSY, RESERVATION CONFLICT...) */
    MMC_OUTCOME_TRANSPORT,     /* the pass-through failed; no SCSI status */
    MMC_OUTCOME_CANCELLED      /* not sent, or interrupted: cancel requested */
};

struct mmc_result {
    enum mmc_outcome outcome;
    enum transport_result transport;
    uint8_t opcode;
    uint8_t status;
    bool has_sense;
    struct mmc_sense sense;
    const struct mmc_sense_rule *rule; /* for MMC_OUTCOME_SENSE */
    enum mmc_retry retry;
    int32_t hr;
    uint32_t transferred;      /* len - resid */
    unsigned attempts;         /* sends of this request, retries included */
};

/* Called while the runner polls a busy drive: opcode being retried, and the
 * sense (progress_valid / progress 0..65535 when the drive reports it). */
typedef void (*mmc_busy_fn)(void *ctx, uint8_t opcode, const struct mmc_sense *sense);

struct mmc_device {
    struct scsi_transport *transport;
    struct io_clock clock;        /* none: waits take no time and time-outs count the poll interval per attempt */
    atomic_bool *cancel;          /* optional: set from any thread to stop retries and new commands */
    uint32_t ready_timeout_ms;    /* how long "becoming ready" is waited for */
    uint32_t long_op_timeout_ms;  /* how long a long operation (flush, blank, format) is polled */
    uint32_t poll_interval_ms;
    mmc_busy_fn on_busy;
    void *on_busy_ctx;
    struct mmc_result last;       /* outcome of the last mmc_run */
};

#define MMC_DEFAULT_READY_TIMEOUT_MS 30000u
#define MMC_DEFAULT_LONG_OP_TIMEOUT_MS (60u * 60u * 1000u)
#define MMC_DEFAULT_POLL_INTERVAL_MS 100u

/* Zeroes d, sets the transport and the default time limits; clock and cancel unset. */
void mmc_device_init(struct mmc_device *d, struct scsi_transport *t);
bool mmc_device_cancelled(const struct mmc_device *d);

/* Classifies one finished request (no retries): HRESULT in out->hr. */
void mmc_classify(const struct scsi_request *r, enum transport_result tr, struct mmc_result *out);
/* HRESULT for a transport-level failure. */
int32_t mmc_transport_hresult(enum transport_result tr);

/* Sends once, classifies; no retry. */
int32_t mmc_run_once(struct mmc_device *d, struct scsi_request *r);
/* Sends, retrying / polling as the sense table says, within the time limits.
 * Result in d->last; returns its HRESULT (MMC_S_OK or a success code on
 * GOOD / recovered, E_IMAPI_REQUEST_CANCELLED on cancel). */
int32_t mmc_run(struct mmc_device *d, struct scsi_request *r);
/* TEST UNIT READY until the unit is ready (polls long operations). */
int32_t mmc_wait_ready(struct mmc_device *d);
/* Sleeps on the device clock (no-op without one); false when cancelled. */
bool mmc_device_sleep(struct mmc_device *d, uint32_t ms);
/* Microseconds on the device clock, 0 without one. */
uint64_t mmc_device_now_us(const struct mmc_device *d);

/* ---- queries: build, run, parse ---- */
int32_t mmc_query_inquiry(struct mmc_device *d, struct mmc_inquiry *out);
/* GET CONFIGURATION; a drive that does not know the command gives
 * E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED. */
int32_t mmc_query_configuration(struct mmc_device *d, enum mmc_config_rt rt, uint16_t start,
                                struct mmc_configuration *out);
int32_t mmc_query_disc_info(struct mmc_device *d, struct mmc_disc_info *out);
int32_t mmc_query_track_info(struct mmc_device *d, enum mmc_track_address type, uint32_t address,
                             struct mmc_track_info *out);
int32_t mmc_query_toc(struct mmc_device *d, struct mmc_toc *out);
int32_t mmc_query_session_info(struct mmc_device *d, struct mmc_session_info *out);
int32_t mmc_query_full_toc(struct mmc_device *d, struct mmc_full_toc *out);
int32_t mmc_query_atip(struct mmc_device *d, struct mmc_atip *out);
int32_t mmc_query_capacity(struct mmc_device *d, struct mmc_capacity *out);
/* READ DISC STRUCTURE format C0h (media type 0). */
int32_t mmc_query_write_protection(struct mmc_device *d, struct mmc_write_protection *out);
int32_t mmc_query_buffer_capacity(struct mmc_device *d, struct mmc_buffer_capacity *out);
int32_t mmc_query_write_speeds(struct mmc_device *d, struct mmc_write_speeds *out);
int32_t mmc_query_event_status(struct mmc_device *d, struct mmc_event_status *out);
int32_t mmc_query_sense(struct mmc_device *d, struct mmc_sense *out);

/* A mode page as the drive reported it, ready to modify and select back. */
#define MMC_MODE_PAGE_MAX 260
struct mmc_mode_page {
    uint8_t data[MMC_MODE_PAGE_MAX]; /* page code byte onwards */
    size_t len;
};
int32_t mmc_query_mode_page(struct mmc_device *d, enum mmc_page_control pc, uint8_t page_code,
                            struct mmc_mode_page *out);
int32_t mmc_select_mode_page(struct mmc_device *d, const struct mmc_mode_page *page);
int32_t mmc_query_capabilities(struct mmc_device *d, struct mmc_capabilities *out);
/* SYNCHRONIZE CACHE with Immed, then TEST UNIT READY until the drive has
 * written its buffer (02/04/08 polled as a long operation). */
int32_t mmc_synchronize_cache(struct mmc_device *d);
/* CLOSE TRACK/SESSION with Immed, then polled the same way. */
enum mmc_close_function {
    MMC_CLOSE_TRACK = 1,
    MMC_CLOSE_SESSION = 2,
    MMC_CLOSE_FINALIZE_COMPATIBLE = 5, /* DVD+R: close the session and the disc, DVD-ROM compatible */
    MMC_CLOSE_FINALIZE = 6             /* DVD+R, BD-R: close the session and the disc */
};
int32_t mmc_close_track_session(struct mmc_device *d, enum mmc_close_function function, uint16_t number);
/* Speeds in kB/s (MMC_SPEED_MAX: fastest). */
int32_t mmc_set_cd_speed(struct mmc_device *d, uint16_t read_kbs, uint16_t write_kbs);

#endif
