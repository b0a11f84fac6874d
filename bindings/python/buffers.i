/*
 * buffers.i: zero-copy buffer typemaps for the Python binding (PEP 3118 buffer protocol).
 *
 * Any object exporting a buffer (bytes, bytearray, memoryview, array.array, numpy arrays of any
 * version) passes straight through: the C function sees the object's own memory. Nothing here includes
 * numpy headers, so the extension does not depend on numpy's C ABI. The typemaps never copy: a buffer
 * that is not C-contiguous, not writable or of the wrong element type is rejected with TypeError, and
 * the Python layer (cogniforge/_buffers.py) makes a contiguous copy first when it chooses to.
 *
 * The buffer stays acquired until the wrapper returns (freearg), which pins the memory while the GIL is
 * released: a bytearray cannot be resized under the C call.
 *
 * Patterns (use %apply to give them to other parameter names; see README.md):
 *   (const void *data, size_t len)            read-only bytes, len in bytes
 *   (unsigned char *out, size_t out_len)      writable bytes, filled in place
 *   (const T *IN_ARRAY, size_t IN_LENGTH)     read-only typed array, length in elements
 *   (T *INOUT_ARRAY, size_t INOUT_LENGTH)     writable typed array, modified in place
 * with T one of the types given to CF_PY_ARRAY_TYPEMAPS at the end of this file.
 */

%{
#include <stdint.h>
#include <string.h>

/* Acquire a C-contiguous buffer, or raise TypeError naming the function and parameter. The original
 * reason (read-only, not contiguous, no buffer interface) is kept in the message. */
static int cf_py_buffer_get(PyObject *obj, Py_buffer *view, int flags, const char *func, const char *param)
{
	PyObject *type, *value, *tb, *reason;
	int writable = (flags & PyBUF_WRITABLE) != 0;

	if (PyObject_GetBuffer(obj, view, flags | PyBUF_C_CONTIGUOUS) == 0)
		return 0;
	PyErr_Fetch(&type, &value, &tb);
	reason = value ? PyObject_Str(value) : NULL;
	PyErr_Clear();
	PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be a %sC-contiguous buffer, not %.200s (%S)",
		func, param, writable ? "writable " : "", Py_TYPE(obj)->tp_name,
		reason ? reason : Py_None);
	Py_XDECREF(reason);
	Py_XDECREF(type);
	Py_XDECREF(value);
	Py_XDECREF(tb);
	return -1;
}

/* Does a PEP 3118 format string describe one native element of a type whose format code is in `codes`
 * and whose size is `size`? A missing format means unsigned bytes ('B'). */
static int cf_py_format_matches(const char *fmt, Py_ssize_t itemsize, const char *codes, size_t size)
{
	const int little = 1;

	if (fmt == NULL)
		fmt = "B";
	if (*fmt == '@' || *fmt == '=')
		fmt++;
	else if (*fmt == '<' && *(const char *)&little)
		fmt++;
	else if ((*fmt == '>' || *fmt == '!') && !*(const char *)&little)
		fmt++;
	return fmt[0] != '\0' && fmt[1] == '\0' && strchr(codes, fmt[0]) != NULL && itemsize == (Py_ssize_t)size;
}

/* Acquire a typed array: contiguous, aligned, and of the element type described by `codes`/`size`. */
static int cf_py_array_get(PyObject *obj, Py_buffer *view, int flags, const char *codes, size_t size,
	size_t align, const char *ctype, const char *func, const char *param)
{
	if (cf_py_buffer_get(obj, view, flags | PyBUF_FORMAT, func, param) < 0)
		return -1;
	if (!cf_py_format_matches(view->format, view->itemsize, codes, size)) {
		PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must hold %s elements (buffer format '%s', "
			"itemsize %zd; expected one of '%s' with itemsize %zu)", func, param, ctype,
			view->format ? view->format : "B", view->itemsize, codes, size);
		PyBuffer_Release(view);
		return -1;
	}
	if ((uintptr_t)view->buf % align != 0) {
		PyErr_Format(PyExc_TypeError, "%s(): argument '%s' is not aligned for %s", func, param, ctype);
		PyBuffer_Release(view);
		return -1;
	}
	return 0;
}
%}

/* Read-only bytes: any buffer, length in bytes. */
%typemap(in) (const void *data, size_t len) (Py_buffer view, int have_view = 0) {
	if (cf_py_buffer_get($input, &view, PyBUF_SIMPLE, "$symname", "$1_name") < 0)
		SWIG_fail;
	have_view = 1;
	$1 = ($1_ltype)view.buf;
	$2 = (size_t)view.len;
}
%typemap(freearg) (const void *data, size_t len) {
	if (have_view$argnum)
		PyBuffer_Release(&view$argnum);
}

/* Writable bytes: any writable buffer, length in bytes; the C function writes into it in place. */
%typemap(in) (unsigned char *out, size_t out_len) (Py_buffer view, int have_view = 0) {
	if (cf_py_buffer_get($input, &view, PyBUF_WRITABLE, "$symname", "$1_name") < 0)
		SWIG_fail;
	have_view = 1;
	$1 = ($1_ltype)view.buf;
	$2 = (size_t)view.len;
}
%typemap(freearg) (unsigned char *out, size_t out_len) {
	if (have_view$argnum)
		PyBuffer_Release(&view$argnum);
}

/*
 * Typed arrays. CODES lists the struct-module format characters that may describe CTYPE; the itemsize
 * must also equal sizeof(CTYPE), so "bhilq" covers int32_t on every platform.
 */
%define CF_PY_ARRAY_TYPEMAPS(CTYPE, CODES)
%typemap(in) (const CTYPE *IN_ARRAY, size_t IN_LENGTH) (Py_buffer view, int have_view = 0) {
	if (cf_py_array_get($input, &view, PyBUF_SIMPLE, CODES, sizeof(CTYPE), _Alignof(CTYPE), #CTYPE,
			"$symname", "$1_name") < 0)
		SWIG_fail;
	have_view = 1;
	$1 = ($1_ltype)view.buf;
	$2 = (size_t)(view.len / view.itemsize);
}
%typemap(freearg) (const CTYPE *IN_ARRAY, size_t IN_LENGTH) {
	if (have_view$argnum)
		PyBuffer_Release(&view$argnum);
}
%typemap(in) (CTYPE *INOUT_ARRAY, size_t INOUT_LENGTH) (Py_buffer view, int have_view = 0) {
	if (cf_py_array_get($input, &view, PyBUF_WRITABLE, CODES, sizeof(CTYPE), _Alignof(CTYPE), #CTYPE,
			"$symname", "$1_name") < 0)
		SWIG_fail;
	have_view = 1;
	$1 = ($1_ltype)view.buf;
	$2 = (size_t)(view.len / view.itemsize);
}
%typemap(freearg) (CTYPE *INOUT_ARRAY, size_t INOUT_LENGTH) {
	if (have_view$argnum)
		PyBuffer_Release(&view$argnum);
}
%enddef

CF_PY_ARRAY_TYPEMAPS(double, "d")
CF_PY_ARRAY_TYPEMAPS(float, "f")
CF_PY_ARRAY_TYPEMAPS(int8_t, "bhilq")
CF_PY_ARRAY_TYPEMAPS(int16_t, "bhilq")
CF_PY_ARRAY_TYPEMAPS(int32_t, "bhilq")
CF_PY_ARRAY_TYPEMAPS(int64_t, "bhilq")
CF_PY_ARRAY_TYPEMAPS(uint8_t, "BHILQ")
CF_PY_ARRAY_TYPEMAPS(uint16_t, "BHILQ")
CF_PY_ARRAY_TYPEMAPS(uint32_t, "BHILQ")
CF_PY_ARRAY_TYPEMAPS(uint64_t, "BHILQ")
