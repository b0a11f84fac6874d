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
%ignore cf_buf;
%ignore cf_buf_dispose;

%include "cogniforge/version.h"
%include "cogniforge/common.h"
%include "cogniforge/types.h"
%include "cogniforge/context.h"
%include "cogniforge/io.h"
%include "cogniforge/digest.h"

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
