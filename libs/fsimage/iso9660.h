/* ISO 9660 / Joliet pieces of the layout (iso9660.c). */
#ifndef IMAPI2_ISO9660_H
#define IMAPI2_ISO9660_H

#include "fsimage_internal.h"

/* Identifiers for every node below dir, unique per directory, and the
 * children sorted in identifier order (iso_sorted / joliet_sorted). */
int32_t iso_assign_names(struct fsi_node *dir, int joliet, int level);
/* Bytes of dir's extent (whole blocks). */
uint32_t iso_dir_bytes(const struct fsi_node *dir, int joliet);
void iso_render_dir(const struct fsi_node *dir, int joliet, uint8_t *out);
void iso_root_record(const struct fsi_node *root, int joliet, uint8_t out[34]);
/* dirs in path table order (breadth first over the sorted children). */
size_t iso_path_table_bytes(struct fsi_node *const *dirs, size_t ndirs, int joliet);
void iso_render_path_table(struct fsi_node *const *dirs, size_t ndirs, int joliet, int big_endian, uint8_t *out);

struct iso_vd_params {
    int joliet;
    const uint16_t *volume;
    size_t volume_len;
    uint32_t space_blocks, path_table_bytes, l_path_table, m_path_table;
    uint8_t root_record[34];
    int64_t now;
};
void iso_render_vd(uint8_t *vd, const struct iso_vd_params *p);
void iso_render_terminator(uint8_t *vd);

#endif
