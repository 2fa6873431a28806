-- Every agency with its names, years and reports; $name filters on any printed name (or null).
select a.agency_id, a.agency_name, a.division_code, a.agency_level, a.agency_kind, a.parent_id,
       a.first_year, a.last_year,
       (select count(*) from agency_names n where n.agency_id = a.agency_id) as names,
       (select count(*) from documents d where d.agency_id = a.agency_id) as documents,
       a.natural_key
from dim_agency a
where $name::varchar is null
   or exists (select 1 from agency_names n where n.agency_id = a.agency_id and contains(n.agency_name, $name::varchar))
order by a.division_code nulls last, a.agency_id;
