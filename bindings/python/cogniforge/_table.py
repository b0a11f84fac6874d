"""Columnar tables (cogniforge/table.h) built from Python mappings of arrays, without copies where possible.

A mapping of column name -> array-like (a dict of numpy arrays or lists, a pandas DataFrame, anything with
``.items()`` or ``.keys()``/``__getitem__``) becomes a cf_table whose columns *borrow* the numpy arrays:

============================  ============  =========================================================
input                         column type   memory
============================  ============  =========================================================
float64                       float64       borrowed (NaN is null); other float widths: converted copy
int64                         int64         borrowed; other int widths: converted copy
bool                          bool          borrowed (numpy bool_ is one byte)
datetime64[us]                timestamp     borrowed (NaT: null, through a validity bitmap);
                                            other units (pandas' ns): converted copy
str / object / categorical    string        int32 codes + dictionary (pandas codes for categoricals,
                                            else ``np.unique``); None / NaN / NA is null
============================  ============  =========================================================

Object arrays holding only ints, floats, bools or datetimes (with None for missing values, as lists like
``[1, None, 3]`` give) become int64, float64, bool or timestamp columns with a validity bitmap. pandas
nullable dtypes (``Int64``, ``boolean``, ``Float64``, ``string``) and tz-aware datetimes (converted to UTC)
are accepted too. numpy is needed to build tables from arrays; reading CSV files needs nothing.
"""

import datetime as _dt
import numbers
import os

from . import raw as _raw
from ._buffers import _np
from ._common import HandleOwner

__all__ = ["Table", "as_table", "is_path", "type_name"]

FLOAT64 = _raw.CF_TYPE_FLOAT64
INT64 = _raw.CF_TYPE_INT64
BOOL = _raw.CF_TYPE_BOOL
STRING = _raw.CF_TYPE_STRING
TIMESTAMP = _raw.CF_TYPE_TIMESTAMP


def type_name(code):
    """"float64", "int64", "bool", "string" or "timestamp" for a cf_type value."""
    return _raw.cf_type_name(code)


def is_path(data):
    """Is ``data`` a file name (str, bytes or os.PathLike) rather than in-memory data?"""
    return isinstance(data, (str, bytes, os.PathLike))


def _numpy():
    np = _np()
    if np is None:
        raise ImportError("numpy is required to convert between arrays and cogniforge.Table columns")
    return np


def _mapping_items(data):
    """(name, column) pairs of a mapping, a pandas DataFrame or anything with keys() and __getitem__."""
    if hasattr(data, "items") and callable(data.items):
        items = list(data.items())
    elif hasattr(data, "keys") and hasattr(data, "__getitem__"):
        items = [(k, data[k]) for k in data.keys()]
    else:
        raise TypeError("data must be a CSV path (str or os.PathLike), a mapping of column name -> "
                        f"array-like (dict, pandas DataFrame) or a cogniforge.Table, not {type(data).__name__}")
    out = []
    for name, column in items:
        if isinstance(name, numbers.Integral) and not isinstance(name, bool):
            name = str(name)  # pandas' default column labels
        if not isinstance(name, str):
            raise TypeError(f"column names must be str, not {type(name).__name__} ({name!r})")
        if name == "":
            raise ValueError("column names must not be empty")
        out.append((name, column))
    return out


def _is_null(x):
    if x is None or type(x).__name__ in ("NAType", "NaTType"):  # pandas.NA, pandas.NaT, without pandas
        return True
    if isinstance(x, float):
        return x != x
    np = _np()
    if np is not None:
        if isinstance(x, np.floating):
            return bool(np.isnan(x))
        if isinstance(x, (np.datetime64, np.timedelta64)):
            return bool(np.isnat(x))
    return False


def _value_kind(x):
    np = _np()
    if isinstance(x, str):
        return "str"
    if isinstance(x, bool) or (np is not None and isinstance(x, np.bool_)):
        return "bool"
    if isinstance(x, numbers.Integral):
        return "int"
    if isinstance(x, numbers.Real):
        return "float"
    if isinstance(x, _dt.datetime) or (np is not None and isinstance(x, np.datetime64)):
        return "datetime"
    return type(x).__name__


def _bitmap(valid):
    """An Arrow validity bitmap for a boolean mask, or None when every row is valid."""
    np = _numpy()
    if valid.all():
        return None
    return np.packbits(valid, bitorder="little")


def _strings(name, values, valid):
    """(codes, dictionary) for an array of str, nulls where ``valid`` is False (code -1)."""
    np = _numpy()
    codes = np.full(len(values), -1, dtype=np.int32)
    present = values if valid is None else values[valid]
    if len(present):
        uniques, inverse = np.unique(present, return_inverse=True)
        if len(uniques) > 2**31 - 1:
            raise ValueError(f"column {name!r} has too many distinct values for int32 codes")
        if valid is None:
            codes[:] = inverse
        else:
            codes[valid] = inverse
        dictionary = [str(u) for u in uniques.tolist()]
    else:
        dictionary = []
    return codes, dictionary


def _timestamps(arr):
    """(int64 microseconds, validity) from a datetime64 array; borrowed when already datetime64[us]."""
    np = _numpy()
    if arr.dtype != np.dtype("datetime64[us]"):
        arr = arr.astype("datetime64[us]")
    arr = np.require(arr, requirements=("C_CONTIGUOUS", "ALIGNED"))
    return arr.view(np.int64), _bitmap(~np.isnat(arr))


def _object_column(name, arr):
    """Infer a column type for an object array from its non-null values."""
    np = _numpy()
    valid = np.fromiter((not _is_null(x) for x in arr), dtype=bool, count=len(arr))
    present = arr[valid]
    kinds = {_value_kind(x) for x in present}
    validity = _bitmap(valid)
    if kinds <= {"str"}:
        codes, dictionary = _strings(name, arr, None if valid.all() else valid)
        return STRING, codes, None, dictionary
    if kinds == {"bool"}:
        values = np.zeros(len(arr), dtype=np.bool_)
        values[valid] = present.astype(bool)
        return BOOL, values, validity, None
    if kinds == {"int"}:
        values = np.zeros(len(arr), dtype=np.int64)
        try:
            values[valid] = present.astype(np.int64)
        except OverflowError:
            raise ValueError(f"column {name!r} holds integers outside the int64 range") from None
        return INT64, values, validity, None
    if kinds <= {"int", "float"}:
        values = np.full(len(arr), np.nan, dtype=np.float64)
        values[valid] = present.astype(np.float64)
        return FLOAT64, values, None, None
    if kinds == {"datetime"}:
        stamps = np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[us]")
        for i in np.flatnonzero(valid):
            x = arr[i]
            if isinstance(x, _dt.datetime) and x.tzinfo is not None:
                x = x.astimezone(_dt.timezone.utc).replace(tzinfo=None)
            stamps[i] = np.datetime64(x, "us")
        values, validity = _timestamps(stamps)
        return TIMESTAMP, values, validity, None
    what = f"mixes values of types {', '.join(sorted(kinds))}" if len(kinds) > 1 else \
        f"holds {next(iter(kinds))} values"
    raise TypeError(f"column {name!r} {what}: convert it to one of str, int, float, bool or datetime first")


def _categorical(name, obj):
    """(codes, dictionary) of a pandas Series of dtype category or a pandas.Categorical."""
    np = _numpy()
    cat = obj.cat if hasattr(obj, "cat") else obj
    codes = np.ascontiguousarray(np.asarray(cat.codes), dtype=np.int32)  # int8/int16 codes: a copy
    dictionary = [c if isinstance(c, str) else str(c) for c in list(cat.categories)]
    return STRING, codes, None, dictionary


def _pandas_extension(name, obj, dtype):
    """A pandas column whose dtype is not a numpy dtype (nullable ints/bools/floats, string, tz-aware)."""
    np = _numpy()
    kind = getattr(dtype, "kind", "O")
    if kind == "M":  # tz-aware: to_numpy gives UTC instants
        values, validity = _timestamps(np.asarray(obj.to_numpy(dtype="datetime64[ns]")))
        return TIMESTAMP, values, validity, None
    if kind in "iub":
        valid = ~np.asarray(obj.isna(), dtype=bool)
        target = {"b": np.bool_}.get(kind, np.int64)
        values = np.ascontiguousarray(obj.to_numpy(dtype=target, na_value=target(0)))
        return (BOOL if kind == "b" else INT64), values, _bitmap(valid), None
    if kind == "f":
        return FLOAT64, np.ascontiguousarray(obj.to_numpy(dtype=np.float64, na_value=np.nan)), None, None
    return _object_column(name, np.asarray(obj.to_numpy(dtype=object)))


def _column(name, obj):
    """(type, values, validity, dictionary) for one column; values and validity are numpy arrays."""
    np = _numpy()
    dtype = getattr(obj, "dtype", None)
    if getattr(dtype, "name", None) == "category":  # pandas Series of dtype category, pandas.Categorical
        return _categorical(name, obj)
    if dtype is not None and not isinstance(dtype, np.dtype) and hasattr(obj, "to_numpy"):
        return _pandas_extension(name, obj, dtype)
    if not isinstance(obj, np.ndarray):
        if hasattr(obj, "to_numpy"):
            obj = obj.to_numpy()
        else:
            arr = np.asarray(obj)
            if arr.dtype.kind == "U" and arr.ndim == 1 and not all(isinstance(x, str) for x in obj):
                arr = np.array(list(obj), dtype=object)  # [1, "x"]: numpy would turn the numbers into str
            obj = arr
    if obj.ndim != 1:
        raise ValueError(f"column {name!r} must be one-dimensional, not of shape {obj.shape}")
    kind = obj.dtype.kind
    if kind == "f":
        values = np.require(obj, dtype=np.float64, requirements=("C_CONTIGUOUS", "ALIGNED"))
        return FLOAT64, values, None, None
    if kind in "iu":
        if kind == "u" and obj.dtype.itemsize == 8 and len(obj) and obj.max() > np.iinfo(np.int64).max:
            raise ValueError(f"column {name!r} holds integers outside the int64 range")
        values = np.require(obj, dtype=np.int64, requirements=("C_CONTIGUOUS", "ALIGNED"))
        return INT64, values, None, None
    if kind == "b":
        return BOOL, np.require(obj, dtype=np.bool_, requirements=("C_CONTIGUOUS", "ALIGNED")), None, None
    if kind == "M":
        values, validity = _timestamps(obj)
        return TIMESTAMP, values, validity, None
    if kind == "U":
        codes, dictionary = _strings(name, obj, None)
        return STRING, codes, None, dictionary
    if kind == "S":
        try:
            decoded = np.char.decode(obj, "utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"column {name!r}: bytes values are not UTF-8 ({exc})") from None
        codes, dictionary = _strings(name, decoded, None)
        return STRING, codes, None, dictionary
    if kind == "O":
        return _object_column(name, obj)
    raise TypeError(f"column {name!r} has dtype {obj.dtype}, which has no cogniforge column type "
                    f"(float64, int64, bool, timestamp or string)")


class Table(HandleOwner):
    """An immutable columnar table (a cf_table).

    ``Table(mapping)`` builds one from a mapping of column name -> array-like (see the module docstring for the
    conversions); numpy arrays that already have the column's layout are *borrowed*, not copied, and kept
    referenced by the Table for its lifetime: do not modify them while the Table is in use. Tables also come
    from :func:`read_csv` and :func:`iter_csv`, owning their memory.

    A Table may be read from several threads; do not :meth:`close` it while another thread uses it.

    Raises:
        TypeError: ``mapping`` is not a mapping, a column name is not a str, or a column's values have no
            cogniforge type (complex, timedelta, a mix of str and numbers...).
        ValueError: a column is not one-dimensional, or columns have different lengths.
    """

    _closed_name = "Table"
    _handle = None

    def __init__(self, mapping):
        columns = [(name, _column(name, obj)) for name, obj in _mapping_items(mapping)]
        if columns:
            first, (_, values0, _, _) = columns[0][0], columns[0][1]
            for name, (_, values, _, _) in columns[1:]:
                if len(values) != len(values0):
                    raise ValueError(f"column {name!r} has {len(values)} rows but column {first!r} has "
                                     f"{len(values0)}: all columns must have the same length")
        self._keep = []
        handle = _raw.cf_table_create(None)
        try:
            for name, (ctype, values, validity, dictionary) in columns:
                # borrowed by the C table: keep the arrays alive (and unmoved) as long as it lives
                self._keep.append((values, validity))
                _raw.cf_table_add_column(handle, (name, ctype, values, validity, dictionary),
                                         _raw.CF_TABLE_BORROW)
        except BaseException:
            _raw.cf_table_free(handle)
            raise
        self._handle = handle

    @classmethod
    def _adopt(cls, handle):
        """Wrap a table the library built (and that owns its memory)."""
        self = cls.__new__(cls)
        self._keep = []
        self._handle = handle
        return self

    def close(self):
        """Free the C table (and drop the borrowed arrays). Closing twice is harmless."""
        handle, self._handle = self._handle, None
        if handle is not None:
            _raw.cf_table_free(handle)
        self._keep = []

    @property
    def num_rows(self):
        """Number of rows."""
        return _raw.cf_table_num_rows(self._checked())

    @property
    def num_columns(self):
        """Number of columns."""
        return _raw.cf_table_num_columns(self._checked())

    def __len__(self):
        return self.num_rows

    @property
    def column_names(self):
        """The column names, in order."""
        h = self._checked()
        return [_raw.cf_table_column_name(h, i) for i in range(_raw.cf_table_num_columns(h))]

    @property
    def schema(self):
        """{column name: type name}, in column order ("float64", "int64", "bool", "string", "timestamp")."""
        h = self._checked()
        return {info["name"]: type_name(info["type"])
                for info in (_raw.cf_table_column(h, i) for i in range(_raw.cf_table_num_columns(h)))}

    def null_counts(self):
        """{column name: null rows} (validity bit 0, a float NaN or a negative string code)."""
        h = self._checked()
        return {info["name"]: info["null_count"]
                for info in (_raw.cf_table_column(h, i) for i in range(_raw.cf_table_num_columns(h)))}

    def _index(self, column):
        if isinstance(column, str):
            return _raw.cf_table_column_index(self._checked(), column)
        return column

    def _column_info(self, column):
        """The raw column description (test hook: ``values_address`` is the C values pointer)."""
        info = _raw.cf_table_column(self._checked(), self._index(column))
        return {k: v for k, v in info.items() if k not in ("values", "validity")}

    def column(self, column):
        """One column (by name or index) as a numpy array: a copy, see :meth:`to_dict`.

        Raises:
            NotFoundError: no column has that name.
        """
        return _to_numpy(_raw.cf_table_column(self._checked(), self._index(column)))

    def to_dict(self):
        """{name: numpy array} copies of the columns.

        float64 -> float64 (nulls NaN); int64 -> int64, or float64 with NaN when it has nulls (as pandas);
        bool -> bool, or object with None when it has nulls; timestamp -> datetime64[us] (nulls NaT);
        string -> object array of str, None for nulls.
        """
        h = self._checked()
        return {info["name"]: _to_numpy(info)
                for info in (_raw.cf_table_column(h, i) for i in range(_raw.cf_table_num_columns(h)))}

    def to_pandas(self):
        """A pandas DataFrame of :meth:`to_dict` (needs pandas)."""
        import pandas
        return pandas.DataFrame(self.to_dict())

    def __repr__(self):
        if self._handle is None:
            return "<cogniforge.Table closed>"
        cols = ", ".join(f"{n}: {t}" for n, t in self.schema.items())
        return f"<cogniforge.Table {self.num_rows} rows x {self.num_columns} columns ({cols})>"


def _to_numpy(info):
    """Copy one column (a cf_table_column dict whose memoryviews point into the live table) into numpy."""
    np = _numpy()
    ctype, n = info["type"], info["length"]
    valid = None
    if info["validity"] is not None and n:
        valid = np.unpackbits(np.frombuffer(info["validity"], np.uint8), count=n, bitorder="little").astype(bool)
        if valid.all():
            valid = None

    def values(dtype):
        if n == 0:
            return np.empty(0, dtype)
        return np.frombuffer(info["values"], dtype, n).copy()

    if ctype == FLOAT64:
        a = values(np.float64)
        if valid is not None:
            a[~valid] = np.nan
    elif ctype == INT64:
        a = values(np.int64)
        if valid is not None:
            a = a.astype(np.float64)
            a[~valid] = np.nan
    elif ctype == BOOL:
        a = values(np.uint8).astype(bool)
        if valid is not None:
            a = a.astype(object)
            a[~valid] = None
    elif ctype == TIMESTAMP:
        a = values(np.int64).view("datetime64[us]")
        if valid is not None:
            a[~valid] = np.datetime64("NaT")
    elif ctype == STRING:
        codes = values(np.int32)
        dictionary = np.empty(len(info["dictionary"]) + 1, dtype=object)
        dictionary[:-1] = info["dictionary"]
        null = codes < 0
        if valid is not None:
            null |= ~valid
        codes[null] = len(dictionary) - 1
        a = dictionary[codes]
    else:
        raise TypeError(f"column {info['name']!r} has an unknown type {ctype}")
    return a


def as_table(data):
    """``(table, owned)``: a Table itself (not owned), or a new Table built from a mapping (owned: the caller
    closes it)."""
    if isinstance(data, Table):
        return data, False
    return Table(data), True
