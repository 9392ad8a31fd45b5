/* The sub-channel decoder and encoder on arbitrary bytes. Invariants:
 * whatever Q frame the decoder accepts, the encoder turns back into a frame
 * the decoder reads as the same values (decode . encode . decode = decode),
 * and into the very same bytes when the input was in the encoder's own form;
 * a sector's P, Q and R-W survive each layout's packing. The input is
 * copied to an exact-size heap block so ASan flags any read past the
 * length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmc/subcode.h"

static bool same(const struct cd_subq *a, const struct cd_subq *b)
{
    return a->control == b->control && a->adr == b->adr && a->tno == b->tno &&
           a->index_or_point == b->index_or_point && a->min == b->min && a->sec == b->sec &&
           a->frame == b->frame && a->zero == b->zero && a->amin == b->amin && a->asec == b->asec &&
           a->aframe == b->aframe && !strcmp(a->mcn, b->mcn) && !strcmp(a->isrc, b->isrc);
}

static void q_round_trip(const uint8_t q[CD_SUBQ_LEN])
{
    struct cd_subq d, again;
    uint8_t enc[CD_SUBQ_LEN], enc2[CD_SUBQ_LEN];
    if (!cd_subq_decode(q, &d))
        return;
    cd_subq_encode(&d, enc);
    if (!cd_subq_decode(enc, &again) || !same(&d, &again))
        abort();
    cd_subq_encode(&again, enc2); /* the encoder's form is a fixed point */
    if (memcmp(enc, enc2, CD_SUBQ_LEN))
        abort();
}

static void layout_round_trip(int layout, bool p, const uint8_t q[CD_SUBQ_LEN], const uint8_t *rw)
{
    uint8_t out[CD_SUBCODE_RAW], back[CD_SUBQ_LEN], symbols[CD_SUBCODE_RAW], masked[CD_SUBCODE_RAW];
    bool got_p = !p;
    if (!cd_subcode_encode(layout, p, q, rw, out))
        return;
    if (!cd_subcode_get_q(layout, out, back, &got_p) || memcmp(back, q, CD_SUBQ_LEN) || got_p != p)
        abort();
    if (layout == CD_RAW_PQ)
        return;
    for (int i = 0; i < CD_SUBCODE_RAW; i++)
        masked[i] = rw[i] & 0x3f;
    if (!cd_subcode_get_rw(layout, out, symbols) || memcmp(symbols, masked, sizeof(masked)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < CD_SUBQ_LEN)
        return 0;
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    q_round_trip(copy);
    if (size >= CD_SUBQ_LEN + 1 + CD_SUBCODE_RAW)
        layout_round_trip(1 + copy[CD_SUBQ_LEN] % 3, copy[CD_SUBQ_LEN] & 0x80, copy,
                          copy + CD_SUBQ_LEN + 1);
    free(copy);
    return 0;
}
