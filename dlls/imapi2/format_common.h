/* What the IDiscFormat2 writers (rawcd.c, tao.c) share: speed units and the
 * speed arrays, the IDiscFormat2 support questions, small recorder jobs, the
 * caller's IStream as an engine stream, and firing an Update event. */
#ifndef IMAPI2_FORMAT_COMMON_H
#define IMAPI2_FORMAT_COMMON_H

#include <stdbool.h>

#include "imapi2_private.h"
#include "mmc/drive_query.h"
#include "mmc/geometry.h"
#include "mmc/writeloop.h"

#define FASTEST (-1)

/* The kB/s to ask the drive for a SetWriteSpeed request (FASTEST: the maximum). */
uint16_t format_requested_kbs(LONG sectors_per_second);

struct speed_list {
    struct mmc_write_speeds speeds;
    IMAPI_MEDIA_PHYSICAL_TYPE media_type;
};
/* recorder_run jobs: ctx is a struct speed_list / bool (prevent removal) /
 * struct mmc_disc_info / IMAPI_MEDIA_PHYSICAL_TYPE / struct mmc_capabilities. */
HRESULT speeds_job(struct mmc_device *dev, void *ctx);
HRESULT tray_job(struct mmc_device *dev, void *ctx);
HRESULT disc_info_job(struct mmc_device *dev, void *ctx);
HRESULT media_type_job(struct mmc_device *dev, void *ctx);
HRESULT capabilities_job(struct mmc_device *dev, void *ctx);
/* SupportedWriteSpeeds (VT_UI4 sectors/s) or SupportedWriteSpeedDescriptors
 * (VT_DISPATCH IWriteSpeedDescriptor) of a list. */
HRESULT speed_list_array(const struct speed_list *list, BOOL descriptors, SAFEARRAY **value);

/* IDiscFormat2's two questions for one writer: `capable` says from the
 * drive's configuration whether it can write this format at all; media_ok is
 * capable and a disc of the writer's kind in the drive (media_of; CD-R or
 * CD-RW when NULL) (the kind of disc, not its state:
 * a written CD-R is a supported medium that PrepareMedia then refuses). */
typedef bool (*format_capable_fn)(const struct mmc_configuration *config);
typedef bool (*format_media_fn)(uint16_t profile);
struct support_query {
    format_capable_fn capable_of;
    bool capable;
    bool media_ok;
    format_media_fn media_of;   /* the writer's media, by current profile; NULL: CD-R and CD-RW */
};
/* NO_MEDIA is an answer (E_IMAPI_RECORDER_MEDIA_NO_MEDIA with capable set), not a failure. */
HRESULT query_support(IDiscRecorder2 *recorder, struct support_query *q);
/* Both IDiscFormat2 questions: FALSE until answered, a recorder needed. */
HRESULT ask_support(IDiscRecorder2 *recorder, VARIANT_BOOL *value, struct support_query *q);

/* IStream::Read as the engines' read (S_FALSE is a short read at the end). */
int32_t format_stream_read(void *ctx, void *buf, uint32_t len, uint32_t *got);

/* Update(object, progress) to every sink of point. */
void format_fire_update(struct connection_point *point, DISPID id, IDispatch *object, IDispatch *progress);

#endif
