/* Discs exact by the Red Book: images made by the raw image generator
 * (libs/mmc/rawimage.c) with the features real sheets carry (audio then a
 * Mode 1 track, audio then a CD-ROM XA Mode 2 track as on Dreamcast-style
 * discs, extra indexes, ISRC, catalog number), burnt on the virtual recorder
 * and checked sector by sector, pregaps included, by a decoder written here
 * that shares no code with libs/: P-W de-interleave, Q CRC, control/ADR,
 * MSF, MCN and ISRC frames and how often they come, sync/header/EDC of every
 * data sector a reader gets back (READ CD and the CloneCD export).
 *
 * Q mode rules checked (IEC 60908 / ECMA-130 as the facts at hand state
 * them): mode 1 in at least 9 of every 10 frames; mode 2 (MCN) at least once
 * in every 100 frames of the program area, pregaps included; mode 3 (ISRC)
 * only in audio tracks, with that track's code, at least once every 100
 * frames of its index 1 and later, never in a pregap. */
#include "test_vrec_util.h" /* first: POSIX feature macro */

#include "host_files.h"
#include "mmc/rawimage.h"
#include "mmc/geometry.h"

/* ---- sources: a byte pattern per track ---- */

struct psrc {
    int id;
    uint64_t size;
};

static struct psrc srcs[8];
static int srcs_used;

static uint8_t pattern(int id, uint64_t off)
{
    return (uint8_t)(off * 13 + (uint64_t)id * 71 + (off >> 11));
}

static int psrc_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    struct psrc *s = ctx;
    for (size_t i = 0; i < len; i++)
        ((uint8_t *)buf)[i] = pattern(s->id, off + i);
    return 0;
}

static void add_track(struct rawimage *img, int type, int32_t sectors)
{
    struct psrc *s = &srcs[srcs_used++];
    s->id = srcs_used;
    s->size = (uint64_t)sectors * rawimage_user_sector_size(type);
    struct rawimage_source src = { psrc_read, NULL, s, s->size };
    int index = 0;
    ok(rawimage_add_track(img, type, &src, &index) == 0, "track %d added\n", index);
}

/* ---- what the test expects where: written down by hand per disc ---- */

enum form { F_AUDIO, F_MODE1, F_XA };

struct seg {
    int32_t from, to; /* LBAs */
    int tno, index;
    enum form form;
    const char *isrc; /* the track's ISRC, NULL when none */
};

struct disc {
    const char *name;
    const char *mcn;
    int32_t leadout;
    const struct seg *segs;
    size_t nsegs;
};

#define MCN_A "4006381333931"
#define ISRC_A "GBAYE0100537"

/* Audio (ISRC, index 2 at 100) then Mode 1: the data track's 150-sector
 * pregap follows audio. */
static const struct seg segs_a[] = {
    { -150, 0, 1, 0, F_AUDIO, ISRC_A }, { 0, 100, 1, 1, F_AUDIO, ISRC_A }, { 100, 300, 1, 2, F_AUDIO, ISRC_A },
    { 300, 450, 2, 0, F_MODE1, NULL },  { 450, 850, 2, 1, F_MODE1, NULL },
};

/* Audio, audio, then CD-ROM XA Mode 2 Form 1 (a GD-ROM style layout: the
 * last track's pregap is data). */
static const struct seg segs_b[] = {
    { -150, 0, 1, 0, F_AUDIO, NULL },   { 0, 320, 1, 1, F_AUDIO, NULL }, { 320, 470, 2, 0, F_AUDIO, ISRC_A },
    { 470, 800, 2, 1, F_AUDIO, ISRC_A }, { 800, 950, 3, 0, F_XA, NULL },  { 950, 1350, 3, 1, F_XA, NULL },
};

static const struct disc discs[] = {
    { "audio-mode1", MCN_A, 850, segs_a, sizeof(segs_a) / sizeof(segs_a[0]) },
    { "audio-xa", "0000000000017", 1350, segs_b, sizeof(segs_b) / sizeof(segs_b[0]) },
};

static const struct seg *seg_at(const struct disc *d, int32_t lba)
{
    for (size_t i = 0; i < d->nsegs; i++)
        if (lba >= d->segs[i].from && lba < d->segs[i].to)
            return &d->segs[i];
    return NULL;
}

static struct rawimage *make_image(const struct disc *d)
{
    struct rawimage *img = NULL;
    srcs_used = 0;
    ok(rawimage_create(&img) == 0, "create\n");
    rawimage_set_mcn(img, d->mcn);
    if (d == &discs[0]) {
        add_track(img, RAWIMAGE_AUDIO, 300);
        add_track(img, RAWIMAGE_MODE1, 400);
        rawimage_set_isrc(img, 1, ISRC_A);
        rawimage_add_index(img, 1, 100);
    } else {
        add_track(img, RAWIMAGE_AUDIO, 320);
        add_track(img, RAWIMAGE_AUDIO, 330);
        add_track(img, RAWIMAGE_MODE2FORM1, 400);
        rawimage_set_isrc(img, 2, ISRC_A);
    }
    ok(rawimage_finalize(img) == 0 && rawimage_leadout_lba(img) == d->leadout, "%s: image, lead-out %d\n", d->name,
       rawimage_leadout_lba(img));
    return img;
}

/* ---- the independent decoder ---- */

static void deinterleave(const uint8_t raw[96], uint8_t ch[8][12])
{
    memset(ch, 0, 96);
    for (int sym = 0; sym < 96; sym++)
        for (int c = 0; c < 8; c++)
            if (raw[sym] & (1 << (7 - c)))
                ch[c][sym >> 3] |= (uint8_t)(1 << (7 - (sym & 7)));
}

static int from_bcd(uint8_t b)
{
    return (b >> 4) > 9 || (b & 15) > 9 ? -1 : (b >> 4) * 10 + (b & 15);
}

static int bcd_frames(const uint8_t *p)
{
    int m = from_bcd(p[0]), s = from_bcd(p[1]), f = from_bcd(p[2]);
    return m < 0 || s < 0 || f < 0 ? -1 : (m * 60 + s) * 75 + f;
}

/* CRC-32 of the EDC: x^32+x^31+x^16+x^15+x^4+x^3+x+1, LSB first, init 0. */
static uint32_t edc(const uint8_t *p, size_t n)
{
    uint32_t r = 0;
    for (size_t i = 0; i < n; i++) {
        r ^= p[i];
        for (int b = 0; b < 8; b++)
            r = (r >> 1) ^ ((r & 1) ? 0xD8018001u : 0);
    }
    return r;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct qcheck {
    const struct disc *d;
    int bad, crc, mode1_windows;
    int mcn_frames, isrc_frames;
    int32_t last_mcn, worst_mcn_gap, worst_isrc_gap, isrc_wrong_place;
    int32_t isrc_last[100];
    int window[10]; /* 1 when frame lba % 10 was not mode 1 */
};

static void fail_once(struct qcheck *c, const char *what, int32_t lba)
{
    if (c->bad++ < 5)
        ok(0, "%s: %s at LBA %d\n", c->d->name, what, lba);
}

static void isrc_text(const uint8_t *q, char out[13])
{
    uint32_t bits = (uint32_t)q[1] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 8 | q[4];
    for (int i = 0; i < 5; i++) {
        unsigned v = (bits >> (26 - 6 * i)) & 63;
        out[i] = (char)(v < 10 ? '0' + v : v >= 17 && v <= 42 ? 'A' + v - 17 : '?');
    }
    for (int i = 0; i < 7; i++)
        out[5 + i] = (char)('0' + ((q[5 + i / 2] >> (i % 2 ? 0 : 4)) & 15));
    out[12] = 0;
}

/* One program-area frame (track 1's pregap up to the lead-out). */
static void check_q(struct qcheck *c, int32_t lba, const uint8_t raw[96])
{
    uint8_t ch[8][12];
    deinterleave(raw, ch);
    const uint8_t *q = ch[1];
    const struct seg *s = seg_at(c->d, lba);
    uint16_t crc = t_crc16(q, 10);
    if (q[10] != (crc >> 8) || q[11] != (crc & 0xFF)) {
        c->crc++;
        return;
    }
    int adr = q[0] & 15, data = (q[0] >> 4) & 4;
    if (data != (s->form == F_AUDIO ? 0 : 4))
        fail_once(c, "control data bit", lba);
    int p_on = ch[0][0] == 0xFF, p_off = ch[0][0] == 0;
    if (!(s->index == 0 ? p_on : p_off))
        fail_once(c, "P flag", lba);
    c->window[((lba % 10) + 10) % 10] = adr != 1;
    if (lba - c->d->segs[0].from >= 9) {
        int other = 0;
        for (int i = 0; i < 10; i++)
            other += c->window[i];
        c->mode1_windows += other > 1;
    }
    if (adr == 1) {
        int32_t rel = bcd_frames(q + 3), abs = bcd_frames(q + 7);
        int32_t want_rel = s->index == 0 ? c->d->segs[s - c->d->segs + 1].from - lba : -1;
        if (from_bcd(q[1]) != s->tno || from_bcd(q[2]) != s->index || abs != lba + 150 || q[6] != 0 ||
            (s->index == 0 && rel != want_rel))
            fail_once(c, "ADR 1 frame", lba);
    } else if (adr == 2) {
        char mcn[14];
        for (int i = 0; i < 13; i++)
            mcn[i] = (char)('0' + ((q[1 + i / 2] >> (i % 2 ? 0 : 4)) & 15));
        mcn[13] = 0;
        if (strcmp(mcn, c->d->mcn) != 0 || from_bcd(q[9]) != (lba + 150) % 75)
            fail_once(c, "MCN frame", lba);
        if (lba - c->last_mcn > c->worst_mcn_gap)
            c->worst_mcn_gap = lba - c->last_mcn;
        c->last_mcn = lba;
        c->mcn_frames++;
    } else if (adr == 3) {
        char isrc[13];
        isrc_text(q, isrc);
        if (!s->isrc || s->index == 0 || s->form != F_AUDIO || strcmp(isrc, s->isrc) != 0)
            c->isrc_wrong_place++;
        if (from_bcd(q[9]) != (lba + 150) % 75)
            fail_once(c, "ISRC frame", lba);
        int32_t since = lba - (c->isrc_last[s->tno] ? c->isrc_last[s->tno] : lba);
        if (since > c->worst_isrc_gap)
            c->worst_isrc_gap = since;
        c->isrc_last[s->tno] = lba;
        c->isrc_frames++;
    } else {
        fail_once(c, "ADR", lba);
    }
    /* an ISRC track's index 1 must see its first ISRC within 100 frames */
    if (s->isrc && s->index == 1 && lba == s->from + 100 && !c->isrc_last[s->tno])
        fail_once(c, "no ISRC in the first 100 frames of index 1", lba);
}

static void begin_q(struct qcheck *c, const struct disc *d, int32_t first)
{
    memset(c, 0, sizeof(*c));
    c->d = d;
    c->last_mcn = first - 1;
}

static void end_q(struct qcheck *c, const char *where)
{
    if (c->d->leadout - c->last_mcn > c->worst_mcn_gap)
        c->worst_mcn_gap = c->d->leadout - c->last_mcn;
    ok(c->bad == 0 && c->crc == 0, "%s %s: Q frames decode (%d bad, %d CRC errors)\n", c->d->name, where, c->bad,
       c->crc);
    ok(c->mode1_windows == 0, "%s %s: mode 1 in 9 of every 10 frames (%d windows short)\n", c->d->name, where,
       c->mode1_windows);
    ok(c->mcn_frames > 0 && c->worst_mcn_gap <= 100, "%s %s: MCN at least once every 100 frames (%d, worst gap %d)\n",
       c->d->name, where, c->mcn_frames, c->worst_mcn_gap);
    ok(c->isrc_frames > 0 && c->isrc_wrong_place == 0 && c->worst_isrc_gap <= 100,
       "%s %s: ISRC only in its audio track's index >= 1, every 100 frames (%d, %d misplaced, worst gap %d)\n",
       c->d->name, where, c->isrc_frames, c->isrc_wrong_place, c->worst_isrc_gap);
}

/* A data sector as a reader gets it: sync, header MSF and mode, EDC. */
static int data_sector_ok(const struct seg *s, int32_t lba, const uint8_t *m)
{
    static const uint8_t sync[12] = { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0 };
    if (memcmp(m, sync, 12) != 0 || bcd_frames(m + 12) != lba + 150)
        return 0;
    if (s->form == F_MODE1)
        return m[15] == 1 && le32(m + 2064) == edc(m, 2064);
    if (m[15] != 2 || memcmp(m + 16, m + 20, 4) != 0)
        return 0;
    if (m[18] & 0x20) /* Form 2: EDC optional (zero) */
        return le32(m + 2348) == 0 || le32(m + 2348) == edc(m + 16, 2332);
    return le32(m + 2072) == edc(m + 16, 2056);
}

/* ---- the generator's stream, and the burn ---- */

static void check_stream(const struct disc *d, struct rawimage *img)
{
    struct qcheck c;
    uint8_t sector[CD_SECTOR_RAW_PW];
    begin_q(&c, d, -150);
    for (int32_t lba = -150; lba < d->leadout; lba++) {
        size_t done = 0;
        if (rawimage_read(img, (uint64_t)(lba - CD_RAW_IMAGE_START_LBA) * CD_SECTOR_RAW_PW, sector, CD_SECTOR_RAW_PW, &done) != 0) {
            ok(0, "read %d\n", lba);
            return;
        }
        check_q(&c, lba, sector + CD_SECTOR_SIZE);
    }
    end_q(&c, "image stream");
}

static int burn(struct vrec_drive *dr, struct rawimage *img, int32_t end)
{
    enum { CHUNK = 32 };
    static uint8_t buf[CD_SECTOR_RAW_PW * CHUNK];
    t_mode_select(dr, 3, 3, 0, 0);
    for (int32_t lba = CD_TYPICAL_LEADIN_LBA; lba < end; lba += CHUNK) {
        int n = end - lba < CHUNK ? end - lba : CHUNK;
        size_t done = 0;
        if (rawimage_read(img, (uint64_t)(lba - CD_RAW_IMAGE_START_LBA) * CD_SECTOR_RAW_PW, buf, CD_SECTOR_RAW_PW * (size_t)n, &done) != 0)
            return 0;
        t_write10(dr, lba, (uint16_t)n, buf, (uint32_t)done);
        if (!t_good())
            return 0;
    }
    t_sync(dr, 0);
    return t_good() && vrec_disc_state(dr) == VREC_DISC_CLOSED;
}

static void read_cd(struct vrec_drive *dr, int32_t lba, uint8_t out[CD_SECTOR_RAW_PW])
{
    uint8_t cdb[12] = { 0xBE, 0, (uint8_t)((uint32_t)lba >> 24), (uint8_t)((uint32_t)lba >> 16),
                        (uint8_t)((uint32_t)lba >> 8), (uint8_t)lba, 0, 0, 1, 0xF8, 1, 0 };
    memset(out, 0, CD_SECTOR_RAW_PW);
    t_exec(dr, cdb, sizeof(cdb), SCSI_DIR_IN, out, CD_SECTOR_RAW_PW);
}

/* Every sector READ CD returns: data (pregaps included) descrambled with a
 * good header and EDC, audio as the generator made it, Q by the rules. The
 * main channels are kept for the export check. */
static void check_readback(const struct disc *d, struct vrec_drive *dr, struct rawimage *img, uint8_t *mains)
{
    struct qcheck c;
    uint8_t got[CD_SECTOR_RAW_PW], want[CD_SECTOR_RAW_PW];
    int bad_data = 0, bad_audio = 0, bad_pregap = 0, errors = 0;
    begin_q(&c, d, 0);
    c.last_mcn = -1; /* LBA -1 cannot be read: the gap rule is checked from 0 on */
    for (int32_t lba = 0; lba < d->leadout; lba++) {
        const struct seg *s = seg_at(d, lba);
        read_cd(dr, lba, got);
        errors += !t_good();
        memcpy(mains + (size_t)lba * CD_SECTOR_SIZE, got, CD_SECTOR_SIZE);
        if (s->form == F_AUDIO) {
            size_t done = 0;
            rawimage_read(img, (uint64_t)(lba - CD_RAW_IMAGE_START_LBA) * CD_SECTOR_RAW_PW, want, CD_SECTOR_RAW_PW, &done);
            bad_audio += memcmp(got, want, CD_SECTOR_SIZE) != 0;
        } else if (!data_sector_ok(s, lba, got)) {
            if (s->index == 0 && bad_pregap++ < 2)
                ok(0, "%s: data pregap sector %d comes back wrong (scrambled?): %02x %02x %02x %02x\n", d->name, lba,
                   got[12], got[13], got[14], got[15]);
            bad_data++;
        }
        check_q(&c, lba, got + CD_SECTOR_SIZE);
    }
    ok(errors == 0, "%s: READ CD of every sector (%d errors)\n", d->name, errors);
    ok(bad_data == 0, "%s: every data sector read back descrambled, header and EDC good (%d bad, %d in pregaps)\n",
       d->name, bad_data, bad_pregap);
    ok(bad_audio == 0, "%s: audio sectors as written (%d differ)\n", d->name, bad_audio);
    end_q(&c, "READ CD");
}

/* libcdio's reading of the exported cue: every track where the disc has
 * it, of its kind (audio, data, XA), and the catalog number. */
static void check_cdinfo(const struct disc *d, const char *base)
{
    char cmd[1024], out[300], want[64];
    if (!tool_present("cd-info")) {
        skip("cd-info not installed\n");
        return;
    }
    snprintf(out, sizeof(out), "%s.cdinfo", base);
    snprintf(cmd, sizeof(cmd), "cd-info --no-header --no-device-info --no-cddb -q --cue-file %s.cue > %s 2>&1", base,
             out);
    int rc = system(cmd), good = rc == 0;
    const char *text = slurp(out);
    for (size_t i = 0; good && text && i < d->nsegs; i++) {
        const struct seg *s = &d->segs[i];
        if (s->index != 1)
            continue;
        int32_t f = s->from + 150;
        snprintf(want, sizeof(want), "%3d: %02d:%02d:%02d  %06d %s", s->tno, f / 4500, f / 75 % 60, f % 75, s->from,
                 s->form == F_AUDIO ? "audio" : s->form == F_XA ? "XA" : "data");
        good = strstr(text, want) != NULL;
    }
    good = good && text && strstr(text, d->mcn);
    ok(good, "%s: cd-info reads the exported cue (rc %d):\n%s", d->name, rc, text ? text : "");
    remove(out);
}

/* bchunk cuts the exported .bin by the cue: a Mode 1 track's ISO holds the
 * source's user data (the pregap is not part of it). */
static void check_bchunk(const struct disc *d, const char *base)
{
    char cmd[1024], iso[300];
    if (d != &discs[0])
        return;
    if (!tool_present("bchunk")) {
        skip("bchunk not installed\n");
        return;
    }
    snprintf(cmd, sizeof(cmd), "cd /tmp && bchunk %s.bin %s.cue %s_chunk > /dev/null 2>&1", base, base, base);
    int rc = system(cmd), same = rc == 0;
    snprintf(iso, sizeof(iso), "%s_chunk02.iso", base);
    FILE *f = fopen(iso, "rb");
    uint8_t u[2048];
    same = same && f;
    for (uint64_t k = 0; same && k < 400; k++) {
        same = fread(u, 1, 2048, f) == 2048;
        for (int i = 0; same && i < 2048; i++)
            same = u[i] == pattern(2, k * 2048 + (uint64_t)i);
    }
    ok(same, "%s: bchunk's track 2 ISO equals the Mode 1 source (rc %d)\n", d->name, rc);
    if (f)
        fclose(f);
    remove(iso);
    snprintf(iso, sizeof(iso), "%s_chunk01.cdr", base);
    remove(iso);
}

static void check_export(const struct disc *d, const char *media, const uint8_t *mains)
{
    char base[256], name[300];
    snprintf(base, sizeof(base), "/tmp/test_vrec_discs_%ld", (long)getpid());
    ok(vrec_export_clonecd(media, base) == 0, "%s: CloneCD export\n", d->name);
    snprintf(name, sizeof(name), "%s.img", base);
    FILE *f = fopen(name, "rb");
    uint8_t m[CD_SECTOR_SIZE];
    int differ = 0, data_bad = 0;
    for (int32_t lba = 0; f && lba < d->leadout; lba++) {
        if (fread(m, 1, CD_SECTOR_SIZE, f) != CD_SECTOR_SIZE) {
            differ++;
            break;
        }
        differ += memcmp(m, mains + (size_t)lba * CD_SECTOR_SIZE, CD_SECTOR_SIZE) != 0;
        const struct seg *s = seg_at(d, lba);
        data_bad += s->form != F_AUDIO && !data_sector_ok(s, lba, m);
    }
    ok(f && differ == 0 && data_bad == 0, "%s: .img equals READ CD, data descrambled (%d differ, %d bad data)\n",
       d->name, differ, data_bad);
    if (f)
        fclose(f);
    remove(name);
    snprintf(name, sizeof(name), "%s.ccd", base);
    const char *text = slurp(name);
    char want[64];
    snprintf(want, sizeof(want), "\nCATALOG=%s\n", d->mcn);
    ok(text && strstr(text, "DataTracksScrambled=0\n") && strstr(text, want), "%s: .ccd names the catalog:\n%s",
       d->name, text ? text : "(none)");
    remove(name);
    snprintf(name, sizeof(name), "%s.sub", base);
    remove(name);
    ok(vrec_export_cue_bin(media, base) == 0, "%s: CUE/BIN export\n", d->name);
    snprintf(name, sizeof(name), "%s.bin", base);
    f = fopen(name, "rb");
    differ = 0;
    for (int32_t lba = 0; f && lba < d->leadout; lba++)
        differ += fread(m, 1, CD_SECTOR_SIZE, f) != CD_SECTOR_SIZE || memcmp(m, mains + (size_t)lba * CD_SECTOR_SIZE, CD_SECTOR_SIZE) != 0;
    ok(f && differ == 0, "%s: .bin equals READ CD (%d differ)\n", d->name, differ);
    if (f)
        fclose(f);
    snprintf(name, sizeof(name), "%s.cue", base);
    text = slurp(name);
    snprintf(want, sizeof(want), "CATALOG %s\n", d->mcn);
    ok(text && strncmp(text, want, strlen(want)) == 0, "%s: cue CATALOG\n", d->name);
    check_cdinfo(d, base);
    check_bchunk(d, base);
    remove(name);
    snprintf(name, sizeof(name), "%s.bin", base);
    remove(name);
}

static void test_disc(const struct disc *d)
{
    char media[256];
    t_media_path(media, sizeof(media), d->name);
    t_media_remove(media);
    struct rawimage *img = make_image(d);
    check_stream(d, img);
    struct vrec_drive *dr = t_open(media, VREC_MEDIA_CDR80, NULL, NULL);
    ok(burn(dr, img, d->leadout + CD_FIRST_LEADOUT_SECTORS), "%s: burnt and closed " T_SENSE_FMT "\n", d->name, T_SENSE_ARGS);
    uint8_t *mains = calloc((size_t)d->leadout, CD_SECTOR_SIZE);
    check_readback(d, dr, img, mains);
    vrec_close(dr);
    check_export(d, media, mains);
    free(mains);
    rawimage_free(img);
    t_media_remove(media);
}

int main(void)
{
    for (size_t i = 0; i < sizeof(discs) / sizeof(discs[0]); i++)
        test_disc(&discs[i]);
    return okay_summary("vrec_discs");
}
