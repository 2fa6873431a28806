-- Requests by year over a consolidation's scope, up to its year: 本年新收 (table 3 总计), or the
-- legacy 收到申请数 for reports before the 2019 template. The current report of each agency and year (current_reports).
with c as (
    select * from consolidations where consolidation_key = $key
),
scope as (
    -- the same scope filter as consolidate.sql
    select a.agency_id
    from dim_agency a, c
    where (c.region_code is null or starts_with(a.division_code, c.region_code))
      and (c.agency_kind is null or a.agency_kind = c.agency_kind)
      and (c.agency_list is null or exists (select 1 from agency_names n
                                            where n.agency_id = a.agency_id and list_contains(c.agency_list, n.agency_name)))
),
reports as (
    select d.document_id, d.report_year
    from current_reports d
    join scope s using (agency_id)
    where d.report_role = 'current' and d.report_year <= (select report_year from c)
)
select r.report_year,
       count(*) as reports,
       sum(t.requests)::bigint as new_requests,
       sum(l.value)::bigint as legacy_requests_received
from reports r
left join fct_table3 t on t.document_id = r.document_id and t.row_key = 'new_requests' and t.column_key = 'total'
left join fct_legacy l on l.document_id = r.document_id and l.figure_key = 'requests_received'
group by r.report_year
order by r.report_year;
