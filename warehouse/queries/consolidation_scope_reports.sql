-- Loaded reports of a year over a scope (the same filter as consolidate.sql), and the years that have
-- loaded reports in that scope: a consolidation of no report is refused before it is stored.
-- Parameters: $year, $region, $agencies, $kind.
with scope as (
    select a.agency_id
    from dim_agency a
    where ($region::varchar is null or starts_with(a.division_code, $region::varchar))
      and ($kind::varchar is null or a.agency_kind = $kind::varchar)
      and ($agencies::varchar[] is null or list_contains($agencies::varchar[], a.agency_name))
)
select count(*) filter (where d.report_year = $year::integer) as reports,
       list(distinct d.report_year order by d.report_year) as loaded_years
from documents d
join scope s using (agency_id)
where d.status = 'loaded';
