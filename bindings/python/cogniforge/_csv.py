"""Streaming CSV reader (cogniforge/csv.h): whole files as one Table, or Table chunks in bounded memory."""

import os
import threading

from . import raw as _raw
from ._table import Table, type_name

__all__ = ["read_csv", "iter_csv", "CsvReader", "csv_options", "CSV_DEFAULTS"]

#: The keyword arguments every CSV-reading function takes, with their defaults.
CSV_DEFAULTS = {
    "header": True,
    "names": None,
    "delimiter": ",",
    "quotechar": '"',
    "skip_initial_space": False,
    "na_values": None,
    "types": None,
    "infer_rows": 10000,
    "chunk_rows": 65536,
    "max_field_bytes": 16 << 20,
}

_PY_TYPES = {float: "float64", int: "int64", bool: "bool", str: "string"}


def _type_code(t, where):
    """A cf_type value for a type name ("int64", "float", "category", ...), a Python type or a cf_type int."""
    if t is None:
        return None
    if isinstance(t, type) and t in _PY_TYPES:
        t = _PY_TYPES[t]
    elif not isinstance(t, str):
        np_dtype = getattr(t, "kind", None) or getattr(getattr(t, "dtype", None), "kind", None)
        kinds = {"f": "float64", "i": "int64", "u": "int64", "b": "bool", "M": "timestamp", "U": "string",
                 "O": "string"}
        if isinstance(np_dtype, str) and np_dtype in kinds:
            t = kinds[np_dtype]
        else:
            raise TypeError(f"{where}: a column type must be a name such as 'int64' or 'string', not {t!r}")
    return _raw.cf_type_from_name(t)


def csv_options(header=True, names=None, delimiter=",", quotechar='"', skip_initial_space=False, na_values=None,
                types=None, infer_rows=10000, chunk_rows=65536, max_field_bytes=16 << 20):
    """The raw options dict for a CSV call, checked; ``types`` is returned apart (it may need the file's
    columns, see :func:`_resolve_types`)."""
    if header is None:
        header = False  # pandas' header=None
    if not isinstance(header, bool):
        raise TypeError(f"header must be True, False or None, not {header!r}")
    opts = {"header": header, "skip_initial_space": bool(skip_initial_space)}
    for key, value in (("delimiter", delimiter), ("quotechar", quotechar)):
        if not (isinstance(value, str) and len(value) == 1 and value.isascii() and value != "\0"):
            raise TypeError(f"{key} must be a single ASCII character, not {value!r}")
    opts["delimiter"] = delimiter
    opts["quote"] = quotechar
    if names is not None:
        if isinstance(names, (str, bytes)):
            raise TypeError("names must be a sequence of str, not a single string")
        names = list(names)
        if not all(isinstance(n, str) for n in names):
            raise TypeError("names must be a sequence of str")
        if len(set(names)) != len(names):
            raise ValueError("names must be unique")
        opts["names"] = names
    elif not header:
        raise ValueError("header=False needs names (the column names)")
    if na_values is not None:
        if isinstance(na_values, str):
            na_values = [na_values]
        na_values = list(na_values)
        if not all(isinstance(v, str) for v in na_values):
            raise TypeError("na_values must be a str or a sequence of str")
        opts["na_values"] = na_values
    for key, value in (("infer_rows", infer_rows), ("chunk_rows", chunk_rows), ("max_field_bytes", max_field_bytes)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TypeError(f"{key} must be a non-negative int, not {value!r}")
        opts[key] = value
    if chunk_rows == 0:
        raise ValueError("chunk_rows must be positive")
    if types is not None and not isinstance(types, dict):
        if isinstance(types, (str, bytes)):
            raise TypeError("types must be a list (by position) or a dict {column: type}, not a str")
        types = list(types)
    return opts, types


def _resolve_types(path, opts, types):
    """Complete ``opts`` with a full, positional ``types`` list.

    ``types`` may be a list (by position; None entries are inferred) or a dict {column: type}. The C reader takes
    all of the types or none, so a partial schema is completed from the types the reader infers (an extra open
    of the file, reading its header and inference sample).
    """
    if types is None:
        return opts
    if isinstance(types, dict):
        codes = {}
        for column, t in types.items():
            if not isinstance(column, str):
                raise TypeError(f"types keys must be column names (str), not {column!r}")
            codes[column] = _type_code(t, f"types[{column!r}]")
    else:
        codes = [_type_code(t, f"types[{i}]") for i, t in enumerate(types)]
    names = opts.get("names")
    if isinstance(codes, list) and None not in codes:
        return dict(opts, types=codes)
    if isinstance(codes, dict) and names is not None and set(names) <= {c for c, t in codes.items() if t is not None}:
        unknown = sorted(set(codes) - set(names))
        if unknown:
            raise ValueError(f"types names unknown columns {unknown}; the columns are {names}")
        return dict(opts, types=[codes[n] for n in names])
    # Learn the file's columns and inferred types, then fill in the given ones.
    reader = _raw.cf_csv_open(None, path, opts)
    try:
        ncols = _raw.cf_csv_num_columns(reader)
        file_names = [_raw.cf_csv_column_name(reader, i) for i in range(ncols)]
        inferred = [_raw.cf_csv_column_type(reader, i) for i in range(ncols)]
    finally:
        _raw.cf_csv_free(reader)
    if isinstance(codes, dict):
        unknown = sorted(set(codes) - set(file_names))
        if unknown:
            raise ValueError(f"types names unknown columns {unknown}; the columns are {file_names}")
        full = [codes.get(n) if codes.get(n) is not None else inferred[i] for i, n in enumerate(file_names)]
    else:
        if len(codes) != ncols:
            raise ValueError(f"{len(codes)} types were given for {ncols} columns")
        full = [c if c is not None else inferred[i] for i, c in enumerate(codes)]
    return dict(opts, types=full)


def prepare(path, **kwargs):
    """The raw options dict for reading ``path`` with CSV keyword arguments (see :func:`read_csv`)."""
    opts, types = csv_options(**kwargs)
    return _resolve_types(path, opts, types)


def read_csv(path, *, header=True, names=None, delimiter=",", quotechar='"', skip_initial_space=False,
             na_values=None, types=None, infer_rows=10000, chunk_rows=65536, max_field_bytes=16 << 20):
    """Read a whole CSV file into one :class:`Table` (gzip, zstd, xz and bzip2 files are decompressed).

    Args:
        path: str, bytes or os.PathLike; ``"-"`` reads standard input.
        header: True when the first row names the columns; False (or None) when it is data (``names`` then
            required).
        names: column names; with a header, they replace the file's (the count must match).
        delimiter, quotechar: single ASCII characters.
        skip_initial_space: skip spaces after a delimiter (the Adult files' ", ").
        na_values: tokens read as null (a str or a list); None means ``["", "NA", "?"]``, ``[]`` none.
        types: column types, as a list by position or a dict {column: type}; a type is a name ("float64",
            "int64", "bool", "string", "timestamp" or an alias: "float", "int", "str", "category", "datetime"),
            a Python type (float, int, bool, str) or a numpy dtype. Columns left out (or None) are inferred.
        infer_rows: rows sampled to infer types (0: the whole file, read twice).
        chunk_rows: rows per chunk (:func:`iter_csv`; also the reader's buffering unit).
        max_field_bytes: the longest field accepted.

    Raises:
        NotFoundError, InputOutputError: the file.
        FormatError: malformed CSV (a ragged row, an unterminated quote, a value that does not parse as its
            column's type...); the message names the file, line and column.
        InvalidArgumentError: inconsistent options (e.g. 3 names for 4 columns).
    """
    opts = prepare(path, header=header, names=names, delimiter=delimiter, quotechar=quotechar,
                   skip_initial_space=skip_initial_space, na_values=na_values, types=types, infer_rows=infer_rows,
                   chunk_rows=chunk_rows, max_field_bytes=max_field_bytes)
    return Table._adopt(_raw.cf_csv_read_all(None, path, opts))


class CsvReader:
    """An iterator of :class:`Table` chunks over a CSV file (a cf_csv_reader); from :func:`iter_csv`.

    String columns are dictionary-encoded per chunk. After an error the reader is closed. Close it, or use
    ``with``; it is closed at the end of the input too. Calls are serialised by a lock.
    """

    _handle = None

    def __init__(self, path, opts):
        self._lock = threading.Lock()
        self.name = os.fsdecode(path)
        self._handle = _raw.cf_csv_open(None, path, opts)
        n = _raw.cf_csv_num_columns(self._handle)
        self.column_names = [_raw.cf_csv_column_name(self._handle, i) for i in range(n)]
        #: {column: type name}, given or inferred
        self.schema = {name: type_name(_raw.cf_csv_column_type(self._handle, i))
                       for i, name in enumerate(self.column_names)}
        self._rows_read = 0

    @property
    def rows_read(self):
        """Data rows returned so far."""
        with self._lock:
            if self._handle is not None:
                self._rows_read = _raw.cf_csv_rows_read(self._handle)
            return self._rows_read

    def __iter__(self):
        return self

    def __next__(self):
        with self._lock:
            if self._handle is None:
                raise StopIteration
            try:
                chunk = _raw.cf_csv_next(self._handle)
            except BaseException:
                self._close_locked()
                raise
            if chunk is None:
                self._close_locked()
                raise StopIteration
            return Table._adopt(chunk)

    def _close_locked(self):
        handle, self._handle = self._handle, None
        if handle is not None:
            self._rows_read = _raw.cf_csv_rows_read(handle)
            _raw.cf_csv_free(handle)

    def close(self):
        """Free the reader. Closing twice is harmless."""
        lock = getattr(self, "_lock", None)
        if lock is not None:
            with lock:
                self._close_locked()

    @property
    def closed(self):
        return self._handle is None

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"<cogniforge.CsvReader name={self.name!r} columns={len(self.column_names)}" \
               f"{' closed' if self.closed else ''}>"


def iter_csv(path, *, header=True, names=None, delimiter=",", quotechar='"', skip_initial_space=False,
             na_values=None, types=None, infer_rows=10000, chunk_rows=65536, max_field_bytes=16 << 20):
    """Stream a CSV file as :class:`Table` chunks of up to ``chunk_rows`` rows, in bounded memory.

    Takes the arguments of :func:`read_csv`; returns a :class:`CsvReader` (an iterator, also a context manager,
    with ``column_names``, ``schema`` and ``rows_read``). The header and the inference sample are read here, so
    file and schema errors raise at once; malformed rows raise from iteration, naming file, line and column.
    """
    opts = prepare(path, header=header, names=names, delimiter=delimiter, quotechar=quotechar,
                   skip_initial_space=skip_initial_space, na_values=na_values, types=types, infer_rows=infer_rows,
                   chunk_rows=chunk_rows, max_field_bytes=max_field_bytes)
    return CsvReader(path, opts)
