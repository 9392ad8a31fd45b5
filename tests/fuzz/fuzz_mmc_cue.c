/* The CUE sheet parser and the file-size resolution on arbitrary bytes.
 * The input is copied to an exact-size heap block so ASan flags any read
 * past the length; on success the description must be self-consistent and
 * resolve against file sizes taken from the input's own bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmc/cue.h"
#include "mmc/geometry.h"

static struct cdsheet sheet;

static void check_sheet(const uint8_t *data, size_t size)
{
    struct cdsheet_error err;
    uint64_t sizes[CDSHEET_MAX_FILES];
    if (sheet.track_count < 1 || sheet.track_count > CDSHEET_MAX_TRACKS || sheet.file_count < 1)
        abort();
    for (int i = 0; i < sheet.track_count; i++) {
        const struct cdsheet_track *t = &sheet.tracks[i];
        if (t->file < 0 || t->file >= sheet.file_count || t->index_count < 1 || t->index_count > CDSHEET_MAX_INDEXES ||
            t->file_pregap < 0 || (i && t->number != t[-1].number + 1))
            abort();
    }
    /* File sizes from the tail bytes: exercises short, exact and ragged files. */
    for (int f = 0; f < sheet.file_count; f++)
        sizes[f] = (uint64_t)data[(size_t)f % size] * CD_SECTOR_SIZE * 75u + data[size - 1];
    if (cdsheet_resolve(&sheet, sizes, &err) == 0) {
        for (int i = 0; i < sheet.track_count; i++)
            if (sheet.tracks[i].sectors < 1)
                abort();
        (void)cdsheet_program_sectors(&sheet);
    } else if (!err.message[0]) {
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
    if (cue_parse(copy, size, &sheet, &err) == 0)
        check_sheet(data, size);
    else if (err.line < 0 || !err.message[0])
        abort(); /* every error says where and what */
    free(copy);
    return 0;
}
