/* CD-Text on arbitrary bytes: the pack decoder/validator, the lead-in
 * collector, and the cue sheet's CD-Text lines. Invariants: whatever the
 * decoder accepts re-encodes into packs it accepts again with the same
 * texts; the collector only ever hands out CRC-good packs; every refused
 * cue line says where and what. The input is copied to an exact-size heap
 * block so ASan flags any read past the length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmc/cdtext.h"
#include "mmc/cue.h"

static uint8_t packs[CDTEXT_BLOCK_PACKS * CDTEXT_PACK_SIZE];
static struct cdtext_collector collector;

static void same_texts_or_abort(const struct cdtext *a, const struct cdtext *b)
{
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++)
        for (int n = 0; n <= CDTEXT_MAX_TRACK; n++) {
            const char *x = cdtext_get(a, f, n), *y = cdtext_get(b, f, n);
            if ((!x) != (!y) || (x && strcmp(x, y)))
                abort();
        }
    if (cdtext_genre_code(a) != cdtext_genre_code(b))
        abort();
}

/* A decoded description goes through the encoder and back unchanged. */
static void round_trip(const struct cdtext *t, const struct cdtext_size_info *si)
{
    size_t n = 0;
    struct cdtext *again = NULL;
    if (cdtext_encode(t, si->first_track, si->last_track, false, packs, CDTEXT_BLOCK_PACKS, &n) != CDTEXT_OK)
        return; /* foreign packs may hold more than ours can (other blocks' space, binary types) */
    if (n && cdtext_decode(packs, n, &again, NULL) != CDTEXT_OK)
        abort();
    if (again)
        same_texts_or_abort(t, again);
    cdtext_free(again);
}

static void fuzz_packs(const uint8_t *data, size_t size)
{
    struct cdtext *t = NULL;
    struct cdtext_size_info si;
    if (cdtext_decode(data, size / CDTEXT_PACK_SIZE, &t, &si) == CDTEXT_OK) {
        round_trip(t, &si);
        cdtext_free(t);
    }
    cdtext_collector_reset(&collector);
    for (size_t at = 0; at + CDTEXT_SECTOR_SYMBOLS <= size; at += CDTEXT_SECTOR_SYMBOLS)
        cdtext_collector_add(&collector, data + at);
    size_t n = cdtext_collector_packs(&collector, packs, CDTEXT_BLOCK_PACKS);
    for (size_t i = 0; i < n && i < CDTEXT_BLOCK_PACKS; i++)
        if (!cdtext_pack_crc_ok(packs + i * CDTEXT_PACK_SIZE))
            abort();
    (void)cdtext_collector_complete(&collector);
}

static void fuzz_cue_lines(const uint8_t *data, size_t size)
{
    struct cdtext *t = NULL;
    struct cdsheet_error err;
    if (cdtext_create(&t) != CDTEXT_OK)
        return;
    if (cue_cdtext((const char *)data, size, t, &err) != 0 && (err.line < 1 || !err.message[0]))
        abort();
    cdtext_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    /* the first byte picks the target, so one corpus serves both */
    if (size && (copy[0] & 1))
        fuzz_cue_lines(copy + 1, size - 1);
    else if (size)
        fuzz_packs(copy + 1, size - 1);
    free(copy);
    return 0;
}
