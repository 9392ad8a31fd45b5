/* fseeko needs the POSIX feature macro under -std=c11; MinGW has _fseeki64. */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#if !defined(_WIN32)
#define _FILE_OFFSET_BITS 64
#endif

#include "vfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#ifndef _WIN32
#include <unistd.h>
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

enum vfile_kind vfile_kind(const char *path)
{
#ifdef _WIN32
    struct _stat64 sb;
    if (_stat64(path, &sb) != 0)
        return errno == ENOENT ? VFILE_ABSENT : VFILE_OTHER;
    return (sb.st_mode & _S_IFMT) == _S_IFREG ? VFILE_REGULAR : VFILE_OTHER;
#else
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? VFILE_ABSENT : VFILE_OTHER;
    struct stat sb;
    enum vfile_kind kind = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? VFILE_REGULAR : VFILE_OTHER;
    close(fd);
    return kind;
#endif
}
