/* MsftDiscMaster2: enumeration of recorders, by vtable and by IDispatch. */
#define COBJMACROS
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include "imapi2.h"
#include "okay.h"
#include "virtual_recorders.h"

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

int main(void)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_vr_remove_all();
    test_no_recorders();
    test_bad_arguments();
    test_enumeration();
    test_dispatch();
    test_interfaces();
    test_progid();
    test_vr_remove_all();
    RemoveDirectoryW(test_vr_folder());
    CoUninitialize();
    return okay_summary("discmaster");
}
