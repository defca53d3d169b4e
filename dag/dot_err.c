#include "dag/dot_err.h"

#include <stdio.h>
#include <string.h>

#include <graphviz/cgraph.h>

static char last[512];

static int capture(char *msg)
{
    /* Warnings come before the error that matters; keep the first error. */
    if (last[0] && strncmp(last, "Warning", 7) != 0)
        return 0;
    const char *m = msg;
    if (strncmp(m, "Error: ", 7) == 0)
        m += 7;
    snprintf(last, sizeof last, "%s", m);
    size_t n = strlen(last);
    while (n && (last[n - 1] == '\n' || last[n - 1] == ' ' || last[n - 1] == '.'))
        last[--n] = '\0';
    return 0;
}

void roof_dot_capture_begin(void)
{
    last[0] = '\0';
    agseterrf(capture);
}

void roof_dot_capture_end(void)
{
    agseterrf(NULL);
}

const char *roof_dot_captured(void)
{
    return last;
}
