/* DllRegisterServer / DllUnregisterServer / DllInstall of the project's COM
 * servers, each described by a struct com_module (register.h).
 *
 * Every key and value a DLL writes goes through its own journal kept under
 * <hive>\Software\imapi2-open\<module journal> (imapi2.dll: Registration):
 * every key we created (each
 * level, parents before children), and values we replaced or added to keys
 * that were there before (with the old data). Unregistering replays the
 * journal backwards, so /u removes exactly what registration added and puts
 * back what it replaced; a key is deleted only once no one else's subkeys are
 * left in it (TypeLib\{LIBID} is shared by the 32- and 64-bit views). Where a
 * class is already registered to a different file that the journal does not
 * list (Microsoft's imapi2.dll on Windows), registration refuses unless asked
 * to override; per-user registration (HKCU) is the way to try ours beside it
 * on Windows. A different file the journal lists is another copy of ours (the
 * tree moved): its registration is replaced without asking. */
#define COBJMACROS
#include <stdio.h>
#include <wchar.h>
#include "register.h"
#include <olectl.h>
#include "debug.h"

#define JOURNAL_PARENT L"Software\\imapi2-open"
/* 2: every created key is journaled. Journals without "Format" list only the
 * topmost created key of each path, which /u must delete as a tree. */
#define JOURNAL_FORMAT 2
#define TYPELIB_MARSHALER L"{00020424-0000-0000-C000-000000000046}"
#define THREADING_MODEL L"Both"

struct journal {
    const struct com_module *module;
    HKEY hive;         /* HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER */
    HKEY classes;      /* <hive>\Software\Classes */
    HKEY log;          /* the journal key */
    DWORD created, replaced;
    /* In-memory copies of the journal, for lookups while registering. */
    WCHAR **created_paths;   /* created keys */
    WCHAR **replaced_values; /* "key\\name" of journaled values */
};

static WCHAR *wcsdup_heap(const WCHAR *s)
{
    size_t size = (wcslen(s) + 1) * sizeof(WCHAR);
    WCHAR *copy = HeapAlloc(GetProcessHeap(), 0, size);
    if (copy)
        memcpy(copy, s, size);
    return copy;
}

static void list_free(WCHAR **list, DWORD count)
{
    if (!list)
        return;
    for (DWORD i = 0; i < count; i++)
        HeapFree(GetProcessHeap(), 0, list[i]);
    HeapFree(GetProcessHeap(), 0, list);
}

static BOOL list_append(WCHAR ***list, DWORD count, const WCHAR *item)
{
    WCHAR **grown = *list ? HeapReAlloc(GetProcessHeap(), 0, *list, (count + 1) * sizeof(**list))
                          : HeapAlloc(GetProcessHeap(), 0, sizeof(**list));
    if (!grown)
        return FALSE;
    *list = grown;
    return (grown[count] = wcsdup_heap(item)) != NULL;
}

static void value_id(const WCHAR *path, const WCHAR *name, WCHAR *out, size_t size)
{
    swprintf(out, size, L"%ls\\%ls", path, name);
}

static void report(const WCHAR *fmt, ...)
{
    WCHAR text[1024];
    char utf8[2048];
    va_list ap;
    va_start(ap, fmt);
    _vsnwprintf(text, ARRAYSIZE(text) - 1, fmt, ap);
    va_end(ap);
    text[ARRAYSIZE(text) - 1] = 0;
    OutputDebugStringW(text);
    if (WideCharToMultiByte(CP_UTF8, 0, text, -1, utf8, sizeof(utf8), NULL, NULL) > 0) {
        HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
        DWORD written;
        if (err && err != INVALID_HANDLE_VALUE)
            WriteFile(err, utf8, (DWORD)strlen(utf8), &written, NULL);
    }
}

static void guid_string(const GUID *guid, WCHAR buf[39])
{
    StringFromGUID2(guid, buf, 39);
}

static HRESULT hr_from_status(LSTATUS status)
{
    return status == ERROR_SUCCESS ? S_OK : HRESULT_FROM_WIN32(status);
}

/* ---------------------------------------------------------------- journal */

static HRESULT journal_entry_key(struct journal *j, const WCHAR *kind, DWORD index, BOOL create, HKEY *out);

/* The journal entry's "Key" and, for values, "Name"; an entry that cannot be
 * read reads as empty (nothing to undo for it). */
static void journal_read_entry(struct journal *j, const WCHAR *kind, DWORD index, WCHAR *path, DWORD path_size,
                               WCHAR *name, DWORD name_size)
{
    HKEY entry;
    path[0] = 0;
    if (name)
        name[0] = 0;
    if (FAILED(journal_entry_key(j, kind, index, FALSE, &entry)))
        return;
    if (RegGetValueW(entry, NULL, L"Key", RRF_RT_REG_SZ, NULL, path, &path_size))
        path[0] = 0;
    if (name && RegGetValueW(entry, NULL, L"Name", RRF_RT_REG_SZ, NULL, name, &name_size))
        name[0] = 0;
    RegCloseKey(entry);
}

static HRESULT journal_load(struct journal *j)
{
    DWORD created = 0, replaced = 0;
    HRESULT hr = S_OK;
    for (; created < j->created; created++) {
        WCHAR path[512];
        journal_read_entry(j, L"CreatedKeys", created, path, sizeof(path), NULL, 0);
        if (!list_append(&j->created_paths, created, path)) {
            hr = E_OUTOFMEMORY;
            break;
        }
    }
    for (; SUCCEEDED(hr) && replaced < j->replaced; replaced++) {
        WCHAR path[512], name[256], id[800];
        journal_read_entry(j, L"ReplacedValues", replaced, path, sizeof(path), name, sizeof(name));
        value_id(path, name, id, ARRAYSIZE(id));
        if (!list_append(&j->replaced_values, replaced, id))
            hr = E_OUTOFMEMORY;
    }
    if (FAILED(hr)) {
        list_free(j->created_paths, created);
        list_free(j->replaced_values, replaced);
        j->created_paths = j->replaced_values = NULL;
        j->created = j->replaced = 0;
    }
    return hr;
}

static DWORD journal_get_dword(struct journal *j, const WCHAR *name)
{
    DWORD value, size = sizeof(value);
    if (RegGetValueW(j->log, NULL, name, RRF_RT_REG_DWORD, NULL, &value, &size))
        return 0;
    return value;
}

/* Creates the journal key, remembering whether Software\imapi2-open was ours
 * to create: it is also where virtual recorders are configured, and /u must
 * leave it when it was there before. */
static LSTATUS journal_create_log(struct journal *j)
{
    DWORD disposition, journal_new, one = 1, format = JOURNAL_FORMAT;
    HKEY parent;
    LSTATUS status = RegCreateKeyExW(j->hive, JOURNAL_PARENT, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &parent,
                                     &disposition);
    if (status)
        return status;
    status = RegCreateKeyExW(parent, j->module->journal, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &j->log, &journal_new);
    if (!status && disposition == REG_CREATED_NEW_KEY)
        RegSetValueExW(j->log, L"CreatedParent", 0, REG_DWORD, (const BYTE *)&one, sizeof(one));
    if (!status && journal_new == REG_CREATED_NEW_KEY)
        RegSetValueExW(j->log, L"Format", 0, REG_DWORD, (const BYTE *)&format, sizeof(format));
    RegCloseKey(parent);
    return status;
}

/* create: for registering; Software\Classes itself may be missing (a fresh
 * Wine prefix has no HKCU\Software\Classes), and is then journaled too.
 * Unregistering creates nothing. */
static void journal_path(const struct com_module *m, WCHAR *out, size_t size)
{
    swprintf(out, size, L"%ls\\%ls", JOURNAL_PARENT, m->journal);
}

static HRESULT journal_open(struct journal *j, const struct com_module *m, BOOL per_user, BOOL create)
{
    DWORD disposition = REG_OPENED_EXISTING_KEY, one = 1;
    WCHAR journal_key[128];
    LSTATUS status;
    ZeroMemory(j, sizeof(*j));
    j->module = m;
    journal_path(m, journal_key, ARRAYSIZE(journal_key));
    j->hive = per_user ? HKEY_CURRENT_USER : HKEY_LOCAL_MACHINE;
    if (create)
        status = RegCreateKeyExW(j->hive, L"Software\\Classes", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &j->classes,
                                 &disposition);
    else
        status = RegOpenKeyExW(j->hive, L"Software\\Classes", 0, KEY_ALL_ACCESS, &j->classes);
    if (status)
        return hr_from_status(status);
    if (create)
        status = journal_create_log(j);
    else
        status = RegOpenKeyExW(j->hive, journal_key, 0, KEY_ALL_ACCESS, &j->log);
    if (!status && disposition == REG_CREATED_NEW_KEY)
        RegSetValueExW(j->log, L"CreatedClasses", 0, REG_DWORD, (const BYTE *)&one, sizeof(one));
    if (status) {
        RegCloseKey(j->classes);
        j->classes = NULL;
        return hr_from_status(status);
    }
    j->created = journal_get_dword(j, L"Created");
    j->replaced = journal_get_dword(j, L"Replaced");
    HRESULT hr = journal_load(j);
    if (FAILED(hr)) {
        RegCloseKey(j->log);
        RegCloseKey(j->classes);
        j->log = j->classes = NULL;
    }
    return hr;
}

static void journal_close(struct journal *j)
{
    list_free(j->created_paths, j->created);
    list_free(j->replaced_values, j->replaced);
    j->created_paths = j->replaced_values = NULL;
    if (j->log)
        RegCloseKey(j->log);
    if (j->classes)
        RegCloseKey(j->classes);
}

static HRESULT journal_entry_key(struct journal *j, const WCHAR *kind, DWORD index, BOOL create, HKEY *out)
{
    WCHAR path[64];
    swprintf(path, ARRAYSIZE(path), L"%ls\\%lu", kind, (unsigned long)index);
    if (create)
        return hr_from_status(RegCreateKeyExW(j->log, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, out, NULL));
    return hr_from_status(RegOpenKeyExW(j->log, path, 0, KEY_ALL_ACCESS, out));
}

static HRESULT journal_count(struct journal *j, const WCHAR *kind, DWORD value)
{
    return hr_from_status(RegSetKeyValueW(j->log, NULL, kind, REG_DWORD, &value, sizeof(value)));
}

static HRESULT journal_note_created(struct journal *j, const WCHAR *path)
{
    HKEY entry;
    HRESULT hr = journal_entry_key(j, L"CreatedKeys", j->created, TRUE, &entry);
    if (FAILED(hr))
        return hr;
    hr = hr_from_status(RegSetValueExW(entry, L"Key", 0, REG_SZ, (const BYTE *)path,
                                       (DWORD)(wcslen(path) + 1) * sizeof(WCHAR)));
    RegCloseKey(entry);
    if (SUCCEEDED(hr) && !list_append(&j->created_paths, j->created, path))
        hr = E_OUTOFMEMORY;
    if (SUCCEEDED(hr))
        hr = journal_count(j, L"Created", ++j->created);
    return hr;
}

static BOOL journal_has_replaced(struct journal *j, const WCHAR *path, const WCHAR *name)
{
    WCHAR id[800];
    value_id(path, name, id, ARRAYSIZE(id));
    for (DWORD i = 0; i < j->replaced; i++)
        if (!_wcsicmp(j->replaced_values[i], id))
            return TRUE;
    return FALSE;
}

/* True when path is a key we created, or lies below one: its values go with it. */
static BOOL journal_inside_created(struct journal *j, const WCHAR *path)
{
    for (DWORD i = 0; i < j->created; i++) {
        size_t len = wcslen(j->created_paths[i]);
        if (!_wcsnicmp(path, j->created_paths[i], len) && (!path[len] || path[len] == '\\'))
            return TRUE;
    }
    return FALSE;
}

/* Remembers a value before we change it: its old data, or that it did not exist. */
static HRESULT journal_note_replaced(struct journal *j, const WCHAR *path, const WCHAR *name, BOOL existed,
                                     DWORD type, const BYTE *data, DWORD size)
{
    HKEY entry;
    DWORD flag = existed;
    HRESULT hr;
    if (journal_has_replaced(j, path, name))
        return S_OK; /* keep the oldest: that is what was there before us */
    hr = journal_entry_key(j, L"ReplacedValues", j->replaced, TRUE, &entry);
    if (FAILED(hr))
        return hr;
    RegSetValueExW(entry, L"Key", 0, REG_SZ, (const BYTE *)path, (DWORD)(wcslen(path) + 1) * sizeof(WCHAR));
    RegSetValueExW(entry, L"Name", 0, REG_SZ, (const BYTE *)name, (DWORD)(wcslen(name) + 1) * sizeof(WCHAR));
    RegSetValueExW(entry, L"Existed", 0, REG_DWORD, (const BYTE *)&flag, sizeof(flag));
    if (existed) {
        RegSetValueExW(entry, L"Type", 0, REG_DWORD, (const BYTE *)&type, sizeof(type));
        RegSetValueExW(entry, L"Data", 0, REG_BINARY, data, size);
    }
    RegCloseKey(entry);
    {
        WCHAR id[800];
        value_id(path, name, id, ARRAYSIZE(id));
        if (!list_append(&j->replaced_values, j->replaced, id))
            return E_OUTOFMEMORY;
    }
    return journal_count(j, L"Replaced", ++j->replaced);
}

/* Creates path (relative to Software\Classes) and its parents, journaling
 * every key that did not exist, parents first. Each level is journaled, not
 * just the topmost new one, so that /u can delete key by key and keep a key
 * someone else has since put subkeys in. */
static HRESULT journal_create_key(struct journal *j, const WCHAR *path, HKEY *out)
{
    WCHAR prefix[512];
    size_t len = wcslen(path);
    HKEY key;
    if (len >= ARRAYSIZE(prefix))
        return E_INVALIDARG;
    for (size_t i = 1; i <= len; i++) {
        if (path[i] != '\\' && path[i])
            continue;
        wcsncpy(prefix, path, i);
        prefix[i] = 0;
        if (RegOpenKeyExW(j->classes, prefix, 0, KEY_READ, &key) == ERROR_SUCCESS) {
            RegCloseKey(key);
            continue;
        }
        /* Journal before creating: a crash in between leaves a journaled key
         * that does not exist, which /u skips, never an unjournaled one. */
        HRESULT hr = journal_note_created(j, prefix);
        if (FAILED(hr))
            return hr;
        if (RegCreateKeyExW(j->classes, prefix, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL) == ERROR_SUCCESS)
            RegCloseKey(key);
    }
    return hr_from_status(RegCreateKeyExW(j->classes, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, out, NULL));
}

static HRESULT journal_set_string(struct journal *j, const WCHAR *path, const WCHAR *name, const WCHAR *value)
{
    DWORD new_size = (DWORD)(wcslen(value) + 1) * sizeof(WCHAR);
    BYTE old[2048];
    DWORD old_size = sizeof(old), old_type;
    HKEY key;
    HRESULT hr = journal_create_key(j, path, &key);
    if (FAILED(hr))
        return hr;
    LSTATUS status = RegQueryValueExW(key, name, NULL, &old_type, old, &old_size);
    if (status == ERROR_SUCCESS) {
        if (old_type != REG_SZ || old_size != new_size || memcmp(old, value, new_size))
            hr = journal_note_replaced(j, path, name, TRUE, old_type, old, old_size);
    } else if (status == ERROR_FILE_NOT_FOUND) {
        /* A value added to a key that existed before us is journaled; one in a
         * key we created goes away with the key. */
        if (!journal_inside_created(j, path))
            hr = journal_note_replaced(j, path, name, FALSE, 0, NULL, 0);
    } else {
        hr = hr_from_status(status);
    }
    if (SUCCEEDED(hr))
        hr = hr_from_status(RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)value, new_size));
    RegCloseKey(key);
    return hr;
}

/* ---------------------------------------------------------------- checks */

static BOOL same_file(const WCHAR *registered, const WCHAR *ours)
{
    WCHAR expanded[MAX_PATH], a[MAX_PATH], b[MAX_PATH];
    const WCHAR *r = registered;
    if (ExpandEnvironmentStringsW(registered, expanded, ARRAYSIZE(expanded)))
        r = expanded;
    /* A bare file name is found in system32, like LoadLibrary would. */
    if (!wcschr(r, '\\')) {
        WCHAR system[MAX_PATH];
        if (GetSystemDirectoryW(system, ARRAYSIZE(system))) {
            swprintf(a, ARRAYSIZE(a), L"%ls\\%ls", system, r);
            wcscpy(expanded, a);
            r = expanded;
        }
    }
    if (!GetLongPathNameW(r, a, ARRAYSIZE(a)))
        wcscpy(a, r);
    if (!GetLongPathNameW(ours, b, ARRAYSIZE(b)))
        wcscpy(b, ours);
    return !_wcsicmp(a, b);
}

/* The file a class is registered to in this hive, if any. */
static BOOL registered_server(HKEY classes, const CLSID *clsid, WCHAR *path, DWORD size)
{
    WCHAR sub[80], guid[39];
    guid_string(clsid, guid);
    swprintf(sub, ARRAYSIZE(sub), L"CLSID\\%ls\\InprocServer32", guid);
    return !RegGetValueW(classes, sub, NULL, RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND, NULL, path, &size);
}

static BOOL file_exists(const WCHAR *path)
{
    WCHAR expanded[MAX_PATH];
    const WCHAR *p = path;
    if (ExpandEnvironmentStringsW(path, expanded, ARRAYSIZE(expanded)))
        p = expanded;
    if (!wcschr(p, '\\'))
        return TRUE; /* a bare name, found on the search path: not ours to judge */
    return GetFileAttributesW(p) != INVALID_FILE_ATTRIBUTES;
}

static BOOL running_on_wine(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version");
}

/* Did we write this class's InprocServer32 path? The journal lists it as a
 * key we created, or as a value we replaced: a registration of ours, from
 * this copy or another one (the tree moved, the old copy was deleted). */
static BOOL journal_owns_server(struct journal *j, const WCHAR *guid)
{
    WCHAR key[80];
    if (!j->log)
        return FALSE;
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\InprocServer32", guid);
    return journal_inside_created(j, key) || journal_has_replaced(j, key, L"");
}

/* Runs before anything is written, the journal included: a refusal leaves the
 * registry as it was. A class registered to another copy of ours (our journal
 * lists its keys) is ours to re-register; one registered to a file our
 * journal does not know is another implementation's. */
static HRESULT check_no_other_implementation(const struct com_module *m, const WCHAR *ours, BOOL per_user)
{
    WCHAR moved_from[MAX_PATH] = L"";
    struct journal j;
    HKEY classes;
    HRESULT hr = S_OK;
    if (RegOpenKeyExW(per_user ? HKEY_CURRENT_USER : HKEY_LOCAL_MACHINE, L"Software\\Classes", 0, KEY_READ,
                      &classes))
        return S_OK; /* no classes at all: nothing to take over */
    if (FAILED(journal_open(&j, m, per_user, FALSE)))
        ZeroMemory(&j, sizeof(j));
    for (unsigned i = 0; i < m->class_count && hr == S_OK; i++) {
        WCHAR other[MAX_PATH], guid[39];
        BOOL gone;
        if (!registered_server(classes, m->classes[i].clsid, other, sizeof(other)))
            continue;
        if (same_file(other, ours))
            continue;
        guid_string(m->classes[i].clsid, guid);
        if (journal_owns_server(&j, guid)) {
            if (!moved_from[0])
                wcscpy(moved_from, other);
            continue;
        }
        gone = !file_exists(other);
        report(L"%ls: not registering: class %ls (%ls) is already registered to\n"
               L"  %ls\n"
               L"%ls",
               m->file, guid, m->classes[i].name, other,
               gone ? L"which does not exist, and is not a registration of this one (its journal\n"
                      L"does not list it): another implementation's, or one made without a journal.\n"
                    : L"which is another implementation.\n");
        if (running_on_wine())
            report(L"To replace it (undone by the matching regsvr32 /u):  wine regsvr32 /n /i:%lsoverride %ls\n"
                   L"(Per-user registration, /i:user, does not help under Wine: Wine reads only\n"
                   L"machine-wide classes.)\n",
                   per_user ? L"user," : L"", m->file);
        else
            report(L"To try this one beside it, register for the current user only:\n"
                   L"  regsvr32 /n /i:user %ls\n"
                   L"To replace it (undone by the matching regsvr32 /u):  regsvr32 /n /i:%lsoverride %ls\n",
                   m->file, per_user ? L"user," : L"", m->file);
        hr = SELFREG_E_CLASS;
    }
    if (hr == S_OK && moved_from[0])
        report(file_exists(moved_from)
                   ? L"%ls: moving this registration from\n  %ls\nto\n  %ls\n"
                   : L"%ls: this was registered at\n  %ls\nwhich no longer exists; registering\n  %ls\nin its place\n",
               m->file, moved_from, ours);
    if (j.log)
        journal_close(&j);
    RegCloseKey(classes);
    return hr;
}

/* ---------------------------------------------------------------- writing */

static HRESULT register_class(struct journal *j, const struct com_class *class, const WCHAR *dll,
                              const WCHAR *libid)
{
    WCHAR guid[39], key[128];
    HRESULT hr;
    guid_string(class->clsid, guid);
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls", guid);
    hr = journal_set_string(j, key, L"", class->name);
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\InprocServer32", guid);
    if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", dll);
    if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"ThreadingModel", THREADING_MODEL);
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\TypeLib", guid);
    if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", libid);
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\Version", guid);
    if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", L"1.0");
    if (class->progid) {
        swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\ProgID", guid);
        if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", class->progid);
        swprintf(key, ARRAYSIZE(key), L"%ls", class->progid);
        if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", class->name);
        swprintf(key, ARRAYSIZE(key), L"%ls\\CLSID", class->progid);
        if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", guid);
    }
    if (class->vi_progid) {
        swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\VersionIndependentProgID", guid);
        if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", class->vi_progid);
        swprintf(key, ARRAYSIZE(key), L"%ls", class->vi_progid);
        if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", class->name);
        swprintf(key, ARRAYSIZE(key), L"%ls\\CLSID", class->vi_progid);
        if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", guid);
        swprintf(key, ARRAYSIZE(key), L"%ls\\CurVer", class->vi_progid);
        if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", class->progid);
    }
    return hr;
}

/* Whether another type library already registers this interface: the
 * imapi2fs library carries copies of imapi2's IDiscRecorder2 and
 * IBlockRange(List), which stay registered to the library that defines them. */
static BOOL registered_elsewhere(struct journal *j, const WCHAR *guid, const WCHAR *libid)
{
    WCHAR key[128], other[64];
    DWORD size = sizeof(other);
    swprintf(key, ARRAYSIZE(key), L"Interface\\%ls\\TypeLib", guid);
    if (RegGetValueW(j->classes, key, NULL, RRF_RT_REG_SZ, NULL, other, &size))
        return FALSE;
    return _wcsicmp(other, libid) != 0;
}

/* Interface keys for every dual/oleautomation interface and dispinterface, with
 * the typelib marshaler, so cross-apartment and script calls work. */
static HRESULT register_interfaces(struct journal *j, ITypeLib *lib, const WCHAR *libid)
{
    UINT count = ITypeLib_GetTypeInfoCount(lib);
    HRESULT hr = S_OK;
    for (UINT i = 0; i < count && SUCCEEDED(hr); i++) {
        ITypeInfo *info;
        TYPEATTR *attr;
        BSTR name = NULL;
        WCHAR guid[39], key[128];
        BOOL wanted;
        if (FAILED(ITypeLib_GetTypeInfo(lib, i, &info)))
            continue;
        if (FAILED(ITypeInfo_GetTypeAttr(info, &attr))) {
            ITypeInfo_Release(info);
            continue;
        }
        wanted = attr->typekind == TKIND_DISPATCH ||
                 (attr->typekind == TKIND_INTERFACE && (attr->wTypeFlags & (TYPEFLAG_FOLEAUTOMATION | TYPEFLAG_FDUAL)));
        if (wanted) {
            guid_string(&attr->guid, guid);
            wanted = !registered_elsewhere(j, guid, libid);
        }
        if (wanted) {
            ITypeLib_GetDocumentation(lib, i, &name, NULL, NULL, NULL);
            swprintf(key, ARRAYSIZE(key), L"Interface\\%ls", guid);
            hr = journal_set_string(j, key, L"", name ? name : L"");
            swprintf(key, ARRAYSIZE(key), L"Interface\\%ls\\ProxyStubClsid", guid);
            if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", TYPELIB_MARSHALER);
            swprintf(key, ARRAYSIZE(key), L"Interface\\%ls\\ProxyStubClsid32", guid);
            if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", TYPELIB_MARSHALER);
            swprintf(key, ARRAYSIZE(key), L"Interface\\%ls\\TypeLib", guid);
            if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", libid);
            if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"Version", L"1.0");
            SysFreeString(name);
        }
        ITypeInfo_ReleaseTypeAttr(info, attr);
        ITypeInfo_Release(info);
    }
    return hr;
}

static HRESULT register_typelib(struct journal *j, ITypeLib *lib, const WCHAR *dll, const WCHAR *libid)
{
    WCHAR key[128], dir[MAX_PATH];
    BSTR doc = NULL;
    HRESULT hr;
    ITypeLib_GetDocumentation(lib, -1, NULL, &doc, NULL, NULL);
    swprintf(key, ARRAYSIZE(key), L"TypeLib\\%ls\\1.0", libid);
    hr = journal_set_string(j, key, L"", doc ? doc : L"");
    SysFreeString(doc);
    swprintf(key, ARRAYSIZE(key), L"TypeLib\\%ls\\1.0\\0\\%ls", libid, sizeof(void *) == 8 ? L"win64" : L"win32");
    if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", dll);
    swprintf(key, ARRAYSIZE(key), L"TypeLib\\%ls\\1.0\\FLAGS", libid);
    if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", L"0");
    wcscpy(dir, dll);
    if (wcsrchr(dir, '\\'))
        *wcsrchr(dir, '\\') = 0;
    swprintf(key, ARRAYSIZE(key), L"TypeLib\\%ls\\1.0\\HELPDIR", libid);
    if (SUCCEEDED(hr)) hr = journal_set_string(j, key, L"", dir);
    if (SUCCEEDED(hr)) hr = register_interfaces(j, lib, libid);
    return hr;
}

HRESULT com_register(const struct com_module *m, BOOL per_user, BOOL override)
{
    WCHAR dll[MAX_PATH], libid[39];
    struct journal j;
    ITypeLib *lib;
    TLIBATTR *attr;
    HRESULT hr;
    DWORD len = GetModuleFileNameW(*m->instance, dll, ARRAYSIZE(dll));
    if (!len || len >= ARRAYSIZE(dll))
        return E_FAIL;
    hr = m->get_typelib(&lib);
    if (FAILED(hr))
        return hr;
    if (FAILED(hr = ITypeLib_GetLibAttr(lib, &attr))) {
        ITypeLib_Release(lib);
        return hr;
    }
    guid_string(&attr->guid, libid);
    ITypeLib_ReleaseTLibAttr(lib, attr);

    hr = override ? S_OK : check_no_other_implementation(m, dll, per_user);
    if (FAILED(hr)) {
        ITypeLib_Release(lib);
        return hr;
    }
    hr = journal_open(&j, m, per_user, TRUE);
    for (unsigned i = 0; SUCCEEDED(hr) && i < m->class_count; i++)
        if (m->classes[i].create)
            hr = register_class(&j, &m->classes[i], dll, libid);
    if (SUCCEEDED(hr))
        hr = register_typelib(&j, lib, dll, libid);
    if (j.log)
        journal_close(&j);
    ITypeLib_Release(lib);
    if (FAILED(hr)) {
        report(L"%ls: registration failed (%#lx); undoing what was written\n", m->file, (unsigned long)hr);
        com_unregister(m, per_user);
    }
    return hr;
}

/* ---------------------------------------------------------------- undoing */

static void restore_value(struct journal *j, HKEY entry)
{
    WCHAR path[512], name[256];
    DWORD path_size = sizeof(path), name_size = sizeof(name), existed = 0, type = 0;
    DWORD flag_size = sizeof(existed), type_size = sizeof(type), data_size = 0;
    HKEY key;
    if (RegGetValueW(entry, NULL, L"Key", RRF_RT_REG_SZ, NULL, path, &path_size) ||
        RegGetValueW(entry, NULL, L"Name", RRF_RT_REG_SZ, NULL, name, &name_size) ||
        RegGetValueW(entry, NULL, L"Existed", RRF_RT_REG_DWORD, NULL, &existed, &flag_size))
        return;
    if (RegOpenKeyExW(j->classes, path, 0, KEY_ALL_ACCESS, &key))
        return;
    if (!existed) {
        RegDeleteValueW(key, name);
    } else if (!RegGetValueW(entry, NULL, L"Type", RRF_RT_REG_DWORD, NULL, &type, &type_size) &&
               !RegQueryValueExW(entry, L"Data", NULL, NULL, NULL, &data_size)) {
        BYTE *data = HeapAlloc(GetProcessHeap(), 0, data_size ? data_size : 1);
        if (data && !RegQueryValueExW(entry, L"Data", NULL, NULL, data, &data_size))
            RegSetValueExW(key, name, 0, type, data, data_size);
        HeapFree(GetProcessHeap(), 0, data);
    }
    RegCloseKey(key);
}

HRESULT com_unregister(const struct com_module *m, BOOL per_user)
{
    struct journal j;
    DWORD created_parent, created_classes, format;
    WCHAR journal_key[128];
    HRESULT hr = journal_open(&j, m, per_user, FALSE);
    if (FAILED(hr))
        return S_OK; /* nothing of ours is registered in this hive */
    format = journal_get_dword(&j, L"Format");
    for (DWORD i = j.replaced; i-- > 0;) {
        HKEY entry;
        if (SUCCEEDED(journal_entry_key(&j, L"ReplacedValues", i, FALSE, &entry))) {
            restore_value(&j, entry);
            RegCloseKey(entry);
        }
    }
    for (DWORD i = j.created; i-- > 0;) {
        WCHAR path[512];
        DWORD size = sizeof(path);
        HKEY entry;
        if (FAILED(journal_entry_key(&j, L"CreatedKeys", i, FALSE, &entry)))
            continue;
        /* Children come later in the journal, so they are gone by now; a
         * key that still has subkeys holds someone else's and stays. */
        BOOL known = !RegGetValueW(entry, NULL, L"Key", RRF_RT_REG_SZ, NULL, path, &size) && path[0];
        RegCloseKey(entry);
        if (known && format < JOURNAL_FORMAT)
            RegDeleteTreeW(j.classes, path);
        if (known)
            RegDeleteKeyW(j.classes, path);
    }
    created_parent = journal_get_dword(&j, L"CreatedParent");
    created_classes = journal_get_dword(&j, L"CreatedClasses");
    journal_close(&j);
    journal_path(m, journal_key, ARRAYSIZE(journal_key));
    RegDeleteTreeW(j.hive, journal_key);
    /* Both fail, as they should, when someone else has put things in them. */
    if (created_parent)
        RegDeleteKeyW(j.hive, JOURNAL_PARENT);
    if (created_classes)
        RegDeleteKeyW(j.hive, L"Software\\Classes");
    return S_OK;
}

/* ---------------------------------------------------------------- DllInstall */

/* The words of a DllInstall command line, separated by commas or spaces:
 * "user" and "override"; FALSE on any other word, so that a typo never
 * silently falls back to a machine-wide registration. */
static BOOL parse_options(const WCHAR *cmdline, BOOL *per_user, BOOL *override)
{
    const WCHAR *p = cmdline;
    *per_user = *override = FALSE;
    while (p && *p) {
        size_t len = 0;
        while (*p == ' ' || *p == ',')
            p++;
        while (p[len] && p[len] != ' ' && p[len] != ',')
            len++;
        if (len == 4 && !_wcsnicmp(p, L"user", len))
            *per_user = TRUE;
        else if (len == 8 && !_wcsnicmp(p, L"override", len))
            *override = TRUE;
        else if (len)
            return FALSE;
        p += len;
    }
    return TRUE;
}

/* regsvr32 /n /i:"user" (per-user, HKCU), /i:"override" (replace another
 * implementation's registration, undone by /u), or both: /i:"user,override".
 * regsvr32 /i alone (no /n) passes an empty command line: machine-wide. */
HRESULT com_dll_install(const struct com_module *m, BOOL install, const WCHAR *cmdline)
{
    BOOL per_user, override;
    TRACE("%d %s\n", install, debugstr_w(cmdline));
    if (!parse_options(cmdline, &per_user, &override)) {
        report(L"%ls: unknown DllInstall option in %ls (use user, override)\n", m->file, cmdline);
        return E_INVALIDARG;
    }
    return install ? com_register(m, per_user, override) : com_unregister(m, per_user);
}
