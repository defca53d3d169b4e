/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A direct reader for the plain subset of DOT: `digraph [NAME] { ... }`
 * holding graph attributes (ID = ID), node statements (ID [attrs]) and
 * edge chains (ID -> ID -> ... [attrs]), IDs bare, numerals or "quoted".
 * Anything else (subgraphs, node/edge defaults, ports, HTML strings,
 * comments, `strict`, `+` concatenation, quoted strings holding a
 * newline, node names starting with '%', edge chains of
 * ROOF_DOT_PLAIN_CHAIN nodes or more, anything after the closing brace) returns ROOF_DOT_NOT_PLAIN and the caller reads
 * the file through cgraph, whose verdict is then the one both readers
 * give. Semantics follow cgraph's: nodes are numbered as they first
 * appear, a node statement's attributes override earlier ones, edge
 * attributes are not read.
 *
 * One pass; tokens are cut in place (the character a NUL overwrites is
 * kept aside), node names are found through an open-addressing hash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dag/dot_attrs.h"
#include "dag/mem.h"

/* The longest edge chain read here (see statements). */
#define ROOF_DOT_PLAIN_CHAIN 2048

typedef enum { T_ID, T_LBRACK, T_RBRACK, T_LBRACE, T_RBRACE, T_SEMI, T_COMMA, T_EQ, T_ARROW, T_EOF, T_OTHER } tok_t;

typedef struct {
    uint64_t h;
    int64_t v;        /* -1: empty */
    const char *name; /* the node's own copy */
} slot;

typedef struct {
    char *s;
    size_t n, pos;
    size_t saved_pos; /* where a NUL cut the last ID, and what was there */
    char saved;
    tok_t back; /* one token of pushback (T_EOF + 1: none) */
    char *back_text;
    int has_back;
    /* Node names -> index, with the name's hash beside it so that a probe
     * rarely has to touch the name itself (a cache miss). */
    slot *slots;
    size_t nslots;
    roof_dag *g;
    const char *path;
    roof_error *err;
} lexer;

static int at(const lexer *L, size_t i)
{
    if (i >= L->n)
        return -1;
    return i == L->saved_pos ? (unsigned char)L->saved : (unsigned char)L->s[i];
}

static int id_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Cuts [start, end) into a C string in place. */
static char *cut(lexer *L, size_t start, size_t end)
{
    if (end < L->n) {
        L->saved = L->s[end];
        L->saved_pos = end;
    }
    L->s[end] = '\0';
    return L->s + start;
}

static tok_t next(lexer *L, char **text)
{
    if (L->has_back) {
        L->has_back = 0;
        *text = L->back_text;
        return L->back;
    }
    int c;
    while ((c = at(L, L->pos)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        L->pos++;
    if (c < 0)
        return T_EOF;
    size_t start = L->pos;
    if (id_start(c)) {
        while (id_start(c = at(L, L->pos)) || digit(c))
            L->pos++;
        *text = cut(L, start, L->pos);
        return T_ID;
    }
    if (digit(c) || c == '.' || (c == '-' && (digit(at(L, start + 1)) || at(L, start + 1) == '.'))) {
        /* A numeral glued to the token before it ("b-0", "1-2"): its first
         * character holds the NUL that ended that token, so its text would
         * read as "". Rare; cgraph reads it (found by fuzz/dot.c, which
         * compares both readers). */
        if (start == L->saved_pos)
            return T_OTHER;
        L->pos++;
        while (digit(c = at(L, L->pos)) || c == '.')
            L->pos++;
        if (id_start(c))
            return T_OTHER; /* "12ab": cgraph splits it with a warning */
        *text = cut(L, start, L->pos);
        return T_ID;
    }
    if (c == '"') {
        /* Unescape \" in place; other escapes (\N, \l, \n) stay, as cgraph
         * keeps them. A line continuation needs cgraph. */
        size_t w = ++L->pos;
        start = w;
        for (;;) {
            c = at(L, L->pos);
            if (c < 0)
                return T_OTHER;
            if (c == '"')
                break;
            if (c == '\\' && at(L, L->pos + 1) == '"') {
                L->s[w++] = '"';
                L->pos += 2;
                continue;
            }
            if (c == '\\' && (at(L, L->pos + 1) == '\n' || at(L, L->pos + 1) == '\r'))
                return T_OTHER;
            /* cgraph's scanner drops a newline that starts one of its
             * pieces of a quoted string ("\n" alone reads as ""; "a\nb"
             * keeps it): such strings are left to cgraph, so that both
             * readers name the node alike. */
            if (c == '\n')
                return T_OTHER;
            L->s[w++] = (char)c;
            L->pos++;
        }
        L->s[w] = '\0'; /* at or before the closing quote, which is consumed */
        L->pos++;
        *text = L->s + start;
        if (at(L, L->pos) == '+')
            return T_OTHER;
        return T_ID;
    }
    L->pos++;
    switch (c) {
    case '[':
        return T_LBRACK;
    case ']':
        return T_RBRACK;
    case '{':
        return T_LBRACE;
    case '}':
        return T_RBRACE;
    case ';':
        return T_SEMI;
    case ',':
        return T_COMMA;
    case '=':
        return T_EQ;
    case '-':
        if (at(L, L->pos) == '>') {
            L->pos++;
            return T_ARROW;
        }
        return T_OTHER;
    default:
        return T_OTHER; /* comments, ports, HTML, "--" */
    }
}

static void unread(lexer *L, tok_t t, char *text)
{
    L->back = t;
    L->back_text = text;
    L->has_back = 1;
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int grow(lexer *L, size_t want)
{
    size_t n = L->nslots ? 2 * L->nslots : 64; /* small graphs stay small */
    while (n < want)
        n *= 2;
    slot *slots = roof_big_alloc(n * sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < n; i++)
        slots[i].v = -1;
    for (size_t j = 0; j < L->nslots; j++) {
        if (L->slots[j].v < 0)
            continue;
        size_t i = L->slots[j].h & (n - 1);
        while (slots[i].v >= 0)
            i = (i + 1) & (n - 1);
        slots[i] = L->slots[j];
    }
    free(L->slots);
    L->slots = slots;
    L->nslots = n;
    return 0;
}

/* The node named name, created (with the reader's defaults) if new. */
static int64_t node(lexer *L, const char *name)
{
    if ((size_t)L->g->n * 2 >= L->nslots && grow(L, 0) != 0) {
        roof_error_set(L->err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        return -1;
    }
    uint64_t h = hash(name);
    size_t i = h & (L->nslots - 1);
    while (L->slots[i].v >= 0) {
        if (L->slots[i].h == h && strcmp(L->slots[i].name, name) == 0)
            return L->slots[i].v;
        i = (i + 1) & (L->nslots - 1);
    }
    int64_t v = roof_dag_add_node(L->g, name, name, NULL, NULL, L->err);
    if (v < 0)
        return -1;
    roof_dot_node_init(&L->g->nodes[v]);
    L->slots[i] = (slot){h, v, L->g->nodes[v].name};
    return v;
}

/* [k=v, k=v; ...] after its '['. For a node (v >= 0) the values are
 * applied; for an edge (v < 0) they are skipped. Returns ROOF_OK, an
 * error, or ROOF_DOT_NOT_PLAIN. */
static int attr_list(lexer *L, int64_t v)
{
    const char *vals[K_N] = {NULL};
    char *k, *val;
    for (;;) {
        tok_t t = next(L, &k);
        if (t == T_RBRACK)
            break;
        if (t == T_COMMA || t == T_SEMI)
            continue;
        if (t != T_ID || next(L, &val) != T_EQ || next(L, &val) != T_ID)
            return ROOF_DOT_NOT_PLAIN;
        if (v < 0)
            continue;
        int i = roof_dot_known_index(k);
        /* To cgraph an empty value unsets the attribute (a later a [op=""]
         * undoes an earlier a [op=x]); this reader applies statements one
         * by one and cannot undo: such files go to cgraph (found by
         * fuzz/dot.c). */
        if (i >= 0 && !val[0])
            return ROOF_DOT_NOT_PLAIN;
        if (i >= 0)
            vals[i] = val;
        else if (!roof_dot_is_styling(k))
            return roof_dot_unknown(L->path, L->g->nodes[v].name, k, L->err);
    }
    return v < 0 ? ROOF_OK : roof_dot_apply(L->path, L->g, &L->g->nodes[v], vals, L->err);
}

static int statements(lexer *L)
{
    char *a, *b;
    for (;;) {
        tok_t t = next(L, &a);
        if (t == T_RBRACE)
            return next(L, &b) == T_EOF ? ROOF_OK : ROOF_DOT_NOT_PLAIN;
        if (t == T_SEMI)
            continue;
        /* DOT's keywords are case-insensitive. */
        if (t != T_ID || strcasecmp(a, "node") == 0 || strcasecmp(a, "edge") == 0 || strcasecmp(a, "graph") == 0 ||
            strcasecmp(a, "subgraph") == 0 || strcasecmp(a, "strict") == 0 || strcasecmp(a, "digraph") == 0)
            return ROOF_DOT_NOT_PLAIN;
        tok_t u = next(L, &b);
        if (u == T_EQ) {
            if (next(L, &b) != T_ID)
                return ROOF_DOT_NOT_PLAIN;
            if (strcmp(a, "label") == 0)
                snprintf(L->g->title, sizeof L->g->title, "%s", b);
            else if (strcmp(a, "hw") == 0)
                snprintf(L->g->hw, sizeof L->g->hw, "%s", b);
            continue;
        }
        /* cgraph renames a node whose name starts with '%' (its prefix
         * for anonymous objects): it refuses those (dot_read.c). */
        if (a[0] == '%')
            return ROOF_DOT_NOT_PLAIN;
        int64_t v = node(L, a);
        if (v < 0)
            return L->err->code;
        if (u == T_LBRACK) {
            int rc = attr_list(L, v);
            if (rc != ROOF_OK)
                return rc;
            continue;
        }
        int64_t chained = 1;
        while (u == T_ARROW) {
            /* cgraph's parser stops at 2500 nodes in one chain (its stack
             * of 10000 states; it then reports "memory exhausted" and keeps
             * the nodes without the edges): a long chain is left to cgraph,
             * whose verdict, refusal or graph, is the one both readers
             * give. */
            if (++chained >= ROOF_DOT_PLAIN_CHAIN || next(L, &b) != T_ID || b[0] == '%')
                return ROOF_DOT_NOT_PLAIN;
            int64_t w = node(L, b);
            if (w < 0 || roof_dag_add_edge(L->g, v, w, 0, L->err) != ROOF_OK) {
                if (L->err->code == ROOF_ERR_INPUT) /* too many edges: this file's */
                    snprintf(L->err->where, sizeof L->err->where, "%s", L->path);
                return L->err->code;
            }
            v = w;
            u = next(L, &b);
        }
        if (u == T_LBRACK) {
            int rc = attr_list(L, -1);
            if (rc != ROOF_OK)
                return rc;
            continue;
        }
        if (u == T_OTHER || u == T_EOF || u == T_LBRACE || u == T_COMMA || u == T_RBRACK)
            return ROOF_DOT_NOT_PLAIN;
        unread(L, u, b);
    }
}

int roof_dot_read_fast(const char *path, char *text, size_t size, roof_dag **out, roof_error *err)
{
    lexer L = {text, size, 0, (size_t)-1, 0, T_EOF, NULL, 0, NULL, 0, NULL, path, err};
    char *a;
    tok_t t = next(&L, &a);
    if (t != T_ID || strcasecmp(a, "digraph") != 0)
        return ROOF_DOT_NOT_PLAIN; /* strict, graph, or not DOT: cgraph says */
    t = next(&L, &a);
    if (t == T_ID)
        t = next(&L, &a);
    if (t != T_LBRACE)
        return ROOF_DOT_NOT_PLAIN;
    L.g = roof_dag_alloc();
    if (!L.g)
        return roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
    /* Size the node array once: about one node statement per '['. Growing
     * it by doubling would copy and fault in twice the memory. */
    size_t hint = 0;
    for (const char *p = memchr(text, '[', size); p; p = memchr(p + 1, '[', size - (size_t)(p + 1 - text)))
        hint++;
    if (hint > ROOF_DAG_MAX_NODES)
        hint = ROOF_DAG_MAX_NODES;
    if (roof_dag_reserve(L.g, (int64_t)hint + 16, err) != ROOF_OK || grow(&L, 2 * hint + 16) != 0) {
        if (L.g->cap > (int64_t)hint)
            roof_error_set(err, ROOF_ERR_RUNTIME, "dag", "out of memory");
        roof_dag_free(L.g);
        return err->code;
    }
    int rc = statements(&L);
    free(L.slots);
    if (rc != ROOF_OK) {
        roof_dag_free(L.g);
        return rc;
    }
    for (int64_t v = 0; v < L.g->n; v++)
        roof_dot_node_finish(&L.g->nodes[v]);
    *out = L.g;
    return ROOF_OK;
}
