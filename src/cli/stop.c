/* stop: the process's one stop flag and the handlers that set it. A flag
 * and not an exit, so that a sweep stopped by Ctrl-C still records what it
 * finished (--resume). */
#include "cli/stop.h"

static volatile sig_atomic_t stop_requested;
static struct sigaction old_int, old_term;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

void stop_catch(void)
{
    struct sigaction on = {.sa_handler = on_stop_signal};
    sigemptyset(&on.sa_mask);
    stop_requested = 0;
    sigaction(SIGINT, &on, &old_int);
    sigaction(SIGTERM, &on, &old_term);
}

void stop_release(void)
{
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
}

volatile sig_atomic_t *stop_flag(void)
{
    return &stop_requested;
}
