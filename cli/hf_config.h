/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --model FILE: a Hugging Face config.json turned into model.* and
 * workload.* assignments, applied before every --set (cli/parse_opts.c), so
 * that each command that takes a deployment takes a Hugging Face model too.
 *
 * The families read: llama, mistral, mixtral, qwen2, qwen2_moe, qwen3,
 * qwen3_moe, deepseek_v3 (and deepseek_v2), gemma2, gemma3 (its text_config)
 * and gemma3_text, gpt_oss, phi3; and quantization_config's fp8 (per tensor
 * or block-scaled), awq and gptq (int4/int8 with a group size) and mxfp4.
 * Every field of the file is either mapped, or on a list of fields that do
 * not change the cost; any other field is an error naming the file and the
 * field, so that nothing that changes the cost is guessed. */
#ifndef ROOF_CLI_HF_CONFIG_H
#define ROOF_CLI_HF_CONFIG_H

#include <stddef.h>

#include "core/error.h"

enum { ROOF_HF_MAX_SETS = 40, ROOF_HF_SET_LEN = 96 };

typedef struct roof_hf_model {
    char name[128]; /* the file's name without .json: the scenario's name */
    char sets[ROOF_HF_MAX_SETS][ROOF_HF_SET_LEN];
    int nsets;
    /* A note for stderr ("" when none): a part the file keeps in a wider
     * dtype than the one weights dtype the model applies to every weight. */
    char note[512];
} roof_hf_model;

/* Reads path into out. Returns ROOF_OK or ROOF_ERR_INPUT with err naming
 * path (and the field). */
int roof_hf_model_load(const char *path, roof_hf_model *out, roof_error *err);

#endif
