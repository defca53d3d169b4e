/* Opening input files. One place turns every way a path can fail to be a
 * readable file (missing, a folder, no permission) into the one error
 * "PATH: cannot read WHAT: REASON" (ROOF_ERR_INPUT), so that no reader
 * reports a folder as "read error", "out of memory" or an empty file. The
 * caller owns the FILE and closes it.
 */
#ifndef ROOF_CORE_INFILE_H
#define ROOF_CORE_INFILE_H

#include <stdio.h>

#include "core/error.h"

/* Opens path for reading in binary mode; NULL with *err set when it cannot
 * be read or is a folder. what names the kind of file ("config", "report"). */
FILE *roof_infile_open(const char *path, const char *what, roof_error *err);

#endif
