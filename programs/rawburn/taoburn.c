/* burn --tao: audio tracks track-at-once through IMAPI2's
 * MsftDiscFormat2TrackAtOnce (libs/mmc/taowrite.c underneath). Every check
 * first (audio only, no empty track, the tracks fit with the gaps the drive
 * writes), then one AddAudioTrack a track with a progress sink that turns
 * Ctrl+C into CancelAddTrack, and ReleaseMedia to close the session. The
 * drive puts a 2-second gap before every track by itself, so a sheet's own
 * gaps, indexes, catalog number, ISRCs and CD-Text are not written: each is
 * named in a note before anything is written. */
#include <stdlib.h>
#include <string.h>

#include "rawburn.h"
#include "image_internal.h"
#include "mmc/msf.h"

#define MIB (1024.0 * 1024.0)

struct tao_burn {
    IDiscFormat2TrackAtOnce *tao;
    struct recorder_ref *r;
    const struct cdsheet *sheet;
    int track, tracks;          /* 1-based track being written, of tracks */
    int64_t done_before, total; /* sectors of the tracks before this one, of all */
    int64_t done;               /* shown so far (never goes back between a track's actions) */
    int cancel_at_pct;          /* RAWBURN_TEST_CANCEL_AT, as the raw burn's */
    bool cancel_sent, any_written;
};

/* Sectors the drive records for a track: its audio, 4 s at least. */
static int64_t recorded_sectors(const struct cdsheet_track *t)
{
    return t->sectors < CD_MIN_TRACK_SECTORS ? CD_MIN_TRACK_SECTORS : t->sectors;
}

/* Audio tracks only, none empty, each whole sectors (IMAPI2's track-at-once
 * writer refuses a stream that is not: E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED);
 * notes for what track-at-once leaves out. */
static int check_sheet(const struct image_plan *p, const uint64_t *data_size)
{
    const struct cdsheet *s = &p->sheet;
    if (p->kind != PLAN_CUE)
        return fail(RB_USAGE, "%s: --tao burns audio tracks (WAV files or an audio cue sheet), not a %s image",
                    p->shown, p->kind == PLAN_CCD ? "CloneCD" : "raw DAO");
    for (int i = 0; i < s->track_count; i++) {
        const struct cdsheet_track *t = &s->tracks[i];
        if (t->mode != CDSHEET_AUDIO)
            return fail(RB_SYNTAX, "%s:%d: track %d is %s: --tao writes audio tracks only; burn this disc without "
                        "--tao (Disc-At-Once)", p->shown, t->line, t->number, cdsheet_mode_name(t->mode));
        if (t->sectors <= 0)
            return fail(RB_SYNTAX, "%s:%d: track %d has no audio (0 sectors): a track-at-once track needs at least "
                        "one sector", p->shown, t->line, t->number);
        uint64_t at = t->file_offset + (uint64_t)t->file_pregap * CD_SECTOR_SIZE;
        uint64_t have = data_size[t->file] > at ? data_size[t->file] - at : 0;
        if (have < (uint64_t)t->sectors * CD_SECTOR_SIZE)
            return fail(RB_SECTOR, "%s:%d: track %d (%s) has %llu bytes of audio, not a whole number of %d-byte sectors: "
                        "the track-at-once writer takes whole sectors only; cut or pad the audio to a multiple of "
                        "%d bytes, or burn without --tao (Disc-At-Once pads it with silence)", p->shown, t->line,
                        t->number, s->files[t->file].name, (unsigned long long)have, CD_SECTOR_SIZE, CD_SECTOR_SIZE);
        if (t->sectors < CD_MIN_TRACK_SECTORS)
            note("track %d is %ld sectors long; the recorder pads it with silence to 4 s (%d sectors)", t->number,
                 (long)t->sectors, CD_MIN_TRACK_SECTORS);
        if (t->file_pregap)
            note("track %d: its %ld INDEX 00 sectors of audio are not written; the drive writes 2 s of silence "
                 "before the track instead", t->number, (long)t->file_pregap);
        else if (i && !t->pregap)
            note("track %d: the drive writes 2 s of silence before it (the sheet has no gap there)", t->number);
        else if (i && t->pregap != CD_PREGAP_SECTORS)
            note("track %d: its %ld-sector PREGAP is written as the drive's 2 s of silence", t->number,
                 (long)t->pregap);
        if (t->postgap)
            note("track %d: its POSTGAP is not written", t->number);
        if (t->index_count > 1)
            note("track %d: indexes after INDEX 01 are not written track-at-once", t->number);
        if (t->isrc[0])
            note("track %d: its ISRC is not written track-at-once", t->number);
    }
    if (s->catalog[0])
        note("the CATALOG number is not written track-at-once");
    if (p->cdtext)
        note("the CD-Text is not written track-at-once");
    return RB_OK;
}

static LONG tao_arg(IDiscFormat2TrackAtOnceEventArgs *a,
                    HRESULT (STDMETHODCALLTYPE *get)(IDiscFormat2TrackAtOnceEventArgs *, LONG *))
{
    LONG v = 0;
    get(a, &v);
    return v;
}

static void on_tao_update(void *ctx, DISPPARAMS *params)
{
    struct tao_burn *b = ctx;
    IDiscFormat2TrackAtOnceEventArgs *a = NULL;
    IMAPI_FORMAT2_TAO_WRITE_ACTION action = IMAPI_FORMAT2_TAO_WRITE_ACTION_UNKNOWN;
    char where[32];
    if (params->cArgs < 2 || V_VT(&params->rgvarg[0]) != VT_DISPATCH || !V_DISPATCH(&params->rgvarg[0]) ||
        FAILED(IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[0]), &IID_IDiscFormat2TrackAtOnceEventArgs,
                                        (void **)&a)))
        return;
    IDiscFormat2TrackAtOnceEventArgs_get_CurrentAction(a, &action);
    LONG start = tao_arg(a, a->lpVtbl->get_StartLba), written = tao_arg(a, a->lpVtbl->get_LastWrittenLba);
    LONG elapsed = tao_arg(a, a->lpVtbl->get_ElapsedTime), remaining = tao_arg(a, a->lpVtbl->get_RemainingTime);
    IDiscFormat2TrackAtOnceEventArgs_Release(a);
    int64_t in_track = action == IMAPI_FORMAT2_TAO_WRITE_ACTION_WRITING && written >= start ? written - start + 1 : 0;
    if (in_track)
        b->any_written = true;
    if (b->track >= 1 && in_track > recorded_sectors(&b->sheet->tracks[b->track - 1]))
        in_track = recorded_sectors(&b->sheet->tracks[b->track - 1]);
    if (b->done_before + in_track > b->done)
        b->done = b->done_before + in_track;
    double fraction = b->total ? (double)b->done / (double)b->total : -1;
    snprintf(where, sizeof(where), "track %d/%d", b->track, b->tracks);
    struct progress_info p = {
        action == IMAPI_FORMAT2_TAO_WRITE_ACTION_PREPARING   ? "preparing"
        : action == IMAPI_FORMAT2_TAO_WRITE_ACTION_FINISHING ? "finishing"
                                                             : "writing",
        fraction, where, b->done * (double)CD_SECTOR_SIZE / MIB,
        b->total * (double)CD_SECTOR_SIZE / MIB, -1, -1, remaining, elapsed,
    };
    progress_update(&p);
    if (b->cancel_at_pct >= 0 && fraction * 100 >= b->cancel_at_pct)
        InterlockedExchange(&cancel_requested, 1);
    if (cancel_pending() && !b->cancel_sent) {
        b->cancel_sent = true;
        HRESULT hr = IDiscFormat2TrackAtOnce_CancelAddTrack(b->tao); /* only valid from inside Update */
        progress_end(false);
        fprintf(stderr, "stopping: the track is being cancelled (%s)...\n", SUCCEEDED(hr) ? "ok" : hr_text(hr));
    }
}

static int tao_prepare_error(struct recorder_ref *r, HRESULT hr)
{
    if (hr == E_IMAPI_RECORDER_LOCKED || hr == E_ACCESSDENIED) {
        int status = recorder_check_free(r);
        return status ? status : fail(RB_BUSY, "recorder %s is in use by another program", r->name);
    }
    if (hr == E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK)
        return fail(RB_MEDIA, "the disc in recorder %s is not blank", r->name);
    if (hr == E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
        return fail(RB_MEDIA, "there is no disc in recorder %s", r->name);
    if (hr == E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED || hr == E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE)
        return fail(RB_MEDIA, "the disc in recorder %s cannot be written track-at-once", r->name);
    if (hr == E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED)
        return fail(RB_UNSUPPORTED, "recorder %s cannot write track-at-once", r->name);
    return fail(RB_WRITE, "recorder %s could not be prepared: %s", r->name, hr_text(hr));
}

/* Recorder, client name and speed, then PrepareMedia and BUFE (the order
 * the pages give). */
static int tao_setup(IDiscFormat2TrackAtOnce *tao, struct recorder_ref *r)
{
    BSTR client = SysAllocString(CLIENT_NAME);
    HRESULT hr = IDiscFormat2TrackAtOnce_put_Recorder(tao, r->rec);
    if (SUCCEEDED(hr))
        hr = IDiscFormat2TrackAtOnce_put_ClientName(tao, client);
    SysFreeString(client);
    if (FAILED(hr))
        return fail(RB_UNSUPPORTED, "recorder %s: %s", r->name, hr_text(hr));
    if (FAILED(hr = IDiscFormat2TrackAtOnce_SetWriteSpeed(tao, opt.speed_x ? opt.speed_x * CD_FRAMES_PER_SECOND : -1,
                                                          VARIANT_FALSE)))
        return fail(RB_UNSUPPORTED, "recorder %s: speed %dx refused: %s", r->name, opt.speed_x, hr_text(hr));
    if (FAILED(hr = IDiscFormat2TrackAtOnce_PrepareMedia(tao)))
        return tao_prepare_error(r, hr);
    if (hr == S_IMAPI_SPEEDADJUSTED || hr == S_IMAPI_BOTHADJUSTED)
        note("recorder %s does not write at %dx; it chose its own speed", r->name, opt.speed_x);
    if (opt.bufe >= 0 &&
        FAILED(hr = IDiscFormat2TrackAtOnce_put_BufferUnderrunFreeDisabled(tao, opt.bufe ? VARIANT_FALSE : VARIANT_TRUE)))
        return fail(RB_UNSUPPORTED, "recorder %s: BUFE cannot be changed: %s", r->name, hr_text(hr));
    return RB_OK;
}

/* Every track with the run-out and 2-s gap the drive adds between tracks. */
static int tao_check_fit(IDiscFormat2TrackAtOnce *tao, struct recorder_ref *r, const struct cdsheet *s, int64_t *total)
{
    LONG free_sectors = 0;
    int64_t need = 0;
    for (int i = 0; i < s->track_count; i++)
        need += recorded_sectors(&s->tracks[i]) + (i ? CD_RUNOUT_SECTORS + CD_PREGAP_SECTORS : 0);
    *total = 0;
    for (int i = 0; i < s->track_count; i++)
        *total += recorded_sectors(&s->tracks[i]);
    HRESULT hr = IDiscFormat2TrackAtOnce_get_FreeSectorsOnMedia(tao, &free_sectors);
    if (FAILED(hr))
        return fail(RB_WRITE, "recorder %s: the free space cannot be read: %s", r->name, hr_text(hr));
    if (need > free_sectors) {
        struct cd_msf want = cd_frames_to_msf((int32_t)need), have = cd_frames_to_msf(free_sectors);
        return fail(RB_TOO_BIG, "the tracks do not fit: they need %lld sectors (%02d:%02d:%02d, with the gaps the "
                    "drive writes), the disc in %s has %ld free (%02d:%02d:%02d)", (long long)need, want.m, want.s,
                    want.f, r->name, (long)free_sectors, have.m, have.s, have.f);
    }
    return RB_OK;
}

static int add_track(struct tao_burn *b, struct image_plan *p, const uint64_t *data_size, int i)
{
    const struct cdsheet_track *t = &p->sheet.tracks[i];
    struct piece_stream *ps = pieces_new();
    IStream *stream = NULL;
    uint64_t at = t->file_offset + (uint64_t)t->file_pregap * CD_SECTOR_SIZE;
    if (!ps || !plan_add_file_part(p, ps, t->file, at, (uint64_t)t->sectors * CD_SECTOR_SIZE, data_size)) {
        pieces_free(ps);
        return fail(RB_INTERNAL, "out of memory");
    }
    if (FAILED(pieces_finish(ps, &stream))) /* frees ps */
        return fail(RB_INTERNAL, "out of memory");
    b->track = i + 1;
    HRESULT hr = IDiscFormat2TrackAtOnce_AddAudioTrack(b->tao, stream);
    IStream_Release(stream);
    if (SUCCEEDED(hr) && !b->cancel_sent) {
        b->done_before += recorded_sectors(t);
        return RB_OK;
    }
    if (b->cancel_sent || hr == E_IMAPI_REQUEST_CANCELLED)
        return fail(RB_CANCELLED, "cancelled by Ctrl+C during track %d", t->number);
    if (hr == E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE)
        return fail(RB_TOO_BIG, "track %d does not fit on the disc", t->number);
    if (hr == E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED)
        return fail(RB_SECTOR, "track %d: the recorder refused its audio: %s", t->number, hr_text(hr));
    return fail(RB_WRITE, "track %d: the write failed: %s", t->number, hr_text(hr));
}

static int write_tracks(IDiscFormat2TrackAtOnce *tao, struct recorder_ref *r, struct image_plan *p,
                        const uint64_t *data_size, int64_t total)
{
    const char *hook = getenv("RAWBURN_TEST_CANCEL_AT");
    struct tao_burn b = { tao, r, &p->sheet, 0, p->sheet.track_count, 0, total, 0, hook ? atoi(hook) : -1, false, false };
    IDispatch *sink = sink_create(&IID_DDiscFormat2TrackAtOnceEvents, on_tao_update, &b);
    DWORD cookie = 0;
    int status = RB_OK;
    if (!sink || FAILED(sink_advise((IUnknown *)tao, &IID_DDiscFormat2TrackAtOnceEvents, sink, &cookie)))
        note("no progress events from the track-at-once writer");
    struct cd_msf length = cd_frames_to_msf((int32_t)total);
    say("writing %d audio track%s track-at-once to %s (%s): %02d:%02d:%02d of audio, %s\n", b.tracks,
        b.tracks == 1 ? "" : "s", r->name, r->label, length.m, length.s, length.f,
        opt.speed_x ? "speed as asked" : "fastest speed");
    set_stop_state(true, "the disc in %s was being written track-at-once; its session is left open", r->name);
    progress_begin("burn");
    for (int i = 0; i < b.tracks && !status; i++)
        status = cancel_pending() ? fail(RB_CANCELLED, "cancelled by Ctrl+C before track %d", p->sheet.tracks[i].number)
                                  : add_track(&b, p, data_size, i);
    progress_end(!status);
    sink_unadvise((IUnknown *)tao, &IID_DDiscFormat2TrackAtOnceEvents, cookie);
    if (sink)
        IDispatch_Release(sink);
    /* ReleaseMedia closes the session with the tracks written, a cancelled one included. */
    HRESULT release = IDiscFormat2TrackAtOnce_ReleaseMedia(tao);
    set_stop_state(true, "the write had ended; see `rawburn list` for the state of the disc in %s", r->name);
    if (!status && FAILED(release))
        return fail(RB_WRITE, "closing the session failed: %s", hr_text(release));
    if (!status)
        say("done: %d track%s written track-at-once; the disc in %s is closed\n", b.tracks, b.tracks == 1 ? "" : "s",
            r->name);
    else if (b.track > 1 || b.any_written)
        fprintf(stderr, "The disc in %s holds %d of the %d tracks%s%s.\n", r->name, b.track - (b.any_written ? 0 : 1),
                b.tracks, b.any_written ? ", the last one cut where the write stopped" : "",
                SUCCEEDED(release) ? "; its session is closed" : "");
    return status;
}

int burn_tao(struct recorder_ref *r, struct image_plan *p)
{
    IDiscFormat2TrackAtOnce *tao = NULL;
    VARIANT_BOOL supported = VARIANT_FALSE;
    int64_t total = 0;
    if (opt.simulate || opt.verify || opt.sector_type || opt.imapi_gaps)
        return fail(RB_USAGE, "--tao cannot be used with %s", opt.simulate ? "--simulate" : opt.verify ? "--verify"
                                                              : opt.sector_type ? "--sector-type" : "--imapi-gaps");
    uint64_t data_size[CDSHEET_MAX_FILES] = { 0 };
    if (p->kind == PLAN_CUE)
        plan_data_sizes(p, data_size);
    int status = check_sheet(p, data_size);
    if (status)
        return status;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscFormat2TrackAtOnce, NULL, CLSCTX_INPROC_SERVER,
                                  &IID_IDiscFormat2TrackAtOnce, (void **)&tao);
    if (FAILED(hr))
        return create_failed(&CLSID_MsftDiscFormat2TrackAtOnce, "MsftDiscFormat2TrackAtOnce", hr);
    hr = IDiscFormat2TrackAtOnce_IsRecorderSupported(tao, r->rec, &supported);
    if (hr != S_OK || !supported)
        status = fail(RB_UNSUPPORTED, "recorder %s cannot write track-at-once (no CD Track at Once write feature)",
                      r->name);
    if (!status && (status = tao_setup(tao, r)))
        IDiscFormat2TrackAtOnce_ReleaseMedia(tao); /* NOT_PREPARED when PrepareMedia failed: nothing to undo */
    else if (!status) {
        if (!(status = tao_check_fit(tao, r, &p->sheet, &total)) && cancel_pending())
            status = fail(RB_CANCELLED, "cancelled before writing; the disc is untouched");
        if (status)
            IDiscFormat2TrackAtOnce_ReleaseMedia(tao);
        else
            status = write_tracks(tao, r, p, data_size, total);
    }
    IDiscFormat2TrackAtOnce_Release(tao);
    return status;
}
