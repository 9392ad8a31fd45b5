/* The IDiscFormat2Erase state machine as one table, in the form of the
 * writers' (state_table.h): for each (state, call) whether the call is
 * refused, the state while it runs and the state it leaves behind. The COM
 * object (dlls/imapi2/erase.c) brackets every call that depends on its state
 * with erase_state_enter() / erase_state_leave(); the host test visits every
 * pair. The erase protocol itself is blank.c. */
#ifndef IMAPI2_ERASE_STATES_H
#define IMAPI2_ERASE_STATES_H

#include <stdatomic.h>
#include <stdint.h>

#include "mmc/state_table.h"

enum erase_state {
    ERASE_NO_RECORDER,
    ERASE_READY,   /* a recorder is set */
    ERASE_ERASING, /* inside EraseMedia, seen from Update or another thread */
    ERASE_STATE_COUNT
};

enum erase_call {
    ERASE_CALL_PUT_RECORDER,    /* put_Recorder(recorder) */
    ERASE_CALL_CLEAR_RECORDER,  /* put_Recorder(NULL) */
    ERASE_CALL_PUT_CLIENT_NAME,
    ERASE_CALL_PUT_FULL_ERASE,
    ERASE_CALL_ERASE_MEDIA,
    ERASE_CALL_GET_DRIVE_VALUE, /* MediaPhysically/HeuristicallyBlank, CurrentPhysicalMediaType */
    ERASE_CALL_COUNT
};

/* ERASE_KEEP in a rule: the state the call was entered in. */
#define ERASE_KEEP ERASE_STATE_COUNT

enum erase_outcome { ERASE_SUCCEEDED = STATE_SUCCEEDED, ERASE_FAILED = STATE_FAILED, ERASE_REFUSED = STATE_REFUSED };

struct erase_machine {
    atomic_int state; /* enum erase_state; an Update handler may call in while ERASING */
};

void erase_machine_init(struct erase_machine *m);
enum erase_state erase_current(const struct erase_machine *m);
int32_t erase_state_enter(struct erase_machine *m, enum erase_call call, struct state_ticket *ticket);
void erase_state_leave(struct erase_machine *m, const struct state_ticket *ticket, enum erase_outcome outcome);
const struct state_rule *erase_state_rule(enum erase_state state, enum erase_call call);
enum erase_state erase_next_state(enum erase_state from, enum erase_call call, enum erase_outcome outcome);
const char *erase_state_name(enum erase_state state);
const char *erase_call_name(enum erase_call call);

#endif
