/* ISO 9660 and Joliet: identifiers, directory extents, path tables and
 * volume descriptors. The layout (image.c) asks for sizes first, gives
 * every directory its block, then asks for the bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iso9660.h"
#include "iso9660_tables.h"

/* ---------------------------------------------------------------- names */

/* d-characters (ECMA-119 7.4.1): A-Z 0-9 _ */
static char d_char(uint16_t c)
{
    if (c >= 'a' && c <= 'z')
        return (char)(c - 32);
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
        return (char)c;
    return '_';
}

/* The name and extension parts of a node's ISO identifier before any
 * uniqueness suffix: upper case, other characters as '_', cut to the
 * level's limits. Directories have no extension. */
static void iso_parts(const struct fsi_node *n, int level, char *name, size_t *nlen, char *ext, size_t *elen)
{
    const struct iso_level_limits *lim = &iso_levels[level];
    size_t dot = n->name_len, end = n->name_len;
    *nlen = *elen = 0;
    if (!n->is_dir)
        for (size_t i = n->name_len; i-- > 0;)
            if (n->name[i] == '.') {
                dot = i;
                break;
            }
    size_t ext_room = n->is_dir ? 0 : lim->file_ext;
    for (size_t i = dot + 1; i < end && *elen < ext_room; i++)
        ext[(*elen)++] = d_char(n->name[i]);
    size_t name_room = n->is_dir ? lim->dir_name : lim->file_name;
    if (!n->is_dir && name_room + *elen > lim->file_total)
        name_room = lim->file_total - *elen;
    for (size_t i = 0; i < dot && *nlen < name_room; i++)
        *nlen += (name[*nlen] = d_char(n->name[i]), 1);
    if (!*nlen && !*elen)
        name[(*nlen)++] = '_';
}

/* Writes the identifier with an optional "~N" at the end of the name part. */
static void iso_compose(struct fsi_node *n, int level, unsigned serial)
{
    char name[40], ext[40], suffix[12] = "";
    size_t nlen, elen, slen = 0;
    iso_parts(n, level, name, &nlen, ext, &elen);
    if (serial) {
        size_t room = n->is_dir ? iso_levels[level].dir_name : iso_levels[level].file_name;
        if (!n->is_dir && room + elen > iso_levels[level].file_total)
            room = iso_levels[level].file_total - elen;
        slen = (size_t)snprintf(suffix, sizeof(suffix), "~%u", serial);
        if (nlen + slen > room)
            nlen = room > slen ? room - slen : 0;
    }
    char *p = n->iso_name;
    memcpy(p, name, nlen);
    p += nlen;
    memcpy(p, suffix, slen);
    p += slen;
    if (!n->is_dir) {
        *p++ = '.';
        memcpy(p, ext, elen);
        p += elen;
        memcpy(p, ";1", 2);
        p += 2;
    }
    n->iso_name_len = (uint8_t)(p - n->iso_name);
}

/* Joliet identifier: the name itself with the characters Joliet forbids as
 * '_', cut to JOLIET_NAME_MAX; a "~N" goes before the extension when cutting
 * or a clash needs one. No ";1" version: Joliet readers take the name as
 * recorded. */
static int joliet_forbidden(uint16_t c)
{
    return c < 0x20 || c == '*' || c == '/' || c == ':' || c == ';' || c == '?' || c == '\\';
}

static void joliet_compose(struct fsi_node *n, unsigned serial)
{
    size_t room = JOLIET_NAME_MAX, dot = n->name_len, len = 0;
    uint16_t *out = n->joliet_name;
    char suffix[12] = "";
    size_t slen = serial ? (size_t)snprintf(suffix, sizeof(suffix), "~%u", serial) : 0;
    for (size_t i = n->name_len; !n->is_dir && i-- > 0;)
        if (n->name[i] == '.') {
            dot = i;
            break;
        }
    size_t ext_len = n->name_len - dot;
    if (ext_len > 8) /* a long "extension" is just part of the name */
        ext_len = 0, dot = n->name_len;
    size_t head = dot;
    if (head + slen + ext_len > room)
        head = room - slen - ext_len;
    for (size_t i = 0; i < head; i++)
        out[len++] = joliet_forbidden(n->name[i]) ? '_' : n->name[i];
    for (size_t i = 0; i < slen; i++)
        out[len++] = (uint16_t)suffix[i];
    for (size_t i = 0; i < ext_len; i++)
        out[len++] = joliet_forbidden(n->name[dot + i]) ? '_' : n->name[dot + i];
    n->joliet_name_len = (uint8_t)len;
}

static int iso_cmp(const void *a, const void *b)
{
    const struct fsi_node *x = *(struct fsi_node *const *)a, *y = *(struct fsi_node *const *)b;
    size_t n = x->iso_name_len < y->iso_name_len ? x->iso_name_len : y->iso_name_len;
    int c = memcmp(x->iso_name, y->iso_name, n);
    return c ? c : (int)x->iso_name_len - (int)y->iso_name_len;
}

static int joliet_cmp(const void *a, const void *b)
{
    const struct fsi_node *x = *(struct fsi_node *const *)a, *y = *(struct fsi_node *const *)b;
    size_t n = x->joliet_name_len < y->joliet_name_len ? x->joliet_name_len : y->joliet_name_len;
    for (size_t i = 0; i < n; i++)
        if (x->joliet_name[i] != y->joliet_name[i])
            return x->joliet_name[i] < y->joliet_name[i] ? -1 : 1;
    return (int)x->joliet_name_len - (int)y->joliet_name_len;
}

/* Gives each child of dir a unique identifier: sort, and while two
 * neighbours are equal, renumber the later one. */
static int32_t make_unique(struct fsi_node *dir, struct fsi_node ***sorted, int joliet, int level)
{
    int (*cmp)(const void *, const void *) = joliet ? joliet_cmp : iso_cmp;
    struct fsi_node **v = malloc((dir->nkids ? dir->nkids : 1) * sizeof(*v));
    if (!v)
        return FSI_E_OUTOFMEMORY;
    for (size_t i = 0; i < dir->nkids; i++) {
        v[i] = dir->kids[i];
        if (joliet)
            joliet_compose(v[i], 0);
        else
            iso_compose(v[i], level, 0);
    }
    unsigned serial = 0;
    for (int clash = 1; clash;) {
        clash = 0;
        qsort(v, dir->nkids, sizeof(*v), cmp);
        for (size_t i = 1; i < dir->nkids; i++)
            if (!cmp(&v[i - 1], &v[i])) {
                if (++serial > 999999) {
                    free(v);
                    return IMAPI_E_NO_UNIQUE_NAME;
                }
                if (joliet)
                    joliet_compose(v[i], serial);
                else
                    iso_compose(v[i], level, serial);
                clash = 1;
            }
    }
    free(*sorted);
    *sorted = v;
    return 0;
}

int32_t iso_assign_names(struct fsi_node *dir, int joliet, int level)
{
    int32_t hr = make_unique(dir, joliet ? &dir->joliet_sorted : &dir->iso_sorted, joliet, level);
    for (size_t i = 0; !hr && i < dir->nkids; i++)
        if (dir->kids[i]->is_dir)
            hr = iso_assign_names(dir->kids[i], joliet, level);
    return hr;
}

/* ---------------------------------------------------------------- records */

static size_t record_size(size_t name_bytes)
{
    size_t size = iso_dr_fields[DR_NAME].offset + name_bytes;
    return size + (size & 1);
}

static size_t name_bytes(const struct fsi_node *n, int joliet)
{
    return joliet ? 2u * n->joliet_name_len : n->iso_name_len;
}

/* How many directory records a node needs (files over one extent's size
 * take several at level 3). */
static uint32_t extents_of(const struct fsi_node *n)
{
    if (n->is_dir || n->size <= ISO_EXTENT_MAX)
        return 1;
    return (uint32_t)((n->size + ISO_EXTENT_PIECE - 1) / ISO_EXTENT_PIECE);
}

/* Records never straddle a block (ECMA-119 6.8.1.1): one that does not fit
 * starts the next block. */
static size_t place_record(size_t pos, size_t size)
{
    if (pos / FSI_BLOCK != (pos + size - 1) / FSI_BLOCK)
        pos = (pos / FSI_BLOCK + 1) * FSI_BLOCK;
    return pos;
}

uint32_t iso_dir_bytes(const struct fsi_node *dir, int joliet)
{
    struct fsi_node *const *v = joliet ? dir->joliet_sorted : dir->iso_sorted;
    size_t pos = 2 * record_size(1);
    for (size_t i = 0; i < dir->nkids; i++) {
        size_t size = record_size(name_bytes(v[i], joliet));
        for (uint32_t e = 0; e < extents_of(v[i]); e++)
            pos = place_record(pos, size) + size;
    }
    return blocks_of(pos) * FSI_BLOCK;
}

static void put_record_time(uint8_t *p, int64_t t)
{
    struct fsi_civil c;
    fsi_civil_from_unix(t, &c);
    int years = c.year - 1900;
    if (years < 0 || years > 255) /* out of the field's range: unspecified */
        memset(p, 0, 7);
    else {
        p[0] = (uint8_t)years;
        p[1] = (uint8_t)c.month;
        p[2] = (uint8_t)c.day;
        p[3] = (uint8_t)c.hour;
        p[4] = (uint8_t)c.minute;
        p[5] = (uint8_t)c.second;
        p[6] = 0; /* UTC */
    }
}

static void put_record(uint8_t *p, size_t size, uint32_t lba, uint32_t bytes, int64_t t, uint8_t flags,
                       const uint8_t *name, size_t nlen)
{
    p[iso_dr_fields[DR_LENGTH].offset] = (uint8_t)size;
    put32both(p + iso_dr_fields[DR_EXTENT].offset, lba);
    put32both(p + iso_dr_fields[DR_DATA_LENGTH].offset, bytes);
    put_record_time(p + iso_dr_fields[DR_TIME].offset, t);
    p[iso_dr_fields[DR_FLAGS].offset] = flags;
    put16both(p + iso_dr_fields[DR_SEQUENCE_NUMBER].offset, 1);
    p[iso_dr_fields[DR_NAME_LENGTH].offset] = (uint8_t)nlen;
    memcpy(p + iso_dr_fields[DR_NAME].offset, name, nlen);
}

static void node_extent(const struct fsi_node *n, int joliet, uint32_t *lba, uint32_t *bytes)
{
    *lba = n->is_dir ? (joliet ? n->joliet_lba : n->iso_lba) : n->data_lba;
    *bytes = n->is_dir ? (joliet ? n->joliet_bytes : n->iso_bytes) : (uint32_t)n->size;
}

void iso_root_record(const struct fsi_node *root, int joliet, uint8_t out[34])
{
    static const uint8_t self = 0;
    uint32_t lba, bytes;
    node_extent(root, joliet, &lba, &bytes);
    memset(out, 0, 34);
    put_record(out, 34, lba, bytes, root->times.modified, DR_FLAG_DIRECTORY, &self, 1);
}

static void encode_name(const struct fsi_node *n, int joliet, uint8_t *out)
{
    if (!joliet)
        memcpy(out, n->iso_name, n->iso_name_len);
    else
        for (size_t i = 0; i < n->joliet_name_len; i++)
            put16be(out + 2 * i, n->joliet_name[i]);
}

void iso_render_dir(const struct fsi_node *dir, int joliet, uint8_t *out)
{
    struct fsi_node *const *v = joliet ? dir->joliet_sorted : dir->iso_sorted;
    const struct fsi_node *parent = dir->parent ? dir->parent : dir;
    static const uint8_t dot = 0, dotdot = 1;
    uint8_t name[2 * FSI_NAME_MAX + 4];
    uint32_t lba, bytes;
    size_t pos = 0, size = record_size(1);
    node_extent(dir, joliet, &lba, &bytes);
    put_record(out, size, lba, bytes, dir->times.modified, DR_FLAG_DIRECTORY, &dot, 1);
    pos += size;
    node_extent(parent, joliet, &lba, &bytes);
    put_record(out + pos, size, lba, bytes, parent->times.modified, DR_FLAG_DIRECTORY, &dotdot, 1);
    pos += size;
    for (size_t i = 0; i < dir->nkids; i++) {
        const struct fsi_node *n = v[i];
        size_t nlen = name_bytes(n, joliet);
        uint32_t count = extents_of(n);
        uint8_t flags = (uint8_t)((n->is_dir ? DR_FLAG_DIRECTORY : 0) | (n->hidden ? DR_FLAG_HIDDEN : 0));
        size = record_size(nlen);
        encode_name(n, joliet, name);
        node_extent(n, joliet, &lba, &bytes);
        for (uint32_t e = 0; e < count; e++) {
            uint64_t left = n->size - (uint64_t)e * ISO_EXTENT_PIECE;
            if (count > 1)
                bytes = (uint32_t)(e + 1 < count ? ISO_EXTENT_PIECE : left);
            pos = place_record(pos, size);
            put_record(out + pos, size, lba + (uint32_t)(e * (ISO_EXTENT_PIECE / FSI_BLOCK)), bytes,
                       n->times.modified, (uint8_t)(flags | (e + 1 < count ? DR_FLAG_MULTI_EXTENT : 0)), name, nlen);
            pos += size;
        }
    }
}

/* ---------------------------------------------------------------- path tables */

size_t iso_path_table_bytes(struct fsi_node *const *dirs, size_t ndirs, int joliet)
{
    size_t bytes = 0;
    for (size_t i = 0; i < ndirs; i++) {
        size_t nlen = dirs[i]->parent ? name_bytes(dirs[i], joliet) : 1;
        bytes += iso_pt_fields[PT_NAME].offset + nlen + (nlen & 1);
    }
    return bytes;
}

void iso_render_path_table(struct fsi_node *const *dirs, size_t ndirs, int joliet, int big_endian, uint8_t *out)
{
    for (size_t i = 0; i < ndirs; i++) {
        const struct fsi_node *d = dirs[i];
        size_t nlen = d->parent ? name_bytes(d, joliet) : 1;
        uint32_t lba = joliet ? d->joliet_lba : d->iso_lba;
        const struct fsi_node *parent = d->parent ? d->parent : d;
        uint16_t parent_number = joliet ? parent->joliet_number : parent->iso_number;
        out[iso_pt_fields[PT_NAME_LENGTH].offset] = (uint8_t)nlen;
        if (big_endian) {
            put32be(out + iso_pt_fields[PT_EXTENT].offset, lba);
            put16be(out + iso_pt_fields[PT_PARENT].offset, parent_number);
        } else {
            put32le(out + iso_pt_fields[PT_EXTENT].offset, lba);
            put16le(out + iso_pt_fields[PT_PARENT].offset, parent_number);
        }
        if (d->parent)
            encode_name(d, joliet, out + iso_pt_fields[PT_NAME].offset);
        else
            out[iso_pt_fields[PT_NAME].offset] = 0;
        out += iso_pt_fields[PT_NAME].offset + nlen + (nlen & 1);
    }
}

/* ---------------------------------------------------------------- descriptors */

static uint8_t *field(uint8_t *vd, enum iso_vd_field f)
{
    return vd + iso_vd_fields[f].offset;
}

/* a- or d-character field, space padded; Joliet: UCS-2 big endian, padded
 * with UCS-2 spaces (a field of odd size ends in one 0x20 byte). */
static void put_text(uint8_t *vd, enum iso_vd_field f, const uint16_t *s, size_t len, int joliet)
{
    uint8_t *p = field(vd, f);
    size_t size = iso_vd_fields[f].size;
    memset(p, ' ', size);
    for (size_t i = 0; joliet && i + 1 < size; i += 2)
        p[i] = 0;
    for (size_t i = 0; i < len; i++) {
        if (joliet && 2 * i + 1 < size)
            put16be(p + 2 * i, s[i]);
        else if (!joliet && i < size)
            p[i] = (uint8_t)s[i];
    }
}

static void put_vd_time(uint8_t *p, int64_t t)
{
    struct fsi_civil c;
    char text[20];
    if (t == INT64_MIN) { /* not specified: sixteen '0' digits and a zero offset */
        memset(p, '0', 16);
        p[16] = 0;
        return;
    }
    fsi_civil_from_unix(t, &c);
    snprintf(text, sizeof(text), "%04d%02d%02d%02d%02d%02d00", c.year % 10000, c.month, c.day, c.hour, c.minute,
             c.second);
    memcpy(p, text, 16);
    p[16] = 0; /* UTC */
}

static const uint16_t application_id[] = {'I', 'M', 'A', 'P', 'I', '2', ' ', 'O', 'P', 'E', 'N'};

void iso_render_vd(uint8_t *vd, const struct iso_vd_params *p)
{
    const int j = p->joliet;
    memset(vd, 0, FSI_BLOCK);
    *field(vd, VD_TYPE) = j ? ISO_VD_SUPPLEMENTARY : ISO_VD_PRIMARY;
    memcpy(field(vd, VD_STANDARD_ID), ISO_STANDARD_ID, 5);
    *field(vd, VD_VERSION) = 1;
    put_text(vd, VD_SYSTEM_ID, NULL, 0, j);
    put_text(vd, VD_VOLUME_ID, p->volume, p->volume_len, j);
    put32both(field(vd, VD_SPACE_SIZE), p->space_blocks);
    if (j)
        memcpy(field(vd, VD_ESCAPES), joliet_escapes, sizeof(joliet_escapes));
    put16both(field(vd, VD_SET_SIZE), 1);
    put16both(field(vd, VD_SEQUENCE_NUMBER), 1);
    put16both(field(vd, VD_BLOCK_SIZE), FSI_BLOCK);
    put32both(field(vd, VD_PATH_TABLE_SIZE), p->path_table_bytes);
    put32le(field(vd, VD_L_PATH_TABLE), p->l_path_table);
    put32be(field(vd, VD_M_PATH_TABLE), p->m_path_table);
    memcpy(field(vd, VD_ROOT_RECORD), p->root_record, 34);
    put_text(vd, VD_SET_ID, NULL, 0, j);
    put_text(vd, VD_PUBLISHER_ID, NULL, 0, j);
    put_text(vd, VD_PREPARER_ID, NULL, 0, j);
    put_text(vd, VD_APPLICATION_ID, application_id, sizeof(application_id) / 2, j);
    put_text(vd, VD_COPYRIGHT_FILE, NULL, 0, j);
    put_text(vd, VD_ABSTRACT_FILE, NULL, 0, j);
    put_text(vd, VD_BIBLIOGRAPHIC_FILE, NULL, 0, j);
    put_vd_time(field(vd, VD_CREATION_TIME), p->now);
    put_vd_time(field(vd, VD_MODIFICATION_TIME), p->now);
    put_vd_time(field(vd, VD_EXPIRATION_TIME), INT64_MIN);
    put_vd_time(field(vd, VD_EFFECTIVE_TIME), p->now);
    *field(vd, VD_FILE_STRUCTURE_VERSION) = 1;
}

void iso_render_terminator(uint8_t *vd)
{
    memset(vd, 0, FSI_BLOCK);
    *field(vd, VD_TYPE) = ISO_VD_TERMINATOR;
    memcpy(field(vd, VD_STANDARD_ID), ISO_STANDARD_ID, 5);
    *field(vd, VD_VERSION) = 1;
}
