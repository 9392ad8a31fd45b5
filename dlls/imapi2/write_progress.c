/* The writers' event-args objects (write_progress.h). Each is a snapshot
 * of the engine's figures; the two differ only in their interface, so one
 * template makes both. */
#include "imapi2_private.h"
#include "write_progress.h"

struct write_progress {
    IDispatch IDispatch_iface;  /* the writer's event-args interface; its vtable begins like IDispatch's */
    LONG ref;
    struct write_progress_values v;
};

static HRESULT progress_new(const void *vtbl, const struct write_progress_values *values, IDispatch **out)
{
    struct write_progress *p = HeapAlloc(GetProcessHeap(), 0, sizeof(*p));
    if (!p)
        return E_OUTOFMEMORY;
    p->IDispatch_iface.lpVtbl = vtbl;
    p->ref = 1;
    p->v = *values;
    imapi2_module_addref();
    *out = &p->IDispatch_iface;
    return S_OK;
}

static ULONG progress_release(struct write_progress *p)
{
    ULONG ref = InterlockedDecrement(&p->ref);
    if (!ref) {
        HeapFree(GetProcessHeap(), 0, p);
        imapi2_module_release();
    }
    return ref;
}

/* IUnknown, IDispatch and the getters of an event-args interface Iface whose
 * own IID is own_iid. */
#define WRITE_PROGRESS_OBJECT(prefix, Iface, own_iid)                                                     \
    static inline struct write_progress *prefix##_impl(Iface *iface)                                      \
    {                                                                                                     \
        return CONTAINING_RECORD((IDispatch *)iface, struct write_progress, IDispatch_iface);             \
    }                                                                                                     \
    static HRESULT WINAPI prefix##_QueryInterface(Iface *iface, REFIID riid, void **out)                  \
    {                                                                                                     \
        if (!out)                                                                                         \
            return E_POINTER;                                                                             \
        if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||                      \
            IsEqualGUID(riid, &IID_IWriteEngine2EventArgs) || IsEqualGUID(riid, own_iid)) {               \
            *out = iface;                                                                                 \
            InterlockedIncrement(&prefix##_impl(iface)->ref);                                             \
            return S_OK;                                                                                  \
        }                                                                                                 \
        *out = NULL;                                                                                      \
        WARN("no interface %s\n", debugstr_guid(riid));                                                   \
        return E_NOINTERFACE;                                                                             \
    }                                                                                                     \
    static ULONG WINAPI prefix##_AddRef(Iface *iface)                                                     \
    {                                                                                                     \
        return InterlockedIncrement(&prefix##_impl(iface)->ref);                                          \
    }                                                                                                     \
    static ULONG WINAPI prefix##_Release(Iface *iface)                                                    \
    {                                                                                                     \
        return progress_release(prefix##_impl(iface));                                                    \
    }                                                                                                     \
    IMAPI2_DISPATCH_METHODS(prefix, Iface)                                                                \
    WRITE_PROGRESS_GETTER(prefix, Iface, StartLba, start_lba, LONG)                                       \
    WRITE_PROGRESS_GETTER(prefix, Iface, SectorCount, sector_count, LONG)                                 \
    WRITE_PROGRESS_GETTER(prefix, Iface, LastReadLba, last_read_lba, LONG)                                \
    WRITE_PROGRESS_GETTER(prefix, Iface, LastWrittenLba, last_written_lba, LONG)                          \
    WRITE_PROGRESS_GETTER(prefix, Iface, TotalSystemBuffer, total_system_buffer, LONG)                    \
    WRITE_PROGRESS_GETTER(prefix, Iface, UsedSystemBuffer, used_system_buffer, LONG)                      \
    WRITE_PROGRESS_GETTER(prefix, Iface, FreeSystemBuffer, free_system_buffer, LONG)                      \
    WRITE_PROGRESS_GETTER(prefix, Iface, ElapsedTime, elapsed_s, LONG)                                    \
    WRITE_PROGRESS_GETTER(prefix, Iface, RemainingTime, remaining_s, LONG)

#define WRITE_PROGRESS_GETTER(prefix, Iface, name, field, type)                                           \
    static HRESULT WINAPI prefix##_get_##name(Iface *iface, type *value)                                  \
    {                                                                                                     \
        if (!value)                                                                                       \
            return E_POINTER;                                                                             \
        *value = (type)prefix##_impl(iface)->v.field;                                                     \
        return S_OK;                                                                                      \
    }

/* ---- IDiscFormat2RawCDEventArgs ---- */

WRITE_PROGRESS_OBJECT(raw, IDiscFormat2RawCDEventArgs, &IID_IDiscFormat2RawCDEventArgs)
WRITE_PROGRESS_GETTER(raw, IDiscFormat2RawCDEventArgs, CurrentAction, action, IMAPI_FORMAT2_RAW_CD_WRITE_ACTION)

static const IDiscFormat2RawCDEventArgsVtbl raw_vtbl = {
    raw_QueryInterface,
    raw_AddRef,
    raw_Release,
    raw_GetTypeInfoCount,
    raw_GetTypeInfo,
    raw_GetIDsOfNames,
    raw_Invoke,
    raw_get_StartLba,
    raw_get_SectorCount,
    raw_get_LastReadLba,
    raw_get_LastWrittenLba,
    raw_get_TotalSystemBuffer,
    raw_get_UsedSystemBuffer,
    raw_get_FreeSystemBuffer,
    raw_get_CurrentAction,
    raw_get_ElapsedTime,
    raw_get_RemainingTime,
};

HRESULT rawcd_progress_create(const struct write_progress_values *values, IDispatch **out)
{
    return progress_new(&raw_vtbl, values, out);
}

/* ---- IDiscFormat2TrackAtOnceEventArgs ---- */

WRITE_PROGRESS_OBJECT(tao, IDiscFormat2TrackAtOnceEventArgs, &IID_IDiscFormat2TrackAtOnceEventArgs)
WRITE_PROGRESS_GETTER(tao, IDiscFormat2TrackAtOnceEventArgs, CurrentTrackNumber, track, LONG)
WRITE_PROGRESS_GETTER(tao, IDiscFormat2TrackAtOnceEventArgs, CurrentAction, action, IMAPI_FORMAT2_TAO_WRITE_ACTION)

static const IDiscFormat2TrackAtOnceEventArgsVtbl tao_vtbl = {
    tao_QueryInterface,
    tao_AddRef,
    tao_Release,
    tao_GetTypeInfoCount,
    tao_GetTypeInfo,
    tao_GetIDsOfNames,
    tao_Invoke,
    tao_get_StartLba,
    tao_get_SectorCount,
    tao_get_LastReadLba,
    tao_get_LastWrittenLba,
    tao_get_TotalSystemBuffer,
    tao_get_UsedSystemBuffer,
    tao_get_FreeSystemBuffer,
    tao_get_CurrentTrackNumber,
    tao_get_CurrentAction,
    tao_get_ElapsedTime,
    tao_get_RemainingTime,
};

HRESULT tao_progress_create(const struct write_progress_values *values, IDispatch **out)
{
    return progress_new(&tao_vtbl, values, out);
}

/* ---- IDiscFormat2DataEventArgs ---- */

WRITE_PROGRESS_OBJECT(data, IDiscFormat2DataEventArgs, &IID_IDiscFormat2DataEventArgs)
WRITE_PROGRESS_GETTER(data, IDiscFormat2DataEventArgs, TotalTime, total_s, LONG)
WRITE_PROGRESS_GETTER(data, IDiscFormat2DataEventArgs, CurrentAction, action, IMAPI_FORMAT2_DATA_WRITE_ACTION)

static const IDiscFormat2DataEventArgsVtbl data_vtbl = {
    data_QueryInterface,
    data_AddRef,
    data_Release,
    data_GetTypeInfoCount,
    data_GetTypeInfo,
    data_GetIDsOfNames,
    data_Invoke,
    data_get_StartLba,
    data_get_SectorCount,
    data_get_LastReadLba,
    data_get_LastWrittenLba,
    data_get_TotalSystemBuffer,
    data_get_UsedSystemBuffer,
    data_get_FreeSystemBuffer,
    data_get_ElapsedTime,
    data_get_RemainingTime,
    data_get_TotalTime,
    data_get_CurrentAction,
};

HRESULT data_progress_create(const struct write_progress_values *values, IDispatch **out)
{
    return progress_new(&data_vtbl, values, out);
}
