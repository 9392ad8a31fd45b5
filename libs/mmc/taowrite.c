/* Track-at-once write engine (taowrite.h): prepare, one track at a time,
 * finish. The write loop itself is writeloop.c's. */
#include "mmc/taowrite.h"

#include <string.h>

#include "imapi2error.h"
#include "mmc/rawimage.h"

#define TRACK_MODE_AUDIO 0x0   /* page 05 track mode: 2-channel audio, no pre-emphasis */
#define BLOCK_TYPE_AUDIO 0     /* page 05 data block type: raw 2352 bytes */
#define MULTISESSION_NEXT_ALLOWED 3
#define INVISIBLE_TRACK 0xFF
#define TOC_ADR_Q_POSITION 1
#define TOC_POINT_LEADOUT 0xAA

void mmc_tao_options_default(struct mmc_tao_options *o)
{
    memset(o, 0, sizeof(*o));
    mmc_loop_options_default(&o->loop);
}

void mmc_tao_writer_init(struct mmc_tao_writer *w, struct scsi_transport *t, const struct io_clock *clock)
{
    memset(w, 0, sizeof(*w));
    mmc_writer_device_init(&w->dev, &w->cancel, t, clock);
    mmc_tao_options_default(&w->opt);
}

uint32_t mmc_tao_track_sectors(uint64_t bytes)
{
    if (bytes == 0)
        return 0;
    uint64_t sectors = (bytes + CD_SECTOR_SIZE - 1) / CD_SECTOR_SIZE;
    if (sectors < CD_MIN_TRACK_SECTORS)
        sectors = CD_MIN_TRACK_SECTORS;
    return sectors > UINT32_MAX ? UINT32_MAX : (uint32_t)sectors;
}

/* ---- prepare ---- */

/* The invisible track (FFh): where the next track goes and what is free. */
static int32_t read_next_writable(struct mmc_tao_writer *w)
{
    struct mmc_track_info ti;
    int32_t hr = mmc_query_track_info(&w->dev, MMC_TRACK_BY_NUMBER, INVISIBLE_TRACK, &ti);
    w->media.nwa_valid = false;
    w->media.free_blocks = 0;
    if (MMC_FAILED(hr))
        return w->media.tracks >= MMC_TAO_MAX_TRACKS ? MMC_S_OK : hr; /* 99 tracks: there is none */
    w->media.nwa_valid = ti.nwa_valid;
    w->media.nwa = ti.next_writable;
    w->media.free_blocks = ti.nwa_valid ? ti.free_blocks : 0;
    return MMC_S_OK;
}

static int32_t read_existing_tracks(struct mmc_tao_writer *w, const struct mmc_disc_info *di)
{
    w->media.tracks = 0;
    if (di->disc_status == MMC_DISC_EMPTY)
        return MMC_S_OK;
    /* An open session's last track is the invisible one. */
    int last = di->last_track_last_session - 1;
    for (int t = di->first_track; t >= 1 && t <= last && t <= MMC_TAO_MAX_TRACKS; t++) {
        struct mmc_track_info ti;
        int32_t hr = mmc_query_track_info(&w->dev, MMC_TRACK_BY_NUMBER, (uint32_t)t, &ti);
        if (MMC_FAILED(hr))
            return hr;
        w->media.track_start[t] = ti.start;
        w->media.last_track_end = ti.start + (int32_t)ti.size;
        w->media.tracks = t;
    }
    return MMC_S_OK;
}

static int32_t check_drive_and_media(struct mmc_tao_writer *w)
{
    struct mmc_configuration cfg;
    int32_t hr = mmc_query_configuration(&w->dev, MMC_RT_ALL, 0, &cfg);
    if (MMC_FAILED(hr))
        return hr;
    if (!cfg.tao.present)
        return E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED;
    if (cfg.current_profile == 0) { /* most likely no disc: let the drive say */
        hr = mmc_wait_ready(&w->dev);
        return MMC_FAILED(hr) ? hr : E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED;
    }
    if (cfg.current_profile != MMC_PROFILE_CD_R && cfg.current_profile != MMC_PROFILE_CD_RW)
        return E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED;
    w->media.profile = cfg.current_profile;
    struct mmc_disc_info di;
    if (MMC_FAILED(hr = mmc_query_disc_info(&w->dev, &di)))
        return hr;
    bool open_session = di.disc_status == MMC_DISC_INCOMPLETE && di.last_session_state == MMC_SESSION_INCOMPLETE;
    if (di.disc_status != MMC_DISC_EMPTY && !open_session)
        return E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK;
    w->media.was_blank = di.disc_status == MMC_DISC_EMPTY;
    w->media.erasable = di.erasable;
    w->media.last_possible_leadout = di.leadout_valid ? di.last_possible_leadout : 0;
    if (MMC_FAILED(hr = read_existing_tracks(w, &di)))
        return hr;
    return read_next_writable(w);
}

int32_t mmc_tao_prepare(struct mmc_tao_writer *w, const struct mmc_tao_options *o)
{
    w->prepared = false;
    mmc_device_clear_cancel(&w->dev);
    w->opt = *o;
    mmc_loop_fill_defaults(&w->opt.loop, MMC_TAO_DEFAULT_CHUNK);
    memset(&w->media, 0, sizeof(w->media));
    int32_t hr = check_drive_and_media(w);
    if (MMC_FAILED(hr))
        return hr;
    mmc_writer_set_speed(&w->dev, w->opt.loop.write_speed_kbs, &w->media.write_speed_kbs);
    w->prepared = true;
    return MMC_S_OK;
}

/* Page 05 for an audio track: TAO, raw 2352-byte blocks, audio track mode,
 * the multi-session field CLOSE SESSION will use; the drive's other bytes
 * stay. */
static int32_t select_tao_page(struct mmc_tao_writer *w)
{
    struct mmc_mode_page page;
    struct mmc_write_params wp;
    int32_t hr = mmc_query_mode_page(&w->dev, MMC_PC_CURRENT, MMC_PAGE_WRITE_PARAMETERS, &page);
    if (MMC_SUCCEEDED(hr))
        hr = mmc_parse_write_params(page.data, page.len, &wp);
    if (MMC_FAILED(hr))
        return hr;
    wp.write_type = MMC_WT_TAO;
    wp.data_block_type = BLOCK_TYPE_AUDIO;
    wp.track_mode = TRACK_MODE_AUDIO;
    wp.bufe = w->opt.loop.bufe;
    wp.test_write = w->opt.loop.test_write;
    wp.multi_session = w->opt.close_appendable ? MULTISESSION_NEXT_ALLOWED : 0;
    wp.ls_v = false;
    wp.fixed_packet = false;
    if (MMC_FAILED(hr = mmc_apply_write_params(page.data, page.len, &wp)))
        return hr;
    return mmc_select_mode_page(&w->dev, &page);
}

/* ---- a track ---- */

struct tao_job {
    struct mmc_tao_writer *w;
    int track;
    struct mmc_write_loop loop;
};

/* After a cancel or a failure: flush, and fix what was written as a track
 * (CancelAddTrack leaves the partial track on the disc), with the cancel
 * flag set aside so that these commands still go out. */
static void close_after_stop(struct tao_job *j)
{
    struct mmc_device *d = &j->w->dev;
    mmc_flush_after_stop(d);
    if (!j->loop.written)
        return;
    atomic_bool *cancel = d->cancel;
    d->cancel = NULL;
    mmc_close_track_session(d, MMC_CLOSE_TRACK, (uint16_t)j->track);
    d->cancel = cancel;
}

/* QUICK verification of a track (IMAPI_BURN_VERIFICATION_QUICK): READ
 * TRACK INFORMATION shows it where it was written, as long as written. */
static int32_t verify_track(struct tao_job *j)
{
    struct mmc_track_info ti;
    struct mmc_write_loop *l = &j->loop;
    if (j->w->opt.loop.test_write)
        return MMC_S_OK;
    if (MMC_FAILED(mmc_query_track_info(&j->w->dev, MMC_TRACK_BY_NUMBER, (uint32_t)j->track, &ti)))
        return E_IMAPI_BURN_VERIFICATION_FAILED;
    if (ti.start != l->start_lba || (ti.lra_valid && ti.last_recorded != l->start_lba + (int32_t)l->total - 1))
        return E_IMAPI_BURN_VERIFICATION_FAILED;
    return MMC_S_OK;
}

static void finish_track(struct tao_job *j)
{
    struct mmc_write_loop *l = &j->loop;
    mmc_loop_report(l, MMC_TAO_ACTION_FINISHING);
    mmc_loop_fail(l, mmc_synchronize_cache(&j->w->dev));
    if (mmc_loop_healthy(l))
        mmc_loop_fail(l, mmc_close_track_session(&j->w->dev, MMC_CLOSE_TRACK, (uint16_t)j->track));
    if (mmc_loop_healthy(l)) {
        mmc_loop_report(l, MMC_TAO_ACTION_VERIFYING);
        mmc_loop_fail(l, verify_track(j));
    }
}

static int32_t check_track(struct mmc_tao_writer *w, const struct mmc_raw_stream *s)
{
    if (!w->prepared)
        return E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED;
    if (!s || !s->read)
        return MMC_E_POINTER;
    if (w->media.tracks >= MMC_TAO_MAX_TRACKS)
        return E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED;
    uint32_t sectors = mmc_tao_track_sectors(s->size);
    if (sectors == 0)
        return E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED;
    if (!w->media.nwa_valid || (uint64_t)sectors + CD_RUNOUT_SECTORS > w->media.free_blocks)
        return E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE;
    return MMC_S_OK;
}

int32_t mmc_tao_write_track(struct mmc_tao_writer *w, const struct mmc_raw_stream *s, mmc_write_progress_fn progress,
                            void *ctx)
{
    w->hr = MMC_S_OK;
    mmc_device_clear_cancel(&w->dev);
    w->writes_issued = 0;
    w->progress_reports = 0;
    int32_t hr = check_track(w, s);
    if (MMC_SUCCEEDED(hr))
        hr = select_tao_page(w);
    if (MMC_FAILED(hr))
        return w->hr = hr;
    mmc_writer_set_speed(&w->dev, w->opt.loop.write_speed_kbs, &w->media.write_speed_kbs);
    struct tao_job j = { .w = w, .track = w->media.tracks + 1 };
    struct mmc_write_loop *l = &j.loop;
    l->dev = &w->dev;
    l->s = s;
    l->start_lba = w->media.nwa;
    l->total = mmc_tao_track_sectors(s->size);
    l->stream_bytes = s->size;
    l->short_stream_hr = E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED;
    l->progress = progress;
    l->progress_ctx = ctx;
    l->track = j.track;
    l->writes_out = &w->writes_issued;
    l->reports_out = &w->progress_reports;
    if (!mmc_loop_open(l, CD_SECTOR_SIZE, &w->opt.loop))
        return w->hr = MMC_E_OUTOFMEMORY;
    if (mmc_loop_report(l, MMC_TAO_ACTION_PREPARING))
        mmc_device_cancel(&w->dev);
    mmc_loop_run(l, MMC_TAO_ACTION_WRITING);
    /* After the last WRITE, whatever the timer says: a short track gets one. */
    if (mmc_loop_healthy(l) && !mmc_loop_cancelled(l) && l->written == l->total)
        mmc_loop_report(l, MMC_TAO_ACTION_WRITING);
    /* A cut track is still a track: at least 4 s (ours, docs/tao-audit.md §8). */
    if (mmc_loop_cancelled(l) && l->written > 0)
        mmc_loop_pad_after_cancel(l, CD_MIN_TRACK_SECTORS);
    if (mmc_loop_cancelled(l))
        mmc_loop_fail(l, E_IMAPI_REQUEST_CANCELLED);
    if (mmc_loop_healthy(l))
        finish_track(&j);
    else
        close_after_stop(&j);
    if ((mmc_loop_healthy(l) || l->written) && !w->opt.loop.test_write) {
        w->media.track_start[j.track] = l->start_lba;
        w->media.last_track_end = l->start_lba + (int32_t)l->written;
        w->media.tracks = j.track;
    }
    mmc_loop_close(l);
    mmc_device_clear_cancel(&w->dev);
    read_next_writable(w); /* what is left for the next track, whatever happened */
    return w->hr = l->hr;
}

/* ---- finish ---- */

static int32_t verify_disc(struct mmc_tao_writer *w, bool finalize)
{
    struct mmc_disc_info di;
    int32_t hr = mmc_query_disc_info(&w->dev, &di);
    if (MMC_FAILED(hr))
        return hr;
    if (w->opt.loop.test_write || w->media.tracks == 0)
        return MMC_S_OK;
    if (!finalize)
        return di.disc_status == MMC_DISC_INCOMPLETE && di.last_session_state == MMC_SESSION_INCOMPLETE
                   ? MMC_S_OK
                   : E_IMAPI_BURN_VERIFICATION_FAILED;
    uint8_t want_status = w->opt.close_appendable ? MMC_DISC_INCOMPLETE : MMC_DISC_COMPLETE;
    struct mmc_toc toc;
    if (di.disc_status != want_status || di.last_session_state != MMC_SESSION_COMPLETE ||
        MMC_FAILED(mmc_query_toc(&w->dev, &toc)) || toc.first_track != 1 || toc.last_track != w->media.tracks)
        return E_IMAPI_BURN_VERIFICATION_FAILED;
    for (size_t i = 0; i < toc.count; i++) {
        const struct mmc_toc_entry *e = &toc.entries[i];
        if (e->track >= 1 && e->track <= w->media.tracks && e->lba != w->media.track_start[e->track])
            return E_IMAPI_BURN_VERIFICATION_FAILED;
    }
    return MMC_S_OK;
}

static void report_plain(struct mmc_tao_writer *w, mmc_write_progress_fn cb, void *ctx, enum mmc_tao_action a)
{
    struct mmc_write_progress p = { .action = a, .track = w->media.tracks };
    if (cb)
        cb(ctx, &p); /* too late to cancel */
}

int32_t mmc_tao_finish(struct mmc_tao_writer *w, bool finalize, mmc_write_progress_fn progress, void *ctx)
{
    if (!w->prepared)
        return E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED;
    mmc_device_clear_cancel(&w->dev);
    report_plain(w, progress, ctx, MMC_TAO_ACTION_FINISHING);
    int32_t hr = mmc_synchronize_cache(&w->dev);
    if (MMC_SUCCEEDED(hr) && finalize && w->media.tracks > 0 && !w->opt.loop.test_write)
        hr = mmc_close_track_session(&w->dev, MMC_CLOSE_SESSION, 0);
    if (MMC_SUCCEEDED(hr)) {
        report_plain(w, progress, ctx, MMC_TAO_ACTION_VERIFYING);
        hr = verify_disc(w, finalize);
    }
    if (MMC_SUCCEEDED(hr))
        report_plain(w, progress, ctx, MMC_TAO_ACTION_FINISHED);
    w->prepared = false;
    return w->hr = hr;
}

/* ---- what the session knows ---- */

size_t mmc_tao_expected_toc(const struct mmc_tao_writer *w, uint8_t *buf, size_t len)
{
    struct rawimage_toc_entry toc[MMC_TAO_MAX_TRACKS + 1];
    int n = w->media.tracks;
    if (n <= 0)
        return 0;
    for (int t = 1; t <= n; t++)
        toc[t - 1] = (struct rawimage_toc_entry){ (uint8_t)t, TRACK_MODE_AUDIO, TOC_ADR_Q_POSITION, w->media.track_start[t] };
    int32_t leadout = w->media.last_track_end + CD_RUNOUT_SECTORS;
    toc[n] = (struct rawimage_toc_entry){ TOC_POINT_LEADOUT, TRACK_MODE_AUDIO, TOC_ADR_Q_POSITION, leadout };
    return mmc_toc_format0_encode(toc, n + 1, buf, len);
}

uint32_t mmc_tao_used_sectors(const struct mmc_tao_writer *w)
{
    if (!w->media.tracks)
        return 0;
    return (uint32_t)(w->media.nwa_valid ? w->media.nwa : w->media.last_track_end + CD_RUNOUT_SECTORS);
}

uint32_t mmc_tao_free_sectors(const struct mmc_tao_writer *w)
{
    if (!w->media.nwa_valid || w->media.free_blocks <= CD_RUNOUT_SECTORS)
        return 0;
    return w->media.free_blocks - CD_RUNOUT_SECTORS;
}
