/*
 * SWIG interface of metrics.h: typemaps and the header. Included by cogniforge.i (after its typemaps and
 * the helpers of buffers.i, which this file reuses). The pythonic API is cogniforge/metrics.py.
 *
 * Arrays pass without copies when they already are C-contiguous, aligned and of the right element type
 * (int64 labels, float64 weights and probabilities, float64 or float32 scores); metrics.py converts other
 * inputs first. The row arrays of a call are one multi-argument typemap, which checks that their lengths
 * agree and fills `n`. Outputs come back as: a float for `double *out` (cogniforge.i), an int for
 * `flags_out`, bytes of float64 values for arrays (read with numpy.frombuffer), and a dict of bytes for a
 * cf_curve (disposed by the typemap).
 */

/* SWIG's stdint.i types int64_t as long long (cogniforge.i does not define SWIGWORDSIZE64), so the generated
 * calls would cast the label arrays to long long pointers, which GCC rejects for int64_t (long) parameters.
 * Parse metrics.h with int64_t read as long, the LP64 type (Debian), checked at compile time. */
%{
_Static_assert(sizeof(long) == sizeof(int64_t), "metrics.i assumes an LP64 platform");
%}
#define int64_t long

%{
/* A read-only typed array for the metrics typemaps (NULL for None when `optional`); `*len` elements. */
static int cf_py_metrics_array(PyObject *obj, Py_buffer *view, int *have, const char *codes, size_t size,
	const char *ctype, const char *func, const char *param, int optional)
{
	*have = 0;
	if (optional && obj == Py_None)
		return 0;
	if (cf_py_array_get(obj, view, PyBUF_SIMPLE, codes, size, size, ctype, func, param) < 0)
		return -1;
	*have = 1;
	return 0;
}

/* A score array: float64 ('d') or float32 ('f'), read in place. */
static int cf_py_metrics_scores(PyObject *obj, Py_buffer *view, int *have, cf_score_type *type, const char *func)
{
	*have = 0;
	if (cf_py_buffer_get(obj, view, PyBUF_SIMPLE | PyBUF_FORMAT, func, "y_score") < 0)
		return -1;
	*have = 1;
	if (cf_py_format_matches(view->format, view->itemsize, "d", sizeof(double))
			&& (uintptr_t)view->buf % _Alignof(double) == 0) {
		*type = CF_SCORE_FLOAT64;
		return 0;
	}
	if (cf_py_format_matches(view->format, view->itemsize, "f", sizeof(float))
			&& (uintptr_t)view->buf % _Alignof(float) == 0) {
		*type = CF_SCORE_FLOAT32;
		return 0;
	}
	PyErr_Format(PyExc_TypeError, "%s(): argument 'y_score' must hold aligned float64 or float32 elements "
		"(buffer format '%s', itemsize %zd)", func, view->format ? view->format : "B", view->itemsize);
	return -1;
}

static int cf_py_metrics_same_length(size_t a, size_t b, const char *func, const char *what)
{
	if (a == b)
		return 0;
	PyErr_Format(PyExc_ValueError, "%s(): %s has %zu elements, y_true has %zu", func, what, b, a);
	return -1;
}

/* A bytes object of `size` bytes to fill in place (bytes are immutable only once published). */
static PyObject *cf_py_metrics_bytes(size_t size, char **data)
{
	PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
	if (b != NULL) {
		*data = PyBytes_AS_STRING(b);
		memset(*data, 0, size);
	}
	return b;
}

static PyObject *cf_py_metrics_doubles(const double *v, size_t n)
{
	return PyBytes_FromStringAndSize(v != NULL ? (const char *)v : "", (Py_ssize_t)(v != NULL ? n * sizeof *v : 0));
}
%}

/* (y_true, y_score, sample_weight) of the ranking functions. */
%typemap(in) (const int64_t *y_true, const void *y_score, cf_score_type score_type, const double *sample_weight,
		size_t n) (Py_buffer yv, int have_y = 0, Py_buffer sv, int have_s = 0, Py_buffer wv, int have_w = 0) {
	PyObject *seq = $input;
	if (!PyTuple_Check(seq) || PyTuple_GET_SIZE(seq) != 3) {
		PyErr_SetString(PyExc_TypeError, "$symname(): expected a tuple (y_true, y_score, sample_weight)");
		SWIG_fail;
	}
	if (cf_py_metrics_array(PyTuple_GET_ITEM(seq, 0), &yv, &have_y, "bhilq", sizeof(int64_t), "int64_t",
			"$symname", "y_true", 0) < 0
			|| cf_py_metrics_scores(PyTuple_GET_ITEM(seq, 1), &sv, &have_s, &$3, "$symname") < 0
			|| cf_py_metrics_array(PyTuple_GET_ITEM(seq, 2), &wv, &have_w, "d", sizeof(double), "double",
				"$symname", "sample_weight", 1) < 0)
		SWIG_fail;
	$1 = ($1_ltype)yv.buf;
	$2 = sv.buf;
	$5 = (size_t)(yv.len / yv.itemsize);
	if (cf_py_metrics_same_length($5, (size_t)(sv.len / sv.itemsize), "$symname", "y_score") < 0)
		SWIG_fail;
	$4 = NULL;
	if (have_w) {
		$4 = (double *)wv.buf;
		if (cf_py_metrics_same_length($5, (size_t)(wv.len / wv.itemsize), "$symname", "sample_weight") < 0)
			SWIG_fail;
	}
}
%typemap(freearg) (const int64_t *y_true, const void *y_score, cf_score_type score_type,
		const double *sample_weight, size_t n) {
	if (have_y$argnum) PyBuffer_Release(&yv$argnum);
	if (have_s$argnum) PyBuffer_Release(&sv$argnum);
	if (have_w$argnum) PyBuffer_Release(&wv$argnum);
}

/* (y_true, y_pred, sample_weight) of the label functions; the same for (y_true, y_prob, sample_weight). */
%define CF_PY_METRICS_ROWS(T2, NAME2, CODES2, CTYPE2)
%typemap(in) (const int64_t *y_true, const T2 *NAME2, const double *sample_weight, size_t n)
		(Py_buffer yv, int have_y = 0, Py_buffer pv, int have_p = 0, Py_buffer wv, int have_w = 0) {
	PyObject *seq = $input;
	if (!PyTuple_Check(seq) || PyTuple_GET_SIZE(seq) != 3) {
		PyErr_SetString(PyExc_TypeError, "$symname(): expected a tuple (y_true, " #NAME2 ", sample_weight)");
		SWIG_fail;
	}
	if (cf_py_metrics_array(PyTuple_GET_ITEM(seq, 0), &yv, &have_y, "bhilq", sizeof(int64_t), "int64_t",
			"$symname", "y_true", 0) < 0
			|| cf_py_metrics_array(PyTuple_GET_ITEM(seq, 1), &pv, &have_p, CODES2, sizeof(T2), CTYPE2,
				"$symname", #NAME2, 0) < 0
			|| cf_py_metrics_array(PyTuple_GET_ITEM(seq, 2), &wv, &have_w, "d", sizeof(double), "double",
				"$symname", "sample_weight", 1) < 0)
		SWIG_fail;
	$1 = ($1_ltype)yv.buf;
	$2 = ($2_ltype)pv.buf;
	$4 = (size_t)(yv.len / yv.itemsize);
	if (cf_py_metrics_same_length($4, (size_t)(pv.len / pv.itemsize), "$symname", #NAME2) < 0)
		SWIG_fail;
	$3 = NULL;
	if (have_w) {
		$3 = (double *)wv.buf;
		if (cf_py_metrics_same_length($4, (size_t)(wv.len / wv.itemsize), "$symname", "sample_weight") < 0)
			SWIG_fail;
	}
}
%typemap(freearg) (const int64_t *y_true, const T2 *NAME2, const double *sample_weight, size_t n) {
	if (have_y$argnum) PyBuffer_Release(&yv$argnum);
	if (have_p$argnum) PyBuffer_Release(&pv$argnum);
	if (have_w$argnum) PyBuffer_Release(&wv$argnum);
}
%enddef
CF_PY_METRICS_ROWS(int64_t, y_pred, "bhilq", "int64_t")
CF_PY_METRICS_ROWS(double, y_prob, "d", "double")

/* cf_log_loss: (y_true, y_prob as n x n_classes, sample_weight); n_classes = len(y_prob) / len(y_true). */
%typemap(in) (const int64_t *y_true, const double *y_prob, size_t n_classes, const double *sample_weight,
		size_t n) (Py_buffer yv, int have_y = 0, Py_buffer pv, int have_p = 0, Py_buffer wv, int have_w = 0) {
	PyObject *seq = $input;
	size_t np_;
	if (!PyTuple_Check(seq) || PyTuple_GET_SIZE(seq) != 3) {
		PyErr_SetString(PyExc_TypeError, "$symname(): expected a tuple (y_true, y_prob, sample_weight)");
		SWIG_fail;
	}
	if (cf_py_metrics_array(PyTuple_GET_ITEM(seq, 0), &yv, &have_y, "bhilq", sizeof(int64_t), "int64_t",
			"$symname", "y_true", 0) < 0
			|| cf_py_metrics_array(PyTuple_GET_ITEM(seq, 1), &pv, &have_p, "d", sizeof(double), "double",
				"$symname", "y_prob", 0) < 0
			|| cf_py_metrics_array(PyTuple_GET_ITEM(seq, 2), &wv, &have_w, "d", sizeof(double), "double",
				"$symname", "sample_weight", 1) < 0)
		SWIG_fail;
	$1 = ($1_ltype)yv.buf;
	$2 = ($2_ltype)pv.buf;
	$5 = (size_t)(yv.len / yv.itemsize);
	np_ = (size_t)(pv.len / pv.itemsize);
	if ($5 == 0 || np_ % $5 != 0) {
		PyErr_Format(PyExc_ValueError, "$symname(): y_prob has %zu values for %zu rows", np_, $5);
		SWIG_fail;
	}
	$3 = np_ / $5;
	$4 = NULL;
	if (have_w) {
		$4 = (double *)wv.buf;
		if (cf_py_metrics_same_length($5, (size_t)(wv.len / wv.itemsize), "$symname", "sample_weight") < 0)
			SWIG_fail;
	}
}
%typemap(freearg) (const int64_t *y_true, const double *y_prob, size_t n_classes, const double *sample_weight,
		size_t n) {
	if (have_y$argnum) PyBuffer_Release(&yv$argnum);
	if (have_p$argnum) PyBuffer_Release(&pv$argnum);
	if (have_w$argnum) PyBuffer_Release(&wv$argnum);
}

/* flags_out: an int appended to the results. */
%typemap(in, numinputs=0) unsigned int *flags_out (unsigned int temp = 0) {
	$1 = &temp;
}
%typemap(argout) unsigned int *flags_out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromUnsignedLong(*$1));
	if ($result == NULL)
		SWIG_fail;
}

/* The three averaged scores of cf_precision_recall_fscore. */
%typemap(in, numinputs=0) (double *precision_out, double *recall_out, double *fscore_out)
		(double p = 0.0, double r = 0.0, double f = 0.0) {
	$1 = &p;
	$2 = &r;
	$3 = &f;
}
%typemap(argout) (double *precision_out, double *recall_out, double *fscore_out) {
	$result = SWIG_Python_AppendOutput($result, Py_BuildValue("(ddd)", *$1, *$2, *$3));
	if ($result == NULL)
		SWIG_fail;
}

/* Per-label arrays: the caller passes the number of labels K (cf_metrics_labels); the result is a tuple of
 * bytes (precision, recall, fscore, support as float64; flags as uint32). */
%typemap(in) (double *precision_out, double *recall_out, double *fscore_out, double *support_out,
		unsigned int *label_flags_out, size_t out_len) (PyObject *bufs[5] = { NULL, NULL, NULL, NULL, NULL }) {
	size_t k = PyLong_AsSize_t($input), i;
	char *data[5];
	if (k == (size_t)-1 && PyErr_Occurred())
		SWIG_fail;
	for (i = 0; i < 5; i++)
		if ((bufs[i] = cf_py_metrics_bytes(k * (i < 4 ? sizeof(double) : sizeof(unsigned int)), &data[i])) == NULL)
			SWIG_fail;
	$1 = (double *)data[0];
	$2 = (double *)data[1];
	$3 = (double *)data[2];
	$4 = (double *)data[3];
	$5 = (unsigned int *)data[4];
	$6 = k;
}
%typemap(argout) (double *precision_out, double *recall_out, double *fscore_out, double *support_out,
		unsigned int *label_flags_out, size_t out_len) {
	$result = SWIG_Python_AppendOutput($result, Py_BuildValue("(OOOOO)", bufs$argnum[0], bufs$argnum[1],
		bufs$argnum[2], bufs$argnum[3], bufs$argnum[4]));
	if ($result == NULL)
		SWIG_fail;
}
%typemap(freearg) (double *precision_out, double *recall_out, double *fscore_out, double *support_out,
		unsigned int *label_flags_out, size_t out_len) {
	{
		int i_;
		for (i_ = 0; i_ < 5; i_++)
			Py_XDECREF(bufs$argnum[i_]);
	}
}

/* cf_confusion_matrix: the caller passes K; the result is K*K float64 values as bytes. */
%typemap(in) (double *out, size_t out_len) (PyObject *buf = NULL) {
	size_t k = PyLong_AsSize_t($input);
	char *data;
	if (k == (size_t)-1 && PyErr_Occurred())
		SWIG_fail;
	if ((buf = cf_py_metrics_bytes(k * k * sizeof(double), &data)) == NULL)
		SWIG_fail;
	$1 = (double *)data;
	$2 = k * k;
}
%typemap(argout) (double *out, size_t out_len) {
	$result = SWIG_Python_AppendOutput($result, buf$argnum);
	Py_INCREF(buf$argnum);
	if ($result == NULL)
		SWIG_fail;
}
%typemap(freearg) (double *out, size_t out_len) {
	Py_XDECREF(buf$argnum);
}

/* A curve comes back as a dict of float64 bytes; the C arrays are disposed in every case. */
%typemap(in, numinputs=0) cf_curve *out (cf_curve temp = CF_CURVE_INIT) {
	$1 = &temp;
}
%typemap(argout) cf_curve *out {
	PyObject *d = Py_BuildValue("{s:N,s:N,s:N,s:N}",
		"x", cf_py_metrics_doubles($1->x, $1->size),
		"y", cf_py_metrics_doubles($1->y, $1->size),
		"thresholds", cf_py_metrics_doubles($1->thresholds, $1->thresholds_size),
		"counts", $1->counts != NULL ? cf_py_metrics_doubles($1->counts, $1->size) : (Py_INCREF(Py_None), Py_None));
	$result = SWIG_Python_AppendOutput($result, d);
	if ($result == NULL)
		SWIG_fail;
}
%typemap(freearg) cf_curve *out {
	cf_curve_dispose(&temp$argnum);
}

/* Metrics options from a dict; `labels` is a sequence of int (copied into memory held until the call ends). */
%{
static const cf_py_field cf_py_metrics_fields[] = {
	CF_PY_FIELD(cf_metrics_options, average, CF_PY_F_INT),
	CF_PY_FIELD(cf_metrics_options, pos_label, CF_PY_F_I64),
	CF_PY_FIELD(cf_metrics_options, zero_division, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_metrics_options, beta, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_metrics_options, normalize, CF_PY_F_BOOL),
	CF_PY_FIELD(cf_metrics_options, cm_normalize, CF_PY_F_INT),
	CF_PY_FIELD(cf_metrics_options, adjusted, CF_PY_F_BOOL),
	CF_PY_FIELD(cf_metrics_options, max_fpr, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_metrics_options, drop_intermediate, CF_PY_F_BOOL),
	CF_PY_FIELD(cf_metrics_options, n_bins, CF_PY_F_SIZE),
	CF_PY_FIELD(cf_metrics_options, strategy, CF_PY_F_INT),
	CF_PY_FIELD(cf_metrics_options, eps, CF_PY_F_DOUBLE),
	{ NULL, 0, 0, 0 }
};

static int cf_py_metrics_options(PyObject *dict, cf_metrics_options *opts, PyObject **keep)
{
	PyObject *rest, *labels;
	int rc;

	if ((rc = cf_metrics_options_init(opts, CF_METRICS_OPTIONS_VERSION)) < 0) {
		cf_py_raise(rc);
		return -1;
	}
	if (!PyDict_Check(dict)) {
		PyErr_Format(PyExc_TypeError, "metrics options must be a dict or None, not %.200s", Py_TYPE(dict)->tp_name);
		return -1;
	}
	if ((rest = PyDict_Copy(dict)) == NULL)
		return -1;
	if (cf_py_keep(keep, rest) < 0) {
		Py_DECREF(rest);
		return -1;
	}
	Py_DECREF(rest);
	labels = PyDict_GetItemString(rest, "labels");
	if (labels != NULL) {
		if (labels != Py_None) {
			PyObject *seq = PySequence_Fast(labels, "metrics option 'labels' must be a sequence of int");
			Py_ssize_t i, k;
			int64_t *arr;
			if (seq == NULL)
				return -1;
			k = PySequence_Fast_GET_SIZE(seq);
			if ((arr = cf_py_keep_alloc(keep, (size_t)k * sizeof *arr)) == NULL) {
				Py_DECREF(seq);
				return -1;
			}
			for (i = 0; i < k; i++) {
				long long v = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(seq, i));
				if (v == -1 && PyErr_Occurred()) {
					Py_DECREF(seq);
					return -1;
				}
				arr[i] = (int64_t)v;
			}
			Py_DECREF(seq);
			opts->labels = arr;
			opts->labels_count = (size_t)k;
		}
		if (PyDict_DelItemString(rest, "labels") < 0)
			return -1;
	}
	return cf_py_fill_options(opts, cf_py_metrics_fields, rest, "metrics", keep);
}
%}

%typemap(in) const cf_metrics_options *opts (cf_metrics_options temp, PyObject *keep = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		if (cf_py_metrics_options($input, &temp, &keep) < 0)
			SWIG_fail;
		$1 = &temp;
	}
}
%typemap(freearg) const cf_metrics_options *opts {
	Py_XDECREF(keep$argnum);
}

%ignore cf_metrics_options;
%ignore cf_metrics_options_init;
%ignore cf_curve;
%ignore cf_curve_dispose;
%ignore cf_metrics_labels; /* cf_py_metrics_labels below returns them as bytes */

%include "cogniforge/metrics.h"

/* The labels (int64, as bytes) that the classification metrics use: opts['labels'] or the sorted distinct
 * values of y_true and y_pred (y_pred may be None). */
%typemap(in) (const int64_t *y_true, const int64_t *y_pred, size_t n) (Py_buffer yv, int have_y = 0,
		Py_buffer pv, int have_p = 0) {
	PyObject *seq = $input;
	if (!PyTuple_Check(seq) || PyTuple_GET_SIZE(seq) != 2) {
		PyErr_SetString(PyExc_TypeError, "$symname(): expected a tuple (y_true, y_pred)");
		SWIG_fail;
	}
	if (cf_py_metrics_array(PyTuple_GET_ITEM(seq, 0), &yv, &have_y, "bhilq", sizeof(int64_t), "int64_t",
			"$symname", "y_true", 0) < 0
			|| cf_py_metrics_array(PyTuple_GET_ITEM(seq, 1), &pv, &have_p, "bhilq", sizeof(int64_t), "int64_t",
				"$symname", "y_pred", 1) < 0)
		SWIG_fail;
	$1 = ($1_ltype)yv.buf;
	$3 = (size_t)(yv.len / yv.itemsize);
	$2 = NULL;
	if (have_p) {
		$2 = ($2_ltype)pv.buf;
		if (cf_py_metrics_same_length($3, (size_t)(pv.len / pv.itemsize), "$symname", "y_pred") < 0)
			SWIG_fail;
	}
}
%typemap(freearg) (const int64_t *y_true, const int64_t *y_pred, size_t n) {
	if (have_y$argnum) PyBuffer_Release(&yv$argnum);
	if (have_p$argnum) PyBuffer_Release(&pv$argnum);
}
%inline %{
static int cf_py_metrics_labels(cf_buf *out, const long *y_true, const long *y_pred, size_t n,
	const cf_metrics_options *opts)
{
	size_t k = 0;
	int rc = cf_metrics_labels(NULL, 0, &k, y_true, y_pred, n, opts);

	if (rc < 0)
		return rc;
	if ((out->ptr = malloc(k * sizeof(int64_t) + 1)) == NULL)
		return CF_ENOMEM;
	out->size = k * sizeof(int64_t);
	return cf_metrics_labels((int64_t *)out->ptr, k, &k, y_true, y_pred, n, opts);
}
%}

/* The tuple typemaps above are for metrics.h only: clear them so that later headers (fairness.i) are not
 * matched by accident. flags_out, the averaged-score and options typemaps stay, being harmless. */
%clear (const int64_t *y_true, const void *y_score, cf_score_type score_type, const double *sample_weight, size_t n);
%clear (const int64_t *y_true, const int64_t *y_pred, const double *sample_weight, size_t n);
%clear (const int64_t *y_true, const double *y_prob, const double *sample_weight, size_t n);
%clear (const int64_t *y_true, const double *y_prob, size_t n_classes, const double *sample_weight, size_t n);
%clear (const int64_t *y_true, const int64_t *y_pred, size_t n);
%clear (double *out, size_t out_len);
%clear (double *precision_out, double *recall_out, double *fscore_out, double *support_out,
	unsigned int *label_flags_out, size_t out_len);

#undef int64_t
