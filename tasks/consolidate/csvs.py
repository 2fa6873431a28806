"""The consolidation as CSV files, one per table (utf-8 with a BOM, so Excel on Chinese Windows opens them).

Fields are data, never code (OWASP, CSV injection): a text field starting with = + - @, a tab or a
carriage return gets a leading ' so a spreadsheet shows it as text instead of evaluating it. Numbers
are written as numbers, a negative one included.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from tasks.consolidate.layout import as_text, table4_header
from tasks.consolidate.read import Consolidation

TABLE2_COLUMNS = ("模板", "条款", "信息内容", "指标", "数值", "row_key", "column_key")
TABLE2_FIELDS = ("template", "item_zh", "row_label_zh", "column_label_zh", "value", "row_key", "column_key")
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
    t2 = [[r[k] for k in TABLE2_FIELDS] for r in c.table2.dicts()]
    t4 = [[r["cases"] for r in c.table4.dicts()]]
    return [
        _write_csv(out / "table2.csv", TABLE2_COLUMNS, t2),
        _write_csv(out / "table3.csv", c.table3.columns, c.table3.rows),
        _write_csv(out / "table4.csv", table4_header(), t4),
        _write_csv(out / "agencies.csv", c.agencies.columns, c.agencies.rows),
        _write_csv(out / "yoy.csv", c.yoy.columns, c.yoy.rows),
    ]
