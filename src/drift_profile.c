/* Drift reference profiles: per-column exact value counts (numeric columns while they have at most exact_max
 * distinct values; bool and string columns always) plus moments and a KLL sketch for numeric columns, mergeable
 * and serialisable (docs/formats.md), and the comparison of a current table against a profile. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common.h"
#include "drift.h"
#include "sketch.h"
#include "table.h"

#define PROFILE_MAGIC "cogniforge.drift_profile"
#define PROFILE_VERSION 1
#define PROFILE_COLUMN_FIELDS 12

typedef struct pcol {
	char *name;
	cf_type type;
	uint64_t count, nulls;
	double mean, m2, min, max;  /* numeric: over the non-missing values (Chan et al. merge) */
	int exact;                  /* v/w (or s/w) hold every distinct value */
	double *v;                  /* numeric and bool: distinct values ascending */
	char **s;                   /* string: distinct values in byte order */
	double *w;                  /* counts */
	size_t n;
	cf__kll kll;                /* numeric only */
} pcol;

struct cf_drift_profile {
	cf_context *ctx;
	cf_drift_options opts;
	uint64_t rows;
	int has_schema;
	size_t ncols;
	pcol *cols;
};

struct cf_drift_report {
	size_t n, drifted;
	double share, drift_share;
	cf_drift_result *res;
	char **names;
};

static int is_numeric(cf_type t)
{
	return t == CF_TYPE_FLOAT64 || t == CF_TYPE_INT64 || t == CF_TYPE_TIMESTAMP;
}

static void col_free(cf_context *ctx, pcol *c)
{
	cf__free(ctx, c->name);
	cf__free(ctx, c->v);
	if (c->s)
		for (size_t i = 0; i < c->n; i++)
			cf__free(ctx, c->s[i]);
	cf__free(ctx, c->s);
	cf__free(ctx, c->w);
	if (is_numeric(c->type))
		cf__kll_free(&c->kll);
	memset(c, 0, sizeof *c);
}

void cf_drift_profile_free(cf_drift_profile *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->ncols; i++)
		col_free(p->ctx, &p->cols[i]);
	cf__free(p->ctx, p->cols);
	cf__free(p->ctx, p);
}

int cf_drift_profile_create(cf_drift_profile **out, cf_context *ctx, const cf_drift_options *opts)
{
	cf_drift_profile *p;
	cf_drift_options o;
	int rc;
	CF__CHECK_ARG(out);
	*out = NULL;
	if ((rc = cf__drift_options_get(&o, opts)) != 0)
		return rc;
	if ((p = cf__calloc(ctx, 1, sizeof *p, "drift profile")) == NULL)
		return CF_ENOMEM;
	p->ctx = ctx;
	p->opts = o;
	*out = p;
	return CF_OK;
}

uint64_t cf_drift_profile_num_rows(const cf_drift_profile *p)
{
	return p ? p->rows : 0;
}

size_t cf_drift_profile_num_columns(const cf_drift_profile *p)
{
	return p ? p->ncols : 0;
}

int cf_drift_profile_column_exact(const cf_drift_profile *p, size_t index)
{
	return p && index < p->ncols ? p->cols[index].exact : 0;
}

static int col_init(cf_drift_profile *p, size_t i, const char *name, size_t len, cf_type type)
{
	pcol *c = &p->cols[i];
	memset(c, 0, sizeof *c);
	if ((c->name = cf__malloc(p->ctx, len + 1, "drift profile column")) == NULL)
		return CF_ENOMEM;
	memcpy(c->name, name, len);
	c->name[len] = '\0';
	c->type = type;
	c->exact = 1;
	c->min = INFINITY;
	c->max = -INFINITY;
	if (is_numeric(type))
		cf__kll_init(&c->kll, p->ctx, p->opts.kll_k, cf__hash_u64(i));
	return CF_OK;
}

/* Merge the sorted distinct (values or strings, counts) of b into c. Strings in b are copied. */
static int merge_counts(cf_context *ctx, pcol *c, const double *bv, char *const *bs, const double *bw, size_t bn)
{
	size_t cap = c->n + bn, i = 0, j = 0, k = 0;
	double *v = NULL, *w = cf__malloc(ctx, (cap ? cap : 1) * sizeof *w, "drift counts");
	char **s = NULL;
	if (w == NULL)
		return CF_ENOMEM;
	if (bs ? (s = cf__calloc(ctx, cap ? cap : 1, sizeof *s, "drift counts")) == NULL :
		(v = cf__malloc(ctx, (cap ? cap : 1) * sizeof *v, "drift counts")) == NULL) {
		cf__free(ctx, w);
		return CF_ENOMEM;
	}
	while (i < c->n || j < bn) {
		int cmp;
		if (i >= c->n)
			cmp = 1;
		else if (j >= bn)
			cmp = -1;
		else if (bs)
			cmp = strcmp(c->s[i], bs[j]);
		else
			cmp = c->v[i] < bv[j] ? -1 : c->v[i] > bv[j];
		if (cmp <= 0) {
			if (bs)
				s[k] = c->s[i];
			else
				v[k] = c->v[i];
			w[k] = c->w[i++];
			if (cmp == 0)
				w[k] += bw[j++];
		} else {
			if (bs) {
				size_t len = strlen(bs[j]);
				if ((s[k] = cf__malloc(ctx, len + 1, "drift counts")) == NULL) {
					for (; i < c->n; i++) /* keep ownership consistent: the old strings move over */
						s[++k] = c->s[i];
					c->n = 0;
					cf__free(ctx, c->s);
					cf__free(ctx, c->w);
					c->s = s;
					c->w = w;
					c->n = k + 1;
					return CF_ENOMEM;
				}
				memcpy(s[k], bs[j], len + 1);
			} else {
				v[k] = bv[j];
			}
			w[k] = bw[j++];
		}
		k++;
	}
	cf__free(ctx, c->v);
	cf__free(ctx, c->s);
	cf__free(ctx, c->w);
	c->v = v;
	c->s = s;
	c->w = w;
	c->n = k;
	return CF_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct strings of a string column and their counts, sorted (pointers borrowed from the dictionary). */
static int string_counts(char ***s_out, double **w_out, size_t *n_out, uint64_t *nulls_out, const cf__column *col)
{
	double *dc = cf__calloc(NULL, col->dict_size + 1, sizeof *dc, "drift string counts");
	char **s = NULL;
	double *w = NULL;
	size_t n = 0;
	uint64_t nulls = 0;
	if (dc == NULL)
		return CF_ENOMEM;
	const int32_t *codes = col->values;
	for (size_t r = 0; r < col->length; r++) {
		if (cf__column_is_null(col, r))
			nulls++;
		else
			dc[codes[r]] += 1;
	}
	s = cf__malloc(NULL, (col->dict_size + 1) * sizeof *s, "drift string counts");
	w = cf__malloc(NULL, (col->dict_size + 1) * sizeof *w, "drift string counts");
	if (s == NULL || w == NULL) {
		cf__free(NULL, dc);
		cf__free(NULL, s);
		cf__free(NULL, w);
		return CF_ENOMEM;
	}
	for (size_t d = 0; d < col->dict_size; d++)
		if (dc[d] > 0)
			s[n++] = (char *)col->dict[d];
	qsort(s, n, sizeof *s, cmp_str);
	/* sum the counts of duplicate dictionary entries: look each string's total up by a second pass */
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && strcmp(s[k - 1], s[i]) == 0)
			continue;
		s[k++] = s[i];
	}
	for (size_t i = 0; i < k; i++)
		w[i] = 0;
	for (size_t d = 0; d < col->dict_size; d++) {
		if (dc[d] == 0)
			continue;
		char *key = (char *)col->dict[d];
		char **hit = bsearch(&key, s, k, sizeof *s, cmp_str);
		w[hit - s] += dc[d];
	}
	cf__free(NULL, dc);
	*s_out = s;
	*w_out = w;
	*n_out = k;
	*nulls_out = nulls;
	return CF_OK;
}

/* The non-missing values of a numeric or bool column as doubles (NaN and infinities dropped). */
static size_t numeric_values(double *buf, const cf__column *col)
{
	size_t k = 0;
	if (col->type == CF_TYPE_FLOAT64 && col->validity == NULL) { /* the common case, without branches per type */
		const double *x = col->values;
		for (size_t r = 0; r < col->length; r++) {
			double v = x[r];
			buf[k] = v == 0 ? 0.0 : v;
			k += !(v != v || isinf(v));
		}
		return k;
	}
	for (size_t r = 0; r < col->length; r++) {
		if (!CF_VALID(col->validity, r))
			continue;
		double x;
		if (col->type == CF_TYPE_FLOAT64)
			x = ((const double *)col->values)[r];
		else if (col->type == CF_TYPE_BOOL)
			x = ((const uint8_t *)col->values)[r];
		else
			x = (double)((const int64_t *)col->values)[r];
		if (x != x || isinf(x))
			continue;
		buf[k++] = x == 0 ? 0.0 : x;
	}
	return k;
}

static int col_update(cf_drift_profile *p, pcol *c, const cf__column *col)
{
	int rc = CF_OK;
	if (col->type == CF_TYPE_STRING) {
		char **s;
		double *w;
		size_t n;
		uint64_t nulls;
		if ((rc = string_counts(&s, &w, &n, &nulls, col)) != 0)
			return rc;
		rc = merge_counts(p->ctx, c, NULL, s, w, n);
		c->count += col->length - nulls;
		c->nulls += nulls;
		cf__free(NULL, s);
		cf__free(NULL, w);
		return rc;
	}
	double *buf = cf__malloc(NULL, (2 * col->length + 1) * sizeof *buf, "drift profile chunk");
	if (buf == NULL)
		return CF_ENOMEM;
	size_t k = numeric_values(buf, col);
	c->nulls += col->length - k;
	if (k > 0) {
		double sum = 0, m2 = 0, mn = INFINITY, mx = -INFINITY;
		for (size_t i = 0; i < k; i++) {
			sum += buf[i];
			mn = buf[i] < mn ? buf[i] : mn;
			mx = buf[i] > mx ? buf[i] : mx;
		}
		double mean = sum / (double)k;
		for (size_t i = 0; i < k; i++)
			m2 += (buf[i] - mean) * (buf[i] - mean);
		double na = (double)c->count, nb = (double)k, nt = na + nb, d = mean - c->mean;
		c->mean = c->count ? c->mean + d * nb / nt : mean;
		c->m2 = c->count ? c->m2 + m2 + d * d * na * nb / nt : m2;
		c->min = mn < c->min ? mn : c->min;
		c->max = mx > c->max ? mx : c->max;
		c->count += k;
		if (is_numeric(c->type) && (rc = cf__kll_update(&c->kll, buf, k)) != 0)
			goto done;
		if (c->exact) {
			cf__drift_sort(buf, NULL, k);
			size_t n = cf__drift_rle(buf, buf + col->length, k);
			if ((rc = merge_counts(p->ctx, c, buf, NULL, buf + col->length, n)) != 0)
				goto done;
			if (is_numeric(c->type) && c->n > p->opts.exact_max) {
				cf__free(p->ctx, c->v);
				cf__free(p->ctx, c->w);
				c->v = c->w = NULL;
				c->n = 0;
				c->exact = 0;
			}
		}
	}
done:
	cf__free(NULL, buf);
	return rc;
}

int cf_drift_profile_update(cf_drift_profile *p, const cf_table *chunk)
{
	int rc;
	CF__CHECK_ARG(p);
	CF__CHECK_ARG(chunk);
	if (!p->has_schema) {
		if ((p->cols = cf__calloc(p->ctx, chunk->ncols ? chunk->ncols : 1, sizeof *p->cols, "drift profile")) ==
		    NULL)
			return CF_ENOMEM;
		for (size_t i = 0; i < chunk->ncols; i++) {
			const cf__column *col = &chunk->cols[i];
			p->ncols++;
			if ((rc = col_init(p, i, col->name, strlen(col->name), col->type)) != 0)
				return rc;
		}
		p->has_schema = 1;
	} else {
		if (chunk->ncols != p->ncols)
			return cf__error_set(CF_EINVAL, "drift profile: chunk has %zu columns, the profile %zu", chunk->ncols,
				p->ncols);
		for (size_t i = 0; i < p->ncols; i++)
			if (strcmp(chunk->cols[i].name, p->cols[i].name) != 0 || chunk->cols[i].type != p->cols[i].type)
				return cf__error_set(CF_EINVAL, "drift profile: chunk column %zu '%.64s' (%s) differs from the "
					"profile's '%.64s' (%s)", i, chunk->cols[i].name, cf_type_name(chunk->cols[i].type),
					p->cols[i].name, cf_type_name(p->cols[i].type));
	}
	for (size_t i = 0; i < p->ncols; i++)
		if ((rc = col_update(p, &p->cols[i], &chunk->cols[i])) != 0)
			return rc;
	p->rows += chunk->num_rows;
	return CF_OK;
}

int cf_drift_profile_merge(cf_drift_profile *dst, const cf_drift_profile *src)
{
	int rc;
	CF__CHECK_ARG(dst);
	CF__CHECK_ARG(src);
	if (dst->opts.exact_max != src->opts.exact_max || dst->opts.kll_k != src->opts.kll_k)
		return cf__error_set(CF_EINVAL, "drift profile merge: options differ (exact_max %zu vs %zu, kll_k %u vs %u)",
			dst->opts.exact_max, src->opts.exact_max, dst->opts.kll_k, src->opts.kll_k);
	if (!src->has_schema)
		return CF_OK;
	if (dst == src)
		return cf__error_set(CF_EINVAL, "drift profile merge: dst and src are the same profile");
	if (!dst->has_schema) {
		if ((dst->cols = cf__calloc(dst->ctx, src->ncols ? src->ncols : 1, sizeof *dst->cols, "drift profile")) ==
		    NULL)
			return CF_ENOMEM;
		for (size_t i = 0; i < src->ncols; i++) {
			dst->ncols++;
			if ((rc = col_init(dst, i, src->cols[i].name, strlen(src->cols[i].name), src->cols[i].type)) != 0)
				return rc;
		}
		dst->has_schema = 1;
	}
	if (dst->ncols != src->ncols)
		return cf__error_set(CF_EINVAL, "drift profile merge: %zu columns vs %zu", dst->ncols, src->ncols);
	for (size_t i = 0; i < src->ncols; i++)
		if (strcmp(dst->cols[i].name, src->cols[i].name) != 0 || dst->cols[i].type != src->cols[i].type)
			return cf__error_set(CF_EINVAL, "drift profile merge: column %zu '%.64s' differs", i,
				src->cols[i].name);
	for (size_t i = 0; i < src->ncols; i++) {
		pcol *c = &dst->cols[i];
		const pcol *s = &src->cols[i];
		if (s->count > 0) {
			double na = (double)c->count, nb = (double)s->count, nt = na + nb, d = s->mean - c->mean;
			c->mean = c->count ? c->mean + d * nb / nt : s->mean;
			c->m2 = c->count ? c->m2 + s->m2 + d * d * na * nb / nt : s->m2;
			c->min = s->min < c->min ? s->min : c->min;
			c->max = s->max > c->max ? s->max : c->max;
		}
		c->count += s->count;
		c->nulls += s->nulls;
		if (is_numeric(c->type) && (rc = cf__kll_merge(&c->kll, &s->kll)) != 0)
			return rc;
		if (c->exact && !s->exact) {
			cf__free(dst->ctx, c->v);
			cf__free(dst->ctx, c->w);
			c->v = c->w = NULL;
			c->n = 0;
			c->exact = 0;
		} else if (c->exact) {
			if ((rc = merge_counts(dst->ctx, c, s->v, s->s, s->w, s->n)) != 0)
				return rc;
			if (is_numeric(c->type) && c->n > dst->opts.exact_max) {
				cf__free(dst->ctx, c->v);
				cf__free(dst->ctx, c->w);
				c->v = c->w = NULL;
				c->n = 0;
				c->exact = 0;
			}
		}
	}
	dst->rows += src->rows;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * msgpack.
 */
#define PK(expr) do { if ((expr) != 0) return cf__error_oom("drift profile msgpack"); } while (0)

static int pack_str(msgpack_packer *pk, const char *s)
{
	size_t len = strlen(s);
	if (msgpack_pack_str(pk, len) != 0)
		return -1;
	return msgpack_pack_str_body(pk, s, len);
}

int cf_drift_profile_to_msgpack(cf_buf *out, const cf_drift_profile *p)
{
	msgpack_packer pk;
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(p);
	msgpack_packer_init(&pk, out, cf__mp_buf_write);
	PK(msgpack_pack_array(&pk, 5));
	PK(pack_str(&pk, PROFILE_MAGIC));
	PK(msgpack_pack_uint64(&pk, PROFILE_VERSION));
	PK(msgpack_pack_array(&pk, 2));
	PK(msgpack_pack_uint64(&pk, p->opts.exact_max));
	PK(msgpack_pack_uint64(&pk, p->opts.kll_k));
	PK(msgpack_pack_uint64(&pk, p->rows));
	if (!p->has_schema) {
		PK(msgpack_pack_nil(&pk));
		return CF_OK;
	}
	PK(msgpack_pack_array(&pk, p->ncols));
	for (size_t i = 0; i < p->ncols; i++) {
		const pcol *c = &p->cols[i];
		PK(msgpack_pack_array(&pk, PROFILE_COLUMN_FIELDS));
		PK(pack_str(&pk, c->name));
		PK(msgpack_pack_uint64(&pk, (uint64_t)c->type));
		PK(msgpack_pack_uint64(&pk, c->count));
		PK(msgpack_pack_uint64(&pk, c->nulls));
		PK(msgpack_pack_double(&pk, c->mean));
		PK(msgpack_pack_double(&pk, c->m2));
		PK(msgpack_pack_double(&pk, c->min));
		PK(msgpack_pack_double(&pk, c->max));
		PK(c->exact ? msgpack_pack_true(&pk) : msgpack_pack_false(&pk));
		PK(msgpack_pack_array(&pk, c->n));
		for (size_t j = 0; j < c->n; j++)
			PK(c->s ? pack_str(&pk, c->s[j]) : msgpack_pack_double(&pk, c->v[j]));
		PK(msgpack_pack_array(&pk, c->n));
		for (size_t j = 0; j < c->n; j++)
			PK(msgpack_pack_uint64(&pk, (uint64_t)c->w[j]));
		if (is_numeric(c->type)) {
			if (cf__kll_pack(&pk, &c->kll) != 0)
				return cf__error_oom("drift profile msgpack");
		} else {
			PK(msgpack_pack_nil(&pk));
		}
	}
	return CF_OK;
}

typedef struct reader {
	cf__mp r;
	char where[160];
} reader;

static int bad(reader *d, int rc, const char *field)
{
	if (rc == CF__MP_EOF)
		return cf__error_set(CF_EFORMAT, "%s: field '%s': input truncated at byte %zu", d->where, field,
			cf__mp_offset(&d->r));
	return cf__error_set(CF_EFORMAT, "%s: field '%s' is malformed (byte %zu)", d->where, field,
		cf__mp_offset(&d->r));
}

static int rd_column(reader *d, cf_drift_profile *p, size_t i)
{
	pcol *c = &p->cols[i];
	const char *name;
	uint32_t n, len, nv;
	uint64_t type, u;
	int rc, b;

	snprintf(d->where, sizeof d->where, "drift profile msgpack: column %zu", i);
	if ((rc = cf__mp_array(&d->r, &n)) != 0 || n != PROFILE_COLUMN_FIELDS)
		return bad(d, rc ? rc : CF__MP_TYPE, "column");
	if ((rc = cf__mp_str(&d->r, &name, &len)) != 0 || len == 0 || memchr(name, 0, len) ||
	    cf__utf8_invalid_at(name, len) != (size_t)-1)
		return bad(d, rc ? rc : CF__MP_TYPE, "name");
	if ((rc = cf__mp_uint(&d->r, &type)) != 0 || type < CF_TYPE_FLOAT64 || type > CF_TYPE_TIMESTAMP)
		return bad(d, rc ? rc : CF__MP_TYPE, "type");
	if ((rc = col_init(p, i, name, len, (cf_type)type)) != 0)
		return rc;
	snprintf(d->where, sizeof d->where, "drift profile msgpack: column %zu '%.64s'", i, c->name);
	if ((rc = cf__mp_uint(&d->r, &c->count)) != 0)
		return bad(d, rc, "count");
	if ((rc = cf__mp_uint(&d->r, &c->nulls)) != 0)
		return bad(d, rc, "nulls");
	double *f[4] = { &c->mean, &c->m2, &c->min, &c->max };
	static const char *const fn[4] = { "mean", "m2", "min", "max" };
	for (int k = 0; k < 4; k++)
		if ((rc = cf__mp_float(&d->r, f[k])) != 0)
			return bad(d, rc, fn[k]);
	if ((rc = cf__mp_bool(&d->r, &b)) != 0)
		return bad(d, rc, "exact");
	c->exact = b;
	if (!c->exact && !is_numeric(c->type))
		return bad(d, CF__MP_TYPE, "exact (bool and string columns are always exact)");
	if ((rc = cf__mp_array(&d->r, &nv)) != 0)
		return bad(d, rc, "values");
	if (!c->exact && nv != 0)
		return bad(d, CF__MP_TYPE, "values");
	int str = type == CF_TYPE_STRING;
	if (str ? (c->s = cf__calloc(p->ctx, nv ? nv : 1, sizeof *c->s, "drift profile")) == NULL :
		(c->v = cf__malloc(p->ctx, (nv ? nv : 1) * sizeof *c->v, "drift profile")) == NULL)
		return CF_ENOMEM;
	if ((c->w = cf__malloc(p->ctx, (nv ? nv : 1) * sizeof *c->w, "drift profile")) == NULL)
		return CF_ENOMEM;
	for (uint32_t j = 0; j < nv; j++) {
		if (str) {
			const char *s;
			uint32_t sl;
			if ((rc = cf__mp_str(&d->r, &s, &sl)) != 0 || memchr(s, 0, sl))
				return bad(d, rc ? rc : CF__MP_TYPE, "values");
			if ((c->s[j] = cf__malloc(p->ctx, (size_t)sl + 1, "drift profile")) == NULL)
				return CF_ENOMEM;
			memcpy(c->s[j], s, sl);
			c->s[j][sl] = '\0';
			c->n = j + 1;
			if (j > 0 && strcmp(c->s[j - 1], c->s[j]) >= 0)
				return bad(d, CF__MP_TYPE, "values (not strictly ascending)");
		} else {
			if ((rc = cf__mp_float(&d->r, &c->v[j])) != 0 || c->v[j] != c->v[j] || isinf(c->v[j]))
				return bad(d, rc ? rc : CF__MP_TYPE, "values");
			if (j > 0 && !(c->v[j - 1] < c->v[j]))
				return bad(d, CF__MP_TYPE, "values (not strictly ascending)");
			c->n = j + 1;
		}
	}
	if ((rc = cf__mp_array(&d->r, &n)) != 0 || n != nv)
		return bad(d, rc ? rc : CF__MP_TYPE, "counts");
	uint64_t total = 0;
	for (uint32_t j = 0; j < nv; j++) {
		if ((rc = cf__mp_uint(&d->r, &u)) != 0 || u == 0 || u > (1ULL << 53))
			return bad(d, rc ? rc : CF__MP_TYPE, "counts");
		c->w[j] = (double)u;
		total += u;
	}
	if (c->exact && total != c->count)
		return bad(d, CF__MP_TYPE, "counts (do not sum to count)");
	if (c->count > (1ULL << 53) || c->nulls > (1ULL << 53))
		return bad(d, CF__MP_TYPE, "count");
	if (is_numeric(c->type)) {
		char sub[200];
		snprintf(sub, sizeof sub, "%s: field 'kll'", d->where);
		if ((rc = cf__kll_unpack(&c->kll, &d->r, sub)) != 0)
			return rc;
		if (c->kll.n != c->count)
			return bad(d, CF__MP_TYPE, "kll (weight differs from count)");
	} else if ((rc = cf__mp_nil(&d->r)) != 0) {
		return bad(d, rc, "kll");
	}
	if (c->type != CF_TYPE_STRING && c->count > 0 && (!(c->min <= c->max) || !(c->m2 >= 0) || c->mean != c->mean))
		return bad(d, CF__MP_TYPE, "moments");
	return CF_OK;
}

int cf_drift_profile_from_msgpack(cf_drift_profile **out, cf_context *ctx, const void *data, size_t len)
{
	reader d;
	cf_drift_options o = CF_DRIFT_OPTIONS_INIT;
	cf_drift_profile *p = NULL;
	const char *magic;
	uint32_t n, ml;
	uint64_t version, em, kk, rows;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (data == NULL && len > 0)
		return cf__error_set(CF_EINVAL, "cf_drift_profile_from_msgpack: argument 'data' must not be NULL");
	d.r.base = d.r.p = data;
	d.r.end = d.r.base + len;
	snprintf(d.where, sizeof d.where, "drift profile msgpack: header");
	if ((rc = cf__mp_array(&d.r, &n)) != 0 || n < 2)
		return bad(&d, rc ? rc : CF__MP_TYPE, "header");
	rc = cf__mp_str(&d.r, &magic, &ml);
	if (rc != 0 || ml != strlen(PROFILE_MAGIC) || memcmp(magic, PROFILE_MAGIC, ml) != 0)
		return cf__error_set(CF_EFORMAT, "drift profile msgpack: not a cogniforge drift profile (no '%s' magic)",
			PROFILE_MAGIC);
	if ((rc = cf__mp_uint(&d.r, &version)) != 0 || version == 0)
		return bad(&d, rc ? rc : CF__MP_TYPE, "version");
	if (version > PROFILE_VERSION)
		return cf__error_set(CF_EVERSION, "drift profile msgpack: format version %llu is newer than this "
			"library's %d", (unsigned long long)version, PROFILE_VERSION);
	if (n != 5)
		return bad(&d, CF__MP_TYPE, "header");
	if ((rc = cf__mp_array(&d.r, &n)) != 0 || n != 2)
		return bad(&d, rc ? rc : CF__MP_TYPE, "options");
	if ((rc = cf__mp_uint(&d.r, &em)) != 0 || (rc = cf__mp_uint(&d.r, &kk)) != 0)
		return bad(&d, rc, "options");
	if (em < 32 || em > 10000000 || kk < CF__KLL_MIN_K || kk > CF__KLL_MAX_K)
		return bad(&d, CF__MP_TYPE, "options (out of range)");
	o.exact_max = (size_t)em;
	o.kll_k = (unsigned)kk;
	if ((rc = cf__mp_uint(&d.r, &rows)) != 0)
		return bad(&d, rc, "rows");
	if ((rc = cf_drift_profile_create(&p, ctx, &o)) != 0)
		return rc;
	p->rows = rows;
	if ((rc = cf__mp_nil(&d.r)) == CF__MP_OK) {
		if (rows != 0)
			rc = bad(&d, CF__MP_TYPE, "columns");
	} else if ((rc = cf__mp_array(&d.r, &n)) != 0) {
		rc = bad(&d, rc, "columns");
	} else if ((p->cols = cf__calloc(ctx, n ? n : 1, sizeof *p->cols, "drift profile")) == NULL) {
		rc = CF_ENOMEM;
	} else {
		p->has_schema = 1;
		for (uint32_t i = 0; i < n && rc == 0; i++) {
			p->ncols++;
			rc = rd_column(&d, p, i);
			for (uint32_t j = 0; j < i && rc == 0; j++)
				if (strcmp(p->cols[j].name, p->cols[i].name) == 0)
					rc = bad(&d, CF__MP_TYPE, "name (duplicate)");
			if (rc == 0 && p->cols[i].count + p->cols[i].nulls != rows)
				rc = bad(&d, CF__MP_TYPE, "count (count + nulls differs from rows)");
		}
	}
	if (rc == 0 && d.r.p != d.r.end)
		rc = cf__error_set(CF_EFORMAT, "drift profile msgpack: %zu bytes of trailing data (byte %zu)",
			cf__mp_left(&d.r), cf__mp_offset(&d.r));
	if (rc != 0) {
		cf_drift_profile_free(p);
		return rc;
	}
	*out = p;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Comparison.
 */
typedef struct vw {
	double v, w;
} vw;

static int cmp_vw(const void *a, const void *b)
{
	double x = ((const vw *)a)->v, y = ((const vw *)b)->v;
	return x < y ? -1 : x > y;
}

/* The reference sample of a numeric column from its KLL sketch: retained items with weights 2^level. */
static int kll_sample(cf__wsample *s, double **buf_out, const pcol *c)
{
	size_t n = 0, k = 0;
	for (uint32_t h = 0; h < c->kll.nlevels; h++)
		n += c->kll.lv[h].n;
	vw *a = cf__malloc(NULL, (n ? n : 1) * sizeof *a, "drift sketch sample");
	double *buf = cf__malloc(NULL, 2 * (n ? n : 1) * sizeof *buf, "drift sketch sample");
	if (a == NULL || buf == NULL) {
		cf__free(NULL, a);
		cf__free(NULL, buf);
		return CF_ENOMEM;
	}
	for (uint32_t h = 0; h < c->kll.nlevels; h++)
		for (uint32_t i = 0; i < c->kll.lv[h].n; i++) {
			a[k].v = c->kll.lv[h].v[i];
			a[k++].w = ldexp(1.0, (int)h);
		}
	qsort(a, n, sizeof *a, cmp_vw);
	size_t m = 0;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && buf[m - 1] == a[i].v) {
			buf[n + m - 1] += a[i].w;
		} else {
			buf[m] = a[i].v;
			buf[n + m] = a[i].w;
			m++;
		}
		total += a[i].w;
	}
	cf__free(NULL, a);
	s->v = buf;
	s->w = buf + n;
	s->n = m;
	s->total = total;
	s->exact = 0;
	*buf_out = buf;
	return CF_OK;
}

/* One column: reference sample from the profile, current from the table. */
/* Per-thread buffers reused across columns: values and counts (2 rows doubles), radix scratch (2 rows). */
typedef struct scratch {
	double *buf;
	uint64_t *radix;
} scratch;

static int compare_column(cf_drift_result *res, const pcol *c, const cf__column *col, const cf_drift_options *o,
	const scratch *sc)
{
	cf__wsample r, cur;
	cf__wmoments mom = { c->mean, c->m2, c->min, c->max };
	double *rbuf = NULL, *cbuf = NULL, *keys = NULL;
	int rc = CF_OK, categorical = !is_numeric(c->type);

	memset(&cur, 0, sizeof cur);
	memset(&r, 0, sizeof r);
	if (c->count == 0)
		return cf__error_set(CF_EINVAL, "drift: column '%.64s' has no values in the reference", c->name);
	if (c->type == CF_TYPE_STRING) {
		char **s;
		double *w;
		size_t n;
		uint64_t nulls;
		if ((rc = string_counts(&s, &w, &n, &nulls, col)) != 0)
			return rc;
		/* keys: ranks in the merged byte order of reference and current strings */
		keys = cf__malloc(NULL, (c->n + n + 1) * sizeof *keys, "drift keys");
		if (keys == NULL) {
			cf__free(NULL, s);
			cf__free(NULL, w);
			return CF_ENOMEM;
		}
		size_t i = 0, j = 0;
		double rank = 0;
		double *ck = keys + c->n;
		while (i < c->n || j < n) {
			int cmp = i >= c->n ? 1 : j >= n ? -1 : strcmp(c->s[i], s[j]);
			if (cmp <= 0)
				keys[i++] = rank;
			if (cmp >= 0)
				ck[j++] = rank;
			rank++;
		}
		r.v = keys;
		r.w = c->w;
		r.n = c->n;
		r.total = (double)c->count;
		r.exact = 1;
		cur.v = ck;
		cur.w = w;
		cur.n = n;
		cur.total = (double)(col->length - nulls);
		cur.exact = 1;
		if (cur.total == 0)
			rc = cf__error_set(CF_EINVAL, "drift: column '%.64s' has no values in the current table", c->name);
		else
			rc = cf__drift_run(res, &r, &cur, 1, &mom, o);
		cf__free(NULL, s);
		cf__free(NULL, w);
		cf__free(NULL, keys);
		return rc;
	}
	cbuf = sc->buf;
	size_t k = numeric_values(cbuf, col);
	if (k == 0)
		return cf__error_set(CF_EINVAL, "drift: column '%.64s' has no values in the current table", c->name);
	cf__drift_sort(cbuf, sc->radix, k);
	cur.v = cbuf; /* sorted, with repeats: every weight is 1 */
	cur.w = NULL;
	cur.n = k;
	cur.total = (double)k;
	cur.exact = 1;
	if (c->exact) {
		r.v = c->v;
		r.w = c->w;
		r.n = c->n;
		r.total = (double)c->count;
		r.exact = 1;
	} else if ((rc = kll_sample(&r, &rbuf, c)) != 0) {
		return rc;
	}
	rc = cf__drift_run(res, &r, &cur, categorical, &mom, o);
	cf__free(NULL, rbuf);
	return rc;
}

void cf_drift_report_free(cf_drift_report *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++)
		cf__free(NULL, r->names ? r->names[i] : NULL);
	cf__free(NULL, r->names);
	cf__free(NULL, r->res);
	cf__free(NULL, r);
}

/* Columns are shared out to worker threads (the context's thread count); each keeps its own buffers, and a
 * failure's message is carried back to the calling thread's error record. */
typedef struct job {
	const cf_drift_profile *p;
	const cf_table *cur;
	const cf_drift_options *o;
	cf_drift_report *r;
	const size_t *idx;     /* current column of each profile column */
	size_t next;           /* next column to take */
	pthread_mutex_t mu;
	int rc;                /* first failure */
	size_t failed_at;
	char msg[512];
} job;

static void *worker(void *arg)
{
	job *j = arg;
	scratch sc = { NULL, NULL };
	size_t rows = j->cur->num_rows;
	for (;;) {
		pthread_mutex_lock(&j->mu);
		size_t i = j->next++;
		int stop = j->rc != 0;
		pthread_mutex_unlock(&j->mu);
		if (stop || i >= j->p->ncols)
			break;
		const pcol *c = &j->p->cols[i];
		int rc = CF_OK;
		if (sc.buf == NULL && is_numeric(c->type)) {
			sc.buf = cf__malloc(NULL, (2 * rows + 1) * sizeof *sc.buf, "drift current column");
			sc.radix = cf__malloc(NULL, (2 * rows + 1) * sizeof *sc.radix, "drift sort");
			if (sc.buf == NULL || sc.radix == NULL)
				rc = CF_ENOMEM;
		}
		if (rc == 0)
			rc = compare_column(&j->r->res[i], c, &j->cur->cols[j->idx[i]], j->o, &sc);
		if (rc != 0) {
			pthread_mutex_lock(&j->mu);
			if (j->rc == 0 || i < j->failed_at) {
				j->rc = rc;
				j->failed_at = i;
				snprintf(j->msg, sizeof j->msg, "%s", cf_error_last()->message);
			}
			pthread_mutex_unlock(&j->mu);
		}
	}
	cf__free(NULL, sc.buf);
	cf__free(NULL, sc.radix);
	return NULL;
}

int cf_drift_compare(cf_drift_report **out, const cf_drift_profile *p, const cf_table *current,
	const cf_drift_options *opts)
{
	cf_drift_options o;
	cf_drift_report *r;
	size_t *idx = NULL;
	int rc = CF_OK;
	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(p);
	CF__CHECK_ARG(current);
	if ((rc = cf__drift_options_get(&o, opts)) != 0)
		return rc;
	if ((r = cf__calloc(NULL, 1, sizeof *r, "drift report")) == NULL)
		return CF_ENOMEM;
	r->drift_share = o.drift_share;
	if ((r->res = cf__calloc(NULL, p->ncols + 1, sizeof *r->res, "drift report")) == NULL ||
	    (r->names = cf__calloc(NULL, p->ncols + 1, sizeof *r->names, "drift report")) == NULL ||
	    (idx = cf__calloc(NULL, p->ncols + 1, sizeof *idx, "drift report")) == NULL) {
		cf_drift_report_free(r);
		return CF_ENOMEM;
	}
	r->n = p->ncols; /* names are filled below; free() tolerates NULL */
	for (size_t i = 0; i < p->ncols && rc == 0; i++) {
		const pcol *c = &p->cols[i];
		size_t len = strlen(c->name);
		if ((rc = cf_table_column_index(&idx[i], current, c->name)) != 0)
			break;
		if (current->cols[idx[i]].type != c->type) {
			rc = cf__error_set(CF_EINVAL, "drift: column '%.64s' is %s in the current table but %s in the "
				"profile", c->name, cf_type_name(current->cols[idx[i]].type), cf_type_name(c->type));
			break;
		}
		if ((r->names[i] = cf__malloc(NULL, len + 1, "drift report")) == NULL) {
			rc = CF_ENOMEM;
			break;
		}
		memcpy(r->names[i], c->name, len + 1);
	}
	if (rc == 0 && p->ncols > 0) {
		job j;
		memset(&j, 0, sizeof j);
		j.p = p;
		j.cur = current;
		j.o = &o;
		j.r = r;
		j.idx = idx;
		pthread_mutex_init(&j.mu, NULL);
		size_t nt = (size_t)cf_context_threads(p->ctx), started = 0;
		pthread_t th[64];
		if (nt > 64)
			nt = 64;
		if (nt > p->ncols)
			nt = p->ncols;
		for (size_t t = 1; t < nt; t++)
			if (pthread_create(&th[started], NULL, worker, &j) == 0)
				started++;
		worker(&j);
		for (size_t t = 0; t < started; t++)
			pthread_join(th[t], NULL);
		pthread_mutex_destroy(&j.mu);
		if (j.rc != 0)
			rc = cf__error_set(j.rc, "%s", j.msg);
	}
	cf__free(NULL, idx);
	if (rc != 0) {
		cf_drift_report_free(r);
		return rc;
	}
	for (size_t i = 0; i < r->n; i++) {
		r->res[i].column = r->names[i];
		r->drifted += r->res[i].drifted != 0;
	}
	r->share = r->n ? (double)r->drifted / (double)r->n : 0.0;
	*out = r;
	return CF_OK;
}

size_t cf_drift_report_num_columns(const cf_drift_report *r)
{
	return r ? r->n : 0;
}

int cf_drift_report_column(cf_drift_result *out, const cf_drift_report *r, size_t index)
{
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(r);
	if (index >= r->n)
		return cf__error_set(CF_EINVAL, "cf_drift_report_column: index %zu out of range (%zu columns)", index, r->n);
	*out = r->res[index];
	return CF_OK;
}

size_t cf_drift_report_num_drifted(const cf_drift_report *r)
{
	return r ? r->drifted : 0;
}

double cf_drift_report_share(const cf_drift_report *r)
{
	return r ? r->share : 0.0;
}

int cf_drift_report_dataset_drift(const cf_drift_report *r)
{
	return r && r->n > 0 && r->share >= r->drift_share;
}

/* A finite number, or null (jansson refuses NaN and infinities). */
static json_t *json_num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

int cf_drift_report_to_json(cf_buf *out, const cf_drift_report *r)
{
	json_t *root, *cols;
	char *text;
	int rc = CF_OK;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(r);
	if ((root = json_object()) == NULL)
		return cf__error_oom("JSON");
	json_object_set_new(root, "dataset_drift", json_boolean(cf_drift_report_dataset_drift(r)));
	json_object_set_new(root, "drift_share", json_real(r->drift_share));
	json_object_set_new(root, "number_of_columns", json_integer((json_int_t)r->n));
	json_object_set_new(root, "number_of_drifted_columns", json_integer((json_int_t)r->drifted));
	json_object_set_new(root, "share_of_drifted_columns", json_real(r->share));
	cols = json_array();
	if (cols == NULL || json_object_set_new(root, "columns", cols) != 0)
		rc = cf__error_oom("JSON");
	for (size_t i = 0; rc == CF_OK && i < r->n; i++) {
		const cf_drift_result *c = &r->res[i];
		json_t *o = json_object();
		if (o == NULL || json_array_append_new(cols, o) != 0) {
			rc = cf__error_oom("JSON");
			break;
		}
		json_object_set_new(o, "column", json_string(c->column ? c->column : ""));
		json_object_set_new(o, "method", json_string(c->method_name));
		json_object_set_new(o, "statistic", json_num(c->statistic));
		json_object_set_new(o, "p_value", json_num(c->p_value));
		json_object_set_new(o, "score", json_num(c->score));
		json_object_set_new(o, "threshold", json_num(c->threshold));
		json_object_set_new(o, "drifted", json_boolean(c->drifted));
		json_object_set_new(o, "exact", json_boolean(c->exact));
		json_object_set_new(o, "categorical", json_boolean(c->categorical));
		json_object_set_new(o, "n_ref", json_integer((json_int_t)c->n_ref));
		json_object_set_new(o, "n_cur", json_integer((json_int_t)c->n_cur));
		json_object_set_new(o, "n_unique", json_integer((json_int_t)c->n_unique));
	}
	if (rc == CF_OK) {
		text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
		if (text == NULL)
			rc = cf__error_set(CF_ERROR, "cf_drift_report_to_json: JSON encoding failed");
		else {
			rc = cf__buf_put(out, text, strlen(text));
			if (rc == CF_OK)
				rc = cf__buf_put(out, "\n", 1);
			free(text);
		}
	}
	json_decref(root);
	return rc;
}
