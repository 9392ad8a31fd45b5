/* MsftDiscFormat2TrackAtOnce: audio tracks written one at a time on a blank
 * CD-R/RW, with DDiscFormat2TrackAtOnceEvents progress and CancelAddTrack.
 * Every call is checked and its transition applied by the state table in
 * libs/mmc/tao_states.c (docs/tao-audit.md §5, the contract: where it says
 * "ours", so does this file); the writing itself is libs/mmc/taowrite.c.
 *
 * Choices of ours, from the audit: a stream whose size is 0 or not whole
 * 2352-byte sectors is E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED (Q5); ReleaseMedia
 * while not prepared is 0502 (§1); DoNotFinalizeMedia TRUE closes the session
 * with a next session allowed (§8); ExpectedTableOfContents is one
 * VT_BYREF|VT_UI1 element pointing at a READ TOC format 0 response (LBA)
 * the object owns until its final Release (§7); Update events follow §6
 * (VERIFYING only with IMAPI_BURN_VERIFICATION_QUICK or FULL); a track cut
 * by CancelAddTrack is filled with silence to 4 s (§8).
 *
 * Where §8's arithmetic meets the drive: FreeSectorsOnMedia is the drive's
 * free blocks less the 2 run-out blocks it adds after a track, without §8's
 * further 150, because the next writable address a drive reports after a
 * TAO track already lies past the next track's 2-s gap (the virtual recorder
 * models it so); NOT_ENOUGH_SPACE is a padded track longer than that. */
#include "imapi2_private.h"
#include "exclusive.h"
#include "format_common.h"
#include "media_type.h"
#include "recorder.h"
#include "write_progress.h"
#include "mmc/tao_states.h"
#include "mmc/taowrite.h"

/* What the session values answer (§8), taken at PrepareMedia and after each
 * track, so that a get from Update gives the value from before the call. */
struct session_values {
    LONG tracks, total, free, used;
};

struct tao {
    IDiscFormat2TrackAtOnce IDiscFormat2TrackAtOnce_iface;
    IBurnVerification IBurnVerification_iface;
    struct event_source source; /* DDiscFormat2TrackAtOnceEvents */
    LONG ref;
    struct format_machine machine;
    IDiscRecorder2 *recorder;   /* ours (recorder_own) */
    BSTR client_name;
    VARIANT_BOOL bufe_disabled;
    VARIANT_BOOL do_not_finalize;
    LONG requested_speed;       /* sectors per second, FASTEST = -1 */
    VARIANT_BOOL requested_cav;
    IMAPI_BURN_VERIFICATION_LEVEL verification;
    BOOL holds_lock;            /* exclusive access, tray locked, MCN held off */
    struct session_values session;
    struct speed_list speeds;   /* read by PrepareMedia: answers while the drive is busy */
    struct mmc_tao_writer writer;
    BYTE toc[4 + 8 * (MMC_TAO_MAX_TRACKS + 1)]; /* ExpectedTableOfContents' bytes */
};

static inline struct tao *impl_from_IDiscFormat2TrackAtOnce(IDiscFormat2TrackAtOnce *iface)
{
    return CONTAINING_RECORD(iface, struct tao, IDiscFormat2TrackAtOnce_iface);
}

static inline struct tao *impl_from_IBurnVerification(IBurnVerification *iface)
{
    return CONTAINING_RECORD(iface, struct tao, IBurnVerification_iface);
}

/* ---- IUnknown ---- */

static HRESULT WINAPI tao_QueryInterface(IDiscFormat2TrackAtOnce *iface, REFIID riid, void **out)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p %s\n", iface, debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IDiscFormat2) || IsEqualGUID(riid, &IID_IDiscFormat2TrackAtOnce)) {
        *out = iface;
    } else if (IsEqualGUID(riid, &IID_IBurnVerification)) {
        *out = &f->IBurnVerification_iface;
    } else if (event_source_query(&f->source, riid, out)) {
        return S_OK;
    } else {
        *out = NULL;
        WARN("no interface %s\n", debugstr_guid(riid));
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI tao_AddRef(IDiscFormat2TrackAtOnce *iface)
{
    return InterlockedIncrement(&impl_from_IDiscFormat2TrackAtOnce(iface)->ref);
}

static void unlock_media(struct tao *f);

static ULONG WINAPI tao_Release(IDiscFormat2TrackAtOnce *iface)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    ULONG ref = InterlockedDecrement(&f->ref);
    if (!ref) {
        /* Final Release while prepared: unlock, write nothing (audit §5). */
        unlock_media(f);
        if (f->recorder)
            IDiscRecorder2_Release(f->recorder);
        SysFreeString(f->client_name);
        event_source_destroy(&f->source);
        HeapFree(GetProcessHeap(), 0, f);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(tao, IDiscFormat2TrackAtOnce)

/* ---- IDiscFormat2 ---- */

/* Ours (audit §2): a drive with the CD Track at Once feature (002Dh). */
static bool tao_capable(const struct mmc_configuration *config)
{
    return config->tao.present;
}

static HRESULT WINAPI tao_IsRecorderSupported(IDiscFormat2TrackAtOnce *iface, IDiscRecorder2 *recorder,
                                              VARIANT_BOOL *value)
{
    struct support_query q = { tao_capable, false, false, NULL };
    HRESULT hr;
    TRACE("%p %p\n", iface, recorder);
    hr = ask_support(recorder, value, &q);
    if (FAILED(hr) && hr != E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
        return imapi2_set_error(hr, &IID_IDiscFormat2TrackAtOnce);
    *value = q.capable ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

/* TRUE only for a disc PrepareMedia would take: a blank CD-R/RW. No disc:
 * E_IMAPI_RECORDER_MEDIA_NO_MEDIA with FALSE (Windows 7 on). */
static HRESULT WINAPI tao_IsCurrentMediaSupported(IDiscFormat2TrackAtOnce *iface, IDiscRecorder2 *recorder,
                                                  VARIANT_BOOL *value)
{
    struct support_query q = { tao_capable, false, false, NULL };
    struct mmc_disc_info info;
    IDiscRecorder2 *ours;
    HRESULT hr;
    TRACE("%p %p\n", iface, recorder);
    if (FAILED(hr = ask_support(recorder, value, &q)))
        return imapi2_set_error(hr, &IID_IDiscFormat2TrackAtOnce);
    if (!q.media_ok)
        return S_OK;
    if (FAILED(hr = recorder_own(recorder, &ours)))
        return imapi2_set_error(hr, &IID_IDiscFormat2TrackAtOnce);
    hr = recorder_run(ours, disc_info_job, &info);
    IDiscRecorder2_Release(ours);
    if (FAILED(hr))
        return imapi2_set_error(hr, &IID_IDiscFormat2TrackAtOnce);
    *value = info.disc_status == MMC_DISC_EMPTY ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI tao_get_MediaPhysicallyBlank(IDiscFormat2TrackAtOnce *iface, VARIANT_BOOL *value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p\n", iface);
    return format_get_blank(&f->machine, TAO_CALL_GET_DRIVE_VALUE, f->recorder,
                            f->session.tracks || f->writer.writes_issued, value);
}

/* On CD the drive's own blank report is the best guess there is. */
static HRESULT WINAPI tao_get_MediaHeuristicallyBlank(IDiscFormat2TrackAtOnce *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return tao_get_MediaPhysicallyBlank(iface, value);
}

static HRESULT WINAPI tao_get_SupportedMediaTypes(IDiscFormat2TrackAtOnce *iface, SAFEARRAY **value)
{
    static const LONG types[] = { IMAPI_MEDIA_TYPE_CDR, IMAPI_MEDIA_TYPE_CDRW };
    TRACE("%p\n", iface);
    return safearray_of_i4(types, ARRAYSIZE(types), value);
}

/* ---- the session ---- */

static void take_session_values(struct tao *f)
{
    const struct mmc_tao_media *m = &f->writer.media;
    f->session.tracks = m->tracks;
    f->session.total = m->last_possible_leadout;
    f->session.used = (LONG)mmc_tao_used_sectors(&f->writer);
    f->session.free = (LONG)mmc_tao_free_sectors(&f->writer);
}

static struct mmc_tao_options session_options(const struct tao *f)
{
    struct mmc_tao_options o;
    mmc_tao_options_default(&o);
    o.loop.bufe = f->bufe_disabled == VARIANT_FALSE;
    o.close_appendable = f->do_not_finalize != VARIANT_FALSE;
    o.loop.write_speed_kbs = format_requested_kbs(f->requested_speed);
    return o;
}

static HRESULT prepare_job(struct mmc_device *dev, void *ctx)
{
    struct tao *f = ctx;
    struct mmc_tao_options o = session_options(f);
    bool prevent = true;
    HRESULT hr = tray_job(dev, &prevent);
    if (FAILED(hr))
        return hr;
    mmc_tao_writer_init(&f->writer, dev->transport, &imapi2_wall_clock);
    hr = mmc_tao_prepare(&f->writer, &o);
    /* Only blank media [d3]: the engine would append to an open session. */
    if (SUCCEEDED(hr) && !f->writer.media.was_blank)
        hr = E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK;
    if (SUCCEEDED(hr))
        speeds_job(dev, &f->speeds);
    if (FAILED(hr)) {
        f->writer.prepared = false;
        prevent = false;
        tray_job(dev, &prevent);
    }
    return hr;
}

static HRESULT WINAPI tao_PrepareMedia(IDiscFormat2TrackAtOnce *iface)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (FAILED(hr = format_enter(&f->machine, TAO_CALL_PREPARE_MEDIA, &ticket)))
        return hr;
    if (!exclusive_client_name_valid(f->client_name))
        return format_leave(&f->machine, &ticket, E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID);
    if (FAILED(hr = IDiscRecorder2_AcquireExclusiveAccess(f->recorder, VARIANT_FALSE, f->client_name)))
        return format_leave(&f->machine, &ticket, hr);
    if (FAILED(hr = recorder_run(f->recorder, prepare_job, f))) {
        IDiscRecorder2_ReleaseExclusiveAccess(f->recorder);
        return format_leave(&f->machine, &ticket, hr);
    }
    IDiscRecorder2_DisableMcn(f->recorder);
    f->holds_lock = TRUE;
    take_session_values(f);
    return format_leave(&f->machine, &ticket, S_OK);
}

/* IMAPI_FORMAT2_TAO_WRITE_ACTION is the engine's action (taowrite.h); the
 * engine's FINISHED is not an event, and VERIFYING only when asked for (§6). */
static bool sends_event(const struct tao *f, enum mmc_tao_action action)
{
    if (action == MMC_TAO_ACTION_FINISHED || action == MMC_TAO_ACTION_UNKNOWN)
        return false;
    return action != MMC_TAO_ACTION_VERIFYING || f->verification != IMAPI_BURN_VERIFICATION_NONE;
}

/* Called by the engine on the caller's thread; true stops the track. */
static bool on_progress(void *ctx, const struct mmc_write_progress *p)
{
    struct tao *f = ctx;
    if (sends_event(f, p->action))
        format_fire_update(&f->source.point, DISPID_DDISCFORMAT2TAOEVENTS_UPDATE,
                           (IDispatch *)&f->IDiscFormat2TrackAtOnce_iface, tao_progress_create, p->action, p);
    return state_machine_current(&f->machine.m) == TAO_CANCELLING;
}

struct track_job {
    struct tao *f;
    struct mmc_raw_stream stream;
};

static HRESULT track_job(struct mmc_device *dev, void *ctx)
{
    struct track_job *job = ctx;
    (void)dev;
    return mmc_tao_write_track(&job->f->writer, &job->stream, on_progress, job->f);
}

/* Ours (Q5): raw 44.1 kHz stereo samples in whole sectors, at least one. */
static HRESULT check_stream(IStream *data, uint64_t *size)
{
    STATSTG stat;
    if (FAILED(IStream_Stat(data, &stat, STATFLAG_NONAME)))
        return E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED;
    *size = stat.cbSize.QuadPart;
    if (!*size || *size % CD_SECTOR_SIZE)
        return E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED;
    return S_OK;
}

/* A script's stream object (ADODB.Stream, a .NET wrapper) may arrive as the
 * IDispatch the caller had (audit, s8): ask it for its IStream. */
static HRESULT stream_of(IStream *data, IStream **out)
{
    *out = NULL;
    if (!data)
        return E_POINTER;
    if (FAILED(IUnknown_QueryInterface((IUnknown *)data, &IID_IStream, (void **)out)))
        return E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED;
    return S_OK;
}

static HRESULT WINAPI tao_AddAudioTrack(IDiscFormat2TrackAtOnce *iface, IStream *data)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    struct track_job job = { f, { format_stream_read, NULL, NULL, 0 } };
    struct state_ticket ticket;
    enum state_outcome outcome;
    IStream *stream;
    HRESULT hr;
    TRACE("%p %p\n", iface, data);
    if (FAILED(hr = format_enter(&f->machine, TAO_CALL_ADD_AUDIO_TRACK, &ticket)))
        return hr;
    if (FAILED(hr = stream_of(data, &stream)))
        return format_leave(&f->machine, &ticket, hr);
    job.stream.ctx = stream;
    if (FAILED(hr = check_stream(stream, &job.stream.size))) {
        IStream_Release(stream);
        return format_leave(&f->machine, &ticket, hr);
    }
    f->writer.opt.loop.bufe = f->bufe_disabled == VARIANT_FALSE;
    f->writer.opt.loop.write_speed_kbs = format_requested_kbs(f->requested_speed);
    /* A sink may drop the caller's last reference from inside Update. */
    IDiscFormat2TrackAtOnce_AddRef(iface);
    hr = recorder_run(f->recorder, track_job, &job);
    take_session_values(f);
    outcome = SUCCEEDED(hr) ? STATE_SUCCEEDED : f->writer.writes_issued ? STATE_FAILED : STATE_REFUSED;
    state_machine_leave(&f->machine.m, &ticket, outcome);
    IStream_Release(stream);
    IDiscFormat2TrackAtOnce_Release(iface);
    return format_fail(&f->machine, hr);
}

/* Safe from any thread: the table moves ADDING_TRACK to CANCELLING
 * atomically, and the engine stops before its next WRITE. */
static HRESULT WINAPI tao_CancelAddTrack(IDiscFormat2TrackAtOnce *iface)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (FAILED(hr = format_enter(&f->machine, TAO_CALL_CANCEL_ADD_TRACK, &ticket)))
        return hr;
    mmc_device_cancel(&f->writer.dev);
    return format_leave(&f->machine, &ticket, S_OK);
}

static void unlock_media(struct tao *f)
{
    bool prevent = false;
    if (!f->holds_lock)
        return;
    f->writer.prepared = false;
    recorder_run(f->recorder, tray_job, &prevent);
    IDiscRecorder2_EnableMcn(f->recorder);
    IDiscRecorder2_ReleaseExclusiveAccess(f->recorder);
    f->holds_lock = FALSE;
}

static HRESULT finish_job(struct mmc_device *dev, void *ctx)
{
    struct tao *f = ctx;
    (void)dev;
    return mmc_tao_finish(&f->writer, true, on_progress, f);
}

/* Closes the session when tracks were written (finalised, or with a next
 * session allowed under DoNotFinalizeMedia), then unlocks whatever closing
 * gave, and returns that. */
static HRESULT WINAPI tao_ReleaseMedia(IDiscFormat2TrackAtOnce *iface)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    enum tao_call call = f->session.tracks ? TAO_CALL_RELEASE_MEDIA : TAO_CALL_RELEASE_UNWRITTEN;
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (FAILED(hr = format_enter(&f->machine, call, &ticket)))
        return hr;
    hr = call == TAO_CALL_RELEASE_MEDIA ? recorder_run(f->recorder, finish_job, f) : S_OK;
    unlock_media(f);
    state_machine_leave(&f->machine.m, &ticket, SUCCEEDED(hr) ? STATE_SUCCEEDED : STATE_FAILED);
    return format_fail(&f->machine, hr);
}

/* Stored, sent to the drive when the next track starts. CD recording here is CLV. */
static HRESULT WINAPI tao_SetWriteSpeed(IDiscFormat2TrackAtOnce *iface, LONG sectors_per_second, VARIANT_BOOL pure_cav)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p %ld %d\n", iface, (long)sectors_per_second, pure_cav);
    return format_set_write_speed(&f->machine, TAO_CALL_SET_WRITE_SPEED, sectors_per_second, pure_cav,
                                  &f->requested_speed, &f->requested_cav);
}

/* ---- properties ---- */

/* Only a recorder IsRecorderSupported accepts [d1]. */
static HRESULT WINAPI tao_put_Recorder(IDiscFormat2TrackAtOnce *iface, IDiscRecorder2 *value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p %p\n", iface, value);
    return format_put_recorder(&f->machine, TAO_CALL_PUT_RECORDER, TAO_CALL_CLEAR_RECORDER, tao_capable,
                               E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED, &f->recorder, value);
}

static HRESULT WINAPI tao_get_Recorder(IDiscFormat2TrackAtOnce *iface, IDiscRecorder2 **value)
{
    TRACE("%p\n", iface);
    return format_get_recorder(impl_from_IDiscFormat2TrackAtOnce(iface)->recorder, value);
}

static HRESULT put_flag(struct tao *f, enum tao_call call, VARIANT_BOOL *field, VARIANT_BOOL value)
{
    struct state_ticket ticket;
    HRESULT hr;
    if (FAILED(hr = format_enter(&f->machine, call, &ticket)))
        return hr;
    *field = value ? VARIANT_TRUE : VARIANT_FALSE;
    return format_leave(&f->machine, &ticket, S_OK);
}

static HRESULT WINAPI tao_put_BufferUnderrunFreeDisabled(IDiscFormat2TrackAtOnce *iface, VARIANT_BOOL value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p %d\n", iface, value);
    return put_flag(f, TAO_CALL_PUT_BUFE, &f->bufe_disabled, value);
}

static HRESULT WINAPI tao_get_BufferUnderrunFreeDisabled(IDiscFormat2TrackAtOnce *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2TrackAtOnce(iface)->bufe_disabled;
    return S_OK;
}

/* NumberOfExistingTracks, Total/Free/UsedSectorsOnMedia: while prepared,
 * from the session's values (during AddAudioTrack: those from before it). */
static HRESULT session_value(IDiscFormat2TrackAtOnce *iface, size_t offset, LONG *value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    int answer;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (FAILED(hr = format_enter_get(&f->machine, TAO_CALL_GET_SESSION_VALUE, &answer)))
        return hr;
    *value = *(const LONG *)((const BYTE *)&f->session + offset);
    return S_OK;
}

static HRESULT WINAPI tao_get_NumberOfExistingTracks(IDiscFormat2TrackAtOnce *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return session_value(iface, offsetof(struct session_values, tracks), value);
}

static HRESULT WINAPI tao_get_TotalSectorsOnMedia(IDiscFormat2TrackAtOnce *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return session_value(iface, offsetof(struct session_values, total), value);
}

static HRESULT WINAPI tao_get_FreeSectorsOnMedia(IDiscFormat2TrackAtOnce *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return session_value(iface, offsetof(struct session_values, free), value);
}

static HRESULT WINAPI tao_get_UsedSectorsOnMedia(IDiscFormat2TrackAtOnce *iface, LONG *value)
{
    TRACE("%p\n", iface);
    return session_value(iface, offsetof(struct session_values, used), value);
}

static HRESULT WINAPI tao_put_DoNotFinalizeMedia(IDiscFormat2TrackAtOnce *iface, VARIANT_BOOL value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p %d\n", iface, value);
    return put_flag(f, TAO_CALL_PUT_DO_NOT_FINALIZE, &f->do_not_finalize, value);
}

static HRESULT WINAPI tao_get_DoNotFinalizeMedia(IDiscFormat2TrackAtOnce *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2TrackAtOnce(iface)->do_not_finalize;
    return S_OK;
}

/* One VT_BYREF|VT_UI1 element pointing at the TOC bytes, which the object owns (§7). */
static HRESULT WINAPI tao_get_ExpectedTableOfContents(IDiscFormat2TrackAtOnce *iface, SAFEARRAY **value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    SAFEARRAY *sa;
    VARIANT v;
    LONG index = 0;
    int answer;
    HRESULT hr;
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = format_enter_get(&f->machine, TAO_CALL_GET_TOC, &answer)))
        return hr;
    if (!mmc_tao_expected_toc(&f->writer, f->toc, sizeof(f->toc)))
        return format_fail(&f->machine, E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC);
    if (!(sa = SafeArrayCreateVector(VT_VARIANT, 0, 1)))
        return E_OUTOFMEMORY;
    V_VT(&v) = VT_BYREF | VT_UI1;
    V_UI1REF(&v) = f->toc;
    if (FAILED(hr = SafeArrayPutElement(sa, &index, &v))) {
        SafeArrayDestroy(sa);
        return hr;
    }
    *value = sa;
    return S_OK;
}

static HRESULT WINAPI tao_get_CurrentPhysicalMediaType(IDiscFormat2TrackAtOnce *iface, IMAPI_MEDIA_PHYSICAL_TYPE *value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p\n", iface);
    return format_get_media_type(&f->machine, TAO_CALL_GET_DRIVE_VALUE, f->recorder, f->writer.media.profile, value);
}

/* NULL or "" is stored as "" (ours, Q3); PrepareMedia refuses it. */
static HRESULT WINAPI tao_put_ClientName(IDiscFormat2TrackAtOnce *iface, BSTR value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    struct state_ticket ticket;
    BSTR copy;
    HRESULT hr;
    TRACE("%p %s\n", iface, debugstr_w(value));
    if (FAILED(hr = format_enter(&f->machine, TAO_CALL_PUT_CLIENT_NAME, &ticket)))
        return hr;
    if (value && value[0] && !exclusive_client_name_valid(value))
        return format_leave(&f->machine, &ticket, E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID);
    if (!(copy = SysAllocString(value ? value : L"")))
        return format_leave(&f->machine, &ticket, E_OUTOFMEMORY);
    SysFreeString(f->client_name);
    f->client_name = copy;
    return format_leave(&f->machine, &ticket, S_OK);
}

static HRESULT WINAPI tao_get_ClientName(IDiscFormat2TrackAtOnce *iface, BSTR *value)
{
    TRACE("%p\n", iface);
    return format_get_client_name(impl_from_IDiscFormat2TrackAtOnce(iface)->client_name, value);
}

static HRESULT WINAPI tao_get_RequestedWriteSpeed(IDiscFormat2TrackAtOnce *iface, LONG *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2TrackAtOnce(iface)->requested_speed;
    return S_OK;
}

static HRESULT WINAPI tao_get_RequestedRotationTypeIsPureCAV(IDiscFormat2TrackAtOnce *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IDiscFormat2TrackAtOnce(iface)->requested_cav;
    return S_OK;
}

static HRESULT WINAPI tao_get_CurrentWriteSpeed(IDiscFormat2TrackAtOnce *iface, LONG *value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p\n", iface);
    return format_get_write_speed(&f->machine, TAO_CALL_GET_DRIVE_VALUE, f->recorder, f->writer.media.write_speed_kbs,
                                  value);
}

/* CLV recording: the drives this serves record CDs at constant linear velocity. */
static HRESULT WINAPI tao_get_CurrentRotationTypeIsPureCAV(IDiscFormat2TrackAtOnce *iface, VARIANT_BOOL *value)
{
    TRACE("%p\n", iface);
    return format_get_pure_cav(&impl_from_IDiscFormat2TrackAtOnce(iface)->machine, TAO_CALL_GET_DRIVE_VALUE, value);
}

static HRESULT WINAPI tao_get_SupportedWriteSpeeds(IDiscFormat2TrackAtOnce *iface, SAFEARRAY **value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p\n", iface);
    return format_get_speeds(&f->machine, TAO_CALL_GET_DRIVE_VALUE, f->recorder, &f->speeds, FALSE, value);
}

static HRESULT WINAPI tao_get_SupportedWriteSpeedDescriptors(IDiscFormat2TrackAtOnce *iface, SAFEARRAY **value)
{
    struct tao *f = impl_from_IDiscFormat2TrackAtOnce(iface);
    TRACE("%p\n", iface);
    return format_get_speeds(&f->machine, TAO_CALL_GET_DRIVE_VALUE, f->recorder, &f->speeds, TRUE, value);
}

static const IDiscFormat2TrackAtOnceVtbl tao_vtbl = {
    tao_QueryInterface,
    tao_AddRef,
    tao_Release,
    tao_GetTypeInfoCount,
    tao_GetTypeInfo,
    tao_GetIDsOfNames,
    tao_Invoke,
    tao_IsRecorderSupported,
    tao_IsCurrentMediaSupported,
    tao_get_MediaPhysicallyBlank,
    tao_get_MediaHeuristicallyBlank,
    tao_get_SupportedMediaTypes,
    tao_PrepareMedia,
    tao_AddAudioTrack,
    tao_CancelAddTrack,
    tao_ReleaseMedia,
    tao_SetWriteSpeed,
    tao_put_Recorder,
    tao_get_Recorder,
    tao_put_BufferUnderrunFreeDisabled,
    tao_get_BufferUnderrunFreeDisabled,
    tao_get_NumberOfExistingTracks,
    tao_get_TotalSectorsOnMedia,
    tao_get_FreeSectorsOnMedia,
    tao_get_UsedSectorsOnMedia,
    tao_put_DoNotFinalizeMedia,
    tao_get_DoNotFinalizeMedia,
    tao_get_ExpectedTableOfContents,
    tao_get_CurrentPhysicalMediaType,
    tao_put_ClientName,
    tao_get_ClientName,
    tao_get_RequestedWriteSpeed,
    tao_get_RequestedRotationTypeIsPureCAV,
    tao_get_CurrentWriteSpeed,
    tao_get_CurrentRotationTypeIsPureCAV,
    tao_get_SupportedWriteSpeeds,
    tao_get_SupportedWriteSpeedDescriptors,
};

/* ---- IBurnVerification ---- */

static HRESULT WINAPI verification_QueryInterface(IBurnVerification *iface, REFIID riid, void **out)
{
    return tao_QueryInterface(&impl_from_IBurnVerification(iface)->IDiscFormat2TrackAtOnce_iface, riid, out);
}

static ULONG WINAPI verification_AddRef(IBurnVerification *iface)
{
    return tao_AddRef(&impl_from_IBurnVerification(iface)->IDiscFormat2TrackAtOnce_iface);
}

static ULONG WINAPI verification_Release(IBurnVerification *iface)
{
    return tao_Release(&impl_from_IBurnVerification(iface)->IDiscFormat2TrackAtOnce_iface);
}

/* FULL is stored and runs the QUICK checks (ours, Q4). */
static HRESULT WINAPI verification_put_BurnVerificationLevel(IBurnVerification *iface, IMAPI_BURN_VERIFICATION_LEVEL value)
{
    struct tao *f = impl_from_IBurnVerification(iface);
    struct state_ticket ticket;
    HRESULT hr;
    TRACE("%p %d\n", iface, value);
    if (FAILED(hr = format_enter(&f->machine, TAO_CALL_PUT_VERIFICATION, &ticket)))
        return hr;
    if (value < IMAPI_BURN_VERIFICATION_NONE || value > IMAPI_BURN_VERIFICATION_FULL)
        return format_leave(&f->machine, &ticket, E_INVALIDARG);
    f->verification = value;
    return format_leave(&f->machine, &ticket, S_OK);
}

static HRESULT WINAPI verification_get_BurnVerificationLevel(IBurnVerification *iface, IMAPI_BURN_VERIFICATION_LEVEL *value)
{
    TRACE("%p\n", iface);
    if (!value)
        return E_POINTER;
    *value = impl_from_IBurnVerification(iface)->verification;
    return S_OK;
}

static const IBurnVerificationVtbl verification_vtbl = {
    verification_QueryInterface,
    verification_AddRef,
    verification_Release,
    verification_put_BurnVerificationLevel,
    verification_get_BurnVerificationLevel,
};

HRESULT tao_create(IUnknown *outer, REFIID riid, void **out)
{
    struct tao *f;
    HRESULT hr;
    (void)outer;
    if (!(f = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*f))))
        return E_OUTOFMEMORY;
    f->IDiscFormat2TrackAtOnce_iface.lpVtbl = &tao_vtbl;
    f->IBurnVerification_iface.lpVtbl = &verification_vtbl;
    f->ref = 1;
    format_machine_init(&f->machine, &tao_state_table, &IID_IDiscFormat2TrackAtOnce);
    f->bufe_disabled = VARIANT_FALSE;
    f->do_not_finalize = VARIANT_FALSE;
    f->requested_speed = FASTEST;
    f->requested_cav = VARIANT_FALSE;
    f->verification = IMAPI_BURN_VERIFICATION_NONE;
    event_source_init(&f->source, (IUnknown *)&f->IDiscFormat2TrackAtOnce_iface, &CLSID_MsftDiscFormat2TrackAtOnce,
                      &IID_IDiscFormat2TrackAtOnce, &IID_DDiscFormat2TrackAtOnceEvents);
    imapi2_module_addref();
    hr = IDiscFormat2TrackAtOnce_QueryInterface(&f->IDiscFormat2TrackAtOnce_iface, riid, out);
    IDiscFormat2TrackAtOnce_Release(&f->IDiscFormat2TrackAtOnce_iface);
    return hr;
}
