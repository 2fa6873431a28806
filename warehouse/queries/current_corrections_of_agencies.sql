-- Corrections in force for the loaded reports of the given agencies (as loaded_reports_of_agencies
-- selects them: by the agency_id of documents printing the keys, or by the key).
with keys as (select unnest($agencies::varchar[]) as agency_key),
agencies as (
    select distinct d.agency_id from documents d
    where d.agency_key in (select agency_key from keys) and d.agency_id is not null
)
select k.document_id, k.cell_key, k.corrected_value
from v_current_corrections k
join documents d using (document_id)
where d.agency_id in (select agency_id from agencies) or d.agency_key in (select agency_key from keys);
