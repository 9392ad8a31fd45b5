/* imapi2script: a console script host for VBScript and JScript files that
 * provides the WScript object Windows' cscript provides, event connections
 * included, over the system's script engines (IActiveScript). Wine 8's own
 * cscript lacks ConnectObject, CreateObject with an event prefix, Sleep,
 * StdOut and more (examples/README.md). */
#ifndef IMAPI2SCRIPT_HOST_H
#define IMAPI2SCRIPT_HOST_H

#define COBJMACROS
#define CONST_VTABLE
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include <activscp.h>
#include <dispex.h>

/* ---- dispobj.c: IDispatch objects described by a table of members ---- */

struct dispobj;

/* One member. `call` gets the arguments in the caller's order through
 * host_arg(); for a property put, flags has DISPATCH_PROPERTYPUT and the
 * value is host_put_value(). It may leave an error text with host_fail(). */
struct dispobj_member {
    const WCHAR *name;
    DISPID id;
    HRESULT (*call)(struct dispobj *obj, WORD flags, DISPPARAMS *params, VARIANT *result);
};

struct dispobj_class {
    const WCHAR *name; /* the object's name in error sources ("WScript") */
    const struct dispobj_member *members;
    unsigned member_count;
    void (*destroy)(struct dispobj *obj);
    HRESULT (*new_enum)(struct dispobj *obj, IEnumVARIANT **out); /* NULL: not enumerable */
};

struct dispobj {
    IDispatch IDispatch_iface;
    LONG ref;
    const struct dispobj_class *cls;
};

void dispobj_init(struct dispobj *obj, const struct dispobj_class *cls);
static inline struct dispobj *dispobj_from_IDispatch(IDispatch *iface)
{
    return CONTAINING_RECORD(iface, struct dispobj, IDispatch_iface);
}

/* The i-th argument (0 = first as written), indirections removed; NULL when
 * absent or omitted. */
VARIANT *host_arg(DISPPARAMS *params, unsigned i);
VARIANT *host_put_value(DISPPARAMS *params);
unsigned host_arg_count(DISPPARAMS *params);
/* Converts an argument; BSTR result to be freed by the caller. */
HRESULT host_arg_string(DISPPARAMS *params, unsigned i, BSTR *out);
HRESULT host_arg_long(DISPPARAMS *params, unsigned i, LONG *out);
/* v (an argument or a put value) converted to vt in *out, which is
 * VariantInit'ed first; a missing value is DISP_E_PARAMNOTOPTIONAL. */
HRESULT host_value_as(VARIANT *v, VARTYPE vt, VARIANT *out);
/* Records the description for the error the member is about to return. */
HRESULT host_fail(HRESULT hr, const WCHAR *format, ...);

/* An IEnumVARIANT over copies of `count` values. */
HRESULT enum_variant_create(const VARIANT *values, ULONG count, IEnumVARIANT **out);

/* ---- output.c ---- */
void host_write(HANDLE handle, const WCHAR *text, size_t len);
void host_write_line(HANDLE handle, const WCHAR *text);

/* ---- wscript.c: the WScript object ---- */
struct host_args {
    int count;
    WCHAR **values;
};
HRESULT wscript_create(const WCHAR *script_full_path, const struct host_args *args, BOOL interactive,
                       IDispatch **out);

/* ---- events.c: WScript.ConnectObject and friends ---- */
HRESULT events_connect(IDispatch *object, const WCHAR *prefix);
HRESULT events_disconnect(IDispatch *object);
void events_disconnect_all(void);

/* ---- main.c: the engine and the process ---- */
/* Calls the script's global function `name` with the event's arguments;
 * S_FALSE when the script has no such function. */
HRESULT host_call_script_function(const WCHAR *name, DISPPARAMS *params);
/* Ends the process with `code` after flushing output (WScript.Quit). */
void host_quit(int code) __attribute__((noreturn));
/* Event handlers run inside calls the script made: nesting depth. */
extern LONG host_event_depth;

#endif
