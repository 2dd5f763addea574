/*
 * arena.c — bump allocator for bulk data that dies together.  Blocks grow
 * geometrically; ls__arena_free releases everything at once.
 */
#include "core.h"

struct ls__arena_block {
    ls__arena_block *next;
    size_t size;
    max_align_t data[];
};

void *ls__arena_alloc(ls__arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (!a->head || a->used + n > a->cap) {
        size_t size = a->cap ? a->cap * 2 : 64 * 1024;
        if (size < n) size = n;
        ls__arena_block *b = ls__malloc(sizeof *b + size);
        if (!b) return NULL;
        b->next = a->head;
        b->size = size;
        a->head = b;
        a->cap = size;
        a->used = 0;
    }
    void *p = (char *)a->head->data + a->used;
    a->used += n;
    return p;
}

void ls__arena_free(ls__arena *a)
{
    ls__arena_block *b = a->head;
    while (b) {
        ls__arena_block *n = b->next;
        ls__free(b);
        b = n;
    }
    a->head = NULL;
    a->used = a->cap = 0;
}
