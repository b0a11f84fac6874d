/* Private interface of the drift module: the weighted sorted samples that both the array functions (drift.c)
 * and the reference profiles (drift_profile.c) run the tests on. */
#ifndef CF_SRC_DRIFT_H
#define CF_SRC_DRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/drift.h"
#include "context.h"

/* A sample as distinct values in ascending order with weights (counts). w == NULL: every weight is 1. For
 * categorical samples the values are category keys (ordered arbitrarily but consistently). */
typedef struct cf__wsample {
	const double *v;
	const double *w;
	size_t n;        /* entries */
	double total;    /* sum of the weights */
	int exact;       /* weights are exact counts */
} cf__wsample;

/* Moments for Evidently's std (ddof 0) and the sturges range, of the numeric reference. */
typedef struct cf__wmoments {
	double mean, m2, min, max;
} cf__wmoments;

/* Run the test for one column (method resolved from AUTO here). `ref_unique_exact`: whether ref->n is the true
 * number of distinct reference values. mom: reference moments (NULL: computed from ref). */
int cf__drift_run(cf_drift_result *out, const cf__wsample *ref, const cf__wsample *cur, int categorical,
	const cf__wmoments *mom, const cf_drift_options *opts);

/* Sort doubles ascending with an LSD radix sort (no NaN). scratch: 2n uint64, or NULL to allocate. */
void cf__drift_sort(double *v, uint64_t *scratch, size_t n);

/* Drop NaN (and infinities when drop_inf) from src into dst; returns the count kept. */
size_t cf__drift_clean(double *dst, const double *src, size_t n, int drop_inf);

/* Collapse a sorted array into distinct values (in place) and counts; returns the number of distinct values. */
size_t cf__drift_rle(double *v, double *w, size_t n);

int cf__drift_options_get(cf_drift_options *o, const cf_drift_options *opts);

#endif
