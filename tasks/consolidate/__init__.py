"""The annual consolidation: one year's statutory tables summed over a scope of agencies, which
expected agencies have no usable report, and the change on the year before.

It is computed in SQL and stored in the warehouse in one transaction (store.py,
warehouse/queries/consolidate.sql), then read back (read.py) for the outputs — the workbook
(workbook.py), the CSV files (csvs.py), the HTML report (html.py, charts.py) and the Word document
(word.py); checks.py holds R1–R3 on the consolidated table 3 — so the files and
`ogi sql` agree. Nothing here imports Prefect: flows/consolidate.py wraps these in tasks.
"""

from tasks.consolidate.charts import bar_chart, charts, column_chart, outcome_mix
from tasks.consolidate.checks import IdentityCheck, identity_checks, violations
from tasks.consolidate.csvs import write_csvs
from tasks.consolidate.html import write_html
from tasks.consolidate.layout import STATUS_ZH, number, scope_label, table2_blocks, table4_header
from tasks.consolidate.read import TOP_AGENCIES, Consolidation, Frame, read_consolidation
from tasks.consolidate.scope import KINDS, TIMEZONE, Scope, make_scope, previous_year, read_agency_list
from tasks.consolidate.scope_check import EmptyScope, check_scope
from tasks.consolidate.store import store_consolidation
from tasks.consolidate.word import write_docx
from tasks.consolidate.workbook import write_workbook

__all__ = [
    "KINDS",
    "STATUS_ZH",
    "TIMEZONE",
    "TOP_AGENCIES",
    "Consolidation",
    "EmptyScope",
    "Frame",
    "IdentityCheck",
    "Scope",
    "bar_chart",
    "charts",
    "check_scope",
    "column_chart",
    "identity_checks",
    "make_scope",
    "number",
    "outcome_mix",
    "previous_year",
    "read_agency_list",
    "read_consolidation",
    "scope_label",
    "store_consolidation",
    "table2_blocks",
    "table4_header",
    "violations",
    "write_docx",
    "write_csvs",
    "write_html",
    "write_workbook",
]
