-- A document by sha256, a prefix of it (6+ characters), or a name it arrived under.
select document_id, original_name, staged_path, size_bytes, arrived_at, status, record::varchar
from v_staged_documents
where document_id = $ref
   or (length($ref) >= 6 and starts_with(document_id, lower($ref)))
   or document_id in (select document_id from document_arrivals where original_name = $ref);
