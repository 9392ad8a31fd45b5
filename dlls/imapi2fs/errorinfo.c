/* IErrorInfo for imapi2fs's failing calls: the description comes from the
 * one imapi2fs HRESULT table (libs/fsimage/imapi2fs_errors.def); imapi2's
 * error info code (built in) does the rest. */
#include "imapi2fs_private.h"

static const struct {
    HRESULT hr;
    const char *text;
} error_texts[] = {
#define IMAPI2_ERROR(name, value, text) { (HRESULT)value, text },
#include "fsimage/imapi2fs_errors.def"
#undef IMAPI2_ERROR
};

const char *fs_error_text(HRESULT hr)
{
    for (unsigned i = 0; i < ARRAYSIZE(error_texts); i++)
        if (error_texts[i].hr == hr)
            return error_texts[i].text;
    return NULL;
}

HRESULT fs_set_error(HRESULT hr, const IID *iid)
{
    return imapi2_set_error_text(hr, iid, fs_error_text(hr));
}
