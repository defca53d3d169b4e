/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The residual factor on NCCL's latencies, hw.network.node.nccl_latency_scale
 * (hw/collective.c multiplies every latency of NCCL's tuning model by it):
 * one factor for every NVIDIA profile, fitted on the single-node NCCL
 * measurements of every source (corpus/collectives.csv's all-reduce,
 * all-gather and reduce-scatter rows inside one NVLink domain, and the DGX
 * H100 sweep of allreduce_h100_8gpu.csv), and refitted without each source
 * for leave-one-source-out prediction. One factor, not one per GPU: the
 * latencies are NCCL's software (launch, proxy, protocol steps) on every
 * architecture, and most GPUs have one source, so a per-GPU factor would
 * have no rows left in the fold that predicts it.
 *
 * The fit: least squares of log(predicted / measured) over the rows, a
 * scan of 25 factors log-spaced over [1/4, 8] then golden-section search
 * around the best (the objective need not be smooth: NCCL's choice of
 * algorithm and protocol changes with the factor).
 */
#ifndef ROOF_VALIDATION_COMM_SCALE_H
#define ROOF_VALIDATION_COMM_SCALE_H

#include "validation/comm_corpus.h"

/* Whether row r of the corpus takes part in the fit (and is predicted with
 * the fold's factor). */
int roof_comm_scale_row(const roof_comm_row *r);

/* The DGX H100 sweep's rows (validation/data/allreduce_h100_8gpu.csv,
 * every size from 1 KiB) as corpus rows of source "nccl-tests DGX H100
 * sweep", appended to *rows (*n of *cap; realloc'd). */
int roof_comm_scale_load_sweep(const char *data_dir, roof_comm_row **rows, size_t *n, size_t *cap, roof_error *err);

/* The factor fitted on rows[0..n) that roof_comm_scale_row takes, leaving
 * out source skip (NULL: none). *used: the rows fitted (0: none left, *k
 * NAN). */
int roof_comm_scale_fit(const roof_comm_row *rows, size_t n, const char *skip, double *k, size_t *used,
                        roof_error *err);

/* Row r's time with the factor k on its profile. */
int roof_comm_scale_predict(const roof_comm_row *r, double k, double *t, roof_error *err);

#endif
