/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading input files. One place turns every way a path can fail to be a
 * readable file (missing, a folder, no permission) into the one error
 * "PATH: cannot read WHAT: REASON" (ROOF_ERR_INPUT), so that no reader
 * reports a folder as "read error", "out of memory" or an empty file; and
 * one place reads a whole file into memory, with its size cap and its check
 * for NUL bytes, for the readers that parse text (configs, profiles, csv,
 * reports, plot scripts).
 */
#ifndef ROOF_CORE_INFILE_H
#define ROOF_CORE_INFILE_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

/* Opens path for reading in binary mode; NULL with *err set when it cannot
 * be read or is a folder. what names the kind of file ("config", "report"). */
FILE *roof_infile_open(const char *path, const char *what, roof_error *err);

/* roof_infile_read flags. */
enum {
    /* A NUL byte is an error at "path:LINE": "NUL byte in WHAT (not a text
     * file?)". Text parsers read C strings, and a NUL would end the file
     * there without a word. */
    ROOF_INFILE_TEXT = 1
};

/* The whole of path in a malloc'd buffer, NUL-terminated (*text; its
 * length without the terminator in *size when size is not NULL). A file
 * beyond max_bytes (0: no cap) is "WHAT is larger than N MiB", so that
 * /dev/zero given as an input is not read until memory runs out. */
int roof_infile_read(const char *path, const char *what, size_t max_bytes, int flags, char **text, size_t *size,
                     roof_error *err);

/* "path:LINE: NUL byte in WHAT (not a text file?)" (ROOF_ERR_INPUT) for the
 * first NUL byte of text's size bytes, or ROOF_OK when there is none. */
int roof_infile_refuse_nul(const char *path, const char *what, const char *text, size_t size, roof_error *err);

#endif
