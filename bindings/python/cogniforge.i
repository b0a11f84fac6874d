/*
 * cogniforge.i: the SWIG interface behind the Python package. It produces the private module
 * cogniforge.raw (raw.py + _raw*.so); the public, pythonic API is the pure-Python package around it.
 *
 * Conventions (c_house_style.md section 4):
 *   - every wrapped call runs with the GIL released, and a negative int result raises the
 *     cogniforge.Error subclass for that code, carrying cf_error_last()'s message (S1, S2);
 *   - an int-returning function is a status (0 or CF_E*) unless listed with CF_PY_INT_VALUE; status
 *     functions return None, or their out-parameters;
 *   - functions returning anything but int must be listed with CF_PY_NOCHECK (the global handler
 *     tests `result < 0`, which would not compile or would be wrong for them);
 *   - buffers pass without copies through the typemaps in buffers.i.
 */
%module(package="cogniforge", docstring="Private SWIG layer of cogniforge; use the cogniforge package.") raw

%{
#include <limits.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
%}

%include <stdint.i>
%include "buffers.i"

/* ---- errors ---------------------------------------------------------------------------------- */

%{
/* cogniforge._errors.from_code, looked up on the first failure: the exception classes are plain
 * Python (docstrings, multiple bases) and the package is fully imported by the time anything fails. */
static PyObject *cf_py_error_factory;

/*
 * Raise the exception for `code`. Call it on the thread that made the failing call, with the GIL held
 * and before any other cogniforge call: the error record is thread-local and the next call may
 * overwrite it.
 */
static void cf_py_raise(int code)
{
	const cf_error *err = cf_error_last();
	const char *text = err->code == code && err->message[0] != '\0' ? err->message : cf_error_code_name(code);
	PyObject *message, *exc;

	/* Copy the message before running any Python code (the import below may call into the library). */
	message = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "backslashreplace");
	if (message == NULL)
		return;
	if (cf_py_error_factory == NULL) {
		PyObject *mod = PyImport_ImportModule("cogniforge._errors");
		if (mod != NULL) {
			cf_py_error_factory = PyObject_GetAttrString(mod, "from_code");
			Py_DECREF(mod);
		}
		if (cf_py_error_factory == NULL) {
			/* raw imported outside its package: still fail loudly, with the library's message */
			PyErr_Clear();
			PyErr_Format(PyExc_RuntimeError, "%s: %U", cf_error_code_name(code), message);
			Py_DECREF(message);
			return;
		}
	}
	exc = PyObject_CallFunction(cf_py_error_factory, "iO", code, message);
	Py_DECREF(message);
	if (exc == NULL)
		return;
	PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
	Py_DECREF(exc);
}
%}

/* Every call: drop the GIL for the C call, then turn a negative status into an exception. */
%exception {
	Py_BEGIN_ALLOW_THREADS
	$action
	Py_END_ALLOW_THREADS
	if (result < 0) {
		cf_py_raise(result);
		SWIG_fail;
	}
}

/* A function that cannot fail, or does not return int: release the GIL, check nothing. */
%define CF_PY_NOCHECK(NAME)
%exception NAME {
	Py_BEGIN_ALLOW_THREADS
	$action
	Py_END_ALLOW_THREADS
}
%enddef

/* An int function that returns a value rather than a status. */
%define CF_PY_INT_VALUE(NAME)
CF_PY_NOCHECK(NAME)
%typemap(out) int NAME "$result = PyLong_FromLong((long)$1);";
%enddef

/* Status codes are not returned to Python: failures raise, success yields None or the out-parameters. */
%typemap(out) int "$result = SWIG_Py_Void();";

/* ---- argument conventions -------------------------------------------------------------------- */

/* Paths: str, bytes or os.PathLike, encoded the way the os module encodes file names. */
%typemap(in) const char *path (PyObject *bytes = NULL) {
	if (!PyUnicode_FSConverter($input, &bytes))
		SWIG_fail;
	$1 = PyBytes_AS_STRING(bytes);
}
%typemap(freearg) const char *path {
	Py_XDECREF(bytes$argnum);
}

/*
 * Out-parameters become return values. Each argout below assumes it is the function's only one: then
 * SWIG_Python_AppendOutput() replaces the None status and passes a NULL (failed conversion) through.
 *
 * Handle factories (`foo **out`) return the new handle. It is not owned by the SWIG object: the Python
 * class wrapping it (Context, Reader) frees it in close(), so no %newobject or SWIG destructor applies.
 */
%typemap(in, numinputs=0) SWIGTYPE **out ($*1_ltype temp = NULL) {
	$1 = &temp;
}
%typemap(argout) SWIGTYPE **out {
	$result = SWIG_Python_AppendOutput($result, SWIG_NewPointerObj(SWIG_as_voidptr(*$1), $*1_descriptor, 0));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) size_t *nread_out (size_t temp = 0) {
	$1 = &temp;
}
%typemap(argout) size_t *nread_out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromSize_t(*$1));
	if ($result == NULL)
		SWIG_fail;
}

/* cf_reader_read() fills the caller's buffer in place (readinto). */
%apply (unsigned char *out, size_t out_len) { (void *buf, size_t len) };

/* ---- structs: converted to and from dicts, so no proxy classes (and no function-pointer fields) ---- */

%{
/* Options from a dict of ints; unset keys keep the defaults cf_context_options_init() gives. */
static int cf_py_context_options(PyObject *dict, cf_context_options *opts)
{
	PyObject *key, *value;
	Py_ssize_t pos = 0;
	int rc;

	if (!PyDict_Check(dict)) {
		PyErr_Format(PyExc_TypeError, "context options must be a dict or None, not %.200s",
			Py_TYPE(dict)->tp_name);
		return -1;
	}
	/* the init function rather than CF_CONTEXT_OPTIONS_INIT, which SWIG cannot expand (V2); it only
	 * copies defaults, so it runs with the GIL held */
	if ((rc = cf_context_options_init(opts, CF_CONTEXT_OPTIONS_VERSION)) < 0) {
		cf_py_raise(rc);
		return -1;
	}
	while (PyDict_Next(dict, &pos, &key, &value)) {
		const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
		long v;

		if (name == NULL) {
			if (!PyErr_Occurred())
				PyErr_SetString(PyExc_TypeError, "context option names must be str");
			return -1;
		}
		v = PyLong_AsLong(value);
		if (v == -1 && PyErr_Occurred())
			return -1;
		if (v < INT_MIN || v > INT_MAX) {
			PyErr_Format(PyExc_OverflowError, "context option '%s' is out of range", name);
			return -1;
		}
		/* no range checks here: cf_context_create() validates and names the bad field */
		if (strcmp(name, "device") == 0)
			opts->device = (cf_device)v;
		else if (strcmp(name, "device_index") == 0)
			opts->device_index = (int)v;
		else if (strcmp(name, "threads") == 0)
			opts->threads = (int)v;
		else if (strcmp(name, "log_level") == 0)
			opts->log_level = (cf_log_level)v;
		else {
			PyErr_Format(PyExc_TypeError, "unknown context option '%s'", name);
			return -1;
		}
	}
	return 0;
}
%}

%typemap(in) const cf_context_options *opts (cf_context_options temp) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		if (cf_py_context_options($input, &temp) < 0)
			SWIG_fail;
		$1 = &temp;
	}
}

%typemap(in, numinputs=0) cf_file_summary *out (cf_file_summary temp) {
	$1 = &temp;
}
%typemap(argout) cf_file_summary *out {
	PyObject *d = Py_BuildValue("{s:K,s:K,s:K,s:i,s:y#,s:s}",
		"bytes", (unsigned long long)$1->bytes,
		"lines", (unsigned long long)$1->lines,
		"blank_lines", (unsigned long long)$1->blank_lines,
		"compression", (int)$1->compression,
		"sha256", (const char *)$1->sha256, (Py_ssize_t)sizeof($1->sha256),
		"sha256_hex", $1->sha256_hex);
	$result = SWIG_Python_AppendOutput($result, d);
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_cuda_device_info *out (cf_cuda_device_info temp) {
	$1 = &temp;
}
%typemap(argout) cf_cuda_device_info *out {
	PyObject *d = Py_BuildValue("{s:s,s:n,s:i,s:i,s:i}",
		"name", $1->name,
		"total_memory", (Py_ssize_t)$1->total_memory,
		"compute_major", $1->compute_major,
		"compute_minor", $1->compute_minor,
		"multiprocessors", $1->multiprocessors);
	$result = SWIG_Python_AppendOutput($result, d);
	if ($result == NULL)
		SWIG_fail;
}

/* ---- output buffers, scalar out-parameters ---------------------------------------------------- */

/* A `cf_buf *out` (JSON, XML, msgpack) comes back as bytes; the C buffer is disposed in every case. */
%typemap(in, numinputs=0) cf_buf *out (cf_buf temp = CF_BUF_INIT) {
	$1 = &temp;
}
%typemap(argout) cf_buf *out {
	$result = SWIG_Python_AppendOutput($result,
		PyBytes_FromStringAndSize($1->ptr != NULL ? $1->ptr : "", (Py_ssize_t)$1->size));
	if ($result == NULL)
		SWIG_fail;
}
%typemap(freearg) cf_buf *out {
	cf_buf_dispose(&temp$argnum);
}

%typemap(in, numinputs=0) size_t *out (size_t temp = 0) {
	$1 = &temp;
}
%typemap(argout) size_t *out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromSize_t(*$1));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) double *out (double temp = 0.0) {
	$1 = &temp;
}
%typemap(argout) double *out {
	$result = SWIG_Python_AppendOutput($result, PyFloat_FromDouble(*$1));
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_type *out (cf_type temp = (cf_type)0) {
	$1 = &temp;
}
%typemap(argout) cf_type *out {
	$result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)*$1));
	if ($result == NULL)
		SWIG_fail;
}

/* cf_suite_parse(): the JSON text as any bytes-like object. */
%apply (const void *data, size_t len) { (const char *json, size_t len) };

/* ---- options structs from dicts ---------------------------------------------------------------- */

%{
#include <stddef.h>

/* What an options dict key fills. */
enum cf_py_field_kind {
	CF_PY_F_BOOL,    /* int, from truthiness */
	CF_PY_F_INT,     /* int */
	CF_PY_F_UINT,    /* unsigned int */
	CF_PY_F_SIZE,    /* size_t */
	CF_PY_F_I64,     /* int64_t */
	CF_PY_F_U64,     /* uint64_t */
	CF_PY_F_DOUBLE,  /* double */
	CF_PY_F_CHAR,    /* char, from a one-character ASCII str */
	CF_PY_F_STR,     /* const char *, from str or None */
	CF_PY_F_STRLIST, /* const char *const *, count at count_offset; from a sequence of str or None */
	CF_PY_F_TYPES    /* const cf_type *, count at count_offset; from a sequence of int or None */
};

typedef struct cf_py_field {
	const char *name;
	enum cf_py_field_kind kind;
	size_t offset;
	size_t count_offset;
} cf_py_field;

#define CF_PY_FIELD(T, NAME, KIND) { #NAME, KIND, offsetof(T, NAME), 0 }
#define CF_PY_ARRAY_FIELD(T, NAME, KIND, COUNT) { #NAME, KIND, offsetof(T, NAME), offsetof(T, COUNT) }

/*
 * Keep `obj` alive until the wrapper returns: `*keep` is a list created on demand and released by the
 * typemap's freearg. Pointers into str objects (their cached UTF-8) and into PyMem blocks held by capsules
 * thereby stay valid while the GIL is released. Steals nothing; returns -1 with an exception set on failure.
 */
static int cf_py_keep(PyObject **keep, PyObject *obj)
{
	if (*keep == NULL && (*keep = PyList_New(0)) == NULL)
		return -1;
	return PyList_Append(*keep, obj);
}

static void cf_py_capsule_free(PyObject *capsule)
{
	PyMem_Free(PyCapsule_GetPointer(capsule, "cogniforge.mem"));
}

/* A zeroed block of `size` bytes that lives as long as `*keep`. */
static void *cf_py_keep_alloc(PyObject **keep, size_t size)
{
	void *p = PyMem_Calloc(1, size ? size : 1);
	PyObject *capsule;

	if (p == NULL) {
		PyErr_NoMemory();
		return NULL;
	}
	if ((capsule = PyCapsule_New(p, "cogniforge.mem", cf_py_capsule_free)) == NULL) {
		PyMem_Free(p);
		return NULL;
	}
	if (cf_py_keep(keep, capsule) < 0) {
		Py_DECREF(capsule);
		return NULL;
	}
	Py_DECREF(capsule);
	return p;
}

/* A str's UTF-8 (cached in the object, which `*keep` holds), refusing embedded NULs. */
static const char *cf_py_utf8(PyObject *obj, PyObject **keep, const char *what)
{
	Py_ssize_t len;
	const char *s;

	if (!PyUnicode_Check(obj)) {
		PyErr_Format(PyExc_TypeError, "%s must be a str, not %.200s", what, Py_TYPE(obj)->tp_name);
		return NULL;
	}
	if ((s = PyUnicode_AsUTF8AndSize(obj, &len)) == NULL)
		return NULL;
	if (strlen(s) != (size_t)len) {
		PyErr_Format(PyExc_ValueError, "%s must not contain NUL characters", what);
		return NULL;
	}
	if (cf_py_keep(keep, obj) < 0)
		return NULL;
	return s;
}

/* A sequence of str as a NULL-free array of C strings (non-NULL even when empty). */
static const char **cf_py_utf8_array(PyObject *seq_obj, size_t *count, PyObject **keep, const char *what)
{
	PyObject *seq;
	const char **arr;
	Py_ssize_t i, n;

	if (PyUnicode_Check(seq_obj) || PyBytes_Check(seq_obj)) {
		PyErr_Format(PyExc_TypeError, "%s must be a sequence of str, not a single string", what);
		return NULL;
	}
	if ((seq = PySequence_Fast(seq_obj, "")) == NULL) {
		PyErr_Format(PyExc_TypeError, "%s must be a sequence of str, not %.200s", what, Py_TYPE(seq_obj)->tp_name);
		return NULL;
	}
	n = PySequence_Fast_GET_SIZE(seq);
	if (cf_py_keep(keep, seq) < 0 || (arr = cf_py_keep_alloc(keep, (size_t)n * sizeof *arr)) == NULL) {
		Py_DECREF(seq);
		return NULL;
	}
	Py_DECREF(seq); /* held by *keep */
	for (i = 0; i < n; i++)
		if ((arr[i] = cf_py_utf8(PySequence_Fast_GET_ITEM(seq, i), keep, what)) == NULL)
			return NULL;
	*count = (size_t)n;
	return arr;
}

/* Fill the fields of an options struct at `base` from a dict; unknown keys raise TypeError. */
static int cf_py_fill_options(void *base, const cf_py_field *fields, PyObject *dict, const char *what,
	PyObject **keep)
{
	PyObject *key, *value;
	Py_ssize_t pos = 0;

	if (!PyDict_Check(dict)) {
		PyErr_Format(PyExc_TypeError, "%s options must be a dict or None, not %.200s", what,
			Py_TYPE(dict)->tp_name);
		return -1;
	}
	while (PyDict_Next(dict, &pos, &key, &value)) {
		const char *name = PyUnicode_Check(key) ? PyUnicode_AsUTF8(key) : NULL;
		const cf_py_field *f;
		char *at;

		if (name == NULL) {
			if (!PyErr_Occurred())
				PyErr_Format(PyExc_TypeError, "%s option names must be str", what);
			return -1;
		}
		for (f = fields; f->name != NULL && strcmp(f->name, name) != 0; f++)
			;
		if (f->name == NULL) {
			PyErr_Format(PyExc_TypeError, "unknown %s option '%s'", what, name);
			return -1;
		}
		at = (char *)base + f->offset;
		switch (f->kind) {
		case CF_PY_F_BOOL: {
			int b = PyObject_IsTrue(value);
			if (b < 0)
				return -1;
			*(int *)at = b;
			break;
		}
		case CF_PY_F_INT: {
			long v = PyLong_AsLong(value);
			if (v == -1 && PyErr_Occurred())
				return -1;
			if (v < INT_MIN || v > INT_MAX) {
				PyErr_Format(PyExc_OverflowError, "%s option '%s' is out of range", what, name);
				return -1;
			}
			*(int *)at = (int)v;
			break;
		}
		case CF_PY_F_UINT: {
			unsigned long v = PyLong_AsUnsignedLong(value);
			if (v == (unsigned long)-1 && PyErr_Occurred())
				return -1;
			if (v > UINT_MAX) {
				PyErr_Format(PyExc_OverflowError, "%s option '%s' is out of range", what, name);
				return -1;
			}
			*(unsigned int *)at = (unsigned int)v;
			break;
		}
		case CF_PY_F_SIZE: {
			size_t v = PyLong_AsSize_t(value);
			if (v == (size_t)-1 && PyErr_Occurred())
				return -1;
			*(size_t *)at = v;
			break;
		}
		case CF_PY_F_I64: {
			long long v = PyLong_AsLongLong(value);
			if (v == -1 && PyErr_Occurred())
				return -1;
			*(int64_t *)at = (int64_t)v;
			break;
		}
		case CF_PY_F_U64: {
			unsigned long long v = PyLong_AsUnsignedLongLong(value);
			if (v == (unsigned long long)-1 && PyErr_Occurred())
				return -1;
			*(uint64_t *)at = (uint64_t)v;
			break;
		}
		case CF_PY_F_DOUBLE: {
			double v = PyFloat_AsDouble(value);
			if (v == -1.0 && PyErr_Occurred())
				return -1;
			*(double *)at = v;
			break;
		}
		case CF_PY_F_CHAR: {
			Py_UCS4 c;
			if (!PyUnicode_Check(value) || PyUnicode_GetLength(value) != 1
					|| (c = PyUnicode_ReadChar(value, 0)) == 0 || c > 127) {
				PyErr_Format(PyExc_TypeError, "%s option '%s' must be one ASCII character other than NUL",
					what, name);
				return -1;
			}
			*(char *)at = (char)c;
			break;
		}
		case CF_PY_F_STR: {
			const char *s = NULL;
			if (value != Py_None && (s = cf_py_utf8(value, keep, name)) == NULL)
				return -1;
			*(const char **)at = s;
			break;
		}
		case CF_PY_F_STRLIST: {
			const char **arr = NULL;
			size_t count = 0;
			if (value != Py_None && (arr = cf_py_utf8_array(value, &count, keep, name)) == NULL)
				return -1;
			*(const char ***)at = arr;
			*(size_t *)((char *)base + f->count_offset) = count;
			break;
		}
		case CF_PY_F_TYPES: {
			PyObject *seq;
			cf_type *arr = NULL;
			Py_ssize_t i, n = 0;
			if (value != Py_None) {
				if ((seq = PySequence_Fast(value, "")) == NULL) {
					PyErr_Format(PyExc_TypeError, "%s option '%s' must be a sequence of int", what, name);
					return -1;
				}
				n = PySequence_Fast_GET_SIZE(seq);
				if ((arr = cf_py_keep_alloc(keep, (size_t)n * sizeof *arr)) == NULL) {
					Py_DECREF(seq);
					return -1;
				}
				for (i = 0; i < n; i++) {
					long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(seq, i));
					if (v == -1 && PyErr_Occurred()) {
						Py_DECREF(seq);
						return -1;
					}
					arr[i] = (cf_type)v; /* the library checks the values */
				}
				Py_DECREF(seq);
			}
			*(const cf_type **)at = arr;
			*(size_t *)((char *)base + f->count_offset) = (size_t)n;
			break;
		}
		}
	}
	return 0;
}

static const cf_py_field cf_py_csv_fields[] = {
	CF_PY_FIELD(cf_csv_options, delimiter, CF_PY_F_CHAR),
	CF_PY_FIELD(cf_csv_options, quote, CF_PY_F_CHAR),
	CF_PY_FIELD(cf_csv_options, header, CF_PY_F_BOOL),
	CF_PY_ARRAY_FIELD(cf_csv_options, names, CF_PY_F_STRLIST, names_count),
	CF_PY_FIELD(cf_csv_options, skip_initial_space, CF_PY_F_BOOL),
	CF_PY_ARRAY_FIELD(cf_csv_options, na_values, CF_PY_F_STRLIST, na_count),
	CF_PY_ARRAY_FIELD(cf_csv_options, types, CF_PY_F_TYPES, types_count),
	CF_PY_FIELD(cf_csv_options, infer_rows, CF_PY_F_SIZE),
	CF_PY_FIELD(cf_csv_options, chunk_rows, CF_PY_F_SIZE),
	CF_PY_FIELD(cf_csv_options, max_field_bytes, CF_PY_F_SIZE),
	CF_PY_FIELD(cf_csv_options, source_name, CF_PY_F_STR),
	{ NULL, 0, 0, 0 }
};

static const cf_py_field cf_py_stats_fields[] = {
	CF_PY_FIELD(cf_stats_options, hll_precision, CF_PY_F_UINT),
	CF_PY_FIELD(cf_stats_options, exact_distinct_max, CF_PY_F_SIZE),
	CF_PY_FIELD(cf_stats_options, topk, CF_PY_F_SIZE),
	CF_PY_FIELD(cf_stats_options, kll_k, CF_PY_F_UINT),
	CF_PY_FIELD(cf_stats_options, seed, CF_PY_F_U64),
	{ NULL, 0, 0, 0 }
};

static const cf_py_field cf_py_validate_fields[] = {
	CF_PY_FIELD(cf_validate_options, skip_unknown, CF_PY_F_BOOL),
	CF_PY_FIELD(cf_validate_options, now_us, CF_PY_F_I64),
	CF_PY_FIELD(cf_validate_options, result_format, CF_PY_F_INT),
	CF_PY_FIELD(cf_validate_options, parameters_json, CF_PY_F_STR),
	CF_PY_FIELD(cf_validate_options, spelling, CF_PY_F_INT),
	CF_PY_FIELD(cf_validate_options, partial_unexpected_count, CF_PY_F_SIZE),
	{ NULL, 0, 0, 0 }
};

static const cf_py_field cf_py_profile_fields[] = {
	CF_PY_FIELD(cf_profile_options, suite_name, CF_PY_F_STR),
	CF_PY_FIELD(cf_profile_options, max_value_set, CF_PY_F_SIZE),
	CF_PY_FIELD(cf_profile_options, row_count_tolerance, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_profile_options, null_slack, CF_PY_F_DOUBLE),
	CF_PY_FIELD(cf_profile_options, spelling, CF_PY_F_INT),
	{ NULL, 0, 0, 0 }
};

/* Only the csv options have an init function; the others start from their INIT macros (plain C here). */
static const cf_stats_options cf_py_stats_defaults = CF_STATS_OPTIONS_INIT;
static const cf_validate_options cf_py_validate_defaults = CF_VALIDATE_OPTIONS_INIT;
static const cf_profile_options cf_py_profile_defaults = CF_PROFILE_OPTIONS_INIT;
%}

/*
 * Options structs as dicts (None: the library defaults). Unset keys keep the defaults; strings and arrays
 * point into objects held until the wrapper returns (`keep`), so they stay valid while the GIL is released.
 */
%define CF_PY_OPTIONS_TYPEMAP(CTYPE, PARAM, FIELDS, WHAT, INIT)
%typemap(in) const CTYPE *PARAM (CTYPE temp, PyObject *keep = NULL) {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		INIT
		if (cf_py_fill_options(&temp, FIELDS, $input, WHAT, &keep) < 0)
			SWIG_fail;
		$1 = &temp;
	}
}
%typemap(freearg) const CTYPE *PARAM {
	Py_XDECREF(keep$argnum);
}
%enddef

CF_PY_OPTIONS_TYPEMAP(cf_csv_options, opts, cf_py_csv_fields, "CSV",
	{ int rc = cf_csv_options_init(&temp, CF_CSV_OPTIONS_VERSION); if (rc < 0) { cf_py_raise(rc); SWIG_fail; } })
CF_PY_OPTIONS_TYPEMAP(cf_csv_options, csv_opts, cf_py_csv_fields, "CSV",
	{ int rc = cf_csv_options_init(&temp, CF_CSV_OPTIONS_VERSION); if (rc < 0) { cf_py_raise(rc); SWIG_fail; } })
CF_PY_OPTIONS_TYPEMAP(cf_stats_options, opts, cf_py_stats_fields, "stats", temp = cf_py_stats_defaults;)
CF_PY_OPTIONS_TYPEMAP(cf_validate_options, opts, cf_py_validate_fields, "validation",
	temp = cf_py_validate_defaults;)
CF_PY_OPTIONS_TYPEMAP(cf_profile_options, opts, cf_py_profile_fields, "profile", temp = cf_py_profile_defaults;)

/* ---- table columns ----------------------------------------------------------------------------- */

%{
/* Bytes per value of a column type; 0 for an unknown type. */
static size_t cf_py_type_width(int type)
{
	switch (type) {
	case CF_TYPE_FLOAT64: case CF_TYPE_INT64: case CF_TYPE_TIMESTAMP: return 8;
	case CF_TYPE_BOOL: return 1;
	case CF_TYPE_STRING: return 4;
	}
	return 0;
}

/* The buffer format codes a column type's values may have. */
static const char *cf_py_type_codes(int type)
{
	switch (type) {
	case CF_TYPE_FLOAT64: return "d";
	case CF_TYPE_INT64: case CF_TYPE_TIMESTAMP: return "lq";
	case CF_TYPE_BOOL: return "?Bb";
	case CF_TYPE_STRING: return "il";
	}
	return "";
}

/*
 * A column view from the tuple (name, type, values, validity, dictionary):
 *   values     a C-contiguous, aligned buffer of the type's elements (float64 'd'; int64 and timestamp 'q'/'l';
 *              bool '?' or one-byte ints; string codes int32); the length is its element count;
 *   validity   None, or a buffer of at least ceil(length / 8) bytes (Arrow bitmap);
 *   dictionary None, or a sequence of str (string columns).
 * The buffers stay acquired until the wrapper returns; for CF_TABLE_BORROW the caller (cogniforge.Table) keeps
 * the objects alive for the table's lifetime.
 */
static int cf_py_column_view(PyObject *obj, cf_column_view *col, Py_buffer *values, int *have_values,
	Py_buffer *validity, int *have_validity, PyObject **keep)
{
	PyObject *name, *type_obj, *values_obj, *validity_obj, *dict_obj;
	long type;
	size_t width;

	memset(col, 0, sizeof *col);
	if (!PyTuple_Check(obj) || PyTuple_GET_SIZE(obj) != 5) {
		PyErr_SetString(PyExc_TypeError, "a column must be a tuple (name, type, values, validity, dictionary)");
		return -1;
	}
	name = PyTuple_GET_ITEM(obj, 0);
	type_obj = PyTuple_GET_ITEM(obj, 1);
	values_obj = PyTuple_GET_ITEM(obj, 2);
	validity_obj = PyTuple_GET_ITEM(obj, 3);
	dict_obj = PyTuple_GET_ITEM(obj, 4);
	if ((col->name = cf_py_utf8(name, keep, "column name")) == NULL)
		return -1;
	type = PyLong_AsLong(type_obj);
	if (type == -1 && PyErr_Occurred())
		return -1;
	if ((width = cf_py_type_width((int)type)) == 0) {
		PyErr_Format(PyExc_ValueError, "column '%s': unknown column type %ld", col->name, type);
		return -1;
	}
	col->type = (cf_type)type;
	if (cf_py_array_get(values_obj, values, PyBUF_SIMPLE, cf_py_type_codes((int)type), width, width,
			cf_type_name(col->type), "cf_table_add_column", "values") < 0)
		return -1;
	*have_values = 1;
	col->values = values->buf;
	col->length = (size_t)values->len / width;
	if (validity_obj != Py_None) {
		if (cf_py_buffer_get(validity_obj, validity, PyBUF_SIMPLE, "cf_table_add_column", "validity") < 0)
			return -1;
		*have_validity = 1;
		if ((size_t)validity->len < CF_BITMAP_BYTES(col->length)) {
			PyErr_Format(PyExc_ValueError, "column '%s': the validity bitmap has %zd bytes, %zu rows need %zu",
				col->name, validity->len, col->length, (size_t)CF_BITMAP_BYTES(col->length));
			return -1;
		}
		col->validity = validity->buf;
	}
	if (dict_obj != Py_None) {
		const char **dict = cf_py_utf8_array(dict_obj, &col->dict_size, keep, "dictionary entry");
		if (dict == NULL)
			return -1;
		col->dict = dict;
	}
	return 0;
}
%}

%typemap(in) const cf_column_view *column (cf_column_view temp, Py_buffer values, int have_values = 0,
	Py_buffer validity, int have_validity = 0, PyObject *keep = NULL) {
	if (cf_py_column_view($input, &temp, &values, &have_values, &validity, &have_validity, &keep) < 0)
		SWIG_fail;
	$1 = &temp;
}
%typemap(freearg) const cf_column_view *column {
	if (have_values$argnum)
		PyBuffer_Release(&values$argnum);
	if (have_validity$argnum)
		PyBuffer_Release(&validity$argnum);
	Py_XDECREF(keep$argnum);
}

%{
/* A read-only memoryview over library memory (or None): valid only while its owner lives; copy it at once. */
static PyObject *cf_py_memory(const void *ptr, size_t len)
{
	if (ptr == NULL)
		Py_RETURN_NONE;
	return PyMemoryView_FromMemory((char *)ptr, (Py_ssize_t)len, PyBUF_READ);
}

static PyObject *cf_py_str_or_none(const char *s)
{
	if (s == NULL)
		Py_RETURN_NONE;
	return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

/* The dict for a column view. `values`/`validity` are memoryviews into the table's memory. */
static PyObject *cf_py_column_dict(const cf_column_view *c)
{
	PyObject *dict = Py_None, *d;
	size_t i;

	if (c->type == CF_TYPE_STRING) {
		if ((dict = PyList_New((Py_ssize_t)c->dict_size)) == NULL)
			return NULL;
		for (i = 0; i < c->dict_size; i++) {
			PyObject *s = cf_py_str_or_none(c->dict[i]);
			if (s == NULL) {
				Py_DECREF(dict);
				return NULL;
			}
			PyList_SET_ITEM(dict, (Py_ssize_t)i, s);
		}
	} else {
		Py_INCREF(dict);
	}
	d = Py_BuildValue("{s:N,s:i,s:n,s:n,s:N,s:N,s:N,s:N}",
		"name", cf_py_str_or_none(c->name),
		"type", (int)c->type,
		"length", (Py_ssize_t)c->length,
		"null_count", (Py_ssize_t)c->null_count,
		"values", cf_py_memory(c->values, c->length * cf_py_type_width((int)c->type)),
		"values_address", PyLong_FromVoidPtr((void *)c->values),
		"validity", cf_py_memory(c->validity, CF_BITMAP_BYTES(c->length)),
		"dictionary", dict);
	return d;
}
%}

%typemap(in, numinputs=0) cf_column_view *out (cf_column_view temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_column_view *out {
	$result = SWIG_Python_AppendOutput($result, cf_py_column_dict($1));
	if ($result == NULL)
		SWIG_fail;
}

/* ---- statistics and validation records as dicts ------------------------------------------------ */

%typemap(in, numinputs=0) cf_column_stats *out (cf_column_stats temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_column_stats *out {
	PyObject *values = PyList_New((Py_ssize_t)$1->values_count), *d = NULL;
	size_t i;

	for (i = 0; values != NULL && i < $1->values_count; i++) {
		const cf_stats_value_count *v = &$1->values[i];
		PyObject *item = v->string != NULL
			? Py_BuildValue("(NKK)", cf_py_str_or_none(v->string), (unsigned long long)v->count,
				(unsigned long long)v->error)
			: Py_BuildValue("(dKK)", v->number, (unsigned long long)v->count, (unsigned long long)v->error);
		if (item == NULL) {
			Py_CLEAR(values);
			break;
		}
		PyList_SET_ITEM(values, (Py_ssize_t)i, item);
	}
	if (values != NULL)
		d = Py_BuildValue("{s:N,s:i,s:K,s:K,s:d,s:d,s:d,s:d,s:d,s:K,s:K,s:N,s:N,s:d,s:O,s:d,s:N,s:L,s:L}",
			"name", cf_py_str_or_none($1->name),
			"type", (int)$1->type,
			"count", (unsigned long long)$1->count,
			"null_count", (unsigned long long)$1->null_count,
			"min", $1->min, "max", $1->max, "sum", $1->sum, "mean", $1->mean, "m2", $1->m2,
			"min_length", (unsigned long long)$1->min_length,
			"max_length", (unsigned long long)$1->max_length,
			"min_string", cf_py_str_or_none($1->min_string),
			"max_string", cf_py_str_or_none($1->max_string),
			"distinct", $1->distinct,
			"distinct_exact", $1->distinct_exact ? Py_True : Py_False,
			"distinct_rel_error", $1->distinct_rel_error,
			"values", values,
			"min_int", (long long)$1->min_int,
			"max_int", (long long)$1->max_int);
	$result = SWIG_Python_AppendOutput($result, d);
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_validation_summary *out (cf_validation_summary temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_validation_summary *out {
	PyObject *d = Py_BuildValue("{s:O,s:n,s:n,s:n,s:n,s:K}",
		"success", $1->success ? Py_True : Py_False,
		"evaluated", (Py_ssize_t)$1->evaluated,
		"successful", (Py_ssize_t)$1->successful,
		"unsuccessful", (Py_ssize_t)$1->unsuccessful,
		"skipped", (Py_ssize_t)$1->skipped,
		"rows", (unsigned long long)$1->rows);
	$result = SWIG_Python_AppendOutput($result, d);
	if ($result == NULL)
		SWIG_fail;
}

%typemap(in, numinputs=0) cf_expectation_result *out (cf_expectation_result temp) {
	memset(&temp, 0, sizeof temp);
	$1 = &temp;
}
%typemap(argout) cf_expectation_result *out {
	PyObject *d = Py_BuildValue("{s:N,s:N,s:O,s:O,s:O,s:N,s:K,s:K,s:K,s:O,s:d,s:N}",
		"type", cf_py_str_or_none($1->type),
		"column", cf_py_str_or_none($1->column),
		"success", $1->success ? Py_True : Py_False,
		"skipped", $1->skipped ? Py_True : Py_False,
		"raised_exception", $1->raised_exception ? Py_True : Py_False,
		"exception_message", cf_py_str_or_none($1->exception_message),
		"element_count", (unsigned long long)$1->element_count,
		"missing_count", (unsigned long long)$1->missing_count,
		"unexpected_count", (unsigned long long)$1->unexpected_count,
		"has_observed_value", $1->has_observed_value ? Py_True : Py_False,
		"observed_value", $1->observed_value,
		"observed_json", cf_py_str_or_none($1->observed_json));
	$result = SWIG_Python_AppendOutput($result, d);
	if ($result == NULL)
		SWIG_fail;
}

/* ---- the wrapped API ------------------------------------------------------------------------- */

CF_PY_NOCHECK(cf_error_code_name)
CF_PY_NOCHECK(cf_version)
CF_PY_NOCHECK(cf_cuda_backend_error)
CF_PY_NOCHECK(cf_features)
CF_PY_NOCHECK(cf_context_free)
CF_PY_NOCHECK(cf_context_device)
CF_PY_NOCHECK(cf_reader_compression)
CF_PY_NOCHECK(cf_reader_free)
CF_PY_NOCHECK(cf_compression_name)
CF_PY_NOCHECK(cf_type_name)
CF_PY_NOCHECK(cf_table_free)
CF_PY_NOCHECK(cf_table_num_rows)
CF_PY_NOCHECK(cf_table_num_columns)
CF_PY_NOCHECK(cf_table_column_name)
CF_PY_NOCHECK(cf_csv_num_columns)
CF_PY_NOCHECK(cf_csv_column_name)
CF_PY_NOCHECK(cf_csv_column_type)
CF_PY_NOCHECK(cf_csv_rows_read)
CF_PY_NOCHECK(cf_csv_free)
CF_PY_NOCHECK(cf_stats_free)
CF_PY_NOCHECK(cf_stats_num_rows)
CF_PY_NOCHECK(cf_stats_num_columns)
CF_PY_NOCHECK(cf_stats_quantile_rank_error)
CF_PY_NOCHECK(cf_suite_free)
CF_PY_NOCHECK(cf_suite_name)
CF_PY_NOCHECK(cf_suite_size)
CF_PY_NOCHECK(cf_suite_expectation_type)
CF_PY_NOCHECK(cf_validation_free)
CF_PY_NOCHECK(cf_validation_result_count)
CF_PY_INT_VALUE(cf_version_number)
CF_PY_INT_VALUE(cf_cuda_device_count)
CF_PY_INT_VALUE(cf_context_threads)

/* Read through the typemaps above, or not needed from Python. */
%ignore cf_error;
%ignore cf_error_last;
%ignore cf_error_clear;
%ignore cf_allocator;
%ignore cf_context_options;
%ignore cf_context_options_init;
%ignore cf_cuda_device_info;
%ignore cf_file_summary;
%ignore cf_hex_encode;
%ignore cf_buf;            /* `cf_buf *out` comes back as bytes, disposed by the typemap */
%ignore cf_buf_dispose;
%ignore cf_column_view;    /* a tuple in, a dict out (typemaps above) */
%ignore cf_csv_options;
%ignore cf_csv_options_init;
%ignore cf_stats_options_init;
%ignore cf_validate_options_init;
%ignore cf_profile_options_init;
%ignore cf_stats_options;
%ignore cf_stats_value_count;
%ignore cf_column_stats;
%ignore cf_validate_options;
%ignore cf_validation_summary;
%ignore cf_expectation_result;
%ignore cf_profile_options;
%ignore cf_table_add_strings; /* the Python layer dictionary-encodes with numpy */
%ignore cf_csv_open_memory;   /* would borrow the caller's buffer past the call */

%include "cogniforge/version.h"
%include "cogniforge/common.h"
%include "cogniforge/types.h"
%include "cogniforge/context.h"
%include "cogniforge/io.h"
%include "cogniforge/digest.h"
%include "cogniforge/table.h"
%include "cogniforge/csv.h"
%include "cogniforge/stats.h"
%include "cogniforge/validate.h"
%include "metrics.i"
%include "fairness.i"
%include "slo.i"
%include "drift.i"
%include "rollout.i"
%include "factorize.i"

/* ---- typed-array self-test ------------------------------------------------------------------- */

/* Not public API: lets tests/python exercise CF_PY_ARRAY_TYPEMAPS until a library function uses it. */
%apply (const double *IN_ARRAY, size_t IN_LENGTH) { (const double *x, size_t n) };
%apply (double *INOUT_ARRAY, size_t INOUT_LENGTH) { (double *y, size_t n) };
CF_PY_NOCHECK(cf_py_selftest_sum)
CF_PY_NOCHECK(cf_py_selftest_scale)
%inline %{
static double cf_py_selftest_sum(const double *x, size_t n)
{
	double s = 0.0;
	size_t i;

	for (i = 0; i < n; i++)
		s += x[i];
	return s;
}

static void cf_py_selftest_scale(double *y, size_t n, double factor)
{
	size_t i;

	for (i = 0; i < n; i++)
		y[i] *= factor;
}
%}
