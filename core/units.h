/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Readable units for people: 0.00123 s becomes "1.230 ms", 3.35e12 B/s
 * becomes "3.350 TB/s". Decimal prefixes throughout, as datasheets use them.
 * Tables use this; csv and json print SI base units at full precision.
 */
#ifndef ROOF_CORE_UNITS_H
#define ROOF_CORE_UNITS_H

#include <stddef.h>

/* Formats v with unit (for example "s", "B", "B/s", "FLOP", "FLOP/s",
 * "FLOP/B", "W", "USD/h", "" for a plain number) into buf. Seconds go down
 * to ns; other units take k M G T P E prefixes. */
void roof_units_format(double v, const char *unit, char *buf, size_t size);

/* A time in s, ms or us with digits significant digits ("%.*g"): 3.2e-3
 * becomes "3.2 ms" at 3 digits. The short form of messages and labels
 * (the report checker's findings, the DAG's node labels). */
void roof_units_time(double s, int digits, char *buf, size_t size);

#endif
