/* Virtual recorder fault scripts: the parser (line-numbered errors) and each
 * rule, reproduced from its script alone. Also the virtual transport. */
#include "test_vrec_util.h"

#include "transport/virtual.h"

#include <sys/stat.h>
#include "mmc/geometry.h"

static char path[256];

static void test_parser(void)
{
    char err[128];
    const char *good = "# comment\n\nat-lba -100 sense 03/0C/00\nat-write 5 sense 02/04/01  # trailing\n"
                       "after-ms 2000 sense 03/0c/00\ndelay opcode 0x35 ms 3000\nremove-medium at-lba 1000\n"
                       "disappear at-write 50\nnot-ready ms 1500\nunit-attention next\n"
                       "unit-attention next sense 06/28/00\nat-write 7 stall ms 61000\nat-lba -20 stall ms 5\n";
    ok(vrec_fault_check(good, err, sizeof(err)) == 0 && err[0] == 0, "valid script: %s\n", err);
    static const struct {
        const char *script;
        int line;
    } bad[] = {
        { "at-lba -100 sense 03/0C/00\nat-lba x sense 03/0C/00\n", 2 },
        { "at-lba 1 sense 3/0C\n", 1 },
        { "at-write -1 sense 03/0C/00\n", 1 },
        { "\n\nexplode now\n", 3 },
        { "delay opcode 0x135 ms 5\n", 1 },
        { "not-ready ms\n", 1 },
        { "at-write 3 stall 5000\n", 1 },
        { "at-lba 3 stall ms -1\n", 1 },
        { "at-lba 1 sense 03/0C/00 extra words here ok\n", 1 },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int line = vrec_fault_check(bad[i].script, err, sizeof(err));
        char want[32];
        snprintf(want, sizeof(want), "line %d:", bad[i].line);
        ok(line == bad[i].line && strncmp(err, want, strlen(want)) == 0, "bad script %u: line %d (%s)\n",
           (unsigned)i, line, err);
    }
    struct vrec_config cfg = { .fault_script = "nonsense" };
    struct vrec_drive *d = (struct vrec_drive *)1;
    ok(vrec_open(&cfg, NULL, &d) == -3 && d == NULL, "open with a bad script\n");

    /* every bad setting is named, with its value */
    static const struct {
        struct vrec_config cfg;
        int rc;
        const char *says;
    } settings[] = {
        { { .speed = 53 }, VREC_ERR_SETTING, "Speed 53 " },
        { { .vendor = "NINECHARS" }, VREC_ERR_SETTING, "Vendor \"NINECHARS\" is longer than 8" },
        { { .product = "SEVENTEEN CHARS!!" }, VREC_ERR_SETTING, "Product \"SEVENTEEN CHARS!!\" is longer than 16" },
        { { .revision = "1.0.0" }, VREC_ERR_SETTING, "Revision \"1.0.0\"" },
        { { .raw_block_types = 0x10 }, VREC_ERR_SETTING, "RawBlockTypes 0x10 " },
        { { .fault_script = "at-lba 1 sense 03/0C/00\nexplode" }, VREC_ERR_FAULT_SCRIPT, "FaultScript line 2: unknown rule" },
        { { .speed = 52, .vendor = "EIGHTCHR", .product = "SIXTEEN CHARS!!!", .revision = "ABCD", .raw_block_types = 0xF },
          0, "" },
    };
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
        char why[160];
        int rc = vrec_config_check(&settings[i].cfg, why, sizeof(why));
        ok(rc == settings[i].rc && strncmp(why, settings[i].says, strlen(settings[i].says)) == 0 &&
               (rc != 0) == (why[0] != 0),
           "setting %u: %d '%s'\n", (unsigned)i, rc, why);
        d = (struct vrec_drive *)1;
        rc = vrec_open(&settings[i].cfg, NULL, &d);
        ok(rc == settings[i].rc && (rc != 0) == (d == NULL), "open with setting %u: %d\n", (unsigned)i, rc);
        vrec_close(d);
    }
}

static void test_sense_at_lba(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, "at-lba -100 sense 03/0C/00");
    t_mode_select(d, 3, 1, 0, 0);
    int32_t stop = t_burn_range(d, 1, CD_TYPICAL_LEADIN_LBA, T_END, 40);
    ok(stop <= -100 && stop + 40 > -100 && t_sense_is(3, 0x0C, 0), "stopped at %d " T_SENSE_FMT "\n", stop,
       T_SENSE_ARGS);
    ok(vrec_disc_state(d) == VREC_DISC_INDETERMINATE, "write error spoils\n");
    vrec_close(d);
}

static void test_sense_at_write(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, "at-write 5 sense 02/04/01");
    t_mode_select(d, 3, 1, 0, 0);
    int32_t stop = t_burn_range(d, 1, CD_TYPICAL_LEADIN_LBA, CD_TYPICAL_LEADIN_LBA + 100, 10);
    ok(stop == CD_TYPICAL_LEADIN_LBA + 40 && t_sense_is(2, 0x04, 0x01), "5th WRITE: %d " T_SENSE_FMT "\n", stop - CD_TYPICAL_LEADIN_LBA,
       T_SENSE_ARGS);
    ok(t_burn_range(d, 1, stop, CD_TYPICAL_LEADIN_LBA + 100, 10) == CD_TYPICAL_LEADIN_LBA + 100, "retry goes on (not ready is transient)\n");
    ok(vrec_disc_state(d) == VREC_DISC_WRITING, "still writing\n");
    vrec_close(d);
}

/* A recovered error completes the command, as on a real drive: the WRITE
 * answered 01/17/01 recorded its sectors, so the next WRITE continues
 * without a gap. */
static void test_recovered_error(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, "at-write 3 sense 01/17/01\nat-lba 200 sense 01/18/00");
    t_mode_select(d, 3, 1, 0, 0);
    int32_t stop = t_burn_range(d, 1, CD_TYPICAL_LEADIN_LBA, CD_TYPICAL_LEADIN_LBA + 100, 10);
    ok(stop == CD_TYPICAL_LEADIN_LBA + 20 && t_sense_is(1, 0x17, 0x01) && t_st.resid == 0,
       "3rd WRITE: recovered error at %d, resid %u " T_SENSE_FMT "\n", stop - CD_TYPICAL_LEADIN_LBA, t_st.resid, T_SENSE_ARGS);
    ok(vrec_counters(d)->sectors_written == 30, "the recovered WRITE recorded its sectors: %llu\n",
       (unsigned long long)vrec_counters(d)->sectors_written);
    ok(t_burn_range(d, 1, stop + 10, CD_TYPICAL_LEADIN_LBA + 100, 10) == CD_TYPICAL_LEADIN_LBA + 100, "the next WRITE follows on: " T_SENSE_FMT "\n",
       T_SENSE_ARGS);
    ok(vrec_disc_state(d) == VREC_DISC_WRITING, "still writing\n");
    vrec_close(d);
}

static void test_time_rules(void)
{
    struct t_clock clk = { 0 };
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, &clk,
                                  "not-ready ms 1500\nafter-ms 2000 sense 03/0C/00\ndelay opcode 0x35 ms 3000");
    t_tur(d);
    ok(t_sense_is(2, 0x04, 0x01), "becoming ready " T_SENSE_FMT "\n", T_SENSE_ARGS);
    uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 }, r[36];
    t_exec(d, inq, 6, SCSI_DIR_IN, r, 36);
    ok(t_good(), "INQUIRY answers while not ready\n");
    clk.now = 1600000;
    t_tur(d);
    ok(t_good(), "ready at 1.6 s\n");
    clk.now = 2500000;
    t_tur(d);
    ok(t_sense_is(3, 0x0C, 0x00), "after 2 s " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_tur(d);
    ok(t_good(), "fires once\n");
    uint64_t before = clk.slept;
    t_sync(d, 0);
    ok(t_good() && clk.slept - before == 3000000, "SYNCHRONIZE CACHE took %llu us\n",
       (unsigned long long)(clk.slept - before));
    vrec_close(d);
}

static void test_remove_and_disappear(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, "remove-medium at-lba 100");
    t_mode_select(d, 3, 1, 0, 0);
    int32_t stop = t_burn_range(d, 1, CD_TYPICAL_LEADIN_LBA, T_END, 64);
    ok(stop <= 100 && stop + 64 > 100 && t_sense_is(2, 0x3A, 0x00), "medium gone at %d " T_SENSE_FMT "\n", stop,
       T_SENSE_ARGS);
    t_tur(d);
    ok(t_sense_is(2, 0x3A, 0x02), "TUR after removal " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);
    d = t_open(path, VREC_MEDIA_NONE, NULL, NULL);
    ok(vrec_disc_state(d) == VREC_DISC_INDETERMINATE, "the removed disc is spoiled\n");
    vrec_close(d);

    t_media_remove(path);
    d = t_open(path, VREC_MEDIA_CDR80, NULL, "disappear at-write 50");
    t_mode_select(d, 3, 1, 0, 0);
    stop = t_burn_range(d, 1, CD_TYPICAL_LEADIN_LBA, T_END, 10);
    ok(stop == CD_TYPICAL_LEADIN_LBA + 490 && t_st.transport == TRANSPORT_ERR_NO_DEVICE, "gone at WRITE %d, transport %d\n",
       (stop - CD_TYPICAL_LEADIN_LBA) / 10 + 1, t_st.transport);
    uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 }, r[36];
    t_exec(d, inq, 6, SCSI_DIR_IN, r, 36);
    ok(t_st.transport == TRANSPORT_ERR_NO_DEVICE, "INQUIRY after disappearing: %d\n", t_st.transport);
    struct vrec_drive *other = t_open(path, VREC_MEDIA_NONE, NULL, NULL);
    ok(vrec_disc_state(other) == VREC_DISC_INDETERMINATE, "disc left indeterminate\n");
    vrec_close(other);
    vrec_close(d);
}

static void test_unit_attention_sense(void)
{
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, "unit-attention next sense 06/28/00");
    t_tur(d);
    ok(t_sense_is(6, 0x28, 0), "custom unit attention " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);
}

/* The inner clock of the transport test: cancels the transport after 50 ms of sleeping. */
struct cancel_clock {
    struct t_clock base;
    struct scsi_transport *t;
};

static int cancel_clock_sleep(void *ctx, uint64_t us)
{
    struct cancel_clock *c = ctx;
    t_clock_sleep(&c->base, us);
    if (c->base.slept >= 50000 && c->t)
        scsi_transport_cancel(c->t); /* as another thread would */
    return 0;
}

static uint64_t cancel_clock_now(void *ctx)
{
    return ((struct cancel_clock *)ctx)->base.now;
}

static void test_virtual_transport(void)
{
    t_media_remove(path);
    struct cancel_clock clk = { { 0, 0 }, NULL };
    struct io_clock vc = { cancel_clock_now, cancel_clock_sleep, &clk };
    struct vrec_config cfg = { .media_path = path, .media_kind = VREC_MEDIA_CDR80, .speed = 1,
                               .buffer_bytes = 64 * 1024 };
    struct scsi_transport *t = NULL;
    ok(virtual_transport_open(&cfg, &vc, &t) == 0 && t, "virtual transport\n");
    ok(strcmp(t->ops->name, "virtual") == 0 && virtual_transport_drive(t) != NULL, "name %s\n", t->ops->name);
    clk.t = t;

    struct scsi_request req = { .cdb = { 0x12, 0, 0, 0, 36, 0 }, .cdb_len = 6, .dir = SCSI_DIR_IN };
    uint8_t r[36];
    req.buf = r, req.len = sizeof(r);
    ok(scsi_transport_execute(t, &req) == TRANSPORT_OK && req.status == 0 && r[0] == 5, "INQUIRY\n");

    struct scsi_request ms = { .cdb = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, 60, 0 }, .cdb_len = 10, .dir = SCSI_DIR_OUT };
    uint8_t page[60] = { 0 };
    page[8] = 5, page[9] = 0x32, page[10] = 3, page[12] = 1;
    ms.buf = page, ms.len = sizeof(page);
    ok(scsi_transport_execute(t, &ms) == TRANSPORT_OK && ms.status == 0, "MODE SELECT raw\n");

    /* 1x drains 177600 B/s; 64 KiB fills at once, then the drive must wait */
    uint8_t *buf = malloc(CD_SECTOR_RAW_PQ * 40);
    enum transport_result res = TRANSPORT_OK;
    int32_t lba = CD_TYPICAL_LEADIN_LBA;
    for (; lba < CD_TYPICAL_LEADIN_LBA + 400 && res == TRANSPORT_OK; lba += 40) {
        for (int i = 0; i < 40; i++)
            t_make_sector(lba + i, 1, buf + CD_SECTOR_RAW_PQ * i);
        struct scsi_request w = { .cdb = { 0x2A, 0, 0xFF, 0xFF, (uint8_t)((uint32_t)lba >> 8), (uint8_t)lba, 0, 0, 40 },
                                  .cdb_len = 10, .dir = SCSI_DIR_OUT, .buf = buf, .len = CD_SECTOR_RAW_PQ * 40 };
        res = scsi_transport_execute(t, &w);
    }
    ok(res == TRANSPORT_ERR_CANCELLED, "a waiting WRITE is cancelled: %d\n", res);
    ok(clk.base.slept >= 50000 && clk.base.slept <= 50000 + VIRTUAL_SLEEP_SLICE_US, "woke within a slice: %llu\n",
       (unsigned long long)clk.base.slept);
    clk.t = NULL;
    scsi_transport_reset_cancel(t);
    struct scsi_request sync = { .cdb = { 0x35 }, .cdb_len = 10, .dir = SCSI_DIR_NONE };
    ok(scsi_transport_execute(t, &sync) == TRANSPORT_OK && sync.status == 0, "SYNCHRONIZE CACHE after cancel\n");
    ok(vrec_disc_state(virtual_transport_drive(t)) == VREC_DISC_INDETERMINATE, "cancelled burn: indeterminate\n");

    struct scsi_request bad = { .cdb = { 0xFD }, .cdb_len = 10, .dir = SCSI_DIR_NONE };
    ok(scsi_transport_execute(t, &bad) == TRANSPORT_OK && bad.status == 2 && bad.sense_len == 18 &&
           bad.sense[2] == 5 && bad.sense[12] == 0x20,
       "unknown opcode through the transport\n");
    bad.cdb_len = 7;
    ok(scsi_transport_execute(t, &bad) == TRANSPORT_ERR_INVALID, "CDB length 7\n");
    scsi_transport_close(t);
    free(buf);
}

/* The request's timeout bounds what the drive may hold a command for: a
 * delayed INQUIRY past it is TRANSPORT_ERR_TIMEOUT at the deadline, within
 * it a good answer; the same without any clock (no real time passes). */
static void test_transport_timeout(void)
{
    for (int timed = 0; timed <= 1; timed++) {
        struct t_clock clk = { 0, 0 };
        struct io_clock vc = t_clock_of(&clk);
        struct vrec_config cfg = { .media_kind = VREC_MEDIA_NONE, .fault_script = "delay opcode 0x12 ms 5000" };
        struct scsi_transport *t = NULL;
        ok(virtual_transport_open(&cfg, timed ? &vc : NULL, &t) == 0 && t, "virtual transport\n");
        if (!t)
            return;
        uint8_t r[36];
        struct scsi_request req = { .cdb = { 0x12, 0, 0, 0, 36, 0 }, .cdb_len = 6, .dir = SCSI_DIR_IN, .buf = r,
                                    .len = sizeof(r), .timeout_ms = 2000 };
        enum transport_result res = scsi_transport_execute(t, &req);
        ok(res == TRANSPORT_ERR_TIMEOUT && req.status == 0 && req.sense_len == 0 && req.resid == sizeof(r),
           "held past 2 s (clock %d): %d resid %u\n", timed, res, req.resid);
        if (timed)
            ok(clk.now == 2000000, "abandoned at the deadline: %llu us\n", (unsigned long long)clk.now);
        req.timeout_ms = 6000;
        ok(scsi_transport_execute(t, &req) == TRANSPORT_OK && req.status == 0 && r[0] == 5,
           "within 6 s (clock %d): good\n", timed);
        req.timeout_ms = 0; /* the default, 60 s */
        ok(scsi_transport_execute(t, &req) == TRANSPORT_OK && req.status == 0, "default timeout\n");
        scsi_transport_close(t);
    }
}

/* A media file that is a FIFO (or whose .sectors file is one) is refused at
 * once: a plain open of it would block the drive, and the sghelper serving
 * it, forever. alarm() turns a hang into a failure. */
static void test_fifo_media(void)
{
    char fifo[300], sectors[320];
    snprintf(fifo, sizeof(fifo), "%s.fifo", path);
    snprintf(sectors, sizeof(sectors), "%s.sectors", fifo);
    for (int which = 0; which < 2; which++) {
        unlink(fifo);
        unlink(sectors);
        ok(mkfifo(which ? sectors : fifo, 0600) == 0, "mkfifo\n");
        struct vrec_config cfg = { .media_path = fifo, .media_kind = VREC_MEDIA_CDR80 };
        struct vrec_drive *d = (struct vrec_drive *)1;
        alarm(10);
        int rc = vrec_open(&cfg, NULL, &d);
        alarm(0);
        ok(rc == -2 && d == NULL, "%s is a FIFO: %d\n", which ? "the .sectors file" : "the media file", rc);
    }
    unlink(fifo);
    unlink(sectors);
}

int main(void)
{
    t_media_path(path, sizeof(path), "faults");
    test_parser();
    test_sense_at_lba();
    test_sense_at_write();
    test_recovered_error();
    test_time_rules();
    test_remove_and_disappear();
    test_unit_attention_sense();
    test_virtual_transport();
    test_transport_timeout();
    test_fifo_media();
    t_media_remove(path);
    return okay_summary("vrec_faults");
}
