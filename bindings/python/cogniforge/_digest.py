"""SHA-256 (cf_sha256 in cogniforge/digest.h)."""

from . import raw as _raw
from ._buffers import as_contiguous_bytes

__all__ = ["SHA256_SIZE", "sha256"]

SHA256_SIZE = _raw.CF_SHA256_SIZE


def sha256(data, out=None):
    """SHA-256 of the bytes of ``data``, any object with the buffer protocol.

    ``data`` is hashed in place when it is C-contiguous (bytes, bytearray, memoryview, contiguous numpy
    arrays of any dtype); other buffers are copied into C order first. The GIL is released meanwhile.

    Args:
        data: the bytes to hash.
        out: optional writable, C-contiguous buffer of at least 32 bytes (e.g. ``bytearray(32)`` or a
            ``numpy.uint8`` array); the digest is written into its first 32 bytes, without a copy.

    Returns:
        the 32-byte digest as ``bytes``, or ``out`` itself when given.

    Raises:
        TypeError: ``data`` has no buffer interface, or ``out`` is read-only or not C-contiguous.
        InvalidArgumentError: ``out`` is shorter than 32 bytes.
    """
    data = as_contiguous_bytes(data)
    if out is None:
        buf = bytearray(SHA256_SIZE)
        _raw.cf_sha256(buf, data)
        return bytes(buf)
    _raw.cf_sha256(out, data)
    return out
