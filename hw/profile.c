#include "hw/profile.h"

#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <string.h>

#include "core/number.h"
#include "core/suggest.h"

/* Written by cmake/embed_profiles.cmake from hw/profiles/\*.cfg. */
typedef struct {
    const char *name;
    const char *text;
} embedded_profile;
extern const embedded_profile roof_embedded_profiles[];
extern const size_t roof_embedded_profile_count;

size_t roof_hw_builtin_count(void)
{
    return roof_embedded_profile_count;
}

const char *roof_hw_builtin_name(size_t i)
{
    return i < roof_embedded_profile_count ? roof_embedded_profiles[i].name : NULL;
}

const char *roof_hw_builtin_text(size_t i)
{
    return i < roof_embedded_profile_count ? roof_embedded_profiles[i].text : NULL;
}

static void where_of(const char *file, const config_setting_t *s, char *buf, size_t size)
{
    unsigned line = s ? config_setting_source_line(s) : 0;
    if (line)
        snprintf(buf, size, "%s:%u", file, line);
    else
        snprintf(buf, size, "%s", file);
}

/* The dotted path of s below the root ("memory.bandwidth"). */
static void path_of(const config_setting_t *s, char *buf, size_t size)
{
    const config_setting_t *chain[16];
    size_t n = 0;
    for (const config_setting_t *p = s; p && config_setting_name(p) && n < 16; p = config_setting_parent(p))
        chain[n++] = p;
    buf[0] = '\0';
    size_t used = 0;
    while (n > 0) {
        const char *name = config_setting_name(chain[--n]);
        int w = snprintf(buf + used, size - used, "%s%s", used ? "." : "", name);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

static int is_known_path(const char *local)
{
    if (strcmp(local, "name") == 0 || strcmp(local, "description") == 0)
        return 1;
    for (size_t i = 0; i < roof_hw_params.count; i++)
        if (strcmp(roof_param_local_path(&roof_hw_params, &roof_hw_params.params[i]), local) == 0)
            return 1;
    return 0;
}

/* Rejects settings the registry does not know, so that a typo in a profile
 * ("bandwith") is an error rather than a silently ignored line. */
static int check_unknown(const char *file, const config_setting_t *group, roof_error *err)
{
    int n = config_setting_length(group);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        if (config_setting_is_group(s)) {
            int rc = check_unknown(file, s, err);
            if (rc != ROOF_OK)
                return rc;
            continue;
        }
        char local[160], where[300];
        path_of(s, local, sizeof local);
        if (is_known_path(local))
            continue;
        where_of(file, s, where, sizeof where);
        const char *cands[64];
        size_t nc = 0;
        for (size_t j = 0; j < roof_hw_params.count && nc < 64; j++)
            cands[nc++] = roof_param_local_path(&roof_hw_params, &roof_hw_params.params[j]);
        const char *hint = roof_suggest(local, cands, nc);
        if (hint)
            return roof_error_set(err, ROOF_ERR_INPUT, where, "unknown setting '%s' (did you mean '%s'?)",
                                  local, hint);
        return roof_error_set(err, ROOF_ERR_INPUT, where, "unknown setting '%s'", local);
    }
    return ROOF_OK;
}

/* One reader for every number in a profile: int, int64, float, or a string
 * with an SI suffix ("3.35T"), as STYLE.md asks. */
static int read_number(const char *file, const config_setting_t *s, const char *local, int is_bool,
                       double *out, roof_error *err)
{
    char where[300];
    where_of(file, s, where, sizeof where);
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        *out = (double)config_setting_get_int64(s);
        return ROOF_OK;
    case CONFIG_TYPE_FLOAT:
        *out = config_setting_get_float(s);
        return ROOF_OK;
    case CONFIG_TYPE_BOOL:
        if (!is_bool)
            break;
        *out = config_setting_get_bool(s) ? 1.0 : 0.0;
        return ROOF_OK;
    case CONFIG_TYPE_STRING: {
        if (is_bool)
            break;
        roof_error perr;
        if (roof_parse_double(config_setting_get_string(s), out, &perr) != ROOF_OK)
            return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s': %s", local, perr.msg);
        return ROOF_OK;
    }
    default:
        break;
    }
    return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' must be %s", local,
                          is_bool ? "true or false" : "a number");
}

/* The line of the nearest enclosing group that exists, so that a missing
 * setting points at the group it belongs in. */
static const config_setting_t *nearest_group(const config_t *cfg, const char *local)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%s", local);
    for (char *dot = strrchr(buf, '.'); dot; dot = strrchr(buf, '.')) {
        *dot = '\0';
        const config_setting_t *g = config_lookup(cfg, buf);
        if (g)
            return g;
    }
    return NULL;
}

static int fill(const config_t *cfg, const char *file, roof_hw *hw, roof_error *err)
{
    int rc = check_unknown(file, config_root_setting(cfg), err);
    if (rc != ROOF_OK)
        return rc;

    const char *name = NULL, *desc = NULL;
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
        double v = 0.0;
        if (!s) {
            if (p->flags & ROOF_PARAM_REQUIRED) {
                char where[300];
                where_of(file, nearest_group(cfg, local), where, sizeof where);
                return roof_error_set(err, ROOF_ERR_INPUT, where, "missing setting '%s'", local);
            }
        } else {
            rc = read_number(file, s, local, p->kind == ROOF_PARAM_BOOL, &v, err);
            if (rc != ROOF_OK)
                return rc;
            char where[300];
            where_of(file, s, where, sizeof where);
            rc = roof_param_check(p, local, v, ROOF_ERR_INPUT, where, err);
            if (rc != ROOF_OK)
                return rc;
        }
        roof_param_put(p, hw, v);
    }

    int any_peak = 0;
    for (int d = 0; d < ROOF_DT_COUNT; d++)
        any_peak |= hw->compute[d] > 0.0;
    if (!any_peak) {
        char where[300];
        where_of(file, config_lookup(cfg, "compute"), where, sizeof where);
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'compute' must give at least one dtype's peak");
    }
    if (hw->node.nvls && hw->node.nvls_efficiency <= 0.0) {
        char where[300];
        where_of(file, config_lookup(cfg, "network.node.nvls"), where, sizeof where);
        return roof_error_set(err, ROOF_ERR_INPUT, where,
                              "'network.node.nvls' is true but 'network.node.nvls_efficiency' is not set");
    }
    return ROOF_OK;
}

static int syntax_error(const config_t *cfg, const char *file, roof_error *err)
{
    if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
        return roof_error_set(err, ROOF_ERR_INPUT, file, "cannot read profile: %s", strerror(errno));
    char where[300];
    snprintf(where, sizeof where, "%s:%d", file, config_error_line(cfg));
    return roof_error_set(err, ROOF_ERR_INPUT, where, "%s", config_error_text(cfg));
}

int roof_hw_load_text(const char *text, const char *display_name, roof_hw *hw, roof_error *err)
{
    memset(hw, 0, sizeof *hw);
    config_t cfg;
    config_init(&cfg);
    int rc;
    if (config_read_string(&cfg, text) != CONFIG_TRUE)
        rc = syntax_error(&cfg, display_name, err);
    else
        rc = fill(&cfg, display_name, hw, err);
    config_destroy(&cfg);
    if (rc == ROOF_OK)
        snprintf(hw->source, sizeof hw->source, "%s", display_name);
    return rc;
}

int roof_hw_load_file(const char *path, roof_hw *hw, roof_error *err)
{
    memset(hw, 0, sizeof *hw);
    config_t cfg;
    config_init(&cfg);
    int rc;
    errno = 0;
    if (config_read_file(&cfg, path) != CONFIG_TRUE)
        rc = syntax_error(&cfg, path, err);
    else
        rc = fill(&cfg, path, hw, err);
    config_destroy(&cfg);
    if (rc == ROOF_OK)
        snprintf(hw->source, sizeof hw->source, "%s", path);
    return rc;
}

int roof_hw_load(const char *name_or_path, roof_hw *hw, roof_error *err)
{
    for (size_t i = 0; i < roof_embedded_profile_count; i++) {
        if (strcmp(name_or_path, roof_embedded_profiles[i].name) == 0) {
            char display[128];
            snprintf(display, sizeof display, "hw/profiles/%s.cfg", name_or_path);
            int rc = roof_hw_load_text(roof_embedded_profiles[i].text, display, hw, err);
            if (rc == ROOF_OK)
                snprintf(hw->source, sizeof hw->source, "built in (hw/profiles/%s.cfg)", name_or_path);
            return rc;
        }
    }
    size_t len = strlen(name_or_path);
    if (strchr(name_or_path, '/') || (len > 4 && strcmp(name_or_path + len - 4, ".cfg") == 0))
        return roof_hw_load_file(name_or_path, hw, err);

    const char *names[32];
    size_t n = 0;
    for (size_t i = 0; i < roof_embedded_profile_count && n < 32; i++)
        names[n++] = roof_embedded_profiles[i].name;
    const char *hint = roof_suggest(name_or_path, names, n);
    if (hint)
        return roof_error_set(err, ROOF_ERR_USAGE, "--hw",
                              "unknown hardware profile '%s' (did you mean '%s'? see 'llmroof hw list')",
                              name_or_path, hint);
    return roof_error_set(err, ROOF_ERR_USAGE, "--hw",
                          "unknown hardware profile '%s' (see 'llmroof hw list')", name_or_path);
}
