/* MMC response parsers. The pattern everywhere: work out how many bytes are
 * valid (the returned length, capped by the length the data declares), check
 * the fixed part fits, then check each inner length before reading. */
#include "parse.h"

#include <string.h>

#include "imapi2error.h"
#include "mmc/cdb.h"
#include "mmc/sense.h"

#define BAD E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE

/* Bytes the data declares: a length field of `field_bytes` at offset 0 that
 * counts what follows it. */
static uint64_t declared_total(const uint8_t *buf, size_t len, size_t field_bytes)
{
    if (len < field_bytes)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < field_bytes; i++)
        v = v << 8 | buf[i];
    return v + field_bytes;
}

static size_t valid_bytes(size_t len, uint64_t total)
{
    return total < len ? (size_t)total : len;
}

static bool msf_plausible(const uint8_t *p)
{
    return p[1] < 60 && p[2] < 75;
}

static struct cd_msf msf_at(const uint8_t *p)
{
    struct cd_msf m = { p[0], p[1], p[2] };
    return m;
}

static int32_t lba_from_address(const uint8_t *p, bool msf)
{
    return msf ? cd_msf_to_lba(msf_at(p + 1)) : (int32_t)mmc_get32(p);
}

/* ---- INQUIRY ---- */

static void copy_identity(char *dst, const uint8_t *src, size_t width)
{
    size_t n = 0;
    for (; n < width && src[n]; n++)
        dst[n] = (src[n] >= 0x20 && src[n] < 0x7F) ? (char)src[n] : '?';
    while (n > 0 && dst[n - 1] == ' ')
        n--;
    dst[n] = '\0';
}

int32_t mmc_parse_inquiry(const uint8_t *buf, size_t len, struct mmc_inquiry *out)
{
    memset(out, 0, sizeof(*out));
    if (len < 5)
        return BAD;
    size_t n = valid_bytes(len, (uint64_t)buf[4] + 5);
    if (n < 36)
        return BAD;
    out->peripheral_type = buf[0] & 0x1F;
    out->removable = buf[1] & 0x80;
    out->version = buf[2];
    copy_identity(out->vendor, buf + 8, 8);
    copy_identity(out->product, buf + 16, 16);
    copy_identity(out->revision, buf + 32, 4);
    return MMC_S_OK;
}

/* ---- GET CONFIGURATION ---- */

int32_t mmc_next_feature(const uint8_t *buf, size_t len, size_t *pos, struct mmc_feature *f)
{
    uint64_t total = declared_total(buf, len, 4);
    if (len < 8 || total < 8)
        return BAD;
    size_t n = valid_bytes(len, total);
    bool cut = len < total; /* the drive had more than the buffer took */
    size_t at = *pos < 8 ? 8 : *pos;
    if (at >= n)
        return 0;
    if (at + 4 > n || at + 4 + (size_t)buf[at + 3] > n)
        return cut ? 0 : BAD;
    f->code = mmc_get16(buf + at);
    f->version = (buf[at + 2] >> 2) & 0x0F;
    f->persistent = buf[at + 2] & 0x02;
    f->current = buf[at + 2] & 0x01;
    f->data_len = buf[at + 3];
    f->data = buf + at + 4;
    *pos = at + 4 + f->data_len;
    return 1;
}

static int32_t take_profiles(const struct mmc_feature *f, struct mmc_configuration *c)
{
    if (f->data_len % 4)
        return BAD;
    for (size_t i = 0; i + 4 <= f->data_len; i += 4) {
        if (c->profile_count == MMC_MAX_PROFILES) {
            c->truncated = true;
            break;
        }
        c->profiles[c->profile_count].number = mmc_get16(f->data + i);
        c->profiles[c->profile_count].current = f->data[i + 2] & 0x01;
        c->profile_count++;
    }
    return MMC_S_OK;
}

static int32_t take_mastering(const struct mmc_feature *f, struct mmc_configuration *c)
{
    struct mmc_cd_mastering *m = &c->mastering;
    if (f->data_len < 4)
        return BAD;
    uint8_t b = f->data[0];
    m->present = true;
    m->current = f->current;
    m->buf = b & 0x40;
    m->sao = b & 0x20;
    m->raw_ms = b & 0x10;
    m->raw = b & 0x08;
    m->test_write = b & 0x04;
    m->cd_rw = b & 0x02;
    m->r_w = b & 0x01;
    m->max_cue_sheet = mmc_get24(f->data + 1);
    return MMC_S_OK;
}

static int32_t take_tao(const struct mmc_feature *f, struct mmc_configuration *c)
{
    struct mmc_cd_tao *t = &c->tao;
    if (f->data_len < 4)
        return BAD;
    uint8_t b = f->data[0];
    t->present = true;
    t->current = f->current;
    t->buf = b & 0x40;
    t->rw_raw = b & 0x10;
    t->rw_pack = b & 0x08;
    t->test_write = b & 0x04;
    t->cd_rw = b & 0x02;
    t->r_w = b & 0x01;
    t->data_types = mmc_get16(f->data + 2);
    return MMC_S_OK;
}

static const struct {
    uint16_t code;
    int32_t (*take)(const struct mmc_feature *f, struct mmc_configuration *c);
} feature_parsers[] = {
    { MMC_FEATURE_PROFILE_LIST, take_profiles },
    { MMC_FEATURE_CD_MASTERING, take_mastering },
    { MMC_FEATURE_CD_TAO, take_tao },
};

int32_t mmc_parse_configuration(const uint8_t *buf, size_t len, struct mmc_configuration *out)
{
    memset(out, 0, sizeof(*out));
    uint64_t total = declared_total(buf, len, 4);
    if (len < 8 || total < 8)
        return BAD;
    out->current_profile = mmc_get16(buf + 6);
    out->truncated = len < total;
    size_t pos = 0;
    struct mmc_feature f;
    int32_t rc;
    while ((rc = mmc_next_feature(buf, len, &pos, &f)) == 1) {
        out->feature_count++;
        for (size_t i = 0; i < sizeof(feature_parsers) / sizeof(feature_parsers[0]); i++) {
            if (feature_parsers[i].code != f.code)
                continue;
            int32_t hr = feature_parsers[i].take(&f, out);
            if (MMC_FAILED(hr))
                return hr;
        }
    }
    return rc == 0 ? MMC_S_OK : rc;
}

bool mmc_config_has_profile(const struct mmc_configuration *c, uint16_t profile)
{
    for (size_t i = 0; i < c->profile_count; i++)
        if (c->profiles[i].number == profile)
            return true;
    return false;
}

/* ---- READ DISC INFORMATION ---- */

/* An MSF address field (0, M, S, F) of disc information; FF FF FF = none. */
static int32_t take_msf_field(const uint8_t *p, bool *valid, int32_t *lba)
{
    *valid = false;
    if (p[1] == 0xFF && p[2] == 0xFF && p[3] == 0xFF)
        return MMC_S_OK;
    if (!msf_plausible(p + 1))
        return BAD;
    *valid = true;
    *lba = cd_msf_to_lba(msf_at(p + 1));
    return MMC_S_OK;
}

int32_t mmc_parse_disc_info(const uint8_t *buf, size_t len, struct mmc_disc_info *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = valid_bytes(len, declared_total(buf, len, 2));
    if (n < 24)
        return BAD;
    out->disc_status = buf[2] & 0x03;
    out->last_session_state = (buf[2] >> 2) & 0x03;
    out->erasable = buf[2] & 0x10;
    out->first_track = buf[3];
    out->sessions = (uint16_t)(buf[9] << 8 | buf[4]);
    out->first_track_last_session = (uint16_t)(buf[10] << 8 | buf[5]);
    out->last_track_last_session = (uint16_t)(buf[11] << 8 | buf[6]);
    out->disc_type = buf[8];
    int32_t hr = take_msf_field(buf + 16, &out->leadin_valid, &out->last_session_leadin);
    if (MMC_SUCCEEDED(hr))
        hr = take_msf_field(buf + 20, &out->leadout_valid, &out->last_possible_leadout);
    return hr;
}

/* ---- READ TRACK INFORMATION ---- */

int32_t mmc_parse_track_info(const uint8_t *buf, size_t len, struct mmc_track_info *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = valid_bytes(len, declared_total(buf, len, 2));
    if (n < 28) /* through the track size: every MMC version has that much */
        return BAD;
    out->track = buf[2];
    out->session = buf[3];
    out->damaged = buf[5] & 0x20;
    out->copy = buf[5] & 0x10;
    out->track_mode = buf[5] & 0x0F;
    out->reserved_track = buf[6] & 0x80;
    out->blank = buf[6] & 0x40;
    out->packet = buf[6] & 0x20;
    out->fixed_packet = buf[6] & 0x10;
    out->data_mode = buf[6] & 0x0F;
    out->nwa_valid = buf[7] & 0x01;
    out->start = (int32_t)mmc_get32(buf + 8);
    out->next_writable = (int32_t)mmc_get32(buf + 12);
    out->free_blocks = mmc_get32(buf + 16);
    out->fixed_packet_size = mmc_get32(buf + 20);
    out->size = mmc_get32(buf + 24);
    if (n >= 32) {
        out->lra_valid = buf[7] & 0x02;
        out->last_recorded = (int32_t)mmc_get32(buf + 28);
    }
    if (n >= 34) {
        out->track |= (uint16_t)(buf[32] << 8);
        out->session |= (uint16_t)(buf[33] << 8);
    }
    return MMC_S_OK;
}

/* ---- READ TOC ---- */

static bool track_number_valid(uint8_t t)
{
    return (t >= 1 && t <= 99) || t == 0xAA;
}

int32_t mmc_parse_toc(const uint8_t *buf, size_t len, bool msf, struct mmc_toc *out)
{
    memset(out, 0, sizeof(*out));
    uint64_t total = declared_total(buf, len, 2);
    if (len < 4 || total < 4 || (total - 4) % 8 || (total - 4) / 8 > MMC_TOC_MAX_ENTRIES)
        return BAD;
    out->first_track = buf[2];
    out->last_track = buf[3];
    if (out->first_track < 1 || out->last_track > 99 || out->first_track > out->last_track)
        return BAD;
    size_t n = valid_bytes(len, total);
    out->truncated = n < total;
    for (size_t off = 4; off + 8 <= n; off += 8) {
        const uint8_t *e = buf + off;
        if (!track_number_valid(e[2]) || (msf && !msf_plausible(e + 5)))
            return BAD;
        struct mmc_toc_entry *t = &out->entries[out->count++];
        t->adr = e[1] >> 4;
        t->control = e[1] & 0x0F;
        t->track = e[2];
        t->lba = lba_from_address(e + 4, msf);
    }
    return MMC_S_OK;
}

int32_t mmc_parse_session_info(const uint8_t *buf, size_t len, bool msf, struct mmc_session_info *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = valid_bytes(len, declared_total(buf, len, 2));
    if (n < 12 || (msf && !msf_plausible(buf + 9)))
        return BAD;
    out->first_session = buf[2];
    out->last_session = buf[3];
    out->adr = buf[5] >> 4;
    out->control = buf[5] & 0x0F;
    out->first_track_last_session = buf[6];
    out->start = lba_from_address(buf + 8, msf);
    return MMC_S_OK;
}

int32_t mmc_parse_full_toc(const uint8_t *buf, size_t len, struct mmc_full_toc *out)
{
    memset(out, 0, sizeof(*out));
    uint64_t total = declared_total(buf, len, 2);
    if (len < 4 || total < 4 || (total - 4) % 11)
        return BAD;
    out->first_session = buf[2];
    out->last_session = buf[3];
    if (out->first_session > out->last_session)
        return BAD;
    size_t n = valid_bytes(len, total);
    out->truncated = n < total;
    for (size_t off = 4; off + 11 <= n; off += 11) {
        if (out->count == MMC_FULL_TOC_MAX) {
            out->truncated = true;
            break;
        }
        const uint8_t *e = buf + off;
        struct mmc_full_toc_entry *t = &out->entries[out->count++];
        t->session = e[0];
        t->adr = e[1] >> 4;
        t->control = e[1] & 0x0F;
        t->tno = e[2];
        t->point = e[3];
        t->min = e[4];
        t->sec = e[5];
        t->frame = e[6];
        t->zero = e[7];
        t->pmin = e[8];
        t->psec = e[9];
        t->pframe = e[10];
    }
    return MMC_S_OK;
}

const struct mmc_full_toc_entry *mmc_full_toc_find(const struct mmc_full_toc *t, uint8_t session, uint8_t point)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->entries[i].session == session && t->entries[i].point == point && t->entries[i].adr == 1)
            return &t->entries[i];
    return NULL;
}

int32_t mmc_parse_atip(const uint8_t *buf, size_t len, struct mmc_atip *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = valid_bytes(len, declared_total(buf, len, 2));
    if (n < 15)
        return BAD;
    const uint8_t *in = buf + 8, *lo = buf + 12;
    /* The lead-in starts in the 90:00:00+ range, the lead-out below it. */
    if (!msf_plausible(in) || in[0] < 90 || in[0] > 99 || !msf_plausible(lo) || lo[0] >= 90)
        return BAD;
    out->writing_power = (buf[4] >> 4) & 0x07;
    out->reference_speed = buf[4] & 0x07;
    out->uru = buf[5] & 0x40;
    out->erasable = buf[6] & 0x40;
    out->disc_subtype = (buf[6] >> 3) & 0x07;
    out->leadin_msf = msf_at(in);
    out->last_leadout_msf = msf_at(lo);
    out->leadin_start = cd_msf_to_lba(out->leadin_msf);
    out->last_possible_leadout = cd_msf_to_lba(out->last_leadout_msf);
    return MMC_S_OK;
}

/* ---- mode pages ---- */

static size_t page_length(const uint8_t *p, size_t room)
{
    if (p[0] & 0x40) /* SPF: sub-page format, 16-bit length */
        return room >= 4 ? 4 + (size_t)mmc_get16(p + 2) : SIZE_MAX;
    return 2 + (size_t)p[1];
}

int32_t mmc_mode_find_page(const uint8_t *buf, size_t len, uint8_t page_code, const uint8_t **page,
                           size_t *page_len)
{
    *page = NULL;
    *page_len = 0;
    uint64_t total = declared_total(buf, len, 2);
    if (len < MMC_MODE_HEADER_LEN || total < MMC_MODE_HEADER_LEN)
        return BAD;
    size_t n = valid_bytes(len, total);
    size_t off = MMC_MODE_HEADER_LEN + (size_t)mmc_get16(buf + 6);
    if (off > n)
        return BAD;
    while (off + 2 <= n) {
        const uint8_t *p = buf + off;
        size_t plen = page_length(p, n - off);
        bool wanted = (p[0] & 0x3F) == page_code;
        if (plen > n - off)
            return wanted || n == total ? BAD : E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE;
        if (wanted) {
            *page = p;
            *page_len = plen;
            return MMC_S_OK;
        }
        off += plen;
    }
    return E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE;
}

int32_t mmc_mode_select_list(const uint8_t *page, size_t page_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    *out_len = 0;
    if (page_len < 2 || page_len > 0xFFFF - MMC_MODE_HEADER_LEN || out_cap < MMC_MODE_HEADER_LEN + page_len)
        return MMC_E_INVALIDARG;
    memset(out, 0, MMC_MODE_HEADER_LEN);
    memcpy(out + MMC_MODE_HEADER_LEN, page, page_len);
    out[MMC_MODE_HEADER_LEN] &= 0x7F; /* PS is reserved in MODE SELECT */
    *out_len = MMC_MODE_HEADER_LEN + page_len;
    return MMC_S_OK;
}

int32_t mmc_parse_write_params(const uint8_t *page, size_t page_len, struct mmc_write_params *out)
{
    memset(out, 0, sizeof(*out));
    if (page_len < MMC_PAGE05_MIN_LEN || (page[0] & 0x3F) != MMC_PAGE_WRITE_PARAMETERS)
        return BAD;
    out->bufe = page[2] & 0x40;
    out->ls_v = page[2] & 0x20;
    out->test_write = page[2] & 0x10;
    out->write_type = page[2] & 0x0F;
    out->multi_session = page[3] >> 6;
    out->fixed_packet = page[3] & 0x20;
    out->copy = page[3] & 0x10;
    out->track_mode = page[3] & 0x0F;
    out->data_block_type = page[4] & 0x0F;
    out->link_size = page[5];
    out->session_format = page[8];
    out->packet_size = mmc_get32(page + 10);
    out->audio_pause = mmc_get16(page + 14);
    return MMC_S_OK;
}

int32_t mmc_apply_write_params(uint8_t *page, size_t page_len, const struct mmc_write_params *wp)
{
    if (page_len < MMC_PAGE05_MIN_LEN || (page[0] & 0x3F) != MMC_PAGE_WRITE_PARAMETERS)
        return MMC_E_INVALIDARG;
    page[2] = (uint8_t)((wp->bufe ? 0x40 : 0) | (wp->ls_v ? 0x20 : 0) | (wp->test_write ? 0x10 : 0) |
                        (wp->write_type & 0x0F));
    page[3] = (uint8_t)((wp->multi_session & 0x03) << 6 | (wp->fixed_packet ? 0x20 : 0) | (wp->copy ? 0x10 : 0) |
                        (wp->track_mode & 0x0F));
    page[4] = (uint8_t)((page[4] & 0xF0) | (wp->data_block_type & 0x0F));
    page[5] = wp->link_size;
    page[8] = wp->session_format;
    mmc_put32(page + 10, wp->packet_size);
    mmc_put16(page + 14, wp->audio_pause);
    return MMC_S_OK;
}

int32_t mmc_parse_capabilities(const uint8_t *page, size_t page_len, struct mmc_capabilities *out)
{
    memset(out, 0, sizeof(*out));
    if (page_len < MMC_PAGE2A_MIN_LEN || (page[0] & 0x3F) != MMC_PAGE_CAPABILITIES)
        return BAD;
    out->read_cdr = page[2] & 0x01;
    out->read_cdrw = page[2] & 0x02;
    out->read_dvdrom = page[2] & 0x08;
    out->write_cdr = page[3] & 0x01;
    out->write_cdrw = page[3] & 0x02;
    out->test_write = page[3] & 0x04;
    out->audio_play = page[4] & 0x01;
    out->mode2_form1 = page[4] & 0x10;
    out->mode2_form2 = page[4] & 0x20;
    out->multi_session = page[4] & 0x40;
    out->buf = page[4] & 0x80;
    out->cdda_accurate = page[5] & 0x02;
    out->rw_supported = page[5] & 0x04;
    out->rw_deinterleaved = page[5] & 0x08;
    out->isrc = page[5] & 0x20;
    out->upc = page[5] & 0x40;
    out->lock = page[6] & 0x01;
    out->lock_state = page[6] & 0x02;
    out->eject = page[6] & 0x08;
    out->loading_mechanism = page[6] >> 5;
    out->max_read_kbs = mmc_get16(page + 8);
    out->buffer_kb = mmc_get16(page + 12);
    out->max_write_kbs = mmc_get16(page + 18);
    out->current_write_kbs = mmc_get16(page + 20);
    if (page_len < 32)
        return MMC_S_OK; /* an MMC-2 page: no speed descriptors */
    out->has_selected_speed = true;
    out->selected_rotation = page[27] & 0x03;
    out->selected_write_kbs = mmc_get16(page + 28);
    size_t count = mmc_get16(page + 30);
    if (32 + 4 * count > page_len)
        return BAD;
    for (size_t i = 0; i < count; i++) {
        if (out->speed_count == MMC_MAX_SPEEDS) {
            out->truncated = true;
            break;
        }
        const uint8_t *d = page + 32 + 4 * i;
        out->speeds[out->speed_count].rotation = d[1] & 0x03;
        out->speeds[out->speed_count].kbs = mmc_get16(d + 2);
        out->speed_count++;
    }
    return MMC_S_OK;
}

/* ---- READ BUFFER CAPACITY ---- */

int32_t mmc_parse_buffer_capacity(const uint8_t *buf, size_t len, struct mmc_buffer_capacity *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = valid_bytes(len, declared_total(buf, len, 2));
    if (n < 12)
        return BAD;
    out->block = buf[3] & 0x01;
    if (out->block) {
        out->available_blocks = mmc_get32(buf + 8);
        return MMC_S_OK;
    }
    out->length = mmc_get32(buf + 4);
    out->blank = mmc_get32(buf + 8);
    return out->blank <= out->length ? MMC_S_OK : BAD;
}

/* ---- READ CAPACITY ---- */

/* 8 bytes, no length field: the last LBA and the block length. A blank
 * disc's drive answers 0 (MMC leaves the value to the drive); the caller
 * tells blank from written with READ DISC INFORMATION. */
int32_t mmc_parse_capacity(const uint8_t *buf, size_t len, struct mmc_capacity *out)
{
    memset(out, 0, sizeof(*out));
    if (len < 8)
        return BAD;
    out->last_lba = (int32_t)mmc_get32(buf);
    out->block_bytes = mmc_get32(buf + 4);
    return out->block_bytes ? MMC_S_OK : BAD;
}

/* ---- READ DISC STRUCTURE format C0h ---- */

/* The 4-byte structure header, then byte 4: MSWI (bit 3), CWP (2), PWP (1),
 * SWPP (0). */
int32_t mmc_parse_write_protection(const uint8_t *buf, size_t len, struct mmc_write_protection *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = valid_bytes(len, declared_total(buf, len, 2));
    if (n < 5)
        return BAD;
    out->swpp = buf[4] & 0x01;
    out->pwp = buf[4] & 0x02;
    out->cwp = buf[4] & 0x04;
    out->mswi = buf[4] & 0x08;
    return MMC_S_OK;
}

/* ---- GET PERFORMANCE ---- */

int32_t mmc_parse_write_speeds(const uint8_t *buf, size_t len, struct mmc_write_speeds *out)
{
    memset(out, 0, sizeof(*out));
    uint64_t total = declared_total(buf, len, 4);
    if (len < 8 || total < 8 || (total - 8) % 16)
        return BAD;
    size_t n = valid_bytes(len, total);
    out->truncated = n < total;
    for (size_t off = 8; off + 16 <= n; off += 16) {
        if (out->count == MMC_MAX_SPEEDS) {
            out->truncated = true;
            break;
        }
        const uint8_t *e = buf + off;
        struct mmc_write_speed_descriptor *d = &out->d[out->count++];
        d->wrc = (e[0] >> 3) & 0x03;
        d->rdd = e[0] & 0x04;
        d->exact = e[0] & 0x02;
        d->mrw = e[0] & 0x01;
        d->end_lba = mmc_get32(e + 4);
        d->read_kbs = mmc_get32(e + 8);
        d->write_kbs = mmc_get32(e + 12);
    }
    return MMC_S_OK;
}

/* ---- GET EVENT STATUS NOTIFICATION ---- */

#define EVENT_CLASS_MEDIA 4

int32_t mmc_parse_event_status(const uint8_t *buf, size_t len, struct mmc_event_status *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = valid_bytes(len, declared_total(buf, len, 2));
    if (n < 4)
        return BAD;
    out->no_event_available = buf[2] & 0x80;
    out->notification_class = buf[2] & 0x07;
    out->supported_classes = buf[3];
    if (out->no_event_available || out->notification_class != EVENT_CLASS_MEDIA)
        return MMC_S_OK;
    if (n < 8)
        return BAD;
    out->has_media_event = true;
    out->media_event = buf[4] & 0x0F;
    out->tray_open = buf[5] & 0x01;
    out->media_present = buf[5] & 0x02;
    return MMC_S_OK;
}
