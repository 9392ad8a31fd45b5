/* Recorder discovery and opening: real drives through SPTI (and, under
 * Wine, through imapi2-sghelper), virtual recorders from the registry. */
#include <stdio.h>
#include <wchar.h>
#include "sgpipe_win.h"
#include "imapi2_private.h"
#include "devices.h"
#include "transport/virtual.h"
#include "spti_win.h"

/* The CD-ROM device interface class, which ends every recorder ID on Windows. */
#define CDROM_INTERFACE_CLASS L"{53f56308-b6bf-11d0-94f2-00a0c91efb8b}"
#define VIRTUAL_ID_PREFIX L"\\\\?\\imapi2virtual#cdrom#"

struct device_list {
    struct device_entry *items;
    unsigned count, size;
};

static struct device_entry *list_add(struct device_list *list)
{
    if (list->count == list->size) {
        unsigned size = list->size ? list->size * 2 : 8;
        void *grown = list->items ? HeapReAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, list->items, size * sizeof(*list->items))
                                  : HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size * sizeof(*list->items));
        if (!grown)
            return NULL;
        list->items = grown;
        list->size = size;
    }
    return &list->items[list->count++];
}

static BOOL list_has_virtual(const struct device_list *list, const WCHAR *name)
{
    for (unsigned i = 0; i < list->count; i++)
        if (list->items[i].is_virtual && !_wcsicmp(list->items[i].name, name))
            return TRUE;
    return FALSE;
}

/* Names become part of the unique ID: keep them to characters that are safe
 * in a device path. */
static BOOL virtual_name_valid(const WCHAR *name)
{
    if (!name[0])
        return FALSE;
    for (const WCHAR *p = name; *p; p++)
        if (!iswalnum(*p) && !wcschr(L"-_.", *p))
            return FALSE;
    return TRUE;
}

static HRESULT add_virtual_from(HKEY hive, struct device_list *list)
{
    WCHAR name[VIRTUAL_NAME_MAX];
    HKEY key;
    if (RegOpenKeyExW(hive, VIRTUAL_RECORDERS_KEY, 0, KEY_READ, &key) != ERROR_SUCCESS)
        return S_OK;
    for (DWORD i = 0;; i++) {
        DWORD len = ARRAYSIZE(name);
        LSTATUS status = RegEnumKeyExW(key, i, name, &len, NULL, NULL, NULL, NULL);
        if (status == ERROR_MORE_DATA)
            continue; /* a name too long to be one of ours */
        if (status != ERROR_SUCCESS)
            break;
        /* HKCU comes first: a per-user recorder hides a machine one of the same name. */
        if (!virtual_name_valid(name) || list_has_virtual(list, name))
            continue;
        struct device_entry *e = list_add(list);
        if (!e) {
            RegCloseKey(key);
            return E_OUTOFMEMORY;
        }
        e->is_virtual = TRUE;
        e->legacy_number = -1;
        wcscpy(e->name, name);
        swprintf(e->unique_id, ARRAYSIZE(e->unique_id), VIRTUAL_ID_PREFIX L"%ls#" CDROM_INTERFACE_CLASS, name);
    }
    RegCloseKey(key);
    return S_OK;
}

#define MAX_REAL_DRIVES 32

static HRESULT add_real(struct device_list *list)
{
    struct spti_drive *drives = HeapAlloc(GetProcessHeap(), 0, MAX_REAL_DRIVES * sizeof(*drives));
    int found;
    if (!drives)
        return E_OUTOFMEMORY;
    found = spti_enumerate(drives, MAX_REAL_DRIVES);
    for (int i = 0; i < found && i < MAX_REAL_DRIVES; i++) {
        struct device_entry *e = list_add(list);
        if (!e) {
            HeapFree(GetProcessHeap(), 0, drives);
            return E_OUTOFMEMORY;
        }
        lstrcpynW(e->unique_id, drives[i].unique_id, ARRAYSIZE(e->unique_id));
        lstrcpynW(e->path, drives[i].path, ARRAYSIZE(e->path));
        e->legacy_number = drives[i].device_number;
        e->drive_letter = drives[i].letter;
    }
    HeapFree(GetProcessHeap(), 0, drives);
    return S_OK;
}

/* ---- drives served by imapi2-sghelper (Wine only) ---- */

/* IMAPI2_SGHELPER_DEVICES as the NUL-separated UTF-8 list the helper takes. */
static uint32_t helper_extra_paths(char *out, uint32_t size)
{
    WCHAR value[2048];
    DWORD len = GetEnvironmentVariableW(SGPIPE_DEVICES_ENV, value, ARRAYSIZE(value));
    if (!len || len >= ARRAYSIZE(value))
        return 0;
    int bytes = WideCharToMultiByte(CP_UTF8, 0, value, -1, out, (int)size, NULL, NULL);
    if (bytes <= 0)
        return 0;
    for (int i = 0; i < bytes; i++)
        if (out[i] == ';')
            out[i] = 0;
    return (uint32_t)bytes;
}

static BOOL path_in_list(const char *path, const char *list, uint32_t len)
{
    uint32_t pos = 0;
    for (const char *p; (p = sgpipe_next_path(list, len, &pos)) != NULL;)
        if (!strcmp(p, path))
            return TRUE;
    return FALSE;
}

static BOOL list_has_helper_path(const struct device_list *list, const char *path)
{
    for (unsigned i = 0; i < list->count; i++)
        if (!strcmp(list->items[i].helper_path, path))
            return TRUE;
    return FALSE;
}

/* The instance part of a helper drive's ID: the node's name ("sr0",
 * "sg2"), or "vrec_" and the media file's name. */
static void helper_instance(const char *path, WCHAR *out, size_t size)
{
    const char *base = strrchr(path, '/');
    BOOL is_vrec = !strncmp(path, "vrec:", 5);
    size_t n = (size_t)swprintf(out, size, L"imapi2&%ls", is_vrec ? L"vrec_" : L"");
    for (base = base ? base + 1 : path; *base && n + 1 < size; base++)
        out[n++] = isalnum((unsigned char)*base) || strchr("-_.", *base) ? (WCHAR)*base : L'_';
    out[n] = 0;
}

/* INQUIRY bytes rebuilt from the helper's strings, for the ID builder spti uses. */
static void helper_inquiry(const struct sgpipe_entry *e, uint8_t inquiry[36])
{
    memset(inquiry, ' ', 36);
    memcpy(inquiry + 8, e->vendor, strlen(e->vendor));
    memcpy(inquiry + 16, e->product, strlen(e->product));
    memcpy(inquiry + 32, e->revision, strlen(e->revision));
}

/* Decision: a node the helper serves wins over the drive letter Wine links
 * to it (full SG_IO: host/driver status, real limits); the letter stays
 * attached to the helper's entry. */
static void remove_spti_letter(struct device_list *list, WCHAR letter)
{
    for (unsigned i = 0; i < list->count; i++) {
        struct device_entry *e = &list->items[i];
        if (e->is_virtual || e->helper_path[0] || towupper(e->drive_letter) != letter)
            continue;
        memmove(e, e + 1, (list->count - i - 1) * sizeof(*e));
        list->count--;
        i--;
    }
}

static long sr_number(const char *path)
{
    const char *digits = path + strlen("/dev/sr");
    return !strncmp(path, "/dev/sr", strlen("/dev/sr")) ? strtol(digits, NULL, 10) : -1;
}

static HRESULT add_helper_entry(struct device_list *list, const struct sgpipe_entry *found)
{
    WCHAR instance[96];
    uint8_t inquiry[36];
    struct device_entry *e;
    if (found->letter)
        remove_spti_letter(list, towupper((WCHAR)found->letter));
    if (!(e = list_add(list)))
        return E_OUTOFMEMORY;
    helper_inquiry(found, inquiry);
    helper_instance(found->path, instance, ARRAYSIZE(instance));
    if (!spti_format_unique_id(e->unique_id, ARRAYSIZE(e->unique_id),
                               (found->flags & SGPIPE_ENTRY_INQUIRY_OK) ? inquiry : NULL, sizeof(inquiry), instance)) {
        list->count--;
        return S_OK;
    }
    lstrcpynA(e->helper_path, found->path, sizeof(e->helper_path));
    e->legacy_number = sr_number(found->path);
    e->drive_letter = found->letter ? towupper((WCHAR)found->letter) : 0;
    return S_OK;
}

/* /dev/srN (when real drives are shown) and IMAPI2_SGHELPER_DEVICES, as
 * one helper run enumerates them. Without Wine or a helper: nothing. */
static HRESULT add_helper(struct device_list *list, BOOL real)
{
    char extra[4096];
    uint32_t extra_len = helper_extra_paths(extra, sizeof(extra));
    HRESULT hr = S_OK;
    if ((!real && !extra_len) || !sgpipe_win_available())
        return S_OK;
    struct sgpipe_entry *found = HeapAlloc(GetProcessHeap(), 0, SGPIPE_ENUM_MAX * sizeof(*found));
    if (!found)
        return E_OUTOFMEMORY;
    int count = sgpipe_win_enumerate(extra, extra_len, found, SGPIPE_ENUM_MAX);
    if (count < 0)
        WARN("imapi2-sghelper did not answer\n");
    for (int i = 0; i < count && SUCCEEDED(hr); i++) {
        if ((!real && !path_in_list(found[i].path, extra, extra_len)) || list_has_helper_path(list, found[i].path))
            continue;
        hr = add_helper_entry(list, &found[i]);
    }
    HeapFree(GetProcessHeap(), 0, found);
    return hr;
}

/* The order of IDiscMaster2's list, which recorder numbers follow: real
 * drives first, by device number (/dev/srN's N, the Windows device number),
 * those without one (sg nodes, vrec: paths) after them by ID; then virtual
 * recorders by name. A total order: qsort is not stable, and equal keys
 * could swap from one listing to the next. */
static int compare_entries(const void *a, const void *b)
{
    const struct device_entry *x = a, *y = b;
    if (x->is_virtual != y->is_virtual)
        return x->is_virtual ? 1 : -1;
    if (x->is_virtual)
        return _wcsicmp(x->name, y->name);
    if ((x->legacy_number < 0) != (y->legacy_number < 0))
        return x->legacy_number < 0 ? 1 : -1;
    if (x->legacy_number != y->legacy_number)
        return x->legacy_number < y->legacy_number ? -1 : 1;
    return _wcsicmp(x->unique_id, y->unique_id);
}

HRESULT devices_list(struct device_entry **out, unsigned *count)
{
    struct device_list list = { 0 };
    /* IMAPI2_NO_REAL_DRIVES=1 hides real drives (tests, demos on machines with a burner). */
    BOOL real = GetEnvironmentVariableW(L"IMAPI2_NO_REAL_DRIVES", NULL, 0) == 0;
    HRESULT hr = real ? add_real(&list) : S_OK;
    if (SUCCEEDED(hr))
        hr = add_helper(&list, real);
    if (SUCCEEDED(hr))
        hr = add_virtual_from(HKEY_CURRENT_USER, &list);
    if (SUCCEEDED(hr))
        hr = add_virtual_from(HKEY_LOCAL_MACHINE, &list);
    if (FAILED(hr)) {
        HeapFree(GetProcessHeap(), 0, list.items);
        return hr;
    }
    if (list.count)
        qsort(list.items, list.count, sizeof(*list.items), compare_entries);
    *out = list.items;
    *count = list.count;
    return S_OK;
}

HRESULT devices_find(const WCHAR *unique_id, struct device_entry *out)
{
    struct device_entry *list;
    unsigned count;
    HRESULT hr = devices_list(&list, &count);
    if (FAILED(hr))
        return hr;
    hr = E_INVALIDARG;
    for (unsigned i = 0; i < count; i++) {
        if (!_wcsicmp(list[i].unique_id, unique_id)) {
            *out = list[i];
            hr = S_OK;
            break;
        }
    }
    HeapFree(GetProcessHeap(), 0, list);
    return hr;
}

/* ---- virtual recorders ---- */

/* The configuration of one virtual recorder, read from its key (HKCU first). */
struct virtual_settings {
    char media_path[MAX_PATH * 3];
    char kind[32];
    char vendor[16], product[32], revision[8];
    char *fault_script; /* heap, NULL when none */
    DWORD speed, buffer_bytes, unthrottled, raw_block_types, no_tao;
};

static HKEY open_virtual_key(const WCHAR *name)
{
    WCHAR path[ARRAYSIZE(VIRTUAL_RECORDERS_KEY) + VIRTUAL_NAME_MAX + 1];
    HKEY key;
    swprintf(path, ARRAYSIZE(path), VIRTUAL_RECORDERS_KEY L"\\%ls", name);
    if (RegOpenKeyExW(HKEY_CURRENT_USER, path, 0, KEY_READ, &key) == ERROR_SUCCESS)
        return key;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &key) == ERROR_SUCCESS)
        return key;
    return NULL;
}

/* A string value as UTF-8 (vrec opens files with C stdio, which takes the
 * ANSI code page on Windows: the path is converted with CP_ACP). */
static BOOL read_string(HKEY key, const WCHAR *value, UINT codepage, char *out, DWORD size)
{
    WCHAR text[MAX_PATH * 2];
    DWORD bytes = sizeof(text) - sizeof(WCHAR);
    out[0] = 0;
    if (RegGetValueW(key, NULL, value, RRF_RT_REG_SZ, NULL, text, &bytes) != ERROR_SUCCESS)
        return FALSE;
    return WideCharToMultiByte(codepage, 0, text, -1, out, (int)size, NULL, NULL) > 0;
}

static DWORD read_dword(HKEY key, const WCHAR *value, DWORD fallback)
{
    DWORD data, bytes = sizeof(data);
    if (RegGetValueW(key, NULL, value, RRF_RT_REG_DWORD, NULL, &data, &bytes) != ERROR_SUCCESS)
        return fallback;
    return data;
}

/* FaultScript is REG_MULTI_SZ (one rule a string) or REG_SZ with newlines. */
static char *read_fault_script(HKEY key)
{
    DWORD bytes = 0, type;
    if (RegQueryValueExW(key, L"FaultScript", NULL, &type, NULL, &bytes) != ERROR_SUCCESS || !bytes)
        return NULL;
    if (type != REG_MULTI_SZ && type != REG_SZ)
        return NULL;
    WCHAR *text = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, bytes + 2 * sizeof(WCHAR));
    if (!text || RegQueryValueExW(key, L"FaultScript", NULL, NULL, (BYTE *)text, &bytes) != ERROR_SUCCESS) {
        HeapFree(GetProcessHeap(), 0, text);
        return NULL;
    }
    DWORD chars = bytes / sizeof(WCHAR);
    for (DWORD i = 0; i + 1 < chars; i++)
        if (!text[i])
            text[i] = '\n';
    int size = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    char *script = size > 0 ? HeapAlloc(GetProcessHeap(), 0, size) : NULL;
    if (script)
        WideCharToMultiByte(CP_UTF8, 0, text, -1, script, size, NULL, NULL);
    HeapFree(GetProcessHeap(), 0, text);
    return script;
}

static HRESULT read_virtual_settings(const WCHAR *name, struct virtual_settings *s)
{
    HKEY key = open_virtual_key(name);
    memset(s, 0, sizeof(*s));
    if (!key)
        return HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST);
    BOOL have_path = read_string(key, L"MediaPath", CP_ACP, s->media_path, sizeof(s->media_path));
    if (!read_string(key, L"MediaKind", CP_UTF8, s->kind, sizeof(s->kind)))
        strcpy(s->kind, "cdr80");
    read_string(key, L"Vendor", CP_UTF8, s->vendor, sizeof(s->vendor));
    read_string(key, L"Product", CP_UTF8, s->product, sizeof(s->product));
    read_string(key, L"Revision", CP_UTF8, s->revision, sizeof(s->revision));
    s->speed = read_dword(key, L"Speed", 0);
    s->buffer_bytes = read_dword(key, L"BufferBytes", 0);
    s->unthrottled = read_dword(key, L"Unthrottled", 0);
    s->raw_block_types = read_dword(key, L"RawBlockTypes", 0);
    s->no_tao = read_dword(key, L"NoTrackAtOnce", 0);
    s->fault_script = read_fault_script(key);
    RegCloseKey(key);
    if (!have_path) {
        WARN("virtual recorder %s has no MediaPath\n", debugstr_w(name));
        HeapFree(GetProcessHeap(), 0, s->fault_script);
        return HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST);
    }
    return S_OK;
}

/* The folders of a MediaPath that does not exist yet (C:\\discs\\vr0.media
 * when C:\\discs is missing), made one level at a time; a failure shows up
 * when the media file is opened. */
static void create_media_folder(const char *media_path)
{
    char dir[MAX_PATH];
    size_t n = strlen(media_path);
    if (n >= sizeof(dir))
        return;
    memcpy(dir, media_path, n + 1);
    for (size_t i = 3; i < n; i++) /* past "C:\\" or a leading "\\" */
        if (dir[i] == '\\' || dir[i] == '/') {
            char sep = dir[i];
            dir[i] = 0;
            if (GetFileAttributesA(dir) == INVALID_FILE_ATTRIBUTES && CreateDirectoryA(dir, NULL))
                TRACE("made the folder %s for a virtual disc\n", dir);
            dir[i] = sep;
        }
}

static HRESULT open_virtual(const struct device_entry *entry, struct scsi_transport **out)
{
    struct virtual_settings s;
    struct vrec_config cfg = { 0 };
    HRESULT hr = read_virtual_settings(entry->name, &s);
    if (FAILED(hr))
        return hr;
    cfg.media_path = s.media_path;
    if (!vrec_media_kind_from_name(s.kind, &cfg.media_kind)) {
        WARN("virtual recorder %s: unknown MediaKind %s\n", debugstr_w(entry->name), s.kind);
        cfg.media_kind = VREC_MEDIA_CDR80;
    }
    cfg.speed = s.speed;
    cfg.buffer_bytes = s.buffer_bytes;
    cfg.vendor = s.vendor[0] ? s.vendor : NULL;
    cfg.product = s.product[0] ? s.product : NULL;
    cfg.revision = s.revision[0] ? s.revision : NULL;
    cfg.fault_script = s.fault_script;
    cfg.unthrottled = s.unthrottled != 0;
    cfg.raw_block_types = s.raw_block_types;
    cfg.no_tao = s.no_tao != 0;
    /* A setting the recorder cannot take is the caller's to fix: say which. */
    char why[192], text[320], name[VIRTUAL_NAME_MAX * 3 + 1];
    if (vrec_config_check(&cfg, why, sizeof(why)) != 0) {
        HeapFree(GetProcessHeap(), 0, s.fault_script);
        if (!WideCharToMultiByte(CP_UTF8, 0, entry->name, -1, name, sizeof(name), NULL, NULL))
            name[0] = 0;
        snprintf(text, sizeof(text), "Virtual recorder %s: %s.", name, why);
        WARN("%s\n", text);
        return imapi2_set_error_text(E_INVALIDARG, &IID_IDiscRecorder2, text);
    }
    create_media_folder(s.media_path);
    int err = virtual_transport_open(&cfg, cfg.unthrottled ? NULL : &imapi2_wall_clock, out);
    HeapFree(GetProcessHeap(), 0, s.fault_script);
    if (err) {
        ERR("virtual recorder %s failed to open (%d)\n", debugstr_w(entry->name), err);
        return err == -1 ? E_OUTOFMEMORY : HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST);
    }
    return S_OK;
}

HRESULT devices_open(const struct device_entry *entry, struct scsi_transport **out)
{
    *out = NULL;
    if (entry->is_virtual)
        return open_virtual(entry, out);
    if (entry->helper_path[0]) {
        enum transport_result r = sgpipe_win_open(entry->helper_path, out, NULL);
        if (r != TRANSPORT_OK)
            WARN("%s through imapi2-sghelper: %s\n", entry->helper_path, transport_result_name(r));
        return r == TRANSPORT_OK ? S_OK : r == TRANSPORT_ERR_NO_MEMORY ? E_OUTOFMEMORY : HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST);
    }
    return HRESULT_FROM_WIN32(spti_open(entry->path, out) == TRANSPORT_OK ? ERROR_SUCCESS : ERROR_DEV_NOT_EXIST);
}
