/* SWIG interface of slo.h: typemaps and the header. Included by cogniforge.i.
 *
 * A policy is a sequence of (burn_rate, long_s, short_s, severity) tuples in and a list of dicts out; options
 * structs are dicts (an options "policy" key takes the same sequence); cf_slo_status comes back as a dict. */

%{
static int cf_py_slo_policy_fill(cf_slo_policy *p, PyObject *obj)
{
	PyObject *seq;
	Py_ssize_t n, i;

	memset(p, 0, sizeof *p);
	seq = PySequence_Fast(obj, "slo policy must be a sequence of (burn_rate, long_s, short_s, severity)");
	if (seq == NULL)
		return -1;
	n = PySequence_Fast_GET_SIZE(seq);
	if (n > CF_SLO_MAX_WINDOWS) {
		PyErr_Format(PyExc_ValueError, "slo policy: at most %d window pairs, not %zd", CF_SLO_MAX_WINDOWS, n);
		Py_DECREF(seq);
		return -1;
	}
	for (i = 0; i < n; i++) {
		cf_slo_window *w = &p->windows[i];
		int sev;
		if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i),
			"dddi;a window must be (burn_rate, long_s, short_s, severity)", &w->burn_rate, &w->long_s, &w->short_s, &sev)) {
			Py_DECREF(seq);
			return -1;
		}
		w->severity = (cf_slo_severity)sev;
	}
	p->count = (size_t)n;
	Py_DECREF(seq);
	return 0;
}

static PyObject *cf_py_slo_window_dict(const cf_slo_window *w)
{
	return Py_BuildValue("{s:d,s:d,s:d,s:s}", "burn_rate", w->burn_rate, "long_s", w->long_s, "short_s", w->short_s,
		"severity", w->severity == CF_SLO_PAGE ? "page" : "ticket");
}

static PyObject *cf_py_slo_policy_list(const cf_slo_policy *p)
{
	PyObject *list = PyList_New((Py_ssize_t)p->count);
	size_t i;

	if (list == NULL)
		return NULL;
	for (i = 0; i < p->count; i++) {
		PyObject *d = cf_py_slo_window_dict(&p->windows[i]);
		if (d == NULL) {
			Py_DECREF(list);
			return NULL;
		}
		PyList_SET_ITEM(list, (Py_ssize_t)i, d);
	}
	return list;
}

static PyObject *cf_py_slo_status_dict(const cf_slo_status *s)
{
	PyObject *wins = PyList_New((Py_ssize_t)s->window_count);
	size_t i;

	if (wins == NULL)
		return NULL;
	for (i = 0; i < s->window_count; i++) {
		const cf_slo_window_status *w = &s->windows[i];
		PyObject *d = Py_BuildValue("{s:d,s:d,s:d,s:s,s:K,s:K,s:K,s:K,s:d,s:d,s:d,s:d,s:d,s:O}",
			"burn_rate", w->window.burn_rate, "long_s", w->window.long_s, "short_s", w->window.short_s,
			"severity", w->window.severity == CF_SLO_PAGE ? "page" : "ticket",
			"long_good", (unsigned long long)w->long_good, "long_total", (unsigned long long)w->long_total,
			"short_good", (unsigned long long)w->short_good, "short_total", (unsigned long long)w->short_total,
			"long_error_ratio", w->long_error_ratio, "short_error_ratio", w->short_error_ratio,
			"long_burn_rate", w->long_burn_rate, "short_burn_rate", w->short_burn_rate,
			"threshold", w->threshold, "firing", w->firing ? Py_True : Py_False);
		if (d == NULL) {
			Py_DECREF(wins);
			return NULL;
		}
		PyList_SET_ITEM(wins, (Py_ssize_t)i, d);
	}
	return Py_BuildValue("{s:d,s:K,s:K,s:d,s:d,s:d,s:d,s:d,s:O,s:O,s:N,s:N}",
		"now", s->now, "period_good", (unsigned long long)s->period_good,
		"period_total", (unsigned long long)s->period_total, "error_ratio", s->error_ratio,
		"burn_rate", s->burn_rate, "budget_consumed", s->budget_consumed, "budget_remaining", s->budget_remaining,
		"time_to_exhaustion_s", s->time_to_exhaustion_s, "page", s->page ? Py_True : Py_False,
		"ticket", s->ticket ? Py_True : Py_False, "windows", wins,
		"explanation", cf_py_str_or_none(s->explanation));
}

/* Options dict with an optional "policy" key (a window sequence): the rest fills `base` through `fields`. */
static int cf_py_slo_opts_fill(void *base, const cf_py_field *fields, PyObject *dict, const char *what,
	PyObject **keep, cf_slo_policy *pol, const cf_slo_policy **polfield)
{
	PyObject *copy, *p;
	int rc;

	if (!PyDict_Check(dict)) {
		PyErr_Format(PyExc_TypeError, "%s options must be a dict or None, not %.200s", what, Py_TYPE(dict)->tp_name);
		return -1;
	}
	if ((copy = PyDict_Copy(dict)) == NULL)
		return -1;
	if ((p = PyDict_GetItemString(copy, "policy")) != NULL) {
		if (p != Py_None) {
			if (cf_py_slo_policy_fill(pol, p) < 0) {
				Py_DECREF(copy);
				return -1;
			}
			*polfield = pol;
		}
		if (PyDict_DelItemString(copy, "policy") < 0) {
			Py_DECREF(copy);
			return -1;
		}
	}
	rc = cf_py_keep(keep, copy);
	Py_DECREF(copy);
	if (rc < 0)
		return -1;
	return cf_py_fill_options(base, fields, copy, what, keep);
}

static const cf_py_field cf_py_slo_fields[] = {
	CF_PY_FIELD(cf_slo_options, objective, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_slo_options, period_s, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_slo_options, resolution_s, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_slo_options, preset, CF_PY_F_STR),
	CF_PY_FIELD(cf_slo_options, kind, CF_PY_F_INT),
	CF_PY_FIELD(cf_slo_options, slice_s, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_slo_options, op, CF_PY_F_INT),
	CF_PY_FIELD(cf_slo_options, threshold, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_slo_options, slice_target, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_slo_options, missing_slices_bad, CF_PY_F_BOOL),
	{ NULL, 0, 0, 0 }
};

static const cf_py_field cf_py_slo_rules_fields[] = {
	CF_PY_FIELD(cf_slo_rules_options, preset, CF_PY_F_STR),
	CF_PY_FIELD(cf_slo_rules_options, period_s, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_slo_rules_options, disable_alerts, CF_PY_F_BOOL),
	CF_PY_FIELD(cf_slo_rules_options, disable_recordings, CF_PY_F_BOOL),
	{ NULL, 0, 0, 0 }
};

static const cf_slo_options cf_py_slo_defaults = CF_SLO_OPTIONS_INIT;
static const cf_slo_rules_options cf_py_slo_rules_defaults = CF_SLO_RULES_OPTIONS_INIT;

/* histogram_quantile / histogram_good with the two arrays' lengths checked by the Python layer. */
static int cf_py_slo_histogram_quantile(double *out, double q, const double *les, size_t n_les,
	const double *counts, size_t n_counts)
{
	(void)n_counts;
	return cf_slo_histogram_quantile(out, q, les, counts, n_les);
}

static int cf_py_slo_histogram_good(double *out, double threshold, const double *les, size_t n_les,
	const double *counts, size_t n_counts)
{
	(void)n_counts;
	return cf_slo_histogram_good(out, threshold, les, counts, n_les);
}
%}

%typemap(in) const cf_slo_options *opts (cf_slo_options temp, cf_slo_policy pol, PyObject *keep = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		temp = cf_py_slo_defaults;
		if (cf_py_slo_opts_fill(&temp, cf_py_slo_fields, $input, "slo", &keep, &pol, &temp.policy) < 0)
			SWIG_fail;
		$1 = &temp;
	}
}
%typemap(freearg) const cf_slo_options *opts {
	Py_XDECREF(keep$argnum);
}

%typemap(in) const cf_slo_rules_options *opts (cf_slo_rules_options temp, cf_slo_policy pol, PyObject *keep = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		temp = cf_py_slo_rules_defaults;
		if (cf_py_slo_opts_fill(&temp, cf_py_slo_rules_fields, $input, "slo rules", &keep, &pol, &temp.policy) < 0)
			SWIG_fail;
		$1 = &temp;
	}
}
%typemap(freearg) const cf_slo_rules_options *opts {
	Py_XDECREF(keep$argnum);
}

%typemap(in) const cf_slo_policy *policy (cf_slo_policy temp) {
	if (cf_py_slo_policy_fill(&temp, $input) < 0)
		SWIG_fail;
	$1 = &temp;
}

%typemap(in, numinputs=0) cf_slo_policy *out (cf_slo_policy temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_slo_policy *out {
	$result = SWIG_Python_AppendOutput($result, cf_py_slo_policy_list($1));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_slo_status *out (cf_slo_status temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_slo_status *out {
	$result = SWIG_Python_AppendOutput($result, cf_py_slo_status_dict($1));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) uint64_t *out (uint64_t temp = 0) {
	$1 = &temp;
}
%typemap(argout) uint64_t *out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromUnsignedLongLong((unsigned long long)*$1));
	if ($result == NULL)
		SWIG_fail;
}

%apply (const void *data, size_t len) { (const char *text, size_t len) };
%apply (const double *IN_ARRAY, size_t IN_LENGTH) { (const double *les, size_t n_les),
	(const double *counts, size_t n_counts) };

%ignore cf_slo_window;
%ignore cf_slo_policy;
%ignore cf_slo_options;
%ignore cf_slo_options_init;
%ignore cf_slo_window_status;
%ignore cf_slo_status;
%ignore cf_slo_rules_options;
%ignore cf_slo_rules_options_init;
%ignore cf_slo_add_events;          /* Python adds (t, good, total) samples */
%ignore cf_slo_histogram_quantile;  /* through cf_py_slo_histogram_quantile */
%ignore cf_slo_histogram_good;

CF_PY_NOCHECK(cf_slo_free)
CF_PY_NOCHECK(cf_slo_memory)
CF_PY_NOCHECK(cf_slo_sketch_free)
CF_PY_NOCHECK(cf_slo_sketch_count)
CF_PY_NOCHECK(cf_slo_spec_free)
CF_PY_NOCHECK(cf_slo_spec_service)
CF_PY_NOCHECK(cf_slo_spec_count)
CF_PY_NOCHECK(cf_slo_spec_name)
CF_PY_NOCHECK(cf_slo_spec_objective)

/* slo.h's declarations as of this binding, listed rather than %include'd: declarations appended to slo.h
 * later (the backtest) are not wrapped until they get typemaps. */
%constant int CF_SLO_PAGE = CF_SLO_PAGE;
%constant int CF_SLO_TICKET = CF_SLO_TICKET;
%constant int CF_SLO_MAX_WINDOWS = CF_SLO_MAX_WINDOWS;
%constant int CF_SLO_EVENTS = CF_SLO_EVENTS;
%constant int CF_SLO_TIMESLICES = CF_SLO_TIMESLICES;
%constant int CF_SLO_GE = CF_SLO_GE;
%constant int CF_SLO_GT = CF_SLO_GT;
%constant int CF_SLO_LE = CF_SLO_LE;
%constant int CF_SLO_LT = CF_SLO_LT;

int cf_slo_error_budget(double *out, double objective);
int cf_slo_burn_rate(double *out, double error_ratio, double objective);
int cf_slo_time_to_exhaustion(double *out, double burn_rate, double period_s, double budget_remaining);
int cf_slo_budget_consumed(double *out, double burn_rate, double window_s, double period_s);
int cf_slo_detection_time(double *out, double error_ratio, double objective, double burn_threshold,
	double window_s);
int cf_slo_reset_time(double *out, double error_ratio, double objective, double burn_threshold,
	double window_s, double duration_s);
int cf_slo_parse_duration(double *out, const char *text);
int cf_slo_policy_preset(cf_slo_policy *out, const char *name);
int cf_slo_policy_validate(const cf_slo_policy *policy, double objective, double period_s);
int cf_slo_create(cf_slo **out, cf_context *ctx, const cf_slo_options *opts);
void cf_slo_free(cf_slo *slo);
int cf_slo_add(cf_slo *slo, double t, uint64_t good, uint64_t total);
int cf_slo_add_counters(cf_slo *slo, double t, uint64_t good_cumulative, uint64_t total_cumulative);
int cf_slo_add_gauge(cf_slo *slo, double t, double value);
int cf_slo_evaluate(cf_slo_status *out, cf_slo *slo, double now);
size_t cf_slo_memory(const cf_slo *slo);
int cf_slo_sketch_create(cf_slo_sketch **out, cf_context *ctx, double alpha, size_t max_bins);
void cf_slo_sketch_free(cf_slo_sketch *sketch);
int cf_slo_sketch_add(cf_slo_sketch *sketch, double value, uint64_t count);
int cf_slo_sketch_merge(cf_slo_sketch *dst, const cf_slo_sketch *src);
int cf_slo_sketch_quantile(double *out, const cf_slo_sketch *sketch, double q);
uint64_t cf_slo_sketch_count(const cf_slo_sketch *sketch);
int cf_slo_sketch_count_le(uint64_t *out, const cf_slo_sketch *sketch, double threshold);
int cf_slo_sketch_to_msgpack(cf_buf *out, const cf_slo_sketch *sketch);
int cf_slo_sketch_from_msgpack(cf_slo_sketch **out, cf_context *ctx, const void *data, size_t len);
int cf_slo_spec_parse(cf_slo_spec **out, cf_context *ctx, const char *text, size_t len, const char *source);
void cf_slo_spec_free(cf_slo_spec *spec);
const char *cf_slo_spec_service(const cf_slo_spec *spec);
size_t cf_slo_spec_count(const cf_slo_spec *spec);
const char *cf_slo_spec_name(const cf_slo_spec *spec, size_t i);
double cf_slo_spec_objective(const cf_slo_spec *spec, size_t i);
int cf_slo_spec_check(const cf_slo_spec *spec, const cf_slo_rules_options *opts);
int cf_slo_rules_generate(cf_buf *out, const cf_slo_spec *spec, const cf_slo_rules_options *opts);

int cf_py_slo_histogram_quantile(double *out, double q, const double *les, size_t n_les, const double *counts,
	size_t n_counts);
int cf_py_slo_histogram_good(double *out, double threshold, const double *les, size_t n_les, const double *counts,
	size_t n_counts);
