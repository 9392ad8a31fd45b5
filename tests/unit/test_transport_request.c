/* scsi_transport_execute(), the one door to every backend: requests
 * checked before a backend sees them, oversized READ/WRITE/READ CD split into
 * whole-sector pieces with the LBA advanced, short or failed pieces ending
 * the request with an honest resid, and nothing oversized reaching a device. */
#include <string.h>

#include "okay.h"
#include "transport/transport.h"
#include "mmc/geometry.h"

#define MAX_PIECES 64

struct fake {
    struct scsi_transport base;
    unsigned calls;
    uint8_t cdb[MAX_PIECES][16];
    uint32_t len[MAX_PIECES];
    const void *buf[MAX_PIECES];
    unsigned fail_at;          /* 1-based piece that fails (0: none) */
    enum transport_result fail_with;
    unsigned short_at;         /* piece that comes back 1 block short */
    unsigned sense_at;         /* piece that ends in CHECK CONDITION */
};

static enum transport_result fake_execute(struct scsi_transport *t, struct scsi_request *req)
{
    struct fake *f = (struct fake *)t;
    unsigned n = f->calls++;
    if (n < MAX_PIECES) {
        memcpy(f->cdb[n], req->cdb, 16);
        f->len[n] = req->len;
        f->buf[n] = req->buf;
    }
    ok(req->len <= t->max_transfer, "piece %u of %u bytes reached the backend\n", n + 1, req->len);
    if (f->fail_at == n + 1)
        return f->fail_with;
    req->resid = 0;
    if (f->short_at == n + 1)
        req->resid = 512;
    if (f->sense_at == n + 1) {
        req->status = SCSI_STATUS_CHECK_CONDITION;
        req->sense[0] = 0x70;
        req->sense[2] = 3;
        req->sense_len = 18;
        req->resid = req->len;
    }
    return TRANSPORT_OK;
}

static void fake_nop(struct scsi_transport *t)
{
    (void)t;
}

static const struct scsi_transport_ops fake_ops = { "fake", fake_execute, fake_nop, fake_nop, fake_nop, NULL };

static void fake_init(struct fake *f, uint32_t max_transfer)
{
    memset(f, 0, sizeof(*f));
    f->base.ops = &fake_ops;
    f->base.max_transfer = max_transfer;
}

static uint32_t be(const uint8_t *p, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static struct scsi_request rw10(uint8_t op, uint32_t lba, uint16_t blocks, void *buf, uint32_t block)
{
    struct scsi_request r;
    memset(&r, 0, sizeof(r));
    r.cdb[0] = op;
    r.cdb[2] = (uint8_t)(lba >> 24), r.cdb[3] = (uint8_t)(lba >> 16), r.cdb[4] = (uint8_t)(lba >> 8);
    r.cdb[5] = (uint8_t)lba;
    r.cdb[7] = (uint8_t)(blocks >> 8), r.cdb[8] = (uint8_t)blocks;
    r.cdb_len = 10;
    r.dir = op == 0x2A ? SCSI_DIR_OUT : SCSI_DIR_IN;
    r.buf = buf;
    r.len = (uint32_t)blocks * block;
    return r;
}

static uint8_t buf[64 * CD_SECTOR_RAW_PW];

static void test_checks(void)
{
    struct fake f;
    fake_init(&f, 4096);
    struct scsi_request r;
    memset(&r, 0, sizeof(r));
    r.cdb_len = 7;
    ok(scsi_transport_execute(&f.base, &r) == TRANSPORT_ERR_INVALID && f.calls == 0, "CDB of 7 bytes\n");
    r.cdb_len = 6;
    r.len = 8;
    r.dir = SCSI_DIR_IN;
    ok(scsi_transport_execute(&f.base, &r) == TRANSPORT_ERR_INVALID && f.calls == 0, "data without a buffer\n");
    r.buf = buf;
    r.dir = (enum scsi_direction)9;
    ok(scsi_transport_execute(&f.base, &r) == TRANSPORT_ERR_INVALID && f.calls == 0, "unknown direction\n");
    r.dir = SCSI_DIR_IN;
    r.cdb[0] = 0x12; /* INQUIRY longer than the transport takes: not splittable */
    r.len = 8192;
    ok(scsi_transport_execute(&f.base, &r) == TRANSPORT_ERR_INVALID && f.calls == 0, "oversized INQUIRY\n");
    r.len = 36;
    r.status = 0x55;
    r.resid = 1;
    ok(scsi_transport_execute(&f.base, &r) == TRANSPORT_OK && f.calls == 1 && r.status == 0 && r.resid == 0,
       "a plain request goes through once, outputs reset\n");
    struct scsi_request w = rw10(0x2A, 0, 3, buf, 2000); /* 6000 bytes do not split into 2000-byte pieces of 4096 */
    ok(scsi_transport_execute(&f.base, &w) == TRANSPORT_OK && f.calls == 3 && f.len[1] == 4000 && f.len[2] == 2000,
       "split of 2000-byte blocks: 2 per piece\n");
    w = rw10(0x2A, 0, 3, buf, 5000);
    ok(scsi_transport_execute(&f.base, &w) == TRANSPORT_ERR_INVALID, "a block larger than max_transfer\n");
}

static void test_split_write(void)
{
    struct fake f;
    fake_init(&f, 26 * CD_SECTOR_RAW_PW);
    struct scsi_request w = rw10(0x2A, (uint32_t)CD_TYPICAL_LEADIN_LBA, 60, buf, CD_SECTOR_RAW_PW);
    ok(scsi_transport_execute(&f.base, &w) == TRANSPORT_OK && w.resid == 0 && f.calls == 3, "60 sectors in %u pieces\n",
       f.calls);
    uint32_t lba = (uint32_t)CD_TYPICAL_LEADIN_LBA, total = 0;
    for (unsigned i = 0; i < f.calls && i < 3; i++) {
        uint32_t blocks = be(f.cdb[i] + 7, 2);
        ok(be(f.cdb[i] + 2, 4) == lba && f.len[i] == blocks * CD_SECTOR_RAW_PW && f.buf[i] == buf + (size_t)total * CD_SECTOR_RAW_PW,
           "piece %u: LBA %d, %u blocks\n", i, (int)be(f.cdb[i] + 2, 4), blocks);
        lba += blocks;
        total += blocks;
    }
    ok(total == 60, "%u blocks sent\n", total);

    fake_init(&f, 26 * CD_SECTOR_RAW_PW);
    f.sense_at = 2;
    w = rw10(0x2A, 0, 60, buf, CD_SECTOR_RAW_PW);
    ok(scsi_transport_execute(&f.base, &w) == TRANSPORT_OK && f.calls == 2 &&
       w.status == SCSI_STATUS_CHECK_CONDITION && w.sense_len == 18 && w.resid == 34 * CD_SECTOR_RAW_PW,
       "sense on piece 2: stops, resid %u\n", w.resid);

    fake_init(&f, 26 * CD_SECTOR_RAW_PW);
    f.short_at = 1;
    w = rw10(0x28, 0, 60, buf, CD_SECTOR_RAW_PW);
    ok(scsi_transport_execute(&f.base, &w) == TRANSPORT_OK && f.calls == 1 && w.resid == 60 * CD_SECTOR_RAW_PW - (26 * CD_SECTOR_RAW_PW - 512),
       "short first piece: stops, resid %u\n", w.resid);

    fake_init(&f, 26 * CD_SECTOR_RAW_PW);
    f.fail_at = 3;
    f.fail_with = TRANSPORT_ERR_CANCELLED;
    w = rw10(0x2A, 0, 60, buf, CD_SECTOR_RAW_PW);
    ok(scsi_transport_execute(&f.base, &w) == TRANSPORT_ERR_CANCELLED && f.calls == 3 && w.resid == 8 * CD_SECTOR_RAW_PW,
       "cancel between pieces: resid %u\n", w.resid);
}

static void test_split_read_cd(void)
{
    struct fake f;
    fake_init(&f, 10 * CD_SECTOR_SIZE);
    struct scsi_request r;
    memset(&r, 0, sizeof(r));
    r.cdb[0] = 0xBE;
    r.cdb[2] = 0, r.cdb[5] = 100;
    r.cdb[8] = 25; /* transfer length: bytes 6..8 */
    r.cdb[9] = 0xF8;
    r.cdb_len = 12;
    r.dir = SCSI_DIR_IN;
    r.buf = buf;
    r.len = 25 * CD_SECTOR_SIZE;
    ok(scsi_transport_execute(&f.base, &r) == TRANSPORT_OK && f.calls == 3 && r.resid == 0, "READ CD split\n");
    ok(be(f.cdb[2] + 2, 4) == 120 && be(f.cdb[2] + 6, 3) == 5 && f.cdb[2][9] == 0xF8, "last piece LBA %u count %u\n",
       be(f.cdb[2] + 2, 4), be(f.cdb[2] + 6, 3));
}

int main(void)
{
    test_checks();
    test_split_write();
    test_split_read_cd();
    return okay_summary("transport_request");
}
