/* The Linux SG_IO backend without a drive: open errors on things that are
 * not SG_IO devices, request validation, the errno/host/driver mapping,
 * sysfs limit parsing and /dev/srN enumeration over a fake directory.
 * With an accessible /dev/sr0 (or the node IMAPI2_SGIO_DEVICE names) it
 * also talks to the drive; otherwise that part is skipped. The kernel rig
 * (docs/kernel-rig.md) runs it against /dev/sr0 and /dev/sg0 of an
 * emulated recorder. */
#define _GNU_SOURCE /* mkdtemp, mkfifo under -std=c11 */
#include "okay.h"

#include "transport/sgio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mmc/geometry.h"

static char tmpdir[32];

static void write_file(const char *name, const char *text)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void remove_file(const char *name)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    unlink(path);
}

static void check_open(const char *path, enum transport_result want, const char *what)
{
    struct scsi_transport *t = (struct scsi_transport *)&t; /* must be cleared */
    enum transport_result r = sgio_open(path, &t);
    ok(r == want && t == NULL, "%s: got %s (%d), want %s\n", what, transport_result_name(r), (int)r,
       transport_result_name(want));
    if (r == TRANSPORT_OK && t)
        scsi_transport_close(t);
}

static void test_open_errors(void)
{
    char path[160], longpath[SGIO_PATH_MAX + 8];
    check_open("/nonexistent-imapi2-dir/sr9", TRANSPORT_ERR_NO_DEVICE, "missing path");
    check_open("/dev/null", TRANSPORT_ERR_INVALID, "/dev/null");
    check_open(NULL, TRANSPORT_ERR_INVALID, "NULL path");
    memset(longpath, 'a', sizeof(longpath) - 1);
    longpath[0] = '/';
    longpath[sizeof(longpath) - 1] = 0;
    check_open(longpath, TRANSPORT_ERR_INVALID, "over-long path");
    check_open(tmpdir, TRANSPORT_ERR_INVALID, "a directory");

    write_file("regular", "not a device\n");
    snprintf(path, sizeof(path), "%s/regular", tmpdir);
    check_open(path, TRANSPORT_ERR_INVALID, "regular file");
    remove_file("regular");

    snprintf(path, sizeof(path), "%s/fifo", tmpdir);
    if (mkfifo(path, 0600) == 0) {
        check_open(path, TRANSPORT_ERR_INVALID, "fifo");
        unlink(path);
    } else {
        skip("mkfifo failed (errno %d)\n", errno);
    }
}

static struct scsi_request make_req(uint8_t cdb_len, enum scsi_direction dir, void *buf, uint32_t len)
{
    struct scsi_request req;
    memset(&req, 0, sizeof(req));
    req.cdb_len = cdb_len;
    req.dir = dir;
    req.buf = buf;
    req.len = len;
    return req;
}

static void test_validation(void)
{
    static uint8_t buf[4096];
    static const struct {
        uint8_t cdb_len;
        int dir;
        int has_buf;
        uint32_t len;
        enum transport_result want;
    } cases[] = {
        { 6, SCSI_DIR_NONE, 0, 0, TRANSPORT_OK },
        { 10, SCSI_DIR_IN, 1, 2048, TRANSPORT_OK },
        { 12, SCSI_DIR_OUT, 1, 4096, TRANSPORT_OK },
        { 16, SCSI_DIR_IN, 1, 36, TRANSPORT_OK },
        { 10, SCSI_DIR_IN, 0, 0, TRANSPORT_OK },       /* no data phase */
        { 0, SCSI_DIR_NONE, 0, 0, TRANSPORT_ERR_INVALID },
        { 7, SCSI_DIR_NONE, 0, 0, TRANSPORT_ERR_INVALID },
        { 11, SCSI_DIR_IN, 1, 8, TRANSPORT_ERR_INVALID },
        { 17, SCSI_DIR_IN, 1, 8, TRANSPORT_ERR_INVALID },
        { 10, SCSI_DIR_IN, 0, 8, TRANSPORT_ERR_INVALID },   /* NULL buffer, len > 0 */
        { 10, SCSI_DIR_OUT, 0, 8, TRANSPORT_ERR_INVALID },
        { 10, SCSI_DIR_NONE, 1, 8, TRANSPORT_ERR_INVALID }, /* data but no direction */
        { 10, 7, 1, 8, TRANSPORT_ERR_INVALID },             /* unknown direction */
        { 10, SCSI_DIR_IN, 1, 4097, TRANSPORT_ERR_INVALID }, /* beyond max_transfer */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct scsi_request req = make_req(cases[i].cdb_len, (enum scsi_direction)cases[i].dir,
                                           cases[i].has_buf ? buf : NULL, cases[i].len);
        enum transport_result r = scsi_request_check(&req, sizeof(buf));
        ok(r == cases[i].want, "case %u (cdb_len %u dir %d len %u): got %s\n", (unsigned)i, cases[i].cdb_len,
           cases[i].dir, cases[i].len, transport_result_name(r));
    }
}

static void test_classify(void)
{
    static const struct {
        int err;
        unsigned host, driver;
        enum transport_result want;
    } cases[] = {
        { 0, 0, 0, TRANSPORT_OK },
        { 0, 0, 0x08, TRANSPORT_OK },            /* DRIVER_SENSE: sense is valid */
        { 0, 0, 0x28, TRANSPORT_OK },            /* suggestion bits ignored */
        { 0, 0x03, 0, TRANSPORT_ERR_TIMEOUT },   /* DID_TIME_OUT */
        { 0, 0, 0x06, TRANSPORT_ERR_TIMEOUT },   /* DRIVER_TIMEOUT */
        { 0, 0x01, 0, TRANSPORT_ERR_NO_DEVICE }, /* DID_NO_CONNECT */
        { 0, 0x04, 0, TRANSPORT_ERR_NO_DEVICE }, /* DID_BAD_TARGET */
        { 0, 0x07, 0, TRANSPORT_ERR_IO },        /* DID_ERROR */
        { 0, 0x08, 0, TRANSPORT_ERR_IO },        /* DID_RESET */
        { 0, 0, 0x04, TRANSPORT_ERR_IO },        /* DRIVER_ERROR */
        { ENODEV, 0, 0, TRANSPORT_ERR_NO_DEVICE },
        { ENXIO, 0, 0, TRANSPORT_ERR_NO_DEVICE },
        { ENOMEDIUM, 0, 0, TRANSPORT_ERR_NO_DEVICE },
        { ETIMEDOUT, 0, 0, TRANSPORT_ERR_TIMEOUT },
        { ENOMEM, 0, 0, TRANSPORT_ERR_NO_MEMORY },
        { EINVAL, 0, 0, TRANSPORT_ERR_INVALID },
        { EIO, 0, 0, TRANSPORT_ERR_IO },
        { EPERM, 0, 0, TRANSPORT_ERR_IO },       /* read-only open, WRITE filtered */
        { ENOTTY, 0, 0, TRANSPORT_ERR_IO },
        { EIO, 0x03, 0, TRANSPORT_ERR_IO },      /* errno wins over stale fields */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum transport_result r = sgio_classify(cases[i].err, cases[i].host, cases[i].driver);
        ok(r == cases[i].want, "classify %u (errno %d host %#x driver %#x): got %s\n", (unsigned)i,
           cases[i].err, cases[i].host, cases[i].driver, transport_result_name(r));
    }
}

static void test_queue_limits(void)
{
    uint32_t max = 111, mask = 222;
    ok(sgio_read_queue_limits(tmpdir, &max, &mask) == 0 && max == 111 && mask == 222,
       "empty dir leaves values: %u %u\n", max, mask);
    write_file("max_hw_sectors_kb", "120\n");
    write_file("dma_alignment", "511\n");
    ok(sgio_read_queue_limits(tmpdir, &max, &mask) == 2 && max == 120 * 1024 && mask == 511, "got %u %u\n", max,
       mask);
    max = 111, mask = 222;
    write_file("max_hw_sectors_kb", "lots\n");
    write_file("dma_alignment", "100\n"); /* not 2^n - 1 */
    ok(sgio_read_queue_limits(tmpdir, &max, &mask) == 0 && max == 111 && mask == 222, "bad values: %u %u\n", max,
       mask);
    write_file("max_hw_sectors_kb", "2\n"); /* below one raw sector */
    write_file("dma_alignment", "3");       /* no newline is fine */
    ok(sgio_read_queue_limits(tmpdir, &max, &mask) == 1 && max == 111 && mask == 3, "tiny max: %u %u\n", max,
       mask);
    write_file("max_hw_sectors_kb", "99999999999\n"); /* overflows 32 bits */
    ok(sgio_read_queue_limits(tmpdir, &max, &mask) == 1 && max == 111, "huge max: %u\n", max);
    remove_file("max_hw_sectors_kb");
    remove_file("dma_alignment");
}

static void test_enumerate_dir(void)
{
    static const char *const names[] = { "sr10", "sr2", "sr0", "sg1", "srx", "sr", "sr01", "sr3a", "cdrom" };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        write_file(names[i], "");
    char paths[4][SGIO_PATH_MAX];
    int n = sgio_enumerate_dir(tmpdir, paths, 4);
    char want[3][SGIO_PATH_MAX];
    snprintf(want[0], sizeof(want[0]), "%s/sr0", tmpdir);
    snprintf(want[1], sizeof(want[1]), "%s/sr2", tmpdir);
    snprintf(want[2], sizeof(want[2]), "%s/sr10", tmpdir);
    ok(n == 3, "found %d\n", n);
    for (int i = 0; i < 3 && i < n; i++)
        ok(strcmp(paths[i], want[i]) == 0, "entry %d: %s\n", i, paths[i]);
    memset(paths, 0, sizeof(paths));
    n = sgio_enumerate_dir(tmpdir, paths, 1);
    ok(n == 3 && strcmp(paths[0], want[0]) == 0 && paths[1][0] == 0, "max 1: %d %s\n", n, paths[0]);
    ok(sgio_enumerate_dir("/nonexistent-imapi2-dir", paths, 4) == 0, "missing dir\n");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        remove_file(names[i]);
}

/* ---- with a real (or kernel-emulated) drive ----
 * IMAPI2_SGIO_DEVICE names the node to use (else the first /dev/srN, and
 * none is a skip). The kernel rig (docs/kernel-rig.md) also sets
 *   IMAPI2_SGIO_EXPECT_INQUIRY  "VENDOR/PRODUCT/REVISION" the drive was given
 *   IMAPI2_SGIO_QUEUE_DIR       the sysfs queue directory of the drive
 * and then a disc is in the drive, so the checks get strict: the strings,
 * TEST UNIT READY good, an unknown opcode's 05/20/00, the INQUIRY residual
 * and the limits must all match. */

static int read_sysfs_number(const char *dir, const char *name, unsigned long long *out)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    int n = fscanf(f, "%llu", out);
    fclose(f);
    return n == 1;
}

/* INQUIRY field without its space padding. */
static void inquiry_field(const uint8_t *inq, size_t off, size_t len, char *out)
{
    memcpy(out, inq + off, len);
    out[len] = 0;
    for (size_t i = len; i > 0 && out[i - 1] == ' '; i--)
        out[i - 1] = 0;
}

static void check_inquiry_strings(const uint8_t *inq, const char *expect)
{
    char vendor[9], product[17], revision[5], got[40];
    inquiry_field(inq, 8, 8, vendor);
    inquiry_field(inq, 16, 16, product);
    inquiry_field(inq, 32, 4, revision);
    snprintf(got, sizeof(got), "%s/%s/%s", vendor, product, revision);
    ok(strcmp(got, expect) == 0, "INQUIRY strings \"%s\", drive was configured with \"%s\"\n", got, expect);
}

static void check_limits(const struct scsi_transport *t, const char *queue_dir)
{
    unsigned long long kb = 0, align = 0;
    ok(read_sysfs_number(queue_dir, "max_hw_sectors_kb", &kb) && read_sysfs_number(queue_dir, "dma_alignment", &align),
       "read %s\n", queue_dir);
    ok(t->max_transfer == kb * 1024, "max_transfer %u, sysfs max_hw_sectors_kb %llu\n", t->max_transfer, kb);
    ok(t->alignment_mask == align, "alignment_mask %#x, sysfs dma_alignment %#llx\n", t->alignment_mask, align);
}

/* TEST UNIT READY until the unit attentions a fresh drive queues are gone. */
static enum transport_result test_unit_ready(struct scsi_transport *t, struct scsi_request *req)
{
    enum transport_result r = TRANSPORT_OK;
    for (int tries = 0; tries < 4; tries++) {
        *req = make_req(6, SCSI_DIR_NONE, NULL, 0);
        req->timeout_ms = 10000;
        r = scsi_transport_execute(t, req);
        if (r != TRANSPORT_OK || req->status != SCSI_STATUS_CHECK_CONDITION || (req->sense[2] & 0x0f) != 6)
            break;
    }
    return r;
}

/* An opcode no MMC drive implements (0x02 is reserved in SPC): the drive
 * must reject it and its sense must come back through SG_IO. */
static void check_unknown_opcode(struct scsi_transport *t)
{
    struct scsi_request req = make_req(6, SCSI_DIR_NONE, NULL, 0);
    req.cdb[0] = 0x02;
    req.timeout_ms = 10000;
    enum transport_result r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_CHECK_CONDITION, "opcode 02: %s status %#x\n",
       transport_result_name(r), req.status);
    ok(req.sense_len >= 14 && (req.sense[0] & 0x7f) == 0x70 && (req.sense[2] & 0x0f) == 5 && req.sense[12] == 0x20 &&
           req.sense[13] == 0,
       "opcode 02 sense (%u bytes) %x/%02x/%02x, want 5/20/00\n", req.sense_len, req.sense[2] & 0x0f, req.sense[12],
       req.sense[13]);
}

static void test_real_drive(void)
{
    const char *device = getenv("IMAPI2_SGIO_DEVICE");
    const char *expect = getenv("IMAPI2_SGIO_EXPECT_INQUIRY");
    const char *queue_dir = getenv("IMAPI2_SGIO_QUEUE_DIR");
    char paths[8][SGIO_PATH_MAX];
    if (!device || !*device) {
        int n = sgio_enumerate(paths, 8);
        if (n <= 0) {
            skip("no /dev/sr* on this machine\n");
            return;
        }
        device = paths[0];
    }
    struct scsi_transport *t = NULL;
    enum transport_result r = sgio_open(device, &t);
    if (r != TRANSPORT_OK) {
        if (getenv("IMAPI2_SGIO_DEVICE"))
            ok(0, "%s does not open: %s\n", device, transport_result_name(r));
        else
            skip("%s exists but does not open: %s\n", device, transport_result_name(r));
        return;
    }
    ok(strcmp(t->ops->name, "sgio") == 0, "name %s\n", t->ops->name);
    ok(t->max_transfer >= CD_SECTOR_SIZE && (t->alignment_mask & (t->alignment_mask + 1)) == 0, "limits %u %#x\n",
       t->max_transfer, t->alignment_mask);
    if (queue_dir)
        check_limits(t, queue_dir);

    uint8_t inq[96];
    memset(inq, 0xcc, sizeof(inq));
    struct scsi_request req = make_req(6, SCSI_DIR_IN, inq, sizeof(inq));
    req.cdb[0] = 0x12; /* INQUIRY */
    req.cdb[4] = sizeof(inq);
    req.timeout_ms = 10000;
    r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD, "INQUIRY: %s status %#x\n", transport_result_name(r),
       req.status);
    ok(r != TRANSPORT_OK || (inq[0] & 0x1f) == 5, "peripheral type %u (5 = MMC)\n", inq[0] & 0x1f);
    ok(req.resid < sizeof(inq), "resid %u\n", req.resid);
    printf("sgio: %s is %.8s %.16s %.4s, max_transfer %u, alignment_mask %#x\n", device, inq + 8, inq + 16,
           inq + 32, t->max_transfer, t->alignment_mask);
    if (expect) {
        check_inquiry_strings(inq, expect);
        uint32_t given = inq[4] + 5u; /* additional length + header */
        ok(req.resid == sizeof(inq) - given, "INQUIRY resid %u, drive gave %u of %u bytes\n", req.resid, given,
           (unsigned)sizeof(inq));
    }

    req = make_req(7, SCSI_DIR_NONE, NULL, 0);
    ok(scsi_transport_execute(t, &req) == TRANSPORT_ERR_INVALID, "cdb_len 7 on a device\n");
    req = make_req(10, SCSI_DIR_IN, NULL, 0);
    req.len = t->max_transfer + 1;
    req.buf = inq;
    ok(scsi_transport_execute(t, &req) == TRANSPORT_ERR_INVALID, "oversized request is refused\n");

    scsi_transport_cancel(t);
    req = make_req(6, SCSI_DIR_NONE, NULL, 0); /* TEST UNIT READY */
    ok(scsi_transport_execute(t, &req) == TRANSPORT_ERR_CANCELLED, "cancel is sticky\n");
    scsi_transport_reset_cancel(t);
    r = test_unit_ready(t, &req);
    ok(r == TRANSPORT_OK, "after reset: %s status %#x\n", transport_result_name(r), req.status);
    ok(req.status != SCSI_STATUS_CHECK_CONDITION || req.sense_len >= 8, "sense with CHECK CONDITION: %u\n",
       req.sense_len);
    if (expect) {
        ok(req.status == SCSI_STATUS_GOOD, "TEST UNIT READY with a disc: status %#x sense %x/%02x/%02x\n",
           req.status, req.sense[2] & 0x0f, req.sense[12], req.sense[13]);
        check_unknown_opcode(t);
    }
    scsi_transport_close(t);
}

int main(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/imapi2-sgio-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        ok(0, "mkdtemp failed: errno %d\n", errno);
        return okay_summary("test_transport_sgio");
    }
    test_open_errors();
    test_validation();
    test_classify();
    test_queue_limits();
    test_enumerate_dir();
    test_real_drive();
    rmdir(tmpdir);
    return okay_summary("test_transport_sgio");
}
