-- The current-report role of the given documents (after a load).
select document_id, report_role, current_document_id
from current_reports
where document_id in (select unnest($ids::varchar[]));
