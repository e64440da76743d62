"""The one result shape: every verdict has ``ok``, ``issues``, ``errors``, ``warnings`` and ``to_dict()``.

A result type mixes in :class:`ResultShape` and provides ``ok`` and
``issues`` (fields or properties); ``errors``, ``warnings``, ``__bool__`` and
the ``issues`` part of ``to_dict()`` come from here, so the shapes cannot drift.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemakit._issues import Issue


class ResultShape:
    """Mixin of every result type (``ValidationResult``, ``BatchResult``, resolutions, ``QueryResult``)."""

    __slots__ = ()

    if TYPE_CHECKING:

        @property
        def ok(self) -> bool: ...

        @property
        def issues(self) -> list[Issue]: ...

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def __bool__(self) -> bool:
        return self.ok

    def to_dict(self) -> dict[str, Any]:
        """``ok`` and every issue as a dict; result types add their own payload after these keys."""
        return {"ok": self.ok, "issues": [i.to_dict() for i in self.issues], **self._payload()}

    def _payload(self) -> dict[str, Any]:
        return {}
