"""Figures the running text states, by pattern, each with the sentence that states it.

The prose is evidence, not a table: a figure from it decides a digit run or a row the layout leaves
open, fills a report that has no statistics table at all, and never replaces a printed cell (a
disagreement is the gate's W_PROSE_TABLE warning).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ProseFigure:
    """One figure the text states: the cell it is (a canonical path), the value, and where."""

    path: str
    value: int
    sentence: str
    line: int

    def position(self) -> str:
        """Where it was said: the line and the sentence itself (the record's `positions`)."""
        return f"L{self.line} 「{self.sentence[:80]}」"


_N = r"(\d+)\s*"
_ZERO = r"(?:未(?:收到|发生|接到|受理|有)|没有|无)"
_GOVINFO = r"[^。；;，,\d]{0,14}?"
# "未发生…被行政复议纠错或行政诉讼败诉": no case *lost*, not no case at all
_NOT_OUTCOME = r"(?![^。；;，,]*(?:纠错|败诉|纠正|撤销|确认违法))"

# (path, pattern with one number group or none for a zero stated in words). First match of a
# path wins; a clause (between commas) must not mix two kinds (申请 … 行政复议 is the review).
_LEGACY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "legacy.proactive_items",
        re.compile(r"(?:新增|全年|共|累计)?主动公开(?:政府)?信息(?:数量?|总数)?[为达共计]*" + _N + "[条件]"),
    ),
    (
        "legacy.requests_received",
        re.compile(r"(?:收到|受理|新收)" + _GOVINFO + r"公开(?:的)?申请[^。；;，,\d]{0,4}?" + _N + "[件条个]"),
    ),
    (
        "legacy.requests_received",
        re.compile(_ZERO + _GOVINFO + r"(?:政府信息公开|公开政府信息)(?:的)?申请(?!.{0,2}行政复议)"),
    ),
    ("legacy.reviews", re.compile(r"行政复议[^。；;，,\d]{0,8}?" + _N + "[件起个次]")),
    ("legacy.reviews", re.compile(_ZERO + r"[^。；;，,\d]{0,16}?行政复议" + _NOT_OUTCOME)),
    ("legacy.lawsuits", re.compile(r"行政诉讼[^。；;，,\d]{0,8}?" + _N + "[件起个次]")),
    ("legacy.lawsuits", re.compile(_ZERO + r"[^。；;，,\d]{0,24}?行政诉讼" + _NOT_OUTCOME)),
)
_NOT_REQUEST = re.compile(r"行政复议|行政诉讼|举报|投诉")

# Table 2, item (一): "规章22件", "行政规范性文件34件"; the column is named by the verb before it.
_T2_PATTERN = re.compile(r"(行政规范性文件|规范性文件|规章)" + _N + "件")
_T2_VERB = re.compile(r"现行有效|废止|失效|制发|印发|制定|出台|发布|公开")
_T2_COLUMN = {"2021": {"现行有效": "in_force", "废止": "repealed", "失效": "repealed"}}


_SENTENCE = re.compile(r"[^。;]*[。;]|[^。;]+")


@lru_cache(maxsize=4)  # one document's text is cut for table 2, the legacy figures and the gate's check
def _sentences(text: str) -> tuple[tuple[int, str], ...]:
    """(line number, sentence) of the text, cut at 。；; only: lines are joined first, because
    converters hard-wrap prose mid-word ("行\n政规范性文件"). NFKC, whitespace removed."""
    starts: list[int] = []  # where each line's characters start in the joined text
    numbers: list[int] = []
    parts: list[str] = []
    size = 0
    for n, line in enumerate(text.splitlines(), 1):
        if part := "".join(unicodedata.normalize("NFKC", line).split()):  # str.split: what \s matches
            starts.append(size)
            numbers.append(n)
            parts.append(part)
            size += len(part)
    joined = "".join(parts)
    # one sentence up to each 。 or ; (itself included), and what is left after the last one
    return tuple((numbers[bisect.bisect_right(starts, m.start()) - 1], m.group()) for m in _SENTENCE.finditer(joined))


def _clauses(sentence: str) -> list[str]:
    return [c for c in re.split(r"[,，]", sentence) if c]


def legacy_figures(text: str) -> dict[str, ProseFigure]:
    """The headline figures a report without statistics table states (legacy keys): 主动公开N条,
    收到申请N件 or 未收到…申请 (0), 行政复议N件 or 未…行政复议 (0), the same for 行政诉讼."""
    found: dict[str, ProseFigure] = {}
    for line, sentence in _sentences(text):
        for clause in _clauses(sentence):
            for path, pattern in _LEGACY_PATTERNS:
                if path in found:
                    continue
                m = pattern.search(clause)
                if m is None:
                    continue
                if path == "legacy.requests_received" and _NOT_REQUEST.search(m.group()):
                    continue
                value = int(m.group(1)) if pattern.groups else 0
                found[path] = ProseFigure(path, value, sentence, line)
    return found


def table2_figures(text: str, layout: str) -> dict[str, ProseFigure]:
    """Item (一) figures of table 2 the text states (规章 / 行政规范性文件 N件), 2021 template only:
    its columns have verbs the text uses (制发, 废止, 现行有效); the 2019 ones do not."""
    columns = _T2_COLUMN.get(layout)
    if columns is None:
        return {}
    found: dict[str, ProseFigure] = {}
    ambiguous: set[str] = set()
    for line, sentence in _sentences(text):
        for m in _T2_PATTERN.finditer(sentence):
            noun, number = m.group(1), int(m.group(2))
            # the verb of its clause, shared along an enumeration ("公开规章22件、规范性文件34件")
            before = re.split(r"[,，:：]", sentence[max(0, m.start() - 30) : m.start()])[-1]
            verbs = _T2_VERB.findall(before)
            if not verbs:
                continue  # no verb in its clause: which column is unknown
            row = "rules" if noun == "规章" else "normative_documents"
            col = columns.get(verbs[-1], "issued")
            path = f"table2.{row}.{col}"
            if path in found and found[path].value != number:
                ambiguous.add(path)  # the text gives two figures for one cell: neither decides
            found.setdefault(path, ProseFigure(path, number, sentence, line))
    return {p: f for p, f in found.items() if p not in ambiguous}


# headline figures the text states → the statutory cells that print the same figure (a sum of
# several: 行政诉讼 is both litigation groups)
_STATUTORY = {
    "legacy.requests_received": ("table3.new_requests.total",),
    "legacy.reviews": ("table4.review_total",),
    "legacy.lawsuits": ("table4.litigation_direct_total", "table4.litigation_after_review_total"),
}


def stated_cells(text: str, template: str | None) -> dict[str, ProseFigure]:
    """Every figure the text states for a cell of this record's template, keyed by the cell's path
    (or paths joined by "+" when the figure is their sum): what the gate compares with the table."""
    found = legacy_figures(text)
    if template == "legacy":
        return found
    out = {"+".join(_STATUTORY[p]): f for p, f in found.items() if p in _STATUTORY}
    return out | (table2_figures(text, "2021") if template == "2021" else {})


def disagreements(stated: dict[str, ProseFigure], cells: dict[str, object]) -> list[tuple[str, int, ProseFigure]]:
    """(cells, printed, figure) where the table prints whole numbers that add up to something else
    than the text says; cells blank or absent are not compared."""
    out = []
    for expr, fig in stated.items():
        values = [cells.get(p) for p in expr.split("+")]
        if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            printed = sum(values)  # type: ignore[arg-type]
            if printed != fig.value:
                out.append((expr, printed, fig))
    return out
