/* The "virtual" transport backend: a vrec drive (libs/vrec) behind the
 * scsi_transport contract, in the same process. */
#ifndef IMAPI2_TRANSPORT_VIRTUAL_H
#define IMAPI2_TRANSPORT_VIRTUAL_H

#include "transport/transport.h"
#include "vrec/vrec.h"

/* clock may be NULL (no time passes: unthrottled). Its sleep is wrapped so
 * that scsi_transport_cancel() wakes it: the wrapper sleeps in slices of at
 * most VIRTUAL_SLEEP_SLICE_US and checks the cancel flag between slices, so a
 * real clock's sleep returns within one slice of a cancel.
 * Returns 0, or vrec_open's error. */
#define VIRTUAL_SLEEP_SLICE_US 10000u
int virtual_transport_open(const struct vrec_config *cfg, const struct vrec_clock *clock,
                           struct scsi_transport **out);

/* The drive behind a virtual transport (for counters), NULL for other backends. */
struct vrec_drive *virtual_transport_drive(struct scsi_transport *t);

#endif
