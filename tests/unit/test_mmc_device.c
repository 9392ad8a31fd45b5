/* The command runner: classification and retries against a scripted fake
 * transport, then end to end against the virtual recorder (blank, closed,
 * empty tray, not ready, unit attention, a long blank polled with progress,
 * cancel). */
#include "test_vrec_util.h"

#include "imapi2error.h"
#include "mmc/device.h"
#include "transport/virtual.h"

static char path[256];

/* ---- a scripted transport: answers from a list, counts what it was sent ---- */

struct step {
    enum transport_result tr;
    uint8_t status;
    uint8_t key, asc, ascq; /* sense when key or asc != 0 */
    int progress;           /* -1: no SKSV */
};

struct fake {
    struct scsi_transport base;
    const struct step *steps;
    size_t count, next, sent;
};

static enum transport_result fake_execute(struct scsi_transport *t, struct scsi_request *r)
{
    struct fake *f = (struct fake *)t;
    const struct step *s = &f->steps[f->next < f->count ? f->next : f->count - 1];
    f->next++;
    f->sent++;
    r->status = s->status;
    r->sense_len = 0;
    if (s->key || s->asc) {
        memset(r->sense, 0, 18);
        r->sense[0] = 0x70;
        r->sense[2] = s->key;
        r->sense[7] = 10;
        r->sense[12] = s->asc;
        r->sense[13] = s->ascq;
        if (s->progress >= 0) {
            r->sense[15] = 0x80;
            r->sense[16] = (uint8_t)(s->progress >> 8);
            r->sense[17] = (uint8_t)s->progress;
        }
        r->sense_len = 18;
    }
    r->resid = r->len / 2;
    return s->tr;
}

static void fake_nop(struct scsi_transport *t)
{
    (void)t;
}

static const struct scsi_transport_ops fake_ops = { "fake", fake_execute, fake_nop, fake_nop, fake_nop, NULL };

static void fake_init(struct fake *f, const struct step *steps, size_t count)
{
    memset(f, 0, sizeof(*f));
    f->base.ops = &fake_ops;
    f->base.max_transfer = 65536;
    f->steps = steps;
    f->count = count;
}

#define GOOD_STEP { TRANSPORT_OK, 0, 0, 0, 0, -1 }
#define SENSE_STEP(k, a, q, p) { TRANSPORT_OK, SCSI_STATUS_CHECK_CONDITION, k, a, q, p }

static unsigned busy_calls;
static uint16_t last_progress;
static void on_busy(void *ctx, uint8_t opcode, const struct mmc_sense *s)
{
    (void)ctx;
    (void)opcode;
    busy_calls++;
    if (s->progress_valid)
        last_progress = s->progress;
}

static void test_classification(void)
{
    struct fake f;
    struct mmc_device d;
    struct scsi_request r;
    uint8_t buf[64];
    static const struct {
        struct step step;
        enum mmc_outcome outcome;
        int32_t hr;
    } cases[] = {
        { GOOD_STEP, MMC_OUTCOME_GOOD, MMC_S_OK },
        { { TRANSPORT_ERR_TIMEOUT, 0, 0, 0, 0, -1 }, MMC_OUTCOME_TRANSPORT, E_IMAPI_RECORDER_COMMAND_TIMEOUT },
        { { TRANSPORT_ERR_NO_DEVICE, 0, 0, 0, 0, -1 }, MMC_OUTCOME_TRANSPORT, MMC_E_DEV_NOT_EXIST },
        { { TRANSPORT_ERR_IO, 0, 0, 0, 0, -1 }, MMC_OUTCOME_TRANSPORT, MMC_E_IO_DEVICE },
        { { TRANSPORT_ERR_CANCELLED, 0, 0, 0, 0, -1 }, MMC_OUTCOME_CANCELLED, E_IMAPI_REQUEST_CANCELLED },
        { { TRANSPORT_OK, 0x18, 0, 0, 0, -1 }, MMC_OUTCOME_STATUS, E_IMAPI_RECORDER_LOCKED },
        { { TRANSPORT_OK, 0x40, 0, 0, 0, -1 }, MMC_OUTCOME_STATUS, E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE },
        { { TRANSPORT_OK, SCSI_STATUS_CHECK_CONDITION, 0, 0, 0, -1 }, MMC_OUTCOME_SENSE,
          E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE },
        { SENSE_STEP(3, 0x0C, 0x09, -1), MMC_OUTCOME_SENSE, E_IMAPI_LOSS_OF_STREAMING },
        { SENSE_STEP(7, 0x27, 0x00, -1), MMC_OUTCOME_SENSE, E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED },
        { SENSE_STEP(1, 0x17, 0x01, -1), MMC_OUTCOME_SENSE, S_IMAPI_COMMAND_HAS_SENSE_DATA },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fake_init(&f, &cases[i].step, 1);
        mmc_device_init(&d, &f.base);
        mmc_build_inquiry(&r, buf, sizeof(buf));
        int32_t hr = mmc_run(&d, &r);
        ok(hr == cases[i].hr && d.last.outcome == cases[i].outcome && f.sent == 1 && d.last.opcode == 0x12,
           "case %u: hr %#x outcome %d sent %u\n", (unsigned)i, (unsigned)hr, d.last.outcome, (unsigned)f.sent);
    }
    ok(d.last.transferred == 32, "transferred = len - resid: %u\n", d.last.transferred);
}

static struct t_clock clk;

static void test_retries(void)
{
    struct fake f;
    struct mmc_device d;
    struct scsi_request r;

    /* unit attention: retried once, then the command runs */
    static const struct step ua[] = { SENSE_STEP(6, 0x28, 0, -1), GOOD_STEP };
    fake_init(&f, ua, 2);
    mmc_device_init(&d, &f.base);
    mmc_build_test_unit_ready(&r);
    ok(mmc_run(&d, &r) == MMC_S_OK && f.sent == 2 && d.last.attempts == 2, "UA retried: sent %u\n", (unsigned)f.sent);
    static const struct step ua2[] = { SENSE_STEP(6, 0x29, 0, -1), SENSE_STEP(6, 0x28, 0, -1), GOOD_STEP };
    fake_init(&f, ua2, 3);
    ok(mmc_run(&(struct mmc_device){ .transport = &f.base, .poll_interval_ms = 1 }, &r) ==
               E_IMAPI_RECORDER_MEDIA_BECOMING_READY && f.sent == 2,
       "only one UA retry: sent %u\n", (unsigned)f.sent);

    /* becoming ready, then ready: the clock moves by the poll interval */
    static const struct step ready[] = { SENSE_STEP(2, 4, 1, -1), SENSE_STEP(2, 4, 1, -1), GOOD_STEP };
    fake_init(&f, ready, 3);
    mmc_device_init(&d, &f.base);
    memset(&clk, 0, sizeof(clk));
    d.clock = (struct io_clock){ t_clock_now, t_clock_sleep, &clk };
    ok(mmc_run(&d, &r) == MMC_S_OK && f.sent == 3 && clk.now == 2 * MMC_DEFAULT_POLL_INTERVAL_MS * 1000,
       "becoming ready waited %llu us\n", (unsigned long long)clk.now);

    /* never ready: bounded by ready_timeout_ms */
    static const struct step never[] = { SENSE_STEP(2, 4, 1, -1) };
    fake_init(&f, never, 1);
    d.transport = &f.base;
    d.ready_timeout_ms = 1000;
    clk.now = 0;
    ok(mmc_run(&d, &r) == E_IMAPI_RECORDER_MEDIA_BECOMING_READY && clk.now >= 1000000 && clk.now <= 1100000 &&
           f.sent == 11,
       "gave up after %llu us, %u sends\n", (unsigned long long)clk.now, (unsigned)f.sent);
    /* the same without a clock: bounded by counting */
    fake_init(&f, never, 1);
    mmc_device_init(&d, &f.base);
    d.ready_timeout_ms = 500;
    ok(mmc_run(&d, &r) == E_IMAPI_RECORDER_MEDIA_BECOMING_READY && f.sent == 6, "no clock: %u sends\n",
       (unsigned)f.sent);

    /* a long operation: polled with progress */
    static const struct step longop[] = { SENSE_STEP(2, 4, 8, 0x1000), SENSE_STEP(2, 4, 8, 0x8000), GOOD_STEP };
    fake_init(&f, longop, 3);
    mmc_device_init(&d, &f.base);
    d.on_busy = on_busy;
    busy_calls = 0;
    ok(mmc_run(&d, &r) == MMC_S_OK && busy_calls == 2 && last_progress == 0x8000, "long write: %u calls, %u\n",
       busy_calls, last_progress);

    /* cancel: nothing is sent */
    atomic_bool cancel;
    atomic_init(&cancel, true);
    fake_init(&f, ready, 3);
    mmc_device_init(&d, &f.base);
    d.cancel = &cancel;
    ok(mmc_run(&d, &r) == E_IMAPI_REQUEST_CANCELLED && f.sent == 0 && d.last.outcome == MMC_OUTCOME_CANCELLED,
       "cancelled before sending\n");
    /* cancel during a wait: the loop ends */
    atomic_store(&cancel, false);
    fake_init(&f, never, 1);
    d.transport = &f.base;
    d.clock = (struct io_clock){ t_clock_now, t_clock_sleep, &clk };
    d.on_busy = NULL;
    atomic_store(&cancel, true);
    ok(mmc_run(&d, &r) == E_IMAPI_REQUEST_CANCELLED, "cancel flag ends the retry loop\n");
}

/* ---- end to end against the virtual recorder ---- */

static struct scsi_transport *open_virtual(enum vrec_media_kind kind, struct t_clock *c, const char *faults)
{
    struct vrec_config cfg = { 0 };
    t_media_remove(path);
    cfg.media_path = kind == VREC_MEDIA_NONE ? NULL : path;
    cfg.media_kind = kind;
    cfg.fault_script = faults;
    cfg.unthrottled = c == NULL;
    struct io_clock vc;
    if (c)
        vc = t_clock_of(c);
    struct scsi_transport *t = NULL;
    int rc = virtual_transport_open(&cfg, c ? &vc : NULL, &t);
    ok(rc == 0 && t, "virtual transport: %d\n", rc);
    return t;
}

static void test_blank_cdr(void)
{
    struct scsi_transport *t = open_virtual(VREC_MEDIA_CDR80, NULL, NULL);
    struct mmc_device d;
    mmc_device_init(&d, t);

    struct mmc_inquiry q = { 0 };
    ok(mmc_query_inquiry(&d, &q) == MMC_S_OK && q.peripheral_type == 5 && strcmp(q.vendor, "IMAPI2") == 0 &&
           strcmp(q.product, "VIRTUAL CD-RW") == 0,
       "inquiry '%s' '%s'\n", q.vendor, q.product);
    struct mmc_configuration c = { 0 };
    ok(mmc_query_configuration(&d, MMC_RT_ALL, 0, &c) == MMC_S_OK && c.current_profile == MMC_PROFILE_CD_R &&
           mmc_config_has_profile(&c, MMC_PROFILE_CD_RW) && c.mastering.present && c.mastering.current &&
           c.mastering.raw && c.mastering.buf && c.mastering.test_write && c.tao.current,
       "config: profile %04x raw %d\n", c.current_profile, c.mastering.raw);
    ok(mmc_query_configuration(&d, MMC_RT_ONE, MMC_FEATURE_CD_MASTERING, &c) == MMC_S_OK && c.feature_count == 1 &&
           c.mastering.present,
       "config RT=2\n");
    struct mmc_disc_info di = { 0 };
    ok(mmc_query_disc_info(&d, &di) == MMC_S_OK && di.disc_status == MMC_DISC_EMPTY && !di.erasable &&
           di.leadin_valid && di.last_session_leadin == CD_TYPICAL_LEADIN_LBA && di.last_possible_leadout == 359849,
       "blank disc info %d %d\n", di.last_session_leadin, di.last_possible_leadout);
    struct mmc_atip a = { 0 };
    ok(mmc_query_atip(&d, &a) == MMC_S_OK && a.leadin_start == CD_TYPICAL_LEADIN_LBA && a.last_possible_leadout == 359849 &&
           !a.erasable,
       "ATIP %d %d\n", a.leadin_start, a.last_possible_leadout);
    struct mmc_track_info ti = { 0 };
    ok(mmc_query_track_info(&d, MMC_TRACK_BY_NUMBER, 1, &ti) == MMC_S_OK && ti.blank && ti.nwa_valid &&
           ti.free_blocks == 359849,
       "invisible track: free %u\n", ti.free_blocks);
    struct mmc_toc toc = { 0 };
    ok(mmc_query_toc(&d, &toc) == E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE && d.last.sense.asc == 0x24,
       "no TOC on blank media: %#x\n", (unsigned)d.last.hr);
    struct mmc_capabilities cap = { 0 };
    ok(mmc_query_capabilities(&d, &cap) == MMC_S_OK && cap.write_cdr && cap.write_cdrw && cap.buf &&
           cap.buffer_kb == 2048 && cap.speed_count > 0 && cap.speeds[0].kbs == cap.max_write_kbs,
       "capabilities: %u speeds, max %u\n", (unsigned)cap.speed_count, cap.max_write_kbs);
    struct mmc_write_speeds ws = { 0 };
    ok(mmc_query_write_speeds(&d, &ws) == MMC_S_OK && ws.count == cap.speed_count &&
           ws.d[0].write_kbs == cap.speeds[0].kbs && ws.d[0].end_lba == 359849,
       "write speeds %u\n", (unsigned)ws.count);
    struct mmc_buffer_capacity bc = { 0 };
    ok(mmc_query_buffer_capacity(&d, &bc) == MMC_S_OK && bc.length == 2 * 1024 * 1024 && bc.blank == bc.length,
       "buffer %u free %u\n", bc.length, bc.blank);
    struct mmc_event_status es = { 0 };
    ok(mmc_query_event_status(&d, &es) == MMC_S_OK && es.has_media_event && es.media_present, "media event\n");
    struct mmc_sense s = { 0 };
    ok(mmc_query_sense(&d, &s) == MMC_S_OK && s.key == 0 && s.asc == 0, "REQUEST SENSE idle\n");

    /* page 05: get, set RAW / block type 1 / BUFE, put back, read again */
    struct mmc_mode_page page = { 0 };
    struct mmc_write_params wp = { 0 };
    ok(mmc_query_mode_page(&d, MMC_PC_CURRENT, MMC_PAGE_WRITE_PARAMETERS, &page) == MMC_S_OK &&
           mmc_parse_write_params(page.data, page.len, &wp) == MMC_S_OK && wp.write_type == MMC_WT_TAO,
       "page 05 default TAO\n");
    wp.write_type = MMC_WT_RAW;
    wp.data_block_type = 1;
    wp.bufe = true;
    ok(mmc_apply_write_params(page.data, page.len, &wp) == MMC_S_OK && mmc_select_mode_page(&d, &page) == MMC_S_OK,
       "MODE SELECT raw: %#x\n", (unsigned)d.last.hr);
    struct mmc_write_params back = { 0 };
    ok(mmc_query_mode_page(&d, MMC_PC_CURRENT, MMC_PAGE_WRITE_PARAMETERS, &page) == MMC_S_OK &&
           mmc_parse_write_params(page.data, page.len, &back) == MMC_S_OK && back.write_type == MMC_WT_RAW &&
           back.data_block_type == 1 && back.bufe,
       "page 05 reads back raw\n");
    wp.data_block_type = 7;
    ok(mmc_apply_write_params(page.data, page.len, &wp) == MMC_S_OK &&
           mmc_select_mode_page(&d, &page) == E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS,
       "unsupported data block type refused\n");
    ok(mmc_query_mode_page(&d, MMC_PC_CURRENT, 0x2B, &page) != MMC_S_OK, "unknown page\n");
    ok(mmc_set_cd_speed(&d, MMC_SPEED_MAX, 4 * MMC_CD_KBS_PER_X) == MMC_S_OK &&
           mmc_query_capabilities(&d, &cap) == MMC_S_OK && cap.selected_write_kbs <= 4 * 177,
       "SET CD SPEED 4x: selected %u\n", cap.selected_write_kbs);
    scsi_transport_close(t);
}

static void test_closed_and_empty(void)
{
    struct scsi_transport *t = open_virtual(VREC_MEDIA_CDR_CLOSED, NULL, NULL);
    struct mmc_device d;
    mmc_device_init(&d, t);
    struct mmc_disc_info di = { 0 };
    ok(mmc_query_disc_info(&d, &di) == MMC_S_OK && di.disc_status == MMC_DISC_COMPLETE &&
           di.last_session_state == MMC_SESSION_COMPLETE && !di.leadin_valid,
       "closed disc info\n");
    struct mmc_toc toc = { 0 };
    ok(mmc_query_toc(&d, &toc) == MMC_S_OK && toc.first_track == 1 && toc.last_track == 1 && toc.count == 2 &&
           toc.entries[0].lba == 0 && toc.entries[1].track == 0xAA && toc.entries[1].lba == 4500,
       "closed TOC: lead-out %d\n", toc.entries[1].lba);
    static struct mmc_full_toc full = { 0 };
    ok(mmc_query_full_toc(&d, &full) == MMC_S_OK && mmc_full_toc_find(&full, 1, 0xA2) != NULL, "full TOC\n");
    struct mmc_session_info si = { 0 };
    ok(mmc_query_session_info(&d, &si) == MMC_S_OK && si.first_track_last_session == 1 && si.start == 0,
       "session info\n");
    struct mmc_configuration c = { 0 };
    ok(mmc_query_configuration(&d, MMC_RT_ALL, 0, &c) == MMC_S_OK && !c.mastering.current, "no raw on closed\n");
    scsi_transport_close(t);

    t = open_virtual(VREC_MEDIA_NONE, NULL, NULL);
    mmc_device_init(&d, t);
    ok(mmc_query_disc_info(&d, &di) == E_IMAPI_RECORDER_MEDIA_NO_MEDIA, "empty tray: %#x\n", (unsigned)d.last.hr);
    ok(mmc_query_configuration(&d, MMC_RT_ALL, 0, &c) == MMC_S_OK && c.current_profile == 0, "no profile\n");
    scsi_transport_close(t);

    t = open_virtual(VREC_MEDIA_DVD, NULL, NULL);
    mmc_device_init(&d, t);
    struct mmc_atip a = { 0 };
    ok(mmc_query_atip(&d, &a) != MMC_S_OK, "no ATIP on DVD\n");
    ok(mmc_query_configuration(&d, MMC_RT_ALL, 0, &c) == MMC_S_OK && c.current_profile == MMC_PROFILE_DVD_ROM,
       "DVD profile\n");
    scsi_transport_close(t);
}

static void test_vrec_waits(void)
{
    /* not ready for 500 ms after open: the runner waits on the simulated clock */
    memset(&clk, 0, sizeof(clk));
    struct scsi_transport *t = open_virtual(VREC_MEDIA_CDR80, &clk, "not-ready ms 500\n");
    struct mmc_device d;
    mmc_device_init(&d, t);
    d.clock = (struct io_clock){ t_clock_now, t_clock_sleep, &clk };
    struct mmc_disc_info di = { 0 };
    ok(mmc_query_disc_info(&d, &di) == MMC_S_OK && d.last.attempts == 6 && clk.now >= 500000,
       "became ready after %u attempts, %llu us\n", d.last.attempts, (unsigned long long)clk.now);
    scsi_transport_close(t);

    t = open_virtual(VREC_MEDIA_CDR80, NULL, "unit-attention next\n");
    mmc_device_init(&d, t);
    ok(mmc_query_disc_info(&d, &di) == MMC_S_OK && d.last.attempts == 2, "unit attention retried once\n");
    scsi_transport_close(t);

    /* a full blank with Immed, then polled with progress */
    memset(&clk, 0, sizeof(clk));
    t = open_virtual(VREC_MEDIA_CDRW, &clk, NULL);
    mmc_device_init(&d, t);
    d.clock = (struct io_clock){ t_clock_now, t_clock_sleep, &clk };
    d.poll_interval_ms = 5000;
    d.on_busy = on_busy;
    busy_calls = 0;
    last_progress = 0;
    struct scsi_request r;
    mmc_build_blank(&r, MMC_BLANK_FULL, true, 0);
    ok(mmc_run(&d, &r) == MMC_S_OK, "BLANK immed\n");
    ok(mmc_wait_ready(&d) == MMC_S_OK && busy_calls > 3 && last_progress > 0x8000, "blank polled: %u calls, %u\n",
       busy_calls, last_progress);
    /* the same with a short limit: gives up with the busy HRESULT */
    mmc_build_blank(&r, MMC_BLANK_FULL, true, 0);
    mmc_run(&d, &r);
    d.long_op_timeout_ms = 20000;
    ok(mmc_wait_ready(&d) == E_IMAPI_RECORDER_MEDIA_BUSY, "long op limit: %#x\n", (unsigned)d.last.hr);
    scsi_transport_close(t);
}

int main(void)
{
    t_media_path(path, sizeof(path), "mmc_device");
    test_classification();
    test_retries();
    test_blank_cdr();
    test_closed_and_empty();
    test_vrec_waits();
    t_media_remove(path);
    return okay_summary("mmc_device");
}
