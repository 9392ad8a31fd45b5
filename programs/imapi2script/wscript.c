/* The WScript object and its companions (Arguments with Named and Unnamed,
 * StdIn/StdOut/StdErr text streams), with the members scripts written for
 * Windows' cscript use. */
#include <stdio.h>
#include <wchar.h>
#include "host.h"
#include "../common/stale_registration.h"

#define HOST_VERSION L"5.8"
#define HOST_BUILD 0
#define CTL_E_ENDOFFILE STD_CTL_SCODE(62) /* "Input past end of file" */

static HRESULT return_string(VARIANT *result, const WCHAR *s)
{
    V_VT(result) = VT_BSTR;
    V_BSTR(result) = SysAllocString(s);
    return V_BSTR(result) || !s[0] ? S_OK : E_OUTOFMEMORY;
}

static void return_object(VARIANT *result, struct dispobj *obj)
{
    V_VT(result) = VT_DISPATCH;
    V_DISPATCH(result) = &obj->IDispatch_iface;
    IDispatch_AddRef(&obj->IDispatch_iface);
}

/* A property that returns a collection, called with arguments: they index
 * the collection, as WScript.Arguments(0) or .Named("x") expect. */
static HRESULT return_collection(VARIANT *result, struct dispobj *obj, WORD flags, DISPPARAMS *params)
{
    EXCEPINFO ei;
    HRESULT hr;
    if (!host_arg_count(params)) {
        return_object(result, obj);
        return S_OK;
    }
    memset(&ei, 0, sizeof(ei));
    hr = IDispatch_Invoke(&obj->IDispatch_iface, DISPID_VALUE, &IID_NULL, LOCALE_USER_DEFAULT,
                          flags & (DISPATCH_METHOD | DISPATCH_PROPERTYGET), params, result, &ei, NULL);
    if (hr == DISP_E_EXCEPTION) {
        hr = host_fail(ei.scode, L"%ls", ei.bstrDescription ? ei.bstrDescription : L"");
        SysFreeString(ei.bstrSource);
        SysFreeString(ei.bstrDescription);
        SysFreeString(ei.bstrHelpFile);
    }
    return hr;
}

static void return_long(VARIANT *result, LONG value)
{
    V_VT(result) = VT_I4;
    V_I4(result) = value;
}

static void return_bool(VARIANT *result, BOOL value)
{
    V_VT(result) = VT_BOOL;
    V_BOOL(result) = value ? VARIANT_TRUE : VARIANT_FALSE;
}

/* An object argument as IDispatch (AddRef'd), or NULL. */
static IDispatch *arg_object(DISPPARAMS *params, unsigned i)
{
    VARIANT *v = host_arg(params, i);
    IDispatch *disp = NULL;
    if (!v)
        return NULL;
    if (V_VT(v) == VT_DISPATCH && V_DISPATCH(v))
        disp = V_DISPATCH(v);
    else if (V_VT(v) == (VT_DISPATCH | VT_BYREF) && V_DISPATCHREF(v) && *V_DISPATCHREF(v))
        disp = *V_DISPATCHREF(v);
    if (disp)
        IDispatch_AddRef(disp);
    else if (V_VT(v) == VT_UNKNOWN && V_UNKNOWN(v))
        IUnknown_QueryInterface(V_UNKNOWN(v), &IID_IDispatch, (void **)&disp);
    return disp;
}

/* ================================================================ streams */

struct text_stream {
    struct dispobj base;
    HANDLE handle;
    BOOL input;
    int peeked; /* a byte read ahead by AtEndOfStream, or -1 */
    BOOL at_end;
};

static struct text_stream *stream_from(struct dispobj *obj)
{
    return CONTAINING_RECORD(obj, struct text_stream, base);
}

static HRESULT stream_write_args(struct dispobj *obj, DISPPARAMS *params, BOOL newline)
{
    struct text_stream *s = stream_from(obj);
    BSTR text = NULL;
    HRESULT hr;
    if (s->input)
        return host_fail(CTL_E_BADFILEMODE, L"Bad file mode");
    if (host_arg(params, 0)) {
        hr = host_arg_string(params, 0, &text);
        if (FAILED(hr))
            return hr;
        host_write(s->handle, text, SysStringLen(text));
        SysFreeString(text);
    } else if (!newline) {
        return DISP_E_PARAMNOTOPTIONAL;
    }
    if (newline)
        host_write(s->handle, L"\r\n", 2);
    return S_OK;
}

static HRESULT stream_Write(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    (void)flags; (void)result;
    return stream_write_args(obj, params, FALSE);
}

static HRESULT stream_WriteLine(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    (void)flags; (void)result;
    return stream_write_args(obj, params, TRUE);
}

static HRESULT stream_WriteBlankLines(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    struct text_stream *s = stream_from(obj);
    LONG n = 0;
    HRESULT hr;
    (void)flags; (void)result;
    if (s->input)
        return host_fail(CTL_E_BADFILEMODE, L"Bad file mode");
    if (FAILED(hr = host_arg_long(params, 0, &n)))
        return hr;
    while (n-- > 0)
        host_write(s->handle, L"\r\n", 2);
    return S_OK;
}

static int stream_getc(struct text_stream *s)
{
    unsigned char c;
    DWORD got = 0;
    if (s->peeked >= 0) {
        int ret = s->peeked;
        s->peeked = -1;
        return ret;
    }
    if (s->at_end || !ReadFile(s->handle, &c, 1, &got, NULL) || !got) {
        s->at_end = TRUE;
        return -1;
    }
    return c;
}

static HRESULT stream_AtEndOfStream(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    struct text_stream *s = stream_from(obj);
    (void)flags; (void)params;
    if (!s->input)
        return host_fail(CTL_E_BADFILEMODE, L"Bad file mode");
    if (s->peeked < 0)
        s->peeked = stream_getc(s);
    return_bool(result, s->peeked < 0);
    return S_OK;
}

/* Reads up to a newline (line != 0) or to the end; bytes in the OEM code page. */
static HRESULT stream_read_text(struct text_stream *s, BOOL line, VARIANT *result)
{
    size_t len = 0, size = 256;
    char *buf;
    int c, wide_len;
    BSTR text;
    if (!s->input)
        return host_fail(CTL_E_BADFILEMODE, L"Bad file mode");
    if (s->peeked < 0 && s->at_end)
        return host_fail(CTL_E_ENDOFFILE, L"Input past end of file");
    if (!(buf = HeapAlloc(GetProcessHeap(), 0, size)))
        return E_OUTOFMEMORY;
    while ((c = stream_getc(s)) >= 0) {
        if (line && c == '\n')
            break;
        if (len + 1 >= size) {
            char *grown = HeapReAlloc(GetProcessHeap(), 0, buf, size * 2);
            if (!grown) {
                HeapFree(GetProcessHeap(), 0, buf);
                return E_OUTOFMEMORY;
            }
            buf = grown;
            size *= 2;
        }
        buf[len++] = (char)c;
    }
    if (line && len && buf[len - 1] == '\r')
        len--;
    wide_len = len ? MultiByteToWideChar(CP_OEMCP, 0, buf, (int)len, NULL, 0) : 0;
    text = SysAllocStringLen(NULL, wide_len);
    if (text && wide_len)
        MultiByteToWideChar(CP_OEMCP, 0, buf, (int)len, text, wide_len);
    HeapFree(GetProcessHeap(), 0, buf);
    if (!text)
        return E_OUTOFMEMORY;
    V_VT(result) = VT_BSTR;
    V_BSTR(result) = text;
    return S_OK;
}

static HRESULT stream_ReadLine(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    (void)flags; (void)params;
    return stream_read_text(stream_from(obj), TRUE, result);
}

static HRESULT stream_ReadAll(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    (void)flags; (void)params;
    return stream_read_text(stream_from(obj), FALSE, result);
}

static HRESULT stream_Close(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    (void)obj; (void)flags; (void)params; (void)result;
    return S_OK; /* the process's standard handles stay open */
}

static void stream_destroy(struct dispobj *obj)
{
    HeapFree(GetProcessHeap(), 0, stream_from(obj));
}

static const struct dispobj_member stream_members[] = {
    { L"Write", 1, stream_Write },
    { L"WriteLine", 2, stream_WriteLine },
    { L"WriteBlankLines", 3, stream_WriteBlankLines },
    { L"ReadLine", 4, stream_ReadLine },
    { L"ReadAll", 5, stream_ReadAll },
    { L"AtEndOfStream", 6, stream_AtEndOfStream },
    { L"Close", 7, stream_Close },
};
static const struct dispobj_class stream_class = {
    L"TextStream", stream_members, ARRAYSIZE(stream_members), stream_destroy, NULL,
};

static struct dispobj *stream_create(DWORD std_handle, BOOL input)
{
    struct text_stream *s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    if (!s)
        return NULL;
    dispobj_init(&s->base, &stream_class);
    s->handle = GetStdHandle(std_handle);
    s->input = input;
    s->peeked = -1;
    return &s->base;
}

/* ============================================================== arguments */

/* One collection class serves all three: the full list, the unnamed ones
 * (plain values) and the named ones (/name or /name:value). */
enum args_kind { ARGS_ALL, ARGS_UNNAMED, ARGS_NAMED };

struct args_obj {
    struct dispobj base;
    enum args_kind kind;
    int count;
    BSTR *values; /* ARGS_NAMED: the values, NULL for a bare /name */
    BSTR *names;  /* ARGS_NAMED only */
    struct dispobj *named, *unnamed; /* ARGS_ALL only */
};

static struct args_obj *args_from(struct dispobj *obj)
{
    return CONTAINING_RECORD(obj, struct args_obj, base);
}

static int named_index(struct args_obj *a, const WCHAR *name)
{
    for (int i = 0; i < a->count; i++)
        if (!_wcsicmp(a->names[i], name))
            return i;
    return -1;
}

static HRESULT args_Item(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    struct args_obj *a = args_from(obj);
    LONG index;
    HRESULT hr;
    (void)flags;
    if (a->kind == ARGS_NAMED) {
        BSTR name;
        int i;
        if (FAILED(hr = host_arg_string(params, 0, &name)))
            return hr;
        i = named_index(a, name);
        SysFreeString(name);
        if (i >= 0 && a->values[i])
            return return_string(result, a->values[i]);
        return S_OK; /* absent or bare: Empty */
    }
    if (!host_arg(params, 0))
        return DISP_E_PARAMNOTOPTIONAL;
    if (FAILED(hr = host_arg_long(params, 0, &index)))
        return hr;
    if (index < 0 || index >= a->count)
        return host_fail(DISP_E_BADINDEX, L"Subscript out of range");
    return return_string(result, a->values[index]);
}

static HRESULT args_Count(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    (void)flags; (void)params;
    return_long(result, args_from(obj)->count);
    return S_OK;
}

static HRESULT args_Exists(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    struct args_obj *a = args_from(obj);
    BSTR name;
    HRESULT hr;
    (void)flags;
    if (a->kind != ARGS_NAMED)
        return DISP_E_MEMBERNOTFOUND;
    if (FAILED(hr = host_arg_string(params, 0, &name)))
        return hr;
    return_bool(result, named_index(a, name) >= 0);
    SysFreeString(name);
    return S_OK;
}

static HRESULT args_Named(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    struct args_obj *a = args_from(obj);
    if (a->kind != ARGS_ALL)
        return DISP_E_MEMBERNOTFOUND;
    return return_collection(result, a->named, flags, params);
}

static HRESULT args_Unnamed(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    struct args_obj *a = args_from(obj);
    if (a->kind != ARGS_ALL)
        return DISP_E_MEMBERNOTFOUND;
    return return_collection(result, a->unnamed, flags, params);
}

static HRESULT args_ShowUsage(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    (void)obj; (void)flags; (void)params; (void)result;
    return S_OK; /* usage comes from a .wsf file's <runtime> block: none here */
}

static HRESULT args_new_enum(struct dispobj *obj, IEnumVARIANT **out)
{
    struct args_obj *a = args_from(obj);
    BSTR *list = a->kind == ARGS_NAMED ? a->names : a->values;
    VARIANT *values = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (a->count ? a->count : 1) * sizeof(VARIANT));
    HRESULT hr;
    if (!values)
        return E_OUTOFMEMORY;
    for (int i = 0; i < a->count; i++) {
        V_VT(&values[i]) = VT_BSTR;
        V_BSTR(&values[i]) = list[i]; /* copied by enum_variant_create */
    }
    hr = enum_variant_create(values, (ULONG)a->count, out);
    HeapFree(GetProcessHeap(), 0, values);
    return hr;
}

static void args_destroy(struct dispobj *obj)
{
    struct args_obj *a = args_from(obj);
    for (int i = 0; i < a->count; i++) {
        SysFreeString(a->values[i]);
        if (a->names)
            SysFreeString(a->names[i]);
    }
    HeapFree(GetProcessHeap(), 0, a->values);
    HeapFree(GetProcessHeap(), 0, a->names);
    if (a->named)
        IDispatch_Release(&a->named->IDispatch_iface);
    if (a->unnamed)
        IDispatch_Release(&a->unnamed->IDispatch_iface);
    HeapFree(GetProcessHeap(), 0, a);
}

static const struct dispobj_member args_members[] = {
    { L"Item", DISPID_VALUE, args_Item },
    { L"Count", 1, args_Count },
    { L"length", 2, args_Count },
    { L"Exists", 3, args_Exists },
    { L"Named", 4, args_Named },
    { L"Unnamed", 5, args_Unnamed },
    { L"ShowUsage", 6, args_ShowUsage },
};
static const struct dispobj_class args_class = {
    L"Arguments", args_members, ARRAYSIZE(args_members), args_destroy, args_new_enum,
};

static BOOL is_named(const WCHAR *arg)
{
    return arg[0] == '/' && arg[1] && arg[1] != '/';
}

static struct args_obj *args_alloc(enum args_kind kind, int count)
{
    struct args_obj *a = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*a));
    if (!a)
        return NULL;
    dispobj_init(&a->base, &args_class);
    a->kind = kind;
    a->values = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (count ? count : 1) * sizeof(BSTR));
    if (kind == ARGS_NAMED)
        a->names = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (count ? count : 1) * sizeof(BSTR));
    if (!a->values || (kind == ARGS_NAMED && !a->names)) {
        args_destroy(&a->base);
        return NULL;
    }
    return a;
}

static struct dispobj *args_create(const struct host_args *args)
{
    struct args_obj *all = args_alloc(ARGS_ALL, args->count);
    struct args_obj *named = args_alloc(ARGS_NAMED, args->count);
    struct args_obj *unnamed = args_alloc(ARGS_UNNAMED, args->count);
    if (!all || !named || !unnamed) {
        if (all)
            args_destroy(&all->base);
        if (named)
            args_destroy(&named->base);
        if (unnamed)
            args_destroy(&unnamed->base);
        return NULL;
    }
    for (int i = 0; i < args->count; i++) {
        const WCHAR *arg = args->values[i];
        all->values[all->count++] = SysAllocString(arg);
        if (is_named(arg)) {
            const WCHAR *colon = wcschr(arg, ':');
            size_t name_len = colon ? (size_t)(colon - arg - 1) : wcslen(arg + 1);
            named->names[named->count] = SysAllocStringLen(arg + 1, (UINT)name_len);
            named->values[named->count] = colon ? SysAllocString(colon + 1) : NULL;
            named->count++;
        } else {
            unnamed->values[unnamed->count++] = SysAllocString(arg);
        }
    }
    all->named = &named->base;
    all->unnamed = &unnamed->base;
    return &all->base;
}

/* ================================================================ WScript */

struct wscript {
    struct dispobj base;
    WCHAR *script_name, *script_full_name;
    WCHAR host_full_name[MAX_PATH], host_path[MAX_PATH];
    struct dispobj *arguments, *std_in, *std_out, *std_err;
    BOOL interactive;
    LONG timeout;
};

static struct wscript *wscript_from(struct dispobj *obj)
{
    return CONTAINING_RECORD(obj, struct wscript, base);
}

static HRESULT ws_Echo(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    unsigned count = host_arg_count(params);
    (void)obj; (void)flags; (void)result;
    for (unsigned i = 0; i < count; i++) {
        VARIANT *v = host_arg(params, i);
        BSTR text = NULL;
        if (i)
            host_write(out, L" ", 1);
        if (!v || V_VT(v) == VT_EMPTY || V_VT(v) == VT_NULL)
            continue;
        HRESULT hr = host_arg_string(params, i, &text);
        if (FAILED(hr))
            return hr;
        host_write(out, text, SysStringLen(text));
        SysFreeString(text);
    }
    host_write(out, L"\r\n", 2);
    return S_OK;
}

static HRESULT ws_Quit(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    LONG code = 0;
    (void)obj; (void)flags; (void)result;
    if (host_arg(params, 0) && FAILED(host_arg_long(params, 0, &code)))
        code = 0;
    host_quit((int)code);
}

static HRESULT ws_Sleep(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    LONG ms = 0;
    DWORD start = GetTickCount();
    HRESULT hr;
    (void)obj; (void)flags; (void)result;
    if (FAILED(hr = host_arg_long(params, 0, &ms)))
        return hr;
    if (ms < 0)
        return host_fail(E_INVALIDARG, L"Sleep needs a time in milliseconds of 0 or more");
    /* Messages keep flowing while asleep: COM and events need them. */
    for (;;) {
        DWORD elapsed = GetTickCount() - start;
        MSG msg;
        if (elapsed >= (DWORD)ms)
            break;
        if (MsgWaitForMultipleObjects(0, NULL, FALSE, (DWORD)ms - elapsed, QS_ALLINPUT) == WAIT_OBJECT_0)
            while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
                TranslateMessage(&msg);
                DispatchMessageW(&msg);
            }
    }
    return S_OK;
}

static HRESULT create_object(const WCHAR *progid, IDispatch **out)
{
    WCHAR path[MAX_PATH];
    CLSID clsid;
    HRESULT hr = CLSIDFromProgID(progid, &clsid);
    if (FAILED(hr))
        hr = CLSIDFromString(progid, &clsid);
    if (FAILED(hr))
        return host_fail(hr, L"Could not locate automation class named \"%ls\".", progid);
    hr = CoCreateInstance(&clsid, NULL, CLSCTX_SERVER, &IID_IDispatch, (void **)out);
    if (FAILED(hr) && stale_registration(&clsid, path, ARRAYSIZE(path)))
        return host_fail(hr, L"Could not create an object of class \"%ls\": imapi2.dll is registered at %ls, which "
                         L"no longer exists: run regsvr32 on the copy you want.", progid, path);
    if (FAILED(hr))
        return host_fail(hr, L"Could not create an object of class \"%ls\" (error 0x%08lX).", progid,
                         (unsigned long)hr);
    return S_OK;
}

/* Connects `obj` to the script's prefix_* functions when a prefix is given. */
static HRESULT connect_if_prefix(IDispatch *obj, DISPPARAMS *params, unsigned prefix_arg)
{
    BSTR prefix = NULL;
    HRESULT hr;
    if (!host_arg(params, prefix_arg))
        return S_OK;
    if (FAILED(hr = host_arg_string(params, prefix_arg, &prefix)))
        return hr;
    hr = SysStringLen(prefix) ? events_connect(obj, prefix) : S_OK;
    SysFreeString(prefix);
    return hr;
}

static HRESULT ws_CreateObject(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    IDispatch *created = NULL;
    BSTR progid;
    HRESULT hr;
    (void)obj; (void)flags;
    if (FAILED(hr = host_arg_string(params, 0, &progid)))
        return hr;
    hr = create_object(progid, &created);
    SysFreeString(progid);
    if (SUCCEEDED(hr) && FAILED(hr = connect_if_prefix(created, params, 1))) {
        IDispatch_Release(created);
        return hr;
    }
    if (SUCCEEDED(hr)) {
        V_VT(result) = VT_DISPATCH;
        V_DISPATCH(result) = created;
    }
    return hr;
}

static HRESULT ws_GetObject(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    IDispatch *found = NULL;
    BSTR path = NULL, progid = NULL;
    HRESULT hr;
    (void)obj; (void)flags;
    if (FAILED(hr = host_arg_string(params, 0, &path)))
        return hr;
    if (host_arg(params, 1) && FAILED(hr = host_arg_string(params, 1, &progid))) {
        SysFreeString(path);
        return hr;
    }
    if (SysStringLen(path)) {
        hr = CoGetObject(path, NULL, &IID_IDispatch, (void **)&found);
        if (FAILED(hr))
            hr = host_fail(hr, L"Could not get the object \"%ls\".", path);
    } else if (SysStringLen(progid)) {
        hr = create_object(progid, &found);
    } else {
        hr = host_fail(E_INVALIDARG, L"GetObject needs a path or a ProgID.");
    }
    SysFreeString(path);
    SysFreeString(progid);
    if (SUCCEEDED(hr) && FAILED(hr = connect_if_prefix(found, params, 2))) {
        IDispatch_Release(found);
        return hr;
    }
    if (SUCCEEDED(hr)) {
        V_VT(result) = VT_DISPATCH;
        V_DISPATCH(result) = found;
    }
    return hr;
}

static HRESULT ws_ConnectObject(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    IDispatch *target = arg_object(params, 0);
    BSTR prefix;
    HRESULT hr;
    (void)obj; (void)flags; (void)result;
    if (!target)
        return host_fail(E_INVALIDARG, L"ConnectObject needs an object.");
    hr = host_arg_string(params, 1, &prefix);
    if (SUCCEEDED(hr)) {
        hr = events_connect(target, prefix);
        SysFreeString(prefix);
    }
    IDispatch_Release(target);
    return hr;
}

static HRESULT ws_DisconnectObject(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    IDispatch *target = arg_object(params, 0);
    HRESULT hr;
    (void)obj; (void)flags; (void)result;
    if (!target)
        return host_fail(E_INVALIDARG, L"DisconnectObject needs an object.");
    hr = events_disconnect(target);
    IDispatch_Release(target);
    return hr;
}

#define WS_OBJECT_GETTER(member, field)                                                  \
    static HRESULT ws_##member(struct dispobj *obj, WORD flags, DISPPARAMS *params,     \
                               VARIANT *result)                                         \
    {                                                                                    \
        struct wscript *ws = wscript_from(obj);                                          \
        (void)flags; (void)params;                                                       \
        if (!ws->field)                                                                  \
            return E_OUTOFMEMORY;                                                        \
        return_object(result, ws->field);                                                \
        return S_OK;                                                                     \
    }
WS_OBJECT_GETTER(StdIn, std_in)
WS_OBJECT_GETTER(StdOut, std_out)
WS_OBJECT_GETTER(StdErr, std_err)

static HRESULT ws_Arguments(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    struct wscript *ws = wscript_from(obj);
    return return_collection(result, ws->arguments, flags, params);
}

#define WS_STRING_GETTER(member, expr)                                                   \
    static HRESULT ws_##member(struct dispobj *obj, WORD flags, DISPPARAMS *params,     \
                               VARIANT *result)                                         \
    {                                                                                    \
        struct wscript *ws = wscript_from(obj);                                          \
        (void)ws; (void)flags; (void)params;                                             \
        return return_string(result, expr);                                              \
    }
WS_STRING_GETTER(ScriptName, ws->script_name)
WS_STRING_GETTER(ScriptFullName, ws->script_full_name)
WS_STRING_GETTER(FullName, ws->host_full_name)
WS_STRING_GETTER(Path, ws->host_path)
WS_STRING_GETTER(Name, L"imapi2script")
WS_STRING_GETTER(Version, HOST_VERSION)

static HRESULT ws_BuildVersion(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    (void)obj; (void)flags; (void)params;
    return_long(result, HOST_BUILD);
    return S_OK;
}

static HRESULT ws_Application(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    (void)flags; (void)params;
    return_object(result, obj);
    return S_OK;
}

static HRESULT ws_Interactive(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    struct wscript *ws = wscript_from(obj);
    if (flags & DISPATCH_PROPERTYPUT) {
        VARIANT tmp;
        HRESULT hr = host_value_as(host_put_value(params), VT_BOOL, &tmp);
        if (FAILED(hr))
            return hr;
        ws->interactive = V_BOOL(&tmp) != VARIANT_FALSE;
        return S_OK;
    }
    return_bool(result, ws->interactive);
    return S_OK;
}

/* Accepted and kept; no watchdog ends the script. */
static HRESULT ws_Timeout(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result)
{
    struct wscript *ws = wscript_from(obj);
    if (flags & DISPATCH_PROPERTYPUT) {
        VARIANT tmp;
        HRESULT hr = host_value_as(host_put_value(params), VT_I4, &tmp);
        if (FAILED(hr))
            return hr;
        ws->timeout = V_I4(&tmp);
        return S_OK;
    }
    return_long(result, ws->timeout);
    return S_OK;
}

static void wscript_destroy(struct dispobj *obj)
{
    struct wscript *ws = wscript_from(obj);
    struct dispobj *children[] = { ws->arguments, ws->std_in, ws->std_out, ws->std_err };
    for (unsigned i = 0; i < ARRAYSIZE(children); i++)
        if (children[i])
            IDispatch_Release(&children[i]->IDispatch_iface);
    HeapFree(GetProcessHeap(), 0, ws->script_name);
    HeapFree(GetProcessHeap(), 0, ws->script_full_name);
    HeapFree(GetProcessHeap(), 0, ws);
}

static const struct dispobj_member wscript_members[] = {
    { L"Name", DISPID_VALUE, ws_Name },
    { L"Echo", 1, ws_Echo },
    { L"Quit", 2, ws_Quit },
    { L"Sleep", 3, ws_Sleep },
    { L"CreateObject", 4, ws_CreateObject },
    { L"GetObject", 5, ws_GetObject },
    { L"ConnectObject", 6, ws_ConnectObject },
    { L"DisconnectObject", 7, ws_DisconnectObject },
    { L"Arguments", 8, ws_Arguments },
    { L"StdIn", 9, ws_StdIn },
    { L"StdOut", 10, ws_StdOut },
    { L"StdErr", 11, ws_StdErr },
    { L"ScriptName", 12, ws_ScriptName },
    { L"ScriptFullName", 13, ws_ScriptFullName },
    { L"FullName", 14, ws_FullName },
    { L"Path", 15, ws_Path },
    { L"Version", 16, ws_Version },
    { L"BuildVersion", 17, ws_BuildVersion },
    { L"Interactive", 18, ws_Interactive },
    { L"Timeout", 19, ws_Timeout },
    { L"Application", 20, ws_Application },
};
static const struct dispobj_class wscript_class = {
    L"WScript", wscript_members, ARRAYSIZE(wscript_members), wscript_destroy, NULL,
};

static WCHAR *heap_wcsdup(const WCHAR *s)
{
    size_t size = (wcslen(s) + 1) * sizeof(WCHAR);
    WCHAR *copy = HeapAlloc(GetProcessHeap(), 0, size);
    if (copy)
        memcpy(copy, s, size);
    return copy;
}

HRESULT wscript_create(const WCHAR *script_full_path, const struct host_args *args, BOOL interactive,
                       IDispatch **out)
{
    struct wscript *ws = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*ws));
    const WCHAR *base;
    WCHAR *slash;
    *out = NULL;
    if (!ws)
        return E_OUTOFMEMORY;
    dispobj_init(&ws->base, &wscript_class);
    base = script_full_path;
    for (const WCHAR *p = script_full_path; *p; p++)
        if (*p == '\\' || *p == '/')
            base = p + 1;
    ws->script_name = heap_wcsdup(base);
    ws->script_full_name = heap_wcsdup(script_full_path);
    GetModuleFileNameW(NULL, ws->host_full_name, ARRAYSIZE(ws->host_full_name));
    wcscpy(ws->host_path, ws->host_full_name);
    if ((slash = wcsrchr(ws->host_path, '\\')))
        *slash = 0;
    ws->arguments = args_create(args);
    ws->std_in = stream_create(STD_INPUT_HANDLE, TRUE);
    ws->std_out = stream_create(STD_OUTPUT_HANDLE, FALSE);
    ws->std_err = stream_create(STD_ERROR_HANDLE, FALSE);
    ws->interactive = interactive;
    ws->timeout = 0;
    if (!ws->script_name || !ws->script_full_name || !ws->arguments || !ws->std_in || !ws->std_out ||
        !ws->std_err) {
        wscript_destroy(&ws->base);
        return E_OUTOFMEMORY;
    }
    *out = &ws->base.IDispatch_iface;
    return S_OK;
}
