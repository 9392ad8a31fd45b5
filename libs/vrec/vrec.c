/* The drive: open/close, the one dispatch table, sense, time and media state. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfile.h"
#include "vrec_internal.h"

enum {
    VC_MEDIUM = 1, /* needs a medium: NOT READY 3A otherwise, media state refreshed */
    VC_IDLE = 2,   /* refused with NOT READY 04/07 or 04/08 while blanking or flushing */
    VC_NO_UA = 4   /* answers without reporting a pending unit attention */
};

struct vrec_command {
    struct vrec_command_info info;
    unsigned flags;
    void (*handle)(struct vrec_drive *d, struct vrec_cmd *c);
};

static const struct vrec_command commands[] = {
    { { 0x00, 6, SCSI_DIR_NONE, "TEST UNIT READY" }, VC_MEDIUM | VC_IDLE, vrec_handle_test_unit_ready },
    { { 0x03, 6, SCSI_DIR_IN, "REQUEST SENSE" }, VC_NO_UA, vrec_handle_request_sense },
    { { 0x12, 6, SCSI_DIR_IN, "INQUIRY" }, VC_NO_UA, vrec_handle_inquiry },
    { { 0x15, 6, SCSI_DIR_OUT, "MODE SELECT(6)" }, 0, vrec_handle_mode_select6 },
    { { 0x1A, 6, SCSI_DIR_IN, "MODE SENSE(6)" }, 0, vrec_handle_mode_sense6 },
    { { 0x1B, 6, SCSI_DIR_NONE, "START STOP UNIT" }, 0, vrec_handle_start_stop_unit },
    { { 0x1E, 6, SCSI_DIR_NONE, "PREVENT ALLOW MEDIUM REMOVAL" }, 0, vrec_handle_prevent_allow },
    { { 0x25, 10, SCSI_DIR_IN, "READ CAPACITY" }, VC_MEDIUM | VC_IDLE, vrec_handle_read_capacity },
    { { 0x28, 10, SCSI_DIR_IN, "READ(10)" }, VC_MEDIUM | VC_IDLE, vrec_handle_read10 },
    { { 0x2A, 10, SCSI_DIR_OUT, "WRITE(10)" }, VC_MEDIUM | VC_IDLE, vrec_handle_write },
    { { 0x35, 10, SCSI_DIR_NONE, "SYNCHRONIZE CACHE" }, VC_MEDIUM | VC_IDLE, vrec_handle_synchronize_cache },
    { { 0x43, 10, SCSI_DIR_IN, "READ TOC/PMA/ATIP" }, VC_MEDIUM | VC_IDLE, vrec_handle_read_toc },
    { { 0x46, 10, SCSI_DIR_IN, "GET CONFIGURATION" }, VC_NO_UA, vrec_handle_get_configuration },
    { { 0x4A, 10, SCSI_DIR_IN, "GET EVENT STATUS NOTIFICATION" }, VC_NO_UA, vrec_handle_get_event_status },
    { { 0x51, 10, SCSI_DIR_IN, "READ DISC INFORMATION" }, VC_MEDIUM | VC_IDLE, vrec_handle_read_disc_information },
    { { 0x52, 10, SCSI_DIR_IN, "READ TRACK INFORMATION" }, VC_MEDIUM | VC_IDLE, vrec_handle_read_track_information },
    { { 0x55, 10, SCSI_DIR_OUT, "MODE SELECT(10)" }, 0, vrec_handle_mode_select10 },
    { { 0x5A, 10, SCSI_DIR_IN, "MODE SENSE(10)" }, 0, vrec_handle_mode_sense10 },
    { { 0x5B, 10, SCSI_DIR_NONE, "CLOSE TRACK/SESSION" }, VC_MEDIUM | VC_IDLE, vrec_handle_close_track_session },
    { { 0x5C, 10, SCSI_DIR_IN, "READ BUFFER CAPACITY" }, 0, vrec_handle_read_buffer_capacity },
    { { 0xA1, 12, SCSI_DIR_NONE, "BLANK" }, VC_MEDIUM | VC_IDLE, vrec_handle_blank },
    { { 0xAA, 12, SCSI_DIR_OUT, "WRITE(12)" }, VC_MEDIUM | VC_IDLE, vrec_handle_write },
    { { 0xAC, 12, SCSI_DIR_IN, "GET PERFORMANCE" }, 0, vrec_handle_get_performance },
    { { 0xAD, 12, SCSI_DIR_IN, "READ DISC STRUCTURE" }, VC_MEDIUM | VC_IDLE, vrec_handle_read_disc_structure },
    { { 0xBB, 12, SCSI_DIR_NONE, "SET CD SPEED" }, 0, vrec_handle_set_cd_speed },
    { { 0xBE, 12, SCSI_DIR_IN, "READ CD" }, VC_MEDIUM | VC_IDLE, vrec_handle_read_cd },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static const struct {
    uint8_t key, asc, ascq;
} senses[VS_COUNT] = {
    [VS_BECOMING_READY] = { 0x02, 0x04, 0x01 },
    [VS_OP_IN_PROGRESS] = { 0x02, 0x04, 0x07 },
    [VS_LONG_WRITE] = { 0x02, 0x04, 0x08 },
    [VS_NO_MEDIUM] = { 0x02, 0x3A, 0x00 },
    [VS_NO_MEDIUM_TRAY_CLOSED] = { 0x02, 0x3A, 0x01 },
    [VS_NO_MEDIUM_TRAY_OPEN] = { 0x02, 0x3A, 0x02 },
    [VS_UNDERRUN] = { 0x03, 0x0C, 0x09 },
    [VS_INVALID_OPCODE] = { 0x05, 0x20, 0x00 },
    [VS_LBA_OUT_OF_RANGE] = { 0x05, 0x21, 0x00 },
    [VS_INVALID_WRITE_ADDRESS] = { 0x05, 0x21, 0x02 },
    [VS_INVALID_FIELD_CDB] = { 0x05, 0x24, 0x00 },
    [VS_INVALID_FIELD_PARAM] = { 0x05, 0x26, 0x00 },
    [VS_PARAM_LIST_LENGTH] = { 0x05, 0x1A, 0x00 },
    [VS_SEQUENCE_ERROR] = { 0x05, 0x2C, 0x00 },
    [VS_CANNOT_READ_MEDIUM] = { 0x05, 0x30, 0x02 },
    [VS_CANNOT_WRITE_MEDIUM] = { 0x05, 0x30, 0x05 },
    [VS_SAVING_UNSUPPORTED] = { 0x05, 0x39, 0x00 },
    [VS_REMOVAL_PREVENTED] = { 0x05, 0x53, 0x02 },
    [VS_ILLEGAL_MODE] = { 0x05, 0x64, 0x00 },
    [VS_WRITE_PROTECTED] = { 0x07, 0x27, 0x00 },
};

const struct vrec_command_info *vrec_command_info(size_t index)
{
    return index < COMMAND_COUNT ? &commands[index].info : NULL;
}

static const struct vrec_command *find_command(uint8_t opcode)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (commands[i].info.opcode == opcode)
            return &commands[i];
    return NULL;
}

/* What a sense key says about the command it answers, as a drive means it:
 * NO SENSE and RECOVERED ERROR report a command that did its work (a WRITE
 * answered 01/xx/xx recorded its data); medium and hardware errors during a
 * write stop the recording. */
static const struct {
    bool completes;
    bool stops_write;
} key_effect[16] = {
    [0x0] = { true, false },
    [0x1] = { true, false },
    [0x3] = { false, true },
    [0x4] = { false, true },
};

bool vrec_sense_completes(uint8_t key)
{
    return key_effect[key & 0x0F].completes;
}

bool vrec_sense_stops_write(uint8_t key)
{
    return key_effect[key & 0x0F].stops_write;
}

void vrec_fail_raw(struct vrec_cmd *c, uint8_t key, uint8_t asc, uint8_t ascq)
{
    c->check = true;
    c->key = key;
    c->asc = asc;
    c->ascq = ascq;
}

void vrec_fail(struct vrec_cmd *c, enum vrec_sense_id id)
{
    vrec_fail_raw(c, senses[id].key, senses[id].asc, senses[id].ascq);
}

void vrec_reply(struct vrec_cmd *c, const uint8_t *data, uint32_t n, uint32_t alloc)
{
    if (n > alloc)
        n = alloc;
    if (n > c->len)
        n = c->len;
    if (n)
        memcpy(c->buf, data, n);
    c->done = n;
}

void vrec_build_sense(uint8_t out[VREC_SENSE_LEN], uint8_t key, uint8_t asc, uint8_t ascq, bool sksv,
                      uint16_t progress)
{
    memset(out, 0, VREC_SENSE_LEN);
    out[0] = 0x70;                 /* current error, fixed format */
    out[2] = key & 0x0F;
    out[7] = VREC_SENSE_LEN - 8;   /* additional sense length */
    out[12] = asc;
    out[13] = ascq;
    if (sksv) {
        out[15] = 0x80;            /* SKSV: progress indication follows */
        out[16] = (uint8_t)(progress >> 8);
        out[17] = (uint8_t)progress;
    }
}

uint64_t vrec_now(struct vrec_drive *d)
{
    return d->has_clock ? d->clock.now_us(d->clock.ctx) : 0;
}

bool vrec_sleep(struct vrec_drive *d, uint64_t us)
{
    if (!d->has_clock || !d->clock.sleep_us || us == 0)
        return true;
    return d->clock.sleep_us(d->clock.ctx, us) == 0;
}

void vrec_refresh_media(struct vrec_drive *d)
{
    if (d->own_write || !d->media_path)
        return;
    struct vrec_media m;
    if (vrec_media_load(d->media_path, &m) != 0)
        return; /* keep the last good state rather than invent one */
    if (m.state == VREC_DISC_WRITING)
        m.state = VREC_DISC_INDETERMINATE; /* someone else's write, or one that died midway */
    d->media = m;
}

void vrec_store_media(struct vrec_drive *d)
{
    if (d->media_path)
        vrec_media_save(d->media_path, &d->media);
}

static void end_own_write(struct vrec_drive *d, enum vrec_disc_state state)
{
    if (d->sectors)
        fclose(d->sectors);
    d->sectors = NULL;
    d->own_write = false;
    d->tao_open = false;
    d->host_sector = 0;
    d->fill = 0;
    d->media.state = state;
    /* A test write leaves the disc as it was, which the file still says. */
    if (d->simulating && (!d->media_path || vrec_media_load(d->media_path, &d->media) != 0))
        vrec_media_blank(&d->media);
    d->simulating = false;
    vrec_store_media(d);
}

void vrec_finish_write(struct vrec_drive *d)
{
    if (!d->own_write)
        return;
    bool closed = vrec_toc_complete(&d->media) &&
                  d->media.next_lba >= vrec_toc_leadout(&d->media) + CD_FIRST_LEADOUT_SECTORS;
    end_own_write(d, closed ? VREC_DISC_CLOSED : VREC_DISC_INDETERMINATE);
}

void vrec_spoil_write(struct vrec_drive *d)
{
    if (d->own_write)
        end_own_write(d, VREC_DISC_INDETERMINATE);
}

void vrec_unload(struct vrec_drive *d)
{
    vrec_spoil_write(d);
    d->loaded = false;
    d->tray_open = true;
    d->busy = VREC_IDLE;
    d->media_event = 3; /* media removal */
}

void vrec_load(struct vrec_drive *d)
{
    d->tray_open = false;
    d->loaded = false;
    if (!d->media_path || vrec_media_load(d->media_path, &d->media) != 0)
        return;
    if (d->media.state == VREC_DISC_WRITING)
        d->media.state = VREC_DISC_INDETERMINATE;
    d->loaded = d->media.kind != VREC_MEDIA_NONE;
    if (d->loaded)
        d->media_event = 2; /* new media */
}

uint16_t vrec_busy_progress(struct vrec_drive *d)
{
    uint64_t span = d->busy_end_us - d->busy_start_us, done = vrec_now(d) - d->busy_start_us;
    if (span == 0 || done >= span)
        return 0xFFFF;
    return (uint16_t)(done * 65536 / span);
}

unsigned vrec_kbs_of_speed(unsigned x)
{
    return (uint32_t)CD_KBS_FROM_X(x);
}

int vrec_speed_list(const struct vrec_drive *d, unsigned out[16])
{
    static const unsigned standard[] = { 52, 48, 40, 32, 24, 16, 8, 4, 2, 1 };
    int n = 0;
    out[n++] = d->max_speed;
    for (size_t i = 0; i < sizeof(standard) / sizeof(standard[0]); i++)
        if (standard[i] < d->max_speed)
            out[n++] = standard[i];
    return n;
}

int32_t vrec_capacity_end(const struct vrec_drive *d)
{
    return vrec_kind(d->media.kind)->last_leadout + CD_FIRST_LEADOUT_SECTORS;
}

/* The settings a configuration may get wrong, by the names the registry
 * (README "Virtual recorders") and the CLI give them. */
static const struct {
    const char *key;
    size_t offset; /* of the const char * in struct vrec_config */
    size_t max;    /* characters */
} text_settings[] = {
    { "Vendor", offsetof(struct vrec_config, vendor), 8 },
    { "Product", offsetof(struct vrec_config, product), 16 },
    { "Revision", offsetof(struct vrec_config, revision), 4 },
};

static int bad_setting(char *err, size_t err_len, const char *fmt, const char *key, const char *value)
{
    if (err && err_len)
        snprintf(err, err_len, fmt, key, value);
    return VREC_ERR_SETTING;
}

int vrec_config_check(const struct vrec_config *cfg, char *err, size_t err_len)
{
    char value[32];
    if (err && err_len)
        err[0] = '\0';
    for (size_t i = 0; i < sizeof(text_settings) / sizeof(text_settings[0]); i++) {
        const char *text = *(const char *const *)((const char *)cfg + text_settings[i].offset);
        if (text && strlen(text) > text_settings[i].max) {
            snprintf(value, sizeof(value), "%zu", text_settings[i].max);
            if (err && err_len)
                snprintf(err, err_len, "%s \"%.40s%s\" is longer than %s characters", text_settings[i].key, text,
                         strlen(text) > 40 ? "..." : "", value);
            return VREC_ERR_SETTING;
        }
    }
    if (cfg->speed > VREC_MAX_SPEED) {
        snprintf(value, sizeof(value), "%u", cfg->speed);
        return bad_setting(err, err_len, "%s %s is not a speed from 1 to 52 (x; 0: the fastest)", "Speed", value);
    }
    if (cfg->raw_block_types & ~(VREC_RAW_ALL | VREC_RAW_NONE)) {
        snprintf(value, sizeof(value), "%#x", cfg->raw_block_types);
        return bad_setting(err, err_len, "%s %s has bits other than 0x1, 0x2, 0x4, 0x8", "RawBlockTypes", value);
    }
    char why[96];
    if (cfg->fault_script && vrec_fault_check(cfg->fault_script, why, sizeof(why)) != 0) {
        if (err && err_len)
            snprintf(err, err_len, "FaultScript %s", why);
        return VREC_ERR_FAULT_SCRIPT;
    }
    return 0;
}

static int copy_text(char *dst, size_t cap, const char *src, const char *fallback)
{
    if (!src)
        src = fallback;
    if (strlen(src) >= cap)
        return -1;
    strcpy(dst, src);
    return 0;
}

static int media_exists(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f)
        fclose(f);
    return f != NULL;
}

static int configure(struct vrec_drive *d, const struct vrec_config *cfg, const struct io_clock *clock)
{
    /* vrec_config_check has passed: the lengths and ranges fit. */
    if (copy_text(d->vendor, sizeof(d->vendor), cfg->vendor, "IMAPI2") ||
        copy_text(d->product, sizeof(d->product), cfg->product, "VIRTUAL CD-RW") ||
        copy_text(d->revision, sizeof(d->revision), cfg->revision, "1.0"))
        return VREC_ERR_SETTING;
    d->max_speed = d->write_speed = cfg->speed ? cfg->speed : VREC_MAX_SPEED;
    d->raw_block_types = cfg->raw_block_types ? cfg->raw_block_types & VREC_RAW_ALL : VREC_RAW_ALL;
    d->no_tao = cfg->no_tao;
    d->buffer_bytes = cfg->buffer_bytes ? cfg->buffer_bytes : VREC_DEFAULT_BUFFER;
    d->has_clock = clock && clock->now_us;
    if (d->has_clock)
        d->clock = *clock;
    d->unthrottled = cfg->unthrottled || !d->has_clock;
    vrec_default_write_parameters(d->page05);
    vrec_scramble_table(d->scramble);
    d->counters.buffer_low_water = UINT64_MAX;
    if (vrec_faults_parse(cfg->fault_script, &d->faults, NULL, 0) != 0)
        return VREC_ERR_FAULT_SCRIPT;
    for (int i = 0; i < d->faults.count; i++) {
        const struct vrec_fault *f = &d->faults.rule[i];
        if (f->kind == VF_UNIT_ATTENTION) {
            d->ua_asc = f->asc;
            d->ua_ascq = f->ascq;
        }
    }
    return 0;
}

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int attach_media(struct vrec_drive *d, const struct vrec_config *cfg)
{
    if (!cfg->media_path)
        return 0;
    d->media_path = dup_text(cfg->media_path);
    d->sectors_path = vrec_sectors_path(cfg->media_path);
    if (!d->media_path || !d->sectors_path)
        return -1;
    /* A FIFO or device node as the disc would block the first read forever. */
    if (vfile_kind(d->media_path) == VFILE_OTHER || vfile_kind(d->sectors_path) == VFILE_OTHER)
        return -2;
    if (!media_exists(d->media_path) && cfg->media_kind != VREC_MEDIA_NONE &&
        vrec_media_create(d->media_path, cfg->media_kind) != 0)
        return -2;
    if (media_exists(d->media_path)) {
        vrec_load(d);
        if (!d->loaded && d->media.kind != VREC_MEDIA_NONE)
            return -2;
    }
    d->media_event = 0; /* present from power-on: not an event */
    return 0;
}

int vrec_open(const struct vrec_config *cfg, const struct io_clock *clock, struct vrec_drive **out)
{
    *out = NULL;
    if (!cfg)
        return -1;
    int rc = vrec_config_check(cfg, NULL, 0);
    if (rc != 0)
        return rc;
    struct vrec_drive *d = calloc(1, sizeof(*d));
    if (!d)
        return -1;
    rc = configure(d, cfg, clock);
    if (rc == 0)
        rc = attach_media(d, cfg);
    if (rc != 0) {
        vrec_close(d);
        return rc;
    }
    d->open_us = d->drain_us = vrec_now(d);
    *out = d;
    return 0;
}

void vrec_close(struct vrec_drive *d)
{
    if (!d)
        return;
    vrec_spoil_write(d); /* power off in the middle of a write */
    free(d->media_path);
    free(d->sectors_path);
    free(d->batch);
    free(d);
}

const struct vrec_counters *vrec_counters(const struct vrec_drive *d)
{
    return &d->counters;
}

enum vrec_disc_state vrec_disc_state(struct vrec_drive *d)
{
    vrec_refresh_media(d);
    return d->media.state;
}

static void fail_not_ready(struct vrec_drive *d, struct vrec_cmd *c)
{
    vrec_fail(c, d->busy == VREC_BUSY_BLANK ? VS_OP_IN_PROGRESS : VS_LONG_WRITE);
    c->sksv = true;
    c->progress = vrec_busy_progress(d);
}

static void run_command(struct vrec_drive *d, const struct vrec_command *cmd, struct vrec_cmd *c)
{
    vrec_advance_time(d);
    if (!vrec_fault_before_command(d, c, cmd->info.opcode, (cmd->flags & VC_MEDIUM) != 0))
        return;
    if (!(cmd->flags & VC_NO_UA) && d->ua_asc) {
        vrec_fail_raw(c, 0x06, d->ua_asc, d->ua_ascq);
        d->ua_asc = d->ua_ascq = 0;
        return;
    }
    if (cmd->flags & VC_MEDIUM) {
        if (!d->loaded) {
            vrec_fail(c, d->tray_open ? VS_NO_MEDIUM_TRAY_OPEN : VS_NO_MEDIUM_TRAY_CLOSED);
            return;
        }
        vrec_refresh_media(d);
    }
    if ((cmd->flags & VC_IDLE) && d->busy != VREC_IDLE) {
        fail_not_ready(d, c);
        return;
    }
    cmd->handle(d, c);
}

static void report(const struct vrec_cmd *c, struct vrec_status *out)
{
    out->transport = c->transport;
    out->resid = c->len - c->done;
    if (c->transport != TRANSPORT_OK)
        return;
    out->status = c->check ? SCSI_STATUS_CHECK_CONDITION : SCSI_STATUS_GOOD;
    if (c->check) {
        vrec_build_sense(out->sense, c->key, c->asc, c->ascq, c->sksv, c->progress);
        out->sense_len = VREC_SENSE_LEN;
    }
}

void vrec_execute(struct vrec_drive *d, const uint8_t *cdb, size_t cdb_len, enum scsi_direction dir, void *buf,
                  uint32_t len, struct vrec_status *out)
{
    memset(out, 0, sizeof(*out));
    struct vrec_cmd c = { .cdb = cdb, .dir = dir, .buf = buf, .len = len };
    if (!d || !cdb || cdb_len == 0 || (len && !buf)) {
        out->transport = TRANSPORT_ERR_INVALID;
        out->resid = len;
        return;
    }
    d->counters.commands++;
    d->counters.per_opcode[cdb[0]]++;
    const struct vrec_command *cmd = find_command(cdb[0]);
    if (d->gone)
        c.transport = TRANSPORT_ERR_NO_DEVICE;
    else if (!cmd)
        vrec_fail(&c, VS_INVALID_OPCODE);
    else if (cdb_len < cmd->info.cdb_len || (len && dir != cmd->info.dir))
        c.transport = TRANSPORT_ERR_INVALID;
    else
        run_command(d, cmd, &c);
    if ((c.check && !vrec_sense_completes(c.key)) || c.transport != TRANSPORT_OK)
        c.done = 0; /* a failed command transfers nothing */
    report(&c, out);
}
