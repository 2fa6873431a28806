-- The names one agency printed.
select agency_name, first_year, last_year, documents
from agency_names
where agency_id = $id
order by first_year nulls last, agency_name;
