"""The consolidation as CSV files, one per table (utf-8 with a BOM, so Excel on Chinese Windows opens them).

Fields are data, never code (OWASP, CSV injection): a text field starting with = + - @, a tab or a
carriage return gets a leading ' so a spreadsheet shows it as text instead of evaluating it. Numbers
are written as numbers, a negative one included.

Every consolidated figure comes with the number of reports that printed a number in it and the
number that printed it blank (blank is not 0): columns beside the figures in table2.csv and
table3.csv, two more rows in table4.csv. checks.csv holds R1–R3 on the consolidated table 3.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from tasks.consolidate.layout import as_text, table2_counts, table3_counts, table4_counts, table4_header
from tasks.consolidate.read import Consolidation
from tasks.keys import T3_COLUMN_LABELS, T3_COLUMNS

TABLE2_COLUMNS = (
    "模板",
    "条款",
    "信息内容",
    "指标",
    "数值",
    "有数字的报告数",
    "空白的报告数",
    "带单位未汇总的报告数",
    "row_key",
    "column_key",
)
TABLE2_FIELDS = ("template", "item_zh", "row_label_zh", "column_label_zh", "value", "row_key", "column_key")
CHECK_COLUMNS = (
    "规则",
    "结果",
    "列或行",
    "规则说明",
    "左边",
    "右边",
    "空白单元格",
    "详情",
    "rule_id",
    "instance",
    "outcome",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_field(value: Any) -> str:
    """A value as a CSV field: numbers as printed, text with a leading ' if a spreadsheet would run it."""
    if isinstance(value, (bool, int, float, Decimal)) or value is None:
        return as_text(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _write_csv(path: Path, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> Path:
    # utf-8 with a BOM: Excel on Chinese Windows opens it with the right encoding
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow([csv_field(c) for c in columns])
        w.writerows([csv_field(v) for v in row] for row in rows)
    return path


def write_csvs(c: Consolidation, out: Path) -> list[Path]:
    """table2.csv, table3.csv, table4.csv (printed layout), agencies.csv, yoy.csv."""
    out.mkdir(parents=True, exist_ok=True)
    return [
        _write_csv(out / "table2.csv", TABLE2_COLUMNS, _table2_rows(c)),
        _write_csv(out / "table3.csv", *_table3(c)),
        _write_csv(out / "table4.csv", ["项目", *table4_header()], _table4_rows(c)),
        _write_csv(out / "agencies.csv", c.agencies.columns, c.agencies.rows),
        _write_csv(out / "yoy.csv", c.yoy.columns, c.yoy.rows),
        _write_csv(out / "checks.csv", CHECK_COLUMNS, _check_rows(c)),
    ]


def _table2_rows(c: Consolidation) -> list[list[Any]]:
    counts = table2_counts(c)
    rows = []
    for r in c.table2.dicts():
        n = counts[(r["template"], r["row_key"], r["column_key"])]
        f = [r[k] for k in TABLE2_FIELDS]
        rows.append([*f[:5], n.reports, n.blanks, n.unit_cells, *f[5:]])
    return rows


def _table3(c: Consolidation) -> tuple[list[str], list[list[Any]]]:
    """Table 3 with the template's rows: the figures, then per column the reports with a number and the blanks."""
    labels = [T3_COLUMN_LABELS[k] for k in T3_COLUMNS]
    columns = [
        *c.table3.columns,
        *(f"{lab}_有数字的报告数" for lab in labels),
        *(f"{lab}_空白的报告数" for lab in labels),
    ]
    printed = {r.key for r in c.t3_rows}
    counts = table3_counts(c)
    rows = []
    for r in c.table3.dicts():
        if r["row_key"] not in printed:
            continue
        n = [counts[(r["row_key"], k)] for k in T3_COLUMNS]
        rows.append([*r.values(), *(x.reports for x in n), *(x.blanks for x in n)])
    return columns, rows


def _table4_rows(c: Consolidation) -> list[list[Any]]:
    counts = table4_counts(c)
    t4 = c.table4.dicts()
    return [
        ["案件数", *(r["cases"] for r in t4)],
        ["有数字的报告数", *(counts[r["cell_key"]].reports for r in t4)],
        ["空白的报告数", *(counts[r["cell_key"]].blanks for r in t4)],
    ]


def _check_rows(c: Consolidation) -> list[list[Any]]:
    return [
        [k.rule_id, k.outcome_zh, k.label_zh, k.message_zh, k.lhs, k.rhs, k.blanks, k.detail_zh]
        + [k.rule_id, k.instance, k.outcome]
        for k in c.checks
    ]
