"""Document → one reading-order token stream: labels, values, and digit runs still to be split."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tasks.parse.cells import Value, norm, parse_value
from tasks.read.document import Cell, Document


@dataclass(frozen=True)
class Tok:
    kind: str  # text | value | run
    text: str  # matching form (norm) for text; the printed digits for runs
    value: Value | None
    block: int  # index of the block it came from
    row: bool  # True when the block is a real table row (cells have positions)
    col: int  # cell index within a row block
    ncols: int  # cells in that row block
    table: int | None
    cell: Cell
    open_lead: bool = False  # its row opened with a bar that may close a blank first cell (Block.open_lead)
    placed: bool | None = None  # whether a layout row's cells are in their columns (Block.placed)


_new, _set = object.__new__, object.__setattr__


def _tok(
    kind: str,
    text: str,
    value: Value | None,
    block: int,
    row: bool,
    col: int,
    ncols: int,
    table: int | None,
    cell: Cell,
    open_lead: bool = False,
    placed: bool | None = None,
) -> Tok:
    """The Tok that Tok(...) makes, its fields set at once: the frozen __init__ sets each through
    object.__setattr__, a cost paid per cell of every document."""
    tok = _new(Tok)
    _set(
        tok,
        "__dict__",
        {
            "kind": kind,
            "text": text,
            "value": value,
            "block": block,
            "row": row,
            "col": col,
            "ncols": ncols,
            "table": table,
            "cell": cell,
            "open_lead": open_lead,
            "placed": placed,
        },
    )
    return tok


# A run of digits, possibly several cells printed together ("230 000023", "713000074").
# A sign inside a run starts a new cell ("2648-18538": 本年增/减 may be negative).
_RUN = re.compile(r"[+\-]?\d+(?:\.\d+)?(?:(?: |(?=[+\-]\d))[+\-]?\d+(?:\.\d+)?)*")
# Words right after a number that make it prose ("2020年", "42条"), not a table cell.
_PROSE_UNIT = re.compile(
    r"^(年|月|日|号|条|件|个|项|人|次|家|篇|名|场|期|天|万|亿|余|多|%|‰|周|岁|小时|分钟|元|倍|册|份|类|起|页|位|部|批|户|平方|公里|米)"
)
_LABEL_NUMBER = re.compile(r"^[.、．]\s*\D")
# numbers printed apart on one line ("72   64 178"): a row of cells, never one number
_SPACED = re.compile(r"\d\s+\d")


def _inline(text: str) -> list[tuple[str, str]]:
    """Split running text into ("text", s) and ("run", digits) parts."""
    text = re.sub(r"[ \t]+", " ", unicodedata.normalize("NFKC", text))
    parts: list[tuple[str, str]] = []
    pos = 0
    for m in _RUN.finditer(text):
        start, end = m.span()
        digits = m.group()
        after = text[end:]
        before = text[start - 1] if start else ""
        if _LABEL_NUMBER.match(after):  # "00000002.其他法律…": the last digit numbers the next label
            start_label = end - 1
            digits = digits[:-1].rstrip()
            end = start_label
            if not digits:
                continue
        elif (
            _PROSE_UNIT.match(after.lstrip())
            or (before and before in "第(（-/:：")
            or (after[:1] and after[:1] in ")）-/:：")
        ):
            continue
        if start > pos:
            parts.append(("text", text[pos:start]))
        parts.append(("run", digits.strip()))
        pos = end
    if pos < len(text):
        parts.append(("text", text[pos:]))
    return [(k, s) for k, s in parts if s.strip()]


def tokens(doc: Document) -> list[Tok]:
    """Every block as tokens; row cells keep their column, lines are split into label/number parts."""
    out: list[Tok] = []
    for b, block in enumerate(doc.blocks):
        if block.kind == "row":
            n = len(block.cells)
            for c, cell in enumerate(block.cells):
                value = parse_value(cell.text, cell)
                lead, placed = block.open_lead, block.placed
                if value is not None:
                    out.append(_tok("value", cell.text, value, b, True, c, n, block.table, cell, lead, placed))
                else:
                    out.append(_tok("text", norm(cell.text), None, b, True, c, n, block.table, cell, lead, placed))
            continue
        cell = block.cells[0]
        value = parse_value(cell.text, cell)  # "" (an empty cell on its own line) is a blank value
        if value is not None and not _SPACED.search(unicodedata.normalize("NFKC", cell.text)):
            out.append(_tok("value", cell.text, value, b, False, 0, 1, None, cell))
            continue
        for kind, part in _inline(cell.text):
            if kind == "run":
                out.append(_tok("run", part, None, b, False, 0, 1, None, cell))
            else:
                out.append(_tok("text", norm(part), None, b, False, 0, 1, None, cell))
    return out
