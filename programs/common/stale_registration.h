/* Shared by the programs (header only: programs/common has no program of its
 * own). A registration whose DLL file is gone -- the tree was moved or
 * deleted after `regsvr32` -- makes CoCreateInstance fail with a code that
 * says nothing useful (Wine answers E_ACCESSDENIED); this finds that case so
 * that the message can name the path and the fix. */
#ifndef IMAPI2_STALE_REGISTRATION_H
#define IMAPI2_STALE_REGISTRATION_H

#include <windows.h>
#include <wchar.h>

/* TRUE when clsid is registered (HKEY_CLASSES_ROOT) to a DLL path that does
 * not exist; the path, as registered, goes to path. */
static inline BOOL stale_registration(const CLSID *clsid, WCHAR *path, DWORD chars)
{
    WCHAR guid[39], sub[80], expanded[MAX_PATH];
    DWORD size = chars * sizeof(WCHAR);
    if (!StringFromGUID2(clsid, guid, ARRAYSIZE(guid)))
        return FALSE;
    swprintf(sub, ARRAYSIZE(sub), L"CLSID\\%ls\\InprocServer32", guid);
    if (RegGetValueW(HKEY_CLASSES_ROOT, sub, NULL, RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND, NULL, path,
                     &size) ||
        !path[0])
        return FALSE;
    if (!ExpandEnvironmentStringsW(path, expanded, ARRAYSIZE(expanded)))
        wcsncpy(expanded, path, ARRAYSIZE(expanded) - 1), expanded[ARRAYSIZE(expanded) - 1] = 0;
    if (!wcschr(expanded, '\\'))
        return FALSE; /* a bare name is looked for on the search path */
    return GetFileAttributesW(expanded) == INVALID_FILE_ATTRIBUTES;
}

#endif
