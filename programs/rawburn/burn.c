/* burn and erase: every check first (image, recorder, disc, sector type,
 * size), then IDiscFormat2RawCD::WriteMedia with a progress sink that also
 * turns Ctrl+C into CancelWrite; IDiscFormat2Erase for CD-RWs. */
#include <stdlib.h>
#include <string.h>

#include "rawburn.h"
#include "mmc/msf.h"
#include "mmc/sector.h"
#include "mmc/subcode.h"

#define MIB (1024.0 * 1024.0)

/* ------------------------------------------------------------ checks */

static int media_problem(struct recorder_ref *r, const struct media_state *m)
{
    if (m->status == DISC_NONE)
        return fail(RB_MEDIA, "there is no disc in recorder %s: insert a blank CD-R or CD-RW", r->name);
    if (m->type != IMAPI_MEDIA_TYPE_CDR && m->type != IMAPI_MEDIA_TYPE_CDRW)
        return fail(RB_MEDIA, "the disc in recorder %s is a %s: insert a blank CD-R or CD-RW", r->name,
                    media_type_name(m->type));
    if (m->status != DISC_BLANK && m->type == IMAPI_MEDIA_TYPE_CDRW)
        return fail(RB_MEDIA, "the CD-RW in recorder %s is not blank: erase it first (rawburn erase -d %s)", r->name,
                    r->name);
    if (m->status != DISC_BLANK)
        return fail(RB_MEDIA, "the CD-R in recorder %s is not blank (%s): insert a blank one", r->name, m->text);
    return RB_OK;
}

/* What to tell the user about the disc after a write that did not finish. */
static void describe_disc_after(struct recorder_ref *r)
{
    struct media_state m;
    media_query(r, &m);
    if (m.status == DISC_BLANK)
        fprintf(stderr, "The disc in %s was not written to and is still blank.\n", r->name);
    else if (m.type == IMAPI_MEDIA_TYPE_CDRW)
        fprintf(stderr, "The CD-RW in %s is partly written and not closed: erase it before using it again:\n"
                        "  rawburn erase -d %s\n", r->name, r->name);
    else if (m.status != DISC_NONE)
        fprintf(stderr, "The CD-R in %s is partly written and cannot be used again (a CD-R cannot be erased).\n",
                r->name);
    if (progress_is_json())
        json_event("{\"event\":\"disc\",\"state\":\"%s\"}", m.text);
}

static bool array_has(SAFEARRAY *sa, LONG value)
{
    LONG lo = 0, hi = -1;
    bool found = false;
    SafeArrayGetLBound(sa, 1, &lo);
    SafeArrayGetUBound(sa, 1, &hi);
    for (LONG i = lo; i <= hi && !found; i++) {
        VARIANT v;
        VariantInit(&v);
        if (SUCCEEDED(SafeArrayGetElement(sa, &i, &v)) && SUCCEEDED(VariantChangeType(&v, &v, 0, VT_I4)))
            found = V_I4(&v) == value;
        VariantClear(&v);
    }
    return found;
}

static const char *layout_name(int layout)
{
    return layout == IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY   ? "2368-byte (P-Q)"
           : layout == IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED ? "2448-byte cooked"
                                                              : "2448-byte (raw P-W)";
}

/* The sector type: the image's own, the user's, or the best the drive takes. */
static int choose_layout(IDiscFormat2RawCD *raw, struct recorder_ref *r, int wanted, int *layout)
{
    static const int preference[] = { IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW, IMAPI_FORMAT2_RAW_CD_SUBCODE_PQ_ONLY,
                                      IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_COOKED };
    SAFEARRAY *sa = NULL;
    HRESULT hr = IDiscFormat2RawCD_get_SupportedSectorTypes(raw, &sa);
    if (FAILED(hr) || !sa) {
        *layout = wanted ? wanted : IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW;
        return RB_OK; /* the write itself will tell */
    }
    int status = RB_OK;
    if (wanted) {
        if (!array_has(sa, wanted))
            status = fail(RB_SECTOR, "recorder %s cannot write %s sectors (see rawburn list)", r->name,
                          layout_name(wanted));
        *layout = wanted;
    } else {
        *layout = 0;
        for (size_t i = 0; i < ARRAYSIZE(preference) && !*layout; i++)
            if (array_has(sa, preference[i]))
                *layout = preference[i];
        if (!*layout)
            status = fail(RB_UNSUPPORTED, "recorder %s takes no raw sector type", r->name);
    }
    SafeArrayDestroy(sa);
    return status;
}

/* GET CONFIGURATION feature 002Eh (CD Mastering): byte 4 bit 2 = Test Write. */
static bool drive_can_simulate(struct recorder_ref *r)
{
    BYTE *data = NULL;
    ULONG size = 0;
    bool ok = r->ex && SUCCEEDED(IDiscRecorder2Ex_GetFeaturePage(r->ex, IMAPI_FEATURE_PAGE_TYPE_CD_MASTERING, FALSE,
                                                                 &data, &size)) &&
              size > 4 && (data[4] & 0x04);
    CoTaskMemFree(data);
    return ok;
}

static int prepare_error(struct recorder_ref *r, HRESULT hr)
{
    if (hr == E_IMAPI_RECORDER_LOCKED || hr == E_ACCESSDENIED) {
        int status = recorder_check_free(r);
        return status ? status : fail(RB_BUSY, "recorder %s is in use by another program", r->name);
    }
    if (hr == E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK)
        return fail(RB_MEDIA, "the disc in recorder %s is not blank", r->name);
    if (hr == E_IMAPI_RECORDER_MEDIA_NO_MEDIA)
        return fail(RB_MEDIA, "there is no disc in recorder %s", r->name);
    if (hr == E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED)
        return fail(RB_MEDIA, "the disc in recorder %s is write-protected", r->name);
    if (hr == E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED || hr == E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE)
        return fail(RB_MEDIA, "the disc in recorder %s cannot be written in raw mode", r->name);
    if (hr == E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED)
        return fail(RB_SECTOR, "recorder %s refused the sector type", r->name);
    if (hr == E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED)
        return fail(RB_UNSUPPORTED, "recorder %s cannot write raw Disc-At-Once", r->name);
    return fail(RB_WRITE, "recorder %s could not be prepared: %s", r->name, hr_text(hr));
}

static int check_fit(IDiscFormat2RawCD *raw, struct recorder_ref *r, const struct image *img)
{
    LONG last = 0;
    if (FAILED(IDiscFormat2RawCD_get_LastPossibleStartOfLeadout(raw, &last)) || !last)
        return RB_OK;
    if (img->leadout_lba > last) {
        struct cd_msf need = cd_frames_to_msf(img->leadout_lba), have = cd_frames_to_msf(last);
        return fail(RB_TOO_BIG, "the image needs %02d:%02d:%02d up to its lead-out; the disc in %s holds %02d:%02d:%02d",
                    need.m, need.s, need.f, r->name, have.m, have.s, have.f);
    }
    return RB_OK;
}

/* ------------------------------------------------------------ progress */

struct burn_ctx {
    IDiscFormat2RawCD *raw;
    struct recorder_ref *r;
    const struct image *img;
    LONG last_lba;
    DWORD last_tick;
    double speed_x;
    int cancel_at_pct;     /* test hook: RAWBURN_TEST_CANCEL_AT=percent acts as Ctrl+C */
    bool cancel_sent;
    bool any_written;
};

static LONG get_long(IDiscFormat2RawCDEventArgs *a, HRESULT (STDMETHODCALLTYPE *get)(IDiscFormat2RawCDEventArgs *, LONG *))
{
    LONG v = 0;
    get(a, &v);
    return v;
}

/* READ BUFFER CAPACITY: the drive's buffer fill in percent, -1 unknown. */
static int drive_buffer(struct recorder_ref *r)
{
    struct scsi_request req;
    struct mmc_buffer_capacity cap;
    BYTE data[12];
    ULONG got = 0;
    mmc_build_read_buffer_capacity(&req, false, data, sizeof(data));
    if (recorder_get_data(r, &req, 5, &got) != S_OK || MMC_FAILED(mmc_parse_buffer_capacity(data, got, &cap)) ||
        !cap.length)
        return -1;
    uint32_t blank = cap.blank < cap.length ? cap.blank : cap.length;
    return (int)(((uint64_t)(cap.length - blank) * 100) / cap.length);
}

static void where_text(const struct image *img, LONG lba, char *out, size_t size)
{
    int t = image_track_at(img, lba);
    if (lba < -CD_MSF_OFFSET)
        snprintf(out, size, "lead-in");
    else if (t < 0)
        snprintf(out, size, "lead-out");
    else
        snprintf(out, size, "track %d/%d", t ? t : img->tracks[0].number, img->tracks[img->track_count - 1].number);
}

static void on_burn_update(void *ctx, DISPPARAMS *params)
{
    struct burn_ctx *b = ctx;
    IDiscFormat2RawCDEventArgs *a = NULL;
    IMAPI_FORMAT2_RAW_CD_WRITE_ACTION action = 0;
    char where[32];
    if (params->cArgs < 2 || V_VT(&params->rgvarg[0]) != VT_DISPATCH || !V_DISPATCH(&params->rgvarg[0]) ||
        FAILED(IDispatch_QueryInterface(V_DISPATCH(&params->rgvarg[0]), &IID_IDiscFormat2RawCDEventArgs, (void **)&a)))
        return;
    IDiscFormat2RawCDEventArgs_get_CurrentAction(a, &action);
    LONG start = get_long(a, a->lpVtbl->get_StartLba), count = get_long(a, a->lpVtbl->get_SectorCount);
    LONG written = get_long(a, a->lpVtbl->get_LastWrittenLba);
    LONG elapsed = get_long(a, a->lpVtbl->get_ElapsedTime), remaining = get_long(a, a->lpVtbl->get_RemainingTime);
    IDiscFormat2RawCDEventArgs_Release(a);
    DWORD now = GetTickCount();
    if (written >= start)
        b->any_written = true;
    if (b->last_tick && now - b->last_tick >= 250 && written > b->last_lba) {
        double x = (written - b->last_lba) / ((now - b->last_tick) / 1000.0) / CD_FRAMES_PER_SECOND;
        b->speed_x = b->speed_x < 0 ? x : b->speed_x * 0.6 + x * 0.4;
    }
    if (!b->last_tick || now - b->last_tick >= 250) {
        b->last_tick = now;
        b->last_lba = written;
    }
    /* Percent and MiB of the program area (LBA 0 to the lead-out), as
     * wodim and cdrdao count: the lead-in and lead-out are overhead. The
     * ETA is the rest of the stream at the speed measured. */
    LONG program = b->img->leadout_lba, done = written < 0 ? 0 : written >= program ? program : written + 1;
    double fraction = program > 0 ? (double)done / program : -1;
    LONG left = start + count - 1 - written;
    where_text(b->img, written, where, sizeof(where));
    struct progress_info p = {
        action == IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_PREPARING   ? "preparing"
        : action == IMAPI_FORMAT2_RAW_CD_WRITE_ACTION_FINISHING ? "finishing"
                                                                : "writing",
        fraction, where, done * (double)CD_SECTOR_SIZE / MIB, program * (double)CD_SECTOR_SIZE / MIB,
        b->speed_x, drive_buffer(b->r),
        b->speed_x > 0.1 && left >= 0 ? (long)(left / (b->speed_x * CD_FRAMES_PER_SECOND) + 0.5) : remaining, elapsed,
    };
    progress_update(&p);
    if (b->cancel_at_pct >= 0 && fraction * 100 >= b->cancel_at_pct)
        InterlockedExchange(&cancel_requested, 1);
    if (cancel_pending() && !b->cancel_sent) {
        b->cancel_sent = true;
        HRESULT hr = IDiscFormat2RawCD_CancelWrite(b->raw); /* only valid from inside Update */
        progress_end(false);
        fprintf(stderr, "stopping: the write is being cancelled (%s)...\n", SUCCEEDED(hr) ? "ok" : hr_text(hr));
    }
}

/* --simulate: IMAPI2's raw writer has no Test Write switch, so a dry run
 * reads the whole stream (every source file, every generated sector). */
static int dry_run(struct image *img)
{
    enum { CHUNK = 64 };
    BYTE *buf = malloc((size_t)CHUNK * img->sector_size);
    LARGE_INTEGER zero = { 0 };
    DWORD t0 = GetTickCount();
    if (!buf)
        return fail(RB_INTERNAL, "out of memory");
    IStream_Seek(img->stream, zero, STREAM_SEEK_SET, NULL);
    progress_begin("simulate");
    for (int64_t done = 0; done < img->sectors;) {
        ULONG got = 0;
        HRESULT hr = IStream_Read(img->stream, buf, CHUNK * img->sector_size, &got);
        if (FAILED(hr) || !got) {
            free(buf);
            progress_end(false);
            return fail(RB_FILE, "reading the image failed at sector %ld: %s", (long)done, hr_text(hr));
        }
        done += got / img->sector_size;
        if (cancel_pending()) {
            free(buf);
            progress_end(false);
            return fail(RB_CANCELLED, "simulation cancelled; nothing was written");
        }
        struct progress_info p = { "simulate", (double)done / img->sectors, "", done * (double)img->sector_size / MIB,
                                   img->sectors * (double)img->sector_size / MIB, -1, -1, -1,
                                   (long)((GetTickCount() - t0) / 1000) };
        progress_update(&p);
    }
    free(buf);
    progress_end(true);
    say("simulation done: the image reads completely and fits the disc; nothing was written\n");
    return RB_OK;
}

/* ----------------------------------------------------------- the burn */

/* Before PrepareMedia: recorder, client name and speed (the documented order). */
static int setup_format(IDiscFormat2RawCD *raw, struct recorder_ref *r)
{
    BSTR client = SysAllocString(CLIENT_NAME);
    HRESULT hr = IDiscFormat2RawCD_put_Recorder(raw, r->rec);
    if (SUCCEEDED(hr))
        hr = IDiscFormat2RawCD_put_ClientName(raw, client);
    SysFreeString(client);
    if (FAILED(hr))
        return fail(RB_UNSUPPORTED, "recorder %s: %s", r->name, hr_text(hr));
    LONG sectors_per_s = opt.speed_x ? opt.speed_x * CD_FRAMES_PER_SECOND : -1;
    if (FAILED(hr = IDiscFormat2RawCD_SetWriteSpeed(raw, sectors_per_s, VARIANT_FALSE)))
        return fail(RB_UNSUPPORTED, "recorder %s: speed %dx refused: %s", r->name, opt.speed_x, hr_text(hr));
    return RB_OK;
}

/* After PrepareMedia: the sector type and BUFE, which IMAPI2 takes only for
 * prepared media. */
static int set_write_settings(IDiscFormat2RawCD *raw, struct recorder_ref *r, int layout)
{
    HRESULT hr = IDiscFormat2RawCD_put_RequestedSectorType(raw, (IMAPI_FORMAT2_RAW_CD_DATA_SECTOR_TYPE)layout);
    if (FAILED(hr))
        return fail(RB_SECTOR, "recorder %s cannot write %s sectors: %s", r->name, layout_name(layout), hr_text(hr));
    if (opt.bufe >= 0 && FAILED(hr = IDiscFormat2RawCD_put_BufferUnderrunFreeDisabled(raw, opt.bufe ? VARIANT_FALSE
                                                                                                    : VARIANT_TRUE)))
        return fail(RB_UNSUPPORTED, "recorder %s: BUFE cannot be changed: %s", r->name, hr_text(hr));
    return RB_OK;
}

static IMAPI_MEDIA_PHYSICAL_TYPE burn_media; /* the disc being burnt, for a hard stop's message */

static int write_image(IDiscFormat2RawCD *raw, struct recorder_ref *r, struct image *img)
{
    const char *hook = getenv("RAWBURN_TEST_CANCEL_AT");
    struct burn_ctx b = { raw, r, img, 0, 0, -1, hook ? atoi(hook) : -1, false, false };
    IDispatch *sink = sink_create(&IID_DDiscFormat2RawCDEvents, on_burn_update, &b);
    DWORD cookie = 0;
    if (!sink || FAILED(sink_advise((IUnknown *)raw, &IID_DDiscFormat2RawCDEvents, sink, &cookie)))
        note("no progress events from the raw writer");
    struct cd_msf length = cd_frames_to_msf(img->leadout_lba);
    say("writing %s image to %s (%s): %d track%s, %02d:%02d:%02d, %s sectors, %s\n", img->kind, r->name, r->label,
        img->track_count, img->track_count == 1 ? "" : "s", length.m, length.s, length.f, layout_name(img->layout),
        opt.speed_x ? "speed as asked" : "fastest speed");
    if (burn_media == IMAPI_MEDIA_TYPE_CDRW)
        set_stop_state(true, "the CD-RW in %s was being written and is left incomplete: erase it before using it "
                             "again (rawburn erase -d %s)", r->name, r->name);
    else
        set_stop_state(true, "the CD-R in %s was being written and is left incomplete: it cannot be used again "
                             "(a CD-R cannot be erased)", r->name);
    progress_begin("burn");
    HRESULT hr = IDiscFormat2RawCD_WriteMedia(raw, img->stream);
    progress_end(SUCCEEDED(hr));
    set_stop_state(true, "the write had ended; see `rawburn list` for the state of the disc in %s", r->name);
    sink_unadvise((IUnknown *)raw, &IID_DDiscFormat2RawCDEvents, cookie);
    if (sink)
        IDispatch_Release(sink);
    HRESULT release = IDiscFormat2RawCD_ReleaseMedia(raw);
    if (SUCCEEDED(hr) && !b.cancel_sent) {
        if (FAILED(release))
            note("releasing the recorder failed: %s", hr_text(release));
        say("done: the disc in %s is written and closed\n", r->name);
        return RB_OK;
    }
    if (b.cancel_sent || hr == E_IMAPI_REQUEST_CANCELLED) {
        fail(RB_CANCELLED, "cancelled by Ctrl+C");
        describe_disc_after(r);
        return RB_CANCELLED;
    }
    int status = hr == E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE ? fail(RB_TOO_BIG, "the image does not fit on the disc")
                 : hr == E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK ? fail(RB_MEDIA, "the disc is not blank")
                 : hr == E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED || hr == E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT
                     ? fail(RB_SECTOR, "the recorder refused the image stream: %s", hr_text(hr))
                     : fail(RB_WRITE, "the write failed: %s", hr_text(hr));
    describe_disc_after(r);
    return status;
}

int burn_image(struct recorder_ref *r, struct image *img)
{
    IDiscFormat2RawCD *raw = NULL;
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2RawCD,
                                  (void **)&raw);
    if (FAILED(hr))
        return create_failed(&CLSID_MsftDiscFormat2RawCD, "MsftDiscFormat2RawCD", hr);
    int status = setup_format(raw, r);
    if (!status && FAILED(hr = IDiscFormat2RawCD_PrepareMedia(raw)))
        status = prepare_error(r, hr);
    else if (!status) {
        if (hr == S_IMAPI_SPEEDADJUSTED || hr == S_IMAPI_BOTHADJUSTED)
            note("recorder %s does not write at %dx; it chose its own speed", r->name, opt.speed_x);
        status = set_write_settings(raw, r, img->layout);
        if (!status)
            status = check_fit(raw, r, img);
        if (!status && cancel_pending())
            status = fail(RB_CANCELLED, "cancelled before writing; the disc is untouched");
        if (!status && opt.simulate) {
            IDiscFormat2RawCD_ReleaseMedia(raw);
            IDiscFormat2RawCD_Release(raw);
            return dry_run(img);
        }
        if (status)
            IDiscFormat2RawCD_ReleaseMedia(raw);
        else
            status = write_image(raw, r, img);
    }
    IDiscFormat2RawCD_Release(raw);
    return status;
}

/* Everything before PrepareMedia: image, recorder, disc, sector type. */
int cmd_burn(const char *image_path)
{
    struct image_plan *plan = NULL;
    struct recorder_ref r = { 0 };
    struct media_state m;
    struct image img = { 0 };
    IDiscFormat2RawCD *raw = NULL;
    VARIANT_BOOL ok = VARIANT_FALSE;
    int layout = 0;
    int status = image_plan_load(image_path, &plan);
    if (status)
        return status;
    if ((status = recorder_open(opt.device, &r)) || (status = recorder_check_free(&r)))
        goto done;
    media_query(&r, &m);
    if ((status = media_problem(&r, &m)))
        goto done;
    burn_media = m.type;
    set_stop_state(true, "nothing was written: the disc in %s is untouched", r.name);
    if (opt.tao) {
        status = burn_tao(&r, plan);
        goto eject;
    }
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscFormat2RawCD, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2RawCD,
                                  (void **)&raw);
    if (FAILED(hr)) {
        status = create_failed(&CLSID_MsftDiscFormat2RawCD, "MsftDiscFormat2RawCD", hr);
        goto done;
    }
    hr = IDiscFormat2RawCD_IsRecorderSupported(raw, r.rec, &ok);
    if (hr != S_OK || !ok) {
        status = fail(RB_UNSUPPORTED, "recorder %s cannot write raw Disc-At-Once", r.name);
        goto done;
    }
    IDiscFormat2RawCD_put_Recorder(raw, r.rec);
    int wanted = image_plan_layout(plan);
    if (wanted && opt.sector_type && opt.sector_type != wanted) {
        status = fail(RB_SECTOR, "%s has %s sectors, not %s ones", image_path, layout_name(wanted),
                      layout_name(opt.sector_type));
        goto done;
    }
    if ((status = choose_layout(raw, &r, wanted ? wanted : opt.sector_type, &layout)))
        goto done;
    if (opt.simulate && !drive_can_simulate(&r)) {
        status = fail(RB_UNSUPPORTED, "recorder %s cannot simulate (no Test Write)", r.name);
        goto done;
    }
    IDiscFormat2RawCD_Release(raw);
    raw = NULL;
    if ((status = image_build(plan, layout, &img)))
        goto done;
    if (cancel_pending()) {
        status = fail(RB_CANCELLED, "cancelled before writing; the disc is untouched");
        goto done;
    }
    status = burn_image(&r, &img);
    if (!status && opt.verify && !opt.simulate) {
        set_stop_state(true, "the disc in %s is written and closed; it was not verified to the end", r.name);
        status = verify_disc(&r, &img);
    }
eject:
    if (!status && opt.eject && FAILED(IDiscRecorder2_EjectMedia(r.rec)))
        note("the tray could not be opened");
done:
    if (raw)
        IDiscFormat2RawCD_Release(raw);
    image_free(&img);
    recorder_close(&r);
    image_plan_free(plan);
    return status;
}

/* -------------------------------------------------------------- erase */

struct erase_ctx {
    DWORD t0;
    bool told;      /* the first Ctrl+C was answered */
};

static void on_erase_update(void *ctx, DISPPARAMS *params)
{
    VARIANT elapsed, total;
    if (params->cArgs < 3)
        return;
    VariantInit(&elapsed);
    VariantInit(&total);
    if (FAILED(VariantChangeType(&elapsed, &params->rgvarg[1], 0, VT_I4)) ||
        FAILED(VariantChangeType(&total, &params->rgvarg[0], 0, VT_I4)))
        return;
    long e = V_I4(&elapsed), t = V_I4(&total);
    struct erase_ctx *c = ctx;
    if (cancel_pending() && !c->told) {
        c->told = true;
        progress_end(false);
        fprintf(stderr, "Ctrl+C: an erase cannot be cancelled through IMAPI2: it runs on until the CD-RW is "
                        "blank. Press Ctrl+C again to leave now (the disc is then left partly erased).\n");
        fflush(stderr);
        progress_begin("erase");
    }
    struct progress_info p = { "erasing", t > 0 ? (e > t ? 1.0 : (double)e / t) : -1, "", 0, 0, -1, -1,
                               t > e ? t - e : 0, e };
    progress_update(&p);
}

int cmd_erase(void)
{
    struct recorder_ref r;
    struct media_state m;
    IDiscFormat2Erase *erase = NULL;
    IDispatch *sink = NULL;
    DWORD cookie = 0;
    struct erase_ctx ctx = { GetTickCount(), false };
    int status = recorder_open(opt.device, &r);
    if (status)
        return status;
    if ((status = recorder_check_free(&r)))
        goto done;
    media_query(&r, &m);
    if (m.status == DISC_NONE) {
        status = fail(RB_MEDIA, "there is no disc in recorder %s", r.name);
        goto done;
    }
    if (m.type != IMAPI_MEDIA_TYPE_CDRW) {
        status = fail(RB_MEDIA, "the disc in recorder %s is a %s: only CD-RW discs can be erased", r.name,
                      media_type_name(m.type));
        goto done;
    }
    HRESULT hr = CoCreateInstance(&CLSID_MsftDiscFormat2Erase, NULL, CLSCTX_INPROC_SERVER, &IID_IDiscFormat2Erase,
                                  (void **)&erase);
    if (FAILED(hr)) {
        status = create_failed(&CLSID_MsftDiscFormat2Erase, "MsftDiscFormat2Erase", hr);
        goto done;
    }
    BSTR client = SysAllocString(CLIENT_NAME);
    hr = IDiscFormat2Erase_put_Recorder(erase, r.rec);
    if (SUCCEEDED(hr))
        hr = IDiscFormat2Erase_put_ClientName(erase, client);
    if (SUCCEEDED(hr))
        hr = IDiscFormat2Erase_put_FullErase(erase, opt.full_erase ? VARIANT_TRUE : VARIANT_FALSE);
    SysFreeString(client);
    if (FAILED(hr)) {
        status = fail(RB_WRITE, "recorder %s: %s", r.name, hr_text(hr));
        goto done;
    }
    if ((sink = sink_create(&IID_DDiscFormat2EraseEvents, on_erase_update, &ctx)))
        sink_advise((IUnknown *)erase, &IID_DDiscFormat2EraseEvents, sink, &cookie);
    if (cancel_pending()) {
        status = fail(RB_CANCELLED, "cancelled by Ctrl+C before erasing; the disc in %s is untouched", r.name);
        goto done;
    }
    say("erasing the CD-RW in %s (%s)\n", r.name, opt.full_erase ? "full" : "minimal");
    set_stop_state(true, "the CD-RW in %s was being erased and is left partly erased: erase it again "
                         "(rawburn erase -d %s)", r.name, r.name);
    progress_begin("erase");
    hr = IDiscFormat2Erase_EraseMedia(erase);
    progress_end(SUCCEEDED(hr));
    set_stop_state(false, "the erase had ended; see `rawburn list` for the state of the disc in %s", r.name);
    sink_unadvise((IUnknown *)erase, &IID_DDiscFormat2EraseEvents, cookie);
    if (hr == E_IMAPI_RECORDER_LOCKED || hr == E_IMAPI_ERASE_RECORDER_IN_USE)
        status = prepare_error(&r, E_IMAPI_RECORDER_LOCKED);
    else if (hr == E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE || hr == E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED)
        status = fail(RB_MEDIA, "the disc in recorder %s cannot be erased", r.name);
    else if (FAILED(hr))
        status = fail(RB_WRITE, "erasing failed: %s", hr_text(hr));
    else if (cancel_pending())
        status = fail(RB_CANCELLED, "interrupted by Ctrl+C: the erase could not be stopped and has finished: the "
                                    "CD-RW in %s is blank", r.name);
    else
        say("done: the CD-RW in %s is blank (%lu s)\n", r.name, (unsigned long)((GetTickCount() - ctx.t0) / 1000));
done:
    if (sink)
        IDispatch_Release(sink);
    if (erase)
        IDiscFormat2Erase_Release(erase);
    recorder_close(&r);
    return status;
}
