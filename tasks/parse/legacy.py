"""The pre-2019 statistics table (政府信息公开情况统计表): headline figures of the year."""

from __future__ import annotations

import re

from tasks.parse.cells import Value
from tasks.parse.prose import ProseFigure
from tasks.parse.rows import TableRead
from tasks.parse.runs import split_runs
from tasks.parse.segments import Segment

LEGACY_PATTERNS = [
    ("proactive_items", r"主动公开政府信息数|主动公开信息数|主动公开文件数"),
    ("requests_received", r"收到申请数|受理依申请公开信息总数|受理.{0,8}申请.{0,4}总数"),
    ("requests_completed", r"申请办结数|对申请的答复总?数|答复总数"),
    ("granted", r"同意公开答复数"),
    ("partially_granted", r"同意部分公开答复数"),
    ("reviews", r"行政复议数"),
    ("complaints", r"举报投诉数|行政申诉数|行政诉讼、举报数"),
    ("lawsuits", r"行政诉讼数"),
    ("fees_10k_yuan", r"收取的费用|收费减免金额|收取费用"),
]
LEGACY_TABLE = re.compile(r"政府信息公开情况统计表|统计指标|指标名称")
# Rows that count (items, requests, answers, cases): there 无 / 没有 / 零 printed in a cell says
# "none happened", i.e. 0. Not the fee row, an amount; and never in the 2019+ templates, where the
# record keeps 无 apart from 0 (meaning "none") as the statute leaves blank ≠ 0.
COUNT_ROWS = frozenset(k for k, _ in LEGACY_PATTERNS) - {"fees_10k_yuan"}
_ZERO_WORDS = ("无", "没有", "零")
_UNITS = ("条", "件", "个", "项", "次")
_WORDS_ROW = re.compile(r"(?:条|件|个|项|次)((?:无|没有|零)+)")


def _legacy_key(text: str) -> str | None:
    for key, pattern in LEGACY_PATTERNS:
        if re.search(pattern, text):
            return key
    return None


def parse_legacy(
    segs: list[Segment],
    prose_numbers: set[int],
    prose_by_key: dict[str, list[int]],
    stated: dict[str, ProseFigure] | None = None,
) -> TableRead:
    """Headline figures of the pre-2019 statistics table (年度 column, not 当季 or 历年累计).
    `stated`: the figures the text states for a row decide its digit run first."""
    start = next((i for i, s in enumerate(segs) if LEGACY_TABLE.search(s.label)), None)
    if start is None:
        return TableRead({}, 0, [])
    pick, width = 1, 2  # (当季, 年度累计) is the common layout
    header = False  # whether a printed header said which column is the year's
    cells: dict[str, Value] = {}
    warnings: list[str] = []
    loose = ""
    units: dict[str, str] = {}
    for seg in segs[start:]:
        text = seg.label
        if (cols := _columns(seg, pick, width)) != (pick, width) or _columns(seg, -1, -1) != (-1, -1):
            pick, width = cols
            header = True
        key = _legacy_key(text) or (_legacy_key(loose) if seg.row else None)
        if seg.row:
            zeros, rest = _zeros_in_row(seg, key, width), None
        else:
            zeros, rest = _zeros_in_text(seg, width)
        for zkey, zero in zeros:
            if zkey in COUNT_ROWS and zkey not in cells:
                cells[zkey] = zero
                warnings.append(f"legacy.{zkey}: printed {zero.raw!r}, read as 0 (a count stated in words)")
        if zeros and rest is None:
            continue
        if zeros:  # numbers after the rows stated in words belong to the label that follows them
            key = _legacy_key(rest)
        if not seg.values:
            loose = text if not seg.row else ""
            continue
        loose = ""
        if key is None or key in cells:
            continue
        said = (stated or {}).get(f"legacy.{key}")
        if seg.row:
            nums = [t for t in seg.values if t.kind == "value"]
            if len(nums) >= width:
                cells[key] = nums[
                    len(nums) - width + _year_column(nums[-width:], pick, header, said, warnings, key)
                ].value
            unit = next((t.text for t in seg.labels[1:] if t.text in ("元", "万元")), None)
            if unit:
                units[key] = unit
            continue
        if "元" in text and "万元" not in text:
            units[key] = "元"
        quoted = ({said.value} if said else set(), set(prose_by_key.get(key, ())), prose_numbers)
        value = _run_value(seg, key, pick, width, quoted, warnings, header)
        if value is not None:
            cells[key] = value
    if "fees_10k_yuan" in cells and units.get("fees_10k_yuan") == "元":
        v = cells["fees_10k_yuan"]
        if isinstance(v.value, (int, float)):
            cells["fees_10k_yuan"] = Value(v.value / 10000, v.raw, "number", v.cell, "元")
    return TableRead({"row": cells}, 0, warnings)


def _zeros_in_row(seg: Segment, key: str | None, width: int) -> list[tuple[str, Value]]:
    """A count row of the grid whose every printed cell is 无 / 没有 / 零 (the year's and the
    cumulative alike, so which column is the year's does not matter): 0, placed at the row."""
    after = [t for t in seg.cells if t.col > 0 and t.text not in _UNITS]
    words = [t for t in after if (t.value.meaning == "none" if t.value else t.text in _ZERO_WORDS)]
    if key is None or len(after) != width or len(words) != width:
        return []
    return [(key, Value(0, words[0].cell.text, "number", words[0].cell))]


def _zeros_in_text(seg: Segment, width: int) -> tuple[list[tuple[str, Value]], str]:
    """Rows of a flattened table printed as label, unit and one zero word per column
    ("行政复议数件无无"), each 0 at its line; and the text after the last one (the next label)."""
    if not seg.labels:
        return [], ""
    tok = seg.labels[-1]
    out, start = [], 0
    for m in _WORDS_ROW.finditer(tok.text):
        if len(re.findall("无|没有|零", m.group(1))) == width and (key := _legacy_key(tok.text[start : m.start()])):
            out.append((key, Value(0, m.group(1), "number", tok.cell)))
        start = m.end()
    return out, tok.text[start:] if out else ""


def _year_column(values: list, pick: int, header: bool, said: ProseFigure | None, warnings: list[str], key: str) -> int:
    """The column of this year's figure: the header's; without a header that says it, the one
    column printing the figure the text states for this row (the year's, not the cumulative)."""
    if header or said is None:
        return pick
    nums = [getattr(v, "value", v) for v in values]
    nums = [getattr(n, "value", n) for n in nums]
    at = [i for i, n in enumerate(nums) if n == said.value]
    if len(at) == 1:
        if at[0] != pick:
            warnings.append(f"legacy row {key}: the year's figure is the column the text states ({said.position()})")
        return at[0]
    return pick


def _columns(seg: Segment, pick: int, width: int) -> tuple[int, int]:
    """(column of this year's figure, columns per row) from a header naming 当季/年度累计/历年累计;
    unchanged when the segment is no such header."""
    text = seg.label
    head = re.split(r"指标名称|统计指标|统\s*计\s*指\s*标", text)[-1] if re.search(r"指标", text) else text
    if not seg.row and len(head) > 40:
        return pick, width  # prose that names a year ("2016年度…报告") is no column header
    if not re.search(r"当季|年度累计|历年累计|\d{4}年度|本年数|累计数", head):
        return pick, width
    if seg.row:
        cols = [t for t in seg.cells if t.kind == "text" and re.search(r"当季|累计|年度|数量", t.text)]
        wanted = [i for i, t in enumerate(cols) if re.search(r"年度累计|\d{4}年度|本年", t.text)]
        if cols and wanted:
            return wanted[0], len(cols)
    else:
        order = [m.group() for m in re.finditer(r"当季|年度累计|历年累计|\d{4}年度|本年数|累计数", head)]
        wanted = [i for i, w in enumerate(order) if w not in ("当季", "历年累计", "累计数")]
        if order and wanted:
            return wanted[0], len(order)
    return pick, width


def _run_value(
    seg: Segment,
    key: str,
    pick: int,
    width: int,
    quoted: tuple[set[int], ...],
    warnings: list[str],
    header: bool = True,
) -> Value | None:
    """This year's figure from a run of digits: the one split (this year ≤ cumulative), else the
    split whose figure the prose quotes (for this row, then anywhere); ambiguous otherwise."""
    cands, _complete = split_runs(seg.values, width)
    if width == 2:
        cands = [c for c in cands if _le(c[0].value, c[1].value)]
    if not header and quoted[0]:
        # no header says which column is the year's: the text's figure for this row does
        said = next(iter(quoted[0]))
        placed = {(i, tuple(v.value for v in c)): c for c in cands for i, v in enumerate(c) if v.value == said}
        if len(placed) == 1:
            (i, _), c = next(iter(placed.items()))
            return c[i]
    for numbers in quoted:
        if len(cands) > 1:
            in_prose = [c for c in cands if isinstance(c[pick].value, int) and c[pick].value in numbers]
            cands = in_prose if len(in_prose) == 1 else cands
    if len(cands) == 1:
        return cands[0][pick]
    if cands:
        shown = "; ".join("|".join(str(v.value) for v in c) for c in cands[:12])
        warnings.append(f"legacy row {key}: digits split {len(cands)} ways ({shown}); left null")
        return Value(None, "", "ambiguous", seg.values[0].cell)
    return None


def _le(a, b) -> bool:
    return isinstance(a, (int, float)) and isinstance(b, (int, float)) and a <= b
