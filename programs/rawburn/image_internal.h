/* What image.c, cuebuild.c and ccdstream.c share: a loaded, checked input. */
#ifndef RAWBURN_IMAGE_INTERNAL_H
#define RAWBURN_IMAGE_INTERNAL_H

#include "mmc/ccd.h"
#include "mmc/cdtext.h"
#include "mmc/cue.h"
#include "rawburn.h"

enum plan_kind { PLAN_CUE, PLAN_CCD, PLAN_RAW };

struct image_plan {
    enum plan_kind kind;
    WCHAR path[MAX_PATH];
    WCHAR dir[MAX_PATH];             /* with the trailing separator */
    char shown[MAX_PATH];            /* as the user typed it */
    struct cdsheet sheet;            /* cue and ccd */
    struct cdtext *cdtext;           /* cue: CDTEXTFILE and text lines; NULL when none */
    WCHAR paths[CDSHEET_MAX_FILES][MAX_PATH]; /* files[i] on disk (ccd: the .img) */
    uint64_t data_offset[CDSHEET_MAX_FILES];  /* WAVE: where the samples start */
    WCHAR sub_path[MAX_PATH];        /* ccd: the .sub */
    bool have_sub;
    /* raw DAO */
    int raw_layout;
    uint64_t raw_size;
    int raw_tracks;
    struct image_track raw_track[99];
    int32_t raw_leadout;
};

int file_size_of(const WCHAR *path, uint64_t *size);
int raw_read_toc(struct image_plan *p);
int cue_build(struct image_plan *p, int layout, struct image *img);
int ccd_build(struct image_plan *p, int layout, struct image *img);
/* A cue sheet with data tracks: rawburn's own layout (sheetgen.c). */
int cue_gen_build(struct image_plan *p, int layout, struct image *img);
/* Sets start_lba, leadout_lba and the TOC of a cue sheet as written. */
void cue_gen_layout(struct cdsheet *s);
/* IMAPI2's image creator lays this audio sheet out exactly as written. */
bool cue_creator_exact(const struct cdsheet *s);
void cue_data_sector(uint8_t *s, enum cdsheet_mode mode, int32_t lba);
/* Each file's data bytes (a WAVE's data chunk, as far as the file has it). */
void plan_data_sizes(const struct image_plan *p, uint64_t *data_size);
/* Adds bytes of file f from byte `at` (relative to the file's data), up to
 * what the file has; the rest (WAVE padding) is zeros. */
bool plan_add_file_part(struct image_plan *p, struct piece_stream *ps, int f, uint64_t at, uint64_t len,
                        const uint64_t *data_size);

#endif
