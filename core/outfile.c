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

int roof_outfile_open(const char *target, roof_outfile_staged *st, FILE **f, roof_error *err)
{
    st->target = target;
    *f = NULL;
    int fd = roof_outfile_temp(target, NULL, st->tmp, sizeof st->tmp);
    if (fd < 0) {
        st->tmp[0] = '\0';
        return roof_error_set(err, ROOF_ERR_RUNTIME, target, "cannot create output: %s", strerror(errno));
    }
    *f = fdopen(fd, "w");
    if (!*f) {
        int e = errno;
        close(fd);
        unlink(st->tmp);
        st->tmp[0] = '\0';
        return roof_error_set(err, ROOF_ERR_RUNTIME, target, "cannot create output: %s", strerror(e));
    }
    errno = 0;
    return ROOF_OK;
}

int roof_outfile_finish(roof_outfile_staged *st, FILE *f, int failed, roof_error *err)
{
    int bad = failed || fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;
    int saved = errno;
    if (fclose(f) != 0)
        bad = 1;
    if (!bad)
        return ROOF_OK;
    unlink(st->tmp);
    st->tmp[0] = '\0';
    return roof_error_set(err, ROOF_ERR_RUNTIME, st->target, "cannot write output: %s",
                          saved ? strerror(saved) : "write error");
}

void roof_outfile_discard(roof_outfile_staged *st, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (st[i].tmp[0]) {
            unlink(st[i].tmp);
            st[i].tmp[0] = '\0';
        }
}

int roof_outfile_commit(roof_outfile_staged *st, size_t n, roof_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (rename(st[i].tmp, st[i].target) != 0) {
            int e = errno;
            roof_outfile_discard(st + i, n - i);
            return roof_error_set(err, ROOF_ERR_RUNTIME, st[i].target, "cannot write output: %s", strerror(e));
        }
        st[i].tmp[0] = '\0';
    }
    return ROOF_OK;
}
