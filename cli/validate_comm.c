/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/validate_comm.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "validation/comm_corpus.h"

/* A cell of the summary: collective (low-latency all-to-all apart), profile,
 * nodes above one apart, size decade. */
typedef struct {
    char what[40];
    char hw[32];
    int multi;
    int decade;
} cell;

static void cell_of(const roof_comm_row *r, cell *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->what, sizeof c->what, "%s%s", roof_collective_name(r->comm.op),
             r->comm.a2a_mode == ROOF_A2A_LOW_LATENCY ? " low_latency" : "");
    snprintf(c->hw, sizeof c->hw, "%s", r->hw);
    c->multi = r->comm.a2a_mode != ROOF_A2A_LOW_LATENCY && r->comm.nodes > 1;
    c->decade = r->comm.a2a_mode == ROOF_A2A_LOW_LATENCY ? 0 : roof_comm_row_decade(r);
}

static int same(const cell *a, const cell *b)
{
    return strcmp(a->what, b->what) == 0 && strcmp(a->hw, b->hw) == 0 && a->multi == b->multi && a->decade == b->decade;
}

static double err_of(double pred, double meas)
{
    return (pred - meas) / meas;
}

int roof_validate_comm_sections(roof_out *out, const char *data_dir, roof_error *err)
{
    roof_comm_corpus c;
    int rc = roof_comm_corpus_run(data_dir, &c, err);
    if (rc != ROOF_OK)
        return rc;
    roof_out_section(out, "comm_cv", ROOF_OUT_ROWS,
                     "Collectives (corpus/collectives.csv, ep_a2a.csv): MAPE per collective, profile, nodes and size "
                     "decade, in sample and leave-one-source-out");
    for (size_t i = 0; i < c.n; i++) {
        cell ci;
        cell_of(&c.rows[i], &ci);
        int first = 1;
        for (size_t j = 0; j < i && first; j++) {
            cell cj;
            cell_of(&c.rows[j], &cj);
            first = !same(&ci, &cj);
        }
        if (!first)
            continue;
        double s_in = 0.0, s_cv = 0.0, bias = 0.0, worst = -1.0;
        size_t k = 0, w = i;
        for (size_t j = i; j < c.n; j++) {
            cell cj;
            cell_of(&c.rows[j], &cj);
            if (!same(&ci, &cj))
                continue;
            const roof_comm_row *r = &c.rows[j];
            double e = err_of(r->cv_s, r->measured_s);
            s_in += fabs(err_of(r->insample_s, r->measured_s));
            s_cv += fabs(e);
            bias += e;
            if (fabs(e) > worst) {
                worst = fabs(e);
                w = j;
            }
            k++;
        }
        roof_out_row(out);
        roof_out_str(out, "collective", ci.what);
        roof_out_str(out, "hw", ci.hw);
        roof_out_str(out, "nodes", ci.multi ? ">1" : "1");
        char dec[32];
        if (c.rows[i].comm.a2a_mode == ROOF_A2A_LOW_LATENCY)
            snprintf(dec, sizeof dec, "EP rows");
        else
            snprintf(dec, sizeof dec, "1e%d B", ci.decade);
        roof_out_str(out, "size_decade", dec);
        roof_out_int(out, "cases", (int64_t)k);
        roof_out_num(out, "mape_insample", "%", 100.0 * s_in / (double)k);
        roof_out_num(out, "mape_cv", "%", 100.0 * s_cv / (double)k);
        roof_out_num(out, "bias_cv", "%", 100.0 * bias / (double)k);
        roof_out_str(out, "worst", c.rows[w].id);
        roof_out_num(out, "worst_cv_error", "%", 100.0 * err_of(c.rows[w].cv_s, c.rows[w].measured_s));
    }
    roof_out_section(out, "comm_cv_ep", ROOF_OUT_ROWS,
                     "Low-latency all-to-all (DeepEP, ep_a2a.csv) per row: the a2a latency refitted without the "
                     "row's table");
    for (size_t i = 0; i < c.n; i++) {
        const roof_comm_row *r = &c.rows[i];
        if (r->comm.a2a_mode != ROOF_A2A_LOW_LATENCY)
            continue;
        roof_out_row(out);
        roof_out_str(out, "case", r->id);
        roof_out_str(out, "source", r->source);
        roof_out_int(out, "ep", r->comm.group);
        roof_out_num(out, "measured_s", "s", r->measured_s);
        roof_out_num(out, "insample_s", "s", r->insample_s);
        roof_out_num(out, "cv_s", "s", r->cv_s);
        roof_out_num(out, "cv_error", "%", 100.0 * err_of(r->cv_s, r->measured_s));
    }
    roof_out_section(out, "comm_cv_scale", ROOF_OUT_RECORD,
                     "One NCCL latency factor (hw.network.node.nccl_latency_scale) for every NVIDIA profile, fitted "
                     "on the single-node rows of every source and the DGX H100 sweep, and without each source "
                     "(validation/comm_scale.h): reported, not shipped");
    roof_out_int(out, "rows", (int64_t)c.scale_rows);
    roof_out_int(out, "sources", (int64_t)c.scale_sources);
    roof_out_num(out, "insample", "", c.scale_insample);
    roof_out_num(out, "fold_min", "", c.scale_lo);
    roof_out_num(out, "fold_max", "", c.scale_hi);
    roof_out_int(out, "corpus_rows", (int64_t)c.scale_corpus_rows);
    roof_out_num(out, "mape_shipped", "%", 100.0 * c.scale_mape_shipped);
    roof_out_num(out, "mape_fit_insample", "%", 100.0 * c.scale_mape_insample);
    roof_out_num(out, "mape_fit_cv", "%", 100.0 * c.scale_mape_cv);
    roof_out_section(out, "comm_cv_issue", ROOF_OUT_RECORD,
                     "nccl-tests with one thread driving g GPUs (-g g) reports the slower of the collective and the "
                     "thread's issue time a + b g (validation/comm_harness.h), fitted on those rows and without each "
                     "source: their MAPE by the collective alone, with the fit in sample and leave-one-source-out");
    roof_out_int(out, "rows", (int64_t)c.issue_rows);
    roof_out_int(out, "sources", (int64_t)c.issue_sources);
    roof_out_num(out, "a_insample", "s", c.issue.a_s);
    roof_out_num(out, "b_insample", "s", c.issue.b_s);
    roof_out_num(out, "a_fold_min", "s", c.issue_a_lo);
    roof_out_num(out, "a_fold_max", "s", c.issue_a_hi);
    roof_out_num(out, "b_fold_min", "s", c.issue_b_lo);
    roof_out_num(out, "b_fold_max", "s", c.issue_b_hi);
    roof_out_num(out, "mape_collective", "%", 100.0 * c.issue_mape_model);
    roof_out_num(out, "mape_insample", "%", 100.0 * c.issue_mape_insample);
    roof_out_num(out, "mape_cv", "%", 100.0 * c.issue_mape_cv);
    roof_comm_corpus_free(&c);
    return ROOF_OK;
}
