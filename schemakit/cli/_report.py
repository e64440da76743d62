"""Rendering results: one reporter per ``--format``, all fed the same stream of issues.

Reporters write issues as they arrive (a run over a huge file may find millions)
and the summary at the end. A format whose document puts the summary (or the
rule table) first, or closes a list at the end, spools its records to a
temporary file that only spills to disk when large, so memory stays flat.

Root pointer: the text and github formats print ``/`` for an issue about the
whole object (as ``Issue.__str__`` does), because ``file:3: : code`` reads as
a typo; the json formats keep the RFC 6901 pointer, which is ``""`` for the root.

Every format is one row of :data:`FORMATS`; a run may write several, each to
its own destination (:class:`Fanout`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, TextIO

from schemakit._issues import Issue
from schemakit.cli._config import Reporting


@dataclass(slots=True)
class Summary:
    """Counts for the summary line and the json ``summary`` object.

    ``noun`` names what was checked ("object", "schema", "collection"), and
    the json summary counts them under their own name (``objects``,
    ``schemas``, ``collections``).
    """

    noun: str = "object"
    files: int = 0
    objects: int = 0
    valid: int = 0
    invalid: int = 0
    issues: int = 0
    errors: int = 0
    warnings: int = 0
    by_code: Counter[str] = field(default_factory=Counter)
    shown: int = 0
    max_issues: int | None = None
    stopped_early: bool = False
    elapsed: float | None = None
    schemas: list[str] = field(default_factory=list)

    def count(self, issue: Issue) -> None:
        self.issues += 1
        self.by_code[issue.code] += 1
        if issue.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1

    @property
    def rate(self) -> float | None:
        """What was checked per second of the run, when it was timed."""
        if self.elapsed is None:
            return None
        return self.objects / self.elapsed if self.elapsed > 0 else float(self.objects)

    def codes_by_count(self) -> dict[str, int]:
        return dict(sorted(self.by_code.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_dict(self) -> dict[str, Any]:
        plural = f"{self.noun}s"
        out: dict[str, Any] = {
            "files": self.files,
            plural: self.objects,
            "valid": self.valid,
            "invalid": self.invalid,
            "issues": self.issues,
            "errors": self.errors,
            "warnings": self.warnings,
            "by_code": self.codes_by_count(),
        }
        if self.schemas:
            out["bucket_schemas"] = list(self.schemas)
        if self.elapsed is not None:
            out["elapsed_seconds"] = round(self.elapsed, 3)
            out[f"{plural}_per_second"] = round(self.rate or 0.0)
        return out


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def summary_lines(s: Summary, *, statistics: bool = True) -> list[str]:
    """The text summary: counts, then (``statistics``) issues by code, then the run's time and rate."""
    files = _plural(s.files, "file")
    if s.issues == 0:
        lines = [f"{_plural(s.objects, s.noun)} checked in {files}: all valid"]
    else:
        detail = f"{_plural(s.errors, 'error')}, {_plural(s.warnings, 'warning')}"
        lines = [
            f"{_plural(s.objects, s.noun)} checked in {files}: {s.valid:,} valid, {s.invalid:,} invalid; "
            f"{_plural(s.issues, 'issue')} ({detail})",
        ]
        if statistics:
            lines.append("issues by code: " + ", ".join(f"{code} {n:,}" for code, n in s.codes_by_count().items()))
    if s.shown < s.issues:
        lines.append(f"showed the first {s.shown:,} of {_plural(s.issues, 'issue')} (--max-issues {s.max_issues})")
    if s.stopped_early:
        lines.append(f"stopped at the first invalid {s.noun} (--fail-fast)")
    if s.elapsed is not None:
        lines.append(timing_line(s))
    return lines


def timing_line(s: Summary) -> str:
    """``elapsed 1.23 s, 812,345 objects/s``: on a line of its own, so two runs' reports compare without it."""
    return f"elapsed {s.elapsed or 0:.2f} s, {s.rate or 0:,.0f} {s.noun}s/s"


COLOR_CHOICES = ("auto", "always", "never")
_CONSOLES: dict[tuple[int, str], Any] = {}


def resolve_color(flag: str | None) -> str:
    """The colour mode of a run: the flag (or configuration), else FORCE_COLOR, else NO_COLOR, else auto."""
    if flag is not None:
        return flag
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force.lower() not in ("", "0", "false"):
        return "always"
    if os.environ.get("NO_COLOR"):
        return "never"
    return "auto"


def terminal_console(stream: TextIO, color: str = "auto") -> Any:
    """A rich Console for ``stream`` when it gets colour, else None (plain writes).

    ``color`` is ``auto`` (a terminal gets colour unless NO_COLOR
    (https://no-color.org) is set or TERM=dumb), ``always`` or ``never``.
    One console per stream, shared by the reporter and the progress bar:
    rich then prints report lines above the live bar instead of through it.
    """
    if color == "never":
        return None
    isatty = getattr(stream, "isatty", None)
    tty = bool(isatty and isatty())
    if color == "auto" and not tty:
        return None
    key = (id(stream), color)
    if key not in _CONSOLES:
        from rich.console import Console

        # rich's own NO_COLOR handling drops colours but keeps bold and dim; no colour system means plain text
        plain = color == "auto" and (bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb")
        _CONSOLES[key] = Console(
            file=stream,
            highlight=False,
            soft_wrap=True,
            markup=False,
            emoji=False,
            force_terminal=True if color == "always" else None,
            color_system=None if plain else "standard" if color == "always" else "auto",
        )
    return _CONSOLES[key]


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What every reporter of a run shares: the command, and how much to say."""

    command: str = "validate"
    quiet: bool = False
    statistics: bool = True
    color: str = "auto"
    html_rows: int = 1000


class Reporter(ABC):
    """The interface of every format: issues as they come, each file's counts, then the summary once."""

    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        self.out = out
        self.options = options or ReportOptions()
        self.quiet = self.options.quiet
        self.console = terminal_console(out, self.options.color) if self.colored else None

    colored = False
    """Whether the format is for a person at a terminal (colour applies)."""

    def write_line(self, line: str, styled: Any = None) -> None:
        if self.console is None:
            self.out.write(line + "\n")
        else:
            self.console.print(styled if styled is not None else line)

    @abstractmethod
    def issue(self, file: str, line: int, issue: Issue) -> None:
        """Report one issue of ``file`` at ``line``."""

    def file_done(self, file: str, checked: int, invalid: int) -> None:  # noqa: B027 - most formats need no file rows
        """A file is finished: ``checked`` objects (or schemas, collections), ``invalid`` of them invalid."""

    @abstractmethod
    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        """Report the summary, once, after the last issue."""

    def section(self, title: str, body: str) -> None:  # noqa: B027 - only the person-facing formats show sections
        """Free-form output some commands add (``check-pipeline --show-schemas``)."""


def _split_message(issue: Issue) -> tuple[str, list[str]]:
    """The message's first line with the hint, and any further lines (a filter's caret excerpt)."""
    head, *rest = issue.message.split("\n")
    return (f"{head} ({issue.hint})" if issue.hint else head), rest


def text_line(file: str, line: int, issue: Issue) -> str:
    """``file:line: pointer: code: message (hint)``.

    A multi-line message keeps its first line with the code and indents the rest
    below it, so tools that read ``file:line:`` lines still see one line per issue.
    """
    head, rest = _split_message(issue)
    text = f"{file}:{line}: {issue.pointer or '/'}: {issue.code}: {head}"
    return text + "".join(f"\n    {more}" for more in rest)


def issue_record(file: str, line: int, issue: Issue) -> dict[str, Any]:
    """One issue as the json formats write it."""
    return {
        "file": file,
        "line": line,
        "pointer": issue.pointer,
        "code": issue.code,
        "message": issue.message,
        "hint": issue.hint,
        "severity": issue.severity,
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class TextReporter(Reporter):
    """``file:line: pointer: code: message (hint)``, one issue a line, then the summary."""

    colored = True

    def issue(self, file: str, line: int, issue: Issue) -> None:
        if self.console is None:
            self.out.write(text_line(file, line, issue) + "\n")
            return
        from rich.text import Text

        text = Text()
        text.append(f"{file}:{line}:", style="bold")
        text.append(f" {issue.pointer or '/'}: ", style="cyan")
        text.append(issue.code, style="bold red" if issue.severity == "error" else "bold yellow")
        head, *rest = issue.message.split("\n")
        text.append(f": {head}")
        if issue.hint:
            text.append(f" ({issue.hint})", style="dim")
        for more in rest:
            text.append(f"\n    {more}")
        self.console.print(text)

    def section(self, title: str, body: str) -> None:
        self.write_line(title)
        self.write_line(body)

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        if self.quiet:
            return
        lines = summary_lines(summary, statistics=self.options.statistics)
        if self.console is None:
            self.out.write("".join(line + "\n" for line in lines))
            return
        from rich.text import Text

        style = "bold red" if summary.errors else "bold yellow" if summary.warnings else "bold green"
        self.console.print(Text(lines[0], style=style))
        for line in lines[1:]:
            self.console.print(line)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: ``::error file=F,line=L::pointer: code: message (hint)``.

    Annotations attach to the file and line in the pull request; warnings
    become ``::warning``. The plain summary follows for the job log.
    """

    def issue(self, file: str, line: int, issue: Issue) -> None:
        level = "error" if issue.severity == "error" else "warning"
        head, rest = _split_message(issue)
        body = "\n".join([f"{issue.pointer or '/'}: {issue.code}: {head}", *rest])
        self.write_line(f"::{level} file={_escape_property(file)},line={line}::{_escape_data(body)}")

    def section(self, title: str, body: str) -> None:
        self.write_line(title)
        self.write_line(body)

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        if not self.quiet:
            for line in summary_lines(summary, statistics=self.options.statistics):
                self.write_line(line)


class _Spool:
    """Records written now, copied into the report at the end (in memory up to 8 MB, then on disk)."""

    def __init__(self) -> None:
        # closed in drain(); a reporter lives exactly as long as one run
        self._file: IO[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=8 << 20, mode="w+", encoding="utf-8"
        )
        self.count = 0

    def add(self, text: str, sep: str = ",") -> None:
        self._file.write((sep if self.count else "") + text)
        self.count += 1

    def drain(self, out: TextIO) -> None:
        self._file.seek(0)
        while block := self._file.read(1 << 20):
            out.write(block)
        self._file.close()


class JsonReporter(Reporter):
    """One JSON document: ``{"summary": {...}, "issues": [...]}`` (plus command extras)."""

    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        super().__init__(out, options)
        self._spool = _Spool()

    def issue(self, file: str, line: int, issue: Issue) -> None:
        self._spool.add("\n    " + _dumps(issue_record(file, line, issue)))

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        out = self.out
        head = json.dumps({"summary": summary.to_dict()}, indent=2, ensure_ascii=False)
        out.write(head[: head.rindex("}")].rstrip() + ',\n  "issues": [')
        count = self._spool.count
        self._spool.drain(out)
        out.write("\n  ]" if count else "]")
        for key, value in (extra or {}).items():
            body = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            out.write(f",\n  {json.dumps(key)}: {body}")
        out.write("\n}\n")


class JsonlReporter(Reporter):
    """One issue a line (JSON Lines), as they come; no summary: the exit code and the count of lines say it."""

    def issue(self, file: str, line: int, issue: Issue) -> None:
        self.out.write(_dumps(issue_record(file, line, issue)) + "\n")

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        pass


def _uri(file: str) -> str:
    """A file name as a relative URI reference (SARIF's artifactLocation.uri)."""
    from urllib.parse import quote

    return quote(file.replace(os.sep, "/"), safe="/._-~")


def _tool_version() -> str:
    import schemakit

    return schemakit.__version__


INFORMATION_URI = "https://schemakit.readthedocs.io/"


def code_rules() -> list[dict[str, Any]]:
    """One SARIF rule per issue code of the registry: its meaning as the description, its fix as the help."""
    from schemakit._contract.codes import ENTRIES

    return [_rule(e.code, e.meaning, e.fix, e.severity, e.pillars) for e in ENTRIES]


def _rule(code: str, meaning: str, fix: str, severity: str, tags: Sequence[str]) -> dict[str, Any]:
    return {
        "id": code,
        "name": "".join(part.title() for part in code.split("_")),
        "shortDescription": {"text": meaning},
        "fullDescription": {"text": meaning},
        "help": {"text": fix, "markdown": f"**Fix:** {fix}"},
        "helpUri": f"{INFORMATION_URI}reference/codes/#{code}",
        "defaultConfiguration": {"level": "error" if severity == "error" else "warning"},
        "properties": {"tags": list(tags)},
    }


class SarifReporter(Reporter):
    """SARIF 2.1.0: one run, one rule per issue code (from the code registry), one result per issue."""

    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        super().__init__(out, options)
        self._spool = _Spool()
        self._rules = code_rules()
        self._index = {rule["id"]: i for i, rule in enumerate(self._rules)}

    def _rule_index(self, issue: Issue) -> int:
        index = self._index.get(issue.code)
        if index is None:  # a code the registry lacks still gets a rule, so every result resolves
            index = self._index[issue.code] = len(self._rules)
            self._rules.append(_rule(issue.code, issue.code.replace("_", " "), issue.hint or "", issue.severity, ()))
        return index

    def issue(self, file: str, line: int, issue: Issue) -> None:
        head, rest = _split_message(issue)
        result = {
            "ruleId": issue.code,
            "ruleIndex": self._rule_index(issue),
            "level": "error" if issue.severity == "error" else "warning",
            "message": {"text": "\n".join([f"{issue.pointer or '/'}: {head}", *rest])},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(file)},
                        "region": {"startLine": max(line, 1)},
                    },
                    "logicalLocations": [{"fullyQualifiedName": issue.pointer or "/", "kind": "member"}],
                }
            ],
            "properties": {"pointer": issue.pointer},
        }
        self._spool.add("\n        " + _dumps(result))

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        driver = {
            "name": "schemakit",
            "version": _tool_version(),
            "informationUri": INFORMATION_URI,
            "rules": self._rules,
        }
        tool = json.dumps({"driver": driver}, indent=2, ensure_ascii=False).replace("\n", "\n      ")
        out = self.out
        out.write('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n')
        out.write(f'  "runs": [\n    {{\n      "tool": {tool},\n      "columnKind": "unicodeCodePoints",\n')
        out.write('      "results": [')
        count = self._spool.count
        self._spool.drain(out)
        out.write("\n      ]\n    }\n  ]\n}\n" if count else "]\n    }\n  ]\n}\n")


def _xml_attr(value: str) -> str:
    from xml.sax.saxutils import quoteattr

    return quoteattr(_xml_safe(value))


def _xml_text(value: str) -> str:
    from xml.sax.saxutils import escape

    return escape(_xml_safe(value))


def _xml_safe(value: str) -> str:
    # XML 1.0 has no way to write most control characters or a lone surrogate, even escaped
    return _XML_UNWRITABLE.sub("\ufffd", value)


_XML_UNWRITABLE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class JunitReporter(Reporter):
    """JUnit XML: one test case per file, one failure per invalid object (its issues as the failure's text).

    CI systems (GitLab, Jenkins, Azure) show each file as a test, so a
    broken file reads as a failed test with its objects listed. Issues of a
    file that is not checked data (the configuration) make a failed test of their own.
    """

    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        super().__init__(out, options)
        self._cases = _Spool()
        self._current: list[tuple[str, int, Issue]] = []
        self._failures: dict[str, list[str]] = {}
        self._tests = 0
        self._failed = 0

    def issue(self, file: str, line: int, issue: Issue) -> None:
        if self._current and (self._current[0][0], self._current[0][1]) != (file, line):
            self._close_object()
        self._current.append((file, line, issue))

    def _close_object(self) -> None:
        issues = self._current
        self._current = []
        errors = [i for _, _, i in issues if i.severity == "error"]
        if not errors:
            return
        file, line, _ = issues[0]
        first = errors[0]
        message = f"line {line}: {first.pointer or '/'}: {first.code}: {first.message.splitlines()[0]}"
        body = "\n".join(text_line(f, ln, i) for f, ln, i in issues)
        self._failures.setdefault(file, []).append(
            f"      <failure message={_xml_attr(message)} type={_xml_attr(first.code)}>{_xml_text(body)}</failure>"
        )

    def file_done(self, file: str, checked: int, invalid: int) -> None:
        if self._current:
            self._close_object()
        failures = self._failures.pop(file, [])
        head = f"    <testcase classname={_xml_attr('schemakit.' + self.options.command)} name={_xml_attr(file)}"
        self._tests += 1
        if failures:
            self._failed += 1
            case = head + ">\n" + "\n".join(failures) + "\n    </testcase>"
        else:
            case = head + "/>"
        self._cases.add("\n" + case, sep="")

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        if self._current:
            self._close_object()
        for file in list(self._failures):  # files that are not data: the configuration
            self.file_done(file, 0, 0)
        name = f"schemakit {self.options.command}"
        counts = f'tests="{self._tests}" failures="{self._failed}" errors="0" skipped="0"'
        out = self.out
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f"<testsuites name={_xml_attr(name)} {counts}>\n")
        out.write(f"  <testsuite name={_xml_attr(name)} {counts}>")
        self._cases.drain(out)
        out.write("\n  </testsuite>\n</testsuites>\n")


class GitlabReporter(Reporter):
    """GitLab Code Quality JSON: a list of issues, each with a fingerprint unique in the report and stable
    across runs (the same issue at the same place has the same fingerprint), so merge requests show what changed."""

    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        super().__init__(out, options)
        self._spool = _Spool()
        self._seen: Counter[str] = Counter()

    def issue(self, file: str, line: int, issue: Issue) -> None:
        basis = "\0".join((file, str(line), issue.pointer, issue.code, issue.message))
        digest = hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()
        # the same issue twice at one place (two objects on one line) still needs two fingerprints
        occurrence = self._seen[digest]
        self._seen[digest] += 1
        if occurrence:
            digest = hashlib.sha256(f"{digest}\0{occurrence}".encode()).hexdigest()
        head, _ = _split_message(issue)
        record = {
            "description": f"{issue.pointer or '/'}: {issue.code}: {head}",
            "check_name": issue.code,
            "fingerprint": digest,
            "severity": "major" if issue.severity == "error" else "minor",
            "location": {"path": file, "lines": {"begin": max(line, 1)}},
        }
        self._spool.add("\n  " + _dumps(record))

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        count = self._spool.count
        self.out.write("[")
        self._spool.drain(self.out)
        self.out.write("\n]\n" if count else "]\n")


def _html_reporter(out: TextIO, options: ReportOptions | None = None) -> Reporter:
    from schemakit.cli._html import HtmlReporter

    return HtmlReporter(out, options)


@dataclass(frozen=True, slots=True)
class Format:
    """One ``--format``: its name, what it is for, and its reporter."""

    name: str
    description: str
    reporter: Callable[[TextIO, ReportOptions | None], Reporter]


FORMAT_TABLE: tuple[Format, ...] = (
    Format("text", "file:line: pointer: code: message (hint), then a summary", TextReporter),
    Format("json", "one document: summary and issues", JsonReporter),
    Format("jsonl", "one issue a line (JSON Lines)", JsonlReporter),
    Format("github", "GitHub Actions annotations", GithubReporter),
    Format("sarif", "SARIF 2.1.0 (code scanning)", SarifReporter),
    Format("junit", "JUnit XML: a test case per file", JunitReporter),
    Format("gitlab", "GitLab Code Quality JSON", GitlabReporter),
    Format("html", "one self-contained page with charts and a table", _html_reporter),
)
"""The one table of report formats: the CLI's choices and help come from it."""

FORMATS: tuple[str, ...] = tuple(f.name for f in FORMAT_TABLE)
_BY_NAME = {f.name: f for f in FORMAT_TABLE}


def make_reporter(
    fmt: str, *, quiet: bool = False, out: TextIO | None = None, options: ReportOptions | None = None
) -> Reporter:
    opts = options or ReportOptions(quiet=quiet)
    return _BY_NAME[fmt].reporter(out if out is not None else sys.stdout, opts)


class Fanout(Reporter):
    """Several reporters fed the same run, each writing to its own destination."""

    def __init__(self, reporters: Sequence[Reporter]) -> None:
        self.reporters = list(reporters)
        self.out = reporters[0].out if reporters else sys.stdout
        self.options = reporters[0].options if reporters else ReportOptions()
        self.quiet = self.options.quiet
        self.console = next((r.console for r in self.reporters if r.console is not None), None)

    def issue(self, file: str, line: int, issue: Issue) -> None:
        for r in self.reporters:
            r.issue(file, line, issue)

    def file_done(self, file: str, checked: int, invalid: int) -> None:
        for r in self.reporters:
            r.file_done(file, checked, invalid)

    def section(self, title: str, body: str) -> None:
        for r in self.reporters:
            r.section(title, body)

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        for r in self.reporters:
            r.finish(summary, extra)




@contextmanager
def open_reporters(reporting: Reporting, command: str) -> Iterator[Reporter]:
    """The reporters of a run, one per output, files opened first (an unwritable path fails before any work).

    Standard output takes at most one format (two would interleave); the
    files are closed at the end, after the summary is written.
    """
    from schemakit.cli._errors import UserError

    outputs = reporting.outputs
    on_stdout = [o.format for o in outputs if o.path is None]
    if len(on_stdout) > 1:
        raise UserError(
            f"formats {', '.join(on_stdout)} would all write to standard output: give all but one -o/--output-file"
        )
    options = ReportOptions(
        command=command, quiet=reporting.quiet, statistics=reporting.statistics, color=reporting.color
    )
    with ExitStack() as stack:
        reporters: list[Reporter] = []
        for output in outputs:
            stream: TextIO = sys.stdout
            if output.path is not None:
                try:
                    stream = stack.enter_context(open(output.path, "w", encoding="utf-8", errors="backslashreplace"))
                except OSError as exc:
                    raise UserError(
                        f"{output.path}: cannot write the {output.format} report: {exc.strerror or exc}"
                    ) from None
            # a file gets colour only when asked for always, never from the terminal the run started in
            file_options = options if output.path is None or options.color == "always" else _no_color(options)
            reporters.append(make_reporter(output.format, out=stream, options=file_options))
        yield reporters[0] if len(reporters) == 1 else Fanout(reporters)


def _no_color(options: ReportOptions) -> ReportOptions:
    from dataclasses import replace

    return replace(options, color="never")
