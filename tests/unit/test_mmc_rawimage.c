/* The raw DAO image generator (libs/mmc/rawimage.c): every validation
 * error, the layout, the Q/P stream of every sector decoded and checked
 * against a layout the test writes down by hand, the main channel against
 * the sources, unaligned reads, and an end-to-end burn on the virtual
 * recorder with its TOC, CUE/BIN export, cd-info and bchunk. */
#include "test_vrec_util.h" /* first: POSIX feature macro */

#include "mmc/msf.h"
#include "mmc/rawimage.h"
#include "mmc/sector.h"
#include "mmc/subcode.h"
#include "host_files.h"
#include "mmc/geometry.h"

/* ---- sources: a byte pattern per source id, computed on demand ---- */

struct tsrc {
    int id;
    uint64_t size;
    int fail_rc;  /* returned by read when non-zero */
    int released;
    uint64_t reads;
};

static struct tsrc pool[300];
static int pool_used;

static uint8_t pattern(int id, uint64_t off)
{
    return (uint8_t)(off * 7 + (uint64_t)id * 31 + (off >> 9));
}

static int tsrc_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    struct tsrc *s = ctx;
    uint8_t *b = buf;
    s->reads++;
    if (s->fail_rc)
        return s->fail_rc;
    if (off > s->size || len > s->size - off)
        return 99; /* the generator read past the end: a bug */
    for (size_t i = 0; i < len; i++)
        b[i] = pattern(s->id, off + i);
    return 0;
}

static void tsrc_release(void *ctx)
{
    ((struct tsrc *)ctx)->released++;
}

static struct rawimage_source make_src(uint64_t size, struct tsrc **out)
{
    struct tsrc *s = &pool[pool_used % 300];
    memset(s, 0, sizeof(*s));
    s->id = ++pool_used;
    s->size = size;
    if (out)
        *out = s;
    struct rawimage_source src = { tsrc_read, tsrc_release, s, size };
    return src;
}

static int32_t add(struct rawimage *img, int type, int32_t sectors, struct tsrc **s)
{
    struct rawimage_source src = make_src((uint64_t)sectors * rawimage_user_sector_size(type), s);
    int index = 0;
    return rawimage_add_track(img, type, &src, &index);
}

static struct rawimage *new_image(void)
{
    struct rawimage *img = NULL;
    ok(rawimage_create(&img) == IMAPI2_S_OK && img, "create\n");
    return img;
}

/* Sector by LBA through rawimage_read (not rawimage_read_sector). */
static int read_lba(struct rawimage *img, int32_t lba, uint8_t *buf)
{
    size_t size = rawimage_sector_size(img), done = 0;
    int32_t hr = rawimage_read(img, (uint64_t)(lba - CD_RAW_IMAGE_START_LBA) * size, buf, size, &done);
    return hr == IMAPI2_S_OK && done == size;
}

static int32_t abs_frames(int32_t lba)
{
    return lba < -150 ? lba + 450150 : lba + 150;
}

static int msf_is(uint8_t m, uint8_t s, uint8_t f, int32_t frames)
{
    return m == frames / 4500 && s == frames / 75 % 60 && f == frames % 75;
}

/* ---- validation ---- */

static void test_defaults(void)
{
    struct rawimage *img = new_image();
    ok(rawimage_image_type(img) == 3 && rawimage_sector_size(img) == CD_SECTOR_RAW_PW, "default raw P-W 2448\n");
    ok(rawimage_leadout_limit(img) == 0 && !rawimage_disable_gapless_audio(img) && !*rawimage_mcn(img) &&
           rawimage_starting_track(img) == 1 && rawimage_track_count(img) == 0,
       "default settings\n");
    ok(rawimage_leadout_lba(img) == 0 && rawimage_toc(img, NULL, 0) == 0, "no tracks: lead-out 0, empty TOC\n");
    ok(rawimage_finalize(img) == E_IMAPI_RAW_IMAGE_NO_TRACKS, "finalize without tracks\n");
    uint8_t buf[16];
    size_t done = 1;
    ok(rawimage_read(img, 0, buf, 16, &done) == IMAPI2_E_UNEXPECTED && done == 0, "read before finalize\n");
    struct rawimage_track_info info;
    ok(rawimage_track_info(img, 1, &info) == IMAPI2_E_INVALIDARG, "info of a missing track\n");
    ok(rawimage_create(NULL) == IMAPI2_E_INVALIDARG, "create(NULL)\n");
    rawimage_free(img);
    rawimage_free(NULL);
    static const struct { int type; size_t size; } sizes[] = {
        { 0, CD_SECTOR_SIZE }, { 1, 2336 }, { 2, 2048 }, { 3, 2336 }, { 4, 2048 },
        { 5, 2336 }, { 6, CD_SECTOR_SIZE }, { 7, CD_SECTOR_SIZE }, { 8, CD_SECTOR_SIZE }, { 9, CD_SECTOR_SIZE }, { 10, 0 }, { -1, 0 },
    };
    int good = 1;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        good &= rawimage_user_sector_size(sizes[i].type) == sizes[i].size;
    ok(good, "user sector sizes of the IMAPI_CD_SECTOR_TYPE values\n");
}

static void test_add_track_errors(void)
{
    struct rawimage *img = new_image();
    struct tsrc *s;
    struct rawimage_source src = make_src(300 * CD_SECTOR_SIZE, &s);
    int index = -1;
    ok(rawimage_add_track(img, 10, &src, &index) == IMAPI2_E_INVALIDARG && s->released == 1 && index == -1,
       "unknown sector type refused, source released\n");
    ok(rawimage_add_track(img, RAWIMAGE_AUDIO, NULL, &index) == IMAPI2_E_INVALIDARG, "no source\n");
    src = make_src(300 * CD_SECTOR_SIZE + 1, &s);
    ok(rawimage_add_track(img, RAWIMAGE_AUDIO, &src, &index) == IMAPI2_E_INVALIDARG && s->released == 1,
       "size not a multiple of 2352\n");
    src = make_src(300 * CD_SECTOR_SIZE, &s);
    ok(rawimage_add_track(img, RAWIMAGE_MODE1, &src, &index) == IMAPI2_E_INVALIDARG, "2352 is not a multiple of 2048\n");
    ok(add(img, RAWIMAGE_AUDIO, 299, &s) == IMAPI2_E_INVALIDARG && s->released == 1, "shorter than 4 seconds\n");
    src = make_src(0, &s);
    ok(rawimage_add_track(img, RAWIMAGE_AUDIO, &src, &index) == IMAPI2_E_INVALIDARG, "empty source\n");
    ok(rawimage_track_count(img) == 0, "nothing added\n");

    src = make_src(300 * 2048, &s);
    ok(rawimage_add_track(img, RAWIMAGE_MODE1, &src, &index) == IMAPI2_S_OK && index == 1 && s->released == 0,
       "Mode 1 track -> index %d\n", index);
    ok(add(img, RAWIMAGE_MODE2FORM1, 300, &s) == E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED && s->released == 1,
       "Mode 2 after Mode 1\n");
    ok(add(img, RAWIMAGE_MODE2FORM0RAW, 300, NULL) == E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED, "raw Mode 2 too\n");
    ok(add(img, RAWIMAGE_AUDIO, 300, NULL) == IMAPI2_S_OK, "audio after data\n");
    ok(add(img, RAWIMAGE_MODE1RAW, 300, NULL) == IMAPI2_S_OK, "raw Mode 1 with Mode 1\n");
    ok(add(img, RAWIMAGE_MODE_ZERO, 300, NULL) == IMAPI2_S_OK, "Mode 0 with Mode 1\n");
    ok(rawimage_set_starting_track(img, 2) == E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED, "starting track after tracks\n");
    src = make_src(150 * CD_SECTOR_SIZE, &s);
    ok(rawimage_add_special_pregap(img, &src) == E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED && s->released == 1,
       "special pregap after tracks\n");
    rawimage_free(img);

    img = new_image();
    ok(add(img, RAWIMAGE_MODE2FORM2, 300, NULL) == IMAPI2_S_OK && add(img, RAWIMAGE_MODE2FORM0, 300, NULL) == IMAPI2_S_OK,
       "Mode 2 kinds together\n");
    ok(add(img, RAWIMAGE_MODE1, 300, NULL) == E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED, "Mode 1 after Mode 2\n");
    rawimage_free(img);

    img = new_image();
    ok(rawimage_set_starting_track(img, 0) == IMAPI2_E_INVALIDARG &&
           rawimage_set_starting_track(img, 100) == IMAPI2_E_INVALIDARG,
       "starting track out of range\n");
    ok(rawimage_set_starting_track(img, 98) == IMAPI2_S_OK && rawimage_starting_track(img) == 98, "starting track 98\n");
    ok(add(img, RAWIMAGE_MODE1, 300, NULL) == E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
       "data with a starting track other than 1\n");
    ok(add(img, RAWIMAGE_AUDIO, 300, NULL) == IMAPI2_S_OK && add(img, RAWIMAGE_AUDIO, 300, NULL) == IMAPI2_S_OK,
       "tracks 98 and 99\n");
    ok(add(img, RAWIMAGE_AUDIO, 300, &s) == E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS && s->released == 1, "track 100\n");
    rawimage_free(img);

    img = new_image();
    int good = 1;
    for (int i = 0; i < 99; i++)
        good &= add(img, RAWIMAGE_AUDIO, 300, NULL) == IMAPI2_S_OK;
    ok(good && rawimage_track_count(img) == 99, "99 tracks\n");
    ok(add(img, RAWIMAGE_AUDIO, 300, NULL) == E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS, "a 100th track\n");
    rawimage_free(img);

    img = new_image();
    src = make_src(150 * CD_SECTOR_SIZE - 1, &s);
    ok(rawimage_add_special_pregap(img, &src) == IMAPI2_E_INVALIDARG, "special pregap not whole sectors\n");
    src = make_src(149 * CD_SECTOR_SIZE, &s);
    ok(rawimage_add_special_pregap(img, &src) == IMAPI2_E_INVALIDARG && s->released == 1,
       "special pregap shorter than 150\n");
    src = make_src(150 * CD_SECTOR_SIZE, &s);
    ok(rawimage_add_special_pregap(img, &src) == IMAPI2_S_OK, "special pregap of 150\n");
    ok(add(img, RAWIMAGE_MODE1, 300, NULL) == E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED,
       "data track 1 with a special pregap\n");
    ok(rawimage_add_subcode_rw(img, NULL) == IMAPI2_E_INVALIDARG, "R-W without a source\n");
    rawimage_free(img);
}

static void test_space(void)
{
    struct rawimage *img = new_image();
    ok(rawimage_set_leadout_limit(img, -1) == IMAPI2_E_INVALIDARG &&
           rawimage_set_leadout_limit(img, CD_MAX_LEADOUT_LBA + 1) == IMAPI2_E_INVALIDARG,
       "limit out of range\n");
    ok(add(img, RAWIMAGE_AUDIO, CD_MAX_LEADOUT_LBA + 1, NULL) == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE,
       "a track past 88:29:74\n");
    ok(add(img, RAWIMAGE_AUDIO, CD_MAX_LEADOUT_LBA, NULL) == IMAPI2_S_OK &&
           rawimage_leadout_lba(img) == CD_MAX_LEADOUT_LBA,
       "a track up to the maximum\n");
    ok(add(img, RAWIMAGE_AUDIO, 300, NULL) == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE && rawimage_track_count(img) == 1 &&
           rawimage_leadout_lba(img) == CD_MAX_LEADOUT_LBA,
       "no room for another: model unchanged\n");
    ok(rawimage_set_leadout_limit(img, 1000) == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE && rawimage_leadout_limit(img) == 0,
       "limit below the current lead-out\n");
    rawimage_free(img);

    img = new_image();
    ok(rawimage_set_leadout_limit(img, 1049) == IMAPI2_S_OK && rawimage_leadout_limit(img) == 1049, "limit 1049\n");
    ok(add(img, RAWIMAGE_AUDIO, 600, NULL) == IMAPI2_S_OK, "600 sectors\n");
    ok(add(img, RAWIMAGE_AUDIO, 300, NULL) == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE, "600 + 150 + 300 > 1049\n");
    ok(rawimage_set_disable_gapless_audio(img, true) == IMAPI2_S_OK, "gapless\n");
    ok(add(img, RAWIMAGE_AUDIO, 300, NULL) == IMAPI2_S_OK && rawimage_leadout_lba(img) == 900, "gapless fits: %d\n",
       rawimage_leadout_lba(img));
    ok(add(img, RAWIMAGE_AUDIO, 149, NULL) == IMAPI2_E_INVALIDARG, "short\n");
    ok(rawimage_set_leadout_limit(img, 1000) == IMAPI2_S_OK, "limit 1000\n");
    ok(rawimage_set_disable_gapless_audio(img, false) == E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE &&
           rawimage_disable_gapless_audio(img) && rawimage_leadout_lba(img) == 900,
       "gaps would not fit: kept gapless\n");
    rawimage_free(img);
}

static void test_settings_errors(void)
{
    struct rawimage *img = new_image();
    ok(rawimage_set_image_type(img, 0) == IMAPI2_E_INVALIDARG && rawimage_set_image_type(img, 4) == IMAPI2_E_INVALIDARG,
       "image type out of range\n");
    ok(rawimage_set_image_type(img, 1) == IMAPI2_S_OK && rawimage_sector_size(img) == CD_SECTOR_RAW_PQ, "PQ: 2368\n");
    ok(rawimage_set_image_type(img, 2) == IMAPI2_S_OK && rawimage_sector_size(img) == CD_SECTOR_RAW_PW, "cooked: 2448\n");
    static const char *const bad_mcn[] = { "123456789012", "12345678901234", "12345678901a3", " 234567890123" };
    int good = 1;
    for (size_t i = 0; i < 4; i++)
        good &= rawimage_set_mcn(img, bad_mcn[i]) == IMAPI2_E_INVALIDARG;
    ok(good && !*rawimage_mcn(img), "invalid MCNs refused\n");
    ok(rawimage_set_mcn(img, "0123456789012") == IMAPI2_S_OK && strcmp(rawimage_mcn(img), "0123456789012") == 0,
       "MCN set\n");
    ok(rawimage_set_mcn(img, NULL) == IMAPI2_S_OK && !*rawimage_mcn(img), "MCN cleared\n");

    ok(add(img, RAWIMAGE_AUDIO, 1000, NULL) == IMAPI2_S_OK, "a track\n");
    static const char *const bad_isrc[] = { "usrc17607839", "US-RC1760783", "USRC1760783A", "USRC1760783",
                                            "USRC176078390", "USRC17607 39" };
    good = 1;
    for (size_t i = 0; i < sizeof(bad_isrc) / sizeof(bad_isrc[0]); i++)
        good &= rawimage_set_isrc(img, 1, bad_isrc[i]) == IMAPI2_E_INVALIDARG;
    ok(good, "invalid ISRCs refused\n");
    ok(rawimage_set_isrc(img, 0, "USRC17607839") == IMAPI2_E_INVALIDARG &&
           rawimage_set_isrc(img, 2, "USRC17607839") == IMAPI2_E_INVALIDARG,
       "ISRC of a missing track\n");
    ok(rawimage_set_isrc(img, 1, "0A9Z017607839" + 1) == IMAPI2_S_OK, "ISRC with digits in the owner code\n");
    struct rawimage_track_info info;
    ok(rawimage_track_info(img, 1, &info) == IMAPI2_S_OK && strcmp(info.isrc, "A9Z017607839") == 0, "ISRC stored\n");
    ok(rawimage_set_isrc(img, 1, "") == IMAPI2_S_OK && rawimage_track_info(img, 1, &info) == 0 && !info.isrc[0],
       "ISRC cleared\n");
    ok(rawimage_set_copy(img, 1, 3) == IMAPI2_E_INVALIDARG && rawimage_set_copy(img, 1, -1) == IMAPI2_E_INVALIDARG,
       "copy setting out of range\n");
    ok(rawimage_set_copy(img, 1, RAWIMAGE_COPY_SCMS) == IMAPI2_S_OK && rawimage_set_preemphasis(img, 1, true) == 0,
       "copy and preemphasis\n");
    ok(rawimage_set_preemphasis(img, 5, true) == IMAPI2_E_INVALIDARG, "preemphasis of a missing track\n");

    /* indexes */
    ok(rawimage_add_index(img, 1, 0) == S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS, "index at 0 exists\n");
    ok(rawimage_add_index(img, 1, -1) == IMAPI2_E_INVALIDARG && rawimage_add_index(img, 1, 1000) == IMAPI2_E_INVALIDARG,
       "index outside the track\n");
    ok(rawimage_add_index(img, 1, 9) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "9 from index 1\n");
    ok(rawimage_add_index(img, 1, 991) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "9 from the end\n");
    ok(rawimage_add_index(img, 1, 990) == IMAPI2_S_OK, "10 from the end\n");
    ok(rawimage_add_index(img, 1, 100) == IMAPI2_S_OK && rawimage_add_index(img, 1, 10) == IMAPI2_S_OK,
       "indexes 100 and 10\n");
    ok(rawimage_add_index(img, 1, 105) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX &&
           rawimage_add_index(img, 1, 91) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX,
       "too close to 100\n");
    ok(rawimage_add_index(img, 1, 100) == S_IMAPI_RAW_IMAGE_TRACK_INDEX_ALREADY_EXISTS, "100 again\n");
    ok(rawimage_track_info(img, 1, &info) == 0 && info.index_count == 4 && info.index_offsets[0] == 0 &&
           info.index_offsets[1] == 10 && info.index_offsets[2] == 100 && info.index_offsets[3] == 990,
       "indexes sorted: %d entries\n", info.index_count);
    ok(rawimage_clear_index(img, 1, 0) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED,
       "index 1 cannot be cleared\n");
    ok(rawimage_clear_index(img, 1, 50) == E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND, "no index at 50\n");
    ok(rawimage_clear_index(img, 1, 10) == IMAPI2_S_OK && rawimage_track_info(img, 1, &info) == 0 &&
           info.index_count == 3 && info.index_offsets[1] == 100,
       "index 10 cleared\n");
    ok(rawimage_clear_index(img, 2, 10) == IMAPI2_E_INVALIDARG, "clear on a missing track\n");
    ok(rawimage_clear_index(img, 1, 100) == 0 && rawimage_clear_index(img, 1, 990) == 0, "clear the rest\n");
    good = 1;
    for (int i = 1; i <= RAWIMAGE_MAX_EXTRA_INDEXES; i++)
        good &= rawimage_add_index(img, 1, i * 10) == IMAPI2_S_OK;
    ok(good, "98 extra indexes\n");
    ok(rawimage_add_index(img, 1, 99 * 10) == E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES, "a 99th extra index\n");

    /* R-W of the wrong size, then frozen */
    struct tsrc *rw;
    struct rawimage_source src = make_src(96, &rw);
    ok(rawimage_add_subcode_rw(img, &src) == IMAPI2_S_OK, "R-W source\n");
    ok(rawimage_finalize(img) == IMAPI2_E_INVALIDARG && !rawimage_is_final(img), "R-W size checked\n");
    src = make_src((uint64_t)rawimage_total_sectors(img) * 96, NULL);
    ok(rawimage_add_subcode_rw(img, &src) == IMAPI2_S_OK && rw->released == 1, "replaced R-W released the old\n");
    ok(rawimage_finalize(img) == IMAPI2_S_OK && rawimage_is_final(img) && rawimage_finalize(img) == IMAPI2_S_OK,
       "finalized\n");

    struct tsrc *s;
    int32_t ro = E_IMAPI_RAW_IMAGE_IS_READ_ONLY;
    ok(add(img, RAWIMAGE_AUDIO, 300, &s) == ro && s->released == 1, "add track when frozen\n");
    src = make_src(150 * CD_SECTOR_SIZE, &s);
    ok(rawimage_add_special_pregap(img, &src) == ro && s->released == 1, "special pregap when frozen\n");
    src = make_src(96, &s);
    ok(rawimage_add_subcode_rw(img, &src) == ro && s->released == 1, "R-W when frozen\n");
    ok(rawimage_set_image_type(img, 3) == ro && rawimage_set_leadout_limit(img, 0) == ro &&
           rawimage_set_disable_gapless_audio(img, true) == ro && rawimage_set_mcn(img, "") == ro &&
           rawimage_set_starting_track(img, 1) == ro,
       "image settings when frozen\n");
    ok(rawimage_set_isrc(img, 1, "") == ro && rawimage_set_copy(img, 1, 0) == ro &&
           rawimage_set_preemphasis(img, 1, false) == ro && rawimage_add_index(img, 1, 5) == ro &&
           rawimage_clear_index(img, 1, 10) == ro,
       "track settings when frozen\n");
    rawimage_free(img);
}

static void test_release(void)
{
    struct rawimage *img = new_image();
    struct tsrc *a, *b, *p, *rw;
    struct rawimage_source src = make_src(200 * CD_SECTOR_SIZE, &p);
    ok(rawimage_add_special_pregap(img, &src) == 0, "pregap\n");
    src = make_src(300 * CD_SECTOR_SIZE, &p); /* replaces the first */
    struct tsrc *first = &pool[(pool_used - 2) % 300];
    ok(rawimage_add_special_pregap(img, &src) == 0 && first->released == 1, "replaced pregap released\n");
    add(img, RAWIMAGE_AUDIO, 300, &a);
    add(img, RAWIMAGE_AUDIO, 400, &b);
    src = make_src(96, &rw);
    rawimage_add_subcode_rw(img, &src);
    ok(a->released + b->released + p->released + rw->released == 0, "nothing released while in use\n");
    rawimage_free(img);
    ok(a->released == 1 && b->released == 1 && p->released == 1 && rw->released == 1, "each released once on free\n");
}

/* ---- layout ---- */

static void test_layout(void)
{
    struct rawimage *img = new_image();
    add(img, RAWIMAGE_MODE1, 400, NULL);
    add(img, RAWIMAGE_AUDIO, 500, NULL);
    add(img, RAWIMAGE_AUDIO, 300, NULL);
    rawimage_set_preemphasis(img, 2, true);
    rawimage_set_copy(img, 3, RAWIMAGE_COPY_PROHIBITED);
    static const struct { int32_t pregap, start, count; uint8_t control; } want[3] = {
        { -150, 0, 400, 4 }, { 400, 550, 500, 3 }, { 1050, 1200, 300, 0 },
    };
    int good = 1;
    for (int i = 0; i < 3; i++) {
        struct rawimage_track_info info;
        good &= rawimage_track_info(img, i + 1, &info) == 0 && info.number == i + 1 && info.pregap_lba == want[i].pregap &&
                info.start_lba == want[i].start && info.sector_count == want[i].count &&
                info.control == want[i].control && info.index_count == 1;
    }
    ok(good, "track starts, pregaps, counts, controls\n");
    ok(rawimage_leadout_lba(img) == 1500 && rawimage_last_used_sector(img) == 1499, "lead-out 1500\n");
    ok(rawimage_total_sectors(img) == 1500 + CD_FIRST_LEADOUT_SECTORS + 22650 && rawimage_total_bytes(img) == 30900ull * CD_SECTOR_RAW_PW,
       "total %lld sectors\n", (long long)rawimage_total_sectors(img));
    struct rawimage_toc_entry toc[8];
    ok(rawimage_toc(img, toc, 8) == 4 && toc[3].point == 0xAA && toc[3].lba == 1500 && toc[3].control == 0 &&
           toc[1].point == 2 && toc[1].lba == 550 && toc[1].adr == 1,
       "TOC entries\n");
    ok(rawimage_toc(img, toc, 2) == 4, "TOC count independent of room\n");
    uint8_t r[64];
    static const uint8_t want0[36] = { 0, 34, 1, 3, 0, 0x14, 1, 0, 0, 0, 0, 0, 0, 0x13, 2, 0, 0, 0, 0x02, 0x26,
                                       0, 0x10, 3, 0, 0, 0, 0x04, 0xB0, 0, 0x10, 0xAA, 0, 0, 0, 0x05, 0xDC };
    ok(rawimage_toc_format0(img, r, sizeof(r)) == 36 && memcmp(r, want0, 36) == 0, "READ TOC format 0 bytes\n");
    ok(rawimage_toc_format0(img, r, 3) == 36, "truncated TOC still reports its length\n");
    ok(rawimage_disc_type(img) == 0x00, "CD-ROM disc type\n");

    rawimage_set_disable_gapless_audio(img, true);
    struct rawimage_track_info info;
    ok(rawimage_track_info(img, 2, &info) == 0 && info.pregap_lba == 400 && info.start_lba == 550,
       "gapless does not apply after a data track\n");
    ok(rawimage_track_info(img, 3, &info) == 0 && info.pregap_lba == 900 && info.start_lba == 1050 &&
           rawimage_leadout_lba(img) == 1350,
       "gapless between audio tracks: start %d\n", info.start_lba);
    rawimage_free(img);

    img = new_image();
    struct rawimage_source src = make_src(400 * CD_SECTOR_SIZE, NULL);
    rawimage_add_special_pregap(img, &src);
    ok(rawimage_leadout_lba(img) == 250, "special pregap moves track 1 to 250 (no tracks yet)\n");
    add(img, RAWIMAGE_AUDIO, 300, NULL);
    ok(rawimage_track_info(img, 1, &info) == 0 && info.pregap_lba == -150 && info.start_lba == 250 &&
           rawimage_leadout_lba(img) == 550,
       "track 1 after a 400-sector special pregap\n");
    rawimage_free(img);

    img = new_image();
    rawimage_set_starting_track(img, 7);
    add(img, RAWIMAGE_AUDIO, 300, NULL);
    add(img, RAWIMAGE_AUDIO, 300, NULL);
    ok(rawimage_track_info(img, 2, &info) == 0 && info.number == 8, "numbers from 7\n");
    ok(rawimage_toc_format0(img, r, sizeof(r)) == 28 && r[2] == 7 && r[3] == 8 && r[6] == 7 && r[14] == 8,
       "TOC of tracks 7-8\n");
    rawimage_free(img);

    img = new_image();
    add(img, RAWIMAGE_MODE2FORM1, 300, NULL);
    ok(rawimage_disc_type(img) == 0x20, "XA disc type\n");
    rawimage_free(img);
}

/* ---- the Q/P stream of a mixed disc, against a layout written by hand ----
 * track 1 Mode 1, 400 sectors, index 2 at 210; track 2 audio, 500 sectors,
 * ISRC, preemphasis, copy prohibited, indexes at 100 and 250; track 3 audio
 * SCMS, 300 sectors. MCN set. */

struct seg {
    int32_t from, to;
    int tno, index;
    int32_t base;   /* rel = lba - base, or base - lba when counting down */
    int down;
    uint8_t control;
};

static const struct seg segs[] = {
    { -150, 0, 1, 0, 0, 1, 4 },     { 0, 210, 1, 1, 0, 0, 4 },       { 210, 400, 1, 2, 0, 0, 4 },
    { 400, 550, 2, 0, 550, 1, 1 },  { 550, 650, 2, 1, 550, 0, 1 },   { 650, 800, 2, 2, 550, 0, 1 },
    { 800, 1050, 2, 3, 550, 0, 1 }, { 1050, 1200, 3, 0, 1200, 1, 0 }, { 1200, 1500, 3, 1, 1200, 0, 0 },
};
#define MIX_LEADOUT 1500
#define MIX_MCN "0123456789012"
#define MIX_ISRC "USABC0912345"

static const struct seg *seg_of(int32_t lba)
{
    for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++)
        if (lba >= segs[i].from && lba < segs[i].to)
            return &segs[i];
    return NULL;
}

static struct tsrc *mix_src[3];

static struct rawimage *mixed_image(int layout)
{
    struct rawimage *img = new_image();
    rawimage_set_image_type(img, layout);
    rawimage_set_mcn(img, MIX_MCN);
    add(img, RAWIMAGE_MODE1, 400, &mix_src[0]);
    add(img, RAWIMAGE_AUDIO, 500, &mix_src[1]);
    add(img, RAWIMAGE_AUDIO, 300, &mix_src[2]);
    rawimage_add_index(img, 1, 210);
    rawimage_set_isrc(img, 2, MIX_ISRC);
    rawimage_set_preemphasis(img, 2, true);
    rawimage_set_copy(img, 2, RAWIMAGE_COPY_PROHIBITED);
    rawimage_add_index(img, 2, 100);
    rawimage_add_index(img, 2, 250);
    rawimage_set_copy(img, 3, RAWIMAGE_COPY_SCMS);
    ok(rawimage_finalize(img) == 0, "mixed image finalized\n");
    return img;
}

/* Where the test expects ADR 2 / ADR 3 frames: the first frame of LBA mod 50
 * = slot..slot+3 that is in the program area (pregaps too for the MCN, index
 * >= 1 for the ISRC), not on an index start or a track's last sector. */
static int catalog_frame_ok(int32_t lba, int in_pregap)
{
    const struct seg *s = seg_of(lba);
    if (!s || (s->index == 0 && !in_pregap) || lba == s->from)
        return 0;
    return lba != 399 && lba != 1049 && lba != 1499;
}

static int catalog_expected(int32_t lba, int slot, int in_pregap)
{
    int32_t phase = ((lba % 50) + 50) % 50;
    if (phase < slot || phase > slot + 3 || !catalog_frame_ok(lba, in_pregap))
        return 0;
    for (int32_t k = lba - 1; k >= lba - (phase - slot); k--)
        if (catalog_frame_ok(k, in_pregap))
            return 0;
    return 1;
}

struct leadin_want {
    uint8_t point, control, pm, ps, pf;
};

static const struct leadin_want leadin_order[6] = {
    { 0xA0, 4, 1, 0x00, 0 }, { 0xA1, 0, 3, 0, 0 },   { 0xA2, 0, 0, 22, 0 },
    { 0x01, 4, 0, 2, 0 },    { 0x02, 1, 0, 9, 25 },  { 0x03, 0, 0, 18, 0 },
};

struct stream_check {
    int bad_crc, bad_leadin, bad_program, bad_leadout, bad_p, bad_main;
    int mcn_frames, isrc_frames, mcn_missing, isrc_missing, scms_on, scms_off;
    int points_seen[256];
};

static void check_leadin_q(int32_t lba, const struct cd_subq *q, const uint8_t *raw, struct stream_check *c)
{
    const struct leadin_want *w = &leadin_order[(lba + 22650) / 3 % 6];
    int good = q->adr == 1 && q->tno == 0 && q->index_or_point == w->point && q->control == w->control &&
               msf_is(q->min, q->sec, q->frame, abs_frames(lba)) && q->zero == 0 && q->amin == w->pm &&
               q->asec == w->ps && q->aframe == w->pf && raw[2] == w->point;
    c->points_seen[w->point] += good;
    if (!good && c->bad_leadin++ < 3)
        ok(0, "lead-in Q at %d: point %02x control %u %02u:%02u:%02u p %u %u %u\n", lba, q->index_or_point,
           q->control, q->min, q->sec, q->frame, q->amin, q->asec, q->aframe);
}

static void check_program_q(int32_t lba, const struct cd_subq *q, struct stream_check *c)
{
    const struct seg *s = seg_of(lba);
    uint8_t control = s->control;
    if (s->tno == 3 && (lba - 1050) / 4 % 2)
        control |= 2; /* SCMS */
    if (s->tno == 3)
        (lba - 1050) / 4 % 2 ? c->scms_on++ : c->scms_off++;
    int mcn = catalog_expected(lba, 10, 1), isrc = s->tno == 2 && s->index > 0 && catalog_expected(lba, 35, 0);
    if (q->adr == 2) {
        c->mcn_frames++;
        if (!mcn || strcmp(q->mcn, MIX_MCN) != 0 || q->control != control)
            c->bad_program++;
        return;
    }
    if (q->adr == 3) {
        c->isrc_frames++;
        if (!isrc || strcmp(q->isrc, MIX_ISRC) != 0 || q->control != control)
            c->bad_program++;
        return;
    }
    c->mcn_missing += mcn;
    c->isrc_missing += isrc;
    int32_t rel = s->down ? s->base - lba : lba - s->base;
    int good = q->adr == 1 && q->tno == s->tno && q->index_or_point == s->index && q->control == control &&
               msf_is(q->min, q->sec, q->frame, rel) && q->zero == 0 && msf_is(q->amin, q->asec, q->aframe, lba + 150);
    if (!good && c->bad_program++ < 3)
        ok(0, "program Q at %d: adr %u tno %u index %u control %u rel %02u:%02u:%02u\n", lba, q->adr, q->tno,
           q->index_or_point, q->control, q->min, q->sec, q->frame);
}

static int leadout_p(int32_t rel)
{
    return rel >= 150 && (rel - 150) / 19 % 2 == 0;
}

static void check_leadout_q(int32_t lba, const struct cd_subq *q, struct stream_check *c)
{
    int32_t rel = lba - MIX_LEADOUT;
    int good = q->adr == 1 && q->tno == 0xAA && q->index_or_point == 1 && q->control == 0 &&
               msf_is(q->min, q->sec, q->frame, rel) && msf_is(q->amin, q->asec, q->aframe, lba + 150);
    if (!good && c->bad_leadout++ < 3)
        ok(0, "lead-out Q at %d\n", lba);
}

static int expected_p(int32_t lba)
{
    if (lba < -150)
        return 0;
    if (lba >= MIX_LEADOUT)
        return leadout_p(lba - MIX_LEADOUT);
    return seg_of(lba)->index == 0;
}

/* The main channel a reader would see, checked against the sources. */
static int main_ok(int32_t lba, const uint8_t *sector)
{
    uint8_t m[CD_SECTOR_SIZE];
    memcpy(m, sector, CD_SECTOR_SIZE);
    const struct seg *s = seg_of(lba);
    int data = lba < 400; /* lead-in, pregap and track 1 are Mode 1 */
    if (!data) {
        if (s && s->index > 0) {
            int t = s->tno - 1;
            uint64_t off = (uint64_t)(lba - (t == 1 ? 550 : 1200)) * CD_SECTOR_SIZE;
            for (int i = 0; i < CD_SECTOR_SIZE; i++)
                if (m[i] != pattern(mix_src[t]->id, off + (uint64_t)i))
                    return 0;
            return 1;
        }
        for (int i = 0; i < CD_SECTOR_SIZE; i++)
            if (m[i])
                return 0; /* silence: audio pregaps and the lead-out */
        return 1;
    }
    cd_scramble(m);
    uint8_t want_head[4];
    int32_t f = abs_frames(lba);
    want_head[0] = t_bcd(f / 4500), want_head[1] = t_bcd(f / 75 % 60), want_head[2] = t_bcd(f % 75), want_head[3] = 1;
    if (!cd_sector_has_sync(m) || memcmp(m + 12, want_head, 4) != 0 || !cd_sector_edc_ok(m, CD_FORM_MODE1) ||
        !cd_sector_ecc_ok(m, CD_FORM_MODE1))
        return 0;
    for (int i = 0; i < 2048; i++) {
        uint8_t want = lba >= 0 ? pattern(mix_src[0]->id, (uint64_t)lba * 2048 + (uint64_t)i) : 0;
        if (m[16 + i] != want)
            return 0;
    }
    return 1;
}

static void test_stream(int layout)
{
    struct rawimage *img = mixed_image(layout);
    size_t size = rawimage_sector_size(img);
    uint8_t *buf = malloc(size * 64);
    struct stream_check c;
    memset(&c, 0, sizeof(c));
    int64_t total = rawimage_total_sectors(img);
    ok(total == MIX_LEADOUT + CD_FIRST_LEADOUT_SECTORS + 22650, "total sectors %lld\n", (long long)total);
    /* Read in odd-sized pieces; check sector by sector. */
    size_t chunk = size * 64 - 7, have = 0, done = 0;
    uint64_t offset = 0;
    for (int64_t k = 0; k < total; k++) {
        while (have < size) {
            int32_t hr = rawimage_read(img, offset, buf + have, chunk - have, &done);
            if (hr != 0 || done == 0) {
                ok(0, "read at %llu failed %#x\n", (unsigned long long)offset, (unsigned)hr);
                goto out;
            }
            offset += done;
            have += done;
        }
        int32_t lba = (int32_t)k + CD_RAW_IMAGE_START_LBA;
        uint8_t q[12];
        bool p;
        struct cd_subq d;
        cd_subcode_get_q(layout, buf + CD_SECTOR_SIZE, q, &p);
        if (!cd_subq_decode(q, &d)) {
            c.bad_crc++;
        } else if (lba < -150) {
            check_leadin_q(lba, &d, q, &c);
        } else if (lba < MIX_LEADOUT) {
            check_program_q(lba, &d, &c);
        } else {
            check_leadout_q(lba, &d, &c);
        }
        if (p != expected_p(lba) && c.bad_p++ < 3)
            ok(0, "P at %d is %d\n", lba, p);
        if (layout == 1 && (buf[CD_SECTOR_SIZE + 12] | buf[CD_SECTOR_SIZE + 13] | buf[CD_SECTOR_SIZE + 14] | (buf[CD_SECTOR_SIZE + 15] & 0x7F)))
            c.bad_p++;
        if (!main_ok(lba, buf) && c.bad_main++ < 3)
            ok(0, "main channel at %d\n", lba);
        memmove(buf, buf + size, have - size);
        have -= size;
    }
out:
    ok(have == 0 && offset == rawimage_total_bytes(img), "read the whole image: %llu bytes\n",
       (unsigned long long)offset);
    ok(c.bad_crc == 0, "every Q decodes with a good CRC (layout %d): %d bad\n", layout, c.bad_crc);
    ok(c.bad_leadin == 0, "lead-in TOC frames: %d bad\n", c.bad_leadin);
    int all3 = 1;
    for (int i = 0; i < 6; i++)
        all3 &= c.points_seen[leadin_order[i].point] >= 3 * 1000;
    ok(all3, "every POINT repeated through the lead-in (A0 seen %d times)\n", c.points_seen[0xA0]);
    ok(c.bad_program == 0, "program-area Q: track, index, times, control: %d bad\n", c.bad_program);
    ok(c.bad_leadout == 0, "lead-out Q: %d bad\n", c.bad_leadout);
    ok(c.bad_p == 0, "P flags: %d bad\n", c.bad_p);
    /* by hand: 10 110 310 | 610 710 810 910 1010 | 1210 1310 1410 (210 starts index 2) */
    ok(c.mcn_frames == 33 && c.mcn_missing == 0, "MCN frames %d, missing %d\n", c.mcn_frames, c.mcn_missing);
    ok(c.isrc_frames == 10 && c.isrc_missing == 0, "ISRC frames %d, missing %d\n", c.isrc_frames, c.isrc_missing);
    ok(c.scms_on > 100 && c.scms_off > 100, "SCMS copy bit alternates: %d on, %d off\n", c.scms_on, c.scms_off);
    ok(c.bad_main == 0, "main channel: data encodes to valid EDC/ECC, audio equals the sources: %d bad\n",
       c.bad_main);
    rawimage_free(img);
    free(buf);
}

/* ---- unaligned reads equal the sector-wise image ---- */

static void test_random_ranges(void)
{
    struct rawimage *img = mixed_image(3);
    uint64_t total = rawimage_total_bytes(img);
    /* a window around the end of track 1 and the end of the image */
    uint64_t from = (uint64_t)(390 + 22650) * CD_SECTOR_RAW_PW, span = 30 * CD_SECTOR_RAW_PW;
    uint8_t *whole = malloc(span), *part = malloc(span);
    int good = 1;
    for (int32_t k = 0; k < 30; k++)
        good &= read_lba(img, 390 + k, whole + (size_t)k * CD_SECTOR_RAW_PW);
    ok(good, "window read sector by sector\n");
    uint32_t seed = 7;
    int same = 1;
    for (int i = 0; i < 300 && same; i++) {
        seed = seed * 1664525u + 1013904223u;
        size_t off = (seed >> 8) % span;
        seed = seed * 1664525u + 1013904223u;
        size_t len = (seed >> 8) % (span - off + 1), done = 0;
        memset(part, 0xA5, span);
        same = rawimage_read(img, from + off, part, len, &done) == 0 && done == len &&
               memcmp(part, whole + off, len) == 0;
        if (!same)
            ok(0, "range %zu+%zu differs\n", off, len);
    }
    ok(same, "300 random unaligned ranges equal the sector-wise read\n");

    uint8_t tail[5000];
    size_t done = 0;
    ok(rawimage_read(img, total - 100, tail, sizeof(tail), &done) == 0 && done == 100, "short read at the end: %zu\n",
       done);
    ok(rawimage_read(img, total, tail, 10, &done) == 0 && done == 0, "read at the end: 0 bytes\n");
    ok(rawimage_read(img, total + 5000, tail, 10, NULL) == 0, "read past the end\n");
    ok(rawimage_read(img, 0, NULL, 10, &done) == IMAPI2_E_INVALIDARG, "NULL buffer\n");
    ok(rawimage_read(img, 0, tail, 0, &done) == 0 && done == 0, "empty read\n");
    uint8_t one[CD_SECTOR_RAW_PW];
    ok(rawimage_read_sector(img, CD_RAW_IMAGE_START_LBA - 1, one) == IMAPI2_E_INVALIDARG &&
           rawimage_read_sector(img, MIX_LEADOUT + CD_FIRST_LEADOUT_SECTORS, one) == IMAPI2_E_INVALIDARG &&
           rawimage_read_sector(img, MIX_LEADOUT + 6749, one) == 0,
       "read_sector bounds\n");
    ok(rawimage_read_sector(img, 395, one) == 0 && memcmp(one, whole + 5 * CD_SECTOR_RAW_PW, CD_SECTOR_RAW_PW) == 0,
       "read_sector equals read\n");
    free(whole);
    free(part);
    rawimage_free(img);
}

/* ---- gapless, special pregap, starting track ---- */

static void q_of(struct rawimage *img, int32_t lba, struct cd_subq *d, bool *p, uint8_t *sector)
{
    uint8_t q[12];
    read_lba(img, lba, sector);
    cd_subcode_get_q(rawimage_image_type(img), sector + CD_SECTOR_SIZE, q, p);
    memset(d, 0, sizeof(*d));
    cd_subq_decode(q, d);
}

static int audio_equals(const uint8_t *m, const struct tsrc *s, uint64_t off)
{
    for (int i = 0; i < CD_SECTOR_SIZE; i++)
        if (m[i] != pattern(s->id, off + (uint64_t)i))
            return 0;
    return 1;
}

static void test_gapless(void)
{
    struct rawimage *img = new_image();
    struct tsrc *a, *b;
    rawimage_set_disable_gapless_audio(img, true);
    add(img, RAWIMAGE_AUDIO, 400, &a);
    add(img, RAWIMAGE_AUDIO, 300, &b);
    rawimage_finalize(img);
    uint8_t sector[CD_SECTOR_RAW_PW];
    struct cd_subq d;
    bool p;
    int good = 1;
    for (int32_t lba = 250; lba < 400; lba++) {
        q_of(img, lba, &d, &p, sector);
        good &= d.adr == 1 && d.tno == 2 && d.index_or_point == 0 && msf_is(d.min, d.sec, d.frame, 400 - lba) && p &&
                audio_equals(sector, a, (uint64_t)lba * CD_SECTOR_SIZE);
    }
    ok(good, "last 150 sectors of track 1 carry track 2's index 0 over track 1's audio\n");
    q_of(img, 249, &d, &p, sector);
    ok(d.tno == 1 && d.index_or_point == 1 && !p, "sector 249 still track 1\n");
    q_of(img, 400, &d, &p, sector);
    ok(d.tno == 2 && d.index_or_point == 1 && msf_is(d.min, d.sec, d.frame, 0) && !p && audio_equals(sector, b, 0),
       "track 2 starts right after track 1's data\n");
    rawimage_free(img);

    img = new_image();
    add(img, RAWIMAGE_AUDIO, 400, &a);
    add(img, RAWIMAGE_AUDIO, 300, &b);
    rawimage_finalize(img);
    good = 1;
    for (int32_t lba = 400; lba < 550; lba++) {
        q_of(img, lba, &d, &p, sector);
        for (int i = 0; i < CD_SECTOR_SIZE; i++)
            good &= sector[i] == 0;
        good &= d.tno == 2 && d.index_or_point == 0 && p;
    }
    ok(good, "default: 150 silent sectors of track 2 index 0\n");
    rawimage_free(img);
}

static void test_special_pregap(void)
{
    struct rawimage *img = new_image();
    struct tsrc *p, *a;
    struct rawimage_source src = make_src(200 * CD_SECTOR_SIZE, &p);
    rawimage_add_special_pregap(img, &src);
    add(img, RAWIMAGE_AUDIO, 300, &a);
    rawimage_set_image_type(img, 1);
    rawimage_finalize(img);
    uint8_t sector[CD_SECTOR_RAW_PW];
    struct cd_subq d;
    bool pf;
    int good = 1;
    for (int32_t lba = -150; lba < 50; lba++) {
        q_of(img, lba, &d, &pf, sector);
        good &= d.tno == 1 && d.index_or_point == 0 && pf && msf_is(d.min, d.sec, d.frame, 50 - lba) &&
                audio_equals(sector, p, (uint64_t)(lba + 150) * CD_SECTOR_SIZE);
    }
    ok(good, "special pregap data in track 1 index 0 (LBA -150..49)\n");
    q_of(img, 50, &d, &pf, sector);
    ok(d.tno == 1 && d.index_or_point == 1 && !pf && audio_equals(sector, a, 0), "track 1 index 1 at 50\n");
    q_of(img, -151, &d, &pf, sector);
    for (int i = 0; i < CD_SECTOR_SIZE; i++)
        good &= sector[i] == 0;
    ok(good && d.tno == 0 && !pf, "lead-in of an audio disc is silence\n");
    rawimage_free(img);
}

static void test_starting_track(void)
{
    struct rawimage *img = new_image();
    rawimage_set_starting_track(img, 5);
    add(img, RAWIMAGE_AUDIO, 300, NULL);
    add(img, RAWIMAGE_AUDIO, 300, NULL);
    rawimage_finalize(img);
    uint8_t sector[CD_SECTOR_RAW_PW];
    struct cd_subq d;
    bool p;
    q_of(img, 100, &d, &p, sector);
    ok(d.tno == 5 && d.index_or_point == 1, "first track is number 5\n");
    q_of(img, 460, &d, &p, sector);
    ok(d.tno == 6, "second is 6\n");
    int a0 = 0, a1 = 0, five = 0, six = 0;
    for (int32_t lba = CD_RAW_IMAGE_START_LBA; lba < CD_RAW_IMAGE_START_LBA + 15; lba += 3) {
        q_of(img, lba, &d, &p, sector);
        a0 |= d.index_or_point == 0xA0 && d.amin == 5;
        a1 |= d.index_or_point == 0xA1 && d.amin == 6;
        five |= d.index_or_point == 5 && msf_is(d.amin, d.asec, d.aframe, 150);
        six |= d.index_or_point == 6 && msf_is(d.amin, d.asec, d.aframe, 450 + 150);
    }
    ok(a0 && a1 && five && six, "lead-in: A0 5, A1 6, points 5 and 6\n");
    rawimage_free(img);
}

/* ---- R-W ---- */

static void test_rw(void)
{
    for (int layout = 1; layout <= 3; layout++) {
        struct rawimage *img = new_image();
        struct tsrc *rw;
        rawimage_set_image_type(img, layout);
        add(img, RAWIMAGE_AUDIO, 300, NULL);
        struct rawimage_source src = make_src((uint64_t)rawimage_total_sectors(img) * 96, &rw);
        rawimage_add_subcode_rw(img, &src);
        ok(rawimage_finalize(img) == 0, "R-W image (layout %d)\n", layout);
        uint8_t sector[CD_SECTOR_RAW_PW], ch[8][12], want[8][12], raw[96];
        int good = 1;
        for (int32_t lba = -200; lba < 500; lba += 37) {
            read_lba(img, lba, sector);
            for (int i = 0; i < 96; i++)
                raw[i] = pattern(rw->id, (uint64_t)(lba + 22650) * 96 + (uint64_t)i);
            cd_subcode_deinterleave(raw, want);
            if (layout == 3)
                cd_subcode_deinterleave(sector + CD_SECTOR_SIZE, ch);
            else if (layout == 2)
                memcpy(ch, sector + CD_SECTOR_SIZE, 96);
            if (layout != 1)
                good &= memcmp(ch[2], want[2], 72) == 0 && cd_subq_crc_ok(ch[1]);
        }
        ok(good, "R-W channels come from the source (layout %d)\n", layout);
        ok(layout != 1 || rw->reads == 0, "PQ images do not read R-W\n");
        rawimage_free(img);
    }
}

/* ---- every sector type ---- */

static void test_types(void)
{
    static const struct { int type; enum cd_sector_form form; uint8_t submode; } types[] = {
        { RAWIMAGE_MODE_ZERO, CD_FORM_MODE0, 0 },
        { RAWIMAGE_MODE1, CD_FORM_MODE1, 0 },
        { RAWIMAGE_MODE2FORM0, CD_FORM_MODE2, 0 },
        { RAWIMAGE_MODE2FORM1, CD_FORM_XA_FORM1, 0x08 },
        { RAWIMAGE_MODE2FORM2, CD_FORM_XA_FORM2, 0x20 },
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        struct rawimage *img = new_image();
        struct tsrc *s;
        add(img, RAWIMAGE_AUDIO, 300, NULL);
        add(img, types[i].type, 300, &s);
        rawimage_finalize(img);
        size_t usize = rawimage_user_sector_size(types[i].type);
        size_t uoff = types[i].type == RAWIMAGE_MODE2FORM1 ? 24 : 16;
        uint8_t sector[CD_SECTOR_RAW_PW];
        int good = 1;
        /* pregap (fill), data, lead-out (fill of the last track's kind) */
        static const int32_t probes[] = { 300, 449, 450, 451, 749, 750, 750 + 6749 };
        for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++) {
            int32_t lba = probes[k];
            good &= read_lba(img, lba, sector);
            cd_scramble(sector);
            int32_t f = lba + 150;
            int head = cd_sector_has_sync(sector) && sector[12] == t_bcd(f / 4500) &&
                       sector[13] == t_bcd(f / 75 % 60) && sector[14] == t_bcd(f % 75) &&
                       sector[15] == cd_sector_mode_byte(types[i].form);
            int checks = cd_sector_edc_ok(sector, types[i].form) && cd_sector_ecc_ok(sector, types[i].form);
            int sub = !types[i].submode || (lba >= 450 && lba < 750 && types[i].form == CD_FORM_XA_FORM2) ||
                      (sector[18] == types[i].submode && sector[22] == types[i].submode);
            int user = 1;
            if (lba >= 450 && lba < 750) {
                size_t n = types[i].form == CD_FORM_XA_FORM2 ? usize - 4 : usize; /* Form 2 EDC recomputed */
                for (size_t b = 0; b < n; b++)
                    user &= sector[uoff + b] == pattern(s->id, (uint64_t)(lba - 450) * usize + b);
            }
            if (!(head && checks && sub && user))
                ok(0, "type %d LBA %d: head %d checks %d sub %d user %d\n", types[i].type, lba, head, checks, sub,
                   user);
            good &= head && checks && sub && user;
        }
        ok(good, "type %d: pregap, data and lead-out sectors\n", types[i].type);
        /* sectors are built in the caller's buffer: every byte must be written */
        uint8_t a[CD_SECTOR_RAW_PW], b[CD_SECTOR_RAW_PW];
        memset(a, 0xA5, sizeof(a));
        memset(b, 0x5A, sizeof(b));
        ok(read_lba(img, 451, a) && read_lba(img, 451, b) && memcmp(a, b, sizeof(a)) == 0,
           "type %d: every byte of a data sector is written\n", types[i].type);
        struct rawimage_track_info info;
        rawimage_track_info(img, 2, &info);
        ok(info.control == 4 && info.pregap_lba == 300 && info.start_lba == 450, "type %d is a data track\n",
           types[i].type);
        rawimage_free(img);
    }

    /* raw kinds: passed through unchanged; their pregap is encoded */
    static const int raws[] = { RAWIMAGE_MODE1RAW, RAWIMAGE_MODE2FORM0RAW, RAWIMAGE_MODE2FORM1RAW,
                                RAWIMAGE_MODE2FORM2RAW };
    for (size_t i = 0; i < 4; i++) {
        struct rawimage *img = new_image();
        struct tsrc *s;
        add(img, raws[i], 300, &s);
        rawimage_finalize(img);
        uint8_t sector[CD_SECTOR_RAW_PW];
        int good = read_lba(img, 123, sector) && audio_equals(sector, s, 123 * CD_SECTOR_SIZE);
        read_lba(img, -1, sector);
        cd_scramble(sector);
        good &= cd_sector_has_sync(sector) && sector[15] == (raws[i] == RAWIMAGE_MODE1RAW ? 1 : 2);
        read_lba(img, CD_RAW_IMAGE_START_LBA, sector);
        cd_scramble(sector);
        good &= cd_sector_has_sync(sector) && sector[12] == 0x95 && sector[13] == 0 && sector[14] == 0;
        ok(good, "raw type %d passed through; pregap and lead-in encoded\n", raws[i]);
        uint8_t a[CD_SECTOR_RAW_PW], b[CD_SECTOR_RAW_PW];
        memset(a, 0xA5, sizeof(a));
        memset(b, 0x5A, sizeof(b));
        ok(read_lba(img, 123, a) && read_lba(img, 123, b) && memcmp(a, b, sizeof(a)) == 0,
           "raw type %d: every byte of a sector is written\n", raws[i]);
        rawimage_free(img);
    }
}

/* ---- source errors ---- */

static void test_source_errors(void)
{
    struct rawimage *img = new_image();
    struct tsrc *s;
    add(img, RAWIMAGE_AUDIO, 300, &s);
    rawimage_finalize(img);
    static uint8_t buf[CD_SECTOR_RAW_PW * 10];
    size_t done = 7;
    s->fail_rc = (int)0x80030005; /* an HRESULT from the stream */
    ok(rawimage_read(img, (uint64_t)(22650 + 10) * CD_SECTOR_RAW_PW + 5, buf, 3000, &done) == (int32_t)0x80030005 && done == 0,
       "stream HRESULT passed back\n");
    s->fail_rc = 1;
    ok(rawimage_read(img, (uint64_t)(22650 + 10) * CD_SECTOR_RAW_PW, buf, CD_SECTOR_RAW_PW, &done) == IMAPI2_E_FAIL, "other errors: E_FAIL\n");
    s->fail_rc = 0;
    ok(rawimage_read(img, (uint64_t)(22650 + 10) * CD_SECTOR_RAW_PW, buf, CD_SECTOR_RAW_PW, &done) == 0 && done == CD_SECTOR_RAW_PW &&
           audio_equals(buf, s, 10 * CD_SECTOR_SIZE),
       "recovers once the source does\n");
    ok(rawimage_read(img, 0, buf, 100, &done) == 0 && done == 100, "lead-in needs no source\n");
    s->fail_rc = 1;
    ok(rawimage_read(img, (uint64_t)(22650 - 5) * CD_SECTOR_RAW_PW, buf, CD_SECTOR_RAW_PW * 10, &done) == IMAPI2_E_FAIL && done == 5 * CD_SECTOR_RAW_PW,
       "partial count up to the failing sector: %zu\n", done);
    rawimage_free(img);
}

/* ---- end to end: burn on the virtual recorder ---- */

static void check_export(const char *media, struct tsrc *data, struct tsrc *audio)
{
    char base[256], bin[300], cue[300], cmd[1024];
    snprintf(base, sizeof(base), "/tmp/test_mmc_rawimage_%ld", (long)getpid());
    snprintf(bin, sizeof(bin), "%s.bin", base);
    snprintf(cue, sizeof(cue), "%s.cue", base);
    ok(vrec_export_cue_bin(media, base) == 0, "CUE/BIN export\n");
    const char *name = strrchr(base, '/') + 1;
    char want[512];
    snprintf(want, sizeof(want),
             "CATALOG 0123456789012\nFILE \"%s.bin\" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n"
             "  TRACK 02 AUDIO\n    ISRC USABC0912345\n    FLAGS DCP\n    INDEX 00 00:08:00\n    INDEX 01 00:10:00\n",
             name);
    const char *text = slurp(cue);
    ok(text && strcmp(text, want) == 0, "cue text:\n%s", text ? text : "");
    FILE *f = fopen(bin, "rb");
    uint8_t m[CD_SECTOR_SIZE];
    int same = f != NULL;
    for (int32_t lba = 0; same && lba < 1050; lba++) {
        same = fread(m, 1, CD_SECTOR_SIZE, f) == CD_SECTOR_SIZE;
        if (lba < 600) {
            for (int i = 0; same && i < 2048; i++)
                same = m[16 + i] == pattern(data->id, (uint64_t)lba * 2048 + (uint64_t)i);
            same = same && m[15] == 1 && cd_sector_edc_ok(m, CD_FORM_MODE1) && cd_sector_ecc_ok(m, CD_FORM_MODE1);
        } else if (lba >= 750) {
            same = audio_equals(m, audio, (uint64_t)(lba - 750) * CD_SECTOR_SIZE);
        }
        if (!same)
            ok(0, "bin sector %d differs\n", lba);
    }
    ok(same, "bin holds the sources (data descrambled by the drive)\n");
    if (f)
        fclose(f);

    if (!tool_present("cd-info")) {
        skip("cd-info not installed\n");
    } else {
        snprintf(cmd, sizeof(cmd), "cd-info --no-header --no-device-info --no-cddb -q --cue-file %s > %s.cdinfo 2>&1",
                 cue, base);
        int rc = system(cmd);
        char out[300];
        snprintf(out, sizeof(out), "%s.cdinfo", base);
        text = slurp(out);
        ok(rc == 0 && text && strstr(text, "  1: 00:02:00  000000 data") && strstr(text, "  2: 00:12:00  000750 audio") &&
               strstr(text, "170: 00:16:00  001050 leadout"),
           "cd-info reads the cue (rc %d):\n%s", rc, text ? text : "");
        remove(out);
    }
    if (!tool_present("bchunk")) {
        skip("bchunk not installed\n");
    } else {
        snprintf(cmd, sizeof(cmd), "cd /tmp && bchunk %s %s %s_chunk > /dev/null 2>&1", bin, cue, base);
        int rc = system(cmd);
        char iso[300];
        snprintf(iso, sizeof(iso), "%s_chunk01.iso", base);
        f = fopen(iso, "rb");
        uint8_t d[2048];
        same = rc == 0 && f != NULL;
        for (int32_t lba = 0; same && lba < 600; lba++) {
            same = fread(d, 1, 2048, f) == 2048;
            for (int i = 0; same && i < 2048; i++)
                same = d[i] == pattern(data->id, (uint64_t)lba * 2048 + (uint64_t)i);
        }
        ok(same, "bchunk's track 1 equals the Mode 1 source (rc %d)\n", rc);
        if (f)
            fclose(f);
        remove(iso);
        snprintf(iso, sizeof(iso), "%s_chunk02.cdr", base);
        remove(iso);
    }
    remove(bin);
    remove(cue);
}

static void test_burn(int layout)
{
    char media[256];
    t_media_path(media, sizeof(media), "rawimage");
    t_media_remove(media);
    struct rawimage *img = new_image();
    struct tsrc *data, *audio;
    rawimage_set_image_type(img, layout);
    rawimage_set_mcn(img, MIX_MCN);
    add(img, RAWIMAGE_MODE1, 600, &data);
    add(img, RAWIMAGE_AUDIO, 300, &audio);
    rawimage_set_isrc(img, 2, MIX_ISRC);
    ok(rawimage_finalize(img) == 0 && rawimage_leadout_lba(img) == 1050, "burn image\n");

    struct vrec_drive *d = t_open(media, VREC_MEDIA_CDR80, NULL, NULL);
    t_mode_select(d, 3, layout, 0, 0);
    ok(t_good(), "raw mode page, block type %d\n", layout);
    size_t size = rawimage_sector_size(img);
    enum { CHUNK = 27 };
    uint8_t *buf = malloc(size * CHUNK);
    int32_t end = rawimage_leadout_lba(img) + CD_FIRST_LEADOUT_SECTORS, lba = CD_TYPICAL_LEADIN_LBA;
    for (; lba < end; lba += CHUNK) {
        int n = end - lba < CHUNK ? end - lba : CHUNK;
        size_t done = 0;
        /* the drive's lead-in starts after the image's: skip the difference */
        if (rawimage_read(img, (uint64_t)(lba - CD_RAW_IMAGE_START_LBA) * size, buf, size * (size_t)n, &done) != 0)
            break;
        t_write10(d, lba, (uint16_t)n, buf, (uint32_t)done);
        if (!t_good())
            break;
    }
    ok(lba >= end, "wrote LBA %d..%d: stopped at %d " T_SENSE_FMT "\n", CD_TYPICAL_LEADIN_LBA, end, lba, T_SENSE_ARGS);
    free(buf);
    t_sync(d, 0);
    ok(t_good() && vrec_disc_state(d) == VREC_DISC_CLOSED, "disc closed (state %d)\n", vrec_disc_state(d));

    uint8_t r[256], want[256];
    uint8_t toc0[10] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 255, 0 };
    t_exec(d, toc0, 10, SCSI_DIR_IN, r, 255);
    size_t n = rawimage_toc_format0(img, want, sizeof(want));
    ok(t_good() && n == 28 && memcmp(r, want, n) == 0, "drive's TOC equals the expected TOC\n");
    uint8_t toc2[10] = { 0x43, 0, 2, 0, 0, 0, 0, 0, 255, 0 };
    t_exec(d, toc2, 10, SCSI_DIR_IN, r, 255);
    int a0 = 0, a2 = 0;
    for (int i = 4; i + 11 <= 4 + (r[0] << 8 | r[1]) - 2; i += 11) {
        a0 |= r[i + 3] == 0xA0 && r[i + 8] == 1 && r[i + 9] == 0x00;
        a2 |= r[i + 3] == 0xA2 && r[i + 8] == 0 && r[i + 9] == 16 && r[i + 10] == 0;
    }
    ok(t_good() && a0 && a2, "full TOC: A0 first track 1 / CD-ROM, A2 00:16:00\n");
    vrec_close(d);
    rawimage_free(img);
    if (layout == 3)
        check_export(media, data, audio);
    t_media_remove(media);
}

int main(void)
{
    test_defaults();
    test_add_track_errors();
    test_space();
    test_settings_errors();
    test_release();
    test_layout();
    test_stream(3);
    test_stream(2);
    test_stream(1);
    test_random_ranges();
    test_gapless();
    test_special_pregap();
    test_starting_track();
    test_rw();
    test_types();
    test_source_errors();
    test_burn(3);
    test_burn(1);
    return okay_summary("mmc_rawimage");
}
