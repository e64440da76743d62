"""MkDocs hook: the option tables of docs/cli.md are generated from the click commands at build time.

A line ``<!-- cli-options: validate -->`` in a page becomes the table of that
command's options, read from the command itself, so the page cannot drift
from ``schemakit <command> --help``.
"""

from __future__ import annotations

import html
import re
from typing import Any

MARKER = re.compile(r"^<!-- cli-options: (?P<command>[\w-]+) -->$", re.MULTILINE)


def options_table(command: str) -> str:
    import click

    from schemakit.cli._app import cli

    context = click.Context(cli, info_name="schemakit")
    found = cli.get_command(context, command)
    if found is None:
        raise ValueError(f"docs name a schemakit command that does not exist: {command!r}")
    sub = click.Context(found, info_name=command, parent=context, **found.context_settings)
    rows = ["| option | meaning |", "|---|---|"]
    for param in found.get_params(sub):
        record = param.get_help_record(sub) if isinstance(param, click.Option) else None
        if record is None:
            continue
        # a pipe inside a table cell ends the cell, and an escaped one shows its backslash inside a code span
        names, meaning = (html.escape(text).replace("|", "&#124;") for text in record)
        rows.append(f"| <code>{names}</code> | {meaning} |")
    return "\n".join(rows)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    return MARKER.sub(lambda m: options_table(m["command"]), markdown)
