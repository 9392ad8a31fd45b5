/* Finding a recorder (by number, virtual name, drive letter or ID), what is
 * in it, and the `list` and `eject` commands. */
#include <ctype.h>
#include <string.h>
#include <wchar.h>

#include "rawburn.h"
#include "../common/stale_registration.h"

#define VIRTUAL_PREFIX L"\\\\?\\imapi2virtual#cdrom#"

static HRESULT create_master(IDiscMaster2 **out)
{
    return CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscMaster2, (void **)out);
}

int create_failed(const CLSID *clsid, const char *what, HRESULT hr)
{
    WCHAR path[MAX_PATH];
    if (stale_registration(clsid, path, ARRAYSIZE(path))) {
        char shown[MAX_PATH * 3];
        wide_to_utf8(path, shown, sizeof(shown));
        return fail(RB_INTERNAL, "imapi2.dll is registered at %s, which no longer exists: run regsvr32 on the "
                    "copy you want (wine regsvr32 PATH/imapi2.dll)", shown);
    }
    if (hr == REGDB_E_CLASSNOTREG || hr == CO_E_CLASSSTRING)
        return fail(RB_INTERNAL, "IMAPI2 is not registered here: run `regsvr32 imapi2.dll` first");
    return fail(RB_INTERNAL, "%s is not available: %s", what, hr_text(hr));
}

static int not_registered(const CLSID *clsid, HRESULT hr)
{
    return create_failed(clsid, "IMAPI2", hr);
}

/* The instance part of the ID the DLL gives a drive that imapi2-sghelper
 * serves: "#imapi2&" and the node's base name ("sr0"), or "vrec_" and the
 * media file's name for a "vrec:" path; false when spec is neither. */
static bool node_instance(const char *spec, WCHAR *out, size_t size)
{
    bool vrec = !strncmp(spec, "vrec:", 5);
    if (strncmp(spec, "/dev/", 5) && !vrec)
        return false;
    const char *base = strrchr(spec, '/');
    size_t n = (size_t)swprintf(out, size, L"#imapi2&%ls", vrec ? L"vrec_" : L"");
    for (base = base ? base + 1 : spec + 5; *base && n + 2 < size; base++)
        out[n++] = isalnum((unsigned char)*base) || strchr("-_.", *base) ? (WCHAR)*base : L'_';
    out[n++] = '#';
    out[n] = 0;
    return true;
}

/* "/dev/sr0" for a drive the helper serves from that node, else "". */
static void device_node(const WCHAR *id, char *out, size_t size)
{
    const WCHAR *at = wcsstr(id, L"#imapi2&");
    out[0] = 0;
    if (!at || !wcsncmp(at + 8, L"vrec_", 5))
        return;
    char node[64];
    size_t n = 0;
    for (at += 8; *at && *at != '#' && n + 1 < sizeof(node); at++)
        node[n++] = (char)*at;
    node[n] = 0;
    snprintf(out, size, "/dev/%s", node);
}

/* The short name a user types: a virtual recorder's name, a helper drive's
 * device node, else the number. */
static void short_name(const WCHAR *id, LONG index, char *out, size_t size)
{
    size_t n = wcslen(VIRTUAL_PREFIX);
    if (!_wcsnicmp(id, VIRTUAL_PREFIX, n)) {
        char all[300];
        wide_to_utf8(id + n, all, sizeof(all));
        char *hash = strchr(all, '#');
        if (hash)
            *hash = 0;
        snprintf(out, size, "%s", all);
    } else {
        device_node(id, out, size);
        if (!out[0])
            snprintf(out, size, "%ld", (long)index);
    }
}

static bool has_drive_letter(IDiscRecorder2 *rec, WCHAR letter)
{
    SAFEARRAY *sa = NULL;
    bool found = false;
    if (FAILED(IDiscRecorder2_get_VolumePathNames(rec, &sa)) || !sa)
        return false;
    LONG lo = 0, hi = -1;
    SafeArrayGetLBound(sa, 1, &lo);
    SafeArrayGetUBound(sa, 1, &hi);
    for (LONG i = lo; i <= hi && !found; i++) {
        VARIANT v;
        VariantInit(&v);
        if (SUCCEEDED(SafeArrayGetElement(sa, &i, &v)) && V_VT(&v) == VT_BSTR && V_BSTR(&v))
            found = towupper(V_BSTR(&v)[0]) == towupper(letter);
        VariantClear(&v);
    }
    SafeArrayDestroy(sa);
    return found;
}

static void fill_label(struct recorder_ref *r)
{
    BSTR v = NULL, p = NULL, rev = NULL;
    char a[64] = "", b[64] = "", c[32] = "";
    if (SUCCEEDED(IDiscRecorder2_get_VendorId(r->rec, &v)))
        wide_to_utf8(v, a, sizeof(a));
    if (SUCCEEDED(IDiscRecorder2_get_ProductId(r->rec, &p)))
        wide_to_utf8(p, b, sizeof(b));
    if (SUCCEEDED(IDiscRecorder2_get_ProductRevision(r->rec, &rev)))
        wide_to_utf8(rev, c, sizeof(c));
    SysFreeString(v);
    SysFreeString(p);
    SysFreeString(rev);
    snprintf(r->label, sizeof(r->label), "%s %s %s", a, b, c);
}

static int open_id(const WCHAR *id, LONG index, struct recorder_ref *out)
{
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2,
                                  (void **)&out->rec);
    if (FAILED(hr))
        return not_registered(&CLSID_MsftDiscRecorder2, hr);
    BSTR bid = SysAllocString(id);
    hr = IDiscRecorder2_InitializeDiscRecorder(out->rec, bid);
    SysFreeString(bid);
    if (FAILED(hr)) {
        char name[300];
        wide_to_utf8(id, name, sizeof(name));
        IDiscRecorder2_Release(out->rec);
        out->rec = NULL;
        return fail(RB_NO_DEVICE, "recorder %s cannot be opened: %s", name, hr_text(hr));
    }
    IDiscRecorder2_QueryInterface(out->rec, &IID_IDiscRecorder2Ex, (void **)&out->ex);
    wcsncpy(out->id, id, ARRAYSIZE(out->id) - 1);
    short_name(id, index, out->name, sizeof(out->name));
    fill_label(out);
    return RB_OK;
}

/* Does the recorder at index match what the user typed? */
static bool spec_matches(const char *spec, const WCHAR *id, LONG index, IDiscRecorder2 **probe)
{
    char name[128], full[300];
    short_name(id, index, name, sizeof(name));
    wide_to_utf8(id, full, sizeof(full));
    if (!_stricmp(spec, name) || !_stricmp(spec, full))
        return true;
    long number;
    char *end;
    if (spec[0] >= '0' && spec[0] <= '9' && (number = strtol(spec, &end, 10), !*end))
        return number == (long)index;
    WCHAR instance[128];
    if (node_instance(spec, instance, ARRAYSIZE(instance)))
        return wcsstr(id, instance) != NULL;
    if (((spec[0] | 0x20) >= 'a' && (spec[0] | 0x20) <= 'z') && spec[1] == ':' && (!spec[2] || spec[2] == '\\')) {
        /* A drive letter: only real drives have them; ask the recorder. */
        if (!*probe && FAILED(CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER,
                                               &IID_IDiscRecorder2, (void **)probe)))
            return false;
        BSTR bid = SysAllocString(id);
        bool ok = SUCCEEDED(IDiscRecorder2_InitializeDiscRecorder(*probe, bid)) &&
                  has_drive_letter(*probe, (WCHAR)spec[0]);
        SysFreeString(bid);
        IDiscRecorder2_Release(*probe);
        *probe = NULL;
        return ok;
    }
    return false;
}

int recorder_open(const char *spec, struct recorder_ref *out)
{
    IDiscMaster2 *master = NULL;
    IDiscRecorder2 *probe = NULL;
    LONG count = 0;
    int status = RB_NO_DEVICE;
    memset(out, 0, sizeof(*out));
    HRESULT hr = create_master(&master);
    if (FAILED(hr))
        return not_registered(&CLSID_MsftDiscMaster2, hr);
    IDiscMaster2_get_Count(master, &count);
    if (!count) {
        IDiscMaster2_Release(master);
        return fail(RB_NO_DEVICE, "no recorder found (make a virtual one: rawburn virtual add NAME)");
    }
    if (!spec && count > 1) {
        IDiscMaster2_Release(master);
        return fail(RB_USAGE, "%ld recorders: choose one with -d (see rawburn list)", (long)count);
    }
    for (LONG i = 0; i < count; i++) {
        BSTR id = NULL;
        if (FAILED(IDiscMaster2_get_Item(master, i, &id)))
            continue;
        if (!spec || spec_matches(spec, id, i, &probe)) {
            status = open_id(id, i, out);
            SysFreeString(id);
            IDiscMaster2_Release(master);
            return status;
        }
        SysFreeString(id);
    }
    IDiscMaster2_Release(master);
    WCHAR instance[128];
    if (node_instance(spec, instance, ARRAYSIZE(instance)))
        return fail(RB_NO_DEVICE,
                    "no recorder has device node %s: rawburn reaches Linux drives through imapi2-sghelper, which "
                    "must sit next to imapi2.dll and be able to open the node (permissions: the cdrom group)%s; "
                    "see rawburn list", spec,
                    GetEnvironmentVariableA("IMAPI2_NO_REAL_DRIVES", NULL, 0) ? "; IMAPI2_NO_REAL_DRIVES is set, "
                                                                               "which hides real drives" : "");
    return fail(RB_NO_DEVICE, "no recorder '%s' (see rawburn list)", spec);
}

HRESULT recorder_get_data(struct recorder_ref *r, struct scsi_request *req, ULONG timeout_s, ULONG *got)
{
    BYTE sense[18];
    HRESULT hr;
    *got = 0;
    if (!r->ex)
        return E_NOINTERFACE;
    hr = IDiscRecorder2Ex_SendCommandGetDataFromDevice(r->ex, req->cdb, req->cdb_len, sense, timeout_s, req->buf,
                                                       req->len, got);
    if (hr == S_IMAPI_COMMAND_HAS_SENSE_DATA)
        return MAKE_HRESULT(1, FACILITY_ITF, (sense[2] & 0x0f) << 8 | sense[12]);
    return hr;
}

void recorder_close(struct recorder_ref *r)
{
    if (r->ex)
        IDiscRecorder2Ex_Release(r->ex);
    if (r->rec)
        IDiscRecorder2_Release(r->rec);
    memset(r, 0, sizeof(*r));
}

int recorder_check_free(struct recorder_ref *r)
{
    BSTR owner = NULL;
    char name[128] = "";
    if (SUCCEEDED(IDiscRecorder2_get_ExclusiveAccessOwner(r->rec, &owner)) && owner && owner[0])
        wide_to_utf8(owner, name, sizeof(name));
    SysFreeString(owner);
    if (name[0])
        return fail(RB_BUSY, "recorder %s is in use by %s: wait until it is done, or close it", r->name, name);
    return RB_OK;
}

/* ------------------------------------------------------------- media */

const char *media_type_name(IMAPI_MEDIA_PHYSICAL_TYPE t)
{
    switch (t) {
    case IMAPI_MEDIA_TYPE_CDROM: return "CD-ROM";
    case IMAPI_MEDIA_TYPE_CDR: return "CD-R";
    case IMAPI_MEDIA_TYPE_CDRW: return "CD-RW";
    case IMAPI_MEDIA_TYPE_DVDROM: return "DVD-ROM";
    case IMAPI_MEDIA_TYPE_UNKNOWN: return "unknown disc";
    default: return "DVD/BD";
    }
}

static IMAPI_MEDIA_PHYSICAL_TYPE type_from_profile(IMAPI_PROFILE_TYPE p)
{
    switch (p) {
    case IMAPI_PROFILE_TYPE_CDROM: return IMAPI_MEDIA_TYPE_CDROM;
    case IMAPI_PROFILE_TYPE_CD_RECORDABLE: return IMAPI_MEDIA_TYPE_CDR;
    case IMAPI_PROFILE_TYPE_CD_REWRITABLE: return IMAPI_MEDIA_TYPE_CDRW;
    case IMAPI_PROFILE_TYPE_DVDROM: return IMAPI_MEDIA_TYPE_DVDROM;
    case IMAPI_PROFILE_TYPE_INVALID: return IMAPI_MEDIA_TYPE_UNKNOWN;
    default: return IMAPI_MEDIA_TYPE_DVDRAM;
    }
}

/* READ DISC INFORMATION through IDiscRecorder2Ex: disc status in byte 2
 * bits 0-1 (blank, incomplete, complete, other), erasable in bit 4. */
void media_query(struct recorder_ref *r, struct media_state *m)
{
    IMAPI_PROFILE_TYPE *profiles = NULL;
    ULONG count = 0;
    BYTE *info = NULL;
    ULONG size = 0;
    memset(m, 0, sizeof(*m));
    m->status = DISC_NONE;
    if (!r->ex) {
        snprintf(m->text, sizeof(m->text), "unknown (no IDiscRecorder2Ex)");
        return;
    }
    if (SUCCEEDED(IDiscRecorder2Ex_GetSupportedProfiles(r->ex, TRUE, &profiles, &count)) && count)
        m->type = type_from_profile(profiles[0]);
    CoTaskMemFree(profiles);
    if (!count) {
        snprintf(m->text, sizeof(m->text), "no disc");
        return;
    }
    if (FAILED(IDiscRecorder2Ex_GetDiscInformation(r->ex, &info, &size)) || size < 3) {
        m->status = DISC_OTHER;
        snprintf(m->text, sizeof(m->text), "%s (unreadable disc information)", media_type_name(m->type));
        CoTaskMemFree(info);
        return;
    }
    static const enum disc_status by_code[4] = { DISC_BLANK, DISC_INCOMPLETE, DISC_COMPLETE, DISC_OTHER };
    static const char *const words[4] = { "blank", "incomplete (not closed)", "written and closed",
                                          "in an unusual state" };
    m->status = by_code[info[2] & 3];
    m->erasable = (info[2] & 0x10) != 0;
    snprintf(m->text, sizeof(m->text), "%s %s", words[info[2] & 3], media_type_name(m->type));
    if (m->status == DISC_BLANK)
        snprintf(m->text, sizeof(m->text), "blank %s", media_type_name(m->type));
    CoTaskMemFree(info);
}

/* -------------------------------------------------------------- list */

static void print_speeds_and_types(IDiscRecorder2 *rec)
{
    IDiscFormat2RawCD *raw = NULL;
    SAFEARRAY *sa = NULL;
    VARIANT_BOOL supported = VARIANT_FALSE;
    char line[256] = "";
    if (FAILED(CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2RawCD,
                                (void **)&raw))) {
        say("    raw DAO:  (MsftDiscFormat2RawCD is not available)\n");
        return;
    }
    HRESULT hr = IDiscFormat2RawCD_IsRecorderSupported(raw, rec, &supported);
    if (hr != S_OK || !supported) {
        say("    raw DAO:  not supported by this recorder\n");
        IDiscFormat2RawCD_Release(raw);
        return;
    }
    IDiscFormat2RawCD_put_Recorder(raw, rec);
    if (SUCCEEDED(IDiscFormat2RawCD_get_SupportedWriteSpeeds(raw, &sa)) && sa) {
        LONG lo = 0, hi = -1;
        SafeArrayGetLBound(sa, 1, &lo);
        SafeArrayGetUBound(sa, 1, &hi);
        for (LONG i = lo; i <= hi; i++) {
            VARIANT v;
            VariantInit(&v);
            if (SUCCEEDED(SafeArrayGetElement(sa, &i, &v)) && SUCCEEDED(VariantChangeType(&v, &v, 0, VT_UI4)))
                snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%lux", line[0] ? " " : "",
                         (unsigned long)(V_UI4(&v) / CD_FRAMES_PER_SECOND));
            VariantClear(&v);
        }
        SafeArrayDestroy(sa);
        sa = NULL;
    }
    say("    speeds:   %s\n", line[0] ? line : "(none reported for this disc)");
    line[0] = 0;
    if (SUCCEEDED(IDiscFormat2RawCD_get_SupportedSectorTypes(raw, &sa)) && sa) {
        LONG lo = 0, hi = -1;
        SafeArrayGetLBound(sa, 1, &lo);
        SafeArrayGetUBound(sa, 1, &hi);
        for (LONG i = lo; i <= hi; i++) {
            VARIANT v;
            VariantInit(&v);
            if (SUCCEEDED(SafeArrayGetElement(sa, &i, &v)) && SUCCEEDED(VariantChangeType(&v, &v, 0, VT_I4))) {
                const char *t = V_I4(&v) == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY   ? "2368 (P-Q)"
                                : V_I4(&v) == IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED ? "cooked (2448)"
                                                                                     : "2448 (raw P-W)";
                snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%s", line[0] ? ", " : "", t);
            }
            VariantClear(&v);
        }
        SafeArrayDestroy(sa);
    }
    say("    sectors:  %s\n", line[0] ? line : "(none reported)");
    IDiscFormat2RawCD_Release(raw);
}

static void list_one(LONG index, const WCHAR *id)
{
    struct recorder_ref r = { 0 };
    struct media_state m;
    BSTR owner = NULL;
    char full[300];
    wide_to_utf8(id, full, sizeof(full));
    if (open_id(id, index, &r)) {
        say("%-3ld %s: cannot be opened\n", (long)index, full);
        return;
    }
    media_query(&r, &m);
    /* The name first: numbers shift when recorders come and go. */
    if (strcmp(r.name, "") && (r.name[0] < '0' || r.name[0] > '9'))
        say("%-16s (number %ld)  %s\n", r.name, (long)index, r.label);
    else
        say("%-16s %s\n", r.name, r.label);
    say("    id:       %s\n", full);
    say("    disc:     %s\n", m.text);
    if (SUCCEEDED(IDiscRecorder2_get_ExclusiveAccessOwner(r.rec, &owner)) && owner && owner[0]) {
        char name[128];
        wide_to_utf8(owner, name, sizeof(name));
        say("    in use:   by %s\n", name);
    }
    SysFreeString(owner);
    print_speeds_and_types(r.rec);
    if (progress_is_json()) {
        json_event("{\"event\":\"recorder\",\"index\":%ld,\"name\":\"%s\",\"label\":\"%s\",\"disc\":\"%s\"}",
                   (long)index, r.name, r.label, m.text);
    }
    recorder_close(&r);
}

int cmd_list(void)
{
    IDiscMaster2 *master = NULL;
    LONG count = 0;
    HRESULT hr = create_master(&master);
    if (FAILED(hr))
        return not_registered(&CLSID_MsftDiscMaster2, hr);
    IDiscMaster2_get_Count(master, &count);
    if (!count)
        say("no recorders (make a virtual one: rawburn virtual add NAME)\n");
    for (LONG i = 0; i < count; i++) {
        BSTR id = NULL;
        if (SUCCEEDED(IDiscMaster2_get_Item(master, i, &id)))
            list_one(i, id);
        SysFreeString(id);
    }
    if (count > 1)
        say("(choose one with -d NAME; numbers follow the order: Linux drives by node, then virtual\n"
            " recorders by name, and shift when a recorder is added or removed)\n");
    IDiscMaster2_Release(master);
    return RB_OK;
}

int cmd_eject(void)
{
    struct recorder_ref r;
    int status = recorder_open(opt.device, &r);
    if (status)
        return status;
    if (!(status = recorder_check_free(&r))) {
        HRESULT hr = IDiscRecorder2_EjectMedia(r.rec);
        status = FAILED(hr) ? fail(RB_WRITE, "eject failed: %s", hr_text(hr)) : RB_OK;
    }
    recorder_close(&r);
    return status;
}
