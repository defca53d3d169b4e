/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `llmroof --version`, in a file of its own: main.c and the option parser
 * (parse_opts.c) both print it, and neither should call the other. */
#include <cblas.h>
#include <gsl/gsl_version.h>
#include <jansson.h>
#include <libconfig.h>
#include <stdio.h>

#include "cli/cli.h"

/* The version, with the libraries it was built against, so that a figure
 * can be traced to the build that produced it. */
void roof_print_version(void)
{
    printf("llmroof %s (libconfig %d.%d.%d, GSL %s, jansson %s, OpenBLAS: %s)\n", ROOF_VERSION, LIBCONFIG_VER_MAJOR,
           LIBCONFIG_VER_MINOR, LIBCONFIG_VER_REVISION, GSL_VERSION, JANSSON_VERSION, openblas_get_config());
}
