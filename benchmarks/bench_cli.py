"""Large-file benchmark of ``schemakit validate``: throughput and peak memory on a generated JSONL.

Generates (once, cached in ``benchmarks/_data/``, git-ignored) a JSON Lines file
of ``--objects`` product objects (default 1,000,000, about 300 MB; 99% valid,
1% with varied errors) for a realistic bucket schema, then runs, in the same
session and on the same file:

* ``schemakit validate`` with ``--jobs 1`` and ``--jobs 2`` (the installed console script), and
  ``--jobs 1`` once more with a ``unique_key`` on ``sku`` (every key is then remembered);
* two ``--jobs 1`` runs side by side, each over the whole file: no program on two processes can
  gain more from the second core than that pair does, so it is the machine's own ceiling for
  ``--jobs 2`` (on a shared virtual machine two busy vCPUs are often well short of 2x one);
* a check-jsonschema-style baseline: one Python process that streams the file
  and runs ``jsonschema.Draft202012Validator(v.json_schema()).iter_errors`` per
  object, with format checking on (check-jsonschema's default).

The schemakit rows and the orjson loop run ``--repeat`` times (default 3), in rounds, and
the table gives each row's median, with every run's wall time beside it; the jsonschema
baseline takes minutes and runs once. Each run is a subprocess; its peak memory is the highest *sum* of the resident
set sizes of the process and all its descendants, sampled from ``/proc`` every
50 ms (``ru_maxrss`` would report only the largest single process, which hides
worker processes). Linux only, for that reason.

    .venv/bin/python benchmarks/bench_cli.py                  # 1,000,000 objects
    .venv/bin/python benchmarks/bench_cli.py --objects 200000 # quicker
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"

BUCKET = {
    "bucket_name": "product-catalog",
    "description": "Product photos, manuals and catalog metadata",
    "bucket_schema": {
        "properties": {
            "sku": {"type": "string", "required": True},
            "product_image": {"type": "image", "required": True},
            "manual": {"type": "pdf"},
            "category": {"type": "string", "enum": ["shoes", "bags", "watches", "jackets", "hats"]},
            "metadata": {
                "type": "object",
                "required": True,
                "properties": {
                    "title": {"type": "string", "required": True},
                    "price": {"type": "number", "required": True},
                    "currency": {"type": "string", "enum": ["USD", "EUR", "GBP"], "default": "USD"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "in_stock": {"type": "boolean"},
                    "released": {"type": "date"},
                    "updated_at": {"type": "datetime"},
                    "dimensions": {
                        "type": "object",
                        "properties": {"width_cm": {"type": "number"}, "height_cm": {"type": "number"}},
                    },
                },
            },
        }
    },
    "unique_key": None,
}

CATEGORIES = ["shoes", "bags", "watches", "jackets", "hats"]
WORDS = ["classic", "leather", "trail", "urban", "vintage", "slim", "sport", "canvas", "alpine", "studio"]


def make_object(i: int, rng: random.Random) -> dict[str, object]:
    obj: dict[str, object] = {
        "sku": f"SKU-{i:08d}",
        "key_prefix": f"/catalog/{CATEGORIES[i % 5]}/{i}",
        "category": CATEGORIES[i % 5],
        "blobs": [
            {"property": "product_image", "type": "image", "data": f"https://cdn.example.com/img/{i}.jpg"},
        ],
        "metadata": {
            "title": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {CATEGORIES[i % 5][:-1]}",
            "price": round(rng.uniform(5, 900), 2),
            "currency": rng.choice(["USD", "EUR", "GBP"]),
            "tags": rng.sample(WORDS, 3),
            "in_stock": rng.random() < 0.8,
            "released": f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "updated_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T10:{rng.randint(0, 59):02d}:00Z",
            "dimensions": {"width_cm": rng.randint(5, 80), "height_cm": rng.randint(5, 80)},
        },
    }
    if i % 7 == 0:
        obj["blobs"].append(  # type: ignore[attr-defined]
            {"property": "manual", "type": "pdf", "data": f"s3://manuals/{i}.pdf"}
        )
    if i % 100 == 99:
        _break(obj, i)
    return obj


def _break(obj: dict[str, object], i: int) -> None:
    """One of several realistic mistakes (1% of objects)."""
    meta = obj["metadata"]
    assert isinstance(meta, dict)
    kind = (i // 100) % 6
    if kind == 0:
        meta["price"] = str(meta["price"])  # a string price
    elif kind == 1:
        del meta["title"]
    elif kind == 2:
        meta["released"] = "2024-02-30"
    elif kind == 3:
        obj["category"] = "sandals"
    elif kind == 4:
        obj["blobs"] = [{"property": "product_image", "type": "video", "data": "https://cdn.example.com/x.mp4"}]
    else:
        obj["blobs"] = [{"property": "product_imgae", "type": "image", "data": "https://cdn.example.com/x.jpg"}]


def generate(path: Path, count: int) -> None:
    marker = path.with_suffix(".count")
    if path.exists() and marker.exists() and marker.read_text().strip() == str(count):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20240105)
    t0 = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        batch: list[str] = []
        for i in range(count):
            batch.append(json.dumps(make_object(i, rng), separators=(",", ":")))
            if len(batch) == 10_000:
                f.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            f.write("\n".join(batch) + "\n")
    marker.write_text(str(count))
    print(f"generated {count:,} objects, {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.1f} s")


# The floor for any Python validator: decoding each line and nothing else.
ORJSON_LOOP = r"""
import sys
import orjson
loads = orjson.loads
objects = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        loads(line)
        objects += 1
print(f"{objects} objects decoded", file=sys.stderr)
"""

PAIR = "two --jobs 1 runs side by side (the ceiling for 2 processes)"

# Two independent runs of one command, started together; exits with the worse of the two codes.
SIDE_BY_SIDE = r"""
import subprocess, sys
procs = [subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL) for _ in range(2)]
sys.exit(max(p.wait() for p in procs))
"""

BASELINE = r"""
import json, sys
import jsonschema
import schemakit
bucket = json.load(open(sys.argv[1]))
v = schemakit.compile_schema(bucket["bucket_schema"], unique_key=bucket.get("unique_key"))
cls = jsonschema.Draft202012Validator
validator = cls(v.json_schema(), format_checker=cls.FORMAT_CHECKER)
objects = invalid = 0
with open(sys.argv[2], "rb") as f:
    for line in f:
        objects += 1
        errors = list(validator.iter_errors(json.loads(line)))
        if errors:
            invalid += 1
            for e in errors:
                print(f"{sys.argv[2]}:{objects}: {e.json_path}: {e.message}")
print(f"{objects} objects, {invalid} invalid", file=sys.stderr)
sys.exit(1 if invalid else 0)
"""


def _tree_rss_kb(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            # workers are forked by the main thread, so its children file lists them all
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


@dataclass
class Run:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    code: int
    digest: str

    def rate(self, n: int) -> float:
        return n / self.wall


# The summary's timing line differs between any two runs; the digest compares the rest.
TIMING_LINE = re.compile(rb"^elapsed [0-9.]+ s, [0-9,]+ [a-z]+/s\n", re.MULTILINE)


def measure(name: str, cmd: list[str]) -> Run:
    """Wall and CPU time, peak tree RSS, exit code and a digest of stdout of one command.

    CPU time comes from wait4, which includes the worker processes the command
    waited for; on a shared machine it is the steadier measure of cost.
    """
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        peak = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        digest = hashlib.sha256(TIMING_LINE.sub(b"", out.read())).hexdigest()[:12]
    return Run(name, elapsed, usage.ru_utime + usage.ru_stime, peak / 1024, proc.returncode, digest)


def median_run(runs: list[Run]) -> Run:
    """One row for several runs of a command: median wall and CPU time, the highest peak memory.

    Every run's exit code and report digest must agree; a difference shows as ``DIFFERENT``.
    """
    codes = {r.code for r in runs}
    digests = {r.digest for r in runs}
    return Run(
        runs[0].name,
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.peak_mb for r in runs),
        codes.pop() if len(codes) == 1 else -1,
        digests.pop() if len(digests) == 1 else "DIFFERENT",
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", type=int, default=1_000_000)
    ap.add_argument("--skip-baseline", action="store_true", help="only the schemakit runs")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each schemakit row and of the orjson loop, in rounds; the table gives the median (default 3)",
    )
    args = ap.parse_args()

    exe = shutil.which("schemakit", path=str(Path(sys.executable).parent)) or shutil.which("schemakit")
    if exe is None:
        sys.exit("the schemakit console script is not installed (pip install -e .)")
    data = DATA / f"products_{args.objects}.jsonl"
    bucket = DATA / "product_bucket.json"
    keyed = DATA / "product_bucket_unique_sku.json"
    DATA.mkdir(parents=True, exist_ok=True)
    bucket.write_text(json.dumps(BUCKET, indent=2))
    keyed.write_text(json.dumps({**BUCKET, "unique_key": {"fields": ["sku"]}}, indent=2))
    generate(data, args.objects)
    size_mb = data.stat().st_size / 1e6

    repeated = [
        ("bare orjson.loads loop (1 process)", [sys.executable, "-c", ORJSON_LOOP, str(data)]),
        ("schemakit validate --jobs 1", [exe, "validate", str(bucket), str(data), "--jobs", "1"]),
        ("schemakit validate --jobs 2", [exe, "validate", str(bucket), str(data), "--jobs", "2"]),
        # the one state that grows: every distinct unique-key value is remembered across files
        ("schemakit validate --jobs 1, unique_key sku", [exe, "validate", str(keyed), str(data), "--jobs", "1"]),
        (PAIR, [sys.executable, "-c", SIDE_BY_SIDE, exe, "validate", str(bucket), str(data), "--jobs", "1"]),
    ]
    once = []
    if not args.skip_baseline:
        once.append(
            ("jsonschema iter_errors per object (1 process)", [sys.executable, "-c", BASELINE, str(bucket), str(data)])
        )
    python = sys.version.split()[0]
    print(f"\n{args.objects:,} objects, {size_mb:.0f} MB JSONL, {os.cpu_count()} CPUs, Python {python}\n")
    load_before = os.getloadavg()
    # rounds, not one row's repeats back to back: a slow spell of a shared machine then slows
    # every row a little rather than one row a lot; the jsonschema baseline (minutes) runs once
    trials: dict[str, list[Run]] = {}
    for round_no in range(1, max(args.repeat, 1) + 1):
        for name, cmd in repeated:
            run = measure(name, cmd)
            trials.setdefault(name, []).append(run)
            print(f"  done: {name}, round {round_no} ({run.wall:.1f} s)", file=sys.stderr)
    for name, cmd in once:
        trials[name] = [measure(name, cmd)]
        print(f"  done: {name} ({trials[name][0].wall:.1f} s)", file=sys.stderr)
    load_after = os.getloadavg()
    rows = [median_run(runs) for runs in trials.values()]
    walls = {name: [r.wall for r in runs] for name, runs in trials.items()}
    n = args.objects
    print(
        "load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}\n".format(
            *load_before, *load_after
        )
    )
    print(
        "| run | runs | wall s (median) | wall s of each run | objects/s | CPU s (all processes) "
        "| objects per CPU-second | peak RSS MB (all processes) | exit | stdout sha256 (timing masked) |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        each = ", ".join(f"{w:.1f}" for w in walls[r.name])
        # the side-by-side pair checks the file twice
        done = 2 * n if r.name == PAIR else n
        print(
            f"| {r.name} | {len(walls[r.name])} | {r.wall:.1f} | {each} | {done / r.wall:,.0f} | {r.cpu:.1f} "
            f"| {done / r.cpu:,.0f} | {r.peak_mb:.0f} | {r.code} | {r.digest} |"
        )
    by = {r.name: r for r in rows}
    floor, j1, j2, keyed_run, pair = (
        by["bare orjson.loads loop (1 process)"],
        by["schemakit validate --jobs 1"],
        by["schemakit validate --jobs 2"],
        by["schemakit validate --jobs 1, unique_key sku"],
        by[PAIR],
    )
    budget_mb = 64 + 64 * n / 2**20
    targets = [
        ("--jobs 1 vs the bare orjson.loads loop (objects/s)", j1.rate(n) / floor.rate(n), 0.25),
        ("--jobs 2 vs --jobs 1 (objects per wall second)", j2.rate(n) / j1.rate(n), 1.7),
        # informational: what the machine gave two independent processes in the same session
        ("two --jobs 1 side by side vs one (objects per wall second, the machine's ceiling)",
         pair.rate(2 * n) / j1.rate(n), "info"),
        ("--jobs 2 vs that ceiling (objects per wall second)", j2.rate(n) / pair.rate(2 * n), "info"),
        (f"unique_key peak RSS vs 64 MB + 64 B/object = {budget_mb:.0f} MB (lower is better)",
         keyed_run.peak_mb / budget_mb, None),
    ]
    base = by.get("jsonschema iter_errors per object (1 process)")
    if base is not None:
        targets.insert(1, ("--jobs 1 vs the jsonschema baseline (objects/s)", j1.rate(n) / base.rate(n), 80.0))
    print("\n| target | ratio | required | met |")
    print("|---|---:|---:|---|")
    for name, ratio, required in targets:
        if required == "info":
            print(f"| {name} | {ratio:.2f}x | (measured, no target) | |")
        elif required is None:
            met = "yes" if ratio <= 1.0 else "NO"
            print(f"| {name} | {ratio:.2f} | <= 1.00 | {met} |")
        else:
            met = "yes" if ratio >= required else "NO"
            print(f"| {name} | {ratio:.2f}x | >= {required}x | {met} |")
    same = j1.digest == j2.digest
    print(f"| --jobs 2 report byte-identical to --jobs 1 (timing line masked) | {'same' if same else 'DIFFERENT'} "
          f"| same | {'yes' if same else 'NO'} |")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
