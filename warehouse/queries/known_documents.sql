-- Which of a batch's document ids the warehouse already holds (any status).
select document_id
from documents
where document_id in (select unnest($ids::varchar[]));
