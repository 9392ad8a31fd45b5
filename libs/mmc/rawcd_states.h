/* The IDiscFormat2RawCD state machine as one table
 * (../shared/spec/rawcd-state-machine.md, each cell from a Microsoft page):
 * for each (state, call) whether the call is refused, the state while it
 * runs, the state it leaves behind, and where a property get takes its
 * answer from. The COM object (dlls/imapi2/rawcd.c) brackets every call with
 * rawcd_enter() / rawcd_leave() (state_table.c's machine over this table),
 * so the table both checks the call and applies its transition; the host test and the conformance test visit every
 * pair of the same table. */
#ifndef IMAPI2_RAWCD_STATES_H
#define IMAPI2_RAWCD_STATES_H

#include <stdatomic.h>
#include <stdint.h>

#include "mmc/state_table.h"

enum rawcd_state {
    RAWCD_NO_RECORDER,
    RAWCD_READY,
    RAWCD_PREPARED,
    RAWCD_WRITING,    /* inside WriteMedia, seen from an Update handler */
    RAWCD_CANCELLING, /* CancelWrite accepted, WriteMedia still unwinding */
    RAWCD_DONE,       /* WriteMedia returned after touching the disc; lock held until ReleaseMedia */
    RAWCD_STATE_COUNT
};

enum rawcd_call {
    RAWCD_CALL_PUT_RECORDER,       /* put_Recorder(recorder) */
    RAWCD_CALL_CLEAR_RECORDER,     /* put_Recorder(NULL) */
    RAWCD_CALL_PREPARE_MEDIA,
    RAWCD_CALL_WRITE_MEDIA,        /* WriteMedia and WriteMedia2 */
    RAWCD_CALL_CANCEL_WRITE,
    RAWCD_CALL_RELEASE_MEDIA,
    RAWCD_CALL_PUT_CLIENT_NAME,
    RAWCD_CALL_PUT_WRITE_SETTING,  /* put_RequestedSectorType, put_BufferUnderrunFreeDisabled */
    RAWCD_CALL_SET_WRITE_SPEED,
    RAWCD_CALL_GET_PREPARED_VALUE, /* get_RequestedSectorType, StartOfNextSession, LastPossibleStartOfLeadout */
    RAWCD_CALL_GET_SECTOR_TYPES,   /* get_SupportedSectorTypes */
    RAWCD_CALL_GET_MEDIA_STATE,    /* get_MediaPhysicallyBlank, get_MediaHeuristicallyBlank */
    RAWCD_CALL_GET_DRIVE_VALUE,    /* CurrentPhysicalMediaType, CurrentWriteSpeed, CurrentRotationTypeIsPureCAV,
                                    * SupportedWriteSpeeds(Descriptors) */
    RAWCD_CALL_COUNT
};

/* Where a get takes its answer: from the drive now, or from what
 * PrepareMedia read (the drive is busy or the value belongs to the prepared
 * disc). */
enum rawcd_answer {
    RAWCD_ANSWER_NONE = STATE_ANSWER_NONE,
    RAWCD_ANSWER_DRIVE = STATE_ANSWER_DRIVE,
    RAWCD_ANSWER_CACHE = STATE_ANSWER_CACHE
};

/* RAWCD_KEEP in a rule: the state the call was entered in. */
#define RAWCD_KEEP RAWCD_STATE_COUNT

/* How a call that went ahead ended. REFUSED: it changed nothing (an argument
 * or stream check failed before any command that alters the disc), so the
 * object returns to the state it was entered in. */
enum rawcd_outcome { RAWCD_SUCCEEDED = STATE_SUCCEEDED, RAWCD_FAILED = STATE_FAILED, RAWCD_REFUSED = STATE_REFUSED };

struct rawcd_machine {
    atomic_int state;            /* enum rawcd_state; CancelWrite may move it from another thread */
};

/* What rawcd_enter() hands to rawcd_leave(). */
struct rawcd_ticket {
    enum rawcd_call call;
    enum rawcd_state from;
    const struct state_rule *rule;
};

void rawcd_machine_init(struct rawcd_machine *m);
enum rawcd_state rawcd_current(const struct rawcd_machine *m);

/* Checks the call against the current state: the refusal HRESULT, or 0 with
 * the machine moved to the rule's `during` state (atomically, so a
 * concurrent CancelWrite sees either the old or the new state). */
int32_t rawcd_enter(struct rawcd_machine *m, enum rawcd_call call, struct rawcd_ticket *ticket);
/* Applies the call's transition for its outcome. */
void rawcd_leave(struct rawcd_machine *m, const struct rawcd_ticket *ticket, enum rawcd_outcome outcome);

const struct state_rule *rawcd_state_rule(enum rawcd_state state, enum rawcd_call call);
/* The state a call leaves behind, from the table (RAWCD_KEEP resolved). */
enum rawcd_state rawcd_next_state(enum rawcd_state from, enum rawcd_call call, enum rawcd_outcome outcome);
const char *rawcd_state_name(enum rawcd_state state);
const char *rawcd_call_name(enum rawcd_call call);

#endif
