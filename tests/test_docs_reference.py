"""The reference pages cover the code: every public name has an API entry, every page is in the navigation,
and the page of issue codes is the registry's."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

from schemakit._contract.codes import ENTRIES, reference_markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PUBLIC_MODULES = [
    "schemakit",
    "schemakit.schema",
    "schemakit.filters",
    "schemakit.mappings",
    "schemakit.strategies",
    "schemakit.testing",
    "schemakit.backends",
    "schemakit.datasets",
    "schemakit.codegen",
]


def _targets() -> list[str]:
    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    return re.findall(r"^::: ([\w.]+)$", text, flags=re.MULTILINE)


def _documented(module: str) -> set[str]:
    # a directive naming a whole module renders every name of its __all__ (mkdocstrings follows __all__)
    if module in _targets():
        return set(importlib.import_module(module).__all__)
    return {target.rsplit(".", 1)[-1] for target in _targets()}


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_every_public_name_has_an_api_entry(module: str) -> None:
    names = set(importlib.import_module(module).__all__) - {"__version__"}
    missing = names - _documented(module)
    assert not missing, f"{module}: add '::: <module>.<name>' entries to docs/reference/api.md for {sorted(missing)}"


def test_every_api_entry_names_something_real() -> None:
    for target in _targets():
        if target in PUBLIC_MODULES:
            continue
        module, name = target.rsplit(".", 1)
        assert hasattr(importlib.import_module(module), name), target


def _nav_pages(items: object) -> set[str]:
    found: set[str] = set()
    if isinstance(items, str):
        found.add(items)
    elif isinstance(items, list):
        for item in items:
            found |= _nav_pages(item)
    elif isinstance(items, dict):
        for value in items.values():
            found |= _nav_pages(value)
    return found


def test_every_page_is_in_the_navigation() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = _nav_pages(config["nav"])
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md") if "_hooks" not in p.parts}
    assert pages <= nav, f"pages missing from mkdocs.yml's nav: {sorted(pages - nav)}"
    assert nav <= pages, f"nav entries without a page: {sorted(nav - pages)}"


def test_the_code_reference_is_generated_from_the_registry() -> None:
    page = (DOCS / "reference" / "codes.md").read_text(encoding="utf-8")
    assert "<!-- issue-codes -->" in page
    generated = reference_markdown()
    for entry in ENTRIES:
        assert f"### `{entry.code}` {{#{entry.code}}}" in generated, entry.code
        assert entry.example in generated and entry.fix in generated, entry.code


def _cli_hook() -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_cli_hook", DOCS / "_hooks" / "cli.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_command_has_a_generated_option_table_on_the_cli_page() -> None:
    import click

    from schemakit.cli._app import cli

    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    hook = _cli_hook()
    for name in cli.list_commands(click.Context(cli)):
        assert f"<!-- cli-options: {name} -->" in page, name
        table = hook.options_table(name)  # type: ignore[attr-defined]
        command = cli.get_command(click.Context(cli), name)
        assert command is not None
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert f"{param.opts[-1]}" in table, (name, param.opts)


def test_the_readme_links_to_files_that_exist() -> None:
    # mkdocs checks the site's links; the README is read on its own (on a forge, or in the sdist)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        assert (ROOT / target).exists(), target
