/* A TCMU user handler whose SCSI answers come from libs/vrec: the kernel
 * (LIO target_core_user behind a tcm_loop LUN) sees a CD recorder at
 * /dev/srN and /dev/sgN, and every command it sends ends up in
 * vrec_execute(), exactly as the in-process "virtual" transport does.
 *
 *   tcmu-vrec UIO_DEVICE MEDIA_PATH [VENDOR PRODUCT REVISION]
 *
 * UIO_DEVICE is the /dev/uioN the backstore created; MEDIA_PATH is the
 * vrec media state file (created blank CD-R 80 when missing). Runs until
 * SIGTERM/SIGINT. Prints "tcmu-vrec: ready" once the ring is mapped, and
 * per-run counters on exit.
 *
 * The ring layout (struct tcmu_mailbox, entries of struct tcmu_cmd_entry,
 * iov_base holding offsets from the start of the mapping) is the kernel's
 * uapi, <linux/target_core_user.h>. Linux only. */
#define _POSIX_C_SOURCE 200809L /* not _GNU_SOURCE: glibc would then define struct iovec as well as <linux/uio.h> */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/target_core_user.h>

#include "vrec/vrec.h"

#define SAM_STAT_CHECK_CONDITION 0x02
#define CDB_MAX 16
/* Largest data transfer we stage through one linear buffer; the kernel's
 * data area is smaller than this by default (8 MiB). */
#define STAGE_MAX (16u * 1024u * 1024u)

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

struct ring {
    int fd;
    void *map;
    size_t map_size;
    struct tcmu_mailbox *mb;
};

struct handler {
    struct ring ring;
    struct vrec_drive *drive;
    uint8_t *stage;            /* linear copy of the command's data */
    enum scsi_direction dir_of_opcode[256];
    unsigned long commands, tmrs, unknown_ops;
    bool trace;                /* TCMU_VREC_TRACE set: one stderr line a command */
};



/* ---- the uio ring ---- */

/* The size of map0 comes from sysfs: the mapping covers mailbox, command
 * ring and data area. */
static size_t uio_map_size(const char *uio_dev)
{
    const char *name = strrchr(uio_dev, '/');
    char path[128];
    snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map0/size", name ? name + 1 : uio_dev);
    FILE *f = fopen(path, "r");
    unsigned long long size = 0;
    if (f) {
        if (fscanf(f, "%llx", &size) != 1)
            size = 0;
        fclose(f);
    }
    return (size_t)size;
}

static int ring_open(struct ring *r, const char *uio_dev)
{
    r->map_size = uio_map_size(uio_dev);
    if (r->map_size == 0) {
        fprintf(stderr, "tcmu-vrec: no map size for %s\n", uio_dev);
        return -1;
    }
    r->fd = open(uio_dev, O_RDWR | O_CLOEXEC);
    if (r->fd < 0) {
        fprintf(stderr, "tcmu-vrec: open %s: %s\n", uio_dev, strerror(errno));
        return -1;
    }
    r->map = mmap(NULL, r->map_size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
    if (r->map == MAP_FAILED) {
        fprintf(stderr, "tcmu-vrec: mmap: %s\n", strerror(errno));
        close(r->fd);
        return -1;
    }
    r->mb = r->map;
    if (r->mb->version != TCMU_MAILBOX_VERSION)
        fprintf(stderr, "tcmu-vrec: mailbox version %u (built for %u)\n", r->mb->version, TCMU_MAILBOX_VERSION);
    return 0;
}

static void ring_close(struct ring *r)
{
    munmap(r->map, r->map_size);
    close(r->fd);
}

/* Blocks until the kernel has queued something (or a signal arrives). */
static int ring_wait(struct ring *r)
{
    uint32_t events;
    ssize_t n = read(r->fd, &events, sizeof(events));
    return n == (ssize_t)sizeof(events) ? 0 : -1;
}

/* Tells the kernel that completions are in the ring. */
static void ring_kick(struct ring *r)
{
    uint32_t one = 1;
    if (write(r->fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
        fprintf(stderr, "tcmu-vrec: kick: %s\n", strerror(errno));
}

static void *ring_at(struct ring *r, uint64_t offset)
{
    return (uint8_t *)r->map + offset;
}

/* ---- one command ---- */

/* The CDB length its group code gives; groups without a standard length
 * (vendor specific) get the longest the drive could need. */
static size_t cdb_length(uint8_t opcode)
{
    switch (opcode >> 5) {
    case 0: return 6;
    case 1: case 2: return 10;
    case 4: return 16;
    case 5: return 12;
    default: return CDB_MAX;
    }
}

static size_t iov_total(const struct iovec *iov, uint32_t count)
{
    size_t total = 0;
    for (uint32_t i = 0; i < count; i++)
        total += iov[i].iov_len;
    return total;
}

/* Copies between the data area (scattered over iovecs) and the stage. */
static void iov_to_stage(struct ring *r, const struct iovec *iov, uint32_t count, uint8_t *stage, size_t len)
{
    size_t done = 0;
    for (uint32_t i = 0; i < count && done < len; i++) {
        size_t n = iov[i].iov_len < len - done ? iov[i].iov_len : len - done;
        memcpy(stage + done, ring_at(r, (uintptr_t)iov[i].iov_base), n);
        done += n;
    }
}

static void stage_to_iov(struct ring *r, const struct iovec *iov, uint32_t count, const uint8_t *stage, size_t len)
{
    size_t done = 0;
    for (uint32_t i = 0; i < count && done < len; i++) {
        size_t n = iov[i].iov_len < len - done ? iov[i].iov_len : len - done;
        memcpy(ring_at(r, (uintptr_t)iov[i].iov_base), stage + done, n);
        done += n;
    }
}

static void trace_command(const uint8_t *cdb, size_t len, const struct vrec_status *st)
{
    fprintf(stderr, "cmd %02x %02x %02x %02x %02x %02x %02x %02x %02x %02x len %zu -> status %02x", cdb[0], cdb[1],
            cdb[2], cdb[3], cdb[4], cdb[5], cdb[6], cdb[7], cdb[8], cdb[9], len, st->status);
    if (st->sense_len)
        fprintf(stderr, " sense %x/%02x/%02x", st->sense[2] & 0x0f, st->sense[12], st->sense[13]);
    fprintf(stderr, " resid %u\n", st->resid);
}

/* A drive that is gone (fault "disappear") or a cancelled command still
 * needs an answer on the ring: an internal target failure, 04/44/00. */
static void fill_target_failure(struct vrec_status *st)
{
    memset(st->sense, 0, sizeof(st->sense));
    st->status = SAM_STAT_CHECK_CONDITION;
    st->sense[0] = 0x70;
    st->sense[2] = 0x04;
    st->sense[7] = 10;
    st->sense[12] = 0x44;
    st->sense_len = VREC_SENSE_LEN;
}

static void handle_command(struct handler *h, struct tcmu_cmd_entry *ent)
{
    struct ring *r = &h->ring;
    uint8_t cdb[CDB_MAX] = { 0 };
    const uint8_t *ring_cdb = ring_at(r, ent->req.cdb_off);
    memcpy(cdb, ring_cdb, cdb_length(ring_cdb[0]));
    uint32_t iov_cnt = ent->req.iov_cnt;
    /* Ring entries are 8-byte aligned (TCMU_OP_ALIGN_SIZE), so the packed
     * struct's iovec array is aligned in practice. */
    const struct iovec *iov = (const void *)((const uint8_t *)ent + offsetof(struct tcmu_cmd_entry, req.iov));
    size_t len = iov_total(iov, iov_cnt);
    if (len > STAGE_MAX)
        len = STAGE_MAX;
    /* The ring does not say which way data flows: the drive's own dispatch
     * table does. Unknown opcodes move no data (the drive rejects them). */
    enum scsi_direction dir = len ? h->dir_of_opcode[cdb[0]] : SCSI_DIR_NONE;
    if (dir == SCSI_DIR_OUT)
        iov_to_stage(r, iov, iov_cnt, h->stage, len);
    else if (dir == SCSI_DIR_IN)
        memset(h->stage, 0, len);

    struct vrec_status st;
    vrec_execute(h->drive, cdb, sizeof(cdb), dir, dir == SCSI_DIR_NONE ? NULL : h->stage,
                 dir == SCSI_DIR_NONE ? 0 : (uint32_t)len, &st);
    if (st.transport != TRANSPORT_OK)
        fill_target_failure(&st);
    uint32_t moved = dir == SCSI_DIR_NONE || st.resid > len ? 0 : (uint32_t)len - st.resid;
    if (dir == SCSI_DIR_IN)
        stage_to_iov(r, iov, iov_cnt, h->stage, moved);

    /* req and rsp share memory: everything from req was read above. */
    memset(ent->rsp.sense_buffer, 0, sizeof(ent->rsp.sense_buffer));
    ent->rsp.scsi_status = st.status;
    if (st.sense_len)
        memcpy(ent->rsp.sense_buffer, st.sense, st.sense_len);
    if (dir == SCSI_DIR_IN && (r->mb->flags & TCMU_MAILBOX_FLAG_CAP_READ_LEN)) {
        ent->hdr.uflags |= TCMU_UFLAG_READ_LEN;
        ent->rsp.read_len = moved;
    }
    h->commands++;
    if (h->trace)
        trace_command(cdb, len, &st);
}

/* Answers every entry between tail and head; returns how many entries it
 * consumed (the kernel needs a kick to see the tail move). */
static unsigned drain_ring(struct handler *h)
{
    struct tcmu_mailbox *mb = h->ring.mb;
    unsigned done = 0;
    uint32_t head = atomic_load_explicit((_Atomic uint32_t *)&mb->cmd_head, memory_order_acquire);
    while (mb->cmd_tail != head) {
        struct tcmu_cmd_entry *ent = ring_at(&h->ring, mb->cmdr_off + mb->cmd_tail);
        uint32_t entry_len = tcmu_hdr_get_len(ent->hdr.len_op);
        switch (tcmu_hdr_get_op(ent->hdr.len_op)) {
        case TCMU_OP_PAD:
            break;
        case TCMU_OP_CMD:
            handle_command(h, ent);
            break;
        case TCMU_OP_TMR:
            /* Abort/reset notice: commands run to completion here, so the
             * aborted one has been (or is about to be) answered anyway. */
            h->tmrs++;
            break;
        default:
            ent->hdr.uflags |= TCMU_UFLAG_UNKNOWN_OP;
            h->unknown_ops++;
            break;
        }
        done++;
        atomic_store_explicit((_Atomic uint32_t *)&mb->cmd_tail, (mb->cmd_tail + entry_len) % mb->cmdr_size,
                              memory_order_release);
        head = atomic_load_explicit((_Atomic uint32_t *)&mb->cmd_head, memory_order_acquire);
    }
    return done;
}

static void learn_directions(struct handler *h)
{
    const struct vrec_command_info *info;
    for (size_t i = 0; (info = vrec_command_info(i)) != NULL; i++)
        h->dir_of_opcode[info->opcode] = info->dir;
}

/* The whole of a small text file (a fault script), or NULL. */
static char *read_text_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char text[4096];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = 0;
    return text;
}

static int open_drive(struct handler *h, int argc, char **argv)
{
    struct vrec_config cfg = { 0 };
    /* TCMU_VREC_FAULTS names a vrec fault script (libs/vrec/faults.c), e.g.
     * "delay opcode 5c ms 8000" for the stalled-command checks. */
    const char *faults = getenv("TCMU_VREC_FAULTS");
    if (faults && *faults && !(cfg.fault_script = read_text_file(faults))) {
        fprintf(stderr, "tcmu-vrec: cannot read %s\n", faults);
        return -1;
    }
    cfg.media_path = argv[2];
    cfg.media_kind = VREC_MEDIA_CDR80;
    cfg.unthrottled = true;
    if (argc >= 6) {
        cfg.vendor = argv[3];
        cfg.product = argv[4];
        cfg.revision = argv[5];
    }
    struct io_clock clock = io_clock_host; /* the drive is unthrottled: it barely sleeps */
    int rc = vrec_open(&cfg, &clock, &h->drive);
    if (rc != 0)
        fprintf(stderr, "tcmu-vrec: vrec_open(%s): %d\n", argv[2], rc);
    return rc;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal; /* no SA_RESTART: the blocking read must return */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 6) {
        fprintf(stderr, "usage: tcmu-vrec UIO_DEVICE MEDIA_PATH [VENDOR PRODUCT REVISION]\n");
        return 2;
    }
    static struct handler h;
    h.stage = malloc(STAGE_MAX);
    if (!h.stage || open_drive(&h, argc, argv) != 0)
        return 1;
    learn_directions(&h);
    h.trace = getenv("TCMU_VREC_TRACE") != NULL;
    if (ring_open(&h.ring, argv[1]) != 0)
        return 1;
    install_signals();
    printf("tcmu-vrec: ready on %s (map %zu bytes, ring %u bytes)\n", argv[1], h.ring.map_size,
           h.ring.mb->cmdr_size);
    fflush(stdout);
    /* Commands may have been queued before we mapped the ring. */
    if (drain_ring(&h))
        ring_kick(&h.ring);
    while (!stop_requested) {
        if (ring_wait(&h.ring) != 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "tcmu-vrec: wait: %s\n", strerror(errno));
            break;
        }
        if (drain_ring(&h))
            ring_kick(&h.ring);
    }
    printf("tcmu-vrec: %lu commands, %lu TMR notices, %lu unknown entries\n", h.commands, h.tmrs, h.unknown_ops);
    ring_close(&h.ring);
    vrec_close(h.drive);
    free(h.stage);
    return 0;
}
