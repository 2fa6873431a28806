"""Column alignment never guesses: a row whose blanks cannot be placed is null ("ambiguous"), never shifted.

Truth comes from outside the code: the shared seed 000 (pipe layout) with its table-4 row reprinted
with blanks, and the synthetic generator's truth files.
"""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.evaluate import evaluate_dir
from tasks.keys import T4_KEYS
from tasks.parse import parse_record
from tasks.read import read_document

SEED_000 = "000_2d75f7f597d72c01.txt"
T4_LINE = "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"


def _with_t4_line(corpus, line: str):
    text = (corpus / "seeds" / SEED_000).read_text(encoding="utf-8")
    assert T4_LINE in text
    return parse_record(read_document(text.replace(T4_LINE, line).encode("utf-8"), "pipe.txt"))


cells_15 = st.lists(st.one_of(st.none(), st.integers(0, 30)), min_size=15, max_size=15)


@settings(max_examples=40, deadline=None)
@given(cells=cells_15, strip=st.booleans())
def test_a_pipe_row_with_blank_cells_is_read_in_its_columns(corpus, cells, strip):
    """Cells each closed by `|` (blank = empty field), with or without the space before a leading bar."""
    line = " | ".join("" if v is None else str(v) for v in cells) + " |"
    got = _with_t4_line(corpus, line.lstrip() if strip else line).table4
    assert [got.get(k, "absent") for k in T4_KEYS] == cells


@settings(max_examples=30, deadline=None)
@given(cells=cells_15, drop=st.integers(0, 14))
def test_a_row_missing_a_field_is_null_ambiguous_never_shifted(corpus, cells, drop):
    """One field fewer than the header's columns (no leading bar): where the blank was is unknown."""
    fields = ["" if v is None else str(v) for v in cells]
    del fields[drop]
    line = "x | " + " | ".join(fields) + " |"  # a label first: no bar may close a blank first cell
    record = _with_t4_line(corpus, line)
    got = [record.table4.get(k) for k in T4_KEYS]
    assert all(v is None for v in got), got
    # null as ambiguous, or (a row with no number at all) not found, which the gate's C1 blocks
    assert all(k not in record.table4 or record.null_meanings[f"table4.{k}"] == "ambiguous" for k in T4_KEYS)


def test_synthetic_reports_have_no_wrong_value(tmp_path):
    """Pipe and HTML layouts with blank cells (the generator's truth): right or null, never wrong."""
    out = tmp_path / "synth"
    subprocess.run(
        [sys.executable, str(REPO.parent / "shared" / "tools" / "synth_corpus.py"), str(out), "--n", "300",
         "--seed", "11", "--years", "2020-2023", "--layouts", "pipe,html", "--jobs", "1"],
        check=True, capture_output=True,
    )  # fmt: skip
    scores = [s for year in sorted(out.iterdir()) if year.is_dir() for s in evaluate_dir(year)]
    assert len(scores) == 300
    assert sum(s.cells_wrong for s in scores) == 0, [w for s in scores for w in s.wrong if "(wrong)" in w][:10]
    right, total = sum(s.cells_right for s in scores), sum(s.cells_total for s in scores)
    assert right / total >= 0.999


def test_an_html_table4_row_printed_all_blank_is_fifteen_blank_cells_not_absent(corpus):
    """The real 2019 Shanghai page with its table-4 data row reprinted as empty cells (&nbsp;), as an
    agency with no review or lawsuit prints it: every cell is there, null as printed blank."""
    html = (corpus / "real" / "2019_shanghai-gov-office.html").read_text(encoding="utf-8")
    head, sep, tail = html.rpartition('<tr><td style="width:28px;"><p>5</p></td>')
    assert sep, "the table-4 data row of the page"
    row, end, rest = tail.partition("</tr>")
    blank = re.sub(r"<p>\d+</p>", "&nbsp;", sep + row)
    assert re.search(r"\d</p>", blank) is None
    record = parse_record(read_document((head + blank + end + rest).encode("utf-8"), "page.html"))
    assert record.table4 == {k: None for k in T4_KEYS}
    assert {record.null_meanings[f"table4.{k}"] for k in T4_KEYS} == {"blank"}
    assert record.table3["new_requests"]["total"] == 859  # the rest of the page reads as before
