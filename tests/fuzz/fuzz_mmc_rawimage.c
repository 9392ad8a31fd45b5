/* The raw image generator driven by arbitrary input: a script of model calls
 * (tracks of any type and size, indexes, ISRC/MCN strings, settings, special
 * pregap, R-W) then reads of random byte ranges. It must never crash, leak,
 * read a source out of bounds, release a source twice, or emit a sector
 * whose Q CRC is wrong.
 * Input: 1 settings byte, then operations of [op][4 argument bytes][text 13]. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmc/rawimage.h"
#include "mmc/subcode.h"
#include "mmc/geometry.h"

#define MAX_SOURCES 256
#define OP_LEN 18

struct fsrc {
    uint64_t size;
    uint8_t seed;
    int released;
};

static struct fsrc sources[MAX_SOURCES];
static int source_count;

static int fsrc_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    struct fsrc *s = ctx;
    if (off > s->size || len > s->size - off)
        abort(); /* the generator read outside the source */
    memset(buf, (int)(s->seed ^ (uint8_t)off), len);
    return s->seed == 0xEE ? -2147467259 /* E_FAIL */ : 0;
}

static void fsrc_release(void *ctx)
{
    struct fsrc *s = ctx;
    if (s->released++)
        abort(); /* released twice */
}

static bool new_source(uint64_t size, uint8_t seed, struct rawimage_source *out)
{
    if (source_count >= MAX_SOURCES)
        return false;
    struct fsrc *s = &sources[source_count++];
    *s = (struct fsrc){ size, seed, 0 };
    *out = (struct rawimage_source){ fsrc_read, fsrc_release, s, size };
    return true;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Track sizes stay small (the lead-in alone is 22500 sectors); the low bits
 * of the size sometimes break the multiple-of-sector rule on purpose. */
static uint64_t source_size(int type, const uint8_t *a)
{
    size_t unit = rawimage_user_sector_size(type);
    uint64_t sectors = 250 + get16(a) % 1200;
    return sectors * (unit ? unit : CD_SECTOR_SIZE) + ((a[2] & 0x80) ? a[2] & 0x7F : 0);
}

static void text_arg(const uint8_t *t, char out[14])
{
    memcpy(out, t, 13);
    out[13] = 0;
}

static void run_op(struct rawimage *img, const uint8_t *op)
{
    const uint8_t *a = op + 1;
    char text[14];
    struct rawimage_source src;
    int index = 0;
    int track = 1 + a[0] % (rawimage_track_count(img) + 1);
    switch (op[0] % 16) {
    case 0:
    case 1:
    case 2:
        if (new_source(source_size(a[3] % 11, a), a[3], &src))
            rawimage_add_track(img, a[3] % 11, &src, &index);
        break;
    case 3:
        if (new_source(source_size(0, a), a[3], &src))
            rawimage_add_special_pregap(img, &src);
        break;
    case 4:
        if (new_source((a[3] & 1) ? (uint64_t)rawimage_total_sectors(img) * 96 : get16(a), a[2], &src))
            rawimage_add_subcode_rw(img, &src);
        break;
    case 5:
        text_arg(op + 5, text);
        text[a[1] % 14] = 0;
        rawimage_set_isrc(img, track, text);
        break;
    case 6:
        text_arg(op + 5, text);
        text[a[1] % 14] = 0;
        rawimage_set_mcn(img, text);
        break;
    case 7:
        rawimage_add_index(img, track, (int32_t)get16(a + 1) - 100);
        break;
    case 8:
        rawimage_clear_index(img, track, (int32_t)get16(a + 1) - 100);
        break;
    case 9:
        rawimage_set_copy(img, track, a[1] % 4);
        rawimage_set_preemphasis(img, track, a[2] & 1);
        break;
    case 10:
        rawimage_set_leadout_limit(img, (int32_t)((uint32_t)get16(a + 1) * 7) - 5);
        break;
    case 11:
        rawimage_set_disable_gapless_audio(img, a[1] & 1);
        break;
    case 12:
        rawimage_set_image_type(img, a[1] % 5);
        break;
    case 13:
        rawimage_set_starting_track(img, a[1] % 101);
        break;
    default:
        rawimage_finalize(img);
        break;
    }
}

/* Reads a range and checks what can be checked without a model: the count,
 * and the Q CRC of every whole sector in it. */
static void read_range(struct rawimage *img, const uint8_t *a)
{
    static uint8_t buf[3 * CD_SECTOR_RAW_PW];
    uint64_t total = rawimage_total_bytes(img);
    size_t size = rawimage_sector_size(img);
    uint64_t off = ((uint64_t)get16(a) << 16 | get16(a + 2)) % (total + 100);
    size_t len = (size_t)(a[0] ^ a[3]) * 29 % sizeof(buf), done = 0;
    if (a[1] & 1)
        off -= off % size; /* sector-aligned reads get their Q checked */
    int32_t hr = rawimage_read(img, off, buf, len, &done);
    if (done > len || (hr == 0 && off < total && done != (len < total - off ? len : (size_t)(total - off))))
        abort();
    if (hr != 0 || off % size)
        return;
    for (size_t at = 0; at + size <= done; at += size) {
        uint8_t q[CD_SUBQ_LEN];
        bool p;
        if (!cd_subcode_get_q(rawimage_image_type(img), buf + at + CD_SECTOR_SIZE, q, &p) || !cd_subq_crc_ok(q))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rawimage *img = NULL;
    if (size < 1 || rawimage_create(&img) != 0)
        return 0;
    source_count = 0;
    rawimage_set_image_type(img, 1 + data[0] % 3);
    size_t off = 1;
    for (int n = 0; n < 64 && off + OP_LEN <= size; n++, off += OP_LEN) {
        if (rawimage_is_final(img))
            read_range(img, data + off + 1);
        else
            run_op(img, data + off);
    }
    if (rawimage_finalize(img) == 0)
        for (; off + 5 <= size; off += 5)
            read_range(img, data + off + 1);
    rawimage_free(img);
    for (int i = 0; i < source_count; i++)
        if (sources[i].released != 1)
            abort(); /* a source leaked (or was never released) */
    return 0;
}
