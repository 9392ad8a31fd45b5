/* The IDiscFormat2RawCD state machine as one table
 * (../shared/spec/rawcd-state-machine.md, each cell from a Microsoft page):
 * for each (state, call) whether the call is refused, the state while it
 * runs, the state it leaves behind, and where a property get takes its
 * answer from. The COM object (dlls/imapi2/rawcd.c) keeps a struct
 * state_machine over rawcd_state_table and brackets every call with
 * state_machine_enter() / state_machine_leave(), so the table both checks the
 * call and applies its transition; the host test and the conformance test
 * visit every pair of the same table. */
#ifndef IMAPI2_RAWCD_STATES_H
#define IMAPI2_RAWCD_STATES_H

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

/* RAWCD_KEEP in a rule: the state the call was entered in. */
#define RAWCD_KEEP RAWCD_STATE_COUNT

/* A call's outcome (enum state_outcome): REFUSED when an argument or stream
 * check failed before any command that alters the disc, so the object
 * returns to the state it was entered in. Gets answer as enum state_answer. */
extern const struct state_table rawcd_state_table;

#endif
