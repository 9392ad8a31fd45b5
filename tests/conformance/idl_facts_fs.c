/* Conformance of the IMAPI2FS type library (imapi2fs.dll, registered LIBID
 * 2C941FD0-... 1.0) to Windows' facts: every interface's IID, base, type
 * flags, and every member's name, kind, DISPID and vtable offset; every
 * coclass's CLSID, creatability and default interface. The expected values
 * come from idl_facts_fs.h, transcribed from the spec sheet (not from the
 * IDL). IMAPI2FS_TLB=<path> checks a .tlb file instead of the registered
 * library. */
#define COBJMACROS
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>
#include <ole2.h>
#include "okay.h"
#include "idl_facts_fs.h"

static const GUID libid_imapi2fs = {0x2C941FD0, 0x975B, 0x59BE, {0xA9, 0x60, 0x9A, 0x2A, 0x26, 0x28, 0x53, 0xA5}};

static GUID guid_of(const char *text)
{
    WCHAR w[64];
    GUID g = GUID_NULL;
    MultiByteToWideChar(CP_ACP, 0, text, -1, w, ARRAYSIZE(w));
    CLSIDFromString(w, &g);
    return g;
}

static BOOL name_is(ITypeInfo *info, MEMBERID id, const char *want)
{
    BSTR name = NULL;
    char got[128] = "";
    if (FAILED(ITypeInfo_GetDocumentation(info, id, &name, NULL, NULL, NULL)) || !name)
        return FALSE;
    WideCharToMultiByte(CP_ACP, 0, name, -1, got, sizeof(got), NULL, NULL);
    SysFreeString(name);
    /* type libraries share names case-insensitively (sheet E.2) */
    return !_stricmp(got, want);
}

/* The vtable side of an interface: for a dual interface the dispatch
 * typeinfo's partner. */
static ITypeInfo *vtable_side(ITypeInfo *info)
{
    TYPEATTR *attr;
    ITypeInfo *side = info;
    HREFTYPE ref;
    ITypeInfo_AddRef(info);
    if (SUCCEEDED(ITypeInfo_GetTypeAttr(info, &attr))) {
        if (attr->typekind == TKIND_DISPATCH && SUCCEEDED(ITypeInfo_GetRefTypeOfImplType(info, -1, &ref)) &&
            SUCCEEDED(ITypeInfo_GetRefTypeInfo(info, ref, &side)))
            ITypeInfo_Release(info);
        ITypeInfo_ReleaseTypeAttr(info, attr);
    }
    return side;
}

static void check_interface(ITypeLib *lib, const struct fs_fact_iface *f)
{
    GUID iid = guid_of(f->iid);
    ITypeInfo *info = NULL, *side, *base;
    TYPEATTR *attr;
    HREFTYPE ref;
    okay_context = f->name;
    if (FAILED(ITypeLib_GetTypeInfoOfGuid(lib, &iid, &info))) {
        ok(0, "%s %s is not in the type library\n", f->name, f->iid);
        okay_context = NULL;
        return;
    }
    ok(name_is(info, MEMBERID_NIL, f->name), "name\n");
    side = vtable_side(info);
    ITypeInfo_GetTypeAttr(side, &attr);
    ok(attr->typekind == TKIND_INTERFACE, "typekind %d\n", attr->typekind);
    ok(attr->wTypeFlags == f->flags, "type flags %#x, want %#x\n", attr->wTypeFlags, f->flags);
    ok(attr->cFuncs == f->count, "%u own members, want %u\n", attr->cFuncs, f->count);
    if (SUCCEEDED(ITypeInfo_GetRefTypeOfImplType(side, 0, &ref)) && SUCCEEDED(ITypeInfo_GetRefTypeInfo(side, ref, &base))) {
        ok(name_is(base, MEMBERID_NIL, f->base), "base is not %s\n", f->base);
        ITypeInfo_Release(base);
    } else {
        ok(0, "no base interface\n");
    }
    for (unsigned m = 0; m < f->count; m++) {
        const struct fs_fact_member *want = &f->members[m];
        BOOL found = FALSE;
        for (UINT i = 0; i < attr->cFuncs && !found; i++) {
            FUNCDESC *fd;
            if (FAILED(ITypeInfo_GetFuncDesc(side, i, &fd)))
                continue;
            if (fd->invkind == want->kind && name_is(side, fd->memid, want->name)) {
                found = TRUE;
                ok(!want->has_id || fd->memid == want->id, "%s: DISPID %ld, want %ld\n", want->name, fd->memid,
                   want->id);
                ok(fd->oVft == want->slot * (SHORT)sizeof(void *), "%s: vtable offset %d, want slot %d\n", want->name,
                   fd->oVft, want->slot);
            }
            ITypeInfo_ReleaseFuncDesc(side, fd);
        }
        ok(found, "no %s (kind %d)\n", want->name, want->kind);
    }
    ITypeInfo_ReleaseTypeAttr(side, attr);
    ITypeInfo_Release(side);
    ITypeInfo_Release(info);
    okay_context = NULL;
}

static void check_class(ITypeLib *lib, const struct fs_fact_class *c)
{
    GUID clsid = guid_of(c->clsid);
    ITypeInfo *info = NULL, *iface;
    TYPEATTR *attr;
    okay_context = c->name;
    if (FAILED(ITypeLib_GetTypeInfoOfGuid(lib, &clsid, &info))) {
        ok(0, "%s %s is not in the type library\n", c->name, c->clsid);
        okay_context = NULL;
        return;
    }
    ok(name_is(info, MEMBERID_NIL, c->name), "name\n");
    ITypeInfo_GetTypeAttr(info, &attr);
    ok(attr->typekind == TKIND_COCLASS, "typekind %d\n", attr->typekind);
    ok(!!(attr->wTypeFlags & TYPEFLAG_FCANCREATE) == c->creatable, "creatable %#x\n", attr->wTypeFlags);
    BOOL seen = FALSE;
    for (UINT i = 0; i < attr->cImplTypes; i++) {
        INT flags = 0;
        HREFTYPE ref;
        ITypeInfo_GetImplTypeFlags(info, i, &flags);
        if ((flags & (IMPLTYPEFLAG_FDEFAULT | IMPLTYPEFLAG_FSOURCE)) != IMPLTYPEFLAG_FDEFAULT)
            continue;
        if (SUCCEEDED(ITypeInfo_GetRefTypeOfImplType(info, i, &ref)) &&
            SUCCEEDED(ITypeInfo_GetRefTypeInfo(info, ref, &iface))) {
            seen = name_is(iface, MEMBERID_NIL, c->default_iface);
            ITypeInfo_Release(iface);
        }
    }
    ok(seen, "default interface is not %s\n", c->default_iface);
    ITypeInfo_ReleaseTypeAttr(info, attr);
    ITypeInfo_Release(info);
    okay_context = NULL;
}

int main(void)
{
    ITypeLib *lib = NULL;
    TLIBATTR *attr;
    const char *file = getenv("IMAPI2FS_TLB");
    HRESULT hr;
    CoInitialize(NULL);
    if (file) {
        WCHAR w[MAX_PATH];
        MultiByteToWideChar(CP_ACP, 0, file, -1, w, MAX_PATH);
        hr = LoadTypeLibEx(w, REGKIND_NONE, &lib);
    } else {
        hr = LoadRegTypeLib(&libid_imapi2fs, 1, 0, 0, &lib);
    }
    ok(hr == S_OK, "loading the IMAPI2FS type library: %#lx\n", hr);
    if (lib) {
        ITypeLib_GetLibAttr(lib, &attr);
        ok(IsEqualGUID(&attr->guid, &libid_imapi2fs) && attr->wMajorVerNum == 1 && attr->wMinorVerNum == 0,
           "LIBID and version %u.%u\n", attr->wMajorVerNum, attr->wMinorVerNum);
        ITypeLib_ReleaseTLibAttr(lib, attr);
        BSTR name = NULL, help = NULL;
        ITypeLib_GetDocumentation(lib, -1, &name, &help, NULL, NULL);
        ok(name && !wcscmp(name, L"IMAPI2FS"), "library name %ls\n", name);
        ok(help && !wcscmp(help, L"Microsoft IMAPI2 File System Image Creator"), "helpstring %ls\n", help);
        SysFreeString(name);
        SysFreeString(help);
        for (unsigned i = 0; i < ARRAYSIZE(fs_facts); i++)
            check_interface(lib, &fs_facts[i]);
        for (unsigned i = 0; i < ARRAYSIZE(fs_classes); i++)
            check_class(lib, &fs_classes[i]);
        ITypeLib_Release(lib);
    }
    CoUninitialize();
    return okay_summary("idl_facts_fs");
}
