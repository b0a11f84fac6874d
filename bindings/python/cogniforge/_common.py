"""Shared private helpers of the Python binding."""

__all__ = ["HandleOwner"]


class HandleOwner:
    """Mixin for a class that owns one C handle in ``self._handle`` and frees it in ``close()``.

    Gives the context-manager protocol (entering a closed object raises), the ``closed`` property,
    ``_checked()`` and a ``__del__`` backstop. ``_closed_name`` names the class in the ValueError raised by an
    operation on a closed object.
    """

    _closed_name = "object"

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown may have torn down the raw module already
            pass

    def __enter__(self):
        self._checked()
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def closed(self):
        return self._handle is None

    def _checked(self):
        """The C handle; ValueError once closed (as for closed files)."""
        if self._handle is None:
            raise ValueError(f"operation on a closed cogniforge.{self._closed_name}")
        return self._handle
