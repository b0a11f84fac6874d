/* Fairness reports (fairness.h): the per-group table of a grouping, marginalised from an accumulator's cells;
 * rates with the reason when undefined; fairlearn's difference / ratio / group extremes and equalized odds;
 * AIF360's privileged comparisons; JSON; and the one-shot cf_fairness_evaluate() with exact per-group AUC. */
#include "fairness.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cogniforge/metrics.h"
#include "sketch.h"

typedef struct rgroup {
	uint64_t n[4];          /* rows by confusion cell (CF__FAIR_TN, _FP, _FN, _TP) */
	double w[4];
	uint64_t count;
	double weight;
	int excluded;
	double auc, auc_err;
	cf_fairness_undefined auc_why;
} rgroup;

struct cf_fairness_report {
	cf_context *ctx;
	cf_fairness_options opts;
	size_t nf;
	char **fnames;
	size_t nlab[CF__FAIR_MAX_FEATURES];
	char **labels[CF__FAIR_MAX_FEATURES]; /* sorted copies */
	size_t ngroups;
	rgroup *g;                /* ngroups + 1: the overall row last */
	const char **glabels;     /* ngroups x nf */
	int exact_auc;            /* AUCs are exact (cf_fairness_evaluate) */
	double *ghist;            /* (ngroups + 1) x bins x 2 while building, or NULL */
};

/* ------------------------------------------------------------------------------------------------------------
 * Names.
 */
static const char *const metric_names[CF_FAIRNESS_NUM_METRICS] = {
	"selection_rate", "true_positive_rate", "false_positive_rate", "false_negative_rate", "true_negative_rate",
	"positive_predictive_value", "negative_predictive_value", "accuracy", "roc_auc", "count",
};

const char *cf_fairness_metric_name(cf_fairness_metric metric)
{
	if ((unsigned)metric >= CF_FAIRNESS_NUM_METRICS)
		return "unknown";
	return metric_names[metric];
}

int cf_fairness_metric_from_name(cf_fairness_metric *out, const char *name)
{
	static const struct { const char *name; cf_fairness_metric m; } aliases[] = {
		{ "tpr", CF_FAIRNESS_TPR }, { "recall", CF_FAIRNESS_TPR }, { "recall_score", CF_FAIRNESS_TPR },
		{ "sensitivity", CF_FAIRNESS_TPR }, { "fpr", CF_FAIRNESS_FPR }, { "fnr", CF_FAIRNESS_FNR },
		{ "tnr", CF_FAIRNESS_TNR }, { "specificity", CF_FAIRNESS_TNR }, { "ppv", CF_FAIRNESS_PPV },
		{ "precision", CF_FAIRNESS_PPV }, { "precision_score", CF_FAIRNESS_PPV }, { "npv", CF_FAIRNESS_NPV },
		{ "accuracy_score", CF_FAIRNESS_ACCURACY }, { "auc", CF_FAIRNESS_AUC },
		{ "roc_auc_score", CF_FAIRNESS_AUC },
	};

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(name);
	for (int i = 0; i < CF_FAIRNESS_NUM_METRICS; i++)
		if (strcmp(name, metric_names[i]) == 0) {
			*out = (cf_fairness_metric)i;
			return CF_OK;
		}
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(name, aliases[i].name) == 0) {
			*out = aliases[i].m;
			return CF_OK;
		}
	return cf__error_set(CF_EINVAL, "unknown fairness metric '%s'", name);
}

const char *cf_fairness_undefined_name(cf_fairness_undefined reason)
{
	switch (reason) {
	case CF_FAIRNESS_DEFINED: return "defined";
	case CF_FAIRNESS_EMPTY_GROUP: return "empty group";
	case CF_FAIRNESS_NO_POSITIVES: return "no positives";
	case CF_FAIRNESS_NO_NEGATIVES: return "no negatives";
	case CF_FAIRNESS_NO_PREDICTED_POSITIVES: return "no predicted positives";
	case CF_FAIRNESS_NO_PREDICTED_NEGATIVES: return "no predicted negatives";
	case CF_FAIRNESS_NO_SCORES: return "no scores";
	case CF_FAIRNESS_ZERO_DIVISOR: return "zero divisor";
	case CF_FAIRNESS_TOO_FEW_GROUPS: return "too few groups";
	}
	return "unknown";
}

/* ------------------------------------------------------------------------------------------------------------
 * AUC.
 */
double cf__fair_hist_auc(const double *h, unsigned nbins, double *err_out, cf_fairness_undefined *why)
{
	double P = 0, N = 0, below = 0, area = 0, ties = 0;

	for (unsigned b = 0; b < nbins; b++) {
		N += h[2 * b];
		P += h[2 * b + 1];
	}
	if (!(P > 0) || !(N > 0)) {
		*why = !(P > 0) ? CF_FAIRNESS_NO_POSITIVES : CF_FAIRNESS_NO_NEGATIVES;
		*err_out = NAN;
		return NAN;
	}
	for (unsigned b = 0; b < nbins; b++) {
		double nb = h[2 * b], pb = h[2 * b + 1];
		area += pb * (below + 0.5 * nb);
		ties += pb * nb;
		below += nb;
	}
	*why = CF_FAIRNESS_DEFINED;
	*err_out = 0.5 * ties / (P * N);
	return area / (P * N);
}

/* Exact AUC through the metrics module (cf_roc_auc_score: sklearn tie semantics), on the rows gathered. */
int cf__fair_auc_exact(double *out, cf_fairness_undefined *why, cf_context *ctx, const double *scores,
	const uint8_t *y, const double *w, const size_t *rows, size_t n)
{
	int64_t *yy;
	double *ss, *ww = NULL;
	unsigned int flags = 0;
	int rc;

	*out = NAN;
	if (n == 0) {
		*why = CF_FAIRNESS_EMPTY_GROUP;
		return CF_OK;
	}
	yy = cf__malloc(ctx, n * sizeof *yy, "AUC scratch");
	ss = cf__malloc(ctx, n * sizeof *ss, "AUC scratch");
	if (w)
		ww = cf__malloc(ctx, n * sizeof *ww, "AUC scratch");
	if (yy == NULL || ss == NULL || (w && ww == NULL)) {
		rc = CF_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t r = rows ? rows[i] : i;
		yy[i] = y[r] != 0;
		ss[i] = scores[r];
		if (ww)
			ww[i] = w[r];
	}
	rc = cf_roc_auc_score(out, &flags, yy, ss, CF_SCORE_FLOAT64, ww, n, NULL);
	if (rc == CF_OK) {
		if (flags & CF_METRIC_UNDEFINED_NO_POSITIVES)
			*why = CF_FAIRNESS_NO_POSITIVES;
		else if (flags & CF_METRIC_UNDEFINED_NO_NEGATIVES)
			*why = CF_FAIRNESS_NO_NEGATIVES;
		else
			*why = isnan(*out) ? CF_FAIRNESS_NO_POSITIVES : CF_FAIRNESS_DEFINED;
		if (*why != CF_FAIRNESS_DEFINED)
			*out = NAN;
	}
out:
	cf__free(ctx, yy);
	cf__free(ctx, ss);
	cf__free(ctx, ww);
	return rc;
}

/* ------------------------------------------------------------------------------------------------------------
 * Building a report from an accumulator.
 */
void cf_fairness_report_free(cf_fairness_report *rep)
{
	if (rep == NULL)
		return;
	for (size_t k = 0; k < rep->nf; k++) {
		if (rep->fnames)
			cf__free(rep->ctx, rep->fnames[k]);
		for (size_t j = 0; rep->labels[k] && j < rep->nlab[k]; j++)
			cf__free(rep->ctx, rep->labels[k][j]);
		cf__free(rep->ctx, rep->labels[k]);
	}
	cf__free(rep->ctx, rep->fnames);
	cf__free(rep->ctx, rep->g);
	cf__free(rep->ctx, rep->glabels);
	cf__free(rep->ctx, rep->ghist);
	cf__free(rep->ctx, rep);
}

static const char *const *sort_labels;

static int idx_cmp(const void *a, const void *b)
{
	return strcmp(sort_labels[*(const size_t *)a], sort_labels[*(const size_t *)b]);
}

/* Finish the groups: totals, exclusion, histogram AUC. */
static void finish_groups(cf_fairness_report *rep, const cf_fairness *acc)
{
	int auc_ok = acc->opts.auc_bins > 0 && acc->hist != NULL && acc->scored == acc->rows;

	for (size_t i = 0; i <= rep->ngroups; i++) {
		rgroup *g = &rep->g[i];
		g->count = g->n[0] + g->n[1] + g->n[2] + g->n[3];
		g->weight = g->w[0] + g->w[1] + g->w[2] + g->w[3];
		g->excluded = i < rep->ngroups && g->count < rep->opts.min_group_size;
		g->auc = g->auc_err = NAN;
		if (g->count == 0)
			g->auc_why = CF_FAIRNESS_EMPTY_GROUP;
		else if (!auc_ok)
			g->auc_why = CF_FAIRNESS_NO_SCORES;
		else
			g->auc = cf__fair_hist_auc(rep->ghist + i * acc->opts.auc_bins * 2, acc->opts.auc_bins, &g->auc_err,
				&g->auc_why);
	}
}

/* The report of features gi[0..k) of acc; pos_out[j] (when not NULL) receives, per grouping feature, the
 * report position of each accumulator label (-1 for labels without rows), allocated on acc's context. */
static int report_build(cf_fairness_report **out, const cf_fairness *acc, const size_t *gi, size_t k,
	long **pos_out)
{
	cf_fairness_report *rep;
	long *pos[CF__FAIR_MAX_FEATURES] = { NULL };
	size_t astride[CF__FAIR_MAX_FEATURES], gstride[CF__FAIR_MAX_FEATURES], bins = acc->opts.auc_bins;
	size_t j, c, ng;
	int rc = CF_ENOMEM, hist = acc->hist != NULL && bins > 0;

	*out = NULL;
	if ((rep = cf__calloc(acc->ctx, 1, sizeof *rep, "fairness report")) == NULL)
		return CF_ENOMEM;
	rep->ctx = acc->ctx;
	rep->opts = acc->opts;
	rep->nf = k;
	if ((rep->fnames = cf__calloc(acc->ctx, k, sizeof *rep->fnames, "fairness report")) == NULL)
		goto fail;
	for (j = 0; j < k; j++)
		if ((rep->fnames[j] = cf__strdup(acc->ctx, acc->f[gi[j]].name)) == NULL)
			goto fail;

	/* Labels with rows, sorted by bytes. */
	for (j = 0; j < k; j++) {
		const cf__fair_feature *f = &acc->f[gi[j]];
		size_t m = f->nlab ? f->nlab : 1, kept = 0, *order;
		uint64_t *marg = cf__calloc(acc->ctx, m, sizeof *marg, "fairness report");
		astride[j] = cf__fair_stride(acc, gi[j]);
		pos[j] = cf__malloc(acc->ctx, m * sizeof *pos[j], "fairness report");
		order = cf__malloc(acc->ctx, m * sizeof *order, "fairness report");
		rep->labels[j] = cf__calloc(acc->ctx, m, sizeof(char *), "fairness report");
		if (marg == NULL || pos[j] == NULL || order == NULL || rep->labels[j] == NULL) {
			cf__free(acc->ctx, marg);
			cf__free(acc->ctx, order);
			goto fail;
		}
		for (c = 0; c < acc->ncells; c++)
			if (f->nlab)
				marg[(c / astride[j]) % m] += acc->n[c * 4] + acc->n[c * 4 + 1] + acc->n[c * 4 + 2] +
					acc->n[c * 4 + 3];
		for (size_t l = 0; l < f->nlab; l++) {
			pos[j][l] = -1;
			if (marg[l])
				order[kept++] = l;
		}
		sort_labels = (const char *const *)f->labels;
		qsort(order, kept, sizeof *order, idx_cmp);
		for (size_t l = 0; l < kept; l++) {
			pos[j][order[l]] = (long)l;
			if ((rep->labels[j][l] = cf__strdup(acc->ctx, f->labels[order[l]])) == NULL) {
				cf__free(acc->ctx, marg);
				cf__free(acc->ctx, order);
				goto fail;
			}
			rep->nlab[j] = l + 1;
		}
		cf__free(acc->ctx, marg);
		cf__free(acc->ctx, order);
	}
	/* Groups: the product of the kept labels, the first feature varying slowest. */
	ng = 1;
	for (j = k; j-- > 0;) {
		gstride[j] = ng;
		ng *= rep->nlab[j];
	}
	rep->ngroups = ng;
	if ((rep->g = cf__calloc(acc->ctx, ng + 1, sizeof *rep->g, "fairness report groups")) == NULL ||
		(rep->glabels = cf__calloc(acc->ctx, ng * k + 1, sizeof *rep->glabels, "fairness report")) == NULL)
		goto fail;
	if (hist && (rep->ghist = cf__calloc(acc->ctx, (ng + 1) * bins * 2, sizeof *rep->ghist,
		"fairness report histograms")) == NULL)
		goto fail;
	for (size_t g = 0; g < ng; g++)
		for (j = 0; j < k; j++)
			rep->glabels[g * k + j] = rep->labels[j][(g / gstride[j]) % rep->nlab[j]];
	for (c = 0; c < acc->ncells; c++) {
		const uint64_t *n = &acc->n[c * 4];
		size_t g = 0;
		int skip = 0;
		if (n[0] + n[1] + n[2] + n[3] == 0)
			continue;
		for (j = 0; j < k; j++) {
			size_t m = acc->f[gi[j]].nlab ? acc->f[gi[j]].nlab : 1;
			long p = pos[j][(c / astride[j]) % m];
			if (p < 0) {
				skip = 1;
				break;
			}
			g += (size_t)p * gstride[j];
		}
		if (skip)
			continue;
		for (int q = 0; q < 4; q++) {
			rep->g[g].n[q] += n[q];
			rep->g[g].w[q] += acc->w[c * 4 + q];
			rep->g[ng].n[q] += n[q];
			rep->g[ng].w[q] += acc->w[c * 4 + q];
		}
		if (hist)
			for (size_t b = 0; b < 2 * bins; b++) {
				rep->ghist[g * bins * 2 + b] += acc->hist[c * bins * 2 + b];
				rep->ghist[ng * bins * 2 + b] += acc->hist[c * bins * 2 + b];
			}
	}
	finish_groups(rep, acc);
	cf__free(acc->ctx, rep->ghist);
	rep->ghist = NULL;
	for (j = 0; j < k; j++) {
		if (pos_out)
			pos_out[j] = pos[j];
		else
			cf__free(acc->ctx, pos[j]);
	}
	*out = rep;
	return CF_OK;
fail:
	for (j = 0; j < k; j++)
		cf__free(acc->ctx, pos[j]);
	cf_fairness_report_free(rep);
	return rc;
}

int cf_fairness_report_create(cf_fairness_report **out, const cf_fairness *acc, const char *const *features,
	size_t num_features)
{
	size_t gi[CF__FAIR_MAX_FEATURES], k;

	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(acc);
	if (num_features == 0) {
		for (k = 0; k < acc->nf; k++)
			gi[k] = k;
		return report_build(out, acc, gi, acc->nf, NULL);
	}
	CF__CHECK_ARG(features);
	if (num_features > acc->nf)
		return cf__error_set(CF_EINVAL, "cf_fairness_report_create: %zu features named, the accumulator has %zu",
			num_features, acc->nf);
	for (k = 0; k < num_features; k++) {
		size_t i;
		if (features[k] == NULL)
			return cf__error_set(CF_EINVAL, "cf_fairness_report_create: feature %zu is NULL", k);
		for (i = 0; i < acc->nf && strcmp(acc->f[i].name, features[k]) != 0; i++)
			;
		if (i == acc->nf)
			return cf__error_set(CF_ENOTFOUND, "cf_fairness_report_create: no sensitive feature '%s'", features[k]);
		for (size_t j = 0; j < k; j++)
			if (gi[j] == i)
				return cf__error_set(CF_EINVAL, "cf_fairness_report_create: feature '%s' is named twice",
					features[k]);
		gi[k] = i;
	}
	return report_build(out, acc, gi, num_features, NULL);
}

/* ------------------------------------------------------------------------------------------------------------
 * One-shot evaluation with exact AUC.
 */
static int exact_aucs(cf_fairness_report *rep, const cf_fairness *acc, const cf_fairness_data *d, long *const *pos)
{
	size_t n = d->length, ng = rep->ngroups, k = rep->nf, i, j;
	size_t *gid = NULL, *start = NULL, *rows = NULL, gstride[CF__FAIR_MAX_FEATURES], s = 1;
	long *cmap[CF__FAIR_MAX_FEATURES] = { NULL };
	int rc = CF_ENOMEM;

	for (j = k; j-- > 0;) {
		gstride[j] = s;
		s *= rep->nlab[j];
	}
	/* chunk code -> report position, through the accumulator's label index */
	for (j = 0; j < k; j++) {
		const cf_fairness_feature *f = &d->features[j];
		if ((cmap[j] = cf__malloc(rep->ctx, (f->num_labels + 1) * sizeof(long), "AUC scratch")) == NULL)
			goto out;
		for (size_t l = 0; l < f->num_labels; l++) {
			long a = f->labels[l] ? cf__fair_label_find(&acc->f[j], f->labels[l], strlen(f->labels[l])) : -1;
			cmap[j][l] = a < 0 ? -1 : pos[j][a];
		}
	}
	gid = cf__malloc(rep->ctx, (n ? n : 1) * sizeof *gid, "AUC scratch");
	rows = cf__malloc(rep->ctx, (n ? n : 1) * sizeof *rows, "AUC scratch");
	start = cf__calloc(rep->ctx, ng + 2, sizeof *start, "AUC scratch");
	if (gid == NULL || rows == NULL || start == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		size_t g = 0;
		for (j = 0; j < k; j++)
			g += (size_t)cmap[j][d->features[j].codes[i]] * gstride[j];
		gid[i] = g;
		start[g + 1]++;
	}
	for (i = 0; i < ng; i++)
		start[i + 1] += start[i];
	for (i = 0; i < n; i++)
		rows[start[gid[i]]++] = i;
	for (i = ng; i-- > 0;)
		start[i + 1] = start[i];
	start[0] = 0;
	for (size_t g = 0; g < ng; g++) {
		rgroup *G = &rep->g[g];
		if (G->count == 0)
			continue;
		if ((rc = cf__fair_auc_exact(&G->auc, &G->auc_why, rep->ctx, d->scores, d->y_true, d->weights,
			rows + start[g], start[g + 1] - start[g])) != 0)
			goto out;
		G->auc_err = isnan(G->auc) ? NAN : 0.0;
	}
	rc = cf__fair_auc_exact(&rep->g[ng].auc, &rep->g[ng].auc_why, rep->ctx, d->scores, d->y_true, d->weights,
		NULL, n);
	rep->g[ng].auc_err = isnan(rep->g[ng].auc) ? NAN : 0.0;
	rep->exact_auc = 1;
out:
	for (j = 0; j < k; j++)
		cf__free(rep->ctx, cmap[j]);
	cf__free(rep->ctx, gid);
	cf__free(rep->ctx, rows);
	cf__free(rep->ctx, start);
	return rc;
}

int cf_fairness_evaluate(cf_fairness_report **out, cf_context *ctx, const cf_fairness_data *data,
	const cf_fairness_options *opts)
{
	const char *names[CF__FAIR_MAX_FEATURES];
	cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT;
	cf_fairness *acc = NULL;
	cf_fairness_report *rep = NULL;
	long *pos[CF__FAIR_MAX_FEATURES] = { NULL };
	size_t gi[CF__FAIR_MAX_FEATURES], k;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(data);
	if (data->num_features == 0 || data->num_features > CF__FAIR_MAX_FEATURES || data->features == NULL)
		return cf__error_set(CF_EINVAL, "cf_fairness_evaluate: give 1 to %d sensitive features",
			CF__FAIR_MAX_FEATURES);
	if (opts)
		o = *opts;
	/* No histogram: the AUCs are computed exactly from the rows. */
	o.auc_bins = 0;
	for (k = 0; k < data->num_features; k++) {
		names[k] = data->features[k].name;
		gi[k] = k;
	}
	if ((rc = cf_fairness_create(&acc, ctx, names, data->num_features, &o)) != 0)
		return rc;
	if ((rc = cf_fairness_update(acc, data)) != 0)
		goto out;
	if ((rc = report_build(&rep, acc, gi, data->num_features, pos)) != 0)
		goto out;
	if (data->scores && data->length > 0 && (rc = exact_aucs(rep, acc, data, pos)) != 0)
		goto out;
	*out = rep;
	rep = NULL;
out:
	for (k = 0; k < data->num_features; k++)
		cf__free(ctx, pos[k]);
	cf_fairness_report_free(rep);
	cf_fairness_free(acc);
	return rc;
}

/* ------------------------------------------------------------------------------------------------------------
 * Accessors and values.
 */
size_t cf_fairness_report_num_groups(const cf_fairness_report *rep)
{
	return rep ? rep->ngroups : 0;
}

size_t cf_fairness_report_num_features(const cf_fairness_report *rep)
{
	return rep ? rep->nf : 0;
}

const char *cf_fairness_report_feature_name(const cf_fairness_report *rep, size_t index)
{
	return rep && index < rep->nf ? rep->fnames[index] : NULL;
}

static const rgroup *group_at(const cf_fairness_report *rep, size_t group)
{
	if (group == CF_FAIRNESS_OVERALL)
		return &rep->g[rep->ngroups];
	return group < rep->ngroups ? &rep->g[group] : NULL;
}

int cf_fairness_report_group(cf_fairness_group *out, const cf_fairness_report *rep, size_t group)
{
	const rgroup *g;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(rep);
	if ((g = group_at(rep, group)) == NULL)
		return cf__error_set(CF_EINVAL, "cf_fairness_report_group: group %zu is out of range (%zu groups)", group,
			rep->ngroups);
	memset(out, 0, sizeof *out);
	if (group != CF_FAIRNESS_OVERALL) {
		out->labels = rep->glabels + group * rep->nf;
		out->num_labels = rep->nf;
	}
	out->count = g->count;
	out->tn = g->n[CF__FAIR_TN];
	out->fp = g->n[CF__FAIR_FP];
	out->fn = g->n[CF__FAIR_FN];
	out->tp = g->n[CF__FAIR_TP];
	out->weight = g->weight;
	out->w_tn = g->w[CF__FAIR_TN];
	out->w_fp = g->w[CF__FAIR_FP];
	out->w_fn = g->w[CF__FAIR_FN];
	out->w_tp = g->w[CF__FAIR_TP];
	out->excluded = g->excluded;
	out->auc_error = g->auc_err;
	return CF_OK;
}

static double ratio_of(double num, double den, cf_fairness_undefined zero, cf_fairness_undefined *why)
{
	if (den == 0) {
		*why = zero;
		return NAN;
	}
	*why = CF_FAIRNESS_DEFINED;
	return num / den;
}

/* A metric of a group's counts. */
static double metric_of(const rgroup *g, cf_fairness_metric m, cf_fairness_undefined *why)
{
	const double *w = g->w;

	if (g->count == 0) {
		*why = CF_FAIRNESS_EMPTY_GROUP;
		return NAN;
	}
	switch (m) {
	case CF_FAIRNESS_SELECTION_RATE:
		return ratio_of(w[CF__FAIR_FP] + w[CF__FAIR_TP], g->weight, CF_FAIRNESS_EMPTY_GROUP, why);
	case CF_FAIRNESS_TPR:
		return ratio_of(w[CF__FAIR_TP], w[CF__FAIR_FN] + w[CF__FAIR_TP], CF_FAIRNESS_NO_POSITIVES, why);
	case CF_FAIRNESS_FPR:
		return ratio_of(w[CF__FAIR_FP], w[CF__FAIR_TN] + w[CF__FAIR_FP], CF_FAIRNESS_NO_NEGATIVES, why);
	case CF_FAIRNESS_FNR:
		return ratio_of(w[CF__FAIR_FN], w[CF__FAIR_FN] + w[CF__FAIR_TP], CF_FAIRNESS_NO_POSITIVES, why);
	case CF_FAIRNESS_TNR:
		return ratio_of(w[CF__FAIR_TN], w[CF__FAIR_TN] + w[CF__FAIR_FP], CF_FAIRNESS_NO_NEGATIVES, why);
	case CF_FAIRNESS_PPV:
		return ratio_of(w[CF__FAIR_TP], w[CF__FAIR_FP] + w[CF__FAIR_TP], CF_FAIRNESS_NO_PREDICTED_POSITIVES, why);
	case CF_FAIRNESS_NPV:
		return ratio_of(w[CF__FAIR_TN], w[CF__FAIR_TN] + w[CF__FAIR_FN], CF_FAIRNESS_NO_PREDICTED_NEGATIVES, why);
	case CF_FAIRNESS_ACCURACY:
		return ratio_of(w[CF__FAIR_TN] + w[CF__FAIR_TP], g->weight, CF_FAIRNESS_EMPTY_GROUP, why);
	case CF_FAIRNESS_AUC:
		*why = g->auc_why;
		return g->auc;
	case CF_FAIRNESS_COUNT:
		*why = CF_FAIRNESS_DEFINED;
		return (double)g->count;
	}
	*why = CF_FAIRNESS_EMPTY_GROUP;
	return NAN;
}

static int check_metric(cf_fairness_metric m, const char *func)
{
	if ((unsigned)m >= CF_FAIRNESS_NUM_METRICS)
		return cf__error_set(CF_EINVAL, "%s: unknown metric %d", func, (int)m);
	return CF_OK;
}

int cf_fairness_report_value(double *value_out, cf_fairness_undefined *reason_out, const cf_fairness_report *rep,
	size_t group, cf_fairness_metric metric)
{
	cf_fairness_undefined why;
	const rgroup *g;
	int rc;

	CF__CHECK_ARG(value_out);
	CF__CHECK_ARG(rep);
	if ((rc = check_metric(metric, "cf_fairness_report_value")) != 0)
		return rc;
	if ((g = group_at(rep, group)) == NULL)
		return cf__error_set(CF_EINVAL, "cf_fairness_report_value: group %zu is out of range (%zu groups)", group,
			rep->ngroups);
	*value_out = metric_of(g, metric, &why);
	if (reason_out)
		*reason_out = why;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Disparities.
 */
static void disp_init(cf_fairness_disparity *d)
{
	memset(d, 0, sizeof *d);
	d->value = NAN;
	d->reason = CF_FAIRNESS_TOO_FEW_GROUPS;
	d->group_min = d->group_max = CF_FAIRNESS_OVERALL;
}

/* Scan the groups: the smallest and largest defined values of the groups compared. */
static void scan(cf_fairness_disparity *d, const cf_fairness_report *rep, cf_fairness_metric m, double *mn,
	double *mx)
{
	disp_init(d);
	*mn = INFINITY;
	*mx = -INFINITY;
	for (size_t i = 0; i < rep->ngroups; i++) {
		const rgroup *g = &rep->g[i];
		cf_fairness_undefined why;
		double v;
		if (g->count > 0 && g->excluded) {
			d->groups_excluded++;
			continue;
		}
		v = metric_of(g, m, &why);
		if (isnan(v)) {
			d->groups_undefined++;
			continue;
		}
		d->groups_compared++;
		if (v < *mn || d->group_min == CF_FAIRNESS_OVERALL) {
			*mn = v;
			d->group_min = i;
		}
		if (v > *mx || d->group_max == CF_FAIRNESS_OVERALL) {
			*mx = v;
			d->group_max = i;
		}
	}
}

static int disparity(cf_fairness_disparity *out, const cf_fairness_report *rep, cf_fairness_metric m,
	cf_fairness_method method, int ratio, const char *func)
{
	cf_fairness_undefined why;
	double mn, mx, o;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(rep);
	if ((rc = check_metric(m, func)) != 0)
		return rc;
	if (method != CF_FAIRNESS_BETWEEN_GROUPS && method != CF_FAIRNESS_TO_OVERALL)
		return cf__error_set(CF_EINVAL, "%s: unknown method %d", func, (int)method);
	scan(out, rep, m, &mn, &mx);
	if (method == CF_FAIRNESS_BETWEEN_GROUPS) {
		if (out->groups_compared < 2)
			return CF_OK;
		out->reason = CF_FAIRNESS_DEFINED;
		if (!ratio) {
			out->value = mx - mn;
		} else if (mx == 0) {
			out->reason = CF_FAIRNESS_ZERO_DIVISOR;
		} else {
			out->value = mn / mx;
		}
		return CF_OK;
	}
	if (out->groups_compared < 1)
		return CF_OK;
	o = metric_of(&rep->g[rep->ngroups], m, &why);
	if (isnan(o)) {
		out->reason = why;
		return CF_OK;
	}
	out->reason = CF_FAIRNESS_DEFINED;
	if (!ratio) {
		/* max |m_g - overall| is reached at the smallest or the largest value */
		double a = fabs(mn - o), b = fabs(mx - o);
		out->value = a > b ? a : b;
		return CF_OK;
	}
	if (o == 0) {
		out->reason = CF_FAIRNESS_ZERO_DIVISOR;
		return CF_OK;
	}
	{
		double best = INFINITY;
		for (size_t i = 0; i < rep->ngroups; i++) {
			const rgroup *g = &rep->g[i];
			double v, r;
			if (g->count > 0 && g->excluded)
				continue;
			v = metric_of(g, m, &why);
			if (isnan(v))
				continue;
			r = v / o;
			if (r > 1)
				r = 1 / r;
			if (r < best)
				best = r;
		}
		out->value = best;
	}
	return CF_OK;
}

int cf_fairness_difference(cf_fairness_disparity *out, const cf_fairness_report *rep, cf_fairness_metric metric,
	cf_fairness_method method)
{
	return disparity(out, rep, metric, method, 0, "cf_fairness_difference");
}

int cf_fairness_ratio(cf_fairness_disparity *out, const cf_fairness_report *rep, cf_fairness_metric metric,
	cf_fairness_method method)
{
	return disparity(out, rep, metric, method, 1, "cf_fairness_ratio");
}

int cf_fairness_group_extreme(cf_fairness_disparity *out, const cf_fairness_report *rep, cf_fairness_metric metric,
	int largest)
{
	double mn, mx;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(rep);
	if ((rc = check_metric(metric, "cf_fairness_group_extreme")) != 0)
		return rc;
	scan(out, rep, metric, &mn, &mx);
	if (out->groups_compared > 0) {
		out->reason = CF_FAIRNESS_DEFINED;
		out->value = largest ? mx : mn;
	}
	return CF_OK;
}

int cf_fairness_equalized_odds(cf_fairness_disparity *out, const cf_fairness_report *rep, cf_fairness_method method,
	cf_fairness_agg agg, int ratio)
{
	cf_fairness_disparity t, f;
	int rc;

	CF__CHECK_ARG(out);
	if (agg != CF_FAIRNESS_WORST_CASE && agg != CF_FAIRNESS_MEAN)
		return cf__error_set(CF_EINVAL, "cf_fairness_equalized_odds: unknown agg %d", (int)agg);
	if ((rc = disparity(&t, rep, CF_FAIRNESS_TPR, method, ratio, "cf_fairness_equalized_odds")) != 0 ||
		(rc = disparity(&f, rep, CF_FAIRNESS_FPR, method, ratio, "cf_fairness_equalized_odds")) != 0)
		return rc;
	if (t.reason != CF_FAIRNESS_DEFINED || f.reason != CF_FAIRNESS_DEFINED) {
		*out = t.reason != CF_FAIRNESS_DEFINED ? t : f;
		out->value = NAN;
		return CF_OK;
	}
	if (agg == CF_FAIRNESS_MEAN) {
		*out = t;
		out->value = (t.value + f.value) / 2;
	} else if (ratio) {
		*out = f.value < t.value ? f : t;
	} else {
		*out = f.value > t.value ? f : t;
	}
	/* Groups compared: those defined for both parts is not tracked; report the larger exclusion counts. */
	out->groups_undefined = t.groups_undefined > f.groups_undefined ? t.groups_undefined : f.groups_undefined;
	return CF_OK;
}

static int privileged_parts(rgroup *u, const rgroup **p, cf_fairness_disparity *d, const cf_fairness_report *rep,
	size_t privileged, const char *func)
{
	CF__CHECK_ARG(d);
	CF__CHECK_ARG(rep);
	if (privileged >= rep->ngroups)
		return cf__error_set(CF_EINVAL, "%s: privileged group %zu is out of range (%zu groups)", func, privileged,
			rep->ngroups);
	disp_init(d);
	d->group_min = d->group_max = privileged;
	memset(u, 0, sizeof *u);
	*p = &rep->g[privileged];
	for (size_t i = 0; i < rep->ngroups; i++) {
		const rgroup *g = &rep->g[i];
		if (g->count > 0 && g->excluded) {
			d->groups_excluded++;
			continue;
		}
		if (i == privileged || g->count == 0)
			continue;
		d->groups_compared++;
		for (int q = 0; q < 4; q++) {
			u->n[q] += g->n[q];
			u->w[q] += g->w[q];
		}
	}
	u->count = u->n[0] + u->n[1] + u->n[2] + u->n[3];
	u->weight = u->w[0] + u->w[1] + u->w[2] + u->w[3];
	u->auc = NAN;
	u->auc_why = CF_FAIRNESS_NO_SCORES;
	return CF_OK;
}

int cf_fairness_privileged(cf_fairness_disparity *out, const cf_fairness_report *rep, cf_fairness_metric metric,
	size_t privileged, int ratio)
{
	cf_fairness_undefined wu, wp;
	const rgroup *p;
	rgroup u;
	double vu, vp;
	int rc;

	if ((rc = check_metric(metric, "cf_fairness_privileged")) != 0)
		return rc;
	if (metric == CF_FAIRNESS_AUC)
		return cf__error_set(CF_EINVAL, "cf_fairness_privileged: AUC cannot be pooled over groups");
	if ((rc = privileged_parts(&u, &p, out, rep, privileged, "cf_fairness_privileged")) != 0)
		return rc;
	if (p->excluded || p->count == 0 || u.count == 0)
		return CF_OK; /* too few groups */
	vu = metric_of(&u, metric, &wu);
	vp = metric_of(p, metric, &wp);
	if (isnan(vp) || isnan(vu)) {
		out->reason = isnan(vp) ? wp : wu;
		return CF_OK;
	}
	if (ratio && vp == 0) {
		out->reason = CF_FAIRNESS_ZERO_DIVISOR;
		return CF_OK;
	}
	out->reason = CF_FAIRNESS_DEFINED;
	out->value = ratio ? vu / vp : vu - vp;
	return CF_OK;
}

int cf_fairness_average_odds_difference(cf_fairness_disparity *out, const cf_fairness_report *rep, size_t privileged)
{
	cf_fairness_undefined w[4];
	const rgroup *p;
	rgroup u;
	double v[4];
	int rc;

	if ((rc = privileged_parts(&u, &p, out, rep, privileged, "cf_fairness_average_odds_difference")) != 0)
		return rc;
	if (p->excluded || p->count == 0 || u.count == 0)
		return CF_OK;
	v[0] = metric_of(&u, CF_FAIRNESS_FPR, &w[0]);
	v[1] = metric_of(p, CF_FAIRNESS_FPR, &w[1]);
	v[2] = metric_of(&u, CF_FAIRNESS_TPR, &w[2]);
	v[3] = metric_of(p, CF_FAIRNESS_TPR, &w[3]);
	for (int i = 0; i < 4; i++)
		if (isnan(v[i])) {
			out->reason = w[i];
			return CF_OK;
		}
	out->reason = CF_FAIRNESS_DEFINED;
	out->value = 0.5 * ((v[0] - v[1]) + (v[2] - v[3]));
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * JSON.
 */
static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *group_json(const cf_fairness_report *rep, size_t i)
{
	const rgroup *g = &rep->g[i];
	json_t *o = json_object(), *und = json_object();

	if (o == NULL || und == NULL) {
		json_decref(o);
		json_decref(und);
		return NULL;
	}
	if (i < rep->ngroups) {
		json_t *labels = json_object();
		for (size_t k = 0; k < rep->nf; k++)
			json_object_set_new(labels, rep->fnames[k], json_string(rep->glabels[i * rep->nf + k]));
		json_object_set_new(o, "labels", labels);
	}
	json_object_set_new(o, "count", json_integer((json_int_t)g->count));
	json_object_set_new(o, "weight", json_real(g->weight));
	json_object_set_new(o, "tp", json_integer((json_int_t)g->n[CF__FAIR_TP]));
	json_object_set_new(o, "fp", json_integer((json_int_t)g->n[CF__FAIR_FP]));
	json_object_set_new(o, "fn", json_integer((json_int_t)g->n[CF__FAIR_FN]));
	json_object_set_new(o, "tn", json_integer((json_int_t)g->n[CF__FAIR_TN]));
	if (i < rep->ngroups)
		json_object_set_new(o, "excluded", json_boolean(g->excluded));
	for (int m = 0; m < CF_FAIRNESS_NUM_METRICS; m++) {
		cf_fairness_undefined why;
		double v;
		if (m == CF_FAIRNESS_COUNT)
			continue;
		v = metric_of(g, (cf_fairness_metric)m, &why);
		json_object_set_new(o, metric_names[m], jnum(v));
		if (why != CF_FAIRNESS_DEFINED)
			json_object_set_new(und, metric_names[m], json_string(cf_fairness_undefined_name(why)));
	}
	json_object_set_new(o, "auc_error", jnum(g->auc_err));
	if (json_object_size(und))
		json_object_set_new(o, "undefined", und);
	else
		json_decref(und);
	return o;
}

/* {"between_groups": v, "to_overall": v[, "undefined": {...}]} */
static json_t *pair_json(const cf_fairness_report *rep, cf_fairness_metric m, int ratio, int eo, cf_fairness_agg agg)
{
	static const char *const methods[2] = { "between_groups", "to_overall" };
	json_t *o = json_object(), *und = json_object();

	for (int i = 0; i < 2; i++) {
		cf_fairness_disparity d;
		if (eo)
			cf_fairness_equalized_odds(&d, rep, (cf_fairness_method)i, agg, ratio);
		else
			disparity(&d, rep, m, (cf_fairness_method)i, ratio, "cf_fairness_report_to_json");
		json_object_set_new(o, methods[i], jnum(d.value));
		if (d.reason != CF_FAIRNESS_DEFINED)
			json_object_set_new(und, methods[i], json_string(cf_fairness_undefined_name(d.reason)));
	}
	if (json_object_size(und))
		json_object_set_new(o, "undefined", und);
	else
		json_decref(und);
	return o;
}

int cf_fairness_report_to_json(cf_buf *out, const cf_fairness_report *rep)
{
	json_t *root, *feats, *groups, *disp;
	cf_fairness_disparity di;
	char *text;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(rep);
	root = json_object();
	feats = json_array();
	groups = json_array();
	disp = json_object();
	if (root == NULL || feats == NULL || groups == NULL || disp == NULL) {
		json_decref(root);
		json_decref(feats);
		json_decref(groups);
		json_decref(disp);
		return cf__error_oom("fairness JSON");
	}
	for (size_t k = 0; k < rep->nf; k++)
		json_array_append_new(feats, json_string(rep->fnames[k]));
	json_object_set_new(root, "features", feats);
	json_object_set_new(root, "min_group_size", json_integer((json_int_t)rep->opts.min_group_size));
	json_object_set_new(root, "auc", json_string(rep->exact_auc ? "exact" :
		rep->g[rep->ngroups].auc_why == CF_FAIRNESS_NO_SCORES ? "none" : "histogram"));
	json_object_set_new(root, "overall", group_json(rep, rep->ngroups));
	for (size_t i = 0; i < rep->ngroups; i++)
		json_array_append_new(groups, group_json(rep, i));
	json_object_set_new(root, "groups", groups);
	json_object_set_new(disp, "demographic_parity_difference", pair_json(rep, CF_FAIRNESS_SELECTION_RATE, 0, 0, 0));
	json_object_set_new(disp, "demographic_parity_ratio", pair_json(rep, CF_FAIRNESS_SELECTION_RATE, 1, 0, 0));
	json_object_set_new(disp, "equalized_odds_difference", pair_json(rep, 0, 0, 1, CF_FAIRNESS_WORST_CASE));
	json_object_set_new(disp, "equalized_odds_ratio", pair_json(rep, 0, 1, 1, CF_FAIRNESS_WORST_CASE));
	json_object_set_new(disp, "equalized_odds_difference_mean", pair_json(rep, 0, 0, 1, CF_FAIRNESS_MEAN));
	json_object_set_new(disp, "equalized_odds_ratio_mean", pair_json(rep, 0, 1, 1, CF_FAIRNESS_MEAN));
	json_object_set_new(disp, "equal_opportunity_difference", pair_json(rep, CF_FAIRNESS_TPR, 0, 0, 0));
	json_object_set_new(disp, "equal_opportunity_ratio", pair_json(rep, CF_FAIRNESS_TPR, 1, 0, 0));
	json_object_set_new(disp, "predictive_parity_difference", pair_json(rep, CF_FAIRNESS_PPV, 0, 0, 0));
	json_object_set_new(disp, "predictive_parity_ratio", pair_json(rep, CF_FAIRNESS_PPV, 1, 0, 0));
	json_object_set_new(disp, "accuracy_difference", pair_json(rep, CF_FAIRNESS_ACCURACY, 0, 0, 0));
	json_object_set_new(disp, "roc_auc_difference", pair_json(rep, CF_FAIRNESS_AUC, 0, 0, 0));
	disparity(&di, rep, CF_FAIRNESS_SELECTION_RATE, CF_FAIRNESS_BETWEEN_GROUPS, 1, "cf_fairness_report_to_json");
	{
		json_t *ff = json_object();
		json_object_set_new(ff, "disparate_impact", jnum(di.value));
		json_object_set_new(ff, "threshold", json_real(CF_FAIRNESS_FOUR_FIFTHS));
		json_object_set_new(ff, "passes", isnan(di.value) ? json_null() :
			json_boolean(di.value >= CF_FAIRNESS_FOUR_FIFTHS));
		if (di.group_min != CF_FAIRNESS_OVERALL && di.reason == CF_FAIRNESS_DEFINED) {
			json_object_set_new(ff, "lowest_group", json_integer((json_int_t)di.group_min));
			json_object_set_new(ff, "highest_group", json_integer((json_int_t)di.group_max));
		}
		json_object_set_new(disp, "four_fifths_rule", ff);
	}
	json_object_set_new(root, "disparities", disp);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(root);
	if (text == NULL)
		return cf__error_oom("fairness JSON");
	rc = cf__buf_puts(out, text);
	if (rc == 0)
		rc = cf__buf_puts(out, "\n");
	free(text);
	return rc;
}
