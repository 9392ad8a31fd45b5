/* CD-Text in the raw DAO image (rawimage_set_cdtext): the lead-in R-W
 * carries the packs, nothing else in the image changes, CD-Text and an R-W
 * source or a PQ image refuse each other, and end to end: burnt on the
 * virtual recorder (data block types 3 and 2), READ TOC format 5 gives the
 * packs back, the CUE/BIN and CloneCD exports carry them and cd-info shows
 * the track list, MCN and the texts. */
#include "test_vrec_util.h" /* first: POSIX feature macro */

#include "mmc/cdtext.h"
#include "mmc/rawimage.h"
#include "mmc/subcode.h"
#include "host_files.h"
#include "mmc/geometry.h"

#define TRACKS 3
#define TRACK_SECTORS 300
#define MCN "0000000000017"

static int silence_read(void *ctx, uint64_t off, void *buf, size_t len)
{
    (void)ctx;
    (void)off;
    memset(buf, 0, len);
    return 0;
}

static struct cdtext *album_text(void)
{
    struct cdtext *t = NULL;
    cdtext_create(&t);
    cdtext_set(t, CDTEXT_TITLE, 0, "Virtual Album");
    cdtext_set(t, CDTEXT_PERFORMER, 0, "The Recorders");
    cdtext_set(t, CDTEXT_TITLE, 1, "Opening");
    cdtext_set(t, CDTEXT_TITLE, 2, "Middle Piece With A Long Name");
    cdtext_set(t, CDTEXT_TITLE, 3, "Finale");
    cdtext_set(t, CDTEXT_PERFORMER, 2, "Soloist");
    cdtext_set(t, CDTEXT_SONGWRITER, 3, "Writer Three");
    return t;
}

static struct rawimage *audio_image(int layout, bool with_text)
{
    struct rawimage *img = NULL;
    rawimage_create(&img);
    rawimage_set_image_type(img, layout);
    rawimage_set_mcn(img, MCN);
    for (int i = 0; i < TRACKS; i++) {
        struct rawimage_source src = { silence_read, NULL, NULL, (uint64_t)TRACK_SECTORS * CD_SECTOR_SIZE };
        rawimage_add_track(img, RAWIMAGE_AUDIO, &src, NULL);
    }
    if (with_text)
        ok(rawimage_set_cdtext(img, album_text()) == IMAPI2_S_OK, "CD-Text set (layout %d)\n", layout);
    return img;
}

static int read_sector(struct rawimage *img, int32_t lba, uint8_t *buf)
{
    size_t size = rawimage_sector_size(img), done = 0;
    return rawimage_read(img, (uint64_t)(lba - CD_RAW_IMAGE_START_LBA) * size, buf, size, &done) == 0 && done == size;
}

static void test_conflicts(void)
{
    struct rawimage *img = audio_image(3, true);
    struct rawimage_source rw = { silence_read, NULL, NULL, 96 };
    ok(rawimage_add_subcode_rw(img, &rw) == IMAPI2_E_INVALIDARG, "R-W source refused once CD-Text holds the R-W\n");
    ok(rawimage_set_image_type(img, 1) == IMAPI2_E_INVALIDARG && rawimage_image_type(img) == 3,
       "PQ image type refused with CD-Text\n");
    rawimage_free(img);

    img = audio_image(3, false);
    rw.size = (uint64_t)rawimage_total_sectors(img) * 96;
    ok(rawimage_add_subcode_rw(img, &rw) == IMAPI2_S_OK, "R-W source first\n");
    ok(rawimage_set_cdtext(img, album_text()) == IMAPI2_E_INVALIDARG && !rawimage_has_cdtext(img),
       "then CD-Text is refused\n");
    rawimage_free(img);

    img = audio_image(1, false);
    ok(rawimage_set_cdtext(img, album_text()) == IMAPI2_E_INVALIDARG, "CD-Text refused in a PQ image\n");
    rawimage_free(img);

    img = audio_image(3, false);
    struct cdtext *empty = NULL;
    cdtext_create(&empty);
    rw.size = (uint64_t)rawimage_total_sectors(img) * 96;
    ok(rawimage_set_cdtext(img, empty) == IMAPI2_S_OK && !rawimage_has_cdtext(img) &&
           rawimage_add_subcode_rw(img, &rw) == IMAPI2_S_OK,
       "a description without texts claims nothing\n");
    rawimage_free(img);

    img = audio_image(3, true);
    struct cdtext *t = album_text();
    cdtext_set(t, CDTEXT_TITLE, 7, "beyond the last track");
    ok(rawimage_set_cdtext(img, t) == IMAPI2_S_OK && rawimage_check_cdtext(img) == CDTEXT_ERR_TRACK,
       "a text for track 7 on a 3-track image is reported\n");
    ok(rawimage_finalize(img) == IMAPI2_E_INVALIDARG && !rawimage_is_final(img), "and finalize refuses it\n");
    ok(rawimage_set_cdtext(img, NULL) == IMAPI2_S_OK && rawimage_finalize(img) == IMAPI2_S_OK,
       "cleared, the image finalizes\n");
    ok(rawimage_set_cdtext(img, album_text()) == E_IMAPI_RAW_IMAGE_IS_READ_ONLY, "read-only once final\n");
    rawimage_free(img);
}

/* The lead-in R-W holds the packs, and only the R-W bits differ from the
 * same image without CD-Text. */
static void test_leadin(int layout)
{
    struct rawimage *img = audio_image(layout, true), *plain = audio_image(layout, false);
    ok(rawimage_finalize(img) == 0 && rawimage_finalize(plain) == 0, "finalized (layout %d)\n", layout);
    ok(rawimage_total_bytes(img) == rawimage_total_bytes(plain), "same size with CD-Text\n");
    size_t count = 0;
    const uint8_t *packs = rawimage_cdtext_packs(img, &count);
    struct cdtext *back = NULL;
    ok(packs && count > 3 && cdtext_decode(packs, count, &back, NULL) == CDTEXT_OK && back &&
           !strcmp(cdtext_get(back, CDTEXT_TITLE, 2), "Middle Piece With A Long Name"),
       "packs decode (%zu packs)\n", count);
    cdtext_free(back);

    uint8_t a[CD_SECTOR_RAW_PW], b[CD_SECTOR_RAW_PW], sym[96];
    struct cdtext_collector *c = malloc(sizeof(*c));
    cdtext_collector_reset(c);
    int pq_same = 1, main_same = 1, rw_zero_elsewhere = 1;
    static const int32_t lbas[] = { CD_RAW_IMAGE_START_LBA, -22649, -15000, CD_TYPICAL_LEADIN_LBA, -11633, -11632, -11631, -11630, -11629,
                                    -11628, -11627, -11626, -11625, -11624, -151, -150, 0, 899, 1050 };
    for (size_t i = 0; i < sizeof(lbas) / sizeof(lbas[0]); i++) {
        read_sector(img, lbas[i], a);
        read_sector(plain, lbas[i], b);
        uint8_t ra[96], rb[96];
        if (layout == 2) {
            cd_subcode_interleave((const uint8_t(*)[12])(a + CD_SECTOR_SIZE), ra);
            cd_subcode_interleave((const uint8_t(*)[12])(b + CD_SECTOR_SIZE), rb);
        } else {
            memcpy(ra, a + CD_SECTOR_SIZE, 96);
            memcpy(rb, b + CD_SECTOR_SIZE, 96);
        }
        main_same &= memcmp(a, b, CD_SECTOR_SIZE) == 0;
        for (int k = 0; k < 96; k++) {
            pq_same &= (ra[k] & 0xC0) == (rb[k] & 0xC0);
            if (lbas[i] >= -150)
                rw_zero_elsewhere &= (ra[k] & 0x3F) == 0;
        }
        if (lbas[i] < -150 && cd_subcode_get_rw(layout, a + CD_SECTOR_SIZE, sym))
            cdtext_collector_add(c, sym);
    }
    ok(main_same && pq_same, "main channel, P and Q unchanged by CD-Text\n");
    ok(rw_zero_elsewhere, "no R-W outside the lead-in\n");
    uint8_t got[256 * 18];
    size_t n = cdtext_collector_packs(c, got, 256);
    ok(cdtext_collector_complete(c) && n == count && memcmp(got, packs, n * 18) == 0,
       "the drive's lead-in (from -11634) holds the whole pack set (%zu of %zu)\n", n, count);
    free(c);
    rawimage_free(img);
    rawimage_free(plain);
}

/* ---- burn, READ TOC format 5, export, cd-info ---- */

static void burn(struct vrec_drive *d, struct rawimage *img)
{
    size_t size = rawimage_sector_size(img);
    enum { CHUNK = 27 };
    uint8_t *buf = malloc(size * CHUNK);
    int32_t end = rawimage_leadout_lba(img) + CD_FIRST_LEADOUT_SECTORS, lba = CD_TYPICAL_LEADIN_LBA;
    for (; lba < end; lba += CHUNK) {
        int n = end - lba < CHUNK ? end - lba : CHUNK;
        size_t done = 0;
        if (rawimage_read(img, (uint64_t)(lba - CD_RAW_IMAGE_START_LBA) * size, buf, size * (size_t)n, &done) != 0)
            break;
        t_write10(d, lba, (uint16_t)n, buf, (uint32_t)done);
        if (!t_good())
            break;
    }
    ok(lba >= end, "burnt up to %d: " T_SENSE_FMT "\n", lba, T_SENSE_ARGS);
    free(buf);
    t_sync(d, 0);
    ok(t_good() && vrec_disc_state(d) == VREC_DISC_CLOSED, "disc closed\n");
}

static void check_cue_export(const char *media, const char *base, const uint8_t *packs, size_t count)
{
    char path[300], cmd[900];
    ok(vrec_export_cue_bin(media, base) == 0, "CUE/BIN export\n");
    snprintf(path, sizeof(path), "%s.cue", base);
    const char *cue = slurp(path);
    ok(cue && strstr(cue, "TITLE \"Virtual Album\"\n") && strstr(cue, "PERFORMER \"The Recorders\"\n") &&
           strstr(cue, "  TRACK 02 AUDIO\n    TITLE \"Middle Piece With A Long Name\"\n    PERFORMER \"Soloist\"\n") &&
           strstr(cue, "    SONGWRITER \"Writer Three\"\n") && strstr(cue, "CATALOG " MCN),
       "cue carries the texts:\n%s", cue ? cue : "");
    const char *tool = getenv("CD_INFO") && *getenv("CD_INFO") ? getenv("CD_INFO") : "cd-info";
    if (!tool_present(tool)) {
        skip("cd-info not installed\n");
    } else {
        snprintf(cmd, sizeof(cmd), "cd /tmp && %s --no-header --no-device-info --no-cddb -q --cue-file %s > %s.cdinfo 2>&1",
                 tool, path, base);
        int rc = system(cmd);
        snprintf(path, sizeof(path), "%s.cdinfo", base);
        const char *out = slurp(path);
        ok(rc == 0 && out && strstr(out, "  1: 00:02:00  000000 audio") && strstr(out, "  3: 00:14:00  000900 audio") &&
               strstr(out, "170: 00:18:00  001200 leadout") && strstr(out, "Media Catalog Number (MCN): " MCN) &&
               strstr(out, "CD-TEXT for Disc:\n\tTITLE: Virtual Album\n\tPERFORMER: The Recorders") &&
               strstr(out, "CD-TEXT for Track  2:\n\tTITLE: Middle Piece With A Long Name\n\tPERFORMER: Soloist") &&
               strstr(out, "CD-TEXT for Track  1:\n\tTITLE: Opening\nCD-TEXT") && strstr(out, "SONGWRITER: Writer Three"),
           "cd-info shows tracks, MCN and CD-Text (rc %d):\n%s", rc, out ? out : "");
        if (getenv("CDTEXT_KEEP_OUTPUT"))
            printf("%s", out ? out : "");
        remove(path);
    }
    snprintf(path, sizeof(path), "%s.cdt", base);
    FILE *cdt = fopen(path, "rb");
    uint8_t side[256 * 18];
    size_t got = cdt ? fread(side, 1, sizeof(side), cdt) : 0;
    if (cdt)
        fclose(cdt);
    ok(got == count * 18 && memcmp(side, packs, got) == 0, "the .cdt holds the packs (%zu bytes)\n", got);
    static const char *const ext[] = { ".cue", ".bin", ".cdt" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", base, ext[i]);
        remove(path);
    }
}

static void check_ccd_export(const char *media, const char *base, const uint8_t *packs, size_t count)
{
    char path[300], want[120];
    ok(vrec_export_clonecd(media, base) == 0, "CloneCD export\n");
    snprintf(path, sizeof(path), "%s.ccd", base);
    const char *ccd = slurp(path);
    snprintf(want, sizeof(want), "[CDText]\nEntries=%zu\nEntry 0=80 00 00 00 56 69 72 74", count);
    ok(ccd && strstr(ccd, want), "ccd has the [CDText] entries:\n%.400s", ccd ? ccd : "");
    char last[80];
    int k = snprintf(last, sizeof(last), "Entry %zu=", count - 1);
    for (int j = 0; j < 16; j++)
        k += snprintf(last + k, sizeof(last) - (size_t)k, j ? " %02x" : "%02x", packs[(count - 1) * 18 + (size_t)j]);
    ok(ccd && strstr(ccd, last), "last entry is the last pack without its CRC: %s\n", last);
    static const char *const ext[] = { ".ccd", ".img", ".sub" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", base, ext[i]);
        remove(path);
    }
}

static void test_burn(int layout)
{
    char media[256], base[256];
    t_media_path(media, sizeof(media), "cdtext");
    t_media_remove(media);
    snprintf(base, sizeof(base), "/tmp/test_cdtext_export_%ld", (long)getpid());
    struct rawimage *img = audio_image(layout, true);
    ok(rawimage_finalize(img) == 0 && rawimage_leadout_lba(img) == 1200, "image\n");
    size_t count = 0;
    const uint8_t *packs = rawimage_cdtext_packs(img, &count);

    struct vrec_drive *d = t_open(media, VREC_MEDIA_CDR80, NULL, NULL);
    uint8_t toc5[10] = { 0x43, 0, 5, 0, 0, 0, 0, 0xFF, 0xFF, 0 };
    uint8_t r[4 + 256 * 18];
    t_exec(d, toc5, 10, SCSI_DIR_IN, r, sizeof(r));
    ok(t_sense_is(5, 0x24, 0), "format 5 on a blank disc: 05/24/00\n");
    t_mode_select(d, 3, layout, 0, 0);
    burn(d, img);
    memset(r, 0xEE, sizeof(r));
    t_exec(d, toc5, 10, SCSI_DIR_IN, r, sizeof(r));
    ok(t_good() && t_be16(r) == 2 + count * 18 && r[2] == 0 && r[3] == 0 && memcmp(r + 4, packs, count * 18) == 0,
       "READ TOC format 5 returns the packs (length %u, %zu packs)\n", t_be16(r), count);
    uint8_t small[4 + 18];
    toc5[7] = 0, toc5[8] = sizeof(small);
    t_exec(d, toc5, 10, SCSI_DIR_IN, small, sizeof(small));
    ok(t_good() && t_be16(small) == 2 + count * 18 && !memcmp(small + 4, packs, 18),
       "format 5 with a short allocation length: header gives the full length\n");
    vrec_close(d);
    if (layout == 3) {
        check_cue_export(media, base, packs, count);
        check_ccd_export(media, base, packs, count);
    }
    rawimage_free(img);
    t_media_remove(media);
}

static void test_no_text_disc(void)
{
    char media[256];
    t_media_path(media, sizeof(media), "cdtext-none");
    t_media_remove(media);
    struct rawimage *img = audio_image(3, false);
    rawimage_finalize(img);
    struct vrec_drive *d = t_open(media, VREC_MEDIA_CDR80, NULL, NULL);
    t_mode_select(d, 3, 3, 0, 0);
    burn(d, img);
    uint8_t toc5[10] = { 0x43, 0, 5, 0, 0, 0, 0, 0, 64, 0 }, r[64];
    t_exec(d, toc5, 10, SCSI_DIR_IN, r, sizeof(r));
    ok(t_good() && t_be16(r) == 2, "format 5 of a disc without CD-Text: header only\n");
    vrec_close(d);
    rawimage_free(img);
    t_media_remove(media);
}

int main(void)
{
    test_conflicts();
    test_leadin(3);
    test_leadin(2);
    test_burn(3);
    test_burn(2);
    test_no_text_disc();
    return okay_summary("mmc_rawimage_cdtext");
}
