/* Atomic output files. A file is "staged": written into a temporary file
 * beside its target (same folder, so rename() replaces the target in one
 * step), flushed and synced; then committed (renamed into place) or
 * discarded. A run that fails before its commit leaves no target touched,
 * however many files it was to write. The temporary file gets the mode a
 * plain fopen() would give (0666 less the umask) rather than mkstemp's
 * 0600, so that the renamed output is as readable as before.
 */
#ifndef ROOF_CORE_OUTFILE_H
#define ROOF_CORE_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

/* Creates "TARGET.tmp.XXXXXX" + suffix (suffix may be "" or NULL; gnuplot
 * picks its terminal by the name's end) and returns its open descriptor,
 * its name in tmp; -1 with errno set on failure (tmp too small: ENAMETOOLONG). */
int roof_outfile_temp(const char *target, const char *suffix, char *tmp, size_t size);

/* One staged file: its target and its temporary name ("" once removed). */
typedef struct {
    const char *target;
    char tmp[4096];
} roof_outfile_staged;

/* Opens the temporary file of target for writing (*f); "TARGET: cannot
 * create output: REASON" on failure. errno is cleared on success, so that a
 * writer that fails without setting it reads "write error" below. */
int roof_outfile_open(const char *target, roof_outfile_staged *st, FILE **f, roof_error *err);

/* Flushes, syncs and closes f; when that fails or failed (the caller's
 * writer failed) removes the temporary file: "TARGET: cannot write output:
 * REASON". */
int roof_outfile_finish(roof_outfile_staged *st, FILE *f, int failed, roof_error *err);

/* Renames the n staged files into place, in order; on a failure the rest
 * are removed: "TARGET: cannot write output: REASON". */
int roof_outfile_commit(roof_outfile_staged *st, size_t n, roof_error *err);

/* Removes the temporary files of n staged files. */
void roof_outfile_discard(roof_outfile_staged *st, size_t n);

#endif
