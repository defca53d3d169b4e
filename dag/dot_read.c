/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a DOT DAG through cgraph (agmemread) into a roof_dag: each node's
 * attributes (docs/dag.md) parsed and checked; unknown node attributes are
 * errors naming the node and the attribute, except Graphviz's styling
 * ones. Graph and edge attributes are not read (they style the drawing).
 * Times are computed later (roof_dag_time), which names nodes whose
 * dims are missing. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <graphviz/cgraph.h>

#include "core/infile.h"
#include "core/suggest.h"
#include "dag/dot.h"
#include "dag/dot_attrs.h"
#include "dag/mem.h"
#include "dag/dot_err.h"

static const char *get(Agnode_t *n, Agsym_t *sym)
{
    if (!sym)
        return NULL;
    const char *v = agxget(n, sym);
    return v && v[0] ? v : NULL;
}

/* An attribute set on some node that is neither ours nor Graphviz's. */
static int check_unknown(const char *path, Agraph_t *G, roof_error *err)
{
    for (Agsym_t *s = agnxtattr(G, AGNODE, NULL); s; s = agnxtattr(G, AGNODE, s)) {
        if (roof_dot_known_index(s->name) >= 0 || roof_dot_is_styling(s->name))
            continue;
        for (Agnode_t *n = agfstnode(G); n; n = agnxtnode(G, n)) {
            const char *v = agxget(n, s);
            if (!v || !v[0])
                continue;
            return roof_dot_unknown(path, agnameof(n), s->name, err);
        }
    }
    return ROOF_OK;
}

/* The whole file in memory, NUL-terminated. Not roof_infile_read (core/
 * infile.c): a million-node DAG file (tens of MB) is read in one read into
 * roof_big_alloc memory sized from the file, with no regrowth. */
static int slurp(const char *path, char **text, size_t *size, roof_error *err)
{
    FILE *f = roof_infile_open(path, "DOT file", err);
    if (!f)
        return err->code;
    /* Sized from the file where it can be (one read, no regrowth). */
    size_t cap = 1 << 16, n = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long end = ftell(f);
        if (end > ROOF_DOT_MAX_BYTES) {
            fclose(f);
            return roof_error_set(err, ROOF_ERR_INPUT, path, "the file is %.3g GB: a DOT file may be 1 GiB at most",
                                  (double)end / 1e9);
        }
        if (end > 0)
            cap = (size_t)end + 2;
        rewind(f);
    }
    char *buf = roof_big_alloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        if (n > (size_t)ROOF_DOT_MAX_BYTES) { /* a pipe, whose size was not known */
            free(buf);
            fclose(f);
            return roof_error_set(err, ROOF_ERR_INPUT, path, "more than 1 GiB: a DOT file may be 1 GiB at most");
        }
        char *nb = roof_big_grow(buf, n, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        free(buf);
        return roof_error_set(err, ROOF_ERR_INPUT, path, "cannot read DOT file: %s",
                              buf ? "read error" : "out of memory");
    }
    buf[n] = '\0';
    *text = buf;
    *size = n;
    return ROOF_OK;
}

/* cgraph reads through this channel (an Agiodisc_t) instead of
 * agmemread, so that the reader can tell when the scanner has taken in
 * the whole text. */
typedef struct {
    const char *s;
    size_t n, at;
    int eof; /* the scanner asked for more and got nothing */
} mem_chan;

static int mem_read(void *chan, char *buf, int size)
{
    mem_chan *c = chan;
    size_t k = c->n - c->at;
    if (size <= 0)
        return 0;
    if (k > (size_t)size)
        k = (size_t)size;
    memcpy(buf, c->s + c->at, k);
    c->at += k;
    if (k == 0)
        c->eof = 1;
    return (int)k;
}

/* cgraph's parser (bison) keeps at most 10000 states: one edge statement
 * chaining about 2500 nodes exhausts it, and cgraph then returns the
 * graph as far as it got (its nodes, none of the statement's edges). */
static const char too_long[] = "a statement too long for Graphviz's parser";

/* The error for cgraph's message m: "syntax error in line 3 near '->'"
 * with the line where the project's errors put it. */
static int cgraph_error(const char *path, const char *m, roof_error *err)
{
    int line = 0;
    const char *at = strstr(m, "in line ");
    if (!at || sscanf(at, "in line %d", &line) != 1)
        return roof_error_set(err, ROOF_ERR_INPUT, path, "not a DOT graph%s%s", m[0] ? ": " : "", m);
    char where[600];
    snprintf(where, sizeof where, "%s:%d", path, line);
    /* The token it stopped at, cut to a readable length. */
    char token[256] = "", cut[ROOF_DAG_NAME_SHOWN + 1];
    const char *near = strstr(m, "near '");
    if (near) {
        near += 6;
        size_t len = strlen(near);
        if (len && near[len - 1] == '\'')
            len--;
        snprintf(token, sizeof token, "%.*s", (int)len, near);
    }
    const char *shown = roof_dag_shown(token, cut);
    if (strncmp(m, "memory exhausted", 16) == 0)
        return roof_error_set(err, ROOF_ERR_INPUT, where,
                              "%s near '%s' (an edge chain of 2500 nodes or more, or subgraphs nested as deep): "
                              "split it into several statements",
                              too_long, shown);
    /* DOT numerals have no exponent: time_s=1e-3 reads as "1e" then "-3",
     * and cgraph's complaint about '-3' says nothing of why. */
    int exponent = (token[0] == '-' || token[0] == '+') && token[1] >= '0' && token[1] <= '9';
    return roof_error_set(err, ROOF_ERR_INPUT, where, "syntax error%s%s%s%s", near ? " near '" : "", near ? shown : "",
                          near ? "'" : "",
                          exponent ? " (a number with an exponent needs quotes in DOT: time_s=\"1e-3\")" : "");
}

/* cgraph's scanner (flex, prefix "aag") keeps its state between reads:
 * text read ahead, and its start condition, so that a file ending inside
 * a comment or a quoted string left the next read of the process inside
 * it ("not a DOT graph" for every later file; found by fuzz/dot.c). flex's
 * yylex_destroy resets all of it. libcgraph exports it; declared weak so
 * that a Graphviz without it still links (the reset is then skipped). */
extern int aaglex_destroy(void) __attribute__((weak));

static void scanner_reset(void)
{
    if (aaglex_destroy)
        aaglex_destroy();
}

/* Through cgraph: any DOT. text is NUL-terminated (the callers reject text
 * holding one). cgraph's agread takes one graph and leaves the rest of the
 * text in its scanner, for the next agread of the process to read first
 * (that is how dot reads several graphs from a file); so what follows the
 * graph is read here, to the end: a second graph or anything but
 * whitespace and comments is an error, as for Graphviz's dot, and the next
 * file starts clean. */
static int read_cgraph(const char *path, const char *text, roof_dag **out, roof_error *err)
{
    roof_dot_capture_begin();
    mem_chan chan = {text, strlen(text), 0, 0};
    Agiodisc_t io = {mem_read, AgIoDisc.putstr, AgIoDisc.flush};
    Agdisc_t disc = {&AgMemDisc, &AgIdDisc, &io};
    scanner_reset();
    agreadline(1);
    Agraph_t *G = agread(&chan, &disc);
    /* Each further agread takes at least one byte or ends at the end. */
    int more_graphs = 0;
    for (size_t i = 0; i <= chan.n + 1; i++) {
        Agraph_t *more = agread(&chan, &disc);
        if (more) {
            more_graphs = 1;
            agclose(more);
        } else if (chan.eof) {
            break;
        }
    }
    scanner_reset(); /* and its buffer freed */
    int rc = ROOF_OK;
    roof_dag *g = NULL;
    int64_t *index = NULL;
    if (!G || roof_dot_capture_failed()) {
        rc = cgraph_error(path, roof_dot_captured(), err);
        goto out;
    }
    if (more_graphs) {
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "more than one graph in the file (llmroof reads one)");
        goto out;
    }
    if (!agisdirected(G)) {
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "not a directed graph (write 'digraph', edges with ->)");
        goto out;
    }
    if ((rc = check_unknown(path, G, err)) != ROOF_OK)
        goto out;
    int64_t nn = agnnodes(G), ne = agnedges(G);
    if (nn > ROOF_DAG_MAX_NODES) {
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "%lld nodes: more than %d", (long long)nn, ROOF_DAG_MAX_NODES);
        goto out;
    }
    if (ne > ROOF_DAG_MAX_EDGES) {
        rc = roof_error_set(err, ROOF_ERR_INPUT, path, "%lld edges: more than %d", (long long)ne, ROOF_DAG_MAX_EDGES);
        goto out;
    }
    g = roof_dag_alloc();
    /* Node sequence numbers are dense from 0 in a graph nothing was
     * deleted from, but size the map by the largest to be safe. */
    uint64_t maxseq = 0;
    for (Agnode_t *n = agfstnode(G); n; n = agnxtnode(G, n))
        if (AGSEQ(n) > maxseq)
            maxseq = AGSEQ(n);
    index = malloc(((size_t)maxseq + 1) * sizeof *index);
    if (!g || !index) {
        rc = roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        goto out;
    }
    Agsym_t *sym[K_N];
    for (int k = 0; k < K_N; k++)
        sym[k] = agattr(G, AGNODE, (char *)roof_dot_known[k], NULL);
    for (Agnode_t *n = agfstnode(G); n; n = agnxtnode(G, n)) {
        char *name = agnameof(n);
        /* '%' starts cgraph's names for anonymous objects: a node named
         * "%x" is read as one and renamed "%<number>", the number counted
         * across the process (found by fuzz/dot.c: two reads of one file
         * named the node differently). Its name is lost: refused. */
        if (name[0] == '%') {
            rc = roof_error_set(err, ROOF_ERR_INPUT, path,
                                "a node name starts with '%%', which Graphviz keeps for anonymous nodes (it renames "
                                "the node): rename it");
            goto out;
        }
        int64_t id = roof_dag_add_node(g, name, name, NULL, NULL, err);
        if (id < 0) {
            rc = err->code;
            goto out;
        }
        index[AGSEQ(n)] = id;
        const char *vals[K_N];
        for (int k = 0; k < K_N; k++)
            vals[k] = get(n, sym[k]);
        roof_dot_node_init(&g->nodes[id]);
        if ((rc = roof_dot_apply(path, g, &g->nodes[id], vals, err)) != ROOF_OK)
            goto out;
        roof_dot_node_finish(&g->nodes[id]);
    }
    for (Agnode_t *n = agfstnode(G); n; n = agnxtnode(G, n))
        for (Agedge_t *e = agfstout(G, n); e; e = agnxtout(G, e))
            if ((rc = roof_dag_add_edge(g, index[AGSEQ(n)], index[AGSEQ(aghead(e))], 0, err)) != ROOF_OK)
                goto out;
    char *label = agget(G, "label"), *hw = agget(G, "hw");
    if (label)
        snprintf(g->title, sizeof g->title, "%s", label);
    if (hw)
        snprintf(g->hw, sizeof g->hw, "%s", hw);
out:
    free(index);
    if (G)
        agclose(G);
    roof_dot_capture_end();
    if (rc != ROOF_OK) {
        roof_dag_free(g);
        return rc;
    }
    *out = g;
    return ROOF_OK;
}

/* A NUL byte is no DOT: the fast reader would stop at it and cgraph's
 * memory reader would read only the text before it, so that a graph followed
 * by binary junk would pass. Named by its line. */
static int nul_error(const char *path, const char *text, size_t size, roof_error *err)
{
    return roof_infile_refuse_nul(path, "DOT text", text, size, err);
}

/* text (size bytes plus a NUL, writable) through the fast reader, then
 * through cgraph when it is not plain. The fast reader cuts tokens in place,
 * so pristine (the same text, untouched) feeds cgraph; with pristine NULL
 * the fallback is refused (the caller re-reads its file). */
static int read_buffer(const char *path, char *text, size_t size, const char *pristine, int flags, roof_dag **out,
                       roof_error *err)
{
    int rc = nul_error(path, text, size, err);
    if (rc != ROOF_OK)
        return rc;
    if (flags & ROOF_DOT_CGRAPH_ONLY)
        return read_cgraph(path, text, out, err);
    /* cgraph's parser takes about 6 s for a million nodes; the plain
     * subset that generated DAGs use is read directly (dag/dot_fast.c), and
     * anything else falls back to cgraph. Tests check both agree. */
    rc = roof_dot_read_fast(path, text, size, out, err);
    if (rc != ROOF_DOT_NOT_PLAIN || !pristine)
        return rc;
    return read_cgraph(path, pristine, out, err);
}

int roof_dag_read_dot_text(const char *text, size_t size, const char *display, int flags, roof_dag **out,
                           roof_error *err)
{
    *out = NULL;
    /* Two copies: one the fast reader cuts up, one kept whole for cgraph. */
    char *buf = size < SIZE_MAX / 2 ? malloc(2 * size + 2) : NULL;
    if (!buf)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
    memcpy(buf, text, size);
    buf[size] = '\0';
    char *pristine = buf + size + 1;
    memcpy(pristine, text, size);
    pristine[size] = '\0';
    int rc = read_buffer(display, buf, size, pristine, flags, out, err);
    free(buf);
    return rc;
}

int roof_dag_read_dot(const char *path, int flags, roof_dag **out, roof_error *err)
{
    *out = NULL;
    char *text = NULL;
    size_t size = 0;
    int rc = slurp(path, &text, &size, err);
    if (rc != ROOF_OK)
        return rc;
    /* A million-node file is read once; only a file the fast reader
     * declines is read again, whole, for cgraph. */
    rc = read_buffer(path, text, size, NULL, flags, out, err);
    free(text);
    if (rc != ROOF_DOT_NOT_PLAIN)
        return rc;
    if ((rc = slurp(path, &text, &size, err)) != ROOF_OK)
        return rc;
    rc = read_cgraph(path, text, out, err);
    free(text);
    return rc;
}
