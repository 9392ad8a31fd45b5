/* CloneCD .ccd parser (see ccd.h). Two passes: the lines fill a plain
 * record of what each section said (remembering the line of every value),
 * then the tracks are built from the TOC entries and [TRACK n] sections,
 * so a cross-section error still names the line that caused it. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mmc/ccd.h"

#define CCD_KEY_MAX 32
#define CCD_VALUE_MAX 64

enum ccd_section_kind { SEC_NONE, SEC_CLONECD, SEC_DISC, SEC_CDTEXT, SEC_SESSION, SEC_ENTRY, SEC_TRACK, SEC_OTHER };

/* One [Entry n]: which fields were given, and where. Values are int32_t so
 * the whole state stays small (one heap block below 128 KiB). */
struct ccd_entry {
    int line;
    unsigned have; /* bit per entry_keys index */
    int32_t value[14];
};

static const char *const entry_keys[14] = { "Session", "Point", "ADR",  "Control", "TrackNo", "AMin",  "ASec",
                                            "AFrame",  "ALBA",  "Zero", "PMin",    "PSec",    "PFrame", "PLBA" };
enum { E_SESSION, E_POINT, E_ADR, E_CONTROL, E_TRACKNO, E_AMIN, E_ASEC, E_AFRAME, E_ALBA, E_ZERO, E_PMIN, E_PSEC,
       E_PFRAME, E_PLBA };

/* A [TRACK n] section. Its INDEX 1.. LBAs are kept in the result's own
 * tracks[n - 1].index_offset (absolute until the tracks are built), which
 * keeps this state small enough for the stack. */
struct ccd_track_section {
    int line;
    int mode;                      /* -1 when not given */
    int mode_line;
    int index_count;               /* INDEX 1..index_count given, in order */
    int32_t index0;
    int index0_line;               /* 0 when there is no INDEX 0 */
    int index1_line;
    char isrc[13];
};

struct ccd_state {
    struct cdsheet *sheet;
    struct cdsheet_error *err;
    enum ccd_section_kind kind;
    int section_number;
    int section_line;
    bool seen_clonecd, seen_disc, noted_cdtext;
    long toc_entries;
    int toc_entries_line;
    int entry_count;
    struct ccd_entry entries[CDSHEET_MAX_TOC];
    struct ccd_track_section tracks[100]; /* by track number */
};

/* ---------------------------------------------------------- values */

/* Decimal or 0x hex, optional minus; bounded so no overflow can happen. */
static bool parse_long(const char *s, long *out)
{
    bool neg = false, hex = false;
    long v = 0;
    int digits = 0;
    if (*s == '-') {
        neg = true;
        s++;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        hex = true;
        s += 2;
    }
    for (; *s; s++, digits++) {
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (hex && isxdigit((unsigned char)*s))
            d = tolower((unsigned char)*s) - 'a' + 10;
        else
            return false;
        if (digits >= 9)
            return false; /* nothing in a .ccd needs more */
        v = v * (hex ? 16 : 10) + d;
    }
    if (!digits)
        return false;
    *out = neg ? -v : v;
    return true;
}

static bool key_is(const char *key, const char *name)
{
    for (; *key && *name; key++, name++)
        if (tolower((unsigned char)*key) != tolower((unsigned char)*name))
            return false;
    return !*key && !*name;
}

/* Copies [p, end) without surrounding blanks into out (size bytes). */
static bool trim_copy(const char *p, const char *end, char *out, size_t size)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if ((size_t)(end - p) >= size)
        return false;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = 0;
    return true;
}

static int number_value(struct ccd_state *st, int line, const char *key, const char *value, long lo, long hi,
                        long *out)
{
    if (!parse_long(value, out) || *out < lo || *out > hi)
        return cdsheet_fail(st->err, line, "bad %s value '%s' (%ld to %ld)", key, value, lo, hi);
    return 0;
}

/* -------------------------------------------------------- sections */

static int open_section(struct ccd_state *st, const char *name, int line)
{
    static const struct {
        const char *name;
        enum ccd_section_kind kind;
        bool numbered;
    } sections[] = { { "CloneCD", SEC_CLONECD, false }, { "Disc", SEC_DISC, false }, { "CDText", SEC_CDTEXT, false },
                     { "Session", SEC_SESSION, true },  { "Entry", SEC_ENTRY, true }, { "TRACK", SEC_TRACK, true } };
    char word[CCD_KEY_MAX];
    const char *space = strchr(name, ' ');
    long number = -1;
    if (!trim_copy(name, space ? space : name + strlen(name), word, sizeof(word)))
        return cdsheet_fail(st->err, line, "section name too long");
    st->section_line = line;
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        if (!key_is(word, sections[i].name))
            continue;
        if (sections[i].numbered != (space != NULL))
            return cdsheet_fail(st->err, line, sections[i].numbered ? "[%s] needs a number" : "[%s] takes no number",
                                sections[i].name);
        if (space) {
            while (*space == ' ')
                space++;
            if (!parse_long(space, &number) || number < 0 || number > 999)
                return cdsheet_fail(st->err, line, "bad section number '%s'", space);
        }
        st->kind = sections[i].kind;
        st->section_number = (int)number;
        return 0;
    }
    st->kind = SEC_OTHER;
    cdsheet_note(st->sheet, line, "section [%s] is ignored", name);
    return 0;
}

static int start_entry(struct ccd_state *st, int line)
{
    if (!st->seen_disc)
        return cdsheet_fail(st->err, line, "[Entry] before [Disc]");
    if (st->section_number != st->entry_count)
        return cdsheet_fail(st->err, line, "[Entry %d] out of order (expected [Entry %d])", st->section_number,
                            st->entry_count);
    if (st->entry_count >= st->toc_entries)
        return cdsheet_fail(st->err, line, "[Entry %d] beyond TocEntries=%ld", st->section_number, st->toc_entries);
    st->entries[st->entry_count].line = line;
    st->entry_count++;
    return 0;
}

static int start_track(struct ccd_state *st, int line)
{
    if (st->section_number < 1 || st->section_number > 99)
        return cdsheet_fail(st->err, line, "bad track number %d (1 to 99)", st->section_number);
    struct ccd_track_section *t = &st->tracks[st->section_number];
    if (t->line)
        return cdsheet_fail(st->err, line, "second [TRACK %d] (first on line %d)", st->section_number, t->line);
    t->line = line;
    return 0;
}

static int on_section(struct ccd_state *st, const char *name, int line)
{
    if (open_section(st, name, line))
        return -1;
    switch (st->kind) {
    case SEC_CLONECD:
        st->seen_clonecd = true;
        return 0;
    case SEC_DISC:
        if (st->seen_disc)
            return cdsheet_fail(st->err, line, "second [Disc] section");
        st->seen_disc = true;
        return 0;
    case SEC_CDTEXT:
        if (!st->noted_cdtext)
            cdsheet_note(st->sheet, line, "the image's [CDText] is not written to the disc (CD-Text comes from cue sheets only)");
        st->noted_cdtext = true;
        return 0;
    case SEC_ENTRY:
        return start_entry(st, line);
    case SEC_TRACK:
        return start_track(st, line);
    default:
        return 0;
    }
}

/* ------------------------------------------------------------ keys */

static int on_disc_key(struct ccd_state *st, int line, const char *key, const char *value)
{
    long v;
    if (key_is(key, "TocEntries")) {
        if (number_value(st, line, key, value, 1, CDSHEET_MAX_TOC, &v))
            return -1;
        st->toc_entries = v;
        st->toc_entries_line = line;
    } else if (key_is(key, "Sessions")) {
        if (number_value(st, line, key, value, 1, 99, &v))
            return -1;
        if (v != 1)
            return cdsheet_fail(st->err, line, "%ld sessions: only single-session images can be burnt", v);
    } else if (key_is(key, "DataTracksScrambled")) {
        if (number_value(st, line, key, value, 0, 1, &v))
            return -1;
        st->sheet->data_scrambled = v == 1;
    } else if (key_is(key, "CDTextLength")) {
        if (number_value(st, line, key, value, 0, 1 << 20, &v))
            return -1;
        if (v && !st->noted_cdtext) {
            cdsheet_note(st->sheet, line, "the image's [CDText] is not written to the disc (CD-Text comes from cue sheets only)");
            st->noted_cdtext = true;
        }
    } else if (key_is(key, "CATALOG")) {
        size_t n = strlen(value);
        bool ok = n == 13;
        for (size_t i = 0; ok && i < n; i++)
            ok = value[i] >= '0' && value[i] <= '9';
        if (!ok)
            return cdsheet_fail(st->err, line, "bad CATALOG '%s' (13 digits)", value);
        memcpy(st->sheet->catalog, value, 14);
        cdsheet_note_catalog(st->sheet, line);
    } else {
        cdsheet_note(st->sheet, line, "[Disc] %s is ignored", key);
    }
    return 0;
}

static int on_entry_key(struct ccd_state *st, int line, const char *key, const char *value)
{
    struct ccd_entry *e = &st->entries[st->entry_count - 1];
    for (int k = 0; k < 14; k++) {
        if (!key_is(key, entry_keys[k]))
            continue;
        bool lba = k == E_ALBA || k == E_PLBA;
        if (e->have & (1u << k))
            return cdsheet_fail(st->err, line, "second %s in [Entry %d]", entry_keys[k], st->entry_count - 1);
        long v;
        if (number_value(st, line, entry_keys[k], value, lba ? -CD_LEADIN_MSF_BASE : 0, lba ? CD_LEADIN_MSF_BASE : 255, &v))
            return -1;
        e->value[k] = (int32_t)v;
        e->have |= 1u << k;
        return 0;
    }
    cdsheet_note(st->sheet, line, "[Entry] %s is ignored", key);
    return 0;
}

/* INDEX k=LBA: index 0 on its own; 1, 2, ... in order and ascending, so
 * an error can name its line right away. */
static int on_track_index(struct ccd_state *st, int line, const char *key, const char *value)
{
    struct ccd_track_section *t = &st->tracks[st->section_number];
    int32_t *lba = st->sheet->tracks[st->section_number - 1].index_offset;
    long v, index;
    if (!parse_long(key + 6 + strspn(key + 6, " \t"), &index) || index < 0 || index > 99)
        return cdsheet_fail(st->err, line, "bad index number in '%s' (0 to 99)", key);
    if (number_value(st, line, key, value, 0, CD_LEADIN_MSF_BASE, &v))
        return -1;
    if (index == 0) {
        if (t->index0_line)
            return cdsheet_fail(st->err, line, "second INDEX 0 in [TRACK %d]", st->section_number);
        t->index0 = (int32_t)v;
        t->index0_line = line;
        return 0;
    }
    if (index != t->index_count + 1)
        return cdsheet_fail(st->err, line, "INDEX %ld in [TRACK %d] out of order (expected INDEX %d)", index,
                            st->section_number, t->index_count + 1);
    if (index > 1 && v <= lba[index - 2])
        return cdsheet_fail(st->err, line, "INDEX %ld of track %d is not after the index before it", index,
                            st->section_number);
    if (index == 1)
        t->index1_line = line;
    lba[t->index_count++] = (int32_t)v;
    return 0;
}

static int on_track_key(struct ccd_state *st, int line, const char *key, const char *value)
{
    struct ccd_track_section *t = &st->tracks[st->section_number];
    long v;
    if (key_is(key, "MODE")) {
        if (number_value(st, line, key, value, 0, 2, &v))
            return -1;
        t->mode = (int)v;
        t->mode_line = line;
    } else if (!strncmp(key, "INDEX", 5) && (key[5] == ' ' || key[5] == '\t')) {
        return on_track_index(st, line, key, value);
    } else if (key_is(key, "ISRC")) {
        if (!cdsheet_isrc_valid(value))
            return cdsheet_fail(st->err, line, "bad ISRC '%s' (12 characters: CCOOOYYSSSSS)", value);
        memcpy(t->isrc, value, 13);
    } else {
        cdsheet_note(st->sheet, line, "[TRACK] %s is ignored", key);
    }
    return 0;
}

static int on_key(struct ccd_state *st, int line, const char *key, const char *value)
{
    long v;
    switch (st->kind) {
    case SEC_NONE:
        return cdsheet_fail(st->err, line, "'%s' before the first [section]", key);
    case SEC_CLONECD:
        if (key_is(key, "Version"))
            return number_value(st, line, key, value, 1, 99, &v);
        return 0;
    case SEC_DISC:
        return on_disc_key(st, line, key, value);
    case SEC_ENTRY:
        return on_entry_key(st, line, key, value);
    case SEC_TRACK:
        return on_track_key(st, line, key, value);
    default:
        return 0; /* [Session n] PreGapMode/PreGapSubC, [CDText], unknown sections */
    }
}

static int on_line(struct ccd_state *st, const char *p, const char *end, int line)
{
    char key[CCD_KEY_MAX], value[CCD_VALUE_MAX], name[CCD_KEY_MAX];
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p == end || *p == ';' || *p == '#')
        return 0;
    if (*p == '[') {
        const char *close = memchr(p, ']', (size_t)(end - p));
        if (!close)
            return cdsheet_fail(st->err, line, "missing ']'");
        if (!trim_copy(p + 1, close, name, sizeof(name)) || !name[0])
            return cdsheet_fail(st->err, line, "bad section name");
        for (const char *q = close + 1; q < end; q++)
            if (*q != ' ' && *q != '\t')
                return cdsheet_fail(st->err, line, "text after the section name");
        return on_section(st, name, line);
    }
    const char *eq = memchr(p, '=', (size_t)(end - p));
    if (!eq)
        return cdsheet_fail(st->err, line, "expected [section] or key=value");
    if (st->kind == SEC_CDTEXT)
        return 0; /* CD-Text payload lines: Entry n=... with long hex */
    if (!trim_copy(p, eq, key, sizeof(key)) || !key[0])
        return cdsheet_fail(st->err, line, "bad key before '='");
    if (!trim_copy(eq + 1, end, value, sizeof(value)))
        return cdsheet_fail(st->err, line, "value of %s too long", key);
    return on_key(st, line, key, value);
}

/* ------------------------------------------------------ the tracks */

static int check_entry(struct ccd_state *st, int i)
{
    const struct ccd_entry *e = &st->entries[i];
    static const int required[] = { E_POINT, E_ADR, E_CONTROL };
    for (size_t k = 0; k < sizeof(required) / sizeof(required[0]); k++)
        if (!(e->have & (1u << required[k])))
            return cdsheet_fail(st->err, e->line, "[Entry %d] has no %s", i, entry_keys[required[k]]);
    if (!(e->have & (1u << E_PLBA)) &&
        (e->have & ((1u << E_PMIN) | (1u << E_PSEC) | (1u << E_PFRAME))) !=
            ((1u << E_PMIN) | (1u << E_PSEC) | (1u << E_PFRAME)))
        return cdsheet_fail(st->err, e->line, "[Entry %d] has neither PLBA nor PMin/PSec/PFrame", i);
    if ((e->have & (1u << E_SESSION)) && e->value[E_SESSION] != 1)
        return cdsheet_fail(st->err, e->line, "[Entry %d] is in session %d: only single-session images can be burnt",
                            i, (int)e->value[E_SESSION]);
    return 0;
}

/* PLBA, or the P time when a writer left PLBA out. */
static int32_t entry_plba(const struct ccd_entry *e)
{
    if (e->have & (1u << E_PLBA))
        return (int32_t)e->value[E_PLBA];
    return (int32_t)((e->value[E_PMIN] * 60 + e->value[E_PSEC]) * CD_FRAMES_PER_SECOND + e->value[E_PFRAME] - CD_MSF_OFFSET);
}

static void copy_toc(struct ccd_state *st)
{
    for (int i = 0; i < st->entry_count; i++) {
        const struct ccd_entry *e = &st->entries[i];
        struct cdsheet_toc_entry *t = &st->sheet->toc[i];
        t->session = 1;
        t->point = (uint8_t)e->value[E_POINT];
        t->adr = (uint8_t)e->value[E_ADR];
        t->control = (uint8_t)e->value[E_CONTROL];
        t->tno = (uint8_t)e->value[E_TRACKNO];
        t->amin = (uint8_t)e->value[E_AMIN];
        t->asec = (uint8_t)e->value[E_ASEC];
        t->aframe = (uint8_t)e->value[E_AFRAME];
        t->zero = (uint8_t)e->value[E_ZERO];
        t->pmin = (uint8_t)e->value[E_PMIN];
        t->psec = (uint8_t)e->value[E_PSEC];
        t->pframe = (uint8_t)e->value[E_PFRAME];
        t->plba = entry_plba(e);
    }
    st->sheet->toc_count = st->entry_count;
}

static enum cdsheet_mode mode_of(struct ccd_state *st, int number, uint8_t control, int line)
{
    const struct ccd_track_section *ts = &st->tracks[number];
    if (ts->mode >= 0)
        return ts->mode == 0 ? CDSHEET_AUDIO : ts->mode == 1 ? CDSHEET_MODE1_2352 : CDSHEET_MODE2_2352;
    cdsheet_note(st->sheet, line, "track %d has no [TRACK %d] MODE: taken from the TOC control", number, number);
    return (control & 4) ? CDSHEET_MODE1_2352 : CDSHEET_AUDIO;
}

/* Index 0 from [TRACK n] (how much of the image before index 1 is the
 * track's pregap), indexes 2.. as offsets from index 1. given: the
 * section's INDEX 1.. LBAs. */
static int apply_indexes(struct ccd_state *st, struct cdsheet_track *t, const int32_t *given, int32_t prev_start)
{
    const struct ccd_track_section *ts = &st->tracks[t->number];
    t->index_count = 1;
    t->index_offset[0] = 0;
    if (ts->index0_line) {
        if (ts->index0 >= t->start_lba || ts->index0 <= prev_start)
            return cdsheet_fail(st->err, ts->index0_line,
                                "INDEX 0 of track %d must lie after the previous track's start and before its INDEX 1",
                                t->number);
        t->file_pregap = t->start_lba - ts->index0;
    }
    if (ts->index_count && given[0] != t->start_lba)
        cdsheet_note(st->sheet, ts->index1_line, "INDEX 1 of track %d differs from the TOC: the TOC wins", t->number);
    for (int k = 1; k < ts->index_count; k++) {
        int32_t offset = given[k] - t->start_lba;
        if (offset <= 0)
            return cdsheet_fail(st->err, ts->line, "INDEX %d of track %d lies before the track's start in the TOC",
                                k + 1, t->number);
        t->index_offset[t->index_count++] = offset;
    }
    return 0;
}

/* Adds the track of a TOC entry (ADR 1, point 1..99), in point order. */
static int add_track(struct ccd_state *st, const struct ccd_entry *e)
{
    struct cdsheet *s = st->sheet;
    int number = (int)e->value[E_POINT];
    if (s->track_count && number != s->tracks[s->track_count - 1].number + 1)
        return cdsheet_fail(st->err, e->line, "TOC entry for track %d follows track %d: numbers must go up by one",
                            number, s->tracks[s->track_count - 1].number);
    /* The section's index LBAs sit in tracks[number - 1], at or above this
     * slot: take them out before the slot is cleared. */
    int32_t given[CDSHEET_MAX_INDEXES];
    memcpy(given, s->tracks[number - 1].index_offset, sizeof(given));
    struct cdsheet_track *t = &s->tracks[s->track_count++];
    memset(t, 0, sizeof(*t));
    t->number = number;
    t->start_lba = entry_plba(e);
    t->flags = (uint8_t)(e->value[E_CONTROL] & 0x0f);
    t->line = st->tracks[number].line ? st->tracks[number].line : e->line;
    t->mode = mode_of(st, number, t->flags, e->line);
    if (cdsheet_mode_is_data(t->mode) != ((t->flags & CDSHEET_FLAG_DATA) != 0))
        return cdsheet_fail(st->err, st->tracks[number].mode_line ? st->tracks[number].mode_line : e->line,
                            "track %d: MODE says %s but the TOC control says %s", number,
                            t->mode == CDSHEET_AUDIO ? "audio" : "data", (t->flags & 4) ? "data" : "audio");
    if (t->start_lba < 0)
        return cdsheet_fail(st->err, e->line, "track %d starts at LBA %ld, before the program area", number,
                            (long)t->start_lba);
    if (s->track_count > 1 && t->start_lba <= t[-1].start_lba)
        return cdsheet_fail(st->err, e->line, "track %d does not start after track %d", number, t[-1].number);
    memcpy(t->isrc, st->tracks[number].isrc, 13);
    return apply_indexes(st, t, given, s->track_count > 1 ? t[-1].start_lba : -1);
}

static int build_tracks(struct ccd_state *st, int last_line)
{
    struct cdsheet *s = st->sheet;
    int a2 = -1;
    for (int i = 0; i < st->entry_count; i++) {
        if (check_entry(st, i))
            return -1;
        const struct ccd_entry *e = &st->entries[i];
        int32_t point = e->value[E_POINT];
        if (e->value[E_ADR] != 1)
            continue; /* ADR 5 etc.: kept in toc[] only */
        if (point == 0xA2)
            a2 = i;
        else if (point >= 1 && point <= 99 && add_track(st, e))
            return -1;
    }
    if (a2 < 0)
        return cdsheet_fail(st->err, last_line, "no lead-out entry (Point=0xa2) in the TOC");
    if (!s->track_count)
        return cdsheet_fail(st->err, last_line, "no track entries in the TOC");
    s->leadout_lba = entry_plba(&st->entries[a2]);
    for (int n = 1; n <= 99; n++)
        if (st->tracks[n].line && (n < s->tracks[0].number || n > s->tracks[s->track_count - 1].number))
            return cdsheet_fail(st->err, st->tracks[n].line, "[TRACK %d] has no TOC entry", n);
    for (int i = 0; i < s->track_count; i++) {
        struct cdsheet_track *t = &s->tracks[i];
        int32_t end = i + 1 < s->track_count ? t[1].start_lba - t[1].file_pregap : s->leadout_lba;
        if (end - t->start_lba <= t->index_offset[t->index_count - 1])
            return cdsheet_fail(st->err, t->line, "track %d ends before its last index (lead-out or next track at %ld)",
                                t->number, (long)end);
        t->sectors = end - t->start_lba;
        t->file_offset = (uint64_t)(t->start_lba - t->file_pregap) * CD_SECTOR_SIZE;
    }
    return 0;
}

int ccd_parse(const char *text, size_t len, struct cdsheet *out, struct cdsheet_error *err)
{
    struct ccd_state state = { 0 }, *st = &state;
    const char *p = text, *end = text + len;
    int line = 1, rc = -1;
    cdsheet_init(out);
    err->line = 0;
    err->message[0] = 0;
    st->sheet = out;
    st->err = err;
    for (int n = 0; n < 100; n++)
        st->tracks[n].mode = -1;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    for (; p < end; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
        if (n && p[n - 1] == '\r')
            n--;
        const char *stop = p + n;
        if (memchr(p, 0, n)) {
            cdsheet_fail(err, line, "NUL byte: this is not a text file");
            goto done;
        }
        if (on_line(st, p, stop, line))
            goto done;
        p = eol ? eol + 1 : end;
    }
    if (line > 1)
        line--;
    if (!st->seen_clonecd)
        cdsheet_fail(err, 1, "not a CloneCD control file (no [CloneCD] section)");
    else if (!st->seen_disc)
        cdsheet_fail(err, line, "no [Disc] section");
    else if (st->entry_count != st->toc_entries)
        cdsheet_fail(err, st->toc_entries_line ? st->toc_entries_line : line,
                     "TocEntries=%ld but the file has %d [Entry] sections", st->toc_entries, st->entry_count);
    else if (!build_tracks(st, line)) {
        copy_toc(st);
        out->file_count = 1;
        out->files[0].type = CDSHEET_FILE_BINARY;
        rc = 0;
    }
done:
    return rc;
}
