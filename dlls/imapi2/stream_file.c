/* EXTENSION, not in Windows: Imapi2OpenFileStream ("IMAPI2Open.FileStream"),
 * a scriptable opener that hands out read-only file streams.
 *
 * Why: IRawCDImageCreator::AddTrack and IDiscFormat2RawCD::WriteMedia take
 * an IStream, and Windows gives scripts no direct way to make one from a
 * file (the usual ADODB.Stream trick does not work under Wine). So:
 *   Set s = CreateObject("IMAPI2Open.FileStream").OpenWaveFile("t1.wav")
 * OpenFile gives the whole file; OpenWaveFile checks for Red Book audio
 * (PCM, 44100 Hz, 16 bit, 2 channels) and gives only the sample bytes,
 * zero-padded to whole 2352-byte sectors as AddTrack needs them.
 * GetStreamSize lets a script see any stream's length. */
#include <stdio.h>
#include "stream_common.h"
#include "mmc/geometry.h"


/* The open file, shared by a stream and its clones; reads carry their own
 * offset, so the clones never disturb one another. */
struct shared_file {
    LONG ref;
    HANDLE handle;
    WCHAR path[];
};

struct file_stream {
    struct stream_base base;
    struct shared_file *file;
    ULONGLONG data_offset;   /* where our bytes start in the file */
    ULONGLONG data_len;      /* how many come from the file; the rest up to base.size are zeros */
};

static void shared_file_release(struct shared_file *file)
{
    if (InterlockedDecrement(&file->ref))
        return;
    CloseHandle(file->handle);
    HeapFree(GetProcessHeap(), 0, file);
}

static HRESULT shared_file_open(const WCHAR *path, struct shared_file **out)
{
    size_t len = wcslen(path);
    struct shared_file *file = HeapAlloc(GetProcessHeap(), 0, sizeof(*file) + (len + 1) * sizeof(WCHAR));
    if (!file)
        return E_OUTOFMEMORY;
    file->handle = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                               FILE_ATTRIBUTE_NORMAL, NULL);
    if (file->handle == INVALID_HANDLE_VALUE) {
        HRESULT hr = HRESULT_FROM_WIN32(GetLastError());
        WARN("cannot open %s: %#lx\n", debugstr_w(path), (unsigned long)hr);
        HeapFree(GetProcessHeap(), 0, file);
        return hr;
    }
    file->ref = 1;
    memcpy(file->path, path, (len + 1) * sizeof(WCHAR));
    *out = file;
    return S_OK;
}

/* Reads at an absolute file offset without using the shared file pointer. */
static HRESULT shared_file_read(struct shared_file *file, ULONGLONG offset, void *buf, ULONG len, ULONG *done)
{
    OVERLAPPED at = { 0 };
    DWORD got = 0;
    at.Offset = (DWORD)offset;
    at.OffsetHigh = (DWORD)(offset >> 32);
    if (!ReadFile(file->handle, buf, len, &got, &at) && GetLastError() != ERROR_HANDLE_EOF) {
        *done = 0;
        return HRESULT_FROM_WIN32(GetLastError());
    }
    *done = got;
    return S_OK;
}

static HRESULT file_stream_new(struct shared_file *file, ULONGLONG data_offset, ULONGLONG data_len,
                               ULONGLONG size, struct file_stream **out);

static HRESULT fs_read_at(struct stream_base *s, ULONGLONG pos, BYTE *buf, ULONG len, ULONG *done)
{
    struct file_stream *fs = CONTAINING_RECORD(s, struct file_stream, base);
    ULONG total = 0;
    if (pos < fs->data_len) {
        ULONG want = fs->data_len - pos < len ? (ULONG)(fs->data_len - pos) : len;
        HRESULT hr = shared_file_read(fs->file, fs->data_offset + pos, buf, want, &total);
        if (FAILED(hr) || total < want) { /* the file shrank under us: end here */
            *done = total;
            return total ? S_OK : hr;
        }
    }
    memset(buf + total, 0, len - total); /* the padding */
    *done = len;
    return S_OK;
}

static HRESULT fs_clone(struct stream_base *s, IStream **out)
{
    struct file_stream *fs = CONTAINING_RECORD(s, struct file_stream, base), *copy;
    HRESULT hr;
    InterlockedIncrement(&fs->file->ref);
    if (FAILED(hr = file_stream_new(fs->file, fs->data_offset, fs->data_len, s->size, &copy)))
        return hr;
    copy->base.pos = s->pos;
    *out = &copy->base.IStream_iface;
    return S_OK;
}

static void fs_free_parts(struct stream_base *s)
{
    shared_file_release(CONTAINING_RECORD(s, struct file_stream, base)->file);
}

/* SetSize: STG_E_ACCESSDENIED, the length is the file's. */
static const struct stream_class file_stream_class = {
    &stream_base_vtbl, NULL, FALSE, fs_read_at, fs_clone, fs_free_parts
};

/* Takes over one reference to file (released on failure). */
static HRESULT file_stream_new(struct shared_file *file, ULONGLONG data_offset, ULONGLONG data_len,
                               ULONGLONG size, struct file_stream **out)
{
    struct file_stream *fs = stream_base_new(sizeof(*fs), &file_stream_class);
    if (!fs) {
        shared_file_release(file);
        return E_OUTOFMEMORY;
    }
    fs->base.size = size;
    fs->base.name = file->path;
    fs->file = file;
    fs->data_offset = data_offset;
    fs->data_len = data_len;
    *out = fs;
    return S_OK;
}

/* ---- WAV parsing ---- */

static uint16_t le16(const BYTE *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const BYTE *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static HRESULT read_exact(struct shared_file *file, ULONGLONG offset, void *buf, ULONG len)
{
    ULONG got;
    HRESULT hr = shared_file_read(file, offset, buf, len, &got);
    if (SUCCEEDED(hr) && got != len)
        hr = HRESULT_FROM_WIN32(ERROR_BAD_FORMAT);
    return hr;
}

/* Only what a CD player plays: PCM (plain or WAVE_FORMAT_EXTENSIBLE with the
 * PCM subtype), 2 channels, 44100 Hz, 16 bits, 4-byte frames. NULL when fmt
 * is that, else what is wrong, in words (for Err.Description). */
static const char *wave_format_problem(const BYTE *fmt, ULONG len, char *why, size_t size)
{
    static const BYTE pcm_subtype_tail[14] = { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00,
                                               0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71 };
    uint16_t tag = le16(fmt);
    if (len < 16)
        return "the WAV file's fmt chunk is too short";
    if (tag == 0xfffe) { /* WAVE_FORMAT_EXTENSIBLE: the subtype GUID says PCM */
        if (len < 40 || le16(fmt + 24) != 1 || memcmp(fmt + 26, pcm_subtype_tail, sizeof(pcm_subtype_tail)))
            return "the WAV file is not PCM: need 44.1 kHz 16-bit stereo PCM";
    } else if (tag != 1) {
        snprintf(why, size, "the WAV file is compressed (format tag %u), not PCM: need 44.1 kHz 16-bit stereo PCM",
                 tag);
        return why;
    }
    if (le16(fmt + 2) == 2 && le32(fmt + 4) == 44100 && le32(fmt + 8) == CD_BYTES_PER_SECOND_1X && le16(fmt + 12) == 4 &&
        le16(fmt + 14) == 16)
        return NULL;
    snprintf(why, size, "the WAV file is %.1f kHz %u-bit %s: need 44.1 kHz 16-bit stereo", le32(fmt + 4) / 1000.0,
             le16(fmt + 14), le16(fmt + 2) == 1 ? "mono" : le16(fmt + 2) == 2 ? "stereo" : "multichannel");
    return why;
}

/* Finds the data chunk of a Red Book WAV file: its offset and length (cut
 * to what the file really holds: streaming writers leave the size at ~0).
 * A refusal says why in *why. */
static HRESULT wave_find_data(struct shared_file *file, ULONGLONG *offset, ULONGLONG *len, const char **why,
                              char *buf, size_t size)
{
    const HRESULT bad = HRESULT_FROM_WIN32(ERROR_BAD_FORMAT);
    BYTE header[12], chunk[8], fmt[40];
    LARGE_INTEGER file_size;
    ULONGLONG at = 12;
    BOOL have_fmt = FALSE;
    HRESULT hr;
    *why = NULL;
    if (!GetFileSizeEx(file->handle, &file_size))
        return HRESULT_FROM_WIN32(GetLastError());
    if (FAILED(hr = read_exact(file, 0, header, sizeof(header)))) {
        if (hr == bad)
            *why = "not a WAV file: too short for a RIFF header";
        return hr;
    }
    if (memcmp(header, "RIFF", 4) || memcmp(header + 8, "WAVE", 4)) {
        WARN("%s: not a RIFF WAVE file\n", debugstr_w(file->path));
        *why = "not a WAV file (no RIFF WAVE header): need 44.1 kHz 16-bit stereo PCM";
        return bad;
    }
    while (at + 8 <= (ULONGLONG)file_size.QuadPart) {
        ULONG size_of;
        if (FAILED(hr = read_exact(file, at, chunk, sizeof(chunk))))
            return hr;
        size_of = le32(chunk + 4);
        if (!memcmp(chunk, "fmt ", 4)) {
            ULONG want = size_of < sizeof(fmt) ? size_of : sizeof(fmt);
            memset(fmt, 0, sizeof(fmt));
            if (FAILED(hr = read_exact(file, at + 8, fmt, want))) {
                if (hr == bad)
                    *why = "the WAV file ends inside its fmt chunk";
                return hr;
            }
            if ((*why = wave_format_problem(fmt, want, buf, size))) {
                WARN("%s: %s\n", debugstr_w(file->path), *why);
                return bad;
            }
            have_fmt = TRUE;
        } else if (!memcmp(chunk, "data", 4)) {
            ULONGLONG left = (ULONGLONG)file_size.QuadPart - (at + 8);
            if (!have_fmt) {
                WARN("%s: data before fmt\n", debugstr_w(file->path));
                *why = "the WAV file has its data chunk before the fmt chunk";
                return bad;
            }
            *offset = at + 8;
            *len = size_of < left ? size_of : left;
            return S_OK;
        }
        at += 8 + (ULONGLONG)size_of + (size_of & 1); /* chunks are padded to even sizes */
    }
    WARN("%s: no %s chunk\n", debugstr_w(file->path), have_fmt ? "data" : "fmt");
    *why = have_fmt ? "the WAV file has no data chunk" : "the WAV file has no fmt chunk";
    return bad;
}

/* ---- the opener object ---- */

struct file_stream_opener {
    IImapi2OpenFileStreamOpener IImapi2OpenFileStreamOpener_iface;
    struct event_source source; /* ISupportErrorInfo only */
    LONG ref;
};

static inline struct file_stream_opener *impl_from_IImapi2OpenFileStreamOpener(IImapi2OpenFileStreamOpener *iface)
{
    return CONTAINING_RECORD(iface, struct file_stream_opener, IImapi2OpenFileStreamOpener_iface);
}

static HRESULT WINAPI opener_QueryInterface(IImapi2OpenFileStreamOpener *iface, REFIID riid, void **out)
{
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IImapi2OpenFileStreamOpener)) {
        *out = iface;
        IImapi2OpenFileStreamOpener_AddRef(iface);
        return S_OK;
    }
    if (event_source_query(&impl_from_IImapi2OpenFileStreamOpener(iface)->source, riid, out))
        return S_OK;
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI opener_AddRef(IImapi2OpenFileStreamOpener *iface)
{
    return InterlockedIncrement(&impl_from_IImapi2OpenFileStreamOpener(iface)->ref);
}

static ULONG WINAPI opener_Release(IImapi2OpenFileStreamOpener *iface)
{
    struct file_stream_opener *opener = impl_from_IImapi2OpenFileStreamOpener(iface);
    ULONG ref = InterlockedDecrement(&opener->ref);
    if (!ref) {
        event_source_destroy(&opener->source);
        HeapFree(GetProcessHeap(), 0, opener);
        imapi2_module_release();
    }
    return ref;
}

/* IDispatch straight from our typelib (this interface has no tid in the
 * shared table: it is ours, not Windows'). */
static HRESULT opener_typeinfo(ITypeInfo **out)
{
    ITypeLib *lib;
    HRESULT hr = imapi2_get_typelib(&lib);
    if (FAILED(hr))
        return hr;
    hr = ITypeLib_GetTypeInfoOfGuid(lib, &IID_IImapi2OpenFileStreamOpener, out);
    ITypeLib_Release(lib);
    return hr;
}

static HRESULT WINAPI opener_GetTypeInfoCount(IImapi2OpenFileStreamOpener *iface, UINT *count)
{
    (void)iface;
    if (!count)
        return E_INVALIDARG;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI opener_GetTypeInfo(IImapi2OpenFileStreamOpener *iface, UINT index, LCID lcid, ITypeInfo **out)
{
    (void)iface; (void)lcid;
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (index)
        return DISP_E_BADINDEX;
    return opener_typeinfo(out);
}

static HRESULT WINAPI opener_GetIDsOfNames(IImapi2OpenFileStreamOpener *iface, REFIID riid, LPOLESTR *names,
                                           UINT count, LCID lcid, DISPID *ids)
{
    ITypeInfo *info;
    HRESULT hr;
    (void)iface; (void)riid; (void)lcid;
    if (!names || !ids || !count)
        return E_INVALIDARG;
    if (FAILED(hr = opener_typeinfo(&info)))
        return hr;
    hr = ITypeInfo_GetIDsOfNames(info, names, count, ids);
    ITypeInfo_Release(info);
    return hr;
}

static HRESULT WINAPI opener_Invoke(IImapi2OpenFileStreamOpener *iface, DISPID id, REFIID riid, LCID lcid,
                                    WORD flags, DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep,
                                    UINT *arg_err)
{
    ITypeInfo *info;
    HRESULT hr;
    (void)riid; (void)lcid;
    if (FAILED(hr = opener_typeinfo(&info)))
        return hr;
    hr = ITypeInfo_Invoke(info, iface, id, flags, params, result, excep, arg_err);
    ITypeInfo_Release(info);
    return hr;
}

/* A failure of OpenFile or OpenWaveFile, described for IErrorInfo (a
 * script's Err.Description): why, or the system's text of hr. */
static HRESULT opener_error(HRESULT hr, const char *why)
{
    SetErrorInfo(0, NULL);
    return imapi2_set_error_text(hr, &IID_IImapi2OpenFileStreamOpener, why);
}

/* What OpenFile and OpenWaveFile check and do first. */
static HRESULT opener_open_path(BSTR path, IStream **out, struct shared_file **file)
{
    TRACE("%s\n", debugstr_w(path));
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!path || !*path)
        return opener_error(E_INVALIDARG, "no file name given");
    return opener_error(shared_file_open(path, file), NULL);
}

/* Takes over one reference to file, as file_stream_new. */
static HRESULT opener_hand_out(struct shared_file *file, ULONGLONG data_offset, ULONGLONG data_len,
                               ULONGLONG size, IStream **out)
{
    struct file_stream *fs;
    HRESULT hr = file_stream_new(file, data_offset, data_len, size, &fs);
    if (SUCCEEDED(hr))
        *out = &fs->base.IStream_iface;
    return hr;
}

static HRESULT WINAPI opener_OpenFile(IImapi2OpenFileStreamOpener *iface, BSTR path, IStream **out)
{
    struct shared_file *file;
    LARGE_INTEGER size;
    HRESULT hr;
    (void)iface;
    if (FAILED(hr = opener_open_path(path, out, &file)))
        return hr;
    if (!GetFileSizeEx(file->handle, &size)) {
        hr = HRESULT_FROM_WIN32(GetLastError());
        shared_file_release(file);
        return hr;
    }
    return opener_hand_out(file, 0, size.QuadPart, size.QuadPart, out);
}

static HRESULT WINAPI opener_OpenWaveFile(IImapi2OpenFileStreamOpener *iface, BSTR path, IStream **out)
{
    const char *why = NULL;
    char buf[160];
    struct shared_file *file;
    ULONGLONG offset = 0, len = 0, padded;
    HRESULT hr;
    (void)iface;
    if (FAILED(hr = opener_open_path(path, out, &file)))
        return hr;
    if (FAILED(hr = wave_find_data(file, &offset, &len, &why, buf, sizeof(buf)))) {
        shared_file_release(file);
        return opener_error(hr, why);
    }
    padded = (len + CD_SECTOR_SIZE - 1) / CD_SECTOR_SIZE * CD_SECTOR_SIZE;
    return opener_hand_out(file, offset, len, padded, out);
}

static HRESULT WINAPI opener_GetStreamSize(IImapi2OpenFileStreamOpener *iface, IUnknown *stream, DOUBLE *size)
{
    IStream *s;
    STATSTG stat;
    HRESULT hr;
    (void)iface;
    if (!size)
        return E_POINTER;
    *size = 0;
    if (!stream)
        return E_INVALIDARG;
    if (FAILED(hr = IUnknown_QueryInterface(stream, &IID_IStream, (void **)&s)))
        return E_INVALIDARG;
    hr = IStream_Stat(s, &stat, STATFLAG_NONAME);
    IStream_Release(s);
    if (SUCCEEDED(hr))
        *size = (DOUBLE)stat.cbSize.QuadPart;
    return hr;
}

static const IImapi2OpenFileStreamOpenerVtbl file_stream_opener_vtbl = {
    opener_QueryInterface,
    opener_AddRef,
    opener_Release,
    opener_GetTypeInfoCount,
    opener_GetTypeInfo,
    opener_GetIDsOfNames,
    opener_Invoke,
    opener_OpenFile,
    opener_OpenWaveFile,
    opener_GetStreamSize,
};

HRESULT file_stream_opener_create(IUnknown *outer, REFIID riid, void **out)
{
    struct file_stream_opener *opener;
    HRESULT hr;
    (void)outer;
    if (!(opener = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*opener))))
        return E_OUTOFMEMORY;
    opener->IImapi2OpenFileStreamOpener_iface.lpVtbl = &file_stream_opener_vtbl;
    opener->ref = 1;
    event_source_init(&opener->source, (IUnknown *)&opener->IImapi2OpenFileStreamOpener_iface,
                      &CLSID_Imapi2OpenFileStream, &IID_IImapi2OpenFileStreamOpener, NULL);
    imapi2_module_addref();
    hr = IImapi2OpenFileStreamOpener_QueryInterface(&opener->IImapi2OpenFileStreamOpener_iface, riid, out);
    IImapi2OpenFileStreamOpener_Release(&opener->IImapi2OpenFileStreamOpener_iface);
    return hr;
}
