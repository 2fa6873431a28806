"""Per-document figures that `measure` rules check (blank cells, lateness, prose vs table…), and the
cell selection that cell rules share. Each measure returns (value, keys of the cells it read)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from expectations import Rule, expand
from tasks.quality.doc import Doc, is_integer


def selected_cells(rule: Rule, doc: Doc) -> list[tuple[str, Any]]:
    """The document's cells matched by the rule's `cells` patterns and not by its `skip` ones."""
    wanted, skipped = _patterns(rule)
    return [
        (key, value) for key, value in doc.cells.items() if wanted.match(key) and not (skipped and skipped.match(key))
    ]


@cache
def _patterns(rule: Rule) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """The rule's `cells` and `skip` globs as two compiled regexes (None: nothing skipped)."""

    def compiled(globs: tuple[str, ...]) -> re.Pattern[str] | None:
        paths = [fnmatch.translate(p) for glob in globs for p in expand(glob)]
        return re.compile("|".join(paths)) if paths else None

    wanted = compiled(rule.cells)
    assert wanted is not None  # the catalogue loader refuses a cell rule without patterns
    return wanted, compiled(rule.skip)


def _blank_cells(rule: Rule, doc: Doc) -> tuple[int, tuple[str, ...]]:
    """How many selected cells are printed blank, and which."""
    blanks = tuple(key for key, value in selected_cells(rule, doc) if value is None)
    return len(blanks), blanks


def _report_year(rule: Rule, doc: Doc) -> tuple[int | None, tuple[str, ...]]:
    """The report year (the template is shown beside it)."""
    year = doc.record.get("report_year")
    return (year if is_integer(year) else None), ("report_year", "template")


# figure the prose quotes → the table cells that print the same figure
PROSE_FIGURES: dict[str, tuple[str, ...]] = {
    "requests_received": ("table3.new_requests.total",),
    "reviews": ("table4.review_total",),
    "lawsuits": ("table4.litigation_direct_total", "table4.litigation_after_review_total"),
}


def _prose_mismatches(rule: Rule, doc: Doc) -> tuple[int | None, tuple[str, ...]]:
    """How many figures quoted in the prose (first quote of each) differ from the tables."""
    quoted = doc.record.get("prose_figures") or {}
    compared, differing, keys_read = 0, 0, []
    for figure, keys in PROSE_FIGURES.items():
        values = [doc.cells.get(k) for k in keys]
        if not quoted.get(figure) or not all(is_integer(v) for v in values):
            continue
        compared += 1
        if quoted[figure][0] != sum(values):
            differing += 1
            keys_read += keys
    return (differing if compared else None), tuple(keys_read)


def _rules_without_power(rule: Rule, doc: Doc) -> tuple[int | None, tuple[str, ...]]:
    """规章 counted by an agency that cannot make them (only ministries and governments of provinces,
    设区的市 and 自治州 can; their departments, counties and townships cannot): cells > 0, else 0."""
    keys = tuple(k for k in doc.cells if k.startswith("table2.rules."))
    level, kind = doc.record.get("agency_level"), doc.record.get("agency_kind")
    can_make = level == "ministry" or (kind == "government" and level in ("province", "city"))
    if can_make:
        return 0, keys
    positive = tuple(k for k in keys if isinstance(doc.cells[k], (int, float)) and doc.cells[k] > 0)
    return len(positive), positive


def _fee_amount(rule: Rule, doc: Doc) -> tuple[int | None, tuple[str, ...]]:
    """The fee amount in 万元, rounded (a value in 元 shows as a figure 10,000 times too big)."""
    key = "table2.fees.amount_10k_yuan"
    value = doc.cells.get(key)
    return (round(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None), (key,)


def _days_late(rule: Rule, doc: Doc) -> tuple[int | None, tuple[str, ...]]:
    """Days past the Art. 49 deadline: 31 Jan (departments) or 31 Mar (a government's report)."""
    from datetime import date

    year, published = doc.record.get("report_year"), doc.record.get("publication_date")
    kind, level = doc.record.get("agency_kind"), doc.record.get("agency_level")
    if not is_integer(year) or not published or level == "township" or kind is None:
        return None, ("publication_date", "report_year")
    try:
        day = date.fromisoformat(published)
    except ValueError:
        return None, ("publication_date", "report_year")
    deadline = date(year + 1, 3, 31) if kind == "government" else date(year + 1, 1, 31)
    return (day - deadline).days, ("publication_date", "report_year")


# Per-document figures a `measure` rule can check: (value, keys of the cells it was read from).
MEASURES: dict[str, Callable[[Rule, Doc], tuple[int | None, tuple[str, ...]]]] = {
    "blank_cells": _blank_cells,
    "report_year": _report_year,
    "prose_mismatches": _prose_mismatches,
    "fee_amount": _fee_amount,
    "rules_without_power": _rules_without_power,
    "days_late": _days_late,
}
