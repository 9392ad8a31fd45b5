/* The RawCD state machine on the host: every (state, call) pair of the table
 * against a second transcription of ../shared/spec/rawcd-state-machine.md
 * written here in letters (so a typo in either shows), the transitions that
 * rawcd_enter()/rawcd_leave() apply for every outcome, and a CancelWrite
 * racing with the end of a write from two threads. */
#include <pthread.h>
#include <string.h>

#include "imapi2error.h"
#include "mmc/rawcd_states.h"
#include "okay.h"

/* One letter per cell: the refusal, or what the call does when it goes ahead.
 *   r NO_RECORDER_SPECIFIED  p MEDIA_IS_PREPARED  n MEDIA_IS_NOT_PREPARED
 *   w WRITE_IN_PROGRESS      x WRITE_NOT_IN_PROGRESS  b MEDIA_IS_NOT_BLANK
 *   q RECORDER_REQUIRED      e E_POINTER
 *   . goes ahead, state kept   D asks the drive   C answers from the cache
 *   R -> READY  P -> PREPARED  0 -> NO_RECORDER  W -> WRITING (then DONE)
 *   K -> CANCELLING */
static const char *const expected[RAWCD_CALL_COUNT] = {
    /*                              NO_REC READY PREP WRITING CANCELLING DONE */
    [RAWCD_CALL_PUT_RECORDER] =       "R.pwwp",
    [RAWCD_CALL_CLEAR_RECORDER] =     ".0pwwp",
    [RAWCD_CALL_PREPARE_MEDIA] =      "rPpwwp",
    [RAWCD_CALL_WRITE_MEDIA] =        "rnWwwb",
    [RAWCD_CALL_CANCEL_WRITE] =       "xxxK.x",
    [RAWCD_CALL_RELEASE_MEDIA] =      "rnRwwR",
    [RAWCD_CALL_PUT_CLIENT_NAME] =    "..pwwp",
    [RAWCD_CALL_PUT_WRITE_SETTING] =  "nn.ww.",
    [RAWCD_CALL_SET_WRITE_SPEED] =    "q..ww.",
    [RAWCD_CALL_GET_PREPARED_VALUE] = "nnCCCC",
    [RAWCD_CALL_GET_SECTOR_TYPES] =   "eDCCCC",
    [RAWCD_CALL_GET_MEDIA_STATE] =    "rDDCCD",
    [RAWCD_CALL_GET_DRIVE_VALUE] =    "rDDCCC",
};

static int32_t refusal_of(char c)
{
    switch (c) {
    case 'r': return E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED;
    case 'p': return E_IMAPI_DF2RAW_MEDIA_IS_PREPARED;
    case 'n': return E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED;
    case 'w': return E_IMAPI_DF2RAW_WRITE_IN_PROGRESS;
    case 'x': return E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS;
    case 'b': return E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK;
    case 'q': return E_IMAPI_RECORDER_REQUIRED;
    case 'e': return (int32_t)0x80004003u;
    default: return 0;
    }
}

/* The state a successful call leaves, from the letters. */
static enum rawcd_state success_state(char c, enum rawcd_state from)
{
    switch (c) {
    case 'R': return RAWCD_READY;
    case 'P': return RAWCD_PREPARED;
    case '0': return RAWCD_NO_RECORDER;
    case 'W': return RAWCD_DONE;
    case 'K': return RAWCD_CANCELLING;
    default: return from;
    }
}

static void put_state(struct rawcd_machine *m, enum rawcd_state s)
{
    rawcd_machine_init(m);
    atomic_store(&m->state, (int)s);
}

static void test_every_pair(void)
{
    static const enum rawcd_outcome outcomes[] = { RAWCD_SUCCEEDED, RAWCD_FAILED, RAWCD_REFUSED };
    for (int call = 0; call < RAWCD_CALL_COUNT; call++) {
        ok(expected[call] && strlen(expected[call]) == RAWCD_STATE_COUNT, "row %d transcribed\n", call);
        if (!expected[call] || strlen(expected[call]) != RAWCD_STATE_COUNT)
            continue;
        for (int state = 0; state < RAWCD_STATE_COUNT; state++) {
            char c = expected[call][state];
            const char *what = rawcd_call_name((enum rawcd_call)call);
            const char *in = rawcd_state_name((enum rawcd_state)state);
            const struct state_rule *rule = rawcd_state_rule((enum rawcd_state)state, (enum rawcd_call)call);
            struct rawcd_machine m;
            struct rawcd_ticket t;
            put_state(&m, (enum rawcd_state)state);
            int32_t hr = rawcd_enter(&m, (enum rawcd_call)call, &t);
            ok(hr == refusal_of(c), "%s in %s: %#x, expected %#x\n", what, in, (unsigned)hr,
               (unsigned)refusal_of(c));
            if (hr) {
                ok(rawcd_current(&m) == (enum rawcd_state)state, "%s in %s: a refusal moved the state\n", what, in);
                continue;
            }
            enum rawcd_answer answer = c == 'D' ? RAWCD_ANSWER_DRIVE : c == 'C' ? RAWCD_ANSWER_CACHE : RAWCD_ANSWER_NONE;
            ok(rule->answer == (int)answer, "%s in %s: answer %d, expected %d\n", what, in, rule->answer, (int)answer);
            enum rawcd_state during = c == 'W' ? RAWCD_WRITING : c == 'K' ? RAWCD_CANCELLING : (enum rawcd_state)state;
            ok(rawcd_current(&m) == during, "%s in %s: runs in %s\n", what, in, rawcd_state_name(rawcd_current(&m)));
            for (size_t o = 0; o < sizeof(outcomes) / sizeof(outcomes[0]); o++) {
                enum rawcd_state want = (enum rawcd_state)state;
                if (outcomes[o] == RAWCD_SUCCEEDED)
                    want = success_state(c, want);
                else if (outcomes[o] == RAWCD_FAILED && (c == 'W' || c == 'K'))
                    want = success_state(c, want); /* a write that touched the disc is DONE either way */
                put_state(&m, (enum rawcd_state)state);
                ok(rawcd_enter(&m, (enum rawcd_call)call, &t) == 0, "enter again\n");
                rawcd_leave(&m, &t, outcomes[o]);
                ok(rawcd_current(&m) == want, "%s in %s, outcome %d: left %s, expected %s\n", what, in,
                   (int)outcomes[o], rawcd_state_name(rawcd_current(&m)), rawcd_state_name(want));
                ok(rawcd_next_state((enum rawcd_state)state, (enum rawcd_call)call, outcomes[o]) == want,
                   "%s in %s: rawcd_next_state agrees\n", what, in);
            }
        }
    }
    struct rawcd_machine m;
    struct rawcd_ticket t;
    rawcd_machine_init(&m);
    ok(rawcd_current(&m) == RAWCD_NO_RECORDER, "a new object has no recorder\n");
    ok(rawcd_enter(&m, RAWCD_CALL_COUNT, &t) == (int32_t)0x8000FFFFu, "a call outside the table\n");
    ok(!rawcd_state_rule(RAWCD_STATE_COUNT, RAWCD_CALL_PREPARE_MEDIA), "a state outside the table\n");
}

/* Microsoft's sample order, through the machine alone. */
static void test_documented_order(void)
{
    static const enum rawcd_call order[] = {
        RAWCD_CALL_PUT_RECORDER, RAWCD_CALL_PUT_CLIENT_NAME, RAWCD_CALL_PREPARE_MEDIA,
        RAWCD_CALL_PUT_WRITE_SETTING, RAWCD_CALL_GET_PREPARED_VALUE, RAWCD_CALL_WRITE_MEDIA,
        RAWCD_CALL_RELEASE_MEDIA,
    };
    struct rawcd_machine m;
    rawcd_machine_init(&m);
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        struct rawcd_ticket t;
        int32_t hr = rawcd_enter(&m, order[i], &t);
        ok(hr == 0, "%s refused: %#x\n", rawcd_call_name(order[i]), (unsigned)hr);
        if (!hr)
            rawcd_leave(&m, &t, RAWCD_SUCCEEDED);
    }
    ok(rawcd_current(&m) == RAWCD_READY, "ends READY, got %s\n", rawcd_state_name(rawcd_current(&m)));
}

/* A stream refused before the first WRITE leaves the object PREPARED, so a
 * second WriteMedia goes ahead. */
static void test_refused_write_retries(void)
{
    struct rawcd_machine m;
    struct rawcd_ticket t;
    put_state(&m, RAWCD_PREPARED);
    ok(rawcd_enter(&m, RAWCD_CALL_WRITE_MEDIA, &t) == 0 && rawcd_current(&m) == RAWCD_WRITING, "writing\n");
    rawcd_leave(&m, &t, RAWCD_REFUSED);
    ok(rawcd_current(&m) == RAWCD_PREPARED, "refused write: %s\n", rawcd_state_name(rawcd_current(&m)));
    ok(rawcd_enter(&m, RAWCD_CALL_WRITE_MEDIA, &t) == 0, "second WriteMedia goes ahead\n");
}

struct race {
    struct rawcd_machine m;
    atomic_int go;
    int32_t cancel_hr;
};

static void *cancel_thread(void *arg)
{
    struct race *r = arg;
    struct rawcd_ticket t;
    while (!atomic_load(&r->go))
        ;
    r->cancel_hr = rawcd_enter(&r->m, RAWCD_CALL_CANCEL_WRITE, &t);
    if (!r->cancel_hr)
        rawcd_leave(&r->m, &t, RAWCD_SUCCEEDED);
    return NULL;
}

/* Whatever order CancelWrite and the end of WriteMedia take, the object ends
 * DONE, never stuck in CANCELLING or WRITING. */
static void test_cancel_races_end_of_write(void)
{
    unsigned stuck = 0, cancels = 0;
    for (int i = 0; i < 2000; i++) {
        struct race r;
        struct rawcd_ticket t;
        pthread_t th;
        put_state(&r.m, RAWCD_PREPARED);
        atomic_init(&r.go, 0);
        rawcd_enter(&r.m, RAWCD_CALL_WRITE_MEDIA, &t);
        pthread_create(&th, NULL, cancel_thread, &r);
        atomic_store(&r.go, 1);
        rawcd_leave(&r.m, &t, RAWCD_FAILED);
        pthread_join(th, NULL);
        cancels += r.cancel_hr == 0;
        stuck += rawcd_current(&r.m) != RAWCD_DONE;
    }
    ok(stuck == 0, "%u of 2000 races left the object outside DONE (%u cancels accepted)\n", stuck, cancels);
}

int main(void)
{
    test_every_pair();
    test_documented_order();
    test_refused_write_retries();
    test_cancel_races_end_of_write();
    return okay_summary("mmc_rawcd_states");
}
