/* RSPC P and Q parity (ECMA-130 Annex A; the method is described in
 * sector.c), written once for any vector width. sector.c includes this file
 * once a width, having defined
 *   RSPC_W        vector bytes (16 or 32)
 *   RSPC_V        the vector type (RSPC_W x uint8_t), RSPC_VS its signed twin
 *   RSPC_NAME(f)  the instance's name for f
 *   RSPC_TARGET   function attributes of the instance (may be empty)
 * and this file undefines them at its end. No include guard on purpose. */

#define RSPC_LOAD(v, p) memcpy(&(v), (p), sizeof(RSPC_V))
#define RSPC_STORE(p, v) memcpy((p), &(v), sizeof(RSPC_V))
/* Each byte times alpha in GF(2^8): shift left, reduce by x^8+x^4+x^3+x^2+1
 * (0x1D) where the top bit fell out. */
#define RSPC_MUL_ALPHA(x) (((x) + (x)) ^ ((RSPC_V)((RSPC_VS)(x) < (RSPC_VS){ 0 }) & 0x1D))
/* out = x / (alpha + 1): the sum of x alpha^b over the bits b set in
 * GF_INV_ALPHA1 (a constant: the tests fold away). */
#define RSPC_DIV_ALPHA1(out, x)                                                                                       \
    do {                                                                                                               \
        RSPC_V a_ = (x);                                                                                               \
        (out) = (RSPC_V){ 0 };                                                                                         \
        for (int b_ = 0; b_ < 8; b_++) {                                                                               \
            if (GF_INV_ALPHA1 >> b_ & 1)                                                                               \
                (out) ^= a_;                                                                                           \
            a_ = RSPC_MUL_ALPHA(a_);                                                                                   \
        }                                                                                                              \
    } while (0)
#define RSPC_NP ((RSPC_ROW + RSPC_W - 1) / RSPC_W)          /* vectors a P row */
#define RSPC_NQ ((Q_LINE_LEAD + 2 * Q_LINE_WORDS + RSPC_W - 1) / RSPC_W) /* vectors of the Q line */

/* P: Horner down the columns, RSPC_W bytes of a row at a time (86 bytes a
 * row: 96 loaded, the last 10 lanes unused), each slice's sums in registers
 * from row 0 on. Loads past a row's end stay inside the sector. */
RSPC_TARGET static void RSPC_NAME(ecc_p)(uint8_t *w)
{
    uint8_t p0[96], p1[96];
    for (int k = 0; k < RSPC_NP; k++) {
        RSPC_V h, s, d, t, q0;
        RSPC_LOAD(d, w + RSPC_W * k);
        h = s = d;
        for (int r = 1; r < RSPC_P_ROWS; r++) {
            RSPC_LOAD(d, w + RSPC_ROW * r + RSPC_W * k);
            h = RSPC_MUL_ALPHA(h) ^ d;
            s ^= d;
        }
        t = RSPC_MUL_ALPHA(h);
        t = RSPC_MUL_ALPHA(t) ^ s;
        RSPC_DIV_ALPHA1(q0, t);
        s ^= q0;
        RSPC_STORE(p0 + RSPC_W * k, q0);
        RSPC_STORE(p1 + RSPC_W * k, s);
    }
    memcpy(w + RSPC_P_PARITY, p0, RSPC_ROW);
    memcpy(w + RSPC_P_PARITY + RSPC_ROW, p1, RSPC_ROW);
}

RSPC_TARGET static void RSPC_NAME(ecc_q)(uint8_t *w)
{
    /* One line vector at a time, its sums in registers: from the first row
     * that reaches it (row r starts at line byte 64 - 2r) on; later rows
     * that do not reach it add zeros (masked) but still multiply. */
    uint8_t x[Q_LINE_BUF], sums[Q_LINE_BUF];
    for (int k = 0; k < RSPC_NQ; k++) {
        int first = 64 - RSPC_W * (k + 1) < 0 ? 0 : (64 - RSPC_W * (k + 1)) / 2 + 1;
        RSPC_V h = { 0 }, s = { 0 }, m;
        for (int r = first; r < RSPC_Q_ROWS; r++) {
            int off = Q_LINE_LEAD + 2 * (25 - r); /* line byte of the row's first byte */
            RSPC_V d;
            /* from up to RSPC_W - 1 bytes before the row's first byte to
             * 146 after it: inside the sector */
            RSPC_LOAD(d, w + RSPC_ROW * r + RSPC_W * k - off);
            RSPC_LOAD(m, q_row_window + Q_WINDOW_PAD + RSPC_W * k - off);
            d &= m;
            h = RSPC_MUL_ALPHA(h) ^ d;
            s ^= d;
        }
        /* times the weight of each byte (x c = the sum of x alpha^b over the
         * bits b set in c), plus the plain sum */
        RSPC_STORE(sums + RSPC_W * k, s);
        for (int b = 0; b < 8; b++) {
            RSPC_LOAD(m, q_weight_bit[b] + RSPC_W * k);
            s ^= h & m;
            h = RSPC_MUL_ALPHA(h);
        }
        RSPC_STORE(x + RSPC_W * k, s);
    }
    memset(x + RSPC_W * RSPC_NQ, 0, sizeof(x) - RSPC_W * RSPC_NQ);
    memset(sums + RSPC_W * RSPC_NQ, 0, sizeof(sums) - RSPC_W * RSPC_NQ);
    /* Words p, p + 26 and p + 52 of the line belong to codeword 25 - p. */
    uint8_t p0[64], p1[64];
    for (int k = 0; k < 64 / RSPC_W; k++) {
        RSPC_V t, t2, s, s2, q0;
        RSPC_LOAD(t, x + Q_LINE_LEAD + RSPC_W * k);
        RSPC_LOAD(t2, x + Q_LINE_LEAD + RSPC_Q_BYTES + RSPC_W * k);
        t ^= t2;
        RSPC_LOAD(t2, x + Q_LINE_LEAD + 2 * RSPC_Q_BYTES + RSPC_W * k);
        t ^= t2;
        RSPC_LOAD(s, sums + Q_LINE_LEAD + RSPC_W * k);
        RSPC_LOAD(s2, sums + Q_LINE_LEAD + RSPC_Q_BYTES + RSPC_W * k);
        s ^= s2;
        RSPC_LOAD(s2, sums + Q_LINE_LEAD + 2 * RSPC_Q_BYTES + RSPC_W * k);
        s ^= s2;
        RSPC_DIV_ALPHA1(q0, t);
        s ^= q0;
        RSPC_STORE(p0 + RSPC_W * k, q0);
        RSPC_STORE(p1 + RSPC_W * k, s);
    }
    for (int p = 0; p < RSPC_Q_ROWS; p++) {
        memcpy(w + RSPC_Q_PARITY + 2 * (25 - p), p0 + 2 * p, 2);
        memcpy(w + RSPC_Q_PARITY + RSPC_Q_BYTES + 2 * (25 - p), p1 + 2 * p, 2);
    }
}

#undef RSPC_LOAD
#undef RSPC_STORE
#undef RSPC_MUL_ALPHA
#undef RSPC_DIV_ALPHA1
#undef RSPC_NP
#undef RSPC_NQ
#undef RSPC_W
#undef RSPC_V
#undef RSPC_VS
#undef RSPC_NAME
#undef RSPC_TARGET
