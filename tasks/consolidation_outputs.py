"""The consolidation's files: an Excel workbook in the statutory layout, one CSV per table, and one
self-contained HTML report (inline SVG charts, no script, no network) that opens from disk."""

from __future__ import annotations

import csv
import html
import unicodedata
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path
from typing import Any

from tasks.consolidate import Consolidation, Frame
from tasks.keys import T3_GROUP_LABELS, T3_ROWS, T4_GROUP_LABELS, T4_GROUPS, T4_OUTCOME_LABELS, T4_OUTCOMES

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


def _text(value: Any) -> str:
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


# ------------------------------------------------------------------------------------------ CSV


def _write_csv(path: Path, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> Path:
    # utf-8 with a BOM: Excel on Chinese Windows opens it with the right encoding
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(columns)
        w.writerows([_text(v) for v in row] for row in rows)
    return path


def write_csvs(c: Consolidation, out: Path) -> list[Path]:
    """table2.csv, table3.csv, table4.csv (printed layout), agencies.csv, yoy.csv."""
    out.mkdir(parents=True, exist_ok=True)
    t2 = c.table2.dicts()
    t4 = c.table4.dicts()
    return [
        _write_csv(
            out / "table2.csv",
            ["模板", "条款", "信息内容", "指标", "数值", "row_key", "column_key"],
            [
                (
                    r["template"],
                    r["item_zh"],
                    r["row_label_zh"],
                    r["column_label_zh"],
                    r["value"],
                    r["row_key"],
                    r["column_key"],
                )
                for r in t2
            ],
        ),
        _write_csv(out / "table3.csv", c.table3.columns, c.table3.rows),
        _write_csv(out / "table4.csv", table4_header(), [[r["cases"] for r in t4]]),
        _write_csv(out / "agencies.csv", c.agencies.columns, c.agencies.rows),
        _write_csv(out / "yoy.csv", c.yoy.columns, c.yoy.rows),
    ]


# ---------------------------------------------------------------------------------------- Excel


def write_workbook(c: Consolidation, path: Path) -> Path:
    """The consolidated tables in the statutory layout, with completeness and year-on-year sheets."""
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True, "bg_color": "#EEEEEE"}
    )
    label = wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    num = wb.add_format({"border": 1, "num_format": "#,##0.####"})
    h = c.header

    ws = wb.add_worksheet("说明")
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 60)
    ws.write(0, 0, "政府信息公开工作年度报告汇总", title)
    facts = [
        ("范围", scope_label(h)),
        ("汇总标识 consolidation_key", h["consolidation_key"]),
        ("应报机构(往年已报或名单所列)", h["agencies_expected"]),
        ("已汇总报告", h["reports_summed"]),
        ("上年已汇总报告", h["reports_summed_prior_year"]),
        ("仅有隔离报告的机构", h["agencies_quarantined"]),
        ("未报送的应报机构", h["agencies_missing"]),
        ("生成时间", str(h["consolidated_at"])[:19]),
        ("说明", SCOPE_NOTE),
    ]
    for i, (k, v) in enumerate(facts, start=2):
        ws.write(i, 0, k, label)
        ws.write(i, 1, v, label)

    ws = wb.add_worksheet("表二 主动公开")
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 5, 16)
    ws.write(0, 0, "二、主动公开政府信息情况", title)
    row = 2
    for template, item, columns, rows in table2_blocks(c.table2):
        ws.write(row, 0, f"{item}({template}年模板)", head)
        ws.write(row, 1, "信息内容", head)
        for j, col in enumerate(columns):
            ws.write(row, 2 + j, col, head)
        for r_label, values in rows:
            row += 1
            ws.write(row, 0, "", label)
            ws.write(row, 1, r_label, label)
            for j, v in enumerate(values):
                ws.write(row, 2 + j, v, num)
        row += 2

    ws = wb.add_worksheet("表三 依申请")
    _table3_sheet(ws, c, title, head, label, num)

    ws = wb.add_worksheet("表四 复议诉讼")
    ws.write(0, 0, "四、政府信息公开行政复议、行政诉讼情况", title)
    ws.set_column(0, 14, 10)
    ws.merge_range(2, 0, 3, 4, "行政复议", head)
    ws.merge_range(2, 5, 2, 14, "行政诉讼", head)
    ws.merge_range(3, 5, 3, 9, "未经复议直接起诉", head)
    ws.merge_range(3, 10, 3, 14, "复议后起诉", head)
    for j, r in enumerate(c.table4.dicts()):
        ws.write(4, j, r["outcome_label_zh"], head)
        ws.write(5, j, r["cases"], num)

    _frame_sheet(wb.add_worksheet("完整性"), c.agencies, head, label)
    _frame_sheet(wb.add_worksheet("同比"), c.yoy, head, label)
    wb.close()
    return path


def _table3_sheet(ws: Any, c: Consolidation, title: Any, head: Any, label: Any, num: Any) -> None:
    """Table 3 as printed: three label columns (section, group, item) and the seven applicant columns."""
    ws.write(0, 0, "三、收到和处理政府信息公开申请情况", title)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 40)
    ws.set_column(3, 9, 11)
    ws.merge_range(2, 0, 4, 2, "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", head)
    ws.merge_range(2, 3, 2, 9, "申请人情况", head)
    ws.merge_range(3, 3, 4, 3, "自然人", head)
    ws.merge_range(3, 4, 3, 8, "法人或其他组织", head)
    ws.merge_range(3, 9, 4, 9, "总计", head)
    for j, col in enumerate(T3_VALUE_COLUMNS[1:6]):
        ws.write(4, 4 + j, col, head)
    first = 5
    rows = {r["row_key"]: r for r in c.table3.dicts()}
    outcome_rows = [i for i, r in enumerate(T3_ROWS) if r.group]
    ws.merge_range(first + outcome_rows[0], 0, first + outcome_rows[-1], 0, "三、本年度办理结果", label)
    for group, members in groupby(enumerate(T3_ROWS), key=lambda ir: ir[1].group):
        members = list(members)
        if group in T3_GROUP_LABELS:
            top, bottom = first + members[0][0], first + members[-1][0]
            if top == bottom:
                ws.write(top, 1, T3_GROUP_LABELS[group], label)
            else:
                ws.merge_range(top, 1, bottom, 1, T3_GROUP_LABELS[group], label)
    for i, r in enumerate(T3_ROWS):
        y = first + i
        text = r.label + (" 合计" if r.key == "other_total" else "")
        if not r.group:
            ws.merge_range(y, 0, y, 2, text, label)
        elif r.group in T3_GROUP_LABELS:
            ws.write(y, 2, text, label)
        else:
            ws.merge_range(y, 1, y, 2, text, label)
        values = rows.get(r.key, {})
        for j, col in enumerate(T3_VALUE_COLUMNS):
            ws.write(y, 3 + j, values.get(col), num)


def _frame_sheet(ws: Any, frame: Frame, head: Any, label: Any) -> None:
    for j, col in enumerate(frame.columns):
        ws.write(0, j, col, head)
        ws.set_column(j, j, 16)
    for i, row in enumerate(frame.rows, start=1):
        for j, v in enumerate(row):
            ws.write(i, j, _text(STATUS_ZH.get(v, v) if frame.columns[j] == "status" else v), label)


# ----------------------------------------------------------------------------------------- HTML


def _width(text: str, size: int = 12) -> int:
    """Approximate rendered width in px: wide CJK characters count about one em, others half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.55 for ch in text)


def bar_chart(items: list[tuple[str, float | None, str]], empty: str = "无数据") -> str:
    """Horizontal bars: (label, value, text shown after the bar). Inline SVG, no script."""
    items = [(lab, v or 0, txt) for lab, v, txt in items]
    if not items or not any(v for _, v, _ in items):
        return f'<p class="empty">{html.escape(empty)}</p>'
    label_w = min(300, int(max(_width(lab) for lab, _, _ in items)) + 12)
    bar_w, row_h = 360, 24
    top = max(v for _, v, _ in items)
    parts = [f'<svg role="img" width="{label_w + bar_w + 90}" height="{row_h * len(items) + 4}" font-size="12">']
    for i, (lab, v, txt) in enumerate(items):
        y = i * row_h
        w = max(1, round(bar_w * v / top)) if v else 0
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{html.escape(lab)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}" fill="#3b6ea8">'
            f"<title>{html.escape(lab)}: {html.escape(txt)}</title></rect>"
            f'<text x="{label_w + w + 4}" y="{y + 16}">{html.escape(txt)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(items: list[tuple[str, float | None]], empty: str = "无数据") -> str:
    """Vertical bars (e.g. requests by year). Inline SVG, no script."""
    if not items or not any(v for _, v in items):
        return f'<p class="empty">{html.escape(empty)}</p>'
    col_w, plot_h = 56, 180
    top = max(v or 0 for _, v in items)
    parts = [f'<svg role="img" width="{col_w * len(items) + 20}" height="{plot_h + 44}" font-size="12">']
    for i, (lab, v) in enumerate(items):
        x = 10 + i * col_w
        h = round(plot_h * (v or 0) / top) if top else 0
        parts.append(
            f'<rect x="{x + 8}" y="{plot_h - h + 18}" width="{col_w - 16}" height="{h}" fill="#3b6ea8">'
            f"<title>{html.escape(lab)}: {_text(v)}</title></rect>"
            f'<text x="{x + col_w / 2}" y="{plot_h - h + 14}" text-anchor="middle">{_text(v)}</text>'
            f'<text x="{x + col_w / 2}" y="{plot_h + 34}" text-anchor="middle">{html.escape(lab)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _td(value: Any) -> str:
    """A cell; numbers right-aligned."""
    cls = ' class="n"' if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
    return f"<td{cls}>{html.escape(_text(value))}</td>"


def _html_table(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_td(v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def outcome_mix(c: Consolidation) -> list[tuple[str, int | None]]:
    """Handled requests by outcome group (table 3, 总计 column)."""
    totals = {r["row_key"]: r["总计"] for r in c.table3.dicts()}
    mix = []
    for lab, keys in OUTCOME_MIX:
        values = [totals.get(k) for k in keys if totals.get(k) is not None]
        mix.append((lab, sum(values) if values else None))
    return mix


def charts(c: Consolidation) -> dict[str, str]:
    """The four charts of the report, as SVG (or a 'no data' line)."""
    series = [
        (str(r["report_year"]), r["new_requests"] if r["new_requests"] is not None else r["legacy_requests_received"])
        for r in c.series.dicts()
    ]
    mix = outcome_mix(c)
    handled = sum(v for _, v in mix if v) or 0
    return {
        "requests_by_year": column_chart(series),
        "outcomes": bar_chart(
            [(lab, v, f"{_text(v)} ({v / handled:.0%})" if v and handled else _text(v)) for lab, v in mix]
        ),
        "top_agencies": bar_chart(
            [(r["agency_name"], r["new_requests"], _text(r["new_requests"])) for r in c.top_agencies.dicts()]
        ),
        "violations": bar_chart(
            [
                (
                    f"{r['rule_id']} ({'阻断' if r['severity'] == 'blocking' else '警告'})",
                    r["reports"],
                    f"{r['reports']} 份报告 / {r['instances']} 处",
                )
                for r in c.violations.dicts()
            ],
            empty="无违反规则的报告",
        ),
    }


_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:13px}
th,td{border:1px solid #999;padding:3px 6px;text-align:left}
th{background:#eee;text-align:center} td.n{text-align:right}
.charts{display:flex;flex-wrap:wrap;gap:2em} .charts section{min-width:420px}
.empty{color:#777} .note{color:#555;font-size:13px}
"""


def write_html(c: Consolidation, path: Path) -> Path:
    """One self-contained page: summary, four charts, the three tables, completeness, year on year."""
    h = c.header
    ch = charts(c)
    t4 = c.table4.dicts()
    t4_html = (
        "<table><thead><tr><th colspan=5>行政复议</th><th colspan=10>行政诉讼</th></tr>"
        "<tr><th colspan=5></th><th colspan=5>未经复议直接起诉</th><th colspan=5>复议后起诉</th></tr><tr>"
        + "".join(f"<th>{html.escape(r['outcome_label_zh'])}</th>" for r in t4)
        + "</tr></thead><tbody><tr>"
        + "".join(_td(r["cases"]) for r in t4)
        + "</tr></tbody></table>"
    )
    t2_html = "".join(
        f"<h3>{html.escape(item)}({template}年模板)</h3>"
        + _html_table(["信息内容", *columns], [[lab, *vals] for lab, vals in rows])
        for template, item, columns, rows in table2_blocks(c.table2)
    )
    agencies = c.agencies.dicts()
    completeness = _html_table(
        ["状态", "机构", "类别", "应报", "报告", "发布日期", "期限", "逾期", "最近入库年度", "原因"],
        [
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
            for a in agencies
        ],
    )
    summary = _html_table(
        ["应报机构", "已汇总报告", "上年已汇总", "仅有隔离报告", "未报送"],
        [
            [
                h["agencies_expected"],
                h["reports_summed"],
                h["reports_summed_prior_year"],
                h["agencies_quarantined"],
                h["agencies_missing"],
            ]
        ],
    )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>政府信息公开工作年度报告汇总 {html.escape(scope_label(h))}</title>
<style>{_CSS}</style></head><body>
<h1>政府信息公开工作年度报告汇总</h1>
<p>{html.escape(scope_label(h))} · 汇总标识 <code>{html.escape(h["consolidation_key"])}</code> ·
生成于 {html.escape(str(h["consolidated_at"])[:19])}</p>
{summary}
<p class="note">{html.escape(SCOPE_NOTE)}</p>
<div class="charts">
<section><h2>历年收到申请数(本年新收)</h2>{ch["requests_by_year"]}</section>
<section><h2>办理结果构成</h2>{ch["outcomes"]}</section>
<section><h2>收到申请最多的机构</h2>{ch["top_agencies"]}</section>
<section><h2>违反的勾稽规则</h2>{ch["violations"]}</section>
</div>
<h2>二、主动公开政府信息情况</h2>{t2_html}
<h2>三、收到和处理政府信息公开申请情况</h2>
{_html_table(["项目", *T3_VALUE_COLUMNS], [[r["项目"], *(r[k] for k in T3_VALUE_COLUMNS)] for r in c.table3.dicts()])}
<h2>四、政府信息公开行政复议、行政诉讼情况</h2>{t4_html}
<h2>完整性:未报送、已隔离的报告</h2>{completeness}
<h2>同比变化</h2>
{
        _html_table(
            ["表", "项目", "本年", "上年", "增减", "增减%"],
            [
                [y["table_name"], y["项目"], y["value"], y["value_prior_year"], y["change"], y["change_pct"]]
                for y in c.yoy.dicts()
            ],
        )
    }
</body></html>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
