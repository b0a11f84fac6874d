"""cogniforge: Python binding of the cogniforge C library.

A thin pure-Python layer over the SWIG module ``cogniforge.raw`` (private; its API follows the C headers
and may change). Library failures raise :class:`cogniforge.Error` subclasses; every C call releases the
GIL; buffers (bytes, bytearray, memoryview, numpy arrays) are passed without copies where their layout
already fits. numpy is optional (needed only to build tables from arrays).

Data validation: :func:`validate` runs a Great Expectations suite over a CSV file (streamed) or a mapping of
arrays / pandas DataFrame (borrowed, see :class:`Table`); :func:`read_csv` / :func:`iter_csv` read CSV into
tables; :class:`Stats` holds mergeable statistics for :func:`validate_stats` and :func:`profile`.
"""

import enum as _enum
from dataclasses import dataclass as _dataclass

from . import raw as _raw
from ._context import Context
from ._digest import SHA256_SIZE, sha256
from ._errors import (Error, FormatError, InputOutputError, InvalidArgumentError, NotFoundError,
                      OutOfMemoryError, UnsupportedError, VersionError)
from ._io import FileSummary, Reader, open_reader, summarize_file
from ._table import Table
from ._csv import CsvReader, iter_csv, read_csv
from ._stats import Stats
from ._validate import Suite, profile, validate, validate_junit, validate_stats
from . import metrics
from . import fairness
from . import slo, drift, rollout

__all__ = [
    "__version__", "version", "version_number", "features", "Feature",
    "FEATURE_THREADS", "FEATURE_CUDA", "FEATURE_ZSTD", "FEATURE_GZIP",
    "cuda_device_count", "cuda_backend_error", "cuda_device_info", "CudaDeviceInfo", "error_code_name",
    "Context", "sha256", "SHA256_SIZE", "summarize_file", "FileSummary", "open_reader", "Reader",
    "Table", "read_csv", "iter_csv", "CsvReader", "Stats", "Suite", "validate", "validate_junit",
    "validate_stats", "profile", "metrics", "fairness", "slo", "drift", "rollout",
    "Error", "InvalidArgumentError", "OutOfMemoryError", "InputOutputError", "FormatError",
    "NotFoundError", "UnsupportedError", "VersionError",
]

#: The library's run-time version (cf_version()); the headers the binding was built with are
#: ``raw.CF_VERSION_STRING``.
__version__ = _raw.cf_version()


def version():
    """The library's version string, e.g. ``"0.1.0"``."""
    return _raw.cf_version()


def version_number():
    """The library's version as MAJOR*10000 + MINOR*100 + PATCH."""
    return _raw.cf_version_number()


class Feature(_enum.IntFlag):
    """Bits of :func:`features` (cf_feature)."""

    THREADS = _raw.CF_FEATURE_THREADS  #: thread-local error records (always set)
    CUDA = _raw.CF_FEATURE_CUDA        #: built with the CUDA backend (a device may still be absent)
    ZSTD = _raw.CF_FEATURE_ZSTD        #: zstd-compressed input
    GZIP = _raw.CF_FEATURE_GZIP        #: gzip-compressed input


FEATURE_THREADS = Feature.THREADS
FEATURE_CUDA = Feature.CUDA
FEATURE_ZSTD = Feature.ZSTD
FEATURE_GZIP = Feature.GZIP


def features():
    """How the library was built, as :class:`Feature` bits: ``if features() & FEATURE_CUDA: ...``."""
    return Feature(_raw.cf_features())


def cuda_device_count():
    """Usable CUDA devices: 0 without CUDA support, a driver or a device. Never raises."""
    return _raw.cf_cuda_device_count()


def cuda_backend_error():
    """Why the CUDA backend is unavailable: ``""`` when it loaded (a device may still be absent), otherwise
    a one-line reason such as a missing ``libcublas.so.13``. Never raises."""
    return _raw.cf_cuda_backend_error()


@_dataclass(frozen=True)
class CudaDeviceInfo:
    """One CUDA device, from :func:`cuda_device_info`."""

    ordinal: int
    name: str
    total_memory: int               #: bytes
    compute_capability: tuple       #: (major, minor), e.g. (9, 0)
    multiprocessors: int


def cuda_device_info(ordinal=0):
    """Describe CUDA device ``ordinal``.

    Raises:
        UnsupportedError: the library was built without CUDA.
        NotFoundError: there is no such device.
    """
    d = _raw.cf_cuda_device_info_get(ordinal)
    return CudaDeviceInfo(ordinal=ordinal, name=d["name"], total_memory=d["total_memory"],
                          compute_capability=(d["compute_major"], d["compute_minor"]),
                          multiprocessors=d["multiprocessors"])


def error_code_name(code):
    """The C name of an error code, e.g. ``error_code_name(-6) == "CF_ENOTFOUND"``."""
    return _raw.cf_error_code_name(code)


# Public classes live in private modules; show them under the package name (repr, docs, tracebacks).
for _cls in (Context, FileSummary, Reader, CudaDeviceInfo, Feature, Error, InvalidArgumentError,
             OutOfMemoryError, InputOutputError, FormatError, NotFoundError, UnsupportedError, VersionError,
             Table, CsvReader, Stats, Suite):
    _cls.__module__ = __name__
del _cls
