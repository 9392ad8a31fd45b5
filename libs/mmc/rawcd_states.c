/* The RawCD state table, cell for cell the contract's
 * (../shared/spec/rawcd-state-machine.md; [dN] there names the Microsoft
 * page behind a cell). */
#include "mmc/rawcd_states.h"
#include "imapi2error.h"

#define E_POINTER_HR ((int32_t)0x80004003u)

#define STATE_KEEP RAWCD_KEEP
#include "mmc/state_cells.h"

#define BUSY NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS)
#define IS_PREPARED NO(E_IMAPI_DF2RAW_MEDIA_IS_PREPARED)
#define NOT_PREPARED NO(E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED)
#define NO_RECORDER NO(E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED)
#define NOT_WRITING NO(E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS)

static const struct state_rule rules[RAWCD_STATE_COUNT][RAWCD_CALL_COUNT] = {
    [RAWCD_NO_RECORDER] = {
        [RAWCD_CALL_PUT_RECORDER] = GO(RAWCD_READY),                      /* d1 */
        [RAWCD_CALL_CLEAR_RECORDER] = STAY,
        [RAWCD_CALL_PREPARE_MEDIA] = NO_RECORDER,                         /* d2 */
        [RAWCD_CALL_WRITE_MEDIA] = NO_RECORDER,
        [RAWCD_CALL_CANCEL_WRITE] = NOT_WRITING,                          /* d4 */
        [RAWCD_CALL_RELEASE_MEDIA] = NO_RECORDER,
        [RAWCD_CALL_PUT_CLIENT_NAME] = STAY,                              /* d6 */
        [RAWCD_CALL_PUT_WRITE_SETTING] = NOT_PREPARED,                    /* d8, d11 */
        [RAWCD_CALL_SET_WRITE_SPEED] = NO(E_IMAPI_RECORDER_REQUIRED),     /* d17 */
        [RAWCD_CALL_GET_PREPARED_VALUE] = NOT_PREPARED,                   /* d9, d13, d14 */
        [RAWCD_CALL_GET_SECTOR_TYPES] = NO(E_POINTER_HR),                 /* d10 */
        [RAWCD_CALL_GET_MEDIA_STATE] = NO_RECORDER,
        [RAWCD_CALL_GET_DRIVE_VALUE] = NO_RECORDER,                       /* d19, d20 */
    },
    [RAWCD_READY] = {
        [RAWCD_CALL_PUT_RECORDER] = STAY,                                 /* d1: replace */
        [RAWCD_CALL_CLEAR_RECORDER] = GO(RAWCD_NO_RECORDER),
        [RAWCD_CALL_PREPARE_MEDIA] = GO(RAWCD_PREPARED),                  /* d2 */
        [RAWCD_CALL_WRITE_MEDIA] = NOT_PREPARED,                          /* d3 */
        [RAWCD_CALL_CANCEL_WRITE] = NOT_WRITING,
        [RAWCD_CALL_RELEASE_MEDIA] = NOT_PREPARED,                        /* d5 */
        [RAWCD_CALL_PUT_CLIENT_NAME] = STAY,
        [RAWCD_CALL_PUT_WRITE_SETTING] = NOT_PREPARED,
        [RAWCD_CALL_SET_WRITE_SPEED] = STAY,
        [RAWCD_CALL_GET_PREPARED_VALUE] = NOT_PREPARED,
        [RAWCD_CALL_GET_SECTOR_TYPES] = ASK,
        [RAWCD_CALL_GET_MEDIA_STATE] = ASK,
        [RAWCD_CALL_GET_DRIVE_VALUE] = ASK,
    },
    [RAWCD_PREPARED] = {
        [RAWCD_CALL_PUT_RECORDER] = IS_PREPARED,                          /* d1 */
        [RAWCD_CALL_CLEAR_RECORDER] = IS_PREPARED,
        [RAWCD_CALL_PREPARE_MEDIA] = IS_PREPARED,                         /* d2 */
        [RAWCD_CALL_WRITE_MEDIA] = RUN(RAWCD_WRITING, RAWCD_DONE, RAWCD_DONE), /* d3 */
        [RAWCD_CALL_CANCEL_WRITE] = NOT_WRITING,
        [RAWCD_CALL_RELEASE_MEDIA] = GO(RAWCD_READY),                     /* d5 */
        [RAWCD_CALL_PUT_CLIENT_NAME] = IS_PREPARED,                       /* d6 */
        [RAWCD_CALL_PUT_WRITE_SETTING] = STAY,                            /* d8, d11: used at WriteMedia */
        [RAWCD_CALL_SET_WRITE_SPEED] = STAY,                              /* applied at WriteMedia */
        [RAWCD_CALL_GET_PREPARED_VALUE] = CACHED,
        [RAWCD_CALL_GET_SECTOR_TYPES] = CACHED,                           /* the list read at PrepareMedia */
        [RAWCD_CALL_GET_MEDIA_STATE] = ASK,
        [RAWCD_CALL_GET_DRIVE_VALUE] = ASK,
    },
    [RAWCD_WRITING] = {
        [RAWCD_CALL_PUT_RECORDER] = BUSY,                                 /* d1 */
        [RAWCD_CALL_CLEAR_RECORDER] = BUSY,
        [RAWCD_CALL_PREPARE_MEDIA] = BUSY,
        [RAWCD_CALL_WRITE_MEDIA] = BUSY,                                  /* d3 */
        [RAWCD_CALL_CANCEL_WRITE] = RUN(RAWCD_CANCELLING, RAWCD_CANCELLING, RAWCD_CANCELLING), /* d4 */
        [RAWCD_CALL_RELEASE_MEDIA] = BUSY,                                /* d5 */
        [RAWCD_CALL_PUT_CLIENT_NAME] = BUSY,
        [RAWCD_CALL_PUT_WRITE_SETTING] = BUSY,                            /* d8, d11 */
        [RAWCD_CALL_SET_WRITE_SPEED] = BUSY,
        [RAWCD_CALL_GET_PREPARED_VALUE] = CACHED,
        [RAWCD_CALL_GET_SECTOR_TYPES] = CACHED,
        [RAWCD_CALL_GET_MEDIA_STATE] = CACHED,                            /* the drive is busy writing */
        [RAWCD_CALL_GET_DRIVE_VALUE] = CACHED,
    },
    [RAWCD_CANCELLING] = {
        [RAWCD_CALL_PUT_RECORDER] = BUSY,
        [RAWCD_CALL_CLEAR_RECORDER] = BUSY,
        [RAWCD_CALL_PREPARE_MEDIA] = BUSY,
        [RAWCD_CALL_WRITE_MEDIA] = BUSY,
        [RAWCD_CALL_CANCEL_WRITE] = STAY,                                 /* idempotent */
        [RAWCD_CALL_RELEASE_MEDIA] = BUSY,
        [RAWCD_CALL_PUT_CLIENT_NAME] = BUSY,
        [RAWCD_CALL_PUT_WRITE_SETTING] = BUSY,
        [RAWCD_CALL_SET_WRITE_SPEED] = BUSY,
        [RAWCD_CALL_GET_PREPARED_VALUE] = CACHED,
        [RAWCD_CALL_GET_SECTOR_TYPES] = CACHED,
        [RAWCD_CALL_GET_MEDIA_STATE] = CACHED,
        [RAWCD_CALL_GET_DRIVE_VALUE] = CACHED,
    },
    [RAWCD_DONE] = {
        [RAWCD_CALL_PUT_RECORDER] = IS_PREPARED,
        [RAWCD_CALL_CLEAR_RECORDER] = IS_PREPARED,
        [RAWCD_CALL_PREPARE_MEDIA] = IS_PREPARED,
        [RAWCD_CALL_WRITE_MEDIA] = NO(E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK),
        [RAWCD_CALL_CANCEL_WRITE] = NOT_WRITING,
        [RAWCD_CALL_RELEASE_MEDIA] = GO(RAWCD_READY),
        [RAWCD_CALL_PUT_CLIENT_NAME] = IS_PREPARED,
        [RAWCD_CALL_PUT_WRITE_SETTING] = STAY,                            /* stored, no effect */
        [RAWCD_CALL_SET_WRITE_SPEED] = STAY,                              /* stored, no effect */
        [RAWCD_CALL_GET_PREPARED_VALUE] = CACHED,
        [RAWCD_CALL_GET_SECTOR_TYPES] = CACHED,
        [RAWCD_CALL_GET_MEDIA_STATE] = ASK,
        [RAWCD_CALL_GET_DRIVE_VALUE] = CACHED,
    },
};

static const char *const state_names[RAWCD_STATE_COUNT] = {
    "NO_RECORDER", "READY", "PREPARED", "WRITING", "CANCELLING", "DONE",
};

static const char *const call_names[RAWCD_CALL_COUNT] = {
    "put_Recorder", "put_Recorder(NULL)", "PrepareMedia", "WriteMedia", "CancelWrite", "ReleaseMedia",
    "put_ClientName", "write setting put", "SetWriteSpeed", "prepared value get", "get_SupportedSectorTypes",
    "media state get", "drive value get",
};

const struct state_table rawcd_state_table = {
    &rules[0][0], RAWCD_STATE_COUNT, RAWCD_CALL_COUNT, state_names, call_names,
};
