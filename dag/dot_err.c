/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "dag/dot_err.h"

#include <stdio.h>
#include <string.h>

#include <graphviz/cgraph.h>

static char last[512];

/* cgraph hands over one message in pieces ("Error", ": ", "...syntax
 * error in line 3 near '}'", "\n"): they are joined, and a new message
 * (after a newline) replaces a finished one unless that was an error. */
static int done, is_error;

static int capture(char *msg)
{
    if (done) {
        if (is_error)
            return 0;
        last[0] = '\0';
        done = 0;
    }
    size_t n = strlen(last);
    snprintf(last + n, sizeof last - n, "%s", msg);
    n = strlen(last);
    if (n && last[n - 1] == '\n') {
        while (n && (last[n - 1] == '\n' || last[n - 1] == ' ' || last[n - 1] == '.'))
            last[--n] = '\0';
        is_error = strncmp(last, "Error", 5) == 0;
        if (is_error) {
            const char *m = last + 5;
            while (*m == ':' || *m == ' ')
                m++;
            memmove(last, m, strlen(m) + 1);
        }
        done = 1;
    }
    return 0;
}

void roof_dot_capture_begin(void)
{
    last[0] = '\0';
    done = is_error = 0;
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

int roof_dot_capture_failed(void)
{
    return done && is_error;
}
