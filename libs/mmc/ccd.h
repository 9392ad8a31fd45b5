/* CloneCD control file (.ccd) parser into the disc description of cue.h.
 *
 * A .ccd is INI-like: [CloneCD] Version; [Disc] TocEntries, Sessions,
 * DataTracksScrambled, CDTextLength, CATALOG; [Session n]; [Entry n] the
 * lead-in TOC entries (Session, Point, ADR, Control, TrackNo, AMin..AFrame,
 * ALBA, Zero, PMin..PFrame, PLBA); [TRACK n] MODE and INDEX k=LBA. Its
 * companion files are <base>.img (2352 bytes a sector from LBA 0 to the
 * lead-out) and <base>.sub (96 bytes a sector, de-interleaved P..W, same
 * range); the caller names them.
 *
 * The result: files[0] is the .img (name left empty), every track in it
 * with start_lba, sectors, indexes and the index 0 sectors that precede it
 * in the image (file_pregap); toc[] keeps the entries as given, leadout_lba
 * the A2 point. Only single-session images are accepted. */
#ifndef IMAPI2_CCD_H
#define IMAPI2_CCD_H

#include "mmc/cue.h"


/* 0 on success; -1 with *err (line and message). */
int ccd_parse(const char *text, size_t len, struct cdsheet *out, struct cdsheet_error *err);

#endif
