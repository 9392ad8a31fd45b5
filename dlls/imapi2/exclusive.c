#include <stdio.h>
#include <wchar.h>
#include "imapi2_private.h"
#include "exclusive.h"

/* Owner text lives at the start of the file; the lock sits far beyond it so
 * that others can still read who holds the device. */
#define LOCK_OFFSET 0x40000000u
#define OWNER_BYTES 256

struct exclusive_lock {
    HANDLE file;
};

BOOL exclusive_client_name_valid(const WCHAR *name)
{
    size_t len;
    if (!name || !name[0])
        return FALSE;
    len = wcslen(name);
    if (len > EXCLUSIVE_CLIENT_MAX)
        return FALSE;
    for (size_t i = 0; i < len; i++) {
        WCHAR c = name[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            continue;
        if (!wcschr(L" .,:;-_", c))
            return FALSE;
    }
    return TRUE;
}

/* A stable file name per device: FNV-1a of the unique id. */
static HRESULT lock_path(const WCHAR *unique_id, WCHAR *path, DWORD len)
{
    WCHAR dir[MAX_PATH];
    UINT32 hash = 2166136261u;
    DWORD n = GetEnvironmentVariableW(L"ProgramData", dir, ARRAYSIZE(dir));
    if (!n || n >= ARRAYSIZE(dir)) {
        n = GetTempPathW(ARRAYSIZE(dir), dir);
        if (!n || n >= ARRAYSIZE(dir))
            return E_FAIL;
    }
    for (const WCHAR *p = unique_id; *p; p++) {
        WCHAR c = (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p;
        hash = (hash ^ c) * 16777619u;
    }
    swprintf(path, len, L"%ls\\imapi2-open", dir);
    CreateDirectoryW(path, NULL);
    swprintf(path, len, L"%ls\\imapi2-open\\lock-%08x", dir, (unsigned)hash);
    return S_OK;
}

static HANDLE open_lock_file(const WCHAR *unique_id)
{
    WCHAR path[MAX_PATH + 64];
    if (FAILED(lock_path(unique_id, path, ARRAYSIZE(path))))
        return INVALID_HANDLE_VALUE;
    return CreateFileW(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
}

static BOOL write_owner(HANDLE file, const WCHAR *client)
{
    char text[OWNER_BYTES] = { 0 };
    OVERLAPPED at = { 0 };
    DWORD written;
    WideCharToMultiByte(CP_UTF8, 0, client, -1, text, sizeof(text) - 1, NULL, NULL);
    return WriteFile(file, text, sizeof(text), &written, &at) && written == sizeof(text);
}

HRESULT exclusive_acquire(const WCHAR *unique_id, const WCHAR *client, struct exclusive_lock **out)
{
    OVERLAPPED at = { 0 };
    struct exclusive_lock *lock;
    HANDLE file;

    *out = NULL;
    if (!exclusive_client_name_valid(client))
        return E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID;
    file = open_lock_file(unique_id);
    if (file == INVALID_HANDLE_VALUE)
        return HRESULT_FROM_WIN32(GetLastError());
    at.Offset = LOCK_OFFSET;
    if (!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &at)) {
        DWORD error = GetLastError();
        CloseHandle(file);
        if (error == ERROR_LOCK_VIOLATION || error == ERROR_IO_PENDING || error == ERROR_SHARING_VIOLATION)
            return E_IMAPI_RECORDER_LOCKED;
        return HRESULT_FROM_WIN32(error);
    }
    if (!write_owner(file, client) || !(lock = HeapAlloc(GetProcessHeap(), 0, sizeof(*lock)))) {
        UnlockFileEx(file, 0, 1, 0, &at);
        CloseHandle(file);
        return E_OUTOFMEMORY;
    }
    lock->file = file;
    *out = lock;
    return S_OK;
}

void exclusive_release(struct exclusive_lock *lock)
{
    OVERLAPPED at = { 0 };
    if (!lock)
        return;
    write_owner(lock->file, L"");
    at.Offset = LOCK_OFFSET;
    UnlockFileEx(lock->file, 0, 1, 0, &at);
    CloseHandle(lock->file);
    HeapFree(GetProcessHeap(), 0, lock);
}

/* Free when we can take the lock ourselves for a moment. */
static BOOL lock_is_free(HANDLE file)
{
    OVERLAPPED at = { 0 };
    at.Offset = LOCK_OFFSET;
    if (!LockFileEx(file, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &at))
        return FALSE;
    UnlockFileEx(file, 0, 1, 0, &at);
    return TRUE;
}

BOOL exclusive_held(const WCHAR *unique_id)
{
    HANDLE file = open_lock_file(unique_id);
    BOOL held;
    if (file == INVALID_HANDLE_VALUE)
        return FALSE; /* no lock file can be made: nobody can hold one either */
    held = !lock_is_free(file);
    CloseHandle(file);
    return held;
}

HRESULT exclusive_owner(const WCHAR *unique_id, WCHAR *owner, DWORD owner_len)
{
    char text[OWNER_BYTES + 1] = { 0 };
    OVERLAPPED at = { 0 };
    DWORD read = 0;
    HANDLE file = open_lock_file(unique_id);
    owner[0] = 0;
    if (file == INVALID_HANDLE_VALUE)
        return HRESULT_FROM_WIN32(GetLastError());
    /* Free: nobody owns it, whatever text is left. */
    if (lock_is_free(file)) {
        CloseHandle(file);
        return S_OK;
    }
    ReadFile(file, text, OWNER_BYTES, &read, &at);
    CloseHandle(file);
    MultiByteToWideChar(CP_UTF8, 0, text, -1, owner, owner_len);
    owner[owner_len - 1] = 0;
    return S_OK;
}
