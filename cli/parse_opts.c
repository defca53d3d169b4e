#include "cli/parse_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int roof_parse_opts(int argc, char **argv, const char *shortopts, const struct option *longopts,
                    roof_cli *cli, roof_opt_fn own, void *ctx, void (*help)(void), int *posc,
                    char **posv)
{
    char **optv = calloc((size_t)argc + 1, sizeof *optv);
    if (!optv) {
        fprintf(stderr, "llmroof: out of memory\n");
        return ROOF_ERR_RUNTIME;
    }
    int optc = 0;
    roof_cli_split(argc, argv, shortopts, longopts, &optc, optv, posc, posv);
    const char *cmd = argv[0];
    int rc = ROOF_PARSE_OK;
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
            const char *tok = optv[optind - 1];
            if (opt == ':')
                rc = roof_cli_usage_error(cmd, "option '%s' needs a value", tok);
            else
                rc = roof_cli_usage_error(cmd, "unknown option '%s'", tok);
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
    free(optv);
    return rc;
}
