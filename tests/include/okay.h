/* A small ok()-style test framework in the spirit of Wine's tests, used both by
 * host-native unit tests and by the PE conformance tests run under Wine.
 *
 *   ok(cond, "got %d\n", x);      a check; the message says what was seen
 *   todo_if(cond) { ok(...); }    known-missing behaviour: failures are counted
 *                                 as todo, and a pass inside is a failure (so
 *                                 a fixed todo must be unmarked)
 *   broken(x)                     accepted only on real Windows (never under
 *                                 Wine or natively): documents a Windows quirk
 *   skip("why\n")                 counted as skipped
 *   return okay_summary("name");  prints the result line the runner parses
 *
 * Each test program is one translation unit including this header once. */
#ifndef IMAPI2_OKAY_H
#define IMAPI2_OKAY_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int okay_passed, okay_failed, okay_skipped, okay_todo;
static int okay_in_todo;
static int okay_on_windows; /* set by the test when it knows it runs on Windows */
static int okay_verbose = -1;
static const char *okay_context;

static inline int okay_is_verbose(void)
{
    if (okay_verbose < 0) {
        const char *v = getenv("OKAY_VERBOSE");
        okay_verbose = v && *v && *v != '0';
    }
    return okay_verbose;
}

static inline void okay_vreport(const char *kind, const char *file, int line,
                                const char *fmt, va_list ap)
{
    const char *base = file;
    for (const char *p = file; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    printf("%s:%d: %s%s%s: ", base, line, kind,
           okay_context ? " in " : "", okay_context ? okay_context : "");
    vprintf(fmt, ap);
    fflush(stdout);
}

static inline int okay_check(const char *file, int line, int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (okay_in_todo) {
        if (cond) {
            okay_failed++;
            okay_vreport("Test succeeded inside todo block", file, line, fmt, ap);
        } else {
            okay_todo++;
            if (okay_is_verbose())
                okay_vreport("Test marked todo", file, line, fmt, ap);
        }
    } else if (cond) {
        okay_passed++;
        if (okay_is_verbose())
            okay_vreport("Test passed", file, line, fmt, ap);
    } else {
        okay_failed++;
        okay_vreport("Test failed", file, line, fmt, ap);
    }
    va_end(ap);
    return cond;
}

static inline void okay_skip(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    okay_skipped++;
    okay_vreport("Tests skipped", file, line, fmt, ap);
    va_end(ap);
}

#define ok(cond, ...) okay_check(__FILE__, __LINE__, (cond) ? 1 : 0, __VA_ARGS__)
#define skip(...) okay_skip(__FILE__, __LINE__, __VA_ARGS__)
#define broken(x) (okay_on_windows && (x))
#define todo_if(cond) \
    for (int okay_todo_once_ = (okay_in_todo = !!(cond), 1); okay_todo_once_; \
         okay_todo_once_ = 0, okay_in_todo = 0)

/* Prints the line tests/run-tests parses and returns the exit status. */
static inline int okay_summary(const char *name)
{
    (void)okay_on_windows;
    printf("OKAY-RESULT %s passed=%d failed=%d skipped=%d todo=%d\n", name,
           okay_passed, okay_failed, okay_skipped, okay_todo);
    fflush(stdout);
    return okay_failed ? 1 : 0;
}

#endif
