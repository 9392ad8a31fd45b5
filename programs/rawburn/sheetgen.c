/* rawburn's own raw DAO stream generator, for what IMAPI2's image creator
 * cannot express: a CloneCD image (its sub-channel as the .sub gives it)
 * and a cue sheet with data tracks (the creator takes audio only, as on
 * Windows). It lays out the stream WriteMedia expects (first sector MSF
 * 95:00:00 = LBA -22650):
 *  - lead-in to LBA -151: Q = the .ccd's TOC entries (ADR 1), each in
 *    three consecutive frames, cycling; running time in bytes 3-5; P = 0;
 *  - track 1 pregap, LBA -150..-1: index 0, relative time counting down to
 *    00:00:01, P = 1;
 *  - LBA 0 to the lead-out: the .img sectors (data sectors scrambled unless
 *    DataTracksScrambled=1 says they are already) and the .sub's 96 bytes,
 *    turned from CloneCD's channel-by-channel order into the order the
 *    sector type asks for; without a .sub, Q and P are made from the TOC;
 *  - 6750 lead-out sectors: TNO AA, P off for 150 sectors, then 19 on / 19
 *    off (the same square wave IMAPI2's image creator writes).
 * Main-channel fill outside the program area: silence for audio, empty
 * scrambled data sectors of the neighbouring data track's mode.
 * A cue sheet is laid out exactly as it says (PREGAP, INDEX 00, POSTGAP);
 * its Q carries the CATALOG (ADR 2) and each audio track's ISRC (ADR 3)
 * where cd_q_adr_at (libs/mmc/subcode.h) puts them, as IMAPI2's image
 * creator does. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"
#include "mmc/msf.h"
#include "mmc/sector.h"
#include "mmc/subcode.h"


struct ccd_gen {
    const struct cdsheet *sheet;
    struct image_plan *plan;
    bool cue;                   /* main channel from the cue's files, Q generated */
    struct piece_stream *files[CDSHEET_MAX_FILES];
    struct piece_stream *img, *sub;
    int layout;
    uint32_t size;
    int32_t leadout;
    int entries;                /* ADR 1 TOC entries in toc[] */
    const struct cdsheet_toc_entry *toc[CDSHEET_MAX_TOC];
    int64_t cached;
    uint8_t sector[CD_SECTOR_RAW_PW];
    uint8_t *cdtext_packs;      /* cue: the CD-Text for the lead-in R-W */
    size_t cdtext_count;
};

static struct cd_subq leadin_q(const struct ccd_gen *g, int32_t lba)
{
    const struct cdsheet_toc_entry *e = g->toc[((lba - CD_RAW_IMAGE_START_LBA) / 3) % g->entries];
    return cd_subq_toc(e->control, e->point, e->pmin, e->psec, e->pframe, lba);
}

/* Where a track's sectors begin on the disc: its pregap (generated, then
 * from the file), then index 1. */
static int32_t region_start(const struct cdsheet_track *t)
{
    return t->start_lba - t->file_pregap - t->pregap;
}

static const struct cdsheet_track *track_of(const struct ccd_gen *g, int32_t lba)
{
    const struct cdsheet_track *t = &g->sheet->tracks[0];
    for (int i = 1; i < g->sheet->track_count; i++)
        if (lba >= region_start(&g->sheet->tracks[i]))
            t = &g->sheet->tracks[i];
    return t;
}

/* The track and index Q names at lba (index 0 before index 1). */
static int index_at(const struct cdsheet_track *t, int32_t lba)
{
    int index = 0;
    for (int k = 0; k < t->index_count; k++)
        if (lba - t->start_lba >= t->index_offset[k])
            index = k + 1;
    return index;
}

/* The Q mode 2/3 placement (cd_q_adr_at) sees the sheet through this. */
static struct cd_q_place q_place(const void *ctx, int32_t lba)
{
    const struct ccd_gen *g = ctx;
    struct cd_q_place out = { lba >= -CD_MSF_OFFSET && lba < g->leadout, 0, 0, false };
    if (out.program) {
        const struct cdsheet_track *t = lba < 0 ? &g->sheet->tracks[0] : track_of(g, lba);
        out.track = (uint8_t)t->number;
        out.index = (uint8_t)index_at(t, lba);
        out.isrc = t->isrc[0] && !cdsheet_mode_is_data(t->mode);
    }
    return out;
}

/* ADR 1 Q of the program area, the track 1 pregap and the lead-out; *pause
 * set in a pregap (index 0). */
static struct cd_subq program_q(const struct ccd_gen *g, int32_t lba, bool *pause)
{
    *pause = false;
    if (lba >= g->leadout) {
        const struct cdsheet_track *last = &g->sheet->tracks[g->sheet->track_count - 1];
        return cd_subq_position(last->flags & 0x0f, 0xAA, 1, lba - g->leadout, lba);
    }
    const struct cdsheet_track *t = lba < 0 ? &g->sheet->tracks[0] : track_of(g, lba);
    if (lba < t->start_lba) {
        *pause = true;
        return cd_subq_position(t->flags & 0x0f, (uint8_t)t->number, 0, t->start_lba - lba, lba);
    }
    return cd_subq_position(t->flags & 0x0f, (uint8_t)t->number, (uint8_t)index_at(t, lba), lba - t->start_lba, lba);
}

/* P and Q of a sector the layout generates (no .sub, or outside the
 * program area): the TOC in the lead-in, MCN / ISRC where cd_q_adr_at puts
 * them, the lead-out's P square wave. */
static void generated_pq(const struct ccd_gen *g, int32_t lba, bool *p, uint8_t q[CD_SUBQ_LEN])
{
    struct cd_subq s;
    *p = false;
    if (lba < -CD_MSF_OFFSET) {
        s = leadin_q(g, lba);
    } else {
        s = program_q(g, lba, p);
        int adr = lba < g->leadout ? cd_q_adr_at(lba, g->sheet->catalog[0] != 0, q_place, g) : 1;
        const struct cdsheet_track *own = lba < 0 ? &g->sheet->tracks[0] : track_of(g, lba);
        if (adr == 2)
            s = cd_subq_catalog(own->flags & 0x0f, g->sheet->catalog, lba);
        else if (adr == 3)
            s = cd_subq_recording_code(own->flags & 0x0f, own->isrc, lba);
        if (lba >= g->leadout)
            *p = cd_leadout_p(lba - g->leadout);
    }
    cd_subq_encode(&s, q);
}

/* The sub-channel bytes of one sector in the output layout. */
static HRESULT make_sub(struct ccd_gen *g, int32_t lba, uint8_t *out)
{
    if (lba >= 0 && lba < g->leadout && g->sub) {
        uint8_t ch[8][12];
        HRESULT hr = pieces_read(g->sub, (uint64_t)lba * CD_SUBCODE_RAW, ch, CD_SUBCODE_RAW);
        if (FAILED(hr))
            return hr;
        cd_subcode_pack(g->layout, (const uint8_t(*)[12])ch, out);
        return S_OK;
    }
    uint8_t q[CD_SUBQ_LEN], raw[CD_SUBCODE_RAW];
    bool p, rw = lba < -CD_MSF_OFFSET && g->cdtext_count;
    generated_pq(g, lba, &p, q);
    if (rw)
        cdtext_leadin_symbols(g->cdtext_packs, g->cdtext_count, (uint64_t)(lba - CD_RAW_IMAGE_START_LBA), raw);
    cd_subcode_encode(g->layout, p, q, rw ? raw : NULL, out);
    return S_OK;
}

/* An empty sector of a data track's kind at lba, scrambled. */
static void empty_data(uint8_t *s, enum cdsheet_mode mode, int32_t lba)
{
    memset(s, 0, CD_SECTOR_SIZE);
    if (mode == CDSHEET_MODE1_2352 || mode == CDSHEET_MODE1_2048) {
        cd_sector_build(s, CD_FORM_MODE1, lba);
    } else {
        cd_sector_subheader(s, 0, 0, CD_SUBMODE_FORM2, 0);
        cd_sector_build(s, CD_FORM_XA_FORM2, lba);
    }
    cd_scramble(s);
}

/* A cue track's sector: from its file (converted to 2352 scrambled bytes
 * by its mode) inside INDEX 00 .. end of data, generated in PREGAP and
 * POSTGAP and before track 1. */
static HRESULT cue_main(struct ccd_gen *g, int32_t lba, uint8_t *s)
{
    const struct cdsheet_track *t = track_of(g, lba);
    int32_t first = t->start_lba - t->file_pregap, k = lba - first;
    size_t size = cdsheet_mode_sector_size(t->mode);
    if (lba < first || k >= t->file_pregap + t->sectors) {
        if (t->mode == CDSHEET_AUDIO)
            memset(s, 0, CD_SECTOR_SIZE);
        else
            empty_data(s, t->mode, lba);
        return S_OK;
    }
    uint64_t at = g->plan->data_offset[t->file] + t->file_offset + (uint64_t)k * size;
    uint8_t *dst = t->mode == CDSHEET_MODE1_2048 || t->mode == CDSHEET_MODE2_2336 ? s + 16 : s;
    if (t->mode == CDSHEET_MODE1_2048 || t->mode == CDSHEET_MODE2_2336)
        memset(s, 0, CD_SECTOR_SIZE);
    HRESULT hr = pieces_read(g->files[t->file], at, dst, (uint32_t)size);
    if (FAILED(hr))
        return hr;
    if (t->mode != CDSHEET_AUDIO)
        cue_data_sector(s, t->mode, lba);
    return S_OK;
}

static HRESULT make_main(struct ccd_gen *g, int32_t lba, uint8_t *s)
{
    const struct cdsheet *sh = g->sheet;
    if (lba < 0 || lba >= g->leadout) {
        const struct cdsheet_track *t = lba < 0 ? &sh->tracks[0] : &sh->tracks[sh->track_count - 1];
        if (t->mode == CDSHEET_AUDIO)
            memset(s, 0, CD_SECTOR_SIZE);
        else
            empty_data(s, t->mode, lba);
        return S_OK;
    }
    if (g->cue)
        return cue_main(g, lba, s);
    HRESULT hr = pieces_read(g->img, (uint64_t)lba * CD_SECTOR_SIZE, s, CD_SECTOR_SIZE);
    if (FAILED(hr))
        return hr;
    if (track_of(g, lba)->mode != CDSHEET_AUDIO && !sh->data_scrambled && cd_sector_has_sync(s))
        cd_scramble(s);
    return S_OK;
}

static HRESULT ccd_read(void *ctx, uint64_t offset, void *buf, uint32_t len)
{
    struct ccd_gen *g = ctx;
    uint8_t *out = buf;
    while (len) {
        int64_t k = (int64_t)(offset / g->size);
        uint32_t in = (uint32_t)(offset % g->size), n = g->size - in < len ? g->size - in : len;
        if (k != g->cached) {
            int32_t lba = CD_RAW_IMAGE_START_LBA + (int32_t)k;
            HRESULT hr = make_main(g, lba, g->sector);
            if (SUCCEEDED(hr))
                hr = make_sub(g, lba, g->sector + CD_SECTOR_SIZE);
            if (FAILED(hr))
                return hr;
            g->cached = k;
        }
        memcpy(out, g->sector + in, n);
        out += n;
        offset += n;
        len -= n;
    }
    return S_OK;
}

static void ccd_free(void *ctx)
{
    struct ccd_gen *g = ctx;
    pieces_free(g->img);
    pieces_free(g->sub);
    for (int i = 0; i < CDSHEET_MAX_FILES; i++)
        pieces_free(g->files[i]);
    free(g->cdtext_packs);
    free(g);
}

static struct ccd_gen *gen_new(struct image_plan *p, int layout)
{
    struct ccd_gen *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->sheet = &p->sheet;
    g->plan = p;
    g->layout = layout;
    g->size = (uint32_t)cd_raw_sector_size(layout);
    g->leadout = p->sheet.leadout_lba;
    g->cached = -1;
    for (int i = 0; i < p->sheet.toc_count; i++)
        if (p->sheet.toc[i].adr == 1)
            g->toc[g->entries++] = &p->sheet.toc[i];
    return g;
}

static struct piece_stream *open_whole(const WCHAR *path)
{
    uint64_t size = 0;
    struct piece_stream *ps = pieces_new();
    if (!ps || file_size_of(path, &size) || !pieces_add_file(ps, path, 0, size)) {
        pieces_free(ps);
        return NULL;
    }
    return ps;
}

static int gen_finish(struct ccd_gen *g, struct image *img, const char *kind)
{
    const struct cdsheet *s = g->sheet;
    img->layout = g->layout;
    img->sector_size = g->size;
    img->sectors = (int64_t)g->leadout - CD_RAW_IMAGE_START_LBA + CD_FIRST_LEADOUT_SECTORS;
    img->leadout_lba = g->leadout;
    img->track_count = s->track_count;
    for (int i = 0; i < s->track_count; i++) {
        img->tracks[i].number = s->tracks[i].number;
        img->tracks[i].start_lba = s->tracks[i].start_lba;
        img->tracks[i].data = s->tracks[i].mode != CDSHEET_AUDIO;
    }
    snprintf(img->kind, sizeof(img->kind), "%s", kind);
    if (FAILED(cb_stream_create((uint64_t)img->sectors * g->size, ccd_read, ccd_free, g, &img->stream)))
        return fail(RB_INTERNAL, "out of memory");
    return RB_OK;
}

int ccd_build(struct image_plan *p, int layout, struct image *img)
{
    struct ccd_gen *g = gen_new(p, layout);
    if (!g)
        return fail(RB_INTERNAL, "out of memory");
    if (!(g->img = open_whole(p->paths[0]))) {
        ccd_free(g);
        return fail(RB_FILE, "cannot open %ls", p->paths[0]);
    }
    if (p->have_sub && !(g->sub = open_whole(p->sub_path))) {
        ccd_free(g);
        return fail(RB_FILE, "cannot open %ls", p->sub_path);
    }
    return gen_finish(g, img, "CloneCD");
}

static void toc_add(struct cdsheet *s, uint8_t point, uint8_t control, int32_t frames, uint8_t pmin, uint8_t psec)
{
    struct cdsheet_toc_entry *e = &s->toc[s->toc_count++];
    struct cd_msf m = cd_frames_to_msf(frames);
    memset(e, 0, sizeof(*e));
    e->session = 1;
    e->point = point;
    e->adr = 1;
    e->control = control;
    e->pmin = frames >= 0 ? m.m : pmin;
    e->psec = frames >= 0 ? m.s : psec;
    e->pframe = frames >= 0 ? m.f : 0;
}

/* Lays the cue sheet out as written: track 1's index 1 at LBA 0 (later if
 * its pregap is longer than 2 s), every other track after the previous
 * one's data and postgap plus its own PREGAP and INDEX 00 sectors. */
void cue_gen_layout(struct cdsheet *s)
{
    int32_t pos = 0;
    bool xa = false;
    for (int i = 0; i < s->track_count; i++) {
        struct cdsheet_track *t = &s->tracks[i];
        int32_t gap = t->pregap + t->file_pregap;
        t->start_lba = i ? pos + gap : gap > CD_PREGAP_SECTORS ? gap - CD_PREGAP_SECTORS : 0;
        pos = t->start_lba + t->sectors + t->postgap;
        xa = xa || t->mode == CDSHEET_MODE2_2336 || t->mode == CDSHEET_MODE2_2352;
        if (t->flags & CDSHEET_FLAG_SCMS)
            note("track %d: SCMS is not written by rawburn's own layout; the copy bit stays as FLAGS DCP says",
                 t->number);
    }
    s->leadout_lba = pos;
    const struct cdsheet_track *first = &s->tracks[0], *last = &s->tracks[s->track_count - 1];
    s->toc_count = 0;
    toc_add(s, 0xA0, first->flags & 0x0f, -1, (uint8_t)first->number, xa ? 20 : 0);
    toc_add(s, 0xA1, last->flags & 0x0f, -1, (uint8_t)last->number, 0);
    toc_add(s, 0xA2, last->flags & 0x0f, s->leadout_lba + CD_MSF_OFFSET, 0, 0);
    for (int i = 0; i < s->track_count; i++)
        toc_add(s, (uint8_t)s->tracks[i].number, s->tracks[i].flags & 0x0f, s->tracks[i].start_lba + CD_MSF_OFFSET, 0, 0);
}

/* Block 0's packs for the lead-in; notes when the layout has no R-W. */
static int gen_cdtext(struct ccd_gen *g, struct image_plan *p, int layout)
{
    const struct cdsheet *s = &p->sheet;
    if (!p->cdtext)
        return RB_OK;
    if (layout == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY) {
        note("%s: the CD-Text is not written: 2368-byte sectors have no R-W sub-channel", p->shown);
        return RB_OK;
    }
    if (!(g->cdtext_packs = malloc(CDTEXT_BLOCK_PACKS * CDTEXT_PACK_SIZE)))
        return fail(RB_INTERNAL, "out of memory");
    int rc = cdtext_encode(p->cdtext, s->tracks[0].number, s->tracks[s->track_count - 1].number, false,
                           g->cdtext_packs, CDTEXT_BLOCK_PACKS, &g->cdtext_count);
    if (rc != CDTEXT_OK)
        return fail(RB_SYNTAX, "%s: CD-Text refused: %s", p->shown, cdtext_strerror(rc));
    return RB_OK;
}

int cue_gen_build(struct image_plan *p, int layout, struct image *img)
{
    cue_gen_layout(&p->sheet);
    struct ccd_gen *g = gen_new(p, layout);
    if (!g)
        return fail(RB_INTERNAL, "out of memory");
    g->cue = true;
    int status = gen_cdtext(g, p, layout);
    if (status) {
        ccd_free(g);
        return status;
    }
    for (int i = 0; i < p->sheet.file_count; i++)
        if (!(g->files[i] = open_whole(p->paths[i]))) {
            ccd_free(g);
            return fail(RB_FILE, "cannot open %ls", p->paths[i]);
        }
    return gen_finish(g, img, "cue/bin");
}
