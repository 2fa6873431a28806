-- The agency each of the given natural keys is resolved to now (by the documents resolved under it).
select natural_key, min(agency_id)
from documents
where natural_key in (select unnest($keys::varchar[])) and agency_id is not null
group by natural_key;
