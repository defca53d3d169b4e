/* Pieces of the `llmroof estimate` report shared by its inference and
 * training forms. */
#ifndef ROOF_CLI_ESTIMATE_OUT_H
#define ROOF_CLI_ESTIMATE_OUT_H

#include "cli/cli.h"
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

/* The report of a training step (workload.phase = training). */
int roof_estimate_report_training(roof_cli *cli, const roof_scenario *s, const roof_result *r);

#endif
