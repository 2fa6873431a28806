"""Rectification items: raised from the warehouse's rule results, re-checked against newer
reports, moved on by people; every change one row of rectification_events."""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

import warehouse

STATUSES = ("open", "notified", "corrected", "waived", "closed")
STATUS_ZH = {"open": "待整改", "notified": "已通知", "corrected": "已整改", "waived": "已豁免", "closed": "已办结"}
WARNINGS = ("W_TEMPLATE_OUTDATED", "W_LATE", "W_PROSE_TABLE")
DUE_DAYS = 30  # default; $OGI_RECTIFY_DUE_DAYS or the due_days argument overrides it
SYSTEM = "ogi"

_STATUTE = "《中华人民共和国政府信息公开条例》第五十条（年度报告应包括的统计内容）"
_TEMPLATE = "《政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）表格填报要求及勾稽关系"
BASIS_ZH = {
    "R1": f"{_STATUTE}；{_TEMPLATE}",
    "R2": f"{_STATUTE}；{_TEMPLATE}",
    "R3": f"{_STATUTE}；{_TEMPLATE}",
    "R5": f"{_STATUTE}；{_TEMPLATE}",
    "R6": f"{_STATUTE}；{_TEMPLATE}（统计数应为非负整数）",
    "W_TEMPLATE_OUTDATED": "国办公开办函〔2021〕30号：2021年度及以后的年度报告使用新版格式",
    "W_LATE": "《中华人民共和国政府信息公开条例》第四十九条（部门1月31日前、本级政府3月31日前公布）",
    "W_PROSE_TABLE": f"{_STATUTE}：报告正文与统计表数据应一致",
    "MISSING": "《中华人民共和国政府信息公开条例》第四十九条（各级行政机关应于每年规定期限前公布本机关年度报告）",
}
MISSING_ZH = "名单内机构未发布（或未报送）{year}年度政府信息公开工作年度报告"

# Which transitions a person may make, and to what.
_MANUAL = {"waive": (("open", "notified"), "waived"), "close": (("corrected", "waived"), "closed")}


class RectifyError(Exception):
    """A rectify command cannot be carried out; the message (Chinese first) says why."""


def due_days(days: int | None = None) -> int:
    return days if days is not None else int(os.environ.get("OGI_RECTIFY_DUE_DAYS", DUE_DAYS))


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> list[tuple]:
    return con.execute(warehouse.query(name), params).fetchall()


def _event(con, item_id: int, event: str, before: str | None, after: str, document_id: str | None,
           actor: str, at: datetime, reason: str | None) -> None:  # fmt: skip
    params = {"item_id": item_id, "event": event, "from_status": before, "to_status": after,
              "document_id": document_id, "actor": actor, "at": at, "reason": reason}  # fmt: skip
    _run(con, "rectify_insert_event", params)


def _has_rosters(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("select 1 from duckdb_tables() where table_name = 'roster_entries'").fetchall())


def _has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("select 1 from duckdb_tables() where table_name = 'rectification_items'").fetchall())


def refresh_in(con: duckdb.DuckDBPyConnection, now: datetime | None = None, days: int | None = None) -> dict[str, int]:
    """Re-check open/notified items against newer current reports, then raise new items, on an open
    connection (the caller's transaction). Returns how many were raised, corrected and re-checked."""
    now, days = now or datetime.now(), due_days(days)
    counts = {"raised": 0, "corrected": 0, "rechecked": 0}
    for item_id, status, new_doc, outcomes in _run(con, "rectify_recheck_candidates", {}):
        found = set((outcomes or "").split(",")) - {""}
        if "fail" not in found and "pass" in found:
            _run(
                con,
                "rectify_set_status",
                {"status": "corrected", "at": now, "corrected_by": new_doc, "item_id": item_id},
            )
            _event(con, item_id, "corrected", status, "corrected", new_doc, SYSTEM, now, "新报告已无此问题（复核通过）")
            counts["corrected"] += 1
        else:
            why = "复核：新报告仍存在此问题" if "fail" in found else "复核：新报告无法判断此项（空白或缺失）"
            _event(con, item_id, "rechecked", status, status, new_doc, SYSTEM, now, why)
            counts["rechecked"] += 1
        _run(con, "rectify_set_checked", {"document_id": new_doc, "at": now, "item_id": item_id})
    for item_id, status, new_doc, agency in _run(con, "rectify_missing_recheck", {}):
        _run(con, "rectify_set_agency", {"agency_id": agency, "item_id": item_id})
        _run(con, "rectify_set_status", {"status": "corrected", "at": now, "corrected_by": new_doc, "item_id": item_id})
        _event(con, item_id, "corrected", status, "corrected", new_doc, SYSTEM, now, "缺失的年度报告已入库")
        _run(con, "rectify_set_checked", {"document_id": new_doc, "at": now, "item_id": item_id})
        counts["corrected"] += 1
    due = (now + timedelta(days=days)).date()
    for doc, agency, year, rule, instance, severity, accepted, message, evidence in _run(
        con, "rectify_candidates", {"warnings": list(WARNINGS)}
    ):
        basis = BASIS_ZH.get(rule, _STATUTE)
        (item_id,) = _run(con, "rectify_insert_item", {
            "agency_id": agency, "report_year": year, "document_id": doc, "rule_id": rule, "instance": instance,
            "severity": severity, "accepted": accepted, "message_zh": message, "basis_zh": basis,
            "evidence": evidence, "now": now, "due_date": due})[0]  # fmt: skip
        _event(con, item_id, "raised", None, "open", doc, SYSTEM, now, f"{rule}({instance})：{message}")
        counts["raised"] += 1
    return counts


def raise_missing_in(con: duckdb.DuckDBPyConnection, names: list[str] | None, year: int, now: datetime,
                     days: int | None = None) -> int:  # fmt: skip
    """Items for the agencies of a roster with no current report for `year` (rule MISSING): the names
    given, else the units of the rosters imported for `year` (ogi roster import)."""
    due, raised = (now + timedelta(days=due_days(days))).date(), 0
    candidates = (
        _run(con, "rectify_missing_candidates", {"names": names, "year": year})
        if names is not None
        else _run(con, "rectify_missing_roster", {"year": year})
        if _has_rosters(con)
        else []
    )
    for name, agency in candidates:
        message = MISSING_ZH.format(year=year)
        (item_id,) = _run(con, "rectify_insert_item", {
            "agency_id": agency, "report_year": year, "document_id": None, "rule_id": "MISSING", "instance": name,
            "severity": "blocking", "accepted": False, "message_zh": message, "basis_zh": BASIS_ZH["MISSING"],
            "evidence": None, "now": now, "due_date": due})[0]  # fmt: skip
        _event(con, item_id, "raised", None, "open", None, SYSTEM, now, f"{name}：{message}")
        raised += 1
    return raised


def refresh(path: Path, days: int | None = None, roster: list[str] | None = None,
            year: int | None = None) -> dict[str, int]:  # fmt: skip
    """Raise and re-check items in their own transaction (migrating the warehouse first if needed);
    with a year, missing reports too: of the roster given (full names, one per agency expected to
    report), else of the rosters imported for the year (ogi roster import)."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `ogi run INBOX` first")
    if roster is not None and year is None:
        raise RectifyError("名单（--roster）须与年度（--year）一起使用")
    warehouse.migrate(path)
    with warehouse.writing(path) as con:
        con.begin()
        try:
            counts = refresh_in(con, days=days)
            if year is not None:  # the roster given, else the rosters imported for the year
                counts["missing"] = raise_missing_in(con, roster, year, datetime.now(), days)
            con.commit()
        except Exception:
            con.rollback()
            raise
    return counts


def after_load(path: Path) -> dict[str, int]:
    """The batch core's hook after a load: refresh the items when the warehouse has them."""
    with warehouse.writing(path) as con:
        if not _has_tables(con):
            return {}
        con.begin()
        try:
            counts = refresh_in(con)
            con.commit()
        except Exception:
            con.rollback()
            raise
    return counts


def items(path: Path, year: int | None = None, agency: str | None = None, status: str | None = None,
          refresh_first: bool = True, roster: list[str] | None = None) -> tuple[list[str], list[tuple]]:  # fmt: skip
    """Items (raised and re-checked first, for warehouses loaded before), as columns and rows."""
    if status is not None and status not in STATUSES:
        raise RectifyError(f"未知状态 {status}（unknown status）：{'、'.join(STATUSES)}")
    if refresh_first:
        refresh(path, roster=roster, year=year)
    with warehouse.reading(path) as con:
        cur = con.execute(warehouse.query("rectify_list"), {"year": year, "agency": agency, "status": status})
        return [d[0] for d in cur.description], cur.fetchall()


def events(path: Path, item_id: int | None = None) -> tuple[list[str], list[tuple]]:
    """The audit trail, of one item or of all."""
    with warehouse.reading(path) as con:
        cur = con.execute(warehouse.query("rectify_events"), {"item_id": item_id})
        return [d[0] for d in cur.description], cur.fetchall()


def _transition(path: Path, action: str, item_id: int, reason: str, by: str | None) -> tuple[str, str]:
    allowed, after = _MANUAL[action]
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}; run `ogi run INBOX` first")
    warehouse.migrate(path)
    now, who = datetime.now(), by or getpass.getuser()
    with warehouse.writing(path) as con:
        con.begin()
        try:
            row = _run(con, "rectify_item", {"item_id": item_id})
            if not row:
                raise RectifyError(f"没有整改项 {item_id}（no rectification item {item_id}）")
            before = row[0][1]
            if before not in allowed:
                raise RectifyError(
                    f"整改项 {item_id} 状态为「{STATUS_ZH[before]}」，不能{'豁免' if action == 'waive' else '办结'}"
                    f"（status {before}; {action} needs {' or '.join(allowed)}）"
                )
            _run(con, "rectify_set_status", {"status": after, "at": now, "corrected_by": None, "item_id": item_id})
            _event(con, item_id, after, before, after, None, who, now, reason)
            con.commit()
        except Exception:
            con.rollback()
            raise
    return before, after


def waive(path: Path, item_id: int, reason: str, by: str | None = None) -> tuple[str, str]:
    """The office will not pursue an open or notified item: waived, with who, when and why."""
    if not reason.strip():
        raise RectifyError("豁免须说明原因（--reason）")
    return _transition(path, "waive", item_id, reason, by)


def close(path: Path, item_id: int, reason: str | None = None, by: str | None = None) -> tuple[str, str]:
    """Archive a corrected or waived item: closed, with who and when."""
    return _transition(path, "close", item_id, reason or "办结归档", by)


def mark_notified(path: Path, notices: dict[int, str], by: str | None = None) -> None:
    """Items a notice was written for: open → notified (already notified: the new notice recorded)."""
    now, who = datetime.now(), by or getpass.getuser()
    with warehouse.writing(path) as con:
        con.begin()
        try:
            for item_id, where in notices.items():
                before = _run(con, "rectify_item", {"item_id": item_id})[0][1]
                if before not in ("open", "notified"):
                    continue
                _run(
                    con,
                    "rectify_set_status",
                    {"status": "notified", "at": now, "corrected_by": None, "item_id": item_id},
                )
                _event(con, item_id, "notified", before, "notified", None, who, now, f"整改通知：{where}")
            con.commit()
        except Exception:
            con.rollback()
            raise


def export(path: Path, out: Path, year: int | None = None) -> list[Path]:
    """Items and their events as CSV (UTF-8 with BOM, opens in Excel/WPS) in OUT."""
    out.mkdir(parents=True, exist_ok=True)
    columns, rows = items(path, year=year)
    ecols, erows = events(path)
    ids = {r[0] for r in rows}
    written = []
    for name, cols, data in (("rectification_items", columns, rows),
                             ("rectification_events", ecols, [e for e in erows if e[1] in ids])):  # fmt: skip
        frame = pl.DataFrame([dict(zip(cols, r, strict=True)) for r in data], infer_schema_length=None) if data \
            else pl.DataFrame({c: [] for c in cols})  # fmt: skip
        target = out / f"{name}.csv"
        target.write_bytes(b"\xef\xbb\xbf" + frame.write_csv().encode("utf-8"))
        written.append(target)
    return written
