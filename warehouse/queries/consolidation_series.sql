-- Requests by year over a consolidation's scope, up to its year: 本年新收 (table 3 总计), or the
-- legacy 收到申请数 for reports before the 2019 template. One loaded report per agency and year.
with c as (
    select * from consolidations where consolidation_key = $key
),
scope as (
    -- the same scope filter as consolidate.sql
    select a.agency_id
    from dim_agency a, c
    where (c.region_code is null or starts_with(a.division_code, c.region_code))
      and (c.agency_kind is null or a.agency_kind = c.agency_kind)
      and (c.agency_list is null or list_contains(c.agency_list, a.agency_name))
),
reports as (
    select d.document_id, d.report_year
    from documents d
    join scope s using (agency_id)
    where d.status = 'loaded' and d.report_year <= (select report_year from c)
    qualify row_number() over (
        partition by d.agency_id, d.report_year
        order by d.publication_date desc nulls last, d.processed_at desc, d.document_id
    ) = 1
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
