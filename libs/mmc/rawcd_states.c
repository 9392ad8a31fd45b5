/* The RawCD state matrix; the table below is the contract's table cell for
 * cell (../shared/spec/rawcd-state-machine.md). */
#include "mmc/rawcd_states.h"
#include "imapi2error.h"

#include <stddef.h>

#define GO(next) { 0, next }
#define STAY { 0, RAWCD_STATE_COUNT }
#define NO(hr) { (int32_t)(hr), RAWCD_STATE_COUNT }

static const struct rawcd_rule rules[RAWCD_STATE_COUNT][RAWCD_CALL_COUNT] = {
    [RAWCD_NO_RECORDER] = {
        [RAWCD_CALL_PUT_RECORDER] = GO(RAWCD_READY),
        [RAWCD_CALL_PREPARE_MEDIA] = NO(E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED),
        [RAWCD_CALL_WRITE_MEDIA] = NO(E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED),
        [RAWCD_CALL_CANCEL_WRITE] = NO(E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS),
        [RAWCD_CALL_RELEASE_MEDIA] = NO(E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED),
        [RAWCD_CALL_PUT_PROPERTY] = STAY,
        [RAWCD_CALL_GET_MEDIA_PROPERTY] = NO(E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED),
    },
    [RAWCD_READY] = {
        [RAWCD_CALL_PUT_RECORDER] = STAY,
        [RAWCD_CALL_PREPARE_MEDIA] = GO(RAWCD_PREPARED),
        [RAWCD_CALL_WRITE_MEDIA] = NO(E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED),
        [RAWCD_CALL_CANCEL_WRITE] = NO(E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS),
        [RAWCD_CALL_RELEASE_MEDIA] = NO(E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED),
        [RAWCD_CALL_PUT_PROPERTY] = STAY,
        [RAWCD_CALL_GET_MEDIA_PROPERTY] = STAY,
    },
    [RAWCD_PREPARED] = {
        [RAWCD_CALL_PUT_RECORDER] = NO(E_IMAPI_DF2RAW_MEDIA_IS_PREPARED),
        [RAWCD_CALL_PREPARE_MEDIA] = NO(E_IMAPI_DF2RAW_MEDIA_IS_PREPARED),
        [RAWCD_CALL_WRITE_MEDIA] = GO(RAWCD_WRITING),
        [RAWCD_CALL_CANCEL_WRITE] = NO(E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS),
        [RAWCD_CALL_RELEASE_MEDIA] = GO(RAWCD_READY),
        [RAWCD_CALL_PUT_PROPERTY] = NO(E_IMAPI_DF2RAW_MEDIA_IS_PREPARED),
        [RAWCD_CALL_GET_MEDIA_PROPERTY] = STAY,
    },
    [RAWCD_WRITING] = {
        [RAWCD_CALL_PUT_RECORDER] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_PREPARE_MEDIA] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_WRITE_MEDIA] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_CANCEL_WRITE] = GO(RAWCD_CANCELLING),
        [RAWCD_CALL_RELEASE_MEDIA] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_PUT_PROPERTY] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_GET_MEDIA_PROPERTY] = STAY,
    },
    [RAWCD_CANCELLING] = {
        [RAWCD_CALL_PUT_RECORDER] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_PREPARE_MEDIA] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_WRITE_MEDIA] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_CANCEL_WRITE] = STAY, /* idempotent */
        [RAWCD_CALL_RELEASE_MEDIA] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_PUT_PROPERTY] = NO(E_IMAPI_DF2RAW_WRITE_IN_PROGRESS),
        [RAWCD_CALL_GET_MEDIA_PROPERTY] = STAY,
    },
    [RAWCD_DONE] = {
        [RAWCD_CALL_PUT_RECORDER] = NO(E_IMAPI_DF2RAW_MEDIA_IS_PREPARED),
        [RAWCD_CALL_PREPARE_MEDIA] = NO(E_IMAPI_DF2RAW_MEDIA_IS_PREPARED),
        [RAWCD_CALL_WRITE_MEDIA] = NO(E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK),
        [RAWCD_CALL_CANCEL_WRITE] = NO(E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS),
        [RAWCD_CALL_RELEASE_MEDIA] = GO(RAWCD_READY),
        [RAWCD_CALL_PUT_PROPERTY] = NO(E_IMAPI_DF2RAW_MEDIA_IS_PREPARED),
        [RAWCD_CALL_GET_MEDIA_PROPERTY] = STAY,
    },
};

const struct rawcd_rule *rawcd_state_rule(enum rawcd_state state, enum rawcd_call call)
{
    if ((unsigned)state >= RAWCD_STATE_COUNT || (unsigned)call >= RAWCD_CALL_COUNT)
        return NULL;
    return &rules[state][call];
}

int32_t rawcd_state_check(enum rawcd_state state, enum rawcd_call call)
{
    const struct rawcd_rule *rule = rawcd_state_rule(state, call);
    return rule ? rule->refusal : (int32_t)0x8000FFFFu /* E_UNEXPECTED */;
}

const char *rawcd_state_name(enum rawcd_state state)
{
    static const char *const names[RAWCD_STATE_COUNT] = {
        "NO_RECORDER", "READY", "PREPARED", "WRITING", "CANCELLING", "DONE",
    };
    return (unsigned)state < RAWCD_STATE_COUNT ? names[state] : "?";
}

const char *rawcd_call_name(enum rawcd_call call)
{
    static const char *const names[RAWCD_CALL_COUNT] = {
        "put_Recorder", "PrepareMedia", "WriteMedia", "CancelWrite", "ReleaseMedia", "property put",
        "media property get",
    };
    return (unsigned)call < RAWCD_CALL_COUNT ? names[call] : "?";
}
