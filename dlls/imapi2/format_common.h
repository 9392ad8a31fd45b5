/* What the IDiscFormat2 writers (rawcd.c, tao.c) share: the state machine
 * bracket of every call, speed units and the speed arrays, the IDiscFormat2
 * support questions and the properties every writer answers alike, small
 * recorder jobs, the caller's IStream as an engine stream, and firing an
 * Update event. */
#ifndef IMAPI2_FORMAT_COMMON_H
#define IMAPI2_FORMAT_COMMON_H

#include <stdbool.h>

#include "imapi2_private.h"
#include "write_progress.h"
#include "mmc/drive_query.h"
#include "mmc/geometry.h"
#include "mmc/state_table.h"
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

/* A writer's state machine (libs/mmc/rawcd_states.c, tao_states.c) and the interface its
 * errors are set on. */
struct format_machine {
    struct state_machine m;
    const IID *iid;
};
void format_machine_init(struct format_machine *fm, const struct state_table *t, const IID *iid);
/* hr with the error info of the writer's interface. */
HRESULT format_fail(const struct format_machine *fm, HRESULT hr);
/* Every call goes through the table: enter checks it (and may move the
 * state for the call's duration), leave applies its transition: a call
 * that failed before touching the disc or drive leaves nothing behind. */
HRESULT format_enter(struct format_machine *fm, int call, struct state_ticket *ticket);
HRESULT format_leave(struct format_machine *fm, const struct state_ticket *ticket, HRESULT hr);
/* Gets change no state: entering is the whole check, and says where the
 * answer comes from (enum state_answer). */
HRESULT format_enter_get(struct format_machine *fm, int call, int *answer);

/* The answers every writer gives alike, each checked by `call` first.
 * MediaPhysicallyBlank: from the cache (the drive is busy writing) blank
 * until `written`, else the drive's disc status. */
HRESULT format_get_blank(struct format_machine *fm, int call, IDiscRecorder2 *recorder, BOOL written,
                         VARIANT_BOOL *value);
/* CurrentWriteSpeed in sectors/s: cached_kbs, or the drive's selected speed. */
HRESULT format_get_write_speed(struct format_machine *fm, int call, IDiscRecorder2 *recorder, uint16_t cached_kbs,
                               LONG *value);
/* CurrentPhysicalMediaType: of cached_profile, or asked. */
HRESULT format_get_media_type(struct format_machine *fm, int call, IDiscRecorder2 *recorder, uint16_t cached_profile,
                              IMAPI_MEDIA_PHYSICAL_TYPE *value);
/* CurrentRotationTypeIsPureCAV: CD recording here is CLV. */
HRESULT format_get_pure_cav(struct format_machine *fm, int call, VARIANT_BOOL *value);
/* SupportedWriteSpeeds (descriptors FALSE) or ...Descriptors: the cached list or the drive's. */
HRESULT format_get_speeds(struct format_machine *fm, int call, IDiscRecorder2 *recorder,
                          const struct speed_list *cached, BOOL descriptors, SAFEARRAY **value);
/* SetWriteSpeed: stored (sent when the write starts); pure CAV is
 * S_IMAPI_ROTATIONADJUSTED. */
HRESULT format_set_write_speed(struct format_machine *fm, int call, LONG sectors_per_second, VARIANT_BOOL pure_cav,
                               LONG *speed, VARIANT_BOOL *cav);
/* put_Recorder (value NULL: clear_call) with only a recorder the writer
 * supports (capable_of; one another client holds is taken: PrepareMedia
 * says it is locked); *recorder holds ours (recorder_own). */
HRESULT format_put_recorder(struct format_machine *fm, int put_call, int clear_call, format_capable_fn capable_of,
                            HRESULT not_supported, IDiscRecorder2 **recorder, IDiscRecorder2 *value);
/* get_Recorder: S_OK and NULL when unset. */
HRESULT format_get_recorder(IDiscRecorder2 *recorder, IDiscRecorder2 **value);
/* get_ClientName: "" when unset. */
HRESULT format_get_client_name(BSTR name, BSTR *value);

/* IStream::Read as the engines' read (S_FALSE is a short read at the end). */
int32_t format_stream_read(void *ctx, void *buf, uint32_t len, uint32_t *got);

/* Update(object, args) to every sink of point: args made by create from
 * the engine's report, its action given as the writer's enum value. */
typedef HRESULT (*format_progress_create_fn)(const struct write_progress_values *values, IDispatch **out);
void format_fire_update(struct connection_point *point, DISPID id, IDispatch *object, format_progress_create_fn create,
                        LONG action, const struct mmc_write_progress *p);

#endif
