/* Data write engine (datawrite.h): inspect, write one track, close, verify.
 * The write loop itself is writeloop.c's. */
#include "mmc/datawrite.h"

#include <stdlib.h>
#include <string.h>

#include "imapi2error.h"

#define INVISIBLE_TRACK 0xFF
#define TRACK_MODE_DATA 0x4        /* page 05 track mode: data track, recorded uninterrupted */
#define BLOCK_TYPE_MODE1 8         /* page 05 data block type: Mode 1, 2048 bytes */
#define SESSION_FORMAT_CDROM 0x00  /* CD-DA or CD-ROM */
#define MULTISESSION_NEXT_ALLOWED 3
#define VERIFY_BLOCK_BYTES (MMC_DATA_VERIFY_BLOCK * MMC_DATA_SECTOR_BYTES)
#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

/* How a session ends on a medium. */
enum closing {
    CLOSING_NONE,
    CLOSING_PAGE05,      /* CLOSE SESSION; page 05's multi-session field says whether the disc stays open */
    CLOSING_DVD_PLUS_R,  /* the DisableConsumerDvdCompatibilityMode table: function 5, 6 or 2 */
    CLOSING_BD_R,        /* function 6 closes the disc, 2 the session */
};

#define NO_PAGE05 0xFF   /* DVD+R, BD-R: MMC's page 05 is for CD and DVD-R/-RW */

/* The profiles the engine knows: those it writes, and pressed ones it names
 * as read-only (every other profile is unsupported media). */
static const struct data_profile {
    uint16_t profile;
    bool writable, cd, rom;
    enum closing closing;
    uint8_t write_type;  /* page 05: TAO on CD, incremental (packet, variable) on DVD-R */
    uint32_t write_unit; /* sectors: the ECC block (IMultisessionSequential2::WriteUnitSize, audit §6) */
} profiles[] = {
    { MMC_PROFILE_CD_ROM, false, true, true, CLOSING_NONE, NO_PAGE05, 1 },
    { MMC_PROFILE_CD_R, true, true, false, CLOSING_PAGE05, MMC_WT_TAO, 1 },
    { MMC_PROFILE_CD_RW, true, true, false, CLOSING_PAGE05, MMC_WT_TAO, 1 },
    { MMC_PROFILE_DVD_ROM, false, false, true, CLOSING_NONE, NO_PAGE05, DVD_ECC_BLOCK_SECTORS },
    { MMC_PROFILE_DVD_R, true, false, false, CLOSING_PAGE05, MMC_WT_PACKET, DVD_ECC_BLOCK_SECTORS },
    { MMC_PROFILE_DVD_PLUS_R, true, false, false, CLOSING_DVD_PLUS_R, NO_PAGE05, DVD_ECC_BLOCK_SECTORS },
    { MMC_PROFILE_BD_ROM, false, false, true, CLOSING_NONE, NO_PAGE05, BD_CLUSTER_SECTORS },
    { MMC_PROFILE_BD_R_SRM, true, false, false, CLOSING_BD_R, NO_PAGE05, BD_CLUSTER_SECTORS },
};

static const struct data_profile *profile_of(uint16_t profile)
{
    for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
        if (profiles[i].profile == profile)
            return &profiles[i];
    return NULL;
}

bool mmc_data_profile_writable(uint16_t profile)
{
    const struct data_profile *p = profile_of(profile);
    return p && p->writable;
}

uint32_t mmc_data_write_unit(uint16_t profile)
{
    const struct data_profile *p = profile_of(profile);
    return p ? p->write_unit : 1;
}

/* ---- the medium ---- */

/* docs/data-audit.md §11: the flags a disc state gives. */
static uint32_t state_flags(const struct mmc_data_media *m)
{
    if (m->disc_status == MMC_DISC_EMPTY)
        return MMC_DATA_STATE_BLANK | MMC_DATA_STATE_APPENDABLE;
    if (m->disc_status == MMC_DISC_OTHER || m->session_state == MMC_SESSION_DAMAGED)
        return MMC_DATA_STATE_DAMAGED;
    if (m->disc_status == MMC_DISC_COMPLETE)
        return MMC_DATA_STATE_FINALIZED | (m->erasable ? MMC_DATA_STATE_ERASE_REQUIRED : 0);
    if (m->session_state == MMC_SESSION_INCOMPLETE)
        return MMC_DATA_STATE_NON_EMPTY_SESSION;
    return MMC_DATA_STATE_APPENDABLE;
}

static bool appendable(const struct mmc_data_media *m)
{
    return (m->state & MMC_DATA_STATE_APPENDABLE) != 0;
}

static int32_t read_invisible_track(struct mmc_device *d, struct mmc_data_media *m)
{
    struct mmc_track_info ti;
    int32_t hr = mmc_query_track_info(d, MMC_TRACK_BY_NUMBER, INVISIBLE_TRACK, &ti);
    if (MMC_FAILED(hr))
        return hr;
    m->nwa_valid = ti.nwa_valid;
    m->next_track = ti.track;
    m->nwa = ti.next_writable;
    m->free_blocks = ti.nwa_valid ? ti.free_blocks : 0;
    return MMC_S_OK;
}

/* The first and last user sectors of the last complete session. A drive
 * counts the empty session of an appendable disc as the last one (its
 * first track is the blank invisible track): the complete one is then the
 * session before it, ending at the track before. */
static int32_t read_previous_session(struct mmc_device *d, const struct mmc_disc_info *di, struct mmc_data_media *m)
{
    struct mmc_track_info first, last;
    uint16_t last_track = di->last_track_last_session;
    int32_t hr = mmc_query_track_info(d, MMC_TRACK_BY_NUMBER, di->first_track_last_session, &first);
    if (MMC_SUCCEEDED(hr) && first.blank) {
        if (di->sessions < 2 || di->first_track_last_session < 2)
            return MMC_S_OK;
        last_track = (uint16_t)(di->first_track_last_session - 1);
        hr = mmc_query_track_info(d, MMC_TRACK_BY_SESSION, (uint32_t)di->sessions - 1, &first);
    }
    if (MMC_SUCCEEDED(hr))
        hr = mmc_query_track_info(d, MMC_TRACK_BY_NUMBER, last_track, &last);
    if (MMC_FAILED(hr))
        return hr;
    m->previous_start = first.start;
    m->previous_last = last.lra_valid ? last.last_recorded : last.start + (int32_t)last.size - 1;
    return MMC_S_OK;
}

/* CD: the last possible lead-out; DVD and BD (no such field): the end of
 * the invisible track; a closed disc: READ CAPACITY. */
static int32_t read_total(struct mmc_device *d, const struct mmc_disc_info *di, struct mmc_data_media *m)
{
    struct mmc_capacity cap;
    if (di->leadout_valid) {
        m->total = di->last_possible_leadout > 0 ? (uint32_t)di->last_possible_leadout : 0;
        return MMC_S_OK;
    }
    if (m->nwa_valid) {
        m->total = (uint32_t)m->nwa + m->free_blocks;
        return MMC_S_OK;
    }
    int32_t hr = mmc_query_capacity(d, &cap);
    if (MMC_SUCCEEDED(hr))
        m->total = cap.last_lba >= 0 ? (uint32_t)cap.last_lba + 1 : 0;
    return hr;
}

static int32_t inspect_writable(struct mmc_device *d, struct mmc_data_media *m)
{
    struct mmc_disc_info di;
    int32_t hr = mmc_query_disc_info(d, &di);
    if (MMC_FAILED(hr))
        return hr;
    m->erasable = di.erasable;
    m->disc_status = di.disc_status;
    m->session_state = di.last_session_state;
    m->state = state_flags(m);
    /* A disc with a closed session may not answer for a next one: it then
     * has no next writable address, and nothing more can be written. */
    if (appendable(m) && MMC_FAILED(hr = read_invisible_track(d, m)) && di.disc_status == MMC_DISC_EMPTY)
        return hr;
    if (MMC_FAILED(hr = read_total(d, &di, m)))
        return hr;
    /* Appendable: the last session is complete, or (as DVD and BD drives
     * report it) the empty one after a complete one. */
    bool has_session = di.disc_status == MMC_DISC_COMPLETE ||
                       (di.disc_status == MMC_DISC_INCOMPLETE && (di.last_session_state == MMC_SESSION_COMPLETE ||
                                                                  di.last_session_state == MMC_SESSION_EMPTY));
    return has_session ? read_previous_session(d, &di, m) : MMC_S_OK;
}

/* IMAPI_MEDIA_WRITE_PROTECT_STATE from the write protection status
 * structure; a drive or medium without it protects nothing. */
static uint32_t read_write_protect(struct mmc_device *d)
{
    struct mmc_write_protection wp;
    if (MMC_FAILED(mmc_query_write_protection(d, &wp)))
        return 0;
    return (wp.swpp ? MMC_DATA_WP_UNTIL_POWERDOWN : 0) | (wp.cwp ? MMC_DATA_WP_BY_CARTRIDGE : 0) |
           (wp.mswi ? MMC_DATA_WP_BY_MEDIA_SPECIFIC_REASON : 0) | (wp.pwp ? MMC_DATA_WP_BY_SOFTWARE_WRITE_PROTECT : 0);
}

int32_t mmc_data_inspect(struct mmc_device *d, struct mmc_data_media *m)
{
    struct mmc_configuration cfg;
    memset(m, 0, sizeof(*m));
    m->previous_start = m->previous_last = -1;
    int32_t hr = mmc_query_configuration(d, MMC_RT_ONE, MMC_FEATURE_PROFILE_LIST, &cfg);
    if (MMC_FAILED(hr))
        return hr;
    if (cfg.current_profile == 0) { /* most likely no disc: let the drive say */
        hr = mmc_wait_ready(d);
        return MMC_FAILED(hr) ? hr : E_IMAPI_RECORDER_MEDIA_NO_MEDIA;
    }
    const struct data_profile *p = profile_of(cfg.current_profile);
    m->profile = cfg.current_profile;
    if (!p || !p->writable) {
        m->write_protect = p && p->rom ? MMC_DATA_WP_READ_ONLY_MEDIA : 0;
        m->state = MMC_DATA_STATE_UNSUPPORTED_MEDIA | (m->write_protect ? MMC_DATA_STATE_WRITE_PROTECTED : 0);
        return MMC_S_OK;
    }
    m->writable = true;
    m->cd = p->cd;
    m->write_protect = read_write_protect(d);
    hr = inspect_writable(d, m);
    if (m->write_protect)
        m->state |= MMC_DATA_STATE_WRITE_PROTECTED;
    return hr;
}

uint32_t mmc_data_free_sectors(const struct mmc_data_media *m, bool postgap_in_image)
{
    if (!m->writable || !appendable(m) || !m->nwa_valid)
        return 0;
    uint32_t overhead = m->cd ? MMC_DATA_CD_RUNOUT + (postgap_in_image ? 0 : MMC_DATA_CD_POSTGAP) : 0;
    return m->free_blocks > overhead ? m->free_blocks - overhead : 0;
}

int32_t mmc_data_next_writable(const struct mmc_data_media *m, int32_t *lba)
{
    *lba = 0;
    if (!m->writable || (appendable(m) && !m->nwa_valid))
        return E_IMAPI_DF2DATA_INVALID_MEDIA_STATE;
    if (appendable(m))
        *lba = m->nwa;
    else if (!(m->state & MMC_DATA_STATE_BLANK))
        return E_IMAPI_DF2DATA_INVALID_MEDIA_STATE;
    return MMC_S_OK;
}

/* ---- the writer ---- */

void mmc_data_options_default(struct mmc_data_options *o)
{
    memset(o, 0, sizeof(*o));
    o->bufe = true;
    o->write_speed_kbs = MMC_SPEED_MAX;
}

static void fill_option_defaults(struct mmc_data_options *o)
{
    if (!o->sectors_per_write)
        o->sectors_per_write = MMC_DATA_DEFAULT_CHUNK;
    if (!o->ring_bytes)
        o->ring_bytes = MMC_LOOP_DEFAULT_RING_BYTES;
    if (!o->progress_interval_ms)
        o->progress_interval_ms = MMC_LOOP_DEFAULT_PROGRESS_MS;
    if (!o->progress_bytes)
        o->progress_bytes = MMC_LOOP_DEFAULT_PROGRESS_BYTES;
}

void mmc_data_writer_init(struct mmc_data_writer *w, struct scsi_transport *t, const struct io_clock *clock)
{
    memset(w, 0, sizeof(*w));
    mmc_writer_device_init(&w->dev, &w->cancel, t, clock);
    mmc_data_options_default(&w->opt);
}

void mmc_data_cancel(struct mmc_data_writer *w)
{
    mmc_device_cancel(&w->dev);
}


/* Checksums of the stream, one per MMC_DATA_VERIFY_BLOCK sectors, taken as
 * the write loop reads it (so FULL needs no second pass over the stream). */
struct sums {
    const struct mmc_raw_stream *inner;
    uint32_t *sum;
    size_t count, cap;
    uint64_t pos;
    uint32_t h;
};

static void sums_feed(struct sums *s, const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        s->h = (s->h ^ b[i]) * FNV_PRIME;
        if (++s->pos % VERIFY_BLOCK_BYTES == 0 && s->count < s->cap) {
            s->sum[s->count++] = s->h;
            s->h = FNV_BASIS;
        }
    }
}

/* The last block of a stream that is not whole blocks. */
static void sums_end(struct sums *s)
{
    if (s->pos % VERIFY_BLOCK_BYTES && s->count < s->cap)
        s->sum[s->count++] = s->h;
}

static int32_t sums_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    struct sums *s = ctx;
    int32_t hr = s->inner->read(s->inner->ctx, buf, len, got);
    if (MMC_SUCCEEDED(hr) && *got <= len)
        sums_feed(s, buf, *got);
    return hr;
}

static uint32_t block_sum(const uint8_t *b, size_t n)
{
    uint32_t h = FNV_BASIS;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * FNV_PRIME;
    return h;
}

struct data_job {
    struct mmc_data_writer *w;
    mmc_data_progress_fn cb;
    void *cb_ctx;
    struct mmc_write_loop loop;
    struct mmc_raw_stream stream;   /* the caller's, or the checksumming one over it */
    struct sums sums;
    bool close_disc;
};

/* The loop's report as IDiscFormat2DataEventArgs sees it: the sector count
 * is the image's, the post-gap not counted. */
static bool relay(void *ctx, const struct mmc_write_progress *lp)
{
    struct data_job *j = ctx;
    struct mmc_data_progress p = { 0 };
    p.action = (enum mmc_data_action)lp->action;
    p.start_lba = lp->start_lba;
    p.sector_count = j->w->sectors;
    p.last_read_lba = lp->last_read_lba;
    p.last_written_lba = lp->last_written_lba;
    p.total_system_buffer = lp->total_system_buffer;
    p.used_system_buffer = lp->used_system_buffer;
    p.free_system_buffer = lp->free_system_buffer;
    p.elapsed_s = lp->elapsed_s;
    p.remaining_s = lp->remaining_s;
    return j->cb ? j->cb(j->cb_ctx, &p) : false;
}

static bool report(struct mmc_write_loop *l, int action)
{
    return mmc_loop_report(l, action);
}

/* A report between phases: a cancel it asks for stops the next phase. */
static void report_phase(struct data_job *j, enum mmc_data_action action)
{
    if (report(&j->loop, action))
        mmc_data_cancel(j->w);
}

static int32_t check_write(struct mmc_data_writer *w, const struct mmc_raw_stream *s)
{
    if (!s || !s->read)
        return MMC_E_POINTER;
    if (s->size == 0 || s->size % MMC_DATA_SECTOR_BYTES)
        return E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED;
    int32_t hr = mmc_data_inspect(&w->dev, &w->media);
    if (MMC_FAILED(hr))
        return hr;
    if (!w->media.writable)
        return E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED;
    if (w->media.write_protect)
        return E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED;
    if (!appendable(&w->media) || !w->media.nwa_valid)
        return E_IMAPI_DF2DATA_INVALID_MEDIA_STATE;
    if (s->size / MMC_DATA_SECTOR_BYTES > mmc_data_free_sectors(&w->media, w->opt.postgap_in_image))
        return E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA;
    return MMC_S_OK;
}

bool mmc_data_closes_disc(const struct mmc_data_media *m, const struct mmc_data_options *o, uint32_t sectors)
{
    const struct data_profile *p = profile_of(m->profile);
    uint32_t free = mmc_data_free_sectors(m, o->postgap_in_image);
    uint64_t left = free > sectors ? free - sectors : 0;
    if (p && p->closing == CLOSING_DVD_PLUS_R && !o->dvd_compat_disabled)
        return true; /* closed in compatible mode whatever ForceMediaToBeClosed says */
    return o->force_close || left * 100 <= (uint64_t)m->total * MMC_DATA_CLOSE_PERCENT;
}

/* The CLOSE TRACK/SESSION function that ends the session (and the disc). */
static enum mmc_close_function session_close_function(const struct mmc_data_media *m,
                                                      const struct mmc_data_options *o, bool close_disc)
{
    const struct data_profile *p = profile_of(m->profile);
    if (!close_disc || !p || p->closing == CLOSING_PAGE05)
        return MMC_CLOSE_SESSION;
    if (p->closing == CLOSING_DVD_PLUS_R && !o->dvd_compat_disabled)
        return MMC_CLOSE_FINALIZE_COMPATIBLE;
    return MMC_CLOSE_FINALIZE;
}

/* Page 05 for a data track: TAO on CD, incremental with variable packets
 * on DVD-R; Mode 1 blocks, CD-ROM session format, the multi-session field
 * CLOSE SESSION will use; the drive's other bytes stay. */
static int32_t select_write_page(struct data_job *j, uint8_t write_type)
{
    struct mmc_mode_page page;
    struct mmc_write_params wp;
    struct mmc_device *d = &j->w->dev;
    int32_t hr = mmc_query_mode_page(d, MMC_PC_CURRENT, MMC_PAGE_WRITE_PARAMETERS, &page);
    if (MMC_SUCCEEDED(hr))
        hr = mmc_parse_write_params(page.data, page.len, &wp);
    if (MMC_FAILED(hr))
        return hr;
    wp.write_type = write_type;
    wp.data_block_type = BLOCK_TYPE_MODE1;
    wp.track_mode = TRACK_MODE_DATA;
    wp.session_format = SESSION_FORMAT_CDROM;
    wp.bufe = j->w->opt.bufe;
    wp.test_write = false;
    wp.multi_session = j->close_disc ? 0 : MULTISESSION_NEXT_ALLOWED;
    wp.ls_v = false;
    wp.fixed_packet = false;
    if (MMC_FAILED(hr = mmc_apply_write_params(page.data, page.len, &wp)))
        return hr;
    return mmc_select_mode_page(d, &page);
}


/* After a cancel or a failure: flush, and fix what was written as a track,
 * with the cancel flag set aside so that these commands still go out. */
static void close_after_stop(struct data_job *j)
{
    struct mmc_device *d = &j->w->dev;
    mmc_flush_after_stop(d);
    if (!j->loop.written)
        return;
    atomic_bool *cancel = d->cancel;
    d->cancel = NULL;
    mmc_close_track_session(d, MMC_CLOSE_TRACK, j->w->media.next_track);
    d->cancel = cancel;
}

static void finalize(struct data_job *j)
{
    struct mmc_write_loop *l = &j->loop;
    struct mmc_device *d = &j->w->dev;
    report(l, MMC_DATA_ACTION_FINALIZATION); /* too late to cancel */
    mmc_loop_fail(l, mmc_synchronize_cache(d));
    if (mmc_loop_healthy(l))
        mmc_loop_fail(l, mmc_close_track_session(d, MMC_CLOSE_TRACK, j->w->media.next_track));
    if (mmc_loop_healthy(l))
        mmc_loop_fail(l, mmc_close_track_session(d, session_close_function(&j->w->media, &j->w->opt, j->close_disc),
                                                 0));
    j->w->closed_disc = mmc_loop_healthy(l) && j->close_disc;
}

/* Reads back checksum block b of the track and compares it. */
static bool block_matches(struct data_job *j, size_t b, uint8_t *buf)
{
    uint32_t first = (uint32_t)b * MMC_DATA_VERIFY_BLOCK;
    uint32_t n = j->w->sectors - first < MMC_DATA_VERIFY_BLOCK ? j->w->sectors - first : MMC_DATA_VERIFY_BLOCK;
    struct scsi_request r;
    mmc_build_read10(&r, j->loop.start_lba + (int32_t)first, (uint16_t)n, buf, n * MMC_DATA_SECTOR_BYTES);
    if (MMC_FAILED(mmc_run(&j->w->dev, &r)))
        return false;
    j->w->verified_blocks++;
    return block_sum(buf, (size_t)n * MMC_DATA_SECTOR_BYTES) == j->sums.sum[b];
}

/* IMAPI_BURN_VERIFICATION_LEVEL: QUICK reads the disc and track
 * information and the first, middle and last checksum blocks; FULL reads
 * every block of the track. */
static int32_t verify(struct data_job *j)
{
    struct mmc_disc_info di;
    struct mmc_track_info ti;
    struct mmc_device *d = &j->w->dev;
    size_t n = j->sums.count;
    if (MMC_FAILED(mmc_query_disc_info(d, &di)) || di.disc_status == MMC_DISC_EMPTY ||
        MMC_FAILED(mmc_query_track_info(d, MMC_TRACK_BY_LBA, (uint32_t)j->loop.start_lba, &ti)) ||
        ti.start != j->loop.start_lba || n == 0)
        return E_IMAPI_BURN_VERIFICATION_FAILED;
    uint8_t *buf = malloc(VERIFY_BLOCK_BYTES);
    if (!buf)
        return MMC_E_OUTOFMEMORY;
    const size_t quick[3] = { 0, n / 2, n - 1 };
    bool good = true;
    size_t count = j->w->opt.verify == MMC_DATA_VERIFY_FULL ? n : 3;
    for (size_t i = 0; i < count && good; i++)
        good = block_matches(j, count == n ? i : quick[i], buf);
    free(buf);
    return good ? MMC_S_OK : E_IMAPI_BURN_VERIFICATION_FAILED;
}

static bool setup_loop(struct data_job *j, const struct mmc_raw_stream *s)
{
    struct mmc_data_writer *w = j->w;
    struct mmc_write_loop *l = &j->loop;
    j->stream = *s;
    if (w->opt.verify != MMC_DATA_VERIFY_NONE) {
        j->sums.cap = (size_t)((s->size + VERIFY_BLOCK_BYTES - 1) / VERIFY_BLOCK_BYTES);
        j->sums.sum = calloc(j->sums.cap, sizeof(uint32_t));
        if (!j->sums.sum)
            return false;
        j->sums.inner = s;
        j->sums.h = FNV_BASIS;
        j->stream = (struct mmc_raw_stream){ sums_read, NULL, &j->sums, s->size };
    }
    w->sectors = (uint32_t)(s->size / MMC_DATA_SECTOR_BYTES);
    w->start_lba = w->media.nwa;
    l->dev = &w->dev;
    l->s = &j->stream;
    l->start_lba = w->media.nwa;
    l->total = w->sectors + (w->media.cd && !w->opt.postgap_in_image ? MMC_DATA_CD_POSTGAP : 0);
    l->stream_bytes = s->size;
    l->short_stream_hr = E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED;
    l->progress = relay;
    l->progress_ctx = j;
    struct mmc_loop_options lo = {
        .bufe = w->opt.bufe,
        .write_speed_kbs = w->opt.write_speed_kbs,
        .sectors_per_write = w->opt.sectors_per_write,
        .ring_bytes = w->opt.ring_bytes,
        .progress_interval_ms = w->opt.progress_interval_ms,
        .progress_bytes = w->opt.progress_bytes,
    };
    return mmc_loop_open(l, MMC_DATA_SECTOR_BYTES, &lo);
}

static void write_and_close(struct data_job *j)
{
    struct mmc_write_loop *l = &j->loop;
    struct mmc_data_writer *w = j->w;
    if (!mmc_loop_cancelled(l)) {
        report_phase(j, MMC_DATA_ACTION_INITIALIZING);
        const struct data_profile *p = profile_of(w->media.profile);
        if (p && p->write_type != NO_PAGE05)
            mmc_loop_fail(l, select_write_page(j, p->write_type));
        mmc_writer_set_speed(&w->dev, w->opt.write_speed_kbs, &w->write_speed_kbs);
    }
    if (mmc_loop_healthy(l) && !mmc_loop_cancelled(l))
        report_phase(j, MMC_DATA_ACTION_CALIBRATING); /* the drive calibrates at the first WRITE */
    mmc_loop_run(l, MMC_DATA_ACTION_WRITING);
    /* After the last WRITE, whatever the timer says. */
    if (mmc_loop_healthy(l) && !mmc_loop_cancelled(l) && l->written == l->total)
        report(l, MMC_DATA_ACTION_WRITING);
    if (mmc_loop_cancelled(l))
        mmc_loop_fail(l, E_IMAPI_REQUEST_CANCELLED);
    if (!mmc_loop_healthy(l)) {
        close_after_stop(j);
        return;
    }
    finalize(j);
    if (mmc_loop_healthy(l) && w->opt.verify != MMC_DATA_VERIFY_NONE) {
        sums_end(&j->sums);
        report(l, MMC_DATA_ACTION_VERIFYING);
        mmc_loop_fail(l, verify(j));
    }
    if (mmc_loop_healthy(l))
        report(l, MMC_DATA_ACTION_COMPLETED);
}

int32_t mmc_data_write(struct mmc_data_writer *w, const struct mmc_data_options *o, const struct mmc_raw_stream *s,
                       mmc_data_progress_fn progress, void *ctx)
{
    struct data_job j = { .w = w, .cb = progress, .cb_ctx = ctx };
    mmc_device_clear_cancel(&w->dev);
    w->opt = *o;
    fill_option_defaults(&w->opt);
    w->hr = MMC_S_OK;
    w->writes_issued = 0;
    w->progress_reports = 0;
    w->verified_blocks = 0;
    w->closed_disc = false;
    w->sectors = 0;
    if (progress) { /* VALIDATING_MEDIA comes first, before the medium is read */
        struct mmc_data_progress p = { .action = MMC_DATA_ACTION_VALIDATING };
        if (progress(ctx, &p))
            mmc_data_cancel(w);
    }
    int32_t hr = mmc_device_cancelled(&w->dev) ? E_IMAPI_REQUEST_CANCELLED : check_write(w, s);
    if (MMC_FAILED(hr)) {
        mmc_device_clear_cancel(&w->dev);
        return w->hr = hr;
    }
    j.close_disc = mmc_data_closes_disc(&w->media, &w->opt, (uint32_t)(s->size / MMC_DATA_SECTOR_BYTES));
    if (!setup_loop(&j, s)) {
        mmc_loop_close(&j.loop);
        free(j.sums.sum);
        mmc_device_clear_cancel(&w->dev);
        return w->hr = MMC_E_OUTOFMEMORY;
    }
    write_and_close(&j);
    w->hr = j.loop.hr;
    w->writes_issued = atomic_load(&j.loop.writes_issued);
    w->progress_reports = j.loop.reports;
    mmc_loop_close(&j.loop);
    free(j.sums.sum);
    mmc_device_clear_cancel(&w->dev);
    return w->hr;
}
