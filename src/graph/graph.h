/*
 * graph.h — the coordination graph: co-action layers fused into one edge
 * list (per-layer counts and weights, combined weight and significance),
 * and its export as CSV (the QUT toolkit's layout under --compat qut),
 * GraphML and GEXF.
 */
#ifndef LS_GRAPH_H
#define LS_GRAPH_H

#include "../core/core.h"
#include "../store/store.h"
#include "../signals/signals.h"

typedef struct ls__gedge {
    uint32_t u, v;
    uint32_t count[LS_L_COUNT];   /* per-layer co-action count (0 = none) */
    float weight;                 /* sum of layer weights */
    float sig;                    /* max layer significance (-log10 p) */
    int8_t ev_layer;              /* layer of ev[] (the first with a count) */
    uint32_t ev[LS__EV];          /* that layer's evidence ids */
} ls__gedge;

typedef struct ls__graph {
    int directed;                 /* qut mode: directed, one row per layer */
    int64_t window_ms;            /* for naming time-bucket evidence */
    int n_layers;
    int layers[LS_L_COUNT];       /* the layers present, in order */
    ls__gedge *e;
    size_t n;
} ls__graph;

/* Fuses layer edge lists (each sorted by (u, v)) into g; O(total edges). */
int  ls__graph_build(ls_ctx *ctx, const ls__edges *layers, int n, ls__graph *g);
void ls__graph_free(ls__graph *g);

enum { LS_FMT_CSV = 0, LS_FMT_GRAPHML, LS_FMT_GEXF };
int ls__graph_format_parse(const char *s);   /* -1 if unknown */

/* Writes g atomically to path ("-" = stdout).  Account ids are taken from
 * the store and escaped for the format (they are hostile text). */
int ls__graph_write(ls_ctx *ctx, const ls__graph *g, const ls_store *st,
                    int format, const char *path);

/* Appends s escaped for XML text or attribute values: markup characters
 * as entities, invalid UTF-8 and characters XML 1.0 forbids as U+FFFD. */
int ls__xml_escape(ls__buf *b, ls__str s);
/* Appends s as one CSV field; quote_all quotes every field (QUT). */
int ls__csv_field(ls__buf *b, ls__str s, int quote_all);

/* numfmt.c: v in decimal; returns the length (at most 10). */
size_t ls__fmt_u32(char *out, uint32_t v);
/* x exactly as printf("%.6g", x) writes it, into out (room for 32);
 * returns the length. */
size_t ls__fmt_g6(char *out, double x);

#endif /* LS_GRAPH_H */
