/* Private hash tables: 64-bit keys and byte-string keys, each mapping to a dense id in insertion order, so
 * callers keep per-key data in parallel arrays. Used for distinct values, uniqueness and value counts. */
#ifndef CF_SRC_VMAP_H
#define CF_SRC_VMAP_H

#include <stddef.h>
#include <stdint.h>

#include "context.h"

typedef struct cf__u64map {
	cf_context *ctx;
	uint32_t *slots;   /* id + 1, 0 = empty */
	uint64_t *keys;    /* by id */
	size_t cap, size, keys_cap;
} cf__u64map;

typedef struct cf__strmap {
	cf_context *ctx;
	uint32_t *slots;   /* id + 1, 0 = empty */
	uint64_t *hashes;  /* by id */
	size_t *offsets;   /* by id: start in arena; length = offsets[id+1]-offsets[id]-1 (NUL-terminated) */
	char *arena;
	size_t cap, size, ids_cap, arena_len, arena_cap;
} cf__strmap;

/* Keys are hashed with sketch.h's cf__hash_u64 (splitmix64) and cf__hash_bytes (XXH64). */

void cf__u64map_init(cf__u64map *m, cf_context *ctx);
void cf__u64map_free(cf__u64map *m);
/* Find or insert key; *id_out is its dense id, *added tells whether it is new. Returns 0 or CF_ENOMEM. */
int cf__u64map_put(cf__u64map *m, uint64_t key, uint32_t *id_out, int *added);
/* Find key: its id, or -1. */
int64_t cf__u64map_find(const cf__u64map *m, uint64_t key);

void cf__strmap_init(cf__strmap *m, cf_context *ctx);
void cf__strmap_free(cf__strmap *m);
int cf__strmap_put(cf__strmap *m, const char *s, size_t len, uint32_t *id_out, int *added);
int64_t cf__strmap_find(const cf__strmap *m, const char *s, size_t len);
/* The key of id (NUL-terminated) and its length. */
const char *cf__strmap_key(const cf__strmap *m, uint32_t id, size_t *len_out);

#endif
