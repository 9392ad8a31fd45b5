/* 64-bit file offsets over plain C stdio: fseeko/ftello on POSIX,
 * _fseeki64/_ftelli64 on MinGW. The one place libs/vrec touches seeking. */
#ifndef IMAPI2_VREC_VFILE_H
#define IMAPI2_VREC_VFILE_H

#include <stdint.h>
#include <stdio.h>

int vfile_seek(FILE *f, int64_t offset);
int64_t vfile_size(FILE *f);

#endif
