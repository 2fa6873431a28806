"""The review page: one self-contained HTML file listing each quarantined report, every blocking
rule it fails with the cells (printed value, position in the source, side of the identity), and
the exact `ogi correct` / `ogi accept` commands that resolve it.

Inline CSS, no script, no link, no image: it opens from disk on an intranet PC with no network.
Every text from a document or the warehouse is escaped. `ogi review --html PATH` writes it, and
`ogi run` writes one beside the warehouse whenever a run quarantines something.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path

import warehouse
from tasks.messages import reason_text, rule_message, t
from tasks.settings import Settings

PAGE_NAME = "review.html"


@dataclass(frozen=True)
class FailedRule:
    """One failed blocking rule instance of a report, with its operands."""

    rule_id: str
    instance: str
    message_zh: str
    message_en: str
    cells: tuple[dict, ...]  # {key, value, position, side} as validation_results.cells stores them

    @property
    def label(self) -> str:
        return f"{self.rule_id}({self.instance})"


@dataclass(frozen=True)
class QuarantinedReport:
    document_id: str
    file: str | None
    agency: str | None
    year: int | None
    reason: str | None
    rules: tuple[FailedRule, ...] = field(default_factory=tuple)

    @property
    def doc(self) -> str:
        """The 12-character sha256 prefix the review commands take."""
        return self.document_id[:12]

    def correct_command(self, rule: FailedRule, lang: str) -> str:
        """`ogi correct DOC CELL=VALUE… --reason "…"` with the rule's cells at their printed values."""
        cells = " ".join(f"{c['key']}={_number(c.get('value'))}" for c in rule.cells)
        return f'ogi correct {self.doc} {cells} --reason "{t("page.reason_placeholder", lang)}"'

    def accept_command(self, lang: str) -> str:
        return f'ogi accept {self.doc} --reason "{t("page.reason_placeholder", lang)}"'

    def as_dict(self, lang: str) -> dict:
        """Plain data (for `ogi review --format json`), messages in `lang`."""
        return {
            "document": self.doc,
            "document_id": self.document_id,
            "file": self.file,
            "agency": self.agency,
            "year": self.year,
            "reason": reason_text(self.reason, lang),
            "failures": ", ".join(r.label for r in self.rules),
            "rules": [
                {
                    "rule": r.rule_id,
                    "instance": r.instance,
                    "message": rule_message(r.message_zh, r.message_en, lang),
                    "cells": list(r.cells),
                    "correct": self.correct_command(r, lang),
                }
                for r in self.rules
            ],
            "accept": self.accept_command(lang),
        }


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def quarantined_reports(settings: Settings) -> list[QuarantinedReport]:
    """Every quarantined report of the warehouse with the blocking rules it fails."""
    with warehouse.reading(settings.warehouse) as con:
        rows = con.execute(warehouse.query("review_page")).fetchall()
    reports: dict[str, QuarantinedReport] = {}
    for doc, name, agency, year, reason, rule, instance, zh, en, cells in rows:
        report = reports.setdefault(doc, QuarantinedReport(doc, name, agency, year, reason))
        if rule is not None:
            failed = FailedRule(rule, instance, zh or "", en or "", tuple(json.loads(cells) if cells else ()))
            reports[doc] = QuarantinedReport(doc, name, agency, year, reason, (*report.rules, failed))
    return list(reports.values())


CSS = """
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", SimSun, sans-serif;
       margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; line-height: 1.5; }
h1 { font-size: 1.5em; border-bottom: 2px solid #b22; padding-bottom: .3em; }
h2 { font-size: 1.15em; margin-top: 2em; background: #f4f4f4; padding: .4em .6em; border-left: 4px solid #b22; }
h3 { font-size: 1em; margin: 1.2em 0 .4em; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; margin: .5em 0; }
dl.meta dt { color: #666; } dl.meta dd { margin: 0; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; }
th { background: #fafafa; font-weight: normal; color: #555; }
td.value { text-align: right; font-weight: bold; }
p.message { margin: .3em 0; }
pre.command { background: #1e1e1e; color: #eee; padding: .6em .8em; overflow-x: auto; white-space: pre-wrap;
              word-break: break-all; font-family: Consolas, "DejaVu Sans Mono", monospace; }
p.small { color: #666; font-size: .9em; }
"""


def render_review_page(reports: list[QuarantinedReport], lang: str, warehouse_path: str, when: datetime) -> str:
    """The page as one HTML string (every document-derived text escaped)."""
    e = escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        f"<title>{e(t('page.title', lang))}</title>",
        f"<style>{CSS}</style></head>",
        "<body>",
        f"<h1>{e(t('page.title', lang))}</h1>",
        f'<p class="small">{e(t("page.generated", lang, warehouse=warehouse_path, when=f"{when:%Y-%m-%d %H:%M}"))}</p>',
        f"<p>{e(t('page.intro', lang))}</p>",
        f"<p><strong>{e(t('page.count', lang, n=len(reports)) if reports else t('page.none', lang))}</strong></p>",
    ]
    for r in reports:
        out.append(f'<section class="report" id="doc-{e(r.doc)}">')
        out.append(f"<h2>{e(r.file or r.doc)}</h2>")
        out.append('<dl class="meta">')
        for label, value in (
            ("page.file", r.file),
            ("page.agency", r.agency),
            ("page.year", r.year),
            ("page.document", r.doc),
            ("page.reason", reason_text(r.reason, lang)),
        ):
            out.append(f"<dt>{e(t(label, lang))}</dt><dd>{e('' if value is None else str(value))}</dd>")
        out.append("</dl>")
        for rule in r.rules:
            out.append(f'<div class="rule"><h3>{e(t("page.rule", lang))} {e(rule.label)}</h3>')
            out.append(f'<p class="message">{e(rule_message(rule.message_zh, rule.message_en, lang))}</p>')
            out.append("<table><thead><tr>")
            for h in ("page.cell", "page.value", "page.position", "page.side"):
                out.append(f"<th>{e(t(h, lang))}</th>")
            out.append("</tr></thead><tbody>")
            for c in rule.cells:
                value = _number(c.get("value")) or t("page.blank", lang)
                side = c.get("side")
                side_text = t(f"page.side.{side}", lang) if side in ("lhs", "rhs") else (side or "")
                out.append(
                    f'<tr><td><code>{e(str(c.get("key", "")))}</code></td><td class="value">{e(value)}</td>'
                    f"<td>{e(str(c.get('position') or ''))}</td><td>{e(side_text)}</td></tr>"
                )
            out.append("</tbody></table>")
            out.append(f"<p>{e(t('page.correct', lang))}</p>")
            out.append(f'<pre class="command">{e(r.correct_command(rule, lang))}</pre></div>')
        out.append(f"<p>{e(t('page.accept', lang))}</p>")
        out.append(f'<pre class="command">{e(r.accept_command(lang))}</pre>')
        out.append("</section>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def write_review_page(settings: Settings, path: Path, lang: str) -> tuple[Path, int]:
    """Write the review page of the warehouse's quarantined reports to `path`; (path, reports)."""
    reports = quarantined_reports(settings)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_review_page(reports, lang, str(settings.warehouse), datetime.now()), encoding="utf-8")
    return path, len(reports)


def default_page(settings: Settings) -> Path:
    """Where `ogi run` writes the review page: beside the warehouse."""
    return settings.warehouse.parent / PAGE_NAME


__all__ = ["FailedRule", "QuarantinedReport", "default_page", "quarantined_reports", "render_review_page",
           "write_review_page"]  # fmt: skip
