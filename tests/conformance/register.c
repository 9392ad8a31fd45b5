/* Registration and unregistration: DllRegisterServer, DllUnregisterServer and
 * DllInstall of the build's own imapi2.dll (loaded with LoadLibrary, found
 * beside the tests folder), and regsvr32 command lines.
 *
 * Runs in the shared test prefix where the runner has registered the DLL: it
 * snapshots the registry first, works from an unregistered state, and leaves
 * the prefix registered exactly as it found it. */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include "okay.h"

#define LIBID L"{2735412F-7F64-5B0F-8F00-5D77AFBE261E}"
#define MARSHALER L"{00020424-0000-0000-C000-000000000046}"
#define JOURNAL L"Software\\imapi2-open\\Registration"
#define CLSID_MASTER L"{2735412E-7F64-5B0F-8F00-5D77AFBE261E}"
#define CLSID_RECORDER L"{2735412D-7F64-5B0F-8F00-5D77AFBE261E}"
#define IID_MASTER L"{27354130-7F64-5B0F-8F00-5D77AFBE261E}"
#define UNRELATED_CLSID L"{0DDBA11F-0D15-4C0A-9D1C-0123456789AB}"
#define FOREIGN_DLL L"C:\\windows\\system32\\imapi2.dll"

static const GUID libid_imapi2 = { 0x2735412f, 0x7f64, 0x5b0f, { 0x8f, 0x00, 0x5d, 0x77, 0xaf, 0xbe, 0x26, 0x1e } };

/* The creatable classes, as spec/imapi2-interfaces.md section 8 lists them,
 * plus our file-stream extension. */
static const struct {
    const WCHAR *clsid, *progid, *vi_progid;
} classes[] = {
    { CLSID_MASTER, L"IMAPI2.MsftDiscMaster2.1", L"IMAPI2.MsftDiscMaster2" },
    { CLSID_RECORDER, L"IMAPI2.MsftDiscRecorder2.1", L"IMAPI2.MsftDiscRecorder2" },
    { L"{2735412B-7F64-5B0F-8F00-5D77AFBE261E}", L"IMAPI2.MsftDiscFormat2Erase.1", L"IMAPI2.MsftDiscFormat2Erase" },
    { L"{27354128-7F64-5B0F-8F00-5D77AFBE261E}", L"IMAPI2.MsftDiscFormat2RawCD.1", L"IMAPI2.MsftDiscFormat2RawCD" },
    { L"{27354129-7F64-5B0F-8F00-5D77AFBE261E}", L"IMAPI2.MsftDiscFormat2TrackAtOnce.1",
      L"IMAPI2.MsftDiscFormat2TrackAtOnce" },
    { L"{2735412A-7F64-5B0F-8F00-5D77AFBE261E}", L"IMAPI2.MsftDiscFormat2Data.1", L"IMAPI2.MsftDiscFormat2Data" },
    { L"{27354127-7F64-5B0F-8F00-5D77AFBE261E}", L"IMAPI2.MsftStreamZero.1", NULL },
    { L"{27354126-7F64-5B0F-8F00-5D77AFBE261E}", L"IMAPI2.MsftStreamPrng001.1", NULL },
    { L"{27354125-7F64-5B0F-8F00-5D77AFBE261E}", L"IMAPI2.MsftStreamConcatenate.1", NULL },
    { L"{27354124-7F64-5B0F-8F00-5D77AFBE261E}", L"IMAPI2.MsftStreamInterleave.1", NULL },
    { L"{25983561-9D65-49CE-B335-40630D901227}", L"IMAPI2.MsftRawCDImageCreator.1", L"IMAPI2.MsftRawCDImageCreator" },
    { L"{368F54D8-BBE6-4933-A379-49D9D5898E14}", L"IMAPI2Open.FileStream.1", L"IMAPI2Open.FileStream" },
    { L"{B52A7184-1242-4A98-8FAB-0B796C625CD7}", L"IMAPI2Open.CDText.1", L"IMAPI2Open.CDText" },
};

/* Not creatable: Windows registers no class for these. */
static const WCHAR *const not_registered[] = {
    L"{27354123-7F64-5B0F-8F00-5D77AFBE261E}", /* MsftWriteSpeedDescriptor */
    L"{27354122-7F64-5B0F-8F00-5D77AFBE261E}", /* MsftMultisessionSequential */
};

/* Dual/oleautomation interfaces and dispinterfaces: typelib-marshaled. */
static const WCHAR *const marshaled[] = {
    IID_MASTER,                                /* IDiscMaster2 */
    L"{27354131-7F64-5B0F-8F00-5D77AFBE261E}", /* DDiscMaster2Events */
    L"{27354133-7F64-5B0F-8F00-5D77AFBE261E}", /* IDiscRecorder2 */
    L"{27354152-8F64-5B0F-8F00-5D77AFBE261E}", /* IDiscFormat2 */
    L"{27354156-8F64-5B0F-8F00-5D77AFBE261E}", /* IDiscFormat2Erase */
    L"{2735413A-7F64-5B0F-8F00-5D77AFBE261E}", /* DDiscFormat2EraseEvents */
    L"{27354155-8F64-5B0F-8F00-5D77AFBE261E}", /* IDiscFormat2RawCD */
    L"{27354142-7F64-5B0F-8F00-5D77AFBE261E}", /* DDiscFormat2RawCDEvents */
    L"{27354143-7F64-5B0F-8F00-5D77AFBE261E}", /* IDiscFormat2RawCDEventArgs */
    L"{27354154-8F64-5B0F-8F00-5D77AFBE261E}", /* IDiscFormat2TrackAtOnce */
    L"{2735413F-7F64-5B0F-8F00-5D77AFBE261E}", /* DDiscFormat2TrackAtOnceEvents */
    L"{27354140-7F64-5B0F-8F00-5D77AFBE261E}", /* IDiscFormat2TrackAtOnceEventArgs */
    L"{27354153-9F64-5B0F-8F00-5D77AFBE261E}", /* IDiscFormat2Data */
    L"{2735413C-7F64-5B0F-8F00-5D77AFBE261E}", /* DDiscFormat2DataEvents */
    L"{2735413D-7F64-5B0F-8F00-5D77AFBE261E}", /* IDiscFormat2DataEventArgs */
    L"{27354136-7F64-5B0F-8F00-5D77AFBE261E}", /* IWriteEngine2EventArgs */
    L"{27354144-7F64-5B0F-8F00-5D77AFBE261E}", /* IWriteSpeedDescriptor */
    L"{25983550-9D65-49CE-B335-40630D901227}", /* IRawCDImageCreator */
    L"{25983551-9D65-49CE-B335-40630D901227}", /* IRawCDImageTrackInfo */
};
/* IDiscRecorder2Ex passes raw buffers: the typelib marshaler cannot carry it. */
#define IID_RECORDER_EX L"{27354132-7F64-5B0F-8F00-5D77AFBE261E}"

static HMODULE dll;
static WCHAR dll_path[MAX_PATH];
static HRESULT(WINAPI *pDllRegisterServer)(void);
static HRESULT(WINAPI *pDllUnregisterServer)(void);
static HRESULT(WINAPI *pDllInstall)(BOOL, const WCHAR *);
static BOOL on_wine;

/* ---------------------------------------------------------------- registry helpers */

static BOOL key_exists(HKEY root, const WCHAR *path)
{
    HKEY key;
    if (RegOpenKeyExW(root, path, 0, KEY_READ, &key))
        return FALSE;
    RegCloseKey(key);
    return TRUE;
}

/* A string value of root\Software\Classes\path, or "" when absent. */
static const WCHAR *class_string(HKEY root, const WCHAR *path, const WCHAR *name)
{
    static WCHAR value[4][MAX_PATH + 64];
    static unsigned next;
    WCHAR *out = value[next++ % ARRAYSIZE(value)];
    WCHAR full[512];
    DWORD size = sizeof(value[0]);
    swprintf(full, ARRAYSIZE(full), L"Software\\Classes\\%ls", path);
    if (RegGetValueW(root, full, name, RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND, NULL, out, &size))
        out[0] = 0;
    return out;
}

static BOOL class_key_exists(HKEY root, const WCHAR *path)
{
    WCHAR full[512];
    swprintf(full, ARRAYSIZE(full), L"Software\\Classes\\%ls", path);
    return key_exists(root, full);
}

static void set_class_string(HKEY root, const WCHAR *path, const WCHAR *name, DWORD type, const WCHAR *value)
{
    WCHAR full[512];
    swprintf(full, ARRAYSIZE(full), L"Software\\Classes\\%ls", path);
    LSTATUS status = RegSetKeyValueW(root, full, name, type, value, (DWORD)(wcslen(value) + 1) * sizeof(WCHAR));
    ok(status == ERROR_SUCCESS, "setting %ls\\%ls: %ld\n", path, name ? name : L"@", status);
}

static void delete_class_tree(HKEY root, const WCHAR *path)
{
    WCHAR full[512];
    swprintf(full, ARRAYSIZE(full), L"Software\\Classes\\%ls", path);
    RegDeleteTreeW(root, full);
    RegDeleteKeyW(root, full);
}

/* ---------------------------------------------------------------- snapshots */

/* Keys and values as sorted text lines, to compare two states: SNAP_FULL
 * takes all of root\Software\Classes (about 1.5 s under Wine), otherwise only
 * the keys registration may touch; SNAP_JOURNAL adds root\Software\imapi2-open. */
enum { SNAP_FOCUSED = 0, SNAP_FULL = 1, SNAP_JOURNAL = 2 };
#define FULL (SNAP_FULL | SNAP_JOURNAL)
#define FOCUSED (SNAP_FOCUSED | SNAP_JOURNAL)
struct snapshot {
    WCHAR **lines;
    size_t count, size;
};

static void snap_add(struct snapshot *s, const WCHAR *line)
{
    if (s->count == s->size) {
        s->size = s->size ? s->size * 2 : 4096;
        s->lines = realloc(s->lines, s->size * sizeof(*s->lines));
    }
    s->lines[s->count++] = _wcsdup(line);
}

static void snap_value(struct snapshot *s, const WCHAR *path, const WCHAR *name, DWORD type, const BYTE *data,
                       DWORD size)
{
    WCHAR *line = malloc((wcslen(path) + wcslen(name) + 2 * size + 64) * sizeof(WCHAR));
    int n = swprintf(line, 64 + wcslen(path) + wcslen(name), L"V %ls\\%ls = %lu:", path, name[0] ? name : L"@",
                     (unsigned long)type);
    if (type == REG_SZ || type == REG_EXPAND_SZ) {
        memcpy(line + n, data, size);
        line[n + size / sizeof(WCHAR)] = 0;
    } else {
        for (DWORD i = 0; i < size; i++)
            swprintf(line + n + 2 * i, 3, L"%02x", data[i]);
        line[n + 2 * size] = 0;
    }
    snap_add(s, line);
    free(line);
}

static void snap_key(struct snapshot *s, HKEY root, const WCHAR *path)
{
    DWORD subkeys, max_subkey, values, max_name, max_data;
    WCHAR line[1024];
    HKEY key;
    if (RegOpenKeyExW(root, path, 0, KEY_READ, &key))
        return;
    swprintf(line, ARRAYSIZE(line), L"K %ls", path);
    snap_add(s, line);
    if (RegQueryInfoKeyW(key, NULL, NULL, NULL, &subkeys, &max_subkey, NULL, &values, &max_name, &max_data, NULL,
                         NULL)) {
        RegCloseKey(key);
        return;
    }
    WCHAR *name = malloc((max_name + max_subkey + 2) * sizeof(WCHAR));
    BYTE *data = malloc(max_data + 2);
    for (DWORD i = 0; i < values; i++) {
        DWORD name_len = max_name + max_subkey + 2, size = max_data + 2, type;
        if (!RegEnumValueW(key, i, name, &name_len, NULL, &type, data, &size))
            snap_value(s, path, name, type, data, size);
    }
    for (DWORD i = 0; i < subkeys; i++) {
        DWORD name_len = max_name + max_subkey + 2;
        if (RegEnumKeyExW(key, i, name, &name_len, NULL, NULL, NULL, NULL))
            continue;
        WCHAR *child = malloc((wcslen(path) + name_len + 2) * sizeof(WCHAR));
        swprintf(child, wcslen(path) + name_len + 2, L"%ls\\%ls", path, name);
        snap_key(s, root, child);
        free(child);
    }
    free(name);
    free(data);
    RegCloseKey(key);
}

static int compare_lines(const void *a, const void *b)
{
    return wcscmp(*(WCHAR *const *)a, *(WCHAR *const *)b);
}

static void snap_class_key(struct snapshot *s, HKEY root, const WCHAR *fmt, const WCHAR *name)
{
    WCHAR path[256];
    swprintf(path, ARRAYSIZE(path), fmt, name);
    snap_key(s, root, path);
}

static void snap_focused(struct snapshot *s, HKEY root)
{
    for (unsigned i = 0; i < ARRAYSIZE(classes); i++) {
        snap_class_key(s, root, L"Software\\Classes\\CLSID\\%ls", classes[i].clsid);
        snap_class_key(s, root, L"Software\\Classes\\%ls", classes[i].progid);
        if (classes[i].vi_progid)
            snap_class_key(s, root, L"Software\\Classes\\%ls", classes[i].vi_progid);
    }
    for (unsigned i = 0; i < ARRAYSIZE(not_registered); i++)
        snap_class_key(s, root, L"Software\\Classes\\CLSID\\%ls", not_registered[i]);
    for (unsigned i = 0; i < ARRAYSIZE(marshaled); i++)
        snap_class_key(s, root, L"Software\\Classes\\Interface\\%ls", marshaled[i]);
    snap_class_key(s, root, L"Software\\Classes\\Interface\\%ls", IID_RECORDER_EX);
    snap_class_key(s, root, L"Software\\Classes\\TypeLib\\%ls", LIBID);
    snap_class_key(s, root, L"Software\\Classes\\CLSID\\%ls", UNRELATED_CLSID);
}

static void snap_take(struct snapshot *s, HKEY root, unsigned flags)
{
    memset(s, 0, sizeof(*s));
    if (flags & SNAP_FULL)
        snap_key(s, root, L"Software\\Classes");
    else
        snap_focused(s, root);
    if (flags & SNAP_JOURNAL)
        snap_key(s, root, L"Software\\imapi2-open");
    qsort(s->lines, s->count, sizeof(*s->lines), compare_lines);
}

static void snap_free(struct snapshot *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->lines[i]);
    free(s->lines);
    memset(s, 0, sizeof(*s));
}

/* Lines in one snapshot and not the other; prints the first few. */
static unsigned snap_diff(const struct snapshot *a, const struct snapshot *b, const char *what)
{
    size_t i = 0, j = 0;
    unsigned diffs = 0;
    while (i < a->count || j < b->count) {
        int c = i == a->count ? 1 : j == b->count ? -1 : wcscmp(a->lines[i], b->lines[j]);
        if (!c) {
            i++, j++;
            continue;
        }
        if (diffs++ < 8)
            printf("  %s: %s %ls\n", what, c < 0 ? "lost " : "added", c < 0 ? a->lines[i] : b->lines[j]);
        if (c < 0)
            i++;
        else
            j++;
    }
    return diffs;
}

/* The current state of root compared with a snapshot: number of differences. */
static unsigned diff_now(const struct snapshot *before, HKEY root, unsigned flags, const char *what)
{
    struct snapshot now;
    snap_take(&now, root, flags);
    unsigned diffs = snap_diff(before, &now, what);
    snap_free(&now);
    return diffs;
}

/* "Wrote nothing" over a whole hive's Software tree, which no snapshot could
 * afford: a change notification armed before the call. */
struct watch {
    HKEY key;
    HANDLE event;
};

static void watch_start(struct watch *w, HKEY root)
{
    w->event = CreateEventW(NULL, TRUE, FALSE, NULL);
    w->key = NULL;
    if (RegOpenKeyExW(root, L"Software", 0, KEY_NOTIFY, &w->key) ||
        RegNotifyChangeKeyValue(w->key, TRUE, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET, w->event, TRUE))
        ok(0, "cannot watch the registry\n");
}

static BOOL watch_changed(struct watch *w)
{
    BOOL changed = WaitForSingleObject(w->event, 0) == WAIT_OBJECT_0;
    RegCloseKey(w->key);
    CloseHandle(w->event);
    return changed;
}

/* ---------------------------------------------------------------- checks */

static BOOL is_our_dll(const WCHAR *path)
{
    return !_wcsicmp(path, dll_path);
}

static void check_class_registered(HKEY root, unsigned i)
{
    WCHAR key[128];
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\InprocServer32", classes[i].clsid);
    ok(is_our_dll(class_string(root, key, NULL)), "%ls: InprocServer32 is %ls\n", classes[i].clsid,
       class_string(root, key, NULL));
    ok(!wcscmp(class_string(root, key, L"ThreadingModel"), L"Both"), "%ls: ThreadingModel %ls\n", classes[i].clsid,
       class_string(root, key, L"ThreadingModel"));
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\ProgID", classes[i].clsid);
    ok(!wcscmp(class_string(root, key, NULL), classes[i].progid), "%ls: ProgID %ls\n", classes[i].clsid,
       class_string(root, key, NULL));
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\TypeLib", classes[i].clsid);
    ok(!wcscmp(class_string(root, key, NULL), LIBID), "%ls: TypeLib %ls\n", classes[i].clsid,
       class_string(root, key, NULL));
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\Version", classes[i].clsid);
    ok(!wcscmp(class_string(root, key, NULL), L"1.0"), "%ls: Version %ls\n", classes[i].clsid,
       class_string(root, key, NULL));
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\VersionIndependentProgID", classes[i].clsid);
    ok(!wcscmp(class_string(root, key, NULL), classes[i].vi_progid ? classes[i].vi_progid : L""),
       "%ls: VersionIndependentProgID %ls\n", classes[i].clsid, class_string(root, key, NULL));
    swprintf(key, ARRAYSIZE(key), L"%ls\\CLSID", classes[i].progid);
    ok(!wcscmp(class_string(root, key, NULL), classes[i].clsid), "%ls\\CLSID is %ls\n", classes[i].progid,
       class_string(root, key, NULL));
    if (classes[i].vi_progid) {
        swprintf(key, ARRAYSIZE(key), L"%ls\\CLSID", classes[i].vi_progid);
        ok(!wcscmp(class_string(root, key, NULL), classes[i].clsid), "%ls\\CLSID is %ls\n", classes[i].vi_progid,
           class_string(root, key, NULL));
        swprintf(key, ARRAYSIZE(key), L"%ls\\CurVer", classes[i].vi_progid);
        ok(!wcscmp(class_string(root, key, NULL), classes[i].progid), "%ls\\CurVer is %ls\n", classes[i].vi_progid,
           class_string(root, key, NULL));
    }
}

static void check_interface_registered(HKEY root, const WCHAR *iid)
{
    WCHAR key[128];
    swprintf(key, ARRAYSIZE(key), L"Interface\\%ls\\ProxyStubClsid32", iid);
    ok(!wcscmp(class_string(root, key, NULL), MARSHALER), "%ls: ProxyStubClsid32 %ls\n", iid,
       class_string(root, key, NULL));
    swprintf(key, ARRAYSIZE(key), L"Interface\\%ls\\TypeLib", iid);
    ok(!wcscmp(class_string(root, key, NULL), LIBID), "%ls: TypeLib %ls\n", iid, class_string(root, key, NULL));
    ok(!wcscmp(class_string(root, key, L"Version"), L"1.0"), "%ls: TypeLib version %ls\n", iid,
       class_string(root, key, L"Version"));
}

/* Every interface the typelib says is automation-compatible, not just the
 * list above: a new one added to the IDL must be registered too. */
static void check_typelib_interfaces(HKEY root)
{
    ITypeLib *lib = NULL;
    HRESULT hr = LoadTypeLibEx(dll_path, REGKIND_NONE, &lib);
    ok(hr == S_OK, "LoadTypeLibEx got %#lx\n", hr);
    if (!lib)
        return;
    for (UINT i = 0, n = ITypeLib_GetTypeInfoCount(lib); i < n; i++) {
        TYPEKIND kind;
        ITypeInfo *info;
        TYPEATTR *attr;
        WCHAR iid[39];
        if (FAILED(ITypeLib_GetTypeInfoType(lib, i, &kind)) || (kind != TKIND_DISPATCH && kind != TKIND_INTERFACE))
            continue;
        if (FAILED(ITypeLib_GetTypeInfo(lib, i, &info)))
            continue;
        if (SUCCEEDED(ITypeInfo_GetTypeAttr(info, &attr))) {
            StringFromGUID2(&attr->guid, iid, ARRAYSIZE(iid));
            if (kind == TKIND_DISPATCH || (attr->wTypeFlags & (TYPEFLAG_FDUAL | TYPEFLAG_FOLEAUTOMATION)))
                check_interface_registered(root, iid);
            ITypeInfo_ReleaseTypeAttr(info, attr);
        }
        ITypeInfo_Release(info);
    }
    ITypeLib_Release(lib);
}

static void check_typelib_registered(HKEY root)
{
    WCHAR key[128];
    swprintf(key, ARRAYSIZE(key), L"TypeLib\\%ls\\1.0\\0\\%ls", LIBID, sizeof(void *) == 8 ? L"win64" : L"win32");
    ok(is_our_dll(class_string(root, key, NULL)), "%ls is %ls\n", key, class_string(root, key, NULL));
}

static void check_machine_registered(void)
{
    for (unsigned i = 0; i < ARRAYSIZE(classes); i++)
        check_class_registered(HKEY_LOCAL_MACHINE, i);
    for (unsigned i = 0; i < ARRAYSIZE(not_registered); i++) {
        WCHAR key[64];
        swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls", not_registered[i]);
        ok(!class_key_exists(HKEY_LOCAL_MACHINE, key), "%ls registered\n", key);
    }
    for (unsigned i = 0; i < ARRAYSIZE(marshaled); i++)
        check_interface_registered(HKEY_LOCAL_MACHINE, marshaled[i]);
    ok(wcscmp(class_string(HKEY_LOCAL_MACHINE, L"Interface\\" IID_RECORDER_EX L"\\ProxyStubClsid32", NULL),
              MARSHALER),
       "IDiscRecorder2Ex registered for the typelib marshaler\n");
    check_typelib_interfaces(HKEY_LOCAL_MACHINE);
    check_typelib_registered(HKEY_LOCAL_MACHINE);
}

/* What must be gone once nothing of ours is registered in the machine hive. */
static void check_machine_clean(const char *when)
{
    ITypeLib *lib = NULL;
    HRESULT hr;
    for (unsigned i = 0; i < ARRAYSIZE(classes); i++) {
        WCHAR key[64];
        swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls", classes[i].clsid);
        ok(!class_key_exists(HKEY_LOCAL_MACHINE, key), "%s: %ls still there\n", when, key);
        ok(!class_key_exists(HKEY_LOCAL_MACHINE, classes[i].progid), "%s: %ls still there\n", when,
           classes[i].progid);
    }
    ok(!class_key_exists(HKEY_LOCAL_MACHINE, L"TypeLib\\" LIBID), "%s: TypeLib key still there\n", when);
    ok(!class_key_exists(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER), "%s: IDiscMaster2 still there\n", when);
    ok(!key_exists(HKEY_LOCAL_MACHINE, JOURNAL), "%s: journal still there\n", when);
    hr = LoadRegTypeLib(&libid_imapi2, 1, 0, LOCALE_NEUTRAL, &lib);
    ok(hr == TYPE_E_LIBNOTREGISTERED, "%s: LoadRegTypeLib got %#lx\n", when, hr);
    if (lib)
        ITypeLib_Release(lib);
}

/* ---------------------------------------------------------------- tests */

/* Register, register again, unregister: keys as documented, values that
 * were there before put back, unrelated keys untouched. */
static void test_machine_registration(const struct snapshot *clean)
{
    struct snapshot before, before_focused, registered;
    ITypeLib *lib = NULL;
    BSTR path = NULL;
    HRESULT hr;

    /* Someone else's state: an unrelated class, an Interface key of ours that
     * already exists with a value of its own, a ProgID value we overwrite. */
    set_class_string(HKEY_LOCAL_MACHINE, L"CLSID\\" UNRELATED_CLSID L"\\InprocServer32", NULL, REG_SZ,
                     L"unrelated.dll");
    set_class_string(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER, NULL, REG_SZ, L"OldName");
    set_class_string(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER, L"Extra", REG_SZ, L"keep");
    set_class_string(HKEY_LOCAL_MACHINE, L"IMAPI2.MsftDiscMaster2\\CurVer", NULL, REG_SZ, L"IMAPI2.MsftDiscMaster2.0");
    snap_take(&before, HKEY_LOCAL_MACHINE, FULL);
    snap_take(&before_focused, HKEY_LOCAL_MACHINE, FOCUSED);

    hr = pDllRegisterServer();
    ok(hr == S_OK, "DllRegisterServer got %#lx\n", hr);
    check_machine_registered();
    ok(key_exists(HKEY_LOCAL_MACHINE, JOURNAL), "no journal\n");
    ok(!wcscmp(class_string(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER, NULL), L"IDiscMaster2"),
       "Interface name %ls\n", class_string(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER, NULL));
    ok(!wcscmp(class_string(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER, L"Extra"), L"keep"), "Extra lost\n");
    hr = LoadRegTypeLib(&libid_imapi2, 1, 0, LOCALE_NEUTRAL, &lib);
    ok(hr == S_OK, "LoadRegTypeLib got %#lx\n", hr);
    if (lib)
        ITypeLib_Release(lib);
    hr = QueryPathOfRegTypeLib(&libid_imapi2, 1, 0, LOCALE_NEUTRAL, &path);
    ok(hr == S_OK && path && is_our_dll(path), "QueryPathOfRegTypeLib got %#lx %ls\n", hr, path ? path : L"");
    SysFreeString(path);

    /* Registering again changes nothing, the journal included: one /u undoes both. */
    snap_take(&registered, HKEY_LOCAL_MACHINE, FOCUSED);
    hr = pDllRegisterServer();
    ok(hr == S_OK, "second DllRegisterServer got %#lx\n", hr);
    ok(!diff_now(&registered, HKEY_LOCAL_MACHINE, FOCUSED, "registered twice"), "second registration changed things\n");
    snap_free(&registered);

    hr = pDllUnregisterServer();
    ok(hr == S_OK, "DllUnregisterServer got %#lx\n", hr);
    ok(!diff_now(&before, HKEY_LOCAL_MACHINE, FULL, "after /u"), "unregistration did not restore the registry\n");
    ok(class_key_exists(HKEY_LOCAL_MACHINE, L"CLSID\\" UNRELATED_CLSID), "unrelated class removed\n");
    ok(!wcscmp(class_string(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER, NULL), L"OldName"),
       "replaced value not put back: %ls\n", class_string(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER, NULL));
    ok(!wcscmp(class_string(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER, L"Extra"), L"keep"), "Extra lost\n");
    ok(!class_key_exists(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER L"\\ProxyStubClsid32"),
       "ProxyStubClsid32 left behind\n");
    ok(!wcscmp(class_string(HKEY_LOCAL_MACHINE, L"IMAPI2.MsftDiscMaster2\\CurVer", NULL), L"IMAPI2.MsftDiscMaster2.0"),
       "CurVer not put back: %ls\n", class_string(HKEY_LOCAL_MACHINE, L"IMAPI2.MsftDiscMaster2\\CurVer", NULL));

    hr = pDllUnregisterServer();
    ok(hr == S_OK, "second DllUnregisterServer got %#lx\n", hr);
    ok(!diff_now(&before_focused, HKEY_LOCAL_MACHINE, FOCUSED, "after second /u"), "second /u changed things\n");
    snap_free(&before);
    snap_free(&before_focused);

    delete_class_tree(HKEY_LOCAL_MACHINE, L"CLSID\\" UNRELATED_CLSID);
    delete_class_tree(HKEY_LOCAL_MACHINE, L"Interface\\" IID_MASTER);
    delete_class_tree(HKEY_LOCAL_MACHINE, L"IMAPI2.MsftDiscMaster2");
    ok(!diff_now(clean, HKEY_LOCAL_MACHINE, FOCUSED, "test cleanup"), "test state not cleaned up\n");
}

/* A key of ours that someone else has since put a subkey in stays, with that
 * subkey; everything else of ours goes. (The 32- and 64-bit registrations
 * share TypeLib\{LIBID} this way on Windows.) */
static void test_shared_key_survives(void)
{
    HRESULT hr = pDllRegisterServer();
    ok(hr == S_OK, "DllRegisterServer got %#lx\n", hr);
    set_class_string(HKEY_LOCAL_MACHINE, L"TypeLib\\" LIBID L"\\1.0\\0\\other", NULL, REG_SZ, L"other.dll");
    hr = pDllUnregisterServer();
    ok(hr == S_OK, "DllUnregisterServer got %#lx\n", hr);
    ok(!wcscmp(class_string(HKEY_LOCAL_MACHINE, L"TypeLib\\" LIBID L"\\1.0\\0\\other", NULL), L"other.dll"),
       "someone else's subkey removed\n");
    ok(!class_key_exists(HKEY_LOCAL_MACHINE, L"TypeLib\\" LIBID L"\\1.0\\0\\win64") &&
           !class_key_exists(HKEY_LOCAL_MACHINE, L"TypeLib\\" LIBID L"\\1.0\\0\\win32"),
       "our platform key left\n");
    ok(!class_key_exists(HKEY_LOCAL_MACHINE, L"TypeLib\\" LIBID L"\\1.0\\FLAGS"), "FLAGS left\n");
    delete_class_tree(HKEY_LOCAL_MACHINE, L"TypeLib\\" LIBID);
    check_machine_clean("after a shared key");
}

/* DllInstall(TRUE, "user") writes HKCU\Software\Classes only. */
static void test_per_user(void)
{
    struct snapshot user;
    struct watch machine;
    CLSID clsid;
    HRESULT hr;
    snap_take(&user, HKEY_CURRENT_USER, FULL);
    watch_start(&machine, HKEY_LOCAL_MACHINE);
    hr = pDllInstall(TRUE, L"user");
    ok(hr == S_OK, "DllInstall(user) got %#lx\n", hr);
    for (unsigned i = 0; i < ARRAYSIZE(classes); i++)
        check_class_registered(HKEY_CURRENT_USER, i);
    check_interface_registered(HKEY_CURRENT_USER, IID_MASTER);
    check_typelib_registered(HKEY_CURRENT_USER);
    ok(key_exists(HKEY_CURRENT_USER, JOURNAL), "no per-user journal\n");
    /* Windows merges HKCU\Software\Classes into HKCR; Wine 8 does not, so a
     * per-user registration is invisible to COM there. */
    hr = CLSIDFromProgID(L"IMAPI2.MsftDiscMaster2", &clsid);
    todo_if(on_wine) ok(hr == S_OK, "CLSIDFromProgID after per-user registration got %#lx\n", hr);

    hr = pDllInstall(FALSE, L"user");
    ok(hr == S_OK, "DllInstall(FALSE, user) got %#lx\n", hr);
    ok(!diff_now(&user, HKEY_CURRENT_USER, FULL, "per-user /u"), "per-user /u did not restore HKCU\n");
    ok(!watch_changed(&machine), "per-user registration and /u wrote HKLM\n");
    snap_free(&user);
}

/* Another implementation's class: refused without a trace, taken over with
 * "override", given back by /u. */
static void test_refusal_and_override(void)
{
    static const WCHAR recorder_server[] = L"CLSID\\" CLSID_RECORDER L"\\InprocServer32";
    struct snapshot machine, user;
    struct watch nothing;
    HRESULT hr;

    set_class_string(HKEY_LOCAL_MACHINE, recorder_server, NULL, REG_SZ, FOREIGN_DLL);
    set_class_string(HKEY_LOCAL_MACHINE, recorder_server, L"ThreadingModel", REG_SZ, L"Apartment");
    snap_take(&machine, HKEY_LOCAL_MACHINE, FOCUSED);
    snap_take(&user, HKEY_CURRENT_USER, FULL);

    watch_start(&nothing, HKEY_LOCAL_MACHINE);
    hr = pDllRegisterServer();
    ok(hr == SELFREG_E_CLASS, "DllRegisterServer over another implementation got %#lx\n", hr);
    hr = pDllInstall(TRUE, NULL);
    ok(hr == SELFREG_E_CLASS, "DllInstall(TRUE, NULL) got %#lx\n", hr);
    ok(!watch_changed(&nothing), "refused registration wrote to HKLM\\Software\n");

    /* Beside it, for this user: allowed. */
    watch_start(&nothing, HKEY_LOCAL_MACHINE);
    hr = pDllInstall(TRUE, L"user");
    ok(hr == S_OK, "DllInstall(user) beside another implementation got %#lx\n", hr);
    pDllInstall(FALSE, L"user");
    ok(!watch_changed(&nothing), "per-user registration wrote to HKLM\\Software\n");
    ok(!diff_now(&user, HKEY_CURRENT_USER, FULL, "per-user beside /u"), "per-user /u did not restore HKCU\n");

    hr = pDllInstall(TRUE, L"override");
    ok(hr == S_OK, "DllInstall(override) got %#lx\n", hr);
    check_machine_registered();
    hr = pDllUnregisterServer();
    ok(hr == S_OK, "DllUnregisterServer after override got %#lx\n", hr);
    ok(!wcscmp(class_string(HKEY_LOCAL_MACHINE, recorder_server, NULL), FOREIGN_DLL), "other server not put back: %ls\n",
       class_string(HKEY_LOCAL_MACHINE, recorder_server, NULL));
    ok(!wcscmp(class_string(HKEY_LOCAL_MACHINE, recorder_server, L"ThreadingModel"), L"Apartment"),
       "other threading model not put back: %ls\n", class_string(HKEY_LOCAL_MACHINE, recorder_server, L"ThreadingModel"));
    ok(!diff_now(&machine, HKEY_LOCAL_MACHINE, FOCUSED, "override /u"), "override /u did not restore HKLM\n");

    /* The way Windows writes its own: REG_EXPAND_SZ with %SystemRoot%. */
    set_class_string(HKEY_LOCAL_MACHINE, recorder_server, NULL, REG_EXPAND_SZ, L"%SystemRoot%\\system32\\imapi2.dll");
    hr = pDllRegisterServer();
    ok(hr == SELFREG_E_CLASS, "DllRegisterServer over an expandable path got %#lx\n", hr);
    snap_free(&machine);
    snap_free(&user);
    delete_class_tree(HKEY_LOCAL_MACHINE, L"CLSID\\" CLSID_RECORDER);
    check_machine_clean("after refusal");
}

/* The same file written differently is ours, not another implementation. */
static void test_same_file_other_spelling(void)
{
    static const WCHAR server[] = L"CLSID\\" CLSID_MASTER L"\\InprocServer32";
    WCHAR upper[MAX_PATH];
    HRESULT hr;
    wcscpy(upper, dll_path);
    _wcsupr(upper);
    set_class_string(HKEY_LOCAL_MACHINE, server, NULL, REG_SZ, upper);
    hr = pDllRegisterServer();
    ok(hr == S_OK, "DllRegisterServer over our own path in capitals got %#lx\n", hr);
    pDllUnregisterServer();
    ok(!wcscmp(class_string(HKEY_LOCAL_MACHINE, server, NULL), upper), "old spelling not put back: %ls\n",
       class_string(HKEY_LOCAL_MACHINE, server, NULL));
    delete_class_tree(HKEY_LOCAL_MACHINE, L"CLSID\\" CLSID_MASTER);
    check_machine_clean("after other spelling");
}

static void test_bad_option(void)
{
    struct watch machine, user;
    watch_start(&machine, HKEY_LOCAL_MACHINE);
    watch_start(&user, HKEY_CURRENT_USER);
    HRESULT hr = pDllInstall(TRUE, L"bogus");
    ok(hr == E_INVALIDARG, "DllInstall(bogus) got %#lx\n", hr);
    hr = pDllInstall(TRUE, L"user,bogus");
    ok(hr == E_INVALIDARG, "DllInstall(user,bogus) got %#lx\n", hr);
    ok(!watch_changed(&machine), "a bad option wrote to HKLM\n");
    ok(!watch_changed(&user), "a bad option wrote to HKCU\n");
}

/* regsvr32 OPTIONS "path"; what it wrote to stderr goes to err (when not NULL). */
static DWORD run_regsvr32_on(const WCHAR *options, const WCHAR *path, char *err, size_t err_size)
{
    WCHAR cmdline[MAX_PATH + 64], out_name[MAX_PATH], dir[MAX_PATH];
    SECURITY_ATTRIBUTES sa = { .nLength = sizeof(sa), .bInheritHandle = TRUE };
    STARTUPINFOW si = { .cb = sizeof(si) };
    PROCESS_INFORMATION pi;
    HANDLE out = INVALID_HANDLE_VALUE;
    DWORD code = 0xdead;
    swprintf(cmdline, ARRAYSIZE(cmdline), L"regsvr32.exe %ls \"%ls\"", options, path);
    if (err) {
        err[0] = 0;
        GetTempPathW(ARRAYSIZE(dir), dir);
        GetTempFileNameW(dir, L"rsv", 0, out_name);
        out = CreateFileW(out_name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                          CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY, NULL);
        si.dwFlags = STARTF_USESTDHANDLES;
        si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        si.hStdOutput = out;
        si.hStdError = out;
    }
    if (!CreateProcessW(NULL, cmdline, NULL, NULL, err != NULL, 0, NULL, NULL, &si, &pi)) {
        ok(0, "cannot run %ls: %lu\n", cmdline, GetLastError());
    } else {
        WaitForSingleObject(pi.hProcess, 60000);
        GetExitCodeProcess(pi.hProcess, &code);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    if (err) {
        DWORD got = 0;
        SetFilePointer(out, 0, NULL, FILE_BEGIN);
        if (!ReadFile(out, err, (DWORD)err_size - 1, &got, NULL))
            got = 0;
        err[got] = 0;
        CloseHandle(out);
        DeleteFileW(out_name);
    }
    return code;
}

static DWORD run_regsvr32(const WCHAR *options)
{
    return run_regsvr32_on(options, dll_path, NULL, 0);
}

static void test_regsvr32(const struct snapshot *clean)
{
    struct snapshot user;
    DWORD code;
    code = run_regsvr32(L"/s");
    ok(code == 0, "regsvr32 /s exited %lu\n", code);
    check_machine_registered();
    code = run_regsvr32(L"/s /u");
    ok(code == 0, "regsvr32 /s /u exited %lu\n", code);
    check_machine_clean("after regsvr32 /u");
    ok(!diff_now(clean, HKEY_LOCAL_MACHINE, FOCUSED, "regsvr32 /u"), "regsvr32 /u did not restore HKLM\n");

    snap_take(&user, HKEY_CURRENT_USER, FULL);
    code = run_regsvr32(L"/s /n /i:user");
    ok(code == 0, "regsvr32 /s /n /i:user exited %lu\n", code);
    check_class_registered(HKEY_CURRENT_USER, 0);
    code = run_regsvr32(L"/s /u /n /i:user");
    ok(code == 0, "regsvr32 /s /u /n /i:user exited %lu\n", code);
    ok(!diff_now(&user, HKEY_CURRENT_USER, FULL, "regsvr32 /u /n /i:user"), "per-user regsvr32 /u left things\n");
    snap_free(&user);

    set_class_string(HKEY_LOCAL_MACHINE, L"CLSID\\" CLSID_RECORDER L"\\InprocServer32", NULL, REG_SZ, FOREIGN_DLL);
    code = run_regsvr32(L"/s");
    ok(code != 0, "regsvr32 /s over another implementation exited %lu\n", code);
    delete_class_tree(HKEY_LOCAL_MACHINE, L"CLSID\\" CLSID_RECORDER);
    ok(!diff_now(clean, HKEY_LOCAL_MACHINE, FOCUSED, "refused regsvr32"), "refused regsvr32 wrote something\n");
}

/* A copy of our DLL in another folder, registered, then deleted (the tree was
 * moved): registering another copy over that stale registration is allowed
 * without override, because our journal lists those keys; /u of the new copy
 * restores the registry. Another implementation's registration to a file that
 * is gone is still refused. */
static void test_moved_copy(const struct snapshot *clean)
{
    WCHAR temp[MAX_PATH], first_dir[MAX_PATH], first[MAX_PATH], second_dir[MAX_PATH], second[MAX_PATH];
    WCHAR key[128];
    char err[4096];
    DWORD code;
    GetTempPathW(ARRAYSIZE(temp), temp);
    swprintf(first_dir, ARRAYSIZE(first_dir), L"%lsimapi2-moved-%lu-a", temp, GetCurrentProcessId());
    swprintf(second_dir, ARRAYSIZE(second_dir), L"%lsimapi2-moved-%lu-b", temp, GetCurrentProcessId());
    swprintf(first, ARRAYSIZE(first), L"%ls\\imapi2.dll", first_dir);
    swprintf(second, ARRAYSIZE(second), L"%ls\\imapi2.dll", second_dir);
    CreateDirectoryW(first_dir, NULL);
    CreateDirectoryW(second_dir, NULL);
    if (!CopyFileW(dll_path, first, FALSE) || !CopyFileW(dll_path, second, FALSE)) {
        skip("cannot copy the DLL to %ls: %lu\n", temp, GetLastError());
        return;
    }

    code = run_regsvr32_on(L"/s", first, err, sizeof(err));
    ok(code == 0, "regsvr32 of the first copy exited %lu: %s\n", code, err);
    swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\InprocServer32", CLSID_MASTER);
    ok(!_wcsicmp(class_string(HKEY_LOCAL_MACHINE, key, NULL), first), "registered to %ls\n",
       class_string(HKEY_LOCAL_MACHINE, key, NULL));
    ok(DeleteFileW(first), "cannot delete the first copy: %lu\n", GetLastError());
    RemoveDirectoryW(first_dir);

    /* The stale registration is ours: replaced, and regsvr32 says so. */
    code = run_regsvr32_on(L"/s", second, err, sizeof(err));
    ok(code == 0, "regsvr32 of a copy over our own stale registration exited %lu: %s\n", code, err);
    ok(strstr(err, "no longer exists") != NULL, "regsvr32 did not say the old file is gone: %s\n", err);
    for (unsigned i = 0; i < ARRAYSIZE(classes); i++) {
        swprintf(key, ARRAYSIZE(key), L"CLSID\\%ls\\InprocServer32", classes[i].clsid);
        ok(!_wcsicmp(class_string(HKEY_LOCAL_MACHINE, key, NULL), second), "%ls registered to %ls\n",
           classes[i].clsid, class_string(HKEY_LOCAL_MACHINE, key, NULL));
    }
    swprintf(key, ARRAYSIZE(key), L"TypeLib\\%ls\\1.0\\0\\%ls", LIBID, sizeof(void *) == 8 ? L"win64" : L"win32");
    ok(!_wcsicmp(class_string(HKEY_LOCAL_MACHINE, key, NULL), second), "typelib registered to %ls\n",
       class_string(HKEY_LOCAL_MACHINE, key, NULL));
    code = run_regsvr32_on(L"/s /u", second, NULL, 0);
    ok(code == 0, "regsvr32 /u of the second copy exited %lu\n", code);
    check_machine_clean("after /u of the moved copy");
    ok(!diff_now(clean, HKEY_LOCAL_MACHINE, FOCUSED, "moved copy /u"), "/u of the moved copy left things\n");

    /* Another implementation's registration to a file that is gone, which
     * our journal does not list: still refused, naming the file and the way. */
    set_class_string(HKEY_LOCAL_MACHINE, L"CLSID\\" CLSID_RECORDER L"\\InprocServer32", NULL, REG_SZ, first);
    code = run_regsvr32_on(L"/s", second, err, sizeof(err));
    ok(code != 0, "regsvr32 over another implementation's stale registration exited %lu\n", code);
    ok(strstr(err, "does not exist") && strstr(err, "override"), "refusal does not explain: %s\n", err);
    if (on_wine)
        ok(strstr(err, "does not help under Wine") != NULL, "refusal suggests per-user under Wine: %s\n", err);
    delete_class_tree(HKEY_LOCAL_MACHINE, L"CLSID\\" CLSID_RECORDER);
    ok(!diff_now(clean, HKEY_LOCAL_MACHINE, FOCUSED, "refused stale"), "refused registration wrote something\n");

    DeleteFileW(second);
    RemoveDirectoryW(second_dir);
}

/* ---------------------------------------------------------------- setup */

/* build/<arch>/tests/register.exe -> build/<arch>/imapi2.dll */
static BOOL load_dll(void)
{
    WCHAR exe[MAX_PATH], guess[MAX_PATH + 16];
    DWORD len = GetModuleFileNameW(NULL, exe, ARRAYSIZE(exe));
    if (!len || len >= ARRAYSIZE(exe) || !wcsrchr(exe, '\\'))
        return FALSE;
    *wcsrchr(exe, '\\') = 0;
    swprintf(guess, ARRAYSIZE(guess), L"%ls\\..\\imapi2.dll", exe);
    if (!GetFullPathNameW(guess, ARRAYSIZE(dll_path), dll_path, NULL))
        return FALSE;
    if (!(dll = LoadLibraryW(dll_path)))
        return FALSE;
    pDllRegisterServer = (void *)GetProcAddress(dll, "DllRegisterServer");
    pDllUnregisterServer = (void *)GetProcAddress(dll, "DllUnregisterServer");
    pDllInstall = (void *)GetProcAddress(dll, "DllInstall");
    /* The DLL registers the name it was loaded under: use that spelling. */
    GetModuleFileNameW(dll, dll_path, ARRAYSIZE(dll_path));
    return pDllRegisterServer && pDllUnregisterServer && pDllInstall;
}

static BOOL registered_here(HKEY root)
{
    return is_our_dll(class_string(root, L"CLSID\\" CLSID_MASTER L"\\InprocServer32", NULL)) &&
           key_exists(root, JOURNAL);
}

int main(void)
{
    struct snapshot initial_machine, initial_user, clean, clean_full;
    BOOL machine_was, user_was;
    HRESULT hr;

    on_wine = GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != NULL;
    okay_on_windows = !on_wine;
    if (!load_dll()) {
        skip("cannot load %ls\n", dll_path);
        return okay_summary("register");
    }
    machine_was = registered_here(HKEY_LOCAL_MACHINE);
    user_was = registered_here(HKEY_CURRENT_USER);
    /* Without the journal: it is rebuilt at the end, possibly in a newer format. */
    snap_take(&initial_machine, HKEY_LOCAL_MACHINE, SNAP_FOCUSED);
    snap_take(&initial_user, HKEY_CURRENT_USER, SNAP_FULL);

    /* From nothing of ours registered. */
    hr = pDllUnregisterServer();
    ok(hr == S_OK, "DllUnregisterServer got %#lx\n", hr);
    hr = pDllInstall(FALSE, L"user");
    ok(hr == S_OK, "DllInstall(FALSE, user) got %#lx\n", hr);
    check_machine_clean("initial /u");
    snap_take(&clean, HKEY_LOCAL_MACHINE, FOCUSED);
    snap_take(&clean_full, HKEY_LOCAL_MACHINE, FULL);

    test_machine_registration(&clean);
    test_shared_key_survives();
    test_per_user();
    test_refusal_and_override();
    test_same_file_other_spelling();
    test_bad_option();
    test_regsvr32(&clean);
    test_moved_copy(&clean);
    ok(!diff_now(&clean_full, HKEY_LOCAL_MACHINE, FULL, "end"), "tests left HKLM changed\n");

    /* Leave the prefix as it was found, for the tests that follow. */
    if (user_was)
        ok(pDllInstall(TRUE, L"user") == S_OK, "restoring the per-user registration\n");
    if (machine_was)
        ok(pDllRegisterServer() == S_OK, "restoring the registration\n");
    ok(!diff_now(&initial_machine, HKEY_LOCAL_MACHINE, SNAP_FOCUSED, "restored"), "HKLM not as found\n");
    ok(!diff_now(&initial_user, HKEY_CURRENT_USER, SNAP_FULL, "restored"), "HKCU not as found\n");
    snap_free(&initial_machine);
    snap_free(&initial_user);
    snap_free(&clean);
    snap_free(&clean_full);
    return okay_summary("register");
}
