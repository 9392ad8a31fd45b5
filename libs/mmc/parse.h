/* Parsers of MMC responses. Each takes the buffer and the number of bytes the
 * drive actually returned (allocation length minus residual), never reads
 * past either that or the length the data itself declares, and checks every
 * inner length against both. They return MMC_S_OK or an HRESULT:
 * E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE for malformed data,
 * E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE for a missing mode page. A response cut
 * short by a small allocation length is parsed as far as it goes and flagged
 * `truncated` where the structure has a list. */
#ifndef IMAPI2_MMC_PARSE_H
#define IMAPI2_MMC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmc/msf.h"
#include "mmc/sense.h" /* MMC_S_OK and friends */

/* ---- INQUIRY ---- */
struct mmc_inquiry {
    uint8_t peripheral_type; /* 5 = CD/DVD */
    bool removable;
    uint8_t version;
    char vendor[9];          /* printable ASCII, trailing blanks removed */
    char product[17];
    char revision[5];
};
int32_t mmc_parse_inquiry(const uint8_t *buf, size_t len, struct mmc_inquiry *out);

/* ---- GET CONFIGURATION ---- */
#define MMC_PROFILE_CD_ROM 0x0008
#define MMC_PROFILE_CD_R 0x0009
#define MMC_PROFILE_CD_RW 0x000A
#define MMC_PROFILE_DVD_ROM 0x0010
#define MMC_PROFILE_DVD_R 0x0011
#define MMC_PROFILE_DVD_PLUS_R 0x001B
#define MMC_PROFILE_BD_ROM 0x0040
#define MMC_PROFILE_BD_R_SRM 0x0041

#define MMC_FEATURE_PROFILE_LIST 0x0000
#define MMC_FEATURE_CORE 0x0001
#define MMC_FEATURE_CD_READ 0x001E
#define MMC_FEATURE_CD_TAO 0x002D
#define MMC_FEATURE_CD_MASTERING 0x002E

struct mmc_feature {
    uint16_t code;
    uint8_t version;
    bool persistent, current;
    uint8_t data_len;        /* additional length: bytes at data */
    const uint8_t *data;     /* points into the response buffer */
};

/* Walks the feature descriptors of a response. *pos starts at 0. Returns 1
 * with *f filled, 0 at the end of the data (or where the buffer cut the list
 * short), or an error HRESULT (< 0) for a descriptor running past the data. */
int32_t mmc_next_feature(const uint8_t *buf, size_t len, size_t *pos, struct mmc_feature *f);

#define MMC_MAX_PROFILES 32

struct mmc_cd_mastering { /* feature 002Eh */
    bool present, current;
    bool buf, sao, raw_ms, raw, test_write, cd_rw, r_w;
    uint32_t max_cue_sheet;
};

struct mmc_cd_tao { /* feature 002Dh */
    bool present, current;
    bool buf, rw_raw, rw_pack, test_write, cd_rw, r_w;
    uint16_t data_types; /* bit n: data type n supported */
};

struct mmc_configuration {
    uint16_t current_profile;
    size_t profile_count;
    struct {
        uint16_t number;
        bool current;
    } profiles[MMC_MAX_PROFILES];
    size_t feature_count;
    bool truncated;          /* the buffer held less than the drive had */
    struct mmc_cd_mastering mastering;
    struct mmc_cd_tao tao;
};
int32_t mmc_parse_configuration(const uint8_t *buf, size_t len, struct mmc_configuration *out);
bool mmc_config_has_profile(const struct mmc_configuration *c, uint16_t profile);

/* ---- READ DISC INFORMATION ---- */
enum mmc_disc_status { MMC_DISC_EMPTY = 0, MMC_DISC_INCOMPLETE = 1, MMC_DISC_COMPLETE = 2, MMC_DISC_OTHER = 3 };
enum mmc_session_state {
    MMC_SESSION_EMPTY = 0,
    MMC_SESSION_INCOMPLETE = 1,
    MMC_SESSION_DAMAGED = 2,
    MMC_SESSION_COMPLETE = 3
};

struct mmc_disc_info {
    uint8_t disc_status;         /* enum mmc_disc_status */
    uint8_t last_session_state;  /* enum mmc_session_state */
    bool erasable;
    uint8_t first_track;
    uint16_t sessions;
    uint16_t first_track_last_session, last_track_last_session;
    uint8_t disc_type;           /* 00 CD-DA/CD-ROM, 10 CD-I, 20 CD-ROM XA */
    bool leadin_valid;           /* lead-in start of the last session (not FF:FF:FF) */
    int32_t last_session_leadin;
    bool leadout_valid;          /* last possible lead-out start (not FF:FF:FF) */
    int32_t last_possible_leadout;
};
int32_t mmc_parse_disc_info(const uint8_t *buf, size_t len, struct mmc_disc_info *out);

/* ---- READ TRACK INFORMATION ---- */
struct mmc_track_info {
    uint16_t track, session;
    bool damaged, copy;
    uint8_t track_mode;          /* Q CONTROL nibble */
    bool reserved_track, blank, packet, fixed_packet;
    uint8_t data_mode;
    bool nwa_valid, lra_valid;
    int32_t start;
    int32_t next_writable;
    uint32_t free_blocks;
    uint32_t fixed_packet_size;
    uint32_t size;
    int32_t last_recorded;
};
int32_t mmc_parse_track_info(const uint8_t *buf, size_t len, struct mmc_track_info *out);

/* ---- READ TOC/PMA/ATIP ---- */
struct mmc_toc_entry {
    uint8_t adr, control, track; /* track 0xAA: lead-out */
    int32_t lba;
};
#define MMC_TOC_MAX_ENTRIES 100 /* 99 tracks + lead-out */
struct mmc_toc {
    uint8_t first_track, last_track;
    size_t count;
    bool truncated;
    struct mmc_toc_entry entries[MMC_TOC_MAX_ENTRIES];
};
/* Format 0. msf: the request had the MSF bit set (addresses are 0/M/S/F). */
int32_t mmc_parse_toc(const uint8_t *buf, size_t len, bool msf, struct mmc_toc *out);

struct mmc_session_info { /* format 1 */
    uint8_t first_session, last_session;
    uint8_t adr, control, first_track_last_session;
    int32_t start;
};
int32_t mmc_parse_session_info(const uint8_t *buf, size_t len, bool msf, struct mmc_session_info *out);

struct mmc_full_toc_entry { /* format 2: the raw Q of a lead-in point; times binary */
    uint8_t session, adr, control, tno, point;
    uint8_t min, sec, frame, zero, pmin, psec, pframe;
};
#define MMC_FULL_TOC_MAX 300
struct mmc_full_toc {
    uint8_t first_session, last_session;
    size_t count;
    bool truncated;
    struct mmc_full_toc_entry entries[MMC_FULL_TOC_MAX];
};
int32_t mmc_parse_full_toc(const uint8_t *buf, size_t len, struct mmc_full_toc *out);
/* The entry of a POINT in a session, NULL when absent. */
const struct mmc_full_toc_entry *mmc_full_toc_find(const struct mmc_full_toc *t, uint8_t session, uint8_t point);

struct mmc_atip { /* format 4 */
    uint8_t writing_power, reference_speed;
    bool uru;
    bool erasable;               /* disc type bit: CD-RW */
    uint8_t disc_subtype;
    struct cd_msf leadin_msf, last_leadout_msf;
    int32_t leadin_start;        /* negative LBA, e.g. -11634 for 97:26:66 */
    int32_t last_possible_leadout;
};
int32_t mmc_parse_atip(const uint8_t *buf, size_t len, struct mmc_atip *out);

/* ---- MODE SENSE(10) / MODE SELECT(10) ---- */
#define MMC_MODE_HEADER_LEN 8
#define MMC_PAGE_WRITE_PARAMETERS 0x05
#define MMC_PAGE_CAPABILITIES 0x2A

/* Finds a page in a MODE SENSE(10) response: *page points at its page code
 * byte, *page_len covers the 2-byte page header and the page body. The page
 * must be complete in the buffer. */
int32_t mmc_mode_find_page(const uint8_t *buf, size_t len, uint8_t page_code, const uint8_t **page,
                           size_t *page_len);

/* Builds a MODE SELECT(10) parameter list from a page of a MODE SENSE
 * response: zeroed 8-byte header (mode data length is reserved for SELECT),
 * no block descriptors, the page with its PS bit cleared. */
int32_t mmc_mode_select_list(const uint8_t *page, size_t page_len, uint8_t *out, size_t out_cap, size_t *out_len);

enum mmc_write_type { MMC_WT_PACKET = 0, MMC_WT_TAO = 1, MMC_WT_SAO = 2, MMC_WT_RAW = 3 };

struct mmc_write_params { /* page 05h */
    bool bufe, ls_v, test_write;
    uint8_t write_type;
    uint8_t multi_session;
    bool fixed_packet, copy;
    uint8_t track_mode;
    uint8_t data_block_type;
    uint8_t link_size;
    uint8_t session_format;
    uint32_t packet_size;
    uint16_t audio_pause;
};
#define MMC_PAGE05_MIN_LEN 16 /* through the audio pause length */
int32_t mmc_parse_write_params(const uint8_t *page, size_t page_len, struct mmc_write_params *out);
/* Writes the fields into a page 05 in place; bytes it does not model (MCN,
 * ISRC, subheader, vendor bytes) stay as the drive reported them. */
int32_t mmc_apply_write_params(uint8_t *page, size_t page_len, const struct mmc_write_params *wp);

#define MMC_MAX_SPEEDS 32
struct mmc_capabilities { /* page 2Ah */
    bool read_cdr, read_cdrw, read_dvdrom;
    bool write_cdr, write_cdrw, test_write;
    bool buf, multi_session, mode2_form1, mode2_form2, audio_play;
    bool cdda_accurate, rw_supported, rw_deinterleaved, isrc, upc;
    bool lock, lock_state, eject;
    uint8_t loading_mechanism;
    uint16_t max_read_kbs, buffer_kb, max_write_kbs, current_write_kbs;
    bool has_selected_speed;     /* MMC-3 page: bytes 28-31 present */
    uint16_t selected_write_kbs;
    uint8_t selected_rotation;
    size_t speed_count;
    struct {
        uint8_t rotation;
        uint16_t kbs;
    } speeds[MMC_MAX_SPEEDS];
    bool truncated;
};
#define MMC_PAGE2A_MIN_LEN 22 /* through the (obsolete) current write speed */
int32_t mmc_parse_capabilities(const uint8_t *page, size_t page_len, struct mmc_capabilities *out);

/* ---- READ BUFFER CAPACITY ---- */
struct mmc_buffer_capacity {
    bool block;                  /* answer in blocks (only available_blocks valid) */
    uint32_t length;             /* bytes */
    uint32_t blank;              /* free bytes */
    uint32_t available_blocks;
};
int32_t mmc_parse_buffer_capacity(const uint8_t *buf, size_t len, struct mmc_buffer_capacity *out);

/* ---- READ CAPACITY ---- */
struct mmc_capacity {
    int32_t last_lba;            /* last readable logical block; -1 on a disc with none */
    uint32_t block_bytes;
};
int32_t mmc_parse_capacity(const uint8_t *buf, size_t len, struct mmc_capacity *out);

/* ---- READ DISC STRUCTURE format C0h: write protection status ---- */
#define MMC_STRUCTURE_WRITE_PROTECTION 0xC0
struct mmc_write_protection {
    bool swpp;  /* software write protect until power-down */
    bool pwp;   /* persistent write protect */
    bool cwp;   /* cartridge write protect */
    bool mswi;  /* media specific write inhibit */
};
int32_t mmc_parse_write_protection(const uint8_t *buf, size_t len, struct mmc_write_protection *out);

/* ---- GET PERFORMANCE type 03h ---- */
struct mmc_write_speed_descriptor {
    uint8_t wrc;                 /* rotation control */
    bool rdd, exact, mrw;
    uint32_t end_lba, read_kbs, write_kbs;
};
struct mmc_write_speeds {
    size_t count;
    bool truncated;
    struct mmc_write_speed_descriptor d[MMC_MAX_SPEEDS];
};
int32_t mmc_parse_write_speeds(const uint8_t *buf, size_t len, struct mmc_write_speeds *out);

/* ---- GET EVENT STATUS NOTIFICATION ---- */
enum mmc_media_event {
    MMC_MEDIA_NO_CHANGE = 0,
    MMC_MEDIA_EJECT_REQUEST = 1,
    MMC_MEDIA_NEW = 2,
    MMC_MEDIA_REMOVAL = 3,
    MMC_MEDIA_CHANGED = 4,
    MMC_MEDIA_BG_FORMAT_COMPLETED = 5,
    MMC_MEDIA_BG_FORMAT_RESTARTED = 6
};
struct mmc_event_status {
    bool no_event_available;     /* NEA */
    uint8_t notification_class;  /* 4 = media */
    uint8_t supported_classes;   /* bit mask as in the request */
    bool has_media_event;
    uint8_t media_event;         /* enum mmc_media_event */
    bool tray_open, media_present;
};
int32_t mmc_parse_event_status(const uint8_t *buf, size_t len, struct mmc_event_status *out);

#endif
