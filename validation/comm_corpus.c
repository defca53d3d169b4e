/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "validation/comm_corpus.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "hw/profile.h"
#include "validation/comm_scale.h"
#include "validation/gpu_names.h"

/* "owner/name@commit" to "owner/name". */
static void source_of(const char *cell, char *out, size_t cap)
{
    snprintf(out, cap, "%s", cell);
    char *at = strchr(out, '@');
    if (at)
        *at = '\0';
}

static int grow(roof_comm_corpus *c, size_t *cap, roof_error *err)
{
    if (c->n < *cap)
        return ROOF_OK;
    size_t ncap = *cap ? 2 * *cap : 256;
    roof_comm_row *r = realloc(c->rows, ncap * sizeof *r);
    if (!r)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
    c->rows = r;
    *cap = ncap;
    return ROOF_OK;
}

static int need(const roof_csv *csv, const char *path, const char *name, int *col, roof_error *err)
{
    *col = roof_csv_col(csv, name);
    if (*col < 0)
        return roof_error_set(err, ROOF_ERR_INPUT, path, "missing column '%s'", name);
    return ROOF_OK;
}

/* The NCCL environment of a row (validation/comm_corpus.h). */
int roof_comm_nccl_env(const char *cell, int64_t nodes, roof_comm *cm, int *nvls_off, int *sharp, const char *path,
                       size_t line, roof_error *err)
{
    static const struct {
        const char *name;
        roof_algo one, multi; /* inside one node, across nodes (AUTO: not there) */
    } algos[] = {{"Ring", ROOF_ALGO_RING, ROOF_ALGO_RING},
                 {"Tree", ROOF_ALGO_TREE, ROOF_ALGO_TREE},
                 {"NVLS", ROOF_ALGO_NVLS, ROOF_ALGO_NVLS_SHARP},
                 {"NVLSTree", ROOF_ALGO_AUTO, ROOF_ALGO_NVLS},
                 {"CollNetDirect", ROOF_ALGO_AUTO, ROOF_ALGO_COLLNET_DIRECT},
                 {"CollNetChain", ROOF_ALGO_AUTO, ROOF_ALGO_COLLNET_CHAIN}};
    char where[600], buf[256];
    snprintf(where, sizeof where, "%.500s:%zu", path, line);
    if (strlen(cell) >= sizeof buf)
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'nccl_env' longer than %zu characters", sizeof buf - 1);
    snprintf(buf, sizeof buf, "%s", cell);
    const char *algo_name = NULL;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(tok, '=');
        const char *v = eq ? eq + 1 : "";
        if (eq)
            *eq = '\0';
        int ok = 0;
        if (strcmp(tok, "NCCL_NVLS_ENABLE") == 0 && (strcmp(v, "0") == 0 || strcmp(v, "1") == 0))
            *nvls_off = v[0] == '0', ok = 1;
        else if (strcmp(tok, "NCCL_COLLNET_ENABLE") == 0 && (strcmp(v, "0") == 0 || strcmp(v, "1") == 0))
            *sharp = v[0] == '1', ok = 1;
        else if (strcmp(tok, "NCCL_ALGO") == 0)
            for (size_t i = 0; i < sizeof algos / sizeof *algos && !ok; i++)
                if (strcmp(v, algos[i].name) == 0) {
                    cm->algo = nodes > 1 ? algos[i].multi : algos[i].one;
                    algo_name = algos[i].name;
                    ok = cm->algo != ROOF_ALGO_AUTO;
                }
        if (!ok)
            return roof_error_set(err, ROOF_ERR_INPUT, where,
                                  "'nccl_env' setting '%s=%s' is not one of NCCL_ALGO=Ring|Tree|NVLS|NVLSTree|"
                                  "CollNetDirect|CollNetChain (NVLSTree and CollNet across nodes only), "
                                  "NCCL_NVLS_ENABLE=0|1, NCCL_COLLNET_ENABLE=0|1",
                                  tok, v);
    }
    /* What the other settings rule out, as NCCL would refuse it. */
    int in_network =
        cm->algo == ROOF_ALGO_COLLNET_DIRECT || cm->algo == ROOF_ALGO_COLLNET_CHAIN || cm->algo == ROOF_ALGO_NVLS_SHARP;
    if (in_network && !*sharp)
        return roof_error_set(err, ROOF_ERR_INPUT, where,
                              "'nccl_env' NCCL_ALGO=%s across nodes needs NCCL_COLLNET_ENABLE=1 (the network's SHARP)",
                              algo_name);
    if (*nvls_off && (cm->algo == ROOF_ALGO_NVLS || cm->algo == ROOF_ALGO_NVLS_SHARP))
        return roof_error_set(err, ROOF_ERR_INPUT, where, "'nccl_env' NCCL_ALGO=%s with NCCL_NVLS_ENABLE=0", algo_name);
    return ROOF_OK;
}

/* A count cell read as a number: a whole number in [lo, hi], or NAN
 * (empty). */
static int whole(double v, double lo, double hi, const char *col, const char *path, size_t line, roof_error *err)
{
    if (isnan(v) || (v >= lo && v <= hi && v == floor(v)))
        return ROOF_OK;
    return roof_error_at(err, ROOF_ERR_INPUT, path, line, "'%s' must be a whole number from %g to %g (got %g)", col, lo,
                         hi, v);
}

/* corpus/collectives.csv: the time in microseconds, or else the bus
 * bandwidth (algbw = busbw / bus factor, nccl-tests doc/PERFORMANCE.md).
 * GB200 rows of Azure give no GPU count: their note says an ND GB200 v6 VM
 * has 4 GPUs. */
static int load_collectives(const char *path, roof_comm_corpus *c, size_t *cap, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    enum { ID, SRC, GPU, NG, NN, COLL, SIZE, US, BUS, TRUST, NCOL };
    static const char *const names[NCOL] = {"case_id",    "source",     "gpu",     "gpus",       "nodes",
                                            "collective", "size_bytes", "time_us", "busbw_GBps", "trust"};
    int col[NCOL];
    for (int i = 0; i < NCOL && rc == ROOF_OK; i++)
        rc = need(&csv, path, names[i], &col[i], err);
    int env_col = roof_csv_col(&csv, "nccl_env");           /* optional */
    int thread_col = roof_csv_col(&csv, "gpus_per_thread"); /* optional; empty: one rank per GPU */
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++) {
        const char *gpu = roof_csv_cell(&csv, r, col[GPU]), *coll = roof_csv_cell(&csv, r, col[COLL]);
        const char *hw = roof_pub_profile_of(gpu);
        roof_comm cm = {.algo = ROOF_ALGO_AUTO};
        roof_error e2;
        if (strcmp(coll, "alltoall") == 0)
            cm.op = ROOF_COLL_ALL_TO_ALL;
        else if (roof_collective_parse(coll, &cm.op, &e2) != ROOF_OK)
            hw = NULL;
        double size = 0, us = NAN, bus = NAN, ng = NAN, nn = NAN;
        size_t line = csv.lines[r];
        if ((rc = roof_csv_number(roof_csv_cell(&csv, r, col[SIZE]), "size_bytes", 0, path, line, &size, err)) ||
            (rc = roof_csv_number(roof_csv_cell(&csv, r, col[US]), "time_us", 1, path, line, &us, err)) ||
            (rc = roof_csv_number(roof_csv_cell(&csv, r, col[BUS]), "busbw_GBps", 1, path, line, &bus, err)) ||
            (rc = roof_csv_number(roof_csv_cell(&csv, r, col[NG]), "gpus", 1, path, line, &ng, err)) ||
            (rc = roof_csv_number(roof_csv_cell(&csv, r, col[NN]), "nodes", 1, path, line, &nn, err)) ||
            (rc = whole(ng, 1, 1e7, "gpus", path, line, err)) || (rc = whole(nn, 1, 1e6, "nodes", path, line, err)))
            break;
        if (isnan(ng) && strncmp(gpu, "GB200", 5) == 0)
            ng = 4.0;
        double per_thread = NAN;
        if (thread_col >= 0 && ((rc = roof_csv_number(roof_csv_cell(&csv, r, thread_col), "gpus_per_thread", 1, path,
                                                      line, &per_thread, err)) ||
                                (rc = whole(per_thread, 1, isnan(ng) ? 1e7 : ng, "gpus_per_thread", path, line, err))))
            break;
        /* GB200 "nodes" are trays of 4 GPUs inside one NVL72 NVLink domain:
         * the profile's node is the domain (below), one node. */
        int rack = hw && strcmp(hw, "gb200") == 0;
        int nvls_off = 0, sharp = 0;
        if (env_col >= 0 &&
            (rc = roof_comm_nccl_env(roof_csv_cell(&csv, r, env_col), nn > 1.0 && !rack ? (int64_t)nn : 1, &cm,
                                     &nvls_off, &sharp, path, line, err)) != ROOF_OK)
            break;
        int low = strcmp(roof_csv_cell(&csv, r, col[TRUST]), "low") == 0;
        double t = us > 0.0 ? us * 1e-6 : NAN;
        if (isnan(t) && bus > 0.0 && ng >= 2.0)
            t = size / (bus * 1e9 / roof_collective_bus_factor(cm.op, (int64_t)ng));
        if (!hw || low || !(size > 0.0) || !(t > 0.0) || !(ng >= 2.0) || !(nn >= 1.0)) {
            c->skipped++;
            continue;
        }
        if ((rc = grow(c, cap, err)) != ROOF_OK)
            break;
        roof_comm_row *row = &c->rows[c->n++];
        memset(row, 0, sizeof *row);
        snprintf(row->id, sizeof row->id, "%s", roof_csv_cell(&csv, r, col[ID]));
        source_of(roof_csv_cell(&csv, r, col[SRC]), row->source, sizeof row->source);
        snprintf(row->hw, sizeof row->hw, "%s", hw);
        cm.bytes = size;
        cm.group = (int64_t)ng;
        cm.nodes = rack ? 0 : (int64_t)nn; /* a GB200 group is packed into the rack */
        row->comm = cm;
        row->nvls_off = nvls_off;
        row->sharp = sharp;
        row->per_thread = isnan(per_thread) ? 1 : (int)per_thread;
        row->line = line;
        row->measured_s = t;
    }
    roof_csv_free(&csv);
    return rc;
}

/* corpus/ep_a2a.csv: DeepEP's low-latency rows (time_us); the normal
 * kernels' rows give bandwidths only and are left out. Bytes each GPU
 * sends: tokens x top-k x hidden x dtype size (fp8 dispatch carries one
 * fp32 scale per 128 channels besides, DeepEP README "FP8 dispatching").
 * Each node holds 8 GPUs (H800 HGX). */
static int load_ep(const char *path, roof_comm_corpus *c, size_t *cap, roof_error *err)
{
    roof_csv csv;
    int rc = roof_csv_read(path, &csv, err);
    if (rc != ROOF_OK)
        return rc;
    enum { ID, SRC, LOC, GPU, MODE, EP, TOK, HID, TOPK, DT, US, TRUST, NCOL };
    static const char *const names[NCOL] = {"case_id", "source", "locator", "gpu",   "mode",    "ep",
                                            "tokens",  "hidden", "topk",    "dtype", "time_us", "trust"};
    int col[NCOL];
    for (int i = 0; i < NCOL && rc == ROOF_OK; i++)
        rc = need(&csv, path, names[i], &col[i], err);
    for (size_t r = 0; r < csv.nrows && rc == ROOF_OK; r++) {
        const char *hw = roof_pub_profile_of(roof_csv_cell(&csv, r, col[GPU]));
        double ep = NAN, tok = NAN, hid = NAN, topk = NAN, us = NAN;
        size_t line = csv.lines[r];
        if ((rc = roof_csv_number(roof_csv_cell(&csv, r, col[EP]), "ep", 1, path, line, &ep, err)) ||
            (rc = roof_csv_number(roof_csv_cell(&csv, r, col[TOK]), "tokens", 1, path, line, &tok, err)) ||
            (rc = roof_csv_number(roof_csv_cell(&csv, r, col[HID]), "hidden", 1, path, line, &hid, err)) ||
            (rc = roof_csv_number(roof_csv_cell(&csv, r, col[TOPK]), "topk", 1, path, line, &topk, err)) ||
            (rc = roof_csv_number(roof_csv_cell(&csv, r, col[US]), "time_us", 1, path, line, &us, err)) ||
            (rc = whole(ep, 1, 1e6, "ep", path, line, err)))
            break;
        const char *dt = roof_csv_cell(&csv, r, col[DT]);
        int ll = strcmp(roof_csv_cell(&csv, r, col[MODE]), "low_latency") == 0;
        int low = strcmp(roof_csv_cell(&csv, r, col[TRUST]), "low") == 0;
        if (!hw || !ll || low || !(us > 0.0) || !(ep >= 2.0) || !(tok > 0.0) || !(hid > 0.0) || !(topk > 0.0)) {
            c->skipped++;
            continue;
        }
        double per_token = strcmp(dt, "fp8") == 0 ? hid + hid / 128.0 * 4.0 : hid * 2.0;
        if ((rc = grow(c, cap, err)) != ROOF_OK)
            break;
        roof_comm_row *row = &c->rows[c->n++];
        memset(row, 0, sizeof *row);
        snprintf(row->id, sizeof row->id, "%s", roof_csv_cell(&csv, r, col[ID]));
        source_of(roof_csv_cell(&csv, r, col[SRC]), row->source, sizeof row->source);
        /* One source, two tables: the first release (pure RDMA) and the
         * one after PR #173 (NVLink inside a node) are held out apart. */
        row->pure_rdma = strstr(roof_csv_cell(&csv, r, col[LOC]), "pure RDMA") != NULL;
        row->per_thread = 1;
        snprintf(row->source + strlen(row->source), sizeof row->source - strlen(row->source), "%s",
                 row->pure_rdma ? " (pure RDMA)" : " (NVLink)");
        snprintf(row->hw, sizeof row->hw, "%s", hw);
        int64_t p = (int64_t)ep;
        row->comm = (roof_comm){.op = ROOF_COLL_ALL_TO_ALL,
                                .bytes = tok * topk * per_token,
                                .group = p,
                                .nodes = p > 8 ? p / 8 : 1,
                                .a2a_mode = ROOF_A2A_LOW_LATENCY};
        row->line = line;
        row->measured_s = us * 1e-6;
    }
    roof_csv_free(&csv);
    return rc;
}

int roof_comm_row_decade(const roof_comm_row *r)
{
    return (int)floor(log10(r->comm.bytes));
}

/* The row's time on hw with a2a latency lat (NAN: the profile's). The
 * first release's low-latency kernels wrote every peer by RDMA: each GPU is
 * then its own NVLink domain (node size 1, the group spans p nodes). */
static int predict(const roof_comm_row *row, const roof_hw *base, double lat, double *out, roof_error *err)
{
    roof_hw hw;
    roof_comm_row_hw(row, base, &hw);
    roof_comm c = row->comm;
    if (!isnan(lat))
        hw.node.a2a_latency = lat;
    if (row->pure_rdma) {
        hw.node.size = 1;
        c.nodes = c.group;
        if (hw.cluster.size < c.group)
            hw.cluster.size = c.group;
    }
    roof_comm_time t;
    int rc = roof_comm_time_of(&hw, &c, &t, err);
    *out = t.time_s;
    return rc;
}

/* The least-squares a2a latency over the low-latency rows of hw_name not
 * from source skip: mean of measured minus modelled transfer. NAN: none. */
static int fit_latency(const roof_comm_corpus *c, const roof_hw *hw, const char *skip, double *lat, roof_error *err)
{
    double sum = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        const roof_comm_row *r = &c->rows[i];
        if (r->comm.a2a_mode != ROOF_A2A_LOW_LATENCY || strcmp(r->hw, hw->name) != 0 ||
            (skip && strcmp(r->source, skip) == 0))
            continue;
        double t0;
        int rc = predict(r, hw, 0.0, &t0, err);
        if (rc != ROOF_OK)
            return rc;
        sum += r->measured_s - t0;
        k++;
    }
    *lat = k ? sum / (double)k : NAN;
    return ROOF_OK;
}

/* Whether rows[i] is the first of its source among the rows before it that
 * keep admits (NULL: every row): fit_scale and fit_issue take each source
 * once, in the order of its first row. */
static int first_of_source(const roof_comm_row *rows, size_t i, int (*keep)(const roof_comm_row *))
{
    for (size_t j = 0; j < i; j++)
        if ((!keep || keep(&rows[j])) && strcmp(rows[j].source, rows[i].source) == 0)
            return 0;
    return 1;
}

/* A row nccl-tests ran with one thread driving several GPUs. */
static int harness_row(const roof_comm_row *r)
{
    return r->per_thread > 1;
}

/* NCCL's latency factor over the corpus's single-node rows and the DGX
 * H100 sweep, in sample and without each source, and what it would do to
 * the corpus's rows: their MAPE with the shipped profiles, with the
 * factor fitted on every source (in sample) and with the factor of the
 * fold that left their source out (CV). Reported, not shipped: the rows'
 * cv_s stay the shipped profiles' (docs/validation.md says why). */
static int fit_scale(const char *data_dir, roof_comm_corpus *c, roof_error *err)
{
    size_t n = 0, cap = c->n + 64;
    roof_comm_row *all = malloc(cap * sizeof *all);
    if (!all)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
    for (size_t i = 0; i < c->n; i++)
        if (roof_comm_scale_row(&c->rows[i]))
            all[n++] = c->rows[i];
    int rc = roof_comm_scale_load_sweep(data_dir, &all, &n, &cap, err);
    if (rc == ROOF_OK)
        rc = roof_comm_scale_fit(all, n, NULL, &c->scale_insample, &c->scale_rows, err);
    c->scale_lo = INFINITY;
    c->scale_hi = -INFINITY;
    c->scale_sources = 0;
    for (size_t i = 0; i < n && rc == ROOF_OK; i++) {
        if (!first_of_source(all, i, NULL))
            continue;
        c->scale_sources++;
        double k;
        size_t used;
        if ((rc = roof_comm_scale_fit(all, n, all[i].source, &k, &used, err)) != ROOF_OK || used == 0)
            continue; /* no other source: the row keeps the shipped factor (in-sample = CV) */
        c->scale_lo = fmin(c->scale_lo, k);
        c->scale_hi = fmax(c->scale_hi, k);
        for (size_t r = 0; r < c->n && rc == ROOF_OK; r++) {
            const roof_comm_row *row = &c->rows[r];
            if (!roof_comm_scale_row(row) || strcmp(row->source, all[i].source) != 0)
                continue;
            double t_in, t_cv;
            if ((rc = roof_comm_scale_predict(row, c->scale_insample, &t_in, err)) != ROOF_OK ||
                (rc = roof_comm_scale_predict(row, k, &t_cv, err)) != ROOF_OK)
                break;
            c->scale_mape_shipped += fabs(row->insample_s - row->measured_s) / row->measured_s;
            c->scale_mape_insample += fabs(t_in - row->measured_s) / row->measured_s;
            c->scale_mape_cv += fabs(t_cv - row->measured_s) / row->measured_s;
            c->scale_corpus_rows++;
        }
    }
    if (c->scale_corpus_rows) {
        c->scale_mape_shipped /= (double)c->scale_corpus_rows;
        c->scale_mape_insample /= (double)c->scale_corpus_rows;
        c->scale_mape_cv /= (double)c->scale_corpus_rows;
    }
    free(all);
    return rc;
}

/* The harness's issue floor on the rows of one thread driving several
 * GPUs (validation/comm_harness.h): fitted on all of them for the in-sample
 * times, and without each source for its rows' CV times; the collective's
 * own time, model_s, is the row's in-sample time before. */
static int fit_issue(roof_comm_corpus *c, roof_error *err)
{
    double *model = malloc(c->n * sizeof *model + 1), *meas = malloc(c->n * sizeof *meas + 1);
    int *g = malloc(c->n * sizeof *g + 1);
    const char **src = malloc(c->n * sizeof *src + 1);
    if (!model || !meas || !g || !src) {
        free(model);
        free(meas);
        free(g);
        free(src);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "validate", "out of memory");
    }
    for (size_t i = 0; i < c->n; i++) {
        model[i] = c->rows[i].insample_s;
        meas[i] = c->rows[i].measured_s;
        g[i] = c->rows[i].per_thread;
        src[i] = c->rows[i].source;
    }
    roof_comm_harness_fit(model, meas, g, src, c->n, NULL, &c->issue, &c->issue_rows);
    c->issue_a_lo = c->issue_b_lo = INFINITY;
    c->issue_a_hi = c->issue_b_hi = -INFINITY;
    for (size_t i = 0; i < c->n; i++) {
        if (g[i] <= 1 || !first_of_source(c->rows, i, harness_row))
            continue;
        c->issue_sources++;
        roof_comm_issue k;
        size_t used;
        roof_comm_harness_fit(model, meas, g, src, c->n, src[i], &k, &used);
        if (used) {
            c->issue_a_lo = fmin(c->issue_a_lo, k.a_s);
            c->issue_a_hi = fmax(c->issue_a_hi, k.a_s);
            c->issue_b_lo = fmin(c->issue_b_lo, k.b_s);
            c->issue_b_hi = fmax(c->issue_b_hi, k.b_s);
        }
        /* No other source so run: its rows keep the collective's time. */
        for (size_t j = i; j < c->n; j++)
            if (g[j] > 1 && strcmp(src[j], src[i]) == 0)
                c->rows[j].cv_s = used ? roof_comm_harness_time(model[j], g[j], &k) : model[j];
    }
    if (isinf(c->issue_a_lo)) { /* no fold had rows: the range is the fit's own */
        c->issue_a_lo = c->issue_a_hi = c->issue.a_s;
        c->issue_b_lo = c->issue_b_hi = c->issue.b_s;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (g[i] <= 1)
            continue;
        roof_comm_row *r = &c->rows[i];
        r->insample_s = roof_comm_harness_time(model[i], g[i], &c->issue);
        c->issue_mape_model += fabs(model[i] - meas[i]) / meas[i];
        c->issue_mape_insample += fabs(r->insample_s - meas[i]) / meas[i];
        c->issue_mape_cv += fabs(r->cv_s - meas[i]) / meas[i];
    }
    if (c->issue_rows) {
        c->issue_mape_model /= (double)c->issue_rows;
        c->issue_mape_insample /= (double)c->issue_rows;
        c->issue_mape_cv /= (double)c->issue_rows;
    }
    free(model);
    free(meas);
    free(g);
    free(src);
    return ROOF_OK;
}

/* A row the model refuses (a setting its nccl_env forces that the profile
 * cannot run): bad input at the row's file and line. */
static int row_error(const char *data_dir, const roof_comm_row *r, roof_error *err)
{
    char where[1100], msg[sizeof err->msg];
    snprintf(where, sizeof where, "%.1000s/corpus/%s:%zu", data_dir,
             r->comm.a2a_mode == ROOF_A2A_LOW_LATENCY ? "ep_a2a.csv" : "collectives.csv", r->line);
    snprintf(msg, sizeof msg, "%s", err->msg);
    return roof_error_set(err, ROOF_ERR_INPUT, where, "case '%s': %s", r->id, msg);
}

int roof_comm_corpus_run(const char *data_dir, roof_comm_corpus *out, roof_error *err)
{
    memset(out, 0, sizeof *out);
    char path[1024];
    size_t cap = 0;
    snprintf(path, sizeof path, "%s/corpus/collectives.csv", data_dir);
    int rc = load_collectives(path, out, &cap, err);
    if (rc == ROOF_OK) {
        snprintf(path, sizeof path, "%s/corpus/ep_a2a.csv", data_dir);
        rc = load_ep(path, out, &cap, err);
    }
    roof_hw hw;
    char loaded[32] = "";
    for (size_t i = 0; i < out->n && rc == ROOF_OK; i++) {
        roof_comm_row *r = &out->rows[i];
        if (strcmp(loaded, r->hw) != 0) {
            if ((rc = roof_hw_load(r->hw, &hw, err)) != ROOF_OK)
                break;
            snprintf(loaded, sizeof loaded, "%s", r->hw);
        }
        if ((rc = predict(r, &hw, NAN, &r->insample_s, err)) != ROOF_OK) {
            rc = row_error(data_dir, r, err);
            break;
        }
        r->cv_s = r->insample_s;
        if (r->comm.a2a_mode != ROOF_A2A_LOW_LATENCY)
            continue; /* nothing fitted: NCCL's tables and the profile's sourced values */
        double lat = NAN;
        if ((rc = fit_latency(out, &hw, r->source, &lat, err)) != ROOF_OK)
            break;
        /* No other source: the profile's value stays, marked by equal
         * in-sample and CV figures. */
        if (!isnan(lat) && (rc = predict(r, &hw, lat, &r->cv_s, err)) != ROOF_OK)
            break;
    }
    if (rc == ROOF_OK)
        rc = fit_scale(data_dir, out, err);
    if (rc == ROOF_OK)
        rc = fit_issue(out, err);
    if (rc != ROOF_OK)
        roof_comm_corpus_free(out);
    return rc;
}

void roof_comm_corpus_free(roof_comm_corpus *c)
{
    free(c->rows);
    memset(c, 0, sizeof *c);
}
