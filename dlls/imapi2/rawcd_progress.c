/* The progress object of DDiscFormat2RawCDEvents::Update: a snapshot of the
 * write engine's figures (IDiscFormat2RawCDEventArgs over IWriteEngine2EventArgs). */
#include "imapi2_private.h"
#include "rawcd_progress.h"

struct rawcd_progress {
    IDiscFormat2RawCDEventArgs IDiscFormat2RawCDEventArgs_iface;
    LONG ref;
    struct rawcd_progress_values v;
};

static inline struct rawcd_progress *impl_from_IDiscFormat2RawCDEventArgs(IDiscFormat2RawCDEventArgs *iface)
{
    return CONTAINING_RECORD(iface, struct rawcd_progress, IDiscFormat2RawCDEventArgs_iface);
}

static HRESULT WINAPI progress_QueryInterface(IDiscFormat2RawCDEventArgs *iface, REFIID riid, void **out)
{
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IWriteEngine2EventArgs) || IsEqualGUID(riid, &IID_IDiscFormat2RawCDEventArgs)) {
        *out = iface;
        IDiscFormat2RawCDEventArgs_AddRef(iface);
        return S_OK;
    }
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI progress_AddRef(IDiscFormat2RawCDEventArgs *iface)
{
    return InterlockedIncrement(&impl_from_IDiscFormat2RawCDEventArgs(iface)->ref);
}

static ULONG WINAPI progress_Release(IDiscFormat2RawCDEventArgs *iface)
{
    struct rawcd_progress *p = impl_from_IDiscFormat2RawCDEventArgs(iface);
    ULONG ref = InterlockedDecrement(&p->ref);
    if (!ref) {
        HeapFree(GetProcessHeap(), 0, p);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(progress, IDiscFormat2RawCDEventArgs)

#define PROGRESS_GETTER(name, field, type)                                                  \
    static HRESULT WINAPI progress_get_##name(IDiscFormat2RawCDEventArgs *iface, type *value) \
    {                                                                                       \
        if (!value)                                                                         \
            return E_POINTER;                                                               \
        *value = (type)impl_from_IDiscFormat2RawCDEventArgs(iface)->v.field;                \
        return S_OK;                                                                        \
    }

PROGRESS_GETTER(StartLba, start_lba, LONG)
PROGRESS_GETTER(SectorCount, sector_count, LONG)
PROGRESS_GETTER(LastReadLba, last_read_lba, LONG)
PROGRESS_GETTER(LastWrittenLba, last_written_lba, LONG)
PROGRESS_GETTER(TotalSystemBuffer, total_system_buffer, LONG)
PROGRESS_GETTER(UsedSystemBuffer, used_system_buffer, LONG)
PROGRESS_GETTER(FreeSystemBuffer, free_system_buffer, LONG)
PROGRESS_GETTER(CurrentAction, action, IMAPI_FORMAT2_RAW_CD_WRITE_ACTION)
PROGRESS_GETTER(ElapsedTime, elapsed_s, LONG)
PROGRESS_GETTER(RemainingTime, remaining_s, LONG)

static const IDiscFormat2RawCDEventArgsVtbl progress_vtbl = {
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
    progress_get_CurrentAction,
    progress_get_ElapsedTime,
    progress_get_RemainingTime,
};

HRESULT rawcd_progress_create(const struct rawcd_progress_values *values, IDispatch **out)
{
    struct rawcd_progress *p = HeapAlloc(GetProcessHeap(), 0, sizeof(*p));
    if (!p)
        return E_OUTOFMEMORY;
    p->IDiscFormat2RawCDEventArgs_iface.lpVtbl = &progress_vtbl;
    p->ref = 1;
    p->v = *values;
    imapi2_module_addref();
    *out = (IDispatch *)&p->IDiscFormat2RawCDEventArgs_iface;
    return S_OK;
}
