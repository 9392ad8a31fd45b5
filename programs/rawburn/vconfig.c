/* Virtual recorders: the registry entries HKCU\Software\imapi2-open\
 * VirtualRecorders\<name> that imapi2.dll turns into recorders (values
 * MediaPath, MediaKind, Speed, BufferBytes, Unthrottled, NoTrackAtOnce, FaultScript,
 * Vendor, Product, Revision). The disc itself is the media file, which the
 * DLL creates blank of MediaKind when it does not exist: so a fresh disc
 * is "delete the media files". */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "rawburn.h"
#include "vrec/vrec.h"

#define VKEY L"Software\\imapi2-open\\VirtualRecorders"

static const char *const kinds[] = { "cdr74", "cdr80", "cdrw", "cdr-closed", "cdrw-written", "cdrom", "dvd",
                                     "cdr-protected", "dvd+r", "dvd-r", "bd-r", "none" };

static bool kind_valid(const char *kind)
{
    for (size_t i = 0; i < ARRAYSIZE(kinds); i++)
        if (!strcmp(kind, kinds[i]))
            return true;
    return false;
}

/* Names become part of the recorder's unique ID. */
static bool name_valid(const char *name)
{
    size_t n = strlen(name);
    if (!n || n > 60)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-_.", *p)))
            return false;
    return true;
}

static void key_path(const char *name, WCHAR *out, size_t size)
{
    WCHAR *w = utf8_to_wide(name);
    swprintf(out, size, VKEY L"\\%ls", w ? w : L"");
    HeapFree(GetProcessHeap(), 0, w);
}

static bool set_sz(HKEY key, const WCHAR *value, const char *text)
{
    WCHAR *w = utf8_to_wide(text);
    bool ok = w && !RegSetValueExW(key, value, 0, REG_SZ, (const BYTE *)w, (DWORD)(wcslen(w) + 1) * sizeof(WCHAR));
    HeapFree(GetProcessHeap(), 0, w);
    return ok;
}

static bool set_dword(HKEY key, const WCHAR *value, DWORD v)
{
    return !RegSetValueExW(key, value, 0, REG_DWORD, (const BYTE *)&v, sizeof(v));
}

static bool get_media_path(HKEY key, WCHAR *out, DWORD chars)
{
    DWORD bytes = chars * sizeof(WCHAR);
    return !RegGetValueW(key, NULL, L"MediaPath", RRF_RT_REG_SZ, NULL, out, &bytes);
}

/* A fresh disc: the media state file and its sectors go away. */
static void delete_media(const WCHAR *media)
{
    WCHAR sectors[MAX_PATH + 16];
    swprintf(sectors, ARRAYSIZE(sectors), L"%ls.sectors", media);
    DeleteFileW(media);
    DeleteFileW(sectors);
    swprintf(sectors, ARRAYSIZE(sectors), L"%ls.tmp", media);
    DeleteFileW(sectors);
}

/* %LOCALAPPDATA%\imapi2-open\virtual\<name>.media, folders made as needed. */
static bool default_media_path(const char *name, WCHAR *out, size_t size)
{
    WCHAR base[MAX_PATH], dir[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"LOCALAPPDATA", base, ARRAYSIZE(base));
    if (!n || n >= ARRAYSIZE(base))
        GetTempPathW(ARRAYSIZE(base), base);
    swprintf(dir, ARRAYSIZE(dir), L"%ls\\imapi2-open", base);
    CreateDirectoryW(dir, NULL);
    swprintf(dir, ARRAYSIZE(dir), L"%ls\\imapi2-open\\virtual", base);
    CreateDirectoryW(dir, NULL);
    WCHAR *w = utf8_to_wide(name);
    swprintf(out, size, L"%ls\\%ls.media", dir, w ? w : L"x");
    HeapFree(GetProcessHeap(), 0, w);
    return true;
}

static int full_path(const char *path, WCHAR *out, DWORD size)
{
    WCHAR *w = utf8_to_wide(path);
    DWORD n = w ? GetFullPathNameW(w, size, out, NULL) : 0;
    HeapFree(GetProcessHeap(), 0, w);
    if (!n || n >= size)
        return fail(RB_VIRTUAL, "bad media path '%s'", path);
    return RB_OK;
}

/* Reads and checks a fault script file (the DLL would otherwise refuse to
 * open the recorder, far from where the mistake was made). */
static int read_fault_script(const char *file, char **out)
{
    FILE *f = fopen(file, "rb");
    char err[160];
    if (!f)
        return fail(RB_FILE, "cannot read fault script %s", file);
    char *text = calloc(1, 65537);
    size_t n = text ? fread(text, 1, 65536, f) : 0;
    fclose(f);
    if (!text)
        return fail(RB_INTERNAL, "out of memory");
    text[n] = 0;
    int line = vrec_fault_check(text, err, sizeof(err));
    if (line) {
        free(text);
        return fail(RB_VIRTUAL, "%s:%d: %s", file, line, err);
    }
    *out = text;
    return RB_OK;
}

static int write_extras(HKEY key)
{
    char *script = NULL;
    int status;
    if ((opt.buffer_bytes && !set_dword(key, L"BufferBytes", (DWORD)opt.buffer_bytes)) ||
        (opt.no_tao && !set_dword(key, L"NoTrackAtOnce", 1)))
        return fail(RB_VIRTUAL, "cannot write the registry");
    if ((opt.vendor && !set_sz(key, L"Vendor", opt.vendor)) || (opt.product && !set_sz(key, L"Product", opt.product)) ||
        (opt.revision && !set_sz(key, L"Revision", opt.revision)))
        return fail(RB_VIRTUAL, "cannot write the registry");
    if (!opt.fault_file)
        return RB_OK;
    if ((status = read_fault_script(opt.fault_file, &script)))
        return status;
    status = set_sz(key, L"FaultScript", script) ? RB_OK : fail(RB_VIRTUAL, "cannot write the registry");
    free(script);
    return status;
}

int virtual_add(const char *name, const char *kind, const char *media_path, int speed, bool unthrottled, bool replace)
{
    WCHAR path[300], media[MAX_PATH];
    HKEY key;
    DWORD disposition;
    int status;
    if (!name_valid(name))
        return fail(RB_VIRTUAL, "bad recorder name '%s': use letters, digits, '-', '_' and '.' (60 at most)", name);
    if (!kind_valid(kind))
        return fail(RB_VIRTUAL, "unknown disc kind '%s' (cdr74 cdr80 cdrw cdr-closed cdrw-written cdrom dvd "
                                "cdr-protected dvd+r dvd-r bd-r none)", kind);
    if (media_path ? (status = full_path(media_path, media, ARRAYSIZE(media))) != 0 : !default_media_path(name, media, ARRAYSIZE(media)))
        return media_path ? status : fail(RB_VIRTUAL, "no place for the media file");
    key_path(name, path, ARRAYSIZE(path));
    if (RegCreateKeyExW(HKEY_CURRENT_USER, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, &disposition))
        return fail(RB_VIRTUAL, "cannot create the registry key for '%s'", name);
    if (disposition == REG_OPENED_EXISTING_KEY && !replace) {
        RegCloseKey(key);
        return fail(RB_VIRTUAL, "a virtual recorder '%s' exists already (rawburn virtual remove %s, or --replace)",
                    name, name);
    }
    if (disposition == REG_OPENED_EXISTING_KEY) {
        WCHAR old[MAX_PATH];
        if (get_media_path(key, old, ARRAYSIZE(old)))
            delete_media(old);
        RegDeleteTreeW(key, NULL);
    }
    delete_media(media); /* a fresh disc of the kind asked for */
    bool ok = RegSetValueExW(key, L"MediaPath", 0, REG_SZ, (const BYTE *)media,
                             (DWORD)(wcslen(media) + 1) * sizeof(WCHAR)) == ERROR_SUCCESS &&
              set_sz(key, L"MediaKind", kind) && (!speed || set_dword(key, L"Speed", (DWORD)speed)) &&
              (!unthrottled || set_dword(key, L"Unthrottled", 1));
    status = ok ? write_extras(key) : fail(RB_VIRTUAL, "cannot write the registry");
    RegCloseKey(key);
    if (status) {
        RegDeleteKeyW(HKEY_CURRENT_USER, path);
        return status;
    }
    char where[MAX_PATH * 3];
    wide_to_utf8(media, where, sizeof(where));
    say("virtual recorder %s: %s disc, media file %s\n", name, kind, where);
    if (progress_is_json()) {
        char q[sizeof(where) * 2];
        json_event("{\"event\":\"virtual-added\",\"name\":\"%s\",\"kind\":\"%s\",\"media\":\"%s\"}", name, kind,
                   json_quote(where, q, sizeof(q)));
    }
    return RB_OK;
}

int virtual_remove(const char *name, bool keep_media)
{
    WCHAR path[300], media[MAX_PATH];
    HKEY key;
    if (!name_valid(name))
        return fail(RB_VIRTUAL, "bad recorder name '%s'", name);
    key_path(name, path, ARRAYSIZE(path));
    if (RegOpenKeyExW(HKEY_CURRENT_USER, path, 0, KEY_ALL_ACCESS, &key))
        return fail(RB_VIRTUAL, "there is no virtual recorder '%s' (see rawburn virtual list)", name);
    if (!keep_media && get_media_path(key, media, ARRAYSIZE(media)))
        delete_media(media);
    RegCloseKey(key);
    if (RegDeleteTreeW(HKEY_CURRENT_USER, path))
        return fail(RB_VIRTUAL, "cannot remove the registry key of '%s'", name);
    say("virtual recorder %s removed\n", name);
    if (progress_is_json())
        json_event("{\"event\":\"virtual-removed\",\"name\":\"%s\"}", name);
    return RB_OK;
}

static int virtual_insert(const char *name, const char *kind)
{
    WCHAR path[300], media[MAX_PATH];
    HKEY key;
    if (!kind_valid(kind))
        return fail(RB_VIRTUAL, "unknown disc kind '%s'", kind);
    key_path(name, path, ARRAYSIZE(path));
    if (!name_valid(name) || RegOpenKeyExW(HKEY_CURRENT_USER, path, 0, KEY_ALL_ACCESS, &key))
        return fail(RB_VIRTUAL, "there is no virtual recorder '%s' (see rawburn virtual list)", name);
    bool ok = get_media_path(key, media, ARRAYSIZE(media)) && set_sz(key, L"MediaKind", kind);
    RegCloseKey(key);
    if (!ok)
        return fail(RB_VIRTUAL, "virtual recorder '%s' has no MediaPath", name);
    delete_media(media);
    say("virtual recorder %s: a fresh %s disc is in\n", name, kind);
    return RB_OK;
}

/* The closed disc of a virtual recorder as BASE.cue + .bin and BASE.ccd +
 * .img + .sub (libs/vrec reads the media file: the recorder is not used). */
static int virtual_export(const char *name, const char *base_arg)
{
    WCHAR path[300], media[MAX_PATH], base[MAX_PATH], *w = utf8_to_wide(base_arg);
    char a_media[MAX_PATH * 2], a_base[MAX_PATH * 2];
    HKEY key;
    key_path(name, path, ARRAYSIZE(path));
    if (!name_valid(name) || RegOpenKeyExW(HKEY_CURRENT_USER, path, 0, KEY_READ, &key)) {
        HeapFree(GetProcessHeap(), 0, w);
        return fail(RB_VIRTUAL, "there is no virtual recorder '%s' (see rawburn virtual list)", name);
    }
    bool ok = get_media_path(key, media, ARRAYSIZE(media));
    RegCloseKey(key);
    DWORD n = w ? GetFullPathNameW(w, MAX_PATH, base, NULL) : 0;
    HeapFree(GetProcessHeap(), 0, w);
    if (!ok)
        return fail(RB_VIRTUAL, "virtual recorder '%s' has no MediaPath", name);
    if (!n || n >= MAX_PATH || !WideCharToMultiByte(CP_ACP, 0, media, -1, a_media, sizeof(a_media), NULL, NULL) ||
        !WideCharToMultiByte(CP_ACP, 0, base, -1, a_base, sizeof(a_base), NULL, NULL))
        return fail(RB_FILE, "%s: this path cannot be used for the export", base_arg);
    if (GetFileAttributesW(media) == INVALID_FILE_ATTRIBUTES)
        return fail(RB_MEDIA, "the disc in virtual recorder %s is blank: nothing to export", name);
    int rc = vrec_export_cue_bin(a_media, a_base);
    if (!rc)
        rc = vrec_export_clonecd(a_media, a_base);
    if (rc == -1)
        return fail(RB_MEDIA, "the disc in virtual recorder %s is not a closed (completely written) disc: nothing "
                              "to export", name);
    if (rc)
        return fail(RB_FILE, "exporting the disc of %s to %s failed: the files could not be written", name,
                    base_arg);
    say("exported the disc of %s: %s.cue + .bin, and %s.ccd + .img + .sub\n", name, base_arg, base_arg);
    return RB_OK;
}

static int virtual_list(void)
{
    HKEY root;
    WCHAR name[128], media[MAX_PATH], kind[32];
    if (RegOpenKeyExW(HKEY_CURRENT_USER, VKEY, 0, KEY_READ, &root)) {
        say("no virtual recorders\n");
        return RB_OK;
    }
    DWORD i = 0;
    for (;; i++) {
        DWORD len = ARRAYSIZE(name), bytes = sizeof(kind);
        HKEY key;
        char a[128], b[MAX_PATH * 3] = "", c[64] = "cdr80";
        if (RegEnumKeyExW(root, i, name, &len, NULL, NULL, NULL, NULL))
            break;
        if (RegOpenKeyExW(root, name, 0, KEY_READ, &key))
            continue;
        if (get_media_path(key, media, ARRAYSIZE(media)))
            wide_to_utf8(media, b, sizeof(b));
        if (!RegGetValueW(key, NULL, L"MediaKind", RRF_RT_REG_SZ, NULL, kind, &bytes))
            wide_to_utf8(kind, c, sizeof(c));
        RegCloseKey(key);
        wide_to_utf8(name, a, sizeof(a));
        say("%-16s %-14s %s\n", a, c, b);
        if (progress_is_json()) {
            char q[sizeof(b) * 2];
            json_event("{\"event\":\"virtual\",\"name\":\"%s\",\"kind\":\"%s\",\"media\":\"%s\"}", a, c,
                       json_quote(b, q, sizeof(q)));
        }
    }
    if (!i)
        say("no virtual recorders\n");
    RegCloseKey(root);
    return RB_OK;
}

int cmd_virtual(int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "list") && argc == 1)
        return virtual_list();
    if (!strcmp(sub, "add") && argc == 2)
        return virtual_add(argv[1], opt.kind, opt.media_path, opt.vspeed, opt.unthrottled, opt.replace);
    if ((!strcmp(sub, "remove") || !strcmp(sub, "rm")) && argc == 2)
        return virtual_remove(argv[1], opt.keep_media);
    if (!strcmp(sub, "insert") && argc == 2)
        return virtual_insert(argv[1], opt.kind);
    if (!strcmp(sub, "export") && argc == 3)
        return virtual_export(argv[1], argv[2]);
    return fail(RB_USAGE, "usage: rawburn virtual add|remove|insert NAME [options], rawburn virtual export NAME "
                          "BASE, or rawburn virtual list");
}
