/* Random CDBs and data into the virtual recorder's command handler: it must
 * never crash, whatever arrives. Input: a media kind byte, then commands of
 * [16 CDB bytes][cdb length][direction][2-byte length][data]. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vrec/vrec.h"

#define MAX_COMMANDS 24
#define MAX_DATA 65536

static uint64_t fake_now(void *ctx)
{
    return *(uint64_t *)ctx;
}

static int fake_sleep(void *ctx, uint64_t us)
{
    *(uint64_t *)ctx += us;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[128];
    static uint8_t buf[MAX_DATA];
    if (!path[0])
        snprintf(path, sizeof(path), "/tmp/fuzz_vrec_cdb_%ld.media", (long)getpid());
    if (size < 1)
        return 0;
    enum vrec_media_kind kind = (enum vrec_media_kind)(1 + data[0] % (VREC_MEDIA_KIND_COUNT - 1));
    bool timed = data[0] & 0x80;
    vrec_media_create(path, kind);
    uint64_t now = 0;
    struct io_clock clock = { fake_now, fake_sleep, &now };
    struct vrec_config cfg = { .media_path = path, .buffer_bytes = 256 * 1024, .unthrottled = !timed };
    struct vrec_drive *d = NULL;
    if (vrec_open(&cfg, &clock, &d) != 0)
        return 0;
    size_t off = 1;
    for (int n = 0; n < MAX_COMMANDS && off + 20 <= size; n++) {
        const uint8_t *cdb = data + off;
        size_t cdb_len = 1 + data[off + 16] % 16;
        enum scsi_direction dir = (enum scsi_direction)(data[off + 17] % 3);
        uint32_t len = (uint32_t)(data[off + 18] << 8 | data[off + 19]);
        off += 20;
        size_t avail = size - off < len ? size - off : len;
        memset(buf, 0, len);
        if (dir == SCSI_DIR_OUT) {
            memcpy(buf, data + off, avail);
            off += avail;
        }
        struct vrec_status st;
        vrec_execute(d, cdb, cdb_len, dir, len ? buf : NULL, len, &st);
        if (st.resid > len)
            abort();
        now += 1000 * (uint64_t)cdb[15];
    }
    vrec_close(d);
    return 0;
}
