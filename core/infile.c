#include "core/infile.h"

#include <errno.h>
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
