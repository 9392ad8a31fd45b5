/* The IDiscFormat2Erase state table. Microsoft's pages say little about
 * states: EraseMedia [e1] needs put_Recorder and put_ClientName first and
 * lists neither a "no recorder" nor an "in use" code; put_Recorder [e2]
 * only asks for a supported recorder; put_ClientName [e3] lists no state
 * rule. Ours, kept from the object's earlier branches: no recorder is
 * E_IMAPI_RECORDER_REQUIRED (the code the other IDiscFormat2 pages give
 * for it); while EraseMedia runs (an Update handler or another thread
 * calling in) the recorder, the client name and a second EraseMedia are
 * refused with E_IMAPI_ERASE_RECORDER_IN_USE ("The recorder is in use");
 * FullErase is read when EraseMedia starts, so it may be set at any time. */
#include "mmc/erase_states.h"
#include "imapi2error.h"

#define STAY { 0, ERASE_KEEP, ERASE_KEEP, ERASE_KEEP, STATE_ANSWER_NONE }
#define GO(next) { 0, ERASE_KEEP, next, ERASE_KEEP, STATE_ANSWER_NONE }
#define NO(hr) { (int32_t)(hr), ERASE_KEEP, ERASE_KEEP, ERASE_KEEP, STATE_ANSWER_NONE }
#define ASK { 0, ERASE_KEEP, ERASE_KEEP, ERASE_KEEP, STATE_ANSWER_DRIVE }

#define IN_USE NO(E_IMAPI_ERASE_RECORDER_IN_USE)
#define NO_RECORDER NO(E_IMAPI_RECORDER_REQUIRED)

static const struct state_rule rules[ERASE_STATE_COUNT][ERASE_CALL_COUNT] = {
    [ERASE_NO_RECORDER] = {
        [ERASE_CALL_PUT_RECORDER] = GO(ERASE_READY),                  /* e2 */
        [ERASE_CALL_CLEAR_RECORDER] = STAY,                           /* ours */
        [ERASE_CALL_PUT_CLIENT_NAME] = STAY,                          /* e3 */
        [ERASE_CALL_PUT_FULL_ERASE] = STAY,
        [ERASE_CALL_ERASE_MEDIA] = NO_RECORDER,                       /* e1, ours */
        [ERASE_CALL_GET_DRIVE_VALUE] = NO_RECORDER,                   /* ours, as e1 */
    },
    [ERASE_READY] = {
        [ERASE_CALL_PUT_RECORDER] = STAY,                             /* e2: replace */
        [ERASE_CALL_CLEAR_RECORDER] = GO(ERASE_NO_RECORDER),
        [ERASE_CALL_PUT_CLIENT_NAME] = STAY,
        [ERASE_CALL_PUT_FULL_ERASE] = STAY,
        /* the disc was blanked or not: either way the object is ready again */
        [ERASE_CALL_ERASE_MEDIA] = { 0, ERASE_ERASING, ERASE_READY, ERASE_READY, STATE_ANSWER_NONE }, /* e1 */
        [ERASE_CALL_GET_DRIVE_VALUE] = ASK,
    },
    [ERASE_ERASING] = {
        [ERASE_CALL_PUT_RECORDER] = IN_USE,                           /* ours */
        [ERASE_CALL_CLEAR_RECORDER] = IN_USE,
        [ERASE_CALL_PUT_CLIENT_NAME] = IN_USE,
        [ERASE_CALL_PUT_FULL_ERASE] = STAY,                           /* ours: read when EraseMedia starts */
        [ERASE_CALL_ERASE_MEDIA] = IN_USE,                            /* ours */
        [ERASE_CALL_GET_DRIVE_VALUE] = ASK,                           /* waits for the drive's command lock */
    },
};

static const char *const state_names[ERASE_STATE_COUNT] = { "NO_RECORDER", "READY", "ERASING" };
static const char *const call_names[ERASE_CALL_COUNT] = {
        "put_Recorder", "put_Recorder(NULL)", "put_ClientName", "put_FullErase", "EraseMedia", "drive value get",
    };

static const struct state_table table = { &rules[0][0], ERASE_STATE_COUNT, ERASE_CALL_COUNT, state_names, call_names };

const struct state_rule *erase_state_rule(enum erase_state state, enum erase_call call)
{
    return state_table_rule(&table, (int)state, (int)call);
}

void erase_machine_init(struct erase_machine *m)
{
    atomic_init(&m->state, ERASE_NO_RECORDER);
}

enum erase_state erase_current(const struct erase_machine *m)
{
    return (enum erase_state)atomic_load((atomic_int *)&m->state);
}

int32_t erase_state_enter(struct erase_machine *m, enum erase_call call, struct state_ticket *ticket)
{
    return state_table_enter(&table, &m->state, (int)call, ticket);
}

void erase_state_leave(struct erase_machine *m, const struct state_ticket *ticket, enum erase_outcome outcome)
{
    state_table_leave(&table, &m->state, ticket, (enum state_outcome)outcome);
}

enum erase_state erase_next_state(enum erase_state from, enum erase_call call, enum erase_outcome outcome)
{
    return (enum erase_state)state_table_next(&table, (int)from, (int)call, (enum state_outcome)outcome);
}

const char *erase_state_name(enum erase_state state)
{
    return state_table_state_name(&table, (int)state);
}

const char *erase_call_name(enum erase_call call)
{
    return state_table_call_name(&table, (int)call);
}
