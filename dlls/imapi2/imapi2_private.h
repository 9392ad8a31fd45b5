/* Shared declarations of the imapi2.dll COM layer. No CDB bytes live here:
 * protocol knowledge belongs to libs/. */
#ifndef IMAPI2_PRIVATE_H
#define IMAPI2_PRIVATE_H

#define COBJMACROS
#define CONST_VTABLE /* our vtables are static const */
#include <stdint.h>
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include <dispex.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "debug.h"
#include "register.h"
#include "transport/clock.h"

extern HINSTANCE imapi2_instance;

/* Object and lock counts behind DllCanUnloadNow. */
void imapi2_module_addref(void);
void imapi2_module_release(void);

/* ---- the class table: one row per coclass, used by the class factory and
 * by registration alike (struct com_class, dlls/common/register.h) ---- */
extern const struct com_class imapi2_classes[];
extern const unsigned imapi2_class_count;

/* ---- IDispatch through our own typelib ---- */
enum imapi2_tid {
    IDiscMaster2_tid,
    IDiscRecorder2_tid,
    IDiscFormat2_tid,
    IDiscFormat2RawCD_tid,
    IDiscFormat2RawCDEventArgs_tid,
    IDiscFormat2Erase_tid,
    IWriteEngine2EventArgs_tid,
    IWriteSpeedDescriptor_tid,
    IRawCDImageCreator_tid,
    IRawCDImageTrackInfo_tid,
    IDiscFormat2TrackAtOnce_tid,
    IDiscFormat2TrackAtOnceEventArgs_tid,
    IDiscFormat2Data_tid,
    IDiscFormat2DataEventArgs_tid,
    IMultisessionSequential2_tid,
    IImapi2OpenCDText_tid,        /* extension */
    IMAPI2_TID_COUNT
};
HRESULT imapi2_get_typeinfo(enum imapi2_tid tid, ITypeInfo **out);
HRESULT imapi2_get_typelib(ITypeLib **out);
HRESULT imapi2_get_class_typeinfo(const CLSID *clsid, ITypeInfo **out);
void imapi2_release_typelib(void);

HRESULT dispatch_get_type_info(enum imapi2_tid tid, UINT index, ITypeInfo **out);
HRESULT dispatch_get_ids_of_names(enum imapi2_tid tid, LPOLESTR *names, UINT count, DISPID *ids);
HRESULT dispatch_invoke(enum imapi2_tid tid, void *iface, DISPID id, WORD flags,
                        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err);

/* Boilerplate IDispatch methods of an interface whose object has an
 * impl_from_<Iface>() and whose interface has a <Iface>_tid. */
#define IMAPI2_DISPATCH_METHODS(prefix, Iface)                                                  \
    static HRESULT WINAPI prefix##_GetTypeInfoCount(Iface *iface, UINT *count)                  \
    {                                                                                           \
        (void)iface;                                                                            \
        if (!count) return E_INVALIDARG;                                                        \
        *count = 1;                                                                             \
        return S_OK;                                                                            \
    }                                                                                           \
    static HRESULT WINAPI prefix##_GetTypeInfo(Iface *iface, UINT index, LCID lcid,             \
                                               ITypeInfo **out)                                 \
    {                                                                                           \
        (void)iface; (void)lcid;                                                                \
        return dispatch_get_type_info(Iface##_tid, index, out);                                 \
    }                                                                                           \
    static HRESULT WINAPI prefix##_GetIDsOfNames(Iface *iface, REFIID riid, LPOLESTR *names,    \
                                                 UINT count, LCID lcid, DISPID *ids)            \
    {                                                                                           \
        (void)iface; (void)riid; (void)lcid;                                                    \
        return dispatch_get_ids_of_names(Iface##_tid, names, count, ids);                       \
    }                                                                                           \
    static HRESULT WINAPI prefix##_Invoke(Iface *iface, DISPID id, REFIID riid, LCID lcid,      \
                                          WORD flags, DISPPARAMS *params, VARIANT *result,      \
                                          EXCEPINFO *excep, UINT *arg_err)                      \
    {                                                                                           \
        (void)riid; (void)lcid;                                                                 \
        return dispatch_invoke(Iface##_tid, iface, id, flags, params, result, excep, arg_err);  \
    }

/* ---- errors: every failing HRESULT leaves an IErrorInfo with our text ---- */
HRESULT imapi2_set_error(HRESULT hr, const IID *iid);
/* The same with our own description (UTF-8), for causes an HRESULT alone
 * does not tell (which E_INVALIDARG it was). */
HRESULT imapi2_set_error_text(HRESULT hr, const IID *iid, const char *text);
const char *imapi2_error_text(HRESULT hr);
HRESULT imapi2_support_error_info(const IID *riid, const IID *const *iids, unsigned count);

/* ---- connection points (events.c) ---- */
struct connection_point {
    IConnectionPoint IConnectionPoint_iface;
    IConnectionPointContainer *container; /* not AddRef'ed: the container owns the point */
    IID iid;
    IUnknown **sinks;   /* cookie = index + 1; NULL slots are free */
    DWORD sinks_size;
    /* Optional, set by the owner after init: called after every Advise and
     * Unadvise with the number of sinks now advised. */
    void (*sinks_changed)(struct connection_point *cp, DWORD count);
};
void connection_point_init(struct connection_point *cp, REFIID riid, IConnectionPointContainer *container);
void connection_point_destroy(struct connection_point *cp);
/* Calls every sink; a sink that fails, unadvises or releases during the call is survived. */
void connection_point_fire(struct connection_point *cp, DISPID id, DISPPARAMS *params);
HRESULT connection_points_enum(struct connection_point **points, unsigned count, IEnumConnectionPoints **out);
HRESULT connection_points_find(struct connection_point **points, unsigned count, REFIID riid,
                               IConnectionPoint **out);

/* ---- IProvideClassInfo2 for objects that raise events ---- */
HRESULT provide_class_info_get(const CLSID *clsid, ITypeInfo **out);
HRESULT provide_class_info_get_guid(const IID *source_iid, DWORD kind, GUID *out);

/* ---- what every coclass shares (eventsource.c): ISupportErrorInfo, and for
 * event sources IConnectionPointContainer with one point + IProvideClassInfo2.
 * Embedded in the object; their IUnknown goes to owner. ---- */
struct event_source {
    IConnectionPointContainer IConnectionPointContainer_iface;
    IProvideClassInfo2 IProvideClassInfo2_iface;
    ISupportErrorInfo ISupportErrorInfo_iface;
    IUnknown *owner;
    const CLSID *clsid;
    const IID *error_iid;       /* the interface whose errors carry IErrorInfo */
    BOOL has_events;
    struct connection_point point;
};
/* source_iid NULL: the object raises no events (only ISupportErrorInfo). */
void event_source_init(struct event_source *s, IUnknown *owner, const CLSID *clsid, const IID *main_iid,
                       const IID *source_iid);
void event_source_destroy(struct event_source *s);
/* TRUE (and *out AddRef'ed) when riid is one of the shared interfaces. */
BOOL event_source_query(struct event_source *s, REFIID riid, void **out);

/* ---- small helpers ---- */
BSTR bstr_from_utf8(const char *s);
HRESULT safearray_of_i4(const LONG *values, unsigned count, SAFEARRAY **out);
/* The same with elements of type vt (VT_I4 or VT_UI4). */
HRESULT safearray_of_longs(const LONG *values, unsigned count, VARTYPE vt, SAFEARRAY **out);
/* Wall-clock time, in the shape of the clocks libs/ takes (ctx unused). */
uint64_t wall_clock_now_us(void *ctx);
int wall_clock_sleep_us(void *ctx, uint64_t us);
/* The two as the clock libs/ takes: the DLL's one. */
extern const struct io_clock imapi2_wall_clock;
/* An IEnumVARIANT over copies of values (for _NewEnum). */
HRESULT enum_variant_create(const VARIANT *values, ULONG count, IEnumVARIANT **out);

/* ---- constructors, one per coclass file ---- */
HRESULT discmaster_create(IUnknown *outer, REFIID riid, void **out);
HRESULT recorder_create(IUnknown *outer, REFIID riid, void **out);
HRESULT rawcd_create(IUnknown *outer, REFIID riid, void **out);
HRESULT tao_create(IUnknown *outer, REFIID riid, void **out);
HRESULT data_create(IUnknown *outer, REFIID riid, void **out);
HRESULT erase_create(IUnknown *outer, REFIID riid, void **out);
HRESULT rawimage_creator_create(IUnknown *outer, REFIID riid, void **out); /* not rawimage_create: libs/mmc/rawimage.h has that name */
HRESULT stream_zero_create(IUnknown *outer, REFIID riid, void **out);
HRESULT stream_prng_create(IUnknown *outer, REFIID riid, void **out);
HRESULT stream_concatenate_create(IUnknown *outer, REFIID riid, void **out);
HRESULT stream_interleave_create(IUnknown *outer, REFIID riid, void **out);
HRESULT cdtext_object_create(IUnknown *outer, REFIID riid, void **out); /* extension (cdtext.c) */
/* Hands CD-Text (copied; NULL or empty removes it) to a creator of this
 * DLL (rawimage.c); sets the error info itself. */
struct cdtext;
HRESULT rawimage_creator_set_cdtext(IRawCDImageCreator *creator, const struct cdtext *text);

#endif
