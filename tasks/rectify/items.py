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
from expectations import load_catalogue
from tasks.messages import t
from warehouse import bound

STATUSES = ("open", "notified", "corrected", "waived", "closed")
STATUS_ZH = {"open": "待整改", "notified": "已通知", "corrected": "已整改", "waived": "已豁免", "closed": "已办结"}
WARNINGS = ("W_TEMPLATE_OUTDATED", "W_LATE", "W_PROSE_TABLE")
DUE_DAYS = 30  # default; $OGI_RECTIFY_DUE_DAYS or the due_days argument overrides it
SYSTEM = "ogi"

# The basis of a catalogue rule is its `basis_zh` in expectations/rules.toml; MISSING is not a rule of
# the gate (no report to check), so its basis is here. Art. 49 covers departments of governments at
# county level and above and local governments, not townships and street offices.
MISSING_BASIS_ZH = (
    "《中华人民共和国政府信息公开条例》第四十九条（县级以上人民政府部门应于每年1月31日前、县级以上地方人民政府的"
    "政府信息公开工作主管部门应于每年3月31日前公布上一年度年度报告；乡镇、街道按本地通知的期限）"
)
FALLBACK_BASIS_ZH = "《中华人民共和国政府信息公开条例》第五十条（年度报告的内容）"
MISSING_ZH = "名单内机构未发布（或未报送）{year}年度政府信息公开工作年度报告"

# Which transitions a person may make, and to what.
_MANUAL = {"waive": (("open", "notified"), "waived"), "close": (("corrected", "waived"), "closed")}


class RectifyError(Exception):
    """A rectify command cannot be carried out: `str()` in Chinese, `text(lang)` in either."""

    def __init__(self, message_id: str, **fields: object) -> None:
        self.key, self.fields = message_id, fields
        super().__init__(t(message_id, "zh", **fields))

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.fields)


def basis_zh(rule_id: str) -> str:
    """The statutory basis an item of this rule cites (rules.toml `basis_zh`; MISSING: Art. 49)."""
    if rule_id == "MISSING":
        return MISSING_BASIS_ZH
    try:
        return load_catalogue().rule(rule_id).basis_zh or FALLBACK_BASIS_ZH
    except KeyError:
        return FALLBACK_BASIS_ZH


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
    counts["raised"] = _raise(con, _run(con, "rectify_candidates", {"warnings": list(WARNINGS)}), now, days)
    return counts


def _raise(con: duckdb.DuckDBPyConnection, candidates: list[tuple], now: datetime, days: int) -> int:
    """The candidates (rectify_candidates.sql) as open items with their events, in two statements."""
    if not candidates:
        return 0
    columns = ["document_id", "agency_id", "report_year", "rule_id", "instance", "severity", "accepted",
               "message_zh", "evidence"]  # fmt: skip
    basis = {rule: basis_zh(rule) for rule in {c[3] for c in candidates}}
    frame = pl.DataFrame([dict(zip(columns, c, strict=True)) for c in candidates], orient="row")
    frame = frame.with_columns(
        seq=pl.int_range(pl.len()), basis_zh=pl.col("rule_id").replace_strict(basis, return_dtype=pl.Utf8)
    )
    con.register("rectify_new", frame.to_arrow())
    try:
        due = (now + timedelta(days=days)).date()
        for stmt in warehouse.statements(warehouse.query("rectify_raise")):
            con.execute(stmt, bound(stmt, {"now": now, "due_date": due, "actor": SYSTEM}))
    finally:
        con.unregister("rectify_new")
    return len(candidates)


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
            "severity": "blocking", "accepted": False, "message_zh": message, "basis_zh": MISSING_BASIS_ZH,
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
        raise RectifyError("rectify.roster_needs_year")
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
        raise RectifyError("rectify.unknown_status", status=status, statuses=", ".join(STATUSES))
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
                raise RectifyError("rectify.no_item", id=item_id)
            before = row[0][1]
            if before not in allowed:
                raise RectifyError(f"rectify.cannot_{action}", id=item_id, status=STATUS_ZH[before],
                                   status_en=before, allowed=" or ".join(allowed))  # fmt: skip
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
        raise RectifyError("rectify.waive_needs_reason")
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
