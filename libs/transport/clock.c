/* The host clock (clock.h). */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L
#include "transport/clock.h"

#include <time.h>

uint64_t io_clock_host_now_us(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int io_clock_host_sleep_us(void *ctx, uint64_t us)
{
    struct timespec ts = { (time_t)(us / 1000000u), (long)(us % 1000000u) * 1000 };
    (void)ctx;
    return nanosleep(&ts, NULL) != 0;
}

const struct io_clock io_clock_host = { io_clock_host_now_us, io_clock_host_sleep_us, NULL };
#else
typedef int io_clock_unused; /* the DLL has Windows' clock */
#endif
