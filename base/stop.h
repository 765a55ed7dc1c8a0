/* stop.h — a run asked to stop by SIGTERM, SIGINT or SIGHUP (a systemd
 * stop, Ctrl-C, a closed terminal).
 *
 * The handler does nothing but count the signal in an atomic variable,
 * which is async-signal-safe; everything else happens where the program
 * looks: between the steps of a run, in libcurl's progress callbacks (a
 * download or an SMTP session ends within about a second) and in the
 * sleeps between retries. So temp files are removed, the run's manifest is
 * written and the operator told as for any failure, and only then does the
 * process end by the same signal (mq_stop_exit()), so that its parent, a
 * shell, cron or systemd, still sees it killed (a shell's 143 for SIGTERM).
 * Until mq_stop_watch() is called the signals keep their default action. */
#ifndef MQL_STOP_H
#define MQL_STOP_H

#include <stdbool.h>

/* Catch SIGTERM, SIGINT and SIGHUP (a signal ignored when the process
 * started, as nohup leaves SIGHUP, stays ignored). Call once, early, from
 * the main thread before any thread starts. */
void mq_stop_watch(void);

/* The first signal received since mq_stop_watch(), or 0. */
int mq_stop_signal(void);

/* How many of the signals have arrived: a caller that goes on after the
 * first (to tell the operator) gives up at the next. */
int mq_stop_count(void);

/* The exit status a run stopped by sig reports, as a shell shows it:
 * 128 + the signal's number (143 for SIGTERM, 130 SIGINT, 129 SIGHUP). */
int mq_stop_status(int sig);

/* Whether an exit status is one of mq_stop_status()'s (129 to 192). */
bool mq_stop_is_status(int status);

/* "SIGTERM", "SIGINT", "SIGHUP"; "a signal" for any other. Static storage. */
const char *mq_stop_name(int sig);

/* Sleep s seconds, or less: returns true as soon as more than `seen`
 * signals have arrived (mq_stop_count()), false after the whole sleep. */
bool mq_stop_sleep(double s, int seen);

/* End the process by sig with its default action (stdio flushed first),
 * as if the handler had never been there. Never returns. */
_Noreturn void mq_stop_exit(int sig);

#endif
