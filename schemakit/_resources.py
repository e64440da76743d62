"""Where packaged data files live, in a wheel and in a source checkout alike."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def grammar_path(name: str) -> Path:
    """Path of a Lark grammar shipped with schemakit.

    A wheel carries ``grammar/`` inside the package (``schemakit/grammar``); an
    editable install or a source checkout keeps it at the project root.
    """
    for folder in (_PACKAGE_DIR / "grammar", _PACKAGE_DIR.parent / "grammar"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"schemakit grammar {name!r} not found beside the package or the project root")


def data_path(name: str) -> Path:
    """Path of a data file inside the package (``schemakit/data``)."""
    return _PACKAGE_DIR / "data" / name
