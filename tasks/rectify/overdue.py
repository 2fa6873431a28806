"""Rectification items past their due date (逾期未整改): listed by the scheduled deployment
`rectification-overdue` (flows/rectify.py) for the office to chase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import warehouse
from tasks.rectify.items import STATUS_ZH


@dataclass(frozen=True)
class OverdueItem:
    item_id: int
    agency_name: str | None
    report_year: int
    problem: str
    status: str  # open | notified
    due_date: date
    days_overdue: int
    message_zh: str
    document_id: str | None


def overdue_items(path: Path, as_of: date) -> list[OverdueItem]:
    """Items still open or notified whose due date is before `as_of`, the longest overdue first
    (none when the warehouse has no rectification items yet)."""
    with warehouse.reading(path) as con:
        if not con.execute("select 1 from duckdb_tables() where table_name = 'rectification_items'").fetchall():
            return []
        rows = con.execute(warehouse.query("rectify_overdue"), {"as_of": as_of}).fetchall()
    return [OverdueItem(*r) for r in rows]


def overdue_markdown(items: list[OverdueItem], as_of: date) -> str:
    """The list as the Prefect UI's markdown artifact (Chinese, as the office reads it)."""
    lines = [f"# 逾期未整改事项（截至 {as_of.isoformat()}）：{len(items)} 项", ""]
    if not items:
        return "\n".join([*lines, "没有逾期未整改的事项。"])
    lines += ["| 编号 | 机构 | 年度 | 问题 | 状态 | 整改期限 | 逾期天数 |", "|---|---|---|---|---|---|---|"]
    for i in items:
        name = (i.agency_name or "").replace("|", "/")
        lines.append(
            f"| {i.item_id} | {name} | {i.report_year} | {i.problem} | {STATUS_ZH.get(i.status, i.status)} "
            f"| {i.due_date.isoformat()} | {i.days_overdue} |"
        )
    lines += ["", "豁免：`ogi rectify waive ID --reason 原因`；再次通知：`ogi rectify notify`"]
    return "\n".join(lines)
