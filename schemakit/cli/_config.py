"""What each command was asked to do, as plain frozen values.

The click layer only fills these; the runners only read them. A runner can
then be called (and tested, profiled) without a command line, and an option's
meaning lives in one place: the runner that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ValidateConfig:
    schema: str
    data: tuple[str, ...]
    format: str = "text"
    max_issues: int | None = None
    fail_fast: bool = False
    strict: bool = False
    jobs: int = 1
    quiet: bool = False


@dataclass(frozen=True, slots=True)
class CheckSchemaConfig:
    schemas: tuple[str, ...]
    format: str = "text"
    quiet: bool = False
    strict: bool = False


@dataclass(frozen=True, slots=True)
class CheckPipelineConfig:
    manifests: tuple[str, ...]
    format: str = "text"
    show_schemas: bool = False
    quiet: bool = False


@dataclass(frozen=True, slots=True)
class FilterConfig:
    spec: str
    data: tuple[str, ...] = ()
    explain: bool = False
    schema: str | None = None
    context: str | None = None


@dataclass(frozen=True, slots=True)
class ExportConfig:
    schema: str
    strict: bool = False
