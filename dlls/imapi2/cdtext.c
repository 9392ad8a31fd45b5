/* EXTENSION, not in Windows: Imapi2OpenCDText ("IMAPI2Open.CDText"), album
 * and track texts that AttachTo hands to a MsftRawCDImageCreator of this
 * DLL, which writes them as CD-Text packs into the image's lead-in R-W
 * (libs/mmc/cdtext.h has the format, libs/mmc/rawimage.h the placement).
 *
 * Windows' creator only takes CD-Text as a whole R-W stream of the caller's
 * making (AddSubcodeRWGenerator), which scripts cannot build. Here a script
 * says, for example:
 *   Set text = CreateObject("IMAPI2Open.CDText")
 *   text.Title(0) = "Album" : text.Performer(0) = "Band"
 *   text.Title(1) = "First song"
 *   text.AttachTo creator
 * Texts are ISO 8859-1 (a BSTR character above U+00FF is refused, as are
 * control characters); track 0 is the album, 1..99 the disc's track
 * numbers. Every failure leaves an IErrorInfo saying which rule was broken. */
#include "imapi2_private.h"
#include "mmc/cdtext.h"

struct cdtext_object {
    IImapi2OpenCDText IImapi2OpenCDText_iface;
    struct event_source source; /* ISupportErrorInfo only */
    LONG ref;
    struct cdtext *text;
};

static inline struct cdtext_object *impl_from_IImapi2OpenCDText(IImapi2OpenCDText *iface)
{
    return CONTAINING_RECORD(iface, struct cdtext_object, IImapi2OpenCDText_iface);
}

/* cdtext_status -> HRESULT, with the module's sentence as the description. */
static HRESULT text_result(int status)
{
    SetErrorInfo(0, NULL);
    if (status == CDTEXT_OK)
        return S_OK;
    return imapi2_set_error_text(status == CDTEXT_ERR_NOMEM ? E_OUTOFMEMORY : E_INVALIDARG, &IID_IImapi2OpenCDText,
                                 cdtext_strerror(status));
}

static HRESULT WINAPI cdtext_QueryInterface(IImapi2OpenCDText *iface, REFIID riid, void **out)
{
    struct cdtext_object *object = impl_from_IImapi2OpenCDText(iface);
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IImapi2OpenCDText)) {
        *out = iface;
        IImapi2OpenCDText_AddRef(iface);
        return S_OK;
    }
    if (event_source_query(&object->source, riid, out))
        return S_OK;
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI cdtext_AddRef(IImapi2OpenCDText *iface)
{
    return InterlockedIncrement(&impl_from_IImapi2OpenCDText(iface)->ref);
}

static ULONG WINAPI cdtext_Release(IImapi2OpenCDText *iface)
{
    struct cdtext_object *object = impl_from_IImapi2OpenCDText(iface);
    ULONG ref = InterlockedDecrement(&object->ref);
    if (!ref) {
        event_source_destroy(&object->source);
        cdtext_free(object->text);
        HeapFree(GetProcessHeap(), 0, object);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(cdtext, IImapi2OpenCDText)

/* ---- text forms ---- */

/* One byte a character; NULL/"" -> "". */
static int latin1_from_bstr(BSTR value, char **out)
{
    UINT len = value ? SysStringLen(value) : 0;
    char *s = HeapAlloc(GetProcessHeap(), 0, len + 1);
    *out = s;
    if (!s)
        return CDTEXT_ERR_NOMEM;
    for (UINT i = 0; i < len; i++) {
        if (value[i] > 0xFF || value[i] == 0)
            return CDTEXT_ERR_CHAR;
        s[i] = (char)value[i];
    }
    s[len] = 0;
    return CDTEXT_OK;
}

static BSTR bstr_from_latin1(const char *s)
{
    size_t len = s ? strlen(s) : 0;
    BSTR b = SysAllocStringLen(NULL, (UINT)len);
    for (size_t i = 0; b && i < len; i++)
        b[i] = (BYTE)s[i];
    return b;
}

/* A field number from the script: the pack type (0x80..) as the enum has it. */
static int field_of(IMAPI2OPEN_CDTEXT_FIELD field)
{
    int f = (int)field - 0x80;
    return cdtext_field_supported(f) ? f : -1;
}

static HRESULT get_text(IImapi2OpenCDText *iface, int field, LONG track, BSTR *value)
{
    struct cdtext_object *object = impl_from_IImapi2OpenCDText(iface);
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (field < 0)
        return text_result(CDTEXT_ERR_FIELD);
    if (track < 0 || track > CDTEXT_MAX_TRACK)
        return text_result(CDTEXT_ERR_TRACK);
    *value = bstr_from_latin1(cdtext_get(object->text, field, track));
    return *value ? S_OK : E_OUTOFMEMORY;
}

static HRESULT put_text(IImapi2OpenCDText *iface, int field, LONG track, BSTR value)
{
    struct cdtext_object *object = impl_from_IImapi2OpenCDText(iface);
    char *latin1 = NULL;
    int status;
    TRACE("%d %ld %s\n", field, (long)track, debugstr_w(value));
    if (field < 0)
        status = CDTEXT_ERR_FIELD;
    else if (track < 0 || track > CDTEXT_MAX_TRACK)
        status = CDTEXT_ERR_TRACK;
    else if ((status = latin1_from_bstr(value, &latin1)) == CDTEXT_OK)
        status = cdtext_set(object->text, field, (int)track, latin1);
    HeapFree(GetProcessHeap(), 0, latin1);
    return text_result(status);
}

static HRESULT WINAPI cdtext_get_Text(IImapi2OpenCDText *iface, IMAPI2OPEN_CDTEXT_FIELD field, LONG track, BSTR *value)
{
    return get_text(iface, field_of(field), track, value);
}

static HRESULT WINAPI cdtext_put_Text(IImapi2OpenCDText *iface, IMAPI2OPEN_CDTEXT_FIELD field, LONG track, BSTR value)
{
    return put_text(iface, field_of(field), track, value);
}

/* Title, Performer...: Text with the field fixed. */
#define CDTEXT_FIELD_PROPERTY(name, field)                                                      \
    static HRESULT WINAPI cdtext_get_##name(IImapi2OpenCDText *iface, LONG track, BSTR *value) \
    {                                                                                           \
        return get_text(iface, field, track, value);                                            \
    }                                                                                           \
    static HRESULT WINAPI cdtext_put_##name(IImapi2OpenCDText *iface, LONG track, BSTR value)  \
    {                                                                                           \
        return put_text(iface, field, track, value);                                            \
    }

CDTEXT_FIELD_PROPERTY(Title, CDTEXT_TITLE)
CDTEXT_FIELD_PROPERTY(Performer, CDTEXT_PERFORMER)
CDTEXT_FIELD_PROPERTY(Songwriter, CDTEXT_SONGWRITER)
CDTEXT_FIELD_PROPERTY(Composer, CDTEXT_COMPOSER)
CDTEXT_FIELD_PROPERTY(Arranger, CDTEXT_ARRANGER)
CDTEXT_FIELD_PROPERTY(Message, CDTEXT_MESSAGE)

static HRESULT WINAPI cdtext_get_GenreCode(IImapi2OpenCDText *iface, LONG *value)
{
    if (!value)
        return E_POINTER;
    *value = cdtext_genre_code(impl_from_IImapi2OpenCDText(iface)->text);
    return S_OK;
}

static HRESULT WINAPI cdtext_put_GenreCode(IImapi2OpenCDText *iface, LONG value)
{
    if (value < 0 || value > 0xFFFF)
        return imapi2_set_error_text(E_INVALIDARG, &IID_IImapi2OpenCDText, "a genre code is 0..65535");
    cdtext_set_genre_code(impl_from_IImapi2OpenCDText(iface)->text, (uint16_t)value);
    return S_OK;
}

static HRESULT WINAPI cdtext_get_LanguageCode(IImapi2OpenCDText *iface, LONG *value)
{
    if (!value)
        return E_POINTER;
    *value = cdtext_language(impl_from_IImapi2OpenCDText(iface)->text);
    return S_OK;
}

static HRESULT WINAPI cdtext_put_LanguageCode(IImapi2OpenCDText *iface, LONG value)
{
    if (value < 0 || value > 0x7F)
        return imapi2_set_error_text(E_INVALIDARG, &IID_IImapi2OpenCDText, "a language code is 0..127");
    cdtext_set_language(impl_from_IImapi2OpenCDText(iface)->text, (uint8_t)value);
    return S_OK;
}

static HRESULT WINAPI cdtext_Clear(IImapi2OpenCDText *iface)
{
    struct cdtext_object *object = impl_from_IImapi2OpenCDText(iface);
    struct cdtext *fresh;
    if (cdtext_create(&fresh) != CDTEXT_OK)
        return E_OUTOFMEMORY;
    cdtext_free(object->text);
    object->text = fresh;
    return S_OK;
}

static HRESULT WINAPI cdtext_AttachTo(IImapi2OpenCDText *iface, IRawCDImageCreator *creator)
{
    TRACE("%p\n", creator);
    if (!creator)
        return E_POINTER;
    return rawimage_creator_set_cdtext(creator, impl_from_IImapi2OpenCDText(iface)->text);
}

static const IImapi2OpenCDTextVtbl cdtext_vtbl = {
    cdtext_QueryInterface,
    cdtext_AddRef,
    cdtext_Release,
    cdtext_GetTypeInfoCount,
    cdtext_GetTypeInfo,
    cdtext_GetIDsOfNames,
    cdtext_Invoke,
    cdtext_get_Text,
    cdtext_put_Text,
    cdtext_get_Title,
    cdtext_put_Title,
    cdtext_get_Performer,
    cdtext_put_Performer,
    cdtext_get_Songwriter,
    cdtext_put_Songwriter,
    cdtext_get_Composer,
    cdtext_put_Composer,
    cdtext_get_Arranger,
    cdtext_put_Arranger,
    cdtext_get_Message,
    cdtext_put_Message,
    cdtext_get_GenreCode,
    cdtext_put_GenreCode,
    cdtext_get_LanguageCode,
    cdtext_put_LanguageCode,
    cdtext_Clear,
    cdtext_AttachTo,
};

HRESULT cdtext_object_create(IUnknown *outer, REFIID riid, void **out)
{
    struct cdtext_object *object;
    HRESULT hr;
    (void)outer;
    if (!(object = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*object))))
        return E_OUTOFMEMORY;
    if (cdtext_create(&object->text) != CDTEXT_OK) {
        HeapFree(GetProcessHeap(), 0, object);
        return E_OUTOFMEMORY;
    }
    object->IImapi2OpenCDText_iface.lpVtbl = &cdtext_vtbl;
    object->ref = 1;
    event_source_init(&object->source, (IUnknown *)&object->IImapi2OpenCDText_iface, &CLSID_Imapi2OpenCDText,
                      &IID_IImapi2OpenCDText, NULL);
    imapi2_module_addref();
    hr = IImapi2OpenCDText_QueryInterface(&object->IImapi2OpenCDText_iface, riid, out);
    IImapi2OpenCDText_Release(&object->IImapi2OpenCDText_iface);
    return hr;
}
