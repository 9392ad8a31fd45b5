/* The "sgio-pipe" transport as the DLL uses it under Wine: starts the
 * native helper imapi2-sghelper, connects to it over loopback TCP and runs
 * libs/transport/sgpipe.h over that connection (docs/transports.md).
 *
 * Only under Wine (ntdll exports wine_get_version); on Windows
 * sgpipe_win_available() is FALSE and nothing here runs.
 *
 * Where the helper is (first found):
 *   1. environment IMAPI2_SGHELPER: its path, DOS or Unix (/...);
 *   2. REG_SZ "SgHelper" under HKCU, then HKLM, Software\imapi2-open;
 *   3. "imapi2-sghelper" in the folder of the module holding this code
 *      (the DLL; the build puts a copy next to each imapi2.dll).
 *
 * Builds standalone (Winsock, advapi32, libs/ only), so PE tests link it
 * without the COM parts of the DLL. */
#ifndef IMAPI2_SGPIPE_WIN_H
#define IMAPI2_SGPIPE_WIN_H

#include <winsock2.h>
#include <windows.h>

#include "transport/sgpipe.h"

#define SGPIPE_HELPER_NAME L"imapi2-sghelper"
#define SGPIPE_HELPER_ENV L"IMAPI2_SGHELPER"
/* Devices the helper serves besides /dev/srN, ';'-separated Unix paths
 * ("/dev/sg3;vrec:/tmp/test.media"): drives without a drive letter, or a
 * virtual recorder behind the helper for tests. */
#define SGPIPE_DEVICES_ENV L"IMAPI2_SGHELPER_DEVICES"
/* How long the helper has to start, connect and prove its token. */
#define SGPIPE_CONNECT_TIMEOUT_MS 10000u

/* Under Wine, with a helper to start. */
BOOL sgpipe_win_available(void);
/* The helper's DOS path by the rules above; FALSE when there is no file. */
BOOL sgpipe_win_helper_path(WCHAR *out, DWORD size);

/* The Wine prefix's dosdevices folder as a Unix path (passed to the helper
 * as IMAPI2_SGHELPER_DOSDEVICES, where it matches drive letters to nodes). */
BOOL sgpipe_win_dosdevices_folder(WCHAR *out, DWORD size);

/* The pieces of sgpipe_win_connect, for tests that play a stranger on
 * the helper's port (Winsock started by the caller):
 * a listener on 127.0.0.1, port chosen by the system; */
SOCKET sgpipe_win_listen(USHORT *port);
/* the helper started to connect there, holding token; */
BOOL sgpipe_win_start_helper(USHORT port, const uint8_t token[SGPIPE_TOKEN_SIZE]);
/* one connection accepted within timeout_ms (TIMEOUT when none came), not
 * yet authenticated; io->close closes it. */
enum transport_result sgpipe_win_accept(SOCKET listener, DWORD timeout_ms, struct sgpipe_io *io);

/* Starts a helper, runs the handshake (sgpipe_client_handshake) and
 * returns the connection to it (io->close ends the helper) and the
 * helper's Unix pid. */
enum transport_result sgpipe_win_connect(struct sgpipe_io *io, DWORD *helper_pid);

/* One helper run: /dev/srN and the extra paths (NUL-separated). Returns
 * the number of entries (<= max), or -1 when no helper could be asked. */
int sgpipe_win_enumerate(const char *extra_paths, uint32_t extra_len, struct sgpipe_entry *out, int max);

/* A transport on path ("/dev/sr0", "/dev/sg1", "vrec:/..."), served by a
 * helper of its own. helper_pid may be NULL. */
enum transport_result sgpipe_win_open(const char *path, struct scsi_transport **out, DWORD *helper_pid);

#endif
