/* Exclusive access to a recorder across threads and processes. */
#ifndef IMAPI2_EXCLUSIVE_H
#define IMAPI2_EXCLUSIVE_H

#include <windows.h>

#define EXCLUSIVE_CLIENT_MAX 63 /* characters; CDROM_EXCLUSIVE_CALLER_LENGTH is 64 with the NUL */

struct exclusive_lock;

/* The character set Windows' exclusive-access IOCTL accepts for a caller name. */
BOOL exclusive_client_name_valid(const WCHAR *name);

/* Takes the device for this process under `client`. Fails with
 * E_IMAPI_RECORDER_LOCKED when another process (or another lock in this one)
 * holds it. The lock is a byte-range lock on a per-device file, so the OS drops
 * it when the owning process dies: a crashed burner never locks a drive. */
HRESULT exclusive_acquire(const WCHAR *unique_id, const WCHAR *client, struct exclusive_lock **out);
void exclusive_release(struct exclusive_lock *lock);
/* TRUE when a lock on the device is held by anyone but the caller's own
 * lock object (another process, or another recorder object of this one). */
BOOL exclusive_held(const WCHAR *unique_id);
/* The current owner's client name, or an empty string when nobody holds it. */
HRESULT exclusive_owner(const WCHAR *unique_id, WCHAR *owner, DWORD owner_len);

#endif
