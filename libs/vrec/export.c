/* Export of a closed disc as standard images. Both hold the program area
 * (LBA 0 up to the lead-out) as a reader sees it: data sectors descrambled,
 * audio as recorded, so the files equal the host's sectors byte for byte once
 * the host's scrambling is undone (DataTracksScrambled=0).
 *   CloneCD: .img 2352 bytes a sector, .sub 96 bytes a sector de-interleaved
 *            (P..W, 12 bytes each), .ccd the full TOC as text.
 *   CUE/BIN: .bin 2352 bytes a sector, .cue with INDEX 00 from the Q channel.
 * CD-Text found in the lead-in R-W goes along: CloneCD keeps it in a
 * [CDText] section (Entry n = the 16 bytes of pack n without its CRC, as
 * CloneCD and DiscImageCreator write it); the cue gets TITLE / PERFORMER /
 * SONGWRITER / COMPOSER / ARRANGER / MESSAGE / DISC_ID / GENRE lines in ISO
 * 8859-1, which is how libcdio reads cue text, and the packs themselves go
 * to base.cdt (18 bytes each with CRC, the file cdrecord's textfile= and
 * CDTEXTFILE take). The cue does not name the .cdt: libcdio 2.1's pack
 * reader skips empty strings without moving to the next track, so a track
 * with no performer between two with one would show its neighbour's; the
 * lines, decoded here, say it right. */
#include <stdlib.h>
#include <string.h>

#include "mmc/cdtext.h"
#include "vrec_internal.h"

#define MAX_TEXT_PACKS (CDTEXT_BLOCKS * CDTEXT_BLOCK_PACKS)

struct disc_reader {
    struct vrec_media m;
    FILE *sectors;
    uint8_t scramble[VREC_SCRAMBLE_BYTES];
    int32_t leadout;
    int first, last;
    uint8_t *text_packs;      /* lead-in CD-Text, NULL when none */
    size_t text_count;
};

#define MAX_INDEX 99

struct track_layout {
    int32_t start[100];
    int32_t index0[100]; /* -1: no pregap seen in the program area */
    int mode[100];       /* 0 audio, 1 Mode 1, 2 Mode 2 */
    int32_t index[100][MAX_INDEX + 1]; /* first LBA of indexes 2..99, -1 when absent */
    char isrc[100][13];  /* from ADR 3 frames, "" when none */
    char mcn[14];        /* from ADR 2 frames, "" when none */
};

static int open_disc(const char *media_path, struct disc_reader *r)
{
    memset(r, 0, sizeof(*r));
    if (vrec_media_load(media_path, &r->m) != 0)
        return -2;
    if (r->m.state != VREC_DISC_CLOSED || !vrec_toc_complete(&r->m))
        return -1;
    char *sp = vrec_sectors_path(media_path);
    if (!sp)
        return -2;
    r->sectors = fopen(sp, "rb");
    free(sp);
    vrec_scramble_table(r->scramble);
    r->leadout = vrec_toc_leadout(&r->m);
    r->first = vrec_toc_first_track(&r->m);
    r->last = vrec_toc_last_track(&r->m);
    r->text_packs = malloc(MAX_TEXT_PACKS * CDTEXT_PACK_SIZE);
    if (!r->text_packs)
        return -2;
    r->text_count = vrec_read_cdtext(r->sectors, &r->m, r->text_packs, MAX_TEXT_PACKS);
    return 0;
}

static void close_disc(struct disc_reader *r)
{
    if (r->sectors)
        fclose(r->sectors);
    free(r->text_packs);
}

/* A sector's record with its main channel as a reader sees it. */
static int read_plain(struct disc_reader *r, int32_t lba, uint8_t rec[CD_SECTOR_RAW_PW])
{
    if (vrec_read_record(r->sectors, &r->m, lba, rec) != 0)
        return -2;
    if (vrec_sector_is_data(&r->m, lba, rec) && vrec_has_sync(rec))
        vrec_descramble(r->scramble, rec);
    return 0;
}

/* The track an LBA of the program area belongs to (ADR 2/3 frames do not say). */
static int track_at(const struct disc_reader *r, const struct track_layout *t, int32_t lba)
{
    int track = r->first;
    for (int n = r->first; n <= r->last; n++)
        if (t->start[n] <= lba)
            track = n;
    return track;
}

/* What one Q frame of the program area tells the cue sheet: pregaps,
 * indexes, the catalog number and each track's ISRC (first seen wins). */
static void note_q(const struct disc_reader *r, struct track_layout *t, int32_t lba, const struct cd_subq *q)
{
    if (q->adr == 2 && !t->mcn[0]) {
        memcpy(t->mcn, q->mcn, sizeof(t->mcn));
    } else if (q->adr == 3) {
        int track = track_at(r, t, lba);
        if (!t->isrc[track][0])
            memcpy(t->isrc[track], q->isrc, sizeof(t->isrc[track]));
    } else if (q->adr == 1 && q->tno >= 1 && q->tno <= 99) {
        int idx = q->index_or_point;
        if (idx == 0 && t->index0[q->tno] < 0 && lba < t->start[q->tno])
            t->index0[q->tno] = lba;
        else if (idx >= 2 && idx <= MAX_INDEX && t->index[q->tno][idx] < 0)
            t->index[q->tno][idx] = lba;
    }
}

static int scan_tracks(struct disc_reader *r, struct track_layout *t)
{
    uint8_t rec[CD_SECTOR_RAW_PW], ch[8][12];
    memset(t->isrc, 0, sizeof(t->isrc));
    memset(t->mcn, 0, sizeof(t->mcn));
    for (int n = 0; n < 100; n++) {
        t->index0[n] = -1;
        for (int i = 0; i <= MAX_INDEX; i++)
            t->index[n][i] = -1;
    }
    for (int n = r->first; n <= r->last; n++) {
        t->start[n] = vrec_toc_lba(&r->m.toc[n]);
        t->mode[n] = 0;
        if ((r->m.toc[n].control & 0x04) && read_plain(r, t->start[n], rec) == 0)
            t->mode[n] = rec[15] == 2 ? 2 : 1;
    }
    for (int32_t lba = 0; lba < r->leadout; lba++) {
        struct cd_subq q;
        if (read_plain(r, lba, rec) != 0)
            return -2;
        vrec_record_channels(r->m.layout, rec, ch);
        if (cd_subq_decode(ch[1], &q))
            note_q(r, t, lba, &q);
    }
    return 0;
}

static FILE *open_with_ext(const char *base, const char *ext, const char *mode)
{
    size_t n = strlen(base), e = strlen(ext);
    char *p = malloc(n + e + 1);
    if (!p)
        return NULL;
    memcpy(p, base, n);
    memcpy(p + n, ext, e + 1);
    FILE *f = fopen(p, mode);
    free(p);
    return f;
}

static int close_all(FILE **files, int count, int rc)
{
    for (int i = 0; i < count; i++)
        if (files[i] && fclose(files[i]) != 0)
            rc = -2;
    return rc;
}

static int32_t msf_field_lba(uint8_t m, uint8_t s, uint8_t f)
{
    return ((int32_t)m * 60 + s) * CD_FRAMES_PER_SECOND + f - CD_MSF_OFFSET;
}

static void write_ccd_entry(FILE *f, int index, int point, const struct vrec_toc_entry *e)
{
    fprintf(f,
            "[Entry %d]\nSession=1\nPoint=0x%02x\nADR=0x%02x\nControl=0x%02x\nTrackNo=0\n"
            "AMin=%u\nASec=%u\nAFrame=%u\nALBA=%ld\nZero=0\nPMin=%u\nPSec=%u\nPFrame=%u\nPLBA=%ld\n",
            index, point, e->adr, e->control, e->min, e->sec, e->frame, (long)msf_field_lba(e->min, e->sec, e->frame),
            e->pmin, e->psec, e->pframe, (long)msf_field_lba(e->pmin, e->psec, e->pframe));
}

static void write_ccd_text(FILE *f, const struct disc_reader *r)
{
    fprintf(f, "[CDText]\nEntries=%u\n", (unsigned)r->text_count);
    for (size_t i = 0; i < r->text_count; i++) {
        const uint8_t *p = r->text_packs + i * CDTEXT_PACK_SIZE;
        fprintf(f, "Entry %u=", (unsigned)i);
        for (int j = 0; j < 16; j++)
            fprintf(f, j ? " %02x" : "%02x", p[j]);
        fputc('\n', f);
    }
}

static void write_ccd(FILE *f, const struct disc_reader *r, const struct track_layout *t)
{
    int entries = 3 + r->last - r->first + 1, index = 0;
    fprintf(f, "[CloneCD]\nVersion=3\n[Disc]\nTocEntries=%d\nSessions=1\nDataTracksScrambled=0\nCDTextLength=%u\n",
            entries, (unsigned)(r->text_count * CDTEXT_PACK_SIZE));
    if (t->mcn[0])
        fprintf(f, "CATALOG=%s\n", t->mcn);
    if (r->text_count)
        write_ccd_text(f, r);
    fprintf(f, "[Session 1]\nPreGapMode=%d\nPreGapSubC=0\n", t->mode[r->first]);
    for (int p = 0xA0; p <= 0xA2; p++)
        write_ccd_entry(f, index++, p, &r->m.toc[p]);
    for (int n = r->first; n <= r->last; n++)
        write_ccd_entry(f, index++, n, &r->m.toc[n]);
    for (int n = r->first; n <= r->last; n++) {
        fprintf(f, "[TRACK %d]\nMODE=%d\n", n, t->mode[n]);
        if (t->index0[n] >= 0)
            fprintf(f, "INDEX 0=%ld\n", (long)t->index0[n]);
        fprintf(f, "INDEX 1=%ld\n", (long)t->start[n]);
    }
}

int vrec_export_clonecd(const char *media_path, const char *base)
{
    struct disc_reader r;
    struct track_layout t;
    int rc = open_disc(media_path, &r);
    if (rc == 0)
        rc = scan_tracks(&r, &t);
    FILE *files[3] = { NULL, NULL, NULL };
    if (rc == 0) {
        files[0] = open_with_ext(base, ".img", "wb");
        files[1] = open_with_ext(base, ".sub", "wb");
        files[2] = open_with_ext(base, ".ccd", "w");
        if (!files[0] || !files[1] || !files[2])
            rc = -2;
    }
    uint8_t rec[CD_SECTOR_RAW_PW], ch[8][12];
    for (int32_t lba = 0; rc == 0 && lba < r.leadout; lba++) {
        rc = read_plain(&r, lba, rec);
        vrec_record_channels(r.m.layout, rec, ch);
        if (rc == 0 && (fwrite(rec, 1, CD_SECTOR_SIZE, files[0]) != CD_SECTOR_SIZE ||
                        fwrite(ch, 1, CD_SUBCODE_RAW, files[1]) != CD_SUBCODE_RAW))
            rc = -2;
    }
    if (rc == 0)
        write_ccd(files[2], &r, &t);
    close_disc(&r);
    return close_all(files, 3, rc);
}

static const char *file_name_of(const char *path)
{
    const char *name = path;
    for (const char *p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            name = p + 1;
    return name;
}

static void write_cue_time(FILE *f, int index, int32_t lba)
{
    struct cd_msf msf = cd_frames_to_msf(lba);
    fprintf(f, "    INDEX %02d %02u:%02u:%02u\n", index, msf.m, msf.s, msf.f);
}

/* The text fields a cue sheet has lines for (its CATALOG and ISRC are the
 * Q channel's codes, so CD-Text's UPC/ISRC stay in the .cdt file). */
static const int cue_text_fields[] = { CDTEXT_TITLE,   CDTEXT_PERFORMER, CDTEXT_SONGWRITER, CDTEXT_COMPOSER,
                                       CDTEXT_ARRANGER, CDTEXT_MESSAGE,  CDTEXT_DISC_ID,    CDTEXT_GENRE };

/* A text with a double quote cannot be a cue string: the .cdt keeps it. */
static void write_cue_texts(FILE *f, const struct cdtext *text, int track, const char *indent)
{
    for (size_t i = 0; text && i < sizeof(cue_text_fields) / sizeof(cue_text_fields[0]); i++) {
        const char *s = cdtext_get(text, cue_text_fields[i], track);
        if (s && !strchr(s, '"'))
            fprintf(f, "%s%s \"%s\"\n", indent, cdtext_field_name(cue_text_fields[i]), s);
    }
}

static void write_cue(FILE *f, const char *base, const struct disc_reader *r, const struct track_layout *t,
                      const struct cdtext *text)
{
    static const char *const modes[] = { "AUDIO", "MODE1/2352", "MODE2/2352" };
    if (t->mcn[0])
        fprintf(f, "CATALOG %s\n", t->mcn);
    write_cue_texts(f, text, 0, "");
    fprintf(f, "FILE \"%s.bin\" BINARY\n", file_name_of(base));
    for (int n = r->first; n <= r->last; n++) {
        uint8_t control = r->m.toc[n].control;
        fprintf(f, "  TRACK %02d %s\n", n, modes[t->mode[n]]);
        write_cue_texts(f, text, n, "    ");
        if (t->isrc[n][0])
            fprintf(f, "    ISRC %s\n", t->isrc[n]);
        if (control & 0x0B)
            fprintf(f, "    FLAGS%s%s%s\n", (control & 0x02) ? " DCP" : "", (control & 0x08) ? " 4CH" : "",
                    (control & 0x01) ? " PRE" : "");
        if (t->index0[n] >= 0)
            write_cue_time(f, 0, t->index0[n]);
        write_cue_time(f, 1, t->start[n]);
        for (int i = 2; i <= MAX_INDEX; i++)
            if (t->index[n][i] >= 0)
                write_cue_time(f, i, t->index[n][i]);
    }
}

int vrec_export_cue_bin(const char *media_path, const char *base)
{
    struct disc_reader r;
    struct track_layout t;
    int rc = open_disc(media_path, &r);
    if (rc == 0)
        rc = scan_tracks(&r, &t);
    FILE *files[3] = { NULL, NULL, NULL };
    struct cdtext *text = NULL;
    if (rc == 0) {
        files[0] = open_with_ext(base, ".bin", "wb");
        files[1] = open_with_ext(base, ".cue", "w");
        if (!files[0] || !files[1])
            rc = -2;
    }
    if (rc == 0 && r.text_count) {
        /* undecodable packs still go to the .cdt as recorded; only the lines need texts */
        cdtext_decode(r.text_packs, r.text_count, &text, NULL);
        files[2] = open_with_ext(base, ".cdt", "wb");
        if (!files[2] || fwrite(r.text_packs, CDTEXT_PACK_SIZE, r.text_count, files[2]) != r.text_count)
            rc = -2;
    }
    uint8_t rec[CD_SECTOR_RAW_PW];
    for (int32_t lba = 0; rc == 0 && lba < r.leadout; lba++) {
        rc = read_plain(&r, lba, rec);
        if (rc == 0 && fwrite(rec, 1, CD_SECTOR_SIZE, files[0]) != CD_SECTOR_SIZE)
            rc = -2;
    }
    if (rc == 0)
        write_cue(files[1], base, &r, &t, text);
    cdtext_free(text);
    close_disc(&r);
    return close_all(files, 3, rc);
}
