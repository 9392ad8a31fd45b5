/* The IMAPI2 HRESULT texts through FormatMessage, the way Windows programs ask
 * for them (Microsoft's own IMAPI2 sample among them): create an IMAPI2 object,
 * take GetModuleHandle(L"imapi2.dll") and call FormatMessageW with
 * FORMAT_MESSAGE_FROM_HMODULE (| FROM_SYSTEM). Every row of the one HRESULT
 * table (libs/mmc/imapi2_errors.def, read here as the DLL reads it) must come
 * back with its text and the "\r\n" a message compiler appends.
 *
 * Windows' imapi2.dll words its texts differently, so against it only the
 * structural checks would pass; the texts are ours. */
#define COBJMACROS
#include <string.h>
#include <wchar.h>
#include <windows.h>
#include <ole2.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "okay.h"

static const struct {
    const char *name;
    DWORD value;
    const char *text;
} rows[] = {
#define IMAPI2_ERROR(name, value, text) { #name, value, text },
#include "mmc/imapi2_errors.def"
#undef IMAPI2_ERROR
};

static const WCHAR *text_of(const char *utf8, WCHAR *buf, int size)
{
    if (!MultiByteToWideChar(CP_UTF8, 0, utf8, -1, buf, size))
        buf[0] = 0;
    return buf;
}

static BOOL in_table(DWORD value)
{
    for (unsigned i = 0; i < ARRAYSIZE(rows); i++)
        if (rows[i].value == value)
            return TRUE;
    return FALSE;
}

/* The module a COM client of ours ends up with: whatever the registered
 * InprocServer32 of MsftDiscMaster2 loaded. */
static HMODULE imapi2_module(IDiscMaster2 **keep)
{
    WCHAR path[MAX_PATH], registered[MAX_PATH];
    DWORD size = sizeof(registered);
    HMODULE module;
    HRESULT hr;
    LONG err;

    hr = CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscMaster2, (void **)keep);
    ok(hr == S_OK, "CoCreateInstance(MsftDiscMaster2) got %#lx\n", hr);
    if (FAILED(hr))
        return NULL;
    module = GetModuleHandleW(L"imapi2.dll");
    ok(module != NULL, "GetModuleHandle(imapi2.dll) failed, error %lu\n", GetLastError());
    if (!module)
        return NULL;
    err = RegGetValueW(HKEY_CLASSES_ROOT, L"CLSID\\{2735412E-7F64-5B0F-8F00-5D77AFBE261E}\\InprocServer32", NULL,
                       RRF_RT_REG_SZ, NULL, registered, &size);
    ok(err == ERROR_SUCCESS, "reading InprocServer32 got %ld\n", err);
    GetModuleFileNameW(module, path, ARRAYSIZE(path));
    ok(err != ERROR_SUCCESS || !_wcsicmp(path, registered), "imapi2.dll is %ls, the registered server %ls\n", path,
       registered);
    return module;
}

static void test_every_row(HMODULE module)
{
    for (unsigned i = 0; i < ARRAYSIZE(rows); i++) {
        WCHAR expect[600], got[600];
        DWORD len;

        text_of(rows[i].text, expect, ARRAYSIZE(expect) - 2);
        wcscat(expect, L"\r\n");

        SetLastError(0xdeadbeef);
        len = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_IGNORE_INSERTS, module, rows[i].value, 0,
                             got, ARRAYSIZE(got), NULL);
        ok(len == wcslen(expect), "%s: got length %lu, error %lu, want %u\n", rows[i].name, len, GetLastError(),
           (unsigned)wcslen(expect));
        ok(len && !wcscmp(got, expect), "%s: got \"%ls\"\n", rows[i].name, len ? got : L"");

        /* What the MS sample passes: the module first, the system as fallback. */
        len = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_FROM_SYSTEM |
                                 FORMAT_MESSAGE_IGNORE_INSERTS,
                             module, rows[i].value, 0, got, ARRAYSIZE(got), NULL);
        ok(len && !wcscmp(got, expect), "%s with FROM_SYSTEM: got \"%ls\"\n", rows[i].name, len ? got : L"");
    }
}

static void test_allocated_buffer(HMODULE module)
{
    WCHAR expect[600];
    WCHAR *text = NULL;
    DWORD len;

    text_of("The request was cancelled.", expect, ARRAYSIZE(expect));
    wcscat(expect, L"\r\n");
    len = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER |
                             FORMAT_MESSAGE_IGNORE_INSERTS,
                         module, (DWORD)E_IMAPI_REQUEST_CANCELLED, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT),
                         (WCHAR *)&text, 0, NULL);
    ok(len && text && !wcscmp(text, expect), "E_IMAPI_REQUEST_CANCELLED allocated: got %lu \"%ls\"\n", len,
       text ? text : L"");
    LocalFree(text);

    /* Inserts are not needed: the same text without IGNORE_INSERTS. */
    len = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ALLOCATE_BUFFER, module,
                         (DWORD)E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID, 0, (WCHAR *)&text, 0, NULL);
    ok(len && text && wcsstr(text, L"1 to 63 characters"), "without IGNORE_INSERTS: got %lu \"%ls\"\n", len,
       text ? text : L"");
    LocalFree(text);
}

static void test_not_in_table(HMODULE module)
{
    static const DWORD absent[] = {
        0xC0AA0605,              /* a gap inside the raw-CD group */
        0xC0AA0001,              /* just below the first block */
        0xC0AA0A00,              /* a RAW_IMAGE number with the other severity */
        0x80AA0A0B,              /* just past the last RAW_IMAGE code */
        0x00000000,              /* below everything */
        0xFFFFFFFF,              /* above everything */
        (DWORD)E_OUTOFMEMORY,    /* a system HRESULT */
    };
    WCHAR got[600];
    for (unsigned i = 0; i < ARRAYSIZE(absent); i++) {
        DWORD len;
        ok(!in_table(absent[i]), "0x%08lX is in the table after all\n", absent[i]);
        SetLastError(0xdeadbeef);
        len = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_IGNORE_INSERTS, module, absent[i], 0, got,
                             ARRAYSIZE(got), NULL);
        ok(!len, "0x%08lX: got \"%ls\"\n", absent[i], len ? got : L"");
        ok(GetLastError() == ERROR_MR_MID_NOT_FOUND, "0x%08lX: error %lu\n", absent[i], GetLastError());
    }
}

static void test_system_fallback(HMODULE module)
{
    static const DWORD system_codes[] = { (DWORD)E_OUTOFMEMORY, (DWORD)E_INVALIDARG, ERROR_ACCESS_DENIED };
    for (unsigned i = 0; i < ARRAYSIZE(system_codes); i++) {
        WCHAR plain[600], both[600];
        DWORD plain_len, both_len;
        plain_len = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, system_codes[i],
                                   0, plain, ARRAYSIZE(plain), NULL);
        both_len = FormatMessageW(FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_FROM_SYSTEM |
                                      FORMAT_MESSAGE_IGNORE_INSERTS,
                                  module, system_codes[i], 0, both, ARRAYSIZE(both), NULL);
        ok(plain_len > 0, "0x%08lX from the system: error %lu\n", system_codes[i], GetLastError());
        ok(both_len == plain_len && !wcscmp(plain, both), "0x%08lX: module+system gave \"%ls\", system \"%ls\"\n",
           system_codes[i], both_len ? both : L"", plain_len ? plain : L"");
    }
}

/* The resource itself, as mc.exe lays one out: blocks of consecutive IDs in
 * ascending order, 4-byte aligned UTF-16 entries ending in "\r\n". */
static void test_resource_layout(HMODULE module)
{
    const BYTE *data;
    const DWORD *head;
    DWORD size, blocks, ids = 0, previous_high = 0;
    HRSRC res = FindResourceW(module, MAKEINTRESOURCEW(1), (const WCHAR *)RT_MESSAGETABLE);

    ok(res != NULL, "no message table resource 1 (error %lu)\n", GetLastError());
    if (!res)
        return;
    size = SizeofResource(module, res);
    data = LockResource(LoadResource(module, res));
    ok(data && size >= 4, "message table of %lu bytes\n", size);
    if (!data || size < 4)
        return;
    head = (const DWORD *)data;
    blocks = head[0];
    ok(blocks >= 1 && 4 + blocks * 12 <= size, "%lu blocks in %lu bytes\n", blocks, size);
    if (4 + blocks * 12 > size)
        return;
    for (DWORD b = 0; b < blocks; b++) {
        DWORD low = head[1 + b * 3], high = head[2 + b * 3], at = head[3 + b * 3];
        ok(low <= high, "block %lu: 0x%08lX..0x%08lX\n", b, low, high);
        ok(!b || low > previous_high + 1, "block %lu (0x%08lX) does not follow the previous one with a gap\n", b,
           low);
        previous_high = high;
        for (DWORD id = low; id <= high && at + 4 <= size; id++) {
            WORD length = *(const WORD *)(data + at), flags = *(const WORD *)(data + at + 2);
            const WCHAR *text = (const WCHAR *)(data + at + 4);
            size_t chars;
            ok(length >= 8 && !(length % 4) && at + length <= size, "0x%08lX: entry length %u\n", id, length);
            ok(flags == 1, "0x%08lX: flags %u\n", id, flags);
            ok(in_table(id), "0x%08lX is not in the HRESULT table\n", id);
            if (length < 8 || at + length > size)
                break;
            chars = wcsnlen(text, (length - 4) / 2);
            ok(chars >= 2 && chars < (size_t)(length - 4) / 2 && !wcsncmp(text + chars - 2, L"\r\n", 2),
               "0x%08lX: text does not end in CR LF and NUL\n", id);
            ids++;
            at += length;
            if (id == 0xFFFFFFFF)
                break;
        }
    }
    ok(ids == ARRAYSIZE(rows), "%lu messages, the table has %u rows\n", ids, (unsigned)ARRAYSIZE(rows));
}

int main(void)
{
    IDiscMaster2 *master = NULL;
    HMODULE module;

    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    module = imapi2_module(&master);
    if (module) {
        test_resource_layout(module);
        test_every_row(module);
        test_allocated_buffer(module);
        test_not_in_table(module);
        test_system_fallback(module);
    } else {
        skip("imapi2.dll is not loaded\n");
    }
    if (master)
        IDiscMaster2_Release(master);
    CoUninitialize();
    return okay_summary("messages");
}
