/* The IDiscFormat2Data state table, cell for cell docs/data-audit.md §8
 * ([dN] there names the Microsoft page behind a cell; "ours" marks the
 * project's choice where the pages are silent). */
#include "mmc/data_states.h"
#include "imapi2error.h"

#define STAY { 0, DATA_KEEP, DATA_KEEP, DATA_KEEP, STATE_ANSWER_NONE }
#define GO(next) { 0, DATA_KEEP, next, DATA_KEEP, STATE_ANSWER_NONE }
#define NO(hr) { (int32_t)(hr), DATA_KEEP, DATA_KEEP, DATA_KEEP, STATE_ANSWER_NONE }
#define ASK { 0, DATA_KEEP, DATA_KEEP, DATA_KEEP, STATE_ANSWER_DRIVE }
#define CACHED { 0, DATA_KEEP, DATA_KEEP, DATA_KEEP, STATE_ANSWER_CACHE }
/* Write: runs WRITING, back to READY whatever happened (exclusive access given back). */
#define WRITE { 0, DATA_WRITING, DATA_READY, DATA_READY, STATE_ANSWER_NONE }
#define CANCEL { 0, DATA_CANCELLING, DATA_CANCELLING, DATA_CANCELLING, STATE_ANSWER_NONE }

#define BUSY NO(E_IMAPI_DF2DATA_WRITE_IN_PROGRESS)
#define NOT_WRITING NO(E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS)
#define NO_RECORDER NO(E_IMAPI_RECORDER_REQUIRED)

static const struct state_rule rules[DATA_STATE_COUNT][DATA_CALL_COUNT] = {
    [DATA_NO_RECORDER] = {
        [DATA_CALL_PUT_RECORDER] = GO(DATA_READY),     /* d1 */
        [DATA_CALL_CLEAR_RECORDER] = STAY,             /* sample s1 */
        [DATA_CALL_PUT_CLIENT_NAME] = STAY,            /* d3 */
        [DATA_CALL_WRITE] = NO_RECORDER,               /* d5 */
        [DATA_CALL_CANCEL_WRITE] = NOT_WRITING,        /* d6 */
        [DATA_CALL_SET_WRITE_SPEED] = NO_RECORDER,     /* d7 */
        [DATA_CALL_PUT_OPTION] = STAY,                 /* d9, d10, d11 */
        [DATA_CALL_GET_MEDIA_VALUE] = NO_RECORDER,     /* d12; ours for the others */
        [DATA_CALL_GET_DRIVE_VALUE] = NO_RECORDER,     /* d14 */
        [DATA_CALL_GET_MULTISESSION] = NO_RECORDER,    /* ours */
    },
    [DATA_READY] = {
        [DATA_CALL_PUT_RECORDER] = STAY,               /* d1: replace */
        [DATA_CALL_CLEAR_RECORDER] = GO(DATA_NO_RECORDER), /* s1 */
        [DATA_CALL_PUT_CLIENT_NAME] = STAY,
        [DATA_CALL_WRITE] = WRITE,                     /* d5 */
        [DATA_CALL_CANCEL_WRITE] = NOT_WRITING,        /* d6 */
        [DATA_CALL_SET_WRITE_SPEED] = STAY,            /* d7 */
        [DATA_CALL_PUT_OPTION] = STAY,
        [DATA_CALL_GET_MEDIA_VALUE] = ASK,             /* d12, d13 */
        [DATA_CALL_GET_DRIVE_VALUE] = ASK,             /* d14 */
        [DATA_CALL_GET_MULTISESSION] = ASK,            /* d15 */
    },
    [DATA_WRITING] = {
        [DATA_CALL_PUT_RECORDER] = BUSY,               /* d1 */
        [DATA_CALL_CLEAR_RECORDER] = BUSY,
        [DATA_CALL_PUT_CLIENT_NAME] = BUSY,            /* d3 */
        [DATA_CALL_WRITE] = BUSY,                      /* d5 */
        [DATA_CALL_CANCEL_WRITE] = CANCEL,             /* d6 */
        [DATA_CALL_SET_WRITE_SPEED] = BUSY,            /* ours */
        [DATA_CALL_PUT_OPTION] = BUSY,                 /* d9; ours for d10, d11 */
        [DATA_CALL_GET_MEDIA_VALUE] = CACHED,          /* ours: values from when Write began */
        [DATA_CALL_GET_DRIVE_VALUE] = CACHED,          /* ours */
        [DATA_CALL_GET_MULTISESSION] = BUSY,           /* ours */
    },
    [DATA_CANCELLING] = {
        [DATA_CALL_PUT_RECORDER] = BUSY,
        [DATA_CALL_CLEAR_RECORDER] = BUSY,
        [DATA_CALL_PUT_CLIENT_NAME] = BUSY,
        [DATA_CALL_WRITE] = BUSY,
        [DATA_CALL_CANCEL_WRITE] = STAY,               /* idempotent (ours) */
        [DATA_CALL_SET_WRITE_SPEED] = BUSY,
        [DATA_CALL_PUT_OPTION] = BUSY,
        [DATA_CALL_GET_MEDIA_VALUE] = CACHED,
        [DATA_CALL_GET_DRIVE_VALUE] = CACHED,
        [DATA_CALL_GET_MULTISESSION] = BUSY,
    },
};

static const char *const state_names[DATA_STATE_COUNT] = { "NO_RECORDER", "READY", "WRITING", "CANCELLING" };
static const char *const call_names[DATA_CALL_COUNT] = {
        "put_Recorder", "put_Recorder(NULL)", "put_ClientName", "Write", "CancelWrite", "SetWriteSpeed",
        "option put", "media value get", "drive value get", "get_MultisessionInterfaces",
    };

static const struct state_table table = { &rules[0][0], DATA_STATE_COUNT, DATA_CALL_COUNT, state_names, call_names };

const struct state_rule *data_state_rule(enum data_state state, enum data_call call)
{
    return state_table_rule(&table, (int)state, (int)call);
}

void data_machine_init(struct data_machine *m)
{
    atomic_init(&m->state, DATA_NO_RECORDER);
}

enum data_state data_current(const struct data_machine *m)
{
    return (enum data_state)atomic_load((atomic_int *)&m->state);
}

int32_t data_enter(struct data_machine *m, enum data_call call, struct state_ticket *ticket)
{
    return state_table_enter(&table, &m->state, (int)call, ticket);
}

void data_leave(struct data_machine *m, const struct state_ticket *ticket, enum data_outcome outcome)
{
    state_table_leave(&table, &m->state, ticket, (enum state_outcome)outcome);
}

enum data_state data_next_state(enum data_state from, enum data_call call, enum data_outcome outcome)
{
    return (enum data_state)state_table_next(&table, (int)from, (int)call, (enum state_outcome)outcome);
}

const char *data_state_name(enum data_state state)
{
    return state_table_state_name(&table, (int)state);
}

const char *data_call_name(enum data_call call)
{
    return state_table_call_name(&table, (int)call);
}
