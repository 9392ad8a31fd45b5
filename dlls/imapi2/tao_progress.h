/* The IDiscFormat2TrackAtOnceEventArgs object a TAO Update event carries. */
#ifndef IMAPI2_TAO_PROGRESS_H
#define IMAPI2_TAO_PROGRESS_H

#include "imapi2_private.h"

struct tao_progress_values {
    LONG track;
    IMAPI_FORMAT2_TAO_WRITE_ACTION action;
    LONG start_lba, sector_count, last_read_lba, last_written_lba;
    LONG total_system_buffer, used_system_buffer, free_system_buffer;
    LONG elapsed_s, remaining_s;
};

/* A new event-args object holding a copy of values; *out has one reference. */
HRESULT tao_progress_create(const struct tao_progress_values *values, IDispatch **out);

#endif
