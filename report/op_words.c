/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The ops of a deployment in a report's words: the words that name each
 * GEMM op, what each of its dimensions is in the user's terms, and the fused
 * pairs a report may time as one call. Used by the matching
 * (report/match.c), the judging (report/match_judge.c), the formulas
 * (report/check.c) and the prose (report/check_prose.c). */
#include <ctype.h>
#include <string.h>

#include "report/check_private.h"

/* Each GEMM op a report may name, with what its dimensions are and the
 * words that name it. An op added to model/ops.c that reports name gets a
 * row here. */
const roof_check_op_dims roof_check_op_dims_table[] = {
    {"q_proj", "the tokens on one GPU", "the full hidden size", "heads/tp x head_dim",
     "q proj|query|q linear|qkv|q/k/v|q projection|mha qkv|qkv projection", 0},
    {"k_proj", "the tokens on one GPU", "the full hidden size", "kv_heads/tp x head_dim",
     "k proj|key|qkv|q/k/v|k projection|mha qkv", 0},
    {"v_proj", "the tokens on one GPU", "the full hidden size", "kv_heads/tp x head_dim",
     "v proj|value|qkv|q/k/v|v projection|mha qkv", 0},
    {"o_proj", "the tokens on one GPU", "heads/tp x head_dim (row-parallel layers split k)", "the full hidden size",
     "output proj|out proj|o proj|attention output|mha output|attn_proj|w_o|output linear|output projection", 0},
    {"qkv_fused", "the tokens on one GPU", "the full hidden size",
     "(heads + 2 kv_heads)/tp x head_dim (Q, K and V side by side)", "fused qkv|qkv fused|fused q/k/v|fused", 1},
    {"gate_up_fused", "the tokens on one GPU", "the full hidden size", "2 x ffn_hidden/tp (gate and up side by side)",
     "gate+up|gate and up|gate/up|fused gate|fused up", 1},
    {"expert_gate_up_fused", "the tokens of one expert on the busiest GPU", "the full hidden size",
     "2 x expert_hidden/etp (gate and up side by side)", "expert gate+up|fused expert", 1},
    {"qk_scores", "the query tokens of one sequence", "head_dim", "the key tokens of one sequence",
     "q×k|qk|k^t|score|q·k|q.k", 0},
    {"av", "the query tokens of one sequence", "the key tokens of one sequence", "head_dim",
     "×v|·v|attention×v|softmax·v|softmax(.)|a×v|p×v|attention output (softmax|attn·v|weights × v", 0},
    {"gate_proj", "the tokens on one GPU", "the full hidden size", "ffn_hidden/tp", "gate_proj|swiglu gate", 0},
    {"up_proj", "the tokens on one GPU", "the full hidden size", "ffn_hidden/tp",
     "up-proj|up proj|up_proj|linear1|fc1|mlp1|column parallel|column-parallel linear|mlp column|mlp up", 0},
    {"down_proj", "the tokens on one GPU", "ffn_hidden/tp (row-parallel layers split k)", "the full hidden size",
     "down-proj|down proj|down_proj|linear2|fc2|mlp2|row parallel|row-parallel linear|mlp row|mlp down", 0},
    {"router", "the tokens on one GPU", "the full hidden size", "the number of experts",
     "gate network|gate projection|gate:|router|routing|gate logits", 1},
    {"expert_gate", "the tokens of one expert on the busiest GPU", "the full hidden size", "expert_hidden/etp",
     "expert", 0},
    {"expert_up", "the tokens of one expert on the busiest GPU", "the full hidden size", "expert_hidden/etp",
     "expert up|expert computation|expert ffn|expert 0|up-projection|up projection", 0},
    {"expert_down", "the tokens of one expert on the busiest GPU", "expert_hidden/etp", "the full hidden size",
     "expert down|down-projection|down projection", 0},
    {"shared_up", "the tokens on one GPU", "the full hidden size", "shared expert width/tp", "shared", 0},
    {"shared_down", "the tokens on one GPU", "shared expert width/tp", "the full hidden size", "shared", 0},
    {"lm_head", "the sequences on one GPU", "the full hidden size", "vocab/tp", "lm head|lm_head|logits|vocab", 1},
};

_Static_assert(sizeof roof_check_op_dims_table / sizeof roof_check_op_dims_table[0] == ROOF_CHECK_NOP_DIMS,
               "ROOF_CHECK_NOP_DIMS (report/check_private.h) is the length of the table");

const roof_check_op_dims *roof_check_dims_of(const char *op)
{
    for (size_t i = 0; i < ROOF_CHECK_NOP_DIMS; i++)
        if (strcmp(roof_check_op_dims_table[i].op, op) == 0)
            return &roof_check_op_dims_table[i];
    return NULL;
}

/* The length of the longest keyword of `keywords` ('|'-separated) in
 * context, lower-cased with '_' read as a blank, also with the digits after
 * a letter dropped ("Q2 Projection", "MLP2 row parallel" name the ops of a
 * second layer); 0 when none. */
size_t roof_check_keyword_len(const char *context, const char *keywords)
{
    char lo[256], st[256];
    size_t i = 0, j = 0;
    int dropping = 0;
    for (; i < sizeof lo - 1 && context[i]; i++) {
        char ch = context[i] == '_' ? ' ' : (char)tolower((unsigned char)context[i]);
        lo[i] = ch;
        if (isdigit((unsigned char)ch) && (dropping || (j > 0 && isalpha((unsigned char)st[j - 1])))) {
            dropping = 1;
            continue;
        }
        dropping = 0;
        st[j++] = ch;
    }
    lo[i] = '\0';
    st[j] = '\0';
    char kw[64];
    size_t best = 0;
    const char *p = keywords;
    while (*p) {
        size_t n = strcspn(p, "|");
        if (n && n < sizeof kw && n > best) {
            memcpy(kw, p, n);
            kw[n] = '\0';
            if (strstr(lo, kw) || strstr(st, kw))
                best = n;
        }
        p += n + (p[n] == '|');
    }
    return best;
}

int roof_check_is_expert(const roof_op *op)
{
    return strncmp(op->name, "expert_", 7) == 0;
}

int roof_check_lower_has(const char *s, const char *w)
{
    char lo[256];
    size_t i = 0;
    for (; i < sizeof lo - 1 && s[i]; i++)
        lo[i] = (char)tolower((unsigned char)s[i]);
    lo[i] = '\0';
    return strstr(lo, w) != NULL;
}

/* A third matrix in a two-matrix MLP: "MLP output projection". */
int roof_check_names_extra_mlp(const char *label)
{
    return (roof_check_lower_has(label, "mlp") || roof_check_lower_has(label, "ffn")) &&
           roof_check_lower_has(label, "output") && !roof_check_lower_has(label, "down") &&
           !roof_check_lower_has(label, "row");
}

int roof_check_fused_covers(const char *fused, const char *name)
{
    if (strcmp(fused, "qkv_fused") == 0)
        return !strcmp(name, "q_proj") || !strcmp(name, "k_proj") || !strcmp(name, "v_proj");
    if (strcmp(fused, "gate_up_fused") == 0)
        return !strcmp(name, "gate_proj") || !strcmp(name, "up_proj");
    if (strcmp(fused, "expert_gate_up_fused") == 0)
        return !strcmp(name, "expert_gate") || !strcmp(name, "expert_up");
    return 0;
}

/* The words that name op `name` in text (a term like Expert_FFN_Time). */
int roof_check_words_name(const char *text, const char *name)
{
    const roof_check_op_dims *d = roof_check_dims_of(name);
    if (d && roof_check_keyword_len(text, d->keywords) > 0)
        return 1;
    /* "Expert_FFN_Time", "MLP_Time": the whole MLP (of the experts) */
    int mlp = roof_check_lower_has(text, "ffn") || roof_check_lower_has(text, "mlp");
    if (!strncmp(name, "expert_", 7))
        return mlp && roof_check_lower_has(text, "expert");
    return mlp && (!strcmp(name, "up_proj") || !strcmp(name, "down_proj") || !strcmp(name, "gate_proj"));
}

/* The op words name (the longest name wins), NULL when none or when they
 * name a third MLP matrix. */
const char *roof_check_op_named(const char *words)
{
    if (roof_check_names_extra_mlp(words))
        return NULL;
    size_t best = 0;
    const char *op = NULL;
    for (size_t d = 0; d < ROOF_CHECK_NOP_DIMS; d++) {
        size_t l = roof_check_keyword_len(words, roof_check_op_dims_table[d].keywords);
        if (l > best)
            best = l, op = roof_check_op_dims_table[d].op;
    }
    return op;
}
