/* The raw Disc-At-Once image generator behind MsftRawCDImageCreator: a track
 * list model (IRawCDImageCreator / IRawCDImageTrackInfo settings) and an
 * on-demand generator of the image IDiscFormat2RawCD::WriteMedia burns.
 * The image is never held in memory: rawimage_read() builds the sectors a
 * byte range touches (one sector is cached), reading track data from the
 * caller's sources as it goes.
 *
 * Life cycle: rawimage_create, then settings and tracks (each call checks
 * and either applies or leaves the model unchanged), rawimage_finalize
 * (CreateResultImage: validates and freezes; every later change gets
 * E_IMAPI_RAW_IMAGE_IS_READ_ONLY), then rawimage_read any number of times,
 * rawimage_free. Layout queries work at any time on the current model.
 * One image is not safe to use from two threads at once.
 *
 * LAYOUT (LBA = logical block address, 0 = MSF 00:02:00)
 *  - The image starts at MSF 95:00:00, LBA -22650 (CD_RAW_IMAGE_START_LBA),
 *    as IMAPI2's raw images do; sector i of the image is LBA -22650 + i.
 *    A drive's lead-in starts later (ATIP, e.g. 97:26:66 = -11634): the
 *    write engine skips the image's first (leadin_start + 22650) sectors.
 *  - Lead-in, LBA -22650 .. -151: Q ADR 1, TNO 0, running absolute MSF in
 *    bytes 3-5, POINT entries in the order A0, A1, A2, first..last track,
 *    each in 3 consecutive frames, cycling from the image start. A0: first
 *    track number, disc type 00 (CD-DA / CD-ROM) or 20 (CD-ROM XA, when a
 *    Mode 2 Form 1/2 track exists); A1: last track number; A2: lead-out
 *    start. Control of A0 = first track's, A1/A2 = last track's. P = 0.
 *  - Track 1 pregap, LBA -150 .. -1 (index 0, P = 1). With a special pregap
 *    (AddSpecialPregap, audio, >= 150 sectors) its data fills the whole
 *    index 0 and track 1's index 1 moves to LBA (pregap sectors - 150).
 *  - Tracks follow one another. Track n > 1 gets a 150-sector pregap
 *    (index 0, P = 1, silence / empty data sectors of track n's kind),
 *    except between two audio tracks when DisableGaplessAudio is TRUE:
 *    then no sectors are inserted and the last 150 sectors of track n-1's
 *    audio carry track n's index 0 in Q (the documented "gapless"
 *    behaviour; the default FALSE gives the silent 2-second gaps).
 *    Relative time counts down in index 0 (00:00:01 on its last sector)
 *    and up from 00:00:00 at index 1. Extra indexes are offsets from
 *    index 1. Tracks shorter than 4 seconds (300 sectors) are refused.
 *  - Lead-out at A2 = end of the last track, 6750 sectors, TNO AA, index 1,
 *    relative time from A2. P = 0 for the first 150 sectors, then a square
 *    wave of 19 sectors on / 19 off (about 2 Hz, the figure peers give).
 *  - ADR 2 (MCN) and ADR 3 (the track's ISRC, audio tracks only) replace
 *    ADR 1 frames where cd_q_adr_at (libs/mmc/subcode.h) puts them: twice
 *    every 50 frames, the MCN in pregaps too, the ISRC in index >= 1 only,
 *    never on the first sector of an index or the last sector of a track,
 *    never in the lead-in or lead-out. Both carry the absolute frame in
 *    byte 9.
 *  - Control nibble: audio 0, + 2 when digital copy is permitted, + 1 with
 *    preemphasis; with SCMS the copy bit alternates every 4 frames in the
 *    program area and is 0 in the TOC. Data tracks: 4 (the copy and
 *    preemphasis settings describe audio and are ignored for data).
 *  - Main channel: audio sectors as given, silence as zero samples. Data
 *    sectors get sync, header, EDC/ECC as their kind needs and are
 *    scrambled (ECMA-130 Annex B), since in raw mode the host supplies the
 *    recorded bytes. Pregap, lead-in (first track's kind) and lead-out
 *    (last track's kind) of data tracks are empty data sectors. Mode 2
 *    Form 1 sectors get the subheader 00 00 08 00 (empty fill in Form 2
 *    tracks 00 00 20 00). Form 2 sources are 2336 bytes a sector (subheader
 *    twice, 2324 data, 4 EDC bytes, which are recomputed). The *_RAW kinds
 *    are 2352 bytes a sector, already encoded and scrambled: passed through.
 *  - Sub-channel per ResultingImageType: 3 (default) raw interleaved P-W,
 *    2448 bytes a sector; 2 cooked (channel-major P..W), 2448; 1 PQ, 2368
 *    (12 Q bytes, 3 zero bytes, P in byte 15 bit 7). R-W are zero unless an
 *    R-W source (AddSubcodeRWGenerator) gives 96 bytes a sector in raw
 *    interleaved order, whose low 6 bits are used (dropped in PQ images),
 *    or, in the lead-in only, CD-Text packs (rawimage_set_cdtext).
 *  - Track kinds that cannot share a disc: Mode 1 / Mode 0 tracks and
 *    Mode 2 tracks. With a starting track number other than 1, or a special
 *    pregap, every track (resp. track 1) must be audio.
 */
#ifndef IMAPI2_RAWIMAGE_H
#define IMAPI2_RAWIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc/geometry.h"
#include "imapi2error.h"

/* Standard HRESULTs the generator returns besides the E_IMAPI_RAW_IMAGE_* ones. */
#ifndef IMAPI2_S_OK
#define IMAPI2_S_OK ((int32_t)0)
#endif
#ifndef IMAPI2_E_INVALIDARG
#define IMAPI2_E_INVALIDARG ((int32_t)0x80070057)
#endif
#ifndef IMAPI2_E_OUTOFMEMORY
#define IMAPI2_E_OUTOFMEMORY ((int32_t)0x8007000E)
#endif
#ifndef IMAPI2_E_FAIL
#define IMAPI2_E_FAIL ((int32_t)0x80004005)
#endif
#ifndef IMAPI2_E_UNEXPECTED
#define IMAPI2_E_UNEXPECTED ((int32_t)0x8000FFFF)
#endif

#define RAWIMAGE_MAX_TRACKS 99
#define RAWIMAGE_MAX_EXTRA_INDEXES 98   /* indexes 2..99 */
#define RAWIMAGE_MIN_INDEX_SPACING 10   /* sectors between indexes, and to the track end */

/* IMAPI_CD_SECTOR_TYPE values. */
enum rawimage_sector_type {
    RAWIMAGE_AUDIO = 0,
    RAWIMAGE_MODE_ZERO = 1,
    RAWIMAGE_MODE1 = 2,
    RAWIMAGE_MODE2FORM0 = 3,
    RAWIMAGE_MODE2FORM1 = 4,
    RAWIMAGE_MODE2FORM2 = 5,
    RAWIMAGE_MODE1RAW = 6,
    RAWIMAGE_MODE2FORM0RAW = 7,
    RAWIMAGE_MODE2FORM1RAW = 8,
    RAWIMAGE_MODE2FORM2RAW = 9,
    RAWIMAGE_SECTOR_TYPE_COUNT
};

/* IMAPI_CD_TRACK_DIGITAL_COPY_SETTING values. */
enum rawimage_copy {
    RAWIMAGE_COPY_PERMITTED = 0,
    RAWIMAGE_COPY_PROHIBITED = 1,
    RAWIMAGE_COPY_SCMS = 2
};

/* A byte source (an IStream in the COM layer). read fills len bytes at
 * offset and returns 0, or an error: a negative value (an HRESULT) is passed
 * back by rawimage_read, anything else becomes IMAPI2_E_FAIL. release, when
 * set, is called once when the image no longer needs the source (on free,
 * or when the call that was given it fails). */
struct rawimage_source {
    int (*read)(void *ctx, uint64_t offset, void *buf, size_t len);
    void (*release)(void *ctx);
    void *ctx;
    uint64_t size;
};

struct rawimage;
struct cdtext;

/* User bytes per sector a source gives for a type (0: unknown type). */
size_t rawimage_user_sector_size(int type);

int32_t rawimage_create(struct rawimage **out);
void rawimage_free(struct rawimage *img);

/* ---- IRawCDImageCreator ---- */

/* Appends a track; *track_index gets its 1-based position (1..99). The
 * source is taken over (released on failure too). Errors: IS_READ_ONLY,
 * E_INVALIDARG (no source / unknown type / size not a multiple of the user
 * sector size / shorter than 300 sectors), SECTOR_TYPE_NOT_SUPPORTED
 * (incompatible with the other tracks or settings), TOO_MANY_TRACKS,
 * INSUFFICIENT_SPACE (lead-out would pass the limit). */
int32_t rawimage_add_track(struct rawimage *img, int type, const struct rawimage_source *src, int *track_index);
/* Audio data for track 1's index 0 (>= 150 sectors of 2352 bytes). Only
 * before any track: TRACKS_ALREADY_ADDED. Source taken over as above. */
int32_t rawimage_add_special_pregap(struct rawimage *img, const struct rawimage_source *src);
/* Custom R-W: total sectors x 96 bytes, checked by rawimage_finalize. */
int32_t rawimage_add_subcode_rw(struct rawimage *img, const struct rawimage_source *src);

/* EXTENSION (not in Windows): CD-Text for the lead-in R-W. The description
 * is taken over (freed on failure too); NULL or one without texts clears. The packs are encoded
 * by rawimage_finalize for the image's tracks (first..last track number)
 * and repeat through the lead-in: image sector i (LBA -22650 + i) carries
 * packs 4i..4i+3 modulo the count, 24 six-bit symbols each, in bits 5-0 of
 * the raw interleaved R-W bytes (layout 3), or the same symbols split into
 * channels R..W (layout 2, this generator's cooked form). CD-Text and an
 * R-W source both claim the lead-in R-W: whichever comes second is refused
 * with E_INVALIDARG, as is CD-Text in a PQ image (either order). Errors:
 * IS_READ_ONLY, E_INVALIDARG. */
int32_t rawimage_set_cdtext(struct rawimage *img, struct cdtext *text);
bool rawimage_has_cdtext(const struct rawimage *img);
/* CDTEXT_OK, or why the current texts cannot be encoded for the current
 * tracks (a cdtext_status: a track text beyond the last track, too long). */
int rawimage_check_cdtext(const struct rawimage *img);
/* The packs of a finalized image (NULL and 0 without CD-Text). */
const uint8_t *rawimage_cdtext_packs(const struct rawimage *img, size_t *count);

/* 1 PQ (2368), 2 cooked P-W (2448), 3 raw P-W (2448, the default). */
int32_t rawimage_set_image_type(struct rawimage *img, int type);
int rawimage_image_type(const struct rawimage *img);
/* Bytes per sector of the resulting image. */
size_t rawimage_sector_size(const struct rawimage *img);

/* 0 (default) = no limit beyond CD_MAX_LEADOUT_LBA; else 1..398099.
 * INSUFFICIENT_SPACE when the current tracks already pass it. */
int32_t rawimage_set_leadout_limit(struct rawimage *img, int32_t lba);
int32_t rawimage_leadout_limit(const struct rawimage *img);

int32_t rawimage_set_disable_gapless_audio(struct rawimage *img, bool value);
bool rawimage_disable_gapless_audio(const struct rawimage *img);

/* 13 digits, or "" / NULL to clear. E_INVALIDARG otherwise. */
int32_t rawimage_set_mcn(struct rawimage *img, const char *mcn);
const char *rawimage_mcn(const struct rawimage *img); /* "" when unset */

/* 1..99; only before any track (TRACKS_ALREADY_ADDED). */
int32_t rawimage_set_starting_track(struct rawimage *img, int number);
int rawimage_starting_track(const struct rawimage *img);

int rawimage_track_count(const struct rawimage *img);

/* Checks and freezes (CreateResultImage): NO_TRACKS, E_INVALIDARG when the
 * R-W source size is not total sectors x 96 or the CD-Text cannot be
 * encoded (rawimage_check_cdtext says why). Idempotent once frozen. */
int32_t rawimage_finalize(struct rawimage *img);
bool rawimage_is_final(const struct rawimage *img);

/* ---- IRawCDImageTrackInfo (index = 1-based position from add_track) ----
 * Getters return E_INVALIDARG for an index out of range. */

struct rawimage_track_info {
    int number;            /* track number on the disc */
    int type;              /* enum rawimage_sector_type */
    int32_t pregap_lba;    /* start of index 0 (== start_lba when none) */
    int32_t start_lba;     /* index 1 */
    int32_t sector_count;  /* sectors of the source */
    uint8_t control;       /* Q control nibble as in the TOC */
    int copy;              /* enum rawimage_copy */
    bool preemphasis;
    char isrc[13];         /* "" when unset */
    int index_count;       /* 1 + extra indexes */
    int32_t index_offsets[1 + RAWIMAGE_MAX_EXTRA_INDEXES]; /* ascending, [0] = 0 */
};
int32_t rawimage_track_info(const struct rawimage *img, int index, struct rawimage_track_info *out);

/* CCOOOYYSSSSS: country and owner A-Z/0-9, year and serial digits; "" or
 * NULL clears. E_INVALIDARG otherwise. */
int32_t rawimage_set_isrc(struct rawimage *img, int index, const char *isrc);
int32_t rawimage_set_copy(struct rawimage *img, int index, int copy);
int32_t rawimage_set_preemphasis(struct rawimage *img, int index, bool value);
/* lba_offset in 1..sectors-1. S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS
 * (success) when present; TOO_MANY_TRACK_INDEXES; TOO_CLOSE_TO_OTHER_INDEX
 * (closer than 10 sectors to another index or to the track end). */
int32_t rawimage_add_index(struct rawimage *img, int index, int32_t lba_offset);
/* OFFSET_ZERO_CANNOT_BE_CLEARED for 0, TRACK_INDEX_NOT_FOUND when absent. */
int32_t rawimage_clear_index(struct rawimage *img, int index, int32_t lba_offset);

/* ---- layout ---- */

/* Start of the lead-out (A2) of the current model (StartOfLeadout). With no
 * track: the LBA track 1 would start at. */
int32_t rawimage_leadout_lba(const struct rawimage *img);
/* LastUsedUserSectorInImage: the last LBA before the lead-out. */
int32_t rawimage_last_used_sector(const struct rawimage *img);
/* Sectors in the image, from LBA -22650 to the end of the lead-out. */
int64_t rawimage_total_sectors(const struct rawimage *img);
uint64_t rawimage_total_bytes(const struct rawimage *img);

/* The expected TOC: one entry a track then the lead-out (point 0xAA). */
struct rawimage_toc_entry {
    uint8_t point;   /* track number, 0xAA lead-out */
    uint8_t control;
    uint8_t adr;     /* 1 */
    int32_t lba;
};
/* Fills up to max entries; returns how many there are (tracks + 1, 0 when
 * no track). */
int rawimage_toc(const struct rawimage *img, struct rawimage_toc_entry *out, int max);
/* READ TOC format 0 response (LBA addressing) as a drive would give it for
 * the burnt disc: 4-byte header, 8 bytes a track and the lead-out. Returns
 * the full length (may exceed len; only len bytes are written). */
size_t rawimage_toc_format0(const struct rawimage *img, uint8_t *buf, size_t len);
/* The same response for any list of entries (tracks, then the lead-out), n <= 100. */
size_t mmc_toc_format0_encode(const struct rawimage_toc_entry *toc, int n, uint8_t *buf, size_t len);
/* A0 disc type (0x00 or 0x20). */
uint8_t rawimage_disc_type(const struct rawimage *img);

/* ---- generating ---- */

/* Copies image bytes [offset, offset + len) into buf; *done (may be NULL)
 * gets the count, less than len only at the end of the image. Needs a
 * finalized image (else IMAPI2_E_UNEXPECTED); source errors are returned
 * (buf past *done is then undefined: whole sectors are built in place). */
int32_t rawimage_read(struct rawimage *img, uint64_t offset, void *buf, size_t len, size_t *done);
/* One whole sector of the image by LBA (-22650 .. end of lead-out - 1),
 * rawimage_sector_size() bytes. */
int32_t rawimage_read_sector(struct rawimage *img, int32_t lba, uint8_t *out);

/* The image as the raw write engine's stream (libs/mmc/rawwrite.h), read
 * front to back or from where the engine seeks; the cursor holds the
 * position and must outlive the write. */
struct mmc_raw_stream;
struct rawimage_cursor {
    struct rawimage *img;
    uint64_t pos;
};
void rawimage_as_raw_stream(struct rawimage *img, struct rawimage_cursor *cursor, struct mmc_raw_stream *out);

#endif
