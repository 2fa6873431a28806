"""Document → canonical record (the format of ../shared/domain/canonical-keys.md, plus lineage).

The parser is template-aware: it walks the token stream and fills the three statutory tables.
Rows are found by their label within their group, never by counting numbers alone; a row whose
label was lost takes the next unfilled row in printed order; digit runs printed without separators
are split with the table's own identities, and left null (with the candidates) when still ambiguous.
"""

from __future__ import annotations

import re
from typing import Any

from tasks import EXTRACTOR_VERSION
from tasks.keys import T3_COLUMNS
from tasks.parse.cells import Value
from tasks.parse.legacy import parse_legacy
from tasks.parse.meta import extract_meta
from tasks.parse.segments import T2_ANCHOR, match_t3, segments
from tasks.parse.table2 import parse_table2
from tasks.parse.table3 import parse_table3
from tasks.parse.table4 import parse_table4
from tasks.parse.tokens import tokens
from tasks.read.document import Document

_REPORT_WORDS = re.compile(r"政府信息公开|政务公开|信息公开")


def _plain(cells: dict[str, Value]) -> dict[str, Any]:
    return {k: v.value for k, v in cells.items()}


def _positions(prefix: str, cells: dict[str, Value], out: dict[str, str]) -> None:
    for k, v in cells.items():
        pos = v.position()
        if pos:
            out[f"{prefix}.{k}"] = pos


def _meanings(prefix: str, cells: dict[str, Value], out: dict[str, str]) -> None:
    """Why a cell is null: printed blank, a dash, 无, ambiguous digits…"""
    for k, v in cells.items():
        if v.value is None and v.meaning not in ("number",):
            out[f"{prefix}.{k}"] = v.meaning


def parse_document(doc: Document, document_id: str | None = None) -> dict[str, Any]:
    """The canonical record of one document. Never raises on odd content: it warns."""
    toks = tokens(doc)
    segs = segments(toks)
    meta = extract_meta(doc.text, doc.title)
    warnings = list(doc.warnings)
    positions: dict[str, str] = {}
    nulls: dict[str, str] = {}

    t3_start = next((i for i, s in enumerate(segs) if match_t3(s.labels) == "new_requests"), None)
    # figures the running text quotes ("88件", "1853条"): they decide digit runs that tables leave open
    prose = frozenset(int(n) for n in re.findall(r"(\d+)\s*[件条项个]", doc.text)) | {
        n for vals in meta.prose_figures.values() for n in vals
    }
    record: dict[str, Any] = {
        "document_id": document_id,
        "source": doc.source,
        "format": doc.format,
        "encoding": doc.encoding,
        "status": "report",
        "agency": meta.agency,
        "agency_key": meta.key,
        "report_year": meta.report_year,
        "template": None,
        "publication_date": meta.publication_date,
        "index_number": meta.index_number,
        "credit_code": meta.credit_code,
        "division_code": meta.division_code,
        "province": meta.province,
        "county": meta.county,
        "agency_level": meta.level,
        "agency_kind": meta.kind,
        "table2": {},
        "table3": {},
        "table4": {},
        "legacy": {},
        "prose_figures": meta.prose_figures,
        "extractor_version": EXTRACTOR_VERSION,
    }
    t2_layout = None
    if t3_start is not None:
        t2_start = next((i for i, s in enumerate(segs[:t3_start]) if T2_ANCHOR.search(s.label)), None)
        if t2_start is not None:
            t2 = parse_table2(segs, t2_start, t3_start, prose)
            warnings += t2.warnings
            t2_layout = t2.layout
            for row, cells in t2.cells.items():
                record["table2"][row] = _plain(cells)
                _positions(f"table2.{row}", cells, positions)
                _meanings(f"table2.{row}", cells, nulls)
        t3 = parse_table3(segs, t3_start)
        warnings += t3.warnings
        for row, cells in t3.cells.items():
            record["table3"][row] = _plain(cells)
            _positions(f"table3.{row}", cells, positions)
            _meanings(f"table3.{row}", cells, nulls)
        t4 = parse_table4(segs, t3.end)
        warnings += t4.warnings
        if t4.cells:
            record["table4"] = _plain(t4.cells["row"])
            _positions("table4", t4.cells["row"], positions)
            _meanings("table4", t4.cells["row"], nulls)
        record["template"] = t2_layout or t3.layout
    else:
        legacy = parse_legacy(segs, set(prose), meta.prose_figures)
        warnings += legacy.warnings
        if legacy.cells:
            row = legacy.cells["row"]
            record["template"] = "legacy"
            record["legacy"] = {k: v.value for k, v in row.items() if k not in ("granted", "partially_granted")}
            _positions("legacy", row, positions)
            _map_legacy(record, row)
        elif not _REPORT_WORDS.search(doc.text[:3000]) or meta.report_year is None:
            record["status"] = "not_a_report"
            warnings.append("no statistical tables and no annual-report title: not an annual report")
        else:
            record["template"] = "legacy"
            warnings.append("an annual report without statistical tables (prose only)")
    record["warnings"] = warnings
    record["positions"] = positions
    record["null_meanings"] = nulls
    record["metadata_sources"] = meta.sources
    return record


_LEGACY_TO_T3 = {
    "requests_received": ("table3", "new_requests"),
    "requests_completed": ("table3", "handled_total"),
    "granted": ("table3", "granted"),
    "partially_granted": ("table3", "partially_granted"),
}


def _map_legacy(record: dict[str, Any], row: dict[str, Value]) -> None:
    """Map the legacy figures that have an exact template equivalent (statute note §6) to totals."""
    for key, (_, t3row) in _LEGACY_TO_T3.items():
        v = row.get(key)
        if v is not None and v.value is not None:
            record["table3"].setdefault(t3row, {})["total"] = v.value
    v = row.get("reviews")
    if v is not None and v.value is not None:
        record["table4"]["review_total"] = v.value


__all__ = ["T3_COLUMNS", "parse_document"]
