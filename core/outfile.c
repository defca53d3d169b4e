/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mkstemps (glibc, the BSDs, macOS) is not in POSIX.1-2008. */
#define _DEFAULT_SOURCE
#include "core/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The registry of temporary files, read by the signal handler. A slot is
 * LIVE while its name may exist on disk; the handler reads only LIVE slots,
 * and a slot's name is written only while it is not LIVE. Lock-free atomics
 * are safe in a handler, and keep the order of the name and the state even
 * when the handler runs on another thread (OpenBLAS's workers). */
enum { SLOT_FREE, SLOT_CLAIMED, SLOT_LIVE };
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler needs lock-free atomic ints");
static struct {
    atomic_int state;
    int is_dir; /* a folder: removed (rmdir) after the files */
    char name[4096];
} registry[ROOF_OUTFILE_MAX_TEMP];

static const int caught[] = {SIGHUP, SIGINT, SIGPIPE, SIGTERM, SIGXFSZ};

/* Blocks the caught signals in this thread while a temporary file is
 * created or renamed and its slot updated, so that a signal arriving in
 * between is handled only once the registry says whether the file exists. */
static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaddset(&set, caught[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

static int find_slot(const char *name)
{
    for (int i = 0; i < ROOF_OUTFILE_MAX_TEMP; i++)
        if (atomic_load(&registry[i].state) == SLOT_LIVE && strcmp(registry[i].name, name) == 0)
            return i;
    return -1;
}

/* Claims a free slot; when none is free, first frees those whose file is
 * gone (a writer that renamed or removed its file without
 * roof_outfile_forget). Returns -1 when all are in use. */
static int claim_slot(void)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < ROOF_OUTFILE_MAX_TEMP; i++) {
            int expect = SLOT_FREE;
            if (atomic_compare_exchange_strong(&registry[i].state, &expect, SLOT_CLAIMED))
                return i;
        }
        struct stat sb;
        for (int i = 0; i < ROOF_OUTFILE_MAX_TEMP; i++)
            if (atomic_load(&registry[i].state) == SLOT_LIVE && lstat(registry[i].name, &sb) != 0 && errno == ENOENT)
                atomic_store(&registry[i].state, SLOT_FREE);
    }
    return -1;
}

/* A claimed slot, or -1 with errno EMFILE when all are in use. */
static int claim(void)
{
    int slot = claim_slot();
    if (slot < 0)
        errno = EMFILE;
    return slot;
}

/* Makes a claimed slot LIVE with name (n bytes, fits): written before the
 * state, so that the handler never reads a half-written name. */
static void publish(int slot, const char *name, size_t n, int is_dir)
{
    memcpy(registry[slot].name, name, n + 1);
    registry[slot].is_dir = is_dir;
    atomic_store(&registry[slot].state, SLOT_LIVE);
}

int roof_outfile_track(const char *path, int is_dir)
{
    size_t n = strlen(path);
    if (n >= sizeof registry[0].name) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int slot = claim();
    if (slot < 0)
        return -1;
    publish(slot, path, n, is_dir);
    return 0;
}

void roof_outfile_forget(const char *tmp)
{
    int i = find_slot(tmp);
    if (i >= 0)
        atomic_store(&registry[i].state, SLOT_FREE);
}

/* Removes or renames a registered temporary file, and frees its slot. */
static int remove_temp(char *tmp)
{
    sigset_t old;
    block_signals(&old);
    int rc = unlink(tmp);
    roof_outfile_forget(tmp);
    restore_signals(&old);
    tmp[0] = '\0';
    return rc;
}

static int rename_temp(char *tmp, const char *to)
{
    sigset_t old;
    block_signals(&old);
    int rc = rename(tmp, to);
    int e = errno;
    if (rc == 0)
        roof_outfile_forget(tmp);
    restore_signals(&old);
    errno = e;
    if (rc == 0)
        tmp[0] = '\0';
    return rc;
}

static void on_signal(int sig)
{
    /* Only async-signal-safe calls here: unlink, sigaction, sigprocmask,
     * raise. */
    /* Files first, then the folders that held them (rmdir is
     * async-signal-safe too). */
    for (int i = 0; i < ROOF_OUTFILE_MAX_TEMP; i++)
        if (atomic_load(&registry[i].state) == SLOT_LIVE && !registry[i].is_dir)
            unlink(registry[i].name);
    for (int i = 0; i < ROOF_OUTFILE_MAX_TEMP; i++)
        if (atomic_load(&registry[i].state) == SLOT_LIVE && registry[i].is_dir)
            rmdir(registry[i].name);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

int roof_outfile_catch_signals(void)
{
    static int done;
    if (done)
        return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    /* One cleanup at a time: the other caught signals wait for it. */
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaddset(&sa.sa_mask, caught[i]);
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) {
        struct sigaction old;
        if (sigaction(caught[i], NULL, &old) != 0)
            return -1;
        /* A signal ignored by whoever started us (nohup, a background job
         * of a shell without job control, `trap '' XFSZ`) stays ignored. */
        if (old.sa_handler == SIG_IGN)
            continue;
        if (sigaction(caught[i], &sa, NULL) != 0)
            return -1;
    }
    done = 1;
    return 0;
}

/* Creates and registers "BESIDE.tmp.XXXXXX" + suffix with mode 0666 less
 * the umask, or with like's permission bits and (where allowed) owner. */
static int make_temp(const char *beside, const char *suffix, const struct stat *like, char *tmp, size_t size)
{
    if (!suffix)
        suffix = "";
    int n = snprintf(tmp, size, "%s.tmp.XXXXXX%s", beside, suffix);
    if (n < 0 || (size_t)n >= size || (size_t)n >= sizeof registry[0].name) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int slot = claim();
    if (slot < 0)
        return -1;
    sigset_t old;
    block_signals(&old);
    int fd = mkstemps(tmp, (int)strlen(suffix));
    int e = errno;
    if (fd >= 0) {
        publish(slot, tmp, (size_t)n, 0);
    } else {
        atomic_store(&registry[slot].state, SLOT_FREE);
    }
    restore_signals(&old);
    if (fd < 0) {
        errno = e;
        return -1;
    }
    mode_t mode;
    if (like) {
        /* The owner first: a change of owner clears the set-id bits, and
         * only the new owner's mode is wanted. A failure (not root, and
         * not the owner) leaves this process's. */
        if (like->st_uid != geteuid() || like->st_gid != getegid()) {
            int ignored = fchown(fd, like->st_uid, like->st_gid);
            (void)ignored;
        }
        mode = like->st_mode & 0777;
    } else {
        /* umask can only be read by setting it: set it back at once. */
        mode_t mask = umask(022);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0) {
        e = errno;
        close(fd);
        remove_temp(tmp);
        errno = e;
        return -1;
    }
    return fd;
}

int roof_outfile_temp(const char *target, const char *suffix, char *tmp, size_t size)
{
    return make_temp(target, suffix, NULL, tmp, size);
}

/* Follows the chain of symbolic links from target to its last name (which
 * may not exist) into out: the name a rename must replace for the link to
 * survive. */
static int resolve(const char *target, char *out, size_t size)
{
    if ((size_t)snprintf(out, size, "%s", target) >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (int hops = 0;; hops++) {
        struct stat sb;
        if (lstat(out, &sb) != 0 || !S_ISLNK(sb.st_mode))
            return 0;
        if (hops == 40) {
            errno = ELOOP;
            return -1;
        }
        char link[4096];
        ssize_t n = readlink(out, link, sizeof link - 1);
        if (n < 0)
            return -1;
        link[n] = '\0';
        /* A relative link is read from the link's folder. */
        const char *slash = strrchr(out, '/');
        size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - out) + 1;
        if (dir + (size_t)n >= size) {
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(out + dir, link, (size_t)n + 1);
    }
}

/* Opens target itself (no temporary file, no rename). */
static int open_direct(const char *target, roof_outfile_staged *st, FILE **f, roof_error *err)
{
    st->direct = 1;
    int fd = open(target, O_WRONLY | O_NOCTTY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return roof_error_set(err, ROOF_ERR_RUNTIME, target, "cannot create output: %s", strerror(errno));
    *f = fdopen(fd, "w");
    if (!*f) {
        int e = errno;
        close(fd);
        return roof_error_set(err, ROOF_ERR_RUNTIME, target, "cannot create output: %s", strerror(e));
    }
    errno = 0;
    return ROOF_OK;
}

int roof_outfile_open(const char *target, roof_outfile_staged *st, FILE **f, roof_error *err)
{
    st->target = target;
    st->path[0] = '\0';
    st->tmp[0] = '\0';
    st->direct = 0;
    *f = NULL;
    if (!target[0])
        return roof_error_set(err, ROOF_ERR_USAGE, NULL, "the output path is empty");
    struct stat sb;
    int exists = stat(target, &sb) == 0;
    if (!exists && errno != ENOENT)
        return roof_error_set(err, ROOF_ERR_RUNTIME, target, "cannot create output: %s", strerror(errno));
    /* A device, a FIFO, a socket, a folder: never replaced. */
    if (exists && !S_ISREG(sb.st_mode))
        return open_direct(target, st, f, err);
    if (resolve(target, st->path, sizeof st->path) != 0)
        return roof_error_set(err, ROOF_ERR_RUNTIME, target, "cannot create output: %s", strerror(errno));
    if (exists) {
        /* The name the chain ends at must be the file stat() found: a
         * /proc/PID/fd link to a deleted file ends at a name that is not. */
        struct stat last;
        if (stat(st->path, &last) != 0 || last.st_dev != sb.st_dev || last.st_ino != sb.st_ino)
            return open_direct(target, st, f, err);
        /* Replacing a file this process may not write would get round its
         * permissions: refuse, as fopen() would. */
        if (faccessat(AT_FDCWD, st->path, W_OK, AT_EACCESS) != 0)
            return roof_error_set(err, ROOF_ERR_RUNTIME, target, "cannot create output: %s", strerror(errno));
    }
    int fd = make_temp(st->path, NULL, exists ? &sb : NULL, st->tmp, sizeof st->tmp);
    if (fd < 0) {
        st->tmp[0] = '\0';
        return roof_error_set(err, ROOF_ERR_RUNTIME, target, "cannot create output: %s", strerror(errno));
    }
    *f = fdopen(fd, "w");
    if (!*f) {
        int e = errno;
        close(fd);
        remove_temp(st->tmp);
        return roof_error_set(err, ROOF_ERR_RUNTIME, target, "cannot create output: %s", strerror(e));
    }
    errno = 0;
    return ROOF_OK;
}

int roof_outfile_finish(roof_outfile_staged *st, FILE *f, int failed, roof_error *err)
{
    /* A device or a FIFO has nothing to sync (fsync fails with EINVAL). */
    int bad = failed || fflush(f) != 0 || ferror(f) || (!st->direct && fsync(fileno(f)) != 0);
    int saved = errno;
    if (fclose(f) != 0) {
        if (!bad)
            saved = errno;
        bad = 1;
    }
    if (!bad)
        return ROOF_OK;
    if (st->tmp[0])
        remove_temp(st->tmp);
    return roof_error_set(err, ROOF_ERR_RUNTIME, st->target, "cannot write output: %s",
                          saved ? strerror(saved) : "write error");
}

void roof_outfile_discard(roof_outfile_staged *st, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (st[i].tmp[0])
            remove_temp(st[i].tmp);
}

int roof_outfile_commit(roof_outfile_staged *st, size_t n, roof_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (st[i].direct)
            continue;
        if (rename_temp(st[i].tmp, st[i].path) != 0) {
            int e = errno;
            roof_outfile_discard(st + i, n - i);
            return roof_error_set(err, ROOF_ERR_RUNTIME, st[i].target, "cannot write output: %s", strerror(e));
        }
    }
    return ROOF_OK;
}
