"""The library context (cogniforge/context.h)."""

from . import raw as _raw
from ._common import HandleOwner
from ._errors import InvalidArgumentError

__all__ = ["Context"]

_DEVICES = {"auto": _raw.CF_DEVICE_AUTO, "cpu": _raw.CF_DEVICE_CPU, "cuda": _raw.CF_DEVICE_CUDA}
_DEVICE_NAMES = {_raw.CF_DEVICE_CPU: "cpu", _raw.CF_DEVICE_CUDA: "cuda"}


class Context(HandleOwner):
    """A cogniforge context: the compute device and CPU thread count that operations use.

    Use it as a context manager, or call :meth:`close`; garbage collection frees it too, as a backstop.
    Like the C object, a Context is not thread-safe: use one per thread, and never close it while
    another thread is using it.

    Args:
        device: ``"auto"`` (CUDA when a device is usable, else CPU), ``"cpu"`` or ``"cuda"``.
        threads: CPU worker threads; 0 means one per online core.
        device_index: the CUDA device ordinal.

    Raises:
        UnsupportedError: ``device="cuda"`` and no CUDA device is usable (or CUDA is not built in).
        InvalidArgumentError: a bad ``device`` name, or a negative ``threads`` / ``device_index``.
    """

    _closed_name = "Context"
    _handle = None  # so close() and __del__ work on a half-built object

    def __init__(self, device="auto", threads=0, device_index=0):
        if device not in _DEVICES:
            raise InvalidArgumentError(
                f"device must be one of {', '.join(map(repr, _DEVICES))}, not {device!r}")
        self._handle = _raw.cf_context_create(
            {"device": _DEVICES[device], "threads": threads, "device_index": device_index})

    def close(self):
        """Free the context. Closing twice is harmless."""
        handle, self._handle = self._handle, None
        if handle is not None:
            _raw.cf_context_free(handle)

    @property
    def device(self):
        """The device in use: ``"cpu"`` or ``"cuda"`` (``"auto"`` is resolved on first use, so contexts that only read data never load the CUDA backend)."""
        return _DEVICE_NAMES.get(_raw.cf_context_device(self._checked()), "unknown")

    @property
    def threads(self):
        """CPU worker threads in use (at least 1)."""
        return _raw.cf_context_threads(self._checked())

    def __repr__(self):
        if self._handle is None:
            return "<cogniforge.Context closed>"
        return f"<cogniforge.Context device={self.device!r} threads={self.threads}>"


def handle_of(context):
    """The C handle for an optional Context argument (None: the library's defaults)."""
    if context is None:
        return None
    if not isinstance(context, Context):
        raise TypeError(f"context must be a cogniforge.Context or None, not {type(context).__name__}")
    return context._checked()
