/* The IDiscFormat2Data state machine as one table (docs/data-audit.md §8,
 * each cell from a Microsoft page or marked "ours" there). Data has no
 * PrepareMedia: Write takes and gives back exclusive access itself, so the
 * object is only ever without a recorder, ready, writing, or cancelling.
 * The COM object (dlls/imapi2/data.c) brackets every call with data_enter()
 * / data_leave() (state_table.c's machine); the host test and the
 * conformance test visit every pair. */
#ifndef IMAPI2_DATA_STATES_H
#define IMAPI2_DATA_STATES_H

#include <stdatomic.h>
#include <stdint.h>

#include "mmc/state_table.h"

enum data_state {
    DATA_NO_RECORDER,
    DATA_READY,
    DATA_WRITING,    /* inside Write, seen from Update or another thread */
    DATA_CANCELLING, /* CancelWrite accepted, Write still unwinding */
    DATA_STATE_COUNT
};

enum data_call {
    DATA_CALL_PUT_RECORDER,      /* put_Recorder(recorder) */
    DATA_CALL_CLEAR_RECORDER,    /* put_Recorder(NULL) */
    DATA_CALL_PUT_CLIENT_NAME,
    DATA_CALL_WRITE,
    DATA_CALL_CANCEL_WRITE,
    DATA_CALL_SET_WRITE_SPEED,
    DATA_CALL_PUT_OPTION,        /* BufferUnderrunFreeDisabled, PostgapAlreadyInImage, ForceMediaToBeClosed,
                                  * DisableConsumerDvdCompatibilityMode, ForceOverwrite, BurnVerificationLevel */
    DATA_CALL_GET_MEDIA_VALUE,   /* CurrentMediaStatus, WriteProtectStatus, CurrentPhysicalMediaType,
                                  * MediaPhysically/HeuristicallyBlank, Total/FreeSectorsOnMedia,
                                  * NextWritableAddress, Start/LastWrittenAddressOfPreviousSession */
    DATA_CALL_GET_DRIVE_VALUE,   /* CurrentWriteSpeed, CurrentRotationTypeIsPureCAV, SupportedWriteSpeeds(Descriptors) */
    DATA_CALL_GET_MULTISESSION,  /* MultisessionInterfaces */
    DATA_CALL_COUNT
};

/* DATA_KEEP in a rule: the state the call was entered in. */
#define DATA_KEEP DATA_STATE_COUNT

enum data_outcome { DATA_SUCCEEDED = STATE_SUCCEEDED, DATA_FAILED = STATE_FAILED, DATA_REFUSED = STATE_REFUSED };

struct data_machine {
    atomic_int state; /* enum data_state; CancelWrite may move it from another thread */
};

void data_machine_init(struct data_machine *m);
enum data_state data_current(const struct data_machine *m);
int32_t data_enter(struct data_machine *m, enum data_call call, struct state_ticket *ticket);
void data_leave(struct data_machine *m, const struct state_ticket *ticket, enum data_outcome outcome);
const struct state_rule *data_state_rule(enum data_state state, enum data_call call);
enum data_state data_next_state(enum data_state from, enum data_call call, enum data_outcome outcome);
const char *data_state_name(enum data_state state);
const char *data_call_name(enum data_call call);

#endif
