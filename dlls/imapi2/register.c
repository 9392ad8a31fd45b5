/* imapi2.dll's registration exports: the shared journaled registration
 * (dlls/common/register.c) with this DLL's class table and type library. */
#include "imapi2_private.h"

/* The journal keeps the name it had before imapi2fs.dll had one of its own,
 * so existing registrations unregister. */
static const struct com_module *imapi2_module(void)
{
    static struct com_module module;
    module = (struct com_module){L"imapi2.dll", L"Registration", &imapi2_instance, imapi2_classes,
                                 imapi2_class_count, imapi2_get_typelib};
    return &module;
}

HRESULT WINAPI DllRegisterServer(void)
{
    return com_register(imapi2_module(), FALSE, FALSE);
}

HRESULT WINAPI DllUnregisterServer(void)
{
    return com_unregister(imapi2_module(), FALSE);
}

HRESULT WINAPI DllInstall(BOOL install, const WCHAR *cmdline)
{
    TRACE("%d %s\n", install, debugstr_w(cmdline));
    return com_dll_install(imapi2_module(), install, cmdline);
}
