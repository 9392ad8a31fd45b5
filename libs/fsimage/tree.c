/* The directory tree: nodes, name rules, lookups. */
#include <stdlib.h>
#include <string.h>

#include "fsimage_internal.h"

static struct fsi_node *node_new(const uint16_t *name, size_t len, const struct fsi_times *times, int is_dir)
{
    struct fsi_node *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    n->name = malloc((len ? len : 1) * sizeof(uint16_t));
    if (!n->name) {
        free(n);
        return NULL;
    }
    if (len)
        memcpy(n->name, name, len * sizeof(uint16_t));
    n->name_len = len;
    n->is_dir = is_dir;
    if (times)
        n->times = *times;
    return n;
}

static void node_free(struct fsi_node *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        node_free(n->kids[i]);
    if (n->src.release)
        n->src.release(n->src.ctx);
    free(n->kids);
    free(n->iso_sorted);
    free(n->joliet_sorted);
    free(n->name);
    free(n);
}

struct fsi_tree *fsi_tree_new(const struct fsi_times *root_times)
{
    struct fsi_tree *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->root = node_new(NULL, 0, root_times, 1);
    if (!t->root) {
        free(t);
        return NULL;
    }
    return t;
}

void fsi_tree_free(struct fsi_tree *tree)
{
    if (!tree)
        return;
    node_free(tree->root);
    free(tree);
}

struct fsi_node *fsi_tree_root(struct fsi_tree *tree)
{
    return tree->root;
}

/* Characters a Windows file name cannot hold (besides controls). */
static const char forbidden_chars[] = "\\/:*?\"<>|";

int32_t fsi_check_name(const uint16_t *name, size_t len)
{
    if (!len || len > FSI_NAME_MAX)
        return IMAPI_E_INVALID_PATH;
    for (size_t i = 0; i < len; i++)
        if (name[i] < 0x20 || (name[i] < 0x80 && strchr(forbidden_chars, name[i])))
            return IMAPI_E_INVALID_PATH;
    /* "." and ".." name no item of their own */
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return IMAPI_E_INVALID_PATH;
    return 0;
}

static uint16_t fold(uint16_t c)
{
    return c >= 'a' && c <= 'z' ? (uint16_t)(c - 32) : c;
}

/* Windows names compare without case; ASCII folding covers the names the
 * file systems here can tell apart only by case. */
int fsi_names_equal(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++)
        if (fold(a[i]) != fold(b[i]))
            return 0;
    return 1;
}

struct fsi_node *fsi_find_child(const struct fsi_node *dir, const uint16_t *name, size_t len)
{
    for (size_t i = 0; i < dir->nkids; i++)
        if (fsi_names_equal(dir->kids[i]->name, dir->kids[i]->name_len, name, len))
            return dir->kids[i];
    return NULL;
}

static int32_t attach(struct fsi_node *dir, struct fsi_node *n)
{
    if (dir->nkids == dir->capkids) {
        size_t cap = dir->capkids ? dir->capkids * 2 : 8;
        struct fsi_node **grown = realloc(dir->kids, cap * sizeof(*grown));
        if (!grown)
            return FSI_E_OUTOFMEMORY;
        dir->kids = grown;
        dir->capkids = cap;
    }
    n->parent = dir;
    dir->kids[dir->nkids++] = n;
    return 0;
}

static int32_t add_node(struct fsi_node *dir, const uint16_t *name, size_t len, const struct fsi_times *times,
                        int is_dir, struct fsi_node **out)
{
    int32_t hr;
    struct fsi_node *n;
    if (!dir->is_dir)
        return IMAPI_E_NOT_DIR;
    if ((hr = fsi_check_name(name, len)))
        return hr;
    if (fsi_find_child(dir, name, len))
        return IMAPI_E_DUP_NAME;
    if (!(n = node_new(name, len, times, is_dir)))
        return FSI_E_OUTOFMEMORY;
    if ((hr = attach(dir, n))) {
        node_free(n);
        return hr;
    }
    if (out)
        *out = n;
    return 0;
}

int32_t fsi_add_dir(struct fsi_node *dir, const uint16_t *name, size_t len, const struct fsi_times *times,
                    struct fsi_node **out)
{
    return add_node(dir, name, len, times, 1, out);
}

int32_t fsi_add_file(struct fsi_node *dir, const uint16_t *name, size_t len, const struct fsi_times *times,
                     uint64_t size, struct fsi_source src, struct fsi_node **out)
{
    struct fsi_node *n;
    int32_t hr = add_node(dir, name, len, times, 0, &n);
    if (hr) {
        if (src.release)
            src.release(src.ctx);
        return hr;
    }
    n->size = size;
    n->src = src;
    if (out)
        *out = n;
    return 0;
}

void fsi_node_set_hidden(struct fsi_node *node, int hidden)
{
    node->hidden = hidden;
}

static void count(const struct fsi_node *n, long *files, long *dirs)
{
    for (size_t i = 0; i < n->nkids; i++) {
        if (n->kids[i]->is_dir) {
            ++*dirs;
            count(n->kids[i], files, dirs);
        } else {
            ++*files;
        }
    }
}

void fsi_tree_counts(const struct fsi_tree *tree, long *files, long *dirs)
{
    *files = *dirs = 0;
    count(tree->root, files, dirs);
}

long fsi_utf16_from_utf8(const char *s, uint16_t *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        uint32_t c;
        int extra;
        if (*p < 0x80) { c = *p; extra = 0; }
        else if ((*p & 0xE0) == 0xC0) { c = *p & 0x1F; extra = 1; }
        else if ((*p & 0xF0) == 0xE0) { c = *p & 0x0F; extra = 2; }
        else if ((*p & 0xF8) == 0xF0) { c = *p & 0x07; extra = 3; }
        else return -1;
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xC0) != 0x80)
                return -1;
            c = (c << 6) | (*p & 0x3F);
        }
        if (c >= 0x10000) {
            if (n + 2 > cap)
                return -1;
            c -= 0x10000;
            out[n++] = (uint16_t)(0xD800 | (c >> 10));
            out[n++] = (uint16_t)(0xDC00 | (c & 0x3FF));
        } else {
            if (n + 1 > cap)
                return -1;
            out[n++] = (uint16_t)c;
        }
    }
    return (long)n;
}

/* Days since 1970-01-01 to the proleptic Gregorian date (era arithmetic:
 * 400-year cycles of 146097 days, March-based years). */
void fsi_civil_from_unix(int64_t t, struct fsi_civil *out)
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    days += 719468; /* 0000-03-01 to 1970-01-01 */
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->year = (int)(yoe + era * 400 + (out->month <= 2));
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs / 60 % 60);
    out->second = (int)(secs % 60);
}
