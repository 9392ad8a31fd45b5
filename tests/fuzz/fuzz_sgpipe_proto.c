/* The sgio-pipe frame decoders and the helper's request loop on arbitrary
 * bytes. The first byte picks the target:
 *   0 request header: decode; whatever decodes must encode back to the
 *     same bytes
 *   1 reply header checked against a request decoded from the input
 *   2 ENUMERATE entry: decode; an accepted entry must round-trip
 *   3 a whole connection: the bytes are what the DLL sent, served by
 *     sgpipe_serve() with a fake device; every reply it writes must decode
 *     against the request it answers. The next byte, when odd, puts a good
 *     AUTH in front (so the fuzzer also reaches the request loop); when
 *     even the bytes are the handshake itself, and then no request may
 *     reach the device unless they hold the right proof
 *   4 the DLL's half of the handshake against a helper that sends the
 *     bytes: it may only succeed when they carry the helper's right proof
 * Nothing may crash, read out of bounds or allocate beyond the limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transport/sgpipe.h"

/* The handshake's fixed inputs: what the helper and the DLL would hold. */
static const uint8_t fuzz_token[SGPIPE_TOKEN_SIZE] = { 't', 'o', 'k', 'e', 'n' };
static const uint8_t helper_nonce[SGPIPE_NONCE_SIZE] = { 'h', 'e', 'l', 'p', 'e', 'r' };
static const uint8_t dll_nonce[SGPIPE_NONCE_SIZE] = { 'd', 'l', 'l' };
#define FUZZ_PID 77u

/* Set when the fake device is opened or asked to enumerate. */
static int device_used;

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
    device_used = 1;
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
    device_used = 1;
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
    int hello_done;           /* the helper's HELLO went out (header and payload) */
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
    if (m->hello_done < 2) {
        /* The helper's first frame: HELLO with its nonce and pid. */
        struct sgpipe_request hello;
        if (m->hello_done == 0 && (n != SGPIPE_REQUEST_SIZE || sgpipe_decode_request(buf, &hello) != SGPIPE_FRAME_OK ||
                                   hello.op != SGPIPE_OP_HELLO))
            abort();
        if (m->hello_done == 1 && (n != SGPIPE_HELLO_SIZE || memcmp(buf, helper_nonce, SGPIPE_NONCE_SIZE) != 0 ||
                                   sgpipe_get_u32((const uint8_t *)buf + SGPIPE_NONCE_SIZE) != FUZZ_PID))
            abort();
        m->hello_done++;
        return TRANSPORT_OK;
    }
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

/* A good AUTH frame from the DLL, as the helper expects it. */
static void good_auth(uint8_t out[SGPIPE_REQUEST_SIZE + SGPIPE_AUTH_SIZE])
{
    struct sgpipe_request req = { .seq = 1, .op = SGPIPE_OP_AUTH, .payload_len = SGPIPE_AUTH_SIZE };
    sgpipe_encode_request(&req, out);
    memcpy(out + SGPIPE_REQUEST_SIZE, dll_nonce, SGPIPE_NONCE_SIZE);
    sgpipe_proof(fuzz_token, SGPIPE_PROVER_DLL, helper_nonce, dll_nonce, FUZZ_PID,
                 out + SGPIPE_REQUEST_SIZE + SGPIPE_NONCE_SIZE);
}

static void fuzz_connection(const uint8_t *data, size_t size)
{
    enum { AUTH_FRAME = SGPIPE_REQUEST_SIZE + SGPIPE_AUTH_SIZE };
    if (size < 1)
        return;
    int authenticated = data[0] & 1;
    uint8_t *in = malloc(AUTH_FRAME + size);
    if (!in)
        return;
    size_t in_len = 0;
    if (authenticated) {
        good_auth(in);
        in_len = AUTH_FRAME;
    }
    memcpy(in + in_len, data + 1, size - 1);
    in_len += size - 1;
    struct memory_io m = { in, in_len, 0, 0, 0, { 0 }, 0, 0 };
    struct sgpipe_io io = { memory_read, memory_write, memory_close, &m };
    struct sgpipe_backend backend = { fake_open, fake_enumerate, NULL };
    struct sgpipe_server_auth auth = { .pid = FUZZ_PID };
    memcpy(auth.token, fuzz_token, sizeof(auth.token));
    memcpy(auth.nonce, helper_nonce, sizeof(auth.nonce));
    device_used = 0;
    sgpipe_serve(&io, &backend, &auth);
    /* Without the good AUTH up front, the device may only be reached when
     * the input starts with an AUTH whose proof is right for its nonce. */
    const uint8_t *dll = in + SGPIPE_REQUEST_SIZE;
    if (!authenticated && device_used &&
        (in_len < AUTH_FRAME ||
         !sgpipe_proof_check(fuzz_token, SGPIPE_PROVER_DLL, helper_nonce, dll, FUZZ_PID, dll + SGPIPE_NONCE_SIZE)))
        abort();
    free(in);
}

/* ---- the DLL's half: the input is what a helper sends */

struct client_io {
    const uint8_t *in;
    size_t in_len, in_pos;
    int writes;
};

static enum transport_result client_read(void *ctx, void *buf, size_t n, uint32_t timeout_ms)
{
    struct client_io *c = ctx;
    (void)timeout_ms;
    if (c->in_len - c->in_pos < n)
        return TRANSPORT_ERR_NO_DEVICE;
    memcpy(buf, c->in + c->in_pos, n);
    c->in_pos += n;
    return TRANSPORT_OK;
}

static enum transport_result client_write(void *ctx, const void *buf, size_t n)
{
    struct client_io *c = ctx;
    struct sgpipe_request req;
    /* The DLL sends exactly one AUTH: header, then nonce and proof. */
    if (c->writes == 0 && (n != SGPIPE_REQUEST_SIZE || sgpipe_decode_request(buf, &req) != SGPIPE_FRAME_OK ||
                           req.op != SGPIPE_OP_AUTH))
        abort();
    if (c->writes == 1 && (n != SGPIPE_AUTH_SIZE || memcmp(buf, dll_nonce, SGPIPE_NONCE_SIZE) != 0))
        abort();
    if (c->writes++ > 1)
        abort();
    return TRANSPORT_OK;
}

static void fuzz_client_handshake(const uint8_t *data, size_t size)
{
    struct client_io c = { data, size, 0, 0 };
    struct sgpipe_io io = { client_read, client_write, memory_close, &c };
    uint32_t pid = 0;
    if (sgpipe_client_handshake(&io, fuzz_token, dll_nonce, 0, &pid) != TRANSPORT_OK)
        return;
    /* Accepted: the input must hold HELLO and the proof for its nonce. */
    enum { PROOF_AT = SGPIPE_REQUEST_SIZE + SGPIPE_HELLO_SIZE + SGPIPE_REPLY_SIZE };
    if (size < PROOF_AT + SGPIPE_MAC_SIZE ||
        !sgpipe_proof_check(fuzz_token, SGPIPE_PROVER_HELPER, dll_nonce, data + SGPIPE_REQUEST_SIZE, pid,
                            data + PROOF_AT))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    switch (data[0] % 5) {
    case 0:
        fuzz_request(data + 1, size - 1);
        break;
    case 1:
        fuzz_reply(data + 1, size - 1);
        break;
    case 2:
        fuzz_entry(data + 1, size - 1);
        break;
    case 3:
        fuzz_connection(data + 1, size - 1);
        break;
    default:
        fuzz_client_handshake(data + 1, size - 1);
        break;
    }
    return 0;
}
