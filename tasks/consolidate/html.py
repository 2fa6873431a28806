"""The consolidation as one self-contained HTML page (inline SVG charts, no script, no network) that
opens from disk, on a desktop or a phone: the charts scale with the page, each wide table scrolls in
its own box, figures have thousands separators. Every value from the warehouse is escaped.

A figure not every summed report filled in carries a marker and a footnote with its counts (every cell
also says them on hover); R1–R3 on the consolidated table 3 have their own section."""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tasks.consolidate.charts import charts
from tasks.consolidate.layout import (
    AMOUNT_COLUMNS,
    CELL_NOTE,
    KIND_ZH,
    SCOPE_NOTE,
    STATUS_ZH,
    T3_VALUE_COLUMNS,
    TABLE_ZH,
    CellCount,
    Footnotes,
    reason_zh,
    scope_label,
    shown,
    t3_label,
    table2_counts,
    table2_printed,
    table3_counts,
    table4_counts,
)
from tasks.consolidate.read import Consolidation
from tasks.consolidate.rectification import COLUMNS_ZH as RECTIFY_COLUMNS_ZH
from tasks.consolidate.rectification import TITLE as RECTIFY_TITLE
from tasks.consolidate.rectification import rectification_note, rectification_rows
from tasks.keys import T3_COLUMN_LABELS, T3_COLUMNS
from tasks.messages import completeness, expected_basis, t

_CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0 auto;padding:1em;
color:#222;max-width:1200px;line-height:1.5;overflow-wrap:anywhere}
h1{font-size:1.5em} h2{font-size:1.2em;margin-top:1.5em} h3{font-size:1em}
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch;margin:0.5em 0 1em}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #999;padding:3px 6px;text-align:left;overflow-wrap:normal}
th{background:#eee;text-align:center} td.n{text-align:right;white-space:nowrap}
td.lab,th.label{min-width:10em} td.msg{min-width:16em} th{min-width:3.5em}
details{margin:0 0 1em} summary{cursor:pointer;color:#3b6ea8}
td.part{background:#fff2cc} td.blank{background:#d9d9d9}
tr.fail td{color:#c00000}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:1.5em}
.charts section{min-width:0}
.empty{color:#777} .note,.foot{color:#555;font-size:13px} .foot{margin:0 0 1.5em;padding-left:1.2em;list-style:none}
code{overflow-wrap:anywhere}
"""
COMPLETENESS_COLUMNS = ("状态", "机构", "类别", "应报", "报告", "发布日期", "期限", "逾期", "最近入库年度", "原因")
CHECK_COLUMNS = ("规则", "结果", "列/行", "规则说明", "详情")


class Notes(Footnotes):
    """Footnotes of one table, with each figure as a <td>."""

    def cell(self, value: Any, count: CellCount | None, where: str, amount: bool = False) -> str:
        """A figure's <td>: separators, its counts on hover, a marker when not every report filled it in."""
        text = html.escape(shown(value, amount))
        if count is None:
            return f'<td class="n">{text}</td>'
        title = html.escape(f"{where}：{count.text_zh}（{CELL_NOTE}）")
        mark = self.mark(count)
        if not mark:
            return f'<td class="n" title="{title}">{text}</td>'
        cls = "n blank" if value is None else "n part"
        return f'<td class="{cls}" title="{title}">{text or "—"}<sup>{mark}</sup></td>'

    def html(self, summed: int) -> str:
        head, *marks = self.lines(summed)
        items = "".join(f"<li>{html.escape(line)}</li>" for line in marks)
        return f'<p class="note">{html.escape(head)}</p>' + (f'<ul class="foot">{items}</ul>' if items else "")


def _td(value: Any, wide: bool = False) -> str:
    """A cell; numbers right-aligned, with thousands separators; a wide text column keeps a readable
    width (its table scrolls in its box instead of squeezing it into a tall narrow column)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<td class="n">{html.escape(shown(value))}</td>'
    cls = ' class="msg"' if wide else ""
    return f"<td{cls}>{html.escape('' if value is None else str(value))}</td>"


def _scroll(table: str) -> str:
    """A table in its own horizontally scrolling box, so a wide table never widens the page."""
    return f'<div class="scroll">{table}</div>'


def _html_table(
    columns: Iterable[str], rows: Iterable[Iterable[Any]], row_class: Iterable[str] = (), wide: tuple[int, ...] = ()
) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    classes = list(row_class)
    body = "".join(
        (f'<tr class="{classes[i]}">' if i < len(classes) and classes[i] else "<tr>")
        + "".join(_td(v, j in wide) for j, v in enumerate(row))
        + "</tr>"
        for i, row in enumerate(rows)
    )
    return _scroll(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _head(c: Consolidation) -> str:
    """From the doctype to the line under the page heading."""
    h = c.header
    scope = html.escape(scope_label(h))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府信息公开工作年度报告汇总 {scope}</title>
<style>{_CSS}</style></head><body>
<h1>政府信息公开工作年度报告汇总</h1>
<p>{scope} · 汇总标识 <code>{html.escape(h["consolidation_key"])}</code> ·
生成于 {html.escape(str(h["consolidated_at"])[:19])}</p>
"""


def _summary(c: Consolidation) -> str:
    """The counts of the consolidation and the note on what is summed."""
    h = c.header
    counts = ["reports_summed", "reports_summed_prior_year", "agencies_quarantined"]
    complete = completeness(h)
    table = _html_table(
        [*(label for label, _ in complete), "已汇总报告", "上年已汇总", "仅有隔离报告"],
        [[*(n for _, n in complete), *(h[k] for k in counts)]],
    )
    basis = f'<p class="note">{html.escape(t("completeness.basis"))}：{html.escape(expected_basis(h))}</p>'
    return f'{table}\n{basis}\n<p class="note">{html.escape(SCOPE_NOTE)}</p>\n'


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
    counts = table2_counts(c)
    notes = Notes()
    blocks = []
    for template, item, columns, rows in table2_printed(c.table2):
        head = "".join(f"<th>{html.escape(col)}</th>" for col in ["信息内容", *columns])
        body = "".join(
            f'<tr><td class="lab">{html.escape(label)}</td>'
            + "".join(
                notes.cell(
                    cell["value"],
                    counts.get((cell["template"], cell["row_key"], cell["column_key"])),
                    f"{item} {label} {cell['column_label_zh']}",
                    cell["column_key"] in AMOUNT_COLUMNS,
                )
                for cell in cells
            )
            + "</tr>"
            for label, cells in rows
        )
        blocks.append(
            f"<h3>{html.escape(item)}({html.escape(str(template))}年模板)</h3>"
            + _scroll(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        )
    return f"<h2>二、主动公开政府信息情况</h2>{''.join(blocks)}{notes.html(c.header['reports_summed'])}\n"


def _table3(c: Consolidation) -> str:
    """Table 3 with the template's rows and the printed headings (applicants, legal persons)."""
    counts = table3_counts(c)
    values = {k: cell.value for k, cell in c.cells.items()}
    notes = Notes()
    head = (
        '<thead><tr><th rowspan="3" class="label">(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)</th>'
        '<th colspan="7">申请人情况</th></tr>'
        '<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th></tr><tr>'
        + "".join(f"<th>{html.escape(col)}</th>" for col in T3_VALUE_COLUMNS[1:6])
        + "</tr></thead>"
    )
    body = "".join(
        f'<tr><td class="lab">{html.escape(t3_label(r))}</td>'
        + "".join(
            notes.cell(values.get((r.key, k)), counts.get((r.key, k)), f"{t3_label(r)} / {T3_COLUMN_LABELS[k]}")
            for k in T3_COLUMNS
        )
        + "</tr>"
        for r in c.t3_rows
    )
    table = _scroll(f"<table>{head}<tbody>{body}</tbody></table>")
    return f"<h2>三、收到和处理政府信息公开申请情况</h2>\n{table}{notes.html(c.header['reports_summed'])}\n"


def _table4(c: Consolidation) -> str:
    t4 = c.table4.dicts()
    counts = table4_counts(c)
    notes = Notes()
    table = (
        "<table><thead><tr><th colspan=5>行政复议</th><th colspan=10>行政诉讼</th></tr>"
        "<tr><th colspan=5></th><th colspan=5>未经复议直接起诉</th><th colspan=5>复议后起诉</th></tr><tr>"
        + "".join(f"<th>{html.escape(r['outcome_label_zh'])}</th>" for r in t4)
        + "</tr></thead><tbody><tr>"
        + "".join(
            notes.cell(r["cases"], counts.get(r["cell_key"]), f"{r['group_label_zh']} {r['outcome_label_zh']}")
            for r in t4
        )
        + "</tr></tbody></table>"
    )
    return f"<h2>四、政府信息公开行政复议、行政诉讼情况</h2>{_scroll(table)}{notes.html(c.header['reports_summed'])}\n"


def _checks(c: Consolidation) -> str:
    """R1–R3 on the consolidated table 3: the count by outcome, then every instance, violations first."""
    order = {"fail": 0, "not_assessable": 1, "pass": 2}
    checks = sorted(c.checks, key=lambda k: order[k.outcome])
    n = {o: sum(1 for k in checks if k.outcome == o) for o in order}
    summary = (
        f"汇总后的表三按 R1–R3 检查 {len(checks):,} 处：{n['pass']:,} 处成立，"
        f"{n['fail']:,} 处不成立，{n['not_assessable']:,} 处无法判断（运算项全部空白）。"
        "部分报告空白的单元格未按 0 计，可能使汇总后的等式不成立，详情中注明了空白单元格数。"
    )

    def table(ks: list) -> str:
        rows = [(k.rule_id, k.outcome_zh, k.label_zh, k.message_zh, k.detail_zh) for k in ks]
        return _html_table(CHECK_COLUMNS, rows, ["fail" if k.outcome == "fail" else "" for k in ks], wide=(3, 4))

    open_ = [k for k in checks if k.outcome != "pass"]
    passed = [k for k in checks if k.outcome == "pass"]
    shown_ = table(open_) if open_ else '<p class="empty">汇总后的表三满足 R1–R3。</p>'
    # the instances that hold, folded (no script: <details> opens by itself)
    folded = f"<details><summary>成立的 {len(passed):,} 处</summary>{table(passed)}</details>" if passed else ""
    return f'<h2>勾稽检查(汇总后的表三,R1–R3)</h2><p class="note">{html.escape(summary)}</p>{shown_}{folded}\n'


def _completeness(c: Consolidation) -> str:
    rows = [
        (
            STATUS_ZH.get(a["status"], a["status"]),
            a["agency_name"],
            KIND_ZH.get(a["agency_kind"], a["agency_kind"]),
            "是" if a["expected"] else "",
            (a["document_id"] or "")[:12],
            a["publication_date"],
            a["deadline"],
            {True: "逾期", False: ""}.get(a["published_late"], ""),
            str(a["last_loaded_year"] or ""),
            reason_zh(a["reason"]),
        )
        for a in c.agencies.dicts()
    ]
    return f"<h2>完整性:未报送、已隔离的报告</h2>{_html_table(COMPLETENESS_COLUMNS, rows, wide=(1, 9))}\n"


def _yoy(c: Consolidation) -> str:
    rows = [
        [
            TABLE_ZH.get(y["table_name"], y["table_name"]),
            y["项目"],
            y["value"],
            y["value_prior_year"],
            y["change"],
            "" if y["change_pct"] is None else f"{y['change_pct']:,.1f}",
        ]
        for y in c.yoy.dicts()
    ]
    return f"<h2>同比变化</h2>\n{_html_table(['表', '项目', '本年', '上年', '增减', '增减%'], rows, wide=(1,))}\n"


def _rectification(c: Consolidation) -> str:
    """The scope's open rectification items; an overdue one in red."""
    rows = rectification_rows(c)
    note = f'<p class="note">{html.escape(rectification_note(c))}</p>'
    if not rows:
        return f"<h2>{RECTIFY_TITLE}</h2>{note}\n"
    table = _html_table(RECTIFY_COLUMNS_ZH, rows, row_class=["fail" if r[-1] else "" for r in rows], wide=(1, 4))
    return f"<h2>{RECTIFY_TITLE}</h2>{note}{table}\n"


def write_html(c: Consolidation, path: Path) -> Path:
    """One self-contained page: summary, four charts, the three tables, the R1–R3 check, completeness,
    the open rectification items, year on year."""
    parts = (_head, _summary, _charts, _table2, _table3, _table4, _checks, _completeness, _rectification, _yoy)
    page = "".join(part(c) for part in parts) + "</body></html>\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
