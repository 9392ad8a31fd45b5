/* Fault scripts: the parser must never crash on any text, and a drive opened
 * with an accepted script must run commands safely. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrec/vrec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char err[96];
    int line = vrec_fault_check(text, err, sizeof(err));
    struct vrec_config cfg = { .fault_script = text, .unthrottled = true };
    struct vrec_drive *d = NULL;
    int rc = vrec_open(&cfg, NULL, &d);
    if ((rc == 0) != (line == 0))
        abort(); /* open and check must agree */
    if (d) {
        static const uint8_t cdbs[][12] = { { 0x00 }, { 0x12, 0, 0, 0, 36 }, { 0x03, 0, 0, 0, 18 }, { 0x35 } };
        uint8_t buf[64];
        for (size_t i = 0; i < sizeof(cdbs) / sizeof(cdbs[0]); i++) {
            struct vrec_status st;
            uint8_t op = cdbs[i][0];
            enum scsi_direction dir = (op == 0x12 || op == 0x03) ? SCSI_DIR_IN : SCSI_DIR_NONE;
            vrec_execute(d, cdbs[i], 12, dir, dir == SCSI_DIR_IN ? buf : NULL, dir == SCSI_DIR_IN ? 36 : 0, &st);
        }
        vrec_close(d);
    }
    free(text);
    return 0;
}
