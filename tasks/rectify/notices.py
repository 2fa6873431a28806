"""Rectification notices (整改通知): one Word document per agency with each problem, its rule and
statutory basis, the cells as printed and where they are, and the due date; and the office's list
of every item as a workbook."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import warehouse
from tasks.rectify.items import STATUS_ZH, items, mark_notified

HEADER = ("栏目", "单元格", "原文数值", "位置", "等式一侧")
SIDE_ZH = {"lhs": "左边", "rhs": "右边"}
LIST_COLUMNS = (("item_id", "编号"), ("agency_name", "机构"), ("report_year", "年度"), ("problem", "问题"),
                ("severity", "性质"), ("message_zh", "问题说明"), ("basis_zh", "依据"), ("evidence", "涉及单元格"),
                ("due_date", "整改期限"), ("status", "状态"), ("original_name", "文件"),
                ("document_id", "文档"))  # fmt: skip


def evidence_lines(evidence: str | None) -> list[tuple[str, str, str, str]]:
    """(key, printed value, position, side) of each cell of an item's evidence JSON (a key
    prev.… is the agency's previous report, for the cross-year rules)."""
    out = []
    for c in json.loads(evidence) if evidence else []:
        value = c.get("value")
        printed = "空白" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
        out.append(
            (
                str(c.get("key", "")),
                printed,
                str(c.get("position") or "—"),
                SIDE_ZH.get(c.get("side"), c.get("side") or ""),
            )
        )
    return out


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_") or "agency"


def notify(path: Path, out: Path, year: int | None = None, by: str | None = None,
           roster: list[str] | None = None) -> dict[str, list[Path]]:  # fmt: skip
    """Write one notice per agency for its open and notified items (of `year`) and the office's
    list; the items become notified. Returns the notices and the list written."""
    from docx import Document

    columns, rows = items(path, year=year, roster=roster)
    todo = [dict(zip(columns, r, strict=True)) for r in rows]
    todo = [r for r in todo if r["status"] in ("open", "notified")]
    out.mkdir(parents=True, exist_ok=True)
    with warehouse.reading(path) as con:
        labels = dict(con.execute(warehouse.query("rectify_cell_labels")).fetchall())
    by_agency: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for r in todo:
        by_agency[(r["report_year"], r["agency_name"] or "", r["agency_id"] or 0)].append(r)
    notices, where = [], {}
    for (report_year, _, agency_id), group in sorted(by_agency.items()):
        name = group[0]["agency_name"] or f"机构{agency_id}"
        doc = Document()
        doc.add_heading("政府信息公开工作年度报告整改通知", level=1)
        doc.add_paragraph(f"{name}：")
        doc.add_paragraph(
            f"经审查，你单位《{report_year}年政府信息公开工作年度报告》存在以下 {len(group)} 项问题。"
            f"请于 {min(r['due_date'] for r in group):%Y年%m月%d日} 前完成整改，"
            "重新发布更正后的年度报告，并报送政务公开办。"
        )
        for n, r in enumerate(group, 1):
            doc.add_heading(f"{n}. {r['problem']}（编号 {r['item_id']}）", level=2)
            doc.add_paragraph(f"问题：{r['message_zh']}")
            doc.add_paragraph(f"依据：{r['basis_zh']}")
            if r["accepted"]:
                doc.add_paragraph("说明：该报告已按原文入库，原文数据不符合上述规则。")
            if r["document_id"]:
                doc.add_paragraph(f"文件：{r['original_name']}（{r['document_id'][:12]}）")
            cells = evidence_lines(r["evidence"])
            if cells:
                table = doc.add_table(rows=1, cols=5)
                table.style = "Table Grid"
                for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
                    cell.text = text
                for line in cells:
                    for cell, text in zip(table.add_row().cells, (labels.get(line[0], ""), *line), strict=True):
                        cell.text = text
            doc.add_paragraph(f"整改期限：{r['due_date']:%Y年%m月%d日}")
        doc.add_paragraph(f"政务公开办\n{date.today():%Y年%m月%d日}")
        target = out / f"整改通知_{report_year}_{agency_id}_{_safe(name)}.docx"
        doc.save(str(target))
        notices.append(target)
        where.update({r["item_id"]: target.name for r in group})
    listing = out / (f"整改清单_{year}.xlsx" if year else "整改清单.xlsx")
    _workbook(listing, [dict(zip(columns, r, strict=True)) for r in rows])
    mark_notified(path, where, by)
    return {"notices": notices, "list": [listing]}


def _workbook(target: Path, rows: list[dict]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "整改清单"
    ws.append([zh for _, zh in LIST_COLUMNS])
    for r in rows:
        values = []
        for key, _ in LIST_COLUMNS:
            v = r[key]
            if key == "evidence":
                v = "；".join(f"{k}={p}（{pos}）" for k, p, pos, _ in evidence_lines(v))
            elif key == "status":
                v = STATUS_ZH.get(v, v)
            elif key == "severity":
                v = "阻断性" if v == "blocking" else "警告"
            elif isinstance(v, date):
                v = v.isoformat()
            values.append(v)
        ws.append(values)
    wb.save(str(target))
