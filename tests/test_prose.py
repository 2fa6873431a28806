"""Prose as evidence: figures the running text states decide what the layout leaves open, fill
reports that have no statistics table, and never replace a printed cell. Truth from outside the
code: the shared legacy corpus and the project's real fixtures (hand-checked truth files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO

from tasks.parse import parse_record
from tasks.parse.prose import legacy_figures
from tasks.read import read_document, read_path

LEGACY_2016 = "2016_pingtan-zone.txt"
LEGACY_2018 = "2018_pingtan-zone.txt"


def _record(text: str):
    return parse_record(read_document(text.encode("utf-8"), "report.txt"))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("2013年新增主动公开政府信息45条。", {"legacy.proactive_items": 45}),
        ("本年度未收到政府信息公开申请。", {"legacy.requests_received": 0}),
        ("收到以有关政府信息公开行政复议0件。", {"legacy.reviews": 0}),
        ("全年共收到政府信息公开申请12件，未收到有关政府信息公开行政复议申请。",
         {"legacy.requests_received": 12, "legacy.reviews": 0}),
        ("未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。", {"legacy.reviews": 0, "legacy.lawsuits": 0}),
    ],
)  # fmt: skip
def test_prose_patterns_give_the_figure_and_zeros_stated_in_words(sentence, expected):
    assert {k: f.value for k, f in legacy_figures(sentence).items()} == expected


def test_a_report_with_prose_only_gets_its_figures_each_placed_at_its_sentence(corpus):
    """The real 2018 Pingtan report with its statistics table cut off: the prose still says
    主动公开政府信息2069条, 未收到…申请 and 未收到…行政复议、提起行政诉讼的申请 (the table agreed)."""
    text = (corpus / "legacy" / LEGACY_2018).read_text(encoding="utf-8")
    record = _record(text[: text.index("六、政府信息公开情况统计表")])
    assert record.template == "legacy"
    assert record.legacy == {"proactive_items": 2069, "requests_received": 0, "reviews": 0, "lawsuits": 0}
    assert "2069条" in record.positions["legacy.proactive_items"]
    assert "未收到有关政府信息公开申请" in record.positions["legacy.requests_received"]
    assert any(w.startswith("legacy.reviews = 0 from the text") for w in record.warnings)


@pytest.mark.parametrize("header", ["2016年度历年累计", "本年数累计数", "数量一数量二"])
def test_a_legacy_run_of_year_and_cumulative_takes_the_year_figure_the_prose_states(corpus, header):
    """`5129874` printed for 主动公开文件数 under (this year, all years): the prose says 512 this year
    and 9874 in all, so the year's figure is 512, never the run as one number nor the cumulative."""
    text = (corpus / "legacy" / LEGACY_2016).read_text(encoding="utf-8")
    assert "主动公开文件数条346085376" in text and "指标名称计量单位2016年度历年累计" in text
    text = (
        text.replace("346085376", "5129874")
        .replace("2016年全区主动公开政府信息3460条", "2016年全区主动公开政府信息512条，历年累计主动公开9874条")
        .replace("指标名称计量单位2016年度历年累计", "指标名称计量单位" + header)
    )
    assert _record(text).legacy["proactive_items"] == 512


def test_a_prose_figure_never_replaces_a_printed_table_cell(corpus):
    """The 2014 Pingtan table prints 主动公开文件数 2543 in its own cell; prose saying otherwise
    does not change it (the disagreement is for the gate to report)."""
    text = (corpus / "legacy" / "2014_pingtan-zone.txt").read_text(encoding="utf-8")
    assert "2014年主动公开政府信息 2543条" in text
    record = _record(text.replace("2014年主动公开政府信息 2543条", "2014年主动公开政府信息 2500条"))
    assert record.legacy["proactive_items"] == 2543


def test_table2_rows_printing_fewer_numbers_than_columns_are_placed_by_the_prose():
    """Shanghai 2025 (fixture, hand-checked truth): `| 规章 | 22 | 235 |` under three columns; the text
    says 主动公开市政府规章22件 (本年制发), so 22 is issued; whether 235 is 本年废止 or 现行有效 nothing
    printed decides, so both stay null ("ambiguous") with the two readings in the warnings."""
    record = parse_record(read_path(Path(REPO / "tests" / "fixtures" / "real" / "2025_shanghai-gov-office.md")))
    assert record.table2["rules"] == {"issued": 22, "repealed": None, "in_force": None}
    assert record.table2["normative_documents"] == {"issued": 34, "repealed": None, "in_force": None}
    assert record.null_meanings["table2.rules.repealed"] == record.null_meanings["table2.rules.in_force"] == "ambiguous"
    assert any("digits split 2 ways (22 235 None; 22 None 235)" in w for w in record.warnings)
    assert any("placed by the text: issued 22 (L27 「" in w for w in record.warnings)


def test_without_a_prose_figure_a_short_table2_row_stays_null():
    """The same rows with the sentence gone: nothing decides where the blank is, so nothing is guessed."""
    path = REPO / "tests" / "fixtures" / "real" / "2025_shanghai-gov-office.md"
    text = (
        path.read_text(encoding="utf-8")
        .replace("规章 22 件", "规章若干件")
        .replace("规范性文件 34 件", "规范性文件若干件")
    )
    record = _record(text)
    assert record.table2["rules"] == {"issued": None, "repealed": None, "in_force": None}
