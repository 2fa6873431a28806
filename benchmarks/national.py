"""National scale: N synthetic reports through `ogi backfill`, end to end, measured.

Generates N reports with ../shared/tools/synth_corpus.py, runs `ogi backfill` on them in a fresh
warehouse (a real subprocess: Prefect start-up, staging, extraction, gate, load) and prints
reports/s, each stage's share, peak RSS of the process tree, warehouse bytes per report, what the
stages do not account for (Prefect, start-up) and the accuracy of a sample against the synthetic
truth, wrong values counted apart from missing ones.

    .venv/bin/python benchmarks/national.py                 # 2,000 reports, a quick run
    .venv/bin/python benchmarks/national.py --n 100000      # a national year
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SYNTH = REPO.parent / "shared" / "tools" / "synth_corpus.py"

from tasks.evaluate import score  # noqa: E402
from tasks.record import Record  # noqa: E402


def generate(out: Path, truth: Path, n: int, seed: int, years: str) -> float:
    """The synthetic reports under `out`, their truth files moved to `truth` (the backfill reads only
    reports; the generator writes YEAR/docs and YEAR/truth side by side, and a manifest)."""
    started = time.perf_counter()
    made = subprocess.run([sys.executable, str(SYNTH), str(out), "--n", str(n), "--seed", str(seed), "--years", years,
                           "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    if made.returncode:  # e.g. more reports than the generator has agencies for one year: --years 2022-2023
        sys.exit(f"national.py: the generator refused (--n {n}, --years {years}): {made.stderr.strip()}")
    truth.mkdir(parents=True)
    for year in out.glob("*/truth"):
        year.rename(truth / year.parent.name)
    (out / "manifest.tsv").rename(truth / "manifest.tsv")
    return time.perf_counter() - started


class PeakRss:
    """Peak resident memory of a process and all its descendants, sampled every 0.2 s: the tree's
    peak, the process's own at that moment, and when it came (seconds from the start)."""

    def __init__(self, pid: int) -> None:
        self.peak, self.own, self.at = 0, 0, 0.0
        self._pid, self._done, self._started = pid, threading.Event(), time.perf_counter()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.2):
            try:
                root = psutil.Process(self._pid)
                own = root.memory_info().rss
                total = own + sum(p.memory_info().rss for p in root.children(recursive=True) if p.is_running())
            except psutil.Error:
                continue
            if total > self.peak:
                self.peak, self.own, self.at = total, own, time.perf_counter() - self._started

    def stop(self) -> PeakRss:
        self._done.set()
        self._thread.join()
        return self


def backfill(src: Path, wh: Path, years: str, workers: int) -> tuple[dict, float, PeakRss]:
    cmd = [sys.executable, "-m", "flows.cli", "backfill", str(src), "--years", years, "--warehouse", str(wh),
           "--format", "json"] + (["--workers", str(workers)] if workers else [])  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    rss = PeakRss(proc.pid)
    out, _ = proc.communicate()
    wall = time.perf_counter() - started
    peak = rss.stop()
    if proc.returncode not in (0, 3, 4):
        raise SystemExit(f"ogi backfill failed (exit {proc.returncode})")
    return json.loads(out), wall, peak


def accuracy(truth: Path, wh: Path, sample: int, seed: int) -> dict[str, int]:
    """Cells right / wrong (a number that is not the truth) / missing, over a sample of documents."""
    truths = sorted(truth.glob("*/*.json"))
    chosen = random.Random(seed).sample(truths, min(sample, len(truths)))
    con = duckdb.connect(str(wh), read_only=True)
    totals = {"documents": 0, "cells": 0, "right": 0, "wrong": 0, "missing": 0}
    try:
        for path in chosen:
            truth = json.loads(path.read_text(encoding="utf-8"))
            row = con.execute(
                "select d.record::varchar from documents d join document_arrivals a using (document_id) "
                "where a.original_name = ? limit 1",
                [truth["source"]],
            ).fetchall()
            if not row or row[0][0] is None:
                continue
            s = score(Record.from_json(row[0][0]), truth)
            totals["documents"] += 1
            totals["cells"] += s.cells_total
            totals["right"] += s.cells_right
            wrong = sum(1 for w in s.wrong if not w.endswith("missing") and not w.endswith("got None"))
            totals["wrong"] += wrong
            totals["missing"] += len(s.wrong) - wrong
    finally:
        con.close()
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="synthetic reports (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--years", default="2023", help="report years to generate (default 2023)")
    parser.add_argument("--workers", type=int, default=0, help="ogi backfill --workers (default: none)")
    parser.add_argument("--sample", type=int, default=500, help="documents scored against the truth")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ogi-national-") as tmp:
        src, truth, wh = Path(tmp) / "corpus", Path(tmp) / "truth", Path(tmp) / "wh" / "ogi.duckdb"
        gen_s = generate(src, truth, args.n, args.seed, args.years)
        result, wall, rss = backfill(src, wh, args.years, args.workers)
        size = wh.stat().st_size
        acc = accuracy(truth, wh, args.sample, args.seed)
    stages = result.get("seconds", {})
    staged_s = sum(stages.values())
    print(f"machine          {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB")
    print(f"reports          {args.n} (generated in {gen_s:.1f} s, seed {args.seed}, years {args.years}); "
          f"files backfilled {result.get('files')}")  # fmt: skip
    print(f"wall clock       {wall:.1f} s = {args.n / wall:.1f} reports/s (start-up included)")
    for stage, s in stages.items():
        print(f"  {stage:14} {s:8.1f} s  {s / wall:6.1%}")
    print(f"  {'other':14} {wall - staged_s:8.1f} s  {(wall - staged_s) / wall:6.1%}  (Prefect, start-up, summary)")
    print(f"peak RSS         {rss.peak / 2**20:.0f} MiB (process tree), {rss.at:.0f} s into the backfill; "
          f"the backfill process itself {rss.own / 2**20:.0f} MiB then")  # fmt: skip
    print(f"warehouse        {size / 2**20:.1f} MiB = {size / args.n / 1024:.1f} KiB per report")
    cells = acc["cells"] or 1
    print(f"accuracy         {acc['documents']} documents sampled: cells {acc['right']}/{acc['cells']} = "
          f"{acc['right'] / cells:.3%}; wrong values {acc['wrong']}; missing {acc['missing']}")  # fmt: skip


if __name__ == "__main__":
    main()
