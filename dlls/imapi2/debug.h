/* Debug output with levels, switched at run time by IMAPI2_DEBUG
 * ("err" default; "warn", "fixme", "trace" or "all"). Goes to stderr and to
 * the debugger (OutputDebugString). */
#ifndef IMAPI2_DEBUG_H
#define IMAPI2_DEBUG_H

enum imapi2_debug_level { DBG_ERR = 0, DBG_WARN = 1, DBG_FIXME = 2, DBG_TRACE = 3 };

int imapi2_debug_enabled(enum imapi2_debug_level level);
void imapi2_debug_printf(enum imapi2_debug_level level, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Readable GUID and wide string for debug lines (rotating static buffers). */
const char *debugstr_guid(const GUID *guid);
const char *debugstr_w(const WCHAR *s);

#define IMAPI2_DBG(level, ...) \
    do { if (imapi2_debug_enabled(level)) imapi2_debug_printf(level, __func__, __VA_ARGS__); } while (0)
#define TRACE(...) IMAPI2_DBG(DBG_TRACE, __VA_ARGS__)
#define FIXME(...) IMAPI2_DBG(DBG_FIXME, __VA_ARGS__)
#define WARN(...) IMAPI2_DBG(DBG_WARN, __VA_ARGS__)
#define ERR(...) IMAPI2_DBG(DBG_ERR, __VA_ARGS__)

#endif
