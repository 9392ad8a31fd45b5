/* DLL entry points, the class table and the class factory. */
#include "imapi2_private.h"
#include "stream_common.h" /* file_stream_opener_create */
#include "mmc/thread.h"

HINSTANCE imapi2_instance;
static LONG module_refs;

void imapi2_module_addref(void) { InterlockedIncrement(&module_refs); }
void imapi2_module_release(void) { InterlockedDecrement(&module_refs); }

/* Names and ProgIDs are those Windows registers for these classes. Windows'
 * WriteEngine2 writer is not implemented: its class is left unregistered
 * rather than answered by an empty object. */
const struct com_class imapi2_classes[] = {
    { &CLSID_MsftDiscMaster2, L"Microsoft IMAPIv2 Disc Master",
      L"IMAPI2.MsftDiscMaster2.1", L"IMAPI2.MsftDiscMaster2", discmaster_create },
    { &CLSID_MsftDiscRecorder2, L"Microsoft IMAPIv2 Disc Recorder",
      L"IMAPI2.MsftDiscRecorder2.1", L"IMAPI2.MsftDiscRecorder2", recorder_create },
    { &CLSID_MsftDiscFormat2Erase, L"Microsoft IMAPIv2 Media Erase/Blank",
      L"IMAPI2.MsftDiscFormat2Erase.1", L"IMAPI2.MsftDiscFormat2Erase", erase_create },
    { &CLSID_MsftDiscFormat2RawCD, L"Microsoft IMAPIv2 Disc-at-Once RAW CD Image Writer",
      L"IMAPI2.MsftDiscFormat2RawCD.1", L"IMAPI2.MsftDiscFormat2RawCD", rawcd_create },
    { &CLSID_MsftDiscFormat2TrackAtOnce, L"Microsoft IMAPIv2 Track-at-Once Audio CD Writer",
      L"IMAPI2.MsftDiscFormat2TrackAtOnce.1", L"IMAPI2.MsftDiscFormat2TrackAtOnce", tao_create },
    { &CLSID_MsftDiscFormat2Data, L"Microsoft IMAPIv2 Data Writer",
      L"IMAPI2.MsftDiscFormat2Data.1", L"IMAPI2.MsftDiscFormat2Data", data_create },
    { &CLSID_MsftStreamZero, L"Microsoft IMAPIv2 /dev/zero Stream ",
      L"IMAPI2.MsftStreamZero.1", NULL, stream_zero_create },
    { &CLSID_MsftStreamPrng001, L"Microsoft IMAPIv2 PRNG based Stream (LCG: 0x19660D, 0x3C6EF35F)",
      L"IMAPI2.MsftStreamPrng001.1", NULL, stream_prng_create },
    { &CLSID_MsftStreamConcatenate, L"Microsoft IMAPIv2 concatenation stream",
      L"IMAPI2.MsftStreamConcatenate.1", NULL, stream_concatenate_create },
    { &CLSID_MsftStreamInterleave, L"Microsoft IMAPIv2 interleave stream",
      L"IMAPI2.MsftStreamInterleave.1", NULL, stream_interleave_create },
    { &CLSID_MsftRawCDImageCreator, L"Microsoft IMAPIv2 RAW CD Image Creator",
      L"IMAPI2.MsftRawCDImageCreator.1", L"IMAPI2.MsftRawCDImageCreator", rawimage_creator_create },
    /* extension: not in Windows (stream_file.c) */
    { &CLSID_Imapi2OpenFileStream, L"IMAPI2Open extension: file stream opener",
      L"IMAPI2Open.FileStream.1", L"IMAPI2Open.FileStream", file_stream_opener_create },
    /* extension: not in Windows (cdtext.c) */
    { &CLSID_Imapi2OpenCDText, L"IMAPI2Open extension: CD-Text",
      L"IMAPI2Open.CDText.1", L"IMAPI2Open.CDText", cdtext_object_create },
};
const unsigned imapi2_class_count = ARRAYSIZE(imapi2_classes);

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

/* Factories are static: the module count keeps the DLL loaded while held. */
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

static struct class_factory factories[ARRAYSIZE(imapi2_classes)];

HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void **out)
{
    TRACE("%s %s\n", debugstr_guid(clsid), debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    *out = NULL;
    for (unsigned i = 0; i < imapi2_class_count; i++) {
        if (!IsEqualGUID(clsid, imapi2_classes[i].clsid) || !imapi2_classes[i].create)
            continue;
        factories[i].IClassFactory_iface.lpVtbl = &factory_vtbl;
        factories[i].class = &imapi2_classes[i];
        return IClassFactory_QueryInterface(&factories[i].IClassFactory_iface, riid, out);
    }
    WARN("class %s not available\n", debugstr_guid(clsid));
    return CLASS_E_CLASSNOTAVAILABLE;
}

HRESULT WINAPI DllCanUnloadNow(void)
{
    return module_refs > 0 ? S_FALSE : S_OK;
}

/* The write engines' writer thread (libs/mmc/writeloop.c) asks for the
 * highest priority there is: on Windows, time-critical. */
static bool raise_to_time_critical(void)
{
    return SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_TIME_CRITICAL) != 0;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    (void)reserved;
    switch (reason) {
    case DLL_PROCESS_ATTACH:
        imapi2_instance = instance;
        DisableThreadLibraryCalls(instance);
        mmc_thread_set_priority_hook(raise_to_time_critical);
        break;
    case DLL_PROCESS_DETACH:
        if (!reserved)
            imapi2_release_typelib();
        break;
    }
    return TRUE;
}
