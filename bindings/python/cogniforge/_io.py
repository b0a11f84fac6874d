"""File input with transparent decompression (cogniforge/io.h)."""

import io
import os
import threading
from dataclasses import dataclass

from . import raw as _raw
from ._context import handle_of

__all__ = ["FileSummary", "summarize_file", "Reader", "open_reader"]


@dataclass(frozen=True)
class FileSummary:
    """What :func:`summarize_file` found in one pass over a (possibly compressed) text file."""

    path: str
    bytes: int        #: decompressed size
    lines: int        #: newline-terminated lines, plus a final unterminated one
    blank_lines: int  #: lines holding only whitespace
    compression: str  #: "none", "gzip", "zstd", "xz", "bzip2" or "other" (found from the content)
    sha256: str       #: lower-case hex SHA-256 of the decompressed bytes (the lineage digest)
    digest: bytes     #: the same digest, raw


def summarize_file(path, context=None):
    """Stream ``path`` once, counting bytes and lines and hashing its decompressed content.

    Args:
        path: a str, bytes or os.PathLike file name (``"-"`` reads standard input).
        context: an optional :class:`Context`; None uses the library defaults.

    Raises:
        NotFoundError: the file does not exist (also a FileNotFoundError).
        InputOutputError: the file cannot be read (also an OSError).
        FormatError: corrupt or truncated compressed data (also a ValueError).
    """
    s = _raw.cf_file_summarize(handle_of(context), path)
    return FileSummary(
        path=os.fsdecode(path), bytes=s["bytes"], lines=s["lines"], blank_lines=s["blank_lines"],
        compression=_raw.cf_compression_name(s["compression"]), sha256=s["sha256_hex"], digest=s["sha256"])


class Reader(io.RawIOBase):
    """A read-only, binary file object over a file, decompressed on the fly (a cf_reader).

    ``read``, ``readinto`` (zero-copy into the caller's buffer), ``readall`` and iteration come from
    io.RawIOBase; wrap it in io.BufferedReader for fast ``readline``. Close it, or use ``with``.
    """

    _handle = None

    def __init__(self, path):
        super().__init__()
        self._lock = threading.Lock()  # a cf_reader is not thread-safe; also orders close() after a read
        self.name = os.fsdecode(path)
        self._handle = _raw.cf_reader_open(None, path)

    def readable(self):
        return True

    def readinto(self, buffer):
        with self._lock:
            if self._handle is None:
                raise ValueError("I/O operation on closed file")
            return _raw.cf_reader_read(self._handle, buffer)

    @property
    def compression(self):
        """The compression detected from the content: "none", "gzip", "zstd", ..."""
        with self._lock:
            if self._handle is None:
                raise ValueError("I/O operation on closed file")
            return _raw.cf_compression_name(_raw.cf_reader_compression(self._handle))

    def close(self):
        lock = getattr(self, "_lock", None)
        if lock is not None:
            with lock:
                handle, self._handle = self._handle, None
                if handle is not None:
                    _raw.cf_reader_free(handle)
        super().close()

    def __repr__(self):
        return f"<cogniforge.Reader name={self.name!r}{' closed' if self.closed else ''}>"


def open_reader(path):
    """Open ``path`` for streaming reads; gzip, zstd, xz and bzip2 content is decompressed.

    Raises the same errors as :func:`summarize_file`.
    """
    return Reader(path)
