#include "transport.h"

#include <string.h>

const char *transport_result_name(enum transport_result r)
{
    static const char *const names[] = {
        [TRANSPORT_OK] = "ok",
        [TRANSPORT_ERR_IO] = "pass-through failed",
        [TRANSPORT_ERR_TIMEOUT] = "command timed out",
        [TRANSPORT_ERR_NO_DEVICE] = "device not present",
        [TRANSPORT_ERR_CANCELLED] = "cancelled",
        [TRANSPORT_ERR_INVALID] = "invalid request",
        [TRANSPORT_ERR_NO_MEMORY] = "out of memory",
    };
    if ((unsigned)r < sizeof(names) / sizeof(names[0]) && names[r])
        return names[r];
    return "unknown transport error";
}

enum transport_result scsi_request_check(const struct scsi_request *req, uint32_t max_transfer)
{
    if (req->cdb_len != 6 && req->cdb_len != 10 && req->cdb_len != 12 && req->cdb_len != 16)
        return TRANSPORT_ERR_INVALID;
    if (req->dir != SCSI_DIR_NONE && req->dir != SCSI_DIR_IN && req->dir != SCSI_DIR_OUT)
        return TRANSPORT_ERR_INVALID;
    if (req->len > 0 && (req->buf == NULL || req->dir == SCSI_DIR_NONE))
        return TRANSPORT_ERR_INVALID;
    if (max_transfer && req->len > max_transfer)
        return TRANSPORT_ERR_INVALID;
    return TRANSPORT_OK;
}

/* Commands that carry an LBA (bytes 2..5) and a transfer length in blocks. */
static const struct {
    uint8_t opcode;
    uint8_t count_offset, count_bytes;
} splittable[] = {
    { 0x28, 7, 2 }, /* READ(10) */
    { 0x2A, 7, 2 }, /* WRITE(10) */
    { 0xA8, 6, 4 }, /* READ(12) */
    { 0xAA, 6, 4 }, /* WRITE(12) */
    { 0xBE, 6, 3 }, /* READ CD */
};

static uint32_t get_be(const uint8_t *p, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be(uint8_t *p, int n, uint32_t v)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static enum transport_result execute_split(struct scsi_transport *t, struct scsi_request *req)
{
    int k = -1;
    for (size_t i = 0; i < sizeof(splittable) / sizeof(splittable[0]); i++)
        if (splittable[i].opcode == req->cdb[0] && req->cdb_len >= 10)
            k = (int)i;
    if (k < 0)
        return TRANSPORT_ERR_INVALID;
    int off = splittable[k].count_offset, nbytes = splittable[k].count_bytes;
    uint32_t count = get_be(req->cdb + off, nbytes);
    if (count == 0 || req->len % count != 0)
        return TRANSPORT_ERR_INVALID; /* the sector size must come out whole */
    uint32_t block = req->len / count;
    uint32_t per_piece = t->max_transfer / block;
    if (per_piece == 0)
        return TRANSPORT_ERR_INVALID;
    uint32_t lba = get_be(req->cdb + 2, 4); /* negative LBAs wrap the same way the drive reads them */
    uint32_t blocks_done = 0, bytes_done = 0;
    while (blocks_done < count) {
        uint32_t n = count - blocks_done < per_piece ? count - blocks_done : per_piece;
        struct scsi_request piece = *req;
        put_be(piece.cdb + 2, 4, lba + blocks_done);
        put_be(piece.cdb + off, nbytes, n);
        piece.buf = (uint8_t *)req->buf + bytes_done;
        piece.len = n * block;
        piece.resid = piece.len;
        enum transport_result r = t->ops->execute(t, &piece);
        req->status = piece.status;
        req->sense_len = piece.sense_len;
        memcpy(req->sense, piece.sense, sizeof(req->sense));
        if (r != TRANSPORT_OK)
            return r; /* resid says how much went out */
        uint32_t got = piece.len - (piece.resid <= piece.len ? piece.resid : piece.len);
        bytes_done += got;
        req->resid = req->len - bytes_done;
        if (req->status != SCSI_STATUS_GOOD || got != piece.len)
            return TRANSPORT_OK; /* the caller reads status, sense and resid */
        blocks_done += n;
    }
    return TRANSPORT_OK;
}

enum transport_result scsi_transport_execute(struct scsi_transport *t, struct scsi_request *req)
{
    req->status = 0;
    req->sense_len = 0;
    req->resid = req->len;
    memset(req->sense, 0, sizeof(req->sense));
    enum transport_result r = scsi_request_check(req, 0);
    if (r != TRANSPORT_OK)
        return r;
    if (t->max_transfer && req->len > t->max_transfer)
        return execute_split(t, req);
    return t->ops->execute(t, req);
}
