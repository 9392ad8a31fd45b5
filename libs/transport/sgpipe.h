/* Both ends of the sgio-pipe protocol (sgpipe_proto.h) over any byte
 * stream: the "sgio-pipe" transport the DLL uses (client) and the request
 * loop of the native helper (server). The stream is a struct sgpipe_io the
 * caller supplies (Winsock in the DLL, a POSIX socket in the helper, a
 * socketpair in the unit test), so all protocol logic is portable C here.
 *
 * Client transport rules: one command at a time; cancel is a sticky flag
 * checked before each command (the helper cannot interrupt SG_IO either);
 * a connection that fails, times out or answers a frame that does not fit
 * the request is closed for good (which ends the helper) and every later
 * command answers TRANSPORT_ERR_NO_DEVICE. */
#ifndef IMAPI2_TRANSPORT_SGPIPE_H
#define IMAPI2_TRANSPORT_SGPIPE_H

#include "transport/sgpipe_proto.h"
#include "transport/transport.h"

struct sgpipe_io {
    /* Reads exactly n bytes within timeout_ms (0: no limit). TRANSPORT_OK,
     * NO_DEVICE when the peer closed, TIMEOUT, or IO. */
    enum transport_result (*read_exact)(void *ctx, void *buf, size_t n, uint32_t timeout_ms);
    /* Writes all n bytes: TRANSPORT_OK, NO_DEVICE (peer gone) or IO. */
    enum transport_result (*write_all)(void *ctx, const void *buf, size_t n);
    /* Ends the connection and frees ctx. */
    void (*close)(void *ctx);
    void *ctx;
};

/* Added to a command's own timeout while waiting for its reply: the helper
 * answers after the kernel gives up on the command. */
#define SGPIPE_REPLY_MARGIN_MS 15000u
#define SGPIPE_DEFAULT_TIMEOUT_MS TRANSPORT_DEFAULT_TIMEOUT_MS
/* Waiting for replies that do not run a device command (OPEN, LIMITS). */
#define SGPIPE_CONTROL_TIMEOUT_MS 30000u

/* ---- client (the DLL) ---- */

/* Sends OPEN path and LIMITS; on success the transport owns io ("sgio-pipe";
 * its close sends CLOSE and closes io). On failure io is closed. */
enum transport_result sgpipe_transport_open(const struct sgpipe_io *io, const char *path,
                                            struct scsi_transport **out);

/* Asks for the helper's devices: /dev/srN plus each of extra_paths
 * (NUL-separated, extra_len bytes; may be 0). Returns the number of
 * entries written to out (at most max), or -1 when the exchange failed.
 * Does not close io. */
int sgpipe_request_enumerate(const struct sgpipe_io *io, const char *extra_paths, uint32_t extra_len,
                             struct sgpipe_entry *out, int max);

/* The DLL's half of the handshake (sgpipe_proto.h) on a fresh connection:
 * reads HELLO, sends AUTH with nonce (fresh random bytes from the caller)
 * and its proof, and checks the helper's proof. Each read waits at most
 * timeout_ms. TRANSPORT_OK and the helper's pid; INVALID when the peer is
 * not our helper (a frame out of place, a wrong proof, a refusal); or the
 * stream's error (NO_DEVICE: the peer hung up, as a helper with another
 * token does). Does not close io. */
enum transport_result sgpipe_client_handshake(const struct sgpipe_io *io, const uint8_t token[SGPIPE_TOKEN_SIZE],
                                              const uint8_t nonce[SGPIPE_NONCE_SIZE], uint32_t timeout_ms,
                                              uint32_t *pid);

/* ---- server (the helper) ---- */

struct sgpipe_backend {
    /* Opens a path sgpipe_path_allowed() accepted. */
    enum transport_result (*open)(void *ctx, const char *path, struct scsi_transport **out);
    /* Fills up to max entries for /dev/srN and the extra paths; returns
     * how many were written. */
    int (*enumerate)(void *ctx, const char *extra_paths, uint32_t extra_len, struct sgpipe_entry *out, int max);
    void *ctx;
};

/* What the helper needs for its half of the handshake. */
struct sgpipe_server_auth {
    uint8_t token[SGPIPE_TOKEN_SIZE];
    uint8_t nonce[SGPIPE_NONCE_SIZE]; /* fresh random bytes */
    uint32_t pid;                     /* sent in HELLO, bound into both proofs */
    uint32_t timeout_ms;              /* for each read of the handshake; 0: none */
};

/* How long the helper waits for the DLL's AUTH (each read). */
#define SGPIPE_AUTH_TIMEOUT_MS 5000u

/* Sends HELLO and waits for the DLL's AUTH: anything but a well-framed
 * AUTH with the right proof, or nothing within timeout_ms, ends the
 * connection before any request is looked at (returns -1). Then answers
 * requests until the peer closes (returns 0) or the stream breaks
 * (returns -1: bad magic, impossible length, write failure). Bad fields in
 * a well-framed request are answered with TRANSPORT_ERR_INVALID and the
 * loop goes on. Closes the device it opened; does not close io. */
int sgpipe_serve(const struct sgpipe_io *io, const struct sgpipe_backend *backend,
                 const struct sgpipe_server_auth *auth);

/* Splits a NUL-separated list: returns the next path and advances *pos, or
 * NULL at the end. Paths that are empty are skipped. */
const char *sgpipe_next_path(const char *list, uint32_t len, uint32_t *pos);

#endif
