"""The pre-2019 statistics table (政府信息公开情况统计表): headline figures of the year."""

from __future__ import annotations

import re

from tasks.parse.cells import Value
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


def _legacy_key(text: str) -> str | None:
    for key, pattern in LEGACY_PATTERNS:
        if re.search(pattern, text):
            return key
    return None


def parse_legacy(segs: list[Segment], prose_numbers: set[int], prose_by_key: dict[str, list[int]]) -> TableRead:
    """Headline figures of the pre-2019 statistics table (年度 column, not 当季 or 历年累计)."""
    start = next((i for i, s in enumerate(segs) if LEGACY_TABLE.search(s.label)), None)
    if start is None:
        return TableRead({}, 0, [])
    pick, width = 1, 2  # (this year, cumulative) is the common layout
    cells: dict[str, Value] = {}
    warnings: list[str] = []
    loose = ""
    units: dict[str, str] = {}
    for seg in segs[start:]:
        text = seg.label
        pick, width = _columns(seg, pick, width)
        key = _legacy_key(text) or (_legacy_key(loose) if seg.row else None)
        if not seg.values:
            loose = text if not seg.row else ""
            continue
        loose = ""
        if key is None or key in cells:
            continue
        if seg.row:
            nums = [t for t in seg.values if t.kind == "value"]
            if len(nums) >= width:
                cells[key] = nums[len(nums) - width + pick].value
            unit = next((t.text for t in seg.labels[1:] if t.text in ("元", "万元")), None)
            if unit:
                units[key] = unit
            continue
        if "元" in text and "万元" not in text:
            units[key] = "元"
        quoted = (set(prose_by_key.get(key, ())), prose_numbers)
        value = _run_value(seg, key, pick, width, quoted, warnings)
        if value is not None:
            cells[key] = value
    if "fees_10k_yuan" in cells and units.get("fees_10k_yuan") == "元":
        v = cells["fees_10k_yuan"]
        if isinstance(v.value, (int, float)):
            cells["fees_10k_yuan"] = Value(v.value / 10000, v.raw, "number", v.cell, "元")
    return TableRead({"row": cells}, 0, warnings)


def _columns(seg: Segment, pick: int, width: int) -> tuple[int, int]:
    """(column of this year's figure, columns per row) from a header naming 当季/年度累计/历年累计;
    unchanged when the segment is no such header."""
    text = seg.label
    head = re.split(r"指标名称|统计指标|统\s*计\s*指\s*标", text)[-1] if re.search(r"指标", text) else text
    if not re.search(r"当季|年度累计|历年累计|\d{4}年度", head):
        return pick, width
    if seg.row:
        cols = [t for t in seg.cells if t.kind == "text" and re.search(r"当季|累计|年度|数量", t.text)]
        wanted = [i for i, t in enumerate(cols) if re.search(r"年度累计|\d{4}年度|本年", t.text)]
        if cols and wanted:
            return wanted[0], len(cols)
    else:
        order = [m.group() for m in re.finditer(r"当季|年度累计|历年累计|\d{4}年度", head)]
        wanted = [i for i, w in enumerate(order) if w != "当季" and w != "历年累计"]
        if order and wanted:
            return wanted[0], len(order)
    return pick, width


def _run_value(
    seg: Segment, key: str, pick: int, width: int, quoted: tuple[set[int], set[int]], warnings: list[str]
) -> Value | None:
    """This year's figure from a run of digits: the one split (this year ≤ cumulative), else the
    split whose figure the prose quotes (for this row, then anywhere); ambiguous otherwise."""
    cands, _complete = split_runs(seg.values, width)
    if width == 2:
        cands = [c for c in cands if _le(c[0].value, c[1].value)]
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
