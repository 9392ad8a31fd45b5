/* Sense decoding (fixed and descriptor formats) and the sense table: the
 * facts the spec fixes, then every row of the table reached through both
 * sense formats, and the table's own shape (no dead rows, catch-all last,
 * HRESULTs from the project's error table). */
#include <string.h>

#include "okay.h"
#include "imapi2error.h"
#include "mmc/sense.h"

static size_t fixed_sense(uint8_t *b, uint8_t key, uint8_t asc, uint8_t ascq, int progress)
{
    memset(b, 0, 18);
    b[0] = 0x70;
    b[2] = key;
    b[7] = 10;
    b[12] = asc;
    b[13] = ascq;
    if (progress >= 0) {
        b[15] = 0x80;
        b[16] = (uint8_t)(progress >> 8);
        b[17] = (uint8_t)progress;
    }
    return 18;
}

static size_t descriptor_sense(uint8_t *b, uint8_t key, uint8_t asc, uint8_t ascq, int progress)
{
    memset(b, 0, 32);
    b[0] = 0x72;
    b[1] = key;
    b[2] = asc;
    b[3] = ascq;
    size_t n = 8;
    if (progress >= 0) {
        const uint8_t sks[8] = { 0x02, 0x06, 0, 0, 0x80, (uint8_t)(progress >> 8), (uint8_t)progress, 0 };
        memcpy(b + n, sks, sizeof(sks));
        n += sizeof(sks);
    }
    b[7] = (uint8_t)(n - 8);
    return n;
}

/* What the spec (mmc-raw-dao.md sense table, imapi2-interfaces.md 9.1) fixes. */
static const struct {
    uint8_t key, asc, ascq;
    enum mmc_retry retry;
    int32_t hr;
} facts[] = {
    { 0x2, 0x04, 0x01, MMC_RETRY_WAIT_READY, E_IMAPI_RECORDER_MEDIA_BECOMING_READY },
    { 0x2, 0x04, 0x04, MMC_RETRY_POLL_PROGRESS, E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS },
    { 0x2, 0x04, 0x07, MMC_RETRY_POLL_PROGRESS, E_IMAPI_RECORDER_MEDIA_BUSY },
    { 0x2, 0x04, 0x08, MMC_RETRY_POLL_PROGRESS, E_IMAPI_RECORDER_MEDIA_BUSY },
    { 0x2, 0x3A, 0x00, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_NO_MEDIA },
    { 0x2, 0x3A, 0x01, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_NO_MEDIA },
    { 0x2, 0x3A, 0x02, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_NO_MEDIA },
    { 0x3, 0x0C, 0x09, MMC_RETRY_NONE, E_IMAPI_LOSS_OF_STREAMING },
    { 0x3, 0x73, 0x03, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE },
    { 0x5, 0x26, 0x00, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS },
    { 0x5, 0x64, 0x00, MMC_RETRY_NONE, E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS },
    { 0x5, 0x30, 0x05, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE },
    { 0x6, 0x28, 0x00, MMC_RETRY_ONCE, E_IMAPI_RECORDER_MEDIA_BECOMING_READY },
    { 0x6, 0x29, 0x00, MMC_RETRY_ONCE, E_IMAPI_RECORDER_MEDIA_BECOMING_READY },
    { 0x7, 0x27, 0x00, MMC_RETRY_NONE, E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED },
};

static void test_facts(void)
{
    for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
        const struct mmc_sense_rule *r = mmc_sense_lookup(facts[i].key, facts[i].asc, facts[i].ascq);
        ok(r->retry == facts[i].retry && r->hresult == facts[i].hr, "%x/%02x/%02x -> retry %d hr %#x (%s)\n",
           facts[i].key, facts[i].asc, facts[i].ascq, r->retry, (unsigned)r->hresult, r->meaning);
    }
    ok(MMC_SUCCEEDED(mmc_sense_lookup(0x1, 0x17, 0x01)->hresult), "recovered error is a success code\n");
    ok(mmc_sense_lookup(0x0, 0, 0)->hresult == MMC_S_OK, "no sense is S_OK\n");
    ok(MMC_FAILED(mmc_sense_lookup(0xE, 0x1D, 0)->hresult), "miscompare fails via the catch-all\n");
}

/* A concrete value for a table field: wildcards become a value no row names. */
static uint8_t concrete(int16_t v)
{
    return v == MMC_SENSE_ANY ? 0xEE : (uint8_t)v;
}

static bool hr_known(int32_t hr)
{
    static const int32_t known[] = {
#define IMAPI2_ERROR(name, value, text) name,
#include "mmc/imapi2_errors.def"
#undef IMAPI2_ERROR
    };
    if (hr == MMC_S_OK)
        return true;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (known[i] == hr)
            return true;
    return false;
}

static bool covers(const struct mmc_sense_rule *a, const struct mmc_sense_rule *b)
{
    return (a->key == MMC_SENSE_ANY || a->key == b->key) && (a->asc == MMC_SENSE_ANY || a->asc == b->asc) &&
           (a->ascq == MMC_SENSE_ANY || a->ascq == b->ascq);
}

static void test_every_rule(void)
{
    size_t n = 0;
    const struct mmc_sense_rule *r;
    for (; (r = mmc_sense_rule_at(n)) != NULL; n++) {
        ok(r->meaning && r->meaning[0], "rule %u has a meaning\n", (unsigned)n);
        ok(hr_known(r->hresult), "rule %u (%s): hr %#x is in imapi2_errors.def\n", (unsigned)n, r->meaning,
           (unsigned)r->hresult);
        for (size_t j = 0; j < n; j++)
            ok(!covers(mmc_sense_rule_at(j), r), "rule %u (%s) is not shadowed by rule %u\n", (unsigned)n,
               r->meaning, (unsigned)j);
        uint8_t key = r->key == MMC_SENSE_ANY ? 0x0D : (uint8_t)r->key; /* 0D: a key no row names */
        uint8_t asc = concrete(r->asc), ascq = concrete(r->ascq);
        ok(mmc_sense_lookup(key, asc, ascq) == r, "rule %u reached by %x/%02x/%02x\n", (unsigned)n, key, asc, ascq);
        uint8_t b[32];
        struct mmc_sense s = { 0 }; /* the messages read it: argument order is unspecified */
        for (int fmt = 0; fmt < 2; fmt++) {
            size_t len = fmt ? descriptor_sense(b, key, asc, ascq, -1) : fixed_sense(b, key, asc, ascq, -1);
            ok(mmc_sense_decode(b, len, &s) == MMC_S_OK && s.key == key && s.asc == asc && s.ascq == ascq &&
                   s.descriptor_format == (fmt == 1) && mmc_sense_lookup(s.key, s.asc, s.ascq) == r,
               "rule %u through %s sense\n", (unsigned)n, fmt ? "descriptor" : "fixed");
        }
    }
    r = mmc_sense_rule_at(n - 1);
    ok(n > 20 && r->key == MMC_SENSE_ANY && r->asc == MMC_SENSE_ANY && r->ascq == MMC_SENSE_ANY,
       "%u rules, catch-all last\n", (unsigned)n);
}

static void test_decode_fixed(void)
{
    uint8_t b[32];
    struct mmc_sense s = { 0 }; /* the messages read it: argument order is unspecified */
    size_t n = fixed_sense(b, 0x2, 0x04, 0x08, 0x8000);
    ok(mmc_sense_decode(b, n, &s) == MMC_S_OK && s.progress_valid && s.progress == 0x8000 && !s.deferred,
       "fixed: progress %u valid %d\n", s.progress, s.progress_valid);
    ok(mmc_sense_decode(b, 17, &s) == MMC_S_OK && !s.progress_valid && s.asc == 0x04 && s.ascq == 0x08,
       "fixed, progress bytes cut off by the length\n");
    b[7] = 6; /* the drive says only 14 bytes are valid: progress bytes are not */
    ok(mmc_sense_decode(b, n, &s) == MMC_S_OK && !s.progress_valid && s.ascq == 0x08,
       "fixed, additional length shorter than the buffer\n");
    b[7] = 4;
    ok(mmc_sense_decode(b, n, &s) == MMC_S_OK && s.key == 2 && s.asc == 0 && s.ascq == 0,
       "fixed, additional length hides ASC/ASCQ: %02x/%02x\n", s.asc, s.ascq);
    ok(mmc_sense_decode(b, 3, &s) == MMC_S_OK && s.key == 2 && s.asc == 0, "fixed, 3 bytes: key only\n");
    n = fixed_sense(b, 0x5, 0x24, 0x00, 0x1234); /* SKSV on ILLEGAL REQUEST is a field pointer */
    ok(mmc_sense_decode(b, n, &s) == MMC_S_OK && !s.progress_valid, "field pointer is not progress\n");
    n = fixed_sense(b, 0x3, 0x0C, 0x00, -1);
    b[0] = 0xF1; /* valid + deferred */
    b[3] = 0xFF, b[4] = 0xFF, b[5] = 0xD2, b[6] = 0x8E;
    ok(mmc_sense_decode(b, n, &s) == MMC_S_OK && s.deferred && s.information_valid && s.information == 0xFFFFD28E,
       "deferred with information %#llx\n", (unsigned long long)s.information);
    b[0] = 0x00;
    ok(mmc_sense_decode(b, n, &s) != MMC_S_OK, "response code 0 rejected\n");
    b[0] = 0x7F;
    ok(mmc_sense_decode(b, n, &s) != MMC_S_OK, "vendor response code rejected\n");
    ok(mmc_sense_decode(b, 0, &s) != MMC_S_OK && mmc_sense_decode(NULL, 18, &s) != MMC_S_OK, "no sense bytes\n");
}

static void test_decode_descriptor(void)
{
    uint8_t b[64];
    struct mmc_sense s = { 0 }; /* the messages read it: argument order is unspecified */
    size_t n = descriptor_sense(b, 0x2, 0x04, 0x07, 0x4000);
    ok(mmc_sense_decode(b, n, &s) == MMC_S_OK && s.descriptor_format && s.progress_valid && s.progress == 0x4000,
       "descriptor progress %u\n", s.progress);
    ok(mmc_sense_decode(b, n - 1, &s) == MMC_S_OK && !s.progress_valid && s.ascq == 0x07,
       "a descriptor cut by the buffer is skipped\n");
    /* information descriptor followed by a sense-key-specific one */
    static const uint8_t info_then_sks[] = { 0x73, 0x02, 0x04, 0x08, 0, 0, 0, 20,
                                             0x00, 0x0A, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x02,
                                             0x02, 0x06, 0, 0, 0x80, 0xFF, 0xFF, 0 };
    ok(mmc_sense_decode(info_then_sks, sizeof(info_then_sks), &s) == MMC_S_OK && s.deferred && s.information_valid &&
           s.information == 0x0102 && s.progress_valid && s.progress == 0xFFFF,
       "descriptors walked: info %#llx progress %u\n", (unsigned long long)s.information, s.progress);
    uint8_t lying[sizeof(info_then_sks)];
    memcpy(lying, info_then_sks, sizeof(lying));
    lying[9] = 0xF0; /* information descriptor claims 240 bytes */
    ok(mmc_sense_decode(lying, sizeof(lying), &s) == MMC_S_OK && !s.information_valid && !s.progress_valid,
       "oversized descriptor ignored, nothing read past the data\n");
    lying[7] = 2; /* the header says only 10 bytes: the second descriptor is outside */
    lying[9] = 0x0A;
    ok(mmc_sense_decode(lying, sizeof(lying), &s) == MMC_S_OK && !s.progress_valid && !s.information_valid,
       "descriptors outside the additional length ignored\n");
    ok(mmc_sense_decode(b, 2, &s) == MMC_S_OK && s.key == 2 && s.asc == 0, "descriptor, 2 bytes\n");
    ok(strcmp(mmc_sense_key_name(2), "NOT READY") == 0 && strcmp(mmc_sense_key_name(0xB), "ABORTED COMMAND") == 0,
       "key names\n");
}

int main(void)
{
    test_facts();
    test_every_rule();
    test_decode_fixed();
    test_decode_descriptor();
    return okay_summary("mmc_sense");
}
