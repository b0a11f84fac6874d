"""Getting buffers into the shape the SWIG typemaps accept (see bindings/python/buffers.i).

The typemaps take any PEP 3118 buffer without copying, but only when it is C-contiguous (and, for typed
arrays, of the exact element type and aligned). These helpers return the object itself when it already
qualifies, and a contiguous copy otherwise. numpy is optional: it is imported only when a conversion
needs it.
"""

_numpy = None


def _np():
    """numpy, or None when it is not installed (checked once)."""
    global _numpy
    if _numpy is None:
        try:
            import numpy
        except ImportError:
            numpy = False
        _numpy = numpy
    return _numpy or None


def as_contiguous_bytes(obj):
    """``obj`` itself when it exports a C-contiguous buffer (zero-copy), else a contiguous copy.

    Raises TypeError for objects without the buffer protocol (``str`` included, as hashlib does).
    """
    with memoryview(obj) as view:
        if view.c_contiguous:
            return obj
        np = _np()
        if np is not None and isinstance(obj, np.ndarray):
            return np.ascontiguousarray(obj)
        return view.tobytes()  # C order, the same bytes ascontiguousarray would give


def as_array(obj, dtype, writable=False):
    """``obj`` as a C-contiguous, aligned numpy array of ``dtype``, copying only when it must.

    For the CF_PY_ARRAY_TYPEMAPS typemaps. With ``writable=True`` nothing is copied (a copy would hide
    the C function's writes): a mismatching array raises TypeError instead.
    """
    np = _np()
    if np is None:
        return obj  # the typemap checks the buffer's format and reports a mismatch
    if writable:
        if not (isinstance(obj, np.ndarray) and obj.dtype == np.dtype(dtype) and obj.flags.c_contiguous
                and obj.flags.aligned and obj.flags.writeable):
            raise TypeError(f"expected a writable, C-contiguous, aligned numpy array of {np.dtype(dtype)}")
        return obj
    return np.require(obj, dtype=dtype, requirements=("C_CONTIGUOUS", "ALIGNED"))
