/* The "sgio" transport backend: Linux SG_IO on /dev/srN or /dev/sgN.
 *
 * Only Linux has a body; elsewhere (the MinGW builds of libs/) sgio_open()
 * answers TRANSPORT_ERR_NO_DEVICE and sgio_enumerate() finds nothing, so
 * callers need no #ifdef.
 *
 * Cancel: SG_IO is one blocking ioctl that cannot be interrupted from
 * user space (on /dev/srN the kernel waits for the command; a signal
 * on /dev/sgN would orphan it, which is worse). scsi_transport_cancel()
 * therefore sets a sticky flag: an execute() that starts after it returns
 * TRANSPORT_ERR_CANCELLED without touching the device; one already inside
 * the ioctl finishes and reports what the device did (a WRITE that reached
 * the drive is never reported as "cancelled"). */
#ifndef IMAPI2_TRANSPORT_SGIO_H
#define IMAPI2_TRANSPORT_SGIO_H

#include "transport/transport.h"

/* Used when the kernel does not tell us (no sysfs queue directory). */
#define SGIO_FALLBACK_MAX_TRANSFER (64u * 1024u)
/* A request with timeout_ms == 0 gets this much. */
#define SGIO_DEFAULT_TIMEOUT_MS TRANSPORT_DEFAULT_TIMEOUT_MS
/* Device paths, as sgio_enumerate() writes them. */
#define SGIO_PATH_MAX 64

/* Opens path (e.g. "/dev/sr0", "/dev/sg1") with O_RDWR|O_NONBLOCK, or
 * O_RDONLY|O_NONBLOCK when write access is refused (then the kernel filters
 * the CDBs it lets through: WRITE-class commands fail with EPERM -> IO).
 * Returns TRANSPORT_OK and *out, or:
 *   TRANSPORT_ERR_NO_DEVICE  no such node / device gone (ENOENT, ENXIO,
 *                            ENODEV, ENOMEDIUM), and always on non-Linux
 *   TRANSPORT_ERR_INVALID    path is not an SG_IO device (regular file,
 *                            /dev/null, ...), or path is NULL/too long
 *   TRANSPORT_ERR_IO         any other open() failure (EACCES, EBUSY, ...)
 *   TRANSPORT_ERR_NO_MEMORY
 * The device's limits go to (*out)->max_transfer and ->alignment_mask. */
enum transport_result sgio_open(const char *path, struct scsi_transport **out);

/* Writes up to max paths of /dev/srN nodes into paths[], ordered by N
 * (sr2 before sr10), and returns how many exist (may exceed max, like
 * snprintf). 0 when there are none, on non-Linux, or when /dev is
 * unreadable. */
int sgio_enumerate(char paths[][SGIO_PATH_MAX], int max);

/* --- pieces exposed so unit tests can drive them without a device;
 *     Linux only, like the code they belong to --- */
#ifdef __linux__

/* sgio_enumerate() over another directory. */
int sgio_enumerate_dir(const char *dir, char paths[][SGIO_PATH_MAX], int max);

/* Wine gives a raw drive a letter with a link "x::" -> its device node in
 * the prefix's dosdevices folder. Returns the letter ('a'..'z') whose link
 * reaches the device major:minor, or 0. */
char sgio_wine_letter(const char *dosdevices_dir, unsigned dev_major, unsigned dev_minor);

/* Reads max_hw_sectors_kb and dma_alignment from a sysfs queue directory
 * (e.g. "/sys/dev/block/11:0/queue"). Each output is changed only when its
 * file holds a usable value; returns how many were read (0..2). */
int sgio_read_queue_limits(const char *queue_dir, uint32_t *max_transfer, uint32_t *alignment_mask);

/* The result of one SG_IO ioctl as a transport result: sys_errno is errno
 * when the ioctl failed (0 when it returned 0); host/driver are the
 * sg_io_hdr host_status and driver_status. Only TRANSPORT_OK means the
 * SCSI status and sense are worth reading. */
enum transport_result sgio_classify(int sys_errno, unsigned host_status, unsigned driver_status);
#endif

#endif
