/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Numbers with SI and binary suffixes, and counts; errors at an input
 * file's line (roof_error_at). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/number.h"

static void check_double(const char *text, double want)
{
    double got = -1.0;
    roof_error err;
    assert_int_equal(roof_parse_double(text, &got, &err), ROOF_OK);
    if (got != want)
        fail_msg("'%s': got %.17g, want %.17g", text, got, want);
}

static void check_error(const char *text, const char *msg)
{
    double got = 0.0;
    roof_error err;
    assert_int_equal(roof_parse_double(text, &got, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, msg);
}

static void test_plain_and_suffixes(void **state)
{
    (void)state;
    check_double("2.385", 2.385);
    check_double("-7.5e-3", -7.5e-3);
    check_double("3.35T", 3.35e12);
    check_double("989.4T", 989.4e12);
    check_double("1k", 1000.0);
    check_double("2.5M", 2.5e6);
    check_double("80G", 80e9);
    check_double("1.5P", 1.5e15);
    /* Binary prefixes: 64 * 2^20 = 67108864; 16 * 2^30 = 17179869184. */
    check_double("64Mi", 67108864.0);
    check_double("16Gi", 17179869184.0);
    check_double("3Ki", 3072.0);
    check_double("2Ti", 2199023255552.0);
    /* Submultiples (issue 25 item 6): 20 x 1e-3 = 0.02, 2 x 1e-6, 5 x 1e-9
     * (each product the double nearest the decimal). */
    check_double("20m", 0.02);
    check_double("2u", 2e-6);
    check_double("5n", 5e-9);
    check_double("12.5m", 0.0125);
}

static void test_bad_numbers(void **state)
{
    (void)state;
    check_error("", "empty number");
    check_error("abc", "'abc' is not a number");
    check_error("3.35X", "bad number '3.35X': unknown suffix 'X' (use n u m k M G T P or Ki Mi Gi Ti Pi)");
    /* Suffixes are case-sensitive: "K" is no SI prefix ("m" is milli,
     * "M" mega). */
    check_error("1K", "bad number '1K': unknown suffix 'K' (use n u m k M G T P or Ki Mi Gi Ti Pi)");
    check_error("1TT", "bad number '1TT': unknown suffix 'TT' (use n u m k M G T P or Ki Mi Gi Ti Pi)");
    check_error("1e999", "'1e999' is out of range");
    check_error("inf", "'inf' is not a finite number");
    check_error("nan", "'nan' is not a finite number");
    check_error("1e300P", "'1e300P' is out of range");
}

static void test_counts(void **state)
{
    (void)state;
    int64_t v = 0;
    roof_error err;
    assert_int_equal(roof_parse_count("10240000", "M", &v, &err), ROOF_OK);
    assert_int_equal(v, 10240000);
    assert_int_equal(roof_parse_count("10M", "M", &v, &err), ROOF_OK);
    assert_int_equal(v, 10000000);
    assert_int_equal(roof_parse_count("8Ki", "K", &v, &err), ROOF_OK);
    assert_int_equal(v, 8192);
    /* 4e18 fits int64 (max 9.22e18). */
    assert_int_equal(roof_parse_count("4e18", "M", &v, &err), ROOF_OK);
    assert_true(v == INT64_C(4000000000000000000));

    assert_int_equal(roof_parse_count("0", "M", &v, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "M must be a positive integer (got 0)");
    assert_int_equal(roof_parse_count("-5", "K", &v, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "K must be a positive integer (got -5)");
    assert_int_equal(roof_parse_count("2.5", "N", &v, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "N must be a whole number (got 2.5)");
    assert_int_equal(roof_parse_count("1e19", "M", &v, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "M is too large for a 64-bit count (got 1e19)");
    assert_int_equal(roof_parse_count("x", "--batch", &v, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "invalid --batch: 'x' is not a number");
}

/* roof_error_at: where is "path:line", clipped as roof_error_set clips
 * any where (to 255 characters); no err: the code alone. */
static void test_error_at(void **state)
{
    (void)state;
    roof_error err;
    assert_int_equal(roof_error_at(&err, ROOF_ERR_INPUT, "data/x.csv", 7, "'%s' is bad (column '%s')", "q", "m"),
                     ROOF_ERR_INPUT);
    assert_int_equal(err.code, ROOF_ERR_INPUT);
    assert_string_equal(err.where, "data/x.csv:7");
    assert_string_equal(err.msg, "'q' is bad (column 'm')");
    char path[301];
    memset(path, 'a', 300);
    path[300] = '\0';
    roof_error_at(&err, ROOF_ERR_INPUT, path, 12, "long");
    assert_int_equal(strlen(err.where), sizeof err.where - 1);
    assert_memory_equal(err.where, path, sizeof err.where - 1);
    assert_int_equal(roof_error_at(NULL, ROOF_ERR_RUNTIME, "p", 1, "x"), ROOF_ERR_RUNTIME);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_suffixes),
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_error_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
