/* The COM path under Wine: the 80-minute raw audio image (generated on the
 * fly behind an IStream) burnt with IDiscFormat2RawCD::WriteMedia onto an
 * unthrottled virtual recorder whose media file is in the build tree.
 * Prints, as "name: value" lines:
 *  - throughput as a ratio to a plain copy of the same bytes from one file
 *    to another in the same folder (ReadFile/WriteFile, 64 KiB at a time),
 *    measured in this program;
 *  - cancel latency: CancelWrite from the Update handler at about half way,
 *    the Update events after it, the sectors the drive took after it and
 *    the milliseconds until WriteMedia returned.
 * Exits non-zero only when something fails to run.
 * Usage: bench_com_burn.exe <work folder, Windows path> */
#define COBJMACROS
#define CONST_VTABLE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "mmc/rawimage.h"

#define RECORDER L"imapi2-bench"
#define RECORDERS_KEY L"Software\\imapi2-open\\VirtualRecorders"
#define CHUNK (64u * 1024u)
#define TRACK_SECTORS 359849u /* 80 minutes: the lead-out at cdr80's last possible start */
#define SHORT_TRACK_SECTORS 27000u /* 6 minutes: the burns at 52x in real time */
#define RUNS_52X 2
#define MB 1e6
#define RUNS 2 /* throughput burns; each figure is the best run of its side */

static WCHAR work_dir[MAX_PATH];

static void die(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "bench error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    fflush(stderr);
    ExitProcess(1);
}

static void figure(const char *name, const char *fmt, ...)
{
    va_list ap;
    printf("%s: ", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static double seconds(void)
{
    LARGE_INTEGER now, freq;
    QueryPerformanceCounter(&now);
    QueryPerformanceFrequency(&freq);
    return (double)now.QuadPart / (double)freq.QuadPart;
}

/* Wall-clock and CPU (user + kernel, all threads) seconds. */
struct cost {
    double wall, cpu;
};

static struct cost mark(void)
{
    FILETIME created, exited, kernel, user;
    struct cost c = { seconds(), 0 };
    if (GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        c.cpu = ((((ULONGLONG)kernel.dwHighDateTime << 32) | kernel.dwLowDateTime) +
                 (((ULONGLONG)user.dwHighDateTime << 32) | user.dwLowDateTime)) / 1e7;
    return c;
}

static struct cost cost_best(struct cost a, struct cost b)
{
    return (struct cost){ a.wall < b.wall ? a.wall : b.wall, a.cpu < b.cpu ? a.cpu : b.cpu };
}

static struct cost since(struct cost start)
{
    struct cost now = mark();
    return (struct cost){ now.wall - start.wall, now.cpu - start.cpu };
}

static void work_path(WCHAR *out, size_t n, const WCHAR *name)
{
    swprintf(out, n, L"%ls\\%ls", work_dir, name);
}

/* ------------------------------------------------ the cp baseline */

static BYTE copy_buf[CHUNK];

static void write_all(HANDLE h, const BYTE *p, DWORD n)
{
    while (n > 0) {
        DWORD done = 0;
        if (!WriteFile(h, p, n, &done, NULL) || done == 0)
            die("WriteFile: error %lu", GetLastError());
        p += done;
        n -= done;
    }
}

/* The cost of copying `bytes` from one file to another in the work folder;
 * the source is written beforehand, untimed. Both are deleted afterwards. */
static struct cost cp_cost(ULONGLONG bytes)
{
    WCHAR src[MAX_PATH + 32], dst[MAX_PATH + 32];
    work_path(src, ARRAYSIZE(src), L"cp-src.tmp");
    work_path(dst, ARRAYSIZE(dst), L"cp-dst.tmp");
    for (DWORD i = 0; i < CHUNK; i++)
        copy_buf[i] = (BYTE)(i * 131 + (i >> 8));
    HANDLE h = CreateFileW(src, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        die("create %ls: error %lu", src, GetLastError());
    for (ULONGLONG left = bytes; left > 0;) {
        DWORD n = left < CHUNK ? (DWORD)left : CHUNK;
        write_all(h, copy_buf, n);
        left -= n;
    }
    CloseHandle(h);

    struct cost t0 = mark();
    HANDLE in = CreateFileW(src, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    HANDLE out = CreateFileW(dst, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (in == INVALID_HANDLE_VALUE || out == INVALID_HANDLE_VALUE)
        die("open copy files: error %lu", GetLastError());
    ULONGLONG copied = 0;
    for (;;) {
        DWORD got = 0;
        if (!ReadFile(in, copy_buf, CHUNK, &got, NULL))
            die("ReadFile: error %lu", GetLastError());
        if (got == 0)
            break;
        write_all(out, copy_buf, got);
        copied += got;
    }
    CloseHandle(in);
    CloseHandle(out);
    struct cost t = since(t0);
    DeleteFileW(src);
    DeleteFileW(dst);
    if (copied != bytes)
        die("copied %llu of %llu bytes", copied, bytes);
    return t;
}

/* ------------------------------------------------ the image as an IStream */

static BYTE pattern[512 * 1024];

static int pattern_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    BYTE *out = buf;
    (void)ctx;
    while (len > 0) {
        size_t at = (size_t)(offset % (sizeof(pattern) / 2));
        size_t n = sizeof(pattern) - at < len ? sizeof(pattern) - at : len;
        memcpy(out, pattern + at, n);
        out += n;
        offset += n;
        len -= n;
    }
    return 0;
}

static uint32_t track_sectors = TRACK_SECTORS; /* of the images made from here on */

static struct rawimage *audio_image(void)
{
    struct rawimage *img = NULL;
    struct rawimage_source src = { pattern_read, NULL, NULL, (uint64_t)track_sectors * 2352 };
    int index = 0;
    for (size_t i = 0; i < sizeof(pattern); i++)
        pattern[i] = (BYTE)(i * 7 + (i >> 9) + 1);
    int32_t hr = rawimage_create(&img);
    if (hr == 0)
        hr = rawimage_set_image_type(img, 3); /* raw P-W, 2448 bytes a sector */
    if (hr == 0)
        hr = rawimage_add_track(img, RAWIMAGE_AUDIO, &src, &index);
    if (hr == 0)
        hr = rawimage_finalize(img);
    if (hr != 0)
        die("image: %#x", (unsigned)hr);
    return img;
}

struct image_stream {
    IStream IStream_iface;
    LONG ref;
    struct rawimage *img;
    ULONGLONG pos, size;
};

static struct image_stream *stream_impl(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct image_stream, IStream_iface);
}

static HRESULT WINAPI st_QueryInterface(IStream *iface, REFIID riid, void **out)
{
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_ISequentialStream) ||
        IsEqualGUID(riid, &IID_IStream)) {
        *out = iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI st_AddRef(IStream *iface)
{
    return InterlockedIncrement(&stream_impl(iface)->ref);
}

static ULONG WINAPI st_Release(IStream *iface)
{
    struct image_stream *s = stream_impl(iface);
    LONG ref = InterlockedDecrement(&s->ref);
    if (ref == 0) {
        rawimage_free(s->img);
        HeapFree(GetProcessHeap(), 0, s);
    }
    return (ULONG)ref;
}

static HRESULT WINAPI st_Read(IStream *iface, void *buf, ULONG len, ULONG *read)
{
    struct image_stream *s = stream_impl(iface);
    size_t done = 0;
    if (read)
        *read = 0;
    if (s->pos >= s->size)
        return S_FALSE;
    if (rawimage_read(s->img, s->pos, buf, len, &done) != 0)
        return E_FAIL;
    s->pos += done;
    if (read)
        *read = (ULONG)done;
    return done == len ? S_OK : S_FALSE;
}

static HRESULT WINAPI st_Write(IStream *iface, const void *buf, ULONG len, ULONG *written)
{
    (void)iface, (void)buf, (void)len, (void)written;
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI st_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *pos)
{
    struct image_stream *s = stream_impl(iface);
    LONGLONG base;
    switch (origin) {
    case STREAM_SEEK_SET: base = 0; break;
    case STREAM_SEEK_CUR: base = (LONGLONG)s->pos; break;
    case STREAM_SEEK_END: base = (LONGLONG)s->size; break;
    default: return STG_E_INVALIDFUNCTION;
    }
    if (base + move.QuadPart < 0)
        return STG_E_INVALIDFUNCTION;
    s->pos = (ULONGLONG)(base + move.QuadPart);
    if (pos)
        pos->QuadPart = s->pos;
    return S_OK;
}

static HRESULT WINAPI st_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    (void)iface, (void)size;
    return STG_E_ACCESSDENIED;
}

static HRESULT WINAPI st_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER n, ULARGE_INTEGER *r, ULARGE_INTEGER *w)
{
    (void)iface, (void)dest, (void)n, (void)r, (void)w;
    return E_NOTIMPL;
}

static HRESULT WINAPI st_Commit(IStream *iface, DWORD flags)
{
    (void)iface, (void)flags;
    return S_OK;
}

static HRESULT WINAPI st_Revert(IStream *iface)
{
    (void)iface;
    return S_OK;
}

static HRESULT WINAPI st_Lock(IStream *iface, ULARGE_INTEGER off, ULARGE_INTEGER n, DWORD type)
{
    (void)iface, (void)off, (void)n, (void)type;
    return STG_E_INVALIDFUNCTION;
}

static HRESULT WINAPI st_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    (void)flags;
    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = stream_impl(iface)->size;
    return S_OK;
}

static HRESULT WINAPI st_Clone(IStream *iface, IStream **out)
{
    (void)iface;
    *out = NULL;
    return E_NOTIMPL;
}

static const IStreamVtbl stream_vtbl = {
    st_QueryInterface, st_AddRef, st_Release, st_Read, st_Write, st_Seek, st_SetSize,
    st_CopyTo, st_Commit, st_Revert, st_Lock, st_Lock, st_Stat, st_Clone,
};

static IStream *new_image_stream(void)
{
    struct image_stream *s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    if (!s)
        die("out of memory");
    s->IStream_iface.lpVtbl = &stream_vtbl;
    s->ref = 1;
    s->img = audio_image();
    s->size = rawimage_total_bytes(s->img);
    return &s->IStream_iface;
}

/* ------------------------------------------------ the Update sink */

struct sink {
    IDispatch IDispatch_iface;
    LONG ref;
    IDiscFormat2RawCD *format;
    BOOL cancel_midway, cancelled;
    DWORD handler_ms;         /* each WRITING Update takes this long */
    unsigned updates, updates_after_cancel;
    LONG start_lba, sector_count, last_written;
    LONG written_at_cancel;
    double cancel_time;
    HRESULT cancel_hr;
};

static struct sink *sink_impl(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct sink, IDispatch_iface);
}

static HRESULT WINAPI sk_QueryInterface(IDispatch *iface, REFIID riid, void **out)
{
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_DDiscFormat2RawCDEvents)) {
        *out = iface;
        IDispatch_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI sk_AddRef(IDispatch *iface)
{
    return InterlockedIncrement(&sink_impl(iface)->ref);
}

static ULONG WINAPI sk_Release(IDispatch *iface)
{
    return InterlockedDecrement(&sink_impl(iface)->ref); /* lives on the stack of main's callees */
}

static HRESULT WINAPI sk_GetTypeInfoCount(IDispatch *iface, UINT *n)
{
    (void)iface;
    *n = 0;
    return S_OK;
}

static HRESULT WINAPI sk_GetTypeInfo(IDispatch *iface, UINT i, LCID lcid, ITypeInfo **out)
{
    (void)iface, (void)i, (void)lcid, (void)out;
    return E_NOTIMPL;
}

static HRESULT WINAPI sk_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names, UINT n, LCID lcid,
                                       DISPID *ids)
{
    (void)iface, (void)riid, (void)names, (void)n, (void)lcid, (void)ids;
    return E_NOTIMPL;
}

static HRESULT WINAPI sk_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags, DISPPARAMS *params,
                                VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct sink *sink = sink_impl(iface);
    IDiscFormat2RawCDEventArgs *args = NULL;
    IMAPI_FORMAT2_RAW_CD_WRITE_ACTION action = 0;
    (void)riid, (void)lcid, (void)flags, (void)result, (void)excep, (void)arg_err;
    if (id != DISPID_DDISCFORMAT2RAWCDEVENTS_UPDATE || params->cArgs != 2 ||
        V_VT(&params->rgvarg[0]) != VT_DISPATCH)
        return DISP_E_MEMBERNOTFOUND;
    sink->updates++;
    if (sink->cancelled) {
        sink->updates_after_cancel++;
        return S_OK;
    }
    if (FAILED(IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[0]), &IID_IDiscFormat2RawCDEventArgs,
                                        (void **)&args)))
        return S_OK;
    IDiscFormat2RawCDEventArgs_get_StartLba(args, &sink->start_lba);
    IDiscFormat2RawCDEventArgs_get_SectorCount(args, &sink->sector_count);
    IDiscFormat2RawCDEventArgs_get_LastWrittenLba(args, &sink->last_written);
    IDiscFormat2RawCDEventArgs_get_CurrentAction(args, &action);
    IDiscFormat2RawCDEventArgs_Release(args);
    if (sink->handler_ms && action == IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_WRITING)
        Sleep(sink->handler_ms);
    if (sink->cancel_midway && action == IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_WRITING &&
        sink->last_written - sink->start_lba + 1 >= sink->sector_count / 2) {
        sink->cancelled = TRUE;
        sink->written_at_cancel = sink->last_written - sink->start_lba + 1;
        sink->cancel_time = seconds();
        sink->cancel_hr = IDiscFormat2RawCD_CancelWrite(sink->format);
    }
    return S_OK;
}

static const IDispatchVtbl sink_vtbl = {
    sk_QueryInterface, sk_AddRef, sk_Release, sk_GetTypeInfoCount, sk_GetTypeInfo, sk_GetIDsOfNames, sk_Invoke,
};

/* ------------------------------------------------ the recorder and a burn */

/* Sectors WriteMedia sends: the image from the disc's ATIP lead-in start
 * (the virtual cdr80's 97:26:66) on. */
#define LEADIN_START (-11634)
static LONGLONG burn_sectors(void)
{
    struct rawimage *img = audio_image();
    LONGLONG n = rawimage_total_sectors(img) - (LEADIN_START - RAWIMAGE_START_LBA);
    rawimage_free(img);
    return n;
}

static void media_paths(WCHAR *media, size_t n, WCHAR *sectors, size_t m)
{
    work_path(media, n, RECORDER L".media");
    swprintf(sectors, m, L"%ls.sectors", media);
}

static void recorder_remove(void)
{
    WCHAR media[MAX_PATH + 64], sectors[MAX_PATH + 80];
    media_paths(media, ARRAYSIZE(media), sectors, ARRAYSIZE(sectors));
    RegDeleteKeyW(HKEY_CURRENT_USER, RECORDERS_KEY L"\\" RECORDER);
    DeleteFileW(media);
    DeleteFileW(sectors);
}

/* A fresh virtual recorder with a blank 80-minute CD-R: unthrottled (speed
 * 0), or at that speed in real time with a 2 MiB buffer. */
static void recorder_add(DWORD speed)
{
    WCHAR media[MAX_PATH + 64], sectors[MAX_PATH + 80];
    const WCHAR *kind = L"cdr80";
    DWORD unthrottled = speed == 0, buffer = 2u * 1024u * 1024u;
    HKEY key;
    recorder_remove();
    media_paths(media, ARRAYSIZE(media), sectors, ARRAYSIZE(sectors));
    if (RegCreateKeyExW(HKEY_CURRENT_USER, RECORDERS_KEY L"\\" RECORDER, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key,
                        NULL))
        die("cannot create the virtual recorder key");
    RegSetValueExW(key, L"MediaPath", 0, REG_SZ, (const BYTE *)media, (DWORD)(wcslen(media) + 1) * sizeof(WCHAR));
    RegSetValueExW(key, L"MediaKind", 0, REG_SZ, (const BYTE *)kind, (DWORD)(wcslen(kind) + 1) * sizeof(WCHAR));
    RegSetValueExW(key, L"Unthrottled", 0, REG_DWORD, (const BYTE *)&unthrottled, sizeof(unthrottled));
    if (speed) {
        RegSetValueExW(key, L"Speed", 0, REG_DWORD, (const BYTE *)&speed, sizeof(speed));
        RegSetValueExW(key, L"BufferBytes", 0, REG_DWORD, (const BYTE *)&buffer, sizeof(buffer));
    }
    RegCloseKey(key);
}

/* Sectors the drive stored (its sectors file: one 2448-byte record each). */
static ULONGLONG sectors_on_disc(void)
{
    WCHAR media[MAX_PATH + 64], sectors[MAX_PATH + 80];
    WIN32_FILE_ATTRIBUTE_DATA fa;
    media_paths(media, ARRAYSIZE(media), sectors, ARRAYSIZE(sectors));
    if (!GetFileAttributesExW(sectors, GetFileExInfoStandard, &fa))
        return 0;
    return (((ULONGLONG)fa.nFileSizeHigh << 32) | fa.nFileSizeLow) / 2448;
}

static IDiscFormat2RawCD *ready_format(void)
{
    IDiscRecorder2 *rec = NULL;
    IDiscFormat2RawCD *f = NULL;
    WCHAR id[300];
    BSTR client = SysAllocString(L"imapi2 bench");
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2,
                                  (void **)&rec);
    if (FAILED(hr))
        die("CoCreateInstance(MsftDiscRecorder2): %#lx (is imapi2.dll registered?)", hr);
    swprintf(id, ARRAYSIZE(id), L"\\\\?\\imapi2virtual#cdrom#%ls#{53f56308-b6bf-11d0-94f2-00a0c91efb8b}", RECORDER);
    if (FAILED(hr = IDiscRecorder2_InitializeDiscRecorder(rec, id)))
        die("InitializeDiscRecorder: %#lx", hr);
    hr = CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2RawCD,
                          (void **)&f);
    if (FAILED(hr))
        die("CoCreateInstance(MsftDiscFormat2RawCD): %#lx", hr);
    if (FAILED(hr = IDiscFormat2RawCD_put_Recorder(f, rec)) ||
        FAILED(hr = IDiscFormat2RawCD_put_ClientName(f, client)))
        die("format setup: %#lx", hr);
    IDiscRecorder2_Release(rec);
    SysFreeString(client);
    return f;
}

static void advise(IDiscFormat2RawCD *f, struct sink *sink)
{
    IConnectionPointContainer *cpc = NULL;
    IConnectionPoint *cp = NULL;
    DWORD cookie = 0;
    if (FAILED(IDiscFormat2RawCD_QueryInterface(f, &IID_IConnectionPointContainer, (void **)&cpc)) ||
        FAILED(IConnectionPointContainer_FindConnectionPoint(cpc, &IID_DDiscFormat2RawCDEvents, &cp)) ||
        FAILED(IConnectionPoint_Advise(cp, (IUnknown *)&sink->IDispatch_iface, &cookie)))
        die("cannot advise the Update sink");
    IConnectionPoint_Release(cp);
    IConnectionPointContainer_Release(cpc);
}

/* One burn: returns WriteMedia's result, its cost in *t and the time it
 * returned in *returned. speed 0: unthrottled, BUFE on; else BUFE off at
 * that speed, each WRITING Update taking handler_ms. */
static HRESULT burn_at(struct sink *sink, BOOL cancel_midway, DWORD speed, DWORD handler_ms, struct cost *t,
                       double *returned)
{
    IDiscFormat2RawCD *f;
    IStream *stream = new_image_stream();
    HRESULT hr;
    recorder_add(speed);
    f = ready_format();
    memset(sink, 0, sizeof(*sink));
    sink->IDispatch_iface.lpVtbl = &sink_vtbl;
    sink->ref = 1;
    sink->format = f;
    sink->cancel_midway = cancel_midway;
    sink->handler_ms = handler_ms;
    advise(f, sink);
    if (FAILED(hr = IDiscFormat2RawCD_PrepareMedia(f)))
        die("PrepareMedia: %#lx", hr);
    if (speed && FAILED(hr = IDiscFormat2RawCD_put_BufferUnderrunFreeDisabled(f, VARIANT_TRUE)))
        die("put_BufferUnderrunFreeDisabled: %#lx", hr);
    /* The sector type only once the media is prepared, as IMAPI2 documents. */
    if (FAILED(hr = IDiscFormat2RawCD_put_RequestedSectorType(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW)))
        die("put_RequestedSectorType: %#lx", hr);
    struct cost t0 = mark();
    hr = IDiscFormat2RawCD_WriteMedia(f, stream);
    *returned = seconds();
    *t = since(t0);
    IDiscFormat2RawCD_ReleaseMedia(f);
    IDiscFormat2RawCD_Release(f);
    IStream_Release(stream);
    return hr;
}

static HRESULT burn(struct sink *sink, BOOL cancel_midway, struct cost *t, double *returned)
{
    return burn_at(sink, cancel_midway, 0, 0, t, returned);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A 6-minute image at 52x in real time, BUFE off: the runs that underran
 * (E_IMAPI_LOSS_OF_STREAMING), and the CPU the process used, in % of a core. */
static void burns_52x(const char *name, DWORD handler_ms)
{
    double cpu[RUNS_52X];
    int underran = 0;
    char fig[96];
    for (int run = 0; run < RUNS_52X; run++) {
        struct sink sink;
        struct cost t;
        double returned;
        HRESULT hr = burn_at(&sink, FALSE, 52, handler_ms, &t, &returned);
        if (hr != S_OK && hr != E_IMAPI_LOSS_OF_STREAMING)
            die("WriteMedia at 52x: %#lx", hr);
        underran += hr == E_IMAPI_LOSS_OF_STREAMING;
        cpu[run] = 100.0 * t.cpu / t.wall;
        recorder_remove();
    }
    qsort(cpu, RUNS_52X, sizeof(cpu[0]), cmp_double);
    snprintf(fig, sizeof(fig), "com.52x.%s.underrun_runs", name);
    figure(fig, "%d of %d", underran, RUNS_52X);
    snprintf(fig, sizeof(fig), "com.52x.%s.cpu_pct_of_core_min", name);
    figure(fig, "%.1f", cpu[0]);
    snprintf(fig, sizeof(fig), "com.52x.%s.cpu_pct_of_core_median", name);
    figure(fig, "%.1f", cpu[RUNS_52X / 2]);
}

int main(int argc, char **argv)
{
    struct sink sink;
    struct cost t;
    double returned;
    HRESULT hr;
    if (argc < 2 || !MultiByteToWideChar(CP_ACP, 0, argv[1], -1, work_dir, ARRAYSIZE(work_dir)))
        die("usage: bench_com_burn.exe <work folder>");
    CreateDirectoryW(work_dir, NULL);
    if (FAILED(hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED)))
        die("CoInitializeEx: %#lx", hr);

    /* throughput: the best of RUNS burns, each between two copies, and the best copy */
    ULONGLONG bytes = (ULONGLONG)burn_sectors() * 2448;
    struct cost cp = { 1e300, 1e300 }, best = { 1e300, 1e300 };
    for (int run = 0; run < RUNS; run++) {
        cp = cost_best(cp, cp_cost(bytes));
        hr = burn(&sink, FALSE, &t, &returned);
        if (hr != S_OK)
            die("WriteMedia: %#lx", hr);
        ULONGLONG stored = sectors_on_disc();
        if (sink.sector_count <= 0 || stored != (ULONGLONG)sink.sector_count || bytes != stored * 2448)
            die("drive stored %llu sectors, WriteMedia reported %ld, expected %llu", stored, sink.sector_count,
                bytes / 2448);
        recorder_remove();
        best = cost_best(best, t);
        cp = cost_best(cp, cp_cost(bytes));
    }
    t = best;
    figure("com.burn_mb", "%.1f", (double)bytes / MB);
    figure("com.updates", "%u", sink.updates);
    figure("com.throughput_mb_per_s", "%.1f", (double)bytes / MB / t.wall);
    figure("com.cp_mb_per_s", "%.1f", (double)bytes / MB / cp.wall);
    figure("com.throughput_vs_cp", "%.2f", cp.wall / t.wall);
    figure("com.cpu_vs_cp", "%.2f", cp.cpu / t.cpu);

    /* cancel latency */
    hr = burn(&sink, TRUE, &t, &returned);
    if (hr != E_IMAPI_REQUEST_CANCELLED || !sink.cancelled || sink.cancel_hr != S_OK)
        die("cancelled WriteMedia: %#lx (CancelWrite %s: %#lx)", hr, sink.cancelled ? "called" : "never called",
            sink.cancel_hr);
    ULONGLONG stored = sectors_on_disc();
    figure("com.cancel.at_percent", "%.1f", 100.0 * sink.written_at_cancel / sink.sector_count);
    figure("com.cancel.updates_after_cancel", "%u", sink.updates_after_cancel);
    figure("com.cancel.sectors_after_cancel", "%lld", (long long)stored - sink.written_at_cancel);
    figure("com.cancel.return_ms", "%.3f", (returned - sink.cancel_time) * 1000.0);
    recorder_remove();

    track_sectors = SHORT_TRACK_SECTORS;
    burns_52x("quiet", 0);
    burns_52x("slow_handler_500ms", 500);
    CoUninitialize();
    return 0;
}
