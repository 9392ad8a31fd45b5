/* IDispatch for imapi2fs's dual interfaces through its own embedded type
 * library: one cached ITypeInfo per interface. */
#include "imapi2fs_private.h"

static ITypeLib *typelib;
static ITypeInfo *typeinfos[FS_TID_COUNT];

static const IID *const tid_iids[FS_TID_COUNT] = {
    [IFileSystemImage3_tid] = &IID_IFileSystemImage3,
    [IFsiDirectoryItem2_tid] = &IID_IFsiDirectoryItem2,
    [IFsiFileItem2_tid] = &IID_IFsiFileItem2,
    [IFileSystemImageResult2_tid] = &IID_IFileSystemImageResult2,
};

HRESULT fs_get_typelib(ITypeLib **out)
{
    if (!typelib) {
        WCHAR path[MAX_PATH];
        ITypeLib *loaded;
        DWORD len = GetModuleFileNameW(imapi2fs_instance, path, ARRAYSIZE(path));
        HRESULT hr;
        if (!len || len >= ARRAYSIZE(path))
            return HRESULT_FROM_WIN32(GetLastError());
        hr = LoadTypeLibEx(path, REGKIND_NONE, &loaded);
        if (FAILED(hr)) {
            ERR("cannot load our type library: %#lx\n", (unsigned long)hr);
            return hr;
        }
        if (InterlockedCompareExchangePointer((void **)&typelib, loaded, NULL))
            ITypeLib_Release(loaded);
    }
    ITypeLib_AddRef(typelib);
    *out = typelib;
    return S_OK;
}

HRESULT fs_get_typeinfo(enum fs_tid tid, ITypeInfo **out)
{
    if ((unsigned)tid >= FS_TID_COUNT)
        return E_INVALIDARG;
    if (!typeinfos[tid]) {
        ITypeLib *lib;
        ITypeInfo *info;
        HRESULT hr = fs_get_typelib(&lib);
        if (FAILED(hr))
            return hr;
        hr = ITypeLib_GetTypeInfoOfGuid(lib, tid_iids[tid], &info);
        ITypeLib_Release(lib);
        if (FAILED(hr)) {
            ERR("no type info for %s: %#lx\n", debugstr_guid(tid_iids[tid]), (unsigned long)hr);
            return hr;
        }
        if (InterlockedCompareExchangePointer((void **)&typeinfos[tid], info, NULL))
            ITypeInfo_Release(info);
    }
    ITypeInfo_AddRef(typeinfos[tid]);
    *out = typeinfos[tid];
    return S_OK;
}

HRESULT fs_get_class_typeinfo(const CLSID *clsid, ITypeInfo **out)
{
    ITypeLib *lib;
    HRESULT hr = fs_get_typelib(&lib);
    if (FAILED(hr))
        return hr;
    hr = ITypeLib_GetTypeInfoOfGuid(lib, clsid, out);
    ITypeLib_Release(lib);
    return hr;
}

void fs_release_typelib(void)
{
    for (unsigned i = 0; i < FS_TID_COUNT; i++)
        if (typeinfos[i]) {
            ITypeInfo_Release(typeinfos[i]);
            typeinfos[i] = NULL;
        }
    if (typelib) {
        ITypeLib_Release(typelib);
        typelib = NULL;
    }
}

HRESULT fs_dispatch_get_type_info(enum fs_tid tid, UINT index, ITypeInfo **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (index)
        return DISP_E_BADINDEX;
    return fs_get_typeinfo(tid, out);
}

HRESULT fs_dispatch_get_ids_of_names(enum fs_tid tid, LPOLESTR *names, UINT count, DISPID *ids)
{
    ITypeInfo *info;
    HRESULT hr;
    if (!names || !ids || !count)
        return E_INVALIDARG;
    if (FAILED(hr = fs_get_typeinfo(tid, &info)))
        return hr;
    hr = ITypeInfo_GetIDsOfNames(info, names, count, ids);
    ITypeInfo_Release(info);
    return hr;
}

HRESULT fs_dispatch_invoke(enum fs_tid tid, void *iface, DISPID id, WORD flags, DISPPARAMS *params,
                           VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    ITypeInfo *info;
    HRESULT hr = fs_get_typeinfo(tid, &info);
    if (FAILED(hr))
        return hr;
    hr = ITypeInfo_Invoke(info, iface, id, flags, params, result, excep, arg_err);
    /* a property called as a method (JScript's Enumerator does) */
    if (hr == DISP_E_MEMBERNOTFOUND && flags == DISPATCH_METHOD && result)
        hr = ITypeInfo_Invoke(info, iface, id, DISPATCH_PROPERTYGET, params, result, excep, arg_err);
    ITypeInfo_Release(info);
    return hr;
}

/* ---- hooks of imapi2's built-in event code ---- */

HRESULT imapi2_get_typelib(ITypeLib **out)
{
    return fs_get_typelib(out);
}

HRESULT provide_class_info_get(const CLSID *clsid, ITypeInfo **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    return fs_get_class_typeinfo(clsid, out);
}

HRESULT provide_class_info_get_guid(const IID *source_iid, DWORD kind, GUID *out)
{
    if (!out)
        return E_POINTER;
    if (kind != GUIDKIND_DEFAULT_SOURCE_DISP_IID) {
        *out = GUID_NULL;
        return E_INVALIDARG;
    }
    *out = *source_iid;
    return S_OK;
}
