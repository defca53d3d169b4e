/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/search_out.h"
#include "core/csv.h"
#include "core/infile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/interval_out.h"
#include "model/model.h"

void roof_plan_choice_text(const roof_plan_choice *c, char *buf, size_t size)
{
    static const char *const recompute[] = {"", ", recompute selective", ", recompute full"};
    char vp[32] = "", etp[32] = "", zero[32] = "";
    if (c->vp > 1)
        snprintf(vp, sizeof vp, ", vp %lld", (long long)c->vp);
    if (c->etp > 0)
        snprintf(etp, sizeof etp, ", etp %lld", (long long)c->etp);
    if (c->zero > 0)
        snprintf(zero, sizeof zero, ", ZeRO-%d", c->zero);
    snprintf(buf, size, "tp %lld, pp %lld, dp %lld, cp %lld, ep %lld, mb %lld%s%s%s%s%s%s%s", (long long)c->tp,
             (long long)c->pp, (long long)c->dp, (long long)c->cp, (long long)c->ep, (long long)c->microbatches,
             c->sp ? ", sp" : "", vp, etp, c->recompute >= 1 && c->recompute <= 2 ? recompute[c->recompute] : "", zero,
             c->dp_overlap ? ", dp overlap" : "", c->offload ? ", optimizer offload" : "");
}

/* The table form shows a few metrics: the training ones when the
 * objective is one (the csv form carries them all). */
static int shown_in_table(const char *name, const roof_metric *objective)
{
    int phase = objective->phases & ROOF_EVAL_TRAINING ? ROOF_PHASE_TRAINING : ROOF_PHASE_PREFILL;
    const char *list = roof_metric_defaults(phase, ROOF_METRICS_SHOWN);
    size_t len = strlen(name);
    for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == '\0'))
            return 1;
    return 0;
}

/* Where metric name sits in iv (its keys are the metrics' names), or -1. */
static int iv_index(const roof_iv_set *iv, const char *name)
{
    for (size_t j = 0; iv && j < iv->n; j++)
        if (strcmp(iv->metric[j], name) == 0)
            return (int)j;
    return -1;
}

/* FNV-1a, 64 bits: a fingerprint, not a defence against forgery. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t fnv_num(uint64_t h, double v)
{
    uint64_t bits;
    if (v == 0.0)
        v = 0.0; /* -0 as 0 */
    memcpy(&bits, &v, sizeof bits);
    return fnv(h, &bits, sizeof bits);
}

void roof_search_fingerprint(const roof_scenario *s0, const roof_search_opts *so, roof_search_ident *id)
{
    static const char *const searched[] = {
        "parallel.tp",   "parallel.pp",         "parallel.dp",     "parallel.cp",           "parallel.ep",
        "parallel.sp",   "parallel.vp",         "parallel.etp",    "workload.microbatches", "workload.recompute",
        "workload.zero", "workload.dp_overlap", "workload.offload"};
    roof_scenario *s = (roof_scenario *)s0; /* roof_scenario_tables takes a writable one; nothing is written */
    const roof_param_table *tables[ROOF_SCENARIO_TABLES];
    void *bases[ROOF_SCENARIO_TABLES];
    roof_scenario_tables(s, tables, bases);
    uint64_t h = 14695981039346656037ULL;
    for (size_t t = 0; t < ROOF_SCENARIO_TABLES; t++)
        for (size_t i = 0; i < tables[t]->count; i++) {
            const roof_param *p = &tables[t]->params[i];
            int skip = 0;
            for (size_t k = 0; k < sizeof searched / sizeof *searched; k++)
                skip |= strcmp(p->path, searched[k]) == 0;
            if (skip)
                continue;
            h = fnv(h, p->path, strlen(p->path) + 1);
            h = fnv_num(h, roof_param_get(p, bases[t]));
        }
    h = fnv(h, so->objective->name, strlen(so->objective->name) + 1);
    for (size_t i = 0; i < so->nconstraints; i++) {
        const roof_target *c = &so->constraints[i];
        h = fnv(h, c->metric->name, strlen(c->metric->name) + 1);
        h = fnv_num(h, c->at_most ? 1.0 : 0.0);
        h = fnv_num(h, c->value);
    }
    for (int k = 0; k < ROOF_KNOBS; k++)
        h = fnv_num(h, (double)so->fixed[k]);
    id->gpus = so->gpus;
    snprintf(id->scenario, sizeof id->scenario, "%016llx", (unsigned long long)h);
}

/* The counts, in the order of the csv columns (count_cols). */
static void put_counts(roof_out *out, const roof_search_counts *c, const char *prefix)
{
    roof_out_int(out, "space", c->space);
    roof_out_int(out, "candidates", c->candidates);
    for (int k = 0; k < ROOF_RULES; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s%s", prefix, roof_search_rule_name(k));
        roof_out_int(out, name, c->removed[k]);
    }
    roof_out_int(out, "evaluated", c->evaluated);
    roof_out_int(out, "valid", c->valid);
    roof_out_int(out, "fit_memory", c->fit);
    roof_out_int(out, "feasible", c->feasible);
}

void roof_search_put_counts(roof_out *out, const roof_search_counts *c)
{
    put_counts(out, c, "removed_");
}

void roof_search_put_rows(roof_out *out, const roof_search_result *res, const roof_metric *objective,
                          const double *quantile, const roof_iv_set *ivs, const roof_search_ident *id, roof_format fmt)
{
    int table = fmt == ROOF_FMT_TABLE;
    int training = (objective->phases & ROOF_EVAL_TRAINING) != 0, etp = 0;
    for (size_t i = 0; i < res->n; i++)
        etp |= res->rows[i].plan.etp > 0;
    for (size_t i = 0; i < res->n; i++) {
        const roof_search_row *r = &res->rows[i];
        roof_out_row(out);
        roof_out_int(out, "rank", (int64_t)i + 1);
        roof_out_int(out, "index", r->index);
        roof_out_int(out, "tp", r->plan.tp);
        roof_out_int(out, "pp", r->plan.pp);
        roof_out_int(out, "dp", r->plan.dp);
        roof_out_int(out, "cp", r->plan.cp);
        roof_out_int(out, "ep", r->plan.ep);
        roof_out_int(out, "microbatches", r->plan.microbatches);
        roof_out_bool(out, "sp", r->plan.sp);
        /* The table leaves out what the search did not choose: the
         * training knobs in inference, etp without experts. */
        if (!table || training) {
            roof_out_int(out, "vp", r->plan.vp);
            roof_out_int(out, "recompute", r->plan.recompute);
            roof_out_int(out, "zero", r->plan.zero);
            roof_out_bool(out, "dp_overlap", r->plan.dp_overlap);
            roof_out_int(out, "offload", r->plan.offload);
        }
        if (!table || etp)
            roof_out_int(out, "etp", r->plan.etp);
        roof_out_str(out, "objective", objective->name);
        roof_cli_put_metric(out, "objective_value", objective->unit, r->objective);
        if (quantile)
            roof_cli_put_metric(out, "objective_quantile", objective->unit, quantile[i]);
        const roof_iv_set *iv = ivs && ivs[i].n ? &ivs[i] : NULL;
        for (size_t k = 0; k < roof_metric_count(); k++) {
            const roof_metric *m = roof_metric_at(k);
            if (table && !shown_in_table(m->name, objective))
                continue;
            int at = iv_index(iv, m->name);
            if (!(table && at >= 0 &&
                  roof_iv_put_text(out, fmt, m->name, m->unit, r->metrics[k], iv->lo[at], iv->hi[at])))
                roof_cli_put_metric(out, m->name, m->unit, r->metrics[k]);
        }
        /* json only: the csv is what --merge reads back. */
        for (size_t j = 0; ivs && fmt == ROOF_FMT_JSON && j < ivs[0].n; j++)
            roof_iv_put_bounds(out, ivs[0].metric[j], iv ? iv->lo[j] : NAN, iv ? iv->hi[j] : NAN);
        if (!table) {
            if (id->have_counts) {
                roof_out_int(out, "shard", id->shard);
                roof_out_int(out, "shards", id->shards);
                put_counts(out, &id->counts, "removed_");
            }
            roof_out_int(out, "gpus", id->gpus);
            roof_out_str(out, "scenario", id->scenario);
        }
    }
}

/* Splits line at commas in place (the search's csv has no quoted cells). */
static int split(char *line, char **cells, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max;) {
        cells[n++] = p;
        char *c = strchr(p, ',');
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    return n;
}

#define MAX_CELLS 64
#define NKNOB 6 /* the optional knob columns of roof_search_read_csv */

/* One cell of a row: a whole number >= min. */
static int count_cell(const char *cell, const char *col, int64_t min, const char *where, int64_t *out, roof_error *err)
{
    char *end;
    errno = 0;
    long long v = strtoll(cell, &end, 10);
    if (!*cell || *end || errno == ERANGE)
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' is not a whole number (column '%s')", cell, col);
    if (v < min)
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' must be at least %lld (got %lld)", col, (long long)min,
                              v);
    *out = v;
    return ROOF_OK;
}

/* A yes/no column (sp, dp_overlap): true or false as this version writes
 * it, 0 or 1 as earlier versions did. */
static int flag_cell(const char *cell, const char *col, const char *where, int64_t *out, roof_error *err)
{
    if (strcmp(cell, "true") == 0 || strcmp(cell, "false") == 0) {
        *out = cell[0] == 't';
        return ROOF_OK;
    }
    if (strcmp(cell, "0") == 0 || strcmp(cell, "1") == 0) {
        *out = cell[0] == '1';
        return ROOF_OK;
    }
    return roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' must be true or false (got '%s')", col, cell);
}

/* The shard and count columns: shard, shards, then put_counts's. */
#define NCOUNT (2 + 2 + ROOF_RULES + 4)
static void count_cols(char names[NCOUNT][40])
{
    static const char *const fixed[] = {"shard", "shards", "space", "candidates"};
    static const char *const tail[] = {"evaluated", "valid", "fit_memory", "feasible"};
    int n = 0;
    for (int i = 0; i < 4; i++)
        snprintf(names[n++], 40, "%s", fixed[i]);
    for (int k = 0; k < ROOF_RULES; k++)
        snprintf(names[n++], 40, "removed_%s", roof_search_rule_name(k));
    for (int i = 0; i < 4; i++)
        snprintf(names[n++], 40, "%s", tail[i]);
}

/* The counts of a row into id (the first row), or checked against it:
 * every row of one file carries the same. */
static int read_counts(char **cells, const int *col, char names[NCOUNT][40], const char *where, int first,
                       roof_search_ident *id, roof_error *err)
{
    int64_t v[NCOUNT];
    for (int k = 0; k < NCOUNT; k++) {
        int rc = count_cell(cells[col[k]], names[k], k == 1 ? 1 : 0, where, &v[k], err);
        if (rc != ROOF_OK)
            return rc;
    }
    if (v[0] >= v[1])
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'shard' (%lld) must be below 'shards' (%lld)",
                              (long long)v[0], (long long)v[1]);
    roof_search_counts c;
    memset(&c, 0, sizeof c);
    c.space = v[2], c.candidates = v[3];
    for (int k = 0; k < ROOF_RULES; k++)
        c.removed[k] = v[4 + k];
    c.evaluated = v[4 + ROOF_RULES], c.valid = v[5 + ROOF_RULES], c.fit = v[6 + ROOF_RULES];
    c.feasible = v[7 + ROOF_RULES];
    if (first) {
        id->shard = v[0], id->shards = v[1], id->counts = c;
        return ROOF_OK;
    }
    if (v[0] != id->shard || v[1] != id->shards || memcmp(&c, &id->counts, sizeof c) != 0)
        return roof_error_set(err, ROOF_ERR_INPUT, where, "the shard or count columns differ from the first row's");
    return ROOF_OK;
}

int roof_search_read_csv(const char *path, size_t top, const roof_metric **objective, roof_search_result *res,
                         roof_search_ident *id, roof_error *err)
{
    memset(id, 0, sizeof *id);
    id->shards = 1;
    FILE *f = roof_infile_open(path, "search output", err);
    if (!f)
        return err->code;
    char head[4096], line[4096];
    char *names[MAX_CELLS], *cells[MAX_CELLS];
    int rc = ROOF_OK, lineno = 1;
    if (!fgets(head, sizeof head, f)) {
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "empty file: expected the csv output of 'llmroof search'");
        goto out;
    }
    int nn = split(head, names, MAX_CELLS);
    int col_metric[ROOF_MAX_METRICS];
    int c_index = -1, c_plan[7], c_obj = -1, c_objv = -1, c_gpus = -1, c_scen = -1;
    static const char *const plan_cols[7] = {"tp", "pp", "dp", "cp", "ep", "microbatches", "sp"};
    /* Columns of later versions, optional: the other knobs (their default
     * when absent), the shard and the counts (all or none). */
    static const char *const knob_cols[NKNOB] = {"vp", "etp", "recompute", "zero", "dp_overlap", "offload"};
    static const int64_t knob_min[NKNOB] = {1, 0, 0, 0, 0, 0}, knob_max[NKNOB] = {1000000000, 1000000000, 2, 3, 1, 1},
                         knob_default[NKNOB] = {1, 0, 0, 0, 0, 0};
    char count_names[NCOUNT][40];
    count_cols(count_names);
    int c_knob[NKNOB], c_count[NCOUNT];
    for (int k = 0; k < NKNOB; k++)
        c_knob[k] = -1;
    for (int k = 0; k < NCOUNT; k++)
        c_count[k] = -1;
    for (int k = 0; k < 7; k++)
        c_plan[k] = -1;
    for (size_t k = 0; k < roof_metric_count(); k++)
        col_metric[k] = -1;
    for (int i = 0; i < nn; i++) {
        for (int j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0) {
                rc = roof_error_set(err, ROOF_ERR_INPUT, path, "column '%s' appears twice in the header", names[i]);
                goto out;
            }
        if (strcmp(names[i], "index") == 0)
            c_index = i;
        if (strcmp(names[i], "objective") == 0)
            c_obj = i;
        if (strcmp(names[i], "objective_value") == 0)
            c_objv = i;
        if (strcmp(names[i], "gpus") == 0)
            c_gpus = i;
        if (strcmp(names[i], "scenario") == 0)
            c_scen = i;
        for (int k = 0; k < 7; k++)
            if (strcmp(names[i], plan_cols[k]) == 0)
                c_plan[k] = i;
        for (int k = 0; k < NKNOB; k++)
            if (strcmp(names[i], knob_cols[k]) == 0)
                c_knob[k] = i;
        for (int k = 0; k < NCOUNT; k++)
            if (strcmp(names[i], count_names[k]) == 0)
                c_count[k] = i;
        for (size_t k = 0; k < roof_metric_count(); k++)
            if (strcmp(names[i], roof_metric_at(k)->name) == 0)
                col_metric[k] = i;
    }
    int complete = c_index >= 0 && c_obj >= 0 && c_objv >= 0;
    for (int k = 0; k < 7; k++)
        complete = complete && c_plan[k] >= 0;
    for (size_t k = 0; k < roof_metric_count(); k++)
        complete = complete && col_metric[k] >= 0;
    int ncounts = 0;
    for (int k = 0; k < NCOUNT; k++)
        ncounts += c_count[k] >= 0;
    if (ncounts != 0 && ncounts != NCOUNT) {
        rc =
            roof_error_set(err, ROOF_ERR_INPUT, path, "has some of the count columns (shard ... feasible) but not all");
        goto out;
    }
    id->have_counts = ncounts == NCOUNT;
    if (!complete) {
        rc = roof_error_set(err, ROOF_ERR_INPUT, path,
                            "not the csv output of 'llmroof search' (run it with --format csv)");
        goto out;
    }
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char where[600];
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        /* fgets splits a longer line in two: say so rather than count cells. */
        if (!strchr(line, '\n') && !feof(f)) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "line longer than %zu bytes", sizeof line - 1);
            goto out;
        }
        int got = split(line, cells, MAX_CELLS);
        if (got != nn) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "expected %d cells as in the header (got %d)", nn, got);
            goto out;
        }
        const roof_metric *m;
        if (roof_metric_find(cells[c_obj], where, &m, err) != ROOF_OK) {
            rc = err->code = ROOF_ERR_INPUT; /* a bad file, not a bad command line */
            goto out;
        }
        if (*objective && *objective != m) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "objective '%s' differs from '%s' of the other rows",
                                m->name, (*objective)->name);
            goto out;
        }
        *objective = m;
        roof_search_row row;
        memset(&row, 0, sizeof row);
        int64_t *plan[6] = {&row.plan.tp, &row.plan.pp, &row.plan.dp,
                            &row.plan.cp, &row.plan.ep, &row.plan.microbatches};
        int64_t sp = 0;
        rc = count_cell(cells[c_index], "index", 0, where, &row.index, err);
        for (int k = 0; k < 6 && rc == ROOF_OK; k++)
            rc = count_cell(cells[c_plan[k]], plan_cols[k], 1, where, plan[k], err);
        if (rc == ROOF_OK)
            rc = flag_cell(cells[c_plan[6]], "sp", where, &sp, err);
        row.plan.sp = (int)sp;
        for (int k = 0; k < NKNOB && rc == ROOF_OK; k++) {
            int64_t v = knob_default[k];
            if (c_knob[k] >= 0 && k == 4)
                rc = flag_cell(cells[c_knob[k]], knob_cols[k], where, &v, err);
            else if (c_knob[k] >= 0 &&
                     (rc = count_cell(cells[c_knob[k]], knob_cols[k], knob_min[k], where, &v, err)) == ROOF_OK &&
                     v > knob_max[k])
                rc = roof_error_set(err, ROOF_ERR_INPUT, where, "'%s' must be at most %lld (got %lld)", knob_cols[k],
                                    (long long)knob_max[k], (long long)v);
            int64_t *dst[NKNOB] = {&row.plan.vp, &row.plan.etp, NULL, NULL, NULL, NULL};
            if (dst[k])
                *dst[k] = v;
            else if (k == 2)
                row.plan.recompute = (int)v;
            else if (k == 3)
                row.plan.zero = (int)v;
            else if (k == 4)
                row.plan.dp_overlap = (int)v;
            else
                row.plan.offload = (int)v;
        }

        /* %.17g round-trips exactly: merged rows rank as in one run. */
        if (rc == ROOF_OK)
            rc = roof_csv_number(cells[c_objv], "objective_value", 0, path, (size_t)lineno, &row.objective, err);
        for (size_t k = 0; k < roof_metric_count() && rc == ROOF_OK; k++)
            rc = roof_csv_number(cells[col_metric[k]], roof_metric_at(k)->name, 1, path, (size_t)lineno,
                                 &row.metrics[k], err);
        if (rc != ROOF_OK)
            goto out;
        /* Every row of one search has its GPU count (the plan's product,
         * and the column where the file has it) and its scenario. */
        /* In double first: four cells near 2^63 overflow int64_t. */
        double g = (double)row.plan.tp * (double)row.plan.pp * (double)row.plan.dp * (double)row.plan.cp;
        if (g > 1e9) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "tp*pp*dp*cp = %.4g GPUs: more than 1e9", g);
            goto out;
        }
        int64_t gpus = (int64_t)g, col = 0;
        if (c_gpus >= 0 && (rc = count_cell(cells[c_gpus], "gpus", 1, where, &col, err)) != ROOF_OK)
            goto out;
        if (c_gpus >= 0 && col != gpus) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "'gpus' is %lld but the plan uses %lld", (long long)col,
                                (long long)gpus);
            goto out;
        }
        if (id->gpus && gpus != id->gpus) {
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "a plan of %lld GPUs among plans of %lld", (long long)gpus,
                                (long long)id->gpus);
            goto out;
        }
        id->gpus = gpus;
        if (c_scen >= 0) {
            const char *sc = cells[c_scen];
            if (strlen(sc) != 16 || strspn(sc, "0123456789abcdef") != 16) {
                rc = roof_error_set(err, ROOF_ERR_INPUT, where,
                                    "'%.40s' is not a scenario fingerprint (column "
                                    "'scenario')",
                                    sc);
                goto out;
            }
            if (id->scenario[0] && strcmp(sc, id->scenario) != 0) {
                rc = roof_error_set(err, ROOF_ERR_INPUT, where, "scenario %s differs from %s of the other rows", sc,
                                    id->scenario);
                goto out;
            }
            snprintf(id->scenario, sizeof id->scenario, "%s", sc);
        }
        if (id->have_counts && (rc = read_counts(cells, c_count, count_names, where, lineno == 2, id, err)) != ROOF_OK)
            goto out;
        if ((rc = roof_search_offer(res, top, m->higher_better, &row, err)) != ROOF_OK)
            goto out;
    }
out:
    fclose(f);
    return rc;
}
