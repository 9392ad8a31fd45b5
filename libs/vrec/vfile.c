/* fseeko needs the POSIX feature macro under -std=c11; MinGW has _fseeki64. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#if !defined(_WIN32)
#define _FILE_OFFSET_BITS 64
#endif

#include "vfile.h"

#ifndef _WIN32
#include <sys/types.h>
#endif

int vfile_seek(FILE *f, int64_t offset)
{
#ifdef _WIN32
    return _fseeki64(f, offset, SEEK_SET);
#else
    return fseeko(f, (off_t)offset, SEEK_SET);
#endif
}

int64_t vfile_size(FILE *f)
{
#ifdef _WIN32
    if (_fseeki64(f, 0, SEEK_END) != 0)
        return -1;
    return _ftelli64(f);
#else
    if (fseeko(f, 0, SEEK_END) != 0)
        return -1;
    return (int64_t)ftello(f);
#endif
}
