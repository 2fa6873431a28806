"""Random reports through the layout-text readers: no cell may come back wrong.

Each report is a random 2021-template record (`tests/render.py` `random_record`: 1 to 5 digit
numbers, a random share of blank cells), printed two ways, the official DOCX template filled in
and converted by LibreOffice, and drawn with reportlab, each PDF exported as layout text by
`pdftotext -layout` and by pdfplumber, read and parsed, and scored against the record.

    python benchmarks/layout_stress.py [--n 20] [--seed 0] [--digits 5] [--keep DIR] [--show 20]

Prints cells, exact, wrong and missing per producer and text tool (and the documents a tool gave
no text of: pdftotext without poppler-data reads no CID font), then the wrong cells (a wrong number
is worse than a null: the figure that must stay 0).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

# the renderers live with the tests
from render import random_record, render_docx, render_pdf  # noqa: E402

from tasks.evaluate import score  # noqa: E402
from tasks.parse import parse_record  # noqa: E402
from tasks.read import UnreadableDocument, read_path  # noqa: E402


def pdftotext(pdf: Path, out: Path) -> Path:
    subprocess.run(["pdftotext", "-layout", str(pdf), str(out)], check=True, capture_output=True, timeout=120)
    return out


def plumber(pdf: Path, out: Path) -> Path:
    with pdfplumber.open(pdf) as doc:
        out.write_text("\n".join(page.extract_text(layout=True) for page in doc.pages), encoding="utf-8")
    return out


TOOLS = {"pdftotext": pdftotext, "pdfplumber": plumber}


def libreoffice_pdfs(docx_files: list[Path], out: Path) -> list[Path]:
    """All the DOCX files converted by one LibreOffice run (starting it costs more than a page)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("LibreOffice is not installed (soffice)")
    profile = out / "lo_profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, docx_files)],
        check=True, capture_output=True, timeout=60 + 10 * len(docx_files),
    )  # fmt: skip
    return [out / (p.stem + ".pdf") for p in docx_files]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20, help="random reports (default 20)")
    ap.add_argument("--seed", type=int, default=0, help="the first report's seed; report i uses seed+i")
    ap.add_argument("--digits", type=int, default=5, help="the most digits a number has (default 5)")
    ap.add_argument("--keep", type=Path, help="write the documents here (default: a temporary folder)")
    ap.add_argument("--show", type=int, default=20, help="wrong cells listed (default 20)")
    args = ap.parse_args()
    out = args.keep or Path(tempfile.mkdtemp(prefix="ogi-layout-stress-"))
    out.mkdir(parents=True, exist_ok=True)
    records = {f"r{args.seed + i}": random_record(args.seed + i, args.digits) for i in range(args.n)}
    start = time.perf_counter()
    for name, rec in records.items():
        (out / f"{name}.json").write_text(json.dumps(rec, ensure_ascii=False, indent=1), encoding="utf-8")
        render_pdf(rec, out / f"{name}.reportlab.pdf")
    lo = libreoffice_pdfs([render_docx(rec, out / f"{name}.libreoffice.docx") for name, rec in records.items()], out)
    render_s = time.perf_counter() - start
    totals: dict[tuple[str, str], list[int]] = {}
    wrong: list[str] = []
    for producer in ("libreoffice", "reportlab"):
        for tool, make in TOOLS.items():
            row = totals.setdefault((producer, tool), [0, 0, 0, 0, 0])
            for name, rec in records.items():
                text = make(out / f"{name}.{producer}.pdf", out / f"{name}.{producer}.{tool}.txt")
                try:
                    s = score(parse_record(read_path(text)), rec)
                except UnreadableDocument:  # pdftotext without poppler-data finds no text in a CID font
                    row[4] += 1
                    continue
                for i, v in enumerate((s.cells_total, s.cells_right, s.cells_wrong, s.cells_missing)):
                    row[i] += v
                wrong += [f"{text.name}  {w}" for w in s.wrong if w.endswith("(wrong)")]
    assert len(lo) == len(records)
    print(f"{args.n} reports, seeds {args.seed}..{args.seed + args.n - 1}, rendered in {render_s:.0f} s, in {out}")
    print(f"{'producer':12} {'text tool':11} {'cells':>6} {'exact':>6} {'wrong':>6} {'missing':>8} {'unreadable':>10}")
    for (producer, tool), (cells, exact, bad, missing, unreadable) in totals.items():
        print(f"{producer:12} {tool:11} {cells:>6} {exact:>6} {bad:>6} {missing:>8} {unreadable:>10}")
    for line in wrong[: args.show]:
        print("WRONG", line)
    if len(wrong) > args.show:
        print(f"… {len(wrong) - args.show} more")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
