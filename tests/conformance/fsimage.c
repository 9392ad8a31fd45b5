/* imapi2fs.dll: MsftFileSystemImage, its directory and file items, and the
 * result image; ChooseImageDefaults and SetMaxMediaBlocksFromDevice on
 * virtual recorders (blank CD-R, CD-RW, DVD+R, DVD-R, BD-R; no disc, a
 * CD-ROM, a closed disc), and the sample's whole burn on a DVD+R and a CD-R
 * read back through the drive; driven in the orders public programs use (Microsoft's
 * "burning a disc" sample and PowerShell/Python burners: FileSystemsToCreate,
 * VolumeName, Root.AddTree, Root.AddFile, CreateResultImage, ImageStream /
 * BlockSize / TotalBlocks). The image is written to a file and read back on
 * the host by xorriso, isoinfo and 7-Zip (run natively from Wine), which
 * must find every file with its bytes. Plus the documented HRESULTs for bad
 * names, clashes, depth, size and the settings' ranges. */
#define COBJMACROS
#include <stdio.h>
#include <wchar.h>
#include <windows.h>
#include <ole2.h>
#include <shlwapi.h>
#include "imapi2.h"
#include "imapi2fs.h"
#include "imapi2error.h"
#include "imapi2fserror.h"
#include "virtual_recorders.h"
#include "test_com.h"

static WCHAR work[MAX_PATH], status_file[MAX_PATH];

/* ---------------------------------------------------------------- host files */

static BYTE content_byte(unsigned id, DWORD at)
{
    return (BYTE)((at * 7) ^ (id * 29) ^ (at >> 9));
}

static void write_host_file(const WCHAR *path, unsigned id, DWORD size)
{
    HANDLE f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    BYTE buf[4096];
    DWORD at = 0, n;
    ok(f != INVALID_HANDLE_VALUE, "cannot create %ls\n", path);
    while (at < size) {
        DWORD chunk = size - at < sizeof(buf) ? size - at : sizeof(buf);
        for (DWORD i = 0; i < chunk; i++)
            buf[i] = content_byte(id, at + i);
        WriteFile(f, buf, chunk, &n, NULL);
        at += chunk;
    }
    CloseHandle(f);
}

/* The source tree AddTree reads: path below work\src, size, and the path
 * readers must show (the same, '/'-separated). */
static const struct {
    const WCHAR *path;
    DWORD size;
    const char *image_path;
} tree_files[] = {
    {L"readme.txt", 1234, "readme.txt"},
    {L"Long name with spaces.document", 5000, "Long name with spaces.document"},
    {L"docs\\manual.pdf", 70000, "docs/manual.pdf"},
    {L"docs\\deeper\\a.bin", 2048, "docs/deeper/a.bin"},
    {L"empty.dat", 0, "empty.dat"},
};
#define TREE_COUNT (sizeof(tree_files) / sizeof(tree_files[0]))

static void make_source_tree(void)
{
    WCHAR path[MAX_PATH];
    swprintf(path, MAX_PATH, L"%ls\\src", work);
    CreateDirectoryW(path, NULL);
    swprintf(path, MAX_PATH, L"%ls\\src\\docs", work);
    CreateDirectoryW(path, NULL);
    swprintf(path, MAX_PATH, L"%ls\\src\\docs\\deeper", work);
    CreateDirectoryW(path, NULL);
    for (unsigned i = 0; i < TREE_COUNT; i++) {
        swprintf(path, MAX_PATH, L"%ls\\src\\%ls", work, tree_files[i].path);
        write_host_file(path, i, tree_files[i].size);
    }
}

/* An IStream of `size` pattern bytes in memory (AddFile's data). */
static IStream *memory_stream(unsigned id, DWORD size)
{
    BYTE *data = HeapAlloc(GetProcessHeap(), 0, size ? size : 1);
    for (DWORD i = 0; i < size; i++)
        data[i] = content_byte(id, i);
    IStream *s = SHCreateMemStream(data, size);
    HeapFree(GetProcessHeap(), 0, data);
    return s;
}

/* ---------------------------------------------------------------- host readers */

static char *unix_name(const WCHAR *dos)
{
    typedef char *(CDECL *to_unix_fn)(const WCHAR *);
    to_unix_fn to_unix = (to_unix_fn)(void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
                                                           "wine_get_unix_file_name");
    return to_unix ? to_unix(dos) : NULL;
}

/* Runs a shell command on the host (Wine starts native programs; they give
 * no process handle, so the command leaves its status in a file). Returns
 * the exit status, -1 when it could not run. */
static int host_sh(const char *script)
{
    WCHAR cmd[4096];
    const WCHAR *done_dos = status_file;
    char *done;
    char line[16] = "";
    STARTUPINFOW si = {.cb = sizeof(si)};
    PROCESS_INFORMATION pi = {0};
    DeleteFileW(done_dos);
    if (!(done = unix_name(done_dos)))
        return -1;
    swprintf(cmd, ARRAYSIZE(cmd), L"Z:\\bin\\sh -c \"(%hs) >/dev/null 2>&1; echo $? >%hs.tmp; mv %hs.tmp %hs\"", script,
             done, done, done);
    HeapFree(GetProcessHeap(), 0, done);
    if (!CreateProcessW(L"Z:\\bin\\sh", cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        return -1;
    if (pi.hProcess) {
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    for (int i = 0; i < 1200; i++) {
        HANDLE f = CreateFileW(done_dos, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        if (f != INVALID_HANDLE_VALUE) {
            DWORD n = 0;
            ReadFile(f, line, sizeof(line) - 1, &n, NULL);
            line[n] = 0;
            CloseHandle(f);
            return atoi(line);
        }
        Sleep(100);
    }
    return -1;
}

/* Every expected file, extracted by `reader` into dir, equals its source. */
static void check_extracted(const char *reader, const WCHAR *dir, const char *const *paths, const unsigned *ids,
                            const DWORD *sizes, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        WCHAR path[MAX_PATH];
        BYTE buf[4096];
        DWORD got, at = 0;
        BOOL same = TRUE;
        swprintf(path, MAX_PATH, L"%ls\\%hs", dir, paths[i]);
        for (WCHAR *p = path; *p; p++)
            if (*p == '/')
                *p = '\\';
        HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
        if (f == INVALID_HANDLE_VALUE) {
            ok(0, "%s: %s not extracted\n", reader, paths[i]);
            continue;
        }
        while (same && ReadFile(f, buf, sizeof(buf), &got, NULL) && got) {
            for (DWORD k = 0; k < got; k++)
                same = same && buf[k] == content_byte(ids[i], at + k);
            at += got;
        }
        CloseHandle(f);
        ok(same && at == sizes[i], "%s: %s differs (%lu bytes, want %lu)\n", reader, paths[i], (unsigned long)at,
           (unsigned long)sizes[i]);
    }
}

/* ---------------------------------------------------------------- helpers */

static IFileSystemImage *new_image(void)
{
    IFileSystemImage *image = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftFileSystemImage, NULL, CLSCTX_INPROC_SERVER, &IID_IFileSystemImage,
                                  (void **)&image);
    ok(hr == S_OK, "CoCreateInstance(MsftFileSystemImage): %#lx\n", hr);
    return image;
}

static HRESULT save_stream(IStream *stream, const WCHAR *path, ULONGLONG *size)
{
    IStream *file;
    ULARGE_INTEGER all = {.QuadPart = ~0ull}, read, written;
    HRESULT hr = SHCreateStreamOnFileEx(path, STGM_CREATE | STGM_WRITE, FILE_ATTRIBUTE_NORMAL, TRUE, NULL, &file);
    if (FAILED(hr))
        return hr;
    hr = IStream_CopyTo(stream, file, all, &read, &written);
    IStream_Release(file);
    *size = written.QuadPart;
    return hr;
}

/* The host's readers on an image file of the source tree (and of AddFile's
 * Autounattend.xml when `added`): xorriso, 7-Zip (its UDF reader when `udf`),
 * isoinfo's Joliet tree and udfinfo must each find every file. */
static void check_with_readers(const WCHAR *iso_dos, const WCHAR *src, BOOL udf, BOOL added)
{
    static const char *const added_path = "Autounattend.xml";
    const char *paths[TREE_COUNT + 1];
    unsigned ids[TREE_COUNT + 1], count = TREE_COUNT + (added ? 1 : 0);
    DWORD sizes[TREE_COUNT + 1];
    for (unsigned i = 0; i < TREE_COUNT; i++) {
        paths[i] = tree_files[i].image_path;
        ids[i] = i;
        sizes[i] = tree_files[i].size;
    }
    paths[TREE_COUNT] = added_path;
    ids[TREE_COUNT] = 100;
    sizes[TREE_COUNT] = 777;
    char *iso = unix_name(iso_dos), script[2048];
    /* each command gets the image's path three times */
    struct {
        const char *name, *present, *command;
        BOOL needs_udf;
    } readers[] = {
        {"xorriso", "command -v xorriso",
         "rm -rf '%s.x' && xorriso -abort_on FAILURE -indev '%s' -osirrox on -extract / '%s.x'", FALSE},
        {"7z-udf", "command -v 7z", "rm -rf '%s.x' && 7z x -y -tudf -o'%s.x' '%s'", TRUE},
        {"7z-iso", "command -v 7z", "rm -rf '%s.x' && 7z x -y -tiso -o'%s.x' '%s'", FALSE},
    };
    for (unsigned r = 0; iso && r < ARRAYSIZE(readers); r++) {
        WCHAR out_dos[MAX_PATH];
        if (readers[r].needs_udf && !udf)
            continue;
        if (host_sh(readers[r].present) != 0) {
            skip("%s is not installed on the host\n", readers[r].name);
            continue;
        }
        snprintf(script, sizeof(script), readers[r].command, iso, iso, iso);
        ok(host_sh(script) == 0, "%s could not read the image\n", readers[r].name);
        swprintf(out_dos, MAX_PATH, L"%ls.x", iso_dos);
        check_extracted(readers[r].name, out_dos, paths, ids, sizes, count);
    }
    /* isoinfo extracts one file at a time from the Joliet tree */
    char *src_unix = unix_name(src);
    for (unsigned i = 0; iso && src_unix && i < TREE_COUNT && host_sh("command -v isoinfo") == 0; i++) {
        snprintf(script, sizeof(script), "isoinfo -J -i '%s' -x '/%s' | cmp - '%s/%s'", iso, tree_files[i].image_path,
                 src_unix, tree_files[i].image_path);
        ok(host_sh(script) == 0, "isoinfo: %s differs from its source\n", tree_files[i].image_path);
    }
    HeapFree(GetProcessHeap(), 0, src_unix);
    if (iso && udf && host_sh("command -v udfinfo") == 0) {
        snprintf(script, sizeof(script), "udfinfo '%s' | grep -q '^numfiles=%u$' && udfinfo '%s' | grep -q '^numdirs=2$'",
                 iso, count, iso);
        ok(host_sh(script) == 0, "udfinfo: %u files and 2 directories\n", count);
    }
    HeapFree(GetProcessHeap(), 0, iso);
}

/* ---------------------------------------------------------------- tests */

/* The burner sequence: settings, AddTree, AddFile, CreateResultImage,
 * ImageStream written to a file, then the host's readers. */
static void test_burn_sequence(void)
{
    IFileSystemImage *image = new_image();
    IFsiDirectoryItem *root = NULL;
    IFileSystemImageResult *result = NULL;
    IStream *stream = NULL, *data;
    WCHAR src[MAX_PATH], iso_dos[MAX_PATH];
    LONG blocks = 0, block_size = 0, count = 0;
    ULONGLONG saved = 0;
    HRESULT hr;
    if (!image)
        return;
    make_source_tree();
    swprintf(src, MAX_PATH, L"%ls\\src", work);

    hr = IFileSystemImage_put_FileSystemsToCreate(image, FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF);
    ok(hr == S_OK, "FileSystemsToCreate: %#lx\n", hr);
    hr = IFileSystemImage_put_UDFRevision(image, 0x102);
    ok(hr == S_OK, "UDFRevision: %#lx\n", hr);
    BSTR volume = SysAllocString(L"TEST_VOLUME");
    hr = IFileSystemImage_put_VolumeName(image, volume);
    SysFreeString(volume);
    ok(hr == S_OK, "VolumeName: %#lx\n", hr);

    hr = IFileSystemImage_get_Root(image, &root);
    ok(hr == S_OK && root, "Root: %#lx\n", hr);
    BSTR source = SysAllocString(src);
    hr = IFsiDirectoryItem_AddTree(root, source, VARIANT_FALSE);
    SysFreeString(source);
    ok(hr == S_OK, "AddTree: %#lx\n", hr);
    data = memory_stream(100, 777);
    BSTR name = SysAllocString(L"Autounattend.xml");
    hr = IFsiDirectoryItem_AddFile(root, name, data);
    ok(hr == S_OK, "AddFile: %#lx\n", hr);
    hr = IFsiDirectoryItem_AddFile(root, name, data);
    ok(hr == IMAPI_E_DUP_NAME, "AddFile of the same name: %#lx\n", hr);
    SysFreeString(name);
    IStream_Release(data);

    BSTR deep = SysAllocString(L"docs\\deeper\\a.bin");
    IFsiItem *item = NULL;
    hr = IFsiDirectoryItem_get_Item(root, deep, &item);
    SysFreeString(deep);
    ok(hr == S_OK && item, "Item of an added tree's file: %#lx\n", hr);
    if (item) {
        BSTR path = NULL;
        IFsiItem_get_FullPath(item, &path);
        ok(path && !wcscmp(path, L"\\docs\\deeper\\a.bin"), "FullPath after AddTree: %ls\n", path);
        SysFreeString(path);
        IFsiItem_Release(item);
    }
    hr = IFsiDirectoryItem_get_Count(root, &count);
    ok(hr == S_OK && count == 5, "root Count: %#lx %ld (readme, long name, docs, empty, added)\n", hr, count);
    hr = IFileSystemImage_get_FileCount(image, &count);
    ok(hr == S_OK && count == 6, "FileCount: %#lx %ld\n", hr, count);
    hr = IFileSystemImage_get_DirectoryCount(image, &count);
    ok(hr == S_OK && count == 2, "DirectoryCount: %#lx %ld\n", hr, count);

    hr = IFileSystemImage_CreateResultImage(image, &result);
    ok(hr == S_OK && result, "CreateResultImage: %#lx\n", hr);
    if (!result)
        goto done;
    IFileSystemImageResult_get_TotalBlocks(result, &blocks);
    IFileSystemImageResult_get_BlockSize(result, &block_size);
    ok(block_size == 2048, "BlockSize %ld\n", block_size);
    ok(blocks > 257, "TotalBlocks %ld (UDF puts its anchor at 256)\n", blocks);
    hr = IFileSystemImageResult_get_ImageStream(result, &stream);
    ok(hr == S_OK && stream, "ImageStream: %#lx\n", hr);
    STATSTG st;
    hr = IStream_Stat(stream, &st, STATFLAG_NONAME);
    ok(hr == S_OK && st.cbSize.QuadPart == (ULONGLONG)blocks * 2048, "Stat: %#lx size %llu\n", hr,
       (unsigned long long)st.cbSize.QuadPart);
    swprintf(iso_dos, MAX_PATH, L"%ls\\burn.iso", work);
    hr = save_stream(stream, iso_dos, &saved);
    ok(hr == S_OK && saved == (ULONGLONG)blocks * 2048, "writing the image: %#lx, %llu bytes\n", hr,
       (unsigned long long)saved);

    check_with_readers(iso_dos, src, TRUE, TRUE);
    IStream_Release(stream);
    IFileSystemImageResult_Release(result);
done:
    IFsiDirectoryItem_Release(root);
    IFileSystemImage_Release(image);
}

/* Items: Item, Exists, Remove, RemoveTree, EnumFsiItems, _NewEnum, paths. */
static void test_items(void)
{
    IFileSystemImage *image = new_image();
    IFsiDirectoryItem *root = NULL;
    IFsiItem *item = NULL;
    FsiItemType type;
    HRESULT hr;
    if (!image)
        return;
    IFileSystemImage_get_Root(image, &root);
    BSTR a = SysAllocString(L"a"), ab = SysAllocString(L"a\\b"), abf = SysAllocString(L"\\a\\b\\f.txt"),
         missing = SysAllocString(L"x\\y"), bad = SysAllocString(L"bad?name"), upper = SysAllocString(L"A");
    IStream *data = memory_stream(1, 10);
    ok(IFsiDirectoryItem_AddDirectory(root, a) == S_OK, "AddDirectory a\n");
    ok(IFsiDirectoryItem_AddDirectory(root, upper) == IMAPI_E_DUP_NAME, "names differing in case clash\n");
    ok(IFsiDirectoryItem_AddDirectory(root, ab) == S_OK, "AddDirectory a\\b\n");
    ok(IFsiDirectoryItem_AddFile(root, abf, data) == S_OK, "AddFile \\a\\b\\f.txt\n");
    ok(IFsiDirectoryItem_AddFile(root, missing, data) == IMAPI_E_DIR_NOT_FOUND, "AddFile below a missing directory\n");
    ok(IFsiDirectoryItem_AddDirectory(root, bad) == IMAPI_E_INVALID_PATH, "'?' in a name\n");
    ok(IFsiDirectoryItem_AddFile(root, a, NULL) == E_POINTER, "AddFile without data\n");

    hr = IFsiDirectoryItem_get_Item(root, abf, &item);
    ok(hr == S_OK && item, "Item: %#lx\n", hr);
    if (item) {
        BSTR path = NULL;
        IFsiFileItem *file = NULL;
        LONGLONG size = 0;
        IFsiItem_get_FullPath(item, &path);
        ok(path && !wcscmp(path, L"\\a\\b\\f.txt"), "FullPath %ls\n", path);
        SysFreeString(path);
        ok(IFsiItem_QueryInterface(item, &IID_IFsiFileItem, (void **)&file) == S_OK, "a file item\n");
        if (file) {
            IFsiFileItem_get_DataSize(file, &size);
            ok(size == 10, "DataSize %lld\n", size);
            IFsiFileItem_Release(file);
        }
        IFsiItem_Release(item);
    }
    ok(IFsiDirectoryItem_get_Item(root, missing, &item) == IMAPI_E_ITEM_NOT_FOUND, "Item of a missing path\n");
    ok(IFileSystemImage_Exists(image, ab, &type) == S_OK && type == FsiItemDirectory, "Exists a\\b: %d\n", type);
    ok(IFileSystemImage_Exists(image, abf, &type) == S_OK && type == FsiItemFile, "Exists f.txt: %d\n", type);
    ok(IFileSystemImage_Exists(image, missing, &type) == S_OK && type == FsiItemNotFound, "Exists x\\y: %d\n", type);

    IEnumFsiItems *items = NULL;
    ULONG fetched = 0;
    IFsiItem *got[4] = {0};
    ok(IFsiDirectoryItem_get_EnumFsiItems(root, &items) == S_OK && items, "EnumFsiItems\n");
    if (items) {
        hr = IEnumFsiItems_Next(items, 4, got, &fetched);
        ok(hr == S_FALSE && fetched == 1, "Next: %#lx %lu\n", hr, fetched);
        for (ULONG i = 0; i < fetched; i++)
            IFsiItem_Release(got[i]);
        IEnumFsiItems_Release(items);
    }
    IEnumVARIANT *values = NULL;
    VARIANT v;
    ok(IFsiDirectoryItem_get__NewEnum(root, &values) == S_OK && values, "_NewEnum\n");
    if (values) {
        VariantInit(&v);
        hr = IEnumVARIANT_Next(values, 1, &v, &fetched);
        ok(hr == S_OK && V_VT(&v) == VT_BSTR && !wcscmp(V_BSTR(&v), L"\\a"), "_NewEnum gives the paths\n");
        VariantClear(&v);
        IEnumVARIANT_Release(values);
    }

    ok(IFsiDirectoryItem_Remove(root, a) == IMAPI_E_DIR_NOT_EMPTY, "Remove of a full directory\n");
    ok(IFsiDirectoryItem_Remove(root, abf) == S_OK, "Remove f.txt\n");
    ok(IFsiDirectoryItem_Remove(root, abf) == IMAPI_E_ITEM_NOT_FOUND, "Remove twice\n");
    ok(IFsiDirectoryItem_RemoveTree(root, a) == S_OK, "RemoveTree a\n");
    LONG count = -1;
    IFsiDirectoryItem_get_Count(root, &count);
    ok(count == 0, "Count after RemoveTree %ld\n", count);

    IStream_Release(data);
    SysFreeString(a);
    SysFreeString(ab);
    SysFreeString(abf);
    SysFreeString(missing);
    SysFreeString(bad);
    SysFreeString(upper);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage_Release(image);
}

/* Settings and their documented refusals. */
static void test_settings(void)
{
    IFileSystemImage *image = new_image();
    FsiFileSystems fs = 0;
    LONG value = 0;
    SAFEARRAY *sa = NULL;
    if (!image)
        return;
    ok(IFileSystemImage_get_FreeMediaBlocks(image, &value) == S_OK && value == 332800, "FreeMediaBlocks %ld\n", value);
    ok(IFileSystemImage_get_FileSystemsSupported(image, &fs) == S_OK &&
           fs == (FsiFileSystemISO9660 | FsiFileSystemJoliet | FsiFileSystemUDF), "FileSystemsSupported %#x\n", fs);
    ok(IFileSystemImage_put_UDFRevision(image, 0x103) == IMAPI_E_INVALID_PARAM, "UDF revision 1.03\n");
    ok(IFileSystemImage_put_ISO9660InterchangeLevel(image, 4) == IMAPI_E_INVALID_PARAM, "ISO level 4\n");
    ok(IFileSystemImage_put_ISO9660InterchangeLevel(image, 3) == S_OK, "ISO level 3\n");
    ok(IFileSystemImage_get_UDFRevisionsSupported(image, &sa) == S_OK && sa, "UDFRevisionsSupported\n");
    SafeArrayDestroy(sa);
    BSTR long_name = SysAllocString(L"ABCDEFGHIJKLMNOP"), bad_name = SysAllocString(L"a b");
    ok(IFileSystemImage_put_VolumeName(image, long_name) == IMAPI_E_INVALID_VOLUME_NAME, "16-character volume name\n");
    ok(IFileSystemImage_put_VolumeName(image, bad_name) == IMAPI_E_INVALID_VOLUME_NAME, "space in a volume name\n");
    SysFreeString(long_name);
    SysFreeString(bad_name);
    ok(IFileSystemImage_put_FileSystemsToCreate(image, 8) == IMAPI_E_INVALID_PARAM, "unknown file system bit\n");
    ok(IFileSystemImage_ChooseImageDefaultsForMediaType(image, IMAPI_MEDIA_TYPE_DVDPLUSR) == S_OK, "DVD+R defaults\n");
    IFileSystemImage_get_FileSystemsToCreate(image, &fs);
    ok(fs & FsiFileSystemUDF, "DVD defaults include UDF: %#x\n", fs);
    ok(IFileSystemImage_ChooseImageDefaultsForMediaType(image, IMAPI_MEDIA_TYPE_UNKNOWN) == IMAPI_E_INVALID_PARAM,
       "unknown media type\n");

    /* nothing to create */
    IFileSystemImageResult *result = NULL;
    IFileSystemImage_put_FileSystemsToCreate(image, FsiFileSystemNone);
    ok(IFileSystemImage_CreateResultImage(image, &result) == IMAPI_E_NO_OUTPUT && !result, "no file system\n");
    IFileSystemImage_Release(image);
}

/* ISO 9660's eight levels, and a tree larger than FreeMediaBlocks. */
static void test_limits(void)
{
    IFileSystemImage *image = new_image();
    IFsiDirectoryItem *root = NULL;
    IFileSystemImageResult *result = NULL;
    WCHAR path[64] = L"";
    HRESULT hr = S_OK;
    if (!image)
        return;
    IFileSystemImage_put_FileSystemsToCreate(image, FsiFileSystemISO9660 | FsiFileSystemJoliet);
    IFileSystemImage_get_Root(image, &root);
    for (int level = 2; level <= 9; level++) {
        wcscat(path, level == 2 ? L"d" : L"\\d");
        BSTR p = SysAllocString(path);
        hr = IFsiDirectoryItem_AddDirectory(root, p);
        SysFreeString(p);
        if (level <= 8)
            ok(hr == S_OK, "level %d: %#lx\n", level, hr);
    }
    ok(hr == IMAPI_E_ISO9660_LEVELS, "a ninth level: %#lx\n", hr);

    IStream *big = memory_stream(5, 200000);
    BSTR name = SysAllocString(L"big.bin");
    IFsiDirectoryItem_AddFile(root, name, big);
    SysFreeString(name);
    IStream_Release(big);
    ok(IFileSystemImage_put_FreeMediaBlocks(image, 30) == IMAPI_E_IMAGE_TOO_BIG, "FreeMediaBlocks below the size\n");
    ok(IFileSystemImage_put_FreeMediaBlocks(image, 0) == S_OK, "FreeMediaBlocks 0 (no limit)\n");
    hr = IFileSystemImage_CreateResultImage(image, &result);
    ok(hr == S_OK, "CreateResultImage without a limit: %#lx\n", hr);
    if (result)
        IFileSystemImageResult_Release(result);
    IFsiDirectoryItem_Release(root);
    IFileSystemImage_Release(image);
}

/* Script clients: GetIDsOfNames and Invoke through the type library. */
static void test_dispatch(void)
{
    IFileSystemImage *image = new_image();
    IDispatch *disp = NULL;
    OLECHAR *names[] = {(OLECHAR *)L"VolumeName", (OLECHAR *)L"CreateResultImage", (OLECHAR *)L"UDFRevision"};
    DISPID ids[3] = {0};
    if (!image)
        return;
    IFileSystemImage_QueryInterface(image, &IID_IDispatch, (void **)&disp);
    for (int i = 0; i < 3; i++)
        ok(IDispatch_GetIDsOfNames(disp, &IID_NULL, &names[i], 1, 0, &ids[i]) == S_OK, "%ls\n", names[i]);
    ok(ids[0] == 4 && ids[1] == 15 && ids[2] == 37, "DISPIDs %ld %ld %ld\n", ids[0], ids[1], ids[2]);
    VARIANT arg, result;
    DISPID put = DISPID_PROPERTYPUT;
    DISPPARAMS params = {&arg, &put, 1, 1};
    V_VT(&arg) = VT_BSTR;
    V_BSTR(&arg) = SysAllocString(L"FromScript");
    ok(IDispatch_Invoke(disp, ids[0], &IID_NULL, 0, DISPATCH_PROPERTYPUT, &params, NULL, NULL, NULL) == S_OK,
       "VolumeName put through Invoke\n");
    VariantClear(&arg);
    DISPPARAMS none = {0};
    VariantInit(&result);
    ok(IDispatch_Invoke(disp, ids[0], &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &result, NULL, NULL) == S_OK &&
           V_VT(&result) == VT_BSTR && !wcscmp(V_BSTR(&result), L"FromScript"),
       "VolumeName through Invoke\n");
    VariantClear(&result);
    IDispatch_Release(disp);
    IFileSystemImage_Release(image);
}

/* DFileSystemImageEvents::Update through the connection point: a first
 * (0 sectors) and a last (all sectors) notification per file added. */
struct update_sink {
    struct test_sink head;
    int calls;
    LONG copied[4], total[4];
    WCHAR file[64];
    IDispatch *object;
};

static HRESULT WINAPI update_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                    DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct update_sink *sink = (struct update_sink *)test_sink_from_IDispatch(iface);
    (void)riid; (void)lcid; (void)flags; (void)result; (void)excep; (void)arg_err;
    ok(id == DISPID_DFILESYSTEMIMAGEEVENTS_UPDATE && params->cArgs == 4, "event %ld with %u arguments\n", id,
       params->cArgs);
    if (params->cArgs != 4 || sink->calls >= 4)
        return S_OK;
    sink->object = V_VT(&params->rgvarg[3]) == VT_DISPATCH ? V_DISPATCH(&params->rgvarg[3]) : NULL;
    if (V_VT(&params->rgvarg[2]) == VT_BSTR)
        lstrcpynW(sink->file, V_BSTR(&params->rgvarg[2]), 64);
    sink->copied[sink->calls] = V_I4(&params->rgvarg[1]);
    sink->total[sink->calls] = V_I4(&params->rgvarg[0]);
    sink->calls++;
    return S_OK;
}

static const IDispatchVtbl update_sink_vtbl = TEST_SINK_VTBL(update_Invoke);

static void test_events(void)
{
    IFileSystemImage *image = new_image();
    IConnectionPointContainer *container = NULL;
    IConnectionPoint *point = NULL;
    IFsiDirectoryItem *root = NULL;
    struct update_sink sink = {0};
    DWORD cookie = 0;
    if (!image)
        return;
    test_sink_init(&sink.head, &update_sink_vtbl, &IID_DFileSystemImageEvents, NULL);
    ok(IFileSystemImage_QueryInterface(image, &IID_IConnectionPointContainer, (void **)&container) == S_OK,
       "IConnectionPointContainer\n");
    if (!container)
        goto done;
    ok(IConnectionPointContainer_FindConnectionPoint(container, &IID_DFileSystemImageEvents, &point) == S_OK,
       "DFileSystemImageEvents point\n");
    if (!point)
        goto done;
    ok(IConnectionPoint_Advise(point, (IUnknown *)&sink.head.IDispatch_iface, &cookie) == S_OK, "Advise\n");
    IFileSystemImage_get_Root(image, &root);
    IStream *data = memory_stream(7, 5000);
    BSTR name = SysAllocString(L"x.bin");
    ok(IFsiDirectoryItem_AddFile(root, name, data) == S_OK, "AddFile\n");
    SysFreeString(name);
    IStream_Release(data);
    ok(sink.calls == 2, "%d Update calls for one file\n", sink.calls);
    ok(sink.copied[0] == 0 && sink.total[0] == 3 && sink.copied[1] == 3 && sink.total[1] == 3,
       "sectors %ld/%ld then %ld/%ld\n", sink.copied[0], sink.total[0], sink.copied[1], sink.total[1]);
    ok(!wcscmp(sink.file, L"x.bin"), "currentFile %ls\n", sink.file);
    ok(sink.object != NULL, "object\n");
    IConnectionPoint_Unadvise(point, cookie);
    IFsiDirectoryItem_Release(root);
done:
    if (point)
        IConnectionPoint_Release(point);
    if (container)
        IConnectionPointContainer_Release(container);
    IFileSystemImage_Release(image);
}

/* ---------------------------------------------------------------- the recorder's disc */

#define CDR80_FREE 359697     /* a blank 80-minute CD-R: lead-out 359849 less run-out and post-gap */
#define DVDPLUSR_FREE 2295104 /* a blank DVD+R */
#define ISO_JOLIET (FsiFileSystemISO9660 | FsiFileSystemJoliet)
#define ISO_JOLIET_UDF (ISO_JOLIET | FsiFileSystemUDF)

static IDiscFormat2Data *data_writer(IDiscRecorder2 *rec)
{
    IDiscFormat2Data *data = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscFormat2Data, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2Data,
                                  (void **)&data);
    ok(hr == S_OK, "CoCreateInstance(MsftDiscFormat2Data): %#lx\n", hr);
    if (data) {
        BSTR name = SysAllocString(L"fsimage test");
        ok(IDiscFormat2Data_put_Recorder(data, rec) == S_OK, "put_Recorder\n");
        ok(IDiscFormat2Data_put_ClientName(data, name) == S_OK, "put_ClientName\n");
        SysFreeString(name);
    }
    return data;
}

/* The data writer's own FreeSectorsOnMedia for the disc in `rec`. */
static LONG writer_free(IDiscRecorder2 *rec)
{
    IDiscFormat2Data *data = data_writer(rec);
    LONG free_sectors = -1;
    if (data) {
        ok(IDiscFormat2Data_get_FreeSectorsOnMedia(data, &free_sectors) == S_OK, "FreeSectorsOnMedia\n");
        IDiscFormat2Data_Release(data);
    }
    return free_sectors;
}

static void image_settings(IFileSystemImage *image, FsiFileSystems *fs, LONG *blocks)
{
    ok(IFileSystemImage_get_FileSystemsToCreate(image, fs) == S_OK, "FileSystemsToCreate\n");
    ok(IFileSystemImage_get_FreeMediaBlocks(image, blocks) == S_OK, "FreeMediaBlocks\n");
}

/* ChooseImageDefaults on a blank disc of each kind: the type's file systems
 * and the disc's free sectors (as the data writer counts them). */
static void check_defaults(const WCHAR *kind, FsiFileSystems want_fs, LONG want_blocks)
{
    IFileSystemImage *image = new_image();
    IDiscRecorder2 *rec;
    FsiFileSystems fs = 0;
    LONG blocks = 0, free_sectors;
    HRESULT hr;
    test_vr_add(L"fsi", kind, NULL, TRUE);
    rec = test_open_recorder(L"fsi");
    if (image && rec) {
        free_sectors = writer_free(rec);
        hr = IFileSystemImage_ChooseImageDefaults(image, rec);
        ok(hr == S_OK, "%ls: ChooseImageDefaults %#lx\n", kind, hr);
        image_settings(image, &fs, &blocks);
        ok(fs == want_fs, "%ls: file systems %#x, want %#x\n", kind, fs, want_fs);
        ok(blocks == free_sectors && (!want_blocks || blocks == want_blocks),
           "%ls: FreeMediaBlocks %ld, the writer has %ld free (want %ld)\n", kind, blocks, free_sectors, want_blocks);
    }
    if (rec)
        IDiscRecorder2_Release(rec);
    if (image)
        IFileSystemImage_Release(image);
}

/* A disc the defaults cannot come from: `want` with a description, the
 * settings untouched. */
static void check_refused(const WCHAR *kind, HRESULT want, const WCHAR *says)
{
    IFileSystemImage *image = new_image();
    IDiscRecorder2 *rec;
    FsiFileSystems fs = 0;
    LONG blocks = 0;
    HRESULT hr;
    test_vr_add(L"fsi", kind, NULL, TRUE);
    rec = test_open_recorder(L"fsi");
    if (image && rec) {
        IFileSystemImage_put_FileSystemsToCreate(image, FsiFileSystemISO9660);
        hr = IFileSystemImage_ChooseImageDefaults(image, rec);
        ok(hr == want, "%ls: ChooseImageDefaults %#lx, want %#lx\n", kind, hr, want);
        ok(test_error_says(says), "%ls: described\n", kind);
        hr = IFileSystemImage_SetMaxMediaBlocksFromDevice(image, rec);
        ok(hr == want, "%ls: SetMaxMediaBlocksFromDevice %#lx, want %#lx\n", kind, hr, want);
        image_settings(image, &fs, &blocks);
        ok(fs == FsiFileSystemISO9660 && blocks == 332800, "%ls: settings kept (%#x, %ld)\n", kind, fs, blocks);
    }
    if (rec)
        IDiscRecorder2_Release(rec);
    if (image)
        IFileSystemImage_Release(image);
}

static void test_choose_defaults(void)
{
    IFileSystemImage *image = new_image();
    IDiscRecorder2 *rec;
    FsiFileSystems fs = 0;
    LONG blocks = 0;
    if (!image)
        return;
    ok(IFileSystemImage_ChooseImageDefaults(image, NULL) == E_POINTER, "ChooseImageDefaults(NULL)\n");
    ok(IFileSystemImage_SetMaxMediaBlocksFromDevice(image, NULL) == E_POINTER, "SetMaxMediaBlocksFromDevice(NULL)\n");

    check_defaults(L"cdr80", ISO_JOLIET, CDR80_FREE);
    check_defaults(L"cdrw", ISO_JOLIET, 0);
    check_defaults(L"dvd+r", ISO_JOLIET_UDF, DVDPLUSR_FREE);
    check_defaults(L"dvd-r", ISO_JOLIET_UDF, 0);
    check_defaults(L"bd-r", ISO_JOLIET_UDF, 0);
    check_refused(L"none", E_IMAPI_RECORDER_MEDIA_NO_MEDIA, L"disc");
    check_refused(L"cdrom", E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, L"compatible");
    check_refused(L"cdr-closed", E_IMAPI_DF2DATA_INVALID_MEDIA_STATE, L"state");

    /* SetMaxMediaBlocksFromDevice: the capacity only, the file systems kept */
    test_vr_add(L"fsi", L"dvd+r", NULL, TRUE);
    if ((rec = test_open_recorder(L"fsi"))) {
        IFileSystemImage_put_FileSystemsToCreate(image, FsiFileSystemISO9660);
        ok(IFileSystemImage_SetMaxMediaBlocksFromDevice(image, rec) == S_OK, "SetMaxMediaBlocksFromDevice\n");
        image_settings(image, &fs, &blocks);
        ok(fs == FsiFileSystemISO9660 && blocks == DVDPLUSR_FREE, "DVD+R: %#x, %ld blocks\n", fs, blocks);
        IDiscRecorder2_Release(rec);
    }
    IFileSystemImage_Release(image);
}

/* Reads `sectors` from LBA 0 of the virtual disc `name` through the drive
 * (READ(10) via IDiscRecorder2Ex) into the file `path`. */
static BOOL read_disc(const WCHAR *name, LONG sectors, const WCHAR *path)
{
    IDiscRecorder2 *rec = test_open_recorder(name);
    IDiscRecorder2Ex *ex = NULL;
    static BYTE buf[16 * 2048];
    HANDLE f;
    BOOL good = TRUE;
    if (!rec)
        return FALSE;
    IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex);
    IDiscRecorder2_Release(rec);
    if (!ex)
        return FALSE;
    f = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    for (LONG lba = 0; good && f != INVALID_HANDLE_VALUE && lba < sectors; lba += 16) {
        LONG n = sectors - lba < 16 ? sectors - lba : 16;
        BYTE cdb[10] = {0x28, 0, (BYTE)(lba >> 24), (BYTE)(lba >> 16), (BYTE)(lba >> 8), (BYTE)lba, 0, 0, (BYTE)n, 0};
        BYTE sense[18];
        ULONG fetched = 0;
        DWORD written = 0;
        HRESULT hr = IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, sizeof(cdb), sense, 10, buf,
                                                                   (ULONG)n * 2048, &fetched);
        good = SUCCEEDED(hr) && fetched == (ULONG)n * 2048 && WriteFile(f, buf, fetched, &written, NULL) &&
               written == fetched;
        ok(good, "READ(10) at %ld: %#lx, %lu bytes\n", lba, hr, fetched);
    }
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    IDiscRecorder2Ex_Release(ex);
    return good && f != INVALID_HANDLE_VALUE;
}

/* Microsoft's "burning a disc" sample, in its order, on a blank virtual
 * disc: recorder, FileSystemImage and Root, data writer with Recorder and
 * ClientName, ChooseImageDefaults(recorder), Root.AddTree, CreateResultImage,
 * ImageStream, Write. The disc is left in `want_state` (a DVD+R is closed
 * by default: consumer DVD compatibility mode), then read back through the
 * drive, and the host's readers must find the folder on it. */
static void test_sample_burn(const WCHAR *kind, FsiFileSystems want_fs, IMAPI_FORMAT2_DATA_MEDIA_STATE want_state)
{
    IFileSystemImage *image = new_image();
    IFsiDirectoryItem *root = NULL;
    IFileSystemImageResult *result = NULL;
    IDiscFormat2Data *data = NULL;
    IDiscRecorder2 *rec;
    IStream *stream = NULL;
    IMAPI_FORMAT2_DATA_MEDIA_STATE state = 0;
    WCHAR src[MAX_PATH], iso_dos[MAX_PATH];
    FsiFileSystems fs = 0;
    LONG blocks = 0;
    HRESULT hr;
    test_vr_add(L"sample", kind, NULL, TRUE);
    rec = test_open_recorder(L"sample");
    if (!image || !rec)
        goto done;
    make_source_tree();
    swprintf(src, MAX_PATH, L"%ls\\src", work);
    IFileSystemImage_get_Root(image, &root);
    data = data_writer(rec);
    hr = IFileSystemImage_ChooseImageDefaults(image, rec);
    ok(hr == S_OK, "%ls: ChooseImageDefaults %#lx\n", kind, hr);
    ok(IFileSystemImage_get_FileSystemsToCreate(image, &fs) == S_OK && fs == want_fs, "%ls: file systems %#x\n",
       kind, fs);
    BSTR source = SysAllocString(src);
    hr = root ? IFsiDirectoryItem_AddTree(root, source, VARIANT_FALSE) : E_POINTER;
    SysFreeString(source);
    ok(hr == S_OK, "%ls: AddTree %#lx\n", kind, hr);
    hr = IFileSystemImage_CreateResultImage(image, &result);
    ok(hr == S_OK && result, "%ls: CreateResultImage %#lx\n", kind, hr);
    if (!result || !data)
        goto done;
    IFileSystemImageResult_get_TotalBlocks(result, &blocks);
    ok(IFileSystemImageResult_get_ImageStream(result, &stream) == S_OK && stream, "%ls: ImageStream\n", kind);
    if (!stream)
        goto done;
    hr = IDiscFormat2Data_Write(data, stream);
    ok(hr == S_OK, "%ls: Write %#lx\n", kind, hr);
    hr = IDiscFormat2Data_get_CurrentMediaStatus(data, &state);
    ok(hr == S_OK && state == want_state, "%ls: after the session %#lx, state %#x, want %#x\n", kind, hr, state,
       want_state);
    swprintf(iso_dos, MAX_PATH, L"%ls\\disc.iso", work);
    if (SUCCEEDED(hr) && read_disc(L"sample", blocks, iso_dos))
        check_with_readers(iso_dos, src, (want_fs & FsiFileSystemUDF) != 0, FALSE);
done:
    if (stream)
        IStream_Release(stream);
    if (result)
        IFileSystemImageResult_Release(result);
    if (data)
        IDiscFormat2Data_Release(data);
    if (root)
        IFsiDirectoryItem_Release(root);
    if (rec)
        IDiscRecorder2_Release(rec);
    if (image)
        IFileSystemImage_Release(image);
}

int main(void)
{
    WCHAR temp[MAX_PATH];
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    GetTempPathW(MAX_PATH, temp);
    swprintf(work, MAX_PATH, L"%lsimapi2fs-test-%lu", temp, (unsigned long)GetCurrentProcessId());
    swprintf(status_file, MAX_PATH, L"%lsimapi2fs-test-%lu.rc", temp, (unsigned long)GetCurrentProcessId());
    CreateDirectoryW(work, NULL);
    test_vr_remove_all();
    test_settings();
    test_items();
    test_limits();
    test_dispatch();
    test_events();
    test_burn_sequence();
    test_choose_defaults();
    test_sample_burn(L"dvd+r", ISO_JOLIET_UDF, IMAPI_FORMAT2_DATA_MEDIA_STATE_FINALIZED);
    test_sample_burn(L"cdr80", ISO_JOLIET, IMAPI_FORMAT2_DATA_MEDIA_STATE_APPENDABLE);
    test_vr_remove_all();
    char *dir = unix_name(work), script[600];
    if (dir) {
        snprintf(script, sizeof(script), "rm -rf '%s'", dir);
        host_sh(script);
        HeapFree(GetProcessHeap(), 0, dir);
    }
    DeleteFileW(status_file);
    CoUninitialize();
    return okay_summary("fsimage");
}
