/* The recorders this process can see: real drives (SPTI; under Wine also
 * the nodes imapi2-sghelper serves, see sgpipe_win.h) and the virtual
 * recorders configured in the registry, each under a stable unique ID shaped
 * like a Windows device interface path. The only place that knows which
 * backend a recorder uses; above it everything is a struct scsi_transport. */
#ifndef IMAPI2_DEVICES_H
#define IMAPI2_DEVICES_H

#include <windows.h>
#include "transport/transport.h"
#include "transport/sgpipe_proto.h"

/* Where virtual recorders are configured, under HKCU (this user) and HKLM
 * (every user); one subkey per recorder, named after the recorder. */
#define VIRTUAL_RECORDERS_KEY L"Software\\imapi2-open\\VirtualRecorders"
#define DEVICE_ID_MAX 300
#define VIRTUAL_NAME_MAX 64

struct device_entry {
    WCHAR unique_id[DEVICE_ID_MAX];
    BOOL is_virtual;
    WCHAR name[VIRTUAL_NAME_MAX]; /* virtual: the configuration key's name */
    WCHAR path[MAX_PATH];         /* real: \\.\CdRomN or \\.\X: */
    LONG legacy_number;           /* N of \\.\CdRomN; -1 when there is none */
    WCHAR drive_letter;           /* 0 when the recorder has no drive letter */
    char helper_path[SGPIPE_PATH_MAX]; /* served by imapi2-sghelper: its Unix path, else "" */
};

/* A snapshot of every recorder, real ones first, virtual ones by name.
 * Free with HeapFree(GetProcessHeap(), 0, list). */
HRESULT devices_list(struct device_entry **list, unsigned *count);
/* The entry of a unique ID (case-insensitive), or E_INVALIDARG when no such
 * recorder exists now. */
HRESULT devices_find(const WCHAR *unique_id, struct device_entry *out);
/* Opens the recorder's transport. */
HRESULT devices_open(const struct device_entry *entry, struct scsi_transport **out);

#endif
