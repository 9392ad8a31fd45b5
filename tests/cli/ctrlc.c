/* ctrlc.exe: sends a real console control event to a running rawburn, for
 * tests/cli/rawburn.sh.
 *   ctrlc.exe break|c|cc PERCENT PROGRAM [ARGS...]
 * Starts PROGRAM with its stdout and stderr on a pipe (so rawburn prints
 * plain "writing: N% (...)" lines), copies that output to our stdout, and
 * once a "writing: N%" line with N >= PERCENT arrives sends
 *   break: GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pid), the child
 *          started with CREATE_NEW_PROCESS_GROUP;
 *   c:     GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0) to the whole console,
 *          this process ignoring it;
 *   cc:    the same Ctrl+C twice, 20 ms apart (a user pressing it again).
 * Progress lines counted are "writing: N%" and "erasing: N%".
 * Ends with a line "ctrlc: ..." saying what happened, and exits with the
 * child's exit status (255 when the child had to be killed, 254 on a
 * setup error). No fallback: if the event never reaches the child, the
 * child simply finishes its burn and the caller sees that. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static HANDLE out_read, threshold_reached;
static int threshold, last_percent = -1;
static char line[512];
static size_t line_len;

static void scan_line(void)
{
    int pct;
    line[line_len] = 0;
    if (sscanf(line, "writing: %d%%", &pct) == 1 || sscanf(line, "erasing: %d%%", &pct) == 1) {
        last_percent = pct;
        if (pct >= threshold)
            SetEvent(threshold_reached);
    }
    line_len = 0;
}

static DWORD WINAPI reader(void *unused)
{
    char buf[512];
    DWORD got;
    (void)unused;
    while (ReadFile(out_read, buf, sizeof(buf), &got, NULL) && got) {
        fwrite(buf, 1, got, stdout);
        fflush(stdout);
        for (DWORD i = 0; i < got; i++) {
            if (buf[i] == '\n' || buf[i] == '\r')
                scan_line();
            else if (line_len < sizeof(line) - 1)
                line[line_len++] = buf[i];
        }
    }
    return 0;
}

static BOOL WINAPI swallow_ctrl(DWORD type)
{
    (void)type;
    return TRUE;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "break") && strcmp(argv[1], "c") && strcmp(argv[1], "cc"))) {
        fprintf(stderr, "usage: ctrlc.exe break|c|cc PERCENT PROGRAM [ARGS...]\n");
        return 254;
    }
    BOOL use_break = !strcmp(argv[1], "break"), twice = !strcmp(argv[1], "cc");
    threshold = atoi(argv[2]);

    /* The event needs a console the child shares. Under Wine a program
     * started from a shell with redirected output may have none. */
    DWORD mode;
    HWND had_window = GetConsoleWindow();
    BOOL had_console = GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode) || had_window;
    HANDLE conout = CreateFileA("CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                                OPEN_EXISTING, 0, NULL);
    BOOL attached = conout != INVALID_HANDLE_VALUE;
    if (attached)
        CloseHandle(conout);
    BOOL allocated = FALSE;
    DWORD alloc_error = 0;
    if (!had_console && !attached) {
        allocated = AllocConsole();
        alloc_error = allocated ? 0 : GetLastError();
        if (!allocated && alloc_error == ERROR_ACCESS_DENIED) {
            /* attached to a console with no screen (Wine's headless one): get a new one */
            BOOL freed = FreeConsole();
            allocated = AllocConsole();
            alloc_error = allocated ? 0 : GetLastError();
            printf("ctrlc: FreeConsole %s, then AllocConsole %s (error %lu)\n", freed ? "ok" : "failed",
                   allocated ? "ok" : "failed", alloc_error);
        }
    }
    printf("ctrlc: console before start: std input %s, window %s, CONOUT$ %s; AllocConsole %s (error %lu)\n",
           had_window || GetConsoleMode(GetStdHandle(STD_INPUT_HANDLE), &mode) ? "console" : "not a console",
           had_window ? "yes" : "none", attached ? "opens" : "does not open",
           had_console || attached ? "not needed" : allocated ? "ok" : "failed", alloc_error);

    /* Command line of the child: PROGRAM and ARGS, each quoted. */
    size_t size = 1;
    for (int i = 3; i < argc; i++)
        size += strlen(argv[i]) + 3;
    char *cmd = malloc(size), *p = cmd;
    for (int i = 3; i < argc; i++)
        p += sprintf(p, "%s\"%s\"", i > 3 ? " " : "", argv[i]);

    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    HANDLE out_write;
    if (!CreatePipe(&out_read, &out_write, &sa, 0)) {
        printf("ctrlc: CreatePipe failed: %lu\n", GetLastError());
        return 254;
    }
    SetHandleInformation(out_read, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA si;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out_write;
    si.hStdError = out_write;
    PROCESS_INFORMATION pi;
    /* We share the console and must survive a Ctrl+C, but not with
     * SetConsoleCtrlHandler(NULL, TRUE): children inherit that and would
     * ignore Ctrl+C as well. */
    if (!use_break)
        SetConsoleCtrlHandler(swallow_ctrl, TRUE);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, use_break ? CREATE_NEW_PROCESS_GROUP : 0, NULL, NULL, &si, &pi)) {
        printf("ctrlc: cannot start %s: error %lu\n", cmd, GetLastError());
        return 254;
    }
    CloseHandle(out_write);
    threshold_reached = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE thread = CreateThread(NULL, 0, reader, NULL, 0, NULL);

    HANDLE waits[2] = { threshold_reached, pi.hProcess };
    DWORD t0 = GetTickCount();
    DWORD w = WaitForMultipleObjects(2, waits, FALSE, 120000);
    if (w != WAIT_OBJECT_0) {
        WaitForSingleObject(thread, 5000);
        printf("ctrlc: never reached %d%% (last seen %d%%, %s); no event sent\n", threshold, last_percent,
               w == WAIT_OBJECT_0 + 1 ? "child ended" : "timed out");
        if (w != WAIT_OBJECT_0 + 1)
            TerminateProcess(pi.hProcess, 255);
        DWORD code = 255;
        GetExitCodeProcess(pi.hProcess, &code);
        return (int)code;
    }
    int sent_at = last_percent;
    BOOL sent = GenerateConsoleCtrlEvent(use_break ? CTRL_BREAK_EVENT : CTRL_C_EVENT, use_break ? pi.dwProcessId : 0);
    DWORD send_error = sent ? 0 : GetLastError();
    if (sent && twice) {
        Sleep(20);
        sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
        send_error = sent ? 0 : GetLastError();
    }
    DWORD t_sent = GetTickCount();

    DWORD code = 255;
    BOOL killed = FALSE;
    if (WaitForSingleObject(pi.hProcess, 120000) != WAIT_OBJECT_0) {
        TerminateProcess(pi.hProcess, 255);
        WaitForSingleObject(pi.hProcess, 5000);
        killed = TRUE;
    }
    GetExitCodeProcess(pi.hProcess, &code);
    DWORD t_end = GetTickCount();
    WaitForSingleObject(thread, 5000);
    printf("ctrlc: %s%s sent at %d%% after %lu ms: %s; child ended %lu ms later, last progress %d%%, exit status %lu%s\n",
           use_break ? "CTRL_BREAK_EVENT" : "CTRL_C_EVENT", twice ? " twice" : "", sent_at, t_sent - t0,
           sent ? "GenerateConsoleCtrlEvent ok" : "GenerateConsoleCtrlEvent FAILED", t_end - t_sent, last_percent,
           code, killed ? " (killed after 120 s)" : "");
    if (!sent)
        printf("ctrlc: GetLastError %lu\n", send_error);
    fflush(stdout);
    return (int)code;
}
