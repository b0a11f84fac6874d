/* Rollout decisions (rollout.h): the rule policy with Prometheus `for` semantics and Argo Rollouts analysis runs
 * with their condition grammar. The Mann-Whitney judge, the circuit breaker and the rollback plan live in
 * rollout_judge.c. Semantics: docs/rollout.md. */
#include "cogniforge/rollout.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "context.h"

#define RO_NAME_LEN 64
#define RO_EXPLAIN_LEN 4096
#define RO_MAX_METRICS 64
#define RO_EXPR_MAX_NODES 64
#define RO_EXPR_MAX_LEN 512

/* ------------------------------------------------------------------------------------------------------------
 * Rule policy.
 */
struct ro_rule {
	char name[RO_NAME_LEN];
	char metric[RO_NAME_LEN];
	cf_rollout_cmp cmp;
	double threshold, for_s;
	cf_rollout_action action;
	/* Series state, fed by observe(). */
	int seen;                  /* an observation of the metric arrived */
	double last_t;             /* its time */
	int holds;                 /* the condition held at last_t */
	double active_since;       /* start of the current unbroken run of true observations (NaN if none) */
	cf_rollout_rule_state state;
};

struct cf_rollout_policy {
	cf_context *ctx;
	double staleness_s;
	double last_t;             /* -Inf before any observation */
	size_t n;
	struct ro_rule rules[CF_ROLLOUT_MAX_RULES];
	char explain[RO_EXPLAIN_LEN];
};

int cf_rollout_policy_options_init(cf_rollout_policy_options *opts, unsigned int version)
{
	static const cf_rollout_policy_options defaults = CF_ROLLOUT_POLICY_OPTIONS_INIT;
	int rc;
	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_ROLLOUT_POLICY_OPTIONS_VERSION,
		"cf_rollout_policy_options")) != 0)
		return rc;
	*opts = defaults;
	return CF_OK;
}

static const char *cmp_text(cf_rollout_cmp cmp)
{
	switch (cmp) {
	case CF_ROLLOUT_GT: return ">";
	case CF_ROLLOUT_GE: return ">=";
	case CF_ROLLOUT_LT: return "<";
	case CF_ROLLOUT_LE: return "<=";
	}
	return "?";
}

static int cmp_holds(cf_rollout_cmp cmp, double v, double th)
{
	switch (cmp) {
	case CF_ROLLOUT_GT: return v > th;
	case CF_ROLLOUT_GE: return v >= th;
	case CF_ROLLOUT_LT: return v < th;
	case CF_ROLLOUT_LE: return v <= th;
	}
	return 0;
}

const char *cf_rollout_action_name(cf_rollout_action action)
{
	switch (action) {
	case CF_ROLLOUT_NONE: return "none";
	case CF_ROLLOUT_ALERT: return "alert";
	case CF_ROLLOUT_RETRAIN: return "retrain";
	case CF_ROLLOUT_ROLLBACK: return "rollback";
	}
	return "unknown";
}

static int check_name(const char *s, const char *what, size_t i)
{
	if (s == NULL || s[0] == '\0')
		return cf__error_set(CF_EINVAL, "cf_rollout_rule[%zu].%s is NULL or empty", i, what);
	if (strlen(s) >= RO_NAME_LEN)
		return cf__error_set(CF_EINVAL, "cf_rollout_rule[%zu].%s is longer than %d bytes", i, what,
			RO_NAME_LEN - 1);
	return CF_OK;
}

int cf_rollout_policy_create(cf_rollout_policy **out, cf_context *ctx, const cf_rollout_rule *rules, size_t n,
	const cf_rollout_policy_options *opts)
{
	static const cf_rollout_policy_options defaults = CF_ROLLOUT_POLICY_OPTIONS_INIT;
	cf_rollout_policy_options o = defaults;
	cf_rollout_policy *p;
	size_t i, j;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(rules);
	if (opts != NULL) {
		if ((rc = cf__options_version_check(opts->version, CF_ROLLOUT_POLICY_OPTIONS_VERSION,
			"cf_rollout_policy_options")) != 0)
			return rc;
		o = *opts;
	}
	if (!(o.staleness_s > 0) || isinf(o.staleness_s))
		return cf__error_set(CF_EINVAL, "cf_rollout_policy_options.staleness_s: %g is not a positive finite "
			"number", o.staleness_s);
	if (n == 0 || n > CF_ROLLOUT_MAX_RULES)
		return cf__error_set(CF_EINVAL, "%s: %zu rules (1 to %d allowed)", __func__, n, CF_ROLLOUT_MAX_RULES);
	for (i = 0; i < n; i++) {
		const cf_rollout_rule *r = &rules[i];
		if ((rc = check_name(r->name, "name", i)) != 0 || (rc = check_name(r->metric, "metric", i)) != 0)
			return rc;
		if ((unsigned)r->cmp > CF_ROLLOUT_LE)
			return cf__error_set(CF_EINVAL, "cf_rollout_rule[%zu] '%s': unknown comparator %d", i, r->name,
				(int)r->cmp);
		if (!isfinite(r->threshold))
			return cf__error_set(CF_EINVAL, "cf_rollout_rule[%zu] '%s': threshold %g is not finite", i,
				r->name, r->threshold);
		if (!(r->for_s >= 0) || isinf(r->for_s))
			return cf__error_set(CF_EINVAL, "cf_rollout_rule[%zu] '%s': for %g s is negative or not finite", i,
				r->name, r->for_s);
		if (r->action < CF_ROLLOUT_ALERT || r->action > CF_ROLLOUT_ROLLBACK)
			return cf__error_set(CF_EINVAL, "cf_rollout_rule[%zu] '%s': action %d is not alert, retrain or "
				"rollback", i, r->name, (int)r->action);
		for (j = 0; j < i; j++)
			if (strcmp(rules[j].name, r->name) == 0)
				return cf__error_set(CF_EINVAL, "cf_rollout_rule[%zu]: duplicate rule name '%s'", i, r->name);
	}
	p = cf__calloc(ctx, 1, sizeof *p, "rollout policy");
	if (p == NULL)
		return CF_ENOMEM;
	p->ctx = ctx;
	p->staleness_s = o.staleness_s;
	p->last_t = -INFINITY;
	p->n = n;
	for (i = 0; i < n; i++) {
		struct ro_rule *r = &p->rules[i];
		snprintf(r->name, sizeof r->name, "%s", rules[i].name);
		snprintf(r->metric, sizeof r->metric, "%s", rules[i].metric);
		r->cmp = rules[i].cmp;
		r->threshold = rules[i].threshold;
		r->for_s = rules[i].for_s;
		r->action = rules[i].action;
		r->active_since = NAN;
	}
	*out = p;
	return CF_OK;
}

int cf_rollout_policy_preset(cf_rollout_policy **out, cf_context *ctx, const char *name,
	const cf_rollout_policy_options *opts)
{
	static const cf_rollout_rule seed[] = {
		{ "error-rate", "error_rate", CF_ROLLOUT_GT, 0.001, 300, CF_ROLLOUT_ROLLBACK },
		{ "latency-p95", "latency_p95_ms", CF_ROLLOUT_GT, 300, 300, CF_ROLLOUT_ROLLBACK },
		{ "burn-rate", "burn_rate", CF_ROLLOUT_GT, 14.4, 0, CF_ROLLOUT_ROLLBACK },
		{ "drift", "drift", CF_ROLLOUT_GT, 0.10, 0, CF_ROLLOUT_RETRAIN },
	};
	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(name);
	if (strcmp(name, "seed") != 0)
		return cf__error_set(CF_ENOTFOUND, "%s: unknown preset '%s' (known: seed)", __func__, name);
	return cf_rollout_policy_create(out, ctx, seed, sizeof seed / sizeof seed[0], opts);
}

void cf_rollout_policy_free(cf_rollout_policy *policy)
{
	if (policy == NULL)
		return;
	cf__free(policy->ctx, policy);
}

size_t cf_rollout_policy_rule_count(const cf_rollout_policy *policy)
{
	return policy == NULL ? 0 : policy->n;
}

int cf_rollout_policy_observe(cf_rollout_policy *policy, const char *metric, double t, double value)
{
	size_t i;
	CF__CHECK_ARG(policy);
	CF__CHECK_ARG(metric);
	if (!isfinite(t))
		return cf__error_set(CF_EINVAL, "%s: time %g is not finite", __func__, t);
	if (!isfinite(value))
		return cf__error_set(CF_EINVAL, "%s: %s value %g at t=%g is not finite", __func__, metric, value, t);
	if (t < policy->last_t)
		return cf__error_set(CF_EINVAL, "%s: time %g is earlier than the previous observation %g (timestamps "
			"must not decrease)", __func__, t, policy->last_t);
	policy->last_t = t;
	for (i = 0; i < policy->n; i++) {
		struct ro_rule *r = &policy->rules[i];
		int holds;
		if (strcmp(r->metric, metric) != 0)
			continue;
		holds = cmp_holds(r->cmp, value, r->threshold);
		/* A false observation, or a gap longer than the staleness, breaks the run. */
		if (!holds || !r->seen || t - r->last_t > policy->staleness_s || !r->holds)
			r->active_since = holds ? t : NAN;
		r->seen = 1;
		r->last_t = t;
		r->holds = holds;
	}
	return CF_OK;
}

int cf_rollout_policy_decide(cf_rollout_decision *out, cf_rollout_policy *policy, double now)
{
	size_t i, len = 0;
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(policy);
	if (isnan(now) || now < policy->last_t)
		return cf__error_set(CF_EINVAL, "%s: time %g is NaN or earlier than the last observation %g", __func__,
			now, policy->last_t);
	out->action = CF_ROLLOUT_NONE;
	out->firing = out->pending = 0;
	policy->explain[0] = '\0';
	for (i = 0; i < policy->n; i++) {
		struct ro_rule *r = &policy->rules[i];
		if (!r->seen || !r->holds || now - r->last_t > policy->staleness_s) {
			r->state = CF_ROLLOUT_INACTIVE;
			continue;
		}
		if (now - r->active_since >= r->for_s) {
			int w;
			r->state = CF_ROLLOUT_FIRING;
			out->firing++;
			if (r->action > out->action)
				out->action = r->action;
			w = snprintf(policy->explain + len, sizeof policy->explain - len,
				"%s%s: %s %s %g for %gs (held since t=%g, %gs) -> %s", len ? "\n" : "", r->name, r->metric,
				cmp_text(r->cmp), r->threshold, r->for_s, r->active_since, now - r->active_since,
				cf_rollout_action_name(r->action));
			if (w > 0)
				len = (size_t)w < sizeof policy->explain - len ? len + (size_t)w : sizeof policy->explain - 1;
		} else {
			r->state = CF_ROLLOUT_PENDING;
			out->pending++;
		}
	}
	out->explanation = policy->explain;
	return CF_OK;
}

int cf_rollout_policy_rule_state_get(cf_rollout_rule_state *out, double *active_since_out,
	const cf_rollout_policy *policy, size_t index)
{
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(policy);
	if (index >= policy->n)
		return cf__error_set(CF_EINVAL, "%s: rule %zu out of range (%zu rules)", __func__, index, policy->n);
	*out = policy->rules[index].state;
	if (active_since_out != NULL)
		*active_since_out = *out == CF_ROLLOUT_INACTIVE ? NAN : policy->rules[index].active_since;
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Condition expressions: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | '(' or ')' |
 * cmp; cmp := operand op operand; operand := 'result' | number. Compiled to a postfix program.
 */
enum ro_op { OP_CMP, OP_AND, OP_OR, OP_NOT };

struct ro_node {
	enum ro_op op;
	int rel;              /* 0 <, 1 <=, 2 >, 3 >=, 4 ==, 5 != */
	int lhs_result, rhs_result;
	double lhs, rhs;
};

struct ro_expr {
	int n;
	struct ro_node nodes[RO_EXPR_MAX_NODES];
};

struct ro_parser {
	const char *s, *p;
	struct ro_expr *e;
	int depth;
	const char *what;
};

static int perr(struct ro_parser *ps, const char *msg)
{
	return cf__error_set(CF_EINVAL, "%s: %s at offset %d in '%s'", ps->what, msg, (int)(ps->p - ps->s), ps->s);
}

static void skip_ws(struct ro_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Matches a word keyword not followed by an identifier character. */
static int eat_word(struct ro_parser *ps, const char *w)
{
	size_t n = strlen(w);
	skip_ws(ps);
	if (strncmp(ps->p, w, n) == 0 && !is_ident(ps->p[n])) {
		ps->p += n;
		return 1;
	}
	return 0;
}

static int eat_sym(struct ro_parser *ps, const char *sym)
{
	size_t n = strlen(sym);
	skip_ws(ps);
	if (strncmp(ps->p, sym, n) == 0) {
		ps->p += n;
		return 1;
	}
	return 0;
}

static int emit(struct ro_parser *ps, struct ro_node node)
{
	if (ps->e->n >= RO_EXPR_MAX_NODES)
		return perr(ps, "expression too long");
	ps->e->nodes[ps->e->n++] = node;
	return CF_OK;
}

static int parse_operand(struct ro_parser *ps, int *is_result, double *v)
{
	char *end;
	skip_ws(ps);
	if (eat_word(ps, "result")) {
		*is_result = 1;
		*v = 0;
		return CF_OK;
	}
	if (!((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '-' || *ps->p == '+' || *ps->p == '.'))
		return perr(ps, "expected 'result' or a number");
	*v = strtod(ps->p, &end);
	if (end == ps->p || !isfinite(*v) || is_ident(*end))
		return perr(ps, "malformed number");
	ps->p = end;
	*is_result = 0;
	return CF_OK;
}

static int parse_or(struct ro_parser *ps);

static int parse_unary(struct ro_parser *ps)
{
	struct ro_node node;
	static const char *const rels[] = { "<=", ">=", "==", "!=", "<", ">" };
	static const int relv[] = { 1, 3, 4, 5, 0, 2 };
	int rc, i, found = -1;

	memset(&node, 0, sizeof node);
	if (++ps->depth > 32)
		return perr(ps, "expression nested too deeply");
	skip_ws(ps);
	if (ps->p[0] == '!' && ps->p[1] != '=') {
		ps->p++;
		if ((rc = parse_unary(ps)) != 0)
			return rc;
		node.op = OP_NOT;
		rc = emit(ps, node);
	} else if (eat_word(ps, "not")) {
		if ((rc = parse_unary(ps)) != 0)
			return rc;
		node.op = OP_NOT;
		rc = emit(ps, node);
	} else if (eat_sym(ps, "(")) {
		if ((rc = parse_or(ps)) != 0)
			return rc;
		if (!eat_sym(ps, ")"))
			return perr(ps, "expected ')'");
		rc = CF_OK;
	} else {
		if ((rc = parse_operand(ps, &node.lhs_result, &node.lhs)) != 0)
			return rc;
		skip_ws(ps);
		for (i = 0; i < 6; i++)
			if (eat_sym(ps, rels[i])) {
				found = relv[i];
				break;
			}
		if (found < 0)
			return perr(ps, "expected a comparison operator (< <= > >= == !=)");
		node.rel = found;
		if ((rc = parse_operand(ps, &node.rhs_result, &node.rhs)) != 0)
			return rc;
		if (!node.lhs_result && !node.rhs_result)
			return perr(ps, "a comparison must involve 'result'");
		node.op = OP_CMP;
		rc = emit(ps, node);
	}
	ps->depth--;
	return rc;
}

static int parse_and(struct ro_parser *ps)
{
	struct ro_node node;
	int rc;
	memset(&node, 0, sizeof node);
	node.op = OP_AND;
	if ((rc = parse_unary(ps)) != 0)
		return rc;
	while (eat_sym(ps, "&&") || eat_word(ps, "and")) {
		if ((rc = parse_unary(ps)) != 0 || (rc = emit(ps, node)) != 0)
			return rc;
	}
	return CF_OK;
}

static int parse_or(struct ro_parser *ps)
{
	struct ro_node node;
	int rc;
	memset(&node, 0, sizeof node);
	node.op = OP_OR;
	if ((rc = parse_and(ps)) != 0)
		return rc;
	while (eat_sym(ps, "||") || eat_word(ps, "or")) {
		if ((rc = parse_and(ps)) != 0 || (rc = emit(ps, node)) != 0)
			return rc;
	}
	return CF_OK;
}

static int expr_compile(struct ro_expr *e, const char *text, const char *what)
{
	struct ro_parser ps;
	int rc;
	ps.s = ps.p = text;
	ps.e = e;
	ps.depth = 0;
	ps.what = what;
	e->n = 0;
	if (strlen(text) > RO_EXPR_MAX_LEN)
		return cf__error_set(CF_EINVAL, "%s: condition longer than %d bytes", what, RO_EXPR_MAX_LEN);
	skip_ws(&ps);
	if (*ps.p == '\0')
		return perr(&ps, "empty condition");
	if ((rc = parse_or(&ps)) != 0)
		return rc;
	skip_ws(&ps);
	if (*ps.p != '\0')
		return perr(&ps, "unexpected trailing text");
	return CF_OK;
}

static int expr_eval(const struct ro_expr *e, double result)
{
	int stack[RO_EXPR_MAX_NODES];
	int sp = 0, i;
	for (i = 0; i < e->n; i++) {
		const struct ro_node *nd = &e->nodes[i];
		double a, b;
		int v = 0;
		switch (nd->op) {
		case OP_CMP:
			a = nd->lhs_result ? result : nd->lhs;
			b = nd->rhs_result ? result : nd->rhs;
			switch (nd->rel) {
			case 0: v = a < b; break;
			case 1: v = a <= b; break;
			case 2: v = a > b; break;
			case 3: v = a >= b; break;
			case 4: v = a == b; break;
			default: v = a != b; break;
			}
			stack[sp++] = v;
			break;
		case OP_NOT:
			stack[sp - 1] = !stack[sp - 1];
			break;
		case OP_AND:
			sp--;
			stack[sp - 1] = stack[sp - 1] && stack[sp];
			break;
		case OP_OR:
			sp--;
			stack[sp - 1] = stack[sp - 1] || stack[sp];
			break;
		}
	}
	return sp == 1 ? stack[0] : 0;
}

int cf_rollout_condition_eval(int *out, const char *expr, double result)
{
	struct ro_expr e;
	int rc;
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(expr);
	if ((rc = expr_compile(&e, expr, __func__)) != 0)
		return rc;
	*out = expr_eval(&e, result);
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Analysis runs (argo-rollouts analysis/analysis.go).
 */
struct ro_metric {
	char name[RO_NAME_LEN];
	int has_success, has_failure;
	struct ro_expr success, failure;
	int count, failure_limit, inconclusive_limit, consecutive_error_limit, consecutive_success_limit;
	cf_rollout_metric_counts c;
	cf_rollout_phase phase;
};

struct cf_rollout_analysis {
	cf_context *ctx;
	size_t n;
	int terminated;
	struct ro_metric m[];
};

int cf_rollout_metric_init(cf_rollout_metric *metric)
{
	static const cf_rollout_metric defaults = CF_ROLLOUT_METRIC_INIT;
	CF__CHECK_ARG(metric);
	*metric = defaults;
	return CF_OK;
}

const char *cf_rollout_phase_name(cf_rollout_phase phase)
{
	switch (phase) {
	case CF_ROLLOUT_PHASE_PENDING: return "Pending";
	case CF_ROLLOUT_PHASE_RUNNING: return "Running";
	case CF_ROLLOUT_PHASE_SUCCESSFUL: return "Successful";
	case CF_ROLLOUT_PHASE_FAILED: return "Failed";
	case CF_ROLLOUT_PHASE_ERROR: return "Error";
	case CF_ROLLOUT_PHASE_INCONCLUSIVE: return "Inconclusive";
	}
	return "Unknown";
}

int cf_rollout_analysis_create(cf_rollout_analysis **out, cf_context *ctx, const cf_rollout_metric *metrics,
	size_t n)
{
	cf_rollout_analysis *a;
	char what[RO_NAME_LEN + 64];
	size_t i;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	CF__CHECK_ARG(metrics);
	if (n == 0 || n > RO_MAX_METRICS)
		return cf__error_set(CF_EINVAL, "%s: %zu metrics (1 to %d allowed)", __func__, n, RO_MAX_METRICS);
	a = cf__calloc(ctx, 1, sizeof *a + n * sizeof a->m[0], "rollout analysis");
	if (a == NULL)
		return CF_ENOMEM;
	a->ctx = ctx;
	a->n = n;
	for (i = 0; i < n; i++) {
		const cf_rollout_metric *src = &metrics[i];
		struct ro_metric *m = &a->m[i];
		rc = CF_OK;
		if (src->name == NULL || src->name[0] == '\0' || strlen(src->name) >= RO_NAME_LEN)
			rc = cf__error_set(CF_EINVAL, "cf_rollout_metric[%zu].name is NULL, empty or longer than %d bytes",
				i, RO_NAME_LEN - 1);
		else if (src->count < 0)
			rc = cf__error_set(CF_EINVAL, "cf_rollout_metric '%s': count %d is negative", src->name, src->count);
		else if (src->failure_limit < -1)
			rc = cf__error_set(CF_EINVAL, "cf_rollout_metric '%s': failure_limit %d is below -1", src->name,
				src->failure_limit);
		else if (src->inconclusive_limit < 0 || src->consecutive_error_limit < 0 ||
			src->consecutive_success_limit < 0)
			rc = cf__error_set(CF_EINVAL, "cf_rollout_metric '%s': inconclusive, consecutive error and "
				"consecutive success limits must be >= 0", src->name);
		if (rc == CF_OK) {
			snprintf(m->name, sizeof m->name, "%s", src->name);
			m->has_success = src->success_condition != NULL && src->success_condition[0] != '\0';
			m->has_failure = src->failure_condition != NULL && src->failure_condition[0] != '\0';
			snprintf(what, sizeof what, "cf_rollout_metric '%s' success_condition", src->name);
			if (m->has_success)
				rc = expr_compile(&m->success, src->success_condition, what);
			snprintf(what, sizeof what, "cf_rollout_metric '%s' failure_condition", src->name);
			if (rc == CF_OK && m->has_failure)
				rc = expr_compile(&m->failure, src->failure_condition, what);
		}
		if (rc != CF_OK) {
			cf__free(ctx, a);
			return rc;
		}
		m->count = src->count;
		m->failure_limit = src->failure_limit;
		m->inconclusive_limit = src->inconclusive_limit;
		m->consecutive_error_limit = src->consecutive_error_limit;
		m->consecutive_success_limit = src->consecutive_success_limit;
		m->phase = CF_ROLLOUT_PHASE_PENDING;
	}
	*out = a;
	return CF_OK;
}

void cf_rollout_analysis_free(cf_rollout_analysis *run)
{
	if (run == NULL)
		return;
	cf__free(run->ctx, run);
}

/* assessMetricStatus, for a metric whose last measurement has finished. */
static cf_rollout_phase assess(const struct ro_metric *m, int terminating)
{
	cf_rollout_phase phase = CF_ROLLOUT_PHASE_PENDING;
	int have = 0;
	if (m->c.count == 0)
		return terminating ? CF_ROLLOUT_PHASE_SUCCESSFUL : CF_ROLLOUT_PHASE_PENDING;
	/* assessMetricFailureInconclusiveOrError: later checks override earlier ones. */
	if (m->failure_limit >= 0 && m->c.failed > m->failure_limit) {
		phase = CF_ROLLOUT_PHASE_FAILED;
		have = 1;
	}
	if (m->c.inconclusive > m->inconclusive_limit) {
		phase = CF_ROLLOUT_PHASE_INCONCLUSIVE;
		have = 1;
	}
	if (m->c.consecutive_error > m->consecutive_error_limit) {
		phase = CF_ROLLOUT_PHASE_ERROR;
		have = 1;
	}
	if (have)
		return phase;
	if (m->consecutive_success_limit > 0 && m->c.consecutive_success >= m->consecutive_success_limit)
		return CF_ROLLOUT_PHASE_SUCCESSFUL;
	if (m->count > 0 && m->c.count >= m->count) {
		int failure_applies = m->failure_limit >= 0, success_applies = m->consecutive_success_limit > 0;
		if (failure_applies && success_applies)
			return CF_ROLLOUT_PHASE_INCONCLUSIVE;
		if (success_applies)
			return CF_ROLLOUT_PHASE_FAILED;
		return CF_ROLLOUT_PHASE_SUCCESSFUL;
	}
	return terminating ? CF_ROLLOUT_PHASE_SUCCESSFUL : CF_ROLLOUT_PHASE_RUNNING;
}

static int is_done(cf_rollout_phase p)
{
	return p != CF_ROLLOUT_PHASE_PENDING && p != CF_ROLLOUT_PHASE_RUNNING;
}

/* Metrics still Pending/Running are assessed as terminating; the run takes no more measurements. */
static void run_terminate(cf_rollout_analysis *run)
{
	size_t i;
	for (i = 0; i < run->n; i++)
		if (!is_done(run->m[i].phase))
			run->m[i].phase = assess(&run->m[i], 1);
	run->terminated = 1;
}

/* analysisutil.IsTerminating: a Failed, Error or Inconclusive metric terminates the whole run. */
static void after_assess(cf_rollout_analysis *run, const struct ro_metric *m)
{
	if (m->phase == CF_ROLLOUT_PHASE_FAILED || m->phase == CF_ROLLOUT_PHASE_ERROR ||
		m->phase == CF_ROLLOUT_PHASE_INCONCLUSIVE)
		run_terminate(run);
}

static int measurable(cf_rollout_analysis *run, size_t index, const char *fn)
{
	if (run == NULL)
		return cf__error_set(CF_EINVAL, "%s: argument 'run' must not be NULL", fn);
	if (index >= run->n)
		return cf__error_set(CF_EINVAL, "%s: metric %zu out of range (%zu metrics)", fn, index, run->n);
	if (run->terminated)
		return cf__error_set(CF_EINVAL, "%s: the run was terminated", fn);
	if (is_done(run->m[index].phase))
		return cf__error_set(CF_EINVAL, "%s: metric '%s' already completed (%s)", fn, run->m[index].name,
			cf_rollout_phase_name(run->m[index].phase));
	return CF_OK;
}

int cf_rollout_analysis_measure(cf_rollout_phase *out, cf_rollout_analysis *run, size_t index, double value)
{
	struct ro_metric *m;
	cf_rollout_phase ph;
	int rc, ok, bad;

	if ((rc = measurable(run, index, __func__)) != 0)
		return rc;
	m = &run->m[index];
	if (!isfinite(value))
		return cf__error_set(CF_EINVAL, "%s: metric '%s' value %g is not finite (report a failed query with "
			"cf_rollout_analysis_error)", __func__, m->name, value);
	/* EvaluateResult. */
	ok = m->has_success ? expr_eval(&m->success, value) : 0;
	bad = m->has_failure ? expr_eval(&m->failure, value) : 0;
	if (!m->has_success && !m->has_failure)
		ok = 1;
	else if (m->has_success && !m->has_failure)
		bad = !ok;
	else if (!m->has_success && m->has_failure)
		ok = !bad;
	if (bad)
		ph = CF_ROLLOUT_PHASE_FAILED;
	else if (!ok)
		ph = CF_ROLLOUT_PHASE_INCONCLUSIVE;
	else
		ph = CF_ROLLOUT_PHASE_SUCCESSFUL;
	m->c.count++;
	m->c.consecutive_error = 0;
	if (ph == CF_ROLLOUT_PHASE_SUCCESSFUL) {
		m->c.successful++;
		m->c.consecutive_success++;
	} else {
		m->c.consecutive_success = 0;
		if (ph == CF_ROLLOUT_PHASE_FAILED)
			m->c.failed++;
		else
			m->c.inconclusive++;
	}
	m->phase = assess(m, 0);
	after_assess(run, m);
	if (out != NULL)
		*out = ph;
	return CF_OK;
}

int cf_rollout_analysis_error(cf_rollout_analysis *run, size_t index)
{
	struct ro_metric *m;
	int rc;
	if ((rc = measurable(run, index, __func__)) != 0)
		return rc;
	m = &run->m[index];
	m->c.count++;
	m->c.error++;
	m->c.consecutive_error++;
	m->c.consecutive_success = 0;
	m->phase = assess(m, 0);
	after_assess(run, m);
	return CF_OK;
}

int cf_rollout_analysis_terminate(cf_rollout_analysis *run)
{
	CF__CHECK_ARG(run);
	run_terminate(run);
	return CF_OK;
}

cf_rollout_phase cf_rollout_analysis_metric_phase(const cf_rollout_analysis *run, size_t index)
{
	if (run == NULL || index >= run->n)
		return CF_ROLLOUT_PHASE_PENDING;
	return run->m[index].phase;
}

int cf_rollout_analysis_metric_counts(cf_rollout_metric_counts *out, const cf_rollout_analysis *run, size_t index)
{
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(run);
	if (index >= run->n)
		return cf__error_set(CF_EINVAL, "%s: metric %zu out of range (%zu metrics)", __func__, index, run->n);
	*out = run->m[index].c;
	return CF_OK;
}

/* analysisutil.IsWorse order. */
static int rank(cf_rollout_phase p)
{
	switch (p) {
	case CF_ROLLOUT_PHASE_SUCCESSFUL: return 0;
	case CF_ROLLOUT_PHASE_RUNNING: return 1;
	case CF_ROLLOUT_PHASE_PENDING: return 2;
	case CF_ROLLOUT_PHASE_INCONCLUSIVE: return 3;
	case CF_ROLLOUT_PHASE_ERROR: return 4;
	case CF_ROLLOUT_PHASE_FAILED: return 5;
	}
	return 0;
}

cf_rollout_phase cf_rollout_analysis_phase(const cf_rollout_analysis *run)
{
	cf_rollout_phase worst = CF_ROLLOUT_PHASE_SUCCESSFUL;
	size_t i;
	if (run == NULL)
		return CF_ROLLOUT_PHASE_PENDING;
	for (i = 0; i < run->n; i++)
		if (rank(run->m[i].phase) > rank(worst))
			worst = run->m[i].phase;
	return worst;
}
