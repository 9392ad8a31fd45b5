/* The sgio-pipe frame decoders and the helper's request loop on arbitrary
 * bytes. The first byte picks the target:
 *   0 request header: decode; whatever decodes must encode back to the
 *     same bytes
 *   1 reply header checked against a request decoded from the input
 *   2 ENUMERATE entry: decode; an accepted entry must round-trip
 *   3 a whole connection: the bytes are what the DLL sent, served by
 *     sgpipe_serve() with a fake device; every reply it writes must decode
 *     against the request it answers
 * Nothing may crash, read out of bounds or allocate beyond the limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transport/sgpipe.h"

/* ------------------------------------------------------------ fake device */

static enum transport_result fake_execute(struct scsi_transport *t, struct scsi_request *req)
{
    (void)t;
    /* cdb[1] picks the outcome, so the input steers it. */
    req->status = req->cdb[1] & 0x02;
    req->sense_len = req->status ? 18 : 0;
    if (req->sense_len)
        req->sense[0] = 0x70;
    req->resid = req->cdb[2] <= req->len ? req->cdb[2] : 0;
    if (req->dir == SCSI_DIR_IN && req->len)
        memset(req->buf, 0xA5, req->len - req->resid);
    return (enum transport_result)(req->cdb[3] % 7);
}

static void fake_cancel(struct scsi_transport *t) { (void)t; }
static void fake_close(struct scsi_transport *t) { free(t); }

static const struct scsi_transport_ops fake_ops = { "fake", fake_execute, fake_cancel, fake_cancel, fake_close, NULL };

static enum transport_result fake_open(void *ctx, const char *path, struct scsi_transport **out)
{
    (void)ctx;
    if (path[5] == '9') /* "/dev/sr9...": a missing node */
        return TRANSPORT_ERR_NO_DEVICE;
    struct scsi_transport *t = calloc(1, sizeof(*t));
    if (!t)
        return TRANSPORT_ERR_NO_MEMORY;
    t->ops = &fake_ops;
    t->max_transfer = 64 * 1024;
    *out = t;
    return TRANSPORT_OK;
}

static int fake_enumerate(void *ctx, const char *extra, uint32_t extra_len, struct sgpipe_entry *out, int max)
{
    uint32_t pos = 0;
    int n = 0;
    (void)ctx;
    for (const char *p; n < max && (p = sgpipe_next_path(extra, extra_len, &pos)) != NULL; n++) {
        memset(&out[n], 0, sizeof(out[n]));
        size_t len = strlen(p);
        memcpy(out[n].path, p, len < sizeof(out[n].path) - 1 ? len : sizeof(out[n].path) - 1);
    }
    return n;
}

/* ------------------------------------------------------------ memory io */

struct memory_io {
    const uint8_t *in;
    size_t in_len, in_pos;
    uint32_t payload_to_read; /* of the request just read */
    /* the request being answered, to check the reply against */
    struct sgpipe_request asked;
    int have_asked;
    uint32_t payload_to_write; /* of the reply just written */
};

static enum transport_result memory_read(void *ctx, void *buf, size_t n, uint32_t timeout_ms)
{
    struct memory_io *m = ctx;
    (void)timeout_ms;
    if (m->in_len - m->in_pos < n)
        return TRANSPORT_ERR_NO_DEVICE; /* the DLL hung up */
    memcpy(buf, m->in + m->in_pos, n);
    m->in_pos += n;
    if (m->payload_to_read) {
        if (n != m->payload_to_read)
            abort(); /* the loop lost step with its own framing */
        m->payload_to_read = 0;
        return TRANSPORT_OK;
    }
    if (n != SGPIPE_REQUEST_SIZE)
        abort();
    /* Every request the loop does not drop must get a reply the DLL accepts. */
    m->have_asked = sgpipe_decode_request(buf, &m->asked) != SGPIPE_FRAME_BROKEN;
    m->payload_to_read = m->have_asked ? m->asked.payload_len : 0;
    return TRANSPORT_OK;
}

static enum transport_result memory_write(void *ctx, const void *buf, size_t n)
{
    struct memory_io *m = ctx;
    struct sgpipe_reply rep;
    if (m->payload_to_write) {
        if (n != m->payload_to_write)
            abort();
        m->payload_to_write = 0;
        return TRANSPORT_OK;
    }
    if (n != SGPIPE_REPLY_SIZE || !m->have_asked)
        abort(); /* a reply nobody asked for, or not a header */
    if (sgpipe_decode_reply(buf, &m->asked, &rep) != SGPIPE_FRAME_OK)
        abort(); /* the helper answered with a frame the DLL would refuse */
    m->have_asked = 0;
    m->payload_to_write = rep.payload_len;
    return TRANSPORT_OK;
}

static void memory_close(void *ctx) { (void)ctx; }

/* ------------------------------------------------------------ targets */

static void fuzz_request(const uint8_t *data, size_t size)
{
    uint8_t header[SGPIPE_REQUEST_SIZE] = { 0 }, again[SGPIPE_REQUEST_SIZE];
    struct sgpipe_request req;
    memcpy(header, data, size < sizeof(header) ? size : sizeof(header));
    if (sgpipe_decode_request(header, &req) == SGPIPE_FRAME_BROKEN)
        return;
    sgpipe_encode_request(&req, again);
    if (memcmp(header, again, sizeof(header)) != 0)
        abort();
}

static void fuzz_reply(const uint8_t *data, size_t size)
{
    uint8_t header[SGPIPE_REQUEST_SIZE + SGPIPE_REPLY_SIZE] = { 0 };
    struct sgpipe_request asked;
    struct sgpipe_reply rep;
    memcpy(header, data, size < sizeof(header) ? size : sizeof(header));
    sgpipe_decode_request(header, &asked);
    if (sgpipe_decode_reply(header + SGPIPE_REQUEST_SIZE, &asked, &rep) != SGPIPE_FRAME_OK)
        return;
    if (rep.sense_len > SCSI_SENSE_MAX || rep.payload_len > SGPIPE_MAX_DATA)
        abort();
}

static void fuzz_entry(const uint8_t *data, size_t size)
{
    uint8_t *raw = calloc(1, SGPIPE_ENTRY_SIZE), again[SGPIPE_ENTRY_SIZE];
    struct sgpipe_entry e;
    if (!raw)
        return;
    memcpy(raw, data, size < SGPIPE_ENTRY_SIZE ? size : SGPIPE_ENTRY_SIZE);
    if (sgpipe_decode_entry(raw, &e) == 0) {
        struct sgpipe_entry back;
        sgpipe_encode_entry(&e, again);
        if (sgpipe_decode_entry(again, &back) != 0 || memcmp(&e, &back, sizeof(e)) != 0)
            abort();
    }
    free(raw);
}

static void fuzz_connection(const uint8_t *data, size_t size)
{
    struct memory_io m = { data, size, 0, 0, { 0 }, 0, 0 };
    struct sgpipe_io io = { memory_read, memory_write, memory_close, &m };
    struct sgpipe_backend backend = { fake_open, fake_enumerate, NULL };
    sgpipe_serve(&io, &backend);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 4) {
    case 0:
        fuzz_request(data + 1, size - 1);
        break;
    case 1:
        fuzz_reply(data + 1, size - 1);
        break;
    case 2:
        fuzz_entry(data + 1, size - 1);
        break;
    default:
        fuzz_connection(data + 1, size - 1);
        break;
    }
    return 0;
}
