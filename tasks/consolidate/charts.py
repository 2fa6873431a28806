"""The HTML report's charts: inline SVG, no script, every label escaped."""

from __future__ import annotations

import html
import unicodedata

from tasks.consolidate.layout import OUTCOME_MIX, as_text
from tasks.consolidate.read import Consolidation


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
            f"<title>{html.escape(lab)}: {as_text(v)}</title></rect>"
            f'<text x="{x + col_w / 2}" y="{plot_h - h + 14}" text-anchor="middle">{as_text(v)}</text>'
            f'<text x="{x + col_w / 2}" y="{plot_h + 34}" text-anchor="middle">{html.escape(lab)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


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
    return bar_chart([(lab, v, f"{as_text(v)} ({v / handled:.0%})" if v and handled else as_text(v)) for lab, v in mix])


def top_agencies_chart(c: Consolidation) -> str:
    """The summed reports with the most new requests."""
    return bar_chart(
        [(r["agency_name"], r["new_requests"], as_text(r["new_requests"])) for r in c.top_agencies.dicts()]
    )


def violations_chart(c: Consolidation) -> str:
    """Rules the year's reports failed: reports and instances per rule."""
    return bar_chart(
        [
            (
                f"{r['rule_id']} ({'阻断' if r['severity'] == 'blocking' else '警告'})",
                r["reports"],
                f"{r['reports']} 份报告 / {r['instances']} 处",
            )
            for r in c.violations.dicts()
        ],
        empty="无违反规则的报告",
    )


def charts(c: Consolidation) -> dict[str, str]:
    """The four charts of the report, as SVG (or a 'no data' line)."""
    return {
        "requests_by_year": requests_by_year_chart(c),
        "outcomes": outcomes_chart(c),
        "top_agencies": top_agencies_chart(c),
        "violations": violations_chart(c),
    }
