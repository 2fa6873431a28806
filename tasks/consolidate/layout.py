"""What the workbook, the CSV files and the HTML report share: labels, the scope in words, number
and text conversion, and the printed blocks of table 2."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from tasks.consolidate.read import Consolidation, Frame
from tasks.keys import T3_GROUP_LABELS, T3_ROWS, T4_GROUP_LABELS, T4_GROUPS, T4_OUTCOME_LABELS, T4_OUTCOMES, Row

STATUS_ZH = {
    "summed": "已汇总",
    "not_summed_duplicate": "未汇总(同年另有报告)",
    "quarantined": "已隔离(未汇总)",
    "missing": "未报送",
}
# Outcome groups of table 3 for the outcomes chart: row keys summed into each bar.
OUTCOME_MIX = (
    ("(一)予以公开", ("granted",)),
    ("(二)部分公开", ("partially_granted",)),
    ("(三)不予公开", tuple(r.key for r in T3_ROWS if r.group == "denied")),
    ("(四)无法提供", tuple(r.key for r in T3_ROWS if r.group == "unavailable")),
    ("(五)不予处理", tuple(r.key for r in T3_ROWS if r.group == "not_processed")),
    ("(六)其他处理", ("other_total",)),
)
# Table 2 columns that hold money (the rest are counts): shown with two decimals.
AMOUNT_COLUMNS = ("amount_10k_yuan", "procurement_amount")
T3_VALUE_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
SCOPE_NOTE = (
    "汇总为所选机构已入库报告之和(每个机构每年一份)。已隔离的报告不计入；空白单元格不按 0 计。"
    "政府本级报告通常只含本级政府(办公室)的数据，与其部门报告相加前请核对口径。"
)


def number(value: Any) -> Any:
    """A count as an int, an amount as it is; None stays None (blank, never 0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def as_text(value: Any) -> str:
    """A value as printed: blank for None, counts without a trailing .0."""
    return "" if value is None else str(number(value))


def scope_label(header: dict[str, Any]) -> str:
    """The scope in words, e.g. 2023年度 · 区划 4303 · 部门."""
    parts = [f"{header['report_year']}年度"]
    if header["region_code"]:
        parts.append(f"区划代码 {header['region_code']}*")
    if header["agency_kind"]:
        parts.append({"department": "部门报告", "government": "政府报告"}[header["agency_kind"]])
    if header["agency_list"] is not None:
        parts.append(f"指定机构 {len(header['agency_list'])} 个")
    if len(parts) == 1:
        parts.append("全部机构")
    return " · ".join(parts)


def table4_header() -> list[str]:
    return [f"{T4_GROUP_LABELS[g]}/{T4_OUTCOME_LABELS[o]}" for g in T4_GROUPS for o in T4_OUTCOMES]


def table2_blocks(table2: Frame) -> list[tuple[str, str, list[str], list[tuple[str, list[Any]]]]]:
    """(template, item, column labels, [(row label, values)]) per printed block of table 2."""
    blocks = []
    rows = table2.dicts()
    for (template, item), cells in groupby(rows, key=lambda r: (r["template"], r["item_zh"])):
        cells = list(cells)
        columns = list(dict.fromkeys(c["column_label_zh"] for c in cells))
        by_row: dict[str, list[Any]] = {}
        for c in cells:
            by_row.setdefault(c["row_label_zh"], []).append(number(c["value"]))
        blocks.append((template, item, columns, list(by_row.items())))
    return blocks


def shown(value: Any, amount: bool = False) -> str:
    """A figure as people read it: thousands separators, two decimals for amounts; blank for None."""
    value = number(value)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return str(value)
    if amount or (isinstance(value, (float, Decimal)) and value != int(value)):
        return f"{value:,.2f}"
    return f"{int(value):,}"


@dataclass(frozen=True)
class CellCount:
    """How a consolidated cell came about: reports with a number, reports that printed it blank,
    reports that do not print the cell at all (another layout), and cells printed with a unit (table 2)."""

    reports: int
    blanks: int
    absent: int = 0
    unit_cells: int = 0

    @property
    def complete(self) -> bool:
        """Every summed report printed a number here."""
        return not (self.blanks or self.absent or self.unit_cells)

    @property
    def text_zh(self) -> str:
        parts = [f"{self.reports} 份报告有数字", f"{self.blanks} 份空白"]
        if self.unit_cells:
            parts.append(f"{self.unit_cells} 份带单位未汇总")
        if self.absent:
            parts.append(f"{self.absent} 份未印此栏")
        return "，".join(parts)


CELL_NOTE = "空白不按 0 计"
MARK = "*"  # the marker of a cell not every summed report filled in


class Footnotes:
    """The footnotes of one table: a numbered marker per way a figure came about (e.g. "3 份报告有数字，
    1 份空白"), on every figure not all summed reports filled in; cells that came about alike share one."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def mark(self, count: CellCount | None) -> str:
        """The marker of a cell, e.g. *1; '' when every summed report printed a number in it."""
        if count is None or count.complete:
            return ""
        if count.text_zh not in self.texts:
            self.texts.append(count.text_zh)
        return f"{MARK}{self.texts.index(count.text_zh) + 1}"

    def lines(self, summed: int) -> list[str]:
        """The note on unmarked figures, then one line per marker."""
        return [f"未标注的数字由全部 {summed:,} 份已汇总报告填写的数字相加；{CELL_NOTE}。"] + [
            f"{MARK}{i} {text}" for i, text in enumerate(self.texts, start=1)
        ]


def summed_by_template(c: Consolidation) -> dict[str, int]:
    """Summed reports per template."""
    counts: dict[str, int] = {}
    for a in c.agencies.dicts():
        if a["status"] == "summed" and a["template"]:
            counts[a["template"]] = counts.get(a["template"], 0) + 1
    return counts


def table3_counts(c: Consolidation) -> dict[tuple[str, str], CellCount]:
    """(row key, column key) → how the consolidated cell came about (table 3)."""
    summed = c.header["reports_summed"]
    return {
        k: CellCount(cell.reports, cell.blanks, max(0, summed - cell.reports - cell.blanks))
        for k, cell in c.cells.items()
    }


def table4_counts(c: Consolidation) -> dict[str, CellCount]:
    summed = c.header["reports_summed"]
    return {
        r["cell_key"]: CellCount(r["reports"], r["blank_cells"], max(0, summed - r["reports"] - r["blank_cells"]))
        for r in c.table4.dicts()
    }


def table2_counts(c: Consolidation) -> dict[tuple[str, str, str], CellCount]:
    """(template, row key, column key) → counts; a report of the template without a number or unit is blank."""
    per_template = summed_by_template(c)
    counts = {}
    for r in c.table2.dicts():
        n = per_template.get(r["template"], 0)
        counts[(r["template"], r["row_key"], r["column_key"])] = CellCount(
            r["reports"], max(0, n - r["reports"] - r["unit_cells"]), 0, r["unit_cells"]
        )
    return counts


def table2_printed(table2: Frame) -> list[tuple[str, str, list[str], list[tuple[str, list[dict[str, Any]]]]]]:
    """(template, item, column labels, [(row label, cell rows)]) per printed block of table 2."""
    blocks = []
    for (template, item), cells in groupby(table2.dicts(), key=lambda r: (r["template"], r["item_zh"])):
        cells = list(cells)
        columns = list(dict.fromkeys(c["column_label_zh"] for c in cells))
        by_row: dict[str, list[dict[str, Any]]] = {}
        for cell in cells:
            by_row.setdefault(cell["row_label_zh"], []).append(cell)
        blocks.append((template, item, columns, list(by_row.items())))
    return blocks


def t3_label(row: Row) -> str:
    """The printed label of a table 3 row, with its group for sub-rows (e.g. (三)不予公开 1.属于国家秘密)."""
    group = T3_GROUP_LABELS.get(row.group)
    return f"{group} {row.label}" if group else row.label


# Chinese headings of the completeness and year-on-year frames (workbook, CSV keep their keys too).
AGENCY_COLUMNS_ZH = {
    "status": "状态",
    "agency_name": "机构",
    "agency_kind": "类别",
    "division_code": "区划代码",
    "expected": "应报",
    "document_id": "报告标识",
    "template": "模板",
    "publication_date": "发布日期",
    "deadline": "法定期限",
    "published_late": "逾期",
    "last_loaded_year": "最近入库年度",
    "reason": "原因",
}
YOY_COLUMNS_ZH = {
    "table_name": "表",
    "row_key": "行键",
    "column_key": "列键",
    "项目": "项目",
    "value": "本年",
    "value_prior_year": "上年",
    "change": "增减",
    "change_pct": "增减%",
}
KIND_ZH = {"department": "部门", "government": "政府"}
TABLE_ZH = {"table3": "表三", "table4": "表四"}

# The fixed reasons consolidate.sql writes, in Chinese (a quarantined report's reason names its rules).
REASONS_ZH = {
    "no report for the year": "本年度未报送报告",
    "no document of this agency in the warehouse": "仓库中没有该机构的任何报告",
    "another loaded report of the same agency and year is summed": "同一机构同一年度另有一份报告已汇总",
    "legacy layout: no tables 2-4 to sum": "旧版格式：没有表二至表四可汇总",
    "roster unit matched to no agency (ogi roster list)": "名单上的单位未匹配到仓库中的机构（ogi roster list）",
}
REASON_PREFIXES_ZH = {"blocking rules failed: ": "阻断规则未通过："}


def reason_zh(reason: str | None) -> str | None:
    """A completeness reason in Chinese; one not known is kept as it is."""
    if reason is None:
        return None
    if reason in REASONS_ZH:
        return REASONS_ZH[reason]
    for prefix, zh in REASON_PREFIXES_ZH.items():
        if reason.startswith(prefix):
            return zh + reason[len(prefix) :]
    return reason
