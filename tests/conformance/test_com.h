/* Conformance-test support shared by the PE test programs: opening a virtual
 * recorder by name, SAFEARRAY and integer helpers, the boilerplate of test
 * IStreams and IDispatch event sinks, and running this program again as a
 * child process. Each test is one translation unit, so everything here is
 * static inline (unused pieces cost nothing and warn about nothing).
 * Include after "imapi2.h" (and "virtual_recorders.h" for the recorder
 * helper). */
#ifndef IMAPI2_TEST_COM_H
#define IMAPI2_TEST_COM_H

#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <ole2.h>
#include "okay.h"

/* ---------------------------------------------------------------- values */

static inline LARGE_INTEGER li(LONGLONG v) { LARGE_INTEGER l; l.QuadPart = v; return l; }
static inline ULARGE_INTEGER uli(ULONGLONG v) { ULARGE_INTEGER u; u.QuadPart = v; return u; }

/* Elements of a one-dimensional SAFEARRAY; -1 for none at all. */
static inline LONG test_array_count(SAFEARRAY *sa)
{
    LONG lo = 0, hi = -1;
    if (!sa)
        return -1;
    SafeArrayGetLBound(sa, 1, &lo);
    SafeArrayGetUBound(sa, 1, &hi);
    return hi - lo + 1;
}

/* Whether a SAFEARRAY(VARIANT) holds VT_I4 value. */
static inline BOOL test_array_has(SAFEARRAY *sa, LONG value)
{
    LONG lo = 0, hi = -1;
    SafeArrayGetLBound(sa, 1, &lo);
    SafeArrayGetUBound(sa, 1, &hi);
    for (LONG i = lo; i <= hi; i++) {
        VARIANT v;
        VariantInit(&v);
        if (SUCCEEDED(SafeArrayGetElement(sa, &i, &v)) && V_VT(&v) == VT_I4 && V_I4(&v) == value)
            return TRUE;
        VariantClear(&v);
    }
    return FALSE;
}

/* Takes a BSTR a getter gave (with the getter's result): whether the getter
 * succeeded with exactly `expect`. Frees the string. */
static inline BOOL test_bstr_is(HRESULT hr, BSTR got, const WCHAR *expect)
{
    BOOL same = hr == S_OK && got && !wcscmp(got, expect);
    SysFreeString(got);
    return same;
}

/* Whether the last IErrorInfo's description contains `part` (prints the
 * description when it does not). */
static inline BOOL test_error_says(const WCHAR *part)
{
    IErrorInfo *info = NULL;
    BSTR desc = NULL;
    BOOL says = GetErrorInfo(0, &info) == S_OK && info && SUCCEEDED(IErrorInfo_GetDescription(info, &desc)) &&
                desc && wcsstr(desc, part);
    if (!says)
        printf("description: %ls\n", desc ? desc : L"(none)");
    SysFreeString(desc);
    if (info)
        IErrorInfo_Release(info);
    return says;
}

/* ---------------------------------------------------------------- recorders */

#ifdef IMAPI2_TEST_VIRTUAL_RECORDERS_H

/* An MsftDiscRecorder2 initialized on virtual recorder `name` (checked), or
 * NULL. */
static inline IDiscRecorder2 *test_open_recorder(const WCHAR *name)
{
    IDiscRecorder2 *rec = NULL;
    WCHAR id[300];
    BSTR bid;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2,
                                  (void **)&rec);
    ok(hr == S_OK, "CoCreateInstance(recorder) got %#lx\n", hr);
    if (!rec)
        return NULL;
    test_vr_unique_id(name, id, ARRAYSIZE(id));
    bid = SysAllocString(id);
    hr = IDiscRecorder2_InitializeDiscRecorder(rec, bid);
    ok(hr == S_OK, "InitializeDiscRecorder(%ls) got %#lx\n", name, hr);
    SysFreeString(bid);
    if (FAILED(hr)) {
        IDiscRecorder2_Release(rec);
        return NULL;
    }
    return rec;
}

/* The same without checks: NULL when the recorder cannot be opened. */
static inline IDiscRecorder2 *test_recorder(const WCHAR *name)
{
    IDiscRecorder2 *rec = NULL;
    WCHAR id[300];
    if (FAILED(CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2,
                                (void **)&rec)))
        return NULL;
    test_vr_unique_id(name, id, ARRAYSIZE(id));
    if (FAILED(IDiscRecorder2_InitializeDiscRecorder(rec, id))) {
        IDiscRecorder2_Release(rec);
        return NULL;
    }
    return rec;
}
#endif

/* ---------------------------------------------------------------- IStream */

/* The parts of a read-only test IStream that do not depend on its data:
 * a test defines AddRef, Release, Read, Seek, SetSize and Stat and builds its
 * vtable with TEST_STREAM_VTBL. */
static inline HRESULT WINAPI test_stream_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_ISequentialStream) ||
        IsEqualGUID(riid, &IID_IStream)) {
        *out = iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static inline HRESULT WINAPI test_stream_Write(IStream *iface, const void *buf, ULONG len, ULONG *written)
{
    (void)iface; (void)buf; (void)len; (void)written;
    return STG_E_ACCESSDENIED;
}

static inline HRESULT WINAPI test_stream_CopyTo(IStream *iface, IStream *to, ULARGE_INTEGER n, ULARGE_INTEGER *r,
                                                ULARGE_INTEGER *w)
{
    (void)iface; (void)to; (void)n; (void)r; (void)w;
    return E_NOTIMPL;
}

static inline HRESULT WINAPI test_stream_Commit(IStream *iface, DWORD flags)
{
    (void)iface; (void)flags;
    return S_OK;
}

static inline HRESULT WINAPI test_stream_Revert(IStream *iface)
{
    (void)iface;
    return S_OK;
}

static inline HRESULT WINAPI test_stream_LockRegion(IStream *iface, ULARGE_INTEGER o, ULARGE_INTEGER n, DWORD t)
{
    (void)iface; (void)o; (void)n; (void)t;
    return STG_E_INVALIDFUNCTION;
}

static inline HRESULT WINAPI test_stream_Clone(IStream *iface, IStream **out)
{
    (void)iface;
    *out = NULL;
    return E_NOTIMPL;
}

/* Stat of a stream of `size` bytes, no name. */
static inline HRESULT test_stream_stat(STATSTG *stat, ULONGLONG size)
{
    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = size;
    return S_OK;
}

#define TEST_STREAM_VTBL(add_ref, release, read, seek, set_size, stat)                                           \
    {                                                                                                           \
        test_stream_QueryInterface, add_ref, release, read, test_stream_Write, seek, set_size, test_stream_CopyTo, \
        test_stream_Commit, test_stream_Revert, test_stream_LockRegion, test_stream_LockRegion, stat,           \
        test_stream_Clone,                                                                                      \
    }

/* ---------------------------------------------------------------- IDispatch sinks */

/* The head of a C event sink: an IDispatch answering to IUnknown, IDispatch
 * and up to two event interfaces, counting references but never freed (sinks
 * live on the stack or in statics). A test puts it first in its sink and
 * builds the vtable with TEST_SINK_VTBL(its Invoke). */
struct test_sink {
    IDispatch IDispatch_iface;
    LONG ref;
    const IID *events[2];
};

static inline struct test_sink *test_sink_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct test_sink, IDispatch_iface);
}

static inline void test_sink_init(struct test_sink *sink, const IDispatchVtbl *vtbl, const IID *events,
                                  const IID *events2)
{
    sink->IDispatch_iface.lpVtbl = (IDispatchVtbl *)vtbl;
    sink->ref = 1;
    sink->events[0] = events;
    sink->events[1] = events2;
}

static inline HRESULT WINAPI test_sink_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    struct test_sink *sink = test_sink_from_IDispatch(iface);
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        (sink->events[0] && IsEqualGUID(riid, sink->events[0])) ||
        (sink->events[1] && IsEqualGUID(riid, sink->events[1]))) {
        *out = iface;
        IDispatch_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static inline ULONG WINAPI test_sink_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&test_sink_from_IDispatch(iface)->ref);
}

static inline ULONG WINAPI test_sink_Release(IDispatch *iface)
{
    return InterlockedDecrement(&test_sink_from_IDispatch(iface)->ref);
}

static inline HRESULT WINAPI test_sink_GetTypeInfoCount(IDispatch *iface, UINT *count)
{
    (void)iface;
    *count = 0;
    return S_OK;
}

static inline HRESULT WINAPI test_sink_GetTypeInfo(IDispatch *iface, UINT index, LCID lcid, ITypeInfo **out)
{
    (void)iface; (void)index; (void)lcid;
    *out = NULL;
    return E_NOTIMPL;
}

static inline HRESULT WINAPI test_sink_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names, UINT count,
                                                     LCID lcid, DISPID *ids)
{
    (void)iface; (void)riid; (void)names; (void)count; (void)lcid; (void)ids;
    return E_NOTIMPL;
}

#define TEST_SINK_VTBL(invoke)                                                                                  \
    {                                                                                                           \
        test_sink_QueryInterface, test_sink_AddRef, test_sink_Release, test_sink_GetTypeInfoCount,              \
        test_sink_GetTypeInfo, test_sink_GetIDsOfNames, invoke,                                                 \
    }

/* The connection point of `events` on source (checked), or NULL. */
static inline IConnectionPoint *test_event_point(IUnknown *source, REFIID events)
{
    IConnectionPointContainer *cpc = NULL;
    IConnectionPoint *cp = NULL;
    IUnknown_QueryInterface(source, &IID_IConnectionPointContainer, (void **)&cpc);
    ok(cpc != NULL, "no IConnectionPointContainer\n");
    if (!cpc)
        return NULL;
    IConnectionPointContainer_FindConnectionPoint(cpc, events, &cp);
    ok(cp != NULL, "no connection point for the events\n");
    IConnectionPointContainer_Release(cpc);
    return cp;
}

/* Advises sink on source's `events` point (checked); the cookie, 0 on failure. */
static inline DWORD test_advise(IUnknown *source, REFIID events, struct test_sink *sink)
{
    IConnectionPoint *cp = test_event_point(source, events);
    DWORD cookie = 0;
    if (cp) {
        HRESULT hr = IConnectionPoint_Advise(cp, (IUnknown *)&sink->IDispatch_iface, &cookie);
        ok(hr == S_OK && cookie, "Advise got %#lx\n", hr);
        IConnectionPoint_Release(cp);
    }
    return cookie;
}

static inline void test_unadvise(IUnknown *source, REFIID events, DWORD cookie)
{
    IConnectionPoint *cp = test_event_point(source, events);
    if (cp) {
        ok(IConnectionPoint_Unadvise(cp, cookie) == S_OK, "Unadvise\n");
        IConnectionPoint_Release(cp);
    }
}

/* ---------------------------------------------------------------- child processes */

/* Runs this program again as `"exe" mode name event`, where event names a
 * fresh manual-reset event (returned in *event) the child can open. FALSE
 * (a failed check) when the process cannot start. */
static inline BOOL test_child_start(const WCHAR *mode, const WCHAR *name, const WCHAR *event_prefix, HANDLE *event,
                                    PROCESS_INFORMATION *pi)
{
    WCHAR exe[MAX_PATH], cmd[MAX_PATH * 2], event_name[64];
    STARTUPINFOW si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    swprintf(event_name, ARRAYSIZE(event_name), L"%ls-%lu", event_prefix, GetCurrentProcessId());
    *event = CreateEventW(NULL, TRUE, FALSE, event_name);
    GetModuleFileNameW(NULL, exe, ARRAYSIZE(exe));
    swprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" %ls %ls %ls", exe, mode, name, event_name);
    if (!CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, pi)) {
        ok(0, "CreateProcess failed %lu\n", GetLastError());
        CloseHandle(*event);
        return FALSE;
    }
    return TRUE;
}

/* The child's side: whether the command line is `exe mode name event`; if
 * so, name and event_name (64 characters each) get the two arguments. */
static inline BOOL test_child_args(int argc, char **argv, const char *mode, WCHAR *name, WCHAR *event_name)
{
    if (argc != 4 || strcmp(argv[1], mode))
        return FALSE;
    MultiByteToWideChar(CP_ACP, 0, argv[2], -1, name, 64);
    MultiByteToWideChar(CP_ACP, 0, argv[3], -1, event_name, 64);
    return TRUE;
}

#endif
