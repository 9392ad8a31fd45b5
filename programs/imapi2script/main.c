/* imapi2script [//nologo] [//B] [//E:engine] script.vbs|script.js [arguments]
 *
 * Runs a script file in the system's VBScript or JScript engine with a
 * WScript object of ours. Exit status: the WScript.Quit code, 0 when the
 * script ends, 1 after a script error (printed to stderr as cscript does). */
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>
#include "host.h"
#include "../common/version.h"

/* Not all of these are in mingw-w64's libuuid. */
static const IID iid_active_script = {
    0xbb1a2ae1, 0xa4f9, 0x11cf, { 0x8f, 0x20, 0x00, 0x80, 0x5f, 0x2c, 0xd0, 0x64 }
};
static const IID iid_active_script_site = {
    0xdb01a1e3, 0xa42b, 0x11cf, { 0x8f, 0x20, 0x00, 0x80, 0x5f, 0x2c, 0xd0, 0x64 }
};
#ifdef _WIN64
static const IID iid_active_script_parse = {
    0xc7ef7658, 0xe1ee, 0x480e, { 0x97, 0xea, 0xd5, 0x2c, 0xb4, 0xd7, 0x6d, 0x17 }
};
#else
static const IID iid_active_script_parse = {
    0xbb1a2ae2, 0xa4f9, 0x11cf, { 0x8f, 0x20, 0x00, 0x80, 0x5f, 0x2c, 0xd0, 0x64 }
};
#endif
static const IID iid_dispatch_ex = {
    0xa6ef9860, 0xc720, 0x11d0, { 0x93, 0x37, 0x00, 0xa0, 0xc9, 0x0d, 0xca, 0xa9 }
};

#define EXIT_SCRIPT_ERROR 1
#define EXIT_USAGE 2

static IActiveScript *engine;
static IDispatch *wscript;
static BOOL case_insensitive; /* VBScript names */
static WCHAR script_full_path[MAX_PATH];
static int errors_reported;
LONG host_event_depth;

static void print_err(const WCHAR *format, ...)
{
    WCHAR text[2048];
    va_list ap;
    va_start(ap, format);
    vsnwprintf(text, ARRAYSIZE(text), format, ap);
    text[ARRAYSIZE(text) - 1] = 0;
    va_end(ap);
    host_write(GetStdHandle(STD_ERROR_HANDLE), text, wcslen(text));
}

void host_quit(int code)
{
    /* Called from inside the engine: no orderly Close is possible, and the
     * script must not run on (On Error Resume Next would swallow an error). */
    events_disconnect_all();
    ExitProcess((UINT)code);
}

/* ================================================================ errors */

static HRESULT error_code(const EXCEPINFO *ei)
{
    if (ei->scode)
        return ei->scode;
    if (ei->wCode)
        return MAKE_HRESULT(SEVERITY_ERROR, FACILITY_CONTROL, ei->wCode);
    return E_FAIL;
}

/* "<file>(line, column) <source>: <description> (0x...)": cscript's layout,
 * with the code added since not every error has a description. */
static void report_error(const EXCEPINFO *ei, ULONG line, LONG column, BOOL have_position)
{
    HRESULT hr = error_code(ei);
    const WCHAR *source = ei->bstrSource && ei->bstrSource[0] ? ei->bstrSource : L"Script error";
    WCHAR *system_text = NULL;
    const WCHAR *description = ei->bstrDescription && ei->bstrDescription[0] ? ei->bstrDescription : NULL;

    if (!description && FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER |
                                       FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)hr, 0,
                                       (WCHAR *)&system_text, 0, NULL) && system_text) {
        size_t len = wcslen(system_text);
        while (len && (system_text[len - 1] == '\n' || system_text[len - 1] == '\r' || system_text[len - 1] == ' '))
            system_text[--len] = 0;
        description = system_text;
    }
    if (have_position)
        print_err(L"%ls(%lu, %ld) ", script_full_path, (unsigned long)line + 1, (long)column + 1);
    else
        print_err(L"%ls ", script_full_path);
    print_err(L"%ls: %ls (0x%08lX)\r\n", source, description ? description : L"unknown error", (unsigned long)hr);
    if (system_text)
        LocalFree(system_text);
    errors_reported++;
}

/* ================================================================ the site */

static HRESULT WINAPI site_QueryInterface(IActiveScriptSite *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &iid_active_script_site)) {
        *out = iface;
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

/* The site is static: it lives as long as the process. */
static ULONG WINAPI site_AddRef(IActiveScriptSite *iface)
{
    (void)iface;
    return 2;
}

static ULONG WINAPI site_Release(IActiveScriptSite *iface)
{
    (void)iface;
    return 1;
}

static HRESULT WINAPI site_GetLCID(IActiveScriptSite *iface, LCID *lcid)
{
    (void)iface; (void)lcid;
    return E_NOTIMPL; /* the engine uses the user's locale */
}

static HRESULT WINAPI site_GetItemInfo(IActiveScriptSite *iface, LPCOLESTR name, DWORD mask, IUnknown **unk,
                                       ITypeInfo **info)
{
    (void)iface;
    if (mask & SCRIPTINFO_ITYPEINFO) {
        if (!info)
            return E_POINTER;
        *info = NULL;
    }
    if (mask & SCRIPTINFO_IUNKNOWN) {
        if (!unk)
            return E_POINTER;
        *unk = NULL;
    }
    if (_wcsicmp(name, L"WScript") && _wcsicmp(name, L"WSH"))
        return TYPE_E_ELEMENTNOTFOUND;
    if (mask & SCRIPTINFO_IUNKNOWN) {
        *unk = (IUnknown *)wscript;
        IUnknown_AddRef(*unk);
    } else if (mask & SCRIPTINFO_ITYPEINFO) {
        return TYPE_E_ELEMENTNOTFOUND; /* our objects have no type information */
    }
    return S_OK;
}

static HRESULT WINAPI site_GetDocVersionString(IActiveScriptSite *iface, BSTR *version)
{
    (void)iface; (void)version;
    return E_NOTIMPL;
}

static HRESULT WINAPI site_OnScriptTerminate(IActiveScriptSite *iface, const VARIANT *result, const EXCEPINFO *ei)
{
    (void)iface; (void)result; (void)ei;
    return S_OK;
}

static HRESULT WINAPI site_OnStateChange(IActiveScriptSite *iface, SCRIPTSTATE state)
{
    (void)iface; (void)state;
    return S_OK;
}

static HRESULT WINAPI site_OnScriptError(IActiveScriptSite *iface, IActiveScriptError *error)
{
    EXCEPINFO ei;
    DWORD context = 0;
    ULONG line = 0;
    LONG column = 0;
    BOOL have_position;
    (void)iface;

    memset(&ei, 0, sizeof(ei));
    IActiveScriptError_GetExceptionInfo(error, &ei);
    if (ei.pfnDeferredFillIn)
        ei.pfnDeferredFillIn(&ei);
    have_position = SUCCEEDED(IActiveScriptError_GetSourcePosition(error, &context, &line, &column));
    report_error(&ei, line, column, have_position);
    SysFreeString(ei.bstrSource);
    SysFreeString(ei.bstrDescription);
    SysFreeString(ei.bstrHelpFile);
    /* An error inside an event handler would otherwise only end the handler
     * while the operation that raised the event goes on. The script stops,
     * as it does under Windows' cscript. */
    if (host_event_depth > 0)
        host_quit(EXIT_SCRIPT_ERROR);
    return S_OK;
}

static HRESULT WINAPI site_OnEnterScript(IActiveScriptSite *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT WINAPI site_OnLeaveScript(IActiveScriptSite *iface)
{
    (void)iface;
    return S_OK;
}

static const IActiveScriptSiteVtbl site_vtbl = {
    site_QueryInterface, site_AddRef, site_Release, site_GetLCID, site_GetItemInfo, site_GetDocVersionString,
    site_OnScriptTerminate, site_OnStateChange, site_OnScriptError, site_OnEnterScript, site_OnLeaveScript,
};
static IActiveScriptSite site = { &site_vtbl };

/* ====================================================== calling the script */

HRESULT host_call_script_function(const WCHAR *name, DISPPARAMS *params)
{
    IDispatch *global = NULL;
    IDispatchEx *global_ex = NULL;
    BSTR bname;
    DISPID id;
    VARIANT result;
    EXCEPINFO ei;
    HRESULT hr;

    if (!engine || FAILED(hr = IActiveScript_GetScriptDispatch(engine, NULL, &global)))
        return E_UNEXPECTED;
    if (!(bname = SysAllocString(name))) {
        IDispatch_Release(global);
        return E_OUTOFMEMORY;
    }
    VariantInit(&result);
    memset(&ei, 0, sizeof(ei));
    /* Wine's VBScript answers only IDispatchEx by name: try it first. */
    if (SUCCEEDED(IDispatch_QueryInterface(global, &iid_dispatch_ex, (void **)&global_ex))) {
        hr = IDispatchEx_GetDispID(global_ex, bname, case_insensitive ? fdexNameCaseInsensitive : fdexNameCaseSensitive,
                                   &id);
        if (SUCCEEDED(hr)) {
            InterlockedIncrement(&host_event_depth);
            hr = IDispatchEx_InvokeEx(global_ex, id, LOCALE_USER_DEFAULT, DISPATCH_METHOD, params, &result, &ei, NULL);
            InterlockedDecrement(&host_event_depth);
        }
        IDispatchEx_Release(global_ex);
    } else {
        LPOLESTR names[1] = { bname };
        hr = IDispatch_GetIDsOfNames(global, &IID_NULL, names, 1, LOCALE_USER_DEFAULT, &id);
        if (SUCCEEDED(hr)) {
            InterlockedIncrement(&host_event_depth);
            hr = IDispatch_Invoke(global, id, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_METHOD, params, &result, &ei,
                                  NULL);
            InterlockedDecrement(&host_event_depth);
        }
    }
    if (hr == DISP_E_UNKNOWNNAME || hr == DISP_E_MEMBERNOTFOUND) {
        hr = S_FALSE; /* the script does not handle this event */
    } else if (hr == DISP_E_EXCEPTION) {
        /* The engine did not report the handler's error itself. */
        if (ei.pfnDeferredFillIn)
            ei.pfnDeferredFillIn(&ei);
        report_error(&ei, 0, 0, FALSE);
        host_quit(EXIT_SCRIPT_ERROR);
    }
    VariantClear(&result);
    SysFreeString(ei.bstrSource);
    SysFreeString(ei.bstrDescription);
    SysFreeString(ei.bstrHelpFile);
    SysFreeString(bname);
    IDispatch_Release(global);
    return hr;
}

/* =========================================================== command line */

/* Splits a command line the way the C runtime does: blanks separate, double
 * quotes group, 2n backslashes before a quote give n, 2n+1 give n and a
 * literal quote. */
static WCHAR **split_command_line(const WCHAR *line, int *count)
{
    size_t len = wcslen(line);
    WCHAR **argv = HeapAlloc(GetProcessHeap(), 0, (len / 2 + 2) * sizeof(WCHAR *));
    WCHAR *out = HeapAlloc(GetProcessHeap(), 0, (len + 1) * sizeof(WCHAR));
    const WCHAR *p = line;
    int n = 0;
    if (!argv || !out)
        return NULL;
    for (;;) {
        BOOL quoted = FALSE;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        argv[n++] = out;
        while (*p && (quoted || (*p != ' ' && *p != '\t'))) {
            if (*p == '\\') {
                size_t slashes = 0;
                while (*p == '\\') {
                    slashes++;
                    p++;
                }
                if (*p == '"') {
                    for (size_t i = 0; i < slashes / 2; i++)
                        *out++ = '\\';
                    if (slashes % 2)
                        *out++ = *p++;
                } else {
                    for (size_t i = 0; i < slashes; i++)
                        *out++ = '\\';
                }
            } else if (*p == '"') {
                if (quoted && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else {
                    quoted = !quoted;
                    p++;
                }
            } else {
                *out++ = *p++;
            }
        }
        *out++ = 0;
    }
    argv[n] = NULL;
    *count = n;
    return argv;
}

static void usage(void)
{
    print_err(L"usage: imapi2script [//nologo] [//B] [//E:vbscript|jscript] script.vbs|script.js [arguments]\r\n"
              L"       imapi2script --version\r\n"
              L"Runs a VBScript or JScript file with the WScript object of Windows' cscript\r\n"
              L"(Echo, Quit, Sleep, CreateObject with events, ConnectObject, Arguments, StdOut...).\r\n");
}

/* Under Wine a Unix path (/home/...) names a file too. */
static BOOL resolve_script_path(const WCHAR *given, WCHAR *full, DWORD size)
{
    WCHAR *(CDECL *to_dos)(const char *) = NULL;
    HMODULE kernel = GetModuleHandleW(L"kernel32.dll");
    if (GetFileAttributesW(given) != INVALID_FILE_ATTRIBUTES)
        return GetFullPathNameW(given, size, full, NULL) - 1 < size - 1;
    if (given[0] != '/' || !kernel)
        return FALSE;
    to_dos = (void *)GetProcAddress(kernel, "wine_get_dos_file_name");
    if (to_dos) {
        int bytes = WideCharToMultiByte(CP_UTF8, 0, given, -1, NULL, 0, NULL, NULL);
        char *unix_path = bytes > 0 ? HeapAlloc(GetProcessHeap(), 0, bytes) : NULL;
        WCHAR *dos = NULL;
        BOOL ok = FALSE;
        if (unix_path) {
            WideCharToMultiByte(CP_UTF8, 0, given, -1, unix_path, bytes, NULL, NULL);
            dos = to_dos(unix_path);
            HeapFree(GetProcessHeap(), 0, unix_path);
        }
        if (dos) {
            ok = GetFileAttributesW(dos) != INVALID_FILE_ATTRIBUTES && wcslen(dos) < size;
            if (ok)
                wcscpy(full, dos);
            HeapFree(GetProcessHeap(), 0, dos);
        }
        return ok;
    }
    return FALSE;
}

/* The script's text: UTF-16 or UTF-8 with a byte-order mark, else the ANSI
 * code page, as Windows' script hosts read files. */
static WCHAR *read_script(const WCHAR *path)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD size, got = 0;
    BYTE *bytes;
    WCHAR *text = NULL;
    if (file == INVALID_HANDLE_VALUE)
        return NULL;
    size = GetFileSize(file, NULL);
    bytes = size != INVALID_FILE_SIZE ? HeapAlloc(GetProcessHeap(), 0, size + 2) : NULL;
    if (bytes && ReadFile(file, bytes, size, &got, NULL) && got == size) {
        if (size >= 2 && bytes[0] == 0xff && bytes[1] == 0xfe) {
            DWORD chars = (size - 2) / 2;
            if ((text = HeapAlloc(GetProcessHeap(), 0, (chars + 1) * sizeof(WCHAR)))) {
                memcpy(text, bytes + 2, chars * sizeof(WCHAR));
                text[chars] = 0;
            }
        } else {
            UINT cp = CP_ACP;
            const char *start = (const char *)bytes;
            int len = (int)size, chars;
            if (size >= 3 && bytes[0] == 0xef && bytes[1] == 0xbb && bytes[2] == 0xbf) {
                cp = CP_UTF8;
                start += 3;
                len -= 3;
            }
            chars = len ? MultiByteToWideChar(cp, 0, start, len, NULL, 0) : 0;
            if ((text = HeapAlloc(GetProcessHeap(), 0, (chars + 1) * sizeof(WCHAR)))) {
                if (chars)
                    MultiByteToWideChar(cp, 0, start, len, text, chars);
                text[chars] = 0;
            }
        }
    }
    HeapFree(GetProcessHeap(), 0, bytes);
    CloseHandle(file);
    return text;
}

static const WCHAR *engine_for(const WCHAR *path, const WCHAR *forced)
{
    const WCHAR *dot = wcsrchr(path, '.');
    if (forced)
        return forced;
    if (dot && !_wcsicmp(dot, L".vbs"))
        return L"VBScript";
    if (dot && !_wcsicmp(dot, L".js"))
        return L"JScript";
    return NULL;
}

/* Runs the text in the engine; 0, or EXIT_SCRIPT_ERROR. */
static int run_script(const WCHAR *engine_name, const WCHAR *text)
{
    IActiveScriptParse *parse = NULL;
    EXCEPINFO ei;
    CLSID clsid;
    HRESULT hr;
    int status = 0;

    if (FAILED(hr = CLSIDFromProgID(engine_name, &clsid)) ||
        FAILED(hr = CoCreateInstance(&clsid, NULL, CLSCTX_INPROC_SERVER, &iid_active_script, (void **)&engine))) {
        print_err(L"imapi2script: no script engine \"%ls\" (0x%08lX)\r\n", engine_name, (unsigned long)hr);
        return EXIT_SCRIPT_ERROR;
    }
    case_insensitive = !_wcsicmp(engine_name, L"VBScript");
    memset(&ei, 0, sizeof(ei));
    if (FAILED(hr = IActiveScript_SetScriptSite(engine, &site)) ||
        FAILED(hr = IActiveScript_QueryInterface(engine, &iid_active_script_parse, (void **)&parse)) ||
        FAILED(hr = parse->lpVtbl->InitNew(parse)) ||
        FAILED(hr = IActiveScript_AddNamedItem(engine, L"WScript", SCRIPTITEM_ISVISIBLE)) ||
        FAILED(hr = IActiveScript_AddNamedItem(engine, L"WSH", SCRIPTITEM_ISVISIBLE))) {
        print_err(L"imapi2script: the %ls engine failed to start (0x%08lX)\r\n", engine_name, (unsigned long)hr);
        status = EXIT_SCRIPT_ERROR;
    } else {
        int before = errors_reported;
        hr = parse->lpVtbl->ParseScriptText(parse, text, NULL, NULL, NULL, 0, 0, SCRIPTTEXT_ISVISIBLE, NULL, &ei);
        if (SUCCEEDED(hr))
            hr = IActiveScript_SetScriptState(engine, SCRIPTSTATE_STARTED);
        if (FAILED(hr) && errors_reported == before) {
            if (ei.pfnDeferredFillIn)
                ei.pfnDeferredFillIn(&ei);
            if (!ei.scode)
                ei.scode = hr;
            report_error(&ei, 0, 0, FALSE);
        }
        if (errors_reported)
            status = EXIT_SCRIPT_ERROR;
    }
    SysFreeString(ei.bstrSource);
    SysFreeString(ei.bstrDescription);
    SysFreeString(ei.bstrHelpFile);
    events_disconnect_all();
    if (parse)
        parse->lpVtbl->Release(parse);
    IActiveScript_Close(engine);
    IActiveScript_Release(engine);
    engine = NULL;
    return status;
}

int main(void)
{
    const WCHAR *forced_engine = NULL, *engine_name;
    BOOL interactive = TRUE;
    struct host_args args;
    WCHAR **argv, *text;
    int argc, i, status;

    argv = split_command_line(GetCommandLineW(), &argc);
    if (!argv)
        return EXIT_USAGE;
    if (argc == 2 && !wcscmp(argv[1], L"--version")) {
        printf("imapi2script " IMAPI2_VERSION_STRING " (imapi2-open)\n");
        return 0;
    }
    for (i = 1; i < argc && argv[i][0] == '/' && argv[i][1] == '/'; i++) {
        const WCHAR *opt = argv[i] + 2;
        if (!_wcsicmp(opt, L"nologo") || !_wcsicmp(opt, L"logo") || !_wcsicmp(opt, L"I")) {
            continue;
        } else if (!_wcsicmp(opt, L"B")) {
            interactive = FALSE;
        } else if (!_wcsnicmp(opt, L"E:", 2) && opt[2]) {
            forced_engine = opt + 2;
        } else if (!_wcsnicmp(opt, L"T:", 2)) {
            continue; /* no watchdog */
        } else {
            if (wcscmp(opt, L"?"))
                print_err(L"imapi2script: unknown host option //%ls\r\n", opt);
            usage();
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage();
        return EXIT_USAGE;
    }
    if (!resolve_script_path(argv[i], script_full_path, ARRAYSIZE(script_full_path))) {
        print_err(L"imapi2script: cannot find script file \"%ls\"\r\n", argv[i]);
        return EXIT_SCRIPT_ERROR;
    }
    if (!(engine_name = engine_for(script_full_path, forced_engine))) {
        print_err(L"imapi2script: no engine for \"%ls\": name it .vbs or .js, or give //E:vbscript or //E:jscript\r\n",
                  argv[i]);
        return EXIT_USAGE;
    }
    if (!(text = read_script(script_full_path))) {
        print_err(L"imapi2script: cannot read \"%ls\"\r\n", script_full_path);
        return EXIT_SCRIPT_ERROR;
    }
    args.count = argc - i - 1;
    args.values = argv + i + 1;

    CoInitialize(NULL); /* single-threaded: events come on this thread */
    if (FAILED(wscript_create(script_full_path, &args, interactive, &wscript))) {
        print_err(L"imapi2script: out of memory\r\n");
        return EXIT_SCRIPT_ERROR;
    }
    status = run_script(engine_name, text);
    IDispatch_Release(wscript);
    wscript = NULL;
    CoUninitialize();
    HeapFree(GetProcessHeap(), 0, text);
    return status;
}
