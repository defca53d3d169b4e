/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "hw/profile.h"
#include "core/cfg_ints.h"
#include "core/infile.h"

#include <errno.h>
#include <libconfig.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/cfg.h"
#include "core/suggest.h"
#include "hw/collective.h"

/* Written by cmake/embed_profiles.cmake from hw/profiles/\*.cfg. */
typedef struct {
    const char *name;
    const char *text;
} embedded_profile;
extern const embedded_profile roof_embedded_profiles[];
extern const size_t roof_embedded_profiles_count;

/* Built-in profiles a thread keeps parsed (roof_hw_load_traced); more are
 * parsed at every load. */
#define PARSED_MAX 32

size_t roof_hw_builtin_count(void)
{
    return roof_embedded_profiles_count;
}

const char *roof_hw_builtin_name(size_t i)
{
    return i < roof_embedded_profiles_count ? roof_embedded_profiles[i].name : NULL;
}

const char *roof_hw_builtin_text(size_t i)
{
    return i < roof_embedded_profiles_count ? roof_embedded_profiles[i].text : NULL;
}

static int is_known_path(const char *local, void *ctx)
{
    (void)ctx;
    if (strcmp(local, "name") == 0 || strcmp(local, "description") == 0)
        return 1;
    for (size_t i = 0; i < roof_hw_params.count; i++)
        if (strcmp(roof_param_local_path(&roof_hw_params, &roof_hw_params.params[i]), local) == 0)
            return 1;
    return 0;
}

/* Rejects settings the registry does not know, so that a typo in a profile
 * ("bandwith") is an error rather than a silently ignored line. */
static int check_unknown(const char *file, const config_t *cfg, roof_error *err)
{
    const char *cands[64];
    size_t nc = 0;
    for (size_t j = 0; j < roof_hw_params.count && nc < 64; j++)
        cands[nc++] = roof_param_local_path(&roof_hw_params, &roof_hw_params.params[j]);
    return roof_cfg_check_unknown(file, config_root_setting(cfg), is_known_path, NULL, cands, nc, err);
}

static int fill(const config_t *cfg, const char *file, roof_hw *hw, roof_where *where_out, roof_error *err)
{
    int rc = check_unknown(file, cfg, err);
    if (rc != ROOF_OK)
        return rc;

    const char *name = NULL, *desc = NULL;
    /* The name is shown in tables and plot titles: a newline in it would
     * end a gnuplot string and start a command. */
    if (config_lookup_string(cfg, "name", &name))
        for (const char *c = name; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f) {
                char where[600];
                roof_cfg_where(file, config_lookup(cfg, "name"), where, sizeof where);
                return roof_error_set(err, ROOF_ERR_INPUT, where, "'name' must not contain control characters");
            }
    if (!config_lookup_string(cfg, "name", &name) || !*name) {
        /* A user's file may omit the name: its base name stands in. */
        const char *slash = strrchr(file, '/');
        name = slash ? slash + 1 : file;
    }
    snprintf(hw->name, sizeof hw->name, "%s", name);
    char *ext = strstr(hw->name, ".cfg");
    if (ext && ext[4] == '\0')
        *ext = '\0';
    if (config_lookup_string(cfg, "description", &desc))
        snprintf(hw->description, sizeof hw->description, "%s", desc);

    for (size_t i = 0; i < roof_hw_params.count; i++) {
        const roof_param *p = &roof_hw_params.params[i];
        const char *local = roof_param_local_path(&roof_hw_params, p);
        const config_setting_t *s = config_lookup(cfg, local);
        double v = p->def; /* 0 but for the cost defaults (hw/hw_params.c) */
        if (!s) {
            if (p->flags & ROOF_PARAM_REQUIRED) {
                char where[600];
                roof_cfg_where(file, roof_cfg_nearest_group(cfg, local), where, sizeof where);
                return roof_error_set(err, ROOF_ERR_INPUT, where, "missing setting '%s'", local);
            }
            if (where_out)
                snprintf(where_out[i], sizeof where_out[i], "%s (not set: %s)", file, p->def != 0.0 ? "default" : "0");
        } else {
            rc = roof_cfg_read(file, s, p, local, &v, err);
            if (rc != ROOF_OK)
                return rc;
            if (where_out)
                roof_cfg_where(file, s, where_out[i], sizeof where_out[i]);
        }
        roof_param_put(p, hw, v);
    }

    int any_peak = 0;
    for (int d = 0; d < ROOF_DT_COUNT; d++)
        any_peak |= hw->compute[d] > 0.0;
    if (!any_peak) {
        char where[600];
        roof_cfg_where(file, config_lookup(cfg, "compute"), where, sizeof where);
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'compute' must give at least one dtype's peak");
    }
    if (hw->node.nvls && hw->node.nvls_efficiency <= 0.0) {
        char where[600];
        roof_cfg_where(file, config_lookup(cfg, "network.node.nvls"), where, sizeof where);
        return roof_error_set(err, ROOF_ERR_INPUT, where,
                              "'network.node.nvls' is true but 'network.node.nvls_efficiency' is not set");
    }
    /* The node tier's sub-domains (hw/hw.h): each with its rate, inside
     * the node. */
    const char *key, *why = roof_node_domains_problem(&hw->node, &key);
    if (why) {
        char where[600];
        roof_cfg_where(file, config_lookup(cfg, key), where, sizeof where);
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' %s", key, why);
    }
    if (hw->gemm_cache > 0.0 && !(hw->gemm_dram_bw > 0.0)) {
        char where[600];
        roof_cfg_where(file, config_lookup(cfg, "gemm.cache"), where, sizeof where);
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'gemm.cache' is set but 'gemm.dram_bandwidth' is not");
    }
    return ROOF_OK;
}

/* One loader for a file (text NULL) and for text: only libconfig's reader
 * differs. */
static int load(const char *display, const char *text, roof_hw *hw, roof_where *where_out, roof_error *err)
{
    memset(hw, 0, sizeof *hw);
    config_t cfg;
    config_init(&cfg);
    int rc = roof_cfg_parse(&cfg, display, text, "profile", err);
    if (rc == ROOF_OK)
        rc = fill(&cfg, display, hw, where_out, err);
    config_destroy(&cfg);
    if (rc == ROOF_OK)
        snprintf(hw->source, sizeof hw->source, "%s", display);
    return rc;
}

int roof_hw_load_text(const char *text, const char *display_name, roof_hw *hw, roof_error *err)
{
    return load(display_name, text, hw, NULL, err);
}

int roof_hw_load_file(const char *path, roof_hw *hw, roof_error *err)
{
    return load(path, NULL, hw, NULL, err);
}

int roof_hw_load(const char *name_or_path, roof_hw *hw, roof_error *err)
{
    return roof_hw_load_traced(name_or_path, hw, NULL, err);
}

/* Names people use for the built-in parts, each mapped to its profile: the
 * product names without the form factor, where only one form is built in
 * (NVIDIA's and AMD's product pages call them A100, H100, H200, B200,
 * MI300X). Matched without regard to case. */
static const struct {
    const char *alias, *name;
} aliases[] = {
    {"a100", "a100-sxm"},      {"a100-80gb", "a100-sxm"}, {"a100-sxm4", "a100-sxm"}, {"h100", "h100-sxm"},
    {"h100-sxm5", "h100-sxm"}, {"h200-sxm", "h200"},      {"b200-sxm", "b200"},      {"gb200-nvl72", "gb200"},
    {"h800-sxm", "h800"},      {"mi300", "mi300x"},
};

const char *roof_hw_alias(const char *name)
{
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(name, aliases[i].alias) == 0)
            return aliases[i].name;
    for (size_t i = 0; i < roof_embedded_profiles_count; i++)
        if (strcasecmp(name, roof_embedded_profiles[i].name) == 0)
            return roof_embedded_profiles[i].name;
    return name;
}

int roof_hw_load_traced(const char *name_or_path, roof_hw *hw, roof_where *where_out, roof_error *err)
{
    /* A file of that name wins over an alias (a user's ./h100 profile). */
    struct stat alias_st;
    if (stat(name_or_path, &alias_st) != 0)
        name_or_path = roof_hw_alias(name_or_path);
    for (size_t i = 0; i < roof_embedded_profiles_count; i++) {
        if (strcmp(name_or_path, roof_embedded_profiles[i].name) == 0) {
            /* A built-in profile's text never changes: each thread parses it
             * once and copies it after (the validation and the searches load
             * the same few profiles thousands of times). Traced loads, which
             * also fill in where each value came from, always parse. */
            static _Thread_local struct {
                int done;
                roof_hw hw;
            } parsed[PARSED_MAX];
            if (!where_out && i < PARSED_MAX && parsed[i].done) {
                *hw = parsed[i].hw;
                return ROOF_OK;
            }
            char display[128];
            snprintf(display, sizeof display, "hw/profiles/%s.cfg", name_or_path);
            int rc = load(display, roof_embedded_profiles[i].text, hw, where_out, err);
            if (rc == ROOF_OK)
                snprintf(hw->source, sizeof hw->source, "built in (hw/profiles/%s.cfg)", name_or_path);
            if (rc == ROOF_OK && !where_out && i < PARSED_MAX) {
                parsed[i].hw = *hw;
                parsed[i].done = 1;
            }
            return rc;
        }
    }
    size_t len = strlen(name_or_path);
    /* Not a built-in name: a path, or a file that exists (whatever its
     * name), so that "--hw myprofile" reads the file rather than being told
     * that no such profile is built in. */
    struct stat st;
    if (strchr(name_or_path, '/') || (len > 4 && strcmp(name_or_path + len - 4, ".cfg") == 0) ||
        stat(name_or_path, &st) == 0)
        return load(name_or_path, NULL, hw, where_out, err);

    const char *names[32];
    size_t n = 0;
    for (size_t i = 0; i < roof_embedded_profiles_count && n < 32; i++)
        names[n++] = roof_embedded_profiles[i].name;
    const char *hint = roof_suggest(name_or_path, names, n);
    if (hint)
        return roof_error_set(err, ROOF_ERR_USAGE, "--hw",
                              "unknown hardware profile '%s' (did you mean '%s'? see 'llmroof hw list')", name_or_path,
                              hint);
    return roof_error_set(err, ROOF_ERR_USAGE, "--hw", "unknown hardware profile '%s' (see 'llmroof hw list')",
                          name_or_path);
}
