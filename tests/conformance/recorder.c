/* MsftDiscRecorder2: IDiscRecorder2 and IDiscRecorder2Ex against virtual
 * recorders, exclusive access across objects and processes. */
#define COBJMACROS
#include <windows.h>
#include <winioctl.h>
#include <ole2.h>
#include <olectl.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "okay.h"
#include "virtual_recorders.h"
#include "test_com.h"
#include "mmc/geometry.h"

#define NOT_INITIALIZED HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)

static void test_uninitialized(void)
{
    IDiscRecorder2 *rec = NULL;
    BSTR s = NULL;
    SAFEARRAY *sa = NULL;
    LONG n;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2,
                                  (void **)&rec);
    ok(hr == S_OK, "CoCreateInstance got %#lx\n", hr);
    if (!rec)
        return;
    ok(IDiscRecorder2_get_VendorId(rec, &s) == NOT_INITIALIZED, "VendorId before init\n");
    ok(IDiscRecorder2_get_ActiveDiscRecorder(rec, &s) == NOT_INITIALIZED, "ActiveDiscRecorder before init\n");
    ok(IDiscRecorder2_get_SupportedProfiles(rec, &sa) == NOT_INITIALIZED, "SupportedProfiles before init\n");
    ok(IDiscRecorder2_get_LegacyDeviceNumber(rec, &n) == NOT_INITIALIZED, "LegacyDeviceNumber before init\n");
    ok(IDiscRecorder2_EjectMedia(rec) == NOT_INITIALIZED, "EjectMedia before init\n");
    ok(IDiscRecorder2_InitializeDiscRecorder(rec, NULL) == E_INVALIDARG, "Initialize(NULL)\n");
    s = SysAllocString(L"");
    ok(IDiscRecorder2_InitializeDiscRecorder(rec, s) == E_INVALIDARG, "Initialize(\"\")\n");
    SysFreeString(s);
    s = SysAllocString(L"\\\\?\\imapi2virtual#cdrom#nosuch#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}");
    ok(IDiscRecorder2_InitializeDiscRecorder(rec, s) == E_INVALIDARG, "Initialize(unknown)\n");
    SysFreeString(s);
    ok(IDiscRecorder2_get_VendorId(rec, NULL) == E_POINTER, "VendorId(NULL)\n");
    IDiscRecorder2_Release(rec);
}

static void test_identity(void)
{
    IDiscRecorder2 *rec;
    WCHAR id[300];
    BSTR s = NULL;
    VARIANT_BOOL can_load = VARIANT_FALSE;
    LONG number = 0;
    HRESULT hr;
    test_vr_add(L"ident", L"cdr80", NULL, TRUE);
    if (!(rec = test_open_recorder(L"ident")))
        return;
    test_vr_unique_id(L"ident", id, ARRAYSIZE(id));
    hr = IDiscRecorder2_InitializeDiscRecorder(rec, id);
    ok(hr == HRESULT_FROM_WIN32(ERROR_ALREADY_INITIALIZED), "second Initialize got %#lx\n", hr);
    hr = IDiscRecorder2_get_ActiveDiscRecorder(rec, &s);
    ok(hr == S_OK && s && !wcscmp(s, id), "ActiveDiscRecorder got %#lx %ls\n", hr, s);
    SysFreeString(s);
    hr = IDiscRecorder2_get_VendorId(rec, &s);
    ok(hr == S_OK && s && !wcscmp(s, L"IMAPI2"), "VendorId got %#lx %ls\n", hr, s);
    SysFreeString(s);
    hr = IDiscRecorder2_get_ProductId(rec, &s);
    ok(hr == S_OK && s && !wcscmp(s, L"VIRTUAL CD-RW"), "ProductId got %#lx %ls\n", hr, s);
    SysFreeString(s);
    hr = IDiscRecorder2_get_ProductRevision(rec, &s);
    ok(hr == S_OK && s && !wcscmp(s, L"1.0"), "ProductRevision got %#lx %ls\n", hr, s);
    SysFreeString(s);
    hr = IDiscRecorder2_get_VolumeName(rec, &s);
    ok(hr == S_OK && s && !s[0], "VolumeName got %#lx %ls\n", hr, s);
    SysFreeString(s);
    SAFEARRAY *sa = NULL;
    hr = IDiscRecorder2_get_VolumePathNames(rec, &sa);
    ok(hr == S_OK && sa && test_array_count(sa) == 0, "VolumePathNames got %#lx\n", hr);
    SafeArrayDestroy(sa);
    hr = IDiscRecorder2_get_DeviceCanLoadMedia(rec, &can_load);
    ok(hr == S_OK && can_load == VARIANT_TRUE, "DeviceCanLoadMedia got %#lx %d\n", hr, can_load);
    hr = IDiscRecorder2_get_LegacyDeviceNumber(rec, &number);
    ok(hr == S_OK && number == -1, "LegacyDeviceNumber got %#lx %ld\n", hr, number);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"ident");
}

/* DisableMcn increments a count, EnableMcn decrements it, MCN is on at 0
 * (nf-imapi2-idiscrecorder2-disablemcn). EnableMcn at 0 is undocumented: ours
 * leaves the count at 0 and answers S_FALSE. */
static void test_mcn(void)
{
    IDiscRecorder2 *rec = NULL;
    HRESULT hr;
    if (SUCCEEDED(CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2,
                                   (void **)&rec))) {
        ok(IDiscRecorder2_DisableMcn(rec) == NOT_INITIALIZED, "DisableMcn before init\n");
        ok(IDiscRecorder2_EnableMcn(rec) == NOT_INITIALIZED, "EnableMcn before init\n");
        IDiscRecorder2_Release(rec);
    }
    test_vr_add(L"mcn", L"cdr80", NULL, TRUE);
    if (!(rec = test_open_recorder(L"mcn")))
        return;
    hr = IDiscRecorder2_EnableMcn(rec);
    ok(hr == S_FALSE, "EnableMcn while enabled (count 0) got %#lx\n", hr);
    ok(IDiscRecorder2_DisableMcn(rec) == S_OK, "DisableMcn 1\n");
    ok(IDiscRecorder2_DisableMcn(rec) == S_OK, "DisableMcn 2\n");
    ok(IDiscRecorder2_DisableMcn(rec) == S_OK, "DisableMcn 3\n");
    hr = IDiscRecorder2_EnableMcn(rec);
    ok(hr == S_OK, "EnableMcn 3 -> 2 got %#lx\n", hr);
    hr = IDiscRecorder2_EnableMcn(rec);
    ok(hr == S_OK, "EnableMcn 2 -> 1 got %#lx\n", hr);
    hr = IDiscRecorder2_EnableMcn(rec);
    ok(hr == S_OK, "EnableMcn 1 -> 0 got %#lx\n", hr);
    hr = IDiscRecorder2_EnableMcn(rec);
    ok(hr == S_FALSE, "EnableMcn at 0 again got %#lx\n", hr);
    /* The count never went below 0: one DisableMcn disables again. */
    ok(IDiscRecorder2_DisableMcn(rec) == S_OK, "DisableMcn after the extra EnableMcn\n");
    hr = IDiscRecorder2_EnableMcn(rec);
    ok(hr == S_OK, "EnableMcn 1 -> 0 (second round) got %#lx\n", hr);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"mcn");
}

static void test_configured_identity(void)
{
    IDiscRecorder2 *rec;
    HKEY key;
    BSTR s = NULL;
    test_vr_add(L"branded", L"cdrw", NULL, TRUE);
    if (!RegOpenKeyExW(HKEY_CURRENT_USER, TEST_VR_KEY L"\\branded", 0, KEY_SET_VALUE, &key)) {
        RegSetValueExW(key, L"Vendor", 0, REG_SZ, (const BYTE *)L"ACME", 5 * sizeof(WCHAR));
        RegSetValueExW(key, L"Product", 0, REG_SZ, (const BYTE *)L"BURNER 52X", 11 * sizeof(WCHAR));
        RegCloseKey(key);
    }
    if (!(rec = test_open_recorder(L"branded")))
        return;
    ok(IDiscRecorder2_get_VendorId(rec, &s) == S_OK && s && !wcscmp(s, L"ACME"), "VendorId %ls\n", s);
    SysFreeString(s);
    ok(IDiscRecorder2_get_ProductId(rec, &s) == S_OK && s && !wcscmp(s, L"BURNER 52X"), "ProductId %ls\n", s);
    SysFreeString(s);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"branded");
}

/* A configuration the recorder cannot take: E_INVALIDARG, and the
 * description names the setting and its value. */
static void test_configuration_errors(void)
{
    static const struct {
        const WCHAR *value, *text, *script;
        DWORD number;
        const WCHAR *says;
    } cases[] = {
        { L"Speed", NULL, NULL, 53, L"Speed 53" },
        { L"RawBlockTypes", NULL, NULL, 0x30, L"RawBlockTypes 0x30" },
        { L"Vendor", L"MUCH TOO LONG VENDOR", NULL, 0, L"Vendor \"MUCH TOO LONG VE" },
        { L"Revision", L"1.0.0.0", NULL, 0, L"Revision \"1.0.0.0\"" },
        { NULL, NULL, L"at-write 3 sense 3/0C/00\nexplode now", 0, L"FaultScript line 2: unknown rule" },
    };
    for (unsigned i = 0; i < ARRAYSIZE(cases); i++) {
        IDiscRecorder2 *rec = NULL;
        WCHAR id[512];
        BSTR bid;
        HKEY key;
        HRESULT hr;
        test_vr_remove(L"badcfg"); /* no setting left over from the case before */
        test_vr_add(L"badcfg", L"cdr80", cases[i].script, TRUE);
        if (cases[i].value && !cases[i].text)
            test_vr_set_dword(L"badcfg", cases[i].value, cases[i].number);
        if (cases[i].text && !RegOpenKeyExW(HKEY_CURRENT_USER, TEST_VR_KEY L"\\badcfg", 0, KEY_SET_VALUE, &key)) {
            RegSetValueExW(key, cases[i].value, 0, REG_SZ, (const BYTE *)cases[i].text,
                           (DWORD)(wcslen(cases[i].text) + 1) * sizeof(WCHAR));
            RegCloseKey(key);
        }
        test_vr_unique_id(L"badcfg", id, ARRAYSIZE(id));
        hr = CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2, (void **)&rec);
        ok(hr == S_OK, "CoCreateInstance got %#lx\n", hr);
        if (!rec)
            continue;
        bid = SysAllocString(id);
        hr = IDiscRecorder2_InitializeDiscRecorder(rec, bid);
        ok(hr == E_INVALIDARG && test_error_says(cases[i].says), "%ls: InitializeDiscRecorder got %#lx\n", cases[i].says,
           hr);
        SysFreeString(bid);
        IDiscRecorder2_Release(rec);
    }
    test_vr_remove(L"badcfg");
}

/* Profiles and features by media kind: CD-R current for cdr80, CD-RW for cdrw. */
static void test_profiles(const WCHAR *kind, LONG current_profile)
{
    IDiscRecorder2 *rec;
    SAFEARRAY *sa = NULL;
    HRESULT hr;
    test_vr_add(L"prof", kind, NULL, TRUE);
    if (!(rec = test_open_recorder(L"prof")))
        return;
    hr = IDiscRecorder2_get_SupportedProfiles(rec, &sa);
    ok(hr == S_OK && sa, "SupportedProfiles got %#lx\n", hr);
    if (sa) {
        ok(test_array_has(sa, IMAPI_PROFILE_TYPE_CDROM) && test_array_has(sa, IMAPI_PROFILE_TYPE_CD_RECORDABLE) &&
           test_array_has(sa, IMAPI_PROFILE_TYPE_CD_REWRITABLE), "%ls: supported profiles incomplete\n", kind);
        SafeArrayDestroy(sa);
    }
    hr = IDiscRecorder2_get_CurrentProfiles(rec, &sa);
    ok(hr == S_OK && sa, "CurrentProfiles got %#lx\n", hr);
    if (sa) {
        ok(test_array_count(sa) == 1 && test_array_has(sa, current_profile), "%ls: current profiles (%ld) lack %#lx\n", kind,
           test_array_count(sa), current_profile);
        SafeArrayDestroy(sa);
    }
    hr = IDiscRecorder2_get_SupportedFeaturePages(rec, &sa);
    ok(hr == S_OK && sa, "SupportedFeaturePages got %#lx\n", hr);
    if (sa) {
        ok(test_array_has(sa, IMAPI_FEATURE_PAGE_TYPE_PROFILE_LIST) && test_array_has(sa, IMAPI_FEATURE_PAGE_TYPE_CORE) &&
           test_array_has(sa, IMAPI_FEATURE_PAGE_TYPE_CD_MASTERING) &&
           test_array_has(sa, IMAPI_FEATURE_PAGE_TYPE_CD_TRACK_AT_ONCE), "%ls: supported features incomplete\n", kind);
        SafeArrayDestroy(sa);
    }
    hr = IDiscRecorder2_get_CurrentFeaturePages(rec, &sa);
    ok(hr == S_OK && sa, "CurrentFeaturePages got %#lx\n", hr);
    if (sa) {
        ok(test_array_has(sa, IMAPI_FEATURE_PAGE_TYPE_CD_MASTERING), "%ls: CD Mastering not current\n", kind);
        /* A blank disc can be written track at once: the feature is current. */
        ok(test_array_has(sa, IMAPI_FEATURE_PAGE_TYPE_CD_TRACK_AT_ONCE), "%ls: CD TAO not current\n", kind);
        SafeArrayDestroy(sa);
    }
    hr = IDiscRecorder2_get_SupportedModePages(rec, &sa);
    ok(hr == S_OK && sa, "SupportedModePages got %#lx\n", hr);
    if (sa) {
        ok(test_array_has(sa, IMAPI_MODE_PAGE_TYPE_WRITE_PARAMETERS) &&
           test_array_has(sa, IMAPI_MODE_PAGE_TYPE_LEGACY_CAPABILITIES), "%ls: mode pages 05/2A missing\n", kind);
        SafeArrayDestroy(sa);
    }
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"prof");
}

static void test_tray(void)
{
    IDiscRecorder2 *rec;
    SAFEARRAY *sa = NULL;
    test_vr_add(L"tray", L"cdr80", NULL, TRUE);
    if (!(rec = test_open_recorder(L"tray")))
        return;
    ok(IDiscRecorder2_EjectMedia(rec) == S_OK, "EjectMedia\n");
    /* An open tray holds no media: no current profile. */
    if (IDiscRecorder2_get_CurrentProfiles(rec, &sa) == S_OK) {
        ok(test_array_count(sa) == 0, "current profiles with the tray open: %ld\n", test_array_count(sa));
        SafeArrayDestroy(sa);
    }
    ok(IDiscRecorder2_CloseTray(rec) == S_OK, "CloseTray\n");
    if (IDiscRecorder2_get_CurrentProfiles(rec, &sa) == S_OK) {
        ok(test_array_has(sa, IMAPI_PROFILE_TYPE_CD_RECORDABLE), "CD-R not current after CloseTray\n");
        SafeArrayDestroy(sa);
    }
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"tray");
}

/* While another client holds exclusive access, no command of `other` may
 * reach the drive (IOCTL_CDROM_EXCLUSIVE_ACCESS refuses every other handle);
 * what Windows keeps answering from its cache (INQUIRY data, the device and
 * adapter descriptors, the owner) stays readable. */
static void check_locked_out(IDiscRecorder2 *other, const char *who)
{
    static const BYTE mode_select[10] = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, 60, 0 };
    static const BYTE write10[10] = { 0x2A, 0, 0xFF, 0xFF, 0xD2, 0x8E, 0, 0, 1, 0 }; /* LBA -11634, 1 sector */
    static const BYTE test_unit_ready[6] = { 0 };
    IDiscRecorder2Ex *ex = NULL;
    IDiscFormat2RawCD *raw = NULL;
    IDiscFormat2Erase *erase = NULL;
    BYTE sense[18], buf[CD_SECTOR_RAW_PW] = { 0 }, *block = NULL;
    SAFEARRAY *sa = NULL;
    VARIANT_BOOL b = VARIANT_TRUE;
    ULONG size = 0;
    BSTR text = NULL;
    HRESULT hr;

    hr = IDiscRecorder2_EjectMedia(other);
    ok(hr == E_IMAPI_RECORDER_LOCKED, "%s: EjectMedia got %#lx\n", who, hr);
    hr = IDiscRecorder2_CloseTray(other);
    ok(hr == E_IMAPI_RECORDER_LOCKED, "%s: CloseTray got %#lx\n", who, hr);
    hr = IDiscRecorder2_get_CurrentProfiles(other, &sa);
    ok(hr == E_IMAPI_RECORDER_LOCKED && !sa, "%s: CurrentProfiles got %#lx\n", who, hr);
    hr = IDiscRecorder2_get_DeviceCanLoadMedia(other, &b);
    ok(hr == E_IMAPI_RECORDER_LOCKED, "%s: DeviceCanLoadMedia got %#lx\n", who, hr);
    IDiscRecorder2_QueryInterface(other, &IID_IDiscRecorder2Ex, (void **)&ex);
    if (ex) {
        hr = IDiscRecorder2Ex_SendCommandSendDataToDevice(ex, (BYTE *)mode_select, 10, sense, 10, buf, 60);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "%s: MODE SELECT got %#lx\n", who, hr);
        hr = IDiscRecorder2Ex_SendCommandSendDataToDevice(ex, (BYTE *)write10, 10, sense, 10, buf, CD_SECTOR_RAW_PW);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "%s: WRITE at the lead-in got %#lx\n", who, hr);
        hr = IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)test_unit_ready, 6, sense, 10);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "%s: TEST UNIT READY got %#lx\n", who, hr);
        hr = IDiscRecorder2Ex_GetDiscInformation(ex, &block, &size);
        ok(hr == E_IMAPI_RECORDER_LOCKED && !block, "%s: GetDiscInformation got %#lx\n", who, hr);
        hr = IDiscRecorder2Ex_GetDeviceDescriptor(ex, &block, &size);
        ok(hr == S_OK && block, "%s: GetDeviceDescriptor (cached) got %#lx\n", who, hr);
        CoTaskMemFree(block);
        block = NULL;
        hr = IDiscRecorder2Ex_GetAdapterDescriptor(ex, &block, &size);
        ok(hr == S_OK && block, "%s: GetAdapterDescriptor (cached) got %#lx\n", who, hr);
        CoTaskMemFree(block);
        IDiscRecorder2Ex_Release(ex);
    }
    hr = IDiscRecorder2_get_VendorId(other, &text);
    ok(hr == S_OK && text && !wcscmp(text, L"IMAPI2"), "%s: VendorId (cached) got %#lx\n", who, hr);
    SysFreeString(text);
    CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2RawCD, (void **)&raw);
    if (raw) {
        hr = IDiscFormat2RawCD_IsCurrentMediaSupported(raw, other, &b);
        ok(hr == E_IMAPI_RECORDER_LOCKED && b == VARIANT_FALSE, "%s: IsCurrentMediaSupported got %#lx\n", who, hr);
        /* Choosing the drive is fine; preparing it is not. */
        hr = IDiscFormat2RawCD_put_Recorder(raw, other);
        ok(hr == S_OK, "%s: RawCD put_Recorder got %#lx\n", who, hr);
        text = SysAllocString(L"Late Burner");
        IDiscFormat2RawCD_put_ClientName(raw, text);
        SysFreeString(text);
        hr = IDiscFormat2RawCD_PrepareMedia(raw);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "%s: RawCD PrepareMedia got %#lx\n", who, hr);
        hr = IDiscFormat2RawCD_get_MediaPhysicallyBlank(raw, &b);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "%s: RawCD MediaPhysicallyBlank got %#lx\n", who, hr);
        IDiscFormat2RawCD_Release(raw);
    }
    CoCreateInstance(&CLSID_MsftDiscFormat2Erase, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2Erase, (void **)&erase);
    if (erase) {
        hr = IDiscFormat2Erase_put_Recorder(erase, other);
        ok(hr == S_OK, "%s: Erase put_Recorder got %#lx\n", who, hr);
        hr = IDiscFormat2Erase_get_MediaPhysicallyBlank(erase, &b);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "%s: Erase MediaPhysicallyBlank got %#lx\n", who, hr);
        IDiscFormat2Erase_Release(erase);
    }
}

/* The same calls go through once the drive is free again. */
static void check_not_locked_out(IDiscRecorder2 *rec, const char *who)
{
    static const BYTE test_unit_ready[6] = { 0 };
    IDiscRecorder2Ex *ex = NULL;
    SAFEARRAY *sa = NULL;
    BYTE sense[18];
    HRESULT hr = IDiscRecorder2_get_CurrentProfiles(rec, &sa);
    ok(hr == S_OK && sa, "%s: CurrentProfiles got %#lx\n", who, hr);
    SafeArrayDestroy(sa);
    IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex);
    if (ex) {
        hr = IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)test_unit_ready, 6, sense, 10);
        ok(hr == S_OK, "%s: TEST UNIT READY got %#lx\n", who, hr);
        IDiscRecorder2Ex_Release(ex);
    }
}

static void test_exclusive_in_process(void)
{
    IDiscRecorder2 *a, *b;
    BSTR owner = NULL, name;
    HRESULT hr;
    test_vr_add(L"excl", L"cdr80", NULL, TRUE);
    a = test_open_recorder(L"excl");
    b = test_open_recorder(L"excl");
    if (!a || !b)
        return;
    name = SysAllocString(L"bad/name");
    ok(IDiscRecorder2_AcquireExclusiveAccess(a, VARIANT_FALSE, name) == E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID,
       "bad client name accepted\n");
    SysFreeString(name);
    ok(IDiscRecorder2_AcquireExclusiveAccess(a, VARIANT_FALSE, NULL) == E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID,
       "NULL client name accepted\n");
    name = SysAllocString(L"0123456789012345678901234567890123456789012345678901234567890123");
    ok(IDiscRecorder2_AcquireExclusiveAccess(a, VARIANT_FALSE, name) == E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID,
       "64-character client name accepted\n");
    SysFreeString(name);
    hr = IDiscRecorder2_get_ExclusiveAccessOwner(a, &owner);
    ok(hr == S_OK && owner && !owner[0], "owner of a free drive: %#lx %ls\n", hr, owner);
    SysFreeString(owner);

    name = SysAllocString(L"Burner One");
    hr = IDiscRecorder2_AcquireExclusiveAccess(a, VARIANT_FALSE, name);
    ok(hr == S_OK, "Acquire got %#lx\n", hr);
    ok(IDiscRecorder2_AcquireExclusiveAccess(a, VARIANT_TRUE, name) == S_OK, "Acquire again (counted)\n");
    SysFreeString(name);
    name = SysAllocString(L"Burner Two");
    hr = IDiscRecorder2_AcquireExclusiveAccess(b, VARIANT_FALSE, name);
    ok(hr == E_IMAPI_RECORDER_LOCKED, "second holder got %#lx\n", hr);
    hr = IDiscRecorder2_get_ExclusiveAccessOwner(b, &owner);
    ok(hr == S_OK && owner && !wcscmp(owner, L"Burner One"), "owner seen by the other: %#lx %ls\n", hr, owner);
    SysFreeString(owner);
    check_locked_out(b, "other object");
    check_not_locked_out(a, "holder");
    ok(IDiscRecorder2_ReleaseExclusiveAccess(a) == S_OK, "Release 1\n");
    ok(IDiscRecorder2_AcquireExclusiveAccess(b, VARIANT_FALSE, name) == E_IMAPI_RECORDER_LOCKED,
       "still held after one of two releases\n");
    ok(IDiscRecorder2_ReleaseExclusiveAccess(a) == S_OK, "Release 2\n");
    check_not_locked_out(b, "after release");
    hr = IDiscRecorder2_AcquireExclusiveAccess(b, VARIANT_FALSE, name);
    ok(hr == S_OK, "Acquire after release got %#lx\n", hr);
    IDiscRecorder2_ReleaseExclusiveAccess(b);
    SysFreeString(name);
    IDiscRecorder2_Release(a);
    IDiscRecorder2_Release(b);
    test_vr_remove(L"excl");
}

/* Child mode: take the drive, say so, then wait to be killed. */
static int child_hold(const WCHAR *name, const WCHAR *event_name)
{
    IDiscRecorder2 *rec = test_open_recorder(name);
    HANDLE ready = OpenEventW(EVENT_MODIFY_STATE, FALSE, event_name);
    BSTR client = SysAllocString(L"Child Burner");
    if (rec && SUCCEEDED(IDiscRecorder2_AcquireExclusiveAccess(rec, VARIANT_FALSE, client)))
        SetEvent(ready);
    Sleep(INFINITE);
    return 0;
}

static void test_exclusive_across_processes(void)
{
    PROCESS_INFORMATION pi;
    IDiscRecorder2 *rec;
    BSTR owner = NULL, name;
    HANDLE ready;
    HRESULT hr;
    test_vr_add(L"shared", L"cdr80", NULL, TRUE);
    if (!test_child_start(L"hold", L"shared", L"imapi2-test-ready", &ready, &pi))
        return;
    name = SysAllocString(L"Parent Burner");
    ok(WaitForSingleObject(ready, 20000) == WAIT_OBJECT_0, "child did not take the drive\n");
    if ((rec = test_open_recorder(L"shared"))) {
        hr = IDiscRecorder2_AcquireExclusiveAccess(rec, VARIANT_FALSE, name);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "drive held by another process: got %#lx\n", hr);
        hr = IDiscRecorder2_get_ExclusiveAccessOwner(rec, &owner);
        ok(hr == S_OK && owner && !wcscmp(owner, L"Child Burner"), "owner %#lx %ls\n", hr, owner);
        SysFreeString(owner);
        check_locked_out(rec, "other process");
        /* A burner that dies never keeps the drive. */
        TerminateProcess(pi.hProcess, 1);
        WaitForSingleObject(pi.hProcess, 20000);
        check_not_locked_out(rec, "holder died");
        hr = IDiscRecorder2_AcquireExclusiveAccess(rec, VARIANT_FALSE, name);
        ok(hr == S_OK, "drive after the holder died: got %#lx\n", hr);
        IDiscRecorder2_ReleaseExclusiveAccess(rec);
        IDiscRecorder2_Release(rec);
    } else {
        TerminateProcess(pi.hProcess, 1);
    }
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(ready);
    SysFreeString(name);
    test_vr_remove(L"shared");
}

/* A closed CD-R takes no more tracks: TAO is there, but not current. */
static void check_tao_not_current(void)
{
    IDiscRecorder2 *rec;
    IDiscRecorder2Ex *ex = NULL;
    BYTE *block = NULL;
    ULONG size = 0;
    HRESULT hr;
    test_vr_add(L"closed", L"cdr-closed", NULL, TRUE);
    if (!(rec = test_open_recorder(L"closed")))
        return;
    IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex);
    if (ex) {
        hr = IDiscRecorder2Ex_GetFeaturePage(ex, IMAPI_FEATURE_PAGE_TYPE_CD_TRACK_AT_ONCE, TRUE, &block, &size);
        ok(hr == E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT && !block, "GetFeaturePage(TAO, current) on a closed CD-R got %#lx\n",
           hr);
        hr = IDiscRecorder2Ex_GetFeaturePage(ex, IMAPI_FEATURE_PAGE_TYPE_CD_TRACK_AT_ONCE, FALSE, &block, &size);
        ok(hr == S_OK && block, "GetFeaturePage(TAO, any) on a closed CD-R got %#lx\n", hr);
        CoTaskMemFree(block);
        IDiscRecorder2Ex_Release(ex);
    }
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"closed");
}

static void test_ex(void)
{
    static const BYTE inquiry[6] = { 0x12, 0, 0, 0, 36, 0 };
    static const BYTE bad_opcode[16] = { 0xFF };
    static const BYTE tur[16] = { 0x00 };
    static const BYTE read_disc_info[12] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0 };
    static const BYTE get_performance[12] = { 0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 0 };
    static const BYTE mode_select[10] = { 0x55, 0x10 };
    static const BYTE group4[16] = { 0x88 };
    static const BYTE exempt[16] = { 0x23 };
    IDiscRecorder2 *rec;
    IDiscRecorder2Ex *ex = NULL;
    BYTE sense[18], data[64], *block = NULL;
    ULONG fetched = 0, size = 0, value = 0;
    IMAPI_PROFILE_TYPE *profiles = NULL;
    IMAPI_FEATURE_PAGE_TYPE *features = NULL;
    IMAPI_MODE_PAGE_TYPE *pages = NULL;
    HRESULT hr;
    test_vr_add(L"ex", L"cdr80", NULL, TRUE);
    if (!(rec = test_open_recorder(L"ex")))
        return;
    hr = IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex);
    ok(hr == S_OK && ex, "QI(IDiscRecorder2Ex) got %#lx\n", hr);
    if (!ex)
        return;
    hr = IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, (BYTE *)inquiry, 6, sense, 10, data, 36, &fetched);
    ok(hr == S_OK && fetched == 36 && (data[0] & 0x1F) == 5 && !memcmp(data + 8, "IMAPI2", 6),
       "INQUIRY got %#lx, %lu bytes\n", hr, fetched);
    hr = IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)bad_opcode, 6, sense, 10);
    ok(hr == S_IMAPI_COMMAND_HAS_SENSE_DATA && (sense[2] & 0x0F) == 5 && sense[12] == 0x20,
       "unknown opcode got %#lx, sense %x/%02x\n", hr, sense[2] & 0x0F, sense[12]);
    ok(IDiscRecorder2Ex_SendCommandNoData(ex, NULL, 6, sense, 10) == E_POINTER, "NULL cdb\n");
    ok(IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)inquiry, 5, sense, 10) == E_INVALIDARG, "5-byte cdb\n");
    ok(IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)inquiry, 17, sense, 10) == E_INVALIDARG, "17-byte cdb\n");
    ok(IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, (BYTE *)inquiry, 6, sense, 10, data, 0, &fetched) ==
           E_INVALIDARG, "zero-length buffer\n");
    /* The CDB size must match the opcode's group (the SendCommand* pages). */
    ok(IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)tur, 10, sense, 10) == E_INVALIDARG, "10-byte TUR\n");
    ok(IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, (BYTE *)inquiry, 12, sense, 10, data, 36, &fetched) ==
           E_INVALIDARG, "12-byte INQUIRY\n");
    ok(IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, (BYTE *)read_disc_info, 12, sense, 10, data, 34, &fetched) ==
           E_INVALIDARG, "12-byte READ DISC INFORMATION\n");
    ok(IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, (BYTE *)get_performance, 10, sense, 10, data, 64,
                                                     &fetched) == E_INVALIDARG, "10-byte GET PERFORMANCE\n");
    ok(IDiscRecorder2Ex_SendCommandSendDataToDevice(ex, (BYTE *)mode_select, 6, sense, 10, data, 8) ==
           E_INVALIDARG, "6-byte MODE SELECT(10)\n");
    ok(IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)group4, 12, sense, 10) == E_INVALIDARG,
       "12-byte group 4 opcode\n");
    hr = IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)tur, 6, sense, 10);
    ok(hr == S_OK, "6-byte TUR got %#lx\n", hr);
    hr = IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, (BYTE *)read_disc_info, 10, sense, 10, data, 34, &fetched);
    ok(hr == S_OK && fetched == 34, "10-byte READ DISC INFORMATION got %#lx, %lu bytes\n", hr, fetched);
    /* Exempt opcodes (only 6..16 checked) reach the drive at any such size. */
    hr = IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)exempt, 12, sense, 10);
    ok(hr == S_IMAPI_COMMAND_HAS_SENSE_DATA && (sense[2] & 0x0F) == 5 && sense[12] == 0x20,
       "12-byte exempt opcode 23h got %#lx, sense %x/%02x\n", hr, sense[2] & 0x0F, sense[12]);
    /* Vendor-unique opcodes: any size of 6..16. */
    hr = IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)bad_opcode, 16, sense, 10);
    ok(hr == S_IMAPI_COMMAND_HAS_SENSE_DATA, "16-byte vendor-unique opcode got %#lx\n", hr);

    hr = IDiscRecorder2Ex_GetDiscInformation(ex, &block, &size);
    ok(hr == S_OK && block && size >= 34 && (block[2] & 3) == 0, "GetDiscInformation got %#lx, %lu bytes\n", hr, size);
    CoTaskMemFree(block);
    block = NULL;
    hr = IDiscRecorder2Ex_GetFeaturePage(ex, IMAPI_FEATURE_PAGE_TYPE_CD_MASTERING, TRUE, &block, &size);
    ok(hr == S_OK && block && size >= 8 && block[0] == 0 && block[1] == 0x2E && (block[2] & 1),
       "GetFeaturePage(CD Mastering) got %#lx\n", hr);
    CoTaskMemFree(block);
    block = NULL;
    hr = IDiscRecorder2Ex_GetFeaturePage(ex, IMAPI_FEATURE_PAGE_TYPE_CD_TRACK_AT_ONCE, TRUE, &block, &size);
    ok(hr == S_OK && block && size >= 4 && block[1] == 0x2D, "GetFeaturePage(TAO, current) on a blank CD-R got %#lx\n",
       hr);
    CoTaskMemFree(block);
    block = NULL;
    check_tao_not_current();
    hr = IDiscRecorder2Ex_GetFeaturePage(ex, IMAPI_FEATURE_PAGE_TYPE_BD_READ, FALSE, &block, &size);
    ok(hr == E_IMAPI_RECORDER_NO_SUCH_FEATURE, "GetFeaturePage(BD read) got %#lx\n", hr);
    hr = IDiscRecorder2Ex_GetModePage(ex, IMAPI_MODE_PAGE_TYPE_LEGACY_CAPABILITIES,
                                      IMAPI_MODE_PAGE_REQUEST_TYPE_CURRENT_VALUES, &block, &size);
    ok(hr == S_OK && block && (block[0] & 0x3F) == 0x2A && size == block[1] + 2u, "GetModePage(2A) got %#lx\n", hr);
    CoTaskMemFree(block);
    block = NULL;
    hr = IDiscRecorder2Ex_GetModePage(ex, IMAPI_MODE_PAGE_TYPE_POWER_CONDITION,
                                      IMAPI_MODE_PAGE_REQUEST_TYPE_CURRENT_VALUES, &block, &size);
    ok(hr == E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE, "GetModePage(1A) got %#lx\n", hr);
    hr = IDiscRecorder2Ex_GetSupportedProfiles(ex, TRUE, &profiles, &value);
    ok(hr == S_OK && value == 1 && profiles && profiles[0] == IMAPI_PROFILE_TYPE_CD_RECORDABLE,
       "GetSupportedProfiles(current) got %#lx, %lu\n", hr, value);
    CoTaskMemFree(profiles);
    hr = IDiscRecorder2Ex_GetSupportedFeaturePages(ex, FALSE, &features, &value);
    ok(hr == S_OK && value >= 4 && features, "GetSupportedFeaturePages got %#lx, %lu\n", hr, value);
    CoTaskMemFree(features);
    hr = IDiscRecorder2Ex_GetSupportedModePages(ex, IMAPI_MODE_PAGE_REQUEST_TYPE_CURRENT_VALUES, &pages, &value);
    ok(hr == S_OK && value >= 2 && pages, "GetSupportedModePages got %#lx, %lu\n", hr, value);
    CoTaskMemFree(pages);
    /* The alignment (a power of 2, tested as addr & (value - 1)), not the
     * mask: 1 when the virtual recorder takes any address. */
    value = 0;
    hr = IDiscRecorder2Ex_GetByteAlignmentMask(ex, &value);
    ok(hr == S_OK && value == 1, "GetByteAlignmentMask got %#lx, %lu\n", hr, value);
    ok(IDiscRecorder2Ex_GetByteAlignmentMask(ex, NULL) == E_POINTER, "GetByteAlignmentMask(NULL)\n");
    hr = IDiscRecorder2Ex_GetAdapterDescriptor(ex, &block, &size);
    ok(hr == S_OK && block && size >= sizeof(STORAGE_ADAPTER_DESCRIPTOR), "GetAdapterDescriptor got %#lx\n", hr);
    if (hr == S_OK) {
        STORAGE_ADAPTER_DESCRIPTOR *a = (STORAGE_ADAPTER_DESCRIPTOR *)block;
        ok(value == a->AlignmentMask + 1 && !(value & (value - 1)),
           "alignment %lu vs the adapter's mask %#lx\n", value, a->AlignmentMask);
        CoTaskMemFree(block);
        block = NULL;
    }
    ok(IDiscRecorder2Ex_GetMaximumPageAlignedTransferSize(ex, &value) == S_OK && value >= 65536,
       "GetMaximumPageAlignedTransferSize %lu\n", value);
    ok(IDiscRecorder2Ex_GetMaximumNonPageAlignedTransferSize(ex, NULL) == E_POINTER, "NULL out\n");
    hr = IDiscRecorder2Ex_GetDeviceDescriptor(ex, &block, &size);
    ok(hr == S_OK && block && size > sizeof(STORAGE_DEVICE_DESCRIPTOR), "GetDeviceDescriptor got %#lx\n", hr);
    if (hr == S_OK) {
        STORAGE_DEVICE_DESCRIPTOR *d = (STORAGE_DEVICE_DESCRIPTOR *)block;
        ok(d->VendorIdOffset < size && !strcmp((char *)block + d->VendorIdOffset, "IMAPI2"), "vendor string\n");
        CoTaskMemFree(block);
    }
    /* A CD has no DVD structure: READ DISC STRUCTURE is refused by the drive. */
    block = (BYTE *)0xdead;
    hr = IDiscRecorder2Ex_ReadDvdStructure(ex, 0, 0, 0, 0, &block, &size);
    ok(hr == E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT && !block, "ReadDvdStructure got %#lx\n", hr);
    ok(IDiscRecorder2Ex_ReadDvdStructure(ex, 0, 0, 0, 0, NULL, &size) == E_POINTER, "ReadDvdStructure(NULL)\n");
    data[0] = 0;
    hr = IDiscRecorder2Ex_SendDvdStructure(ex, 0x04, data, 32);
    ok(hr == E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT, "SendDvdStructure got %#lx\n", hr);
    ok(IDiscRecorder2Ex_SendDvdStructure(ex, 0x04, NULL, 32) == E_POINTER, "SendDvdStructure(NULL)\n");
    ok(IDiscRecorder2Ex_SendDvdStructure(ex, 0x100, data, 32) == E_INVALIDARG, "SendDvdStructure(format 100h)\n");
    IDiscRecorder2Ex_Release(ex);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"ex");
}

/* ReadDvdStructure on a DVD: the physical format information (format 00h)
 * of the virtual DVD-ROM, headers removed (the page), in a CoTaskMemAlloc
 * block. The format "is truncated to UCHAR" (the page): 100h is 00h. */
static void test_dvd_structure(void)
{
    IDiscRecorder2 *rec;
    IDiscRecorder2Ex *ex = NULL;
    BYTE *block = NULL;
    ULONG size = 0;
    HRESULT hr;
    test_vr_add(L"dvd", L"dvd", NULL, TRUE);
    if (!(rec = test_open_recorder(L"dvd")))
        return;
    IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex);
    if (!ex)
        return;
    hr = IDiscRecorder2Ex_ReadDvdStructure(ex, 0x00, 0, 0, 0, &block, &size);
    ok(hr == S_OK && block && size == 2048, "ReadDvdStructure(physical) got %#lx, %lu bytes\n", hr, size);
    if (block) {
        ok(block[0] == 0x01 && block[2] == 0x01, "not the layer descriptor: %02x %02x %02x %02x\n", block[0], block[1],
           block[2], block[3]);
        ok(block[4] == 0 && block[5] == 0x03 && block[6] == 0 && block[7] == 0, "start sector %02x%02x%02x%02x\n",
           block[4], block[5], block[6], block[7]);
        CoTaskMemFree(block);
        block = NULL;
    }
    hr = IDiscRecorder2Ex_ReadDvdStructure(ex, 0x100, 0, 0, 0, &block, &size);
    ok(hr == S_OK && block && size == 2048, "ReadDvdStructure(format 100h) got %#lx, %lu bytes\n", hr, size);
    CoTaskMemFree(block);
    block = (BYTE *)0xdead;
    hr = IDiscRecorder2Ex_ReadDvdStructure(ex, 0x00, 0, 1, 0, &block, &size);
    ok(hr == E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT && !block && !size,
       "ReadDvdStructure(layer 1 of one) got %#lx\n", hr);
    hr = IDiscRecorder2Ex_ReadDvdStructure(ex, 0x0C, 0, 0, 0, &block, &size);
    ok(hr == E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT && !block, "ReadDvdStructure(format 0Ch) got %#lx\n", hr);
    IDiscRecorder2Ex_Release(ex);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"dvd");
}

static void test_dispatch(void)
{
    IDiscRecorder2 *rec;
    IDispatch *disp = NULL;
    OLECHAR *name = (OLECHAR *)L"VendorId";
    DISPID id = 0;
    DISPPARAMS none = { 0 };
    VARIANT result;
    HRESULT hr;
    test_vr_add(L"disp", L"cdr80", NULL, TRUE);
    if (!(rec = test_open_recorder(L"disp")))
        return;
    IDiscRecorder2_QueryInterface(rec, &IID_IDispatch, (void **)&disp);
    hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, &name, 1, LOCALE_USER_DEFAULT, &id);
    ok(hr == S_OK && id == 0x201, "GetIDsOfNames(VendorId) got %#lx %ld\n", hr, id);
    VariantInit(&result);
    hr = IDispatch_Invoke(disp, id, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_PROPERTYGET, &none, &result, NULL, NULL);
    ok(hr == S_OK && V_VT(&result) == VT_BSTR && !wcscmp(V_BSTR(&result), L"IMAPI2"), "Invoke(VendorId) got %#lx\n",
       hr);
    VariantClear(&result);
    hr = IDispatch_Invoke(disp, 0x20A, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_PROPERTYGET, &none, &result, NULL,
                          NULL);
    ok(hr == S_OK && V_VT(&result) == (VT_ARRAY | VT_VARIANT), "Invoke(SupportedProfiles) got %#lx vt %d\n", hr,
       V_VT(&result));
    VariantClear(&result);
    IDispatch_Release(disp);
    IDiscRecorder2_Release(rec);
    test_vr_remove(L"disp");
}

int main(int argc, char **argv)
{
    WCHAR name[64], event_name[64];
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    if (test_child_args(argc, argv, "hold", name, event_name))
        return child_hold(name, event_name);
    test_vr_remove_all();
    test_uninitialized();
    test_identity();
    test_configured_identity();
    test_configuration_errors();
    test_mcn();
    test_profiles(L"cdr80", IMAPI_PROFILE_TYPE_CD_RECORDABLE);
    test_profiles(L"cdrw", IMAPI_PROFILE_TYPE_CD_REWRITABLE);
    test_tray();
    test_exclusive_in_process();
    test_exclusive_across_processes();
    test_ex();
    test_dvd_structure();
    test_dispatch();
    test_vr_remove_all();
    RemoveDirectoryW(test_vr_folder());
    CoUninitialize();
    return okay_summary("recorder");
}
