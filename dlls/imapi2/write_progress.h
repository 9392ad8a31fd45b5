/* The event-args objects the writers' Update events carry:
 * IDiscFormat2RawCDEventArgs, IDiscFormat2TrackAtOnceEventArgs and
 * IDiscFormat2DataEventArgs, all IWriteEngine2EventArgs underneath, written
 * once (write_progress.c). */
#ifndef IMAPI2_WRITE_PROGRESS_H
#define IMAPI2_WRITE_PROGRESS_H

#include "imapi2_private.h"

/* The figures of one Update: the engine's, copied when the event fires. */
struct write_progress_values {
    LONG track;                 /* TrackAtOnce's CurrentTrackNumber */
    LONG action;                /* IMAPI_FORMAT2_RAW_CD_WRITE_ACTION, _TAO_WRITE_ACTION or _DATA_WRITE_ACTION */
    LONG start_lba, sector_count, last_read_lba, last_written_lba;
    LONG total_system_buffer, used_system_buffer, free_system_buffer;
    LONG elapsed_s, remaining_s;
    LONG total_s;               /* Data's TotalTime */
};

/* A new event-args object holding a copy of values; *out has one reference. */
HRESULT rawcd_progress_create(const struct write_progress_values *values, IDispatch **out);
HRESULT tao_progress_create(const struct write_progress_values *values, IDispatch **out);
HRESULT data_progress_create(const struct write_progress_values *values, IDispatch **out);

#endif
