/* Conformance-test support: virtual recorders made and removed the way a user
 * configures them (a key under HKCU\Software\imapi2-open\VirtualRecorders),
 * with media files in a private temporary folder. Include once per test. */
#ifndef IMAPI2_TEST_VIRTUAL_RECORDERS_H
#define IMAPI2_TEST_VIRTUAL_RECORDERS_H

#include <stdio.h>
#include <wchar.h>
#include <windows.h>

#define TEST_VR_KEY L"Software\\imapi2-open\\VirtualRecorders"

static WCHAR test_vr_dir[MAX_PATH];

/* A folder of this process's own for media files. */
static const WCHAR *test_vr_folder(void)
{
    if (!test_vr_dir[0]) {
        WCHAR tmp[MAX_PATH];
        GetTempPathW(ARRAYSIZE(tmp), tmp);
        swprintf(test_vr_dir, ARRAYSIZE(test_vr_dir), L"%lsimapi2-test-%lu", tmp, GetCurrentProcessId());
        CreateDirectoryW(test_vr_dir, NULL);
    }
    return test_vr_dir;
}

/* Creates (or replaces) virtual recorder `name` with a fresh media file of
 * `kind` ("cdr80", "cdrw", "dvd", "none" ...). extra: optional fault script. */
static BOOL test_vr_add(const WCHAR *name, const WCHAR *kind, const WCHAR *fault_script, BOOL unthrottled)
{
    WCHAR key_path[256], media[MAX_PATH], sectors[MAX_PATH + 16];
    HKEY key;
    DWORD one = unthrottled ? 1 : 0;
    swprintf(key_path, ARRAYSIZE(key_path), TEST_VR_KEY L"\\%ls", name);
    swprintf(media, ARRAYSIZE(media), L"%ls\\%ls.media", test_vr_folder(), name);
    swprintf(sectors, ARRAYSIZE(sectors), L"%ls.sectors", media);
    DeleteFileW(media); /* a fresh disc of the kind asked for */
    DeleteFileW(sectors);
    if (RegCreateKeyExW(HKEY_CURRENT_USER, key_path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL))
        return FALSE;
    RegSetValueExW(key, L"MediaPath", 0, REG_SZ, (const BYTE *)media, (DWORD)(wcslen(media) + 1) * sizeof(WCHAR));
    RegSetValueExW(key, L"MediaKind", 0, REG_SZ, (const BYTE *)kind, (DWORD)(wcslen(kind) + 1) * sizeof(WCHAR));
    RegSetValueExW(key, L"Unthrottled", 0, REG_DWORD, (const BYTE *)&one, sizeof(one));
    if (fault_script)
        RegSetValueExW(key, L"FaultScript", 0, REG_SZ, (const BYTE *)fault_script,
                       (DWORD)(wcslen(fault_script) + 1) * sizeof(WCHAR));
    RegCloseKey(key);
    return TRUE;
}

/* Sets one more DWORD of a recorder's configuration (Speed, RawBlockTypes ...). */
static inline BOOL test_vr_set_dword(const WCHAR *name, const WCHAR *value, DWORD data)
{
    WCHAR key_path[256];
    HKEY key;
    LSTATUS err;
    swprintf(key_path, ARRAYSIZE(key_path), TEST_VR_KEY L"\\%ls", name);
    if (RegOpenKeyExW(HKEY_CURRENT_USER, key_path, 0, KEY_SET_VALUE, &key))
        return FALSE;
    err = RegSetValueExW(key, value, 0, REG_DWORD, (const BYTE *)&data, sizeof(data));
    RegCloseKey(key);
    return err == ERROR_SUCCESS;
}

static BOOL test_vr_remove(const WCHAR *name)
{
    WCHAR key_path[256], media[MAX_PATH], sectors[MAX_PATH + 16];
    swprintf(key_path, ARRAYSIZE(key_path), TEST_VR_KEY L"\\%ls", name);
    BOOL removed = RegDeleteKeyW(HKEY_CURRENT_USER, key_path) == ERROR_SUCCESS;
    swprintf(media, ARRAYSIZE(media), L"%ls\\%ls.media", test_vr_folder(), name);
    swprintf(sectors, ARRAYSIZE(sectors), L"%ls.sectors", media);
    DeleteFileW(media);
    DeleteFileW(sectors);
    return removed;
}

/* Removes every virtual recorder of HKCU (tests start from a known list). */
static void test_vr_remove_all(void)
{
    HKEY key;
    WCHAR name[128];
    if (RegOpenKeyExW(HKEY_CURRENT_USER, TEST_VR_KEY, 0, KEY_ALL_ACCESS, &key))
        return;
    for (;;) {
        DWORD len = ARRAYSIZE(name);
        if (RegEnumKeyExW(key, 0, name, &len, NULL, NULL, NULL, NULL) || !test_vr_remove(name))
            break;
    }
    RegCloseKey(key);
}

/* The unique ID a virtual recorder of this name has. */
static void test_vr_unique_id(const WCHAR *name, WCHAR *out, size_t size)
{
    swprintf(out, size, L"\\\\?\\imapi2virtual#cdrom#%ls#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}", name);
}

#endif
