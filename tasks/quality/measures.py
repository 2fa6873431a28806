"""Per-document figures that `measure` rules check (blank cells, lateness, prose vs table…), and the
cell selection that cell rules share. Each measure returns (value, keys of the cells it read)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from expectations import Rule, expand
from tasks.keys import (
    LEGACY_KEYS,
    OTHER_SUBROWS,
    T2_MONEY_COLUMNS,
    T2_ROWS,
    T3_COLUMNS,
    T3_ROWS,
    T4_KEYS,
)
from tasks.quality.doc import Doc, is_integer
from tasks.record import TABLES


def selected_cells(rule: Rule, doc: Doc) -> list[tuple[str, Any]]:
    """The document's cells matched by the rule's `cells` patterns and not by its `skip` ones."""
    selects = _selector(rule)
    return [(key, value) for key, value in doc.cells.items() if selects(key)]


@cache
def _selector(rule: Rule) -> Callable[[str], bool]:
    """Whether a key path is selected by the rule, memoised: every report holds the same few hundred keys."""
    wanted, skipped = _patterns(rule)

    @cache
    def selects(key: str) -> bool:
        return bool(wanted.match(key)) and not (skipped and skipped.match(key))

    return selects


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
    """How many figures the text states for a cell (the record's `prose_cells`, each with its
    sentence) differ from what the table prints there; records without them, the old quotes."""
    old = doc.record.prose_figures
    stated = {k: s["value"] for k, s in doc.record.prose_cells.items()} or {
        "+".join(keys): old[figure][0] for figure, keys in PROSE_FIGURES.items() if old.get(figure)
    }
    compared, differing, keys_read = 0, 0, []
    for expr, figure in stated.items():
        keys = expr.split("+")
        values = [doc.cells.get(k) for k in keys]
        if not all(is_integer(v) for v in values):
            continue
        compared += 1
        if figure != sum(values):
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


# ---------------------------------------------------------------- completeness and plausibility

# Table-3 rows both templates print; (六) is other_total, printed or derived from its sub-rows
# (a 2021 report may print the one row, a 2019-layout report the three: either is complete).
T3_REQUIRED_ROWS = tuple(r.key for r in T3_ROWS if r.key not in OTHER_SUBROWS)
T2_OPTIONAL_ROWS = frozenset({"central_procurement"})  # 2019 item (九): printed by some agencies only


def _t2_layout(doc: Doc) -> tuple:
    """The table-2 layout the report prints: the template's own, or the other one where the cells it
    holds are more of the other's (a hybrid report prints the 2021 table 2 in a 2019 layout)."""
    own = T2_ROWS.get(doc.template, ())
    held = doc.cells.keys()
    return max(T2_ROWS.values(), key=lambda rows: (len(held & _t2_keys(rows)), rows is own))


@cache
def _t2_keys(rows: tuple) -> frozenset[str]:
    return frozenset(f"table2.{r.key}.{c}" for r in rows for c in r.columns)


def required_cells(doc: Doc) -> tuple[str, ...]:
    """The statutory cells a 2019/2021 report's tables consist of (tasks/keys.py), in printed order."""
    layout = _t2_layout(doc)
    return _required(
        layout,
        any(doc.prints(f"table3.{r}") for r in OTHER_SUBROWS),
        frozenset(r.key for r in layout if r.key in T2_OPTIONAL_ROWS and doc.prints(f"table2.{r.key}")),
    )


@cache
def _required(layout: tuple, other_subrows: bool, optional_rows: frozenset[str]) -> tuple[str, ...]:
    """required_cells for a table-2 layout, whether (六)'s sub-rows and which optional rows are printed."""
    rows3 = T3_REQUIRED_ROWS + (OTHER_SUBROWS if other_subrows else ())
    keys = [f"table2.{r.key}.{c}" for r in layout for c in r.columns if r.key not in T2_OPTIONAL_ROWS]
    keys += [f"table2.{r.key}.{c}" for r in layout if r.key in optional_rows for c in r.columns]
    keys += [f"table3.{r}.{c}" for r in rows3 for c in T3_COLUMNS]
    keys += [f"table4.{k}" for k in T4_KEYS]
    return tuple(keys)


def _absent_cells(rule: Rule, doc: Doc) -> tuple[int | None, tuple[str, ...]]:
    """Statutory cells extraction did not find: absent from the record, or null as "missing" (not
    placed in any column). A cell printed blank, as a dash or 无, or left null as ambiguous is not
    absent: the record holds it, with its null meaning."""
    meanings = doc.record.null_meanings
    absent = tuple(k for k in required_cells(doc) if k not in doc.cells or meanings.get(k) == "missing")
    return len(absent), absent


def _legacy_figures(rule: Rule, doc: Doc) -> tuple[int | None, tuple[str, ...]]:
    """How many figures a legacy report gives, in its statistics table or mapped onto the template's
    cells (none: nothing was extracted)."""
    found = tuple(k for k, v in doc.record.cells().items() if type(v) in (int, float))
    return len(found), found or tuple(f"legacy.{k}" for k in LEGACY_KEYS)


COUNT_LIMIT = 10**7  # requests, reviews, lawsuits: no agency reaches ten million in a year
ITEM_LIMIT = 10**8  # table-2 and legacy item counts (documents, decisions, items published)
JOINED = re.compile(r"^(table[234]|legacy)\.[\w.]+(?=: digits joined from separately printed numbers)")


def _implausible_counts(rule: Rule, doc: Doc) -> tuple[int | None, tuple[str, ...]]:
    """Numbers that cannot be counts of their kind: above the limit for the table, or read from one
    cell whose digits were printed as separate numbers (the parser warns, naming the cell)."""
    bad = []
    legacy = doc.record.cells(("legacy",))
    for cells in (doc.cells, legacy):
        for key, value in cells.items():
            if type(value) in (int, float) and (limit := _count_limit(key)) is not None and abs(value) > limit:
                bad.append(key)
    bad.sort(key=lambda k: TABLES.index(k.split(".")[0]))  # in the record's order
    for warning in doc.record.warnings:
        if (m := JOINED.match(warning)) and (m.group() in doc.cells or m.group() in legacy) and m.group() not in bad:
            bad.append(m.group())
    return len(bad), tuple(bad)


@cache
def _count_limit(key: str) -> int | None:
    """The largest count a cell can hold (None: money, or not a cell of the report itself)."""
    if key.startswith("prev."):
        return None
    column = key.rsplit(".", 1)[-1]
    if column in T2_MONEY_COLUMNS or key == "legacy.fees_10k_yuan":
        return None
    return COUNT_LIMIT if key.startswith(("table3.", "table4.")) else ITEM_LIMIT


# Per-document figures a `measure` rule can check: (value, keys of the cells it was read from).
MEASURES: dict[str, Callable[[Rule, Doc], tuple[int | None, tuple[str, ...]]]] = {
    "blank_cells": _blank_cells,
    "report_year": _report_year,
    "prose_mismatches": _prose_mismatches,
    "fee_amount": _fee_amount,
    "rules_without_power": _rules_without_power,
    "days_late": _days_late,
    "absent_cells": _absent_cells,
    "legacy_figures": _legacy_figures,
    "implausible_counts": _implausible_counts,
}
