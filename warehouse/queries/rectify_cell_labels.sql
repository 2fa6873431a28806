-- The printed Chinese label of every table 3 and table 4 cell, by canonical key (for notices).
select 'table3.' || r.row_key || '.' || c.column_key as cell_key,
       '表三「' || coalesce(r.group_label_zh || '·', '') || r.label_zh || '」「' || c.label_zh || '」' as label_zh
from ref_table3_rows r cross join ref_table3_columns c
union all
select 'table4.' || cell_key, '表四「' || group_label_zh || '·' || outcome_label_zh || '」'
from ref_table4_cells;
