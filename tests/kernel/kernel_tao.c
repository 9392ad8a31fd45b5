/* A track-at-once audio burn through the kernel: the TAO engine
 * (libs/mmc/taowrite, what IDiscFormat2TrackAtOnce drives) writes two
 * audio tracks over the sgio transport to a blank CD-R the kernel sees as
 * /dev/sgN, closes the session, then reads the disc back through the
 * kernel: READ TOC must be the TOC the engine promised
 * (mmc_tao_expected_toc, which ExpectedTableOfContents reports) and READ CD
 * must give each track's samples back where the TOC says it starts.
 *   kernel_tao DEVICE */
#define _POSIX_C_SOURCE 200809L
#include "okay.h"

#include "imapi2error.h"
#include "mmc/cdb.h"
#include "mmc/geometry.h"
#include "mmc/taowrite.h"
#include "transport/sgio.h"

#include <stdint.h>
#include <string.h>

static const uint32_t track_sectors[] = { CD_MIN_TRACK_SECTORS, CD_MIN_TRACK_SECTORS + 157 };
#define TRACKS (sizeof(track_sectors) / sizeof(track_sectors[0]))
static int32_t track_start[TRACKS + 1]; /* as the engine found them, by track number */

/* ---- samples: a function of the track and the byte offset ---- */

static uint8_t sample_byte(unsigned track, uint64_t offset)
{
    uint64_t x = (offset + 0x10000u * track) * 0x9E3779B97F4A7C15ull + 0x77;
    return (uint8_t)(x >> 56 ^ x >> 31);
}

struct pattern {
    unsigned track;
    uint64_t at, size;
};

static int32_t pattern_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    struct pattern *p = ctx;
    uint8_t *b = buf;
    uint64_t left = p->size - p->at;
    uint32_t n = left < len ? (uint32_t)left : len;
    for (uint32_t i = 0; i < n; i++)
        b[i] = sample_byte(p->track, p->at + i);
    p->at += n;
    *got = n;
    return MMC_S_OK;
}

/* ---- the burn ---- */

static int32_t burn(struct mmc_tao_writer *w, uint8_t *toc, size_t *toc_len)
{
    struct mmc_tao_options o;
    mmc_tao_options_default(&o);
    int32_t hr = mmc_tao_prepare(w, &o);
    ok(hr == MMC_S_OK, "prepare: %#x\n", (unsigned)hr);
    ok(hr != MMC_S_OK || w->media.tracks == 0, "a blank disc has no tracks (%d)\n", w->media.tracks);
    for (unsigned t = 0; t < TRACKS && hr == MMC_S_OK; t++) {
        struct pattern p = { t + 1, 0, (uint64_t)track_sectors[t] * CD_SECTOR_SIZE };
        struct mmc_raw_stream s = { pattern_read, NULL, &p, p.size };
        hr = mmc_tao_write_track(w, &s, NULL, NULL);
        ok(hr == MMC_S_OK, "track %u: %#x after %u WRITEs\n", t + 1, (unsigned)hr,
           (unsigned)atomic_load(&w->writes_issued));
        track_start[t + 1] = w->media.track_start[t + 1];
        printf("kernel_tao: track %u, %u sectors at LBA %d\n", t + 1, track_sectors[t], (int)track_start[t + 1]);
    }
    if (hr != MMC_S_OK)
        return hr;
    *toc_len = mmc_tao_expected_toc(w, toc, 64);
    ok(*toc_len > 0 && *toc_len <= 64, "expected TOC: %u bytes\n", (unsigned)*toc_len);
    hr = mmc_tao_finish(w, true, NULL, NULL);
    ok(hr == MMC_S_OK, "finish (close the session): %#x\n", (unsigned)hr);
    return hr;
}

/* ---- what the kernel reads back ---- */

static void check_toc(struct scsi_transport *t, const uint8_t *want, size_t want_len)
{
    uint8_t got[64];
    memset(got, 0, sizeof(got));
    struct scsi_request r;
    mmc_build_read_toc(&r, MMC_TOC_FORMAT_TOC, false, 0, got, sizeof(got));
    enum transport_result tr = scsi_transport_execute(t, &r);
    ok(tr == TRANSPORT_OK && r.status == SCSI_STATUS_GOOD, "READ TOC: %s status %#x\n", transport_result_name(tr),
       r.status);
    ok(sizeof(got) - r.resid == want_len && memcmp(got, want, want_len) == 0,
       "READ TOC through the kernel: %u bytes, the engine promised %u\n", (unsigned)(sizeof(got) - r.resid),
       (unsigned)want_len);
}

static void check_samples(struct scsi_transport *t)
{
    for (unsigned n = 1; n <= TRACKS; n++) {
        const uint32_t at[] = { 0, track_sectors[n - 1] / 2, track_sectors[n - 1] - 1 };
        for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
            uint8_t got[CD_SECTOR_SIZE], want[CD_SECTOR_SIZE];
            int32_t lba = track_start[n] + (int32_t)at[i];
            struct scsi_request r;
            mmc_build_read_cd(&r, MMC_SECTOR_CDDA, lba, 1, MMC_READ_CD_USER_DATA, MMC_SUB_NONE, got, sizeof(got));
            enum transport_result tr = scsi_transport_execute(t, &r);
            for (size_t k = 0; k < sizeof(want); k++)
                want[k] = sample_byte(n, (uint64_t)at[i] * CD_SECTOR_SIZE + k);
            ok(tr == TRANSPORT_OK && r.status == SCSI_STATUS_GOOD && r.resid == 0 && !memcmp(got, want, sizeof(got)),
               "READ CD track %u sector %u (LBA %d): %s status %#x resid %u\n", n, (unsigned)at[i], (int)lba,
               transport_result_name(tr), r.status, r.resid);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: kernel_tao DEVICE\n");
        return 2;
    }
    struct scsi_transport *t = NULL;
    enum transport_result tr = sgio_open(argv[1], &t);
    ok(tr == TRANSPORT_OK, "sgio_open %s: %s\n", argv[1], transport_result_name(tr));
    if (tr == TRANSPORT_OK) {
        static struct mmc_tao_writer w;
        struct io_clock clock = io_clock_host;
        uint8_t toc[64];
        size_t toc_len = 0;
        mmc_tao_writer_init(&w, t, &clock);
        if (burn(&w, toc, &toc_len) == MMC_S_OK) {
            check_toc(t, toc, toc_len);
            check_samples(t);
        }
        scsi_transport_close(t);
    }
    return okay_summary("kernel_tao");
}
