/* Helpers shared by the test_vrec_*.c programs: running CDBs against a
 * virtual drive, a fake clock, and an independent small encoder for a raw DAO
 * image (lead-in TOC in Q, a Mode 1 data track, an audio track, lead-out).
 * The encoder is written from ECMA-130 / MMC facts, not from libs/. */
#ifndef TEST_VREC_UTIL_H
#define TEST_VREC_UTIL_H

/* Include this header first: getpid() and unlink() are POSIX. */
#define _POSIX_C_SOURCE 200809L

#include <stdatomic.h>
#include <stdint.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okay.h"
#include "vrec/vrec.h"
#include "mmc/geometry.h"

#define T_TRACK2_PREGAP 300  /* track 1 (Mode 1): LBA 0..299; track 2 (audio) pregap 300..449 */
#define T_TRACK2 450
#define T_LEADOUT 750
#define T_END (T_LEADOUT + CD_FIRST_LEADOUT_SECTORS)

/* ---- running commands ---- */

static struct vrec_status t_st;

static inline void t_exec(struct vrec_drive *d, const uint8_t *cdb, size_t cdb_len, enum scsi_direction dir,
                          void *buf, uint32_t len)
{
    vrec_execute(d, cdb, cdb_len, dir, buf, len, &t_st);
}

static inline int t_sense_is(uint8_t key, uint8_t asc, uint8_t ascq)
{
    return t_st.transport == TRANSPORT_OK && t_st.status == SCSI_STATUS_CHECK_CONDITION && t_st.sense_len >= 14 &&
           t_st.sense[0] == 0x70 && (t_st.sense[2] & 0x0F) == key && t_st.sense[12] == asc && t_st.sense[13] == ascq;
}

static inline int t_good(void)
{
    return t_st.transport == TRANSPORT_OK && t_st.status == SCSI_STATUS_GOOD && t_st.sense_len == 0;
}

#define T_SENSE_FMT "transport %d status %#x sense %02x/%02x/%02x"
#define T_SENSE_ARGS t_st.transport, t_st.status, t_st.sense[2] & 0x0F, t_st.sense[12], t_st.sense[13]

static inline uint32_t t_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t t_be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* ---- fake clock: time moves only when the drive sleeps or the test says so ---- */

/* Atomic: a write engine's reader and writer threads share it. */
struct t_clock {
    _Atomic uint64_t now;
    _Atomic uint64_t slept;
};

static inline uint64_t t_clock_now(void *ctx)
{
    return atomic_load(&((struct t_clock *)ctx)->now);
}

static inline int t_clock_sleep(void *ctx, uint64_t us)
{
    struct t_clock *c = ctx;
    atomic_fetch_add(&c->now, us);
    atomic_fetch_add(&c->slept, us);
    return 0;
}

static inline struct io_clock t_clock_of(struct t_clock *c)
{
    struct io_clock vc = { t_clock_now, t_clock_sleep, c };
    return vc;
}

/* ---- media files ---- */

static inline void t_media_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "/tmp/test_vrec_%s_%ld.media", name, (long)getpid());
}

static inline void t_media_remove(const char *path)
{
    char sectors[512];
    snprintf(sectors, sizeof(sectors), "%s.sectors", path);
    unlink(path);
    unlink(sectors);
}

static inline struct vrec_drive *t_open(const char *path, enum vrec_media_kind kind, struct t_clock *clk,
                                        const char *faults)
{
    struct vrec_config cfg = { 0 };
    cfg.media_path = path;
    cfg.media_kind = kind;
    cfg.fault_script = faults;
    cfg.unthrottled = clk == NULL;
    struct io_clock vc;
    if (clk)
        vc = t_clock_of(clk);
    struct vrec_drive *d = NULL;
    int rc = vrec_open(&cfg, clk ? &vc : NULL, &d);
    ok(rc == 0 && d, "vrec_open(%s) -> %d\n", path ? path : "(none)", rc);
    return d;
}

/* ---- an independent encoder for the test image ---- */

static inline uint8_t t_bcd(int v)
{
    return (uint8_t)((v / 10) << 4 | (v % 10));
}

/* CRC-16/CCITT, MSB first, initial 0, stored inverted. */
static inline uint16_t t_crc16(const uint8_t *p, size_t n)
{
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        for (int b = 7; b >= 0; b--) {
            int bit = ((p[i] >> b) & 1) ^ (crc >> 15);
            crc = (uint16_t)(crc << 1);
            if (bit)
                crc ^= 0x1021;
        }
    }
    return (uint16_t)~crc;
}

/* ECMA-130 scrambler as a bit sequence: s[0]=1, s[1..14]=0, s[n+15] = s[n] ^ s[n+1]. */
static inline void t_scramble(uint8_t sector[CD_SECTOR_SIZE])
{
    static uint8_t table[2340];
    static int made;
    if (!made) {
        static uint8_t s[2340 * 8 + 15];
        s[0] = 1;
        for (size_t n = 0; n + 15 < sizeof(s); n++)
            s[n + 15] = s[n] ^ s[n + 1];
        for (int k = 0; k < 2340; k++)
            for (int b = 0; b < 8; b++)
                table[k] |= (uint8_t)(s[8 * k + b] << b);
        made = 1;
    }
    for (int k = 0; k < 2340; k++)
        sector[12 + k] ^= table[k];
}

static inline void t_msf_bcd(int32_t frames, uint8_t out[3])
{
    out[0] = t_bcd(frames / 4500);
    out[1] = t_bcd(frames / 75 % 60);
    out[2] = t_bcd(frames % 75);
}

static inline int32_t t_abs_frames(int32_t lba)
{
    return lba < -150 ? lba + 450150 : lba + 150;
}

struct t_point {
    uint8_t point, control, p[3];
};

/* A0 first track 1 / disc type 00, A1 last track 2, A2 lead-out 00:12:00,
 * track 1 (data) at 00:02:00, track 2 (audio) at 00:08:00. */
static const struct t_point t_toc[5] = {
    { 0xA0, 4, { 0x01, 0x00, 0x00 } },
    { 0xA1, 0, { 0x02, 0x00, 0x00 } },
    { 0xA2, 0, { 0x00, 0x12, 0x00 } },
    { 0x01, 4, { 0x00, 0x02, 0x00 } },
    { 0x02, 0, { 0x00, 0x08, 0x00 } },
};

static inline void t_finish_q(uint8_t q[12])
{
    uint16_t crc = t_crc16(q, 10);
    q[10] = (uint8_t)(crc >> 8);
    q[11] = (uint8_t)crc;
}

static inline void t_leadin_q(int32_t lba, uint8_t q[12])
{
    const struct t_point *e = &t_toc[(lba - CD_TYPICAL_LEADIN_LBA) / 3 % 5];
    q[0] = (uint8_t)(e->control << 4 | 1);
    q[1] = 0;
    q[2] = e->point;
    t_msf_bcd(t_abs_frames(lba), q + 3);
    q[6] = 0;
    memcpy(q + 7, e->p, 3);
    t_finish_q(q);
}

/* Where a program-area / lead-out LBA sits: track, index, control, relative frames, pause. */
static inline void t_position(int32_t lba, int *tno, int *index, int *control, int32_t *rel, int *pause)
{
    *pause = 0;
    if (lba < 0) {
        *tno = 1, *index = 0, *control = 4, *rel = -lba, *pause = 1;
    } else if (lba < T_TRACK2_PREGAP) {
        *tno = 1, *index = 1, *control = 4, *rel = lba;
    } else if (lba < T_TRACK2) {
        *tno = 2, *index = 0, *control = 0, *rel = T_TRACK2 - lba, *pause = 1;
    } else if (lba < T_LEADOUT) {
        *tno = 2, *index = 1, *control = 0, *rel = lba - T_TRACK2;
    } else {
        *tno = 0xAA, *index = 1, *control = 0, *rel = lba - T_LEADOUT;
    }
}

static inline void t_program_q(int32_t lba, uint8_t q[12], int *pause, int *control)
{
    int tno, index;
    int32_t rel;
    t_position(lba, &tno, &index, control, &rel, pause);
    q[0] = (uint8_t)(*control << 4 | 1);
    q[1] = tno == 0xAA ? 0xAA : t_bcd(tno);
    q[2] = t_bcd(index);
    t_msf_bcd(rel, q + 3);
    q[6] = 0;
    t_msf_bcd(t_abs_frames(lba), q + 7);
    t_finish_q(q);
}

static inline int t_is_data(int32_t lba)
{
    return lba < T_TRACK2_PREGAP; /* lead-in, pregap and track 1 are data */
}

/* Main channel as a reader sees it (not scrambled). */
static inline void t_plain_main(int32_t lba, uint8_t m[CD_SECTOR_SIZE])
{
    memset(m, 0, CD_SECTOR_SIZE);
    if (!t_is_data(lba)) {
        if (lba >= T_TRACK2 && lba < T_LEADOUT)
            for (int i = 0; i < CD_SECTOR_SIZE; i++)
                m[i] = (uint8_t)(lba * 13 + i * 3);
        return;
    }
    memset(m + 1, 0xFF, 10);
    t_msf_bcd(t_abs_frames(lba), m + 12);
    m[15] = 1;
    if (lba >= 0)
        for (int i = 0; i < 2048; i++)
            m[16 + i] = (uint8_t)(lba * 7 + i);
}

static inline void t_channels(int32_t lba, uint8_t ch[8][12])
{
    int pause = 0, control;
    memset(ch, 0, 96);
    if (lba < -150)
        t_leadin_q(lba, ch[1]);
    else
        t_program_q(lba, ch[1], &pause, &control);
    memset(ch[0], pause ? 0xFF : 0x00, 12);
    for (int j = 0; j < 12; j++)
        ch[7][j] = (uint8_t)(lba ^ (j * 17)); /* something in W to prove it is kept */
}

static inline size_t t_sector_size(int layout)
{
    return layout == 1 ? CD_SECTOR_RAW_PQ : CD_SECTOR_RAW_PW;
}

/* One sector exactly as the host sends it. */
static inline void t_make_sector(int32_t lba, int layout, uint8_t *out)
{
    uint8_t ch[8][12];
    t_plain_main(lba, out);
    if (t_is_data(lba))
        t_scramble(out);
    t_channels(lba, ch);
    uint8_t *sub = out + CD_SECTOR_SIZE;
    if (layout == 1) {
        memset(sub, 0, 16);
        memcpy(sub, ch[1], 12);
        sub[15] = ch[0][0] ? 0x80 : 0x00;
    } else if (layout == 2) {
        memcpy(sub, ch, 96);
    } else {
        memset(sub, 0, 96);
        for (int i = 0; i < 96; i++)
            for (int c = 0; c < 8; c++)
                if (ch[c][i / 8] & (0x80 >> (i % 8)))
                    sub[i] |= (uint8_t)(0x80 >> c);
    }
}

static inline void t_mode_select(struct vrec_drive *d, int write_type, int block_type, int bufe, int test_write)
{
    uint8_t p[8 + 52] = { 0 };
    uint8_t cdb[10] = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, sizeof(p), 0 };
    p[8] = 0x05;
    p[9] = 0x32;
    p[10] = (uint8_t)((bufe ? 0x40 : 0) | (test_write ? 0x10 : 0) | write_type);
    p[12] = (uint8_t)block_type;
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_OUT, p, sizeof(p));
}

static inline void t_write10(struct vrec_drive *d, int32_t lba, uint16_t count, uint8_t *buf, uint32_t len)
{
    uint8_t cdb[10] = { 0x2A, 0, (uint8_t)((uint32_t)lba >> 24), (uint8_t)((uint32_t)lba >> 16),
                        (uint8_t)((uint32_t)lba >> 8), (uint8_t)lba, 0, (uint8_t)(count >> 8), (uint8_t)count, 0 };
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_OUT, buf, len);
}

/* Writes sectors [from, to) in chunks; returns the LBA of the first failed
 * WRITE (t_st holds its status) or `to`. */
static inline int32_t t_burn_range(struct vrec_drive *d, int layout, int32_t from, int32_t to, int chunk)
{
    size_t size = t_sector_size(layout);
    uint8_t *buf = malloc(size * (size_t)chunk);
    for (int32_t lba = from; lba < to; lba += chunk) {
        int n = to - lba < chunk ? to - lba : chunk;
        for (int i = 0; i < n; i++)
            t_make_sector(lba + i, layout, buf + size * (size_t)i);
        t_write10(d, lba, (uint16_t)n, buf, (uint32_t)(size * (size_t)n));
        if (!t_good()) {
            free(buf);
            return lba;
        }
    }
    free(buf);
    return to;
}

static inline void t_sync(struct vrec_drive *d, int immed)
{
    uint8_t cdb[10] = { 0x35, (uint8_t)(immed ? 0x02 : 0) };
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_NONE, NULL, 0);
}

static inline void t_tur(struct vrec_drive *d)
{
    uint8_t cdb[6] = { 0 };
    t_exec(d, cdb, sizeof(cdb), SCSI_DIR_NONE, NULL, 0);
}

/* A complete raw DAO burn of the test image. */
static inline int t_burn_all(struct vrec_drive *d, int layout)
{
    t_mode_select(d, 3, layout, 0, 0);
    if (!t_good())
        return 0;
    if (t_burn_range(d, layout, CD_TYPICAL_LEADIN_LBA, T_END, 27) != T_END)
        return 0;
    t_sync(d, 0);
    return t_good();
}

#endif
