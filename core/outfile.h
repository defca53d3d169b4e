/* The temporary file of an atomic write: created beside its target (same
 * folder, so rename() replaces the target in one step), with the mode a
 * plain fopen() would give (0666 less the umask) rather than mkstemp's
 * 0600, so that the renamed output is as readable as before.
 */
#ifndef ROOF_CORE_OUTFILE_H
#define ROOF_CORE_OUTFILE_H

#include <stddef.h>

/* Creates "TARGET.tmp.XXXXXX" + suffix (suffix may be "" or NULL; gnuplot
 * picks its terminal by the name's end) and returns its open descriptor,
 * its name in tmp; -1 with errno set on failure (tmp too small: ENAMETOOLONG). */
int roof_outfile_temp(const char *target, const char *suffix, char *tmp, size_t size);

#endif
