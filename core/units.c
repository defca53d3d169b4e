/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "core/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void roof_units_format(double v, const char *unit, char *buf, size_t size)
{
    if (!unit)
        unit = "";
    double a = fabs(v);
    if (strcmp(unit, "s") == 0) {
        if (a == 0.0)
            snprintf(buf, size, "0 s");
        else if (a < 1e-6)
            snprintf(buf, size, "%.3f ns", v * 1e9);
        else if (a < 1e-3)
            snprintf(buf, size, "%.3f us", v * 1e6);
        else if (a < 1.0)
            snprintf(buf, size, "%.3f ms", v * 1e3);
        else
            snprintf(buf, size, "%.3f s", v);
        return;
    }
    /* Units that do not take prefixes: fractions and plain ratios. */
    if (unit[0] == '\0' || strcmp(unit, "FLOP/B") == 0 || strcmp(unit, "USD/h") == 0) {
        snprintf(buf, size, "%.4g%s%s", v, unit[0] ? " " : "", unit);
        return;
    }
    static const char prefixes[] = " kMGTPE";
    int i = 0;
    while (a >= 1000.0 && i < 6) {
        a /= 1000.0;
        v /= 1000.0;
        i++;
    }
    if (i == 0)
        snprintf(buf, size, "%.4g %s", v, unit);
    else
        snprintf(buf, size, "%.3f %c%s", v, prefixes[i], unit);
}

void roof_units_time(double s, int digits, char *buf, size_t size)
{
    if (s >= 1.0)
        snprintf(buf, size, "%.*g s", digits, s);
    else if (s >= 1e-3)
        snprintf(buf, size, "%.*g ms", digits, s * 1e3);
    else
        snprintf(buf, size, "%.*g us", digits, s * 1e6);
}
