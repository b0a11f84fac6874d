/* factorize.i: a fast factorizer for the sensitive features of cogniforge.fairness. Included by cogniforge.i.
 *
 *   cf_py_factorize(values) -> (codes, labels) or None
 *
 * `values` is one of
 *   - a one-dimensional buffer of fixed-width strings in native byte order (numpy '<U{n}' as format "{n}w",
 *     numpy 'S{n}' as "{n}s"), any strides: the items are hashed as raw bytes (the NUL padding included, so
 *     equality is numpy's: trailing NULs do not count), without the GIL; labels are str (trailing NULs
 *     stripped) or bytes;
 *   - a numpy object array (its buffer, format "O": the PyObject pointers) or a list, every item an exact str: the items are
 *     PyObject pointers, looked up by identity first (the previous item, then a small pointer cache), then by
 *     hash and value; labels are the first str object seen with each value. A list whose labels end in a NUL
 *     comes back None (numpy.asarray would turn it into a 'U' array and strip them).
 * codes is a bytearray of int32 (native order), one per item; labels a list of the distinct values sorted as
 * numpy.unique sorts them (code point order for str, byte order for bytes), codes indexing it: the same result
 * as numpy.unique(values, return_inverse=True). None means "not handled here" (another dtype, a non-str item
 * such as None, NaN, an int or a str subclass, big-endian data, more than INT32_MAX items): the caller takes
 * its general path, so the semantics for anything unusual stay those of that path.
 */

%{
#include <stdint.h>
#include <stdlib.h>

typedef struct cf_py_fx_slot {
	uint64_t hash;
	size_t key;   /* fixed-width: index of the first item; objects: the PyObject pointer */
	int32_t code; /* -1: empty */
} cf_py_fx_slot;

typedef struct cf_py_fx_table {
	cf_py_fx_slot *slots;
	size_t mask;
	size_t count;
	size_t *firsts; /* code -> key of its first item */
	size_t firsts_cap;
} cf_py_fx_table;

static int cf_py_fx_init(cf_py_fx_table *t)
{
	size_t i, cap = 64;

	memset(t, 0, sizeof *t);
	if ((t->slots = malloc(cap * sizeof *t->slots)) == NULL)
		return -1;
	for (i = 0; i < cap; i++)
		t->slots[i].code = -1;
	t->mask = cap - 1;
	t->firsts_cap = 16;
	if ((t->firsts = malloc(t->firsts_cap * sizeof *t->firsts)) == NULL) {
		free(t->slots);
		t->slots = NULL;
		return -1;
	}
	return 0;
}

static void cf_py_fx_free(cf_py_fx_table *t)
{
	free(t->slots);
	free(t->firsts);
	t->slots = NULL;
	t->firsts = NULL;
}

/* Adds a new key (known absent) at the slot `at`; grows the table at half load. Returns its code or -1. */
static int32_t cf_py_fx_add(cf_py_fx_table *t, size_t at, uint64_t hash, size_t key)
{
	int32_t code = (int32_t)t->count;

	if (t->count == t->firsts_cap) {
		size_t *f = realloc(t->firsts, 2 * t->firsts_cap * sizeof *f);
		if (f == NULL)
			return -1;
		t->firsts = f;
		t->firsts_cap *= 2;
	}
	t->firsts[t->count] = key;
	t->slots[at].hash = hash;
	t->slots[at].key = key;
	t->slots[at].code = code;
	t->count++;
	if (2 * t->count > t->mask) {
		size_t cap = 2 * (t->mask + 1), i, j;
		cf_py_fx_slot *s = malloc(cap * sizeof *s);
		if (s == NULL)
			return -1;
		for (i = 0; i < cap; i++)
			s[i].code = -1;
		for (i = 0; i <= t->mask; i++) {
			if (t->slots[i].code < 0)
				continue;
			for (j = (size_t)t->slots[i].hash & (cap - 1); s[j].code >= 0; j = (j + 1) & (cap - 1))
				;
			s[j] = t->slots[i];
		}
		free(t->slots);
		t->slots = s;
		t->mask = cap - 1;
	}
	return code;
}

static uint64_t cf_py_fx_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static uint64_t cf_py_fx_hash_bytes(const unsigned char *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	if (i < len) {
		w = 0;
		memcpy(&w, p + i, len - i);
		h = (h ^ w) * 0x100000001b3ULL;
	}
	return cf_py_fx_mix(h);
}

/*
 * Fixed-width items (no Python objects touched: runs without the GIL). Fills codes (first-appearance order)
 * and t->firsts (item index of each code's first item). Returns 0, or -1 out of memory.
 */
static int cf_py_fx_fixed(cf_py_fx_table *t, const char *base, Py_ssize_t stride, size_t n, size_t width,
	int32_t *codes)
{
	const char *prev = NULL;
	int32_t prev_code = -1;
	size_t i, j;

	for (i = 0; i < n; i++) {
		const char *item = base + (Py_ssize_t)i * stride;
		uint64_t h;
		int32_t code;

		if (prev != NULL && memcmp(item, prev, width) == 0) {
			codes[i] = prev_code;
			continue;
		}
		h = cf_py_fx_hash_bytes((const unsigned char *)item, width);
		for (j = (size_t)h & t->mask;; j = (j + 1) & t->mask) {
			const cf_py_fx_slot *s = &t->slots[j];
			if (s->code < 0) {
				if ((code = cf_py_fx_add(t, j, h, i)) < 0)
					return -1;
				break;
			}
			if (s->hash == h && memcmp(base + (Py_ssize_t)s->key * stride, item, width) == 0) {
				code = s->code;
				break;
			}
		}
		codes[i] = code;
		prev = item;
		prev_code = code;
	}
	return 0;
}

#define CF_PY_FX_CACHE 256

/*
 * PyObject items (GIL held). Every item must be an exact str; returns 0, 1 when an item is not (the caller
 * falls back), -1 with an exception set. Only exact str objects are hashed and compared, which runs no Python
 * code, so the container cannot change under the loop.
 */
static int cf_py_fx_objects(cf_py_fx_table *t, const char *base, Py_ssize_t stride, size_t n, int32_t *codes)
{
	struct {
		PyObject *obj;
		int32_t code;
	} cache[CF_PY_FX_CACHE];
	PyObject *prev = NULL;
	int32_t prev_code = -1;
	size_t i, j;

	memset(cache, 0, sizeof cache);
	for (i = 0; i < n; i++) {
		PyObject *o;
		size_t c;
		Py_hash_t ph;
		uint64_t h;
		int32_t code;

		memcpy(&o, base + (Py_ssize_t)i * stride, sizeof o);
		if (o == NULL)
			return 1;
		if (o == prev) {
			codes[i] = prev_code;
			continue;
		}
		c = ((uintptr_t)o >> 4) & (CF_PY_FX_CACHE - 1);
		if (cache[c].obj == o) {
			code = cache[c].code;
		} else {
			if (!PyUnicode_CheckExact(o))
				return 1;
			if ((ph = PyObject_Hash(o)) == -1)
				return -1;
			h = cf_py_fx_mix((uint64_t)ph);
			for (j = (size_t)h & t->mask;; j = (j + 1) & t->mask) {
				const cf_py_fx_slot *s = &t->slots[j];
				if (s->code < 0) {
					if ((code = cf_py_fx_add(t, j, h, (size_t)(uintptr_t)o)) < 0) {
						PyErr_NoMemory();
						return -1;
					}
					break;
				}
				if (s->hash == h && ((PyObject *)(uintptr_t)s->key == o
						|| PyUnicode_Compare((PyObject *)(uintptr_t)s->key, o) == 0)) {
					code = s->code;
					break;
				}
			}
			cache[c].obj = o;
			cache[c].code = code;
		}
		codes[i] = code;
		prev = o;
		prev_code = code;
	}
	return 0;
}

typedef struct cf_py_fx_label {
	PyObject *obj;
	int32_t code;
} cf_py_fx_label;

/* numpy.unique's order: code points for str, bytes for bytes (both never fail for exact str/bytes). */
static int cf_py_fx_label_cmp(const void *a, const void *b)
{
	PyObject *x = ((const cf_py_fx_label *)a)->obj, *y = ((const cf_py_fx_label *)b)->obj;

	if (PyUnicode_Check(x))
		return PyUnicode_Compare(x, y);
	{
		Py_ssize_t lx = PyBytes_GET_SIZE(x), ly = PyBytes_GET_SIZE(y);
		int r = memcmp(PyBytes_AS_STRING(x), PyBytes_AS_STRING(y), (size_t)(lx < ly ? lx : ly));
		return r != 0 ? r : (lx > ly) - (lx < ly);
	}
}

/*
 * Sorts the labels (a new list of k objects, first-appearance order) and renumbers the codes to match.
 * Steals `labels`; returns the sorted list or NULL.
 */
static PyObject *cf_py_fx_sort(PyObject *labels, int32_t *codes, size_t n)
{
	Py_ssize_t k = PyList_GET_SIZE(labels), i;
	cf_py_fx_label *v;
	int32_t *lut;
	int sorted = 1;
	size_t r;

	for (i = 1; i < k && sorted; i++)
		sorted = cf_py_fx_label_cmp(&(cf_py_fx_label){ PyList_GET_ITEM(labels, i - 1), 0 },
			&(cf_py_fx_label){ PyList_GET_ITEM(labels, i), 0 }) < 0;
	if (sorted)
		return labels;
	v = malloc((size_t)k * sizeof *v);
	lut = malloc((size_t)k * sizeof *lut);
	if (v == NULL || lut == NULL) {
		free(v);
		free(lut);
		Py_DECREF(labels);
		return PyErr_NoMemory();
	}
	for (i = 0; i < k; i++) {
		v[i].obj = PyList_GET_ITEM(labels, i);
		v[i].code = (int32_t)i;
	}
	qsort(v, (size_t)k, sizeof *v, cf_py_fx_label_cmp);
	for (i = 0; i < k; i++) {
		lut[v[i].code] = (int32_t)i;
		PyList_SET_ITEM(labels, i, v[i].obj); /* a permutation: references move, none is lost */
	}
	free(v);
	Py_BEGIN_ALLOW_THREADS
	for (r = 0; r < n; r++)
		codes[r] = lut[codes[r]];
	Py_END_ALLOW_THREADS
	free(lut);
	return labels;
}

/* Digits then `kind`, after an optional native byte-order prefix: "12w", "<12w", "=5s". */
static int cf_py_fx_format(const char *fmt, char kind)
{
	static const union { uint16_t u; unsigned char c[2]; } endian = { 1 };

	if (fmt == NULL)
		return 0;
	if (*fmt == '@' || *fmt == '=' || (*fmt == '<' && endian.c[0] == 1) || (*fmt == '>' && endian.c[0] == 0)
			|| (*fmt == '|' && kind == 's'))
		fmt++;
	while (*fmt >= '0' && *fmt <= '9')
		fmt++;
	return fmt[0] == kind && fmt[1] == '\0';
}

/* The fixed-width path on an acquired buffer view (ndim 1). */
static PyObject *cf_py_fx_buffer(Py_buffer *view, char kind)
{
	size_t n = (size_t)view->shape[0], width = (size_t)view->itemsize, i;
	Py_ssize_t stride = view->strides[0];
	cf_py_fx_table t;
	PyObject *codes_obj, *labels, *result;
	int32_t *codes;
	Py_UCS4 *tmp = NULL;
	int rc;

	if (n > INT32_MAX || width == 0 || (kind == 'w' && width % 4 != 0))
		Py_RETURN_NONE;
	if ((codes_obj = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)(n * sizeof(int32_t)))) == NULL)
		return NULL;
	codes = (int32_t *)(void *)PyByteArray_AS_STRING(codes_obj);
	if (cf_py_fx_init(&t) < 0) {
		Py_DECREF(codes_obj);
		return PyErr_NoMemory();
	}
	Py_BEGIN_ALLOW_THREADS
	rc = cf_py_fx_fixed(&t, (const char *)view->buf, stride, n, width, codes);
	Py_END_ALLOW_THREADS
	if (rc < 0 || (kind == 'w' && (tmp = malloc(width)) == NULL)) {
		cf_py_fx_free(&t);
		Py_DECREF(codes_obj);
		return PyErr_NoMemory();
	}
	if ((labels = PyList_New((Py_ssize_t)t.count)) == NULL)
		goto fail;
	for (i = 0; i < t.count; i++) {
		const char *item = (const char *)view->buf + (Py_ssize_t)t.firsts[i] * stride;
		size_t len = width;
		PyObject *o;

		if (kind == 'w') {
			size_t c;

			len = width / 4;
			memcpy(tmp, item, width); /* the buffer need not be aligned */
			while (len > 0 && tmp[len - 1] == 0)
				len--;
			for (c = 0; c < len && tmp[c] <= 0x10ffff; c++)
				;
			if (c < len) { /* not a code point: left to numpy's path */
				Py_DECREF(labels);
				cf_py_fx_free(&t);
				free(tmp);
				Py_DECREF(codes_obj);
				Py_RETURN_NONE;
			}
			o = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, tmp, (Py_ssize_t)len);
		} else {
			while (len > 0 && item[len - 1] == '\0')
				len--;
			o = PyBytes_FromStringAndSize(item, (Py_ssize_t)len);
		}
		if (o == NULL) {
			Py_DECREF(labels);
			goto fail;
		}
		PyList_SET_ITEM(labels, (Py_ssize_t)i, o);
	}
	cf_py_fx_free(&t);
	free(tmp);
	if ((labels = cf_py_fx_sort(labels, codes, n)) == NULL) {
		Py_DECREF(codes_obj);
		return NULL;
	}
	result = PyTuple_Pack(2, codes_obj, labels);
	Py_DECREF(codes_obj);
	Py_DECREF(labels);
	return result;
fail:
	cf_py_fx_free(&t);
	free(tmp);
	Py_DECREF(codes_obj);
	return NULL;
}

/* The PyObject path over n pointers at base (stride in bytes). `from_list`: labels ending in NUL fall back. */
static PyObject *cf_py_fx_pointers(const char *base, Py_ssize_t stride, size_t n, int from_list)
{
	cf_py_fx_table t;
	PyObject *codes_obj, *labels, *result;
	int32_t *codes;
	size_t i;
	int rc;

	if (n > INT32_MAX)
		Py_RETURN_NONE;
	if ((codes_obj = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)(n * sizeof(int32_t)))) == NULL)
		return NULL;
	codes = (int32_t *)(void *)PyByteArray_AS_STRING(codes_obj);
	if (cf_py_fx_init(&t) < 0) {
		Py_DECREF(codes_obj);
		return PyErr_NoMemory();
	}
	rc = cf_py_fx_objects(&t, base, stride, n, codes);
	if (rc != 0) {
		cf_py_fx_free(&t);
		Py_DECREF(codes_obj);
		if (rc < 0)
			return NULL;
		Py_RETURN_NONE;
	}
	if ((labels = PyList_New((Py_ssize_t)t.count)) == NULL) {
		cf_py_fx_free(&t);
		Py_DECREF(codes_obj);
		return NULL;
	}
	for (i = 0; i < t.count; i++) {
		PyObject *o = (PyObject *)(uintptr_t)t.firsts[i];
		Py_ssize_t len = PyUnicode_GET_LENGTH(o);

		Py_INCREF(o);
		PyList_SET_ITEM(labels, (Py_ssize_t)i, o);
		if (from_list && len > 0 && PyUnicode_READ_CHAR(o, len - 1) == 0) {
			Py_DECREF(labels);
			cf_py_fx_free(&t);
			Py_DECREF(codes_obj);
			Py_RETURN_NONE;
		}
	}
	cf_py_fx_free(&t);
	if ((labels = cf_py_fx_sort(labels, codes, n)) == NULL) {
		Py_DECREF(codes_obj);
		return NULL;
	}
	result = PyTuple_Pack(2, codes_obj, labels);
	Py_DECREF(codes_obj);
	Py_DECREF(labels);
	return result;
}

%}

%exception cf_py_factorize {
	$action
	if (result == NULL)
		SWIG_fail;
}

%inline %{
/* (codes bytearray of int32, sorted labels) or None: see the top of factorize.i. */
static PyObject *cf_py_factorize(PyObject *values)
{
	Py_buffer view;
	PyObject *r;
	char kind = 0;

	if (PyList_Check(values))
		return cf_py_fx_pointers((const char *)(void *)PySequence_Fast_ITEMS(values),
			(Py_ssize_t)sizeof(PyObject *), (size_t)PyList_GET_SIZE(values), 1);
	if (!PyObject_CheckBuffer(values))
		Py_RETURN_NONE;
	if (PyObject_GetBuffer(values, &view, PyBUF_RECORDS_RO) < 0) {
		PyErr_Clear();
		Py_RETURN_NONE;
	}
	if (view.ndim == 1 && view.shape != NULL && view.strides != NULL && view.suboffsets == NULL
			&& view.format != NULL) {
		if (cf_py_fx_format(view.format, 'w'))
			kind = 'w';
		else if (cf_py_fx_format(view.format, 's'))
			kind = 's';
		else if ((strcmp(view.format, "O") == 0 || strcmp(view.format, "|O") == 0)
				&& view.itemsize == (Py_ssize_t)sizeof(PyObject *))
			kind = 'O';
	}
	if (kind == 'O')  /* numpy object arrays export their PyObject pointers */
		r = cf_py_fx_pointers((const char *)view.buf, view.strides[0], (size_t)view.shape[0], 0);
	else if (kind)
		r = cf_py_fx_buffer(&view, kind);
	else
		r = (Py_INCREF(Py_None), Py_None);
	PyBuffer_Release(&view);
	return r;
}
%}
