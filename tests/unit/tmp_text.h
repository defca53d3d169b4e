/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A test's input file: text written to $TMPDIR (or /tmp) under a name of
 * the test's tag and the process id, for a loader that reads a path; the
 * test removes it (unlink) once read. */
#ifndef ROOF_TESTS_TMP_TEXT_H
#define ROOF_TESTS_TMP_TEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes text to a file named after tag into path[size]. */
static inline void tmp_text(const char *tag, const char *text, char *path, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(path, size, "%s/llmroof-%s-%ld.csv", tmp && tmp[0] ? tmp : "/tmp", tag, (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

#endif
