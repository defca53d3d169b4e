/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the loaders of validation/published*.c: columns,
 * numbers and cases of the reference CSVs. */
#ifndef ROOF_VALIDATION_PUBLISHED_ROWS_H
#define ROOF_VALIDATION_PUBLISHED_ROWS_H

#include "core/csv.h"
#include "model/evaluate.h"
#include "validation/published.h"

/* The runtime.engine of a serving engine as corpus/serving.csv names it
 * ("TensorRT-LLM" -> "trtllm", "vLLM", "SGLang"), or NULL. */
const char *roof_pub_engine_runtime(const char *engine);

/* The case array roof_pub_load allocates holds this many rows. */
#define ROOF_PUB_MAX_CASES 4096

/* Seconds of warm-up at full load after which a GEMM benchmark runs at
 * the power-limited clock (roof_pub_case.sustained): mamf-finder.py's
 * sustained rate (MSMF) is timed after a shape has run 1 s untimed, the
 * GPU keeping "some of its boost for a fraction of a second after a shape
 * starts" (stas00/ml-engineering, compute/accelerator/benchmarks/README.md,
 * "How MAMF and MSMF are defined", mamf-finder benchmark_version 4). */
#define ROOF_PUB_SUSTAINED_S 1.0

/* A latency's unit cell in seconds ("" is ms; 0: not a time unit). */
double roof_pub_time_unit(const char *unit);

/* Whether s is all a number above zero and finite, into *v (a cell a row
 * is left out for, not an error). */
int roof_pub_pos_text(const char *s, double *v);

/* Cell (r, c) of an optional column: col[c] < 0 where the file has none,
 * which reads as "". */
const char *roof_pub_opt_cell(const roof_csv *csv, const int *col, size_t r, int c);

/* The deployment config (in validation/configs) of a serving row's model
 * as corpus/serving.csv names it, or NULL. */
const char *roof_pub_serve_config(const char *model);

/* The index of column name, or an error naming path. */
int roof_pub_need_col(const roof_csv *csv, const char *path, const char *name, int *col, roof_error *err);

/* Cell (r, c) as a finite number, or an error naming path:line. */
int roof_pub_number(const roof_csv *csv, const char *path, size_t r, int c, double *v, roof_error *err);

/* Cell (r, c) as a number above zero, or an error naming path:line. */
int roof_pub_positive(const roof_csv *csv, const char *path, size_t r, int c, double *v, roof_error *err);

/* A row's harness floor: its overhead_us cell (column index col, < 0
 * where the file has none) in seconds, 0 where absent or empty; an error
 * naming path:line where it is not above zero. */
int roof_pub_harness_floor(const roof_csv *csv, const char *path, size_t r, int col, double *seconds, roof_error *err);

/* A case timed with its harness's own floor (roof_pub_case.
 * harness_overhead_s, where set) in place of hw's per-kernel overhead. */
void roof_pub_harness_overhead(const roof_pub_case *c, roof_hw *hw);

/* Rows already in group: the position of the next one. */
size_t roof_pub_group_count(const roof_pub_case *cases, size_t n, const char *group);

/* A new zeroed case at the end; NULL when the array is full. */
roof_pub_case *roof_pub_add(roof_pub_case *cases, size_t *n);

/* Counts one row left out for reason (a static string). */
void roof_pub_skip(roof_pub_skips *sk, const char *reason);

/* The rows of corpus/gemm.csv (published_gemm.c); the others are
 * counted in skips with their reason. */
int roof_pub_load_corpus_gemm(const char *path, roof_pub_case *cases, size_t *n, roof_pub_skips *skips,
                              roof_error *err);
/* Predicts a GEMM case on hw with the library that measured it, relative
 * to its run's reference row where it has one (published_gemm.c). */
int roof_pub_predict_gemm(roof_pub_case *c, const roof_hw *hw, roof_error *err);
/* The profile a GEMM case is timed on: hw at its sustained fraction where
 * the row ran warm (roof_pub_case.sustained), with the row's library, in
 * *out. */
void roof_pub_gemm_hw(const roof_pub_case *c, const roof_hw *hw, roof_hw *out);
/* The training rows (published_train.c). */
int roof_pub_load_training(const char *data_dir, const char *config_dir, roof_pub_case *cases, size_t *n,
                           roof_error *err);
/* The dense training rows of corpus/training.csv (published_train.c);
 * the others are counted in skips with their reason. */
int roof_pub_load_corpus_training(const char *path, const char *config_dir, roof_pub_case *cases, size_t *n,
                                  roof_pub_skips *skips, roof_error *err);
/* The static-batch rows of corpus/serving.csv (published_serving.c). */
int roof_pub_load_corpus_serving(const char *path, const char *config_dir, roof_pub_case *cases, size_t *n,
                                 roof_pub_skips *skips, roof_error *err);
/* The attention rows of corpus/attention.csv (published_attn.c); the
 * others are counted in skips with their reason. */
int roof_pub_load_corpus_attention(const char *path, roof_pub_case *cases, size_t *n, roof_pub_skips *skips,
                                   roof_error *err);
/* Predicts an attention case on hw (published_attn.c). */
int roof_pub_predict_attention(roof_pub_case *c, const roof_hw *hw, roof_error *err);
/* The source of a 'source' cell: its repository owner/name without the
 * commit, or a paper's name without what follows '('. */
void roof_pub_source_of(const char *raw, const roof_pub_case *cases, size_t n, char *out, size_t size);
/* Whether a row of corpus/serving.csv (its request_rate, concurrency
 * and notes cells) is published_load.c's: at a rate or concurrency, or a
 * run of all its --num-prompts at once (rate inf). */
int roof_pub_load_owns(const char *rate, const char *concurrency, const char *notes);
/* The rows of corpus/serving.csv at a request rate (published_load.c);
 * the others at a rate are counted in skips with their reason. */
int roof_pub_load_corpus_load(const char *path, const char *config_dir, roof_pub_case *cases, size_t *n,
                              roof_pub_skips *skips, roof_error *err);
/* Predicts a serving row by the simulation of its run on hw (s: scratch). */
int roof_pub_predict_serve(roof_pub_case *c, const roof_hw *hw, roof_scenario *s, roof_error *err);
/* Appends "PATH=VALUE" to c's settings; 0 when they are full. */
int roof_pub_set(roof_pub_case *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Predicts a training, layer or request case on hw (the fits pass a fitted profile). */
int roof_pub_predict_training(roof_pub_case *c, const roof_hw *hw, roof_scenario *s, roof_result *res, roof_error *err);

#endif
