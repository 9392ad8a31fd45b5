/* Windows SPTI backend. The contract and its choices (limits, bouncing,
 * splitting, cancel) are described in spti_win.h. */
#include "spti_win.h"

#include <winioctl.h>
#include <ntddscsi.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The IOCTL numbers are ABI: pin them (mmc-raw-dao.md, Transports). */
_Static_assert(IOCTL_SCSI_PASS_THROUGH_DIRECT == 0x4D014, "IOCTL_SCSI_PASS_THROUGH_DIRECT");
_Static_assert(IOCTL_SCSI_GET_CAPABILITIES == 0x41010, "IOCTL_SCSI_GET_CAPABILITIES");
_Static_assert(IOCTL_STORAGE_QUERY_PROPERTY == 0x2D1400, "IOCTL_STORAGE_QUERY_PROPERTY");
_Static_assert(IOCTL_STORAGE_GET_DEVICE_NUMBER == 0x2D1080, "IOCTL_STORAGE_GET_DEVICE_NUMBER");
/* The layout the driver reads: 44 bytes on 32-bit, 56 on 64-bit Windows. */
_Static_assert(sizeof(SCSI_PASS_THROUGH_DIRECT) == (sizeof(void *) == 8 ? 56 : 44), "SPTD size");
_Static_assert(offsetof(SCSI_PASS_THROUGH_DIRECT, Cdb) == (sizeof(void *) == 8 ? 36 : 28), "SPTD Cdb");

#ifndef ERROR_NO_SUCH_DEVICE
#define ERROR_NO_SUCH_DEVICE 433 /* winerror.h value; older mingw headers lack it */
#endif

/* The request block: the sense buffer follows the SPTD in one allocation,
 * found by the driver through SenseInfoOffset. */
struct spti_block {
    SCSI_PASS_THROUGH_DIRECT sptd;
    UCHAR sense[SCSI_SENSE_MAX];
};

struct spti_transport {
    struct scsi_transport base; /* first: the contract's object */
    HANDLE handle;
    BOOL own_handle;
    spti_ioctl_fn ioctl;
    volatile LONG cancelled;
    const char *limits_source;
    uint8_t *bounce; /* max_transfer bytes, page aligned, made on first use */
};

static const struct scsi_transport_ops spti_ops;

static struct spti_transport *impl_from_transport(struct scsi_transport *t)
{
    return (struct spti_transport *)t;
}

static BOOL is_cancelled(struct spti_transport *st)
{
    return InterlockedCompareExchange(&st->cancelled, 0, 0) != 0;
}

/* ------------------------------------------------------------ errors */

static const struct {
    DWORD error;
    enum transport_result result;
} spti_errors[] = {
    { ERROR_FILE_NOT_FOUND, TRANSPORT_ERR_NO_DEVICE },
    { ERROR_PATH_NOT_FOUND, TRANSPORT_ERR_NO_DEVICE },
    { ERROR_INVALID_DRIVE, TRANSPORT_ERR_NO_DEVICE },
    { ERROR_BAD_UNIT, TRANSPORT_ERR_NO_DEVICE },
    { ERROR_NOT_READY, TRANSPORT_ERR_NO_DEVICE },
    { ERROR_DEV_NOT_EXIST, TRANSPORT_ERR_NO_DEVICE },
    { ERROR_NO_SUCH_DEVICE, TRANSPORT_ERR_NO_DEVICE },
    { ERROR_DEVICE_NOT_CONNECTED, TRANSPORT_ERR_NO_DEVICE },
    { ERROR_DEVICE_REMOVED, TRANSPORT_ERR_NO_DEVICE },
    { ERROR_SEM_TIMEOUT, TRANSPORT_ERR_TIMEOUT }, /* what SPTI reports for a timed-out CDB */
    { ERROR_TIMEOUT, TRANSPORT_ERR_TIMEOUT },
    { ERROR_NOT_ENOUGH_MEMORY, TRANSPORT_ERR_NO_MEMORY },
    { ERROR_OUTOFMEMORY, TRANSPORT_ERR_NO_MEMORY },
    { ERROR_NO_SYSTEM_RESOURCES, TRANSPORT_ERR_NO_MEMORY },
    { ERROR_INVALID_PARAMETER, TRANSPORT_ERR_INVALID }, /* the driver refused the request's shape */
    { ERROR_INVALID_USER_BUFFER, TRANSPORT_ERR_INVALID },
    { ERROR_BAD_LENGTH, TRANSPORT_ERR_INVALID },
};

enum transport_result spti_map_error(DWORD error, BOOL cancel_requested)
{
    if (error == ERROR_OPERATION_ABORTED)
        return cancel_requested ? TRANSPORT_ERR_CANCELLED : TRANSPORT_ERR_IO;
    for (size_t i = 0; i < sizeof(spti_errors) / sizeof(spti_errors[0]); i++)
        if (spti_errors[i].error == error)
            return spti_errors[i].result;
    return TRANSPORT_ERR_IO; /* ERROR_IO_DEVICE, ERROR_GEN_FAILURE, ERROR_ACCESS_DENIED, ... */
}

/* ------------------------------------------------------------ limits */

static DWORD page_size(void)
{
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwPageSize ? si.dwPageSize : 4096;
}

/* An alignment mask must be 2^n - 1. A lone power of two is read as an
 * alignment that was reported where the mask belongs (Wine's emulated
 * IOCTL_SCSI_GET_CAPABILITIES says page size, see docs/transports.md);
 * anything else is widened to the next mask. */
static DWORD normalize_mask(DWORD v)
{
    if ((v & (v + 1)) == 0)
        return v;
    if ((v & (v - 1)) == 0)
        return v - 1;
    for (int s = 1; s < 32; s <<= 1)
        v |= v >> s;
    return v;
}

/* Turns an adapter's report into usable limits; FALSE when it is useless.
 * A buffer that is only mask-aligned may straddle one page more than its
 * length suggests, hence pages - 1. */
static BOOL apply_limits(struct spti_transport *st, DWORD max, DWORD pages, DWORD mask)
{
    DWORD page = page_size();
    mask = normalize_mask(mask);
    if (max < 4096 || mask >= page)
        return FALSE; /* our bounce buffer is only page aligned */
    if (pages > 1 && (pages - 1) <= SPTI_MAX_TRANSFER_CAP / page && (pages - 1) * page < max)
        max = (pages - 1) * page;
    st->base.max_transfer = max < SPTI_MAX_TRANSFER_CAP ? max : SPTI_MAX_TRANSFER_CAP;
    st->base.alignment_mask = mask;
    return TRUE;
}

static BOOL query_adapter(struct spti_transport *st)
{
    STORAGE_PROPERTY_QUERY q;
    STORAGE_ADAPTER_DESCRIPTOR d;
    DWORD got = 0;
    memset(&q, 0, sizeof(q));
    memset(&d, 0, sizeof(d));
    q.PropertyId = StorageAdapterProperty;
    q.QueryType = PropertyStandardQuery;
    if (!st->ioctl(st->handle, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof(q), &d, sizeof(d), &got, NULL))
        return FALSE;
    /* "Success" with too few bytes has been seen from emulations: not an answer. */
    if (got < offsetof(STORAGE_ADAPTER_DESCRIPTOR, AlignmentMask) + sizeof(d.AlignmentMask))
        return FALSE;
    return apply_limits(st, d.MaximumTransferLength, d.MaximumPhysicalPages, d.AlignmentMask);
}

static BOOL query_capabilities(struct spti_transport *st)
{
    IO_SCSI_CAPABILITIES c;
    DWORD got = 0;
    memset(&c, 0, sizeof(c));
    if (!st->ioctl(st->handle, IOCTL_SCSI_GET_CAPABILITIES, NULL, 0, &c, sizeof(c), &got, NULL))
        return FALSE;
    if (got < offsetof(IO_SCSI_CAPABILITIES, AlignmentMask) + sizeof(c.AlignmentMask))
        return FALSE;
    return apply_limits(st, c.MaximumTransferLength, c.MaximumPhysicalPages, c.AlignmentMask);
}

static void query_limits(struct spti_transport *st)
{
    if (query_adapter(st)) {
        st->limits_source = "adapter";
    } else if (query_capabilities(st)) {
        st->limits_source = "capabilities";
    } else {
        st->base.max_transfer = SPTI_FALLBACK_MAX_TRANSFER;
        st->base.alignment_mask = SPTI_FALLBACK_ALIGNMENT_MASK;
        st->limits_source = "fallback";
    }
}

const char *spti_limits_source(struct scsi_transport *t)
{
    return t && t->ops == &spti_ops ? impl_from_transport(t)->limits_source : NULL;
}

/* ------------------------------------------------------------ one command */

struct spti_command {
    const uint8_t *cdb;
    uint8_t cdb_len;
    enum scsi_direction dir;
    uint8_t *buf;
    uint32_t len;
    uint32_t timeout_ms;
};

static ULONG timeout_seconds(uint32_t ms)
{
    if (ms == 0)
        return SPTI_DEFAULT_TIMEOUT_S;
    return ms / 1000 + (ms % 1000 != 0); /* never shorter than asked */
}

static UCHAR data_in_code(const struct spti_command *c)
{
    if (c->len == 0)
        return SCSI_IOCTL_DATA_UNSPECIFIED;
    return c->dir == SCSI_DIR_IN ? SCSI_IOCTL_DATA_IN : SCSI_IOCTL_DATA_OUT;
}

/* The buffer the device will see: the caller's when aligned, else ours. */
static uint8_t *device_buffer(struct spti_transport *st, const struct spti_command *c)
{
    if (c->len == 0)
        return NULL;
    if (((uintptr_t)c->buf & st->base.alignment_mask) == 0)
        return c->buf;
    if (!st->bounce)
        st->bounce = VirtualAlloc(NULL, st->base.max_transfer, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    if (st->bounce && c->dir == SCSI_DIR_OUT)
        memcpy(st->bounce, c->buf, c->len);
    return st->bounce;
}

/* Sends one CDB (len <= max_transfer). On TRANSPORT_OK fills status, sense
 * and *transferred. */
static enum transport_result send_one(struct spti_transport *st, const struct spti_command *c,
                                      struct scsi_request *out, uint32_t *transferred)
{
    struct spti_block blk;
    DWORD got = 0;
    *transferred = 0;
    uint8_t *dev_buf = device_buffer(st, c);
    if (c->len > 0 && !dev_buf)
        return TRANSPORT_ERR_NO_MEMORY;

    memset(&blk, 0, sizeof(blk));
    blk.sptd.Length = sizeof(blk.sptd);
    blk.sptd.CdbLength = c->cdb_len;
    blk.sptd.SenseInfoLength = sizeof(blk.sense);
    blk.sptd.DataIn = data_in_code(c);
    blk.sptd.DataTransferLength = c->len;
    blk.sptd.TimeOutValue = timeout_seconds(c->timeout_ms);
    blk.sptd.DataBuffer = dev_buf;
    blk.sptd.SenseInfoOffset = offsetof(struct spti_block, sense);
    memcpy(blk.sptd.Cdb, c->cdb, c->cdb_len);

    if (!st->ioctl(st->handle, IOCTL_SCSI_PASS_THROUGH_DIRECT, &blk, sizeof(blk), &blk, sizeof(blk), &got, NULL))
        return spti_map_error(GetLastError(), is_cancelled(st));

    uint32_t done = blk.sptd.DataTransferLength <= c->len ? blk.sptd.DataTransferLength : c->len;
    if (dev_buf && dev_buf != c->buf && c->dir == SCSI_DIR_IN)
        memcpy(c->buf, dev_buf, done);
    out->status = blk.sptd.ScsiStatus;
    out->sense_len = blk.sptd.SenseInfoLength < sizeof(blk.sense) ? blk.sptd.SenseInfoLength : sizeof(blk.sense);
    memcpy(out->sense, blk.sense, out->sense_len);
    *transferred = done;
    return TRANSPORT_OK;
}

/* ------------------------------------------------------------ contract */

static enum transport_result spti_execute(struct scsi_transport *t, struct scsi_request *req)
{
    struct spti_transport *st = impl_from_transport(t);
    enum transport_result r;
    /* Checked and split to max_transfer by scsi_transport_execute(). */
    if (is_cancelled(st))
        return TRANSPORT_ERR_CANCELLED;
    struct spti_command c = { req->cdb, req->cdb_len, req->dir, req->buf, req->len, req->timeout_ms };
    uint32_t got;
    r = send_one(st, &c, req, &got);
    if (r == TRANSPORT_OK)
        req->resid = req->len - got;
    return r;
}

static void spti_cancel(struct scsi_transport *t)
{
    struct spti_transport *st = impl_from_transport(t);
    InterlockedExchange(&st->cancelled, 1);
    /* Asks the driver to abort what is in flight; most cannot for a
     * pass-through that already reached the drive, and that is fine. */
    if (st->ioctl == DeviceIoControl)
        CancelIoEx(st->handle, NULL);
}

static void spti_reset_cancel(struct scsi_transport *t)
{
    InterlockedExchange(&impl_from_transport(t)->cancelled, 0);
}

static void spti_close(struct scsi_transport *t)
{
    struct spti_transport *st = impl_from_transport(t);
    if (st->bounce)
        VirtualFree(st->bounce, 0, MEM_RELEASE);
    if (st->own_handle)
        CloseHandle(st->handle);
    free(st);
}

/* IOCTL_CDROM_EXCLUSIVE_ACCESS (ntddcdrm.h; not in MinGW's headers): the
 * class driver then fails every other handle's requests. */
#define SPTI_IOCTL_CDROM_EXCLUSIVE_ACCESS 0x0002C05Cu
enum { SPTI_EXCLUSIVE_LOCK = 1, SPTI_EXCLUSIVE_UNLOCK = 2 }; /* EXCLUSIVE_ACCESS_REQUEST_TYPE */
struct spti_exclusive_lock {
    DWORD request_type;
    DWORD flags;
    UCHAR caller_name[64]; /* CDROM_EXCLUSIVE_CALLER_LENGTH, NUL-terminated */
};

static enum transport_lock spti_exclusive(struct scsi_transport *t, int lock, const char *client)
{
    struct spti_transport *st = impl_from_transport(t);
    struct spti_exclusive_lock req = { lock ? SPTI_EXCLUSIVE_LOCK : SPTI_EXCLUSIVE_UNLOCK, 0, { 0 } };
    DWORD returned = 0, size = lock ? sizeof(req) : offsetof(struct spti_exclusive_lock, caller_name);
    if (lock)
        lstrcpynA((char *)req.caller_name, client ? client : "", sizeof(req.caller_name));
    if (st->ioctl(st->handle, SPTI_IOCTL_CDROM_EXCLUSIVE_ACCESS, &req, size, NULL, 0, &returned, NULL))
        return TRANSPORT_LOCK_DONE;
    /* Wine has no such IOCTL, nor has a handle opened read-only: the DLL's own lock still binds. */
    return lock && GetLastError() == ERROR_ACCESS_DENIED ? TRANSPORT_LOCK_HELD_ELSEWHERE : TRANSPORT_LOCK_UNSUPPORTED;
}

static const struct scsi_transport_ops spti_ops = {
    "spti", spti_execute, spti_cancel, spti_reset_cancel, spti_close, spti_exclusive,
};

enum transport_result spti_open_handle(HANDLE handle, spti_ioctl_fn ioctl, BOOL own_handle,
                                       struct scsi_transport **out)
{
    *out = NULL;
    struct spti_transport *st = calloc(1, sizeof(*st));
    if (!st)
        return TRANSPORT_ERR_NO_MEMORY;
    st->base.ops = &spti_ops;
    st->handle = handle;
    st->own_handle = own_handle;
    st->ioctl = ioctl ? ioctl : DeviceIoControl;
    query_limits(st);
    *out = &st->base;
    return TRANSPORT_OK;
}

enum transport_result spti_open(const WCHAR *path, struct scsi_transport **out)
{
    *out = NULL;
    if (!path)
        return TRANSPORT_ERR_INVALID;
    const DWORD share = FILE_SHARE_READ | FILE_SHARE_WRITE;
    HANDLE h = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, share, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE && GetLastError() == ERROR_ACCESS_DENIED)
        h = CreateFileW(path, GENERIC_READ, share, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return spti_map_error(GetLastError(), FALSE);
    enum transport_result r = spti_open_handle(h, NULL, TRUE, out);
    if (r != TRANSPORT_OK)
        CloseHandle(h);
    return r;
}

/* ------------------------------------------------------------ enumeration */

/* INQUIRY text field -> device-ID text: trailing blanks dropped, other
 * blanks and characters that would break the path shape become '_',
 * letters lower-cased (as in Windows interface paths). */
static size_t append_id_field(WCHAR *out, size_t pos, size_t out_len, const uint8_t *p, size_t n)
{
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == 0))
        n--;
    for (size_t i = 0; i < n && pos + 1 < out_len; i++) {
        uint8_t ch = p[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (uint8_t)(ch - 'A' + 'a');
        else if (ch <= ' ' || ch >= 0x7f || ch == '#' || ch == '&' || ch == '\\' || ch == '/')
            ch = '_';
        out[pos++] = ch;
    }
    return pos;
}

static size_t append_text(WCHAR *out, size_t pos, size_t out_len, const WCHAR *s)
{
    while (*s && pos + 1 < out_len)
        out[pos++] = *s++;
    return pos;
}

size_t spti_format_unique_id(WCHAR *out, size_t out_len, const uint8_t *inquiry, size_t inquiry_len,
                             const WCHAR *instance)
{
    /* header, vendor, product, revision: 8 + 8 + 16 + 4 bytes, no NUL */
    static const uint8_t unknown[36] = "        "
                                       "unknown "
                                       "unknown         "
                                       "0000";
    if (!inquiry || inquiry_len < 36)
        inquiry = unknown;
    size_t pos = 0;
    pos = append_text(out, pos, out_len, L"\\\\?\\scsi#cdrom&ven_");
    pos = append_id_field(out, pos, out_len, inquiry + 8, 8);
    pos = append_text(out, pos, out_len, L"&prod_");
    pos = append_id_field(out, pos, out_len, inquiry + 16, 16);
    pos = append_text(out, pos, out_len, L"&rev_");
    pos = append_id_field(out, pos, out_len, inquiry + 32, 4);
    pos = append_text(out, pos, out_len, L"#");
    pos = append_text(out, pos, out_len, instance);
    pos = append_text(out, pos, out_len, L"#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}");
    if (pos + 1 >= out_len) {
        if (out_len)
            out[0] = 0;
        return 0; /* truncated: an ID that is cut short is no ID */
    }
    out[pos] = 0;
    return pos;
}

static LONG device_number_of(struct scsi_transport *t)
{
    struct spti_transport *st = impl_from_transport(t);
    STORAGE_DEVICE_NUMBER dn;
    DWORD got = 0;
    memset(&dn, 0, sizeof(dn));
    if (!st->ioctl(st->handle, IOCTL_STORAGE_GET_DEVICE_NUMBER, NULL, 0, &dn, sizeof(dn), &got, NULL) ||
        got < sizeof(dn) || dn.DeviceType != FILE_DEVICE_CD_ROM)
        return -1;
    return (LONG)dn.DeviceNumber;
}

static void copy_field(char *dst, const uint8_t *src, size_t n)
{
    memcpy(dst, src, n);
    while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == 0))
        n--;
    dst[n] = 0;
}

/* Fills everything but path/letter from an open drive; known_number is
 * used when the drive does not tell its number itself. */
static void describe_drive(struct spti_drive *d, struct scsi_transport *t, LONG known_number)
{
    uint8_t inq[36];
    struct scsi_request req;
    memset(inq, 0, sizeof(inq));
    memset(&req, 0, sizeof(req));
    req.cdb[0] = 0x12; /* INQUIRY, standard data */
    req.cdb[4] = sizeof(inq);
    req.cdb_len = 6;
    req.dir = SCSI_DIR_IN;
    req.buf = inq;
    req.len = sizeof(inq);
    req.timeout_ms = 5000;
    d->device_number = device_number_of(t);
    if (d->device_number < 0)
        d->device_number = known_number;
    d->inquiry_ok = scsi_transport_execute(t, &req) == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD &&
                    req.resid <= sizeof(inq) - 36;
    if (d->inquiry_ok) {
        copy_field(d->vendor, inq + 8, 8);
        copy_field(d->product, inq + 16, 16);
        copy_field(d->revision, inq + 32, 4);
    }
    WCHAR instance[32];
    if (d->device_number >= 0)
        swprintf(instance, 32, L"imapi2&cdrom%ld", d->device_number);
    else
        swprintf(instance, 32, L"imapi2&drive_%lc", (wint_t)(d->letter ? d->letter + 'a' - 'A' : '0'));
    spti_format_unique_id(d->unique_id, SPTI_ID_MAX, d->inquiry_ok ? inq : NULL, sizeof(inq), instance);
}

/* Opens path and appends it to out[] (counting past max); returns 1 if it
 * opened. */
static int add_drive(struct spti_drive *out, int max, int *count, const WCHAR *path, WCHAR letter,
                     LONG known_number, LONG *number_out)
{
    struct scsi_transport *t;
    if (spti_open(path, &t) != TRANSPORT_OK)
        return 0;
    struct spti_drive d;
    memset(&d, 0, sizeof(d));
    wcsncpy(d.path, path, sizeof(d.path) / sizeof(d.path[0]) - 1);
    d.letter = letter;
    describe_drive(&d, t, known_number); /* known: from the CdRomN name or the letter's target */
    scsi_transport_close(t);
    *number_out = d.device_number;
    if (*count < max)
        out[*count] = d;
    (*count)++;
    return 1;
}

/* The N of the \Device\CdRomN a drive letter points at, -1 if it points
 * elsewhere. Used when IOCTL_STORAGE_GET_DEVICE_NUMBER is not answered
 * (Wine 8 on a drive letter), so the letter and \\.\CdRomN are not listed
 * twice. */
static LONG letter_cdrom_number(WCHAR letter)
{
    WCHAR name[3] = { letter, ':', 0 }, target[512];
    unsigned n;
    if (!QueryDosDeviceW(name, target, sizeof(target) / sizeof(target[0])))
        return -1;
    if (swscanf(target, L"\\Device\\CdRom%u", &n) != 1 || n > 31)
        return -1;
    return (LONG)n;
}

int spti_enumerate(struct spti_drive *out, int max)
{
    int count = 0;
    DWORD seen_numbers = 0; /* bit N: \\.\CdRomN already listed under a letter */
    DWORD letters = GetLogicalDrives();
    for (int i = 0; i < 26; i++) {
        WCHAR root[4] = { (WCHAR)('A' + i), ':', '\\', 0 };
        if (!(letters & (1u << i)) || GetDriveTypeW(root) != DRIVE_CDROM)
            continue;
        WCHAR path[8] = { '\\', '\\', '.', '\\', (WCHAR)('A' + i), ':', 0 };
        LONG n = -1;
        if (add_drive(out, max, &count, path, root[0], letter_cdrom_number(root[0]), &n) && n >= 0 && n < 32)
            seen_numbers |= 1u << n;
    }
    for (int n = 0; n < 32; n++) {
        if (seen_numbers & (1u << n))
            continue;
        WCHAR path[16];
        swprintf(path, 16, L"\\\\.\\CdRom%d", n);
        LONG got;
        add_drive(out, max, &count, path, 0, n, &got);
    }
    return count;
}
