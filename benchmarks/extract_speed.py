"""Extraction speed (read → parse, no Prefect, no GX) per layout, against the parse floor, and a
byte-for-byte check that a faster extractor prints the same records.

The floor of a web page is a lexbor parse and one walk over its cells (`len(td.text())` of every
`<td>`); of a text file, decoding it and splitting every line at `|`. Read and parse are timed
apart, per layout of a synthetic corpus (`../shared/tools/synth_corpus.py`) and per format of the
shared corpus. Documents are timed one after the other, so the parser's caches hold what the
documents before left there, as in a batch.

    python benchmarks/extract_speed.py [--synth DIR] [--n 200]      # speed
    python benchmarks/extract_speed.py --save DIR [--synth DIR]     # the canonical JSON of every document
    python benchmarks/extract_speed.py --check DIR [--synth DIR]    # the same, compared with a --save
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tasks.extract import record_of_file  # noqa: E402
from tasks.parse import parse_record  # noqa: E402
from tasks.read import UnreadableDocument, detect_format, read_document, read_path  # noqa: E402
from tasks.read.text import decode_text  # noqa: E402

SHARED = REPO.parent / "shared"
CORPORA = [SHARED / "corpus" / d for d in ("seeds", "real", "legacy")] + [
    REPO / "tests" / "fixtures" / "real",
    REPO / "samples" / "reports",
]


def _floor(data: bytes) -> None:
    """What any extractor must do: parse the page and visit every cell (or decode and split lines);
    nothing for PDF and DOCX, whose readers' own libraries are their floor."""
    fmt = detect_format(data)
    if fmt == "html":
        from selectolax.lexbor import LexborHTMLParser

        tree = LexborHTMLParser(data)
        sum(len(td.text()) for td in tree.css("td"))
    elif fmt == "text":
        text = decode_text(data, "floor")[0]
        sum(len(cell) for line in text.splitlines() for cell in line.split("|"))


def _best(fn, rounds: int) -> float:
    """The fastest of `rounds` runs, in CPU seconds (less disturbed than wall time on a loaded machine)."""
    times = []
    for _ in range(rounds):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def _timings(path: Path, data: bytes, rounds: int) -> tuple[float, float, float]:
    """(read, parse, floor) seconds of one document."""
    doc = read_document(data, path.name)
    read_s = _best(lambda: read_document(data, path.name), rounds)
    parse_s = _best(lambda: parse_record(doc), rounds)
    floor_s = _best(lambda: _floor(data), rounds) if detect_format(data) in ("html", "text") else 0.0
    return read_s, parse_s, floor_s


def _synthetic(n: int, seed: int) -> Path:
    out = Path(tempfile.mkdtemp(prefix="ogi-speed-")) / "synth"
    tool = SHARED / "tools" / "synth_corpus.py"
    subprocess.run([sys.executable, str(tool), str(out), "--n", str(n), "--seed", str(seed)], check=True)
    return out


def _layouts(synth: Path) -> dict[Path, str]:
    with open(synth / "manifest.tsv", encoding="utf-8") as f:
        return {synth / row["doc"]: row["layout"] for row in csv.DictReader(f, delimiter="\t")}


def _documents(synth: Path | None) -> list[Path]:
    files = [p for d in CORPORA for p in sorted(d.rglob("*")) if p.is_file() and "truth" not in p.parts]
    return files + (sorted(_layouts(synth)) if synth else [])


def speed(synth: Path, rounds: int) -> None:
    groups: dict[str, list[tuple[float, float, float]]] = {}
    for path, layout in _layouts(synth).items():
        groups.setdefault(layout, []).append(_timings(path, path.read_bytes(), rounds))
    for path in _documents(None):
        if path.parent.name == "altered" or path.parent.parent.name == "reports":
            continue  # samples/reports repeats the corpus
        try:
            fmt = read_path(path).format
            row = _timings(path, path.read_bytes(), 1 if path.suffix == ".pdf" else rounds)
        except UnreadableDocument:
            continue
        groups.setdefault("corpus-" + fmt, []).append(row)
    print(f"{'layout':12} {'docs':>5} {'read ms':>8} {'parse ms':>9} {'total ms':>9} {'floor ms':>9} {'ratio':>6}")
    for name, rows in sorted(groups.items()):
        read_ms, parse_ms, floor_ms = (1000 * statistics.mean(col) for col in zip(*rows))
        total = read_ms + parse_ms
        ratio = f"{total / floor_ms:>5.1f}×" if floor_ms > 0.001 else f"{'-':>6}"
        print(f"{name:12} {len(rows):>5} {read_ms:>8.2f} {parse_ms:>9.2f} {total:>9.2f} {floor_ms:>9.2f} {ratio}")


def _canonical(path: Path) -> str:
    """The record `ogi extract --json` prints, and a digest of the document the reader made."""
    record, _ = record_of_file(path)
    try:
        doc = repr(read_path(path))
    except UnreadableDocument as exc:
        doc = exc.reason
    digest = hashlib.sha256(doc.encode("utf-8", errors="surrogatepass")).hexdigest()
    return json.dumps(record, ensure_ascii=False) + "\n" + digest + "\n"


def _name(path: Path) -> str:
    """A file name for a document's JSON, the same in every checkout (its path within the repository)."""
    path = path.resolve()
    where = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    return hashlib.sha1(str(where).encode()).hexdigest()[:16] + "_" + path.name + ".json"


def save_or_check(out: Path, synth: Path | None, check: bool) -> int:
    out.mkdir(parents=True, exist_ok=True)
    differ = 0
    files = _documents(synth)
    for path in files:
        now = _canonical(path)
        target = out / _name(path)
        if not check:
            target.write_text(now, encoding="utf-8")
        elif not target.exists() or target.read_text(encoding="utf-8") != now:
            differ += 1
            print(f"DIFFERS {path}")
    print(f"{len(files)} documents {'checked' if check else 'saved'}, {differ} differ")
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth", type=Path, help="a synth_corpus.py output (default: a new one of --n documents)")
    ap.add_argument("--n", type=int, default=200, help="synthetic documents to generate when --synth is not given")
    ap.add_argument("--seed", type=int, default=3)
    # more than one round times a document's parse again with its own labels and cells cached
    ap.add_argument("--rounds", type=int, default=1, help="runs per document, the fastest counts (default 1)")
    ap.add_argument("--save", type=Path, metavar="DIR", help="write the canonical JSON of every document to DIR")
    ap.add_argument("--check", type=Path, metavar="DIR", help="compare every document's JSON with DIR (a --save)")
    args = ap.parse_args()
    if args.save or args.check:
        return save_or_check(args.save or args.check, args.synth, check=bool(args.check))
    speed(args.synth or _synthetic(args.n, args.seed), args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
