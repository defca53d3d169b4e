/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "cli/parse_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "-inf", "-nan", "-infinity" (any case): numbers, as "-5" is, so that the
 * subcommand rejects them as numbers ("not a finite number") rather than
 * getopt reading them as the short options -i -n -f. */
static int negative_nonfinite(const char *a)
{
    return a[0] == '-' &&
           (strcasecmp(a + 1, "inf") == 0 || strcasecmp(a + 1, "infinity") == 0 || strcasecmp(a + 1, "nan") == 0);
}

/* The long options whose name starts with the len bytes of name: the exact
 * one alone when there is one, else every prefix match (up to 8 in *hits).
 * Returns how many matched. */
static int long_matches(const struct option *longopts, const char *name, size_t len, const struct option **hits)
{
    int n = 0;
    for (const struct option *o = longopts; o && o->name; o++) {
        if (strncmp(o->name, name, len) != 0)
            continue;
        if (strlen(o->name) == len) {
            hits[0] = o;
            return 1;
        }
        if (n < 8)
            hits[n] = o;
        n++;
    }
    return n;
}

/* Does the short option c take a value? */
static int short_takes_value(const char *shortopts, char c)
{
    const char *spec = strchr(shortopts, c);
    return c != ':' && spec && spec[1] == ':';
}

/* The tokens roof_cli_split should see. getopt_long accepts an unambiguous
 * abbreviation (--se for --set), but the split, which must know whether an
 * option takes the next token as its value, matches whole names only: it
 * would leave `--se X`'s X a positional, and getopt then say the value is
 * missing. So an abbreviation is shown to the split in full, an ambiguous
 * one is an error here, and a negative non-finite number is shown without
 * its '-' (a positional). shadow[i] is argv[i] or a replacement (owned by
 * *owned, freed by the caller). Returns 0 or an exit code. */
static int shadow_argv(int argc, char **argv, const char *shortopts, const struct option *longopts, char **shadow,
                       char **owned)
{
    int value_next = 0, only_pos = 0;
    shadow[0] = argv[0];
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        shadow[i] = a;
        owned[i] = NULL;
        if (value_next) {
            value_next = 0;
            continue;
        }
        if (only_pos || a[0] != '-' || a[1] == '\0')
            continue;
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (negative_nonfinite(a)) {
            shadow[i] = a + 1;
            continue;
        }
        if (a[1] != '-') {
            /* A cluster of short options: the first that takes a value takes
             * the rest of the token, or the next token when it ends it. */
            for (const char *c = a + 1; *c; c++)
                if (short_takes_value(shortopts, *c)) {
                    value_next = c[1] == '\0';
                    break;
                }
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct option *hits[8];
        int n = long_matches(longopts, name, len, hits);
        if (n == 0)
            continue; /* getopt_long reports it as unknown */
        if (n > 1) {
            char list[256];
            size_t used = 0;
            list[0] = '\0';
            for (int k = 0; k < n && k < 8 && used < sizeof list; k++)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s--%s", k ? ", " : "", hits[k]->name);
            return roof_cli_usage_error(argv[0], "option '--%.*s' is ambiguous (%s%s)", (int)len, name, list,
                                        n > 8 ? ", ..." : "");
        }
        if (strlen(hits[0]->name) != len) {
            size_t size = strlen(hits[0]->name) + strlen(a) + 4;
            owned[i] = malloc(size);
            if (!owned[i]) {
                fprintf(stderr, "llmroof: out of memory\n");
                return ROOF_ERR_RUNTIME;
            }
            snprintf(owned[i], size, "--%s%s", hits[0]->name, eq ? eq : "");
            shadow[i] = owned[i];
        }
        value_next = !eq && hits[0]->has_arg == required_argument;
    }
    return 0;
}

/* Maps the entries of list (tokens of shadow, in order) back to argv's. */
static void unshadow(char **list, int n, int argc, char **argv, char **shadow)
{
    int k = 0;
    for (int j = 0; j < n; j++) {
        while (k < argc && shadow[k] != list[j])
            k++;
        if (k == argc)
            return;
        list[j] = argv[k];
    }
}

int roof_parse_opts(int argc, char **argv, const char *shortopts, const struct option *longopts, roof_cli *cli,
                    roof_opt_fn own, void *ctx, void (*help)(void), int *posc, char **posv)
{
    char **optv = calloc((size_t)argc + 1, sizeof *optv);
    char **shadow = calloc((size_t)argc + 1, sizeof *shadow);
    char **owned = calloc((size_t)argc + 1, sizeof *owned);
    int rc = ROOF_PARSE_OK;
    if (!optv || !shadow || !owned) {
        fprintf(stderr, "llmroof: out of memory\n");
        rc = ROOF_ERR_RUNTIME;
        goto out;
    }
    *posc = 0;
    if ((rc = shadow_argv(argc, argv, shortopts, longopts, shadow, owned)) != 0)
        goto out;
    int optc = 0;
    roof_cli_split(argc, shadow, shortopts, longopts, &optc, optv, posc, posv);
    /* getopt_long reads the abbreviations itself, and messages show what
     * was typed. */
    unshadow(optv, optc, argc, argv, shadow);
    unshadow(posv, *posc, argc, argv, shadow);
    const char *cmd = argv[0];
    /* A leading ':' makes getopt_long tell a missing value (':') from an
     * unknown option ('?'). */
    char spec[128];
    snprintf(spec, sizeof spec, ":%s", shortopts);
    opterr = 0;
    optind = 1;
    int opt;
    while ((opt = getopt_long(optc, optv, spec, longopts, NULL)) != -1) {
        if (opt == 'h') {
            help();
            rc = ROOF_PARSE_HELP;
            break;
        }
        if (opt == 'V') {
            roof_print_version();
            rc = ROOF_PARSE_HELP;
            break;
        }
        if (opt == '?' || opt == ':') {
            /* A short option inside a cluster ("-xyz") leaves optind on the
             * cluster's token, so the token before it is not the one at
             * fault: a short option is named by optopt; a long one (optopt
             * 0 when unknown) by the token getopt_long stepped over. */
            const char *tok = optv[optind - 1];
            int is_long = strncmp(tok, "--", 2) == 0;
            char shown[8];
            if (!is_long && optopt > 0 && optopt < 128) {
                snprintf(shown, sizeof shown, "-%c", optopt);
                tok = shown;
            }
            size_t len = is_long ? strcspn(tok, "=") : strlen(tok);
            if (opt == ':')
                rc = roof_cli_usage_error(cmd, "option '%.*s' needs a value", (int)len, tok);
            else
                rc = roof_cli_usage_error(cmd, "unknown option '%.*s'", (int)len, tok);
            break;
        }
        roof_error err;
        int common = roof_cli_common(cli, opt, optarg, &err);
        if (common < 0) {
            rc = roof_cli_fail(&err);
            break;
        }
        if (common == 0) {
            rc = own ? own(ctx, opt, optarg) : roof_cli_usage_error(cmd, "unknown option");
            if (rc != 0)
                break;
        }
    }
    if (rc == ROOF_PARSE_OK) {
        roof_error err;
        if (roof_cli_read_model(cli, &err) != ROOF_OK)
            rc = roof_cli_fail(&err);
    }
out:
    if (owned)
        for (int i = 0; i < argc; i++)
            free(owned[i]);
    free(owned);
    free(shadow);
    free(optv);
    return rc;
}
