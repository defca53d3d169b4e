/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "model/config.h"
#include "core/cfg_ints.h"
#include "core/infile.h"

#include <libconfig.h>
#include <stdio.h>
#include <string.h>

#include "core/cfg.h"
#include "hw/profile.h"
#include "model/cost.h"

static const roof_param_table *const deploy_tables[] = {
    &roof_model_params, &roof_workload_params, &roof_parallel_params, &roof_draft_params, &roof_runtime_params};
enum { NDEPLOY = 5 };

static int known_path(const char *path, void *ctx)
{
    (void)ctx;
    if (strcmp(path, "name") == 0 || strcmp(path, "description") == 0 || strcmp(path, "hw") == 0 ||
        strcmp(path, "claims") == 0 || strncmp(path, "claims.", 7) == 0)
        return 1;
    /* A `cost` group: the hw.cost.* settings (model/cost.c applies them). */
    if (strncmp(path, "cost.", 5) == 0) {
        char full[96];
        snprintf(full, sizeof full, "hw.%s", path);
        return roof_param_find(&roof_hw_params, full) != NULL;
    }
    /* The traffic and engine groups belong to `llmroof serve`, which reads
     * and checks them (analysis/serve_params.c); other commands pass over
     * them. */
    if (strncmp(path, "traffic.", 8) == 0 || strncmp(path, "engine.", 7) == 0)
        return 1;
    for (int t = 0; t < NDEPLOY; t++)
        if (roof_param_find(deploy_tables[t], path))
            return 1;
    return 0;
}

static void base_name(const char *file, char *buf, size_t size)
{
    const char *slash = strrchr(file, '/');
    snprintf(buf, size, "%s", slash ? slash + 1 : file);
    char *ext = strrchr(buf, '.');
    if (ext && strcmp(ext, ".cfg") == 0)
        *ext = '\0';
}

/* A profile path in a config is relative to the config's folder. */
static void resolve_hw(const char *file, const char *ref, char *buf, size_t size)
{
    const char *slash = strrchr(file, '/');
    if (!strchr(ref, '/') || ref[0] == '/' || !slash) {
        snprintf(buf, size, "%s", ref);
        return;
    }
    snprintf(buf, size, "%.*s/%s", (int)(slash - file), file, ref);
}

static int fill(const config_t *cfg, const char *file, roof_scenario *s, roof_provenance *prov, roof_error *err)
{
    const char *cands[128];
    size_t nc = 0;
    for (int t = 0; t < NDEPLOY; t++)
        for (size_t i = 0; i < deploy_tables[t]->count && nc < 128; i++)
            cands[nc++] = deploy_tables[t]->params[i].path;
    int rc = roof_cfg_check_unknown(file, config_root_setting(cfg), known_path, NULL, cands, nc, err);
    if (rc != ROOF_OK)
        return rc;

    const char *name = NULL;
    if (config_lookup_string(cfg, "name", &name) && *name) {
        /* The name is shown in tables and plot titles: a newline in it
         * would end a gnuplot string and start a command. */
        for (const char *c = name; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f) {
                char where[600];
                roof_cfg_where(file, config_lookup(cfg, "name"), where, sizeof where);
                return roof_error_set(err, ROOF_ERR_INPUT, where, "'name' must not contain control characters");
            }
        snprintf(s->name, sizeof s->name, "%s", name);
    } else
        base_name(file, s->name, sizeof s->name);
    const config_setting_t *hw = config_lookup(cfg, "hw");
    if (hw) {
        if (config_setting_type(hw) != CONFIG_TYPE_STRING) {
            char where[600];
            roof_cfg_where(file, hw, where, sizeof where);
            return roof_error_set(err, ROOF_ERR_INPUT, where,
                                  "'hw' must be a profile name or path in quotes (see 'llmroof hw list')");
        }
        resolve_hw(file, config_setting_get_string(hw), s->hw_ref, sizeof s->hw_ref);
        s->hw_line = (int)config_setting_source_line(hw);
    }

    for (int t = 0; t < NDEPLOY; t++) {
        const roof_param_table *tab = deploy_tables[t];
        for (size_t i = 0; i < tab->count; i++) {
            const roof_param *p = &tab->params[i];
            const config_setting_t *st = config_lookup(cfg, p->path);
            double v = p->def;
            if (!st) {
                if (p->flags & ROOF_PARAM_REQUIRED) {
                    char where[600];
                    roof_cfg_where(file, roof_cfg_nearest_group(cfg, p->path), where, sizeof where);
                    return roof_error_set(err, ROOF_ERR_INPUT, where, "missing setting '%s'", p->path);
                }
            } else {
                rc = roof_cfg_read(file, st, p, p->path, &v, err);
                if (rc != ROOF_OK)
                    return rc;
                if (prov)
                    roof_cfg_where(file, st, prov->where[t + 1][i], sizeof prov->where[t + 1][i]);
            }
            void *bases[NDEPLOY] = {&s->model, &s->workload, &s->parallel, &s->draft, &s->runtime};
            roof_param_put(p, bases[t], v);
        }
    }
    return ROOF_OK;
}

static void mark_defaults(roof_provenance *prov)
{
    if (!prov)
        return;
    for (int t = 0; t < NDEPLOY; t++)
        for (size_t i = 0; i < deploy_tables[t]->count && i < ROOF_MAX_TABLE_PARAMS; i++)
            snprintf(prov->where[t + 1][i], sizeof prov->where[t + 1][i], "default");
}

/* One loader for a file and for text: only libconfig's reader differs. */
static int load(const char *display, const char *text, roof_scenario *s, roof_provenance *prov, roof_error *err)
{
    roof_scenario_defaults(s);
    mark_defaults(prov);
    s->hw_ref[0] = '\0';
    s->hw_line = 0;
    snprintf(s->config_path, sizeof s->config_path, "%s", display);
    config_t cfg;
    config_init(&cfg);
    int rc = roof_cfg_parse(&cfg, display, text, "config", err);
    if (rc == ROOF_OK)
        rc = fill(&cfg, display, s, prov, err);
    config_destroy(&cfg);
    return rc;
}

int roof_config_load_text(const char *text, const char *display, roof_scenario *s, roof_provenance *prov,
                          roof_error *err)
{
    return load(display, text, s, prov, err);
}

int roof_config_load(const char *path, roof_scenario *s, roof_provenance *prov, roof_error *err)
{
    return load(path, NULL, s, prov, err);
}

int roof_scenario_load(const char *config_path, const char *default_text, const char *hw_override,
                       const char *fallback_hw, const char *const *sets, int nsets, roof_scenario *s,
                       roof_provenance *prov, roof_error *err)
{
    memset(s, 0, sizeof *s);
    int rc;
    if (config_path)
        rc = roof_config_load(config_path, s, prov, err);
    else if (default_text)
        rc = roof_config_load_text(default_text, "configs/llama3-70b-tp8.cfg (built in)", s, prov, err);
    else {
        roof_scenario_defaults(s);
        mark_defaults(prov);
        rc = ROOF_OK;
    }
    if (rc != ROOF_OK)
        return rc;
    const char *hw = hw_override ? hw_override : s->hw_ref[0] ? s->hw_ref : fallback_hw;
    /* The provenance slots hold every hw.* parameter (model/config.h). */
    if (prov && roof_hw_params.count > ROOF_MAX_TABLE_PARAMS)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "config", "%zu hw parameters exceed ROOF_MAX_TABLE_PARAMS %d",
                              roof_hw_params.count, ROOF_MAX_TABLE_PARAMS);
    rc = roof_hw_load_traced(hw, &s->hw, prov ? prov->where[0] : NULL, err);
    /* An unknown name in the config is the config's mistake, not the
     * command line's: point at its line. */
    if (rc == ROOF_ERR_USAGE && !hw_override && s->hw_ref[0] && strcmp(err->where, "--hw") == 0) {
        char where[sizeof err->where];
        snprintf(where, sizeof where, "%.200s:%d", s->config_path, s->hw_line);
        snprintf(err->where, sizeof err->where, "%s", where);
        err->code = rc = ROOF_ERR_INPUT;
    }
    if (rc != ROOF_OK)
        return rc;
    /* The config's own prices (its `cost` group) over the profile's. */
    if (config_path || default_text)
        rc = roof_cost_config_apply(config_path ? config_path : s->config_path, config_path ? NULL : default_text,
                                    &s->hw, err);
    if (rc != ROOF_OK)
        return rc;
    for (int i = 0; i < nsets; i++) {
        rc = roof_scenario_set(s, sets[i], err);
        if (rc != ROOF_OK)
            return rc;
        if (prov) {
            /* Record the override against the parameter it named. */
            const roof_param_table *tables[ROOF_SCENARIO_TABLES];
            void *bases[ROOF_SCENARIO_TABLES];
            roof_scenario_tables(s, tables, bases);
            const char *eq = strchr(sets[i], '=');
            for (int t = 0; t < ROOF_SCENARIO_TABLES && eq; t++)
                for (size_t j = 0; j < tables[t]->count && j < ROOF_MAX_TABLE_PARAMS; j++)
                    if (strncmp(tables[t]->params[j].path, sets[i], (size_t)(eq - sets[i])) == 0 &&
                        tables[t]->params[j].path[eq - sets[i]] == '\0')
                        snprintf(prov->where[t][j], sizeof prov->where[t][j], "--set %s", sets[i]);
        }
    }
    return ROOF_OK;
}

/* Written by cmake/embed_profiles.cmake from configs/llama3-70b-tp8.cfg. */
typedef struct {
    const char *name;
    const char *text;
} embedded_config;
extern const embedded_config roof_embedded_configs[];

const char *roof_config_default_text(void)
{
    return roof_embedded_configs[0].text;
}

const char *roof_config_default_name(void)
{
    return roof_embedded_configs[0].name;
}
