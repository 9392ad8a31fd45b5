/* Shared between the files of libs/vrec only. */
#ifndef IMAPI2_VREC_INTERNAL_H
#define IMAPI2_VREC_INTERNAL_H

#include <stdio.h>

#include "mmc/msf.h"
#include "mmc/sector.h"
#include "mmc/subcode.h"
#include "vrec/vrec.h"

#define VREC_SCRAMBLE_BYTES CD_SCRAMBLE_LEN /* ECMA-130 scrambles bytes 12..2351 */
#define VREC_PAGE05_LEN 52
#define VREC_MAX_FAULTS 32
#define VREC_DEFAULT_BUFFER (2u * 1024 * 1024)
#define VREC_MAX_SPEED 52

/* ---- media ---- */

struct vrec_kind_info {
    const char *name;
    uint16_t profile;         /* current profile in GET CONFIGURATION */
    bool is_cd;
    bool recordable;          /* has ATIP, can be raw-written when blank */
    bool erasable;            /* CD-RW */
    bool write_protected;
    enum vrec_disc_state initial;
    int32_t leadin_start;     /* ATIP start of lead-in (LBA); 0 for DVD and BD */
    int32_t last_leadout;     /* ATIP last possible start of lead-out (LBA); DVD and BD: the capacity */
    uint32_t unit;            /* DVD/BD sequential recording (cmd_seq.c): ECC block in sectors; 0: CD */
    bool incremental;         /* DVD-R: recorded with page 05 write type 0 (incremental), closed as it says */
};

const struct vrec_kind_info *vrec_kind(enum vrec_media_kind kind);

struct vrec_toc_entry {
    bool present;
    uint8_t control, adr;
    uint8_t min, sec, frame;     /* running time of the Q frame it came from */
    uint8_t pmin, psec, pframe;  /* binary */
};

/* A track recorded track-at-once (cmd_tao.c): user data only; its 2
 * run-out blocks follow it, the next track's 150-block pregap after them. */
struct vrec_tao_track {
    int32_t start, length;
    uint8_t control;               /* Q CONTROL: 0 audio, 4 data */
};
#define VREC_TAO_MAX_TRACKS 99

/* The persistent part of a disc (the state file). */
struct vrec_media {
    enum vrec_media_kind kind;
    enum vrec_disc_state state;
    int layout;                    /* data block type it was written with, 0 never (TAO: 2, the drive's P-W) */
    int32_t next_lba;              /* next sector the raw write expects */
    struct vrec_toc_entry toc[256]; /* indexed by POINT (ADR 1 lead-in entries) */
    int tao_tracks;                /* closed TAO tracks of the open (or last) session */
    struct vrec_tao_track tao[VREC_TAO_MAX_TRACKS + 1]; /* by track number, 1..99 */
    bool next_session;             /* closed with "next session allowed" (page 05 multi-session 11b) */
    uint8_t session[VREC_TAO_MAX_TRACKS + 1]; /* DVD/BD: the session of each track, 1-based */
};

int vrec_media_load(const char *path, struct vrec_media *m);
int vrec_media_save(const char *path, const struct vrec_media *m);
/* "<path>.sectors", malloc'ed. */
char *vrec_sectors_path(const char *path);
int64_t vrec_record_offset(const struct vrec_media *m, int32_t lba);
/* Reads one stored record (2448 bytes); unwritten sectors read as zeros. */
int vrec_read_record(FILE *f, const struct vrec_media *m, int32_t lba, uint8_t rec[CD_SECTOR_RAW_PW]);

/* TOC views derived from the lead-in entries. */
int32_t vrec_toc_lba(const struct vrec_toc_entry *e);
int vrec_toc_first_track(const struct vrec_media *m);
int vrec_toc_last_track(const struct vrec_media *m);
int32_t vrec_toc_leadout(const struct vrec_media *m);
/* Track holding lba (0 when none); its control nibble in *control. */
int vrec_toc_track_of(const struct vrec_media *m, int32_t lba, uint8_t *control);
bool vrec_toc_complete(const struct vrec_media *m);
/* Records the lead-in Q of a written sector into the TOC. */
void vrec_toc_learn(struct vrec_media *m, const uint8_t q[CD_SUBQ_LEN]);

/* The CD-Text packs in the recorded lead-in R-W (leadin_text.c): block by
 * block in sequence order, up to max (a whole set is at most 8 x 256). */
size_t vrec_read_cdtext(FILE *sectors, const struct vrec_media *m, uint8_t *packs, size_t max);

/* Copies the ECMA-130 scrambler sequence (libs/mmc/sector.c). */
void vrec_scramble_table(uint8_t table[VREC_SCRAMBLE_BYTES]);
/* Undoes ECMA-130 scrambling of a data sector in place (self-inverse, cd_scramble). */
void vrec_descramble(const uint8_t table[VREC_SCRAMBLE_BYTES], uint8_t sector[CD_SECTOR_SIZE]);
bool vrec_has_sync(const uint8_t sector[CD_SECTOR_SIZE]);
/* Whether a recorded sector is data (to be descrambled when read): its Q
 * control field when the Q is good, else the TOC's track at lba. */
bool vrec_sector_is_data(const struct vrec_media *m, int32_t lba, const uint8_t rec[CD_SECTOR_RAW_PW]);
/* The 96 de-interleaved (channel-major) sub-channel bytes of a stored record. */
void vrec_record_channels(int layout, const uint8_t *rec, uint8_t channels[8][12]);

/* ---- senses: one table, indexed by these ids ---- */

enum vrec_sense_id {
    VS_BECOMING_READY,       /* 02/04/01 */
    VS_OP_IN_PROGRESS,       /* 02/04/07 */
    VS_LONG_WRITE,           /* 02/04/08 */
    VS_NO_MEDIUM,            /* 02/3A/00 */
    VS_NO_MEDIUM_TRAY_CLOSED,/* 02/3A/01 */
    VS_NO_MEDIUM_TRAY_OPEN,  /* 02/3A/02 */
    VS_UNDERRUN,             /* 03/0C/09 */
    VS_INVALID_OPCODE,       /* 05/20/00 */
    VS_LBA_OUT_OF_RANGE,     /* 05/21/00 */
    VS_INVALID_WRITE_ADDRESS,/* 05/21/02 */
    VS_INVALID_FIELD_CDB,    /* 05/24/00 */
    VS_INVALID_FIELD_PARAM,  /* 05/26/00 */
    VS_PARAM_LIST_LENGTH,    /* 05/1A/00 */
    VS_SEQUENCE_ERROR,       /* 05/2C/00 */
    VS_CANNOT_READ_MEDIUM,   /* 05/30/02 */
    VS_CANNOT_WRITE_MEDIUM,  /* 05/30/05 */
    VS_SAVING_UNSUPPORTED,   /* 05/39/00 */
    VS_REMOVAL_PREVENTED,    /* 05/53/02 */
    VS_ILLEGAL_MODE,         /* 05/64/00 */
    VS_WRITE_PROTECTED,      /* 07/27/00 */
    VS_COUNT
};

/* ---- faults ---- */

enum vrec_fault_kind {
    VF_SENSE_AT_LBA,
    VF_SENSE_AT_WRITE,
    VF_SENSE_AFTER_MS,
    VF_STALL_AT_LBA,
    VF_STALL_AT_WRITE,
    VF_DELAY_OPCODE,
    VF_REMOVE_AT_LBA,
    VF_DISAPPEAR_AT_WRITE,
    VF_NOT_READY_MS,
    VF_UNIT_ATTENTION
};

struct vrec_fault {
    enum vrec_fault_kind kind;
    int64_t at;            /* LBA, write number or ms, per kind */
    uint64_t ms;           /* delay / not-ready duration */
    uint8_t opcode;
    uint8_t key, asc, ascq;
    bool fired;
};

struct vrec_faults {
    struct vrec_fault rule[VREC_MAX_FAULTS];
    int count;
};

/* 0, or the 1-based line of the first error (message in err). */
int vrec_faults_parse(const char *script, struct vrec_faults *out, char *err, size_t err_len);

/* ---- the drive ---- */

enum vrec_busy { VREC_IDLE, VREC_BUSY_BLANK, VREC_BUSY_SYNC };

struct vrec_drive {
    char *media_path;          /* NULL: no media file configured */
    char *sectors_path;
    char vendor[9], product[17], revision[5];
    struct io_clock clock;
    bool has_clock;
    bool unthrottled;
    uint32_t buffer_bytes;
    unsigned max_speed, write_speed;   /* x */
    unsigned raw_block_types;  /* vrec_config's, 0 resolved */
    bool no_tao;               /* vrec_config's */
    uint8_t scramble[VREC_SCRAMBLE_BYTES];

    bool loaded;               /* a medium is in the drive */
    bool tray_open;
    bool prevented;
    bool gone;                 /* device disappeared (fault) */
    struct vrec_media media;
    bool own_write;            /* this drive holds a raw write in progress */
    FILE *sectors;             /* open while own_write, unbuffered (vrec_open_sectors) */
    uint8_t *batch;            /* the records of one WRITE, stored with one write */
    size_t batch_records;
    uint8_t page05[VREC_PAGE05_LEN];

    /* buffer model (simulated time) */
    uint64_t fill;             /* bytes in the buffer */
    uint64_t drain_us;         /* time the fill was last brought up to date */
    bool ran_empty;            /* the buffer emptied while the host still owed data */
    bool primed;               /* the buffer has been full once: steady state, low water counts */
    bool simulating;           /* the write in progress is a test write: nothing recorded */
    uint32_t host_sector;      /* bytes per sector the host sends in this write, 0: the raw layout's */
    bool tao_open;             /* own_write is a TAO track: media.tao[tao_tracks + 1] is being written */

    enum vrec_busy busy;
    uint64_t busy_start_us, busy_end_us;

    uint8_t ua_asc, ua_ascq;   /* pending unit attention, asc 0: none */
    uint8_t media_event;       /* GESN media event code pending, 0 none */
    uint64_t open_us;
    uint64_t writes_seen;
    struct vrec_faults faults;
    struct vrec_counters counters;
};

/* One command being executed. */
struct vrec_cmd {
    const uint8_t *cdb;
    enum scsi_direction dir;
    uint8_t *buf;
    uint32_t len;
    uint32_t done;             /* bytes transferred */
    bool check;                /* CHECK CONDITION */
    uint8_t key, asc, ascq;
    bool sksv;
    uint16_t progress;         /* sense-key-specific progress indication */
    enum transport_result transport;
};

void vrec_fail(struct vrec_cmd *c, enum vrec_sense_id id);
void vrec_fail_raw(struct vrec_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq);
/* NO SENSE / RECOVERED ERROR: the command did its work and transferred its data. */
bool vrec_sense_completes(uint8_t key);
/* MEDIUM / HARDWARE ERROR during a write: the recording stops. */
bool vrec_sense_stops_write(uint8_t key);
/* Copies a response, truncated to the allocation length and the buffer. */
void vrec_reply(struct vrec_cmd *c, const uint8_t *data, uint32_t n, uint32_t alloc);
/* Fixed-format sense (18 bytes). */
void vrec_build_sense(uint8_t out[VREC_SENSE_LEN], uint8_t key, uint8_t asc, uint8_t ascq,
                      bool sksv, uint16_t progress);

uint64_t vrec_now(struct vrec_drive *d);
/* Sleeps on the injected clock; false when interrupted (cancel). */
bool vrec_sleep(struct vrec_drive *d, uint64_t us);

/* Media state kept in step with the file. */
void vrec_refresh_media(struct vrec_drive *d);
void vrec_store_media(struct vrec_drive *d);
/* Ends a raw write: closes the disc when the lead-out is complete, else leaves it indeterminate. */
void vrec_finish_write(struct vrec_drive *d);
/* A write that stops midway (eject, underrun, fault): disc indeterminate. */
void vrec_spoil_write(struct vrec_drive *d);
void vrec_unload(struct vrec_drive *d);
void vrec_load(struct vrec_drive *d);
/* Brings the buffer fill and busy state up to the current time. */
void vrec_advance_time(struct vrec_drive *d);
uint16_t vrec_busy_progress(struct vrec_drive *d);
unsigned vrec_kbs_of_speed(unsigned x);
/* Supported write speeds (x), highest first; returns the count. */
int vrec_speed_list(const struct vrec_drive *d, unsigned out[16]);
int32_t vrec_capacity_end(const struct vrec_drive *d);
/* Resets a disc to blank (after BLANK, and the start state of blank kinds). */
void vrec_media_blank(struct vrec_media *m);
/* Power-on write parameters page (05h). */
void vrec_default_write_parameters(uint8_t page[VREC_PAGE05_LEN]);

/* Shared by the raw (cmd_write.c) and TAO (cmd_tao.c) recorders. */
bool vrec_check_medium_writable(struct vrec_drive *d, struct vrec_cmd *c);
bool vrec_accept_into_buffer(struct vrec_drive *d, struct vrec_cmd *c, uint64_t bytes);
/* Opens the sectors file for recording (fresh: emptied first), unbuffered:
 * each vrec_put_records is one write to the file. */
bool vrec_open_sectors(struct vrec_drive *d, bool fresh);
/* Room for count records of a WRITE (the drive's batch, grown as needed); NULL: no memory. */
uint8_t *vrec_batch(struct vrec_drive *d, uint32_t count);
/* Stores count consecutive records from lba: one seek, one write. */
bool vrec_put_records(struct vrec_drive *d, int32_t lba, const uint8_t *recs, uint32_t count);
/* Simulated time the drive needs to record what its buffer holds. */
uint64_t vrec_drain_us(struct vrec_drive *d);
void vrec_run_busy(struct vrec_drive *d, struct vrec_cmd *c, enum vrec_busy kind, uint64_t us, bool immed);
/* TAO (cmd_tao.c): WRITE with write type TAO, SYNCHRONIZE CACHE of an open
 * track, READ DISC / TRACK INFORMATION of an open session. */
void vrec_tao_write(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count);
void vrec_tao_flush(struct vrec_drive *d, struct vrec_cmd *c);
bool vrec_tao_track_info(const struct vrec_drive *d, int type, uint32_t addr, uint8_t r[36]);
/* DVD+R, DVD-R and BD-R (cmd_seq.c): sequential recording of 2048-byte sectors,
 * tracks and sessions, and the disc answers for those kinds. */
bool vrec_is_sequential(const struct vrec_drive *d);
void vrec_seq_write(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count);
void vrec_seq_close(struct vrec_drive *d, struct vrec_cmd *c);
void vrec_seq_disc_information(const struct vrec_drive *d, uint8_t r[34]);
bool vrec_seq_track_info(const struct vrec_drive *d, int type, uint32_t addr, uint8_t r[36]);
void vrec_seq_read10(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count);
int32_t vrec_seq_last_recorded(const struct vrec_media *m);

/* Fault hooks. */
bool vrec_fault_before_command(struct vrec_drive *d, struct vrec_cmd *c, uint8_t opcode, bool medium_access);
bool vrec_fault_on_write(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count);

/* Handlers, one per command (dispatch table in vrec.c). */
#define VREC_HANDLERS(X) \
    X(test_unit_ready) X(request_sense) X(inquiry) X(start_stop_unit) X(prevent_allow) \
    X(read_capacity) X(read10) X(write) X(synchronize_cache) X(read_toc) \
    X(get_configuration) X(get_event_status) X(read_disc_information) X(read_track_information) \
    X(mode_select6) X(mode_select10) X(read_buffer_capacity) X(mode_sense6) X(mode_sense10) X(blank) \
    X(read_cd) X(set_cd_speed) X(get_performance) X(read_disc_structure) X(close_track_session)
#define VREC_DECLARE_HANDLER(name) void vrec_handle_##name(struct vrec_drive *d, struct vrec_cmd *c);
VREC_HANDLERS(VREC_DECLARE_HANDLER)
#undef VREC_DECLARE_HANDLER

static inline uint16_t vrec_get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t vrec_get24(const uint8_t *p) { return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]; }
static inline uint32_t vrec_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void vrec_put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void vrec_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#endif
