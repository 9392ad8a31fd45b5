/* Starting imapi2-sghelper under Wine and carrying sgio-pipe frames to it
 * over Winsock (sgpipe_win.h; the measurements behind the choice are in
 * docs/transports.md).
 *
 * Why loopback TCP: Wine 8's CreateProcessW does start a native ELF (it
 * returns TRUE with no process handle), but what the child writes to an
 * anonymous pipe given as its standard output never arrives (ReadFile
 * ends at once with ERROR_BROKEN_PIPE; a file as stdout works). Winsock
 * sockets are plain Unix sockets under Wine, so a loopback connection
 * reaches a native program unchanged. Both ends hold a random token, passed
 * in the helper's environment (not its command line, which other users can
 * read), and prove it to each other without sending it (the handshake in
 * libs/transport/sgpipe_proto.h). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "sgpipe_win.h"

#define TOKEN_ENV_NAME L"IMAPI2_SGHELPER_TOKEN"
#define DOSDEVICES_ENV_NAME L"IMAPI2_SGHELPER_DOSDEVICES"
#define HELPER_KEY L"Software\\imapi2-open"
#define HELPER_VALUE L"SgHelper"
/* Time for each read of the handshake once a connection is accepted. */
#define HANDSHAKE_TIMEOUT_MS 5000u

typedef WCHAR *(CDECL *unix_to_dos_fn)(const char *unix_path);
typedef char *(CDECL *dos_to_unix_fn)(const WCHAR *dos_path);

BOOL sgpipe_win_available(void)
{
    WCHAR path[MAX_PATH];
    return GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != NULL &&
           sgpipe_win_helper_path(path, ARRAYSIZE(path));
}

/* ------------------------------------------------------------ finding it */

/* A configured path as a DOS path: Unix paths go through Wine's kernel32. */
static BOOL configured_to_dos(const WCHAR *configured, WCHAR *out, DWORD size)
{
    if (configured[0] != '/') {
        lstrcpynW(out, configured, (int)size);
        return TRUE;
    }
    unix_to_dos_fn to_dos = (unix_to_dos_fn)(void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
                                                                    "wine_get_dos_file_name");
    char unix_path[MAX_PATH * 3];
    if (!to_dos || !WideCharToMultiByte(CP_UTF8, 0, configured, -1, unix_path, sizeof(unix_path), NULL, NULL))
        return FALSE;
    WCHAR *dos = to_dos(unix_path);
    if (!dos)
        return FALSE;
    lstrcpynW(out, dos, (int)size);
    HeapFree(GetProcessHeap(), 0, dos);
    return TRUE;
}

static BOOL configured_path(WCHAR *out, DWORD size)
{
    WCHAR value[MAX_PATH];
    DWORD bytes = sizeof(value);
    DWORD env_len = GetEnvironmentVariableW(SGPIPE_HELPER_ENV, value, ARRAYSIZE(value));
    if (env_len > 0 && env_len < ARRAYSIZE(value))
        return configured_to_dos(value, out, size);
    if (RegGetValueW(HKEY_CURRENT_USER, HELPER_KEY, HELPER_VALUE, RRF_RT_REG_SZ, NULL, value, &bytes) == ERROR_SUCCESS)
        return configured_to_dos(value, out, size);
    bytes = sizeof(value);
    if (RegGetValueW(HKEY_LOCAL_MACHINE, HELPER_KEY, HELPER_VALUE, RRF_RT_REG_SZ, NULL, value, &bytes) == ERROR_SUCCESS)
        return configured_to_dos(value, out, size);
    return FALSE;
}

/* The folder of the module this code is linked into, plus the helper's name. */
static BOOL beside_module(WCHAR *out, DWORD size)
{
    HMODULE self;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (const WCHAR *)(void *)beside_module, &self))
        return FALSE;
    DWORD len = GetModuleFileNameW(self, out, size);
    if (!len || len >= size)
        return FALSE;
    WCHAR *slash = wcsrchr(out, '\\');
    if (!slash || (size_t)(slash - out) + 1 + wcslen(SGPIPE_HELPER_NAME) >= size)
        return FALSE;
    wcscpy(slash + 1, SGPIPE_HELPER_NAME);
    return TRUE;
}

BOOL sgpipe_win_helper_path(WCHAR *out, DWORD size)
{
    if (!configured_path(out, size) && !beside_module(out, size))
        return FALSE;
    DWORD attrs = GetFileAttributesW(out);
    return attrs != INVALID_FILE_ATTRIBUTES && !(attrs & FILE_ATTRIBUTE_DIRECTORY);
}

/* ------------------------------------------------------------ Winsock io */

struct winsock_io {
    SOCKET sock;
};

static enum transport_result socket_error_result(int error)
{
    switch (error) {
    case WSAECONNRESET:
    case WSAECONNABORTED:
    case WSAENOTCONN:
    case WSAESHUTDOWN:
        return TRANSPORT_ERR_NO_DEVICE;
    case WSAETIMEDOUT:
        return TRANSPORT_ERR_TIMEOUT;
    default:
        return TRANSPORT_ERR_IO;
    }
}

/* Waits until sock is readable: TRANSPORT_OK, TIMEOUT or IO. */
static enum transport_result wait_readable(SOCKET sock, uint32_t timeout_ms)
{
    fd_set readable;
    struct timeval tv = { (long)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000 };
    FD_ZERO(&readable);
    FD_SET(sock, &readable);
    int ready = select(0, &readable, NULL, NULL, timeout_ms ? &tv : NULL);
    if (ready == 0)
        return TRANSPORT_ERR_TIMEOUT;
    return ready < 0 ? socket_error_result(WSAGetLastError()) : TRANSPORT_OK;
}

static enum transport_result winsock_read_exact(void *ctx, void *buf, size_t n, uint32_t timeout_ms)
{
    struct winsock_io *w = ctx;
    char *p = buf;
    DWORD deadline = GetTickCount() + timeout_ms;
    while (n > 0) {
        if (timeout_ms) {
            DWORD now = GetTickCount();
            DWORD left = (LONG)(deadline - now) > 0 ? deadline - now : 0;
            enum transport_result r = left ? wait_readable(w->sock, left) : TRANSPORT_ERR_TIMEOUT;
            if (r != TRANSPORT_OK)
                return r;
        }
        int chunk = n > 0x40000000 ? 0x40000000 : (int)n;
        int got = recv(w->sock, p, chunk, 0);
        if (got == 0)
            return TRANSPORT_ERR_NO_DEVICE; /* the helper closed: it is gone */
        if (got < 0)
            return socket_error_result(WSAGetLastError());
        p += got;
        n -= (size_t)got;
    }
    return TRANSPORT_OK;
}

static enum transport_result winsock_write_all(void *ctx, const void *buf, size_t n)
{
    struct winsock_io *w = ctx;
    const char *p = buf;
    while (n > 0) {
        int chunk = n > 0x40000000 ? 0x40000000 : (int)n;
        int put = send(w->sock, p, chunk, 0);
        if (put <= 0)
            return socket_error_result(WSAGetLastError());
        p += put;
        n -= (size_t)put;
    }
    return TRANSPORT_OK;
}

static void winsock_close(void *ctx)
{
    struct winsock_io *w = ctx;
    closesocket(w->sock);
    HeapFree(GetProcessHeap(), 0, w);
    WSACleanup();
}

/* ------------------------------------------------------------ starting it */

/* RtlGenRandom: advapi32's random bytes, present on Windows and Wine. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* Wine's dosdevices folder as a Unix path: the Unix name of C:\ is
 * "<prefix>/dosdevices/c:/" (the link is not resolved). The helper finds
 * drive letters there. */
BOOL sgpipe_win_dosdevices_folder(WCHAR *out, DWORD size)
{
    dos_to_unix_fn to_unix =
        (dos_to_unix_fn)(void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_unix_file_name");
    char *unix_path = to_unix ? to_unix(L"C:\\") : NULL;
    if (!unix_path)
        return FALSE;
    size_t n = strlen(unix_path);
    while (n && unix_path[n - 1] == '/')
        n--;
    while (n && unix_path[n - 1] != '/')
        n--; /* drops "c:" */
    BOOL found = n > 1;
    if (found) {
        unix_path[n - 1] = 0;
        found = MultiByteToWideChar(CP_UTF8, 0, unix_path, -1, out, (int)size) > 0;
    }
    HeapFree(GetProcessHeap(), 0, unix_path);
    return found;
}

/* This process's environment plus the helper's variables, as a
 * CREATE_UNICODE_ENVIRONMENT block. */
static WCHAR *environment_for_helper(const uint8_t token[SGPIPE_TOKEN_SIZE])
{
    WCHAR token_hex[2 * SGPIPE_TOKEN_SIZE + 1], dosdevices[MAX_PATH] = L"";
    for (int i = 0; i < SGPIPE_TOKEN_SIZE; i++)
        swprintf(token_hex + 2 * i, 3, L"%02x", token[i]);
    sgpipe_win_dosdevices_folder(dosdevices, ARRAYSIZE(dosdevices));
    WCHAR *current = GetEnvironmentStringsW();
    if (!current)
        return NULL;
    size_t len = 0;
    while (current[len])
        len += wcslen(current + len) + 1;
    size_t extra = wcslen(TOKEN_ENV_NAME L"=") + wcslen(token_hex) + 1 + wcslen(DOSDEVICES_ENV_NAME L"=") +
                   wcslen(dosdevices) + 1 + 1;
    WCHAR *block = HeapAlloc(GetProcessHeap(), 0, (len + extra) * sizeof(WCHAR));
    if (block) {
        WCHAR *p = block + len, *end = block + len + extra;
        memcpy(block, current, len * sizeof(WCHAR));
        p += swprintf(p, end - p, TOKEN_ENV_NAME L"=%ls", token_hex) + 1;
        if (dosdevices[0])
            p += swprintf(p, end - p, DOSDEVICES_ENV_NAME L"=%ls", dosdevices) + 1;
        *p = 0; /* the block ends with an empty string */
    }
    FreeEnvironmentStringsW(current);
    return block;
}

SOCKET sgpipe_win_listen(USHORT *port)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in addr = { 0 };
    int addr_len = sizeof(addr);
    if (s == INVALID_SOCKET)
        return s;
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) || listen(s, 4) ||
        getsockname(s, (struct sockaddr *)&addr, &addr_len)) {
        closesocket(s);
        return INVALID_SOCKET;
    }
    *port = ntohs(addr.sin_port);
    return s;
}

/* Under Wine the native child comes back without a process handle, so
 * there is nothing to wait on: the connection is the only sign of life. */
BOOL sgpipe_win_start_helper(USHORT port, const uint8_t token[SGPIPE_TOKEN_SIZE])
{
    WCHAR helper[MAX_PATH], command[MAX_PATH + 32];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi = { 0 };
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    if (!sgpipe_win_helper_path(helper, ARRAYSIZE(helper)))
        return FALSE;
    swprintf(command, ARRAYSIZE(command), L"\"%ls\" --port %u", helper, port);
    WCHAR *env = environment_for_helper(token);
    if (!env)
        return FALSE;
    BOOL started = CreateProcessW(helper, command, NULL, NULL, FALSE, CREATE_UNICODE_ENVIRONMENT | CREATE_NO_WINDOW,
                                  env, NULL, &si, &pi);
    HeapFree(GetProcessHeap(), 0, env);
    /* Measured: for a native child Wine leaves hProcess NULL and hThread
     * holding junk; only a real process handle makes the pair valid. */
    if (started && pi.hProcess) {
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    return started;
}

enum transport_result sgpipe_win_accept(SOCKET listener, DWORD timeout_ms, struct sgpipe_io *io)
{
    WSADATA wsa;
    enum transport_result r = wait_readable(listener, timeout_ms ? timeout_ms : 1);
    if (r != TRANSPORT_OK)
        return r;
    struct winsock_io *w = HeapAlloc(GetProcessHeap(), 0, sizeof(*w));
    if (!w)
        return TRANSPORT_ERR_NO_MEMORY;
    w->sock = accept(listener, NULL, NULL);
    if (w->sock == INVALID_SOCKET || WSAStartup(MAKEWORD(2, 2), &wsa)) {
        if (w->sock != INVALID_SOCKET)
            closesocket(w->sock);
        HeapFree(GetProcessHeap(), 0, w);
        return TRANSPORT_ERR_IO;
    }
    /* Small frames, one at a time: do not let Nagle hold them back. */
    BOOL no_delay = TRUE;
    setsockopt(w->sock, IPPROTO_TCP, TCP_NODELAY, (const char *)&no_delay, sizeof(no_delay));
    struct sgpipe_io accepted = { winsock_read_exact, winsock_write_all, winsock_close, w };
    *io = accepted;
    return TRANSPORT_OK;
}

/* Accepts connections until one proves the token (and got the DLL's own
 * proof, with a fresh nonce each) or time runs out. */
static enum transport_result accept_helper(SOCKET listener, const uint8_t token[SGPIPE_TOKEN_SIZE],
                                           struct sgpipe_io *io, DWORD *pid)
{
    DWORD deadline = GetTickCount() + SGPIPE_CONNECT_TIMEOUT_MS;
    for (;;) {
        LONG left = (LONG)(deadline - GetTickCount());
        struct sgpipe_io candidate;
        if (left <= 0)
            return TRANSPORT_ERR_NO_DEVICE;
        enum transport_result r = sgpipe_win_accept(listener, (DWORD)left, &candidate);
        if (r == TRANSPORT_ERR_TIMEOUT)
            return TRANSPORT_ERR_NO_DEVICE;
        if (r == TRANSPORT_ERR_NO_MEMORY)
            return r;
        if (r != TRANSPORT_OK)
            continue;
        uint32_t helper_pid = 0;
        uint8_t nonce[SGPIPE_NONCE_SIZE];
        if (SystemFunction036(nonce, sizeof(nonce)) &&
            sgpipe_client_handshake(&candidate, token, nonce, HANDSHAKE_TIMEOUT_MS, &helper_pid) == TRANSPORT_OK) {
            *io = candidate;
            *pid = helper_pid;
            return TRANSPORT_OK;
        }
        candidate.close(candidate.ctx);
    }
}

enum transport_result sgpipe_win_connect(struct sgpipe_io *io, DWORD *helper_pid)
{
    WSADATA wsa;
    uint8_t token[SGPIPE_TOKEN_SIZE];
    USHORT port = 0;
    memset(io, 0, sizeof(*io));
    if (!GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version"))
        return TRANSPORT_ERR_NO_DEVICE;
    if (!SystemFunction036(token, sizeof(token)) || WSAStartup(MAKEWORD(2, 2), &wsa))
        return TRANSPORT_ERR_IO;
    SOCKET listener = sgpipe_win_listen(&port);
    enum transport_result r = TRANSPORT_ERR_IO;
    if (listener != INVALID_SOCKET) {
        r = sgpipe_win_start_helper(port, token) ? accept_helper(listener, token, io, helper_pid)
                                                 : TRANSPORT_ERR_NO_DEVICE;
        closesocket(listener);
    }
    SecureZeroMemory(token, sizeof(token));
    WSACleanup(); /* the accepted connection holds its own reference */
    return r;
}

int sgpipe_win_enumerate(const char *extra_paths, uint32_t extra_len, struct sgpipe_entry *out, int max)
{
    struct sgpipe_io io;
    DWORD pid;
    if (sgpipe_win_connect(&io, &pid) != TRANSPORT_OK)
        return -1;
    int count = sgpipe_request_enumerate(&io, extra_paths, extra_len, out, max);
    io.close(io.ctx);
    return count;
}

enum transport_result sgpipe_win_open(const char *path, struct scsi_transport **out, DWORD *helper_pid)
{
    struct sgpipe_io io;
    DWORD pid = 0;
    *out = NULL;
    enum transport_result r = sgpipe_win_connect(&io, &pid);
    if (r != TRANSPORT_OK)
        return r;
    if (helper_pid)
        *helper_pid = pid;
    return sgpipe_transport_open(&io, path, out);
}
