/* The IDiscFormat2TrackAtOnce state machine as one table (docs/tao-audit.md
 * §5, each cell from a Microsoft page or marked "ours" there): for each
 * (state, call) whether the call is refused, the state while it runs, the
 * state it leaves behind, and where a get takes its answer. The COM object
 * (dlls/imapi2/tao.c) keeps a struct state_machine over tao_state_table and
 * brackets every call with state_machine_enter() / state_machine_leave();
 * the host test and the conformance test visit every pair. */
#ifndef IMAPI2_TAO_STATES_H
#define IMAPI2_TAO_STATES_H

#include "mmc/state_table.h"

enum tao_state {
    TAO_NO_RECORDER,
    TAO_READY,
    TAO_PREPARED,
    TAO_ADDING_TRACK, /* inside AddAudioTrack, seen from Update or another thread */
    TAO_CANCELLING,   /* CancelAddTrack accepted, AddAudioTrack still unwinding */
    TAO_RELEASED,     /* ReleaseMedia closed a session that wrote >= 1 track */
    TAO_STATE_COUNT
};

enum tao_call {
    TAO_CALL_PUT_RECORDER,          /* put_Recorder(recorder) */
    TAO_CALL_CLEAR_RECORDER,        /* put_Recorder(NULL) */
    TAO_CALL_PUT_CLIENT_NAME,
    TAO_CALL_PREPARE_MEDIA,
    TAO_CALL_ADD_AUDIO_TRACK,
    TAO_CALL_CANCEL_ADD_TRACK,
    TAO_CALL_RELEASE_MEDIA,         /* ReleaseMedia after >= 1 track: closes the session */
    TAO_CALL_RELEASE_UNWRITTEN,     /* ReleaseMedia after 0 tracks: unlocks only */
    TAO_CALL_SET_WRITE_SPEED,
    TAO_CALL_PUT_BUFE,              /* put_BufferUnderrunFreeDisabled */
    TAO_CALL_PUT_DO_NOT_FINALIZE,   /* put_DoNotFinalizeMedia */
    TAO_CALL_PUT_VERIFICATION,      /* IBurnVerification::put_BurnVerificationLevel */
    TAO_CALL_GET_SESSION_VALUE,     /* NumberOfExistingTracks, Total/Free/UsedSectorsOnMedia */
    TAO_CALL_GET_TOC,               /* ExpectedTableOfContents */
    TAO_CALL_GET_DRIVE_VALUE,       /* CurrentPhysicalMediaType, CurrentWriteSpeed, CurrentRotationTypeIsPureCAV,
                                     * SupportedWriteSpeeds(Descriptors), MediaPhysically/HeuristicallyBlank */
    TAO_CALL_COUNT
};

/* TAO_KEEP in a rule: the state the call was entered in. */
#define TAO_KEEP TAO_STATE_COUNT

extern const struct state_table tao_state_table;

#endif
