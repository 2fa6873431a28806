"""The annual consolidation: one year's statutory tables summed over a scope of agencies, which
expected agencies have no usable report, and the change on the year before.

It is computed in SQL and stored in the warehouse in one transaction (store.py,
warehouse/queries/consolidate.sql), then read back (read.py) for the outputs — the workbook
(workbook.py), the CSV files (csvs.py) and the HTML report (html.py, charts.py) — so the files and
`ogi sql` agree. Nothing here imports Prefect: flows/consolidate.py wraps these in tasks.
"""

from tasks.consolidate.charts import bar_chart, charts, column_chart, outcome_mix
from tasks.consolidate.csvs import write_csvs
from tasks.consolidate.html import write_html
from tasks.consolidate.layout import STATUS_ZH, number, scope_label, table2_blocks, table4_header
from tasks.consolidate.read import TOP_AGENCIES, Consolidation, Frame, read_consolidation
from tasks.consolidate.scope import KINDS, TIMEZONE, Scope, make_scope, previous_year, read_agency_list
from tasks.consolidate.store import store_consolidation
from tasks.consolidate.workbook import write_workbook

__all__ = [
    "KINDS",
    "STATUS_ZH",
    "TIMEZONE",
    "TOP_AGENCIES",
    "Consolidation",
    "Frame",
    "Scope",
    "bar_chart",
    "charts",
    "column_chart",
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
    "write_csvs",
    "write_html",
    "write_workbook",
]
