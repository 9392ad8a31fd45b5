/* The "virtual" transport backend: a vrec drive (libs/vrec) behind the
 * scsi_transport contract, in the same process. */
#ifndef IMAPI2_TRANSPORT_VIRTUAL_H
#define IMAPI2_TRANSPORT_VIRTUAL_H

#include "transport/transport.h"
#include "vrec/vrec.h"

/* clock may be NULL (unthrottled: the drive's waits, from fault rules only,
 * pass on a clock of their own and take no real time). Its sleep is wrapped
 * so that scsi_transport_cancel() wakes it: the wrapper sleeps in slices of
 * at most VIRTUAL_SLEEP_SLICE_US and checks the cancel flag between slices,
 * so a real clock's sleep returns within one slice of a cancel. The wrapper
 * also ends any wait at the request's timeout_ms (0: the default, as sgio):
 * a command the drive holds longer returns TRANSPORT_ERR_TIMEOUT at the
 * deadline, with no status, no sense and resid = len, like a command the
 * kernel timed out (what the drive did with it is what it had done by then:
 * a stalled WRITE records nothing).
 * Returns 0, or vrec_open's error. */
#define VIRTUAL_SLEEP_SLICE_US 10000u
int virtual_transport_open(const struct vrec_config *cfg, const struct io_clock *clock,
                           struct scsi_transport **out);

/* The drive behind a virtual transport (for counters), NULL for other backends. */
struct vrec_drive *virtual_transport_drive(struct scsi_transport *t);

#endif
