-- The agencies as the roster matching sees them: latest name, every printed name, division, kind, credit code.
select a.agency_id, a.agency_name,
       (select list(n.agency_name order by n.agency_name) from agency_names n where n.agency_id = a.agency_id) as names,
       a.division_code, a.agency_kind, a.credit_code
from dim_agency a
order by a.agency_id;
