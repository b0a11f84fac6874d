"""Mergeable per-column statistics (cogniforge/stats.h)."""

import json
import threading

from . import raw as _raw
from ._common import HandleOwner
from ._csv import CSV_DEFAULTS, CsvReader, prepare
from ._table import as_table, is_path, type_name

__all__ = ["Stats", "STATS_OPTIONS"]

#: Keyword arguments of :class:`Stats` (None keeps the library default).
STATS_OPTIONS = ("hll_precision", "exact_distinct_max", "topk", "kll_k", "seed")


def check_no_csv_options(data, csv_kwargs):
    """TypeError when CSV options are given for data that is not a path."""
    given = sorted(k for k, v in csv_kwargs.items()
                   if (v is not None if CSV_DEFAULTS[k] is None else not (type(v) is type(CSV_DEFAULTS[k])
                                                                           and v == CSV_DEFAULTS[k])))
    if given:
        raise TypeError(f"CSV options ({', '.join(given)}) apply only when data is a file path, "
                        f"not {type(data).__name__}")


def feed(acc, data, csv):
    """Add ``data`` to an accumulator with an ``update`` method (Stats, drift Profile): a CSV path streamed
    chunk by chunk with the CSV options ``csv``, else one Table or mapping. The accumulator is closed on error."""
    try:
        if is_path(data):
            with CsvReader(data, prepare(data, **csv)) as reader:
                for chunk in reader:
                    with chunk:
                        acc.update(chunk)
        else:
            check_no_csv_options(data, csv)
            acc.update(data)
    except BaseException:
        acc.close()
        raise
    return acc


def split_csv_kwargs(kwargs, allowed=()):
    """(CSV options, the others in ``allowed``) from **kwargs; TypeError for anything else."""
    csv, other = {}, {}
    for key, value in kwargs.items():
        if key in CSV_DEFAULTS:
            csv[key] = value
        elif key in allowed:
            other[key] = value
        else:
            raise TypeError(f"unexpected keyword argument {key!r}")
    return csv, other


class Stats(HandleOwner):
    """Mergeable statistics of one table schema (a cf_stats): exact counts, min, max, mean, variance and sums,
    plus sketches (HyperLogLog distinct counts, top-k, KLL quantiles).

    Build them with :meth:`compute` (a CSV path or a mapping of arrays), or ``Stats()`` then :meth:`update` with
    chunks; :meth:`merge` partials computed on shards (in other processes: :meth:`to_bytes` /
    :meth:`from_bytes`, or pickle). The first update fixes the column names and types.

    Args (all optional, None keeps the library default):
        hll_precision: HyperLogLog precision p in [4, 18] (default 14).
        exact_distinct_max: exact value counts are kept up to this many distinct values (default 1000).
        topk: Misra-Gries counters per column (default 100).
        kll_k: KLL sketch size (default 200).
        seed: KLL compaction seed (default 0).

    A Stats object serialises its own calls with a lock.
    """

    _closed_name = "Stats"
    _handle = None

    def __init__(self, *, hll_precision=None, exact_distinct_max=None, topk=None, kll_k=None, seed=None):
        opts = {k: v for k, v in (("hll_precision", hll_precision), ("exact_distinct_max", exact_distinct_max),
                                  ("topk", topk), ("kll_k", kll_k), ("seed", seed)) if v is not None}
        self._lock = threading.Lock()
        self._handle = _raw.cf_stats_create(None, opts or None)

    @classmethod
    def _adopt(cls, handle):
        self = cls.__new__(cls)
        self._lock = threading.Lock()
        self._handle = handle
        return self

    @classmethod
    def compute(cls, data, **kwargs):
        """Statistics of ``data``: a CSV path (streamed in chunks, with the CSV keyword arguments of
        :func:`read_csv`), a :class:`Table` or a mapping of column name -> array-like. Keyword arguments of
        :class:`Stats` set the sketch options."""
        csv, opts = split_csv_kwargs(kwargs, STATS_OPTIONS)
        return feed(cls(**opts), data, csv)

    def update(self, data):
        """Add a chunk of rows: a :class:`Table` or a mapping of arrays. Returns self.

        Raises:
            InvalidArgumentError: the chunk's column names or types differ from the earlier chunks'.
        """
        table, owned = as_table(data)
        try:
            with self._lock:
                _raw.cf_stats_update(self._checked(), table._checked())
        finally:
            if owned:
                table.close()
        return self

    def merge(self, other):
        """Merge ``other`` into this object, as if it had also seen other's rows. Returns self.

        Raises:
            InvalidArgumentError: the schemas or sketch options differ.
        """
        if not isinstance(other, Stats):
            raise TypeError(f"can only merge a cogniforge.Stats, not {type(other).__name__}")
        if other is self:
            raise ValueError("cannot merge a Stats object into itself")
        first, second = sorted((self, other), key=id)  # one lock order, so crossed merges cannot deadlock
        with first._lock, second._lock:
            _raw.cf_stats_merge(self._checked(), other._checked())
        return self

    def to_bytes(self):
        """The statistics as msgpack (docs/formats.md), for :meth:`from_bytes`."""
        with self._lock:
            return _raw.cf_stats_to_msgpack(self._checked())

    @classmethod
    def from_bytes(cls, data):
        """Statistics from :meth:`to_bytes` output (any bytes-like object).

        Raises:
            FormatError: malformed or truncated data.
            VersionError: a newer format.
        """
        return cls._adopt(_raw.cf_stats_from_msgpack(None, data))

    def __reduce__(self):
        return (Stats.from_bytes, (self.to_bytes(),))

    def to_dict(self):
        """A JSON-style summary: rows, options and, per column, exact fields, distinct estimate, top values and
        quantiles."""
        with self._lock:
            return json.loads(_raw.cf_stats_to_json(self._checked()))

    @property
    def num_rows(self):
        """Rows seen."""
        with self._lock:
            return _raw.cf_stats_num_rows(self._checked())

    @property
    def num_columns(self):
        """Columns (0 before the first update)."""
        with self._lock:
            return _raw.cf_stats_num_columns(self._checked())

    @property
    def column_names(self):
        with self._lock:
            h = self._checked()
            return [_raw.cf_stats_column(h, i)["name"] for i in range(_raw.cf_stats_num_columns(h))]

    @property
    def quantile_rank_error(self):
        """The normalised rank error bound of :meth:`quantile` (e.g. 0.0165 for kll_k=200)."""
        with self._lock:
            return _raw.cf_stats_quantile_rank_error(self._checked())

    def _index(self, column):
        if isinstance(column, str):
            return _raw.cf_stats_column_index(self._checked(), column)
        if isinstance(column, bool) or not isinstance(column, int):
            raise TypeError(f"column must be a name or an index, not {column!r}")
        return column

    def column(self, column):
        """One column's statistics (by name or index) as a dict: name, type, count, null_count, min, max, sum,
        mean, m2, min_int/max_int (exact, int64/bool/timestamp), min_length/max_length/min_string/max_string
        (strings), distinct, distinct_exact, distinct_rel_error, values [(value, count, error)].

        Raises:
            NotFoundError: no column has that name.
        """
        with self._lock:
            d = _raw.cf_stats_column(self._checked(), self._index(column))
        d["type"] = type_name(d["type"])
        return d

    def quantile(self, column, q):
        """The q-quantile (q in [0, 1], or a sequence of them) of a numeric, bool or timestamp column, from the
        KLL sketch: exact until it compacts, then within :attr:`quantile_rank_error` in rank.

        Raises:
            InvalidArgumentError: a string column, or q outside [0, 1].
            NotFoundError: no such column, or it has no values.
        """
        with self._lock:
            index = self._index(column)
            if isinstance(q, (int, float)):
                return _raw.cf_stats_quantile(self._checked(), index, float(q))
            return [_raw.cf_stats_quantile(self._checked(), index, float(x)) for x in q]

    def close(self):
        """Free the statistics. Closing twice is harmless."""
        lock = getattr(self, "_lock", None)
        if lock is not None:
            with lock:
                handle, self._handle = self._handle, None
                if handle is not None:
                    _raw.cf_stats_free(handle)

    def __repr__(self):
        if self._handle is None:
            return "<cogniforge.Stats closed>"
        return f"<cogniforge.Stats rows={self.num_rows} columns={self.num_columns}>"
