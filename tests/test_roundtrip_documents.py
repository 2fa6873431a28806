"""Record-level round trips through real renderers: the official template filled with
python-docx, PDFs drawn with reportlab, and LibreOffice's own PDFs of DOCX and Word-style HTML
(both templates) — read, parsed, and compared with the record that was rendered."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from layouts import records, seeded_record, word_html
from render import docx_to_pdf, render_docx, render_pdf

from tasks.parse import parse_document
from tasks.read import read_path


def _same_tables(record: dict[str, Any], path: Path) -> dict[str, Any]:
    got = parse_document(read_path(path))
    assert got["table3"] == record["table3"]
    assert got["table4"] == record["table4"]
    assert got["table2"] == record["table2"]
    assert got["template"] == record["template"]
    assert got["report_year"] == record["report_year"]
    return got


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records(template="2021"))
def test_official_template_filled_with_a_record_extracts_back(tmp_path, record):
    _same_tables(record, render_docx(record, tmp_path / "report.docx"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records(template="2021"), rows=st.integers(8, 30), repeat=st.booleans())
def test_pdf_with_table3_split_across_pages_extracts_back(tmp_path, record, rows, repeat):
    path = render_pdf(record, tmp_path / "report.pdf", rows_per_page=rows, repeat_header=repeat)
    _same_tables(record, path)


def _html_to_pdf(html_path: Path, out_dir: Path) -> Path:
    """LibreOffice's HTML import → PDF (the Writer filter, else the first page comes out blank)."""
    profile = Path("/tmp") / f"lo_profile_html_{os.getpid()}"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
            "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir),
            str(html_path),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out_dir / (html_path.stem + ".pdf")


@pytest.mark.libreoffice
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_libreoffice_pdf_of_a_word_html_report_extracts_back(tmp_path, template):
    record = seeded_record(template, 7)
    html = tmp_path / "report.html"
    html.write_text(word_html(record, layout_table=False), encoding="utf-8")
    _same_tables(record, _html_to_pdf(html, tmp_path))


@pytest.mark.libreoffice
def test_libreoffice_pdf_of_the_filled_template_extracts_back(tmp_path):
    record = seeded_record("2021", 11)
    docx = render_docx(record, tmp_path / "report.docx")
    _same_tables(record, docx_to_pdf(docx, tmp_path))


@pytest.mark.libreoffice
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_libreoffice_docx_of_a_word_html_report_extracts_back(tmp_path, template):
    """A Word file in either template, written by LibreOffice from the Word-style page."""
    record = seeded_record(template, 5)
    html = tmp_path / "report.html"
    html.write_text(word_html(record, layout_table=False), encoding="utf-8")
    profile = Path("/tmp") / f"lo_profile_docx_{os.getpid()}"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
            "--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path),
            str(html),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    _same_tables(record, tmp_path / "report.docx")
