/* Sketches for mergeable statistics: hashes, value tables, Misra-Gries, HyperLogLog, KLL, msgpack reading. */
#include "sketch.h"

#include <math.h>
#include <stdlib.h>

#include "table.h"

/* ------------------------------------------------------------------------------------------------------------
 * XXH64 (seed 0), as the xxHash specification defines it; reads are little-endian on any host.
 */
#define XXH_P1 0x9E3779B185EBCA87ULL
#define XXH_P2 0xC2B2AE3D27D4EB4FULL
#define XXH_P3 0x165667B19E3779F9ULL
#define XXH_P4 0x85EBCA77C2B2AE63ULL
#define XXH_P5 0x27D4EB2F165667C5ULL

static inline uint64_t rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t read_le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
		(uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint32_t read_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t xxh_round(uint64_t acc, uint64_t input)
{
	acc += input * XXH_P2;
	acc = rotl64(acc, 31);
	return acc * XXH_P1;
}

static inline uint64_t xxh_merge_round(uint64_t acc, uint64_t val)
{
	acc ^= xxh_round(0, val);
	return acc * XXH_P1 + XXH_P4;
}

uint64_t cf__hash_bytes(const void *data, size_t len)
{
	const uint8_t *p = data, *end = p + len;
	uint64_t h;

	if (len >= 32) {
		const uint8_t *limit = end - 32;
		uint64_t v1 = XXH_P1 + XXH_P2, v2 = XXH_P2, v3 = 0, v4 = 0 - XXH_P1;
		do {
			v1 = xxh_round(v1, read_le64(p));
			v2 = xxh_round(v2, read_le64(p + 8));
			v3 = xxh_round(v3, read_le64(p + 16));
			v4 = xxh_round(v4, read_le64(p + 24));
			p += 32;
		} while (p <= limit);
		h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
		h = xxh_merge_round(h, v1);
		h = xxh_merge_round(h, v2);
		h = xxh_merge_round(h, v3);
		h = xxh_merge_round(h, v4);
	} else {
		h = XXH_P5;
	}
	h += (uint64_t)len;
	while (p + 8 <= end) {
		h ^= xxh_round(0, read_le64(p));
		h = rotl64(h, 27) * XXH_P1 + XXH_P4;
		p += 8;
	}
	if (p + 4 <= end) {
		h ^= (uint64_t)read_le32(p) * XXH_P1;
		h = rotl64(h, 23) * XXH_P2 + XXH_P3;
		p += 4;
	}
	while (p < end) {
		h ^= (uint64_t)*p * XXH_P5;
		h = rotl64(h, 11) * XXH_P1;
		p++;
	}
	h ^= h >> 33;
	h *= XXH_P2;
	h ^= h >> 29;
	h *= XXH_P3;
	h ^= h >> 32;
	return h;
}

/* ------------------------------------------------------------------------------------------------------------
 * Sorting. Doubles: introsort (median-of-three quicksort, heapsort past a depth limit, insertion sort for small
 * ranges), since KLL sorts level 0 at every compaction. Indices: heapsort with a context comparator (C11 has no
 * qsort_r), used only when serialising or describing a table.
 */
static void insertion_sort_doubles(double *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double x = v[i];
		size_t j = i;
		while (j > 0 && v[j - 1] > x) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

static void sift_down_doubles(double *v, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		double t;
		if (child >= n)
			return;
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (!(v[child] > v[root]))
			return;
		t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

static void heapsort_doubles(double *v, size_t n)
{
	size_t i;
	for (i = n / 2; i-- > 0;)
		sift_down_doubles(v, i, n);
	for (i = n; i-- > 1;) {
		double t = v[0];
		v[0] = v[i];
		v[i] = t;
		sift_down_doubles(v, 0, i);
	}
}

static void introsort_doubles(double *v, size_t n, int depth)
{
	while (n > 24) {
		double a, b, c, pivot, t;
		size_t i, j;
		if (depth-- == 0) {
			heapsort_doubles(v, n);
			return;
		}
		a = v[0];
		b = v[n / 2];
		c = v[n - 1];
		pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		i = 0;
		j = n - 1;
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			t = v[i];
			v[i] = v[j];
			v[j] = t;
			i++;
			j--;
		}
		/* [0, j] <= pivot <= [j+1, n): recurse into the smaller part, loop on the larger. */
		if (j + 1 < n - j - 1) {
			introsort_doubles(v, j + 1, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			introsort_doubles(v + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	insertion_sort_doubles(v, n);
}

void cf__sort_doubles(double *v, size_t n)
{
	int depth = 0;
	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	introsort_doubles(v, n, depth);
}

/* ------------------------------------------------------------------------------------------------------------
 * Value tables.
 */
void cf__vtab_init(cf__vtab *t, cf_context *ctx, cf__kind kind)
{
	memset(t, 0, sizeof *t);
	t->ctx = ctx;
	t->kind = kind;
}

void cf__vtab_free(cf__vtab *t)
{
	cf__free(t->ctx, t->e);
	cf__free(t->ctx, t->slot);
	cf__free(t->ctx, t->arena);
	t->e = NULL;
	t->slot = NULL;
	t->arena = NULL;
	t->n = t->cap = t->nslots = t->alen = t->acap = 0;
}

/* Rebuild the index in place (after entries were removed). */
static void vtab_reindex(cf__vtab *t)
{
	size_t mask = t->nslots - 1;

	memset(t->slot, 0, t->nslots * sizeof *t->slot);
	for (size_t i = 0; i < t->n; i++) {
		size_t j = t->e[i].hash & mask;
		while (t->slot[j] != 0)
			j = (j + 1) & mask;
		t->slot[j] = (uint32_t)(i + 1);
	}
}

static int vtab_rehash(cf__vtab *t, size_t nslots)
{
	uint32_t *s = cf__calloc(t->ctx, nslots, sizeof *s, "value table index");
	size_t mask = nslots - 1;

	if (s == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		size_t j = t->e[i].hash & mask;
		while (s[j] != 0)
			j = (j + 1) & mask;
		s[j] = (uint32_t)(i + 1);
	}
	cf__free(t->ctx, t->slot);
	t->slot = s;
	t->nslots = nslots;
	return CF_OK;
}

/* Room for `extra` more entries, with the index at most half full. */
static int vtab_reserve(cf__vtab *t, size_t extra)
{
	size_t need = t->n + extra;

	if (need >= UINT32_MAX / 2)
		return cf__error_set(CF_ENOMEM, "value table: %zu entries is too many", need);
	if (need > t->cap) {
		size_t cap = t->cap ? t->cap : 8;
		cf__vt_entry *e;
		while (cap < need)
			cap *= 2;
		e = cf__realloc(t->ctx, t->e, cap * sizeof *e, "value table");
		if (e == NULL)
			return CF_ENOMEM;
		t->e = e;
		t->cap = cap;
	}
	if (need * 2 > t->nslots) {
		size_t ns = t->nslots ? t->nslots : 16;
		while (ns < need * 2)
			ns *= 2;
		return vtab_rehash(t, ns);
	}
	return CF_OK;
}

#define VTAB_GROW_NEEDED(t) ((t)->n == (t)->cap || ((t)->n + 1) * 2 > (t)->nslots)

/* The entry holding a number, or SIZE_MAX with *slot_out the empty slot where it would go. */
static inline size_t vtab_find_num(const cf__vtab *t, uint64_t key, uint64_t hash, size_t *slot_out)
{
	size_t mask = t->nslots - 1, j = hash & mask;
	uint32_t s;

	while ((s = t->slot[j]) != 0) {
		if (t->e[s - 1].key == key)
			return s - 1;
		j = (j + 1) & mask;
	}
	*slot_out = j;
	return SIZE_MAX;
}

static inline size_t vtab_find_str(const cf__vtab *t, const char *str, size_t len, uint64_t hash,
	size_t *slot_out)
{
	size_t mask = t->nslots - 1, j = hash & mask;
	uint32_t s;

	while ((s = t->slot[j]) != 0) {
		const cf__vt_entry *e = &t->e[s - 1];
		if (e->hash == hash && e->len == len && memcmp(t->arena + e->key, str, len) == 0)
			return s - 1;
		j = (j + 1) & mask;
	}
	*slot_out = j;
	return SIZE_MAX;
}

int cf__vtab_add_num(cf__vtab *t, uint64_t key, uint64_t hash, uint64_t count)
{
	size_t i, j = 0;
	int rc;

	if (VTAB_GROW_NEEDED(t) && (rc = vtab_reserve(t, 1)) != 0)
		return rc;
	i = vtab_find_num(t, key, hash, &j);
	if (i != SIZE_MAX) {
		t->e[i].count += count;
		return CF_OK;
	}
	t->e[t->n] = (cf__vt_entry){ hash, key, count, 0 };
	t->slot[j] = (uint32_t)++t->n;
	return CF_OK;
}

int cf__vtab_add_str(cf__vtab *t, const char *s, size_t len, uint64_t hash, uint64_t count)
{
	size_t i, j = 0;
	int rc;

	if (VTAB_GROW_NEEDED(t) && (rc = vtab_reserve(t, 1)) != 0)
		return rc;
	i = vtab_find_str(t, s, len, hash, &j);
	if (i != SIZE_MAX) {
		t->e[i].count += count;
		return CF_OK;
	}
	if (t->alen + len + 1 > t->acap) {
		size_t cap = t->acap ? t->acap : 256;
		char *a;
		while (cap < t->alen + len + 1)
			cap *= 2;
		if ((a = cf__realloc(t->ctx, t->arena, cap, "value table strings")) == NULL)
			return CF_ENOMEM;
		t->arena = a;
		t->acap = cap;
	}
	memcpy(t->arena + t->alen, s, len);
	t->arena[t->alen + len] = '\0';
	t->e[t->n] = (cf__vt_entry){ hash, t->alen, count, len };
	t->alen += len + 1;
	t->slot[j] = (uint32_t)++t->n;
	return CF_OK;
}

int cf__vtab_add_entry(cf__vtab *t, const cf__vtab *from, size_t i, uint64_t count)
{
	const cf__vt_entry *e = &from->e[i];
	if (from->kind == CF__KIND_STRING)
		return cf__vtab_add_str(t, from->arena + e->key, e->len, e->hash, count);
	return cf__vtab_add_num(t, e->key, e->hash, count);
}

int cf__vtab_count_keys(size_t *done_out, cf__vtab *t, const uint64_t *keys, size_t n, size_t limit)
{
	size_t i;
	int rc = CF_OK;

	for (i = 0; i < n; i++) {
		uint64_t key = keys[i], hash = cf__hash_u64(key);
		size_t k, j = 0;
		if (VTAB_GROW_NEEDED(t) && (rc = vtab_reserve(t, 1)) != 0)
			break;
		k = vtab_find_num(t, key, hash, &j);
		if (k != SIZE_MAX) {
			t->e[k].count++;
			continue;
		}
		t->e[t->n] = (cf__vt_entry){ hash, key, 1, 0 };
		t->slot[j] = (uint32_t)++t->n;
		if (t->n > limit) {
			i++;
			break;
		}
	}
	*done_out = i;
	return rc;
}

/* Value order: int64 and float64 keys by value, strings by bytes (UTF-8 byte order is code point order). */
static int vtab_cmp_value(const cf__vtab *t, size_t a, size_t b)
{
	const cf__vt_entry *x = &t->e[a], *y = &t->e[b];

	switch (t->kind) {
	case CF__KIND_INT:
		return (int64_t)x->key < (int64_t)y->key ? -1 : (int64_t)x->key > (int64_t)y->key;
	case CF__KIND_FLOAT: {
		double u = cf__key_double(x->key), v = cf__key_double(y->key);
		return u < v ? -1 : u > v;
	}
	case CF__KIND_STRING: {
		size_t n = x->len < y->len ? x->len : y->len;
		int c = memcmp(t->arena + x->key, t->arena + y->key, n);
		if (c != 0)
			return c < 0 ? -1 : 1;
		return x->len < y->len ? -1 : x->len > y->len;
	}
	}
	return 0;
}

static int vtab_cmp_canonical(const cf__vtab *t, size_t a, size_t b)
{
	if (t->e[a].count != t->e[b].count)
		return t->e[a].count > t->e[b].count ? -1 : 1;
	return vtab_cmp_value(t, a, b);
}

static void sift_down_idx(size_t *v, size_t root, size_t n, const cf__vtab *t)
{
	for (;;) {
		size_t child = 2 * root + 1, tmp;
		if (child >= n)
			return;
		if (child + 1 < n && vtab_cmp_canonical(t, v[child + 1], v[child]) > 0)
			child++;
		if (vtab_cmp_canonical(t, v[child], v[root]) <= 0)
			return;
		tmp = v[root];
		v[root] = v[child];
		v[child] = tmp;
		root = child;
	}
}

void cf__vtab_canonical(size_t *order, const cf__vtab *t)
{
	size_t i, n = t->n;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n / 2; i-- > 0;)
		sift_down_idx(order, i, n, t);
	for (i = n; i-- > 1;) {
		size_t tmp = order[0];
		order[0] = order[i];
		order[i] = tmp;
		sift_down_idx(order, 0, i, t);
	}
}

int cf__mp_buf_write(void *data, const char *buf, size_t len)
{
	return cf__buf_put(data, buf, len);
}

#define MP_TRY(expr) do { int mp_rc_ = (expr); if (mp_rc_ != 0) return mp_rc_ < 0 ? mp_rc_ : CF_ENOMEM; } while (0)

int cf__vtab_pack(msgpack_packer *pk, const cf__vtab *t, const size_t *order)
{
	size_t i;

	MP_TRY(msgpack_pack_array(pk, t->n));
	for (i = 0; i < t->n; i++) {
		const cf__vt_entry *e = &t->e[order[i]];
		switch (t->kind) {
		case CF__KIND_INT:
			MP_TRY(msgpack_pack_int64(pk, (int64_t)e->key));
			break;
		case CF__KIND_FLOAT:
			MP_TRY(msgpack_pack_double(pk, cf__key_double(e->key)));
			break;
		case CF__KIND_STRING:
			MP_TRY(msgpack_pack_str(pk, e->len));
			MP_TRY(msgpack_pack_str_body(pk, t->arena + e->key, e->len));
			break;
		}
	}
	MP_TRY(msgpack_pack_array(pk, t->n));
	for (i = 0; i < t->n; i++)
		MP_TRY(msgpack_pack_uint64(pk, t->e[order[i]].count));
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Misra-Gries.
 */
void cf__mg_init(cf__mg *mg, cf_context *ctx, cf__kind kind, size_t k)
{
	cf__vtab_init(&mg->t, ctx, kind);
	mg->k = k;
	mg->offset = 0;
	mg->scratch = NULL;
}

void cf__mg_free(cf__mg *mg)
{
	cf__vtab_free(&mg->t);
	cf__free(mg->t.ctx, mg->scratch);
	mg->scratch = NULL;
	mg->offset = 0;
}

/* The k-th smallest (0-based) of v[0..n), reordering v (Hoare's FIND, as in Wirth's "Algorithms + Data
 * Structures"). */
static uint64_t select_u64(uint64_t *v, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

	while (lo < hi) {
		uint64_t pivot = v[lo + (hi - lo) / 2], t;
		ptrdiff_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		}
		if (kk <= j)
			hi = j;
		else if (kk >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

/* Subtract the lower median of the counts from every counter and drop those at zero; strings are compacted in
 * the arena (entries and their strings are kept in the same order). */
static int mg_purge(cf__mg *mg)
{
	cf__vtab *t = &mg->t;
	size_t i, j = 0, apos = 0;
	uint64_t c;

	if (mg->scratch == NULL &&
	    (mg->scratch = cf__malloc(t->ctx, (mg->k + 1) * sizeof *mg->scratch, "top-k sketch")) == NULL)
		return CF_ENOMEM;
	for (i = 0; i < t->n; i++)
		mg->scratch[i] = t->e[i].count;
	c = select_u64(mg->scratch, t->n, (t->n - 1) / 2);
	for (i = 0; i < t->n; i++) {
		cf__vt_entry e = t->e[i];
		if (e.count <= c)
			continue;
		e.count -= c;
		if (t->kind == CF__KIND_STRING) {
			memmove(t->arena + apos, t->arena + e.key, e.len + 1);
			e.key = apos;
			apos += e.len + 1;
		}
		t->e[j++] = e;
	}
	t->n = j;
	t->alen = apos;
	mg->offset += c;
	vtab_reindex(t);
	return CF_OK;
}

int cf__mg_add_num(cf__mg *mg, uint64_t key, uint64_t hash, uint64_t count)
{
	int rc = cf__vtab_add_num(&mg->t, key, hash, count);
	if (rc == 0 && mg->t.n > mg->k)
		rc = mg_purge(mg);
	return rc;
}

int cf__mg_add_str(cf__mg *mg, const char *s, size_t len, uint64_t hash, uint64_t count)
{
	int rc = cf__vtab_add_str(&mg->t, s, len, hash, count);
	if (rc == 0 && mg->t.n > mg->k)
		rc = mg_purge(mg);
	return rc;
}

int cf__mg_add_keys(cf__mg *mg, const uint64_t *keys, size_t n)
{
	cf__vtab *t = &mg->t;
	int rc;

	for (size_t i = 0; i < n; i++) {
		uint64_t key = keys[i], hash = cf__hash_u64(key);
		size_t k, j = 0;
		if (VTAB_GROW_NEEDED(t) && (rc = vtab_reserve(t, 1)) != 0)
			return rc;
		k = vtab_find_num(t, key, hash, &j);
		if (k != SIZE_MAX) {
			t->e[k].count++;
			continue;
		}
		t->e[t->n] = (cf__vt_entry){ hash, key, 1, 0 };
		t->slot[j] = (uint32_t)++t->n;
		if (t->n > mg->k && (rc = mg_purge(mg)) != 0)
			return rc;
	}
	return CF_OK;
}

int cf__mg_add_table(cf__mg *mg, const cf__vtab *from)
{
	size_t *order;
	int rc = CF_OK;

	if (from->n == 0)
		return CF_OK;
	if ((order = cf__malloc(mg->t.ctx, from->n * sizeof *order, "top-k merge")) == NULL)
		return CF_ENOMEM;
	cf__vtab_canonical(order, from);
	for (size_t i = 0; i < from->n && rc == 0; i++) {
		const cf__vt_entry *e = &from->e[order[i]];
		rc = from->kind == CF__KIND_STRING ? cf__mg_add_str(mg, from->arena + e->key, e->len, e->hash, e->count)
			: cf__mg_add_num(mg, e->key, e->hash, e->count);
	}
	cf__free(mg->t.ctx, order);
	return rc;
}

/* ------------------------------------------------------------------------------------------------------------
 * HyperLogLog.
 */
void cf__hll_merge(uint8_t *dst, const uint8_t *src, unsigned p)
{
	for (size_t i = 0, m = (size_t)1 << p; i < m; i++)
		if (dst[i] < src[i])
			dst[i] = src[i];
}

static double hll_sigma(double x)
{
	double y = 1, z = x, z_prev;

	if (x == 1)
		return INFINITY;
	do {
		x *= x;
		z_prev = z;
		z += x * y;
		y += y;
	} while (z != z_prev);
	return z;
}

static double hll_tau(double x)
{
	double y = 1, z = 1 - x, z_prev;

	if (x == 0 || x == 1)
		return 0;
	do {
		x = sqrt(x);
		z_prev = z;
		y *= 0.5;
		z -= (1 - x) * (1 - x) * y;
	} while (z != z_prev);
	return z / 3;
}

double cf__hll_estimate(const uint8_t *reg, unsigned p)
{
	const unsigned q = 64 - p;
	const double m = (double)((size_t)1 << p);
	uint64_t c[66] = { 0 };
	double z;

	for (size_t i = 0, n = (size_t)1 << p; i < n; i++)
		c[reg[i] <= q + 1 ? reg[i] : q + 1]++;
	if ((double)c[0] == m)
		return 0;
	z = m * hll_tau((m - (double)c[q + 1]) / m);
	for (unsigned k = q; k >= 1; k--)
		z = 0.5 * (z + (double)c[k]);
	z += m * hll_sigma((double)c[0] / m);
	return round(0.721347520444481703680 * m * m / z); /* alpha_inf = 1 / (2 ln 2) */
}

/* ------------------------------------------------------------------------------------------------------------
 * KLL.
 */
#define KLL_M 8 /* minimum level capacity */

/* max(8, round(k (2/3)^depth)), in integers so that every platform compacts identically. */
static uint32_t kll_level_cap(uint32_t k, uint32_t nlevels, uint32_t h)
{
	static const uint64_t pow3[31] = { 1ULL, 3ULL, 9ULL, 27ULL, 81ULL, 243ULL, 729ULL, 2187ULL, 6561ULL,
		19683ULL, 59049ULL, 177147ULL, 531441ULL, 1594323ULL, 4782969ULL, 14348907ULL, 43046721ULL,
		129140163ULL, 387420489ULL, 1162261467ULL, 3486784401ULL, 10460353203ULL, 31381059609ULL,
		94143178827ULL, 282429536481ULL, 847288609443ULL, 2541865828329ULL, 7625597484987ULL,
		22876792454961ULL, 68630377364883ULL, 205891132094649ULL };
	uint32_t depth = nlevels - h - 1;
	uint64_t cap;

	if (depth > 30)
		return KLL_M;
	cap = ((((uint64_t)k << 1) << depth) / pow3[depth] + 1) >> 1;
	return cap < KLL_M ? KLL_M : (uint32_t)cap;
}

/* Set the number of levels (new ones empty) and the capacities that depend on it. */
static void kll_set_levels(cf__kll *s, uint32_t nlevels)
{
	while (s->nlevels < nlevels)
		s->lv[s->nlevels++].n = 0;
	s->nlevels = nlevels;
	s->capacity = 0;
	for (uint32_t h = 0; h < nlevels; h++) {
		s->lcap[h] = kll_level_cap(s->k, nlevels, h);
		s->capacity += s->lcap[h];
	}
}

void cf__kll_init(cf__kll *s, cf_context *ctx, uint32_t k, uint64_t seed)
{
	memset(s, 0, sizeof *s);
	s->ctx = ctx;
	s->k = k;
	s->rng = seed;
	kll_set_levels(s, 1);
}

void cf__kll_free(cf__kll *s)
{
	for (uint32_t h = 0; h < CF__KLL_MAX_LEVELS; h++) {
		cf__free(s->ctx, s->lv[h].v);
		s->lv[h].v = NULL;
		s->lv[h].n = s->lv[h].cap = 0;
	}
}

static int kll_reserve(cf__kll *s, cf__kll_level *l, uint64_t need)
{
	uint64_t cap = l->cap ? l->cap : 16;
	double *v;

	if (need <= l->cap)
		return CF_OK;
	if (need > UINT32_MAX / 2)
		return cf__error_set(CF_ENOMEM, "quantile sketch: level of %llu items is too large",
			(unsigned long long)need);
	while (cap < need)
		cap *= 2;
	if ((v = cf__realloc(s->ctx, l->v, cap * sizeof *v, "quantile sketch")) == NULL)
		return CF_ENOMEM;
	l->v = v;
	l->cap = (uint32_t)cap;
	return CF_OK;
}

/* The compaction coin: the top bit of the next splitmix64 output. */
static unsigned kll_coin(cf__kll *s)
{
	s->rng += 0x9E3779B97F4A7C15ULL;
	return (unsigned)(cf__hash_u64(s->rng - 0x9E3779B97F4A7C15ULL) >> 63);
}

/* Merge sorted src[0..n) into level l (sorted), in place from the back. */
static int kll_merge_into(cf__kll *s, cf__kll_level *l, const double *src, uint32_t n)
{
	uint32_t i = n, j, w;
	int rc;

	if ((rc = kll_reserve(s, l, (uint64_t)l->n + n)) != 0)
		return rc;
	j = l->n;
	w = l->n + n;
	while (i > 0) {
		if (j > 0 && l->v[j - 1] > src[i - 1])
			l->v[--w] = l->v[--j];
		else
			l->v[--w] = src[--i];
	}
	l->n += n;
	return CF_OK;
}

static int kll_compact(cf__kll *s, uint32_t h)
{
	cf__kll_level *a;
	uint32_t odd, half, i, off;
	double *src;
	int rc;

	if (h + 1 >= s->nlevels) {
		if (s->nlevels == CF__KLL_MAX_LEVELS)
			return cf__error_set(CF_ERROR, "quantile sketch: more than %d levels", CF__KLL_MAX_LEVELS);
		kll_set_levels(s, s->nlevels + 1);
	}
	a = &s->lv[h];
	odd = a->n & 1;
	half = a->n / 2;
	src = a->v + odd; /* an odd item out stays behind at a->v[0] */
	if (h == 0)
		cf__sort_doubles(src, 2 * (size_t)half);
	off = kll_coin(s);
	for (i = 0; i < half; i++)
		src[i] = src[2 * i + off];
	if ((rc = kll_merge_into(s, &s->lv[h + 1], src, half)) != 0)
		return rc;
	a->n = odd;
	s->retained -= half;
	return CF_OK;
}

/* Compact the lowest full level until the sketch fits its capacity. */
static int kll_compress(cf__kll *s)
{
	while (s->retained > s->capacity) {
		uint32_t h = 0;
		int rc;
		while (h + 1 < s->nlevels && s->lv[h].n < s->lcap[h])
			h++;
		if ((rc = kll_compact(s, h)) != 0)
			return rc;
	}
	return CF_OK;
}

int cf__kll_update(cf__kll *s, const double *v, size_t n)
{
	size_t i = 0;
	int rc;

	if ((rc = kll_compress(s)) != 0)
		return rc;
	while (i < n) {
		cf__kll_level *l0 = &s->lv[0];
		uint64_t room = s->capacity + 1 - s->retained;
		size_t take = n - i < room ? n - i : (size_t)room, j;
		if ((rc = kll_reserve(s, l0, (uint64_t)l0->n + take)) != 0)
			return rc;
		for (j = 0; j < take; j++) {
			double x = v[i + j];
			l0->v[l0->n + j] = x == 0 ? 0.0 : x; /* -0.0 would sort ambiguously against 0.0 */
		}
		l0->n += (uint32_t)take;
		s->n += take;
		s->retained += take;
		i += take;
		if ((rc = kll_compress(s)) != 0)
			return rc;
	}
	return CF_OK;
}

int cf__kll_merge(cf__kll *dst, const cf__kll *src)
{
	uint32_t h;
	int rc;

	if (src->n == 0)
		return CF_OK;
	if (dst->n > UINT64_MAX - src->n)
		return cf__error_set(CF_EINVAL, "quantile sketch: merged count overflows");
	if (dst->nlevels < src->nlevels)
		kll_set_levels(dst, src->nlevels);
	for (h = 0; h < src->nlevels; h++) {
		const cf__kll_level *b = &src->lv[h];
		cf__kll_level *a = &dst->lv[h];
		if (b->n == 0)
			continue;
		if (h == 0) {
			if ((rc = kll_reserve(dst, a, (uint64_t)a->n + b->n)) != 0)
				return rc;
			memcpy(a->v + a->n, b->v, b->n * sizeof *b->v);
			a->n += b->n;
		} else if ((rc = kll_merge_into(dst, a, b->v, b->n)) != 0) {
			return rc;
		}
	}
	dst->n += src->n;
	dst->retained += src->retained;
	return kll_compress(dst);
}

typedef struct kll_item {
	double v;
	uint64_t w;
} kll_item;

static int kll_item_cmp(const void *a, const void *b)
{
	double x = ((const kll_item *)a)->v, y = ((const kll_item *)b)->v;
	return x < y ? -1 : x > y;
}

int cf__kll_quantile(double *out, const cf__kll *s, double q)
{
	kll_item *items;
	size_t n = 0, i;
	uint64_t cum = 0;
	double target = q * (double)s->n;

	if (s->retained == 0)
		return cf__error_set(CF_ENOTFOUND, "quantile sketch is empty");
	if ((items = cf__malloc(s->ctx, s->retained * sizeof *items, "quantile query")) == NULL)
		return CF_ENOMEM;
	for (uint32_t h = 0; h < s->nlevels; h++)
		for (uint32_t j = 0; j < s->lv[h].n; j++)
			items[n++] = (kll_item){ s->lv[h].v[j], (uint64_t)1 << h };
	qsort(items, n, sizeof *items, kll_item_cmp);
	*out = items[n - 1].v;
	for (i = 0; i < n; i++) {
		cum += items[i].w;
		if ((double)cum >= target) {
			*out = items[i].v;
			break;
		}
	}
	cf__free(s->ctx, items);
	return CF_OK;
}

double cf__kll_rank_error(uint32_t k)
{
	return 2.446 / pow((double)k, 0.9433);
}

int cf__kll_pack(msgpack_packer *pk, const cf__kll *s)
{
	MP_TRY(msgpack_pack_array(pk, 3));
	MP_TRY(msgpack_pack_uint64(pk, s->n));
	MP_TRY(msgpack_pack_uint64(pk, s->rng));
	MP_TRY(msgpack_pack_array(pk, s->nlevels));
	for (uint32_t h = 0; h < s->nlevels; h++) {
		const cf__kll_level *l = &s->lv[h];
		uint8_t chunk[512];
		uint32_t i = 0;
		MP_TRY(msgpack_pack_bin(pk, (size_t)l->n * 8));
		while (i < l->n) {
			size_t m = 0;
			for (; i < l->n && m < sizeof chunk; i++) {
				uint64_t bits;
				memcpy(&bits, &l->v[i], 8);
				for (int b = 0; b < 8; b++)
					chunk[m++] = (uint8_t)(bits >> (8 * b));
			}
			MP_TRY(msgpack_pack_bin_body(pk, chunk, m));
		}
	}
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * msgpack reading. Each reader checks the type byte first (CF__MP_TYPE consumes nothing), then that the header
 * and payload fit in what is left (CF__MP_EOF).
 */
static uint64_t read_be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Read a header of 1 + n bytes whose value is the big-endian n-byte number after the type byte. */
static int mp_header(cf__mp *r, int n, uint64_t *v)
{
	if (cf__mp_left(r) < (size_t)n + 1)
		return CF__MP_EOF;
	*v = read_be(r->p + 1, n);
	r->p += n + 1;
	return CF__MP_OK;
}

int cf__mp_array(cf__mp *r, uint32_t *n)
{
	const uint8_t *start = r->p;
	uint64_t v;
	int rc;

	if (r->p >= r->end)
		return CF__MP_EOF;
	if ((*r->p & 0xF0) == 0x90) {
		v = *r->p & 0x0F;
		r->p++;
	} else if (*r->p == 0xDC) {
		if ((rc = mp_header(r, 2, &v)) != 0)
			return rc;
	} else if (*r->p == 0xDD) {
		if ((rc = mp_header(r, 4, &v)) != 0)
			return rc;
	} else {
		return CF__MP_TYPE;
	}
	/* Every element takes at least one byte: a larger count is a truncated (or lying) input, and this check
	 * bounds every allocation made from a count by the input length. */
	if (v > cf__mp_left(r)) {
		r->p = start;
		return CF__MP_EOF;
	}
	*n = (uint32_t)v;
	return CF__MP_OK;
}

int cf__mp_nil(cf__mp *r)
{
	if (r->p >= r->end)
		return CF__MP_EOF;
	if (*r->p != 0xC0)
		return CF__MP_TYPE;
	r->p++;
	return CF__MP_OK;
}

int cf__mp_bool(cf__mp *r, int *v)
{
	if (r->p >= r->end)
		return CF__MP_EOF;
	if (*r->p != 0xC2 && *r->p != 0xC3)
		return CF__MP_TYPE;
	*v = *r->p == 0xC3;
	r->p++;
	return CF__MP_OK;
}

/* Any integer: *neg set when it is negative (then *mag is its two's-complement int64). */
static int mp_integer(cf__mp *r, uint64_t *mag, int *neg)
{
	uint8_t c;
	uint64_t v;
	int rc;

	if (r->p >= r->end)
		return CF__MP_EOF;
	c = *r->p;
	*neg = 0;
	if (c <= 0x7F) {
		*mag = c;
		r->p++;
		return CF__MP_OK;
	}
	if (c >= 0xE0) {
		*mag = (uint64_t)(int64_t)(int8_t)c;
		*neg = 1;
		r->p++;
		return CF__MP_OK;
	}
	switch (c) {
	case 0xCC: case 0xCD: case 0xCE: case 0xCF:
		if ((rc = mp_header(r, 1 << (c - 0xCC), &v)) != 0)
			return rc;
		*mag = v;
		return CF__MP_OK;
	case 0xD0: case 0xD1: case 0xD2: case 0xD3: {
		int n = 1 << (c - 0xD0);
		int64_t s;
		if ((rc = mp_header(r, n, &v)) != 0)
			return rc;
		/* sign-extend the n-byte value */
		s = n == 8 ? (int64_t)v : (int64_t)(v << (64 - 8 * n)) >> (64 - 8 * n);
		*mag = (uint64_t)s;
		*neg = s < 0;
		return CF__MP_OK;
	}
	}
	return CF__MP_TYPE;
}

int cf__mp_uint(cf__mp *r, uint64_t *v)
{
	const uint8_t *start = r->p;
	int neg, rc = mp_integer(r, v, &neg);
	if (rc == CF__MP_OK && neg) {
		r->p = start;
		return CF__MP_TYPE;
	}
	return rc;
}

int cf__mp_int(cf__mp *r, int64_t *v)
{
	const uint8_t *start = r->p;
	uint64_t mag;
	int neg, rc = mp_integer(r, &mag, &neg);
	if (rc != CF__MP_OK)
		return rc;
	if (!neg && mag > (uint64_t)INT64_MAX) {
		r->p = start;
		return CF__MP_TYPE;
	}
	*v = (int64_t)mag;
	return CF__MP_OK;
}

int cf__mp_float(cf__mp *r, double *v)
{
	uint64_t bits;
	int rc;

	if (r->p >= r->end)
		return CF__MP_EOF;
	if (*r->p == 0xCB) {
		if ((rc = mp_header(r, 8, &bits)) != 0)
			return rc;
		memcpy(v, &bits, 8);
		return CF__MP_OK;
	}
	if (*r->p == 0xCA) {
		uint32_t b32;
		float f;
		if ((rc = mp_header(r, 4, &bits)) != 0)
			return rc;
		b32 = (uint32_t)bits;
		memcpy(&f, &b32, 4);
		*v = f;
		return CF__MP_OK;
	}
	return CF__MP_TYPE;
}

/* A str or bin body: header then `len` bytes. */
static int mp_body(cf__mp *r, int n, const uint8_t **body, uint32_t *len)
{
	const uint8_t *start = r->p;
	uint64_t v;
	int rc;

	if (n == 0) {
		v = *r->p & 0x1F;
		r->p++;
	} else if ((rc = mp_header(r, n, &v)) != 0) {
		return rc;
	}
	if (v > cf__mp_left(r)) {
		r->p = start;
		return CF__MP_EOF;
	}
	*body = r->p;
	*len = (uint32_t)v;
	r->p += v;
	return CF__MP_OK;
}

int cf__mp_str(cf__mp *r, const char **s, uint32_t *len)
{
	const uint8_t *b;
	int rc;

	if (r->p >= r->end)
		return CF__MP_EOF;
	if ((*r->p & 0xE0) == 0xA0)
		rc = mp_body(r, 0, &b, len);
	else if (*r->p == 0xD9)
		rc = mp_body(r, 1, &b, len);
	else if (*r->p == 0xDA)
		rc = mp_body(r, 2, &b, len);
	else if (*r->p == 0xDB)
		rc = mp_body(r, 4, &b, len);
	else
		return CF__MP_TYPE;
	if (rc == CF__MP_OK)
		*s = (const char *)b;
	return rc;
}

int cf__mp_bin(cf__mp *r, const uint8_t **b, uint32_t *len)
{
	if (r->p >= r->end)
		return CF__MP_EOF;
	if (*r->p == 0xC4)
		return mp_body(r, 1, b, len);
	if (*r->p == 0xC5)
		return mp_body(r, 2, b, len);
	if (*r->p == 0xC6)
		return mp_body(r, 4, b, len);
	return CF__MP_TYPE;
}

/* "<where>: <what> is not <type>" or "... truncated", with the byte offset. */
static int mp_fail(const cf__mp *r, int rc, const char *where, const char *what, const char *type)
{
	if (rc == CF__MP_EOF)
		return cf__error_set(CF_EFORMAT, "%s: %s: input truncated at byte %zu", where, what, cf__mp_offset(r));
	return cf__error_set(CF_EFORMAT, "%s: %s is not %s (byte %zu)", where, what, type, cf__mp_offset(r));
}

static int unpack_values(cf__vtab *t, cf__mp *r, const char *where, uint64_t *total_out)
{
	static const char *const type_names[] = { "an int64", "a float", "a UTF-8 string" };
	uint32_t n, m, i;
	uint64_t total = 0;
	int rc;

	if ((rc = cf__mp_array(r, &n)) != 0)
		return mp_fail(r, rc, where, "value list", "an array");
	if ((rc = vtab_reserve(t, n)) != 0)
		return rc;
	for (i = 0; i < n; i++) {
		size_t before = t->n, at = cf__mp_offset(r);
		if (t->kind == CF__KIND_INT) {
			int64_t v;
			if ((rc = cf__mp_int(r, &v)) != 0)
				return mp_fail(r, rc, where, "a value", type_names[t->kind]);
			rc = cf__vtab_add_num(t, (uint64_t)v, cf__hash_u64((uint64_t)v), 0);
		} else if (t->kind == CF__KIND_FLOAT) {
			double v;
			uint64_t key;
			if ((rc = cf__mp_float(r, &v)) != 0)
				return mp_fail(r, rc, where, "a value", type_names[t->kind]);
			if (v != v)
				return cf__error_set(CF_EFORMAT, "%s: value %u is NaN (byte %zu)", where, i, at);
			key = cf__double_key(v);
			rc = cf__vtab_add_num(t, key, cf__hash_u64(key), 0);
		} else {
			const char *s;
			uint32_t len;
			if ((rc = cf__mp_str(r, &s, &len)) != 0)
				return mp_fail(r, rc, where, "a value", type_names[t->kind]);
			if (cf__utf8_invalid_at(s, len) != (size_t)-1)
				return cf__error_set(CF_EFORMAT, "%s: value %u is not valid UTF-8 without NUL (byte %zu)", where,
					i, at);
			rc = cf__vtab_add_str(t, s, len, cf__hash_bytes(s, len), 0);
		}
		if (rc != 0)
			return rc;
		if (t->n == before)
			return cf__error_set(CF_EFORMAT, "%s: value %u repeats an earlier value (byte %zu)", where, i, at);
	}
	if ((rc = cf__mp_array(r, &m)) != 0)
		return mp_fail(r, rc, where, "count list", "an array");
	if (m != n)
		return cf__error_set(CF_EFORMAT, "%s: %u counts for %u values (byte %zu)", where, m, n, cf__mp_offset(r));
	for (i = 0; i < n; i++) {
		uint64_t c;
		if ((rc = cf__mp_uint(r, &c)) != 0)
			return mp_fail(r, rc, where, "a count", "an unsigned integer");
		if (c == 0 || c > UINT64_MAX - total)
			return cf__error_set(CF_EFORMAT, "%s: count %u is %s (byte %zu)", where, i,
				c == 0 ? "zero" : "too large", cf__mp_offset(r));
		t->e[i].count = c;
		total += c;
	}
	*total_out = total;
	return CF_OK;
}

int cf__vtab_unpack(cf__vtab *t, cf__mp *r, const char *where, uint64_t *total_out)
{
	uint32_t n;
	int rc;

	if ((rc = cf__mp_array(r, &n)) != 0)
		return mp_fail(r, rc, where, "the field", "an array");
	if (n != 2)
		return cf__error_set(CF_EFORMAT, "%s: expected [values, counts], got %u elements (byte %zu)", where, n,
			cf__mp_offset(r));
	return unpack_values(t, r, where, total_out);
}

int cf__mg_unpack(cf__mg *mg, cf__mp *r, const char *where, uint64_t *total_out)
{
	uint32_t n;
	int rc;

	if ((rc = cf__mp_array(r, &n)) != 0)
		return mp_fail(r, rc, where, "the field", "an array");
	if (n != 3)
		return cf__error_set(CF_EFORMAT, "%s: expected [offset, values, counts], got %u elements (byte %zu)",
			where, n, cf__mp_offset(r));
	if ((rc = cf__mp_uint(r, &mg->offset)) != 0)
		return mp_fail(r, rc, where, "the offset", "an unsigned integer");
	if ((rc = unpack_values(&mg->t, r, where, total_out)) != 0)
		return rc;
	if (mg->t.n > mg->k)
		return cf__error_set(CF_EFORMAT, "%s: %zu counters, more than topk %zu", where, mg->t.n, mg->k);
	return CF_OK;
}

int cf__hll_unpack(uint8_t *reg, unsigned p, cf__mp *r, const char *where)
{
	const uint8_t *b;
	uint32_t len;
	int rc;

	if ((rc = cf__mp_bin(r, &b, &len)) != 0)
		return mp_fail(r, rc, where, "the registers", "a bin");
	if (len != (uint32_t)1 << p)
		return cf__error_set(CF_EFORMAT, "%s: %u registers, expected 2^%u (byte %zu)", where, len, p,
			cf__mp_offset(r));
	for (uint32_t i = 0; i < len; i++)
		if (b[i] > 65 - p)
			return cf__error_set(CF_EFORMAT, "%s: register %u is %u, more than %u (byte %zu)", where, i, b[i],
				65 - p, cf__mp_offset(r));
	memcpy(reg, b, len);
	return CF_OK;
}

int cf__kll_unpack(cf__kll *s, cf__mp *r, const char *where)
{
	uint32_t n, nlevels, h;
	uint64_t total = 0;
	int rc;

	if ((rc = cf__mp_array(r, &n)) != 0)
		return mp_fail(r, rc, where, "the field", "an array");
	if (n != 3)
		return cf__error_set(CF_EFORMAT, "%s: expected [n, rng, levels], got %u elements (byte %zu)", where, n,
			cf__mp_offset(r));
	if ((rc = cf__mp_uint(r, &s->n)) != 0)
		return mp_fail(r, rc, where, "n", "an unsigned integer");
	if ((rc = cf__mp_uint(r, &s->rng)) != 0)
		return mp_fail(r, rc, where, "rng", "an unsigned integer");
	if ((rc = cf__mp_array(r, &nlevels)) != 0)
		return mp_fail(r, rc, where, "levels", "an array");
	if (nlevels < 1 || nlevels > CF__KLL_MAX_LEVELS)
		return cf__error_set(CF_EFORMAT, "%s: %u levels, expected 1 to %d (byte %zu)", where, nlevels,
			CF__KLL_MAX_LEVELS, cf__mp_offset(r));
	kll_set_levels(s, nlevels);
	s->retained = 0;
	for (h = 0; h < nlevels; h++) {
		cf__kll_level *l = &s->lv[h];
		const uint8_t *b;
		uint32_t len, i, cnt;
		if ((rc = cf__mp_bin(r, &b, &len)) != 0)
			return mp_fail(r, rc, where, "a level", "a bin");
		if (len % 8 != 0)
			return cf__error_set(CF_EFORMAT, "%s: level %u has %u bytes, not a multiple of 8 (byte %zu)", where,
				h, len, cf__mp_offset(r));
		cnt = len / 8;
		if (cnt > 0 && (rc = kll_reserve(s, l, cnt)) != 0)
			return rc;
		for (i = 0; i < cnt; i++) {
			uint64_t bits = read_le64(b + 8 * (size_t)i);
			double v;
			memcpy(&v, &bits, 8);
			if (v != v)
				return cf__error_set(CF_EFORMAT, "%s: level %u item %u is NaN", where, h, i);
			if (h > 0 && i > 0 && l->v[i - 1] > v)
				return cf__error_set(CF_EFORMAT, "%s: level %u is not sorted at item %u", where, h, i);
			l->v[i] = v;
		}
		l->n = cnt;
		s->retained += cnt;
		/* The weights (2^h per item) must add up to n exactly: compaction preserves the total. */
		if (cnt > 0 && ((uint64_t)cnt > (UINT64_MAX >> h) || ((uint64_t)cnt << h) > UINT64_MAX - total))
			return cf__error_set(CF_EFORMAT, "%s: level %u weight overflows", where, h);
		total += (uint64_t)cnt << h;
	}
	if (total != s->n)
		return cf__error_set(CF_EFORMAT, "%s: item weights add up to %llu, not n = %llu", where,
			(unsigned long long)total, (unsigned long long)s->n);
	return CF_OK;
}
