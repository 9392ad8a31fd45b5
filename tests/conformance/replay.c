/* Real programs' call orders, replayed call for call on virtual recorders.
 *
 * 1. Microsoft's IMAPI2 sample raw writer (Windows-classic-samples,
 *    Win7Samples/winbase/imapi/imapi2sample, RawWriter.cpp): three PCM files
 *    opened with SHCreateStreamOnFileW, MsftRawCDImageCreator with PQ-only
 *    sectors, then put_Recorder, put_ClientName, PrepareMedia,
 *    put_RequestedSectorType, WriteMedia with an Update sink, ReleaseMedia
 *    "even if the burn failed"; and the same with CancelWrite from Update.
 * 2. What a typical third-party burner does: list the recorders and keep
 *    those IsRecorderSupported accepts, probe an empty drive and a written
 *    disc, read SupportedSectorTypes after PrepareMedia and pick cooked P-W,
 *    burn an image file opened with SHCreateStreamOnFileEx, erase, burn
 *    again and cancel, erase, burn again: all with one process and the same
 *    format object.
 * The orders come from reading those programs; the code is ours. */
#define COBJMACROS
#define CONST_VTABLE
#include <stdio.h>
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include <shlwapi.h>
#include "imapi2.h"
#include "imapi2error.h"
#include "okay.h"
#include "virtual_recorders.h"
#include "test_com.h"
#include "mmc/geometry.h"

#define TRACK_SECTORS 400 /* more than the 4 s (300 sectors) a track needs */

/* ------------------------------------------------ files and streams */

/* A PCM file of `sectors` audio sectors, different for each seed. */
static void write_pcm(const WCHAR *path, unsigned sectors, unsigned seed)
{
    FILE *f = _wfopen(path, L"wb");
    BYTE buf[CD_SECTOR_SIZE];
    ok(f != NULL, "cannot create %ls\n", path);
    if (!f)
        return;
    for (unsigned s = 0; s < sectors; s++) {
        for (unsigned i = 0; i < sizeof(buf); i++)
            buf[i] = (BYTE)((s * 131 + i * 7 + seed * 29) ^ (i >> 5));
        fwrite(buf, 1, sizeof(buf), f);
    }
    fclose(f);
}

static void temp_path(const WCHAR *name, WCHAR *out, size_t size)
{
    swprintf(out, size, L"%ls\\%ls", test_vr_folder(), name);
}

/* Copies a stream to a file: the image a burner saved earlier. */
static BOOL save_stream(IStream *from, const WCHAR *path)
{
    FILE *f = _wfopen(path, L"wb");
    static BYTE buf[1 << 16];
    ULONG got;
    BOOL good = f != NULL;
    IStream_Seek(from, li(0), STREAM_SEEK_SET, NULL);
    while (good && SUCCEEDED(IStream_Read(from, buf, sizeof(buf), &got)) && got)
        good = fwrite(buf, 1, got, f) == got;
    if (f)
        fclose(f);
    return good;
}

/* ------------------------------------------------ an Update sink */

struct raw_sink {
    struct test_sink base; /* first */
    unsigned updates;
    unsigned cancel_at;    /* CancelWrite from this Update (0: never) */
    HRESULT cancel_result;
    IMAPI_FORMAT2_RAW_CD_WRITE_ACTION last_action;
    LONG last_written;
};

static HRESULT WINAPI raw_sink_Invoke(IDispatch *iface, DISPID id, REFIID riid, LCID lcid, WORD flags,
                                      DISPPARAMS *params, VARIANT *result, EXCEPINFO *excep, UINT *arg_err)
{
    struct raw_sink *sink = CONTAINING_RECORD(iface, struct raw_sink, base.IDispatch_iface);
    IDiscFormat2RawCD *format = NULL;
    IDiscFormat2RawCDEventArgs *args = NULL;
    (void)riid; (void)lcid; (void)flags; (void)result; (void)excep; (void)arg_err;
    if (id != DISPID_DDISCFORMAT2RAWCDEVENTS_UPDATE || params->cArgs != 2)
        return DISP_E_MEMBERNOTFOUND;
    IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[1]), &IID_IDiscFormat2RawCD, (void **)&format);
    IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[0]), &IID_IDiscFormat2RawCDEventArgs, (void **)&args);
    ok(format && args, "Update arguments\n");
    if (!format || !args)
        return S_OK;
    sink->updates++;
    IDiscFormat2RawCDEventArgs_get_CurrentAction(args, &sink->last_action);
    IDiscFormat2RawCDEventArgs_get_LastWrittenLba(args, &sink->last_written);
    if (sink->cancel_at && sink->updates == sink->cancel_at)
        sink->cancel_result = IDiscFormat2RawCD_CancelWrite(format);
    IDiscFormat2RawCDEventArgs_Release(args);
    IDiscFormat2RawCD_Release(format);
    return S_OK;
}
static const IDispatchVtbl raw_sink_vtbl = TEST_SINK_VTBL(raw_sink_Invoke);

static void raw_sink_init(struct raw_sink *sink, unsigned cancel_at)
{
    memset(sink, 0, sizeof(*sink));
    test_sink_init(&sink->base, &raw_sink_vtbl, &IID_DDiscFormat2RawCDEvents, NULL);
    sink->cancel_at = cancel_at;
}

static DWORD advise(IUnknown *object, const IID *events, IDispatch *sink)
{
    IConnectionPointContainer *cpc = NULL;
    IConnectionPoint *cp = NULL;
    DWORD cookie = 0;
    if (SUCCEEDED(IUnknown_QueryInterface(object, &IID_IConnectionPointContainer, (void **)&cpc))) {
        if (SUCCEEDED(IConnectionPointContainer_FindConnectionPoint(cpc, events, &cp))) {
            IConnectionPoint_Advise(cp, (IUnknown *)sink, &cookie);
            IConnectionPoint_Release(cp);
        }
        IConnectionPointContainer_Release(cpc);
    }
    ok(cookie != 0, "Advise failed\n");
    return cookie;
}

/* ------------------------------------------------ checks */

/* The recorder's READ TOC (format 0) against what the image creator said it
 * would be. */
static void check_toc(IDiscRecorder2 *rec, IRawCDImageCreator *creator, const char *when)
{
    IDiscRecorder2Ex *ex = NULL;
    SAFEARRAY *expected = NULL;
    BYTE cdb[10] = { 0x43, 0, 0, 0, 0, 0, 1, 0x03, 0x24, 0 }; /* READ TOC, format 0, LBA, from track 1 */
    BYTE toc[804], sense[18];
    ULONG got = 0;
    LONG hi = -1;
    IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex);
    ok(ex != NULL, "%s: no IDiscRecorder2Ex\n", when);
    ok(IRawCDImageCreator_get_ExpectedTableOfContents(creator, &expected) == S_OK && expected, "%s: expected TOC\n",
       when);
    if (!ex || !expected)
        goto done;
    memset(toc, 0xCC, sizeof(toc));
    ok(IDiscRecorder2Ex_SendCommandGetDataFromDevice(ex, cdb, sizeof(cdb), sense, 10, toc, sizeof(toc), &got) ==
       S_OK,
       "%s: READ TOC\n", when);
    SafeArrayGetUBound(expected, 1, &hi);
    ok((LONG)got >= hi + 1, "%s: TOC of %lu bytes, expected %ld\n", when, got, hi + 1);
    for (LONG i = 0; i <= hi && i < (LONG)got; i++) {
        VARIANT v;
        VariantInit(&v);
        SafeArrayGetElement(expected, &i, &v);
        if (V_UI1(&v) != toc[i]) {
            ok(0, "%s: TOC byte %ld is %#x, expected %#x\n", when, i, toc[i], V_UI1(&v));
            break;
        }
    }
done:
    if (expected)
        SafeArrayDestroy(expected);
    if (ex)
        IDiscRecorder2Ex_Release(ex);
}

static BOOL blank(IDiscFormat2RawCD *format)
{
    VARIANT_BOOL b = VARIANT_FALSE;
    IDiscFormat2RawCD_get_MediaPhysicallyBlank(format, &b);
    return b == VARIANT_TRUE;
}

/* The index IDiscMaster2 gives a virtual recorder of this name. */
static LONG master_index_of(IDiscMaster2 *master, const WCHAR *name)
{
    WCHAR want[300];
    LONG count = 0;
    test_vr_unique_id(name, want, ARRAYSIZE(want));
    IDiscMaster2_get_Count(master, &count);
    for (LONG i = 0; i < count; i++) {
        BSTR id = NULL;
        BOOL same = SUCCEEDED(IDiscMaster2_get_Item(master, i, &id)) && id && !lstrcmpiW(id, want);
        SysFreeString(id);
        if (same)
            return i;
    }
    return -1;
}

/* ------------------------------------------------ 1. Microsoft's sample */

static IRawCDImageCreator *sample_image(IStream **result)
{
    IRawCDImageCreator *raw = NULL;
    IStream *audio[3] = { NULL, NULL, NULL };
    LONG index = 0;
    *result = NULL;
    ok(CoCreateInstance(&CLSID_MsftRawCDImageCreator, NULL, CLSCTX_ALL, &IID_IRawCDImageCreator, (void **)&raw) ==
       S_OK, "CoCreateInstance(MsftRawCDImageCreator)\n");
    if (!raw)
        return NULL;
    for (int i = 0; i < 3; i++) {
        WCHAR name[16], path[MAX_PATH];
        swprintf(name, ARRAYSIZE(name), L"%lc.pcm", L'a' + i);
        temp_path(name, path, ARRAYSIZE(path));
        write_pcm(path, TRACK_SECTORS + 50 * i, (unsigned)i);
        ok(SHCreateStreamOnFileW(path, STGM_READ | STGM_SHARE_DENY_WRITE, &audio[i]) == S_OK,
           "SHCreateStreamOnFileW(%ls)\n", name);
    }
    ok(IRawCDImageCreator_put_ResultingImageType(raw, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY) == S_OK,
       "put_ResultingImageType(PQ_ONLY)\n");
    for (int i = 0; i < 3; i++) {
        if (audio[i]) {
            ok(IRawCDImageCreator_AddTrack(raw, IMAPI_CD_SECTOR_AUDIO, audio[i], &index) == S_OK, "AddTrack %d\n", i);
            IStream_Release(audio[i]);
        }
    }
    ok(index == 3, "last track index %ld\n", index);
    ok(IRawCDImageCreator_CreateResultImage(raw, result) == S_OK && *result, "CreateResultImage\n");
    return raw;
}

/* put_Recorder, put_ClientName, PrepareMedia, put_RequestedSectorType,
 * WriteMedia, ReleaseMedia, exactly as RawWriter.cpp orders them. */
static void test_sample_raw_writer(unsigned cancel_at)
{
    IDiscMaster2 *master = NULL;
    IDiscRecorder2 *rec = NULL;
    IDiscFormat2RawCD *raw_format = NULL;
    IRawCDImageCreator *raw;
    IStream *result = NULL;
    BSTR id = NULL, client = SysAllocString(L"RawTestBurn");
    struct raw_sink sink;
    LONG index;
    HRESULT hr;

    test_vr_add(L"sample", L"cdr80", NULL, TRUE);
    if (!(raw = sample_image(&result)) || !result)
        return;
    ok(CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_ALL, &IID_IDiscMaster2, (void **)&master) == S_OK,
       "MsftDiscMaster2\n");
    ok(CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_ALL, &IID_IDiscRecorder2, (void **)&rec) == S_OK,
       "MsftDiscRecorder2\n");
    ok(CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_ALL, &IID_IDiscFormat2RawCD,
                        (void **)&raw_format) == S_OK, "MsftDiscFormat2RawCD\n");
    if (!master || !rec || !raw_format)
        goto done;
    index = master_index_of(master, L"sample");
    ok(index >= 0, "the virtual recorder is not listed\n");
    ok(IDiscMaster2_get_Item(master, index, &id) == S_OK, "get_Item(%ld)\n", index);
    ok(IDiscRecorder2_InitializeDiscRecorder(rec, id) == S_OK, "InitializeDiscRecorder\n");

    ok(IDiscFormat2RawCD_put_Recorder(raw_format, rec) == S_OK, "put_Recorder\n");
    ok(IDiscFormat2RawCD_put_ClientName(raw_format, client) == S_OK, "put_ClientName\n");
    ok(IDiscFormat2RawCD_PrepareMedia(raw_format) == S_OK, "PrepareMedia\n");
    ok(IDiscFormat2RawCD_put_RequestedSectorType(raw_format, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY) == S_OK,
       "put_RequestedSectorType after PrepareMedia\n");
    raw_sink_init(&sink, cancel_at);
    advise((IUnknown *)raw_format, &IID_DDiscFormat2RawCDEvents, &sink.base.IDispatch_iface);
    hr = IDiscFormat2RawCD_WriteMedia(raw_format, result);
    if (cancel_at) {
        ok(hr == E_IMAPI_REQUEST_CANCELLED, "cancelled WriteMedia got %#lx\n", hr);
        ok(sink.cancel_result == S_OK, "CancelWrite from Update got %#lx\n", sink.cancel_result);
    } else {
        ok(hr == S_OK, "WriteMedia got %#lx\n", hr);
        ok(sink.updates >= 3 && sink.last_action == IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING,
           "%u updates, last action %d\n", sink.updates, sink.last_action);
    }
    /* "release media (even if the burn failed)" */
    ok(IDiscFormat2RawCD_ReleaseMedia(raw_format) == S_OK, "ReleaseMedia\n");
    if (!cancel_at)
        check_toc(rec, raw, "sample burn");
done:
    SysFreeString(id);
    SysFreeString(client);
    if (raw_format)
        IDiscFormat2RawCD_Release(raw_format);
    if (rec)
        IDiscRecorder2_Release(rec);
    if (master)
        IDiscMaster2_Release(master);
    IStream_Release(result);
    IRawCDImageCreator_Release(raw);
    test_vr_remove(L"sample");
}

/* ------------------------------------------------ 2. a third-party burner */

/* The recorders the burner offers: those the raw format takes. */
static void test_app_lists_recorders(void)
{
    IDiscMaster2 *master = NULL;
    IDiscFormat2RawCD *format = NULL;
    LONG count = 0, offered = 0;
    test_vr_add(L"app-empty", L"none", NULL, TRUE);
    test_vr_add(L"app-written", L"cdr-closed", NULL, TRUE);
    test_vr_add(L"app-noraw", L"cdr80", NULL, TRUE);
    test_vr_set_dword(L"app-noraw", L"RawBlockTypes", 0x1);
    CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_ALL, &IID_IDiscMaster2, (void **)&master);
    CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_ALL, &IID_IDiscFormat2RawCD, (void **)&format);
    ok(master && format, "objects\n");
    if (!master || !format)
        goto done;
    ok(IDiscMaster2_get_Count(master, &count) == S_OK && count == 3, "%ld recorders\n", count);
    for (LONG i = 0; i < count; i++) {
        IDiscRecorder2 *rec = NULL;
        BSTR id = NULL, vendor = NULL;
        VARIANT_BOOL supported = VARIANT_FALSE, media = VARIANT_TRUE, blank_disc = VARIANT_TRUE;
        HRESULT hr;
        IDiscMaster2_get_Item(master, i, &id);
        CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_ALL, &IID_IDiscRecorder2, (void **)&rec);
        if (!rec || FAILED(IDiscRecorder2_InitializeDiscRecorder(rec, id))) {
            ok(0, "recorder %ld\n", i);
        } else {
            ok(IDiscRecorder2_get_VendorId(rec, &vendor) == S_OK && vendor, "VendorId\n");
            /* A drive without raw DAO answers with E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED and FALSE. */
            hr = IDiscFormat2RawCD_IsRecorderSupported(format, rec, &supported);
            ok(supported == VARIANT_TRUE ? hr == S_OK : hr == E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED,
               "IsRecorderSupported %ld: %#lx %d\n", i, hr, supported);
            offered += supported == VARIANT_TRUE;
            if (supported == VARIANT_TRUE && wcsstr(id, L"app-empty")) {
                hr = IDiscFormat2RawCD_IsCurrentMediaSupported(format, rec, &media);
                ok(hr == E_IMAPI_RECORDER_MEDIA_NO_MEDIA && media == VARIANT_FALSE, "empty drive: %#lx %d\n", hr,
                   media);
            }
            if (supported == VARIANT_TRUE && wcsstr(id, L"app-written")) {
                hr = IDiscFormat2RawCD_IsCurrentMediaSupported(format, rec, &media);
                ok(hr == S_OK && media == VARIANT_TRUE, "written CD-R is a supported kind: %#lx %d\n", hr, media);
                ok(IDiscFormat2RawCD_put_Recorder(format, rec) == S_OK, "put_Recorder\n");
                ok(IDiscFormat2RawCD_get_MediaPhysicallyBlank(format, &blank_disc) == S_OK &&
                   blank_disc == VARIANT_FALSE, "written disc is not blank\n");
                ok(IDiscFormat2RawCD_put_Recorder(format, NULL) == S_OK, "put_Recorder(NULL)\n");
            }
        }
        SysFreeString(vendor);
        SysFreeString(id);
        if (rec)
            IDiscRecorder2_Release(rec);
    }
    ok(offered == 2, "%ld recorders offered, expected 2 (not the one without raw DAO)\n", offered);
done:
    if (format)
        IDiscFormat2RawCD_Release(format);
    if (master)
        IDiscMaster2_Release(master);
    test_vr_remove(L"app-empty");
    test_vr_remove(L"app-written");
    test_vr_remove(L"app-noraw");
}

/* An image the burner made earlier and saved: two audio tracks, cooked P-W. */
static IRawCDImageCreator *app_image(const WCHAR *path)
{
    IRawCDImageCreator *raw = NULL;
    IStream *result = NULL;
    LONG index;
    CoCreateInstance(&CLSID_MsftRawCDImageCreator, NULL, CLSCTX_ALL, &IID_IRawCDImageCreator, (void **)&raw);
    ok(raw != NULL, "image creator\n");
    if (!raw)
        return NULL;
    IRawCDImageCreator_put_ResultingImageType(raw, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED);
    for (int i = 0; i < 2; i++) {
        WCHAR name[16], track[MAX_PATH];
        IStream *audio = NULL;
        swprintf(name, ARRAYSIZE(name), L"t%d.pcm", i);
        temp_path(name, track, ARRAYSIZE(track));
        write_pcm(track, TRACK_SECTORS, 7 + (unsigned)i);
        SHCreateStreamOnFileEx(track, STGM_READ | STGM_SHARE_DENY_WRITE, FILE_ATTRIBUTE_NORMAL, FALSE, NULL, &audio);
        ok(audio && IRawCDImageCreator_AddTrack(raw, IMAPI_CD_SECTOR_AUDIO, audio, &index) == S_OK, "AddTrack\n");
        if (audio)
            IStream_Release(audio);
    }
    ok(IRawCDImageCreator_CreateResultImage(raw, &result) == S_OK && result, "CreateResultImage\n");
    ok(result && save_stream(result, path), "image saved\n");
    if (result)
        IStream_Release(result);
    return raw;
}

/* PrepareMedia, pick COOKED from SupportedSectorTypes, burn the file; the
 * answer of WriteMedia. */
static HRESULT app_burn(IDiscFormat2RawCD *format, const WCHAR *image_path, unsigned cancel_at, unsigned *updates)
{
    SAFEARRAY *types = NULL;
    IStream *file = NULL;
    struct raw_sink sink;
    IConnectionPoint *cp = NULL;
    IConnectionPointContainer *cpc = NULL;
    DWORD cookie;
    BOOL cooked = FALSE;
    HRESULT hr = IDiscFormat2RawCD_PrepareMedia(format);
    ok(hr == S_OK, "PrepareMedia got %#lx\n", hr);
    if (FAILED(hr))
        return hr;
    ok(IDiscFormat2RawCD_get_SupportedSectorTypes(format, &types) == S_OK && types, "SupportedSectorTypes\n");
    for (LONG i = 0; types && i < test_array_count(types); i++) {
        VARIANT v;
        VariantInit(&v);
        SafeArrayGetElement(types, &i, &v);
        cooked |= V_VT(&v) == VT_UI4 && V_UI4(&v) == IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED;
        VariantClear(&v);
    }
    if (types)
        SafeArrayDestroy(types);
    ok(cooked, "cooked P-W not offered\n");
    ok(IDiscFormat2RawCD_put_RequestedSectorType(format, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED) == S_OK,
       "put_RequestedSectorType(COOKED)\n");
    ok(SHCreateStreamOnFileEx(image_path, STGM_READ | STGM_SHARE_DENY_WRITE, FILE_ATTRIBUTE_NORMAL, FALSE, NULL,
                              &file) == S_OK, "SHCreateStreamOnFileEx\n");
    raw_sink_init(&sink, cancel_at);
    cookie = advise((IUnknown *)format, &IID_DDiscFormat2RawCDEvents, &sink.base.IDispatch_iface);
    hr = file ? IDiscFormat2RawCD_WriteMedia(format, file) : E_FAIL;
    *updates = sink.updates;
    if (SUCCEEDED(IDiscFormat2RawCD_QueryInterface(format, &IID_IConnectionPointContainer, (void **)&cpc))) {
        if (SUCCEEDED(IConnectionPointContainer_FindConnectionPoint(cpc, &IID_DDiscFormat2RawCDEvents, &cp))) {
            ok(IConnectionPoint_Unadvise(cp, cookie) == S_OK, "Unadvise\n");
            IConnectionPoint_Release(cp);
        }
        IConnectionPointContainer_Release(cpc);
    }
    if (cancel_at)
        ok(sink.cancel_result == S_OK, "CancelWrite from Update got %#lx\n", sink.cancel_result);
    ok(IDiscFormat2RawCD_ReleaseMedia(format) == S_OK, "ReleaseMedia\n");
    if (file)
        IStream_Release(file);
    return hr;
}

static void app_erase(IDiscRecorder2 *rec)
{
    IDiscFormat2Erase *erase = NULL;
    BSTR client = SysAllocString(L"Burner");
    CoCreateInstance(&CLSID_MsftDiscFormat2Erase, NULL, CLSCTX_ALL, &IID_IDiscFormat2Erase, (void **)&erase);
    ok(erase != NULL, "MsftDiscFormat2Erase\n");
    if (erase) {
        ok(IDiscFormat2Erase_put_Recorder(erase, rec) == S_OK, "erase put_Recorder\n");
        ok(IDiscFormat2Erase_put_ClientName(erase, client) == S_OK, "erase put_ClientName\n");
        ok(IDiscFormat2Erase_put_FullErase(erase, VARIANT_FALSE) == S_OK, "put_FullErase\n");
        ok(IDiscFormat2Erase_EraseMedia(erase) == S_OK, "EraseMedia\n");
        IDiscFormat2Erase_Release(erase);
    }
    SysFreeString(client);
}

static void test_app_burn_cancel_erase_burn(void)
{
    IDiscFormat2RawCD *format = NULL;
    IDiscRecorder2 *rec;
    IRawCDImageCreator *raw;
    WCHAR image[MAX_PATH];
    BSTR client = SysAllocString(L"Burner");
    unsigned updates = 0;
    HRESULT hr;
    test_vr_add(L"app", L"cdrw", NULL, TRUE);
    temp_path(L"saved.img", image, ARRAYSIZE(image));
    rec = test_open_recorder(L"app");
    raw = app_image(image);
    CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_ALL, &IID_IDiscFormat2RawCD, (void **)&format);
    ok(rec && raw && format, "objects\n");
    if (!rec || !raw || !format)
        goto done;
    ok(IDiscFormat2RawCD_put_Recorder(format, rec) == S_OK, "put_Recorder\n");
    ok(IDiscFormat2RawCD_put_ClientName(format, client) == S_OK, "put_ClientName\n");

    hr = app_burn(format, image, 0, &updates);
    ok(hr == S_OK && updates >= 3, "first burn got %#lx after %u updates\n", hr, updates);
    ok(!blank(format), "disc blank after the first burn\n");
    check_toc(rec, raw, "first burn");

    app_erase(rec);
    ok(blank(format), "disc not blank after the erase\n");
    hr = app_burn(format, image, 3, &updates);
    ok(hr == E_IMAPI_REQUEST_CANCELLED, "cancelled burn got %#lx\n", hr);

    app_erase(rec);
    ok(blank(format), "disc not blank after the second erase\n");
    hr = app_burn(format, image, 0, &updates);
    ok(hr == S_OK, "burn after cancel and erase got %#lx\n", hr);
    check_toc(rec, raw, "burn after cancel and erase");
done:
    SysFreeString(client);
    if (format)
        IDiscFormat2RawCD_Release(format);
    if (raw)
        IRawCDImageCreator_Release(raw);
    if (rec)
        IDiscRecorder2_Release(rec);
    DeleteFileW(image);
    test_vr_remove(L"app");
}

int main(void)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_vr_remove_all();
    test_sample_raw_writer(0);
    test_sample_raw_writer(3);
    test_app_lists_recorders();
    test_app_burn_cancel_erase_burn();
    test_vr_remove_all();
    CoUninitialize();
    return okay_summary("replay");
}
