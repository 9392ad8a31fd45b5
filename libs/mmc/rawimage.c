/* Raw DAO image model and on-demand generator; the layout is described in
 * rawimage.h. Each sector is built from its LBA alone: where it sits (lead-in,
 * a track's index, lead-out) decides the Q frame and P flag, and which source
 * (if any) supplies its main channel. */
#include "mmc/rawimage.h"

#include <stdlib.h>
#include <string.h>

#include "mmc/cdtext.h"
#include "mmc/msf.h"
#include "mmc/rawwrite.h"
#include "mmc/sector.h"
#include "mmc/subcode.h"

/* ---- sector types ---- */

enum family { FAM_AUDIO, FAM_MODE1, FAM_MODE2 };

struct kind_info {
    uint16_t user_size;      /* bytes a sector in the source */
    uint16_t src_offset;     /* where the source bytes go in the 2352 */
    enum cd_sector_form form;/* how sectors of this track (and its fill) are encoded */
    bool raw;                /* source sectors are complete, scrambled: passed through */
    enum family family;
    bool xa;                 /* makes the disc CD-ROM XA (A0 disc type 20) */
    uint8_t submode;         /* subheader written for generated Form 1 sectors / fill, 0: none */
};

static const struct kind_info kinds[RAWIMAGE_SECTOR_TYPE_COUNT] = {
    [RAWIMAGE_AUDIO] = { CD_SECTOR_SIZE, 0, CD_FORM_AUDIO, false, FAM_AUDIO, false, 0 },
    [RAWIMAGE_MODE_ZERO] = { CD_MODE2_USER_BYTES, 16, CD_FORM_MODE0, false, FAM_MODE1, false, 0 },
    [RAWIMAGE_MODE1] = { CD_MODE1_USER_BYTES, 16, CD_FORM_MODE1, false, FAM_MODE1, false, 0 },
    [RAWIMAGE_MODE2FORM0] = { CD_MODE2_USER_BYTES, 16, CD_FORM_MODE2, false, FAM_MODE2, false, 0 },
    [RAWIMAGE_MODE2FORM1] = { CD_MODE1_USER_BYTES, 24, CD_FORM_XA_FORM1, false, FAM_MODE2, true, CD_SUBMODE_DATA },
    [RAWIMAGE_MODE2FORM2] = { CD_MODE2_USER_BYTES, 16, CD_FORM_XA_FORM2, false, FAM_MODE2, true, CD_SUBMODE_FORM2 },
    [RAWIMAGE_MODE1RAW] = { CD_SECTOR_SIZE, 0, CD_FORM_MODE1, true, FAM_MODE1, false, 0 },
    [RAWIMAGE_MODE2FORM0RAW] = { CD_SECTOR_SIZE, 0, CD_FORM_MODE2, true, FAM_MODE2, false, 0 },
    [RAWIMAGE_MODE2FORM1RAW] = { CD_SECTOR_SIZE, 0, CD_FORM_XA_FORM1, true, FAM_MODE2, true, CD_SUBMODE_DATA },
    [RAWIMAGE_MODE2FORM2RAW] = { CD_SECTOR_SIZE, 0, CD_FORM_XA_FORM2, true, FAM_MODE2, true, CD_SUBMODE_FORM2 },
};

static const struct kind_info *kind_of(int type)
{
    return type >= 0 && type < RAWIMAGE_SECTOR_TYPE_COUNT ? &kinds[type] : NULL;
}

size_t rawimage_user_sector_size(int type)
{
    const struct kind_info *k = kind_of(type);
    return k ? k->user_size : 0;
}

/* ---- the model ---- */

struct track {
    int type;
    struct rawimage_source src;
    int32_t sectors;
    int copy;
    bool preemphasis;
    char isrc[13];
    int index_count;
    int32_t index[1 + RAWIMAGE_MAX_EXTRA_INDEXES]; /* ascending offsets, [0] = 0 */
    /* layout, recomputed on every change */
    int32_t pregap_lba, start_lba;
};

#define LEADIN_ENTRIES (RAWIMAGE_MAX_TRACKS + 3)

struct leadin_entry {
    uint8_t control, point, p[3]; /* POINT (A0-A2 as codes), PMIN PSEC PFRAME: binary */
};

struct rawimage {
    struct track track[RAWIMAGE_MAX_TRACKS];
    int count;
    struct rawimage_source pregap, rw;
    struct cdtext *cdtext;        /* NULL: no CD-Text */
    uint8_t *cdtext_packs;        /* encoded by rawimage_finalize */
    size_t cdtext_count;
    int32_t pregap_sectors;       /* 0: no special pregap */
    int image_type;
    int32_t limit;                /* 0: none beyond CD_MAX_LEADOUT_LBA */
    bool disable_gapless;
    char mcn[14];
    int first_number;
    bool final;
    int32_t leadout;
    struct leadin_entry entries[LEADIN_ENTRIES];
    int entry_count;
    /* one-sector cache of rawimage_read */
    bool cached;
    int32_t cached_lba;
    uint8_t cache[CD_SECTOR_RAW_PW];
};

static void release_source(struct rawimage_source *s)
{
    if (s->release)
        s->release(s->ctx);
    memset(s, 0, sizeof(*s));
}

/* Every failing call that was handed a source still owns it: release it. */
static int32_t refuse_source(const struct rawimage_source *src, int32_t hr)
{
    if (src && src->release)
        src->release(src->ctx);
    return hr;
}

int32_t rawimage_create(struct rawimage **out)
{
    if (!out)
        return IMAPI2_E_INVALIDARG;
    struct rawimage *img = calloc(1, sizeof(*img));
    *out = img;
    if (!img)
        return IMAPI2_E_OUTOFMEMORY;
    img->image_type = CD_RAW_RAW;
    img->first_number = 1;
    return IMAPI2_S_OK;
}

void rawimage_free(struct rawimage *img)
{
    if (!img)
        return;
    for (int i = 0; i < img->count; i++)
        release_source(&img->track[i].src);
    release_source(&img->pregap);
    release_source(&img->rw);
    cdtext_free(img->cdtext);
    free(img->cdtext_packs);
    free(img);
}

/* ---- layout ---- */

static bool gapless_between(const struct rawimage *img, const struct track *prev, const struct track *t)
{
    return img->disable_gapless && prev->type == RAWIMAGE_AUDIO && t->type == RAWIMAGE_AUDIO;
}

static int32_t track1_start(const struct rawimage *img)
{
    return img->pregap_sectors ? img->pregap_sectors - CD_PREGAP_SECTORS : 0;
}

static void compute_layout(struct rawimage *img)
{
    int32_t end = track1_start(img);
    for (int i = 0; i < img->count; i++) {
        struct track *t = &img->track[i];
        if (i == 0) {
            t->pregap_lba = -CD_PREGAP_SECTORS;
            t->start_lba = track1_start(img);
        } else if (gapless_between(img, &img->track[i - 1], t)) {
            t->start_lba = end;
            t->pregap_lba = end - CD_PREGAP_SECTORS;
        } else {
            t->pregap_lba = end;
            t->start_lba = end + CD_PREGAP_SECTORS;
        }
        end = t->start_lba + t->sectors;
    }
    img->leadout = end;
}

static int32_t effective_limit(const struct rawimage *img)
{
    return img->limit ? img->limit : CD_MAX_LEADOUT_LBA;
}

static bool fits(const struct rawimage *img)
{
    return img->leadout <= effective_limit(img);
}

int32_t rawimage_leadout_lba(const struct rawimage *img)
{
    return img->leadout;
}

int32_t rawimage_last_used_sector(const struct rawimage *img)
{
    return img->leadout - 1;
}

int64_t rawimage_total_sectors(const struct rawimage *img)
{
    return (int64_t)img->leadout + CD_FIRST_LEADOUT_SECTORS - CD_RAW_IMAGE_START_LBA;
}

size_t rawimage_sector_size(const struct rawimage *img)
{
    return cd_raw_sector_size(img->image_type);
}

uint64_t rawimage_total_bytes(const struct rawimage *img)
{
    return (uint64_t)rawimage_total_sectors(img) * rawimage_sector_size(img);
}

static uint8_t track_control(const struct track *t)
{
    if (t->type != RAWIMAGE_AUDIO)
        return 0x04;
    return (uint8_t)((t->copy == RAWIMAGE_COPY_PERMITTED ? 0x02 : 0) | (t->preemphasis ? 0x01 : 0));
}

uint8_t rawimage_disc_type(const struct rawimage *img)
{
    for (int i = 0; i < img->count; i++)
        if (kinds[img->track[i].type].xa)
            return 0x20;
    return 0x00;
}

int rawimage_toc(const struct rawimage *img, struct rawimage_toc_entry *out, int max)
{
    if (img->count == 0)
        return 0;
    int n = img->count + 1;
    for (int i = 0; i < n && i < max; i++) {
        const struct track *t = &img->track[i < img->count ? i : img->count - 1];
        out[i].point = (uint8_t)(i < img->count ? img->first_number + i : 0xAA);
        out[i].control = track_control(t);
        out[i].adr = 1;
        out[i].lba = i < img->count ? t->start_lba : img->leadout;
    }
    return n;
}

size_t rawimage_toc_format0(const struct rawimage *img, uint8_t *buf, size_t len)
{
    struct rawimage_toc_entry toc[RAWIMAGE_MAX_TRACKS + 1];
    int n = rawimage_toc(img, toc, RAWIMAGE_MAX_TRACKS + 1);
    return mmc_toc_format0_encode(toc, n, buf, len);
}

size_t mmc_toc_format0_encode(const struct rawimage_toc_entry *toc, int n, uint8_t *buf, size_t len)
{
    uint8_t out[4 + 8 * (RAWIMAGE_MAX_TRACKS + 1)] = { 0 };
    if (n < 0 || n > RAWIMAGE_MAX_TRACKS + 1)
        return 0;
    size_t total = n ? 4 + 8 * (size_t)n : 0;
    if (n) {
        out[0] = (uint8_t)((total - 2) >> 8);
        out[1] = (uint8_t)(total - 2);
        out[2] = toc[0].point;
        out[3] = toc[n - 2].point;
    }
    for (int i = 0; i < n; i++) {
        uint8_t *d = out + 4 + 8 * i;
        uint32_t lba = (uint32_t)toc[i].lba;
        d[1] = (uint8_t)(toc[i].adr << 4 | toc[i].control);
        d[2] = toc[i].point;
        d[4] = (uint8_t)(lba >> 24), d[5] = (uint8_t)(lba >> 16), d[6] = (uint8_t)(lba >> 8), d[7] = (uint8_t)lba;
    }
    if (buf && len)
        memcpy(buf, out, total < len ? total : len);
    return total;
}

static void msf_of(int32_t lba, uint8_t out[3])
{
    struct cd_msf m = cd_lba_to_msf(lba);
    out[0] = m.m, out[1] = m.s, out[2] = m.f;
}

/* The TOC as the lead-in carries it, in the order it cycles. SCMS tracks
 * show the copy bit clear here; the program area alternates it. */
static void build_leadin(struct rawimage *img)
{
    const struct track *first = &img->track[0], *last = &img->track[img->count - 1];
    struct leadin_entry *e = img->entries;
    int last_number = img->first_number + img->count - 1;
    e[0] = (struct leadin_entry){ track_control(first), 0xA0, { (uint8_t)img->first_number,
                                                                cd_from_bcd(rawimage_disc_type(img)), 0 } };
    e[1] = (struct leadin_entry){ track_control(last), 0xA1, { (uint8_t)last_number, 0, 0 } };
    e[2] = (struct leadin_entry){ track_control(last), 0xA2, { 0, 0, 0 } };
    msf_of(img->leadout, e[2].p);
    for (int i = 0; i < img->count; i++) {
        struct leadin_entry *x = &e[3 + i];
        x->control = track_control(&img->track[i]);
        x->point = (uint8_t)(img->first_number + i);
        msf_of(img->track[i].start_lba, x->p);
    }
    img->entry_count = 3 + img->count;
}

/* ---- settings ---- */

int rawimage_image_type(const struct rawimage *img)
{
    return img->image_type;
}

int32_t rawimage_set_image_type(struct rawimage *img, int type)
{
    if (img->final)
        return E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    if (!cd_raw_sector_size(type) || (type == CD_RAW_PQ && img->cdtext))
        return IMAPI2_E_INVALIDARG;
    img->image_type = type;
    return IMAPI2_S_OK;
}

int32_t rawimage_leadout_limit(const struct rawimage *img)
{
    return img->limit;
}

int32_t rawimage_set_leadout_limit(struct rawimage *img, int32_t lba)
{
    if (img->final)
        return E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    if (lba < 0 || lba > CD_MAX_LEADOUT_LBA)
        return IMAPI2_E_INVALIDARG;
    int32_t old = img->limit;
    img->limit = lba;
    if (img->count && !fits(img)) {
        img->limit = old;
        return E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE;
    }
    return IMAPI2_S_OK;
}

bool rawimage_disable_gapless_audio(const struct rawimage *img)
{
    return img->disable_gapless;
}

int32_t rawimage_set_disable_gapless_audio(struct rawimage *img, bool value)
{
    if (img->final)
        return E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    bool old = img->disable_gapless;
    img->disable_gapless = value;
    compute_layout(img);
    if (!fits(img)) {
        img->disable_gapless = old;
        compute_layout(img);
        return E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE;
    }
    return IMAPI2_S_OK;
}

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool upper_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

const char *rawimage_mcn(const struct rawimage *img)
{
    return img->mcn;
}

int32_t rawimage_set_mcn(struct rawimage *img, const char *mcn)
{
    if (img->final)
        return E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    if (!mcn)
        mcn = "";
    size_t n = strlen(mcn);
    if (n != 0 && (n != 13 || !all_digits(mcn, 13)))
        return IMAPI2_E_INVALIDARG;
    memcpy(img->mcn, mcn, n + 1);
    return IMAPI2_S_OK;
}

int rawimage_starting_track(const struct rawimage *img)
{
    return img->first_number;
}

int32_t rawimage_set_starting_track(struct rawimage *img, int number)
{
    if (img->final)
        return E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    if (img->count)
        return E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED;
    if (number < 1 || number > RAWIMAGE_MAX_TRACKS)
        return IMAPI2_E_INVALIDARG;
    img->first_number = number;
    return IMAPI2_S_OK;
}

int rawimage_track_count(const struct rawimage *img)
{
    return img->count;
}

/* ---- tracks and sources ---- */

/* Sectors of a source, or -1 when its size is not a whole number of them.
 * Anything longer than a disc is clamped so the layout stays in range. */
static int32_t source_sectors(const struct rawimage_source *src, size_t user_size)
{
    if (!src || !src->read || src->size % user_size)
        return -1;
    uint64_t n = src->size / user_size;
    return n > (uint64_t)CD_MAX_LEADOUT_LBA + 1 ? CD_MAX_LEADOUT_LBA + 1 : (int32_t)n;
}

/* Mode 1 and Mode 2 data cannot share a disc; a starting track number other
 * than 1 and a special pregap are for audio discs. */
static bool compatible(const struct rawimage *img, const struct kind_info *k)
{
    if (k->family != FAM_AUDIO && (img->first_number != 1 || (img->count == 0 && img->pregap_sectors)))
        return false;
    for (int i = 0; i < img->count; i++) {
        enum family f = kinds[img->track[i].type].family;
        if (f != FAM_AUDIO && k->family != FAM_AUDIO && f != k->family)
            return false;
    }
    return true;
}

int32_t rawimage_add_track(struct rawimage *img, int type, const struct rawimage_source *src, int *track_index)
{
    const struct kind_info *k = kind_of(type);
    if (img->final)
        return refuse_source(src, E_IMAPI_RAW_IMAGE_IS_READ_ONLY);
    int32_t sectors = k ? source_sectors(src, k->user_size) : -1;
    if (sectors < CD_MIN_TRACK_SECTORS)
        return refuse_source(src, IMAPI2_E_INVALIDARG);
    if (img->count >= RAWIMAGE_MAX_TRACKS || img->first_number + img->count > RAWIMAGE_MAX_TRACKS)
        return refuse_source(src, E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS);
    if (!compatible(img, k))
        return refuse_source(src, E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED);
    struct track *t = &img->track[img->count];
    memset(t, 0, sizeof(*t));
    t->type = type;
    t->src = *src;
    t->sectors = sectors;
    t->copy = RAWIMAGE_COPY_PERMITTED;
    t->index_count = 1;
    img->count++;
    compute_layout(img);
    if (!fits(img)) {
        img->count--;
        compute_layout(img);
        return refuse_source(src, E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE);
    }
    if (track_index)
        *track_index = img->count;
    return IMAPI2_S_OK;
}

int32_t rawimage_add_special_pregap(struct rawimage *img, const struct rawimage_source *src)
{
    if (img->final)
        return refuse_source(src, E_IMAPI_RAW_IMAGE_IS_READ_ONLY);
    if (img->count)
        return refuse_source(src, E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED);
    int32_t sectors = source_sectors(src, CD_SECTOR_SIZE);
    if (sectors < CD_PREGAP_SECTORS)
        return refuse_source(src, IMAPI2_E_INVALIDARG);
    int32_t old_sectors = img->pregap_sectors;
    img->pregap_sectors = sectors;
    compute_layout(img);
    if (!fits(img)) {
        img->pregap_sectors = old_sectors;
        compute_layout(img);
        return refuse_source(src, E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE);
    }
    release_source(&img->pregap);
    img->pregap = *src;
    return IMAPI2_S_OK;
}

int32_t rawimage_add_subcode_rw(struct rawimage *img, const struct rawimage_source *src)
{
    if (img->final)
        return refuse_source(src, E_IMAPI_RAW_IMAGE_IS_READ_ONLY);
    if (!src || !src->read || img->cdtext)
        return refuse_source(src, IMAPI2_E_INVALIDARG); /* CD-Text holds the lead-in R-W */
    release_source(&img->rw);
    img->rw = *src;
    return IMAPI2_S_OK;
}

int32_t rawimage_set_cdtext(struct rawimage *img, struct cdtext *text)
{
    int32_t hr = IMAPI2_S_OK;
    if (text && cdtext_is_empty(text)) {
        cdtext_free(text); /* no texts: no claim on the R-W */
        text = NULL;
    }
    if (img->final)
        hr = E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    else if (text && (img->rw.read || img->image_type == CD_RAW_PQ))
        hr = IMAPI2_E_INVALIDARG;
    if (hr < 0) {
        cdtext_free(text);
        return hr;
    }
    cdtext_free(img->cdtext);
    img->cdtext = text;
    return IMAPI2_S_OK;
}

bool rawimage_has_cdtext(const struct rawimage *img)
{
    return img->cdtext != NULL;
}

static int encode_cdtext(const struct rawimage *img, uint8_t *packs, size_t *count)
{
    int last = img->first_number + img->count - 1;
    if (img->count == 0)
        last = img->first_number; /* no track yet: album texts can still be checked */
    return cdtext_encode(img->cdtext, img->first_number, last, false, packs, CDTEXT_BLOCK_PACKS, count);
}

int rawimage_check_cdtext(const struct rawimage *img)
{
    uint8_t packs[CDTEXT_BLOCK_PACKS * CDTEXT_PACK_SIZE];
    size_t count;
    return img->cdtext ? encode_cdtext(img, packs, &count) : CDTEXT_OK;
}

const uint8_t *rawimage_cdtext_packs(const struct rawimage *img, size_t *count)
{
    *count = img->cdtext_count;
    return img->cdtext_count ? img->cdtext_packs : NULL;
}

/* Packs for the lead-in, made once the track numbers are final. */
static int32_t prepare_cdtext(struct rawimage *img)
{
    if (!img->cdtext)
        return IMAPI2_S_OK;
    uint8_t *packs = malloc(CDTEXT_BLOCK_PACKS * CDTEXT_PACK_SIZE);
    size_t count = 0;
    if (!packs)
        return IMAPI2_E_OUTOFMEMORY;
    if (encode_cdtext(img, packs, &count) != CDTEXT_OK) {
        free(packs);
        return IMAPI2_E_INVALIDARG;
    }
    free(img->cdtext_packs);
    img->cdtext_packs = packs;
    img->cdtext_count = count;
    return IMAPI2_S_OK;
}

int32_t rawimage_finalize(struct rawimage *img)
{
    if (img->final)
        return IMAPI2_S_OK;
    if (img->count == 0)
        return E_IMAPI_RAW_IMAGE_NO_TRACKS;
    if (img->rw.read && img->rw.size != (uint64_t)rawimage_total_sectors(img) * CD_SUBCODE_RAW)
        return IMAPI2_E_INVALIDARG;
    int32_t hr = prepare_cdtext(img);
    if (hr < 0)
        return hr;
    build_leadin(img);
    img->final = true;
    img->cached = false;
    return IMAPI2_S_OK;
}

bool rawimage_is_final(const struct rawimage *img)
{
    return img->final;
}

/* ---- track info ---- */

static bool valid_track(const struct rawimage *img, int index)
{
    return index >= 1 && index <= img->count;
}

int32_t rawimage_track_info(const struct rawimage *img, int index, struct rawimage_track_info *out)
{
    if (!valid_track(img, index) || !out)
        return IMAPI2_E_INVALIDARG;
    const struct track *t = &img->track[index - 1];
    memset(out, 0, sizeof(*out));
    out->number = img->first_number + index - 1;
    out->type = t->type;
    out->pregap_lba = t->pregap_lba;
    out->start_lba = t->start_lba;
    out->sector_count = t->sectors;
    out->control = track_control(t);
    out->copy = t->copy;
    out->preemphasis = t->preemphasis;
    memcpy(out->isrc, t->isrc, sizeof(out->isrc));
    out->index_count = t->index_count;
    memcpy(out->index_offsets, t->index, sizeof(t->index[0]) * (size_t)t->index_count);
    return IMAPI2_S_OK;
}

/* Common start of every track setter: the track, or an error. */
static int32_t writable_track(struct rawimage *img, int index, struct track **t)
{
    if (img->final)
        return E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    if (!valid_track(img, index))
        return IMAPI2_E_INVALIDARG;
    *t = &img->track[index - 1];
    return IMAPI2_S_OK;
}

static bool valid_isrc(const char *s)
{
    if (strlen(s) != 12)
        return false;
    for (int i = 0; i < 5; i++)
        if (!upper_alnum(s[i]))
            return false;
    return all_digits(s + 5, 7);
}

int32_t rawimage_set_isrc(struct rawimage *img, int index, const char *isrc)
{
    struct track *t;
    int32_t hr = writable_track(img, index, &t);
    if (hr < 0)
        return hr;
    if (!isrc)
        isrc = "";
    if (*isrc && !valid_isrc(isrc))
        return IMAPI2_E_INVALIDARG;
    memcpy(t->isrc, isrc, strlen(isrc) + 1);
    return IMAPI2_S_OK;
}

int32_t rawimage_set_copy(struct rawimage *img, int index, int copy)
{
    struct track *t;
    int32_t hr = writable_track(img, index, &t);
    if (hr < 0)
        return hr;
    if (copy < RAWIMAGE_COPY_PERMITTED || copy > RAWIMAGE_COPY_SCMS)
        return IMAPI2_E_INVALIDARG;
    t->copy = copy;
    return IMAPI2_S_OK;
}

int32_t rawimage_set_preemphasis(struct rawimage *img, int index, bool value)
{
    struct track *t;
    int32_t hr = writable_track(img, index, &t);
    if (hr < 0)
        return hr;
    t->preemphasis = value;
    return IMAPI2_S_OK;
}

static int find_index(const struct track *t, int32_t offset)
{
    for (int i = 0; i < t->index_count; i++)
        if (t->index[i] == offset)
            return i;
    return -1;
}

static bool too_close(const struct track *t, int32_t offset)
{
    if (t->sectors - offset < RAWIMAGE_MIN_INDEX_SPACING)
        return true;
    for (int i = 0; i < t->index_count; i++) {
        int32_t d = t->index[i] - offset;
        if (d > -RAWIMAGE_MIN_INDEX_SPACING && d < RAWIMAGE_MIN_INDEX_SPACING)
            return true;
    }
    return false;
}

int32_t rawimage_add_index(struct rawimage *img, int index, int32_t lba_offset)
{
    struct track *t;
    int32_t hr = writable_track(img, index, &t);
    if (hr < 0)
        return hr;
    if (lba_offset < 0 || lba_offset >= t->sectors)
        return IMAPI2_E_INVALIDARG;
    if (find_index(t, lba_offset) >= 0)
        return S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS;
    if (t->index_count > RAWIMAGE_MAX_EXTRA_INDEXES)
        return E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES;
    if (too_close(t, lba_offset))
        return E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX;
    int at = t->index_count;
    while (at > 0 && t->index[at - 1] > lba_offset) {
        t->index[at] = t->index[at - 1];
        at--;
    }
    t->index[at] = lba_offset;
    t->index_count++;
    return IMAPI2_S_OK;
}

int32_t rawimage_clear_index(struct rawimage *img, int index, int32_t lba_offset)
{
    struct track *t;
    int32_t hr = writable_track(img, index, &t);
    if (hr < 0)
        return hr;
    if (lba_offset == 0)
        return E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED;
    int at = find_index(t, lba_offset);
    if (at < 0)
        return E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND;
    memmove(&t->index[at], &t->index[at + 1], sizeof(t->index[0]) * (size_t)(t->index_count - at - 1));
    t->index_count--;
    return IMAPI2_S_OK;
}

/* ---- where a sector is ---- */

enum area { AREA_LEADIN, AREA_PROGRAM, AREA_LEADOUT };

struct position {
    enum area area;
    const struct track *t;  /* program area: the track Q names */
    int number;             /* its track number */
    int index;              /* 0 in a pregap */
    int32_t rel;            /* relative frames (counting down in index 0) */
};

static struct position locate(const struct rawimage *img, int32_t lba)
{
    struct position p = { AREA_LEADIN, NULL, 0, 0, 0 };
    if (lba < -CD_PREGAP_SECTORS)
        return p;
    if (lba >= img->leadout) {
        p.area = AREA_LEADOUT;
        p.rel = lba - img->leadout;
        return p;
    }
    int i = img->count - 1;
    while (i > 0 && img->track[i].pregap_lba > lba)
        i--;
    const struct track *t = &img->track[i];
    p.area = AREA_PROGRAM;
    p.t = t;
    p.number = img->first_number + i;
    if (lba < t->start_lba) {
        p.rel = t->start_lba - lba;
        return p;
    }
    p.rel = lba - t->start_lba;
    p.index = 1;
    while (p.index < t->index_count && t->index[p.index] <= p.rel)
        p.index++;
    return p;
}

/* ---- Q and P (encoded by subcode.c) ---- */

static struct cd_subq q_leadin(const struct rawimage *img, int32_t lba)
{
    const struct leadin_entry *e = &img->entries[(lba - CD_RAW_IMAGE_START_LBA) / 3 % img->entry_count];
    return cd_subq_toc(e->control, e->point, e->p[0], e->p[1], e->p[2], lba);
}

/* The Q mode 2/3 placement (cd_q_adr_at) sees the image through this. */
static struct cd_q_place q_place(const void *ctx, int32_t lba)
{
    const struct rawimage *img = ctx;
    struct position p = locate(img, lba);
    struct cd_q_place out = { p.area == AREA_PROGRAM, 0, 0, false };
    if (out.program) {
        out.track = (uint8_t)p.number;
        out.index = (uint8_t)p.index;
        out.isrc = p.t->type == RAWIMAGE_AUDIO && p.t->isrc[0];
    }
    return out;
}

/* SCMS: the copy bit alternates every 4 frames of the track. */
static uint8_t program_control(const struct track *t, int32_t lba)
{
    uint8_t c = track_control(t);
    if (t->type == RAWIMAGE_AUDIO && t->copy == RAWIMAGE_COPY_SCMS && ((lba - t->pregap_lba) / 4) % 2)
        c |= 0x02;
    return c;
}

static struct cd_subq q_program(const struct rawimage *img, const struct position *p, int32_t lba)
{
    uint8_t control = program_control(p->t, lba);
    switch (cd_q_adr_at(lba, img->mcn[0] != 0, q_place, img)) {
    case 2:
        return cd_subq_catalog(control, img->mcn, lba);
    case 3:
        return cd_subq_recording_code(control, p->t->isrc, lba);
    default:
        return cd_subq_position(control, (uint8_t)p->number, (uint8_t)p->index, p->rel, lba);
    }
}

static bool p_flag(const struct position *p)
{
    switch (p->area) {
    case AREA_PROGRAM:
        return p->index == 0;
    case AREA_LEADOUT:
        return cd_leadout_p(p->rel);
    default:
        return false;
    }
}

static void build_q(const struct rawimage *img, const struct position *p, int32_t lba, uint8_t q[CD_SUBQ_LEN])
{
    const struct track *last = &img->track[img->count - 1];
    struct cd_subq s;
    switch (p->area) {
    case AREA_LEADIN:
        s = q_leadin(img, lba);
        break;
    case AREA_PROGRAM:
        s = q_program(img, p, lba);
        break;
    default:
        s = cd_subq_position(track_control(last), 0xAA, 1, p->rel, lba);
        break;
    }
    cd_subq_encode(&s, q);
}

/* ---- main channel ---- */

static int32_t read_source(const struct rawimage_source *src, uint64_t offset, void *buf, size_t len)
{
    int rc = src->read(src->ctx, offset, buf, len);
    if (rc == 0)
        return IMAPI2_S_OK;
    return rc < 0 ? (int32_t)rc : IMAPI2_E_FAIL;
}

/* An empty sector of a track's kind: silence, or zero user data encoded. */
static void fill_sector(uint8_t main[CD_SECTOR_SIZE], const struct kind_info *k, int32_t lba)
{
    memset(main, 0, CD_SECTOR_SIZE);
    if (k->family == FAM_AUDIO)
        return;
    if (k->submode)
        cd_sector_subheader(main, 0, 0, k->submode, 0);
    cd_sector_build(main, k->form, lba);
    cd_scramble(main);
}

static int32_t source_sector(const struct track *t, int32_t n, int32_t lba, uint8_t main[CD_SECTOR_SIZE])
{
    const struct kind_info *k = &kinds[t->type];
    /* No clearing first: the source's bytes (src_offset + user_size) and what
     * cd_sector_build writes (header, subheader, EDC, zero fill, ECC) cover
     * the whole 2352 bytes for every kind (test_mmc_rawimage checks each). */
    int32_t hr = read_source(&t->src, (uint64_t)n * k->user_size, main + k->src_offset, k->user_size);
    if (hr < 0 || k->raw || k->family == FAM_AUDIO)
        return hr;
    if (k->form == CD_FORM_XA_FORM1)
        cd_sector_subheader(main, 0, 0, k->submode, 0);
    cd_sector_build(main, k->form, lba);
    cd_scramble(main);
    return IMAPI2_S_OK;
}

/* The track whose source covers lba, or NULL. */
static const struct track *data_track(const struct rawimage *img, int32_t lba)
{
    for (int i = 0; i < img->count; i++) {
        const struct track *t = &img->track[i];
        if (lba >= t->start_lba && lba < t->start_lba + t->sectors)
            return t;
    }
    return NULL;
}

static int32_t build_main(const struct rawimage *img, const struct position *p, int32_t lba,
                          uint8_t main[CD_SECTOR_SIZE])
{
    const struct track *first = &img->track[0], *last = &img->track[img->count - 1];
    if (p->area == AREA_LEADIN) {
        fill_sector(main, &kinds[first->type], lba);
        return IMAPI2_S_OK;
    }
    if (p->area == AREA_LEADOUT) {
        fill_sector(main, &kinds[last->type], lba);
        return IMAPI2_S_OK;
    }
    const struct track *d = data_track(img, lba);
    if (d)
        return source_sector(d, lba - d->start_lba, lba, main);
    if (img->pregap_sectors && lba < first->start_lba)
        return read_source(&img->pregap, (uint64_t)(lba + CD_PREGAP_SECTORS) * CD_SECTOR_SIZE, main, CD_SECTOR_SIZE);
    fill_sector(main, &kinds[p->t->type], lba);
    return IMAPI2_S_OK;
}

/* ---- sub-channel ---- */

/* R-W in raw interleaved order (bits 5-0 used): the caller's R-W source,
 * or CD-Text packs in the lead-in; *has_rw false when the sector has none. */
static int32_t rw_symbols(const struct rawimage *img, const struct position *p, int32_t lba,
                          uint8_t raw[CD_SUBCODE_RAW], bool *has_rw)
{
    uint64_t sector = (uint64_t)(lba - CD_RAW_IMAGE_START_LBA);
    *has_rw = false;
    if (img->rw.read) {
        *has_rw = true;
        return read_source(&img->rw, sector * CD_SUBCODE_RAW, raw, CD_SUBCODE_RAW);
    }
    if (img->cdtext_count && p->area == AREA_LEADIN) {
        *has_rw = true;
        cdtext_leadin_symbols(img->cdtext_packs, img->cdtext_count, sector, raw);
    }
    return IMAPI2_S_OK;
}

static int32_t build_sub(const struct rawimage *img, const struct position *p, int32_t lba, uint8_t *sub)
{
    uint8_t q[CD_SUBQ_LEN], raw[CD_SUBCODE_RAW];
    bool has_rw = false;
    build_q(img, p, lba, q);
    if (img->image_type != CD_RAW_PQ) {
        int32_t hr = rw_symbols(img, p, lba, raw, &has_rw);
        if (hr < 0)
            return hr;
    }
    cd_subcode_encode(img->image_type, p_flag(p), q, has_rw ? raw : NULL, sub);
    return IMAPI2_S_OK;
}

/* ---- reading ---- */

static bool lba_in_image(const struct rawimage *img, int32_t lba)
{
    return lba >= CD_RAW_IMAGE_START_LBA && (int64_t)lba - CD_RAW_IMAGE_START_LBA < rawimage_total_sectors(img);
}

int32_t rawimage_read_sector(struct rawimage *img, int32_t lba, uint8_t *out)
{
    if (!img->final)
        return IMAPI2_E_UNEXPECTED;
    if (!out || !lba_in_image(img, lba))
        return IMAPI2_E_INVALIDARG;
    struct position p = locate(img, lba);
    int32_t hr = build_main(img, &p, lba, out);
    if (hr < 0)
        return hr;
    return build_sub(img, &p, lba, out + CD_SECTOR_SIZE);
}

static int32_t cached_sector(struct rawimage *img, int32_t lba)
{
    if (img->cached && img->cached_lba == lba)
        return IMAPI2_S_OK;
    img->cached = false;
    int32_t hr = rawimage_read_sector(img, lba, img->cache);
    if (hr < 0)
        return hr;
    img->cached = true;
    img->cached_lba = lba;
    return IMAPI2_S_OK;
}

int32_t rawimage_read(struct rawimage *img, uint64_t offset, void *buf, size_t len, size_t *done)
{
    uint8_t *out = buf;
    size_t copied = 0;
    if (done)
        *done = 0;
    if (!img->final)
        return IMAPI2_E_UNEXPECTED;
    if (!buf && len)
        return IMAPI2_E_INVALIDARG;
    uint64_t total = rawimage_total_bytes(img), size = rawimage_sector_size(img);
    if (offset >= total)
        return IMAPI2_S_OK;
    if (len > total - offset)
        len = (size_t)(total - offset);
    while (copied < len) {
        uint64_t at = offset + copied;
        int32_t lba = (int32_t)(at / size) + CD_RAW_IMAGE_START_LBA, hr;
        size_t in = (size_t)(at % size), n = (size_t)size - in;
        if (n > len - copied)
            n = len - copied;
        /* A whole sector not in the cache is built where it goes; the cache
         * serves the sectors a read boundary cuts. */
        if (n == size && !(img->cached && img->cached_lba == lba)) {
            hr = rawimage_read_sector(img, lba, out + copied);
            if (hr < 0)
                return hr;
        } else {
            hr = cached_sector(img, lba);
            if (hr < 0)
                return hr;
            memcpy(out + copied, img->cache + in, n);
        }
        copied += n;
        if (done)
            *done = copied;
    }
    return IMAPI2_S_OK;
}

static int32_t cursor_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    struct rawimage_cursor *c = ctx;
    size_t done = 0;
    int32_t hr = rawimage_read(c->img, c->pos, buf, len, &done);
    c->pos += done;
    *got = (uint32_t)done;
    return hr;
}

static int32_t cursor_seek(void *ctx, uint64_t offset)
{
    ((struct rawimage_cursor *)ctx)->pos = offset;
    return 0;
}

void rawimage_as_raw_stream(struct rawimage *img, struct rawimage_cursor *cursor, struct mmc_raw_stream *out)
{
    *cursor = (struct rawimage_cursor){ img, 0 };
    *out = (struct mmc_raw_stream){ cursor_read, cursor_seek, cursor, rawimage_total_bytes(img) };
}
