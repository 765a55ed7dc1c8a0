/* tsan.h — telling ThreadSanitizer about synchronisation it cannot see.
 *
 * GLib's GMutex and g_once live in a library ThreadSanitizer does not
 * instrument (on Linux a mutex is a bare futex): code that guards shared
 * state with them announces each lock and unlock, so that a sanitizer run
 * still checks the accesses they guard. Outside such a build both macros
 * only evaluate their argument. */
#ifndef MQL_TSAN_H
#define MQL_TSAN_H

#if defined(__SANITIZE_THREAD__)
#define MQL_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MQL_TSAN 1
#endif
#endif

#ifdef MQL_TSAN
#include <sanitizer/tsan_interface.h>
#define TSAN_ACQUIRE(p) __tsan_acquire(p)
#define TSAN_RELEASE(p) __tsan_release(p)
#else
#define TSAN_ACQUIRE(p) ((void)(p))
#define TSAN_RELEASE(p) ((void)(p))
#endif

#endif
