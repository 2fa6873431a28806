"""The workflow around the gate: review the quarantine, correct a printed value, accept a report
whose source is wrong, and reprocess staged documents after an upgrade — each through the batch
core (`tasks.pipeline.process_batch`), so the same gate and the same one-transaction load decide,
and no correction is ever lost."""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass
from datetime import datetime

import polars as pl

import warehouse
from expectations import Catalogue, load_catalogue
from tasks.messages import status_word, t
from tasks.pipeline import Batch, BatchResult, Review, StoredDocument, batches, process_batch
from tasks.quality import RuleResult
from tasks.record import Record, split_path
from tasks.settings import Settings
from tasks.stage import Staged

CELL = re.compile(r"^(table2\.\w+\.\w+|table3\.\w+\.\w+|table4\.\w+)$")


class ReviewError(Exception):
    """A review command cannot be carried out; the message says why, for a person: `str()` in
    English, `text(lang)` in the language asked for (tasks/messages.py, message id `key`)."""

    def __init__(self, message_id: str, /, **fields: str) -> None:
        self.key, self.fields = message_id, fields
        super().__init__(t(message_id, "en", **fields))

    def text(self, lang: str) -> str:
        fields = {k: status_word(v, lang) if k == "status" else v for k, v in self.fields.items()}
        return t(self.key, lang, **fields)


def _stored(row: tuple) -> StoredDocument:
    doc, name, path, size, arrived, status, record = row
    return StoredDocument(Staged(doc, name, path, size, arrived), status, Record.from_json(record) if record else None)


def find_document(settings: Settings, ref: str) -> StoredDocument:
    """A document by sha256 (or a unique prefix of at least 6 characters) or by original file name."""
    with warehouse.reading(settings.warehouse) as con:
        rows = con.execute(warehouse.query("find_document"), {"ref": ref}).fetchall()
    if not rows:
        raise ReviewError("review.no_match", ref=ref)
    if len({r[0] for r in rows}) > 1:
        names = ", ".join(sorted({f"{r[0][:12]} ({r[1]})" for r in rows}))
        raise ReviewError("review.ambiguous", ref=ref, names=names)
    return _stored(rows[0])


def parse_assignments(record: Record, assignments: list[str]) -> dict[str, float]:
    """'table3.granted.total=5' → {'table3.granted.total': 5.0}, for cells the record prints."""
    out = {}
    for a in assignments:
        key, sep, value = a.partition("=")
        key = key.strip()
        if not sep or not CELL.match(key):
            raise ReviewError("review.bad_assignment", item=a)
        if not record.prints(key):
            raise ReviewError("review.not_a_cell", key=key)
        try:
            out[key] = float(value)
        except ValueError:
            raise ReviewError("review.not_a_number", item=a) from None
    return out


def correct(
    settings: Settings, ref: str, assignments: list[str], reason: str, by: str | None = None
) -> tuple[StoredDocument, BatchResult]:
    """Record corrections, re-gate with them, and load the report if it now passes."""
    if not reason.strip():
        raise ReviewError("review.needs_reason_correct")
    doc = _report(settings, ref)
    assert doc.record is not None
    new = parse_assignments(doc.record, assignments)
    now, who = datetime.now(), by or getpass.getuser()
    rows = []
    for key, value in new.items():
        table, row, col = split_path(key)
        printed = doc.record.get(key)
        rows.append(
            {"document_id": doc.staged.document_id, "cell_key": key, "table_name": table, "row_key": row,
             "column_key": col, "printed_value": float(printed) if isinstance(printed, (int, float)) else None,
             "corrected_value": value, "reason": reason, "corrected_by": who, "corrected_at": now}
        )  # fmt: skip
    audit = ("record_corrections", pl.DataFrame(rows))
    review = Review(corrections={doc.staged.document_id: new}, audit=lambda _results: audit)
    return doc, process_batch(Batch(stored=(doc,), review=review), settings, load_catalogue())


def accept(settings: Settings, ref: str, reason: str, by: str | None = None) -> tuple[StoredDocument, BatchResult]:
    """Load a quarantined report as printed, recording the violations accepted and why."""
    if not reason.strip():
        raise ReviewError("review.needs_reason_accept")
    doc = _report(settings, ref)

    def audit(results: list[RuleResult]) -> tuple[str, pl.DataFrame]:
        failing = sorted({f"{r.rule_id}({r.instance})" for r in results if _blocks(r, doc.staged.document_id)})
        if not failing:
            raise ReviewError("review.nothing_to_accept", name=doc.staged.original_name)
        row = {"document_id": doc.staged.document_id, "rules_accepted": ", ".join(failing), "reason": reason,
               "accepted_by": by or getpass.getuser(), "accepted_at": datetime.now()}  # fmt: skip
        return "record_acceptance", pl.DataFrame([row])

    review = Review(accepted={doc.staged.document_id: reason}, audit=audit)
    return doc, process_batch(Batch(stored=(doc,), review=review), settings, load_catalogue())


def _blocks(r: RuleResult, document_id: str) -> bool:
    return r.document_id == document_id and r.severity == "blocking" and r.outcome == "fail"


def _report(settings: Settings, ref: str) -> StoredDocument:
    doc = find_document(settings, ref)
    if doc.record is None or doc.status not in ("loaded", "quarantined"):
        raise ReviewError("review.no_tables", name=doc.staged.original_name, status=doc.status)
    return doc


def quality(settings: Settings, year: int | None, agency: str | None) -> tuple[list[str], list[tuple]]:
    """Failures and not-assessable checks per agency, year and rule."""
    with warehouse.reading(settings.warehouse) as con:
        cur = con.execute(warehouse.query("quality"), {"year": year, "agency": agency})
        return [d[0] for d in cur.description], cur.fetchall()


def quarantine(settings: Settings) -> tuple[list[str], list[tuple]]:
    """Quarantined reports, one line each, with the blocking rules they fail."""
    with warehouse.reading(settings.warehouse) as con:
        cur = con.execute(warehouse.query("quarantine_list"))
        return [d[0] for d in cur.description], cur.fetchall()


@dataclass(frozen=True)
class Change:
    document_id: str
    name: str
    old_status: str
    new_status: str
    cells_changed: int


def reprocess(settings: Settings, catalogue: Catalogue | None = None) -> tuple[list[Change], int]:
    """Re-extract and re-gate every staged document with the current code and rules; corrections and
    acceptances are applied again. Returns what changed and how many documents were processed.
    Pending migrations are applied first, so an upgraded warehouse is filled (agencies, current reports)."""
    catalogue = catalogue or load_catalogue()
    if not settings.warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {settings.warehouse}; run `ogi run INBOX` first")
    warehouse.migrate(settings.warehouse)
    with warehouse.reading(settings.warehouse) as con:
        stored = [_stored(row) for row in con.execute(warehouse.query("all_documents")).fetchall()]
    changes: list[Change] = []
    for chunk in batches(stored, settings.batch_size):
        result = process_batch(Batch(stored=tuple(chunk), extract_again=True), settings, catalogue)
        new = {e.staged.document_id: e.record for e in result.extracted}
        for doc, outcome in zip(chunk, result.outcomes, strict=True):
            diff = _cells_changed(doc.record, new[doc.staged.document_id])
            if outcome.status != doc.status or diff:
                changes.append(Change(outcome.document_id, outcome.name, doc.status, outcome.status, diff))
    return changes, len(stored)


def _cells_changed(old: Record | None, new: Record | None) -> int:
    a = old.cells() if old else {}
    b = new.cells() if new else {}
    return sum(1 for k in a.keys() | b.keys() if a.get(k, "∅") != b.get(k, "∅"))
