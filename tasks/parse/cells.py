"""Cell text → value. Blank, dash, slash and 无 each mean something different from 0."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from tasks.read.document import Cell

# printed mark → meaning kept beside the null value
NULL_MARKS = {
    "": "blank",
    "—": "dash",
    "——": "dash",
    "-": "dash",
    "–": "dash",
    "/": "slash",
    "／": "slash",
    "无": "none",
    "空": "blank",
    "×": "cross",
    "\ufffd": "ambiguous",  # a cell its reader could not read (layout text: digits wrapped in a narrow cell)
}
_NUMBER = re.compile(r"^([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万元|元|件|条|个|项|%)?$")


@functools.lru_cache(maxsize=16384)
def norm(text: str) -> str:
    """Matching form of a label: NFKC (full-width → ASCII), no whitespace (what re's \\s matches)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Value:
    """One extracted cell: the value, what was printed, what a null means, where it was."""

    value: int | float | str | None
    raw: str
    meaning: str  # number | blank | dash | slash | none | text | ambiguous | missing
    cell: Cell | None = None
    unit: str | None = None

    def position(self) -> str | None:
        c = self.cell
        if c is None:
            return None
        if c.page is not None:
            box = ",".join(f"{v:.0f}" for v in c.bbox) if c.bbox else ""
            return f"p.{c.page}" + (f" [{box}]" if box else "")
        return f"L{c.line}" if c.line is not None else None


MISSING = Value(None, "", "missing")
_new, _set = object.__new__, object.__setattr__


def parse_value(raw: str, cell: Cell | None = None) -> Value | None:
    """A Value if the text is a printed number or a null mark; None if it is a label."""
    printed = _printed(raw)
    if printed is None:
        return None
    number, meaning, unit = printed
    value = _new(Value)  # Value(number, raw, meaning, cell, unit), its fields set at once (see tokens._tok)
    _set(value, "__dict__", {"value": number, "raw": raw, "meaning": meaning, "cell": cell, "unit": unit})
    return value


@functools.lru_cache(maxsize=16384)
def _printed(raw: str) -> tuple[int | float | None, str, str | None] | None:
    """(value, meaning, unit) of a cell's text, None for a label; cells repeat, so it is cached."""
    text = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    text = text.replace("\u2014", "—")
    if text in NULL_MARKS:
        return None, NULL_MARKS[text], None
    m = _NUMBER.match(text)
    if not m:
        return None
    sign, digits, frac, unit = m.groups()
    number: int | float
    if frac:
        number = float(digits.replace(",", "") + frac)
    else:
        number = int(digits.replace(",", ""))
    if sign in ("-", "−"):
        number = -number
    return number, "number", unit
