/* The one pass-through contract every backend (spti, sgio, virtual) implements.
 * Nothing above this header knows which backend it talks to. */
#ifndef IMAPI2_TRANSPORT_H
#define IMAPI2_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

enum scsi_direction {
    SCSI_DIR_NONE = 0,
    SCSI_DIR_IN = 1,  /* device to host */
    SCSI_DIR_OUT = 2  /* host to device */
};

/* Transport-level outcome, distinct from the SCSI status of the command. */
enum transport_result {
    TRANSPORT_OK = 0,         /* the command reached the device; look at status/sense */
    TRANSPORT_ERR_IO = 1,     /* the pass-through itself failed (ioctl, pipe, ...) */
    TRANSPORT_ERR_TIMEOUT = 2,
    TRANSPORT_ERR_NO_DEVICE = 3, /* device gone or never there */
    TRANSPORT_ERR_CANCELLED = 4, /* interrupted by scsi_transport_cancel() */
    TRANSPORT_ERR_INVALID = 5,   /* request malformed (cdb length, buffer) */
    TRANSPORT_ERR_NO_MEMORY = 6
};

#define SCSI_STATUS_GOOD 0x00
#define SCSI_STATUS_CHECK_CONDITION 0x02
#define SCSI_STATUS_BUSY 0x08

#define SCSI_SENSE_MAX 32

/* A request's timeout_ms of 0 means this, in every backend. */
#define TRANSPORT_DEFAULT_TIMEOUT_MS 60000u

struct scsi_request {
    /* in */
    uint8_t cdb[16];
    uint8_t cdb_len;          /* 6, 10, 12 or 16 */
    enum scsi_direction dir;
    void *buf;
    uint32_t len;
    uint32_t timeout_ms;
    /* out */
    uint8_t status;           /* SCSI status byte */
    uint8_t sense[SCSI_SENSE_MAX];
    uint8_t sense_len;        /* valid bytes in sense[] */
    uint32_t resid;           /* bytes not transferred */
};

struct scsi_transport;

/* What the operating system said to an exclusive-access request. */
enum transport_lock {
    TRANSPORT_LOCK_DONE,           /* locked (or unlocked) as asked */
    TRANSPORT_LOCK_HELD_ELSEWHERE, /* another handle holds the device */
    TRANSPORT_LOCK_UNSUPPORTED     /* no OS mechanism here: only the DLL's own lock binds */
};

struct scsi_transport_ops {
    const char *name; /* "spti", "sgio", "virtual" */
    enum transport_result (*execute)(struct scsi_transport *t, struct scsi_request *req);
    /* Thread-safe: makes any wait/retry in progress in execute() return
     * TRANSPORT_ERR_CANCELLED promptly. Sticky until scsi_transport_reset_cancel(). */
    void (*cancel)(struct scsi_transport *t);
    void (*reset_cancel)(struct scsi_transport *t);
    void (*close)(struct scsi_transport *t);
    /* Optional (NULL: unsupported): the OS's own exclusive access, so that
     * programs outside this DLL are kept off a drive we hold. client is the
     * IMAPI2 client name, ASCII. */
    enum transport_lock (*exclusive)(struct scsi_transport *t, int lock, const char *client);
};

struct scsi_transport {
    const struct scsi_transport_ops *ops;
    uint32_t alignment_mask;   /* buffer address must satisfy (addr & mask) == 0 */
    uint32_t max_transfer;     /* bytes per command */
};

/* The one request check for every backend: CDB length 6, 10, 12 or 16, a
 * direction that exists, a buffer for any data, at most max_transfer bytes
 * (0: no limit). */
enum transport_result scsi_request_check(const struct scsi_request *req, uint32_t max_transfer);

/* Runs a request on any backend. Outputs are reset and the request checked
 * here, once, so a backend's execute() only ever sees a valid request of at
 * most max_transfer bytes. A READ(10)/WRITE(10)/READ(12)/WRITE(12)/READ CD
 * longer than that is sent as several commands of whole sectors (the sector
 * size is len / the CDB's transfer length), the LBA advanced per piece; the
 * first piece that fails or comes back short ends it, and resid counts
 * everything not transferred. Any other oversized command is
 * TRANSPORT_ERR_INVALID: nothing oversized reaches a device. */
enum transport_result scsi_transport_execute(struct scsi_transport *t, struct scsi_request *req);
static inline void scsi_transport_cancel(struct scsi_transport *t) { t->ops->cancel(t); }
static inline void scsi_transport_reset_cancel(struct scsi_transport *t) { t->ops->reset_cancel(t); }
static inline void scsi_transport_close(struct scsi_transport *t) { t->ops->close(t); }
static inline enum transport_lock scsi_transport_exclusive(struct scsi_transport *t, int lock, const char *client)
{
    return t->ops->exclusive ? t->ops->exclusive(t, lock, client) : TRANSPORT_LOCK_UNSUPPORTED;
}

const char *transport_result_name(enum transport_result r);

#endif
