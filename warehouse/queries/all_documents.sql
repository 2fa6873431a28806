-- Every staged document, for reprocessing: where its bytes are and what it was before.
select document_id, original_name, staged_path, size_bytes, arrived_at, status, record::varchar
from v_staged_documents
order by document_id;
