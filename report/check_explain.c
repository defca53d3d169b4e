/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a line of a checked report was read (llmroof check --explain): its
 * calls with the words and op they were matched by, the plan assumed, its
 * formulas against the model's critical path, and its findings. Reads a
 * finished roof_check; adds nothing to it. */
#include <stdio.h>
#include <stdlib.h>

#include "report/check.h"

int roof_check_explain(const roof_check *c, const char *line_spec, FILE *f, roof_error *err)
{
    char *end;
    long line = strtol(line_spec, &end, 10);
    if (end == line_spec || *end || line < 1 || line > 1000000000)
        return roof_error_set(err, ROOF_ERR_USAGE, "--explain", "expected a line number (got '%s')", line_spec);
    const roof_report *rep = c->rep;
    int said = 0;
    if (c->with_model)
        fprintf(f, "line %ld: plan assumed: %s\n", line,
                c->plan_factor > 1.0
                    ? "the report's own (all tokens on each GPU: the config's per-GPU work times dp x cp)"
                    : "the config's per-GPU work (shapes with the same FLOPs on one GPU are another split of it)");
    for (int i = 0; i < rep->ncalls; i++) {
        const roof_report_call *call = &rep->calls[i];
        if (call->line != line)
            continue;
        const roof_checked_call *cc = &c->calls[i];
        said = 1;
        if (call->ok)
            fprintf(f, "call %s: m %.6g, k %.6g, n %.6g, counted %gx on its line", call->text, call->args.v[0],
                    call->args.v[1], call->args.v[2], call->mult_before * call->mult_after * call->mult_group);
        else
            fprintf(f, "call %s: counted %gx on its line", call->text,
                    call->mult_before * call->mult_after * call->mult_group);
        if (!call->ok) {
            fprintf(f, "; not timed: %s\n", call->problem);
            if (cc->match)
                fprintf(f, "  words: '%s'\n  %s\n", cc->label, cc->why);
            continue;
        }
        fprintf(f, "; %.4g FLOPs, %.4g s on the hardware\n", cc->t.flops, cc->t.time_s);
        if (cc->match)
            fprintf(f, "  words: '%s'\n  %s\n%s", cc->label, cc->why,
                    cc->plan_ok ? "  the op's FLOPs in another shape: the report's own split, judged by it\n" : "");
        else if (c->with_model)
            fprintf(f, "  no op matched\n");
    }
    for (int i = 0; i < rep->nformulas; i++) {
        const roof_report_formula *fo = &rep->formulas[i];
        if (line < fo->line || line > fo->end_line)
            continue;
        said = 1;
        fprintf(f,
                "formula '%s' (lines %d-%d): %d call(s), %.4g s, %.4g FLOPs%s; the model's critical path: %.4g s, "
                "%.4g FLOPs on one GPU\n",
                fo->name, fo->line, fo->end_line, fo->ncalls, c->formulas[i].value_s, c->formulas[i].flops,
                c->formulas[i].has_max ? ", with max()" : "", c->model_time_s, c->model_path_flops);
    }
    for (int i = 0; i < c->nfindings; i++)
        if (c->findings[i].line == line) {
            said = 1;
            fprintf(f, "%s %s: %s\n", roof_severity_name(c->findings[i].severity), c->findings[i].kind,
                    c->findings[i].message);
        }
    if (!said)
        fprintf(f, "line %ld: no Get_Time call, formula or finding\n", line);
    return ROOF_OK;
}
