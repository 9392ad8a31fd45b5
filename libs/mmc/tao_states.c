/* The TAO state table, cell for cell docs/tao-audit.md §5 ([dN] there names
 * the Microsoft page behind a cell; "ours" marks the project's choice where
 * the pages are silent or contradict themselves). */
#include "mmc/tao_states.h"
#include "imapi2error.h"

#define STATE_KEEP TAO_KEEP
#include "mmc/state_cells.h"

#define BUSY NO(E_IMAPI_DF2TAO_WRITE_IN_PROGRESS)
#define IS_PREPARED NO(E_IMAPI_DF2TAO_MEDIA_IS_PREPARED)
#define NOT_PREPARED NO(E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED)
#define NO_RECORDER NO(E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED)
#define NOT_WRITING NO(E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS)

static const struct state_rule rules[TAO_STATE_COUNT][TAO_CALL_COUNT] = {
    [TAO_NO_RECORDER] = {
        [TAO_CALL_PUT_RECORDER] = GO(TAO_READY),                     /* d1 */
        [TAO_CALL_CLEAR_RECORDER] = STAY,                            /* ours, sample */
        [TAO_CALL_PUT_CLIENT_NAME] = STAY,                           /* d18 */
        [TAO_CALL_PREPARE_MEDIA] = NO_RECORDER,                      /* d3 */
        [TAO_CALL_ADD_AUDIO_TRACK] = NOT_PREPARED,                   /* d4, ours */
        [TAO_CALL_CANCEL_ADD_TRACK] = NOT_WRITING,                   /* d5 */
        [TAO_CALL_RELEASE_MEDIA] = NOT_PREPARED,                     /* ours, audit §1 */
        [TAO_CALL_RELEASE_UNWRITTEN] = NOT_PREPARED,
        [TAO_CALL_SET_WRITE_SPEED] = NO(E_IMAPI_RECORDER_REQUIRED),  /* d7 */
        [TAO_CALL_PUT_BUFE] = NOT_PREPARED,                          /* d8 */
        [TAO_CALL_PUT_DO_NOT_FINALIZE] = STAY,                       /* d14 */
        [TAO_CALL_PUT_VERIFICATION] = STAY,                          /* d33 */
        [TAO_CALL_GET_SESSION_VALUE] = NOT_PREPARED,                 /* d10-d13 tables */
        [TAO_CALL_GET_TOC] = NOT_PREPARED,                           /* d16 */
        [TAO_CALL_GET_DRIVE_VALUE] = NO_RECORDER,                    /* d17, d22-d25, ours for d31 */
    },
    [TAO_READY] = {
        [TAO_CALL_PUT_RECORDER] = STAY,                              /* d1: replace */
        [TAO_CALL_CLEAR_RECORDER] = GO(TAO_NO_RECORDER),             /* sample [s1] */
        [TAO_CALL_PUT_CLIENT_NAME] = STAY,
        [TAO_CALL_PREPARE_MEDIA] = GO(TAO_PREPARED),                 /* d3 */
        [TAO_CALL_ADD_AUDIO_TRACK] = NOT_PREPARED,                   /* d4 */
        [TAO_CALL_CANCEL_ADD_TRACK] = NOT_WRITING,
        [TAO_CALL_RELEASE_MEDIA] = NOT_PREPARED,
        [TAO_CALL_RELEASE_UNWRITTEN] = NOT_PREPARED,
        [TAO_CALL_SET_WRITE_SPEED] = STAY,                           /* d7 */
        [TAO_CALL_PUT_BUFE] = NOT_PREPARED,
        [TAO_CALL_PUT_DO_NOT_FINALIZE] = STAY,
        [TAO_CALL_PUT_VERIFICATION] = STAY,
        [TAO_CALL_GET_SESSION_VALUE] = NOT_PREPARED,
        [TAO_CALL_GET_TOC] = NOT_PREPARED,
        [TAO_CALL_GET_DRIVE_VALUE] = ASK,
    },
    [TAO_PREPARED] = {
        [TAO_CALL_PUT_RECORDER] = IS_PREPARED,                       /* d1 */
        [TAO_CALL_CLEAR_RECORDER] = IS_PREPARED,
        [TAO_CALL_PUT_CLIENT_NAME] = IS_PREPARED,                    /* d18 */
        [TAO_CALL_PREPARE_MEDIA] = IS_PREPARED,                      /* d3 */
        /* a failed write stays PREPARED so that ReleaseMedia can unlock (ours, Q2) */
        [TAO_CALL_ADD_AUDIO_TRACK] = RUN(TAO_ADDING_TRACK, TAO_PREPARED, TAO_PREPARED),
        [TAO_CALL_CANCEL_ADD_TRACK] = NOT_WRITING,                   /* d5 */
        [TAO_CALL_RELEASE_MEDIA] = END(TAO_RELEASED),                /* d6 */
        [TAO_CALL_RELEASE_UNWRITTEN] = END(TAO_READY),               /* nothing to close */
        [TAO_CALL_SET_WRITE_SPEED] = STAY,                           /* d7: from the next track */
        [TAO_CALL_PUT_BUFE] = STAY,                                  /* d8 */
        [TAO_CALL_PUT_DO_NOT_FINALIZE] = IS_PREPARED,                /* d14, Q1 */
        [TAO_CALL_PUT_VERIFICATION] = STAY,                          /* from the next track */
        [TAO_CALL_GET_SESSION_VALUE] = CACHED,                       /* §8: what the session knows */
        [TAO_CALL_GET_TOC] = CACHED,                                 /* d16; 0 tracks: 0505 */
        [TAO_CALL_GET_DRIVE_VALUE] = ASK,
    },
    [TAO_ADDING_TRACK] = {
        [TAO_CALL_PUT_RECORDER] = BUSY,                              /* d1 */
        [TAO_CALL_CLEAR_RECORDER] = BUSY,
        [TAO_CALL_PUT_CLIENT_NAME] = BUSY,                           /* d18 */
        [TAO_CALL_PREPARE_MEDIA] = BUSY,                             /* ours */
        [TAO_CALL_ADD_AUDIO_TRACK] = BUSY,                           /* d4 */
        [TAO_CALL_CANCEL_ADD_TRACK] = RUN(TAO_CANCELLING, TAO_CANCELLING, TAO_CANCELLING), /* d5 */
        [TAO_CALL_RELEASE_MEDIA] = BUSY,                             /* d6 */
        [TAO_CALL_RELEASE_UNWRITTEN] = BUSY,
        [TAO_CALL_SET_WRITE_SPEED] = BUSY,                           /* ours */
        [TAO_CALL_PUT_BUFE] = BUSY,                                  /* d8 */
        [TAO_CALL_PUT_DO_NOT_FINALIZE] = BUSY,                       /* d14 */
        [TAO_CALL_PUT_VERIFICATION] = BUSY,                          /* ours */
        [TAO_CALL_GET_SESSION_VALUE] = CACHED,                       /* d10-d13: values from before the call */
        [TAO_CALL_GET_TOC] = BUSY,                                   /* d16 */
        [TAO_CALL_GET_DRIVE_VALUE] = CACHED,                         /* ours: no I/O between WRITEs */
    },
    [TAO_CANCELLING] = {
        [TAO_CALL_PUT_RECORDER] = BUSY,
        [TAO_CALL_CLEAR_RECORDER] = BUSY,
        [TAO_CALL_PUT_CLIENT_NAME] = BUSY,
        [TAO_CALL_PREPARE_MEDIA] = BUSY,
        [TAO_CALL_ADD_AUDIO_TRACK] = BUSY,
        [TAO_CALL_CANCEL_ADD_TRACK] = STAY,                          /* idempotent (ours) */
        [TAO_CALL_RELEASE_MEDIA] = BUSY,                             /* d6 */
        [TAO_CALL_RELEASE_UNWRITTEN] = BUSY,
        [TAO_CALL_SET_WRITE_SPEED] = BUSY,
        [TAO_CALL_PUT_BUFE] = BUSY,
        [TAO_CALL_PUT_DO_NOT_FINALIZE] = BUSY,
        [TAO_CALL_PUT_VERIFICATION] = BUSY,
        [TAO_CALL_GET_SESSION_VALUE] = CACHED,
        [TAO_CALL_GET_TOC] = BUSY,
        [TAO_CALL_GET_DRIVE_VALUE] = CACHED,
    },
    [TAO_RELEASED] = {
        [TAO_CALL_PUT_RECORDER] = GO(TAO_READY),                     /* as READY; another disc (ours) */
        [TAO_CALL_CLEAR_RECORDER] = GO(TAO_NO_RECORDER),             /* sample [s1] */
        [TAO_CALL_PUT_CLIENT_NAME] = STAY,                           /* PortBurn puts NULL here */
        [TAO_CALL_PREPARE_MEDIA] = GO(TAO_PREPARED),                 /* the written disc: 0506 from the drive */
        [TAO_CALL_ADD_AUDIO_TRACK] = NOT_PREPARED,
        [TAO_CALL_CANCEL_ADD_TRACK] = NOT_WRITING,                   /* d5 */
        [TAO_CALL_RELEASE_MEDIA] = NOT_PREPARED,                     /* ours */
        [TAO_CALL_RELEASE_UNWRITTEN] = NOT_PREPARED,
        [TAO_CALL_SET_WRITE_SPEED] = STAY,
        [TAO_CALL_PUT_BUFE] = NOT_PREPARED,                          /* d8 */
        [TAO_CALL_PUT_DO_NOT_FINALIZE] = NO(E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY), /* d14, ours */
        [TAO_CALL_PUT_VERIFICATION] = STAY,
        [TAO_CALL_GET_SESSION_VALUE] = NOT_PREPARED,
        [TAO_CALL_GET_TOC] = NOT_PREPARED,                           /* d16 */
        [TAO_CALL_GET_DRIVE_VALUE] = ASK,
    },
};

static const char *const state_names[TAO_STATE_COUNT] = {
    "NO_RECORDER", "READY", "PREPARED", "ADDING_TRACK", "CANCELLING", "RELEASED",
};

static const char *const call_names[TAO_CALL_COUNT] = {
    "put_Recorder", "put_Recorder(NULL)", "put_ClientName", "PrepareMedia", "AddAudioTrack", "CancelAddTrack",
    "ReleaseMedia", "ReleaseMedia (0 tracks)", "SetWriteSpeed", "put_BufferUnderrunFreeDisabled",
    "put_DoNotFinalizeMedia", "put_BurnVerificationLevel", "session value get", "get_ExpectedTableOfContents",
    "drive value get",
};

const struct state_table tao_state_table = {
    &rules[0][0], TAO_STATE_COUNT, TAO_CALL_COUNT, state_names, call_names,
};
