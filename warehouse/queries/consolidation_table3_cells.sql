-- A consolidated table 3 cell by cell: the sum, how many summed reports printed a number in the cell
-- and how many printed it blank (blank is not 0), in printed order.
select r.seq, t.row_key, t.column_key, t.requests, t.reports, t.blank_cells
from fct_consolidated_table3 t
join ref_table3_rows r using (row_key)
where t.consolidation_key = $key
order by r.seq, t.column_key;
