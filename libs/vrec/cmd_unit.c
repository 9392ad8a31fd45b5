/* Unit commands: readiness, sense, identity, tray and media events. */
#include <string.h>

#include "vrec_internal.h"

void vrec_handle_test_unit_ready(struct vrec_drive *d, struct vrec_cmd *c)
{
    (void)d; /* readiness (medium, busy) was checked by the dispatcher */
    (void)c;
}

/* What the drive would report now: autosense carries command errors, so this
 * only tells the unit's state (progress, no medium, pending attention). */
void vrec_handle_request_sense(struct vrec_drive *d, struct vrec_cmd *c)
{
    if (c->cdb[1] & 0x01) { /* descriptor format sense is not offered */
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    struct vrec_cmd state = { .cdb = c->cdb };
    if (d->busy != VREC_IDLE) {
        vrec_fail(&state, d->busy == VREC_BUSY_BLANK ? VS_OP_IN_PROGRESS : VS_LONG_WRITE);
        state.sksv = true;
        state.progress = vrec_busy_progress(d);
    } else if (!d->loaded) {
        vrec_fail(&state, d->tray_open ? VS_NO_MEDIUM_TRAY_OPEN : VS_NO_MEDIUM_TRAY_CLOSED);
    } else if (d->ua_asc) {
        vrec_fail_raw(&state, 0x06, d->ua_asc, d->ua_ascq);
        d->ua_asc = d->ua_ascq = 0;
    }
    uint8_t sense[VREC_SENSE_LEN];
    vrec_build_sense(sense, state.key, state.asc, state.ascq, state.sksv, state.progress);
    vrec_reply(c, sense, sizeof(sense), c->cdb[4]);
}

static void put_padded(uint8_t *dst, const char *src, size_t width)
{
    memset(dst, ' ', width);
    memcpy(dst, src, strlen(src));
}

void vrec_handle_inquiry(struct vrec_drive *d, struct vrec_cmd *c)
{
    if (c->cdb[1] & 0x03) { /* no vital product data pages, no CmdDt */
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    uint8_t r[36] = { 0 };
    r[0] = 0x05;       /* peripheral type: CD/DVD device */
    r[1] = 0x80;       /* removable medium */
    r[3] = 0x02;       /* response data format */
    r[4] = sizeof(r) - 5;
    put_padded(r + 8, d->vendor, 8);
    put_padded(r + 16, d->product, 16);
    put_padded(r + 32, d->revision, 4);
    vrec_reply(c, r, sizeof(r), vrec_get16(c->cdb + 3));
}

void vrec_handle_start_stop_unit(struct vrec_drive *d, struct vrec_cmd *c)
{
    bool loej = c->cdb[4] & 0x02, start = c->cdb[4] & 0x01;
    if (!loej)
        return; /* spin up / down: nothing to model */
    if (!start) {
        if (d->prevented) {
            vrec_fail(c, VS_REMOVAL_PREVENTED);
            return;
        }
        vrec_unload(d);
        return;
    }
    if (d->loaded)
        return;
    vrec_load(d);
    if (d->loaded) {
        d->ua_asc = 0x28; /* not ready to ready change, medium may have changed */
        d->ua_ascq = 0x00;
    }
}

void vrec_handle_prevent_allow(struct vrec_drive *d, struct vrec_cmd *c)
{
    d->prevented = c->cdb[4] & 0x01;
}

void vrec_handle_get_event_status(struct vrec_drive *d, struct vrec_cmd *c)
{
    if (!(c->cdb[1] & 0x01)) { /* only polled operation */
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    uint8_t r[8] = { 0 };
    uint32_t n = 4;
    r[3] = 0x10; /* supported classes: media */
    if (c->cdb[4] & 0x10) {
        r[2] = 0x04; /* media class */
        r[4] = d->media_event;
        r[5] = (uint8_t)((d->loaded ? 0x02 : 0x00) | (d->tray_open ? 0x01 : 0x00));
        d->media_event = 0;
        n = 8;
    } else {
        r[2] = 0x80; /* no event available for the requested classes */
    }
    vrec_put16(r, n - 2);
    vrec_reply(c, r, n, vrec_get16(c->cdb + 7));
}
