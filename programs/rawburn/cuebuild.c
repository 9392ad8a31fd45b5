/* A cue sheet through IMAPI2's MsftRawCDImageCreator.
 *
 * The creator lays a disc out its own way: 150-sector pregaps before every
 * track, or (DisableGaplessAudio) none between two audio tracks, where the
 * last 150 sectors of the earlier track carry the next one's index 0. A cue
 * sheet is mapped onto that:
 *  - when any audio track keeps its index 0 in the file (INDEX 00), the
 *    disc is gapless: each audio track's stream runs on through the next
 *    track's PREGAP silence and INDEX 00 audio, so no sample is lost;
 *  - otherwise the creator's 2-second gaps stand for PREGAP / INDEX 00;
 *  - an audio track 1 with at least 150 sectors of INDEX 00 becomes the
 *    creator's special pregap (a hidden track);
 * and every place where the disc will differ from the sheet is a note.
 * Whole-sector data tracks (MODE1/2352, MODE2/2352, MODE2/2336) go in as
 * the creator's *RAW kinds, which it passes through: they get their sync
 * and header for the LBA the creator gave them and are scrambled, as a raw
 * writer must send them. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"
#include "mmc/msf.h"
#include "mmc/sector.h"
#include "mmc/subcode.h"


/* --------------------------------------------- whole-sector data tracks */

struct xform {
    struct piece_stream *src;   /* the track's sectors as the file has them */
    enum cdsheet_mode mode;
    int32_t lba_base;           /* the creator's start LBA of the track */
    int64_t cached;
    uint8_t sector[CD_SECTOR_SIZE];
};

static enum cd_sector_form form_of(const uint8_t *s)
{
    if (s[15] == 1)
        return CD_FORM_MODE1;
    if (s[15] == 0)
        return CD_FORM_MODE0;
    if (!memcmp(s + 16, s + 20, 4))
        return (s[18] & CD_SUBMODE_FORM2) ? CD_FORM_XA_FORM2 : CD_FORM_XA_FORM1;
    return CD_FORM_MODE2;
}

/* Header MSF of the sector as it stands. */
static int32_t header_lba(const uint8_t *s)
{
    if (!cd_is_bcd(s[12]) || !cd_is_bcd(s[13]) || !cd_is_bcd(s[14]))
        return INT32_MIN;
    return cd_msf_to_lba((struct cd_msf){ cd_from_bcd(s[12]), cd_from_bcd(s[13]), cd_from_bcd(s[14]) });
}

/* A data sector with its bytes in place (whole sectors, or the 2048 /
 * 2336 bytes from offset 16) made into what a raw writer sends for lba. */
void cue_data_sector(uint8_t *s, enum cdsheet_mode mode, int32_t lba)
{
    if (mode == CDSHEET_MODE1_2048) {
        cd_sector_build(s, CD_FORM_MODE1, lba);
    } else if (mode == CDSHEET_MODE2_2336) {
        cd_sector_header(s, lba, 2); /* XA EDC/ECC leave the header out: the 2336 bytes stay valid */
    } else if (!cd_sector_has_sync(s)) { /* postgap fill, or a hole in the file */
        memset(s, 0, CD_SECTOR_SIZE);
        if (mode == CDSHEET_MODE2_2352)
            cd_sector_subheader(s, 0, 0, CD_SUBMODE_FORM2, 0);
        cd_sector_build(s, mode == CDSHEET_MODE1_2352 ? CD_FORM_MODE1 : CD_FORM_XA_FORM2, lba);
    } else if (header_lba(s) != lba) {
        /* Moved by the layout: the header (and with it EDC/ECC) must say where it is now. */
        cd_sector_build(s, form_of(s), lba);
    }
    cd_scramble(s);
}

static HRESULT xform_sector(struct xform *x, int64_t k)
{
    int32_t lba = x->lba_base + (int32_t)k;
    uint8_t *s = x->sector;
    HRESULT hr;
    if (x->mode == CDSHEET_MODE2_2336) {
        memset(s, 0, CD_SECTOR_SIZE);
        hr = pieces_read(x->src, (uint64_t)k * 2336, s + 16, 2336);
    } else {
        hr = pieces_read(x->src, (uint64_t)k * CD_SECTOR_SIZE, s, CD_SECTOR_SIZE);
    }
    if (FAILED(hr))
        return hr;
    cue_data_sector(s, x->mode, lba);
    x->cached = k;
    return S_OK;
}

static HRESULT xform_read(void *ctx, uint64_t offset, void *buf, uint32_t len)
{
    struct xform *x = ctx;
    uint8_t *out = buf;
    while (len) {
        int64_t k = (int64_t)(offset / CD_SECTOR_SIZE);
        uint32_t in = (uint32_t)(offset % CD_SECTOR_SIZE), n = CD_SECTOR_SIZE - in < len ? CD_SECTOR_SIZE - in : len;
        HRESULT hr = k == x->cached ? S_OK : xform_sector(x, k);
        if (FAILED(hr))
            return hr;
        memcpy(out, x->sector + in, n);
        out += n;
        offset += n;
        len -= n;
    }
    return S_OK;
}

static void xform_free(void *ctx)
{
    struct xform *x = ctx;
    pieces_free(x->src);
    free(x);
}

/* ------------------------------------------------------- the tracks */

static IMAPI_CD_SECTOR_TYPE creator_type(enum cdsheet_mode mode)
{
    switch (mode) {
    case CDSHEET_AUDIO: return IMAPI_CD_SECTOR_AUDIO;
    case CDSHEET_MODE1_2048: return IMAPI_CD_SECTOR_MODE1;
    case CDSHEET_MODE1_2352: return IMAPI_CD_SECTOR_MODE1RAW;
    default: return IMAPI_CD_SECTOR_MODE2FORM1RAW;
    }
}

void plan_data_sizes(const struct image_plan *p, uint64_t *data_size)
{
    for (int f = 0; f < p->sheet.file_count; f++) {
        uint64_t size = 0;
        file_size_of(p->paths[f], &size);
        data_size[f] = p->sheet.files[f].type == CDSHEET_FILE_WAVE && size > p->data_offset[f]
                           ? size - p->data_offset[f] : size;
    }
}

bool plan_add_file_part(struct image_plan *p, struct piece_stream *ps, int f, uint64_t at, uint64_t len,
                          const uint64_t *data_size)
{
    uint64_t have = at < data_size[f] ? data_size[f] - at : 0;
    uint64_t n = have < len ? have : len;
    return pieces_add_file(ps, p->paths[f], p->data_offset[f] + at, n) && pieces_add_zeros(ps, len - n);
}

struct cue_layout {
    bool gapless;
    bool special_pregap;
    uint64_t data_size[CDSHEET_MAX_FILES];
};

static bool both_audio(const struct cdsheet *s, int i)
{
    return i > 0 && s->tracks[i].mode == CDSHEET_AUDIO && s->tracks[i - 1].mode == CDSHEET_AUDIO;
}

static void plan_gaps(struct image_plan *p, struct cue_layout *l)
{
    const struct cdsheet *s = &p->sheet;
    const struct cdsheet_track *t1 = &s->tracks[0];
    for (int i = 1; i < s->track_count; i++)
        if (both_audio(s, i) && s->tracks[i].file_pregap)
            l->gapless = true;
    l->special_pregap = t1->mode == CDSHEET_AUDIO && t1->file_pregap >= CD_PREGAP_SECTORS;
    if (!l->special_pregap && t1->file_pregap + t1->pregap && t1->file_pregap + t1->pregap != CD_PREGAP_SECTORS)
        note("track 1: a pregap of %ld sectors is written as the standard 150 (2 s)",
             (long)(t1->file_pregap + t1->pregap));
    if (!l->special_pregap && t1->file_pregap)
        note("track 1: the %ld sectors before its INDEX 01 are left out", (long)t1->file_pregap);
    for (int i = 1; i < s->track_count; i++) {
        const struct cdsheet_track *t = &s->tracks[i];
        long gap = (long)(t->pregap + t->file_pregap);
        if (l->gapless && both_audio(s, i)) {
            if (gap != CD_PREGAP_SECTORS)
                note("track %d: its %ld-sector pregap stays audio; index 0 marks the last 150 sectors of track %d",
                     t->number, gap, t->number - 1);
        } else if (t->file_pregap) {
            note("track %d: the %ld sectors of INDEX 00 in the file become a 2-second gap", t->number,
                 (long)t->file_pregap);
        } else if (gap != CD_PREGAP_SECTORS) {
            note("track %d: a pregap of %ld sectors is written as 150 (2 s), as IMAPI2's image creator lays "
                 "discs out", t->number, gap);
        }
    }
    if (s->track_count && s->tracks[s->track_count - 1].postgap)
        note("the POSTGAP of the last track is written as part of it");
}

/* The bytes IMAPI2 gets for track i, in the file's sector size. */
static struct piece_stream *track_source(struct image_plan *p, const struct cue_layout *l, int i)
{
    const struct cdsheet *s = &p->sheet;
    const struct cdsheet_track *t = &s->tracks[i];
    uint64_t size = cdsheet_mode_sector_size(t->mode);
    struct piece_stream *ps = pieces_new();
    bool ok = ps && plan_add_file_part(p, ps, t->file, t->file_offset + (uint64_t)t->file_pregap * size,
                                  (uint64_t)t->sectors * size, l->data_size) &&
              pieces_add_zeros(ps, (uint64_t)t->postgap * size);
    if (ok && i + 1 < s->track_count && l->gapless && both_audio(s, i + 1)) {
        const struct cdsheet_track *n = &s->tracks[i + 1];
        ok = pieces_add_zeros(ps, (uint64_t)n->pregap * CD_SECTOR_SIZE) &&
             plan_add_file_part(p, ps, n->file, n->file_offset, (uint64_t)n->file_pregap * CD_SECTOR_SIZE, l->data_size);
    }
    if (!ok) {
        pieces_free(ps);
        return NULL;
    }
    return ps;
}

static HRESULT track_stream(struct piece_stream *src, enum cdsheet_mode mode, struct xform **x, IStream **out)
{
    *x = NULL;
    if (mode == CDSHEET_AUDIO || mode == CDSHEET_MODE1_2048)
        return pieces_finish(src, out);
    uint64_t in = mode == CDSHEET_MODE2_2336 ? 2336 : CD_SECTOR_SIZE;
    struct xform *t = calloc(1, sizeof(*t));
    if (!t) {
        pieces_free(src);
        return E_OUTOFMEMORY;
    }
    t->src = src;
    t->mode = mode;
    t->cached = -1;
    *x = t;
    return cb_stream_create(pieces_size(src) / in * CD_SECTOR_SIZE, xform_read, xform_free, t, out);
}

static int add_track_error(struct image_plan *p, const struct cdsheet_track *t, int64_t sectors, HRESULT hr)
{
    if (hr == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE)
        return fail(RB_TOO_BIG, "%s: the tracks up to track %d are longer than any CD can hold", p->shown, t->number);
    if (hr == E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED)
        return fail(RB_SYNTAX, "%s:%d: track %d (%s) cannot share a disc with the tracks before it", p->shown, t->line,
                    t->number, cdsheet_mode_name(t->mode));
    if (hr == E_INVALIDARG && sectors < CD_MIN_TRACK_SECTORS)
        return fail(RB_SYNTAX, "%s:%d: track %d is %ld sectors long; a track needs at least 4 seconds (300 sectors)",
                    p->shown, t->line, t->number, (long)sectors);
    return fail(RB_SYNTAX, "%s:%d: IMAPI2 refused track %d: %s", p->shown, t->line, t->number, hr_text(hr));
}

/* ISRC, copy bits, pre-emphasis and indexes 2.. of a track just added. */
static int track_details(struct image_plan *p, IRawCDImageTrackInfo *info, const struct cdsheet_track *t)
{
    HRESULT hr = S_OK;
    if (t->isrc[0]) {
        WCHAR w[13];
        for (int k = 0; k < 13; k++)
            w[k] = (WCHAR)(unsigned char)t->isrc[k];
        BSTR b = SysAllocString(w);
        hr = IRawCDImageTrackInfo_put_ISRC(info, b);
        SysFreeString(b);
        if (FAILED(hr))
            return fail(RB_SYNTAX, "%s:%d: ISRC %s refused: %s", p->shown, t->line, t->isrc, hr_text(hr));
    }
    if (t->mode == CDSHEET_AUDIO) {
        IMAPI_CD_TRACK_DIGITAL_COPY_SETTING copy = (t->flags & CDSHEET_FLAG_SCMS)  ? IMAPI_CD_TRACK_DIGITAL_COPY_SCMS
                                                   : (t->flags & CDSHEET_FLAG_DCP) ? IMAPI_CD_TRACK_DIGITAL_COPY_PERMITTED
                                                                                   : IMAPI_CD_TRACK_DIGITAL_COPY_PROHIBITED;
        IRawCDImageTrackInfo_put_DigitalAudioCopySetting(info, copy);
        IRawCDImageTrackInfo_put_AudioHasPreemphasis(info, (t->flags & CDSHEET_FLAG_PRE) ? VARIANT_TRUE : VARIANT_FALSE);
        if (t->flags & CDSHEET_FLAG_4CH)
            note("track %d: the 4CH flag cannot be written through IMAPI2 and is left out", t->number);
    }
    for (int k = 1; k < t->index_count; k++) {
        hr = IRawCDImageTrackInfo_AddTrackIndex(info, t->index_offset[k]);
        if (FAILED(hr))
            return fail(RB_SYNTAX, "%s:%d: INDEX %02d of track %d refused: %s", p->shown, t->index_line[k], k + 1,
                        t->number, hr_text(hr));
    }
    return RB_OK;
}

static int add_special_pregap(struct image_plan *p, IRawCDImageCreator *c, const struct cue_layout *l)
{
    const struct cdsheet_track *t = &p->sheet.tracks[0];
    struct piece_stream *ps = pieces_new();
    IStream *stream = NULL;
    if (!ps || !pieces_add_zeros(ps, (uint64_t)t->pregap * CD_SECTOR_SIZE) ||
        !plan_add_file_part(p, ps, t->file, t->file_offset, (uint64_t)t->file_pregap * CD_SECTOR_SIZE, l->data_size)) {
        pieces_free(ps);
        return fail(RB_FILE, "cannot open %ls", p->paths[t->file]);
    }
    HRESULT hr = pieces_finish(ps, &stream);
    if (SUCCEEDED(hr))
        hr = IRawCDImageCreator_AddSpecialPregap(c, stream);
    if (stream)
        IStream_Release(stream);
    if (FAILED(hr))
        return fail(RB_SYNTAX, "%s:%d: the audio before track 1 (INDEX 00) was refused: %s", p->shown, t->line,
                    hr_text(hr));
    note("track 1: its %ld sectors of INDEX 00 audio are written as a hidden pregap", (long)(t->file_pregap + t->pregap));
    return RB_OK;
}

static int add_tracks(struct image_plan *p, IRawCDImageCreator *c, const struct cue_layout *l, struct image *img)
{
    for (int i = 0; i < p->sheet.track_count; i++) {
        const struct cdsheet_track *t = &p->sheet.tracks[i];
        struct piece_stream *src = track_source(p, l, i);
        struct xform *x;
        IStream *stream = NULL;
        IRawCDImageTrackInfo *info = NULL;
        LONG index = 0, start = 0;
        if (!src)
            return fail(RB_FILE, "cannot open %ls", p->paths[t->file]);
        int64_t sectors = (int64_t)(pieces_size(src) / cdsheet_mode_sector_size(t->mode));
        HRESULT hr = track_stream(src, t->mode, &x, &stream);
        if (FAILED(hr))
            return fail(RB_INTERNAL, "out of memory");
        hr = IRawCDImageCreator_AddTrack(c, creator_type(t->mode), stream, &index);
        IStream_Release(stream);
        if (FAILED(hr))
            return add_track_error(p, t, sectors, hr);
        if (FAILED(hr = IRawCDImageCreator_get_TrackInfo(c, index, &info)))
            return fail(RB_INTERNAL, "TrackInfo(%ld) failed: %s", (long)index, hr_text(hr));
        IRawCDImageTrackInfo_get_StartingLba(info, &start);
        if (x)
            x->lba_base = start; /* read only later, by CreateResultImage's stream */
        int status = track_details(p, info, t);
        IRawCDImageTrackInfo_Release(info);
        if (status)
            return status;
        img->tracks[i].number = t->number;
        img->tracks[i].start_lba = start;
        img->tracks[i].data = t->mode != CDSHEET_AUDIO;
    }
    img->track_count = p->sheet.track_count;
    return RB_OK;
}

static int set_disc_details(struct image_plan *p, IRawCDImageCreator *c, int layout)
{
    HRESULT hr = IRawCDImageCreator_put_ResultingImageType(c, (IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE)layout);
    if (FAILED(hr))
        return fail(RB_SECTOR, "the image creator refused sector type %d: %s", layout, hr_text(hr));
    if (p->sheet.catalog[0]) {
        WCHAR w[14];
        for (int k = 0; k < 14; k++)
            w[k] = (WCHAR)p->sheet.catalog[k];
        BSTR b = SysAllocString(w);
        hr = IRawCDImageCreator_put_MediaCatalogNumber(c, b);
        SysFreeString(b);
        if (FAILED(hr))
            return fail(RB_SYNTAX, "%s: CATALOG %s refused: %s", p->shown, p->sheet.catalog, hr_text(hr));
    }
    if (p->sheet.tracks[0].number != 1 &&
        FAILED(hr = IRawCDImageCreator_put_StartingTrackNumber(c, p->sheet.tracks[0].number)))
        return fail(RB_SYNTAX, "%s: the first track is %d: %s", p->shown, p->sheet.tracks[0].number, hr_text(hr));
    return RB_OK;
}

/* ---------------------------------------------------------------- CD-Text */

/* What the failing call's IErrorInfo says, else the HRESULT's text. */
static const char *error_text(HRESULT hr)
{
    static char text[400];
    IErrorInfo *info = NULL;
    BSTR desc = NULL;
    if (GetErrorInfo(0, &info) == S_OK && info) {
        if (IErrorInfo_GetDescription(info, &desc) == S_OK && desc && desc[0]) {
            wide_to_utf8(desc, text, sizeof(text));
            SysFreeString(desc);
            IErrorInfo_Release(info);
            return text;
        }
        SysFreeString(desc);
        IErrorInfo_Release(info);
    }
    return hr_text(hr);
}

static BSTR bstr_of_latin1(const char *s)
{
    size_t n = strlen(s);
    BSTR b = SysAllocStringLen(NULL, (UINT)n);
    for (size_t i = 0; b && i < n; i++)
        b[i] = (BYTE)s[i];
    return b;
}

/* Every text of the sheet through IMAPI2Open.CDText (the extension a
 * script would use too), then onto the creator. */
static HRESULT fill_cdtext(IImapi2OpenCDText *t, const struct cdtext *text)
{
    HRESULT hr = IImapi2OpenCDText_put_GenreCode(t, cdtext_genre_code(text));
    if (SUCCEEDED(hr))
        hr = IImapi2OpenCDText_put_LanguageCode(t, cdtext_language(text));
    for (int f = 0; SUCCEEDED(hr) && f < CDTEXT_FIELD_COUNT; f++)
        for (int n = 0; SUCCEEDED(hr) && cdtext_field_supported(f) && n <= CDTEXT_MAX_TRACK; n++) {
            const char *s = cdtext_get(text, f, n);
            BSTR b = s ? bstr_of_latin1(s) : NULL;
            if (s && !b)
                return E_OUTOFMEMORY;
            if (b)
                hr = IImapi2OpenCDText_put_Text(t, (IMAPI2OPEN_CDTEXT_FIELD)(0x80 + f), n, b);
            SysFreeString(b);
        }
    return hr;
}

static int attach_cdtext(struct image_plan *p, IRawCDImageCreator *c, int layout)
{
    IImapi2OpenCDText *t = NULL;
    HRESULT hr;
    if (!p->cdtext)
        return RB_OK;
    if (layout == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY) {
        note("%s: the CD-Text is not written: 2368-byte sectors have no R-W sub-channel", p->shown);
        return RB_OK;
    }
    hr = CoCreateInstance(&CLSID_Imapi2OpenCDText, NULL, CLSCTX_INPROC_SERVER, &IID_IImapi2OpenCDText, (void **)&t);
    if (FAILED(hr))
        return create_failed(&CLSID_Imapi2OpenCDText, "IMAPI2Open.CDText", hr);
    hr = fill_cdtext(t, p->cdtext);
    if (SUCCEEDED(hr))
        hr = IImapi2OpenCDText_AttachTo(t, c);
    int status = FAILED(hr) ? fail(RB_SYNTAX, "%s: CD-Text refused: %s", p->shown, error_text(hr)) : RB_OK;
    IImapi2OpenCDText_Release(t);
    return status;
}

int cue_build(struct image_plan *p, int layout, struct image *img)
{
    IRawCDImageCreator *c = NULL;
    struct cue_layout l = { 0 };
    LONG leadout = 0;
    STATSTG stat;
    HRESULT hr = CoCreateInstance(&CLSID_MsftRawCDImageCreator, NULL, CLSCTX_INPROC_SERVER, &IID_IRawCDImageCreator,
                                  (void **)&c);
    if (FAILED(hr))
        return create_failed(&CLSID_MsftRawCDImageCreator, "MsftRawCDImageCreator", hr);
    plan_data_sizes(p, l.data_size);
    plan_gaps(p, &l);
    int status = set_disc_details(p, c, layout);
    if (!status && l.gapless && FAILED(hr = IRawCDImageCreator_put_DisableGaplessAudio(c, VARIANT_TRUE)))
        status = fail(RB_INTERNAL, "DisableGaplessAudio refused: %s", hr_text(hr));
    if (!status && l.special_pregap)
        status = add_special_pregap(p, c, &l);
    if (!status)
        status = add_tracks(p, c, &l, img);
    if (!status)
        status = attach_cdtext(p, c, layout);
    if (!status && FAILED(hr = IRawCDImageCreator_CreateResultImage(c, &img->stream)))
        status = fail(RB_SYNTAX, "IMAPI2 could not make the image: %s", error_text(hr));
    if (!status) {
        IRawCDImageCreator_get_StartOfLeadout(c, &leadout);
        IStream_Stat(img->stream, &stat, STATFLAG_NONAME);
        img->layout = layout;
        img->sector_size = (uint32_t)cd_raw_sector_size(layout);
        img->sectors = (int64_t)(stat.cbSize.QuadPart / img->sector_size);
        img->leadout_lba = leadout;
        img->via_creator = true;
        snprintf(img->kind, sizeof(img->kind), "cue/bin");
    }
    IRawCDImageCreator_Release(c);
    return status;
}
