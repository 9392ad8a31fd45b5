/* What format objects (rawcd.c, erase.c) use of a recorder object of ours. */
#ifndef IMAPI2_RECORDER_H
#define IMAPI2_RECORDER_H

#include "imapi2_private.h"
#include "mmc/device.h"

/* A job run with the recorder's command runner, holding its command lock. */
typedef HRESULT (*recorder_job)(struct mmc_device *dev, void *ctx);

/* Runs job on an initialised recorder of ours; E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED
 * for anything else (a recorder from another implementation, or not initialised). */
HRESULT recorder_run(IDiscRecorder2 *recorder, recorder_job job, void *ctx);
/* A recorder of ours for any IDiscRecorder2: the same object when it is ours,
 * else a new one initialised with its ActiveDiscRecorder ID. */
HRESULT recorder_own(IDiscRecorder2 *any, IDiscRecorder2 **ours);
/* The transport of an initialised recorder of ours, NULL otherwise. Only for
 * the thread-safe cancel entry: commands go through recorder_run(). */
struct scsi_transport *recorder_transport(IDiscRecorder2 *recorder);

/* An mmc_device over transport with a wall clock, as the DLL uses them. */
void recorder_device_init(struct mmc_device *dev, struct scsi_transport *transport);

#endif
