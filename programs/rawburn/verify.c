/* verify: read the disc back through IDiscRecorder2Ex (READ TOC, then READ
 * CD with the raw P-W sub-channel) and compare it with the image stream,
 * stopping at the first difference and saying exactly where it is.
 *
 * What is compared: the TOC (track starts, lead-out), every program-area
 * sector's 2352 main-channel bytes (the image's data sectors descrambled,
 * since READ CD returns them so) and its Q sub-channel; with a raw P-W
 * image all 96 sub-channel bytes. */
#include <stdlib.h>
#include <string.h>

#include "rawburn.h"
#include "mmc/msf.h"
#include "mmc/sector.h"
#include "mmc/subcode.h"

#define CHUNK 24 /* sectors per READ CD */
#define READ_SECTOR (CD_SECTOR_SIZE + CD_SUBCODE_RAW)

static int compare_toc(struct recorder_ref *r, const struct image *img)
{
    static struct mmc_toc toc;
    struct scsi_request req;
    BYTE data[804];
    ULONG got = 0;
    mmc_build_read_toc(&req, MMC_TOC_FORMAT_TOC, false, 1, data, sizeof(data));
    if (recorder_get_data(r, &req, 10, &got) != S_OK || MMC_FAILED(mmc_parse_toc(data, got, false, &toc)) ||
        toc.count < 2)
        return fail(RB_MEDIA, "the disc in %s has no table of contents (not written, or not closed)", r->name);
    for (int i = 0; i < img->track_count; i++) {
        const struct image_track *t = &img->tracks[i];
        int32_t disc_lba = INT32_MIN;
        for (size_t e = 0; e < toc.count; e++)
            if (toc.entries[e].track == t->number)
                disc_lba = toc.entries[e].lba;
        if (disc_lba == INT32_MIN)
            return fail(RB_VERIFY, "first difference: track %d is in the image but not on the disc", t->number);
        if (disc_lba != t->start_lba)
            return fail(RB_VERIFY, "first difference: track %d starts at LBA %ld on the disc, %ld in the image",
                        t->number, (long)disc_lba, (long)t->start_lba);
    }
    for (size_t e = 0; e < toc.count; e++)
        if (toc.entries[e].track == 0xAA) {
            int32_t lo = toc.entries[e].lba;
            if (lo != img->leadout_lba)
                return fail(RB_VERIFY, "first difference: the lead-out starts at LBA %ld on the disc, %ld in the image",
                            (long)lo, (long)img->leadout_lba);
        }
    return RB_OK;
}

static HRESULT read_disc(struct recorder_ref *r, int32_t lba, uint32_t count, BYTE *out)
{
    struct scsi_request req;
    ULONG got = 0;
    mmc_build_read_cd(&req, MMC_SECTOR_ANY, lba, count, MMC_READ_CD_ALL_MAIN, MMC_SUB_RAW_PW, out,
                      count * READ_SECTOR);
    HRESULT hr = recorder_get_data(r, &req, 30, &got);
    if (SUCCEEDED(hr) && got < count * READ_SECTOR)
        return E_FAIL;
    return hr;
}

static HRESULT read_image(const struct image *img, int32_t lba, uint32_t count, BYTE *out)
{
    LARGE_INTEGER at;
    ULONG got = 0;
    at.QuadPart = ((LONGLONG)lba - CD_RAW_IMAGE_START_LBA) * img->sector_size;
    HRESULT hr = IStream_Seek(img->stream, at, STREAM_SEEK_SET, NULL);
    if (SUCCEEDED(hr))
        hr = IStream_Read(img->stream, out, count * img->sector_size, &got);
    return FAILED(hr) ? hr : got < count * img->sector_size ? E_FAIL : S_OK;
}

static bool track_is_data(const struct image *img, int32_t lba)
{
    int t = image_track_at(img, lba);
    for (int i = 0; i < img->track_count; i++)
        if (img->tracks[i].number == t)
            return img->tracks[i].data;
    return false;
}

static int report(const struct image *img, int32_t lba, const char *what, int byte, unsigned disc, unsigned image)
{
    int t = image_track_at(img, lba);
    struct cd_msf m = cd_lba_to_msf(lba);
    return fail(RB_VERIFY, "first difference at LBA %ld (MSF %02d:%02d:%02d, track %d): %s byte %d is 0x%02x on the "
                           "disc, 0x%02x in the image", (long)lba, m.m, m.s, m.f, t, what, byte, disc, image);
}

/* One sector: disc = 2352 + 96 raw P-W, image = the stream's sector. */
static int compare_sector(const struct image *img, int32_t lba, const BYTE *disc, BYTE *image)
{
    uint8_t raw[CD_SUBCODE_RAW], dq[CD_SUBQ_LEN], iq[CD_SUBQ_LEN];
    bool dp, ip;
    cd_subcode_get_q(img->layout, image + CD_SECTOR_SIZE, iq, &ip);
    /* data or audio as a drive tells it: the sector's own Q control (a data
     * track's pregap is data though the TOC puts it in the track before) */
    bool data = cd_subq_crc_ok(iq) ? (iq[0] & 0x40) != 0 : track_is_data(img, lba);
    if (data && cd_sector_has_sync(image))
        cd_scramble(image); /* the stream carries data scrambled; READ CD descrambles */
    for (int i = 0; i < CD_SECTOR_SIZE; i++)
        if (disc[i] != image[i])
            return report(img, lba, "main-channel", i, disc[i], image[i]);
    cd_subcode_get_q(CD_RAW_RAW, disc + CD_SECTOR_SIZE, dq, &dp);
    for (int i = 0; i < CD_SUBQ_LEN; i++)
        if (dq[i] != iq[i])
            return report(img, lba, "sub-channel Q", i, dq[i], iq[i]);
    if (img->layout == CD_RAW_RAW) {
        memcpy(raw, image + CD_SECTOR_SIZE, sizeof(raw));
        for (int i = 0; i < CD_SUBCODE_RAW; i++)
            if (disc[CD_SECTOR_SIZE + i] != raw[i])
                return report(img, lba, "sub-channel P-W", i, disc[CD_SECTOR_SIZE + i], raw[i]);
    }
    return RB_OK;
}

int verify_disc(struct recorder_ref *r, struct image *img)
{
    BYTE *disc = malloc(CHUNK * READ_SECTOR), *image = malloc((size_t)CHUNK * img->sector_size);
    DWORD t0 = GetTickCount();
    int status = RB_OK;
    if (!disc || !image || !r->ex) {
        free(disc);
        free(image);
        return fail(RB_INTERNAL, "out of memory");
    }
    say("verifying %s against the image\n", r->name);
    if ((status = compare_toc(r, img)))
        goto done;
    progress_begin("verify");
    for (int32_t lba = 0; lba < img->leadout_lba && !status; lba += CHUNK) {
        uint32_t n = (uint32_t)(img->leadout_lba - lba < CHUNK ? img->leadout_lba - lba : CHUNK);
        HRESULT hr = read_disc(r, lba, n, disc);
        if (FAILED(hr)) {
            progress_end(false);
            status = fail(RB_VERIFY, "reading the disc failed at LBA %ld: %s", (long)lba, hr_text(hr));
            break;
        }
        if (FAILED(hr = read_image(img, lba, n, image))) {
            progress_end(false);
            status = fail(RB_FILE, "reading the image failed at LBA %ld: %s", (long)lba, hr_text(hr));
            break;
        }
        for (uint32_t k = 0; k < n && !status; k++)
            status = compare_sector(img, lba + (int32_t)k, disc + k * READ_SECTOR, image + k * img->sector_size);
        if (cancel_pending() && !status)
            status = fail(RB_CANCELLED, "verify cancelled");
        double secs = (GetTickCount() - t0) / 1000.0;
        char where[24];
        int t = image_track_at(img, lba);
        snprintf(where, sizeof(where), "track %d", t > 0 ? t : img->tracks[0].number);
        struct progress_info p = { "verifying", (double)(lba + n) / img->leadout_lba, where,
                                   (lba + n) * (double)CD_SECTOR_SIZE / 1048576.0,
                                   img->leadout_lba * (double)CD_SECTOR_SIZE / 1048576.0,
                                   secs > 0.2 ? (lba + n) / secs / CD_FRAMES_PER_SECOND : -1, -1, -1, (long)secs };
        if (!status)
            progress_update(&p);
    }
    if (!status) {
        progress_end(true);
        say("verify: the disc matches the image (%ld sectors, TOC and sub-channel)%s\n", (long)img->leadout_lba,
            img->via_creator && !img->follows_sheet ? "; its gaps are IMAPI2's, not the sheet's (--imapi-gaps)"
            : img->follows_sheet                     ? ", laid out as the sheet says"
                                                     : "");
    } else {
        progress_end(false);
    }
done:
    free(disc);
    free(image);
    return status;
}

int cmd_verify(const char *image_path)
{
    struct image_plan *plan = NULL;
    struct recorder_ref r = { 0 };
    struct image img = { 0 };
    struct media_state m;
    int status = image_plan_load(image_path, &plan);
    if (status)
        return status;
    set_stop_state(true, "verify only reads: no disc was changed");
    if ((status = recorder_open(opt.device, &r)) || (status = recorder_check_free(&r)))
        goto done;
    media_query(&r, &m);
    if (m.status != DISC_COMPLETE) {
        status = fail(RB_MEDIA, "the disc in %s is %s: there is nothing to verify", r.name, m.text);
        goto done;
    }
    int layout = image_plan_layout(plan);
    if (!layout)
        layout = opt.sector_type ? opt.sector_type : IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW;
    if (!(status = image_build(plan, layout, &img)))
        status = verify_disc(&r, &img);
done:
    image_free(&img);
    recorder_close(&r);
    image_plan_free(plan);
    return status;
}

/* rawburn image IMAGE OUT: the raw DAO stream rawburn would burn, as a
 * file (2448 or 2368 bytes a sector from 95:00:00), for other burners or
 * a later `rawburn burn OUT`. */
int cmd_image(const char *image_path, const char *out_path)
{
    struct image_plan *plan = NULL;
    struct image img = { 0 };
    int status = image_plan_load(image_path, &plan);
    if (status)
        return status;
    int layout = image_plan_layout(plan);
    if (!layout)
        layout = opt.sector_type ? opt.sector_type : IMAPI_FORMAT2_RAW_CD_SUBCODE_IS_RAW;
    if ((status = image_build(plan, layout, &img)))
        goto done;
    WCHAR *w = utf8_to_wide(out_path);
    HANDLE h = w ? CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL)
                 : INVALID_HANDLE_VALUE;
    HeapFree(GetProcessHeap(), 0, w);
    if (h == INVALID_HANDLE_VALUE) {
        status = fail(RB_FILE, "cannot create %s", out_path);
        goto done;
    }
    BYTE *buf = malloc((size_t)64 * img.sector_size);
    LARGE_INTEGER zero = { 0 };
    IStream_Seek(img.stream, zero, STREAM_SEEK_SET, NULL);
    for (int64_t done = 0; buf && done < img.sectors && !status;) {
        ULONG got = 0;
        DWORD put = 0;
        HRESULT hr = IStream_Read(img.stream, buf, 64 * img.sector_size, &got);
        if (FAILED(hr) || !got)
            status = fail(RB_FILE, "reading the image failed: %s", hr_text(hr));
        else if (!WriteFile(h, buf, got, &put, NULL) || put != got)
            status = fail(RB_FILE, "writing %s failed", out_path);
        done += got / img.sector_size;
    }
    if (!buf)
        status = fail(RB_INTERNAL, "out of memory");
    free(buf);
    CloseHandle(h);
    if (!status) {
        char q[MAX_PATH * 2];
        say("%s: %ld sectors of %lu bytes from MSF 95:00:00, lead-out at LBA %ld\n", out_path, (long)img.sectors,
            (unsigned long)img.sector_size, (long)img.leadout_lba);
        if (progress_is_json())
            json_event("{\"event\":\"image\",\"out\":\"%s\",\"sectors\":%ld,\"sector_size\":%lu,"
                       "\"leadout_lba\":%ld}", json_quote(out_path, q, sizeof(q)), (long)img.sectors,
                       (unsigned long)img.sector_size, (long)img.leadout_lba);
    }
done:
    image_free(&img);
    image_plan_free(plan);
    return status;
}
