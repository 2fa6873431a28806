"""The team's scoreboard: extraction against hand-checked truth, cell by cell."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tasks.parse import parse_record
from tasks.read import UnreadableDocument, read_path
from tasks.record import Record, cell_paths


def same_agency(found: str | None, truth: str | None) -> bool:
    """Names match if equal after dropping spaces and an inner 人民政府 (县人民政府X街道 = 县X街道)."""
    if not found or not truth:
        return found == truth

    def canon(name: str) -> str:
        name = re.sub(r"\s+", "", name)
        return re.sub(r"人民政府(?=.)", "", name)

    return canon(found) == canon(truth)


def truth_cells(truth: dict[str, Any]) -> dict[str, Any]:
    """Every cell the truth file states, as 'table3.granted.total' → value."""
    return dict(cell_paths(truth))


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) < 1e-9
    return a == b


@dataclass
class DocScore:
    source: str
    cells_right: int = 0
    cells_total: int = 0
    cells_wrong: int = 0  # printed a value other than the truth: worse than missing
    cells_missing: int = 0  # absent, or null where the truth has a value
    template_ok: bool = False
    year_ok: bool = False
    agency_ok: bool = False
    wrong: list[str] = field(default_factory=list)
    error: str | None = None


def score(record: Record, truth: dict[str, Any]) -> DocScore:
    s = DocScore(truth["source"])
    for key, expected in truth_cells(truth).items():
        s.cells_total += 1
        present, got = record.prints(key), record.get(key)
        if present and _equal(got, expected):
            s.cells_right += 1
        elif present and got is not None:
            s.cells_wrong += 1
            s.wrong.append(f"{key}: expected {expected!r}, got {got!r} (wrong)")
        else:
            s.cells_missing += 1
            s.wrong.append(f"{key}: expected {expected!r}, {'null' if present else 'missing'}")
    s.template_ok = record.template == truth.get("template")
    s.year_ok = record.report_year == truth.get("report_year")
    s.agency_ok = same_agency(record.agency, truth.get("agency"))
    return s


def document_path(directory: Path, source: str) -> Path:
    """A truth file's document: beside truth/ (the corpora) or in docs/ (a synthetic year directory)."""
    beside = directory / source
    if beside.exists():
        return beside
    in_docs = directory / "docs" / source
    return in_docs if in_docs.exists() else beside


def evaluate_dir(directory: Path) -> list[DocScore]:
    """Score every document of `directory` that has `truth/<stem>.json` (documents beside truth/ or in docs/)."""
    scores = []
    for truth_path in sorted((directory / "truth").glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        doc_path = document_path(directory, truth["source"])
        try:
            record = parse_record(read_path(doc_path))
        except UnreadableDocument as exc:
            n = len(truth_cells(truth))
            s = DocScore(truth["source"], cells_total=n, cells_missing=n, error=exc.reason)
            scores.append(s)
            continue
        scores.append(score(record, truth))
    return scores
