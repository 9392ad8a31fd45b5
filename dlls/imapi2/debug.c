#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imapi2_private.h"

static LONG debug_level = -1;

static LONG debug_level_from_env(void)
{
    static const struct { const char *name; LONG level; } names[] = {
        { "err", DBG_ERR }, { "warn", DBG_WARN }, { "fixme", DBG_FIXME },
        { "trace", DBG_TRACE }, { "all", DBG_TRACE },
    };
    const char *v = getenv("IMAPI2_DEBUG");
    if (v)
        for (unsigned i = 0; i < ARRAYSIZE(names); i++)
            if (!_stricmp(v, names[i].name))
                return names[i].level;
    return DBG_ERR;
}

int imapi2_debug_enabled(enum imapi2_debug_level level)
{
    LONG current = debug_level;
    if (current < 0) {
        current = debug_level_from_env();
        InterlockedExchange(&debug_level, current);
    }
    return (LONG)level <= current;
}

void imapi2_debug_printf(enum imapi2_debug_level level, const char *func, const char *fmt, ...)
{
    static const char *const level_names[] = { "err", "warn", "fixme", "trace" };
    char line[1024];
    va_list ap;
    int n = snprintf(line, sizeof(line), "imapi2:%s:%s ", level_names[level], func);
    if (n < 0 || n >= (int)sizeof(line))
        return;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);
    OutputDebugStringA(line);
    fputs(line, stderr);
}

static char *debug_buffer(void)
{
    static char buffers[8][160];
    static LONG next;
    return buffers[(InterlockedIncrement(&next)) & 7];
}

const char *debugstr_guid(const GUID *guid)
{
    char *buf = debug_buffer();
    if (!guid)
        return "(null)";
    snprintf(buf, 160, "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
             (unsigned long)guid->Data1, guid->Data2, guid->Data3, guid->Data4[0], guid->Data4[1],
             guid->Data4[2], guid->Data4[3], guid->Data4[4], guid->Data4[5], guid->Data4[6],
             guid->Data4[7]);
    return buf;
}

const char *debugstr_w(const WCHAR *s)
{
    char *buf = debug_buffer();
    if (!s)
        return "(null)";
    buf[0] = '"';
    int n = WideCharToMultiByte(CP_UTF8, 0, s, -1, buf + 1, 150, NULL, NULL);
    if (n <= 0)
        n = 1;
    strcpy(buf + n, "\"");
    return buf;
}
