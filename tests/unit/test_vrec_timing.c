/* Virtual recorder in simulated time: throttling against the buffer, underrun
 * with BUFE off (spoils) and on (counted), low-water mark, SYNCHRONIZE CACHE
 * and BLANK with Immed and progress in sense. */
#include "test_vrec_util.h"
#include "mmc/geometry.h"

static char path[256];

static struct vrec_drive *open_timed(struct t_clock *clk, enum vrec_media_kind kind, unsigned speed, uint32_t buffer)
{
    t_media_remove(path);
    struct vrec_config cfg = { .media_path = path, .media_kind = kind, .speed = speed, .buffer_bytes = buffer };
    struct io_clock vc = t_clock_of(clk);
    struct vrec_drive *d = NULL;
    ok(vrec_open(&cfg, &vc, &d) == 0, "open timed drive\n");
    return d;
}

static void test_throttle(void)
{
    struct t_clock clk = { 0 };
    struct vrec_drive *d = open_timed(&clk, VREC_MEDIA_CDR80, 4, 0);
    t_mode_select(d, 3, 3, 0, 0);
    int32_t end = CD_TYPICAL_LEADIN_LBA + 2000;
    ok(t_burn_range(d, 3, CD_TYPICAL_LEADIN_LBA, end, 25) == end, "2000 sectors " T_SENSE_FMT "\n", T_SENSE_ARGS);
    /* 4x with 2448-byte sectors drains 734400 B/s; all but the 2 MiB buffer had to wait */
    uint64_t want = (uint64_t)((2000.0 * CD_SECTOR_RAW_PW - 2097152) / 734400.0 * 1e6);
    ok(clk.slept > want - 5000 && clk.slept < want + 40000, "slept %llu us, want about %llu\n",
       (unsigned long long)clk.slept, (unsigned long long)want);
    ok(vrec_counters(d)->underruns == 0, "no underrun when the host keeps up\n");

    /* the buffer is full now; a 1 s pause drains 734400 bytes */
    clk.now += 1000000;
    ok(t_burn_range(d, 3, end, end + 25, 25) == end + 25, "write after a pause\n");
    uint64_t lw = vrec_counters(d)->buffer_low_water;
    ok(lw == 2097152 - 734400, "low water %llu\n", (unsigned long long)lw);

    uint8_t rbc[10] = { 0x5C, 0, 0, 0, 0, 0, 0, 0, 12, 0 }, b[12];
    t_exec(d, rbc, 10, SCSI_DIR_IN, b, sizeof(b));
    ok(t_good() && t_be32(b + 4) == 2097152 && t_be32(b + 8) == 734400 - CD_SECTOR_RAW_PW * 25, "buffer free %u\n",
       t_be32(b + 8));
    vrec_close(d);
}

static void test_underrun(int bufe)
{
    struct t_clock clk = { 0 };
    struct vrec_drive *d = open_timed(&clk, VREC_MEDIA_CDR80, 16, 0);
    t_mode_select(d, 3, 1, bufe, 0);
    ok(t_burn_range(d, 1, CD_TYPICAL_LEADIN_LBA, CD_TYPICAL_LEADIN_LBA + 100, 20) == CD_TYPICAL_LEADIN_LBA + 100, "start\n");
    clk.now += 10 * 1000000; /* the host stalls for 10 s: 100 sectors drain in 1/12 s */
    int32_t stop = t_burn_range(d, 1, CD_TYPICAL_LEADIN_LBA + 100, CD_TYPICAL_LEADIN_LBA + 120, 20);
    ok(vrec_counters(d)->underruns == 1, "underrun counted (BUFE %d)\n", bufe);
    if (bufe) {
        ok(stop == CD_TYPICAL_LEADIN_LBA + 120 && vrec_disc_state(d) == VREC_DISC_WRITING, "BUFE on: the drive paused\n");
    } else {
        ok(stop == CD_TYPICAL_LEADIN_LBA + 100 && t_sense_is(3, 0x0C, 0x09), "BUFE off: " T_SENSE_FMT "\n", T_SENSE_ARGS);
        ok(vrec_disc_state(d) == VREC_DISC_INDETERMINATE, "BUFE off: spoiled\n");
    }
    vrec_close(d);
}

static void test_sync_immed(void)
{
    struct t_clock clk = { 0 };
    struct vrec_drive *d = open_timed(&clk, VREC_MEDIA_CDR80, 52, 0);
    t_mode_select(d, 3, 3, 0, 0);
    ok(t_burn_range(d, 3, CD_TYPICAL_LEADIN_LBA, T_END, 26) == T_END, "burn at 52x\n");
    t_sync(d, 1);
    ok(t_good(), "SYNCHRONIZE CACHE Immed returns at once\n");
    t_tur(d);
    ok(t_sense_is(2, 0x04, 0x08) && t_st.sense[15] == 0x80, "TUR while flushing " T_SENSE_FMT " sks %02x\n",
       T_SENSE_ARGS, t_st.sense[15]);
    uint8_t rs[6] = { 0x03, 0, 0, 0, 18, 0 }, s[18];
    t_exec(d, rs, 6, SCSI_DIR_IN, s, sizeof(s));
    ok(t_good() && s[2] == 2 && s[12] == 4 && s[13] == 8 && s[15] == 0x80, "REQUEST SENSE while flushing\n");
    clk.now += 1000000; /* 2 MiB at 52x drain in well under a second */
    t_tur(d);
    ok(t_good() && vrec_disc_state(d) == VREC_DISC_CLOSED, "ready and closed " T_SENSE_FMT "\n", T_SENSE_ARGS);
    /* recording time: every sector at 52x = 3900 sectors/s */
    uint64_t want = (uint64_t)(T_END - CD_TYPICAL_LEADIN_LBA) * 1000000 / 3900;
    uint64_t got = vrec_counters(d)->sim_time_us;
    ok(got > want - 2000 && got < want + 2000, "simulated time %llu us, want %llu\n", (unsigned long long)got,
       (unsigned long long)want);
    vrec_close(d);
}

static void test_blank_progress(void)
{
    struct t_clock clk = { 0 };
    struct vrec_drive *d = open_timed(&clk, VREC_MEDIA_CDRW_WRITTEN, 10, 0);
    uint8_t blank[12] = { 0xA1, 0x10 | 0x00 }; /* Immed, full */
    t_exec(d, blank, 12, SCSI_DIR_NONE, NULL, 0);
    ok(t_good(), "BLANK Immed\n");
    /* full blank sweeps lead-in start .. last lead-out + 6750 = 11634 + 359849 + 6750 sectors at 10x */
    uint64_t total = (uint64_t)(11634 + 359849 + CD_FIRST_LEADOUT_SECTORS) * 1000000 / 750;
    clk.now += total / 2;
    t_tur(d);
    unsigned progress = (unsigned)t_st.sense[16] << 8 | t_st.sense[17];
    ok(t_sense_is(2, 0x04, 0x07) && t_st.sense[15] == 0x80 && progress > 0x7F00 && progress < 0x8100,
       "half way: " T_SENSE_FMT " progress %#x\n", T_SENSE_ARGS, progress);
    uint8_t r10[10] = { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, buf[2048];
    t_exec(d, r10, 10, SCSI_DIR_IN, buf, sizeof(buf));
    ok(t_sense_is(2, 0x04, 0x07), "READ while blanking " T_SENSE_FMT "\n", T_SENSE_ARGS);
    uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 };
    t_exec(d, inq, 6, SCSI_DIR_IN, buf, 36);
    ok(t_good(), "INQUIRY while blanking\n");
    clk.now += total / 2 + 10;
    t_tur(d);
    ok(t_good() && vrec_disc_state(d) == VREC_DISC_BLANK, "blank done\n");

    blank[1] = 0x01; /* minimal, no Immed: the command waits */
    uint64_t before = clk.slept;
    t_exec(d, blank, 12, SCSI_DIR_NONE, NULL, 0);
    ok(t_good() && clk.slept - before == (uint64_t)(11634 + CD_FIRST_LEADOUT_SECTORS) * 1000000 / 750, "minimal blank waited %llu\n",
       (unsigned long long)(clk.slept - before));
    vrec_close(d);
}

int main(void)
{
    t_media_path(path, sizeof(path), "timing");
    test_throttle();
    test_underrun(0);
    test_underrun(1);
    test_sync_immed();
    test_blank_progress();
    t_media_remove(path);
    return okay_summary("vrec_timing");
}
