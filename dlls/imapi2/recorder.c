/* MsftDiscRecorder2: one recorder, by unique ID (IDiscRecorder2), and raw
 * command access to it (IDiscRecorder2Ex). */
#include <wchar.h>
#include "imapi2_private.h"
#include <winioctl.h>
#include "devices.h"
#include "exclusive.h"
#include "recorder.h"
#include "mmc/drive_query.h"

struct recorder {
    IDiscRecorder2 IDiscRecorder2_iface;
    IDiscRecorder2Ex IDiscRecorder2Ex_iface;
    struct event_source source; /* ISupportErrorInfo only: no events */
    LONG ref;
    CRITICAL_SECTION cs;        /* the transport runs one command at a time */
    BOOL initialized;
    struct device_entry entry;
    struct scsi_transport *transport;
    struct mmc_device dev;      /* the command runner over transport */
    struct exclusive_lock *lock;
    LONG lock_count;            /* Acquire/Release are counted, as on Windows */
    LONG mcn_disable_count;     /* DisableMcn/EnableMcn are counted; MCN is on at 0 */
    struct mmc_inquiry inquiry; /* read by InitializeDiscRecorder: answered at once, locked or busy */
};

static inline struct recorder *impl_from_IDiscRecorder2(IDiscRecorder2 *iface)
{
    return CONTAINING_RECORD(iface, struct recorder, IDiscRecorder2_iface);
}
static inline struct recorder *impl_from_IDiscRecorder2Ex(IDiscRecorder2Ex *iface)
{
    return CONTAINING_RECORD(iface, struct recorder, IDiscRecorder2Ex_iface);
}

static struct recorder *recorder_from_iface(IDiscRecorder2 *iface);
static void drop_lock(struct recorder *rec);

/* ---- IUnknown ---- */

static HRESULT WINAPI recorder_QueryInterface(IDiscRecorder2 *iface, REFIID riid, void **out)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    TRACE("%s\n", debugstr_guid(riid));
    if (!out)
        return E_POINTER;
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch) ||
        IsEqualGUID(riid, &IID_IDiscRecorder2))
        *out = &rec->IDiscRecorder2_iface;
    else if (IsEqualGUID(riid, &IID_IDiscRecorder2Ex))
        *out = &rec->IDiscRecorder2Ex_iface;
    else if (event_source_query(&rec->source, riid, out))
        return S_OK;
    else {
        *out = NULL;
        WARN("no interface %s\n", debugstr_guid(riid));
        return E_NOINTERFACE;
    }
    IUnknown_AddRef((IUnknown *)*out);
    return S_OK;
}

static ULONG WINAPI recorder_AddRef(IDiscRecorder2 *iface)
{
    return InterlockedIncrement(&impl_from_IDiscRecorder2(iface)->ref);
}

static ULONG WINAPI recorder_Release(IDiscRecorder2 *iface)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    ULONG ref = InterlockedDecrement(&rec->ref);
    if (!ref) {
        if (rec->lock)
            drop_lock(rec);
        if (rec->transport)
            scsi_transport_close(rec->transport);
        event_source_destroy(&rec->source);
        DeleteCriticalSection(&rec->cs);
        HeapFree(GetProcessHeap(), 0, rec);
        imapi2_module_release();
    }
    return ref;
}

IMAPI2_DISPATCH_METHODS(recorder, IDiscRecorder2)

/* ---- helpers ---- */

/* Methods other than InitializeDiscRecorder need a device. */
#define RECORDER_NOT_INITIALIZED HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)

static HRESULT recorder_fail(HRESULT hr)
{
    return imapi2_set_error(hr, &IID_IDiscRecorder2);
}

static HRESULT bstr_out(const WCHAR *text, BSTR *out)
{
    if (!out)
        return E_POINTER;
    *out = SysAllocString(text);
    return *out ? S_OK : E_OUTOFMEMORY;
}

/* How long a call waits while another thread of this process uses the
 * recorder (a burn holds it for minutes) before it is answered busy. */
#define RECORDER_BUSY_WAIT_MS 1000

/* The recorder's command lock, waited for a bounded time: a UI thread asking
 * while a burn runs on another thread is answered, not frozen. The thread
 * that holds it (a burn's own Update handler) gets in at once. */
static HRESULT recorder_wait(struct recorder *rec)
{
    DWORD start = GetTickCount();
    while (!TryEnterCriticalSection(&rec->cs)) {
        if (GetTickCount() - start >= RECORDER_BUSY_WAIT_MS)
            return E_IMAPI_RECORDER_LOCKED;
        Sleep(2);
    }
    return S_OK;
}

/* The door of every drive command. Only the holder of exclusive access talks
 * to a locked drive: Windows' class driver refuses every other handle once
 * IOCTL_CDROM_EXCLUSIVE_ACCESS locked it ("CD-ROM Exclusive Access Mode"),
 * so other recorder objects, here or in another process, get
 * E_IMAPI_RECORDER_LOCKED. What that page lets others read (the cached
 * INQUIRY data, the adapter and device descriptors) is answered without
 * commands, so it stays readable. On success the command lock is held. */
static HRESULT recorder_enter(struct recorder *rec)
{
    HRESULT hr = recorder_wait(rec);
    if (FAILED(hr))
        return hr;
    if (!rec->lock_count && exclusive_held(rec->entry.unique_id)) {
        LeaveCriticalSection(&rec->cs);
        return E_IMAPI_RECORDER_LOCKED;
    }
    return S_OK;
}

/* Runs a drive query through the door (one command at a time). */
#define RECORDER_QUERY(rec, call)                        \
    __extension__({                                      \
        HRESULT hr_ = recorder_enter(rec);               \
        if (SUCCEEDED(hr_)) {                            \
            hr_ = (HRESULT)(call);                       \
            LeaveCriticalSection(&(rec)->cs);            \
        }                                                \
        hr_;                                             \
    })

static HRESULT inquiry_field(struct recorder *rec, int field, BSTR *value)
{
    const struct mmc_inquiry *inq = &rec->inquiry;
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    *value = bstr_from_utf8(field == 0 ? inq->vendor : field == 1 ? inq->product : inq->revision);
    return *value ? S_OK : E_OUTOFMEMORY;
}

static HRESULT safearray_of_u16(const uint16_t *values, size_t count, SAFEARRAY **out)
{
    LONG *wide = HeapAlloc(GetProcessHeap(), 0, (count ? count : 1) * sizeof(*wide));
    HRESULT hr;
    if (!wide)
        return E_OUTOFMEMORY;
    for (size_t i = 0; i < count; i++)
        wide[i] = values[i];
    hr = safearray_of_i4(wide, (unsigned)count, out);
    HeapFree(GetProcessHeap(), 0, wide);
    return hr;
}

enum code_list { LIST_FEATURES, LIST_PROFILES, LIST_MODE_PAGES };

/* Feature codes, profiles or mode page codes of the drive. option: "current
 * only" for features and profiles, the page control for mode pages. */
static HRESULT query_codes(struct recorder *rec, enum code_list kind, int option, uint16_t *codes, size_t *count)
{
    uint8_t pages[DRIVE_MAX_MODE_PAGES];
    HRESULT hr;
    *count = 0;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    switch (kind) {
    case LIST_FEATURES:
        hr = RECORDER_QUERY(rec, drive_query_features(&rec->dev, option, codes, DRIVE_MAX_FEATURES, count));
        break;
    case LIST_PROFILES:
        hr = RECORDER_QUERY(rec, drive_query_profiles(&rec->dev, option, codes, DRIVE_MAX_FEATURES, count));
        break;
    default:
        hr = RECORDER_QUERY(rec, drive_query_mode_pages(&rec->dev, (enum mmc_page_control)option, pages,
                                                        ARRAYSIZE(pages), count));
        for (size_t i = 0; SUCCEEDED(hr) && i < *count; i++)
            codes[i] = pages[i];
        break;
    }
    return recorder_fail(hr);
}

static HRESULT code_list(struct recorder *rec, enum code_list kind, int option, SAFEARRAY **value)
{
    uint16_t codes[DRIVE_MAX_FEATURES];
    size_t count;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (FAILED(hr = query_codes(rec, kind, option, codes, &count)))
        return hr;
    return safearray_of_u16(codes, count, value);
}

/* ---- IDiscRecorder2 ---- */

static HRESULT WINAPI recorder_EjectMedia(IDiscRecorder2 *iface)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    TRACE("\n");
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    return recorder_fail(RECORDER_QUERY(rec, drive_eject(&rec->dev)));
}

static HRESULT WINAPI recorder_CloseTray(IDiscRecorder2 *iface)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    TRACE("\n");
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    return recorder_fail(RECORDER_QUERY(rec, drive_close_tray(&rec->dev)));
}

/* force: Windows dismounts a mounted file system first; there is none to
 * dismount on a raw recorder here, so both values take the lock the same way. */
/* Our lock file binds every client of this DLL, in any process; the
 * operating system's own lock, where the transport has one (SPTI's
 * IOCTL_CDROM_EXCLUSIVE_ACCESS), binds every other program too. */
static HRESULT take_lock(struct recorder *rec, const WCHAR *client)
{
    char name[EXCLUSIVE_CLIENT_MAX + 1] = "";
    HRESULT hr = exclusive_acquire(rec->entry.unique_id, client, &rec->lock);
    if (FAILED(hr))
        return hr;
    WideCharToMultiByte(CP_ACP, 0, client, -1, name, sizeof(name), NULL, NULL);
    if (scsi_transport_exclusive(rec->transport, 1, name) == TRANSPORT_LOCK_HELD_ELSEWHERE) {
        exclusive_release(rec->lock);
        rec->lock = NULL;
        return E_IMAPI_RECORDER_LOCKED;
    }
    return S_OK;
}

static void drop_lock(struct recorder *rec)
{
    scsi_transport_exclusive(rec->transport, 0, NULL);
    exclusive_release(rec->lock);
    rec->lock = NULL;
}

static HRESULT WINAPI recorder_AcquireExclusiveAccess(IDiscRecorder2 *iface, VARIANT_BOOL force, BSTR client)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    HRESULT hr = S_OK;
    TRACE("%d %s\n", force, debugstr_w(client));
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    if (!exclusive_client_name_valid(client))
        return recorder_fail(E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID);
    if (FAILED(hr = recorder_wait(rec)))
        return recorder_fail(hr);
    if (!rec->lock_count)
        hr = take_lock(rec, client);
    if (SUCCEEDED(hr))
        rec->lock_count++;
    LeaveCriticalSection(&rec->cs);
    return recorder_fail(hr);
}

static HRESULT WINAPI recorder_ReleaseExclusiveAccess(IDiscRecorder2 *iface)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    HRESULT hr;
    TRACE("\n");
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    if (FAILED(hr = recorder_wait(rec)))
        return recorder_fail(hr);
    if (rec->lock_count && !--rec->lock_count)
        drop_lock(rec);
    LeaveCriticalSection(&rec->cs);
    return S_OK;
}

/* Media change notification drives AutoPlay on Windows; nothing listens for it
 * here, so only the count is kept. The pages: DisableMcn increments a count,
 * EnableMcn decrements it, notifications are on when it is zero. They do not
 * say what EnableMcn does at zero; ours leaves the count at zero (a later
 * DisableMcn must still disable) and answers S_FALSE, a success that tells the
 * caller there was nothing to enable. The count dies with the object, as
 * Windows re-enables MCN when the application goes away. */
static HRESULT count_mcn(struct recorder *rec, LONG step)
{
    HRESULT hr = S_OK;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    EnterCriticalSection(&rec->cs);
    if (step < 0 && !rec->mcn_disable_count)
        hr = S_FALSE;
    else
        rec->mcn_disable_count += step;
    LeaveCriticalSection(&rec->cs);
    return hr;
}

static HRESULT WINAPI recorder_DisableMcn(IDiscRecorder2 *iface)
{
    TRACE("\n");
    return count_mcn(impl_from_IDiscRecorder2(iface), +1);
}

static HRESULT WINAPI recorder_EnableMcn(IDiscRecorder2 *iface)
{
    TRACE("\n");
    return count_mcn(impl_from_IDiscRecorder2(iface), -1);
}

/* Waits for a drive becoming ready take real time. */
void recorder_device_init(struct mmc_device *dev, struct scsi_transport *transport)
{
    mmc_device_init(dev, transport);
    dev->clock = imapi2_wall_clock;
}

static HRESULT WINAPI recorder_InitializeDiscRecorder(IDiscRecorder2 *iface, BSTR unique_id)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    struct device_entry entry;
    struct scsi_transport *transport;
    struct mmc_inquiry inq;
    HRESULT hr;
    TRACE("%s\n", debugstr_w(unique_id));
    if (!unique_id || !unique_id[0])
        return recorder_fail(E_INVALIDARG);
    if (rec->initialized)
        return recorder_fail(HRESULT_FROM_WIN32(ERROR_ALREADY_INITIALIZED));
    if (FAILED(hr = devices_find(unique_id, &entry)))
        return recorder_fail(hr);
    if (FAILED(hr = devices_open(&entry, &transport)))
        return recorder_fail(hr);
    EnterCriticalSection(&rec->cs);
    recorder_device_init(&rec->dev, transport);
    /* Only CD/DVD devices (peripheral type 5) are recorders. Windows does not
     * refuse this on a locked drive: INQUIRY data is what the class driver
     * keeps answering to everyone. */
    hr = mmc_query_inquiry(&rec->dev, &inq);
    if (SUCCEEDED(hr) && inq.peripheral_type != 5)
        hr = E_INVALIDARG;
    if (FAILED(hr)) {
        scsi_transport_close(transport);
        memset(&rec->dev, 0, sizeof(rec->dev));
    } else {
        rec->inquiry = inq;
        rec->entry = entry;
        rec->transport = transport;
        rec->initialized = TRUE;
    }
    LeaveCriticalSection(&rec->cs);
    return recorder_fail(hr);
}

static HRESULT WINAPI recorder_get_ActiveDiscRecorder(IDiscRecorder2 *iface, BSTR *value)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    return bstr_out(rec->entry.unique_id, value);
}

static HRESULT WINAPI recorder_get_VendorId(IDiscRecorder2 *iface, BSTR *value)
{
    return inquiry_field(impl_from_IDiscRecorder2(iface), 0, value);
}

static HRESULT WINAPI recorder_get_ProductId(IDiscRecorder2 *iface, BSTR *value)
{
    return inquiry_field(impl_from_IDiscRecorder2(iface), 1, value);
}

static HRESULT WINAPI recorder_get_ProductRevision(IDiscRecorder2 *iface, BSTR *value)
{
    return inquiry_field(impl_from_IDiscRecorder2(iface), 2, value);
}

/* The volume GUID path of the recorder's drive letter; a virtual recorder has
 * no volume, and answers an empty string. */
static HRESULT WINAPI recorder_get_VolumeName(IDiscRecorder2 *iface, BSTR *value)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    WCHAR mount[4] = { rec->entry.drive_letter, ':', '\\', 0 }, volume[64] = { 0 };
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    if (rec->entry.drive_letter && !GetVolumeNameForVolumeMountPointW(mount, volume, ARRAYSIZE(volume)))
        volume[0] = 0;
    return bstr_out(volume, value);
}

static HRESULT WINAPI recorder_get_VolumePathNames(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    WCHAR mount[4] = { rec->entry.drive_letter, ':', '\\', 0 };
    SAFEARRAY *sa;
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    if (!(sa = SafeArrayCreateVector(VT_VARIANT, 0, rec->entry.drive_letter ? 1 : 0)))
        return E_OUTOFMEMORY;
    if (rec->entry.drive_letter) {
        VARIANT v;
        LONG index = 0;
        V_VT(&v) = VT_BSTR;
        V_BSTR(&v) = SysAllocString(mount);
        HRESULT hr = V_BSTR(&v) ? SafeArrayPutElement(sa, &index, &v) : E_OUTOFMEMORY;
        VariantClear(&v);
        if (FAILED(hr)) {
            SafeArrayDestroy(sa);
            return hr;
        }
    }
    *value = sa;
    return S_OK;
}

static HRESULT WINAPI recorder_get_DeviceCanLoadMedia(IDiscRecorder2 *iface, VARIANT_BOOL *value)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    bool can_load = false;
    HRESULT hr;
    if (!value)
        return E_POINTER;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    hr = RECORDER_QUERY(rec, drive_query_can_load(&rec->dev, &can_load));
    if (FAILED(hr))
        return recorder_fail(hr);
    *value = can_load ? VARIANT_TRUE : VARIANT_FALSE;
    return S_OK;
}

static HRESULT WINAPI recorder_get_LegacyDeviceNumber(IDiscRecorder2 *iface, LONG *value)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    if (!value)
        return E_POINTER;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    *value = rec->entry.legacy_number;
    return S_OK;
}

static HRESULT WINAPI recorder_get_SupportedFeaturePages(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    return code_list(impl_from_IDiscRecorder2(iface), LIST_FEATURES, FALSE, value);
}

static HRESULT WINAPI recorder_get_CurrentFeaturePages(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    return code_list(impl_from_IDiscRecorder2(iface), LIST_FEATURES, TRUE, value);
}

static HRESULT WINAPI recorder_get_SupportedProfiles(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    return code_list(impl_from_IDiscRecorder2(iface), LIST_PROFILES, FALSE, value);
}

static HRESULT WINAPI recorder_get_CurrentProfiles(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    return code_list(impl_from_IDiscRecorder2(iface), LIST_PROFILES, TRUE, value);
}

static HRESULT WINAPI recorder_get_SupportedModePages(IDiscRecorder2 *iface, SAFEARRAY **value)
{
    return code_list(impl_from_IDiscRecorder2(iface), LIST_MODE_PAGES, MMC_PC_CURRENT, value);
}

static HRESULT WINAPI recorder_get_ExclusiveAccessOwner(IDiscRecorder2 *iface, BSTR *value)
{
    struct recorder *rec = impl_from_IDiscRecorder2(iface);
    WCHAR owner[EXCLUSIVE_CLIENT_MAX + 1];
    HRESULT hr;
    if (!value)
        return E_POINTER;
    *value = NULL;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    if (FAILED(hr = exclusive_owner(rec->entry.unique_id, owner, ARRAYSIZE(owner))))
        return recorder_fail(hr);
    return bstr_out(owner, value);
}

static const IDiscRecorder2Vtbl recorder_vtbl = {
    recorder_QueryInterface,
    recorder_AddRef,
    recorder_Release,
    recorder_GetTypeInfoCount,
    recorder_GetTypeInfo,
    recorder_GetIDsOfNames,
    recorder_Invoke,
    recorder_EjectMedia,
    recorder_CloseTray,
    recorder_AcquireExclusiveAccess,
    recorder_ReleaseExclusiveAccess,
    recorder_DisableMcn,
    recorder_EnableMcn,
    recorder_InitializeDiscRecorder,
    recorder_get_ActiveDiscRecorder,
    recorder_get_VendorId,
    recorder_get_ProductId,
    recorder_get_ProductRevision,
    recorder_get_VolumeName,
    recorder_get_VolumePathNames,
    recorder_get_DeviceCanLoadMedia,
    recorder_get_LegacyDeviceNumber,
    recorder_get_SupportedFeaturePages,
    recorder_get_CurrentFeaturePages,
    recorder_get_SupportedProfiles,
    recorder_get_CurrentProfiles,
    recorder_get_SupportedModePages,
    recorder_get_ExclusiveAccessOwner,
};

/* Our own objects only: lets a format object reach the transport of the
 * recorder it was given, without a second open of the device. */
static struct recorder *recorder_from_iface(IDiscRecorder2 *iface)
{
    return iface && iface->lpVtbl == &recorder_vtbl ? impl_from_IDiscRecorder2(iface) : NULL;
}

HRESULT recorder_run(IDiscRecorder2 *iface, recorder_job job, void *ctx)
{
    struct recorder *rec = recorder_from_iface(iface);
    HRESULT hr;
    if (!rec || !rec->initialized)
        return E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED;
    if (FAILED(hr = recorder_enter(rec)))
        return hr;
    hr = job(&rec->dev, ctx);
    LeaveCriticalSection(&rec->cs);
    return hr;
}

HRESULT recorder_own(IDiscRecorder2 *any, IDiscRecorder2 **ours)
{
    BSTR id = NULL;
    HRESULT hr;
    *ours = NULL;
    if (!any)
        return E_POINTER;
    if (recorder_from_iface(any)) {
        IDiscRecorder2_AddRef(any);
        *ours = any;
        return S_OK;
    }
    /* Another implementation's object or a proxy: open the same device ourselves. */
    if (FAILED(hr = IDiscRecorder2_get_ActiveDiscRecorder(any, &id)))
        return hr;
    hr = recorder_create(NULL, &IID_IDiscRecorder2, (void **)ours);
    if (SUCCEEDED(hr) && FAILED(hr = IDiscRecorder2_InitializeDiscRecorder(*ours, id))) {
        IDiscRecorder2_Release(*ours);
        *ours = NULL;
    }
    SysFreeString(id);
    return hr;
}

struct scsi_transport *recorder_transport(IDiscRecorder2 *iface)
{
    struct recorder *rec = recorder_from_iface(iface);
    return rec && rec->initialized ? rec->transport : NULL;
}

/* ---- IDiscRecorder2Ex: raw access; not automation (byte buffers) ---- */

static HRESULT WINAPI recorder_ex_QueryInterface(IDiscRecorder2Ex *iface, REFIID riid, void **out)
{
    return recorder_QueryInterface(&impl_from_IDiscRecorder2Ex(iface)->IDiscRecorder2_iface, riid, out);
}

static ULONG WINAPI recorder_ex_AddRef(IDiscRecorder2Ex *iface)
{
    return recorder_AddRef(&impl_from_IDiscRecorder2Ex(iface)->IDiscRecorder2_iface);
}

static ULONG WINAPI recorder_ex_Release(IDiscRecorder2Ex *iface)
{
    return recorder_Release(&impl_from_IDiscRecorder2Ex(iface)->IDiscRecorder2_iface);
}

/* The three SendCommand methods: the caller's CDB as is (its length checked
 * against the opcode, mmc_cdb_length_ok), sense handed back.
 * A command that ends in CHECK CONDITION is a success with sense
 * (S_IMAPI_COMMAND_HAS_SENSE_DATA), as Windows reports it. */
static HRESULT send_command(struct recorder *rec, const BYTE *cdb, ULONG cdb_size, BYTE sense[18], ULONG timeout,
                            enum scsi_direction dir, BYTE *buffer, ULONG size, ULONG *fetched)
{
    struct scsi_request req = { 0 };
    enum transport_result result;
    HRESULT hr;
    if (!cdb || !sense || (dir != SCSI_DIR_NONE && !buffer) || (dir == SCSI_DIR_IN && !fetched))
        return E_POINTER;
    /* A CDB whose length does not fit its opcode (the pages' table) is the
     * caller's error; the pages name no code for it, E_INVALIDARG says so. */
    if (!mmc_cdb_length_ok(cdb[0], cdb_size) || (dir != SCSI_DIR_NONE && !size))
        return E_INVALIDARG;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    memcpy(req.cdb, cdb, cdb_size);
    req.cdb_len = (uint8_t)cdb_size;
    req.dir = dir;
    req.buf = buffer;
    req.len = dir == SCSI_DIR_NONE ? 0 : size;
    req.timeout_ms = (timeout ? timeout : IMAPI2_DEFAULT_COMMAND_TIMEOUT) * 1000u;
    if (FAILED(hr = recorder_enter(rec)))
        return recorder_fail(hr);
    result = scsi_transport_execute(rec->transport, &req);
    LeaveCriticalSection(&rec->cs);
    memset(sense, 0, 18);
    if (fetched)
        *fetched = req.len >= req.resid ? req.len - req.resid : 0;
    if (result != TRANSPORT_OK)
        return recorder_fail(mmc_transport_hresult(result));
    if (req.status == SCSI_STATUS_CHECK_CONDITION) {
        memcpy(sense, req.sense, req.sense_len < 18 ? req.sense_len : 18);
        return S_IMAPI_COMMAND_HAS_SENSE_DATA;
    }
    return req.status == SCSI_STATUS_GOOD ? S_OK : recorder_fail(E_IMAPI_RECORDER_MEDIA_BUSY);
}

static HRESULT WINAPI recorder_ex_SendCommandNoData(IDiscRecorder2Ex *iface, BYTE *cdb, ULONG cdb_size,
                                                    BYTE sense[18], ULONG timeout)
{
    return send_command(impl_from_IDiscRecorder2Ex(iface), cdb, cdb_size, sense, timeout, SCSI_DIR_NONE, NULL, 0,
                        NULL);
}

static HRESULT WINAPI recorder_ex_SendCommandSendDataToDevice(IDiscRecorder2Ex *iface, BYTE *cdb, ULONG cdb_size,
                                                              BYTE sense[18], ULONG timeout, BYTE *buffer,
                                                              ULONG size)
{
    return send_command(impl_from_IDiscRecorder2Ex(iface), cdb, cdb_size, sense, timeout, SCSI_DIR_OUT, buffer,
                        size, NULL);
}

static HRESULT WINAPI recorder_ex_SendCommandGetDataFromDevice(IDiscRecorder2Ex *iface, BYTE *cdb, ULONG cdb_size,
                                                               BYTE sense[18], ULONG timeout, BYTE *buffer,
                                                               ULONG size, ULONG *fetched)
{
    return send_command(impl_from_IDiscRecorder2Ex(iface), cdb, cdb_size, sense, timeout, SCSI_DIR_IN, buffer,
                        size, fetched);
}

/* Copies len bytes into a CoTaskMemAlloc'ed block the caller frees. */
static HRESULT return_block(const void *bytes, ULONG len, BYTE **data, ULONG *size)
{
    if (!(*data = CoTaskMemAlloc(len ? len : 1)))
        return E_OUTOFMEMORY;
    memcpy(*data, bytes, len);
    *size = len;
    return S_OK;
}

static HRESULT WINAPI recorder_ex_GetAdapterDescriptor(IDiscRecorder2Ex *iface, BYTE **data, ULONG *size)
{
    struct recorder *rec = impl_from_IDiscRecorder2Ex(iface);
    STORAGE_ADAPTER_DESCRIPTOR desc = { 0 };
    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    desc.Version = desc.Size = sizeof(desc);
    desc.MaximumTransferLength = rec->transport->max_transfer;
    desc.MaximumPhysicalPages = rec->transport->max_transfer / 4096 + 1;
    desc.AlignmentMask = rec->transport->alignment_mask;
    desc.BusType = BusTypeScsi;
    return return_block(&desc, sizeof(desc), data, size);
}

/* STORAGE_DEVICE_DESCRIPTOR followed by its NUL-terminated ID strings. */
static HRESULT WINAPI recorder_ex_GetDeviceDescriptor(IDiscRecorder2Ex *iface, BYTE **data, ULONG *size)
{
    struct recorder *rec = impl_from_IDiscRecorder2Ex(iface);
    struct {
        STORAGE_DEVICE_DESCRIPTOR desc;
        char strings[9 + 17 + 5];
    } block = { 0 };
    const struct mmc_inquiry *inq = &rec->inquiry;
    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    char *vendor = block.strings, *product = vendor + 9, *revision = product + 17;
    strcpy(vendor, inq->vendor);
    strcpy(product, inq->product);
    strcpy(revision, inq->revision);
    block.desc.Version = block.desc.Size = sizeof(block);
    block.desc.DeviceType = inq->peripheral_type;
    block.desc.RemovableMedia = inq->removable;
    block.desc.VendorIdOffset = (DWORD)(vendor - (char *)&block);
    block.desc.ProductIdOffset = (DWORD)(product - (char *)&block);
    block.desc.ProductRevisionOffset = (DWORD)(revision - (char *)&block);
    block.desc.BusType = BusTypeScsi;
    return return_block(&block, sizeof(block), data, size);
}

/* A drive answer of at most max bytes, handed back as a CoTaskMemAlloc block. */
typedef int32_t (*block_query)(struct mmc_device *d, const void *args, uint8_t *buf, uint32_t len,
                               uint32_t *returned);

static HRESULT query_block(struct recorder *rec, block_query query, const void *args, uint32_t max, BYTE **data,
                           ULONG *size)
{
    uint8_t *buf;
    uint32_t returned = 0;
    HRESULT hr;
    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    if (!(buf = HeapAlloc(GetProcessHeap(), 0, max)))
        return E_OUTOFMEMORY;
    hr = RECORDER_QUERY(rec, query(&rec->dev, args, buf, max, &returned));
    if (SUCCEEDED(hr))
        hr = return_block(buf, returned, data, size);
    HeapFree(GetProcessHeap(), 0, buf);
    return recorder_fail(hr);
}

struct dvd_structure_args {
    uint8_t format, layer, agid;
    uint32_t address;
};

static int32_t dvd_structure_query(struct mmc_device *d, const void *args, uint8_t *buf, uint32_t len,
                                   uint32_t *returned)
{
    const struct dvd_structure_args *a = args;
    return drive_read_dvd_structure(d, a->format, a->address, a->layer, a->agid, buf, len, returned);
}

/* READ DISC STRUCTURE with the header removed (the page). format "is
 * truncated to UCHAR", as the page notes; layer is the CDB's byte, the AGID
 * its two bits. A drive or disc without the structure (a CD):
 * E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT. */
static HRESULT WINAPI recorder_ex_ReadDvdStructure(IDiscRecorder2Ex *iface, ULONG format, ULONG address,
                                                   ULONG layer, ULONG agid, BYTE **data, ULONG *count)
{
    struct dvd_structure_args args = { (uint8_t)format, (uint8_t)layer, (uint8_t)agid, address };
    TRACE("format %#lx address %#lx layer %lu agid %lu\n", format, address, layer, agid);
    if (data && count && (layer > 0xFF || agid > 3)) {
        *data = NULL;
        *count = 0;
        return E_INVALIDARG;
    }
    return query_block(impl_from_IDiscRecorder2Ex(iface), dvd_structure_query, &args, 0xFFFF, data, count);
}

struct dvd_send_args {
    uint8_t format;
    const BYTE *data;
    ULONG count;
};

static HRESULT dvd_send_job(struct mmc_device *dev, void *ctx)
{
    const struct dvd_send_args *a = ctx;
    return drive_send_dvd_structure(dev, a->format, a->data, a->count);
}

/* SEND DISC STRUCTURE: data without a header, which is added here (the page). */
static HRESULT WINAPI recorder_ex_SendDvdStructure(IDiscRecorder2Ex *iface, ULONG format, BYTE *data, ULONG count)
{
    struct recorder *rec = impl_from_IDiscRecorder2Ex(iface);
    struct dvd_send_args args = { (uint8_t)format, data, count };
    TRACE("format %#lx, %lu bytes\n", format, count);
    if (!data)
        return E_POINTER;
    if (format > 0xFF)
        return E_INVALIDARG;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    return recorder_fail(RECORDER_QUERY(rec, dvd_send_job(&rec->dev, &args)));
}

static int32_t disc_info_query(struct mmc_device *d, const void *args, uint8_t *buf, uint32_t len,
                               uint32_t *returned)
{
    (void)args;
    return drive_disc_information(d, buf, len, returned);
}

static HRESULT WINAPI recorder_ex_GetDiscInformation(IDiscRecorder2Ex *iface, BYTE **info, ULONG *size)
{
    return query_block(impl_from_IDiscRecorder2Ex(iface), disc_info_query, NULL, 0xFFFE, info, size);
}

struct track_args {
    uint8_t type;
    uint32_t address;
};

static int32_t track_info_query(struct mmc_device *d, const void *args, uint8_t *buf, uint32_t len,
                                uint32_t *returned)
{
    const struct track_args *a = args;
    return drive_track_information(d, (enum mmc_track_address)a->type, a->address, buf, len, returned);
}

static HRESULT WINAPI recorder_ex_GetTrackInformation(IDiscRecorder2Ex *iface, ULONG address,
                                                      IMAPI_READ_TRACK_ADDRESS_TYPE type, BYTE **info,
                                                      ULONG *size)
{
    struct track_args args = { (uint8_t)type, address };
    if ((unsigned)type > IMAPI_READ_TRACK_ADDRESS_TYPE_SESSION)
        return E_INVALIDARG;
    return query_block(impl_from_IDiscRecorder2Ex(iface), track_info_query, &args, 0xFFFE, info, size);
}

struct feature_args {
    uint16_t code;
    bool current_only;
};

static int32_t feature_query(struct mmc_device *d, const void *args, uint8_t *buf, uint32_t len,
                             uint32_t *returned)
{
    const struct feature_args *a = args;
    return drive_feature(d, a->code, a->current_only, buf, len, returned);
}

static HRESULT WINAPI recorder_ex_GetFeaturePage(IDiscRecorder2Ex *iface, IMAPI_FEATURE_PAGE_TYPE feature,
                                                 BOOLEAN current_only, BYTE **data, ULONG *size)
{
    struct feature_args args = { (uint16_t)feature, current_only != 0 };
    if ((ULONG)feature > 0xFFFF)
        return E_INVALIDARG;
    return query_block(impl_from_IDiscRecorder2Ex(iface), feature_query, &args, 0xFFF8, data, size);
}

/* IMAPI_MODE_PAGE_REQUEST_TYPE numbers are MODE SENSE's page control values. */
static HRESULT WINAPI recorder_ex_GetModePage(IDiscRecorder2Ex *iface, IMAPI_MODE_PAGE_TYPE page_code,
                                              IMAPI_MODE_PAGE_REQUEST_TYPE request, BYTE **data, ULONG *size)
{
    struct recorder *rec = impl_from_IDiscRecorder2Ex(iface);
    struct mmc_mode_page page;
    HRESULT hr;
    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    if ((ULONG)page_code > 0x3E || (ULONG)request > IMAPI_MODE_PAGE_REQUEST_TYPE_SAVED_VALUES)
        return E_INVALIDARG;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    hr = RECORDER_QUERY(rec, mmc_query_mode_page(&rec->dev, (enum mmc_page_control)request, (uint8_t)page_code, &page));
    if (FAILED(hr))
        return recorder_fail(hr);
    return return_block(page.data, (ULONG)page.len, data, size);
}

static HRESULT WINAPI recorder_ex_SetModePage(IDiscRecorder2Ex *iface, IMAPI_MODE_PAGE_REQUEST_TYPE request,
                                              BYTE *data, ULONG size)
{
    struct recorder *rec = impl_from_IDiscRecorder2Ex(iface);
    struct mmc_mode_page page;
    if (!data)
        return E_POINTER;
    /* Only current values can be set: MMC drives keep no saved pages. */
    if (request != IMAPI_MODE_PAGE_REQUEST_TYPE_CURRENT_VALUES || size < 2 || size > sizeof(page.data) ||
        data[1] + 2u > size)
        return E_INVALIDARG;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    memcpy(page.data, data, size);
    page.len = size;
    return recorder_fail(RECORDER_QUERY(rec, mmc_select_mode_page(&rec->dev, &page)));
}

/* Hands a list of codes back as a CoTaskMemAlloc'ed array of enum values. */
static HRESULT return_codes(const uint16_t *codes, size_t count, int **out, ULONG *valid)
{
    if (!(*out = CoTaskMemAlloc((count ? count : 1) * sizeof(**out))))
        return E_OUTOFMEMORY;
    for (size_t i = 0; i < count; i++)
        (*out)[i] = codes[i];
    *valid = (ULONG)count;
    return S_OK;
}

static HRESULT ex_code_list(struct recorder *rec, enum code_list kind, int option, int **out, ULONG *valid)
{
    uint16_t codes[DRIVE_MAX_FEATURES];
    size_t count;
    HRESULT hr;
    if (!out || !valid)
        return E_POINTER;
    *out = NULL;
    *valid = 0;
    if (FAILED(hr = query_codes(rec, kind, option, codes, &count)))
        return hr;
    return return_codes(codes, count, out, valid);
}

static HRESULT WINAPI recorder_ex_GetSupportedFeaturePages(IDiscRecorder2Ex *iface, BOOLEAN current_only,
                                                           IMAPI_FEATURE_PAGE_TYPE **pages, ULONG *count)
{
    return ex_code_list(impl_from_IDiscRecorder2Ex(iface), LIST_FEATURES, current_only, (int **)pages, count);
}

static HRESULT WINAPI recorder_ex_GetSupportedProfiles(IDiscRecorder2Ex *iface, BOOLEAN current_only,
                                                       IMAPI_PROFILE_TYPE **profiles, ULONG *count)
{
    return ex_code_list(impl_from_IDiscRecorder2Ex(iface), LIST_PROFILES, current_only, (int **)profiles, count);
}

static HRESULT WINAPI recorder_ex_GetSupportedModePages(IDiscRecorder2Ex *iface,
                                                        IMAPI_MODE_PAGE_REQUEST_TYPE request,
                                                        IMAPI_MODE_PAGE_TYPE **pages, ULONG *count)
{
    if (pages && count && (ULONG)request > IMAPI_MODE_PAGE_REQUEST_TYPE_SAVED_VALUES) {
        *pages = NULL;
        *count = 0;
        return E_INVALIDARG;
    }
    return ex_code_list(impl_from_IDiscRecorder2Ex(iface), LIST_MODE_PAGES, request, (int **)pages, count);
}

static HRESULT transport_limit(struct recorder *rec, ULONG *value, ULONG which)
{
    if (!value)
        return E_POINTER;
    if (!rec->initialized)
        return recorder_fail(RECORDER_NOT_INITIALIZED);
    /* Page-aligned buffers may carry the full transfer; others lose a page to
     * the split across physical pages, as adapters count them. */
    switch (which) {
    /* Named a mask, but the page says the value "is always a number that is a
     * power of 2" and callers test addr & (value - 1): the alignment itself. */
    case 0: *value = rec->transport->alignment_mask + 1; break;
    case 1: *value = rec->transport->max_transfer > 4096 ? rec->transport->max_transfer - 4096 : rec->transport->max_transfer; break;
    default: *value = rec->transport->max_transfer; break;
    }
    return S_OK;
}

static HRESULT WINAPI recorder_ex_GetByteAlignmentMask(IDiscRecorder2Ex *iface, ULONG *value)
{
    return transport_limit(impl_from_IDiscRecorder2Ex(iface), value, 0);
}

static HRESULT WINAPI recorder_ex_GetMaximumNonPageAlignedTransferSize(IDiscRecorder2Ex *iface, ULONG *value)
{
    return transport_limit(impl_from_IDiscRecorder2Ex(iface), value, 1);
}

static HRESULT WINAPI recorder_ex_GetMaximumPageAlignedTransferSize(IDiscRecorder2Ex *iface, ULONG *value)
{
    return transport_limit(impl_from_IDiscRecorder2Ex(iface), value, 2);
}

static const IDiscRecorder2ExVtbl recorder_ex_vtbl = {
    recorder_ex_QueryInterface,
    recorder_ex_AddRef,
    recorder_ex_Release,
    recorder_ex_SendCommandNoData,
    recorder_ex_SendCommandSendDataToDevice,
    recorder_ex_SendCommandGetDataFromDevice,
    recorder_ex_ReadDvdStructure,
    recorder_ex_SendDvdStructure,
    recorder_ex_GetAdapterDescriptor,
    recorder_ex_GetDeviceDescriptor,
    recorder_ex_GetDiscInformation,
    recorder_ex_GetTrackInformation,
    recorder_ex_GetFeaturePage,
    recorder_ex_GetModePage,
    recorder_ex_SetModePage,
    recorder_ex_GetSupportedFeaturePages,
    recorder_ex_GetSupportedProfiles,
    recorder_ex_GetSupportedModePages,
    recorder_ex_GetByteAlignmentMask,
    recorder_ex_GetMaximumNonPageAlignedTransferSize,
    recorder_ex_GetMaximumPageAlignedTransferSize,
};

HRESULT recorder_create(IUnknown *outer, REFIID riid, void **out)
{
    struct recorder *rec;
    HRESULT hr;
    (void)outer;
    if (!(rec = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*rec))))
        return E_OUTOFMEMORY;
    rec->IDiscRecorder2_iface.lpVtbl = &recorder_vtbl;
    rec->IDiscRecorder2Ex_iface.lpVtbl = &recorder_ex_vtbl;
    rec->ref = 1;
    rec->entry.legacy_number = -1;
    InitializeCriticalSection(&rec->cs);
    event_source_init(&rec->source, (IUnknown *)&rec->IDiscRecorder2_iface, &CLSID_MsftDiscRecorder2,
                      &IID_IDiscRecorder2, NULL);
    imapi2_module_addref();
    hr = IDiscRecorder2_QueryInterface(&rec->IDiscRecorder2_iface, riid, out);
    IDiscRecorder2_Release(&rec->IDiscRecorder2_iface);
    return hr;
}
