/* xasectors FILE FIRST_LBA COUNT: CD-ROM XA Mode 2 Form 2 sectors, 2352 bytes
 * each (sync, header with the MSF of their place on the disc, subheader
 * twice, 2324 bytes of a pattern, EDC), as a MODE2/2352 file for
 * rawburn.sh; written from ECMA-130 / the XA sector layout, sharing no code
 * with libs/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mmc/geometry.h"

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

static uint8_t bcd(int v)
{
    return (uint8_t)((v / 10) << 4 | (v % 10));
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: xasectors FILE FIRST_LBA COUNT\n");
        return 2;
    }
    long first = atol(argv[2]), count = atol(argv[3]);
    FILE *f = fopen(argv[1], "wb");
    if (!f)
        return 1;
    for (long k = 0; k < count; k++) {
        uint8_t s[CD_SECTOR_SIZE] = { 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0 };
        long frames = first + k + 150;
        s[12] = bcd((int)(frames / 4500)), s[13] = bcd((int)(frames / 75 % 60)), s[14] = bcd((int)(frames % 75));
        s[15] = 2;
        s[16] = s[20] = 1;    /* file */
        s[17] = s[21] = 0;    /* channel */
        s[18] = s[22] = 0x20; /* submode: Form 2 */
        s[19] = s[23] = 0;    /* coding */
        for (int i = 24; i < 2348; i++)
            s[i] = (uint8_t)(k * 3 + i * 7);
        uint32_t e = edc(s + 16, 2332);
        for (int i = 0; i < 4; i++)
            s[2348 + i] = (uint8_t)(e >> (8 * i));
        if (fwrite(s, 1, sizeof(s), f) != sizeof(s))
            return 1;
    }
    return fclose(f) ? 1 : 0;
}
