/* The little threading libs/ needs, over POSIX threads (the host's, and
 * winpthreads linked statically into the MinGW build, so libs/ never sees
 * windows.h): a thread, a lock with one condition, a wait bounded in
 * milliseconds, and raising the calling thread's priority. The platform
 * may install its own priority raise (the DLL: SetThreadPriority to
 * time-critical); without one, POSIX gets a best-effort real-time policy. */
#ifndef IMAPI2_MMC_THREAD_H
#define IMAPI2_MMC_THREAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct mmc_thread {
    pthread_t id;
    bool started;
};
/* false when the thread could not start. */
bool mmc_thread_start(struct mmc_thread *t, void *(*fn)(void *), void *arg);
/* Waits for a started thread; does nothing for one that is not. */
void mmc_thread_join(struct mmc_thread *t);

struct mmc_lock {
    pthread_mutex_t mutex;
    pthread_cond_t changed;
};
bool mmc_lock_init(struct mmc_lock *l);
void mmc_lock_destroy(struct mmc_lock *l);
void mmc_lock_take(struct mmc_lock *l);
void mmc_lock_drop(struct mmc_lock *l);
/* Held: waits until mmc_lock_signal or ms have passed (whichever first). */
void mmc_lock_wait_ms(struct mmc_lock *l, uint32_t ms);
void mmc_lock_signal(struct mmc_lock *l);

/* Raises the calling thread's priority as far as the platform allows;
 * returns whether it did. */
typedef bool (*mmc_priority_fn)(void);
void mmc_thread_set_priority_hook(mmc_priority_fn raise);
bool mmc_thread_raise_priority(void);

#endif
