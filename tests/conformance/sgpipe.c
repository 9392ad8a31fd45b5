/* The sgio-pipe path end to end under Wine: this PE program -> sgpipe_win.c
 * (the DLL's code) -> loopback TCP -> the native imapi2-sghelper -> its
 * transport -> a virtual recorder ("vrec:<media>") in the helper process.
 *
 * Part 1 drives the transport directly: enumerate, INQUIRY, a command that
 * returns sense, a raw write whose sectors are read back from the media's
 * sector file, cancel, refused requests, frames the helper must refuse, and
 * the helper killed mid-session. Part 2 goes through the public COM API
 * with IMAPI2_SGHELPER_DEVICES naming the same kind of recorder.
 *
 * Wine only (the helper is a Linux program); skips on Windows. */
#define COBJMACROS
#include <winsock2.h>
#include <windows.h>

#include <initguid.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "imapi2.h"
#include "okay.h"
#include "mmc/device.h"
#include "mmc/parse.h"
#include "sgpipe_win.h"
#include "mmc/geometry.h"

#define SECTORS_WRITTEN 3

typedef char *(CDECL *dos_to_unix_fn)(const WCHAR *dos_path);

static WCHAR media_dos[MAX_PATH]; /* the media file, as Windows sees it */
static char vrec_path[SGPIPE_PATH_MAX]; /* "vrec:" + its Unix path */

static BOOL under_wine(void)
{
    return GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != NULL;
}

/* The helper the build put next to the DLL: <build>/x86_64/imapi2-sghelper,
 * one folder up from this test. */
static BOOL point_at_helper(void)
{
    WCHAR path[MAX_PATH];
    DWORD len = GetModuleFileNameW(NULL, path, ARRAYSIZE(path));
    WCHAR *slash;
    if (!len || len >= ARRAYSIZE(path) || !(slash = wcsrchr(path, '\\')))
        return FALSE;
    *slash = 0;
    if (!(slash = wcsrchr(path, '\\')))
        return FALSE;
    wcscpy(slash + 1, SGPIPE_HELPER_NAME);
    SetEnvironmentVariableW(SGPIPE_HELPER_ENV, path);
    return GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES;
}

/* A fresh media file in a private temp folder, and its "vrec:" path. */
static BOOL make_media(const WCHAR *name)
{
    WCHAR dir[MAX_PATH], sectors[MAX_PATH + 16];
    GetTempPathW(ARRAYSIZE(dir), dir);
    swprintf(media_dos, ARRAYSIZE(media_dos), L"%lsimapi2-sgpipe-%lu", dir, GetCurrentProcessId());
    CreateDirectoryW(media_dos, NULL);
    wcscat(media_dos, L"\\");
    wcscat(media_dos, name);
    swprintf(sectors, ARRAYSIZE(sectors), L"%ls.sectors", media_dos);
    DeleteFileW(media_dos);
    DeleteFileW(sectors);
    dos_to_unix_fn to_unix =
        (dos_to_unix_fn)(void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_unix_file_name");
    char *unix_path = to_unix ? to_unix(media_dos) : NULL;
    if (!unix_path)
        return FALSE;
    snprintf(vrec_path, sizeof(vrec_path), "vrec:%s", unix_path);
    HeapFree(GetProcessHeap(), 0, unix_path);
    return TRUE;
}

static void remove_media(void)
{
    WCHAR sectors[MAX_PATH + 16];
    swprintf(sectors, ARRAYSIZE(sectors), L"%ls.sectors", media_dos);
    DeleteFileW(media_dos);
    DeleteFileW(sectors);
    *wcsrchr(media_dos, '\\') = 0;
    RemoveDirectoryW(media_dos);
}

static enum transport_result run(struct scsi_transport *t, const uint8_t *cdb, uint8_t cdb_len,
                                 enum scsi_direction dir, void *buf, uint32_t len, struct scsi_request *req)
{
    memset(req, 0, sizeof(*req));
    memcpy(req->cdb, cdb, cdb_len);
    req->cdb_len = cdb_len;
    req->dir = dir;
    req->buf = buf;
    req->len = len;
    req->timeout_ms = 10000;
    return scsi_transport_execute(t, req);
}

static enum transport_result inquiry(struct scsi_transport *t, uint8_t data[36], struct scsi_request *req)
{
    static const uint8_t cdb[6] = { 0x12, 0, 0, 0, 36, 0 };
    memset(data, 0, 36);
    return run(t, cdb, sizeof(cdb), SCSI_DIR_IN, data, 36, req);
}

/* ------------------------------------------------------------ part 1 */

static void test_enumerate(void)
{
    struct sgpipe_entry entries[SGPIPE_ENUM_MAX];
    char extra[SGPIPE_PATH_MAX * 2 + 16];
    size_t n = (size_t)snprintf(extra, sizeof(extra), "%s", vrec_path) + 1;
    /* Not a device the helper serves: must be left out, not opened. */
    n += (size_t)snprintf(extra + n, sizeof(extra) - n, "/etc/passwd") + 1;
    DWORD start = GetTickCount();
    int count = sgpipe_win_enumerate(extra, (uint32_t)n, entries, SGPIPE_ENUM_MAX);
    DWORD took = GetTickCount() - start;
    ok(count >= 1, "enumerate found %d\n", count);
    /* Start, connect, prove the token, enumerate, exit: a measured figure
     * for docs/transports.md, bounded so that a stall shows. */
    ok(took < SGPIPE_CONNECT_TIMEOUT_MS, "enumerate took %lu ms\n", took);
    printf("sgpipe: one helper run (start + ENUMERATE) took %lu ms\n", took);
    int found = -1, refused = 0;
    for (int i = 0; i < count; i++) {
        if (!strcmp(entries[i].path, vrec_path))
            found = i;
        if (!strcmp(entries[i].path, "/etc/passwd"))
            refused++;
    }
    ok(found >= 0, "the virtual recorder is listed\n");
    ok(refused == 0, "a path outside /dev/sr*, /dev/sg*, vrec: is not listed\n");
    if (found < 0)
        return;
    ok(entries[found].flags == SGPIPE_ENTRY_INQUIRY_OK, "flags %#x\n", entries[found].flags);
    ok(!strncmp(entries[found].vendor, "IMAPI2", 6), "vendor [%s]\n", entries[found].vendor);
    ok(!strncmp(entries[found].product, "VIRTUAL CD-RW", 13), "product [%s]\n", entries[found].product);
    ok(entries[found].letter == 0, "no drive letter for a virtual recorder, got %#x\n", entries[found].letter);
}

static void test_open_errors(void)
{
    struct scsi_transport *t = (struct scsi_transport *)&t;
    enum transport_result r = sgpipe_win_open("/etc/passwd", &t, NULL);
    ok(r == TRANSPORT_ERR_INVALID && !t, "open /etc/passwd: %d\n", r);
    r = sgpipe_win_open("/dev/sr123", &t, NULL);
    ok(r == TRANSPORT_ERR_NO_DEVICE && !t, "open a missing /dev/sr123: %d\n", r);
    r = sgpipe_win_open("/dev/sg01", &t, NULL);
    ok(r == TRANSPORT_ERR_INVALID && !t, "open /dev/sg01 (not a kernel name): %d\n", r);
}

static void test_commands(struct scsi_transport *t)
{
    uint8_t data[36];
    struct scsi_request req;
    ok(!strcmp(t->ops->name, "sgio-pipe"), "backend %s\n", t->ops->name);
    ok(t->max_transfer == 1024 * 1024, "max_transfer %u (the virtual recorder's)\n", t->max_transfer);
    enum transport_result r = inquiry(t, data, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD && req.resid == 0, "INQUIRY: %d status %u resid %u\n", r,
       req.status, req.resid);
    ok(data[0] == 5 && !memcmp(data + 8, "IMAPI2  ", 8), "INQUIRY data: type %u vendor %.8s\n", data[0], data + 8);

    /* An opcode the drive does not know: CHECK CONDITION, 05/20/00. */
    static const uint8_t unknown[6] = { 0xFF };
    r = run(t, unknown, sizeof(unknown), SCSI_DIR_NONE, NULL, 0, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_CHECK_CONDITION, "unknown opcode: %d status %u\n", r,
       req.status);
    ok(req.sense_len >= 14 && (req.sense[2] & 0x0f) == 5 && req.sense[12] == 0x20 && req.sense[13] == 0,
       "sense %u bytes: %x/%02x/%02x\n", req.sense_len, req.sense[2] & 0x0f, req.sense[12], req.sense[13]);

    /* Refused before anything is sent. */
    r = run(t, unknown, 7, SCSI_DIR_NONE, NULL, 0, &req);
    ok(r == TRANSPORT_ERR_INVALID, "cdb_len 7: %d\n", r);
    r = run(t, data, 6, SCSI_DIR_IN, NULL, 36, &req);
    ok(r == TRANSPORT_ERR_INVALID, "IN without a buffer: %d\n", r);
    r = run(t, data, 6, SCSI_DIR_IN, data, t->max_transfer + 1, &req);
    ok(r == TRANSPORT_ERR_INVALID, "beyond max_transfer: %d\n", r);
    r = inquiry(t, data, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD, "still usable after refusals: %d\n", r);

    /* Round trip of a small command, for docs/transports.md. */
    enum { ROUNDS = 200 };
    int good = 0;
    DWORD start = GetTickCount();
    for (int i = 0; i < ROUNDS; i++)
        good += inquiry(t, data, &req) == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD;
    DWORD took = GetTickCount() - start;
    ok(good == ROUNDS, "%d of %d INQUIRYs good\n", good, ROUNDS);
    printf("sgpipe: %d INQUIRY round trips in %lu ms\n", ROUNDS, took);
}

static void fill_pattern(uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(i * 7 + i / CD_SECTOR_RAW_PW);
}

/* Raw DAO from the lead-in start, then the sectors read back from the
 * media's sector file once the helper has closed the drive. */
static void test_write(struct scsi_transport *t)
{
    uint8_t page[8 + 52] = { 0 };
    static uint8_t sectors[SECTORS_WRITTEN * CD_SECTOR_RAW_PW], back[SECTORS_WRITTEN * CD_SECTOR_RAW_PW];
    struct scsi_request req;
    uint8_t select[10] = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, sizeof(page), 0 };
    page[8] = 0x05;  /* write parameters page */
    page[9] = 0x32;
    page[10] = 3;    /* write type RAW */
    page[12] = 3;    /* raw 2352 + raw P-W 96 */
    enum transport_result r = run(t, select, sizeof(select), SCSI_DIR_OUT, page, sizeof(page), &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD, "MODE SELECT: %d status %u sense %x/%02x\n", r,
       req.status, req.sense[2] & 0x0f, req.sense[12]);
    fill_pattern(sectors, sizeof(sectors));
    uint32_t lba = (uint32_t)CD_TYPICAL_LEADIN_LBA;
    uint8_t write10[10] = { 0x2A, 0, (uint8_t)(lba >> 24), (uint8_t)(lba >> 16), (uint8_t)(lba >> 8), (uint8_t)lba,
                            0, 0, SECTORS_WRITTEN, 0 };
    r = run(t, write10, sizeof(write10), SCSI_DIR_OUT, sectors, sizeof(sectors), &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD && req.resid == 0,
       "WRITE(10) of %d raw sectors: %d status %u sense %x/%02x resid %u\n", SECTORS_WRITTEN, r, req.status,
       req.sense[2] & 0x0f, req.sense[12], req.resid);
    /* Large WRITEs at the following addresses: throughput of the path. */
    enum { BIG_SECTORS = 400, BIG_WRITES = 10 };
    uint8_t *big = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, BIG_SECTORS * CD_SECTOR_RAW_PW);
    int big_good = 0;
    DWORD start = GetTickCount();
    for (int i = 0; big && i < BIG_WRITES; i++) {
        uint32_t at = (uint32_t)(CD_TYPICAL_LEADIN_LBA + SECTORS_WRITTEN + i * BIG_SECTORS);
        uint8_t cdb[10] = { 0x2A, 0, (uint8_t)(at >> 24), (uint8_t)(at >> 16), (uint8_t)(at >> 8), (uint8_t)at,
                            0, BIG_SECTORS >> 8, BIG_SECTORS & 0xff, 0 };
        big_good += run(t, cdb, sizeof(cdb), SCSI_DIR_OUT, big, BIG_SECTORS * CD_SECTOR_RAW_PW, &req) == TRANSPORT_OK &&
                    req.status == SCSI_STATUS_GOOD;
    }
    DWORD took = GetTickCount() - start;
    ok(big_good == BIG_WRITES, "%d of %d WRITEs of %u bytes good\n", big_good, BIG_WRITES, BIG_SECTORS * CD_SECTOR_RAW_PW);
    printf("sgpipe: %d WRITEs of %u bytes in %lu ms\n", BIG_WRITES, BIG_SECTORS * CD_SECTOR_RAW_PW, took);
    HeapFree(GetProcessHeap(), 0, big);
    /* A second write at the first address is a rewrite: 05/21/02. */
    r = run(t, write10, sizeof(write10), SCSI_DIR_OUT, sectors, sizeof(sectors), &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_CHECK_CONDITION && req.sense[12] == 0x21 && req.sense[13] == 2,
       "rewrite: %d status %u sense %02x/%02x\n", r, req.status, req.sense[12], req.sense[13]);
    scsi_transport_close(t);

    WCHAR path[MAX_PATH + 16];
    DWORD got = 0;
    swprintf(path, ARRAYSIZE(path), L"%ls.sectors", media_dos);
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, 0, NULL);
    ok(f != INVALID_HANDLE_VALUE, "sector file %ls: %lu\n", path, GetLastError());
    if (f == INVALID_HANDLE_VALUE)
        return;
    ReadFile(f, back, sizeof(back), &got, NULL);
    CloseHandle(f);
    ok(got == sizeof(back) && !memcmp(back, sectors, sizeof(back)), "read back %lu bytes, %s\n", got,
       memcmp(back, sectors, sizeof(back)) ? "different" : "same");
}

static void test_cancel(struct scsi_transport *t)
{
    uint8_t data[36];
    struct scsi_request req;
    scsi_transport_cancel(t);
    enum transport_result r = inquiry(t, data, &req);
    ok(r == TRANSPORT_ERR_CANCELLED, "after cancel: %d\n", r);
    r = inquiry(t, data, &req);
    ok(r == TRANSPORT_ERR_CANCELLED, "cancel is sticky: %d\n", r);
    scsi_transport_reset_cancel(t);
    r = inquiry(t, data, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD, "after reset_cancel: %d\n", r);
}

static uint64_t clock_now_us(void *ctx)
{
    (void)ctx;
    return GetTickCount64() * 1000;
}

static int clock_sleep_us(void *ctx, uint64_t us)
{
    (void)ctx;
    Sleep((DWORD)(us / 1000));
    return 0;
}

/* Starts a native program the way the DLL starts the helper. There is no
 * handle to wait on (see docs/transports.md): callers wait for its effect. */
static BOOL run_native(const WCHAR *program, WCHAR *command)
{
    STARTUPINFOW si;
    PROCESS_INFORMATION pi = { 0 };
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    if (!CreateProcessW(program, command, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return FALSE;
    if (pi.hProcess) { /* never for a native program (hThread is junk then) */
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    return TRUE;
}

/* Ends the helper from outside, as a crash or an OOM kill would. */
static BOOL kill_helper(DWORD pid)
{
    WCHAR command[64];
    swprintf(command, ARRAYSIZE(command), L"Z:\\bin\\kill -9 %lu", pid);
    if (!run_native(L"Z:\\bin\\kill", command))
        return FALSE;
    Sleep(500);
    return TRUE;
}

/* The helper's initial environment, from Linux's /proc (Z: is /). */
static DWORD read_helper_environment(DWORD pid, char *out, DWORD size)
{
    WCHAR path[64];
    DWORD total = 0, got;
    swprintf(path, ARRAYSIZE(path), L"Z:\\proc\\%lu\\environ", pid);
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return 0;
    while (total < size - 1 && ReadFile(f, out + total, size - 1 - total, &got, NULL) && got)
        total += got;
    CloseHandle(f);
    out[total] = 0;
    return total;
}

static BOOL environment_has(const char *env, DWORD len, const char *entry)
{
    for (DWORD at = 0; at < len; at += (DWORD)strlen(env + at) + 1)
        if (!strcmp(env + at, entry))
            return TRUE;
    return FALSE;
}

/* What the DLL puts in the helper's environment arrives there. */
static void test_helper_environment(DWORD pid)
{
    static char env[65536];
    char want[MAX_PATH * 3 + 40];
    WCHAR dosdevices[MAX_PATH];
    DWORD len = read_helper_environment(pid, env, sizeof(env));
    ok(len > 0, "read /proc/%lu/environ\n", pid);
    if (!len || !sgpipe_win_dosdevices_folder(dosdevices, ARRAYSIZE(dosdevices)))
        return;
    int n = snprintf(want, sizeof(want), "IMAPI2_SGHELPER_DOSDEVICES=");
    WideCharToMultiByte(CP_UTF8, 0, dosdevices, -1, want + n, (int)sizeof(want) - n, NULL, NULL);
    ok(environment_has(env, len, want), "helper got %s\n", want);
    const char *token = NULL;
    for (DWORD at = 0; at < len; at += (DWORD)strlen(env + at) + 1)
        if (!strncmp(env + at, "IMAPI2_SGHELPER_TOKEN=", 22))
            token = env + at + 22;
    ok(token && strlen(token) == 2 * SGPIPE_TOKEN_SIZE && strspn(token, "0123456789abcdef") == 2 * SGPIPE_TOKEN_SIZE,
       "token of 32 hex digits in the environment: %s\n", token ? token : "(none)");
}

static void test_helper_killed(void)
{
    struct scsi_transport *t;
    struct mmc_device dev;
    struct mmc_inquiry inq;
    uint8_t data[36];
    struct scsi_request req;
    DWORD pid = 0;
    enum transport_result r = sgpipe_win_open(vrec_path, &t, &pid);
    ok(r == TRANSPORT_OK && pid > 1, "open: %d, helper pid %lu\n", r, pid);
    if (r != TRANSPORT_OK)
        return;
    mmc_device_init(&dev, t);
    dev.clock.now_us = clock_now_us;
    dev.clock.sleep_us = clock_sleep_us;
    int32_t hr = mmc_query_inquiry(&dev, &inq);
    ok(hr == S_OK && !strcmp(inq.vendor, "IMAPI2"), "INQUIRY through mmc: %#x %s\n", (unsigned)hr, inq.vendor);
    test_helper_environment(pid);
    ok(kill_helper(pid), "kill -9 %lu started: %lu\n", pid, GetLastError());
    DWORD start = GetTickCount();
    r = inquiry(t, data, &req);
    ok(r == TRANSPORT_ERR_NO_DEVICE || r == TRANSPORT_ERR_IO, "first command after the kill: %d\n", r);
    r = inquiry(t, data, &req);
    ok(r == TRANSPORT_ERR_NO_DEVICE, "later commands: %d\n", r);
    hr = mmc_query_inquiry(&dev, &inq);
    ok(FAILED(hr), "INQUIRY through mmc now fails: %#x\n", (unsigned)hr);
    ok(GetTickCount() - start < 5000, "no hang: %lu ms\n", GetTickCount() - start);
    scsi_transport_close(t);
}

/* Frames written by hand: the helper must answer bad fields with INVALID
 * and keep the connection, and drop it on a frame it cannot follow. */
static enum transport_result exchange(struct sgpipe_io *io, struct sgpipe_request *req, const void *payload,
                                      struct sgpipe_reply *rep, enum sgpipe_frame *frame)
{
    uint8_t header[SGPIPE_REPLY_SIZE];
    sgpipe_encode_request(req, header);
    enum transport_result r = io->write_all(io->ctx, header, SGPIPE_REQUEST_SIZE);
    if (r == TRANSPORT_OK && req->payload_len)
        r = io->write_all(io->ctx, payload, req->payload_len);
    if (r == TRANSPORT_OK)
        r = io->read_exact(io->ctx, header, SGPIPE_REPLY_SIZE, 5000);
    if (r == TRANSPORT_OK)
        *frame = sgpipe_decode_reply(header, req, rep);
    return r;
}

static void test_bad_frames(void)
{
    struct sgpipe_io io;
    struct sgpipe_reply rep;
    enum sgpipe_frame frame = SGPIPE_FRAME_BROKEN;
    DWORD pid;
    uint8_t junk[SGPIPE_REQUEST_SIZE];
    enum transport_result r = sgpipe_win_connect(&io, &pid);
    ok(r == TRANSPORT_OK, "connect: %d\n", r);
    if (r != TRANSPORT_OK)
        return;
    struct sgpipe_request bad_cdb = { .seq = 7, .op = SGPIPE_OP_EXECUTE, .cdb_len = 7 };
    r = exchange(&io, &bad_cdb, NULL, &rep, &frame);
    ok(r == TRANSPORT_OK && frame == SGPIPE_FRAME_OK && rep.result == TRANSPORT_ERR_INVALID,
       "cdb_len 7: %d frame %d result %u\n", r, frame, rep.result);
    struct sgpipe_request bad_dir = { .seq = 8, .op = SGPIPE_OP_EXECUTE, .cdb_len = 6, .dir = 3, .len = 4 };
    r = exchange(&io, &bad_dir, NULL, &rep, &frame);
    ok(r == TRANSPORT_OK && rep.result == TRANSPORT_ERR_INVALID, "dir 3: %d result %u\n", r, rep.result);
    struct sgpipe_request hello = { .seq = 9, .op = SGPIPE_OP_HELLO, .payload_len = SGPIPE_HELLO_SIZE };
    r = exchange(&io, &hello, junk, &rep, &frame);
    ok(r == TRANSPORT_OK && rep.result == TRANSPORT_ERR_INVALID, "HELLO to the helper: %d result %u\n", r,
       rep.result);
    uint8_t auth[SGPIPE_AUTH_SIZE] = { 0 };
    struct sgpipe_request again = { .seq = 10, .op = SGPIPE_OP_AUTH, .payload_len = SGPIPE_AUTH_SIZE };
    r = exchange(&io, &again, auth, &rep, &frame);
    ok(r == TRANSPORT_OK && rep.result == TRANSPORT_ERR_INVALID, "AUTH after the handshake: %d result %u\n", r,
       rep.result);
    struct sgpipe_request open_bad = { .seq = 10, .op = SGPIPE_OP_OPEN, .payload_len = 11 };
    r = exchange(&io, &open_bad, "/etc/shadow", &rep, &frame);
    ok(r == TRANSPORT_OK && rep.result == TRANSPORT_ERR_INVALID, "OPEN /etc/shadow: %d result %u\n", r, rep.result);
    struct sgpipe_request tur = { .seq = 11, .op = SGPIPE_OP_EXECUTE, .cdb_len = 6 };
    r = exchange(&io, &tur, NULL, &rep, &frame);
    ok(r == TRANSPORT_OK && rep.result == TRANSPORT_ERR_NO_DEVICE, "EXECUTE with nothing open: %d result %u\n", r,
       rep.result);
    /* Wrong magic: the helper hangs up (and exits). */
    memset(junk, 0x5a, sizeof(junk));
    io.write_all(io.ctx, junk, sizeof(junk));
    r = io.read_exact(io.ctx, junk, 1, 5000);
    ok(r == TRANSPORT_ERR_NO_DEVICE, "after a frame with a bad magic: %d\n", r);
    io.close(io.ctx);
}

/* Whether a Linux process has ended: /proc/<pid> gone, or a zombie. */
static BOOL process_ended(DWORD pid)
{
    char stat[256];
    WCHAR path[64];
    DWORD got = 0;
    swprintf(path, ARRAYSIZE(path), L"Z:\\proc\\%lu\\stat", pid);
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE)
        return TRUE;
    ReadFile(f, stat, sizeof(stat) - 1, &got, NULL);
    CloseHandle(f);
    stat[got] = 0;
    const char *paren = strrchr(stat, ')');
    return paren && paren[1] == ' ' && paren[2] == 'Z';
}

/* Issue 17: a helper that connects to a port a stranger listens on (its
 * DLL gave up, someone else bound the port). The stranger does not hold
 * the token. Whatever it sends instead of a good AUTH, the real helper
 * hangs up and exits, having done nothing: the OPEN of a vrec: path would
 * have created the media file. A stranger that says nothing is left after
 * SGPIPE_AUTH_TIMEOUT_MS. */
static void test_stranger(void)
{
    static const struct {
        const char *what;
        int mode; /* 0: OPEN without a handshake, 1: AUTH proved with another token, 2: silence */
        DWORD at_least_ms, at_most_ms;
    } cases[] = {
        { "OPEN instead of AUTH", 0, 0, 2000 },
        { "AUTH with another token's proof", 1, 0, 2000 },
        { "says nothing", 2, SGPIPE_AUTH_TIMEOUT_MS - 500, SGPIPE_AUTH_TIMEOUT_MS + 3000 },
    };
    uint8_t token[SGPIPE_TOKEN_SIZE], other[SGPIPE_TOKEN_SIZE];
    WSADATA wsa;
    USHORT port = 0;
    for (int i = 0; i < SGPIPE_TOKEN_SIZE; i++)
        token[i] = (uint8_t)(GetTickCount() * 31 + i * 7), other[i] = (uint8_t)~token[i];
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) {
        ok(0, "WSAStartup\n");
        return;
    }
    SOCKET listener = sgpipe_win_listen(&port);
    ok(listener != INVALID_SOCKET, "listening on %u\n", port);
    for (size_t c = 0; listener != INVALID_SOCKET && c < ARRAYSIZE(cases); c++) {
        struct sgpipe_io io;
        uint8_t header[SGPIPE_REPLY_SIZE], hello[SGPIPE_HELLO_SIZE], frame[SGPIPE_REQUEST_SIZE + SGPIPE_AUTH_SIZE];
        struct sgpipe_request req;
        ok(sgpipe_win_start_helper(port, token), "%s: helper started\n", cases[c].what);
        enum transport_result r = sgpipe_win_accept(listener, SGPIPE_CONNECT_TIMEOUT_MS, &io);
        ok(r == TRANSPORT_OK, "%s: helper connected: %d\n", cases[c].what, r);
        if (r != TRANSPORT_OK)
            continue;
        r = io.read_exact(io.ctx, header, SGPIPE_REQUEST_SIZE, 5000);
        if (r == TRANSPORT_OK)
            r = sgpipe_decode_request(header, &req) == SGPIPE_FRAME_OK && req.op == SGPIPE_OP_HELLO
                    ? io.read_exact(io.ctx, hello, sizeof(hello), 5000)
                    : TRANSPORT_ERR_INVALID;
        ok(r == TRANSPORT_OK, "%s: HELLO (nonce, pid): %d\n", cases[c].what, r);
        if (r != TRANSPORT_OK) {
            io.close(io.ctx);
            continue;
        }
        DWORD pid = sgpipe_get_u32(hello + SGPIPE_NONCE_SIZE);
        size_t path_len = strlen(vrec_path);
        struct sgpipe_request open_req = { .seq = 1, .op = SGPIPE_OP_OPEN, .payload_len = (uint32_t)path_len };
        struct sgpipe_request auth_req = { .seq = 1, .op = SGPIPE_OP_AUTH, .payload_len = SGPIPE_AUTH_SIZE };
        uint8_t *payload = frame + SGPIPE_REQUEST_SIZE;
        memset(payload, 0x42, SGPIPE_NONCE_SIZE);
        sgpipe_proof(other, SGPIPE_PROVER_DLL, hello, payload, pid, payload + SGPIPE_NONCE_SIZE);
        if (cases[c].mode == 0) {
            sgpipe_encode_request(&open_req, frame);
            io.write_all(io.ctx, frame, SGPIPE_REQUEST_SIZE);
            io.write_all(io.ctx, vrec_path, path_len);
        } else if (cases[c].mode == 1) {
            sgpipe_encode_request(&auth_req, frame);
            io.write_all(io.ctx, frame, sizeof(frame));
        }
        DWORD start = GetTickCount();
        r = io.read_exact(io.ctx, header, 1, SGPIPE_AUTH_TIMEOUT_MS + 5000);
        DWORD took = GetTickCount() - start;
        ok(r == TRANSPORT_ERR_NO_DEVICE, "%s: the helper hung up: %d\n", cases[c].what, r);
        ok(took >= cases[c].at_least_ms && took <= cases[c].at_most_ms, "%s: after %lu ms\n", cases[c].what, took);
        io.close(io.ctx);
        BOOL ended = FALSE;
        for (int tries = 0; tries < 20 && !(ended = process_ended(pid)); tries++)
            Sleep(50);
        ok(ended, "%s: helper %lu exited\n", cases[c].what, pid);
        ok(GetFileAttributesW(media_dos) == INVALID_FILE_ATTRIBUTES, "%s: no media file was created\n",
           cases[c].what);
    }
    if (listener != INVALID_SOCKET)
        closesocket(listener);
    WSACleanup();
}

/* Issue 17 too: a media path that is a FIFO must not block the helper's
 * own open (libs/vrec opens with O_NONBLOCK and refuses what fstat does
 * not call a regular file). Made with a native mkfifo(1), started the way
 * the DLL starts the helper. */
static void test_fifo(void)
{
    WCHAR command[MAX_PATH * 3];
    struct scsi_transport *t = NULL;
    struct sgpipe_entry entries[4];
    swprintf(command, ARRAYSIZE(command), L"Z:\\usr\\bin\\mkfifo %hs", vrec_path + 5);
    if (!run_native(L"Z:\\usr\\bin\\mkfifo", command)) {
        skip("no mkfifo: %lu\n", GetLastError());
        return;
    }
    /* Wine's GetFileAttributesW fails on a FIFO; the directory lists it. */
    WIN32_FIND_DATAW found;
    HANDLE find = INVALID_HANDLE_VALUE;
    for (int tries = 0; tries < 40 && (find = FindFirstFileW(media_dos, &found)) == INVALID_HANDLE_VALUE; tries++)
        Sleep(50);
    ok(find != INVALID_HANDLE_VALUE, "FIFO %s made\n", vrec_path + 5);
    if (find != INVALID_HANDLE_VALUE)
        FindClose(find);
    DWORD start = GetTickCount();
    enum transport_result r = sgpipe_win_open(vrec_path, &t, NULL);
    DWORD took = GetTickCount() - start;
    ok(r == TRANSPORT_ERR_NO_DEVICE && !t, "open of a FIFO media path refused: %d\n", r);
    ok(took < 3000, "at once: %lu ms\n", took);
    if (t)
        scsi_transport_close(t);
    start = GetTickCount();
    int count = sgpipe_win_enumerate(vrec_path, (uint32_t)strlen(vrec_path) + 1, entries, ARRAYSIZE(entries));
    took = GetTickCount() - start;
    ok(count == 1 && !strcmp(entries[0].path, vrec_path) && !(entries[0].flags & SGPIPE_ENTRY_INQUIRY_OK),
       "enumerate lists it without INQUIRY: %d\n", count);
    ok(took < 3000, "at once: %lu ms\n", took);
    /* Wine's DeleteFileW does not remove a FIFO either. */
    swprintf(command, ARRAYSIZE(command), L"Z:\\bin\\rm -f %hs", vrec_path + 5);
    run_native(L"Z:\\bin\\rm", command);
    for (int tries = 0; tries < 40 && (find = FindFirstFileW(media_dos, &found)) != INVALID_HANDLE_VALUE; tries++) {
        FindClose(find);
        Sleep(50);
    }
}

/* No helper where the configuration points: the path is off, quickly. */
static void test_no_helper(void)
{
    WCHAR saved[MAX_PATH];
    struct scsi_transport *t = (struct scsi_transport *)&t;
    GetEnvironmentVariableW(SGPIPE_HELPER_ENV, saved, ARRAYSIZE(saved));
    SetEnvironmentVariableW(SGPIPE_HELPER_ENV, L"/nonexistent/imapi2-sghelper");
    ok(!sgpipe_win_available(), "not available without the helper\n");
    DWORD start = GetTickCount();
    enum transport_result r = sgpipe_win_open(vrec_path, &t, NULL);
    ok(r == TRANSPORT_ERR_NO_DEVICE && !t, "open without the helper: %d\n", r);
    ok(GetTickCount() - start < 1000, "and at once: %lu ms\n", GetTickCount() - start);
    SetEnvironmentVariableW(SGPIPE_HELPER_ENV, saved);
}

static void test_transport(void)
{
    struct scsi_transport *t;
    test_no_helper();
    test_enumerate();
    test_open_errors();
    enum transport_result r = sgpipe_win_open(vrec_path, &t, NULL);
    ok(r == TRANSPORT_OK, "open %s: %d\n", vrec_path, r);
    if (r == TRANSPORT_OK) {
        test_commands(t);
        test_cancel(t);
        test_write(t); /* closes t */
    }
    test_bad_frames();
    test_helper_killed();
}

/* ------------------------------------------------------------ part 2 */

static BSTR find_helper_recorder(IDiscMaster2 *dm)
{
    LONG count = 0;
    ok(IDiscMaster2_get_Count(dm, &count) == S_OK, "Count\n");
    for (LONG i = 0; i < count; i++) {
        BSTR id = NULL;
        if (IDiscMaster2_get_Item(dm, i, &id) == S_OK && wcsstr(id, L"imapi2&vrec_sgpipe.media"))
            return id;
        SysFreeString(id);
    }
    return NULL;
}

static void test_com(void)
{
    IDiscMaster2 *dm;
    IDiscRecorder2 *rec = NULL;
    WCHAR devices[SGPIPE_PATH_MAX];
    BSTR id, s = NULL;
    MultiByteToWideChar(CP_UTF8, 0, vrec_path, -1, devices, ARRAYSIZE(devices));
    SetEnvironmentVariableW(SGPIPE_DEVICES_ENV, devices);
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscMaster2, (void **)&dm);
    ok(hr == S_OK, "MsftDiscMaster2: %#lx\n", hr);
    if (FAILED(hr))
        return;
    id = find_helper_recorder(dm);
    ok(id != NULL, "IDiscMaster2 lists the helper's recorder\n");
    if (id)
        ok(!wcscmp(id, L"\\\\?\\scsi#cdrom&ven_imapi2&prod_virtual_cd-rw&rev_1.0#imapi2&vrec_sgpipe.media#"
                       L"{53f56308-b6bf-11d0-94f2-00a0c91efb8b}"),
           "unique id %ls\n", id);
    hr = CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2, (void **)&rec);
    ok(hr == S_OK, "MsftDiscRecorder2: %#lx\n", hr);
    if (SUCCEEDED(hr) && id) {
        hr = IDiscRecorder2_InitializeDiscRecorder(rec, id);
        ok(hr == S_OK, "InitializeDiscRecorder: %#lx\n", hr);
        hr = IDiscRecorder2_get_VendorId(rec, &s);
        ok(hr == S_OK && s && !wcscmp(s, L"IMAPI2"), "VendorId %#lx %ls\n", hr, s);
        SysFreeString(s);
        hr = IDiscRecorder2_get_ProductId(rec, &s);
        ok(hr == S_OK && s && !wcscmp(s, L"VIRTUAL CD-RW"), "ProductId %#lx %ls\n", hr, s);
        SysFreeString(s);
        s = NULL;
        hr = IDiscRecorder2_get_ActiveDiscRecorder(rec, &s);
        ok(hr == S_OK && s && !wcscmp(s, id), "ActiveDiscRecorder %#lx %ls\n", hr, s);
        SysFreeString(s);
    }
    if (rec)
        IDiscRecorder2_Release(rec);
    SysFreeString(id);
    /* Without the variable (and with real drives hidden) it is gone. */
    SetEnvironmentVariableW(SGPIPE_DEVICES_ENV, NULL);
    id = find_helper_recorder(dm);
    ok(id == NULL, "not listed once IMAPI2_SGHELPER_DEVICES is unset\n");
    SysFreeString(id);
    IDiscMaster2_Release(dm);
}

int main(void)
{
    if (!under_wine()) {
        skip("imapi2-sghelper is a Linux program: Wine only\n");
        return okay_summary("sgpipe");
    }
    if (!point_at_helper()) {
        skip("no imapi2-sghelper next to the DLL (make sghelper)\n");
        return okay_summary("sgpipe");
    }
    ok(sgpipe_win_available(), "sgpipe_win_available\n");
    WCHAR dosdevices[MAX_PATH] = L"";
    BOOL have = sgpipe_win_dosdevices_folder(dosdevices, ARRAYSIZE(dosdevices));
    size_t dd_len = wcslen(dosdevices);
    ok(have && dosdevices[0] == '/' && dd_len > 11 && !wcscmp(dosdevices + dd_len - 11, L"/dosdevices"),
       "dosdevices folder %ls\n", dosdevices);
    if (!make_media(L"sgpipe.media")) {
        ok(0, "no Unix path for the media file\n");
        return okay_summary("sgpipe");
    }
    test_transport();
    make_media(L"stranger.media");
    test_stranger();
    remove_media();
    make_media(L"fifo.media");
    test_fifo();
    remove_media();
    make_media(L"sgpipe.media");
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_com();
    CoUninitialize();
    remove_media();
    return okay_summary("sgpipe");
}
