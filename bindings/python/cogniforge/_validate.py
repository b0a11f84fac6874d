"""Great Expectations suites evaluated natively (cogniforge/validate.h)."""

import datetime as _dt
import json
from collections.abc import Mapping

from . import raw as _raw
from ._buffers import _np
from ._common import HandleOwner
from ._csv import prepare
from ._stats import Stats, check_no_csv_options, split_csv_kwargs
from ._table import as_table, is_path

__all__ = ["Suite", "validate", "validate_junit", "validate_stats", "profile"]

_SPELLINGS = {None: _raw.CF_GE_SPELLING_AUTO, "auto": _raw.CF_GE_SPELLING_AUTO,
              "v0": _raw.CF_GE_SPELLING_V0, "v1": _raw.CF_GE_SPELLING_V1}

_RESULT_FORMATS = {"BOOLEAN_ONLY": _raw.CF_RESULT_FORMAT_BOOLEAN_ONLY, "BASIC": _raw.CF_RESULT_FORMAT_BASIC,
                   "SUMMARY": _raw.CF_RESULT_FORMAT_SUMMARY, "COMPLETE": _raw.CF_RESULT_FORMAT_COMPLETE}

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _spelling(spelling):
    key = spelling.lower() if isinstance(spelling, str) else spelling
    if key not in _SPELLINGS:
        raise ValueError(f"spelling must be 'v0' (GX 0.x), 'v1' (GX 1.x) or None/'auto', not {spelling!r}")
    return _SPELLINGS[key]


def _json_default(obj):
    """json.dumps fallback for numpy scalars and arrays, sets and dates in suites and parameters."""
    np = _np()
    if np is not None:
        if isinstance(obj, np.bool_):
            return bool(obj)
        if isinstance(obj, np.integer):
            return int(obj)
        if isinstance(obj, np.floating):
            return float(obj)
        if isinstance(obj, np.ndarray):
            return obj.tolist()
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=repr)
    if isinstance(obj, (_dt.datetime, _dt.date)):
        return obj.isoformat()
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def _now_us(now):
    """Microseconds since the epoch, UTC, for a datetime (naive = UTC), a date, an ISO 8601 str or a numpy
    datetime64."""
    np = _np()
    if isinstance(now, str):
        text = now.strip()
        try:
            now = _dt.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" and text else text)
        except ValueError:
            raise ValueError(f"now: {text!r} is not an ISO 8601 date-time") from None
    if np is not None and isinstance(now, np.datetime64):
        if np.isnat(now):
            raise ValueError("now must not be NaT")
        us = int(now.astype("datetime64[us]").astype(np.int64))
    elif isinstance(now, _dt.datetime):
        if now.tzinfo is None:
            now = now.replace(tzinfo=_dt.timezone.utc)
        us = (now - _EPOCH) // _dt.timedelta(microseconds=1)
    elif isinstance(now, _dt.date):
        us = (_dt.datetime(now.year, now.month, now.day, tzinfo=_dt.timezone.utc) - _EPOCH) \
            // _dt.timedelta(microseconds=1)
    else:
        raise TypeError(f"now must be a datetime, a date, an ISO 8601 str or None, not {type(now).__name__}")
    if us == 0:
        raise ValueError("now=1970-01-01T00:00:00Z cannot be given (0 means 'the clock' in the C API)")
    return us


def _validate_options(now, skip_unknown, result_format, parameters, spelling):
    """The raw validation options dict."""
    opts = {"skip_unknown": bool(skip_unknown), "spelling": _spelling(spelling)}
    if now is not None:
        opts["now_us"] = _now_us(now)
    partial = None
    if isinstance(result_format, Mapping):  # GX's {"result_format": "COMPLETE", "partial_unexpected_count": 5}
        unknown = set(result_format) - {"result_format", "partial_unexpected_count"}
        if unknown:
            raise ValueError(f"result_format: unsupported keys {sorted(unknown)}")
        partial = result_format.get("partial_unexpected_count")
        result_format = result_format.get("result_format", "SUMMARY")
    if not isinstance(result_format, str) or result_format.upper() not in _RESULT_FORMATS:
        raise ValueError(f"result_format must be one of {', '.join(_RESULT_FORMATS)}, not {result_format!r}")
    opts["result_format"] = _RESULT_FORMATS[result_format.upper()]
    if partial is not None:
        if isinstance(partial, bool) or not isinstance(partial, int) or partial < 0:
            raise ValueError(f"partial_unexpected_count must be a non-negative int, not {partial!r}")
        opts["partial_unexpected_count"] = partial
    if parameters is not None:
        if isinstance(parameters, str):
            opts["parameters_json"] = parameters
        elif isinstance(parameters, Mapping):
            opts["parameters_json"] = json.dumps(dict(parameters), default=_json_default)
        else:
            raise TypeError(f"parameters must be a dict (or a JSON object as str), not {type(parameters).__name__}")
    return opts


class Suite(HandleOwner):
    """A Great Expectations expectation suite (a cf_suite), in either GX spelling (0.x or 1.x).

    Args:
        source: a JSON file path (str or os.PathLike) or a dict (a parsed suite, as ``json.load`` gives).
            Use :meth:`from_json` for JSON text.

    Raises:
        TypeError: ``source`` is neither.
        FormatError: malformed JSON (line and column named) or a malformed suite (expectation and kwarg named).
        NotFoundError, InputOutputError: the file.
    """

    _closed_name = "Suite"
    _handle = None

    def __init__(self, source):
        if isinstance(source, Suite):
            self._handle = _raw.cf_suite_parse(None, source.to_json("auto").encode(), "<suite>")
        elif is_path(source):
            self._handle = _raw.cf_suite_load(None, source)
        elif isinstance(source, Mapping):
            text = json.dumps(dict(source), default=_json_default)
            self._handle = _raw.cf_suite_parse(None, text.encode(), "<dict>")
        else:
            raise TypeError(f"a suite must be a JSON file path, a dict or a cogniforge.Suite, "
                            f"not {type(source).__name__}")

    @classmethod
    def from_json(cls, text, source_name=None):
        """A suite from JSON text (str or bytes); ``source_name`` names it in error messages."""
        if isinstance(text, str):
            text = text.encode()
        self = cls.__new__(cls)
        self._handle = _raw.cf_suite_parse(None, text, source_name)
        return self

    @property
    def name(self):
        """The suite's name."""
        return _raw.cf_suite_name(self._checked())

    def __len__(self):
        return _raw.cf_suite_size(self._checked())

    @property
    def expectation_types(self):
        """The expectation types, in order (e.g. ``"expect_column_values_to_not_be_null"``)."""
        h = self._checked()
        return [_raw.cf_suite_expectation_type(h, i) for i in range(_raw.cf_suite_size(h))]

    def to_json(self, spelling="v1"):
        """GX JSON text: ``spelling`` "v1" (GX 1.x: name, type, suite_parameters), "v0" (0.x:
        expectation_suite_name, expectation_type, evaluation_parameters) or "auto" (as it was written)."""
        return _raw.cf_suite_to_json(self._checked(), _spelling(spelling)).decode("utf-8")

    def to_dict(self, spelling="v1"):
        """The suite as a dict, in the given spelling (see :meth:`to_json`)."""
        return json.loads(self.to_json(spelling))

    def close(self):
        """Free the suite. Closing twice is harmless; do not close it while a validation uses it."""
        handle, self._handle = self._handle, None
        if handle is not None:
            _raw.cf_suite_free(handle)

    def __repr__(self):
        if self._handle is None:
            return "<cogniforge.Suite closed>"
        return f"<cogniforge.Suite {self.name!r} expectations={len(self)}>"


def _as_suite(suite):
    """(Suite, owned)."""
    if isinstance(suite, Suite):
        return suite, False
    return Suite(suite), True


def _run(data, suite, csv, vopts, render):
    """Validate ``data`` against ``suite`` and return ``render(validation handle)``."""
    suite, own_suite = _as_suite(suite)
    table = None
    owned = False
    try:
        if is_path(data):
            validation = _raw.cf_validate_csv(None, suite._checked(), data, prepare(data, **csv), vopts)
        else:
            if isinstance(data, Stats):
                raise TypeError("validate statistics with cogniforge.validate_stats()")
            check_no_csv_options(data, csv)
            table, owned = as_table(data)
            validation = _raw.cf_validate_table(None, suite._checked(), table._checked(), vopts)
        try:
            return render(validation)
        finally:
            _raw.cf_validation_free(validation)
    finally:
        if owned:
            table.close()
        if own_suite:
            suite.close()


def _json_result(validation):
    return json.loads(_raw.cf_validation_to_json(validation))


def _junit_result(validation):
    return _raw.cf_validation_to_junit(validation).decode("utf-8")


def validate(data, suite, *, header=True, names=None, delimiter=",", skip_initial_space=False, na_values=None,
             types=None, infer_rows=10000, chunk_rows=65536, now=None, skip_unknown=False, result_format="SUMMARY",
             parameters=None, spelling=None, quotechar='"', max_field_bytes=16 << 20):
    """Validate data against a Great Expectations suite; returns GX's validation-result dict.

    Args:
        data: a CSV file path (str or os.PathLike; gzip/zstd/xz/bzip2 files are decompressed), streamed in
            chunks of ``chunk_rows`` rows in bounded memory; or a :class:`Table`; or a mapping of column name ->
            array-like (dict of numpy arrays or lists, pandas DataFrame), borrowed without copies where the
            layout fits (see :class:`Table`).
        suite: a :class:`Suite`, a suite JSON file path or a suite dict (GX 0.x or 1.x spelling).
        header, names, delimiter, skip_initial_space, na_values, types, infer_rows, chunk_rows, quotechar,
            max_field_bytes: CSV options, as :func:`read_csv` takes them; only for a path.
        now: the time ``now()`` in ``$PARAMETER`` expressions returns: a datetime (naive means UTC), a date or
            an ISO 8601 str; None uses the clock.
        skip_unknown: report unknown expectation types as skipped (the run then does not succeed) instead of
            raising InvalidArgumentError.
        result_format: "BOOLEAN_ONLY", "BASIC", "SUMMARY" (default) or "COMPLETE", or GX's dict form
            ``{"result_format": "COMPLETE", "partial_unexpected_count": 5}``.
        parameters: suite parameters (a dict), overriding the suite's own.
        spelling: result JSON spelling, "v0" or "v1"; None follows the suite.

    Returns:
        the validation result: ``{"success": ..., "results": [...], "statistics": {...}, ...}``.

    Raises:
        FormatError: malformed CSV (file, line and column named) or suite JSON (line and column named).
        InvalidArgumentError: an unknown expectation type (named, unless ``skip_unknown``), an unresolvable
            parameter, a kwarg of the wrong type.
        NotFoundError, InputOutputError: the files.
        TypeError, ValueError: bad Python arguments (e.g. CSV options with in-memory data, ragged columns).
    """
    csv = dict(header=header, names=names, delimiter=delimiter, quotechar=quotechar,
               skip_initial_space=skip_initial_space, na_values=na_values, types=types, infer_rows=infer_rows,
               chunk_rows=chunk_rows, max_field_bytes=max_field_bytes)
    vopts = _validate_options(now, skip_unknown, result_format, parameters, spelling)
    return _run(data, suite, csv, vopts, _json_result)


def validate_junit(data, suite, *, header=True, names=None, delimiter=",", skip_initial_space=False,
                   na_values=None, types=None, infer_rows=10000, chunk_rows=65536, now=None, skip_unknown=False,
                   result_format="SUMMARY", parameters=None, spelling=None, quotechar='"',
                   max_field_bytes=16 << 20):
    """As :func:`validate`, but returns JUnit XML (a str): one testsuite named after the suite, one testcase per
    expectation, failures with their details."""
    csv = dict(header=header, names=names, delimiter=delimiter, quotechar=quotechar,
               skip_initial_space=skip_initial_space, na_values=na_values, types=types, infer_rows=infer_rows,
               chunk_rows=chunk_rows, max_field_bytes=max_field_bytes)
    vopts = _validate_options(now, skip_unknown, result_format, parameters, spelling)
    return _run(data, suite, csv, vopts, _junit_result)


def validate_stats(stats, suite, *, now=None, skip_unknown=False, result_format="SUMMARY", parameters=None,
                   spelling=None, junit=False):
    """Evaluate a suite on (merged) statistics instead of rows: the scale-out path.

    Table-level and aggregate expectations (row and column counts, min/max/mean/stdev/sum, null counts with
    ``mostly``, exact distinct sets, quantiles within the sketch's rank error...) are evaluated; row-level ones
    that need the values are reported as skipped, with the reason (so such a run does not succeed).

    Args:
        stats: a :class:`Stats` or its :meth:`Stats.to_bytes` msgpack.
        suite: as for :func:`validate`; the other options too.
        junit: return JUnit XML (str) instead of the result dict.
    """
    owned = False
    if not isinstance(stats, Stats):
        if isinstance(stats, (bytes, bytearray, memoryview)):
            stats, owned = Stats.from_bytes(stats), True
        else:
            raise TypeError(f"stats must be a cogniforge.Stats or its msgpack bytes, not {type(stats).__name__}")
    vopts = _validate_options(now, skip_unknown, result_format, parameters, spelling)
    suite, own_suite = _as_suite(suite)
    try:
        with stats._lock:
            validation = _raw.cf_validate_stats(None, suite._checked(), stats._checked(), vopts)
        try:
            return (_junit_result if junit else _json_result)(validation)
        finally:
            _raw.cf_validation_free(validation)
    finally:
        if owned:
            stats.close()
        if own_suite:
            suite.close()


def profile(data, *, name=None, max_value_set=50, row_count_tolerance=0.5, null_slack=0.01, spelling="v1",
            **csv_options):
    """Infer an expectation suite (a GX suite dict) from reference data: column order, types, not-null with
    ``mostly``, numeric and timestamp ranges, value sets of low-cardinality columns, string lengths and a
    row-count band.

    Args:
        data: a :class:`Stats`, or anything :meth:`Stats.compute` takes (a CSV path with the CSV keyword
            arguments of :func:`read_csv`, a Table, a mapping of arrays).
        name: the suite name (default "profiled").
        max_value_set: columns with at most this many distinct values get a value set.
        row_count_tolerance: the row-count band is n * (1 -/+ tolerance).
        null_slack: ``mostly`` for not-null is the observed non-null fraction minus this.
        spelling: "v1" (GX 1.x) or "v0" (0.x).
    """
    csv, _ = split_csv_kwargs(csv_options)
    opts = {"max_value_set": max_value_set, "row_count_tolerance": float(row_count_tolerance),
            "null_slack": float(null_slack), "spelling": _spelling(spelling)}
    if name is not None:
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        opts["suite_name"] = name
    if isinstance(data, Stats):
        check_no_csv_options(data, csv)
        stats, owned = data, False
    else:
        stats, owned = Stats.compute(data, **csv), True
    try:
        with stats._lock:
            return json.loads(_raw.cf_profile(stats._checked(), opts))
    finally:
        if owned:
            stats.close()
