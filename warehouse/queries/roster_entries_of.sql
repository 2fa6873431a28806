-- One roster's entries as listed, in file order.
select seq, listed_name, division_code, credit_code, agency_kind, parent_name
from roster_entries
where roster_id = $roster_id
order by seq;
