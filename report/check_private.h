/* Shared by the parts of the checker (report/check.c, report/match.c);
 * not a public interface. */
#ifndef ROOF_REPORT_CHECK_PRIVATE_H
#define ROOF_REPORT_CHECK_PRIVATE_H

#include "report/check.h"

/* Adds a finding (an identical one on the same line is not repeated). */
void roof_check_add(roof_check *c, roof_severity sev, int line, const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A time for messages: "3.2 ms". */
const char *roof_check_ms(double s, char *buf, size_t size);

/* Matches call i of c->rep to the op of res it most likely means and adds
 * the findings on its shape. */
void roof_check_match_call(roof_check *c, const roof_scenario *s, const roof_result *res, int i);

#endif
