/* stop.c — the stop signals caught and counted (see stop.h).
 *
 * The handler only touches a lock-free atomic counter and the first
 * signal's number: no stdio, no allocation, no lock, nothing that is not
 * async-signal-safe. It must never decide anything, print or clean up
 * itself; the program does that where it checks mq_stop_signal(). */
#include "stop.h"

#include <glib.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static const int watched[] = {SIGTERM, SIGINT, SIGHUP};

static atomic_int first_signal;
static atomic_int signals_seen;

static void on_signal(int sig)
{
	int none = 0;
	atomic_compare_exchange_strong(&first_signal, &none, sig);
	atomic_fetch_add(&signals_seen, 1);
}

void mq_stop_watch(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* the program polls; no call need fail with EINTR */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < G_N_ELEMENTS(watched); i++)
		sigaddset(&sa.sa_mask, watched[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(watched); i++) {
		struct sigaction old;
		if (sigaction(watched[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue; /* ignored by whoever started us (nohup): stays so */
		sigaction(watched[i], &sa, NULL);
	}
}

int mq_stop_signal(void)
{
	return atomic_load(&first_signal);
}

int mq_stop_count(void)
{
	return atomic_load(&signals_seen);
}

int mq_stop_status(int sig)
{
	return 128 + sig;
}

bool mq_stop_is_status(int status)
{
	return status > 128 && status <= 128 + 64;
}

const char *mq_stop_name(int sig)
{
	switch (sig) {
	case SIGTERM:
		return "SIGTERM";
	case SIGINT:
		return "SIGINT";
	case SIGHUP:
		return "SIGHUP";
	default:
		return "a signal";
	}
}

#define SLICE_S 0.1 /* how soon a sleep notices a signal */

bool mq_stop_sleep(double s, int seen)
{
	double end = (double)g_get_monotonic_time() / G_USEC_PER_SEC + s;
	for (;;) {
		if (mq_stop_count() > seen)
			return true;
		double left = end - (double)g_get_monotonic_time() / G_USEC_PER_SEC;
		if (left <= 0)
			return false;
		g_usleep((gulong)((left < SLICE_S ? left : SLICE_S) * G_USEC_PER_SEC));
	}
}

void mq_stop_exit(int sig)
{
	fflush(NULL);
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* a signal whose default action does not end the process */
	_Exit(mq_stop_status(sig));
}
