/* Recording: WRITE dispatched by write type (raw Disc-At-Once here, track
 * at once in cmd_tao.c), the buffer and its drain in simulated
 * time, SYNCHRONIZE CACHE (which ends the write and closes the disc), BLANK. */
#include <stdlib.h>
#include <string.h>

#include "vfile.h"
#include "vrec_internal.h"

#define WRITE_TYPE_TAO 1
#define WRITE_TYPE_RAW 3
#define US_PER_S 1000000u

static int current_layout(const struct vrec_drive *d)
{
    return d->own_write ? d->media.layout : d->page05[4] & 0x0F;
}

static uint64_t drain_rate(const struct vrec_drive *d)
{
    size_t sector = d->own_write && d->host_sector ? d->host_sector : cd_raw_sector_size(current_layout(d));
    return (uint64_t)d->write_speed * CD_FRAMES_PER_SECOND * (sector ? sector : CD_SECTOR_SIZE);
}

static uint64_t bytes_in(uint64_t us, uint64_t rate)
{
    return us / US_PER_S * rate + us % US_PER_S * rate / US_PER_S;
}

static uint64_t time_for(uint64_t bytes, uint64_t rate)
{
    return (bytes / rate) * US_PER_S + ((bytes % rate) * US_PER_S + rate - 1) / rate;
}

void vrec_advance_time(struct vrec_drive *d)
{
    uint64_t now = vrec_now(d);
    if (d->busy != VREC_IDLE && now >= d->busy_end_us)
        d->busy = VREC_IDLE;
    if (d->own_write && !d->unthrottled && d->fill > 0 && now > d->drain_us) {
        uint64_t rate = drain_rate(d), elapsed = now - d->drain_us, drained = bytes_in(elapsed, rate);
        if (drained >= d->fill) {
            d->counters.sim_time_us += time_for(d->fill, rate);
            d->fill = 0;
            d->ran_empty = true;
        } else {
            d->counters.sim_time_us += elapsed;
            d->fill -= drained;
        }
    }
    d->drain_us = now;
}

/* Takes a WRITE's data into the buffer, waiting (simulated or real time)
 * while it is full. False when the command must fail (underrun, cancel). */
bool vrec_accept_into_buffer(struct vrec_drive *d, struct vrec_cmd *c, uint64_t bytes)
{
    if (d->unthrottled)
        return true;
    if (d->ran_empty) {
        d->ran_empty = false;
        d->counters.underruns++;
        if (!(d->page05[2] & 0x40)) { /* BUFE off: the recording is broken */
            vrec_spoil_write(d);
            vrec_fail(c, VS_UNDERRUN);
            return false;
        }
    }
    if (d->primed && d->fill < d->counters.buffer_low_water)
        d->counters.buffer_low_water = d->fill;
    uint64_t room = d->buffer_bytes - d->fill;
    if (bytes > room) {
        if (!vrec_sleep(d, time_for(bytes - room, drain_rate(d)))) {
            c->transport = TRANSPORT_ERR_CANCELLED;
            return false;
        }
        vrec_advance_time(d);
        d->ran_empty = false; /* it was full all along */
        d->primed = true;     /* even when a real clock overslept the wait */
    }
    d->fill += bytes;
    if (d->fill >= d->buffer_bytes) {
        d->fill = d->buffer_bytes; /* the excess was recorded while we waited */
        d->primed = true;
    }
    return true;
}

bool vrec_check_medium_writable(struct vrec_drive *d, struct vrec_cmd *c)
{
    const struct vrec_kind_info *k = vrec_kind(d->media.kind);
    if (!k->recordable)
        vrec_fail(c, VS_CANNOT_WRITE_MEDIUM);
    else if (k->write_protected)
        vrec_fail(c, VS_WRITE_PROTECTED);
    return !c->check;
}

bool vrec_open_sectors(struct vrec_drive *d, bool fresh)
{
    if (fresh) {
        FILE *f = fopen(d->sectors_path, "wb"); /* a fresh recording replaces whatever was there */
        if (!f)
            return false;
        fclose(f);
    }
    d->sectors = fopen(d->sectors_path, "r+b");
    if (d->sectors)
        setvbuf(d->sectors, NULL, _IONBF, 0);
    return d->sectors != NULL;
}

uint8_t *vrec_batch(struct vrec_drive *d, uint32_t count)
{
    if (count > d->batch_records) {
        uint8_t *more = realloc(d->batch, (size_t)count * CD_SECTOR_RAW_PW);
        if (!more)
            return NULL;
        d->batch = more;
        d->batch_records = count;
    }
    return d->batch;
}

bool vrec_put_records(struct vrec_drive *d, int32_t lba, const uint8_t *recs, uint32_t count)
{
    size_t bytes = (size_t)count * CD_SECTOR_RAW_PW;
    if (d->simulating || count == 0)
        return true;
    return vfile_seek(d->sectors, vrec_record_offset(&d->media, lba)) == 0 &&
           fwrite(recs, 1, bytes, d->sectors) == bytes;
}

static bool begin_write(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba)
{
    const struct vrec_kind_info *k = vrec_kind(d->media.kind);
    if (d->media.state != VREC_DISC_BLANK || lba != k->leadin_start) {
        vrec_fail(c, VS_INVALID_WRITE_ADDRESS); /* raw DAO starts at the ATIP lead-in, on blank media only */
        return false;
    }
    d->simulating = (d->page05[2] & 0x10) != 0;
    if (!d->simulating && !vrec_open_sectors(d, true)) {
        vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        return false;
    }
    vrec_media_blank(&d->media);
    d->media.state = VREC_DISC_WRITING;
    d->media.layout = d->page05[4] & 0x0F;
    d->own_write = true;
    d->fill = 0;
    d->ran_empty = false;
    d->primed = false;
    d->drain_us = vrec_now(d);
    if (!d->simulating)
        vrec_store_media(d);
    return true;
}

static bool store_sectors(struct vrec_drive *d, int32_t lba, uint32_t count, const uint8_t *data, size_t size)
{
    uint8_t *recs = vrec_batch(d, count);
    if (!recs)
        return false;
    memset(recs, 0, (size_t)count * CD_SECTOR_RAW_PW);
    for (uint32_t i = 0; i < count; i++, data += size) {
        uint8_t *rec = recs + (size_t)i * CD_SECTOR_RAW_PW;
        int32_t at = lba + (int32_t)i;
        uint8_t q[CD_SUBQ_LEN];
        bool p;
        memcpy(rec, data, size);
        if (d->media.layout == CD_RAW_PQ)
            cd_subq_set_crc(rec + CD_SECTOR_SIZE); /* the drive builds the Q CRC in the 16-byte PQ layout */
        if (at < 0 && cd_subcode_get_q(d->media.layout, rec + CD_SECTOR_SIZE, q, &p))
            vrec_toc_learn(&d->media, q);
    }
    return vrec_put_records(d, lba, recs, count);
}

static void write_raw(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count)
{
    const struct vrec_kind_info *k = vrec_kind(d->media.kind);
    size_t size = cd_raw_sector_size(current_layout(d));
    if (count == 0)
        return;
    if ((uint64_t)count * size > c->len) {
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    if (lba < k->leadin_start || (int64_t)lba + count > vrec_capacity_end(d)) {
        vrec_fail(c, VS_LBA_OUT_OF_RANGE);
        return;
    }
    if (!d->own_write && !begin_write(d, c, lba))
        return;
    if (lba != d->media.next_lba) {
        vrec_fail(c, VS_INVALID_WRITE_ADDRESS); /* raw DAO has no gaps and no rewrites */
        return;
    }
    if (!vrec_fault_on_write(d, c, lba, count) || !vrec_accept_into_buffer(d, c, (uint64_t)count * size))
        return;
    if (!store_sectors(d, lba, count, c->buf, size)) {
        vrec_spoil_write(d);
        vrec_fail_raw(c, 0x03, 0x0C, 0x00);
        return;
    }
    d->media.next_lba += (int32_t)count;
    d->counters.sectors_written += count;
    d->counters.bytes_written += (uint64_t)count * size;
    c->done = (uint32_t)(count * size);
}

/* The write types the drive records (page 05 byte 2 bits 3-0); SAO and
 * packet settings are accepted by MODE SELECT but their WRITEs get 05/64/00. */
static const struct {
    uint8_t write_type;
    void (*write)(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count);
} write_types[] = {
    { WRITE_TYPE_RAW, write_raw },
    { WRITE_TYPE_TAO, vrec_tao_write },
};

void vrec_handle_write(struct vrec_drive *d, struct vrec_cmd *c)
{
    bool w12 = c->cdb[0] == 0xAA;
    int32_t lba = (int32_t)vrec_get32(c->cdb + 2);
    uint32_t count = w12 ? vrec_get32(c->cdb + 6) : vrec_get16(c->cdb + 7);
    if (!vrec_check_medium_writable(d, c))
        return;
    if (vrec_is_sequential(d)) { /* page 05 is for CD (cmd_seq.c) */
        vrec_seq_write(d, c, lba, count);
        return;
    }
    for (size_t i = 0; i < sizeof(write_types) / sizeof(write_types[0]); i++) {
        if ((d->page05[2] & 0x0F) == write_types[i].write_type) {
            write_types[i].write(d, c, lba, count);
            return;
        }
    }
    vrec_fail(c, VS_ILLEGAL_MODE);
}

uint64_t vrec_drain_us(struct vrec_drive *d)
{
    return d->unthrottled ? 0 : time_for(d->fill, drain_rate(d));
}

/* Either waits (Immed clear) or shows the work as in progress until it is done. */
void vrec_run_busy(struct vrec_drive *d, struct vrec_cmd *c, enum vrec_busy kind, uint64_t us, bool immed)
{
    d->counters.sim_time_us += us;
    if (us == 0)
        return;
    if (immed) {
        d->busy = kind;
        d->busy_start_us = vrec_now(d);
        d->busy_end_us = d->busy_start_us + us;
    } else if (!vrec_sleep(d, us)) {
        c->transport = TRANSPORT_ERR_CANCELLED;
    }
}

void vrec_handle_synchronize_cache(struct vrec_drive *d, struct vrec_cmd *c)
{
    if (!d->own_write)
        return;
    if (d->tao_open) { /* the track stays open until CLOSE TRACK */
        vrec_tao_flush(d, c);
        return;
    }
    uint64_t drain = vrec_drain_us(d);
    vrec_finish_write(d);
    vrec_run_busy(d, c, VREC_BUSY_SYNC, drain, c->cdb[1] & 0x02);
}

void vrec_handle_blank(struct vrec_drive *d, struct vrec_cmd *c)
{
    unsigned type = c->cdb[1] & 0x07;
    const struct vrec_kind_info *k = vrec_kind(d->media.kind);
    if (type > 1) { /* full and minimal only */
        vrec_fail(c, VS_INVALID_FIELD_CDB);
        return;
    }
    if (!k->erasable) {
        vrec_fail(c, VS_CANNOT_WRITE_MEDIUM);
        return;
    }
    if (d->own_write) {
        vrec_fail(c, VS_SEQUENCE_ERROR);
        return;
    }
    /* Full blanking sweeps the whole disc; minimal only lead-in, pregap and lead-out. */
    int64_t sectors = type == 0 ? (int64_t)vrec_capacity_end(d) - k->leadin_start
                                : -(int64_t)k->leadin_start + CD_FIRST_LEADOUT_SECTORS;
    uint64_t us = d->unthrottled ? 0 : (uint64_t)sectors * US_PER_S / (CD_FRAMES_PER_SECOND * d->write_speed);
    if (d->media.kind == VREC_MEDIA_CDRW_WRITTEN)
        d->media.kind = VREC_MEDIA_CDRW;
    vrec_media_blank(&d->media);
    if (d->sectors_path) {
        FILE *f = fopen(d->sectors_path, "wb");
        if (f)
            fclose(f);
    }
    vrec_store_media(d);
    vrec_run_busy(d, c, VREC_BUSY_BLANK, us, c->cdb[1] & 0x10);
}
