/* The RawCD state machine on the host (tests/include/state_table_check.h):
 * every (state, call) pair of the table against a second transcription of
 * ../shared/spec/rawcd-state-machine.md written here in letters, the
 * transitions for every outcome, Microsoft's sample order, a refused write
 * that may be retried, and a CancelWrite racing with the end of a write. */
#include "imapi2error.h"
#include "mmc/rawcd_states.h"
#include "okay.h"
#include "state_table_check.h"

/* One letter per cell: the refusal, or what the call does when it goes ahead.
 *   r NO_RECORDER_SPECIFIED  p MEDIA_IS_PREPARED  n MEDIA_IS_NOT_PREPARED
 *   w WRITE_IN_PROGRESS      x WRITE_NOT_IN_PROGRESS  b MEDIA_IS_NOT_BLANK
 *   q RECORDER_REQUIRED      e E_POINTER
 *   . goes ahead, state kept   D asks the drive   C answers from the cache
 *   R -> READY  P -> PREPARED  0 -> NO_RECORDER  W -> WRITING, then DONE
 *   (succeeded or failed)  K -> CANCELLING */
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

static const struct cell_letter letters[] = {
    { 'r', E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED, 0, -1, -1, -1 },
    { 'p', E_IMAPI_DF2RAW_MEDIA_IS_PREPARED, 0, -1, -1, -1 },
    { 'n', E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED, 0, -1, -1, -1 },
    { 'w', E_IMAPI_DF2RAW_WRITE_IN_PROGRESS, 0, -1, -1, -1 },
    { 'x', E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS, 0, -1, -1, -1 },
    { 'b', E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK, 0, -1, -1, -1 },
    { 'q', E_IMAPI_RECORDER_REQUIRED, 0, -1, -1, -1 },
    { 'e', (int32_t)0x80004003u, 0, -1, -1, -1 },
    { '.', 0, STATE_ANSWER_NONE, -1, -1, -1 },
    { 'D', 0, STATE_ANSWER_DRIVE, -1, -1, -1 },
    { 'C', 0, STATE_ANSWER_CACHE, -1, -1, -1 },
    { 'R', 0, STATE_ANSWER_NONE, -1, RAWCD_READY, -1 },
    { 'P', 0, STATE_ANSWER_NONE, -1, RAWCD_PREPARED, -1 },
    { '0', 0, STATE_ANSWER_NONE, -1, RAWCD_NO_RECORDER, -1 },
    { 'W', 0, STATE_ANSWER_NONE, RAWCD_WRITING, RAWCD_DONE, RAWCD_DONE },
    { 'K', 0, STATE_ANSWER_NONE, RAWCD_CANCELLING, RAWCD_CANCELLING, RAWCD_CANCELLING },
    { 0 },
};

/* A stream refused before the first WRITE leaves the object PREPARED, so a
 * second WriteMedia goes ahead. */
static void test_refused_write_retries(void)
{
    struct state_machine m;
    struct state_ticket t;
    check_put_state(&m, &rawcd_state_table, RAWCD_PREPARED);
    ok(state_machine_enter(&m, RAWCD_CALL_WRITE_MEDIA, &t) == 0 && state_machine_current(&m) == RAWCD_WRITING,
       "writing\n");
    state_machine_leave(&m, &t, STATE_REFUSED);
    ok(state_machine_current(&m) == RAWCD_PREPARED, "refused write: %s\n",
       state_table_state_name(&rawcd_state_table, state_machine_current(&m)));
    ok(state_machine_enter(&m, RAWCD_CALL_WRITE_MEDIA, &t) == 0, "second WriteMedia goes ahead\n");
}

int main(void)
{
    static const int sample[] = {
        RAWCD_CALL_PUT_RECORDER, RAWCD_CALL_PUT_CLIENT_NAME, RAWCD_CALL_PREPARE_MEDIA,
        RAWCD_CALL_PUT_WRITE_SETTING, RAWCD_CALL_GET_PREPARED_VALUE, RAWCD_CALL_WRITE_MEDIA,
        RAWCD_CALL_RELEASE_MEDIA,
    };
    check_every_pair(&rawcd_state_table, expected, letters);
    check_order(&rawcd_state_table, sample, sizeof(sample) / sizeof(sample[0]), RAWCD_READY, "sample");
    test_refused_write_retries();
    check_cancel_races_end_of_write(&rawcd_state_table, RAWCD_PREPARED, RAWCD_CALL_WRITE_MEDIA,
                                    RAWCD_CALL_CANCEL_WRITE, RAWCD_DONE);
    return okay_summary("mmc_rawcd_states");
}
