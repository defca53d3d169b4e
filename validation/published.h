/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The published measurements of ../shared/reference (copied into
 * validation/data with their sources), each mapped to what llmroof
 * predicts for it: GEMM rows to Get_Time, the nccl-tests all-reduce sweep
 * to the collective model, TensorRT-LLM time to first token to a full
 * estimate, Megatron-LM training steps and single layers to the training
 * model. And the fits of the GPU profiles' efficiencies and the NVLink
 * tier's latency and bandwidth to those rows.
 *
 * Each group's rows alternate in file order between fitting (even
 * positions) and checking (odd positions); groups that no fit uses are
 * checks only. roof_pub_load allocates the case array; roof_pub_free
 * releases it.
 */
#ifndef ROOF_VALIDATION_PUBLISHED_H
#define ROOF_VALIDATION_PUBLISHED_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "hw/attention.h"
#include "hw/collective.h"
#include "hw/gemm.h"
#include "validation/fit.h"
#include "validation/gpu_names.h" /* ROOF_CV_PROFILES */

typedef enum {
    ROOF_PUB_GEMM,
    ROOF_PUB_ALLREDUCE,
    ROOF_PUB_TTFT,
    ROOF_PUB_TRAIN_STEP, /* Narayanan et al. 2021, Table 1: one training step */
    ROOF_PUB_LAYER,      /* Korthikanti et al. 2022, Table 4: one layer's forward, backward or both */
    ROOF_PUB_REQUEST,    /* corpus/serving.csv: a static batch's request latency or TTFT, by serve_metric
                            (validation/published_serving.c) */
    ROOF_PUB_ATTENTION,  /* corpus/attention.csv: one fused attention kernel (validation/published_attn.c) */
    ROOF_PUB_SERVE       /* corpus/serving.csv: a median latency at a request rate, or a run's output rate, by the
                            serving simulation (validation/published_load.c) */
} roof_pub_kind;

/* The metric of a ROOF_PUB_SERVE row (its median or mean), or of a
 * ROOF_PUB_REQUEST row (TTFT or E2E: the batch's). */
enum {
    ROOF_PUB_SERVE_TTFT,
    ROOF_PUB_SERVE_TPOT,
    ROOF_PUB_SERVE_ITL,
    ROOF_PUB_SERVE_E2E,
    ROOF_PUB_SERVE_TPUT, /* output tokens/s of the run, as seconds per output token */
    ROOF_PUB_SERVE_NMETRICS
};
/* "ttft_ms", "tpot_ms", "itl_ms", "e2e_ms", "output_tok_s" (the corpus's
 * metric names). */
const char *roof_pub_serve_metric_name(int metric);

#define ROOF_PUB_MAX_SETS 24

typedef struct roof_pub_case {
    char group[32];  /* gemm-a100, gemm-h800, gemm-mamf, allreduce-h100, ttft-a100 */
    char id[64];     /* the row's case_id, or a name made from it */
    char what[96];   /* shape or size, for people */
    char hw[32];     /* built-in profile */
    char source[64]; /* who measured it: a repository owner/name (no commit) or a paper; the unit that
                         leave-one-source-out cross-validation holds out */
    roof_pub_kind kind;
    roof_gemm gemm;
    int library; /* gemm: the roof_gemm_library that measured it (its 'library' column) */
    /* gemm with a relative_to row: predicted as measured for that row (of
     * the same run) times the ratio of the two predictions, so that only
     * the ratio is judged, not the run's level (corpus/README.md). */
    int relative;
    /* gemm: warmed up at full load long enough (ROOF_PUB_SUSTAINED_S) to
     * run at the power-limited clock, and so predicted at the profile's
     * sustained fraction (roof_ops_hw), as whole workloads are; 0: a burst
     * at the boost clock, as the isolated benchmarks that set
     * efficiency.compute ran. */
    int sustained;
    /* gemm, attention: the harness's own per-call floor where the source
     * measured it (its overhead_us column: AIConfigurator's fastest row of
     * the same table, replayed from the same CUDA graph), taken for the
     * profile's per-kernel overhead, which event-timed single launches
     * set; 0: the profile's. */
    double harness_overhead_s;
    roof_gemm ref_gemm;
    double ref_measured_s;
    roof_comm comm;
    char config[512];                 /* ttft: deployment config path */
    int64_t seq_len;                  /* ttft: prompt tokens */
    char sets[ROOF_PUB_MAX_SETS][64]; /* training: --set assignments on the config */
    int nsets;
    int part;            /* layer, attention: 0 forward, 1 backward, 2 both */
    roof_attn_work attn; /* attention: the forward's work, as model/ops.c counts it */
    int attn_kernel;     /* attention: roof_attn_kernel the row ran (hw.attention.kernel) */
    int attn_decode;     /* attention: one decode step (its phase 'decode'), not a prefill or training kernel */
    int serve_metric;    /* serve: ROOF_PUB_SERVE_TTFT ... */
    int serve_mean;      /* serve: the row's latency is a mean (else the median) */
    int fit;             /* 1: a fit may use this row; 0: check only */
    double measured_s;
    double predicted_s;
} roof_pub_case;

/* Rows of the corpus left out, by reason (printed by the CLI). The last
 * slot gathers every reason past the others (ROOF_PUB_SKIP_OTHER), so
 * that no row goes uncounted. */
#define ROOF_PUB_MAX_SKIPS 64
#define ROOF_PUB_SKIP_OTHER "other reasons (the table of reasons is full)"
typedef struct roof_pub_skips {
    size_t n;
    const char *reason[ROOF_PUB_MAX_SKIPS];
    size_t rows[ROOF_PUB_MAX_SKIPS];
} roof_pub_skips;

/* Reads gemm_measured.csv, allreduce_h100_8gpu.csv,
 * inference_measured.csv, training_measured.csv, layer_measured.csv and
 * corpus/gemm.csv, training.csv, serving.csv and attention.csv from data_dir, and the deployment configs from
 * config_dir. skips (may be NULL) counts the corpus rows left out. */
int roof_pub_load(const char *data_dir, const char *config_dir, roof_pub_case **cases, size_t *n, roof_pub_skips *skips,
                  roof_error *err);
void roof_pub_free(roof_pub_case *cases);

/* The library of a 'library' cell: DeepGEMM... and CUTLASS... by name
 * (any case); everything else (cuBLASLt, hipBLASLt, torch.matmul and
 * torch.bmm, which call them, and XLA's dot, whose backend its table does
 * not state) is the vendor BLAS, cublaslt. */
int roof_pub_library_of(const char *cell);

/* Predicts every case on the built-in profiles (hw_override: used instead
 * for the cases whose profile has the same name; may be NULL). */
int roof_pub_predict(roof_pub_case *cases, size_t n, const roof_hw *hw_override, roof_error *err);

/* One documented fit: the parameters (hw.* paths) of profile hw fitted to
 * the fit rows of group, starting from the profile's values. */
typedef struct roof_pub_fit {
    const char *group, *hw;
    size_t nparams;
    const char *paths[4];
    double before[4], after[4];
    size_t nfit, ncheck;
    double check_mape_before, check_mape_after, fit_mape_after;
    roof_fit_result res;
} roof_pub_fit;

/* The fits this project uses (docs/validation.md): A100 GEMM efficiencies
 * and overhead, the H800 GEMM epilogue and streaming terms, the H100
 * NVLink tier, the training fractions. */
size_t roof_pub_fit_count(void);
int roof_pub_fit_run(size_t which, const roof_pub_case *cases, size_t n, roof_pub_fit *out, roof_error *err);

/* Leave-one-source-out cross-validation (docs/validation.md
 * "Cross-validation"): for each source, every fit of the CV table
 * (gpu_fit.c: the documented fits, each GPU's GEMM fractions and overhead,
 * the alignment penalty) runs on the rows of the other sources, a fit
 * without rows keeping its declared prior, and the source's rows are
 * predicted on the profiles so fitted. The in-sample figures come from the
 * same fits on every row. variant: which mechanisms take part. The arrays
 * are allocated; roof_pub_cv_free releases them. */
enum { ROOF_CV_FP8 = 1 << 0, ROOF_CV_UNALIGNED = 1 << 1, ROOF_CV_LIBRARY = 1 << 2 };
/* The mechanisms llmroof ships with (docs/validation.md). */
#define ROOF_CV_DEFAULT (ROOF_CV_FP8 | ROOF_CV_LIBRARY)
#define ROOF_CV_MAX_SOURCES 32

typedef struct roof_pub_cv_param {
    const char *fit, *hw, *path;
    double insample; /* fitted on every row (or the prior: insample_fitted 0); NAN: not in the variant */
    int insample_fitted;
    double fold[ROOF_CV_MAX_SOURCES]; /* with each source held out (or the prior: fold_fitted 0) */
    int fold_fitted[ROOF_CV_MAX_SOURCES];
    double lo, hi; /* over the folds */
} roof_pub_cv_param;

typedef struct roof_pub_cv {
    double *insample_s; /* per case: predicted after the in-sample fits */
    double *cv_s;       /* per case: predicted with its own source held out */
    size_t nsources;
    char sources[ROOF_CV_MAX_SOURCES][64];
    size_t nparams;
    roof_pub_cv_param *params;
} roof_pub_cv;

size_t roof_pub_cv_param_count(void);
int roof_pub_cv_run(const roof_pub_case *cases, size_t n, int variant, roof_pub_cv *out, roof_error *err);
void roof_pub_cv_free(roof_pub_cv *cv);

#endif
