/* Plots: gnuplot scripts kept in plots/ (embedded at build time, so no file
 * is needed at run time; a user's restyled copy is taken with --script) fed
 * with data that llmroof writes. gnuplot runs as a child process without a
 * shell; the picture appears atomically (temporary file, then rename) and
 * only when gnuplot succeeded.
 *
 * The data writers write plain whitespace-separated files and gnuplot
 * variable assignments (the "preamble") into caller-owned FILEs.
 */
#ifndef ROOF_PLOTS_PLOT_H
#define ROOF_PLOTS_PLOT_H

#include <stdio.h>

#include "core/error.h"
#include "model/evaluate.h"

/* The built-in script of a kind ("roofline"), or NULL. */
const char *roof_plot_script(const char *kind);

/* Names of the built-in kinds, NULL-terminated. */
extern const char *const roof_plot_kinds[];

/* Data of one kind for an estimate: the preamble (gnuplot assignments; the
 * data file is referred to by the variable named after it) and the data. */
int roof_plot_roofline(const roof_scenario *s, const roof_result *r, const char *data_path, FILE *preamble,
                       FILE *data, roof_error *err);
int roof_plot_pipeline(const roof_scenario *s, const roof_result *r, roof_phase phase, const char *data_path,
                       FILE *preamble, FILE *data, roof_error *err);
int roof_plot_breakdown(const roof_scenario *s, const roof_result *r, const char *data_path, FILE *preamble,
                        FILE *data, roof_error *err);

/* Data of a kind drawn from a subcommand's csv (sensitivity, sweep,
 * compare, validation). Errors name the csv and the missing column. */
int roof_plot_csv(const char *kind, const char *csv_path, const char *data_path, FILE *preamble, FILE *data,
                  roof_error *err);

/* Runs gnuplot (the LLMROOF_GNUPLOT environment variable names another
 * program) on preamble + script, writing out_path (.png or .svg, which sets
 * the terminal). The script file is kept at script_path. Errors: gnuplot
 * missing (with the package to install), gnuplot failing (its first error
 * line), no picture written. */
int roof_plot_render(const char *preamble_path, const char *script_text, const char *script_path,
                     const char *out_path, roof_error *err);

#endif
