/* CUE sheet parser into the neutral disc description of cue.h.
 *
 * Line by line: each line is cut into words (a quoted string is one word)
 * without ever looking past the given length; the first word picks a
 * handler from the command table. Everything that depends on what came
 * before (a TRACK needs a FILE, an INDEX needs a TRACK, a track needs its
 * INDEX 01 before the next one starts) is checked where it happens, so
 * every error points at the line that caused it. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mmc/cue.h"
#include "mmc/cdtext.h"
#include "mmc/subcode.h"

#define CUE_MAX_WORDS 8
#define CUE_WORD_MAX CDSHEET_NAME_MAX

static const struct {
    const char *name;
    size_t size;
} mode_table[CDSHEET_MODE_COUNT] = {
    [CDSHEET_AUDIO] = { "AUDIO", CD_SECTOR_SIZE },
    [CDSHEET_MODE1_2048] = { "MODE1/2048", CD_MODE1_USER_BYTES },
    [CDSHEET_MODE1_2352] = { "MODE1/2352", CD_SECTOR_SIZE },
    [CDSHEET_MODE2_2336] = { "MODE2/2336", CD_MODE2_USER_BYTES },
    [CDSHEET_MODE2_2352] = { "MODE2/2352", CD_SECTOR_SIZE },
};

size_t cdsheet_mode_sector_size(enum cdsheet_mode mode)
{
    return (unsigned)mode < CDSHEET_MODE_COUNT ? mode_table[mode].size : 0;
}

const char *cdsheet_mode_name(enum cdsheet_mode mode)
{
    return (unsigned)mode < CDSHEET_MODE_COUNT ? mode_table[mode].name : "?";
}

void cdsheet_init(struct cdsheet *sheet)
{
    memset(sheet, 0, sizeof(*sheet));
    sheet->leadout_lba = -1;
}

void cdsheet_note(struct cdsheet *sheet, int line, const char *fmt, ...)
{
    va_list ap;
    if (sheet->note_count >= CDSHEET_MAX_NOTES) {
        sheet->notes_dropped++;
        return;
    }
    struct cdsheet_note *n = &sheet->notes[sheet->note_count++];
    n->line = line;
    va_start(ap, fmt);
    vsnprintf(n->text, sizeof(n->text), fmt, ap);
    va_end(ap);
}

void cdsheet_note_catalog(struct cdsheet *sheet, int line)
{
    char want = cd_mcn_check_digit(sheet->catalog);
    if (sheet->catalog[0] && sheet->catalog[12] != want)
        cdsheet_note(sheet, line,
                     "CATALOG %s: the check digit is wrong (EAN-13 gives %c, not %c); it is written as given",
                     sheet->catalog, want, sheet->catalog[12]);
}

int cdsheet_fail(struct cdsheet_error *err, int line, const char *fmt, ...)
{
    va_list ap;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return -1;
}

bool cdsheet_isrc_valid(const char *isrc)
{
    if (strlen(isrc) != 12)
        return false;
    for (int i = 0; i < 12; i++) {
        unsigned char c = (unsigned char)isrc[i];
        bool digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'Z';
        if (i < 5 ? !(digit || upper) : !digit)
            return false;
    }
    return true;
}

/* ------------------------------------------------------------ lines */

struct cue_line {
    int number;
    int count;
    char words[CUE_MAX_WORDS][CUE_WORD_MAX];
    bool quoted[CUE_MAX_WORDS];
};

/* Cuts [p, end) into words. A word longer than the buffer, more words than
 * fit, or a quote that does not close is an error. */
static int split_line(const char *p, const char *end, struct cue_line *l, struct cdsheet_error *err)
{
    l->count = 0;
    while (p < end) {
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        if (l->count == CUE_MAX_WORDS)
            return cdsheet_fail(err, l->number, "too many words on the line");
        char *w = l->words[l->count];
        bool quoted = *p == '"';
        size_t n = 0;
        if (quoted)
            p++;
        while (p < end && (quoted ? *p != '"' : (*p != ' ' && *p != '\t'))) {
            if (n + 1 >= CUE_WORD_MAX)
                return cdsheet_fail(err, l->number, "word too long (more than %d bytes)", CUE_WORD_MAX - 1);
            w[n++] = *p++;
        }
        if (quoted) {
            if (p == end)
                return cdsheet_fail(err, l->number, "missing closing quote");
            p++;
        }
        w[n] = 0;
        l->quoted[l->count++] = quoted;
    }
    return 0;
}

static bool word_is(const struct cue_line *l, int i, const char *s)
{
    const char *w = l->words[i];
    for (; *w && *s; w++, s++)
        if (toupper((unsigned char)*w) != *s)
            return false;
    return !*w && !*s;
}

/* mm:ss:ff with ss < 60 and ff < 75 -> frames; mm may have up to 3 digits. */
static bool parse_msf(const char *w, int32_t *frames)
{
    int part[3] = { 0, 0, 0 }, digits = 0, k = 0;
    for (; *w; w++) {
        if (*w == ':') {
            if (!digits || ++k > 2)
                return false;
            digits = 0;
        } else if (*w >= '0' && *w <= '9') {
            if (++digits > (k == 0 ? 3 : 2))
                return false;
            part[k] = part[k] * 10 + (*w - '0');
        } else {
            return false;
        }
    }
    if (k != 2 || !digits || part[1] >= 60 || part[2] >= 75)
        return false;
    *frames = (part[0] * 60 + part[1]) * 75 + part[2];
    return true;
}

static bool parse_small_number(const char *w, int lo, int hi, int *out)
{
    int v = 0, digits = 0;
    for (; *w; w++) {
        if (*w < '0' || *w > '9' || ++digits > 3)
            return false;
        v = v * 10 + (*w - '0');
    }
    if (!digits || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* ---------------------------------------------------------- parsing */

struct cue_state {
    struct cdsheet *sheet;
    struct cdsheet_error *err;
    struct cdsheet_track *track;   /* the open track, NULL before the first */
    int32_t track_first_frame;     /* frame in the file of the track's first index */
    int32_t index1_frame;          /* -1 until INDEX 01 */
    int last_index;                /* -1 before the first INDEX of the track */
    int32_t last_frame;            /* frame of the latest INDEX in the current file */
    bool file_has_track;           /* a track started in the current file */
    int32_t prev_first_frame;      /* the previous track in this file */
    uint64_t prev_offset;
    size_t prev_sector_size;
};

typedef int (*cue_handler)(struct cue_state *st, const struct cue_line *l);

static int need_words(struct cue_state *st, const struct cue_line *l, int min, int max, const char *usage)
{
    if (l->count < min || l->count > max)
        return cdsheet_fail(st->err, l->number, "expected: %s", usage);
    return 0;
}

static int need_track(struct cue_state *st, const struct cue_line *l)
{
    if (!st->track)
        return cdsheet_fail(st->err, l->number, "%s outside a TRACK", l->words[0]);
    return 0;
}

/* The open track must have its INDEX 01 before another TRACK, FILE or the end. */
static int close_track(struct cue_state *st, int line)
{
    if (st->track && st->index1_frame < 0)
        return cdsheet_fail(st->err, line, "track %d has no INDEX 01", st->track->number);
    return 0;
}

static int on_file(struct cue_state *st, const struct cue_line *l)
{
    static const struct {
        const char *name;
        enum cdsheet_file_type type;
    } types[] = { { "BINARY", CDSHEET_FILE_BINARY }, { "MOTOROLA", CDSHEET_FILE_MOTOROLA },
                  { "WAVE", CDSHEET_FILE_WAVE } };
    struct cdsheet *s = st->sheet;
    if (need_words(st, l, 3, 3, "FILE \"name\" BINARY|MOTOROLA|WAVE"))
        return -1;
    if (st->track && st->index1_frame < 0 && st->last_index == 0)
        return cdsheet_fail(st->err, l->number,
                            "track %d has INDEX 00 and INDEX 01 in different files: not supported (put the gap "
                            "at the end of the previous file's track, or use PREGAP)", st->track->number);
    if (close_track(st, l->number))
        return -1;
    if (!l->words[1][0])
        return cdsheet_fail(st->err, l->number, "empty file name");
    if (s->file_count == CDSHEET_MAX_FILES)
        return cdsheet_fail(st->err, l->number, "more than %d FILE lines", CDSHEET_MAX_FILES);
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (!word_is(l, 2, types[i].name))
            continue;
        struct cdsheet_file *f = &s->files[s->file_count++];
        memcpy(f->name, l->words[1], sizeof(f->name));
        f->type = types[i].type;
        f->line = l->number;
        st->file_has_track = false;
        st->track = NULL; /* a new file ends the track: its indexes belong to the old file */
        return 0;
    }
    if (word_is(l, 2, "MP3") || word_is(l, 2, "AIFF"))
        return cdsheet_fail(st->err, l->number, "file type %s is not supported: convert it to WAVE", l->words[2]);
    return cdsheet_fail(st->err, l->number, "unknown file type '%s' (BINARY, MOTOROLA or WAVE)", l->words[2]);
}

static int parse_mode(const struct cue_line *l, enum cdsheet_mode *mode)
{
    for (int m = 0; m < CDSHEET_MODE_COUNT; m++)
        if (word_is(l, 2, mode_table[m].name)) {
            *mode = (enum cdsheet_mode)m;
            return 0;
        }
    return -1;
}

static int on_track(struct cue_state *st, const struct cue_line *l)
{
    struct cdsheet *s = st->sheet;
    int number;
    enum cdsheet_mode mode;
    if (need_words(st, l, 3, 3, "TRACK nn AUDIO|MODE1/2048|MODE1/2352|MODE2/2336|MODE2/2352"))
        return -1;
    if (close_track(st, l->number))
        return -1;
    if (!s->file_count)
        return cdsheet_fail(st->err, l->number, "TRACK before any FILE");
    if (!parse_small_number(l->words[1], 1, 99, &number))
        return cdsheet_fail(st->err, l->number, "bad track number '%s' (1 to 99)", l->words[1]);
    if (s->track_count && number != s->tracks[s->track_count - 1].number + 1)
        return cdsheet_fail(st->err, l->number, "track %d follows track %d: track numbers must go up by one",
                            number, s->tracks[s->track_count - 1].number);
    if (s->track_count == CDSHEET_MAX_TRACKS)
        return cdsheet_fail(st->err, l->number, "more than %d tracks", CDSHEET_MAX_TRACKS);
    if (parse_mode(l, &mode))
        return cdsheet_fail(st->err, l->number,
                            "track mode '%s' is not supported (AUDIO, MODE1/2048, MODE1/2352, MODE2/2336, MODE2/2352)",
                            l->words[2]);
    struct cdsheet_track *t = &s->tracks[s->track_count++];
    memset(t, 0, sizeof(*t));
    t->number = number;
    t->mode = mode;
    t->file = s->file_count - 1;
    t->sectors = -1;
    t->start_lba = -1;
    t->flags = mode == CDSHEET_AUDIO ? 0 : CDSHEET_FLAG_DATA;
    t->line = l->number;
    st->track = t;
    st->index1_frame = -1;
    st->last_index = -1;
    return 0;
}

/* The first index of a track fixes where it starts in the file; its byte
 * offset follows from the previous track in the same file. */
static int place_track(struct cue_state *st, const struct cue_line *l, int32_t frame)
{
    struct cdsheet_track *t = st->track;
    size_t size = cdsheet_mode_sector_size(t->mode);
    if (!st->file_has_track) {
        t->file_offset = (uint64_t)frame * size;
        if (frame)
            cdsheet_note(st->sheet, l->number, "the first %ld sectors of %s are skipped", (long)frame,
                         st->sheet->files[t->file].name);
    } else {
        if (frame <= st->last_frame)
            return cdsheet_fail(st->err, l->number, "track %d starts before the end of track %d", t->number,
                                t[-1].number);
        t->file_offset = st->prev_offset + (uint64_t)(frame - st->prev_first_frame) * st->prev_sector_size;
    }
    st->file_has_track = true;
    st->prev_first_frame = frame;
    st->prev_offset = t->file_offset;
    st->prev_sector_size = size;
    st->track_first_frame = frame;
    return 0;
}

static int on_index(struct cue_state *st, const struct cue_line *l)
{
    struct cdsheet_track *t = st->track;
    int number;
    int32_t frame;
    if (need_words(st, l, 3, 3, "INDEX nn mm:ss:ff") || need_track(st, l))
        return -1;
    if (!parse_small_number(l->words[1], 0, 99, &number))
        return cdsheet_fail(st->err, l->number, "bad index number '%s' (0 to 99)", l->words[1]);
    if (!parse_msf(l->words[2], &frame))
        return cdsheet_fail(st->err, l->number, "bad time '%s' (mm:ss:ff, ss below 60, ff below 75)", l->words[2]);
    if (st->last_index < 0 ? number > 1 : number != st->last_index + 1)
        return cdsheet_fail(st->err, l->number, "INDEX %02d of track %d out of order (expected INDEX %02d)", number,
                            t->number, st->last_index < 0 ? 1 : st->last_index + 1);
    if (t->postgap)
        return cdsheet_fail(st->err, l->number, "INDEX after POSTGAP in track %d", t->number);
    if (st->last_index < 0) {
        if (place_track(st, l, frame))
            return -1;
    } else if (frame <= (number == 1 ? st->track_first_frame : st->index1_frame + t->index_offset[t->index_count - 1])) {
        return cdsheet_fail(st->err, l->number, "INDEX %02d of track %d is not after the index before it", number,
                            t->number);
    }
    if (number == 1) {
        st->index1_frame = frame;
        t->file_pregap = frame - st->track_first_frame;
        t->index_count = 1;
        t->index_offset[0] = 0;
    } else if (number > 1) {
        t->index_offset[t->index_count++] = frame - st->index1_frame;
    }
    if (number >= 1)
        t->index_line[t->index_count - 1] = l->number;
    st->last_index = number;
    st->last_frame = frame;
    return 0;
}

static int on_gap(struct cue_state *st, const struct cue_line *l)
{
    struct cdsheet_track *t = st->track;
    bool pre = word_is(l, 0, "PREGAP");
    int32_t frames;
    if (need_words(st, l, 2, 2, pre ? "PREGAP mm:ss:ff" : "POSTGAP mm:ss:ff") || need_track(st, l))
        return -1;
    if (!parse_msf(l->words[1], &frames))
        return cdsheet_fail(st->err, l->number, "bad time '%s' (mm:ss:ff, ss below 60, ff below 75)", l->words[1]);
    if (pre) {
        if (st->last_index >= 0)
            return cdsheet_fail(st->err, l->number, "PREGAP must come before the INDEX lines of track %d", t->number);
        if (t->pregap)
            return cdsheet_fail(st->err, l->number, "second PREGAP in track %d", t->number);
        t->pregap = frames;
    } else {
        if (st->index1_frame < 0)
            return cdsheet_fail(st->err, l->number, "POSTGAP must come after INDEX 01 of track %d", t->number);
        if (t->postgap)
            return cdsheet_fail(st->err, l->number, "second POSTGAP in track %d", t->number);
        t->postgap = frames;
    }
    return 0;
}

static int on_isrc(struct cue_state *st, const struct cue_line *l)
{
    if (need_words(st, l, 2, 2, "ISRC CCOOOYYSSSSS") || need_track(st, l))
        return -1;
    if (!cdsheet_isrc_valid(l->words[1]))
        return cdsheet_fail(st->err, l->number,
                            "bad ISRC '%s' (12 characters: country and owner A-Z/0-9, then 7 digits)", l->words[1]);
    if (st->track->isrc[0])
        return cdsheet_fail(st->err, l->number, "second ISRC in track %d", st->track->number);
    memcpy(st->track->isrc, l->words[1], 13);
    return 0;
}

static int on_catalog(struct cue_state *st, const struct cue_line *l)
{
    const char *w = l->words[1];
    if (need_words(st, l, 2, 2, "CATALOG 1234567890123"))
        return -1;
    size_t n = strlen(w);
    bool digits = n == 13;
    for (size_t i = 0; digits && i < n; i++)
        digits = w[i] >= '0' && w[i] <= '9';
    if (!digits)
        return cdsheet_fail(st->err, l->number, "bad CATALOG '%s' (13 digits)", w);
    if (st->sheet->catalog[0])
        return cdsheet_fail(st->err, l->number, "second CATALOG");
    memcpy(st->sheet->catalog, w, 14);
    cdsheet_note_catalog(st->sheet, l->number);
    return 0;
}

static int on_flags(struct cue_state *st, const struct cue_line *l)
{
    static const struct {
        const char *name;
        uint8_t bit;
    } flags[] = { { "DCP", CDSHEET_FLAG_DCP }, { "4CH", CDSHEET_FLAG_4CH }, { "PRE", CDSHEET_FLAG_PRE },
                  { "SCMS", CDSHEET_FLAG_SCMS }, { "DATA", 0 } };
    if (need_words(st, l, 1, CUE_MAX_WORDS, "FLAGS [DCP] [4CH] [PRE] [SCMS]") || need_track(st, l))
        return -1;
    for (int i = 1; i < l->count; i++) {
        size_t k = 0;
        while (k < sizeof(flags) / sizeof(flags[0]) && !word_is(l, i, flags[k].name))
            k++;
        if (k == sizeof(flags) / sizeof(flags[0]))
            return cdsheet_fail(st->err, l->number, "unknown flag '%s' (DCP, 4CH, PRE, SCMS)", l->words[i]);
        st->track->flags |= flags[k].bit;
    }
    return 0;
}

/* TITLE and PERFORMER are kept (a burner may show them); no CD-Text is
 * written from them, which the notes say once. */
static int on_text(struct cue_state *st, const struct cue_line *l)
{
    bool title = word_is(l, 0, "TITLE");
    if (need_words(st, l, 2, 2, title ? "TITLE \"text\"" : "PERFORMER \"text\""))
        return -1;
    char *dst = st->track ? (title ? st->track->title : st->track->performer)
                          : (title ? st->sheet->title : st->sheet->performer);
    size_t n = strlen(l->words[1]);
    if (n > CDSHEET_TEXT_MAX - 1)
        n = CDSHEET_TEXT_MAX - 1;
    memcpy(dst, l->words[1], n); /* longer text is cut: it is only shown */
    dst[n] = 0;
    return 0;
}

static int on_cdtext_only(struct cue_state *st, const struct cue_line *l)
{
    (void)st;
    (void)l;
    return 0; /* SONGWRITER and friends: CD-Text only, noted once at the end */
}

static int on_cdtextfile(struct cue_state *st, const struct cue_line *l)
{
    if (need_words(st, l, 2, 2, "CDTEXTFILE \"name\""))
        return -1;
    memcpy(st->sheet->cdtext_file, l->words[1], sizeof(st->sheet->cdtext_file));
    cdsheet_note(st->sheet, l->number, "CDTEXTFILE %s: written as CD-Text in the lead-in R-W (not with 2368-byte sectors)", l->words[1]);
    return 0;
}

static int on_rem(struct cue_state *st, const struct cue_line *l)
{
    (void)st;
    (void)l;
    return 0;
}

static const struct {
    const char *name;
    cue_handler handler;
} commands[] = {
    { "FILE", on_file },         { "TRACK", on_track },         { "INDEX", on_index },
    { "PREGAP", on_gap },        { "POSTGAP", on_gap },         { "ISRC", on_isrc },
    { "CATALOG", on_catalog },   { "FLAGS", on_flags },         { "TITLE", on_text },
    { "PERFORMER", on_text },    { "SONGWRITER", on_cdtext_only }, { "COMPOSER", on_cdtext_only },
    { "ARRANGER", on_cdtext_only }, { "MESSAGE", on_cdtext_only }, { "DISC_ID", on_cdtext_only },
    { "GENRE", on_cdtext_only }, { "UPC_EAN", on_cdtext_only }, { "CDTEXTFILE", on_cdtextfile },
    { "REM", on_rem },
};

/* CD-Text lines are read here for the layout only (cue_cdtext decodes
 * them): whether they reach the disc is the writer's business, so no note. */
static bool is_cdtext_command(const struct cue_line *l)
{
    return word_is(l, 0, "TITLE") || word_is(l, 0, "PERFORMER") || word_is(l, 0, "SONGWRITER") ||
           word_is(l, 0, "COMPOSER") || word_is(l, 0, "ARRANGER") || word_is(l, 0, "MESSAGE") ||
           word_is(l, 0, "DISC_ID") || word_is(l, 0, "GENRE") || word_is(l, 0, "UPC_EAN");
}

static int run_line(struct cue_state *st, struct cue_line *l, int *first_cdtext_line)
{
    if (!l->count)
        return 0;
    if (l->quoted[0])
        return cdsheet_fail(st->err, l->number, "a line must start with a command, not a quoted string");
    if (is_cdtext_command(l) && !*first_cdtext_line)
        *first_cdtext_line = l->number;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (word_is(l, 0, commands[i].name))
            return commands[i].handler(st, l);
    return cdsheet_fail(st->err, l->number, "unknown command '%s'", l->words[0]);
}

static bool is_comment(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return end - p >= 3 && toupper((unsigned char)p[0]) == 'R' && toupper((unsigned char)p[1]) == 'E' &&
           toupper((unsigned char)p[2]) == 'M' && (end - p == 3 || p[3] == ' ' || p[3] == '\t');
}

/* Written as the sheet says, but a reader may stumble on the change of mode. */
static void note_short_data_pregaps(struct cdsheet *s)
{
    for (int i = 1; i < s->track_count; i++) {
        const struct cdsheet_track *t = &s->tracks[i];
        int32_t gap = t->pregap + t->file_pregap;
        if (cdsheet_mode_is_data(t->mode) && !cdsheet_mode_is_data(t[-1].mode) && gap < CD_PREGAP_SECTORS)
            cdsheet_note(s, t->line,
                         "track %d is data after audio with %ld sectors of pregap: the standard wants at least %d "
                         "(2 s; PREGAP 00:02:00), and 3 s is usual for a change of mode",
                         t->number, (long)gap, CD_PREGAP_SECTORS);
    }
}

int cue_parse(const char *text, size_t len, struct cdsheet *out, struct cdsheet_error *err)
{
    struct cue_state st = { out, err, NULL, 0, -1, -1, 0, false, 0, 0, 0 };
    struct cue_line l;
    const char *p = text, *end = text + len;
    int first_cdtext_line = 0;
    cdsheet_init(out);
    err->line = 0;
    err->message[0] = 0;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3; /* UTF-8 byte order mark */
    for (l.number = 1; p < end; l.number++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
        if (n && p[n - 1] == '\r')
            n--;
        const char *stop = p + n;
        if (memchr(p, 0, n))
            return cdsheet_fail(err, l.number, "NUL byte: this is not a text file");
        if (is_comment(p, stop))
            l.count = 0; /* REM: free text, any number of words and quotes */
        else if (split_line(p, stop, &l, err) || run_line(&st, &l, &first_cdtext_line))
            return -1;
        p = eol ? eol + 1 : end;
    }
    if (close_track(&st, l.number - 1))
        return -1;
    if (!out->track_count)
        return cdsheet_fail(err, l.number > 1 ? l.number - 1 : 1, "no TRACK in the sheet");
    note_short_data_pregaps(out);
    if (first_cdtext_line)
        cdsheet_note(out, first_cdtext_line, "TITLE, PERFORMER etc.: written as CD-Text in the lead-in R-W (not with 2368-byte sectors)");
    return 0;
}

/* The end of a track's data in its file: the next track's first sector in
 * the same file, else the end of the file. */
static uint64_t track_data_end(const struct cdsheet *s, int i, const uint64_t *file_sizes)
{
    const struct cdsheet_track *t = &s->tracks[i];
    if (i + 1 < s->track_count && s->tracks[i + 1].file == t->file)
        return s->tracks[i + 1].file_offset;
    return file_sizes[t->file];
}

static int resolve_track(struct cdsheet *s, int i, const uint64_t *file_sizes, struct cdsheet_error *err)
{
    struct cdsheet_track *t = &s->tracks[i];
    const struct cdsheet_file *f = &s->files[t->file];
    uint64_t size = cdsheet_mode_sector_size(t->mode);
    uint64_t start = t->file_offset + (uint64_t)t->file_pregap * size;
    uint64_t end = track_data_end(s, i, file_sizes);
    bool last_in_file = end == file_sizes[t->file];
    uint64_t min_end = start + (uint64_t)t->index_offset[t->index_count - 1] * size + size;
    if (end < min_end) {
        if (last_in_file)
            return cdsheet_fail(err, t->line, "%s is too short for track %d: its indexes need %lu bytes, it has %lu",
                                f->name, t->number, (unsigned long)min_end, (unsigned long)file_sizes[t->file]);
        return cdsheet_fail(err, t->line, "track %d has no sector of its own before track %d", t->number,
                            t[1].number);
    }
    uint64_t bytes = end - start, sectors = bytes / size;
    if (bytes % size) {
        if (f->type != CDSHEET_FILE_WAVE)
            return cdsheet_fail(err, last_in_file ? f->line : t->line,
                                "track %d: %lu bytes are not a whole number of %lu-byte sectors", t->number,
                                (unsigned long)bytes, (unsigned long)size);
        sectors++;
        cdsheet_note(s, f->line, "the audio of %s is padded with silence to whole sectors", f->name);
    }
    if (sectors > 0x7fffffff)
        return cdsheet_fail(err, t->line, "track %d is too long", t->number);
    t->sectors = (int32_t)sectors;
    return 0;
}

int cdsheet_resolve(struct cdsheet *sheet, const uint64_t *file_sizes, struct cdsheet_error *err)
{
    err->line = 0;
    err->message[0] = 0;
    for (int i = 0; i < sheet->track_count; i++)
        if (resolve_track(sheet, i, file_sizes, err))
            return -1;
    return 0;
}

int64_t cdsheet_program_sectors(const struct cdsheet *sheet)
{
    int64_t total = 0;
    for (int i = 0; i < sheet->track_count; i++) {
        const struct cdsheet_track *t = &sheet->tracks[i];
        if (i)
            total += t->pregap + t->file_pregap;
        total += (t->sectors > 0 ? t->sectors : 0) + t->postgap;
    }
    return total;
}

/* ------------------------------------------------------------ CD-Text */

/* Cue text is UTF-8 when it decodes as such, else taken as ISO 8859-1
 * bytes (what older tools and libcdio write). */
static bool utf8_multibyte(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    bool any = false;
    while (*p) {
        int extra = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (extra < 0 || (extra == 1 && *p < 0xC2))
            return false;
        any |= extra > 0;
        for (p++; extra > 0; extra--, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return any;
}

static const struct {
    const char *command;
    int field;
} cue_text_commands[] = {
    { "TITLE", CDTEXT_TITLE },       { "PERFORMER", CDTEXT_PERFORMER }, { "SONGWRITER", CDTEXT_SONGWRITER },
    { "COMPOSER", CDTEXT_COMPOSER }, { "ARRANGER", CDTEXT_ARRANGER },   { "MESSAGE", CDTEXT_MESSAGE },
    { "DISC_ID", CDTEXT_DISC_ID },   { "GENRE", CDTEXT_GENRE },         { "UPC_EAN", CDTEXT_UPC_ISRC },
};

static int cdtext_line(const struct cue_line *l, int track, struct cdtext *out, struct cdsheet_error *err)
{
    for (size_t i = 0; i < sizeof(cue_text_commands) / sizeof(cue_text_commands[0]); i++) {
        if (!word_is(l, 0, cue_text_commands[i].command))
            continue;
        if (l->count != 2)
            return cdsheet_fail(err, l->number, "%s takes one text", cue_text_commands[i].command);
        char latin1[CUE_WORD_MAX];
        const char *text = l->words[1];
        int rc = CDTEXT_OK;
        if (utf8_multibyte(text) && (rc = cdtext_latin1_from_utf8(text, latin1, sizeof(latin1))) == CDTEXT_OK)
            text = latin1;
        if (rc == CDTEXT_OK)
            rc = cdtext_set(out, cue_text_commands[i].field, track, text);
        if (rc != CDTEXT_OK)
            return cdsheet_fail(err, l->number, "%s: %s", cue_text_commands[i].command, cdtext_strerror(rc));
        return 0;
    }
    return 0;
}

int cue_cdtext(const char *text, size_t len, struct cdtext *out, struct cdsheet_error *err)
{
    struct cue_line l;
    const char *p = text, *end = text + len;
    int track = 0;
    err->line = 0;
    err->message[0] = 0;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    for (l.number = 1; p < end; l.number++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (memchr(p, 0, n))
            return cdsheet_fail(err, l.number, "NUL byte: this is not a text file");
        if (!is_comment(p, p + n)) {
            if (split_line(p, p + n, &l, err))
                return -1;
            if (l.count >= 2 && word_is(&l, 0, "TRACK")) {
                const char *w = l.words[1];
                track = 0;
                for (; *w >= '0' && *w <= '9' && track <= CDTEXT_MAX_TRACK; w++)
                    track = track * 10 + (*w - '0');
                if (*w || track < 1 || track > CDTEXT_MAX_TRACK)
                    return cdsheet_fail(err, l.number, "bad track number '%s'", l.words[1]);
            } else if (l.count && cdtext_line(&l, track, out, err)) {
                return -1;
            }
        }
        p = eol ? eol + 1 : end;
    }
    return 0;
}
