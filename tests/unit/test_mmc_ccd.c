/* CloneCD .ccd parser: a file as libs/vrec's exporter writes it, a mixed
 * audio/data disc with index 0 pregaps and extra indexes, lenient details
 * (hex/decimal, PLBA left out, CRLF, unknown keys noted), and every error
 * with the line it must name. Inputs are exact-size heap copies (ASan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okay.h"
#include "mmc/ccd.h"
#include "mmc/geometry.h"

static struct cdsheet sheet;
static struct cdsheet_error err;

static int parse(const char *text)
{
    size_t len = strlen(text);
    char *copy = malloc(len ? len : 1);
    memcpy(copy, text, len);
    int rc = ccd_parse(copy, len, &sheet, &err);
    free(copy);
    return rc;
}

#define ENTRY(n, point, control, pmin, psec, pframe, plba)                                                      \
    "[Entry " #n "]\nSession=1\nPoint=" #point "\nADR=0x01\nControl=" #control "\nTrackNo=0\nAMin=0\nASec=0\n" \
    "AFrame=0\nALBA=-150\nZero=0\nPMin=" #pmin "\nPSec=" #psec "\nPFrame=" #pframe "\nPLBA=" #plba "\n"

/* Lines: 1 [CloneCD], 2 Version, 3 [Disc], 4 TocEntries, 5 Sessions,
 * 6 DataTracksScrambled, 7 CDTextLength, 8 CATALOG; each ENTRY is 15 lines. */
static const char two_tracks[] =
    "[CloneCD]\nVersion=3\n[Disc]\nTocEntries=5\nSessions=1\nDataTracksScrambled=0\nCDTextLength=0\n"
    "CATALOG=0123456789012\n"
    "[Session 1]\nPreGapMode=0\nPreGapSubC=0\n"
    ENTRY(0, 0xa0, 0x00, 1, 0, 0, 4350)
    ENTRY(1, 0xa1, 0x04, 2, 0, 0, 8850)
    ENTRY(2, 0xa2, 0x04, 3, 0, 0, 13350)
    ENTRY(3, 0x01, 0x02, 0, 2, 0, 0)
    ENTRY(4, 0x02, 0x04, 1, 2, 0, 4500)
    "[TRACK 1]\nMODE=0\nISRC=USABC0100001\nINDEX 1=0\nINDEX 2=300\n"
    "[TRACK 2]\nMODE=1\nINDEX 0=4350\nINDEX 1=4500\n";

static void test_two_tracks(void)
{
    int rc = parse(two_tracks);
    ok(rc == 0, "parse failed at line %d: %s\n", err.line, err.message);
    if (rc)
        return;
    ok(sheet.file_count == 1 && sheet.track_count == 2, "files %d tracks %d\n", sheet.file_count, sheet.track_count);
    ok(sheet.leadout_lba == 13350, "lead-out %ld\n", (long)sheet.leadout_lba);
    ok(!strcmp(sheet.catalog, "0123456789012"), "catalog %s\n", sheet.catalog);
    ok(!sheet.data_scrambled, "not scrambled\n");
    ok(sheet.toc_count == 5 && sheet.toc[0].point == 0xa0 && sheet.toc[4].plba == 4500, "toc kept\n");
    struct cdsheet_track *t1 = &sheet.tracks[0], *t2 = &sheet.tracks[1];
    ok(t1->number == 1 && t1->mode == CDSHEET_AUDIO && t1->start_lba == 0 && t1->flags == CDSHEET_FLAG_DCP,
       "track 1: mode %d start %ld flags %#x\n", t1->mode, (long)t1->start_lba, t1->flags);
    ok(!strcmp(t1->isrc, "USABC0100001"), "isrc %s\n", t1->isrc);
    ok(t1->index_count == 2 && t1->index_offset[1] == 300, "track 1 indexes %d\n", t1->index_count);
    ok(t1->sectors == 4350 && t1->file_offset == 0, "track 1 sectors %ld\n", (long)t1->sectors);
    ok(t2->mode == CDSHEET_MODE1_2352 && t2->start_lba == 4500 && t2->file_pregap == 150, "track 2 %d %ld %ld\n",
       t2->mode, (long)t2->start_lba, (long)t2->file_pregap);
    ok(t2->file_offset == 4350u * CD_SECTOR_SIZE && t2->sectors == 13350 - 4500, "track 2 offset %lu sectors %ld\n",
       (unsigned long)t2->file_offset, (long)t2->sectors);
    ok(sheet.note_count == 0, "notes %d: %s\n", sheet.note_count, sheet.note_count ? sheet.notes[0].text : "");
}

static void test_lenient(void)
{
    /* No PLBA (taken from PMin/PSec/PFrame), decimal points, CRLF, an
     * unknown key and section, CD-Text, no [TRACK] section for track 1. */
    const char *text = "[CloneCD]\r\nVersion=2\r\n[Disc]\r\nTocEntries=4\r\nSessions=1\r\nCDTextLength=20\r\n"
                       "Foo=1\r\n"
                       "[CDText]\r\nEntries=1\r\nEntry 0=80 00 00 00 41 42 43 44 45 46 47 48 49 50 51 52 00 00\r\n"
                       "[Entry 0]\r\nPoint=160\r\nADR=1\r\nControl=0\r\nPMin=1\r\nPSec=0\r\nPFrame=0\r\n"
                       "[Entry 1]\r\nPoint=161\r\nADR=1\r\nControl=0\r\nPMin=1\r\nPSec=0\r\nPFrame=0\r\n"
                       "[Entry 2]\r\nPoint=162\r\nADR=1\r\nControl=0\r\nPMin=0\r\nPSec=12\r\nPFrame=0\r\n"
                       "[Entry 3]\r\nPoint=1\r\nADR=1\r\nControl=0\r\nPMin=0\r\nPSec=2\r\nPFrame=0\r\nWhatever=3\r\n"
                       "[Weird]\r\nx=y\r\n";
    int rc = parse(text);
    ok(rc == 0, "parse failed at line %d: %s\n", err.line, err.message);
    if (rc)
        return;
    ok(sheet.leadout_lba == 750 && sheet.tracks[0].start_lba == 0 && sheet.tracks[0].sectors == 750,
       "lead-out %ld sectors %ld\n", (long)sheet.leadout_lba, (long)sheet.tracks[0].sectors);
    ok(sheet.tracks[0].mode == CDSHEET_AUDIO, "mode from control\n");
    ok(sheet.note_count == 5, "notes %d\n", sheet.note_count);
    for (int i = 0; i < sheet.note_count; i++)
        if (okay_is_verbose())
            printf("note line %d: %s\n", sheet.notes[i].line, sheet.notes[i].text);
}

struct bad_ccd {
    const char *text;
    int line;
    const char *message;
};

#define HEAD "[CloneCD]\nVersion=3\n[Disc]\nTocEntries=2\nSessions=1\n" /* lines 1-5 */
#define A2 "[Entry 0]\nPoint=0xa2\nADR=1\nControl=0\nPLBA=1000\n"         /* lines 6-10 */

static const struct bad_ccd bad[] = {
    { "", 1, "not a CloneCD" },
    { "Version=3\n", 1, "before the first [section]" },
    { "[CloneCD]\nVersion=3\n", 2, "no [Disc]" },
    { "[CloneCD\n", 1, "missing ']'" },
    { "[CloneCD] x\n", 1, "text after" },
    { "[]\n", 1, "bad section name" },
    { "[CloneCD]\njunk\n", 2, "key=value" },
    { "[CloneCD]\n=3\n", 2, "bad key" },
    { "[CloneCD]\nVersion=abc\n", 2, "bad Version" },
    { "[CloneCD]\n[Disc]\n[Disc]\n", 3, "second [Disc]" },
    { "[CloneCD]\n[Disc]\nSessions=2\n", 3, "single-session" },
    { "[CloneCD]\n[Disc]\nTocEntries=0\n", 3, "bad TocEntries" },
    { "[CloneCD]\n[Disc]\nTocEntries=999999999999\n", 3, "bad TocEntries" },
    { "[CloneCD]\n[Disc]\nDataTracksScrambled=2\n", 3, "bad DataTracksScrambled" },
    { "[CloneCD]\n[Disc]\nCATALOG=12\n", 3, "bad CATALOG" },
    { "[CloneCD]\n[Entry 0]\n", 2, "before [Disc]" },
    { HEAD "[Entry 1]\n", 6, "out of order" },
    { HEAD "[Entry]\n", 6, "needs a number" },
    { HEAD "[Disc 1]\n", 6, "takes no number" },
    { HEAD "[Entry x]\n", 6, "bad section number" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[Entry 2]\n", 16, "beyond TocEntries" },
    { HEAD A2, 4, "TocEntries=2 but the file has 1" },
    { HEAD A2 "[Entry 1]\nPoint=1\nPoint=1\n", 13, "second Point" },
    { HEAD A2 "[Entry 1]\nPoint=256\n", 12, "bad Point" },
    { HEAD A2 "[Entry 1]\nPLBA=-500000\n", 12, "bad PLBA" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nPLBA=0\n", 11, "has no Control" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\n", 11, "neither PLBA" },
    { HEAD A2 "[Entry 1]\nSession=2\nPoint=1\nADR=1\nControl=0\nPLBA=0\n", 11, "session 2" },
    { HEAD "[Entry 0]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[Entry 1]\nPoint=0xa0\nADR=1\nControl=0\nPLBA=0\n", 15,
      "no lead-out" },
    { HEAD A2 "[Entry 1]\nPoint=0xa0\nADR=1\nControl=0\nPLBA=0\n", 15, "no track entries" },
    { "[CloneCD]\n[Disc]\nTocEntries=3\n" A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n"
      "[Entry 2]\nPoint=3\nADR=1\nControl=0\nPLBA=500\n", 14, "go up by one" },
    { "[CloneCD]\n[Disc]\nTocEntries=3\n" A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=500\n"
      "[Entry 2]\nPoint=2\nADR=1\nControl=0\nPLBA=500\n", 14, "does not start after" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=-10\n", 11, "before the program area" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=4\nPLBA=0\n[TRACK 1]\nMODE=0\n", 17, "MODE says audio" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 1]\nMODE=3\n", 17, "bad MODE" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 0]\n", 16, "bad track number" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 1]\n[TRACK 1]\n", 17, "second [TRACK 1]" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 2]\nMODE=0\n", 16, "no TOC entry" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 1]\nINDEX x=0\n", 17, "bad index number" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 1]\nINDEX 1=0\nINDEX 1=0\n", 18,
      "out of order" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 1]\nINDEX 0=0\nINDEX 0=0\n", 18,
      "second INDEX 0" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=100\n[TRACK 1]\nINDEX 1=0\nINDEX 2=50\n", 16,
      "before the track's start" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 1]\nINDEX 1=0\nINDEX 2=0\n", 18,
      "not after the index" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=100\n[TRACK 1]\nINDEX 0=200\n", 17, "INDEX 0 of track 1" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 1]\nINDEX 1=0\nINDEX 2=1000\n", 16,
      "ends before" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 1]\nINDEX 2=100\n", 17, "out of order" },
    { HEAD A2 "[Entry 1]\nPoint=1\nADR=1\nControl=0\nPLBA=0\n[TRACK 1]\nISRC=nope\n", 17, "bad ISRC" },
    { "[CloneCD]\nVersion=3\0\n", 2, "NUL byte" },
    { "[CloneCD]\nVersion=0123456789012345678901234567890123456789012345678901234567890123456789\n", 2, "too long" },
};

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len = strlen(bad[i].text);
        if (strstr(bad[i].message, "NUL"))
            len += 1 + strlen(bad[i].text + len + 1);
        char *copy = malloc(len ? len : 1);
        memcpy(copy, bad[i].text, len);
        int rc = ccd_parse(copy, len, &sheet, &err);
        free(copy);
        ok(rc == -1, "ccd %u parsed\n", (unsigned)i);
        ok(err.line == bad[i].line, "ccd %u: line %d, expected %d (%s)\n", (unsigned)i, err.line, bad[i].line,
           err.message);
        ok(strstr(err.message, bad[i].message) != NULL, "ccd %u: message '%s' lacks '%s'\n", (unsigned)i, err.message,
           bad[i].message);
    }
}

int main(void)
{
    test_two_tracks();
    test_lenient();
    test_errors();
    return okay_summary("mmc_ccd");
}
