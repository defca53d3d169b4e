/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Provenance: how one number of an estimate was obtained, as text for
 * people: the formula, the values that went into it, and where each input
 * came from (config file and line, hardware profile and line, --set, or the
 * default). Not on the hot path: it allocates the text it returns.
 */
#ifndef ROOF_MODEL_EXPLAIN_H
#define ROOF_MODEL_EXPLAIN_H

#include "model/config.h"
#include "model/evaluate.h"

/* Explains path: a metric ("metrics.ttft_s"), a memory figure
 * ("memory.kv_bytes"), an op's time ("ops.prefill.dense.q_proj.time_s") or
 * any parameter ("hw.memory.bandwidth"). *text is malloc'ed; the caller
 * frees it. Unknown paths get an error listing what can be explained. */
int roof_explain(const roof_scenario *s, const roof_result *r, const roof_provenance *prov, const char *path,
                 char **text, roof_error *err);

#endif
