/* The virtual recorder: an MMC CD-R/RW, DVD±R and BD-R drive in software (the SCSI target
 * side). Commands arrive through vrec_execute() whatever carries them (the
 * in-process "virtual" transport, later a kernel TCMU ring). The disc lives in
 * files (see libs/vrec/README.md) so another process sees what was written. */
#ifndef IMAPI2_VREC_H
#define IMAPI2_VREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transport/transport.h"
#include "transport/clock.h"

enum vrec_media_kind {
    VREC_MEDIA_NONE = 0,
    VREC_MEDIA_CDR74,        /* blank CD-R, 74 min ATIP */
    VREC_MEDIA_CDR80,        /* blank CD-R, 80 min ATIP */
    VREC_MEDIA_CDRW,         /* blank CD-RW, 80 min */
    VREC_MEDIA_CDR_CLOSED,   /* written and closed CD-R (one data track) */
    VREC_MEDIA_CDRW_WRITTEN, /* written CD-RW (one data track) */
    VREC_MEDIA_CDROM,        /* pressed CD-ROM (one data track) */
    VREC_MEDIA_DVD,          /* DVD-ROM: the drive reads it, cannot burn CD on it */
    VREC_MEDIA_CDR_PROTECTED, /* blank CD-R that refuses writes (write protect) */
    VREC_MEDIA_DVDPLUSR,     /* blank DVD+R, 4.7 GB, recorded sequentially (cmd_seq.c) */
    VREC_MEDIA_BDR,          /* blank BD-R, 25 GB, sequential recording mode (cmd_seq.c) */
    VREC_MEDIA_DVDR,         /* blank DVD-R, 4.7 GB, incremental recording with page 05 (cmd_seq.c) */
    VREC_MEDIA_KIND_COUNT
};

/* Name used in config files and in the media state file ("cdr80", ...). */
const char *vrec_media_kind_name(enum vrec_media_kind kind);
/* Kind from its name; false when unknown. */
bool vrec_media_kind_from_name(const char *name, enum vrec_media_kind *out);

/* Disc state as seen by READ DISC INFORMATION. */
enum vrec_disc_state {
    VREC_DISC_BLANK = 0,
    VREC_DISC_WRITING,       /* a raw write is in progress */
    VREC_DISC_CLOSED,        /* complete, TOC valid */
    VREC_DISC_INDETERMINATE, /* write stopped midway: not blank, no valid TOC */
    VREC_DISC_OPEN           /* track-at-once: tracks recorded, session open (no lead-in yet), appendable */
};

struct vrec_config {
    const char *media_path;      /* state file; sectors go to "<path>.sectors"; NULL: empty tray */
    enum vrec_media_kind media_kind; /* used to create the media file when it does not exist */
    unsigned speed;              /* maximum write speed in x (1..52); 0: 52 */
    uint32_t buffer_bytes;       /* drive buffer; 0: 2 MiB */
    const char *vendor;          /* INQUIRY, 8 chars max; NULL: "IMAPI2" */
    const char *product;         /* 16 chars max; NULL: "VIRTUAL CD-RW" */
    const char *revision;        /* 4 chars max; NULL: "1.0" */
    const char *fault_script;    /* text, one rule a line; NULL: none */
    bool unthrottled;            /* no simulated time: buffer never underruns */
    unsigned raw_block_types;    /* bit n: page 05 takes data block type n for RAW (n = 1..3); 0: all three;
                                  * VREC_RAW_NONE: a drive without raw DAO (mastering feature says so) */
    bool no_tao;                 /* a drive without the CD Track at Once write type: no feature 002Dh,
                                  * page 05 refuses write type 01 */
};

#define VREC_RAW_ALL 0x0Eu
#define VREC_RAW_NONE 0x01u

#define VREC_SENSE_LEN 18

struct vrec_status {
    enum transport_result transport; /* TRANSPORT_OK unless the device is gone or the command was cancelled */
    uint8_t status;                  /* SCSI status */
    uint8_t sense[VREC_SENSE_LEN];   /* fixed format (0x70), valid when sense_len != 0 */
    uint8_t sense_len;
    uint32_t resid;                  /* bytes of the data buffer not transferred */
};

struct vrec_counters {
    uint64_t commands;
    uint64_t per_opcode[256];
    uint64_t bytes_written;       /* WRITE payload bytes accepted */
    uint64_t sectors_written;
    uint64_t buffer_low_water;    /* lowest fill (bytes) at a WRITE once the buffer had been full; UINT64_MAX before */
    uint64_t underruns;           /* buffer ran empty during a write (BUFE on or off) */
    uint64_t sim_time_us;         /* simulated time the drive spent recording, blanking and waiting */
};

struct vrec_drive;

/* Errors: 0 ok, -1 out of memory, -2 media file unreadable,
 * VREC_ERR_FAULT_SCRIPT, VREC_ERR_SETTING (vrec_config_check says which). */
#define VREC_ERR_FAULT_SCRIPT (-3)
#define VREC_ERR_SETTING (-4)
/* clock: the drive's time (a simulated clock advances in sleep_us; a sleep
 * cut short, nonzero, becomes TRANSPORT_ERR_CANCELLED). */
int vrec_open(const struct vrec_config *cfg, const struct io_clock *clock, struct vrec_drive **out);
void vrec_close(struct vrec_drive *d);

/* Runs one command. cdb_len must be at least the opcode's CDB length. */
void vrec_execute(struct vrec_drive *d, const uint8_t *cdb, size_t cdb_len, enum scsi_direction dir,
                  void *buf, uint32_t len, struct vrec_status *out);

/* The dispatch table, for tests and fuzzers: every opcode the drive knows. */
struct vrec_command_info {
    uint8_t opcode;
    uint8_t cdb_len;
    enum scsi_direction dir;
    const char *name;
};
const struct vrec_command_info *vrec_command_info(size_t index); /* NULL past the end */

const struct vrec_counters *vrec_counters(const struct vrec_drive *d);
enum vrec_disc_state vrec_disc_state(struct vrec_drive *d);

/* Creates (or replaces) a media file of a kind. 0 ok, -1 bad kind, -2 I/O. */
int vrec_media_create(const char *path, enum vrec_media_kind kind);

/* The checks vrec_open makes on a configuration before using it: 0, or
 * VREC_ERR_SETTING / VREC_ERR_FAULT_SCRIPT with a message in err that names
 * the setting as the registry does and its value ("Speed 53 is not a speed
 * from 1 to 52 ...", "FaultScript line 2: unknown rule"). */
int vrec_config_check(const struct vrec_config *cfg, char *err, size_t err_len);

/* Validates a fault script; on error returns the 1-based line number and
 * writes a message to err. 0 when valid. */
int vrec_fault_check(const char *script, char *err, size_t err_len);

/* Exports a closed disc. base is a path without extension: writes base.img,
 * base.sub, base.ccd (CloneCD) or base.bin + base.cue. 0 ok, -1 disc not
 * closed, -2 I/O error. */
int vrec_export_clonecd(const char *media_path, const char *base);
int vrec_export_cue_bin(const char *media_path, const char *base);

#endif
