/* Rollout decisions (rollout.h), part 2: the Mann-Whitney U test and the Kayenta-style judge, the Istio-style
 * outlier-detection breaker and retry arithmetic, and the rollback plan. Semantics: docs/rollout.md. */
#include "cogniforge/rollout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "context.h"

#define RO_MAX_JUDGE 1024
#define RO_MAX_PAIRS ((size_t)1 << 24)
#define RO_MAX_HOSTS 65536

/* ------------------------------------------------------------------------------------------------------------
 * Mann-Whitney U.
 */
struct ro_item {
	double v;
	int group;
};

static int item_cmp(const void *a, const void *b)
{
	double x = ((const struct ro_item *)a)->v, y = ((const struct ro_item *)b)->v;
	return (x > y) - (x < y);
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Mann-Whitney over finite samples, as scipy.stats.mannwhitneyu(x, y, method='asymptotic'). */
static int mw_core(cf_rollout_mw *out, const double *x, size_t nx, const double *y, size_t ny)
{
	size_t n = nx + ny, i, j;
	struct ro_item *it = malloc(n * sizeof *it);
	double r1 = 0, tie = 0, n1 = (double)nx, n2 = (double)ny, N = (double)n, u1, u2, u, mu, s;
	if (it == NULL)
		return cf__error_oom("mann-whitney ranks");
	for (i = 0; i < nx; i++) {
		it[i].v = x[i];
		it[i].group = 0;
	}
	for (i = 0; i < ny; i++) {
		it[nx + i].v = y[i];
		it[nx + i].group = 1;
	}
	qsort(it, n, sizeof *it, item_cmp);
	for (i = 0; i < n; i = j) {
		double t, avg;
		size_t k;
		for (j = i + 1; j < n && it[j].v == it[i].v; j++)
			;
		t = (double)(j - i);
		avg = ((double)i + 1 + (double)j) / 2.0;
		for (k = i; k < j; k++)
			if (it[k].group == 0)
				r1 += avg;
		tie += t * t * t - t;
	}
	free(it);
	u1 = r1 - n1 * (n1 + 1) / 2.0;
	u2 = n1 * n2 - u1;
	u = u1 > u2 ? u1 : u2;
	mu = n1 * n2 / 2.0;
	s = sqrt(n1 * n2 / 12.0 * ((N + 1) - tie / (N * (N - 1))));
	out->u = u1;
	if (!(s > 0)) {
		out->z = 0;
		out->p_value = 1;
		return CF_OK;
	}
	out->z = (u - mu - 0.5) / s;
	out->p_value = erfc(out->z / sqrt(2.0));
	if (out->p_value > 1)
		out->p_value = 1;
	if (out->p_value < 0)
		out->p_value = 0;
	return CF_OK;
}

static int check_sample(const double *v, size_t n, const char *fn, const char *name)
{
	size_t i;
	if (n == 0)
		return cf__error_set(CF_EINVAL, "%s: sample %s is empty", fn, name);
	if (v == NULL)
		return cf__error_set(CF_EINVAL, "%s: argument '%s' must not be NULL", fn, name);
	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return cf__error_set(CF_EINVAL, "%s: %s[%zu] = %g is not finite", fn, name, i, v[i]);
	return CF_OK;
}

int cf_rollout_mann_whitney(cf_rollout_mw *out, const double *x, size_t nx, const double *y, size_t ny)
{
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = check_sample(x, nx, __func__, "x")) != 0 || (rc = check_sample(y, ny, __func__, "y")) != 0)
		return rc;
	if (nx + ny < 2)
		return cf__error_set(CF_EINVAL, "%s: need at least two values in all", __func__);
	return mw_core(out, x, nx, y, ny);
}

/* Standard normal quantile by bisection on erfc (accurate to ~1e-12; only used for the interval). */
static double norm_ppf(double p)
{
	double lo = -40, hi = 40;
	int i;
	for (i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		if (0.5 * erfc(-mid / sqrt(2.0)) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* ------------------------------------------------------------------------------------------------------------
 * Kayenta-style judge.
 */
int cf_rollout_judge_options_init(cf_rollout_judge_options *opts, unsigned int version)
{
	static const cf_rollout_judge_options defaults = CF_ROLLOUT_JUDGE_OPTIONS_INIT;
	int rc;
	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_ROLLOUT_JUDGE_OPTIONS_VERSION, "cf_rollout_judge_options")) != 0)
		return rc;
	*opts = defaults;
	return CF_OK;
}

/* Copy the finite values of v into a new array; *m gets their number. */
static double *finite_copy(const double *v, size_t n, size_t *m)
{
	double *c = malloc((n ? n : 1) * sizeof *c);
	size_t i;
	*m = 0;
	if (c == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			c[(*m)++] = v[i];
	return c;
}

static double mean_of(const double *v, size_t n)
{
	double s = 0;
	size_t i;
	for (i = 0; i < n; i++)
		s += v[i];
	return s / (double)n;
}

static int judge_one(cf_rollout_judge_metric_result *r, const cf_rollout_judge_metric *jm,
	const cf_rollout_judge_options *o)
{
	size_t nc, ne, i, j, np, k;
	double *c = finite_copy(jm->control, jm->n_control, &nc);
	double *e = finite_copy(jm->experiment, jm->n_experiment, &ne);
	double *d = NULL, mc, me, z, half, bound;
	cf_rollout_mw mw;
	int rc = CF_OK;

	memset(r, 0, sizeof *r);
	r->estimate = r->ci_lower = r->ci_upper = r->mean_ratio = NAN;
	r->p_value = NAN;
	if (c == NULL || e == NULL) {
		rc = cf__error_oom("judge samples");
		goto done;
	}
	if (nc == 0 || ne == 0) {
		r->classification = CF_ROLLOUT_NODATA;
		goto done;
	}
	np = nc * ne;
	if (np > RO_MAX_PAIRS) {
		rc = cf__error_set(CF_EINVAL, "cf_rollout_judge: metric '%s': %zu x %zu samples exceed %zu pairs",
			jm->name, nc, ne, RO_MAX_PAIRS);
		goto done;
	}
	if ((rc = mw_core(&mw, e, ne, c, nc)) != 0)
		goto done;
	r->p_value = mw.p_value;
	mc = mean_of(c, nc);
	me = mean_of(e, ne);
	r->mean_ratio = mc == 0 ? 1.0 : me / mc; /* Kayenta's calculateDeviation */
	/* Hodges-Lehmann shift and its distribution-free interval from the pairwise differences. */
	d = malloc(np * sizeof *d);
	if (d == NULL) {
		rc = cf__error_oom("judge differences");
		goto done;
	}
	for (i = 0, k = 0; i < ne; i++)
		for (j = 0; j < nc; j++)
			d[k++] = e[i] - c[j];
	qsort(d, np, sizeof *d, dbl_cmp);
	r->estimate = np % 2 ? d[np / 2] : (d[np / 2 - 1] + d[np / 2]) / 2;
	z = norm_ppf(1 - (1 - o->conf_level) / 2);
	half = z * sqrt((double)nc * (double)ne * ((double)nc + (double)ne + 1) / 12.0);
	{
		double kk = floor((double)np / 2.0 - half);
		size_t lo = kk < 1 ? 0 : (size_t)kk - 1, hi = np - 1 - lo;
		r->ci_lower = d[lo];
		r->ci_upper = d[hi];
	}
	bound = o->tolerance * fabs(r->estimate);
	r->classification = CF_ROLLOUT_PASS;
	if (jm->direction != CF_ROLLOUT_DECREASE && r->ci_lower > bound && r->mean_ratio >= o->allowed_increase)
		r->classification = CF_ROLLOUT_HIGH;
	else if (jm->direction != CF_ROLLOUT_INCREASE && r->ci_upper < -bound && r->mean_ratio <= o->allowed_decrease)
		r->classification = CF_ROLLOUT_LOW;
done:
	free(c);
	free(e);
	free(d);
	return rc;
}

int cf_rollout_judge(double *score_out, cf_rollout_verdict *verdict_out,
	cf_rollout_judge_metric_result *results_out, const cf_rollout_judge_metric *metrics, size_t n,
	const cf_rollout_judge_options *opts)
{
	static const cf_rollout_judge_options defaults = CF_ROLLOUT_JUDGE_OPTIONS_INIT;
	cf_rollout_judge_options o = defaults;
	double wpass = 0, wall = 0, score;
	size_t i, nodata = 0;
	int rc, critical_bad = 0;

	CF__CHECK_ARG(score_out);
	CF__CHECK_ARG(verdict_out);
	CF__CHECK_ARG(metrics);
	if (opts != NULL) {
		if ((rc = cf__options_version_check(opts->version, CF_ROLLOUT_JUDGE_OPTIONS_VERSION,
			"cf_rollout_judge_options")) != 0)
			return rc;
		o = *opts;
	}
	if (!(o.tolerance >= 0) || isinf(o.tolerance))
		return cf__error_set(CF_EINVAL, "cf_rollout_judge_options.tolerance: %g is negative or not finite",
			o.tolerance);
	if (!(o.conf_level > 0 && o.conf_level < 1))
		return cf__error_set(CF_EINVAL, "cf_rollout_judge_options.conf_level: %g is outside (0, 1)", o.conf_level);
	if (!isfinite(o.allowed_increase) || !isfinite(o.allowed_decrease))
		return cf__error_set(CF_EINVAL, "cf_rollout_judge_options: allowed_increase/decrease must be finite");
	if (!(o.marginal_threshold >= 0 && o.marginal_threshold <= o.pass_threshold && o.pass_threshold <= 100))
		return cf__error_set(CF_EINVAL, "cf_rollout_judge_options: need 0 <= marginal_threshold (%g) <= "
			"pass_threshold (%g) <= 100", o.marginal_threshold, o.pass_threshold);
	if (n == 0 || n > RO_MAX_JUDGE)
		return cf__error_set(CF_EINVAL, "%s: %zu metrics (1 to %d allowed)", __func__, n, RO_MAX_JUDGE);
	for (i = 0; i < n; i++) {
		const cf_rollout_judge_metric *m = &metrics[i];
		if (m->name == NULL || (m->control == NULL && m->n_control) || (m->experiment == NULL && m->n_experiment))
			return cf__error_set(CF_EINVAL, "%s: metric %zu has a NULL name or sample", __func__, i);
		if (!(m->weight >= 0) || isinf(m->weight))
			return cf__error_set(CF_EINVAL, "%s: metric '%s' weight %g is negative or not finite", __func__,
				m->name, m->weight);
		if ((unsigned)m->direction > CF_ROLLOUT_DECREASE)
			return cf__error_set(CF_EINVAL, "%s: metric '%s' has unknown direction %d", __func__, m->name,
				(int)m->direction);
	}
	for (i = 0; i < n; i++) {
		cf_rollout_judge_metric_result r;
		double w = metrics[i].weight > 0 ? metrics[i].weight : 1;
		if ((rc = judge_one(&r, &metrics[i], &o)) != 0)
			return rc;
		if (results_out != NULL)
			results_out[i] = r;
		if (r.classification == CF_ROLLOUT_NODATA) {
			nodata++;
			critical_bad |= metrics[i].critical;
			continue;
		}
		wall += w;
		if (r.classification == CF_ROLLOUT_PASS)
			wpass += w;
		else if (metrics[i].critical)
			critical_bad = 1;
	}
	score = wall > 0 ? 100.0 * wpass / wall : 100.0;
	if (critical_bad || 2 * nodata >= n)
		score = 0;
	score = round(score * 100) / 100;
	*score_out = score;
	*verdict_out = score >= o.pass_threshold ? CF_ROLLOUT_VERDICT_PASS :
		score >= o.marginal_threshold ? CF_ROLLOUT_VERDICT_MARGINAL : CF_ROLLOUT_VERDICT_FAIL;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Circuit breaker: Envoy outlier detection as Istio configures it.
 */
struct ro_host {
	int consecutive;      /* consecutive errors */
	int ejections;        /* ejection multiplier */
	int ejected;
	double until;         /* end of the current ejection */
	double healthy_since; /* when it last returned (for the multiplier decay) */
};

struct cf_rollout_breaker {
	cf_context *ctx;
	cf_rollout_breaker_options o;
	double last_t;
	size_t n, active;
	struct ro_host h[];
};

int cf_rollout_breaker_options_init(cf_rollout_breaker_options *opts, unsigned int version)
{
	static const cf_rollout_breaker_options defaults = CF_ROLLOUT_BREAKER_OPTIONS_INIT;
	int rc;
	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_ROLLOUT_BREAKER_OPTIONS_VERSION,
		"cf_rollout_breaker_options")) != 0)
		return rc;
	*opts = defaults;
	return CF_OK;
}

static int check_breaker_opts(const cf_rollout_breaker_options *o)
{
	int rc;
	if ((rc = cf__options_version_check(o->version, CF_ROLLOUT_BREAKER_OPTIONS_VERSION,
		"cf_rollout_breaker_options")) != 0)
		return rc;
	if (o->consecutive_5xx < 0)
		return cf__error_set(CF_EINVAL, "cf_rollout_breaker_options.consecutive_5xx: %d is negative",
			o->consecutive_5xx);
	if (!(o->interval_s > 0) || isinf(o->interval_s) || !(o->base_ejection_s > 0) || isinf(o->base_ejection_s) ||
		!(o->max_ejection_s >= o->base_ejection_s) || isinf(o->max_ejection_s))
		return cf__error_set(CF_EINVAL, "cf_rollout_breaker_options: interval_s, base_ejection_s must be "
			"positive and finite, and max_ejection_s (%g) >= base_ejection_s (%g)", o->max_ejection_s,
			o->base_ejection_s);
	if (!(o->max_ejection_percent >= 0 && o->max_ejection_percent <= 100))
		return cf__error_set(CF_EINVAL, "cf_rollout_breaker_options.max_ejection_percent: %g is outside "
			"[0, 100]", o->max_ejection_percent);
	if (o->retry_attempts < 0)
		return cf__error_set(CF_EINVAL, "cf_rollout_breaker_options.retry_attempts: %d is negative",
			o->retry_attempts);
	if (!(o->per_try_timeout_s == 0 || o->per_try_timeout_s >= 0.001) || isinf(o->per_try_timeout_s))
		return cf__error_set(CF_EINVAL, "cf_rollout_breaker_options.per_try_timeout_s: %g is neither 0 nor "
			">= 1 ms", o->per_try_timeout_s);
	if (!(o->timeout_s >= 0) || isinf(o->timeout_s))
		return cf__error_set(CF_EINVAL, "cf_rollout_breaker_options.timeout_s: %g is negative or not finite",
			o->timeout_s);
	return CF_OK;
}

int cf_rollout_breaker_create(cf_rollout_breaker **out, cf_context *ctx, size_t n_hosts,
	const cf_rollout_breaker_options *opts)
{
	static const cf_rollout_breaker_options defaults = CF_ROLLOUT_BREAKER_OPTIONS_INIT;
	cf_rollout_breaker *b;
	int rc;
	CF__CHECK_ARG(out);
	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	if ((rc = check_breaker_opts(opts)) != 0)
		return rc;
	if (n_hosts == 0 || n_hosts > RO_MAX_HOSTS)
		return cf__error_set(CF_EINVAL, "%s: %zu hosts (1 to %d allowed)", __func__, n_hosts, RO_MAX_HOSTS);
	b = cf__calloc(ctx, 1, sizeof *b + n_hosts * sizeof b->h[0], "rollout breaker");
	if (b == NULL)
		return CF_ENOMEM;
	b->ctx = ctx;
	b->o = *opts;
	b->n = n_hosts;
	*out = b;
	return CF_OK;
}

void cf_rollout_breaker_free(cf_rollout_breaker *breaker)
{
	if (breaker == NULL)
		return;
	cf__free(breaker->ctx, breaker);
}

/* Return hosts whose ejection expired by t, and decay multipliers (one per full interval healthy). */
static void breaker_advance(cf_rollout_breaker *b, struct ro_host *h, double t)
{
	if (h->ejected && t >= h->until) {
		h->ejected = 0;
		h->consecutive = 0;
		h->healthy_since = h->until;
		b->active--;
	}
	if (!h->ejected && h->ejections > 0) {
		double k = floor((t - h->healthy_since) / b->o.interval_s);
		if (k >= 1) {
			h->ejections = k >= h->ejections ? 0 : h->ejections - (int)k;
			h->healthy_since += k * b->o.interval_s;
		}
	}
}

int cf_rollout_breaker_record(int *ejected_out, cf_rollout_breaker *breaker, size_t host, double t, int status)
{
	struct ro_host *h;
	int err;
	CF__CHECK_ARG(breaker);
	if (ejected_out != NULL)
		*ejected_out = 0;
	if (host >= breaker->n)
		return cf__error_set(CF_EINVAL, "%s: host %zu out of range (%zu hosts)", __func__, host, breaker->n);
	if (!isfinite(t) || t < breaker->last_t)
		return cf__error_set(CF_EINVAL, "%s: time %g is not finite or earlier than the previous %g", __func__, t,
			breaker->last_t);
	if (status != 0 && (status < 100 || status > 599))
		return cf__error_set(CF_EINVAL, "%s: status %d is neither 0 nor an HTTP status", __func__, status);
	breaker->last_t = t;
	h = &breaker->h[host];
	breaker_advance(breaker, h, t);
	if (h->ejected)
		return CF_OK; /* an in-flight answer from an ejected host does not extend its ejection */
	err = status == 0 || status >= 500;
	if (!err) {
		h->consecutive = 0;
		return CF_OK;
	}
	h->consecutive++;
	if (breaker->o.consecutive_5xx > 0 && h->consecutive >= breaker->o.consecutive_5xx) {
		double pct = 100.0 * (double)(breaker->active + 1) / (double)breaker->n;
		h->consecutive = 0;
		if ((breaker->active == 0 && breaker->o.max_ejection_percent > 0) ||
			pct <= breaker->o.max_ejection_percent) {
			double d;
			h->ejections++;
			d = breaker->o.base_ejection_s * h->ejections;
			if (d > breaker->o.max_ejection_s)
				d = breaker->o.max_ejection_s;
			h->ejected = 1;
			h->until = t + d;
			breaker->active++;
			if (ejected_out != NULL)
				*ejected_out = 1;
		}
	}
	return CF_OK;
}

int cf_rollout_breaker_is_ejected(cf_rollout_breaker *breaker, size_t host, double t)
{
	if (breaker == NULL || host >= breaker->n || isnan(t))
		return -1;
	breaker_advance(breaker, &breaker->h[host], t);
	return breaker->h[host].ejected;
}

int cf_rollout_breaker_ejections(const cf_rollout_breaker *breaker, size_t host)
{
	if (breaker == NULL || host >= breaker->n)
		return 0;
	return breaker->h[host].ejections;
}

int cf_rollout_request_simulate(cf_rollout_request_result *out, const cf_rollout_breaker_options *opts,
	const double *latency_s, const int *status, size_t n)
{
	static const cf_rollout_breaker_options defaults = CF_ROLLOUT_BREAKER_OPTIONS_INIT;
	double elapsed = 0, per_try;
	int rc, i, max_tries;
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(latency_s);
	CF__CHECK_ARG(status);
	if (opts == NULL)
		opts = &defaults;
	if ((rc = check_breaker_opts(opts)) != 0)
		return rc;
	max_tries = 1 + opts->retry_attempts;
	per_try = opts->per_try_timeout_s;
	for (i = 0; i < max_tries; i++) {
		double took;
		int st, retriable, try_timeout;
		if ((size_t)i >= n)
			return cf__error_set(CF_EINVAL, "%s: try %d needs an outcome but only %zu were given", __func__,
				i + 1, n);
		st = status[i];
		if (!(latency_s[i] >= 0) || isinf(latency_s[i]) || (st != 0 && (st < 100 || st > 599)))
			return cf__error_set(CF_EINVAL, "%s: try %d: latency %g or status %d is invalid", __func__, i + 1,
				latency_s[i], st);
		out->tries = i + 1;
		try_timeout = per_try > 0 && latency_s[i] > per_try;
		took = try_timeout ? per_try : latency_s[i];
		if (opts->timeout_s > 0 && elapsed + took > opts->timeout_s)
			break;
		elapsed += took;
		if (try_timeout)
			st = 504; /* Envoy's "upstream request timeout", retried under 5xx */
		retriable = st == 0 || st >= 500;
		if (!retriable || i + 1 == max_tries) {
			out->status = st == 0 ? 503 : st;
			out->elapsed_s = elapsed;
			return CF_OK;
		}
		if (opts->timeout_s > 0 && elapsed >= opts->timeout_s)
			break;
	}
	out->status = 504;
	out->elapsed_s = opts->timeout_s;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Rollback plan.
 */
const char *cf_rollout_step_name(cf_rollout_step_kind kind)
{
	switch (kind) {
	case CF_ROLLOUT_STEP_SHIFT_TRAFFIC: return "shift_traffic";
	case CF_ROLLOUT_STEP_SCALE_CANARY: return "scale_canary";
	case CF_ROLLOUT_STEP_ALERT: return "alert";
	case CF_ROLLOUT_STEP_INCIDENT: return "incident";
	case CF_ROLLOUT_STEP_EVENT: return "event";
	}
	return "unknown";
}

/* JSON-escape s into dst (truncating at a whole character). */
static void json_escape(char *dst, size_t cap, const char *s)
{
	size_t o = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char tmp[8];
		size_t k;
		if (c == '"' || c == '\\')
			snprintf(tmp, sizeof tmp, "\\%c", c);
		else if (c == '\n')
			snprintf(tmp, sizeof tmp, "\\n");
		else if (c < 0x20)
			snprintf(tmp, sizeof tmp, "\\u%04x", c);
		else {
			tmp[0] = (char)c;
			tmp[1] = '\0';
		}
		k = strlen(tmp);
		if (o + k + 1 > cap)
			break;
		memcpy(dst + o, tmp, k);
		o += k;
	}
	dst[o] = '\0';
}

static int check_id(const char *s, const char *name)
{
	if (s == NULL || s[0] == '\0')
		return cf__error_set(CF_EINVAL, "cf_rollout_plan_build: %s is NULL or empty", name);
	return CF_OK;
}

int cf_rollout_plan_build(cf_rollout_plan *out, const char *service, const char *stable_version,
	const char *canary_version, const char *reason, double t)
{
	char esvc[128], estable[128], ecanary[128], ereason[256], stamp[32];
	struct tm tmv;
	time_t tt;
	cf_rollout_step *s;
	int rc;

	CF__CHECK_ARG(out);
	if ((rc = check_id(service, "service")) != 0 || (rc = check_id(stable_version, "stable_version")) != 0 ||
		(rc = check_id(canary_version, "canary_version")) != 0)
		return rc;
	if (!isfinite(t) || t < 0 || t > 253402300799.0)
		return cf__error_set(CF_EINVAL, "cf_rollout_plan_build: time %g is not a valid epoch time", t);
	if (reason == NULL || reason[0] == '\0')
		reason = "rollback requested";
	tt = (time_t)t;
	if (gmtime_r(&tt, &tmv) == NULL || strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tmv) == 0)
		return cf__error_set(CF_EINVAL, "cf_rollout_plan_build: time %g cannot be formatted", t);
	json_escape(esvc, sizeof esvc, service);
	json_escape(estable, sizeof estable, stable_version);
	json_escape(ecanary, sizeof ecanary, canary_version);
	json_escape(ereason, sizeof ereason, reason);
	memset(out, 0, sizeof *out);
	out->count = 5;
	s = out->steps;
	s[0].kind = CF_ROLLOUT_STEP_SHIFT_TRAFFIC;
	s[0].value = 100;
	snprintf(s[0].target, sizeof s[0].target, "%s", stable_version);
	snprintf(s[0].text, sizeof s[0].text, "route 100%% of %s traffic to stable %s, 0%% to canary %s", service,
		stable_version, canary_version);
	s[1].kind = CF_ROLLOUT_STEP_SCALE_CANARY;
	s[1].value = 0;
	snprintf(s[1].target, sizeof s[1].target, "%s", canary_version);
	snprintf(s[1].text, sizeof s[1].text, "scale canary %s of %s to 0 replicas", canary_version, service);
	s[2].kind = CF_ROLLOUT_STEP_ALERT;
	snprintf(s[2].target, sizeof s[2].target, "%s", service);
	snprintf(s[2].text, sizeof s[2].text, "ROLLBACK %s: canary %s rolled back to %s: %s", service,
		canary_version, stable_version, reason);
	s[3].kind = CF_ROLLOUT_STEP_INCIDENT;
	snprintf(s[3].target, sizeof s[3].target, "%s", service);
	snprintf(s[3].text, sizeof s[3].text, "{\"service\": \"%s\", \"canary_version\": \"%s\", "
		"\"stable_version\": \"%s\", \"reason\": \"%s\", \"started_at\": \"%s\", \"status\": \"open\", "
		"\"severity\": \"high\"}", esvc, ecanary, estable, ereason, stamp);
	s[4].kind = CF_ROLLOUT_STEP_EVENT;
	snprintf(s[4].target, sizeof s[4].target, "%s", service);
	snprintf(s[4].text, sizeof s[4].text, "%s rollback %s %s -> %s: %s", stamp, service, canary_version,
		stable_version, reason);
	return CF_OK;
}

int cf_rollout_plan_to_json(cf_buf *out, const cf_rollout_plan *plan)
{
	char etarget[256], etext[2 * CF_ROLLOUT_TEXT_LEN];
	size_t i;
	int rc;
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(plan);
	if (plan->count > 5)
		return cf__error_set(CF_EINVAL, "%s: plan has %zu steps (at most 5)", __func__, plan->count);
	if ((rc = cf__buf_puts(out, "{\"steps\": [")) != 0)
		return rc;
	for (i = 0; i < plan->count; i++) {
		const cf_rollout_step *s = &plan->steps[i];
		json_escape(etarget, sizeof etarget, s->target);
		rc = cf__buf_printf(out, "%s{\"order\": %zu, \"action\": \"%s\", \"target\": \"%s\"", i ? ", " : "", i + 1,
			cf_rollout_step_name(s->kind), etarget);
		if (rc == 0 && s->kind == CF_ROLLOUT_STEP_SHIFT_TRAFFIC)
			rc = cf__buf_printf(out, ", \"stable_weight\": %g, \"canary_weight\": %g", s->value, 100 - s->value);
		else if (rc == 0 && s->kind == CF_ROLLOUT_STEP_SCALE_CANARY)
			rc = cf__buf_printf(out, ", \"replicas\": %g", s->value);
		if (rc == 0 && s->kind == CF_ROLLOUT_STEP_INCIDENT)
			rc = cf__buf_printf(out, ", \"incident\": %s}", s->text[0] ? s->text : "{}");
		else if (rc == 0) {
			json_escape(etext, sizeof etext, s->text);
			rc = cf__buf_printf(out, ", \"text\": \"%s\"}", etext);
		}
		if (rc != 0)
			return rc;
	}
	return cf__buf_puts(out, "]}");
}
