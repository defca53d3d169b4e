/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hw.* parameters: path, field, unit, meaning, valid range. This table is
 * the only list of profile fields: the loader reads exactly these settings,
 * --set writes them and `llmroof params` prints them. */
#include <math.h>
#include <stddef.h>

#include "hw/hw.h"

#define POS (ROOF_PARAM_MIN_OPEN | ROOF_PARAM_CONTINUOUS)
#define REQ ROOF_PARAM_REQUIRED
#define INF INFINITY
/* One entry; designated so that fields added to roof_param default to 0. */
#define P(path_, kind_, field_, unit_, meaning_, min_, max_, flags_)                                           \
    {                                                                                                          \
        .path = path_, .kind = kind_, .offset = offsetof(roof_hw, field_), .unit = unit_, .meaning = meaning_, \
        .min = min_, .max = max_, .flags = flags_                                                              \
    }

/* One entry with a default for a profile that leaves it out. */
#define PD(path_, kind_, field_, unit_, meaning_, min_, max_, flags_, def_)                                    \
    {                                                                                                          \
        .path = path_, .kind = kind_, .offset = offsetof(roof_hw, field_), .unit = unit_, .meaning = meaning_, \
        .min = min_, .max = max_, .flags = flags_, .def = def_                                                 \
    }

/* A choice among names (a NULL-terminated list; the field holds the index). */
#define ENUM(path_, field_, meaning_, names_)                                                                         \
    {                                                                                                                 \
        .path = path_, .kind = ROOF_PARAM_ENUM, .offset = offsetof(roof_hw, field_), .unit = "", .meaning = meaning_, \
        .choices = names_                                                                                             \
    }

/* A dtype peak may be absent (0): the part does not support that format. */
#define PEAK(dt, name)                                              \
    P("hw.compute." name, ROOF_PARAM_DOUBLE, compute[dt], "FLOP/s", \
      "peak dense " name " FLOP/s (no sparsity); 0 or absent = unsupported", 0, INF, POS | ROOF_PARAM_ZERO_OK)

#define TIER(tier, what)                                                                                      \
    P("hw.network." #tier ".size", ROOF_PARAM_INT, tier.size, "",                                             \
      what ": GPUs per node (node tier) or nodes in the fabric (cluster tier)", 1, 1e9, REQ),                 \
        P("hw.network." #tier ".bandwidth", ROOF_PARAM_DOUBLE, tier.bandwidth, "B/s",                         \
          what ": bandwidth per GPU per direction", 0, INF, REQ | POS),                                       \
        P("hw.network." #tier ".latency", ROOF_PARAM_DOUBLE, tier.latency, "s",                               \
          what ": latency of one algorithm step (alpha)", 0, 1, REQ | ROOF_PARAM_CONTINUOUS),                 \
        P("hw.network." #tier ".efficiency", ROOF_PARAM_DOUBLE, tier.efficiency, "",                          \
          what ": achieved fraction of bandwidth in ring collectives", 0, 1, REQ | POS),                      \
        P("hw.network." #tier ".nvls", ROOF_PARAM_BOOL, tier.nvls, "",                                        \
          what ": switch reduces in-network (NVLink SHARP, NVLS)", 0, 1, 0),                                  \
        P("hw.network." #tier ".nvls_efficiency", ROOF_PARAM_DOUBLE, tier.nvls_efficiency, "",                \
          what ": achieved algbw fraction of bandwidth for NVLS all-reduce", 0, 1, POS | ROOF_PARAM_ZERO_OK), \
        P("hw.network." #tier ".nvls_latency", ROOF_PARAM_DOUBLE, tier.nvls_latency, "s",                     \
          what ": fixed cost of one NVLS all-reduce", 0, 1, ROOF_PARAM_CONTINUOUS)

/* hw.network.*.arch, in roof_nccl_arch order (hw/nccl_tuning.h). */
static const char *const arch_names[] = {"none", "ampere", "hopper", "blackwell", "gfx942", NULL};
/* hw.network.node.link, as roof_net_tier.link. */
static const char *const link_names[] = {"nvlink", "pci", NULL};

const char *const roof_gemm_library_names[] = {"cublaslt", "deepgemm", "cutlass", NULL};
const char *const roof_attn_kernel_names[] = {"native", "fa2", "cudnn", NULL};

/* A library's own fractions: absent = cuBLASLt's (hw/hw.h roof_hw_eff). */
#define LIB_EFF(lib, name, col, idx, what)                                                 \
    P("hw.efficiency." name "." col, ROOF_PARAM_DOUBLE, eff_library[lib][idx], "",         \
      "achievable fraction of the " what " peaks in large GEMMs with gemm.library = " name \
      "; 0 or absent = cuBLASLt's",                                                        \
      0, 1, POS | ROOF_PARAM_ZERO_OK)

static const roof_param params[] = {
    PEAK(ROOF_DT_FP64, "fp64"),
    PEAK(ROOF_DT_FP32, "fp32"),
    PEAK(ROOF_DT_TF32, "tf32"),
    PEAK(ROOF_DT_BF16, "bf16"),
    PEAK(ROOF_DT_FP16, "fp16"),
    PEAK(ROOF_DT_FP8, "fp8"),
    PEAK(ROOF_DT_INT8, "int8"),
    PEAK(ROOF_DT_FP4, "fp4"),
    PEAK(ROOF_DT_INT4, "int4"),
    PEAK(ROOF_DT_FP6, "fp6"),
    P("hw.memory.bandwidth", ROOF_PARAM_DOUBLE, mem_bandwidth, "B/s", "memory (HBM) bandwidth", 0, INF, REQ | POS),
    P("hw.memory.capacity", ROOF_PARAM_DOUBLE, mem_capacity, "B", "memory (HBM) capacity", 0, INF, REQ | POS),
    P("hw.efficiency.compute", ROOF_PARAM_DOUBLE, eff_compute, "", "achievable fraction of peak FLOP/s in large GEMMs",
      0, 1, REQ | POS),
    P("hw.efficiency.fp8", ROOF_PARAM_DOUBLE, eff_fp8, "",
      "achievable fraction of the fp8 and int8 peaks in large GEMMs; 0 or absent = efficiency.compute", 0, 1,
      POS | ROOF_PARAM_ZERO_OK),
    LIB_EFF(ROOF_GEMM_LIB_DEEPGEMM, "deepgemm", "compute", 0, "16-bit"),
    LIB_EFF(ROOF_GEMM_LIB_DEEPGEMM, "deepgemm", "fp8", 1, "fp8 and int8"),
    LIB_EFF(ROOF_GEMM_LIB_CUTLASS, "cutlass", "compute", 0, "16-bit"),
    LIB_EFF(ROOF_GEMM_LIB_CUTLASS, "cutlass", "fp8", 1, "fp8 and int8"),
    P("hw.efficiency.memory", ROOF_PARAM_DOUBLE, eff_memory, "", "achievable fraction of memory bandwidth", 0, 1,
      REQ | POS),
    P("hw.efficiency.attention", ROOF_PARAM_DOUBLE, eff_attention, "",
      "achievable fraction of the 16-bit peak in fused attention (FlashAttention); 0 or absent = the GEMM fraction "
      "(efficiency.compute)",
      0, 1, POS | ROOF_PARAM_ZERO_OK),
    P("hw.efficiency.attention_fa2", ROOF_PARAM_DOUBLE, eff_attention_fa2, "",
      "achievable fraction of the 16-bit peak in FlashAttention-2 where it is not the generation's own kernel "
      "(attention.kernel = fa2 on Hopper); 0 or absent = efficiency.attention",
      0, 1, POS | ROOF_PARAM_ZERO_OK),
    ENUM("hw.attention.kernel", attn_kernel,
         "fused-attention kernel the software runs: native (the generation's own FlashAttention, default), "
         "fa2 (FlashAttention-2, as PyTorch's SDPA flash backend calls it), at efficiency.attention_fa2, or cudnn "
         "(cuDNN's fused flash attention, PyTorch's SDPA default on Hopper and later: the native fraction, a "
         "prefill's query tiles one per SM in waves, the keys not split)",
         roof_attn_kernel_names),
    P("hw.attention.exp_rate", ROOF_PARAM_DOUBLE, attn_exp_rate, "exp/s",
      "fused attention: softmax exponentials per second on the special function units (hw/attention.c); 0 or "
      "absent = not timed",
      0, INF, POS | ROOF_PARAM_ZERO_OK),
    P("hw.attention.tile_keys", ROOF_PARAM_DOUBLE, attn_tile_keys, "",
      "fused attention: each query tile's fixed cost, as the keys whose matmuls take as long (hw/attention.c); 0 or "
      "absent = none",
      0, 1e6, ROOF_PARAM_CONTINUOUS | ROOF_PARAM_ZERO_OK),
    P("hw.attention.exp_exposed", ROOF_PARAM_DOUBLE, attn_exp_exposed, "",
      "fused attention: share of the shorter of the matmul and exponential times that the longer does not hide "
      "(hw/attention.c); 0 or absent = fully overlapped",
      0, 1, ROOF_PARAM_CONTINUOUS | ROOF_PARAM_ZERO_OK),
    P("hw.attention.memory", ROOF_PARAM_DOUBLE, attn_memory, "",
      "fused attention: fraction of the memory bandwidth at which it streams the K and V it reads (a decode step's "
      "KV cache; hw/attention.c); 0 or absent = efficiency.memory",
      0, 1, POS | ROOF_PARAM_ZERO_OK),
    P("hw.attention.unit_keys", ROOF_PARAM_DOUBLE, attn_unit_keys, "",
      "fused attention: each sequence and KV head's fixed cost, as the keys whose streaming takes as long (a decode "
      "step over a short cache; hw/attention.c); 0 or absent = none",
      0, 1e6, ROOF_PARAM_CONTINUOUS | ROOF_PARAM_ZERO_OK),
    P("hw.attention.backward", ROOF_PARAM_DOUBLE, attn_backward, "",
      "fused attention: the backward kernel's matmul rate over the forward's (hw/attention.c); 0 or absent = 1", 0, 2,
      POS | ROOF_PARAM_ZERO_OK),
    P("hw.efficiency.sustained", ROOF_PARAM_DOUBLE, eff_sustained, "",
      "fraction of efficiency.compute a whole workload sustains (clocks under sustained power); 0 or absent = 1", 0, 1,
      POS | ROOF_PARAM_ZERO_OK),
    P("hw.efficiency.training", ROOF_PARAM_DOUBLE, eff_training, "",
      "training steps only: a further fraction of the compute efficiencies (FP8 casts, gaps between kernels); 0 or "
      "absent = 1",
      0, 1, POS | ROOF_PARAM_ZERO_OK),
    P("hw.gemm.tile_m", ROOF_PARAM_INT, tile_m, "", "GEMM output tile rows (tile quantization)", 1, 65536, REQ),
    P("hw.gemm.tile_n", ROOF_PARAM_INT, tile_n, "", "GEMM output tile columns (tile quantization)", 1, 65536, REQ),
    P("hw.gemm.units", ROOF_PARAM_INT, units, "", "SMs or CUs that tiles are spread over (wave quantization)", 1, 1e6,
      REQ),
    ENUM("hw.gemm.library", gemm_library,
         "GEMM kernel library whose efficiencies apply: cublaslt (cuBLASLt/hipBLASLt, default), deepgemm, "
         "cutlass",
         roof_gemm_library_names),
    P("hw.gemm.ridge", ROOF_PARAM_DOUBLE, gemm_ridge, "",
      "GEMM time near the ridge: (compute^r + memory^r)^(1/r); 0 or absent = max (plain roofline)", 0, 1000,
      POS | ROOF_PARAM_ZERO_OK),
    P("hw.gemm.epilogue", ROOF_PARAM_DOUBLE, gemm_epilogue, "",
      "fraction of a GEMM's C write done after its main loop, not overlapped; 0 or absent = overlapped", 0, 1,
      ROOF_PARAM_CONTINUOUS),
    P("hw.gemm.bw_units", ROOF_PARAM_DOUBLE, gemm_bw_units, "",
      "output tiles needed to stream A and B at full bandwidth (fewer stream proportionally less); 0 or absent = any",
      0, 1e6, ROOF_PARAM_CONTINUOUS),
    P("hw.gemm.unaligned", ROOF_PARAM_DOUBLE, gemm_unaligned, "",
      "fraction of the compute rate a GEMM keeps when k or n times the element size is not a multiple of 16 bytes; 0 "
      "or absent = 1 (no penalty)",
      0, 1, POS | ROOF_PARAM_ZERO_OK),
    P("hw.gemm.stream_k", ROOF_PARAM_BOOL, gemm_stream_k, "",
      "true: split-K slices write fp32 partial tiles that the tile's owner reads and adds (stream-K fixup, Osama et "
      "al. "
      "2023), and the split with the least time is taken; false or absent = the largest split, free",
      0, 1, 0),
    P("hw.gemm.stream_k_tail", ROOF_PARAM_BOOL, gemm_stream_k_tail, "",
      "true (with stream_k): persistent kernels run a last wave under half full, with the full wave before it, by "
      "stream-K over the units (CUTLASS's sm90 stream-K heuristic); false or absent = every wave data-parallel",
      0, 1, 0),
    P("hw.gemm.pack", ROOF_PARAM_DOUBLE, gemm_pack, "",
      "CPU: bytes moved per byte of A and B (packing into buffers); 0 or absent = 1 (read once)", 0, 1000,
      POS | ROOF_PARAM_ZERO_OK),
    P("hw.gemm.block_k", ROOF_PARAM_DOUBLE, gemm_block_k, "",
      "CPU: C is read and written once per block_k of k (BLAS KC blocking); 0 or absent = C written once", 0, 1e9,
      POS | ROOF_PARAM_ZERO_OK),
    P("hw.gemm.threads", ROOF_PARAM_INT, gemm_threads, "",
      "CPU: threads sharing the compute peak (with serial_mnk); 0 or absent = 1", 0, 1e6, 0),
    P("hw.gemm.serial_mnk", ROOF_PARAM_DOUBLE, gemm_serial_mnk, "",
      "CPU: GEMMs with m*n*k at or below this run on one of the threads; 0 or absent = never", 0, INF,
      ROOF_PARAM_CONTINUOUS),
    P("hw.gemm.switch_ratio", ROOF_PARAM_INT, gemm_switch_ratio, "",
      "CPU: OpenBLAS's SWITCH_RATIO: threads split n when n >= 2 x this, and each then streams all of A; 0 or absent = "
      "not modelled",
      0, 1e6, 0),
    P("hw.gemm.serial_bandwidth", ROOF_PARAM_DOUBLE, gemm_serial_bw, "B/s",
      "CPU: in-cache bandwidth of a GEMM run on one thread (serial_mnk); 0 or absent = memory.bandwidth x "
      "efficiency.memory",
      0, INF, POS | ROOF_PARAM_ZERO_OK),
    P("hw.gemm.serial_ridge", ROOF_PARAM_DOUBLE, gemm_serial_ridge, "",
      "CPU: ridge exponent r of a GEMM run on one thread (serial_mnk); 0 or absent = gemm.ridge", 0, 1000,
      POS | ROOF_PARAM_ZERO_OK),
    P("hw.gemm.cache", ROOF_PARAM_DOUBLE, gemm_cache, "B",
      "CPU: last-level cache a GEMM's operands stay in between calls; 1 - cache/footprint of their traffic goes to "
      "DRAM; 0 or absent = all in cache",
      0, INF, POS | ROOF_PARAM_ZERO_OK),
    P("hw.gemm.dram_bandwidth", ROOF_PARAM_DOUBLE, gemm_dram_bw, "B/s",
      "CPU: bandwidth (read + write bytes, as memcpy) of the traffic beyond gemm.cache; its time adds to the GEMM's", 0,
      INF, POS | ROOF_PARAM_ZERO_OK),
    P("hw.kernel.overhead", ROOF_PARAM_DOUBLE, kernel_overhead, "s",
      "fixed time added to every kernel (launch and tail)", 0, 1, REQ | ROOF_PARAM_CONTINUOUS),
    TIER(node, "scale-up tier"),
    /* NCCL's tuning model of the node tier (hw/nccl_tuning.h). */
    ENUM("hw.network.node.arch", node.arch,
         "GPU architecture for NCCL's tuning model of the node tier (gfx942: RCCL's); none = alpha-beta", arch_names),
    ENUM("hw.network.node.link", node.link,
         "what joins the node's GPUs in NCCL's tuning model: nvlink, or pci (PCIe: NCCL's PCI latencies, no LL128)",
         link_names),
    P("hw.network.node.channels", ROOF_PARAM_INT, node.channels, "",
      "ring/tree channels NCCL's topology search finds in one node (with arch)", 0, 1024, 0),
    P("hw.network.node.channel_bandwidth", ROOF_PARAM_DOUBLE, node.channel_bw, "B/s",
      "bandwidth per ring/tree channel (NCCL's bwIntra)", 0, INF, POS | ROOF_PARAM_ZERO_OK),
    P("hw.network.node.nvls_channels", ROOF_PARAM_INT, node.nvls_channels, "",
      "NVLS channels NCCL's topology search finds; 0 or absent = no NVLS in NCCL's model", 0, 1024, 0),
    P("hw.network.node.nvls_channel_bandwidth", ROOF_PARAM_DOUBLE, node.nvls_channel_bw, "B/s",
      "bandwidth per NVLS channel", 0, INF, POS | ROOF_PARAM_ZERO_OK),
    P("hw.network.node.nvls_inter_bandwidth", ROOF_PARAM_DOUBLE, node.nvls_inter_bw, "B/s",
      "the NVLS graph's bwInter inside one node (NCCL's search raises it above bwIntra where its speeds allow); 0 or "
      "absent = nvls_channel_bandwidth",
      0, INF, POS | ROOF_PARAM_ZERO_OK),
    P("hw.network.node.nccl_latency_scale", ROOF_PARAM_DOUBLE, node.nccl_latency_scale, "",
      "residual factor on NCCL's predicted latencies (measured over modelled); 0 or absent = 1", 0, 100,
      POS | ROOF_PARAM_ZERO_OK | ROOF_PARAM_CONTINUOUS),
    P("hw.network.node.bridge_size", ROOF_PARAM_INT, node.bridge_size, "",
      "GPUs joined by NVLink bridges in one group inside a node whose GPUs otherwise meet over PCIe (H100 NVL: 2); "
      "a group of ranks per node within it runs at bridge_bandwidth; 0 or absent = no bridges",
      0, 1024, 0),
    P("hw.network.node.bridge_bandwidth", ROOF_PARAM_DOUBLE, node.bridge_bw, "B/s",
      "achieved rate per GPU per direction over its NVLink bridge (a 2-rank all-reduce's bus bandwidth)", 0, INF,
      POS | ROOF_PARAM_ZERO_OK),
    P("hw.network.node.socket_size", ROOF_PARAM_INT, node.socket_size, "",
      "GPUs behind one CPU socket; a group of more ranks per node crosses the CPU-CPU link; 0 or absent = one "
      "domain",
      0, 1024, 0),
    P("hw.network.node.socket_bandwidth", ROOF_PARAM_DOUBLE, node.socket_bw, "B/s",
      "achieved rate per direction of the CPU-CPU link that a ring across sockets passes (NCCL's topo.h: Sapphire "
      "Rapids 22 GB/s, Emerald Rapids 40, AMD 16); used where below the node tier's own rate",
      0, INF, POS | ROOF_PARAM_ZERO_OK),
    TIER(cluster, "scale-out tier"),
    P("hw.network.cluster.channels", ROOF_PARAM_INT, cluster.channels, "",
      "ring/tree channels of NCCL's graph across nodes (with node.arch); 0 or absent = alpha-beta across nodes", 0,
      1024, 0),
    P("hw.network.cluster.channel_bandwidth", ROOF_PARAM_DOUBLE, cluster.channel_bw, "B/s",
      "bandwidth per channel of NCCL's graph across nodes (its bwInter)", 0, INF, POS | ROOF_PARAM_ZERO_OK),
    P("hw.network.cluster.oversubscription", ROOF_PARAM_DOUBLE, cluster.oversubscription, "",
      "two-tier fat tree: leaf downlink over spine uplink capacity, dividing the bandwidth of a group over more "
      "nodes than leaf_nodes; 0 or absent = 1 (non-blocking)",
      0, 64, POS | ROOF_PARAM_ZERO_OK | ROOF_PARAM_CONTINUOUS),
    P("hw.network.cluster.sharp", ROOF_PARAM_BOOL, cluster.sharp, "",
      "the scale-out switches reduce in-network (InfiniBand SHARP with NCCL's CollNet, NCCL_COLLNET_ENABLE=1): "
      "NCCL's model then also offers CollNetDirect, CollNetChain and NVLS across nodes for all_reduce",
      0, 1, 0),
    P("hw.network.cluster.leaf_nodes", ROOF_PARAM_INT, cluster.leaf_nodes, "",
      "nodes under one leaf switch (per rail in a rail-optimized fabric); 0 or absent = every node under one", 0,
      1000000, 0),
    P("hw.network.node.a2a_latency", ROOF_PARAM_DOUBLE, node.a2a_latency, "s",
      "low-latency all-to-all (parallel.a2a = low_latency): fixed cost of one dispatch or combine", 0, 1,
      ROOF_PARAM_CONTINUOUS),
    P("hw.network.node.a2a_bandwidth", ROOF_PARAM_DOUBLE, node.a2a_bandwidth, "B/s",
      "low-latency all-to-all: per-GPU NVLink rate of its writes to peers in its node; 0 or absent = "
      "network.node.bandwidth x efficiency",
      0, INF, POS | ROOF_PARAM_ZERO_OK),
    /* The host (model/training.c, workload.offload): all optional. */
    P("hw.host.bandwidth", ROOF_PARAM_DOUBLE, host.bandwidth, "B/s",
      "GPU-host link (PCIe, NVLink-C2C) per GPU per direction, for workload.offload; 0 or absent = no offload", 0, INF,
      POS | ROOF_PARAM_ZERO_OK),
    P("hw.host.memory_bandwidth", ROOF_PARAM_DOUBLE, host.memory_bandwidth, "B/s",
      "host DRAM bandwidth per GPU (its share of the CPU sockets'), which an offloaded optimizer step runs at; 0 or "
      "absent = no offload",
      0, INF, POS | ROOF_PARAM_ZERO_OK),
    P("hw.host.memory", ROOF_PARAM_DOUBLE, host.memory, "B",
      "host DRAM per GPU, which the offloaded optimizer states must fit; 0 or absent = not checked", 0, INF,
      POS | ROOF_PARAM_ZERO_OK),
    P("hw.price.usd_per_hour", ROOF_PARAM_DOUBLE, price_usd_per_hour, "USD/h", "price per GPU-hour", 0, INF,
      REQ | ROOF_PARAM_CONTINUOUS),
    P("hw.power.watts", ROOF_PARAM_DOUBLE, power_watts, "W", "power per GPU (board TDP)", 0, INF, REQ | POS),
    /* Owning (model/cost.c). Each optional; an absent one takes its
     * default (.def), cited here:
     * - years 5: assumption: the useful life Amazon gives its servers from
     *   2025 (5 years; Microsoft and Alphabet use 6); accelerators may age
     *   faster, set your own.
     * - interest 0.08: assumption: a cost of capital of 8% a year; set your
     *   own.
     * - utilisation 0.7: assumption: 70% of hours in paid work; set your own.
     * - pue 1.56: Uptime Institute Global Data Center Survey 2024, average
     *   annual PUE 1.56 at respondents' largest site (1.58 in 2023,
     *   intelligence.uptimeinstitute.com); new AI halls run 1.1-1.3.
     * - usd_per_kwh 0.0806: U.S. EIA, average retail price to industrial
     *   consumers in 2023, 8.06 cents/kWh (Electric Power Annual, via
     *   statista.com/statistics/190680).
     * - hosting_usd_per_kw_month 184.06: CBRE North America Data Center
     *   Trends H2 2024, average asking rate for a 250-500 kW requirement in
     *   primary markets, $184.06 per kW per month (energy billed apart). */
    P("hw.cost.gpu_usd", ROOF_PARAM_DOUBLE, cost.gpu_usd, "USD",
      "purchase price per GPU; 0 or absent = owning is not priced", 0, INF, ROOF_PARAM_CONTINUOUS),
    P("hw.cost.server_usd", ROOF_PARAM_DOUBLE, cost.server_usd, "USD",
      "purchase price per server (or rack) without its GPUs, shared by cost.server_gpus", 0, INF,
      ROOF_PARAM_CONTINUOUS),
    P("hw.cost.server_gpus", ROOF_PARAM_INT, cost.server_gpus, "", "GPUs per server; 0 or absent = network.node.size",
      0, 1e9, 0),
    PD("hw.cost.years", ROOF_PARAM_DOUBLE, cost.years, "", "amortisation period in years (default 5)", 0, 100, POS,
       5.0),
    PD("hw.cost.interest", ROOF_PARAM_DOUBLE, cost.interest, "", "annual cost of capital, 0.08 = 8% (default 0.08)", 0,
       1, ROOF_PARAM_CONTINUOUS, 0.08),
    PD("hw.cost.utilisation", ROOF_PARAM_DOUBLE, cost.utilisation, "",
       "fraction of hours an owned GPU does paid work (default 0.7)", 0, 1, POS, 0.7),
    P("hw.cost.load_watts", ROOF_PARAM_DOUBLE, cost.load_watts, "W",
      "power per GPU at load with its share of the server; 0 or absent = power.watts x 10.2 kW / (8 x 700 W) (DGX "
      "H100 datasheet)",
      0, INF, POS | ROOF_PARAM_ZERO_OK),
    PD("hw.cost.pue", ROOF_PARAM_DOUBLE, cost.pue, "", "facility power over IT power (default 1.56)", 1, 10,
       ROOF_PARAM_CONTINUOUS, 1.56),
    PD("hw.cost.usd_per_kwh", ROOF_PARAM_DOUBLE, cost.usd_per_kwh, "USD/kWh", "energy price (default 0.0806)", 0, 100,
       ROOF_PARAM_CONTINUOUS, 0.0806),
    PD("hw.cost.hosting_usd_per_kw_month", ROOF_PARAM_DOUBLE, cost.hosting_usd_per_kw_month, "USD",
       "hosting (space, cooling, power capacity) per kW of IT load per month (default 184.06)", 0, 1e6,
       ROOF_PARAM_CONTINUOUS, 184.06),
};

const roof_param_table roof_hw_params = {"hw", params, sizeof params / sizeof params[0]};

const char *roof_hw_eff_path(const roof_hw *hw, roof_dtype dt)
{
    static const char *const paths[ROOF_GEMM_LIB_COUNT][2] = {
        {"hw.efficiency.compute", "hw.efficiency.fp8"},
        {"hw.efficiency.deepgemm.compute", "hw.efficiency.deepgemm.fp8"},
        {"hw.efficiency.cutlass.compute", "hw.efficiency.cutlass.fp8"}};
    int eight = dt == ROOF_DT_FP8 || dt == ROOF_DT_INT8;
    unsigned lib = (unsigned)hw->gemm_library;
    if (lib != ROOF_GEMM_LIB_CUBLASLT && lib < ROOF_GEMM_LIB_COUNT && hw->eff_library[lib][eight] > 0.0)
        return paths[lib][eight];
    return eight && hw->eff_fp8 > 0.0 ? paths[0][1] : paths[0][0];
}

const char *roof_hw_attn_eff_path(const roof_hw *hw, roof_dtype dt)
{
    int eight = dt == ROOF_DT_FP8 || dt == ROOF_DT_INT8;
    if (!eight && hw->attn_kernel == ROOF_ATTN_KERNEL_FA2 && hw->eff_attention_fa2 > 0.0)
        return "hw.efficiency.attention_fa2";
    return !eight && hw->eff_attention > 0.0 ? "hw.efficiency.attention" : roof_hw_eff_path(hw, dt);
}
