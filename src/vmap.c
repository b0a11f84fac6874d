/* Open-addressing hash tables with dense ids (see vmap.h). Linear probing, load factor <= 1/2. */
#include "vmap.h"

#include <string.h>

#include "sketch.h" /* cf__hash_u64 (splitmix64), cf__hash_bytes (XXH64) */

void cf__u64map_init(cf__u64map *m, cf_context *ctx)
{
	memset(m, 0, sizeof *m);
	m->ctx = ctx;
}

void cf__u64map_free(cf__u64map *m)
{
	cf__free(m->ctx, m->slots);
	cf__free(m->ctx, m->keys);
	m->slots = NULL;
	m->keys = NULL;
	m->cap = m->size = m->keys_cap = 0;
}

static int u64map_rehash(cf__u64map *m, size_t cap)
{
	uint32_t *slots = cf__calloc(m->ctx, cap, sizeof *slots, "hash table");
	size_t i;

	if (slots == NULL)
		return CF_ENOMEM;
	for (i = 0; i < m->size; i++) {
		size_t k = cf__hash_u64(m->keys[i]) & (cap - 1);
		while (slots[k])
			k = (k + 1) & (cap - 1);
		slots[k] = (uint32_t)i + 1;
	}
	cf__free(m->ctx, m->slots);
	m->slots = slots;
	m->cap = cap;
	return CF_OK;
}

int64_t cf__u64map_find(const cf__u64map *m, uint64_t key)
{
	size_t k;

	if (m->cap == 0)
		return -1;
	for (k = cf__hash_u64(key) & (m->cap - 1); m->slots[k]; k = (k + 1) & (m->cap - 1))
		if (m->keys[m->slots[k] - 1] == key)
			return (int64_t)m->slots[k] - 1;
	return -1;
}

int cf__u64map_put(cf__u64map *m, uint64_t key, uint32_t *id_out, int *added)
{
	size_t k;

	if (2 * (m->size + 1) > m->cap && u64map_rehash(m, m->cap ? 2 * m->cap : 64) != 0)
		return CF_ENOMEM;
	for (k = cf__hash_u64(key) & (m->cap - 1); m->slots[k]; k = (k + 1) & (m->cap - 1))
		if (m->keys[m->slots[k] - 1] == key) {
			*id_out = m->slots[k] - 1;
			if (added)
				*added = 0;
			return CF_OK;
		}
	if (m->size == UINT32_MAX - 1)
		return cf__error_oom("hash table (too many keys)");
	if (m->size == m->keys_cap) {
		size_t nc = m->keys_cap ? 2 * m->keys_cap : 32;
		uint64_t *keys = cf__realloc(m->ctx, m->keys, nc * sizeof *keys, "hash table");
		if (keys == NULL)
			return CF_ENOMEM;
		m->keys = keys;
		m->keys_cap = nc;
	}
	m->keys[m->size] = key;
	m->slots[k] = (uint32_t)m->size + 1;
	*id_out = (uint32_t)m->size++;
	if (added)
		*added = 1;
	return CF_OK;
}

void cf__strmap_init(cf__strmap *m, cf_context *ctx)
{
	memset(m, 0, sizeof *m);
	m->ctx = ctx;
}

void cf__strmap_free(cf__strmap *m)
{
	cf__free(m->ctx, m->slots);
	cf__free(m->ctx, m->hashes);
	cf__free(m->ctx, m->offsets);
	cf__free(m->ctx, m->arena);
	cf__strmap_init(m, m->ctx);
}

const char *cf__strmap_key(const cf__strmap *m, uint32_t id, size_t *len_out)
{
	if (len_out)
		*len_out = m->offsets[id + 1] - m->offsets[id] - 1;
	return m->arena + m->offsets[id];
}

static int strmap_rehash(cf__strmap *m, size_t cap)
{
	uint32_t *slots = cf__calloc(m->ctx, cap, sizeof *slots, "hash table");
	size_t i;

	if (slots == NULL)
		return CF_ENOMEM;
	for (i = 0; i < m->size; i++) {
		size_t k = m->hashes[i] & (cap - 1);
		while (slots[k])
			k = (k + 1) & (cap - 1);
		slots[k] = (uint32_t)i + 1;
	}
	cf__free(m->ctx, m->slots);
	m->slots = slots;
	m->cap = cap;
	return CF_OK;
}

static int strmap_match(const cf__strmap *m, uint32_t id, uint64_t h, const char *s, size_t len)
{
	return m->hashes[id] == h && m->offsets[id + 1] - m->offsets[id] - 1 == len &&
		memcmp(m->arena + m->offsets[id], s, len) == 0;
}

int64_t cf__strmap_find(const cf__strmap *m, const char *s, size_t len)
{
	uint64_t h;
	size_t k;

	if (m->cap == 0)
		return -1;
	h = cf__hash_bytes(s, len);
	for (k = h & (m->cap - 1); m->slots[k]; k = (k + 1) & (m->cap - 1))
		if (strmap_match(m, m->slots[k] - 1, h, s, len))
			return (int64_t)m->slots[k] - 1;
	return -1;
}

int cf__strmap_put(cf__strmap *m, const char *s, size_t len, uint32_t *id_out, int *added)
{
	uint64_t h = cf__hash_bytes(s, len);
	size_t k;

	if (2 * (m->size + 1) > m->cap && strmap_rehash(m, m->cap ? 2 * m->cap : 64) != 0)
		return CF_ENOMEM;
	for (k = h & (m->cap - 1); m->slots[k]; k = (k + 1) & (m->cap - 1))
		if (strmap_match(m, m->slots[k] - 1, h, s, len)) {
			*id_out = m->slots[k] - 1;
			if (added)
				*added = 0;
			return CF_OK;
		}
	if (m->size + 2 > m->ids_cap) {
		size_t nc = m->ids_cap ? 2 * m->ids_cap : 32;
		uint64_t *hs = cf__realloc(m->ctx, m->hashes, nc * sizeof *hs, "hash table");
		size_t *offs;
		if (hs == NULL)
			return CF_ENOMEM;
		m->hashes = hs;
		offs = cf__realloc(m->ctx, m->offsets, (nc + 1) * sizeof *offs, "hash table");
		if (offs == NULL)
			return CF_ENOMEM;
		m->offsets = offs;
		m->ids_cap = nc;
		if (m->size == 0)
			m->offsets[0] = 0;
	}
	while (m->arena_len + len + 1 > m->arena_cap) {
		size_t nc = m->arena_cap ? 2 * m->arena_cap : 1024;
		char *a = cf__realloc(m->ctx, m->arena, nc, "hash table");
		if (a == NULL)
			return CF_ENOMEM;
		m->arena = a;
		m->arena_cap = nc;
	}
	if (len)
		memcpy(m->arena + m->arena_len, s, len);
	m->arena[m->arena_len + len] = '\0';
	m->arena_len += len + 1;
	m->hashes[m->size] = h;
	m->offsets[m->size + 1] = m->arena_len;
	m->slots[k] = (uint32_t)m->size + 1;
	*id_out = (uint32_t)m->size++;
	if (added)
		*added = 1;
	return CF_OK;
}
