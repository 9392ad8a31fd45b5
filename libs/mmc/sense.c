/* Sense decoding and the sense table. The HRESULT column follows the IMAPI2
 * recorder errors (imapi2-interfaces.md 9.1); where Windows documents no
 * mapping the choice is ours and the meaning text says what the drive said. */
#include "sense.h"

#include <string.h>

#include "imapi2error.h"

#define ANY MMC_SENSE_ANY

/* Order matters: the first match wins, so exact rows precede the wildcard
 * rows of the same key, and the table ends with a catch-all. */
static const struct mmc_sense_rule rules[] = {
    /* no sense / recovered: the command did its work */
    { 0x0, 0x00, 0x00, MMC_RETRY_NONE, MMC_S_OK, "no sense" },
    { 0x0, 0x00, 0x16, MMC_RETRY_POLL_PROGRESS, E_IMAPI_RECORDER_MEDIA_BUSY, "operation in progress" },
    { 0x0, ANY, ANY, MMC_RETRY_NONE, S_IMAPI_COMMAND_HAS_SENSE_DATA, "no sense, with additional information" },
    { 0x1, ANY, ANY, MMC_RETRY_NONE, S_IMAPI_COMMAND_HAS_SENSE_DATA, "recovered error" },
    /* not ready */
    { 0x2, 0x04, 0x00, MMC_RETRY_WAIT_READY, E_IMAPI_RECORDER_MEDIA_BECOMING_READY, "not ready, cause not reportable" },
    { 0x2, 0x04, 0x01, MMC_RETRY_WAIT_READY, E_IMAPI_RECORDER_MEDIA_BECOMING_READY, "becoming ready" },
    { 0x2, 0x04, 0x04, MMC_RETRY_POLL_PROGRESS, E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS, "format in progress" },
    { 0x2, 0x04, 0x07, MMC_RETRY_POLL_PROGRESS, E_IMAPI_RECORDER_MEDIA_BUSY, "operation in progress" },
    { 0x2, 0x04, 0x08, MMC_RETRY_POLL_PROGRESS, E_IMAPI_RECORDER_MEDIA_BUSY, "long write in progress" },
    { 0x2, 0x04, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_BECOMING_READY, "not ready" },
    { 0x2, 0x30, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, "incompatible medium installed" },
    { 0x2, 0x3A, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_NO_MEDIA, "medium not present" },
    { 0x2, 0x3E, 0x00, MMC_RETRY_WAIT_READY, E_IMAPI_RECORDER_MEDIA_BECOMING_READY, "unit has not self-configured yet" },
    { 0x2, 0x57, 0x00, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, "unable to recover table of contents" },
    { 0x2, ANY, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_BECOMING_READY, "not ready" },
    /* medium errors */
    { 0x3, 0x0C, 0x09, MMC_RETRY_NONE, E_IMAPI_LOSS_OF_STREAMING, "loss of streaming (buffer underrun)" },
    { 0x3, 0x0C, ANY, MMC_RETRY_NONE, E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, "write error" },
    { 0x3, 0x30, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, "incompatible medium" },
    { 0x3, 0x31, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED, "medium format corrupted" },
    { 0x3, 0x73, 0x03, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, "power calibration area error" },
    { 0x3, 0x73, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, "CD control error" },
    { 0x3, ANY, ANY, MMC_RETRY_NONE, E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, "medium error" },
    { 0x4, ANY, ANY, MMC_RETRY_NONE, E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, "hardware error" },
    /* illegal request: the drive refused what we asked */
    { 0x5, 0x1A, 0x00, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS, "parameter list length error" },
    { 0x5, 0x20, 0x00, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE, "invalid command operation code" },
    { 0x5, 0x21, 0x00, MMC_RETRY_NONE, E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, "logical block address out of range" },
    { 0x5, 0x21, 0x02, MMC_RETRY_NONE, E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, "invalid address for write" },
    { 0x5, 0x24, 0x00, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE, "invalid field in CDB" },
    { 0x5, 0x26, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS, "invalid field in parameter list" },
    { 0x5, 0x2C, ANY, MMC_RETRY_NONE, E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, "command sequence error" },
    { 0x5, 0x30, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, "incompatible medium installed" },
    { 0x5, 0x39, 0x00, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS, "saving parameters not supported" },
    { 0x5, 0x64, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS, "illegal mode for this track" },
    { 0x5, 0x6F, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE, "copy protection error" },
    { 0x5, ANY, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE, "illegal request" },
    /* unit attention: the command was not run; the state behind it changed */
    { 0x6, 0x28, ANY, MMC_RETRY_ONCE, E_IMAPI_RECORDER_MEDIA_BECOMING_READY, "medium may have changed" },
    { 0x6, 0x29, ANY, MMC_RETRY_ONCE, E_IMAPI_RECORDER_MEDIA_BECOMING_READY, "power on or reset" },
    { 0x6, 0x2A, ANY, MMC_RETRY_ONCE, E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS, "parameters changed" },
    { 0x6, ANY, ANY, MMC_RETRY_ONCE, E_IMAPI_RECORDER_MEDIA_BECOMING_READY, "unit attention" },
    { 0x7, 0x27, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED, "write protected" },
    { 0x7, ANY, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED, "data protect" },
    { 0xB, ANY, ANY, MMC_RETRY_ONCE, E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE, "aborted command" },
    { ANY, ANY, ANY, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE, "unexpected sense" },
};

#define RULE_COUNT (sizeof(rules) / sizeof(rules[0]))

static bool field_matches(int16_t pattern, uint8_t value)
{
    return pattern == ANY || pattern == value;
}

const struct mmc_sense_rule *mmc_sense_lookup(uint8_t key, uint8_t asc, uint8_t ascq)
{
    for (size_t i = 0; i < RULE_COUNT; i++) {
        const struct mmc_sense_rule *r = &rules[i];
        if (field_matches(r->key, key) && field_matches(r->asc, asc) && field_matches(r->ascq, ascq))
            return r;
    }
    return &rules[RULE_COUNT - 1];
}

const struct mmc_sense_rule *mmc_sense_rule_at(size_t index)
{
    return index < RULE_COUNT ? &rules[index] : NULL;
}

const char *mmc_sense_key_name(uint8_t key)
{
    static const char *const names[16] = {
        "NO SENSE", "RECOVERED ERROR", "NOT READY", "MEDIUM ERROR", "HARDWARE ERROR", "ILLEGAL REQUEST",
        "UNIT ATTENTION", "DATA PROTECT", "BLANK CHECK", "VENDOR SPECIFIC", "COPY ABORTED", "ABORTED COMMAND",
        "EQUAL", "VOLUME OVERFLOW", "MISCOMPARE", "COMPLETED",
    };
    return names[key & 0x0F];
}

/* Progress lives in the sense-key specific bytes only for NOT READY and NO SENSE;
 * for other keys those bytes mean field pointers or retry counts. */
static bool key_carries_progress(uint8_t key)
{
    return key == MMC_KEY_NOT_READY || key == MMC_KEY_NO_SENSE;
}

static void take_progress(struct mmc_sense *s, const uint8_t sks[3])
{
    if ((sks[0] & 0x80) && key_carries_progress(s->key)) {
        s->progress_valid = true;
        s->progress = (uint16_t)(sks[1] << 8 | sks[2]);
    }
}

static void decode_fixed(const uint8_t *b, size_t n, struct mmc_sense *s)
{
    if (n > 2)
        s->key = b[2] & 0x0F;
    if (n > 6 && (b[0] & 0x80)) {
        s->information_valid = true;
        s->information = (uint64_t)b[3] << 24 | (uint64_t)b[4] << 16 | (uint64_t)b[5] << 8 | b[6];
    }
    if (n > 12)
        s->asc = b[12];
    if (n > 13)
        s->ascq = b[13];
    if (n > 17)
        take_progress(s, b + 15);
}

static void decode_descriptor_item(const uint8_t *d, size_t dlen, struct mmc_sense *s)
{
    if (d[0] == 0x00 && dlen >= 12 && (d[2] & 0x80)) { /* information */
        s->information_valid = true;
        s->information = 0;
        for (int i = 4; i < 12; i++)
            s->information = s->information << 8 | d[i];
    } else if (d[0] == 0x02 && dlen >= 7) { /* sense key specific */
        take_progress(s, d + 4);
    }
}

static void decode_descriptor(const uint8_t *b, size_t n, struct mmc_sense *s)
{
    if (n > 1)
        s->key = b[1] & 0x0F;
    if (n > 2)
        s->asc = b[2];
    if (n > 3)
        s->ascq = b[3];
    size_t off = 8;
    while (off + 2 <= n) {
        size_t dlen = 2 + (size_t)b[off + 1];
        if (off + dlen > n)
            break; /* a descriptor cut by the buffer is ignored, not read past */
        decode_descriptor_item(b + off, dlen, s);
        off += dlen;
    }
}

int32_t mmc_sense_decode(const uint8_t *buf, size_t len, struct mmc_sense *out)
{
    memset(out, 0, sizeof(*out));
    if (!buf || len == 0)
        return E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE;
    uint8_t code = buf[0] & 0x7F;
    /* What is valid: the given bytes, and no more than the data says it holds. */
    size_t n = len;
    if (len > 7 && (size_t)8 + buf[7] < n)
        n = (size_t)8 + buf[7];
    switch (code) {
    case 0x70:
    case 0x71:
        out->deferred = code == 0x71;
        decode_fixed(buf, n, out);
        return MMC_S_OK;
    case 0x72:
    case 0x73:
        out->descriptor_format = true;
        out->deferred = code == 0x73;
        decode_descriptor(buf, n, out);
        return MMC_S_OK;
    default:
        return E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE;
    }
}
