/* SWIG interface of fairness.h: typemaps and the header. Included by cogniforge.i.
 *
 * A `const cf_fairness_data *data` is the tuple (y_true, y_pred, scores, weights, features): uint8 buffers for
 * the labels (y_pred may be None), float64 buffers (or None) for scores and weights, and features a sequence of
 * (name, int32 codes buffer, [labels]). Buffers are borrowed without copies until the wrapper returns.
 * Records (groups, disparities) come back as dicts. */

%{
#define CF_PY_FAIR_MAX 16

typedef struct cf_py_fair_data {
	cf_fairness_data d;
	cf_fairness_feature f[CF_PY_FAIR_MAX];
	Py_buffer views[4 + CF_PY_FAIR_MAX];
	int nviews;
} cf_py_fair_data;

static void cf_py_fair_release(cf_py_fair_data *h)
{
	while (h->nviews > 0)
		PyBuffer_Release(&h->views[--h->nviews]);
}

/* Borrow one array (None allowed when `optional`); *len_out gets its element count. */
static int cf_py_fair_array(cf_py_fair_data *h, PyObject *obj, const char *codes, size_t size, size_t align,
	const char *ctype, const char *param, const void **out, size_t *len_out, int optional)
{
	Py_buffer *v = &h->views[h->nviews];

	*out = NULL;
	if (obj == Py_None) {
		if (optional)
			return 0;
		PyErr_Format(PyExc_TypeError, "fairness data: %s is required", param);
		return -1;
	}
	if (cf_py_array_get(obj, v, PyBUF_SIMPLE, codes, size, align, ctype, "fairness", param) < 0)
		return -1;
	h->nviews++;
	*out = v->buf;
	*len_out = (size_t)(v->len / v->itemsize);
	return 0;
}

static int cf_py_fair_data_fill(cf_py_fair_data *h, PyObject *obj, PyObject **keep)
{
	PyObject *yt, *yp, *sc, *wt, *feats, *seq;
	const void *p;
	size_t n = 0, len = 0;
	Py_ssize_t nf, i;

	memset(h, 0, sizeof *h);
	if (!PyArg_ParseTuple(obj, "OOOOO;fairness data must be (y_true, y_pred, scores, weights, features)", &yt, &yp,
		&sc, &wt, &feats))
		return -1;
	if (cf_py_fair_array(h, yt, "B?", 1, 1, "uint8_t", "y_true", &p, &n, 0) < 0)
		return -1;
	h->d.y_true = p;
	h->d.length = n;
	if (cf_py_fair_array(h, yp, "B?", 1, 1, "uint8_t", "y_pred", &p, &len, 1) < 0)
		return -1;
	if ((h->d.y_pred = p) != NULL && len != n)
		goto length;
	if (cf_py_fair_array(h, sc, "d", sizeof(double), _Alignof(double), "double", "scores", &p, &len, 1) < 0)
		return -1;
	if ((h->d.scores = p) != NULL && len != n)
		goto length;
	if (cf_py_fair_array(h, wt, "d", sizeof(double), _Alignof(double), "double", "weights", &p, &len, 1) < 0)
		return -1;
	if ((h->d.weights = p) != NULL && len != n)
		goto length;
	if ((seq = PySequence_Fast(feats, "fairness data: features must be a sequence")) == NULL)
		return -1;
	if (cf_py_keep(keep, seq) < 0) {
		Py_DECREF(seq);
		return -1;
	}
	Py_DECREF(seq);
	nf = PySequence_Fast_GET_SIZE(seq);
	if (nf < 1 || nf > CF_PY_FAIR_MAX) {
		PyErr_Format(PyExc_ValueError, "fairness data: 1 to %d sensitive features, not %zd", CF_PY_FAIR_MAX, nf);
		return -1;
	}
	for (i = 0; i < nf; i++) {
		PyObject *name, *codes, *labels;
		cf_fairness_feature *f = &h->f[i];
		if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "OOO;a feature must be (name, codes, labels)",
			&name, &codes, &labels))
			return -1;
		if ((f->name = cf_py_utf8(name, keep, "feature name")) == NULL)
			return -1;
		if (cf_py_fair_array(h, codes, "bhilq", sizeof(int32_t), _Alignof(int32_t), "int32_t", "codes", &p, &len,
			0) < 0)
			return -1;
		f->codes = p;
		if (len != n)
			goto length;
		if ((f->labels = cf_py_utf8_array(labels, &f->num_labels, keep, "label")) == NULL)
			return -1;
	}
	h->d.features = h->f;
	h->d.num_features = (size_t)nf;
	return 0;
length:
	PyErr_SetString(PyExc_ValueError, "fairness data: every array must have as many rows as y_true");
	return -1;
}

static PyObject *cf_py_disparity_dict(const cf_fairness_disparity *d)
{
	return Py_BuildValue("{s:d,s:i,s:n,s:n,s:n,s:N,s:N}",
		"value", d->value, "reason", (int)d->reason,
		"groups_compared", (Py_ssize_t)d->groups_compared,
		"groups_undefined", (Py_ssize_t)d->groups_undefined,
		"groups_excluded", (Py_ssize_t)d->groups_excluded,
		"group_min", d->group_min == CF_FAIRNESS_OVERALL ? (Py_INCREF(Py_None), Py_None) :
			PyLong_FromSize_t(d->group_min),
		"group_max", d->group_max == CF_FAIRNESS_OVERALL ? (Py_INCREF(Py_None), Py_None) :
			PyLong_FromSize_t(d->group_max));
}

static PyObject *cf_py_fair_group_dict(const cf_fairness_group *g)
{
	PyObject *labels;

	if (g->labels == NULL) {
		Py_INCREF(Py_None);
		labels = Py_None;
	} else {
		size_t i;
		if ((labels = PyTuple_New((Py_ssize_t)g->num_labels)) == NULL)
			return NULL;
		for (i = 0; i < g->num_labels; i++) {
			PyObject *s = cf_py_str_or_none(g->labels[i]);
			if (s == NULL) {
				Py_DECREF(labels);
				return NULL;
			}
			PyTuple_SET_ITEM(labels, (Py_ssize_t)i, s);
		}
	}
	return Py_BuildValue("{s:N,s:K,s:K,s:K,s:K,s:K,s:d,s:d,s:d,s:d,s:d,s:O,s:d}",
		"labels", labels, "count", (unsigned long long)g->count, "tp", (unsigned long long)g->tp,
		"fp", (unsigned long long)g->fp, "fn", (unsigned long long)g->fn, "tn", (unsigned long long)g->tn,
		"weight", g->weight, "w_tp", g->w_tp, "w_fp", g->w_fp, "w_fn", g->w_fn, "w_tn", g->w_tn,
		"excluded", g->excluded ? Py_True : Py_False, "auc_error", g->auc_error);
}

static const cf_py_field cf_py_fairness_fields[] = {
	CF_PY_FIELD(cf_fairness_options, min_group_size, CF_PY_F_U64),
	CF_PY_FIELD(cf_fairness_options, threshold, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_fairness_options, auc_bins, CF_PY_F_UINT),
	CF_PY_FIELD(cf_fairness_options, score_min, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_fairness_options, score_max, CF_PY_F_DOUBLE),
	{ NULL, 0, 0, 0 }
};

static const cf_fairness_options cf_py_fairness_defaults = CF_FAIRNESS_OPTIONS_INIT;
%}

CF_PY_OPTIONS_TYPEMAP(cf_fairness_options, opts, cf_py_fairness_fields, "fairness", temp = cf_py_fairness_defaults;)

%typemap(in) const cf_fairness_data *data (cf_py_fair_data hold, PyObject *keep = NULL) {
	if (cf_py_fair_data_fill(&hold, $input, &keep) < 0) {
		cf_py_fair_release(&hold);
		SWIG_fail;
	}
	$1 = &hold.d;
}
%typemap(freearg) const cf_fairness_data *data {
	cf_py_fair_release(&hold$argnum);
	Py_XDECREF(keep$argnum);
}

/* A list of str (or None for all features) */
%typemap(in) (const char *const *feature_names, size_t num_features) (PyObject *keep = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
		$2 = 0;
	} else if (($1 = ($1_ltype)cf_py_utf8_array($input, &$2, &keep, "feature name")) == NULL) {
		SWIG_fail;
	}
}
%typemap(freearg) (const char *const *feature_names, size_t num_features) {
	Py_XDECREF(keep$argnum);
}
%apply (const char *const *feature_names, size_t num_features) { (const char *const *features, size_t num_features) };

%typemap(in, numinputs=0) cf_fairness_group *out (cf_fairness_group temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_fairness_group *out {
	$result = SWIG_Python_AppendOutput($result, cf_py_fair_group_dict($1));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_fairness_disparity *out (cf_fairness_disparity temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_fairness_disparity *out {
	$result = SWIG_Python_AppendOutput($result, cf_py_disparity_dict($1));
	if ($result == NULL)
		SWIG_fail;
}

/* cf_fairness_report_value -> (value, reason) */
%typemap(in, numinputs=0) double *value_out (double temp = 0.0) {
	$1 = &temp;
}
%typemap(argout) double *value_out {
	$result = SWIG_Python_AppendOutput($result, PyFloat_FromDouble(*$1));
	if ($result == NULL)
		SWIG_fail;
}
%typemap(in, numinputs=0) cf_fairness_undefined *reason_out (cf_fairness_undefined temp = CF_FAIRNESS_DEFINED) {
	$1 = &temp;
}
%typemap(argout) cf_fairness_undefined *reason_out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)*$1));
	if ($result == NULL)
		SWIG_fail;
}

%ignore cf_fairness_options;
%ignore cf_fairness_feature;
%ignore cf_fairness_data;
%ignore cf_fairness_group;
%ignore cf_fairness_disparity;

CF_PY_NOCHECK(cf_fairness_free)
CF_PY_NOCHECK(cf_fairness_report_free)
CF_PY_NOCHECK(cf_fairness_num_rows)
CF_PY_NOCHECK(cf_fairness_report_num_groups)
CF_PY_NOCHECK(cf_fairness_report_num_features)
CF_PY_NOCHECK(cf_fairness_report_feature_name)
CF_PY_NOCHECK(cf_fairness_metric_name)
CF_PY_NOCHECK(cf_fairness_undefined_name)

%include "cogniforge/fairness.h"
