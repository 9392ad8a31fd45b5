/* The cells a writer's state table (rawcd_states.c, tao_states.c) is
 * written in. Private to those files: define STATE_KEEP (the writer's state
 * count, "the state the call was entered in") before the table. */
#ifndef IMAPI2_MMC_STATE_CELLS_H
#define IMAPI2_MMC_STATE_CELLS_H

#include "mmc/state_table.h"

/* Goes ahead and leaves the state as it was. */
#define STAY { 0, STATE_KEEP, STATE_KEEP, STATE_KEEP, STATE_ANSWER_NONE }
/* ... and moves to `next` when it succeeds. */
#define GO(next) { 0, STATE_KEEP, next, STATE_KEEP, STATE_ANSWER_NONE }
/* ... and moves to `next` whether it succeeds or fails. */
#define END(next) { 0, STATE_KEEP, next, next, STATE_ANSWER_NONE }
/* Runs in `during`, then moves to `succeeded` or `failed`. */
#define RUN(during, succeeded, failed) { 0, during, succeeded, failed, STATE_ANSWER_NONE }
/* Refused with hr. */
#define NO(hr) { (int32_t)(hr), STATE_KEEP, STATE_KEEP, STATE_KEEP, STATE_ANSWER_NONE }
/* A get that asks the drive, or answers from what the session read. */
#define ASK { 0, STATE_KEEP, STATE_KEEP, STATE_KEEP, STATE_ANSWER_DRIVE }
#define CACHED { 0, STATE_KEEP, STATE_KEEP, STATE_KEEP, STATE_ANSWER_CACHE }

#endif
