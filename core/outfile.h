/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Output files. A file is "staged": written into a temporary file beside
 * its target (same folder, so rename() replaces the target in one step),
 * flushed and synced; then committed (renamed into place) or discarded. A
 * run that fails before its commit leaves no target touched, however many
 * files it was to write.
 *
 * What the target is decides how it is written:
 * - missing: the temporary file gets the mode a plain fopen() would give
 *   (0666 less the umask) rather than mkstemp's 0600;
 * - a regular file: the temporary file takes its permission bits (an 0600
 *   file stays 0600) and, where allowed, its owner; a target this process
 *   could not open for writing is refused as fopen() would refuse it;
 * - a symbolic link: the chain is followed to its last name, the temporary
 *   file goes beside that and replaces it, so the link survives (a link
 *   to a missing file creates that file);
 * - anything else (a device such as /dev/null or /dev/stdout's target, a
 *   FIFO, a socket): written directly, without a temporary file and without
 *   the rename, so the node is never replaced by a regular file. Such an
 *   output is not atomic: it receives what was written before a failure.
 *
 * Signals: every temporary file, whether made by roof_outfile_open or by
 * roof_outfile_temp, is registered from its creation until it is committed
 * (renamed) or discarded (removed) through this module, or handed back with
 * roof_outfile_forget. Once roof_outfile_catch_signals has run, SIGHUP,
 * SIGINT, SIGPIPE, SIGTERM and SIGXFSZ remove every registered temporary
 * file and then end the process by the same signal, so an interrupted run
 * leaves no FILE.tmp.XXXXXX behind and its exit status still says which
 * signal killed it. At most ROOF_OUTFILE_MAX_TEMP temporary files can be
 * registered at once.
 */
#ifndef ROOF_CORE_OUTFILE_H
#define ROOF_CORE_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

#define ROOF_OUTFILE_MAX_TEMP 32

/* Creates "TARGET.tmp.XXXXXX" + suffix (suffix may be "" or NULL; gnuplot
 * picks its terminal by the name's end) beside target as given (no link is
 * followed), with mode 0666 less the umask, registers it (see above) and
 * returns its open descriptor, its name in tmp; -1 with errno set on failure
 * (tmp too small: ENAMETOOLONG; ROOF_OUTFILE_MAX_TEMP registered already:
 * EMFILE). A caller that renames or removes tmp itself calls
 * roof_outfile_forget(tmp) afterwards. */
int roof_outfile_temp(const char *target, const char *suffix, char *tmp, size_t size);

/* Registers a temporary path that another program or library writes (a
 * file gnuplot makes, a folder from mkdtemp; is_dir: a folder, removed
 * after the files once it is empty), so that a signal removes it too;
 * roof_outfile_forget(path) when it is gone. The path need not exist yet.
 * 0, or -1 with errno set (ENAMETOOLONG, EMFILE as above). */
int roof_outfile_track(const char *path, int is_dir);

/* Removes tmp from the registry of temporary files (the file itself is left
 * as it is). Unknown names are ignored. */
void roof_outfile_forget(const char *tmp);

/* Installs the signal handlers described above, once per process (the CLI
 * calls it at start); a signal ignored when it is called stays ignored.
 * Returns 0, or -1 with errno set when sigaction failed. */
int roof_outfile_catch_signals(void);

/* One staged file: its target as given (for messages), the name the
 * temporary file replaces (the target with its links followed), and its
 * temporary name ("" once removed or renamed, and for a direct write). */
typedef struct {
    const char *target;
    char path[4096];
    char tmp[4096];
    int direct; /* not a regular file: written in place, no rename */
} roof_outfile_staged;

/* Opens target for writing (*f): a temporary file, or the target itself
 * for a direct write (see above); "TARGET: cannot create output: REASON"
 * on failure. errno is cleared on success, so that a writer that fails
 * without setting it reads "write error" below. */
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
