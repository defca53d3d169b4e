/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The collective rows of the validation corpus (corpus/collectives.csv:
 * nccl-tests and rccl-tests outputs; corpus/ep_a2a.csv: DeepEP's
 * low-latency dispatch and combine tables), timed by hw/collective.c, in
 * sample and leave-one-source-out.
 *
 * The NCCL tables of the node tier are NCCL's, not fitted; the Hopper
 * profiles' residual factor on their latencies
 * (hw.network.node.nccl_latency_scale) was fitted on the DGX H100 sweep
 * (validation/data/allreduce_h100_8gpu.csv), no source of this corpus, so
 * it stays in every fold. What one factor fitted on every source's
 * single-node rows would do is reported beside it (validation/comm_scale.h),
 * not shipped. The one profile value that corpus rows set is
 * hw.network.node.a2a_latency
 * (the low-latency all-to-all's fixed cost): in each fold it is refitted
 * without the held-out source as the mean of measured minus modelled
 * transfer time (the least-squares constant), on the rows of the other
 * sources. Rows run with one thread driving several GPUs (gpus_per_thread
 * > 1) are predicted as the slower of the collective and the thread's
 * issue time (validation/comm_harness.h), fitted likewise: a property of
 * the harness, used by validation only.
 */
#ifndef ROOF_VALIDATION_COMM_CORPUS_H
#define ROOF_VALIDATION_COMM_CORPUS_H

#include <stddef.h>

#include "core/error.h"
#include "hw/collective.h"
#include "validation/comm_harness.h"

typedef struct roof_comm_row {
    char id[80];
    char source[64]; /* owner/name or paper, no commit: the unit held out */
    char hw[32];     /* built-in profile */
    roof_comm comm;
    int pure_rdma;  /* DeepEP's first release: low-latency kernels used no NVLink */
    int nvls_off;   /* run with NCCL_NVLS_ENABLE=0: no NVLS channels */
    int sharp;      /* run with NCCL_COLLNET_ENABLE=1 on a SHARP fabric (hw.network.cluster.sharp) */
    int per_thread; /* GPUs one host thread of the harness drove (nccl-tests -g; 1: one rank per GPU) */
    size_t line;    /* its line in its file (collectives.csv, or ep_a2a.csv for low-latency rows) */
    double measured_s;
    double insample_s; /* the shipped profile */
    double cv_s;       /* its source held out */
} roof_comm_row;

typedef struct roof_comm_corpus {
    roof_comm_row *rows;
    size_t n;
    size_t skipped; /* rows with no profile, no measurement or trust 'low' left out */
    /* NCCL's latency factor (validation/comm_scale.h): fitted on every
     * source, its range over the folds, the rows and sources it saw. */
    double scale_insample, scale_lo, scale_hi;
    size_t scale_rows, scale_sources;
    /* The corpus's rows of that fit (the DGX sweep apart): their MAPE with
     * the shipped profiles, the fitted factor, and each fold's factor. */
    size_t scale_corpus_rows;
    double scale_mape_shipped, scale_mape_insample, scale_mape_cv;
    /* The harness's issue time (validation/comm_harness.h), fitted on
     * every row with gpus_per_thread > 1 and without each source: the
     * in-sample fit, each fold's range, the rows and sources, and those
     * rows' MAPE by the model alone, in sample and CV. */
    roof_comm_issue issue;
    double issue_a_lo, issue_a_hi, issue_b_lo, issue_b_hi;
    size_t issue_rows, issue_sources;
    double issue_mape_model, issue_mape_insample, issue_mape_cv;
} roof_comm_corpus;

/* Reads corpus/collectives.csv and corpus/ep_a2a.csv under data_dir and
 * predicts every row both ways. */
int roof_comm_corpus_run(const char *data_dir, roof_comm_corpus *out, roof_error *err);
void roof_comm_corpus_free(roof_comm_corpus *c);

/* The NCCL environment a row ran under (collectives.csv column nccl_env:
 * KEY=VALUE settings separated by spaces, as the source gives them; empty:
 * NCCL's defaults), applied to cm for a group over nodes (the profile's
 * nodes: 1 for a GB200 rack). NCCL_ALGO forces one algorithm: Ring, Tree,
 * NVLS (inside one node; across nodes NCCL's NVLS, which runs over SHARP),
 * NVLSTree (across nodes), CollNetDirect, CollNetChain (across nodes, with
 * SHARP); NCCL_NVLS_ENABLE=0 takes NVLS away (*nvls_off);
 * NCCL_COLLNET_ENABLE=1 says the fabric reduced in-network (*sharp). An
 * unknown setting, or an algorithm the other settings rule out (CollNet
 * without NCCL_COLLNET_ENABLE=1, NVLS with NCCL_NVLS_ENABLE=0), is an error
 * at "path:line" naming the setting. */
int roof_comm_nccl_env(const char *cell, int64_t nodes, roof_comm *cm, int *nvls_off, int *sharp, const char *path,
                       size_t line, roof_error *err);

/* The profile base as the row ran it: its NCCL environment (NVLS off, the
 * network's SHARP) applied to a copy in *out. */
void roof_comm_row_hw(const roof_comm_row *r, const roof_hw *base, roof_hw *out);

/* Size decade of a row: floor(log10(bytes)). */
int roof_comm_row_decade(const roof_comm_row *r);

#endif
