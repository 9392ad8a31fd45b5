/* The sgio-pipe client transport and the helper's request loop (sgpipe.h). */
#include "sgpipe.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Buffers handed to a device are aligned to this much, enough for any
 * dma_alignment a Linux queue reports. */
#define SGPIPE_BUFFER_ALIGN 4096u

const char *sgpipe_next_path(const char *list, uint32_t len, uint32_t *pos)
{
    while (list && *pos < len) {
        const char *start = list + *pos;
        const char *end = memchr(start, 0, len - *pos);
        if (!end)
            return NULL; /* an unterminated tail is not a path */
        *pos += (uint32_t)(end - start) + 1;
        if (end != start)
            return start;
    }
    return NULL;
}

/* ------------------------------------------------------------ client */

struct sgpipe_client {
    struct sgpipe_io io;
    uint32_t seq;
    bool dead;
};

/* One request/reply exchange. out_payload goes after the request header;
 * an accepted reply's payload is read into in_buf (in_max bytes room).
 * Any failure kills the connection: a stream that lost step cannot be
 * trusted again. */
static enum transport_result client_call(struct sgpipe_client *c, struct sgpipe_request *req, const void *out_payload,
                                         void *in_buf, uint32_t in_max, uint32_t timeout_ms, struct sgpipe_reply *rep)
{
    uint8_t header[SGPIPE_REPLY_SIZE > SGPIPE_REQUEST_SIZE ? SGPIPE_REPLY_SIZE : SGPIPE_REQUEST_SIZE];
    if (c->dead)
        return TRANSPORT_ERR_NO_DEVICE;
    req->seq = ++c->seq;
    sgpipe_encode_request(req, header);
    enum transport_result r = c->io.write_all(c->io.ctx, header, SGPIPE_REQUEST_SIZE);
    if (r == TRANSPORT_OK && req->payload_len)
        r = c->io.write_all(c->io.ctx, out_payload, req->payload_len);
    if (r == TRANSPORT_OK)
        r = c->io.read_exact(c->io.ctx, header, SGPIPE_REPLY_SIZE, timeout_ms);
    if (r == TRANSPORT_OK && sgpipe_decode_reply(header, req, rep) != SGPIPE_FRAME_OK)
        r = TRANSPORT_ERR_IO;
    if (r == TRANSPORT_OK && rep->payload_len > in_max)
        r = TRANSPORT_ERR_IO;
    if (r == TRANSPORT_OK && rep->payload_len)
        r = c->io.read_exact(c->io.ctx, in_buf, rep->payload_len, timeout_ms);
    if (r != TRANSPORT_OK) {
        c->dead = true;
        c->io.close(c->io.ctx);
        memset(&c->io, 0, sizeof(c->io));
    }
    return r;
}

int sgpipe_request_enumerate(const struct sgpipe_io *io, const char *extra_paths, uint32_t extra_len,
                             struct sgpipe_entry *out, int max)
{
    struct sgpipe_request req = { .seq = 1, .op = SGPIPE_OP_ENUMERATE, .payload_len = extra_len };
    struct sgpipe_reply rep;
    uint8_t header[SGPIPE_REPLY_SIZE];
    uint8_t *raw = malloc(SGPIPE_ENUM_MAX * SGPIPE_ENTRY_SIZE);
    if (!raw)
        return -1;
    sgpipe_encode_request(&req, header);
    enum transport_result r = io->write_all(io->ctx, header, SGPIPE_REQUEST_SIZE);
    if (r == TRANSPORT_OK && extra_len)
        r = io->write_all(io->ctx, extra_paths, extra_len);
    if (r == TRANSPORT_OK)
        r = io->read_exact(io->ctx, header, SGPIPE_REPLY_SIZE, SGPIPE_CONTROL_TIMEOUT_MS);
    if (r == TRANSPORT_OK && sgpipe_decode_reply(header, &req, &rep) != SGPIPE_FRAME_OK)
        r = TRANSPORT_ERR_IO;
    if (r == TRANSPORT_OK && rep.payload_len)
        r = io->read_exact(io->ctx, raw, rep.payload_len, SGPIPE_CONTROL_TIMEOUT_MS);
    if (r == TRANSPORT_OK)
        r = (enum transport_result)rep.result;
    int count = r == TRANSPORT_OK ? 0 : -1;
    /* An entry that does not decode is left out, not trusted. */
    for (uint32_t i = 0; r == TRANSPORT_OK && i < rep.payload_len / SGPIPE_ENTRY_SIZE && count < max; i++)
        if (sgpipe_decode_entry(raw + i * SGPIPE_ENTRY_SIZE, &out[count]) == 0)
            count++;
    free(raw);
    return count;
}

/* Reads one request header and its payload (at most max bytes) in full. */
static enum transport_result read_request(const struct sgpipe_io *io, uint32_t timeout_ms, struct sgpipe_request *req,
                                          void *payload, uint32_t max)
{
    uint8_t header[SGPIPE_REQUEST_SIZE];
    enum transport_result r = io->read_exact(io->ctx, header, sizeof(header), timeout_ms);
    if (r != TRANSPORT_OK)
        return r;
    if (sgpipe_decode_request(header, req) != SGPIPE_FRAME_OK || req->payload_len > max)
        return TRANSPORT_ERR_INVALID;
    return req->payload_len ? io->read_exact(io->ctx, payload, req->payload_len, timeout_ms) : TRANSPORT_OK;
}

enum transport_result sgpipe_client_handshake(const struct sgpipe_io *io, const uint8_t token[SGPIPE_TOKEN_SIZE],
                                              const uint8_t nonce[SGPIPE_NONCE_SIZE], uint32_t timeout_ms,
                                              uint32_t *pid)
{
    uint8_t hello[SGPIPE_HELLO_SIZE], auth[SGPIPE_AUTH_SIZE], header[SGPIPE_REPLY_SIZE], proof[SGPIPE_MAC_SIZE];
    struct sgpipe_request req;
    struct sgpipe_reply rep;
    enum transport_result r = read_request(io, timeout_ms, &req, hello, sizeof(hello));
    if (r != TRANSPORT_OK)
        return r;
    if (req.op != SGPIPE_OP_HELLO) /* the rules make its payload SGPIPE_HELLO_SIZE */
        return TRANSPORT_ERR_INVALID;
    const uint8_t *helper_nonce = hello;
    uint32_t helper_pid = sgpipe_get_u32(hello + SGPIPE_NONCE_SIZE);
    struct sgpipe_request ask = { .seq = req.seq + 1, .op = SGPIPE_OP_AUTH, .payload_len = SGPIPE_AUTH_SIZE };
    memcpy(auth, nonce, SGPIPE_NONCE_SIZE);
    sgpipe_proof(token, SGPIPE_PROVER_DLL, helper_nonce, nonce, helper_pid, auth + SGPIPE_NONCE_SIZE);
    sgpipe_encode_request(&ask, header);
    r = io->write_all(io->ctx, header, SGPIPE_REQUEST_SIZE);
    if (r == TRANSPORT_OK)
        r = io->write_all(io->ctx, auth, sizeof(auth));
    if (r == TRANSPORT_OK)
        r = io->read_exact(io->ctx, header, SGPIPE_REPLY_SIZE, timeout_ms);
    if (r != TRANSPORT_OK)
        return r;
    if (sgpipe_decode_reply(header, &ask, &rep) != SGPIPE_FRAME_OK || rep.result != TRANSPORT_OK)
        return TRANSPORT_ERR_INVALID;
    r = io->read_exact(io->ctx, proof, sizeof(proof), timeout_ms); /* the decoder made payload_len the MAC */
    if (r != TRANSPORT_OK)
        return r;
    if (!sgpipe_proof_check(token, SGPIPE_PROVER_HELPER, nonce, helper_nonce, helper_pid, proof))
        return TRANSPORT_ERR_INVALID;
    *pid = helper_pid;
    return TRANSPORT_OK;
}

struct sgpipe_transport {
    struct scsi_transport base; /* first: the contract's object */
    struct sgpipe_client client;
    atomic_bool cancelled;
};

static struct sgpipe_transport *impl_from_transport(struct scsi_transport *t)
{
    return (struct sgpipe_transport *)t;
}

static void clear_result(struct scsi_request *req)
{
    req->status = 0;
    req->sense_len = 0;
    req->resid = req->len;
    memset(req->sense, 0, sizeof(req->sense));
}

/* The request as the helper will see it, checked by the helper's own
 * decoder: one set of rules on both ends. */
static enum transport_result build_execute(const struct scsi_transport *t, const struct scsi_request *req,
                                           struct sgpipe_request *wire)
{
    uint8_t header[SGPIPE_REQUEST_SIZE];
    struct sgpipe_request check;
    if ((unsigned)req->dir > SCSI_DIR_OUT || req->len > t->max_transfer || (req->len && !req->buf))
        return TRANSPORT_ERR_INVALID;
    memset(wire, 0, sizeof(*wire));
    wire->op = SGPIPE_OP_EXECUTE;
    wire->cdb_len = req->cdb_len;
    wire->dir = (uint8_t)(req->len ? req->dir : SCSI_DIR_NONE);
    wire->len = req->len;
    wire->timeout_ms = req->timeout_ms;
    memcpy(wire->cdb, req->cdb, sizeof(wire->cdb));
    wire->payload_len = wire->dir == SCSI_DIR_OUT ? req->len : 0;
    sgpipe_encode_request(wire, header);
    return sgpipe_decode_request(header, &check) == SGPIPE_FRAME_OK ? TRANSPORT_OK : TRANSPORT_ERR_INVALID;
}

static enum transport_result sgpipe_execute(struct scsi_transport *t, struct scsi_request *req)
{
    struct sgpipe_transport *st = impl_from_transport(t);
    struct sgpipe_request wire;
    struct sgpipe_reply rep;
    clear_result(req);
    enum transport_result r = build_execute(t, req, &wire);
    if (r != TRANSPORT_OK)
        return r;
    if (atomic_load(&st->cancelled))
        return TRANSPORT_ERR_CANCELLED;
    uint32_t timeout = (req->timeout_ms ? req->timeout_ms : SGPIPE_DEFAULT_TIMEOUT_MS) + SGPIPE_REPLY_MARGIN_MS;
    bool data_in = wire.dir == SCSI_DIR_IN;
    r = client_call(&st->client, &wire, req->buf, data_in ? req->buf : NULL, data_in ? req->len : 0, timeout, &rep);
    if (r != TRANSPORT_OK)
        return r;
    req->status = rep.status;
    req->sense_len = rep.sense_len;
    memcpy(req->sense, rep.sense, rep.sense_len);
    req->resid = rep.result == TRANSPORT_OK ? rep.resid : req->len;
    return (enum transport_result)rep.result;
}

static void sgpipe_cancel(struct scsi_transport *t)
{
    atomic_store(&impl_from_transport(t)->cancelled, true);
}

static void sgpipe_reset_cancel(struct scsi_transport *t)
{
    atomic_store(&impl_from_transport(t)->cancelled, false);
}

static void sgpipe_close(struct scsi_transport *t)
{
    struct sgpipe_transport *st = impl_from_transport(t);
    struct sgpipe_request req = { .op = SGPIPE_OP_CLOSE };
    struct sgpipe_reply rep;
    /* A polite CLOSE, then the connection goes, which ends the helper. */
    if (client_call(&st->client, &req, NULL, NULL, 0, SGPIPE_CONTROL_TIMEOUT_MS, &rep) == TRANSPORT_OK)
        st->client.io.close(st->client.io.ctx);
    free(st);
}

static const struct scsi_transport_ops sgpipe_ops = {
    "sgio-pipe", sgpipe_execute, sgpipe_cancel, sgpipe_reset_cancel, sgpipe_close, NULL,
};

enum transport_result sgpipe_transport_open(const struct sgpipe_io *io, const char *path,
                                            struct scsi_transport **out)
{
    *out = NULL;
    struct sgpipe_transport *st = calloc(1, sizeof(*st));
    if (!st) {
        io->close(io->ctx);
        return TRANSPORT_ERR_NO_MEMORY;
    }
    st->base.ops = &sgpipe_ops;
    st->client.io = *io;
    atomic_init(&st->cancelled, false);
    size_t path_len = path ? strlen(path) : 0;
    if (!sgpipe_path_allowed(path)) {
        io->close(io->ctx);
        free(st);
        return TRANSPORT_ERR_INVALID;
    }
    struct sgpipe_request open_req = { .op = SGPIPE_OP_OPEN, .payload_len = (uint32_t)path_len };
    struct sgpipe_request limits_req = { .op = SGPIPE_OP_LIMITS };
    struct sgpipe_reply rep;
    uint8_t limits[SGPIPE_LIMITS_SIZE];
    enum transport_result r =
        client_call(&st->client, &open_req, path, NULL, 0, SGPIPE_CONTROL_TIMEOUT_MS, &rep);
    if (r == TRANSPORT_OK)
        r = (enum transport_result)rep.result;
    if (r == TRANSPORT_OK)
        r = client_call(&st->client, &limits_req, NULL, limits, sizeof(limits), SGPIPE_CONTROL_TIMEOUT_MS, &rep);
    if (r == TRANSPORT_OK)
        r = (enum transport_result)rep.result;
    if (r != TRANSPORT_OK) {
        if (!st->client.dead)
            st->client.io.close(st->client.io.ctx);
        free(st);
        return r;
    }
    uint32_t max_transfer = sgpipe_get_u32(limits);
    if (max_transfer == 0) { /* a device that takes no data is no recorder */
        sgpipe_close(&st->base);
        return TRANSPORT_ERR_IO;
    }
    st->base.max_transfer = max_transfer < SGPIPE_MAX_DATA ? max_transfer : SGPIPE_MAX_DATA;
    st->base.alignment_mask = 0; /* the helper copies into its own aligned buffer */
    *out = &st->base;
    return TRANSPORT_OK;
}

/* ------------------------------------------------------------ server */

struct sgpipe_server {
    const struct sgpipe_io *io;
    const struct sgpipe_backend *backend;
    struct scsi_transport *device;
    uint8_t *payload; /* room for SGPIPE_MAX_DATA, aligned */
    void *payload_block;
};

static enum transport_result send_reply(struct sgpipe_server *s, const struct sgpipe_reply *rep, const void *payload)
{
    uint8_t header[SGPIPE_REPLY_SIZE];
    sgpipe_encode_reply(rep, header);
    enum transport_result r = s->io->write_all(s->io->ctx, header, sizeof(header));
    if (r == TRANSPORT_OK && rep->payload_len)
        r = s->io->write_all(s->io->ctx, payload, rep->payload_len);
    return r;
}

static void close_device(struct sgpipe_server *s)
{
    if (s->device)
        scsi_transport_close(s->device);
    s->device = NULL;
}

static enum transport_result serve_open(struct sgpipe_server *s, const struct sgpipe_request *req,
                                        struct sgpipe_reply *rep)
{
    char path[SGPIPE_PATH_MAX + 1];
    memcpy(path, s->payload, req->payload_len);
    path[req->payload_len] = 0;
    close_device(s);
    if (strlen(path) != req->payload_len || !sgpipe_path_allowed(path))
        rep->result = TRANSPORT_ERR_INVALID;
    else
        rep->result = (uint8_t)s->backend->open(s->backend->ctx, path, &s->device);
    return send_reply(s, rep, NULL);
}

static enum transport_result serve_limits(struct sgpipe_server *s, const struct sgpipe_request *req,
                                          struct sgpipe_reply *rep)
{
    uint8_t limits[SGPIPE_LIMITS_SIZE];
    (void)req;
    if (!s->device) {
        rep->result = TRANSPORT_ERR_NO_DEVICE;
        return send_reply(s, rep, NULL);
    }
    uint32_t max = s->device->max_transfer < SGPIPE_MAX_DATA ? s->device->max_transfer : SGPIPE_MAX_DATA;
    sgpipe_put_u32(limits, max);
    sgpipe_put_u32(limits + 4, s->device->alignment_mask);
    rep->payload_len = sizeof(limits);
    return send_reply(s, rep, limits);
}

static enum transport_result serve_execute(struct sgpipe_server *s, const struct sgpipe_request *req,
                                           struct sgpipe_reply *rep)
{
    struct scsi_request cmd = { 0 };
    if (!s->device) {
        rep->result = TRANSPORT_ERR_NO_DEVICE;
        rep->resid = req->len;
        return send_reply(s, rep, NULL);
    }
    memcpy(cmd.cdb, req->cdb, sizeof(cmd.cdb));
    cmd.cdb_len = req->cdb_len;
    cmd.dir = (enum scsi_direction)req->dir;
    cmd.len = req->len;
    cmd.buf = req->len ? s->payload : NULL;
    cmd.timeout_ms = req->timeout_ms;
    if (req->dir == SCSI_DIR_IN)
        memset(s->payload, 0, req->len);
    enum transport_result r = req->len > s->device->max_transfer ? TRANSPORT_ERR_INVALID
                                                                  : scsi_transport_execute(s->device, &cmd);
    rep->result = (uint8_t)r;
    rep->status = cmd.status;
    rep->sense_len = cmd.sense_len <= SCSI_SENSE_MAX ? cmd.sense_len : SCSI_SENSE_MAX;
    memcpy(rep->sense, cmd.sense, rep->sense_len);
    rep->resid = r == TRANSPORT_OK && cmd.resid <= req->len ? cmd.resid : req->len;
    if (r != TRANSPORT_OK) {
        rep->status = 0;
        rep->sense_len = 0;
    }
    rep->payload_len = r == TRANSPORT_OK && req->dir == SCSI_DIR_IN ? req->len - rep->resid : 0;
    return send_reply(s, rep, s->payload);
}

static enum transport_result serve_close(struct sgpipe_server *s, const struct sgpipe_request *req,
                                         struct sgpipe_reply *rep)
{
    (void)req;
    close_device(s);
    return send_reply(s, rep, NULL);
}

static enum transport_result serve_enumerate(struct sgpipe_server *s, const struct sgpipe_request *req,
                                             struct sgpipe_reply *rep)
{
    struct sgpipe_entry *entries = calloc(SGPIPE_ENUM_MAX, sizeof(*entries));
    if (!entries) {
        rep->result = TRANSPORT_ERR_NO_MEMORY;
        return send_reply(s, rep, NULL);
    }
    int n = s->backend->enumerate(s->backend->ctx, (const char *)s->payload, req->payload_len, entries,
                                  SGPIPE_ENUM_MAX);
    if (n < 0)
        n = 0;
    if (n > (int)SGPIPE_ENUM_MAX)
        n = SGPIPE_ENUM_MAX;
    /* The request's payload is consumed: the entries reuse the buffer. */
    for (int i = 0; i < n; i++)
        sgpipe_encode_entry(&entries[i], s->payload + (size_t)i * SGPIPE_ENTRY_SIZE);
    free(entries);
    rep->payload_len = (uint32_t)n * SGPIPE_ENTRY_SIZE;
    return send_reply(s, rep, s->payload);
}

typedef enum transport_result (*serve_fn)(struct sgpipe_server *s, const struct sgpipe_request *req,
                                          struct sgpipe_reply *rep);

/* HELLO only travels from the helper to the DLL, and AUTH only once, in
 * the handshake: afterwards the helper refuses both. */
static const serve_fn serve_table[SGPIPE_OP_COUNT] = {
    [SGPIPE_OP_OPEN] = serve_open,       [SGPIPE_OP_LIMITS] = serve_limits,
    [SGPIPE_OP_EXECUTE] = serve_execute, [SGPIPE_OP_CLOSE] = serve_close,
    [SGPIPE_OP_ENUMERATE] = serve_enumerate,
};

/* Reads and answers one request: 1 to go on, 0 when the peer closed, -1
 * when the stream is broken. */
static int serve_one(struct sgpipe_server *s)
{
    uint8_t header[SGPIPE_REQUEST_SIZE];
    struct sgpipe_request req;
    enum transport_result r = s->io->read_exact(s->io->ctx, header, sizeof(header), 0);
    if (r == TRANSPORT_ERR_NO_DEVICE)
        return 0;
    if (r != TRANSPORT_OK)
        return -1;
    enum sgpipe_frame frame = sgpipe_decode_request(header, &req);
    if (frame == SGPIPE_FRAME_BROKEN)
        return -1;
    if (req.payload_len && s->io->read_exact(s->io->ctx, s->payload, req.payload_len, 0) != TRANSPORT_OK)
        return -1;
    struct sgpipe_reply rep = { .seq = req.seq, .op = req.op };
    serve_fn handler = frame == SGPIPE_FRAME_OK ? serve_table[req.op] : NULL;
    if (!handler) {
        rep.result = TRANSPORT_ERR_INVALID;
        rep.resid = req.op == SGPIPE_OP_EXECUTE && req.len <= SGPIPE_MAX_DATA ? req.len : 0;
        return send_reply(s, &rep, NULL) == TRANSPORT_OK ? 1 : -1;
    }
    return handler(s, &req, &rep) == TRANSPORT_OK ? 1 : -1;
}

/* The helper's half of the handshake: 0 when the peer proved the token
 * (and got the helper's proof back), -1 otherwise. Nothing the peer sends
 * before that reaches a handler. */
static int serve_handshake(const struct sgpipe_io *io, const struct sgpipe_server_auth *a)
{
    uint8_t header[SGPIPE_REPLY_SIZE], hello[SGPIPE_HELLO_SIZE], auth[SGPIPE_AUTH_SIZE];
    struct sgpipe_request req = { .op = SGPIPE_OP_HELLO, .payload_len = SGPIPE_HELLO_SIZE };
    memcpy(hello, a->nonce, SGPIPE_NONCE_SIZE);
    sgpipe_put_u32(hello + SGPIPE_NONCE_SIZE, a->pid);
    sgpipe_encode_request(&req, header);
    if (io->write_all(io->ctx, header, SGPIPE_REQUEST_SIZE) != TRANSPORT_OK ||
        io->write_all(io->ctx, hello, sizeof(hello)) != TRANSPORT_OK)
        return -1;
    /* Only AUTH may come now: any other op, or bad fields, ends it here,
     * before a payload of another kind is even read. */
    if (io->read_exact(io->ctx, header, SGPIPE_REQUEST_SIZE, a->timeout_ms) != TRANSPORT_OK ||
        sgpipe_decode_request(header, &req) != SGPIPE_FRAME_OK || req.op != SGPIPE_OP_AUTH ||
        io->read_exact(io->ctx, auth, sizeof(auth), a->timeout_ms) != TRANSPORT_OK)
        return -1;
    const uint8_t *dll_nonce = auth;
    if (!sgpipe_proof_check(a->token, SGPIPE_PROVER_DLL, a->nonce, dll_nonce, a->pid, auth + SGPIPE_NONCE_SIZE))
        return -1;
    uint8_t proof[SGPIPE_MAC_SIZE];
    struct sgpipe_reply rep = { .seq = req.seq, .op = SGPIPE_OP_AUTH, .payload_len = SGPIPE_MAC_SIZE };
    sgpipe_proof(a->token, SGPIPE_PROVER_HELPER, dll_nonce, a->nonce, a->pid, proof);
    sgpipe_encode_reply(&rep, header);
    if (io->write_all(io->ctx, header, SGPIPE_REPLY_SIZE) != TRANSPORT_OK ||
        io->write_all(io->ctx, proof, sizeof(proof)) != TRANSPORT_OK)
        return -1;
    return 0;
}

int sgpipe_serve(const struct sgpipe_io *io, const struct sgpipe_backend *backend,
                 const struct sgpipe_server_auth *auth)
{
    struct sgpipe_server s = { io, backend, NULL, NULL, NULL };
    if (!auth || serve_handshake(io, auth) != 0)
        return -1;
    /* Room for the largest payload in either direction, page aligned
     * (aligned_alloc is not everywhere libs/ builds). */
    s.payload_block = malloc(SGPIPE_MAX_DATA + SGPIPE_BUFFER_ALIGN);
    if (!s.payload_block)
        return -1;
    uintptr_t at = ((uintptr_t)s.payload_block + SGPIPE_BUFFER_ALIGN - 1) & ~(uintptr_t)(SGPIPE_BUFFER_ALIGN - 1);
    s.payload = (uint8_t *)at;
    int rc;
    while ((rc = serve_one(&s)) > 0)
        ;
    close_device(&s);
    free(s.payload_block);
    return rc;
}
