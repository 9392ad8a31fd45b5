/* The SPTI backend (dlls/imapi2/spti_win.c).
 *
 * Part 1 needs no drive: a fake device sits where DeviceIoControl would be
 * and checks every SCSI_PASS_THROUGH_DIRECT it receives (lengths, sense
 * placement, direction, timeout, buffer alignment, split sizes) and answers
 * with canned data, status, sense, residue or errors.
 *
 * Part 2 probes the real system: the CD-ROM drives it can see (letters and
 * \\.\CdRomN) and what their pass-through and limit IOCTLs answer. With no
 * drive (the usual case under Wine on a build machine) it skips. */
#include <windows.h>

#include <winioctl.h>
#include <ntddscsi.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "okay.h"
#include "spti_win.h"
#include "mmc/geometry.h"

/* ------------------------------------------------------------ fake device */

#define FAKE_MAX_CALLS 16
#define FAKE_HANDLE ((HANDLE)(uintptr_t)0x5eed)

struct fake_call {
    DWORD code;
    SCSI_PASS_THROUGH_DIRECT sptd; /* as received */
    DWORD in_size, out_size;
    BOOL in_is_out;
    uint8_t first_bytes[8]; /* of DataBuffer for an OUT */
};

static struct {
    /* limit IOCTLs: 0 = fail with ERROR_INVALID_FUNCTION, 1 = answer,
     * 2 = "succeed" returning 0 bytes */
    int adapter_mode, caps_mode;
    DWORD max_transfer, pages, mask;
    /* pass-through answers */
    UCHAR status;
    uint8_t sense[18];
    UCHAR sense_len;
    uint32_t short_by;      /* reported DataTransferLength = asked - short_by */
    DWORD fail_error;       /* nonzero: DeviceIoControl fails with this */
    int fail_on_call;       /* pass-through call number (1-based) that answers badly; 0 = every */
    struct scsi_transport *cancel_from_inside; /* cancel during this call */
    /* record */
    int calls;
    struct fake_call call[FAKE_MAX_CALLS];
    BOOL bad_layout;        /* a check inside the fake failed */
    /* IOCTL_CDROM_EXCLUSIVE_ACCESS: the last request, and the error to answer with */
    DWORD excl_error;
    DWORD excl_type, excl_flags, excl_size;
    char excl_name[64];
} fake;

static void fake_reset(void)
{
    memset(&fake, 0, sizeof(fake));
}

static BOOL fake_limits(DWORD code, void *out, DWORD out_size, DWORD *returned)
{
    int mode = code == IOCTL_STORAGE_QUERY_PROPERTY ? fake.adapter_mode : fake.caps_mode;
    if (mode == 0) {
        SetLastError(ERROR_INVALID_FUNCTION);
        return FALSE;
    }
    *returned = 0;
    if (mode == 2)
        return TRUE;
    if (code == IOCTL_STORAGE_QUERY_PROPERTY) {
        STORAGE_ADAPTER_DESCRIPTOR *d = out;
        if (out_size < sizeof(*d))
            return SetLastError(ERROR_INSUFFICIENT_BUFFER), FALSE;
        memset(d, 0, sizeof(*d));
        d->Version = d->Size = sizeof(*d);
        d->MaximumTransferLength = fake.max_transfer;
        d->MaximumPhysicalPages = fake.pages;
        d->AlignmentMask = fake.mask;
        *returned = sizeof(*d);
    } else {
        IO_SCSI_CAPABILITIES *c = out;
        if (out_size < sizeof(*c))
            return SetLastError(ERROR_INSUFFICIENT_BUFFER), FALSE;
        memset(c, 0, sizeof(*c));
        c->Length = sizeof(*c);
        c->MaximumTransferLength = fake.max_transfer;
        c->MaximumPhysicalPages = fake.pages;
        c->AlignmentMask = fake.mask;
        *returned = sizeof(*c);
    }
    return TRUE;
}

/* Data an IN command returns: byte i of LBA-relative offset, so a split
 * read that lands pieces in the wrong place is visible. */
static uint8_t pattern(uint32_t lba, uint32_t offset)
{
    return (uint8_t)(lba * 7 + offset * 13 + 1);
}

static BOOL WINAPI fake_ioctl(HANDLE h, DWORD code, void *in, DWORD in_size, void *out, DWORD out_size,
                              DWORD *returned, OVERLAPPED *ov)
{
    if (h != FAKE_HANDLE || ov != NULL)
        fake.bad_layout = TRUE;
    if (code == IOCTL_STORAGE_QUERY_PROPERTY || code == IOCTL_SCSI_GET_CAPABILITIES)
        return fake_limits(code, out, out_size, returned);
    if (code == 0x0002C05Cu) { /* IOCTL_CDROM_EXCLUSIVE_ACCESS, as ntddcdrm.h defines it */
        const DWORD *words = in;
        fake.excl_size = in_size;
        fake.excl_type = in_size >= 8 ? words[0] : 0;
        fake.excl_flags = in_size >= 8 ? words[1] : 0;
        memset(fake.excl_name, 0, sizeof(fake.excl_name));
        if (in_size >= 8 + 64)
            memcpy(fake.excl_name, words + 2, 64);
        if (fake.excl_error) {
            SetLastError(fake.excl_error);
            return FALSE;
        }
        return TRUE;
    }
    if (code != IOCTL_SCSI_PASS_THROUGH_DIRECT) {
        SetLastError(ERROR_INVALID_FUNCTION);
        return FALSE;
    }
    SCSI_PASS_THROUGH_DIRECT *p = in;
    int n = ++fake.calls;
    if (n <= FAKE_MAX_CALLS) {
        struct fake_call *c = &fake.call[n - 1];
        c->code = code;
        c->sptd = *p;
        c->in_size = in_size;
        c->out_size = out_size;
        c->in_is_out = in == out;
        if (p->DataIn == SCSI_IOCTL_DATA_OUT && p->DataBuffer && p->DataTransferLength >= 8)
            memcpy(c->first_bytes, p->DataBuffer, 8);
    }
    /* What a driver insists on: the sense area inside the buffer it was given. */
    if (p->Length != sizeof(*p) || in_size < sizeof(*p) ||
        p->SenseInfoOffset < sizeof(*p) || p->SenseInfoOffset + p->SenseInfoLength > out_size)
        fake.bad_layout = TRUE;
    if (fake.cancel_from_inside)
        scsi_transport_cancel(fake.cancel_from_inside);
    BOOL this_one = fake.fail_on_call == 0 || fake.fail_on_call == n;
    if (this_one && fake.fail_error) {
        SetLastError(fake.fail_error);
        return FALSE;
    }
    if (p->DataIn == SCSI_IOCTL_DATA_IN && p->DataBuffer) {
        uint32_t lba = p->CdbLength >= 10 ? (uint32_t)p->Cdb[2] << 24 | p->Cdb[3] << 16 | p->Cdb[4] << 8 | p->Cdb[5]
                                          : 0;
        for (uint32_t i = 0; i < p->DataTransferLength; i++)
            ((uint8_t *)p->DataBuffer)[i] = pattern(lba, i);
    }
    SCSI_PASS_THROUGH_DIRECT *o = out;
    if (this_one) {
        o->ScsiStatus = fake.status;
        memcpy((uint8_t *)out + p->SenseInfoOffset, fake.sense, fake.sense_len);
        o->SenseInfoLength = fake.sense_len;
        o->DataTransferLength = p->DataTransferLength - (fake.short_by < p->DataTransferLength
                                                            ? fake.short_by : p->DataTransferLength);
    } else {
        o->ScsiStatus = 0;
        o->SenseInfoLength = 0;
    }
    *returned = sizeof(*o);
    return TRUE;
}

static struct scsi_transport *open_fake(void)
{
    struct scsi_transport *t = NULL;
    enum transport_result r = spti_open_handle(FAKE_HANDLE, fake_ioctl, FALSE, &t);
    ok(r == TRANSPORT_OK && t != NULL, "spti_open_handle: %s\n", transport_result_name(r));
    return t;
}

static struct scsi_request make_req(uint8_t op, uint8_t cdb_len, enum scsi_direction dir, void *buf, uint32_t len)
{
    struct scsi_request req;
    memset(&req, 0, sizeof(req));
    req.cdb[0] = op;
    req.cdb_len = cdb_len;
    req.dir = dir;
    req.buf = buf;
    req.len = len;
    req.timeout_ms = 5000;
    return req;
}

static void set_be(uint8_t *p, int n, uint32_t v)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static uint32_t get_be(const uint8_t *p, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* ------------------------------------------------------------ part 1 */

static void test_limits(void)
{
    struct scsi_transport *t;

    fake_reset();
    fake.adapter_mode = 1, fake.max_transfer = 128 * 1024, fake.pages = 17, fake.mask = 1;
    t = open_fake();
    ok(t->max_transfer == 16 * 4096 && t->alignment_mask == 1, "adapter: %u %#x\n", t->max_transfer,
       t->alignment_mask);
    ok(strcmp(spti_limits_source(t), "adapter") == 0, "source %s\n", spti_limits_source(t));
    ok(strcmp(t->ops->name, "spti") == 0, "name %s\n", t->ops->name);
    scsi_transport_close(t);

    fake_reset(); /* a big adapter is capped so the bounce buffer stays small */
    fake.adapter_mode = 1, fake.max_transfer = 0xFFFFFFFF, fake.pages = 0, fake.mask = 3;
    t = open_fake();
    ok(t->max_transfer == SPTI_MAX_TRANSFER_CAP && t->alignment_mask == 3, "cap: %u %#x\n", t->max_transfer,
       t->alignment_mask);
    scsi_transport_close(t);

    fake_reset(); /* "success" with no bytes is no answer; the capabilities are */
    fake.adapter_mode = 2, fake.caps_mode = 1, fake.max_transfer = 32768, fake.pages = 8, fake.mask = 4096;
    t = open_fake();
    ok(strcmp(spti_limits_source(t), "capabilities") == 0, "source %s\n", spti_limits_source(t));
    ok(t->max_transfer == 7 * 4096 && t->alignment_mask == 4095, "caps with page-as-mask: %u %#x\n",
       t->max_transfer, t->alignment_mask);
    scsi_transport_close(t);

    fake_reset(); /* nothing answers */
    t = open_fake();
    ok(strcmp(spti_limits_source(t), "fallback") == 0, "source %s\n", spti_limits_source(t));
    ok(t->max_transfer == SPTI_FALLBACK_MAX_TRANSFER && t->alignment_mask == SPTI_FALLBACK_ALIGNMENT_MASK,
       "fallback %u %#x\n", t->max_transfer, t->alignment_mask);
    scsi_transport_close(t);

    fake_reset(); /* a mask beyond a page cannot be met by our bounce buffer */
    fake.adapter_mode = 1, fake.caps_mode = 0, fake.max_transfer = 65536, fake.pages = 0, fake.mask = 0x1FFFF;
    t = open_fake();
    ok(strcmp(spti_limits_source(t), "fallback") == 0, "huge mask: %s\n", spti_limits_source(t));
    scsi_transport_close(t);
    ok(spti_limits_source(NULL) == NULL, "NULL transport\n");
}

/* An adapter with limits the tests below rely on: 64 KiB, word alignment. */
static struct scsi_transport *open_word_aligned(void)
{
    fake_reset();
    fake.adapter_mode = 1, fake.max_transfer = 65536, fake.pages = 0, fake.mask = 1;
    return open_fake();
}

static void test_request_block(void)
{
    struct scsi_transport *t = open_word_aligned();
    static uint8_t buf[4096] __attribute__((aligned(16)));
    struct scsi_request req = make_req(0x12, 6, SCSI_DIR_IN, buf, 36);
    req.cdb[4] = 36;
    req.timeout_ms = 1500;
    enum transport_result r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && fake.calls == 1 && !fake.bad_layout, "INQUIRY: %s, %d calls, layout %d\n",
       transport_result_name(r), fake.calls, fake.bad_layout);
    const SCSI_PASS_THROUGH_DIRECT *p = &fake.call[0].sptd;
    ok(fake.call[0].code == IOCTL_SCSI_PASS_THROUGH_DIRECT, "code %#lx\n", fake.call[0].code);
    ok(p->Length == sizeof(*p), "Length %u\n", p->Length);
    ok(p->CdbLength == 6 && p->Cdb[0] == 0x12 && p->Cdb[4] == 36, "cdb %u %02x %02x\n", p->CdbLength, p->Cdb[0],
       p->Cdb[4]);
    ok(p->DataIn == SCSI_IOCTL_DATA_IN && p->DataTransferLength == 36, "DataIn %u len %lu\n", p->DataIn,
       p->DataTransferLength);
    ok(p->DataBuffer == buf, "aligned buffer is passed as is: %p vs %p\n", p->DataBuffer, (void *)buf);
    ok(p->TimeOutValue == 2, "1500 ms -> %lu s\n", p->TimeOutValue);
    ok(p->SenseInfoLength == SCSI_SENSE_MAX && p->SenseInfoOffset >= sizeof(*p) &&
           p->SenseInfoOffset + SCSI_SENSE_MAX <= fake.call[0].out_size,
       "sense %u at %lu of %lu\n", p->SenseInfoLength, p->SenseInfoOffset, fake.call[0].out_size);
    ok(fake.call[0].in_is_out && fake.call[0].in_size == fake.call[0].out_size, "one block in and out\n");
    ok(req.status == 0 && req.sense_len == 0 && req.resid == 0 && buf[0] == pattern(0, 0) &&
           buf[35] == pattern(0, 35),
       "status %#x sense %u resid %u data %02x\n", req.status, req.sense_len, req.resid, buf[0]);

    static const struct {
        uint32_t ms;
        ULONG s;
    } timeouts[] = { { 0, SPTI_DEFAULT_TIMEOUT_S }, { 1, 1 }, { 1000, 1 }, { 1001, 2 }, { 120000, 120 } };
    for (size_t i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
        fake.calls = 0;
        req = make_req(0x00, 6, SCSI_DIR_NONE, NULL, 0);
        req.timeout_ms = timeouts[i].ms;
        scsi_transport_execute(t, &req);
        ok(fake.calls == 1 && fake.call[0].sptd.TimeOutValue == timeouts[i].s, "%u ms -> %lu s\n", timeouts[i].ms,
           fake.call[0].sptd.TimeOutValue);
    }
    ok(fake.call[0].sptd.DataIn == SCSI_IOCTL_DATA_UNSPECIFIED && fake.call[0].sptd.DataBuffer == NULL &&
           fake.call[0].sptd.DataTransferLength == 0,
       "no data: DataIn %u\n", fake.call[0].sptd.DataIn);

    fake.calls = 0;
    memset(buf, 0xA5, 8);
    req = make_req(0x55, 10, SCSI_DIR_OUT, buf, 60); /* MODE SELECT(10) */
    r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && fake.call[0].sptd.DataIn == SCSI_IOCTL_DATA_OUT &&
           fake.call[0].sptd.CdbLength == 10 && fake.call[0].first_bytes[7] == 0xA5,
       "OUT: %s DataIn %u\n", transport_result_name(r), fake.call[0].sptd.DataIn);

    fake.calls = 0;
    req = make_req(0x00, 16, SCSI_DIR_NONE, NULL, 0);
    ok(scsi_transport_execute(t, &req) == TRANSPORT_OK && fake.call[0].sptd.CdbLength == 16, "16-byte CDB\n");
    scsi_transport_close(t);
}

static void test_validation(void)
{
    struct scsi_transport *t = open_word_aligned();
    static uint8_t buf[16];
    static const struct {
        uint8_t cdb_len;
        int dir;
        int has_buf;
        uint32_t len;
    } bad[] = {
        { 7, SCSI_DIR_NONE, 0, 0 }, { 0, SCSI_DIR_NONE, 0, 0 }, { 17, SCSI_DIR_IN, 1, 8 },
        { 10, SCSI_DIR_IN, 0, 8 },  { 10, SCSI_DIR_NONE, 1, 8 }, { 10, 9, 1, 8 },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fake.calls = 0;
        struct scsi_request req = make_req(0x12, bad[i].cdb_len, (enum scsi_direction)bad[i].dir,
                                           bad[i].has_buf ? buf : NULL, bad[i].len);
        enum transport_result r = scsi_transport_execute(t, &req);
        ok(r == TRANSPORT_ERR_INVALID && fake.calls == 0, "bad %u: %s, %d calls\n", (unsigned)i,
           transport_result_name(r), fake.calls);
    }
    scsi_transport_close(t);
}

static void test_bounce(void)
{
    struct scsi_transport *t = open_word_aligned();
    static uint8_t store[8192] __attribute__((aligned(16)));
    uint8_t *odd = store + 1;

    for (int i = 0; i < 100; i++)
        odd[i] = (uint8_t)(i + 3);
    struct scsi_request req = make_req(0x2A, 10, SCSI_DIR_OUT, odd, 100);
    set_be(req.cdb + 7, 2, 1);
    enum transport_result r = scsi_transport_execute(t, &req);
    const SCSI_PASS_THROUGH_DIRECT *p = &fake.call[0].sptd;
    ok(r == TRANSPORT_OK && p->DataBuffer != odd && ((uintptr_t)p->DataBuffer & 1) == 0,
       "misaligned OUT bounced: %p -> %p\n", (void *)odd, p->DataBuffer);
    ok(memcmp(fake.call[0].first_bytes, odd, 8) == 0, "bounced OUT data: %02x %02x\n", fake.call[0].first_bytes[0],
       fake.call[0].first_bytes[7]);

    fake.calls = 0;
    memset(store, 0, sizeof(store));
    fake.short_by = 10;
    req = make_req(0x28, 10, SCSI_DIR_IN, odd, 2048);
    set_be(req.cdb + 2, 4, 5);
    set_be(req.cdb + 7, 2, 1);
    r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && fake.call[0].sptd.DataBuffer != odd, "misaligned IN bounced\n");
    ok(odd[0] == pattern(5, 0) && odd[2037] == pattern(5, 2037), "IN data copied back: %02x %02x\n", odd[0],
       odd[2037]);
    ok(odd[2038] == 0 && store[0] == 0 && req.resid == 10, "only transferred bytes copied; resid %u\n", req.resid);
    scsi_transport_close(t);
}

static void test_sense_and_errors(void)
{
    struct scsi_transport *t = open_word_aligned();
    static uint8_t buf[64];
    static const uint8_t sense[18] = { 0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x24, 0x00 };
    fake.status = SCSI_STATUS_CHECK_CONDITION;
    memcpy(fake.sense, sense, sizeof(sense));
    fake.sense_len = 18;
    fake.short_by = 64;
    struct scsi_request req = make_req(0x46, 10, SCSI_DIR_IN, buf, 64);
    enum transport_result r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_CHECK_CONDITION, "CHECK CONDITION: %s %#x\n",
       transport_result_name(r), req.status);
    ok(req.sense_len == 18 && memcmp(req.sense, sense, 18) == 0 && req.sense[18] == 0, "sense %u: %02x/%02x\n",
       req.sense_len, req.sense[2], req.sense[12]);
    ok(req.resid == 64, "resid %u\n", req.resid);

    static const struct {
        DWORD error;
        enum transport_result want;
    } errors[] = {
        { ERROR_SEM_TIMEOUT, TRANSPORT_ERR_TIMEOUT },
        { ERROR_DEVICE_NOT_CONNECTED, TRANSPORT_ERR_NO_DEVICE },
        { ERROR_NOT_READY, TRANSPORT_ERR_NO_DEVICE },
        { ERROR_FILE_NOT_FOUND, TRANSPORT_ERR_NO_DEVICE },
        { ERROR_IO_DEVICE, TRANSPORT_ERR_IO },
        { ERROR_GEN_FAILURE, TRANSPORT_ERR_IO },
        { ERROR_ACCESS_DENIED, TRANSPORT_ERR_IO },
        { ERROR_INVALID_FUNCTION, TRANSPORT_ERR_IO },
        { ERROR_INVALID_PARAMETER, TRANSPORT_ERR_INVALID },
        { ERROR_NO_SYSTEM_RESOURCES, TRANSPORT_ERR_NO_MEMORY },
        { ERROR_OPERATION_ABORTED, TRANSPORT_ERR_IO }, /* nobody cancelled */
    };
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        fake.fail_error = errors[i].error;
        req = make_req(0x00, 6, SCSI_DIR_NONE, NULL, 0);
        r = scsi_transport_execute(t, &req);
        ok(r == errors[i].want, "error %lu -> %s\n", errors[i].error, transport_result_name(r));
    }
    ok(spti_map_error(ERROR_OPERATION_ABORTED, TRUE) == TRANSPORT_ERR_CANCELLED, "aborted after cancel\n");
    scsi_transport_close(t);
}

/* WRITE(10) of 100 raw sectors from LBA -150 through a 64 KiB adapter. */
static void test_split_write(void)
{
    struct scsi_transport *t = open_word_aligned();
    static uint8_t data[100 * CD_SECTOR_SIZE] __attribute__((aligned(16)));
    for (uint32_t i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i / CD_SECTOR_SIZE);
    struct scsi_request req = make_req(0x2A, 10, SCSI_DIR_OUT, data, sizeof(data));
    set_be(req.cdb + 2, 4, (uint32_t)-150);
    set_be(req.cdb + 7, 2, 100);
    req.cdb[9] = 0x5C; /* control byte must survive */
    enum transport_result r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && fake.calls == 4 && req.resid == 0, "split: %s, %d calls, resid %u\n",
       transport_result_name(r), fake.calls, req.resid);
    static const uint32_t want_n[4] = { 27, 27, 27, 19 }; /* 65536 / 2352 = 27 */
    for (int i = 0; i < 4 && i < fake.calls; i++) {
        const SCSI_PASS_THROUGH_DIRECT *p = &fake.call[i].sptd;
        int32_t lba = (int32_t)get_be(p->Cdb + 2, 4);
        uint32_t n = get_be(p->Cdb + 7, 2);
        ok(lba == -150 + 27 * i && n == want_n[i] && p->DataTransferLength == n * CD_SECTOR_SIZE &&
               p->DataTransferLength <= t->max_transfer && p->Cdb[9] == 0x5C,
           "piece %d: lba %d n %u len %lu\n", i, lba, n, p->DataTransferLength);
        ok(p->DataBuffer == data + 27 * CD_SECTOR_SIZE * i && fake.call[i].first_bytes[0] == 27 * i,
           "piece %d: buffer offset %ld, first byte %u\n", i, (long)((uint8_t *)p->DataBuffer - data),
           fake.call[i].first_bytes[0]);
    }

    /* A failure in the second piece ends the request there. */
    fake_reset();
    fake.adapter_mode = 1, fake.max_transfer = 65536, fake.mask = 1;
    fake.status = SCSI_STATUS_CHECK_CONDITION;
    fake.sense[0] = 0x70, fake.sense[2] = 0x03, fake.sense[12] = 0x0C, fake.sense_len = 18;
    fake.fail_on_call = 2;
    fake.short_by = UINT32_MAX; /* the failing piece moved no data */
    req = make_req(0x2A, 10, SCSI_DIR_OUT, data, sizeof(data));
    set_be(req.cdb + 2, 4, 0);
    set_be(req.cdb + 7, 2, 100);
    r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && fake.calls == 2 && req.status == SCSI_STATUS_CHECK_CONDITION &&
           req.sense[12] == 0x0C && req.resid == sizeof(data) - 27 * CD_SECTOR_SIZE,
       "failing piece: %s calls %d status %#x resid %u\n", transport_result_name(r), fake.calls, req.status,
       req.resid);

    /* A transport error in the third piece is returned as such. */
    fake.calls = 0, fake.status = 0, fake.sense_len = 0, fake.short_by = 0;
    fake.fail_on_call = 3, fake.fail_error = ERROR_SEM_TIMEOUT;
    req = make_req(0x2A, 10, SCSI_DIR_OUT, data, sizeof(data));
    set_be(req.cdb + 7, 2, 100);
    r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_ERR_TIMEOUT && fake.calls == 3 && req.resid == sizeof(data) - 2 * 27 * CD_SECTOR_SIZE,
       "timeout in piece 3: %s resid %u\n", transport_result_name(r), req.resid);
    scsi_transport_close(t);
}

static void test_split_read(void)
{
    struct scsi_transport *t = open_word_aligned();
    static uint8_t store[40 * CD_SECTOR_SIZE + 16] __attribute__((aligned(16)));
    uint8_t *odd = store + 1; /* every piece bounces */

    /* READ CD, 24-bit length, 40 sectors of 2352 from LBA 1000. */
    struct scsi_request req = make_req(0xBE, 12, SCSI_DIR_IN, odd, 40 * CD_SECTOR_SIZE);
    set_be(req.cdb + 2, 4, 1000);
    set_be(req.cdb + 6, 3, 40);
    req.cdb[9] = 0xF8;
    enum transport_result r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && fake.calls == 2 && req.resid == 0, "READ CD split: %s, %d calls\n",
       transport_result_name(r), fake.calls);
    ok(get_be(fake.call[0].sptd.Cdb + 6, 3) == 27 && get_be(fake.call[1].sptd.Cdb + 6, 3) == 13 &&
           get_be(fake.call[1].sptd.Cdb + 2, 4) == 1027 && fake.call[1].sptd.Cdb[9] == 0xF8,
       "READ CD pieces %u + %u\n", get_be(fake.call[0].sptd.Cdb + 6, 3), get_be(fake.call[1].sptd.Cdb + 6, 3));
    ok(((uintptr_t)fake.call[0].sptd.DataBuffer & 1) == 0 && ((uintptr_t)fake.call[1].sptd.DataBuffer & 1) == 0,
       "pieces use aligned buffers\n");
    ok(odd[0] == pattern(1000, 0) && odd[27 * CD_SECTOR_SIZE - 1] == pattern(1000, 27 * CD_SECTOR_SIZE - 1) &&
           odd[27 * CD_SECTOR_SIZE] == pattern(1027, 0) && odd[40 * CD_SECTOR_SIZE - 1] == pattern(1027, 13 * CD_SECTOR_SIZE - 1),
       "READ CD data landed in place\n");

    /* READ(12), 32-bit length, 2048-byte sectors: 32 per piece. */
    fake.calls = 0;
    req = make_req(0xA8, 12, SCSI_DIR_IN, store, 40 * 2048);
    set_be(req.cdb + 2, 4, 7);
    set_be(req.cdb + 6, 4, 40);
    r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && fake.calls == 2 && get_be(fake.call[0].sptd.Cdb + 6, 4) == 32 &&
           get_be(fake.call[1].sptd.Cdb + 6, 4) == 8 && get_be(fake.call[1].sptd.Cdb + 2, 4) == 39,
       "READ(12) split: %d calls\n", fake.calls);

    /* A short piece stops the request: later data would land misplaced. */
    fake.calls = 0, fake.short_by = CD_SECTOR_SIZE, fake.fail_on_call = 1;
    req = make_req(0xBE, 12, SCSI_DIR_IN, odd, 40 * CD_SECTOR_SIZE);
    set_be(req.cdb + 6, 3, 40);
    r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && fake.calls == 1 && req.status == 0 && req.resid == 40 * CD_SECTOR_SIZE - 26 * CD_SECTOR_SIZE,
       "short piece: %d calls, resid %u\n", fake.calls, req.resid);
    fake.short_by = 0, fake.fail_on_call = 0;

    /* What cannot be split is refused, never sent oversized. */
    static const struct {
        uint8_t op, cdb_len;
        uint32_t count, len;
    } refuse[] = {
        { 0x55, 10, 0, 70000 },       /* MODE SELECT: no sector count */
        { 0x2A, 10, 0, 70000 },       /* count 0 */
        { 0x2A, 10, 3, 70001 },       /* not whole sectors */
        { 0x2A, 10, 1, 70000 },       /* one sector bigger than max_transfer */
    };
    for (size_t i = 0; i < sizeof(refuse) / sizeof(refuse[0]); i++) {
        fake.calls = 0;
        req = make_req(refuse[i].op, refuse[i].cdb_len, SCSI_DIR_OUT, store, refuse[i].len);
        set_be(req.cdb + 7, 2, refuse[i].count);
        r = scsi_transport_execute(t, &req);
        ok(r == TRANSPORT_ERR_INVALID && fake.calls == 0, "refuse %u: %s, %d calls\n", (unsigned)i,
           transport_result_name(r), fake.calls);
    }
    scsi_transport_close(t);
}

static void test_cancel(void)
{
    struct scsi_transport *t = open_word_aligned();
    static uint8_t data[100 * CD_SECTOR_SIZE];
    struct scsi_request req = make_req(0x00, 6, SCSI_DIR_NONE, NULL, 0);
    scsi_transport_cancel(t);
    ok(scsi_transport_execute(t, &req) == TRANSPORT_ERR_CANCELLED && fake.calls == 0, "cancel before send\n");
    ok(scsi_transport_execute(t, &req) == TRANSPORT_ERR_CANCELLED, "cancel is sticky\n");
    scsi_transport_reset_cancel(t);
    ok(scsi_transport_execute(t, &req) == TRANSPORT_OK && fake.calls == 1, "after reset\n");

    /* A cancel arriving during the first piece stops before the second. */
    fake.calls = 0;
    fake.cancel_from_inside = t;
    req = make_req(0x2A, 10, SCSI_DIR_OUT, data, sizeof(data));
    set_be(req.cdb + 7, 2, 100);
    enum transport_result r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_ERR_CANCELLED && fake.calls == 1 && req.resid == sizeof(data) - 27 * CD_SECTOR_SIZE,
       "cancel between pieces: %s, %d calls, resid %u\n", transport_result_name(r), fake.calls, req.resid);
    scsi_transport_reset_cancel(t);

    /* A driver that aborts the request in flight. */
    fake.calls = 0;
    fake.fail_error = ERROR_OPERATION_ABORTED;
    req = make_req(0x00, 6, SCSI_DIR_NONE, NULL, 0);
    ok(scsi_transport_execute(t, &req) == TRANSPORT_ERR_CANCELLED, "aborted in flight\n");
    fake.cancel_from_inside = NULL;
    scsi_transport_close(t);
}

static void test_unique_id(void)
{
    uint8_t inq[36];
    memset(inq, 0, sizeof(inq));
    inq[0] = 5;
    memcpy(inq + 8, "HL-DT-ST", 8);
    memcpy(inq + 16, "DVDRAM GH24NSD1 ", 16);
    memcpy(inq + 32, "LG00", 4);
    WCHAR id[SPTI_ID_MAX];
    size_t n = spti_format_unique_id(id, SPTI_ID_MAX, inq, sizeof(inq), L"imapi2&cdrom0");
    static const WCHAR want[] =
        L"\\\\?\\scsi#cdrom&ven_hl-dt-st&prod_dvdram_gh24nsd1&rev_lg00#imapi2&cdrom0#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}";
    ok(n == wcslen(want) && wcscmp(id, want) == 0, "id %ls\n", id);
    memcpy(inq + 8, "A#B&C   ", 8);
    n = spti_format_unique_id(id, SPTI_ID_MAX, inq, sizeof(inq), L"x");
    ok(n > 0 && wcsstr(id, L"ven_a_b_c&prod_") != NULL, "separators replaced: %ls\n", id);
    n = spti_format_unique_id(id, SPTI_ID_MAX, NULL, 0, L"imapi2&drive_e");
    ok(n > 0 && wcsstr(id, L"ven_unknown&prod_unknown&rev_0000#imapi2&drive_e#") != NULL, "unknown: %ls\n", id);
    ok(spti_format_unique_id(id, 20, inq, sizeof(inq), L"x") == 0 && id[0] == 0, "too small\n");
}

/* ------------------------------------------------------------ part 2 */

static void probe_ioctls(const struct spti_drive *d)
{
    HANDLE h = CreateFileW(d->path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) {
        printf("spti: %ls: reopen failed, error %lu\n", d->path, GetLastError());
        return;
    }
    STORAGE_PROPERTY_QUERY q = { StorageAdapterProperty, PropertyStandardQuery, { 0 } };
    STORAGE_ADAPTER_DESCRIPTOR ad;
    DWORD got = 0;
    memset(&ad, 0, sizeof(ad));
    BOOL b = DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof(q), &ad, sizeof(ad), &got, NULL);
    printf("spti: %ls: StorageAdapterProperty -> %d (error %lu), %lu bytes, max %lu pages %lu mask %#lx\n", d->path,
           b, b ? 0 : GetLastError(), got, ad.MaximumTransferLength, ad.MaximumPhysicalPages, ad.AlignmentMask);
    IO_SCSI_CAPABILITIES caps;
    memset(&caps, 0, sizeof(caps));
    got = 0;
    b = DeviceIoControl(h, IOCTL_SCSI_GET_CAPABILITIES, NULL, 0, &caps, sizeof(caps), &got, NULL);
    printf("spti: %ls: SCSI_GET_CAPABILITIES -> %d (error %lu), %lu bytes, max %lu pages %lu mask %#lx\n", d->path,
           b, b ? 0 : GetLastError(), got, caps.MaximumTransferLength, caps.MaximumPhysicalPages,
           caps.AlignmentMask);

    /* Raw pass-through shapes a driver must refuse. */
    struct {
        SCSI_PASS_THROUGH_DIRECT s;
        UCHAR sense[32];
    } blk;
    memset(&blk, 0, sizeof(blk));
    blk.s.Length = sizeof(blk.s);
    blk.s.CdbLength = 17;
    blk.s.SenseInfoLength = 32;
    blk.s.SenseInfoOffset = offsetof(__typeof__(blk), sense);
    blk.s.DataIn = SCSI_IOCTL_DATA_UNSPECIFIED;
    blk.s.TimeOutValue = 5;
    b = DeviceIoControl(h, IOCTL_SCSI_PASS_THROUGH_DIRECT, &blk, sizeof(blk), &blk, sizeof(blk), &got, NULL);
    DWORD err = b ? 0 : GetLastError();
    printf("spti: %ls: CdbLength 17 -> %d (error %lu)\n", d->path, b, err);
    ok(!b, "CdbLength 17 is refused (error %lu)\n", err);
    blk.s.CdbLength = 16; /* TEST UNIT READY padded: does a 16-byte CDB get through? */
    b = DeviceIoControl(h, IOCTL_SCSI_PASS_THROUGH_DIRECT, &blk, sizeof(blk), &blk, sizeof(blk), &got, NULL);
    printf("spti: %ls: CdbLength 16 TEST UNIT READY -> %d (error %lu) status %#x sense %u\n", d->path, b,
           b ? 0 : GetLastError(), blk.s.ScsiStatus, blk.s.SenseInfoLength);
    blk.s.CdbLength = 6;
    blk.s.SenseInfoLength = 32;
    b = DeviceIoControl(h, IOCTL_SCSI_PASS_THROUGH_DIRECT, &blk, sizeof(blk), &blk, sizeof(blk), &got, NULL);
    printf("spti: %ls: TEST UNIT READY -> %d (error %lu) status %#x sense %u, %lu bytes back\n", d->path, b,
           b ? 0 : GetLastError(), blk.s.ScsiStatus, blk.s.SenseInfoLength, got);
    STORAGE_DEVICE_NUMBER dn;
    memset(&dn, 0, sizeof(dn));
    b = DeviceIoControl(h, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &dn, sizeof(dn), &got, NULL);
    printf("spti: %ls: STORAGE_GET_DEVICE_NUMBER -> %d (error %lu) type %#lx number %lu\n", d->path, b,
           b ? 0 : GetLastError(), dn.DeviceType, dn.DeviceNumber);
    blk.s.SenseInfoLength = 32;
    blk.s.CdbLength = 6;
    blk.s.DataIn = SCSI_IOCTL_DATA_IN;
    blk.s.DataTransferLength = 36;
    blk.s.DataBuffer = NULL;
    b = DeviceIoControl(h, IOCTL_SCSI_PASS_THROUGH_DIRECT, &blk, sizeof(blk), &blk, sizeof(blk), &got, NULL);
    err = b ? 0 : GetLastError();
    printf("spti: %ls: NULL DataBuffer with 36 bytes -> %d (error %lu)\n", d->path, b, err);
    ok(!b, "NULL DataBuffer is refused (error %lu)\n", err);
    CloseHandle(h);
}

static void probe_drive(const struct spti_drive *d)
{
    printf("spti: drive %ls letter %lc number %ld inquiry %d '%s' '%s' '%s'\n  id %ls\n", d->path,
           (wint_t)(d->letter ? d->letter : '-'), d->device_number, d->inquiry_ok, d->vendor, d->product,
           d->revision, d->unique_id);
    ok(d->unique_id[0] == '\\' && wcsstr(d->unique_id, L"{53f56308-b6bf-11d0-94f2-00a0c91efb8b}") != NULL,
       "unique id shape: %ls\n", d->unique_id);
    struct scsi_transport *t;
    enum transport_result r = spti_open(d->path, &t);
    ok(r == TRANSPORT_OK, "reopen %ls: %s\n", d->path, transport_result_name(r));
    if (r != TRANSPORT_OK)
        return;
    printf("spti: %ls: limits from %s: max_transfer %u alignment_mask %#x\n", d->path, spti_limits_source(t),
           t->max_transfer, t->alignment_mask);
    struct scsi_request req = make_req(0x00, 6, SCSI_DIR_NONE, NULL, 0); /* TEST UNIT READY */
    r = scsi_transport_execute(t, &req);
    printf("spti: %ls: TEST UNIT READY -> %s status %#x sense %u key %x asc %02x ascq %02x\n", d->path,
           transport_result_name(r), req.status, req.sense_len, req.sense[2] & 0xf, req.sense[12], req.sense[13]);
    scsi_transport_close(t);
    probe_ioctls(d);
}

static void probe_environment(void)
{
    DWORD letters = GetLogicalDrives();
    printf("spti: drive letters:");
    for (int i = 0; i < 26; i++) {
        if (!(letters & (1u << i)))
            continue;
        WCHAR root[4] = { (WCHAR)('A' + i), ':', '\\', 0 };
        printf(" %c:=%u", 'A' + i, GetDriveTypeW(root));
    }
    printf("  (5 = DRIVE_CDROM)\n");
    for (int i = 0; i < 26; i++) {
        WCHAR name[3] = { (WCHAR)('A' + i), ':', 0 }, target[256];
        if ((letters & (1u << i)) && QueryDosDeviceW(name, target, 256))
            printf("spti: QueryDosDevice %ls -> %ls\n", name, target);
    }

    struct scsi_transport *t = NULL;
    enum transport_result r = spti_open(L"\\\\.\\CdRom31", &t);
    DWORD err = GetLastError();
    printf("spti: open \\\\.\\CdRom31 -> %s (last error %lu)\n", transport_result_name(r), err);
    if (r == TRANSPORT_OK)
        scsi_transport_close(t);
    else
        ok(r == TRANSPORT_ERR_NO_DEVICE, "a CdRom that is not there: %s\n", transport_result_name(r));

    struct spti_drive drives[8];
    int n = spti_enumerate(drives, 8);
    printf("spti: spti_enumerate found %d drive(s)\n", n);
    ok(n >= 0, "enumerate %d\n", n);
    if (n == 0) {
        skip("no CD-ROM drive visible here (letters with DRIVE_CDROM, \\\\.\\CdRom0-31)\n");
        return;
    }
    for (int i = 0; i < n && i < 8; i++)
        probe_drive(&drives[i]);
}

/* The OS's exclusive access: CDROM_EXCLUSIVE_LOCK {RequestType, Flags,
 * CallerName[64]} to lock, CDROM_EXCLUSIVE_ACCESS {RequestType, Flags} to
 * unlock; ERROR_ACCESS_DENIED means another handle holds the device. */
static void test_exclusive_ioctl(void)
{
    struct scsi_transport *t;
    fake_reset();
    t = open_fake();
    ok(scsi_transport_exclusive(t, 1, "Burner One") == TRANSPORT_LOCK_DONE, "lock\n");
    ok(fake.excl_type == 1 && fake.excl_flags == 0 && fake.excl_size == 8 + 64 && !strcmp(fake.excl_name, "Burner One"),
       "lock request: type %lu flags %lu size %lu name %s\n", fake.excl_type, fake.excl_flags, fake.excl_size,
       fake.excl_name);
    ok(scsi_transport_exclusive(t, 0, NULL) == TRANSPORT_LOCK_DONE, "unlock\n");
    ok(fake.excl_type == 2 && fake.excl_size == 8, "unlock request: type %lu size %lu\n", fake.excl_type,
       fake.excl_size);
    fake.excl_error = ERROR_ACCESS_DENIED;
    ok(scsi_transport_exclusive(t, 1, "Burner Two") == TRANSPORT_LOCK_HELD_ELSEWHERE, "held by another handle\n");
    fake.excl_error = ERROR_INVALID_FUNCTION; /* Wine, or a driver without it */
    ok(scsi_transport_exclusive(t, 1, "Burner Two") == TRANSPORT_LOCK_UNSUPPORTED, "no such IOCTL\n");
    ok(!fake.bad_layout, "bad layout\n");
    scsi_transport_close(t);
}

int main(void)
{
    test_limits();
    test_request_block();
    test_validation();
    test_bounce();
    test_sense_and_errors();
    test_split_write();
    test_split_read();
    test_cancel();
    test_exclusive_ioctl();
    test_unique_id();
    probe_environment();
    return okay_summary("spti");
}
