#include "virtual.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct virtual_transport {
    struct scsi_transport base; /* first: the contract's object */
    struct vrec_drive *drive;
    struct vrec_clock inner;
    atomic_bool cancelled;
};

static struct virtual_transport *impl_from_transport(struct scsi_transport *t)
{
    return (struct virtual_transport *)t;
}

static uint64_t virtual_now_us(void *ctx)
{
    struct virtual_transport *vt = ctx;
    return vt->inner.now_us(vt->inner.ctx);
}

/* The drive's only waits go through here, so a cancel ends them. */
static int virtual_sleep_us(void *ctx, uint64_t us)
{
    struct virtual_transport *vt = ctx;
    while (us > 0) {
        if (atomic_load(&vt->cancelled))
            return 1;
        uint64_t slice = us < VIRTUAL_SLEEP_SLICE_US ? us : VIRTUAL_SLEEP_SLICE_US;
        if (vt->inner.sleep_us(vt->inner.ctx, slice) != 0)
            return 1;
        us -= slice;
    }
    return 0;
}

static enum transport_result virtual_execute(struct scsi_transport *t, struct scsi_request *req)
{
    struct virtual_transport *vt = impl_from_transport(t);
    struct vrec_status st;
    if (req->cdb_len != 6 && req->cdb_len != 10 && req->cdb_len != 12 && req->cdb_len != 16)
        return TRANSPORT_ERR_INVALID;
    vrec_execute(vt->drive, req->cdb, req->cdb_len, req->dir, req->buf, req->len, &st);
    req->status = st.status;
    req->sense_len = st.sense_len < SCSI_SENSE_MAX ? st.sense_len : SCSI_SENSE_MAX;
    memset(req->sense, 0, sizeof(req->sense));
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

int virtual_transport_open(const struct vrec_config *cfg, const struct vrec_clock *clock,
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
    struct vrec_clock wrapped = { 0 };
    if (clock && clock->now_us) {
        vt->inner = *clock;
        wrapped.now_us = virtual_now_us;
        wrapped.sleep_us = clock->sleep_us ? virtual_sleep_us : NULL;
        wrapped.ctx = vt;
    }
    int rc = vrec_open(cfg, wrapped.now_us ? &wrapped : NULL, &vt->drive);
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
