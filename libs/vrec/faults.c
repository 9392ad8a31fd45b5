/* Fault scripts: one rule a line, '#' starts a comment. The forms are one
 * table; a rule matches a form when every word matches its pattern:
 *   at-lba N sense K/AS/AQ       the WRITE that covers LBA N fails with that sense
 *   at-write K sense K/AS/AQ     the K-th WRITE since open fails
 *   after-ms T sense K/AS/AQ     the first medium command after T ms fails
 *   at-lba N stall ms T          the WRITE that covers LBA N is held T ms first
 *   at-write K stall ms T        the K-th WRITE since open is held T ms first
 *   delay opcode OP ms T         every command OP takes T ms longer
 *   remove-medium at-lba N       the medium vanishes when the write reaches N
 *   disappear at-write K         from the K-th WRITE on, the device is gone
 *   not-ready ms T               medium commands get 02/04/01 for T ms after open
 *   unit-attention next [sense K/AS/AQ]  the next command reports 06/29/00 (or the sense)
 * A sense or stall rule fires once. A command held (delay, stall) past the
 * timeout its request carries ends there with the transport's timeout result
 * (libs/transport/virtual.c), without being run: a stalled WRITE records
 * nothing. Medium and hardware errors (keys 3, 4) during a
 * write stop the recording, as a drive would; NO SENSE and RECOVERED ERROR
 * (keys 0, 1) complete the command first (a WRITE records its data) and
 * then report the sense. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vrec_internal.h"

#define MAX_WORDS 8
#define MAX_LINE 160

struct form {
    const char *pattern; /* literal words; N signed, U unsigned, S sense, O opcode */
    enum vrec_fault_kind kind;
};

static const struct form forms[] = {
    { "at-lba N sense S", VF_SENSE_AT_LBA },
    { "at-write U sense S", VF_SENSE_AT_WRITE },
    { "at-lba N stall ms U", VF_STALL_AT_LBA },
    { "at-write U stall ms U", VF_STALL_AT_WRITE },
    { "after-ms U sense S", VF_SENSE_AFTER_MS },
    { "delay opcode O ms U", VF_DELAY_OPCODE },
    { "remove-medium at-lba N", VF_REMOVE_AT_LBA },
    { "disappear at-write U", VF_DISAPPEAR_AT_WRITE },
    { "not-ready ms U", VF_NOT_READY_MS },
    { "unit-attention next", VF_UNIT_ATTENTION },
    { "unit-attention next sense S", VF_UNIT_ATTENTION },
};

/* Splits in place at blanks; -1 when there are too many words. */
static int split_words(char *line, char *words[MAX_WORDS])
{
    int n = 0;
    char *p = line;
    for (;;) {
        p += strspn(p, " \t\r");
        if (!*p)
            return n;
        if (n == MAX_WORDS)
            return -1;
        words[n++] = p;
        p += strcspn(p, " \t\r");
        if (*p)
            *p++ = '\0';
    }
}

static bool parse_number(const char *s, bool allow_negative, long long max, long long *out)
{
    char *end;
    if (!allow_negative && s[0] == '-')
        return false;
    long long v = strtoll(s, &end, 0);
    if (end == s || *end || v > max || v < -max)
        return false;
    *out = v;
    return true;
}

static bool parse_sense(const char *s, struct vrec_fault *f)
{
    unsigned k, a, q;
    char tail;
    if (sscanf(s, "%2x/%2x/%2x%c", &k, &a, &q, &tail) != 3 || k > 0x0F)
        return false;
    f->key = (uint8_t)k;
    f->asc = (uint8_t)a;
    f->ascq = (uint8_t)q;
    return true;
}

static bool match_word(const char *pat, size_t plen, const char *word, struct vrec_fault *f, int *numbers)
{
    long long v;
    if (plen != 1 || !strchr("NUSO", pat[0]))
        return strlen(word) == plen && strncmp(pat, word, plen) == 0;
    switch (pat[0]) {
    case 'S':
        return parse_sense(word, f);
    case 'O':
        if (!parse_number(word, false, 255, &v))
            return false;
        f->opcode = (uint8_t)v;
        return true;
    default:
        if (!parse_number(word, pat[0] == 'N', 1000000000LL, &v))
            return false;
        if ((*numbers)++ == 0)
            f->at = v;
        else
            f->ms = (uint64_t)v;
        return true;
    }
}

static bool match_form(const struct form *form, char *words[], int n, struct vrec_fault *f)
{
    const char *p = form->pattern;
    int numbers = 0;
    memset(f, 0, sizeof(*f));
    f->kind = form->kind;
    for (int i = 0; i < n; i++) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, " ");
        if (len == 0 || !match_word(p, len, words[i], f, &numbers))
            return false;
        p += len;
    }
    while (*p == ' ')
        p++;
    return *p == '\0';
}

/* Normalises a parsed rule: the one-number forms keep their number where the
 * kind reads it. */
static void settle(struct vrec_fault *f)
{
    if (f->kind == VF_DELAY_OPCODE || f->kind == VF_NOT_READY_MS) {
        f->ms = (uint64_t)f->at;
        f->at = 0;
    }
    if (f->kind == VF_UNIT_ATTENTION && f->key == 0) {
        f->key = 0x06;
        f->asc = 0x29;
    }
}

static int parse_line(char *line, struct vrec_fault *f, const char **why)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *words[MAX_WORDS];
    int n = split_words(line, words);
    if (n == 0)
        return 0;
    *why = "unknown rule";
    if (n < 0)
        return -1;
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        if (match_form(&forms[i], words, n, f)) {
            settle(f);
            return 1;
        }
    }
    return -1;
}

static int report(char *err, size_t err_len, int line, const char *why)
{
    if (err && err_len)
        snprintf(err, err_len, "line %d: %s", line, why);
    return line;
}

int vrec_faults_parse(const char *script, struct vrec_faults *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof(*out));
    if (err && err_len)
        err[0] = '\0';
    int line_no = 0;
    for (const char *p = script; p && *p;) {
        size_t len = strcspn(p, "\n");
        char line[MAX_LINE];
        line_no++;
        if (len >= sizeof(line))
            return report(err, err_len, line_no, "line too long");
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (p[len] == '\n');
        const char *why = "";
        struct vrec_fault f;
        int r = parse_line(line, &f, &why);
        if (r < 0)
            return report(err, err_len, line_no, why);
        if (r == 0)
            continue;
        if (out->count == VREC_MAX_FAULTS)
            return report(err, err_len, line_no, "too many rules");
        out->rule[out->count++] = f;
    }
    return 0;
}

int vrec_fault_check(const char *script, char *err, size_t err_len)
{
    struct vrec_faults faults;
    return vrec_faults_parse(script, &faults, err, err_len);
}

/* Sets the rule's sense; true when the command still runs (and reports the
 * sense when it is done). */
static bool fire_sense(struct vrec_drive *d, struct vrec_cmd *c, struct vrec_fault *f, bool writing)
{
    f->fired = true;
    vrec_fail_raw(c, f->key, f->asc, f->ascq);
    if (writing && vrec_sense_stops_write(f->key))
        vrec_spoil_write(d);
    return vrec_sense_completes(f->key);
}

bool vrec_fault_before_command(struct vrec_drive *d, struct vrec_cmd *c, uint8_t opcode, bool medium_access)
{
    uint64_t since_open_ms = (vrec_now(d) - d->open_us) / 1000;
    bool is_write = opcode == 0x2A || opcode == 0xAA;
    if (is_write)
        d->writes_seen++;
    for (int i = 0; i < d->faults.count; i++) {
        struct vrec_fault *f = &d->faults.rule[i];
        if (f->kind == VF_DELAY_OPCODE && f->opcode == opcode && !vrec_sleep(d, f->ms * 1000)) {
            c->transport = TRANSPORT_ERR_CANCELLED;
            return false;
        }
        if (f->kind == VF_DISAPPEAR_AT_WRITE && is_write && d->writes_seen >= (uint64_t)f->at) {
            vrec_spoil_write(d);
            d->gone = true;
            c->transport = TRANSPORT_ERR_NO_DEVICE;
            return false;
        }
        if (!medium_access)
            continue;
        if (f->kind == VF_NOT_READY_MS && since_open_ms < f->ms) {
            vrec_fail(c, VS_BECOMING_READY);
            return false;
        }
        if (f->kind == VF_SENSE_AFTER_MS && !f->fired && since_open_ms >= (uint64_t)f->at &&
            !fire_sense(d, c, f, is_write && d->own_write))
            return false;
    }
    return true;
}

bool vrec_fault_on_write(struct vrec_drive *d, struct vrec_cmd *c, int32_t lba, uint32_t count)
{
    for (int i = 0; i < d->faults.count; i++) {
        struct vrec_fault *f = &d->faults.rule[i];
        bool covers = f->at >= lba && f->at < (int64_t)lba + count;
        if (f->fired)
            continue;
        if (((f->kind == VF_SENSE_AT_LBA && covers) ||
             (f->kind == VF_SENSE_AT_WRITE && d->writes_seen == (uint64_t)f->at)) &&
            !fire_sense(d, c, f, true))
            return false;
        if ((f->kind == VF_STALL_AT_LBA && covers) ||
            (f->kind == VF_STALL_AT_WRITE && d->writes_seen == (uint64_t)f->at)) {
            f->fired = true;
            if (!vrec_sleep(d, f->ms * 1000)) {
                c->transport = TRANSPORT_ERR_CANCELLED;
                return false;
            }
        }
        if (f->kind == VF_REMOVE_AT_LBA && covers) {
            f->fired = true;
            vrec_unload(d);
            vrec_fail(c, VS_NO_MEDIUM);
            return false;
        }
    }
    return true;
}
