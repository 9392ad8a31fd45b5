/* The disc: kinds, the state file, stored sectors, and the TOC learnt from the
 * lead-in Q of what was written. File formats are described in README.md. */
#include <stdlib.h>
#include <string.h>

#include "vfile.h"
#include "vrec_internal.h"

#define LEADOUT_74 332850      /* 74:00:00 */
#define PRESET_LEADOUT (60 * CD_FRAMES_PER_SECOND)    /* written/pressed presets: one data track of one minute */

static const struct vrec_kind_info kinds[VREC_MEDIA_KIND_COUNT] = {
    [VREC_MEDIA_NONE] = { "none", 0x0000, false, false, false, false, VREC_DISC_BLANK, CD_TYPICAL_LEADIN_LBA, 0, 0, false },
    [VREC_MEDIA_CDR74] = { "cdr74", 0x0009, true, true, false, false, VREC_DISC_BLANK, CD_TYPICAL_LEADIN_LBA, LEADOUT_74, 0, false },
    [VREC_MEDIA_CDR80] = { "cdr80", 0x0009, true, true, false, false, VREC_DISC_BLANK, CD_TYPICAL_LEADIN_LBA, CD80_LAST_LEADOUT_LBA, 0, false },
    [VREC_MEDIA_CDRW] = { "cdrw", 0x000A, true, true, true, false, VREC_DISC_BLANK, CD_TYPICAL_LEADIN_LBA, CD80_LAST_LEADOUT_LBA, 0, false },
    [VREC_MEDIA_CDR_CLOSED] = { "cdr-closed", 0x0009, true, true, false, false, VREC_DISC_CLOSED, CD_TYPICAL_LEADIN_LBA, CD80_LAST_LEADOUT_LBA, 0, false },
    [VREC_MEDIA_CDRW_WRITTEN] = { "cdrw-written", 0x000A, true, true, true, false, VREC_DISC_CLOSED, CD_TYPICAL_LEADIN_LBA, CD80_LAST_LEADOUT_LBA, 0, false },
    [VREC_MEDIA_CDROM] = { "cdrom", 0x0008, true, false, false, false, VREC_DISC_CLOSED, CD_TYPICAL_LEADIN_LBA, CD80_LAST_LEADOUT_LBA, 0, false },
    [VREC_MEDIA_DVD] = { "dvd", 0x0010, false, false, false, false, VREC_DISC_CLOSED, CD_TYPICAL_LEADIN_LBA, 0, 0, false },
    [VREC_MEDIA_CDR_PROTECTED] = { "cdr-protected", 0x0009, true, true, false, true, VREC_DISC_BLANK, CD_TYPICAL_LEADIN_LBA, CD80_LAST_LEADOUT_LBA, 0, false },
    [VREC_MEDIA_DVDPLUSR] = { "dvd+r", 0x001B, false, true, false, false, VREC_DISC_BLANK, 0, DVD_PLUS_R_SL_SECTORS, DVD_ECC_BLOCK_SECTORS, false },
    [VREC_MEDIA_BDR] = { "bd-r", 0x0041, false, true, false, false, VREC_DISC_BLANK, 0, BD_R_SL_SECTORS, BD_CLUSTER_SECTORS, false },
    [VREC_MEDIA_DVDR] = { "dvd-r", 0x0011, false, true, false, false, VREC_DISC_BLANK, 0, DVD_DASH_R_SL_SECTORS, DVD_ECC_BLOCK_SECTORS, true },
};

static const char *const state_names[] = {
    [VREC_DISC_BLANK] = "blank",
    [VREC_DISC_WRITING] = "writing",
    [VREC_DISC_CLOSED] = "closed",
    [VREC_DISC_INDETERMINATE] = "indeterminate",
    [VREC_DISC_OPEN] = "open",
};

const struct vrec_kind_info *vrec_kind(enum vrec_media_kind kind)
{
    return &kinds[(unsigned)kind < VREC_MEDIA_KIND_COUNT ? kind : VREC_MEDIA_NONE];
}

const char *vrec_media_kind_name(enum vrec_media_kind kind)
{
    return vrec_kind(kind)->name;
}

bool vrec_media_kind_from_name(const char *name, enum vrec_media_kind *out)
{
    for (int k = 0; k < VREC_MEDIA_KIND_COUNT; k++) {
        if (strcmp(kinds[k].name, name) == 0) {
            *out = (enum vrec_media_kind)k;
            return true;
        }
    }
    return false;
}

static bool state_from_name(const char *name, enum vrec_disc_state *out)
{
    for (unsigned s = 0; s < sizeof(state_names) / sizeof(state_names[0]); s++) {
        if (strcmp(state_names[s], name) == 0) {
            *out = (enum vrec_disc_state)s;
            return true;
        }
    }
    return false;
}

static void set_toc_entry(struct vrec_media *m, uint8_t point, uint8_t control, int32_t lba_or_values)
{
    struct vrec_toc_entry *e = &m->toc[point];
    e->present = true;
    e->control = control;
    e->adr = 1;
    if (point == 0xA0 || point == 0xA1) {
        e->pmin = (uint8_t)lba_or_values; /* first / last track number; PSEC = disc type 0 */
        return;
    }
    struct cd_msf msf = cd_lba_to_msf(lba_or_values);
    e->pmin = msf.m;
    e->psec = msf.s;
    e->pframe = msf.f;
}

void vrec_media_blank(struct vrec_media *m)
{
    enum vrec_media_kind kind = m->kind;
    memset(m, 0, sizeof(*m));
    m->kind = kind;
    m->state = VREC_DISC_BLANK;
    m->next_lba = vrec_kind(kind)->leadin_start;
}

/* Written and pressed presets carry one data track at LBA 0 (sectors read as zeros). */
static void preset_media(struct vrec_media *m, enum vrec_media_kind kind)
{
    m->kind = kind;
    vrec_media_blank(m);
    m->state = vrec_kind(kind)->initial;
    if (m->state != VREC_DISC_CLOSED || !vrec_kind(kind)->is_cd)
        return;
    set_toc_entry(m, 0xA0, 4, 1);
    set_toc_entry(m, 0xA1, 4, 1);
    set_toc_entry(m, 0xA2, 4, PRESET_LEADOUT);
    set_toc_entry(m, 0x01, 4, 0);
}

int vrec_media_save(const char *path, const struct vrec_media *m)
{
    /* Readers in other processes must never see half a file: write a
     * temporary copy and rename it over the old one. */
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    if (!tmp)
        return -1;
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        free(tmp);
        return -2;
    }
    fprintf(f, "vrec-media 1\nkind %s\nstate %s\nlayout %d\nnext-lba %ld\n", vrec_media_kind_name(m->kind),
            state_names[m->state], m->layout, (long)m->next_lba);
    if (m->next_session)
        fprintf(f, "next-session 1\n");
    for (int t = 1; t <= m->tao_tracks && t <= VREC_TAO_MAX_TRACKS; t++)
        fprintf(f, "tao-track %d %x %ld %ld\n", t, m->tao[t].control, (long)m->tao[t].start, (long)m->tao[t].length);
    for (int t = 1; t <= m->tao_tracks && t <= VREC_TAO_MAX_TRACKS; t++)
        if (m->session[t])
            fprintf(f, "track-session %d %u\n", t, m->session[t]);
    for (int p = 0; p < 256; p++) {
        const struct vrec_toc_entry *e = &m->toc[p];
        if (e->present)
            fprintf(f, "toc %02x %x %x %u %u %u %u %u %u\n", (unsigned)p, e->control, e->adr, e->min, e->sec,
                    e->frame, e->pmin, e->psec, e->pframe);
    }
    int rc = ferror(f) ? -2 : 0;
    if (fclose(f) != 0)
        rc = -2;
    if (rc == 0 && rename(tmp, path) != 0) {
        /* The Windows C runtime does not rename over an existing file. */
        remove(path);
        if (rename(tmp, path) != 0)
            rc = -2;
    }
    free(tmp);
    return rc;
}

static bool parse_toc_line(const char *line, struct vrec_media *m)
{
    unsigned p, ctl, adr, v[6];
    if (sscanf(line, "toc %x %x %x %u %u %u %u %u %u", &p, &ctl, &adr, &v[0], &v[1], &v[2], &v[3], &v[4],
               &v[5]) != 9 || p > 255 || ctl > 15 || adr > 15)
        return false;
    for (int i = 0; i < 6; i++)
        if (v[i] > 255)
            return false;
    struct vrec_toc_entry *e = &m->toc[p];
    *e = (struct vrec_toc_entry){ true, (uint8_t)ctl, (uint8_t)adr, (uint8_t)v[0], (uint8_t)v[1], (uint8_t)v[2],
                                  (uint8_t)v[3], (uint8_t)v[4], (uint8_t)v[5] };
    return true;
}

/* Tracks come in order: track t follows t - 1. */
static bool parse_tao_line(const char *line, struct vrec_media *m)
{
    int t;
    unsigned control;
    long start, length;
    if (sscanf(line, "tao-track %d %x %ld %ld", &t, &control, &start, &length) != 4 || t != m->tao_tracks + 1 ||
        t > VREC_TAO_MAX_TRACKS || control > 15 || start < -CD_PREGAP_SECTORS || start > 20000000 || length < 1 || length > 20000000)
        return false;
    m->tao[t] = (struct vrec_tao_track){ (int32_t)start, (int32_t)length, (uint8_t)control };
    m->tao_tracks = t;
    return true;
}

/* After the tracks it names: each track's session, not decreasing. */
static bool parse_session_line(const char *line, struct vrec_media *m)
{
    int t;
    unsigned session;
    if (sscanf(line, "track-session %d %u", &t, &session) != 2 || t < 1 || t > m->tao_tracks || session < 1 ||
        session > VREC_TAO_MAX_TRACKS || (t > 1 && session < m->session[t - 1]))
        return false;
    m->session[t] = (uint8_t)session;
    return true;
}

static bool parse_state_line(const char *line, struct vrec_media *m)
{
    char word[32];
    long num;
    if (sscanf(line, "kind %31s", word) == 1)
        return vrec_media_kind_from_name(word, &m->kind);
    if (sscanf(line, "state %31s", word) == 1)
        return state_from_name(word, &m->state);
    if (sscanf(line, "layout %ld", &num) == 1) {
        m->layout = (int)num;
        return num >= 0 && num <= 3;
    }
    if (sscanf(line, "next-lba %ld", &num) == 1) {
        m->next_lba = (int32_t)num;
        return num > -100000 && num < 1000000;
    }
    if (strncmp(line, "toc ", 4) == 0)
        return parse_toc_line(line, m);
    if (strncmp(line, "tao-track ", 10) == 0)
        return parse_tao_line(line, m);
    if (strncmp(line, "track-session ", 14) == 0)
        return parse_session_line(line, m);
    if (sscanf(line, "next-session %ld", &num) == 1) {
        m->next_session = num != 0;
        return true;
    }
    return strncmp(line, "vrec-media 1", 12) == 0;
}

int vrec_media_load(const char *path, struct vrec_media *m)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -2;
    struct vrec_media tmp;
    memset(&tmp, 0, sizeof(tmp));
    char line[128];
    bool good = true;
    while (good && fgets(line, sizeof(line), f))
        good = parse_state_line(line, &tmp);
    fclose(f);
    if (!good)
        return -2;
    *m = tmp;
    return 0;
}

char *vrec_sectors_path(const char *path)
{
    size_t n = strlen(path);
    char *p = malloc(n + 9);
    if (p) {
        memcpy(p, path, n);
        memcpy(p + n, ".sectors", 9);
    }
    return p;
}

int vrec_media_create(const char *path, enum vrec_media_kind kind)
{
    if ((unsigned)kind >= VREC_MEDIA_KIND_COUNT || kind == VREC_MEDIA_NONE)
        return -1;
    struct vrec_media m;
    preset_media(&m, kind);
    char *sp = vrec_sectors_path(path);
    if (!sp)
        return -2;
    FILE *f = fopen(sp, "wb"); /* a new disc has no recorded sectors */
    free(sp);
    if (!f)
        return -2;
    fclose(f);
    return vrec_media_save(path, &m) == 0 ? 0 : -2;
}

int64_t vrec_record_offset(const struct vrec_media *m, int32_t lba)
{
    return ((int64_t)lba - vrec_kind(m->kind)->leadin_start) * CD_SECTOR_RAW_PW;
}

int vrec_read_record(FILE *f, const struct vrec_media *m, int32_t lba, uint8_t rec[CD_SECTOR_RAW_PW])
{
    memset(rec, 0, CD_SECTOR_RAW_PW);
    int64_t off = vrec_record_offset(m, lba);
    if (!f || off < 0)
        return 0;
    if (vfile_seek(f, off) != 0)
        return -2;
    size_t got = fread(rec, 1, CD_SECTOR_RAW_PW, f);
    (void)got; /* short read past the end: the rest of the sector was never written */
    return ferror(f) ? -2 : 0;
}

int32_t vrec_toc_lba(const struct vrec_toc_entry *e)
{
    return cd_msf_to_lba((struct cd_msf){ e->pmin, e->psec, e->pframe });
}

int vrec_toc_first_track(const struct vrec_media *m)
{
    return m->toc[0xA0].pmin;
}

int vrec_toc_last_track(const struct vrec_media *m)
{
    return m->toc[0xA1].pmin;
}

int32_t vrec_toc_leadout(const struct vrec_media *m)
{
    return vrec_toc_lba(&m->toc[0xA2]);
}

bool vrec_toc_complete(const struct vrec_media *m)
{
    if (!m->toc[0xA0].present || !m->toc[0xA1].present || !m->toc[0xA2].present)
        return false;
    int first = vrec_toc_first_track(m), last = vrec_toc_last_track(m);
    if (first < 1 || last > 99 || first > last)
        return false;
    for (int t = first; t <= last; t++)
        if (!m->toc[t].present)
            return false;
    return true;
}

int vrec_toc_track_of(const struct vrec_media *m, int32_t lba, uint8_t *control)
{
    int found = 0;
    for (int t = vrec_toc_first_track(m); t >= 1 && t <= vrec_toc_last_track(m); t++) {
        if (m->toc[t].present && vrec_toc_lba(&m->toc[t]) <= lba) {
            found = t;
            *control = m->toc[t].control;
        }
    }
    return found;
}

static bool is_toc_point(uint8_t point)
{
    return (point >= 1 && point <= 99) || point == 0xA0 || point == 0xA1 || point == 0xA2;
}

void vrec_toc_learn(struct vrec_media *m, const uint8_t q[CD_SUBQ_LEN])
{
    struct cd_subq s;
    if (!cd_subq_decode(q, &s) || s.adr != 1 || s.tno != 0 || !is_toc_point(s.index_or_point))
        return;
    struct vrec_toc_entry *e = &m->toc[s.index_or_point];
    if (e->present)
        return; /* each entry repeats through the lead-in; the first copy counts */
    *e = (struct vrec_toc_entry){ true, s.control, s.adr, s.min, s.sec, s.frame, s.amin, s.asec, s.aframe };
    if (s.index_or_point == 0xA0)
        e->psec = q[8]; /* disc type (00/10/20), a code rather than a BCD number */
}

/* The scrambler lives in libs/mmc/sector.c (one implementation for the
 * generator and the drive); these keep vrec's table-passing interface. */
void vrec_scramble_table(uint8_t table[VREC_SCRAMBLE_BYTES])
{
    memcpy(table, cd_scramble_sequence(), VREC_SCRAMBLE_BYTES);
}

void vrec_descramble(const uint8_t table[VREC_SCRAMBLE_BYTES], uint8_t sector[CD_SECTOR_SIZE])
{
    (void)table; /* always the ECMA-130 sequence */
    cd_scramble(sector);
}

/* A drive tells data from audio by the sector's own Q control field (data
 * bit 0x4), which a track's pregap shares with the track: the TOC only says
 * where index 1 starts. A Q the drive cannot read (bad CRC, unwritten, a
 * layout without Q) falls back on the TOC's track. */
bool vrec_sector_is_data(const struct vrec_media *m, int32_t lba, const uint8_t rec[CD_SECTOR_RAW_PW])
{
    uint8_t ch[8][12], control = 0;
    vrec_record_channels(m->layout, rec, ch);
    if (cd_subq_crc_ok(ch[1]))
        return (ch[1][0] & 0x40) != 0;
    vrec_toc_track_of(m, lba, &control);
    return (control & 0x04) != 0;
}

bool vrec_has_sync(const uint8_t sector[CD_SECTOR_SIZE])
{
    static const uint8_t sync[12] = { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0 };
    return memcmp(sector, sync, sizeof(sync)) == 0;
}

void vrec_record_channels(int layout, const uint8_t *rec, uint8_t channels[8][12])
{
    const uint8_t *sub = rec + CD_SECTOR_SIZE;
    memset(channels, 0, 8 * 12);
    if (layout == CD_RAW_RAW) {
        cd_subcode_deinterleave(sub, channels);
    } else if (layout == CD_RAW_COOKED) {
        memcpy(channels, sub, 8 * 12);
    } else if (layout == CD_RAW_PQ) {
        memset(channels[0], (sub[15] & 0x80) ? 0xFF : 0x00, 12);
        memcpy(channels[1], sub, CD_SUBQ_LEN);
    }
}
