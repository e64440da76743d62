"""Rendering results: one reporter per ``--format``, all fed the same stream of issues.

Reporters write issues as they arrive (a run over a huge file may find millions)
and the summary at the end. The JSON reporter must put the summary first, so it
spools issue records to a temporary file that only spills to disk when large.

Root pointer: the text and github formats print ``/`` for an issue about the
whole object (as ``Issue.__str__`` does), because ``file:3: : code`` reads as
a typo; the json format keeps the RFC 6901 pointer, which is ``""`` for the root.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any, TextIO

from schemakit._issues import Issue

FORMATS = ("text", "json", "github")


@dataclass(slots=True)
class Summary:
    """Counts for the summary line and the json ``summary`` object.

    ``noun`` names what was checked ("object", "schema", "collection"); the
    json keys stay ``objects``/``valid``/``invalid`` for every command.
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

    def count(self, issue: Issue) -> None:
        self.issues += 1
        self.by_code[issue.code] += 1
        if issue.severity == "error":
            self.errors += 1
        else:
            self.warnings += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "objects": self.objects,
            "valid": self.valid,
            "invalid": self.invalid,
            "issues": self.issues,
            "by_code": dict(sorted(self.by_code.items(), key=lambda kv: (-kv[1], kv[0]))),
        }


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summary_lines(s: Summary) -> list[str]:
    files = _plural(s.files, "file")
    if s.issues == 0:
        lines = [f"{_plural(s.objects, s.noun)} checked in {files}: all valid"]
    else:
        detail = f"{_plural(s.errors, 'error')}, {_plural(s.warnings, 'warning')}"
        lines = [
            f"{_plural(s.objects, s.noun)} checked in {files}: {s.valid} valid, {s.invalid} invalid; "
            f"{_plural(s.issues, 'issue')} ({detail})",
            "issues by code: " + ", ".join(f"{code} {n}" for code, n in s.to_dict()["by_code"].items()),
        ]
    if s.shown < s.issues:
        lines.append(f"showed the first {s.shown} of {_plural(s.issues, 'issue')} (--max-issues {s.max_issues})")
    if s.stopped_early:
        lines.append(f"stopped at the first invalid {s.noun} (--fail-fast)")
    return lines


_CONSOLES: dict[int, Any] = {}


def terminal_console(stream: TextIO) -> Any:
    """A rich Console for ``stream`` when it is a terminal, else None (plain writes).

    One console per stream, shared by the reporter and the progress bar: rich
    then prints report lines above the live bar instead of through it. With
    NO_COLOR (https://no-color.org) or TERM=dumb the lines carry no escape codes.
    """
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return None
    key = id(stream)
    if key not in _CONSOLES:
        from rich.console import Console

        # rich's own NO_COLOR handling drops colours but keeps bold and dim; no colour system means plain text
        plain = bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"
        _CONSOLES[key] = Console(
            file=stream,
            highlight=False,
            soft_wrap=True,
            markup=False,
            emoji=False,
            color_system=None if plain else "auto",
        )
    return _CONSOLES[key]


class Reporter(ABC):
    """The interface of every format: issues as they come, then the summary once."""

    def __init__(self, out: TextIO, *, quiet: bool = False) -> None:
        self.out = out
        self.quiet = quiet
        self.console = terminal_console(out)

    def write_line(self, line: str, styled: Any = None) -> None:
        if self.console is None:
            self.out.write(line + "\n")
        else:
            self.console.print(styled if styled is not None else line)

    @abstractmethod
    def issue(self, file: str, line: int, issue: Issue) -> None:
        """Report one issue of ``file`` at ``line``."""

    @abstractmethod
    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        """Report the summary, once, after the last issue."""

    def section(self, title: str, body: str) -> None:
        """Free-form output some commands add (``check-pipeline --show-schemas``)."""
        self.write_line(title)
        self.write_line(body)


def _split_message(issue: Issue) -> tuple[str, list[str]]:
    """The message's first line with the hint, and any further lines (a filter's caret excerpt)."""
    head, *rest = issue.message.split("\n")
    return (f"{head} ({issue.hint})" if issue.hint else head), rest


def text_line(file: str, line: int, issue: Issue) -> str:
    """``file:line: pointer: code: message (hint)``.

    A multi-line message keeps the issue on its first line and indents the rest
    below it, so tools that read ``file:line:`` lines still see one line per issue.
    """
    head, rest = _split_message(issue)
    text = f"{file}:{line}: {issue.pointer or '/'}: {issue.code}: {head}"
    return text + "".join(f"\n    {more}" for more in rest)


class TextReporter(Reporter):
    """``file:line: pointer: code: message (hint)``, one issue a line, then the summary."""

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

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        if self.quiet:
            return
        lines = summary_lines(summary)
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

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        if not self.quiet:
            for line in summary_lines(summary):
                self.write_line(line)


class JsonReporter(Reporter):
    """One JSON document: ``{"summary": {...}, "issues": [...]}`` (plus command extras)."""

    def __init__(self, out: TextIO, *, quiet: bool = False) -> None:
        super().__init__(out, quiet=quiet)
        # closed in finish(); a reporter lives exactly as long as one run
        self._spool: IO[str] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=8 << 20, mode="w+", encoding="utf-8"
        )
        self._count = 0

    def issue(self, file: str, line: int, issue: Issue) -> None:
        record = {
            "file": file,
            "line": line,
            "pointer": issue.pointer,
            "code": issue.code,
            "message": issue.message,
            "hint": issue.hint,
            "severity": issue.severity,
        }
        self._spool.write(("," if self._count else "") + "\n    " + json.dumps(record, ensure_ascii=False))
        self._count += 1

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        out = self.out
        head = json.dumps({"summary": summary.to_dict()}, indent=2, ensure_ascii=False)
        out.write(head[: head.rindex("}")].rstrip() + ',\n  "issues": [')
        self._spool.seek(0)
        while block := self._spool.read(1 << 20):
            out.write(block)
        self._spool.close()
        out.write("\n  ]" if self._count else "]")
        for key, value in (extra or {}).items():
            body = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            out.write(f",\n  {json.dumps(key)}: {body}")
        out.write("\n}\n")


def make_reporter(fmt: str, *, quiet: bool = False, out: TextIO | None = None) -> Reporter:
    stream = out if out is not None else sys.stdout
    if fmt == "json":
        return JsonReporter(stream, quiet=quiet)
    if fmt == "github":
        return GithubReporter(stream, quiet=quiet)
    return TextReporter(stream, quiet=quiet)
