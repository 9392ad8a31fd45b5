/* The IDiscFormat2Erase state machine on the host: every (state, call) pair
 * of the table against a second transcription written here in letters (so
 * a typo in either shows), the transitions erase_state_enter()/leave()
 * apply for every outcome, Microsoft's sample order, and an Update handler
 * calling back while EraseMedia runs. */
#include <string.h>

#include "imapi2error.h"
#include "mmc/erase_states.h"
#include "okay.h"

/* One letter per cell: the refusal, or what the call does when it goes ahead.
 *   q RECORDER_REQUIRED  u ERASE_RECORDER_IN_USE
 *   . goes ahead, state kept   D asks the drive
 *   R -> READY  0 -> NO_RECORDER  E -> ERASING, then READY (both outcomes) */
static const char *const expected[ERASE_CALL_COUNT] = {
    /*                                 NO_REC READY ERASING */
    [ERASE_CALL_PUT_RECORDER] =          "R.u",
    [ERASE_CALL_CLEAR_RECORDER] =        ".0u",
    [ERASE_CALL_PUT_CLIENT_NAME] =       "..u",
    [ERASE_CALL_PUT_FULL_ERASE] =        "...",
    [ERASE_CALL_ERASE_MEDIA] =           "qEu",
    [ERASE_CALL_GET_DRIVE_VALUE] =       "qDD",
};

static int32_t refusal_of(char c)
{
    switch (c) {
    case 'q': return (int32_t)0xC0AA0003u;
    case 'u': return (int32_t)0x80AA0900u;
    default: return 0;
    }
}

static enum erase_state after(char c, enum erase_state from, enum erase_outcome outcome)
{
    if (outcome == ERASE_REFUSED)
        return from;
    if (c == 'E')
        return ERASE_READY;
    if (outcome == ERASE_FAILED)
        return from;
    return c == 'R' ? ERASE_READY : c == '0' ? ERASE_NO_RECORDER : from;
}

static void put_state(struct erase_machine *m, enum erase_state s)
{
    erase_machine_init(m);
    atomic_store(&m->state, (int)s);
}

static void test_every_pair(void)
{
    static const enum erase_outcome outcomes[] = { ERASE_SUCCEEDED, ERASE_FAILED, ERASE_REFUSED };
    unsigned cells = 0;
    for (int call = 0; call < ERASE_CALL_COUNT; call++) {
        ok(expected[call] && strlen(expected[call]) == ERASE_STATE_COUNT, "row %d transcribed\n", call);
        if (!expected[call] || strlen(expected[call]) != ERASE_STATE_COUNT)
            continue;
        for (int state = 0; state < ERASE_STATE_COUNT; state++) {
            char c = expected[call][state];
            const char *what = erase_call_name((enum erase_call)call);
            const char *in = erase_state_name((enum erase_state)state);
            const struct state_rule *rule = erase_state_rule((enum erase_state)state, (enum erase_call)call);
            struct erase_machine m;
            struct state_ticket t;
            cells++;
            put_state(&m, (enum erase_state)state);
            int32_t hr = erase_state_enter(&m, (enum erase_call)call, &t);
            ok(hr == refusal_of(c), "%s in %s: %#x, expected %#x\n", what, in, (unsigned)hr, (unsigned)refusal_of(c));
            if (hr) {
                ok(erase_current(&m) == (enum erase_state)state, "%s in %s: a refusal moved the state\n", what, in);
                continue;
            }
            ok(rule->answer == (c == 'D' ? STATE_ANSWER_DRIVE : STATE_ANSWER_NONE), "%s in %s: answer %d\n", what,
               in, rule->answer);
            enum erase_state during = c == 'E' ? ERASE_ERASING : (enum erase_state)state;
            ok(erase_current(&m) == during, "%s in %s: runs in %s\n", what, in, erase_state_name(erase_current(&m)));
            for (size_t o = 0; o < sizeof(outcomes) / sizeof(outcomes[0]); o++) {
                enum erase_state want = after(c, (enum erase_state)state, outcomes[o]);
                put_state(&m, (enum erase_state)state);
                ok(erase_state_enter(&m, (enum erase_call)call, &t) == 0, "enter again\n");
                erase_state_leave(&m, &t, outcomes[o]);
                ok(erase_current(&m) == want, "%s in %s, outcome %d: left %s, expected %s\n", what, in,
                   (int)outcomes[o], erase_state_name(erase_current(&m)), erase_state_name(want));
                ok(erase_next_state((enum erase_state)state, (enum erase_call)call, outcomes[o]) == want,
                   "%s in %s: erase_next_state agrees\n", what, in);
            }
        }
    }
    ok(cells == ERASE_STATE_COUNT * ERASE_CALL_COUNT, "%u cells visited\n", cells);
    struct erase_machine m;
    struct state_ticket t;
    erase_machine_init(&m);
    ok(erase_current(&m) == ERASE_NO_RECORDER, "a new object has no recorder\n");
    ok(erase_state_enter(&m, ERASE_CALL_COUNT, &t) == (int32_t)0x8000FFFFu, "a call outside the table\n");
    ok(!erase_state_rule(ERASE_STATE_COUNT, ERASE_CALL_ERASE_MEDIA), "a state outside the table\n");
    ok(!strcmp(erase_state_name(ERASE_STATE_COUNT), "?") && !strcmp(erase_call_name(ERASE_CALL_COUNT), "?"),
       "names outside the table\n");
}

/* Microsoft's imapi2sample erase order (put_Recorder, put_ClientName,
 * put_FullErase, EraseMedia), with an Update handler that calls back into
 * the object while the erase runs: the recorder and a second erase are
 * refused as in use, FullErase and the drive questions go ahead. */
static void test_sample_order_with_callbacks(void)
{
    struct erase_machine m;
    struct state_ticket t, inner;
    erase_machine_init(&m);
    static const enum erase_call before[] = { ERASE_CALL_PUT_RECORDER, ERASE_CALL_PUT_CLIENT_NAME,
                                              ERASE_CALL_PUT_FULL_ERASE };
    for (size_t i = 0; i < sizeof(before) / sizeof(before[0]); i++) {
        ok(erase_state_enter(&m, before[i], &t) == 0, "%s goes ahead\n", erase_call_name(before[i]));
        erase_state_leave(&m, &t, ERASE_SUCCEEDED);
    }
    ok(erase_current(&m) == ERASE_READY, "ready after the settings\n");
    ok(erase_state_enter(&m, ERASE_CALL_ERASE_MEDIA, &t) == 0 && erase_current(&m) == ERASE_ERASING, "erasing\n");
    ok(erase_state_enter(&m, ERASE_CALL_PUT_RECORDER, &inner) == (int32_t)E_IMAPI_ERASE_RECORDER_IN_USE,
       "from Update: put_Recorder is in use\n");
    ok(erase_state_enter(&m, ERASE_CALL_ERASE_MEDIA, &inner) == (int32_t)E_IMAPI_ERASE_RECORDER_IN_USE,
       "from Update: a second EraseMedia is in use\n");
    ok(erase_state_enter(&m, ERASE_CALL_PUT_FULL_ERASE, &inner) == 0, "from Update: put_FullErase goes ahead\n");
    erase_state_leave(&m, &inner, ERASE_SUCCEEDED);
    ok(erase_current(&m) == ERASE_ERASING, "a call from Update leaves the erase running\n");
    erase_state_leave(&m, &t, ERASE_FAILED);
    ok(erase_current(&m) == ERASE_READY, "a failed erase leaves the object ready\n");
    ok(erase_state_enter(&m, ERASE_CALL_CLEAR_RECORDER, &t) == 0, "put_Recorder(NULL)\n");
    erase_state_leave(&m, &t, ERASE_SUCCEEDED);
    ok(erase_current(&m) == ERASE_NO_RECORDER, "no recorder again\n");
}

int main(void)
{
    test_every_pair();
    test_sample_order_with_callbacks();
    return okay_summary("mmc_erase_states");
}
