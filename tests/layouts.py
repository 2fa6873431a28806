"""Test-only renderers: a canonical record written out the way agencies and crawlers print reports.

Each layout follows one seen in real documents (see ../shared/corpus/README.md): Word-export HTML
with spans and row/col spans, `|`-flattened rows, one cell per line, cells followed by ` |`,
markdown tables from PDF converters, and crawler text with a row's digits run together.
Hypothesis strategies build random records that satisfy every statutory identity.
"""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from tasks.keys import (
    OTHER_SUBROWS,
    T2_COLUMN_LABELS,
    T2_ROWS,
    T3_APPLICANT_COLUMNS,
    T3_COLUMN_LABELS,
    T3_COLUMNS,
    T3_GROUP_LABELS,
    T3_ROWS,
    T4_GROUPS,
    T4_KEYS,
    T4_OUTCOMES,
)

AGENCIES = [
    "湘乡市信访局",
    "金华市金东区行政服务中心",
    "盘州市乌蒙镇人民政府",
    "淮安市人民政府",
    "沭阳县发展和改革局",
    "上海市科学技术委员会",
]
PROSE = "根据《中华人民共和国政府信息公开条例》要求，现公布本年度政府信息公开工作年度报告。"

# ------------------------------------------------------------------ records


@st.composite
def records(draw, template: str | None = None) -> dict[str, Any]:
    """A random report whose tables satisfy R1, R2, R3 and R5."""
    template = template or draw(st.sampled_from(["2019", "2021"]))
    count = st.one_of(st.just(0), st.integers(0, 9), st.integers(10, 400))
    rows = [
        r.key
        for r in T3_ROWS
        if template in r.templates
        and r.key not in ("handled_total", "new_requests", "carried_over_in", "carried_over_out")
    ]
    t3: dict[str, dict[str, int]] = {
        r: {} for r in rows + ["new_requests", "carried_over_in", "handled_total", "carried_over_out"]
    }
    for c in T3_APPLICANT_COLUMNS:
        for r in rows:
            t3[r][c] = draw(count)
        handled = sum(t3[r][c] for r in rows)
        carried_in = draw(st.integers(0, handled))
        carried_out = draw(st.integers(0, 30))
        t3["handled_total"][c] = handled
        t3["carried_over_in"][c] = carried_in
        t3["carried_over_out"][c] = carried_out
        t3["new_requests"][c] = handled + carried_out - carried_in
    for r in t3:
        t3[r]["total"] = sum(t3[r][c] for c in T3_APPLICANT_COLUMNS)
    if template == "2021":
        t3["other_total"] = {c: sum(t3[r][c] for r in OTHER_SUBROWS) for c in T3_COLUMNS}
    t4 = {}
    for g in T4_GROUPS:
        parts = [draw(st.integers(0, 12)) for _ in T4_OUTCOMES[:-1]]
        t4.update({f"{g}_{o}": v for o, v in zip(T4_OUTCOMES[:-1], parts)})
        t4[f"{g}_total"] = sum(parts)
    t2 = {}
    for row in T2_ROWS[template]:
        if row.key == "central_procurement":
            continue
        cells = {}
        for col in row.columns:
            if col == "amount_10k_yuan":
                cells[col] = draw(st.sampled_from([0, 1.5, 12.25, 7730.28]))
            elif col == "items_change":
                cells[col] = draw(st.integers(-20, 20))
            else:
                cells[col] = draw(count)
        t2[row.key] = cells
    return {
        "agency": draw(st.sampled_from(AGENCIES)),
        "report_year": draw(st.integers(2019, 2020) if template == "2019" else st.integers(2021, 2025)),
        "template": template,
        "table2": t2,
        "table3": t3,
        "table4": t4,
    }


def seeded_record(template: str, seed: int) -> dict[str, Any]:
    """One fixed, consistent record per seed, built with plain `random` (for slow renderers)."""
    rng = random.Random(seed)

    def count() -> int:
        return rng.choice([0, rng.randint(0, 9), rng.randint(10, 400)])

    rows = [
        r.key
        for r in T3_ROWS
        if template in r.templates
        and r.group in ("outcomes", "denied", "unavailable", "not_processed", "other")
        and r.key != "handled_total"
    ]
    t3: dict[str, dict[str, int]] = {
        k: {} for k in rows + ["new_requests", "carried_over_in", "handled_total", "carried_over_out"]
    }
    for c in T3_APPLICANT_COLUMNS:
        for r in rows:
            t3[r][c] = count()
        handled = sum(t3[r][c] for r in rows)
        t3["handled_total"][c] = handled
        t3["carried_over_in"][c] = rng.randint(0, handled)
        t3["carried_over_out"][c] = rng.randint(0, 30)
        t3["new_requests"][c] = handled + t3["carried_over_out"][c] - t3["carried_over_in"][c]
    for cols in t3.values():
        cols["total"] = sum(cols[c] for c in T3_APPLICANT_COLUMNS)
    if template == "2021":
        t3["other_total"] = {c: sum(t3[r][c] for r in OTHER_SUBROWS) for c in T3_COLUMNS}
    t4 = {}
    for g in T4_GROUPS:
        parts = {o: rng.randint(0, 12) for o in T4_OUTCOMES[:-1]}
        t4.update({f"{g}_{o}": v for o, v in parts.items()} | {f"{g}_total": sum(parts.values())})
    t2 = {
        row.key: {
            col: (12.25 if col == "amount_10k_yuan" else rng.randint(-20, 20) if col == "items_change" else count())
            for col in row.columns
        }
        for row in T2_ROWS[template]
        if row.key != "central_procurement"
    }
    return {
        "agency": rng.choice(AGENCIES),
        "report_year": rng.choice([2019, 2020] if template == "2019" else [2021, 2022, 2023, 2024]),
        "template": template,
        "table2": t2,
        "table3": t3,
        "table4": t4,
    }


# ------------------------------------------------------------------ table content as rows


def _fmt(v: Any) -> str:
    return "" if v is None else str(v)


def t3_rows(record: dict[str, Any]) -> list[tuple[list[str], list[str]]]:
    """(label cells, value cells) per printed table-3 row, in printed order."""
    template = record["template"]
    out = []
    for r in T3_ROWS:
        if r.key == "other_total" and template == "2021":
            continue
        if template not in r.templates:
            continue
        labels = []
        if r.group in ("outcomes", "denied", "unavailable", "not_processed", "other"):
            labels.append("三、本年度办理结果")
        if r.group in T3_GROUP_LABELS:
            labels.append(T3_GROUP_LABELS[r.group])
        labels.append(r.label)
        out.append((labels, [_fmt(record["table3"][r.key].get(c)) for c in T3_COLUMNS]))
    return out


def t2_blocks(record: dict[str, Any]) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """(item heading, column headers, rows) per table-2 block."""
    blocks: dict[str, tuple[str, list[str], list]] = {}
    for row in T2_ROWS[record["template"]]:
        if row.key not in record["table2"]:
            continue
        item = f"第二十条第（{row.item}）项"
        block = blocks.setdefault(item, (item, [T2_COLUMN_LABELS[c] for c in row.columns], []))
        block[2].append((row.label, [_fmt(record["table2"][row.key][c]) for c in row.columns]))
    return list(blocks.values())


T4_HEADER_1 = ["行政复议", "行政诉讼"]
T4_HEADER_2 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
T4_HEADER_3 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
T3_HEADER = ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"]


def _title(record: dict[str, Any]) -> str:
    return f"{record['agency']}{record['report_year']}年政府信息公开工作年度报告"


def _sections(record: dict[str, Any]) -> list[tuple[str, Any]]:
    """The report as (kind, content): headings/prose lines and the three tables."""
    return [
        ("line", _title(record)),
        ("line", PROSE),
        ("line", "一、总体情况"),
        ("line", f"{record['report_year']}年，我单位认真贯彻落实《条例》，不断提高政务公开质量。"),
        ("line", "二、主动公开政府信息情况"),
        ("table2", None),
        ("line", "三、收到和处理政府信息公开申请情况"),
        ("table3", None),
        ("line", "四、政府信息公开行政复议、行政诉讼情况"),
        ("table4", None),
        ("line", "五、存在的主要问题及改进情况"),
        ("line", "一是公开内容有待进一步深化。二是队伍建设有待进一步加强。"),
        ("line", "六、其他需要报告的事项"),
        ("line", "本年度未收取信息处理费。"),
        ("line", record["agency"]),
        ("line", f"{record['report_year'] + 1}年1月20日"),
    ]


# ------------------------------------------------------------------ layouts


def _grid_rows(record: dict[str, Any], table: str) -> list[list[str]]:
    """Rows of cells as a pipe or line flattening prints them (labels first, then values)."""
    if table == "table2":
        rows = []
        for item, headers, body in t2_blocks(record):
            rows.append([item])
            rows.append(["信息内容", *headers])
            rows += [[label, *vals] for label, vals in body]
        return rows
    if table == "table3":
        rows = [T3_HEADER, ["自然人", "法人或其他组织", "总计"], [T3_COLUMN_LABELS[c] for c in T3_COLUMNS[1:6]]]
        return rows + [[*labels, *vals] for labels, vals in t3_rows(record)]
    return [T4_HEADER_1, T4_HEADER_2, T4_HEADER_3, [_fmt(record["table4"][k]) for k in T4_KEYS]]


def _text_layout(record: dict[str, Any], row: Callable[[list[str]], list[str]]) -> str:
    lines: list[str] = []
    for kind, content in _sections(record):
        if kind == "line":
            lines.append(content)
        else:
            for cells in _grid_rows(record, kind):
                lines += row(cells)
    return "\n".join(lines) + "\n"


def pipes(record: dict[str, Any]) -> str:
    """Seed 000: each table row on one line, cells separated by ' | ', padding pipes after."""
    return _text_layout(record, lambda cells: [" | ".join(cells) + " | ||"])


def cell_per_line(record: dict[str, Any]) -> str:
    """Seed 001: one cell per line, blank lines between (a blank cell is an empty line)."""
    return _text_layout(record, lambda cells: [line for c in cells for line in (c, "")])


def cells_with_bars(record: dict[str, Any]) -> str:
    """Seed 003: each cell on its own line followed by ' |', rows closed by '||'."""
    return _text_layout(record, lambda cells: [f"{c} |" for c in cells[:-1]] + [f"{cells[-1]} | ||"])


def markdown(record: dict[str, Any]) -> str:
    """A PDF-to-markdown converter's tables: '| a | b |' rows with a separator after the first."""
    lines: list[str] = []
    for kind, content in _sections(record):
        if kind == "line":
            lines += [content, ""]
            continue
        rows = _grid_rows(record, kind)
        width = max(len(r) for r in rows)
        for i, cells in enumerate(rows):
            lines.append("| " + " | ".join(cells + [""] * (width - len(cells))) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        lines.append("")
    return "\n".join(lines)


def digits_run_together(record: dict[str, Any]) -> str:
    """Crawler text (2019 Pingtan): the whole body on one line, a row's values with no separator."""
    parts: list[str] = []
    for kind, content in _sections(record):
        if kind == "line":
            parts.append(content)
            continue
        for cells in _grid_rows(record, kind):
            labels = [c for c in cells if not c.lstrip("-").replace(".", "").isdigit() and c != ""]
            values = [c for c in cells if c not in labels]
            parts.append("".join(labels) + "".join(values))
    return "".join(parts)


def _span(text: str) -> str:
    """Word-export markup: every piece of text wrapped in styled spans, split in two."""
    if not text:
        return '<p class="MsoNormal"><span style="mso-bidi-font-size:10.5pt">&nbsp;</span></p>'
    cut = max(1, len(text) // 2)
    return (
        '<p class="MsoNormal" align="center"><span style="font-family:仿宋_GB2312;mso-hansi-font-family:宋体">'
        f'{html.escape(text[:cut])}</span><span lang="EN-US">{html.escape(text[cut:])}</span></p>'
    )


def _html_table3(record: dict[str, Any]) -> str:
    rows = t3_rows(record)
    out = [
        f'<tr><td colspan="3" rowspan="3">{_span(T3_HEADER[0])}</td><td colspan="7">{_span("申请人情况")}</td></tr>',
        f'<tr><td rowspan="2">{_span("自然人")}</td><td colspan="5">{_span("法人或其他组织")}</td>'
        f'<td rowspan="2">{_span("总计")}</td></tr>',
        "<tr>" + "".join(f"<td>{_span(T3_COLUMN_LABELS[c])}</td>" for c in T3_COLUMNS[1:6]) + "</tr>",
    ]
    outcome_rows = sum(1 for labels, _ in rows if labels[0] == "三、本年度办理结果")
    started_outcomes = False
    group_seen: set[str] = set()
    for labels, vals in rows:
        cells = ""
        if labels[0] == "三、本年度办理结果":
            if not started_outcomes:
                cells += f'<td rowspan="{outcome_rows}">{_span(labels[0])}</td>'
                started_outcomes = True
            if len(labels) == 3:
                if labels[1] not in group_seen:
                    size = sum(1 for lb, _ in rows if len(lb) == 3 and lb[1] == labels[1])
                    cells += f'<td rowspan="{size}">{_span(labels[1])}</td>'
                    group_seen.add(labels[1])
                cells += f"<td>{_span(labels[2])}</td>"
            else:
                cells += f'<td colspan="2">{_span(labels[-1])}</td>'
        else:
            cells += f'<td colspan="3">{_span(labels[-1])}</td>'
        cells += "".join(f"<td>{_span(v)}</td>" for v in vals)
        out.append(f"<tr>{cells}</tr>")
    return '<table class="MsoNormalTable" border="1">' + "".join(out) + "</table>"


def _html_simple(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    body = []
    for r in rows:
        cells = "".join(f"<td>{_span(c)}</td>" for c in r[:-1])
        cells += f'<td colspan="{width - len(r) + 1}">{_span(r[-1])}</td>'
        body.append(f"<tr>{cells}</tr>")
    return '<table border="1">' + "".join(body) + "</table>"


def _html_table4(record: dict[str, Any]) -> str:
    head = (
        f'<tr><td colspan="5">{_span("行政复议")}</td><td colspan="10">{_span("行政诉讼")}</td></tr>'
        "<tr>"
        + "".join(f'<td rowspan="2">{_span(h)}</td>' for h in T4_HEADER_2[:5])
        + f'<td colspan="5">{_span("未经复议直接起诉")}</td><td colspan="5">{_span("复议后起诉")}</td></tr>'
        "<tr>" + "".join(f"<td>{_span(h)}</td>" for h in T4_HEADER_3) + "</tr>"
    )
    values = "<tr>" + "".join(f"<td>{_span(_fmt(record['table4'][k]))}</td>" for k in T4_KEYS) + "</tr>"
    return f'<table border="1">{head}{values}</table>'


def word_html(record: dict[str, Any], layout_table: bool = True) -> str:
    """Word-export HTML: spans everywhere, &nbsp; blanks, rowspan/colspan labels, a layout table
    around the body (without it, for renderers that clip a wide table nested in another)."""
    body = []
    for kind, content in _sections(record):
        if kind == "line":
            body.append(f'<p class="MsoNormal"><span style="mso-spacerun:yes">{html.escape(content)}</span></p>')
        elif kind == "table2":
            body.append(_html_simple(_grid_rows(record, "table2")))
        elif kind == "table3":
            body.append(_html_table3(record))
        else:
            body.append(_html_table4(record))
    inner = "\n".join(body)
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>'
        f"{html.escape(_title(record))}-门户网站</title>"
        "<style>@page{size:29.7cm 21cm;margin:1cm} p.MsoNormal{margin:0}</style></head>"
        '<body><div class="nav">首页 &gt; 政务公开</div>'
        + (f'<table width="100%"><tr><td>{inner}</td></tr></table>' if layout_table else inner)
        + "</body></html>"
    )


TEXT_LAYOUTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "pipes": pipes,
    "cell_per_line": cell_per_line,
    "cells_with_bars": cells_with_bars,
    "markdown": markdown,
    "word_html": word_html,
}


def render(record: dict[str, Any], layout: str, encoding: str = "utf-8") -> bytes:
    text = (TEXT_LAYOUTS | {"digits_run_together": digits_run_together})[layout](record)
    if encoding != "utf-8" and layout == "word_html":
        text = text.replace("charset=utf-8", f"charset={encoding}")
    return text.encode(encoding)


def shuffle_blanks(record: dict[str, Any], seed: int) -> dict[str, Any]:
    """A copy with some applicant cells printed blank (null), as agencies often leave them."""
    rng = random.Random(seed)
    out = {**record, "table3": {r: dict(v) for r, v in record["table3"].items()}}
    for cols in out["table3"].values():
        for c in T3_APPLICANT_COLUMNS[1:]:
            if cols[c] == 0 and rng.random() < 0.5:
                cols[c] = None
    if record["template"] == "2021":
        out["table3"]["other_total"] = {
            c: (
                None
                if any(out["table3"][r][c] is None for r in OTHER_SUBROWS)
                else sum(out["table3"][r][c] for r in OTHER_SUBROWS)
            )
            for c in T3_COLUMNS
        }
    return out
