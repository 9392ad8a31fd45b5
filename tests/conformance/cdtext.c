/* EXTENSION, not in Windows: Imapi2OpenCDText ("IMAPI2Open.CDText") and the
 * CD-Text it gives a MsftRawCDImageCreator. Nothing here is a Windows fact:
 * it pins our extension (a real imapi2.dll has no such class, so on
 * Windows without our DLL the test skips). The image's lead-in R-W is read
 * back through the result stream and decoded with libs/mmc/cdtext.c. */
#define COBJMACROS
#define CONST_VTABLE
#include <windows.h>
#include <ole2.h>
#include <string.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "okay.h"
#include "test_com.h"
#include "mmc/cdtext.h"
#include "mmc/geometry.h"

#define TRACK_SECTORS 300

static BSTR text(const WCHAR *s)
{
    return SysAllocString(s);
}

static IImapi2OpenCDText *new_text(void)
{
    IImapi2OpenCDText *t = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_Imapi2OpenCDText, NULL, CLSCTX_INPROC_SERVER, &IID_IImapi2OpenCDText,
                                  (void **)&t);
    ok(hr == S_OK && t, "CoCreateInstance(Imapi2OpenCDText) got %#lx\n", hr);
    return t;
}

static IRawCDImageCreator *new_creator(ULONG tracks)
{
    IRawCDImageCreator *c = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftRawCDImageCreator, NULL, CLSCTX_INPROC_SERVER, &IID_IRawCDImageCreator,
                                  (void **)&c);
    ok(hr == S_OK && c, "CoCreateInstance(creator) got %#lx\n", hr);
    for (ULONG i = 0; c && i < tracks; i++) {
        IStream *s = NULL;
        LONG index = 0;
        CreateStreamOnHGlobal(NULL, TRUE, &s);
        IStream_SetSize(s, uli((ULONGLONG)TRACK_SECTORS * CD_SECTOR_SIZE));
        hr = IRawCDImageCreator_AddTrack(c, IMAPI_CD_SECTOR_AUDIO, s, &index);
        ok(hr == S_OK && index == (LONG)i + 1, "AddTrack %lu got %#lx\n", i + 1, hr);
        IStream_Release(s);
    }
    return c;
}

static HRESULT put(IImapi2OpenCDText *t, HRESULT (*setter)(IImapi2OpenCDText *, LONG, BSTR), LONG track,
                   const WCHAR *value)
{
    BSTR b = text(value);
    HRESULT hr = setter(t, track, b);
    SysFreeString(b);
    return hr;
}

static HRESULT put_title(IImapi2OpenCDText *t, LONG track, BSTR v) { return IImapi2OpenCDText_put_Title(t, track, v); }
static HRESULT put_performer(IImapi2OpenCDText *t, LONG track, BSTR v) { return IImapi2OpenCDText_put_Performer(t, track, v); }

static void test_progid(void)
{
    CLSID clsid;
    HRESULT hr = CLSIDFromProgID(L"IMAPI2Open.CDText", &clsid);
    ok(hr == S_OK && IsEqualGUID(&clsid, &CLSID_Imapi2OpenCDText), "ProgID got %#lx\n", hr);
    hr = CLSIDFromProgID(L"IMAPI2Open.CDText.1", &clsid);
    ok(hr == S_OK && IsEqualGUID(&clsid, &CLSID_Imapi2OpenCDText), "versioned ProgID got %#lx\n", hr);
}

static void test_properties(void)
{
    IImapi2OpenCDText *t = new_text();
    BSTR got = NULL;
    LONG value = -1;
    HRESULT hr;
    if (!t)
        return;
    ok(put(t, put_title, 0, L"Album") == S_OK, "album title\n");
    hr = IImapi2OpenCDText_get_Title(t, 0, &got);
    ok(test_bstr_is(hr, got, L"Album"), "title read back\n");
    hr = IImapi2OpenCDText_get_Text(t, IMAPI2OPEN_CDTEXT_TITLE, 0, &got);
    ok(test_bstr_is(hr, got, L"Album"), "Text(TITLE, 0) is Title(0)\n");
    hr = IImapi2OpenCDText_get_Performer(t, 3, &got);
    ok(test_bstr_is(hr, got, L""), "unset text reads as \"\"\n");
    ok(put(t, put_performer, 1, L"Caf\x00e9 Band") == S_OK, "Latin-1 text accepted\n");
    hr = IImapi2OpenCDText_get_Performer(t, 1, &got);
    ok(test_bstr_is(hr, got, L"Caf\x00e9 Band"), "Latin-1 text read back\n");

    hr = put(t, put_title, 100, L"x");
    ok(hr == E_INVALIDARG && test_error_says(L"track"), "track 100 got %#lx\n", hr);
    hr = put(t, put_title, -1, L"x");
    ok(hr == E_INVALIDARG, "track -1 got %#lx\n", hr);
    hr = put(t, put_title, 1, L"euro \x20ac");
    ok(hr == E_INVALIDARG && test_error_says(L"8859-1"), "non-Latin-1 character got %#lx\n", hr);
    hr = put(t, put_title, 1, L"line\nbreak");
    ok(hr == E_INVALIDARG && test_error_says(L"control"), "control character got %#lx\n", hr);
    BSTR b = text(L"ID-1");
    hr = IImapi2OpenCDText_put_Text(t, IMAPI2OPEN_CDTEXT_DISC_ID, 1, b);
    ok(hr == E_INVALIDARG, "disc id for a track got %#lx\n", hr);
    hr = IImapi2OpenCDText_put_Text(t, IMAPI2OPEN_CDTEXT_DISC_ID, 0, b);
    ok(hr == S_OK, "disc id for the album got %#lx\n", hr);
    hr = IImapi2OpenCDText_put_Text(t, (IMAPI2OPEN_CDTEXT_FIELD)0x88, 0, b);
    ok(hr == E_INVALIDARG && test_error_says(L"field"), "binary TOC field got %#lx\n", hr);
    SysFreeString(b);

    ok(IImapi2OpenCDText_get_GenreCode(t, &value) == S_OK && value == 0, "genre code default 0\n");
    ok(IImapi2OpenCDText_put_GenreCode(t, 5) == S_OK && IImapi2OpenCDText_get_GenreCode(t, &value) == S_OK &&
           value == 5, "genre code set\n");
    ok(IImapi2OpenCDText_put_GenreCode(t, 0x10000) == E_INVALIDARG, "genre code range\n");
    ok(IImapi2OpenCDText_get_LanguageCode(t, &value) == S_OK && value == 9, "language default English (9)\n");
    ok(IImapi2OpenCDText_put_LanguageCode(t, 0x80) == E_INVALIDARG, "language range\n");
    ok(IImapi2OpenCDText_Clear(t) == S_OK && IImapi2OpenCDText_get_Title(t, 0, &got) == S_OK && got && !got[0],
       "Clear empties\n");
    SysFreeString(got);
    IImapi2OpenCDText_Release(t);
}

/* The lead-in R-W of the result image: packs gathered and decoded. */
static struct cdtext *read_leadin_text(IStream *image, size_t *count)
{
    static BYTE sector[CD_SECTOR_RAW_PW];
    static uint8_t packs[CDTEXT_BLOCK_PACKS * CDTEXT_PACK_SIZE];
    uint8_t symbols[96];
    struct cdtext_collector *c = HeapAlloc(GetProcessHeap(), 0, sizeof(*c));
    struct cdtext *t = NULL;
    cdtext_collector_reset(c);
    for (int s = 0; s < 200 && !cdtext_collector_complete(c); s++) {
        ULONG got = 0;
        IStream_Seek(image, li((LONGLONG)s * CD_SECTOR_RAW_PW), STREAM_SEEK_SET, NULL);
        if (IStream_Read(image, sector, CD_SECTOR_RAW_PW, &got) != S_OK || got != CD_SECTOR_RAW_PW)
            break;
        for (int i = 0; i < 96; i++)
            symbols[i] = sector[CD_SECTOR_SIZE + i] & 0x3F;
        cdtext_collector_add(c, symbols);
    }
    *count = cdtext_collector_packs(c, packs, CDTEXT_BLOCK_PACKS);
    HeapFree(GetProcessHeap(), 0, c);
    if (cdtext_decode(packs, *count, &t, NULL) != CDTEXT_OK)
        return NULL;
    return t;
}

static void test_attach(void)
{
    IImapi2OpenCDText *t = new_text();
    IRawCDImageCreator *c = new_creator(2);
    IStream *image = NULL;
    size_t count = 0;
    HRESULT hr;
    if (!t || !c)
        return;
    put(t, put_title, 0, L"COM Album");
    put(t, put_performer, 0, L"COM Band");
    put(t, put_title, 1, L"One");
    put(t, put_title, 2, L"Two, with a title longer than a pack");
    hr = IImapi2OpenCDText_AttachTo(t, c);
    ok(hr == S_OK, "AttachTo got %#lx\n", hr);
    put(t, put_title, 2, L"changed after AttachTo");

    IStream *rw = NULL;
    CreateStreamOnHGlobal(NULL, TRUE, &rw);
    hr = IRawCDImageCreator_AddSubcodeRWGenerator(c, rw);
    ok(hr == E_INVALIDARG && test_error_says(L"CD-Text"), "R-W generator after CD-Text got %#lx\n", hr);
    hr = IRawCDImageCreator_put_ResultingImageType(c, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY);
    ok(hr == E_INVALIDARG && test_error_says(L"PQ"), "PQ image type with CD-Text got %#lx\n", hr);

    hr = IRawCDImageCreator_CreateResultImage(c, &image);
    ok(hr == S_OK && image, "CreateResultImage got %#lx\n", hr);
    struct cdtext *back = image ? read_leadin_text(image, &count) : NULL;
    ok(back && count > 3, "lead-in R-W holds a valid pack set (%u packs)\n", (unsigned)count);
    if (back) {
        const char *two = cdtext_get(back, CDTEXT_TITLE, 2);
        ok(!strcmp(cdtext_get(back, CDTEXT_TITLE, 0), "COM Album") && !strcmp(cdtext_get(back, CDTEXT_PERFORMER, 0), "COM Band") &&
               !strcmp(cdtext_get(back, CDTEXT_TITLE, 1), "One") && two &&
               !strcmp(two, "Two, with a title longer than a pack"),
           "texts as attached (a later change does not reach the creator): %s\n", two ? two : "(none)");
        cdtext_free(back);
    }
    hr = IImapi2OpenCDText_AttachTo(t, c);
    ok(hr == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "AttachTo a final creator got %#lx\n", hr);
    if (image)
        IStream_Release(image);
    IRawCDImageCreator_Release(c);

    /* R-W generator first: CD-Text refused */
    c = new_creator(2);
    hr = IRawCDImageCreator_AddSubcodeRWGenerator(c, rw);
    ok(hr == S_OK, "R-W generator got %#lx\n", hr);
    hr = IImapi2OpenCDText_AttachTo(t, c);
    ok(hr == E_INVALIDARG && test_error_says(L"R-W generator"), "CD-Text after an R-W generator got %#lx\n", hr);
    IRawCDImageCreator_Release(c);
    IStream_Release(rw);

    /* a text for a track the image lacks: CreateResultImage says so */
    c = new_creator(2);
    put(t, put_title, 3, L"Three");
    ok(IImapi2OpenCDText_AttachTo(t, c) == S_OK, "AttachTo before the third track exists\n");
    image = NULL;
    hr = IRawCDImageCreator_CreateResultImage(c, &image);
    ok(hr == E_INVALIDARG && !image && test_error_says(L"track"), "CreateResultImage with a text for track 3 got %#lx\n", hr);
    IImapi2OpenCDText_Clear(t);
    ok(IImapi2OpenCDText_AttachTo(t, c) == S_OK, "attaching no texts removes the CD-Text\n");
    hr = IRawCDImageCreator_CreateResultImage(c, &image);
    ok(hr == S_OK && image, "then CreateResultImage got %#lx\n", hr);
    if (image)
        IStream_Release(image);
    IRawCDImageCreator_Release(c);

    hr = IImapi2OpenCDText_AttachTo(t, NULL);
    ok(hr == E_POINTER, "AttachTo(NULL) got %#lx\n", hr);
    IImapi2OpenCDText_Release(t);
}

/* Scripts reach it through IDispatch: Title(track) = "..." is a property
 * put with two arguments. */
static void test_dispatch(void)
{
    IImapi2OpenCDText *t = new_text();
    IDispatch *d = NULL;
    DISPID id = 0, put_id = DISPID_PROPERTYPUT;
    OLECHAR *name = (OLECHAR *)L"Title";
    VARIANT args[2], result;
    DISPPARAMS params = { args, &put_id, 2, 1 };
    HRESULT hr;
    if (!t)
        return;
    hr = IImapi2OpenCDText_QueryInterface(t, &IID_IDispatch, (void **)&d);
    ok(hr == S_OK, "IDispatch got %#lx\n", hr);
    hr = IDispatch_GetIDsOfNames(d, &IID_NULL, &name, 1, 0, &id);
    ok(hr == S_OK && id == 2, "GetIDsOfNames(Title) got %#lx id %ld\n", hr, id);
    V_VT(&args[0]) = VT_BSTR;
    V_BSTR(&args[0]) = text(L"By script");
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = 4;
    hr = IDispatch_Invoke(d, id, &IID_NULL, 0, DISPATCH_PROPERTYPUT, &params, NULL, NULL, NULL);
    ok(hr == S_OK, "Invoke propput Title(4) got %#lx\n", hr);
    VariantClear(&args[0]);
    DISPPARAMS get = { &args[1], NULL, 1, 0 };
    VariantInit(&result);
    hr = IDispatch_Invoke(d, id, &IID_NULL, 0, DISPATCH_PROPERTYGET, &get, &result, NULL, NULL);
    ok(hr == S_OK && V_VT(&result) == VT_BSTR && !wcscmp(V_BSTR(&result), L"By script"), "Invoke propget got %#lx\n",
       hr);
    VariantClear(&result);
    IDispatch_Release(d);
    IImapi2OpenCDText_Release(t);
}

int main(void)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_progid();
    test_properties();
    test_attach();
    test_dispatch();
    CoUninitialize();
    return okay_summary("cdtext");
}
