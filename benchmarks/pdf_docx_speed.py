"""Speed of the PDF and DOCX readers beside the parse they cannot avoid.

PDF: pages/second of `tasks.read.pdf.read` next to pdfplumber's own page parse (`page.chars`,
which interprets the content stream once; `extract_words` on top of it for reference), on the
real Huai'an reports and on reports rendered from their truth files (reportlab, and LibreOffice
from the filled template when `soffice` is installed). DOCX: documents/second of
`tasks.read.docx.read` next to python-docx opening the package.

    .venv/bin/python benchmarks/pdf_docx_speed.py [--repeat 5]

Each figure is the least CPU time of --repeat interleaved runs (the machine is shared; the
least disturbed run is the fairest comparison).
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx
import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

# the renderers live with the tests; tasks is importable once the project is installed
from render import docx_to_pdf, render_docx, render_pdf  # noqa: E402

from tasks.read.docx import read as read_docx  # noqa: E402
from tasks.read.pdf import read as read_pdf  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def best_seconds(jobs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """The shortest CPU time of each job over `repeat` rounds; rounds interleave the jobs so a
    burst of load from other processes hits all of them alike.
    """
    best = dict.fromkeys(jobs, float("inf"))
    for _ in range(repeat):
        for name, work in jobs.items():
            start = time.process_time()
            work()
            best[name] = min(best[name], time.process_time() - start)
    return best


def parse_chars(files: list[bytes]) -> None:
    """pdfplumber's page parse: every page's chars (one content-stream interpretation)."""
    for data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                assert page.chars is not None
                page.close()


def parse_words(files: list[bytes]) -> None:
    """pdfplumber's page parse plus word grouping."""
    for data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_words()
                page.close()


def page_count(files: list[bytes]) -> int:
    total = 0
    for data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            total += len(pdf.pages)
    return total


def pdf_sets(work: Path) -> dict[str, list[bytes]]:
    """Named groups of PDFs: the real reports and the ones rendered from their truth."""
    real = sorted((CORPUS / "real").glob("*.pdf"))
    truths = [json.loads((p.parent / "truth" / f"{p.stem}.json").read_text("utf-8")) for p in real]
    sets = {"real Huai'an reports": [p.read_bytes() for p in real]}
    sets["reportlab-rendered"] = [
        render_pdf(t, work / f"rl_{i}.pdf", rows_per_page=14).read_bytes() for i, t in enumerate(truths)
    ]
    if shutil.which("soffice"):
        docs = [render_docx(t, work / f"lo_{i}.docx") for i, t in enumerate(truths)]
        sets["LibreOffice from template"] = [docx_to_pdf(d, work).read_bytes() for d in docs]
    return sets


def docx_files(work: Path) -> list[bytes]:
    real = sorted((CORPUS / "real" / "truth").glob("*huaian*.json"))
    truths = [json.loads(p.read_text("utf-8")) for p in real]
    filled = [render_docx(t, work / f"d_{i}.docx").read_bytes() for i, t in enumerate(truths)]
    return [(CORPUS / "reference" / "national-template-2021-blank.docx").read_bytes(), *filled]


def pdf_row(name: str, files: list[bytes], repeat: int) -> str:
    """One line of the PDF table: ms/page of each parse and of the reader, reader pages/s."""
    pages = page_count(files)
    best = best_seconds(
        {
            "chars": lambda: parse_chars(files),
            "words": lambda: parse_words(files),
            "reader": lambda: [read_pdf(d, f"{i}.pdf") for i, d in enumerate(files)],
        },
        repeat,
    )
    chars, words, reader = (best[k] / pages for k in ("chars", "words", "reader"))
    return (
        f"{name:28} {pages:5d} {chars * 1e3:10.1f} {words * 1e3:10.1f} "
        f"{reader * 1e3:11.1f} {1 / reader:10.1f} {reader / chars - 1:+8.0%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (best is kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"{'PDF set':28} {'pages':>5} {'chars ms/p':>10} {'words ms/p':>10} "
              f"{'reader ms/p':>11} {'reader p/s':>10} {'vs chars':>8}")  # fmt: skip
        for name, files in pdf_sets(work).items():
            print(pdf_row(name, files, args.repeat))
        files = docx_files(work)
        best = best_seconds(
            {
                "open": lambda: [docx.Document(io.BytesIO(d)) for d in files],
                "reader": lambda: [read_docx(d, f"{i}.docx") for i, d in enumerate(files)],
            },
            args.repeat,
        )
        opened, reader, n = best["open"], best["reader"], len(files)
        print(f"\nDOCX ({n} documents, the 2021 template blank and filled): python-docx open "
              f"{opened / n * 1e3:.1f} ms/doc; reader {reader / n * 1e3:.1f} ms/doc = "
              f"{n / reader:.0f} documents/s")  # fmt: skip


if __name__ == "__main__":
    main()
