/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A Hugging Face config.json as model.* and workload.* assignments. The
 * field names are those of the transformers configuration classes
 * (huggingface/transformers, src/transformers/models/<family>/
 * configuration_<family>.py): LlamaConfig, MistralConfig, MixtralConfig,
 * Qwen2Config, Qwen2MoeConfig, Qwen3Config, Qwen3MoeConfig,
 * DeepseekV3Config, Gemma2Config, Gemma3TextConfig, GptOssConfig,
 * Phi3Config. */
#include "cli/hf_config.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef enum {
    F_LLAMA,
    F_MISTRAL,
    F_MIXTRAL,
    F_QWEN2,
    F_QWEN2_MOE,
    F_QWEN3,
    F_QWEN3_MOE,
    F_DEEPSEEK,
    F_GEMMA2,
    F_GEMMA3,
    F_GPT_OSS,
    F_PHI3,
    F_COUNT
} family;

static const struct {
    const char *model_type;
    family f;
} families[] = {
    {"llama", F_LLAMA},         {"mistral", F_MISTRAL},      {"mixtral", F_MIXTRAL},
    {"qwen2", F_QWEN2},         {"qwen2_moe", F_QWEN2_MOE},  {"qwen3", F_QWEN3},
    {"qwen3_moe", F_QWEN3_MOE}, {"deepseek_v3", F_DEEPSEEK}, {"deepseek_v2", F_DEEPSEEK},
    {"gemma2", F_GEMMA2},       {"gemma3_text", F_GEMMA3},   {"gpt_oss", F_GPT_OSS},
    {"phi3", F_PHI3},
};

/* Fields every family's file may carry that this model does not cost:
 * token ids, RoPE and norm constants, initialisation, router losses and
 * routing rules (top-k is what costs), logit soft-capping, bookkeeping. The
 * biases (attention_bias, mlp_bias) are under 0.1% of the weights of every
 * model read here. num_nextn_predict_layers: DeepSeek-V3's MTP module,
 * costed only when workload.spec.method = "mtp" (model/spec.c). */
static const char *const harmless[] = {"architectures",
                                       "attention_bias",
                                       "attention_dropout",
                                       "auto_map",
                                       "bos_token_id",
                                       "eos_token_id",
                                       "pad_token_id",
                                       "initializer_range",
                                       "max_position_embeddings",
                                       "rms_norm_eps",
                                       "rope_theta",
                                       "rope_scaling",
                                       "rope_parameters",
                                       "use_cache",
                                       "transformers_version",
                                       "pretraining_tp",
                                       "mlp_bias",
                                       "output_router_logits",
                                       "router_aux_loss_coef",
                                       "router_jitter_noise",
                                       "norm_topk_prob",
                                       "scoring_func",
                                       "topk_method",
                                       "n_group",
                                       "topk_group",
                                       "routed_scaling_factor",
                                       "ep_size",
                                       "aux_loss_alpha",
                                       "seq_aux",
                                       "num_nextn_predict_layers",
                                       "initial_context_length",
                                       "swiglu_limit",
                                       "query_pre_attn_scalar",
                                       "attn_logit_softcapping",
                                       "final_logit_softcapping",
                                       "rope_local_base_freq",
                                       "cache_implementation",
                                       "embd_pdrop",
                                       "resid_pdrop",
                                       "original_max_position_embeddings",
                                       "partial_rotary_factor",
                                       "torch_dtype",
                                       "dtype",
                                       "_name_or_path",
                                       "use_qk_norm",
                                       "model_type",
                                       NULL};

/* Fields read for every family. */
static const char *const common[] = {
    "num_hidden_layers", "hidden_size",       "num_attention_heads", "num_key_value_heads",
    "head_dim",          "intermediate_size", "vocab_size",          "tie_word_embeddings",
    "hidden_act",        "hidden_activation", "quantization_config", NULL};
static const char *const windows[] = {"sliding_window",
                                      "use_sliding_window",
                                      "max_window_layers",
                                      "layer_types",
                                      "sliding_window_pattern",
                                      "_sliding_window_pattern",
                                      NULL};
static const char *const moe_mixtral[] = {"num_local_experts", "num_experts_per_tok", "experts_per_token", NULL};
static const char *const moe_qwen[] = {"num_experts",
                                       "num_experts_per_tok",
                                       "moe_intermediate_size",
                                       "decoder_sparse_step",
                                       "mlp_only_layers",
                                       "shared_expert_intermediate_size",
                                       NULL};
static const char *const moe_deepseek[] = {"n_routed_experts",
                                           "num_experts_per_tok",
                                           "moe_intermediate_size",
                                           "n_shared_experts",
                                           "first_k_dense_replace",
                                           "moe_layer_freq",
                                           "q_lora_rank",
                                           "kv_lora_rank",
                                           "qk_rope_head_dim",
                                           "qk_nope_head_dim",
                                           "v_head_dim",
                                           NULL};
/* Gemma 3's multimodal wrapper: the text model is text_config; the vision
 * tower (SigLIP, 0.4B) costs only for images, which no workload here has. */
static const char *const gemma3_wrapper[] = {
    "text_config",       "vision_config",       "boi_token_index",   "eoi_token_index",
    "image_token_index", "mm_tokens_per_image", "initializer_range", NULL};

static int in(const char *const *list, const char *key)
{
    for (; *list; list++)
        if (strcmp(*list, key) == 0)
            return 1;
    return 0;
}

static int known(family f, const char *key)
{
    if (in(harmless, key) || in(common, key))
        return 1;
    int win = f != F_LLAMA && f != F_DEEPSEEK;
    if (win && in(windows, key))
        return 1;
    if ((f == F_MIXTRAL || f == F_GPT_OSS) && in(moe_mixtral, key))
        return 1;
    if ((f == F_QWEN2_MOE || f == F_QWEN3_MOE) && in(moe_qwen, key))
        return 1;
    return f == F_DEEPSEEK && in(moe_deepseek, key);
}

typedef struct ctx {
    const char *path;
    roof_hf_model *m;
    roof_error *err;
} ctx;

static int add(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add(ctx *c, const char *fmt, ...)
{
    if (c->m->nsets >= ROOF_HF_MAX_SETS)
        return roof_error_set(c->err, ROOF_ERR_RUNTIME, c->path, "too many settings");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->m->sets[c->m->nsets++], ROOF_HF_SET_LEN, fmt, ap);
    va_end(ap);
    return ROOF_OK;
}

/* An integer field >= 0: *v, or dflt when absent or null (required: an
 * error instead). */
static int get_int(ctx *c, const json_t *o, const char *key, int required, long long dflt, long long *v)
{
    const json_t *j = json_object_get(o, key);
    if (!j || json_is_null(j)) {
        if (required)
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path, "field '%s' is missing", key);
        *v = dflt;
        return ROOF_OK;
    }
    if (!json_is_integer(j) || json_integer_value(j) < 0)
        return roof_error_set(c->err, ROOF_ERR_INPUT, c->path, "field '%s' must be a whole number >= 0", key);
    *v = (long long)json_integer_value(j);
    return ROOF_OK;
}

static const char *get_str(const json_t *o, const char *key)
{
    const json_t *j = json_object_get(o, key);
    return json_is_string(j) ? json_string_value(j) : NULL;
}

static int check_fields(ctx *c, const json_t *o, family f, const char *prefix)
{
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        (void)v;
        if (!known(f, key))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field '%s%s' is not understood (it may change the cost; a field llmroof does "
                                  "not read is an error, not a guess)",
                                  prefix, key);
    }
    return ROOF_OK;
}

/* layer_types as window/global_every: layer i (from 0) global when
 * (i + 1) % k == 0, as Gemma 2/3 and GPT-OSS lay them out. */
static int layer_types(ctx *c, const json_t *lt, long long layers, long long *global_every, int *any_local)
{
    size_t n = json_array_size(lt);
    if (!json_is_array(lt) || (long long)n != layers)
        return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                              "field 'layer_types' must list num_hidden_layers (%lld) entries", layers);
    long long first_global = 0, nlocal = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = json_string_value(json_array_get(lt, i));
        int local = t && strcmp(t, "sliding_attention") == 0;
        if (!t || (!local && strcmp(t, "full_attention") != 0))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'layer_types[%zu]' is not understood (expected \"sliding_attention\" or "
                                  "\"full_attention\")",
                                  i);
        nlocal += local;
        if (!local && !first_global)
            first_global = (long long)i + 1;
    }
    *any_local = nlocal > 0;
    *global_every = nlocal == (long long)n ? 0 : first_global;
    for (size_t i = 0; nlocal > 0 && first_global && i < n; i++) {
        int local = strcmp(json_string_value(json_array_get(lt, i)), "sliding_attention") == 0;
        if (local == ((long long)(i + 1) % first_global == 0))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'layer_types': only 'every k-th layer global' patterns are modelled "
                                  "(layer %zu breaks every %lld)",
                                  i, first_global);
    }
    return ROOF_OK;
}

static int attention_window(ctx *c, const json_t *o, family f, long long layers)
{
    long long window = 0, every = 0;
    if (f == F_QWEN2 || f == F_QWEN2_MOE || f == F_QWEN3 || f == F_QWEN3_MOE) {
        /* Qwen's sliding_window is read only with use_sliding_window. */
        if (json_is_true(json_object_get(o, "use_sliding_window")))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'use_sliding_window' = true is not understood (Qwen's max_window_layers "
                                  "split is not modelled)");
    } else if (f != F_LLAMA && f != F_DEEPSEEK) {
        if (get_int(c, o, "sliding_window", 0, 0, &window) != ROOF_OK)
            return c->err->code;
        const json_t *lt = json_object_get(o, "layer_types");
        if (window && lt && !json_is_null(lt)) {
            int any_local = 0;
            if (layer_types(c, lt, layers, &every, &any_local) != ROOF_OK)
                return c->err->code;
            if (!any_local)
                window = 0;
        } else if (window && f == F_GEMMA2) {
            every = 2; /* Gemma2DecoderLayer: even layers local */
        } else if (window && f == F_GEMMA3) {
            long long p = 0;
            if (get_int(c, o, "sliding_window_pattern", 0, 0, &p) != ROOF_OK ||
                (!p && get_int(c, o, "_sliding_window_pattern", 0, 6, &p) != ROOF_OK))
                return c->err->code;
            every = p; /* Gemma3TextConfig: global when (i + 1) % pattern == 0 */
        } else if (window && f == F_GPT_OSS) {
            every = 2; /* GptOssConfig's default layer_types */
        }
    }
    if (add(c, "model.window=%lld", window) || add(c, "model.global_every=%lld", every))
        return c->err->code;
    return ROOF_OK;
}

static int experts(ctx *c, const json_t *o, family f, long long ffn)
{
    long long n = 0, k = 2, eh = 0, shared = 0, first = 0, every = 1;
    int rc = ROOF_OK;
    if (f == F_MIXTRAL || f == F_GPT_OSS) {
        long long k2 = 0;
        rc = get_int(c, o, "num_local_experts", 1, 0, &n) || get_int(c, o, "num_experts_per_tok", 0, 0, &k) ||
             get_int(c, o, "experts_per_token", 0, 0, &k2);
        if (rc == ROOF_OK && k && k2 && k != k2)
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "fields 'num_experts_per_tok' (%lld) and 'experts_per_token' (%lld) disagree", k, k2);
        k = k ? k : k2;
        eh = ffn;
    } else if (f == F_QWEN2_MOE || f == F_QWEN3_MOE) {
        long long si = 0;
        rc = get_int(c, o, "num_experts", 1, 0, &n) || get_int(c, o, "num_experts_per_tok", 1, 0, &k) ||
             get_int(c, o, "moe_intermediate_size", 1, 0, &eh) || get_int(c, o, "decoder_sparse_step", 0, 1, &every) ||
             get_int(c, o, "shared_expert_intermediate_size", 0, 0, &si);
        if (rc == ROOF_OK && json_array_size(json_object_get(o, "mlp_only_layers")) > 0)
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'mlp_only_layers' lists layers: dense layers at chosen places are not "
                                  "modelled (only leading ones)");
        /* Qwen2-MoE's shared expert is one MLP of si: si / eh experts' worth. */
        if (rc == ROOF_OK && si && (!eh || si % eh))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'shared_expert_intermediate_size' (%lld) is not a multiple of "
                                  "moe_intermediate_size (%lld)",
                                  si, eh);
        shared = si && eh ? si / eh : 0;
    } else if (f == F_DEEPSEEK) {
        rc = get_int(c, o, "n_routed_experts", 1, 0, &n) || get_int(c, o, "num_experts_per_tok", 1, 0, &k) ||
             get_int(c, o, "moe_intermediate_size", 1, 0, &eh) || get_int(c, o, "n_shared_experts", 0, 0, &shared) ||
             get_int(c, o, "first_k_dense_replace", 0, 0, &first) || get_int(c, o, "moe_layer_freq", 0, 1, &every);
    }
    if (rc != ROOF_OK)
        return c->err->code;
    if (every < 1)
        every = 1;
    if (n && !k)
        return roof_error_set(c->err, ROOF_ERR_INPUT, c->path, "field 'num_experts_per_tok' is missing");
    if (add(c, "model.moe.experts=%lld", n) || add(c, "model.moe.top_k=%lld", n ? k : 2) ||
        add(c, "model.moe.expert_hidden=%lld", n ? eh : 0) || add(c, "model.moe.shared_experts=%lld", shared) ||
        add(c, "model.moe.first_dense=%lld", first) || add(c, "model.moe.every=%lld", every))
        return c->err->code;
    return ROOF_OK;
}

static int mla(ctx *c, const json_t *o, family f)
{
    long long q = 0, kv = 0, rope = 0, nope = 0, v = 0;
    if (f == F_DEEPSEEK && (get_int(c, o, "q_lora_rank", 0, 0, &q) || get_int(c, o, "kv_lora_rank", 1, 0, &kv) ||
                            get_int(c, o, "qk_rope_head_dim", 1, 0, &rope) ||
                            get_int(c, o, "qk_nope_head_dim", 1, 0, &nope) || get_int(c, o, "v_head_dim", 1, 0, &v)))
        return c->err->code;
    if (add(c, "model.mla.q_lora_rank=%lld", q) || add(c, "model.mla.kv_lora_rank=%lld", kv) ||
        add(c, "model.mla.qk_rope_head_dim=%lld", rope) || add(c, "model.mla.qk_nope_head_dim=%lld", nope) ||
        add(c, "model.mla.v_head_dim=%lld", v))
        return c->err->code;
    return ROOF_OK;
}

/* modules_to_not_convert: routers and norms are a negligible share of the
 * weights; the attention, embedding and LM head are not, and llmroof has
 * one weights dtype: said in a note, not hidden. */
static int unconverted(ctx *c, const json_t *q, const char *method)
{
    const json_t *list = json_object_get(q, "modules_to_not_convert");
    if (!list || json_is_null(list))
        return ROOF_OK;
    if (!json_is_array(list))
        return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                              "field 'quantization_config.modules_to_not_convert' must be a list");
    char big[256] = "";
    size_t i;
    const json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *s = json_string_value(e);
        if (!s)
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'quantization_config.modules_to_not_convert[%zu]' must be a string", i);
        const char *what = NULL;
        if (strstr(s, "lm_head"))
            what = "lm_head";
        else if (strstr(s, "embed_tokens"))
            what = "embed_tokens";
        else if (strstr(s, "self_attn"))
            what = "self_attn";
        else if (!strstr(s, "norm") && !strstr(s, "gate") && !strstr(s, "router"))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'quantization_config.modules_to_not_convert[%zu]' ('%s') is not understood", i,
                                  s);
        if (what && !strstr(big, what) && strlen(big) + strlen(what) + 3 < sizeof big) {
            if (big[0])
                strcat(big, ", ");
            strcat(big, what);
        }
    }
    if (big[0])
        snprintf(c->m->note, sizeof c->m->note,
                 "%s: quantization_config.modules_to_not_convert keeps %s unquantized; llmroof costs every weight "
                 "at the one %s weights dtype (set workload.weights_dtype to bound it)",
                 c->path, big, method);
    return ROOF_OK;
}

static int quantization(ctx *c, const json_t *root)
{
    const json_t *q = json_object_get(root, "quantization_config");
    if (!q || json_is_null(q))
        return add(c, "workload.weights_dtype=auto") || add(c, "workload.compute_dtype=auto") ||
                       add(c, "workload.weights_group=0")
                   ? c->err->code
                   : ROOF_OK;
    const char *method = get_str(q, "quant_method");
    const char *key;
    const json_t *v;
    const char *const fp8_keys[] = {"quant_method",           "fmt", "activation_scheme", "weight_block_size",
                                    "modules_to_not_convert", NULL};
    const char *const awq_keys[] = {"quant_method",           "bits", "group_size", "zero_point", "version",
                                    "modules_to_not_convert", NULL};
    const char *const gptq_keys[] = {"quant_method",
                                     "bits",
                                     "group_size",
                                     "sym",
                                     "desc_act",
                                     "damp_percent",
                                     "true_sequential",
                                     "static_groups",
                                     "model_name_or_path",
                                     "model_file_base_name",
                                     "checkpoint_format",
                                     "modules_to_not_convert",
                                     NULL};
    const char *const mx_keys[] = {"quant_method", "modules_to_not_convert", NULL};
    const char *const *keys = !method                    ? NULL
                              : !strcmp(method, "fp8")   ? fp8_keys
                              : !strcmp(method, "awq")   ? awq_keys
                              : !strcmp(method, "gptq")  ? gptq_keys
                              : !strcmp(method, "mxfp4") ? mx_keys
                                                         : NULL;
    if (!keys)
        return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                              "field 'quantization_config.quant_method' ('%s') is not understood (read: fp8, awq, "
                              "gptq, mxfp4)",
                              method ? method : "missing");
    json_object_foreach((json_t *)q, key, v)
    {
        (void)v;
        if (!in(keys, key))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'quantization_config.%s' is not understood for quant_method '%s'", key,
                                  method);
    }
    if (unconverted(c, q, method) != ROOF_OK)
        return c->err->code;
    if (!strcmp(method, "fp8")) {
        /* W8A8: e4m3 weights and, with an activation_scheme, fp8 activations
         * (DeepSeek-V3 report Sec. 3.3: 128x128 weight blocks, one fp32
         * scale each, the weight_scale_inv tensors of the checkpoint). */
        const char *fmt = get_str(q, "fmt");
        if (fmt && strcmp(fmt, "e4m3") && strcmp(fmt, "e5m2"))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'quantization_config.fmt' ('%s') is not understood", fmt);
        const json_t *b = json_object_get(q, "weight_block_size");
        long long group = 0;
        if (b && !json_is_null(b)) {
            if (json_array_size(b) != 2 || !json_is_integer(json_array_get(b, 0)) ||
                !json_is_integer(json_array_get(b, 1)) || json_integer_value(json_array_get(b, 0)) < 1 ||
                json_integer_value(json_array_get(b, 1)) < 1)
                return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                      "field 'quantization_config.weight_block_size' must be two whole numbers >= 1");
            group = (long long)(json_integer_value(json_array_get(b, 0)) * json_integer_value(json_array_get(b, 1)));
        }
        const char *act = get_str(q, "activation_scheme");
        if (act && strcmp(act, "dynamic") && strcmp(act, "static"))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                  "field 'quantization_config.activation_scheme' ('%s') is not understood", act);
        return add(c, "workload.weights_dtype=fp8") || add(c, "workload.compute_dtype=%s", act ? "fp8" : "auto") ||
                       add(c, "workload.weights_group=%lld", group) || add(c, "workload.weights_scale_bytes=4")
                   ? c->err->code
                   : ROOF_OK;
    }
    if (!strcmp(method, "mxfp4"))
        /* OCP Microscaling Formats v1.0, Sec. 5.2 (MXFP4): 32 E2M1 elements
         * share one E8M0 scale (1 byte). Weight-only in transformers. */
        return add(c, "workload.weights_dtype=fp4") || add(c, "workload.compute_dtype=auto") ||
                       add(c, "workload.weights_group=32") || add(c, "workload.weights_scale_bytes=1")
                   ? c->err->code
                   : ROOF_OK;
    /* AWQ (Lin et al. 2024) and GPTQ (Frantar et al. 2023): weight-only,
     * an fp16 scale per group and a zero point packed at the weight width
     * (AutoAWQ's qzeros, AutoGPTQ's qzeros, stored even when sym). */
    long long bits = 0, group = 0;
    const json_t *g = json_object_get(q, "group_size");
    if (get_int(c, q, "bits", 1, 0, &bits) != ROOF_OK)
        return c->err->code;
    if (bits != 4 && bits != 8)
        return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                              "field 'quantization_config.bits' (%lld) is not understood (4 or 8)", bits);
    if (json_is_integer(g) && json_integer_value(g) == -1)
        group = 0; /* per output channel: scales negligible */
    else if (get_int(c, q, "group_size", 1, 0, &group) != ROOF_OK)
        return c->err->code;
    int zero = !strcmp(method, "gptq") || !json_is_false(json_object_get(q, "zero_point"));
    return add(c, "workload.weights_dtype=%s", bits == 4 ? "int4" : "int8") || add(c, "workload.compute_dtype=auto") ||
                   add(c, "workload.weights_group=%lld", group) ||
                   add(c, "workload.weights_scale_bytes=%g", 2.0 + (zero ? (double)bits / 8.0 : 0.0))
               ? c->err->code
               : ROOF_OK;
}

static int map(ctx *c, const json_t *root)
{
    const char *mt = get_str(root, "model_type");
    if (!mt)
        return roof_error_set(c->err, ROOF_ERR_INPUT, c->path, "field 'model_type' is missing or not a string");
    const json_t *o = root;
    const char *prefix = "";
    if (!strcmp(mt, "gemma3")) {
        /* Gemma3ForConditionalGeneration: the language model is text_config. */
        const char *key;
        const json_t *v;
        json_object_foreach((json_t *)root, key, v)
        {
            (void)v;
            if (!in(gemma3_wrapper, key) && !in(harmless, key) && strcmp(key, "quantization_config"))
                return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                                      "field '%s' is not understood (it may change the cost)", key);
        }
        o = json_object_get(root, "text_config");
        if (!json_is_object(o))
            return roof_error_set(c->err, ROOF_ERR_INPUT, c->path, "field 'text_config' is missing");
        mt = "gemma3_text";
        prefix = "text_config.";
    }
    family f = F_COUNT;
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
        if (!strcmp(families[i].model_type, mt))
            f = families[i].f;
    if (f == F_COUNT)
        return roof_error_set(c->err, ROOF_ERR_INPUT, c->path,
                              "field 'model_type' ('%s') is not understood (read: llama, mistral, mixtral, qwen2, "
                              "qwen2_moe, qwen3, qwen3_moe, deepseek_v2, deepseek_v3, gemma2, gemma3, gemma3_text, "
                              "gpt_oss, phi3)",
                              mt);
    if (check_fields(c, o, f, prefix) != ROOF_OK)
        return c->err->code;
    long long layers = 0, hidden = 0, heads = 0, kv = 0, hd = 0, ffn = 0, vocab = 0;
    if (get_int(c, o, "num_hidden_layers", 1, 0, &layers) || get_int(c, o, "hidden_size", 1, 0, &hidden) ||
        get_int(c, o, "num_attention_heads", 1, 0, &heads) || get_int(c, o, "num_key_value_heads", 0, 0, &kv) ||
        get_int(c, o, "head_dim", 0, 0, &hd) || get_int(c, o, "intermediate_size", 1, 0, &ffn) ||
        get_int(c, o, "vocab_size", 1, 0, &vocab))
        return c->err->code;
    /* Every family read here has a gated MLP (gate, up, down): SwiGLU, or
     * GeGLU for Gemma (gelu_pytorch_tanh), which costs the same. */
    const char *act = get_str(o, "hidden_act");
    if (!act)
        act = get_str(o, "hidden_activation");
    if (act && strcmp(act, "silu") && strcmp(act, "swish") && strcmp(act, "gelu") && strcmp(act, "gelu_pytorch_tanh") &&
        strcmp(act, "gelu_new"))
        return roof_error_set(c->err, ROOF_ERR_INPUT, c->path, "field 'hidden_act' ('%s') is not understood", act);
    /* tie_word_embeddings' default: True in Gemma2Config/Gemma3TextConfig,
     * False in the other families' configuration classes. */
    const json_t *tie = json_object_get(o, "tie_word_embeddings");
    int tied = tie ? json_is_true(tie) : (f == F_GEMMA2 || f == F_GEMMA3);
    if (add(c, "model.layers=%lld", layers) || add(c, "model.hidden=%lld", hidden) ||
        add(c, "model.heads=%lld", heads) || add(c, "model.kv_heads=%lld", kv) || add(c, "model.head_dim=%lld", hd) ||
        add(c, "model.ffn_hidden=%lld", ffn) || add(c, "model.ffn_act=swiglu") || add(c, "model.vocab=%lld", vocab) ||
        add(c, "model.tied_embeddings=%s", tied ? "true" : "false"))
        return c->err->code;
    if (experts(c, o, f, ffn) != ROOF_OK || mla(c, o, f) != ROOF_OK || attention_window(c, o, f, layers) != ROOF_OK)
        return c->err->code;
    return quantization(c, root);
}

int roof_hf_model_load(const char *path, roof_hf_model *out, roof_error *err)
{
    memset(out, 0, sizeof *out);
    json_error_t je;
    /* JSON_REJECT_DUPLICATES: a field given twice is ambiguous. */
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return je.line > 0 ? roof_error_set(err, ROOF_ERR_INPUT, path, "line %d: %s", je.line, je.text)
                           : roof_error_set(err, ROOF_ERR_INPUT, path, "%s", je.text);
    ctx c = {path, out, err};
    int rc = json_is_object(root) ? map(&c, root)
                                  : roof_error_set(err, ROOF_ERR_INPUT, path, "not a JSON object (a config.json)");
    json_decref(root);
    if (rc != ROOF_OK)
        return rc;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    snprintf(out->name, sizeof out->name, "%.*s", (int)(n < sizeof out->name ? n : sizeof out->name - 1), base);
    return ROOF_OK;
}
