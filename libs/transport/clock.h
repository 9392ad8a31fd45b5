/* The one time source of libs/: monotonic microseconds, and a sleep that
 * may return early (nonzero) when interrupted. The command runner, the write
 * engines and the virtual recorder all take one; tests pass a simulated
 * clock, and both NULL means "no clock". */
#ifndef IMAPI2_TRANSPORT_CLOCK_H
#define IMAPI2_TRANSPORT_CLOCK_H

#include <stdint.h>

struct io_clock {
    uint64_t (*now_us)(void *ctx);
    int (*sleep_us)(void *ctx, uint64_t us);
    void *ctx;
};

#ifndef _WIN32
/* The host's own: CLOCK_MONOTONIC and nanosleep (native programs, tests,
 * benchmarks, the kernel rig; the DLL uses Windows' clock, dlls/imapi2/util.c). */
uint64_t io_clock_host_now_us(void *ctx);
int io_clock_host_sleep_us(void *ctx, uint64_t us);
extern const struct io_clock io_clock_host;
#endif

#endif
