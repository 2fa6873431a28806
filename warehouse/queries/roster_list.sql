-- Rosters' entries with the agency each is matched to and whether it has a current report for the
-- roster's year; unmatched first. Filters: $year, $region (null: any), $roster_id (null: any).
select r.roster_id, r.report_year, r.region_code, e.seq, e.listed_name, e.agency_id, a.agency_name,
       e.match_method, e.match_score, e.match_note,
       exists (select 1 from current_reports c
               where c.agency_id = e.agency_id and c.report_year = r.report_year and c.report_role = 'current')
           as reported,
       r.source_file, r.imported_by, r.imported_at
from roster_entries e
join rosters r using (roster_id)
left join dim_agency a on a.agency_id = e.agency_id
where ($year::integer is null or r.report_year = $year::integer)
  and ($region::varchar is null or r.region_code = $region::varchar)
  and ($roster_id::integer is null or r.roster_id = $roster_id::integer)
order by r.report_year desc, r.region_code nulls first, e.agency_id is not null, e.seq;
