/* MsftDiscMaster2: the list of recorders, by unique ID, and
 * DDiscMaster2Events when recorders come and go. */
#include "imapi2_private.h"
#include "devices.h"

/* While a sink is advised, a worker thread waits for registry changes where
 * virtual recorders are configured and posts a message to a hidden
 * message-only window made on the thread that advised; that thread compares
 * the recorder list with the last one and fires the events. Sinks are thus
 * called on the object's own thread, as STA clients (script hosts) need,
 * whenever it pumps messages (WScript.Sleep, a message loop, a modal wait).
 * Real drives arriving or leaving are seen only alongside such a change. */
struct device_watch {
    HWND window;                /* NULL: not watching */
    HANDLE thread, stop;
    struct device_entry *known; /* the list the last events were fired against */
    unsigned known_count;
};

struct discmaster {
    IDiscMaster2 IDiscMaster2_iface;
    struct event_source source; /* DDiscMaster2Events */
    LONG ref;
    struct device_watch watch;
};

static inline struct discmaster *impl_from_IDiscMaster2(IDiscMaster2 *iface)
{
    return CONTAINING_RECORD(iface, struct discmaster, IDiscMaster2_iface);
}

/* ---- device events ---- */

#define WM_DEVICES_CHANGED (WM_APP + 1)
#define WATCH_CLASS L"imapi2-open device watch"
/* A recorder's key is written in several steps (key, then MediaPath ...):
 * wait this long after a change so a sink that opens the recorder finds it
 * configured. */
#define SETTLE_MS 100
#define HEARTBEAT_MS 1000

/* Below the parent of the virtual recorders' key, so that the
 * VirtualRecorders key itself coming or going is seen too; Software when
 * even that parent does not exist yet. */
static HKEY open_watch_key(HKEY hive)
{
    static const WCHAR *const paths[] = { L"Software\\imapi2-open", L"Software" };
    HKEY key;
    for (unsigned i = 0; i < ARRAYSIZE(paths); i++)
        if (RegOpenKeyExW(hive, paths[i], 0, KEY_NOTIFY | KEY_QUERY_VALUE, &key) == ERROR_SUCCESS)
            return key;
    return NULL;
}

/* Wine does not signal a watch whose key is deleted: notice it by polling. */
static BOOL watch_key_gone(HKEY key)
{
    return !key || RegQueryInfoKeyW(key, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) !=
                       ERROR_SUCCESS;
}

/* (Re)arms one registry notification per hive; a notification fires once. */
static void watch_arm(HKEY keys[2], HANDLE events[2])
{
    static const HKEY hives[2] = { HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE };
    for (unsigned i = 0; i < 2; i++) {
        if (keys[i])
            RegCloseKey(keys[i]);
        ResetEvent(events[i]);
        keys[i] = open_watch_key(hives[i]);
        if (keys[i] && RegNotifyChangeKeyValue(keys[i], TRUE, REG_NOTIFY_CHANGE_NAME, events[i], TRUE)) {
            RegCloseKey(keys[i]);
            keys[i] = NULL;
        }
    }
}

/* Touches nothing of the object but the window handle and the stop event,
 * which outlive it: watch_stop() waits for this thread before freeing. */
static DWORD WINAPI watch_thread(void *arg)
{
    struct device_watch *w = arg;
    HANDLE waits[3] = { w->stop, CreateEventW(NULL, TRUE, FALSE, NULL), CreateEventW(NULL, TRUE, FALSE, NULL) };
    HKEY keys[2] = { NULL, NULL };
    if (waits[1] && waits[2]) {
        watch_arm(keys, waits + 1);
        for (;;) {
            DWORD which = WaitForMultipleObjects(3, waits, FALSE, HEARTBEAT_MS);
            if (which == WAIT_TIMEOUT && !watch_key_gone(keys[0]) && !watch_key_gone(keys[1]))
                continue;
            if (which != WAIT_TIMEOUT && which != WAIT_OBJECT_0 + 1 && which != WAIT_OBJECT_0 + 2)
                break;
            watch_arm(keys, waits + 1); /* before looking, so that no later change is missed */
            if (WaitForSingleObject(w->stop, SETTLE_MS) == WAIT_OBJECT_0)
                break;
            PostMessageW(w->window, WM_DEVICES_CHANGED, 0, 0);
        }
    }
    for (unsigned i = 0; i < 2; i++) {
        if (keys[i])
            RegCloseKey(keys[i]);
        if (waits[i + 1])
            CloseHandle(waits[i + 1]);
    }
    return 0;
}

static BOOL device_listed(const struct device_entry *list, unsigned count, const WCHAR *unique_id)
{
    for (unsigned i = 0; i < count; i++)
        if (!wcscmp(list[i].unique_id, unique_id))
            return TRUE;
    return FALSE;
}

static void fire_device_event(struct discmaster *dm, DISPID id, const WCHAR *unique_id)
{
    VARIANT args[2]; /* last parameter first */
    DISPPARAMS params = { args, NULL, 2, 0 };
    BSTR bstr = SysAllocString(unique_id);
    if (!bstr)
        return;
    V_VT(&args[0]) = VT_BSTR;
    V_BSTR(&args[0]) = bstr;
    V_VT(&args[1]) = VT_DISPATCH;
    V_DISPATCH(&args[1]) = (IDispatch *)&dm->IDiscMaster2_iface;
    connection_point_fire(&dm->source.point, id, &params);
    SysFreeString(bstr);
}

struct device_change {
    DISPID event;
    WCHAR unique_id[DEVICE_ID_MAX];
};

/* On the window's thread: compares the recorders with the last list and
 * fires. The changes are copied out first: a sink may unadvise (freeing the
 * list) or drop the last reference to the object during its call. */
static void watch_check(struct discmaster *dm)
{
    struct device_watch *w = &dm->watch;
    struct device_entry *now;
    struct device_change *changes;
    unsigned count, n = 0;
    if (FAILED(devices_list(&now, &count)))
        return;
    changes = HeapAlloc(GetProcessHeap(), 0, (w->known_count + count + 1) * sizeof(*changes));
    if (!changes) {
        HeapFree(GetProcessHeap(), 0, now);
        return;
    }
    for (unsigned i = 0; i < w->known_count; i++)
        if (!device_listed(now, count, w->known[i].unique_id)) {
            changes[n].event = DISPID_DDISCMASTER2EVENTS_DEVICEREMOVED;
            wcscpy(changes[n++].unique_id, w->known[i].unique_id);
        }
    for (unsigned i = 0; i < count; i++)
        if (!device_listed(w->known, w->known_count, now[i].unique_id)) {
            changes[n].event = DISPID_DDISCMASTER2EVENTS_DEVICEADDED;
            wcscpy(changes[n++].unique_id, now[i].unique_id);
        }
    HeapFree(GetProcessHeap(), 0, w->known);
    w->known = now;
    w->known_count = count;
    IDiscMaster2_AddRef(&dm->IDiscMaster2_iface);
    for (unsigned i = 0; i < n; i++) {
        TRACE("%s %s\n", changes[i].event == DISPID_DDISCMASTER2EVENTS_DEVICEADDED ? "added" : "removed",
              debugstr_w(changes[i].unique_id));
        fire_device_event(dm, changes[i].event, changes[i].unique_id);
    }
    IDiscMaster2_Release(&dm->IDiscMaster2_iface);
    HeapFree(GetProcessHeap(), 0, changes);
}

static LRESULT CALLBACK watch_window_proc(HWND window, UINT msg, WPARAM wparam, LPARAM lparam)
{
    if (msg == WM_DEVICES_CHANGED) {
        /* NULL once the watch has stopped: a message still queued is dropped. */
        struct discmaster *dm = (struct discmaster *)GetWindowLongPtrW(window, GWLP_USERDATA);
        if (dm)
            watch_check(dm);
        return 0;
    }
    return DefWindowProcW(window, msg, wparam, lparam);
}

static HWND watch_window_create(struct discmaster *dm)
{
    WNDCLASSW cls = { 0 };
    HWND window;
    cls.lpfnWndProc = watch_window_proc;
    cls.hInstance = imapi2_instance;
    cls.lpszClassName = WATCH_CLASS;
    /* Already registered while another object watches: same procedure. */
    if (!RegisterClassW(&cls) && GetLastError() != ERROR_CLASS_ALREADY_EXISTS)
        return NULL;
    window = CreateWindowExW(0, WATCH_CLASS, NULL, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, imapi2_instance, NULL);
    if (window)
        SetWindowLongPtrW(window, GWLP_USERDATA, (LONG_PTR)dm);
    return window;
}

static void watch_stop(struct device_watch *w)
{
    if (!w->window)
        return;
    if (w->thread) {
        SetEvent(w->stop);
        WaitForSingleObject(w->thread, INFINITE);
        CloseHandle(w->thread);
    }
    if (w->stop)
        CloseHandle(w->stop);
    SetWindowLongPtrW(w->window, GWLP_USERDATA, 0);
    /* Only the window's thread may destroy it; from another (MTA) thread,
     * ask it to close itself. */
    if (!DestroyWindow(w->window))
        PostMessageW(w->window, WM_CLOSE, 0, 0);
    /* Fails while other objects' windows exist; the last one unregisters,
     * so an unloaded DLL leaves no class pointing into it. */
    UnregisterClassW(WATCH_CLASS, imapi2_instance);
    HeapFree(GetProcessHeap(), 0, w->known);
    ZeroMemory(w, sizeof(*w));
}

static void watch_start(struct discmaster *dm)
{
    struct device_watch *w = &dm->watch;
    if (w->window)
        return;
    if (!(w->window = watch_window_create(dm))) {
        WARN("no window for device events: %lu\n", (unsigned long)GetLastError());
        return;
    }
    if (FAILED(devices_list(&w->known, &w->known_count)))
        w->known = NULL, w->known_count = 0;
    w->stop = CreateEventW(NULL, TRUE, FALSE, NULL);
    w->thread = w->stop ? CreateThread(NULL, 0, watch_thread, w, 0, NULL) : NULL;
    if (!w->thread) {
        WARN("no device watch thread: %lu\n", (unsigned long)GetLastError());
        watch_stop(w);
    }
}

/* Watches only while someone listens. */
static void discmaster_sinks_changed(struct connection_point *cp, DWORD count)
{
    struct discmaster *dm = CONTAINING_RECORD(cp, struct discmaster, source.point);
    if (count)
        watch_start(dm);
    else
        watch_stop(&dm->watch);
}

static HRESULT WINAPI discmaster_QueryInterface(IDiscMaster2 *iface, REFIID riid, void **out)
{
    struct discmaster *dm = impl_from_IDiscMaster2(iface);
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IDiscMaster2)) {
        *out = iface;
        IDiscMaster2_AddRef(iface);
        return S_OK;
    }
    if (event_source_query(&dm->source, riid, out))
        return S_OK;
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI discmaster_AddRef(IDiscMaster2 *iface)
{
    return InterlockedIncrement(&impl_from_IDiscMaster2(iface)->ref);
}

static ULONG WINAPI discmaster_Release(IDiscMaster2 *iface)
{
    struct discmaster *dm = impl_from_IDiscMaster2(iface);
    ULONG ref = InterlockedDecrement(&dm->ref);
    if (!ref) {
        watch_stop(&dm->watch);
        event_source_destroy(&dm->source);
        HeapFree(GetProcessHeap(), 0, dm);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(discmaster, IDiscMaster2)

static HRESULT WINAPI discmaster_get__NewEnum(IDiscMaster2 *iface, IEnumVARIANT **out)
{
    struct device_entry *list;
    unsigned count;
    VARIANT *ids;
    HRESULT hr;
    (void)iface;
    TRACE("\n");
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (FAILED(hr = devices_list(&list, &count)))
        return hr;
    ids = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (count ? count : 1) * sizeof(*ids));
    hr = ids ? S_OK : E_OUTOFMEMORY;
    for (unsigned i = 0; SUCCEEDED(hr) && i < count; i++) {
        V_VT(&ids[i]) = VT_BSTR;
        if (!(V_BSTR(&ids[i]) = SysAllocString(list[i].unique_id)))
            hr = E_OUTOFMEMORY;
    }
    if (SUCCEEDED(hr))
        hr = enum_variant_create(ids, count, out);
    for (unsigned i = 0; ids && i < count; i++)
        VariantClear(&ids[i]);
    HeapFree(GetProcessHeap(), 0, ids);
    HeapFree(GetProcessHeap(), 0, list);
    return hr;
}

static HRESULT WINAPI discmaster_get_Item(IDiscMaster2 *iface, LONG index, BSTR *value)
{
    struct device_entry *list;
    unsigned count;
    HRESULT hr;
    (void)iface;
    TRACE("%ld\n", (long)index);
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = devices_list(&list, &count)))
        return hr;
    if (index < 0 || (unsigned)index >= count)
        hr = E_INVALIDARG;
    else if (!(*value = SysAllocString(list[index].unique_id)))
        hr = E_OUTOFMEMORY;
    HeapFree(GetProcessHeap(), 0, list);
    return hr;
}

static HRESULT WINAPI discmaster_get_Count(IDiscMaster2 *iface, LONG *value)
{
    struct device_entry *list;
    unsigned count;
    HRESULT hr;
    (void)iface;
    if (!value)
        return E_POINTER;
    if (FAILED(hr = devices_list(&list, &count)))
        return hr;
    HeapFree(GetProcessHeap(), 0, list);
    *value = (LONG)count;
    return S_OK;
}

/* TRUE when there is at least one recorder this caller can use. */
/* As the page says: every ID of the list is tried on a recorder object; one
 * that initialises (opens, answers INQUIRY as a type-5 device) is enough. */
static BOOL recorder_initializes(const WCHAR *unique_id)
{
    IDiscRecorder2 *rec = NULL;
    BSTR id = SysAllocString(unique_id);
    BOOL ok = id && SUCCEEDED(recorder_create(NULL, &IID_IDiscRecorder2, (void **)&rec)) &&
              SUCCEEDED(IDiscRecorder2_InitializeDiscRecorder(rec, id));
    if (rec)
        IDiscRecorder2_Release(rec);
    SysFreeString(id);
    return ok;
}

static HRESULT WINAPI discmaster_get_IsSupportedEnvironment(IDiscMaster2 *iface, VARIANT_BOOL *value)
{
    struct device_entry *list;
    unsigned count;
    BOOL any = FALSE;
    HRESULT hr;
    (void)iface;
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    if (FAILED(hr = devices_list(&list, &count)))
        return hr;
    for (unsigned i = 0; !any && i < count; i++)
        any = recorder_initializes(list[i].unique_id);
    HeapFree(GetProcessHeap(), 0, list);
    *value = any ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static const IDiscMaster2Vtbl discmaster_vtbl = {
    discmaster_QueryInterface,
    discmaster_AddRef,
    discmaster_Release,
    discmaster_GetTypeInfoCount,
    discmaster_GetTypeInfo,
    discmaster_GetIDsOfNames,
    discmaster_Invoke,
    discmaster_get__NewEnum,
    discmaster_get_Item,
    discmaster_get_Count,
    discmaster_get_IsSupportedEnvironment,
};

HRESULT discmaster_create(IUnknown *outer, REFIID riid, void **out)
{
    struct discmaster *dm;
    HRESULT hr;
    (void)outer;
    if (!(dm = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*dm))))
        return E_OUTOFMEMORY;
    dm->IDiscMaster2_iface.lpVtbl = &discmaster_vtbl;
    dm->ref = 1;
    event_source_init(&dm->source, (IUnknown *)&dm->IDiscMaster2_iface, &CLSID_MsftDiscMaster2,
                      &IID_IDiscMaster2, &IID_DDiscMaster2Events);
    dm->source.point.sinks_changed = discmaster_sinks_changed;
    imapi2_module_addref();
    hr = IDiscMaster2_QueryInterface(&dm->IDiscMaster2_iface, riid, out);
    IDiscMaster2_Release(&dm->IDiscMaster2_iface);
    return hr;
}
