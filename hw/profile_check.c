/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hw/profile_check.h"

#include <ctype.h>
#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/cfg.h"
#include "core/infile.h"
#include "core/suggest.h"
#include "hw/nccl_tuning.h"
#include "hw/profile.h"

/* A profile is a page of text; a larger file is not one. */
#define PROFILE_MAX_BYTES (1u << 20)

int roof_hw_profile_text(const char *name_or_path, char **text, char *display, size_t display_size, roof_error *err)
{
    *text = NULL;
    /* The loader's order (roof_hw_load_traced): a file of that name wins
     * over an alias, then the built-in names. */
    struct stat st;
    const char *name = stat(name_or_path, &st) == 0 ? name_or_path : roof_hw_alias(name_or_path);
    for (size_t i = 0; i < roof_hw_builtin_count(); i++) {
        if (strcmp(name, roof_hw_builtin_name(i)) != 0)
            continue;
        snprintf(display, display_size, "hw/profiles/%s.cfg", name);
        *text = strdup(roof_hw_builtin_text(i));
        return *text ? ROOF_OK : roof_error_set(err, ROOF_ERR_RUNTIME, display, "out of memory");
    }
    /* Neither a built-in name nor an existing file: the loader's own
     * "unknown hardware profile ... did you mean" for a bare name. */
    size_t len = strlen(name_or_path);
    if (!strchr(name_or_path, '/') && !(len > 4 && strcmp(name_or_path + len - 4, ".cfg") == 0) &&
        stat(name_or_path, &st) != 0) {
        roof_hw hw;
        return roof_hw_load(name_or_path, &hw, err);
    }
    snprintf(display, display_size, "%s", name_or_path);
    return roof_infile_read(name_or_path, "profile", PROFILE_MAX_BYTES, ROOF_INFILE_TEXT, text, NULL, err);
}

void roof_hw_line_comment(const char *text, int line, char *buf, size_t size)
{
    if (size == 0)
        return;
    buf[0] = '\0';
    const char *p = text;
    for (int l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || line < 1)
        return;
    int quoted = 0;
    for (; *p && *p != '\n'; p++) {
        if (*p == '"' && (p == text || p[-1] != '\\'))
            quoted = !quoted;
        if (quoted)
            continue;
        if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
            p += *p == '#' ? 1 : 2;
            while (*p == ' ' || *p == '\t')
                p++;
            size_t n = 0;
            /* Control characters (a CR of a CRLF file) end the comment:
             * it goes to a terminal and to csv cells. */
            while (p[n] && p[n] != '\n' && (unsigned char)p[n] >= 0x20 && n + 1 < size)
                n++;
            while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
                n--;
            memcpy(buf, p, n);
            buf[n] = '\0';
            return;
        }
    }
}

int roof_hw_param_lines(const char *text, const char *display, int *lines, roof_error *err)
{
    config_t cfg;
    config_init(&cfg);
    int rc = roof_cfg_parse(&cfg, display, text, "profile", err);
    for (size_t i = 0; i < roof_hw_params.count; i++) {
        const config_setting_t *s =
            rc == ROOF_OK ? config_lookup(&cfg, roof_param_local_path(&roof_hw_params, &roof_hw_params.params[i]))
                          : NULL;
        lines[i] = s ? (int)config_setting_source_line(s) : 0;
    }
    config_destroy(&cfg);
    return rc;
}

/* The physical rate of each link generation, per GPU per direction: the
 * ceiling no measured or datasheet bandwidth of that link can pass.
 * NVLink: 25 GB/s per link per direction on NVLink 3 and 4 (NVIDIA A100
 * whitepaper: 12 links, 600 GB/s total; H100 whitepaper: 18 links, 900
 * GB/s total), 50 GB/s on NVLink 5 (NVIDIA Blackwell architecture
 * technical brief: 18 links, 1.8 TB/s total). PCIe x16 raw signalling
 * rates of the PCI-SIG specifications: 16, 32 and 64 GT/s per lane, 16
 * lanes, 8 bits a byte (encoding overhead only lowers them). InfiniBand
 * per port (InfiniBand Trade Association roadmap): HDR 200, NDR 400, XDR
 * 800 Gb/s. */
static const roof_link_gen gens[] = {
    {"nvlink3", 300e9, "NVLink 3 (12 links x 25 GB/s)"},
    {"nvlink4", 450e9, "NVLink 4 (18 links x 25 GB/s)"},
    {"nvlink5", 900e9, "NVLink 5 (18 links x 50 GB/s)"},
    {"pcie4", 32e9, "PCIe Gen4 x16 (16 GT/s x 16 lanes)"},
    {"pcie5", 64e9, "PCIe Gen5 x16 (32 GT/s x 16 lanes)"},
    {"pcie6", 128e9, "PCIe Gen6 x16 (64 GT/s x 16 lanes)"},
    {"hdr", 25e9, "InfiniBand HDR (200 Gb/s)"},
    {"ndr", 50e9, "InfiniBand NDR (400 Gb/s)"},
    {"xdr", 100e9, "InfiniBand XDR (800 Gb/s)"},
};

/* Does the link name start at p? The family's letters (case ignored),
 * then for NVLink and PCIe optional blanks, '-', "Gen" and the digit, and
 * no further digit (so "NVLink 400 GB/s" is no NVLink 4); the InfiniBand
 * words stand alone. */
static int gen_at(const char *text, const char *p, const char *token)
{
    if (p > text && isalnum((unsigned char)p[-1]))
        return 0;
    size_t letters = strcspn(token, "0123456789");
    if (strncasecmp(p, token, letters) != 0)
        return 0;
    p += letters;
    if (token[letters] == '\0')
        return !isalnum((unsigned char)*p);
    while (*p == ' ' || *p == '-')
        p++;
    if (strncasecmp(p, "gen", 3) == 0)
        p += 3;
    while (*p == ' ')
        p++;
    return *p == token[letters] && !isdigit((unsigned char)p[1]);
}

const roof_link_gen *roof_hw_link_gen(const char *comment)
{
    for (const char *p = comment; *p; p++)
        for (size_t g = 0; g < sizeof gens / sizeof gens[0]; g++)
            if (gen_at(comment, p, gens[g].token))
                return &gens[g];
    return NULL;
}

/* ---- the report ---- */

__attribute__((format(printf, 4, 5))) static void add(roof_check_report *rep, roof_finding_level level,
                                                      const char *where, const char *fmt, ...)
{
    if (level == ROOF_FINDING_ERROR)
        rep->errors++;
    else
        rep->warnings++;
    if (rep->count >= ROOF_CHECK_MAX) {
        rep->dropped++;
        return;
    }
    roof_finding *f = &rep->items[rep->count++];
    f->level = level;
    snprintf(f->where, sizeof f->where, "%s", where);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
}

static void add_error(roof_check_report *rep, const roof_error *e)
{
    add(rep, ROOF_FINDING_ERROR, e->where, "%s", e->msg);
}

/* ---- errors: what the loader refuses, all of them ---- */

typedef struct {
    const config_t *cfg;
    const char *file;
    roof_check_report *rep;
    const char *cands[128];
    size_t ncands;
} unknown_ctx;

static int known_path(const char *path, void *vctx)
{
    unknown_ctx *ctx = vctx;
    if (strcmp(path, "name") == 0 || strcmp(path, "description") == 0)
        return 1;
    for (size_t i = 0; i < ctx->ncands; i++)
        if (strcmp(path, ctx->cands[i]) == 0)
            return 1;
    const config_setting_t *s = config_lookup(ctx->cfg, path);
    if (s && config_setting_is_group(s))
        return 0; /* the walker looks inside */
    /* An unknown leaf: recorded here, and "known" to the walker so that it
     * goes on to the next one. */
    char where[ROOF_WHERE_LEN];
    roof_cfg_where(ctx->file, s, where, sizeof where);
    const char *hint = roof_suggest(path, ctx->cands, ctx->ncands);
    if (hint)
        add(ctx->rep, ROOF_FINDING_ERROR, where, "unknown setting '%s' (did you mean '%s'?)", path, hint);
    else
        add(ctx->rep, ROOF_FINDING_ERROR, where, "unknown setting '%s'", path);
    return 1;
}

static void check_settings(const config_t *cfg, const char *file, roof_check_report *rep)
{
    unknown_ctx ctx = {.cfg = cfg, .file = file, .rep = rep};
    for (size_t i = 0; i < roof_hw_params.count && ctx.ncands < 128; i++)
        ctx.cands[ctx.ncands++] = roof_param_local_path(&roof_hw_params, &roof_hw_params.params[i]);
    roof_error e;
    if (roof_cfg_check_unknown(file, config_root_setting(cfg), known_path, &ctx, ctx.cands, ctx.ncands, &e) != ROOF_OK)
        add_error(rep, &e);
    for (size_t i = 0; i < roof_hw_params.count; i++) {
        const roof_param *p = &roof_hw_params.params[i];
        const char *local = roof_param_local_path(&roof_hw_params, p);
        const config_setting_t *s = config_lookup(cfg, local);
        char where[ROOF_WHERE_LEN];
        if (!s) {
            if (p->flags & ROOF_PARAM_REQUIRED) {
                roof_cfg_where(file, roof_cfg_nearest_group(cfg, local), where, sizeof where);
                add(rep, ROOF_FINDING_ERROR, where, "missing setting '%s'", local);
            }
            continue;
        }
        double v;
        if (roof_cfg_read(file, s, p, local, &v, &e) != ROOF_OK)
            add_error(rep, &e);
    }
}

/* ---- warnings: values that load but are probably wrong ---- */

typedef struct {
    const char *file;
    const char *text;
    const int *lines;
    const roof_hw *hw;
    roof_check_report *rep;
} warn_ctx;

static int line_of(const warn_ctx *w, const char *local)
{
    for (size_t i = 0; i < roof_hw_params.count; i++)
        if (strcmp(roof_param_local_path(&roof_hw_params, &roof_hw_params.params[i]), local) == 0)
            return w->lines[i];
    return 0;
}

static void where_of(const warn_ctx *w, const char *local, char *buf, size_t size)
{
    int line = line_of(w, local);
    if (line > 0)
        snprintf(buf, size, "%s:%d", w->file, line);
    else
        snprintf(buf, size, "%s", w->file);
}

/* The plausible range of each kind of value, per GPU (or accelerator
 * chip). A value outside it by a factor of about 1000 is the usual slip of
 * a unit prefix (GB/s written as MB/s, 3.35e9 for 3.35 TB/s). The bounds
 * sit a factor of 10 or more outside every part of the catalogue: the
 * slowest memory is a CPU's DDR (hw/profiles and tests/fixtures/hw:
 * tens of GB/s), the fastest HBM 8 TB/s (B200/MI355X datasheets). */
static const struct {
    const char *prefix; /* the settings it applies to */
    double lo, hi;
    const char *unit_hint;
} ranges[] = {
    {"compute.", 1e10, 1e17, "FLOP/s: 989.4e12 for 989.4 TFLOP/s"},
    {"memory.bandwidth", 1e10, 1e14, "B/s: 3.35e12 for 3.35 TB/s"},
    {"memory.capacity", 1e9, 1e13, "bytes: 80e9 for 80 GB"},
    {"network.node.bandwidth", 1e9, 1e13, "B/s per GPU per direction: 450e9 for 450 GB/s"},
    {"network.cluster.bandwidth", 1e8, 1e12, "B/s per GPU per direction: 50e9 for 400 Gb/s"},
    {"network.node.latency", 0.0, 1e-3, "seconds: 2e-6 for 2 us"},
    {"network.cluster.latency", 0.0, 1e-3, "seconds: 5e-6 for 5 us"},
    {"kernel.overhead", 0.0, 1e-3, "seconds: 3e-6 for 3 us"},
    {"power.watts", 10.0, 1e5, "watts per GPU: 700 for 700 W"},
};

static void warn_units(const warn_ctx *w)
{
    for (size_t i = 0; i < roof_hw_params.count; i++) {
        const roof_param *p = &roof_hw_params.params[i];
        const char *local = roof_param_local_path(&roof_hw_params, p);
        double v = roof_param_get(p, w->hw);
        if (v == 0.0)
            continue; /* absent, or a dtype the part lacks */
        for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
            if (strncmp(local, ranges[r].prefix, strlen(ranges[r].prefix)) != 0)
                continue;
            if (v >= ranges[r].lo && v <= ranges[r].hi)
                break;
            char where[ROOF_WHERE_LEN], shown[64], lo[64], hi[64];
            where_of(w, local, where, sizeof where);
            roof_param_format(p, v, shown, sizeof shown);
            roof_param_format(p, ranges[r].lo, lo, sizeof lo);
            roof_param_format(p, ranges[r].hi, hi, sizeof hi);
            add(w->rep, ROOF_FINDING_WARNING, where, "'%s' is %s, outside %s to %s: a unit off by 1000? (units are %s)",
                local, shown, v < ranges[r].lo ? lo : "0", hi, ranges[r].unit_hint);
            break;
        }
    }
}

/* The ridge point, peak FLOP/s over memory B/s, of every GPU, TPU and CPU
 * of the catalogue lies between about 10 (a CPU's fp64 over DDR) and
 * about 900 FLOP/B (L40S fp8: 733 TFLOP/s over 864 GB/s). A ratio 1000
 * times outside means one of the two has the wrong unit prefix even when
 * each alone looks plausible. */
static void warn_ridge(const warn_ctx *w)
{
    double peak = 0.0;
    int best = -1;
    for (int d = 0; d < ROOF_DT_COUNT; d++)
        if (w->hw->compute[d] > peak) {
            peak = w->hw->compute[d];
            best = d;
        }
    if (best < 0 || !(w->hw->mem_bandwidth > 0.0))
        return;
    double ridge = peak / w->hw->mem_bandwidth;
    if (ridge >= 0.5 && ridge <= 20000.0)
        return;
    char where[ROOF_WHERE_LEN], key[32];
    snprintf(key, sizeof key, "compute.%s", roof_dtype_name((roof_dtype)best));
    where_of(w, "memory.bandwidth", where, sizeof where);
    add(w->rep, ROOF_FINDING_WARNING, where,
        "'%s' / 'memory.bandwidth' is %.3g FLOP/B, outside 0.5 to 20000: one of them looks 1000 times off", key, ridge);
}

/* A narrower format never has a lower peak than a wider one on the parts
 * of the catalogue (tensor cores run fp8 at twice bf16, bf16 at twice
 * tf32), so a lower one is usually a sparse figure in one line and a
 * dense one in the other, or a typo. Only a warning: B300 cut INT8 below
 * its bf16 rate (HGX B300 datasheet). */
static void warn_dtype_order(const warn_ctx *w)
{
    for (int n = 0; n < ROOF_DT_COUNT; n++) {
        double pn = w->hw->compute[n];
        if (!(pn > 0.0))
            continue;
        int worst = -1;
        for (int d = 0; d < ROOF_DT_COUNT; d++)
            if (roof_dtype_bytes((roof_dtype)d) > roof_dtype_bytes((roof_dtype)n) && w->hw->compute[d] > pn &&
                (worst < 0 || w->hw->compute[d] > w->hw->compute[worst]))
                worst = d;
        if (worst < 0)
            continue;
        char key[32], where[ROOF_WHERE_LEN];
        snprintf(key, sizeof key, "compute.%s", roof_dtype_name((roof_dtype)n));
        where_of(w, key, where, sizeof where);
        add(w->rep, ROOF_FINDING_WARNING, where,
            "'compute.%s' (%.4g TFLOP/s) is below 'compute.%s' (%.4g TFLOP/s), a wider dtype: a sparse figure in one "
            "of them?",
            roof_dtype_name((roof_dtype)n), pn / 1e12, roof_dtype_name((roof_dtype)worst),
            w->hw->compute[worst] / 1e12);
    }
}

/* A tier's bandwidth above the physical rate of the link its comment (or
 * its group's comment) names. */
static void warn_link(const warn_ctx *w, const char *tier, double bandwidth)
{
    char key[64], comment[256];
    snprintf(key, sizeof key, "network.%s.bandwidth", tier);
    int line = line_of(w, key);
    if (line <= 0 || !(bandwidth > 0.0))
        return;
    roof_hw_line_comment(w->text, line, comment, sizeof comment);
    const roof_link_gen *g = roof_hw_link_gen(comment);
    if (!g) {
        /* The tier's group line ("node:  # scale-up tier: NVLink4"):
         * the nearest line above that opens it. */
        for (int l = line - 1; l > 0 && !g; l--) {
            const char *p = w->text;
            for (int k = 1; k < l && p; k++) {
                p = strchr(p, '\n');
                if (p)
                    p++;
            }
            if (!p)
                break;
            while (*p == ' ' || *p == '\t')
                p++;
            if (strncmp(p, tier, strlen(tier)) == 0) {
                roof_hw_line_comment(w->text, l, comment, sizeof comment);
                g = roof_hw_link_gen(comment);
                break;
            }
        }
    }
    if (!g || bandwidth <= g->rate * (1.0 + 1e-9))
        return;
    char where[ROOF_WHERE_LEN];
    snprintf(where, sizeof where, "%s:%d", w->file, line);
    add(w->rep, ROOF_FINDING_WARNING, where,
        "'%s' is %.4g GB/s per direction, above the %.4g GB/s of %s: a bidirectional figure?", key, bandwidth / 1e9,
        g->rate / 1e9, g->what);
}

/* Settings that load but change nothing, or say something unlikely: the
 * network's SHARP where NCCL's model does not time the cluster tier (it
 * offers CollNet only there: hw/nccl_tuning.c), a stream-K tail without
 * stream-K's fixup (hw/gemm.c times the tail with it), and FlashAttention-2 on a
 * part faster than the part's own FlashAttention (the native kernel is the
 * fastest of its generation: Shah et al. 2024, Fig. 5). */
static void warn_no_effect(const warn_ctx *w)
{
    const roof_hw *hw = w->hw;
    char where[ROOF_WHERE_LEN];
    if (hw->cluster.sharp && (hw->node.arch == ROOF_NCCL_ARCH_NONE ||
                              roof_nccl_is_rccl((roof_nccl_arch)hw->node.arch) || hw->cluster.channels < 1)) {
        where_of(w, "network.cluster.sharp", where, sizeof where);
        add(w->rep, ROOF_FINDING_WARNING, where,
            "'network.cluster.sharp' changes nothing here: in-network reduction is timed by NCCL's model across nodes, "
            "which needs 'network.node.arch' (an NVIDIA architecture) and 'network.cluster.channels'");
    }
    if (hw->gemm_stream_k_tail && !hw->gemm_stream_k) {
        where_of(w, "gemm.stream_k_tail", where, sizeof where);
        add(w->rep, ROOF_FINDING_WARNING, where,
            "'gemm.stream_k_tail' changes nothing here: the stream-K tail is timed with stream-K's fixup, which needs "
            "'gemm.stream_k = true'");
    }
    if (hw->eff_attention_fa2 > 0.0 && hw->eff_attention > 0.0 && hw->eff_attention_fa2 > hw->eff_attention) {
        where_of(w, "efficiency.attention_fa2", where, sizeof where);
        add(w->rep, ROOF_FINDING_WARNING, where,
            "'efficiency.attention_fa2' (%g) is above 'efficiency.attention' (%g): FlashAttention-2 faster than the "
            "part's own FlashAttention?",
            hw->eff_attention_fa2, hw->eff_attention);
    }
}

int roof_hw_check_text(const char *text, const char *display, roof_check_report *rep, roof_error *err)
{
    (void)err;
    memset(rep, 0, sizeof *rep);
    config_t cfg;
    config_init(&cfg);
    roof_error e;
    if (roof_cfg_parse(&cfg, display, text, "profile", &e) != ROOF_OK) {
        config_destroy(&cfg);
        add_error(rep, &e);
        return ROOF_OK;
    }
    check_settings(&cfg, display, rep);
    config_destroy(&cfg);
    if (rep->errors > 0)
        return ROOF_OK;
    /* The loader's checks across settings (no peak at all, NVLS without
     * its efficiency), then the values for the warnings. */
    roof_hw hw;
    if (roof_hw_load_text(text, display, &hw, &e) != ROOF_OK) {
        add_error(rep, &e);
        return ROOF_OK;
    }
    int lines[128] = {0};
    if (roof_hw_params.count > 128 || roof_hw_param_lines(text, display, lines, &e) != ROOF_OK) {
        add_error(rep, &e);
        return ROOF_OK;
    }
    warn_ctx w = {.file = display, .text = text, .lines = lines, .hw = &hw, .rep = rep};
    warn_units(&w);
    warn_ridge(&w);
    warn_dtype_order(&w);
    warn_link(&w, "node", hw.node.bandwidth);
    warn_link(&w, "cluster", hw.cluster.bandwidth);
    warn_no_effect(&w);
    return ROOF_OK;
}
