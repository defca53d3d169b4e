/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checks one command's JSON output against the key list docs/json.md
 * gives for it, both ways: every documented key is there with its type,
 * and every key in the output is documented.
 *
 *   json_doc_check DOC NAME OUTPUT.json
 *
 * In DOC, the list for NAME is the fenced block after the line
 * "<!-- json-keys: NAME -->". Each line is "PATH TYPE": PATH a dotted key
 * ("memory.fits"), "[]" for every element of an array ("rows[].sp"), "*"
 * for any key of an object whose keys are data ("sources.*"); TYPE one of
 * int, num (a real: jansson writes it with a '.' or an exponent), str, bool,
 * obj, arr, any, optionally "|null". A key under an array that is empty in
 * this output cannot be checked and is skipped. Prints each mismatch;
 * exit 0 when there is none, 1 when there are, 2 on a usage or read error.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 1024

typedef struct {
    char path[256];
    char type[32];
    int seen;
} doc_key;

static doc_key keys[MAX_KEYS];
static int nkeys;
static int failures;

static int read_doc(const char *doc, const char *name)
{
    FILE *f = fopen(doc, "r");
    if (!f) {
        fprintf(stderr, "json_doc_check: cannot open %s\n", doc);
        return -1;
    }
    char marker[160], line[512];
    snprintf(marker, sizeof marker, "<!-- json-keys: %s -->", name);
    int state = 0; /* 0 before the marker, 1 before the fence, 2 inside */
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (state == 0 && strcmp(line, marker) == 0)
            state = 1;
        else if (state == 1 && strncmp(line, "```", 3) == 0)
            state = 2;
        else if (state == 2 && strncmp(line, "```", 3) == 0)
            break;
        else if (state == 2 && line[0] && nkeys < MAX_KEYS) {
            doc_key *k = &keys[nkeys];
            if (sscanf(line, "%255s %31s", k->path, k->type) != 2) {
                fprintf(stderr, "json_doc_check: %s: bad key line '%s' in the list of %s\n", doc, line, name);
                fclose(f);
                return -1;
            }
            nkeys++;
        }
    }
    fclose(f);
    if (nkeys == 0) {
        fprintf(stderr, "json_doc_check: %s has no key list for '%s'\n", doc, name);
        return -1;
    }
    return 0;
}

static const char *type_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "obj";
    case JSON_ARRAY:
        return "arr";
    case JSON_STRING:
        return "str";
    case JSON_INTEGER:
        return "int";
    case JSON_REAL:
        return "num";
    case JSON_TRUE:
    case JSON_FALSE:
        return "bool";
    default:
        return "null";
    }
}

/* Does the type list ("num|null") allow what v is? */
static int type_ok(const char *list, const json_t *v)
{
    const char *t = type_of(v);
    char copy[32];
    snprintf(copy, sizeof copy, "%s", list);
    for (char *save = NULL, *tok = strtok_r(copy, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
        if (strcmp(tok, "any") == 0 || strcmp(tok, t) == 0)
            return 1;
    return 0;
}

/* Does the first len bytes of the documented path a match the path p? A
 * "*" segment of a matches any one key. */
static int match(const char *a, size_t len, const char *p)
{
    const char *end = a + len;
    while (a < end && *p) {
        if (*a == '*') {
            a++;
            while (*p && *p != '.' && *p != '[')
                p++;
            continue;
        }
        if (*a != *p)
            return 0;
        a++;
        p++;
    }
    return a == end && !*p;
}

/* The documented key at the normalised path p, or NULL. */
static doc_key *find(const char *p)
{
    for (int i = 0; i < nkeys; i++)
        if (match(keys[i].path, strlen(keys[i].path), p))
            return &keys[i];
    return NULL;
}

/* Is p the parent of a documented key ("memory" of "memory.fits",
 * "rows" of "rows[].sp")? */
static int is_parent(const char *p)
{
    for (int i = 0; i < nkeys; i++)
        for (const char *cut = keys[i].path; (cut = strpbrk(cut, ".[")) != NULL; cut++)
            if (match(keys[i].path, (size_t)(cut - keys[i].path), p))
                return 1;
    return 0;
}

/* Walks the output: each value's path must be documented (or be the
 * parent of documented ones) with a type that allows it. */
static void walk(const json_t *v, const char *path)
{
    doc_key *k = find(path);
    if (k) {
        k->seen = 1;
        if (!type_ok(k->type, v)) {
            printf("%s: is %s, documented as %s\n", path, type_of(v), k->type);
            failures++;
        }
        if (strstr(k->type, "any"))
            return;
    } else if (path[0] && !is_parent(path)) {
        printf("%s: in the output, not documented\n", path);
        failures++;
        return;
    }
    char sub[300];
    if (json_is_object(v)) {
        const char *key;
        const json_t *child;
        json_object_foreach((json_t *)v, key, child)
        {
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", key);
            walk(child, sub);
        }
    } else if (json_is_array(v)) {
        snprintf(sub, sizeof sub, "%s[]", path);
        for (size_t i = 0; i < json_array_size(v); i++)
            walk(json_array_get(v, i), sub);
    }
}

/* Was every array on the way to documented path p non-empty, so that p
 * should have been seen? Resolves p through root, taking the first element
 * of arrays and any key for "*". */
static int reachable(const json_t *v, const char *p)
{
    while (*p && v) {
        if (p[0] == '[' && p[1] == ']') {
            if (!json_is_array(v) || json_array_size(v) == 0)
                return 0;
            v = json_array_get(v, 0);
            p += 2;
            if (*p == '.')
                p++;
            continue;
        }
        size_t len = strcspn(p, ".[");
        if (len == 1 && p[0] == '*') {
            if (!json_is_object(v) || json_object_size(v) == 0)
                return 0;
            void *it = json_object_iter((json_t *)v);
            v = json_object_iter_value(it);
        } else {
            char key[256];
            snprintf(key, sizeof key, "%.*s", (int)len, p);
            v = json_object_get(v, key);
            if (!v)
                return 1; /* the key itself is missing: reachable, not seen */
        }
        p += len;
        if (*p == '.')
            p++;
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: json_doc_check DOC NAME OUTPUT.json\n");
        return 2;
    }
    if (read_doc(argv[1], argv[2]) != 0)
        return 2;
    json_error_t jerr;
    json_t *root = json_load_file(argv[3], 0, &jerr);
    if (!root) {
        printf("%s: not JSON: line %d: %s\n", argv[2], jerr.line, jerr.text);
        return 1;
    }
    walk(root, "");
    for (int i = 0; i < nkeys; i++)
        if (!keys[i].seen && reachable(root, keys[i].path)) {
            printf("%s: documented, not in the output\n", keys[i].path);
            failures++;
        }
    json_decref(root);
    if (failures)
        printf("%s: %d mismatch(es) with %s\n", argv[2], failures, argv[1]);
    return failures ? 1 : 0;
}
