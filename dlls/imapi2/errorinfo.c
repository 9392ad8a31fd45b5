/* IErrorInfo for failing calls, with the description from the one HRESULT
 * table (libs/mmc/imapi2_errors.def), so scripts see Err.Description. */
#include "imapi2_private.h"

static const struct {
    HRESULT hr;
    const char *text;
} error_texts[] = {
#define IMAPI2_ERROR(name, value, text) { (HRESULT)value, text },
#include "mmc/imapi2_errors.def"
#undef IMAPI2_ERROR
};

const char *imapi2_error_text(HRESULT hr)
{
    for (unsigned i = 0; i < ARRAYSIZE(error_texts); i++)
        if (error_texts[i].hr == hr)
            return error_texts[i].text;
    return NULL;
}

/* Windows' own text for the generic HRESULTs (E_INVALIDARG, Win32 errors). */
static BSTR system_text(HRESULT hr)
{
    WCHAR text[256];
    DWORD len = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)hr, 0, text,
                               ARRAYSIZE(text), NULL);
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    return len ? SysAllocStringLen(text, len) : NULL;
}

static void set_error_description(const IID *iid, BSTR description)
{
    ICreateErrorInfo *create;
    IErrorInfo *info;
    if (FAILED(CreateErrorInfo(&create)))
        return;
    ICreateErrorInfo_SetGUID(create, iid);
    ICreateErrorInfo_SetSource(create, (LPOLESTR)L"IMAPI2");
    ICreateErrorInfo_SetDescription(create, description);
    if (SUCCEEDED(ICreateErrorInfo_QueryInterface(create, &IID_IErrorInfo, (void **)&info))) {
        SetErrorInfo(0, info);
        IErrorInfo_Release(info);
    }
    ICreateErrorInfo_Release(create);
}

HRESULT imapi2_set_error(HRESULT hr, const IID *iid)
{
    const char *text;
    BSTR description;

    if (SUCCEEDED(hr))
        return hr;
    text = imapi2_error_text(hr);
    /* Script engines turn the common HRESULTs into their own numbered errors
     * (E_INVALIDARG is VBScript's 5) only when no IErrorInfo says otherwise:
     * describe just ours and the Win32 errors they have no words for. */
    if (!text && (HRESULT_FACILITY(hr) != FACILITY_WIN32 || hr == E_INVALIDARG || hr == E_OUTOFMEMORY))
        return hr;
    description = text ? bstr_from_utf8(text) : system_text(hr);
    set_error_description(iid, description);
    SysFreeString(description);
    return hr;
}

HRESULT imapi2_set_error_text(HRESULT hr, const IID *iid, const char *text)
{
    BSTR description;
    if (SUCCEEDED(hr) || !text)
        return imapi2_set_error(hr, iid);
    description = bstr_from_utf8(text);
    set_error_description(iid, description);
    SysFreeString(description);
    return hr;
}

HRESULT imapi2_support_error_info(const IID *riid, const IID *const *iids, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        if (IsEqualGUID(riid, iids[i]))
            return S_OK;
    return S_FALSE;
}
