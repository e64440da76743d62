"""Every example in README.md and docs/ runs, and shows what it really prints.

The convention (docs/contributing.md says the same for page writers):

- Each page runs in its own fresh temporary directory, which holds ``fixtures``
  (a link to the repository's ``fixtures/``). Its blocks run in page order and
  share that directory, and the page's ``python`` blocks share one namespace,
  so a block may use what an earlier block of the page defined or wrote.
- ``python`` blocks are executed. Lines starting with ``#> `` (or a bare
  ``#>``) show what the block prints: if a block has any, its whole standard
  output must equal them, in order. A block without them prints what it likes
  and should assert what it shows.
- ``console`` blocks: each ``$ `` line is a command run by bash (a line ending
  in ``\\`` continues on the next); the lines after it, up to the next ``$ ``,
  are its output: standard output and standard error as a terminal shows them,
  without colour. ``schemakit`` is the command of this checkout. An output
  line ``...`` stands for any number of lines (none included); ``...`` inside
  a line stands for any text. A command shown without output must print
  nothing. The exit status is not compared: show it with ``; echo "exit $?"``.
  ``git commit`` works without a configured identity (the runner sets one).
- ``yaml``, ``json`` and ``toml`` blocks must parse; every ``schemakit ...``
  command inside a YAML block's strings (a CI step's ``run:``, a hook's
  ``entry:``, with a file name appended as pre-commit appends the files)
  must be a command line schemakit accepts (options and arguments are
  parsed, not run). ``text`` and other blocks are not checked.
- An HTML comment on the line just before a block changes that:
  ``<!-- docs-example: skip -->`` does not run it (for a placeholder path or
  a command that cannot run inside the suite: say so in the text);
  ``<!-- docs-example: file NAME -->`` writes the block's content to NAME in
  the page's directory (and still checks it), for a later block to use.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").rglob("*.md") if "_hooks" not in p.parts)]
MARKER = re.compile(r"^\s*<!--\s*docs-example:\s*(?P<what>.*?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    lang: str
    text: str
    marker: str | None

    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> Iterator[Block]:
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    previous = ""
    while i < len(lines):
        opened = FENCE.match(lines[i])
        if not opened:
            if lines[i].strip():
                previous = lines[i]
            i += 1
            continue
        indent, fence, lang = opened["indent"], opened["fence"], opened["lang"]
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not (lines[j].strip().startswith(fence) and not lines[j].strip().strip(fence[0])):
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        marked = MARKER.match(previous)
        yield Block(page, i + 1, lang, "\n".join(body) + "\n", marked["what"] if marked else None)
        previous = ""
        i = j + 1


def _matches(expected: list[str], actual: list[str]) -> bool:
    """``...`` alone matches any run of lines; inside a line it matches any text."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(_matches(rest, actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    pattern = ".*".join(re.escape(part) for part in head.rstrip().split("..."))
    return re.fullmatch(pattern, actual[0].rstrip()) is not None and _matches(rest, actual[1:])


def _environment(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        NO_COLOR="1",
        TERM="dumb",
        COLUMNS="100",
        PYTHONUNBUFFERED="1",
        PRE_COMMIT_HOME=str(workdir.parent / "pre-commit-home"),
        # a git commit in an example needs an identity; the example need not show one
        GIT_AUTHOR_NAME="docs example",
        GIT_AUTHOR_EMAIL="docs@example.invalid",
        GIT_COMMITTER_NAME="docs example",
        GIT_COMMITTER_EMAIL="docs@example.invalid",
    )
    env.pop("FORCE_COLOR", None)
    return env


def _console(block: Block, workdir: Path) -> None:
    commands: list[tuple[str, list[str]]] = []
    pending = ""
    for line in block.text.splitlines():
        if pending:
            pending += "\n" + line
            if not line.endswith("\\"):
                commands.append((pending, []))
                pending = ""
        elif line.startswith("$ "):
            if line.endswith("\\"):
                pending = line[2:]
            else:
                commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
        elif line.strip():
            pytest.fail(f"{block.where()}: console output before any '$ ' command: {line!r}")
    for command, expected in commands:
        done = subprocess.run(
            ["bash", "-c", "{\n" + command + "\n} 2>&1"],
            cwd=workdir,
            env=_environment(workdir),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        actual = done.stdout.splitlines()
        while expected and not expected[-1].strip():
            expected.pop()
        assert _matches(expected, actual), (
            f"{block.where()}: $ {command}\n--- shown ---\n" + "\n".join(expected) + "\n--- printed ---\n" + done.stdout
        )


def _python(block: Block, namespace: dict[str, Any], workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = [line[3:] if line.startswith("#> ") else "" for line in block.text.splitlines() if line.startswith("#>")]
    capsys.readouterr()
    before = os.getcwd()
    os.chdir(workdir)
    try:
        exec(compile(block.text, block.where(), "exec"), namespace)
    finally:
        os.chdir(before)
    printed = capsys.readouterr().out
    if expected:
        assert _matches(expected, printed.splitlines()), (
            f"{block.where()}\n--- shown ---\n" + "\n".join(expected) + "\n--- printed ---\n" + printed
        )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "entry" and isinstance(item, str) and value.get("pass_filenames", True):
                # pre-commit appends the matched files to a hook's entry
                item += " data.jsonl"
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _schemakit_commands(text: str) -> Iterator[str]:
    for line in text.replace("\\\n", " ").splitlines():
        stripped = line.strip()
        if stripped.startswith("schemakit "):
            yield stripped


def _check_command_line(block: Block, command: str) -> None:
    from schemakit.cli._app import cli

    words = shlex.split(command.split("|")[0].split(">")[0])[1:]
    sub = cli.get_command(click.Context(cli), words[0]) if words else None
    if sub is None:
        pytest.fail(f"{block.where()}: {command!r} names no schemakit command")
    try:
        with sub.make_context(words[0], words[1:]):
            pass
    except click.exceptions.Exit:
        pass
    except click.UsageError as error:
        pytest.fail(f"{block.where()}: schemakit does not accept {command!r}: {error}")


def _data(block: Block) -> None:
    if block.lang == "json":
        json.loads(block.text)
    elif block.lang == "toml":
        tomllib.loads(block.text)
    elif block.lang in ("yaml", "yml"):
        data = yaml.safe_load(block.text)
        for text in _strings(data):
            for command in _schemakit_commands(text):
                _check_command_line(block, command)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples(page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workdir = tmp_path / "page"
    workdir.mkdir()
    (workdir / "fixtures").symlink_to(ROOT / "fixtures", target_is_directory=True)
    namespace: dict[str, Any] = {"__name__": "__docs_example__"}
    for block in blocks(page):
        marker = block.marker or ""
        if marker == "skip":
            continue
        if marker.startswith("file "):
            (workdir / marker[len("file ") :].strip()).write_text(block.text, encoding="utf-8")
        elif marker:
            pytest.fail(f"{block.where()}: unknown docs-example marker {marker!r}")
        if block.lang == "python":
            _python(block, namespace, workdir, capsys)
        elif block.lang == "console":
            _console(block, workdir)
        else:
            _data(block)


def test_the_collector_reads_fences_markers_and_ellipses() -> None:
    page = ROOT / "docs" / "contributing.md"
    found = list(blocks(page))
    assert {b.lang for b in found} >= {"python", "console"}
    assert any(b.marker == "skip" for b in found)
    assert _matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert _matches(["a", "...", "b"], ["a", "b"])
    assert not _matches(["a", "b"], ["a", "b", "c"])
    assert _matches(["x: ... (y)"], ["x: anything at all (y)"])
    assert not _matches(["x: ... (y)"], ["x: anything (z)"])
