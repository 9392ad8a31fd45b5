/* MsftDiscFormat2Erase: blanks rewritable media (IDiscFormat2Erase) with
 * progress through DDiscFormat2EraseEvents::Update.
 *
 * EraseMedia is synchronous, as on Windows: it takes the drive under
 * ClientName through the recorder's public exclusive access (so other
 * processes see the owner) and runs the blanking protocol of
 * libs/mmc/blank.c on the caller's thread, turning its reports into Update
 * events there, so script and STA sinks are called without marshalling. The
 * lock is always given back. */
#include <stdio.h>
#include "imapi2_private.h"
#include "exclusive.h"
#include "media_type.h"
#include "recorder.h"
#include "mmc/blank.h"
#include "mmc/drive_query.h"
#include "mmc/erase_states.h"

/* Media this object erases: those MMC BLANK applies to. DVD+RW and DVD-RAM
 * are formatted, not blanked, and are left out. */
static const IMAPI_MEDIA_PHYSICAL_TYPE erasable_types[] = {
    IMAPI_MEDIA_TYPE_CDRW,
    IMAPI_MEDIA_TYPE_DVDDASHRW,
};

struct erase {
    IDiscFormat2Erase IDiscFormat2Erase_iface;
    struct event_source source; /* DDiscFormat2EraseEvents */
    LONG ref;
    IDiscRecorder2 *recorder;   /* as the caller gave it (get_Recorder, exclusive access) */
    IDiscRecorder2 *own;        /* ours on the same device, for commands (recorder_own) */
    VARIANT_BOOL full_erase;
    BSTR client_name;           /* NULL until set */
    struct erase_machine machine; /* libs/mmc/erase_states.c: which calls go ahead, and what follows */
};

static inline struct erase *impl_from_IDiscFormat2Erase(IDiscFormat2Erase *iface)
{
    return CONTAINING_RECORD(iface, struct erase, IDiscFormat2Erase_iface);
}

static HRESULT erase_fail(HRESULT hr)
{
    return imapi2_set_error(hr, &IID_IDiscFormat2Erase);
}

/* A call the state table refuses: its HRESULT with a description. */
static HRESULT erase_enter(struct erase *e, enum erase_call call, struct state_ticket *ticket)
{
    return erase_fail(erase_state_enter(&e->machine, call, ticket));
}

/* The outcome of a call the table let through: S_OK/failure, or refused
 * before it changed anything. */
static HRESULT erase_leave(struct erase *e, const struct state_ticket *ticket, HRESULT hr, BOOL changed)
{
    erase_state_leave(&e->machine, ticket, SUCCEEDED(hr) ? ERASE_SUCCEEDED : changed ? ERASE_FAILED : ERASE_REFUSED);
    return hr;
}

static BOOL type_is_erasable(IMAPI_MEDIA_PHYSICAL_TYPE type)
{
    for (unsigned i = 0; i < ARRAYSIZE(erasable_types); i++)
        if (erasable_types[i] == type)
            return TRUE;
    return FALSE;
}

/* ---- IUnknown ---- */

static HRESULT WINAPI erase_QueryInterface(IDiscFormat2Erase *iface, REFIID riid, void **out)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IDiscFormat2) || IsEqualGUID(riid, &IID_IDiscFormat2Erase)) {
        *out = iface;
        IDiscFormat2Erase_AddRef(iface);
        return S_OK;
    }
    if (event_source_query(&e->source, riid, out))
        return S_OK;
    *out = NULL;
    WARN("no interface %s\n", debugstr_guid(riid));
    return E_NOINTERFACE;
}

static ULONG WINAPI erase_AddRef(IDiscFormat2Erase *iface)
{
    return InterlockedIncrement(&impl_from_IDiscFormat2Erase(iface)->ref);
}

static ULONG WINAPI erase_Release(IDiscFormat2Erase *iface)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    ULONG ref = InterlockedDecrement(&e->ref);
    if (!ref) {
        if (e->recorder)
            IDiscRecorder2_Release(e->recorder);
        if (e->own)
            IDiscRecorder2_Release(e->own);
        SysFreeString(e->client_name);
        event_source_destroy(&e->source);
        HeapFree(GetProcessHeap(), 0, e);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(erase, IDiscFormat2Erase)

/* ---- drive questions, each one job under the recorder's command lock ---- */

/* The profiles a drive can have, as media types: what it could hold. */
struct recorder_types {
    BOOL erasable;             /* at least one erasable type */
    IMAPI_MEDIA_PHYSICAL_TYPE types[ARRAYSIZE(erasable_types)];
    unsigned count;            /* erasable types the drive supports */
};

static HRESULT job_recorder_types(struct mmc_device *dev, void *ctx)
{
    struct recorder_types *out = ctx;
    uint16_t profiles[MMC_MAX_PROFILES];
    size_t count = 0;
    HRESULT hr = drive_query_profiles(dev, false, profiles, ARRAYSIZE(profiles), &count);
    if (FAILED(hr))
        return hr;
    for (unsigned t = 0; t < ARRAYSIZE(erasable_types); t++) {
        for (size_t i = 0; i < count; i++) {
            if (media_type_from_profile(profiles[i]) == erasable_types[t]) {
                out->types[out->count++] = erasable_types[t];
                break;
            }
        }
    }
    out->erasable = out->count > 0;
    return S_OK;
}

/* The disc now in the drive. */
struct current_media {
    BOOL present;
    IMAPI_MEDIA_PHYSICAL_TYPE type;
};

static HRESULT job_current_media(struct mmc_device *dev, void *ctx)
{
    struct current_media *out = ctx;
    HRESULT hr = media_physical_type(dev, &out->type);
    if (FAILED(hr))
        return hr;
    /* A disc of a kind IMAPI has no name for is still a disc: ask the unit. */
    out->present = out->type != IMAPI_MEDIA_TYPE_UNKNOWN;
    if (!out->present && mmc_wait_ready(dev) == MMC_S_OK)
        out->present = TRUE;
    return S_OK;
}

static HRESULT job_disc_info(struct mmc_device *dev, void *ctx)
{
    return mmc_query_disc_info(dev, ctx);
}

static HRESULT job_media_type(struct mmc_device *dev, void *ctx)
{
    return media_physical_type(dev, ctx);
}

/* recorder_run() for questions: a recorder that is not an initialised one of
 * ours cannot be asked anything. */
static HRESULT ask_recorder(IDiscRecorder2 *recorder, recorder_job job, void *ctx)
{
    HRESULT hr = recorder_run(recorder, job, ctx);
    return hr == E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED ? E_IMAPI_RECORDER_REQUIRED : hr;
}

/* The same for any IDiscRecorder2 (a proxy, another implementation's): asked
 * through ours on its device. One that names no device of ours is "none". */
static HRESULT ask_any_recorder(IDiscRecorder2 *recorder, recorder_job job, void *ctx)
{
    IDiscRecorder2 *own;
    HRESULT hr = recorder_own(recorder, &own);
    if (FAILED(hr))
        return hr == E_OUTOFMEMORY ? hr : E_IMAPI_RECORDER_REQUIRED;
    hr = ask_recorder(own, job, ctx);
    IDiscRecorder2_Release(own);
    return hr;
}

/* ---- IDiscFormat2 ---- */

/* A question, not a check: a recorder that cannot erase (or is none of ours,
 * or not initialised) is VARIANT_FALSE with S_OK. */
static HRESULT WINAPI erase_IsRecorderSupported(IDiscFormat2Erase *iface, IDiscRecorder2 *recorder,
                                                VARIANT_BOOL *value)
{
    struct recorder_types types = { 0 };
    HRESULT hr;
    (void)iface;
    TRACE("%p\n", recorder);
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    if (!recorder)
        return erase_fail(E_INVALIDARG);
    hr = ask_any_recorder(recorder, job_recorder_types, &types);
    if (hr == E_IMAPI_RECORDER_REQUIRED)
        return S_OK;
    if (FAILED(hr))
        return erase_fail(hr);
    *value = types.erasable ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

/* TRUE implies IsRecorderSupported is TRUE. No disc: VARIANT_FALSE with
 * E_IMAPI_RECORDER_MEDIA_NO_MEDIA, as Windows 7 and later answer (Vista gave
 * S_OK; IDiscFormat2::IsCurrentMediaSupported remarks). */
static HRESULT WINAPI erase_IsCurrentMediaSupported(IDiscFormat2Erase *iface, IDiscRecorder2 *recorder,
                                                    VARIANT_BOOL *value)
{
    struct recorder_types types = { 0 };
    struct current_media media = { 0 };
    HRESULT hr;
    (void)iface;
    TRACE("%p\n", recorder);
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    if (!recorder)
        return erase_fail(E_INVALIDARG);
    hr = ask_any_recorder(recorder, job_recorder_types, &types);
    if (hr == E_IMAPI_RECORDER_REQUIRED || (SUCCEEDED(hr) && !types.erasable))
        return S_OK;
    if (SUCCEEDED(hr))
        hr = ask_any_recorder(recorder, job_current_media, &media);
    if (FAILED(hr))
        return erase_fail(hr);
    if (!media.present)
        return erase_fail(E_IMAPI_RECORDER_MEDIA_NO_MEDIA);
    *value = type_is_erasable(media.type) ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

/* The drive's own answer: READ DISC INFORMATION says the disc is empty. */
static HRESULT WINAPI erase_get_MediaPhysicallyBlank(IDiscFormat2Erase *iface, VARIANT_BOOL *value)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    struct mmc_disc_info info;
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("\n");
    if (!value)
        return E_POINTER;
    *value = VARIANT_FALSE;
    if (FAILED(hr = erase_enter(e, ERASE_CALL_GET_DRIVE_VALUE, &ticket)))
        return hr;
    if (SUCCEEDED(hr = erase_fail(ask_recorder(e->own, job_disc_info, &info))))
        *value = info.disc_status == MMC_DISC_EMPTY ? VARIANT_TRUE : VARIANT_FALSE;
    return erase_leave(e, &ticket, hr, FALSE);
}

/* Windows guesses (file system, zeroed first and last 2 MB) only for media
 * that cannot be physically blank (DVD+RW, DVD-RAM); this object erases none
 * of those, so the guess is the drive's own answer. */
static HRESULT WINAPI erase_get_MediaHeuristicallyBlank(IDiscFormat2Erase *iface, VARIANT_BOOL *value)
{
    return erase_get_MediaPhysicallyBlank(iface, value);
}

/* The erasable types of this implementation, recorder or not: the page asks
 * for the list of the format, not of a drive (IsRecorderSupported and
 * IsCurrentMediaSupported answer for a drive). */
static HRESULT WINAPI erase_get_SupportedMediaTypes(IDiscFormat2Erase *iface, SAFEARRAY **value)
{
    LONG list[ARRAYSIZE(erasable_types)];
    (void)iface;
    TRACE("\n");
    if (!value)
        return E_POINTER;
    *value = NULL;
    for (unsigned i = 0; i < ARRAYSIZE(erasable_types); i++)
        list[i] = erasable_types[i];
    return erase_fail(safearray_of_i4(list, ARRAYSIZE(list), value));
}

/* ---- IDiscFormat2Erase properties ---- */

/* NULL clears the recorder. One that cannot erase is refused (put_Recorder
 * remarks: the recorder must be compatible, see IsRecorderSupported). */
static HRESULT WINAPI erase_put_Recorder(IDiscFormat2Erase *iface, IDiscRecorder2 *value)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    VARIANT_BOOL supported = VARIANT_FALSE;
    IDiscRecorder2 *own = NULL;
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p\n", value);
    if (FAILED(hr = erase_enter(e, value ? ERASE_CALL_PUT_RECORDER : ERASE_CALL_CLEAR_RECORDER, &ticket)))
        return hr;
    if (value) {
        /* A drive another client holds cannot be asked now; EraseMedia will
         * say it is in use. Choosing it is not an error. */
        hr = erase_IsRecorderSupported(iface, value, &supported);
        if (hr == E_IMAPI_RECORDER_LOCKED)
            supported = VARIANT_TRUE;
        else if (FAILED(hr))
            return erase_leave(e, &ticket, hr, FALSE);
        if (!supported || FAILED(recorder_own(value, &own)))
            return erase_leave(e, &ticket, erase_fail(E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED), FALSE);
        IDiscRecorder2_AddRef(value);
    }
    if (e->recorder)
        IDiscRecorder2_Release(e->recorder);
    if (e->own)
        IDiscRecorder2_Release(e->own);
    e->recorder = value;
    e->own = own;
    return erase_leave(e, &ticket, S_OK, TRUE);
}

static HRESULT WINAPI erase_get_Recorder(IDiscFormat2Erase *iface, IDiscRecorder2 **value)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    if (!value)
        return E_POINTER;
    *value = e->recorder;
    if (*value)
        IDiscRecorder2_AddRef(*value);
    return S_OK;
}

static HRESULT WINAPI erase_put_FullErase(IDiscFormat2Erase *iface, VARIANT_BOOL value)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%d\n", value);
    if (FAILED(hr = erase_enter(e, ERASE_CALL_PUT_FULL_ERASE, &ticket)))
        return hr;
    e->full_erase = value ? VARIANT_TRUE : VARIANT_FALSE;
    return erase_leave(e, &ticket, S_OK, TRUE);
}

static HRESULT WINAPI erase_get_FullErase(IDiscFormat2Erase *iface, VARIANT_BOOL *value)
{
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2Erase(iface)->full_erase;
    return S_OK;
}

static HRESULT WINAPI erase_get_CurrentPhysicalMediaType(IDiscFormat2Erase *iface, IMAPI_MEDIA_PHYSICAL_TYPE *value)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("\n");
    if (!value)
        return E_POINTER;
    *value = IMAPI_MEDIA_TYPE_UNKNOWN;
    if (FAILED(hr = erase_enter(e, ERASE_CALL_GET_DRIVE_VALUE, &ticket)))
        return hr;
    return erase_leave(e, &ticket, erase_fail(ask_recorder(e->own, job_media_type, value)), FALSE);
}

/* The name becomes the exclusive-access owner, so it is held to the
 * character set of Windows' exclusive-access IOCTL (put_ClientName remarks).
 * The page documents E_OUTOFMEMORY and E_INVALIDARG only: a bad name is an
 * invalid argument (the description says which rule it broke). */
static HRESULT WINAPI erase_put_ClientName(IDiscFormat2Erase *iface, BSTR value)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    struct state_ticket ticket;
    BSTR copy;
    HRESULT hr;
    TRACE("%s\n", debugstr_w(value));
    if (FAILED(hr = erase_enter(e, ERASE_CALL_PUT_CLIENT_NAME, &ticket)))
        return hr;
    if (!exclusive_client_name_valid(value))
        return erase_leave(e, &ticket,
                           imapi2_set_error_text(E_INVALIDARG, &IID_IDiscFormat2Erase,
                                                 imapi2_error_text(E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID)),
                           FALSE);
    if (!(copy = SysAllocString(value)))
        return erase_leave(e, &ticket, E_OUTOFMEMORY, FALSE);
    SysFreeString(e->client_name);
    e->client_name = copy;
    return erase_leave(e, &ticket, S_OK, TRUE);
}

static HRESULT WINAPI erase_get_ClientName(IDiscFormat2Erase *iface, BSTR *value)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    if (!value)
        return E_POINTER;
    *value = SysAllocString(e->client_name ? e->client_name : L"");
    return *value ? S_OK : E_OUTOFMEMORY;
}

/* ---- EraseMedia: the protocol is libs/mmc/blank.c ---- */

static void fire_update(struct erase *e, LONG elapsed_s, LONG total_s)
{
    VARIANT args[3];
    DISPPARAMS params = { args, NULL, 3, 0 };
    TRACE("%ld / %ld\n", (long)elapsed_s, (long)total_s);
    /* Arguments in reverse: object, elapsedSeconds, estimatedTotalSeconds. */
    V_VT(&args[2]) = VT_DISPATCH;
    V_DISPATCH(&args[2]) = (IDispatch *)&e->IDiscFormat2Erase_iface;
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = elapsed_s;
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = total_s;
    connection_point_fire(&e->source.point, DISPID_IDISCFORMAT2ERASEEVENTS_UPDATE, &params);
}

/* Reports become Update events on the caller's thread. */
static bool on_report(void *ctx, const struct mmc_blank_report *r)
{
    fire_update(ctx, (LONG)r->elapsed_s, (LONG)r->total_s);
    return false;
}

struct erase_job {
    struct erase *e;
    struct mmc_blank_job blank;
};

static HRESULT job_erase(struct mmc_device *dev, void *ctx)
{
    struct erase_job *job = ctx;
    HRESULT hr = mmc_blank_start(dev, &job->blank);
    return FAILED(hr) ? hr : mmc_blank_wait(dev, &job->blank, on_report, job->e);
}

static HRESULT erase_with_lock(struct erase_job *job, IDiscRecorder2 *recorder)
{
    HRESULT hr = recorder_run(recorder, job_erase, job);
    return hr == E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED ? E_IMAPI_RECORDER_REQUIRED : hr;
}

/* The EraseMedia page: "Currently, the E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR
 * value is returned if an attempt to perform an erase ... fails as a result of
 * the media being bad or a drive failure." These are those failures; the
 * code is the page's, the description names what really happened. */
static const HRESULT erase_failures_reported_as_timeout[] = {
    E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND,
    E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE,
};

static HRESULT erase_outcome(HRESULT hr, const struct mmc_blank_cause *cause)
{
    char text[400], sense[96] = "";
    for (unsigned i = 0; i < ARRAYSIZE(erase_failures_reported_as_timeout); i++) {
        if (hr != erase_failures_reported_as_timeout[i])
            continue;
        if (cause->has_sense)
            snprintf(sense, sizeof(sense), " (sense %02X/%02X/%02X: %s)", cause->key, cause->asc, cause->ascq,
                     cause->meaning ? cause->meaning : "unknown");
        snprintf(text, sizeof(text), "The erase failed: %s%s Reported as E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR, "
                 "the code Windows returns for a bad disc or a drive failure.",
                 imapi2_error_text(hr), sense);
        return imapi2_set_error_text(E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR, &IID_IDiscFormat2Erase, text);
    }
    return erase_fail(hr);
}

/* Exclusive access failures in the erase's own terms. */
static HRESULT acquire_for_erase(IDiscRecorder2 *recorder, BSTR client)
{
    HRESULT hr = IDiscRecorder2_AcquireExclusiveAccess(recorder, VARIANT_FALSE, client);
    if (hr == E_IMAPI_RECORDER_LOCKED)
        return E_IMAPI_ERASE_RECORDER_IN_USE;
    if (hr == E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID)
        return E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID;
    return hr;
}

static HRESULT WINAPI erase_EraseMedia(IDiscFormat2Erase *iface)
{
    struct erase *e = impl_from_IDiscFormat2Erase(iface);
    IDiscRecorder2 *recorder, *own;
    struct erase_job job = { e, { 0 } };
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("full %d\n", e->full_erase);
    /* ERASING from here: an Update handler calling back is refused by the table */
    if (FAILED(hr = erase_enter(e, ERASE_CALL_ERASE_MEDIA, &ticket)))
        return hr;
    recorder = e->recorder, own = e->own; /* READY: set, and kept while ERASING */
    if (!exclusive_client_name_valid(e->client_name))
        return erase_leave(e, &ticket, erase_fail(E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID), FALSE);
    if (FAILED(hr = acquire_for_erase(recorder, e->client_name)))
        return erase_leave(e, &ticket, erase_fail(hr), FALSE);
    /* A sink may drop its last reference to us during an event. */
    IDiscFormat2Erase_AddRef(iface);
    IDiscRecorder2_AddRef(recorder);
    IDiscRecorder2_AddRef(own);
    job.blank.full = e->full_erase != VARIANT_FALSE;
    hr = erase_with_lock(&job, own);
    erase_state_leave(&e->machine, &ticket, SUCCEEDED(hr) ? ERASE_SUCCEEDED : ERASE_FAILED);
    IDiscRecorder2_ReleaseExclusiveAccess(recorder);
    IDiscRecorder2_Release(own);
    IDiscRecorder2_Release(recorder);
    IDiscFormat2Erase_Release(iface);
    return erase_outcome(hr, &job.blank.cause);
}

static const IDiscFormat2EraseVtbl erase_vtbl = {
    erase_QueryInterface,
    erase_AddRef,
    erase_Release,
    erase_GetTypeInfoCount,
    erase_GetTypeInfo,
    erase_GetIDsOfNames,
    erase_Invoke,
    erase_IsRecorderSupported,
    erase_IsCurrentMediaSupported,
    erase_get_MediaPhysicallyBlank,
    erase_get_MediaHeuristicallyBlank,
    erase_get_SupportedMediaTypes,
    erase_put_Recorder,
    erase_get_Recorder,
    erase_put_FullErase,
    erase_get_FullErase,
    erase_get_CurrentPhysicalMediaType,
    erase_put_ClientName,
    erase_get_ClientName,
    erase_EraseMedia,
};

HRESULT erase_create(IUnknown *outer, REFIID riid, void **out)
{
    struct erase *e;
    HRESULT hr;
    (void)outer;
    if (!(e = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*e))))
        return E_OUTOFMEMORY;
    e->IDiscFormat2Erase_iface.lpVtbl = &erase_vtbl;
    e->ref = 1;
    e->full_erase = VARIANT_FALSE;
    erase_machine_init(&e->machine);
    event_source_init(&e->source, (IUnknown *)&e->IDiscFormat2Erase_iface, &CLSID_MsftDiscFormat2Erase,
                      &IID_IDiscFormat2Erase, &IID_DDiscFormat2EraseEvents);
    imapi2_module_addref();
    hr = IDiscFormat2Erase_QueryInterface(&e->IDiscFormat2Erase_iface, riid, out);
    IDiscFormat2Erase_Release(&e->IDiscFormat2Erase_iface);
    return hr;
}
