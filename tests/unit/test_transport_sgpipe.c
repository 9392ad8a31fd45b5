/* The sgio-pipe protocol natively: frame encoding and every validation rule
 * of the decoders (tables), the path filter, ENUMERATE entries, and both
 * ends talking over a socketpair: the client transport against
 * sgpipe_serve() with a virtual recorder behind it, hand-made bad frames,
 * and a server that goes away mid-session. The Wine side (the DLL starting
 * the real helper) is tests/conformance/sgpipe.c. */
#define _GNU_SOURCE /* socketpair, mkdtemp under -std=c11 */
#include "okay.h"

#include "transport/hmac_sha256.h"
#include "transport/sgio.h"
#include "transport/sgpipe.h"
#include "transport/virtual.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ the MAC */

static int hex_equal(const uint8_t *got, const char *hex, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1 || got[i] != byte)
            return 0;
    }
    return 1;
}

/* FIPS 180-2 appendix B (and the empty message) */
static void test_sha256(void)
{
    static const struct {
        const char *msg;
        const char *digest;
    } cases[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    };
    uint8_t out[SHA256_SIZE];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sha256(cases[i].msg, strlen(cases[i].msg), out);
        ok(hex_equal(out, cases[i].digest, SHA256_SIZE), "SHA-256 of [%s]\n", cases[i].msg);
    }
    /* One million 'a', fed in uneven pieces through the block boundary. */
    static char a[1000];
    struct sha256 s;
    memset(a, 'a', sizeof(a));
    sha256_init(&s);
    for (size_t done = 0, step = 1; done < 1000000; done += step, step = step % 997 + 1)
        sha256_update(&s, a, done + step <= 1000000 ? step : 1000000 - done);
    sha256_final(&s, out);
    ok(hex_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", SHA256_SIZE),
       "SHA-256 of a million 'a'\n");
}

/* RFC 4231 section 4, test cases 1-7 (case 5 publishes 128 bits). */
static void test_hmac(void)
{
    static uint8_t aa131[131], aa20[20], dd50[50], cd50[50], key4[25], b20[20], c20[20];
    memset(aa131, 0xaa, sizeof(aa131));
    memset(aa20, 0xaa, sizeof(aa20));
    memset(dd50, 0xdd, sizeof(dd50));
    memset(cd50, 0xcd, sizeof(cd50));
    memset(b20, 0x0b, sizeof(b20));
    memset(c20, 0x0c, sizeof(c20));
    for (int i = 0; i < 25; i++)
        key4[i] = (uint8_t)(i + 1);
    static const char long_data[] = "This is a test using a larger than block-size key and a larger than block-size "
                                    "data. The key needs to be hashed before being used by the HMAC algorithm.";
    const struct {
        const void *key;
        size_t key_len;
        const void *data;
        size_t data_len;
        const char *mac;
        size_t mac_len;
    } cases[] = {
        { b20, 20, "Hi There", 8, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32 },
        { "Jefe", 4, "what do ya want for nothing?", 28,
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32 },
        { aa20, 20, dd50, 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32 },
        { key4, 25, cd50, 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32 },
        { c20, 20, "Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b", 16 },
        { aa131, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54,
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32 },
        { aa131, 131, long_data, sizeof(long_data) - 1,
          "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 32 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t out[SHA256_SIZE], split[SHA256_SIZE];
        struct hmac_part whole = { cases[i].data, cases[i].data_len };
        hmac_sha256(cases[i].key, cases[i].key_len, &whole, 1, out);
        ok(hex_equal(out, cases[i].mac, cases[i].mac_len), "RFC 4231 test case %zu\n", i + 1);
        /* The same message in three parts gives the same MAC. */
        size_t third = cases[i].data_len / 3;
        const uint8_t *d = cases[i].data;
        struct hmac_part parts[3] = {
            { d, third }, { d + third, third }, { d + 2 * third, cases[i].data_len - 2 * third }
        };
        hmac_sha256(cases[i].key, cases[i].key_len, parts, 3, split);
        ok(!memcmp(out, split, sizeof(out)), "case %zu in parts\n", i + 1);
    }
    uint8_t x[32] = { 0 }, y[32] = { 0 };
    ok(mem_equal_ct(x, y, sizeof(x)), "equal\n");
    y[31] = 0x80;
    ok(!mem_equal_ct(x, y, sizeof(x)), "last bit differs\n");
    y[31] = 0;
    y[0] = 1;
    ok(!mem_equal_ct(x, y, sizeof(x)), "first byte differs\n");
    ok(mem_equal_ct(x, y, 0), "nothing to compare\n");
}

/* ------------------------------------------------------------ decoders */

static void encode(const struct sgpipe_request *req, uint8_t out[SGPIPE_REQUEST_SIZE])
{
    sgpipe_encode_request(req, out);
}

static void test_request_rules(void)
{
    static const struct {
        const char *what;
        struct sgpipe_request req;
        enum sgpipe_frame want;
    } cases[] = {
        { "INQUIRY", { 1, SGPIPE_OP_EXECUTE, 6, SCSI_DIR_IN, 36, 1000, { 0x12 }, 0 }, SGPIPE_FRAME_OK },
        { "WRITE with data", { 2, SGPIPE_OP_EXECUTE, 10, SCSI_DIR_OUT, 2048, 0, { 0x2A }, 2048 }, SGPIPE_FRAME_OK },
        { "no data", { 3, SGPIPE_OP_EXECUTE, 6, SCSI_DIR_NONE, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_OK },
        { "16-byte CDB", { 4, SGPIPE_OP_EXECUTE, 16, SCSI_DIR_NONE, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_OK },
        { "len 0 with dir IN", { 5, SGPIPE_OP_EXECUTE, 6, SCSI_DIR_IN, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_OK },
        { "max data", { 6, SGPIPE_OP_EXECUTE, 12, SCSI_DIR_IN, SGPIPE_MAX_DATA, 0, { 0 }, 0 }, SGPIPE_FRAME_OK },
        { "cdb_len 0", { 7, SGPIPE_OP_EXECUTE, 0, SCSI_DIR_NONE, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_BAD_FIELDS },
        { "cdb_len 7", { 8, SGPIPE_OP_EXECUTE, 7, SCSI_DIR_NONE, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_BAD_FIELDS },
        { "cdb_len 17", { 9, SGPIPE_OP_EXECUTE, 17, SCSI_DIR_NONE, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_BAD_FIELDS },
        { "dir 3", { 10, SGPIPE_OP_EXECUTE, 6, 3, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_BAD_FIELDS },
        { "data without dir", { 11, SGPIPE_OP_EXECUTE, 6, SCSI_DIR_NONE, 8, 0, { 0 }, 0 }, SGPIPE_FRAME_BAD_FIELDS },
        { "len over max", { 12, SGPIPE_OP_EXECUTE, 10, SCSI_DIR_IN, SGPIPE_MAX_DATA + 1, 0, { 0 }, 0 },
          SGPIPE_FRAME_BAD_FIELDS },
        { "OUT payload short", { 13, SGPIPE_OP_EXECUTE, 10, SCSI_DIR_OUT, 2048, 0, { 0 }, 2047 },
          SGPIPE_FRAME_BAD_FIELDS },
        { "IN with payload", { 14, SGPIPE_OP_EXECUTE, 10, SCSI_DIR_IN, 2048, 0, { 0 }, 16 }, SGPIPE_FRAME_BAD_FIELDS },
        { "payload beyond any limit", { 15, SGPIPE_OP_EXECUTE, 10, SCSI_DIR_OUT, 0, 0, { 0 }, SGPIPE_MAX_DATA + 1 },
          SGPIPE_FRAME_BROKEN },
        { "op 0", { 16, 0, 0, 0, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_BAD_FIELDS },
        { "op unknown", { 17, SGPIPE_OP_COUNT, 0, 0, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_BAD_FIELDS },
        { "OPEN", { 18, SGPIPE_OP_OPEN, 0, 0, 0, 0, { 0 }, 8 }, SGPIPE_FRAME_OK },
        { "OPEN empty", { 19, SGPIPE_OP_OPEN, 0, 0, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_BAD_FIELDS },
        { "OPEN too long", { 20, SGPIPE_OP_OPEN, 0, 0, 0, 0, { 0 }, SGPIPE_PATH_MAX + 1 }, SGPIPE_FRAME_BAD_FIELDS },
        { "OPEN with a cdb_len", { 21, SGPIPE_OP_OPEN, 6, 0, 0, 0, { 0 }, 8 }, SGPIPE_FRAME_BAD_FIELDS },
        { "LIMITS", { 22, SGPIPE_OP_LIMITS, 0, 0, 0, 0, { 0 }, 0 }, SGPIPE_FRAME_OK },
        { "LIMITS with payload", { 23, SGPIPE_OP_LIMITS, 0, 0, 0, 0, { 0 }, 1 }, SGPIPE_FRAME_BAD_FIELDS },
        { "CLOSE with len", { 24, SGPIPE_OP_CLOSE, 0, 0, 5, 0, { 0 }, 0 }, SGPIPE_FRAME_BAD_FIELDS },
        { "ENUMERATE", { 25, SGPIPE_OP_ENUMERATE, 0, 0, 0, 0, { 0 }, 100 }, SGPIPE_FRAME_OK },
        { "ENUMERATE too long", { 26, SGPIPE_OP_ENUMERATE, 0, 0, 0, 0, { 0 }, 4097 }, SGPIPE_FRAME_BAD_FIELDS },
        { "HELLO", { 27, SGPIPE_OP_HELLO, 0, 0, 0, 0, { 0 }, SGPIPE_HELLO_SIZE }, SGPIPE_FRAME_OK },
        { "HELLO short", { 28, SGPIPE_OP_HELLO, 0, 0, 0, 0, { 0 }, SGPIPE_NONCE_SIZE }, SGPIPE_FRAME_BAD_FIELDS },
        { "AUTH", { 29, SGPIPE_OP_AUTH, 0, 0, 0, 0, { 0 }, SGPIPE_AUTH_SIZE }, SGPIPE_FRAME_OK },
        { "AUTH short", { 30, SGPIPE_OP_AUTH, 0, 0, 0, 0, { 0 }, SGPIPE_AUTH_SIZE - 1 }, SGPIPE_FRAME_BAD_FIELDS },
        { "AUTH long", { 31, SGPIPE_OP_AUTH, 0, 0, 0, 0, { 0 }, SGPIPE_AUTH_SIZE + 1 }, SGPIPE_FRAME_BAD_FIELDS },
        { "AUTH with a cdb", { 32, SGPIPE_OP_AUTH, 6, 0, 0, 0, { 0 }, SGPIPE_AUTH_SIZE }, SGPIPE_FRAME_BAD_FIELDS },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t wire[SGPIPE_REQUEST_SIZE], again[SGPIPE_REQUEST_SIZE];
        struct sgpipe_request got;
        encode(&cases[i].req, wire);
        enum sgpipe_frame f = sgpipe_decode_request(wire, &got);
        ok(f == cases[i].want, "%s: frame %d, want %d\n", cases[i].what, f, cases[i].want);
        encode(&got, again);
        ok(f == SGPIPE_FRAME_BROKEN || !memcmp(wire, again, sizeof(wire)), "%s: decodes to what was encoded\n",
           cases[i].what);
    }
    uint8_t wire[SGPIPE_REQUEST_SIZE];
    struct sgpipe_request got, inq = { 1, SGPIPE_OP_EXECUTE, 6, SCSI_DIR_IN, 36, 1000, { 0x12 }, 0 };
    encode(&inq, wire);
    ok(!memcmp(wire, "SGQ1", 4), "magic bytes SGQ1\n");
    ok(wire[12] == 36 && wire[13] == 0 && wire[20] == 0x12, "little-endian len, cdb at 20\n");
    wire[0] ^= 1;
    ok(sgpipe_decode_request(wire, &got) == SGPIPE_FRAME_BROKEN, "bad magic is broken\n");
}

static void test_reply_rules(void)
{
    static const struct sgpipe_request in36 = { 5, SGPIPE_OP_EXECUTE, 6, SCSI_DIR_IN, 36, 0, { 0x12 }, 0 };
    static const struct sgpipe_request out8 = { 6, SGPIPE_OP_EXECUTE, 10, SCSI_DIR_OUT, 8, 0, { 0x2A }, 8 };
    static const struct sgpipe_request limits = { 7, SGPIPE_OP_LIMITS, 0, 0, 0, 0, { 0 }, 0 };
    static const struct sgpipe_request enumerate = { 8, SGPIPE_OP_ENUMERATE, 0, 0, 0, 0, { 0 }, 0 };
    static const struct sgpipe_request auth = { 9, SGPIPE_OP_AUTH, 0, 0, 0, 0, { 0 }, SGPIPE_AUTH_SIZE };
    static const struct {
        const char *what;
        const struct sgpipe_request *asked;
        struct sgpipe_reply rep;
        enum sgpipe_frame want;
    } cases[] = {
        { "IN, all data", &in36, { 5, SGPIPE_OP_EXECUTE, 0, 0, 0, 0, 36, { 0 } }, SGPIPE_FRAME_OK },
        { "IN, short", &in36, { 5, SGPIPE_OP_EXECUTE, 0, 0, 0, 6, 30, { 0 } }, SGPIPE_FRAME_OK },
        { "IN, payload and resid disagree", &in36, { 5, SGPIPE_OP_EXECUTE, 0, 0, 0, 6, 36, { 0 } },
          SGPIPE_FRAME_BROKEN },
        { "IN, resid beyond len", &in36, { 5, SGPIPE_OP_EXECUTE, 0, 0, 0, 37, 0, { 0 } }, SGPIPE_FRAME_BROKEN },
        { "IN, check condition", &in36, { 5, SGPIPE_OP_EXECUTE, 0, 2, 18, 36, 0, { 0x70 } }, SGPIPE_FRAME_OK },
        { "sense too long", &in36, { 5, SGPIPE_OP_EXECUTE, 0, 2, 33, 36, 0, { 0x70 } }, SGPIPE_FRAME_BROKEN },
        { "transport error without data", &in36, { 5, SGPIPE_OP_EXECUTE, 3, 0, 0, 36, 0, { 0 } }, SGPIPE_FRAME_OK },
        { "transport error with data", &in36, { 5, SGPIPE_OP_EXECUTE, 3, 0, 0, 0, 36, { 0 } }, SGPIPE_FRAME_BROKEN },
        { "unknown result", &in36, { 5, SGPIPE_OP_EXECUTE, 7, 0, 0, 36, 0, { 0 } }, SGPIPE_FRAME_BROKEN },
        { "wrong seq", &in36, { 4, SGPIPE_OP_EXECUTE, 0, 0, 0, 0, 36, { 0 } }, SGPIPE_FRAME_BROKEN },
        { "wrong op", &in36, { 5, SGPIPE_OP_LIMITS, 0, 0, 0, 0, 36, { 0 } }, SGPIPE_FRAME_BROKEN },
        { "OUT, no payload back", &out8, { 6, SGPIPE_OP_EXECUTE, 0, 0, 0, 0, 0, { 0 } }, SGPIPE_FRAME_OK },
        { "OUT, payload back", &out8, { 6, SGPIPE_OP_EXECUTE, 0, 0, 0, 0, 8, { 0 } }, SGPIPE_FRAME_BROKEN },
        { "LIMITS", &limits, { 7, SGPIPE_OP_LIMITS, 0, 0, 0, 0, 8, { 0 } }, SGPIPE_FRAME_OK },
        { "LIMITS, 4 bytes", &limits, { 7, SGPIPE_OP_LIMITS, 0, 0, 0, 0, 4, { 0 } }, SGPIPE_FRAME_BROKEN },
        { "LIMITS with resid", &limits, { 7, SGPIPE_OP_LIMITS, 0, 0, 0, 1, 8, { 0 } }, SGPIPE_FRAME_BROKEN },
        { "ENUMERATE, 2 entries", &enumerate, { 8, SGPIPE_OP_ENUMERATE, 0, 0, 0, 0, 2 * SGPIPE_ENTRY_SIZE, { 0 } },
          SGPIPE_FRAME_OK },
        { "ENUMERATE, part entry", &enumerate, { 8, SGPIPE_OP_ENUMERATE, 0, 0, 0, 0, SGPIPE_ENTRY_SIZE + 1, { 0 } },
          SGPIPE_FRAME_BROKEN },
        { "ENUMERATE, too many", &enumerate,
          { 8, SGPIPE_OP_ENUMERATE, 0, 0, 0, 0, (SGPIPE_ENUM_MAX + 1) * SGPIPE_ENTRY_SIZE, { 0 } },
          SGPIPE_FRAME_BROKEN },
        { "AUTH, the proof", &auth, { 9, SGPIPE_OP_AUTH, 0, 0, 0, 0, SGPIPE_MAC_SIZE, { 0 } }, SGPIPE_FRAME_OK },
        { "AUTH, short proof", &auth, { 9, SGPIPE_OP_AUTH, 0, 0, 0, 0, SGPIPE_MAC_SIZE - 1, { 0 } },
          SGPIPE_FRAME_BROKEN },
        { "AUTH refused, no proof", &auth, { 9, SGPIPE_OP_AUTH, 5, 0, 0, 0, 0, { 0 } }, SGPIPE_FRAME_OK },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t wire[SGPIPE_REPLY_SIZE];
        struct sgpipe_reply got;
        sgpipe_encode_reply(&cases[i].rep, wire);
        enum sgpipe_frame f = sgpipe_decode_reply(wire, cases[i].asked, &got);
        ok(f == cases[i].want, "%s: frame %d, want %d\n", cases[i].what, f, cases[i].want);
    }
    uint8_t wire[SGPIPE_REPLY_SIZE];
    struct sgpipe_reply got, good = { 7, SGPIPE_OP_LIMITS, 0, 0, 0, 0, 8, { 0 } };
    sgpipe_encode_reply(&good, wire);
    wire[14] = 1;
    ok(sgpipe_decode_reply(wire, &limits, &got) == SGPIPE_FRAME_BROKEN, "reserved byte set\n");
}

static void test_paths(void)
{
    static const struct {
        const char *path;
        int allowed;
    } cases[] = {
        { "/dev/sr0", 1 },      { "/dev/sr10", 1 },    { "/dev/sg3", 1 },       { "/dev/sg99999", 1 },
        { "/dev/sr", 0 },       { "/dev/sr01", 0 },    { "/dev/sr123456", 0 },  { "/dev/sr0x", 0 },
        { "/dev/sda", 0 },      { "/dev/sr-1", 0 },    { "/dev/../etc/passwd", 0 }, { "/etc/passwd", 0 },
        { "sr0", 0 },           { "", 0 },             { "vrec:/tmp/x.media", 1 }, { "vrec:relative", 0 },
        { "vrec:/a\nb", 0 },    { "VREC:/tmp/x", 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ok(sgpipe_path_allowed(cases[i].path) == cases[i].allowed, "path [%s] allowed %d\n", cases[i].path,
           cases[i].allowed);
    ok(!sgpipe_path_allowed(NULL), "NULL path\n");
    char longest[SGPIPE_PATH_MAX + 1];
    memset(longest, 'a', sizeof(longest));
    memcpy(longest, "vrec:/", 6);
    longest[SGPIPE_PATH_MAX - 1] = 0;
    ok(sgpipe_path_allowed(longest), "255 characters fit\n");
    longest[SGPIPE_PATH_MAX - 1] = 'a';
    longest[SGPIPE_PATH_MAX] = 0;
    ok(!sgpipe_path_allowed(longest), "256 characters do not\n");

    static const char list[] = "/dev/sr0\0\0vrec:/x\0/dev/sg1";
    uint32_t pos = 0;
    const char *a = sgpipe_next_path(list, sizeof(list) - 1, &pos);
    const char *b = sgpipe_next_path(list, sizeof(list) - 1, &pos);
    const char *c = sgpipe_next_path(list, sizeof(list) - 1, &pos);
    ok(a && !strcmp(a, "/dev/sr0") && b && !strcmp(b, "vrec:/x") && !c,
       "list: empty entries skipped, unterminated tail ignored\n");
}

static void test_entries(void)
{
    struct sgpipe_entry e = { 0 }, got;
    uint8_t wire[SGPIPE_ENTRY_SIZE];
    strcpy(e.path, "/dev/sr1");
    strcpy(e.vendor, "ACME    ");
    strcpy(e.product, "BURNER 9000     ");
    strcpy(e.revision, "1.02");
    e.flags = SGPIPE_ENTRY_INQUIRY_OK;
    e.letter = 'd';
    e.dev_major = 11;
    e.dev_minor = 1;
    sgpipe_encode_entry(&e, wire);
    ok(sgpipe_decode_entry(wire, &got) == 0 && !memcmp(&e, &got, sizeof(e)), "entry round trip\n");
    uint8_t bad[SGPIPE_ENTRY_SIZE];
    memcpy(bad, wire, sizeof(bad));
    memset(bad, 'x', SGPIPE_PATH_MAX);
    ok(sgpipe_decode_entry(bad, &got) == -1, "unterminated path\n");
    memcpy(bad, wire, sizeof(bad));
    memset(bad + SGPIPE_PATH_MAX, 'x', 9);
    ok(sgpipe_decode_entry(bad, &got) == -1, "unterminated vendor\n");
    e.letter = 'D';
    sgpipe_encode_entry(&e, bad);
    ok(sgpipe_decode_entry(bad, &got) == -1, "letter not a-z\n");
    e.letter = 0;
    e.flags = 0x80;
    sgpipe_encode_entry(&e, bad);
    ok(sgpipe_decode_entry(bad, &got) == -1, "unknown flag\n");
    e.flags = 0;
    strcpy(e.path, "/etc/passwd");
    sgpipe_encode_entry(&e, bad);
    ok(sgpipe_decode_entry(bad, &got) == -1, "a path the helper does not serve\n");
}

/* ------------------------------------------------------------ both ends */

struct fd_io {
    int fd;
};

static enum transport_result fd_read_exact(void *ctx, void *buf, size_t n, uint32_t timeout_ms)
{
    struct fd_io *f = ctx;
    uint8_t *p = buf;
    while (n) {
        struct pollfd pfd = { f->fd, POLLIN, 0 };
        int ready = poll(&pfd, 1, timeout_ms ? (int)timeout_ms : -1);
        if (ready == 0)
            return TRANSPORT_ERR_TIMEOUT;
        ssize_t got = ready > 0 ? read(f->fd, p, n) : -1;
        if (got == 0 || (got < 0 && errno == ECONNRESET))
            return TRANSPORT_ERR_NO_DEVICE;
        if (got < 0)
            return TRANSPORT_ERR_IO;
        p += got;
        n -= (size_t)got;
    }
    return TRANSPORT_OK;
}

static enum transport_result fd_write_all(void *ctx, const void *buf, size_t n)
{
    struct fd_io *f = ctx;
    const uint8_t *p = buf;
    while (n) {
        ssize_t put = send(f->fd, p, n, MSG_NOSIGNAL);
        if (put < 0)
            return errno == EPIPE || errno == ECONNRESET ? TRANSPORT_ERR_NO_DEVICE : TRANSPORT_ERR_IO;
        p += put;
        n -= (size_t)put;
    }
    return TRANSPORT_OK;
}

static void fd_close(void *ctx)
{
    struct fd_io *f = ctx;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

static char tmpdir[32];

/* Backend calls: none may happen before the peer proved the token. */
static atomic_int backend_calls;

static enum transport_result backend_open(void *ctx, const char *path, struct scsi_transport **out)
{
    (void)ctx;
    atomic_fetch_add(&backend_calls, 1);
    if (strncmp(path, "vrec:", 5) != 0)
        return TRANSPORT_ERR_NO_DEVICE;
    struct vrec_config cfg = { 0 };
    cfg.media_path = path + 5;
    cfg.media_kind = VREC_MEDIA_CDR80;
    cfg.unthrottled = true;
    return virtual_transport_open(&cfg, NULL, out) == 0 ? TRANSPORT_OK : TRANSPORT_ERR_NO_DEVICE;
}

static int backend_enumerate(void *ctx, const char *extra, uint32_t extra_len, struct sgpipe_entry *out, int max)
{
    uint32_t pos = 0;
    int n = 0;
    (void)ctx;
    atomic_fetch_add(&backend_calls, 1);
    for (const char *p; n < max && (p = sgpipe_next_path(extra, extra_len, &pos)) != NULL; n++) {
        memset(&out[n], 0, sizeof(out[n]));
        snprintf(out[n].path, sizeof(out[n].path), "%s", p);
        strcpy(out[n].vendor, "TEST    ");
    }
    return n;
}

/* The token both ends were given, and the nonces of one run. */
static const uint8_t test_token[SGPIPE_TOKEN_SIZE] = { 0x3c, 0x91, 0x07, 0xee, 0x52, 0x6a, 0xd4, 0x18,
                                                       0xb3, 0x2f, 0x80, 0x45, 0xc9, 0x7d, 0x11, 0xa6 };
static const uint8_t dll_nonce[SGPIPE_NONCE_SIZE] = { 'd', 'l', 'l', ' ', 'n', 'o', 'n', 'c',
                                                      'e', ' ', '0', '1', '2', '3', '4', '5' };
#define TEST_PID 4242u

struct server {
    pthread_t thread;
    struct fd_io fd;
    struct sgpipe_server_auth auth;
    int rc;
};

static void *server_main(void *arg)
{
    struct server *s = arg;
    struct sgpipe_io io = { fd_read_exact, fd_write_all, fd_close, &s->fd };
    struct sgpipe_backend backend = { backend_open, backend_enumerate, NULL };
    s->rc = sgpipe_serve(&io, &backend, &s->auth);
    fd_close(&s->fd);
    return NULL;
}

/* A server thread on one end of a socketpair, holding `token`, with a
 * nonce of its own per run; *client gets the other end, not yet
 * authenticated. */
static int start_raw_server(struct server *s, struct fd_io *client, const uint8_t token[SGPIPE_TOKEN_SIZE],
                            uint32_t timeout_ms)
{
    static uint8_t runs;
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
        return -1;
    s->fd.fd = fds[0];
    s->rc = 99;
    memcpy(s->auth.token, token, SGPIPE_TOKEN_SIZE);
    memset(s->auth.nonce, 0x5e, SGPIPE_NONCE_SIZE);
    s->auth.nonce[0] = ++runs;
    s->auth.pid = TEST_PID;
    s->auth.timeout_ms = timeout_ms;
    client->fd = fds[1];
    return pthread_create(&s->thread, NULL, server_main, s);
}

/* The same, with the handshake done: the client can send requests. */
static int start_server(struct server *s, struct fd_io *client)
{
    uint32_t pid = 0;
    struct sgpipe_io io = { fd_read_exact, fd_write_all, fd_close, client };
    if (start_raw_server(s, client, test_token, SGPIPE_AUTH_TIMEOUT_MS) != 0)
        return -1;
    return sgpipe_client_handshake(&io, test_token, dll_nonce, 5000, &pid) == TRANSPORT_OK && pid == TEST_PID ? 0
                                                                                                                : -1;
}

static enum transport_result run(struct scsi_transport *t, uint8_t op, uint8_t cdb_len, enum scsi_direction dir,
                                 void *buf, uint32_t len, struct scsi_request *req)
{
    memset(req, 0, sizeof(*req));
    req->cdb[0] = op;
    if (op == 0x12)
        req->cdb[4] = (uint8_t)len;
    req->cdb_len = cdb_len;
    req->dir = dir;
    req->buf = buf;
    req->len = len;
    return scsi_transport_execute(t, req);
}

static void test_end_to_end(void)
{
    struct server s;
    struct fd_io client;
    struct scsi_transport *t;
    struct scsi_request req;
    uint8_t data[36];
    char path[96];
    snprintf(path, sizeof(path), "vrec:%s/e2e.media", tmpdir);
    ok(start_server(&s, &client) == 0, "server started\n");
    struct sgpipe_io io = { fd_read_exact, fd_write_all, fd_close, &client };
    enum transport_result r = sgpipe_transport_open(&io, path, &t);
    ok(r == TRANSPORT_OK, "open over the pipe: %d\n", r);
    if (r != TRANSPORT_OK)
        return;
    ok(!strcmp(t->ops->name, "sgio-pipe") && t->max_transfer == 1024 * 1024 && t->alignment_mask == 0,
       "%s max %u mask %u\n", t->ops->name, t->max_transfer, t->alignment_mask);
    r = run(t, 0x12, 6, SCSI_DIR_IN, data, sizeof(data), &req);
    ok(r == TRANSPORT_OK && req.status == 0 && req.resid == 0 && !memcmp(data + 8, "IMAPI2", 6),
       "INQUIRY: %d status %u resid %u\n", r, req.status, req.resid);
    r = run(t, 0xFF, 6, SCSI_DIR_NONE, NULL, 0, &req);
    ok(r == TRANSPORT_OK && req.status == 2 && req.sense_len == 18 && (req.sense[2] & 0xf) == 5 && req.sense[12] == 0x20,
       "unknown opcode: %d status %u sense %u bytes\n", r, req.status, req.sense_len);
    r = run(t, 0x12, 7, SCSI_DIR_IN, data, sizeof(data), &req);
    ok(r == TRANSPORT_ERR_INVALID && req.resid == sizeof(data), "cdb_len 7 refused locally: %d\n", r);
    scsi_transport_cancel(t);
    r = run(t, 0x12, 6, SCSI_DIR_IN, data, sizeof(data), &req);
    ok(r == TRANSPORT_ERR_CANCELLED, "cancelled: %d\n", r);
    scsi_transport_reset_cancel(t);
    r = run(t, 0x12, 6, SCSI_DIR_IN, data, sizeof(data), &req);
    ok(r == TRANSPORT_OK, "after reset: %d\n", r);
    scsi_transport_close(t);
    pthread_join(s.thread, NULL);
    ok(s.rc == 0, "server ends cleanly when the client closes: %d\n", s.rc);

    /* ENUMERATE on a connection of its own. */
    ok(start_server(&s, &client) == 0, "server started\n");
    struct sgpipe_entry entries[4];
    static const char extra[] = "vrec:/a\0/etc/passwd\0vrec:/b";
    int n = sgpipe_request_enumerate(&io, extra, sizeof(extra), entries, 4);
    /* The backend lists what it is given; the decoder drops what the
     * helper must never serve. */
    ok(n == 2 && !strcmp(entries[0].path, "vrec:/a") && !strcmp(entries[1].path, "vrec:/b"), "enumerate: %d\n", n);
    fd_close(&client);
    pthread_join(s.thread, NULL);
}

static void test_server_gone(void)
{
    struct server s;
    struct fd_io client;
    struct scsi_transport *t;
    struct scsi_request req;
    uint8_t data[36];
    char path[96];
    snprintf(path, sizeof(path), "vrec:%s/gone.media", tmpdir);
    start_server(&s, &client);
    struct sgpipe_io io = { fd_read_exact, fd_write_all, fd_close, &client };
    if (sgpipe_transport_open(&io, path, &t) != TRANSPORT_OK) {
        ok(0, "open\n");
        return;
    }
    /* The server's end goes away as if the helper had died. */
    shutdown(s.fd.fd, SHUT_RDWR);
    pthread_join(s.thread, NULL);
    enum transport_result r = run(t, 0x12, 6, SCSI_DIR_IN, data, sizeof(data), &req);
    ok(r == TRANSPORT_ERR_NO_DEVICE || r == TRANSPORT_ERR_IO, "after the server died: %d\n", r);
    r = run(t, 0x12, 6, SCSI_DIR_IN, data, sizeof(data), &req);
    ok(r == TRANSPORT_ERR_NO_DEVICE, "and from then on: %d\n", r);
    scsi_transport_close(t);
}

/* Hand-made frames straight at the server. */
static void test_bad_frames(void)
{
    struct server s;
    struct fd_io client;
    uint8_t header[SGPIPE_REPLY_SIZE];
    struct sgpipe_reply rep;
    start_server(&s, &client);
    struct sgpipe_request bad = { 3, SGPIPE_OP_EXECUTE, 9, SCSI_DIR_NONE, 0, 0, { 0 }, 0 };
    sgpipe_encode_request(&bad, header);
    fd_write_all(&client, header, SGPIPE_REQUEST_SIZE);
    enum transport_result r = fd_read_exact(&client, header, SGPIPE_REPLY_SIZE, 5000);
    ok(r == TRANSPORT_OK && sgpipe_decode_reply(header, &bad, &rep) == SGPIPE_FRAME_OK &&
           rep.result == TRANSPORT_ERR_INVALID,
       "cdb_len 9 answered INVALID\n");
    /* Bad fields with a payload: the payload is skipped, the stream kept. */
    uint8_t payload[16] = { 0 };
    struct sgpipe_request bad_payload = { 4, SGPIPE_OP_EXECUTE, 10, SCSI_DIR_IN, 16, 0, { 0x28 }, 16 };
    sgpipe_encode_request(&bad_payload, header);
    fd_write_all(&client, header, SGPIPE_REQUEST_SIZE);
    fd_write_all(&client, payload, sizeof(payload));
    r = fd_read_exact(&client, header, SGPIPE_REPLY_SIZE, 5000);
    ok(r == TRANSPORT_OK && sgpipe_decode_reply(header, &bad_payload, &rep) == SGPIPE_FRAME_OK &&
           rep.result == TRANSPORT_ERR_INVALID && rep.resid == 16,
       "IN with a payload answered INVALID\n");
    struct sgpipe_request limits = { 5, SGPIPE_OP_LIMITS, 0, 0, 0, 0, { 0 }, 0 };
    sgpipe_encode_request(&limits, header);
    fd_write_all(&client, header, SGPIPE_REQUEST_SIZE);
    r = fd_read_exact(&client, header, SGPIPE_REPLY_SIZE, 5000);
    ok(r == TRANSPORT_OK && sgpipe_decode_reply(header, &limits, &rep) == SGPIPE_FRAME_OK &&
           rep.result == TRANSPORT_ERR_NO_DEVICE,
       "LIMITS with nothing open: NO_DEVICE, stream still in step\n");
    struct sgpipe_request huge = { 6, SGPIPE_OP_EXECUTE, 10, SCSI_DIR_OUT, 0, 0, { 0 }, 0x7fffffff };
    sgpipe_encode_request(&huge, header);
    fd_write_all(&client, header, SGPIPE_REQUEST_SIZE);
    r = fd_read_exact(&client, header, 1, 5000);
    ok(r == TRANSPORT_ERR_NO_DEVICE, "impossible payload_len: the server hangs up (%d)\n", r);
    pthread_join(s.thread, NULL);
    ok(s.rc == -1, "serve reports the broken stream: %d\n", s.rc);
    fd_close(&client);
}

/* ------------------------------------------------------------ handshake */

/* Reads the server's HELLO: its nonce and pid. */
static int read_hello(struct fd_io *peer, uint8_t nonce[SGPIPE_NONCE_SIZE], uint32_t *pid, uint32_t *seq)
{
    uint8_t header[SGPIPE_REQUEST_SIZE], payload[SGPIPE_HELLO_SIZE];
    struct sgpipe_request req;
    if (fd_read_exact(peer, header, sizeof(header), 5000) != TRANSPORT_OK ||
        sgpipe_decode_request(header, &req) != SGPIPE_FRAME_OK || req.op != SGPIPE_OP_HELLO ||
        fd_read_exact(peer, payload, sizeof(payload), 5000) != TRANSPORT_OK)
        return -1;
    memcpy(nonce, payload, SGPIPE_NONCE_SIZE);
    *pid = sgpipe_get_u32(payload + SGPIPE_NONCE_SIZE);
    *seq = req.seq;
    return 0;
}

/* Writes a frame: a request header and its payload. */
static void send_frame(struct fd_io *peer, const struct sgpipe_request *req, const void *payload)
{
    uint8_t header[SGPIPE_REQUEST_SIZE];
    sgpipe_encode_request(req, header);
    fd_write_all(peer, header, sizeof(header));
    if (req->payload_len)
        fd_write_all(peer, payload, req->payload_len);
}

/* Whether the server hung up without a word, and ended with -1. */
static int hung_up(struct server *s, struct fd_io *peer)
{
    uint8_t byte;
    enum transport_result r = fd_read_exact(peer, &byte, 1, 5000);
    pthread_join(s->thread, NULL);
    fd_close(peer);
    return r == TRANSPORT_ERR_NO_DEVICE && s->rc == -1;
}

/* The helper half against hand-made DLL halves: each way of getting the
 * AUTH frame wrong is hung up on, and no request reaches the backend. */
static void test_handshake_helper_side(void)
{
    /* What the hand-made DLL half does differently from a good one. */
    static const struct {
        const char *what;
        uint8_t token_xor;      /* proves with another token */
        uint8_t nonce_xor;      /* over another helper nonce: an AUTH replayed from an earlier run */
        uint8_t proof_xor;      /* last byte of the proof */
        enum sgpipe_prover who; /* HELPER: the helper's label, a reflected proof */
        uint32_t pid_delta;
        uint16_t op;            /* sent instead of AUTH, with the path as payload */
        int32_t payload_delta;
        uint8_t magic_xor;
        int header_only;        /* then the peer stops sending */
    } cases[] = {
        { "DLL proves with another token", 1, 0, 0, SGPIPE_PROVER_DLL, 0, SGPIPE_OP_AUTH, 0, 0, 0 },
        { "AUTH replayed (another helper nonce)", 0, 0xff, 0, SGPIPE_PROVER_DLL, 0, SGPIPE_OP_AUTH, 0, 0, 0 },
        { "one bit of the proof flipped", 0, 0, 1, SGPIPE_PROVER_DLL, 0, SGPIPE_OP_AUTH, 0, 0, 0 },
        { "proof with the helper's label (reflected)", 0, 0, 0, SGPIPE_PROVER_HELPER, 0, SGPIPE_OP_AUTH, 0, 0, 0 },
        { "proof over another pid", 0, 0, 0, SGPIPE_PROVER_DLL, 1, SGPIPE_OP_AUTH, 0, 0, 0 },
        { "OPEN instead of AUTH (handshake skipped)", 0, 0, 0, SGPIPE_PROVER_DLL, 0, SGPIPE_OP_OPEN, 0, 0, 0 },
        { "ENUMERATE instead of AUTH", 0, 0, 0, SGPIPE_PROVER_DLL, 0, SGPIPE_OP_ENUMERATE, 0, 0, 0 },
        { "EXECUTE instead of AUTH", 0, 0, 0, SGPIPE_PROVER_DLL, 0, SGPIPE_OP_EXECUTE, 0, 0, 0 },
        { "AUTH with a short payload", 0, 0, 0, SGPIPE_PROVER_DLL, 0, SGPIPE_OP_AUTH, -1, 0, 0 },
        { "AUTH with a bad magic", 0, 0, 0, SGPIPE_PROVER_DLL, 0, SGPIPE_OP_AUTH, 0, 0x20, 0 },
        { "AUTH header, then nothing", 0, 0, 0, SGPIPE_PROVER_DLL, 0, SGPIPE_OP_AUTH, 0, 0, 1 },
    };
    static const char path[] = "vrec:/tmp/never-opened.media";
    atomic_store(&backend_calls, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct server s;
        struct fd_io peer;
        uint8_t nonce[SGPIPE_NONCE_SIZE], token[SGPIPE_TOKEN_SIZE], frame[SGPIPE_REQUEST_SIZE + SGPIPE_AUTH_SIZE];
        uint32_t pid = 0, seq = 0;
        if (start_raw_server(&s, &peer, test_token, 2000) != 0 || read_hello(&peer, nonce, &pid, &seq) != 0) {
            ok(0, "%s: no HELLO\n", cases[i].what);
            continue;
        }
        ok(pid == TEST_PID && !memcmp(nonce, s.auth.nonce, sizeof(nonce)), "%s: HELLO carries nonce and pid\n",
           cases[i].what);
        memcpy(token, test_token, sizeof(token));
        token[3] ^= cases[i].token_xor;
        nonce[0] ^= cases[i].nonce_xor;
        uint8_t *auth = frame + SGPIPE_REQUEST_SIZE;
        memcpy(auth, dll_nonce, SGPIPE_NONCE_SIZE);
        sgpipe_proof(token, cases[i].who, nonce, dll_nonce, pid + cases[i].pid_delta, auth + SGPIPE_NONCE_SIZE);
        auth[SGPIPE_AUTH_SIZE - 1] ^= cases[i].proof_xor;
        struct sgpipe_request req = { .seq = seq + 1, .op = cases[i].op, .payload_len = SGPIPE_AUTH_SIZE };
        if (cases[i].op == SGPIPE_OP_EXECUTE)
            req.cdb_len = 6;
        if (cases[i].op == SGPIPE_OP_OPEN || cases[i].op == SGPIPE_OP_ENUMERATE)
            memcpy(auth, path, sizeof(path));
        req.payload_len = cases[i].op == SGPIPE_OP_AUTH ? (uint32_t)(SGPIPE_AUTH_SIZE + cases[i].payload_delta)
                          : cases[i].op == SGPIPE_OP_EXECUTE ? 0
                                                             : sizeof(path) - 1;
        sgpipe_encode_request(&req, frame);
        frame[0] ^= cases[i].magic_xor;
        fd_write_all(&peer, frame, cases[i].header_only ? SGPIPE_REQUEST_SIZE : SGPIPE_REQUEST_SIZE + req.payload_len);
        int gone = hung_up(&s, &peer);
        ok(gone, "%s: hung up, serve %d\n", cases[i].what, s.rc);
    }
    ok(atomic_load(&backend_calls) == 0, "nothing reached the backend: %d calls\n", atomic_load(&backend_calls));

    /* A good AUTH, replayed on a later connection (another helper nonce). */
    struct server s;
    struct fd_io peer;
    uint8_t nonce[SGPIPE_NONCE_SIZE], auth[SGPIPE_AUTH_SIZE];
    uint32_t pid, seq;
    start_raw_server(&s, &peer, test_token, 5000);
    read_hello(&peer, nonce, &pid, &seq);
    struct sgpipe_request req = { .seq = seq + 1, .op = SGPIPE_OP_AUTH, .payload_len = SGPIPE_AUTH_SIZE };
    memcpy(auth, dll_nonce, SGPIPE_NONCE_SIZE);
    sgpipe_proof(test_token, SGPIPE_PROVER_DLL, nonce, dll_nonce, pid, auth + SGPIPE_NONCE_SIZE);
    send_frame(&peer, &req, auth);
    uint8_t header[SGPIPE_REPLY_SIZE], proof[SGPIPE_MAC_SIZE];
    struct sgpipe_reply rep;
    ok(fd_read_exact(&peer, header, sizeof(header), 5000) == TRANSPORT_OK &&
           sgpipe_decode_reply(header, &req, &rep) == SGPIPE_FRAME_OK && rep.result == TRANSPORT_OK &&
           fd_read_exact(&peer, proof, sizeof(proof), 5000) == TRANSPORT_OK &&
           sgpipe_proof_check(test_token, SGPIPE_PROVER_HELPER, dll_nonce, nonce, pid, proof),
       "a good AUTH is answered with the helper's proof\n");
    /* After the handshake a second AUTH is just a refused request. */
    req.seq++;
    send_frame(&peer, &req, auth);
    ok(fd_read_exact(&peer, header, sizeof(header), 5000) == TRANSPORT_OK &&
           sgpipe_decode_reply(header, &req, &rep) == SGPIPE_FRAME_OK && rep.result == TRANSPORT_ERR_INVALID,
       "AUTH after the handshake: INVALID\n");
    fd_close(&peer);
    pthread_join(s.thread, NULL);
    struct server again;
    start_raw_server(&again, &peer, test_token, 5000);
    read_hello(&peer, nonce, &pid, &seq);
    send_frame(&peer, &req, auth); /* the AUTH of the run before */
    ok(hung_up(&again, &peer), "the same AUTH on a new connection: hung up\n");

    /* A peer that says nothing: the helper gives up after its timeout. */
    start_raw_server(&s, &peer, test_token, 200);
    read_hello(&peer, nonce, &pid, &seq);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int gone = hung_up(&s, &peer);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    ok(gone && ms >= 150 && ms < 2000, "silent peer: hung up after %ld ms\n", ms);
}

/* The proofs of one run, byte for byte (computed independently with
 * Python's hmac module): pins labels, order and the pid's encoding. */
static void test_proof_values(void)
{
    uint8_t helper_nonce[SGPIPE_NONCE_SIZE], mac[SGPIPE_MAC_SIZE];
    memset(helper_nonce, 0x5e, sizeof(helper_nonce));
    helper_nonce[0] = 1;
    sgpipe_proof(test_token, SGPIPE_PROVER_DLL, helper_nonce, dll_nonce, TEST_PID, mac);
    ok(hex_equal(mac, "53db7e052681e9a9b529ae89fdf7ed5aa393b2e588ed98b8fda265545b547e7e", sizeof(mac)),
       "the DLL's proof\n");
    ok(sgpipe_proof_check(test_token, SGPIPE_PROVER_DLL, helper_nonce, dll_nonce, TEST_PID, mac), "checks\n");
    sgpipe_proof(test_token, SGPIPE_PROVER_HELPER, dll_nonce, helper_nonce, TEST_PID, mac);
    ok(hex_equal(mac, "a166579b55632dea5f00a68b9e338baa2f7809dba04eb9a082fd4f187ff31725", sizeof(mac)),
       "the helper's proof\n");
    ok(!sgpipe_proof_check(test_token, SGPIPE_PROVER_DLL, dll_nonce, helper_nonce, TEST_PID, mac),
       "one side's proof is not the other's\n");
}

/* A fake helper that answers the DLL's AUTH the way `kind` says. */
struct fake_helper {
    pthread_t thread;
    struct fd_io fd;
    int kind;
    uint8_t seen_auth[SGPIPE_AUTH_SIZE];
};

static void *fake_helper_main(void *arg)
{
    struct fake_helper *f = arg;
    static const uint8_t helper_nonce[SGPIPE_NONCE_SIZE] = { 'h', 'e', 'l', 'p', 'e', 'r' };
    uint8_t header[SGPIPE_REPLY_SIZE], hello[SGPIPE_HELLO_SIZE], proof[SGPIPE_MAC_SIZE];
    uint8_t other_token[SGPIPE_TOKEN_SIZE];
    struct sgpipe_request req = { .op = SGPIPE_OP_HELLO, .payload_len = SGPIPE_HELLO_SIZE };
    memcpy(hello, helper_nonce, SGPIPE_NONCE_SIZE);
    sgpipe_put_u32(hello + SGPIPE_NONCE_SIZE, TEST_PID);
    send_frame(&f->fd, &req, hello);
    if (fd_read_exact(&f->fd, header, SGPIPE_REQUEST_SIZE, 5000) != TRANSPORT_OK ||
        sgpipe_decode_request(header, &req) != SGPIPE_FRAME_OK ||
        fd_read_exact(&f->fd, f->seen_auth, sizeof(f->seen_auth), 5000) != TRANSPORT_OK)
        return NULL;
    memcpy(other_token, test_token, sizeof(other_token));
    other_token[0] ^= 0x80;
    /* kind 0: another token; 1: the proof the DLL sent, reflected; 2: a
     * proof over another DLL nonce (replayed); 3: the right proof but a
     * refusal result; 4: the right proof. */
    const uint8_t *dll = f->seen_auth;
    uint8_t stale[SGPIPE_NONCE_SIZE] = { 0 };
    sgpipe_proof(f->kind == 0 ? other_token : test_token, SGPIPE_PROVER_HELPER, f->kind == 2 ? stale : dll,
                 helper_nonce, TEST_PID, proof);
    if (f->kind == 1)
        memcpy(proof, f->seen_auth + SGPIPE_NONCE_SIZE, sizeof(proof));
    struct sgpipe_reply rep = { .seq = req.seq, .op = SGPIPE_OP_AUTH, .payload_len = SGPIPE_MAC_SIZE };
    if (f->kind == 3) {
        rep.result = TRANSPORT_ERR_INVALID;
        rep.payload_len = 0;
    }
    sgpipe_encode_reply(&rep, header);
    fd_write_all(&f->fd, header, SGPIPE_REPLY_SIZE);
    fd_write_all(&f->fd, proof, rep.payload_len);
    return NULL;
}

/* The DLL half against hand-made helpers, and the real pair both ways. */
static void test_handshake_dll_side(void)
{
    static const struct {
        const char *what;
        enum transport_result want;
    } cases[] = {
        { "helper proves with another token", TRANSPORT_ERR_INVALID },
        { "helper reflects the DLL's proof", TRANSPORT_ERR_INVALID },
        { "helper replays a proof for another DLL nonce", TRANSPORT_ERR_INVALID },
        { "helper refuses", TRANSPORT_ERR_INVALID },
        { "helper proves the token", TRANSPORT_OK },
    };
    for (int i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
        int fds[2];
        struct fake_helper f = { .kind = i };
        struct fd_io dll;
        uint32_t pid = 0;
        socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
        f.fd.fd = fds[0];
        dll.fd = fds[1];
        pthread_create(&f.thread, NULL, fake_helper_main, &f);
        struct sgpipe_io io = { fd_read_exact, fd_write_all, fd_close, &dll };
        enum transport_result r = sgpipe_client_handshake(&io, test_token, dll_nonce, 5000, &pid);
        ok(r == cases[i].want, "%s: %d, want %d\n", cases[i].what, r, cases[i].want);
        ok(r != TRANSPORT_OK || pid == TEST_PID, "pid %u\n", pid);
        pthread_join(f.thread, NULL);
        ok(!memcmp(f.seen_auth, dll_nonce, SGPIPE_NONCE_SIZE), "the DLL sent its nonce\n");
        fd_close(&f.fd);
        fd_close(&dll);
    }

    /* Not a HELLO first; a silent peer. */
    struct server s;
    struct fd_io a, b;
    int fds[2];
    uint32_t pid;
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    a.fd = fds[0];
    b.fd = fds[1];
    struct sgpipe_io io = { fd_read_exact, fd_write_all, fd_close, &b };
    struct sgpipe_request limits = { .op = SGPIPE_OP_LIMITS };
    send_frame(&a, &limits, NULL);
    ok(sgpipe_client_handshake(&io, test_token, dll_nonce, 1000, &pid) == TRANSPORT_ERR_INVALID,
       "a first frame that is not HELLO\n");
    ok(sgpipe_client_handshake(&io, test_token, dll_nonce, 50, &pid) == TRANSPORT_ERR_TIMEOUT,
       "silent peer times out\n");
    fd_close(&a);
    fd_close(&b);

    /* The real pair: same token works (start_server checks the pid);
     * a helper holding another token hangs up on the DLL. */
    ok(start_server(&s, &a) == 0, "both hold the token: handshake done\n");
    fd_close(&a);
    pthread_join(s.thread, NULL);
    ok(s.rc == 0, "and the helper ends cleanly: %d\n", s.rc);
    uint8_t other_token[SGPIPE_TOKEN_SIZE];
    memcpy(other_token, test_token, sizeof(other_token));
    other_token[7] ^= 0x10;
    start_raw_server(&s, &a, other_token, 5000);
    io.ctx = &a;
    enum transport_result r = sgpipe_client_handshake(&io, test_token, dll_nonce, 5000, &pid);
    ok(r == TRANSPORT_ERR_NO_DEVICE, "helper with another token: hung up on the DLL (%d)\n", r);
    pthread_join(s.thread, NULL);
    ok(s.rc == -1, "helper refused the DLL: %d\n", s.rc);
    fd_close(&a);
}

/* Wine's "x::" links, with /dev/null standing in for a drive's node. */
static void test_wine_letter(void)
{
    char dir[96], link[128];
    struct stat sb;
    snprintf(dir, sizeof(dir), "%s/dosdevices", tmpdir);
    mkdir(dir, 0700);
    snprintf(link, sizeof(link), "%s/c:", dir);
    ok(symlink("/dev/null", link) == 0, "c: link\n"); /* a mount point link: no "::" */
    snprintf(link, sizeof(link), "%s/f::", dir);
    ok(symlink("/nonexistent/sr9", link) == 0, "f:: link\n");
    snprintf(link, sizeof(link), "%s/e::", dir);
    ok(symlink("/dev/null", link) == 0, "e:: link\n");
    if (stat("/dev/null", &sb) != 0) {
        skip("no /dev/null\n");
        return;
    }
    ok(sgio_wine_letter(dir, major(sb.st_rdev), minor(sb.st_rdev)) == 'e', "the letter linked to the node\n");
    ok(sgio_wine_letter(dir, major(sb.st_rdev), minor(sb.st_rdev) + 100) == 0, "another node has none\n");
    ok(sgio_wine_letter("/nonexistent", major(sb.st_rdev), minor(sb.st_rdev)) == 0, "no folder\n");
    ok(sgio_wine_letter(NULL, 1, 3) == 0, "NULL folder\n");
}

int main(void)
{
    strcpy(tmpdir, "/tmp/sgpipe-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        ok(0, "mkdtemp\n");
        return okay_summary("transport_sgpipe");
    }
    test_sha256();
    test_hmac();
    test_request_rules();
    test_reply_rules();
    test_paths();
    test_entries();
    test_proof_values();
    test_handshake_helper_side();
    test_handshake_dll_side();
    test_end_to_end();
    test_server_gone();
    test_bad_frames();
    test_wine_letter();
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        printf("could not remove %s\n", tmpdir);
    return okay_summary("transport_sgpipe");
}
