/* FsiDirectoryItem: a directory of the image and its children (IFsiItem,
 * IFsiDirectoryItem, IFsiDirectoryItem2). Children are held by reference;
 * a child's parent pointer is weak and cleared when it leaves. */
#include <wchar.h>
#include "imapi2fs_private.h"
#include <shlwapi.h>

struct fs_dir {
    IFsiDirectoryItem2 IFsiDirectoryItem2_iface;
    LONG ref;
    struct fs_item item;
    struct fs_item **kids;
    unsigned count, cap;
};

static const IFsiDirectoryItem2Vtbl dir_vtbl;

static inline struct fs_dir *impl_from_IFsiDirectoryItem2(IFsiDirectoryItem2 *iface)
{
    return CONTAINING_RECORD(iface, struct fs_dir, IFsiDirectoryItem2_iface);
}

static struct fs_item *item_of(IFsiDirectoryItem2 *iface)
{
    return &impl_from_IFsiDirectoryItem2(iface)->item;
}

IFsiDirectoryItem *dir_iface(struct fs_dir *dir)
{
    return (IFsiDirectoryItem *)&dir->IFsiDirectoryItem2_iface;
}

struct fs_item *dir_item(struct fs_dir *dir)
{
    return &dir->item;
}

struct fs_dir *dir_from_iface(IFsiDirectoryItem *iface)
{
    if (!iface || iface->lpVtbl != (const IFsiDirectoryItemVtbl *)&dir_vtbl)
        return NULL;
    return impl_from_IFsiDirectoryItem2((IFsiDirectoryItem2 *)iface);
}

unsigned dir_count(const struct fs_dir *dir)
{
    return dir->count;
}

struct fs_item *dir_child(const struct fs_dir *dir, unsigned index)
{
    return index < dir->count ? dir->kids[index] : NULL;
}

/* ---------------------------------------------------------------- tree helpers */

static struct fs_dir *as_dir(struct fs_item *item)
{
    return item->is_dir ? CONTAINING_RECORD(item, struct fs_dir, item) : NULL;
}

static int find_child(const struct fs_dir *dir, const WCHAR *name, size_t len)
{
    for (unsigned i = 0; i < dir->count; i++)
        if (fsi_names_equal((const uint16_t *)dir->kids[i]->name, wcslen(dir->kids[i]->name),
                            (const uint16_t *)name, len))
            return (int)i;
    return -1;
}

static HRESULT attach(struct fs_dir *dir, struct fs_item *kid)
{
    if (dir->count == dir->cap) {
        unsigned cap = dir->cap ? dir->cap * 2 : 8;
        struct fs_item **grown = dir->kids ? HeapReAlloc(GetProcessHeap(), 0, dir->kids, cap * sizeof(*grown))
                                           : HeapAlloc(GetProcessHeap(), 0, cap * sizeof(*grown));
        if (!grown)
            return E_OUTOFMEMORY;
        dir->kids = grown;
        dir->cap = cap;
    }
    /* children stay in name order (without case), so every enumeration
     * is in one order whatever order they were added or read in */
    unsigned at = dir->count;
    while (at && CompareStringOrdinal(dir->kids[at - 1]->name, -1, kid->name, -1, TRUE) == CSTR_GREATER_THAN)
        at--;
    memmove(dir->kids + at + 1, dir->kids + at, (dir->count - at) * sizeof(*dir->kids));
    IFsiItem_AddRef(kid->iface);
    kid->parent = dir;
    dir->kids[at] = kid;
    dir->count++;
    return S_OK;
}

static void detach(struct fs_dir *dir, unsigned index)
{
    struct fs_item *kid = dir->kids[index];
    memmove(dir->kids + index, dir->kids + index + 1, (dir->count - index - 1) * sizeof(*dir->kids));
    dir->count--;
    kid->parent = NULL;
    IFsiItem_Release(kid->iface);
}

/* Level of a directory (the root is 1) and the image its tree belongs to
 * (only an image's root knows it); 0 and NULL for a detached tree. */
static unsigned dir_depth(const struct fs_dir *dir, struct fs_image **image)
{
    unsigned depth = 1;
    const struct fs_dir *d = dir;
    while (d->item.parent) {
        d = d->item.parent;
        depth++;
    }
    *image = d->item.image;
    return *image ? depth : 0;
}

struct fs_image *dir_image(const struct fs_dir *dir)
{
    struct fs_image *image;
    dir_depth(dir, &image);
    return image;
}

/* Directory levels below and including dir. */
static unsigned dir_height(const struct fs_dir *dir)
{
    unsigned height = 0;
    for (unsigned i = 0; i < dir->count; i++) {
        struct fs_dir *sub = as_dir(dir->kids[i]);
        unsigned h = sub ? dir_height(sub) : 0;
        if (h > height)
            height = h;
    }
    return height + 1;
}

/* A subtree of `height` levels placed in dir: within the image's limits? */
static HRESULT check_room(const struct fs_dir *dir, unsigned height)
{
    struct fs_image *image;
    unsigned depth = dir_depth(dir, &image);
    return image ? image_check_depth(image, depth + height) : S_OK;
}

/* The directory holding the last component of path (relative to dir; a
 * leading backslash is allowed) and that component. Every component before
 * it must be a directory that exists. */
static HRESULT walk(struct fs_dir *dir, const WCHAR *path, struct fs_dir **parent, const WCHAR **leaf,
                    size_t *leaf_len)
{
    if (!path)
        return E_POINTER;
    if (*path == '\\')
        path++;
    for (;;) {
        const WCHAR *sep = wcschr(path, '\\');
        size_t len = sep ? (size_t)(sep - path) : wcslen(path);
        if (!sep || !sep[1]) {
            *parent = dir;
            *leaf = path;
            *leaf_len = len;
            return S_OK;
        }
        if (!len)
            return IMAPI_E_INVALID_PATH;
        int at = find_child(dir, path, len);
        if (at < 0 || !as_dir(dir->kids[at]))
            return IMAPI_E_DIR_NOT_FOUND;
        dir = as_dir(dir->kids[at]);
        path = sep + 1;
    }
}

static HRESULT leaf_name(const WCHAR *leaf, size_t len, WCHAR **out)
{
    HRESULT hr = fsi_check_name((const uint16_t *)leaf, len);
    if (FAILED(hr))
        return hr;
    if (!(*out = HeapAlloc(GetProcessHeap(), 0, (len + 1) * sizeof(WCHAR))))
        return E_OUTOFMEMORY;
    memcpy(*out, leaf, len * sizeof(WCHAR));
    (*out)[len] = 0;
    return S_OK;
}

void dir_counts(const struct fs_dir *dir, LONG *files, LONG *dirs)
{
    for (unsigned i = 0; i < dir->count; i++) {
        struct fs_dir *sub = as_dir(dir->kids[i]);
        if (sub) {
            ++*dirs;
            dir_counts(sub, files, dirs);
        } else {
            ++*files;
        }
    }
}

static struct fsi_times times_of(const struct fs_item *item)
{
    struct fsi_times t = {unix_from_date(item->created), unix_from_date(item->accessed),
                          unix_from_date(item->modified)};
    return t;
}

HRESULT dir_export(const struct fs_dir *dir, struct fsi_node *node)
{
    HRESULT hr = S_OK;
    for (unsigned i = 0; SUCCEEDED(hr) && i < dir->count; i++) {
        struct fs_item *kid = dir->kids[i];
        struct fs_dir *sub = as_dir(kid);
        if (sub) {
            struct fsi_node *child;
            struct fsi_times t = times_of(kid);
            hr = fsi_add_dir(node, (const uint16_t *)kid->name, wcslen(kid->name), &t, &child);
            if (SUCCEEDED(hr)) {
                fsi_node_set_hidden(child, kid->hidden != VARIANT_FALSE);
                hr = dir_export(sub, child);
            }
        } else {
            hr = file_export(kid, node);
        }
    }
    return hr;
}

/* ---------------------------------------------------------------- AddTree */

static DATE date_from_filetime(const FILETIME *ft)
{
    SYSTEMTIME st;
    DATE d = 0;
    if (FileTimeToSystemTime(ft, &st))
        SystemTimeToVariantTime(&st, &d);
    return d;
}

static void item_times_from_find(struct fs_item *item, const WIN32_FIND_DATAW *fd)
{
    item->created = date_from_filetime(&fd->ftCreationTime);
    item->accessed = date_from_filetime(&fd->ftLastAccessTime);
    item->modified = date_from_filetime(&fd->ftLastWriteTime);
    item->hidden = (fd->dwFileAttributes & FILE_ATTRIBUTE_HIDDEN) ? VARIANT_TRUE : VARIANT_FALSE;
}

/* Reads the host directory `source` into the detached directory `into`;
 * image (may be NULL) hears of every file. */
static HRESULT read_tree(const WCHAR *source, struct fs_dir *into, struct fs_image *image)
{
    WCHAR pattern[MAX_PATH + 4];
    WIN32_FIND_DATAW fd;
    HANDLE find;
    HRESULT hr = S_OK;
    if (swprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", source) < 0)
        return IMAPI_E_INVALID_PATH;
    find = FindFirstFileW(pattern, &fd);
    if (find == INVALID_HANDLE_VALUE)
        return IMAPI_E_DIRECTORY_READ_FAILURE;
    do {
        WCHAR path[MAX_PATH * 2];
        if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
            continue;
        if (swprintf(path, ARRAYSIZE(path), L"%ls\\%ls", source, fd.cFileName) < 0) {
            hr = IMAPI_E_INVALID_PATH;
            break;
        }
        if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
            struct fs_dir *sub;
            if (FAILED(hr = dir_create(NULL, fd.cFileName, &sub)))
                break;
            item_times_from_find(&sub->item, &fd);
            hr = read_tree(path, sub, image);
            if (SUCCEEDED(hr))
                hr = attach(into, &sub->item);
            IFsiDirectoryItem2_Release(&sub->IFsiDirectoryItem2_iface);
        } else {
            IStream *stream;
            IFsiFileItem *file;
            if (FAILED(SHCreateStreamOnFileEx(path, STGM_READ | STGM_SHARE_DENY_WRITE, 0, FALSE, NULL, &stream))) {
                hr = IMAPI_E_DATA_STREAM_CREATE_FAILURE;
                break;
            }
            hr = file_create(NULL, fd.cFileName, stream, &file);
            IStream_Release(stream);
            if (FAILED(hr))
                break;
            struct fs_item *fi = item_from_iface((IFsiItem *)file);
            item_times_from_find(fi, &fd);
            hr = attach(into, fi);
            IFsiFileItem_Release(file);
            if (SUCCEEDED(hr) && image)
                image_file_added(image, path, ((ULONGLONG)fd.nFileSizeHigh << 32) | fd.nFileSizeLow);
        }
    } while (SUCCEEDED(hr) && FindNextFileW(find, &fd));
    FindClose(find);
    return hr;
}

/* Moves everything of `from` into `to`; on a clash the incoming item wins
 * (directories meet and merge). */
static HRESULT merge(struct fs_dir *to, struct fs_dir *from)
{
    HRESULT hr = S_OK;
    while (SUCCEEDED(hr) && from->count) {
        struct fs_item *kid = from->kids[0];
        int at = find_child(to, kid->name, wcslen(kid->name));
        if (at >= 0 && kid->is_dir && to->kids[at]->is_dir) {
            hr = merge(as_dir(to->kids[at]), as_dir(kid));
            if (SUCCEEDED(hr))
                detach(from, 0);
            continue;
        }
        IFsiItem_AddRef(kid->iface); /* leaves `from` before it joins `to` */
        detach(from, 0);
        if (at >= 0)
            detach(to, (unsigned)at);
        hr = attach(to, kid);
        IFsiItem_Release(kid->iface);
    }
    return hr;
}

static HRESULT add_tree(struct fs_dir *dir, const WCHAR *source, VARIANT_BOOL include_base)
{
    struct fs_dir *staged, *base = NULL;
    DWORD attrs;
    HRESULT hr;
    if (!source)
        return E_POINTER;
    attrs = GetFileAttributesW(source);
    if (attrs == INVALID_FILE_ATTRIBUTES || !(attrs & FILE_ATTRIBUTE_DIRECTORY))
        return IMAPI_E_DIRECTORY_READ_FAILURE;
    if (FAILED(hr = dir_create(NULL, L"", &staged)))
        return hr;
    if (include_base) {
        const WCHAR *name = wcsrchr(source, '\\') ? wcsrchr(source, '\\') + 1 : source;
        hr = item_check_name(name);
        if (SUCCEEDED(hr))
            hr = dir_create(NULL, name, &base);
        if (SUCCEEDED(hr))
            hr = attach(staged, &base->item);
    }
    if (SUCCEEDED(hr))
        hr = read_tree(source, base ? base : staged, dir_image(dir));
    /* nothing of the source reaches the image unless all of it was read
     * and fits */
    if (SUCCEEDED(hr))
        hr = check_room(dir, dir_height(staged) - 1);
    if (SUCCEEDED(hr))
        hr = merge(dir, staged);
    if (base)
        IFsiDirectoryItem2_Release(&base->IFsiDirectoryItem2_iface);
    IFsiDirectoryItem2_Release(&staged->IFsiDirectoryItem2_iface);
    return hr;
}

/* ---------------------------------------------------------------- IUnknown */

static HRESULT WINAPI dir_QueryInterface(IFsiDirectoryItem2 *iface, REFIID riid, void **out)
{
    TRACE("%p %s\n", iface, debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) || IsEqualGUID(riid, &IID_IFsiItem) ||
        IsEqualGUID(riid, &IID_IFsiDirectoryItem) || IsEqualGUID(riid, &IID_IFsiDirectoryItem2)) {
        *out = iface;
        IFsiDirectoryItem2_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI dir_AddRef(IFsiDirectoryItem2 *iface)
{
    return InterlockedIncrement(&impl_from_IFsiDirectoryItem2(iface)->ref);
}

static ULONG WINAPI dir_Release(IFsiDirectoryItem2 *iface)
{
    struct fs_dir *dir = impl_from_IFsiDirectoryItem2(iface);
    ULONG ref = InterlockedDecrement(&dir->ref);
    if (!ref) {
        while (dir->count)
            detach(dir, dir->count - 1);
        HeapFree(GetProcessHeap(), 0, dir->kids);
        item_cleanup(&dir->item);
        HeapFree(GetProcessHeap(), 0, dir);
        imapi2_module_release();
    }
    return ref;
}

FS_DISPATCH_METHODS(dir, IFsiDirectoryItem2, IFsiDirectoryItem2_tid)
FS_ITEM_METHODS(dir, IFsiDirectoryItem2, item_of)

/* ---------------------------------------------------------------- IFsiDirectoryItem */

/* _NewEnum: a snapshot of the children's paths (VT_BSTR, as documented). */
static HRESULT WINAPI dir_get__NewEnum(IFsiDirectoryItem2 *iface, IEnumVARIANT **out)
{
    struct fs_dir *dir = impl_from_IFsiDirectoryItem2(iface);
    VARIANT *values;
    HRESULT hr = S_OK;
    TRACE("%p\n", iface);
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!(values = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, (dir->count + 1) * sizeof(*values))))
        return E_OUTOFMEMORY;
    for (unsigned i = 0; SUCCEEDED(hr) && i < dir->count; i++) {
        V_VT(&values[i]) = VT_BSTR;
        hr = item_full_path(dir->kids[i], &V_BSTR(&values[i]));
    }
    if (SUCCEEDED(hr))
        hr = enum_variant_create(values, dir->count, out);
    for (unsigned i = 0; i < dir->count; i++)
        VariantClear(&values[i]);
    HeapFree(GetProcessHeap(), 0, values);
    return hr;
}

static HRESULT WINAPI dir_get_Item(IFsiDirectoryItem2 *iface, BSTR path, IFsiItem **out)
{
    struct fs_dir *dir = impl_from_IFsiDirectoryItem2(iface), *parent;
    const WCHAR *leaf;
    size_t len;
    int at;
    HRESULT hr;
    TRACE("%p %s\n", iface, debugstr_w(path));
    if (!out)
        return E_POINTER;
    *out = NULL;
    hr = walk(dir, path, &parent, &leaf, &len);
    if (FAILED(hr))
        return fs_set_error(hr == IMAPI_E_DIR_NOT_FOUND ? IMAPI_E_ITEM_NOT_FOUND : hr, &IID_IFsiDirectoryItem);
    if (!len)
        return fs_set_error(IMAPI_E_ITEM_NOT_FOUND, &IID_IFsiDirectoryItem);
    if ((at = find_child(parent, leaf, len)) < 0)
        return fs_set_error(IMAPI_E_ITEM_NOT_FOUND, &IID_IFsiDirectoryItem);
    *out = parent->kids[at]->iface;
    IFsiItem_AddRef(*out);
    return S_OK;
}

static HRESULT WINAPI dir_get_Count(IFsiDirectoryItem2 *iface, LONG *count)
{
    TRACE("%p\n", iface);
    if (!count)
        return E_POINTER;
    *count = (LONG)impl_from_IFsiDirectoryItem2(iface)->count;
    return S_OK;
}

static HRESULT WINAPI dir_get_EnumFsiItems(IFsiDirectoryItem2 *iface, IEnumFsiItems **out)
{
    struct fs_dir *dir = impl_from_IFsiDirectoryItem2(iface);
    TRACE("%p\n", iface);
    if (!out)
        return E_POINTER;
    return enum_fsi_items_create(dir->kids, dir->count, out);
}

/* Adds a new directory, or a file with data, at path (its parent must exist). */
static HRESULT add_at(struct fs_dir *dir, const WCHAR *path, IStream *data, BOOL is_dir)
{
    struct fs_dir *parent, *sub;
    const WCHAR *leaf;
    WCHAR *name;
    size_t len;
    HRESULT hr = walk(dir, path, &parent, &leaf, &len);
    if (FAILED(hr))
        return hr;
    if (FAILED(hr = leaf_name(leaf, len, &name)))
        return hr;
    if (find_child(parent, name, len) >= 0)
        hr = IMAPI_E_DUP_NAME;
    else if (is_dir) {
        if (SUCCEEDED(hr = check_room(parent, 1)) && SUCCEEDED(hr = dir_create(NULL, name, &sub))) {
            hr = attach(parent, &sub->item);
            IFsiDirectoryItem2_Release(&sub->IFsiDirectoryItem2_iface);
        }
    } else {
        IFsiFileItem *file;
        struct fs_image *image = dir_image(parent);
        if (SUCCEEDED(hr = file_create(NULL, name, data, &file))) {
            LONGLONG size = 0;
            IFsiFileItem_get_DataSize(file, &size);
            hr = attach(parent, item_from_iface((IFsiItem *)file));
            IFsiFileItem_Release(file);
            if (SUCCEEDED(hr) && image)
                image_file_added(image, path, (ULONGLONG)size);
        }
    }
    HeapFree(GetProcessHeap(), 0, name);
    return hr;
}

static HRESULT WINAPI dir_AddDirectory(IFsiDirectoryItem2 *iface, BSTR path)
{
    TRACE("%p %s\n", iface, debugstr_w(path));
    return fs_set_error(add_at(impl_from_IFsiDirectoryItem2(iface), path, NULL, TRUE), &IID_IFsiDirectoryItem);
}

static HRESULT WINAPI dir_AddFile(IFsiDirectoryItem2 *iface, BSTR path, IStream *data)
{
    TRACE("%p %s %p\n", iface, debugstr_w(path), data);
    if (!data)
        return fs_set_error(E_POINTER, &IID_IFsiDirectoryItem);
    return fs_set_error(add_at(impl_from_IFsiDirectoryItem2(iface), path, data, FALSE), &IID_IFsiDirectoryItem);
}

static HRESULT WINAPI dir_AddTree(IFsiDirectoryItem2 *iface, BSTR source, VARIANT_BOOL include_base)
{
    TRACE("%p %s %d\n", iface, debugstr_w(source), include_base);
    return fs_set_error(add_tree(impl_from_IFsiDirectoryItem2(iface), source, include_base), &IID_IFsiDirectoryItem);
}

static HRESULT WINAPI dir_Add(IFsiDirectoryItem2 *iface, IFsiItem *item)
{
    struct fs_dir *dir = impl_from_IFsiDirectoryItem2(iface);
    struct fs_item *add = item_from_iface(item);
    HRESULT hr;
    TRACE("%p %p\n", iface, item);
    if (!item)
        return fs_set_error(E_POINTER, &IID_IFsiDirectoryItem);
    if (!add || add->parent || add->image || add == &dir->item)
        return fs_set_error(IMAPI_E_INVALID_PARAM, &IID_IFsiDirectoryItem);
    if (find_child(dir, add->name, wcslen(add->name)) >= 0)
        return fs_set_error(IMAPI_E_DUP_NAME, &IID_IFsiDirectoryItem);
    hr = add->is_dir ? check_room(dir, dir_height(as_dir(add))) : S_OK;
    if (SUCCEEDED(hr))
        hr = attach(dir, add);
    return fs_set_error(hr, &IID_IFsiDirectoryItem);
}

static HRESULT remove_at(struct fs_dir *dir, const WCHAR *path, BOOL tree)
{
    struct fs_dir *parent;
    const WCHAR *leaf;
    size_t len;
    int at;
    HRESULT hr = walk(dir, path, &parent, &leaf, &len);
    if (FAILED(hr))
        return hr == IMAPI_E_DIR_NOT_FOUND ? IMAPI_E_ITEM_NOT_FOUND : hr;
    if (!len && tree) { /* RemoveTree("\") empties the directory */
        while (parent->count)
            detach(parent, parent->count - 1);
        return S_OK;
    }
    if (!len || (at = find_child(parent, leaf, len)) < 0)
        return IMAPI_E_ITEM_NOT_FOUND;
    if (!tree && parent->kids[at]->is_dir && as_dir(parent->kids[at])->count)
        return IMAPI_E_DIR_NOT_EMPTY;
    detach(parent, (unsigned)at);
    return S_OK;
}

static HRESULT WINAPI dir_Remove(IFsiDirectoryItem2 *iface, BSTR path)
{
    TRACE("%p %s\n", iface, debugstr_w(path));
    return fs_set_error(remove_at(impl_from_IFsiDirectoryItem2(iface), path, FALSE), &IID_IFsiDirectoryItem);
}

static HRESULT WINAPI dir_RemoveTree(IFsiDirectoryItem2 *iface, BSTR path)
{
    TRACE("%p %s\n", iface, debugstr_w(path));
    return fs_set_error(remove_at(impl_from_IFsiDirectoryItem2(iface), path, TRUE), &IID_IFsiDirectoryItem);
}

/* Named streams are not read from the source (no NTFS streams under Wine):
 * the tree is added as by AddTree. */
static HRESULT WINAPI dir_AddTreeWithNamedStreams(IFsiDirectoryItem2 *iface, BSTR source, VARIANT_BOOL include_base)
{
    TRACE("%p %s %d\n", iface, debugstr_w(source), include_base);
    return fs_set_error(add_tree(impl_from_IFsiDirectoryItem2(iface), source, include_base), &IID_IFsiDirectoryItem2);
}

static const IFsiDirectoryItem2Vtbl dir_vtbl = {
    dir_QueryInterface, dir_AddRef, dir_Release,
    dir_GetTypeInfoCount, dir_GetTypeInfo, dir_GetIDsOfNames, dir_Invoke,
    dir_get_Name, dir_get_FullPath, dir_get_CreationTime, dir_put_CreationTime, dir_get_LastAccessedTime,
    dir_put_LastAccessedTime, dir_get_LastModifiedTime, dir_put_LastModifiedTime, dir_get_IsHidden, dir_put_IsHidden,
    dir_FileSystemName, dir_FileSystemPath,
    dir_get__NewEnum, dir_get_Item, dir_get_Count, dir_get_EnumFsiItems, dir_AddDirectory, dir_AddFile, dir_AddTree,
    dir_Add, dir_Remove, dir_RemoveTree,
    dir_AddTreeWithNamedStreams,
};

HRESULT dir_create(struct fs_image *image, const WCHAR *name, struct fs_dir **out)
{
    struct fs_dir *dir = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*dir));
    HRESULT hr;
    if (!dir)
        return E_OUTOFMEMORY;
    dir->IFsiDirectoryItem2_iface.lpVtbl = &dir_vtbl;
    dir->ref = 1;
    hr = item_init(&dir->item, (IFsiItem *)&dir->IFsiDirectoryItem2_iface, image, name, TRUE);
    if (FAILED(hr)) {
        HeapFree(GetProcessHeap(), 0, dir);
        return hr;
    }
    imapi2_module_addref();
    *out = dir;
    return S_OK;
}
