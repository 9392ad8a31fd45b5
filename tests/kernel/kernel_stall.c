/* A command the drive stalls past its timeout, seen through the native
 * sgio transport: the kernel's SG_IO timeout fires, the SCSI error handler
 * aborts the command (tcm_loop -> LIO -> TCMU), and sgio must report
 * TRANSPORT_ERR_TIMEOUT (host status DID_TIME_OUT), not a good status;
 * afterwards the drive must still answer.
 *   kernel_stall DEVICE OPCODE_HEX
 * The rig's handler runs with "delay opcode OPCODE ms 8000". */
#define _POSIX_C_SOURCE 200809L
#include "okay.h"

#include "transport/clock.h"
#include "transport/sgio.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>


int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: kernel_stall DEVICE OPCODE_HEX\n");
        return 2;
    }
    struct scsi_transport *t = NULL;
    enum transport_result r = sgio_open(argv[1], &t);
    ok(r == TRANSPORT_OK, "sgio_open %s: %s\n", argv[1], transport_result_name(r));
    if (r != TRANSPORT_OK)
        return okay_summary("kernel_stall");

    uint8_t buf[12];
    struct scsi_request req;
    memset(&req, 0, sizeof(req));
    req.cdb[0] = (uint8_t)strtoul(argv[2], NULL, 16);
    req.cdb[8] = sizeof(buf);
    req.cdb_len = 10;
    req.dir = SCSI_DIR_IN;
    req.buf = buf;
    req.len = sizeof(buf);
    req.timeout_ms = 2000;
    uint64_t t0 = io_clock_host_now_us(NULL) / 1000u;
    r = scsi_transport_execute(t, &req);
    uint64_t ms = io_clock_host_now_us(NULL) / 1000u - t0;
    printf("kernel_stall: opcode %02x, timeout 2 s -> %s after %llu ms, status %#x, sense_len %u\n", req.cdb[0],
           transport_result_name(r), (unsigned long long)ms, req.status, req.sense_len);
    ok(r == TRANSPORT_ERR_TIMEOUT, "stalled command: %s status %#x (want a timeout)\n", transport_result_name(r),
       req.status);
    ok(ms >= 1900, "it took %llu ms, the timeout is 2000\n", (unsigned long long)ms);

    /* The drive is usable again (the unit attention of the reset first). */
    enum transport_result tr = TRANSPORT_OK;
    for (int tries = 0; tries < 4; tries++) {
        memset(&req, 0, sizeof(req));
        req.cdb_len = 6;
        req.timeout_ms = 20000;
        tr = scsi_transport_execute(t, &req);
        if (tr != TRANSPORT_OK || req.status == SCSI_STATUS_GOOD)
            break;
    }
    ok(tr == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD, "TEST UNIT READY after the stall: %s status %#x\n",
       transport_result_name(tr), req.status);
    scsi_transport_close(t);
    return okay_summary("kernel_stall");
}
