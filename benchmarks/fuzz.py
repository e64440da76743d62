"""Fuzzing every public entry point at volume: odd values and mutated fixtures in, only issues or documented errors out.

Run: ``.venv/bin/python benchmarks/fuzz.py --inputs 100000`` (per pillar; ``--pillar filters`` for one).

An input is an odd value from ``schemakit.strategies._odd.corpus()``, a fixture
(bucket schemas, filters, manifests) with one part replaced by an odd value, or a
random JSON-like value. Each entry point is called with it; a result or a
``SchemakitError`` is the contract, anything else is counted as an undocumented
exception and the first few are printed with their input's description.
The table gives, per pillar: inputs, undocumented exceptions, the slowest input
and its time.
"""

from __future__ import annotations

import argparse
import copy
import random
import time
import traceback
from pathlib import Path
from typing import Any

from schemakit import SchemakitError
from schemakit._issues import describe
from schemakit.strategies._odd import PILLARS, SEEDS, corpus


def _mutate(rng: random.Random, value: Any, odd: list[Any]) -> Any:
    """A deep copy of ``value`` with one nested part replaced by an odd value."""
    out = copy.deepcopy(value)
    node = out
    for _ in range(rng.randint(1, 5)):
        if isinstance(node, dict) and node:
            key = rng.choice(list(node))
            if rng.random() < 0.4 or not isinstance(node[key], (dict, list)):
                node[key] = rng.choice(odd)
                return out
            node = node[key]
        elif isinstance(node, list) and node:
            index = rng.randrange(len(node))
            if rng.random() < 0.4 or not isinstance(node[index], (dict, list)):
                node[index] = rng.choice(odd)
                return out
            node = node[index]
        else:
            break
    return out


def inputs(rng: random.Random, odd: list[Any]) -> Any:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(odd)
    if roll < 0.9:
        return _mutate(rng, rng.choice(SEEDS), odd)
    return {rng.choice(["a", "AND", "properties", "field"]): rng.choice(odd)}


def fuzz(pillar: str, count: int, seed: int, show: int) -> tuple[int, int, str, float]:
    rng = random.Random(seed)
    odd = corpus()
    entries = PILLARS[pillar]
    undocumented = 0
    slowest = ("", 0.0)
    for i in range(count):
        name, entry = entries[i % len(entries)]
        value = inputs(rng, odd)
        start = time.perf_counter()
        try:
            entry(value)
        except SchemakitError:
            pass
        except Exception as exc:  # the point of the run: anything but a documented error is a finding
            undocumented += 1
            if undocumented <= show:
                where = traceback.extract_tb(exc.__traceback__)[-1]
                print(
                    f"  {pillar}.{name}({describe(value)}): {type(exc).__name__}: {describe(str(exc))[7:]}"
                    f" at {Path(where.filename).name}:{where.lineno}"
                )
        elapsed = time.perf_counter() - start
        if elapsed > slowest[1]:
            slowest = (f"{name}({describe(value)})", elapsed)
    return count, undocumented, slowest[0], slowest[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs per pillar")
    parser.add_argument("--pillar", action="append", choices=sorted(PILLARS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=5, help="undocumented exceptions to print per pillar")
    args = parser.parse_args()
    rows = []
    for pillar in args.pillar or list(PILLARS):
        rows.append((pillar, *fuzz(pillar, args.inputs, args.seed, args.show)))
    print("\n| pillar | inputs | undocumented exceptions | slowest input | time s |")
    print("|---|---:|---:|---|---:|")
    for pillar, count, bad, slow, elapsed in rows:
        print(f"| {pillar} | {count:,} | {bad:,} | {slow} | {elapsed:.3f} |")


if __name__ == "__main__":
    main()
