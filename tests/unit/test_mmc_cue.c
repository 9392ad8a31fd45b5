/* CUE sheet parser: valid sheets (one file and many, index 0 pregaps,
 * PREGAP/POSTGAP, ISRC, CATALOG, FLAGS, WAVE, mixed sector sizes in one
 * file, CRLF and BOM, no final newline), the file-size resolution, and
 * every error with the line it must name. The input is always copied to
 * an exact-size heap block, so ASan catches a read past the length. */
#include <stdlib.h>
#include <string.h>

#include "okay.h"
#include "mmc/cdtext.h"
#include "mmc/cue.h"
#include "mmc/geometry.h"

static struct cdsheet sheet;
static struct cdsheet_error err;

static int parse(const char *text)
{
    size_t len = strlen(text);
    char *copy = malloc(len ? len : 1);
    memcpy(copy, text, len);
    int rc = cue_parse(copy, len, &sheet, &err);
    free(copy);
    return rc;
}

static void test_simple_audio(void)
{
    int rc = parse("REM GENRE Pop\n"
                   "rem a comment of many words, \"unbalanced quotes and more words than a command has\n"
                   "CATALOG 0123456789012\n"
                   "PERFORMER \"Someone\"\n"
                   "TITLE \"An album\"\n"
                   "FILE \"disc.bin\" BINARY\n"
                   "  TRACK 01 AUDIO\n"
                   "    TITLE \"First\"\n"
                   "    ISRC USABC0100001\n"
                   "    FLAGS DCP PRE\n"
                   "    INDEX 01 00:00:00\n"
                   "  TRACK 02 AUDIO\n"
                   "    INDEX 00 00:10:00\n"
                   "    INDEX 01 00:12:00\n"
                   "    INDEX 02 00:20:00\n"
                   "    POSTGAP 00:01:00\n");
    ok(rc == 0, "parse failed at line %d: %s\n", err.line, err.message);
    if (rc)
        return;
    ok(sheet.file_count == 1 && !strcmp(sheet.files[0].name, "disc.bin") && sheet.files[0].type == CDSHEET_FILE_BINARY,
       "files %d %s\n", sheet.file_count, sheet.files[0].name);
    ok(!strcmp(sheet.catalog, "0123456789012"), "catalog %s\n", sheet.catalog);
    ok(!strcmp(sheet.title, "An album") && !strcmp(sheet.performer, "Someone"), "title %s / %s\n", sheet.title,
       sheet.performer);
    ok(sheet.track_count == 2, "tracks %d\n", sheet.track_count);
    struct cdsheet_track *t1 = &sheet.tracks[0], *t2 = &sheet.tracks[1];
    ok(t1->number == 1 && t1->mode == CDSHEET_AUDIO && t1->file_offset == 0 && t1->file_pregap == 0, "track 1\n");
    ok(!strcmp(t1->isrc, "USABC0100001") && !strcmp(t1->title, "First"), "isrc %s title %s\n", t1->isrc, t1->title);
    ok(t1->flags == (CDSHEET_FLAG_DCP | CDSHEET_FLAG_PRE), "flags %#x\n", t1->flags);
    ok(t1->line == 7, "track 1 line %d\n", t1->line);
    ok(t2->file_offset == 750u * CD_SECTOR_SIZE && t2->file_pregap == 150, "track 2 offset %lu pregap %d\n",
       (unsigned long)t2->file_offset, (int)t2->file_pregap);
    ok(t2->index_count == 2 && t2->index_offset[1] == 600, "indexes %d %d\n", t2->index_count, (int)t2->index_offset[1]);
    ok(t2->postgap == 75, "postgap %d\n", (int)t2->postgap);
    ok(t1->sectors == -1 && t2->sectors == -1, "unresolved lengths\n");
    ok(sheet.note_count == 1 && sheet.notes[0].line == 4, "CD-Text note %d line %d\n", sheet.note_count,
       sheet.notes[0].line);
    /* The note says what happens to the text: it is written, in the lead-in. */
    ok(strstr(sheet.notes[0].text, "written as CD-Text in the lead-in R-W") != NULL, "CD-Text note: %s\n",
       sheet.notes[0].text);
    ok(t2->index_line[0] == 14 && t2->index_line[1] == 15, "INDEX lines %d %d\n", t2->index_line[0],
       t2->index_line[1]);

    uint64_t size = (uint64_t)3000 * CD_SECTOR_SIZE;
    rc = cdsheet_resolve(&sheet, &size, &err);
    ok(rc == 0, "resolve: %s\n", err.message);
    ok(t1->sectors == 750, "track 1 sectors %d\n", (int)t1->sectors);
    ok(t2->sectors == 3000 - 900, "track 2 sectors %d\n", (int)t2->sectors);
    ok(cdsheet_program_sectors(&sheet) == 750 + 150 + 2100 + 75, "program sectors %ld\n",
       (long)cdsheet_program_sectors(&sheet));
}

static void test_mixed_file(void)
{
    /* A Mode 1 / 2048 track followed by audio in the same file: offsets add
     * up per track sector size. */
    int rc = parse("FILE \"mixed.bin\" BINARY\r\n"
                   "TRACK 01 MODE1/2048\r\n"
                   "INDEX 01 00:00:00\r\n"
                   "TRACK 02 AUDIO\r\n"
                   "PREGAP 00:02:00\r\n"
                   "INDEX 01 00:10:00\r\n"
                   "TRACK 03 MODE2/2352\r\n"
                   "INDEX 01 00:20:00");
    ok(rc == 0, "parse failed at %d: %s\n", err.line, err.message);
    if (rc)
        return;
    ok(sheet.tracks[0].mode == CDSHEET_MODE1_2048 && sheet.tracks[0].flags == CDSHEET_FLAG_DATA, "mode 1\n");
    ok(sheet.tracks[1].file_offset == 750u * 2048, "track 2 offset %lu\n", (unsigned long)sheet.tracks[1].file_offset);
    ok(sheet.tracks[1].pregap == 150, "pregap %d\n", (int)sheet.tracks[1].pregap);
    ok(sheet.note_count == 1 && sheet.notes[0].line == 7 && strstr(sheet.notes[0].text, "track 3 is data after audio") &&
           strstr(sheet.notes[0].text, "at least 150"),
       "data after audio without pregap: %d notes, line %d: %s\n", sheet.note_count, sheet.notes[0].line,
       sheet.notes[0].text);
    ok(sheet.tracks[2].file_offset == 750u * 2048 + 750u * CD_SECTOR_SIZE, "track 3 offset %lu\n",
       (unsigned long)sheet.tracks[2].file_offset);
    uint64_t size = 750u * 2048 + 750u * CD_SECTOR_SIZE + 400u * CD_SECTOR_SIZE;
    ok(cdsheet_resolve(&sheet, &size, &err) == 0, "resolve: %s\n", err.message);
    ok(sheet.tracks[0].sectors == 750 && sheet.tracks[1].sectors == 750 && sheet.tracks[2].sectors == 400,
       "sectors %d %d %d\n", (int)sheet.tracks[0].sectors, (int)sheet.tracks[1].sectors, (int)sheet.tracks[2].sectors);
    size += 100; /* not whole sectors */
    rc = cdsheet_resolve(&sheet, &size, &err);
    ok(rc == -1 && err.line == 1 && strstr(err.message, "whole number"), "ragged size: %d %s\n", err.line,
       err.message);
}

/* A data track after audio with its 2 seconds of pregap (INDEX 00 in the
 * file, or PREGAP) draws no note; 149 sectors do. */
static void test_data_pregap(void)
{
    static const char *const sheets[] = {
        "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 MODE1/2352\nINDEX 00 00:10:00\n"
        "INDEX 01 00:12:00\n",
        "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 MODE1/2352\nPREGAP 00:02:00\n"
        "INDEX 01 00:10:00\n",
        "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 MODE2/2352\nINDEX 00 00:10:00\n"
        "INDEX 01 00:11:74\n",
    };
    for (int i = 0; i < 3; i++) {
        int rc = parse(sheets[i]);
        int want = i == 2;
        ok(rc == 0 && sheet.note_count == want && (!want || sheet.notes[0].line == 4),
           "sheet %d: %d notes (want %d): %s\n", i, sheet.note_count, want, sheet.note_count ? sheet.notes[0].text : "");
    }
}

/* Red Book stores any 13 digits and real sheets carry numbers whose EAN-13
 * check digit is wrong: kept as given, with a note saying so. */
static void test_catalog_check_digit(void)
{
    int rc = parse("CATALOG 1234567890123\nFILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n");
    ok(rc == 0 && !strcmp(sheet.catalog, "1234567890123"), "catalog kept: %d %s\n", rc, sheet.catalog);
    ok(sheet.note_count == 1 && sheet.notes[0].line == 1 && strstr(sheet.notes[0].text, "check digit is wrong") &&
           strstr(sheet.notes[0].text, "gives 8, not 3") && strstr(sheet.notes[0].text, "written as given"),
       "check digit note: %s\n", sheet.note_count ? sheet.notes[0].text : "(none)");
    rc = parse("CATALOG 4006381333931\nFILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\n");
    ok(rc == 0 && sheet.note_count == 0, "a valid EAN-13 draws no note\n");
}

static void test_many_files(void)
{
    int rc = parse("\xEF\xBB\xBF"
                   "FILE \"01 first.wav\" WAVE\n"
                   "TRACK 01 AUDIO\n"
                   "INDEX 01 00:00:00\n"
                   "FILE \"02 second.wav\" wave\n"
                   "track 02 audio\n"
                   "index 00 00:00:00\n"
                   "index 01 00:02:00\n"
                   "CDTEXTFILE \"x.cdt\"\n");
    ok(rc == 0, "parse failed at %d: %s\n", err.line, err.message);
    if (rc)
        return;
    ok(sheet.file_count == 2 && !strcmp(sheet.files[1].name, "02 second.wav") && sheet.files[1].type == CDSHEET_FILE_WAVE,
       "second file %s\n", sheet.files[1].name);
    ok(sheet.tracks[1].file == 1 && sheet.tracks[1].file_offset == 0 && sheet.tracks[1].file_pregap == 150,
       "track 2 in file 2\n");
    ok(!strcmp(sheet.cdtext_file, "x.cdt") && sheet.note_count == 1 && sheet.notes[0].line == 8, "cdtextfile note\n");
    ok(strstr(sheet.notes[0].text, "x.cdt: written as CD-Text in the lead-in R-W") != NULL, "cdtextfile note: %s\n",
       sheet.notes[0].text);
    uint64_t sizes[2] = { 1000u * CD_SECTOR_SIZE + 5, 500u * CD_SECTOR_SIZE };
    ok(cdsheet_resolve(&sheet, sizes, &err) == 0, "resolve: %s\n", err.message);
    ok(sheet.tracks[0].sectors == 1001, "WAVE padded: %d\n", (int)sheet.tracks[0].sectors);
    ok(sheet.tracks[1].sectors == 350, "track 2 sectors %d\n", (int)sheet.tracks[1].sectors);
    ok(sheet.note_count == 2 && sheet.notes[1].line == 1, "padding note %d\n", sheet.note_count);
}

static void test_resolve_errors(void)
{
    int rc = parse("FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nINDEX 02 00:30:00\n");
    ok(rc == 0, "parse: %s\n", err.message);
    uint64_t size = 100u * CD_SECTOR_SIZE;
    rc = cdsheet_resolve(&sheet, &size, &err);
    ok(rc == -1 && err.line == 2 && strstr(err.message, "too short"), "short file: %d %s\n", err.line, err.message);
}

struct bad_sheet {
    const char *text;
    int line;
    const char *message; /* a part of it */
};

static const struct bad_sheet bad_sheets[] = {
    { "", 1, "no TRACK" },
    { "REM only\n", 1, "no TRACK" },
    { "FILE \"a.bin\" BINARY\n", 1, "no TRACK" },
    { "TRACK 01 AUDIO\n", 1, "before any FILE" },
    { "FILE a.bin\n", 1, "expected: FILE" },
    { "FILE \"a.bin BINARY\n", 1, "closing quote" },
    { "FILE \"\" BINARY\n", 1, "empty file name" },
    { "FILE \"a.mp3\" MP3\n", 1, "convert it to WAVE" },
    { "FILE \"a.bin\" ISO\n", 1, "unknown file type" },
    { "FILE \"a.bin\" BINARY\nTRACK 00 AUDIO\n", 2, "bad track number" },
    { "FILE \"a.bin\" BINARY\nTRACK 100 AUDIO\n", 2, "bad track number" },
    { "FILE \"a.bin\" BINARY\nTRACK x1 AUDIO\n", 2, "bad track number" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 CDG\n", 2, "not supported" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 MODE2/2048\n", 2, "not supported" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nTRACK 02 AUDIO\n", 3, "no INDEX 01" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 03 AUDIO\n", 4, "go up by one" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 AUDIO\n", 4, "no INDEX 01" },
    { "FILE \"a.bin\" BINARY\nINDEX 01 00:00:00\n", 2, "outside a TRACK" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 02 00:00:00\n", 3, "out of order" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nINDEX 03 00:10:00\n", 4, "out of order" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:60:00\n", 3, "bad time" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:75\n", 3, "bad time" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 0:0\n", 3, "bad time" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:0a\n", 3, "bad time" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 100 00:00:00\n", 3, "bad index number" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01\n", 3, "expected: INDEX" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 00 00:02:00\nINDEX 01 00:02:00\n", 4, "not after" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:02:00\nINDEX 02 00:01:00\n", 4, "not after" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:10:00\nTRACK 02 AUDIO\nINDEX 01 00:05:00\n", 5,
      "starts before" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nINDEX 02 00:10:00\nTRACK 02 AUDIO\n"
      "INDEX 01 00:09:00\n", 6, "starts before" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nPREGAP 00:02:00\n", 4, "before the INDEX" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nPREGAP 00:02:00\nPREGAP 00:02:00\n", 4, "second PREGAP" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nPOSTGAP 00:02:00\n", 3, "after INDEX 01" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nPOSTGAP 00:02:00\nINDEX 02 00:09:00\n", 5,
      "after POSTGAP" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nPOSTGAP 00:02:00\nPOSTGAP 00:02:00\n", 5,
      "second POSTGAP" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nPREGAP 2s\n", 3, "bad time" },
    { "ISRC USABC0100001\n", 1, "outside a TRACK" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nISRC USABC01000\n", 3, "bad ISRC" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nISRC US-BC0100001\n", 3, "bad ISRC" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nISRC USABC01A0001\n", 3, "bad ISRC" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nISRC USABC0100001\nISRC USABC0100002\n", 4, "second ISRC" },
    { "CATALOG 123\n", 1, "bad CATALOG" },
    { "CATALOG 012345678901A\n", 1, "bad CATALOG" },
    { "CATALOG 0123456789012\nCATALOG 0123456789012\n", 2, "second CATALOG" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nFLAGS DCP XYZ\n", 3, "unknown flag" },
    { "FLAGS DCP\n", 1, "outside a TRACK" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nBOGUS 1\n", 4, "unknown command 'BOGUS'" },
    { "\"FILE\" x y\n", 1, "must start with a command" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00 extra\n", 3, "expected: INDEX" },
    { "TITLE\n", 1, "expected: TITLE" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\nTRACK 02 AUDIO\nINDEX 00 00:10:00\n"
      "FILE \"b.bin\" BINARY\nINDEX 01 00:00:00\n", 6, "different files" },
    { "FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nINDEX 01 00:00:00\na b c d e f g h i\n", 4, "too many words" },
    { "REM ok\nFILE \"a.bin\" BINARY\0\nTRACK 01 AUDIO\n", 2, "NUL byte" },
};

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof(bad_sheets) / sizeof(bad_sheets[0]); i++) {
        const struct bad_sheet *b = &bad_sheets[i];
        /* The NUL case needs its real length: the sheet goes on after it. */
        size_t len = strlen(b->text);
        if (strstr(b->message, "NUL"))
            len += 1 + strlen(b->text + len + 1);
        char *copy = malloc(len ? len : 1);
        memcpy(copy, b->text, len);
        int rc = cue_parse(copy, len, &sheet, &err);
        free(copy);
        ok(rc == -1, "sheet %u parsed: %s\n", (unsigned)i, b->text);
        ok(err.line == b->line, "sheet %u: line %d, expected %d (%s)\n", (unsigned)i, err.line, b->line, err.message);
        ok(strstr(err.message, b->message) != NULL, "sheet %u: message '%s' lacks '%s'\n", (unsigned)i, err.message,
           b->message);
    }
}

static void test_long_word(void)
{
    char text[700];
    strcpy(text, "FILE \"");
    memset(text + 6, 'a', 600);
    strcpy(text + 606, "\" BINARY\n");
    ok(parse(text) == -1 && err.line == 1 && strstr(err.message, "too long"), "long name: %s\n", err.message);
}

static void test_mode_table(void)
{
    ok(cdsheet_mode_sector_size(CDSHEET_AUDIO) == CD_SECTOR_SIZE && cdsheet_mode_sector_size(CDSHEET_MODE1_2048) == 2048 &&
           cdsheet_mode_sector_size(CDSHEET_MODE2_2336) == 2336 && cdsheet_mode_sector_size(CDSHEET_MODE_COUNT) == 0,
       "sector sizes\n");
    ok(!strcmp(cdsheet_mode_name(CDSHEET_MODE2_2352), "MODE2/2352"), "names\n");
    ok(cdsheet_isrc_valid("GBAYE6800011") && !cdsheet_isrc_valid("gbaye6800011") && !cdsheet_isrc_valid(""),
       "isrc shape\n");
}

/* CD-Text lines: album before the first TRACK, then per track; UTF-8 or
 * ISO 8859-1 bytes; refusals name the line. */
static int cue_text(const char *sheet, struct cdtext **out, struct cdsheet_error *e)
{
    cdtext_create(out);
    return cue_cdtext(sheet, strlen(sheet), *out, e);
}

static void test_cdtext_lines(void)
{
    struct cdtext *t;
    struct cdsheet_error e;
    int rc = cue_text("REM TITLE \"not this\"\nTITLE \"Album\"\nPERFORMER Band\nDISC_ID \"ID1\"\n"
                      "FILE \"a.bin\" BINARY\n  TRACK 01 AUDIO\n    TITLE \"Caf\xc3\xa9\"\n    INDEX 01 00:00:00\n"
                      "  TRACK 02 AUDIO\n    TITLE \"Stra\xdf\x65\"\n    SONGWRITER \"W\"\n    COMPOSER \"C\"\n"
                      "    ARRANGER \"A\"\n    MESSAGE \"M\"\n",
                      &t, &e);
    ok(rc == 0, "CD-Text lines: %d %s\n", e.line, e.message);
    ok(!strcmp(cdtext_get(t, CDTEXT_TITLE, 0), "Album") && !strcmp(cdtext_get(t, CDTEXT_PERFORMER, 0), "Band") &&
           !strcmp(cdtext_get(t, CDTEXT_DISC_ID, 0), "ID1"),
       "album texts\n");
    ok(!strcmp(cdtext_get(t, CDTEXT_TITLE, 1), "Caf\xe9"), "UTF-8 title became ISO 8859-1\n");
    ok(!strcmp(cdtext_get(t, CDTEXT_TITLE, 2), "Stra\xdf\x65"), "ISO 8859-1 bytes kept\n");
    ok(!strcmp(cdtext_get(t, CDTEXT_SONGWRITER, 2), "W") && !strcmp(cdtext_get(t, CDTEXT_COMPOSER, 2), "C") &&
           !strcmp(cdtext_get(t, CDTEXT_ARRANGER, 2), "A") && !strcmp(cdtext_get(t, CDTEXT_MESSAGE, 2), "M") &&
           !cdtext_get(t, CDTEXT_SONGWRITER, 1),
       "track 2's other fields\n");
    cdtext_free(t);

    rc = cue_text("FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nTITLE \"\xe2\x82\xac\"\n", &t, &e);
    ok(rc == -1 && e.line == 3 && strstr(e.message, "TITLE") && strstr(e.message, "8859-1"),
       "euro sign: line %d %s\n", e.line, e.message);
    cdtext_free(t);
    rc = cue_text("FILE \"a.bin\" BINARY\nTRACK 01 AUDIO\nDISC_ID \"x\"\n", &t, &e);
    ok(rc == -1 && e.line == 3 && strstr(e.message, "DISC_ID"), "DISC_ID in a track: %d %s\n", e.line, e.message);
    cdtext_free(t);
    rc = cue_text("TITLE \"a\" \"b\"\n", &t, &e);
    ok(rc == -1 && e.line == 1 && strstr(e.message, "one text"), "two texts: %s\n", e.message);
    cdtext_free(t);
    rc = cue_text("TRACK 100 AUDIO\nTITLE \"x\"\n", &t, &e);
    ok(rc == -1 && e.line == 1, "track 100: %s\n", e.message);
    cdtext_free(t);
}

int main(void)
{
    test_cdtext_lines();
    test_simple_audio();
    test_mixed_file();
    test_data_pregap();
    test_catalog_check_digit();
    test_many_files();
    test_resolve_errors();
    test_errors();
    test_long_word();
    test_mode_table();
    return okay_summary("mmc_cue");
}
