/* The "spti" transport backend: Windows SCSI pass-through
 * (IOCTL_SCSI_PASS_THROUGH_DIRECT) on \\.\CdRomN or \\.\X:. Under Wine the
 * same calls reach Linux SG_IO through Wine's ntdll (docs/transports.md).
 *
 * Builds standalone: windows.h, winioctl.h, ntddscsi.h and the transport
 * contract only, so PE tests link it without the COM parts of the DLL.
 *
 * Limits (at open): IOCTL_STORAGE_QUERY_PROPERTY(StorageAdapterProperty),
 * else IOCTL_SCSI_GET_CAPABILITIES, else SPTI_FALLBACK_*. max_transfer is
 * capped at SPTI_MAX_TRANSFER_CAP so the bounce buffer stays small.
 *
 * Buffers: a data buffer that misses alignment_mask goes through a private
 * page-aligned bounce buffer (copied in before an OUT, back after an IN).
 *
 * Oversized transfers are split, and requests checked, by
 * scsi_transport_execute() for every backend (libs/transport/transport.c).
 *
 * Cancel: sets a sticky flag and calls CancelIoEx on the handle. A request
 * not yet sent returns TRANSPORT_ERR_CANCELLED (so a split request stops
 * between pieces); a piece already at the device finishes unless the driver
 * honours the cancel (ERROR_OPERATION_ABORTED, reported as cancelled). */
#ifndef IMAPI2_SPTI_WIN_H
#define IMAPI2_SPTI_WIN_H

#include <windows.h>

#include "transport/transport.h"

#define SPTI_FALLBACK_MAX_TRANSFER (64u * 1024u)
#define SPTI_FALLBACK_ALIGNMENT_MASK 4095u /* page: safe for any adapter */
#define SPTI_MAX_TRANSFER_CAP (1024u * 1024u)
#define SPTI_DEFAULT_TIMEOUT_S 60u /* for timeout_ms == 0 */

/* The DeviceIoControl-shaped call every IOCTL of a transport goes through.
 * Tests put a fake device here; everyone else passes NULL (DeviceIoControl). */
typedef BOOL(WINAPI *spti_ioctl_fn)(HANDLE device, DWORD code, void *in, DWORD in_size, void *out,
                                    DWORD out_size, DWORD *returned, OVERLAPPED *overlapped);

/* Opens path (L"\\\\.\\CdRom0", L"\\\\.\\E:") read/write, shared, falling back
 * to read-only access when write access is denied. Returns TRANSPORT_OK and
 * *out, or the mapped CreateFileW error (spti_map_error): NO_DEVICE for a
 * drive or device that is not there. */
enum transport_result spti_open(const WCHAR *path, struct scsi_transport **out);

/* Wraps an open handle; ioctl NULL means DeviceIoControl. With own_handle
 * the transport closes the handle on close. Queries the limits. */
enum transport_result spti_open_handle(HANDLE handle, spti_ioctl_fn ioctl, BOOL own_handle,
                                       struct scsi_transport **out);

/* Where the limits of an spti transport came from: "adapter",
 * "capabilities" or "fallback" (NULL for other backends). */
const char *spti_limits_source(struct scsi_transport *t);

/* A Win32 error from CreateFileW/DeviceIoControl as a transport result.
 * ERROR_OPERATION_ABORTED counts as cancelled only when a cancel was asked. */
enum transport_result spti_map_error(DWORD error, BOOL cancel_requested);

/* One CD/DVD drive found by spti_enumerate(). */
#define SPTI_ID_MAX 200
struct spti_drive {
    WCHAR path[16];        /* L"\\\\.\\E:" or L"\\\\.\\CdRom0": give to spti_open */
    WCHAR letter;          /* L'E', or 0 when found only as CdRomN */
    LONG device_number;    /* N of \\.\CdRomN, -1 when the system does not say */
    BOOL inquiry_ok;       /* vendor/product/revision came from INQUIRY */
    char vendor[9], product[17], revision[5];
    WCHAR unique_id[SPTI_ID_MAX];
};

/* Drive letters whose GetDriveTypeW is DRIVE_CDROM, then \\.\CdRom0..31
 * that open and are not already listed under a letter (matched by
 * IOCTL_STORAGE_GET_DEVICE_NUMBER). Fills up to max entries and returns how
 * many there are. Sends INQUIRY to each drive.
 *
 * unique_id is shaped like the CD-ROM device interface path
 *   \\?\scsi#cdrom&ven_V&prod_P&rev_R#imapi2&cdromN#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}
 * (instance part "imapi2&drive_E" when there is no device number). It is
 * stable while the drive keeps its CdRom number (or letter) and INQUIRY
 * strings: adding a drive in front of it renumbers it, and it is not
 * Windows' own PnP instance path (that needs SetupAPI). */
int spti_enumerate(struct spti_drive *out, int max);

/* Builds unique_id from INQUIRY data (>= 36 bytes, or NULL for unknown) and
 * an instance string; returns the length written, 0 if it does not fit. */
size_t spti_format_unique_id(WCHAR *out, size_t out_len, const uint8_t *inquiry, size_t inquiry_len,
                             const WCHAR *instance);

#endif
