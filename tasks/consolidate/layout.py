"""What the workbook, the CSV files and the HTML report share: labels, the scope in words, number
and text conversion, and the printed blocks of table 2."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from tasks.consolidate.read import Frame
from tasks.keys import T3_ROWS, T4_GROUP_LABELS, T4_GROUPS, T4_OUTCOME_LABELS, T4_OUTCOMES

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
