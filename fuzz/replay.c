/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replays inputs through a fuzz harness without libFuzzer: each argument
 * is a file, or a folder whose files (sorted, one level) are each one
 * input. Linked with one harness as fuzz_replay_<name> in every build, it
 * lets ctest run the seed corpus and every regression input, so that a
 * crash fixed once stays fixed in the default test suite (and under
 * LLMROOF_SANITIZE, with ASan and UBSan watching).
 *
 * Exits 0 when every input ran, 2 on bad usage or an empty run (a corpus
 * that went missing must not pass silently), 3 when a file cannot be read.
 * A crash is the harness's: the process dies and the test fails. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/infile.h"
#include "fuzz/harness.h"

static int replay_file(const char *path, int verbose)
{
    char *buf;
    size_t n;
    roof_error err;
    if (roof_infile_read(path, "input", 0, 0, &buf, &n, &err) != ROOF_OK) {
        fprintf(stderr, "fuzz-replay: %s: %s\n", err.where, err.msg);
        return -1;
    }
    if (verbose)
        fprintf(stderr, "fuzz-replay: %s (%zu bytes)\n", path, n);
    /* An exact-size copy, so that ASan catches a harness reading past the
     * input as libFuzzer would. */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of folder dir, sorted; returns how many ran, -1 on error. */
static int replay_dir(const char *dir, int verbose)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "fuzz-replay: %s: cannot open: %s\n", dir, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue; /* ., .., and hidden files such as .gitkeep */
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(len))) {
            rc = -1;
            break;
        }
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (rc == 0 && n)
        qsort(names, n, sizeof *names, by_name);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(names[i], verbose) != 0)
                rc = -1;
            else
                count++;
        }
        free(names[i]);
    }
    free(names);
    return rc < 0 ? -1 : count;
}

int main(int argc, char **argv)
{
    int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    if (argc < 2 + verbose) {
        fprintf(stderr, "usage: %s [-v] FILE|FOLDER...\n", argv[0]);
        return 2;
    }
    int total = 0;
    for (int i = 1 + verbose; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "fuzz-replay: %s: %s\n", argv[i], strerror(errno));
            return 3;
        }
        int n = S_ISDIR(st.st_mode) ? replay_dir(argv[i], verbose) : replay_file(argv[i], verbose) == 0 ? 1 : -1;
        if (n < 0)
            return 3;
        total += n;
    }
    if (total == 0) {
        fprintf(stderr, "fuzz-replay: no inputs\n");
        return 2;
    }
    printf("replayed %d inputs\n", total);
    return 0;
}
