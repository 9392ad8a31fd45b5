/* Image input: a .cue sheet (turned into the raw stream by IMAPI2's
 * MsftRawCDImageCreator), a CloneCD .ccd (own raw stream, sub-channel as
 * given: ccdstream.c) or a raw DAO-96 image (passed straight through).
 * Loading checks every file and the whole layout without touching a
 * drive; building makes the stream once the layout (sector type) is known. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "rawburn.h"
#include "image_internal.h"
#include "mmc/msf.h"
#include "mmc/sector.h"
#include "mmc/subcode.h"

/* ---------------------------------------------------------- helpers */

static void dir_of(const WCHAR *path, WCHAR *out, size_t size)
{
    wcsncpy(out, path, size - 1);
    out[size - 1] = 0;
    WCHAR *slash = wcsrchr(out, L'\\'), *fwd = wcsrchr(out, L'/');
    if (fwd > slash)
        slash = fwd;
    if (slash)
        slash[1] = 0;
    else
        out[0] = 0;
}

int file_size_of(const WCHAR *path, uint64_t *size)
{
    WIN32_FILE_ATTRIBUTE_DATA a;
    if (!GetFileAttributesExW(path, GetFileExInfoStandard, &a) || (a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
        return -1;
    *size = ((uint64_t)a.nFileSizeHigh << 32) | a.nFileSizeLow;
    return 0;
}

/* The whole text of a sheet (1 MiB at most: no sheet is larger). */
static int read_text(const WCHAR *path, const char *shown, char **text, size_t *len)
{
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    DWORD got = 0;
    if (h == INVALID_HANDLE_VALUE)
        return fail(RB_FILE, "cannot open %s: %s", shown, hr_text(HRESULT_FROM_WIN32(GetLastError())));
    *text = malloc(1 << 20);
    if (!*text || !ReadFile(h, *text, 1 << 20, &got, NULL)) {
        CloseHandle(h);
        free(*text);
        return fail(RB_FILE, "cannot read %s", shown);
    }
    CloseHandle(h);
    if (got == 1 << 20) {
        free(*text);
        return fail(RB_SYNTAX, "%s is larger than 1 MiB: not a cue or ccd sheet", shown);
    }
    *len = got;
    return RB_OK;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !_stricmp(s + a - b, tail);
}

/* A RIFF WAVE file's data chunk, checked to be Red Book audio. */
static int wave_data(const WCHAR *path, const char *shown, uint64_t *offset, uint64_t *size)
{
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    uint8_t b[12];
    DWORD got;
    uint64_t at = 12;
    bool fmt_ok = false;
    if (h == INVALID_HANDLE_VALUE)
        return fail(RB_FILE, "cannot open %s", shown);
    if (!ReadFile(h, b, 12, &got, NULL) || got != 12 || memcmp(b, "RIFF", 4) || memcmp(b + 8, "WAVE", 4)) {
        CloseHandle(h);
        return fail(RB_SYNTAX, "%s is not a RIFF WAVE file", shown);
    }
    for (;;) {
        uint8_t c[24];
        LARGE_INTEGER pos;
        pos.QuadPart = (LONGLONG)at;
        if (!SetFilePointerEx(h, pos, NULL, FILE_BEGIN) || !ReadFile(h, c, 8, &got, NULL) || got != 8)
            break;
        uint32_t len = c[4] | c[5] << 8 | c[6] << 16 | (uint32_t)c[7] << 24;
        if (!memcmp(c, "fmt ", 4) && len >= 16 && ReadFile(h, c + 8, 16, &got, NULL) && got == 16) {
            unsigned format = c[8] | c[9] << 8, channels = c[10] | c[11] << 8, bits = c[22] | c[23] << 8;
            uint32_t rate = c[12] | c[13] << 8 | c[14] << 16 | (uint32_t)c[15] << 24;
            fmt_ok = format == 1 && channels == 2 && bits == 16 && rate == 44100;
            if (!fmt_ok) {
                CloseHandle(h);
                return fail(RB_SYNTAX, "%s is not CD audio (needs PCM, 44100 Hz, 16 bit, stereo; it has format "
                                       "%u, %lu Hz, %u bit, %u channels)", shown, format, (unsigned long)rate, bits,
                            channels);
            }
        } else if (!memcmp(c, "data", 4) && fmt_ok) {
            uint64_t file_size = 0;
            CloseHandle(h);
            file_size_of(path, &file_size);
            *offset = at + 8;
            *size = len;
            if (*offset + *size > file_size)
                *size = file_size > *offset ? file_size - *offset : 0; /* streamed WAVEs leave the size wrong */
            return RB_OK;
        }
        at += 8 + (uint64_t)len + (len & 1);
    }
    CloseHandle(h);
    return fail(RB_SYNTAX, "%s has no PCM data chunk", shown);
}

/* ----------------------------------------------------------- loading */

static int load_cue_cdtext(struct image_plan *p, const char *text, size_t len);

static int load_cue(struct image_plan *p, const char *text, size_t len)
{
    struct cdsheet_error err;
    uint64_t sizes[CDSHEET_MAX_FILES];
    if (cue_parse(text, len, &p->sheet, &err))
        return fail(RB_SYNTAX, "%s:%d: %s", p->shown, err.line, err.message);
    for (int i = 0; i < p->sheet.file_count; i++) {
        const struct cdsheet_file *f = &p->sheet.files[i];
        WCHAR *name = utf8_to_wide(f->name);
        if (!name)
            return fail(RB_INTERNAL, "out of memory");
        if (name[0] == L'\\' || name[0] == L'/' || (name[0] && name[1] == L':'))
            wcsncpy(p->paths[i], name, MAX_PATH - 1);
        else
            swprintf(p->paths[i], MAX_PATH, L"%ls%ls", p->dir, name);
        HeapFree(GetProcessHeap(), 0, name);
        if (f->type == CDSHEET_FILE_MOTOROLA)
            return fail(RB_SYNTAX, "%s:%d: MOTOROLA (big-endian) files are not supported: convert %s to BINARY",
                        p->shown, f->line, f->name);
        if (file_size_of(p->paths[i], &sizes[i]))
            return fail(RB_FILE, "%s:%d: file %s cannot be found", p->shown, f->line, f->name);
        p->data_offset[i] = 0;
        if (f->type == CDSHEET_FILE_WAVE) {
            char shown[CDSHEET_NAME_MAX + 16];
            snprintf(shown, sizeof(shown), "%s", f->name);
            int status = wave_data(p->paths[i], shown, &p->data_offset[i], &sizes[i]);
            if (status)
                return status;
        }
    }
    if (cdsheet_resolve(&p->sheet, sizes, &err))
        return fail(RB_SYNTAX, "%s:%d: %s", p->shown, err.line, err.message);
    for (int i = 0; i < p->sheet.track_count; i++)
        if (p->sheet.files[p->sheet.tracks[i].file].type == CDSHEET_FILE_WAVE &&
            p->sheet.tracks[i].mode != CDSHEET_AUDIO)
            return fail(RB_SYNTAX, "%s:%d: a WAVE file can only hold AUDIO tracks", p->shown, p->sheet.tracks[i].line);
    return load_cue_cdtext(p, text, len);
}

/* A CDTEXTFILE: 18-byte packs, optionally after a 4-byte READ TOC header
 * (as cdrecord accepts), or with one trailing byte (as libcdio accepts). */
static int load_cdtext_file(struct image_plan *p)
{
    enum { MAX_BYTES = 4 + CDTEXT_BLOCKS * CDTEXT_BLOCK_PACKS * CDTEXT_PACK_SIZE + 1 };
    const char *name = p->sheet.cdtext_file;
    WCHAR path[MAX_PATH], *wname = utf8_to_wide(name);
    uint8_t *bytes = malloc(MAX_BYTES);
    DWORD got = 0;
    int status = RB_OK;
    if (!wname || !bytes) {
        HeapFree(GetProcessHeap(), 0, wname);
        free(bytes);
        return fail(RB_INTERNAL, "out of memory");
    }
    swprintf(path, MAX_PATH, L"%ls%ls", p->dir, wname);
    HeapFree(GetProcessHeap(), 0, wname);
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE || !ReadFile(h, bytes, MAX_BYTES, &got, NULL) || got == MAX_BYTES)
        status = fail(RB_FILE, "%s: CDTEXTFILE %s cannot be read (or is too large)", p->shown, name);
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    size_t skip = got % CDTEXT_PACK_SIZE == 4 ? 4 : 0, count = (got - skip) / CDTEXT_PACK_SIZE;
    struct cdtext *decoded = NULL;
    struct cdtext_size_info si;
    int rc = status ? CDTEXT_OK : cdtext_decode(bytes + skip, count, &decoded, &si);
    if (!status && rc != CDTEXT_OK)
        status = fail(RB_SYNTAX, "%s: CDTEXTFILE %s: %s", p->shown, name, cdtext_strerror(rc));
    for (int b = 1; !status && b < CDTEXT_BLOCKS; b++)
        if (si.last_sequence[b])
            note("%s: CDTEXTFILE %s: block %d (language code %u) is read, but only block 0 (language code %u) is "
                 "written", p->shown, name, b, si.language[b], si.language[0]);
    free(bytes);
    if (!status) {
        cdtext_free(p->cdtext);
        p->cdtext = decoded;
    }
    return status;
}

/* The cue's CD-Text: its CDTEXTFILE, then its text lines on top. */
static int load_cue_cdtext(struct image_plan *p, const char *text, size_t len)
{
    struct cdsheet_error err;
    int status;
    if (cdtext_create(&p->cdtext) != CDTEXT_OK)
        return fail(RB_INTERNAL, "out of memory");
    if (p->sheet.cdtext_file[0] && (status = load_cdtext_file(p)))
        return status;
    if (cue_cdtext(text, len, p->cdtext, &err))
        return fail(RB_SYNTAX, "%s:%d: %s", p->shown, err.line, err.message);
    if (cdtext_is_empty(p->cdtext)) {
        cdtext_free(p->cdtext);
        p->cdtext = NULL;
    }
    return RB_OK;
}

static int load_ccd(struct image_plan *p, const char *text, size_t len)
{
    struct cdsheet_error err;
    uint64_t size = 0, need;
    if (ccd_parse(text, len, &p->sheet, &err))
        return fail(RB_SYNTAX, "%s:%d: %s", p->shown, err.line, err.message);
    /* base.img and base.sub beside the .ccd */
    size_t n = wcslen(p->path);
    wcsncpy(p->paths[0], p->path, MAX_PATH - 1);
    wcsncpy(p->sub_path, p->path, MAX_PATH - 1);
    if (n > 4) {
        wcscpy(p->paths[0] + n - 4, L".img");
        wcscpy(p->sub_path + n - 4, L".sub");
    }
    if (file_size_of(p->paths[0], &size))
        return fail(RB_FILE, "%s: the image file %ls is missing", p->shown, p->paths[0]);
    need = (uint64_t)p->sheet.leadout_lba * CD_SECTOR_SIZE;
    if (size < need)
        return fail(RB_SYNTAX, "%s: the .img has %lu sectors, the TOC needs %ld up to the lead-out", p->shown,
                    (unsigned long)(size / CD_SECTOR_SIZE), (long)p->sheet.leadout_lba);
    p->have_sub = !file_size_of(p->sub_path, &size);
    if (p->have_sub && size < (uint64_t)p->sheet.leadout_lba * CD_SUBCODE_RAW)
        return fail(RB_SYNTAX, "%s: the .sub has %lu sectors of sub-channel, the TOC needs %ld", p->shown,
                    (unsigned long)(size / CD_SUBCODE_RAW), (long)p->sheet.leadout_lba);
    if (!p->have_sub)
        note("%s: no .sub file: the sub-channel is generated from the TOC%s (no ISRC)", p->shown,
             p->sheet.catalog[0] ? " and CATALOG" : "");
    return RB_OK;
}

/* A raw DAO image: 2448 or 2368 bytes a sector, first sector at 95:00:00. */
static int load_raw(struct image_plan *p)
{
    uint64_t size;
    if (file_size_of(p->path, &size))
        return fail(RB_FILE, "cannot find %s", p->shown);
    bool pw = size && size % CD_SECTOR_RAW_PW == 0, pq = size && size % CD_SECTOR_RAW_PQ == 0;
    int want = opt.sector_type;
    if (want == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY ? !pq : want ? !pw : !pw && !pq)
        return fail(RB_SECTOR, "%s: %lu bytes is not a whole number of %s sectors", p->shown, (unsigned long)size,
                    want == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY ? "2368-byte"
                    : want                                    ? "2448-byte"
                                                              : "2448- or 2368-byte");
    if (!want && pw && pq)
        return fail(RB_SECTOR, "%s: the size fits both 2448- and 2368-byte sectors: say which with --sector-type",
                    p->shown);
    p->raw_layout = want ? want : pw ? IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW : IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY;
    p->raw_size = size;
    return raw_read_toc(p);
}

/* The one change every layout makes to a sheet: the Red Book's 2 seconds
 * before track 1. */
static void note_first_pregap(const struct image_plan *p)
{
    const struct cdsheet_track *t1 = &p->sheet.tracks[0];
    long gap = (long)(t1->pregap + t1->file_pregap);
    if (gap == 0)
        note("%s: track %d: 2 s of silence (150 sectors, LBA -150 to -1) come before its INDEX 01: the Red Book "
             "requires this pregap on every disc", p->shown, t1->number);
    else if (gap < CD_PREGAP_SECTORS)
        note("%s: track %d: its %ld-sector pregap is lengthened to the 2 s (150 sectors) the Red Book requires, "
             "with silence before it", p->shown, t1->number, gap);
}

/* WAV files (one audio track each, 2 s apart, as cdrecord lays them out)
 * or one 2048-byte-sector image such as an ISO 9660 file system (one Mode 1
 * track): the cue sheet they stand for, with full paths. */
static int files_to_cue(int n, const char *const *names, struct image_plan *p, char **text, size_t *len)
{
    bool iso = ends_with(names[0], ".iso");
    size_t size = 64 + (size_t)n * (MAX_PATH * 3 + 96);
    char *cue = malloc(size), *at = cue;
    if (!cue)
        return fail(RB_INTERNAL, "out of memory");
    for (int i = 0; i < n; i++) {
        WCHAR *w = utf8_to_wide(names[i]), full[MAX_PATH];
        char u8[MAX_PATH * 3];
        uint64_t bytes = 0;
        bool ok = w && GetFullPathNameW(w, MAX_PATH, full, NULL);
        HeapFree(GetProcessHeap(), 0, w);
        if (ends_with(names[i], ".iso") != iso || (iso && n > 1)) {
            free(cue);
            return fail(RB_USAGE, "burn either WAV files or one .iso image; for a disc with both, write a cue sheet "
                                  "(see rawburn show)");
        }
        if (!ok || file_size_of(full, &bytes)) {
            free(cue);
            return fail(RB_FILE, "cannot open %s", names[i]);
        }
        if (strchr(names[i], '"')) {
            free(cue);
            return fail(RB_USAGE, "%s: a name with a double quote cannot go into a cue sheet: rename the file",
                        names[i]);
        }
        if (iso && (!bytes || bytes % CD_MODE1_USER_BYTES)) {
            free(cue);
            return fail(RB_SECTOR, "%s: %llu bytes is not a whole number of 2048-byte sectors: not an ISO 9660 "
                                   "image", names[i], (unsigned long long)bytes);
        }
        wide_to_utf8(full, u8, sizeof(u8));
        at += sprintf(at, "FILE \"%s\" %s\n  TRACK %02d %s\n%s    INDEX 01 00:00:00\n", u8,
                      iso ? "BINARY" : "WAVE", i + 1, iso ? "MODE1/2048" : "AUDIO", i ? "    PREGAP 00:02:00\n" : "");
    }
    snprintf(p->shown, sizeof(p->shown), "%s%s", names[0], n > 1 ? " ..." : "");
    *text = cue;
    *len = (size_t)(at - cue);
    return RB_OK;
}

int image_plan_load(const char *path, struct image_plan **out)
{
    struct image_plan *p = calloc(1, sizeof(*p));
    WCHAR *w = utf8_to_wide(path);
    char *text = NULL;
    size_t len = 0;
    int status = RB_OK;
    *out = NULL;
    if (!p || !w || !GetFullPathNameW(w, MAX_PATH, p->path, NULL)) {
        free(p);
        HeapFree(GetProcessHeap(), 0, w);
        return fail(RB_INTERNAL, "out of memory");
    }
    HeapFree(GetProcessHeap(), 0, w);
    snprintf(p->shown, sizeof(p->shown), "%s", path);
    dir_of(p->path, p->dir, MAX_PATH);
    if (ends_with(path, ".wav") || ends_with(path, ".iso")) {
        const char *const *names = opt.input_count > 1 ? opt.inputs : &path;
        p->kind = PLAN_CUE;
        if (!(status = files_to_cue(opt.input_count > 1 ? opt.input_count : 1, names, p, &text, &len)))
            status = load_cue(p, text, len);
        free(text);
    } else if (ends_with(path, ".cue") || ends_with(path, ".ccd")) {
        p->kind = ends_with(path, ".cue") ? PLAN_CUE : PLAN_CCD;
        if (!(status = read_text(p->path, p->shown, &text, &len)))
            status = p->kind == PLAN_CUE ? load_cue(p, text, len) : load_ccd(p, text, len);
        free(text);
    } else {
        p->kind = PLAN_RAW;
        status = load_raw(p);
    }
    for (int i = 0; !status && i < p->sheet.note_count; i++)
        note("%s:%d: %s", p->shown, p->sheet.notes[i].line, p->sheet.notes[i].text);
    for (int i = 0; !status && p->kind == PLAN_CUE && i < p->sheet.track_count; i++) {
        const struct cdsheet_track *t = &p->sheet.tracks[i];
        /* Red Book: 4 s at least, whoever lays the disc out (track-at-once:
         * the writer pads a short track with silence, as documented) */
        if (!opt.tao && t->sectors + t->postgap < CD_MIN_TRACK_SECTORS)
            status = fail(RB_SYNTAX, "%s:%d: track %d is %ld sectors long; a track needs at least 4 seconds (300 "
                                     "sectors)", p->shown, t->line, t->number, (long)(t->sectors + t->postgap));
    }
    if (!status && p->kind == PLAN_CUE)
        note_first_pregap(p);
    if (status) {
        image_plan_free(p);
        return status;
    }
    *out = p;
    return RB_OK;
}

int image_plan_layout(const struct image_plan *p)
{
    return p->kind == PLAN_RAW ? p->raw_layout : 0;
}

void image_plan_free(struct image_plan *p)
{
    if (p)
        cdtext_free(p->cdtext);
    free(p);
}

/* ----------------------------------------------------------- building */

static int build_raw(struct image_plan *p, struct image *img)
{
    struct piece_stream *ps = pieces_new();
    if (!ps || !pieces_add_file(ps, p->path, 0, p->raw_size)) {
        pieces_free(ps);
        return fail(RB_FILE, "cannot open %s", p->shown);
    }
    if (FAILED(pieces_finish(ps, &img->stream)))
        return fail(RB_INTERNAL, "out of memory");
    img->layout = p->raw_layout;
    img->sector_size = (uint32_t)cd_raw_sector_size(p->raw_layout);
    img->sectors = (int64_t)(p->raw_size / img->sector_size);
    img->track_count = p->raw_tracks;
    memcpy(img->tracks, p->raw_track, sizeof(img->tracks));
    img->leadout_lba = p->raw_leadout;
    snprintf(img->kind, sizeof(img->kind), "raw DAO");
    return RB_OK;
}

/* Whether IMAPI2's image creator would lay an audio sheet out exactly as
 * written: its 2-second gaps (every later track has PREGAP 00:02:00 and no
 * INDEX 00 in the file) or, gapless, every later track with exactly 150
 * INDEX 00 sectors in the file. Anything else is laid out by rawburn. */
bool cue_creator_exact(const struct cdsheet *s)
{
    const struct cdsheet_track *t1 = &s->tracks[0];
    bool gaps = true, gapless = true;
    if (t1->file_pregap || (t1->pregap && t1->pregap != CD_PREGAP_SECTORS))
        return false;
    for (int i = 0; i < s->track_count; i++) {
        const struct cdsheet_track *t = &s->tracks[i];
        if (t->mode != CDSHEET_AUDIO || t->postgap)
            return false;
        if (i) {
            gaps = gaps && t->pregap == CD_PREGAP_SECTORS && !t->file_pregap;
            gapless = gapless && !t->pregap && t->file_pregap == CD_PREGAP_SECTORS;
        }
    }
    return gaps || gapless;
}

/* IMAPI2's image creator takes audio only, and refuses a catalog number
 * without a valid EAN-13 check digit (as documented): such sheets are laid
 * out by rawburn, exactly as written. */
bool image_plan_creator(const struct image_plan *p)
{
    if (p->kind != PLAN_CUE)
        return false;
    for (int i = 0; i < p->sheet.track_count; i++)
        if (p->sheet.tracks[i].mode != CDSHEET_AUDIO)
            return false;
    if (p->sheet.catalog[0] && p->sheet.catalog[12] != cd_mcn_check_digit(p->sheet.catalog))
        return false;
    return opt.imapi_gaps || cue_creator_exact(&p->sheet);
}

int image_build(struct image_plan *p, int layout, struct image *img)
{
    memset(img, 0, sizeof(*img));
    switch (p->kind) {
    case PLAN_RAW: return build_raw(p, img);
    case PLAN_CCD: return ccd_build(p, layout, img);
    default:
        if (!image_plan_creator(p)) {
            /* IMAPI2's image creator takes audio only and has two gap
             * layouts; everything else is laid out exactly as written. */
            int status = cue_gen_build(p, layout, img);
            img->follows_sheet = true;
            return status;
        }
        if (!opt.imapi_gaps || cue_creator_exact(&p->sheet))
            img->follows_sheet = true;
        bool exact = img->follows_sheet;
        int status = cue_build(p, layout, img);
        img->follows_sheet = exact;
        return status;
    }
}

void image_free(struct image *img)
{
    if (img->stream)
        IStream_Release(img->stream);
    memset(img, 0, sizeof(*img));
}

int image_track_at(const struct image *img, int32_t lba)
{
    if (lba >= img->leadout_lba)
        return -1;
    for (int i = img->track_count - 1; i >= 0; i--)
        if (lba >= img->tracks[i].start_lba)
            return img->tracks[i].number;
    return 0;
}

/* ------------------------------------------------- raw image: its TOC */

/* Reads lead-in Q frames until A0, A1, A2 and every track start are
 * known; the TOC is what the progress display and verify need. */
int raw_read_toc(struct image_plan *p)
{
    struct piece_stream *ps = pieces_new();
    uint32_t size = (uint32_t)cd_raw_sector_size(p->raw_layout);
    uint8_t sector[CD_SECTOR_RAW_PW];
    int first = 0, last = 0;
    int32_t starts[100] = { 0 };
    uint8_t control[100] = { 0 };
    bool have[100] = { false };
    p->raw_leadout = -1;
    if (!ps || !pieces_add_file(ps, p->path, 0, p->raw_size)) {
        pieces_free(ps);
        return fail(RB_FILE, "cannot open %s", p->shown);
    }
    for (int64_t i = 0; i < 22500 && (uint64_t)(i + 1) * size <= p->raw_size; i++) {
        uint8_t q[CD_SUBQ_LEN];
        struct cd_subq d;
        bool pflag;
        if (FAILED(pieces_read(ps, (uint64_t)i * size, sector, size)))
            break;
        if (!cd_subcode_get_q(p->raw_layout, sector + CD_SECTOR_SIZE, q, &pflag) || !cd_subq_decode(q, &d) ||
            d.adr != 1 || d.tno != 0)
            continue;
        int32_t lba = cd_msf_to_lba((struct cd_msf){ d.amin, d.asec, d.aframe });
        if (d.index_or_point == 0xA0)
            first = d.amin;
        else if (d.index_or_point == 0xA1)
            last = d.amin;
        else if (d.index_or_point == 0xA2)
            p->raw_leadout = lba;
        else if (d.index_or_point >= 1 && d.index_or_point <= 99 && !have[d.index_or_point]) {
            have[d.index_or_point] = true;
            starts[d.index_or_point] = lba;
            control[d.index_or_point] = d.control;
        }
        if (first && last >= first && p->raw_leadout >= 0) {
            bool all = true;
            for (int t = first; t <= last; t++)
                all = all && have[t];
            if (all)
                break;
        }
    }
    pieces_free(ps);
    if (!first || last < first || p->raw_leadout < 0)
        return fail(RB_SYNTAX, "%s: no table of contents in the lead-in sub-channel: is this a raw DAO image "
                               "starting at 95:00:00?", p->shown);
    for (int t = first; t <= last; t++) {
        if (!have[t])
            return fail(RB_SYNTAX, "%s: the lead-in has no TOC entry for track %d", p->shown, t);
        p->raw_track[p->raw_tracks].number = t;
        p->raw_track[p->raw_tracks].start_lba = starts[t];
        p->raw_track[p->raw_tracks].data = (control[t] & 4) != 0;
        p->raw_tracks++;
    }
    int64_t need = (int64_t)p->raw_leadout - CD_RAW_IMAGE_START_LBA + CD_FIRST_LEADOUT_SECTORS;
    if ((int64_t)(p->raw_size / size) < need)
        return fail(RB_SYNTAX, "%s: the image ends before its lead-out does (%ld sectors, %ld needed)", p->shown,
                    (long)(p->raw_size / size), (long)need);
    return RB_OK;
}
