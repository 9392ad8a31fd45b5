/* The progress object of DDiscFormat2TrackAtOnceEvents::Update: a snapshot
 * of the engine's figures (IDiscFormat2TrackAtOnceEventArgs over
 * IWriteEngine2EventArgs). */
#include "imapi2_private.h"
#include "tao_progress.h"

struct tao_progress {
    IDiscFormat2TrackAtOnceEventArgs IDiscFormat2TrackAtOnceEventArgs_iface;
    LONG ref;
    struct tao_progress_values v;
};

static inline struct tao_progress *impl_from_IDiscFormat2TrackAtOnceEventArgs(IDiscFormat2TrackAtOnceEventArgs *iface)
{
    return CONTAINING_RECORD(iface, struct tao_progress, IDiscFormat2TrackAtOnceEventArgs_iface);
}

static HRESULT WINAPI progress_QueryInterface(IDiscFormat2TrackAtOnceEventArgs *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IWriteEngine2EventArgs) || IsEqualGUID(riid, &IID_IDiscFormat2TrackAtOnceEventArgs)) {
        *out = iface;
        IDiscFormat2TrackAtOnceEventArgs_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI progress_AddRef(IDiscFormat2TrackAtOnceEventArgs *iface)
{
    return InterlockedIncrement(&impl_from_IDiscFormat2TrackAtOnceEventArgs(iface)->ref);
}

static ULONG WINAPI progress_Release(IDiscFormat2TrackAtOnceEventArgs *iface)
{
    struct tao_progress *p = impl_from_IDiscFormat2TrackAtOnceEventArgs(iface);
    ULONG ref = InterlockedDecrement(&p->ref);
    if (!ref) {
        HeapFree(GetProcessHeap(), 0, p);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(progress, IDiscFormat2TrackAtOnceEventArgs)

#define PROGRESS_GETTER(name, field, type)                                                                \
    static HRESULT WINAPI progress_get_##name(IDiscFormat2TrackAtOnceEventArgs *iface, type *value)       \
    {                                                                                                     \
        if (!value)                                                                                       \
            return E_POINTER;                                                                             \
        *value = (type)impl_from_IDiscFormat2TrackAtOnceEventArgs(iface)->v.field;                        \
        return S_OK;                                                                                      \
    }

PROGRESS_GETTER(StartLba, start_lba, LONG)
PROGRESS_GETTER(SectorCount, sector_count, LONG)
PROGRESS_GETTER(LastReadLba, last_read_lba, LONG)
PROGRESS_GETTER(LastWrittenLba, last_written_lba, LONG)
PROGRESS_GETTER(TotalSystemBuffer, total_system_buffer, LONG)
PROGRESS_GETTER(UsedSystemBuffer, used_system_buffer, LONG)
PROGRESS_GETTER(FreeSystemBuffer, free_system_buffer, LONG)
PROGRESS_GETTER(CurrentTrackNumber, track, LONG)
PROGRESS_GETTER(CurrentAction, action, IMAPI_FORMAT2_TAO_WRITE_ACTION)
PROGRESS_GETTER(ElapsedTime, elapsed_s, LONG)
PROGRESS_GETTER(RemainingTime, remaining_s, LONG)

static const IDiscFormat2TrackAtOnceEventArgsVtbl progress_vtbl = {
    progress_QueryInterface,
    progress_AddRef,
    progress_Release,
    progress_GetTypeInfoCount,
    progress_GetTypeInfo,
    progress_GetIDsOfNames,
    progress_Invoke,
    progress_get_StartLba,
    progress_get_SectorCount,
    progress_get_LastReadLba,
    progress_get_LastWrittenLba,
    progress_get_TotalSystemBuffer,
    progress_get_UsedSystemBuffer,
    progress_get_FreeSystemBuffer,
    progress_get_CurrentTrackNumber,
    progress_get_CurrentAction,
    progress_get_ElapsedTime,
    progress_get_RemainingTime,
};

HRESULT tao_progress_create(const struct tao_progress_values *values, IDispatch **out)
{
    struct tao_progress *p = HeapAlloc(GetProcessHeap(), 0, sizeof(*p));
    if (!p)
        return E_OUTOFMEMORY;
    p->IDiscFormat2TrackAtOnceEventArgs_iface.lpVtbl = &progress_vtbl;
    p->ref = 1;
    p->v = *values;
    imapi2_module_addref();
    *out = (IDispatch *)&p->IDiscFormat2TrackAtOnceEventArgs_iface;
    return S_OK;
}
