/* The write pipeline (writeloop.c) through the track-at-once engine on the
 * virtual recorder, with the host's real clock where time matters: a source
 * that stalls 2 s in mid-stream while a 52x drive with a 2 MiB buffer and
 * BUFE off drains (the default ring rides it out; a small ring underruns,
 * so the check can fail), the ring's figures in the reports, a cancel
 * while the ring fills and one while it drains, a WRITE failing in
 * mid-burn and a stream failing there (the first error comes back; no WRITE
 * after it), and no thread left behind by any of them. Pass or fail by
 * what the drive saw, never by a time measured. */
#define _POSIX_C_SOURCE 200809L
#include "test_vrec_util.h"

#include <dirent.h>
#include <pthread.h>
#include <time.h>

#include "imapi2error.h"
#include "mmc/taowrite.h"
#include "transport/virtual.h"

#define SS 2352u
#define READ_FAULT ((int32_t)0x8003001Eu) /* STG_E_READFAULT, as an IStream would say */

static char path[256];

/* ---- a PCM source that can stall, fail or cancel at a byte offset ---- */

struct source {
    uint64_t size, pos;
    uint64_t stall_at, stall_us;   /* one stall of stall_us real time; UINT64_MAX: none */
    uint64_t fail_at;              /* READ_FAULT from there; UINT64_MAX: none */
    uint64_t cancel_at;            /* cancels cancel_dev from there; UINT64_MAX: none */
    struct mmc_device *cancel_dev;
    uint32_t writes_at_cancel;
    _Atomic uint32_t *writes;
};

static void source_init(struct source *s, uint64_t size)
{
    memset(s, 0, sizeof(*s));
    s->size = size;
    s->stall_at = s->fail_at = s->cancel_at = UINT64_MAX;
}

static void sleep_us(uint64_t us)
{
    struct timespec t = { (time_t)(us / 1000000u), (long)(us % 1000000u) * 1000L };
    nanosleep(&t, NULL);
}

static int32_t source_read(void *ctx, void *buf, uint32_t len, uint32_t *got)
{
    struct source *s = ctx;
    uint8_t *out = buf;
    *got = 0;
    if (s->pos >= s->fail_at)
        return READ_FAULT;
    if (s->pos >= s->stall_at) {
        sleep_us(s->stall_us);
        s->stall_at = UINT64_MAX;
    }
    if (s->pos >= s->cancel_at && s->cancel_dev) {
        mmc_device_cancel(s->cancel_dev);
        s->writes_at_cancel = atomic_load(s->writes);
        s->cancel_dev = NULL;
    }
    uint64_t end = s->pos + len < s->size ? s->pos + len : s->size;
    uint64_t limit = s->fail_at < end ? s->fail_at : end;
    limit = s->stall_at < limit ? s->stall_at : limit;
    limit = s->cancel_at > s->pos && s->cancel_at < limit ? s->cancel_at : limit;
    for (; s->pos < limit; s->pos++)
        out[(*got)++] = (uint8_t)(s->pos * 7 + s->pos / SS);
    return MMC_S_OK;
}

static struct mmc_raw_stream stream_of(struct source *s)
{
    struct mmc_raw_stream st = { source_read, NULL, s, s->size };
    return st;
}

/* ---- rig: real time or none ---- */

struct rig {
    struct scsi_transport *t;
    struct mmc_tao_writer w;
    struct mmc_tao_options o;
};

static bool rig_open(struct rig *g, bool timed, unsigned speed, const char *faults)
{
    memset(g, 0, sizeof(*g));
    t_media_remove(path);
    struct vrec_config cfg = { 0 };
    cfg.media_path = path;
    cfg.media_kind = VREC_MEDIA_CDR80;
    cfg.speed = speed;
    cfg.buffer_bytes = 2u * 1024u * 1024u;
    cfg.fault_script = faults;
    cfg.unthrottled = !timed;
    int rc = virtual_transport_open(&cfg, timed ? &io_clock_host : NULL, &g->t);
    ok(rc == 0 && g->t, "virtual transport %d\n", rc);
    if (rc != 0)
        return false;
    mmc_tao_writer_init(&g->w, g->t, timed ? &io_clock_host : NULL);
    mmc_tao_options_default(&g->o);
    return true;
}

static void rig_close(struct rig *g)
{
    scsi_transport_close(g->t);
}

static struct vrec_drive *drive(struct rig *g)
{
    return virtual_transport_drive(g->t);
}

/* Threads of this process (Linux): the writer thread must be gone. */
static int threads(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* ---- reports ---- */

struct watch {
    unsigned writing;
    uint32_t total, max_used;
    bool figures_bad;
};

static bool on_progress(void *ctx, const struct mmc_write_progress *p)
{
    struct watch *wt = ctx;
    if (p->action != MMC_TAO_ACTION_WRITING)
        return false;
    wt->writing++;
    wt->total = p->total_system_buffer;
    if (p->used_system_buffer > wt->max_used)
        wt->max_used = p->used_system_buffer;
    if (p->used_system_buffer + p->free_system_buffer != p->total_system_buffer)
        wt->figures_bad = true;
    return false;
}

/* ---- tests ---- */

/* 52x drains 9.2 MB/s: a 2 s stall needs 18 MB beside the drive's 2 MiB. */
static void test_stall(uint32_t ring_bytes, bool survives)
{
    struct rig g;
    if (!rig_open(&g, true, 52, NULL))
        return;
    g.o.loop.bufe = false;
    g.o.loop.ring_bytes = ring_bytes;
    ok(mmc_tao_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    struct source s;
    source_init(&s, 20000u * SS);
    s.stall_at = 16000u * SS;       /* past the first fill: WRITEs are going */
    s.stall_us = 2000000u;
    struct mmc_raw_stream st = stream_of(&s);
    struct watch wt = { 0 };
    int32_t hr = mmc_tao_write_track(&g.w, &st, on_progress, &wt);
    const struct vrec_counters *k = vrec_counters(drive(&g));
    if (survives)
        ok(hr == MMC_S_OK && k->underruns == 0 && k->sectors_written == 20000,
           "a 2 s stall with a %u MiB ring at 52x, BUFE off: %#x, %llu underruns, %llu sectors\n", ring_bytes >> 20,
           (unsigned)hr, (unsigned long long)k->underruns, (unsigned long long)k->sectors_written);
    else
        ok(hr == E_IMAPI_LOSS_OF_STREAMING && k->underruns == 1,
           "the same stall with a %u MiB ring underruns: %#x, %llu underruns\n", ring_bytes >> 20, (unsigned)hr,
           (unsigned long long)k->underruns);
    ok(wt.writing > 0 && !wt.figures_bad && wt.total >= ring_bytes - 27 * SS && wt.total <= ring_bytes,
       "the ring in the reports: %u bytes, at most %u used\n", wt.total, wt.max_used);
    ok(threads() == 1, "no thread left: %d\n", threads());
    rig_close(&g);
}

/* A cancel (as from another thread) while the ring fills: no WRITE at all. */
static void test_cancel_filling(void)
{
    struct rig g;
    if (!rig_open(&g, false, 0, NULL))
        return;
    ok(mmc_tao_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    struct source s;
    source_init(&s, 3000u * SS);
    s.cancel_at = 1000u * SS;
    s.cancel_dev = &g.w.dev;
    s.writes = &g.w.writes_issued;
    struct mmc_raw_stream st = stream_of(&s);
    int32_t hr = mmc_tao_write_track(&g.w, &st, NULL, NULL);
    ok(hr == E_IMAPI_REQUEST_CANCELLED && g.w.writes_issued == 0 && vrec_counters(drive(&g))->sectors_written == 0,
       "cancelled while filling: %#x, %u WRITEs\n", (unsigned)hr, (unsigned)g.w.writes_issued);
    ok(threads() == 1, "no thread left: %d\n", threads());
    rig_close(&g);
}

struct canceller {
    struct mmc_tao_writer *w;
    uint32_t after_writes;
    uint32_t writes_at_cancel;
};

static void *cancel_later(void *arg)
{
    struct canceller *c = arg;
    while (atomic_load(&c->w->writes_issued) < c->after_writes)
        sleep_us(1000);
    mmc_device_cancel(&c->w->dev);
    c->writes_at_cancel = atomic_load(&c->w->writes_issued);
    return NULL;
}

/* A cancel from another thread while the writer drains a ring that holds
 * the whole track (the reader is done): the WRITE in flight ends, no other
 * starts, the part written stays as a closed track. */
static void test_cancel_draining(void)
{
    struct rig g;
    if (!rig_open(&g, true, 4, NULL))
        return;
    ok(mmc_tao_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    struct source s;
    source_init(&s, 3000u * SS); /* 10 s at 4x, all of it in the ring */
    struct mmc_raw_stream st = stream_of(&s);
    struct canceller c = { &g.w, 20, 0 };
    pthread_t th;
    pthread_create(&th, NULL, cancel_later, &c);
    int32_t hr = mmc_tao_write_track(&g.w, &st, NULL, NULL);
    pthread_join(th, NULL);
    ok(hr == E_IMAPI_REQUEST_CANCELLED && s.pos == s.size, "cancelled while draining: %#x, %llu of %llu read\n",
       (unsigned)hr, (unsigned long long)s.pos, (unsigned long long)s.size);
    ok(c.writes_at_cancel >= 20 && g.w.writes_issued <= c.writes_at_cancel + 1,
       "no WRITE after the cancel: %u, %u at the cancel\n", (unsigned)g.w.writes_issued, c.writes_at_cancel);
    ok(g.w.media.tracks == 1 && vrec_counters(drive(&g))->sectors_written < 3000, "the partial track stays\n");
    ok(threads() == 1, "no thread left: %d\n", threads());
    rig_close(&g);
}

/* A WRITE failing in mid-burn (sense 3/0C/00 at the 500th) while the
 * reader is still reading: that error, and no WRITE after it. */
static void test_write_error(void)
{
    struct rig g;
    if (!rig_open(&g, false, 0, "at-write 500 sense 3/0C/00\n"))
        return;
    g.o.loop.ring_bytes = 64u * 27u * SS;
    ok(mmc_tao_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    struct source s;
    source_init(&s, 20000u * SS);
    struct mmc_raw_stream st = stream_of(&s);
    int32_t hr = mmc_tao_write_track(&g.w, &st, NULL, NULL);
    ok(hr == E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE && g.w.writes_issued == 500 &&
           vrec_disc_state(drive(&g)) == VREC_DISC_INDETERMINATE,
       "medium error in mid-burn: %#x after %u WRITEs\n", (unsigned)hr, (unsigned)g.w.writes_issued);
    ok(s.pos < s.size, "the reader stopped too: %llu of %llu\n", (unsigned long long)s.pos,
       (unsigned long long)s.size);
    ok(threads() == 1, "no thread left: %d\n", threads());
    rig_close(&g);
}

/* The stream failing once WRITEs are going: its error, the WRITEs stop. */
static void test_stream_error(void)
{
    struct rig g;
    if (!rig_open(&g, false, 0, NULL))
        return;
    g.o.loop.ring_bytes = 64u * 27u * SS;
    ok(mmc_tao_prepare(&g.w, &g.o) == MMC_S_OK, "prepare\n");
    struct source s;
    source_init(&s, 20000u * SS);
    s.fail_at = 10000u * SS;
    struct mmc_raw_stream st = stream_of(&s);
    int32_t hr = mmc_tao_write_track(&g.w, &st, NULL, NULL);
    uint64_t written = vrec_counters(drive(&g))->sectors_written;
    ok(hr == READ_FAULT && written > 0 && written <= 10000, "stream error in mid-burn: %#x, %llu sectors written\n",
       (unsigned)hr, (unsigned long long)written);
    ok(threads() == 1, "no thread left: %d\n", threads());
    rig_close(&g);
}

int main(void)
{
    t_media_path(path, sizeof(path), "writeloop");
    ok(threads() == 1, "one thread to start with: %d\n", threads());
    test_stall(MMC_LOOP_DEFAULT_RING_BYTES, true);
    test_stall(4u * 1024u * 1024u, false);
    test_cancel_filling();
    test_cancel_draining();
    test_write_error();
    test_stream_error();
    t_media_remove(path);
    return okay_summary("mmc_writeloop");
}
