-- Year-on-year change of one consolidation, with the printed labels.
select y.table_name, y.row_key, y.column_key,
       coalesce(r3.group_label_zh || ' ', '') || coalesce(r3.label_zh, r4.group_label_zh || ' ' || r4.outcome_label_zh) as 项目,
       y.value, y.value_prior_year, y.change, y.change_pct
from consolidation_yoy y
left join ref_table3_rows r3 on y.table_name = 'table3' and r3.row_key = y.row_key
left join ref_table4_cells r4 on y.table_name = 'table4' and r4.cell_key = y.column_key
where y.consolidation_key = $key
order by y.table_name, coalesce(r3.seq, r4.seq);
