-- Every natural key with the agency its documents are resolved to (the rosters match against them).
select natural_key, min(agency_id)
from documents
where natural_key is not null and agency_id is not null
group by natural_key;
