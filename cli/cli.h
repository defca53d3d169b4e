/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The llmroof command line: the subcommand table, the options every
 * subcommand shares (--hw, --set, --format, --output, --quiet, --help) and
 * the reporting of errors. One file per subcommand (cli/cmd_*.c), as in git.
 */
#ifndef ROOF_CLI_CLI_H
#define ROOF_CLI_CLI_H

#include <getopt.h>

#include "cli/hf_config.h"
#include "cli/out.h"
#include "core/error.h"
#include "hw/hw.h"

/* The version comes from CMakeLists.txt's project() (CHANGELOG.md names it). */
#ifndef ROOF_VERSION
#define ROOF_VERSION "unknown"
#endif
#define ROOF_DEFAULT_HW "h100-sxm"
#define ROOF_MAX_SETS 64

/* What the common options collected, and the hardware they select. */
typedef struct roof_cli {
    const char *hw_name;
    int hw_explicit; /* --hw was given */
    const char *sets[ROOF_MAX_SETS];
    int nsets;
    roof_format format;
    const char *output;
    int quiet;
    roof_hw hw;
    /* --model FILE: a Hugging Face config.json (cli/hf_config.c), read after
     * the options; its assignments go before every --set. */
    const char *model_file;
    char model_name[128];
    char model_sets[ROOF_HF_MAX_SETS][ROOF_HF_SET_LEN];
} roof_cli;

typedef struct roof_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} roof_cmd;

/* Long options every subcommand accepts; append ROOF_COMMON_LONGOPTS to a
 * subcommand's own table (ids >= ROOF_OPT_COMMON). */
enum {
    ROOF_OPT_COMMON = 1000,
    ROOF_OPT_HW,
    ROOF_OPT_SET,
    ROOF_OPT_FORMAT,
    ROOF_OPT_OUTPUT,
    ROOF_OPT_QUIET,
    ROOF_OPT_MODEL
};
#define ROOF_COMMON_LONGOPTS                                                                                           \
    {"hw", required_argument, NULL, ROOF_OPT_HW}, {"set", required_argument, NULL, ROOF_OPT_SET},                      \
        {"model", required_argument, NULL, ROOF_OPT_MODEL}, {"format", required_argument, NULL, ROOF_OPT_FORMAT},      \
        {"output", required_argument, NULL, 'o'}, {"quiet", no_argument, NULL, 'q'}, {"help", no_argument, NULL, 'h'}, \
    {                                                                                                                  \
        "version", no_argument, NULL, 'V'                                                                              \
    }

#define ROOF_COMMON_SHORTOPTS "o:qhV"

/* Splits argv into options (with their arguments) and positionals, so that
 * negative numbers ("-5") stay positionals for the subcommand to reject with
 * a proper message, and options may come after positionals. *optc/optv get
 * argv[0] plus the options; *posc/posv the positionals. The arrays hold
 * argc entries each. */
void roof_cli_split(int argc, char **argv, const char *shortopts, const struct option *longopts, int *optc, char **optv,
                    int *posc, char **posv);

void roof_cli_init(roof_cli *cli);

/* Handles one common option (from getopt_long). Returns 1 when it was one,
 * 0 when it is not a common option, or -1 with *err set. For -h/-V the
 * caller prints its help; ROOF_CLI_EXIT_OK is returned through *exit_now. */
int roof_cli_common(roof_cli *cli, int opt, const char *arg, roof_error *err);

/* Reads --model's file (when given) and puts its assignments before
 * every --set; prints its note on stderr unless --quiet. */
int roof_cli_read_model(roof_cli *cli, roof_error *err);

/* The scenario's name after --model: the file's name. */
struct roof_scenario;
void roof_cli_name_scenario(const roof_cli *cli, struct roof_scenario *s);

/* Loads the selected profile (--hw, default h100-sxm) and applies every
 * --set of the hw section. */
int roof_cli_load_hw(roof_cli *cli, roof_error *err);

/* Applies the --set assignments to the hw struct (used after a profile is
 * loaded by other means). */
int roof_cli_apply_sets(roof_cli *cli, roof_error *err);

/* Prints the version line with the libraries' versions (cli/main.c). */
void roof_print_version(void);

/* Prints "llmroof: WHERE: MESSAGE" to stderr and returns err->code. */
int roof_cli_fail(const roof_error *err);

/* Prints a usage error with a hint and returns 2. */
int roof_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes o to --output or stdout and frees it; returns the exit code. */
int roof_cli_emit(roof_cli *cli, roof_out *o);

/* Loads a subcommand's scenario: CONFIG (NULL: the built-in default
 * deployment), then --hw, then every --set. */
struct roof_scenario;
int roof_cli_scenario(roof_cli *cli, const char *config, struct roof_scenario *s, roof_error *err);

/* Adds a parameter's value to a row: a choice name, a bool, a count, or a
 * number with its unit. */
struct roof_param;
void roof_cli_put_param(roof_out *out, const char *key, const struct roof_param *p, double v);

/* The same; with table set, a DOUBLE is written as text in its unit (for
 * columns whose rows have different units). */
void roof_cli_put_param_as(roof_out *out, const char *key, const struct roof_param *p, double v, int table);

/* A number whose unit changes from row to row: text in the table form. */
void roof_cli_put_mixed(roof_out *out, const char *key, const char *unit, double v, int table);

/* Adds a metric; NaN (a phase not evaluated) as an empty cell. */
void roof_cli_put_metric(roof_out *out, const char *key, const char *unit, double v);

/* Progress on stderr, only when it is a terminal and not --quiet. */
int roof_cli_progress_on(const roof_cli *cli);

/* The subcommands (cli/cmd_*.c). */
int roof_cmd_bench(int argc, char **argv);
int roof_cmd_check(int argc, char **argv);
int roof_cmd_compare(int argc, char **argv);
int roof_cmd_comm(int argc, char **argv);
int roof_cmd_critical_path(int argc, char **argv);
int roof_cmd_dag(int argc, char **argv);
int roof_cmd_estimate(int argc, char **argv);
int roof_cmd_frontier(int argc, char **argv);
int roof_cmd_gettime(int argc, char **argv);
int roof_cmd_hw(int argc, char **argv);
int roof_cmd_params(int argc, char **argv);
int roof_cmd_plot(int argc, char **argv);
int roof_cmd_search(int argc, char **argv);
int roof_cmd_sensitivity(int argc, char **argv);
int roof_cmd_serve(int argc, char **argv);
int roof_cmd_solve(int argc, char **argv);
int roof_cmd_sweep(int argc, char **argv);
int roof_cmd_uncertainty(int argc, char **argv);
int roof_cmd_validate(int argc, char **argv);

#endif
