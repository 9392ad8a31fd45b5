/* FileSystemImageResult: the image CreateResultImage made
 * (IFileSystemImageResult, IFileSystemImageResult2). It owns the laid-out
 * image; every ImageStream is a new stream over it. */
#include "imapi2fs_private.h"

struct result {
    IFileSystemImageResult2 IFileSystemImageResult2_iface;
    LONG ref;
    struct fsi_image *image;
    CRITICAL_SECTION lock;
};

static inline struct result *impl_from_IFileSystemImageResult2(IFileSystemImageResult2 *iface)
{
    return CONTAINING_RECORD(iface, struct result, IFileSystemImageResult2_iface);
}

static HRESULT WINAPI result_QueryInterface(IFileSystemImageResult2 *iface, REFIID riid, void **out)
{
    TRACE("%p %s\n", iface, debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IFileSystemImageResult) || IsEqualGUID(riid, &IID_IFileSystemImageResult2)) {
        *out = iface;
        IFileSystemImageResult2_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI result_AddRef(IFileSystemImageResult2 *iface)
{
    return InterlockedIncrement(&impl_from_IFileSystemImageResult2(iface)->ref);
}

static ULONG WINAPI result_Release(IFileSystemImageResult2 *iface)
{
    struct result *r = impl_from_IFileSystemImageResult2(iface);
    ULONG ref = InterlockedDecrement(&r->ref);
    if (!ref) {
        fsi_image_free(r->image);
        DeleteCriticalSection(&r->lock);
        HeapFree(GetProcessHeap(), 0, r);
        imapi2_module_release();
    }
    return ref;
}

FS_DISPATCH_METHODS(result, IFileSystemImageResult2, IFileSystemImageResult2_tid)

static HRESULT WINAPI result_get_ImageStream(IFileSystemImageResult2 *iface, IStream **out)
{
    struct result *r = impl_from_IFileSystemImageResult2(iface);
    TRACE("%p\n", iface);
    if (!out)
        return E_POINTER;
    return image_stream_create(r->image, &r->lock, (IUnknown *)iface, out);
}

static HRESULT WINAPI result_get_ProgressItems(IFileSystemImageResult2 *iface, IProgressItems **out)
{
    FIXME("%p: progress items are not implemented\n", iface);
    if (out)
        *out = NULL;
    return E_NOTIMPL;
}

static HRESULT WINAPI result_get_TotalBlocks(IFileSystemImageResult2 *iface, LONG *blocks)
{
    TRACE("%p\n", iface);
    if (!blocks)
        return E_POINTER;
    *blocks = (LONG)fsi_image_blocks(impl_from_IFileSystemImageResult2(iface)->image);
    return S_OK;
}

static HRESULT WINAPI result_get_BlockSize(IFileSystemImageResult2 *iface, LONG *size)
{
    TRACE("%p\n", iface);
    if (!size)
        return E_POINTER;
    *size = FSI_BLOCK;
    return S_OK;
}

static HRESULT WINAPI result_get_DiscId(IFileSystemImageResult2 *iface, BSTR *id)
{
    FIXME("%p: disc identifiers are not implemented\n", iface);
    if (id)
        *id = NULL;
    return E_NOTIMPL;
}

/* Documented: E_NOTIMPL when the whole image has to be written, which is
 * always the case for an image that continues no previous session. */
static HRESULT WINAPI result_get_ModifiedBlocks(IFileSystemImageResult2 *iface, IBlockRangeList **out)
{
    TRACE("%p\n", iface);
    if (out)
        *out = NULL;
    return E_NOTIMPL;
}

static const IFileSystemImageResult2Vtbl result_vtbl = {
    result_QueryInterface, result_AddRef, result_Release,
    result_GetTypeInfoCount, result_GetTypeInfo, result_GetIDsOfNames, result_Invoke,
    result_get_ImageStream, result_get_ProgressItems, result_get_TotalBlocks, result_get_BlockSize,
    result_get_DiscId, result_get_ModifiedBlocks,
};

HRESULT result_create(struct fsi_image *image, IFileSystemImageResult **out)
{
    struct result *r = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*r));
    if (!r) {
        fsi_image_free(image);
        return E_OUTOFMEMORY;
    }
    r->IFileSystemImageResult2_iface.lpVtbl = &result_vtbl;
    r->ref = 1;
    r->image = image;
    InitializeCriticalSection(&r->lock);
    imapi2_module_addref();
    *out = (IFileSystemImageResult *)&r->IFileSystemImageResult2_iface;
    return S_OK;
}
