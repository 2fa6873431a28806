-- The corrections in force for one document: cell → corrected value.
select cell_key, corrected_value
from v_current_corrections
where document_id = $doc;
