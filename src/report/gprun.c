/* gprun: the only place ampsweep starts another program. posix_spawnp with
 * an argument vector keeps file names out of any shell; gnuplot's
 * complaints go to a log file so a failed figure can be explained. */
#include "report/gprun.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

extern char **environ;

const char *gprun_program(void)
{
    const char *p = getenv("AMPSWEEP_GNUPLOT");
    return p && *p ? p : "gnuplot";
}

/* The first non-empty line of the log, for the message. */
static void first_line(const char *log_path, char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *fp = fopen(log_path, "r");
    if (!fp)
        return;
    char line[512];
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[strspn(line, " \t^")]) {
            snprintf(buf, len, "%s", line);
            break;
        }
    }
    fclose(fp);
}

enum as_status gprun_script(const char *script, const char *log_path, char *err, size_t errlen)
{
    const char *prog = gprun_program();
    char *argv[] = {(char *)prog, (char *)script, NULL};
    posix_spawn_file_actions_t fa;
    enum as_status st = AS_OK;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    int rc = posix_spawn_file_actions_addopen(&fa, 2, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid = 0;
    if (rc == 0)
        rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    if (rc != 0) {
        st = as_fail(err, errlen, AS_EIO, "cannot start %s for %s: %s (install gnuplot-nox)", prog,
                     script, strerror(rc));
        goto out;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            st = as_fail(err, errlen, AS_EIO, "%s: waiting for %s: %s", script, prog,
                         strerror(errno));
            goto out;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char line[512];
        first_line(log_path, line, sizeof line);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !line[0])
            snprintf(line, sizeof line, "%s not found", prog);
        st = as_fail(err, errlen, AS_EIO, "%s: %s failed (%s %d)%s%s; its messages are in %s",
                     script, prog, WIFEXITED(status) ? "exit status" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                     line[0] ? ": " : "", line, log_path);
    }
out:
    posix_spawn_file_actions_destroy(&fa);
    return st;
}
