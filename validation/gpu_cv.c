/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Leave-one-source-out cross-validation of the GPU profiles' fitted values
 * (declared in validation/published.h): every value that a published row
 * determines, refitted without each source in turn (validation/gpu_fit.c
 * has the documented fits of `validate published --fit`). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/profile.h"
#include "validation/published.h"

/* ---- Leave-one-source-out cross-validation ------------------------------
 *
 * Every profile value that some published row determined is refitted in
 * each fold without the held-out source's rows, or falls back to a declared
 * prior that no row of that source determined. The fits run in table
 * order on one set of profiles, so a prior may name a value fitted earlier
 * in the same fold (from_hw, from_path): efficiency.fp8 starts from the
 * fold's efficiency.compute of its profile (today's model), a GPU without
 * 16-bit rows takes its sibling's fraction. */

/* The rows a parameter needs: any, or GEMMs of one library (cuBLASLt, then
 * DeepGEMM, then CUTLASS) and width (16-bit and wider, then fp8/int8), or
 * GEMMs timed with the profile's per-kernel overhead (not a harness's own
 * floor: roof_pub_case.harness_overhead_s), or none (CLS_NEVER: the value
 * is its prior in every fold, another profile's, and the profile's own
 * rows only check it). */
enum { CLS_ANY, CLS_16, CLS_8, CLS_DG16, CLS_DG8, CLS_CT16, CLS_CT8, CLS_LAUNCH, CLS_NEVER, CLS_COUNT };
enum { SEL_GROUP, SEL_GEMM_HW, SEL_UNALIGNED, SEL_ATTENTION }; /* the rows a fit takes */

typedef struct {
    const char *path;
    double prior;        /* where from_path is NULL, the prior; else a factor on from_path's value (0: 1) */
    const char *from_hw; /* the prior is this profile's (NULL: the fit's own) value of from_path */
    const char *from_path;
    const char *prior_source; /* the published source the prior came from ("" none: an assumption) */
    int cls;
    int variant;  /* ROOF_CV_FP8 / ROOF_CV_UNALIGNED: only in that variant; 0 always */
    double start; /* where the fit starts when the prior is on a bound (0: see cv_start) */
} cv_param;

/* The factor on a prior taken from another value (cp->prior where
 * from_path is set; 0 means 1). */
static double prior_factor(const cv_param *cp)
{
    return cp->prior > 0.0 ? cp->prior : 1.0;
}

/* FlashAttention-2 on Hopper issues Ampere's mma.sync, which "can only
 * reach about 2/3 the peak throughput of Hopper Tensor Cores" without
 * wgmma (the FlashAttention-3 blog, Shah, Bikshandi, Zhang, Thakkar,
 * Ramani, Dao, 2024-07-11, footnote 1, citing Luo et al. arXiv
 * 2402.13499v1; pytorch/pytorch.github.io@125600c3f846e902ce6d306fa41a0120107b5657
 * _posts/2024-07-11-flashattention-3.md). So the prior of its fraction on
 * H100 is its fraction on A100, where mma.sync is the native instruction
 * (Dao 2023's rows), times that share. The blog's authors wrote the
 * held-out source (Shah et al. 2024), but the share is Luo et al.'s
 * microbenchmark, which it relays (the entry's prior_source); its own
 * FlashAttention-2 figures on H100 are not used. */
#define MMA_SYNC_HOPPER_SHARE (2.0 / 3.0)

/* One attention fraction and query-tile cost (hw/attention.c), fitted on
 * the rows of group; the tile cost's prior is from_hw's (none: 0, the
 * fit starting at 128 keys, one KV block). */
#define ATTN_FIT(name, group, hw, from_hw, from_path)                                                                  \
    {                                                                                                                  \
        name, group, hw, SEL_GROUP, 2,                                                                                 \
        {                                                                                                              \
            {"hw.efficiency.attention", 0, from_hw, from_path, "", CLS_ANY, 0, 0.6},                                   \
            {                                                                                                          \
                "hw.attention.tile_keys", 0, from_hw, from_hw ? "hw.attention.tile_keys" : NULL, "", CLS_ANY, 0, 128.0 \
            }                                                                                                          \
        }                                                                                                              \
    }

/* A decode stream's bandwidth share and unit cost (hw/attention.c) on
 * the rows of group, for hw. */
#define ATTN_DEC_FIT(group, hw)                                                          \
    {                                                                                    \
        group, group, hw, SEL_GROUP, 2,                                                  \
        {                                                                                \
            {"hw.attention.memory", 0, NULL, "hw.efficiency.memory", "", CLS_ANY, 0, 0}, \
            {                                                                            \
                "hw.attention.unit_keys", 0, NULL, NULL, "", CLS_ANY, 0, 64.0            \
            }                                                                            \
        }                                                                                \
    }

/* One GPU's GEMM rows (SEL_GEMM_HW): its 16-bit fraction, prior from's
 * in the fold; its fp8 fraction, prior its own 16-bit one (today's model);
 * its per-kernel overhead, prior from's. */
#define GEMM_FROM(name, hw, from)                                                                   \
    {                                                                                               \
        name, NULL, hw, SEL_GEMM_HW, 3,                                                             \
        {                                                                                           \
            {"hw.efficiency.compute", 0, from, "hw.efficiency.compute", "", CLS_16, 0, 0},          \
                {"hw.efficiency.fp8", 0, NULL, "hw.efficiency.compute", "", CLS_8, ROOF_CV_FP8, 0}, \
            {                                                                                       \
                "hw.kernel.overhead", 0, from, "hw.kernel.overhead", "", CLS_LAUNCH, 0, 0           \
            }                                                                                       \
        }                                                                                           \
    }

/* The same on a part that shares die's silicon (H200 and H100, MI325X and
 * MI300X): all three priors die's values in the fold. */
#define GEMM_SAME_DIE(name, hw, die)                                                           \
    {                                                                                          \
        name, NULL, hw, SEL_GEMM_HW, 3,                                                        \
        {                                                                                      \
            {"hw.efficiency.compute", 0, die, "hw.efficiency.compute", "", CLS_16, 0, 0},      \
                {"hw.efficiency.fp8", 0, die, "hw.efficiency.fp8", "", CLS_8, ROOF_CV_FP8, 0}, \
            {                                                                                  \
                "hw.kernel.overhead", 0, die, "hw.kernel.overhead", "", CLS_LAUNCH, 0, 0       \
            }                                                                                  \
        }                                                                                      \
    }

/* path of hw taken from H100's value in the fold (a group with no rows of
 * its own: the fit leaves the prior). */
#define H100_COPY(name, hw, path)                            \
    {                                                        \
        name, name, hw, SEL_GROUP, 1,                        \
        {                                                    \
            {                                                \
                path, 0, "h100-sxm", path, "", CLS_ANY, 0, 0 \
            }                                                \
        }                                                    \
    }

static const struct cv_fit {
    const char *name, *group, *hw; /* hw NULL: every profile of the set */
    int sel;
    size_t nparams;
    cv_param p[4];
} cv_fits[] = {
    /* The documented A100 fit (fits[] above) less its ridge exponent.
     * Priors: MAMF-A100's 271.2 of 312 TFLOP/s (gemm_measured.csv,
     * stas00/ml-engineering), the 3 us the uncalibrated profiles assume.
     * The ridge is left at the profile's (50.7: the max, as the shipped
     * profile has it): fitted on these 9 rows it went to 1 (the sum of
     * compute and memory time), which helped only in sample (GEMMs on A100
     * 9.81 -> 9.27% in sample, 13.55 -> 13.71% out of sample) and slowed
     * batch-1 decode by a quarter, where gpt-fast's and torchao's one-GPU
     * runs sit within 2% of the shipped profile (docs/validation.md,
     * "gpt-fast's batch-1 decode on A100"). */
    {"gemm-a100",
     "gemm-a100",
     "a100-sxm",
     SEL_GROUP,
     2,
     {{"hw.efficiency.compute", 0.869, NULL, NULL, "stas00/ml-engineering", CLS_ANY, 0, 0},
      {"hw.kernel.overhead", 3e-6, NULL, NULL, "", CLS_ANY, 0, 0}}},
    /* Each GPU's GEMM rows, whatever their group: the 16-bit fraction (the
     * MAMF value the profile ships came from one source's row), the fp8
     * fraction, the per-kernel overhead (3 us assumed in the profiles; the
     * small shapes of Azure and XLA set it). Priors of the 16-bit fraction:
     * the fold's A100 fraction for H100 (the best-measured cuBLAS part), the
     * same die's for H200 and H800 (H100) and GB200 (B200), H100's for
     * B200 and MI300X (a guess: no other row says otherwise). Of the fp8
     * fraction: the same die's fp8 fraction (H200, H800: H100's; GB200:
     * B200's), else the profile's own 16-bit one (today's model). Of the
     * overhead: A100's for H100, H100's for the others (launch and tail are
     * mostly the CUDA runtime's; MI300X's 5 us is an assumption too).
     * GB200's two fractions are B200's, not fitted on GB200's rows: the
     * same die, whose profiles' peaks (2.5 and 2.25 PFLOP/s bf16) carry
     * the clock apart, and both parts reach the same share of them where
     * one harness timed both (AIConfigurator's cuBLASLt tables, n = 8192
     * and 16384: 0.615 and 0.613 of the peak at 8192 x 16384 x 8192;
     * MAMF's best shapes 0.729 and 0.776). Fitted on its own rows, GB200's
     * fraction followed whichever source was left (0.64-0.78 over the
     * folds) and 12 of AIConfigurator's 21 GB200 rows came out 20-31 %
     * fast with them held out. */
    GEMM_FROM("gemm-h100", "h100-sxm", "a100-sxm"),
    GEMM_SAME_DIE("gemm-h200", "h200", "h100-sxm"),
    GEMM_FROM("gemm-b200", "b200", "h100-sxm"),
    {"gemm-gb200",
     NULL,
     "gb200",
     SEL_GEMM_HW,
     3,
     {{"hw.efficiency.compute", 0, "b200", "hw.efficiency.compute", "", CLS_NEVER, 0, 0},
      {"hw.efficiency.fp8", 0, "b200", "hw.efficiency.fp8", "", CLS_NEVER, ROOF_CV_FP8, 0},
      {"hw.kernel.overhead", 0, "h100-sxm", "hw.kernel.overhead", "", CLS_LAUNCH, 0, 0}}},
    GEMM_FROM("gemm-mi300x", "mi300x", "h100-sxm"),
    /* MI325X: the MI300X's compute die with HBM3E at 1000 W, its one GEMM
     * row MAMF's best shape (stas00/ml-engineering); priors, where that
     * source is held out, the fold's MI300X values (the proxies the
     * profile ships). */
    GEMM_SAME_DIE("gemm-mi325x", "mi325x", "mi300x"),
    /* The two PCIe cards whose only GEMM rows are AIConfigurator's bf16
     * tables (corpus/gemm.csv, gemm-aic): their 16-bit fraction. Prior,
     * where those rows are held out: the 0.70 the profiles assumed before
     * them (near the Hopper profiles' sustained 0.803 x 0.880; no
     * measurement). The per-kernel overhead is not fitted: the rows are
     * replayed from a CUDA graph and all take 30 us or more. */
    {"gemm-l40s", NULL, "l40s", SEL_GEMM_HW, 1, {{"hw.efficiency.compute", 0.70, NULL, NULL, "", CLS_16, 0, 0}}},
    {"gemm-rtx-pro-6000",
     NULL,
     "rtx-pro-6000",
     SEL_GEMM_HW,
     1,
     {{"hw.efficiency.compute", 0.70, NULL, NULL, "", CLS_16, 0, 0}}},
    /* H800's rows are all DeepGEMM's (hw.gemm.library): with the library
     * variant they set DeepGEMM's fp8 fraction only, and its cuBLASLt
     * fractions stay the same die's (H100's). DeepGEMM's prior, where its
     * source is held out: the fold's cuBLASLt fp8 fraction of the profile
     * (nothing else measures DeepGEMM). The overhead's prior is a floor
     * without a host launch, as DeepGEMM times its kernels (bench_kineto:
     * CUPTI kernel durations; deepseek-ai/DeepGEMM@55ab91f
     * deep_gemm/utils.py): the same die's in AIConfigurator's tables,
     * whose harness replays each GEMM from a CUDA graph (H100's
     * overhead_us in corpus/gemm.csv, 2.5354666 us), not H100's fitted
     * 6.1 us, the floor of harnesses that time each launch (with it, the
     * M = 64 and 128 rows came out 20-81 % slow with DeepGEMM held out). */
    {"gemm-h800",
     NULL,
     "h800",
     SEL_GEMM_HW,
     4,
     {{"hw.efficiency.compute", 0, "h100-sxm", "hw.efficiency.compute", "", CLS_16, 0, 0},
      {"hw.efficiency.fp8", 0, "h100-sxm", "hw.efficiency.fp8", "", CLS_8, ROOF_CV_FP8, 0},
      {"hw.kernel.overhead", 2.5354666e-6, NULL, NULL, "ai-dynamo/aiconfigurator", CLS_LAUNCH, 0, 0},
      {"hw.efficiency.deepgemm.fp8", 0, NULL, "hw.efficiency.fp8", "", CLS_DG8, ROOF_CV_LIBRARY, 0}}},
    /* The documented H800 terms. The C write's share outside the main
     * loop (hw.gemm.epilogue): prior 1, none overlapped, from the kernel's
     * structure: both math warpgroups work on one output block and write
     * it back (STSM, a barrier, one TMA store and its wait) before taking
     * the next (deepseek-ai/DeepGEMM@55ab91f fp8_gemm.cuh), CUTLASS's
     * cooperative schedule; only its ping-pong overlaps one warpgroup's
     * epilogue with the other's math (NVIDIA/cutlass@07a02380
     * media/docs/efficient_gemm.md). With the prior 0 (full overlap, as a
     * ping-pong cuBLASLt kernel) the M = 4096 rows came out up to 56 %
     * fast with DeepGEMM held out. The tiles that saturate the bandwidth
     * (bw_units): from none. */
    {"gemm-h800-terms",
     "gemm-h800",
     "h800",
     SEL_GROUP,
     2,
     {{"hw.gemm.epilogue", 1.0, NULL, NULL, "", CLS_ANY, 0, 0.5},
      {"hw.gemm.bw_units", 0.0, NULL, NULL, "", CLS_ANY, 0, 0}}},
    /* NCCL's latency residual on the DGX H100 sweep. Prior: none (1). */
    {"allreduce-h100",
     "allreduce-h100",
     "h100-sxm",
     SEL_GROUP,
     1,
     {{"hw.network.node.nccl_latency_scale", 0.0, NULL, NULL, "", CLS_ANY, 0, 1.0}}},
    /* Each generation's attention fraction (hw/hw.h roof_hw_attn_eff) and
     * query-tile cost (hw/attention.c) on its FlashAttention rows
     * (validation/published_attn.c), after the GEMM fits. Each generation
     * has one source, so a held-out generation takes another's values:
     * FlashAttention-2 on A100, -3 on H100 and -4 on B200 reach about the
     * same share of their peaks. H100's are fitted first (prior: the
     * fold's GEMM fraction, the model without them, and no tile cost) as
     * the priors of A100's and B200's, then again with A100's as its prior.
     * Then H100's backward rate on its backward rows (prior 1, the
     * forward's rate), the exposed share of the exponentials, one value for
     * every profile on all the attention rows (prior 0, full overlap), and
     * each generation's values once more with them (prior: the values just
     * fitted). Every fold starts the backward rate and the exposed share
     * at their priors (run_fold). H200 and H800 take H100's values, GB200
     * B200's (the same die, the same kernel). */
    ATTN_FIT("attn-h100-first", "attn-h100", "h100-sxm", NULL, "hw.efficiency.compute"),
    ATTN_FIT("attn-a100-first", "attn-a100", "a100-sxm", "h100-sxm", "hw.efficiency.attention"),
    ATTN_FIT("attn-b200-first", "attn-b200", "b200", "h100-sxm", "hw.efficiency.attention"),
    ATTN_FIT("attn-h100-second", "attn-h100", "h100-sxm", "a100-sxm", "hw.efficiency.attention"),
    {"attn-h100-bwd",
     "attn-h100-bwd",
     "h100-sxm",
     SEL_GROUP,
     1,
     {{"hw.attention.backward", 0.0, NULL, NULL, "", CLS_ANY, 0, 0.9}}},
    {"attn-exposed",
     NULL,
     NULL,
     SEL_ATTENTION,
     1,
     {{"hw.attention.exp_exposed", 0.0, NULL, NULL, "", CLS_ANY, 0, 0.2}}},
    ATTN_FIT("attn-a100", "attn-a100", "a100-sxm", "a100-sxm", "hw.efficiency.attention"),
    ATTN_FIT("attn-b200", "attn-b200", "b200", "b200", "hw.efficiency.attention"),
    ATTN_FIT("attn-h100", "attn-h100", "h100-sxm", "h100-sxm", "hw.efficiency.attention"),
    ATTN_FIT("attn-h200", "attn-h200", "h200", "h100-sxm", "hw.efficiency.attention"),
    ATTN_FIT("attn-h800", "attn-h800", "h800", "h100-sxm", "hw.efficiency.attention"),
    ATTN_FIT("attn-gb200", "attn-gb200", "gb200", "b200", "hw.efficiency.attention"),
    /* Each GPU's decode stream (hw/attention.c) on its TensorRT-LLM decode
     * steps (AIConfigurator's tables, validation/published_attn.c): the
     * bandwidth share, prior the fold's efficiency.memory of the profile
     * (the model without it), and each unit's fixed cost, prior none (the
     * fit starting at 64 keys). H800 keeps efficiency.memory: its decode
     * is DeepSeek's FlashMLA, "up to 3000 GB/s" (deepseek-ai/FlashMLA
     * README), 0.896 of 3.35 TB/s, not TensorRT-LLM's kernel. */
    ATTN_DEC_FIT("attn-dec-h100", "h100-sxm"),
    ATTN_DEC_FIT("attn-dec-h200", "h200"),
    ATTN_DEC_FIT("attn-dec-b200", "b200"),
    ATTN_DEC_FIT("attn-dec-gb200", "gb200"),
    ATTN_DEC_FIT("attn-dec-l40s", "l40s"),
    ATTN_DEC_FIT("attn-dec-rtx-pro-6000", "rtx-pro-6000"),
    /* FlashAttention-2 on H100 (hw.attention.kernel = fa2: PyTorch's SDPA,
     * torchtitan's attention) on its rows of Shah et al. 2024; prior, where
     * they are held out: the fold's FlashAttention-2 fraction on A100
     * times mma.sync's share of Hopper's peak (MMA_SYNC_HOPPER_SHARE).
     * H200 and H800 take H100's (the same die). */
    {"attn-h100-fa2",
     "attn-h100-fa2",
     "h100-sxm",
     SEL_GROUP,
     1,
     {{"hw.efficiency.attention_fa2", MMA_SYNC_HOPPER_SHARE, "a100-sxm", "hw.efficiency.attention",
       "Luo et al. 2024 (arXiv 2402.13499)", CLS_ANY, 0, 0.4}}},
    H100_COPY("attn-h200-fa2", "h200", "hw.efficiency.attention_fa2"),
    H100_COPY("attn-h800-fa2", "h800", "hw.efficiency.attention_fa2"),
    /* The backward's rate where no backward row is: H100's (the profiles'
     * proxies; FlashAttention-4's backward is bound by shared memory
     * traffic too, together.ai "FlashAttention-4"). A100's stays 1: its
     * rows time forward and backward together, and its fraction carries
     * both. */
    H100_COPY("attn-h200-bwd", "h200", "hw.attention.backward"),
    H100_COPY("attn-h800-bwd", "h800", "hw.attention.backward"),
    /* A100's documented training fraction; prior 1 (none). */
    {"train-megatron",
     "train-megatron",
     "a100-sxm",
     SEL_GROUP,
     1,
     {{"hw.efficiency.training", 0.0, NULL, NULL, "", CLS_ANY, 0, 0.9}}},
    /* The training fraction of each newer GPU (hw.efficiency.training,
     * model/training.c), on its rows of corpus/training.csv (NeMo,
     * Megatron-Bridge, torchtitan; after the GEMM fits, so it scales the
     * fold's GEMM efficiencies). Prior: 0 (none, = 1) for H100, the fit starting at 0.8; H200 and B200
     * take the fold's H100 value, GB200 the fold's B200 value (the same
     * die). */
    {"train-h100",
     "train-h100",
     "h100-sxm",
     SEL_GROUP,
     1,
     {{"hw.efficiency.training", 0.0, NULL, NULL, "", CLS_ANY, 0, 0.8}}},
    {"train-h200",
     "train-h200",
     "h200",
     SEL_GROUP,
     1,
     {{"hw.efficiency.training", 0, "h100-sxm", "hw.efficiency.training", "", CLS_ANY, 0, 0.9}}},
    {"train-b200",
     "train-b200",
     "b200",
     SEL_GROUP,
     1,
     {{"hw.efficiency.training", 0, "h100-sxm", "hw.efficiency.training", "", CLS_ANY, 0, 0.9}}},
    {"train-gb200",
     "train-gb200",
     "gb200",
     SEL_GROUP,
     1,
     {{"hw.efficiency.training", 0, "b200", "hw.efficiency.training", "", CLS_ANY, 0, 0.9}}},
    /* cuBLAS's 16-byte rule (hw/gemm.c aligned16): one fraction for every
     * profile, on the rows that miss it. Prior: no penalty. */
    {"gemm-unaligned",
     NULL,
     NULL,
     SEL_UNALIGNED,
     1,
     {{"hw.gemm.unaligned", 0.0, NULL, NULL, "", CLS_ANY, ROOF_CV_UNALIGNED, 0.7}}},
};

static roof_hw *set_find(roof_hw *set, const char *name)
{
    for (int i = 0; i < ROOF_CV_PROFILES; i++)
        if (strcmp(set[i].name, name) == 0)
            return &set[i];
    return NULL;
}

static int predict_in(roof_pub_case *c, roof_hw *set, roof_error *err)
{
    roof_hw *hw = set_find(set, c->hw);
    if (!hw)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "'%s' is not a profile of the cross-validation",
                              c->hw);
    return roof_pub_predict(c, 1, hw, err);
}

/* A GEMM row's class: its library's (the variant without libraries:
 * cuBLASLt's, as every row was predicted before hw.gemm.library). */
static int row_cls(const roof_pub_case *c, int variant)
{
    if (c->kind != ROOF_PUB_GEMM)
        return -1;
    int lib = (variant & ROOF_CV_LIBRARY) && c->library > 0 && c->library < ROOF_GEMM_LIB_COUNT ? c->library : 0;
    return CLS_16 + 2 * lib + (c->gemm.dtype == ROOF_DT_FP8 || c->gemm.dtype == ROOF_DT_INT8);
}

static int selected(const struct cv_fit *f, const roof_pub_case *c)
{
    if (f->sel == SEL_GROUP)
        return strcmp(c->group, f->group) == 0;
    if (f->sel == SEL_ATTENTION) /* the generations' own kernels, not the decode steps (no matmuls to speak of) */
        return c->kind == ROOF_PUB_ATTENTION && !c->attn_decode &&
               (c->attn_kernel == ROOF_ATTN_KERNEL_NATIVE || c->attn_kernel == ROOF_ATTN_KERNEL_CUDNN);
    if (c->kind != ROOF_PUB_GEMM)
        return 0;
    if (f->sel == SEL_GEMM_HW)
        return strcmp(c->hw, f->hw) == 0;
    return !roof_gemm_aligned(&c->gemm);
}

typedef struct {
    roof_hw *set;
    const struct cv_fit *f;
    const roof_param *params[4];
    size_t np;
    roof_pub_case *rows;
} cv_ctx;

static void cv_put(roof_hw *set, const struct cv_fit *f, const roof_param *p, double v)
{
    for (int i = 0; i < ROOF_CV_PROFILES; i++)
        if (!f->hw || strcmp(set[i].name, f->hw) == 0)
            roof_param_put(p, &set[i], v);
}

static int cv_model(const double *p, size_t i, void *vctx, double *pred, roof_error *err)
{
    cv_ctx *c = vctx;
    for (size_t j = 0; j < c->np; j++)
        cv_put(c->set, c->f, c->params[j], p[j]);
    roof_pub_case one = c->rows[i];
    int rc = predict_in(&one, c->set, err);
    *pred = one.predicted_s;
    return rc;
}

static double param_get(const roof_hw *hw, const roof_param *p)
{
    return roof_param_get(p, hw);
}

/* Where the fit starts: the prior, or inside the bounds where the prior
 * sits on one (as roof_pub_fit_run does). */
static double cv_start(const cv_param *cp, const roof_param *p, const roof_hw *hw, double prior, double lo, double hi)
{
    double x = prior;
    if (!(x > lo) && cp->start > 0.0)
        x = cp->start;
    if (p->offset == offsetof(roof_hw, gemm_bw_units) && !(x > lo))
        x = 0.1 * (double)hw->units;
    if (!(x > lo))
        x = lo + 0.5 * (hi - lo < 8.0 ? hi - lo : 8.0);
    if (!(x < hi))
        x = lo + 0.999 * (hi - lo);
    return x;
}

/* Runs every fit of the variant on set, leaving out the rows of holdout
 * (NULL: none, the in-sample fit). values[f][j]: what fit f's parameter j
 * came out as (NAN where the variant leaves it out). */
static int run_fold(const roof_pub_case *cases, size_t n, const char *holdout, int variant, roof_hw *set,
                    double values[][4], int fitted[][4], roof_pub_case *rows, double *meas, roof_error *err)
{
    for (int i = 0; i < ROOF_CV_PROFILES; i++) {
        int rc = roof_hw_load(roof_pub_cv_profiles[i], &set[i], err);
        if (rc != ROOF_OK)
            return rc;
        /* The variants without a mechanism: its neutral value everywhere. */
        if (!(variant & ROOF_CV_FP8))
            set[i].eff_fp8 = 0.0;
        if (!(variant & ROOF_CV_UNALIGNED))
            set[i].gemm_unaligned = 0.0;
        if (!(variant & ROOF_CV_LIBRARY))
            memset(set[i].eff_library, 0, sizeof set[i].eff_library);
        /* Fitted on attention rows of every source (the exposed share) or
         * copied from H100's (the backward rate): their priors until
         * attn-h100-bwd and attn-exposed set them, as the shipped values
         * would carry the held-out rows into the fits before. */
        set[i].attn_exp_exposed = 0.0;
        set[i].attn_backward = 0.0;
        set[i].eff_attention_fa2 = 0.0; /* FlashAttention-2's: its prior until attn-h100-fa2 */
        set[i].attn_memory = 0.0;       /* the decode stream's: their priors until attn-dec-* */
        set[i].attn_unit_keys = 0.0;
    }
    for (size_t fi = 0; fi < sizeof cv_fits / sizeof cv_fits[0]; fi++) {
        const struct cv_fit *f = &cv_fits[fi];
        cv_ctx c = {.set = set, .f = f, .rows = rows};
        size_t k = 0;
        int has[CLS_COUNT] = {0};
        for (size_t i = 0; i < n; i++)
            if (selected(f, &cases[i]) && !(holdout && strcmp(cases[i].source, holdout) == 0)) {
                rows[k] = cases[i];
                meas[k++] = cases[i].measured_s;
                has[CLS_ANY] = 1;
                /* A row judged by its ratio (relative_to) says nothing of a
                 * fraction's level: it does not make one fittable. */
                if (row_cls(&cases[i], variant) > 0 && !cases[i].relative)
                    has[row_cls(&cases[i], variant)] = 1;
                if (cases[i].kind == ROOF_PUB_GEMM && !(cases[i].harness_overhead_s > 0.0))
                    has[CLS_LAUNCH]++;
            }
        double p[4], lo[4], hi[4];
        size_t which[4];
        roof_hw *own = f->hw ? set_find(set, f->hw) : &set[0];
        for (size_t j = 0; j < f->nparams; j++) {
            const cv_param *cp = &f->p[j];
            values[fi][j] = NAN;
            fitted[fi][j] = 0;
            if (cp->variant && !(variant & cp->variant))
                continue;
            const roof_param *rp = roof_param_find(&roof_hw_params, cp->path);
            if (!rp || !own)
                return roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "unknown parameter '%s'", cp->path);
            double shipped = param_get(own, rp), prior = cp->prior;
            if (cp->from_path) {
                const roof_hw *from = cp->from_hw ? set_find(set, cp->from_hw) : own;
                const roof_param *fp = roof_param_find(&roof_hw_params, cp->from_path);
                if (!from || !fp)
                    return roof_error_set(err, ROOF_ERR_RUNTIME, "fit", "unknown prior of '%s'", cp->path);
                prior = param_get(from, fp) * prior_factor(cp);
            }
            cv_put(set, f, rp, prior);
            values[fi][j] = prior;
            /* A parameter is fitted where rows of its kind are left and
             * the rows outnumber the parameters fitted so far; the
             * overhead, where the launch-timed rows outnumber those and
             * the fractions held at another profile's (CLS_NEVER) before
             * it. A harness's own floor says nothing of it: a GPU whose
             * rows are mostly graph-replayed, with one launch-timed row,
             * would set it from that row alone; and GB200's two MAMF rows,
             * its fractions B200's, drove it to 0 in Azure's fold, where
             * its 4.4 us fp8 GEMMs then came out 85 % fast. */
            size_t held = 0;
            for (size_t i = 0; i < j; i++)
                held += f->p[i].cls == CLS_NEVER && !(f->p[i].variant && !(variant & f->p[i].variant));
            if (!has[cp->cls] || c.np >= k || (cp->cls == CLS_LAUNCH && (size_t)has[CLS_LAUNCH] <= c.np + held)) {
                if (holdout && cp->prior_source[0] && strcmp(cp->prior_source, holdout) == 0)
                    return roof_error_set(err, ROOF_ERR_RUNTIME, "fit",
                                          "the prior of '%s' (%s) comes from the held-out source '%s'", cp->path,
                                          f->name, holdout);
                continue;
            }
            lo[c.np] = rp->min;
            hi[c.np] = rp->max;
            if (strcmp(rp->unit, "s") == 0)
                hi[c.np] = INFINITY;
            if (rp->offset == offsetof(roof_hw, gemm_ridge)) {
                lo[c.np] = 1.0;
                hi[c.np] = 100.0;
            }
            /* In-sample, from the shipped value (as --fit does); in a fold,
             * from the prior: the shipped value may carry the held-out rows. */
            p[c.np] = cv_start(cp, rp, own, holdout ? prior : shipped, lo[c.np], hi[c.np]);
            which[c.np] = j;
            c.params[c.np++] = rp;
        }
        if (c.np == 0)
            continue;
        roof_fit_result res;
        int rc = roof_fit_log(c.np, p, lo, hi, k, meas, cv_model, &c, &res, err);
        if (rc != ROOF_OK)
            return rc;
        for (size_t j = 0; j < c.np; j++) {
            cv_put(set, f, c.params[j], p[j]);
            values[fi][which[j]] = p[j];
            fitted[fi][which[j]] = 1;
        }
        /* A prior that names another value of this fit (the fp8 fraction's:
         * the profile's 16-bit one): the value just fitted, not the one it
         * held before the fit (a GPU with 16-bit rows but no fp8 rows in
         * the fold would take the other GPU's 16-bit prior as its fp8). */
        for (size_t j = 0; j < f->nparams; j++) {
            const cv_param *cp = &f->p[j];
            if (fitted[fi][j] || isnan(values[fi][j]) || cp->from_hw || !cp->from_path)
                continue;
            for (size_t i = 0; i < f->nparams; i++)
                if (i != j && fitted[fi][i] && strcmp(f->p[i].path, cp->from_path) == 0) {
                    double v = values[fi][i] * prior_factor(cp);
                    cv_put(set, f, roof_param_find(&roof_hw_params, cp->path), v);
                    values[fi][j] = v;
                }
        }
    }
    return ROOF_OK;
}

static int fold_predict(roof_pub_case *cases, size_t n, const char *only, roof_hw *set, double *pred, roof_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (only && strcmp(cases[i].source, only) != 0)
            continue;
        roof_pub_case one = cases[i];
        int rc = predict_in(&one, set, err);
        if (rc != ROOF_OK)
            return rc;
        pred[i] = one.predicted_s;
    }
    return ROOF_OK;
}

size_t roof_pub_cv_param_count(void)
{
    size_t k = 0;
    for (size_t f = 0; f < sizeof cv_fits / sizeof cv_fits[0]; f++)
        k += cv_fits[f].nparams;
    return k;
}

int roof_pub_cv_run(const roof_pub_case *cases, size_t n, int variant, roof_pub_cv *out, roof_error *err)
{
    memset(out, 0, sizeof *out);
    size_t nf = sizeof cv_fits / sizeof cv_fits[0];
    out->insample_s = calloc(n ? n : 1, sizeof *out->insample_s);
    out->cv_s = calloc(n ? n : 1, sizeof *out->cv_s);
    out->params = calloc(roof_pub_cv_param_count(), sizeof *out->params);
    roof_pub_case *rows = calloc(n ? n : 1, sizeof *rows), *work = calloc(n ? n : 1, sizeof *work);
    double *meas = calloc(n ? n : 1, sizeof *meas);
    roof_hw *set = calloc(ROOF_CV_PROFILES, sizeof *set);
    double(*values)[4] = calloc(nf, sizeof *values);
    int(*fitted)[4] = calloc(nf, sizeof *fitted);
    int rc = ROOF_OK;
    if (!out->insample_s || !out->cv_s || !out->params || !rows || !work || !meas || !set || !values || !fitted) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
        goto out;
    }
    memcpy(work, cases, n * sizeof *work);
    /* The sources, in the order their first row comes. */
    for (size_t i = 0; i < n; i++) {
        size_t s = 0;
        while (s < out->nsources && strcmp(out->sources[s], cases[i].source) != 0)
            s++;
        if (s == out->nsources) {
            if (s == ROOF_CV_MAX_SOURCES) {
                rc = roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "more than %d sources", ROOF_CV_MAX_SOURCES);
                goto out;
            }
            snprintf(out->sources[out->nsources++], sizeof out->sources[0], "%s", cases[i].source);
        }
    }
    /* The parameters, with their in-sample values. */
    if ((rc = run_fold(cases, n, NULL, variant, set, values, fitted, rows, meas, err)) != ROOF_OK ||
        (rc = fold_predict(work, n, NULL, set, out->insample_s, err)) != ROOF_OK)
        goto out;
    for (size_t f = 0; f < nf; f++)
        for (size_t j = 0; j < cv_fits[f].nparams; j++) {
            roof_pub_cv_param *p = &out->params[out->nparams++];
            p->fit = cv_fits[f].name;
            p->hw = cv_fits[f].hw ? cv_fits[f].hw : "all";
            p->path = cv_fits[f].p[j].path;
            p->insample = values[f][j];
            p->insample_fitted = fitted[f][j];
            p->lo = INFINITY;
            p->hi = -INFINITY;
        }
    for (size_t s = 0; s < out->nsources; s++) {
        if ((rc = run_fold(cases, n, out->sources[s], variant, set, values, fitted, rows, meas, err)) != ROOF_OK ||
            (rc = fold_predict(work, n, out->sources[s], set, out->cv_s, err)) != ROOF_OK)
            goto out;
        size_t k = 0;
        for (size_t f = 0; f < nf; f++)
            for (size_t j = 0; j < cv_fits[f].nparams; j++, k++) {
                roof_pub_cv_param *p = &out->params[k];
                p->fold[s] = values[f][j];
                p->fold_fitted[s] = fitted[f][j];
                if (values[f][j] < p->lo)
                    p->lo = values[f][j];
                if (values[f][j] > p->hi)
                    p->hi = values[f][j];
            }
    }
out:
    free(rows);
    free(work);
    free(meas);
    free(set);
    free(values);
    free(fitted);
    if (rc != ROOF_OK)
        roof_pub_cv_free(out);
    return rc;
}

void roof_pub_cv_free(roof_pub_cv *cv)
{
    if (!cv)
        return;
    free(cv->insample_s);
    free(cv->cv_s);
    free(cv->params);
    cv->insample_s = cv->cv_s = NULL;
    cv->params = NULL;
}
