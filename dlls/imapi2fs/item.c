/* What directory and file items share: name, times, hidden flag, the path
 * through their parents, and the name rules. */
#include <wchar.h>
#include "imapi2fs_private.h"

/* DATE counts days from 1899-12-30; 25569 of them reach 1970-01-01. */
#define DATE_UNIX_EPOCH 25569.0

int64_t unix_from_date(DATE d)
{
    return (int64_t)((d - DATE_UNIX_EPOCH) * 86400.0 + (d >= DATE_UNIX_EPOCH ? 0.5 : -0.5));
}

DATE item_now(void)
{
    FILETIME ft;
    ULARGE_INTEGER t;
    GetSystemTimeAsFileTime(&ft);
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    /* FILETIME: 100 ns units from 1601-01-01, 11644473600 s before 1970 */
    return (DATE)((double)(t.QuadPart / 10000000ull) - 11644473600.0) / 86400.0 + DATE_UNIX_EPOCH;
}

HRESULT item_check_name(const WCHAR *name)
{
    if (!name)
        return IMAPI_E_INVALID_PATH;
    return fsi_check_name((const uint16_t *)name, wcslen(name));
}

HRESULT item_init(struct fs_item *item, IFsiItem *iface, struct fs_image *image, const WCHAR *name, BOOL is_dir)
{
    size_t len = name ? wcslen(name) : 0;
    ZeroMemory(item, sizeof(*item));
    item->name = HeapAlloc(GetProcessHeap(), 0, (len + 1) * sizeof(WCHAR));
    if (!item->name)
        return E_OUTOFMEMORY;
    memcpy(item->name, name ? name : L"", (len + 1) * sizeof(WCHAR));
    item->iface = iface;
    item->image = image;
    item->is_dir = is_dir;
    item->created = item->accessed = item->modified = item_now();
    item->hidden = VARIANT_FALSE;
    return S_OK;
}

void item_cleanup(struct fs_item *item)
{
    HeapFree(GetProcessHeap(), 0, item->name);
    item->name = NULL;
}

/* "\" for the root, "\a\b" below it. */
HRESULT item_full_path(const struct fs_item *item, BSTR *out)
{
    size_t len = 0;
    const struct fs_item *p;
    if (!out)
        return E_POINTER;
    for (p = item; p && p->parent; p = dir_item(p->parent))
        len += 1 + wcslen(p->name);
    if (!len)
        len = 1;
    if (!(*out = SysAllocStringLen(NULL, (UINT)len)))
        return E_OUTOFMEMORY;
    (*out)[0] = '\\';
    for (p = item; p && p->parent; p = dir_item(p->parent)) {
        size_t n = wcslen(p->name);
        len -= n;
        memcpy(*out + len, p->name, n * sizeof(WCHAR));
        (*out)[--len] = '\\';
    }
    return S_OK;
}

/* The names UDF and Joliet record are the item's own; ISO 9660 identifiers
 * are only made when an image is laid out (libs/fsimage), so they are not
 * available from an item. */
HRESULT item_fs_name(const struct fs_item *item, FsiFileSystems fs, BSTR *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (fs != FsiFileSystemJoliet && fs != FsiFileSystemUDF) {
        FIXME("no %#x names\n", fs);
        return fs == FsiFileSystemISO9660 ? E_NOTIMPL : IMAPI_E_INVALID_PARAM;
    }
    return (*out = SysAllocString(item->name)) ? S_OK : E_OUTOFMEMORY;
}

HRESULT item_fs_path(const struct fs_item *item, FsiFileSystems fs, BSTR *out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (fs != FsiFileSystemJoliet && fs != FsiFileSystemUDF) {
        FIXME("no %#x paths\n", fs);
        return fs == FsiFileSystemISO9660 ? E_NOTIMPL : IMAPI_E_INVALID_PARAM;
    }
    return item_full_path(item, out);
}

struct fs_item *item_from_iface(IFsiItem *iface)
{
    struct fs_dir *dir = dir_from_iface((IFsiDirectoryItem *)iface);
    return dir ? dir_item(dir) : file_item_from_iface(iface);
}
