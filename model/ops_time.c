/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Timing the op lists (declared in model/ops.h): each op on the hardware
 * by its kind (Get_Time for a GEMM, hw/attention.c for fused attention,
 * the roofline for elementwise ops, the collective model for a
 * collective), the weight dequantization of quantized GEMMs, the sustained
 * derate, and the memo of op times the serving searches keep. model/ops.c
 * builds the lists. */
#include "model/ops.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/hash.h"
#include "hw/attention.h"
#include "model/error_model.h"

/* Operations per weight element to dequantize it in registers: an integer
 * or fp4 to half conversion and a multiply-add with its scale and zero
 * point. Assumption: the two-instruction sequences of Marlin's (Frantar et
 * al. 2024, "MARLIN", Sec. 3.2) and FasterTransformer's conversions, one
 * per element on the vector units. */
#define DEQUANT_OPS_PER_ELEM 2.0

/* Weight-only quantized GEMM: every block of tile_m rows of C dequantizes
 * the weights it reads again, on the vector units (the fp32 peak). Marlin
 * (Sec. 3) overlaps this with the loads of the next tiles, so it costs
 * time only beyond the memory time: max(memory, compute + dequant) in
 * place of max(memory, compute). Decode (few rows, memory-bound) hides it;
 * large-batch prefill pays it. */
double roof_op_dequant_s(const roof_hw *hw, const roof_gemm *g, double dequant_elems, const roof_gemm_time *t)
{
    if (!(dequant_elems > 0.0))
        return 0.0;
    double peak = hw->compute[ROOF_DT_FP32] > 0.0 ? hw->compute[ROOF_DT_FP32] : hw->compute[g->dtype];
    double tile_m = hw->tile_m > 0 ? (double)hw->tile_m : 128.0;
    double blocks = ceil(g->m / tile_m);
    double dq = DEQUANT_OPS_PER_ELEM * dequant_elems * blocks / (peak * hw->eff_compute);
    double hi = t->compute_time_s > t->memory_time_s ? t->compute_time_s : t->memory_time_s;
    double extra = t->compute_time_s + dq - hi;
    return extra > 0.0 ? extra : 0.0;
}

void roof_op_memo_init(roof_op_memo *m)
{
    if (++m->gen == 0) { /* once in 2^32: the slots' generations wrap */
        memset(m->slot, 0, sizeof m->slot);
        m->gen = 1;
    }
    m->used = 0;
}

static uint64_t bits_of(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* A field added to roof_gemm or roof_comm must join the key below (or the
 * memo would hand one op's time to another): these fail the build first. */
_Static_assert(sizeof(roof_gemm) == 4 * sizeof(double) + 2 * sizeof(int) + sizeof(double),
               "roof_gemm changed: key its new fields in memo_key");
_Static_assert(sizeof(roof_comm) == 6 * 8, "roof_comm changed: key its new fields in memo_key");

/* The memo's key of o: every field its hw function reads. 0: not kept (a
 * dequantizing GEMM, whose time needs the full Get_Time; elementwise and
 * fused ops, one roofline each, cheaper to time than to look up). */
static int memo_key(const roof_op *o, roof_op_memo_slot *k)
{
    /* Field by field, not memset: this runs for every op timed. */
    k->kind = (int)o->kind;
    if (o->kind == ROOF_OP_GEMM && !(o->dequant_elems > 0.0)) {
        const roof_gemm *g = &o->gemm;
        k->d[0] = g->batch, k->d[1] = g->m, k->d[2] = g->k, k->d[3] = g->n, k->d[4] = g->b_elem_bytes;
        k->i[0] = (int64_t)g->dtype, k->i[1] = g->shared_b, k->i[2] = 0, k->i[3] = 0;
        return 1;
    }
    if (o->kind == ROOF_OP_COMM) {
        const roof_comm *c = &o->comm;
        k->d[0] = c->bytes, k->d[1] = k->d[2] = k->d[3] = k->d[4] = 0.0;
        k->i[0] = (int64_t)c->op, k->i[1] = c->group, k->i[2] = c->nodes;
        k->i[3] = (int64_t)c->algo | (int64_t)c->proto << 8 | (int64_t)c->a2a_mode << 16;
        return 1;
    }
    return 0;
}

static int memo_same(const roof_op_memo_slot *a, const roof_op_memo_slot *b)
{
    for (int i = 0; i < 5; i++)
        if (bits_of(a->d[i]) != bits_of(b->d[i]))
            return 0;
    for (int i = 0; i < 4; i++)
        if (a->i[i] != b->i[i])
            return 0;
    return a->kind == b->kind;
}

/* The slot of key k: the one holding it, else the empty one to fill. */
static roof_op_memo_slot *memo_slot(roof_op_memo *m, const roof_op_memo_slot *k)
{
    /* Each field times its own odd constant, summed (independent
     * multiplies, not one chain through the fields), then mixed once: the
     * probe's address is known a few cycles after the key. */
    static const uint64_t odd[9] = {
        UINT64_C(0x9e3779b97f4a7c15), UINT64_C(0xc2b2ae3d27d4eb4f), UINT64_C(0x165667b19e3779f9),
        UINT64_C(0xd6e8feb86659fd93), UINT64_C(0xff51afd7ed558ccd), UINT64_C(0xc4ceb9fe1a85ec53),
        UINT64_C(0x27d4eb2f165667c5), UINT64_C(0x85ebca77c2b2ae63), UINT64_C(0x94d049bb133111eb)};
    uint64_t h = (uint64_t)k->kind;
    for (int i = 0; i < 5; i++)
        h += bits_of(k->d[i]) * odd[i];
    for (int i = 0; i < 4; i++)
        h += (uint64_t)k->i[i] * odd[5 + i];
    h = roof_mix64(h);
    for (uint64_t i = h & (ROOF_OP_MEMO_SLOTS - 1);; i = (i + 1) & (ROOF_OP_MEMO_SLOTS - 1)) {
        roof_op_memo_slot *s = &m->slot[i];
        if (s->gen != m->gen || memo_same(s, k))
            return s;
    }
}

static int time_op(const roof_hw *hw, roof_op *o, roof_dtype dt, roof_error *err);

/* time_op through the memo: a kept time where the memo holds the op's
 * inputs, else time_op's, kept. The count is applied after. */
static int time_op_memo(roof_op_memo *m, const roof_hw *hw, roof_op *o, roof_dtype dt, roof_error *err)
{
    roof_op_memo_slot k;
    if (!memo_key(o, &k))
        return time_op(hw, o, dt, err);
    roof_op_memo_slot *s = memo_slot(m, &k);
    if (s->gen == m->gen) {
        m->hits++;
        o->time_s = s->time_s * o->count;
        o->bound = (roof_op_bound)s->bound;
        return ROOF_OK;
    }
    double count = o->count;
    o->count = 1.0;
    int rc = time_op(hw, o, dt, err);
    o->count = count;
    if (rc != ROOF_OK)
        return rc;
    m->misses++;
    if (m->used >= ROOF_OP_MEMO_SLOTS / 2) {
        roof_op_memo_init(m); /* full: start again (the slot may have moved: kept next time) */
    } else {
        k.time_s = o->time_s;
        k.bound = (int)o->bound;
        k.gen = m->gen;
        *s = k;
        m->used++;
    }
    o->time_s *= count;
    return ROOF_OK;
}

roof_attn_work roof_op_attn_work(const roof_op *o)
{
    return (roof_attn_work){.flops = o->flops,
                            .bytes = o->bytes,
                            .pairs = o->attn_pairs,
                            .keys = o->attn_keys,
                            .tiles = o->attn_tiles,
                            .backward = o->pass == ROOF_PASS_BWD};
}

roof_dtype roof_op_dtype(const roof_hw *hw, const roof_op *o, roof_dtype compute)
{
    if (o->kind == ROOF_OP_GEMM)
        return o->gemm.dtype;
    if (o->kind == ROOF_OP_FUSED)
        return o->attn_dtype;
    if (o->kind == ROOF_OP_ELEMWISE && hw->compute[ROOF_DT_FP32] > 0.0)
        return ROOF_DT_FP32;
    return compute;
}

static int time_op(const roof_hw *hw, roof_op *o, roof_dtype dt, roof_error *err)
{
    switch (o->kind) {
    case ROOF_OP_GEMM: {
        roof_gemm_time t;
        int rc = roof_gemm_time_of(hw, &o->gemm, o->dequant_elems > 0.0 ? 0 : ROOF_GEMM_TIME_ONLY, &t, err);
        if (rc != ROOF_OK)
            return rc;
        o->time_s = t.time_s + roof_op_dequant_s(hw, &o->gemm, o->dequant_elems, &t);
        o->bound = t.bound == ROOF_BOUND_COMPUTE ? ROOF_OP_BOUND_COMPUTE : ROOF_OP_BOUND_MEMORY;
        break;
    }
    case ROOF_OP_FUSED:
    case ROOF_OP_ELEMWISE: {
        /* Elementwise arithmetic runs on the vector units (the fp32 peak where
         * the profile gives one); fused attention on the tensor cores, with
         * its exponentials and query tiles (hw/attention.c). */
        roof_kernel_time t;
        int rc;
        if (o->kind == ROOF_OP_FUSED) {
            roof_attn_work w = roof_op_attn_work(o);
            rc = roof_attention_time(hw, &w, roof_op_dtype(hw, o, dt), 0, &t, err);
        } else
            rc = roof_roofline_time(hw, o->flops, o->bytes, roof_op_dtype(hw, o, dt), 0, &t, err);
        if (rc != ROOF_OK)
            return rc;
        o->time_s = t.time_s;
        o->bound = t.bound == ROOF_BOUND_COMPUTE ? ROOF_OP_BOUND_COMPUTE : ROOF_OP_BOUND_MEMORY;
        break;
    }
    case ROOF_OP_COMM: {
        roof_comm_time t;
        int rc = roof_comm_time_of(hw, &o->comm, &t, err);
        if (rc != ROOF_OK)
            return rc;
        o->time_s = t.time_s;
        o->bound = ROOF_OP_BOUND_NETWORK;
        break;
    }
    }
    o->time_s *= o->count;
    return ROOF_OK;
}

const roof_hw *roof_ops_hw(const roof_hw *hw, roof_hw *derated)
{
    if (!(hw->eff_sustained > 0.0) || hw->eff_sustained == 1.0)
        return hw;
    *derated = *hw;
    derated->eff_compute *= hw->eff_sustained;
    derated->eff_fp8 *= hw->eff_sustained;       /* 0 (= eff_compute, derated above) stays 0 */
    derated->eff_attention *= hw->eff_sustained; /* likewise */
    derated->eff_attention_fa2 *= hw->eff_sustained;
    for (int l = 0; l < ROOF_GEMM_LIB_COUNT; l++) /* a library's fractions too (0 stays 0) */
        for (int c = 0; c < 2; c++)
            derated->eff_library[l][c] *= hw->eff_sustained;
    return derated;
}

int roof_ops_time(const roof_scenario *s, roof_phase_ops *ops, roof_error *err)
{
    /* A whole workload runs its kernels back to back for seconds to days:
     * the compute efficiency of an isolated GEMM benchmark (the profile's
     * efficiency.compute) times the sustained fraction. */
    roof_hw derated;
    const roof_hw *hw;
    roof_op_memo *m = s->op_memo;
    if (m && memcmp(&m->from, &s->hw, sizeof s->hw) == 0) {
        hw = &m->hw; /* the same profile: its derate, made before */
    } else {
        hw = roof_ops_hw(&s->hw, &derated);
        if (m) {
            roof_op_memo_init(m); /* times of another hw */
            m->from = s->hw;
            m->hw = *hw;
            hw = &m->hw;
        }
    }
    roof_dtype dt = roof_workload_dt(&s->workload, ROOF_TENSOR_COMPUTE);
    roof_op_list *lists[] = {&ops->dense, &ops->moe, &ops->first, &ops->last, &ops->send};
    for (int i = 0; i < 5; i++) {
        double sum = 0.0;
        for (int j = 0; j < lists[i]->n; j++) {
            roof_op *o = &lists[i]->ops[j];
            int rc = m ? time_op_memo(m, hw, o, dt, err) : time_op(hw, o, dt, err);
            if (rc != ROOF_OK)
                return rc;
            if (s->op_scale) /* one error draw: the op's regime's factor */
                lists[i]->ops[j].time_s *= s->op_scale[roof_op_regime(&lists[i]->ops[j])];
            sum += lists[i]->ops[j].time_s;
        }
        lists[i]->time_s = sum;
    }
    return ROOF_OK;
}
