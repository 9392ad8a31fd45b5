/* Threads over POSIX threads (thread.h). */
#define _POSIX_C_SOURCE 200809L
#include "mmc/thread.h"

#include <sched.h>
#include <stdatomic.h>
#include <time.h>

bool mmc_thread_start(struct mmc_thread *t, void *(*fn)(void *), void *arg)
{
    t->started = pthread_create(&t->id, NULL, fn, arg) == 0;
    return t->started;
}

void mmc_thread_join(struct mmc_thread *t)
{
    if (t->started)
        pthread_join(t->id, NULL);
    t->started = false;
}

bool mmc_lock_init(struct mmc_lock *l)
{
    if (pthread_mutex_init(&l->mutex, NULL) != 0)
        return false;
    if (pthread_cond_init(&l->changed, NULL) == 0)
        return true;
    pthread_mutex_destroy(&l->mutex);
    return false;
}

void mmc_lock_destroy(struct mmc_lock *l)
{
    pthread_cond_destroy(&l->changed);
    pthread_mutex_destroy(&l->mutex);
}

void mmc_lock_take(struct mmc_lock *l)
{
    pthread_mutex_lock(&l->mutex);
}

void mmc_lock_drop(struct mmc_lock *l)
{
    pthread_mutex_unlock(&l->mutex);
}

void mmc_lock_wait_ms(struct mmc_lock *l, uint32_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000u;
    until.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&l->changed, &l->mutex, &until);
}

void mmc_lock_signal(struct mmc_lock *l)
{
    pthread_cond_broadcast(&l->changed);
}

static _Atomic(mmc_priority_fn) priority_hook;

void mmc_thread_set_priority_hook(mmc_priority_fn raise)
{
    atomic_store(&priority_hook, raise);
}

/* Without a hook: the lowest real-time round-robin priority, which a
 * process without the right to it is refused (nothing changes then). */
static bool posix_raise(void)
{
    struct sched_param p = { 0 };
    p.sched_priority = sched_get_priority_min(SCHED_RR);
    return p.sched_priority >= 0 && pthread_setschedparam(pthread_self(), SCHED_RR, &p) == 0;
}

bool mmc_thread_raise_priority(void)
{
    mmc_priority_fn hook = atomic_load(&priority_hook);
    return hook ? hook() : posix_raise();
}
