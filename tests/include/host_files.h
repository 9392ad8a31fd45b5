/* Small helpers the host tests share for looking at what an export or an
 * outside tool produced. */
#ifndef IMAPI2_TESTS_HOST_FILES_H
#define IMAPI2_TESTS_HOST_FILES_H

#include <stdio.h>
#include <stdlib.h>

/* Whether a program is on PATH (cd-info, bchunk, ...): tests that need one
 * skip, with a reason, where it is missing. */
static inline int tool_present(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

/* A text file's content (first 64 KiB, NUL-terminated) in a static buffer
 * that the next call reuses, or NULL when it cannot be opened. */
static inline char *slurp(const char *name)
{
    static char text[65536];
    FILE *f = fopen(name, "rb");
    if (!f)
        return NULL;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = 0;
    fclose(f);
    return text;
}

#endif
