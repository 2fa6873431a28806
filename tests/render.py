"""Test-only renderers: a canonical record (truth-JSON format) printed as a report in the
national 2021 layout, as DOCX (the official template filled in), as PDF drawn with reportlab,
or as PDF converted from the DOCX by LibreOffice — so readers can be checked on files whose
every number is known.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TEMPLATE_2021 = CORPUS / "reference" / "national-template-2021-blank.docx"

# --- what the template prints, in printed order ----------------------------------------------

COLUMNS = [
    "natural_person",
    "commercial",
    "research",
    "public_interest",
    "legal_services",
    "other_org",
    "total",
]

_DENIED = [
    ("denied_state_secret", "1.属于国家秘密"),
    ("denied_prohibited_by_law", "2.其他法律行政法规禁止公开"),
    ("denied_security_stability", "3.危及“三安全一稳定”"),
    ("denied_third_party_rights", "4.保护第三方合法权益"),
    ("denied_internal_affairs", "5.属于三类内部事务信息"),
    ("denied_process_information", "6.属于四类过程性信息"),
    ("denied_enforcement_case_files", "7.属于行政执法案卷"),
    ("denied_administrative_query", "8.属于行政查询事项"),
]
_UNAVAILABLE = [
    ("unavailable_not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable_requires_creation", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear_after_amendment", "3.补正后申请内容仍不明确"),
]
_NOT_PROCESSED = [
    ("not_processed_complaint", "1.信访举报投诉类申请"),
    ("not_processed_duplicate", "2.重复申请"),
    ("not_processed_publication", "3.要求提供公开出版物"),
    ("not_processed_excessive", "4.无正当理由大量反复申请"),
    ("not_processed_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
]
_OTHER = [
    ("other_no_amendment", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other_misc", "3.其他"),
]
TABLE4_KEYS = [
    f"{group}_{outcome}"
    for group in ("review", "litigation_direct", "litigation_after_review")
    for outcome in ("upheld", "corrected", "other", "pending", "total")
]
# table 2 (2021): (row key, column key) of each printed value, top to bottom, left to right
TABLE2_CELLS = [
    ("rules", "issued"), ("rules", "repealed"), ("rules", "in_force"),
    ("normative_documents", "issued"), ("normative_documents", "repealed"),
    ("normative_documents", "in_force"),
    ("licensing", "decisions"), ("penalty", "decisions"), ("coercion", "decisions"),
    ("fees", "amount_10k_yuan"),
]  # fmt: skip


def split_other(record: dict) -> bool:
    """Whether the record prints (六)其他处理 as the 2021 template's three rows."""
    return "other_no_amendment" in record["table3"]


def table3_keys(record: dict) -> list[str]:
    """Table-3 row keys in printed order (one (六) row when the record has no 2021 split)."""
    other = [k for k, _ in _OTHER] if split_other(record) else ["other_total"]
    return [
        "new_requests", "carried_over_in", "granted", "partially_granted",
        *(k for k, _ in _DENIED), *(k for k, _ in _UNAVAILABLE), *(k for k, _ in _NOT_PROCESSED),
        *other, "handled_total", "carried_over_out",
    ]  # fmt: skip


def printed(value: object) -> str:
    """A value as the report prints it: blank for null."""
    return "" if value is None else str(value)


def table3_printed(record: dict) -> list[list[str]]:
    """The seven printed value strings of every table-3 row, in printed order."""
    t3 = record["table3"]
    return [[printed(t3[key].get(col)) for col in COLUMNS] for key in table3_keys(record)]


def table4_printed(record: dict) -> list[str]:
    return [printed(record["table4"].get(key)) for key in TABLE4_KEYS]


def table2_printed(record: dict) -> list[str]:
    return [printed(record["table2"].get(row, {}).get(col)) for row, col in TABLE2_CELLS]


def random_record(seed: int, max_digits: int = 5) -> dict:
    """A 2021-template record (truth-JSON format) with every number of tables 2, 3 and 4 random:
    1 to `max_digits` digits each, a random share of the cells blank (null), (六)其他处理 printed as the
    template's three rows or as one; other_total the sum of its three rows where all are printed."""
    rnd = random.Random(seed)
    blank = rnd.choice([0.0, 0.15, 0.3, 0.6, 0.85])
    digits = rnd.randint(1, max_digits)  # the widest number of the report

    def number() -> int | None:
        return None if rnd.random() < blank else rnd.randint(0, 10 ** rnd.randint(1, digits) - 1)

    split = rnd.random() < 0.5
    keys = table3_keys({"table3": {"other_no_amendment": {}} if split else {}})
    table3 = {key: {c: number() for c in COLUMNS} for key in keys}
    if split:
        parts = [table3[k] for k, _ in _OTHER]
        table3["other_total"] = {c: None if None in (v := [p[c] for p in parts]) else sum(v) for c in COLUMNS}
    table2: dict[str, dict] = {}
    for row, col in TABLE2_CELLS:
        value = number()
        if col == "amount_10k_yuan" and value is not None and rnd.random() < 0.5:
            value = value + rnd.randint(1, 99) / 100
        table2.setdefault(row, {})[col] = value
    return {
        "source": f"random-{seed}.pdf",
        "agency": "某市人民政府",
        "report_year": 2021 + seed % 4,
        "template": "2021",
        "table2": table2,
        "table3": table3,
        "table4": {key: number() for key in TABLE4_KEYS},
    }


def title(record: dict) -> str:
    return f"{record['agency']}{record['report_year']}年政府信息公开工作年度报告"


# --- DOCX: the official template filled in ---------------------------------------------------


def render_docx(record: dict, path: str | Path) -> Path:
    """Fill the blank 2021 template with a record's numbers (python-docx) and save it."""
    document = docx.Document(str(TEMPLATE_2021))
    heading = next(p for p in document.paragraphs if "格式模板" in p.text)
    heading.text = title(record)
    document.core_properties.title = title(record)
    t2, t3, t4 = document.tables
    positions = [(2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (3, 3), (6, 1), (9, 1), (10, 1), (13, 1)]
    for (r, c), text in zip(positions, table2_printed(record)):
        t2.rows[r].cells[c].text = text
    rows = table3_printed(record)
    if not split_other(record):  # the template has three (六) rows; the single row goes first
        rows = rows[:20] + [rows[20], [""] * 7, [""] * 7] + rows[21:]
    for r, values in enumerate(rows, start=3):
        cells = t3.rows[r].cells
        for c, text in enumerate(values, start=3):
            cells[c].text = text
    for c, text in enumerate(table4_printed(record)):
        t4.rows[3].cells[c].text = text
    document.save(str(path))
    return Path(path)


def docx_to_pdf(docx_path: str | Path, out_dir: str | Path) -> Path:
    """Convert a DOCX to PDF with LibreOffice headless (its own profile, so runs can overlap)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError(
            "LibreOffice is not installed: apt-get install -y --no-install-recommends "
            "libreoffice-writer-nogui fonts-noto-cjk"
        )
    out_dir = Path(out_dir)
    profile = Path("/tmp") / f"lo_profile_{os.getpid()}"
    subprocess.run(
        [
            soffice, f"-env:UserInstallation=file://{profile}", "--headless",
            "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = out_dir / (Path(docx_path).stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {docx_path}")
    return pdf


# --- PDF drawn with reportlab ----------------------------------------------------------------

FONT = "STSong-Light"  # reportlab's built-in CID font: Chinese without font files
PAGE_W, PAGE_H = A4
MARGIN = 72.0
WIDTH = PAGE_W - 2 * MARGIN
SIZE = 9.0  # table text size, pt
LEADING = 11.0
PAD = 3.0


@dataclass(frozen=True)
class Rules:
    """How a table's borders are drawn: stroked lines (word processors), thin filled rectangles
    (a browser's print-to-PDF) or filled paths, in a colour; `white_hairlines` also paints white
    hairlines across every cell, as producers mask or separate things (never borders)."""

    style: str = "stroke"  # stroke | fill | path
    colour: tuple[float, float, float] = (0.0, 0.0, 0.0)
    white_hairlines: bool = False


def _rule(page: canvas.Canvas, rules: Rules, xa: float, ya: float, xb: float, yb: float) -> None:
    """One border segment between two points (page coordinates), drawn as `rules` says."""
    page.setStrokeColorRGB(*rules.colour)
    page.setFillColorRGB(*rules.colour)
    if rules.style == "stroke":
        page.line(xa, ya, xb, yb)
        return
    half = 0.35
    x0, x1, y0, y1 = min(xa, xb) - half, max(xa, xb) + half, min(ya, yb) - half, max(ya, yb) + half
    if rules.style == "fill":
        page.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
    else:  # a trapezoid, as Chromium fills a border whose joins are bevelled (not a rectangle)
        bevel = half if x1 - x0 < y1 - y0 else 0.0
        path = page.beginPath()
        path.moveTo(x0, y0)
        path.lineTo(x1, y0 + bevel)
        path.lineTo(x1, y1 - (half - bevel))
        path.lineTo(x0, y1)
        path.close()
        page.drawPath(path, stroke=0, fill=1)


@dataclass(frozen=True)
class _Spec:
    """A printed cell of a table: text and the grid rows/columns it covers."""

    text: str
    r0: int
    c0: int
    rowspan: int = 1
    colspan: int = 1


def _place(rows: list[list[tuple]]) -> list[_Spec]:
    """Place HTML-like rows of (text, colspan, rowspan) cells on a grid, skipping occupied slots."""
    taken: set[tuple[int, int]] = set()
    specs = []
    for r, row in enumerate(rows):
        c = 0
        for text, colspan, rowspan in (cell if isinstance(cell, tuple) else (cell, 1, 1) for cell in row):
            while (r, c) in taken:
                c += 1
            specs.append(_Spec(text, r, c, rowspan, colspan))
            taken.update((r + i, c + j) for i in range(rowspan) for j in range(colspan))
            c += colspan
    return specs


def _table2(record: dict) -> list[list]:
    v = table2_printed(record)
    return [
        [("第二十条第（一）项", 4, 1)],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", *v[0:3]],
        ["行政规范性文件", *v[3:6]],
        [("第二十条第（五）项", 4, 1)],
        ["信息内容", ("本年处理决定数量", 3, 1)],
        ["行政许可", (v[6], 3, 1)],
        [("第二十条第（六）项", 4, 1)],
        ["信息内容", ("本年处理决定数量", 3, 1)],
        ["行政处罚", (v[7], 3, 1)],
        ["行政强制", (v[8], 3, 1)],
        [("第二十条第（八）项", 4, 1)],
        ["信息内容", ("本年收费金额（单位：万元）", 3, 1)],
        ["行政事业性收费", (v[9], 3, 1)],
    ]


def _table3(record: dict) -> list[list]:
    values = iter(table3_printed(record))
    split = split_other(record)

    def row(*labels: object) -> list:
        return [*labels, *next(values)]

    rows = [
        [
            ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3),
            ("申请人情况", 7, 1),
        ],
        [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        row(("一、本年新收政府信息公开申请数量", 3, 1)),
        row(("二、上年结转政府信息公开申请数量", 3, 1)),
        row(("三、本年度办理结果", 1, 22 if split else 20), ("（一）予以公开", 2, 1)),
        row(("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2, 1)),
    ]
    for group, label in ((_DENIED, "（三）不予公开"), (_UNAVAILABLE, "（四）无法提供"),
                         (_NOT_PROCESSED, "（五）不予处理")):  # fmt: skip
        rows.append(row((label, 1, len(group)), group[0][1]))
        rows.extend(row(leaf) for _, leaf in group[1:])
    if split:
        rows.append(row(("（六）其他处理", 1, 3), _OTHER[0][1]))
        rows.extend(row(leaf) for _, leaf in _OTHER[1:])
    else:
        rows.append(row(("（六）其他处理", 2, 1)))
    rows.append(row(("（七）总计", 2, 1)))
    rows.append(row(("四、结转下年度继续办理", 3, 1)))
    return rows


def _table4(record: dict) -> list[list]:
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [("行政复议", 5, 1), ("行政诉讼", 10, 1)],
        [*((o, 1, 2) for o in outcomes), ("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)],
        [*outcomes, *outcomes],
        table4_printed(record),
    ]


def _wrap(text: str, width: float, size: float = SIZE) -> list[str]:
    """Text broken into lines that fit the width, character by character (CJK has no spaces)."""
    lines, line = [], ""
    for char in text:
        if line and pdfmetrics.stringWidth(line + char, FONT, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


@dataclass
class _Pen:
    """Where the next thing goes: the canvas, the page number and the height reached."""

    pdf: canvas.Canvas
    page: int = 1
    y: float = MARGIN  # distance from the top of the page


def _footer(pen: _Pen) -> None:
    """The page number at the foot of the page, "- 3 -" as the real reports print it."""
    pen.pdf.setFont(FONT, 10)
    pen.pdf.drawCentredString(PAGE_W / 2, 40, f"- {pen.page} -")


def _new_page(pen: _Pen) -> None:
    _footer(pen)
    pen.pdf.showPage()
    pen.page += 1
    pen.y = MARGIN


def _text_line(pen: _Pen, text: str, size: float = 12, indent: float = 0) -> None:
    """Running text, wrapped to the text width, on as many pages as it needs."""
    for line in _wrap(text, WIDTH - indent, size):
        if pen.y + size * 1.6 > PAGE_H - MARGIN:
            _new_page(pen)
        pen.pdf.setFont(FONT, size)
        pen.pdf.drawString(MARGIN + indent, PAGE_H - pen.y - size, line)
        pen.y += size * 1.8


def _row_heights(specs: list[_Spec], widths: list[float], nrows: int) -> list[float]:
    """Row heights that fit every cell's wrapped text (spanning cells stretch their last row)."""
    heights = [18.0] * nrows
    for s in sorted(specs, key=lambda s: s.rowspan):
        need = len(_wrap(s.text, sum(widths[s.c0 : s.c0 + s.colspan]) - 2 * PAD)) * LEADING + 2 * PAD
        have = sum(heights[s.r0 : s.r0 + s.rowspan])
        if need > have:
            heights[s.r0 + s.rowspan - 1] += need - have
    return heights


def _draw_table(
    pen: _Pen,
    rows: list[list],
    widths: list[float],
    *,
    rows_per_page: int | None = None,
    repeat_header: int = 0,
    ruled: Rules | None = Rules(),
    open_breaks: bool = False,
) -> None:
    """Draw a grid with merged cells, breaking it across pages.

    A page takes rows until the page is full or `rows_per_page` rows are on it; `repeat_header`
    leading rows are drawn again at the top of each new page; a merged cell cut by the break is
    drawn on both pages with its text flowed across them (as Word does); `open_breaks` leaves
    out the bottom border above a break, as WPS does.
    """
    specs = _place(rows)
    heights = _row_heights(specs, widths, len(rows))
    xs = [MARGIN + sum(widths[:i]) for i in range(len(widths) + 1)]
    parts: list[list[int]] = [[]]  # grid rows on each page
    y = pen.y
    for r, h in enumerate(heights):
        full = y + h > PAGE_H - MARGIN or (rows_per_page is not None and len(parts[-1]) >= rows_per_page)
        if parts[-1] and full:
            parts.append(list(range(repeat_header)) if r >= repeat_header else [])
            y = MARGIN + sum(heights[:repeat_header]) if r >= repeat_header else MARGIN
        parts[-1].append(r)
        y += h
    for n, part in enumerate(parts):
        if n:
            _new_page(pen)
        tops = {}
        for r in part:
            tops[r] = pen.y
            pen.y += heights[r]
        for s in specs:
            if not any(r in tops for r in range(s.r0, s.r0 + s.rowspan)):
                continue
            if s.r0 < repeat_header:  # header cells are drawn whole on every page that has them
                pieces = [[n, list(range(s.r0, s.r0 + s.rowspan))]]
            else:
                pieces = [[m, [r for r in p if s.r0 <= r < s.r0 + s.rowspan]] for m, p in enumerate(parts)]
                pieces = [piece for piece in pieces if piece[1]]
            last_on_page = max(r for m, rows in pieces if m == n for r in rows) == part[-1]
            _draw_cell(pen, s, pieces, n, tops, heights, xs, ruled=ruled,
                       close_bottom=not (open_breaks and n < len(parts) - 1 and last_on_page))  # fmt: skip
    pen.y += 12


def _flow(count: int, heights: list[float]) -> list[tuple[int, float]]:
    """(piece, middle) of each text line of a cell cut into pieces of these heights: centred in
    the whole cell, a line that would cross a break moves to the next piece, as Word flows text.
    """
    ends = [sum(heights[: k + 1]) for k in range(len(heights))]
    y = (ends[-1] - count * LEADING) / 2
    k = 0
    out = []
    for _ in range(count):
        while k < len(ends) - 1 and y + LEADING > ends[k]:
            y = max(y, ends[k])
            k += 1
        out.append((k, y + LEADING / 2 - (ends[k - 1] if k else 0.0)))
        y += LEADING
    return out


def _draw_cell(
    pen: _Pen,
    spec: _Spec,
    pieces: list[list],
    n: int,
    tops: dict[int, float],
    heights: list[float],
    xs: list[float],
    *,
    ruled: Rules | None,
    close_bottom: bool,
) -> None:
    """Draw the piece of a cell that is on page part `n`: its borders and its text lines."""
    x0, x1 = xs[spec.c0], xs[spec.c0 + spec.colspan]
    index = next(k for k, (m, _) in enumerate(pieces) if m == n)
    shown = pieces[index][1]
    top = tops[shown[0]]
    bottom = top + sum(heights[r] for r in shown)
    page = pen.pdf
    if ruled is not None:
        page.setLineWidth(0.5)
        if ruled.white_hairlines:
            page.setFillColorRGB(1, 1, 1)
            middle_x, middle_y = (x0 + x1) / 2, PAGE_H - (top + bottom) / 2
            page.rect(x0 + 1, middle_y - 0.25, x1 - x0 - 2, 0.5, stroke=0, fill=1)
            page.rect(middle_x - 0.25, PAGE_H - bottom + 1, 0.5, bottom - top - 2, stroke=0, fill=1)
        for xa, ya, xb, yb in ((x0, top, x1, top), (x0, top, x0, bottom), (x1, top, x1, bottom)):
            _rule(page, ruled, xa, PAGE_H - ya, xb, PAGE_H - yb)
        if close_bottom:
            _rule(page, ruled, x0, PAGE_H - bottom, x1, PAGE_H - bottom)
        page.setFillColorRGB(0, 0, 0)
    lines = _wrap(spec.text, x1 - x0 - 2 * PAD)
    placed = _flow(len(lines), [sum(heights[r] for r in rows) for _, rows in pieces])
    page.setFont(FONT, SIZE)
    for line, (k, middle) in zip(lines, placed):
        if k == index:
            page.drawCentredString((x0 + x1) / 2, PAGE_H - (top + middle + SIZE * 0.35), line)


def render_pdf(
    record: dict,
    path: str | Path,
    *,
    rows_per_page: int | None = 16,
    repeat_header: bool = False,
    ruled: bool = True,
    open_breaks: bool = False,
    table4_rows_per_page: int | None = None,
    rules: Rules = Rules(),
) -> Path:
    """Draw a report in the 2021 layout with reportlab; table 3 starts on page 2 and breaks after
    `rows_per_page` rows (header rows included), so it always continues on a later page; table 4
    breaks after `table4_rows_per_page` rows when given; `rules` says how borders are drawn.
    """
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf.setTitle(title(record))
    pen = _Pen(pdf)
    drawn = rules if ruled else None
    _text_line(pen, title(record), size=16, indent=40)
    _text_line(pen, "一、总体情况", indent=24)
    _text_line(
        pen,
        f"{record['report_year']}年，本机关共收到政府信息公开申请若干件，均在法定期限内答复。"
        "本报告所列数据的统计期限自1月1日起至12月31日止。",
        indent=24,
    )
    _text_line(pen, "二、主动公开政府信息情况", indent=24)
    _draw_table(pen, _table2(record), [150.0] + [(WIDTH - 150) / 3] * 3, ruled=drawn)
    _new_page(pen)
    _text_line(pen, "三、收到和处理政府信息公开申请情况", indent=24)
    _draw_table(
        pen, _table3(record), [18.0, 72.0, 125.0] + [(WIDTH - 215) / 7] * 7,
        rows_per_page=rows_per_page, repeat_header=3 if repeat_header else 0,
        ruled=drawn, open_breaks=open_breaks,
    )  # fmt: skip
    _text_line(pen, "四、政府信息公开行政复议、行政诉讼情况", indent=24)
    _draw_table(
        pen, _table4(record), [WIDTH / 15] * 15,
        rows_per_page=table4_rows_per_page, ruled=drawn, open_breaks=open_breaks,
    )  # fmt: skip
    _text_line(pen, "五、存在的主要问题及改进情况", indent=24)
    _text_line(pen, "一是政策解读质量仍需提升；二是队伍建设还需加强。", indent=24)
    _footer(pen)
    pdf.save()
    return Path(path)
