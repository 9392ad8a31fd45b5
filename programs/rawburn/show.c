/* rawburn show SHEET: the disc a burn would write, before any drive is
 * touched: tracks, indexes and pregaps where they will be on the disc,
 * MCN, ISRCs, flags and CD-Text, and who lays the disc out. */
#include <string.h>

#include "image_internal.h"
#include "mmc/msf.h"

static void put_latin1(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c < 0x80) {
            putchar(*c);
        } else {
            putchar(0xC0 | *c >> 6);
            putchar(0x80 | (*c & 0x3F));
        }
}

static const char *msf(int32_t lba, char *buf, size_t size)
{
    struct cd_msf m = cd_frames_to_msf(lba + CD_MSF_OFFSET);
    snprintf(buf, size, "%02d:%02d:%02d", m.m, m.s, m.f);
    return buf;
}

static const char *length(int32_t sectors, char *buf, size_t size)
{
    struct cd_msf m = cd_frames_to_msf(sectors);
    snprintf(buf, size, "%02d:%02d:%02d", m.m, m.s, m.f);
    return buf;
}

static void show_cdtext(const struct cdtext *t, int track, const char *indent)
{
    bool any = false;
    if (!t)
        return;
    for (int f = 0; f < CDTEXT_FIELD_COUNT; f++) {
        const char *v = cdtext_field_supported(f) ? cdtext_get(t, f, track) : NULL;
        if (!v || !*v)
            continue;
        if (any)
            printf(", %s \"", cdtext_field_name(f));
        else
            printf("%sCD-Text  %s \"", indent, cdtext_field_name(f));
        put_latin1(v);
        putchar('"');
        any = true;
    }
    if (any)
        putchar('\n');
}

static void show_pregap(const struct cdsheet_track *t, bool first)
{
    char a[16];
    long from_file = t->file_pregap, silence = t->pregap, total = from_file + silence;
    if (first && total < CD_PREGAP_SECTORS) {
        silence += CD_PREGAP_SECTORS - total;
        total = CD_PREGAP_SECTORS;
    }
    if (!total)
        return;
    printf("  pregap   %ld sectors (%s): ", total, length((int32_t)total, a, sizeof(a)));
    if (silence)
        printf("%ld of %s", silence, t->mode == CDSHEET_AUDIO ? "silence" : "empty data sectors");
    if (silence && from_file)
        printf(", then ");
    if (from_file)
        printf("%ld from the file (INDEX 00)", from_file);
    if (first && total == CD_PREGAP_SECTORS && t->pregap + t->file_pregap < CD_PREGAP_SECTORS)
        printf("; the Red Book requires 2 s before track 1");
    putchar('\n');
}

int cmd_show(const char *path)
{
    struct image_plan *p = NULL;
    char a[16], b[16];
    int status = image_plan_load(path, &p);
    if (status)
        return status;
    if (p->kind == PLAN_RAW) {
        printf("%s: raw DAO image, %s sectors, %d track%s, lead-out at %s (LBA %ld)\n", p->shown,
               p->raw_layout == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY ? "2368-byte" : "2448-byte", p->raw_tracks,
               p->raw_tracks == 1 ? "" : "s", msf(p->raw_leadout, a, sizeof(a)), (long)p->raw_leadout);
        for (int i = 0; i < p->raw_tracks; i++)
            printf("track %02d  %-10s  index 01 at %s (LBA %ld)\n", p->raw_track[i].number,
                   p->raw_track[i].data ? "data" : "audio", msf(p->raw_track[i].start_lba, a, sizeof(a)),
                   (long)p->raw_track[i].start_lba);
        printf("burnt as it is: the image carries its own sub-channel\n");
        image_plan_free(p);
        return RB_OK;
    }
    struct cdsheet *s = &p->sheet;
    bool creator = p->kind == PLAN_CUE && image_plan_creator(p);
    if (p->kind == PLAN_CUE)
        cue_gen_layout(s); /* the layout as written; the creator is only used when it gives the same */
    printf("%s: %s, %d track%s, %s (%ld sectors), lead-out at %s (LBA %ld)\n", p->shown,
           p->kind == PLAN_CUE ? "cue sheet" : "CloneCD sheet", s->track_count, s->track_count == 1 ? "" : "s",
           length(s->leadout_lba + CD_MSF_OFFSET, b, sizeof(b)), (long)s->leadout_lba + CD_MSF_OFFSET, msf(s->leadout_lba, a, sizeof(a)),
           (long)s->leadout_lba);
    if (p->kind == PLAN_CCD)
        printf("layout: the .ccd's TOC%s\n", p->have_sub ? " and its .sub sub-channel" : "; sub-channel from the TOC");
    else if (creator && !cue_creator_exact(s))
        printf("layout: IMAPI2's image creator with its own gaps (--imapi-gaps), NOT as the sheet says; the "
               "positions below are the sheet's\n");
    else if (creator)
        printf("layout: as the sheet says, made by IMAPI2's image creator (MsftRawCDImageCreator)\n");
    else
        printf("layout: as the sheet says, made by rawburn (IMAPI2's image creator cannot lay this disc out "
               "exactly)\n");
    if (s->catalog[0])
        printf("MCN      %s\n", s->catalog);
    show_cdtext(p->cdtext, 0, "");
    for (int i = 0; i < s->track_count; i++) {
        const struct cdsheet_track *t = &s->tracks[i];
        printf("track %02d %s, %s (%ld sectors), from %s", t->number, cdsheet_mode_name(t->mode),
               length(t->sectors + t->postgap, a, sizeof(a)), (long)(t->sectors + t->postgap),
               p->kind == PLAN_CUE ? s->files[t->file].name : "the .img");
        printf("\n");
        show_pregap(t, i == 0);
        for (int k = 0; k < t->index_count; k++)
            printf("  index %02d at %s (LBA %ld)\n", k + 1, msf(t->start_lba + t->index_offset[k], a, sizeof(a)),
                   (long)(t->start_lba + t->index_offset[k]));
        if (t->postgap)
            printf("  postgap  %ld sectors of %s\n", (long)t->postgap, t->mode == CDSHEET_AUDIO ? "silence" : "empty data");
        if (t->isrc[0])
            printf("  ISRC     %s\n", t->isrc);
        if (t->flags & (CDSHEET_FLAG_PRE | CDSHEET_FLAG_DCP | CDSHEET_FLAG_4CH | CDSHEET_FLAG_SCMS))
            printf("  flags   %s%s%s%s\n", t->flags & CDSHEET_FLAG_DCP ? " DCP" : "",
                   t->flags & CDSHEET_FLAG_PRE ? " PRE" : "", t->flags & CDSHEET_FLAG_4CH ? " 4CH" : "",
                   t->flags & CDSHEET_FLAG_SCMS ? " SCMS" : "");
        show_cdtext(p->cdtext, t->number, "  ");
    }
    printf("lead-out at %s (LBA %ld)\n", msf(s->leadout_lba, a, sizeof(a)), (long)s->leadout_lba);
    if (p->cdtext)
        printf("CD-Text is written into the lead-in's R-W sub-channel (not with --sector-type 2368)\n");
    image_plan_free(p);
    return RB_OK;
}
