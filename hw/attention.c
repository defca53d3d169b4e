/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fused attention's time (hw/attention.h).
 *
 * A FlashAttention kernel runs, for each tile of queries, a loop over the
 * blocks of keys: two matmuls on the tensor cores (S = Q K^T, O += P V)
 * with the online softmax between them (Dao 2023, arXiv 2307.08691,
 * Algorithm 1). One fraction of the tensor peak (hw.efficiency.attention)
 * leaves two measured trends unexplained (docs/validation.md, "Attention
 * kernels"): head dim 64 and short causal sequences run slower than head
 * dim 128 and long ones. Two costs account for them; the backward has a
 * rate of its own.
 *
 * The exponentials. Every score is exponentiated once (the forward's
 * softmax; the backward recomputes P from the saved log-sum-exp, Dao 2023
 * Algorithm 2) on the special function units, not the tensor cores: 16
 * results per clock per SM (CUDA C++ Programming Guide, "Arithmetic
 * Instructions" throughput table, exp2f, compute capability 7.0 to 9.0),
 * and on Blackwell too, whose tensor rate doubled while "both the SFU
 * count and shared memory bandwidth remains unchanged" (together.ai blog
 * "FlashAttention-4", Zadouri, Hoehnerbach, Shah, Liu, Thakkar, Dao). On
 * H100 SXM5 that is "989 TFLOPS of FP16 matmul but only 3.9 TFLOPS of
 * special functions such as exponential" (Shah et al. 2024, arXiv
 * 2407.08608, Sec. 3.2): at head dim 64 a score's 4 x 64 matmul FLOPs
 * take as long as its exponential. The profile's rate
 * (hw.attention.exp_rate) is the 16-bit tensor peak times 16 over the
 * tensor FLOPs per SM per clock (2048 Ampere, 4096 Hopper, 8192
 * Blackwell), the same clock and SM count.
 * The kernels overlap the two, in part: FlashAttention-3's ping-pong
 * schedule runs one warpgroup's softmax under the other's GEMMs and
 * overlaps softmax with GEMMs inside a warpgroup (Shah et al. 2024 Sec.
 * 3.1-3.2), FlashAttention-4 overlaps them and emulates some exponentials
 * on the FMA units (together.ai blog), FlashAttention-2 leaves it to the
 * warp scheduler. So the compute time is the longer of the matmul and
 * exponential times plus the share hw.attention.exp_exposed of the
 * shorter: 0 when the longer hides it all, 1 when they run one after the
 * other. One value for every profile, fitted on the FlashAttention rows
 * of all three generations (no generation's rows alone can tell it from
 * its attention fraction): 0.0841, nearly full overlap. The exponentials
 * are then the longer on Blackwell at head dim 64 (0.23 ps a score against
 * 0.18 ps of matmuls at the fitted fraction) and add 2-5% on Hopper, whose
 * FlashAttention-3 reaches 0.77 of its head dim 128 throughput at head
 * dim 64 (Shah et al. Fig. 5, 497 against 648 TFLOP/s at 16k): more than
 * this accounts for (its d = 64 rows stay 4-23% too fast).
 *
 * The query tile. Each tile of queries loads Q, writes O, rescales its
 * accumulator and fills and drains its software pipeline once, however
 * many keys it attends to (Dao 2023 Algorithm 1, lines 4-15; Shah et al.
 * 2024 Sec. 3.1, the producer-consumer pipeline). The profile gives that
 * fixed cost as the keys whose work takes as long (hw.attention.
 * tile_keys), fitted on each generation's FlashAttention rows: a query
 * attending to `keys` keys pays tile_keys / keys more, which short causal
 * sequences (keys = s / 2) feel and long ones do not.
 *
 * The backward. Its kernel is another loop (over key blocks, the query
 * blocks inside: Dao 2023 Algorithm 2) with five matmuls and the dS
 * computation, and other bottlenecks (shared memory traffic on Blackwell:
 * together.ai "FlashAttention-4"), so it reaches another share of the
 * peak: on H100, FlashAttention-3's backward reaches 561 TFLOP/s at head
 * dim 128 and 16k where its forward reaches 648 (Shah et al. 2024, the
 * backward and forward speed figures of Sec. 4.1). hw.attention.backward
 * is its matmul rate over the forward's; the exponentials (recomputed
 * once) and the query tiles are as in the forward.
 *
 * The waves (hw.attention.kernel = cudnn). A FlashAttention forward runs
 * one thread block per tile of 128 queries of one sequence and head, which
 * walks every key the tile sees (Dao 2023 Sec. 3.2: parallel over batch,
 * heads and query blocks); a prefill with few of them (a short chunk over
 * a long cache, or the 8 heads a GPU keeps at tensor parallel 8) leaves
 * SMs idle. FlashAttention then splits the keys as well
 * (flash-attention csrc/flash_attn/flash_api.cpp num_splits_heuristic,
 * used when the tiles fill less than 80% of the SMs), so its kernels are
 * not given this term. cuDNN's fused flash attention, in cudnn-frontend's
 * H200 prefill sweep (cuDNN 9.27), does not split: a chunk of 256, 512
 * and 1024 queries of 8 heads over 131072 keys takes 1715, 1716 and 1722
 * us, as long as 64 heads at 256 queries (1752 us: 128 tiles on the 132
 * SMs), twice that at 512 (3467 us), four times at 1024 (6946 us). So for
 * that kernel, a prefill's forward runs its b h ceil(s_q / 128) tiles
 * (roof_attn_work.tiles: counted by model/ops.c for the prefill only) in
 * waves of one per SM (hw.gemm.units), and its matmuls and exponentials
 * take the time of the waves: the compute time over tiles / (waves x
 * SMs), at most the SMs' count times it. Decode kernels (speculative ones
 * too) split the keys (flash-decoding) and are given no tiles.
 * The stream. A decode step reads the whole KV cache once and does little
 * with it (one query per sequence and head): its time is the memory time,
 * at the share of the bandwidth the decode kernel reaches, which is not a
 * copy kernel's (hw.attention.memory; 0 = efficiency.memory). And each
 * sequence and KV head is a unit of the kernel's work that loads its
 * queries, reduces its partial results and writes its output once however
 * many keys it reads: TensorRT-LLM's XQA launches a grid of multi_block x
 * num_kv_heads x batch_size thread blocks after the preprocessing kernel
 * that applies RoPE and appends the new K and V (NVIDIA/TensorRT-LLM
 * cpp/tensorrt_llm/kernels/decoderMaskedMultiheadAttention/
 * decoderXQAImplPrecompiled.cpp, run()), and flash-decoding splits each
 * sequence's keys the same way (Dao, Haziza, Massa, Sizov, "Flash-Decoding
 * for long-context inference", Stanford CRFM / PyTorch blog, Oct 2023).
 * hw.attention.unit_keys gives that fixed cost as the keys whose
 * streaming takes as long, so a cache of `keys` keys costs unit_keys /
 * keys more, which short caches feel. Both fitted per GPU on
 * AIConfigurator's TensorRT-LLM decode steps (corpus/attention.csv;
 * docs/validation.md "Decode attention"). They apply to a decode kernel
 * only (no query tiles, not the backward): a prefill and the backward keep
 * efficiency.memory, as the kernels the terms were fitted on are not
 * theirs. */
#include "hw/attention.h"

#include <math.h>

roof_attn_work roof_attn_backward(const roof_attn_work *forward)
{
    roof_attn_work b = *forward;
    b.flops *= ROOF_ATTN_BWD_FLOPS;
    b.bytes *= ROOF_ATTN_BWD_BYTES;
    b.backward = 1;
    return b;
}

double roof_attention_waves(const roof_hw *hw, const roof_attn_work *w)
{
    if (hw->attn_kernel != ROOF_ATTN_KERNEL_CUDNN || w->backward || !(w->tiles >= 1.0) || hw->units <= 0)
        return 0.0;
    return ceil(ceil(w->tiles) / (double)hw->units);
}

int roof_attention_time(const roof_hw *hw, const roof_attn_work *w, roof_dtype dtype, int flags, roof_kernel_time *out,
                        roof_error *err)
{
    int rc = roof_roofline_time(hw, w->flops, w->bytes, dtype, flags | ROOF_KERNEL_ATTENTION, out, err);
    if (rc != ROOF_OK || (flags & ROOF_GEMM_IDEAL))
        return rc;
    /* (max(matmul, exp) + exposed x min(matmul, exp)) x (1 + tile_keys / keys) */
    double compute = out->compute_time_s;
    if (w->backward && hw->attn_backward > 0.0)
        compute /= hw->attn_backward;
    if (hw->attn_exp_rate > 0.0 && w->pairs > 0.0) {
        double exps = w->pairs / hw->attn_exp_rate;
        compute = fmax(compute, exps) + hw->attn_exp_exposed * fmin(compute, exps);
    }
    if (hw->attn_tile_keys > 0.0 && w->keys > 0.0)
        compute *= 1.0 + hw->attn_tile_keys / w->keys;
    double waves = roof_attention_waves(hw, w);
    if (waves > 0.0)
        compute *= waves * (double)hw->units / ceil(w->tiles);
    /* A decode kernel: bytes / (bandwidth x attention.memory) x (1 +
     * unit_keys / keys). */
    int decode = roof_attn_is_decode(w);
    if (decode && hw->attn_memory > 0.0 && hw->eff_memory > 0.0)
        out->memory_time_s *= hw->eff_memory / hw->attn_memory;
    if (decode && hw->attn_unit_keys > 0.0 && w->keys > 0.0)
        out->memory_time_s *= 1.0 + hw->attn_unit_keys / w->keys;
    out->compute_time_s = compute;
    out->bound = compute >= out->memory_time_s ? ROOF_BOUND_COMPUTE : ROOF_BOUND_MEMORY;
    out->time_s = (out->bound == ROOF_BOUND_COMPUTE ? compute : out->memory_time_s) + out->overhead_s;
    return ROOF_OK;
}
