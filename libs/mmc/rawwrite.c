/* Raw DAO write engine. Layout of the file: options and init, prepare, the
 * stream checks, and the write job (skip to the lead-in start, the
 * pipeline of writeloop.c, finish or abort). */
#include "rawwrite.h"

#include <stdlib.h>
#include <string.h>

#include "imapi2error.h"

void mmc_raw_options_default(struct mmc_raw_options *o)
{
    memset(o, 0, sizeof(*o));
    mmc_loop_options_default(&o->loop);
    o->layout = CD_RAW_RAW;
    o->stream_leadin_sectors = (-CD_RAW_IMAGE_START_LBA);
}

void mmc_raw_writer_init(struct mmc_raw_writer *w, struct scsi_transport *t, const struct io_clock *clock)
{
    memset(w, 0, sizeof(*w));
    mmc_writer_device_init(&w->dev, &w->cancel, t, clock);
    mmc_raw_options_default(&w->opt);
}

/* ---- prepare ---- */

static bool profile_is_cd_recordable(uint16_t p)
{
    return p == MMC_PROFILE_CD_R || p == MMC_PROFILE_CD_RW;
}

static bool rejected_parameters(const struct mmc_device *d)
{
    const struct mmc_sense *s = &d->last.sense;
    return d->last.has_sense && s->key == MMC_KEY_ILLEGAL_REQUEST && (s->asc == 0x24 || s->asc == 0x26);
}

/* Page 05 to RAW with a data block type; keeps the drive's other bytes. */
static int32_t select_raw_page(struct mmc_device *d, const struct mmc_mode_page *current, int layout, bool bufe,
                               bool test_write)
{
    struct mmc_mode_page page = *current;
    struct mmc_write_params wp;
    int32_t hr = mmc_parse_write_params(page.data, page.len, &wp);
    if (MMC_FAILED(hr))
        return hr;
    wp.write_type = MMC_WT_RAW;
    wp.data_block_type = (uint8_t)layout;
    wp.bufe = bufe;
    wp.test_write = test_write;
    wp.multi_session = 0;
    wp.ls_v = false;
    hr = mmc_apply_write_params(page.data, page.len, &wp);
    return MMC_FAILED(hr) ? hr : mmc_select_mode_page(d, &page);
}

static int32_t set_write_parameters(struct mmc_raw_writer *w)
{
    struct mmc_mode_page page;
    int32_t hr = mmc_query_mode_page(&w->dev, MMC_PC_CURRENT, MMC_PAGE_WRITE_PARAMETERS, &page);
    if (MMC_FAILED(hr))
        return hr;
    hr = select_raw_page(&w->dev, &page, w->opt.layout, w->opt.loop.bufe, w->opt.loop.test_write);
    if (MMC_SUCCEEDED(hr) || !rejected_parameters(&w->dev))
        return hr;
    /* Refused: was it the block type, or test write on a drive without it? */
    if (w->opt.loop.test_write &&
        MMC_SUCCEEDED(select_raw_page(&w->dev, &page, w->opt.layout, w->opt.loop.bufe, false)))
        return E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS;
    return E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED;
}

static int32_t check_drive_and_media(struct mmc_raw_writer *w)
{
    struct mmc_configuration cfg;
    int32_t hr = mmc_query_configuration(&w->dev, MMC_RT_ALL, 0, &cfg);
    if (MMC_FAILED(hr))
        return hr;
    if (!cfg.mastering.present || !cfg.mastering.raw)
        return E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED;
    if (cfg.current_profile == 0) { /* no current profile: most likely no disc; let the drive say */
        hr = mmc_wait_ready(&w->dev);
        return MMC_FAILED(hr) ? hr : E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED;
    }
    if (!profile_is_cd_recordable(cfg.current_profile))
        return E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED;
    w->media.profile = cfg.current_profile;
    struct mmc_disc_info di;
    hr = mmc_query_disc_info(&w->dev, &di);
    if (MMC_FAILED(hr))
        return hr;
    if (di.disc_status != MMC_DISC_EMPTY)
        return E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK;
    w->media.erasable = di.erasable;
    struct mmc_atip atip;
    if (MMC_FAILED(mmc_query_atip(&w->dev, &atip)))
        return E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED; /* a blank CD without ATIP is not one we can place */
    w->media.leadin_start = atip.leadin_start;
    w->media.last_possible_leadout = atip.last_possible_leadout;
    return MMC_S_OK;
}

int32_t mmc_raw_prepare(struct mmc_raw_writer *w, const struct mmc_raw_options *o)
{
    w->prepared = false;
    mmc_device_clear_cancel(&w->dev);
    w->opt = *o;
    mmc_loop_fill_defaults(&w->opt.loop, MMC_RAW_DEFAULT_CHUNK);
    memset(&w->media, 0, sizeof(w->media));
    if (!cd_raw_sector_size(w->opt.layout) || w->opt.stream_leadin_sectors < 0)
        return MMC_E_INVALIDARG;
    int32_t hr = check_drive_and_media(w);
    if (MMC_SUCCEEDED(hr))
        hr = mmc_raw_supported_layouts(&w->dev, w->media.layouts);
    if (MMC_FAILED(hr))
        return hr;
    mmc_writer_set_speed(&w->dev, w->opt.loop.write_speed_kbs, &w->media.write_speed_kbs);
    w->prepared = true;
    return MMC_S_OK;
}

int32_t mmc_raw_supported_layouts(struct mmc_device *d, bool supported[4])
{
    memset(supported, 0, 4 * sizeof(bool));
    struct mmc_mode_page saved;
    int32_t hr = mmc_query_mode_page(d, MMC_PC_CURRENT, MMC_PAGE_WRITE_PARAMETERS, &saved);
    if (MMC_FAILED(hr))
        return hr;
    static const int layouts[] = { CD_RAW_PQ, CD_RAW_COOKED, CD_RAW_RAW };
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        struct mmc_write_params wp;
        mmc_parse_write_params(saved.data, saved.len, &wp);
        supported[layouts[i]] = MMC_SUCCEEDED(select_raw_page(d, &saved, layouts[i], wp.bufe, false));
    }
    return mmc_select_mode_page(d, &saved);
}

/* ---- stream checks ---- */

int32_t mmc_raw_check_stream(const struct mmc_raw_writer *w, uint64_t stream_size)
{
    if (!w->prepared)
        return E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED;
    size_t ss = cd_raw_sector_size(w->opt.layout);
    if (!ss)
        return MMC_E_INVALIDARG;
    if (stream_size == 0 || stream_size % ss)
        return E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED;
    int64_t first = -(int64_t)w->opt.stream_leadin_sectors;
    int64_t last = first + (int64_t)(stream_size / ss) - 1;
    if (first > w->media.leadin_start)
        return E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT;
    if (last < w->media.leadin_start)
        return E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED; /* nothing at or after the lead-in start */
    if (last >= (int64_t)w->media.last_possible_leadout + CD_FIRST_LEADOUT_SECTORS)
        return E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE;
    return MMC_S_OK;
}

/* ---- the write job ---- */

struct raw_job {
    struct mmc_raw_writer *w;
    struct mmc_write_loop loop;
};

/* Moves the stream to the ATIP lead-in start: the sectors before it are the
 * part of the image's lead-in this disc has no room for. A seek that fails
 * means "read and discard"; E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED from it means
 * the stream no longer knows where it is (a seek that said it moved but did
 * not), and nothing may be written from it. Reading a long lead-in takes
 * seconds: it reports PREPARING as a write reports WRITING, and stops at a
 * cancel. */
static void skip_to_leadin(struct raw_job *j, uint64_t skip_sectors)
{
    struct mmc_write_loop *l = &j->loop;
    uint64_t bytes = skip_sectors * l->ss;
    if (bytes == 0)
        return;
    if (l->s->seek) {
        int32_t hr = l->s->seek(l->s->ctx, bytes);
        if (MMC_SUCCEEDED(hr))
            return;
        if (hr == E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED) {
            mmc_loop_fail(l, hr);
            return;
        }
    }
    mmc_loop_discard(l, bytes, MMC_RAW_ACTION_PREPARING);
}

static int32_t verify(struct raw_job *j)
{
    struct mmc_disc_info di;
    int32_t hr = mmc_query_disc_info(&j->w->dev, &di);
    if (MMC_FAILED(hr))
        return hr;
    if (j->w->opt.loop.test_write) /* a simulation records nothing */
        return di.disc_status == MMC_DISC_EMPTY ? MMC_S_OK : E_IMAPI_BURN_VERIFICATION_FAILED;
    struct mmc_toc toc;
    if (di.disc_status != MMC_DISC_COMPLETE || MMC_FAILED(mmc_query_toc(&j->w->dev, &toc)))
        return E_IMAPI_BURN_VERIFICATION_FAILED;
    return MMC_S_OK;
}

static void finish(struct raw_job *j)
{
    struct mmc_write_loop *l = &j->loop;
    mmc_loop_report(l, MMC_RAW_ACTION_FINISHING); /* too late to cancel: the lead-out is written */
    mmc_loop_fail(l, mmc_synchronize_cache(&j->w->dev));
    if (mmc_loop_healthy(l))
        mmc_loop_fail(l, verify(j));
    if (mmc_loop_healthy(l))
        mmc_loop_report(l, MMC_RAW_ACTION_FINISHED);
}

static void run_job(struct raw_job *j)
{
    struct mmc_write_loop *l = &j->loop;
    uint64_t first = (uint64_t)((int64_t)l->start_lba + j->w->opt.stream_leadin_sectors);
    if (mmc_loop_report(l, MMC_RAW_ACTION_PREPARING))
        mmc_device_cancel(&j->w->dev);
    skip_to_leadin(j, first);
    mmc_loop_run(l, MMC_RAW_ACTION_WRITING);
}

int32_t mmc_raw_write(struct mmc_raw_writer *w, const struct mmc_raw_stream *s, mmc_write_progress_fn progress,
                      void *ctx)
{
    w->hr = MMC_S_OK;
    mmc_device_clear_cancel(&w->dev);
    w->writes_issued = 0;
    w->progress_reports = 0;
    if (!s || !s->read)
        return MMC_E_POINTER;
    int32_t hr = mmc_raw_check_stream(w, s->size);
    if (MMC_FAILED(hr))
        return hr;
    /* The options may have changed since prepare (IMAPI2 sets the sector
     * type after PrepareMedia): page 05 and the speed go to the drive now. */
    if (!w->media.layouts[w->opt.layout])
        return E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED;
    if (MMC_FAILED(hr = set_write_parameters(w)))
        return hr;
    mmc_writer_set_speed(&w->dev, w->opt.loop.write_speed_kbs, &w->media.write_speed_kbs);
    size_t ss = cd_raw_sector_size(w->opt.layout);
    struct raw_job j = { .w = w };
    struct mmc_write_loop *l = &j.loop;
    l->dev = &w->dev;
    l->s = s;
    l->start_lba = w->media.leadin_start;
    l->total = (uint32_t)(s->size / ss - (uint64_t)((int64_t)l->start_lba + w->opt.stream_leadin_sectors));
    l->stream_bytes = (uint64_t)l->total * ss; /* after the skipped part: every written sector from the stream */
    l->short_stream_hr = E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED;
    l->progress = progress;
    l->progress_ctx = ctx;
    l->ask_drive_buffer = true;
    l->writes_out = &w->writes_issued;
    l->reports_out = &w->progress_reports;
    if (!mmc_loop_open(l, ss, &w->opt.loop))
        return MMC_E_OUTOFMEMORY;
    run_job(&j);
    if (mmc_loop_cancelled(l))
        mmc_loop_fail(l, E_IMAPI_REQUEST_CANCELLED);
    if (mmc_loop_healthy(l))
        finish(&j);
    else
        mmc_flush_after_stop(&w->dev);
    mmc_loop_close(l);
    return w->hr = l->hr;
}
