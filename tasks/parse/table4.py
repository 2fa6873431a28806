"""Table 4 (行政复议、行政诉讼): fifteen numbers after the 行政复议 header."""

from __future__ import annotations

import re

from tasks.keys import T4_KEYS
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
        if seg.row and seg.has_numbers and len(seg.values) >= 5:
            if sum(1 for t in seg.values if t.value is not None and t.value.value is not None) >= 5 or collected:
                collected += seg.values
        elif not seg.row:
            if seg.labels and collected and not _short_header(seg):
                break
            collected += seg.values
        if _enough(collected, len(T4_KEYS)):
            read = row_values(Segment(values=collected), len(T4_KEYS), T4_TOTALS)
            if read.values is None:
                return TableRead({}, i + 1, [f"table 4: digits split {len(read.candidates)} ways; left null"])
            warnings = [f"table 4: {read.note}"] if read.note else []
            return TableRead({"row": dict(zip(T4_KEYS, read.values))}, i + 1, warnings)
    if collected:
        read = row_values(Segment(values=collected), len(T4_KEYS), T4_TOTALS)
        if read.values is not None:
            return TableRead(
                {"row": dict(zip(T4_KEYS, read.values))}, len(segs), [f"table 4: {read.note}"] if read.note else []
            )
    return TableRead({}, anchor, ["table 4: header found but no row of 15 numbers"])


_T4_WORDS = re.compile(r"行政诉讼|行政复议|起诉|结果|审结|总计")


def _short_header(seg: Segment) -> bool:
    """Header words of table 4 (also when each group is printed as its own small table)."""
    return all(len(t.text) <= 12 or _T4_WORDS.search(t.text) for t in seg.labels)


def _enough(toks: list[Tok], width: int) -> bool:
    if any(t.kind == "run" for t in toks):
        return sum(len(c) for t in toks for c in (t.text.split(" ") if t.kind == "run" else ["x"])) >= width
    return len(toks) >= width
