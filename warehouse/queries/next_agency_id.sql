-- The largest agency id given so far (agency_keys, and the ids of warehouses older than migration 006).
select coalesce(max(agency_id), 0)
from (select agency_id from agency_keys
      union all select agency_id from documents
      union all select agency_id from dim_agency);
