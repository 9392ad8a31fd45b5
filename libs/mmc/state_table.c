/* The table-driven state machine shared by the writers (state_table.h). */
#include "mmc/state_table.h"

#include <stddef.h>

#define E_UNEXPECTED_HR ((int32_t)0x8000FFFFu)

const struct state_rule *state_table_rule(const struct state_table *t, int state, int call)
{
    if ((unsigned)state >= (unsigned)t->states || (unsigned)call >= (unsigned)t->calls)
        return NULL;
    return &t->rules[state * t->calls + call];
}

static int resolve(const struct state_table *t, int target, int from)
{
    return target == t->states ? from : target;
}

int32_t state_table_enter(const struct state_table *t, atomic_int *state, int call, struct state_ticket *ticket)
{
    int seen = atomic_load(state);
    for (;;) {
        const struct state_rule *rule = state_table_rule(t, seen, call);
        if (!rule)
            return E_UNEXPECTED_HR; /* a call or state outside the table */
        if (rule->refusal)
            return rule->refusal;
        int during = resolve(t, rule->during, seen);
        /* On failure `seen` is reloaded: decide again in the state that won. */
        if (during == seen || atomic_compare_exchange_weak(state, &seen, during)) {
            ticket->call = call;
            ticket->from = seen;
            ticket->rule = rule;
            return 0;
        }
    }
}

int state_table_next(const struct state_table *t, int from, int call, enum state_outcome outcome)
{
    const struct state_rule *rule = state_table_rule(t, from, call);
    if (!rule || rule->refusal || outcome == STATE_REFUSED)
        return from;
    return resolve(t, outcome == STATE_SUCCEEDED ? rule->succeeded : rule->failed, from);
}

void state_table_leave(const struct state_table *t, atomic_int *state, const struct state_ticket *ticket,
                       enum state_outcome outcome)
{
    int next = state_table_next(t, ticket->from, ticket->call, outcome);
    /* Where enter already put the machine, nothing is stored: a call that
     * ends where it ran cannot undo what another thread did meanwhile (a
     * cancel, or the end of the write a cancel raced with). */
    if (next == resolve(t, ticket->rule->during, ticket->from))
        return;
    atomic_store(state, next);
}

static const char *name_of(const char *const *names, int count, int i)
{
    return names && (unsigned)i < (unsigned)count ? names[i] : "?";
}

const char *state_table_state_name(const struct state_table *t, int state)
{
    return name_of(t->state_names, t->states, state);
}

const char *state_table_call_name(const struct state_table *t, int call)
{
    return name_of(t->call_names, t->calls, call);
}

void state_machine_init(struct state_machine *m, const struct state_table *t)
{
    atomic_init(&m->state, 0);
    m->table = t;
}

int state_machine_current(const struct state_machine *m)
{
    return atomic_load((atomic_int *)&m->state);
}
