/* The TAO state machine on the host: every (state, call) pair of the table
 * against a second transcription of docs/tao-audit.md §5 written here in
 * letters (so a typo in either shows), the transitions tao_enter()/tao_leave()
 * apply for every outcome, Microsoft's sample order, and a CancelAddTrack
 * racing with the end of AddAudioTrack from two threads. */
#include <pthread.h>
#include <string.h>

#include "imapi2error.h"
#include "mmc/tao_states.h"
#include "okay.h"

/* One letter per cell: the refusal, or what the call does when it goes ahead.
 *   r NO_RECORDER_SPECIFIED  p MEDIA_IS_PREPARED  n MEDIA_IS_NOT_PREPARED
 *   w WRITE_IN_PROGRESS      x WRITE_NOT_IN_PROGRESS
 *   b PROPERTY_FOR_BLANK_MEDIA_ONLY  q RECORDER_REQUIRED
 *   . goes ahead, state kept   D asks the drive   C answers from the session
 *   R -> READY  P -> PREPARED  0 -> NO_RECORDER  A -> ADDING_TRACK, then PREPARED
 *   K -> CANCELLING  L -> RELEASED  E -> READY (both: even when closing fails) */
static const char *const expected[TAO_CALL_COUNT] = {
    /*                                NO_REC READY PREP ADDING CANCELLING RELEASED */
    [TAO_CALL_PUT_RECORDER] =           "R.pwwR",
    [TAO_CALL_CLEAR_RECORDER] =         ".0pww0",
    [TAO_CALL_PUT_CLIENT_NAME] =        "..pww.",
    [TAO_CALL_PREPARE_MEDIA] =          "rPpwwP",
    [TAO_CALL_ADD_AUDIO_TRACK] =        "nnAwwn",
    [TAO_CALL_CANCEL_ADD_TRACK] =       "xxxK.x",
    [TAO_CALL_RELEASE_MEDIA] =          "nnLwwn",
    [TAO_CALL_RELEASE_UNWRITTEN] =      "nnEwwn",
    [TAO_CALL_SET_WRITE_SPEED] =        "q..ww.",
    [TAO_CALL_PUT_BUFE] =               "nn.wwn",
    [TAO_CALL_PUT_DO_NOT_FINALIZE] =    "..pwwb",
    [TAO_CALL_PUT_VERIFICATION] =       "...ww.",
    [TAO_CALL_GET_SESSION_VALUE] =      "nnCCCn",
    [TAO_CALL_GET_TOC] =                "nnCwwn",
    [TAO_CALL_GET_DRIVE_VALUE] =        "rDDCCD",
};

static int32_t refusal_of(char c)
{
    switch (c) {
    case 'r': return (int32_t)0xC0AA050Au;
    case 'p': return (int32_t)0xC0AA0503u;
    case 'n': return (int32_t)0xC0AA0502u;
    case 'w': return (int32_t)0xC0AA0500u;
    case 'x': return (int32_t)0xC0AA0501u;
    case 'b': return (int32_t)0xC0AA0504u;
    case 'q': return (int32_t)0xC0AA0003u;
    default: return 0;
    }
}

static enum tao_state after(char c, enum tao_state from, enum tao_outcome outcome)
{
    if (outcome == TAO_REFUSED)
        return from;
    switch (c) {
    case 'A': return TAO_PREPARED;
    case 'K': return TAO_CANCELLING;
    case 'L': return TAO_RELEASED;
    case 'E': return TAO_READY;
    default: break;
    }
    if (outcome == TAO_FAILED)
        return from;
    switch (c) {
    case 'R': return TAO_READY;
    case 'P': return TAO_PREPARED;
    case '0': return TAO_NO_RECORDER;
    default: return from;
    }
}

static void put_state(struct tao_machine *m, enum tao_state s)
{
    tao_machine_init(m);
    atomic_store(&m->state, (int)s);
}

static void test_every_pair(void)
{
    static const enum tao_outcome outcomes[] = { TAO_SUCCEEDED, TAO_FAILED, TAO_REFUSED };
    unsigned cells = 0;
    for (int call = 0; call < TAO_CALL_COUNT; call++) {
        ok(expected[call] && strlen(expected[call]) == TAO_STATE_COUNT, "row %d transcribed\n", call);
        if (!expected[call] || strlen(expected[call]) != TAO_STATE_COUNT)
            continue;
        for (int state = 0; state < TAO_STATE_COUNT; state++) {
            char c = expected[call][state];
            const char *what = tao_call_name((enum tao_call)call);
            const char *in = tao_state_name((enum tao_state)state);
            const struct state_rule *rule = tao_state_rule((enum tao_state)state, (enum tao_call)call);
            struct tao_machine m;
            struct state_ticket t;
            cells++;
            put_state(&m, (enum tao_state)state);
            int32_t hr = tao_enter(&m, (enum tao_call)call, &t);
            ok(hr == refusal_of(c), "%s in %s: %#x, expected %#x\n", what, in, (unsigned)hr, (unsigned)refusal_of(c));
            if (hr) {
                ok(tao_current(&m) == (enum tao_state)state, "%s in %s: a refusal moved the state\n", what, in);
                continue;
            }
            int answer = c == 'D' ? STATE_ANSWER_DRIVE : c == 'C' ? STATE_ANSWER_CACHE : STATE_ANSWER_NONE;
            ok(rule->answer == answer, "%s in %s: answer %d, expected %d\n", what, in, rule->answer, answer);
            enum tao_state during = c == 'A' ? TAO_ADDING_TRACK : c == 'K' ? TAO_CANCELLING : (enum tao_state)state;
            ok(tao_current(&m) == during, "%s in %s: runs in %s\n", what, in, tao_state_name(tao_current(&m)));
            for (size_t o = 0; o < sizeof(outcomes) / sizeof(outcomes[0]); o++) {
                enum tao_state want = after(c, (enum tao_state)state, outcomes[o]);
                put_state(&m, (enum tao_state)state);
                ok(tao_enter(&m, (enum tao_call)call, &t) == 0, "enter again\n");
                tao_leave(&m, &t, outcomes[o]);
                ok(tao_current(&m) == want, "%s in %s, outcome %d: left %s, expected %s\n", what, in,
                   (int)outcomes[o], tao_state_name(tao_current(&m)), tao_state_name(want));
                ok(tao_next_state((enum tao_state)state, (enum tao_call)call, outcomes[o]) == want,
                   "%s in %s: tao_next_state agrees\n", what, in);
            }
        }
    }
    ok(cells == TAO_STATE_COUNT * TAO_CALL_COUNT, "%u cells visited\n", cells);
    struct tao_machine m;
    struct state_ticket t;
    tao_machine_init(&m);
    ok(tao_current(&m) == TAO_NO_RECORDER, "a new object has no recorder\n");
    ok(tao_enter(&m, TAO_CALL_COUNT, &t) == (int32_t)0x8000FFFFu, "a call outside the table\n");
    ok(!tao_state_rule(TAO_STATE_COUNT, TAO_CALL_PREPARE_MEDIA), "a state outside the table\n");
}

static void run(struct tao_machine *m, const enum tao_call *order, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct state_ticket t;
        int32_t hr = tao_enter(m, order[i], &t);
        ok(hr == 0, "%s refused in %s: %#x\n", tao_call_name(order[i]), tao_state_name(tao_current(m)),
           (unsigned)hr);
        if (!hr)
            tao_leave(m, &t, TAO_SUCCEEDED);
    }
}

/* Microsoft's imapi2sample AudioWriter order, and PortBurn's (audit, last section). */
static void test_documented_orders(void)
{
    static const enum tao_call sample[] = {
        TAO_CALL_PUT_RECORDER, TAO_CALL_PUT_CLIENT_NAME, TAO_CALL_GET_DRIVE_VALUE, TAO_CALL_PREPARE_MEDIA,
        TAO_CALL_ADD_AUDIO_TRACK, TAO_CALL_ADD_AUDIO_TRACK, TAO_CALL_RELEASE_MEDIA, TAO_CALL_CLEAR_RECORDER,
    };
    static const enum tao_call portburn[] = {
        TAO_CALL_PUT_CLIENT_NAME, TAO_CALL_PUT_RECORDER, TAO_CALL_PREPARE_MEDIA, TAO_CALL_PUT_BUFE,
        TAO_CALL_ADD_AUDIO_TRACK, TAO_CALL_RELEASE_MEDIA, TAO_CALL_CLEAR_RECORDER, TAO_CALL_PUT_CLIENT_NAME,
    };
    struct tao_machine m;
    tao_machine_init(&m);
    run(&m, sample, sizeof(sample) / sizeof(sample[0]));
    ok(tao_current(&m) == TAO_NO_RECORDER, "sample ends NO_RECORDER, got %s\n", tao_state_name(tao_current(&m)));
    tao_machine_init(&m);
    run(&m, portburn, sizeof(portburn) / sizeof(portburn[0]));
    ok(tao_current(&m) == TAO_NO_RECORDER, "PortBurn ends NO_RECORDER, got %s\n", tao_state_name(tao_current(&m)));
}

struct race {
    struct tao_machine m;
    atomic_int go;
    int32_t cancel_hr;
};

static void *cancel_thread(void *arg)
{
    struct race *r = arg;
    struct state_ticket t;
    while (!atomic_load(&r->go))
        ;
    r->cancel_hr = tao_enter(&r->m, TAO_CALL_CANCEL_ADD_TRACK, &t);
    if (!r->cancel_hr)
        tao_leave(&r->m, &t, TAO_SUCCEEDED);
    return NULL;
}

/* Whatever order CancelAddTrack and the end of AddAudioTrack take, the
 * object ends PREPARED, never stuck in CANCELLING or ADDING_TRACK. */
static void test_cancel_races_end_of_track(void)
{
    unsigned stuck = 0, cancels = 0;
    for (int i = 0; i < 2000; i++) {
        struct race r;
        struct state_ticket t;
        pthread_t th;
        put_state(&r.m, TAO_PREPARED);
        atomic_init(&r.go, 0);
        tao_enter(&r.m, TAO_CALL_ADD_AUDIO_TRACK, &t);
        pthread_create(&th, NULL, cancel_thread, &r);
        atomic_store(&r.go, 1);
        tao_leave(&r.m, &t, i & 1 ? TAO_FAILED : TAO_SUCCEEDED);
        pthread_join(th, NULL);
        cancels += r.cancel_hr == 0;
        stuck += tao_current(&r.m) != TAO_PREPARED;
    }
    ok(stuck == 0, "%u of 2000 races left the object outside PREPARED (%u cancels accepted)\n", stuck, cancels);
}

int main(void)
{
    test_every_pair();
    test_documented_orders();
    test_cancel_races_end_of_track();
    return okay_summary("mmc_tao_states");
}
