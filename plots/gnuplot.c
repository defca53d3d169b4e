/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running gnuplot: a child process without a shell and under a time limit,
 * its stderr captured for the error message, its picture renamed into
 * place only on success; and the files of a plot, named, made and removed
 * here only. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/outfile.h"
#include "plots/plot.h"

extern char **environ;

/* Written by cmake/embed_profiles.cmake from plots/\*.gp. */
typedef struct {
    const char *name;
    const char *text;
} embedded_script;
extern const embedded_script roof_embedded_plots[];
extern const size_t roof_embedded_plots_count;

const char *const roof_plot_kinds[] = {"breakdown", "calibration", "comm",  "compare",    "frontier", "pipeline",
                                       "roofline",  "sensitivity", "sweep", "validation", NULL};

const char *roof_plot_script(const char *kind)
{
    for (size_t i = 0; i < roof_embedded_plots_count; i++)
        if (strcmp(roof_embedded_plots[i].name, kind) == 0)
            return roof_embedded_plots[i].text;
    return NULL;
}

static const char *terminal_for(const char *out)
{
    size_t n = strlen(out);
    if (n > 4 && strcmp(out + n - 4, ".png") == 0)
        return "pngcairo size 1280,800 font 'Sans,10'";
    if (n > 4 && strcmp(out + n - 4, ".svg") == 0)
        return "svg size 1280,800 dynamic font 'Sans,10'";
    return NULL;
}

/* gnuplot exits 0 even when its picture could not be written whole (a full
 * disk gives a truncated PNG): the picture must end as its format ends, a
 * PNG with its IEND chunk, an SVG with </svg>. Also flushes it to disk
 * before the rename. */
static int picture_complete(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char tail[64] = {0};
    size_t got = 0;
    if (fseek(f, -(long)sizeof tail, SEEK_END) != 0)
        rewind(f);
    got = fread(tail, 1, sizeof tail, f);
    int synced = fsync(fileno(f)) == 0;
    fclose(f);
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".png") == 0)
        return synced && got >= 8 && memcmp(tail + got - 8, "IEND\xae\x42\x60\x82", 8) == 0;
    while (got > 0 && (tail[got - 1] == '\n' || tail[got - 1] == '\r' || tail[got - 1] == ' '))
        got--;
    return synced && got >= 6 && memcmp(tail + got - 6, "</svg>", 6) == 0;
}

/* The files of a plot. Every file plot writes besides the picture is
 * named here, in f->dir, and every temporary one is removed by
 * roof_plot_files_release: the one place to register them for removal. */
int roof_plot_files_init(roof_plot_files *f, const char *kind, const char *data_dir, roof_error *err)
{
    memset(f, 0, sizeof *f);
    if (data_dir) {
        int rc = roof_plot_path_check("--data", data_dir, err);
        if (rc != ROOF_OK)
            return rc;
        /* Bounded so that no name is cut short (kind is one of the fixed few). */
        if (strlen(data_dir) > 3000)
            return roof_error_set(err, ROOF_ERR_USAGE, "--data", "folder name longer than 3000 bytes");
        if (mkdir(data_dir, 0777) != 0 && errno != EEXIST)
            return roof_error_set(err, ROOF_ERR_RUNTIME, data_dir, "cannot create the data folder: %s",
                                  strerror(errno));
        snprintf(f->dir, sizeof f->dir, "%s", data_dir);
    } else {
        const char *t = getenv("TMPDIR");
        if (!t || !*t)
            t = "/tmp";
        int rc = roof_plot_path_check("TMPDIR", t, err);
        if (rc != ROOF_OK)
            return rc;
        if (strlen(t) > 2900)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "TMPDIR", "folder name longer than 2900 bytes");
        snprintf(f->dir, sizeof f->dir, "%s/llmroof-plot-XXXXXX", t);
        if (!mkdtemp(f->dir))
            return roof_error_set(err, ROOF_ERR_RUNTIME, t, "cannot create a temporary folder: %s", strerror(errno));
        f->temporary = 1;
    }
    snprintf(f->data, sizeof f->data, "%.3000s/%.64s.dat", f->dir, kind);
    snprintf(f->vars, sizeof f->vars, "%.3000s/%.64s.vars.gp", f->dir, kind);
    snprintf(f->script, sizeof f->script, "%.3000s/%.64s.gp", f->dir, kind);
    snprintf(f->log, sizeof f->log, "%.3000s/%.64s.gp.log", f->dir, kind);
    /* A temporary folder and the four files in it are registered with
     * core/outfile, so that SIGINT or SIGTERM removes them too. A full
     * registry only costs that cleanup, not the plot. */
    if (f->temporary) {
        const char *files[] = {f->data, f->vars, f->script, f->log};
        for (size_t i = 0; i < 4; i++)
            (void)roof_outfile_track(files[i], 0);
        (void)roof_outfile_track(f->dir, 1);
    }
    return ROOF_OK;
}

int roof_plot_files_picture(roof_plot_files *f, const char *out_path, roof_error *err)
{
    /* In the plot's own folder, with the target's extension (gnuplot picks
     * its terminal by it): the picture reaches the target through
     * core/outfile afterwards (deliver), so nothing is made beside a target
     * that may be a device (/dev/null.tmp...). */
    char base[4200];
    snprintf(base, sizeof base, "%s/picture", f->dir);
    int fd = roof_outfile_temp(base, strrchr(out_path, '.'), f->picture, sizeof f->picture);
    if (fd < 0) {
        f->picture[0] = '\0';
        return roof_error_set(err, ROOF_ERR_RUNTIME, out_path, "cannot create output: %s", strerror(errno));
    }
    close(fd);
    return ROOF_OK;
}

void roof_plot_files_release(roof_plot_files *f)
{
    if (f->picture[0]) {
        unlink(f->picture);
        roof_outfile_forget(f->picture);
    }
    f->picture[0] = '\0';
    if (!f->temporary)
        return;
    const char *files[] = {f->data, f->vars, f->script, f->log, f->dir};
    for (size_t i = 0; i < 5; i++)
        roof_outfile_forget(files[i]);
    /* The folder is this run's own (mkdtemp): whatever is in it goes, also
     * what a user's script may have written there. */
    DIR *d = opendir(f->dir);
    if (d) {
        struct dirent *e;
        char path[4400];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", f->dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(f->dir);
    f->temporary = 0;
}

int roof_plot_timeout(double *seconds, roof_error *err)
{
    const char *t = getenv("LLMROOF_GNUPLOT_TIMEOUT");
    *seconds = 60.0;
    if (!t || !*t)
        return ROOF_OK;
    char *end;
    errno = 0;
    double v = strtod(t, &end);
    if (end == t || *end || errno || !isfinite(v) || v <= 0.0 || v > 1e6) {
        char shown[64];
        roof_plot_text(shown, sizeof shown, t);
        return roof_error_set(err, ROOF_ERR_USAGE, "LLMROOF_GNUPLOT_TIMEOUT",
                              "expected a number of seconds in (0, 1e6] (got '%s')", shown);
    }
    *seconds = v;
    return ROOF_OK;
}

/* The header of every script plot writes; a --script that starts with it (a
 * kept script copied to be restyled) has it taken off. */
static const char header_first[] = "# Written by llmroof plot.";
static const char header_last[] = "# End of llmroof's header.\n";

static const char *strip_header(const char *text)
{
    if (strncmp(text, header_first, sizeof header_first - 1) != 0)
        return text;
    const char *end = strstr(text, header_last);
    return end ? end + sizeof header_last - 1 : text;
}

/* What goes before a path that gnuplot reads, as roof_plot_path writes it. */
static const char *dot(const char *path)
{
    return path[0] == '/' ? "" : "./";
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The script: the header, then the kind's script. The picture is the
 * target's name unless `out` is set already: the run sets it to the
 * temporary picture (gnuplot -e), a redraw by hand writes the target. The
 * header's line count goes to *header_lines. */
static int write_script(const roof_plot_files *f, const char *term, const char *script_text, const char *out_path,
                        int *header_lines, roof_error *err)
{
    char *header = NULL;
    size_t header_size = 0;
    FILE *hf = open_memstream(&header, &header_size);
    if (!hf)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "plot", "out of memory");
    fprintf(hf,
            "%s Down to the end of this header: the picture, the\n"
            "# terminal and the data. Redraw with gnuplot from the folder llmroof ran in.\n"
            "if (!exists(\"out\")) out = ",
            header_first);
    roof_plot_path(hf, out_path);
    fprintf(hf, "\nterm = \"%s\"\nload ", term);
    roof_plot_path(hf, f->vars);
    fprintf(hf, "\n%s", header_last);
    if (fclose(hf) != 0) {
        free(header);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "plot", "out of memory");
    }
    *header_lines = count_lines(header);
    FILE *sf = fopen(f->script, "w");
    if (!sf) {
        free(header);
        return roof_error_set(err, ROOF_ERR_RUNTIME, f->temporary ? "plot" : f->script,
                              "cannot write the gnuplot script: %s", strerror(errno));
    }
    fputs(header, sf);
    free(header);
    fputs(script_text, sf);
    if (fclose(sf) != 0)
        return roof_error_set(err, ROOF_ERR_RUNTIME, f->temporary ? "plot" : f->script,
                              "cannot write the gnuplot script");
    return ROOF_OK;
}

/* Waits for the child up to limit_s; past it, kills it. Returns 0 when it
 * ended (status in *status), 1 when it was killed for the time. */
static int wait_limited(pid_t pid, double limit_s, int *status)
{
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long nap_ns = 1000000;
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR))
            return 0;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double elapsed = (double)(now.tv_sec - t0.tv_sec) + 1e-9 * (double)(now.tv_nsec - t0.tv_nsec);
        if (elapsed >= limit_s) {
            /* gnuplot stays in llmroof's process group (so that ^C stops it
             * too): the child itself is killed, not a group. */
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR)
                ;
            return 1;
        }
        struct timespec nap = {0, nap_ns};
        nanosleep(&nap, NULL);
        if (nap_ns < 50000000)
            nap_ns *= 2;
    }
}

/* gnuplot's last error line, about the files of f. With the files kept it
 * names the kept script. With them temporary, a line that names the script
 * as '"PATH" line N:' is made to name what the user can open (--script's
 * file at its own line: N - shift, or the built-in script), and no path of
 * the temporary folder is left in the message. */
static void error_line(const roof_plot_files *f, const char *kind, const char *script_name, int header_lines, int shift,
                       char *out, size_t size)
{
    char line[512] = "";
    FILE *lf = fopen(f->log, "r");
    if (lf) {
        char buf[512];
        while (fgets(buf, sizeof buf, lf))
            if (strlen(buf) > 2) {
                snprintf(line, sizeof line, "%s", buf);
                line[strcspn(line, "\n")] = '\0';
            }
        fclose(lf);
    }
    /* gnuplot may echo input: no control character reaches the terminal. */
    for (char *p = line; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    if (!line[0]) {
        snprintf(out, size, "no picture was written");
        return;
    }
    if (!f->temporary) {
        snprintf(out, size, "%s", line);
        return;
    }
    char quoted[4200];
    snprintf(quoted, sizeof quoted, "\"%s%s\" line ", dot(f->script), f->script);
    size_t q = strlen(quoted);
    char *end;
    long n = strncmp(line, quoted, q) == 0 ? strtol(line + q, &end, 10) : -1;
    if (n > 0 && *end == ':') {
        if (n > header_lines && script_name)
            snprintf(out, size, "%s line %ld:%s", script_name, n - shift, end + 1);
        else if (n > header_lines)
            snprintf(out, size, "the built-in %s.gp line %ld:%s", kind, n - shift, end + 1);
        else
            snprintf(out, size, "llmroof's header line %ld:%s", n, end + 1);
        return;
    }
    snprintf(quoted, sizeof quoted, "\"%s%s\" line ", dot(f->vars), f->vars);
    if (strncmp(line, quoted, strlen(quoted)) == 0) {
        snprintf(out, size, "the plot's variables line %s", line + strlen(quoted));
        return;
    }
    if (strstr(line, f->dir))
        snprintf(out, size, "an error about its temporary files");
    else
        snprintf(out, size, "%s", line);
}

/* The finished picture goes to out_path as every output does
 * (core/outfile.h): staged beside the target, with links followed and the
 * mode kept, or written straight into a device or FIFO; never renamed over
 * something that is not a regular file. gnuplot needs a file of its own to
 * draw into, so the picture is copied (pictures are small). */
static int deliver(roof_plot_files *f, const char *out_path, roof_error *err)
{
    FILE *in = fopen(f->picture, "rb");
    if (!in)
        return roof_error_set(err, ROOF_ERR_RUNTIME, out_path, "cannot write the plot: %s", strerror(errno));
    roof_outfile_staged st;
    FILE *out;
    int rc = roof_outfile_open(out_path, &st, &out, err);
    if (rc != ROOF_OK) {
        fclose(in);
        return rc;
    }
    char buf[65536];
    size_t got;
    int failed = 0;
    while (!failed && (got = fread(buf, 1, sizeof buf, in)) > 0)
        failed = fwrite(buf, 1, got, out) != got;
    failed = failed || ferror(in);
    fclose(in);
    rc = roof_outfile_finish(&st, out, failed, err);
    if (rc == ROOF_OK)
        rc = roof_outfile_commit(&st, 1, err);
    return rc;
}

int roof_plot_render(roof_plot_files *f, const char *kind, const char *script_text, const char *script_name,
                     const char *out_path, roof_error *err)
{
    const char *term = terminal_for(out_path);
    if (!term)
        return roof_error_set(err, ROOF_ERR_USAGE, "-o", "the plot must be a .png or .svg file (got '%s')", out_path);
    double limit_s;
    int rc = roof_plot_timeout(&limit_s, err);
    if (rc != ROOF_OK)
        return rc;
    /* Made before gnuplot runs, so that a folder that does not exist or
     * cannot be written is reported as such. */
    if ((rc = roof_plot_files_picture(f, out_path, err)) != ROOF_OK)
        return rc;
    const char *body = strip_header(script_text);
    int header_lines = 0;
    if ((rc = write_script(f, term, body, out_path, &header_lines, err)) != ROOF_OK)
        return rc;
    /* A line of the body is this much further down in the script written. */
    int shift = header_lines;
    for (const char *p = script_text; p < body; p++)
        shift -= *p == '\n';

    /* The temporary picture goes in as a -e assignment before the script:
     * a path like every other, quoted by roof_plot_path. */
    char set_out[4200];
    FILE *mem = fmemopen(set_out, sizeof set_out, "w");
    if (!mem)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "plot", "out of memory");
    fputs("out = ", mem);
    roof_plot_path(mem, f->picture);
    fputc('\0', mem);
    if (fclose(mem) != 0 || !memchr(set_out, '\0', sizeof set_out))
        return roof_error_set(err, ROOF_ERR_RUNTIME, out_path, "cannot create output: %s", strerror(ENAMETOOLONG));

    const char *gnuplot = getenv("LLMROOF_GNUPLOT");
    if (!gnuplot || !*gnuplot)
        gnuplot = "gnuplot";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* No input: a 'pause' in a script must not wait on the terminal. */
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, f->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    /* gnuplot reads a script argument "<cmd" as a command to run. */
    char script_arg[4200];
    snprintf(script_arg, sizeof script_arg, "%s%s", dot(f->script), f->script);
    char *argv[] = {(char *)gnuplot, "-e", set_out, script_arg, NULL};
    pid_t pid;
    rc = posix_spawnp(&pid, gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "plot",
                              "cannot run '%s' (%s): install gnuplot, e.g. 'apt-get install gnuplot-nox'", gnuplot,
                              strerror(rc));
    int status = 0;
    if (wait_limited(pid, limit_s, &status))
        return roof_error_set(err, ROOF_ERR_RUNTIME, "plot",
                              "gnuplot did not finish within %g s and was stopped (LLMROOF_GNUPLOT_TIMEOUT sets the "
                              "limit in seconds)",
                              limit_s);
    struct stat st;
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && stat(f->picture, &st) == 0 && st.st_size > 0;
    if (!ok) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "plot",
                                  "cannot run '%s': install gnuplot, e.g. 'apt-get install gnuplot-nox'", gnuplot);
        char line[1024];
        error_line(f, kind, script_name, header_lines, shift, line, sizeof line);
        if (f->temporary)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "plot", "gnuplot failed: %s (--data DIR keeps its script)",
                                  line);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "plot", "gnuplot failed: %s (script %s)", line, f->script);
    }
    if (!picture_complete(f->picture))
        return roof_error_set(err, ROOF_ERR_RUNTIME, out_path,
                              "cannot write the plot: gnuplot left it incomplete (is the disk full?)");
    return deliver(f, out_path, err);
}
