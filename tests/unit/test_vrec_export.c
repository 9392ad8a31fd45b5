/* Virtual recorder export: CloneCD (.img/.sub/.ccd) and CUE/BIN of a closed
 * disc, compared byte for byte with the source, and read by cd-info and
 * bchunk when they are installed. */
#include "test_vrec_util.h"
#include "host_files.h"
#include "mmc/geometry.h"

static char path[256], base[256];

static long file_size(const char *name)
{
    FILE *f = fopen(name, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static void check_clonecd(void)
{
    char img[300], sub[300], ccd[300];
    snprintf(img, sizeof(img), "%s.img", base);
    snprintf(sub, sizeof(sub), "%s.sub", base);
    snprintf(ccd, sizeof(ccd), "%s.ccd", base);
    ok(vrec_export_clonecd(path, base) == 0, "CloneCD export\n");
    ok(file_size(img) == 2352L * T_LEADOUT && file_size(sub) == 96L * T_LEADOUT, "sizes %ld %ld\n", file_size(img),
       file_size(sub));
    FILE *fi = fopen(img, "rb"), *fs = fopen(sub, "rb");
    uint8_t m[CD_SECTOR_SIZE], want[CD_SECTOR_SIZE], s[96], ch[8][12];
    int same = fi && fs;
    for (int32_t lba = 0; same && lba < T_LEADOUT; lba++) {
        same = fread(m, 1, CD_SECTOR_SIZE, fi) == CD_SECTOR_SIZE && fread(s, 1, 96, fs) == 96;
        t_plain_main(lba, want);
        t_channels(lba, ch);
        same = same && memcmp(m, want, CD_SECTOR_SIZE) == 0 && memcmp(s, ch, 96) == 0;
        if (!same)
            ok(0, "sector %d differs\n", lba);
    }
    ok(same, ".img and .sub equal the source\n");
    if (fi)
        fclose(fi);
    if (fs)
        fclose(fs);
    const char *text = slurp(ccd);
    ok(text && strstr(text, "[CloneCD]\nVersion=3\n[Disc]\nTocEntries=5\nSessions=1\nDataTracksScrambled=0\n"),
       "ccd header\n%s", text ? text : "");
    ok(text && strstr(text, "[Entry 2]\nSession=1\nPoint=0xa2\nADR=0x01\nControl=0x00\nTrackNo=0\n"),
       "ccd A2 entry\n");
    ok(text && strstr(text, "PMin=0\nPSec=12\nPFrame=0\nPLBA=750\n"), "ccd lead-out at 750\n");
    ok(text && strstr(text, "[TRACK 1]\nMODE=1\nINDEX 1=0\n[TRACK 2]\nMODE=0\nINDEX 0=300\nINDEX 1=450\n"),
       "ccd tracks\n");
}

static void check_cue_bin(void)
{
    char bin[300], cue[300], cmd[1024];
    snprintf(bin, sizeof(bin), "%s.bin", base);
    snprintf(cue, sizeof(cue), "%s.cue", base);
    ok(vrec_export_cue_bin(path, base) == 0, "CUE/BIN export\n");
    ok(file_size(bin) == 2352L * T_LEADOUT, "bin size %ld\n", file_size(bin));
    const char *name = strrchr(base, '/') + 1;
    char want[512];
    snprintf(want, sizeof(want),
             "FILE \"%s.bin\" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n"
             "    INDEX 00 00:04:00\n    INDEX 01 00:06:00\n",
             name);
    const char *text = slurp(cue);
    ok(text && strcmp(text, want) == 0, "cue text:\n%s", text ? text : "");

    if (!tool_present("cd-info")) {
        skip("cd-info not installed\n");
    } else {
        snprintf(cmd, sizeof(cmd), "cd-info --no-header --no-device-info --no-cddb -q --cue-file %s > %s.cdinfo 2>&1",
                 cue, base);
        int rc = system(cmd);
        char out[300];
        snprintf(out, sizeof(out), "%s.cdinfo", base);
        text = slurp(out);
        ok(rc == 0 && text && strstr(text, "  1: 00:02:00  000000 data") && strstr(text, "  2: 00:08:00  000450 audio") &&
               strstr(text, "170: 00:12:00  000750 leadout"),
           "cd-info reads the cue (rc %d):\n%s", rc, text ? text : "");
    }
    if (!tool_present("bchunk")) {
        skip("bchunk not installed\n");
        return;
    }
    snprintf(cmd, sizeof(cmd), "cd /tmp && bchunk %s %s %s_chunk > /dev/null 2>&1", bin, cue, base);
    int rc = system(cmd);
    char iso[300];
    snprintf(iso, sizeof(iso), "%s_chunk01.iso", base);
    FILE *f = fopen(iso, "rb");
    uint8_t data[2048], plain[CD_SECTOR_SIZE];
    int same = rc == 0 && f != NULL;
    for (int32_t lba = 0; same && lba < T_TRACK2_PREGAP; lba++) {
        t_plain_main(lba, plain);
        same = fread(data, 1, 2048, f) == 2048 && memcmp(data, plain + 16, 2048) == 0;
    }
    ok(same, "bchunk's track 1 iso holds the user data (rc %d)\n", rc);
    if (f)
        fclose(f);
    remove(iso);
    snprintf(iso, sizeof(iso), "%s_chunk02.cdr", base);
    remove(iso);
}

int main(void)
{
    t_media_path(path, sizeof(path), "export");
    snprintf(base, sizeof(base), "/tmp/test_vrec_export_%ld", (long)getpid());
    t_media_remove(path);
    struct vrec_drive *d = t_open(path, VREC_MEDIA_CDR80, NULL, NULL);
    ok(vrec_export_clonecd(path, base) == -1, "blank disc cannot be exported\n");
    ok(t_burn_all(d, 3), "burn\n");
    vrec_close(d);
    check_clonecd();
    check_cue_bin();
    static const char *const exts[] = { ".img", ".sub", ".ccd", ".bin", ".cue", ".cdinfo" };
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        char name[300];
        snprintf(name, sizeof(name), "%s%s", base, exts[i]);
        remove(name);
    }
    t_media_remove(path);
    return okay_summary("vrec_export");
}
