/* The IDiscFormat2RawCDEventArgs object an Update event carries. */
#ifndef IMAPI2_RAWCD_PROGRESS_H
#define IMAPI2_RAWCD_PROGRESS_H

#include "imapi2_private.h"

struct rawcd_progress_values {
    IMAPI_FORMAT2_RAW_CD_WRITE_ACTION action;
    LONG start_lba, sector_count, last_read_lba, last_written_lba;
    LONG total_system_buffer, used_system_buffer, free_system_buffer;
    LONG elapsed_s, remaining_s;
};

/* A new event-args object holding a copy of values; *out has one reference. */
HRESULT rawcd_progress_create(const struct rawcd_progress_values *values, IDispatch **out);

#endif
