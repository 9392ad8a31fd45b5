/* imapi2-sghelper: the native Linux helper imapi2.dll starts under Wine to
 * reach SG_IO (docs/transports.md, "SG_IO from the DLL under Wine").
 *
 *   imapi2-sghelper --port N
 *   environment: IMAPI2_SGHELPER_TOKEN (32 hex digits, required),
 *                IMAPI2_SGHELPER_DOSDEVICES (the Wine prefix's dosdevices
 *                folder, for drive letters; optional)
 *
 * Connects to 127.0.0.1:N (the DLL listens there), runs the handshake
 * (sgpipe_proto.h: the DLL proves the token first, then the helper; the
 * token itself never travels), then answers sgio-pipe requests
 * (libs/transport/sgpipe.h) until the connection closes, and exits. A peer
 * that does not complete the handshake within SGPIPE_AUTH_TIMEOUT_MS, or
 * gets it wrong, is hung up on before any request is looked at. It serves /dev/srN and /dev/sgN
 * through the sgio backend and, for tests, "vrec:<media file>" through the
 * virtual recorder. It needs no rights beyond the device nodes' own. */
#define _GNU_SOURCE /* sockets, poll, readlink under -std=c11 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "mmc/cdb.h"
#include "transport/sgio.h"
#include "transport/sgpipe.h"
#include "transport/virtual.h"

#define TOKEN_ENV "IMAPI2_SGHELPER_TOKEN"
#define DOSDEVICES_ENV "IMAPI2_SGHELPER_DOSDEVICES"
#define INQUIRY_LEN 36
#define INQUIRY_TIMEOUT_MS 10000u
#define CONNECT_TIMEOUT_S 5

/* ------------------------------------------------------------ socket io */

struct socket_io {
    int fd;
};

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* timeout_ms bounds the whole read, not each piece: a peer that trickles
 * a byte at a time cannot stretch it. */
static enum transport_result socket_read_exact(void *ctx, void *buf, size_t n, uint32_t timeout_ms)
{
    struct socket_io *s = ctx;
    uint8_t *p = buf;
    int64_t deadline = monotonic_ms() + timeout_ms;
    while (n > 0) {
        if (timeout_ms) {
            struct pollfd pfd = { s->fd, POLLIN, 0 };
            int64_t left = deadline - monotonic_ms();
            int ready = left > 0 ? poll(&pfd, 1, (int)left) : 0;
            if (ready == 0)
                return TRANSPORT_ERR_TIMEOUT;
            if (ready < 0 && errno != EINTR)
                return TRANSPORT_ERR_IO;
            if (ready < 0)
                continue;
        }
        ssize_t got = recv(s->fd, p, n, 0);
        if (got == 0)
            return TRANSPORT_ERR_NO_DEVICE;
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return errno == ECONNRESET ? TRANSPORT_ERR_NO_DEVICE : TRANSPORT_ERR_IO;
        p += got;
        n -= (size_t)got;
    }
    return TRANSPORT_OK;
}

static enum transport_result socket_write_all(void *ctx, const void *buf, size_t n)
{
    struct socket_io *s = ctx;
    const uint8_t *p = buf;
    while (n > 0) {
        ssize_t put = send(s->fd, p, n, MSG_NOSIGNAL);
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0)
            return errno == EPIPE || errno == ECONNRESET ? TRANSPORT_ERR_NO_DEVICE : TRANSPORT_ERR_IO;
        p += put;
        n -= (size_t)put;
    }
    return TRANSPORT_OK;
}

static void socket_close(void *ctx)
{
    struct socket_io *s = ctx;
    close(s->fd);
    s->fd = -1;
}

/* ------------------------------------------------------------ devices */

#define VREC_PREFIX "vrec:"

static enum transport_result open_vrec(const char *media, struct scsi_transport **out)
{
    struct vrec_config cfg = { 0 };
    cfg.media_path = media;
    cfg.media_kind = VREC_MEDIA_CDR80; /* when the media file is new */
    cfg.unthrottled = true;             /* tests: no simulated burn time */
    int rc = virtual_transport_open(&cfg, NULL, out);
    return rc == 0 ? TRANSPORT_OK : rc == -1 ? TRANSPORT_ERR_NO_MEMORY : TRANSPORT_ERR_NO_DEVICE;
}

static enum transport_result helper_open(void *ctx, const char *path, struct scsi_transport **out)
{
    (void)ctx;
    *out = NULL;
    if (!sgpipe_path_allowed(path))
        return TRANSPORT_ERR_INVALID;
    if (strncmp(path, VREC_PREFIX, strlen(VREC_PREFIX)) == 0)
        return open_vrec(path + strlen(VREC_PREFIX), out);
    return sgio_open(path, out);
}

/* Vendor, product and revision as the drive reports them (blanks kept). */
static void fill_inquiry(struct sgpipe_entry *e, struct scsi_transport *t)
{
    uint8_t data[INQUIRY_LEN] = { 0 };
    struct scsi_request req = { 0 };
    mmc_build_inquiry(&req, data, sizeof(data));
    req.timeout_ms = INQUIRY_TIMEOUT_MS;
    if (scsi_transport_execute(t, &req) != TRANSPORT_OK || req.status != SCSI_STATUS_GOOD ||
        req.len - req.resid < INQUIRY_LEN)
        return;
    memcpy(e->vendor, data + 8, 8);
    memcpy(e->product, data + 16, 16);
    memcpy(e->revision, data + 32, 4);
    /* Printable ASCII only: the DLL puts these into an ID string. */
    for (char *p = e->vendor; p < e->revision + 4; p++)
        if (*p && (*p < 0x20 || *p > 0x7e))
            *p = '_';
    e->flags |= SGPIPE_ENTRY_INQUIRY_OK;
}

/* The Wine prefix's dosdevices folder, where drive letters link to device
 * nodes: the DLL names it (it knows the prefix it runs in); WINEPREFIX or
 * ~/.wine otherwise. Empty when unknown. */
static void find_dosdevices(char *out, size_t size)
{
    const char *given = getenv(DOSDEVICES_ENV);
    const char *prefix = getenv("WINEPREFIX");
    const char *home = getenv("HOME");
    out[0] = 0;
    if (given && given[0] == '/')
        snprintf(out, size, "%s", given);
    else if (prefix && prefix[0] == '/')
        snprintf(out, size, "%s/dosdevices", prefix);
    else if (home && home[0] == '/')
        snprintf(out, size, "%s/.wine/dosdevices", home);
}

static int describe(const char *path, const char *dosdevices, struct sgpipe_entry *e)
{
    struct scsi_transport *t;
    memset(e, 0, sizeof(*e));
    if (!sgpipe_path_allowed(path) || strlen(path) >= sizeof(e->path))
        return -1;
    snprintf(e->path, sizeof(e->path), "%s", path);
    struct stat sb;
    if (path[0] == '/' && stat(path, &sb) == 0) {
        e->dev_major = major(sb.st_rdev);
        e->dev_minor = minor(sb.st_rdev);
        e->letter = dosdevices[0] ? sgio_wine_letter(dosdevices, e->dev_major, e->dev_minor) : 0;
    }
    /* A node we cannot open (no rights, no medium driver) is still listed:
     * the DLL shows it with "unknown" strings, as spti does. */
    if (helper_open(NULL, path, &t) == TRANSPORT_OK) {
        fill_inquiry(e, t);
        scsi_transport_close(t);
    }
    return 0;
}

static int helper_enumerate(void *ctx, const char *extra, uint32_t extra_len, struct sgpipe_entry *out, int max)
{
    char nodes[SGPIPE_ENUM_MAX][SGIO_PATH_MAX], dosdevices[512];
    int count = 0;
    (void)ctx;
    find_dosdevices(dosdevices, sizeof(dosdevices));
    int found = sgio_enumerate(nodes, SGPIPE_ENUM_MAX);
    for (int i = 0; i < found && i < SGPIPE_ENUM_MAX && count < max; i++)
        if (describe(nodes[i], dosdevices, &out[count]) == 0)
            count++;
    uint32_t pos = 0;
    for (const char *p; count < max && (p = sgpipe_next_path(extra, extra_len, &pos)) != NULL;)
        if (describe(p, dosdevices, &out[count]) == 0)
            count++;
    return count;
}

/* ------------------------------------------------------------ startup */

/* Random bytes from the kernel: getrandom(), or /dev/urandom where that
 * system call is missing. 0, or -1 when neither gives them. */
static int random_bytes(uint8_t *out, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t got = getrandom(out + done, n - done, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        done += (size_t)got;
    }
    if (done == n)
        return 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    for (done = 0; done < n;) {
        ssize_t got = read(fd, out + done, n - done);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        done += (size_t)got;
    }
    close(fd);
    return done == n ? 0 : -1;
}

static int parse_token(const char *hex, uint8_t token[SGPIPE_TOKEN_SIZE])
{
    if (!hex || strlen(hex) != 2 * SGPIPE_TOKEN_SIZE)
        return -1;
    for (int i = 0; i < SGPIPE_TOKEN_SIZE; i++) {
        unsigned byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1)
            return -1;
        token[i] = (uint8_t)byte;
    }
    return 0;
}

static int connect_loopback(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in addr = { 0 };
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* connect() honours the send timeout: a port whose backlog is full
     * does not keep the helper waiting. Cleared again for the session. */
    struct timeval limit = { CONNECT_TIMEOUT_S, 0 }, none = { 0, 0 };
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit));
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        close(fd);
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof(none));
    int no_delay = 1; /* one small frame at a time: no Nagle delay */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &no_delay, sizeof(no_delay));
    return fd;
}

static int usage(void)
{
    fprintf(stderr, "usage: imapi2-sghelper --port N  (token in %s)\n"
                    "Started by imapi2.dll under Wine; see docs/transports.md.\n",
            TOKEN_ENV);
    return 2;
}

int main(int argc, char **argv)
{
    struct sgpipe_server_auth auth = { .pid = (uint32_t)getpid(), .timeout_ms = SGPIPE_AUTH_TIMEOUT_MS };
    char *end;
    if (argc != 3 || strcmp(argv[1], "--port") != 0)
        return usage();
    unsigned long port = strtoul(argv[2], &end, 10);
    if (*end || port == 0 || port > 65535 || parse_token(getenv(TOKEN_ENV), auth.token) != 0)
        return usage();
    /* The token must not reach anything this process starts. */
    unsetenv(TOKEN_ENV);
    if (random_bytes(auth.nonce, sizeof(auth.nonce)) != 0) {
        fprintf(stderr, "imapi2-sghelper: no random bytes for the handshake\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    struct socket_io sock = { connect_loopback((unsigned)port) };
    if (sock.fd < 0) {
        perror("imapi2-sghelper: connect");
        return 1;
    }
    struct sgpipe_io io = { socket_read_exact, socket_write_all, socket_close, &sock };
    struct sgpipe_backend backend = { helper_open, helper_enumerate, NULL };
    int rc = sgpipe_serve(&io, &backend, &auth);
    memset(&auth, 0, sizeof(auth));
    socket_close(&sock);
    return rc == 0 ? 0 : 1;
}
