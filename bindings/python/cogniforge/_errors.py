"""Exceptions raised for the library's error codes (cf_error_code in cogniforge/common.h).

The SWIG layer raises these from its global ``%exception`` handler: a call that returns a negative code
raises the class registered for that code, with the message from ``cf_error_last()`` read on the same
thread. Classes also derive from the closest builtin, so ``except FileNotFoundError`` keeps working.
"""

from . import raw as _raw

__all__ = [
    "Error",
    "InvalidArgumentError",
    "OutOfMemoryError",
    "InputOutputError",
    "FormatError",
    "NotFoundError",
    "UnsupportedError",
    "VersionError",
    "from_code",
]


class Error(Exception):
    """Base class of every cogniforge error; also raised as is for CF_ERROR (generic failure).

    Attributes:
        code: the library's negative error code (``cogniforge.raw.CF_E*``).
        message: the library's message, as ``str(exc)``.
    """

    code = _raw.CF_ERROR

    def __init__(self, message="", code=None):
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self):
        return self.args[0] if self.args else ""

    @property
    def code_name(self):
        """The C name of the code, e.g. ``"CF_ENOTFOUND"``."""
        return _raw.cf_error_code_name(self.code)


class InvalidArgumentError(Error, ValueError):
    """CF_EINVAL: an invalid argument or option (a caller bug)."""

    code = _raw.CF_EINVAL


class OutOfMemoryError(Error, MemoryError):
    """CF_ENOMEM: an allocation failed."""

    code = _raw.CF_ENOMEM


class InputOutputError(Error, OSError):
    """CF_EIO: reading or writing a file failed."""

    code = _raw.CF_EIO


class FormatError(Error, ValueError):
    """CF_EFORMAT: malformed input data; the message names the file and position."""

    code = _raw.CF_EFORMAT


class NotFoundError(Error, FileNotFoundError):
    """CF_ENOTFOUND: a named file, device, object or key does not exist."""

    code = _raw.CF_ENOTFOUND


class UnsupportedError(Error):
    """CF_EUNSUPPORTED: the feature is not built in or not available (e.g. CUDA)."""

    code = _raw.CF_EUNSUPPORTED


class VersionError(Error):
    """CF_EVERSION: an options struct or file has a version this library does not know."""

    code = _raw.CF_EVERSION


_BY_CODE = {cls.code: cls for cls in (
    Error, InvalidArgumentError, OutOfMemoryError, InputOutputError, FormatError, NotFoundError,
    UnsupportedError, VersionError)}


def from_code(code, message):
    """The exception for a library error code; unknown codes give a plain Error carrying the code."""
    return _BY_CODE.get(code, Error)(message, code)
