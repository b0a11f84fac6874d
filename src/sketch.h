/* Private sketches for mergeable column statistics (stats.c): 64-bit hashes, a value-count table (exact counts
 * and the Misra-Gries summary share it), HyperLogLog, a KLL quantile sketch, and a bounds-checked msgpack
 * reader. Every sketch merges exactly as its paper says and serialises canonically, so that a partial that went
 * through msgpack merges into the same bytes as the original (docs/formats.md). */
#ifndef CF_SRC_SKETCH_H
#define CF_SRC_SKETCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <msgpack.h>

#include "context.h"

/* ---- Hashes. Both are part of the serialised format: HLL registers and merges depend on them. ---- */

/* XXH64 with seed 0 (the xxHash specification), for strings. */
uint64_t cf__hash_bytes(const void *data, size_t len);

/* The splitmix64 output function of x: a bijective 64-bit mixer, for numbers keyed by their bits. */
static inline uint64_t cf__hash_u64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* The key of a float64: its IEEE-754 bits, with -0.0 folded into 0.0 so that they count as one value. */
static inline uint64_t cf__double_key(double v)
{
	uint64_t k;
	if (v == 0)
		v = 0.0;
	memcpy(&k, &v, sizeof k);
	return k;
}

static inline double cf__key_double(uint64_t k)
{
	double v;
	memcpy(&v, &k, sizeof v);
	return v;
}

/* ---- Value tables: (value, count) pairs in insertion order with an open-addressing index. ---- */

/* How a table's keys compare: int64 and float64 keys are the value's bits, strings live in the arena. */
typedef enum cf__kind { CF__KIND_INT = 0, CF__KIND_FLOAT = 1, CF__KIND_STRING = 2 } cf__kind;

typedef struct cf__vt_entry {
	uint64_t hash;   /* cf__hash_u64(key) for numbers, cf__hash_bytes(string) for strings */
	uint64_t key;    /* numbers: the bits; strings: offset of the NUL-terminated string in the arena */
	uint64_t count;
	uint64_t len;    /* strings: bytes, without the NUL */
} cf__vt_entry;

typedef struct cf__vtab {
	cf_context *ctx;
	cf__kind kind;
	cf__vt_entry *e;
	size_t n, cap;
	uint32_t *slot;  /* entry index + 1, 0 = empty; nslots is a power of two, at least 2n */
	size_t nslots;
	char *arena;     /* strings, appended in entry order */
	size_t alen, acap;
} cf__vtab;

void cf__vtab_init(cf__vtab *t, cf_context *ctx, cf__kind kind);
void cf__vtab_free(cf__vtab *t);

static inline const char *cf__vtab_str(const cf__vtab *t, size_t i)
{
	return t->arena + t->e[i].key;
}

/* Add `count` to a value, inserting it when new. Returns 0 or CF_ENOMEM. */
int cf__vtab_add_num(cf__vtab *t, uint64_t key, uint64_t hash, uint64_t count);
int cf__vtab_add_str(cf__vtab *t, const char *s, size_t len, uint64_t hash, uint64_t count);
/* Add a value of another table (of the same kind). */
int cf__vtab_add_entry(cf__vtab *t, const cf__vtab *from, size_t i, uint64_t count);

/* Add each key once, stopping right after the value that makes the table exceed `limit` entries.
 * *done_out: how many keys were consumed. Returns 0 or CF_ENOMEM. */
int cf__vtab_count_keys(size_t *done_out, cf__vtab *t, const uint64_t *keys, size_t n, size_t limit);

/* The canonical order of a table: count descending, then value ascending (numbers by value, strings by bytes).
 * Fills order[0..t->n) with entry indices. */
void cf__vtab_canonical(size_t *order, const cf__vtab *t);

/* msgpack: [values], [counts] in canonical order (two arrays; floats as float64, ints as int, strings as str). */
int cf__vtab_pack(msgpack_packer *pk, const cf__vtab *t, const size_t *order);

/* ---- Misra-Gries heavy hitters with weighted updates (Agarwal et al., "Mergeable summaries", 2012). ----
 * At most k counters; when a (k+1)-th is needed, every counter loses the lower median of the counts and those
 * at zero are dropped. Each stored count is a lower bound and undercounts by at most `offset` (the sum of what
 * was subtracted); a value not stored occurred at most `offset` times. offset <= 2N/(k+2) for N values. */
typedef struct cf__mg {
	cf__vtab t;
	size_t k;
	uint64_t offset;
	uint64_t *scratch; /* k + 1 counts for the median */
} cf__mg;

void cf__mg_init(cf__mg *mg, cf_context *ctx, cf__kind kind, size_t k);
void cf__mg_free(cf__mg *mg);
int cf__mg_add_num(cf__mg *mg, uint64_t key, uint64_t hash, uint64_t count);
int cf__mg_add_str(cf__mg *mg, const char *s, size_t len, uint64_t hash, uint64_t count);
/* Feed every entry of a table (exact counts or another summary) in canonical order, so the result does not
 * depend on how the table was built. Does not touch offset. */
int cf__mg_add_table(cf__mg *mg, const cf__vtab *from);
int cf__mg_add_keys(cf__mg *mg, const uint64_t *keys, size_t n);

/* ---- HyperLogLog: 2^p one-byte registers. Index: the low p bits of the hash; value: 1 + the number of
 * trailing zeros of hash >> p (at most 65 - p). Estimate: Ertl 2017 ("New cardinality estimation algorithms for
 * HyperLogLog sketches", algorithm 6), unbiased from 0 to 2^64 without empirical tables. ---- */
static inline void cf__hll_add(uint8_t *reg, unsigned p, uint64_t hash)
{
	uint64_t w = (hash >> p) | (1ULL << (64 - p));
	uint8_t r = (uint8_t)(__builtin_ctzll(w) + 1);
	size_t i = (size_t)(hash & ((1ULL << p) - 1));
	if (reg[i] < r)
		reg[i] = r;
}

void cf__hll_merge(uint8_t *dst, const uint8_t *src, unsigned p);
double cf__hll_estimate(const uint8_t *reg, unsigned p);

/* ---- KLL quantile sketch (Karnin, Lang, Liberty 2016) with the lazy compaction of Apache DataSketches:
 * level h holds items of weight 2^h, capacity max(8, k (2/3)^depth) with depth counted from the top level; when
 * the sketch holds more than the sum of the capacities, the lowest full level is sorted and every other item
 * (offset by a coin from a seeded PRNG) moves up one level. Total weight is preserved exactly. ---- */
#define CF__KLL_MIN_K 8
#define CF__KLL_MAX_K 65535
#define CF__KLL_MAX_LEVELS 64

typedef struct cf__kll_level {
	double *v;      /* level 0: unsorted; above: ascending */
	uint32_t n, cap;
} cf__kll_level;

typedef struct cf__kll {
	cf_context *ctx;
	uint32_t k;
	uint32_t nlevels;         /* at least 1 */
	uint64_t n;               /* items added: the sum of the weights */
	uint64_t rng;             /* splitmix64 state of the compaction coin */
	uint64_t retained, capacity;  /* items held; the sum of the level capacities */
	uint32_t lcap[CF__KLL_MAX_LEVELS]; /* level capacities for nlevels levels */
	cf__kll_level lv[CF__KLL_MAX_LEVELS];
} cf__kll;

void cf__kll_init(cf__kll *s, cf_context *ctx, uint32_t k, uint64_t seed);
void cf__kll_free(cf__kll *s);
/* Add values (never NaN). Returns 0 or CF_ENOMEM. */
int cf__kll_update(cf__kll *s, const double *v, size_t n);
int cf__kll_merge(cf__kll *dst, const cf__kll *src);
/* The smallest retained item whose cumulative weight reaches q * n. CF_ENOTFOUND when empty. */
int cf__kll_quantile(double *out, const cf__kll *s, double q);
/* DataSketches' double-sided normalised rank error at 99% confidence: 2.446 / k^0.9433. */
double cf__kll_rank_error(uint32_t k);
/* msgpack: [n, rng, [level 0 bin, level 1 bin, ...]], each level its items as little-endian float64. */
int cf__kll_pack(msgpack_packer *pk, const cf__kll *s);

/* Sort doubles (no NaN) ascending. */
void cf__sort_doubles(double *v, size_t n);

/* ---- A bounds-checked msgpack reader: never reads past `end`, allocates nothing. ---- */
typedef struct cf__mp {
	const uint8_t *base, *p, *end;
} cf__mp;

/* Results of the readers: the value was read; the next value has another type (nothing consumed); the input
 * ended inside the value. */
enum { CF__MP_OK = 0, CF__MP_TYPE = 1, CF__MP_EOF = 2 };

int cf__mp_array(cf__mp *r, uint32_t *n);
int cf__mp_nil(cf__mp *r);
int cf__mp_bool(cf__mp *r, int *v);
int cf__mp_uint(cf__mp *r, uint64_t *v);
int cf__mp_int(cf__mp *r, int64_t *v);     /* any integer in int64 range */
int cf__mp_float(cf__mp *r, double *v);    /* float32 or float64 */
int cf__mp_str(cf__mp *r, const char **s, uint32_t *len);
int cf__mp_bin(cf__mp *r, const uint8_t **b, uint32_t *len);

static inline size_t cf__mp_offset(const cf__mp *r)
{
	return (size_t)(r->p - r->base);
}

static inline size_t cf__mp_left(const cf__mp *r)
{
	return (size_t)(r->end - r->p);
}

/* Unpackers: `where` prefixes the CF_EFORMAT message ("stats msgpack: column 2 'age': field 'kll'"). They leave
 * the object valid (maybe partly filled) on failure; the caller frees it. */
int cf__vtab_unpack(cf__vtab *t, cf__mp *r, const char *where, uint64_t *total_out);
int cf__mg_unpack(cf__mg *mg, cf__mp *r, const char *where, uint64_t *total_out);
int cf__hll_unpack(uint8_t *reg, unsigned p, cf__mp *r, const char *where);
int cf__kll_unpack(cf__kll *s, cf__mp *r, const char *where);

/* msgpack-c's packer writing into a cf_buf; pack calls report failure through the return value. */
int cf__mp_buf_write(void *data, const char *buf, size_t len);

#endif
