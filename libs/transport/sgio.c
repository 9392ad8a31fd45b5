/* Linux SG_IO backend. See sgio.h for the contract and the cancel rules. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* O_CLOEXEC, DT_* and strtoul's friends under -std=c11 */
#endif

#include "sgio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <scsi/sg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* sg_io_hdr host_status / driver_status values we act on (Linux
 * include/scsi/scsi_status.h and the sg driver's documentation). */
enum {
    SGIO_DID_OK = 0x00,
    SGIO_DID_NO_CONNECT = 0x01,
    SGIO_DID_TIME_OUT = 0x03,
    SGIO_DID_BAD_TARGET = 0x04,
    SGIO_DRIVER_OK = 0x00,
    SGIO_DRIVER_TIMEOUT = 0x06,
    SGIO_DRIVER_SENSE = 0x08, /* sense is valid: not a failure */
};

/* The sg v3 interface (sg_io_hdr) exists from sg driver 3.0.0 on. */
#define SGIO_MIN_VERSION 30000

struct sgio_transport {
    struct scsi_transport base; /* first: the contract's object */
    int fd;
    dev_t rdev;
    int is_block; /* /dev/srN (block) vs /dev/sgN (char) */
    atomic_bool cancelled;
};

static struct sgio_transport *impl_from_transport(struct scsi_transport *t)
{
    return (struct sgio_transport *)t;
}

enum transport_result sgio_classify(int sys_errno, unsigned host_status, unsigned driver_status)
{
    switch (sys_errno) {
    case 0:
        break;
    case ENODEV:
    case ENXIO:
    case ENOENT:
    case ENOMEDIUM:
        return TRANSPORT_ERR_NO_DEVICE;
    case ETIMEDOUT:
        return TRANSPORT_ERR_TIMEOUT;
    case ENOMEM:
        return TRANSPORT_ERR_NO_MEMORY;
    case EINVAL: /* the kernel refused the request's shape (length, cdb) */
        return TRANSPORT_ERR_INVALID;
    default:
        return TRANSPORT_ERR_IO;
    }
    switch (host_status) {
    case SGIO_DID_OK:
        break;
    case SGIO_DID_NO_CONNECT:
    case SGIO_DID_BAD_TARGET:
        return TRANSPORT_ERR_NO_DEVICE;
    case SGIO_DID_TIME_OUT:
        return TRANSPORT_ERR_TIMEOUT;
    default:
        return TRANSPORT_ERR_IO;
    }
    /* The high nibble holds old "suggestion" bits; only the low one counts. */
    switch (driver_status & 0x0f) {
    case SGIO_DRIVER_OK:
    case SGIO_DRIVER_SENSE:
        return TRANSPORT_OK;
    case SGIO_DRIVER_TIMEOUT:
        return TRANSPORT_ERR_TIMEOUT;
    default:
        return TRANSPORT_ERR_IO;
    }
}

/* Reads one unsigned decimal from a small sysfs file; 0 on success. */
static int read_sysfs_uint(const char *path, unsigned long *value)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[32];
    int rc = -1;
    if (fgets(line, sizeof(line), f)) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(line, &end, 10);
        if (errno == 0 && end != line && (*end == '\n' || *end == '\0'))
            *value = v, rc = 0;
    }
    fclose(f);
    return rc;
}

int sgio_read_queue_limits(const char *queue_dir, uint32_t *max_transfer, uint32_t *alignment_mask)
{
    char path[256];
    unsigned long v;
    int found = 0;
    snprintf(path, sizeof(path), "%s/max_hw_sectors_kb", queue_dir);
    /* Below one 2352-byte sector or beyond 32 bits the value is nonsense. */
    if (read_sysfs_uint(path, &v) == 0 && v >= 4 && v <= UINT32_MAX / 1024) {
        *max_transfer = (uint32_t)(v * 1024);
        found++;
    }
    snprintf(path, sizeof(path), "%s/dma_alignment", queue_dir);
    /* A mask is 2^n - 1; anything else would make the alignment test lie. */
    if (read_sysfs_uint(path, &v) == 0 && v < 65536 && (v & (v + 1)) == 0) {
        *alignment_mask = (uint32_t)v;
        found++;
    }
    return found;
}

/* The queue directory of the block device behind fd: directly for srN,
 * through the SCSI device's "block" child for sgN. */
static int find_queue_dir(const struct sgio_transport *st, char *out, size_t n)
{
    unsigned maj = major(st->rdev), min = minor(st->rdev);
    if (st->is_block) {
        snprintf(out, n, "/sys/dev/block/%u:%u/queue", maj, min);
        return 0;
    }
    char dir[96];
    snprintf(dir, sizeof(dir), "/sys/dev/char/%u:%u/device/block", maj, min);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int rc = -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(out, n, "%s/%.64s/queue", dir, e->d_name);
        rc = 0;
        break;
    }
    closedir(d);
    return rc;
}

static void query_limits(struct sgio_transport *st)
{
    long page = sysconf(_SC_PAGESIZE);
    st->base.max_transfer = SGIO_FALLBACK_MAX_TRANSFER;
    st->base.alignment_mask = page > 0 ? (uint32_t)page - 1 : 4095;
    char queue[192];
    if (find_queue_dir(st, queue, sizeof(queue)) == 0)
        sgio_read_queue_limits(queue, &st->base.max_transfer, &st->base.alignment_mask);
}

/* After an ioctl failure: is the device node's kernel object gone? The
 * sysfs entry vanishes on hot-unplug, which an EIO alone does not tell. */
static int device_gone(const struct sgio_transport *st)
{
    struct stat sb;
    if (stat("/sys/dev", &sb) != 0)
        return 0; /* no sysfs: cannot tell, do not guess */
    char path[64];
    snprintf(path, sizeof(path), "/sys/dev/%s/%u:%u", st->is_block ? "block" : "char", major(st->rdev),
             minor(st->rdev));
    return stat(path, &sb) != 0 && errno == ENOENT;
}

static enum transport_result sgio_execute(struct scsi_transport *t, struct scsi_request *req)
{
    struct sgio_transport *st = impl_from_transport(t);
    /* Checked and split to max_transfer by scsi_transport_execute(): SG_IO on
     * srN fails a transfer beyond the queue limit with a bare EIO. */
    if (atomic_load(&st->cancelled))
        return TRANSPORT_ERR_CANCELLED;

    struct sg_io_hdr hdr;
    memset(&hdr, 0, sizeof(hdr));
    hdr.interface_id = 'S';
    hdr.cmd_len = req->cdb_len;
    hdr.cmdp = req->cdb;
    hdr.mx_sb_len = sizeof(req->sense);
    hdr.sbp = req->sense;
    hdr.timeout = req->timeout_ms ? req->timeout_ms : SGIO_DEFAULT_TIMEOUT_MS;
    hdr.dxfer_len = req->len;
    hdr.dxferp = req->len ? req->buf : NULL;
    if (req->len == 0)
        hdr.dxfer_direction = SG_DXFER_NONE;
    else
        hdr.dxfer_direction = req->dir == SCSI_DIR_IN ? SG_DXFER_FROM_DEV : SG_DXFER_TO_DEV;

    int err = ioctl(st->fd, SG_IO, &hdr) < 0 ? errno : 0;
    if (err == EINTR) /* sg orphaned the command: its outcome is unknown */
        return atomic_load(&st->cancelled) ? TRANSPORT_ERR_CANCELLED : TRANSPORT_ERR_IO;
    enum transport_result r = sgio_classify(err, hdr.host_status, hdr.driver_status);
    if (r == TRANSPORT_ERR_IO && device_gone(st))
        r = TRANSPORT_ERR_NO_DEVICE;
    if (err != 0)
        return r;
    req->status = hdr.status;
    req->sense_len = hdr.sb_len_wr < sizeof(req->sense) ? hdr.sb_len_wr : sizeof(req->sense);
    req->resid = hdr.resid > 0 && (uint32_t)hdr.resid <= req->len ? (uint32_t)hdr.resid : 0;
    return r;
}

static void sgio_cancel(struct scsi_transport *t)
{
    atomic_store(&impl_from_transport(t)->cancelled, true);
}

static void sgio_reset_cancel(struct scsi_transport *t)
{
    atomic_store(&impl_from_transport(t)->cancelled, false);
}

static void sgio_close(struct scsi_transport *t)
{
    struct sgio_transport *st = impl_from_transport(t);
    close(st->fd);
    free(st);
}

static const struct scsi_transport_ops sgio_ops = {
    "sgio", sgio_execute, sgio_cancel, sgio_reset_cancel, sgio_close, NULL,
};

static enum transport_result open_error(int err)
{
    switch (err) {
    case ENOENT:
    case ENXIO:
    case ENODEV:
    case ENOMEDIUM:
        return TRANSPORT_ERR_NO_DEVICE;
    case ENOTDIR:
    case EISDIR:
    case ENAMETOOLONG:
        return TRANSPORT_ERR_INVALID;
    case ENOMEM:
        return TRANSPORT_ERR_NO_MEMORY;
    default:
        return TRANSPORT_ERR_IO;
    }
}

/* Write access first; a read-only node (or a user without write rights)
 * still gets the read commands. */
static int open_device(const char *path)
{
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM))
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    return fd;
}

/* Only character/block nodes whose driver answers the sg v3 version
 * query speak SG_IO; /dev/null and regular files fail here. */
static int is_sgio_device(int fd, struct stat *sb)
{
    if (fstat(fd, sb) != 0 || !(S_ISCHR(sb->st_mode) || S_ISBLK(sb->st_mode)))
        return 0;
    int version = 0;
    return ioctl(fd, SG_GET_VERSION_NUM, &version) == 0 && version >= SGIO_MIN_VERSION;
}

enum transport_result sgio_open(const char *path, struct scsi_transport **out)
{
    *out = NULL;
    if (!path || strlen(path) >= SGIO_PATH_MAX)
        return TRANSPORT_ERR_INVALID;
    int fd = open_device(path);
    if (fd < 0)
        return open_error(errno);
    struct stat sb;
    if (!is_sgio_device(fd, &sb)) {
        close(fd);
        return TRANSPORT_ERR_INVALID;
    }
    struct sgio_transport *st = calloc(1, sizeof(*st));
    if (!st) {
        close(fd);
        return TRANSPORT_ERR_NO_MEMORY;
    }
    st->base.ops = &sgio_ops;
    st->fd = fd;
    st->rdev = sb.st_rdev;
    st->is_block = S_ISBLK(sb.st_mode);
    atomic_init(&st->cancelled, false);
    query_limits(st);
    *out = &st->base;
    return TRANSPORT_OK;
}

/* "srN" with N all digits -> N, else -1. */
static long sr_number(const char *name)
{
    if (strncmp(name, "sr", 2) != 0 || name[2] < '0' || name[2] > '9')
        return -1;
    if (name[2] == '0' && name[3] != '\0') /* "sr01" is not a kernel name */
        return -1;
    char *end;
    long n = strtol(name + 2, &end, 10);
    return *end == '\0' && n < 100000 ? n : -1;
}

static int compare_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

int sgio_enumerate_dir(const char *dir, char paths[][SGIO_PATH_MAX], int max)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    long nums[256];
    int count = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && count < (int)(sizeof(nums) / sizeof(nums[0]));) {
        long n = sr_number(e->d_name);
        if (n >= 0)
            nums[count++] = n;
    }
    closedir(d);
    qsort(nums, (size_t)count, sizeof(nums[0]), compare_long);
    for (int i = 0; i < count && i < max; i++)
        snprintf(paths[i], SGIO_PATH_MAX, "%.40s/sr%ld", dir, nums[i]);
    return count;
}

int sgio_enumerate(char paths[][SGIO_PATH_MAX], int max)
{
    return sgio_enumerate_dir("/dev", paths, max);
}

char sgio_wine_letter(const char *dosdevices_dir, unsigned dev_major, unsigned dev_minor)
{
    char link[320];
    if (!dosdevices_dir || strlen(dosdevices_dir) > sizeof(link) - 8)
        return 0;
    for (char letter = 'a'; letter <= 'z'; letter++) {
        struct stat sb;
        snprintf(link, sizeof(link), "%s/%c::", dosdevices_dir, letter);
        /* stat follows the link: the node's own type and number count. */
        if (stat(link, &sb) == 0 && (S_ISBLK(sb.st_mode) || S_ISCHR(sb.st_mode)) && major(sb.st_rdev) == dev_major &&
            minor(sb.st_rdev) == dev_minor)
            return letter;
    }
    return 0;
}

#else /* !__linux__: no SG_IO here; see sgio.h */

enum transport_result sgio_open(const char *path, struct scsi_transport **out)
{
    (void)path;
    *out = NULL;
    return TRANSPORT_ERR_NO_DEVICE;
}

int sgio_enumerate(char paths[][SGIO_PATH_MAX], int max)
{
    (void)paths;
    (void)max;
    return 0;
}

#endif
