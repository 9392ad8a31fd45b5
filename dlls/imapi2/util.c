#include "imapi2_private.h"

BSTR bstr_from_utf8(const char *s)
{
    int len = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    BSTR out;
    if (len <= 0)
        return NULL;
    out = SysAllocStringLen(NULL, len - 1);
    if (out)
        MultiByteToWideChar(CP_UTF8, 0, s, -1, out, len);
    return out;
}

HRESULT safearray_of_i4(const LONG *values, unsigned count, SAFEARRAY **out)
{
    return safearray_of_longs(values, count, VT_I4, out);
}

HRESULT safearray_of_longs(const LONG *values, unsigned count, VARTYPE vt, SAFEARRAY **out)
{
    SAFEARRAY *sa;
    VARIANT *data;
    if (!out)
        return E_POINTER;
    *out = NULL;
    sa = SafeArrayCreateVector(VT_VARIANT, 0, count);
    if (!sa)
        return E_OUTOFMEMORY;
    if (count) {
        if (FAILED(SafeArrayAccessData(sa, (void **)&data))) {
            SafeArrayDestroy(sa);
            return E_FAIL;
        }
        for (unsigned i = 0; i < count; i++) {
            V_VT(&data[i]) = vt;
            V_I4(&data[i]) = values[i]; /* lVal and ulVal share their bytes */
        }
        SafeArrayUnaccessData(sa);
    }
    *out = sa;
    return S_OK;
}

uint64_t wall_clock_now_us(void *ctx)
{
    LARGE_INTEGER now, freq;
    (void)ctx;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&freq);
    return (uint64_t)(now.QuadPart / freq.QuadPart) * 1000000u +
           (uint64_t)(now.QuadPart % freq.QuadPart) * 1000000u / (uint64_t)freq.QuadPart;
}

int wall_clock_sleep_us(void *ctx, uint64_t us)
{
    (void)ctx;
    Sleep((DWORD)((us + 999) / 1000));
    return 0;
}

const struct io_clock imapi2_wall_clock = { wall_clock_now_us, wall_clock_sleep_us, NULL };
