"""The reporting options every checking command shares, and how ``-o`` pairs with ``--format``.

``--format github --format sarif -o report.sarif``: each ``-o/--output-file``
names the destination of the ``--format`` before it; a format without one
writes to standard output. click gathers repeated options into separate lists
and forgets how they interleaved, so :class:`ReportCommand` notes the order of
those two options in the raw arguments before click parses them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from schemakit.cli._config import Output, Reporting
from schemakit.cli._report import COLOR_CHOICES, FORMAT_TABLE, FORMATS, resolve_color

F = TypeVar("F", bound=Callable[..., Any])

_ORDER_KEY = "schemakit.report_order"
_FORMAT_FLAGS = ("--format", "-f")
_OUTPUT_FLAGS = ("--output-file", "-o")


def _scan(args: Sequence[str]) -> list[tuple[str, str]]:
    """``("f", FORMAT)`` and ``("o", PATH)`` in command-line order (until ``--``)."""
    order: list[tuple[str, str]] = []
    it = iter(range(len(args)))
    for i in it:
        arg = args[i]
        if arg == "--":
            break
        for kind, flags in (("f", _FORMAT_FLAGS), ("o", _OUTPUT_FLAGS)):
            long, short = flags
            if arg in flags and i + 1 < len(args):
                order.append((kind, args[i + 1]))
                next(it, None)
            elif arg.startswith(long + "="):
                order.append((kind, arg[len(long) + 1 :]))
            elif arg.startswith(short) and not arg.startswith("--") and len(arg) > 2:
                order.append((kind, arg[2:]))
    return order


class ReportCommand(click.Command):
    """A command that remembers the order of its ``--format`` and ``-o`` options."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[_ORDER_KEY] = _scan(args)
        return super().parse_args(ctx, args)


def pair_outputs(
    order: Sequence[tuple[str, str]], default_format: str, default_output: str | None
) -> tuple[Output, ...]:
    """Each format with its destination; an ``-o`` before any ``--format`` belongs to the first format."""
    pairs: list[list[str | None]] = []
    early: list[str] = []
    for kind, value in order:
        if kind == "f":
            pairs.append([value, None])
        elif pairs and pairs[-1][1] is None:
            pairs[-1][1] = value
        elif not pairs:
            early.append(value)
        else:
            raise click.UsageError(f"-o {value}: --format {pairs[-1][0]} already writes to {pairs[-1][1]}")
    if not pairs:
        pairs.append([default_format, default_output])
    if early:
        if len(early) > 1:
            raise click.UsageError(f"-o given {len(early)} times before any --format: each format takes one file")
        if pairs[0][1] is not None:
            raise click.UsageError(f"-o {early[0]}: --format {pairs[0][0]} already writes to {pairs[0][1]}")
        pairs[0][1] = early[0]
    return tuple(Output(str(fmt), path) for fmt, path in pairs)


def report_options(fn: F) -> F:
    """The options of :class:`~schemakit.cli._config.Reporting`, added to a command."""
    formats_help = "; ".join(f"{f.name}: {f.description}" for f in FORMAT_TABLE)
    options = [
        click.option(
            "--format",
            "-f",
            "formats",
            type=click.Choice(FORMATS),
            multiple=True,
            help=f"Report format, repeatable (default text). {formats_help}.",
        ),
        click.option(
            "--output-file",
            "-o",
            "output_files",
            multiple=True,
            metavar="PATH",
            help="Write the report of the --format before it to PATH (default: standard output).",
        ),
        click.option(
            "--statistics/--no-statistics",
            default=None,
            help="Show the 'issues by code' line of the summary (default: shown).",
        ),
        click.option(
            "--color",
            type=click.Choice(COLOR_CHOICES),
            default=None,
            help="Colour the text report: auto (on a terminal; FORCE_COLOR and NO_COLOR are honoured), always, never.",
        ),
        click.option("--exit-zero", is_flag=True, default=None, help="Exit 0 even when issues are found."),
        click.option("--quiet", "-q", is_flag=True, help="Print issues only, no summary or progress."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def build_reporting(
    *,
    statistics: bool | None,
    color: str | None,
    exit_zero: bool | None,
    quiet: bool,
    defaults: Any = None,
) -> Reporting:
    """The reporting of a run from its flags, with the configuration's defaults (``defaults.get(key)``) under them."""
    ctx = click.get_current_context()
    order = ctx.meta.get(_ORDER_KEY, [])

    def default(key: str, fallback: Any) -> Any:
        return defaults.get(key, fallback) if defaults is not None else fallback

    outputs = pair_outputs(order, default("format", "text"), default("output-file", None))
    return Reporting(
        outputs=outputs,
        quiet=quiet,
        statistics=statistics if statistics is not None else bool(default("statistics", True)),
        color=resolve_color(color if color is not None else default("color", None)),
        exit_zero=exit_zero if exit_zero else bool(default("exit-zero", False)),
    )
