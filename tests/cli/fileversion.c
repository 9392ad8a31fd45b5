/* fileversion FILE: prints FILE's VERSIONINFO as Windows reads it
 * (GetFileVersionInfo): the fixed FILEVERSION numbers and the FileVersion
 * string, one line each. For tests/cli/install.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

int main(int argc, char **argv)
{
    VS_FIXEDFILEINFO *fixed = NULL;
    char *text = NULL;
    UINT len = 0;
    DWORD handle = 0, size;
    BYTE *data;
    if (argc != 2) {
        fprintf(stderr, "usage: fileversion FILE\n");
        return 2;
    }
    size = GetFileVersionInfoSizeA(argv[1], &handle);
    if (!size || !(data = malloc(size)) || !GetFileVersionInfoA(argv[1], 0, size, data)) {
        fprintf(stderr, "fileversion: %s has no version information (%lu)\n", argv[1], GetLastError());
        return 1;
    }
    if (VerQueryValueA(data, "\\", (void **)&fixed, &len) && fixed)
        printf("fixed %u.%u.%u.%u\n", HIWORD(fixed->dwFileVersionMS), LOWORD(fixed->dwFileVersionMS),
               HIWORD(fixed->dwFileVersionLS), LOWORD(fixed->dwFileVersionLS));
    if (VerQueryValueA(data, "\\StringFileInfo\\040904B0\\FileVersion", (void **)&text, &len) && text)
        printf("string %s\n", text);
    free(data);
    return 0;
}
