/* rawburn demo DIR: everything without hardware. A virtual 80-minute CD-R
 * recorder, a small mixed-mode sample disc (a Mode 1 data track holding a
 * tiny ISO 9660 file system, then two audio tracks of generated tones with
 * ISRCs, a catalog number and an extra index) written as a cue sheet, the
 * burn with progress, a verify, and an export of the virtual disc as
 * .cue/.bin and CloneCD for other tools (tools/demo runs cd-info on it).
 *
 * The export reads the virtual recorder's media file with libs/vrec's
 * vrec_export_cue_bin / vrec_export_clonecd: the documented exception to
 * "COM only" (see rawburn.h); it is what a user does with a virtual disc. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "rawburn.h"
#include "vrec/vrec.h"

#define DEMO_RECORDER "rawburn-demo"
#define RATE 44100
#define FRAMES_PER_SECTOR (CD_SECTOR_SIZE / 4) /* stereo 16-bit sample frames */
#define ISO_SECTORS 300

/* ------------------------------------------------------- ISO 9660 */

static void both16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static void both32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
        p[7 - i] = (uint8_t)(v >> (8 * i));
    }
}

static void padded(uint8_t *p, const char *s, size_t n)
{
    memset(p, ' ', n);
    memcpy(p, s, strlen(s) < n ? strlen(s) : n);
}

/* A directory record; returns its length. */
static size_t dir_record(uint8_t *p, uint32_t extent, uint32_t size, bool dir, const char *name, size_t name_len)
{
    size_t len = 33 + name_len + ((33 + name_len) & 1);
    memset(p, 0, len);
    p[0] = (uint8_t)len;
    both32(p + 2, extent);
    both32(p + 10, size);
    p[18] = 125; p[19] = 1; p[20] = 1; /* 2025-01-01 */
    p[25] = dir ? 2 : 0;
    both16(p + 28, 1);
    p[32] = (uint8_t)name_len;
    memcpy(p + 33, name, name_len);
    return len;
}

/* PVD at 16, terminator at 17, path tables at 18 (L) and 19 (M), the
 * root directory at 20, README.TXT at 21. */
static void make_iso(uint8_t *iso, const char *readme)
{
    uint8_t *pvd = iso + 16 * 2048, *root = iso + 20 * 2048;
    memset(iso, 0, (size_t)ISO_SECTORS * 2048);
    pvd[0] = 1;
    memcpy(pvd + 1, "CD001", 5);
    pvd[6] = 1;
    padded(pvd + 8, "", 32);
    padded(pvd + 40, "RAWBURN_DEMO", 32);
    both32(pvd + 80, ISO_SECTORS);
    both16(pvd + 120, 1);
    both16(pvd + 124, 1);
    both16(pvd + 128, 2048);
    both32(pvd + 132, 10);
    pvd[140] = 18;                    /* L path table, little-endian 32 */
    pvd[151] = 19;                    /* M path table, big-endian 32 */
    dir_record(pvd + 156, 20, 2048, true, "\0", 1);
    padded(pvd + 190, "", 128);
    padded(pvd + 318, "IMAPI2-OPEN", 128);
    padded(pvd + 446, "RAWBURN", 128);
    padded(pvd + 574, "", 128);
    padded(pvd + 702, "", 37 * 3);
    for (int d = 0; d < 4; d++)
        memset(pvd + 813 + d * 17, '0', 16);
    pvd[881] = 1;
    uint8_t *term = iso + 17 * 2048;
    term[0] = 255;
    memcpy(term + 1, "CD001", 5);
    term[6] = 1;
    uint8_t *l = iso + 18 * 2048, *m = iso + 19 * 2048;
    l[0] = m[0] = 1;
    l[2] = 20; m[5] = 20;
    l[6] = 1; m[7] = 1;
    size_t at = dir_record(root, 20, 2048, true, "\0", 1);
    at += dir_record(root + at, 20, 2048, true, "\1", 1);
    dir_record(root + at, 21, (uint32_t)strlen(readme), false, "README.TXT;1", 12);
    memcpy(iso + 21 * 2048, readme, strlen(readme));
}

/* ------------------------------------------------------------ audio */

/* Tones in 16-bit stereo: freq_l / freq_r in Hz with a short fade in and
 * out so the tracks do not click. */
static void tone(uint8_t *out, long frames, double freq_l, double freq_r, long offset)
{
    for (long i = 0; i < frames; i++) {
        double t = (double)(i + offset) / RATE, fade = 1.0;
        if (i < RATE / 20)
            fade = (double)i / (RATE / 20);
        if (frames - i < RATE / 20)
            fade = (double)(frames - i) / (RATE / 20);
        int16_t l = (int16_t)(sin(2 * 3.14159265358979 * freq_l * t) * 9000 * fade);
        int16_t r = (int16_t)(sin(2 * 3.14159265358979 * freq_r * t) * 9000 * fade);
        out[i * 4] = (uint8_t)l; out[i * 4 + 1] = (uint8_t)((uint16_t)l >> 8);
        out[i * 4 + 2] = (uint8_t)r; out[i * 4 + 3] = (uint8_t)((uint16_t)r >> 8);
    }
}

static bool write_file(const WCHAR *path, const void *data, size_t len)
{
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD done = 0;
    bool ok = h != INVALID_HANDLE_VALUE && WriteFile(h, data, (DWORD)len, &done, NULL) && done == len;
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    return ok;
}

static const char demo_cue[] =
    "REM rawburn demo disc: a data track, then two audio tracks\n"
    "CATALOG 0000000000017\n"
    "TITLE \"rawburn demo\"\n"
    "FILE \"demo-data.iso\" BINARY\n"
    "  TRACK 01 MODE1/2048\n"
    "    INDEX 01 00:00:00\n"
    "FILE \"demo-audio.bin\" BINARY\n"
    "  TRACK 02 AUDIO\n"
    "    TITLE \"A and E\"\n"
    "    ISRC ZZRBN2500001\n"
    "    PREGAP 00:02:00\n"
    "    INDEX 01 00:00:00\n"
    "  TRACK 03 AUDIO\n"
    "    TITLE \"C major\"\n"
    "    ISRC ZZRBN2500002\n"
    "    FLAGS DCP\n"
    "    PREGAP 00:02:00\n"
    "    INDEX 01 00:06:00\n"
    "    INDEX 02 00:09:00\n";

/* Track 2: 6 s of A4 / E5, track 3: 7 s of C5 / G5. */
static bool make_samples(const WCHAR *dir)
{
    static const char readme[] = "This disc was burnt by rawburn through IMAPI2 on a virtual recorder.\r\n";
    long t2 = 6L * CD_FRAMES_PER_SECOND * FRAMES_PER_SECTOR, t3 = 7L * CD_FRAMES_PER_SECOND * FRAMES_PER_SECTOR;
    uint8_t *iso = malloc((size_t)ISO_SECTORS * 2048), *audio = malloc((size_t)(t2 + t3) * 4);
    WCHAR path[MAX_PATH];
    bool ok = iso && audio;
    if (ok) {
        make_iso(iso, readme);
        tone(audio, t2, 440.0, 659.25, 0);
        tone(audio + t2 * 4, t3, 523.25, 783.99, 0);
        swprintf(path, MAX_PATH, L"%ls\\demo-data.iso", dir);
        ok = write_file(path, iso, (size_t)ISO_SECTORS * 2048);
        swprintf(path, MAX_PATH, L"%ls\\demo-audio.bin", dir);
        ok = ok && write_file(path, audio, (size_t)(t2 + t3) * 4);
        swprintf(path, MAX_PATH, L"%ls\\demo.cue", dir);
        ok = ok && write_file(path, demo_cue, strlen(demo_cue));
    }
    free(iso);
    free(audio);
    return ok;
}

static bool ansi_path(const WCHAR *w, char *out, size_t size)
{
    return WideCharToMultiByte(CP_ACP, 0, w, -1, out, (int)size, NULL, NULL) > 0;
}

static int export_disc(const WCHAR *dir, const WCHAR *media)
{
    WCHAR base[MAX_PATH];
    char a_media[MAX_PATH * 2], a_base[MAX_PATH * 2], shown[MAX_PATH * 3];
    swprintf(base, MAX_PATH, L"%ls\\demo-export", dir);
    if (!ansi_path(media, a_media, sizeof(a_media)) || !ansi_path(base, a_base, sizeof(a_base)))
        return fail(RB_FILE, "the demo folder's path cannot be used by the exporter");
    int rc = vrec_export_cue_bin(a_media, a_base);
    if (!rc)
        rc = vrec_export_clonecd(a_media, a_base);
    if (rc)
        return fail(rc == -1 ? RB_MEDIA : RB_FILE, "exporting the virtual disc failed (%d)", rc);
    wide_to_utf8(base, shown, sizeof(shown));
    say("exported the virtual disc: %s.cue + .bin, and %s.ccd + .img + .sub\n", shown, shown);
    return RB_OK;
}

int cmd_demo(const char *dir_arg)
{
    WCHAR *w = utf8_to_wide(dir_arg), dir[MAX_PATH], media[MAX_PATH], cue[MAX_PATH];
    char media_u8[MAX_PATH * 3], cue_u8[MAX_PATH * 3];
    if (!w || !GetFullPathNameW(w, MAX_PATH, dir, NULL)) {
        HeapFree(GetProcessHeap(), 0, w);
        return fail(RB_USAGE, "bad folder '%s'", dir_arg);
    }
    HeapFree(GetProcessHeap(), 0, w);
    size_t n = wcslen(dir);
    if (n && (dir[n - 1] == L'\\' || dir[n - 1] == L'/'))
        dir[n - 1] = 0;
    if (!CreateDirectoryW(dir, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
        return fail(RB_FILE, "cannot create the folder %s", dir_arg);
    say("== 1. a sample disc: data track (ISO 9660) + two audio tracks with ISRCs, as a cue sheet\n");
    if (!make_samples(dir))
        return fail(RB_FILE, "cannot write the sample files in %s", dir_arg);
    swprintf(media, MAX_PATH, L"%ls\\demo-disc.media", dir);
    swprintf(cue, MAX_PATH, L"%ls\\demo.cue", dir);
    wide_to_utf8(media, media_u8, sizeof(media_u8));
    wide_to_utf8(cue, cue_u8, sizeof(cue_u8));
    say("== 2. a virtual recorder '%s' with a blank 80-minute CD-R\n", DEMO_RECORDER);
    int status = virtual_add(DEMO_RECORDER, "cdr80", media_u8, 40, false, true);
    if (status)
        return status;
    say("== 3. burn it (and verify it), as `rawburn burn --verify -d %s demo.cue` does\n", DEMO_RECORDER);
    opt.device = DEMO_RECORDER;
    opt.verify = true;
    if ((status = cmd_burn(cue_u8)))
        return status;
    say("== 4. export the burnt virtual disc\n");
    return export_disc(dir, media);
}
