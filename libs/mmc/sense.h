/* Sense data: decoding fixed (70h/71h) and descriptor (72h/73h) formats, and
 * the one table that says what a (key, ASC, ASCQ) means, how the command
 * runner reacts to it, and which IMAPI2 HRESULT Windows reports for it. */
#ifndef IMAPI2_MMC_SENSE_H
#define IMAPI2_MMC_SENSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Generic HRESULTs libs/ needs besides the IMAPI2 ones of imapi2error.h
 * (libs/ has no windows.h; the values are Windows'). */
#define MMC_S_OK ((int32_t)0)
#define MMC_E_FAIL ((int32_t)0x80004005u)
#define MMC_E_INVALIDARG ((int32_t)0x80070057u)
#define MMC_E_OUTOFMEMORY ((int32_t)0x8007000Eu)
#define MMC_E_POINTER ((int32_t)0x80004003u)
#define MMC_E_INVALID_HANDLE ((int32_t)0x80070006u)   /* HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) */
#define MMC_E_DEV_NOT_EXIST ((int32_t)0x80070037u)    /* HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST) */
#define MMC_E_IO_DEVICE ((int32_t)0x8007045Du)        /* HRESULT_FROM_WIN32(ERROR_IO_DEVICE) */
#define MMC_FAILED(hr) ((int32_t)(hr) < 0)
#define MMC_SUCCEEDED(hr) ((int32_t)(hr) >= 0)

enum mmc_sense_key {
    MMC_KEY_NO_SENSE = 0x0,
    MMC_KEY_RECOVERED_ERROR = 0x1,
    MMC_KEY_NOT_READY = 0x2,
    MMC_KEY_MEDIUM_ERROR = 0x3,
    MMC_KEY_HARDWARE_ERROR = 0x4,
    MMC_KEY_ILLEGAL_REQUEST = 0x5,
    MMC_KEY_UNIT_ATTENTION = 0x6,
    MMC_KEY_DATA_PROTECT = 0x7,
    MMC_KEY_ABORTED_COMMAND = 0xB
};

struct mmc_sense {
    bool descriptor_format; /* 72h/73h */
    bool deferred;          /* 71h/73h: about an earlier command (e.g. a flushed WRITE) */
    uint8_t key, asc, ascq;
    bool progress_valid;    /* SKSV with a progress indication (NOT READY / NO SENSE) */
    uint16_t progress;      /* 0..65535 of the long operation */
    bool information_valid;
    uint64_t information;   /* e.g. the failing LBA */
};

/* Decodes sense bytes; only the len bytes given and the additional length the
 * data claims (whichever is smaller) are looked at. Returns 0, or
 * E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE when there is no sense (len 0)
 * or the response code is neither fixed nor descriptor format. */
int32_t mmc_sense_decode(const uint8_t *buf, size_t len, struct mmc_sense *out);

/* What the command runner does about a sense. */
enum mmc_retry {
    MMC_RETRY_NONE = 0,        /* fail with the HRESULT */
    MMC_RETRY_WAIT_READY,      /* the unit is becoming ready: wait a little, send again */
    MMC_RETRY_POLL_PROGRESS,   /* a long operation runs: poll, report its progress */
    MMC_RETRY_ONCE             /* unit attention / aborted: the command did not run; send once more */
};

#define MMC_SENSE_ANY (-1)

struct mmc_sense_rule {
    int16_t key, asc, ascq;   /* MMC_SENSE_ANY matches every value */
    enum mmc_retry retry;
    int32_t hresult;          /* S_OK-class values for senses that are not failures */
    const char *meaning;
};

/* First rule of the table matching the sense; never NULL (the table ends in a
 * catch-all). Specific rules come before the wildcard rules of their key. */
const struct mmc_sense_rule *mmc_sense_lookup(uint8_t key, uint8_t asc, uint8_t ascq);
/* The table by index, NULL past the end (for tests). */
const struct mmc_sense_rule *mmc_sense_rule_at(size_t index);
/* Name of a sense key ("NOT READY"...). */
const char *mmc_sense_key_name(uint8_t key);

#endif
