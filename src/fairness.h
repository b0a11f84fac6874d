/* Private view of the fairness module, shared by fairness.c (accumulator, msgpack) and fairness_report.c
 * (reports, disparities, JSON, one-shot evaluation). */
#ifndef CF_SRC_FAIRNESS_H
#define CF_SRC_FAIRNESS_H

#include <stdint.h>

#include "cogniforge/fairness.h"
#include "context.h"

#define CF__FAIR_MAX_FEATURES 16
#define CF__FAIR_MAX_CELLS ((size_t)1 << 24)      /* intersection cells of an accumulator */
#define CF__FAIR_MAX_HIST ((size_t)1 << 27)       /* histogram entries (cells x bins x 2) */
#define CF__FAIR_MAX_BINS (1u << 20)

/* Confusion cell of a row: 2 * y_true + y_pred. */
enum { CF__FAIR_TN = 0, CF__FAIR_FP = 1, CF__FAIR_FN = 2, CF__FAIR_TP = 3 };

typedef struct cf__fair_feature {
	char *name;
	char **labels;        /* in order of first appearance */
	size_t nlab, cap;
	uint32_t *slot;       /* hash index over labels: label index + 1, 0 = empty; nslots a power of two */
	size_t nslots;
} cf__fair_feature;

struct cf_fairness {
	cf_context *ctx;
	cf_fairness_options opts;
	size_t nf;
	cf__fair_feature *f;
	size_t ncells;        /* product of the label counts (1 with no labels yet); cell = sum label_f * stride_f,
	                         stride_0 = 1 (the first feature varies fastest) */
	uint64_t *n;          /* ncells x 4 row counts, by confusion cell */
	double *w;            /* ncells x 4 weight sums */
	double *hist;         /* ncells x auc_bins x 2 (negatives, positives) weight sums, or NULL */
	uint64_t rows;        /* rows added */
	uint64_t scored;      /* rows that came with a score */
};

/* The stride of feature k for label counts nlab[0..nf). */
size_t cf__fair_stride(const cf_fairness *acc, size_t k);

/* Index of a label in a feature, or -1. */
long cf__fair_label_find(const cf__fair_feature *f, const char *s, size_t len);

/* Validate options (code CF_EINVAL for callers, CF_EFORMAT for the reader), prefix names the source. */
int cf__fair_options_check(const cf_fairness_options *o, int code, const char *prefix);

/* AUC from a histogram of nbins x (neg, pos) weights: ties within a bin count ½ (Mann-Whitney). *err_out is
 * the bound ½ Σ_b P_b N_b / (P N) on the distance to the exact AUC. NaN (with *why) when P or N is 0. */
double cf__fair_hist_auc(const double *h, unsigned nbins, double *err_out, cf_fairness_undefined *why);

/* Exact weighted ROC AUC of the rows `rows` (or 0..n-1 when NULL) through cf_roc_auc_score() (metrics.h,
 * sklearn tie semantics). NaN with *why when a class is missing. Returns 0 or an error code. */
int cf__fair_auc_exact(double *out, cf_fairness_undefined *why, cf_context *ctx, const double *scores,
	const uint8_t *y, const double *w, const size_t *rows, size_t n);

#endif
