/* Registration shared by the project's COM servers (imapi2.dll,
 * imapi2fs.dll): DllRegisterServer / DllUnregisterServer / DllInstall with
 * a journal per DLL and the never-take-over rule (dlls/common/register.c).
 * Each DLL describes itself with one com_module. */
#ifndef IMAPI2_COMMON_REGISTER_H
#define IMAPI2_COMMON_REGISTER_H

#include <windows.h>
#include <oleauto.h>

/* One row per coclass: used by the class factory and by registration. */
typedef HRESULT (*com_constructor)(IUnknown *outer, REFIID riid, void **out);
struct com_class {
    const CLSID *clsid;
    const WCHAR *name;        /* the typelib helpstring, also the key's default value */
    const WCHAR *progid;      /* versioned, NULL when Windows registers none */
    const WCHAR *vi_progid;   /* version-independent, NULL when none */
    com_constructor create;   /* NULL: not creatable (Windows registers no class) */
};

struct com_module {
    const WCHAR *file;              /* "imapi2.dll": the name regsvr32 hints use */
    const WCHAR *journal;           /* under <hive>\Software\imapi2-open */
    const HINSTANCE *instance;
    const struct com_class *classes;
    unsigned class_count;
    HRESULT (*get_typelib)(ITypeLib **out);
};

HRESULT com_register(const struct com_module *m, BOOL per_user, BOOL override);
HRESULT com_unregister(const struct com_module *m, BOOL per_user);
/* regsvr32 /i[:"user,override"] and /u /i: the DllInstall export. */
HRESULT com_dll_install(const struct com_module *m, BOOL install, const WCHAR *cmdline);

#endif
