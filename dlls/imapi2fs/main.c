/* imapi2fs.dll: entry points, the class table, the class factory and the
 * registration exports (the shared journaled registration of
 * dlls/common/register.c, journal "Registration-imapi2fs"). */
#include "imapi2fs_private.h"

HINSTANCE imapi2fs_instance;
static LONG module_refs;

/* imapi2's helpers built in here (enumvariant.c) count objects with these. */
void imapi2_module_addref(void) { InterlockedIncrement(&module_refs); }
void imapi2_module_release(void) { InterlockedDecrement(&module_refs); }

HRESULT file_system_image_create(IUnknown *outer, REFIID riid, void **out);

/* Names and ProgIDs are those Windows registers. BootOptions and
 * MsftIsoImageManager are not implemented yet: their classes are left
 * unregistered rather than answered by empty objects. */
const struct com_class imapi2fs_classes[] = {
    { &CLSID_MsftFileSystemImage, L"File system image",
      L"IMAPI2FS.MsftFileSystemImage.1", L"IMAPI2FS.MsftFileSystemImage", file_system_image_create },
};
const unsigned imapi2fs_class_count = ARRAYSIZE(imapi2fs_classes);

struct class_factory {
    IClassFactory IClassFactory_iface;
    const struct com_class *class;
};

static inline struct class_factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return CONTAINING_RECORD(iface, struct class_factory, IClassFactory_iface);
}

static HRESULT WINAPI factory_QueryInterface(IClassFactory *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IClassFactory)) {
        *out = iface;
        IClassFactory_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI factory_AddRef(IClassFactory *iface)
{
    (void)iface;
    imapi2_module_addref();
    return 2;
}

static ULONG WINAPI factory_Release(IClassFactory *iface)
{
    (void)iface;
    imapi2_module_release();
    return 1;
}

static HRESULT WINAPI factory_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid, void **out)
{
    struct class_factory *factory = impl_from_IClassFactory(iface);
    TRACE("%s %s\n", debugstr_guid(factory->class->clsid), debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    *out = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    return factory->class->create(outer, riid, out);
}

static HRESULT WINAPI factory_LockServer(IClassFactory *iface, BOOL lock)
{
    (void)iface;
    if (lock)
        imapi2_module_addref();
    else
        imapi2_module_release();
    return S_OK;
}

static const IClassFactoryVtbl factory_vtbl = {
    factory_QueryInterface, factory_AddRef, factory_Release, factory_CreateInstance, factory_LockServer,
};

static struct class_factory factories[ARRAYSIZE(imapi2fs_classes)];

HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void **out)
{
    TRACE("%s %s\n", debugstr_guid(clsid), debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    *out = NULL;
    for (unsigned i = 0; i < imapi2fs_class_count; i++) {
        if (!IsEqualGUID(clsid, imapi2fs_classes[i].clsid) || !imapi2fs_classes[i].create)
            continue;
        factories[i].IClassFactory_iface.lpVtbl = &factory_vtbl;
        factories[i].class = &imapi2fs_classes[i];
        return IClassFactory_QueryInterface(&factories[i].IClassFactory_iface, riid, out);
    }
    WARN("class %s not available\n", debugstr_guid(clsid));
    return CLASS_E_CLASSNOTAVAILABLE;
}

HRESULT WINAPI DllCanUnloadNow(void)
{
    return module_refs > 0 ? S_FALSE : S_OK;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    switch (reason) {
    case DLL_PROCESS_ATTACH:
        imapi2fs_instance = instance;
        DisableThreadLibraryCalls(instance);
        break;
    case DLL_PROCESS_DETACH:
        if (!reserved)
            fs_release_typelib();
        break;
    }
    return TRUE;
}

static const struct com_module *imapi2fs_module(void)
{
    static struct com_module module;
    module = (struct com_module){L"imapi2fs.dll", L"Registration-imapi2fs", &imapi2fs_instance, imapi2fs_classes,
                                 imapi2fs_class_count, fs_get_typelib};
    return &module;
}

HRESULT WINAPI DllRegisterServer(void)
{
    return com_register(imapi2fs_module(), FALSE, FALSE);
}

HRESULT WINAPI DllUnregisterServer(void)
{
    return com_unregister(imapi2fs_module(), FALSE);
}

HRESULT WINAPI DllInstall(BOOL install, const WCHAR *cmdline)
{
    TRACE("%d %s\n", install, debugstr_w(cmdline));
    return com_dll_install(imapi2fs_module(), install, cmdline);
}
