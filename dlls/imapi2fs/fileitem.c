/* FsiFileItem: a file of the image (IFsiItem, IFsiFileItem, IFsiFileItem2)
 * and its data stream, read only when the result image is read. */
#include <wchar.h>
#include "imapi2fs_private.h"

struct fs_file {
    IFsiFileItem2 IFsiFileItem2_iface;
    LONG ref;
    struct fs_item item;
    IStream *data;
    ULONGLONG size;
    VARIANT_BOOL real_time;
};

static const IFsiFileItem2Vtbl file_vtbl;

static inline struct fs_file *impl_from_IFsiFileItem2(IFsiFileItem2 *iface)
{
    return CONTAINING_RECORD(iface, struct fs_file, IFsiFileItem2_iface);
}

static struct fs_item *item_of(IFsiFileItem2 *iface)
{
    return &impl_from_IFsiFileItem2(iface)->item;
}

struct fs_item *file_item_from_iface(IFsiItem *iface)
{
    if (!iface || iface->lpVtbl != (const IFsiItemVtbl *)&file_vtbl)
        return NULL;
    return item_of((IFsiFileItem2 *)iface);
}

static HRESULT stream_size(IStream *stream, ULONGLONG *size)
{
    STATSTG st;
    HRESULT hr = IStream_Stat(stream, &st, STATFLAG_NONAME);
    if (FAILED(hr))
        return IMAPI_E_DATA_STREAM_READ_FAILURE;
    *size = st.cbSize.QuadPart;
    return S_OK;
}

static HRESULT set_data(struct fs_file *file, IStream *data)
{
    ULONGLONG size = 0;
    HRESULT hr = data ? stream_size(data, &size) : S_OK;
    if (FAILED(hr))
        return hr;
    if (data)
        IStream_AddRef(data);
    if (file->data)
        IStream_Release(file->data);
    file->data = data;
    file->size = size;
    return S_OK;
}

/* ---------------------------------------------------------------- export */

/* The file's data for libs/fsimage: a clone of the stream when it can be
 * cloned (its own position), reading at absolute offsets. */
struct stream_source {
    IStream *stream;
};

static int32_t source_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    struct stream_source *s = ctx;
    LARGE_INTEGER at;
    at.QuadPart = (LONGLONG)offset;
    if (FAILED(IStream_Seek(s->stream, at, STREAM_SEEK_SET, NULL)))
        return IMAPI_E_DATA_STREAM_READ_FAILURE;
    while (len) {
        ULONG want = len > 0x100000 ? 0x100000 : (ULONG)len, got = 0;
        HRESULT hr = IStream_Read(s->stream, buf, want, &got);
        if (FAILED(hr) || !got)
            return IMAPI_E_DATA_STREAM_READ_FAILURE;
        buf = (uint8_t *)buf + got;
        len -= got;
    }
    return 0;
}

static void source_release(void *ctx)
{
    struct stream_source *s = ctx;
    IStream_Release(s->stream);
    HeapFree(GetProcessHeap(), 0, s);
}

HRESULT file_export(struct fs_item *item, struct fsi_node *dir)
{
    struct fs_file *file = CONTAINING_RECORD(item, struct fs_file, item);
    struct fsi_times t = {unix_from_date(item->created), unix_from_date(item->accessed),
                          unix_from_date(item->modified)};
    struct fsi_source src = {source_read, source_release, NULL};
    struct stream_source *s;
    struct fsi_node *node;
    ULONGLONG now_size = 0;
    HRESULT hr;
    if (file->data && FAILED(hr = stream_size(file->data, &now_size)))
        return hr;
    if (now_size != file->size)
        return IMAPI_E_DATA_STREAM_INCONSISTENCY;
    if (!(s = HeapAlloc(GetProcessHeap(), 0, sizeof(*s))))
        return E_OUTOFMEMORY;
    s->stream = NULL;
    if (file->data && FAILED(IStream_Clone(file->data, &s->stream))) {
        s->stream = file->data;
        IStream_AddRef(s->stream);
    }
    if (!s->stream) { /* no data: an empty file */
        HeapFree(GetProcessHeap(), 0, s);
        src.read = NULL;
        src.release = NULL;
    } else {
        src.ctx = s;
    }
    hr = fsi_add_file(dir, (const uint16_t *)item->name, wcslen(item->name), &t, file->size, src, &node);
    if (SUCCEEDED(hr))
        fsi_node_set_hidden(node, item->hidden != VARIANT_FALSE);
    return hr;
}

/* ---------------------------------------------------------------- IUnknown */

static HRESULT WINAPI file_QueryInterface(IFsiFileItem2 *iface, REFIID riid, void **out)
{
    TRACE("%p %s\n", iface, debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) || IsEqualGUID(riid, &IID_IFsiItem) ||
        IsEqualGUID(riid, &IID_IFsiFileItem) || IsEqualGUID(riid, &IID_IFsiFileItem2)) {
        *out = iface;
        IFsiFileItem2_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI file_AddRef(IFsiFileItem2 *iface)
{
    return InterlockedIncrement(&impl_from_IFsiFileItem2(iface)->ref);
}

static ULONG WINAPI file_Release(IFsiFileItem2 *iface)
{
    struct fs_file *file = impl_from_IFsiFileItem2(iface);
    ULONG ref = InterlockedDecrement(&file->ref);
    if (!ref) {
        if (file->data)
            IStream_Release(file->data);
        item_cleanup(&file->item);
        HeapFree(GetProcessHeap(), 0, file);
        imapi2_module_release();
    }
    return ref;
}

FS_DISPATCH_METHODS(file, IFsiFileItem2, IFsiFileItem2_tid)
FS_ITEM_METHODS(file, IFsiFileItem2, item_of)

/* ---------------------------------------------------------------- IFsiFileItem */

static HRESULT WINAPI file_get_DataSize(IFsiFileItem2 *iface, LONGLONG *size)
{
    TRACE("%p\n", iface);
    if (!size)
        return E_POINTER;
    *size = (LONGLONG)impl_from_IFsiFileItem2(iface)->size;
    return S_OK;
}

static HRESULT WINAPI file_get_DataSize32BitLow(IFsiFileItem2 *iface, LONG *size)
{
    TRACE("%p\n", iface);
    if (!size)
        return E_POINTER;
    *size = (LONG)(ULONG)impl_from_IFsiFileItem2(iface)->size;
    return S_OK;
}

static HRESULT WINAPI file_get_DataSize32BitHigh(IFsiFileItem2 *iface, LONG *size)
{
    TRACE("%p\n", iface);
    if (!size)
        return E_POINTER;
    *size = (LONG)(ULONG)(impl_from_IFsiFileItem2(iface)->size >> 32);
    return S_OK;
}

static HRESULT WINAPI file_get_Data(IFsiFileItem2 *iface, IStream **data)
{
    struct fs_file *file = impl_from_IFsiFileItem2(iface);
    TRACE("%p\n", iface);
    if (!data)
        return E_POINTER;
    if ((*data = file->data))
        IStream_AddRef(*data);
    return S_OK;
}

static HRESULT WINAPI file_put_Data(IFsiFileItem2 *iface, IStream *data)
{
    TRACE("%p %p\n", iface, data);
    if (!data)
        return fs_set_error(E_POINTER, &IID_IFsiFileItem);
    return fs_set_error(set_data(impl_from_IFsiFileItem2(iface), data), &IID_IFsiFileItem);
}

/* ---------------------------------------------------------------- IFsiFileItem2 */

/* Named streams need UDF 2.00 or later, which the generator does not make
 * with streams: not implemented. */
static HRESULT WINAPI file_get_FsiNamedStreams(IFsiFileItem2 *iface, IFsiNamedStreams **streams)
{
    FIXME("%p: named streams are not implemented\n", iface);
    if (streams)
        *streams = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI file_get_IsNamedStream(IFsiFileItem2 *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI file_AddStream(IFsiFileItem2 *iface, BSTR name, IStream *data)
{
    FIXME("%p %s %p: named streams are not implemented\n", iface, debugstr_w(name), data);
    return E_NOTIMPL;
}

static HRESULT WINAPI file_RemoveStream(IFsiFileItem2 *iface, BSTR name)
{
    FIXME("%p %s: named streams are not implemented\n", iface, debugstr_w(name));
    return E_NOTIMPL;
}

static HRESULT WINAPI file_get_IsRealTime(IFsiFileItem2 *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IFsiFileItem2(iface)->real_time;
    return S_OK;
}

static HRESULT WINAPI file_put_IsRealTime(IFsiFileItem2 *iface, VARIANT_BOOL value)
{
    TRACE("%p %d\n", iface, value);
    impl_from_IFsiFileItem2(iface)->real_time = value ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static const IFsiFileItem2Vtbl file_vtbl = {
    file_QueryInterface, file_AddRef, file_Release,
    file_GetTypeInfoCount, file_GetTypeInfo, file_GetIDsOfNames, file_Invoke,
    file_get_Name, file_get_FullPath, file_get_CreationTime, file_put_CreationTime, file_get_LastAccessedTime,
    file_put_LastAccessedTime, file_get_LastModifiedTime, file_put_LastModifiedTime, file_get_IsHidden,
    file_put_IsHidden, file_FileSystemName, file_FileSystemPath,
    file_get_DataSize, file_get_DataSize32BitLow, file_get_DataSize32BitHigh, file_get_Data, file_put_Data,
    file_get_FsiNamedStreams, file_get_IsNamedStream, file_AddStream, file_RemoveStream, file_get_IsRealTime,
    file_put_IsRealTime,
};

HRESULT file_create(struct fs_image *image, const WCHAR *name, IStream *data, IFsiFileItem **out)
{
    struct fs_file *file = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*file));
    HRESULT hr;
    if (!file)
        return E_OUTOFMEMORY;
    file->IFsiFileItem2_iface.lpVtbl = &file_vtbl;
    file->ref = 1;
    hr = item_init(&file->item, (IFsiItem *)&file->IFsiFileItem2_iface, image, name, FALSE);
    if (SUCCEEDED(hr))
        hr = set_data(file, data);
    if (FAILED(hr)) {
        item_cleanup(&file->item);
        HeapFree(GetProcessHeap(), 0, file);
        return hr;
    }
    imapi2_module_addref();
    *out = (IFsiFileItem *)&file->IFsiFileItem2_iface;
    return S_OK;
}
