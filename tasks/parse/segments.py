"""Segments of the token stream (candidate table rows) and the labels that name table rows.

A segment is one real grid row, or loose label text with the numbers printed after it; the
anchors and row patterns here are how the table parsers recognise where a table starts and
which statutory row a label names.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from tasks.parse.cells import Value
from tasks.parse.tokens import Tok


@dataclass
class Segment:
    """A candidate table row: its label tokens and the value tokens that follow them."""

    labels: list[Tok] = field(default_factory=list)
    values: list[Tok] = field(default_factory=list)
    row: bool = False
    cells: list[Tok] = field(default_factory=list)  # all tokens of a real row, in column order

    @property
    def label(self) -> str:
        return "".join(t.text for t in self.labels)

    @property
    def has_numbers(self) -> bool:
        """Any printed number (a row of blank cells is a header or spacer, not data)."""
        return any(t.kind == "run" or (t.value is not None and t.value.value is not None) for t in self.values)

    @property
    def ncols(self) -> int:
        return self.cells[0].ncols if self.cells else 0


def segments(toks: list[Tok]) -> list[Segment]:
    """Group tokens: a real row is one segment; loose text + the numbers after it is another."""
    segs: list[Segment] = []
    cur: Segment | None = None
    block = -1
    for t in toks:
        if t.row:
            if cur is None or not cur.row or t.block != block:
                cur = Segment(row=True)
                segs.append(cur)
                block = t.block
            cur.cells.append(t)
            continue
        if cur is None or cur.row or (t.kind == "text" and cur.values):
            cur = Segment()
            segs.append(cur)
        (cur.labels if t.kind == "text" else cur.values).append(t)
    for s in segs:
        if s.row:
            s.labels = [t for t in s.cells if t.kind == "text"]
            last_text = s.labels[-1].col if s.labels else -1  # a row's cells come in column order
            s.values = [t for t in s.cells if t.kind != "text" and t.col > last_text]
    return segs


def where(seg: Segment) -> str:
    """Where a segment was printed ("p.3 [..]", "L12"), for warnings; "?" when unknown."""
    toks = seg.labels or seg.values or seg.cells
    if not toks:
        return "?"
    return Value(None, "", "", toks[0].cell).position() or "?"


# anchors: where table 2 starts, where table 3 gives way to table 4 or the next section
T2_ANCHOR = re.compile(r"第二十条")
T4_ANCHOR = re.compile(r"行政复议")
SECTION_END = re.compile(r"^(五|六)、|存在的主要问题|其他需要报告")


_T3_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (k, re.compile(p))
    for k, p in [
        ("new_requests", r"本年新收|新收.{0,6}申请"),
        ("carried_over_in", r"上年结转"),
        ("carried_over_out", r"结转下年|下年度继续|转下一?年度"),
        ("partially_granted", r"部分公开|公开部分"),
        ("granted", r"予以公开"),
        ("denied_state_secret", r"国家秘密"),
        ("denied_prohibited_by_law", r"其他法律|禁止公开|行政止公开"),
        ("denied_security_stability", r"三安全|一稳定|以稳定"),
        ("denied_third_party_rights", r"第三方"),
        ("denied_internal_affairs", r"内部事务"),
        ("denied_process_information", r"过程性"),
        ("denied_enforcement_case_files", r"执法案卷"),
        ("denied_administrative_query", r"行政查询|查询事项"),
        ("unavailable_not_held", r"不掌握"),
        ("unavailable_requires_creation", r"另行制作|没有现成"),
        ("unavailable_unclear_after_amendment", r"补正后|仍不明确"),
        ("not_processed_complaint", r"信访|举报投诉"),
        ("not_processed_duplicate", r"重复申请"),
        ("not_processed_publication", r"出版物"),
        ("not_processed_excessive", r"大量反复"),
        ("not_processed_confirmation", r"重新出具|确认或"),
        ("other_no_amendment", r"不补正"),
        ("other_unpaid_fee", r"收费通知|缴纳费用"),
        ("other_misc", r"^(\(六\))?(3[.、]?)?其他$"),
        ("other_total", r"其他处理"),
        ("handled_total", r"总计|合计"),
    ]
]

_T2_PATTERNS = [
    ("other_services", r"其他对外管理服务"),
    ("normative_documents", r"规范性文件"),
    ("rules", r"规章"),
    ("licensing", r"行政许可"),
    ("penalty", r"行政处罚"),
    ("coercion", r"行政强制"),
    ("fees", r"事业性收费"),
    ("central_procurement", r"集中采购|政府采购"),
]


_CLAUSE_END = re.compile(r"[。；;]")


def tail(text: str) -> str:
    """The part of a label next to its numbers: prose before the last full stop is not label."""
    return _CLAUSE_END.split(text)[-1]


@functools.lru_cache(maxsize=16384)
def _t3_row(text: str) -> str | None:
    """The table-3 row one label cell names (the rightmost match); labels recur, so it is cached."""
    text = tail(text)
    best: tuple[int, str] | None = None
    for key, pattern in _T3_PATTERNS:
        for m in pattern.finditer(text):
            if best is None or m.end() > best[0]:
                best = (m.end(), key)
    return best[1] if best else None


def match_t3(labels: list[Tok]) -> str | None:
    """The table-3 row a label names: the last label cell, and within it the rightmost match."""
    for t in reversed(labels):
        if key := _t3_row(t.text):
            return key
    return None


@functools.lru_cache(maxsize=16384)
def _t2_row(text: str) -> str | None:
    """The table-2 row named by the end of one label cell (cached, as _t3_row)."""
    text = tail(text)[-14:]
    best: tuple[int, str] | None = None
    for key, pattern in _T2_PATTERNS:
        for m in re.finditer(pattern, text):
            if best is None or m.end() > best[0]:
                best = (m.end(), key)
    return best[1] if best else None


def match_t2(labels: list[Tok]) -> str | None:
    """The table-2 row named by the end of the last label (a run-together line keeps its label last)."""
    for t in reversed(labels):
        if key := _t2_row(t.text):
            return key
    return None
