"""The open rectification items (整改事项) of a consolidation's agencies, as the workbook, the HTML
report and the Word document show them: what each agency still has to correct, and by when."""

from __future__ import annotations

from typing import Any

from tasks.consolidate.read import Consolidation
from tasks.rectify.items import STATUS_ZH as ITEM_STATUS_ZH

TITLE = "整改事项：各机构尚未整改的问题"
COLUMNS_ZH = ("编号", "机构", "年度", "问题", "规则说明", "状态", "整改期限", "逾期")


def rectification_rows(c: Consolidation) -> list[tuple[Any, ...]]:
    """One row per open or notified item: number, agency, year, problem, message, status, due date, overdue."""
    return [
        (
            r["item_id"],
            r["agency_name"],
            r["report_year"],
            r["problem"],
            r["message_zh"],
            ITEM_STATUS_ZH.get(r["status"], r["status"]),
            r["due_date"].isoformat() if r["due_date"] else "",
            "逾期" if r["overdue"] else "",
        )
        for r in c.rectification.dicts()
    ]


def rectification_note(c: Consolidation) -> str:
    """How many items are open, how many overdue, and the commands that act on them."""
    rows = c.rectification.dicts()
    if not rows:
        return "本汇总范围内的机构没有未整改的事项。"
    overdue = sum(1 for r in rows if r["overdue"])
    agencies = len({r["agency_name"] for r in rows})
    year = c.header["report_year"]
    return (
        f"{agencies} 个机构共 {len(rows)} 项未整改（其中逾期 {overdue} 项），统计至本文件生成时。"
        f"列出：ogi rectify list --year {year}；发出整改通知：ogi rectify notify --year {year}。"
    )
