/* rawcheck IMAGE [MCN]: an independent decoder for the raw DAO streams
 * `rawburn image` writes (2448 bytes a sector, raw interleaved P-W, first
 * sector MSF 95:00:00), written from the standards' facts and sharing no
 * code with libs/ or rawburn: for every sector from track 1's pregap to the
 * lead-out it de-interleaves P-W, checks the Q CRC, the absolute MSF of
 * mode 1 frames, the MCN (mode 2) and ISRC (mode 3) frames and how often
 * they come (MCN at least once in every 100 frames, pregaps included; ISRC
 * only in index 1 and later of audio tracks, once every 100 frames, one code
 * a track; mode 1 in 9 of every 10 frames), and every data sector
 * (control bit 0x4), pregaps included: descrambled (ECMA-130 Annex B), sync,
 * header MSF and EDC. Prints what it found; exit status 0 when all holds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mmc/geometry.h"


static uint8_t scramble_table[2340];

static void make_scrambler(void)
{
    /* x^15 + x + 1, register preset to 1, LSB first */
    uint16_t reg = 1;
    for (int i = 0; i < 2340; i++) {
        uint8_t byte = 0;
        for (int b = 0; b < 8; b++) {
            byte |= (uint8_t)((reg & 1) << b);
            uint16_t fb = (uint16_t)((reg ^ (reg >> 1)) & 1);
            reg = (uint16_t)((reg >> 1) | (fb << 14));
        }
        scramble_table[i] = byte;
    }
}

static uint16_t q_crc(const uint8_t *p)
{
    uint16_t crc = 0;
    for (int i = 0; i < 10; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (int b = 0; b < 8; b++)
            crc = (uint16_t)(crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return (uint16_t)~crc;
}

static uint32_t edc(const uint8_t *p, size_t n)
{
    uint32_t r = 0;
    while (n--) {
        r ^= *p++;
        for (int b = 0; b < 8; b++)
            r = (r >> 1) ^ (r & 1 ? 0xD8018001u : 0);
    }
    return r;
}

static int bcd(uint8_t b)
{
    return (b >> 4) > 9 || (b & 15) > 9 ? -1000000 : (b >> 4) * 10 + (b & 15);
}

static int frames_of(const uint8_t *p)
{
    return (bcd(p[0]) * 60 + bcd(p[1])) * 75 + bcd(p[2]);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int problems;

static void problem(const char *what, long lba)
{
    if (problems++ < 8)
        printf("rawcheck: %s at LBA %ld\n", what, lba);
}

static int data_sector_ok(uint8_t *m, long lba)
{
    static const uint8_t sync[12] = { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0 };
    for (int i = 0; i < 2340; i++)
        m[12 + i] ^= scramble_table[i];
    if (memcmp(m, sync, 12) != 0 || frames_of(m + 12) != lba + 150)
        return 0;
    if (m[15] == 1)
        return le32(m + 2064) == edc(m, 2064);
    if (m[15] != 2)
        return 0;
    if (m[18] & 0x20)
        return le32(m + 2348) == 0 || le32(m + 2348) == edc(m + 16, 2332);
    return le32(m + 2072) == edc(m + 16, 2056);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: rawcheck IMAGE [MCN]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        printf("rawcheck: cannot open %s\n", argv[1]);
        return 2;
    }
    make_scrambler();
    uint8_t s[CD_SECTOR_RAW_PW], q[12];
    int track = 1, index = 0, data = 0, nonmode1[10] = { 0 };
    long lba = CD_RAW_IMAGE_START_LBA, last_mcn = -151, worst_mcn = 0, worst_isrc = 0, isrc_since = -1, mcn_frames = 0;
    long isrc_frames = 0, data_sectors = 0, frames = 0, leadout = 0;
    char mcn_seen[14] = "", isrc_of[100][13];
    memset(isrc_of, 0, sizeof(isrc_of));
    for (; fread(s, 1, CD_SECTOR_RAW_PW, f) == CD_SECTOR_RAW_PW; lba++) {
        memset(q, 0, sizeof(q));
        for (int sym = 0; sym < 96; sym++)
            if (s[CD_SECTOR_SIZE + sym] & 0x40)
                q[sym / 8] |= (uint8_t)(0x80 >> (sym % 8));
        if (lba < -150)
            continue;
        uint16_t crc = q_crc(q);
        if (q[10] != crc >> 8 || q[11] != (crc & 0xFF)) {
            problem("Q CRC", lba);
            continue;
        }
        int adr = q[0] & 15, control = q[0] >> 4;
        if (adr == 1 && q[1] == 0xAA) {
            leadout = lba;
            break;
        }
        frames++;
        nonmode1[(lba + 150) % 10] = adr != 1;
        int short_window = 0;
        for (int i = 0; i < 10; i++)
            short_window += nonmode1[i];
        if (short_window > 1)
            problem("fewer than 9 mode 1 frames in 10", lba);
        if (adr == 1) {
            int t = bcd(q[1]), x = bcd(q[2]);
            if (t != track || x != index) {
                if (t != track)
                    isrc_since = -1;
                if (x == 1 && isrc_of[t][0] == 0)
                    isrc_since = lba; /* an ISRC is due within 100 frames, if the track has one */
                track = t, index = x;
            }
            data = control & 4;
            if (frames_of(q + 7) != lba + 150 || t < 1 || t > 99)
                problem("mode 1 frame (track or absolute time)", lba);
        } else if (adr == 2) {
            char mcn[14];
            for (int i = 0; i < 13; i++)
                mcn[i] = (char)('0' + ((q[1 + i / 2] >> (i % 2 ? 0 : 4)) & 15));
            mcn[13] = 0;
            if (!mcn_seen[0])
                memcpy(mcn_seen, mcn, 14);
            if (strcmp(mcn, mcn_seen) != 0 || (argc > 2 && strcmp(mcn, argv[2]) != 0))
                problem("MCN digits", lba);
            if (lba - last_mcn > worst_mcn)
                worst_mcn = lba - last_mcn;
            last_mcn = lba;
            mcn_frames++;
        } else if (adr == 3) {
            char isrc[13];
            uint32_t bits = (uint32_t)q[1] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 8 | q[4];
            for (int i = 0; i < 5; i++) {
                unsigned v = (bits >> (26 - 6 * i)) & 63;
                isrc[i] = (char)(v < 10 ? '0' + v : 'A' + v - 17);
            }
            for (int i = 0; i < 7; i++)
                isrc[5 + i] = (char)('0' + ((q[5 + i / 2] >> (i % 2 ? 0 : 4)) & 15));
            isrc[12] = 0;
            if (index == 0 || (control & 4))
                problem("ISRC in a pregap or a data track", lba);
            if (!isrc_of[track][0])
                memcpy(isrc_of[track], isrc, 13);
            else if (strcmp(isrc_of[track], isrc) != 0)
                problem("two ISRCs in one track", lba);
            if (isrc_since >= 0 && lba - isrc_since > worst_isrc)
                worst_isrc = lba - isrc_since;
            isrc_since = lba;
            isrc_frames++;
        } else {
            problem("unknown ADR", lba);
        }
        if (adr != 1 && (control & 4) != data)
            problem("control of a mode 2/3 frame differs from its track's", lba);
        if (data) {
            data_sectors++;
            if (!data_sector_ok(s, lba))
                problem("data sector (descrambled: sync, header MSF, EDC)", lba);
        }
    }
    fclose(f);
    if (!leadout)
        problem("no lead-out", lba);
    if (mcn_frames && leadout - last_mcn > worst_mcn)
        worst_mcn = leadout - last_mcn;
    if (mcn_frames && worst_mcn > 100)
        problem("MCN frames more than 100 apart", last_mcn);
    if (argc > 2 && !mcn_frames)
        problem("no MCN frame", 0);
    if (worst_isrc > 100)
        problem("ISRC frames more than 100 apart in a track", 0);
    printf("rawcheck: %ld frames to the lead-out at %ld, %ld MCN (worst gap %ld), %ld ISRC (worst gap %ld), %ld data "
           "sectors; %d problems\n",
           frames, leadout, mcn_frames, worst_mcn, isrc_frames, worst_isrc, data_sectors, problems);
    if (!problems)
        printf("rawcheck: ok\n");
    return problems ? 1 : 0;
}
