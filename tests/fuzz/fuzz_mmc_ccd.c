/* The CloneCD .ccd parser on arbitrary bytes, from an exact-size heap copy
 * (ASan flags any read past the length). A parsed sheet must be
 * self-consistent: tracks in order inside the image, lead-out after them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmc/ccd.h"

static struct cdsheet sheet;

static void check_sheet(void)
{
    if (sheet.track_count < 1 || sheet.track_count > CDSHEET_MAX_TRACKS || sheet.toc_count < 1)
        abort();
    for (int i = 0; i < sheet.track_count; i++) {
        const struct cdsheet_track *t = &sheet.tracks[i];
        if (t->start_lba < 0 || t->sectors < 1 || t->file_pregap < 0 || t->index_count < 1 ||
            t->start_lba + t->sectors > sheet.leadout_lba ||
            t->file_offset != (uint64_t)(t->start_lba - t->file_pregap) * CD_SECTOR_SIZE)
            abort();
        if (i && t->start_lba - t->file_pregap != t[-1].start_lba + t[-1].sectors)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cdsheet_error err;
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (ccd_parse(copy, size, &sheet, &err) == 0)
        check_sheet();
    else if (err.line < 0 || !err.message[0])
        abort();
    free(copy);
    return 0;
}
