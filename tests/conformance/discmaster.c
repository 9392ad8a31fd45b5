/* MsftDiscMaster2: enumeration of recorders, by vtable and by IDispatch. */
#define COBJMACROS
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include "imapi2.h"
#include "okay.h"
#include "virtual_recorders.h"
#include "test_com.h"

static IDiscMaster2 *create_master(void)
{
    IDiscMaster2 *dm = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscMaster2, (void **)&dm);
    ok(hr == S_OK, "CoCreateInstance(MsftDiscMaster2) got %#lx\n", hr);
    return dm;
}

static void test_no_recorders(void)
{
    IDiscMaster2 *dm = create_master();
    VARIANT_BOOL supported = 0x55;
    LONG count = -1;
    BSTR id = (BSTR)0xdeadbeef;
    HRESULT hr;
    if (!dm)
        return;
    hr = IDiscMaster2_get_Count(dm, &count);
    ok(hr == S_OK && count == 0, "Count got %#lx, %ld\n", hr, count);
    hr = IDiscMaster2_get_IsSupportedEnvironment(dm, &supported);
    ok(hr == S_OK && supported == VARIANT_FALSE, "IsSupportedEnvironment got %#lx, %d\n", hr, supported);
    hr = IDiscMaster2_get_Item(dm, 0, &id);
    ok(hr == E_INVALIDARG, "Item(0) of none got %#lx\n", hr);
    ok(id == NULL, "Item(0) left %p\n", id);
    IDiscMaster2_Release(dm);
}

static void test_bad_arguments(void)
{
    IDiscMaster2 *dm = create_master();
    BSTR id = NULL;
    HRESULT hr;
    if (!dm)
        return;
    ok(IDiscMaster2_get_Count(dm, NULL) == E_POINTER, "Count(NULL)\n");
    ok(IDiscMaster2_get_IsSupportedEnvironment(dm, NULL) == E_POINTER, "IsSupportedEnvironment(NULL)\n");
    ok(IDiscMaster2_get_Item(dm, 0, NULL) == E_POINTER, "Item(0, NULL)\n");
    ok(IDiscMaster2_get__NewEnum(dm, NULL) == E_POINTER, "_NewEnum(NULL)\n");
    hr = IDiscMaster2_get_Item(dm, -1, &id);
    ok(hr == E_INVALIDARG, "Item(-1) got %#lx\n", hr);
    IDiscMaster2_Release(dm);
}

/* The page: each ID is tried on a recorder object, TRUE if any initialises.
 * A listed recorder that cannot be opened (a fault script that does not
 * parse) does not count. */
static void test_supported_environment(void)
{
    IDiscMaster2 *dm;
    VARIANT_BOOL supported = VARIANT_TRUE;
    LONG count = 0;
    HRESULT hr;
    test_vr_remove_all();
    ok(test_vr_add(L"broken", L"cdr80", L"no such rule", TRUE), "adding broken\n");
    if (!(dm = create_master()))
        return;
    hr = IDiscMaster2_get_Count(dm, &count);
    ok(hr == S_OK && count == 1, "Count got %#lx, %ld\n", hr, count);
    hr = IDiscMaster2_get_IsSupportedEnvironment(dm, &supported);
    ok(hr == S_OK && supported == VARIANT_FALSE, "only a recorder that fails to initialise: got %#lx, %d\n", hr,
       supported);
    ok(test_vr_add(L"working", L"cdr80", NULL, TRUE), "adding working\n");
    supported = VARIANT_FALSE;
    hr = IDiscMaster2_get_IsSupportedEnvironment(dm, &supported);
    ok(hr == S_OK && supported == VARIANT_TRUE, "one of two initialises: got %#lx, %d\n", hr, supported);
    test_vr_remove(L"working");
    test_vr_remove(L"broken");
    supported = VARIANT_TRUE;
    hr = IDiscMaster2_get_IsSupportedEnvironment(dm, &supported);
    ok(hr == S_OK && supported == VARIANT_FALSE, "no recorders: got %#lx, %d\n", hr, supported);
    IDiscMaster2_Release(dm);
}

static void test_enumeration(void)
{
    static const WCHAR *names[] = { L"vrb", L"vra", L"vrc" }; /* listed by name */
    static const WCHAR *sorted[] = { L"vra", L"vrb", L"vrc" };
    IDiscMaster2 *dm;
    IEnumVARIANT *en = NULL;
    LONG count = 0;
    HRESULT hr;
    for (unsigned i = 0; i < ARRAYSIZE(names); i++)
        ok(test_vr_add(names[i], L"cdr80", NULL, TRUE), "adding %ls\n", names[i]);
    if (!(dm = create_master()))
        return;
    hr = IDiscMaster2_get_Count(dm, &count);
    ok(hr == S_OK && count == 3, "Count got %#lx, %ld\n", hr, count);
    for (LONG i = 0; i < count && i < 3; i++) {
        WCHAR expected[300];
        BSTR id = NULL;
        test_vr_unique_id(sorted[i], expected, ARRAYSIZE(expected));
        hr = IDiscMaster2_get_Item(dm, i, &id);
        ok(hr == S_OK && id && !wcscmp(id, expected), "Item(%ld) got %#lx %ls\n", i, hr, id ? id : L"(null)");
        SysFreeString(id);
    }
    hr = IDiscMaster2_get_Item(dm, 3, &(BSTR){ NULL });
    ok(hr == E_INVALIDARG, "Item(3) got %#lx\n", hr);

    hr = IDiscMaster2_get__NewEnum(dm, &en);
    ok(hr == S_OK && en, "_NewEnum got %#lx\n", hr);
    if (en) {
        VARIANT v[4];
        ULONG fetched = 0;
        IEnumVARIANT *clone = NULL;
        hr = IEnumVARIANT_Next(en, 4, v, &fetched);
        ok(hr == S_FALSE && fetched == 3, "Next(4) got %#lx, %lu\n", hr, fetched);
        for (ULONG i = 0; i < fetched; i++) {
            WCHAR expected[300];
            test_vr_unique_id(sorted[i], expected, ARRAYSIZE(expected));
            ok(V_VT(&v[i]) == VT_BSTR && !wcscmp(V_BSTR(&v[i]), expected), "item %lu is %d\n", i, V_VT(&v[i]));
            VariantClear(&v[i]);
        }
        ok(IEnumVARIANT_Reset(en) == S_OK, "Reset\n");
        ok(IEnumVARIANT_Skip(en, 2) == S_OK, "Skip(2)\n");
        ok(IEnumVARIANT_Clone(en, &clone) == S_OK && clone, "Clone\n");
        if (clone) {
            hr = IEnumVARIANT_Next(clone, 1, v, &fetched);
            ok(hr == S_OK && fetched == 1 && V_VT(&v[0]) == VT_BSTR, "clone Next got %#lx\n", hr);
            VariantClear(&v[0]);
            hr = IEnumVARIANT_Next(clone, 1, v, &fetched);
            ok(hr == S_FALSE && fetched == 0, "clone Next past the end got %#lx, %lu\n", hr, fetched);
            IEnumVARIANT_Release(clone);
        }
        ok(IEnumVARIANT_Skip(en, 5) == S_FALSE, "Skip past the end\n");
        IEnumVARIANT_Release(en);
    }
    VARIANT_BOOL supported = VARIANT_FALSE;
    hr = IDiscMaster2_get_IsSupportedEnvironment(dm, &supported);
    ok(hr == S_OK && supported == VARIANT_TRUE, "IsSupportedEnvironment got %#lx, %d\n", hr, supported);

    /* The list is live: a recorder removed now is gone from the next call. */
    test_vr_remove(L"vrb");
    hr = IDiscMaster2_get_Count(dm, &count);
    ok(hr == S_OK && count == 2, "Count after removal got %#lx, %ld\n", hr, count);
    IDiscMaster2_Release(dm);
    test_vr_remove_all();
}

static void test_dispatch(void)
{
    IDiscMaster2 *dm;
    IDispatch *disp = NULL;
    DISPID id = 0;
    OLECHAR *name = (OLECHAR *)L"Count";
    DISPPARAMS none = { 0 };
    VARIANT result;
    HRESULT hr;
    test_vr_add(L"vrdisp", L"cdr80", NULL, TRUE);
    if (!(dm = create_master()))
        return;
    hr = IDiscMaster2_QueryInterface(dm, &IID_IDispatch, (void **)&disp);
    ok(hr == S_OK, "QI(IDispatch) got %#lx\n", hr);
    hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, &name, 1, LOCALE_USER_DEFAULT, &id);
    ok(hr == S_OK && id == 1, "GetIDsOfNames(Count) got %#lx, %ld\n", hr, id);
    VariantInit(&result);
    hr = IDispatch_Invoke(disp, id, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_PROPERTYGET, &none, &result, NULL, NULL);
    ok(hr == S_OK && V_VT(&result) == VT_I4 && V_I4(&result) == 1, "Invoke(Count) got %#lx, vt %d\n", hr, V_VT(&result));
    VariantClear(&result);
    name = (OLECHAR *)L"IsSupportedEnvironment";
    hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, &name, 1, LOCALE_USER_DEFAULT, &id);
    ok(hr == S_OK && id == 2, "GetIDsOfNames(IsSupportedEnvironment) got %#lx, %ld\n", hr, id);
    hr = IDispatch_Invoke(disp, DISPID_NEWENUM, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_PROPERTYGET, &none, &result,
                          NULL, NULL);
    ok(hr == S_OK && (V_VT(&result) == VT_UNKNOWN || V_VT(&result) == VT_DISPATCH), "Invoke(_NewEnum) got %#lx, vt %d\n",
       hr, V_VT(&result));
    VariantClear(&result);
    IDispatch_Release(disp);
    IDiscMaster2_Release(dm);
    test_vr_remove_all();
}

static void test_interfaces(void)
{
    static const IID *const yes[] = { &IID_IUnknown, &IID_IDispatch, &IID_IDiscMaster2,
                                      &IID_IConnectionPointContainer, &IID_ISupportErrorInfo };
    static const IID *const no[] = { &IID_IDiscRecorder2, &IID_IPersist, &IID_IStream };
    IDiscMaster2 *dm = create_master();
    IConnectionPointContainer *cpc;
    if (!dm)
        return;
    for (unsigned i = 0; i < ARRAYSIZE(yes); i++) {
        IUnknown *unk = NULL;
        ok(IDiscMaster2_QueryInterface(dm, yes[i], (void **)&unk) == S_OK && unk, "QI %u failed\n", i);
        if (unk)
            IUnknown_Release(unk);
    }
    for (unsigned i = 0; i < ARRAYSIZE(no); i++) {
        IUnknown *unk = (IUnknown *)0xdead;
        ok(IDiscMaster2_QueryInterface(dm, no[i], (void **)&unk) == E_NOINTERFACE && !unk, "QI %u succeeded\n", i);
    }
    if (SUCCEEDED(IDiscMaster2_QueryInterface(dm, &IID_IConnectionPointContainer, (void **)&cpc))) {
        IConnectionPoint *cp = NULL;
        HRESULT hr = IConnectionPointContainer_FindConnectionPoint(cpc, &IID_DDiscMaster2Events, &cp);
        ok(hr == S_OK && cp, "FindConnectionPoint(DDiscMaster2Events) got %#lx\n", hr);
        if (cp)
            IConnectionPoint_Release(cp);
        hr = IConnectionPointContainer_FindConnectionPoint(cpc, &IID_DDiscFormat2RawCDEvents, &cp);
        ok(hr == CONNECT_E_NOCONNECTION, "FindConnectionPoint(other) got %#lx\n", hr);
        IConnectionPointContainer_Release(cpc);
    }
    IDiscMaster2_Release(dm);
}

static void test_progid(void)
{
    CLSID clsid;
    HRESULT hr = CLSIDFromProgID(L"IMAPI2.MsftDiscMaster2", &clsid);
    ok(hr == S_OK && IsEqualGUID(&clsid, &CLSID_MsftDiscMaster2), "CLSIDFromProgID got %#lx\n", hr);
    hr = CLSIDFromProgID(L"IMAPI2.MsftDiscMaster2.1", &clsid);
    ok(hr == S_OK && IsEqualGUID(&clsid, &CLSID_MsftDiscMaster2), "CLSIDFromProgID(.1) got %#lx\n", hr);
}

/* ---- DDiscMaster2Events: a C sink, counting what it is told ---- */
struct device_sink {
    struct test_sink base; /* first */
    int added, removed, bad_calls;
    WCHAR last_id[300];
    IUnknown *last_object;
    DWORD thread; /* where the events must arrive: the thread that advised */
};

static inline struct device_sink *impl_from_sink(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct device_sink, base.IDispatch_iface);
}

static HRESULT WINAPI sink_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                  DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct device_sink *sink = impl_from_sink(iface);
    (void)riid, (void)lcid, (void)result, (void)excep, (void)arg_err;
    /* (object, uniqueId), last first */
    if (!(flags & DISPATCH_METHOD) || params->cArgs != 2 || V_VT(&params->rgvarg[0]) != VT_BSTR ||
        V_VT(&params->rgvarg[1]) != VT_DISPATCH || GetCurrentThreadId() != sink->thread) {
        sink->bad_calls++;
        return E_INVALIDARG;
    }
    if (id == DISPID_DDISCMASTER2EVENTS_DEVICEADDED)
        sink->added++;
    else if (id == DISPID_DDISCMASTER2EVENTS_DEVICEREMOVED)
        sink->removed++;
    else
        sink->bad_calls++;
    lstrcpynW(sink->last_id, V_BSTR(&params->rgvarg[0]), ARRAYSIZE(sink->last_id));
    if (sink->last_object)
        IUnknown_Release(sink->last_object);
    IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[1]), &IID_IUnknown, (void **)&sink->last_object);
    return S_OK;
}

static IDispatchVtbl sink_vtbl = TEST_SINK_VTBL(sink_Invoke);

/* Pumps this thread's messages until *counter reaches target or ms pass. */
static void pump_until(const int *counter, int target, DWORD ms)
{
    DWORD start = GetTickCount();
    while (*counter < target && GetTickCount() - start < ms) {
        MSG msg;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_ALLINPUT);
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            TranslateMessage(&msg);
            DispatchMessageW(&msg);
        }
    }
}

static IConnectionPoint *find_device_point(IDiscMaster2 *dm)
{
    IConnectionPointContainer *cpc;
    IConnectionPoint *cp = NULL;
    if (SUCCEEDED(IDiscMaster2_QueryInterface(dm, &IID_IConnectionPointContainer, (void **)&cpc))) {
        IConnectionPointContainer_FindConnectionPoint(cpc, &IID_DDiscMaster2Events, &cp);
        IConnectionPointContainer_Release(cpc);
    }
    return cp;
}

/* A recorder added or removed while a sink listens raises NotifyDeviceAdded
 * / NotifyDeviceRemoved on the thread that advised, once it pumps messages;
 * nothing after Unadvise. */
static void test_device_events(void)
{
    struct device_sink sink = { { { &sink_vtbl }, 1, { &IID_DDiscMaster2Events, NULL } }, 0, 0, 0, { 0 }, NULL,
                               GetCurrentThreadId() };
    WCHAR expected[300];
    IDiscMaster2 *dm;
    IConnectionPoint *cp;
    IUnknown *dm_unk = NULL;
    DWORD cookie = 0;
    HRESULT hr;

    test_vr_remove_all();
    test_vr_add(L"vrold", L"cdr80", NULL, TRUE); /* there before: no event for it */
    if (!(dm = create_master()))
        return;
    IDiscMaster2_QueryInterface(dm, &IID_IUnknown, (void **)&dm_unk);
    if (!(cp = find_device_point(dm))) {
        ok(0, "no DDiscMaster2Events point\n");
        IDiscMaster2_Release(dm);
        return;
    }
    hr = IConnectionPoint_Advise(cp, (IUnknown *)&sink.base.IDispatch_iface, &cookie);
    ok(hr == S_OK && cookie, "Advise got %#lx, %lu\n", hr, cookie);
    pump_until(&sink.added, 1, 500);
    ok(sink.added == 0 && sink.removed == 0, "events without a change: %d added, %d removed\n", sink.added,
       sink.removed);

    test_vr_add(L"vrevent", L"cdr80", NULL, TRUE);
    pump_until(&sink.added, 1, 5000);
    test_vr_unique_id(L"vrevent", expected, ARRAYSIZE(expected));
    ok(sink.added == 1 && !wcscmp(sink.last_id, expected), "NotifyDeviceAdded: %d calls, last %ls\n", sink.added,
       sink.last_id);
    ok(sink.last_object == dm_unk, "event object %p, not the master %p\n", sink.last_object, dm_unk);
    ok(sink.removed == 0, "%d removals\n", sink.removed);

    test_vr_remove(L"vrevent");
    pump_until(&sink.removed, 1, 5000);
    ok(sink.removed == 1 && !wcscmp(sink.last_id, expected), "NotifyDeviceRemoved: %d calls, last %ls\n",
       sink.removed, sink.last_id);
    ok(sink.added == 1, "%d additions\n", sink.added);

    /* A whole VirtualRecorders key appearing (first recorder ever) is seen too. */
    test_vr_remove_all();
    RegDeleteKeyW(HKEY_CURRENT_USER, TEST_VR_KEY);
    pump_until(&sink.removed, 2, 5000);
    ok(sink.removed == 2, "removal of the last recorder: %d removals\n", sink.removed);
    test_vr_add(L"vrfirst", L"cdr80", NULL, TRUE);
    pump_until(&sink.added, 2, 5000);
    test_vr_unique_id(L"vrfirst", expected, ARRAYSIZE(expected));
    ok(sink.added == 2 && !wcscmp(sink.last_id, expected), "first recorder: %d additions, last %ls\n", sink.added,
       sink.last_id);
    ok(sink.bad_calls == 0, "%d malformed calls\n", sink.bad_calls);

    hr = IConnectionPoint_Unadvise(cp, cookie);
    ok(hr == S_OK, "Unadvise got %#lx\n", hr);
    ok(sink.base.ref == 1, "sink still referenced after Unadvise: %ld\n", sink.base.ref);
    test_vr_add(L"vrlate", L"cdr80", NULL, TRUE);
    pump_until(&sink.added, 3, 1500);
    ok(sink.added == 2, "events after Unadvise: %d additions\n", sink.added);
    test_vr_remove(L"vrlate");

    /* The object dying with a sink still advised stops the watch too. */
    hr = IConnectionPoint_Advise(cp, (IUnknown *)&sink.base.IDispatch_iface, &cookie);
    ok(hr == S_OK, "second Advise got %#lx\n", hr);
    IConnectionPoint_Release(cp);
    IUnknown_Release(dm_unk);
    if (sink.last_object)
        IUnknown_Release(sink.last_object);
    sink.last_object = NULL;
    ok(IDiscMaster2_Release(dm) == 0, "master still referenced\n");
    ok(sink.base.ref == 1, "sink still referenced after the master died: %ld\n", sink.base.ref);
    test_vr_add(L"vrafter", L"cdr80", NULL, TRUE);
    pump_until(&sink.added, 3, 1000);
    ok(sink.added == 2, "events after the master died: %d additions\n", sink.added);
    test_vr_remove_all();
}

int main(void)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_vr_remove_all();
    test_no_recorders();
    test_bad_arguments();
    test_supported_environment();
    test_enumeration();
    test_dispatch();
    test_interfaces();
    test_progid();
    test_device_events();
    test_vr_remove_all();
    RemoveDirectoryW(test_vr_folder());
    CoUninitialize();
    return okay_summary("discmaster");
}
