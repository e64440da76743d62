"""``--format html`` opened in a real headless Chromium: the rendered page, its charts and its filter.

The page builds its table with its own script, so these checks read the DOM
after Chromium ran it (``--dump-dom``); the filter and the sort are driven
through the page's link form (``report.html#filter=...&sort=...``), which sets
the filter box and the sort column as typing and clicking do. A screenshot is
saved in the test's temporary directory.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_cli_support import BUCKET, good, run, write_jsonl

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium() -> str:
    found = os.environ.get("SCHEMAKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/setup.d/30-chromium.sh installs it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def browse(page: Path, profile: Path, *args: str, fragment: str = "") -> str:
    profile.mkdir(exist_ok=True)
    proc = subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri() + fragment],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A run over 300 objects: 30 string prices, 10 missing titles, 5 repeated keys, 1 malformed line."""
    tmp = tmp_path_factory.mktemp("html")
    bucket = tmp / "bucket.json"
    bucket.write_text(json.dumps(BUCKET))
    objects = []
    for i in range(300):
        obj = good(f"S{i if i % 60 else 1}", price="cheap" if i % 10 == 3 else i)
        if i % 30 == 5:
            del obj["metadata"]["title"]
        objects.append(obj)
    data = write_jsonl(tmp / "products.jsonl", objects)
    with data.open("a") as f:
        f.write('{"sku": <script>alert(1)</script>\n')
    page = tmp / "report.html"
    result = run("validate", bucket, data, "--format", "html", "-o", page, "--format", "json")
    assert result.code == 1
    summary = result.json()["summary"]
    return page, summary


def _rows(dom: str) -> list[str]:
    body = dom.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr class=\"(?:error|warning)\">.*?</tr>", body)


def _figure(dom: str, name: str) -> int:
    match = re.search(rf'data-figure="{name}"><b>([0-9,]+)</b>', dom)
    assert match, name
    return int(match[1].replace(",", ""))


def test_the_page_is_self_contained(report: tuple[Path, dict[str, int]]) -> None:
    text = report[0].read_text()
    # nothing to fetch: no external script, style, image or font
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)
    assert "@import" not in text and "url(" not in text
    # the malformed line's text is data in the page, never markup
    assert "<script>alert(1)</script>" not in text


def test_rendered_summary_charts_and_table(report: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    page, summary = report
    dom = browse(page, tmp_path / "profile", "--dump-dom")
    for name in ("files", "objects", "valid", "invalid", "issues", "errors", "warnings"):
        assert _figure(dom, name) == summary[name], name
    chart = dom.split('id="chart-codes"', 1)[1].split("</section>")[0]
    codes = re.findall(r'<span class="label" title="([a-z_]+)">', chart)
    assert codes == list(summary["by_code"])  # one bar per code, most frequent first
    fields = dom.split('id="chart-fields"', 1)[1].split("</section>")[0]
    assert 'title="/metadata/price"' in fields and 'class="fill"' in fields
    rows = _rows(dom)
    assert len(rows) == summary["issues"]
    assert re.search(r'id="shown">' + f"{summary['issues']:,}", dom)
    # the offending value, with file:line
    assert any("products.jsonl:4</td>" in r and "<td class=\"mono\">string 'cheap'</td>" in r for r in rows)


def test_filter_and_sort_in_the_browser(report: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    page, summary = report
    dom = browse(page, tmp_path / "profile", "--dump-dom", fragment="#filter=type_mismatch&sort=field&desc")
    rows = _rows(dom)
    assert len(rows) == summary["by_code"]["type_mismatch"] == 30
    assert all("type_mismatch" in r for r in rows)
    assert re.search(r'id="shown">30<', dom)
    assert '<th class="desc">field</th>' in dom
    nothing = _rows(browse(page, tmp_path / "profile2", "--dump-dom", fragment="#filter=no-such-text"))
    assert nothing == []


def test_screenshot(report: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    browse(report[0], tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,1600", "--hide-scrollbars")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
