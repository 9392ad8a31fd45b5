/* The IDiscFormat2Data state machine on the host: every (state, call) pair
 * of the table against a second transcription of docs/data-audit.md §8
 * written here in letters (so a typo in either shows), the transitions
 * data_enter()/data_leave() apply for every outcome, the call orders of
 * Microsoft's samples and of burners that hold exclusive access themselves
 * (audit §13), and a CancelWrite racing with the end of Write. */
#include <pthread.h>
#include <string.h>

#include "imapi2error.h"
#include "mmc/data_states.h"
#include "okay.h"

/* One letter per cell: the refusal, or what the call does when it goes ahead.
 *   q RECORDER_REQUIRED  w WRITE_IN_PROGRESS  x WRITE_NOT_IN_PROGRESS
 *   . goes ahead, state kept   D asks the drive   C answers from the snapshot
 *   R -> READY  0 -> NO_RECORDER  W -> WRITING, then READY (any outcome)  K -> CANCELLING */
static const char *const expected[DATA_CALL_COUNT] = {
    /*                              NO_REC READY WRITING CANCELLING */
    [DATA_CALL_PUT_RECORDER] =      "R.ww",
    [DATA_CALL_CLEAR_RECORDER] =    ".0ww",
    [DATA_CALL_PUT_CLIENT_NAME] =   "..ww",
    [DATA_CALL_WRITE] =             "qWww",
    [DATA_CALL_CANCEL_WRITE] =      "xxK.",
    [DATA_CALL_SET_WRITE_SPEED] =   "q.ww",
    [DATA_CALL_PUT_OPTION] =        "..ww",
    [DATA_CALL_GET_MEDIA_VALUE] =   "qDCC",
    [DATA_CALL_GET_DRIVE_VALUE] =   "qDCC",
    [DATA_CALL_GET_MULTISESSION] =  "qDww",
};

static int32_t refusal_of(char c)
{
    switch (c) {
    case 'q': return (int32_t)0xC0AA0003u;
    case 'w': return (int32_t)0xC0AA0400u;
    case 'x': return (int32_t)0xC0AA0401u;
    default: return 0;
    }
}

static enum data_state after(char c, enum data_state from, enum data_outcome outcome)
{
    if (outcome == DATA_REFUSED)
        return from;
    if (c == 'W')
        return DATA_READY;
    if (c == 'K')
        return DATA_CANCELLING;
    if (outcome == DATA_FAILED)
        return from;
    return c == 'R' ? DATA_READY : c == '0' ? DATA_NO_RECORDER : from;
}

static void put_state(struct data_machine *m, enum data_state s)
{
    data_machine_init(m);
    atomic_store(&m->state, (int)s);
}

static void test_every_pair(void)
{
    static const enum data_outcome outcomes[] = { DATA_SUCCEEDED, DATA_FAILED, DATA_REFUSED };
    unsigned cells = 0;
    for (int call = 0; call < DATA_CALL_COUNT; call++) {
        ok(expected[call] && strlen(expected[call]) == DATA_STATE_COUNT, "row %d transcribed\n", call);
        if (!expected[call] || strlen(expected[call]) != DATA_STATE_COUNT)
            continue;
        for (int state = 0; state < DATA_STATE_COUNT; state++) {
            char c = expected[call][state];
            const char *what = data_call_name((enum data_call)call);
            const char *in = data_state_name((enum data_state)state);
            const struct state_rule *rule = data_state_rule((enum data_state)state, (enum data_call)call);
            struct data_machine m;
            struct state_ticket t;
            cells++;
            put_state(&m, (enum data_state)state);
            int32_t hr = data_enter(&m, (enum data_call)call, &t);
            ok(hr == refusal_of(c), "%s in %s: %#x, expected %#x\n", what, in, (unsigned)hr, (unsigned)refusal_of(c));
            if (hr) {
                ok(data_current(&m) == (enum data_state)state, "%s in %s: a refusal moved the state\n", what, in);
                continue;
            }
            int answer = c == 'D' ? STATE_ANSWER_DRIVE : c == 'C' ? STATE_ANSWER_CACHE : STATE_ANSWER_NONE;
            ok(rule->answer == answer, "%s in %s: answer %d, expected %d\n", what, in, rule->answer, answer);
            enum data_state during = c == 'W' ? DATA_WRITING : c == 'K' ? DATA_CANCELLING : (enum data_state)state;
            ok(data_current(&m) == during, "%s in %s: runs in %s\n", what, in, data_state_name(data_current(&m)));
            for (size_t o = 0; o < sizeof(outcomes) / sizeof(outcomes[0]); o++) {
                enum data_state want = after(c, (enum data_state)state, outcomes[o]);
                put_state(&m, (enum data_state)state);
                ok(data_enter(&m, (enum data_call)call, &t) == 0, "enter again\n");
                data_leave(&m, &t, outcomes[o]);
                ok(data_current(&m) == want, "%s in %s, outcome %d: left %s, expected %s\n", what, in,
                   (int)outcomes[o], data_state_name(data_current(&m)), data_state_name(want));
                ok(data_next_state((enum data_state)state, (enum data_call)call, outcomes[o]) == want,
                   "%s in %s: data_next_state agrees\n", what, in);
            }
        }
    }
    ok(cells == DATA_STATE_COUNT * DATA_CALL_COUNT, "%u cells visited\n", cells);
    struct data_machine m;
    struct state_ticket t;
    data_machine_init(&m);
    ok(data_current(&m) == DATA_NO_RECORDER, "a new object has no recorder\n");
    ok(data_enter(&m, DATA_CALL_COUNT, &t) == (int32_t)0x8000FFFFu, "a call outside the table\n");
    ok(!data_state_rule(DATA_STATE_COUNT, DATA_CALL_WRITE), "a state outside the table\n");
    ok(!strcmp(data_state_name(DATA_STATE_COUNT), "?") && !strcmp(data_call_name(DATA_CALL_COUNT), "?"),
       "names outside the table\n");
}

static void run(struct data_machine *m, const enum data_call *order, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct state_ticket t;
        int32_t hr = data_enter(m, order[i], &t);
        ok(hr == 0, "%s refused in %s: %#x\n", data_call_name(order[i]), data_state_name(data_current(m)),
           (unsigned)hr);
        if (!hr)
            data_leave(m, &t, DATA_SUCCEEDED);
    }
}

/* imapi2sample DataWriter (-write -close), the checking-media-support
 * script (queries before ClientName), and a ModernDisk-style service
 * (IsCurrentMediaSupported before put_Recorder) (audit §13). */
static void test_documented_orders(void)
{
    static const enum data_call sample[] = {
        DATA_CALL_PUT_RECORDER, DATA_CALL_PUT_CLIENT_NAME, DATA_CALL_PUT_OPTION, DATA_CALL_GET_MEDIA_VALUE,
        DATA_CALL_GET_MULTISESSION, DATA_CALL_GET_MEDIA_VALUE, DATA_CALL_WRITE, DATA_CALL_GET_MEDIA_VALUE,
        DATA_CALL_CLEAR_RECORDER,
    };
    static const enum data_call checking[] = {
        DATA_CALL_PUT_RECORDER, DATA_CALL_GET_MEDIA_VALUE, DATA_CALL_GET_MEDIA_VALUE,
    };
    static const enum data_call service[] = {
        DATA_CALL_PUT_OPTION, DATA_CALL_PUT_RECORDER, DATA_CALL_PUT_CLIENT_NAME, DATA_CALL_PUT_OPTION,
        DATA_CALL_SET_WRITE_SPEED, DATA_CALL_GET_DRIVE_VALUE, DATA_CALL_WRITE, DATA_CALL_WRITE,
    };
    struct data_machine m;
    data_machine_init(&m);
    run(&m, sample, sizeof(sample) / sizeof(sample[0]));
    ok(data_current(&m) == DATA_NO_RECORDER, "sample ends NO_RECORDER, got %s\n", data_state_name(data_current(&m)));
    data_machine_init(&m);
    run(&m, checking, sizeof(checking) / sizeof(checking[0]));
    ok(data_current(&m) == DATA_READY, "checking script ends READY\n");
    data_machine_init(&m);
    run(&m, service, sizeof(service) / sizeof(service[0]));
    ok(data_current(&m) == DATA_READY, "service ends READY, got %s\n", data_state_name(data_current(&m)));
}

struct race {
    struct data_machine m;
    atomic_int go;
    int32_t cancel_hr;
};

static void *cancel_thread(void *arg)
{
    struct race *r = arg;
    struct state_ticket t;
    while (!atomic_load(&r->go))
        ;
    r->cancel_hr = data_enter(&r->m, DATA_CALL_CANCEL_WRITE, &t);
    if (!r->cancel_hr)
        data_leave(&r->m, &t, DATA_SUCCEEDED);
    return NULL;
}

/* Whatever order CancelWrite and the end of Write take, the object ends
 * READY, never stuck in CANCELLING or WRITING; a late cancel gets 0401. */
static void test_cancel_races_end_of_write(void)
{
    unsigned stuck = 0, cancels = 0, late = 0;
    for (int i = 0; i < 2000; i++) {
        struct race r;
        struct state_ticket t;
        pthread_t th;
        put_state(&r.m, DATA_READY);
        atomic_init(&r.go, 0);
        data_enter(&r.m, DATA_CALL_WRITE, &t);
        pthread_create(&th, NULL, cancel_thread, &r);
        atomic_store(&r.go, 1);
        data_leave(&r.m, &t, i & 1 ? DATA_FAILED : DATA_SUCCEEDED);
        pthread_join(th, NULL);
        cancels += r.cancel_hr == 0;
        late += r.cancel_hr == (int32_t)0xC0AA0401u;
        stuck += data_current(&r.m) != DATA_READY;
    }
    ok(stuck == 0, "%u of 2000 races left the object outside READY (%u cancels accepted)\n", stuck, cancels);
    ok(cancels + late == 2000, "every cancel accepted or refused as not writing (%u + %u)\n", cancels, late);
}

int main(void)
{
    test_every_pair();
    test_documented_orders();
    test_cancel_races_end_of_write();
    return okay_summary("mmc_data_states");
}
