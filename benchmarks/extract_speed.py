"""Extraction speed (read → parse, no Prefect, no GX) per document format on the shared corpus.

Prints documents per second and ms per document; run: .venv/bin/python benchmarks/extract_speed.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tasks.parse import parse_document  # noqa: E402
from tasks.read import read_document  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"


def main(rounds: int = 5) -> None:
    files = sorted(p for d in ("seeds", "real", "legacy") for p in (CORPUS / d).glob("*.*"))
    data = {p: p.read_bytes() for p in files}
    parse_document(read_document(data[files[0]], files[0].name))  # warm caches (division table)
    by_format: dict[str, list[float]] = {}
    for path in files:
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            parse_document(read_document(data[path], path.name))
            times.append(time.perf_counter() - start)
        by_format.setdefault(path.suffix.lstrip("."), []).append(statistics.median(times))
    print(f"{'format':8} {'docs':>4} {'ms/doc (median)':>16} {'docs/s':>8}")
    for fmt, times in sorted(by_format.items()):
        ms = statistics.median(times) * 1000
        print(f"{fmt:8} {len(times):>4} {ms:>16.1f} {1000 / ms:>8.1f}")
    everything = [t for ts in by_format.values() for t in ts]
    median_ms = statistics.median(everything) * 1000
    print(f"{'all':8} {len(everything):>4} {median_ms:>16.1f} {len(everything) / sum(everything):>8.1f}")


if __name__ == "__main__":
    main()
