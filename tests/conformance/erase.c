/* MsftDiscFormat2Erase: properties, the IDiscFormat2 questions, EraseMedia
 * on virtual CD-RW recorders (minimal and full, with Update events), the
 * refusals, drive faults during BLANK and a second process erasing the same
 * drive. Throttled recorders run on wall-clock time: a minimal blank at 52x
 * takes about 4.7 s. */
#define COBJMACROS
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "okay.h"
#include "virtual_recorders.h"
#include "test_com.h"
#include "mmc/geometry.h"

#define CLIENT L"Erase Test"
#define UPDATE_DISPID 0x200

/* ---- a recorder and an erase object ---- */

static IDiscFormat2Erase *create_erase(void)
{
    IDiscFormat2Erase *erase = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscFormat2Erase, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2Erase,
                                  (void **)&erase);
    ok(hr == S_OK, "CoCreateInstance(erase) got %#lx\n", hr);
    return erase;
}

/* An erase object on recorder `name`, with the test's client name. */
static IDiscFormat2Erase *erase_on(const WCHAR *name, IDiscRecorder2 **rec_out)
{
    IDiscRecorder2 *rec = test_open_recorder(name);
    IDiscFormat2Erase *erase = rec ? create_erase() : NULL;
    BSTR client = SysAllocString(CLIENT);
    HRESULT hr;
    *rec_out = rec;
    if (!erase)
        return NULL;
    hr = IDiscFormat2Erase_put_Recorder(erase, rec);
    ok(hr == S_OK, "put_Recorder(%ls) got %#lx\n", name, hr);
    hr = IDiscFormat2Erase_put_ClientName(erase, client);
    ok(hr == S_OK, "put_ClientName got %#lx\n", hr);
    SysFreeString(client);
    return erase;
}

/* Virtual recorder on wall-clock time at the given speed (x). */
static void add_throttled(const WCHAR *name, const WCHAR *kind, const WCHAR *faults, DWORD speed)
{
    WCHAR path[256];
    HKEY key;
    test_vr_add(name, kind, faults, FALSE);
    swprintf(path, ARRAYSIZE(path), TEST_VR_KEY L"\\%ls", name);
    if (!RegOpenKeyExW(HKEY_CURRENT_USER, path, 0, KEY_SET_VALUE, &key)) {
        RegSetValueExW(key, L"Speed", 0, REG_DWORD, (const BYTE *)&speed, sizeof(speed));
        RegCloseKey(key);
    }
}

static BOOL owner_is(IDiscRecorder2 *rec, const WCHAR *expected)
{
    BSTR owner = NULL;
    BOOL same = SUCCEEDED(IDiscRecorder2_get_ExclusiveAccessOwner(rec, &owner)) && owner &&
                !wcscmp(owner, expected);
    SysFreeString(owner);
    return same;
}

static BOOL physically_blank(IDiscFormat2Erase *erase)
{
    VARIANT_BOOL blank = VARIANT_FALSE;
    HRESULT hr = IDiscFormat2Erase_get_MediaPhysicallyBlank(erase, &blank);
    ok(hr == S_OK, "MediaPhysicallyBlank got %#lx\n", hr);
    return blank == VARIANT_TRUE;
}

/* Disc status from READ DISC INFORMATION byte 2 (0 empty, 1 incomplete, 2 complete). */
static int disc_status(IDiscRecorder2 *rec)
{
    IDiscRecorder2Ex *ex = NULL;
    BYTE *info = NULL;
    ULONG size = 0;
    int status = -1;
    if (FAILED(IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex)))
        return -1;
    if (SUCCEEDED(IDiscRecorder2Ex_GetDiscInformation(ex, &info, &size)) && info && size > 2)
        status = info[2] & 3;
    CoTaskMemFree(info);
    IDiscRecorder2Ex_Release(ex);
    return status;
}

/* ---- an Update sink ---- */

#define MAX_EVENTS 256

struct sink {
    struct test_sink base;      /* first */
    IUnknown *expected_object;  /* the erase object, as IUnknown */
    IDiscRecorder2 *recorder;   /* to look at the lock during events, optional */
    int count, bad_args, wrong_object, owner_mismatch;
    LONG elapsed[MAX_EVENTS], total[MAX_EVENTS];
    DWORD tick[MAX_EVENTS];
    HANDLE first_event;         /* set at the first Update, optional */
    IDiscFormat2RawCD *cancel;  /* a raw writer to cancel at its cancel_at-th Update, optional */
    int cancel_at, raw_updates;
    HRESULT cancel_result;
};

static inline struct sink *impl_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct sink, base.IDispatch_iface);
}

static BOOL same_object(IDispatch *disp, IUnknown *expected)
{
    IUnknown *unk = NULL;
    BOOL same;
    if (!disp || FAILED(IDispatch_QueryInterface(disp, &IID_IUnknown, (void **)&unk)))
        return FALSE;
    same = unk == expected;
    IUnknown_Release(unk);
    return same;
}

static HRESULT WINAPI sink_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                  DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct sink *s = impl_from_IDispatch(iface);
    (void)riid; (void)lcid; (void)result; (void)excep; (void)arg_err;
    if (s->cancel) { /* advised on a raw writer: (object, progress) */
        if (++s->raw_updates == s->cancel_at)
            s->cancel_result = IDiscFormat2RawCD_CancelWrite(s->cancel);
        return S_OK;
    }
    if (id != UPDATE_DISPID || !(flags & DISPATCH_METHOD) || !params || params->cArgs != 3 ||
        V_VT(&params->rgvarg[2]) != VT_DISPATCH || V_VT(&params->rgvarg[1]) != VT_I4 ||
        V_VT(&params->rgvarg[0]) != VT_I4) {
        s->bad_args++;
        return S_OK;
    }
    if (!same_object(V_DISPATCH(&params->rgvarg[2]), s->expected_object))
        s->wrong_object++;
    if (s->recorder && !owner_is(s->recorder, CLIENT))
        s->owner_mismatch++;
    if (s->count < MAX_EVENTS) {
        s->elapsed[s->count] = V_I4(&params->rgvarg[1]);
        s->total[s->count] = V_I4(&params->rgvarg[0]);
        s->tick[s->count] = GetTickCount();
    }
    if (!s->count && s->first_event)
        SetEvent(s->first_event);
    s->count++;
    return S_OK;
}

static const IDispatchVtbl sink_vtbl = TEST_SINK_VTBL(sink_Invoke);

/* Advises a fresh sink on the events source_iid of source; returns the
 * cookie (0 on failure). */
static DWORD advise_on(IUnknown *source, REFIID source_iid, struct sink *s, IDiscRecorder2 *rec)
{
    IConnectionPointContainer *cpc = NULL;
    IConnectionPoint *cp = NULL;
    DWORD cookie = 0;
    HRESULT hr;
    memset(s, 0, sizeof(*s));
    test_sink_init(&s->base, &sink_vtbl, &IID_DDiscFormat2EraseEvents, &IID_DDiscFormat2RawCDEvents);
    s->recorder = rec;
    IUnknown_QueryInterface(source, &IID_IUnknown, (void **)&s->expected_object);
    IUnknown_Release(s->expected_object); /* identity only */
    hr = IUnknown_QueryInterface(source, &IID_IConnectionPointContainer, (void **)&cpc);
    ok(hr == S_OK, "QI(IConnectionPointContainer) got %#lx\n", hr);
    if (!cpc)
        return 0;
    hr = IConnectionPointContainer_FindConnectionPoint(cpc, source_iid, &cp);
    ok(hr == S_OK, "FindConnectionPoint got %#lx\n", hr);
    if (cp) {
        hr = IConnectionPoint_Advise(cp, (IUnknown *)&s->base.IDispatch_iface, &cookie);
        ok(hr == S_OK && cookie, "Advise got %#lx\n", hr);
        IConnectionPoint_Release(cp);
    }
    IConnectionPointContainer_Release(cpc);
    return cookie;
}

static DWORD advise(IDiscFormat2Erase *erase, struct sink *s, IDiscRecorder2 *rec)
{
    return advise_on((IUnknown *)erase, &IID_DDiscFormat2EraseEvents, s, rec);
}

static void unadvise(IDiscFormat2Erase *erase, DWORD cookie)
{
    IConnectionPointContainer *cpc = NULL;
    IConnectionPoint *cp = NULL;
    if (!cookie || FAILED(IDiscFormat2Erase_QueryInterface(erase, &IID_IConnectionPointContainer, (void **)&cpc)))
        return;
    if (SUCCEEDED(IConnectionPointContainer_FindConnectionPoint(cpc, &IID_DDiscFormat2EraseEvents, &cp))) {
        ok(IConnectionPoint_Unadvise(cp, cookie) == S_OK, "Unadvise\n");
        IConnectionPoint_Release(cp);
    }
    IConnectionPointContainer_Release(cpc);
}

/* What every finished erase's events must look like: elapsed never goes
 * back, the estimate is never 0 and never below elapsed, and the last event
 * says "done" (elapsed == total). */
static void check_event_values(const struct sink *s, const char *what)
{
    int n = s->count < MAX_EVENTS ? s->count : MAX_EVENTS;
    BOOL monotonic = TRUE, positive = TRUE;
    ok(!s->bad_args, "%s: %d events with bad arguments\n", what, s->bad_args);
    ok(!s->wrong_object, "%s: %d events named another object\n", what, s->wrong_object);
    for (int i = 0; i < n; i++) {
        if (i && s->elapsed[i] < s->elapsed[i - 1])
            monotonic = FALSE;
        if (s->total[i] <= 0 || s->total[i] < s->elapsed[i] || s->elapsed[i] < 0)
            positive = FALSE;
    }
    ok(monotonic, "%s: elapsed seconds went back\n", what);
    ok(positive, "%s: an estimate was 0 or below elapsed\n", what);
    if (n)
        ok(s->elapsed[n - 1] == s->total[n - 1] && s->total[n - 1] > 0, "%s: last event %ld/%ld is not final\n",
           what, s->elapsed[n - 1], s->total[n - 1]);
    for (int i = 0; i + 1 < n; i++)
        ok(s->elapsed[i] < s->total[i], "%s: event %d says done early (%ld/%ld)\n", what, i, s->elapsed[i],
           s->total[i]);
}

/* ---- tests ---- */

static void test_interfaces(void)
{
    static const IID *const supported[] = {
        &IID_IUnknown, &IID_IDispatch, &IID_IDiscFormat2, &IID_IDiscFormat2Erase,
        &IID_IConnectionPointContainer, &IID_IProvideClassInfo2, &IID_IProvideClassInfo, &IID_ISupportErrorInfo,
    };
    IDiscFormat2Erase *erase = create_erase();
    IProvideClassInfo2 *pci = NULL;
    ISupportErrorInfo *sei = NULL;
    IUnknown *unk;
    CLSID clsid;
    GUID guid;
    HRESULT hr;
    if (!erase)
        return;
    for (unsigned i = 0; i < ARRAYSIZE(supported); i++) {
        unk = NULL;
        hr = IDiscFormat2Erase_QueryInterface(erase, supported[i], (void **)&unk);
        ok(hr == S_OK && unk, "QI #%u got %#lx\n", i, hr);
        if (unk)
            IUnknown_Release(unk);
    }
    unk = (IUnknown *)0xdead;
    hr = IDiscFormat2Erase_QueryInterface(erase, &IID_IDiscFormat2RawCD, (void **)&unk);
    ok(hr == E_NOINTERFACE && !unk, "QI(IDiscFormat2RawCD) got %#lx\n", hr);
    hr = IDiscFormat2Erase_QueryInterface(erase, &IID_IDiscRecorder2, (void **)&unk);
    ok(hr == E_NOINTERFACE, "QI(IDiscRecorder2) got %#lx\n", hr);

    IDiscFormat2Erase_QueryInterface(erase, &IID_IProvideClassInfo2, (void **)&pci);
    if (pci) {
        hr = IProvideClassInfo2_GetGUID(pci, GUIDKIND_DEFAULT_SOURCE_DISP_IID, &guid);
        ok(hr == S_OK && IsEqualGUID(&guid, &IID_DDiscFormat2EraseEvents), "GetGUID got %#lx\n", hr);
        IProvideClassInfo2_Release(pci);
    }
    IDiscFormat2Erase_QueryInterface(erase, &IID_ISupportErrorInfo, (void **)&sei);
    if (sei) {
        ok(ISupportErrorInfo_InterfaceSupportsErrorInfo(sei, &IID_IDiscFormat2Erase) == S_OK,
           "no error info for IDiscFormat2Erase\n");
        ISupportErrorInfo_Release(sei);
    }
    hr = CLSIDFromProgID(L"IMAPI2.MsftDiscFormat2Erase", &clsid);
    ok(hr == S_OK && IsEqualGUID(&clsid, &CLSID_MsftDiscFormat2Erase), "ProgID got %#lx\n", hr);
    IDiscFormat2Erase_Release(erase);
}

static void test_defaults(void)
{
    IDiscFormat2Erase *erase = create_erase();
    IDiscRecorder2 *rec = (IDiscRecorder2 *)0xdead;
    IMAPI_MEDIA_PHYSICAL_TYPE type = 99;
    VARIANT_BOOL b = VARIANT_TRUE;
    SAFEARRAY *sa = NULL;
    BSTR s = NULL;
    HRESULT hr;
    if (!erase)
        return;
    ok(IDiscFormat2Erase_get_FullErase(erase, &b) == S_OK && b == VARIANT_FALSE, "FullErase default %d\n", b);
    hr = IDiscFormat2Erase_get_ClientName(erase, &s);
    ok(hr == S_OK && (!s || !s[0]), "ClientName default got %#lx %ls\n", hr, s);
    SysFreeString(s);
    hr = IDiscFormat2Erase_get_Recorder(erase, &rec);
    ok(hr == S_OK && !rec, "Recorder default got %#lx %p\n", hr, rec);
    hr = IDiscFormat2Erase_get_CurrentPhysicalMediaType(erase, &type);
    ok(hr == E_IMAPI_RECORDER_REQUIRED, "CurrentPhysicalMediaType without recorder got %#lx\n", hr);
    hr = IDiscFormat2Erase_get_MediaPhysicallyBlank(erase, &b);
    ok(hr == E_IMAPI_RECORDER_REQUIRED, "MediaPhysicallyBlank without recorder got %#lx\n", hr);
    hr = IDiscFormat2Erase_get_MediaHeuristicallyBlank(erase, &b);
    ok(hr == E_IMAPI_RECORDER_REQUIRED, "MediaHeuristicallyBlank without recorder got %#lx\n", hr);
    hr = IDiscFormat2Erase_EraseMedia(erase);
    ok(hr == E_IMAPI_RECORDER_REQUIRED, "EraseMedia without recorder got %#lx\n", hr);
    hr = IDiscFormat2Erase_get_SupportedMediaTypes(erase, &sa);
    ok(hr == S_OK && sa && test_array_count(sa) == 2 && test_array_has(sa, IMAPI_MEDIA_TYPE_CDRW) &&
       test_array_has(sa, IMAPI_MEDIA_TYPE_DVDDASHRW), "SupportedMediaTypes without recorder got %#lx\n", hr);
    SafeArrayDestroy(sa);

    ok(IDiscFormat2Erase_get_FullErase(erase, NULL) == E_POINTER, "FullErase(NULL)\n");
    ok(IDiscFormat2Erase_get_ClientName(erase, NULL) == E_POINTER, "ClientName(NULL)\n");
    ok(IDiscFormat2Erase_get_Recorder(erase, NULL) == E_POINTER, "Recorder(NULL)\n");
    ok(IDiscFormat2Erase_get_SupportedMediaTypes(erase, NULL) == E_POINTER, "SupportedMediaTypes(NULL)\n");
    ok(IDiscFormat2Erase_get_MediaPhysicallyBlank(erase, NULL) == E_POINTER, "MediaPhysicallyBlank(NULL)\n");
    ok(IDiscFormat2Erase_get_CurrentPhysicalMediaType(erase, NULL) == E_POINTER, "CurrentPhysicalMediaType(NULL)\n");
    ok(IDiscFormat2Erase_IsRecorderSupported(erase, NULL, &b) == E_INVALIDARG, "IsRecorderSupported(NULL)\n");
    ok(IDiscFormat2Erase_IsCurrentMediaSupported(erase, NULL, &b) == E_INVALIDARG, "IsCurrentMediaSupported(NULL)\n");

    ok(IDiscFormat2Erase_put_FullErase(erase, VARIANT_TRUE) == S_OK, "put_FullErase\n");
    ok(IDiscFormat2Erase_get_FullErase(erase, &b) == S_OK && b == VARIANT_TRUE, "FullErase after put %d\n", b);

    /* The put_ClientName page documents E_OUTOFMEMORY and E_INVALIDARG only. */
    ok(IDiscFormat2Erase_put_ClientName(erase, NULL) == E_INVALIDARG, "NULL name\n");
    s = SysAllocString(L"");
    ok(IDiscFormat2Erase_put_ClientName(erase, s) == E_INVALIDARG, "empty name\n");
    SysFreeString(s);
    s = SysAllocString(L"bad/name");
    ok(IDiscFormat2Erase_put_ClientName(erase, s) == E_INVALIDARG, "name with '/'\n");
    SysFreeString(s);
    s = SysAllocString(L"0123456789012345678901234567890123456789012345678901234567890123");
    ok(IDiscFormat2Erase_put_ClientName(erase, s) == E_INVALIDARG, "64-char name\n");
    SysFreeString(s);
    s = SysAllocString(L"Erase: test_1.0, ok;");
    ok(IDiscFormat2Erase_put_ClientName(erase, s) == S_OK, "valid name refused\n");
    SysFreeString(s);
    s = NULL;
    hr = IDiscFormat2Erase_get_ClientName(erase, &s);
    ok(hr == S_OK && s && !wcscmp(s, L"Erase: test_1.0, ok;"), "ClientName got %#lx %ls\n", hr, s);
    SysFreeString(s);
    IDiscFormat2Erase_Release(erase);
}

/* Failures leave an IErrorInfo with a description, for scripts' Err object. */
static void test_error_info(void)
{
    IDiscFormat2Erase *erase = create_erase();
    IErrorInfo *info = NULL;
    BSTR text = NULL;
    if (!erase)
        return;
    SetErrorInfo(0, NULL);
    ok(IDiscFormat2Erase_EraseMedia(erase) == E_IMAPI_RECORDER_REQUIRED, "EraseMedia without recorder\n");
    ok(GetErrorInfo(0, &info) == S_OK && info, "no IErrorInfo after a failure\n");
    if (info) {
        ok(IErrorInfo_GetDescription(info, &text) == S_OK && text && text[0], "empty description\n");
        SysFreeString(text);
        IErrorInfo_Release(info);
    }
    IDiscFormat2Erase_Release(erase);
}

static void test_dispatch(void)
{
    IDiscFormat2Erase *erase = create_erase();
    IDispatch *disp = NULL;
    static const struct {
        const WCHAR *name;
        DISPID id;
    } names[] = {
        { L"EraseMedia", 0x201 }, { L"FullErase", 0x101 }, { L"ClientName", 0x103 },
        { L"CurrentPhysicalMediaType", 0x102 }, { L"Recorder", 0x100 }, { L"IsRecorderSupported", 0x800 },
        { L"SupportedMediaTypes", 0x702 }, { L"MediaPhysicallyBlank", 0x700 },
    };
    DISPPARAMS none = { 0 };
    EXCEPINFO excep;
    VARIANT result;
    HRESULT hr;
    if (!erase)
        return;
    IDiscFormat2Erase_QueryInterface(erase, &IID_IDispatch, (void **)&disp);
    for (unsigned i = 0; disp && i < ARRAYSIZE(names); i++) {
        OLECHAR *name = (OLECHAR *)names[i].name;
        DISPID id = 0;
        hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, &name, 1, LOCALE_USER_DEFAULT, &id);
        ok(hr == S_OK && id == names[i].id, "GetIDsOfNames(%ls) got %#lx %ld\n", names[i].name, hr, id);
    }
    if (disp) {
        VariantInit(&result);
        hr = IDispatch_Invoke(disp, 0x101, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_PROPERTYGET, &none, &result,
                              NULL, NULL);
        ok(hr == S_OK && V_VT(&result) == VT_BOOL && V_BOOL(&result) == VARIANT_FALSE,
           "Invoke(FullErase) got %#lx\n", hr);
        memset(&excep, 0, sizeof(excep));
        hr = IDispatch_Invoke(disp, 0x201, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_METHOD, &none, NULL, &excep,
                              NULL);
        ok(hr == DISP_E_EXCEPTION && excep.scode == E_IMAPI_RECORDER_REQUIRED,
           "Invoke(EraseMedia) without recorder got %#lx scode %#lx\n", hr, excep.scode);
        SysFreeString(excep.bstrSource);
        SysFreeString(excep.bstrDescription);
        SysFreeString(excep.bstrHelpFile);
        IDispatch_Release(disp);
    }
    IDiscFormat2Erase_Release(erase);
}

/* IsRecorderSupported / IsCurrentMediaSupported / CurrentPhysicalMediaType
 * for a media kind; questions, never failures, except "no disc". */
static void test_media_questions(const WCHAR *kind, IMAPI_MEDIA_PHYSICAL_TYPE expected, BOOL supported,
                                 HRESULT expected_current_hr)
{
    IDiscFormat2Erase *erase = create_erase();
    IDiscRecorder2 *rec, *got = NULL;
    IMAPI_MEDIA_PHYSICAL_TYPE type = 99;
    VARIANT_BOOL b = VARIANT_FALSE;
    SAFEARRAY *sa = NULL;
    HRESULT hr;
    test_vr_add(L"ask", kind, NULL, TRUE);
    if (!erase || !(rec = test_open_recorder(L"ask")))
        return;
    hr = IDiscFormat2Erase_IsRecorderSupported(erase, rec, &b);
    ok(SUCCEEDED(hr) && b == VARIANT_TRUE, "%ls: IsRecorderSupported got %#lx %d\n", kind, hr, b);
    b = VARIANT_TRUE;
    hr = IDiscFormat2Erase_IsCurrentMediaSupported(erase, rec, &b);
    ok(hr == expected_current_hr && b == (supported ? VARIANT_TRUE : VARIANT_FALSE),
       "%ls: IsCurrentMediaSupported got %#lx %d\n", kind, hr, b);
    hr = IDiscFormat2Erase_put_Recorder(erase, rec);
    ok(hr == S_OK, "%ls: put_Recorder got %#lx\n", kind, hr);
    hr = IDiscFormat2Erase_get_Recorder(erase, &got);
    ok(hr == S_OK && got == rec, "%ls: get_Recorder got %#lx %p\n", kind, hr, got);
    if (got)
        IDiscRecorder2_Release(got);
    hr = IDiscFormat2Erase_get_CurrentPhysicalMediaType(erase, &type);
    ok(hr == S_OK && type == expected, "%ls: CurrentPhysicalMediaType got %#lx %d\n", kind, hr, type);
    /* The list of the implementation, not narrowed to the recorder's profiles. */
    hr = IDiscFormat2Erase_get_SupportedMediaTypes(erase, &sa);
    ok(hr == S_OK && sa && test_array_count(sa) == 2 && test_array_has(sa, IMAPI_MEDIA_TYPE_CDRW) &&
       test_array_has(sa, IMAPI_MEDIA_TYPE_DVDDASHRW),
       "%ls: SupportedMediaTypes with a CD recorder got %#lx, %ld types\n", kind, hr, sa ? test_array_count(sa) : -1);
    SafeArrayDestroy(sa);
    ok(IDiscFormat2Erase_put_Recorder(erase, NULL) == S_OK, "put_Recorder(NULL)\n");
    ok(IDiscFormat2Erase_get_Recorder(erase, &got) == S_OK && !got, "Recorder not cleared\n");
    IDiscRecorder2_Release(rec);
    IDiscFormat2Erase_Release(erase);
    test_vr_remove(L"ask");
}

/* A recorder object that names no drive yet cannot erase anything. */
static void test_uninitialized_recorder(void)
{
    IDiscFormat2Erase *erase = create_erase();
    IDiscRecorder2 *rec = NULL;
    VARIANT_BOOL b = VARIANT_TRUE;
    HRESULT hr;
    CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2, (void **)&rec);
    if (!erase || !rec)
        return;
    hr = IDiscFormat2Erase_IsRecorderSupported(erase, rec, &b);
    ok(SUCCEEDED(hr) && b == VARIANT_FALSE, "IsRecorderSupported(uninitialised) got %#lx %d\n", hr, b);
    b = VARIANT_TRUE;
    hr = IDiscFormat2Erase_IsCurrentMediaSupported(erase, rec, &b);
    ok(SUCCEEDED(hr) && b == VARIANT_FALSE, "IsCurrentMediaSupported(uninitialised) got %#lx %d\n", hr, b);
    hr = IDiscFormat2Erase_put_Recorder(erase, rec);
    ok(hr == E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED, "put_Recorder(uninitialised) got %#lx\n", hr);
    IDiscRecorder2_Release(rec);
    IDiscFormat2Erase_Release(erase);
}

/* Minimal erase in real time: Update every half second, estimates from the
 * drive's progress, the lock held under ClientName during the events and
 * given back after, the disc blank. */
static void test_minimal_erase(void)
{
    static struct sink sink;
    IDiscFormat2Erase *erase;
    IDiscRecorder2 *rec;
    DWORD cookie, start, took;
    HRESULT hr;
    add_throttled(L"minimal", L"cdrw-written", NULL, 52);
    if (!(erase = erase_on(L"minimal", &rec)))
        return;
    ok(!physically_blank(erase), "written CD-RW reported blank\n");
    ok(disc_status(rec) == 2, "written CD-RW not complete: %d\n", disc_status(rec));
    cookie = advise(erase, &sink, rec);
    start = GetTickCount();
    hr = IDiscFormat2Erase_EraseMedia(erase);
    took = GetTickCount() - start;
    ok(hr == S_OK, "EraseMedia got %#lx\n", hr);
    /* 18384 sectors at 52x (3900 sectors/s). */
    ok(took >= 4000 && took < 9000, "minimal erase took %lu ms\n", took);
    ok(sink.count >= 7 && sink.count <= 14, "%d Update events in %lu ms\n", sink.count, took);
    ok(!sink.owner_mismatch, "exclusive owner was not the client name during %d events\n", sink.owner_mismatch);
    check_event_values(&sink, "minimal");
    if (sink.count >= 4 && sink.count <= MAX_EVENTS) {
        /* Once the drive reports progress, the estimate is the blank's real length. */
        LONG est = sink.total[sink.count - 2];
        ok(est >= 4 && est <= 7, "estimate near the end: %ld s\n", est);
        ok(sink.elapsed[0] == 0, "first event at %ld s\n", sink.elapsed[0]);
        /* The start event, then one every half second until the final one. */
        DWORD spacing = (sink.tick[sink.count - 2] - sink.tick[0]) / (sink.count - 2);
        ok(spacing >= 400 && spacing <= 700, "events %lu ms apart on average\n", spacing);
    }
    ok(physically_blank(erase), "disc not blank after the erase\n");
    ok(disc_status(rec) == 0, "disc status after erase: %d\n", disc_status(rec));
    ok(owner_is(rec, L""), "drive still locked after the erase\n");
    unadvise(erase, cookie);
    IDiscFormat2Erase_Release(erase);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"minimal");
}

/* Full erase on a drive without simulated time: done at once, still a start
 * and a final event. */
static void test_full_erase(void)
{
    static struct sink sink;
    IDiscFormat2Erase *erase;
    IDiscRecorder2 *rec;
    DWORD cookie;
    HRESULT hr;
    test_vr_add(L"full", L"cdrw-written", NULL, TRUE);
    if (!(erase = erase_on(L"full", &rec)))
        return;
    ok(IDiscFormat2Erase_put_FullErase(erase, VARIANT_TRUE) == S_OK, "put_FullErase\n");
    cookie = advise(erase, &sink, rec);
    hr = IDiscFormat2Erase_EraseMedia(erase);
    ok(hr == S_OK, "full EraseMedia got %#lx\n", hr);
    ok(sink.count >= 2, "%d Update events\n", sink.count);
    check_event_values(&sink, "full");
    ok(physically_blank(erase), "disc not blank after a full erase\n");
    ok(owner_is(rec, L""), "drive still locked after the erase\n");
    /* Erasing a blank CD-RW again is fine. */
    hr = IDiscFormat2Erase_EraseMedia(erase);
    ok(hr == S_OK, "erase of a blank CD-RW got %#lx\n", hr);
    unadvise(erase, cookie);
    IDiscFormat2Erase_Release(erase);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"full");
}

/* A CD-RW left indeterminate by a raw write that never finished: erasable,
 * and blank after. */
static void test_indeterminate(void)
{
    static const char state[] = "vrec-media 1\nkind cdrw\nstate indeterminate\nlayout 3\nnext-lba -5000\n";
    WCHAR media[MAX_PATH];
    IDiscFormat2Erase *erase;
    IDiscRecorder2 *rec;
    HANDLE file;
    DWORD written = 0;
    HRESULT hr;
    test_vr_add(L"spoilt", L"cdrw", NULL, TRUE);
    swprintf(media, ARRAYSIZE(media), L"%ls\\spoilt.media", test_vr_folder());
    file = CreateFileW(media, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    ok(file != INVALID_HANDLE_VALUE, "cannot write %ls\n", media);
    WriteFile(file, state, sizeof(state) - 1, &written, NULL);
    CloseHandle(file);
    if (!(erase = erase_on(L"spoilt", &rec)))
        return;
    ok(disc_status(rec) == 1, "indeterminate disc status %d\n", disc_status(rec));
    ok(!physically_blank(erase), "indeterminate disc reported blank\n");
    hr = IDiscFormat2Erase_EraseMedia(erase);
    ok(hr == S_OK, "erase of an indeterminate CD-RW got %#lx\n", hr);
    ok(physically_blank(erase) && disc_status(rec) == 0, "indeterminate disc not blank after erase\n");
    IDiscFormat2Erase_Release(erase);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"spoilt");
}

/* A raw image of one audio track of silence (MsftStreamZero through
 * MsftRawCDImageCreator), raw P-W sub-channel. */
static IStream *silent_image(ULONG sectors)
{
    IRawCDImageCreator *creator = NULL;
    IStream *zero = NULL, *image = NULL;
    ULARGE_INTEGER size;
    LONG index = 0;
    HRESULT hr;
    size.QuadPart = (ULONGLONG)sectors * CD_SECTOR_SIZE;
    CoCreateInstance(&CLSID_MsftStreamZero, NULL, CLSCTX_INPROC_SERVER, &IID_IStream, (void **)&zero);
    CoCreateInstance(&CLSID_MsftRawCDImageCreator, NULL, CLSCTX_INPROC_SERVER, &IID_IRawCDImageCreator,
                     (void **)&creator);
    ok(zero && creator, "cannot create the image objects\n");
    if (zero && creator && SUCCEEDED(IStream_SetSize(zero, size)) &&
        SUCCEEDED(IRawCDImageCreator_put_ResultingImageType(creator, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW)) &&
        SUCCEEDED(IRawCDImageCreator_AddTrack(creator, IMAPI_CD_SECTOR_AUDIO, zero, &index))) {
        hr = IRawCDImageCreator_CreateResultImage(creator, &image);
        ok(hr == S_OK && image, "CreateResultImage got %#lx\n", hr);
    }
    if (zero)
        IStream_Release(zero);
    if (creator)
        IRawCDImageCreator_Release(creator);
    return image;
}

static IDiscFormat2RawCD *raw_writer(IDiscRecorder2 *rec)
{
    IDiscFormat2RawCD *raw = NULL;
    BSTR client = SysAllocString(L"Raw Burner");
    CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2RawCD, (void **)&raw);
    ok(raw != NULL, "cannot create MsftDiscFormat2RawCD\n");
    if (raw && (FAILED(IDiscFormat2RawCD_put_Recorder(raw, rec)) ||
                FAILED(IDiscFormat2RawCD_put_ClientName(raw, client)))) {
        ok(0, "raw writer set-up failed\n");
        IDiscFormat2RawCD_Release(raw);
        raw = NULL;
    }
    SysFreeString(client);
    return raw;
}

/* A raw burn cancelled half way leaves the CD-RW indeterminate; the erase
 * makes it blank, and the next raw burn of the same drive succeeds. */
static void test_after_cancelled_burn(void)
{
    static struct sink raw_sink;
    IDiscFormat2Erase *erase;
    IDiscFormat2RawCD *raw;
    IDiscRecorder2 *rec;
    IStream *image;
    HRESULT hr;
    test_vr_add(L"reburn", L"cdrw", NULL, TRUE);
    if (!(erase = erase_on(L"reburn", &rec)))
        return;
    if (!(raw = raw_writer(rec)) || !(image = silent_image(3000))) {
        IDiscFormat2Erase_Release(erase);
        IDiscRecorder2_Release(rec);
        return;
    }
    advise_on((IUnknown *)raw, &IID_DDiscFormat2RawCDEvents, &raw_sink, NULL);
    raw_sink.cancel = raw;
    raw_sink.cancel_at = 3;
    ok(IDiscFormat2RawCD_PrepareMedia(raw) == S_OK, "PrepareMedia\n");
    ok(IDiscFormat2RawCD_put_RequestedSectorType(raw, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "sector type\n");
    hr = IDiscFormat2RawCD_WriteMedia(raw, image);
    ok(hr == E_IMAPI_REQUEST_CANCELLED && raw_sink.cancel_result == S_OK, "cancelled WriteMedia got %#lx / %#lx\n",
       hr, raw_sink.cancel_result);
    ok(IDiscFormat2RawCD_ReleaseMedia(raw) == S_OK, "ReleaseMedia\n");
    IStream_Release(image);
    ok(disc_status(rec) == 1, "disc after the cancelled burn: status %d\n", disc_status(rec));

    hr = IDiscFormat2Erase_EraseMedia(erase);
    ok(hr == S_OK, "erase after the cancelled burn got %#lx\n", hr);
    ok(disc_status(rec) == 0, "disc after the erase: status %d\n", disc_status(rec));

    raw_sink.cancel_at = 0; /* this one runs to the end */
    image = silent_image(3000);
    hr = IDiscFormat2RawCD_PrepareMedia(raw);
    ok(hr == S_OK, "PrepareMedia after the erase got %#lx\n", hr);
    ok(IDiscFormat2RawCD_put_RequestedSectorType(raw, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW) == S_OK, "sector type\n");
    hr = image ? IDiscFormat2RawCD_WriteMedia(raw, image) : E_FAIL;
    ok(hr == S_OK, "raw burn after the erase got %#lx\n", hr);
    IDiscFormat2RawCD_ReleaseMedia(raw);
    ok(disc_status(rec) == 2, "disc after the new burn: status %d\n", disc_status(rec));
    if (image)
        IStream_Release(image);
    IDiscFormat2RawCD_Release(raw);
    IDiscFormat2Erase_Release(erase);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"reburn");
}

/* Discs this object does not erase: refused before BLANK, no events, no lock left. */
static void test_refusal(const WCHAR *kind, HRESULT expected)
{
    static struct sink sink;
    IDiscFormat2Erase *erase;
    IDiscRecorder2 *rec;
    IErrorInfo *info = NULL;
    DWORD cookie;
    HRESULT hr;
    test_vr_add(L"refuse", kind, NULL, TRUE);
    if (!(erase = erase_on(L"refuse", &rec)))
        return;
    cookie = advise(erase, &sink, NULL);
    SetErrorInfo(0, NULL);
    hr = IDiscFormat2Erase_EraseMedia(erase);
    ok(hr == expected, "%ls: EraseMedia got %#lx, expected %#lx\n", kind, hr, expected);
    ok(GetErrorInfo(0, &info) == S_OK && info, "%ls: no IErrorInfo\n", kind);
    if (info)
        IErrorInfo_Release(info);
    ok(sink.count == 0, "%ls: %d events for a refused erase\n", kind, sink.count);
    ok(owner_is(rec, L""), "%ls: drive still locked after a refusal\n", kind);
    unadvise(erase, cookie);
    IDiscFormat2Erase_Release(erase);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"refuse");
}

static void test_no_client_name(void)
{
    IDiscFormat2Erase *erase = create_erase();
    IDiscRecorder2 *rec;
    test_vr_add(L"noname", L"cdrw-written", NULL, TRUE);
    if (!erase || !(rec = test_open_recorder(L"noname")))
        return;
    ok(IDiscFormat2Erase_put_Recorder(erase, rec) == S_OK, "put_Recorder\n");
    ok(IDiscFormat2Erase_EraseMedia(erase) == E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID,
       "EraseMedia without a client name\n");
    ok(disc_status(rec) == 2, "disc changed by a refused erase\n");
    IDiscRecorder2_Release(rec);
    IDiscFormat2Erase_Release(erase);
    test_vr_remove(L"noname");
}

/* The drive fails while it blanks (a sense instead of "in progress" to the
 * polls): E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR, which the EraseMedia page
 * says Windows "currently" returns when the erase fails because of bad media
 * or a drive failure; the description names the real cause and the sense.
 * Events up to then, the lock given back. */
static void test_fault(const WCHAR *fault, const WCHAR *cause_words)
{
    const HRESULT expected = E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR;
    IErrorInfo *info = NULL;
    BSTR text = NULL;
    static struct sink sink;
    IDiscFormat2Erase *erase;
    IDiscRecorder2 *rec, *other;
    BSTR name = SysAllocString(L"After Fault");
    DWORD cookie;
    HRESULT hr;
    add_throttled(L"faulty", L"cdrw-written", fault, 52);
    if (!(erase = erase_on(L"faulty", &rec)))
        return;
    cookie = advise(erase, &sink, NULL);
    SetErrorInfo(0, NULL);
    hr = IDiscFormat2Erase_EraseMedia(erase);
    ok(hr == expected, "fault '%ls': EraseMedia got %#lx, expected %#lx\n", fault, hr, expected);
    ok(GetErrorInfo(0, &info) == S_OK && info, "fault '%ls': no IErrorInfo\n", fault);
    if (info) {
        ok(IErrorInfo_GetDescription(info, &text) == S_OK && text && wcsstr(text, cause_words),
           "fault '%ls': description %ls does not say %ls\n", fault, text, cause_words);
        SysFreeString(text);
        IErrorInfo_Release(info);
    }
    ok(sink.count >= 2, "fault '%ls': %d events before the failure\n", fault, sink.count);
    ok(owner_is(rec, L""), "fault '%ls': drive still locked\n", fault);
    if ((other = test_open_recorder(L"faulty"))) {
        ok(IDiscRecorder2_AcquireExclusiveAccess(other, VARIANT_FALSE, name) == S_OK,
           "fault '%ls': drive cannot be taken after the failed erase\n", fault);
        IDiscRecorder2_ReleaseExclusiveAccess(other);
        IDiscRecorder2_Release(other);
    }
    unadvise(erase, cookie);
    IDiscFormat2Erase_Release(erase);
    IDiscRecorder2_Release(rec);
    SysFreeString(name);
    test_vr_remove(L"faulty");
}

/* Child mode: erase the drive under another client name, signalling the
 * first Update; exit code 0 when the erase succeeded. */
static int child_erase(const WCHAR *name, const WCHAR *event_name)
{
    static struct sink sink;
    IDiscRecorder2 *rec = test_open_recorder(name);
    IDiscFormat2Erase *erase = rec ? create_erase() : NULL;
    BSTR client = SysAllocString(L"Child Eraser");
    HRESULT hr = E_FAIL;
    if (erase && SUCCEEDED(IDiscFormat2Erase_put_Recorder(erase, rec)) &&
        SUCCEEDED(IDiscFormat2Erase_put_ClientName(erase, client))) {
        advise(erase, &sink, NULL);
        sink.first_event = OpenEventW(EVENT_MODIFY_STATE, FALSE, event_name);
        hr = IDiscFormat2Erase_EraseMedia(erase);
    }
    return hr == S_OK ? 0 : 1;
}

/* Two processes, one drive: while the child erases, this one is refused with
 * E_IMAPI_ERASE_RECORDER_IN_USE and sees the child's name as the owner. */
static void test_two_processes(void)
{
    static struct sink sink;
    PROCESS_INFORMATION pi;
    IDiscFormat2Erase *erase;
    IDiscRecorder2 *rec;
    HANDLE started;
    DWORD cookie, code = 99;
    HRESULT hr;
    add_throttled(L"shared", L"cdrw-written", NULL, 52);
    if (!test_child_start(L"erase", L"shared", L"imapi2-erase-test", &started, &pi))
        return;
    ok(WaitForSingleObject(started, 20000) == WAIT_OBJECT_0, "child erase did not start\n");
    if ((erase = erase_on(L"shared", &rec))) {
        cookie = advise(erase, &sink, NULL);
        ok(owner_is(rec, L"Child Eraser"), "owner during the child's erase is not the child\n");
        hr = IDiscFormat2Erase_EraseMedia(erase);
        ok(hr == E_IMAPI_ERASE_RECORDER_IN_USE, "erase while another process erases got %#lx\n", hr);
        ok(sink.count == 0, "%d events for a refused erase\n", sink.count);
        ok(owner_is(rec, L"Child Eraser"), "the refused erase changed the owner\n");
        ok(WaitForSingleObject(pi.hProcess, 20000) == WAIT_OBJECT_0, "child erase did not end\n");
        GetExitCodeProcess(pi.hProcess, &code);
        ok(code == 0, "child erase failed (%lu)\n", code);
        ok(owner_is(rec, L""), "drive still locked after the child's erase\n");
        ok(physically_blank(erase), "disc not blank after the child's erase\n");
        unadvise(erase, cookie);
        IDiscFormat2Erase_Release(erase);
        IDiscRecorder2_Release(rec);
    }
    TerminateProcess(pi.hProcess, 1);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(started);
    test_vr_remove(L"shared");
}

int main(int argc, char **argv)
{
    WCHAR name[64], event_name[64];
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    if (test_child_args(argc, argv, "erase", name, event_name))
        return child_erase(name, event_name);
    test_vr_remove_all();
    test_interfaces();
    test_defaults();
    test_error_info();
    test_dispatch();
    test_media_questions(L"cdrw-written", IMAPI_MEDIA_TYPE_CDRW, TRUE, S_OK);
    test_media_questions(L"cdr80", IMAPI_MEDIA_TYPE_CDR, FALSE, S_OK);
    test_media_questions(L"dvd", IMAPI_MEDIA_TYPE_DVDROM, FALSE, S_OK);
    test_media_questions(L"none", IMAPI_MEDIA_TYPE_UNKNOWN, FALSE, E_IMAPI_RECORDER_MEDIA_NO_MEDIA);
    test_uninitialized_recorder();
    test_refusal(L"cdr80", E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED);
    test_refusal(L"cdr-closed", E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED);
    test_refusal(L"dvd", E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED);
    test_refusal(L"cdrom", E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED);
    test_refusal(L"none", E_IMAPI_RECORDER_MEDIA_NO_MEDIA);
    test_no_client_name();
    test_full_erase();
    test_indeterminate();
    test_after_cancelled_burn();
    test_minimal_erase();
    /* A hardware error while blanking is the drive failing the erase; a
     * sense that makes no sense then is an unexpected response. Both are
     * returned as the page says, the cause kept in the description. */
    test_fault(L"after-ms 1200 sense 04/44/00", L"04/44/00: hardware error");
    test_fault(L"after-ms 1200 sense 05/24/00", L"05/24/00: invalid field in CDB");
    test_two_processes();
    test_vr_remove_all();
    CoUninitialize();
    return okay_summary("erase");
}
