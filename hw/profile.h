/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loading hardware profiles. Profiles are libconfig files whose settings are
 * exactly the hw.* registry's paths without the "hw." prefix (see
 * hw/profiles/h100-sxm.cfg). The built-in ones are embedded in the binary at
 * build time, so no file is needed at run time; any other file loads by path.
 *
 * Errors name the file and line (syntax errors, bad values) and the setting;
 * their code is ROOF_ERR_INPUT, or ROOF_ERR_USAGE for an unknown name.
 */
#ifndef ROOF_HW_PROFILE_H
#define ROOF_HW_PROFILE_H

#include <stddef.h>

#include "core/error.h"
#include "hw/hw.h"

/* The embedded profiles, in name order. */
size_t roof_hw_builtin_count(void);
const char *roof_hw_builtin_name(size_t i);
const char *roof_hw_builtin_text(size_t i);

/* Loads profile text (display_name names it in errors). */
int roof_hw_load_text(const char *text, const char *display_name, roof_hw *hw, roof_error *err);

/* Loads a profile file. */
int roof_hw_load_file(const char *path, roof_hw *hw, roof_error *err);

/* Loads a built-in profile by name, or a file when the argument contains a
 * '/' or ends in ".cfg". An unknown name gets a "did you mean" hint. */
int roof_hw_load(const char *name_or_path, roof_hw *hw, roof_error *err);

/* As roof_hw_load, and records where each hw.* value came from:
 * where_out[i] for roof_hw_params.params[i] ("hw/profiles/h100-sxm.cfg:24").
 * where_out may be NULL. */
/* The built-in profile that a common name stands for (h100 -> h100-sxm,
 * any case), or name itself. */
const char *roof_hw_alias(const char *name);

int roof_hw_load_traced(const char *name_or_path, roof_hw *hw, roof_where *where_out, roof_error *err);

#endif
