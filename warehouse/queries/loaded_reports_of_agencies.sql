-- Loaded reports of the given agencies (by agency_key: division + name without place names),
-- as extracted, for the cross-year rules.
select d.document_id, d.record::varchar
from documents d
where d.status = 'loaded'
  and d.agency_key in (select unnest($agencies::varchar[]));
