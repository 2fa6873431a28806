-- A consolidated table 4, cell by cell in printed order (the layout prints them as one row).
select r.seq, r.cell_key, r.group_label_zh, r.outcome_label_zh, t.cases, t.reports, t.blank_cells
from fct_consolidated_table4 t
join ref_table4_cells r using (cell_key)
where t.consolidation_key = $key
order by r.seq;
