"""One policy for merged cells, shared by the HTML, DOCX and PDF readers.

A number printed in a merged cell belongs to its origin (top-left) cell only: the cells the merge
covers carry no number, so a figure is never read twice. A label spanning rows (a group label such
as （三）不予公开 beside its sub-rows) is repeated down the rows it spans in its first column,
because the parser finds rows by their labels. A cell spanning columns prints once, in its first
column; the columns it covers are blank.

Spans are clamped to the table: a broken span attribute must never allocate a huge grid.
"""

from __future__ import annotations

import re

# a printed figure: digits with separators, a sign or a percent ("1,234", "-18", "12.5%")
_NUMBER = re.compile(r"[-+]?[\d,，.．]+%?")

MAX_SPAN = 100  # columns a cell may span where the table does not say how wide it is


def is_number(text: str) -> bool:
    """Whether a cell's text is a printed figure (not a label, not a null mark)."""
    return bool(_NUMBER.fullmatch(text))


def covered_text(text: str, first_row: bool, first_col: bool) -> str:
    """The text a slot of a merged cell shows: all of it at the origin, a label down its first
    column, nothing elsewhere (a number is never repeated)."""
    if not first_col:
        return ""
    if first_row:
        return text
    return "" if is_number(text) else text


def clamp_span(value: int, room: int) -> int:
    """A span of at least one slot and at most the `room` left in the table."""
    return max(1, min(value, room))


def parse_span(raw: str | None, least: int = 1) -> int:
    """A span or skip count as printed ("2", " 3 ", "0", "x"), never below `least`; missing or
    unreadable counts as `least`."""
    try:
        return max(least, int(str(raw).strip())) if raw else least
    except ValueError:
        return least
