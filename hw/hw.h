/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A hardware profile: what one GPU (and its network) can do. Plain data,
 * filled from a libconfig profile (hw/profiles/NAME.cfg, embedded in the
 * binary at build time) or a user's file, then adjusted by --set. The caller
 * owns the struct; nothing in it is allocated.
 *
 * Every physical quantity is in SI base units (FLOP/s, B/s, B, s, W).
 */
#ifndef ROOF_HW_HW_H
#define ROOF_HW_HW_H

#include <stdint.h>

#include "core/error.h"
#include "core/param.h"
#include "hw/dtype.h"

/* One tier of the network: the scale-up domain (NVLink inside a node or
 * rack) or the scale-out fabric (InfiniBand/RoCE between nodes). */
typedef struct roof_net_tier {
    int64_t size;           /* node: GPUs per domain; cluster: nodes in the fabric */
    double bandwidth;       /* B/s per GPU per direction */
    double latency;         /* s per algorithm step (alpha) */
    double efficiency;      /* achieved fraction of bandwidth in ring collectives */
    int nvls;               /* switch reduces in-network (NVLink SHARP) */
    double nvls_efficiency; /* achieved algbw fraction of bandwidth for NVLS all-reduce */
    double nvls_latency;    /* s, fixed cost of one NVLS all-reduce step */
    /* NCCL's tuning model (hw/nccl_tuning.h); arch (node tier only) 0 =
     * none: the alpha-beta forms above time the node tier instead. On the
     * cluster tier only channels and channel_bw are read: the network
     * graph across nodes (0: alpha-beta across nodes). */
    int arch;                  /* roof_nccl_arch: none, ampere, hopper, blackwell, gfx942 (RCCL) */
    int link;                  /* node tier: 0 NVLink, 1 PCIe between the node's GPUs (NCCL's hwLat
                                  row and its LL128 rule, hw/nccl_tuning.c) */
    int64_t channels;          /* ring/tree channels NCCL's topology search finds */
    double channel_bw;         /* B/s per channel (the graph's bwIntra; cluster: bwInter) */
    int64_t nvls_channels;     /* NVLS channels; 0 = no NVLS in NCCL's model */
    double nvls_channel_bw;    /* B/s per NVLS channel (the NVLS graph's bwIntra) */
    double nvls_inter_bw;      /* B/s: the NVLS graph's bwInter inside one node; 0 = nvls_channel_bw */
    double nccl_latency_scale; /* residual factor on NCCL's predicted latencies; 0 = 1 */
    /* Two-tier fat tree (cluster tier only): a group over more nodes than
     * one leaf switch serves crosses the spine, whose uplinks carry
     * 1 / oversubscription of the leaf's downlinks. */
    double oversubscription; /* leaf downlink over uplink capacity (>= 1; 0 = 1: non-blocking) */
    int64_t leaf_nodes;      /* nodes under one leaf switch (per rail when rail-optimized); 0 = every node */
    int sharp;               /* cluster tier: the switches reduce in-network (InfiniBand SHARP, NCCL's CollNet) */
    /* Sub-domains of the node tier (node tier only; hw/collective.c
     * roof_comm_domain): cards joined by NVLink bridges in small groups
     * (H100 NVL: pairs) and cards behind one CPU socket, in a node whose
     * GPUs otherwise meet over PCIe. A ring runs at its slowest link
     * (NCCL's topology search, NVIDIA/nccl src/graph/search.cc: a
     * channel's speed must fit every link of its path), so a group inside
     * one bridge group runs at the bridge's rate and a group across
     * sockets at the CPU-CPU link's. Both rates are achieved data rates, as
     * NCCL's graph counts them (after the tier's efficiency). */
    int64_t bridge_size; /* GPUs per NVLink bridge group; 0 = no bridges */
    double bridge_bw;    /* B/s per GPU per direction over its bridge */
    int64_t socket_size; /* GPUs behind one CPU socket; 0 = the node is one domain */
    double socket_bw;    /* B/s per direction of the CPU-CPU link a ring across sockets passes */
    /* Low-latency all-to-all (DeepEP-style, hw/a2a.c); node tier only */
    double a2a_latency;   /* s, fixed cost of one low-latency dispatch or combine */
    double a2a_bandwidth; /* B/s per GPU of its writes to peers in its node; 0 = bandwidth x efficiency */
} roof_net_tier;

/* The GEMM kernel library a profile's GEMMs run through (hw.gemm.library).
 * Each has its own sustained fractions of the peaks (roof_hw_eff), so that a
 * fit on one library's measurements does not set another's predictions:
 * DeepGEMM's hand-tuned Hopper FP8 kernels (deepseek-ai/DeepGEMM README:
 * "up to 1550 TFLOPS" on H800, 0.78 of the 1979 peak) run at a fraction
 * cuBLASLt's do not reach on the same die (Azure's cuBLASLt FP8 at 8192^3
 * on H100: 1290 TFLOP/s, 0.65; corpus/gemm.csv AZ-H100-fp8-8k). */
typedef enum {
    ROOF_GEMM_LIB_CUBLASLT, /* the vendor BLAS (cuBLASLt, hipBLASLt), as torch.matmul calls it: the default */
    ROOF_GEMM_LIB_DEEPGEMM, /* deepseek-ai/DeepGEMM's JIT FP8 kernels (Hopper) */
    ROOF_GEMM_LIB_CUTLASS,  /* kernels built from NVIDIA CUTLASS templates, tuned per shape */
    ROOF_GEMM_LIB_COUNT
} roof_gemm_library;

/* The names hw.gemm.library takes, in enum order, NULL-terminated. */
extern const char *const roof_gemm_library_names[];

/* The fused-attention kernel the software runs (hw.attention.kernel). The
 * profiles' attention fraction describes each generation's own
 * FlashAttention: -2 on Ampere, -3 on Hopper, -4 on Blackwell. Software
 * that calls FlashAttention-2 on a later part (PyTorch's SDPA flash
 * backend, as torchtitan does) runs it without that part's new
 * instructions: on H100 FlashAttention-2 issues Ampere's mma.sync, not
 * wgmma or TMA, and reaches about 35% of the peak where -3 reaches 75%
 * (Shah et al. 2024, "FlashAttention-3", Sec. 1 and Fig. 5). */
typedef enum {
    ROOF_ATTN_KERNEL_NATIVE, /* the generation's own FlashAttention: hw.efficiency.attention (default) */
    ROOF_ATTN_KERNEL_FA2,    /* FlashAttention-2: hw.efficiency.attention_fa2 where set */
    ROOF_ATTN_KERNEL_CUDNN, /* cuDNN's fused flash attention: the native fraction, its query tiles in waves (hw/attention.c) */
    ROOF_ATTN_KERNEL_COUNT
} roof_attn_kernel;

/* The names hw.attention.kernel takes, in enum order, NULL-terminated. */
extern const char *const roof_attn_kernel_names[];

typedef struct roof_hw {
    char name[64];
    char description[128];
    char source[256]; /* where it came from: "embedded hw/profiles/h100-sxm.cfg" or a path */

    double compute[ROOF_DT_COUNT]; /* peak dense FLOP/s per dtype; 0 = not supported */
    double mem_bandwidth;          /* B/s */
    double mem_capacity;           /* B */
    double eff_compute;            /* achievable fraction of peak FLOP/s */
    double eff_fp8;                /* achievable fraction of the fp8/int8 peak; 0 = eff_compute (roof_hw_eff) */
    int gemm_library;              /* roof_gemm_library: which library's fractions roof_hw_eff takes */
    double eff_library[ROOF_GEMM_LIB_COUNT][2]; /* [library][0: 16-bit and wider, 1: fp8/int8]; [0] unused
                                                   (cuBLASLt's are eff_compute, eff_fp8); 0 = cuBLASLt's */
    double eff_memory;                          /* achievable fraction of memory bandwidth */
    double eff_attention;                       /* fused attention's 16-bit fraction; 0 = the GEMM's */
    int attn_kernel;                            /* roof_attn_kernel: which FlashAttention the software runs */
    double eff_attention_fa2; /* FlashAttention-2's 16-bit fraction where not native; 0 = eff_attention */
    double attn_exp_rate;     /* fused attention: exponentials per second (special function units); 0 = no term */
    double attn_tile_keys;    /* fused attention: a query tile's fixed cost, in keys' matmul time; 0 = none */
    double attn_exp_exposed;  /* fused attention: share of the shorter of matmul and exponential time not hidden */
    double attn_backward;     /* fused attention: the backward's rate over the forward's; 0 = 1 */
    double attn_memory;    /* fused attention: fraction of the memory bandwidth it streams K and V at; 0 = eff_memory */
    double attn_unit_keys; /* fused attention: each sequence and KV head's fixed cost, in keys' streaming time */
    double eff_sustained;  /* a whole workload's fraction of eff_compute; 0 = 1 (roof_ops_time) */
    double eff_training;   /* a training step's further fraction; 0 = 1 (model/training.c) */
    int64_t tile_m, tile_n;     /* output tile of a typical large GEMM kernel */
    int64_t units;              /* SMs or CUs that tiles are spread over */
    double kernel_overhead;     /* s added to every kernel */
    double gemm_ridge;          /* r of the smooth roofline (tc^r + tm^r)^(1/r); 0 = max */
    double gemm_epilogue;       /* fraction of the C write after the main loop, not overlapped; 0 = none */
    double gemm_bw_units;       /* output tiles needed to stream A and B at full bandwidth; 0 = any */
    double gemm_unaligned;      /* fraction of the compute rate kept when a leading dimension is not a
                                      multiple of 16 bytes (roof_gemm_aligned); 0 = 1, no penalty */
    int64_t gemm_stream_k;      /* 1: a split-K split pays its fp32 partial-tile fixup (hw/gemm.c, Osama et al.
                              2023) and the library picks the cheapest split; 0 = the largest split, free */
    int64_t gemm_stream_k_tail; /* 1 (with gemm_stream_k): a last wave under half full and the full wave before
                                   it run by stream-K, CUTLASS's sm90 heuristic (hw/gemm.c); 0 = waves */
    /* CPU BLAS terms (hw/gemm.c, validation/host_fit.c); 0 or absent on GPU
     * profiles, which then time exactly as without them. */
    double gemm_pack;          /* bytes of A and B per element byte (packing); 0 = 1, read once */
    double gemm_block_k;       /* C read and written once per block_k of k (KC); 0 = C written once */
    int64_t gemm_threads;      /* threads that share the peak; 0 = 1 */
    double gemm_serial_mnk;    /* m*n*k at or below which one thread runs the GEMM; 0 = never */
    int64_t gemm_switch_ratio; /* OpenBLAS SWITCH_RATIO: how threads split m and n; 0 = not modelled */
    double gemm_serial_bw;     /* B/s in cache of such a one-thread GEMM; 0 = mem_bandwidth * eff_memory */
    double gemm_serial_ridge;  /* r of such a one-thread GEMM; 0 = gemm_ridge */
    double gemm_cache;         /* B the operands stay in between calls (last-level cache); 0 = all */
    double gemm_dram_bw;       /* B/s (read + write) of the traffic beyond gemm_cache */
    roof_net_tier node, cluster;
    /* The host of each GPU, for optimizer offload in training (model/training.c,
     * ZeRO-Offload); 0 or absent = no offload on this profile. */
    struct {
        double bandwidth;        /* B/s per GPU per direction of the GPU-host link (PCIe, NVLink-C2C) */
        double memory_bandwidth; /* B/s of host DRAM per GPU (its share of the sockets' channels) */
        double memory;           /* B of host DRAM per GPU; 0 = not checked */
    } host;
    double price_usd_per_hour; /* per GPU */
    double power_watts;        /* per GPU */
    /* Owning rather than renting (model/cost.c, which gives the defaults
     * of the settings left at 0). */
    struct {
        double gpu_usd;                  /* purchase price per GPU; 0 = owning not priced */
        double server_usd;               /* per server (or rack), without its GPUs */
        int64_t server_gpus;             /* GPUs per server; 0 = network.node.size */
        double years;                    /* amortisation period */
        double interest;                 /* annual cost of capital */
        double utilisation;              /* fraction of hours doing paid work */
        double load_watts;               /* per GPU at load with its server share; 0 = from power.watts */
        double pue;                      /* facility power / IT power */
        double usd_per_kwh;              /* energy price */
        double hosting_usd_per_kw_month; /* space, cooling and power capacity, per kW of IT load */
    } cost;
} roof_hw;

/* The achievable fraction of dtype's peak: the selected library's own
 * fraction where the profile sets it (hw.efficiency.deepgemm.fp8, ...),
 * else cuBLASLt's: efficiency.fp8 for the 8-bit formats where the profile
 * sets it, else efficiency.compute. Hopper runs
 * its FP8 tensor work into the 700 W power limit, so cuBLASLt reaches a
 * lower fraction of the doubled fp8 peak than of the bf16 peak: on H100
 * SXM 1402.6 of 1978.9 TFLOP/s fp8 (0.709, gemm_measured.csv
 * MAMF-H100-fp8) against 794.5 of 989.4 bf16 (0.803, MAMF-H100), and
 * Azure's cuBLASLt fp8 at 8192^3 1290.1 (0.652, corpus/gemm.csv
 * AZ-H100-fp8-8k; H200 1300.6, AZ-H200-fp8-8k). Blackwell at 1000 W shows
 * no such gap (MAMF-B200 0.776 bf16, MAMF-B200-fp8 0.763). Inlined: the
 * GEMM's hot path calls it. */
static inline double roof_hw_eff(const roof_hw *hw, roof_dtype dt)
{
    int eight = dt == ROOF_DT_FP8 || dt == ROOF_DT_INT8;
    unsigned lib = (unsigned)hw->gemm_library;
    if (lib != ROOF_GEMM_LIB_CUBLASLT && lib < ROOF_GEMM_LIB_COUNT && hw->eff_library[lib][eight] > 0.0)
        return hw->eff_library[lib][eight];
    return eight && hw->eff_fp8 > 0.0 ? hw->eff_fp8 : hw->eff_compute;
}

/* The hw.* path of the fraction roof_hw_eff takes (for --explain). */
const char *roof_hw_eff_path(const roof_hw *hw, roof_dtype dt);

/* The achievable fraction of dtype's peak in a fused attention kernel
 * (FlashAttention's forward or backward; model/ops.c ROOF_OP_FUSED):
 * efficiency.attention where the profile sets it, for the 16-bit and
 * wider formats; else the GEMM fraction of roof_hw_eff, as before the
 * attention fraction existed. FlashAttention runs its two GEMMs with the
 * softmax between them, so it reaches less of the peak than one large
 * GEMM: FlashAttention-2 on A100 and FlashAttention-3 on H100 about 0.65
 * (validation/data/corpus/attention.csv, docs/validation.md) against
 * 0.82 and 0.80 for cuBLAS GEMMs. No published fp8 attention measurement
 * with its shape was read (the FlashAttention-3 paper gives fp8 only in
 * figures this project does not carry), so fp8 attention keeps the GEMM's
 * fp8 fraction. */
static inline double roof_hw_attn_eff(const roof_hw *hw, roof_dtype dt)
{
    int eight = dt == ROOF_DT_FP8 || dt == ROOF_DT_INT8;
    if (!eight && hw->attn_kernel == ROOF_ATTN_KERNEL_FA2 && hw->eff_attention_fa2 > 0.0)
        return hw->eff_attention_fa2;
    return !eight && hw->eff_attention > 0.0 ? hw->eff_attention : roof_hw_eff(hw, dt);
}

/* The hw.* path of the fraction roof_hw_attn_eff takes. */
const char *roof_hw_attn_eff_path(const roof_hw *hw, roof_dtype dt);

/* The hw.* registry (hw/hw_params.c): one entry per field above. */
extern const roof_param_table roof_hw_params;

#endif
