/* What MsftRawCDImageCreator (rawimage.c) and the result streams it hands
 * out (rawimage_stream.c) share: the image generator of libs/mmc/rawimage.h
 * and the lock around it. The generator is not thread-safe and one image
 * may be read by several clones on several threads while the creator is
 * still queried, so every call into it goes through rawimage_shared_lock. */
#ifndef IMAPI2_RAWIMAGE_STREAM_H
#define IMAPI2_RAWIMAGE_STREAM_H

#include "imapi2_private.h"
#include "mmc/rawimage.h"

/* Reference-counted: a result stream or a track view keeps the image alive
 * after the creator itself is gone. */
struct rawimage_shared {
    LONG ref;
    CRITICAL_SECTION cs;
    struct rawimage *img;
    BOOL has_rw;    /* an R-W generator was given (PQ images then refused) */
};

HRESULT rawimage_shared_create(struct rawimage_shared **out);
void rawimage_shared_addref(struct rawimage_shared *shared);
void rawimage_shared_release(struct rawimage_shared *shared);

static inline struct rawimage *rawimage_shared_lock(struct rawimage_shared *shared)
{
    EnterCriticalSection(&shared->cs);
    return shared->img;
}

static inline void rawimage_shared_unlock(struct rawimage_shared *shared)
{
    LeaveCriticalSection(&shared->cs);
}

/* A read-only IStream over the finalized image, positioned at 0. */
HRESULT rawimage_result_stream_create(struct rawimage_shared *shared, IStream **out);

#endif
