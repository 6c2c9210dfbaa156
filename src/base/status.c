/* Status codes and the helper that fills a caller's error buffer. */
#include "base/status.h"

#include <stdio.h>

enum as_status as_fail(char *err, size_t errlen, enum as_status code, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *as_status_name(enum as_status code)
{
    switch (code) {
    case AS_OK:
        return "ok";
    case AS_EINPUT:
        return "bad input";
    case AS_ESIM:
        return "simulation failed";
    case AS_EDEAD:
        return "simulator session lost";
    case AS_EIO:
        return "input/output error";
    case AS_ENOMEM:
        return "out of memory";
    case AS_EINTR:
        return "interrupted";
    }
    return "unknown error";
}
