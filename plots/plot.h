/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plots: gnuplot scripts kept in plots/ (embedded at build time, so no file
 * is needed at run time; a user's restyled copy is taken with --script) fed
 * with data that llmroof writes. gnuplot runs as a child process without a
 * shell, under a time limit; the picture appears atomically (temporary
 * file, then rename) and only when gnuplot succeeded.
 *
 * The data writers write plain whitespace-separated files and gnuplot
 * variable assignments (the "preamble") into caller-owned FILEs.
 *
 * No text from the input is ever gnuplot code: names, labels and titles
 * reach gnuplot only through roof_plot_string and roof_plot_label (printable
 * ASCII without quotes, backslash, backquote or '@'; anything else becomes
 * '?'), and paths only through roof_plot_path (refused with control
 * characters, quoted, and never read as "<command" or "|command").
 */
#ifndef ROOF_PLOTS_PLOT_H
#define ROOF_PLOTS_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "model/evaluate.h"

/* The built-in script of a kind ("roofline"), or NULL. */
const char *roof_plot_script(const char *kind);

/* Names of the built-in kinds, NULL-terminated. */
extern const char *const roof_plot_kinds[];

/* Text that may reach gnuplot: s with every byte other than printable
 * ASCII, and the quotes, backslash, backquote and '@' among those, replaced
 * by '?', into buf (always terminated; cut to size - 1 bytes). */
void roof_plot_text(char *buf, size_t size, const char *s);
/* s as a gnuplot string literal ('...'), through roof_plot_text. */
void roof_plot_string(FILE *f, const char *s);
/* s as a label of a data file ("..."), through roof_plot_text. */
void roof_plot_label(FILE *f, const char *s);

/* A path as a gnuplot string literal: single quotes with a quote doubled,
 * and "./" before a relative path, so that gnuplot never reads it as a
 * command ('<cmd' for data and load, '|cmd' for output). The path must
 * have passed roof_plot_path_check. */
void roof_plot_path(FILE *f, const char *path);
/* ROOF_ERR_USAGE (where: what) if path holds a control character: a
 * newline would end gnuplot's string and start a command. */
int roof_plot_path_check(const char *what, const char *path, roof_error *err);

/* Every file `llmroof plot` writes apart from the picture itself, named and
 * made in one place (roof_plot_files_init, roof_plot_files_picture) and
 * removed in one (roof_plot_files_release). dir is --data's folder, whose
 * files are kept, or a temporary folder, removed with everything in it. */
typedef struct {
    char dir[4096];
    char data[4096], vars[4096], script[4096], log[4096];
    char picture[4096]; /* gnuplot's picture before the rename; "" when none */
    int temporary;      /* dir was made by roof_plot_files_init */
} roof_plot_files;

/* Names the files of kind in data_dir (made if missing), or, data_dir
 * NULL, in a new temporary folder under $TMPDIR (or /tmp). */
int roof_plot_files_init(roof_plot_files *f, const char *kind, const char *data_dir, roof_error *err);
/* Makes the temporary picture beside out_path (f->picture). */
int roof_plot_files_picture(roof_plot_files *f, const char *out_path, roof_error *err);
/* Removes the temporary picture and a temporary folder; --data's files stay. */
void roof_plot_files_release(roof_plot_files *f);

/* Data of one kind for an estimate: the preamble (gnuplot assignments; the
 * data file is referred to by the variable named after it) and the data. */
/* phases: ROOF_EVAL_PREFILL, ROOF_EVAL_DECODE or both (model/evaluate.h). */
int roof_plot_roofline(const roof_scenario *s, const roof_result *r, int phases, const char *data_path, FILE *preamble,
                       FILE *data, roof_error *err);
int roof_plot_pipeline(const roof_scenario *s, const roof_result *r, roof_phase phase, const char *data_path,
                       FILE *preamble, FILE *data, roof_error *err);
int roof_plot_breakdown(const roof_scenario *s, const roof_result *r, const char *data_path, FILE *preamble, FILE *data,
                        roof_error *err);

/* `plot comm`: what the csv of `llmroof comm COLLECTIVE --sweep` was of,
 * for the caller to find measured points of the same case. */
typedef struct {
    char collective[32];
    char profile[64];
    long long group, nodes;
} roof_plot_comm_key;

/* Bus bandwidth against size, a block per chosen algorithm/protocol; key
 * gets the csv's collective, group, nodes and profile. */
int roof_plot_comm(const char *csv_path, const char *data_path, FILE *preamble, FILE *data, roof_plot_comm_key *key,
                   roof_error *err);
/* The measured points (bytes, busbw in B/s) as the last block, and
 * nmeasured (0: none) into the preamble. Call after roof_plot_comm. */
void roof_plot_comm_measured(FILE *preamble, FILE *data, const double *size, const double *busbw, size_t n);

/* ptitle = "WHAT: CONFIG on HW" into the preamble. */
void roof_plot_title(FILE *preamble, const roof_scenario *s, const char *what);
/* s as a two-line label of a data file ("first\nsecond": gnuplot breaks
 * the line at the escape), each part through roof_plot_text. */
void roof_plot_label2(FILE *f, const char *first, const char *second);

/* Data of a kind drawn from a subcommand's csv (sensitivity, sweep,
 * compare, validation, calibration). Errors name the csv and the missing column; a
 * column name with a control character is an error. */
/* An objective `plot frontier` marks: a vertical line at tokens/s per user
 * tok_s_user (1 / an inter-token latency or TPOT limit), labelled text. */
typedef struct roof_plot_slo {
    double tok_s_user;
    char text[64];
} roof_plot_slo;

/* `plot frontier`: the Pareto points of the csv of `llmroof frontier`, a
 * line per hardware, intervals where the csv has them, and slos[0..nslo). */
int roof_plot_frontier(const char *csv_path, const char *data_path, const roof_plot_slo *slos, int nslo, FILE *preamble,
                       FILE *data, roof_error *err);

int roof_plot_csv(const char *kind, const char *csv_path, const char *data_path, FILE *preamble, FILE *data,
                  roof_error *err);

/* The gnuplot child's time limit in seconds: LLMROOF_GNUPLOT_TIMEOUT, or
 * 60 when unset (ROOF_ERR_USAGE when it is not a number of seconds). */
int roof_plot_timeout(double *seconds, roof_error *err);

/* Runs gnuplot (the LLMROOF_GNUPLOT environment variable names another
 * program) on f->script: a header (picture, terminal, the preamble f->vars)
 * then script_text, writing out_path (.png or .svg, which sets the
 * terminal). script_name names script_text in errors (--script's file, or
 * NULL for the built-in one of kind); a script_text that starts with the
 * header of a kept script (a copy to restyle) has that header replaced. The
 * kept script draws out_path when run by hand. Errors: gnuplot missing (with the package to install),
 * gnuplot failing (its last error line, naming no file that is removed
 * afterwards), gnuplot past the time limit (it is killed), no picture
 * written. */
int roof_plot_render(roof_plot_files *f, const char *kind, const char *script_text, const char *script_name,
                     const char *out_path, roof_error *err);

#endif
