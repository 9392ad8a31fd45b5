/* rawburn: command line, help with the exit-status table, messages, Ctrl+C. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rawburn.h"
#include "../common/version.h"

struct options opt = { .bufe = -1, .progress = PROGRESS_AUTO, .kind = "cdr80" };
volatile LONG cancel_requested;

static const char usage_text[] =
    "rawburn - raw Disc-At-Once CD burner over IMAPI2\n"
    "\n"
    "usage:\n"
    "  rawburn list                          recorders, their discs, write speeds and sector types\n"
    "  rawburn burn [options] IMAGE          burn IMAGE: a .cue sheet (+ .bin/.wav), a CloneCD .ccd\n"
    "                                        (+ .img/.sub), or a raw DAO-96 image (2448 or 2368 bytes a\n"
    "                                        sector from MSF 95:00:00, as IMAPI2 writes it)\n"
    "  rawburn burn [options] A.wav B.wav... an audio CD: one track a WAV file (44.1 kHz 16-bit stereo),\n"
    "                                        2 s between tracks (write a cue sheet for other gaps)\n"
    "  rawburn burn [options] DATA.iso       a data CD: one Mode 1 track of 2048-byte sectors\n"
    "  rawburn burn --tao [options] A.wav... audio track-at-once (WAV files or an audio .cue): one\n"
    "                                        track after the other, the drive's 2 s before each\n"
    "  rawburn show IMAGE                    the planned disc: tracks, indexes, pregaps, MCN, ISRC, CD-Text\n"
    "  rawburn verify [options] IMAGE        read the disc back and compare it with IMAGE\n"
    "  rawburn erase [--full] [-d REC]       blank a CD-RW (minimal by default)\n"
    "  rawburn image IMAGE OUT               write the raw DAO-96 stream rawburn would burn to OUT\n"
    "  rawburn eject [-d REC]                open the tray\n"
    "  rawburn virtual add NAME [options]    make a virtual recorder (no hardware needed)\n"
    "  rawburn virtual remove NAME [--keep-media]\n"
    "  rawburn virtual insert NAME [--kind K] put a fresh disc of kind K in it\n"
    "  rawburn virtual list\n"
    "  rawburn virtual export NAME BASE      its closed disc as BASE.cue + .bin and BASE.ccd + .img + .sub\n"
    "  rawburn demo DIR                      virtual 80-min CD-R, sample disc, burn, verify, export\n"
    "\n"
    "options:\n"
    "  -d, --device REC      recorder: its name from `rawburn list` (stable), a Linux device node\n"
    "                        (/dev/sr0; also dev=/dev/sr0), drive letter (E:), ID or number (numbers\n"
    "                        change when recorders come and go); may be left out with one recorder\n"
    "  -s, --speed N         write speed in x (1x = 75 sectors/s); default: fastest\n"
    "      --sector-type T   2448 (raw P-W, default), cooked (2448, de-interleaved P-W) or 2368 (P-Q)\n"
    "      --simulate        check the disc and read the whole image without writing (a dry run;\n"
    "                        needs a drive with Test Write, see below)\n"
    "      --bufe on|off     buffer underrun protection (default on)\n"
    "      --eject           open the tray when done\n"
    "      --verify          verify the disc after burning\n"
    "      --imapi-gaps      audio cue sheets: let IMAPI2's image creator lay the gaps out (2 s\n"
    "                        before every track) instead of following the sheet exactly\n"
    "      --tao             audio: write track-at-once, one track at a time (IMAPI2's TrackAtOnce\n"
    "                        writer); the drive puts 2 s before every track; the sheet's other gaps,\n"
    "                        indexes, CD-Text, ISRC and MCN are not written\n"
    "      --json            progress and results as JSON lines on stdout\n"
    "      --plain           plain progress lines even on a terminal\n"
    "  -q, --quiet           no progress\n"
    "      --full            erase: full blank instead of minimal\n"
    "virtual add options:\n"
    "      --kind K          cdr74 cdr80 (default) cdrw cdr-closed cdrw-written cdrom dvd\n"
    "                        cdr-protected dvd+r dvd-r bd-r none\n"
    "      --media PATH      media file (default: in %LOCALAPPDATA%\\imapi2-open\\virtual)\n"
    "      --speed N         maximum write speed in x   --buffer BYTES   drive buffer\n"
    "      --unthrottled     no simulated time          --faults FILE    fault script\n"
    "      --no-tao          a drive without the track-at-once write type\n"
    "      --vendor V --product P --revision R         --replace        replace an existing one\n"
    "\n"
    "Ctrl+C stops a burn cleanly (the disc is released and rawburn says what state it is in);\n"
    "a second Ctrl+C ends rawburn at once.\n"
    "IMAPI2's raw writer has no Test Write switch, so --simulate is a dry run on drives that\n"
    "can simulate, and refused (status 9) on those that cannot.\n"
    "\n"
    "exit status:\n"
    "   0  done\n"
    "   1  bad command line\n"
    "   2  an input file is missing or unreadable\n"
    "   3  bad cue/ccd sheet or image layout (the line is named)\n"
    "   4  the image does not fit on the disc\n"
    "   5  wrong sector size, or a sector type the recorder does not take\n"
    "   6  no such recorder, or no recorder at all\n"
    "   7  the recorder is in use by another program (its name is shown)\n"
    "   8  no disc, or the disc is not blank / not erasable / write-protected\n"
    "   9  the recorder cannot do this (raw DAO writing, simulation)\n"
    "  10  the write or erase failed on the drive\n"
    "  11  the disc differs from the image (the first difference is shown)\n"
    "  12  cancelled with Ctrl+C\n"
    "  13  virtual recorder configuration problem\n"
    "  14  IMAPI2 not registered or another internal error\n";

/* ------------------------------------------------------------ messages */

int fail(int status, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    fprintf(stderr, "rawburn: %s\n", text);
    fflush(stderr);
    if (progress_is_json()) {
        char quoted[2100], *q = quoted;
        for (const char *p = text; *p && q < quoted + sizeof(quoted) - 8; p++) {
            if (*p == '"' || *p == '\\')
                *q++ = '\\';
            if ((unsigned char)*p >= 0x20)
                *q++ = *p;
        }
        *q = 0;
        json_event("{\"event\":\"error\",\"status\":%d,\"message\":\"%s\"}", status, quoted);
    }
    return status;
}

void note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("note: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fflush(stderr);
}

void say(const char *fmt, ...)
{
    va_list ap;
    if (progress_is_json())
        return;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

/* IMAPI2's HRESULTs: the project's one table, so the text is the same
 * whichever imapi2.dll answered. */
static const struct {
    HRESULT hr;
    const char *text;
} imapi2_errors[] = {
#define IMAPI2_ERROR(name, value, text) { (HRESULT)(value), text },
#include "mmc/imapi2_errors.def"
#undef IMAPI2_ERROR
};

const char *hr_text(HRESULT hr)
{
    static char text[512];
    WCHAR *msg = NULL;
    char body[400] = "";
    for (size_t i = 0; i < ARRAYSIZE(imapi2_errors); i++)
        if (imapi2_errors[i].hr == hr) {
            snprintf(text, sizeof(text), "%s (0x%08lx)", imapi2_errors[i].text, (unsigned long)hr);
            return text;
        }
    if (FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_IGNORE_INSERTS,
                       NULL, (DWORD)hr, 0, (WCHAR *)&msg, 0, NULL) && msg) {
        wide_to_utf8(msg, body, sizeof(body));
        for (char *p = body + strlen(body); p > body && (p[-1] == '\n' || p[-1] == '\r' || p[-1] == ' '); p--)
            p[-1] = 0;
    }
    LocalFree(msg);
    if (body[0])
        snprintf(text, sizeof(text), "%s (0x%08lx)", body, (unsigned long)hr);
    else
        snprintf(text, sizeof(text), "error 0x%08lx", (unsigned long)hr);
    return text;
}

void wide_to_utf8(const WCHAR *w, char *out, size_t size)
{
    if (!WideCharToMultiByte(CP_UTF8, 0, w ? w : L"", -1, out, (int)size, NULL, NULL) && size)
        out[0] = 0;
}

WCHAR *utf8_to_wide(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    WCHAR *w = n > 0 ? HeapAlloc(GetProcessHeap(), 0, (size_t)n * sizeof(WCHAR)) : NULL;
    if (w)
        MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
    return w;
}

/* ------------------------------------------------------------- Ctrl+C */

/* What a stop at this moment leaves behind, for the message of a hard
 * stop; set by the command that runs. */
static char stop_state[300] = "nothing was written to any disc";
static volatile LONG stop_cleanly;

void set_stop_state(bool cleanly, const char *fmt, ...)
{
    char text[sizeof(stop_state)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    memcpy(stop_state, text, sizeof(text));
    InterlockedExchange(&stop_cleanly, cleanly);
}

/* Runs on a thread of its own. While an operation that stops cleanly runs
 * (a burn: CancelWrite from its Update handler), the first press only
 * raises the flag. Otherwise, and on a second press, rawburn ends here
 * with RB_CANCELLED and says what state the disc is left in: Windows'
 * default handling would end it with a status that looks like success
 * under Wine. */
static BOOL WINAPI on_console_ctrl(DWORD type)
{
    if (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT)
        return FALSE;
    bool first = InterlockedExchange(&cancel_requested, 1) == 0;
    if (first && InterlockedCompareExchange(&stop_cleanly, 0, 0))
        return TRUE;
    char line[sizeof(stop_state) + 80];
    DWORD written;
    int n = snprintf(line, sizeof(line), "\nrawburn: %s: %s\n",
                     first ? "interrupted by Ctrl+C" : "stopped at once by a second Ctrl+C", stop_state);
    WriteFile(GetStdHandle(STD_ERROR_HANDLE), line, n > 0 ? (DWORD)n : 0, &written, NULL);
    ExitProcess(RB_CANCELLED);
}

bool cancel_pending(void)
{
    return InterlockedCompareExchange(&cancel_requested, 0, 0) != 0;
}

/* ------------------------------------------------------------ options */

static int parse_sector_type(const char *v)
{
    if (!strcmp(v, "2448") || !strcmp(v, "raw"))
        return IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW;
    if (!strcmp(v, "cooked"))
        return IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED;
    if (!strcmp(v, "2368") || !strcmp(v, "pq"))
        return IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY;
    return -1;
}

static bool parse_int(const char *v, long lo, long hi, long *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi)
        return false;
    *out = n;
    return true;
}

static bool want_help;

/* `rawburn CMD --help`: CMD's lines of the usage text (with their
 * continuation lines), then the options that apply to it. */
static void help_for(const char *cmd)
{
    char prefix[64];
    bool in_cmd = false, any = false;
    snprintf(prefix, sizeof(prefix), "  rawburn %s", cmd);
    for (const char *line = usage_text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        bool continuation = len > 40 && !strncmp(line, "                                        ", 40);
        if (!strncmp(line, prefix, strlen(prefix)) && (line[strlen(prefix)] == ' ' || line[strlen(prefix)] == '\n'))
            in_cmd = any = true;
        else if (!continuation)
            in_cmd = false;
        if (in_cmd)
            fwrite(line, 1, len, stdout);
        line += len;
    }
    if (!any) {
        fputs(usage_text, stdout);
        return;
    }
    const char *opts = strstr(usage_text, "\noptions:\n"), *vopts = strstr(usage_text, "virtual add options:\n");
    const char *stop = strstr(usage_text, "\nCtrl+C");
    if (!strcmp(cmd, "virtual"))
        fwrite(vopts, 1, (size_t)(stop - vopts), stdout);
    else if (strcmp(cmd, "list") && strcmp(cmd, "show"))
        fwrite(opts, 1, (size_t)(vopts - opts), stdout);
    puts("\nExit statuses and every option: rawburn --help; the manual: docs/rawburn.1");
}

/* Takes the options out of argv (any position); the rest stays in order.
 * Returns RB_OK or RB_USAGE. */
static int parse_options(int *argc, char **argv)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < *argc ? argv[i + 1] : NULL;
        long n;
#define NEEDS_VALUE()                                                     \
    do {                                                                  \
        if (!v)                                                           \
            return fail(RB_USAGE, "%s needs a value (see --help)", a);    \
        i++;                                                              \
    } while (0)
        if (!strncmp(a, "dev=", 4)) {
            /* cdrecord's spelling: dev=/dev/sr0 */
            if (!a[4])
                return fail(RB_USAGE, "dev= needs a recorder (dev=/dev/sr0, see rawburn list)");
            opt.device = a + 4;
        } else if (a[0] != '-' || !a[1]) {
            argv[out++] = argv[i];
        } else if (!strcmp(a, "-d") || !strcmp(a, "--device")) {
            NEEDS_VALUE();
            opt.device = v;
        } else if (!strcmp(a, "-s") || !strcmp(a, "--speed")) {
            NEEDS_VALUE();
            if (!strcmp(v, "max"))
                n = 0;
            else if (!parse_int(v, 1, 200, &n))
                return fail(RB_USAGE, "bad speed '%s': a number of x (1 to 200) or max", v);
            opt.speed_x = opt.vspeed = (int)n;
        } else if (!strcmp(a, "--sector-type")) {
            NEEDS_VALUE();
            if ((opt.sector_type = parse_sector_type(v)) < 0)
                return fail(RB_USAGE, "bad sector type '%s': 2448, cooked or 2368", v);
        } else if (!strcmp(a, "--simulate") || !strcmp(a, "--dummy")) {
            opt.simulate = true;
        } else if (!strcmp(a, "--bufe")) {
            NEEDS_VALUE();
            if (strcmp(v, "on") && strcmp(v, "off"))
                return fail(RB_USAGE, "--bufe takes on or off");
            opt.bufe = !strcmp(v, "on");
        } else if (!strcmp(a, "--no-bufe")) {
            opt.bufe = 0;
        } else if (!strcmp(a, "--imapi-gaps")) {
            opt.imapi_gaps = true;
        } else if (!strcmp(a, "--tao")) {
            opt.tao = true;
        } else if (!strcmp(a, "--eject")) {
            opt.eject = true;
        } else if (!strcmp(a, "--verify")) {
            opt.verify = true;
        } else if (!strcmp(a, "--json")) {
            opt.progress = PROGRESS_JSON;
        } else if (!strcmp(a, "--plain")) {
            opt.progress = PROGRESS_PLAIN;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            opt.progress = PROGRESS_NONE;
        } else if (!strcmp(a, "--full")) {
            opt.full_erase = true;
        } else if (!strcmp(a, "--kind")) {
            NEEDS_VALUE();
            opt.kind = v;
        } else if (!strcmp(a, "--media")) {
            NEEDS_VALUE();
            opt.media_path = v;
        } else if (!strcmp(a, "--buffer")) {
            NEEDS_VALUE();
            if (!parse_int(v, 65536, 1L << 30, &n))
                return fail(RB_USAGE, "bad buffer size '%s' (65536 to 1073741824 bytes)", v);
            opt.buffer_bytes = n;
        } else if (!strcmp(a, "--unthrottled")) {
            opt.unthrottled = true;
        } else if (!strcmp(a, "--no-tao")) {
            opt.no_tao = true;
        } else if (!strcmp(a, "--replace")) {
            opt.replace = true;
        } else if (!strcmp(a, "--keep-media")) {
            opt.keep_media = true;
        } else if (!strcmp(a, "--faults")) {
            NEEDS_VALUE();
            opt.fault_file = v;
        } else if (!strcmp(a, "--vendor")) {
            NEEDS_VALUE();
            opt.vendor = v;
        } else if (!strcmp(a, "--product")) {
            NEEDS_VALUE();
            opt.product = v;
        } else if (!strcmp(a, "--revision")) {
            NEEDS_VALUE();
            opt.revision = v;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            want_help = true;
        } else if (!strcmp(a, "--version")) {
            puts("rawburn " IMAPI2_VERSION_STRING " (imapi2-open)");
            exit(RB_OK);
        } else {
            return fail(RB_USAGE, "unknown option %s (see --help)", a);
        }
#undef NEEDS_VALUE
    }
    *argc = out;
    argv[out] = NULL;
    return RB_OK;
}

static int need_args(int argc, int want, const char *usage)
{
    if (argc != want)
        return fail(RB_USAGE, "usage: rawburn %s", usage);
    return RB_OK;
}

/* The inputs of burn/show/verify/image (argv[2] on, `after` arguments
 * after them): one sheet or image, or several WAV files. */
static int inputs(int argc, char **argv, int after, const char *usage)
{
    int n = argc - 2 - after;
    if (n < 1)
        return fail(RB_USAGE, "usage: rawburn %s", usage);
    if (n > 1) {
        for (int i = 2; i < 2 + n; i++) {
            size_t len = strlen(argv[i]);
            if (len < 4 || _stricmp(argv[i] + len - 4, ".wav"))
                return fail(RB_USAGE, "%s: only WAV files can be given several at a time (usage: rawburn %s)",
                            argv[i], usage);
        }
        if (n > 99)
            return fail(RB_USAGE, "a CD holds at most 99 tracks; %d WAV files were given", n);
    }
    opt.inputs = (const char *const *)argv + 2;
    opt.input_count = n;
    return RB_OK;
}

static int run(int argc, char **argv)
{
    const char *cmd = argv[1];
    if (!strcmp(cmd, "list"))
        return need_args(argc, 2, "list") ?: cmd_list();
    if (!strcmp(cmd, "burn"))
        return inputs(argc, argv, 0, "burn [options] IMAGE | WAV... | ISO") ?: cmd_burn(argv[2]);
    if (!strcmp(cmd, "show"))
        return inputs(argc, argv, 0, "show IMAGE | WAV... | ISO") ?: cmd_show(argv[2]);
    if (!strcmp(cmd, "verify"))
        return inputs(argc, argv, 0, "verify [options] IMAGE | WAV... | ISO") ?: cmd_verify(argv[2]);
    if (!strcmp(cmd, "image"))
        return inputs(argc, argv, 1, "image [--sector-type T] IMAGE|WAV...|ISO OUT") ?: cmd_image(argv[2], argv[argc - 1]);
    if (!strcmp(cmd, "erase") || !strcmp(cmd, "blank"))
        return need_args(argc, 2, "erase [--full] [-d REC]") ?: cmd_erase();
    if (!strcmp(cmd, "eject"))
        return need_args(argc, 2, "eject [-d REC]") ?: cmd_eject();
    if (!strcmp(cmd, "virtual"))
        return cmd_virtual(argc - 2, argv + 2);
    if (!strcmp(cmd, "demo"))
        return need_args(argc, 3, "demo DIR") ?: cmd_demo(argv[2]);
    if (!strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return RB_OK;
    }
    return fail(RB_USAGE, "unknown command '%s' (see --help)", cmd);
}

int main(int argc, char **argv)
{
    int status = parse_options(&argc, argv);
    if (status)
        return status;
    if (want_help) {
        if (argc >= 2)
            help_for(argv[1]);
        else
            fputs(usage_text, stdout);
        return RB_OK;
    }
    if (argc < 2) {
        fputs(usage_text, stderr);
        return RB_USAGE;
    }
    SetConsoleCtrlHandler(on_console_ctrl, TRUE);
    if (FAILED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED)))
        return fail(RB_INTERNAL, "COM could not be initialised");
    status = run(argc, argv);
    CoUninitialize();
    return status;
}
