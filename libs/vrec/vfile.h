/* 64-bit file offsets over plain C stdio: fseeko/ftello on POSIX,
 * _fseeki64/_ftelli64 on MinGW. The one place libs/vrec touches seeking. */
#ifndef IMAPI2_VREC_VFILE_H
#define IMAPI2_VREC_VFILE_H

#include <stdint.h>
#include <stdio.h>

int vfile_seek(FILE *f, int64_t offset);
int64_t vfile_size(FILE *f);

/* What is at a path, found without blocking: a FIFO or a device node would
 * block a plain fopen (or every read after it) forever, so a media file must
 * be a regular file or not exist yet. POSIX: open with O_NONBLOCK, then
 * fstat before any read. */
enum vfile_kind { VFILE_ABSENT, VFILE_REGULAR, VFILE_OTHER };
enum vfile_kind vfile_kind(const char *path);

#endif
