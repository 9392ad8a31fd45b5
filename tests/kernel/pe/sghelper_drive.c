/* The DLL's SG_IO path under Wine against the kernel rig's drive: this PE
 * program -> dlls/imapi2/sgpipe_win.c -> loopback TCP -> the native
 * imapi2-sghelper -> SG_IO on /dev/sg0. In one Wine process (each start
 * costs a minute under TCG):
 *   1. the helper's ENUMERATE, INQUIRY, sense of a reserved opcode;
 *   2. the public COM API over the helper: IDiscMaster2 lists the node,
 *      IDiscFormat2RawCD burns a MsftRawCDImageCreator image onto the
 *      rig's blank disc, and vrec's sector file equals the image;
 *   2b. exclusive access across two processes on the helper's drive: while
 *      a child (this program, `hold ID EVENT`) holds it, this process's
 *      commands are refused with E_IMAPI_RECORDER_LOCKED, its cached
 *      INQUIRY still answers; once the child is gone, commands go through;
 *   3. a command the drive stalls past its timeout, through the helper and
 *      through Wine's SCSI pass-through (spti on the letter Wine maps to
 *      /dev/sr0): the helper reports the kernel's timeout, Wine 8's
 *      IOCTL_SCSI_PASS_THROUGH_DIRECT drops host_status and reports GOOD.
 * Environment (set by tools/kernel-rig/guest-full.sh):
 *   IMAPI2_SGHELPER             the helper (the build's copy next to the DLL)
 *   IMAPI2_SPTI_EXPECT_INQUIRY  "VENDOR/PRODUCT/REVISION" of the drive
 *   KRIG_SG_NODE                the node to open through the helper (/dev/sg0)
 *   KRIG_MAX_TRANSFER           bytes the queue takes (sysfs max_hw_sectors_kb x 1024)
 *   KRIG_SECTORS                vrec's sector file; unset: no COM burn (2)
 *   IMAPI2_SGHELPER_DEVICES, IMAPI2_NO_REAL_DRIVES  what the DLL lists (2)
 *   IMAPI2_SPTI_STALL_OPCODE    hex opcode the drive delays 8 s; unset: no (3)
 *   KRIG_HANDSHAKE              folder for stall-wanted / stall-ready: the rig
 *                               turns the stall on only when asked, after (2)
 * Without a helper or a drive that matches, everything is skipped. */
#define COBJMACROS
#include <winsock2.h>
#include <windows.h>

#include <initguid.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "imapi2.h"
#include "okay.h"
#include "mmc/rawimage.h"
#include "sgpipe_win.h"
#include "spti_win.h"
#include "mmc/geometry.h"

#define STALL_TIMEOUT_MS 2000u

static struct scsi_request plain_req(uint8_t opcode, uint8_t cdb_len, enum scsi_direction dir, void *buf,
                                     uint32_t len)
{
    struct scsi_request r;
    memset(&r, 0, sizeof(r));
    r.cdb[0] = opcode;
    r.cdb_len = cdb_len;
    r.dir = dir;
    r.buf = buf;
    r.len = len;
    r.timeout_ms = 20000;
    return r;
}

/* "VENDOR/PRODUCT/REVISION" from INQUIRY fields, trailing blanks dropped. */
static void inquiry_triple(const char *vendor, size_t vlen, const char *product, size_t plen, const char *revision,
                           size_t rlen, char *out, size_t size)
{
    while (vlen && (vendor[vlen - 1] == ' ' || !vendor[vlen - 1]))
        vlen--;
    while (plen && (product[plen - 1] == ' ' || !product[plen - 1]))
        plen--;
    while (rlen && (revision[rlen - 1] == ' ' || !revision[rlen - 1]))
        rlen--;
    snprintf(out, size, "%.*s/%.*s/%.*s", (int)vlen, vendor, (int)plen, product, (int)rlen, revision);
}

/* TEST UNIT READY until the unit attentions (a reset after a stall, a
 * disc change) are gone. */
static enum transport_result settle(struct scsi_transport *t, struct scsi_request *req)
{
    enum transport_result r = TRANSPORT_OK;
    for (int tries = 0; tries < 4; tries++) {
        *req = plain_req(0x00, 6, SCSI_DIR_NONE, NULL, 0);
        r = scsi_transport_execute(t, req);
        if (r != TRANSPORT_OK || req->status != SCSI_STATUS_CHECK_CONDITION || (req->sense[2] & 0x0f) != 6)
            break;
    }
    return r;
}

/* The helper's ENUMERATE lists the extra node with its INQUIRY strings. */
static void check_enumerate(const char *node, const char *expect)
{
    struct sgpipe_entry entries[SGPIPE_ENUM_MAX];
    DWORD t0 = GetTickCount();
    int n = sgpipe_win_enumerate(node, (uint32_t)strlen(node) + 1, entries, SGPIPE_ENUM_MAX);
    printf("sghelper_drive: ENUMERATE (helper start included) took %lu ms, %d entries\n",
           (unsigned long)(GetTickCount() - t0), n);
    int found = 0;
    for (int i = 0; i < n; i++) {
        char got[40];
        inquiry_triple(entries[i].vendor, sizeof(entries[i].vendor) - 1, entries[i].product,
                       sizeof(entries[i].product) - 1, entries[i].revision, sizeof(entries[i].revision) - 1, got,
                       sizeof(got));
        printf("sghelper_drive: entry %s flags %#x letter %c %u:%u %s\n", entries[i].path, entries[i].flags,
               entries[i].letter ? entries[i].letter : '-', entries[i].dev_major, entries[i].dev_minor, got);
        if (!strcmp(entries[i].path, node)) {
            found = 1;
            ok(entries[i].flags == SGPIPE_ENTRY_INQUIRY_OK && !strcmp(got, expect), "%s listed as %s, want %s\n",
               node, got, expect);
        }
    }
    ok(found, "ENUMERATE lists %s\n", node);
}

static void check_identity(struct scsi_transport *t, const char *expect)
{
    uint8_t inq[36] = { 0 };
    struct scsi_request req = plain_req(0x12, 6, SCSI_DIR_IN, inq, sizeof(inq));
    req.cdb[4] = sizeof(inq);
    enum transport_result r = scsi_transport_execute(t, &req);
    char got[40];
    inquiry_triple((const char *)inq + 8, 8, (const char *)inq + 16, 16, (const char *)inq + 32, 4, got, sizeof(got));
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD && (inq[0] & 0x1f) == 5 && !strcmp(got, expect),
       "INQUIRY through the helper: %s status %#x type %u %s, want %s\n", transport_result_name(r), req.status,
       inq[0] & 0x1f, got, expect);
    const char *want_max = getenv("KRIG_MAX_TRANSFER");
    printf("sghelper_drive: %s max_transfer %u alignment_mask %#x\n", t->ops->name, t->max_transfer,
           t->alignment_mask);
    ok(!strcmp(t->ops->name, "sgio-pipe"), "backend %s\n", t->ops->name);
    if (want_max) { /* the queue's limit, capped by what one frame may carry */
        unsigned long queue = strtoul(want_max, NULL, 10);
        unsigned long want = queue < SGPIPE_MAX_DATA ? queue : SGPIPE_MAX_DATA;
        ok(t->max_transfer == want, "max_transfer %u, want %lu (queue %lu, frame limit %u)\n", t->max_transfer, want,
           queue, SGPIPE_MAX_DATA);
    }
}

static void check_sense(struct scsi_transport *t)
{
    struct scsi_request req;
    enum transport_result r = settle(t, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD, "TEST UNIT READY: %s status %#x\n",
       transport_result_name(r), req.status);
    req = plain_req(0x02, 6, SCSI_DIR_NONE, NULL, 0); /* a reserved opcode */
    r = scsi_transport_execute(t, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_CHECK_CONDITION && req.sense_len >= 14 &&
           (req.sense[2] & 0x0f) == 5 && req.sense[12] == 0x20 && req.sense[13] == 0,
       "opcode 02 through the helper: %s status %#x sense (%u bytes) %x/%02x/%02x, want 5/20/00\n",
       transport_result_name(r), req.status, req.sense_len, req.sense[2] & 0x0f, req.sense[12], req.sense[13]);
}

/* One stalled command (the drive sleeps 8 s, the timeout is 2 s); returns
 * its result, the request and the time it took. */
static enum transport_result run_stalled(struct scsi_transport *t, uint8_t opcode, struct scsi_request *req,
                                         uint8_t *buf, DWORD *ms)
{
    *req = plain_req(opcode, 10, SCSI_DIR_IN, buf, 12);
    req->cdb[8] = 12;
    req->timeout_ms = STALL_TIMEOUT_MS;
    DWORD t0 = GetTickCount();
    enum transport_result r = scsi_transport_execute(t, req);
    *ms = GetTickCount() - t0;
    return r;
}

static void check_stall_helper(struct scsi_transport *t, uint8_t opcode)
{
    uint8_t buf[12];
    struct scsi_request req;
    DWORD ms;
    enum transport_result r = run_stalled(t, opcode, &req, buf, &ms);
    printf("sghelper_drive: helper: stalled opcode %02x, timeout 2 s -> %s after %lu ms, status %#x\n", opcode,
           transport_result_name(r), (unsigned long)ms, req.status);
    ok(r == TRANSPORT_ERR_TIMEOUT, "the helper reports the kernel's timeout: %s status %#x\n",
       transport_result_name(r), req.status);
    ok(ms >= STALL_TIMEOUT_MS - 100 && ms < 60000, "after %lu ms (timeout %u)\n", (unsigned long)ms,
       STALL_TIMEOUT_MS);
    r = settle(t, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD, "drive answers the helper after the stall: %s %#x\n",
       transport_result_name(r), req.status);
}

/* Wine 8 turns IOCTL_SCSI_PASS_THROUGH_DIRECT into SG_IO and ignores
 * host_status: the same stall comes back as a good command (on Windows it
 * would be ERROR_SEM_TIMEOUT; this program only runs under Wine). */
static void check_stall_spti(const char *expect, uint8_t opcode)
{
    struct spti_drive drives[8];
    int n = spti_enumerate(drives, 8), found = -1;
    for (int i = 0; i < n && i < 8 && found < 0; i++) {
        char got[40];
        snprintf(got, sizeof(got), "%s/%s/%s", drives[i].vendor, drives[i].product, drives[i].revision);
        if (drives[i].inquiry_ok && !strcmp(got, expect))
            found = i;
    }
    ok(found >= 0, "Wine maps a drive letter to the rig's drive (%d drives)\n", n);
    if (found < 0)
        return;
    struct scsi_transport *t = NULL;
    enum transport_result r = spti_open(drives[found].path, &t);
    ok(r == TRANSPORT_OK, "spti_open %ls: %s\n", drives[found].path, transport_result_name(r));
    if (r != TRANSPORT_OK)
        return;
    uint8_t buf[12];
    struct scsi_request req;
    DWORD ms;
    r = run_stalled(t, opcode, &req, buf, &ms);
    printf("sghelper_drive: spti: stalled opcode %02x, timeout 2 s -> %s after %lu ms, status %#x, sense_len %u\n",
           opcode, transport_result_name(r), (unsigned long)ms, req.status, req.sense_len);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD && req.sense_len == 0,
       "Wine 8's SPTI reports the timed-out command as GOOD: %s status %#x\n", transport_result_name(r), req.status);
    r = settle(t, &req);
    ok(r == TRANSPORT_OK && req.status == SCSI_STATUS_GOOD, "drive answers spti after the stall: %s %#x\n",
       transport_result_name(r), req.status);
    scsi_transport_close(t);
}

/* ---- the public COM API over the helper (needs the DLL registered in
 * the prefix and a blank disc; KRIG_SECTORS names vrec's sector file) ---- */

/* The recorder IDiscMaster2 lists for node: its unique id carries the
 * instance "imapi2&<node's base name>", "imapi2&vrec_<name>" for a virtual
 * recorder (dlls/imapi2/devices.c; a vrec: node runs this on any host). */
static BSTR find_helper_recorder(IDiscMaster2 *dm, const char *node)
{
    WCHAR instance[MAX_PATH];
    const char *base = strrchr(node, '/');
    swprintf(instance, ARRAYSIZE(instance), L"#imapi2&%hs%hs#", strncmp(node, "vrec:", 5) ? "" : "vrec_",
             base ? base + 1 : node);
    LONG count = 0;
    ok(IDiscMaster2_get_Count(dm, &count) == S_OK, "IDiscMaster2 Count\n");
    printf("sghelper_drive: IDiscMaster2 lists %ld recorders\n", count);
    for (LONG i = 0; i < count; i++) {
        BSTR id = NULL;
        if (IDiscMaster2_get_Item(dm, i, &id) == S_OK && id && wcsstr(id, instance)) {
            printf("sghelper_drive: recorder %ls\n", id);
            return id;
        }
        SysFreeString(id);
    }
    return NULL;
}

/* One audio track of a ramp, as MsftRawCDImageCreator builds it (raw P-W). */
static IStream *make_image(IRawCDImageCreator **creator)
{
    IStream *audio = NULL, *image = NULL;
    LONG index = 0;
    static short samples[CD_MIN_TRACK_SECTORS * CD_SECTOR_SIZE / 2];
    for (size_t i = 0; i < ARRAYSIZE(samples); i++)
        samples[i] = (short)(i * 37);
    HRESULT hr = CoCreateInstance(&CLSID_MsftRawCDImageCreator, NULL, CLSCTX_INPROC_SERVER, &IID_IRawCDImageCreator,
                                  (void **)creator);
    ok(hr == S_OK, "MsftRawCDImageCreator: %#lx\n", hr);
    if (FAILED(hr))
        return NULL;
    hr = CreateStreamOnHGlobal(NULL, TRUE, &audio);
    if (SUCCEEDED(hr))
        hr = IStream_Write(audio, samples, sizeof(samples), NULL);
    if (SUCCEEDED(hr))
        hr = IRawCDImageCreator_AddTrack(*creator, IMAPI_CD_SECTOR_AUDIO, audio, &index);
    ok(hr == S_OK && index == 1, "AddTrack: %#lx track %ld\n", hr, index);
    if (SUCCEEDED(hr))
        hr = IRawCDImageCreator_CreateResultImage(*creator, &image);
    ok(hr == S_OK && image, "CreateResultImage: %#lx\n", hr);
    if (audio)
        IStream_Release(audio);
    return image;
}

static IDiscFormat2RawCD *format_for(const BSTR id)
{
    IDiscRecorder2 *rec = NULL;
    IDiscFormat2RawCD *f = NULL;
    BSTR client = SysAllocString(L"imapi2 kernel rig");
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2,
                                  (void **)&rec);
    if (SUCCEEDED(hr))
        hr = IDiscRecorder2_InitializeDiscRecorder(rec, id);
    ok(hr == S_OK, "InitializeDiscRecorder: %#lx\n", hr);
    if (SUCCEEDED(hr))
        hr = CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2RawCD,
                              (void **)&f);
    if (SUCCEEDED(hr))
        hr = IDiscFormat2RawCD_put_Recorder(f, rec);
    if (SUCCEEDED(hr))
        hr = IDiscFormat2RawCD_put_ClientName(f, client);
    ok(hr == S_OK, "MsftDiscFormat2RawCD set up: %#lx\n", hr);
    if (rec)
        IDiscRecorder2_Release(rec);
    SysFreeString(client);
    if (FAILED(hr) && f) {
        IDiscFormat2RawCD_Release(f);
        f = NULL;
    }
    return f;
}

/* Wine's Z: is the Unix root. */
static void dos_path_of(const char *unix_path, WCHAR *out, size_t size)
{
    swprintf(out, size, L"Z:%hs", unix_path);
    for (WCHAR *p = out; *p; p++)
        if (*p == '/')
            *p = '\\';
}

static HANDLE open_unix_file(const char *unix_path)
{
    WCHAR path[MAX_PATH];
    dos_path_of(unix_path, path, ARRAYSIZE(path));
    return CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                       OPEN_EXISTING, 0, NULL);
}

/* Every sector vrec recorded (from the ATIP lead-in start) against the
 * image from the same LBA; returns how many differ. */
static unsigned compare_recorded(IStream *image, const char *sectors_path, unsigned *compared)
{
    STATSTG st;
    static BYTE rec[CD_SECTOR_RAW_PW], want[CD_SECTOR_RAW_PW];
    LARGE_INTEGER at;
    unsigned bad = 0;
    *compared = 0;
    HANDLE f = open_unix_file(sectors_path);
    ok(f != INVALID_HANDLE_VALUE, "open %s: %lu\n", sectors_path, GetLastError());
    if (f == INVALID_HANDLE_VALUE || FAILED(IStream_Stat(image, &st, STATFLAG_NONAME)))
        return 1;
    int64_t total = (int64_t)(st.cbSize.QuadPart / CD_SECTOR_RAW_PW);
    at.QuadPart = (int64_t)(CD_TYPICAL_LEADIN_LBA - CD_RAW_IMAGE_START_LBA) * CD_SECTOR_RAW_PW;
    IStream_Seek(image, at, STREAM_SEEK_SET, NULL);
    for (int64_t i = CD_TYPICAL_LEADIN_LBA - CD_RAW_IMAGE_START_LBA; i < total; i++, (*compared)++) {
        DWORD got = 0;
        ULONG read = 0;
        if (!ReadFile(f, rec, CD_SECTOR_RAW_PW, &got, NULL) || got != CD_SECTOR_RAW_PW ||
            FAILED(IStream_Read(image, want, CD_SECTOR_RAW_PW, &read)) || read != CD_SECTOR_RAW_PW ||
            memcmp(rec, want, CD_SECTOR_RAW_PW)) {
            if (!bad)
                printf("sghelper_drive: first difference at LBA %lld\n", (long long)(i + CD_RAW_IMAGE_START_LBA));
            bad++;
        }
    }
    CloseHandle(f);
    return bad;
}

static void check_com_burn(const char *node, const char *expect)
{
    const char *sectors = getenv("KRIG_SECTORS");
    IDiscMaster2 *dm = NULL;
    IRawCDImageCreator *creator = NULL;
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscMaster2, (void **)&dm);
    ok(hr == S_OK, "MsftDiscMaster2 (is the DLL registered in the prefix?): %#lx\n", hr);
    BSTR id = dm ? find_helper_recorder(dm, node) : NULL;
    ok(id != NULL, "IDiscMaster2 lists the helper's %s\n", node);
    IDiscFormat2RawCD *f = id ? format_for(id) : NULL;
    IStream *image = f ? make_image(&creator) : NULL;
    if (f && image && sectors) {
        BSTR vendor = NULL;
        IDiscRecorder2 *rec = NULL;
        if (SUCCEEDED(IDiscFormat2RawCD_get_Recorder(f, &rec)) && rec) {
            IDiscRecorder2_get_VendorId(rec, &vendor);
            IDiscRecorder2_Release(rec);
        }
        WCHAR want[16] = L"";
        int vlen = (int)strcspn(expect, "/");
        swprintf(want, ARRAYSIZE(want), L"%.*hs", vlen, expect);
        ok(vendor && !wcscmp(vendor, want), "recorder VendorId %ls, want %ls\n", vendor ? vendor : L"(none)", want);
        SysFreeString(vendor);
        DWORD t0 = GetTickCount();
        hr = IDiscFormat2RawCD_PrepareMedia(f);
        ok(hr == S_OK, "PrepareMedia: %#lx\n", hr);
        if (SUCCEEDED(hr))
            hr = IDiscFormat2RawCD_put_RequestedSectorType(f, IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW);
        ok(hr == S_OK, "put_RequestedSectorType after PrepareMedia: %#lx\n", hr);
        if (SUCCEEDED(hr))
            hr = IDiscFormat2RawCD_WriteMedia(f, image);
        ok(hr == S_OK, "WriteMedia through the helper: %#lx\n", hr);
        ok(IDiscFormat2RawCD_ReleaseMedia(f) == S_OK, "ReleaseMedia\n");
        printf("sghelper_drive: COM raw burn took %lu ms\n", (unsigned long)(GetTickCount() - t0));
        unsigned compared = 0, bad = compare_recorded(image, sectors, &compared);
        ok(bad == 0 && compared > CD_MIN_TRACK_SECTORS, "%u of %u recorded sectors differ from the image\n", bad, compared);
    }
    if (image)
        IStream_Release(image);
    if (creator)
        IRawCDImageCreator_Release(creator);
    if (f)
        IDiscFormat2RawCD_Release(f);
    SysFreeString(id);
    if (dm)
        IDiscMaster2_Release(dm);
    CoUninitialize();
}

/* The rig restarts the drive's handler with the stall fault when asked
 * (tools/kernel-rig/guest-full.sh): a file each way under KRIG_HANDSHAKE. */
/* Child mode: take the drive through our own helper, say so, wait to be killed. */
static int child_hold(const char *id, const char *event_name)
{
    IDiscRecorder2 *rec = NULL;
    WCHAR wid[MAX_PATH];
    HANDLE ready = OpenEventA(EVENT_MODIFY_STATE, FALSE, event_name);
    BSTR client = SysAllocString(L"Rig Child");
    MultiByteToWideChar(CP_ACP, 0, id, -1, wid, ARRAYSIZE(wid));
    BSTR bid = SysAllocString(wid);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (SUCCEEDED(CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2,
                                   (void **)&rec)) &&
        SUCCEEDED(IDiscRecorder2_InitializeDiscRecorder(rec, bid)) &&
        SUCCEEDED(IDiscRecorder2_AcquireExclusiveAccess(rec, VARIANT_FALSE, client)))
        SetEvent(ready);
    Sleep(INFINITE);
    return 0;
}

static void check_exclusive_across_processes(const char *node)
{
    static const BYTE test_unit_ready[6] = { 0 };
    IDiscMaster2 *dm = NULL;
    IDiscRecorder2 *rec = NULL;
    IDiscRecorder2Ex *ex = NULL;
    PROCESS_INFORMATION pi;
    STARTUPINFOA si;
    char exe[MAX_PATH], cmd[MAX_PATH * 3], event_name[64];
    BYTE sense[18], *info = NULL;
    ULONG size = 0;
    BSTR owner = NULL, vendor = NULL;
    HRESULT hr;
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    CoCreateInstance(&CLSID_MsftDiscMaster2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscMaster2, (void **)&dm);
    BSTR id = dm ? find_helper_recorder(dm, node) : NULL;
    ok(id != NULL, "exclusive: IDiscMaster2 lists the helper's %s\n", node);
    if (!id)
        return;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    snprintf(event_name, sizeof(event_name), "krig-hold-%lu", (unsigned long)GetCurrentProcessId());
    HANDLE ready = CreateEventA(NULL, TRUE, FALSE, event_name);
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    snprintf(cmd, sizeof(cmd), "\"%s\" hold %ls %s", exe, id, event_name);
    if (!CreateProcessA(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        ok(0, "exclusive: cannot start the child (%lu)\n", GetLastError());
        return;
    }
    /* Wine starts a process slowly under TCG. */
    ok(WaitForSingleObject(ready, 120000) == WAIT_OBJECT_0, "exclusive: the child took the drive\n");
    if (SUCCEEDED(CoCreateInstance(&CLSID_MsftDiscRecorder2, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscRecorder2,
                                   (void **)&rec)) &&
        SUCCEEDED(IDiscRecorder2_InitializeDiscRecorder(rec, id)))
        IDiscRecorder2_QueryInterface(rec, &IID_IDiscRecorder2Ex, (void **)&ex);
    ok(ex != NULL, "exclusive: this process's recorder on %s\n", node);
    if (ex) {
        ok(IDiscRecorder2_get_ExclusiveAccessOwner(rec, &owner) == S_OK && owner && !wcscmp(owner, L"Rig Child"),
           "exclusive: owner %ls\n", owner ? owner : L"(none)");
        hr = IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)test_unit_ready, 6, sense, 10);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "exclusive: TEST UNIT READY while held got %#lx\n", hr);
        hr = IDiscRecorder2_EjectMedia(rec);
        ok(hr == E_IMAPI_RECORDER_LOCKED, "exclusive: EjectMedia while held got %#lx\n", hr);
        hr = IDiscRecorder2Ex_GetDiscInformation(ex, &info, &size);
        ok(hr == E_IMAPI_RECORDER_LOCKED && !info, "exclusive: GetDiscInformation while held got %#lx\n", hr);
        hr = IDiscRecorder2_get_VendorId(rec, &vendor);
        ok(hr == S_OK && vendor, "exclusive: VendorId (cached) while held got %#lx\n", hr);
    }
    TerminateProcess(pi.hProcess, 1);
    WaitForSingleObject(pi.hProcess, 60000);
    if (ex) {
        hr = IDiscRecorder2Ex_SendCommandNoData(ex, (BYTE *)test_unit_ready, 6, sense, 10);
        ok(hr == S_OK, "exclusive: TEST UNIT READY after the holder died got %#lx\n", hr);
        IDiscRecorder2Ex_Release(ex);
    }
    if (rec)
        IDiscRecorder2_Release(rec);
    SysFreeString(owner);
    SysFreeString(vendor);
    SysFreeString(id);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(ready);
    IDiscMaster2_Release(dm);
}

static BOOL ask_for_stall(void)
{
    const char *dir = getenv("KRIG_HANDSHAKE");
    char path[MAX_PATH];
    if (!dir)
        return TRUE; /* the drive stalls from the start */
    WCHAR wanted[MAX_PATH];
    snprintf(path, sizeof(path), "%s/stall-wanted", dir);
    dos_path_of(path, wanted, ARRAYSIZE(wanted));
    HANDLE f = CreateFileW(wanted, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (f != INVALID_HANDLE_VALUE)
        CloseHandle(f);
    snprintf(path, sizeof(path), "%s/stall-ready", dir);
    for (int i = 0; i < 240; i++) {
        HANDLE r = open_unix_file(path);
        if (r != INVALID_HANDLE_VALUE) {
            CloseHandle(r);
            return TRUE;
        }
        Sleep(250);
    }
    return FALSE;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "hold"))
        return child_hold(argv[2], argv[3]);
    const char *expect = getenv("IMAPI2_SPTI_EXPECT_INQUIRY");
    const char *node = getenv("KRIG_SG_NODE");
    const char *stall = getenv("IMAPI2_SPTI_STALL_OPCODE");
    if (!sgpipe_win_available() || !expect || !node) {
        skip("no helper (IMAPI2_SGHELPER), IMAPI2_SPTI_EXPECT_INQUIRY or KRIG_SG_NODE\n");
        return okay_summary("sghelper_drive");
    }
    check_enumerate(node, expect);
    struct scsi_transport *t = NULL;
    DWORD pid = 0;
    enum transport_result r = sgpipe_win_open(node, &t, &pid);
    ok(r == TRANSPORT_OK, "sgpipe_win_open %s: %s (helper pid %lu)\n", node, transport_result_name(r),
       (unsigned long)pid);
    if (r != TRANSPORT_OK)
        return okay_summary("sghelper_drive");
    check_identity(t, expect);
    check_sense(t);
    scsi_transport_close(t);
    if (getenv("KRIG_SECTORS")) {
        check_com_burn(node, expect);
        check_exclusive_across_processes(node);
    }
    if (!stall)
        return okay_summary("sghelper_drive");
    BOOL stalling = ask_for_stall();
    ok(stalling, "the rig restarted the drive with the stall fault\n");
    if (!stalling)
        return okay_summary("sghelper_drive");
    r = sgpipe_win_open(node, &t, &pid);
    ok(r == TRANSPORT_OK, "sgpipe_win_open %s again: %s\n", node, transport_result_name(r));
    if (r == TRANSPORT_OK) {
        check_stall_helper(t, (uint8_t)strtoul(stall, NULL, 16));
        scsi_transport_close(t);
    }
    check_stall_spti(expect, (uint8_t)strtoul(stall, NULL, 16));
    return okay_summary("sghelper_drive");
}
