"""The consolidation as one self-contained HTML page (inline SVG charts, no script, no network) that
opens from disk. Every value from the warehouse is escaped."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tasks.consolidate.charts import charts
from tasks.consolidate.layout import SCOPE_NOTE, STATUS_ZH, T3_VALUE_COLUMNS, as_text, scope_label, table2_blocks
from tasks.consolidate.read import Consolidation

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:13px}
th,td{border:1px solid #999;padding:3px 6px;text-align:left}
th{background:#eee;text-align:center} td.n{text-align:right}
.charts{display:flex;flex-wrap:wrap;gap:2em} .charts section{min-width:420px}
.empty{color:#777} .note{color:#555;font-size:13px}
"""
COMPLETENESS_COLUMNS = ("状态", "机构", "类别", "应报", "报告", "发布日期", "期限", "逾期", "最近入库年度", "原因")


def _td(value: Any) -> str:
    """A cell; numbers right-aligned."""
    cls = ' class="n"' if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
    return f"<td{cls}>{html.escape(as_text(value))}</td>"


def _html_table(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_td(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _head(c: Consolidation) -> str:
    """From the doctype to the line under the page heading."""
    h = c.header
    scope = html.escape(scope_label(h))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>政府信息公开工作年度报告汇总 {scope}</title>
<style>{_CSS}</style></head><body>
<h1>政府信息公开工作年度报告汇总</h1>
<p>{scope} · 汇总标识 <code>{html.escape(h["consolidation_key"])}</code> ·
生成于 {html.escape(str(h["consolidated_at"])[:19])}</p>
"""


def _summary(c: Consolidation) -> str:
    """The counts of the consolidation and the note on what is summed."""
    h = c.header
    counts = ["agencies_expected", "reports_summed", "reports_summed_prior_year", "agencies_quarantined"]
    table = _html_table(
        ["应报机构", "已汇总报告", "上年已汇总", "仅有隔离报告", "未报送"],
        [[*(h[k] for k in counts), h["agencies_missing"]]],
    )
    return f'{table}\n<p class="note">{html.escape(SCOPE_NOTE)}</p>\n'


def _charts(c: Consolidation) -> str:
    ch = charts(c)
    return f"""<div class="charts">
<section><h2>历年收到申请数(本年新收)</h2>{ch["requests_by_year"]}</section>
<section><h2>办理结果构成</h2>{ch["outcomes"]}</section>
<section><h2>收到申请最多的机构</h2>{ch["top_agencies"]}</section>
<section><h2>违反的勾稽规则</h2>{ch["violations"]}</section>
</div>
"""


def _table2(c: Consolidation) -> str:
    blocks = "".join(
        f"<h3>{html.escape(item)}({html.escape(str(template))}年模板)</h3>"
        + _html_table(["信息内容", *columns], [[lab, *vals] for lab, vals in rows])
        for template, item, columns, rows in table2_blocks(c.table2)
    )
    return f"<h2>二、主动公开政府信息情况</h2>{blocks}\n"


def _table3(c: Consolidation) -> str:
    rows = [[r["项目"], *(r[k] for k in T3_VALUE_COLUMNS)] for r in c.table3.dicts()]
    return f"<h2>三、收到和处理政府信息公开申请情况</h2>\n{_html_table(['项目', *T3_VALUE_COLUMNS], rows)}\n"


def _table4(c: Consolidation) -> str:
    t4 = c.table4.dicts()
    table = (
        "<table><thead><tr><th colspan=5>行政复议</th><th colspan=10>行政诉讼</th></tr>"
        "<tr><th colspan=5></th><th colspan=5>未经复议直接起诉</th><th colspan=5>复议后起诉</th></tr><tr>"
        + "".join(f"<th>{html.escape(r['outcome_label_zh'])}</th>" for r in t4)
        + "</tr></thead><tbody><tr>"
        + "".join(_td(r["cases"]) for r in t4)
        + "</tr></tbody></table>"
    )
    return f"<h2>四、政府信息公开行政复议、行政诉讼情况</h2>{table}\n"


def _completeness(c: Consolidation) -> str:
    rows = [
        (
            STATUS_ZH.get(a["status"], a["status"]),
            a["agency_name"],
            a["agency_kind"],
            "是" if a["expected"] else "",
            (a["document_id"] or "")[:12],
            a["publication_date"],
            a["deadline"],
            {True: "逾期", False: ""}.get(a["published_late"], ""),
            a["last_loaded_year"],
            a["reason"],
        )
        for a in c.agencies.dicts()
    ]
    return f"<h2>完整性:未报送、已隔离的报告</h2>{_html_table(COMPLETENESS_COLUMNS, rows)}\n"


def _yoy(c: Consolidation) -> str:
    rows = [
        [y["table_name"], y["项目"], y["value"], y["value_prior_year"], y["change"], y["change_pct"]]
        for y in c.yoy.dicts()
    ]
    return f"<h2>同比变化</h2>\n{_html_table(['表', '项目', '本年', '上年', '增减', '增减%'], rows)}\n"


def write_html(c: Consolidation, path: Path) -> Path:
    """One self-contained page: summary, four charts, the three tables, completeness, year on year."""
    parts = (_head, _summary, _charts, _table2, _table3, _table4, _completeness, _yoy)
    page = "".join(part(c) for part in parts) + "</body></html>\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
