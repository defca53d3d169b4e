/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The getopt_long loop every subcommand runs: split off positionals, handle
 * the common options, hand the subcommand its own ones. */
#ifndef ROOF_CLI_PARSE_OPTS_H
#define ROOF_CLI_PARSE_OPTS_H

#include "cli/cli.h"

/* Called for each option that is not a common one; returns 0 on success or
 * an exit code. */
typedef int (*roof_opt_fn)(void *ctx, int opt, const char *arg);

enum { ROOF_PARSE_OK = 0, ROOF_PARSE_HELP = -1 };

/* Parses argv (argv[0] is the subcommand name). Fills cli, calls own for the
 * subcommand's options, and leaves positionals in posv, their count in *posc (posv holds argc
 * entries). Returns ROOF_PARSE_OK, ROOF_PARSE_HELP (after --help/--version
 * was printed by help), or an exit code (error printed). */
int roof_parse_opts(int argc, char **argv, const char *shortopts, const struct option *longopts, roof_cli *cli,
                    roof_opt_fn own, void *ctx, void (*help)(void), int *posc, char **posv);

/* The exit code for a parse that ended the run: 0 after --help or
 * --version, else the error's code. */
static inline int roof_parse_exit_code(int rc)
{
    return rc == ROOF_PARSE_HELP ? 0 : rc;
}

#endif
