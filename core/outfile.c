/* mkstemps (glibc, the BSDs, macOS) is not in POSIX.1-2008. */
#define _DEFAULT_SOURCE
#include "core/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int roof_outfile_temp(const char *target, const char *suffix, char *tmp, size_t size)
{
    if (!suffix)
        suffix = "";
    int n = snprintf(tmp, size, "%s.tmp.XXXXXX%s", target, suffix);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemps(tmp, (int)strlen(suffix));
    if (fd < 0)
        return -1;
    /* umask can only be read by setting it: set it back at once. */
    mode_t mask = umask(022);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        errno = e;
        return -1;
    }
    return fd;
}
