"""Load: one transaction per batch. Passing reports become facts; failing ones are quarantined
with their rule results; unreadable files are recorded as rejected. Nothing is dropped."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, is_dataclass
from dataclasses import replace as replace_
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

import warehouse
from tasks.extract import Extracted
from tasks.record import Record
from tasks.stage import Staged


@dataclass(frozen=True)
class Decision:
    document_id: str
    status: str  # loaded | quarantined | rejected | needs_ocr | encrypted | unsupported | not_a_report
    reason: str | None
    report_role: str | None = None  # for a loaded report: current | duplicate | superseded (current_reports)
    current_document_id: str | None = None  # the current report of its agency and year


def decide(
    extracted: list[Extracted], results: Iterable[Any], accepted: dict[str, str] | None = None
) -> list[Decision]:
    """Loaded unless unreadable, missing agency/year, or failing a blocking rule (unless accepted)."""
    accepted = accepted or {}
    failing: dict[str, list[str]] = {}
    for r in results:
        if r.severity == "blocking" and r.outcome == "fail":
            failing.setdefault(r.document_id, []).append(f"{r.rule_id}({r.instance})")
    out = []
    for e in extracted:
        doc = e.staged.document_id
        if e.record is None or not e.gated:
            out.append(Decision(doc, e.status, e.reason))
        elif not e.record.agency or not e.record.report_year:
            missing = [k for k in ("agency", "report_year") if not e.record.get(k)]
            out.append(Decision(doc, "quarantined", f"metadata not found: {', '.join(missing)}"))
        elif doc in failing and doc in accepted:
            rules = ", ".join(sorted(set(failing[doc])))
            out.append(Decision(doc, "loaded", f"accepted as printed despite {rules}: {accepted[doc]}"))
        elif doc in failing:
            out.append(Decision(doc, "quarantined", "blocking rules failed: " + ", ".join(sorted(set(failing[doc])))))
        else:
            out.append(Decision(doc, "loaded", None))
    return out


def _cell_frame(records: list[Record]) -> pl.DataFrame:
    """One row per printed cell of the records: numbers in `value`, text as printed in `value_text`
    (built column by column: a batch has tens of thousands of cells)."""
    columns: dict[str, list] = {name: [] for name in _CELL_SCHEMA}
    for record in records:
        meanings, positions = record.null_meanings, record.positions
        for table, row, col, path, value in record.cell_keys():
            columns["document_id"].append(record.document_id)
            columns["table_name"].append(table)
            columns["row_key"].append(row)
            columns["column_key"].append(col)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            columns["value"].append(float(value) if number else None)
            columns["value_text"].append(value if isinstance(value, str) else None)
            columns["null_meaning"].append(meanings.get(path))
            columns["position"].append(positions.get(path))
    return pl.DataFrame(columns, schema=_CELL_SCHEMA)


_CELL_SCHEMA = {
    "document_id": pl.Utf8,
    "table_name": pl.Utf8,
    "row_key": pl.Utf8,
    "column_key": pl.Utf8,
    "value": pl.Float64,
    "value_text": pl.Utf8,
    "null_meaning": pl.Utf8,
    "position": pl.Utf8,
}
_DOC_SCHEMA = {
    "document_id": pl.Utf8,
    "staged_path": pl.Utf8,
    "size_bytes": pl.Int64,
    "format": pl.Utf8,
    "encoding": pl.Utf8,
    "status": pl.Utf8,
    "status_reason": pl.Utf8,
    "agency_name": pl.Utf8,
    "agency_key": pl.Utf8,
    "report_year": pl.Int32,
    "template": pl.Utf8,
    "publication_date": pl.Utf8,
    "index_number": pl.Utf8,
    "credit_code": pl.Utf8,
    "division_code": pl.Utf8,
    "province": pl.Utf8,
    "county": pl.Utf8,
    "agency_level": pl.Utf8,
    "agency_kind": pl.Utf8,
    "extractor_version": pl.Utf8,
    "suite_version": pl.Utf8,
    "warnings": pl.List(pl.Utf8),
    "record": pl.Utf8,
    "processed_at": pl.Datetime,
}
_RESULT_SCHEMA = {
    "document_id": pl.Utf8,
    "rule_id": pl.Utf8,
    "severity": pl.Utf8,
    "outcome": pl.Utf8,
    "instance": pl.Utf8,
    "message_zh": pl.Utf8,
    "message_en": pl.Utf8,
    "cells": pl.Utf8,
    "suite_version": pl.Utf8,
    "validated_at": pl.Datetime,
    "instances": pl.Int32,
}


_RECORD_COLUMNS = (
    "format",
    "encoding",
    "template",
    "publication_date",
    "index_number",
    "credit_code",
    "division_code",
    "province",
    "county",
    "agency_level",
    "agency_kind",
    "extractor_version",
)


def _document_row(e: Extracted, d: Decision, suite_version: str, now: datetime) -> dict[str, Any]:
    """The documents row of one document: its status, metadata and the full record as JSON."""
    s, r = e.staged, e.record or Record(e.staged.document_id)
    return {
        "document_id": s.document_id,
        "staged_path": s.staged_path,
        "size_bytes": s.size_bytes,
        "status": d.status,
        "status_reason": d.reason,
        "agency_name": r.agency,
        "agency_key": r.agency_key,
        "report_year": r.report_year,
        **{name: getattr(r, name) for name in _RECORD_COLUMNS},
        "suite_version": suite_version,
        "warnings": list(r.warnings) if e.record else [e.reason or ""],
        "record": e.record.to_json() if e.record else None,
        "processed_at": now,
    }


def _result_row(r: Any, now: datetime) -> dict[str, Any]:
    cells = [asdict(c) if is_dataclass(c) else c for c in r.cells]
    return {
        "document_id": r.document_id,
        "rule_id": r.rule_id,
        "severity": r.severity,
        "outcome": r.outcome,
        "instance": str(r.instance),
        "message_zh": r.message_zh,
        "message_en": r.message_en,
        "cells": json.dumps(cells, ensure_ascii=False, default=str),
        "suite_version": r.suite_version,
        "validated_at": now,
        "instances": getattr(r, "instances", 1),
    }


def batch_frames(
    arrived: list[Staged],
    extracted: list[Extracted],
    decisions: list[Decision],
    results: Iterable[Any],
    suite_version: str,
) -> dict[str, pl.DataFrame]:
    """The batch as polars frames, named as load_batch.sql expects them."""
    now = datetime.now()
    status = {d.document_id: d for d in decisions}
    docs = [_document_row(e, status[e.staged.document_id], suite_version, now) for e in extracted]
    arrivals = [
        {"document_id": s.document_id, "original_name": s.original_name, "arrived_at": s.arrived_at} for s in arrived
    ]
    return {
        "batch_documents": pl.DataFrame(docs, schema=_DOC_SCHEMA),
        "batch_arrivals": pl.DataFrame(
            arrivals, schema={"document_id": pl.Utf8, "original_name": pl.Utf8, "arrived_at": pl.Datetime}
        ),
        "batch_cells": _cell_frame([e.record for e in extracted if e.record is not None and e.gated]),
        "batch_results": pl.DataFrame([_result_row(r, now) for r in results], schema=_RESULT_SCHEMA),
    }


def load_batch(
    warehouse_path: Path,
    arrived: list[Staged],
    extracted: list[Extracted],
    results: list[Any],
    suite_version: str,
    *,
    replace: bool = False,
    accepted: dict[str, str] | None = None,
    before: list[tuple[str, pl.DataFrame]] | None = None,
    overrides: Path | None = None,
) -> list[Decision]:
    """Write the whole batch in one transaction; on any error nothing of it is written.

    `arrived` is every staged file of the batch (known documents too: a new name is a new arrival);
    `extracted` only the documents the warehouse did not hold yet — or, with `replace`, documents
    it holds that are loaded again (after a correction, an acceptance or a reprocess). `before`
    runs named queries first in the same transaction, each reading its frame as `batch_step`.
    Between the documents and their facts every document's agency is resolved again
    (tasks/identity, with the overrides file `overrides`), and which report of each agency and
    year is current; the decisions say so for the batch's loaded reports.
    """
    from tasks.identity import apply_identities, load_overrides

    rules = load_overrides(overrides)
    decisions = decide(extracted, results, accepted)
    if not arrived:
        return decisions
    frames = batch_frames(arrived, extracted, decisions, results, suite_version)
    with warehouse.writing(warehouse_path) as con:
        for name, frame in frames.items():
            con.register(name, frame.to_arrow())
        con.begin()
        try:
            for name, frame in before or []:
                con.register("batch_step", frame.to_arrow())
                for stmt in warehouse.statements(warehouse.query(name)):
                    con.execute(stmt)
                con.unregister("batch_step")
            steps = (["forget_documents"] if replace else []) + ["load_batch"]
            for stmt in (s for step in steps for s in warehouse.statements(warehouse.query(step))):
                con.execute(stmt)
            apply_identities(con, rules, [d.document_id for d in decisions])
            for stmt in warehouse.statements(warehouse.query("load_facts")):
                con.execute(stmt)
            ids = [d.document_id for d in decisions]
            roles = {r[0]: r[1:] for r in con.execute(warehouse.query("report_roles"), {"ids": ids}).fetchall()}
            con.commit()
        except Exception:
            con.rollback()
            raise
    return [replace_(d, report_role=roles[d.document_id][0], current_document_id=roles[d.document_id][1])
            if d.document_id in roles else d for d in decisions]  # fmt: skip


def known_documents(warehouse_path: Path, ids: list[str]) -> set[str]:
    """Ids the warehouse already holds; none if it does not exist yet."""
    if not warehouse_path.exists() or not ids:
        return set()
    with warehouse.reading(warehouse_path) as con:
        return {row[0] for row in con.execute(warehouse.query("known_documents"), {"ids": ids}).fetchall()}
