-- The corrections in force for a batch of documents: document, cell → corrected value.
select document_id, cell_key, corrected_value
from v_current_corrections
where document_id in (select unnest($ids::varchar[]))
order by document_id, cell_key;
