/* IDispatch for every dual interface, through our own embedded type library:
 * one cached ITypeInfo per interface, no per-method dispatch code anywhere. */
#include "imapi2_private.h"

static ITypeLib *typelib;
static ITypeInfo *typeinfos[IMAPI2_TID_COUNT];

static const IID *const tid_iids[IMAPI2_TID_COUNT] = {
    [IDiscMaster2_tid] = &IID_IDiscMaster2,
    [IDiscRecorder2_tid] = &IID_IDiscRecorder2,
    [IDiscFormat2_tid] = &IID_IDiscFormat2,
    [IDiscFormat2RawCD_tid] = &IID_IDiscFormat2RawCD,
    [IDiscFormat2RawCDEventArgs_tid] = &IID_IDiscFormat2RawCDEventArgs,
    [IDiscFormat2Erase_tid] = &IID_IDiscFormat2Erase,
    [IWriteEngine2EventArgs_tid] = &IID_IWriteEngine2EventArgs,
    [IWriteSpeedDescriptor_tid] = &IID_IWriteSpeedDescriptor,
    [IRawCDImageCreator_tid] = &IID_IRawCDImageCreator,
    [IRawCDImageTrackInfo_tid] = &IID_IRawCDImageTrackInfo,
    [IDiscFormat2TrackAtOnce_tid] = &IID_IDiscFormat2TrackAtOnce,
    [IDiscFormat2TrackAtOnceEventArgs_tid] = &IID_IDiscFormat2TrackAtOnceEventArgs,
    [IDiscFormat2Data_tid] = &IID_IDiscFormat2Data,
    [IDiscFormat2DataEventArgs_tid] = &IID_IDiscFormat2DataEventArgs,
    [IMultisessionSequential2_tid] = &IID_IMultisessionSequential2,
    [IImapi2OpenCDText_tid] = &IID_IImapi2OpenCDText,
};

HRESULT imapi2_get_typelib(ITypeLib **out)
{
    if (!typelib) {
        WCHAR path[MAX_PATH];
        ITypeLib *loaded;
        HRESULT hr;
        DWORD len = GetModuleFileNameW(imapi2_instance, path, ARRAYSIZE(path));
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

HRESULT imapi2_get_typeinfo(enum imapi2_tid tid, ITypeInfo **out)
{
    if ((unsigned)tid >= IMAPI2_TID_COUNT)
        return E_INVALIDARG;
    if (!typeinfos[tid]) {
        ITypeLib *lib;
        ITypeInfo *info;
        HRESULT hr = imapi2_get_typelib(&lib);
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

HRESULT imapi2_get_class_typeinfo(const CLSID *clsid, ITypeInfo **out)
{
    ITypeLib *lib;
    HRESULT hr = imapi2_get_typelib(&lib);
    if (FAILED(hr))
        return hr;
    hr = ITypeLib_GetTypeInfoOfGuid(lib, clsid, out);
    ITypeLib_Release(lib);
    return hr;
}

void imapi2_release_typelib(void)
{
    for (unsigned i = 0; i < IMAPI2_TID_COUNT; i++)
        if (typeinfos[i]) {
            ITypeInfo_Release(typeinfos[i]);
            typeinfos[i] = NULL;
        }
    if (typelib) {
        ITypeLib_Release(typelib);
        typelib = NULL;
    }
}

HRESULT dispatch_get_type_info(enum imapi2_tid tid, UINT index, ITypeInfo **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (index)
        return DISP_E_BADINDEX;
    return imapi2_get_typeinfo(tid, out);
}

HRESULT dispatch_get_ids_of_names(enum imapi2_tid tid, LPOLESTR *names, UINT count, DISPID *ids)
{
    ITypeInfo *info;
    HRESULT hr;
    if (!names || !ids || !count)
        return E_INVALIDARG;
    hr = imapi2_get_typeinfo(tid, &info);
    if (FAILED(hr))
        return hr;
    hr = ITypeInfo_GetIDsOfNames(info, names, count, ids);
    ITypeInfo_Release(info);
    return hr;
}

HRESULT dispatch_invoke(enum imapi2_tid tid, void *iface, DISPID id, WORD flags,
                        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    ITypeInfo *info;
    HRESULT hr = imapi2_get_typeinfo(tid, &info);
    if (FAILED(hr))
        return hr;
    hr = ITypeInfo_Invoke(info, iface, id, flags, params, result, excep, arg_err);
    /* Some engines (Wine's JScript Enumerator) call a property such as _NewEnum
     * as a method; Windows' own objects answer that as the property get. */
    if (hr == DISP_E_MEMBERNOTFOUND && flags == DISPATCH_METHOD && result)
        hr = ITypeInfo_Invoke(info, iface, id, DISPATCH_PROPERTYGET, params, result, excep, arg_err);
    ITypeInfo_Release(info);
    return hr;
}

HRESULT provide_class_info_get(const CLSID *clsid, ITypeInfo **out)
{
    if (!out)
        return E_POINTER;
    *out = NULL;
    return imapi2_get_class_typeinfo(clsid, out);
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
