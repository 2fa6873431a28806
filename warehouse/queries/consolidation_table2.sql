-- A consolidated table 2 in printed order, for each template the summed reports used (and the
-- template in force for the year, so an empty consolidation still prints its layout).
select r.template, r.seq, r.item_zh, r.row_key, r.row_label_zh, r.column_key, r.column_label_zh,
       t.value, t.reports, t.unit_cells
from fct_consolidated_table2 t
join ref_table2_cells r using (template, row_key, column_key)
join consolidations c using (consolidation_key)
where t.consolidation_key = $key
  and (
      r.template in (
          select template from consolidation_agencies a
          where a.consolidation_key = $key and a.status = 'summed'
      )
      or r.template = (select expected_template from dim_year y where y.report_year = c.report_year)
  )
order by r.template desc, r.seq;
