/* Progress display: one live line on a terminal, a plain line every 10 %
 * (and at each change of action) when the output is a file or pipe, JSON
 * lines with --json. Also the IDispatch event sink the format objects call. */
#include <stdarg.h>
#include <string.h>

#include "rawburn.h"

static enum progress_mode mode;
static bool mode_known, line_open;
static int last_step = -1;
static char last_action[32];
static const char *what_now = "";

static enum progress_mode resolve_mode(void)
{
    if (!mode_known) {
        DWORD console_mode;
        mode = opt.progress;
        if (mode == PROGRESS_AUTO)
            mode = GetConsoleMode(GetStdHandle(STD_OUTPUT_HANDLE), &console_mode) ? PROGRESS_TTY : PROGRESS_PLAIN;
        mode_known = true;
    }
    return mode;
}

bool progress_is_json(void)
{
    return opt.progress == PROGRESS_JSON;
}

const char *json_quote(const char *s, char *buf, size_t size)
{
    char *q = buf;
    for (; *s && q + 7 < buf + size; s++) {
        if (*s == '"' || *s == '\\')
            *q++ = '\\';
        if ((unsigned char)*s >= 0x20)
            *q++ = *s;
    }
    *q = 0;
    return buf;
}

void json_event(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static void format_time(long s, char *out, size_t size)
{
    if (s < 0)
        snprintf(out, size, "--:--");
    else
        snprintf(out, size, "%ld:%02ld", s / 60, s % 60);
}

void progress_begin(const char *what)
{
    what_now = what;
    last_step = -1;
    last_action[0] = 0;
    if (resolve_mode() == PROGRESS_JSON)
        json_event("{\"event\":\"start\",\"what\":\"%s\"}", what);
}

static void tty_line(const struct progress_info *p)
{
    char eta[16], speed[16] = "  -  ", buf[16] = "";
    format_time(p->eta_s, eta, sizeof(eta));
    if (p->speed_x >= 0)
        snprintf(speed, sizeof(speed), "%4.1fx", p->speed_x);
    if (p->buffer_pct >= 0)
        snprintf(buf, sizeof(buf), " buf %3d%%", p->buffer_pct);
    char mib[40] = "";
    if (p->total_mib > 0)
        snprintf(mib, sizeof(mib), "%6.1f/%.1f MiB", p->done_mib, p->total_mib);
    printf("\r%-9s %3d%%  %-11s %s  %s%s  ETA %s   ", p->action, p->fraction >= 0 ? (int)(p->fraction * 100 + 0.5) : 0,
           p->where ? p->where : "", mib, speed, buf, eta);
    fflush(stdout);
    line_open = true;
}

static void plain_line(const struct progress_info *p)
{
    int step = p->fraction >= 0 ? (int)(p->fraction * 10) : 0;
    if (step == last_step && !strcmp(last_action, p->action))
        return;
    last_step = step;
    snprintf(last_action, sizeof(last_action), "%s", p->action);
    printf("%s: %d%%", p->action, p->fraction >= 0 ? (int)(p->fraction * 100 + 0.5) : 0);
    const char *sep = " (";
    if (p->where && *p->where) {
        printf("%s%s", sep, p->where);
        sep = ", ";
    }
    if (p->total_mib > 0) {
        printf("%s%.1f/%.1f MiB", sep, p->done_mib, p->total_mib);
        sep = ", ";
    }
    if (p->speed_x >= 0) {
        printf("%s%.1fx", sep, p->speed_x);
        sep = ", ";
    }
    if (p->eta_s >= 0) {
        char eta[16];
        format_time(p->eta_s, eta, sizeof(eta));
        printf("%sETA %s", sep, eta);
        sep = ", ";
    }
    printf("%s\n", strcmp(sep, " (") ? ")" : "");
    fflush(stdout);
}

static void json_line(const struct progress_info *p)
{
    json_event("{\"event\":\"progress\",\"what\":\"%s\",\"action\":\"%s\",\"percent\":%.1f,\"where\":\"%s\","
               "\"written_mib\":%.2f,\"total_mib\":%.2f,\"speed_x\":%.1f,\"buffer_percent\":%d,\"eta_s\":%ld,"
               "\"elapsed_s\":%ld}",
               what_now, p->action, p->fraction >= 0 ? p->fraction * 100 : -1.0, p->where ? p->where : "",
               p->done_mib, p->total_mib, p->speed_x, p->buffer_pct, p->eta_s, p->elapsed_s);
}

void progress_update(const struct progress_info *p)
{
    switch (resolve_mode()) {
    case PROGRESS_TTY: tty_line(p); break;
    case PROGRESS_PLAIN: plain_line(p); break;
    case PROGRESS_JSON: json_line(p); break;
    default: break;
    }
}

void progress_end(bool ok)
{
    if (line_open) {
        printf("\n");
        fflush(stdout);
        line_open = false;
    }
    if (resolve_mode() == PROGRESS_JSON)
        json_event("{\"event\":\"end\",\"what\":\"%s\",\"ok\":%s}", what_now, ok ? "true" : "false");
}

/* ------------------------------------------------------------- sink */

struct sink {
    IDispatch IDispatch_iface;
    LONG ref;
    IID events;
    sink_fn fn;
    void *ctx;
};

static inline struct sink *sink_impl(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct sink, IDispatch_iface);
}

static HRESULT WINAPI sink_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    struct sink *s = sink_impl(iface);
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) || IsEqualGUID(riid, &s->events)) {
        *out = iface;
        IDispatch_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sink_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&sink_impl(iface)->ref);
}

static ULONG WINAPI sink_Release(IDispatch *iface)
{
    struct sink *s = sink_impl(iface);
    ULONG ref = InterlockedDecrement(&s->ref);
    if (!ref)
        HeapFree(GetProcessHeap(), 0, s);
    return ref;
}

static HRESULT WINAPI sink_GetTypeInfoCount(IDispatch *iface, UINT *count)
{
    (void)iface;
    *count = 0;
    return S_OK;
}

static HRESULT WINAPI sink_GetTypeInfo(IDispatch *iface, UINT index, LCID lcid, ITypeInfo **info)
{
    (void)iface; (void)index; (void)lcid;
    *info = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI sink_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names, UINT count, LCID lcid,
                                         DISPID *ids)
{
    (void)iface; (void)riid; (void)names; (void)count; (void)lcid; (void)ids;
    return E_NOTIMPL;
}

/* Update is DISPID 0x200 on both event interfaces rawburn listens to. */
static HRESULT WINAPI sink_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags, DISPPARAMS *params,
                                  VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct sink *s = sink_impl(iface);
    (void)riid; (void)lcid; (void)flags; (void)result; (void)excep; (void)arg_err;
    if (id != 0x200 || !params)
        return DISP_E_MEMBERNOTFOUND;
    s->fn(s->ctx, params);
    return S_OK;
}

static const IDispatchVtbl sink_vtbl = {
    sink_QueryInterface, sink_AddRef, sink_Release, sink_GetTypeInfoCount,
    sink_GetTypeInfo, sink_GetIDsOfNames, sink_Invoke,
};

IDispatch *sink_create(REFIID events_iid, sink_fn fn, void *ctx)
{
    struct sink *s = HeapAlloc(GetProcessHeap(), 0, sizeof(*s));
    if (!s)
        return NULL;
    s->IDispatch_iface.lpVtbl = &sink_vtbl;
    s->ref = 1;
    s->events = *events_iid;
    s->fn = fn;
    s->ctx = ctx;
    return &s->IDispatch_iface;
}

static HRESULT find_point(IUnknown *source, REFIID events_iid, IConnectionPoint **point)
{
    IConnectionPointContainer *cpc = NULL;
    HRESULT hr = IUnknown_QueryInterface(source, &IID_IConnectionPointContainer, (void **)&cpc);
    if (FAILED(hr))
        return hr;
    hr = IConnectionPointContainer_FindConnectionPoint(cpc, events_iid, point);
    IConnectionPointContainer_Release(cpc);
    return hr;
}

HRESULT sink_advise(IUnknown *source, REFIID events_iid, IDispatch *sink, DWORD *cookie)
{
    IConnectionPoint *point = NULL;
    HRESULT hr = find_point(source, events_iid, &point);
    if (FAILED(hr))
        return hr;
    hr = IConnectionPoint_Advise(point, (IUnknown *)sink, cookie);
    IConnectionPoint_Release(point);
    return hr;
}

void sink_unadvise(IUnknown *source, REFIID events_iid, DWORD cookie)
{
    IConnectionPoint *point = NULL;
    if (cookie && SUCCEEDED(find_point(source, events_iid, &point))) {
        IConnectionPoint_Unadvise(point, cookie);
        IConnectionPoint_Release(point);
    }
}
