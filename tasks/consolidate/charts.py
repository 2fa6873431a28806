"""The HTML report's charts: inline SVG, no script, every label escaped."""

from __future__ import annotations

import html
import unicodedata

from tasks.consolidate.checks import rule_name_zh, violations
from tasks.consolidate.layout import OUTCOME_MIX, shown
from tasks.consolidate.read import Consolidation

FONT_PX = 13


def _width(text: str, size: int = FONT_PX) -> int:
    """Approximate rendered width in px: wide CJK characters count about one em, others 0.62 em
    (capitals are wider than half an em)."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.62 for ch in text)


def _svg(width: float, height: float, body: str) -> str:
    """An SVG that scales with its box: a viewBox and width 100%, never wider than it was drawn."""
    return (
        f'<svg role="img" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'style="max-width:{width:.0f}px;height:auto;display:block" font-size="{FONT_PX}">{body}</svg>'
    )


def _clipped(text: str, width: float) -> str:
    """`text` cut with … to fit `width` px."""
    if _width(text) <= width:
        return text
    while text and _width(text + "…") > width:
        text = text[:-1]
    return text + "…"


BAR_PLOT_W = 420  # px of the drawing (the viewBox); the page scales it to the box, a phone hardly at all


def bar_chart(items: list[tuple[str, float | None, str]], empty: str = "无数据") -> str:
    """Horizontal bars, each under its label: (label, value, text shown after the bar). Labels above
    the bars keep long Chinese labels readable on a phone. Inline SVG, no script."""
    items = [(lab, v or 0, txt) for lab, v, txt in items]
    if not items or not any(v for _, v, _ in items):
        return f'<p class="empty">{html.escape(empty)}</p>'
    text_w = max(_width(txt) for _, _, txt in items) + 8
    bar_w, row_h = BAR_PLOT_W - text_w, 40
    top = max(v for _, v, _ in items)
    parts = []
    for i, (lab, v, txt) in enumerate(items):
        y = i * row_h
        w = max(1, round(bar_w * v / top)) if v else 0
        parts.append(
            f'<text x="0" y="{y + 13}">{html.escape(_clipped(lab, BAR_PLOT_W - 4))}</text>'
            f'<rect x="0" y="{y + 18}" width="{w}" height="16" fill="#3b6ea8">'
            f"<title>{html.escape(lab)}: {html.escape(txt)}</title></rect>"
            f'<text x="{w + 4}" y="{y + 31}">{html.escape(txt)}</text>'
        )
    return _svg(BAR_PLOT_W, row_h * len(items) + 2, "".join(parts))


def column_chart(items: list[tuple[str, float | None]], empty: str = "无数据") -> str:
    """Vertical bars (e.g. requests by year). Inline SVG, no script."""
    if not items or not any(v for _, v in items):
        return f'<p class="empty">{html.escape(empty)}</p>'
    col_w, plot_h = 56, 180
    top = max(v or 0 for _, v in items)
    parts = []
    for i, (lab, v) in enumerate(items):
        x = 10 + i * col_w
        h = round(plot_h * (v or 0) / top) if top else 0
        parts.append(
            f'<rect x="{x + 8}" y="{plot_h - h + 18}" width="{col_w - 16}" height="{h}" fill="#3b6ea8">'
            f"<title>{html.escape(lab)}: {shown(v)}</title></rect>"
            f'<text x="{x + col_w / 2}" y="{plot_h - h + 14}" text-anchor="middle">{shown(v)}</text>'
            f'<text x="{x + col_w / 2}" y="{plot_h + 34}" text-anchor="middle">{html.escape(lab)}</text>'
        )
    return _svg(col_w * len(items) + 20, plot_h + 44, "".join(parts))


def outcome_mix(c: Consolidation) -> list[tuple[str, int | None]]:
    """Handled requests by outcome group (table 3, 总计 column)."""
    totals = {r["row_key"]: r["总计"] for r in c.table3.dicts()}
    mix = []
    for lab, keys in OUTCOME_MIX:
        values = [totals.get(k) for k in keys if totals.get(k) is not None]
        mix.append((lab, sum(values) if values else None))
    return mix


def requests_by_year_chart(c: Consolidation) -> str:
    """本年新收 by year (the legacy 收到申请数 before the 2019 template)."""
    series = [
        (str(r["report_year"]), r["new_requests"] if r["new_requests"] is not None else r["legacy_requests_received"])
        for r in c.series.dicts()
    ]
    return column_chart(series)


def outcomes_chart(c: Consolidation) -> str:
    """Handled requests by outcome group, with each group's share."""
    mix = outcome_mix(c)
    handled = sum(v for _, v in mix if v) or 0
    return bar_chart([(lab, v, f"{shown(v)} ({v / handled:.0%})" if v and handled else shown(v)) for lab, v in mix])


def top_agencies_chart(c: Consolidation) -> str:
    """The summed reports with the most new requests."""
    return bar_chart([(r["agency_name"], r["new_requests"], shown(r["new_requests"])) for r in c.top_agencies.dicts()])


def violations_chart(c: Consolidation) -> str:
    """Rules the year's reports failed (reports and instances per rule), then R1–R3 on the consolidated
    table (instances); each bar named by its rule id and the catalogue's Chinese message."""
    severity = {"blocking": "阻断", "warning": "警告"}
    items = [
        (
            f"{r['rule_id']}（{severity.get(r['severity'], r['severity'])}）{rule_name_zh(r['rule_id'])}",
            r["reports"],
            f"{r['reports']:,} 份报告 / {r['instances']:,} 处",
        )
        for r in c.violations.dicts()
    ]
    consolidated: dict[str, int] = {}
    for k in violations(c.checks):
        consolidated[k.rule_id] = consolidated.get(k.rule_id, 0) + 1
    items += [
        (f"汇总表 {rule_id} {rule_name_zh(rule_id)}", n, f"汇总后 {n:,} 处不成立")
        for rule_id, n in sorted(consolidated.items())
    ]
    return bar_chart(items, empty="无违反规则的报告")


def charts(c: Consolidation) -> dict[str, str]:
    """The four charts of the report, as SVG (or a 'no data' line)."""
    return {
        "requests_by_year": requests_by_year_chart(c),
        "outcomes": outcomes_chart(c),
        "top_agencies": top_agencies_chart(c),
        "violations": violations_chart(c),
    }
