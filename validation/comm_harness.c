/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "validation/comm_harness.h"

#include <math.h>
#include <string.h>

double roof_comm_harness_time(double model_s, int g, const roof_comm_issue *k)
{
    if (g <= 1)
        return model_s;
    double issue = k->a_s + k->b_s * (double)g;
    return issue > model_s ? issue : model_s;
}

void roof_comm_harness_fit(const double *model_s, const double *measured_s, const int *g, const char *const *source,
                           size_t n, const char *skip, roof_comm_issue *k, size_t *used)
{
    enum { NA = 41, NB = 33 }; /* a = 0, 0.5, ..., 20 us; b = 0, 0.25, ..., 8 us */
    double best = INFINITY;
    k->a_s = k->b_s = 0.0;
    *used = 0;
    for (size_t i = 0; i < n; i++)
        *used += g[i] > 1 && !(skip && strcmp(source[i], skip) == 0);
    if (*used == 0)
        return;
    for (int ia = 0; ia < NA; ia++)
        for (int ib = 0; ib < NB; ib++) {
            roof_comm_issue t = {0.5e-6 * ia, 0.25e-6 * ib};
            double loss = 0.0;
            for (size_t i = 0; i < n && loss < best; i++)
                if (g[i] > 1 && !(skip && strcmp(source[i], skip) == 0))
                    loss += fabs(log(roof_comm_harness_time(model_s[i], g[i], &t) / measured_s[i]));
            if (loss < best) {
                best = loss;
                *k = t;
            }
        }
}
