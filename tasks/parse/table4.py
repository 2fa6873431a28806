"""Table 4 (行政复议、行政诉讼): fifteen numbers after the 行政复议 header."""

from __future__ import annotations

import re

from tasks.keys import T4_KEYS
from tasks.parse.cells import Value
from tasks.parse.rows import TableRead, row_values
from tasks.parse.runs import agreed
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
    read = row_values(Segment(values=collected), len(T4_KEYS), T4_TOTALS)
    if read.values is None:
        unique = list({tuple(v.value for v in c): c for c in read.candidates}.values())
        values = agreed(unique, len(T4_KEYS)) if unique else [Value(None, "", "ambiguous")] * len(T4_KEYS)
        at = collected[0].cell if collected else None
        values = [v if v.meaning != "ambiguous" else Value(None, "", "ambiguous", at) for v in values]
        note = f"digits split {len(unique)} ways" + (f" ({read.note})" if read.note else "")
        return TableRead(
            {"row": dict(zip(T4_KEYS, values))}, end, [f"table 4: {note}; cells they disagree on left null"]
        )
    warnings = [f"table 4: {read.note}"] if read.note else []
    return TableRead({"row": dict(zip(T4_KEYS, read.values))}, end, warnings)


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
