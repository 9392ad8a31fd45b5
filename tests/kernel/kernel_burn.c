/* A real burn through the kernel: the raw DAO engine (libs/mmc/rawwrite)
 * writes a generated two-track image (Mode 1 data, then audio) over the
 * sgio transport to a drive the kernel sees as /dev/srN or /dev/sgN. In
 * the kernel rig that drive is tcmu-vrec, so afterwards the recording the
 * virtual recorder kept (MEDIA.sectors, one 2448-byte record a sector
 * from the ATIP lead-in start) must equal the image bit for bit, and the
 * disc must read back through the kernel (READ TOC, READ(10)) as the
 * generator says it should.
 *   kernel_burn DEVICE MEDIA_PATH
 * MEDIA_PATH is the handler's media state file on a blank CD-R. */
#define _POSIX_C_SOURCE 200809L
#include "okay.h"

#include "imapi2error.h"
#include "mmc/cdb.h"
#include "mmc/rawimage.h"
#include "mmc/rawwrite.h"
#include "transport/sgio.h"

#include <stdint.h>
#include <string.h>
#include <time.h>
#include "mmc/geometry.h"

#define DATA_SECTORS 600

/* ---- track contents: a function of the byte offset, so anyone can check ---- */

static uint8_t data_byte(uint64_t offset)
{
    uint64_t x = offset * 0x9E3779B97F4A7C15ull + 0x1234;
    return (uint8_t)(x >> 56 ^ x >> 29);
}

static int pattern_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    uint64_t salt = (uint64_t)(uintptr_t)ctx;
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = data_byte(offset + i + salt);
    return 0;
}

static struct rawimage *make_image(void)
{
    struct rawimage *img = NULL;
    if (rawimage_create(&img) != IMAPI2_S_OK)
        return NULL;
    struct rawimage_source data = { pattern_read, NULL, (void *)0, (uint64_t)DATA_SECTORS * 2048 };
    struct rawimage_source audio = { pattern_read, NULL, (void *)(uintptr_t)0x5a5a, (uint64_t)CD_MIN_TRACK_SECTORS * CD_SECTOR_SIZE };
    int index;
    int32_t hr = rawimage_add_track(img, RAWIMAGE_MODE1, &data, &index);
    if (hr == IMAPI2_S_OK)
        hr = rawimage_add_track(img, RAWIMAGE_AUDIO, &audio, &index);
    if (hr == IMAPI2_S_OK)
        hr = rawimage_finalize(img);
    ok(hr == IMAPI2_S_OK, "image: %#x\n", (unsigned)hr);
    if (hr != IMAPI2_S_OK) {
        rawimage_free(img);
        return NULL;
    }
    return img;
}



/* ---- checks ---- */

static int32_t burn(struct scsi_transport *t, struct rawimage *img, int32_t *leadin_start)
{
    static struct mmc_raw_writer w;
    struct io_clock clock = io_clock_host;
    mmc_raw_writer_init(&w, t, &clock);
    struct mmc_raw_options o;
    mmc_raw_options_default(&o);
    o.layout = CD_RAW_RAW;
    int32_t hr = mmc_raw_prepare(&w, &o);
    ok(hr == IMAPI2_S_OK, "prepare: %#x\n", (unsigned)hr);
    if (hr != IMAPI2_S_OK)
        return hr;
    *leadin_start = w.media.leadin_start;
    struct rawimage_cursor cursor;
    struct mmc_raw_stream stream;
    rawimage_as_raw_stream(img, &cursor, &stream);
    uint64_t t0 = io_clock_host_now_us(NULL);
    hr = mmc_raw_write(&w, &stream, NULL, NULL);
    uint64_t us = io_clock_host_now_us(NULL) - t0;
    ok(hr == IMAPI2_S_OK, "write: %#x after %llu WRITEs\n", (unsigned)hr, (unsigned long long)w.writes_issued);
    printf("kernel_burn: %s max_transfer %u, lead-in at %d, %llu WRITE commands, %.1f s\n", t->ops->name,
           t->max_transfer, (int)w.media.leadin_start, (unsigned long long)w.writes_issued, (double)us / 1e6);
    return hr;
}

/* The recorder's sector file against the image, record by record. */
static void compare_recording(struct rawimage *img, const char *media, int32_t leadin_start)
{
    char path[512];
    snprintf(path, sizeof(path), "%s.sectors", media);
    FILE *f = fopen(path, "rb");
    ok(f != NULL, "open %s\n", path);
    if (!f)
        return;
    int32_t end = rawimage_leadout_lba(img) + CD_FIRST_LEADOUT_SECTORS;
    static uint8_t want[CD_SECTOR_RAW_PW], got[CD_SECTOR_RAW_PW];
    long mismatches = 0, missing = 0;
    int32_t first_bad = 0;
    for (int32_t lba = leadin_start; lba < end; lba++) {
        if (fread(got, 1, sizeof(got), f) != sizeof(got)) {
            missing = end - lba;
            break;
        }
        if (rawimage_read_sector(img, lba, want) != IMAPI2_S_OK || memcmp(want, got, sizeof(got)) != 0) {
            if (!mismatches++)
                first_bad = lba;
        }
    }
    ok(missing == 0, "recording ends %ld sectors early\n", missing);
    ok(mismatches == 0, "%ld recorded sectors differ from the image (first at LBA %d)\n", mismatches, (int)first_bad);
    ok(fread(got, 1, 1, f) == 0, "nothing recorded past the lead-out\n");
    printf("kernel_burn: compared %d sectors (LBA %d..%d), %ld differ\n", (int)(end - leadin_start),
           (int)leadin_start, (int)(end - 1), mismatches);
    fclose(f);
}

static void check_toc(struct scsi_transport *t, struct rawimage *img)
{
    uint8_t got[64], want[64];
    memset(got, 0, sizeof(got));
    size_t want_len = rawimage_toc_format0(img, want, sizeof(want));
    struct scsi_request r;
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_TOC, false, 0, got, sizeof(got));
    enum transport_result tr = scsi_transport_execute(t, &r);
    ok(tr == TRANSPORT_OK && r.status == SCSI_STATUS_GOOD, "READ TOC: %s status %#x\n", transport_result_name(tr),
       r.status);
    ok(want_len <= sizeof(want) && sizeof(got) - r.resid == want_len && memcmp(got, want, want_len) == 0,
       "READ TOC through the kernel: %u bytes, the generator's TOC has %u\n", (unsigned)(sizeof(got) - r.resid),
       (unsigned)want_len);
}

/* User data of data-track sectors read back with READ(10). */
static void check_read10(struct scsi_transport *t)
{
    static const int32_t lbas[] = { 0, 16, 299, DATA_SECTORS - 1 };
    for (size_t i = 0; i < sizeof(lbas) / sizeof(lbas[0]); i++) {
        uint8_t got[2048], want[2048];
        struct scsi_request r;
        mmc_build_read10(&r, lbas[i], 1, got, sizeof(got));
        enum transport_result tr = scsi_transport_execute(t, &r);
        pattern_read((void *)0, (uint64_t)lbas[i] * 2048, want, sizeof(want));
        ok(tr == TRANSPORT_OK && r.status == SCSI_STATUS_GOOD && r.resid == 0 && memcmp(got, want, sizeof(got)) == 0,
           "READ(10) LBA %d: %s status %#x resid %u\n", (int)lbas[i], transport_result_name(tr), r.status, r.resid);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: kernel_burn DEVICE MEDIA_PATH\n");
        return 2;
    }
    struct scsi_transport *t = NULL;
    enum transport_result tr = sgio_open(argv[1], &t);
    ok(tr == TRANSPORT_OK, "sgio_open %s: %s\n", argv[1], transport_result_name(tr));
    struct rawimage *img = tr == TRANSPORT_OK ? make_image() : NULL;
    int32_t leadin_start = 0;
    if (img && burn(t, img, &leadin_start) == IMAPI2_S_OK) {
        compare_recording(img, argv[2], leadin_start);
        check_toc(t, img);
        check_read10(t);
    }
    if (img)
        rawimage_free(img);
    if (t)
        scsi_transport_close(t);
    return okay_summary("kernel_burn");
}
