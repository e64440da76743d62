"""The project's configuration: ``[tool.schemakit]`` in ``pyproject.toml``, or a ``schemakit.toml``.

Found by walking up from the working directory (the first directory holding
a ``schemakit.toml``, or a ``pyproject.toml`` with a ``[tool.schemakit]``
table), or named with ``--config PATH``. It gives defaults to ``validate``
(flags override them) and the list of buckets, each a schema and the data
globs it governs, that ``schemakit validate`` with no arguments checks.

Paths in it are relative to the file's directory. What the file gets wrong
is reported as issues of the file itself (``unknown_key`` with a did-you-mean,
``invalid_config``, ``empty_glob``), located at the line of the key.
"""

from __future__ import annotations

import glob
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemakit._contract.keywords import unknown_keys
from schemakit._issues import Issue, describe, did_you_mean_hint
from schemakit.cli._config import BucketTarget
from schemakit.cli._errors import UserError
from schemakit.cli._inputs import INPUT_FORMATS
from schemakit.cli._report import COLOR_CHOICES, FORMATS

CONFIG_NAME = "schemakit.toml"
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True, slots=True)
class Setting:
    """One key of the configuration: the flag it gives a default to, and the values it takes."""

    key: str
    kind: type
    choices: tuple[str, ...] = ()
    minimum: int | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("format", str, FORMATS),
    Setting("output-file", str),
    Setting("strict", bool),
    Setting("max-issues", int, minimum=0),
    Setting("jobs", int, minimum=0),
    Setting("color", str, COLOR_CHOICES),
    Setting("statistics", bool),
    Setting("input-format", str, INPUT_FORMATS),
    Setting("exit-zero", bool),
)
"""The one table of configurable defaults; ``buckets`` is the other key."""

_BY_KEY = {s.key: s for s in SETTINGS}
TOP_KEYS = (*_BY_KEY, "buckets")
BUCKET_KEYS = ("schema", "data")
_UNKNOWN = "{key} is not a {what} of the schemakit configuration; it is ignored"


@dataclass(slots=True)
class ProjectConfig:
    """What the configuration file says, with what is wrong with the file itself."""

    path: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    buckets: list[BucketTarget] = field(default_factory=list)
    issues: list[tuple[str, int, Issue]] = field(default_factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file of the working directory: walk up to the first that holds one."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\[?\s*tool\.schemakit\b", text, re.MULTILINE) is not None


def load_config(explicit: str | None) -> ProjectConfig:
    """The configuration named by ``--config``, or found by walking up; an empty one when there is none."""
    path = Path(explicit) if explicit is not None else find_config()
    if path is None:
        return ProjectConfig()
    label = _label(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{label}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{label}: cannot read the configuration: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{label}: configuration is not valid TOML: {exc}") from None
    in_pyproject = path.name == PYPROJECT
    prefix: tuple[str, ...] = ("tool", "schemakit") if in_pyproject else ()
    tool = data.get("tool", {}) if in_pyproject else {}
    table: Any = (tool.get("schemakit", {}) if isinstance(tool, dict) else {}) if in_pyproject else data
    config = ProjectConfig(path=label)
    reader = _Reader(config, text, label, prefix, path.parent)
    if not isinstance(table, dict):
        reader.invalid((), f"[tool.schemakit] must be a table, found {describe(table)}")
        return config
    reader.read(table)
    return config


def _label(path: Path) -> str:
    rel = os.path.relpath(path)
    return rel if not rel.startswith("..") else str(path)


class _Reader:
    def __init__(self, config: ProjectConfig, text: str, label: str, prefix: tuple[str, ...], base: Path) -> None:
        self.config = config
        self.lines = text.splitlines()
        self.label = label
        self.prefix = prefix
        self.base = base

    def line_of(self, key: str, occurrence: int = 0) -> int:
        """The line where ``key`` is set (``key =``), or where its table opens; 1 when not found."""
        pattern = re.compile(rf"^\s*(?:\[\[?\s*(?:tool\.schemakit\.)?)?[\"']?{re.escape(key)}[\"']?\s*(?:=|\]\]?)")
        seen = 0
        for number, line in enumerate(self.lines, 1):
            if pattern.match(line):
                if seen == occurrence:
                    return number
                seen += 1
        return 1

    def add(self, issue: Issue, line: int) -> None:
        self.config.issues.append((self.label, line, issue.prefixed(*self.prefix) if self.prefix else issue))

    def invalid(self, path: tuple[str | int, ...], message: str, line: int = 1) -> None:
        self.add(Issue("invalid_config", path, message), line)

    def read(self, table: Mapping[str, Any]) -> None:
        for issue in unknown_keys(
            table, TOP_KEYS, (), code="unknown_key", severity="warning", what="setting", message=_UNKNOWN
        ):
            self.add(issue, self.line_of(str(issue.path[-1])))
        for key, value in table.items():
            setting = _BY_KEY.get(key)
            if setting is not None:
                self.setting(setting, value)
        buckets = table.get("buckets")
        if buckets is not None:
            self.buckets(buckets)

    def setting(self, setting: Setting, value: Any) -> None:
        line = self.line_of(setting.key)
        path = (setting.key,)
        kind_ok = isinstance(value, setting.kind) and (setting.kind is bool or not isinstance(value, bool))
        if not kind_ok:
            wanted = {str: "a string", bool: "true or false", int: "an integer"}[setting.kind]
            self.invalid(path, f"{setting.key} must be {wanted}, found {describe(value)}", line)
            return
        if setting.choices and value not in setting.choices:
            issue = Issue(
                "invalid_config",
                path,
                f"{setting.key} must be one of {', '.join(setting.choices)}, found {describe(value)}",
                hint=did_you_mean_hint(str(value), setting.choices),
            )
            self.add(issue, line)
            return
        if setting.minimum is not None and value < setting.minimum:
            self.invalid(path, f"{setting.key} must be at least {setting.minimum}, found {value}", line)
            return
        self.config.values[setting.key] = value

    def buckets(self, buckets: Any) -> None:
        if not isinstance(buckets, list):
            self.invalid(("buckets",), f"buckets must be a list of tables ([[buckets]]), found {describe(buckets)}")
            return
        for index, entry in enumerate(buckets):
            line = self.line_of("buckets", index)
            path: tuple[str | int, ...] = ("buckets", index)
            if not isinstance(entry, dict):
                self.invalid(path, f"a bucket must be a table with schema and data, found {describe(entry)}", line)
                continue
            for issue in unknown_keys(
                entry, BUCKET_KEYS, path, code="unknown_key", severity="warning", what="bucket key", message=_UNKNOWN
            ):
                self.add(issue, self._line_after(line, str(issue.path[-1])))
            schema = entry.get("schema")
            data = entry.get("data")
            if isinstance(data, str):
                data = [data]
            if not isinstance(schema, str) or not schema:
                self.invalid((*path, "schema"), f"a bucket needs schema = \"PATH\", found {describe(schema)}", line)
                continue
            if not isinstance(data, list) or not data or not all(isinstance(d, str) and d for d in data):
                self.invalid((*path, "data"), f"a bucket needs data = [\"GLOB\", ...], found {describe(data)}", line)
                continue
            files: list[str] = []
            for pattern in data:
                matched = self.expand(pattern)
                if not matched:
                    self.add(
                        Issue(
                            "empty_glob",
                            (*path, "data"),
                            f"{pattern!r} matches no file (relative to {_label(self.base) or '.'})",
                            hint="check the pattern, or remove it",
                            severity="warning",
                        ),
                        self._line_after(line, "data"),
                    )
                files.extend(m for m in matched if m not in files)
            schema_path = self.base / schema
            self.config.buckets.append(BucketTarget(_label(schema_path), tuple(files)))

    def _line_after(self, start: int, key: str) -> int:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(start, len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start

    def expand(self, pattern: str) -> list[str]:
        """The files a data glob names, sorted (``**`` spans directories), as labels relative to the cwd."""
        full = pattern if os.path.isabs(pattern) else os.path.join(self.base, pattern)
        return sorted(_label(Path(p)) for p in glob.glob(full, recursive=True) if os.path.isfile(p))
