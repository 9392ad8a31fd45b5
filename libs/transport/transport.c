#include "transport.h"

const char *transport_result_name(enum transport_result r)
{
    static const char *const names[] = {
        [TRANSPORT_OK] = "ok",
        [TRANSPORT_ERR_IO] = "pass-through failed",
        [TRANSPORT_ERR_TIMEOUT] = "command timed out",
        [TRANSPORT_ERR_NO_DEVICE] = "device not present",
        [TRANSPORT_ERR_CANCELLED] = "cancelled",
        [TRANSPORT_ERR_INVALID] = "invalid request",
        [TRANSPORT_ERR_NO_MEMORY] = "out of memory",
    };
    if ((unsigned)r < sizeof(names) / sizeof(names[0]) && names[r])
        return names[r];
    return "unknown transport error";
}
