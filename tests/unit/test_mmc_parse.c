/* Response parsers against hand-written responses: the normal case, then
 * truncated (the buffer held less), oversized (declared lengths beyond the
 * data) and inconsistent lengths. Every parser also gets every prefix of
 * its good response, under ASan, to show it never reads past len. */
#include <stdlib.h>
#include <string.h>

#include "okay.h"
#include "imapi2error.h"
#include "mmc/parse.h"
#include "mmc/geometry.h"

#define BAD E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE

/* Copies into an exact-size heap block so ASan sees any read past len. */
static uint8_t *exact(const uint8_t *src, size_t len)
{
    uint8_t *p = malloc(len ? len : 1);
    memcpy(p, src, len);
    return p;
}

typedef int32_t (*parser)(const uint8_t *buf, size_t len, void *out);

/* Feeds every prefix; the full response must parse, none may crash. */
static void every_prefix(const char *what, parser parse, const uint8_t *resp, size_t len, void *out)
{
    int fine = 1;
    for (size_t n = 0; n <= len; n++) {
        uint8_t *b = exact(resp, n);
        int32_t hr = parse(b, n, out);
        if (n == len)
            fine = hr == MMC_S_OK;
        free(b);
    }
    ok(fine, "%s: every prefix survived, full response parses\n", what);
}

/* ---- INQUIRY ---- */
static const uint8_t inquiry[36] = { 0x05, 0x80, 0x05, 0x02, 31, 0, 0, 0, 'H', 'L', '-', 'D', 'T', '-', 'S',
                                     'T', 'D', 'V', 'D', 'R', 'A', 'M', ' ', 'G', 'H', '2', '2', 'N', 'S',
                                     ' ', ' ', ' ', '1', '.', '0', ' ' };
static int32_t inquiry_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_inquiry(b, n, o); }

static void test_inquiry(void)
{
    struct mmc_inquiry q = { 0 };
    ok(mmc_parse_inquiry(inquiry, sizeof(inquiry), &q) == MMC_S_OK && q.peripheral_type == 5 && q.removable &&
           strcmp(q.vendor, "HL-DT-ST") == 0 && strcmp(q.product, "DVDRAM GH22NS") == 0 &&
           strcmp(q.revision, "1.0") == 0,
       "inquiry: '%s' '%s' '%s'\n", q.vendor, q.product, q.revision);
    uint8_t b[36];
    memcpy(b, inquiry, sizeof(b));
    b[4] = 20; /* says 25 bytes: identity incomplete */
    ok(mmc_parse_inquiry(b, sizeof(b), &q) == BAD, "additional length too short\n");
    memcpy(b, inquiry, sizeof(b));
    b[9] = 0x07, b[20] = 0; /* control char replaced; NUL ends the product */
    ok(mmc_parse_inquiry(b, sizeof(b), &q) == MMC_S_OK && strcmp(q.vendor, "H?-DT-ST") == 0 &&
           strcmp(q.product, "DVDR") == 0,
       "odd bytes: '%s' '%s'\n", q.vendor, q.product);
    every_prefix("inquiry", inquiry_v, inquiry, sizeof(inquiry), &q);
}

/* ---- GET CONFIGURATION ---- */
static const uint8_t config[] = {
    0, 0, 0, 36, 0, 0, 0x00, 0x09,                /* 40 bytes, current profile CD-R */
    0x00, 0x00, 0x03, 12,                         /* profile list */
    0x00, 0x0A, 0x00, 0, 0x00, 0x09, 0x01, 0, 0x00, 0x08, 0x00, 0,
    0x00, 0x2D, 0x08, 4, 0x44, 0, 0x00, 0x01,     /* CD TAO v2, not current: BUF, test write */
    0x00, 0x2E, 0x03, 4, 0x6F, 0x00, 0x10, 0x00,  /* CD mastering, current: all bits but raw MS; cue 4096 */
};
static int32_t config_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_configuration(b, n, o); }

static void test_configuration(void)
{
    struct mmc_configuration c = { 0 };
    ok(mmc_parse_configuration(config, sizeof(config), &c) == MMC_S_OK, "configuration parses\n");
    ok(c.current_profile == 0x0009 && c.profile_count == 3 && c.profiles[1].number == 9 && c.profiles[1].current &&
           !c.profiles[0].current && c.feature_count == 3 && !c.truncated,
       "profiles %u current %04x features %u\n", (unsigned)c.profile_count, c.current_profile,
       (unsigned)c.feature_count);
    ok(mmc_config_has_profile(&c, 0x000A) && !mmc_config_has_profile(&c, 0x0010), "has profile\n");
    const struct mmc_cd_mastering *m = &c.mastering;
    ok(m->present && m->current && m->buf && m->sao && !m->raw_ms && m->raw && m->test_write && m->cd_rw && m->r_w &&
           m->max_cue_sheet == 0x1000,
       "mastering bits\n");
    ok(c.tao.present && !c.tao.current && c.tao.buf && c.tao.test_write && !c.tao.rw_raw && c.tao.data_types == 1,
       "TAO bits\n");

    /* walking by hand */
    size_t pos = 0;
    struct mmc_feature f = { 0 };
    uint16_t codes[4];
    int n = 0;
    while (n < 4 && mmc_next_feature(config, sizeof(config), &pos, &f) == 1)
        codes[n++] = f.code;
    ok(n == 3 && codes[0] == 0 && codes[1] == 0x2D && codes[2] == 0x2E, "iterated %d features\n", n);

    /* cut by the allocation length in the middle of the last descriptor: fine, flagged */
    ok(mmc_parse_configuration(config, sizeof(config) - 2, &c) == MMC_S_OK && c.truncated && c.feature_count == 2 &&
           !c.mastering.present,
       "truncated configuration: %u features\n", (unsigned)c.feature_count);
    uint8_t b[sizeof(config)];
    memcpy(b, config, sizeof(b));
    b[35] = 8; /* mastering claims 8 bytes, the data (complete) has 4 */
    ok(mmc_parse_configuration(b, sizeof(b), &c) == BAD, "descriptor past the declared data\n");
    memcpy(b, config, sizeof(b));
    b[3] = 34; /* data length says the last descriptor is half outside */
    ok(mmc_parse_configuration(b, sizeof(b), &c) == BAD, "descriptor past data length\n");
    b[3] = 0xFF; /* data length larger than the buffer: truncated, not an error */
    ok(mmc_parse_configuration(b, sizeof(b), &c) == MMC_S_OK && c.truncated && c.mastering.present,
       "oversized data length\n");
    memcpy(b, config, sizeof(b));
    b[11] = 10; /* profile list not a multiple of 4 */
    b[3] = 34;
    ok(mmc_parse_configuration(b, sizeof(b) - 2, &c) == BAD, "profile list length %% 4\n");
    memcpy(b, config, sizeof(b));
    b[35] = 0;
    b[3] = 32;
    ok(mmc_parse_configuration(b, sizeof(b) - 4, &c) == BAD, "mastering feature without its bytes\n");
    b[3] = 2;
    ok(mmc_parse_configuration(b, 8, &c) == BAD, "data length below the header\n");
    ok(mmc_parse_configuration(config, 7, &c) == BAD, "short header\n");
    every_prefix("configuration", config_v, config, sizeof(config), &c);
}

/* ---- READ DISC INFORMATION ---- */
static const uint8_t disc_blank[34] = { 0, 32, 0x10, 1, 1, 1, 1, 0x20, 0, 0, 0, 0, 0, 0, 0, 0,
                                        0, 97, 26, 66, 0, 79, 59, 74, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                        0, 0 };
static int32_t disc_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_disc_info(b, n, o); }

static void test_disc_info(void)
{
    struct mmc_disc_info di = { 0 };
    ok(mmc_parse_disc_info(disc_blank, sizeof(disc_blank), &di) == MMC_S_OK && di.disc_status == MMC_DISC_EMPTY &&
           di.erasable && di.first_track == 1 && di.sessions == 1 && di.leadin_valid &&
           di.last_session_leadin == CD_TYPICAL_LEADIN_LBA && di.leadout_valid && di.last_possible_leadout == 359849,
       "blank disc info: lead-in %d lead-out %d\n", di.last_session_leadin, di.last_possible_leadout);
    uint8_t b[34];
    memcpy(b, disc_blank, sizeof(b));
    b[2] = 0x0E; /* complete, last session complete */
    b[9] = 1, b[4] = 2; /* 258 sessions */
    b[8] = 0x20;
    memset(b + 16, 0xFF, 8);
    ok(mmc_parse_disc_info(b, sizeof(b), &di) == MMC_S_OK && di.disc_status == MMC_DISC_COMPLETE &&
           di.last_session_state == MMC_SESSION_COMPLETE && !di.erasable && di.sessions == 258 &&
           di.disc_type == 0x20 && !di.leadin_valid && !di.leadout_valid,
       "closed disc info\n");
    memcpy(b, disc_blank, sizeof(b));
    b[22] = 60; /* second 60 */
    ok(mmc_parse_disc_info(b, sizeof(b), &di) == BAD, "implausible MSF\n");
    memcpy(b, disc_blank, sizeof(b));
    b[1] = 20; /* 22 bytes declared: MSF fields outside */
    ok(mmc_parse_disc_info(b, sizeof(b), &di) == BAD, "length hides the addresses\n");
    ok(mmc_parse_disc_info(disc_blank, 23, &di) == BAD, "short buffer\n");
    every_prefix("disc info", disc_v, disc_blank, sizeof(disc_blank), &di);
}

/* ---- READ TRACK INFORMATION ---- */
static const uint8_t track[36] = { 0, 34, 2, 1, 0, 0x24, 0x01, 0x03, 0, 0, 0x01, 0xC2, 0, 0, 0, 0,
                                   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x2C, 0, 0, 0x02, 0xED, 1, 0 };
static int32_t track_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_track_info(b, n, o); }

static void test_track_info(void)
{
    struct mmc_track_info t = { 0 };
    ok(mmc_parse_track_info(track, sizeof(track), &t) == MMC_S_OK && t.track == 0x102 && t.session == 1 &&
           t.damaged && t.track_mode == 4 && t.data_mode == 1 && t.nwa_valid && t.lra_valid && t.start == 450 &&
           t.size == 300 && t.last_recorded == 749,
       "track info: %u start %d size %u last %d\n", t.track, t.start, t.size, t.last_recorded);
    ok(mmc_parse_track_info(track, 30, &t) == MMC_S_OK && !t.lra_valid && t.track == 2 && t.size == 300,
       "MMC-1 sized answer\n");
    ok(mmc_parse_track_info(track, 27, &t) == BAD, "without the track size\n");
    uint8_t b[36];
    memcpy(b, track, sizeof(b));
    b[1] = 10;
    ok(mmc_parse_track_info(b, sizeof(b), &t) == BAD, "declared length too short\n");
    every_prefix("track info", track_v, track, sizeof(track), &t);
}

/* ---- TOC formats ---- */
static const uint8_t toc0[28] = { 0, 26, 1, 2, 0, 0x14, 1, 0, 0, 0, 0, 0, 0, 0x10, 2, 0, 0, 0, 0x01, 0xC2,
                                  0, 0x10, 0xAA, 0, 0, 0, 0x02, 0xEE };
static const uint8_t toc0_msf[28] = { 0, 26, 1, 2, 0, 0x14, 1, 0, 0, 0, 2, 0, 0, 0x10, 2, 0, 0, 0, 8, 0,
                                      0, 0x10, 0xAA, 0, 0, 0, 12, 0 };
static int32_t toc_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_toc(b, n, false, o); }

static void test_toc(void)
{
    struct mmc_toc t = { 0 };
    ok(mmc_parse_toc(toc0, sizeof(toc0), false, &t) == MMC_S_OK && t.first_track == 1 && t.last_track == 2 &&
           t.count == 3 && t.entries[0].control == 4 && t.entries[0].adr == 1 && t.entries[1].lba == 450 &&
           t.entries[2].track == 0xAA && t.entries[2].lba == 750 && !t.truncated,
       "TOC: %u entries, lead-out %d\n", (unsigned)t.count, t.entries[2].lba);
    ok(mmc_parse_toc(toc0_msf, sizeof(toc0_msf), true, &t) == MMC_S_OK && t.entries[0].lba == 0 &&
           t.entries[1].lba == 450 && t.entries[2].lba == 750,
       "TOC in MSF\n");
    ok(mmc_parse_toc(toc0, 20, false, &t) == MMC_S_OK && t.truncated && t.count == 2, "TOC truncated\n");
    uint8_t b[28];
    memcpy(b, toc0, sizeof(b));
    b[1] = 25;
    ok(mmc_parse_toc(b, sizeof(b), false, &t) == BAD, "length not a whole number of descriptors\n");
    memcpy(b, toc0, sizeof(b));
    b[14] = 0;
    ok(mmc_parse_toc(b, sizeof(b), false, &t) == BAD, "track 0\n");
    memcpy(b, toc0, sizeof(b));
    b[2] = 3;
    ok(mmc_parse_toc(b, sizeof(b), false, &t) == BAD, "first track after last\n");
    memcpy(b, toc0_msf, sizeof(b));
    b[11] = 75;
    ok(mmc_parse_toc(b, sizeof(b), true, &t) == BAD, "frame 75\n");
    memcpy(b, toc0, sizeof(b));
    b[0] = 0x03, b[1] = 0x2A; /* 101 descriptors declared */
    ok(mmc_parse_toc(b, sizeof(b), false, &t) == BAD, "more than 100 entries declared\n");
    every_prefix("TOC", toc_v, toc0, sizeof(toc0), &t);

    struct mmc_session_info s = { 0 };
    static const uint8_t sess[12] = { 0, 10, 1, 1, 0, 0x14, 1, 0, 0, 0, 0, 0 };
    ok(mmc_parse_session_info(sess, sizeof(sess), false, &s) == MMC_S_OK && s.first_session == 1 &&
           s.last_session == 1 && s.control == 4 && s.first_track_last_session == 1 && s.start == 0,
       "session info\n");
    ok(mmc_parse_session_info(sess, 11, false, &s) == BAD, "session info short\n");
}

static const uint8_t full_toc[4 + 55] = {
    0, 57, 1, 1,
    1, 0x14, 0, 0xA0, 97, 26, 66, 0, 1, 0x00, 0,
    1, 0x10, 0, 0xA1, 97, 26, 69, 0, 2, 0, 0,
    1, 0x10, 0, 0xA2, 97, 26, 72, 0, 0, 12, 0,
    1, 0x14, 0, 0x01, 97, 27, 0, 0, 0, 2, 0,
    1, 0x10, 0, 0x02, 97, 27, 3, 0, 0, 8, 0,
};
static int32_t full_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_full_toc(b, n, o); }

static void test_full_toc(void)
{
    static struct mmc_full_toc t = { 0 };
    ok(mmc_parse_full_toc(full_toc, sizeof(full_toc), &t) == MMC_S_OK && t.count == 5 && t.first_session == 1,
       "full TOC: %u entries\n", (unsigned)t.count);
    const struct mmc_full_toc_entry *a2 = mmc_full_toc_find(&t, 1, 0xA2), *t2 = mmc_full_toc_find(&t, 1, 2);
    ok(a2 && a2->pmin == 0 && a2->psec == 12 && a2->min == 97 && a2->frame == 72 && t2 && t2->psec == 8 &&
           t2->control == 0 && t2->adr == 1,
       "A2 and track 2 found\n");
    ok(mmc_full_toc_find(&t, 1, 3) == NULL && mmc_full_toc_find(&t, 2, 0xA0) == NULL, "absent points\n");
    ok(mmc_parse_full_toc(full_toc, 30, &t) == MMC_S_OK && t.truncated && t.count == 2, "full TOC truncated\n");
    uint8_t b[sizeof(full_toc)];
    memcpy(b, full_toc, sizeof(b));
    b[1] = 56;
    ok(mmc_parse_full_toc(b, sizeof(b), &t) == BAD, "full TOC length not 11n + 2\n");
    b[1] = 57, b[2] = 2;
    ok(mmc_parse_full_toc(b, sizeof(b), &t) == BAD, "first session after last\n");
    every_prefix("full TOC", full_v, full_toc, sizeof(full_toc), &t);
}

static const uint8_t atip[28] = { 0, 26, 0, 0, 0xC0, 0, 0xC0, 0, 97, 26, 66, 0, 79, 59, 74, 0 };
static int32_t atip_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_atip(b, n, o); }

static void test_atip(void)
{
    struct mmc_atip a = { 0 };
    ok(mmc_parse_atip(atip, sizeof(atip), &a) == MMC_S_OK && a.leadin_start == CD_TYPICAL_LEADIN_LBA &&
           a.last_possible_leadout == 359849 && a.erasable && a.writing_power == 4 && a.leadin_msf.m == 97,
       "ATIP: lead-in %d lead-out %d erasable %d\n", a.leadin_start, a.last_possible_leadout, a.erasable);
    uint8_t b[28];
    memcpy(b, atip, sizeof(b));
    b[8] = 79; /* lead-in in the program-area range */
    ok(mmc_parse_atip(b, sizeof(b), &a) == BAD, "lead-in below 90 minutes\n");
    memcpy(b, atip, sizeof(b));
    b[12] = 95; /* lead-out in the lead-in range */
    ok(mmc_parse_atip(b, sizeof(b), &a) == BAD, "lead-out above 90 minutes\n");
    memcpy(b, atip, sizeof(b));
    b[1] = 8;
    ok(mmc_parse_atip(b, sizeof(b), &a) == BAD, "length hides the lead-out\n");
    every_prefix("ATIP", atip_v, atip, sizeof(atip), &a);
}

/* ---- mode pages ---- */
static uint8_t mode05[8 + 52];
static uint8_t mode2a[8 + 40];

static void make_mode_pages(void)
{
    memset(mode05, 0, sizeof(mode05));
    mode05[1] = sizeof(mode05) - 2;
    uint8_t *p = mode05 + 8;
    p[0] = 0x85; /* PS set, page 05 */
    p[1] = 50;
    p[2] = 0x01; /* TAO */
    p[3] = 0x04;
    p[4] = 0x08;
    p[15] = 150;
    p[16] = 0x80; /* MCVAL: a byte the page model does not touch */
    memset(mode2a, 0, sizeof(mode2a));
    mode2a[1] = sizeof(mode2a) - 2;
    p = mode2a + 8;
    p[0] = 0x2A;
    p[1] = 38;
    p[2] = 0x0B;
    p[3] = 0x07;
    p[4] = 0xF1;
    p[5] = 0x6F;
    p[6] = 0x29;
    p[8] = 0x22, p[9] = 0x60; /* 8800 kB/s */
    p[12] = 0x08, p[13] = 0x00;
    p[18] = 0x22, p[19] = 0x60;
    p[20] = 0x05, p[21] = 0x80;
    p[27] = 0x01;
    p[28] = 0x05, p[29] = 0x80;
    p[30] = 0, p[31] = 2;
    p[32 + 1] = 0, p[32 + 2] = 0x22, p[32 + 3] = 0x60;
    p[36 + 1] = 1, p[36 + 2] = 0x05, p[36 + 3] = 0x80;
}

static int32_t page05_v(const uint8_t *b, size_t n, void *o)
{
    const uint8_t *page = NULL;
    size_t len = 0;
    int32_t hr = mmc_mode_find_page(b, n, 0x05, &page, &len);
    return MMC_FAILED(hr) ? hr : mmc_parse_write_params(page, len, o);
}

static int32_t page2a_v(const uint8_t *b, size_t n, void *o)
{
    const uint8_t *page = NULL;
    size_t len = 0;
    int32_t hr = mmc_mode_find_page(b, n, 0x2A, &page, &len);
    return MMC_FAILED(hr) ? hr : mmc_parse_capabilities(page, len, o);
}

static void test_page05(void)
{
    const uint8_t *page = NULL;
    size_t len = 0;
    ok(mmc_mode_find_page(mode05, sizeof(mode05), 0x05, &page, &len) == MMC_S_OK && page == mode05 + 8 && len == 52,
       "page 05 found, %u bytes\n", (unsigned)len);
    ok(mmc_mode_find_page(mode05, sizeof(mode05), 0x2A, &page, &len) == E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE,
       "page 2A absent\n");
    struct mmc_write_params wp = { 0 };
    ok(mmc_parse_write_params(mode05 + 8, 52, &wp) == MMC_S_OK && wp.write_type == MMC_WT_TAO &&
           wp.track_mode == 4 && wp.data_block_type == 8 && wp.audio_pause == 150 && !wp.bufe,
       "page 05 fields\n");
    /* get, modify, put back */
    uint8_t copy[52];
    memcpy(copy, mode05 + 8, sizeof(copy));
    wp.write_type = MMC_WT_RAW;
    wp.data_block_type = 3;
    wp.bufe = true;
    wp.test_write = true;
    ok(mmc_apply_write_params(copy, sizeof(copy), &wp) == MMC_S_OK && copy[2] == 0x53 && copy[4] == 0x03 &&
           copy[16] == 0x80 && copy[15] == 150,
       "modified page: %02x %02x, MCN byte kept\n", copy[2], copy[4]);
    uint8_t list[80];
    size_t n;
    ok(mmc_mode_select_list(copy, sizeof(copy), list, sizeof(list), &n) == MMC_S_OK && n == 60 && list[0] == 0 &&
           list[1] == 0 && list[7] == 0 && list[8] == 0x05 && list[10] == 0x53,
       "MODE SELECT list: PS cleared, header zero\n");
    ok(mmc_mode_select_list(copy, sizeof(copy), list, 59, &n) != MMC_S_OK, "no room for the list\n");
    ok(mmc_apply_write_params(copy, 15, &wp) != MMC_S_OK, "page too short to modify\n");

    uint8_t b[sizeof(mode05)];
    memcpy(b, mode05, sizeof(b));
    b[9] = 60; /* the page claims more than the response holds */
    ok(mmc_mode_find_page(b, sizeof(b), 0x05, &page, &len) == BAD, "page longer than the response\n");
    memcpy(b, mode05, sizeof(b));
    b[7] = 200; /* block descriptors past the end */
    ok(mmc_mode_find_page(b, sizeof(b), 0x05, &page, &len) == BAD, "block descriptor length too large\n");
    memcpy(b, mode05, sizeof(b));
    b[7] = 8; /* one block descriptor: the page moves */
    ok(mmc_mode_find_page(b, sizeof(b), 0x05, &page, &len) == BAD, "page shifted past the data\n");
    ok(mmc_mode_find_page(mode05, 30, 0x05, &page, &len) == BAD, "page cut by the buffer\n");
    memcpy(b, mode05, sizeof(b));
    b[9] = 12; /* a short page 05 (14 bytes) */
    ok(mmc_mode_find_page(b, sizeof(b), 0x05, &page, &len) == MMC_S_OK && len == 14 &&
           mmc_parse_write_params(page, len, &wp) == BAD,
       "page 05 too short for the write parameters\n");
    every_prefix("page 05", page05_v, mode05, sizeof(mode05), &wp);
}

static void test_page2a(void)
{
    struct mmc_capabilities c = { 0 };
    const uint8_t *page = NULL;
    size_t len = 0;
    ok(mmc_mode_find_page(mode2a, sizeof(mode2a), 0x2A, &page, &len) == MMC_S_OK &&
           mmc_parse_capabilities(page, len, &c) == MMC_S_OK,
       "page 2A parses\n");
    ok(c.read_cdr && c.read_cdrw && c.read_dvdrom && c.write_cdr && c.write_cdrw && c.test_write && c.buf &&
           c.multi_session && c.rw_supported && c.rw_deinterleaved && c.lock && c.eject && c.loading_mechanism == 1 &&
           c.max_read_kbs == 8800 && c.buffer_kb == 2048 && c.max_write_kbs == 8800 && c.current_write_kbs == 1408,
       "page 2A bits and speeds\n");
    ok(c.has_selected_speed && c.selected_write_kbs == 1408 && c.selected_rotation == 1 && c.speed_count == 2 &&
           c.speeds[0].kbs == 8800 && c.speeds[1].kbs == 1408 && c.speeds[1].rotation == 1,
       "write speed descriptors: %u\n", (unsigned)c.speed_count);
    uint8_t p[40];
    memcpy(p, mode2a + 8, sizeof(p));
    p[31] = 3; /* 3 descriptors, room for 2 */
    ok(mmc_parse_capabilities(p, sizeof(p), &c) == BAD, "descriptor count past the page\n");
    ok(mmc_parse_capabilities(p, 24, &c) == MMC_S_OK && !c.has_selected_speed && c.speed_count == 0,
       "MMC-2 page without descriptors\n");
    ok(mmc_parse_capabilities(p, 21, &c) == BAD, "too short\n");
    p[0] = 0x05;
    ok(mmc_parse_capabilities(p, sizeof(p), &c) == BAD, "wrong page code\n");
    every_prefix("page 2A", page2a_v, mode2a, sizeof(mode2a), &c);
}

/* ---- buffer, performance, events ---- */
static int32_t bufcap_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_buffer_capacity(b, n, o); }
static int32_t speeds_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_write_speeds(b, n, o); }
static int32_t event_v(const uint8_t *b, size_t n, void *o) { return mmc_parse_event_status(b, n, o); }

static void test_small_ones(void)
{
    static const uint8_t cap[12] = { 0, 10, 0, 0, 0, 0x20, 0, 0, 0, 0x08, 0, 0 };
    struct mmc_buffer_capacity bc = { 0 };
    ok(mmc_parse_buffer_capacity(cap, sizeof(cap), &bc) == MMC_S_OK && bc.length == 2097152 && bc.blank == 524288 &&
           !bc.block,
       "buffer capacity %u/%u\n", bc.blank, bc.length);
    uint8_t b[12];
    memcpy(b, cap, sizeof(b));
    b[8] = 1; /* more free than the buffer has */
    ok(mmc_parse_buffer_capacity(b, sizeof(b), &bc) == BAD, "blank > length\n");
    b[3] = 1; /* block mode: only available blocks */
    ok(mmc_parse_buffer_capacity(b, sizeof(b), &bc) == MMC_S_OK && bc.block && bc.available_blocks == 0x01080000,
       "block mode\n");
    ok(mmc_parse_buffer_capacity(cap, 11, &bc) == BAD, "short\n");
    every_prefix("buffer capacity", bufcap_v, cap, sizeof(cap), &bc);

    static const uint8_t rc[8] = { 0, 0, 0x11, 0x93, 0, 0, 0x08, 0 }; /* last LBA 4499, 2048-byte blocks */
    struct mmc_capacity capa = { 0 };
    ok(mmc_parse_capacity(rc, sizeof(rc), &capa) == MMC_S_OK && capa.last_lba == 4499 && capa.block_bytes == 2048,
       "read capacity %d/%u\n", (int)capa.last_lba, capa.block_bytes);
    ok(mmc_parse_capacity(rc, 7, &capa) == BAD, "read capacity short\n");
    static const uint8_t wps[8] = { 0, 6, 0, 0, 0x0A, 0, 0, 0 }; /* MSWI and PWP */
    struct mmc_write_protection wp = { 0 };
    ok(mmc_parse_write_protection(wps, sizeof(wps), &wp) == MMC_S_OK && wp.mswi && wp.pwp && !wp.cwp && !wp.swpp,
       "write protection status\n");
    ok(mmc_parse_write_protection(wps, 4, &wp) == BAD, "write protection status cut short\n");
    static const uint8_t rc0[8] = { 0, 0, 0x11, 0x93, 0, 0, 0, 0 };
    ok(mmc_parse_capacity(rc0, sizeof(rc0), &capa) == BAD, "read capacity with 0-byte blocks\n");

    static const uint8_t perf[8 + 32] = { 0, 0, 0, 36, 0, 0, 0, 0,
                                          0x1A, 0, 0, 0, 0, 0x05, 0x7D, 0xA9, 0, 0, 0x22, 0x60, 0, 0, 0x22, 0x60,
                                          0x00, 0, 0, 0, 0, 0x05, 0x7D, 0xA9, 0, 0, 0x22, 0x60, 0, 0, 0x05, 0x80 };
    struct mmc_write_speeds ws = { 0 };
    ok(mmc_parse_write_speeds(perf, sizeof(perf), &ws) == MMC_S_OK && ws.count == 2 && ws.d[0].wrc == 3 &&
           ws.d[0].exact && ws.d[0].end_lba == 359849 && ws.d[0].write_kbs == 8800 && ws.d[1].write_kbs == 1408,
       "write speeds: %u\n", (unsigned)ws.count);
    ok(mmc_parse_write_speeds(perf, 30, &ws) == MMC_S_OK && ws.count == 1 && ws.truncated, "speeds truncated\n");
    uint8_t pb[sizeof(perf)];
    memcpy(pb, perf, sizeof(pb));
    pb[3] = 30;
    ok(mmc_parse_write_speeds(pb, sizeof(pb), &ws) == BAD, "length not 16n + 4\n");
    pb[3] = 2;
    ok(mmc_parse_write_speeds(pb, sizeof(pb), &ws) == BAD, "length below the header\n");
    every_prefix("write speeds", speeds_v, perf, sizeof(perf), &ws);

    static const uint8_t ev[8] = { 0, 6, 0x04, 0x10, 0x02, 0x02, 0, 0 };
    struct mmc_event_status es = { 0 };
    ok(mmc_parse_event_status(ev, sizeof(ev), &es) == MMC_S_OK && es.has_media_event &&
           es.media_event == MMC_MEDIA_NEW && es.media_present && !es.tray_open && es.supported_classes == 0x10,
       "media event\n");
    static const uint8_t nea[4] = { 0, 2, 0x80, 0x10 };
    ok(mmc_parse_event_status(nea, sizeof(nea), &es) == MMC_S_OK && es.no_event_available && !es.has_media_event,
       "no event available\n");
    ok(mmc_parse_event_status(ev, 6, &es) == BAD, "media event cut short\n");
    uint8_t eb[8];
    memcpy(eb, ev, sizeof(eb));
    eb[1] = 2;
    ok(mmc_parse_event_status(eb, sizeof(eb), &es) == BAD, "media class with no descriptor\n");
    every_prefix("event status", event_v, ev, sizeof(ev), &es);
}

int main(void)
{
    make_mode_pages();
    test_inquiry();
    test_configuration();
    test_disc_info();
    test_track_info();
    test_toc();
    test_full_toc();
    test_atip();
    test_page05();
    test_page2a();
    test_small_ones();
    return okay_summary("mmc_parse");
}
