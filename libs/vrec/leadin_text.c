/* CD-Text as a reader finds it: the packs in the R-W of the recorded
 * lead-in (libs/mmc/cdtext.h describes their place). Used by READ TOC
 * format 5 and by the exports. */
#include <stdlib.h>

#include "mmc/cdtext.h"
#include "vrec_internal.h"

/* A lead-in without a CRC-good pack in its first sectors has no CD-Text:
 * a whole block (256 packs) fits in 64 sectors, so 4 times that is ample. */
#define LEADIN_TEXT_PROBE 256

size_t vrec_read_cdtext(FILE *sectors, const struct vrec_media *m, uint8_t *packs, size_t max)
{
    if (!sectors || m->layout == CD_RAW_PQ)
        return 0;
    struct cdtext_collector *c = malloc(sizeof(*c));
    if (!c)
        return 0;
    cdtext_collector_reset(c);
    uint8_t rec[CD_SECTOR_RAW_PW], symbols[CD_SUBCODE_RAW];
    int found = 0;
    int32_t start = vrec_kind(m->kind)->leadin_start;
    for (int32_t lba = start; lba < -CD_MSF_OFFSET && !cdtext_collector_complete(c); lba++) {
        if (vrec_read_record(sectors, m, lba, rec) != 0 || !cd_subcode_get_rw(m->layout, rec + CD_SECTOR_SIZE, symbols))
            break;
        found += cdtext_collector_add(c, symbols);
        if (!found && lba - start >= LEADIN_TEXT_PROBE)
            break;
    }
    size_t n = cdtext_collector_packs(c, packs, max);
    free(c);
    return n < max ? n : max;
}
