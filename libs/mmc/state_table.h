/* A table-driven state machine for the IDiscFormat2 writers (RawCD, TAO):
 * a rule per (state, call) says whether the call is refused, the state while
 * it runs, the state it leaves on success or failure, and where a property
 * get takes its answer. state_table_enter() checks a call and moves to its
 * `during` state atomically (a cancel may come from another thread);
 * state_table_leave() applies the outcome. Each writer owns its table
 * (rawcd_states.c, tao_states.c), written with the cells of state_cells.h;
 * its object keeps a struct state_machine over it. */
#ifndef IMAPI2_MMC_STATE_TABLE_H
#define IMAPI2_MMC_STATE_TABLE_H

#include <stdatomic.h>
#include <stdint.h>

/* Where a get takes its answer: from the drive now, or from what the
 * session read (the drive is busy or the value belongs to the prepared disc). */
enum state_answer { STATE_ANSWER_NONE, STATE_ANSWER_DRIVE, STATE_ANSWER_CACHE };

struct state_rule {
    int32_t refusal;  /* an HRESULT; 0: the call goes ahead */
    int during;       /* while the call runs */
    int succeeded;    /* after it succeeded */
    int failed;       /* after it failed having changed the disc or drive */
    int answer;       /* enum state_answer */
};

/* rules[state * calls + call]; a target equal to `states` means "the state
 * the call was entered in". State 0 is where a new object starts. */
struct state_table {
    const struct state_rule *rules;
    int states, calls;
    const char *const *state_names; /* states of them, for messages */
    const char *const *call_names;  /* calls of them */
};

/* How a call that went ahead ended. REFUSED: it changed nothing, so the
 * object returns to the state it was entered in. */
enum state_outcome { STATE_SUCCEEDED, STATE_FAILED, STATE_REFUSED };

struct state_ticket {
    int call, from;
    const struct state_rule *rule;
};

const struct state_rule *state_table_rule(const struct state_table *t, int state, int call);
/* The refusal HRESULT, or 0 with *state moved to the rule's `during`. */
int32_t state_table_enter(const struct state_table *t, atomic_int *state, int call, struct state_ticket *ticket);
int state_table_next(const struct state_table *t, int from, int call, enum state_outcome outcome);
void state_table_leave(const struct state_table *t, atomic_int *state, const struct state_ticket *ticket,
                       enum state_outcome outcome);
const char *state_table_state_name(const struct state_table *t, int state);
const char *state_table_call_name(const struct state_table *t, int call);

/* One object's machine: its state (another thread's cancel may move it) over a table. */
struct state_machine {
    atomic_int state;
    const struct state_table *table;
};
void state_machine_init(struct state_machine *m, const struct state_table *t);
int state_machine_current(const struct state_machine *m);
static inline int32_t state_machine_enter(struct state_machine *m, int call, struct state_ticket *ticket)
{
    return state_table_enter(m->table, &m->state, call, ticket);
}
static inline void state_machine_leave(struct state_machine *m, const struct state_ticket *ticket,
                                       enum state_outcome outcome)
{
    state_table_leave(m->table, &m->state, ticket, outcome);
}

#endif
