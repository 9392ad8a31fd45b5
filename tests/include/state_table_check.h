/* Host checks of a writer's state table (libs/mmc/state_table.h), shared by
 * tests/unit/test_mmc_*_states.c: every (state, call) pair against a second
 * transcription of the contract written in letters (so a typo in either
 * shows), the transitions enter/leave apply for every outcome, a call order
 * replayed, and a cancel racing with the end of a write from two threads.
 * Include after okay.h; link -lpthread. */
#ifndef IMAPI2_TEST_STATE_TABLE_CHECK_H
#define IMAPI2_TEST_STATE_TABLE_CHECK_H

#include <pthread.h>
#include <string.h>

#include "mmc/state_table.h"

/* What one letter of the transcription means. -1 in during, succeeded or
 * failed: the state the call was entered in. */
struct cell_letter {
    char c;
    int32_t refusal; /* nonzero: refused with it */
    int answer;      /* enum state_answer */
    int during, succeeded, failed;
};

static inline const struct cell_letter *check_letter(const struct cell_letter *letters, char c)
{
    for (; letters->c; letters++)
        if (letters->c == c)
            return letters;
    return NULL;
}

static inline int check_resolve(int target, int from)
{
    return target < 0 ? from : target;
}

static inline void check_put_state(struct state_machine *m, const struct state_table *t, int state)
{
    state_machine_init(m, t);
    atomic_store(&m->state, state);
}

/* One cell goes ahead: where it runs, what it answers, where each outcome leaves it. */
static inline void check_cell_ahead(const struct state_table *t, const struct cell_letter *l, int state, int call)
{
    static const enum state_outcome outcomes[] = { STATE_SUCCEEDED, STATE_FAILED, STATE_REFUSED };
    const char *what = state_table_call_name(t, call), *in = state_table_state_name(t, state);
    const struct state_rule *rule = state_table_rule(t, state, call);
    struct state_machine m;
    struct state_ticket ticket;
    ok(rule->answer == l->answer, "%s in %s: answer %d, expected %d\n", what, in, rule->answer, l->answer);
    for (size_t o = 0; o < sizeof(outcomes) / sizeof(outcomes[0]); o++) {
        int want = outcomes[o] == STATE_SUCCEEDED ? check_resolve(l->succeeded, state)
                   : outcomes[o] == STATE_FAILED  ? check_resolve(l->failed, state)
                                                  : state;
        check_put_state(&m, t, state);
        ok(state_machine_enter(&m, call, &ticket) == 0, "enter again\n");
        ok(state_machine_current(&m) == check_resolve(l->during, state), "%s in %s: runs in %s\n", what, in,
           state_table_state_name(t, state_machine_current(&m)));
        state_machine_leave(&m, &ticket, outcomes[o]);
        ok(state_machine_current(&m) == want, "%s in %s, outcome %d: left %s, expected %s\n", what, in,
           (int)outcomes[o], state_table_state_name(t, state_machine_current(&m)), state_table_state_name(t, want));
        ok(state_table_next(t, state, call, outcomes[o]) == want, "%s in %s: state_table_next agrees\n", what, in);
    }
}

/* expected[call] is a string of one letter per state. */
static inline void check_every_pair(const struct state_table *t, const char *const *expected,
                                    const struct cell_letter *letters)
{
    unsigned cells = 0;
    for (int call = 0; call < t->calls; call++) {
        ok(expected[call] && strlen(expected[call]) == (size_t)t->states, "row %d transcribed\n", call);
        if (!expected[call] || strlen(expected[call]) != (size_t)t->states)
            continue;
        for (int state = 0; state < t->states; state++) {
            const char *what = state_table_call_name(t, call), *in = state_table_state_name(t, state);
            const struct cell_letter *l = check_letter(letters, expected[call][state]);
            struct state_machine m;
            struct state_ticket ticket;
            ok(l != NULL, "%s in %s: letter %c unknown\n", what, in, expected[call][state]);
            if (!l)
                continue;
            cells++;
            check_put_state(&m, t, state);
            int32_t hr = state_machine_enter(&m, call, &ticket);
            ok(hr == l->refusal, "%s in %s: %#x, expected %#x\n", what, in, (unsigned)hr, (unsigned)l->refusal);
            if (hr)
                ok(state_machine_current(&m) == state, "%s in %s: a refusal moved the state\n", what, in);
            else
                check_cell_ahead(t, l, state, call);
        }
    }
    ok(cells == (unsigned)(t->states * t->calls), "%u cells visited\n", cells);
    struct state_machine m;
    struct state_ticket ticket;
    state_machine_init(&m, t);
    ok(state_machine_current(&m) == 0, "a new object starts in %s\n", state_table_state_name(t, 0));
    ok(state_machine_enter(&m, t->calls, &ticket) == (int32_t)0x8000FFFFu, "a call outside the table\n");
    ok(!state_table_rule(t, t->states, 0), "a state outside the table\n");
    ok(!strcmp(state_table_state_name(t, t->states), "?") && !strcmp(state_table_call_name(t, -1), "?"),
       "names outside the table\n");
}

/* A call order that must go ahead call by call and end in `end`. */
static inline void check_order(const struct state_table *t, const int *order, size_t n, int end, const char *name)
{
    struct state_machine m;
    state_machine_init(&m, t);
    for (size_t i = 0; i < n; i++) {
        struct state_ticket ticket;
        int32_t hr = state_machine_enter(&m, order[i], &ticket);
        ok(hr == 0, "%s: %s refused in %s: %#x\n", name, state_table_call_name(t, order[i]),
           state_table_state_name(t, state_machine_current(&m)), (unsigned)hr);
        if (!hr)
            state_machine_leave(&m, &ticket, STATE_SUCCEEDED);
    }
    ok(state_machine_current(&m) == end, "%s ends %s, got %s\n", name, state_table_state_name(t, end),
       state_table_state_name(t, state_machine_current(&m)));
}

struct check_race {
    struct state_machine m;
    atomic_int go;
    int cancel_call;
    int32_t cancel_hr;
};

static inline void *check_cancel_thread(void *arg)
{
    struct check_race *r = arg;
    struct state_ticket ticket;
    while (!atomic_load(&r->go))
        ;
    r->cancel_hr = state_machine_enter(&r->m, r->cancel_call, &ticket);
    if (!r->cancel_hr)
        state_machine_leave(&r->m, &ticket, STATE_SUCCEEDED);
    return NULL;
}

/* Whatever order the cancel and the end of the write take (the write
 * succeeding or failing), the object ends in `end`, never stuck in the
 * writing or cancelling state. */
static inline void check_cancel_races_end_of_write(const struct state_table *t, int prepared, int write_call,
                                                   int cancel_call, int end)
{
    unsigned stuck = 0, cancels = 0;
    for (int i = 0; i < 2000; i++) {
        struct check_race r;
        struct state_ticket ticket;
        pthread_t th;
        check_put_state(&r.m, t, prepared);
        atomic_init(&r.go, 0);
        r.cancel_call = cancel_call;
        state_machine_enter(&r.m, write_call, &ticket);
        pthread_create(&th, NULL, check_cancel_thread, &r);
        atomic_store(&r.go, 1);
        state_machine_leave(&r.m, &ticket, i & 1 ? STATE_FAILED : STATE_SUCCEEDED);
        pthread_join(th, NULL);
        cancels += r.cancel_hr == 0;
        stuck += state_machine_current(&r.m) != end;
    }
    ok(stuck == 0, "%u of 2000 races left the object outside %s (%u cancels accepted)\n", stuck,
       state_table_state_name(t, end), cancels);
}

#endif
