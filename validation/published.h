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
#include "hw/collective.h"
#include "hw/gemm.h"
#include "validation/fit.h"

typedef enum {
    ROOF_PUB_GEMM,
    ROOF_PUB_ALLREDUCE,
    ROOF_PUB_TTFT,
    ROOF_PUB_TRAIN_STEP, /* Narayanan et al. 2021, Table 1: one training step */
    ROOF_PUB_LAYER       /* Korthikanti et al. 2022, Table 4: one layer's forward, backward or both */
} roof_pub_kind;

#define ROOF_PUB_MAX_SETS 16

typedef struct roof_pub_case {
    char group[32];   /* gemm-a100, gemm-h800, gemm-mamf, allreduce-h100, ttft-a100 */
    char id[64];      /* the row's case_id, or a name made from it */
    char what[96];    /* shape or size, for people */
    char hw[32];      /* built-in profile */
    roof_pub_kind kind;
    roof_gemm gemm;
    roof_comm comm;
    char config[512]; /* ttft: deployment config path */
    int64_t seq_len;  /* ttft: prompt tokens */
    char sets[ROOF_PUB_MAX_SETS][64]; /* training: --set assignments on the config */
    int nsets;
    int part;         /* layer: 0 forward, 1 backward, 2 both */
    int fit;          /* 1: a fit may use this row; 0: check only */
    double measured_s;
    double predicted_s;
} roof_pub_case;

/* Reads gemm_measured.csv, allreduce_h100_8gpu.csv,
 * inference_measured.csv, training_measured.csv and layer_measured.csv
 * from data_dir, and the deployment configs from config_dir. */
int roof_pub_load(const char *data_dir, const char *config_dir, roof_pub_case **cases, size_t *n,
                  roof_error *err);
void roof_pub_free(roof_pub_case *cases);

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
 * NVLink tier, the A100 sustained fraction. */
size_t roof_pub_fit_count(void);
int roof_pub_fit_run(size_t which, const roof_pub_case *cases, size_t n, roof_pub_fit *out, roof_error *err);

#endif
