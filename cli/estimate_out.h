/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pieces of the `llmroof estimate` report shared by its inference and
 * training forms. */
#ifndef ROOF_CLI_ESTIMATE_OUT_H
#define ROOF_CLI_ESTIMATE_OUT_H

#include "cli/cli.h"
#include "cli/interval_out.h"
#include "cli/out.h"
#include "model/evaluate.h"

/* "tp 8, pp 1, ...: 8 GPUs" */
void roof_estimate_plan_text(const roof_scenario *s, const roof_plan *p, char *buf, size_t size);

/* One row per op of l. csv_row adds the phase and layer kind; table keeps
 * the shape as text instead of numbers. Backward ops are named with their
 * pass ("q_proj.wgrad"). */
void roof_estimate_put_ops(roof_out *out, const roof_op_list *l, const char *phase, int csv_row, int table);

/* The json sections of one phase: NAME.summary, NAME.stages, NAME.ops.KIND. */
void roof_estimate_put_phase(roof_out *out, const roof_phase_result *ph, const char *name);

/* A new output whose csv form (section "_ops") is the op rows of both
 * phases, a's then b's, with their names in the phase column. */
roof_out *roof_estimate_begin(roof_format fmt, const roof_phase_result *a, const roof_phase_result *b,
                              const char *name_a, const char *name_b);

/* The metrics section of an inference estimate: TTFT, TPOT, the decode-only
 * throughput, price and energy, and the same end to end (prefill + decode),
 * each labelled in the table form; iv (may be NULL): their error bars. */
void roof_estimate_put_metrics(roof_out *out, const roof_metrics *mt, roof_format fmt, const roof_iv_set *iv);

/* The memory section of an inference estimate: the peak over the request
 * (the end of prefill and the last generated token, each shown), against
 * the usable memory (capacity x utilization - reserve). */
void roof_estimate_put_memory(roof_out *out, const roof_scenario *s, const roof_memory *mem);

/* When mem does not fit: a note in the table form and a warning on stderr
 * (unless --quiet). */
void roof_estimate_fit_warning(const roof_cli *cli, const roof_scenario *s, const roof_memory *mem, roof_out *out);

/* The report of a training step (workload.phase = training). */
int roof_estimate_report_training(roof_cli *cli, const roof_scenario *s, const roof_result *r, const roof_iv_set *iv);

#endif
