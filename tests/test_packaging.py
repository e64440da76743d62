"""The built wheel is self-contained: grammars ship inside it and the public surface is what __init__ says."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import schemakit

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("schemakit-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    return site


def test_wheel_carries_grammars_and_package_data(unpacked_wheel: Path) -> None:
    assert (unpacked_wheel / "schemakit" / "grammar" / "filter.lark").is_file()
    assert (unpacked_wheel / "schemakit" / "py.typed").is_file()
    assert (unpacked_wheel / "schemakit" / "data" / "extractors.json").is_file()


def test_installed_wheel_finds_its_grammar(unpacked_wheel: Path) -> None:
    # Import schemakit from the unpacked wheel only (it shadows the editable checkout), then parse a filter:
    # that loads grammar/filter.lark through the same lookup an installed package uses.
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import schemakit, schemakit._resources as r;"
        "p = r.grammar_path('filter.lark');"
        "assert str(p).startswith(sys.argv[1]), p;"
        "f = schemakit.parse_filter('age >= 30 AND NOT (status = \"x\")');"
        "print(f.matches({'age': 31, 'status': 'y'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(unpacked_wheel)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


def test_public_surface_is_declared_and_importable() -> None:
    for name in schemakit.__all__:
        assert getattr(schemakit, name) is not None, name
    with pytest.raises(AttributeError):
        _ = schemakit.no_such_name  # type: ignore[attr-defined]


def test_import_is_light() -> None:
    # hypothesis is an optional extra and lark is needed only by filters: a plain import loads neither.
    probe = "import sys, schemakit; print(sorted(m for m in ('hypothesis', 'lark') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_public_names_type_check_for_users(tmp_path: Path) -> None:
    # The pillars load lazily; a user's mypy must still see every public name with its real type.
    user_code = tmp_path / "user.py"
    user_code.write_text(
        "import schemakit\n"
        "v = schemakit.compile_schema({'properties': {}})\n"
        "r: schemakit.ValidationResult = v.validate({})\n"
        "f: schemakit.Filter = schemakit.parse_filter('a = 1')\n"
        "model: type[schemakit.BucketSchema] = schemakit.BucketSchema\n"
        "ok: bool = schemakit.resolve_pipeline({}).ok\n"
        "reveal_type(schemakit.query)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user_code)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "def (records:" in done.stdout


def test_all_lists_exactly_the_lazy_and_eager_names() -> None:
    eager = {"FilterError", "Issue", "MappingError", "SchemaDefinitionError", "SchemakitError", "__version__"}
    assert set(schemakit.__all__) == eager | set(schemakit._LAZY)
    assert len(schemakit.__all__) == len(set(schemakit.__all__))


def test_sdist_carries_docs_changelog_and_license(tmp_path: Path) -> None:
    import tarfile

    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (archive,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "docs/filters.md", "grammar/filter.lark"} <= names
    assert any(n.startswith("schemakit/_contract/") for n in names)
    # the docs site builds from the sdist alone: its config, its hook and every page it lists
    assert {"mkdocs.yml", "docs/_hooks/codes.py", "docs/reference/codes.md", ".pre-commit-hooks.yaml"} <= names
    pages = {str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.md")}
    assert pages <= names, sorted(pages - names)


def test_license_file_matches_the_declared_license() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
    assert "License :: OSI Approved :: MIT License" in project["classifiers"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n") and "Permission is hereby granted, free of charge" in text
    assert "The schemakit authors" in text and any(a["name"] == "The schemakit authors" for a in project["authors"])


def test_changelog_keeps_an_unreleased_section_above_0_1_0() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "keepachangelog.com" in text
    assert text.index("## [Unreleased]") < text.index("## [0.1.0]")
