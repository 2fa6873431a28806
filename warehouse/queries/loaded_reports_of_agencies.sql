-- Loaded reports of the agencies that documents printing the given agency keys belong to (by
-- agency_id, so an agency renamed, merged or aliased pairs across its keys), plus loaded reports
-- printing those keys that have no agency yet; as extracted, for the cross-year rules.
with keys as (select unnest($agencies::varchar[]) as agency_key),
agencies as (
    select distinct d.agency_id from documents d
    where d.agency_key in (select agency_key from keys) and d.agency_id is not null
)
select d.document_id, d.record::varchar, d.agency_id, d.agency_key
from documents d
where d.status = 'loaded'
  and (d.agency_id in (select agency_id from agencies) or d.agency_key in (select agency_key from keys));
