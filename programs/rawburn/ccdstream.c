/* A CloneCD image as a raw DAO stream, the sub-channel as the .sub gives it.
 *
 * IMAPI2's image creator makes its own sub-channel and pregaps, so it does
 * not fit here: this generator lays out the stream WriteMedia expects
 * (first sector MSF 95:00:00 = LBA -22650) itself:
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
 * scrambled data sectors of the neighbouring data track's mode. */
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"
#include "mmc/msf.h"
#include "mmc/sector.h"
#include "mmc/subcode.h"

#define LEADIN_START (-22650)
#define LEADOUT_SECTORS 6750

struct ccd_gen {
    const struct cdsheet *sheet;
    struct piece_stream *img, *sub;
    int layout;
    uint32_t size;
    int32_t leadout;
    int entries;                /* ADR 1 TOC entries in toc[] */
    const struct cdsheet_toc_entry *toc[CDSHEET_MAX_TOC];
    int64_t cached;
    uint8_t sector[CD_SECTOR_RAW_PW];
};

static void put_msf(uint8_t *q, int32_t frames)
{
    struct cd_msf m = cd_frames_to_msf(frames < 0 ? 0 : frames);
    q[0] = cd_to_bcd(m.m);
    q[1] = cd_to_bcd(m.s);
    q[2] = cd_to_bcd(m.f);
}

static void put_abs(uint8_t *q, int32_t lba)
{
    struct cd_msf m = cd_lba_to_msf(lba);
    q[0] = cd_to_bcd(m.m);
    q[1] = cd_to_bcd(m.s);
    q[2] = cd_to_bcd(m.f);
}

static uint8_t point_code(uint8_t point)
{
    return point >= 1 && point <= 99 ? cd_to_bcd(point) : point;
}

static void leadin_q(const struct ccd_gen *g, int32_t lba, uint8_t q[CD_SUBQ_LEN])
{
    const struct cdsheet_toc_entry *e = g->toc[((lba - LEADIN_START) / 3) % g->entries];
    q[0] = (uint8_t)(e->control << 4 | 1);
    q[1] = 0;
    q[2] = point_code(e->point);
    put_abs(q + 3, lba);
    q[6] = 0;
    q[7] = cd_to_bcd(e->pmin);
    q[8] = cd_to_bcd(e->psec);
    q[9] = cd_to_bcd(e->pframe);
}

static const struct cdsheet_track *track_of(const struct ccd_gen *g, int32_t lba)
{
    const struct cdsheet_track *t = &g->sheet->tracks[0];
    for (int i = 1; i < g->sheet->track_count; i++)
        if (lba >= g->sheet->tracks[i].start_lba - g->sheet->tracks[i].file_pregap)
            t = &g->sheet->tracks[i];
    return t;
}

/* ADR 1 Q of the program area, the track 1 pregap and the lead-out. */
static bool program_q(const struct ccd_gen *g, int32_t lba, uint8_t q[CD_SUBQ_LEN])
{
    bool pause = false;
    if (lba >= g->leadout) {
        const struct cdsheet_track *last = &g->sheet->tracks[g->sheet->track_count - 1];
        q[0] = (uint8_t)((last->flags & 0x0f) << 4 | 1);
        q[1] = 0xAA;
        q[2] = 1;
        put_msf(q + 3, lba - g->leadout);
    } else {
        const struct cdsheet_track *t = lba < 0 ? &g->sheet->tracks[0] : track_of(g, lba);
        int index = 0;
        q[0] = (uint8_t)((t->flags & 0x0f) << 4 | 1);
        q[1] = cd_to_bcd((uint8_t)t->number);
        if (lba < t->start_lba) {
            pause = true;
            put_msf(q + 3, t->start_lba - lba);
        } else {
            for (int k = 0; k < t->index_count; k++)
                if (lba - t->start_lba >= t->index_offset[k])
                    index = k + 1;
            put_msf(q + 3, lba - t->start_lba);
        }
        q[2] = cd_to_bcd((uint8_t)index);
    }
    q[6] = 0;
    put_abs(q + 7, lba);
    return pause;
}

static bool leadout_p(const struct ccd_gen *g, int32_t lba)
{
    int32_t k = lba - g->leadout;
    return k >= 150 && ((k - 150) / 19) % 2 == 0;
}

/* The sub-channel bytes of one sector in the output layout. */
static HRESULT make_sub(struct ccd_gen *g, int32_t lba, uint8_t *out)
{
    uint8_t ch[8][12];
    bool p = false;
    memset(ch, 0, sizeof(ch));
    if (lba >= 0 && lba < g->leadout && g->sub) {
        HRESULT hr = pieces_read(g->sub, (uint64_t)lba * CCD_SUB_SIZE, ch, CCD_SUB_SIZE);
        if (FAILED(hr))
            return hr;
        p = (ch[0][0] & 0x80) != 0;
    } else {
        if (lba < -150)
            leadin_q(g, lba, ch[1]);
        else
            p = program_q(g, lba, ch[1]);
        if (lba >= g->leadout)
            p = leadout_p(g, lba);
        cd_subq_set_crc(ch[1]);
        memset(ch[0], p ? 0xFF : 0, 12);
    }
    if (g->layout == CD_RAW_PQ) {
        memcpy(out, ch[1], 12);
        memset(out + 12, 0, 4);
        out[15] = p ? 0x80 : 0;
    } else if (g->layout == CD_RAW_COOKED) {
        memcpy(out, ch, CD_SUBCODE_RAW);
    } else {
        cd_subcode_interleave((const uint8_t(*)[12])ch, out);
    }
    return S_OK;
}

/* An empty sector of a data track's kind at lba, scrambled. */
static void empty_data(uint8_t *s, enum cdsheet_mode mode, int32_t lba)
{
    memset(s, 0, CD_SECTOR_MAIN);
    if (mode == CDSHEET_MODE1_2352 || mode == CDSHEET_MODE1_2048) {
        cd_sector_build(s, CD_FORM_MODE1, lba);
    } else {
        cd_sector_subheader(s, 0, 0, CD_SUBMODE_FORM2, 0);
        cd_sector_build(s, CD_FORM_XA_FORM2, lba);
    }
    cd_scramble(s);
}

static HRESULT make_main(struct ccd_gen *g, int32_t lba, uint8_t *s)
{
    const struct cdsheet *sh = g->sheet;
    if (lba < 0 || lba >= g->leadout) {
        const struct cdsheet_track *t = lba < 0 ? &sh->tracks[0] : &sh->tracks[sh->track_count - 1];
        if (t->mode == CDSHEET_AUDIO)
            memset(s, 0, CD_SECTOR_MAIN);
        else
            empty_data(s, t->mode, lba);
        return S_OK;
    }
    HRESULT hr = pieces_read(g->img, (uint64_t)lba * CCD_SECTOR_SIZE, s, CCD_SECTOR_SIZE);
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
            int32_t lba = LEADIN_START + (int32_t)k;
            HRESULT hr = make_main(g, lba, g->sector);
            if (SUCCEEDED(hr))
                hr = make_sub(g, lba, g->sector + CD_SECTOR_MAIN);
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
    free(g);
}

int ccd_build(struct image_plan *p, int layout, struct image *img)
{
    struct ccd_gen *g = calloc(1, sizeof(*g));
    uint64_t img_size = 0, sub_size = 0;
    if (!g)
        return fail(RB_INTERNAL, "out of memory");
    g->sheet = &p->sheet;
    g->layout = layout;
    g->size = (uint32_t)cd_raw_sector_size(layout);
    g->leadout = p->sheet.leadout_lba;
    g->cached = -1;
    for (int i = 0; i < p->sheet.toc_count; i++)
        if (p->sheet.toc[i].adr == 1)
            g->toc[g->entries++] = &p->sheet.toc[i];
    file_size_of(p->paths[0], &img_size);
    g->img = pieces_new();
    if (!g->img || !pieces_add_file(g->img, p->paths[0], 0, img_size)) {
        ccd_free(g);
        return fail(RB_FILE, "cannot open %ls", p->paths[0]);
    }
    if (p->have_sub) {
        file_size_of(p->sub_path, &sub_size);
        g->sub = pieces_new();
        if (!g->sub || !pieces_add_file(g->sub, p->sub_path, 0, sub_size)) {
            ccd_free(g);
            return fail(RB_FILE, "cannot open %ls", p->sub_path);
        }
    }
    img->layout = layout;
    img->sector_size = g->size;
    img->sectors = (int64_t)g->leadout - LEADIN_START + LEADOUT_SECTORS;
    img->leadout_lba = g->leadout;
    img->track_count = p->sheet.track_count;
    for (int i = 0; i < p->sheet.track_count; i++) {
        img->tracks[i].number = p->sheet.tracks[i].number;
        img->tracks[i].start_lba = p->sheet.tracks[i].start_lba;
        img->tracks[i].data = p->sheet.tracks[i].mode != CDSHEET_AUDIO;
    }
    snprintf(img->kind, sizeof(img->kind), "CloneCD");
    if (FAILED(cb_stream_create((uint64_t)img->sectors * g->size, ccd_read, ccd_free, g, &img->stream)))
        return fail(RB_INTERNAL, "out of memory");
    return RB_OK;
}
