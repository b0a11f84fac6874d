/* Service level objectives (slo.h): the error-budget arithmetic of the SRE Workbook (ch. 5), multiwindow
 * multi-burn-rate policies and presets, and the streaming evaluator. Quantiles (Prometheus histograms and the
 * relative-error sketch) live in slo_quantile.c. Formulas and semantics: docs/slo.md. */
#include "cogniforge/slo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "context.h"

#define SLO_MAX_BUCKETS ((int64_t)1 << 30)
#define SLO_EXPLAIN_LEN 1024

/* ------------------------------------------------------------------------------------------------------------
 * Pure functions.
 */
static int check_objective(double objective, const char *fn)
{
	if (!(objective > 0 && objective < 1))
		return cf__error_set(CF_EINVAL, "%s: objective %g is outside (0, 1) (write 99.9%% as 0.999)", fn, objective);
	return CF_OK;
}

static int check_nonneg(double v, const char *fn, const char *name)
{
	if (!(v >= 0))
		return cf__error_set(CF_EINVAL, "%s: %s %g is negative or NaN", fn, name, v);
	return CF_OK;
}

static int check_pos(double v, const char *fn, const char *name)
{
	if (!(v > 0) || isinf(v))
		return cf__error_set(CF_EINVAL, "%s: %s %g is not a positive finite number", fn, name, v);
	return CF_OK;
}

static int check_ratio(double v, const char *fn)
{
	if (!(v >= 0 && v <= 1))
		return cf__error_set(CF_EINVAL, "%s: error ratio %g is outside [0, 1]", fn, v);
	return CF_OK;
}

int cf_slo_error_budget(double *out, double objective)
{
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = check_objective(objective, __func__)) != 0)
		return rc;
	*out = 1.0 - objective;
	return CF_OK;
}

int cf_slo_burn_rate(double *out, double error_ratio, double objective)
{
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = check_objective(objective, __func__)) != 0 || (rc = check_ratio(error_ratio, __func__)) != 0)
		return rc;
	*out = error_ratio / (1.0 - objective);
	return CF_OK;
}

int cf_slo_time_to_exhaustion(double *out, double burn_rate, double period_s, double budget_remaining)
{
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = check_nonneg(burn_rate, __func__, "burn rate")) != 0 ||
		(rc = check_pos(period_s, __func__, "period")) != 0)
		return rc;
	if (isnan(budget_remaining))
		return cf__error_set(CF_EINVAL, "%s: budget_remaining is NaN", __func__);
	if (budget_remaining <= 0)
		*out = 0;
	else
		*out = burn_rate == 0 ? INFINITY : budget_remaining * period_s / burn_rate;
	return CF_OK;
}

int cf_slo_budget_consumed(double *out, double burn_rate, double window_s, double period_s)
{
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = check_nonneg(burn_rate, __func__, "burn rate")) != 0 ||
		(rc = check_nonneg(window_s, __func__, "window")) != 0 ||
		(rc = check_pos(period_s, __func__, "period")) != 0)
		return rc;
	*out = burn_rate * window_s / period_s;
	return CF_OK;
}

int cf_slo_detection_time(double *out, double error_ratio, double objective, double burn_threshold,
	double window_s)
{
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = check_objective(objective, __func__)) != 0 || (rc = check_ratio(error_ratio, __func__)) != 0 ||
		(rc = check_pos(burn_threshold, __func__, "burn threshold")) != 0 ||
		(rc = check_pos(window_s, __func__, "window")) != 0)
		return rc;
	if (error_ratio <= burn_threshold * (1.0 - objective))
		*out = INFINITY;
	else
		*out = (1.0 - objective) / error_ratio * window_s * burn_threshold;
	return CF_OK;
}

int cf_slo_reset_time(double *out, double error_ratio, double objective, double burn_threshold, double window_s,
	double duration_s)
{
	double held, need;
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = check_objective(objective, __func__)) != 0 || (rc = check_ratio(error_ratio, __func__)) != 0 ||
		(rc = check_pos(burn_threshold, __func__, "burn threshold")) != 0 ||
		(rc = check_pos(window_s, __func__, "window")) != 0 ||
		(rc = check_nonneg(duration_s, __func__, "duration")) != 0)
		return rc;
	if (error_ratio == 0) {
		*out = 0;
		return CF_OK;
	}
	/* After the errors stop, the window holds min(duration, window - t) seconds of errors; the alert holds
	 * while that exceeds window × threshold / error_ratio. */
	held = duration_s < window_s ? duration_s : window_s;
	need = window_s * burn_threshold * (1.0 - objective) / error_ratio;
	*out = held - need > 0 ? (window_s - need < held ? window_s - need : held) : 0;
	if (*out < 0)
		*out = 0;
	return CF_OK;
}

int cf_slo_parse_duration(double *out, const char *text)
{
	const char *p = text;
	double total = 0;
	int last_rank = 100;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(text);
	if (*p == '\0')
		return cf__error_set(CF_EINVAL, "duration: empty string");
	while (*p) {
		static const struct { const char *u; double s; int rank; } units[] = {
			{ "ms", 0.001, 0 }, { "s", 1, 1 }, { "m", 60, 2 }, { "h", 3600, 3 }, { "d", 86400, 4 },
			{ "w", 604800, 5 }, { "y", 31536000, 6 },
		};
		double v = 0;
		int digits = 0, found = -1;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p++ - '0');
			digits++;
		}
		if (digits == 0)
			return cf__error_set(CF_EINVAL, "duration '%s': expected a number at offset %d", text, (int)(p - text));
		for (int i = 0; i < 7; i++) {
			size_t l = strlen(units[i].u);
			if (strncmp(p, units[i].u, l) == 0 && !(l == 1 && units[i].u[0] == 'm' && p[1] == 's')) {
				found = i;
				p += l;
				break;
			}
		}
		if (found < 0)
			return cf__error_set(CF_EINVAL, "duration '%s': unknown unit at offset %d (use ms, s, m, h, d, w or y)",
				text, (int)(p - text));
		if (units[found].rank >= last_rank)
			return cf__error_set(CF_EINVAL, "duration '%s': units must go from largest to smallest", text);
		last_rank = units[found].rank;
		total += v * units[found].s;
	}
	if (!(total > 0) || isinf(total))
		return cf__error_set(CF_EINVAL, "duration '%s' is zero or too large", text);
	*out = total;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Policies.
 */
static void fmt_dur(char *buf, size_t len, double s)
{
	static const struct { double s; const char *u; } units[] = {
		{ 604800, "w" }, { 86400, "d" }, { 3600, "h" }, { 60, "m" }, { 1, "s" },
	};
	for (int i = 0; i < 5; i++) {
		if (s >= units[i].s && fmod(s, units[i].s) == 0) {
			snprintf(buf, len, "%.0f%s", s / units[i].s, units[i].u);
			return;
		}
	}
	snprintf(buf, len, "%gs", s);
}

static void set_window(cf_slo_window *w, double burn, double long_s, double short_s, cf_slo_severity sev)
{
	w->burn_rate = burn;
	w->long_s = long_s;
	w->short_s = short_s;
	w->severity = sev;
}

int cf_slo_policy_preset(cf_slo_policy *out, const char *name)
{
	const double H = 3600, M = 60, D = 86400;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(name);
	memset(out, 0, sizeof *out);
	out->count = 4;
	if (strcmp(name, "google-30d") == 0) {
		set_window(&out->windows[0], 14.4, H, 5 * M, CF_SLO_PAGE);
		set_window(&out->windows[1], 6, 6 * H, 30 * M, CF_SLO_PAGE);
		set_window(&out->windows[2], 3, D, 2 * H, CF_SLO_TICKET);
		set_window(&out->windows[3], 1, 3 * D, 6 * H, CF_SLO_TICKET);
	} else if (strcmp(name, "google-28d") == 0) {
		/* Sloth: factor = budget share × period / long window, period 672 h. */
		set_window(&out->windows[0], 0.02 * 672 / 1, H, 5 * M, CF_SLO_PAGE);
		set_window(&out->windows[1], 0.05 * 672 / 6, 6 * H, 30 * M, CF_SLO_PAGE);
		set_window(&out->windows[2], 0.10 * 672 / 24, D, 2 * H, CF_SLO_TICKET);
		set_window(&out->windows[3], 0.10 * 672 / 72, 3 * D, 6 * H, CF_SLO_TICKET);
	} else if (strcmp(name, "pyrra-28d") == 0) {
		set_window(&out->windows[0], 14, H, 5 * M, CF_SLO_PAGE);
		set_window(&out->windows[1], 7, 6 * H, 30 * M, CF_SLO_PAGE);
		set_window(&out->windows[2], 2, D, 2 * H, CF_SLO_TICKET);
		set_window(&out->windows[3], 1, 4 * D, 6 * H, CF_SLO_TICKET);
	} else {
		out->count = 0;
		return cf__error_set(CF_ENOTFOUND, "slo policy preset '%s' is unknown (known: google-30d, google-28d, "
			"pyrra-28d)", name);
	}
	return CF_OK;
}

int cf_slo_policy_validate(const cf_slo_policy *p, double objective, double period_s)
{
	double max_burn;
	int rc;

	CF__CHECK_ARG(p);
	if ((rc = check_objective(objective, "slo policy")) != 0 || (rc = check_pos(period_s, "slo policy", "period"))
		!= 0)
		return rc;
	if (p->count < 1 || p->count > CF_SLO_MAX_WINDOWS)
		return cf__error_set(CF_EINVAL, "slo policy: %zu window pairs (need 1 to %d)", p->count, CF_SLO_MAX_WINDOWS);
	max_burn = 1.0 / (1.0 - objective);
	for (size_t i = 0; i < p->count; i++) {
		const cf_slo_window *w = &p->windows[i];
		char ls[32], ss[32];
		fmt_dur(ls, sizeof ls, w->long_s);
		fmt_dur(ss, sizeof ss, w->short_s);
		if (!(w->burn_rate > 0) || isinf(w->burn_rate))
			return cf__error_set(CF_EINVAL, "slo policy: window %zu: burn rate %g is not positive and finite", i,
				w->burn_rate);
		if (!(w->long_s > 0) || isinf(w->long_s) || !(w->short_s > 0) || isinf(w->short_s))
			return cf__error_set(CF_EINVAL, "slo policy: window %zu: windows %g s / %g s must be positive and finite",
				i, w->long_s, w->short_s);
		if (w->short_s > w->long_s)
			return cf__error_set(CF_EINVAL, "slo policy: window %zu: short window %s is longer than long window %s",
				i, ss, ls);
		if (w->long_s > period_s)
			return cf__error_set(CF_EINVAL, "slo policy: window %zu: long window %s is longer than the period", i, ls);
		if (w->severity != CF_SLO_PAGE && w->severity != CF_SLO_TICKET)
			return cf__error_set(CF_EINVAL, "slo policy: window %zu: unknown severity %d", i, (int)w->severity);
		if (w->burn_rate > max_burn * (1 + 1e-12))
			return cf__error_set(CF_EINVAL, "slo policy: window %zu (%s/%s): burn rate %g can never fire with "
				"objective %g: the error ratio is at most 1, so the burn rate is at most 1/(1 - objective) = %g",
				i, ls, ss, w->burn_rate, objective, max_burn);
	}
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * The streaming evaluator: a ring of N buckets holding the cumulative good and total counts at the end of each
 * bucket (prefix sums), so that any window is two reads. Buckets are absolute: floor(t / resolution).
 */
struct cf_slo {
	cf_context *ctx;
	cf_slo_options o;
	cf_slo_policy policy;
	double budget;               /* 1 - objective */
	int64_t nbuckets;            /* ring size */
	int64_t period_k;            /* buckets in the period */
	int64_t long_k[CF_SLO_MAX_WINDOWS], short_k[CF_SLO_MAX_WINDOWS];
	uint64_t *cg, *ct;           /* cumulative good / total at the end of bucket i, at i mod nbuckets */
	int has_data;
	int64_t first_b, last_b;     /* first and latest bucket written */
	int64_t last_slot;           /* last_b mod nbuckets */
	double last_start, last_end; /* [start, end) of the latest bucket, the fast path of ingestion */
	uint64_t sum_g, sum_t;       /* running cumulative counts */
	/* cumulative counters */
	int has_prev;
	uint64_t prev_g, prev_t;
	/* time slices */
	int64_t slice_k;             /* buckets per slice */
	int has_slice;
	int64_t open_slice;          /* index of the open slice */
	uint64_t slice_n, slice_good;
	char explain[SLO_EXPLAIN_LEN];
};

int cf_slo_options_init(cf_slo_options *opts, unsigned int version)
{
	static const cf_slo_options defaults = CF_SLO_OPTIONS_INIT;
	int rc;
	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_SLO_OPTIONS_VERSION, "cf_slo_options")) != 0)
		return rc;
	*opts = defaults;
	return CF_OK;
}

/* Buckets in `s` seconds, which must be a whole multiple of the resolution. */
static int multiple(int64_t *out, double s, double res, const char *what)
{
	double k = s / res, r = nearbyint(k);
	if (!(r >= 1) || fabs(k - r) > 1e-9 * r || r > (double)SLO_MAX_BUCKETS)
		return cf__error_set(CF_EINVAL, "cf_slo_options: %s %g s is not a whole multiple (1 to 2^30) of the "
			"resolution %g s", what, s, res);
	*out = (int64_t)r;
	return CF_OK;
}

int cf_slo_create(cf_slo **out, cf_context *ctx, const cf_slo_options *opts)
{
	static const cf_slo_options defaults = CF_SLO_OPTIONS_INIT;
	cf_slo_options o = defaults;
	cf_slo_policy pol;
	cf_slo *s;
	int64_t maxk;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (opts != NULL) {
		if ((rc = cf__options_version_check(opts->version, CF_SLO_OPTIONS_VERSION, "cf_slo_options")) != 0)
			return rc;
		o = *opts;
	}
	if ((rc = check_objective(o.objective, "cf_slo_options")) != 0)
		return rc;
	if ((rc = check_pos(o.period_s, "cf_slo_options", "period_s")) != 0 ||
		(rc = check_pos(o.resolution_s, "cf_slo_options", "resolution_s")) != 0)
		return rc;
	if (o.policy != NULL)
		pol = *o.policy;
	else if ((rc = cf_slo_policy_preset(&pol, o.preset ? o.preset : "google-30d")) != 0)
		return rc;
	if ((rc = cf_slo_policy_validate(&pol, o.objective, o.period_s)) != 0)
		return rc;
	if (o.kind != CF_SLO_EVENTS && o.kind != CF_SLO_TIMESLICES)
		return cf__error_set(CF_EINVAL, "cf_slo_options.kind: unknown kind %d", (int)o.kind);
	if (o.kind == CF_SLO_TIMESLICES) {
		if ((int)o.op < CF_SLO_GE || o.op > CF_SLO_LT)
			return cf__error_set(CF_EINVAL, "cf_slo_options.op: unknown comparison %d", (int)o.op);
		if (isnan(o.threshold))
			return cf__error_set(CF_EINVAL, "cf_slo_options.threshold is NaN");
		if (!(o.slice_target > 0 && o.slice_target <= 1))
			return cf__error_set(CF_EINVAL, "cf_slo_options.slice_target %g is outside (0, 1]", o.slice_target);
	}
	if ((s = cf__calloc(ctx, 1, sizeof *s, "slo evaluator")) == NULL)
		return CF_ENOMEM;
	s->ctx = ctx;
	s->o = o;
	s->o.version = CF_SLO_OPTIONS_VERSION;
	s->o.policy = NULL;
	s->o.preset = NULL;
	s->policy = pol;
	s->budget = 1.0 - o.objective;
	rc = multiple(&s->period_k, o.period_s, o.resolution_s, "period_s");
	maxk = s->period_k;
	for (size_t i = 0; rc == 0 && i < pol.count; i++) {
		rc = multiple(&s->long_k[i], pol.windows[i].long_s, o.resolution_s, "window");
		if (rc == 0)
			rc = multiple(&s->short_k[i], pol.windows[i].short_s, o.resolution_s, "window");
		if (rc == 0 && s->long_k[i] > maxk)
			maxk = s->long_k[i];
	}
	if (rc == 0 && o.kind == CF_SLO_TIMESLICES)
		rc = multiple(&s->slice_k, o.slice_s, o.resolution_s, "slice_s");
	if (rc != 0) {
		cf__free(ctx, s);
		return rc;
	}
	s->nbuckets = maxk + 1;
	s->cg = cf__malloc(ctx, (size_t)s->nbuckets * sizeof *s->cg, "slo window state");
	s->ct = cf__malloc(ctx, (size_t)s->nbuckets * sizeof *s->ct, "slo window state");
	if (s->cg == NULL || s->ct == NULL) {
		cf_slo_free(s);
		return CF_ENOMEM;
	}
	*out = s;
	return CF_OK;
}

void cf_slo_free(cf_slo *s)
{
	if (s == NULL)
		return;
	cf__free(s->ctx, s->cg);
	cf__free(s->ctx, s->ct);
	cf__free(s->ctx, s);
}

size_t cf_slo_memory(const cf_slo *s)
{
	return s ? (size_t)s->nbuckets * 2 * sizeof(uint64_t) : 0;
}

static int bucket_of(int64_t *out, const cf_slo *s, double t, const char *fn)
{
	double b;
	if (!isfinite(t))
		return cf__error_set(CF_EINVAL, "%s: timestamp %g is not finite", fn, t);
	b = floor(t / s->o.resolution_s);
	if (fabs(b) > 4.0e18)
		return cf__error_set(CF_EINVAL, "%s: timestamp %g is out of range", fn, t);
	*out = (int64_t)b;
	return CF_OK;
}

static int out_of_order(const cf_slo *s, double t, const char *fn)
{
	return cf__error_set(CF_EINVAL, "%s: timestamp %.17g is out of order: it is before %.17g, the start of the "
		"latest bucket", fn, t, s->last_start);
}

/* Make bucket b (>= last_b) the latest, filling skipped buckets with the running counts. */
static void advance(cf_slo *s, int64_t b)
{
	if (!s->has_data) {
		s->has_data = 1;
		s->first_b = b;
	} else if (b > s->last_b) {
		int64_t gap = b - s->last_b, n = gap < s->nbuckets ? gap : s->nbuckets;
		int64_t slot = s->last_slot;
		for (int64_t i = 0; i < n; i++) {
			if (++slot == s->nbuckets)
				slot = 0;
			s->cg[slot] = s->sum_g;
			s->ct[slot] = s->sum_t;
		}
	} else {
		return;
	}
	s->last_b = b;
	s->last_slot = b % s->nbuckets;
	if (s->last_slot < 0)
		s->last_slot += s->nbuckets;
	s->cg[s->last_slot] = s->sum_g;
	s->ct[s->last_slot] = s->sum_t;
	s->last_start = (double)b * s->o.resolution_s;
	s->last_end = (double)(b + 1) * s->o.resolution_s;
}

/* Reach bucket of t, or fail for an earlier bucket. */
static int locate(cf_slo *s, double t, const char *fn)
{
	int64_t b = 0;
	int rc;
	if (s->has_data && t >= s->last_start && t < s->last_end)
		return CF_OK;
	if ((rc = bucket_of(&b, s, t, fn)) != 0)
		return rc;
	if (s->has_data && b < s->last_b)
		return out_of_order(s, t, fn);
	advance(s, b);
	return CF_OK;
}

static void put(cf_slo *s, uint64_t good, uint64_t total)
{
	s->sum_g += good;
	s->sum_t += total;
	s->cg[s->last_slot] = s->sum_g;
	s->ct[s->last_slot] = s->sum_t;
}

static int need_kind(const cf_slo *s, cf_slo_kind kind, const char *fn)
{
	if (s->o.kind != kind)
		return cf__error_set(CF_EINVAL, "%s: this evaluator is for %s SLOs", fn,
			s->o.kind == CF_SLO_EVENTS ? "event-based" : "time-slice");
	return CF_OK;
}

int cf_slo_add(cf_slo *s, double t, uint64_t good, uint64_t total)
{
	int rc;
	CF__CHECK_ARG(s);
	if ((rc = need_kind(s, CF_SLO_EVENTS, __func__)) != 0)
		return rc;
	if (good > total)
		return cf__error_set(CF_EINVAL, "%s: good %llu is more than total %llu", __func__,
			(unsigned long long)good, (unsigned long long)total);
	if ((rc = locate(s, t, __func__)) != 0)
		return rc;
	put(s, good, total);
	return CF_OK;
}

int cf_slo_add_events(cf_slo *s, const double *t, const uint8_t *good, size_t n)
{
	int rc;
	CF__CHECK_ARG(s);
	if (n == 0)
		return CF_OK;
	CF__CHECK_ARG(t);
	CF__CHECK_ARG(good);
	if ((rc = need_kind(s, CF_SLO_EVENTS, __func__)) != 0)
		return rc;
	for (size_t i = 0; i < n;) {
		uint64_t g = 0;
		size_t j = i;
		double lo, hi;
		if ((rc = locate(s, t[i], __func__)) != 0) {
			char msg[512];
			snprintf(msg, sizeof msg, "%s", cf_error_last()->message);
			return cf__error_set(rc, "%s (event %zu)", msg, i);
		}
		/* The run of events in this bucket: one store for all of them. */
		lo = s->last_start;
		hi = s->last_end;
		while (j < n && t[j] >= lo && t[j] < hi)
			g += good[j++] != 0;
		put(s, g, (uint64_t)(j - i));
		i = j;
	}
	return CF_OK;
}

int cf_slo_add_counters(cf_slo *s, double t, uint64_t good_cum, uint64_t total_cum)
{
	uint64_t dg, dt;
	int64_t b = 0;
	int rc;
	CF__CHECK_ARG(s);
	if ((rc = need_kind(s, CF_SLO_EVENTS, __func__)) != 0)
		return rc;
	if ((rc = bucket_of(&b, s, t, __func__)) != 0)
		return rc;
	if (s->has_data && b < s->last_b)
		return out_of_order(s, t, __func__);
	if (!s->has_prev) {
		advance(s, b);
		s->has_prev = 1;
		s->prev_g = good_cum;
		s->prev_t = total_cum;
		return CF_OK;
	}
	/* A counter that went down was reset to 0 and counted up again (Prometheus increase()). */
	dg = good_cum >= s->prev_g ? good_cum - s->prev_g : good_cum;
	dt = total_cum >= s->prev_t ? total_cum - s->prev_t : total_cum;
	if (dg > dt)
		return cf__error_set(CF_EINVAL, "%s: at t=%.17g the good counter increased by %llu, more than the total "
			"counter's %llu", __func__, t, (unsigned long long)dg, (unsigned long long)dt);
	advance(s, b);
	put(s, dg, dt);
	s->prev_g = good_cum;
	s->prev_t = total_cum;
	return CF_OK;
}

/* Time slices: close the open slice (judged) and count the empty slices before `upto` when they are bad. */
static void close_slices(cf_slo *s, int64_t upto)
{
	int64_t first_missing, max_missing;
	if (!s->has_slice || upto <= s->open_slice)
		return;
	if (s->slice_n > 0 || s->o.missing_slices_bad) {
		advance(s, (s->open_slice + 1) * s->slice_k - 1);
		put(s, s->slice_n > 0 && (double)s->slice_good >= s->o.slice_target * (double)s->slice_n -
			1e-9 * (double)s->slice_n, 1);
	}
	first_missing = s->open_slice + 1;
	if (s->o.missing_slices_bad) {
		/* Only those still inside the ring matter. */
		max_missing = s->nbuckets / s->slice_k + 1;
		if (upto - first_missing > max_missing)
			first_missing = upto - max_missing;
		for (int64_t k = first_missing; k < upto; k++) {
			advance(s, (k + 1) * s->slice_k - 1);
			put(s, 0, 1);
		}
	}
	s->open_slice = upto;
	s->slice_n = s->slice_good = 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int sample_good(const cf_slo *s, double v)
{
	switch (s->o.op) {
	case CF_SLO_GE: return v >= s->o.threshold;
	case CF_SLO_GT: return v > s->o.threshold;
	case CF_SLO_LE: return v <= s->o.threshold;
	default: return v < s->o.threshold;
	}
}

int cf_slo_add_gauge(cf_slo *s, double t, double value)
{
	int64_t b = 0, slice;
	int rc;
	CF__CHECK_ARG(s);
	if ((rc = need_kind(s, CF_SLO_TIMESLICES, __func__)) != 0)
		return rc;
	if (isnan(value))
		return cf__error_set(CF_EINVAL, "%s: value at t=%.17g is NaN", __func__, t);
	if ((rc = bucket_of(&b, s, t, __func__)) != 0)
		return rc;
	slice = floor_div(b, s->slice_k);
	if (s->has_slice && slice < s->open_slice)
		return cf__error_set(CF_EINVAL, "%s: timestamp %.17g is out of order: it is before the open slice "
			"starting at %.17g", __func__, t, (double)(s->open_slice * s->slice_k) * s->o.resolution_s);
	if (!s->has_slice) {
		s->has_slice = 1;
		s->open_slice = slice;
	}
	close_slices(s, slice);
	s->slice_n++;
	s->slice_good += (uint64_t)sample_good(s, value);
	return CF_OK;
}

/* Cumulative counts at the end of bucket i (i >= last_b - nbuckets + 1). */
static void cum_at(const cf_slo *s, int64_t i, uint64_t *g, uint64_t *t)
{
	int64_t slot;
	if (!s->has_data || i < s->first_b) {
		*g = *t = 0;
		return;
	}
	if (i >= s->last_b) {
		*g = s->sum_g;
		*t = s->sum_t;
		return;
	}
	slot = i % s->nbuckets;
	if (slot < 0)
		slot += s->nbuckets;
	*g = s->cg[slot];
	*t = s->ct[slot];
}

static void window_sum(const cf_slo *s, int64_t b, int64_t k, uint64_t *g, uint64_t *t)
{
	uint64_t g1, t1, g0, t0;
	cum_at(s, b, &g1, &t1);
	cum_at(s, b - k, &g0, &t0);
	*g = g1 - g0;
	*t = t1 - t0;
}

static double ratio(uint64_t good, uint64_t total)
{
	return total ? (double)(total - good) / (double)total : NAN;
}

static void explain(cf_slo *s, const cf_slo_status *st)
{
	char *p = s->explain;
	size_t left = sizeof s->explain;
	int n, fired = 0;
	char per[32];

#define EXPLAIN_APPEND(...) \
	do { \
		n = snprintf(p, left, __VA_ARGS__); \
		if (n < 0 || (size_t)n >= left) \
			return; \
		p += n; \
		left -= (size_t)n; \
	} while (0)
	EXPLAIN_APPEND("%s", st->page ? "PAGE" : st->ticket ? "TICKET" : "OK");
	for (size_t i = 0; i < st->window_count; i++) {
		const cf_slo_window_status *w = &st->windows[i];
		char ls[32], ss[32];
		if (!w->firing)
			continue;
		fmt_dur(ls, sizeof ls, w->window.long_s);
		fmt_dur(ss, sizeof ss, w->window.short_s);
		EXPLAIN_APPEND("%s %s %g× %s/%s: error ratio %.4g (%s) and %.4g (%s) > %.4g", fired ? ";" : ":",
			w->window.severity == CF_SLO_PAGE ? "page" : "ticket", w->window.burn_rate, ls, ss,
			w->long_error_ratio, ls, w->short_error_ratio, ss, w->threshold);
		fired = 1;
	}
	fmt_dur(per, sizeof per, s->o.period_s);
	if (st->period_total == 0)
		EXPLAIN_APPEND("; no events in the last %s", per);
	else
		EXPLAIN_APPEND("; %s: %llu bad of %llu (error ratio %.4g, burn %.4g), budget consumed %.2f%%, remaining "
			"%.2f%%", per, (unsigned long long)(st->period_total - st->period_good),
			(unsigned long long)st->period_total, st->error_ratio, st->burn_rate, 100 * st->budget_consumed,
			100 * st->budget_remaining);
#undef EXPLAIN_APPEND
}

int cf_slo_evaluate(cf_slo_status *out, cf_slo *s, double now)
{
	int64_t b = 0;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(s);
	if ((rc = bucket_of(&b, s, now, __func__)) != 0)
		return rc;
	if (s->o.kind == CF_SLO_TIMESLICES && s->has_slice && floor_div(b, s->slice_k) < s->open_slice)
		return cf__error_set(CF_EINVAL, "%s: time %.17g is before the open slice", __func__, now);
	if (s->has_data && b < s->last_b)
		return cf__error_set(CF_EINVAL, "%s: time %.17g is before %.17g, the start of the latest bucket", __func__,
			now, s->last_start);
	if (s->o.kind == CF_SLO_TIMESLICES)
		close_slices(s, floor_div(b, s->slice_k));
	memset(out, 0, sizeof *out);
	out->now = now;
	window_sum(s, b, s->period_k, &out->period_good, &out->period_total);
	out->error_ratio = ratio(out->period_good, out->period_total);
	out->burn_rate = out->error_ratio / s->budget;
	if (out->period_total == 0) {
		out->budget_consumed = 0;
		out->budget_remaining = 1;
		out->time_to_exhaustion_s = INFINITY;
	} else {
		out->budget_consumed = out->burn_rate;
		out->budget_remaining = 1 - out->budget_consumed;
		if (out->budget_remaining <= 0)
			out->time_to_exhaustion_s = 0;
		else
			out->time_to_exhaustion_s = out->burn_rate == 0 ? INFINITY :
				out->budget_remaining * s->o.period_s / out->burn_rate;
	}
	out->window_count = s->policy.count;
	for (size_t i = 0; i < s->policy.count; i++) {
		cf_slo_window_status *w = &out->windows[i];
		w->window = s->policy.windows[i];
		window_sum(s, b, s->long_k[i], &w->long_good, &w->long_total);
		window_sum(s, b, s->short_k[i], &w->short_good, &w->short_total);
		w->long_error_ratio = ratio(w->long_good, w->long_total);
		w->short_error_ratio = ratio(w->short_good, w->short_total);
		w->long_burn_rate = w->long_error_ratio / s->budget;
		w->short_burn_rate = w->short_error_ratio / s->budget;
		w->threshold = w->window.burn_rate * s->budget;
		w->firing = w->long_error_ratio > w->threshold && w->short_error_ratio > w->threshold;
		if (w->firing) {
			if (w->window.severity == CF_SLO_PAGE)
				out->page = 1;
			else
				out->ticket = 1;
		}
	}
	explain(s, out);
	out->explanation = s->explain;
	return CF_OK;
}
