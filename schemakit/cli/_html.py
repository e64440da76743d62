"""``--format html``: one self-contained page for a person to read after a large run.

Summary figures, bar charts of issues by code and of the fields (JSON
Pointers, array indexes folded to ``*``) most often wrong, issues by file, and
a table of the first issues with file:line and the offending value, sortable
and filterable in the page. Everything is inline (CSS, a few lines of JS, the
data as JSON): the page loads nothing, so it opens from a CI artifact offline.

Memory is bounded whatever the run: counters hold at most
:data:`MAX_DISTINCT` distinct keys each (the rest count as "other"), and the
table keeps the first ``html_rows`` issues.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from typing import Any, TextIO

from schemakit._issues import Issue
from schemakit.cli._report import Reporter, ReportOptions, Summary, summary_lines, timing_line

MAX_DISTINCT = 10_000
CHART_BARS = 15
OTHER = "(other)"
_INDEX = re.compile(r"/\d+(?=/|$)")
_FOUND = re.compile(r"\bfound (.+)$")


def field_of(pointer: str) -> str:
    """The field a pointer names, array positions folded: ``/blobs/3/type`` -> ``/blobs/*/type``."""
    return _INDEX.sub("/*", pointer) or "/"


def offending_value(issue: Issue) -> str:
    """The value the message says was found (``... found the string "x"``), or "" when it names none."""
    match = _FOUND.search(issue.message.split("\n", 1)[0])
    return match[1] if match else ""


def _bump(counter: Counter[str], key: str) -> None:
    if key in counter or len(counter) < MAX_DISTINCT:
        counter[key] += 1
    else:
        counter[OTHER] += 1


class HtmlReporter(Reporter):
    def __init__(self, out: TextIO, options: ReportOptions | None = None) -> None:
        super().__init__(out, options)
        self._fields: Counter[str] = Counter()
        self._files: Counter[str] = Counter()
        self._rows: list[list[Any]] = []

    def issue(self, file: str, line: int, issue: Issue) -> None:
        _bump(self._fields, field_of(issue.pointer))
        _bump(self._files, file)
        if len(self._rows) < self.options.html_rows:
            head = issue.message.split("\n", 1)[0]
            self._rows.append(
                [file, line, issue.pointer or "/", issue.code, issue.severity, head, issue.hint or "",
                 offending_value(issue)]
            )

    def finish(self, summary: Summary, extra: dict[str, Any] | None = None) -> None:
        self.out.write(render_page(self.options.command, summary, self._fields, self._files, self._rows))


def _bars(title: str, counts: Counter[str] | dict[str, int], chart_id: str) -> str:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:CHART_BARS]
    if not items:
        return f'<section class="chart" id="{chart_id}"><h2>{html.escape(title)}</h2><p class="none">none</p></section>'
    top = items[0][1]
    rows = "".join(
        f'<div class="bar"><span class="label" title="{html.escape(k)}">{html.escape(k)}</span>'
        f'<span class="track"><span class="fill" style="width:{max(100 * n / top, 1):.1f}%"></span></span>'
        f'<span class="n">{n:,}</span></div>'
        for k, n in items
    )
    more = len(counts) - len(items)
    note = f'<p class="more">and {more:,} more</p>' if more > 0 else ""
    return f'<section class="chart" id="{chart_id}"><h2>{html.escape(title)}</h2>{rows}{note}</section>'


_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px;max-width:1400px}
.figures{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:16px}
.figure{background:#fff;border-radius:6px;padding:10px 16px;min-width:120px;box-shadow:0 1px 2px #0002}
.figure b{display:block;font-size:22px}.figure.bad b{color:#b42318}.figure.ok b{color:#067647}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:12px}
.chart{background:#fff;border-radius:6px;padding:10px 16px;box-shadow:0 1px 2px #0002}
.chart h2,.issues h2{font-size:15px;margin:4px 0 8px}
.bar{display:grid;grid-template-columns:minmax(120px,38%) 1fr 70px;gap:8px;align-items:center;margin:3px 0}
.label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-family:ui-monospace,monospace;font-size:12px}
.track{background:#eef0f3;border-radius:3px;height:14px}.fill{display:block;height:14px;background:#d9534f;border-radius:3px}
.n{text-align:right;font-variant-numeric:tabular-nums}
.issues{background:#fff;border-radius:6px;padding:10px 16px;margin-top:16px;box-shadow:0 1px 2px #0002}
#filter{width:100%;max-width:420px;padding:6px 8px;margin:4px 0 8px;font:inherit}
table{border-collapse:collapse;width:100%;font-size:12px}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #eef0f3;vertical-align:top}
th{cursor:pointer;user-select:none;background:#f6f7f9;position:sticky;top:0}
th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}
td.mono{font-family:ui-monospace,monospace}tr.warning td.sev{color:#b54708}tr.error td.sev{color:#b42318}
.summary{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;color:#475467}
"""

_JS = """
(function(){
var rows=JSON.parse(document.getElementById('rows').textContent);
var body=document.querySelector('#issues tbody'),box=document.getElementById('filter');
var shown=document.getElementById('shown');
var key=-1,dir=1,view=rows.slice();
function cell(tr,text,cls){
 var td=document.createElement('td');td.textContent=text;if(cls)td.className=cls;tr.appendChild(td);
}
function draw(){
 var q=box.value.toLowerCase();
 view=rows.filter(function(r){return !q||r.join('\\u0001').toLowerCase().indexOf(q)>=0;});
 if(key>=0)view.sort(function(a,b){var x=a[key],y=b[key];return (x<y?-1:x>y?1:0)*dir;});
 var frag=document.createDocumentFragment();
 view.forEach(function(r){var tr=document.createElement('tr');tr.className=r[4];
  cell(tr,r[0]+':'+r[1],'mono');cell(tr,r[2],'mono');cell(tr,r[3],'mono');cell(tr,r[4],'sev');
  cell(tr,r[5]+(r[6]?' ('+r[6]+')':''));cell(tr,r[7],'mono');frag.appendChild(tr);});
 body.replaceChildren(frag);shown.textContent=view.length.toLocaleString('en-US');
}
var cols=[0,2,3,4,5,7],heads=document.querySelectorAll('#issues th');
function sortBy(i,d){key=cols[i];dir=d;heads.forEach(function(h){h.className='';});heads[i].className=d>0?'asc':'desc';}
heads.forEach(function(th,i){th.addEventListener('click',function(){
 sortBy(i,(key===cols[i])?-dir:1);draw();});});
// a link can carry the view: report.html#filter=type_mismatch&sort=field&desc
var h=new URLSearchParams(location.hash.slice(1)),names=['file','field','code','severity','message','value'];
if(h.get('filter'))box.value=h.get('filter');
if(names.indexOf(h.get('sort'))>=0)sortBy(names.indexOf(h.get('sort')),h.has('desc')?-1:1);
box.addEventListener('input',draw);draw();
})();
"""


def _figure(label: str, value: int, cls: str = "") -> str:
    return f'<div class="figure {cls}" data-figure="{label}"><b>{value:,}</b>{html.escape(label)}</div>'


def render_page(
    command: str,
    summary: Summary,
    fields: Counter[str],
    files: Counter[str],
    rows: list[list[Any]],
) -> str:
    noun = f"{summary.noun}s"
    figures = "".join(
        [
            _figure("files", summary.files),
            _figure(noun, summary.objects),
            _figure("valid", summary.valid, "ok"),
            _figure("invalid", summary.invalid, "bad" if summary.invalid else ""),
            _figure("issues", summary.issues, "bad" if summary.errors else ""),
            _figure("errors", summary.errors, "bad" if summary.errors else ""),
            _figure("warnings", summary.warnings),
        ]
    )
    timing = f"<p>{html.escape(timing_line(summary))}</p>" if summary.elapsed is not None else ""
    charts = (
        _bars("Issues by code", summary.codes_by_count(), "chart-codes")
        + _bars("Fields most often wrong", fields, "chart-fields")
        + _bars("Issues by file", files, "chart-files")
    )
    # </script> inside the data would end the element: JSON's \u003c keeps it data
    data = json.dumps(rows, ensure_ascii=True).replace("<", "\\u003c")
    listed = f"the first {len(rows):,} of {summary.issues:,}" if len(rows) < summary.issues else f"all {len(rows):,}"
    text_summary = html.escape("\n".join(summary_lines(summary)))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>schemakit {html.escape(command)} report</title>
<style>{_CSS}</style></head>
<body><header>
<h1>schemakit {html.escape(command)}: {summary.issues:,} issues in {summary.objects:,} {noun}</h1></header>
<main>
<section class="figures" id="figures">{figures}</section>
{timing}
<div class="charts">{charts}</div>
<section class="issues"><h2>Issues ({listed}; <span id="shown">{len(rows):,}</span> shown)</h2>
<input id="filter" type="search" placeholder="Filter: file, field, code, message, value" aria-label="filter issues">
<table id="issues"><thead><tr><th>file:line</th><th>field</th><th>code</th><th>severity</th><th>message</th>
<th>value</th></tr></thead><tbody></tbody></table></section>
<p class="summary">{text_summary}</p>
</main>
<script type="application/json" id="rows">{data}</script>
<script>{_JS}</script>
</body></html>
"""
