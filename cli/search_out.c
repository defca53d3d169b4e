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
#include "model/model.h"

void roof_plan_choice_text(const roof_plan_choice *c, char *buf, size_t size)
{
    snprintf(buf, size, "tp %lld, pp %lld, dp %lld, cp %lld, ep %lld, mb %lld%s", (long long)c->tp, (long long)c->pp,
             (long long)c->dp, (long long)c->cp, (long long)c->ep, (long long)c->microbatches, c->sp ? ", sp" : "");
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
    static const char *const searched[] = {"parallel.tp", "parallel.pp", "parallel.dp",          "parallel.cp",
                                           "parallel.ep", "parallel.sp", "workload.microbatches"};
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
    id->gpus = so->gpus;
    snprintf(id->scenario, sizeof id->scenario, "%016llx", (unsigned long long)h);
}

void roof_search_put_rows(roof_out *out, const roof_search_result *res, const roof_metric *objective,
                          const roof_search_ident *id, int table)
{
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
        roof_out_int(out, "sp", r->plan.sp);
        roof_out_str(out, "objective", objective->name);
        roof_cli_put_metric(out, "objective_value", objective->unit, r->objective);
        for (size_t k = 0; k < roof_metric_count(); k++) {
            const roof_metric *m = roof_metric_at(k);
            if (!table || shown_in_table(m->name, objective))
                roof_cli_put_metric(out, m->name, m->unit, r->metrics[k]);
        }
        if (!table) {
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

int roof_search_read_csv(const char *path, size_t top, const roof_metric **objective, roof_search_result *res,
                         roof_search_ident *id, roof_error *err)
{
    id->gpus = 0;
    id->scenario[0] = '\0';
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
        for (size_t k = 0; k < roof_metric_count(); k++)
            if (strcmp(names[i], roof_metric_at(k)->name) == 0)
                col_metric[k] = i;
    }
    int complete = c_index >= 0 && c_obj >= 0 && c_objv >= 0;
    for (int k = 0; k < 7; k++)
        complete = complete && c_plan[k] >= 0;
    for (size_t k = 0; k < roof_metric_count(); k++)
        complete = complete && col_metric[k] >= 0;
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
        if (rc == ROOF_OK && (rc = count_cell(cells[c_plan[6]], "sp", 0, where, &sp, err)) == ROOF_OK && sp > 1)
            rc = roof_error_set(err, ROOF_ERR_INPUT, where, "'sp' must be 0 or 1 (got %lld)", (long long)sp);
        row.plan.sp = (int)sp;
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
        if ((rc = roof_search_offer(res, top, m->higher_better, &row, err)) != ROOF_OK)
            goto out;
    }
out:
    fclose(f);
    return rc;
}
