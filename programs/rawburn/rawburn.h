/* rawburn: a command-line raw Disc-At-Once CD burner over the public IMAPI2
 * COM interfaces (MsftDiscMaster2, MsftDiscRecorder2 + IDiscRecorder2Ex,
 * MsftDiscFormat2RawCD, MsftRawCDImageCreator, MsftDiscFormat2Erase).
 *
 * What it takes from libs/ (linked as libcore.a), and why that is not a way
 * around COM:
 *  - libs/mmc cue/ccd parsers, sector (scrambler, headers, EDC/ECC), subcode
 *    (Q CRC, interleave) and msf: pure data-format code, never a drive;
 *  - libs/vrec vrec_export_cue_bin / vrec_export_clonecd (demo only) and
 *    vrec_fault_check (virtual add): the documented exception, they read or
 *    check a virtual recorder's files, which is what a user of a virtual
 *    recorder would do with its output.
 * Every command sent to a drive goes through IMAPI2. */
#ifndef RAWBURN_H
#define RAWBURN_H

#define COBJMACROS
#define CONST_VTABLE
#include <windows.h>
#include <ole2.h>
#include <olectl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "imapi2.h"
#include "imapi2error.h"
#include "mmc/cdb.h"
#include "mmc/parse.h"

/* Exit statuses: one per kind of problem, listed in `rawburn --help`. */
enum rawburn_status {
    RB_OK = 0,
    RB_USAGE = 1,       /* bad command line */
    RB_FILE = 2,        /* an input file is missing or unreadable */
    RB_SYNTAX = 3,      /* bad cue/ccd sheet or image layout (the line is named) */
    RB_TOO_BIG = 4,     /* the image does not fit on the disc */
    RB_SECTOR = 5,      /* wrong sector size, or a sector type the recorder refuses */
    RB_NO_DEVICE = 6,   /* no such recorder, or none at all */
    RB_BUSY = 7,        /* the recorder is used by another program (named) */
    RB_MEDIA = 8,       /* no disc, disc not blank / not erasable / write-protected */
    RB_UNSUPPORTED = 9, /* the recorder cannot do it (raw DAO, simulation) */
    RB_WRITE = 10,      /* the write or erase failed on the drive */
    RB_VERIFY = 11,     /* the disc differs from the image */
    RB_CANCELLED = 12,  /* stopped by Ctrl+C */
    RB_VIRTUAL = 13,    /* virtual recorder configuration problem */
    RB_INTERNAL = 14    /* IMAPI2 not registered, out of memory, unexpected error */
};

enum progress_mode { PROGRESS_AUTO, PROGRESS_TTY, PROGRESS_PLAIN, PROGRESS_JSON, PROGRESS_NONE };

struct options {
    const char *device;       /* -d: index, virtual name, drive letter or unique ID */
    int speed_x;              /* 0: fastest */
    int sector_type;          /* 0: automatic, else IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE */
    bool simulate;
    int bufe;                 /* -1: the drive's default (on), 0 off, 1 on */
    bool eject;
    bool verify;
    bool full_erase;
    const char *const *inputs; /* burn/show/verify/image: several WAV files */
    int input_count;
    bool imapi_gaps;          /* audio cue: IMAPI2's image creator's gaps instead of the sheet's */
    bool tao;                 /* burn: audio track-at-once (MsftDiscFormat2TrackAtOnce) */
    bool force;               /* burn: skip the "disc not blank" pre-check message path */
    enum progress_mode progress;
    /* virtual add */
    const char *kind;
    const char *media_path;
    int vspeed;
    long buffer_bytes;
    bool unthrottled;
    bool no_tao;              /* virtual add: a drive without the track-at-once write type */
    bool replace;
    bool keep_media;
    const char *fault_file;
    const char *vendor, *product, *revision;
};

extern struct options opt;

/* ---- messages (main.c) ---- */
/* One clear line on stderr ("rawburn: ..."), a JSON error line with
 * --json; returns status so callers can `return fail(...)`. */
int fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* "note: ..." on stderr */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));    /* stdout, not in JSON mode */
/* The HRESULT as a readable text (IMAPI2 names first, then the system's). */
const char *hr_text(HRESULT hr);
/* A CoCreateInstance of clsid (named what) failed: says why (a stale
 * registration, none at all, or hr) and returns RB_INTERNAL. */
int create_failed(const CLSID *clsid, const char *what, HRESULT hr);
void wide_to_utf8(const WCHAR *w, char *out, size_t size);
WCHAR *utf8_to_wide(const char *s); /* HeapAlloc'ed, NULL on failure */
/* Set by the Ctrl+C handler: the first press asks for a clean stop. */
extern volatile LONG cancel_requested;
bool cancel_pending(void);
/* What the disc is left like if rawburn is stopped now; cleanly: the first
 * Ctrl+C only asks the running operation to stop (cancel_pending). */
void set_stop_state(bool cleanly, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define CLIENT_NAME L"rawburn"

/* ---- recorders (devices.c) ---- */
struct recorder_ref {
    IDiscRecorder2 *rec;
    IDiscRecorder2Ex *ex;
    WCHAR id[300];
    char name[128];     /* what the user can pass to -d */
    char label[256];    /* vendor product revision */
};
int recorder_open(const char *spec, struct recorder_ref *out);
/* Sends a request built by libs/mmc's mmc_build_* (data in) through
 * IDiscRecorder2Ex, the public API: S_OK with *got bytes, the drive's sense
 * as an HRESULT (1/FACILITY_ITF/key<<8|ASC) after CHECK CONDITION, or the
 * call's failure. */
HRESULT recorder_get_data(struct recorder_ref *r, struct scsi_request *req, ULONG timeout_s, ULONG *got);
void recorder_close(struct recorder_ref *r);
/* RB_BUSY with the owner's name when another program holds the recorder. */
int recorder_check_free(struct recorder_ref *r);

enum disc_status { DISC_NONE, DISC_BLANK, DISC_INCOMPLETE, DISC_COMPLETE, DISC_OTHER };
struct media_state {
    enum disc_status status;
    IMAPI_MEDIA_PHYSICAL_TYPE type;
    bool erasable;
    char text[96];      /* "blank CD-R", "written CD-RW (closed)", "no disc" ... */
};
void media_query(struct recorder_ref *r, struct media_state *m);
const char *media_type_name(IMAPI_MEDIA_PHYSICAL_TYPE t);
int cmd_list(void);
int cmd_eject(void);

/* ---- virtual recorders (vconfig.c) ---- */
int cmd_virtual(int argc, char **argv);
/* Creates (or replaces) a virtual recorder; media_path in UTF-8. */
int virtual_add(const char *name, const char *kind, const char *media_path, int speed, bool unthrottled,
                bool replace);
int virtual_remove(const char *name, bool keep_media);

/* ---- images (image.c, rawstream.c) ---- */
struct image_track {
    int number;
    int32_t start_lba;  /* index 1 */
    bool data;
};
struct image {
    IStream *stream;            /* the raw DAO stream, first sector at LBA -22650 */
    int layout;                 /* 1 PQ (2368), 2 cooked P-W, 3 raw P-W (2448) */
    uint32_t sector_size;
    int64_t sectors;            /* in the stream */
    int track_count;
    struct image_track tracks[99];
    int32_t leadout_lba;
    char kind[32];              /* "cue/bin", "CloneCD", "raw DAO" */
    bool via_creator;           /* built by MsftRawCDImageCreator */
    bool follows_sheet;         /* laid out exactly as the sheet says (Red Book track 1 pregap aside) */
};
struct image_plan;              /* a checked input, before the stream exists */
/* Parses and checks the input files (nothing touches a drive). */
int image_plan_load(const char *path, struct image_plan **out);
/* The image will be made by MsftRawCDImageCreator (audio-only cue). */
bool image_plan_creator(const struct image_plan *p);
/* `rawburn show`: the planned disc, before any drive is touched. */
int cmd_show(const char *path);
/* Layout the input asks for (raw DAO images have theirs), 0 when free. */
int image_plan_layout(const struct image_plan *p);
/* Builds the stream in the given layout. */
int image_build(struct image_plan *p, int layout, struct image *out);
void image_plan_free(struct image_plan *p);
void image_free(struct image *img);
/* Which track holds an LBA: 0 in the lead-in / track 1 pregap, -1 lead-out. */
int image_track_at(const struct image *img, int32_t lba);

/* IStream over a callback (rawstream.c). read_at fills len bytes at offset
 * (zeros past the end are the callback's business). */
typedef HRESULT (*stream_read_fn)(void *ctx, uint64_t offset, void *buf, uint32_t len);
HRESULT cb_stream_create(uint64_t size, stream_read_fn read_at, void (*free_ctx)(void *), void *ctx, IStream **out);
/* A stream made of pieces: file ranges and runs of zeros. */
struct piece_stream;
struct piece_stream *pieces_new(void);
bool pieces_add_file(struct piece_stream *p, const WCHAR *path, uint64_t offset, uint64_t len);
bool pieces_add_zeros(struct piece_stream *p, uint64_t len);
uint64_t pieces_size(const struct piece_stream *p);
HRESULT pieces_finish(struct piece_stream *p, IStream **out); /* takes p over */
HRESULT pieces_read(struct piece_stream *p, uint64_t offset, void *buf, uint32_t len);
void pieces_free(void *p);

/* ---- burning, verifying, erasing ---- */
int cmd_burn(const char *image_path);
int cmd_verify(const char *image_path);
int cmd_erase(void);
int cmd_demo(const char *dir);
int cmd_image(const char *image_path, const char *out_path);
/* Compares the disc in r with img (program area, TOC); prints the first difference. */
int verify_disc(struct recorder_ref *r, struct image *img);
/* Burns img on r (everything checked before the first write). */
int burn_image(struct recorder_ref *r, struct image *img);
/* --tao: the plan's audio tracks track-at-once on r (taoburn.c). */
int burn_tao(struct recorder_ref *r, struct image_plan *p);

/* ---- progress (progress.c) ---- */
struct progress_info {
    const char *action;     /* "preparing", "writing", "finishing", "erasing", "verifying" */
    double fraction;        /* 0..1, < 0 unknown */
    const char *where;      /* "lead-in", "track 2/3", "lead-out" */
    double done_mib, total_mib;
    double speed_x;         /* < 0 unknown */
    int buffer_pct;         /* drive buffer fill, < 0 unknown */
    long eta_s;             /* < 0 unknown */
    long elapsed_s;
};
void progress_begin(const char *what);
void progress_update(const struct progress_info *p);
void progress_end(bool ok);
bool progress_is_json(void);
/* s with '"' and '\\' escaped and control characters left out, for a JSON string. */
const char *json_quote(const char *s, char *buf, size_t size);
void json_event(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* {"event":...} line */
/* An IDispatch event sink: Invoke(0x200) calls fn with the DISPPARAMS. */
typedef void (*sink_fn)(void *ctx, DISPPARAMS *params);
IDispatch *sink_create(REFIID events_iid, sink_fn fn, void *ctx);
HRESULT sink_advise(IUnknown *source, REFIID events_iid, IDispatch *sink, DWORD *cookie);
void sink_unadvise(IUnknown *source, REFIID events_iid, DWORD cookie);

#endif
