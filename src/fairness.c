/* Fairness accumulators (fairness.h): weighted confusion counts and score histograms per intersection cell of
 * the sensitive features, one pass per chunk with no per-row allocation (codes index arrays), exact merges, and
 * the msgpack form documented in docs/formats.md ("Fairness accumulator"). Reports live in fairness_report.c. */
#include "fairness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sketch.h"
#include "table.h"

#define FAIR_MAGIC "cogniforge.fairness"
#define FAIR_FORMAT_VERSION 1

int cf_fairness_options_init(cf_fairness_options *opts, unsigned int version)
{
	cf_fairness_options d = CF_FAIRNESS_OPTIONS_INIT;
	int rc;

	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_FAIRNESS_OPTIONS_VERSION, "cf_fairness_options")) != 0)
		return rc;
	*opts = d;
	return CF_OK;
}

int cf__fair_options_check(const cf_fairness_options *o, int code, const char *prefix)
{
	if (o->auc_bins > CF__FAIR_MAX_BINS)
		return cf__error_set(code, "%s.auc_bins: %u is above %u", prefix, o->auc_bins, CF__FAIR_MAX_BINS);
	if (!isfinite(o->score_min) || !isfinite(o->score_max) || !(o->score_min < o->score_max))
		return cf__error_set(code, "%s: score range [%g, %g] is not finite and increasing", prefix, o->score_min,
			o->score_max);
	if (isnan(o->threshold))
		return cf__error_set(code, "%s.threshold is NaN", prefix);
	return CF_OK;
}

size_t cf__fair_stride(const cf_fairness *acc, size_t k)
{
	size_t s = 1;
	for (size_t i = 0; i < k; i++)
		s *= acc->f[i].nlab ? acc->f[i].nlab : 1;
	return s;
}

/* ------------------------------------------------------------------------------------------------------------
 * Labels: an append-only list with an open-addressing index.
 */
long cf__fair_label_find(const cf__fair_feature *f, const char *s, size_t len)
{
	size_t mask, i;

	if (f->nslots == 0)
		return -1;
	mask = f->nslots - 1;
	for (i = (size_t)cf__hash_bytes(s, len) & mask;; i = (i + 1) & mask) {
		uint32_t e = f->slot[i];
		if (e == 0)
			return -1;
		if (strlen(f->labels[e - 1]) == len && memcmp(f->labels[e - 1], s, len) == 0)
			return (long)e - 1;
	}
}

static void slot_insert(cf__fair_feature *f, size_t index)
{
	const char *s = f->labels[index];
	size_t mask = f->nslots - 1, i;

	for (i = (size_t)cf__hash_bytes(s, strlen(s)) & mask; f->slot[i] != 0; i = (i + 1) & mask)
		;
	f->slot[i] = (uint32_t)(index + 1);
}

static int label_add(cf_context *ctx, cf__fair_feature *f, const char *s, size_t len)
{
	char *copy;

	if (f->nlab == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 8;
		char **l = cf__realloc(ctx, f->labels, cap * sizeof *l, "fairness labels");
		if (l == NULL)
			return CF_ENOMEM;
		f->labels = l;
		f->cap = cap;
	}
	if (2 * (f->nlab + 1) > f->nslots) {
		size_t ns = f->nslots ? 2 * f->nslots : 16;
		uint32_t *slot = cf__calloc(ctx, ns, sizeof *slot, "fairness label index");
		if (slot == NULL)
			return CF_ENOMEM;
		cf__free(ctx, f->slot);
		f->slot = slot;
		f->nslots = ns;
		for (size_t i = 0; i < f->nlab; i++)
			slot_insert(f, i);
	}
	if ((copy = cf__malloc(ctx, len + 1, "fairness label")) == NULL)
		return CF_ENOMEM;
	memcpy(copy, s, len);
	copy[len] = '\0';
	f->labels[f->nlab] = copy;
	slot_insert(f, f->nlab++);
	return CF_OK;
}

/* Drop labels from `keep` on (a failed update), rebuilding the index. */
static void labels_truncate(cf_context *ctx, cf__fair_feature *f, size_t keep)
{
	while (f->nlab > keep)
		cf__free(ctx, f->labels[--f->nlab]);
	if (f->slot) {
		memset(f->slot, 0, f->nslots * sizeof *f->slot);
		for (size_t i = 0; i < f->nlab; i++)
			slot_insert(f, i);
	}
}

/* ------------------------------------------------------------------------------------------------------------
 * Life cycle.
 */
static int acc_new(cf_fairness **out, cf_context *ctx, size_t nf, const cf_fairness_options *opts)
{
	cf_fairness *acc;

	*out = NULL;
	if ((acc = cf__calloc(ctx, 1, sizeof *acc, "fairness accumulator")) == NULL)
		return CF_ENOMEM;
	acc->ctx = ctx;
	acc->opts = *opts;
	acc->ncells = 1;
	if ((acc->f = cf__calloc(ctx, nf ? nf : 1, sizeof *acc->f, "fairness features")) == NULL ||
		(acc->n = cf__calloc(ctx, 4, sizeof *acc->n, "fairness counts")) == NULL ||
		(acc->w = cf__calloc(ctx, 4, sizeof *acc->w, "fairness weights")) == NULL) {
		cf_fairness_free(acc);
		return CF_ENOMEM;
	}
	acc->nf = nf;
	*out = acc;
	return CF_OK;
}

int cf_fairness_create(cf_fairness **out, cf_context *ctx, const char *const *feature_names, size_t num_features,
	const cf_fairness_options *opts)
{
	cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT;
	cf_fairness *acc;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (opts) {
		if ((rc = cf__options_version_check(opts->version, CF_FAIRNESS_OPTIONS_VERSION, "cf_fairness_options")))
			return rc;
		o = *opts;
		o.version = CF_FAIRNESS_OPTIONS_VERSION;
	}
	if ((rc = cf__fair_options_check(&o, CF_EINVAL, "cf_fairness_options")) != 0)
		return rc;
	if (num_features == 0 || num_features > CF__FAIR_MAX_FEATURES)
		return cf__error_set(CF_EINVAL, "cf_fairness_create: %zu sensitive features (1 to %d are supported)",
			num_features, CF__FAIR_MAX_FEATURES);
	CF__CHECK_ARG(feature_names);
	for (size_t i = 0; i < num_features; i++) {
		const char *name = feature_names[i];
		if (name == NULL || name[0] == '\0' || cf__utf8_invalid_at(name, strlen(name)) != (size_t)-1)
			return cf__error_set(CF_EINVAL, "cf_fairness_create: feature %zu has a NULL, empty or non-UTF-8 name",
				i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(feature_names[j], name) == 0)
				return cf__error_set(CF_EINVAL, "cf_fairness_create: feature '%s' is named twice", name);
	}
	if ((rc = acc_new(&acc, ctx, num_features, &o)) != 0)
		return rc;
	for (size_t i = 0; i < num_features; i++)
		if ((acc->f[i].name = cf__strdup(ctx, feature_names[i])) == NULL) {
			cf_fairness_free(acc);
			return CF_ENOMEM;
		}
	*out = acc;
	return CF_OK;
}

void cf_fairness_free(cf_fairness *acc)
{
	if (acc == NULL)
		return;
	for (size_t i = 0; acc->f && i < acc->nf; i++) {
		cf__fair_feature *f = &acc->f[i];
		for (size_t j = 0; j < f->nlab; j++)
			cf__free(acc->ctx, f->labels[j]);
		cf__free(acc->ctx, f->labels);
		cf__free(acc->ctx, f->slot);
		cf__free(acc->ctx, f->name);
	}
	cf__free(acc->ctx, acc->f);
	cf__free(acc->ctx, acc->n);
	cf__free(acc->ctx, acc->w);
	cf__free(acc->ctx, acc->hist);
	cf__free(acc->ctx, acc);
}

uint64_t cf_fairness_num_rows(const cf_fairness *acc)
{
	return acc ? acc->rows : 0;
}

/* Cells for label counts nlab[], or 0 when the product exceeds the limit. */
static size_t cells_for(const size_t *nlab, size_t nf)
{
	size_t c = 1;
	for (size_t i = 0; i < nf; i++) {
		size_t k = nlab[i] ? nlab[i] : 1;
		if (c > CF__FAIR_MAX_CELLS / k)
			return 0;
		c *= k;
	}
	return c;
}

static int hist_fits(const cf_fairness *acc, size_t ncells)
{
	return acc->opts.auc_bins == 0 || ncells <= CF__FAIR_MAX_HIST / 2 / acc->opts.auc_bins;
}

/* Re-lay the cells after labels were appended: `old_nlab` are the label counts the arrays were built for. */
static int relayout(cf_fairness *acc, const size_t *old_nlab)
{
	size_t nf = acc->nf, bins = acc->opts.auc_bins, ncells, old_cells = acc->ncells;
	size_t new_stride[CF__FAIR_MAX_FEATURES];
	uint64_t *n;
	double *w, *hist = NULL;

	ncells = 1;
	for (size_t k = 0; k < nf; k++) {
		new_stride[k] = ncells;
		ncells *= acc->f[k].nlab ? acc->f[k].nlab : 1;
	}
	if (ncells == old_cells)
		return CF_OK;
	n = cf__calloc(acc->ctx, ncells * 4, sizeof *n, "fairness counts");
	w = cf__calloc(acc->ctx, ncells * 4, sizeof *w, "fairness weights");
	if (acc->hist)
		hist = cf__calloc(acc->ctx, ncells * bins * 2, sizeof *hist, "fairness score histograms");
	if (n == NULL || w == NULL || (acc->hist && hist == NULL)) {
		cf__free(acc->ctx, n);
		cf__free(acc->ctx, w);
		cf__free(acc->ctx, hist);
		return CF_ENOMEM;
	}
	for (size_t c = 0; c < old_cells; c++) {
		size_t rest = c, dst = 0;
		for (size_t k = 0; k < nf; k++) {
			size_t m = old_nlab[k] ? old_nlab[k] : 1;
			dst += (rest % m) * new_stride[k];
			rest /= m;
		}
		memcpy(&n[dst * 4], &acc->n[c * 4], 4 * sizeof *n);
		memcpy(&w[dst * 4], &acc->w[c * 4], 4 * sizeof *w);
		if (hist)
			memcpy(&hist[dst * bins * 2], &acc->hist[c * bins * 2], bins * 2 * sizeof *hist);
	}
	cf__free(acc->ctx, acc->n);
	cf__free(acc->ctx, acc->w);
	cf__free(acc->ctx, acc->hist);
	acc->n = n;
	acc->w = w;
	acc->hist = hist;
	acc->ncells = ncells;
	return CF_OK;
}

static int hist_alloc(cf_fairness *acc)
{
	if (acc->hist || acc->opts.auc_bins == 0)
		return CF_OK;
	acc->hist = cf__calloc(acc->ctx, acc->ncells * acc->opts.auc_bins * 2, sizeof *acc->hist,
		"fairness score histograms");
	return acc->hist ? CF_OK : CF_ENOMEM;
}

/* ------------------------------------------------------------------------------------------------------------
 * Update.
 */
static int check_data(const cf_fairness *acc, const cf_fairness_data *d)
{
	if (d->num_features != acc->nf)
		return cf__error_set(CF_EINVAL, "cf_fairness_update: the chunk has %zu sensitive features, the "
			"accumulator %zu", d->num_features, acc->nf);
	if (d->length == 0)
		return CF_OK;
	if (d->y_true == NULL)
		return cf__error_set(CF_EINVAL, "cf_fairness_update: y_true is NULL");
	if (d->y_pred == NULL && d->scores == NULL)
		return cf__error_set(CF_EINVAL, "cf_fairness_update: give y_pred or scores (thresholded at %g)",
			acc->opts.threshold);
	if (d->features == NULL)
		return cf__error_set(CF_EINVAL, "cf_fairness_update: features is NULL");
	for (size_t k = 0; k < acc->nf; k++) {
		const cf_fairness_feature *f = &d->features[k];
		if (f->name == NULL || strcmp(f->name, acc->f[k].name) != 0)
			return cf__error_set(CF_EINVAL, "cf_fairness_update: sensitive feature %zu is '%s', expected '%s'",
				k, f->name ? f->name : "(null)", acc->f[k].name);
		if (f->codes == NULL)
			return cf__error_set(CF_EINVAL, "cf_fairness_update: feature '%s' has no codes", f->name);
		if (f->num_labels > 0 && f->labels == NULL)
			return cf__error_set(CF_EINVAL, "cf_fairness_update: feature '%s' has no labels", f->name);
		if (f->num_labels > (size_t)INT32_MAX)
			return cf__error_set(CF_EINVAL, "cf_fairness_update: feature '%s' has too many labels", f->name);
	}
	return CF_OK;
}

/* Check every code (marking the labels used) and value before anything is added. */
static int check_rows(const cf_fairness *acc, const cf_fairness_data *d, uint8_t *const *used)
{
	size_t n = d->length;

	for (size_t k = 0; k < acc->nf; k++) {
		const cf_fairness_feature *f = &d->features[k];
		const int32_t *c = f->codes;
		uint32_t lim = (uint32_t)f->num_labels;
		uint8_t *u = used[k];
		for (size_t i = 0; i < n; i++) {
			uint32_t v = (uint32_t)c[i];
			if (v >= lim)
				return cf__error_set(CF_EINVAL, "cf_fairness_update: feature '%s' row %zu: code %d is %s", f->name,
					i, c[i], c[i] < 0 ? "null (map missing values to a label of their own)" :
					"outside the dictionary");
			u[v] = 1;
		}
		for (size_t j = 0; j < f->num_labels; j++)
			if (u[j] && (f->labels[j] == NULL ||
				cf__utf8_invalid_at(f->labels[j], strlen(f->labels[j])) != (size_t)-1))
				return cf__error_set(CF_EINVAL, "cf_fairness_update: feature '%s' label %zu is NULL or not UTF-8",
					f->name, j);
	}
	if (d->scores) {
		for (size_t i = 0; i < n; i++)
			if (isnan(d->scores[i]))
				return cf__error_set(CF_EINVAL, "cf_fairness_update: score of row %zu is NaN", i);
	}
	if (d->weights) {
		for (size_t i = 0; i < n; i++)
			if (!isfinite(d->weights[i]) || d->weights[i] < 0)
				return cf__error_set(CF_EINVAL, "cf_fairness_update: weight of row %zu is negative or not finite",
					i);
	}
	return CF_OK;
}

/* The pass over the rows. Constant flags specialise it (always inlined into each call site below). */
static inline __attribute__((always_inline)) void accumulate(cf_fairness *acc, const cf_fairness_data *d,
	const uint32_t *const *remap, size_t nf, int weighted, int scored, int pred)
{
	const uint8_t *yt = d->y_true, *yp = d->y_pred;
	const double *s = d->scores, *wt = d->weights;
	const int32_t *c0 = d->features[0].codes, *c1 = nf > 1 ? d->features[1].codes : NULL;
	const uint32_t *r0 = remap[0], *r1 = nf > 1 ? remap[1] : NULL;
	uint64_t *cn = acc->n;
	double *cw = acc->w, *h = acc->hist, thr = acc->opts.threshold;
	double lo = acc->opts.score_min, scale = acc->opts.auc_bins / (acc->opts.score_max - acc->opts.score_min);
	double top = (double)acc->opts.auc_bins - 1;
	size_t bins = acc->opts.auc_bins, n = d->length;

	for (size_t i = 0; i < n; i++) {
		size_t cell = r0[c0[i]];
		unsigned y = yt[i] != 0, p;
		double w = weighted ? wt[i] : 1.0;
		if (nf == 2) {
			cell += r1[c1[i]];
		} else if (nf > 2) {
			cell += r1[c1[i]];
			for (size_t k = 2; k < nf; k++)
				cell += remap[k][d->features[k].codes[i]];
		}
		p = pred ? yp[i] != 0 : s[i] >= thr;
		cn[cell * 4 + 2 * y + p]++;
		cw[cell * 4 + 2 * y + p] += w;
		if (scored) {
			double b = (s[i] - lo) * scale;
			size_t bin = b >= top ? (size_t)top : b > 0 ? (size_t)b : 0;
			h[(cell * bins + bin) * 2 + y] += w;
		}
	}
}

static void accumulate_any(cf_fairness *acc, const cf_fairness_data *d, const uint32_t *const *remap)
{
	int weighted = d->weights != NULL, scored = d->scores != NULL && acc->hist != NULL, pred = d->y_pred != NULL;
	size_t nf = acc->nf;

	/* The common shapes get their own loop; the rest share the general one. */
#define ACC_CASE(NF, W, S, P) \
	if (nf == NF && weighted == W && scored == S && pred == P) \
		return accumulate(acc, d, remap, NF, W, S, P)
	ACC_CASE(1, 0, 0, 1); ACC_CASE(1, 1, 0, 1); ACC_CASE(1, 0, 1, 1); ACC_CASE(1, 1, 1, 1);
	ACC_CASE(2, 0, 0, 1); ACC_CASE(2, 1, 0, 1); ACC_CASE(2, 0, 1, 1); ACC_CASE(2, 1, 1, 1);
	ACC_CASE(1, 0, 1, 0); ACC_CASE(2, 0, 1, 0);
#undef ACC_CASE
	accumulate(acc, d, remap, nf, weighted, scored, pred);
}

int cf_fairness_update(cf_fairness *acc, const cf_fairness_data *data)
{
	size_t old_nlab[CF__FAIR_MAX_FEATURES], nlab[CF__FAIR_MAX_FEATURES], ncells, total = 0, k;
	uint8_t *used[CF__FAIR_MAX_FEATURES] = { NULL };
	uint32_t *remap[CF__FAIR_MAX_FEATURES] = { NULL };
	uint8_t *ubuf = NULL;
	uint32_t *rbuf = NULL;
	int rc;

	CF__CHECK_ARG(acc);
	CF__CHECK_ARG(data);
	if ((rc = check_data(acc, data)) != 0)
		return rc;
	if (data->length == 0)
		return CF_OK;
	for (k = 0; k < acc->nf; k++)
		total += data->features[k].num_labels + 1;
	ubuf = cf__calloc(acc->ctx, total, 1, "fairness scratch");
	rbuf = cf__calloc(acc->ctx, total, sizeof *rbuf, "fairness scratch");
	if (ubuf == NULL || rbuf == NULL) {
		rc = CF_ENOMEM;
		goto out;
	}
	for (k = 0, total = 0; k < acc->nf; k++) {
		used[k] = ubuf + total;
		remap[k] = rbuf + total;
		total += data->features[k].num_labels + 1;
	}
	if ((rc = check_rows(acc, data, used)) != 0)
		goto out;

	/* New labels, then the cell layout for them (rolled back when too large). */
	for (k = 0; k < acc->nf; k++)
		old_nlab[k] = acc->f[k].nlab;
	for (k = 0; k < acc->nf && rc == 0; k++) {
		const cf_fairness_feature *f = &data->features[k];
		for (size_t j = 0; j < f->num_labels && rc == 0; j++)
			if (used[k][j] && cf__fair_label_find(&acc->f[k], f->labels[j], strlen(f->labels[j])) < 0)
				rc = label_add(acc->ctx, &acc->f[k], f->labels[j], strlen(f->labels[j]));
		nlab[k] = acc->f[k].nlab;
	}
	if (rc == 0) {
		ncells = cells_for(nlab, acc->nf);
		if (ncells == 0 || (data->scores && !hist_fits(acc, ncells)))
			rc = cf__error_set(CF_EINVAL, "cf_fairness_update: the sensitive features have too many label "
				"combinations (more than %zu intersection cells, or histograms above %zu entries)",
				CF__FAIR_MAX_CELLS, CF__FAIR_MAX_HIST);
	}
	if (rc == 0)
		rc = relayout(acc, old_nlab);
	if (rc != 0) {
		/* Nothing was laid out for the new labels: forget them. */
		for (k = 0; k < acc->nf; k++)
			labels_truncate(acc->ctx, &acc->f[k], old_nlab[k]);
		goto out;
	}
	/* From here the labels and cells agree; a failed histogram allocation adds no rows. */
	if (data->scores && (rc = hist_alloc(acc)) != 0)
		goto out;
	for (k = 0; k < acc->nf; k++) {
		const cf_fairness_feature *f = &data->features[k];
		size_t stride = cf__fair_stride(acc, k);
		for (size_t j = 0; j < f->num_labels; j++)
			if (used[k][j])
				remap[k][j] = (uint32_t)((size_t)cf__fair_label_find(&acc->f[k], f->labels[j],
					strlen(f->labels[j])) * stride);
	}
	accumulate_any(acc, data, (const uint32_t *const *)remap);
	acc->rows += data->length;
	if (data->scores)
		acc->scored += data->length;
out:
	cf__free(acc->ctx, ubuf);
	cf__free(acc->ctx, rbuf);
	return rc;
}

/* ------------------------------------------------------------------------------------------------------------
 * Merge.
 */
int cf_fairness_merge(cf_fairness *dst, const cf_fairness *src)
{
	size_t old_nlab[CF__FAIR_MAX_FEATURES], nlab[CF__FAIR_MAX_FEATURES], k, bins;
	size_t *map[CF__FAIR_MAX_FEATURES] = { NULL };
	size_t *mbuf = NULL, total = 0;
	int rc = CF_OK;

	CF__CHECK_ARG(dst);
	CF__CHECK_ARG(src);
	if (dst->nf != src->nf)
		return cf__error_set(CF_EINVAL, "cf_fairness_merge: %zu sensitive features against %zu", dst->nf, src->nf);
	for (k = 0; k < dst->nf; k++)
		if (strcmp(dst->f[k].name, src->f[k].name) != 0)
			return cf__error_set(CF_EINVAL, "cf_fairness_merge: sensitive feature %zu is '%s' in one and '%s' in "
				"the other", k, dst->f[k].name, src->f[k].name);
	if (dst->opts.auc_bins != src->opts.auc_bins || dst->opts.score_min != src->opts.score_min ||
		dst->opts.score_max != src->opts.score_max)
		return cf__error_set(CF_EINVAL, "cf_fairness_merge: histogram options differ (auc_bins %u against %u, "
			"range [%g, %g] against [%g, %g])", dst->opts.auc_bins, src->opts.auc_bins, dst->opts.score_min,
			dst->opts.score_max, src->opts.score_min, src->opts.score_max);
	if (src->rows == 0)
		return CF_OK;
	bins = dst->opts.auc_bins;

	/* The union of the labels must fit before anything changes. */
	for (k = 0; k < dst->nf; k++) {
		size_t extra = 0;
		old_nlab[k] = dst->f[k].nlab;
		for (size_t j = 0; j < src->f[k].nlab; j++)
			extra += cf__fair_label_find(&dst->f[k], src->f[k].labels[j], strlen(src->f[k].labels[j])) < 0;
		nlab[k] = old_nlab[k] + extra;
		total += src->f[k].nlab ? src->f[k].nlab : 1;
	}
	{
		size_t nc = cells_for(nlab, dst->nf);
		if (nc == 0 || ((src->hist || dst->hist) && !hist_fits(dst, nc)))
			return cf__error_set(CF_EINVAL, "cf_fairness_merge: the merged label combinations exceed %zu cells",
				CF__FAIR_MAX_CELLS);
	}
	if ((mbuf = cf__malloc(dst->ctx, total * sizeof *mbuf, "fairness merge map")) == NULL)
		return CF_ENOMEM;
	for (k = 0; k < dst->nf && rc == 0; k++)
		for (size_t j = 0; j < src->f[k].nlab && rc == 0; j++)
			if (cf__fair_label_find(&dst->f[k], src->f[k].labels[j], strlen(src->f[k].labels[j])) < 0)
				rc = label_add(dst->ctx, &dst->f[k], src->f[k].labels[j], strlen(src->f[k].labels[j]));
	if (rc == 0)
		rc = relayout(dst, old_nlab);
	if (rc != 0) {
		for (k = 0; k < dst->nf; k++)
			labels_truncate(dst->ctx, &dst->f[k], old_nlab[k]);
		cf__free(dst->ctx, mbuf);
		return rc;
	}
	if (src->hist && (rc = hist_alloc(dst)) != 0) {
		cf__free(dst->ctx, mbuf);
		return rc;
	}
	for (k = 0, total = 0; k < dst->nf; k++) {
		size_t stride = cf__fair_stride(dst, k);
		map[k] = mbuf + total;
		if (src->f[k].nlab == 0)
			map[k][0] = 0;
		for (size_t j = 0; j < src->f[k].nlab; j++)
			map[k][j] = (size_t)cf__fair_label_find(&dst->f[k], src->f[k].labels[j], strlen(src->f[k].labels[j])) *
				stride;
		total += src->f[k].nlab ? src->f[k].nlab : 1;
	}
	for (size_t c = 0; c < src->ncells; c++) {
		size_t rest = c, to = 0;
		for (k = 0; k < src->nf; k++) {
			size_t m = src->f[k].nlab ? src->f[k].nlab : 1;
			to += map[k][rest % m];
			rest /= m;
		}
		for (int q = 0; q < 4; q++) {
			dst->n[to * 4 + q] += src->n[c * 4 + q];
			dst->w[to * 4 + q] += src->w[c * 4 + q];
		}
		if (src->hist)
			for (size_t b = 0; b < 2 * bins; b++)
				dst->hist[to * bins * 2 + b] += src->hist[c * bins * 2 + b];
	}
	dst->rows += src->rows;
	dst->scored += src->scored;
	cf__free(dst->ctx, mbuf);
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * msgpack output: labels sorted by bytes, only those with rows; cells re-indexed to match (first feature fastest).
 */
#define PK(expr) do { int pk_rc_ = (expr); if (pk_rc_ != 0) { rc = pk_rc_ < 0 ? pk_rc_ : CF_ENOMEM; goto out; } } \
	while (0)

static const cf__fair_feature *sort_feature;

static int label_cmp(const void *a, const void *b)
{
	return strcmp(sort_feature->labels[*(const size_t *)a], sort_feature->labels[*(const size_t *)b]);
}

/* For each feature: the labels with rows, sorted (order[k][0..kept[k])), and pos[k][label] = new index or -1. */
typedef struct canon {
	size_t kept[CF__FAIR_MAX_FEATURES];
	size_t *order[CF__FAIR_MAX_FEATURES];
	long *pos[CF__FAIR_MAX_FEATURES];
	size_t ncells;
	void *buf;
} canon;

static int canon_build(canon *cn, const cf_fairness *acc)
{
	size_t total = 0, k, c;
	uint64_t *marg[CF__FAIR_MAX_FEATURES];
	char *p;

	memset(cn, 0, sizeof *cn);
	for (k = 0; k < acc->nf; k++)
		total += acc->f[k].nlab;
	cn->buf = cf__calloc(acc->ctx, total ? total : 1, sizeof(size_t) + sizeof(long) + sizeof(uint64_t),
		"fairness serialisation");
	if (cn->buf == NULL)
		return CF_ENOMEM;
	p = cn->buf;
	for (k = 0; k < acc->nf; k++) {
		cn->order[k] = (size_t *)(void *)p;
		p += acc->f[k].nlab * sizeof(size_t);
	}
	for (k = 0; k < acc->nf; k++) {
		cn->pos[k] = (long *)(void *)p;
		p += acc->f[k].nlab * sizeof(long);
	}
	for (k = 0; k < acc->nf; k++) {
		marg[k] = (uint64_t *)(void *)p;
		p += acc->f[k].nlab * sizeof(uint64_t);
	}
	for (c = 0; c < acc->ncells; c++) {
		uint64_t rows = acc->n[c * 4] + acc->n[c * 4 + 1] + acc->n[c * 4 + 2] + acc->n[c * 4 + 3];
		size_t rest = c;
		if (rows == 0)
			continue;
		for (k = 0; k < acc->nf; k++) {
			size_t m = acc->f[k].nlab ? acc->f[k].nlab : 1;
			if (acc->f[k].nlab)
				marg[k][rest % m] += rows;
			rest /= m;
		}
	}
	cn->ncells = 1;
	for (k = 0; k < acc->nf; k++) {
		size_t j;
		for (j = 0; j < acc->f[k].nlab; j++) {
			cn->pos[k][j] = -1;
			if (marg[k][j])
				cn->order[k][cn->kept[k]++] = j;
		}
		sort_feature = &acc->f[k];
		qsort(cn->order[k], cn->kept[k], sizeof(size_t), label_cmp);
		for (j = 0; j < cn->kept[k]; j++)
			cn->pos[k][cn->order[k][j]] = (long)j;
		cn->ncells *= cn->kept[k] ? cn->kept[k] : 1;
	}
	return CF_OK;
}

/* The canonical index of cell c, or -1 when one of its labels has no rows. */
static long canon_cell(const canon *cn, const cf_fairness *acc, size_t c)
{
	size_t rest = c, to = 0, stride = 1;
	for (size_t k = 0; k < acc->nf; k++) {
		size_t m = acc->f[k].nlab ? acc->f[k].nlab : 1;
		if (acc->f[k].nlab) {
			long p = cn->pos[k][rest % m];
			if (p < 0)
				return -1;
			to += (size_t)p * stride;
		}
		stride *= cn->kept[k] ? cn->kept[k] : 1;
		rest /= m;
	}
	return (long)to;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t dbits(double d)
{
	uint64_t v;
	memcpy(&v, &d, sizeof v);
	return v;
}

static double bitsd(uint64_t v)
{
	double d;
	memcpy(&d, &v, sizeof d);
	return d;
}

int cf_fairness_to_msgpack(cf_buf *out, const cf_fairness *acc)
{
	msgpack_packer pk;
	canon cn;
	uint8_t *nb = NULL, *wb = NULL, *hb = NULL;
	size_t bins, hlen = 0;
	int rc = CF_OK;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(acc);
	if ((rc = canon_build(&cn, acc)) != 0)
		return rc;
	bins = acc->opts.auc_bins;
	nb = cf__calloc(acc->ctx, cn.ncells * 4, 8, "fairness serialisation");
	wb = cf__calloc(acc->ctx, cn.ncells * 4, 8, "fairness serialisation");
	if (acc->hist) {
		hlen = cn.ncells * bins * 2 * 8;
		hb = cf__calloc(acc->ctx, hlen ? hlen : 1, 1, "fairness serialisation");
	}
	if (nb == NULL || wb == NULL || (acc->hist && hb == NULL)) {
		rc = CF_ENOMEM;
		goto out;
	}
	/* Zero-filled buffers are zero counts and +0.0 sums; canonical cells are written once each. */
	for (size_t c = 0; c < acc->ncells; c++) {
		long to = canon_cell(&cn, acc, c);
		if (to < 0)
			continue;
		for (int q = 0; q < 4; q++) {
			put_le64(nb + ((size_t)to * 4 + q) * 8, acc->n[c * 4 + q]);
			put_le64(wb + ((size_t)to * 4 + q) * 8, dbits(acc->w[c * 4 + q]));
		}
		if (hb)
			for (size_t b = 0; b < 2 * bins; b++)
				put_le64(hb + ((size_t)to * bins * 2 + b) * 8, dbits(acc->hist[c * bins * 2 + b]));
	}
	msgpack_packer_init(&pk, out, cf__mp_buf_write);
	PK(msgpack_pack_array(&pk, 9));
	PK(msgpack_pack_str(&pk, strlen(FAIR_MAGIC)));
	PK(msgpack_pack_str_body(&pk, FAIR_MAGIC, strlen(FAIR_MAGIC)));
	PK(msgpack_pack_uint64(&pk, FAIR_FORMAT_VERSION));
	PK(msgpack_pack_array(&pk, 5));
	PK(msgpack_pack_uint64(&pk, acc->opts.min_group_size));
	PK(msgpack_pack_double(&pk, acc->opts.threshold));
	PK(msgpack_pack_uint64(&pk, acc->opts.auc_bins));
	PK(msgpack_pack_double(&pk, acc->opts.score_min));
	PK(msgpack_pack_double(&pk, acc->opts.score_max));
	PK(msgpack_pack_uint64(&pk, acc->rows));
	PK(msgpack_pack_uint64(&pk, acc->scored));
	PK(msgpack_pack_array(&pk, acc->nf));
	for (size_t k = 0; k < acc->nf; k++) {
		const cf__fair_feature *f = &acc->f[k];
		PK(msgpack_pack_array(&pk, 2));
		PK(msgpack_pack_str(&pk, strlen(f->name)));
		PK(msgpack_pack_str_body(&pk, f->name, strlen(f->name)));
		PK(msgpack_pack_array(&pk, cn.kept[k]));
		for (size_t j = 0; j < cn.kept[k]; j++) {
			const char *l = f->labels[cn.order[k][j]];
			PK(msgpack_pack_str(&pk, strlen(l)));
			PK(msgpack_pack_str_body(&pk, l, strlen(l)));
		}
	}
	PK(msgpack_pack_bin(&pk, cn.ncells * 32));
	PK(msgpack_pack_bin_body(&pk, nb, cn.ncells * 32));
	PK(msgpack_pack_bin(&pk, cn.ncells * 32));
	PK(msgpack_pack_bin_body(&pk, wb, cn.ncells * 32));
	if (hb) {
		PK(msgpack_pack_bin(&pk, hlen));
		PK(msgpack_pack_bin_body(&pk, hb, hlen));
	} else {
		PK(msgpack_pack_nil(&pk));
	}
out:
	cf__free(acc->ctx, nb);
	cf__free(acc->ctx, wb);
	cf__free(acc->ctx, hb);
	cf__free(acc->ctx, cn.buf);
	return rc;
}

/* ------------------------------------------------------------------------------------------------------------
 * msgpack input: bounds-checked (sketch.h's reader); every count is checked against the bytes left before it
 * sizes an allocation.
 */
static int rd_fail(const cf__mp *r, int rc, const char *field, const char *type)
{
	if (rc == CF__MP_EOF)
		return cf__error_set(CF_EFORMAT, "fairness msgpack: field '%s': input truncated at byte %zu", field,
			cf__mp_offset(r));
	return cf__error_set(CF_EFORMAT, "fairness msgpack: field '%s' is not %s (byte %zu)", field, type,
		cf__mp_offset(r));
}

static int rd_bad(const cf__mp *r, const char *field, const char *why)
{
	return cf__error_set(CF_EFORMAT, "fairness msgpack: field '%s' %s (byte %zu)", field, why, cf__mp_offset(r));
}

static int rd_uint(cf__mp *r, const char *field, uint64_t *v)
{
	int rc = cf__mp_uint(r, v);
	return rc ? rd_fail(r, rc, field, "an unsigned integer") : CF_OK;
}

static int rd_float(cf__mp *r, const char *field, double *v)
{
	int rc = cf__mp_float(r, v);
	return rc ? rd_fail(r, rc, field, "a float") : CF_OK;
}

static int rd_str(cf__mp *r, const char *field, const char **s, uint32_t *len)
{
	int rc = cf__mp_str(r, s, len);
	if (rc)
		return rd_fail(r, rc, field, "a string");
	if (memchr(*s, '\0', *len) != NULL || cf__utf8_invalid_at(*s, *len) != (size_t)-1)
		return rd_bad(r, field, "is not valid UTF-8 without NUL");
	return CF_OK;
}

static int rd_acc(cf__mp *r, cf_fairness **out, cf_context *ctx)
{
	cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT;
	cf_fairness *acc;
	const char *s;
	const uint8_t *b;
	uint32_t n, len, nf, blen;
	uint64_t version, v, rows, scored, total = 0;
	size_t nlab[CF__FAIR_MAX_FEATURES], ncells;
	int rc;

	if ((rc = cf__mp_array(r, &n)) != 0)
		return rd_fail(r, rc, "header", "an array");
	if (n < 2)
		return rd_bad(r, "header", "is too short");
	rc = cf__mp_str(r, &s, &len);
	if (rc != 0 || len != strlen(FAIR_MAGIC) || memcmp(s, FAIR_MAGIC, len) != 0)
		return cf__error_set(CF_EFORMAT, "fairness msgpack: not a cogniforge fairness accumulator (no '%s' magic "
			"at byte 1)", FAIR_MAGIC);
	if ((rc = rd_uint(r, "version", &version)) != 0)
		return rc;
	if (version > FAIR_FORMAT_VERSION)
		return cf__error_set(CF_EVERSION, "fairness msgpack: format version %llu is newer than this library's %d",
			(unsigned long long)version, FAIR_FORMAT_VERSION);
	if (version == 0)
		return rd_bad(r, "version", "is 0");
	if (n != 9)
		return rd_bad(r, "header", "does not have 9 elements");
	if ((rc = cf__mp_array(r, &n)) != 0)
		return rd_fail(r, rc, "options", "an array");
	if (n != 5)
		return rd_bad(r, "options", "does not have 5 elements");
	if ((rc = rd_uint(r, "min_group_size", &o.min_group_size)) != 0 ||
		(rc = rd_float(r, "threshold", &o.threshold)) != 0 || (rc = rd_uint(r, "auc_bins", &v)) != 0)
		return rc;
	if (v > CF__FAIR_MAX_BINS)
		return rd_bad(r, "auc_bins", "is out of range");
	o.auc_bins = (unsigned)v;
	if ((rc = rd_float(r, "score_min", &o.score_min)) != 0 || (rc = rd_float(r, "score_max", &o.score_max)) != 0)
		return rc;
	if ((rc = cf__fair_options_check(&o, CF_EFORMAT, "fairness msgpack: options")) != 0)
		return rc;
	if ((rc = rd_uint(r, "rows", &rows)) != 0 || (rc = rd_uint(r, "scored", &scored)) != 0)
		return rc;
	if (scored > rows)
		return rd_bad(r, "scored", "exceeds rows");
	if ((rc = cf__mp_array(r, &nf)) != 0)
		return rd_fail(r, rc, "features", "an array");
	if (nf == 0 || nf > CF__FAIR_MAX_FEATURES)
		return rd_bad(r, "features", "does not hold 1 to 16 features");
	if ((rc = acc_new(&acc, ctx, nf, &o)) != 0)
		return rc;
	*out = acc;
	acc->rows = rows;
	acc->scored = scored;
	for (uint32_t k = 0; k < nf; k++) {
		uint32_t nl;
		if ((rc = cf__mp_array(r, &n)) != 0)
			return rd_fail(r, rc, "feature", "an array");
		if (n != 2)
			return rd_bad(r, "feature", "does not have 2 elements");
		if ((rc = rd_str(r, "feature name", &s, &len)) != 0)
			return rc;
		if (len == 0)
			return rd_bad(r, "feature name", "is empty");
		for (uint32_t j = 0; j < k; j++)
			if (strlen(acc->f[j].name) == len && memcmp(acc->f[j].name, s, len) == 0)
				return rd_bad(r, "feature name", "is repeated");
		if ((acc->f[k].name = cf__malloc(ctx, (size_t)len + 1, "fairness feature name")) == NULL)
			return CF_ENOMEM;
		memcpy(acc->f[k].name, s, len);
		acc->f[k].name[len] = '\0';
		if ((rc = cf__mp_array(r, &nl)) != 0)
			return rd_fail(r, rc, "labels", "an array");
		for (uint32_t j = 0; j < nl; j++) {
			if ((rc = rd_str(r, "label", &s, &len)) != 0)
				return rc;
			if (cf__fair_label_find(&acc->f[k], s, len) >= 0)
				return rd_bad(r, "label", "is repeated");
			if ((rc = label_add(ctx, &acc->f[k], s, len)) != 0)
				return rc;
		}
		nlab[k] = nl;
	}
	if ((ncells = cells_for(nlab, nf)) == 0)
		return rd_bad(r, "labels", "make too many intersection cells");
	/* The bins below must hold 32 bytes per cell, so ncells is bounded by the input before any allocation. */
	if (ncells > cf__mp_left(r) / 32)
		return rd_fail(r, CF__MP_EOF, "counts", "a bin");
	{
		size_t old[CF__FAIR_MAX_FEATURES] = { 0 };
		if ((rc = relayout(acc, old)) != 0)
			return rc;
	}
	if ((rc = cf__mp_bin(r, &b, &blen)) != 0)
		return rd_fail(r, rc, "counts", "a bin");
	if (blen != ncells * 32)
		return rd_bad(r, "counts", "does not hold 4 counts per cell");
	for (size_t i = 0; i < ncells * 4; i++) {
		acc->n[i] = get_le64(b + 8 * i);
		if (acc->n[i] > rows - total)
			return rd_bad(r, "counts", "add up to more than rows");
		total += acc->n[i];
	}
	if (total != rows)
		return rd_bad(r, "counts", "do not add up to rows");
	if ((rc = cf__mp_bin(r, &b, &blen)) != 0)
		return rd_fail(r, rc, "weights", "a bin");
	if (blen != ncells * 32)
		return rd_bad(r, "weights", "do not hold 4 sums per cell");
	for (size_t i = 0; i < ncells * 4; i++)
		if (isnan(acc->w[i] = bitsd(get_le64(b + 8 * i))))
			return rd_bad(r, "weights", "hold a NaN");
	rc = cf__mp_nil(r);
	if (rc == CF__MP_EOF)
		return rd_fail(r, rc, "histograms", "nil or a bin");
	if (rc == CF__MP_TYPE) {
		if (o.auc_bins == 0 || !hist_fits(acc, ncells))
			return rd_bad(r, "histograms", "are present without auc_bins, or too large");
		if ((rc = cf__mp_bin(r, &b, &blen)) != 0)
			return rd_fail(r, rc, "histograms", "nil or a bin");
		if (blen != ncells * o.auc_bins * 16)
			return rd_bad(r, "histograms", "do not hold 2 x auc_bins sums per cell");
		if ((rc = hist_alloc(acc)) != 0)
			return rc;
		for (size_t i = 0; i < ncells * o.auc_bins * 2; i++)
			if (isnan(acc->hist[i] = bitsd(get_le64(b + 8 * i))))
				return rd_bad(r, "histograms", "hold a NaN");
	} else if (scored > 0 && o.auc_bins > 0) {
		return rd_bad(r, "histograms", "are missing although rows were scored");
	}
	return CF_OK;
}

int cf_fairness_from_msgpack(cf_fairness **out, cf_context *ctx, const void *data, size_t len)
{
	cf__mp r;
	cf_fairness *acc = NULL;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (data == NULL && len > 0)
		return cf__error_set(CF_EINVAL, "cf_fairness_from_msgpack: argument 'data' must not be NULL");
	r.base = r.p = data;
	r.end = r.base + len;
	rc = rd_acc(&r, &acc, ctx);
	if (rc == 0 && r.p != r.end)
		rc = cf__error_set(CF_EFORMAT, "fairness msgpack: %zu bytes of trailing data after the accumulator "
			"(byte %zu)", cf__mp_left(&r), cf__mp_offset(&r));
	if (rc != 0) {
		cf_fairness_free(acc);
		return rc;
	}
	*out = acc;
	return CF_OK;
}
