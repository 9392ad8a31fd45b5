/* Virtual recorder: identity, readiness, configuration, mode pages, disc
 * information on each media kind, and the rejection paths (exact sense). */
#include "test_vrec_util.h"
#include "mmc/geometry.h"

static char path[256];

static struct vrec_drive *fresh(enum vrec_media_kind kind)
{
    t_media_remove(path);
    return t_open(path, kind, NULL, NULL);
}

static void test_inquiry(void)
{
    struct vrec_config cfg = { .vendor = "ACME", .product = "BURNER 9000", .revision = "2.5", .unthrottled = true };
    struct vrec_drive *d = NULL;
    ok(vrec_open(&cfg, NULL, &d) == 0, "open without media\n");
    uint8_t cdb[6] = { 0x12, 0, 0, 0, 36, 0 }, r[64];
    memset(r, 0xEE, sizeof(r));
    t_exec(d, cdb, 6, SCSI_DIR_IN, r, sizeof(r));
    ok(t_good() && t_st.resid == sizeof(r) - 36, "INQUIRY " T_SENSE_FMT " resid %u\n", T_SENSE_ARGS, t_st.resid);
    ok(r[0] == 0x05 && r[1] == 0x80 && r[4] == 31, "type %#x rmb %#x len %u\n", r[0], r[1], r[4]);
    ok(memcmp(r + 8, "ACME    BURNER 9000     2.5 ", 28) == 0, "ids %.28s\n", (char *)r + 8);
    cdb[1] = 0x01; /* EVPD */
    t_exec(d, cdb, 6, SCSI_DIR_IN, r, sizeof(r));
    ok(t_sense_is(5, 0x24, 0), "EVPD " T_SENSE_FMT "\n", T_SENSE_ARGS);

    /* No medium: TUR says tray closed, no medium */
    uint8_t tur[6] = { 0 };
    t_exec(d, tur, 6, SCSI_DIR_NONE, NULL, 0);
    ok(t_sense_is(2, 0x3A, 0x01), "TUR empty " T_SENSE_FMT "\n", T_SENSE_ARGS);
    ok(t_st.sense_len == 18 && t_st.sense[7] == 10, "sense len %u add %u\n", t_st.sense_len, t_st.sense[7]);

    uint8_t unknown[10] = { 0xFD };
    t_exec(d, unknown, 10, SCSI_DIR_NONE, NULL, 0);
    ok(t_sense_is(5, 0x20, 0), "unknown opcode " T_SENSE_FMT "\n", T_SENSE_ARGS);
    uint8_t short_cdb[6] = { 0x2A };
    t_exec(d, short_cdb, 6, SCSI_DIR_OUT, NULL, 0);
    ok(t_st.transport == TRANSPORT_ERR_INVALID, "WRITE(10) with 6-byte CDB: transport %d\n", t_st.transport);
    const struct vrec_counters *k = vrec_counters(d);
    ok(k->commands == 5 && k->per_opcode[0x12] == 2 && k->per_opcode[0xFD] == 1, "counters %llu\n",
       (unsigned long long)k->commands);
    vrec_close(d);

    ok(vrec_open(&(struct vrec_config){ .vendor = "TOO-LONG-VENDOR" }, NULL, &d) == VREC_ERR_SETTING && !d, "long vendor\n");
}

static void test_request_sense_and_ua(void)
{
    struct vrec_drive *d;
    t_media_remove(path);
    d = t_open(path, VREC_MEDIA_CDR80, NULL, "unit-attention next");
    uint8_t rs[6] = { 0x03, 0, 0, 0, 18, 0 }, s[18];
    uint8_t inq[6] = { 0x12, 0, 0, 0, 36, 0 }, r[36];
    t_exec(d, inq, 6, SCSI_DIR_IN, r, sizeof(r));
    ok(t_good(), "INQUIRY does not report a unit attention\n");
    t_tur(d);
    ok(t_sense_is(6, 0x29, 0), "first TUR " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_tur(d);
    ok(t_good(), "second TUR " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_exec(d, rs, 6, SCSI_DIR_IN, s, sizeof(s));
    ok(t_good() && s[0] == 0x70 && s[2] == 0 && s[12] == 0 && s[7] == 10, "REQUEST SENSE idle %02x/%02x\n", s[2],
       s[12]);
    vrec_close(d);
}

static void test_tray(void)
{
    struct vrec_drive *d = fresh(VREC_MEDIA_CDR80);
    uint8_t prevent[6] = { 0x1E, 0, 0, 0, 1, 0 }, eject[6] = { 0x1B, 0, 0, 0, 0x02, 0 },
            load[6] = { 0x1B, 0, 0, 0, 0x03, 0 }, allow[6] = { 0x1E };
    uint8_t gesn[10] = { 0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0 }, r[8];
    t_exec(d, gesn, 10, SCSI_DIR_IN, r, sizeof(r));
    ok(t_good() && r[1] == 6 && r[2] == 4 && r[3] == 0x10 && r[4] == 0 && r[5] == 0x02,
       "GESN idle %02x %02x %02x %02x %02x\n", r[1], r[2], r[3], r[4], r[5]);
    t_exec(d, prevent, 6, SCSI_DIR_NONE, NULL, 0);
    t_exec(d, eject, 6, SCSI_DIR_NONE, NULL, 0);
    ok(t_sense_is(5, 0x53, 0x02), "eject while prevented " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_exec(d, allow, 6, SCSI_DIR_NONE, NULL, 0);
    t_exec(d, eject, 6, SCSI_DIR_NONE, NULL, 0);
    ok(t_good(), "eject\n");
    t_tur(d);
    ok(t_sense_is(2, 0x3A, 0x02), "TUR tray open " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_exec(d, gesn, 10, SCSI_DIR_IN, r, sizeof(r));
    ok(r[4] == 3 && r[5] == 0x01, "GESN after eject: event %u status %#x\n", r[4], r[5]);
    t_exec(d, load, 6, SCSI_DIR_NONE, NULL, 0);
    ok(t_good(), "load\n");
    t_tur(d);
    ok(t_sense_is(6, 0x28, 0), "TUR after load " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_tur(d);
    ok(t_good(), "ready after load\n");
    t_exec(d, gesn, 10, SCSI_DIR_IN, r, sizeof(r));
    ok(r[4] == 2 && r[5] == 0x02, "GESN after load: event %u status %#x\n", r[4], r[5]);
    gesn[1] = 0;
    t_exec(d, gesn, 10, SCSI_DIR_IN, r, sizeof(r));
    ok(t_sense_is(5, 0x24, 0), "GESN not polled " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);
}

/* Finds a feature in a GET CONFIGURATION response; NULL when absent. */
static const uint8_t *find_feature(const uint8_t *r, size_t n, uint16_t code)
{
    size_t end = 4 + t_be32(r);
    for (size_t off = 8; off + 4 <= end && off + 4 <= n; off += 4 + r[off + 3])
        if (t_be16(r + off) == code)
            return r + off;
    return NULL;
}

static void get_config(struct vrec_drive *d, int rt, uint16_t start, uint8_t *r, uint16_t n)
{
    uint8_t cdb[10] = { 0x46, (uint8_t)rt, (uint8_t)(start >> 8), (uint8_t)start, 0, 0, 0, (uint8_t)(n >> 8),
                        (uint8_t)n, 0 };
    memset(r, 0, n);
    t_exec(d, cdb, 10, SCSI_DIR_IN, r, n);
}

static void test_get_configuration(void)
{
    static const struct {
        enum vrec_media_kind kind;
        uint16_t profile;
        int mastering_current;
    } cases[] = {
        { VREC_MEDIA_CDR80, 0x0009, 1 }, { VREC_MEDIA_CDRW, 0x000A, 1 }, { VREC_MEDIA_CDROM, 0x0008, 0 },
        { VREC_MEDIA_DVD, 0x0010, 0 },   { VREC_MEDIA_CDR_CLOSED, 0x0009, 0 },
        { VREC_MEDIA_DVDPLUSR, 0x001B, 0 }, { VREC_MEDIA_BDR, 0x0041, 0 }, { VREC_MEDIA_DVDR, 0x0011, 0 },
    };
    uint8_t r[512];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vrec_drive *d = fresh(cases[i].kind);
        get_config(d, 0, 0, r, sizeof(r));
        ok(t_good() && t_be16(r + 6) == cases[i].profile, "kind %d: profile %#x\n", cases[i].kind, t_be16(r + 6));
        const uint8_t *pl = find_feature(r, sizeof(r), 0x0000);
        ok(pl && pl[3] == 28, "profile list length %d\n", pl ? pl[3] : -1);
        if (pl) {
            static const uint8_t want_profiles[28] = { 0x00, 0x41, 0, 0, 0x00, 0x1B, 0, 0, 0x00, 0x11, 0, 0,
                                                       0x00, 0x10, 0, 0, 0x00, 0x0A, 0, 0, 0x00, 0x09, 0, 0,
                                                       0x00, 0x08, 0, 0 };
            uint8_t want[28];
            memcpy(want, want_profiles, 28);
            for (int p = 0; p < 7; p++)
                if (t_be16(want + 4 * p) == cases[i].profile)
                    want[4 * p + 2] = 1;
            ok(memcmp(pl + 4, want, 28) == 0, "profile descriptors of kind %d\n", cases[i].kind);
        }
        const uint8_t *m = find_feature(r, sizeof(r), 0x002E);
        ok(m && m[3] == 4 && m[4] == 0x5F && m[5] == 0x00 && m[6] == 0x10 && m[7] == 0x00 &&
               (m[2] & 1) == cases[i].mastering_current,
           "CD mastering %02x %02x%02x%02x current %d\n", m ? m[4] : 0, m ? m[5] : 0, m ? m[6] : 0, m ? m[7] : 0,
           m ? m[2] & 1 : -1);
        ok(find_feature(r, sizeof(r), 0x002D) && find_feature(r, sizeof(r), 0x0003) &&
               find_feature(r, sizeof(r), 0x001E) && find_feature(r, sizeof(r), 0x0010),
           "TAO, removable, CD read, random readable listed\n");
        const uint8_t *rm = find_feature(r, sizeof(r), 0x0003);
        ok(rm && rm[4] == 0x29 && (rm[2] & 1), "removable medium %02x\n", rm ? rm[4] : 0);
        vrec_close(d);
    }
    struct vrec_drive *d = fresh(VREC_MEDIA_CDR80);
    get_config(d, 2, 0x002E, r, 64);
    ok(t_good() && t_be32(r) == 4 + 8 && t_be16(r + 8) == 0x002E, "RT 2 one feature, length %u\n", t_be32(r));
    get_config(d, 1, 0, r, sizeof(r));
    ok(t_good() && !find_feature(r, sizeof(r), 0x0010) && find_feature(r, sizeof(r), 0x002E),
       "RT 1: only current features\n");
    get_config(d, 3, 0, r, sizeof(r));
    ok(t_sense_is(5, 0x24, 0), "RT 3 " T_SENSE_FMT "\n", T_SENSE_ARGS);
    get_config(d, 0, 0, r, 8);
    ok(t_good() && t_st.resid == 0 && t_be16(r + 6) == 9, "truncated to allocation\n");
    vrec_close(d);
}

static void mode_sense(struct vrec_drive *d, uint8_t pc_page, uint8_t *r, uint16_t n)
{
    uint8_t cdb[10] = { 0x5A, 0, pc_page, 0, 0, 0, 0, (uint8_t)(n >> 8), (uint8_t)n, 0 };
    memset(r, 0, n);
    t_exec(d, cdb, 10, SCSI_DIR_IN, r, n);
}

static void test_mode_pages(void)
{
    struct vrec_drive *d = fresh(VREC_MEDIA_CDR80);
    uint8_t r[256];
    mode_sense(d, 0x05, r, sizeof(r));
    ok(t_good() && t_be16(r) == 6 + 52 && t_be16(r + 6) == 0, "page 05 header len %u\n", t_be16(r));
    ok(r[8] == 0x05 && r[9] == 0x32 && r[10] == 0x01 && r[12] == 0x08, "page 05 default %02x %02x %02x %02x\n", r[8],
       r[9], r[10], r[12]);
    static const struct {
        int write_type, block_type;
        uint8_t key, asc;
    } selects[] = {
        { 3, 1, 0, 0 }, { 3, 2, 0, 0 }, { 3, 3, 0, 0 }, { 3, 8, 5, 0x26 },
        { 3, 0, 5, 0x26 }, { 0, 8, 5, 0x26 }, { 4, 8, 5, 0x26 }, { 2, 8, 0, 0 },
    };
    for (size_t i = 0; i < sizeof(selects) / sizeof(selects[0]); i++) {
        t_mode_select(d, selects[i].write_type, selects[i].block_type, 1, 0);
        ok(selects[i].key ? t_sense_is(selects[i].key, selects[i].asc, 0) : t_good(),
           "write type %d block %d: " T_SENSE_FMT "\n", selects[i].write_type, selects[i].block_type, T_SENSE_ARGS);
    }
    t_mode_select(d, 3, 3, 1, 1);
    mode_sense(d, 0x05, r, sizeof(r));
    ok(r[10] == (0x40 | 0x10 | 3) && r[12] == 3, "page 05 now %02x %02x\n", r[10], r[12]);

    uint8_t p[8 + 52] = { 0 };
    p[8] = 0x05, p[9] = 0x32, p[10] = 3, p[12] = 1;
    uint8_t no_pf[10] = { 0x55, 0x00, 0, 0, 0, 0, 0, 0, sizeof(p), 0 };
    t_exec(d, no_pf, 10, SCSI_DIR_OUT, p, sizeof(p));
    ok(t_sense_is(5, 0x24, 0), "MODE SELECT without PF " T_SENSE_FMT "\n", T_SENSE_ARGS);
    uint8_t too_long[10] = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, sizeof(p) + 10, 0 };
    t_exec(d, too_long, 10, SCSI_DIR_OUT, p, sizeof(p));
    ok(t_sense_is(5, 0x1A, 0), "parameter list longer than data " T_SENSE_FMT "\n", T_SENSE_ARGS);
    p[8] = 0x2A;
    uint8_t sel[10] = { 0x55, 0x10, 0, 0, 0, 0, 0, 0, sizeof(p), 0 };
    t_exec(d, sel, 10, SCSI_DIR_OUT, p, sizeof(p));
    ok(t_sense_is(5, 0x26, 0), "select page 2A " T_SENSE_FMT "\n", T_SENSE_ARGS);

    mode_sense(d, 0x2A, r, sizeof(r));
    unsigned nd = t_be16(r + 8 + 30);
    ok(t_good() && r[8] == 0x2A && r[9] == 30 + 4 * nd && nd == 10, "page 2A len %u, %u speeds\n", r[9], nd);
    ok(r[8 + 3] == 0x07 && (r[8 + 4] & 0x80) && t_be16(r + 8 + 12) == 2048, "2A write bits %02x buffer %u KB\n",
       r[11], t_be16(r + 20));
    ok(t_be16(r + 8 + 32 + 2) == 9173 && t_be16(r + 8 + 32 + 4 * 9 + 2) == 176, "speeds 52x %u, 1x %u kB/s\n",
       t_be16(r + 8 + 32 + 2), t_be16(r + 8 + 32 + 4 * 9 + 2));
    mode_sense(d, 0x3F, r, sizeof(r));
    ok(t_good() && r[8] == 0x05 && r[8 + 52] == 0x2A, "all pages\n");
    mode_sense(d, 0xC5, r, sizeof(r));
    ok(t_sense_is(5, 0x39, 0), "saved values " T_SENSE_FMT "\n", T_SENSE_ARGS);
    mode_sense(d, 0x01, r, sizeof(r));
    ok(t_sense_is(5, 0x24, 0), "page 01 " T_SENSE_FMT "\n", T_SENSE_ARGS);

    uint8_t speed[12] = { 0xBB, 0, 0xFF, 0xFF, 0x0B, 0x06 }; /* 2822 kB/s = 16x */
    t_exec(d, speed, 12, SCSI_DIR_NONE, NULL, 0);
    mode_sense(d, 0x2A, r, sizeof(r));
    ok(t_good() && t_be16(r + 8 + 28) == 2822, "current write speed %u\n", t_be16(r + 8 + 28));

    uint8_t perf[12] = { 0xAC, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0x03, 0 }, pr[8 + 16 * 20];
    t_exec(d, perf, 12, SCSI_DIR_IN, pr, sizeof(pr));
    ok(t_good() && t_be32(pr) == 4 + 16 * 10 && t_be32(pr + 8 + 12) == 9173 && t_be32(pr + 8 + 4) == 359849,
       "GET PERFORMANCE 03: len %u first %u end %u\n", t_be32(pr), t_be32(pr + 20), t_be32(pr + 12));
    perf[10] = 0x05;
    t_exec(d, perf, 12, SCSI_DIR_IN, pr, sizeof(pr));
    ok(t_sense_is(5, 0x24, 0), "GET PERFORMANCE type 5 " T_SENSE_FMT "\n", T_SENSE_ARGS);

    uint8_t rbc[10] = { 0x5C, 0, 0, 0, 0, 0, 0, 0, 12, 0 }, b[12];
    t_exec(d, rbc, 10, SCSI_DIR_IN, b, sizeof(b));
    ok(t_good() && t_be16(b) == 10 && t_be32(b + 4) == 2097152 && t_be32(b + 8) == 2097152,
       "READ BUFFER CAPACITY %u/%u\n", t_be32(b + 4), t_be32(b + 8));
    vrec_close(d);
}

static void read_disc_info(struct vrec_drive *d, uint8_t r[34])
{
    uint8_t cdb[10] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34, 0 };
    memset(r, 0, 34);
    t_exec(d, cdb, 10, SCSI_DIR_IN, r, 34);
}

static void read_toc(struct vrec_drive *d, int format, int msf, uint8_t *r, uint16_t n)
{
    uint8_t cdb[10] = { 0x43, (uint8_t)(msf ? 2 : 0), (uint8_t)format, 0, 0, 0, 0, (uint8_t)(n >> 8), (uint8_t)n, 0 };
    memset(r, 0, n);
    t_exec(d, cdb, 10, SCSI_DIR_IN, r, n);
}

static void test_disc_information(void)
{
    uint8_t r[512];
    struct vrec_drive *d = fresh(VREC_MEDIA_CDR80);
    read_disc_info(d, r);
    static const uint8_t blank80[24] = { 0x00, 0x20, 0x00, 1, 1, 1, 1, 0x20, 0, 0, 0, 0,
                                         0, 0, 0, 0, 0, 97, 26, 66, 0, 79, 59, 74 };
    ok(t_good() && memcmp(r, blank80, sizeof(blank80)) == 0, "blank CD-R 80 disc info %02x %02x %u:%u:%u\n", r[2],
       r[7], r[17], r[18], r[19]);
    read_toc(d, 4, 0, r, 64);
    static const uint8_t atip80[16] = { 0x00, 0x1A, 0, 0, 0xC0, 0, 0x80, 0, 97, 26, 66, 0, 79, 59, 74, 0 };
    ok(t_good() && memcmp(r, atip80, sizeof(atip80)) == 0 && t_st.resid == 64 - 28, "ATIP CD-R 80\n");
    read_toc(d, 0, 0, r, 64);
    ok(t_sense_is(5, 0x24, 0), "TOC of blank disc " T_SENSE_FMT "\n", T_SENSE_ARGS);
    uint8_t rti[10] = { 0x52, 0x01, 0, 0, 0, 1, 0, 0, 36, 0 };
    t_exec(d, rti, 10, SCSI_DIR_IN, r, 36);
    ok(t_good() && r[2] == 1 && (r[6] & 0x40) && (r[7] & 1) && t_be32(r + 12) == 0 && t_be32(r + 16) == 359849,
       "track info blank: %02x %02x free %u\n", r[6], r[7], t_be32(r + 16));
    vrec_close(d);

    d = fresh(VREC_MEDIA_CDR74);
    read_disc_info(d, r);
    ok(r[21] == 74 && r[22] == 0 && r[23] == 0, "74 min last lead-out %u:%u:%u\n", r[21], r[22], r[23]);
    vrec_close(d);

    d = fresh(VREC_MEDIA_CDRW);
    read_disc_info(d, r);
    ok(r[2] == 0x10, "CD-RW erasable, blank: %02x\n", r[2]);
    read_toc(d, 4, 0, r, 28);
    ok(r[6] == 0xC0, "ATIP disc type CD-RW: %02x\n", r[6]);
    vrec_close(d);

    d = fresh(VREC_MEDIA_CDROM);
    read_disc_info(d, r);
    ok(t_good() && r[2] == 0x0E && r[5] == 1 && r[6] == 1, "pressed CD-ROM complete: %02x\n", r[2]);
    read_toc(d, 4, 0, r, 28);
    ok(t_sense_is(5, 0x24, 0), "no ATIP on pressed disc " T_SENSE_FMT "\n", T_SENSE_ARGS);
    read_toc(d, 0, 1, r, 64);
    static const uint8_t toc[20] = { 0, 18, 1, 1, 0, 0x14, 1, 0, 0, 0, 2, 0, 0, 0x14, 0xAA, 0, 0, 1, 2, 0 };
    ok(t_good() && memcmp(r, toc, sizeof(toc)) == 0, "preset TOC (MSF)\n");
    uint8_t cap[10] = { 0x25 };
    t_exec(d, cap, 10, SCSI_DIR_IN, r, 8);
    ok(t_good() && t_be32(r) == 4499 && t_be32(r + 4) == 2048, "capacity %u\n", t_be32(r));
    t_mode_select(d, 3, 3, 0, 0);
    uint8_t sector[CD_SECTOR_RAW_PW] = { 0 };
    t_write10(d, CD_TYPICAL_LEADIN_LBA, 1, sector, sizeof(sector));
    ok(t_sense_is(5, 0x30, 0x05), "write to CD-ROM " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);

    d = fresh(VREC_MEDIA_CDR_PROTECTED);
    t_mode_select(d, 3, 3, 0, 0);
    t_write10(d, CD_TYPICAL_LEADIN_LBA, 1, sector, sizeof(sector));
    ok(t_sense_is(7, 0x27, 0), "write-protected " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);

    d = fresh(VREC_MEDIA_DVD);
    t_mode_select(d, 3, 3, 0, 0);
    t_write10(d, CD_TYPICAL_LEADIN_LBA, 1, sector, sizeof(sector));
    ok(t_sense_is(5, 0x30, 0x05), "write to DVD " T_SENSE_FMT "\n", T_SENSE_ARGS);
    uint8_t blank[12] = { 0xA1, 0x01 };
    t_exec(d, blank, 12, SCSI_DIR_NONE, NULL, 0);
    ok(t_sense_is(5, 0x30, 0x05), "blank DVD " T_SENSE_FMT "\n", T_SENSE_ARGS);
    /* READ DISC STRUCTURE: format 00h of layer 0 only. */
    static uint8_t pfi[4 + 2048];
    uint8_t rds[12] = { 0xAD, 0, 0, 0, 0, 0, 0, 0x00, 0x08, 0x04, 0, 0 };
    t_exec(d, rds, 12, SCSI_DIR_IN, pfi, sizeof(pfi));
    ok(t_good() && pfi[0] == 0x08 && pfi[1] == 0x02 && pfi[4] == 0x01 && pfi[6] == 0x01 && t_be32(pfi + 8) == 0x030000,
       "DVD physical format information: %02x%02x %02x %02x " T_SENSE_FMT "\n", pfi[0], pfi[1], pfi[4], pfi[6],
       T_SENSE_ARGS);
    rds[6] = 1;
    t_exec(d, rds, 12, SCSI_DIR_IN, pfi, sizeof(pfi));
    ok(t_sense_is(5, 0x24, 0), "layer 1 of a single-layer DVD " T_SENSE_FMT "\n", T_SENSE_ARGS);
    rds[6] = 0;
    rds[7] = 0x0C;
    t_exec(d, rds, 12, SCSI_DIR_IN, pfi, sizeof(pfi));
    ok(t_sense_is(5, 0x24, 0), "format 0Ch " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);

    d = fresh(VREC_MEDIA_CDR80);
    rds[7] = 0x00;
    t_exec(d, rds, 12, SCSI_DIR_IN, pfi, sizeof(pfi));
    ok(t_sense_is(5, 0x30, 0x02), "READ DISC STRUCTURE on a CD " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_exec(d, blank, 12, SCSI_DIR_NONE, NULL, 0);
    ok(t_sense_is(5, 0x30, 0x05), "blank CD-R " T_SENSE_FMT "\n", T_SENSE_ARGS);
    t_mode_select(d, 2, 8, 1, 0);
    t_write10(d, CD_TYPICAL_LEADIN_LBA, 1, sector, sizeof(sector));
    ok(t_sense_is(5, 0x64, 0), "write in SAO mode " T_SENSE_FMT "\n", T_SENSE_ARGS);
    vrec_close(d);
    t_media_remove(path);
}

static void test_dispatch_table(void)
{
    size_t n = 0;
    while (vrec_command_info(n))
        n++;
    ok(n == 26, "%u commands\n", (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        const struct vrec_command_info *c = vrec_command_info(i);
        int want = c->opcode < 0x20 ? 6 : c->opcode < 0xA0 ? 10 : 12;
        ok(c->cdb_len == want, "%s CDB length %u\n", c->name, c->cdb_len);
    }
}

int main(void)
{
    t_media_path(path, sizeof(path), "commands");
    test_inquiry();
    test_request_sense_and_ua();
    test_tray();
    test_get_configuration();
    test_mode_pages();
    test_disc_information();
    test_dispatch_table();
    t_media_remove(path);
    return okay_summary("vrec_commands");
}
