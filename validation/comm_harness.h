/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What nccl-tests measures when one thread drives several GPUs (-g N). Its
 * timing loop (NVIDIA/nccl-tests@a0b82b2, src/common.cu lines 728-783)
 * reads the host clock around `iters` calls of startColl and divides: each
 * call (lines 540-619) enqueues the collective on every GPU of the thread
 * inside one ncclGroupStart/End, whose end launches the kernels, one per
 * GPU. The enqueue of one iteration runs while the GPUs finish the last,
 * so the reported time is the slower of the two: the collective, or the
 * thread's issue time. The issue time grows with the GPUs a thread drives
 * and depends on the host (its CPU, driver and NCCL), which no profile
 * describes; it is modelled as a + b g for g GPUs per thread and fitted on
 * the corpus's rows so run (corpus/collectives.csv, gpus_per_thread), each
 * source's rows predicted from a fit without them. Applications launch one
 * rank per GPU process or thread (torch.distributed, MPI, Slurm), the
 * model's own predictions (`llmroof comm`) carry no such floor.
 */
#ifndef ROOF_VALIDATION_COMM_HARNESS_H
#define ROOF_VALIDATION_COMM_HARNESS_H

#include <stddef.h>

/* The issue time per iteration of a thread driving g GPUs: a + b g. */
typedef struct roof_comm_issue {
    double a_s, b_s;
} roof_comm_issue;

/* The time nccl-tests reports for a collective of model_s on g GPUs per
 * thread: model_s for g <= 1, else max(model_s, a + b g). */
double roof_comm_harness_time(double model_s, int g, const roof_comm_issue *k);

/* Fits k on the n rows with g[i] > 1 whose source[i] is not skip (NULL:
 * every one): the grid point (a in 0..20 us by 0.5, b in 0..8 us by 0.25)
 * of least sum |log(time / measured)| (least absolute deviation in log:
 * a few hosts far off do not set it), the first in grid order on a tie.
 * *used: the rows it saw; with none, k is {0, 0}. */
void roof_comm_harness_fit(const double *model_s, const double *measured_s, const int *g, const char *const *source,
                           size_t n, const char *skip, roof_comm_issue *k, size_t *used);

#endif
