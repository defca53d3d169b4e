/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading a deployment config: a libconfig file with the model, workload and
 * parallel settings of the registry (model/model.h), `hw = "NAME";` (a
 * built-in profile, or a path relative to the config file), and optionally
 * `name`, `description` and a `claims` group (read by `llmroof check`).
 *
 * Missing optional settings take their documented defaults; required ones
 * (model.layers, model.hidden, model.heads) are errors naming file:line.
 * A provenance record, when asked for, says where each value came from.
 */
#ifndef ROOF_MODEL_CONFIG_H
#define ROOF_MODEL_CONFIG_H

#include "core/error.h"
#include "model/model.h"

#define ROOF_MAX_TABLE_PARAMS 112

/* Where each parameter's value came from; index [table][param] as in
 * roof_scenario_tables. */
typedef struct roof_provenance {
    roof_where where[ROOF_SCENARIO_TABLES][ROOF_MAX_TABLE_PARAMS];
} roof_provenance;

/* Loads the config (path) or text (display names it in errors) into s: the
 * model, workload and parallel parts, s->name and s->hw_ref (resolved
 * against the config's folder; "" when the config names none). The hw part
 * is not loaded here: see roof_scenario_load. prov may be NULL. */
int roof_config_load(const char *path, roof_scenario *s, roof_provenance *prov, roof_error *err);
int roof_config_load_text(const char *text, const char *display, roof_scenario *s, roof_provenance *prov,
                          roof_error *err);

/* The whole scenario: the config (NULL for defaults only, with the embedded
 * default deployment when default_text is given), then the profile
 * (hw_override, else the config's hw, else fallback_hw), then each --set in
 * order. */
int roof_scenario_load(const char *config_path, const char *default_text, const char *hw_override,
                       const char *fallback_hw, const char *const *sets, int nsets, roof_scenario *s,
                       roof_provenance *prov, roof_error *err);

/* The text of the built-in default deployment (configs/llama3-70b-tp8.cfg,
 * embedded at build time) and its name. */
const char *roof_config_default_text(void);
const char *roof_config_default_name(void);

#endif
