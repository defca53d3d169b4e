/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/outfile and core/error: staged output files (what a target is
 * decides how it is written), the registry of temporary files that the
 * signal handler reads, and the error record. Each case works in a folder
 * of its own under $TMPDIR and checks the files it leaves. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/error.h"
#include "core/outfile.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/test_outfile.XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

/* Removes the folder and what the case made in it (no subfolders); fails
 * the case when a temporary file was left. No shell: the folder's name
 * comes from TMPDIR. */
static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int left = 0;
    struct dirent *e;
    char p[600];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        left |= strstr(e->d_name, ".tmp.") != NULL;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    if (rmdir(dir) != 0)
        return -1;
    return left ? -1 : 0;
}

static void path_of(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

static void slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Makes path hold text, as a user's earlier file. */
static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Writes text to target through open, finish and commit. */
static int write_through(const char *target, const char *text, roof_outfile_staged *st, roof_error *err)
{
    FILE *f = NULL;
    int rc = roof_outfile_open(target, st, &f, err);
    if (rc != ROOF_OK)
        return rc;
    fputs(text, f);
    rc = roof_outfile_finish(st, f, 0, err);
    if (rc == ROOF_OK)
        rc = roof_outfile_commit(st, 1, err);
    return rc;
}

static void test_new_file(void **state)
{
    (void)state;
    char p[512], got[64];
    path_of(p, sizeof p, "new.txt");
    roof_outfile_staged st;
    roof_error err;
    mode_t mask = umask(022);
    assert_int_equal(write_through(p, "2.385\n", &st, &err), ROOF_OK);
    umask(mask);
    slurp(p, got, sizeof got);
    assert_string_equal(got, "2.385\n");
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    /* A plain fopen's mode, 0666 less the umask, not mkstemp's 0600. */
    assert_int_equal(sb.st_mode & 0777, 0644);
    assert_int_equal(st.direct, 0);
}

static void test_keeps_mode(void **state)
{
    (void)state;
    char p[512], got[64];
    path_of(p, sizeof p, "secret.txt");
    put(p, "old");
    assert_int_equal(chmod(p, 0600), 0);
    roof_outfile_staged st;
    roof_error err;
    assert_int_equal(write_through(p, "new", &st, &err), ROOF_OK);
    slurp(p, got, sizeof got);
    assert_string_equal(got, "new");
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
}

static void test_link_survives(void **state)
{
    (void)state;
    char target[512], link[512], got[64];
    path_of(target, sizeof target, "real.txt");
    path_of(link, sizeof link, "link.txt");
    put(target, "");
    assert_int_equal(symlink("real.txt", link), 0);
    roof_outfile_staged st;
    roof_error err;
    assert_int_equal(write_through(link, "through", &st, &err), ROOF_OK);
    struct stat sb;
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    slurp(target, got, sizeof got);
    assert_string_equal(got, "through");
    assert_string_equal(st.path, target);
}

static void test_link_loop(void **state)
{
    (void)state;
    char a[512], b[512];
    path_of(a, sizeof a, "a");
    path_of(b, sizeof b, "b");
    assert_int_equal(symlink("b", a), 0);
    assert_int_equal(symlink("a", b), 0);
    roof_outfile_staged st;
    roof_error err;
    FILE *f = NULL;
    assert_int_equal(roof_outfile_open(a, &st, &f, &err), ROOF_ERR_RUNTIME);
    assert_string_equal(err.where, a);
    assert_string_equal(err.msg, "cannot create output: Too many levels of symbolic links");
}

/* A FIFO is written in place: it stays a FIFO and its reader gets the text. */
static void test_fifo_direct(void **state)
{
    (void)state;
    char p[512];
    path_of(p, sizeof p, "pipe.png");
    assert_int_equal(mkfifo(p, 0600), 0);
    int rd = open(p, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    roof_outfile_staged st;
    roof_error err;
    assert_int_equal(write_through(p, "fifo", &st, &err), ROOF_OK);
    assert_int_equal(st.direct, 1);
    char got[16] = {0};
    assert_int_equal(read(rd, got, sizeof got - 1), 4);
    assert_string_equal(got, "fifo");
    close(rd);
    struct stat sb;
    assert_int_equal(lstat(p, &sb), 0);
    assert_true(S_ISFIFO(sb.st_mode));
}

/* A writer that failed: finish removes the temporary file, the target is
 * untouched, and the message says why. */
static void test_failed_writer(void **state)
{
    (void)state;
    char p[512], got[64];
    path_of(p, sizeof p, "keep.txt");
    put(p, "before");
    roof_outfile_staged st;
    roof_error err;
    FILE *f = NULL;
    assert_int_equal(roof_outfile_open(p, &st, &f, &err), ROOF_OK);
    fputs("half", f);
    errno = 0;
    assert_int_equal(roof_outfile_finish(&st, f, 1, &err), ROOF_ERR_RUNTIME);
    assert_string_equal(err.msg, "cannot write output: write error");
    slurp(p, got, sizeof got);
    assert_string_equal(got, "before");
}

static void test_discard(void **state)
{
    (void)state;
    char p[512];
    path_of(p, sizeof p, "gone.txt");
    roof_outfile_staged st;
    roof_error err;
    FILE *f = NULL;
    assert_int_equal(roof_outfile_open(p, &st, &f, &err), ROOF_OK);
    assert_int_equal(roof_outfile_finish(&st, f, 0, &err), ROOF_OK);
    roof_outfile_discard(&st, 1);
    assert_int_equal(access(p, F_OK), -1);
}

static void test_empty_and_folder(void **state)
{
    (void)state;
    roof_outfile_staged st;
    roof_error err;
    FILE *f = NULL;
    assert_int_equal(roof_outfile_open("", &st, &f, &err), ROOF_ERR_USAGE);
    assert_string_equal(err.msg, "the output path is empty");
    assert_int_equal(roof_outfile_open(dir, &st, &f, &err), ROOF_ERR_RUNTIME);
    assert_string_equal(err.msg, "cannot create output: Is a directory");
}

/* The registry: ROOF_OUTFILE_MAX_TEMP live temporary files at most; a slot
 * whose file is gone is taken back when the registry is full; forget and
 * track. */
static void test_registry(void **state)
{
    (void)state;
    char base[512], tmp[ROOF_OUTFILE_MAX_TEMP][600];
    path_of(base, sizeof base, "t");
    int made = 0;
    for (; made < ROOF_OUTFILE_MAX_TEMP; made++) {
        int fd = roof_outfile_temp(base, ".png", tmp[made], sizeof tmp[made]);
        if (fd < 0)
            break;
        close(fd);
        assert_non_null(strstr(tmp[made], "/t.tmp."));
        assert_string_equal(tmp[made] + strlen(tmp[made]) - 4, ".png");
    }
    assert_int_equal(made, ROOF_OUTFILE_MAX_TEMP);
    char extra[600];
    errno = 0;
    assert_int_equal(roof_outfile_temp(base, NULL, extra, sizeof extra), -1);
    assert_int_equal(errno, EMFILE);
    /* One file removed behind the registry's back: its slot comes back. */
    unlink(tmp[0]);
    int fd = roof_outfile_temp(base, NULL, extra, sizeof extra);
    assert_true(fd >= 0);
    close(fd);
    unlink(extra);
    roof_outfile_forget(extra);
    for (int i = 1; i < made; i++) {
        unlink(tmp[i]);
        roof_outfile_forget(tmp[i]);
    }
    /* track and forget any path, existing or not; a name too long is refused. */
    char far[5000];
    memset(far, 'x', sizeof far - 1);
    far[sizeof far - 1] = '\0';
    errno = 0;
    assert_int_equal(roof_outfile_track(far, 0), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    assert_int_equal(roof_outfile_track(base, 0), 0);
    roof_outfile_forget(base);
    roof_outfile_forget("never registered");
    /* A name that does not fit the caller's buffer. */
    char small[8];
    errno = 0;
    assert_int_equal(roof_outfile_temp(base, ".svg", small, sizeof small), -1);
    assert_int_equal(errno, ENAMETOOLONG);
}

static void test_error_record(void **state)
{
    (void)state;
    roof_error err;
    assert_int_equal(roof_error_set(&err, ROOF_ERR_INPUT, NULL, "'%s' must be positive (got %g)", "x", -2.385),
                     ROOF_ERR_INPUT);
    assert_string_equal(err.where, "");
    assert_string_equal(err.msg, "'x' must be positive (got -2.385)");
    /* Rewrapping an error in place keeps its text (formatted into locals). */
    roof_error_set(&err, ROOF_ERR_INPUT, "a.cfg:3", "%s", err.msg);
    assert_string_equal(err.msg, "'x' must be positive (got -2.385)");
    assert_string_equal(err.where, "a.cfg:3");
    assert_int_equal(roof_error_set(NULL, ROOF_ERR_USAGE, "w", "m"), ROOF_ERR_USAGE);
    roof_error_clear(&err);
    assert_int_equal(err.code, ROOF_OK);
    assert_string_equal(err.msg, "");
    roof_error_clear(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keeps_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_survives, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_direct, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registry, setup, teardown),
        cmocka_unit_test(test_error_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
