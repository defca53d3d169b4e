/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/infile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

FILE *roof_infile_open(const char *path, const char *what, roof_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        roof_error_set(err, ROOF_ERR_INPUT, path, "cannot read %s: %s", what, strerror(errno));
        return NULL;
    }
    /* fopen opens a folder for reading; only the first read fails, and
     * each reader would then say something else. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        roof_error_set(err, ROOF_ERR_INPUT, path, "cannot read %s: %s", what, strerror(EISDIR));
        return NULL;
    }
    return f;
}

int roof_infile_refuse_nul(const char *path, const char *what, const char *text, size_t size, roof_error *err)
{
    const char *nul = memchr(text, '\0', size);
    if (!nul)
        return ROOF_OK;
    int line = 1;
    for (const char *p = text; p < nul; p++)
        line += *p == '\n';
    char where[600];
    snprintf(where, sizeof where, "%s:%d", path, line);
    return roof_error_set(err, ROOF_ERR_INPUT, where, "NUL byte in %s (not a text file?)", what);
}

int roof_infile_read(const char *path, const char *what, size_t max_bytes, int flags, char **text, size_t *size,
                     roof_error *err)
{
    *text = NULL;
    FILE *f = roof_infile_open(path, what, err);
    if (!f)
        return err->code;
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    int rc = ROOF_OK;
    while (buf) {
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1)
            break;
        if (max_bytes && len > max_bytes) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, path, "%s is larger than %zu MiB", what, max_bytes >> 20);
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
        } else {
            buf = nb;
            cap *= 2;
        }
    }
    if (rc == ROOF_OK && !buf)
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, path, "out of memory");
    else if (rc == ROOF_OK && ferror(f))
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "cannot read %s: read error", what);
    else if (rc == ROOF_OK && max_bytes && len > max_bytes)
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "%s is larger than %zu MiB", what, max_bytes >> 20);
    fclose(f);
    if (rc == ROOF_OK) {
        buf[len] = '\0';
        if (flags & ROOF_INFILE_TEXT)
            rc = roof_infile_refuse_nul(path, what, buf, len, err);
    }
    if (rc != ROOF_OK) {
        free(buf);
        return rc;
    }
    *text = buf;
    if (size)
        *size = len;
    return ROOF_OK;
}
