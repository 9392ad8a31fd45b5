/* cdtpacks FILE: writes the two-block CD-Text pack set of
 * tests/include/cdtext_two_blocks.h (libburn-style genre continuation,
 * CRCs included) as a CDTEXTFILE for rawburn.sh. */
#include <stdio.h>

#include "cdtext_two_blocks.h"

int main(int argc, char **argv)
{
    struct pack_set s;
    if (argc != 2) {
        fprintf(stderr, "usage: cdtpacks FILE\n");
        return 2;
    }
    make_two_blocks(&s);
    FILE *f = fopen(argv[1], "wb");
    if (!f || fwrite(s.p, 18, s.n, f) != s.n || fclose(f) != 0) {
        fprintf(stderr, "cdtpacks: cannot write %s\n", argv[1]);
        return 1;
    }
    printf("cdtpacks: %u packs\n", (unsigned)s.n);
    return 0;
}
