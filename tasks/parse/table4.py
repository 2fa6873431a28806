"""Table 4 (行政复议、行政诉讼): fifteen numbers after the 行政复议 header."""

from __future__ import annotations

import re

from tasks.keys import T4_KEYS
from tasks.parse.groups import solve_groups
from tasks.parse.rows import TableRead, row_values
from tasks.parse.segments import SECTION_END, T4_ANCHOR, Segment
from tasks.parse.tokens import Tok

T4_TOTALS = (5, 5, 5)  # each group prints upheld, corrected, other, pending, total


def parse_table4(segs: list[Segment], start: int) -> TableRead:
    """Table 4: fifteen numbers in one printed row after the 行政复议 header."""
    anchor = next((i for i in range(start, len(segs)) if T4_ANCHOR.search(segs[i].label)), None)
    if anchor is None:
        return TableRead({}, start, [])
    collected: list[Tok] = []
    for i in range(anchor, len(segs)):
        seg = segs[i]
        if i > anchor and seg.labels and SECTION_END.search(seg.labels[0].text):
            break
        if seg.row and not seg.has_numbers and not collected and _whole_row(seg, len(T4_KEYS)):
            if not _numbers_follow(segs, i + 1):  # the data row printed all blank, not a spacer
                return _read(list(seg.values), i + 1)
        elif seg.row and seg.has_numbers and len(seg.values) >= 5:
            numbers = sum(1 for t in seg.values if t.value is not None and t.value.value is not None)
            if numbers >= 5 or collected or _whole_row(seg, len(T4_KEYS)):
                collected += seg.values
        elif not seg.row:
            if seg.labels and collected and not _short_header(seg):
                break
            collected += seg.values
        if _enough(collected, len(T4_KEYS)):
            return _read(collected, i + 1)
    if collected:
        return _read(collected, len(segs))
    return TableRead({}, anchor, ["table 4: header found but no row of 15 numbers"])


def _read(collected: list[Tok], end: int) -> TableRead:
    """The fifteen cells; those the printed fields or digits do not decide are null ("ambiguous")."""
    if any(t.kind == "run" for t in collected):
        return _solved(collected, end)
    read = row_values(Segment(values=collected), len(T4_KEYS), T4_TOTALS)
    warnings = [f"table 4: {read.note}"] if read.note else []
    return TableRead({"row": dict(zip(T4_KEYS, read.values or []))}, end, warnings)


def _solved(collected: list[Tok], end: int) -> TableRead:
    """Digit runs: every reading of the whole row that keeps R5 in each group, solved at once; a
    cell is decided only when all of them agree. When no reading keeps R5 (the source breaks it),
    the readings of the digits alone: never one picked because it makes the groups add up."""
    sol = solve_groups(collected, T4_TOTALS)
    kept = "that keep R5"
    if sol.complete and sol.readings == 0:
        sol = solve_groups(collected, T4_TOTALS, sums=False)
        kept = "none keeping R5"
    row = dict(zip(T4_KEYS, sol.cells))
    if sol.complete and sol.readings == 1:
        note = [] if kept == "that keep R5" else ["table 4: the only split of the run breaks R5"]
        return TableRead({"row": row}, end, note)
    if not sol.complete:
        why = "too many readings to enumerate; every cell left null"
    else:
        shown = "; ".join(" ".join(str(v.value) for v in r) for r in sol.shown)
        why = f"digits split {sol.readings} ways {kept} ({shown}); cells they disagree on left null"
    return TableRead({"row": row}, end, [f"table 4: {why}"])


def _numbers_follow(segs: list[Segment], start: int) -> bool:
    """Whether a grid row with numbers follows before the next section."""
    for seg in segs[start:]:
        if seg.labels and SECTION_END.search(seg.labels[0].text):
            return False
        if seg.row and seg.has_numbers:
            return True
    return False


def _whole_row(seg: Segment, width: int) -> bool:
    """A grid row of cells only, as wide as the table (mostly blank cells still make the row)."""
    return not seg.labels and len(seg.values) + (seg.values[0].open_lead and seg.values[0].col == 0) >= width


_T4_WORDS = re.compile(r"行政诉讼|行政复议|起诉|结果|审结|总计")


def _short_header(seg: Segment) -> bool:
    """Header words of table 4 (also when each group is printed as its own small table)."""
    return all(len(t.text) <= 12 or _T4_WORDS.search(t.text) for t in seg.labels)


def _enough(toks: list[Tok], width: int) -> bool:
    if any(t.kind == "run" for t in toks):
        return sum(len(c) for t in toks for c in (t.text.split(" ") if t.kind == "run" else ["x"])) >= width
    return len(toks) + (bool(toks) and toks[0].open_lead and toks[0].col == 0) >= width
