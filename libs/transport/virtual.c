#include "virtual.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct virtual_transport {
    struct scsi_transport base; /* first: the contract's object */
    struct vrec_drive *drive;
    struct io_clock inner;    /* the caller's clock; now_us NULL: none */
    uint64_t sim_now_us;        /* without a clock: time passes only in the drive's waits */
    uint64_t deadline_us;       /* the running command's timeout, on the drive's clock */
    bool timed_out;
    atomic_bool cancelled;
};

static struct virtual_transport *impl_from_transport(struct scsi_transport *t)
{
    return (struct virtual_transport *)t;
}

static uint64_t virtual_now_us(void *ctx)
{
    struct virtual_transport *vt = ctx;
    return vt->inner.now_us ? vt->inner.now_us(vt->inner.ctx) : vt->sim_now_us;
}

/* The drive's only waits go through here, so a cancel ends them, and so does
 * the command's timeout: a drive that holds a command past it is abandoned
 * at the deadline, as the kernel aborts a command SG_IO timed out. */
static int virtual_sleep_us(void *ctx, uint64_t us)
{
    struct virtual_transport *vt = ctx;
    while (us > 0) {
        if (atomic_load(&vt->cancelled))
            return 1;
        uint64_t now = virtual_now_us(vt);
        if (now >= vt->deadline_us) {
            vt->timed_out = true;
            return 1;
        }
        uint64_t slice = us < VIRTUAL_SLEEP_SLICE_US ? us : VIRTUAL_SLEEP_SLICE_US;
        if (slice > vt->deadline_us - now)
            slice = vt->deadline_us - now;
        if (!vt->inner.now_us)
            vt->sim_now_us += slice;
        else if (vt->inner.sleep_us(vt->inner.ctx, slice) != 0)
            return 1;
        us -= slice;
    }
    return 0;
}

static enum transport_result virtual_execute(struct scsi_transport *t, struct scsi_request *req)
{
    struct virtual_transport *vt = impl_from_transport(t);
    struct vrec_status st;
    uint32_t timeout_ms = req->timeout_ms ? req->timeout_ms : TRANSPORT_DEFAULT_TIMEOUT_MS;
    vt->deadline_us = virtual_now_us(vt) + (uint64_t)timeout_ms * 1000u;
    vt->timed_out = false;
    vrec_execute(vt->drive, req->cdb, req->cdb_len, req->dir, req->buf, req->len, &st);
    memset(req->sense, 0, sizeof(req->sense));
    if (vt->timed_out) { /* what the drive said after the deadline is not heard */
        req->status = SCSI_STATUS_GOOD;
        req->sense_len = 0;
        req->resid = req->len;
        return TRANSPORT_ERR_TIMEOUT;
    }
    req->status = st.status;
    req->sense_len = st.sense_len < SCSI_SENSE_MAX ? st.sense_len : SCSI_SENSE_MAX;
    memcpy(req->sense, st.sense, req->sense_len);
    req->resid = st.resid;
    return st.transport;
}

static void virtual_cancel(struct scsi_transport *t)
{
    atomic_store(&impl_from_transport(t)->cancelled, true);
}

static void virtual_reset_cancel(struct scsi_transport *t)
{
    atomic_store(&impl_from_transport(t)->cancelled, false);
}

static void virtual_close(struct scsi_transport *t)
{
    struct virtual_transport *vt = impl_from_transport(t);
    vrec_close(vt->drive);
    free(vt);
}

static const struct scsi_transport_ops virtual_ops = {
    "virtual", virtual_execute, virtual_cancel, virtual_reset_cancel, virtual_close, NULL,
};

int virtual_transport_open(const struct vrec_config *cfg, const struct io_clock *clock,
                           struct scsi_transport **out)
{
    *out = NULL;
    struct virtual_transport *vt = calloc(1, sizeof(*vt));
    if (!vt)
        return -1;
    vt->base.ops = &virtual_ops;
    vt->base.alignment_mask = 0;
    vt->base.max_transfer = 1024 * 1024;
    atomic_init(&vt->cancelled, false);
    /* The drive always waits through the wrapper (timeouts need it). Without
     * a clock that can wait it runs unthrottled on a clock that moves only
     * while it waits (fault delays and stalls): no real time passes. */
    struct vrec_config settings = *cfg;
    if (clock && clock->now_us && clock->sleep_us)
        vt->inner = *clock;
    else
        settings.unthrottled = true;
    struct io_clock wrapped = { virtual_now_us, virtual_sleep_us, vt };
    int rc = vrec_open(&settings, &wrapped, &vt->drive);
    if (rc != 0) {
        free(vt);
        return rc;
    }
    *out = &vt->base;
    return 0;
}

struct vrec_drive *virtual_transport_drive(struct scsi_transport *t)
{
    return t && t->ops == &virtual_ops ? impl_from_transport(t)->drive : NULL;
}
