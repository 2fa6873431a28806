"""The workflow around the gate: review the quarantine, correct a printed value, accept a report
whose source is wrong, and reprocess staged documents after an upgrade — always through the same
gate and the same one-transaction load, never losing a correction."""

from __future__ import annotations

import copy
import getpass
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

import warehouse
from tasks.evaluate import lookup, truth_cells
from tasks.extract import Extracted, extract_one
from tasks.load import LoadSummary, load_batch
from tasks.stage import Staged

CELL = re.compile(r"^(table2\.\w+\.\w+|table3\.\w+\.\w+|table4\.\w+)$")


class ReviewError(Exception):
    """A review command cannot be carried out; the message says why, for a person."""


@dataclass(frozen=True)
class StoredDocument:
    staged: Staged
    status: str
    record: dict[str, Any] | None


def docs_root(warehouse_path: Path) -> Path:
    """The GX project (suites, validation results, Data Docs) lives beside the warehouse."""
    return warehouse_path.parent


def find_document(warehouse_path: Path, ref: str) -> StoredDocument:
    """A document by sha256 (or a unique prefix of at least 6 characters) or by original file name."""
    with warehouse.reading(warehouse_path) as con:
        rows = con.execute(warehouse.query("find_document"), {"ref": ref}).fetchall()
    if not rows:
        raise ReviewError(f"no document matches '{ref}' (give its sha256, a prefix of it, or its file name)")
    if len({r[0] for r in rows}) > 1:
        names = ", ".join(sorted({f"{r[0][:12]} ({r[1]})" for r in rows}))
        raise ReviewError(f"'{ref}' matches several documents: {names}")
    doc, name, path, size, arrived, status, record = rows[0]
    return StoredDocument(Staged(doc, name, path, size, arrived), status, json.loads(record) if record else None)


def parse_assignments(record: dict[str, Any], assignments: list[str]) -> dict[str, float]:
    """'table3.granted.total=5' → {'table3.granted.total': 5.0}, for cells the record prints."""
    out = {}
    for a in assignments:
        key, sep, value = a.partition("=")
        key = key.strip()
        if not sep or not CELL.match(key):
            raise ReviewError(f"'{a}': expected CELL=VALUE, e.g. table3.granted.total=5 or table4.review_total=11")
        present, _ = lookup(record, key)
        if not present:
            raise ReviewError(f"'{key}' is not a cell of this report (see `ogi extract` for its cells)")
        try:
            out[key] = float(value)
        except ValueError:
            raise ReviewError(f"'{a}': the value must be a number") from None
    return out


def apply_corrections(record: dict[str, Any], corrections: list[tuple[str, float]]) -> dict[str, Any]:
    """A copy of the record with corrected values in place (what the gate checks and facts hold)."""
    fixed = copy.deepcopy(record)
    for key, value in corrections:
        *path, last = key.split(".")
        node = fixed
        for part in path:
            node = node.setdefault(part, {})
        node[last] = int(value) if float(value).is_integer() and not key.startswith("table2.") else value
    if corrections:
        fixed["corrections"] = [{"cell": k, "value": v} for k, v in corrections]
    return fixed


def current_corrections(warehouse_path: Path, document_id: str) -> dict[str, float]:
    with warehouse.reading(warehouse_path) as con:
        rows = con.execute(warehouse.query("corrections_of_document"), {"doc": document_id}).fetchall()
    return dict(rows)


def acceptance(warehouse_path: Path, document_id: str) -> str | None:
    with warehouse.reading(warehouse_path) as con:
        row = con.execute(warehouse.query("acceptance_of_document"), {"doc": document_id}).fetchall()
    return row[0][0] if row else None


def regate(warehouse_path: Path, records: list[dict[str, Any]]) -> tuple[list[Any], str]:
    """Report rules and cross-year rules on (corrected) records, with Data Docs rebuilt."""
    from expectations import load_catalogue
    from tasks.crossyear import neighbour_pairs
    from tasks.gate import gate

    catalogue = load_catalogue()
    if not records:
        return [], catalogue.suite_version
    root = docs_root(warehouse_path)
    results = gate(records, catalogue, docs_root=root)
    pairs = neighbour_pairs(warehouse_path, records)
    if pairs:
        results += gate(pairs, catalogue, scope="cross_year", docs_root=root)
    return results, catalogue.suite_version


def correct(
    warehouse_path: Path, ref: str, assignments: list[str], reason: str, by: str | None = None
) -> tuple[StoredDocument, LoadSummary, list[Any]]:
    """Record corrections, re-gate with them, and load the report if it now passes."""
    if not reason.strip():
        raise ReviewError("a correction needs --reason")
    doc = _report(warehouse_path, ref)
    new = parse_assignments(doc.record, assignments)
    fixes = current_corrections(warehouse_path, doc.staged.document_id) | new
    corrected = apply_corrections(doc.record, list(fixes.items()))
    results, suite_version = regate(warehouse_path, [corrected])
    now, who = datetime.now(), by or getpass.getuser()
    rows = []
    for key, value in new.items():
        table, *rest = key.split(".")
        row, col = (rest if table != "table4" else ["", rest[0]])
        printed = lookup(doc.record, key)[1]
        rows.append(
            {"document_id": doc.staged.document_id, "cell_key": key, "table_name": table, "row_key": row,
             "column_key": col, "printed_value": float(printed) if isinstance(printed, (int, float)) else None,
             "corrected_value": value, "reason": reason, "corrected_by": who, "corrected_at": now}
        )  # fmt: skip
    summary = _reload(warehouse_path, doc, results, suite_version, ("record_corrections", pl.DataFrame(rows)))
    return doc, summary, results


def accept(
    warehouse_path: Path, ref: str, reason: str, by: str | None = None
) -> tuple[StoredDocument, LoadSummary, list[Any]]:
    """Load a quarantined report as printed, recording the violations accepted and why."""
    if not reason.strip():
        raise ReviewError("an acceptance needs --reason")
    doc = _report(warehouse_path, ref)
    fixes = current_corrections(warehouse_path, doc.staged.document_id)
    results, suite_version = regate(warehouse_path, [apply_corrections(doc.record, list(fixes.items()))])
    failing = sorted({f"{r.rule_id}({r.instance})" for r in results if (r.severity, r.outcome) == ("blocking", "fail")})
    if not failing:
        raise ReviewError(f"{doc.staged.original_name} fails no blocking rule; nothing to accept")
    row = {"document_id": doc.staged.document_id, "rules_accepted": ", ".join(failing), "reason": reason,
           "accepted_by": by or getpass.getuser(), "accepted_at": datetime.now()}  # fmt: skip
    summary = _reload(
        warehouse_path, doc, results, suite_version, ("record_acceptance", pl.DataFrame([row])), accepted=reason
    )
    return doc, summary, results


def _report(warehouse_path: Path, ref: str) -> StoredDocument:
    doc = find_document(warehouse_path, ref)
    if doc.record is None or doc.status not in ("loaded", "quarantined"):
        raise ReviewError(f"{doc.staged.original_name} is {doc.status}: there are no extracted tables to review")
    return doc


def _reload(
    warehouse_path: Path,
    doc: StoredDocument,
    results: list[Any],
    suite_version: str,
    step: tuple[str, pl.DataFrame],
    accepted: str | None = None,
) -> LoadSummary:
    accepted = accepted or acceptance(warehouse_path, doc.staged.document_id)
    extracted = Extracted(doc.staged, doc.record, "report")
    return load_batch(
        warehouse_path,
        [doc.staged],
        [extracted],
        results,
        suite_version,
        replace=True,
        accepted={doc.staged.document_id: accepted} if accepted else None,
        before=[step],
    )


def quality(warehouse_path: Path, year: int | None, agency: str | None) -> tuple[list[str], list[tuple]]:
    """Failures and not-assessable checks per agency, year and rule."""
    with warehouse.reading(warehouse_path) as con:
        cur = con.execute(warehouse.query("quality"), {"year": year, "agency": agency})
        return [d[0] for d in cur.description], cur.fetchall()


def quarantine(warehouse_path: Path) -> tuple[list[str], list[tuple]]:
    """Quarantined reports, one line each, with the blocking rules they fail."""
    with warehouse.reading(warehouse_path) as con:
        cur = con.execute(warehouse.query("quarantine_list"))
        return [d[0] for d in cur.description], cur.fetchall()


@dataclass
class Change:
    document_id: str
    name: str
    old_status: str
    new_status: str
    cells_changed: int


def reprocess(warehouse_path: Path, batch_size: int = 200) -> tuple[list[Change], int]:
    """Re-extract and re-gate every staged document with the current code and rules; corrections and
    acceptances are applied again. Returns what changed and how many documents were processed."""
    with warehouse.reading(warehouse_path) as con:
        rows = con.execute(warehouse.query("all_documents")).fetchall()
    changes: list[Change] = []
    for start in range(0, len(rows), batch_size):
        chunk = rows[start:start + batch_size]
        staged = [Staged(doc, name, path, size, arrived) for doc, name, path, size, arrived, _, _ in chunk]
        extracted = [extract_one(s) for s in staged]
        fixes = {s.document_id: current_corrections(warehouse_path, s.document_id) for s in staged}
        gated = [
            apply_corrections(e.record, list(fixes[e.staged.document_id].items()))
            for e in extracted
            if e.record is not None and e.status == "report"
        ]
        results, suite_version = regate(warehouse_path, gated)
        accepted = {s.document_id: a for s in staged if (a := acceptance(warehouse_path, s.document_id))}
        summary = load_batch(
            warehouse_path, staged, extracted, results, suite_version, replace=True, accepted=accepted
        )
        new_status = {d.document_id: d.status for d in summary.decisions}
        for (doc, name, *_rest, old_status, old_record), e in zip(chunk, extracted, strict=True):
            old = json.loads(old_record) if old_record else {}
            diff = _cells_changed(old, e.record or {})
            if new_status[doc] != old_status or diff:
                changes.append(Change(doc, name, old_status, new_status[doc], diff))
    return changes, len(rows)


def _cells_changed(old: dict[str, Any], new: dict[str, Any]) -> int:
    a, b = truth_cells(old), truth_cells(new)
    return sum(1 for k in a.keys() | b.keys() if a.get(k, "∅") != b.get(k, "∅"))
