/* Mergeable per-column statistics (stats.h): exact counts, ranges and moments, exact value counts while a column
 * has few distinct values, then HyperLogLog + Misra-Gries; a KLL quantile sketch for numeric columns. The
 * msgpack layout is documented in docs/formats.md ("Column statistics (msgpack)"). */
#include "cogniforge/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sketch.h"
#include "table.h"

#define STATS_MAGIC "cogniforge.stats"
#define STATS_FORMAT_VERSION 1
#define STATS_COLUMN_FIELDS 17
#define STATS_EXACT_MAX_LIMIT ((size_t)1 << 24)
#define STATS_TOPK_LIMIT ((size_t)1 << 20)
#define STATS_JSON_TOP 20

typedef struct cf__col {
	char *name;
	cf_type type;
	cf__kind kind;
	uint64_t count, nulls;
	double min, max;          /* float64 columns */
	int64_t imin, imax;       /* int64, bool and timestamp columns: exact */
	double sum, mean, m2;     /* numeric columns; 0 while there are no values */
	uint64_t min_len, max_len;
	char *min_str, *max_str;  /* string columns with values */
	int exact;                /* ex holds every value's count; hll and mg are unused */
	cf__vtab ex;
	uint8_t *hll;             /* !exact: 2^p registers */
	cf__mg mg;                /* !exact */
	cf__kll kll;              /* numeric columns */
	cf_stats_value_count *view; /* cf_stats_column()'s values, rebuilt on each call */
	size_t *order;
	size_t view_cap;
} cf__col;

struct cf_stats {
	cf_context *ctx;
	cf_stats_options opts;
	int has_schema;
	uint64_t rows;
	size_t ncols;
	cf__col *cols;
	/* update scratch, kept between chunks so that an update allocates nothing in the steady state */
	double *dv;
	uint64_t *keys;
	size_t scratch_cap;
	uint64_t *code_count;
	size_t code_cap;
};

static int is_numeric(cf_type t)
{
	return t != CF_TYPE_STRING;
}

static cf__kind kind_of(cf_type t)
{
	return t == CF_TYPE_FLOAT64 ? CF__KIND_FLOAT : t == CF_TYPE_STRING ? CF__KIND_STRING : CF__KIND_INT;
}

static int valid_type(uint64_t t)
{
	return t >= CF_TYPE_FLOAT64 && t <= CF_TYPE_TIMESTAMP;
}

/* ------------------------------------------------------------------------------------------------------------
 * Creation and columns.
 */
static int options_check(const cf_stats_options *o, int code, const char *prefix)
{
	if (o->hll_precision < 4 || o->hll_precision > 18)
		return cf__error_set(code, "%s.hll_precision: %u is outside [4, 18]", prefix, o->hll_precision);
	if (o->exact_distinct_max > STATS_EXACT_MAX_LIMIT)
		return cf__error_set(code, "%s.exact_distinct_max: %zu is more than %zu", prefix, o->exact_distinct_max,
			STATS_EXACT_MAX_LIMIT);
	if (o->topk < 1 || o->topk > STATS_TOPK_LIMIT)
		return cf__error_set(code, "%s.topk: %zu is outside [1, %zu]", prefix, o->topk, STATS_TOPK_LIMIT);
	if (o->kll_k < CF__KLL_MIN_K || o->kll_k > CF__KLL_MAX_K)
		return cf__error_set(code, "%s.kll_k: %u is outside [%d, %d]", prefix, o->kll_k, CF__KLL_MIN_K,
			CF__KLL_MAX_K);
	return CF_OK;
}

static void col_free(cf_stats *st, cf__col *c)
{
	cf__free(st->ctx, c->name);
	cf__free(st->ctx, c->min_str);
	cf__free(st->ctx, c->max_str);
	cf__vtab_free(&c->ex);
	cf__free(st->ctx, c->hll);
	cf__mg_free(&c->mg);
	cf__kll_free(&c->kll);
	cf__free(st->ctx, c->view);
	cf__free(st->ctx, c->order);
}

/* Room for ncols columns, zeroed; st->ncols counts those the caller has set up (col_init), so that a failure
 * half-way frees exactly what exists. */
static int cols_alloc(cf_stats *st, size_t ncols)
{
	st->cols = cf__calloc(st->ctx, ncols ? ncols : 1, sizeof *st->cols, "statistics columns");
	st->ncols = 0;
	return st->cols ? CF_OK : CF_ENOMEM;
}

/* Back to no schema after a failed set-up; returns rc. */
static int cols_reset(cf_stats *st, int rc)
{
	for (size_t i = 0; i < st->ncols; i++)
		col_free(st, &st->cols[i]);
	cf__free(st->ctx, st->cols);
	st->cols = NULL;
	st->ncols = 0;
	return rc;
}

static int col_init(cf_stats *st, size_t index, const char *name, size_t name_len, cf_type type)
{
	cf__col *c = &st->cols[index];

	c->type = type;
	c->kind = kind_of(type);
	c->min = c->max = NAN;
	c->exact = 1;
	cf__vtab_init(&c->ex, st->ctx, c->kind);
	cf__mg_init(&c->mg, st->ctx, c->kind, st->opts.topk);
	/* One coin sequence per column, all fixed by the seed. */
	cf__kll_init(&c->kll, st->ctx, st->opts.kll_k, cf__hash_u64(st->opts.seed + index));
	if ((c->name = cf__malloc(st->ctx, name_len + 1, "column name")) == NULL)
		return CF_ENOMEM;
	memcpy(c->name, name, name_len);
	c->name[name_len] = '\0';
	return CF_OK;
}

static int stats_new(cf_stats **out, cf_context *ctx, const cf_stats_options *opts)
{
	cf_stats *st = cf__calloc(ctx, 1, sizeof *st, "statistics");

	*out = NULL;
	if (st == NULL)
		return CF_ENOMEM;
	st->ctx = ctx;
	st->opts = *opts;
	*out = st;
	return CF_OK;
}

int cf_stats_create(cf_stats **out, cf_context *ctx, const cf_stats_options *opts)
{
	static const cf_stats_options defaults = CF_STATS_OPTIONS_INIT;
	cf_stats_options o = defaults;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (opts != NULL) {
		if ((rc = cf__options_version_check(opts->version, CF_STATS_OPTIONS_VERSION, "cf_stats_options")) != 0)
			return rc;
		o = *opts;
		o.version = CF_STATS_OPTIONS_VERSION;
	}
	if ((rc = options_check(&o, CF_EINVAL, "cf_stats_options")) != 0)
		return rc;
	return stats_new(out, ctx, &o);
}

void cf_stats_free(cf_stats *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < st->ncols; i++)
		col_free(st, &st->cols[i]);
	cf__free(st->ctx, st->cols);
	cf__free(st->ctx, st->dv);
	cf__free(st->ctx, st->keys);
	cf__free(st->ctx, st->code_count);
	cf__free(st->ctx, st);
}

uint64_t cf_stats_num_rows(const cf_stats *st)
{
	return st ? st->rows : 0;
}

size_t cf_stats_num_columns(const cf_stats *st)
{
	return st ? st->ncols : 0;
}

/* ------------------------------------------------------------------------------------------------------------
 * Shared by update and merge.
 */

/* Leave exact counting for good: the HLL registers are rebuilt from the values' hashes (the same registers as
 * if they had been kept all along) and Misra-Gries starts from the exact counts in canonical order. */
static int drop_exact(cf_stats *st, cf__col *c)
{
	unsigned p = st->opts.hll_precision;
	int rc;

	if ((c->hll = cf__calloc(st->ctx, (size_t)1 << p, 1, "HyperLogLog registers")) == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < c->ex.n; i++)
		cf__hll_add(c->hll, p, c->ex.e[i].hash);
	if ((rc = cf__mg_add_table(&c->mg, &c->ex)) != 0)
		return rc;
	cf__vtab_free(&c->ex);
	c->exact = 0;
	return CF_OK;
}

/* Chan, Golub and LeVeque's pairwise update of (mean, M2) with a partial of nb values. */
static void moments_merge(cf__col *c, uint64_t na, uint64_t nb, double sum_b, double mean_b, double m2_b)
{
	double n, d;

	if (nb == 0)
		return;
	if (na == 0) {
		c->sum = sum_b;
		c->mean = mean_b;
		c->m2 = m2_b;
		return;
	}
	n = (double)na + (double)nb;
	d = mean_b - c->mean;
	c->sum += sum_b;
	c->mean += d * ((double)nb / n);
	c->m2 += m2_b + d * d * ((double)na * (double)nb / n);
}

static int set_string(cf_stats *st, char **dst, const char *s, size_t len)
{
	char *copy = cf__malloc(st->ctx, len + 1, "string statistic");
	if (copy == NULL)
		return CF_ENOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	cf__free(st->ctx, *dst);
	*dst = copy;
	return CF_OK;
}

/* Fold another column's string range (na: values already in c). */
static int merge_string_range(cf_stats *st, cf__col *c, uint64_t na, uint64_t min_len, uint64_t max_len,
	const char *min_s, const char *max_s)
{
	int rc;

	if (na == 0 || min_len < c->min_len)
		c->min_len = min_len;
	if (na == 0 || max_len > c->max_len)
		c->max_len = max_len;
	if ((na == 0 || strcmp(min_s, c->min_str) < 0) && (rc = set_string(st, &c->min_str, min_s, strlen(min_s))))
		return rc;
	if ((na == 0 || strcmp(max_s, c->max_str) > 0) && (rc = set_string(st, &c->max_str, max_s, strlen(max_s))))
		return rc;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Update.
 */
static int scratch_reserve(cf_stats *st, size_t rows)
{
	double *dv;
	uint64_t *keys;

	if (rows <= st->scratch_cap)
		return CF_OK;
	dv = cf__realloc(st->ctx, st->dv, rows * sizeof *dv, "statistics scratch");
	if (dv == NULL)
		return CF_ENOMEM;
	st->dv = dv;
	keys = cf__realloc(st->ctx, st->keys, rows * sizeof *keys, "statistics scratch");
	if (keys == NULL)
		return CF_ENOMEM;
	st->keys = keys;
	st->scratch_cap = rows;
	return CF_OK;
}

/* Gather a numeric column's non-null values (as doubles, and as keys: the bits of the double, or the int64). */
static size_t gather_numeric(cf_stats *st, cf__col *c, const cf__column *col, int64_t *imin, int64_t *imax)
{
	const uint8_t *valid = col->validity;
	double *dv = st->dv;
	uint64_t *keys = st->keys;
	size_t n = col->length, nn = 0, i;
	int64_t lo = INT64_MAX, hi = INT64_MIN;

	if (c->type == CF_TYPE_FLOAT64) {
		const double *x = col->values;
		for (i = 0; i < n; i++) {
			double v = x[i];
			if (v != v || !CF_VALID(valid, i))
				continue;
			dv[nn] = v;
			keys[nn++] = cf__double_key(v);
		}
	} else if (c->type == CF_TYPE_BOOL) {
		const uint8_t *x = col->values;
		for (i = 0; i < n; i++) {
			if (!CF_VALID(valid, i))
				continue;
			dv[nn] = x[i];
			keys[nn++] = x[i];
			lo = x[i] < lo ? x[i] : lo;
			hi = x[i] > hi ? x[i] : hi;
		}
	} else {
		const int64_t *x = col->values;
		for (i = 0; i < n; i++) {
			int64_t v = x[i];
			if (!CF_VALID(valid, i))
				continue;
			dv[nn] = (double)v;
			keys[nn++] = (uint64_t)v;
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	}
	*imin = lo;
	*imax = hi;
	return nn;
}

static int update_numeric(cf_stats *st, cf__col *c, const cf__column *col)
{
	uint64_t na = c->count - c->nulls;
	const double *dv = st->dv;
	const uint64_t *keys = st->keys;
	size_t nn, i, done = 0;
	int64_t imin, imax;
	double s = 0, comp = 0, mean, sq = 0, dsum = 0, lo = INFINITY, hi = -INFINITY;
	int rc;

	nn = gather_numeric(st, c, col, &imin, &imax);
	c->count += col->length;
	c->nulls += col->length - nn;
	if (nn == 0)
		return CF_OK;
	/* Sum with Neumaier's compensation, then M2 by a second pass around the chunk mean: the chunk is in memory,
	 * and two passes are more accurate than Welford's running update. Chunks then merge with Chan's formula. */
	for (i = 0; i < nn; i++) {
		double v = dv[i], t = s + v;
		comp += fabs(s) >= fabs(v) ? (s - t) + v : (v - t) + s;
		s = t;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	s += comp;
	mean = s / (double)nn;
	for (i = 0; i < nn; i++) {
		double d = dv[i] - mean;
		sq += d * d;
		dsum += d;
	}
	sq -= dsum * dsum / (double)nn;
	moments_merge(c, na, nn, s, mean, sq > 0 ? sq : 0);
	if (c->kind == CF__KIND_FLOAT) {
		c->min = na == 0 || lo < c->min ? lo : c->min;
		c->max = na == 0 || hi > c->max ? hi : c->max;
	} else {
		c->imin = na == 0 || imin < c->imin ? imin : c->imin;
		c->imax = na == 0 || imax > c->imax ? imax : c->imax;
	}
	if (c->exact) {
		if ((rc = cf__vtab_count_keys(&done, &c->ex, keys, nn, st->opts.exact_distinct_max)) != 0)
			return rc;
		if (c->ex.n > st->opts.exact_distinct_max && (rc = drop_exact(st, c)) != 0)
			return rc;
	}
	if (!c->exact && done < nn) {
		for (i = done; i < nn; i++)
			cf__hll_add(c->hll, st->opts.hll_precision, cf__hash_u64(keys[i]));
		if ((rc = cf__mg_add_keys(&c->mg, keys + done, nn - done)) != 0)
			return rc;
	}
	return cf__kll_update(&c->kll, dv, nn);
}

/* Strings: count rows per dictionary code, then visit each code used once (chunks have their own
 * dictionaries, so values are keyed by content, and entries may repeat). */
static int update_string(cf_stats *st, cf__col *c, const cf__column *col)
{
	const int32_t *codes = col->values;
	const uint8_t *valid = col->validity;
	uint64_t na = c->count - c->nulls, *cnt;
	size_t n = col->length, nn = 0, i, ndict = col->dict_size;
	size_t best_min = SIZE_MAX, best_max = SIZE_MAX;
	uint64_t lmin = UINT64_MAX, lmax = 0;
	int rc;

	if (ndict > st->code_cap) {
		uint64_t *p = cf__realloc(st->ctx, st->code_count, ndict * sizeof *p, "statistics scratch");
		if (p == NULL)
			return CF_ENOMEM;
		st->code_count = p;
		st->code_cap = ndict;
	}
	cnt = st->code_count;
	if (ndict)
		memset(cnt, 0, ndict * sizeof *cnt);
	for (i = 0; i < n; i++) {
		int32_t code = codes[i];
		if (code < 0 || !CF_VALID(valid, i))
			continue;
		if ((size_t)code >= ndict)
			return cf__error_set(CF_EINVAL, "cf_stats_update: column '%s' row %zu: code %d is outside the "
				"dictionary of %zu entries", c->name, i, (int)code, ndict);
		cnt[code]++;
		nn++;
	}
	c->count += n;
	c->nulls += n - nn;
	if (nn == 0)
		return CF_OK;
	for (i = 0; i < ndict; i++) {
		const char *s;
		size_t len;
		uint64_t cp, h;
		if (cnt[i] == 0)
			continue;
		s = col->dict[i];
		len = strlen(s);
		cp = cf__utf8_length(s, len);
		lmin = cp < lmin ? cp : lmin;
		lmax = cp > lmax ? cp : lmax;
		if (best_min == SIZE_MAX || strcmp(s, col->dict[best_min]) < 0)
			best_min = i;
		if (best_max == SIZE_MAX || strcmp(s, col->dict[best_max]) > 0)
			best_max = i;
		h = cf__hash_bytes(s, len);
		if (c->exact) {
			if ((rc = cf__vtab_add_str(&c->ex, s, len, h, cnt[i])) != 0)
				return rc;
			if (c->ex.n > st->opts.exact_distinct_max && (rc = drop_exact(st, c)) != 0)
				return rc;
		} else {
			cf__hll_add(c->hll, st->opts.hll_precision, h);
			if ((rc = cf__mg_add_str(&c->mg, s, len, h, cnt[i])) != 0)
				return rc;
		}
	}
	return merge_string_range(st, c, na, lmin, lmax, col->dict[best_min], col->dict[best_max]);
}

static int schema_check_table(const cf_stats *st, const cf_table *t)
{
	if (t->ncols != st->ncols)
		return cf__error_set(CF_EINVAL, "cf_stats_update: the chunk has %zu columns, earlier chunks had %zu",
			t->ncols, st->ncols);
	for (size_t i = 0; i < st->ncols; i++) {
		const cf__column *col = &t->cols[i];
		const cf__col *c = &st->cols[i];
		if (strcmp(col->name, c->name) != 0 || col->type != c->type)
			return cf__error_set(CF_EINVAL, "cf_stats_update: column %zu is '%s' (%s) in the chunk but '%s' (%s) "
				"in earlier chunks", i, col->name, cf_type_name(col->type), c->name, cf_type_name(c->type));
	}
	return CF_OK;
}

int cf_stats_update(cf_stats *st, const cf_table *chunk)
{
	size_t i;
	int rc;

	CF__CHECK_ARG(st);
	CF__CHECK_ARG(chunk);
	if (st->rows > UINT64_MAX - chunk->num_rows)
		return cf__error_set(CF_EINVAL, "cf_stats_update: the row count would overflow");
	if (st->has_schema) {
		if ((rc = schema_check_table(st, chunk)) != 0)
			return rc;
	} else {
		for (i = 0; i < chunk->ncols; i++)
			if (!valid_type(chunk->cols[i].type))
				return cf__error_set(CF_EINVAL, "cf_stats_update: column '%s' has unknown type %d",
					chunk->cols[i].name, (int)chunk->cols[i].type);
		if ((rc = cols_alloc(st, chunk->ncols)) != 0)
			return rc;
		for (i = 0; i < chunk->ncols; i++) {
			rc = col_init(st, i, chunk->cols[i].name, strlen(chunk->cols[i].name), chunk->cols[i].type);
			st->ncols++;
			if (rc != 0)
				return cols_reset(st, rc);
		}
		st->has_schema = 1;
	}
	if ((rc = scratch_reserve(st, chunk->num_rows)) != 0)
		return rc;
	for (i = 0; i < st->ncols; i++) {
		cf__col *c = &st->cols[i];
		rc = c->kind == CF__KIND_STRING ? update_string(st, c, &chunk->cols[i])
			: update_numeric(st, c, &chunk->cols[i]);
		if (rc != 0)
			return rc;
	}
	st->rows += chunk->num_rows;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Merge.
 */
static int merge_column(cf_stats *st, cf__col *a, const cf__col *b)
{
	unsigned p = st->opts.hll_precision;
	uint64_t na = a->count - a->nulls, nb = b->count - b->nulls;
	size_t i;
	int rc;

	moments_merge(a, na, nb, b->sum, b->mean, b->m2);
	if (nb > 0) {
		if (a->kind == CF__KIND_FLOAT) {
			a->min = na == 0 || b->min < a->min ? b->min : a->min;
			a->max = na == 0 || b->max > a->max ? b->max : a->max;
		} else if (a->kind == CF__KIND_INT) {
			a->imin = na == 0 || b->imin < a->imin ? b->imin : a->imin;
			a->imax = na == 0 || b->imax > a->imax ? b->imax : a->imax;
		} else if ((rc = merge_string_range(st, a, na, b->min_len, b->max_len, b->min_str, b->max_str)) != 0) {
			return rc;
		}
	}
	a->count += b->count;
	a->nulls += b->nulls;
	if (a->exact && b->exact) {
		/* The union first: whether it fits does not depend on the order of the entries. */
		for (i = 0; i < b->ex.n; i++)
			if ((rc = cf__vtab_add_entry(&a->ex, &b->ex, i, b->ex.e[i].count)) != 0)
				return rc;
		if (a->ex.n > st->opts.exact_distinct_max && (rc = drop_exact(st, a)) != 0)
			return rc;
	} else {
		if (a->exact && (rc = drop_exact(st, a)) != 0)
			return rc;
		if (b->exact) {
			for (i = 0; i < b->ex.n; i++)
				cf__hll_add(a->hll, p, b->ex.e[i].hash);
			rc = cf__mg_add_table(&a->mg, &b->ex);
		} else {
			cf__hll_merge(a->hll, b->hll, p);
			rc = cf__mg_add_table(&a->mg, &b->mg.t);
			a->mg.offset += b->mg.offset;
		}
		if (rc != 0)
			return rc;
	}
	return is_numeric(a->type) ? cf__kll_merge(&a->kll, &b->kll) : CF_OK;
}

static int stats_clone(cf_stats **out, const cf_stats *st)
{
	cf_buf buf = CF_BUF_INIT;
	int rc = cf_stats_to_msgpack(&buf, st);
	if (rc == 0)
		rc = cf_stats_from_msgpack(out, st->ctx, buf.ptr, buf.size);
	cf_buf_dispose(&buf);
	return rc;
}

int cf_stats_merge(cf_stats *dst, const cf_stats *src)
{
	const cf_stats_options *a, *b;
	size_t i;
	int rc;

	CF__CHECK_ARG(dst);
	CF__CHECK_ARG(src);
	if (dst == src) {
		cf_stats *copy;
		if ((rc = stats_clone(&copy, src)) != 0)
			return rc;
		rc = cf_stats_merge(dst, copy);
		cf_stats_free(copy);
		return rc;
	}
	a = &dst->opts;
	b = &src->opts;
	if (a->hll_precision != b->hll_precision)
		return cf__error_set(CF_EINVAL, "cf_stats_merge: hll_precision differs (%u and %u)", a->hll_precision,
			b->hll_precision);
	if (a->kll_k != b->kll_k)
		return cf__error_set(CF_EINVAL, "cf_stats_merge: kll_k differs (%u and %u)", a->kll_k, b->kll_k);
	if (a->exact_distinct_max != b->exact_distinct_max)
		return cf__error_set(CF_EINVAL, "cf_stats_merge: exact_distinct_max differs (%zu and %zu)",
			a->exact_distinct_max, b->exact_distinct_max);
	if (a->topk != b->topk)
		return cf__error_set(CF_EINVAL, "cf_stats_merge: topk differs (%zu and %zu)", a->topk, b->topk);
	if (!src->has_schema)
		return CF_OK;
	/* Every count in a column is at most the rows, so this one check keeps all sums from wrapping. */
	if (dst->rows > UINT64_MAX - src->rows)
		return cf__error_set(CF_EINVAL, "cf_stats_merge: the row count would overflow");
	if (!dst->has_schema) {
		if ((rc = cols_alloc(dst, src->ncols)) != 0)
			return rc;
		for (i = 0; i < src->ncols; i++) {
			rc = col_init(dst, i, src->cols[i].name, strlen(src->cols[i].name), src->cols[i].type);
			dst->ncols++;
			if (rc != 0)
				return cols_reset(dst, rc);
		}
		dst->has_schema = 1;
	} else if (dst->ncols != src->ncols) {
		return cf__error_set(CF_EINVAL, "cf_stats_merge: %zu columns and %zu columns", dst->ncols, src->ncols);
	} else {
		for (i = 0; i < dst->ncols; i++)
			if (strcmp(dst->cols[i].name, src->cols[i].name) != 0 || dst->cols[i].type != src->cols[i].type)
				return cf__error_set(CF_EINVAL, "cf_stats_merge: column %zu is '%s' (%s) in one and '%s' (%s) in "
					"the other", i, dst->cols[i].name, cf_type_name(dst->cols[i].type), src->cols[i].name,
					cf_type_name(src->cols[i].type));
	}
	for (i = 0; i < dst->ncols; i++)
		if ((rc = merge_column(dst, &dst->cols[i], &src->cols[i])) != 0)
			return rc;
	dst->rows += src->rows;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Queries.
 */
static const cf__vtab *values_table(const cf__col *c)
{
	return c->exact ? &c->ex : &c->mg.t;
}

int cf_stats_column(cf_column_stats *out, const cf_stats *st, size_t index)
{
	cf__col *c;
	const cf__vtab *t;
	uint64_t nn;
	size_t i;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(st);
	if (index >= st->ncols)
		return cf__error_set(CF_EINVAL, "cf_stats_column: column %zu is out of range (%zu columns)", index,
			st->ncols);
	/* The values view is a cache owned by the column (documented lifetime: until the next call). */
	c = (cf__col *)&st->cols[index];
	t = values_table(c);
	if (t->n > c->view_cap) {
		cf_stats_value_count *v = cf__realloc(st->ctx, c->view, t->n * sizeof *v, "column values");
		size_t *o;
		if (v == NULL)
			return CF_ENOMEM;
		c->view = v;
		if ((o = cf__realloc(st->ctx, c->order, t->n * sizeof *o, "column values")) == NULL)
			return CF_ENOMEM;
		c->order = o;
		c->view_cap = t->n;
	}
	cf__vtab_canonical(c->order, t);
	for (i = 0; i < t->n; i++) {
		const cf__vt_entry *e = &t->e[c->order[i]];
		cf_stats_value_count *v = &c->view[i];
		v->string = c->kind == CF__KIND_STRING ? cf__vtab_str(t, c->order[i]) : NULL;
		v->number = c->kind == CF__KIND_FLOAT ? cf__key_double(e->key)
			: c->kind == CF__KIND_INT ? (double)(int64_t)e->key : NAN;
		v->count = e->count;
		v->error = c->exact ? 0 : c->mg.offset;
	}
	nn = c->count - c->nulls;
	memset(out, 0, sizeof *out);
	out->name = c->name;
	out->type = c->type;
	out->count = c->count;
	out->null_count = c->nulls;
	out->min = out->max = out->mean = NAN;
	if (c->kind == CF__KIND_STRING) {
		out->sum = out->m2 = NAN;
		if (nn > 0) {
			out->min_length = c->min_len;
			out->max_length = c->max_len;
			out->min_string = c->min_str;
			out->max_string = c->max_str;
		}
	} else {
		out->sum = c->sum;
		out->m2 = c->m2;
		if (nn > 0) {
			out->mean = c->mean;
			if (c->kind == CF__KIND_FLOAT) {
				out->min = c->min;
				out->max = c->max;
			} else {
				out->min = (double)c->imin;
				out->max = (double)c->imax;
				out->min_int = c->imin;
				out->max_int = c->imax;
			}
		}
	}
	out->distinct_exact = c->exact;
	out->distinct = c->exact ? (double)c->ex.n : cf__hll_estimate(c->hll, st->opts.hll_precision);
	out->distinct_rel_error = c->exact ? 0 : 1.04 / sqrt((double)((size_t)1 << st->opts.hll_precision));
	out->values = c->view;
	out->values_count = t->n;
	return CF_OK;
}

int cf_stats_column_index(size_t *out, const cf_stats *st, const char *name)
{
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(st);
	CF__CHECK_ARG(name);
	for (size_t i = 0; i < st->ncols; i++)
		if (strcmp(st->cols[i].name, name) == 0) {
			*out = i;
			return CF_OK;
		}
	return cf__error_set(CF_ENOTFOUND, "cf_stats_column_index: no column named '%s'", name);
}

int cf_stats_quantile(double *out, const cf_stats *st, size_t column, double q)
{
	const cf__col *c;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(st);
	if (column >= st->ncols)
		return cf__error_set(CF_EINVAL, "cf_stats_quantile: column %zu is out of range (%zu columns)", column,
			st->ncols);
	c = &st->cols[column];
	if (!(q >= 0 && q <= 1))
		return cf__error_set(CF_EINVAL, "cf_stats_quantile: q = %g is outside [0, 1]", q);
	if (!is_numeric(c->type))
		return cf__error_set(CF_EINVAL, "cf_stats_quantile: column '%s' is a string column", c->name);
	if (c->count == c->nulls)
		return cf__error_set(CF_ENOTFOUND, "cf_stats_quantile: column '%s' has no values", c->name);
	/* The extremes are known exactly. */
	if (q == 0 || q == 1) {
		if (c->kind == CF__KIND_FLOAT)
			*out = q == 0 ? c->min : c->max;
		else
			*out = (double)(q == 0 ? c->imin : c->imax);
		return CF_OK;
	}
	{
		/* While the exact value counts are held, answer exactly (numpy's "nearest": the value at sorted
		 * position q*(n-1) rounded half to even), so merged low-cardinality columns agree with one pass. */
		cf_column_stats cs;
		if (cf_stats_column(&cs, st, column) == CF_OK && cs.distinct_exact && cs.values_count > 0) {
			size_t n = cs.values_count, i;
			double *v = malloc(n * sizeof *v), best = NAN;
			uint64_t *cnt = malloc(n * sizeof *cnt), total = 0, k, acc = 0;
			size_t *order = malloc(n * sizeof *order);
			if (v && cnt && order) {
				for (i = 0; i < n; i++) {
					v[i] = cs.values[i].number;
					cnt[i] = cs.values[i].count;
					order[i] = i;
					total += cnt[i];
				}
				/* insertion sort by value: n is at most exact_distinct_max */
				for (i = 1; i < n; i++) {
					size_t x = order[i], j = i;
					while (j > 0 && v[order[j - 1]] > v[x]) {
						order[j] = order[j - 1];
						j--;
					}
					order[j] = x;
				}
				k = (uint64_t)nearbyint(q * (double)(total - 1));
				for (i = 0; i < n; i++) {
					acc += cnt[order[i]];
					if (k < acc) {
						best = v[order[i]];
						break;
					}
				}
				free(v);
				free(cnt);
				free(order);
				*out = best;
				return CF_OK;
			}
			free(v);
			free(cnt);
			free(order);
		}
	}
	return cf__kll_quantile(out, &c->kll, q);
}

double cf_stats_quantile_rank_error(const cf_stats *st)
{
	return st ? cf__kll_rank_error(st->opts.kll_k) : NAN;
}

/* ------------------------------------------------------------------------------------------------------------
 * msgpack output: see docs/formats.md.
 */
#define PK(expr) do { int pk_rc_ = (expr); if (pk_rc_ != 0) return pk_rc_ < 0 ? pk_rc_ : CF_ENOMEM; } while (0)

static int pack_str(msgpack_packer *pk, const char *s)
{
	size_t len = strlen(s);
	PK(msgpack_pack_str(pk, len));
	return msgpack_pack_str_body(pk, s, len);
}

static int pack_column(msgpack_packer *pk, const cf_stats *st, const cf__col *c)
{
	uint64_t nn = c->count - c->nulls;
	int rc;

	PK(msgpack_pack_array(pk, STATS_COLUMN_FIELDS));
	PK(pack_str(pk, c->name));
	PK(msgpack_pack_uint64(pk, (uint64_t)c->type));
	PK(msgpack_pack_uint64(pk, c->count));
	PK(msgpack_pack_uint64(pk, c->nulls));
	if (c->kind == CF__KIND_FLOAT) {
		PK(msgpack_pack_double(pk, nn ? c->min : NAN));
		PK(msgpack_pack_double(pk, nn ? c->max : NAN));
	} else if (c->kind == CF__KIND_INT && nn > 0) {
		PK(msgpack_pack_int64(pk, c->imin));
		PK(msgpack_pack_int64(pk, c->imax));
	} else {
		PK(msgpack_pack_nil(pk));
		PK(msgpack_pack_nil(pk));
	}
	PK(msgpack_pack_double(pk, c->sum));
	PK(msgpack_pack_double(pk, c->mean));
	PK(msgpack_pack_double(pk, c->m2));
	PK(msgpack_pack_uint64(pk, c->kind == CF__KIND_STRING && nn ? c->min_len : 0));
	PK(msgpack_pack_uint64(pk, c->kind == CF__KIND_STRING && nn ? c->max_len : 0));
	if (c->kind == CF__KIND_STRING && nn > 0) {
		PK(pack_str(pk, c->min_str));
		PK(pack_str(pk, c->max_str));
	} else {
		PK(msgpack_pack_nil(pk));
		PK(msgpack_pack_nil(pk));
	}
	if (c->exact) {
		size_t *order = NULL;
		if (c->ex.n && (order = cf__malloc(st->ctx, c->ex.n * sizeof *order, "serialisation")) == NULL)
			return CF_ENOMEM;
		if (order)
			cf__vtab_canonical(order, &c->ex);
		rc = msgpack_pack_array(pk, 2);
		if (rc == 0)
			rc = cf__vtab_pack(pk, &c->ex, order);
		cf__free(st->ctx, order);
		PK(rc);
		PK(msgpack_pack_nil(pk)); /* hll */
		PK(msgpack_pack_nil(pk)); /* mg */
	} else {
		size_t *order = NULL, m = (size_t)1 << st->opts.hll_precision;
		PK(msgpack_pack_nil(pk)); /* exact */
		PK(msgpack_pack_bin(pk, m));
		PK(msgpack_pack_bin_body(pk, c->hll, m));
		if (c->mg.t.n && (order = cf__malloc(st->ctx, c->mg.t.n * sizeof *order, "serialisation")) == NULL)
			return CF_ENOMEM;
		if (order)
			cf__vtab_canonical(order, &c->mg.t);
		rc = msgpack_pack_array(pk, 3);
		if (rc == 0)
			rc = msgpack_pack_uint64(pk, c->mg.offset);
		if (rc == 0)
			rc = cf__vtab_pack(pk, &c->mg.t, order);
		cf__free(st->ctx, order);
		PK(rc);
	}
	if (is_numeric(c->type))
		return cf__kll_pack(pk, &c->kll);
	return msgpack_pack_nil(pk);
}

int cf_stats_to_msgpack(cf_buf *out, const cf_stats *st)
{
	msgpack_packer pk;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(st);
	msgpack_packer_init(&pk, out, cf__mp_buf_write);
	PK(msgpack_pack_array(&pk, 6));
	PK(pack_str(&pk, STATS_MAGIC));
	PK(msgpack_pack_uint64(&pk, STATS_FORMAT_VERSION));
	PK(msgpack_pack_array(&pk, 5));
	PK(msgpack_pack_uint64(&pk, st->opts.hll_precision));
	PK(msgpack_pack_uint64(&pk, st->opts.exact_distinct_max));
	PK(msgpack_pack_uint64(&pk, st->opts.topk));
	PK(msgpack_pack_uint64(&pk, st->opts.kll_k));
	PK(msgpack_pack_uint64(&pk, st->opts.seed));
	PK(msgpack_pack_uint64(&pk, (uint64_t)st->has_schema)); /* 0 or 1 */
	PK(msgpack_pack_uint64(&pk, st->rows));
	PK(msgpack_pack_array(&pk, st->ncols));
	for (size_t i = 0; i < st->ncols; i++)
		PK(pack_column(&pk, st, &st->cols[i]));
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * msgpack input. Every read checks type and length against what is left; counts are bounded by the bytes left
 * (cf__mp_array), so no allocation can exceed a small multiple of the input. Errors name the column and field.
 */
typedef struct reader {
	cf__mp r;
	char where[192];   /* "stats msgpack: column 3 'age'" */
} reader;

static int rd_fail(reader *d, int rc, const char *field, const char *type)
{
	if (rc == CF__MP_EOF)
		return cf__error_set(CF_EFORMAT, "%s: field '%s': input truncated at byte %zu", d->where, field,
			cf__mp_offset(&d->r));
	return cf__error_set(CF_EFORMAT, "%s: field '%s' is not %s (byte %zu)", d->where, field, type,
		cf__mp_offset(&d->r));
}

static int rd_bad(reader *d, const char *field, const char *why)
{
	return cf__error_set(CF_EFORMAT, "%s: field '%s' %s (byte %zu)", d->where, field, why, cf__mp_offset(&d->r));
}

static int rd_uint(reader *d, const char *field, uint64_t *v)
{
	int rc = cf__mp_uint(&d->r, v);
	return rc ? rd_fail(d, rc, field, "an unsigned integer") : CF_OK;
}

static int rd_float(reader *d, const char *field, double *v)
{
	int rc = cf__mp_float(&d->r, v);
	return rc ? rd_fail(d, rc, field, "a float") : CF_OK;
}

/* A nil (returns 1) or something else, left unread (returns 0); < 0 on truncation. */
static int rd_is_nil(reader *d, const char *field)
{
	int rc = cf__mp_nil(&d->r);
	if (rc == CF__MP_OK)
		return 1;
	if (rc == CF__MP_TYPE)
		return 0;
	return rd_fail(d, rc, field, "nil");
}

static int rd_nil(reader *d, const char *field)
{
	int rc = cf__mp_nil(&d->r);
	return rc ? rd_fail(d, rc, field, "nil") : CF_OK;
}

/* A UTF-8 string without NUL, copied. */
static int rd_string(reader *d, const char *field, char **out, cf_context *ctx)
{
	const char *s;
	uint32_t len;
	int rc = cf__mp_str(&d->r, &s, &len);

	if (rc)
		return rd_fail(d, rc, field, "a string");
	if (cf__utf8_invalid_at(s, len) != (size_t)-1)
		return rd_bad(d, field, "is not valid UTF-8 without NUL");
	if ((*out = cf__malloc(ctx, (size_t)len + 1, "string statistic")) == NULL)
		return CF_ENOMEM;
	memcpy(*out, s, len);
	(*out)[len] = '\0';
	return CF_OK;
}

static int rd_column(reader *d, cf_stats *st, size_t index, uint64_t rows)
{
	cf__col *c = &st->cols[index];
	const char *name;
	uint32_t n, name_len;
	uint64_t type, nn, total;
	unsigned p = st->opts.hll_precision;
	char sub[256];
	int rc, nil;

	snprintf(d->where, sizeof d->where, "stats msgpack: column %zu", index);
	if ((rc = cf__mp_array(&d->r, &n)) != 0)
		return rd_fail(d, rc, "column", "an array");
	if (n != STATS_COLUMN_FIELDS)
		return rd_bad(d, "column", "does not have 17 fields");
	if ((rc = cf__mp_str(&d->r, &name, &name_len)) != 0)
		return rd_fail(d, rc, "name", "a string");
	if (name_len == 0 || cf__utf8_invalid_at(name, name_len) != (size_t)-1)
		return rd_bad(d, "name", "is empty or not valid UTF-8");
	if ((rc = rd_uint(d, "type", &type)) != 0)
		return rc;
	if (!valid_type(type))
		return rd_bad(d, "type", "is not a known type (1 to 5)");
	if ((rc = col_init(st, index, name, name_len, (cf_type)type)) != 0)
		return rc;
	snprintf(d->where, sizeof d->where, "stats msgpack: column %zu '%.64s'", index, c->name);
	for (size_t j = 0; j < index; j++)
		if (strcmp(st->cols[j].name, c->name) == 0)
			return rd_bad(d, "name", "repeats an earlier column's name");
	if ((rc = rd_uint(d, "count", &c->count)) != 0 || (rc = rd_uint(d, "null_count", &c->nulls)) != 0)
		return rc;
	if (c->count != rows)
		return rd_bad(d, "count", "differs from the number of rows");
	if (c->nulls > c->count)
		return rd_bad(d, "null_count", "is more than count");
	nn = c->count - c->nulls;
	/* min, max */
	if (c->kind == CF__KIND_FLOAT) {
		if ((rc = rd_float(d, "min", &c->min)) != 0 || (rc = rd_float(d, "max", &c->max)) != 0)
			return rc;
		if (nn == 0 ? !(c->min != c->min && c->max != c->max) : !(c->min <= c->max))
			return rd_bad(d, "max", "is inconsistent with min and the number of values");
	} else if (c->kind == CF__KIND_INT && nn > 0) {
		if ((rc = cf__mp_int(&d->r, &c->imin)) != 0)
			return rd_fail(d, rc, "min", "an integer");
		if ((rc = cf__mp_int(&d->r, &c->imax)) != 0)
			return rd_fail(d, rc, "max", "an integer");
		if (c->imin > c->imax)
			return rd_bad(d, "max", "is less than min");
	} else if ((rc = rd_nil(d, "min")) != 0 || (rc = rd_nil(d, "max")) != 0) {
		return rc;
	}
	if ((rc = rd_float(d, "sum", &c->sum)) != 0 || (rc = rd_float(d, "mean", &c->mean)) != 0 ||
	    (rc = rd_float(d, "m2", &c->m2)) != 0)
		return rc;
	if ((rc = rd_uint(d, "min_length", &c->min_len)) != 0 || (rc = rd_uint(d, "max_length", &c->max_len)) != 0)
		return rc;
	if (c->min_len > c->max_len)
		return rd_bad(d, "max_length", "is less than min_length");
	if (c->kind == CF__KIND_STRING && nn > 0) {
		if ((rc = rd_string(d, "min_string", &c->min_str, st->ctx)) != 0 ||
		    (rc = rd_string(d, "max_string", &c->max_str, st->ctx)) != 0)
			return rc;
		if (strcmp(c->min_str, c->max_str) > 0)
			return rd_bad(d, "max_string", "sorts before min_string");
	} else if ((rc = rd_nil(d, "min_string")) != 0 || (rc = rd_nil(d, "max_string")) != 0) {
		return rc;
	}
	/* exact | (hll, mg) */
	if ((nil = rd_is_nil(d, "exact")) < 0)
		return nil;
	if (!nil) {
		snprintf(sub, sizeof sub, "%s: field 'exact'", d->where);
		if ((rc = cf__vtab_unpack(&c->ex, &d->r, sub, &total)) != 0)
			return rc;
		if (total != nn)
			return rd_bad(d, "exact", "counts do not add up to the number of values");
		if (c->ex.n > st->opts.exact_distinct_max)
			return rd_bad(d, "exact", "holds more values than exact_distinct_max");
		if ((rc = rd_nil(d, "hll")) != 0 || (rc = rd_nil(d, "mg")) != 0)
			return rc;
	} else {
		/* Exact counts are dropped only past exact_distinct_max distinct values. */
		if (nn <= st->opts.exact_distinct_max)
			return rd_bad(d, "exact", "is missing though the column has few values");
		c->exact = 0;
		cf__vtab_free(&c->ex);
		if ((c->hll = cf__malloc(st->ctx, (size_t)1 << p, "HyperLogLog registers")) == NULL)
			return CF_ENOMEM;
		snprintf(sub, sizeof sub, "%s: field 'hll'", d->where);
		if ((rc = cf__hll_unpack(c->hll, p, &d->r, sub)) != 0)
			return rc;
		snprintf(sub, sizeof sub, "%s: field 'mg'", d->where);
		if ((rc = cf__mg_unpack(&c->mg, &d->r, sub, &total)) != 0)
			return rc;
		if (total > nn || c->mg.offset > nn)
			return rd_bad(d, "mg", "counts more values than the column has");
	}
	if (is_numeric(c->type)) {
		snprintf(sub, sizeof sub, "%s: field 'kll'", d->where);
		if ((rc = cf__kll_unpack(&c->kll, &d->r, sub)) != 0)
			return rc;
		if (c->kll.n != nn)
			return rd_bad(d, "kll", "does not hold the column's number of values");
		return CF_OK;
	}
	return rd_nil(d, "kll");
}

static int rd_stats(reader *d, cf_stats **out, cf_context *ctx)
{
	cf_stats_options o = CF_STATS_OPTIONS_INIT;
	const char *magic;
	uint32_t n, magic_len;
	uint64_t version, v[5], has_schema, rows;
	cf_stats *st;
	int rc;

	snprintf(d->where, sizeof d->where, "stats msgpack: header");
	if ((rc = cf__mp_array(&d->r, &n)) != 0)
		return rd_fail(d, rc, "header", "an array");
	if (n < 2)
		return rd_bad(d, "header", "is too short");
	rc = cf__mp_str(&d->r, &magic, &magic_len);
	if (rc != 0 || magic_len != strlen(STATS_MAGIC) || memcmp(magic, STATS_MAGIC, magic_len) != 0)
		return cf__error_set(CF_EFORMAT, "stats msgpack: not cogniforge statistics (no '%s' magic at byte 1)",
			STATS_MAGIC);
	if ((rc = rd_uint(d, "version", &version)) != 0)
		return rc;
	if (version > STATS_FORMAT_VERSION)
		return cf__error_set(CF_EVERSION, "stats msgpack: format version %llu is newer than this library's %d",
			(unsigned long long)version, STATS_FORMAT_VERSION);
	if (version == 0)
		return rd_bad(d, "version", "is 0");
	if (n != 6)
		return rd_bad(d, "header", "does not have 6 elements");
	if ((rc = cf__mp_array(&d->r, &n)) != 0)
		return rd_fail(d, rc, "options", "an array");
	if (n != 5)
		return rd_bad(d, "options", "does not have 5 elements");
	for (int i = 0; i < 5; i++) {
		static const char *const names[] = { "hll_precision", "exact_distinct_max", "topk", "kll_k", "seed" };
		if ((rc = rd_uint(d, names[i], &v[i])) != 0)
			return rc;
	}
	if (v[0] > 18 || v[1] > STATS_EXACT_MAX_LIMIT || v[2] > STATS_TOPK_LIMIT || v[3] > CF__KLL_MAX_K)
		return rd_bad(d, "options", "are out of range");
	o.hll_precision = (unsigned)v[0];
	o.exact_distinct_max = (size_t)v[1];
	o.topk = (size_t)v[2];
	o.kll_k = (unsigned)v[3];
	o.seed = v[4];
	if ((rc = options_check(&o, CF_EFORMAT, "stats msgpack: options")) != 0)
		return rc;
	if ((rc = rd_uint(d, "has_schema", &has_schema)) != 0 || (rc = rd_uint(d, "rows", &rows)) != 0)
		return rc;
	if (has_schema > 1)
		return rd_bad(d, "has_schema", "is not 0 or 1");
	if ((rc = cf__mp_array(&d->r, &n)) != 0)
		return rd_fail(d, rc, "columns", "an array");
	if (!has_schema && (n != 0 || rows != 0))
		return rd_bad(d, "columns", "are present, or rows counted, without a schema");
	if ((rc = stats_new(&st, ctx, &o)) != 0)
		return rc;
	*out = st;
	st->has_schema = (int)has_schema;
	st->rows = rows;
	if ((rc = cols_alloc(st, n)) != 0)
		return rc;
	for (uint32_t i = 0; i < n; i++) {
		st->ncols++; /* counted before it is filled, so that a failure frees what was set up */
		if ((rc = rd_column(d, st, i, rows)) != 0)
			return rc;
	}
	return CF_OK;
}

int cf_stats_from_msgpack(cf_stats **out, cf_context *ctx, const void *data, size_t len)
{
	reader d;
	cf_stats *st = NULL;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (data == NULL && len > 0)
		return cf__error_set(CF_EINVAL, "cf_stats_from_msgpack: argument 'data' must not be NULL");
	d.r.base = d.r.p = data;
	d.r.end = d.r.base + len;
	rc = rd_stats(&d, &st, ctx);
	if (rc == 0 && d.r.p != d.r.end)
		rc = cf__error_set(CF_EFORMAT, "stats msgpack: %zu bytes of trailing data after the statistics (byte %zu)",
			cf__mp_left(&d.r), cf__mp_offset(&d.r));
	if (rc != 0) {
		cf_stats_free(st);
		return rc;
	}
	*out = st;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * JSON.
 */
static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* A double as a JSON integer, clamped (converting an out-of-range double is undefined behaviour). */
static json_t *jint(double v)
{
	if (!(v > -9223372036854775808.0))
		return json_integer(INT64_MIN);
	if (v >= 9223372036854775808.0)
		return json_integer(INT64_MAX);
	return json_integer((json_int_t)v);
}

/* A value of a numeric column: an integer for int64, bool and timestamp columns. */
static json_t *jvalue(const cf__col *c, double v)
{
	if (c->kind == CF__KIND_INT && isfinite(v))
		return jint(v);
	return jnum(v);
}

static int json_column(json_t *cols, const cf_stats *st, size_t index)
{
	static const double qs[] = { 0.01, 0.25, 0.5, 0.75, 0.99 };
	static const char *const qnames[] = { "0.01", "0.25", "0.5", "0.75", "0.99" };
	const cf__col *c = &st->cols[index];
	cf_column_stats cs;
	json_t *o = json_object(), *top, *quant;
	uint64_t nn = c->count - c->nulls;
	int rc;

	if (o == NULL || json_array_append_new(cols, o) != 0)
		return cf__error_oom("JSON");
	if ((rc = cf_stats_column(&cs, st, index)) != 0)
		return rc;
	json_object_set_new(o, "name", json_string(cs.name));
	json_object_set_new(o, "type", json_string(cf_type_name(cs.type)));
	json_object_set_new(o, "count", json_integer((json_int_t)cs.count));
	json_object_set_new(o, "null_count", json_integer((json_int_t)cs.null_count));
	if (c->kind == CF__KIND_STRING) {
		json_object_set_new(o, "min", cs.min_string ? json_string(cs.min_string) : json_null());
		json_object_set_new(o, "max", cs.max_string ? json_string(cs.max_string) : json_null());
		json_object_set_new(o, "min_length", nn ? json_integer((json_int_t)cs.min_length) : json_null());
		json_object_set_new(o, "max_length", nn ? json_integer((json_int_t)cs.max_length) : json_null());
	} else {
		json_object_set_new(o, "min", nn ? (c->kind == CF__KIND_INT ? json_integer(cs.min_int) : jnum(cs.min))
			: json_null());
		json_object_set_new(o, "max", nn ? (c->kind == CF__KIND_INT ? json_integer(cs.max_int) : jnum(cs.max))
			: json_null());
		json_object_set_new(o, "mean", jnum(cs.mean));
		json_object_set_new(o, "stdev", nn > 1 ? jnum(sqrt(cs.m2 / (double)(nn - 1))) : json_null());
		json_object_set_new(o, "sum", jnum(cs.sum));
	}
	json_object_set_new(o, "distinct", jint(cs.distinct));
	json_object_set_new(o, "distinct_exact", json_boolean(cs.distinct_exact));
	json_object_set_new(o, "distinct_rel_error", json_real(cs.distinct_rel_error));
	if ((top = json_array()) == NULL || json_object_set_new(o, "top_values", top) != 0)
		return cf__error_oom("JSON");
	for (size_t i = 0; i < cs.values_count && i < STATS_JSON_TOP; i++) {
		const cf_stats_value_count *v = &cs.values[i];
		json_t *e = json_object();
		if (e == NULL || json_array_append_new(top, e) != 0)
			return cf__error_oom("JSON");
		json_object_set_new(e, "value", v->string ? json_string(v->string) : jvalue(c, v->number));
		json_object_set_new(e, "count", json_integer((json_int_t)v->count));
		if (!cs.distinct_exact)
			json_object_set_new(e, "error", json_integer((json_int_t)v->error));
	}
	if (!is_numeric(c->type) || nn == 0)
		return json_object_set_new(o, "quantiles", json_null()) ? cf__error_oom("JSON") : CF_OK;
	if ((quant = json_object()) == NULL || json_object_set_new(o, "quantiles", quant) != 0)
		return cf__error_oom("JSON");
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		double q;
		if ((rc = cf_stats_quantile(&q, st, index, qs[i])) != 0)
			return rc;
		json_object_set_new(quant, qnames[i], jvalue(c, q));
	}
	return CF_OK;
}

int cf_stats_to_json(cf_buf *out, const cf_stats *st)
{
	json_t *root, *opts, *cols;
	char *text;
	int rc = CF_OK;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(st);
	if ((root = json_object()) == NULL)
		return cf__error_oom("JSON");
	json_object_set_new(root, "rows", json_integer((json_int_t)st->rows));
	opts = json_object();
	json_object_set_new(root, "options", opts);
	if (opts) {
		json_object_set_new(opts, "hll_precision", json_integer(st->opts.hll_precision));
		json_object_set_new(opts, "exact_distinct_max", json_integer((json_int_t)st->opts.exact_distinct_max));
		json_object_set_new(opts, "topk", json_integer((json_int_t)st->opts.topk));
		json_object_set_new(opts, "kll_k", json_integer(st->opts.kll_k));
	}
	json_object_set_new(root, "quantile_rank_error", json_real(cf_stats_quantile_rank_error(st)));
	cols = json_array();
	if (cols == NULL || json_object_set_new(root, "columns", cols) != 0)
		rc = cf__error_oom("JSON");
	for (size_t i = 0; rc == 0 && i < st->ncols; i++)
		rc = json_column(cols, st, i);
	if (rc == 0) {
		text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
		if (text == NULL)
			rc = cf__error_set(CF_ERROR, "cf_stats_to_json: JSON encoding failed");
		else {
			rc = cf__buf_put(out, text, strlen(text));
			free(text);
		}
	}
	json_decref(root);
	return rc;
}

int cf_stats_options_init(cf_stats_options *opts, unsigned int version)
{
	static const cf_stats_options defaults = CF_STATS_OPTIONS_INIT;
	int rc;

	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_STATS_OPTIONS_VERSION, "cf_stats_options")) < 0)
		return rc;
	*opts = defaults;
	opts->version = version;
	return CF_OK;
}
