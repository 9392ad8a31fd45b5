/* The IDiscFormat2RawCD write state machine as one table
 * (../shared/spec/rawcd-state-machine.md): for each (state, call) what the
 * object does. The COM object (dlls/imapi2/rawcd.c) decides every call through
 * rawcd_state_check(); the unit test and the conformance test visit every
 * pair of the same table. */
#ifndef IMAPI2_RAWCD_STATES_H
#define IMAPI2_RAWCD_STATES_H

#include <stdint.h>

enum rawcd_state {
    RAWCD_NO_RECORDER,
    RAWCD_READY,
    RAWCD_PREPARED,
    RAWCD_WRITING,    /* inside WriteMedia, seen from an Update handler */
    RAWCD_CANCELLING, /* CancelWrite accepted, WriteMedia still unwinding */
    RAWCD_DONE,       /* WriteMedia returned; lock still held until ReleaseMedia */
    RAWCD_STATE_COUNT
};

enum rawcd_call {
    RAWCD_CALL_PUT_RECORDER,
    RAWCD_CALL_PREPARE_MEDIA,
    RAWCD_CALL_WRITE_MEDIA,   /* WriteMedia and WriteMedia2 */
    RAWCD_CALL_CANCEL_WRITE,
    RAWCD_CALL_RELEASE_MEDIA,
    RAWCD_CALL_PUT_PROPERTY,  /* ClientName, RequestedSectorType, BufferUnderrunFreeDisabled */
    RAWCD_CALL_GET_MEDIA_PROPERTY, /* property gets that need the recorder */
    RAWCD_CALL_COUNT
};

/* What a call does in a state: refuse with `refusal`, or go ahead (refusal 0)
 * and, when the call succeeds, move to `next` (RAWCD_STATE_COUNT: stay). Some
 * calls go ahead only with checks of their own (PrepareMedia's client name,
 * WriteMedia's stream); the table holds the state part. */
struct rawcd_rule {
    int32_t refusal;        /* an HRESULT, 0 when the call goes ahead */
    enum rawcd_state next;  /* on success */
};

const struct rawcd_rule *rawcd_state_rule(enum rawcd_state state, enum rawcd_call call);
/* refusal, or 0 when the call may go ahead */
int32_t rawcd_state_check(enum rawcd_state state, enum rawcd_call call);
const char *rawcd_state_name(enum rawcd_state state);
const char *rawcd_call_name(enum rawcd_call call);

#endif
