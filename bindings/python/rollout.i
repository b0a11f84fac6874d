/* SWIG interface of rollout.h (policies, AnalysisRun, Mann-Whitney, rollback plans). Included by cogniforge.i.
 *
 * Rules are a sequence of (name, metric, cmp, threshold, for_s, action) tuples; analysis metrics a sequence of
 * (name, success_condition, failure_condition, count, failure_limit, inconclusive_limit,
 * consecutive_error_limit, consecutive_success_limit) tuples (conditions may be None); judge metrics are
 * (name, control, experiment, direction, weight, critical) with float64 buffers. The circuit breaker and the
 * request simulator are not wrapped yet. */

%{
#define CF_PY_ROLLOUT_HOLD_INIT { NULL, 0, NULL }

typedef struct cf_py_rollout_rules {
	cf_rollout_rule *rules;
	size_t n;
	PyObject *seq;
} cf_py_rollout_rules;

static int cf_py_rollout_rules_fill(cf_py_rollout_rules *h, PyObject *obj)
{
	Py_ssize_t n, i;

	memset(h, 0, sizeof *h);
	if ((h->seq = PySequence_Fast(obj, "rollout rules must be a sequence of tuples")) == NULL)
		return -1;
	n = PySequence_Fast_GET_SIZE(h->seq);
	if ((h->rules = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof *h->rules)) == NULL) {
		PyErr_NoMemory();
		return -1;
	}
	for (i = 0; i < n; i++) {
		cf_rollout_rule *r = &h->rules[i];
		int cmp, action;
		if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(h->seq, i),
			"ssiddi;a rule must be (name, metric, cmp, threshold, for_s, action)", &r->name, &r->metric, &cmp,
			&r->threshold, &r->for_s, &action))
			return -1;
		r->cmp = (cf_rollout_cmp)cmp;
		r->action = (cf_rollout_action)action;
	}
	h->n = (size_t)n;
	return 0;
}

typedef struct cf_py_rollout_metrics {
	cf_rollout_metric *metrics;
	size_t n;
	PyObject *seq;
} cf_py_rollout_metrics;

static int cf_py_rollout_metrics_fill(cf_py_rollout_metrics *h, PyObject *obj)
{
	Py_ssize_t n, i;

	memset(h, 0, sizeof *h);
	if ((h->seq = PySequence_Fast(obj, "analysis metrics must be a sequence of tuples")) == NULL)
		return -1;
	n = PySequence_Fast_GET_SIZE(h->seq);
	if ((h->metrics = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof *h->metrics)) == NULL) {
		PyErr_NoMemory();
		return -1;
	}
	for (i = 0; i < n; i++) {
		cf_rollout_metric *m = &h->metrics[i];
		if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(h->seq, i), "szziiiii;a metric must be (name, "
			"success_condition, failure_condition, count, failure_limit, inconclusive_limit, "
			"consecutive_error_limit, consecutive_success_limit)", &m->name, &m->success_condition,
			&m->failure_condition, &m->count, &m->failure_limit, &m->inconclusive_limit,
			&m->consecutive_error_limit, &m->consecutive_success_limit))
			return -1;
	}
	h->n = (size_t)n;
	return 0;
}

static const cf_py_field cf_py_rollout_policy_fields[] = {
	CF_PY_FIELD(cf_rollout_policy_options, staleness_s, CF_PY_F_DOUBLE),
	{ NULL, 0, 0, 0 }
};

static const cf_rollout_policy_options cf_py_rollout_policy_defaults = CF_ROLLOUT_POLICY_OPTIONS_INIT;

/* cf_rollout_plan_build() then cf_rollout_plan_to_json(). */
static int cf_py_rollout_plan_json(cf_buf *out, const char *service, const char *stable_version,
	const char *canary_version, const char *reason, double t)
{
	cf_rollout_plan plan;
	int rc = cf_rollout_plan_build(&plan, service, stable_version, canary_version, reason, t);

	return rc < 0 ? rc : cf_rollout_plan_to_json(out, &plan);
}

/* The judge's metrics: a sequence of (name, control float64 buffer, experiment float64 buffer, direction,
 * weight, critical); the results array is allocated alongside. */
#define CF_PY_JUDGE_MAX 1024

typedef struct cf_py_rollout_judge {
	cf_rollout_judge_metric *metrics;
	cf_rollout_judge_metric_result *results;
	Py_buffer *views;
	size_t nviews, n;
	PyObject *seq;
} cf_py_rollout_judge;

#define CF_PY_ROLLOUT_JUDGE_INIT { NULL, NULL, NULL, 0, 0, NULL }

static void cf_py_rollout_judge_release(cf_py_rollout_judge *h)
{
	while (h->nviews > 0)
		PyBuffer_Release(&h->views[--h->nviews]);
	PyMem_Free(h->views);
	PyMem_Free(h->metrics);
	PyMem_Free(h->results);
	Py_XDECREF(h->seq);
}

static int cf_py_rollout_judge_fill(cf_py_rollout_judge *h, PyObject *obj)
{
	Py_ssize_t n, i;

	if ((h->seq = PySequence_Fast(obj, "judge metrics must be a sequence of tuples")) == NULL)
		return -1;
	n = PySequence_Fast_GET_SIZE(h->seq);
	if (n < 1 || n > CF_PY_JUDGE_MAX) {
		PyErr_Format(PyExc_ValueError, "judge: 1 to %d metrics, not %zd", CF_PY_JUDGE_MAX, n);
		return -1;
	}
	h->metrics = PyMem_Calloc((size_t)n, sizeof *h->metrics);
	h->results = PyMem_Calloc((size_t)n, sizeof *h->results);
	h->views = PyMem_Calloc(2 * (size_t)n, sizeof *h->views);
	if (h->metrics == NULL || h->results == NULL || h->views == NULL) {
		PyErr_NoMemory();
		return -1;
	}
	for (i = 0; i < n; i++) {
		cf_rollout_judge_metric *m = &h->metrics[i];
		PyObject *control, *experiment;
		int direction;
		if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(h->seq, i), "sOOidp;a judge metric must be (name, "
			"control, experiment, direction, weight, critical)", &m->name, &control, &experiment, &direction,
			&m->weight, &m->critical))
			return -1;
		m->direction = (cf_rollout_direction)direction;
		if (cf_py_array_get(control, &h->views[h->nviews], PyBUF_SIMPLE, "d", sizeof(double), _Alignof(double),
			"double", "judge", "control") < 0)
			return -1;
		m->control = h->views[h->nviews].buf;
		m->n_control = (size_t)(h->views[h->nviews].len / (Py_ssize_t)sizeof(double));
		h->nviews++;
		if (cf_py_array_get(experiment, &h->views[h->nviews], PyBUF_SIMPLE, "d", sizeof(double),
			_Alignof(double), "double", "judge", "experiment") < 0)
			return -1;
		m->experiment = h->views[h->nviews].buf;
		m->n_experiment = (size_t)(h->views[h->nviews].len / (Py_ssize_t)sizeof(double));
		h->nviews++;
	}
	h->n = (size_t)n;
	return 0;
}

static PyObject *cf_py_rollout_judge_results(const cf_py_rollout_judge *h)
{
	PyObject *list = PyList_New((Py_ssize_t)h->n);
	size_t i;

	if (list == NULL)
		return NULL;
	for (i = 0; i < h->n; i++) {
		const cf_rollout_judge_metric_result *r = &h->results[i];
		PyObject *d = Py_BuildValue("{s:s,s:i,s:d,s:d,s:d,s:d,s:d}", "name", h->metrics[i].name,
			"classification", (int)r->classification, "estimate", r->estimate, "ci_lower", r->ci_lower,
			"ci_upper", r->ci_upper, "mean_ratio", r->mean_ratio, "p_value", r->p_value);
		if (d == NULL) {
			Py_DECREF(list);
			return NULL;
		}
		PyList_SET_ITEM(list, (Py_ssize_t)i, d);
	}
	return list;
}

static const cf_py_field cf_py_rollout_judge_fields[] = {
	CF_PY_FIELD(cf_rollout_judge_options, tolerance, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_rollout_judge_options, conf_level, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_rollout_judge_options, allowed_increase, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_rollout_judge_options, allowed_decrease, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_rollout_judge_options, pass_threshold, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_rollout_judge_options, marginal_threshold, CF_PY_F_DOUBLE),
	{ NULL, 0, 0, 0 }
};

static const cf_rollout_judge_options cf_py_rollout_judge_defaults = CF_ROLLOUT_JUDGE_OPTIONS_INIT;
%}

CF_PY_OPTIONS_TYPEMAP(cf_rollout_policy_options, opts, cf_py_rollout_policy_fields, "rollout policy",
	temp = cf_py_rollout_policy_defaults;)

%typemap(in) (const cf_rollout_rule *rules, size_t n) (cf_py_rollout_rules hold = CF_PY_ROLLOUT_HOLD_INIT) {
	if (cf_py_rollout_rules_fill(&hold, $input) < 0) {
		PyMem_Free(hold.rules);
		Py_XDECREF(hold.seq);
		SWIG_fail;
	}
	$1 = hold.rules;
	$2 = hold.n;
}
%typemap(freearg) (const cf_rollout_rule *rules, size_t n) {
	PyMem_Free(hold$argnum.rules);
	Py_XDECREF(hold$argnum.seq);
}

%typemap(in) (const cf_rollout_metric *metrics, size_t n) (cf_py_rollout_metrics hold = CF_PY_ROLLOUT_HOLD_INIT) {
	if (cf_py_rollout_metrics_fill(&hold, $input) < 0) {
		PyMem_Free(hold.metrics);
		Py_XDECREF(hold.seq);
		SWIG_fail;
	}
	$1 = hold.metrics;
	$2 = hold.n;
}
%typemap(freearg) (const cf_rollout_metric *metrics, size_t n) {
	PyMem_Free(hold$argnum.metrics);
	Py_XDECREF(hold$argnum.seq);
}

%typemap(in, numinputs=0) cf_rollout_decision *out (cf_rollout_decision temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_rollout_decision *out {
	$result = SWIG_Python_AppendOutput($result, Py_BuildValue("{s:i,s:n,s:n,s:N}", "action", (int)$1->action,
		"firing", (Py_ssize_t)$1->firing, "pending", (Py_ssize_t)$1->pending,
		"explanation", cf_py_str_or_none($1->explanation)));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_rollout_phase *out (cf_rollout_phase temp = CF_ROLLOUT_PHASE_PENDING) {
	$1 = &temp;
}
%typemap(argout) cf_rollout_phase *out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)*$1));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_rollout_rule_state *out (cf_rollout_rule_state temp = CF_ROLLOUT_INACTIVE) {
	$1 = &temp;
}
%typemap(argout) cf_rollout_rule_state *out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)*$1));
	if ($result == NULL)
		SWIG_fail;
}
%apply double *out { double *active_since_out };

%typemap(in, numinputs=0) cf_rollout_metric_counts *out (cf_rollout_metric_counts temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_rollout_metric_counts *out {
	$result = SWIG_Python_AppendOutput($result, Py_BuildValue("{s:i,s:i,s:i,s:i,s:i,s:i,s:i}",
		"count", $1->count, "successful", $1->successful, "failed", $1->failed, "inconclusive", $1->inconclusive,
		"error", $1->error, "consecutive_error", $1->consecutive_error,
		"consecutive_success", $1->consecutive_success));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_rollout_mw *out (cf_rollout_mw temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_rollout_mw *out {
	$result = SWIG_Python_AppendOutput($result, Py_BuildValue("(ddd)", $1->u, $1->z, $1->p_value));
	if ($result == NULL)
		SWIG_fail;
}


CF_PY_OPTIONS_TYPEMAP(cf_rollout_judge_options, opts, cf_py_rollout_judge_fields, "judge",
	temp = cf_py_rollout_judge_defaults;)

%apply double *out { double *score_out };
%typemap(in, numinputs=0) cf_rollout_verdict *verdict_out (cf_rollout_verdict temp = CF_ROLLOUT_VERDICT_PASS) {
	$1 = &temp;
}
%typemap(argout) cf_rollout_verdict *verdict_out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)*$1));
	if ($result == NULL)
		SWIG_fail;
}
%typemap(in) (cf_rollout_judge_metric_result *results_out, const cf_rollout_judge_metric *metrics, size_t n)
	(cf_py_rollout_judge hold = CF_PY_ROLLOUT_JUDGE_INIT) {
	if (cf_py_rollout_judge_fill(&hold, $input) < 0)
		SWIG_fail;
	$1 = hold.results;
	$2 = hold.metrics;
	$3 = hold.n;
}
%typemap(argout) (cf_rollout_judge_metric_result *results_out, const cf_rollout_judge_metric *metrics, size_t n) {
	$result = SWIG_Python_AppendOutput($result, cf_py_rollout_judge_results(&hold$argnum));
	if ($result == NULL)
		SWIG_fail;
}
%typemap(freearg) (cf_rollout_judge_metric_result *results_out, const cf_rollout_judge_metric *metrics, size_t n) {
	cf_py_rollout_judge_release(&hold$argnum);
}

%apply (const double *IN_ARRAY, size_t IN_LENGTH) { (const double *x, size_t nx), (const double *y, size_t ny) };

%ignore cf_rollout_rule;
%ignore cf_rollout_policy_options;
%ignore cf_rollout_policy_options_init;
%ignore cf_rollout_decision;
%ignore cf_rollout_metric;
%ignore cf_rollout_metric_init;
%ignore cf_rollout_metric_counts;
%ignore cf_rollout_condition_eval;
%ignore cf_rollout_mw;
%ignore cf_rollout_judge_metric;
%ignore cf_rollout_judge_metric_result;
%ignore cf_rollout_judge_options;
%ignore cf_rollout_judge_options_init;
%ignore cf_rollout_breaker_options;
%ignore cf_rollout_breaker_options_init;
%ignore cf_rollout_breaker_create;
%ignore cf_rollout_breaker_free;
%ignore cf_rollout_breaker_record;
%ignore cf_rollout_breaker_is_ejected;
%ignore cf_rollout_breaker_ejections;
%ignore cf_rollout_request_result;
%ignore cf_rollout_request_simulate;
%ignore cf_rollout_step;
%ignore cf_rollout_plan;
%ignore cf_rollout_plan_build;    /* through cf_py_rollout_plan_json */
%ignore cf_rollout_plan_to_json;

CF_PY_NOCHECK(cf_rollout_policy_free)
CF_PY_NOCHECK(cf_rollout_policy_rule_count)
CF_PY_NOCHECK(cf_rollout_analysis_free)
CF_PY_NOCHECK(cf_rollout_analysis_metric_phase)
CF_PY_NOCHECK(cf_rollout_analysis_phase)
CF_PY_NOCHECK(cf_rollout_phase_name)
CF_PY_NOCHECK(cf_rollout_step_name)
CF_PY_NOCHECK(cf_rollout_action_name)

%include "cogniforge/rollout.h"

int cf_py_rollout_plan_json(cf_buf *out, const char *service, const char *stable_version, const char *canary_version,
	const char *reason, double t);
