/* The TAO state machine on the host (tests/include/state_table_check.h):
 * every (state, call) pair of the table against a second transcription of
 * docs/tao-audit.md §5 written here in letters, the transitions for every
 * outcome, Microsoft's sample order and PortBurn's, and a CancelAddTrack
 * racing with the end of AddAudioTrack. */
#include "imapi2error.h"
#include "mmc/tao_states.h"
#include "okay.h"
#include "state_table_check.h"

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

/* The refusals by value (0xC0AA05xx), a second source beside imapi2error.h. */
static const struct cell_letter letters[] = {
    { 'r', (int32_t)0xC0AA050Au, 0, -1, -1, -1 },
    { 'p', (int32_t)0xC0AA0503u, 0, -1, -1, -1 },
    { 'n', (int32_t)0xC0AA0502u, 0, -1, -1, -1 },
    { 'w', (int32_t)0xC0AA0500u, 0, -1, -1, -1 },
    { 'x', (int32_t)0xC0AA0501u, 0, -1, -1, -1 },
    { 'b', (int32_t)0xC0AA0504u, 0, -1, -1, -1 },
    { 'q', (int32_t)0xC0AA0003u, 0, -1, -1, -1 },
    { '.', 0, STATE_ANSWER_NONE, -1, -1, -1 },
    { 'D', 0, STATE_ANSWER_DRIVE, -1, -1, -1 },
    { 'C', 0, STATE_ANSWER_CACHE, -1, -1, -1 },
    { 'R', 0, STATE_ANSWER_NONE, -1, TAO_READY, -1 },
    { 'P', 0, STATE_ANSWER_NONE, -1, TAO_PREPARED, -1 },
    { '0', 0, STATE_ANSWER_NONE, -1, TAO_NO_RECORDER, -1 },
    { 'A', 0, STATE_ANSWER_NONE, TAO_ADDING_TRACK, TAO_PREPARED, TAO_PREPARED },
    { 'K', 0, STATE_ANSWER_NONE, TAO_CANCELLING, TAO_CANCELLING, TAO_CANCELLING },
    { 'L', 0, STATE_ANSWER_NONE, -1, TAO_RELEASED, TAO_RELEASED },
    { 'E', 0, STATE_ANSWER_NONE, -1, TAO_READY, TAO_READY },
    { 0 },
};

int main(void)
{
    /* Microsoft's imapi2sample AudioWriter order, and PortBurn's (audit, last section). */
    static const int sample[] = {
        TAO_CALL_PUT_RECORDER, TAO_CALL_PUT_CLIENT_NAME, TAO_CALL_GET_DRIVE_VALUE, TAO_CALL_PREPARE_MEDIA,
        TAO_CALL_ADD_AUDIO_TRACK, TAO_CALL_ADD_AUDIO_TRACK, TAO_CALL_RELEASE_MEDIA, TAO_CALL_CLEAR_RECORDER,
    };
    static const int portburn[] = {
        TAO_CALL_PUT_CLIENT_NAME, TAO_CALL_PUT_RECORDER, TAO_CALL_PREPARE_MEDIA, TAO_CALL_PUT_BUFE,
        TAO_CALL_ADD_AUDIO_TRACK, TAO_CALL_RELEASE_MEDIA, TAO_CALL_CLEAR_RECORDER, TAO_CALL_PUT_CLIENT_NAME,
    };
    check_every_pair(&tao_state_table, expected, letters);
    check_order(&tao_state_table, sample, sizeof(sample) / sizeof(sample[0]), TAO_NO_RECORDER, "sample");
    check_order(&tao_state_table, portburn, sizeof(portburn) / sizeof(portburn[0]), TAO_NO_RECORDER, "PortBurn");
    check_cancel_races_end_of_write(&tao_state_table, TAO_PREPARED, TAO_CALL_ADD_AUDIO_TRACK,
                                    TAO_CALL_CANCEL_ADD_TRACK, TAO_PREPARED);
    return okay_summary("mmc_tao_states");
}
