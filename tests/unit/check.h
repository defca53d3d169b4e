/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The checks the unit tests share: a value within a relative
 * tolerance of the one worked out by hand (a NaN on either side fails), and
 * an error's code, place and message exactly. Include it after cmocka.h. */
#ifndef ROOF_TESTS_CHECK_H
#define ROOF_TESTS_CHECK_H

#include <math.h>

#include "core/error.h"

static inline void check_rel(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fabs(want)))
        fail_msg("%s: got %.17g, want %.17g (rel tol %g)", what, got, want, tol);
}

static inline void check_err(const roof_error *err, int code, const char *where, const char *msg)
{
    assert_int_equal(err->code, code);
    assert_string_equal(err->where, where);
    assert_string_equal(err->msg, msg);
}

#endif
