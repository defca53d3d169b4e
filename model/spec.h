/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Speculative decoding (Leviathan et al. 2023, "Fast Inference from
 * Transformers via Speculative Decoding") and multi-token prediction used
 * the same way (DeepSeek-V3 report, Sec. 2.2 and 5.4.3): each decode step a
 * proposer drafts k tokens one after the other, the model verifies the k + 1
 * positions in one pass, and on average (1 - a^(k+1)) / (1 - a) of them are
 * kept. Inference only. */
#ifndef ROOF_MODEL_SPEC_H
#define ROOF_MODEL_SPEC_H

#include "core/error.h"
#include "model/evaluate.h"

/* Speculation is on: inference with workload.spec.k > 0. */
int roof_spec_on(const roof_scenario *s);

/* Expected tokens one step emits when each of k proposed tokens is
 * accepted with probability a, independently, up to the first rejection,
 * plus the one the verifier always adds (Leviathan et al. 2023, Sec. 3.1,
 * eq. 1): (1 - a^(k+1)) / (1 - a); k + 1 when a = 1. */
double roof_spec_expected_tokens(double a, int64_t k);

/* The proposer as a deployment of its own: the draft model (draft.*) or
 * one layer of the model itself (MTP), dense decode of one token per
 * sequence on the same tensor- and data-parallel ranks, one pipeline stage.
 * Errors name draft.* when the draft model is missing or does not fit. */
int roof_spec_proposer(const roof_scenario *s, roof_scenario *d, roof_error *err);

/* One decode step's proposal: k steps of the proposer at KV length kv_len.
 * draft_s the time, flops and bytes the work over every rank. */
typedef struct roof_spec_step {
    double tokens;  /* expected tokens per step and sequence */
    double draft_s; /* k proposer steps */
    double flops, bytes;
} roof_spec_step;
int roof_spec_draft(const roof_scenario *s, double kv_len, roof_spec_step *out, roof_error *err);

/* Speculation in a decode phase already built and timed with k + 1 query
 * tokens per sequence (the verify pass): adds the k draft steps and turns
 * the step into time per token, ph->time_s = (verify + draft) / tokens,
 * and its work likewise; m gets the spec_* figures. */
int roof_spec_apply(const roof_scenario *s, double kv_len, roof_phase_result *ph, roof_metrics *m, roof_error *err);

/* Weights and KV cache (at kv_len tokens per sequence) of the proposer on
 * one rank: the draft model's own, or the MTP layer's (its embedding and
 * head are the model's). */
int roof_spec_memory(const roof_scenario *s, const roof_plan *p, double kv_len, double *weights_bytes, double *kv_bytes,
                     roof_error *err);

#endif
