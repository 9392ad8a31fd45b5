/* The spti backend under Wine against the kernel rig's drive: Wine maps a
 * drive letter to /dev/sr0 and turns IOCTL_SCSI_PASS_THROUGH_DIRECT into
 * SG_IO. What this measures is what docs/transports.md lists as "not
 * measured" without a drive: INQUIRY, sense data coming back, the transfer
 * limit and our split of a larger READ(10). (What a stalled command looks
 * like through SPTI is measured by sghelper_drive.c, beside the helper.)
 * Environment (set by tools/kernel-rig/guest-full.sh):
 *   IMAPI2_SPTI_EXPECT_INQUIRY  "VENDOR/PRODUCT/REVISION" of the drive
 * Without a drive that matches, everything is skipped. */
#include <windows.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "okay.h"
#include "spti_win.h"
#include "mmc/cdb.h"

static struct scsi_request plain_req(uint8_t opcode, uint8_t cdb_len, enum scsi_direction dir, void *buf,
                                     uint32_t len)
{
    struct scsi_request r;
    memset(&r, 0, sizeof(r));
    r.cdb[0] = opcode;
    r.cdb_len = cdb_len;
    r.dir = dir;
    r.buf = buf;
    r.len = len;
    r.timeout_ms = 20000;
    return r;
}

static BOOL find_drive(const char *expect, WCHAR *path)
{
    struct spti_drive drives[8];
    int n = spti_enumerate(drives, 8);
    for (int i = 0; i < n && i < 8; i++) {
        char got[40];
        snprintf(got, sizeof(got), "%s/%s/%s", drives[i].vendor, drives[i].product, drives[i].revision);
        printf("spti_drive: %ls answers INQUIRY %d: %s\n", drives[i].path, drives[i].inquiry_ok, got);
        if (drives[i].inquiry_ok && strcmp(got, expect) == 0) {
            wcscpy(path, drives[i].path);
            return TRUE;
        }
    }
    return FALSE;
}

/* TEST UNIT READY until the unit attentions are gone. */
static struct scsi_request test_unit_ready(struct scsi_transport *t, enum transport_result *r)
{
    struct scsi_request req;
    for (int tries = 0; tries < 4; tries++) {
        req = plain_req(0x00, 6, SCSI_DIR_NONE, NULL, 0);
        *r = scsi_transport_execute(t, &req);
        if (*r != TRANSPORT_OK || req.status != SCSI_STATUS_CHECK_CONDITION || (req.sense[2] & 0x0f) != 6)
            break;
    }
    return req;
}

static void check_sense(struct scsi_transport *t)
{
    struct scsi_request req = plain_req(0x02, 6, SCSI_DIR_NONE, NULL, 0); /* reserved opcode */
    enum transport_result r = scsi_transport_execute(t, &req);
    printf("spti_drive: opcode 02 -> %s status %#x sense_len %u %x/%02x/%02x\n", transport_result_name(r),
           req.status, req.sense_len, req.sense[2] & 0x0f, req.sense[12], req.sense[13]);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_CHECK_CONDITION, "opcode 02: %s status %#x\n",
       transport_result_name(r), req.status);
    ok(req.sense_len >= 14 && (req.sense[2] & 0x0f) == 5 && req.sense[12] == 0x20 && req.sense[13] == 0,
       "sense through Wine (%u bytes) %x/%02x/%02x, want 5/20/00\n", req.sense_len, req.sense[2] & 0x0f,
       req.sense[12], req.sense[13]);
}

/* A READ(10) beyond max_transfer is split by spti; it must give the same
 * bytes as one-sector reads. Needs a data track at LBA 0 (the rig's disc). */
static void check_split_read(struct scsi_transport *t)
{
    enum { SECTORS = 20 };
    static uint8_t big[SECTORS * 2048], one[2048];
    struct scsi_request req;
    mmc_build_read10(&req, 0, SECTORS, big, sizeof(big));
    enum transport_result r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD && req.resid == 0,
       "READ(10) of %u bytes (max_transfer %u): %s status %#x resid %u\n", (unsigned)sizeof(big), t->max_transfer,
       transport_result_name(r), req.status, req.resid);
    int differ = 0;
    for (int i = 0; i < SECTORS; i++) {
        mmc_build_read10(&req, i, 1, one, sizeof(one));
        if (scsi_transport_execute(t, &req) != TRANSPORT_OK || req.status != SCSI_STATUS_GOOD ||
            memcmp(one, big + i * 2048, sizeof(one)) != 0)
            differ++;
    }
    ok(differ == 0, "%d of %d sectors differ between the split read and single reads\n", differ, SECTORS);
}

int main(void)
{
    const char *expect = getenv("IMAPI2_SPTI_EXPECT_INQUIRY");
    WCHAR path[16];
    if (!expect || !find_drive(expect, path)) {
        skip("no drive answering INQUIRY with \"%s\"\n", expect ? expect : "(IMAPI2_SPTI_EXPECT_INQUIRY unset)");
        return okay_summary("spti_drive");
    }
    struct scsi_transport *t = NULL;
    enum transport_result r = spti_open(path, &t);
    ok(r == TRANSPORT_OK, "spti_open %ls: %s\n", path, transport_result_name(r));
    if (r != TRANSPORT_OK)
        return okay_summary("spti_drive");
    printf("spti_drive: %ls: limits from %s: max_transfer %u alignment_mask %#x\n", path, spti_limits_source(t),
           t->max_transfer, t->alignment_mask);
    struct scsi_request req = test_unit_ready(t, &r);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD, "TEST UNIT READY: %s status %#x\n",
       transport_result_name(r), req.status);
    check_sense(t);
    check_split_read(t);
    scsi_transport_close(t);
    return okay_summary("spti_drive");
}
