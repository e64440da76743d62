"""What each command was asked to do, as plain frozen values.

The click layer only fills these; the runners only read them. A runner can
then be called (and tested, profiled) without a command line, and an option's
meaning lives in one place: the runner that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemakit._issues import Issue


@dataclass(frozen=True, slots=True)
class Output:
    """One report of a run: a ``--format`` and where it goes (None: standard output)."""

    format: str
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Reporting:
    """How a run reports, the same for every command that checks files."""

    outputs: tuple[Output, ...] = (Output("text"),)
    quiet: bool = False
    statistics: bool = True
    color: str = "auto"
    exit_zero: bool = False


@dataclass(frozen=True, slots=True)
class BucketTarget:
    """A bucket schema and the data it governs: from the command line, or one ``buckets`` entry of the config."""

    schema: str
    data: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ValidateConfig:
    schema: str | None
    data: tuple[str, ...]
    format: str = "text"
    max_issues: int | None = None
    fail_fast: bool = False
    strict: bool = False
    jobs: int = 1
    quiet: bool = False
    reporting: Reporting | None = None
    input_format: str = "auto"
    write_normalized: str | None = None
    # where Parquet, Arrow IPC and CSV files are validated: this process, or a Dask cluster
    engine: str = "local"
    scheduler: str | None = None
    # with no schema given: the configured buckets, and what the configuration file itself got wrong
    targets: tuple[BucketTarget, ...] = ()
    config_issues: tuple[tuple[str, int, Issue], ...] = ()

    @property
    def report(self) -> Reporting:
        return self.reporting or Reporting((Output(self.format),), quiet=self.quiet)


@dataclass(frozen=True, slots=True)
class CheckSchemaConfig:
    schemas: tuple[str, ...]
    format: str = "text"
    quiet: bool = False
    strict: bool = False
    reporting: Reporting | None = None

    @property
    def report(self) -> Reporting:
        return self.reporting or Reporting((Output(self.format),), quiet=self.quiet)


@dataclass(frozen=True, slots=True)
class CheckPipelineConfig:
    manifests: tuple[str, ...]
    format: str = "text"
    show_schemas: bool = False
    quiet: bool = False
    reporting: Reporting | None = None

    @property
    def report(self) -> Reporting:
        return self.reporting or Reporting((Output(self.format),), quiet=self.quiet)


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
