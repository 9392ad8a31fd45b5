/* The wire protocol between imapi2.dll under Wine ("sgio-pipe" transport,
 * dlls/imapi2/sgpipe_win.c) and the native helper imapi2-sghelper
 * (tools/sghelper/), which runs the "sgio" backend (or a virtual recorder)
 * on the DLL's behalf. docs/transports.md describes the whole path.
 *
 * Every frame is a fixed-size little-endian header followed by payload_len
 * bytes. One request is answered by one reply before the next is sent.
 *
 *   request (SGPIPE_REQUEST_SIZE bytes)       reply (SGPIPE_REPLY_SIZE bytes)
 *    0 u32 magic "SGQ1"                        0 u32 magic "SGR1"
 *    4 u32 seq                                 4 u32 seq (of the request)
 *    8 u16 op                                  8 u16 op (of the request)
 *   10 u8  cdb_len                            10 u8  result (transport_result)
 *   11 u8  dir (scsi_direction)               11 u8  status (SCSI)
 *   12 u32 len (data transfer length)         12 u8  sense_len
 *   16 u32 timeout_ms                         13 u8[3] zero
 *   20 u8[16] cdb                             16 u32 resid
 *   36 u32 payload_len                        20 u32 payload_len
 *                                             24 u8[32] sense
 *
 * Payloads: HELLO (helper -> DLL, first frame) the helper's nonce and pid;
 * AUTH (DLL -> helper, second frame) the DLL's nonce and proof; OPEN the
 * device path; EXECUTE the OUT data (payload_len == len). Replies: AUTH the
 * helper's proof; EXECUTE IN the bytes transferred (payload_len == len -
 * resid); LIMITS 8 bytes (max_transfer, alignment_mask); ENUMERATE whole
 * entries.
 *
 * Handshake (both ends hold the 16-byte token; it never travels):
 *   helper -> DLL  HELLO  nonce_h[16] pid
 *   DLL -> helper  AUTH   nonce_d[16] mac_d[32]
 *   helper -> DLL  reply to AUTH, result OK, mac_h[32]
 * mac_d = HMAC-SHA-256(token, "imapi2 sgpipe D>" nonce_h nonce_d pid),
 * mac_h = HMAC-SHA-256(token, "imapi2 sgpipe H>" nonce_d nonce_h pid)
 * (each side's label, then the other's nonce, its own, the helper's pid as
 * u32 LE). The helper acts on nothing before a good AUTH and hangs up on
 * anything else; the DLL takes no helper whose mac_h is wrong.
 *
 * The decoders check every field; nothing they accept can make a reader
 * allocate or copy more than SGPIPE_MAX_DATA bytes. Portable C11. */
#ifndef IMAPI2_TRANSPORT_SGPIPE_PROTO_H
#define IMAPI2_TRANSPORT_SGPIPE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "transport/transport.h"

#define SGPIPE_REQUEST_MAGIC 0x31514753u /* "SGQ1" on the wire */
#define SGPIPE_REPLY_MAGIC 0x31524753u   /* "SGR1" on the wire */
#define SGPIPE_REQUEST_SIZE 40
#define SGPIPE_REPLY_SIZE 56
/* Largest data phase of one command (the virtual recorder's limit; real
 * queues are smaller and the helper refuses more than its device takes). */
#define SGPIPE_MAX_DATA (1024u * 1024u)
#define SGPIPE_PATH_MAX 256    /* OPEN payload, NUL not sent */
#define SGPIPE_TOKEN_SIZE 16   /* the shared secret, never sent */
#define SGPIPE_NONCE_SIZE 16
#define SGPIPE_MAC_SIZE 32     /* HMAC-SHA-256 */
#define SGPIPE_HELLO_SIZE (SGPIPE_NONCE_SIZE + 4)               /* nonce_h, pid */
#define SGPIPE_AUTH_SIZE (SGPIPE_NONCE_SIZE + SGPIPE_MAC_SIZE) /* nonce_d, mac_d */
#define SGPIPE_ENUM_MAX 32     /* entries in one ENUMERATE reply */
#define SGPIPE_ENTRY_SIZE 300
#define SGPIPE_LIMITS_SIZE 8

enum sgpipe_op {
    SGPIPE_OP_HELLO = 1,     /* helper -> DLL: the helper's nonce, then its pid */
    SGPIPE_OP_OPEN = 2,      /* path; one device per connection */
    SGPIPE_OP_LIMITS = 3,
    SGPIPE_OP_EXECUTE = 4,
    SGPIPE_OP_CLOSE = 5,     /* closes the device; the connection stays */
    SGPIPE_OP_ENUMERATE = 6, /* /dev/srN with INQUIRY strings */
    SGPIPE_OP_AUTH = 7,      /* DLL -> helper: nonce and proof; reply: proof */
    SGPIPE_OP_COUNT
};

struct sgpipe_request {
    uint32_t seq;
    uint16_t op;
    uint8_t cdb_len;
    uint8_t dir;
    uint32_t len;
    uint32_t timeout_ms;
    uint8_t cdb[16];
    uint32_t payload_len;
};

struct sgpipe_reply {
    uint32_t seq;
    uint16_t op;
    uint8_t result;
    uint8_t status;
    uint8_t sense_len;
    uint32_t resid;
    uint32_t payload_len;
    uint8_t sense[SCSI_SENSE_MAX];
};

/* What a decoder thinks of a header. */
enum sgpipe_frame {
    SGPIPE_FRAME_OK = 0,
    /* Framing is sound (magic, payload_len in range) but a field is not:
     * the reader consumes payload_len bytes, answers INVALID and goes on. */
    SGPIPE_FRAME_BAD_FIELDS = 1,
    /* Wrong magic or an impossible payload_len: the stream cannot be
     * followed any more; the reader closes the connection. */
    SGPIPE_FRAME_BROKEN = 2
};

/* One ENUMERATE entry: a device node and what INQUIRY said about it. */
#define SGPIPE_ENTRY_INQUIRY_OK 0x01
struct sgpipe_entry {
    char path[SGPIPE_PATH_MAX]; /* NUL-terminated */
    char vendor[9], product[17], revision[5]; /* INQUIRY, trailing blanks kept */
    uint8_t flags;
    char letter;        /* Wine drive letter ('a'..'z') linked to this node, or 0 */
    uint32_t dev_major, dev_minor;
};

void sgpipe_encode_request(const struct sgpipe_request *req, uint8_t out[SGPIPE_REQUEST_SIZE]);
/* Fills *req from a header the helper received (from the DLL). */
enum sgpipe_frame sgpipe_decode_request(const uint8_t in[SGPIPE_REQUEST_SIZE], struct sgpipe_request *req);

void sgpipe_encode_reply(const struct sgpipe_reply *rep, uint8_t out[SGPIPE_REPLY_SIZE]);
/* Checks a reply header against the request it answers (seq, op, and for
 * EXECUTE the direction and length asked): a reply that does not fit is
 * BROKEN, since the DLL cannot trust anything after it. */
enum sgpipe_frame sgpipe_decode_reply(const uint8_t in[SGPIPE_REPLY_SIZE], const struct sgpipe_request *asked,
                                      struct sgpipe_reply *rep);

void sgpipe_encode_entry(const struct sgpipe_entry *e, uint8_t out[SGPIPE_ENTRY_SIZE]);
/* 0, or -1 when the entry is malformed (strings not terminated, letter
 * not a-z or 0, unknown flags). */
int sgpipe_decode_entry(const uint8_t in[SGPIPE_ENTRY_SIZE], struct sgpipe_entry *e);

/* Little-endian helpers the encoders use, shared with the callers. */
void sgpipe_put_u32(uint8_t *p, uint32_t v);
uint32_t sgpipe_get_u32(const uint8_t *p);

/* Who proves itself with a MAC (picks the label). */
enum sgpipe_prover { SGPIPE_PROVER_DLL = 0, SGPIPE_PROVER_HELPER = 1, SGPIPE_PROVER_COUNT };

/* The proof `who` sends: HMAC-SHA-256 keyed by the token over who's label,
 * the other side's nonce, who's own nonce and the helper's pid. */
void sgpipe_proof(const uint8_t token[SGPIPE_TOKEN_SIZE], enum sgpipe_prover who,
                  const uint8_t theirs[SGPIPE_NONCE_SIZE], const uint8_t own[SGPIPE_NONCE_SIZE], uint32_t pid,
                  uint8_t out[SGPIPE_MAC_SIZE]);
/* 1 when got is the proof `who` must send (constant-time compare), else 0. */
int sgpipe_proof_check(const uint8_t token[SGPIPE_TOKEN_SIZE], enum sgpipe_prover who,
                       const uint8_t theirs[SGPIPE_NONCE_SIZE], const uint8_t own[SGPIPE_NONCE_SIZE], uint32_t pid,
                       const uint8_t got[SGPIPE_MAC_SIZE]);

/* Whether the helper serves this path: "/dev/srN", "/dev/sgN" (N decimal),
 * or "vrec:" followed by an absolute path (a virtual recorder's media file,
 * for tests; see docs/transports.md). */
int sgpipe_path_allowed(const char *path);

#endif
