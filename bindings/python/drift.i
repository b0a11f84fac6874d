/* SWIG interface of drift.h: typemaps and the header. Included by cogniforge.i.
 *
 * Samples are float64 buffers (IN_ARRAY); options are dicts; a cf_drift_result comes back as a dict; tests with a
 * statistic and a p-value return both. */

%{
static PyObject *cf_py_drift_result_dict(const cf_drift_result *r)
{
	return Py_BuildValue("{s:N,s:s,s:d,s:d,s:d,s:d,s:O,s:O,s:K,s:K,s:K,s:O}",
		"column", cf_py_str_or_none(r->column), "method", r->method_name ? r->method_name : "",
		"statistic", r->statistic, "p_value", r->p_value, "score", r->score, "threshold", r->threshold,
		"drifted", r->drifted ? Py_True : Py_False, "exact", r->exact ? Py_True : Py_False,
		"n_ref", (unsigned long long)r->n_ref, "n_cur", (unsigned long long)r->n_cur,
		"n_unique", (unsigned long long)r->n_unique, "categorical", r->categorical ? Py_True : Py_False);
}

static const cf_py_field cf_py_drift_fields[] = {
	CF_PY_FIELD(cf_drift_options, method, CF_PY_F_INT),
	CF_PY_FIELD(cf_drift_options, threshold, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_drift_options, drift_share, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_drift_options, exact_max, CF_PY_F_SIZE),
	CF_PY_FIELD(cf_drift_options, kll_k, CF_PY_F_UINT),
	{ NULL, 0, 0, 0 }
};

static const cf_drift_options cf_py_drift_defaults = CF_DRIFT_OPTIONS_INIT;

/* Two arrays of one length (checked by the Python layer). */
static int cf_py_drift_chisquare(double *stat_out, double *p_out, const double *f_obs, size_t n_obs,
	const double *f_exp, size_t n_exp)
{
	(void)n_exp;
	return cf_drift_chisquare(stat_out, p_out, f_obs, f_exp, n_obs);
}

static int cf_py_drift_jensen_shannon_dist(double *out, const double *p, size_t n_p, const double *q, size_t n_q)
{
	(void)n_q;
	return cf_drift_jensen_shannon_dist(out, p, q, n_p);
}
%}

CF_PY_OPTIONS_TYPEMAP(cf_drift_options, opts, cf_py_drift_fields, "drift", temp = cf_py_drift_defaults;)

%apply double *out { double *stat_out, double *p_out };
%apply (const double *IN_ARRAY, size_t IN_LENGTH) { (const double *ref, size_t n_ref),
	(const double *cur, size_t n_cur), (const double *f_obs, size_t n_obs), (const double *f_exp, size_t n_exp),
	(const double *p, size_t n_p), (const double *q, size_t n_q) };

%typemap(in, numinputs=0) cf_drift_result *out (cf_drift_result temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_drift_result *out {
	$result = SWIG_Python_AppendOutput($result, cf_py_drift_result_dict($1));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_drift_method *out (cf_drift_method temp = CF_DRIFT_AUTO) {
	$1 = &temp;
}
%typemap(argout) cf_drift_method *out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)*$1));
	if ($result == NULL)
		SWIG_fail;
}

%ignore cf_drift_options;
%ignore cf_drift_options_init;
%ignore cf_drift_result;
%ignore cf_drift_chisquare;            /* through cf_py_drift_chisquare */
%ignore cf_drift_jensen_shannon_dist;  /* through cf_py_drift_jensen_shannon_dist */

CF_PY_NOCHECK(cf_drift_method_name)
CF_PY_NOCHECK(cf_drift_method_default_threshold)
CF_PY_NOCHECK(cf_drift_igamc)
CF_PY_NOCHECK(cf_drift_profile_free)
CF_PY_NOCHECK(cf_drift_profile_num_rows)
CF_PY_NOCHECK(cf_drift_profile_num_columns)
CF_PY_INT_VALUE(cf_drift_profile_column_exact)
CF_PY_NOCHECK(cf_drift_report_free)
CF_PY_NOCHECK(cf_drift_report_num_columns)
CF_PY_NOCHECK(cf_drift_report_num_drifted)
CF_PY_NOCHECK(cf_drift_report_share)
CF_PY_INT_VALUE(cf_drift_report_dataset_drift)

%include "cogniforge/drift.h"

int cf_py_drift_chisquare(double *stat_out, double *p_out, const double *f_obs, size_t n_obs, const double *f_exp,
	size_t n_exp);
int cf_py_drift_jensen_shannon_dist(double *out, const double *p, size_t n_p, const double *q, size_t n_q);
