/* Text to the console or, redirected, in the OEM code page as cscript
 * writes it; lines end in CRLF. */
#include <wchar.h>
#include "host.h"

void host_write(HANDLE handle, const WCHAR *text, size_t len)
{
    DWORD mode, done;
    char stack_buf[1024], *buf = stack_buf;
    int bytes;

    if (!len || handle == INVALID_HANDLE_VALUE || !handle)
        return;
    if (GetConsoleMode(handle, &mode)) {
        WriteConsoleW(handle, text, (DWORD)len, &done, NULL);
        return;
    }
    bytes = WideCharToMultiByte(CP_OEMCP, 0, text, (int)len, NULL, 0, NULL, NULL);
    if (bytes <= 0)
        return;
    if ((size_t)bytes > sizeof(stack_buf) && !(buf = HeapAlloc(GetProcessHeap(), 0, bytes)))
        return;
    WideCharToMultiByte(CP_OEMCP, 0, text, (int)len, buf, bytes, NULL, NULL);
    WriteFile(handle, buf, (DWORD)bytes, &done, NULL);
    if (buf != stack_buf)
        HeapFree(GetProcessHeap(), 0, buf);
}

void host_write_line(HANDLE handle, const WCHAR *text)
{
    host_write(handle, text, wcslen(text));
    host_write(handle, L"\r\n", 2);
}
