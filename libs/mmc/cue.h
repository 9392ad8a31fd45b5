/* Disc descriptions read from CUE sheets (this file) and CloneCD .ccd files
 * (ccd.h): one neutral model of tracks, modes, file offsets, indexes, ISRC
 * and MCN that a burner turns into a raw Disc-At-Once image.
 *
 * The parsers take the sheet's bytes and a length (no NUL needed), never
 * read past them, never open the files the sheet names, and stop at the
 * first error with its 1-based line number and a readable message. What a
 * sheet says that the model does not carry (CD-Text, for one) is kept as a
 * note with its line, so a CLI can tell the user what it leaves out.
 *
 * CUE sheet model (times are mm:ss:ff, 75 frames a second, counted from
 * the start of the FILE they follow):
 *  - a track's data in its file starts at its first index (INDEX 00 when
 *    present: those sectors are its pregap, else INDEX 01) and runs to the
 *    first index of the next track in the same file, or to the end of the
 *    file; the end is only known from the file size (cdsheet_resolve).
 *  - PREGAP / POSTGAP are generated sectors that are not in the file.
 *  - a file may hold tracks of different sector sizes: the byte offset of a
 *    track is the sum of the earlier tracks' spans times their sizes. */
#ifndef IMAPI2_CUE_H
#define IMAPI2_CUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc/geometry.h"

#define CDSHEET_MAX_TRACKS 99
#define CDSHEET_MAX_FILES 99
#define CDSHEET_MAX_INDEXES 99     /* index 1..99 of a track */
#define CDSHEET_MAX_TOC 128        /* CloneCD [Entry] sections kept */
#define CDSHEET_MAX_NOTES 16
#define CDSHEET_NAME_MAX 260       /* file names, bytes with the NUL */
#define CDSHEET_TEXT_MAX 81        /* TITLE / PERFORMER, bytes with the NUL */
#define CDSHEET_NOTE_MAX 120
#define CDSHEET_MESSAGE_MAX 160

/* How a track's sectors are stored in its file. */
enum cdsheet_mode {
    CDSHEET_AUDIO = 0,   /* 2352 bytes of 16-bit stereo samples */
    CDSHEET_MODE1_2048,  /* Mode 1 user data only */
    CDSHEET_MODE1_2352,  /* whole Mode 1 sectors (sync, header, EDC/ECC), not scrambled */
    CDSHEET_MODE2_2336,  /* Mode 2 sectors without sync and header */
    CDSHEET_MODE2_2352,  /* whole Mode 2 sectors, not scrambled */
    CDSHEET_MODE_COUNT
};

enum cdsheet_file_type {
    CDSHEET_FILE_BINARY = 0, /* raw sectors; audio little-endian */
    CDSHEET_FILE_MOTOROLA,   /* raw sectors; audio big-endian */
    CDSHEET_FILE_WAVE        /* RIFF WAVE: the sectors are the data chunk */
};

/* Q control nibble bits a sheet can set (FLAGS, CloneCD Control). */
#define CDSHEET_FLAG_PRE 0x01  /* pre-emphasis */
#define CDSHEET_FLAG_DCP 0x02  /* digital copy permitted */
#define CDSHEET_FLAG_DATA 0x04 /* data track (set from the mode) */
#define CDSHEET_FLAG_4CH 0x08  /* four-channel audio */
#define CDSHEET_FLAG_SCMS 0x80 /* serial copy management (not a Q bit) */

struct cdsheet_file {
    char name[CDSHEET_NAME_MAX]; /* as written in the sheet, relative to it */
    enum cdsheet_file_type type;
    int line;
};

struct cdsheet_track {
    int number;              /* 1..99 */
    enum cdsheet_mode mode;
    int file;                /* index into cdsheet.files */
    uint64_t file_offset;    /* byte offset of the track's first sector in the file */
    int32_t file_pregap;     /* sectors of index 0 in the file before index 1 */
    int32_t pregap;          /* PREGAP: generated sectors before the track, not in the file */
    int32_t postgap;         /* POSTGAP: generated sectors after it */
    int32_t sectors;         /* index 1 to the end of the track's data; -1 until resolved */
    int32_t start_lba;       /* CloneCD: index 1 on the disc; cue: -1 (the burner lays it out) */
    int index_count;         /* indexes 1..index_count */
    int32_t index_offset[CDSHEET_MAX_INDEXES]; /* sectors from index 1; [0] = 0 */
    int index_line[CDSHEET_MAX_INDEXES];       /* line of each INDEX nn (cue; 0 for CloneCD) */
    char isrc[13];           /* "" when none */
    uint8_t flags;           /* CDSHEET_FLAG_* */
    char title[CDSHEET_TEXT_MAX];
    char performer[CDSHEET_TEXT_MAX];
    int line;                /* line of the TRACK / [TRACK n] */
};

/* A data track that follows an audio track is preceded by a pregap of at
 * least 2 seconds (150 sectors) in its own mode; mastering practice makes
 * the change of mode 3 seconds (225) with a 1-second pause of the old mode.
 * (ECMA-130 and Orange Book figures as secondary sources give them; the
 * project's spec sheets do not state them.) */

/* A lead-in TOC entry as a CloneCD file gives it (values binary). */
struct cdsheet_toc_entry {
    uint8_t session, point, adr, control, tno;
    uint8_t amin, asec, aframe, zero, pmin, psec, pframe;
    int32_t plba;
};

struct cdsheet_note {
    int line;
    char text[CDSHEET_NOTE_MAX];
};

struct cdsheet {
    int file_count;
    struct cdsheet_file files[CDSHEET_MAX_FILES];
    int track_count;
    struct cdsheet_track tracks[CDSHEET_MAX_TRACKS];
    char catalog[14];        /* MCN, 13 digits, "" when none */
    char title[CDSHEET_TEXT_MAX];
    char performer[CDSHEET_TEXT_MAX];
    char cdtext_file[CDSHEET_NAME_MAX];
    /* CloneCD only */
    int32_t leadout_lba;     /* -1 for cue sheets */
    bool data_scrambled;     /* DataTracksScrambled=1: data sectors in the .img are scrambled */
    int toc_count;
    struct cdsheet_toc_entry toc[CDSHEET_MAX_TOC];
    /* things read but not carried, for the user */
    int note_count;
    int notes_dropped;       /* notes beyond CDSHEET_MAX_NOTES */
    struct cdsheet_note notes[CDSHEET_MAX_NOTES];
};

struct cdsheet_error {
    int line;                /* 1-based; 0 when the error is not tied to a line */
    char message[CDSHEET_MESSAGE_MAX];
};

/* Bytes a sector of a mode takes in its file (0 for an unknown mode). */
size_t cdsheet_mode_sector_size(enum cdsheet_mode mode);
/* The cue spelling of a mode ("AUDIO", "MODE1/2048", ...). */
const char *cdsheet_mode_name(enum cdsheet_mode mode);
static inline bool cdsheet_mode_is_data(enum cdsheet_mode mode) { return mode != CDSHEET_AUDIO; }

/* Parses a CUE sheet. 0 on success; -1 with *err filled (out is then
 * partly filled and must not be used). */
int cue_parse(const char *text, size_t len, struct cdsheet *out, struct cdsheet_error *err);

/* The CD-Text a cue sheet gives in TITLE, PERFORMER, SONGWRITER, COMPOSER,
 * ARRANGER, MESSAGE, DISC_ID, GENRE and UPC_EAN lines (before the first
 * TRACK: the album; after: that track), added to *out. Text is UTF-8 when
 * it decodes as such, else ISO 8859-1 bytes. 0, or -1 with *err naming the
 * line (a text beyond ISO 8859-1, a control character, DISC_ID for a
 * track...). CDTEXTFILE is left to the caller (it names a file). */
struct cdtext;
int cue_cdtext(const char *text, size_t len, struct cdtext *out, struct cdsheet_error *err);

/* Sets every track's length from the sizes in bytes of the sheet's files
 * (file_sizes[i] for files[i]; for WAVE files the data chunk size). Errors:
 * a file too small for the indexes in it, or a last track whose bytes are
 * not whole sectors (WAVE data is zero-padded to whole sectors instead, with
 * a note). 0 ok, -1 with *err (line of the FILE or TRACK concerned). */
int cdsheet_resolve(struct cdsheet *sheet, const uint64_t *file_sizes, struct cdsheet_error *err);

/* Sum of the sheet's sectors from track 1's index 1 to the end of the last
 * track (pregaps after track 1 and postgaps included; resolved sheet). */
int64_t cdsheet_program_sectors(const struct cdsheet *sheet);

/* Helpers shared by the two parsers. */
void cdsheet_init(struct cdsheet *sheet);
/* Notes a catalog number whose last digit is not its EAN-13 check digit:
 * the Q channel stores any 13 digits, so it is written as given. */
void cdsheet_note_catalog(struct cdsheet *sheet, int line);
void cdsheet_note(struct cdsheet *sheet, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int cdsheet_fail(struct cdsheet_error *err, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* ISRC shape CCOOOYYSSSSS: country and owner A-Z/0-9, year and serial digits. */
bool cdsheet_isrc_valid(const char *isrc);

#endif
