/* Running gnuplot: a child process without a shell, its stderr captured for
 * the error message, its picture renamed into place only on success. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

const char *const roof_plot_kinds[] = {"breakdown", "compare", "pipeline", "roofline", "sensitivity", "sweep", "validation", NULL};

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

int roof_plot_render(const char *preamble_path, const char *script_text, const char *script_path,
                     const char *out_path, roof_error *err)
{
    const char *term = terminal_for(out_path);
    if (!term)
        return roof_error_set(err, ROOF_ERR_USAGE, "-o", "the plot must be a .png or .svg file (got '%s')", out_path);
    /* gnuplot draws into a temporary file beside the target, made here so
     * that a folder that does not exist or cannot be written is reported as
     * such before gnuplot runs; it keeps the extension, which gnuplot reads. */
    char tmp_out[4096];
    int fd = roof_outfile_temp(out_path, strrchr(out_path, '.'), tmp_out, sizeof tmp_out);
    if (fd < 0)
        return roof_error_set(err, ROOF_ERR_RUNTIME, out_path, "cannot create output: %s", strerror(errno));
    close(fd);

    /* The script: variables for the output, then the preamble, then the kind's script. */
    FILE *sf = fopen(script_path, "w");
    if (!sf) {
        int e = errno;
        unlink(tmp_out);
        return roof_error_set(err, ROOF_ERR_RUNTIME, script_path, "cannot write the gnuplot script: %s", strerror(e));
    }
    fprintf(sf, "term = \"%s\"\nout = '%s'\nload '%s'\n", term, tmp_out, preamble_path);
    fputs(script_text, sf);
    if (fclose(sf) != 0) {
        unlink(tmp_out);
        return roof_error_set(err, ROOF_ERR_RUNTIME, script_path, "cannot write the gnuplot script");
    }

    char log_path[4096];
    snprintf(log_path, sizeof log_path, "%s.log", script_path);
    const char *gnuplot = getenv("LLMROOF_GNUPLOT");
    if (!gnuplot || !*gnuplot)
        gnuplot = "gnuplot";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char *argv[] = {(char *)gnuplot, (char *)script_path, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        unlink(tmp_out);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "plot",
                              "cannot run '%s' (%s): install gnuplot, e.g. 'apt-get install gnuplot-nox'", gnuplot,
                              strerror(rc));
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    struct stat st;
    int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && stat(tmp_out, &st) == 0 && st.st_size > 0;
    if (!ok) {
        char line[512] = "no picture was written";
        FILE *lf = fopen(log_path, "r");
        if (lf) {
            char buf[512];
            while (fgets(buf, sizeof buf, lf))
                if (strlen(buf) > 2) {
                    snprintf(line, sizeof line, "%s", buf);
                    line[strcspn(line, "\n")] = '\0';
                }
            fclose(lf);
        }
        unlink(tmp_out);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            return roof_error_set(err, ROOF_ERR_RUNTIME, "plot",
                                  "cannot run '%s': install gnuplot, e.g. 'apt-get install gnuplot-nox'", gnuplot);
        return roof_error_set(err, ROOF_ERR_RUNTIME, "plot", "gnuplot failed: %s (script %s)", line, script_path);
    }
    if (!picture_complete(tmp_out)) {
        unlink(tmp_out);
        return roof_error_set(err, ROOF_ERR_RUNTIME, out_path,
                              "cannot write the plot: gnuplot left it incomplete (is the disk full?)");
    }
    if (rename(tmp_out, out_path) != 0) {
        int e = errno;
        unlink(tmp_out);
        return roof_error_set(err, ROOF_ERR_RUNTIME, out_path, "cannot write the plot: %s", strerror(e));
    }
    return ROOF_OK;
}
