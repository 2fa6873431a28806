-- Corrections in force for the loaded reports of the given agencies (by agency_key).
select k.document_id, k.cell_key, k.corrected_value
from v_current_corrections k
join documents d using (document_id)
where d.agency_key in (select unnest($agencies::varchar[]));
