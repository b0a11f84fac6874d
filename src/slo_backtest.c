/* SLO backtesting (slo.h, docs/slo.md "Backtesting"): replay scraped cumulative counters through a multiwindow
 * multi-burn-rate policy at every evaluation step, either as exact ratios of sums or as PromQL computes
 * rate()/increase() (promql/functions.go, extrapolatedRate), and report alert intervals and the budget. */
#include "cogniforge/slo.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "context.h"

struct cf_slo_backtest {
	cf_context *ctx;
	cf_slo_backtest_options o;
	cf_slo_policy policy;
	double step_s, start, end;
	size_t steps;
	cf_slo_alert_interval *alerts;
	size_t alert_count, alert_cap;
	cf_slo_budget_point *budget;
	size_t budget_count;
	int paged, ticketed;
};

/* One counter: raw values, reset-corrected cumulative values, and resets seen up to each sample. */
typedef struct bt_counter {
	const double *v;
	double *c;
	size_t *resets;
} bt_counter;

int cf_slo_backtest_options_init(cf_slo_backtest_options *opts, unsigned int version)
{
	static const cf_slo_backtest_options init = CF_SLO_BACKTEST_OPTIONS_INIT;
	CF__CHECK_ARG(opts);
	if (version != CF_SLO_BACKTEST_OPTIONS_VERSION)
		return cf__error_set(CF_EVERSION, "cf_slo_backtest_options version %u (this library has %d)", version,
			CF_SLO_BACKTEST_OPTIONS_VERSION);
	*opts = init;
	return CF_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Index of the first sample with t > x (or t >= x when `inclusive`). */
static size_t first_after(const double *t, size_t n, double x, int inclusive)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (inclusive ? t[mid] < x : t[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Corrected counter value at time x: the last sample at or before x, or the first sample before any. */
static double counter_at(const bt_counter *k, const double *t, size_t n, double x)
{
	size_t j = first_after(t, n, x, 0);
	return j == 0 ? k->c[0] : k->c[j - 1];
}

/* PromQL rate(v[W]) at time T over samples [a, b] (indices, inclusive): extrapolatedRate. NaN: no result. */
static double prom_rate(const bt_counter *k, const double *t, size_t a, size_t b, double range_start,
	double range_end, double w)
{
	double result, to_start, to_end, sampled, avg, threshold, interval, last = 0;
	size_t j;

	if (b < a + 1)
		return NAN;
	result = k->v[b] - k->v[a];
	if (k->resets[b] != k->resets[a]) {
		for (j = a; j <= b; j++) {
			if (k->v[j] < last)
				result += last;
			last = k->v[j];
		}
	}
	to_start = t[a] - range_start;
	to_end = range_end - t[b];
	sampled = t[b] - t[a];
	avg = sampled / (double)(b - a);
	if (result > 0 && k->v[a] >= 0) {
		double to_zero = sampled * (k->v[a] / result);
		if (to_zero < to_start)
			to_start = to_zero;
	}
	threshold = avg * 1.1;
	interval = sampled;
	interval += to_start < threshold ? to_start : avg / 2;
	interval += to_end < threshold ? to_end : avg / 2;
	result = result * (interval / sampled);
	return result / w;
}

static int add_interval(cf_slo_backtest *bt, size_t pair, const cf_slo_window *w, double fired, double resolved)
{
	cf_slo_alert_interval *it;
	if (bt->alert_count == bt->alert_cap) {
		size_t cap = bt->alert_cap ? bt->alert_cap * 2 : 16;
		void *p = cf__realloc(bt->ctx, bt->alerts, cap * sizeof *bt->alerts, "slo backtest alerts");
		if (p == NULL)
			return CF_ENOMEM;
		bt->alerts = p;
		bt->alert_cap = cap;
	}
	it = &bt->alerts[bt->alert_count++];
	it->pair = pair;
	it->window = *w;
	it->fired_at = fired;
	it->resolved_at = resolved;
	return CF_OK;
}

static int cmp_interval(const void *a, const void *b)
{
	const cf_slo_alert_interval *x = a, *y = b;
	if (x->fired_at != y->fired_at)
		return x->fired_at < y->fired_at ? -1 : 1;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

static int prepare_counter(cf_context *ctx, bt_counter *k, const double *v, size_t n, const char *name)
{
	size_t j;
	if ((k->c = cf__calloc(ctx, n, sizeof *k->c, "slo backtest counter")) == NULL)
		return CF_ENOMEM;
	if ((k->resets = cf__calloc(ctx, n, sizeof *k->resets, "slo backtest counter")) == NULL)
		return CF_ENOMEM;
	k->v = v;
	for (j = 0; j < n; j++) {
		if (!(v[j] >= 0) || isinf(v[j]))
			return cf__error_set(CF_EINVAL, "slo backtest: sample %zu: %s %g is negative, NaN or infinite", j,
				name, v[j]);
		if (j == 0) {
			k->c[0] = v[0];
			continue;
		}
		k->resets[j] = k->resets[j - 1] + (v[j] < v[j - 1]);
		k->c[j] = k->c[j - 1] + (v[j] < v[j - 1] ? v[j] : v[j] - v[j - 1]);
	}
	return CF_OK;
}

/* Error ratio of window w at T; NaN when there is none. */
static double window_ratio(const cf_slo_backtest *bt, const bt_counter *tot, const bt_counter *err,
	const double *t, size_t n, double T, double w)
{
	if (bt->o.mode == CF_SLO_BACKTEST_PROMETHEUS) {
		size_t a = first_after(t, n, T - w, !bt->o.range_left_open), b = first_after(t, n, T, 0);
		double re, rt;
		if (b == 0)
			return NAN;
		b--;
		re = prom_rate(err, t, a, b, T - w, T, w);
		rt = prom_rate(tot, t, a, b, T - w, T, w);
		return re / rt;
	} else {
		double e = counter_at(err, t, n, T) - counter_at(err, t, n, T - w);
		double tt = counter_at(tot, t, n, T) - counter_at(tot, t, n, T - w);
		return tt > 0 ? e / tt : NAN;
	}
}

int cf_slo_backtest_run(cf_slo_backtest **out, cf_context *ctx, const cf_slo_backtest_options *opts,
	const double *t, const double *total, const double *errors, size_t n)
{
	cf_slo_backtest_options o = CF_SLO_BACKTEST_OPTIONS_INIT;
	cf_slo_backtest *bt = NULL;
	bt_counter tot = { 0 }, err = { 0 };
	double budget, open_at[CF_SLO_MAX_WINDOWS], sev_open[2] = { NAN, NAN };
	cf_slo_window sev_w[2];
	size_t j, s, p, every;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (opts) {
		if (opts->version != CF_SLO_BACKTEST_OPTIONS_VERSION)
			return cf__error_set(CF_EVERSION, "cf_slo_backtest_options version %u (this library has %d)",
				opts->version, CF_SLO_BACKTEST_OPTIONS_VERSION);
		o = *opts;
	}
	if (n < 1 || t == NULL || total == NULL || errors == NULL)
		return cf__error_set(CF_EINVAL, "slo backtest: no samples");
	if (!(o.objective > 0 && o.objective < 1))
		return cf__error_set(CF_EINVAL, "slo backtest: objective %g is outside (0, 1)", o.objective);
	if (!(o.period_s > 0) || isinf(o.period_s))
		return cf__error_set(CF_EINVAL, "slo backtest: period %g s is not positive and finite", o.period_s);
	if (!(o.step_s >= 0) || isinf(o.step_s))
		return cf__error_set(CF_EINVAL, "slo backtest: step %g s is negative or not finite", o.step_s);
	if (o.mode != CF_SLO_BACKTEST_EXACT && o.mode != CF_SLO_BACKTEST_PROMETHEUS)
		return cf__error_set(CF_EINVAL, "slo backtest: unknown mode %d", (int)o.mode);
	for (j = 0; j < n; j++) {
		if (!isfinite(t[j]))
			return cf__error_set(CF_EINVAL, "slo backtest: sample %zu: time is NaN or infinite", j);
		if (j > 0 && !(t[j] > t[j - 1]))
			return cf__error_set(CF_EINVAL, "slo backtest: sample %zu: time %.10g is not after %.10g (times must "
				"increase)", j, t[j], t[j - 1]);
	}
	if ((bt = cf__calloc(ctx, 1, sizeof *bt, "slo backtest")) == NULL)
		return CF_ENOMEM;
	bt->ctx = ctx;
	if (o.policy)
		bt->policy = *o.policy;
	else if ((rc = cf_slo_policy_preset(&bt->policy, o.preset ? o.preset : "google-30d")) != CF_OK)
		goto fail;
	if ((rc = cf_slo_policy_validate(&bt->policy, o.objective, o.period_s)) != CF_OK)
		goto fail;
	o.policy = NULL;
	o.preset = NULL;
	if ((rc = prepare_counter(ctx, &tot, total, n, "total")) != CF_OK ||
		(rc = prepare_counter(ctx, &err, errors, n, "errors")) != CF_OK)
		goto fail;
	if (o.step_s == 0) {
		o.step_s = 60;
		if (n >= 2) {
			double *d = cf__malloc(ctx, (n - 1) * sizeof *d, "slo backtest");
			if (d == NULL) {
				rc = CF_ENOMEM;
				goto fail;
			}
			for (j = 1; j < n; j++)
				d[j - 1] = t[j] - t[j - 1];
			qsort(d, n - 1, sizeof *d, cmp_double);
			o.step_s = d[(n - 1) / 2];
			cf__free(ctx, d);
		}
	}
	bt->o = o;
	bt->step_s = o.step_s;
	bt->start = t[0];
	bt->end = t[n - 1];
	bt->steps = (size_t)floor((t[n - 1] - t[0]) / o.step_s + 1e-9) + 1;
	every = o.budget_every ? o.budget_every : 1;
	if ((bt->budget = cf__calloc(ctx, bt->steps / every + 2, sizeof *bt->budget, "slo backtest budget")) == NULL) {
		rc = CF_ENOMEM;
		goto fail;
	}
	budget = 1.0 - o.objective;
	for (p = 0; p < bt->policy.count; p++)
		open_at[p] = NAN;
	memset(sev_w, 0, sizeof sev_w);
	sev_w[0].severity = CF_SLO_PAGE;
	sev_w[1].severity = CF_SLO_TICKET;
	for (s = 0; s < bt->steps; s++) {
		double T = t[0] + (double)s * o.step_s;
		int sev[2] = { 0, 0 };
		for (p = 0; p < bt->policy.count; p++) {
			const cf_slo_window *w = &bt->policy.windows[p];
			double thr = w->burn_rate * budget;
			double rs = window_ratio(bt, &tot, &err, t, n, T, w->short_s);
			double rl = window_ratio(bt, &tot, &err, t, n, T, w->long_s);
			int firing = rs > thr && rl > thr;
			if (firing) {
				sev[w->severity == CF_SLO_PAGE ? 0 : 1] = 1;
				if (isnan(open_at[p]))
					open_at[p] = T;
			} else if (!isnan(open_at[p])) {
				if ((rc = add_interval(bt, p, w, open_at[p], T)) != CF_OK)
					goto fail;
				open_at[p] = NAN;
			}
		}
		for (p = 0; p < 2; p++) {
			if (sev[p] && isnan(sev_open[p])) {
				sev_open[p] = T;
			} else if (!sev[p] && !isnan(sev_open[p])) {
				if ((rc = add_interval(bt, SIZE_MAX, &sev_w[p], sev_open[p], T)) != CF_OK)
					goto fail;
				sev_open[p] = NAN;
			}
		}
		bt->paged |= sev[0];
		bt->ticketed |= sev[1];
		if (s % every == 0 || s + 1 == bt->steps) {
			cf_slo_budget_point *b = &bt->budget[bt->budget_count++];
			b->t = T;
			b->total = counter_at(&tot, t, n, T) - counter_at(&tot, t, n, T - o.period_s);
			b->errors = counter_at(&err, t, n, T) - counter_at(&err, t, n, T - o.period_s);
			b->budget_consumed = b->total > 0 ? b->errors / b->total / budget : 0;
			b->budget_remaining = 1 - b->budget_consumed;
		}
	}
	for (p = 0; p < bt->policy.count; p++)
		if (!isnan(open_at[p]) && (rc = add_interval(bt, p, &bt->policy.windows[p], open_at[p], NAN)) != CF_OK)
			goto fail;
	for (p = 0; p < 2; p++)
		if (!isnan(sev_open[p]) && (rc = add_interval(bt, SIZE_MAX, &sev_w[p], sev_open[p], NAN)) != CF_OK)
			goto fail;
	if (bt->alert_count > 1)
		qsort(bt->alerts, bt->alert_count, sizeof *bt->alerts, cmp_interval);
	cf__free(ctx, tot.c);
	cf__free(ctx, tot.resets);
	cf__free(ctx, err.c);
	cf__free(ctx, err.resets);
	*out = bt;
	return CF_OK;
fail:
	cf__free(ctx, tot.c);
	cf__free(ctx, tot.resets);
	cf__free(ctx, err.c);
	cf__free(ctx, err.resets);
	cf_slo_backtest_free(bt);
	return rc;
}

void cf_slo_backtest_free(cf_slo_backtest *bt)
{
	if (bt == NULL)
		return;
	cf__free(bt->ctx, bt->alerts);
	cf__free(bt->ctx, bt->budget);
	cf__free(bt->ctx, bt);
}

size_t cf_slo_backtest_steps(const cf_slo_backtest *bt)
{
	return bt ? bt->steps : 0;
}

double cf_slo_backtest_step(const cf_slo_backtest *bt)
{
	return bt ? bt->step_s : NAN;
}

size_t cf_slo_backtest_alert_count(const cf_slo_backtest *bt)
{
	return bt ? bt->alert_count : 0;
}

int cf_slo_backtest_alert(cf_slo_alert_interval *out, const cf_slo_backtest *bt, size_t i)
{
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(bt);
	if (i >= bt->alert_count)
		return cf__error_set(CF_EINVAL, "slo backtest: alert %zu of %zu", i, bt->alert_count);
	*out = bt->alerts[i];
	return CF_OK;
}

size_t cf_slo_backtest_budget_count(const cf_slo_backtest *bt)
{
	return bt ? bt->budget_count : 0;
}

int cf_slo_backtest_budget(cf_slo_budget_point *out, const cf_slo_backtest *bt, size_t i)
{
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(bt);
	if (i >= bt->budget_count)
		return cf__error_set(CF_EINVAL, "slo backtest: budget sample %zu of %zu", i, bt->budget_count);
	*out = bt->budget[i];
	return CF_OK;
}

int cf_slo_backtest_paged(const cf_slo_backtest *bt)
{
	return bt ? bt->paged : 0;
}

int cf_slo_backtest_ticketed(const cf_slo_backtest *bt)
{
	return bt ? bt->ticketed : 0;
}

static int put_num(cf_buf *out, const char *sep, const char *key, double v)
{
	return isfinite(v) ? cf__buf_printf(out, "%s\"%s\":%.17g", sep, key, v) :
		cf__buf_printf(out, "%s\"%s\":null", sep, key);
}

int cf_slo_backtest_to_json(cf_buf *out, const cf_slo_backtest *bt)
{
	static const char *const sevs[2] = { "page", "ticket" };
	size_t i;
	int rc = 0;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(bt);
	rc |= cf__buf_printf(out, "{\"mode\":\"%s\"", bt->o.mode == CF_SLO_BACKTEST_PROMETHEUS ? "prometheus" : "exact");
	rc |= put_num(out, ",", "objective", bt->o.objective);
	rc |= put_num(out, ",", "period_s", bt->o.period_s);
	rc |= put_num(out, ",", "step_s", bt->step_s);
	rc |= put_num(out, ",", "start", bt->start);
	rc |= put_num(out, ",", "end", bt->end);
	rc |= cf__buf_printf(out, ",\"steps\":%zu,\"paged\":%s,\"ticketed\":%s,\"alerts\":[", bt->steps,
		bt->paged ? "true" : "false", bt->ticketed ? "true" : "false");
	for (i = 0; i < bt->alert_count; i++) {
		const cf_slo_alert_interval *a = &bt->alerts[i];
		rc |= cf__buf_printf(out, "%s{\"severity\":\"%s\"", i ? "," : "", sevs[a->window.severity == CF_SLO_PAGE ? 0 : 1]);
		if (a->pair == SIZE_MAX) {
			rc |= cf__buf_puts(out, ",\"pair\":null");
		} else {
			rc |= cf__buf_printf(out, ",\"pair\":%zu", a->pair);
			rc |= put_num(out, ",", "burn_rate", a->window.burn_rate);
			rc |= put_num(out, ",", "long_s", a->window.long_s);
			rc |= put_num(out, ",", "short_s", a->window.short_s);
		}
		rc |= put_num(out, ",", "fired_at", a->fired_at);
		rc |= put_num(out, ",", "resolved_at", a->resolved_at);
		rc |= cf__buf_puts(out, "}");
	}
	rc |= cf__buf_puts(out, "],\"budget\":[");
	for (i = 0; i < bt->budget_count; i++) {
		const cf_slo_budget_point *b = &bt->budget[i];
		rc |= put_num(out, i ? ",{" : "{", "t", b->t);
		rc |= put_num(out, ",", "total", b->total);
		rc |= put_num(out, ",", "errors", b->errors);
		rc |= put_num(out, ",", "budget_consumed", b->budget_consumed);
		rc |= put_num(out, ",", "budget_remaining", b->budget_remaining);
		rc |= cf__buf_puts(out, "}");
	}
	rc |= cf__buf_puts(out, "]}\n");
	return rc ? CF_ENOMEM : CF_OK;
}
