/* Frame encoding and validation of the sgio-pipe protocol (sgpipe_proto.h).
 * Both ends use these functions, and the fuzzer drives the decoders. */
#include "sgpipe_proto.h"

#include <string.h>

#include "hmac_sha256.h"

/* ENUMERATE may carry extra device paths, NUL-separated. */
#define SGPIPE_ENUM_PAYLOAD_MAX 4096u

void sgpipe_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

uint32_t sgpipe_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* The payload each request op may carry. EXECUTE's depends on dir/len and
 * is checked separately; it only takes the upper bound from here. */
static const struct {
    uint32_t payload_min, payload_max;
} request_rules[SGPIPE_OP_COUNT] = {
    [SGPIPE_OP_HELLO] = { SGPIPE_HELLO_SIZE, SGPIPE_HELLO_SIZE },
    [SGPIPE_OP_OPEN] = { 1, SGPIPE_PATH_MAX },
    [SGPIPE_OP_LIMITS] = { 0, 0 },
    [SGPIPE_OP_EXECUTE] = { 0, SGPIPE_MAX_DATA },
    [SGPIPE_OP_CLOSE] = { 0, 0 },
    [SGPIPE_OP_ENUMERATE] = { 0, SGPIPE_ENUM_PAYLOAD_MAX },
    [SGPIPE_OP_AUTH] = { SGPIPE_AUTH_SIZE, SGPIPE_AUTH_SIZE },
};

void sgpipe_encode_request(const struct sgpipe_request *req, uint8_t out[SGPIPE_REQUEST_SIZE])
{
    sgpipe_put_u32(out, SGPIPE_REQUEST_MAGIC);
    sgpipe_put_u32(out + 4, req->seq);
    put_u16(out + 8, req->op);
    out[10] = req->cdb_len;
    out[11] = req->dir;
    sgpipe_put_u32(out + 12, req->len);
    sgpipe_put_u32(out + 16, req->timeout_ms);
    memcpy(out + 20, req->cdb, sizeof(req->cdb));
    sgpipe_put_u32(out + 36, req->payload_len);
}

static int cdb_len_valid(uint8_t n)
{
    return n == 6 || n == 10 || n == 12 || n == 16;
}

static enum sgpipe_frame check_execute(const struct sgpipe_request *req)
{
    if (!cdb_len_valid(req->cdb_len) || req->dir > SCSI_DIR_OUT || req->len > SGPIPE_MAX_DATA)
        return SGPIPE_FRAME_BAD_FIELDS;
    if (req->len > 0 && req->dir == SCSI_DIR_NONE)
        return SGPIPE_FRAME_BAD_FIELDS;
    uint32_t want_payload = req->dir == SCSI_DIR_OUT ? req->len : 0;
    return req->payload_len == want_payload ? SGPIPE_FRAME_OK : SGPIPE_FRAME_BAD_FIELDS;
}

enum sgpipe_frame sgpipe_decode_request(const uint8_t in[SGPIPE_REQUEST_SIZE], struct sgpipe_request *req)
{
    memset(req, 0, sizeof(*req));
    if (sgpipe_get_u32(in) != SGPIPE_REQUEST_MAGIC)
        return SGPIPE_FRAME_BROKEN;
    req->seq = sgpipe_get_u32(in + 4);
    req->op = get_u16(in + 8);
    req->cdb_len = in[10];
    req->dir = in[11];
    req->len = sgpipe_get_u32(in + 12);
    req->timeout_ms = sgpipe_get_u32(in + 16);
    memcpy(req->cdb, in + 20, sizeof(req->cdb));
    req->payload_len = sgpipe_get_u32(in + 36);
    /* Past this size nothing can be skipped safely. */
    if (req->payload_len > SGPIPE_MAX_DATA)
        return SGPIPE_FRAME_BROKEN;
    if (req->op == 0 || req->op >= SGPIPE_OP_COUNT)
        return SGPIPE_FRAME_BAD_FIELDS;
    if (req->payload_len < request_rules[req->op].payload_min || req->payload_len > request_rules[req->op].payload_max)
        return SGPIPE_FRAME_BAD_FIELDS;
    if (req->op == SGPIPE_OP_EXECUTE)
        return check_execute(req);
    /* Only EXECUTE carries a command. */
    if (req->cdb_len || req->dir || req->len)
        return SGPIPE_FRAME_BAD_FIELDS;
    return SGPIPE_FRAME_OK;
}

void sgpipe_encode_reply(const struct sgpipe_reply *rep, uint8_t out[SGPIPE_REPLY_SIZE])
{
    sgpipe_put_u32(out, SGPIPE_REPLY_MAGIC);
    sgpipe_put_u32(out + 4, rep->seq);
    put_u16(out + 8, rep->op);
    out[10] = rep->result;
    out[11] = rep->status;
    out[12] = rep->sense_len;
    out[13] = out[14] = out[15] = 0;
    sgpipe_put_u32(out + 16, rep->resid);
    sgpipe_put_u32(out + 20, rep->payload_len);
    memcpy(out + 24, rep->sense, sizeof(rep->sense));
}

/* The payload a successful reply to `asked` must carry; -1: any whole
 * number of ENUMERATE entries. */
static int64_t reply_payload_expected(const struct sgpipe_request *asked, const struct sgpipe_reply *rep)
{
    if (rep->result != TRANSPORT_OK)
        return 0;
    switch (asked->op) {
    case SGPIPE_OP_EXECUTE:
        return asked->dir == SCSI_DIR_IN ? (int64_t)asked->len - rep->resid : 0;
    case SGPIPE_OP_LIMITS:
        return SGPIPE_LIMITS_SIZE;
    case SGPIPE_OP_ENUMERATE:
        return -1;
    case SGPIPE_OP_AUTH:
        return SGPIPE_MAC_SIZE;
    default:
        return 0;
    }
}

enum sgpipe_frame sgpipe_decode_reply(const uint8_t in[SGPIPE_REPLY_SIZE], const struct sgpipe_request *asked,
                                      struct sgpipe_reply *rep)
{
    memset(rep, 0, sizeof(*rep));
    if (sgpipe_get_u32(in) != SGPIPE_REPLY_MAGIC)
        return SGPIPE_FRAME_BROKEN;
    rep->seq = sgpipe_get_u32(in + 4);
    rep->op = get_u16(in + 8);
    rep->result = in[10];
    rep->status = in[11];
    rep->sense_len = in[12];
    rep->resid = sgpipe_get_u32(in + 16);
    rep->payload_len = sgpipe_get_u32(in + 20);
    memcpy(rep->sense, in + 24, sizeof(rep->sense));
    if (rep->seq != asked->seq || rep->op != asked->op || in[13] || in[14] || in[15])
        return SGPIPE_FRAME_BROKEN;
    if (rep->result > TRANSPORT_ERR_NO_MEMORY || rep->sense_len > SCSI_SENSE_MAX)
        return SGPIPE_FRAME_BROKEN;
    uint32_t asked_len = asked->op == SGPIPE_OP_EXECUTE ? asked->len : 0;
    if (rep->resid > asked_len)
        return SGPIPE_FRAME_BROKEN;
    int64_t want = reply_payload_expected(asked, rep);
    if (want < 0)
        return rep->payload_len % SGPIPE_ENTRY_SIZE == 0 && rep->payload_len <= SGPIPE_ENUM_MAX * SGPIPE_ENTRY_SIZE
                   ? SGPIPE_FRAME_OK
                   : SGPIPE_FRAME_BROKEN;
    return rep->payload_len == (uint64_t)want ? SGPIPE_FRAME_OK : SGPIPE_FRAME_BROKEN;
}

/* Entry layout: path[256] vendor[9] product[17] revision[5] flags letter
 * pad[3] major minor. */
enum {
    ENTRY_PATH = 0,
    ENTRY_VENDOR = ENTRY_PATH + SGPIPE_PATH_MAX,
    ENTRY_PRODUCT = ENTRY_VENDOR + 9,
    ENTRY_REVISION = ENTRY_PRODUCT + 17,
    ENTRY_FLAGS = ENTRY_REVISION + 5,
    ENTRY_LETTER = ENTRY_FLAGS + 1,
    ENTRY_PAD = ENTRY_LETTER + 1,
    ENTRY_MAJOR = ENTRY_PAD + 3,
    ENTRY_MINOR = ENTRY_MAJOR + 4,
    ENTRY_END = ENTRY_MINOR + 4
};
_Static_assert(ENTRY_END == SGPIPE_ENTRY_SIZE, "entry layout and size agree");

/* strnlen is POSIX, not C11. */
static size_t bounded_len(const char *s, size_t max)
{
    const char *end = memchr(s, 0, max);
    return end ? (size_t)(end - s) : max;
}

static void put_string(uint8_t *dst, const char *src, size_t size)
{
    size_t n = bounded_len(src, size - 1);
    memset(dst, 0, size);
    memcpy(dst, src, n);
}

/* Copies a field that must hold its own terminator; -1 if it does not. */
static int get_string(char *dst, const uint8_t *src, size_t size)
{
    const uint8_t *end = memchr(src, 0, size);
    if (!end)
        return -1;
    /* Bytes after the terminator are not part of the value. */
    memset(dst, 0, size);
    memcpy(dst, src, (size_t)(end - src));
    return 0;
}

void sgpipe_encode_entry(const struct sgpipe_entry *e, uint8_t out[SGPIPE_ENTRY_SIZE])
{
    memset(out, 0, SGPIPE_ENTRY_SIZE);
    put_string(out + ENTRY_PATH, e->path, sizeof(e->path));
    put_string(out + ENTRY_VENDOR, e->vendor, sizeof(e->vendor));
    put_string(out + ENTRY_PRODUCT, e->product, sizeof(e->product));
    put_string(out + ENTRY_REVISION, e->revision, sizeof(e->revision));
    out[ENTRY_FLAGS] = e->flags;
    out[ENTRY_LETTER] = (uint8_t)e->letter;
    sgpipe_put_u32(out + ENTRY_MAJOR, e->dev_major);
    sgpipe_put_u32(out + ENTRY_MINOR, e->dev_minor);
}

int sgpipe_decode_entry(const uint8_t in[SGPIPE_ENTRY_SIZE], struct sgpipe_entry *e)
{
    memset(e, 0, sizeof(*e));
    if (get_string(e->path, in + ENTRY_PATH, sizeof(e->path)) || get_string(e->vendor, in + ENTRY_VENDOR, sizeof(e->vendor)) ||
        get_string(e->product, in + ENTRY_PRODUCT, sizeof(e->product)) ||
        get_string(e->revision, in + ENTRY_REVISION, sizeof(e->revision)))
        return -1;
    e->flags = in[ENTRY_FLAGS];
    e->letter = (char)in[ENTRY_LETTER];
    e->dev_major = sgpipe_get_u32(in + ENTRY_MAJOR);
    e->dev_minor = sgpipe_get_u32(in + ENTRY_MINOR);
    if (e->flags & ~SGPIPE_ENTRY_INQUIRY_OK)
        return -1;
    if (e->letter && (e->letter < 'a' || e->letter > 'z'))
        return -1;
    if (in[ENTRY_PAD] || in[ENTRY_PAD + 1] || in[ENTRY_PAD + 2] || !sgpipe_path_allowed(e->path))
        return -1;
    return 0;
}

/* "prefix" followed by 1-5 decimal digits, no leading zero but "0". */
static int is_numbered_node(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0)
        return 0;
    const char *digits = path + n;
    size_t count = strspn(digits, "0123456789");
    if (count == 0 || count > 5 || digits[count] != '\0')
        return 0;
    return digits[0] != '0' || count == 1;
}

int sgpipe_path_allowed(const char *path)
{
    if (!path)
        return 0;
    size_t len = bounded_len(path, SGPIPE_PATH_MAX);
    if (len == 0 || len >= SGPIPE_PATH_MAX)
        return 0;
    if (is_numbered_node(path, "/dev/sr") || is_numbered_node(path, "/dev/sg"))
        return 1;
    if (strncmp(path, "vrec:/", 6) != 0)
        return 0;
    for (const char *p = path; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* ------------------------------------------------------------ handshake */

/* One label per direction, 16 bytes each, so neither side's proof can be
 * reflected as the other's. */
static const char proof_labels[SGPIPE_PROVER_COUNT][16] = {
    [SGPIPE_PROVER_DLL] = { 'i', 'm', 'a', 'p', 'i', '2', ' ', 's', 'g', 'p', 'i', 'p', 'e', ' ', 'D', '>' },
    [SGPIPE_PROVER_HELPER] = { 'i', 'm', 'a', 'p', 'i', '2', ' ', 's', 'g', 'p', 'i', 'p', 'e', ' ', 'H', '>' },
};

void sgpipe_proof(const uint8_t token[SGPIPE_TOKEN_SIZE], enum sgpipe_prover who,
                  const uint8_t theirs[SGPIPE_NONCE_SIZE], const uint8_t own[SGPIPE_NONCE_SIZE], uint32_t pid,
                  uint8_t out[SGPIPE_MAC_SIZE])
{
    uint8_t pid_le[4];
    sgpipe_put_u32(pid_le, pid);
    const struct hmac_part parts[] = {
        { proof_labels[who], sizeof(proof_labels[who]) },
        { theirs, SGPIPE_NONCE_SIZE },
        { own, SGPIPE_NONCE_SIZE },
        { pid_le, sizeof(pid_le) },
    };
    _Static_assert(SGPIPE_MAC_SIZE == SHA256_SIZE, "the proof is one HMAC-SHA-256");
    hmac_sha256(token, SGPIPE_TOKEN_SIZE, parts, sizeof(parts) / sizeof(parts[0]), out);
}

int sgpipe_proof_check(const uint8_t token[SGPIPE_TOKEN_SIZE], enum sgpipe_prover who,
                       const uint8_t theirs[SGPIPE_NONCE_SIZE], const uint8_t own[SGPIPE_NONCE_SIZE], uint32_t pid,
                       const uint8_t got[SGPIPE_MAC_SIZE])
{
    uint8_t want[SGPIPE_MAC_SIZE];
    sgpipe_proof(token, who, theirs, own, pid, want);
    int good = mem_equal_ct(want, got, sizeof(want));
    memset(want, 0, sizeof(want));
    return good;
}
